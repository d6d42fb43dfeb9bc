"""Checks of Table 2 (model performance): sensitivities and specificities as k / n, the AUC's CI against
DeLong's symmetry and Hanley & McNeil's width, the AUC against the printed operating point (ROC bounds,
Youden's bound, a two-valued score's exact DeLong CI), copied rows, and models declared a single binary
Table 1 variable."""
from __future__ import annotations

import dataclasses
import math
from collections import defaultdict

from .estimate_checks import MIN_PEERS, SYMMETRIC_METHODS, auc_width_row, stated_method
from .schema import Paper, Printed
from .verdicts import (NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED, Z975, _ci_text, _nearest, _ok, _row,
                       k_over_n, number)


def t2_numbers(r, *stats) -> list[dict]:
    """The printed numbers of Table 2 row ``r`` named in ``stats``; ``auc_ci`` is the AUC with its CI."""
    out = []
    for stat in stats:
        column = "auc" if stat == "auc_ci" else stat
        ci = (r["auc_ci_low"], r["auc_ci_high"]) if stat == "auc_ci" else None
        out.append(number("published_table2", column, r[column], row=r["model"], model=r["model"],
                          cohort=r["cohort"], ci=ci))
    return out


def check_sens_spec(paper: Paper, ref: dict) -> list[dict]:
    rows = []
    if paper.table2 is None:
        return rows
    for _, r in paper.table2.iterrows():
        model, cohort = r["model"], r["cohort"]
        for what, group in (("sensitivity", "events"), ("specificity", "nonevents")):
            printed, numbers = r[what], t2_numbers(r, what)
            cid = f"T2-{what[:4].upper()}-{model}-{cohort}"
            where = f"Table 2, {model}, {cohort}, {what}"
            if cohort not in ref:
                rows.append(_row(cid, "sens_spec", printed, where, "", NOT_CHECKABLE,
                                 f"no {group} count for cohort {cohort!r}", numbers))
                continue
            n = ref[cohort][group]
            ks = k_over_n(printed, n)
            rows.append(_row(cid, "sens_spec", printed, where, f"k/{n} ({group} of {cohort})", _ok(bool(ks)),
                             ", ".join(f"{k}/{n} = {k / n:.4f}" for k in ks) if ks else
                             f"no k/{n} prints as {printed}; nearest {_nearest(printed, n)}", numbers))
    return rows


def _truncated(hi: Printed) -> bool:
    return hi.value >= 1.0




def stated_ci_method(paper: Paper, metric: str = "auc") -> str:
    """The CI method the paper states for ``metric`` (a ``ci_method:auc`` claim), lower case; "" if none."""
    if paper.claims is None:
        return ""
    said = [str(v) for q, v in zip(paper.claims["quantity"], paper.claims["value"]) if q == f"ci_method:{metric}"]
    return next((m for m in map(stated_method, said) if m), "")


def _method_row(row, stated: str, symmetric: dict, key) -> dict:
    """An asymmetric CI is a finding only when the paper says DeLong (or another symmetric method), or when
    the table's other CIs (at least MIN_PEERS) are all symmetric; otherwise it is an exact, logit or bootstrap
    interval, which need not be symmetric."""
    if row["verdict"] != NOT_REPRODUCED:
        return row
    peers = [v for k, v in symmetric.items() if k != key and v is not None]
    if stated in SYMMETRIC_METHODS:
        row["evidence"] = row["evidence"].replace("a DeLong CI is symmetric", f"the paper says {stated}, whose CI "
                                                  "is symmetric")
        return row
    if not stated and len(peers) >= MIN_PEERS and all(peers):
        row["evidence"] += (f" (the paper does not name the method, but the table's other {len(peers)} CIs are all "
                            "symmetric: its method is a symmetric one)")
        return row
    row["verdict"] = REPRODUCED
    row["evidence"] = row["evidence"].replace("; a DeLong CI is symmetric", "") + (
        f"; asymmetric: the paper says {stated}" if stated else
        "; asymmetric: a logit, exact or bootstrap CI (the paper neither says DeLong nor prints only symmetric "
        "CIs)")
    return row


def check_auc_ci(paper: Paper, ref: dict) -> list[dict]:
    rows = []
    if paper.table2 is None:
        return rows
    stated = stated_ci_method(paper)
    symmetric = {}
    for _, r in paper.table2.iterrows():
        sym = symmetry_row("", "", "", r["auc"], r["auc_ci_low"], r["auc_ci_high"])["verdict"]
        symmetric[(r["model"], r["cohort"])] = None if sym == NOT_CHECKABLE else sym == REPRODUCED
    for _, r in paper.table2.iterrows():
        model, cohort = r["model"], r["cohort"]
        auc, lo, hi = r["auc"], r["auc_ci_low"], r["auc_ci_high"]
        quoted, where = _ci_text(auc, lo, hi), f"Table 2, {model}, {cohort}, AUC (95% CI)"
        numbers = t2_numbers(r, "auc_ci")
        rows.append(_method_row(symmetry_row(f"T2-CISYM-{model}-{cohort}", quoted, where, auc, lo, hi,
                                             numbers=numbers), stated, symmetric, (model, cohort)))
        cid = f"T2-CIWIDTH-{model}-{cohort}"
        if cohort not in ref:
            rows.append(_row(cid, "auc_ci_width", quoted, where, "", NOT_CHECKABLE, f"no counts for {cohort!r}",
                             numbers))
            continue
        n1, n0 = ref[cohort]["events"], ref[cohort]["nonevents"]
        match = binary_ci_match(r, ref)
        if match is not None and match[1] is not None:
            # Hanley-McNeil assumes a continuous score; a two-valued one is checked exactly instead.
            rows.append(_row(cid, "auc_ci_width", quoted, where, f"see T2-CIBIN-{model}-{cohort}", REPRODUCED,
                             "the CI is exactly a two-valued score's DeLong CI (Hanley-McNeil does not apply)",
                             numbers))
            continue
        # one rule with the cell checks: only a CI wider than any score distribution allows is a finding
        rows.append(dataclasses.replace(auc_width_row(cid, where, auc, lo, hi, n1, n0, numbers=numbers),
                                        quoted=quoted))
    return rows


def symmetry_row(cid, quoted, where, auc: Printed, lo: Printed, hi: Printed, kind="auc_ci_symmetry",
                 numbers=()) -> dict:
    if _truncated(hi):
        return _row(cid, kind, quoted, where, "upper bound truncated at 1", NOT_CHECKABLE,
                    "a DeLong interval truncated at 1 is not symmetric; the lower half-width alone is printed",
                    numbers)
    gap = hi.value + lo.value - 2 * auc.value
    tol = hi.half_unit + lo.half_unit + 2 * auc.half_unit + 1e-12
    ok = abs(gap) <= tol
    return _row(cid, kind, quoted, where,
                f"low + high - 2 AUC = {gap:+.4f}; CI midpoint {(lo.value + hi.value) / 2:.4f}", _ok(ok),
                f"half-widths {auc.value - lo.value:.3f} below, {hi.value - auc.value:.3f} above; rounding "
                f"allows |low + high - 2 AUC| <= {tol:.4f}" + ("" if ok else "; a DeLong CI is symmetric"), numbers)


def check_roc_point(paper: Paper) -> list[dict]:
    """AUC within the bounds a ROC curve through the printed (1 - spec, sens) point allows, and what
    the printed numbers imply about the number of distinct values the score takes."""
    rows = []
    if paper.table2 is None:
        return rows
    for _, r in paper.table2.iterrows():
        auc, se, sp = r["auc"], r["sensitivity"], r["specificity"]
        (s0, s1), (p0, p1) = se.interval, sp.interval
        low, high = s0 * p0, 1 - (1 - s1) * (1 - p1)
        ok = auc.overlaps(low, high)
        binary = auc.overlaps((s0 + p0) / 2, (s1 + p1) / 2)
        values = ("AUC = (sens + spec)/2 within rounding: consistent with a score taking only 2 distinct "
                  "values (a single binary predictor)" if binary else
                  "AUC differs from (sens + spec)/2: the score takes at least 3 distinct values")
        rows.append(_row(f"T2-ROC-{r['model']}-{r['cohort']}", "auc_roc_point", auc,
                         f"Table 2, {r['model']}, {r['cohort']}, AUC with sensitivity and specificity",
                         f"ROC through (1-spec, sens) = ({1 - sp.value:.3f}, {se.value:.3f}) allows AUC in "
                         f"[{se.value * sp.value:.3f}, {1 - (1 - se.value) * (1 - sp.value):.3f}]; "
                         f"(sens+spec)/2 = {(se.value + sp.value) / 2:.4f}", _ok(ok),
                         values if ok else f"AUC {auc} lies outside [{low:.3f}, {high:.3f}], the AUCs that any ROC "
                         "curve through the printed operating point can have (over the rounding of sens and spec)",
                         t2_numbers(r, "auc", "sensitivity", "specificity")))
    return rows


def delong_binary_ci(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float, float]:
    """AUC and DeLong 95% CI (truncated to [0, 1], as pROC does) of a score with two values that
    classifies k1 of n1 events and k0 of n0 non-events correctly.

    DeLong's placement values then take two values each: the events' differ by 1/2 and occur with
    proportions sens and 1 - sens, so Var = sens(1-sens)/(4(n1-1)) + spec(1-spec)/(4(n0-1)).
    """
    sens, spec = k1 / n1, k0 / n0
    auc = (sens + spec) / 2
    se = 0.5 * math.sqrt(sens * (1 - sens) / (n1 - 1) + spec * (1 - spec) / (n0 - 1))
    return auc, max(0.0, auc - Z975 * se), min(1.0, auc + Z975 * se)


def binary_ci_match(r, ref: dict):
    """For a Table 2 row whose AUC equals (sens + spec)/2: (tried, hit) over every k/n of its printed
    sensitivity and specificity, hit = (k1, n1, k0, n0) whose two-valued DeLong CI prints as printed.
    None when the AUC is not (sens + spec)/2 or the cohort's counts are unknown."""
    auc, lo, hi, se, sp = (r[c] for c in ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity"))
    (s0, s1), (p0, p1) = se.interval, sp.interval
    if not auc.overlaps((s0 + p0) / 2, (s1 + p1) / 2) or r["cohort"] not in ref:
        return None
    n1, n0 = ref[r["cohort"]]["events"], ref[r["cohort"]]["nonevents"]
    tried, hit = [], None
    for k1 in k_over_n(se, n1):
        for k0 in k_over_n(sp, n0):
            a, l, h = delong_binary_ci(k1, n1, k0, n0)
            tried.append(f"{k1}/{n1}, {k0}/{n0}: {a:.4f} ({l:.4f}-{h:.4f})")
            if hit is None and auc.holds(a) and lo.holds(l) and hi.holds(h):
                hit = (k1, n1, k0, n0)
    return tried, hit


def check_binary_ci(paper: Paper, ref: dict) -> list[dict]:
    """Where the printed AUC equals (sens + spec)/2, the score may have two values; then its whole
    DeLong CI follows from the k/n of the printed sensitivity and specificity."""
    rows = []
    if paper.table2 is None:
        return rows
    declared = set(paper.binary_models["model"]) if paper.binary_models is not None else set()
    for _, r in paper.table2.iterrows():
        match = binary_ci_match(r, ref)
        if match is None:
            continue
        tried, hit = match
        cid = f"T2-CIBIN-{r['model']}-{r['cohort']}"
        quoted = _ci_text(r["auc"], r["auc_ci_low"], r["auc_ci_high"])
        where = f"Table 2, {r['model']}, {r['cohort']}, AUC (95% CI)"
        if hit:
            verdict, evidence = REPRODUCED, ("AUC = (sens+spec)/2 and the CI is exactly DeLong's for a two-valued "
                                             f"score classifying {hit[0]}/{hit[1]} events and {hit[2]}/{hit[3]} "
                                             "non-events correctly")
        elif r["model"] in declared:
            verdict, evidence = NOT_REPRODUCED, ("the model is declared a single binary predictor but no k/n of "
                                                 "its sensitivity and specificity gives the printed CI")
        else:
            verdict, evidence = NOT_CHECKABLE, ("AUC = (sens+spec)/2 within rounding, but the CI is not a "
                                                "two-valued score's: the score probably takes more values")
        rows.append(_row(cid, "auc_ci_binary", quoted, where,
                         "DeLong CI of a two-valued score: " + ("; ".join(tried) or "no k/n"), verdict, evidence,
                         t2_numbers(r, "auc_ci", "sensitivity", "specificity")))
    return rows


def check_youden_bound(paper: Paper, cohort: str = "training") -> list[dict]:
    """Where the cut-off was chosen by Youden's index (the training cohort), no threshold has a larger
    sens + spec, so the ROC curve lies below TPR = FPR + J (J = sens + spec - 1) and
    AUC <= integral of min(1, x + J) = 1 - (1 - J)^2 / 2."""
    rows = []
    if paper.table2 is None:
        return rows
    for _, r in paper.table2[paper.table2["cohort"] == cohort].iterrows():
        auc, se, sp = r["auc"], r["sensitivity"], r["specificity"]
        j_hi = se.interval[1] + sp.interval[1] - 1
        bound = 1 - (1 - j_hi) ** 2 / 2 if j_hi > 0 else 0.5
        ok = auc.interval[0] <= bound
        j = se.value + sp.value - 1
        rows.append(_row(f"T2-YOUDEN-{r['model']}-{cohort}", "auc_youden", auc,
                         f"Table 2, {r['model']}, {cohort}, AUC with the Youden operating point",
                         f"J = sens + spec - 1 = {j:.3f}; AUC <= 1 - (1 - J)^2/2 = {1 - (1 - j) ** 2 / 2:.3f}",
                         _ok(ok), "a ROC curve whose best sens + spec is the printed one cannot have a larger AUC"
                         if ok else f"AUC {auc} exceeds {bound:.3f}: some threshold has a larger sens + spec than "
                         "the printed 'Youden' point, or a number is wrong",
                         t2_numbers(r, "auc", "sensitivity", "specificity")))
    return rows


def _all_numbers(block) -> list[dict]:
    return [n for _, r in block.iterrows() for n in t2_numbers(r, "auc_ci", "sensitivity", "specificity")]


def check_duplicate_rows(paper: Paper) -> list[dict]:
    rows = []
    if paper.table2 is None:
        return rows
    cols = ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")
    for cohort, block in paper.table2.groupby("cohort", sort=False):
        groups = defaultdict(list)
        for _, r in block.iterrows():
            groups[tuple(r[c].text for c in cols)].append(r["model"])
        for models in groups.values():  # by name, not row order: the id survives reordering the rows
            models.sort()
        dups = {k: v for k, v in groups.items() if len(v) > 1}
        if not dups:
            rows.append(_row(f"T2-DUP-{cohort}", "duplicate_rows", f"{len(block)} rows", f"Table 2, {cohort}",
                             "rows compared on AUC, CI, sensitivity, specificity", REPRODUCED,
                             "no two models share an identical row", _all_numbers(block)))
        for k, models in dups.items():
            rows.append(_row(f"T2-DUP-{cohort}-{'-'.join(models)}", "duplicate_rows",
                             f"{k[0]} ({k[1]}-{k[2]}), {k[3]}, {k[4]}",
                             f"Table 2, {cohort}, rows {' and '.join(models)}",
                             "rows compared on AUC, CI, sensitivity, specificity", NOT_REPRODUCED,
                             f"models {', '.join(models)} have identical {cohort} rows in all five numbers; "
                             "different models giving the same AUC, CI and operating point suggests a copied row",
                             _all_numbers(block[block["model"].isin(models)])))
    return rows


def check_binary_models(paper: Paper, ref: dict) -> list[dict]:
    """A model declared to be one binary Table 1 variable: its sensitivity and specificity are that
    variable's split in Table 1, and its AUC is (sens + spec) / 2."""
    rows = []
    if paper.binary_models is None or paper.table2 is None or paper.table1 is None:
        return rows
    cols = {"training": ("train_epr", "train_non_epr"), "external": ("external_epr", "external_non_epr")}
    for _, m in paper.binary_models.iterrows():
        block = paper.table1[paper.table1["variable"] == m["variable"]]
        pos = block[block["level"] == m["positive_level"]]
        for _, r in paper.table2[paper.table2["model"] == m["model"]].iterrows():
            cohort = r["cohort"]
            cid = f"BINARY-{m['model']}-{cohort}"
            where = f"Table 2, {m['model']}, {cohort}; Table 1, {m['variable']}"
            quoted = f"AUC {r['auc']}, sens {r['sensitivity']}, spec {r['specificity']}"
            numbers = t2_numbers(r, "auc", "sensitivity", "specificity")
            if pos.empty or cohort not in cols:
                rows.append(_row(cid, "binary_score", quoted, where, "", NOT_CHECKABLE,
                                 f"Table 1 has no {m['variable']}={m['positive_level']} row for {cohort}", numbers))
                continue
            e_col, ne_col = cols[cohort]
            n1, n0 = ref[cohort]["events"], ref[cohort]["nonevents"]
            k1 = int(pos[e_col].iloc[0].value)
            k0 = n0 - int(pos[ne_col].iloc[0].value)
            sens, spec = k1 / n1, k0 / n0
            auc = (sens + spec) / 2
            ok = r["sensitivity"].holds(sens) and r["specificity"].holds(spec) and r["auc"].holds(auc)
            ks = k_over_n(r["sensitivity"], n1)
            kp = k_over_n(r["specificity"], n0)
            rows.append(_row(cid, "binary_score", quoted, where,
                             f"{m['variable']}={m['positive_level']}: sens {k1}/{n1} = {sens:.3f}, spec "
                             f"{k0}/{n0} = {spec:.3f}, AUC (sens+spec)/2 = {auc:.3f}", _ok(ok),
                             f"printed sens = {' or '.join(f'{k}/{n1}' for k in ks) or f'no k/{n1}'}, spec = "
                             f"{' or '.join(f'{k}/{n0}' for k in kp) or f'no k/{n0}'}; printed (sens+spec)/2 = "
                             f"{(r['sensitivity'].value + r['specificity'].value) / 2:.4f}"
                             + ("" if ok else f"; the printed operating point is not Table 1's "
                                              f"{m['variable']} split"), numbers))
    return rows
