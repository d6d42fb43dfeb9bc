"""Every ICC form for many features at once, from one two-way ANOVA pass (numpy).

The ratings of F features on n targets (patients) by k raters (readers or repeats) form a cube
``x[i, j, f]``. For every feature the two-way ANOVA without replication gives (Shrout & Fleiss 1979):

* ``MS_rows  = k * sum_i (mean_i. - mean..)^2 / (n - 1)``              (between targets; pingouin's msb)
* ``MS_cols  = n * sum_j (mean_.j - mean..)^2 / (k - 1)``              (between raters; msj)
* ``MS_error = (SS_total - SS_rows - SS_cols) / ((n - 1)(k - 1))``      (residual; mse)
* ``MS_within = (SS_cols + SS_error) / (n (k - 1))``                    (within targets, one-way; msw)

and from them the six forms (McGraw & Wong 1996 names; Shrout-Fleiss in brackets):

=========  =========  ===========================================================  ======================
form       S&F        ICC                                                          F, df1, df2
=========  =========  ===========================================================  ======================
ICC(1,1)   ICC(1,1)   (MSR - MSW) / (MSR + (k-1) MSW)                               MSR/MSW, n-1, n(k-1)
ICC(A,1)   ICC(2,1)   (MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n)           MSR/MSE, n-1, (n-1)(k-1)
ICC(C,1)   ICC(3,1)   (MSR - MSE) / (MSR + (k-1) MSE)                               MSR/MSE, n-1, (n-1)(k-1)
ICC(1,k)   ICC(1,k)   (MSR - MSW) / MSR                                             as ICC(1,1)
ICC(A,k)   ICC(2,k)   (MSR - MSE) / (MSR + (MSC - MSE) / n)                         as ICC(A,1)
ICC(C,k)   ICC(3,k)   (MSR - MSE) / MSR                                             as ICC(C,1)
=========  =========  ===========================================================  ======================

95% CIs: F-based for the one-way and consistency forms (``FL = F / F_{1-a/2}(df1, df2)``,
``FU = F * F_{1-a/2}(df2, df1)``; single: ``(FL - 1) / (FL + k - 1)``, average: ``1 - 1/FL``), and the
Satterthwaite approximation for the absolute-agreement forms (McGraw & Wong 1996, Table 7), at full precision.

The arithmetic follows ``pingouin.intraclass_corr`` (0.5-0.7) operation for operation -- numpy's pairwise
sums where pingouin sums a column, the Kahan-compensated group means of pandas' ``groupby().mean()`` -- so
that, with targets and raters in sorted order (pingouin's pivot), the results equal pingouin's bit for bit;
pingouin only rounds its CI to 2 decimals (:func:`pingouin_ci`). This module has no pingouin dependency.

References: Shrout PE, Fleiss JL (1979) Psychol Bull 86:420; McGraw KO, Wong SP (1996) Psychol Methods 1:30.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import f

FORMS = ("ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)")


@dataclass(frozen=True)
class MeanSquares:
    """The two-way ANOVA of each feature (arrays of one value per feature)."""

    n: int                   #: targets (patients)
    k: int                   #: raters (readers or repeats)
    ms_rows: np.ndarray      #: between targets (MSR)
    ms_cols: np.ndarray      #: between raters (MSC)
    ms_error: np.ndarray     #: residual (MSE), two-way
    ms_within: np.ndarray    #: within targets (MSW), one-way
    ss_cols: np.ndarray
    ss_error: np.ndarray


def _kahan_mean(x: np.ndarray, axis: int) -> np.ndarray:
    """Mean along ``axis`` with the Kahan-compensated running sum of pandas' ``groupby().mean()``
    (group_mean), vectorised over the other axes: one step per element of ``axis``."""
    x = np.moveaxis(x, axis, 0)
    total = np.zeros(x.shape[1:])
    comp = np.zeros(x.shape[1:])
    for value in x:
        y = value - comp
        t = total + y
        comp = t - total - y
        comp[np.isnan(comp)] = 0.0  # pandas resets it when a value is infinite (GH#50367)
        total = t
    return total / x.shape[0]


def mean_squares(cube) -> MeanSquares:
    """Two-way ANOVA mean squares of every feature of a complete ``(targets x raters x features)`` cube.

    One pass over the cube: the grand mean and total sum of squares as numpy pairwise sums over each feature's
    long vector (rater-major, as pingouin melts it), target and rater means as Kahan-compensated running sums,
    ``SS_error = SS_total - (SS_rows + SS_cols)``. The cube must hold finite values only.

    Example::

        >>> ms = mean_squares(np.random.default_rng(0).normal(size=(30, 2, 944)))   # doctest: +SKIP
        >>> ms.ms_rows.shape                                                       # doctest: +SKIP
        (944,)
    """
    cube = np.asarray(cube, dtype=float)
    if cube.ndim != 3:
        raise ValueError(f"the ratings must be a (targets x raters x features) array, not {cube.ndim}-d")
    n, k, _ = cube.shape
    x = np.ascontiguousarray(np.transpose(cube, (2, 1, 0)))       # (features, raters, targets)
    long = x.reshape(x.shape[0], k * n)                           # pingouin's long order: rater by rater
    mu = long.sum(axis=1) / float(n * k)
    ss_total = ((long - mu[:, None]) ** 2).sum(axis=1)
    ss_rows = ((_kahan_mean(x, 1) - mu[:, None]) ** 2 * k).sum(axis=1)
    ss_cols = ((_kahan_mean(x, 2) - mu[:, None]) ** 2 * n).sum(axis=1)
    ss_error = ss_total - (0.0 + (ss_rows + ss_cols))             # pingouin: ss_resid (0) + sum(ss)
    df_cols, df_error = k - 1, (n - 1) * (k - 1)
    return MeanSquares(n=n, k=k, ms_rows=ss_rows / (n - 1), ms_cols=ss_cols / df_cols,
                       ms_error=ss_error / df_error, ms_within=(ss_cols + ss_error) / (df_cols + df_error),
                       ss_cols=ss_cols, ss_error=ss_error)


def icc_forms(ms: MeanSquares, alpha: float = 0.05) -> dict:
    """Every ICC form of every feature from its mean squares: ``{form: {"icc", "F", "df1", "df2", "p",
    "ci_low", "ci_high"}}`` (arrays; the CI at level ``1 - alpha``, full precision).

    Formulas: module docstring (Shrout & Fleiss 1979; McGraw & Wong 1996); p = P(F(df1, df2) > F). Where the
    residual mean square is 0 (identical readings) F is infinite and the CI undefined (NaN), as in pingouin.

    Example (Shrout & Fleiss 1979 Table 2: ICC(2,1) = 0.29)::

        >>> sf = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
        >>> round(float(icc_forms(mean_squares(sf[:, :, None]))["ICC(A,1)"]["icc"][0]), 2)
        0.29
    """
    n, k = ms.n, ms.k
    msb, msj, mse, msw = ms.ms_rows, ms.ms_cols, ms.ms_error, ms.ms_within
    with np.errstate(all="ignore"):
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
        icc3 = (msb - mse) / (msb + (k - 1) * mse)
        icc1k = (msb - msw) / msb
        icc2k = (msb - mse) / (msb + (msj - mse) / n)
        icc3k = (msb - mse) / msb
        f1k = msb / msw
        df1, df1kd, df2kd = n - 1, n * (k - 1), (n - 1) * (k - 1)
        p1k = f.sf(f1k, df1, df1kd)
        f2k = msb / mse
        p2k = f.sf(f2k, df1, df2kd)
        # one-way and consistency forms: F-based limits (Shrout & Fleiss eq. 6, 13)
        q = 1 - alpha / 2
        f1l = f1k / f.ppf(q, df1, df1kd)
        f1u = f1k * f.ppf(q, df1kd, df1)
        f3l = f2k / f.ppf(q, df1, df2kd)
        f3u = f2k * f.ppf(q, df2kd, df1)
        # absolute agreement: Satterthwaite's degrees of freedom (McGraw & Wong 1996, Table 7, case 2A)
        fj = msj / mse
        vn = df2kd * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        vd = df1 * k ** 2 * icc2 ** 2 * fj ** 2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        v = vn / vd
        f2u = f.ppf(q, n - 1, v)
        f2l = f.ppf(q, v, n - 1)
        l2 = n * (msb - f2u * mse) / (f2u * (k * msj + (k * n - k - n) * mse) + n * msb)
        u2 = n * (f2l * msb - mse) / (k * msj + (k * n - k - n) * mse + n * f2l * msb)
        ci = {"ICC(1,1)": ((f1l - 1) / (f1l + (k - 1)), (f1u - 1) / (f1u + (k - 1))),
              "ICC(A,1)": (l2, u2),
              "ICC(C,1)": ((f3l - 1) / (f3l + (k - 1)), (f3u - 1) / (f3u + (k - 1))),
              "ICC(1,k)": (1 - 1 / f1l, 1 - 1 / f1u),
              "ICC(A,k)": (l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
              "ICC(C,k)": (1 - 1 / f3l, 1 - 1 / f3u)}
    point = dict(zip(FORMS, (icc1, icc2, icc3, icc1k, icc2k, icc3k)))
    one_way = {"F": f1k, "df1": df1, "df2": df1kd, "p": p1k}
    two_way = {"F": f2k, "df1": df1, "df2": df2kd, "p": p2k}
    return {form: {"icc": point[form], **(one_way if form.startswith("ICC(1,") else two_way),
                   "ci_low": ci[form][0], "ci_high": ci[form][1]} for form in FORMS}


def pingouin_ci(values):
    """The CI as ``pingouin.intraclass_corr`` reports it: rounded to 2 decimals (``np.round``)."""
    return np.round(np.asarray(values, dtype=float), 2)


def icc_cube(cube, form: str | None = None, alpha: float = 0.05) -> dict:
    """ICCs of every feature of a complete ``(targets x raters x features)`` cube: :func:`icc_forms` of
    :func:`mean_squares`; with ``form`` (a canonical name of :data:`FORMS`) only that form's dict.

    Bit-identical to ``pingouin.intraclass_corr`` per feature when targets and raters are in sorted order
    (pingouin pivots them so); in another order the values agree to rounding (about 1e-15 relative).

    Example::

        >>> icc_cube(ratings, "ICC(A,1)")["icc"]        # one ICC(A,1) per feature   # doctest: +SKIP
    """
    forms = icc_forms(mean_squares(cube), alpha)
    return forms if form is None else forms[form]
