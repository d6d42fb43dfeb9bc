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

References: Cochran WG (1954) Some methods for strengthening the common chi-squared tests.
Biometrics 10:417-451. Yates F (1934) J R Stat Soc Suppl 1:217-235.
"""
from __future__ import annotations

import numpy as np

from .. import rbridge
from ..errors import InputError

from .options import CONTINUOUS_RULES, RULES  # noqa: F401  (re-exported)


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


def continuous_test(values, groups, kind: str = "shapiro", var_equal: bool = False) -> dict:
    """Compare a continuous variable between groups.

    ``kind="shapiro"`` (default) decides by Shapiro-Wilk in every group (alpha 0.05): all normal ->
    t-test (Welch unless ``var_equal``), otherwise Mann-Whitney U (``wilcox.test``, normal
    approximation with continuity correction when ties prevent the exact test). ``"normal"`` and
    ``"nonnormal"`` force the choice. More than two groups: one-way ANOVA (Welch) or Kruskal-Wallis.
    The returned dict also carries ``kind`` (normal / nonnormal), used to choose mean (SD) or
    median (IQR) in the table.
    """
    if kind not in CONTINUOUS_RULES:
        raise InputError(f"unknown continuous rule {kind!r}", f"choose one of {', '.join(CONTINUOUS_RULES)}")
    x = np.asarray(values, dtype=float)
    g = np.asarray(groups).astype(str)
    keep = ~np.isnan(x)
    x, g = x[keep], g[keep]
    if kind == "shapiro":
        kind = "normal" if rbridge.call("characteristics_is_normal", x, g) else "nonnormal"
    result = rbridge.call("characteristics_continuous_test", x, g, kind, var_equal)
    result["kind"] = kind
    return result
