"""P-values of Table 1's mean (SD) rows from the printed summary statistics alone: Student's and Welch's t
(two groups), one-way ANOVA and Welch's ANOVA (more), and their range over every value that prints as the
printed means and SDs.

From n_i, m_i, s_i per group (N = sum n_i, k groups), as R's ``t.test`` and ``oneway.test`` compute them from
the data:

* Student: sp^2 = sum (n_i - 1) s_i^2 / (N - 2), t = (m_1 - m_2) / sqrt(sp^2 (1/n_1 + 1/n_2)), df = N - 2.
* Welch: a_i = s_i^2 / n_i, t = (m_1 - m_2) / sqrt(a_1 + a_2), df = (a_1 + a_2)^2 / sum a_i^2 / (n_i - 1).
* ANOVA: F = [sum n_i (m_i - M)^2 / (k - 1)] / [sum (n_i - 1) s_i^2 / (N - k)], M = sum n_i m_i / N.
* Welch's ANOVA: w_i = n_i / s_i^2, W = sum w_i, M_w = sum w_i m_i / W, h = sum (1 - w_i/W)^2 / (n_i - 1),
  F = [sum w_i (m_i - M_w)^2 / (k - 1)] / [1 + 2 (k - 2) h / (k^2 - 1)], df = (k - 1, (k^2 - 1) / (3 h)).
* Groups pooled into one (a cohort from its outcome groups): M = sum n_i m_i / N,
  S^2 = [sum (n_i - 1) s_i^2 + sum n_i (m_i - M)^2] / (N - 1).

**Printed precision.** A mean printed as 55.2 is any value in [55.15, 55.25]; each statistic above is
bounded over that box exactly: the difference of means and the spread are monotone in their own inputs, a
weighted sum of squares of means is largest at a corner of the box and smallest at the point nearest to
equal means, and a t (F) tail probability falls as |t| (F) and the degrees of freedom grow. Welch's ANOVA
is evaluated at every corner of the SDs' box (exact in the means).

References: Welch BL (1947) Biometrika 34:28-35; Welch BL (1951) Biometrika 38:330-336.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from scipy.stats import f as fdist, t as tdist

#: above this many groups the corners of the box are too many to enumerate
MAX_GROUPS = 10


@dataclass(frozen=True)
class Arm:
    """One group of a comparison: its size and the intervals of its mean and SD (equal ends: exact)."""

    n: int
    mean_lo: float
    mean_hi: float
    sd_lo: float
    sd_hi: float

    @property
    def mean(self) -> float:
        return (self.mean_lo + self.mean_hi) / 2

    @property
    def sd(self) -> float:
        return (self.sd_lo + self.sd_hi) / 2


def exact(n, mean, sd) -> Arm:
    return Arm(int(n), float(mean), float(mean), float(sd), float(sd))


def _t_p(t: float, df: float) -> float:
    return float(2 * tdist.sf(abs(t), df)) if math.isfinite(t) else 0.0


def _f_p(f: float, df1: float, df2: float) -> float:
    return float(fdist.sf(f, df1, df2)) if math.isfinite(f) else 0.0


# ------------------------------------------------------------------------------ point values
def t_test(arms, equal_var: bool) -> dict:
    """Student's (``equal_var``) or Welch's two-sample t from two exact arms: t, df, p (two-sided)."""
    a, b = arms
    if equal_var:
        df = a.n + b.n - 2
        se = math.sqrt(((a.n - 1) * a.sd ** 2 + (b.n - 1) * b.sd ** 2) / df * (1 / a.n + 1 / b.n))
    else:
        va, vb = a.sd ** 2 / a.n, b.sd ** 2 / b.n
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
    t = (a.mean - b.mean) / se
    return {"t": t, "df": df, "p": _t_p(t, df)}


def oneway(arms, equal_var: bool) -> dict:
    """One-way ANOVA (``equal_var``) or Welch's ANOVA from exact arms: F, df1, df2, p."""
    k, big_n = len(arms), sum(a.n for a in arms)
    if equal_var:
        grand = sum(a.n * a.mean for a in arms) / big_n
        ssb = sum(a.n * (a.mean - grand) ** 2 for a in arms)
        ssw = sum((a.n - 1) * a.sd ** 2 for a in arms)
        f, df2 = (ssb / (k - 1)) / (ssw / (big_n - k)), big_n - k
    else:
        w = [a.n / a.sd ** 2 for a in arms]
        f, df2 = _welch_f(w, [a.mean for a in arms], [a.n for a in arms])
    return {"F": f, "df1": k - 1, "df2": df2, "p": _f_p(f, k - 1, df2)}


def _welch_f(w, means, ns) -> tuple[float, float]:
    k, total = len(w), sum(w)
    centre = sum(wi * m for wi, m in zip(w, means)) / total
    h = sum((1 - wi / total) ** 2 / (n - 1) for wi, n in zip(w, ns))
    between = sum(wi * (m - centre) ** 2 for wi, m in zip(w, means)) / (k - 1)
    return between / (1 + 2 * (k - 2) * h / (k ** 2 - 1)), (k ** 2 - 1) / (3 * h)


def pool(arms) -> Arm:
    """The arms as one group (a cohort from its outcome groups), with the bounds of its mean and SD."""
    big_n = sum(a.n for a in arms)
    w = [a.n for a in arms]
    within = [sum((a.n - 1) * s ** 2 for a, s in zip(arms, sds)) for sds in
              ([a.sd_lo for a in arms], [a.sd_hi for a in arms])]
    lo, hi = _ssq_range(w, [a.mean_lo for a in arms], [a.mean_hi for a in arms])
    return Arm(big_n, sum(a.n * a.mean_lo for a in arms) / big_n, sum(a.n * a.mean_hi for a in arms) / big_n,
               math.sqrt((within[0] + lo) / (big_n - 1)), math.sqrt((within[1] + hi) / (big_n - 1)))


# ------------------------------------------------------------------------------ ranges over printing
def _ssq_range(w, lo, hi) -> tuple[float, float]:
    """Bounds of sum w_i (m_i - M_w)^2, M_w the w-weighted mean, over m_i in [lo_i, hi_i]."""
    if len(w) > MAX_GROUPS:
        raise ValueError(f"more than {MAX_GROUPS} groups")
    total = sum(w)

    def ssq(m):
        c = sum(wi * mi for wi, mi in zip(w, m)) / total
        return sum(wi * (mi - c) ** 2 for wi, mi in zip(w, m))

    top = max(ssq(m) for m in itertools.product(*zip(lo, hi)))   # convex: largest at a corner
    # smallest: min over c of sum w_i dist(c, [lo_i, hi_i])^2, convex in c; its derivative is monotone
    a, b = min(lo), max(hi)
    for _ in range(200):
        c = (a + b) / 2
        slope = sum(wi * (c - min(max(c, l), h)) for wi, l, h in zip(w, lo, hi))
        a, b = (a, c) if slope > 0 else (c, b)
    c = (a + b) / 2
    return sum(wi * (c - min(max(c, l), h)) ** 2 for wi, l, h in zip(w, lo, hi)), top


def _abs_diff(a: Arm, b: Arm) -> tuple[float, float]:
    lo, hi = a.mean_lo - b.mean_hi, a.mean_hi - b.mean_lo
    return (0.0 if lo <= 0 <= hi else min(abs(lo), abs(hi))), max(abs(lo), abs(hi))


def _ratio(num, den) -> float:
    return num / den if den > 0 else (math.inf if num > 0 else 0.0)


def t_range(arms, equal_var: bool) -> tuple[float, float]:
    """(lowest, highest) two-sided p of Student's or Welch's t over the printing of the arms' means and SDs."""
    a, b = arms
    d_lo, d_hi = _abs_diff(a, b)
    if equal_var:
        df = a.n + b.n - 2
        f = (1 / a.n + 1 / b.n) / df
        se_lo = math.sqrt(((a.n - 1) * a.sd_lo ** 2 + (b.n - 1) * b.sd_lo ** 2) * f)
        se_hi = math.sqrt(((a.n - 1) * a.sd_hi ** 2 + (b.n - 1) * b.sd_hi ** 2) * f)
        return _t_p(_ratio(d_hi, se_lo), df), _t_p(_ratio(d_lo, se_hi), df)
    se_lo = math.sqrt(a.sd_lo ** 2 / a.n + b.sd_lo ** 2 / b.n)
    se_hi = math.sqrt(a.sd_hi ** 2 / a.n + b.sd_hi ** 2 / b.n)
    df_lo, df_hi = _welch_df_range(a, b)
    return _t_p(_ratio(d_hi, se_lo), df_hi), _t_p(_ratio(d_lo, se_hi), df_lo)


def _welch_df_range(a: Arm, b: Arm) -> tuple[float, float]:
    """Welch's df depends on r = (s_a^2/n_a) / (s_b^2/n_b) only, rising to n_a + n_b - 2 at r = (n_a-1)/(n_b-1)
    and falling on either side: its bounds are at the ends of r's range or that peak."""
    def df(r):
        if math.isinf(r):
            return a.n - 1.0
        return (r + 1) ** 2 / (r ** 2 / (a.n - 1) + 1 / (b.n - 1))

    r_lo = _ratio(a.sd_lo ** 2 / a.n, b.sd_hi ** 2 / b.n)
    r_hi = _ratio(a.sd_hi ** 2 / a.n, b.sd_lo ** 2 / b.n)
    peak = (a.n - 1) / (b.n - 1)
    ends = [df(r_lo), df(r_hi)]
    return min(ends), (a.n + b.n - 2.0 if r_lo <= peak <= r_hi else max(ends))


def oneway_range(arms, equal_var: bool) -> tuple[float, float]:
    """(lowest, highest) p of the one-way ANOVA or Welch's ANOVA over the printing of the arms."""
    k, big_n = len(arms), sum(a.n for a in arms)
    lo, hi = [a.mean_lo for a in arms], [a.mean_hi for a in arms]
    if equal_var:
        ssb_lo, ssb_hi = _ssq_range([a.n for a in arms], lo, hi)
        ssw_lo = sum((a.n - 1) * a.sd_lo ** 2 for a in arms)
        ssw_hi = sum((a.n - 1) * a.sd_hi ** 2 for a in arms)
        c = (big_n - k) / (k - 1)
        return _f_p(_ratio(ssb_hi * c, ssw_lo), k - 1, big_n - k), _f_p(_ratio(ssb_lo * c, ssw_hi), k - 1, big_n - k)
    if any(a.sd_lo <= 0 for a in arms):
        raise ValueError("Welch's ANOVA needs every SD above 0")
    ps = []
    for sds in itertools.product(*[(a.sd_lo, a.sd_hi) for a in arms]):
        w = [a.n / s ** 2 for a, s in zip(arms, sds)]
        s_lo, s_hi = _ssq_range(w, lo, hi)
        total = sum(w)
        h = sum((1 - wi / total) ** 2 / (a.n - 1) for wi, a in zip(w, arms))
        scale = (k - 1) * (1 + 2 * (k - 2) * h / (k ** 2 - 1))
        df2 = (k ** 2 - 1) / (3 * h)
        ps += [_f_p(s_hi / scale, k - 1, df2), _f_p(s_lo / scale, k - 1, df2)]
    return min(ps), max(ps)


#: the tests of a mean (SD) row: name -> (two groups?, equal variances?)
TESTS = {"Student's t": (True, True), "Welch's t": (True, False),
         "one-way ANOVA": (False, True), "Welch's ANOVA": (False, False)}


def mean_tests(arms) -> dict:
    """Every test of the arms (two: Student's and Welch's t; more: ANOVA and Welch's ANOVA) -> (p at the
    printed values, lowest p, highest p) over their printing; a test that cannot be computed is left out."""
    out = {}
    for name, (two, equal) in TESTS.items():
        if two != (len(arms) == 2):
            continue
        try:
            point = [exact(a.n, a.mean, a.sd) for a in arms]
            p = (t_test(point, equal) if two else oneway(point, equal))["p"]
            out[name] = (p, *(t_range(arms, equal) if two else oneway_range(arms, equal)))
        except (ValueError, ZeroDivisionError):
            continue
    return out
