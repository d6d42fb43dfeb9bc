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
from .registry import COHORT_NAMES, Check  # noqa: F401  (COHORT_NAMES re-exported)
from .schema import TABLE1_GROUPS, Paper, Printed

REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE = "reproduced", "not reproduced", "not checkable"
VERDICTS = (REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE)
#: the usual ratio of a printed AUC CI half-width to 1.96 x the Hanley-McNeil SE (reported in the evidence, not
#: judged: Hanley-McNeil is exact for exponential scores only; the maximum-variance bound decides)
HM_RATIO = (0.7, 1.3)
#: the 97.5% normal quantile exactly as ``scipy.stats.norm.ppf(0.975)`` gives it (R's ``qnorm(0.975)`` is one
#: unit in the last place lower); a literal so that importing the audit does not import scipy
Z975 = 1.959963984540054
RULES = ("textbook", "pearson", "yates", "fisher")


def _row(check_id, kind, quoted, where, recomputed, verdict, evidence, numbers=()) -> Check:
    assert verdict in VERDICTS
    return Check(check_id, kind, str(quoted), where, recomputed, verdict, evidence, list(numbers))


def number(table: str, column: str, value: Printed | None, *, row=None, model=None, cohort=None,
           statistic=None, ci=None) -> dict:
    """One printed number a check judged: the audit file (stem) and column it is in, its row's label, and
    its printed CI (``ci=(low, high)``) when the check reads the two together."""
    return {"table": table, "row": row, "column": column, "model": model, "cohort": cohort,
            "statistic": statistic or column, "value": value, "ci": ci}


def cohort_id(cohort: str, given: dict) -> str:
    """A cohorts.csv row's check id from what it prints, e.g. ``COHORT-external-n=43-events=23-nonevents=20``:
    the same whatever the row's position in the file."""
    return "-".join([f"COHORT-{cohort}", *(f"{k}={v}" for k, v in given.items())])


def claim_id(claim) -> str:
    """A claims.csv row's check id from its quantity and value as printed, e.g.
    ``CLAIM-auc:PVP:training=0.751(0.659-0.839)``, ``CLAIM-percent:LABEL=96.0%(922/960)``."""
    value = claim["value"] if claim["estimate"] is None or isinstance(claim["estimate"], str) else \
        _ci_text(claim["estimate"], claim["ci_low"], claim["ci_high"]).replace(" ", "")
    num, den = claim.get("numerator"), claim.get("denominator")
    frac = f"({num}/{den})" if num is not None and den is not None else ""
    return f"CLAIM-{claim['quantity']}={value}{frac}"


def unique_ids(rows: list[dict]) -> list[dict]:
    """Ids that two rows share (the same claim printed twice, in two places) get ``#2``, ``#3``... in the
    order of the rows' content, so that reordering a file's rows changes no id."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["check_id"], []).append(row)
    for cid, same in groups.items():
        if len(same) > 1:
            same.sort(key=lambda r: (r["where"], r["quoted"], str(r["recomputed"]), r["evidence"]))
            for j, row in enumerate(same[1:], start=2):
                row["check_id"] = f"{cid}#{j}"
    return rows


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
    counts most rows of cohorts.csv agree with (:func:`majority_counts`)."""
    ref = {}
    if paper.table1 is not None:
        for column, (cohort, group) in TABLE1_GROUPS.items():
            sums = paper.table1.groupby("variable", sort=False)[column].agg(lambda s: sum(v.value for v in s))
            value = Counter(sums.astype(int)).most_common(1)[0][0]
            ref.setdefault(cohort, {"source": "Table 1 (column sums)"})[group] = value
    for cohort, block in paper.cohorts.groupby("cohort", sort=True):
        if cohort != "all" and cohort not in ref:
            found = majority_counts(paper, cohort, block)
            if found is not None:
                ref[cohort] = found
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


def sens_spec_possible(paper: Paper, cohort: str, events: int, nonevents: int) -> tuple[int, int]:
    """How many of Table 2's sensitivities and specificities for a cohort are k/n with these counts."""
    if paper.table2 is None:
        return 0, 0
    rows = paper.table2[paper.table2["cohort"] == cohort]
    ok = sum(bool(k_over_n(r["sensitivity"], events)) + bool(k_over_n(r["specificity"], nonevents))
             for _, r in rows.iterrows())
    return ok, 2 * len(rows)


def _given(row) -> dict:
    return {k: int(row[k].value) for k in ("n", "events", "nonevents") if row[k] is not None}


def majority_counts(paper: Paper, cohort: str, block) -> dict | None:
    """A cohort's (events, non-events) without a Table 1: the pair that the most cohorts.csv rows agree
    with (a row agrees when each count it prints is the pair's), so that one wrong printing (a flow chart)
    is one finding against it rather than every check against the other sources. A tie is broken by
    Table 2 (the pair under which more printed sensitivities / specificities are k/n), then by the rows
    that print the pair whole; a tie that remains leaves the cohort without reference counts (its checks
    are not checkable). None without candidates.

    Candidates combine every events and non-events count printed or implied (n - the other) by any row.
    """
    rows = [(r["where"], _given(r)) for _, r in block.iterrows()]
    events = {g["events"] for _, g in rows if "events" in g} | \
        {g["n"] - g["nonevents"] for _, g in rows if "n" in g and "nonevents" in g}
    nonevents = {g["nonevents"] for _, g in rows if "nonevents" in g} | \
        {g["n"] - g["events"] for _, g in rows if "n" in g and "events" in g}
    totals = {g["n"] for _, g in rows if "n" in g}
    pairs = {(e, ne) for e in events for ne in nonevents} | {(e, n - e) for e in events for n in totals} | \
        {(n - ne, ne) for ne in nonevents for n in totals}
    pairs = {(e, ne) for e, ne in pairs if e >= 0 and ne >= 0}
    if not pairs:
        return None

    def agree(pair):
        e, ne = pair
        return [w for w, g in rows if g.get("events", e) == e and g.get("nonevents", ne) == ne
                and g.get("n", e + ne) == e + ne]

    def whole(pair):  # rows printing the pair itself (not only one count of it)
        return sum(len(g) >= 2 and g.get("events", pair[0]) == pair[0] and g.get("n", sum(pair)) == sum(pair)
                   and g.get("nonevents", pair[1]) == pair[1] for _, g in rows)

    score = {p: (len(agree(p)), sens_spec_possible(paper, cohort, *p)[0], whole(p)) for p in pairs}
    best = max(score.values())
    top = [p for p in pairs if score[p] == best]
    if len(top) > 1:
        return None
    pair = top[0]
    runner_up = max((s[0] for p, s in score.items() if p != pair), default=-1)
    source = f"cohorts.csv, the counts {best[0]} of its {len(rows)} {cohort} rows agree with"
    if runner_up == best[0]:
        n2 = sens_spec_possible(paper, cohort, *pair)
        source += (f" (as many agree with other counts; {n2[0]} of Table 2's {n2[1]} sensitivities/"
                   f"specificities are k/n with these; {best[2]} row(s) print them whole)")
    return {"source": source, "events": pair[0], "nonevents": pair[1]}


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
