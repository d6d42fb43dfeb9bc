"""Minimum redundancy, maximum relevance (mRMR) feature ranking, greedy forward (Peng, Long & Ding 2005).

mRMRe cannot be installed here, so this is our own code. Definitions:

* **Discretisation.** Each feature is cut into ``bins`` equal-frequency bins by rank: with ``r`` the
  minimum rank of a value among the ``n`` training values (ties share the lowest rank), the bin is
  ``floor(bins * (r - 1) / n)``; tied values therefore always share a bin. Default ``bins``: the cube-root
  rule ``round(n ** (1/3))`` bounded to [2, 10] (4 bins for n = 60, 5 for the paper's n = 114), which keeps
  about n / bins^2 >= 4 patients per cell of a feature-by-feature table. The outcome is used as is (its
  distinct values are the classes).
* **Mutual information** (plug-in, in nats): ``I(X;Y) = sum_xy p(x,y) log(p(x,y) / (p(x) p(y)))`` with
  the observed cell proportions.
* **Greedy search.** Relevance ``D(f) = I(f; y)``. Step 1 takes the most relevant feature. Step ``m`` takes,
  among the features not yet chosen, the one maximising
  ``MID: D(f) - R(f)`` or ``MIQ: D(f) / R(f)``, with redundancy ``R(f) = mean_{s in S} I(f; s)`` over the
  features ``S`` already chosen. Ties (scores within 1e-12) go to the feature listed first in ``X``. Under
  MIQ a redundancy of 0 gives +inf when the relevance is positive (a relevant feature sharing no
  information with those chosen is preferred) and 0 when the relevance is 0 too.
* **Default k = 30.** The paper gives none. Its largest signature kept 15 features after LASSO (PVP_DLR), so
  k must exceed 15; 30 leaves LASSO room to choose and stays well below the paper's 114 training patients
  (20 to 30 is the usual choice in radiomics studies running mRMR before LASSO).

Example::

    >>> ranking = mrmr(z_train, y, k=30)           # doctest: +SKIP
    >>> candidates = ranking["feature"].tolist()   # doctest: +SKIP
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import InputError

DEFAULT_K = 30
TOL = 1e-12  # MI values closer than this are equal (ties); a redundancy below it is 0


def default_bins(n: int) -> int:
    """The cube-root rule, bounded to [2, 10]."""
    return int(min(10, max(2, round(n ** (1.0 / 3.0)))))


def discretise(x, bins: int) -> np.ndarray:
    """Equal-frequency bins by minimum rank: ``floor(bins * (r - 1) / n)`` (ties share a bin)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    r = pd.Series(x).rank(method="min").to_numpy()
    return np.floor(bins * (r - 1) / n).astype(np.int64)


def _codes(v) -> np.ndarray:
    return pd.factorize(pd.Series(v), sort=True)[0].astype(np.int64)


def mutual_information(a, b) -> float:
    """Plug-in mutual information of two discrete vectors, in nats."""
    a, b = _codes(a), _codes(b)
    return _mi_codes(a, b, a.max() + 1, b.max() + 1)


def _mi_codes(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> float:
    n = len(a)
    joint = np.bincount(a * nb + b, minlength=na * nb).reshape(na, nb) / n
    pa, pb = joint.sum(1), joint.sum(0)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])))


def mrmr(X: pd.DataFrame, y, k: int = DEFAULT_K, criterion: str = "MID", bins: int | None = None) -> pd.DataFrame:
    """Rank the top ``k`` features of ``X`` by mRMR against the outcome ``y``.

    Returns a DataFrame with ``rank`` (1 = chosen first), ``feature``, ``relevance`` I(f; y),
    ``redundancy`` (mean I(f; s) over the features chosen before it; 0 for the first) and ``score``
    (the criterion's value when the feature was chosen), all MI in nats. ``k`` larger than the number of
    features ranks them all.
    """
    criterion = str(criterion).upper()
    if criterion not in ("MID", "MIQ"):
        raise InputError(f"unknown mRMR criterion {criterion!r}", "use 'MID' (difference) or 'MIQ' (quotient)")
    if not isinstance(X, pd.DataFrame) or X.shape[1] == 0:
        raise InputError("mRMR needs a DataFrame with at least one feature column", "give the feature table")
    y = np.asarray(y)
    if len(y) != len(X):
        raise InputError(f"the outcome has {len(y)} values for {len(X)} rows", "give one outcome per row")
    if pd.isna(pd.Series(y)).any():
        raise InputError("the outcome has missing values", "remove the rows without an outcome")
    if len(np.unique(y)) < 2:
        raise InputError("the outcome has a single class", "selection needs events and non-events")
    values = X.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        bad = X.columns[~np.isfinite(values).all(axis=0)]
        raise InputError(f"mRMR got NaN or infinite values in {len(bad)} column(s): {', '.join(map(str, bad[:8]))}",
                         "preprocess the features first (fit_preprocessor)", column=str(bad[0]))
    k = int(k)
    if k < 1:
        raise InputError(f"k = {k} is not a positive number of features", "give k >= 1")
    n, p = values.shape
    b = default_bins(n) if bins is None else int(bins)
    if b < 2:
        raise InputError(f"bins = {b}", "use at least 2 bins")
    codes = np.column_stack([discretise(values[:, j], b) for j in range(p)])
    ycodes = _codes(y)
    ny = ycodes.max() + 1
    relevance = np.array([_mi_codes(codes[:, j], ycodes, b, ny) for j in range(p)])
    names = list(X.columns)
    k = min(k, p)
    chosen: list[int] = []
    red_sum = np.zeros(p)
    remaining = np.ones(p, dtype=bool)
    rows = []
    for step in range(k):
        if step == 0:
            red = np.zeros(p)
            score = relevance.copy()
        else:
            red = red_sum / step
            if criterion == "MID":
                score = relevance - red
            else:
                pos = red > TOL
                score = np.where(pos, relevance / np.where(pos, red, 1.0),
                                 np.where(relevance > TOL, math.inf, 0.0))
        masked = np.where(remaining, score, -math.inf)
        best = masked.max()
        # Ties (within TOL, so that summation order cannot decide) go to the feature listed first.
        j = int(np.flatnonzero(masked >= (best if math.isinf(best) else best - TOL))[0])
        rows.append((step + 1, names[j], relevance[j], red[j], score[j]))
        chosen.append(j)
        remaining[j] = False
        cj = codes[:, j]
        for i in np.flatnonzero(remaining):
            red_sum[i] += _mi_codes(codes[:, i], cj, b, b)
    out = pd.DataFrame(rows, columns=["rank", "feature", "relevance", "redundancy", "score"])
    out.attrs.update({"criterion": criterion, "bins": b, "mi_unit": "nats"})
    return out
