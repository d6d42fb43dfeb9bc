"""Checks of an estimate printed with its CI: AUCs / C-indices, and ORs, HRs, RRs and betas with their P.

Every input is an interval of the values that print as it (:class:`~eprstats.audit.schema.Printed`).

* AUC / C-index: inside [0, 1] and inside its own CI. The CI's method is inferred from its shape, not
  assumed: symmetric (low + high = 2 AUC up to rounding) is DeLong's or Hanley-McNeil's Wald interval;
  symmetric on the logit scale is the logit interval; otherwise it is an exact (Clopper-Pearson-like) or
  bootstrap interval. An asymmetric CI is a finding only when the paper says its CIs are DeLong's
  (:data:`SYMMETRIC_METHODS`). The width against what the cohort allows: the half-width against 1.96 x
  the maximum-variance bound Var(AUC) <= AUC (1 - AUC) / min(n1, n0) (Birnbaum & Klose 1957; Bamber 1975),
  which no score distribution exceeds; Hanley & McNeil's 1.96 SE is reported beside it as a yardstick, not
  a bound (a narrow or wide CI against it is no evidence of an error).
* OR / HR / RR: a Wald CI is exp(log(est) +/- 1.96 SE), so sqrt(low x high) = est; SE = (log high - log
  low) / (2 x 1.96), z = log(est) / SE, P = 2 Phi(-|z|) (Altman & Bland, BMJ 2011;343:d2304); a P below
  0.05 with a CI that includes 1 (or at least 0.05 with one that excludes it) cannot both hold.
* beta (or any difference): the same on the natural scale, with 0 in place of 1.
"""
from __future__ import annotations

import itertools
import math
import re

from .registry import Check
from .schema import Printed
from .verdicts import HM_RATIO, NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED, Z975

#: stated CI methods whose intervals are symmetric (a stated method is matched by these words, lower case)
SYMMETRIC_METHODS = ("delong", "hanley", "wald", "normal approximation")
#: stated methods whose intervals may be asymmetric
ASYMMETRIC_METHODS = ("bootstrap", "exact", "clopper", "logit", "binomial", "wilson", "percentile")
#: the CI's log-midpoint may differ from log(est) by this share of the CI's log half-width before the CI is
#: called not Wald's: a profile-likelihood CI (R's confint on a glm) is asymmetric by a few percent
LOG_SYMMETRY_SLACK = 0.10
#: the SE read from a CI is taken within this relative slack when P is recomputed from it (Altman & Bland
#: call the method approximate; a profile-likelihood CI gives a slightly different SE)
SE_SLACK = 0.05


def _ok(flag: bool) -> str:
    return REPRODUCED if flag else NOT_REPRODUCED


def _text(est: Printed, lo: Printed | None, hi: Printed | None) -> str:
    return f"{est} ({lo}-{hi})" if lo is not None else str(est)


def _norm_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def stated_method(text: str) -> str:
    """``"delong"`` / ``"bootstrap"`` ... when a caption, footnote or sentence names the CI method, else ``""``."""
    low = (text or "").lower()
    for word in SYMMETRIC_METHODS + ASYMMETRIC_METHODS:
        if word in low:
            return word
    return ""


def ci_method_in(text: str) -> str:
    """The CI method a caption, header or footnote names *for a CI*, else ``""``: only a clause that speaks of
    a CI counts, and "the DeLong test" (comparing two AUCs) is no statement about the intervals."""
    for clause in re.split(r"[.;|\n]", (text or "").lower()):
        if not re.search(r"\bci\b|confidence interval", clause):
            continue
        clause = re.sub(r"delong(?:'s)?\s+(?:test|method for compar\w*)", "", clause)
        said = stated_method(clause)
        if said:
            return said
    return ""


def ci_shape(est: Printed, lo: Printed, hi: Printed) -> str:
    """``symmetric``, ``logit`` (symmetric on the logit scale only), ``asymmetric`` or ``truncated`` (an upper
    bound printed as 1, or a lower one as 0: the interval was cut at the end of [0, 1])."""
    if hi.value >= 1.0 or lo.value <= 0.0:
        return "truncated"
    gap = hi.value + lo.value - 2 * est.value
    if abs(gap) <= hi.half_unit + lo.half_unit + 2 * est.half_unit + 1e-12:
        return "symmetric"

    def logit(x):
        x = min(max(x, 1e-12), 1 - 1e-12)
        return math.log(x / (1 - x))

    (l0, l1), (h0, h1), (e0, e1) = lo.interval, hi.interval, est.interval
    if logit(l0) + logit(h0) <= 2 * logit(e1) and 2 * logit(e0) <= logit(l1) + logit(h1):
        return "logit"
    return "asymmetric"


#: an asymmetric CI is held to a symmetric method when at least this many other CIs of its table are printed
#: and all of them are symmetric (the table's method, inferred from its intervals)
MIN_PEERS = 5
#: with fewer symmetric peers (at least MIN_FEW_PEERS), only a lopsided CI of an AUC up to LOPSIDED_MAX_AUC is
#: held to them: one whose longer side is at least LOPSIDED times its shorter side over every rounding of the
#: printed numbers, and that is not the logit interval either. The usual asymmetric intervals of such an AUC
#: are far less lopsided: the logit interval of 0.716 reaching down to 0.635 reaches up to 0.785 (0.081 below,
#: 0.069 above), and 60 bootstrap CIs of pROC (ci.auc, 500 resamples; AUC 0.57-0.93, 20-80 events, 30-120
#: non-events) had their longer side at most 1.71 times the shorter, at AUC 0.933 (median 1.16). Near 1 the
#: bootstrap and exact intervals are as lopsided as that, so no such rule holds there.
MIN_FEW_PEERS = 2
LOPSIDED = 2.0
LOPSIDED_MAX_AUC = 0.9


def auc_rows(cid: str, where: str, est: Printed, lo: Printed | None, hi: Printed | None, *, method: str = "",
             events: int | None = None, nonevents: int | None = None, counts_from: str = "",
             peers: tuple[int, int] = (0, 0), numbers=()) -> list[Check]:
    """The AUC / C-index checks of one printed estimate (``method``: the CI method the paper states;
    ``peers``: how many other CIs of the table show their shape, and how many of them are symmetric)."""
    quoted, rows = _text(est, lo, hi), []
    inside = 0 <= est.interval[1] and est.interval[0] <= 1
    bad = [] if inside else ["outside [0, 1]"]
    if lo is not None:
        if not lo.overlaps(-math.inf, est.interval[1]) or not hi.overlaps(est.interval[0], math.inf):
            bad.append("outside its own CI")
        if lo.interval[0] > hi.interval[1]:
            bad.append("the CI's lower bound is above its upper bound")
        if lo.value < 0 or hi.value > 1:
            bad.append("a CI bound outside [0, 1]")
    rows.append(Check(f"{cid}-RANGE", "auc_range", quoted, where, "0 <= low <= AUC <= high <= 1", _ok(not bad),
                      "; ".join(bad) or "inside [0, 1] and inside its CI", list(numbers)))
    if lo is None:
        return rows
    shape = ci_shape(est, lo, hi)
    kind = "auc_ci_method"
    if shape == "truncated":
        rows.append(Check(f"{cid}-CIMETHOD", kind, quoted, where, "a bound at 0 or 1", NOT_CHECKABLE,
                          "an interval cut at the end of [0, 1] does not show its method", list(numbers)))
    else:
        named = {"symmetric": "symmetric: a Wald interval (DeLong or Hanley-McNeil)",
                 "logit": "symmetric on the logit scale: a logit interval",
                 "asymmetric": "asymmetric: an exact or bootstrap interval"}[shape]
        all_symmetric = not method and peers[1] == peers[0]
        by_table = all_symmetric and peers[0] >= MIN_PEERS
        by_few = all_symmetric and MIN_FEW_PEERS <= peers[0] < MIN_PEERS and shape == "asymmetric" \
            and est.interval[1] <= LOPSIDED_MAX_AUC and lopsidedness(est, lo, hi) >= LOPSIDED
        wrong = (method in SYMMETRIC_METHODS or by_table or by_few) and shape != "symmetric"
        evidence = (f"half-widths {est.value - lo.value:.3f} below, {hi.value - est.value:.3f} above; "
                    + (f"the paper says {method}, whose interval is AUC +/- 1.96 SE" if wrong and method else
                       f"the paper does not state the method, but the table's other {peers[0]} CIs are all "
                       "symmetric" if by_table else
                       f"the paper does not state the method, but the table's other {peers[0]} CIs are all "
                       f"symmetric and this one is lopsided (its longer side at least {LOPSIDED:g} times the "
                       "shorter over their rounding, and not a logit interval)" if wrong else
                       f"the paper states {method}" if method else "the paper does not state the method"))
        rows.append(Check(f"{cid}-CIMETHOD", kind, quoted, where, named, _ok(not wrong), evidence, list(numbers)))
    if not events or not nonevents:
        rows.append(Check(f"{cid}-CIWIDTH", "auc_ci_width", quoted, where, "", NOT_CHECKABLE,
                          "the cohort's events and non-events are neither printed nor inferable", list(numbers)))
        return rows
    rows.append(auc_width_row(f"{cid}-CIWIDTH", where, est, lo, hi, events, nonevents, counts_from, numbers))
    return rows


def lopsidedness(est: Printed, lo: Printed, hi: Printed) -> float:
    """The CI's longer side over its shorter side, the least over every rounding of the three numbers (1 for
    a CI that some rounding makes symmetric; inf when a side may be 0 and the other not)."""
    (e0, e1), (l0, l1), (h0, h1) = est.interval, lo.interval, hi.interval
    below, above = (max(e0 - l1, 0.0), e1 - l0), (max(h0 - e1, 0.0), h1 - e0)
    if below[0] > above[1]:
        return below[0] / above[1] if above[1] > 0 else math.inf
    if above[0] > below[1]:
        return above[0] / below[1] if below[1] > 0 else math.inf
    return 1.0


def hanley_mcneil_se(auc: float, n1: int, n0: int) -> float:
    q1, q2 = auc / (2 - auc), 2 * auc ** 2 / (1 + auc)
    var = (auc * (1 - auc) + (n1 - 1) * (q1 - auc ** 2) + (n0 - 1) * (q2 - auc ** 2)) / (n1 * n0)
    return math.sqrt(max(var, 0.0))


def max_variance_se(auc: float, n1: int, n0: int) -> float:
    """The largest SE any score distribution gives an AUC: sqrt(A (1 - A) / min(n1, n0))."""
    return math.sqrt(max(auc * (1 - auc), 0.0) / min(n1, n0))


def auc_width_row(cid, where, est: Printed, lo: Printed, hi: Printed, n1: int, n0: int, counts_from: str = "",
                  numbers=()) -> Check:
    """The CI's half-width against the maximum-variance bound (a finding only when wider than any score
    distribution allows with these counts), with Hanley-McNeil's 1.96 SE as a yardstick in the evidence.

    Hanley & McNeil's SE is exact only for exponential scores, not a bound: for binormal scores whose SDs
    differ (ratio 0.5-2) DeLong's SE is 0.34-2.5 times it (AUC 0.55-0.99), so neither a narrow nor a wide
    ratio is evidence of an error; Var(AUC) <= A (1 - A) / min(n1, n0) holds for every distribution.
    """
    truncated = hi.value >= 1.0
    half = (est.value - lo.value) if truncated else (hi.value - lo.value) / 2
    slack = (lo.half_unit + (0 if truncated else hi.half_unit)) / (1 if truncated else 2)
    se_hm, se_max = hanley_mcneil_se(est.value, n1, n0), max_variance_se(est.value, n1, n0)
    ratio = half / (Z975 * se_hm) if se_hm > 0 else math.inf
    too_wide = half - slack > Z975 * se_max
    usual = HM_RATIO[0] <= ratio <= HM_RATIO[1]
    evidence = (f"half-width {half:.4f}; the maximum-variance bound allows at most {Z975 * se_max:.4f}"
                + ("; wider than any score distribution gives with these counts" if too_wide else "")
                + f"; {ratio:.2f} x 1.96 SE_HM ("
                + ("within" if usual else "outside") + f" the usual {HM_RATIO[0]}-{HM_RATIO[1]}; not a bound)")
    return Check(cid, "auc_ci_width", _text(est, lo, hi), where,
                 f"Hanley-McNeil SE={se_hm:.4f}, maximum-variance SE={se_max:.4f} (n1={n1}, n0={n0}"
                 + (f", {counts_from}" if counts_from else "") + ")", _ok(not too_wide), evidence, list(numbers))


# ---------------------------------------------------------------------------------------- ratios and betas
def ratio_rows(cid: str, where: str, role: str, est: Printed, lo: Printed | None, hi: Printed | None,
               p: Printed | None, numbers=()) -> list[Check]:
    """An OR / HR / RR (``role``) or a beta with its CI and P: the CI's symmetry on the log (natural) scale,
    P recomputed from the CI, and P's significance against the CI's including the null value."""
    log = role in ("or", "hr", "rr")
    null = 1.0 if log else 0.0
    name = {"or": "OR", "hr": "HR", "rr": "RR"}.get(role, "beta")
    quoted, rows = _text(est, lo, hi), []
    if lo is None:
        return rows
    if log and min(lo.interval[0], est.interval[0]) <= 0:
        # a bound printed 0.0 is a positive one rounded down (any value below 0.05 prints so): not checkable; only
        # a ratio or bound that no positive value prints as (``-0.2``) is a finding
        impossible = min(lo.interval[1], est.interval[1]) <= 0
        return [Check(f"{cid}-CI", "ratio_ci", quoted, where, "", NOT_REPRODUCED if impossible else NOT_CHECKABLE,
                      f"a ratio and its CI bounds are positive; printed {quoted}", list(numbers))]
    f = math.log if log else (lambda x: x)
    (e0, e1), (l0, l1), (h0, h1) = est.interval, lo.interval, hi.interval
    # the midpoint (log-midpoint) over every printing of the bounds, against every printing of the estimate
    # the floor keeps log() defined where a ratio's bound prints as 0.00; a beta's scale is linear (no floor)
    floor = (lambda x: max(x, 1e-300)) if log else (lambda x: x)
    mids = ((f(floor(l0)) + f(h0)) / 2, (f(l1) + f(h1)) / 2)
    half = (f(hi.value) - f(floor(lo.value))) / 2
    slack = LOG_SYMMETRY_SLACK * abs(half) if log else 0.0
    ok = mids[0] - slack <= f(e1) and f(floor(e0)) <= mids[1] + slack
    centre = (f(lo.value) + f(hi.value)) / 2
    rows.append(Check(f"{cid}-CI", "ratio_ci", quoted, where,
                      (f"CI log-midpoint exp({centre:.4f}) = {math.exp(centre):.4f}" if log
                       else f"CI midpoint {centre:.4f}"), _ok(ok),
                      (f"a Wald CI is {'exp(' if log else ''}estimate +/- 1.96 SE{')' if log else ''}: "
                       f"{'log-' if log else ''}symmetric around the {name}"
                       + (f" (allowing {LOG_SYMMETRY_SLACK:.0%} of the log half-width for a profile-likelihood CI)"
                          if log else "")), list(numbers)))
    if p is None:
        return rows
    p_lo, p_hi = p_from_ci_range(est, lo, hi, log)
    p_text = f"P {'<' if p.below else '>' if p.above else '='} {p.value:g}"
    rows.append(Check(f"{cid}-P", "ratio_p", f"{quoted}, {p_text}", where,
                      f"P from the CI: {p_lo:.4g} to {p_hi:.4g}", _ok(p.overlaps(p_lo, p_hi)),
                      f"SE = ({'log ' if log else ''}high - {'log ' if log else ''}low) / (2 x 1.96), "
                      f"z = {'log ' if log else ''}{name} / SE, P = 2 Phi(-|z|), over the rounding of the printed "
                      f"numbers and SE +/- {SE_SLACK:.0%} (Altman & Bland 2011)", list(numbers)))
    includes = l0 <= null <= h1                    # some printing of the CI includes the null value
    excludes = l1 > null or h0 < null              # some printing excludes it
    says_sig = p.interval[1] <= 0.05
    says_not = p.interval[0] >= 0.05
    clash = (says_sig and not excludes) or (says_not and not includes)
    rows.append(Check(f"{cid}-SIG", "ratio_significance", f"{quoted}, {p_text}", where,
                      f"CI {'includes' if includes and not excludes else 'excludes'} {null:g}", _ok(not clash),
                      (f"P {'< 0.05' if says_sig else '>= 0.05'} but the 95% CI "
                       f"{'includes' if says_sig else 'excludes'} {null:g}" if clash else
                       f"P and the CI agree about {null:g}"), list(numbers)))
    return rows


def p_from_ci_range(est: Printed, lo: Printed, hi: Printed, log: bool) -> tuple[float, float]:
    """The P that the printed estimate and CI allow (every corner of the rounding box, SE +/- SE_SLACK)."""
    f = math.log if log else (lambda x: x)
    ps = []
    for e, a, b in itertools.product(est.interval, lo.interval, hi.interval):
        if b <= a:
            # a bound printed coarser than the estimate (``1.01 (1-1.02)``: the 1 is anything in [0.5, 1.5)) can
            # pass it at a corner of the box; the CI still holds its estimate, so the corner is taken there
            a, b = min(a, e), max(b, e)
        if log and min(e, a, b) <= 0 or b <= a:
            continue
        se = (f(b) - f(a)) / (2 * Z975)
        for s in (se * (1 - SE_SLACK), se * (1 + SE_SLACK)):
            ps.append(_norm_p(f(e) / s))
    lo_e = f(max(est.interval[0], 1e-300)) if log else est.interval[0]
    hi_e = f(est.interval[1])
    if lo_e <= 0 <= hi_e:          # the estimate's interval includes the null: z can be 0
        ps.append(1.0)
    return (min(ps), max(ps)) if ps else (0.0, 1.0)
