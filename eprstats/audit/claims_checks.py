"""Checks of the text's claims (claims.csv): a number repeated from a table against that table, a
percentage as k / n, a DeLong test's P against the two AUCs and CIs, a feature count against pyradiomics, and
"A outperformed B" against Table 2's printed values."""
from __future__ import annotations

import math
import re
from collections import Counter

from scipy.stats import norm

from .registry import KINDS, own_check, parse_quantity
from .roc_checks import symmetry_row, t2_numbers
from .schema import Paper, Printed
from .verdicts import (COHORT_NAMES, NOT_CHECKABLE, NOT_REPRODUCED, Z975, _ci_text, _nearest, _ok, _row,
                       claim_id, k_over_n, number, round_half_up, same_printed)


def claim_numbers(c, kind: str, parts) -> list[dict]:
    """The printed number of claim row ``c`` (with its CI when printed with one), its row labelled by the
    quantity's first part (model, term, variable, label; ``A vs B`` for a DeLong P); none for a claim whose
    value is a relation or a word (an order claim, a stated CI method)."""
    k = KINDS[kind]
    if k.value != "number":
        return []
    label = k.label(parts)
    model = label if k.parts[:2] == ("model", "model") else (parts[k.model] if k.model is not None else None)
    ci = (c["ci_low"], c["ci_high"]) if c["ci_low"] is not None else None
    return [number("claims", "value", c["estimate"], row=label, model=model, statistic=kind, ci=ci,
                   cohort=parts[k.cohort] if k.cohort is not None else None)]


def _table_values(paper: Paper) -> list[tuple[str, str, tuple]]:
    """Every printed number of Tables 2 and 3 with its location, for telling where a stray value came from."""
    out = []
    if paper.table2 is not None:
        for _, r in paper.table2.iterrows():
            for c in ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity"):
                out.append((r[c].text, f"Table 2 {r['model']} {r['cohort']} {c}", (r["model"], r["cohort"])))
    if paper.table3 is not None:
        for _, r in paper.table3.iterrows():
            for c in ("beta", "odds_ratio", "or_ci_low", "or_ci_high", "p"):
                if r[c] is not None:
                    out.append((r[c].text, f"Table 3 {r['term']} {c}", (r["term"],)))
    return out


def _explain(paper: Paper, lo: Printed | None, hi: Printed | None, est: Printed | None, key: tuple) -> str:
    """Where else the printed numbers of a mismatching claim appear."""
    notes = []
    if lo is not None and paper.table2 is not None:
        same = paper.table2[[a.text == lo.text and b.text == hi.text
                             for a, b in zip(paper.table2["auc_ci_low"], paper.table2["auc_ci_high"])]]
        for _, r in same.iterrows():
            notes.append(f"{lo}-{hi} is the CI of {r['model']}, {r['cohort']} in Table 2")
        if not same.empty:
            return "; ".join(notes)
    values = _table_values(paper)
    for p in (x for x in (est, lo, hi) if x is not None):
        hits = [(k != key, w) for t, w, k in values if t == p.text]
        hits = [w for _, w in sorted(hits, key=lambda h: h[0])]
        if hits:
            notes.append(f"{p} appears as {hits[0]}")
    return "; ".join(notes)


def _table2_reference(paper: Paper, column: str, parts):
    if paper.table2 is None:
        return None
    model, cohort = parts
    hit = paper.table2[(paper.table2["model"] == model) & (paper.table2["cohort"] == cohort)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    if column == "auc":
        return r["auc"], r["auc_ci_low"], r["auc_ci_high"], f"Table 2 {model} {cohort}"
    return r[column], None, None, f"Table 2 {model} {cohort} {column}"


def _table3_reference(paper: Paper, column: str, parts):
    if paper.table3 is None:
        return None
    hit = paper.table3[paper.table3["term"] == parts[0]]
    if hit.empty:
        return None
    r = hit.iloc[0]
    if column == "odds_ratio":
        return r["odds_ratio"], r["or_ci_low"], r["or_ci_high"], f"Table 3 {parts[0]} OR"
    return r[column], None, None, f"Table 3 {parts[0]} {column}"


def _table1_reference(paper: Paper, column: str, parts):
    if paper.table1 is None and paper.table1_continuous is None:
        return None
    variable, cohort = parts
    column = {"training": "p_train", "external": "p_external", "between": "p_between_cohorts"}.get(cohort)
    # a count row or a continuous (mean (SD) / median (IQR)) row: the same P columns
    frames = [f for f in (paper.table1, paper.table1_continuous) if f is not None]
    block = next((b for b in (f[f["variable"] == variable] for f in frames) if not b.empty), frames[0].iloc[:0])
    if column is None or block.empty or column not in block:
        return None
    p = next((v for v in block[column] if v is not None), None)
    return (p, None, None, f"Table 1 {variable} P ({COHORT_NAMES[cohort]})") if p is not None else None


#: registry.ClaimKind.table's first part -> the lookup of where the folder prints that number first
REFERENCES = {"table2": _table2_reference, "table3": _table3_reference, "table1": _table1_reference}


def _reference(paper: Paper, kind: str, parts: list[str], ref: dict):
    """(estimate, low, high, where) of the table value a claim repeats, or None (its kind's ``table``)."""
    table = KINDS[kind].table
    return REFERENCES[table[0]](paper, table[1], parts) if table else None


def check_percent(cid, where, printed: Printed, numerator, denominator, paper: Paper, ref: dict) -> dict:
    """A percentage as k/n: the given numerator / denominator, or else any count of the paper over a
    cohort size. A value printed as a proportion (0.96) is read as a percentage with its precision."""
    shown = printed
    if not printed.percent and printed.value <= 1:
        shown = Printed(printed.text, printed.value * 100, printed.decimals - 2, percent=True)
    if numerator is not None and denominator is not None:
        value = 100 * numerator / denominator
        ok = shown.holds(value)
        trunc = math.floor(value * 10 ** shown.decimals) / 10 ** shown.decimals
        ks = k_over_n(shown, denominator, 100)
        evidence = (f"{numerator}/{denominator} = {value:.4f}%" + ("" if ok else
                    f", which rounds to {round_half_up(value, shown.decimals):.{max(shown.decimals, 0)}f}%"
                    + (f"; {printed} is the truncated value" if abs(trunc - shown.value) < 1e-9 else "")
                    + (f"; k/{denominator} printing as {printed}: k = "
                       + (f"{ks[0]}-{ks[-1]}" if len(ks) > 2 else " or ".join(map(str, ks))) if ks else
                       f"; no k/{denominator} prints as {printed} (nearest "
                       f"{_nearest(shown, denominator, 100, '{:.2f}%')})")))
        return _row(cid, "percent", printed, where, f"{numerator}/{denominator} x 100 = {value:.4f}%", _ok(ok),
                    evidence)
    # no denominator printed: which of the paper's groups and Table 1 cells give it?
    matches = []
    if paper.table1 is not None:
        for variable, block in paper.table1.groupby("variable", sort=False):
            for _, r in block.iterrows():
                per = {"training": r["train_non_epr"].value + r["train_epr"].value,
                       "external": r["external_non_epr"].value + r["external_epr"].value}
                per["all"] = per["training"] + per["external"]
                for cohort, k in per.items():
                    if cohort in ref and ref[cohort]["n"] and shown.holds(100 * k / ref[cohort]["n"]):
                        elsewhere = ", ".join(f"{c} {int(v)}/{ref[c]['n']} = {100 * v / ref[c]['n']:.2f}%"
                                              for c, v in per.items() if c != cohort and c in ref and ref[c]["n"])
                        matches.append(f"Table 1 {variable}={r['level']} in {cohort}: "
                                       f"{int(k)}/{ref[cohort]['n']} = {100 * k / ref[cohort]['n']:.3f}% "
                                       f"(same cell: {elsewhere})")
    for cohort, c in ref.items():
        for group in ("n", "events", "nonevents"):
            for k in k_over_n(shown, c[group], 100):
                matches.append(f"{k}/{c[group]} ({cohort} {group})")
    return _row(cid, "percent", printed, where, "k/n over the paper's cohorts and Table 1 cells",
                _ok(bool(matches)), "; ".join(dict.fromkeys(matches[:8])) if matches else
                "no count of the paper over a cohort size gives this percentage")


def check_delong(cid, where, printed: Printed, parts, paper: Paper) -> dict:
    a, b, cohort = parts
    t2 = paper.table2
    rows = {m: t2[(t2["model"] == m) & (t2["cohort"] == cohort)] for m in (a, b)} if t2 is not None else {}
    if not rows or any(v.empty for v in rows.values()):
        return _row(cid, "delong_p", printed, where, "", NOT_CHECKABLE, "the two AUCs are not in Table 2")
    ra, rb = rows[a].iloc[0], rows[b].iloc[0]
    se = [(r["auc_ci_high"].value - r["auc_ci_low"].value) / (2 * Z975) for r in (ra, rb)]
    (a0, a1), (b0, b1) = ra["auc"].interval, rb["auc"].interval
    d_lo = max(0.0, max(a0 - b1, b0 - a1))
    d_hi = max(abs(a1 - b0), abs(b1 - a0))
    p0, p1 = printed.interval
    z_hi, z_lo = norm.isf(max(p0, 1e-300) / 2), norm.isf(min(p1, 1.0) / 2)
    sd_lo, sd_hi = d_lo / z_hi, (d_hi / z_lo if z_lo > 0 else math.inf)
    s = se[0] ** 2 + se[1] ** 2
    r_lo = (s - sd_hi ** 2) / (2 * se[0] * se[1])
    r_hi = (s - sd_lo ** 2) / (2 * se[0] * se[1])
    d = abs(ra["auc"].value - rb["auc"].value)
    z = norm.isf(printed.value / 2)
    r_mid = (s - (d / z) ** 2) / (2 * se[0] * se[1]) if z > 0 else float("nan")
    ok = r_hi >= -1 and r_lo <= 1
    return _row(cid, "delong_p", printed, where,
                f"AUCs {ra['auc']} vs {rb['auc']} ({cohort}), SEs from the CIs {se[0]:.4f}, {se[1]:.4f}: "
                f"implied correlation r = {r_mid:.2f} (range over rounding [{max(r_lo, -9):.2f}, "
                f"{min(r_hi, 9):.2f}])", NOT_CHECKABLE if ok else NOT_REPRODUCED,
                ("a paired DeLong test needs the patients' scores; the printed P only implies the correlation "
                 "of the two AUCs, which is admissible (within [-1, 1])") if ok else
                "no correlation in [-1, 1] gives this P for these AUCs and CIs")


def radiomics_feature_count(image_types: str) -> tuple[int, int, str]:
    """Features pyradiomics computes per ROI for image types such as ``original+log1+wavelet8``
    (``logN``: N LoG sigmas; ``waveletN``: N decompositions; any other name: one image), every feature
    class enabled: (default features, with deprecated ones too, the arithmetic). Shape is computed on
    the original image only, as pyradiomics does."""
    from radiomics import __version__, getFeatureClasses

    images = 0
    for token in image_types.lower().split("+"):
        m = re.fullmatch(r"([a-z0-9]+?)(\d*)", token.strip())
        images += int(m.group(2)) if m and m.group(2) and m.group(1) in ("log", "wavelet") else 1
    names = {k: c.getFeatureNames() for k, c in getFeatureClasses().items() if k != "shape2D"}
    default = {k: sum(not dep for dep in v.values()) for k, v in names.items()}
    every = {k: len(v) for k, v in names.items()}
    per_image, per_image_all = sum(v for k, v in default.items() if k != "shape"), \
        sum(v for k, v in every.items() if k != "shape")
    total = default["shape"] + images * per_image
    total_all = every["shape"] + images * per_image_all
    text = (f"pyradiomics {__version__}: shape {default['shape']} + {images} images x {per_image} "
            f"({', '.join(f'{k} {v}' for k, v in default.items() if k != 'shape')}) = {total}; "
            f"with deprecated features {total_all}")
    return total, total_all, text


def check_radiomics_count(cid, where, printed: Printed, image_types: str) -> dict:
    try:
        total, total_all, text = radiomics_feature_count(image_types)
    except ImportError:
        return _row(cid, "radiomics_count", printed, where, "", NOT_CHECKABLE,
                    "pyradiomics is not installed (pip install eprstats[imaging])")
    ok = printed.value in (total, total_all)
    return _row(cid, "radiomics_count", printed, where, text, _ok(ok),
                f"{image_types}: the stated image types give {total} features per ROI"
                + ("" if ok else f", not {printed}: other settings, feature classes or version than stated"))


_RELATION = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
             "<=": lambda a, b: a <= b, "=": lambda a, b: a == b}


def check_order(cid, where, relation: str, parts, paper: Paper) -> dict:
    """A claim that one model's AUC (or sensitivity, specificity) is higher / not higher than another's,
    judged on the printed values."""
    metric, a, b, cohort = parts
    quoted = f"{a} {relation} {b} ({metric}, {cohort})"
    t2 = paper.table2
    if t2 is None:
        return _row(cid, "order", quoted, where, "", NOT_CHECKABLE, "no Table 2")
    got = {m: t2[(t2["model"] == m) & (t2["cohort"] == cohort)] for m in (a, b)}
    if any(v.empty for v in got.values()):
        return _row(cid, "order", quoted, where, "", NOT_CHECKABLE, f"{a} or {b} has no {cohort} row in Table 2")
    va, vb = got[a].iloc[0][metric], got[b].iloc[0][metric]
    ok = _RELATION[relation](va.value, vb.value)
    return _row(cid, "order", quoted, where, f"Table 2 {cohort} {metric}: {a} {va}, {b} {vb}", _ok(ok),
                f"{va} {relation} {vb} is {'true' if ok else 'false'}",
                t2_numbers(got[a].iloc[0], metric) + t2_numbers(got[b].iloc[0], metric))


def check_claims(paper: Paper, ref: dict) -> list:
    if paper.claims is None:
        return []
    rows, own = [], _own_references(paper, ref)
    for _, c in paper.claims.iterrows():
        kind, parts = parse_quantity(c["quantity"])
        row = _claim_row(paper, ref, c, claim_id(c), kind, parts, own)
        if row is not None:
            row["numbers"] = row["numbers"] or claim_numbers(c, kind.name, parts)
            rows.append(row)
    return rows


def _printed_key(c) -> tuple:
    return tuple(None if x is None else x.text for x in (c["estimate"], c["ci_low"], c["ci_high"]))


def _own_references(paper: Paper, ref: dict) -> dict:
    """For each quantity that no table prints but the text prints more than once: the printing its
    repeats are checked against, the one most printings agree with (ties: the first by ``where``), so
    that the choice does not depend on the order of claims.csv's rows. Maps quantity -> its row index."""
    out = {}
    for quantity, block in paper.claims.groupby("quantity", sort=False):
        kind, parts = parse_quantity(quantity)
        if kind.check != "repeat" or len(block) < 2:
            continue
        reference = _reference(paper, kind.name, parts, ref)
        if reference is not None and reference[0] is not None:
            continue
        votes = Counter(_printed_key(c) for _, c in block.iterrows())
        out[quantity] = min(block.index, key=lambda i: (-votes[_printed_key(block.loc[i])],
                                                         block.loc[i, "where"], _printed_key(block.loc[i])))
    return out


def _claim_row(paper: Paper, ref: dict, c, cid: str, kind, parts: list, own: dict):
    """The check of one claim (its kind's own check, registry.KINDS); None for the printing of a number that
    only its repeats are checked against."""
    check = own_check(kind)
    if check is not None:
        return check(paper, ref, c, cid, parts)
    est, lo, hi, where = c["estimate"], c["ci_low"], c["ci_high"], c["where"]
    quoted = _ci_text(est, lo, hi)
    reference = _reference(paper, kind.name, parts, ref)
    if reference is None or reference[0] is None:
        # no table prints it: the printing most others agree with is the reference of its repeats
        key = c["quantity"]
        if key not in own:
            return _row(cid, "claim", quoted, where, "", NOT_CHECKABLE,
                        "printed once and not derivable from the printed tables")
        if c.name == own[key]:
            return None
        r = paper.claims.loc[own[key]]
        reference = (r["estimate"], r["ci_low"], r["ci_high"], r["where"])
    return _repeat_row(paper, cid, kind.name, parts, (est, lo, hi, where), reference)


# the checks of their own that registry.KINDS names: f(paper, ref, claim row, check id, parts)
def claim_event_rate(paper: Paper, ref: dict, c, cid: str, parts) -> dict:
    cohort, est = parts[0], c["estimate"]
    if cohort not in ref:
        return _row(cid, "percent", _ci_text(est, c["ci_low"], c["ci_high"]), c["where"], "", NOT_CHECKABLE,
                    f"no counts for {cohort!r}")
    return check_percent(cid, c["where"], est, ref[cohort]["events"], ref[cohort]["n"], paper, ref)


def claim_percent(paper: Paper, ref: dict, c, cid: str, parts) -> dict:
    num, den = c["numerator"], c["denominator"]
    return check_percent(cid, c["where"], c["estimate"], int(num.value) if num is not None else None,
                         int(den.value) if den is not None else None, paper, ref)


def claim_delong(paper: Paper, ref: dict, c, cid: str, parts) -> dict:
    return check_delong(cid, c["where"], c["estimate"], parts, paper)


def claim_order(paper: Paper, ref: dict, c, cid: str, parts) -> dict:
    return check_order(cid, c["where"], c["estimate"], parts, paper)


def claim_radiomics(paper: Paper, ref: dict, c, cid: str, parts) -> dict:
    return check_radiomics_count(cid, c["where"], c["estimate"], parts[0])


def claim_ci_method(paper: Paper, ref: dict, c, cid: str, parts) -> None:
    """A stated CI method is no number to check: the CI checks hold the intervals to it
    (:func:`eprstats.audit.roc_checks.stated_ci_method`)."""
    return None


def _repeat_row(paper: Paper, cid: str, kind: str, parts: list, claim: tuple, reference: tuple) -> dict:
    """A number the text repeats, against where it was printed first (a table, or the text)."""
    est, lo, hi, where = claim
    quoted = _ci_text(est, lo, hi)
    r_est, r_lo, r_hi, r_where = reference
    ok = same_printed(est, r_est)
    if lo is not None and r_lo is not None:
        ok = ok and same_printed(lo, r_lo) and same_printed(hi, r_hi)
    elif lo is not None and r_lo is None:
        ok = False
    evidence = "same number in both places"
    if not ok:
        ci_bad = lo is not None and not (r_lo is not None and same_printed(lo, r_lo)
                                         and same_printed(hi, r_hi))
        est_bad = not same_printed(est, r_est)
        evidence = f"differs from {r_where}"
        extra = _explain(paper, lo if ci_bad else None, hi if ci_bad else None, est if est_bad else None,
                         tuple(parts))
        if extra:
            evidence += f"; {extra}"
    if not ok and lo is not None and kind in ("auc",):
        sym = symmetry_row("", quoted, where, est, lo, hi)
        if sym["verdict"] == NOT_REPRODUCED:
            evidence += f"; the quoted CI is not symmetric around {est} ({sym['recomputed']})"
    return _row(cid, "claim", quoted, where, f"{r_where}: {_ci_text(r_est, r_lo, r_hi)}", _ok(ok), evidence)
