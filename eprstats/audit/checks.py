"""The checks a statistical reviewer makes on a paper's printed numbers.

Every check returns rows of the audit table: ``check_id``, ``kind``, ``quoted`` (the number as printed),
``where`` (where it is printed), ``recomputed`` (what the audit computed), ``verdict`` (reproduced /
not reproduced / not checkable) and ``evidence``. A number is *reproduced* when some value that prints as
the quoted text (to its printed precision, e.g. ``0.94`` = [0.935, 0.945]) is consistent with what was
recomputed; every input of a recomputation is itself taken as an interval of the values that print as it.

Formulas
--------
* Table 1: R's ``chisq.test`` (with and without Yates' correction) and ``fisher.test`` on the printed
  counts, under each test rule of :func:`eprstats.characteristics.tests.categorical_test`.
* Sensitivity / specificity: k / n for an integer k, n = the cohort's events / non-events.
* AUC CI: DeLong's interval is AUC +/- 1.96 SE, so ``low + high - 2 AUC`` is zero up to rounding (an
  upper bound printed as 1.000 is truncated and not checked). Its half-width against Hanley & McNeil's
  SE, ``SE^2 = [A(1-A) + (n1-1)(Q1-A^2) + (n0-1)(Q2-A^2)] / (n1 n0)``, Q1 = A/(2-A), Q2 = 2A^2/(1+A),
  must give half-width / (1.96 SE_HM) within :data:`HM_RATIO` (DeLong and Hanley-McNeil SEs differ by
  the unknown score distribution; this tolerance flags only widths that the sample size cannot give).
* ROC point: a ROC curve through (1 - spec, sens) has sens*spec <= AUC <= 1 - (1-sens)(1-spec); a score
  with two distinct values has AUC = (sens + spec) / 2 exactly.
* Regression: OR = exp(beta); Wald CI exp(beta +/- 1.96 SE), so SE = (log high - log low) / (2 * 1.96),
  the CI's log-midpoint is log(OR), and P = 2 * pnorm(-|beta| / SE).
* DeLong test of two correlated AUCs: Var(A1 - A2) = SE1^2 + SE2^2 - 2 r SE1 SE2; without the paired
  data only the correlation r that the printed P implies can be given (it must lie in [-1, 1]).

References: DeLong ER et al. (1988) Biometrics 44:837-845. Hanley JA, McNeil BJ (1982) Radiology
143:29-36. Altman DG, Bland JM (2011) How to obtain the P value from a confidence interval. BMJ 343:d2304.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from scipy.stats import norm

from ..errors import InputError, MissingDependencyError, RError
from .schema import TABLE1_GROUPS, TABLE1_P, Paper, Printed

REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE = "reproduced", "not reproduced", "not checkable"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE)
#: accepted ratio of a printed AUC CI half-width to 1.96 x the Hanley-McNeil SE
HM_RATIO = (0.7, 1.3)
Z975 = float(norm.ppf(0.975))
RULES = ("textbook", "pearson", "yates", "fisher")
COHORT_NAMES = {"training": "training", "external": "external", "between": "between cohorts"}


def _row(check_id, kind, quoted, where, recomputed, verdict, evidence) -> dict:
    assert verdict in VERDICTS
    return {"check_id": check_id, "kind": kind, "quoted": str(quoted), "where": where,
            "recomputed": recomputed, "verdict": verdict, "evidence": evidence}


def _ok(flag: bool) -> str:
    return REPRODUCED if flag else NOT_REPRODUCED


def round_half_up(x: float, decimals: int) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def same_printed(a: Printed, b: Printed) -> bool:
    """Two printings of one number agree when they are equal at the coarser of their precisions."""
    d = min(a.decimals, b.decimals)
    if a.below or a.above or b.below or b.above:   # "P<0.05" holds for any value printed below 0.05
        return a.overlaps(*b.interval)
    return round_half_up(a.value, d) == round_half_up(b.value, d)


def _ci_text(est, lo, hi) -> str:
    return f"{est} ({lo}-{hi})" if lo is not None else str(est)


# --------------------------------------------------------------------------------------------- counts
def reference_counts(paper: Paper) -> dict:
    """Each cohort's events / non-events: Table 1's column sums when there is a Table 1, otherwise the
    first row of cohorts.csv that gives both."""
    ref = {}
    if paper.table1 is not None:
        for column, (cohort, group) in TABLE1_GROUPS.items():
            sums = paper.table1.groupby("variable", sort=False)[column].agg(lambda s: sum(v.value for v in s))
            value = Counter(sums.astype(int)).most_common(1)[0][0]
            ref.setdefault(cohort, {"source": "Table 1 (column sums)"})[group] = value
    for _, row in paper.cohorts.iterrows():
        cohort = row["cohort"]
        if cohort == "all" or cohort in ref:
            continue
        if row["events"] is not None and row["nonevents"] is not None:
            ref[cohort] = {"source": f"cohorts.csv ({row['where']})", "events": int(row["events"].value),
                           "nonevents": int(row["nonevents"].value)}
    for cohort, c in ref.items():
        c["n"] = c["events"] + c["nonevents"]
        empty = [g for g in ("events", "nonevents") if c[g] <= 0]
        if empty:  # every check of the cohort divides by these counts
            table1 = c["source"].startswith("Table 1")
            raise InputError(f"cohort {cohort!r} has {' and '.join(f'0 {g}' for g in empty)} in {c['source']}: "
                             "sensitivities, percentages and AUC CIs cannot be checked against an empty group",
                             "check the transcription (a cohort of a diagnostic study has events and non-events)",
                             file="published_table1.csv" if table1 else "cohorts.csv", cohort=cohort)
    if ref:
        ref["all"] = {"source": "sum of the cohorts", "events": sum(c["events"] for c in ref.values()),
                      "nonevents": sum(c["nonevents"] for c in ref.values())}
        ref["all"]["n"] = ref["all"]["events"] + ref["all"]["nonevents"]
    return ref


def k_over_n(printed: Printed, n: int, scale: float = 1.0) -> list[int]:
    """The integers k with k / n (times ``scale``, e.g. 100 for a percentage) printing as ``printed``."""
    if n <= 0:
        return []
    return [k for k in range(n + 1) if printed.holds(scale * k / n)]


def _nearest(printed: Printed, n: int, scale=1.0, fmt="{:.4f}") -> str:
    if n <= 0:
        return "none: the group has no patients"
    k = int(math.floor(printed.value / scale * n))
    parts = [f"{j}/{n} = {fmt.format(scale * j / n)}" for j in (k, k + 1) if 0 <= j <= n]
    return ", ".join(parts)


def _sens_spec_possible(paper: Paper, cohort: str, events: int, nonevents: int) -> tuple[int, int]:
    """How many of Table 2's sensitivities and specificities for a cohort are k/n with these counts."""
    if paper.table2 is None:
        return 0, 0
    rows = paper.table2[paper.table2["cohort"] == cohort]
    ok = sum(bool(k_over_n(r["sensitivity"], events)) + bool(k_over_n(r["specificity"], nonevents))
             for _, r in rows.iterrows())
    return ok, 2 * len(rows)


def check_cohort_counts(paper: Paper, ref: dict) -> list[dict]:
    rows = []
    if paper.table1 is not None:
        for column, (cohort, group) in TABLE1_GROUPS.items():
            sums = paper.table1.groupby("variable", sort=False)[column].agg(
                lambda s: int(sum(v.value for v in s)))
            odd = {v: s for v, s in sums.items() if s != ref[cohort][group]}
            rows.append(_row(f"T1-N-{column}", "cohort_counts", ref[cohort][group], f"Table 1, column {column}",
                             f"level counts summed per variable: {sorted(set(sums))}", _ok(not odd),
                             "every variable's levels sum to the same group size" if not odd else
                             f"variables summing to another size: {odd} (missing values, or a transcription "
                             "error)"))
    for i, row in paper.cohorts.iterrows():
        cohort = row["cohort"]
        given = {k: int(row[k].value) for k in ("n", "events", "nonevents") if row[k] is not None}
        quoted = ", ".join(f"{k}={v}" for k, v in given.items())
        cid = f"COHORT-{i + 1}-{cohort}"
        if cohort not in ref:
            rows.append(_row(cid, "cohort_counts", quoted, row["where"], "no reference counts for this cohort",
                             NOT_CHECKABLE, f"cohort {cohort!r} has no Table 1 columns and no row with both "
                             "events and non-events"))
            continue
        r = ref[cohort]
        bad = {k: v for k, v in given.items() if v != r[k]}
        internal = ("n" in given and "events" in given and "nonevents" in given
                    and given["n"] != given["events"] + given["nonevents"])
        evidence = []
        if internal:
            evidence.append(f"n={given['n']} but events + non-events = {given['events'] + given['nonevents']}")
        if bad:
            evidence.append("differs from the reference in " + ", ".join(
                f"{k} ({v} vs {r[k]})" for k, v in bad.items()))
            if "events" in given and "nonevents" in given and cohort != "all":
                mine = _sens_spec_possible(paper, cohort, given["events"], given["nonevents"])
                theirs = _sens_spec_possible(paper, cohort, r["events"], r["nonevents"])
                if theirs[1]:
                    evidence.append(
                        f"Table 2's {cohort} sensitivities/specificities possible as k/n: {mine[0]} of "
                        f"{mine[1]} with {given['events']} events / {given['nonevents']} non-events, "
                        f"{theirs[0]} of {theirs[1]} with the reference {r['events']} / {r['nonevents']}")
        rows.append(_row(cid, "cohort_counts", quoted, row["where"],
                         f"{r['source']}: n={r['n']}, events={r['events']}, nonevents={r['nonevents']}",
                         _ok(not bad and not internal), "; ".join(evidence) or "agrees with the reference"))
    return rows


# ---------------------------------------------------------------------------------------------- Table 1
def _table1_tests(matrix, cache) -> dict:
    from ..characteristics.tests import categorical_test  # R, lazily: the audit's other checks need none

    key = tuple(map(tuple, matrix))
    if key not in cache:
        out = {}
        for rule in RULES:
            try:
                out[rule] = categorical_test(matrix, rule)
            except RError as exc:  # e.g. a single non-empty level: no test possible
                out[rule] = {"error": exc.r_message}
            except MissingDependencyError as exc:  # no R here: the other checks still run
                out[rule] = {"error": f"R is needed for this test: {exc.message}"}
        cache[key] = out
    return cache[key]


def table1_matrices(block) -> dict:
    """The contingency tables behind one variable's three p-values (rows = levels)."""
    c = {col: [int(v.value) for v in block[col]] for col in TABLE1_GROUPS}
    return {
        "training": [[a, b] for a, b in zip(c["train_non_epr"], c["train_epr"])],
        "external": [[a, b] for a, b in zip(c["external_non_epr"], c["external_epr"])],
        "between cohorts": [[a + b, x + y] for a, b, x, y in zip(c["train_non_epr"], c["train_epr"],
                                                                 c["external_non_epr"], c["external_epr"])],
    }


def check_table1(paper: Paper) -> list[dict]:
    if paper.table1 is None:
        return []
    rows, cache, per_rule, n_checked = [], {}, Counter(), 0
    for variable, block in paper.table1.groupby("variable", sort=False):
        matrices = table1_matrices(block)
        for pcol, comparison in TABLE1_P.items():
            printed = next((v for v in block[pcol] if v is not None), None)
            if printed is None:
                continue
            tests = _table1_tests(matrices[comparison], cache)
            cid = f"T1-P-{variable}-{comparison.split()[0]}"
            where = f"Table 1, {variable}, P ({comparison})"
            if "error" in tests["textbook"]:
                rows.append(_row(cid, "table1_p", printed, where, "no test possible", NOT_CHECKABLE,
                                 tests["textbook"]["error"]))
                continue
            n_checked += 1
            good = [r for r in RULES if "p" in tests[r] and printed.holds(tests[r]["p"])]
            per_rule.update(good)
            tb = tests["textbook"]
            parts = [f"{r}{' (' + tests[r]['test'] + ')' if r == 'textbook' else ''} p={tests[r]['p']:.4f}"
                     for r in RULES if "p" in tests[r]]
            evidence = (f"reproduced by: {', '.join(good) or 'no rule'}; " + "; ".join(parts)
                        + f"; n={int(tb['n'])}, smallest expected count {tb['min_expected']:.2f}")
            rows.append(_row(cid, "table1_p", printed, where, f"textbook rule -> {tb['test']}: p={tb['p']:.4f}",
                             _ok(bool(good)), evidence))
    if n_checked:
        full = [r for r in RULES if per_rule[r] == n_checked]
        rows.append(_row("T1-RULE", "table1_p", f"{n_checked} p-values", "Table 1",
                         "p-values reproduced per rule: " + ", ".join(f"{r} {per_rule[r]}/{n_checked}"
                                                                       for r in RULES),
                         _ok(bool(full)),
                         (f"one rule reproduces every printed p-value: {', '.join(full)}" if full else
                          "no single test rule reproduces every printed p-value")))
    return rows


def check_table1_percent(paper: Paper, ref: dict) -> list[dict]:
    """Table 1's column percentages: count / group size, to printed precision (one row per variable)."""
    rows = []
    if paper.table1_percent is None or paper.table1 is None:
        return rows
    counts = {(r["variable"], r["level"]): r for _, r in paper.table1.iterrows()}
    for variable, block in paper.table1_percent.groupby("variable", sort=False):
        bad, shown, missing, empty = [], [], [], []
        for _, r in block.iterrows():
            c = counts.get((variable, r["level"]))
            if c is None:
                missing.append(r["level"])
                continue
            for column, (cohort, group) in TABLE1_GROUPS.items():
                printed, k, n = r[column], int(c[column].value), ref[cohort][group]
                shown.append(printed.text)
                if n <= 0:  # no patients in the group: a percentage of it is not defined
                    empty.append(column)
                    continue
                if not printed.holds(100 * k / n):
                    bad.append(f"{variable}={r['level']} {column}: {printed} but {k}/{n} = {100 * k / n:.2f}%")
        sizes = "/".join(str(ref[co][g]) for co, g in TABLE1_GROUPS.values())
        if missing or empty:
            why = (f"levels {missing} have no counts in published_table1.csv" if missing else
                   f"column(s) {sorted(set(empty))} have a group size of 0")
            rows.append(_row(f"T1-PCT-{variable}", "table1_percent", ", ".join(shown), f"Table 1, {variable}",
                             "", NOT_CHECKABLE, why))
            continue
        rows.append(_row(f"T1-PCT-{variable}", "table1_percent", ", ".join(shown), f"Table 1, {variable}",
                         f"count / column size ({sizes})", _ok(not bad),
                         "; ".join(bad) if bad else f"all {len(shown)} percentages are count / column size"))
    return rows


# ---------------------------------------------------------------------------------------------- Table 2
def hanley_mcneil_se(auc: float, n_events: int, n_nonevents: int) -> float:
    """Hanley & McNeil (1982) standard error of an AUC."""
    q1, q2 = auc / (2 - auc), 2 * auc ** 2 / (1 + auc)
    var = (auc * (1 - auc) + (n_events - 1) * (q1 - auc ** 2) + (n_nonevents - 1) * (q2 - auc ** 2)) \
        / (n_events * n_nonevents)
    return math.sqrt(max(var, 0.0))


def check_sens_spec(paper: Paper, ref: dict) -> list[dict]:
    rows = []
    if paper.table2 is None:
        return rows
    for _, r in paper.table2.iterrows():
        model, cohort = r["model"], r["cohort"]
        for what, group in (("sensitivity", "events"), ("specificity", "nonevents")):
            printed = r[what]
            cid = f"T2-{what[:4].upper()}-{model}-{cohort}"
            where = f"Table 2, {model}, {cohort}, {what}"
            if cohort not in ref:
                rows.append(_row(cid, "sens_spec", printed, where, "", NOT_CHECKABLE,
                                 f"no {group} count for cohort {cohort!r}"))
                continue
            n = ref[cohort][group]
            ks = k_over_n(printed, n)
            rows.append(_row(cid, "sens_spec", printed, where, f"k/{n} ({group} of {cohort})", _ok(bool(ks)),
                             ", ".join(f"{k}/{n} = {k / n:.4f}" for k in ks) if ks else
                             f"no k/{n} prints as {printed}; nearest {_nearest(printed, n)}"))
    return rows


def _truncated(hi: Printed) -> bool:
    return hi.value >= 1.0


def check_auc_ci(paper: Paper, ref: dict) -> list[dict]:
    rows = []
    if paper.table2 is None:
        return rows
    for _, r in paper.table2.iterrows():
        model, cohort = r["model"], r["cohort"]
        auc, lo, hi = r["auc"], r["auc_ci_low"], r["auc_ci_high"]
        quoted, where = _ci_text(auc, lo, hi), f"Table 2, {model}, {cohort}, AUC (95% CI)"
        rows.append(symmetry_row(f"T2-CISYM-{model}-{cohort}", quoted, where, auc, lo, hi))
        cid = f"T2-CIWIDTH-{model}-{cohort}"
        if cohort not in ref:
            rows.append(_row(cid, "auc_ci_width", quoted, where, "", NOT_CHECKABLE, f"no counts for {cohort!r}"))
            continue
        n1, n0 = ref[cohort]["events"], ref[cohort]["nonevents"]
        match = binary_ci_match(r, ref)
        if match is not None and match[1] is not None:
            # Hanley-McNeil assumes a continuous score; a two-valued one is checked exactly instead.
            rows.append(_row(cid, "auc_ci_width", quoted, where, f"see T2-CIBIN-{model}-{cohort}", REPRODUCED,
                             "the CI is exactly a two-valued score's DeLong CI (Hanley-McNeil does not apply)"))
            continue
        se = hanley_mcneil_se(auc.value, n1, n0)
        half = (auc.value - lo.value) if _truncated(hi) else (hi.value - lo.value) / 2
        ratio = half / (Z975 * se) if se > 0 else math.inf
        rows.append(_row(cid, "auc_ci_width", quoted, where,
                         f"Hanley-McNeil SE={se:.4f} (n1={n1}, n0={n0}); 1.96 SE={Z975 * se:.4f}",
                         _ok(HM_RATIO[0] <= ratio <= HM_RATIO[1]),
                         f"printed half-width {half:.4f} = {ratio:.2f} x 1.96 SE_HM "
                         f"(accepted {HM_RATIO[0]}-{HM_RATIO[1]})"))
    return rows


def symmetry_row(cid, quoted, where, auc: Printed, lo: Printed, hi: Printed, kind="auc_ci_symmetry") -> dict:
    if _truncated(hi):
        return _row(cid, kind, quoted, where, "upper bound truncated at 1", NOT_CHECKABLE,
                    "a DeLong interval truncated at 1 is not symmetric; the lower half-width alone is printed")
    gap = hi.value + lo.value - 2 * auc.value
    tol = hi.half_unit + lo.half_unit + 2 * auc.half_unit + 1e-12
    ok = abs(gap) <= tol
    return _row(cid, kind, quoted, where,
                f"low + high - 2 AUC = {gap:+.4f}; CI midpoint {(lo.value + hi.value) / 2:.4f}", _ok(ok),
                f"half-widths {auc.value - lo.value:.3f} below, {hi.value - auc.value:.3f} above; rounding "
                f"allows |low + high - 2 AUC| <= {tol:.4f}" + ("" if ok else "; a DeLong CI is symmetric"))


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
                         "curve through the printed operating point can have (over the rounding of sens and spec)"))
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
                         "DeLong CI of a two-valued score: " + ("; ".join(tried) or "no k/n"), verdict, evidence))
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
                         "the printed 'Youden' point, or a number is wrong"))
    return rows


def check_duplicate_rows(paper: Paper) -> list[dict]:
    rows = []
    if paper.table2 is None:
        return rows
    cols = ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")
    for cohort, block in paper.table2.groupby("cohort", sort=False):
        groups = defaultdict(list)
        for _, r in block.iterrows():
            groups[tuple(r[c].text for c in cols)].append(r["model"])
        dups = {k: v for k, v in groups.items() if len(v) > 1}
        if not dups:
            rows.append(_row(f"T2-DUP-{cohort}", "duplicate_rows", f"{len(block)} rows", f"Table 2, {cohort}",
                             "rows compared on AUC, CI, sensitivity, specificity", REPRODUCED,
                             "no two models share an identical row"))
        for k, models in dups.items():
            rows.append(_row(f"T2-DUP-{cohort}-{'-'.join(models)}", "duplicate_rows",
                             f"{k[0]} ({k[1]}-{k[2]}), {k[3]}, {k[4]}",
                             f"Table 2, {cohort}, rows {' and '.join(models)}",
                             "rows compared on AUC, CI, sensitivity, specificity", NOT_REPRODUCED,
                             f"models {', '.join(models)} have identical {cohort} rows in all five numbers; "
                             "different models giving the same AUC, CI and operating point suggests a copied row"))
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
            if pos.empty or cohort not in cols:
                rows.append(_row(cid, "binary_score", quoted, where, "", NOT_CHECKABLE,
                                 f"Table 1 has no {m['variable']}={m['positive_level']} row for {cohort}"))
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
                                              f"{m['variable']} split")))
    return rows


# ---------------------------------------------------------------------------------------------- Table 3
def _log_interval(p: Printed) -> tuple[float, float]:
    a, b = p.interval
    return math.log(max(a, 1e-300)), math.log(b)


def _p_range(beta_lo, beta_hi, se_lo, se_hi) -> tuple[float, float]:
    """Wald P over every beta and SE in their intervals."""
    bmin = 0.0 if beta_lo <= 0 <= beta_hi else min(abs(beta_lo), abs(beta_hi))
    bmax = max(abs(beta_lo), abs(beta_hi))
    return 2 * norm.sf(bmax / se_lo), 2 * norm.sf(bmin / se_hi)


def _shift_hint(beta: Printed, target_lo: float, target_hi: float) -> str:
    for factor, word in ((10, "x 10"), (0.1, "/ 10"), (100, "x 100"), (0.01, "/ 100")):
        if target_lo <= beta.value * factor <= target_hi:
            return f"; beta {word} = {beta.value * factor:.5g} would fit (a shifted decimal point?)"
    return ""


def check_regression(paper: Paper) -> list[dict]:
    rows = []
    if paper.table3 is None:
        return rows
    for _, r in paper.table3.iterrows():
        term, beta, orr, lo, hi, p = (r[c] for c in ("term", "beta", "odds_ratio", "or_ci_low", "or_ci_high", "p"))
        where = f"Table 3, {term}"
        if orr is None or lo is None or hi is None:
            if beta is not None and p is not None and 0 < p.value < 1:
                se = abs(beta.value) / norm.isf(p.value / 2) if beta.value else float("nan")
                rows.append(_row(f"T3-{term}", "regression_intercept", f"beta {beta}, P {p}", where,
                                 f"implied SE = |beta| / qnorm(1 - P/2) = {se:.4f}", NOT_CHECKABLE,
                                 "no OR or CI printed: beta and P alone cannot be checked against each other"))
            continue
        if min(orr.value, lo.value, hi.value) <= 0:
            rows.append(_row(f"T3-OR-{term}", "regression_or", _ci_text(orr, lo, hi), where, "", NOT_CHECKABLE,
                             "an odds ratio or CI bound printed as 0 or less has no logarithm"))
            continue
        b_lo, b_hi = beta.interval if beta is not None else (math.nan, math.nan)
        llo, lhi = _log_interval(lo), _log_interval(hi)
        se_lo, se_hi = (lhi[0] - llo[1]) / (2 * Z975), (lhi[1] - llo[0]) / (2 * Z975)
        lor = _log_interval(orr)
        mid_lo, mid_hi = (llo[0] + lhi[0]) / 2, (llo[1] + lhi[1]) / 2
        quoted = _ci_text(orr, lo, hi)
        if beta is not None:
            ok = orr.overlaps(math.exp(b_lo), math.exp(b_hi))
            rows.append(_row(f"T3-OR-{term}", "regression_or", f"OR {orr} (beta {beta})", where,
                             f"exp(beta) = {math.exp(beta.value):.4f}", _ok(ok),
                             f"log(OR) = {math.log(orr.value):.4f} vs beta = {beta.value}"
                             + ("" if ok else _shift_hint(beta, *lor))))
        ok = mid_lo <= lor[1] and lor[0] <= mid_hi
        centre = (math.log(lo.value) + math.log(hi.value)) / 2
        evidence = "a Wald CI is symmetric around log(OR): " + (
            "it is, within rounding" if ok else f"log(OR) = {math.log(orr.value):.4f} is not its centre")
        if beta is not None:
            at_centre = mid_lo - 1e-9 <= beta.value <= mid_hi + 1e-9
            evidence += (f"; beta = {beta.value} {'lies' if at_centre else 'does not lie'} at the centre "
                         f"[{mid_lo:.4f}, {mid_hi:.4f}]")
        rows.append(_row(f"T3-CI-{term}", "regression_ci", quoted, where,
                         f"CI log-midpoint {centre:.4f} -> exp = {math.exp(centre):.4f}", _ok(ok), evidence))
        if p is not None:
            src_lo, src_hi = (b_lo, b_hi) if beta is not None else lor
            p_lo, p_hi = _p_range(src_lo, src_hi, se_lo, se_hi)
            ok = p.overlaps(p_lo, p_hi)
            se_mid = (math.log(hi.value) - math.log(lo.value)) / (2 * Z975)
            b = beta.value if beta is not None else math.log(orr.value)
            p_or = 2 * norm.sf(abs(math.log(orr.value)) / se_mid)
            rows.append(_row(f"T3-P-{term}", "regression_p", f"P {p}", where,
                             f"SE from CI = {se_mid:.4f}; z = {'beta' if beta is not None else 'log(OR)'}/SE = "
                             f"{b / se_mid:.3f}; P = 2 pnorm(-|z|) = {2 * norm.sf(abs(b) / se_mid):.4f}",
                             _ok(ok), f"P over the rounding of the printed numbers: [{p_lo:.5g}, {p_hi:.5g}]"
                             + ("" if ok else f"; with log(OR) instead of beta P = {p_or:.4f}"
                                + (" (reproduced)" if p.holds(p_or) else ""))))
    return rows


def check_crude_or(paper: Paper) -> list[dict]:
    """A Table 3 term that is a two-level Table 1 variable: its adjusted OR beside the crude OR that
    Table 1's training counts give (Woolf's CI). Not checkable either way: adjustment may move an OR."""
    rows = []
    if paper.table3 is None or paper.table1 is None:
        return rows
    for _, r in paper.table3.iterrows():
        block = paper.table1[paper.table1["variable"] == r["term"]]
        if len(block) != 2 or r["odds_ratio"] is None:
            continue
        (a, b), (c, d) = ([int(x["train_non_epr"].value), int(x["train_epr"].value)] for _, x in block.iterrows())
        if min(a, b, c, d) == 0:
            continue
        crude = (d * a) / (c * b)
        se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        lo, hi = math.exp(math.log(crude) - Z975 * se), math.exp(math.log(crude) + Z975 * se)
        adj = r["odds_ratio"]
        reversed_ = (crude > 1) != (adj.value > 1) and (lo > 1 or hi < 1)
        rows.append(_row(f"T3-CRUDE-{r['term']}", "regression_crude", f"OR {adj}", f"Table 3, {r['term']}",
                         f"crude OR from Table 1 (training, level {block.iloc[1]['level']} vs "
                         f"{block.iloc[0]['level']}) = {crude:.3f} ({lo:.3f}-{hi:.3f})", NOT_CHECKABLE,
                         ("the adjusted OR points the other way from a crude OR whose CI excludes 1: possible "
                          "only through a strong association with the other predictors; needs the data")
                         if reversed_ else "adjusted and crude ORs are not in contradiction; needs the data"))
    return rows


# ----------------------------------------------------------------------------------------------- claims
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


def _reference(paper: Paper, kind: str, parts: list[str], ref: dict):
    """(estimate, low, high, where) of the table value a claim repeats, or None."""
    if kind in ("auc", "sensitivity", "specificity") and paper.table2 is not None:
        model, cohort = parts
        hit = paper.table2[(paper.table2["model"] == model) & (paper.table2["cohort"] == cohort)]
        if hit.empty:
            return None
        r = hit.iloc[0]
        if kind == "auc":
            return r["auc"], r["auc_ci_low"], r["auc_ci_high"], f"Table 2 {model} {cohort}"
        return r[kind], None, None, f"Table 2 {model} {cohort} {kind}"
    if kind in ("or", "beta", "p") and paper.table3 is not None:
        hit = paper.table3[paper.table3["term"] == parts[0]]
        if hit.empty:
            return None
        r = hit.iloc[0]
        if kind == "or":
            return r["odds_ratio"], r["or_ci_low"], r["or_ci_high"], f"Table 3 {parts[0]} OR"
        return r[kind], None, None, f"Table 3 {parts[0]} {kind}"
    if kind == "p_table1" and paper.table1 is not None:
        variable, cohort = parts
        column = {"training": "p_train", "external": "p_external", "between": "p_between_cohorts"}.get(cohort)
        block = paper.table1[paper.table1["variable"] == variable]
        if column is None or block.empty:
            return None
        p = next((v for v in block[column] if v is not None), None)
        return (p, None, None, f"Table 1 {variable} P ({COHORT_NAMES[cohort]})") if p is not None else None
    return None


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
    import re

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
                f"{va} {relation} {vb} is {'true' if ok else 'false'}")


def check_claims(paper: Paper, ref: dict) -> list[dict]:
    if paper.claims is None:
        return []
    rows, first_seen = [], {}
    for i, c in paper.claims.iterrows():
        kind, *parts = c["quantity"].split(":")
        cid = f"CLAIM-{i + 1}-{c['quantity']}"
        est, lo, hi = c["estimate"], c["ci_low"], c["ci_high"]
        quoted = _ci_text(est, lo, hi)
        where = c["where"]
        if kind == "event_rate":
            cohort = parts[0]
            if cohort not in ref:
                rows.append(_row(cid, "percent", quoted, where, "", NOT_CHECKABLE, f"no counts for {cohort!r}"))
            else:
                rows.append(check_percent(cid, where, est, ref[cohort]["events"], ref[cohort]["n"], paper, ref))
            continue
        if kind == "percent":
            num, den = c["numerator"], c["denominator"]
            rows.append(check_percent(cid, where, est, int(num.value) if num is not None else None,
                                      int(den.value) if den is not None else None, paper, ref))
            continue
        if kind == "delong_p":
            rows.append(check_delong(cid, where, est, parts, paper))
            continue
        if kind == "order":
            rows.append(check_order(cid, where, est, parts, paper))
            continue
        if kind == "radiomics_features":
            rows.append(check_radiomics_count(cid, where, est, parts[0]))
            continue
        reference = _reference(paper, kind, parts, ref)
        if reference is None or reference[0] is None:
            # no table prints it: its first appearance is the reference of its repeats
            key = c["quantity"]
            if key in first_seen:
                reference = first_seen[key]
            else:
                first_seen[key] = (est, lo, hi, where)
                if (paper.claims["quantity"] == key).sum() == 1:
                    rows.append(_row(cid, "claim", quoted, where, "", NOT_CHECKABLE,
                                     "printed once and not derivable from the printed tables"))
                continue
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
        rows.append(_row(cid, "claim", quoted, where, f"{r_where}: {_ci_text(r_est, r_lo, r_hi)}", _ok(ok),
                         evidence))
    return rows


def run_checks(paper: Paper) -> list[dict]:
    """All checks, in the order of a paper: counts, Table 1, Table 2, Table 3, the text's claims."""
    ref = reference_counts(paper)
    rows = []
    rows += check_cohort_counts(paper, ref)
    rows += check_table1(paper)
    rows += check_table1_percent(paper, ref)
    rows += check_sens_spec(paper, ref)
    rows += check_auc_ci(paper, ref)
    rows += check_roc_point(paper)
    rows += check_youden_bound(paper)
    rows += check_binary_ci(paper, ref)
    rows += check_binary_models(paper, ref)
    rows += check_duplicate_rows(paper)
    rows += check_regression(paper)
    rows += check_crude_or(paper)
    rows += check_claims(paper, ref)
    return rows
