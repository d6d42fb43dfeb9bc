"""The GLCM's coefficients and 23 features (all but the MCC) of all angles in one compiled pass (C).

pyradiomics (``radiomics/glcm.py``) computes each GLCM feature with its own numpy expressions over the
normalised matrix ``P`` (shape ``(1, Ng, Ng, angles)``): dozens of passes over ``Ng^2 x angles`` cells and
about 60 numpy calls per filtered image and ROI, most of the GLCM's time for the few dozen grey levels of a
ROI. :func:`glcm_coefficients_and_features` makes four passes over the cells and computes every per-angle sum
with pyradiomics' operations in pyradiomics' order:

* numpy reduces ``P`` over the axes ``(1, 2)`` (or ``1``, or ``2``) with the angle axis innermost, i.e. it adds
  the cells of one angle one after the other in row-major order; the kernels loop over ``i``, then ``j``,
  then the angle, adding into one accumulator per angle: the same terms added in the same order. The grouped
  sums ``p_x+y`` and ``p_x-y`` (pyradiomics: boolean masks, cells in row-major order) likewise;
* each term is pyradiomics' expression with the same operations (``x ** 2`` is ``x * x`` in numpy, ``x ** 3``,
  ``x ** 4`` and ``e ** x`` are the C library's ``pow``, ``log2`` the C library's: the same functions numpy
  calls on this platform, tested bit for bit in ``tests/handcrafted/test_engine_glcm.py``);
* a term ``0 * log2(...)`` (an empty cell) is a zero and is skipped: adding a zero does not change a sum.

So the per-angle values equal pyradiomics' (bit for bit where the platform's numpy uses the C library's
``pow`` and ``log2``; within a few units in the last place otherwise), and the features' means over the angles
are taken by numpy's ``nanmean`` as in pyradiomics. Only segment-based matrices that are finite and have at
least one angle come here (the caller keeps pyradiomics' code otherwise: voxel-based extraction, the 0/0
matrix of a ROI without neighbouring pairs under ``weightingNorm``, a matrix whose angles were all empty).

The pass is C (``engine/_features.c``, built with the package; :mod:`.native` loads it): every per-angle sum
gets the terms of the numba kernel it replaced, operation for operation and in the same order, so the same
values bit for bit (checked on the demo's and a few hundred random matrices), without numba's start-up. Its
loops are faster than numba's: a symmetric matrix (pyradiomics' default) holds the same values at (i, j) and
(j, i), so it is read in memory order whatever its layout, with both passes over a cell in one loop, and the
``log2`` of a mirror cell is reused (the same argument); the zero cells' terms are added as zeros without a
branch where every factor is finite.

Reference: pyradiomics 3.1, ``radiomics/glcm.py``; Haralick RM et al., IEEE Trans Syst Man Cybern 1973;3:610.
"""
from __future__ import annotations

import numpy as np

from . import native

#: The rows of the feature array, pyradiomics' feature names (MCC: :mod:`.mcc`).
FEATURES = ("Autocorrelation", "JointAverage", "ClusterProminence", "ClusterShade", "ClusterTendency",
            "Contrast", "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance",
            "JointEnergy", "JointEntropy", "Imc1", "Imc2", "Idm", "Idmn", "Id", "Idn", "InverseVariance",
            "MaximumProbability", "SumAverage", "SumEntropy", "SumSquares")

_EPS = float(np.spacing(1))  # pyradiomics' eps
_C = native.load("_features")


def compile_kernels() -> None:
    """The compiled kernel is present (InputError naming the fix otherwise): checked before the first ROI."""
    native.require()


def _glcm_pass(P, levels, Ng, eps, column_major):
    """P (n, n, Nd) normalised, ``levels`` (n,) its grey levels (float, each in 1..Ng), ``Ng`` the largest grey
    level; ``column_major``: the order of the sums that follow P's layout (:func:`_column_major`).

    Returns px (n, Nd), py (n, Nd), ux (Nd,), uy (Nd,), pxAddy (2 Ng - 1, Nd), pxSuby (Ng, Nd), HXY (Nd,) as
    pyradiomics' coefficients (without its leading axes), and F (len(FEATURES), Nd): each feature per angle,
    computed by ``_features.glcm_pass`` (C) in one buffer of which these are views."""
    n, Nd, Ng = P.shape[0], P.shape[2], int(Ng)
    if P.shape[1] != n or len(levels) != n or Ng < 1:
        raise ValueError(f"GLCM of shape {P.shape} with {len(levels)} grey levels, Ng {Ng}")
    # the C code reads the cells as stored: row-major, or column-major without a copy (np.delete's layout)
    transposed = _column_major(P)
    store = np.ascontiguousarray(P.transpose(1, 0, 2) if transposed else P, dtype=np.float64)
    nk = 2 * Ng - 1
    out = np.empty((2 * n + 3 + nk + Ng + len(FEATURES)) * Nd)
    status = _C.glcm_pass(store, np.ascontiguousarray(levels, dtype=np.float64), out, n, Nd, Ng, float(eps),
                          int(bool(column_major)), int(transposed))
    if status == -1:
        raise MemoryError("GLCM features: no memory for the per-angle sums")
    if status == -2:
        raise ValueError(f"GLCM features: a grey level outside 1..{Ng}")
    views, start = [], 0
    for rows in (n, n, None, None, nk, Ng, None, len(FEATURES)):  # None: one value per angle
        size = Nd * (rows or 1)
        views.append(out[start:start + size] if rows is None else out[start:start + size].reshape(rows, Nd))
        start += size
    return tuple(views)


def usable(P_glcm) -> bool:
    """Whether :func:`glcm_coefficients_and_features` applies: one (segment-based) float64 matrix, finite,
    with two or more angles stored innermost (numpy then reduces the cells of each angle one after the other,
    which the kernel repeats; with one angle it sums them pairwise)."""
    if P_glcm.ndim != 4 or P_glcm.shape[0] != 1 or P_glcm.shape[3] < 2 or P_glcm.dtype != np.float64:
        return False
    if P_glcm.shape[1] > 1 and P_glcm.strides[3] >= min(P_glcm.strides[1], P_glcm.strides[2]):
        return False
    return bool(np.isfinite(P_glcm).all())


def _column_major(P) -> bool:
    """Whether the cells of P (n, n, Nd) lie in column-major order (np.delete leaves them so): numpy then
    reduces P (and its products with arrays of i or j only) over j in the outer and i in the inner loop."""
    return P.shape[0] > 1 and P.strides[1] > P.strides[0]


def glcm_coefficients_and_features(P_glcm, grey_levels, Ng):
    """(coefficients, features) for a matrix :func:`usable` accepts: pyradiomics' coefficients dict (the same
    keys, shapes and values as ``RadiomicsGLCM._calculateCoefficients``) and {feature name: value} for the 23
    features of :data:`FEATURES`, each the ``nanmean`` over the angles as pyradiomics takes it."""
    compile_kernels()
    P = P_glcm[0]
    NgVector = np.asarray(grey_levels).astype("float")
    px, py, ux, uy, pxAddy, pxSuby, HXY, F = _glcm_pass(P, NgVector, int(Ng), _EPS, _column_major(P))
    i, j = np.meshgrid(NgVector, NgVector, indexing="ij", sparse=True)
    coefficients = {
        "eps": np.spacing(1), "i": i, "j": j,
        "kValuesSum": np.arange(2, (Ng * 2) + 1, dtype="float"), "kValuesDiff": np.arange(0, Ng, dtype="float"),
        "px": px[None, :, None, :], "py": py[None, None, :, :],
        "ux": ux[None, None, None, :], "uy": uy[None, None, None, :],
        "pxAddy": pxAddy[None], "pxSuby": pxSuby[None], "HXY": HXY[None],
    }
    # one nanmean over the angles for all features: each row reduced as pyradiomics' (1, angles) array
    means = np.nanmean(F, 1)
    return coefficients, {name: means[k:k + 1] for k, name in enumerate(FEATURES)}
