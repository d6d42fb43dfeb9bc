"""The statistical tests behind Table 1, run in R (``chisq.test``, ``fisher.test``, ``t.test``,
``wilcox.test``) through the bridge.

Test rules for categorical variables (``rule``):

``textbook`` (default; the rule of medical statistics teaching, and the one the seed paper used)
    For a 2x2 table with total n and expected counts E = row x column / n:
    n >= 40 and every E >= 5: Pearson chi-square; n >= 40 and some 1 <= E < 5: Yates-corrected
    chi-square; n < 40 or any E < 1: Fisher's exact test. For larger tables: Pearson chi-square,
    unless any E < 1 or more than 20% of the cells have E < 5 (Cochran, 1954), then Fisher's exact
    test (R's network algorithm, exact, not Monte Carlo).
``pearson``, ``yates``, ``fisher``
    That test for every table (Yates' correction applies to 2x2 tables only, as in R).

Every categorical result also carries ``spss``, the row of SPSS's CROSSTABS "Chi-Square Tests" table that
equals it: "Pearson Chi-Square", "Continuity Correction" (Yates, 2x2) or "Fisher's Exact Test (2-sided)".

Continuous variables as SPSS's T-TEST prints them (``kind="spss"``): Levene's test centred at the group
means, F = one-way ANOVA F of |x - group mean| on the groups (Levene 1960; ``car::leveneTest(center =
mean)``), chooses the row: "Equal variances assumed" (Student's t) when its p >= 0.05, else "Equal
variances not assumed" (Welch's t); both rows (t, df, p, mean difference, its SE and 95% CI) are returned
as ``equal_*`` and ``unequal_*``. Mann-Whitney with ``mann_whitney="spss"``: SPSS's "Asymp. Sig.
(2-tailed)", the normal approximation with the tie-corrected variance and no continuity correction
(``wilcox.test(exact = FALSE, correct = FALSE)``), and its Z.

References: Cochran WG (1954) Some methods for strengthening the common chi-squared tests.
Biometrics 10:417-451. Yates F (1934) J R Stat Soc Suppl 1:217-235.
"""
from __future__ import annotations

import numpy as np

from .. import rbridge
from ..errors import InputError

from .options import CONTINUOUS_RULES, MANN_WHITNEY, RULES  # noqa: F401  (re-exported)

#: the numbers of SPSS's T-TEST rows that ``kind="spss"`` adds (``equal_*`` and ``unequal_*``)
T_ROW = ("t", "df", "p", "mean_difference", "se_difference", "ci_low", "ci_high")
#: what an SPSS-style result adds to a test's dict, in the tests table's column order (``df2``: the F's
#: second df, ONEWAY's "df2" of the ANOVA and Welch rows; empty for t, chi-square and rank tests)
SPSS_KEYS = ("spss", "df2", "levene_f", "levene_df1", "levene_df2", "levene_p", "z",
             *(f"{row}_{k}" for row in ("equal", "unequal") for k in T_ROW))


def categorical_test(counts, rule: str = "textbook") -> dict:
    """Test of independence for a contingency table (rows = levels, columns = groups).

    Returns a dict: ``test`` (pearson / yates / fisher), ``method`` (R's name), ``statistic``, ``df``,
    ``p``, ``n``, ``min_expected`` and ``share_expected_below_5``.

    Example
    -------
    >>> categorical_test([[14, 7], [54, 39]])["test"]      # doctest: +SKIP
    'pearson'
    """
    if rule not in RULES:
        raise InputError(f"unknown test rule {rule!r}", f"choose one of {', '.join(RULES)}")
    m = np.asarray(counts, dtype=float)
    if m.ndim != 2 or (m < 0).any() or not np.isfinite(m).all():
        raise InputError("counts must be a 2-D table of non-negative numbers")
    return rbridge.call("characteristics_categorical_test", m, rule)


def continuous_test(values, groups, kind: str = "shapiro", var_equal: bool = False, *,
                    mann_whitney: str = "r", order=None) -> dict:
    """Compare a continuous variable between groups.

    ``kind="shapiro"`` (default) decides by Shapiro-Wilk in every group (alpha 0.05): all normal ->
    t-test (Welch unless ``var_equal``), otherwise Mann-Whitney U (``wilcox.test``, normal
    approximation with continuity correction when ties prevent the exact test). ``"normal"`` and
    ``"nonnormal"`` force the choice. More than two groups: one-way ANOVA (Welch) or Kruskal-Wallis.
    ``"spss"``: SPSS's T-TEST, Levene's test (mean-centred) choosing Student's or Welch's row (ONEWAY's
    ANOVA or Welch test for more groups), see the module docstring. ``mann_whitney="spss"``: SPSS's
    asymptotic Mann-Whitney p. ``order``: the groups' order (group 1 - group 2 in a t or U statistic;
    default R's factor order, alphabetical).
    The returned dict also carries ``kind`` (normal / nonnormal), used to choose mean (SD) or
    median (IQR) in the table.

    Example
    -------
    >>> continuous_test(x, group, "spss", order=["Non-EPR", "EPR"])["spss"]      # doctest: +SKIP
    't-test, Equal variances assumed'
    """
    if kind not in CONTINUOUS_RULES:
        raise InputError(f"unknown continuous rule {kind!r}", f"choose one of {', '.join(CONTINUOUS_RULES)}")
    if mann_whitney not in MANN_WHITNEY:
        raise InputError(f"unknown Mann-Whitney p {mann_whitney!r}", f"choose one of {', '.join(MANN_WHITNEY)}")
    x = np.asarray(values, dtype=float)
    g = np.asarray(groups).astype(str)
    keep = ~np.isnan(x)
    x, g = x[keep], g[keep]
    if kind == "shapiro":
        kind = "normal" if rbridge.call("characteristics_is_normal", x, g) else "nonnormal"
    levels = [str(v) for v in order if str(v) in set(g)] if order is not None else None
    result = rbridge.call("characteristics_continuous_test", x, g, kind, var_equal, mann_whitney=mann_whitney,
                          levels=levels)
    result["kind"] = "normal" if kind == "spss" else kind
    return result
