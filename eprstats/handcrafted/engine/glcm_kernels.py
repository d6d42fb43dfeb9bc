"""The GLCM's coefficients and 23 features (all but the MCC) of all angles in one compiled pass (numba).

pyradiomics (``radiomics/glcm.py``) computes each GLCM feature with its own numpy expressions over the
normalised matrix ``P`` (shape ``(1, Ng, Ng, angles)``): dozens of passes over ``Ng^2 x angles`` cells and
about 60 numpy calls per filtered image and ROI, most of the GLCM's time for the few dozen grey levels of a
ROI. :func:`glcm_coefficients_and_features` makes two passes over the cells and computes every per-angle sum
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

The functions are plain Python until :func:`compile_kernels` (called with the texture matrices' kernels)
replaces them by their compiled versions (numba's cache next to the package, as :mod:`.matrices`).

Reference: pyradiomics 3.1, ``radiomics/glcm.py``; Haralick RM et al., IEEE Trans Syst Man Cybern 1973;3:610.
"""
from __future__ import annotations

import math
import threading

import numpy as np

from .matrices import njit_cached

#: The rows of the feature array, pyradiomics' feature names (MCC: :mod:`.mcc`).
FEATURES = ("Autocorrelation", "JointAverage", "ClusterProminence", "ClusterShade", "ClusterTendency",
            "Contrast", "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance",
            "JointEnergy", "JointEntropy", "Imc1", "Imc2", "Idm", "Idmn", "Id", "Idn", "InverseVariance",
            "MaximumProbability", "SumAverage", "SumEntropy", "SumSquares")

_EPS = float(np.spacing(1))  # pyradiomics' eps
_STATE: dict = {}
_LOCK = threading.Lock()


def compile_kernels() -> None:
    """Compile :func:`_glcm_pass` (or load it from numba's cache) once per process; numba is imported here."""
    if _STATE.get("compiled"):
        return
    with _LOCK:
        if not _STATE.get("compiled"):
            globals()["_glcm_pass"], _ = njit_cached(globals()["_glcm_pass"])
            _STATE["compiled"] = True


def _glcm_pass(P, levels, Ng, eps, column_major):
    """P (n, n, Nd) normalised, ``levels`` (n,) its grey levels (float), ``Ng`` the largest grey level.

    Returns px (n, Nd), py (n, Nd), ux (Nd,), uy (Nd,), pxAddy (2 Ng - 1, Nd), pxSuby (Ng, Nd), HXY (Nd,) as
    pyradiomics' coefficients (without its leading axes), and F (len(FEATURES), Nd): each feature per angle."""
    n = P.shape[0]
    Nd = P.shape[2]
    px = np.zeros((n, Nd))
    py = np.zeros((n, Nd))
    ux = np.zeros(Nd)
    uy = np.zeros(Nd)
    pxAddy = np.zeros((2 * Ng - 1, Nd))
    pxSuby = np.zeros((Ng, Nd))
    hxy = np.zeros(Nd)
    auto = np.zeros(Nd)
    contrast = np.zeros(Nd)
    energy = np.zeros(Nd)
    maxprob = np.full(Nd, -np.inf)
    # Row-major order: the grouped sums (pyradiomics: boolean masks, a group's cells in row-major order), the
    # marginals (P.sum(2), P.sum(1): a row's or a column's cells in order, whatever the layout), and the sums
    # of P times an (Ng, Ng) array (numpy lays such a product out in row-major order)
    for i in range(n):
        li = levels[i]
        for j in range(n):
            lj = levels[j]
            ks = int(li + lj) - 2  # index of i + j in kValuesSum = 2, 3, ..., 2 Ng
            kd = int(abs(li - lj))  # index of |i - j| in kValuesDiff = 0, 1, ..., Ng - 1
            ij = li * lj
            d2 = abs(li - lj) ** 2
            for d in range(Nd):
                p = P[i, j, d]
                px[i, d] += p
                py[j, d] += p
                pxAddy[ks, d] += p  # sum(P[:, i + j == k, :], 1)
                pxSuby[kd, d] += p  # sum(P[:, abs(i - j) == k, :], 1)
                auto[d] += p * ij  # sum(P * (i * j))
                contrast[d] += p * d2  # sum(P * (abs(i - j) ** 2))
    # P's own order (``column_major``: j slower than i, as np.delete leaves it): the sums of P alone or times
    # an array of i or j only (numpy keeps P's layout for these products)
    for a in range(n):
        for b in range(n):
            i = b if column_major else a
            j = a if column_major else b
            li = levels[i]
            lj = levels[j]
            for d in range(Nd):
                p = P[i, j, d]
                ux[d] += li * p  # sum(i * P, (1, 2))
                uy[d] += lj * p
                energy[d] += p * p  # sum(P ** 2)
                if p > maxprob[d]:  # amax(P, (1, 2))
                    maxprob[d] = p
                if p != 0.0:
                    hxy[d] += p * math.log2(p + eps)  # sum(P * log2(P + eps)), negated below
    for d in range(Nd):
        hxy[d] = (-1) * hxy[d]
    # (i + j) - ux - uy and its powers depend on a cell only through i + j: computed once per value of i + j
    nk = 2 * Ng - 1
    t2 = np.empty((nk, Nd))
    t3 = np.empty((nk, Nd))
    t4 = np.empty((nk, Nd))
    for k in range(nk):
        for d in range(Nd):
            t = (k + 2.0) - ux[d] - uy[d]
            t2[k, d] = t * t  # ** 2
            t3[k, d] = math.pow(t, 3.0)  # ** 3
            t4[k, d] = math.pow(t, 4.0)  # ** 4
    prominence = np.zeros(Nd)
    shade = np.zeros(Nd)
    tendency = np.zeros(Nd)
    sigx2 = np.zeros(Nd)
    sigy2 = np.zeros(Nd)
    corm = np.zeros(Nd)
    hxy1 = np.zeros(Nd)
    hxy2 = np.zeros(Nd)
    # the sums that need the means or the marginals: P's order for those with i - ux, j - uy ...
    for a in range(n):
        for b in range(n):
            i = b if column_major else a
            j = a if column_major else b
            li = levels[i]
            lj = levels[j]
            for d in range(Nd):
                p = P[i, j, d]
                if p == 0.0:
                    continue
                dx = li - ux[d]
                dy = lj - uy[d]
                sigx2[d] += p * (dx * dx)  # sum(P * ((i - ux) ** 2)): SumSquares and sigx ** 2
                sigy2[d] += p * (dy * dy)
                corm[d] += p * dx * dy  # sum(P * (i - ux) * (j - uy))
    # ... row-major for those with (i + j) - ux - uy or p_x p_y (arrays of (i, j))
    for i in range(n):
        li = levels[i]
        for j in range(n):
            lj = levels[j]
            ks = int(li + lj) - 2
            for d in range(Nd):
                p = P[i, j, d]
                pxpy = px[i, d] * py[j, d]
                lg = math.log2(pxpy + eps) if pxpy != 0.0 else 0.0
                hxy2[d] += pxpy * lg  # sum((px * py) * log2(px * py + eps))
                if p == 0.0:
                    continue
                prominence[d] += p * t4[ks, d]  # sum(P * (((i + j) - ux - uy) ** 4))
                shade[d] += p * t3[ks, d]
                tendency[d] += p * t2[ks, d]
                hxy1[d] += p * lg  # sum(P * log2(px * py + eps))
    F = np.empty((23, Nd))
    for d in range(Nd):
        hx = 0.0
        hy = 0.0
        for i in range(n):
            if px[i, d] != 0.0:
                hx += px[i, d] * math.log2(px[i, d] + eps)
            if py[i, d] != 0.0:
                hy += py[i, d] * math.log2(py[i, d] + eps)
        hx = (-1) * hx
        hy = (-1) * hy
        sigx = math.sqrt(sigx2[d])  # ** 0.5
        sigy = math.sqrt(sigy2[d])
        corr = corm[d] / (sigx * sigy + eps)
        if sigx * sigy == 0:
            corr = 1.0  # pyradiomics: a zero denominator gives 1
        h1 = (-1) * hxy1[d]
        h2 = (-1) * hxy2[d]
        div = max(hx, hy)  # fmax
        imc1 = hxy[d] - h1
        if div != 0:
            imc1 /= div
        else:
            imc1 = 0.0  # pyradiomics: a zero denominator gives 0
        if h2 == hxy[d]:
            imc2 = 0.0
        else:
            imc2 = np.sqrt(1 - math.pow(math.e, -2 * (h2 - hxy[d])))  # NaN below zero, as numpy's ** 0.5
        diffavg = 0.0
        for k in range(Ng):
            diffavg += k * pxSuby[k, d]
        diffent = 0.0
        diffvar = 0.0
        idm = 0.0
        idmn = 0.0
        idd = 0.0
        idn = 0.0
        invvar = 0.0
        Ng2 = float(Ng * Ng)
        for k in range(Ng):
            q = pxSuby[k, d]
            kf = float(k)
            if q != 0.0:
                diffent += q * math.log2(q + eps)
            diffvar += q * ((kf - diffavg) * (kf - diffavg))
            idm += q / (1 + kf * kf)
            idmn += q / (1 + ((kf * kf) / Ng2))
            idd += q / (1 + kf)
            idn += q / (1 + (kf / Ng))
            if k > 0:
                invvar += q / (kf * kf)
        sumavg = 0.0
        sument = 0.0
        for k in range(nk):
            q = pxAddy[k, d]
            sumavg += (k + 2.0) * q
            if q != 0.0:
                sument += q * math.log2(q + eps)
        F[0, d] = auto[d]
        F[1, d] = ux[d]
        F[2, d] = prominence[d]
        F[3, d] = shade[d]
        F[4, d] = tendency[d]
        F[5, d] = contrast[d]
        F[6, d] = corr
        F[7, d] = diffavg
        F[8, d] = (-1) * diffent
        F[9, d] = diffvar
        F[10, d] = energy[d]
        F[11, d] = hxy[d]
        F[12, d] = imc1
        F[13, d] = imc2
        F[14, d] = idm
        F[15, d] = idmn
        F[16, d] = idd
        F[17, d] = idn
        F[18, d] = invvar
        F[19, d] = maxprob[d]
        F[20, d] = sumavg
        F[21, d] = (-1) * sument
        F[22, d] = sigx2[d]
    return px, py, ux, uy, pxAddy, pxSuby, hxy, F


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
