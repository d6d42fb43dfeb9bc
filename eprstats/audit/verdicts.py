"""What every audit check shares: the verdicts, one row of the audit table, printed-precision comparisons
and the reference counts of each cohort.

A check's row also carries, under ``numbers`` (not a column of the audit table), the printed numbers it
judged, with where they are printed: :meth:`eprstats.audit.AuditResult.tidy` lists them one row each.
"""
from __future__ import annotations

import math
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from ..errors import InputError
from .schema import TABLE1_GROUPS, Paper, Printed

REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE = "reproduced", "not reproduced", "not checkable"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE)
#: accepted ratio of a printed AUC CI half-width to 1.96 x the Hanley-McNeil SE
HM_RATIO = (0.7, 1.3)
#: the 97.5% normal quantile exactly as ``scipy.stats.norm.ppf(0.975)`` gives it (R's ``qnorm(0.975)`` is one
#: unit in the last place lower); a literal so that importing the audit does not import scipy
Z975 = 1.959963984540054
RULES = ("textbook", "pearson", "yates", "fisher")
COHORT_NAMES = {"training": "training", "external": "external", "between": "between cohorts"}


def _row(check_id, kind, quoted, where, recomputed, verdict, evidence, numbers=()) -> dict:
    assert verdict in VERDICTS
    return {"check_id": check_id, "kind": kind, "quoted": str(quoted), "where": where,
            "recomputed": recomputed, "verdict": verdict, "evidence": evidence, "numbers": list(numbers)}


def number(table: str, column: str, value: Printed | None, *, row=None, model=None, cohort=None,
           statistic=None, ci=None) -> dict:
    """One printed number a check judged: the audit file (stem) and column it is in, its row's label, and
    its printed CI (``ci=(low, high)``) when the check reads the two together."""
    return {"table": table, "row": row, "column": column, "model": model, "cohort": cohort,
            "statistic": statistic or column, "value": value, "ci": ci}


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
