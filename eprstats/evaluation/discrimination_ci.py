"""Diagnostic accuracy at the training cut-off with its intervals: the 2x2 counts (TP, FP, TN, FN) of every model
in every cohort and 95% CIs of sensitivity, specificity, PPV, NPV and accuracy.

The counts are pROC's (``pROC::coords(ret = c("tp", "fp", "tn", "fn"))`` at the cut-off and direction fixed on
the training cohort: with direction "<" a patient is positive when score >= cut-off). Each proportion is x / n
with

=============  ===========  ====================
statistic      x            n
=============  ===========  ====================
sensitivity    TP           TP + FN (events)
specificity    TN           TN + FP (non-events)
PPV            TP           TP + FP (called positive)
NPV            TN           TN + FN (called negative)
accuracy       TP + TN      TP + FP + TN + FN
=============  ===========  ====================

and its CI by one of

* ``"clopper-pearson"`` (the default): the exact interval, ``stats::binom.test(x, n)$conf.int``:
  [B(a/2; x, n - x + 1), B(1 - a/2; x + 1, n - x)] with B the beta quantile (Clopper & Pearson, Biometrika
  1934;26:404-13);
* ``"wilson"``: the score interval without continuity correction, ``stats::prop.test(x, n, correct =
  FALSE)$conf.int``: (p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n) (Wilson, JASA 1927;22:209-12);
* ``"bootstrap"``: pROC's stratified bootstrap percentile interval at the fixed threshold,
  ``pROC::ci.coords(x = cut-off, input = "threshold", boot.n = B)``, after ``set.seed(seed)`` for each model
  and cohort (so that one row is reproduced in R by ``set.seed(seed); ci.coords(...)``).

A proportion whose n is 0 (e.g. PPV when nobody is called positive) is NaN with no interval.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rbridge
from ..errors import InputError
from ..validation import bootstrap_seed

#: the intervals offered, the default first
CI_METHODS = ("clopper-pearson", "wilson", "bootstrap")
#: pROC's default number of bootstrap resamples (``boot.n``)
DEFAULT_BOOT_N = 2000
DEFAULT_SEED = 1234
#: the proportions, in the table's order
PROPORTIONS = ("sensitivity", "specificity", "ppv", "npv", "accuracy")
COUNTS = ("tp", "fp", "tn", "fn")
ACCURACY_COLUMNS = ["model", "cohort", "n", "events", "cutoff", "direction", *COUNTS,
                    *[f"{s}{suffix}" for s in PROPORTIONS for suffix in ("", "_ci_low", "_ci_high")], "ci_method"]

#: how each method is named in settings, provenance and the table's note
CI_METHOD_TEXT = {
    "clopper-pearson": "exact Clopper-Pearson (stats::binom.test)",
    "wilson": "Wilson score without continuity correction (stats::prop.test, correct = FALSE)",
    "bootstrap": "pROC's stratified bootstrap percentile interval (pROC::ci.coords at the fixed threshold)",
}


def _r():
    rbridge.require_packages("pROC")
    return rbridge


def check_ci_method(ci_method: str, boot_n: int | None, seed: int | None) -> tuple[str, int | None, int | None]:
    """(method, B, seed) checked; B and seed only for ``"bootstrap"`` (defaults 2000, 1234)."""
    method = str(ci_method).strip().lower().replace("_", "-")
    if method not in CI_METHODS:
        raise InputError(f"unknown CI method {ci_method!r} for sensitivity, specificity, PPV, NPV and accuracy",
                         f"use one of {', '.join(CI_METHODS)} (default {CI_METHODS[0]})")
    if method != "bootstrap":
        return method, None, None
    boot_n = DEFAULT_BOOT_N if boot_n is None else boot_n
    if isinstance(boot_n, bool) or not isinstance(boot_n, (int, np.integer)) or boot_n < 2:
        raise InputError(f"the number of bootstrap resamples must be an integer of at least 2, not {boot_n!r}",
                         "e.g. --bootstrap-ci 2000 (pROC's default)")
    return method, int(boot_n), bootstrap_seed(seed, DEFAULT_SEED)


def _fractions(c: dict) -> dict[str, tuple[int, int]]:
    """(x, n) of each proportion from the counts."""
    tp, fp, tn, fn = (c[k] for k in COUNTS)
    return {"sensitivity": (tp, tp + fn), "specificity": (tn, tn + fp), "ppv": (tp, tp + fp),
            "npv": (tn, tn + fn), "accuracy": (tp + tn, tp + fp + tn + fn)}


def proportion_ci(x, n, method: str = "clopper-pearson", conf_level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """CIs of the proportions ``x / n`` (arrays): exact Clopper-Pearson (``stats::binom.test``) or Wilson score
    without continuity correction (``stats::prop.test(correct = FALSE)``). NaN where n = 0.

    Example: ``proportion_ci([40], [46])`` -> ``(array([0.737...]), array([0.950...]))``.
    """
    if method not in ("clopper-pearson", "wilson"):
        raise InputError(f"proportion_ci computes 'clopper-pearson' or 'wilson' intervals, not {method!r}",
                         "the bootstrap interval needs the scores: use discrimination(ci_method='bootstrap')")
    x, n = np.atleast_1d(np.asarray(x, dtype=int)), np.atleast_1d(np.asarray(n, dtype=int))
    ci = _r().call("discrimination_proportion_ci", x.astype(float), n.astype(float), method=method,
                   conf_level=float(conf_level))
    return (np.atleast_1d(np.asarray(ci["low"], dtype=float)), np.atleast_1d(np.asarray(ci["high"], dtype=float)))


def _bootstrap(r, y, values, direction, cutoff, level, boot_n, seed) -> tuple[list, list]:
    ci = r.call("discrimination_ci_coords", y, values, direction=direction, threshold=float(cutoff),
                boot_n=boot_n, conf_level=level, seed=seed)
    return [float(ci["low"][s]) for s in PROPORTIONS], [float(ci["high"][s]) for s in PROPORTIONS]


def accuracy_table(roc: pd.DataFrame, parts, level: float, method: str, boot_n: int | None,
                   seed: int | None) -> pd.DataFrame:
    """The diagnostic-accuracy table (:data:`ACCURACY_COLUMNS`) of every row of ``roc`` (the ROC table, whose
    cut-off and direction are used), on the checked cohorts ``parts`` ([(cohort, y, {model: scores})])."""
    r = _r()
    by_cohort = {cohort: (y, values) for cohort, y, values in parts}
    rows = []
    for row in roc.itertuples(index=False):
        y, values = by_cohort[row.cohort]
        counts = r.call("discrimination_confusion", y, values[row.model], direction=row.direction,
                        threshold=float(row.cutoff))
        counts = {k: int(counts[k]) for k in COUNTS}
        frac = _fractions(counts)
        point = [float(getattr(row, stat)) for stat in PROPORTIONS]  # pROC's, as in roc.csv
        if method == "bootstrap":
            low, high = _bootstrap(r, y, values[row.model], row.direction, row.cutoff, level, boot_n, seed)
        else:
            low, high = proportion_ci([x for x, _ in frac.values()], [n for _, n in frac.values()], method, level)
        out = {"model": row.model, "cohort": row.cohort, "n": row.n, "events": row.events, "cutoff": row.cutoff,
               "direction": row.direction, **counts, "ci_method": method}
        for i, stat in enumerate(PROPORTIONS):
            out.update({stat: point[i], f"{stat}_ci_low": float(low[i]), f"{stat}_ci_high": float(high[i])})
        rows.append(out)
    return pd.DataFrame(rows, columns=ACCURACY_COLUMNS)


def ci_settings(method: str, boot_n: int | None, seed: int | None) -> dict:
    """What provenance records of the accuracy intervals."""
    out = {"accuracy_ci": CI_METHOD_TEXT[method], "accuracy_ci_method": method}
    if method == "bootstrap":
        out.update({"bootstrap_ci_n": boot_n, "seed": seed, "bootstrap": "stratified; set.seed(seed) before "
                    "pROC::ci.coords for each model and cohort; percentile interval"})
    return out
