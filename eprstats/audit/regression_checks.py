"""Checks of Table 3 (the logistic regression): OR = exp(beta), the Wald CI symmetric around log(OR) on
the log scale, P = 2 pnorm(-|beta| / SE) with SE from the CI, and the adjusted OR beside Table 1's crude OR.

Reference: Altman DG, Bland JM (2011) How to obtain the P value from a confidence interval. BMJ 343:d2304.
"""
from __future__ import annotations

import math

from scipy.stats import norm

from .schema import Paper, Printed
from .verdicts import NOT_CHECKABLE, Z975, _ci_text, _ok, _row, number


def t3_numbers(r, *stats) -> list[dict]:
    """The printed numbers of Table 3 row ``r`` named in ``stats`` (absent ones skipped); ``odds_ratio_ci``
    is the OR with its CI."""
    out = []
    for stat in stats:
        column = "odds_ratio" if stat == "odds_ratio_ci" else stat
        ci = (r["or_ci_low"], r["or_ci_high"]) if stat == "odds_ratio_ci" else None
        if r[column] is not None:
            out.append(number("published_table3", column, r[column], row=r["term"], ci=ci))
    return out


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
        rows += _term_rows(r)
    return rows


def _term_rows(r) -> list[dict]:
    """The checks of one Table 3 row: OR against beta, the CI's centre, P against the CI."""
    term, beta, orr, lo, hi, p = (r[c] for c in ("term", "beta", "odds_ratio", "or_ci_low", "or_ci_high", "p"))
    where, rows = f"Table 3, {term}", []
    if orr is None or lo is None or hi is None:
        if beta is not None and p is not None and 0 < p.value < 1:
            se = abs(beta.value) / norm.isf(p.value / 2) if beta.value else float("nan")
            rows.append(_row(f"T3-{term}", "regression_intercept", f"beta {beta}, P {p}", where,
                             f"implied SE = |beta| / qnorm(1 - P/2) = {se:.4f}", NOT_CHECKABLE,
                             "no OR or CI printed: beta and P alone cannot be checked against each other",
                             t3_numbers(r, "beta", "p")))
        return rows
    if min(orr.value, lo.value, hi.value) <= 0:
        return [_row(f"T3-OR-{term}", "regression_or", _ci_text(orr, lo, hi), where, "", NOT_CHECKABLE,
                     "an odds ratio or CI bound printed as 0 or less has no logarithm", t3_numbers(r, "odds_ratio_ci"))]
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
                         + ("" if ok else _shift_hint(beta, *lor)), t3_numbers(r, "odds_ratio", "beta")))
    ok = mid_lo <= lor[1] and lor[0] <= mid_hi
    centre = (math.log(lo.value) + math.log(hi.value)) / 2
    evidence = "a Wald CI is symmetric around log(OR): " + (
        "it is, within rounding" if ok else f"log(OR) = {math.log(orr.value):.4f} is not its centre")
    if beta is not None:
        at_centre = mid_lo - 1e-9 <= beta.value <= mid_hi + 1e-9
        evidence += (f"; beta = {beta.value} {'lies' if at_centre else 'does not lie'} at the centre "
                     f"[{mid_lo:.4f}, {mid_hi:.4f}]")
    rows.append(_row(f"T3-CI-{term}", "regression_ci", quoted, where,
                     f"CI log-midpoint {centre:.4f} -> exp = {math.exp(centre):.4f}", _ok(ok), evidence,
                     t3_numbers(r, "odds_ratio_ci", "beta")))
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
                            + (" (reproduced)" if p.holds(p_or) else "")),
                         t3_numbers(r, "p", "beta", "odds_ratio_ci")))
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
                         if reversed_ else "adjusted and crude ORs are not in contradiction; needs the data",
                         t3_numbers(r, "odds_ratio")))
    return rows
