"""The GLRLM, GLSZM, GLDM and NGTDM features of a whole ROI from their matrices in one compiled pass each.

pyradiomics evaluates each feature with its own numpy expression (marginal sums, squared grey levels and run
or zone sizes, normalised matrices, a NaN-aware mean over angles for the GLRLM): 40-60 numpy calls on arrays
of a few thousand cells per class and filtered image, whose per-call overhead is most of the time. Here one
numba function per class walks the matrix once (the marginals, the entropy and the four joint emphases
together, all angles at once for the GLRLM), then its marginals once (the other features), and returns every
feature of the class.

Values: pyradiomics' formulas on pyradiomics' own processed matrix and coefficients (absent grey levels,
run lengths and zone sizes removed, GLRLM weighting and empty angles as pyradiomics does them; see
:mod:`.classes`). Every sum here has non-negative terms (counts, squares, absolute differences, ``-p log p``),
so adding them in another order than numpy's pairwise summation moves the result by a few units in the last
place, not more (relative error of a sum of n non-negative terms at most n machine epsilons); the
means and variances take their centre first, as pyradiomics (``sum p (i - mu)^2``, not ``E[i^2] - mu^2``,
which would cancel). Tested against pyradiomics' classes within 1e-10 relative
(``tests/handcrafted/test_engine_textures.py``, ``test_engine_matrices.py``).

Compiled on first use, cached by numba as :mod:`.matrices` does (numba is imported then, not at import).

References: pyradiomics 3.1 ``radiomics/glrlm.py``, ``glszm.py``, ``gldm.py``, ``ngtdm.py`` (Galloway 1975;
Thibault et al. 2009; Sun & Wee 1983; Amadasun & King 1989).
"""
from __future__ import annotations

import threading

import numpy as np

from .matrices import njit_cached

_STATE: dict = {}
_LOCK = threading.Lock()
_KERNELS = ("_glrlm_features", "_zone_features", "_ngtdm_features")

#: pyradiomics' GLRLM feature names, in the order :func:`_glrlm_features` returns them.
GLRLM_ORDER = ("ShortRunEmphasis", "LongRunEmphasis", "GrayLevelNonUniformity",
               "GrayLevelNonUniformityNormalized", "RunLengthNonUniformity", "RunLengthNonUniformityNormalized",
               "RunPercentage", "GrayLevelVariance", "RunVariance", "RunEntropy", "LowGrayLevelRunEmphasis",
               "HighGrayLevelRunEmphasis", "ShortRunLowGrayLevelEmphasis", "ShortRunHighGrayLevelEmphasis",
               "LongRunLowGrayLevelEmphasis", "LongRunHighGrayLevelEmphasis")

#: The order of :func:`_zone_features`' values (keys of ``glszm.GLSZM_NAMES`` / ``gldm.GLDM_NAMES``).
ZONE_ORDER = ("SAE", "LAE", "GLN", "GLNN", "SZN", "SZNN", "GLV", "ZV", "ZE", "LGLZE", "HGLZE", "SALGLE",
              "SAHGLE", "LALGLE", "LAHGLE")

#: pyradiomics' NGTDM feature names, in the order of :func:`_ngtdm_features`.
NGTDM_ORDER = ("Coarseness", "Contrast", "Busyness", "Complexity", "Strength")


def kernels():
    """This module's compiled functions (numba: compiled or loaded from its cache on the first call)."""
    if not _STATE.get("compiled"):
        with _LOCK:
            if not _STATE.get("compiled"):
                _compile()
    return _STATE["kernels"]


def _compile():
    # numba is present: engine_classes checked it (matrices.compile_kernels)
    compiled = {name: njit_cached(globals()[name])[0] for name in _KERNELS}
    _STATE["kernels"] = compiled
    _STATE["compiled"] = True


def _glrlm_features(P, ivector, jvector, Nr, out):
    """GLRLM features of ``P`` (Ng, Nr, Na) for each angle, averaged over the angles into ``out`` (16, in
    GLRLM_ORDER). ``Nr``: runs per angle (all > 0: pyradiomics removed empty angles)."""
    Ng, Nl, Na = P.shape
    eps = 2.220446049250313e-16  # numpy.spacing(1), as pyradiomics
    pr = np.zeros((Nl, Na))
    pg = np.zeros((Ng, Na))
    entropy = np.zeros(Na)
    sl = np.zeros(Na)  # short run low grey level
    sh = np.zeros(Na)
    ll = np.zeros(Na)
    lh = np.zeros(Na)
    for i in range(Ng):
        i2 = ivector[i] * ivector[i]
        for j in range(Nl):
            j2 = jvector[j] * jvector[j]
            for a in range(Na):
                p = P[i, j, a]
                if p != 0.0:
                    pr[j, a] += p
                    pg[i, a] += p
                    q = p / Nr[a]
                    entropy[a] -= q * np.log2(q + eps)
                    sl[a] += p / (i2 * j2)
                    sh[a] += p * i2 / j2
                    ll[a] += p * j2 / i2
                    lh[a] += p * (j2 * i2)
    for k in range(16):
        out[k] = 0.0
    for a in range(Na):
        n = Nr[a]
        sre = 0.0
        lre = 0.0
        rln = 0.0
        rsum = 0.0
        u_j = 0.0
        for j in range(Nl):
            v = pr[j, a]
            j2 = jvector[j] * jvector[j]
            sre += v / j2
            lre += v * j2
            rln += v * v
            rsum += v * jvector[j]
            u_j += v / n * jvector[j]
        rv = 0.0
        for j in range(Nl):
            d = jvector[j] - u_j
            rv += pr[j, a] / n * d * d
        gln = 0.0
        lg = 0.0
        hg = 0.0
        u_i = 0.0
        for i in range(Ng):
            v = pg[i, a]
            i2 = ivector[i] * ivector[i]
            gln += v * v
            lg += v / i2
            hg += v * i2
            u_i += v / n * ivector[i]
        gv = 0.0
        for i in range(Ng):
            d = ivector[i] - u_i
            gv += pg[i, a] / n * d * d
        out[0] += sre / n
        out[1] += lre / n
        out[2] += gln / n
        out[3] += gln / (n * n)
        out[4] += rln / n
        out[5] += rln / (n * n)
        out[6] += n / rsum
        out[7] += gv
        out[8] += rv
        out[9] += entropy[a]
        out[10] += lg / n
        out[11] += hg / n
        out[12] += sl[a] / n
        out[13] += sh[a] / n
        out[14] += ll[a] / n
        out[15] += lh[a] / n
    for k in range(16):
        out[k] /= Na


def _zone_features(P, ivector, jvector, Nz, out):
    """GLSZM / GLDM features of ``P`` (Ng, Ns) with grey levels ``ivector``, zone sizes (dependences)
    ``jvector`` and ``Nz`` zones, into ``out`` (15, in ZONE_ORDER)."""
    Ng, Ns = P.shape
    eps = 2.220446049250313e-16
    ps = np.zeros(Ns)
    pg = np.zeros(Ng)
    entropy = 0.0
    sl = 0.0
    sh = 0.0
    ll = 0.0
    lh = 0.0
    for i in range(Ng):
        i2 = ivector[i] * ivector[i]
        for j in range(Ns):
            p = P[i, j]
            if p != 0.0:
                j2 = jvector[j] * jvector[j]
                ps[j] += p
                pg[i] += p
                q = p / Nz
                entropy -= q * np.log2(q + eps)
                sl += p / (i2 * j2)
                sh += p * i2 / j2
                ll += p * j2 / i2
                lh += p * i2 * j2
    sae = 0.0
    lae = 0.0
    szn = 0.0
    u_j = 0.0
    for j in range(Ns):
        v = ps[j]
        j2 = jvector[j] * jvector[j]
        sae += v / j2
        lae += v * j2
        szn += v * v
        u_j += v / Nz * jvector[j]
    zv = 0.0
    for j in range(Ns):
        d = jvector[j] - u_j
        zv += ps[j] / Nz * d * d
    gln = 0.0
    lg = 0.0
    hg = 0.0
    u_i = 0.0
    for i in range(Ng):
        v = pg[i]
        i2 = ivector[i] * ivector[i]
        gln += v * v
        lg += v / i2
        hg += v * i2
        u_i += v / Nz * ivector[i]
    gv = 0.0
    for i in range(Ng):
        d = ivector[i] - u_i
        gv += pg[i] / Nz * d * d
    out[0] = sae / Nz
    out[1] = lae / Nz
    out[2] = gln / Nz
    out[3] = gln / (Nz * Nz)
    out[4] = szn / Nz
    out[5] = szn / (Nz * Nz)
    out[6] = gv
    out[7] = zv
    out[8] = entropy
    out[9] = lg / Nz
    out[10] = hg / Nz
    out[11] = sl / Nz
    out[12] = sh / Nz
    out[13] = ll / Nz
    out[14] = lh / Nz


def _ngtdm_features(p_i, s_i, ivector, Nvp, Ngp, out):
    """NGTDM features from pyradiomics' coefficients (p_i, s_i, grey levels, Nvp, Ngp) into ``out`` (5, in
    NGTDM_ORDER), with pyradiomics' conventions: pairs with p_i = 0 or p_j = 0 left out of Busyness,
    Complexity and Strength; a zero denominator gives Coarseness 1e6 and Contrast, Busyness, Strength 0."""
    Ng = p_i.shape[0]
    sum_pi_si = 0.0
    sum_s_i = 0.0
    for k in range(Ng):
        sum_pi_si += p_i[k] * s_i[k]
        sum_s_i += s_i[k]
    contrast = 0.0
    absdiff = 0.0
    complexity = 0.0
    strength = 0.0
    for k in range(Ng):
        for m in range(Ng):
            d = ivector[k] - ivector[m]
            d2 = d * d
            contrast += p_i[k] * p_i[m] * d2
            if p_i[k] != 0.0 and p_i[m] != 0.0:
                absdiff += abs(ivector[k] * p_i[k] - ivector[m] * p_i[m])
                complexity += abs(d) * (p_i[k] * s_i[k] + p_i[m] * s_i[m]) / (p_i[k] + p_i[m])
                strength += (p_i[k] + p_i[m]) * d2
    out[0] = 1.0 / sum_pi_si if sum_pi_si != 0.0 else 1e6
    div = Ngp * (Ngp - 1.0)
    out[1] = contrast * sum_s_i / Nvp / div if div != 0.0 else 0.0
    out[2] = sum_pi_si / absdiff if absdiff != 0.0 else 0.0
    out[3] = complexity / Nvp
    out[4] = strength / sum_s_i if sum_s_i != 0.0 else 0.0


def glrlm_values(fc):
    """{name: array of shape (1,)} for a segment-based GLRLM instance after ``_initCalculation``; None where
    pyradiomics' own expressions apply (an angle without runs, or no angle left: their NaN means and
    numpy's warning)."""
    c = fc.coefficients
    P, Nr = fc.P_glrlm, c["Nr"]
    if P.shape[0] != 1 or Nr.size == 0 or not np.isfinite(Nr).all():
        return None
    out = np.empty(16)
    kernels()["_glrlm_features"](np.ascontiguousarray(P[0]), c["ivector"].astype(np.float64),
                                 c["jvector"].astype(np.float64), np.ascontiguousarray(Nr[0], dtype=np.float64),
                                 out)
    return {name: out[k:k + 1] for k, name in enumerate(GLRLM_ORDER)}


def zone_values(P, ivector, jvector, Nz, names):
    """{pyradiomics name: array of shape (1,)} of the GLSZM/GLDM features of a segment's matrix ``P``
    (1, Ng, Ns); ``names`` maps ZONE_ORDER's keys to the class's names (None: not a feature of the class)."""
    out = np.empty(15)
    kernels()["_zone_features"](np.ascontiguousarray(P[0], dtype=np.float64), ivector.astype(np.float64),
                                jvector.astype(np.float64), float(Nz[0]), out)
    return {names[key]: out[k:k + 1] for k, key in enumerate(ZONE_ORDER) if names.get(key)}


def ngtdm_values(fc):
    """{name: array of shape (1,)} of a segment-based NGTDM instance after ``_initCalculation``."""
    c = fc.coefficients
    if c["p_i"].shape[0] != 1:
        return None
    out = np.empty(5)
    kernels()["_ngtdm_features"](np.ascontiguousarray(c["p_i"][0], dtype=np.float64),
                                 np.ascontiguousarray(c["s_i"][0], dtype=np.float64),
                                 np.ascontiguousarray(c["ivector"][0], dtype=np.float64),
                                 float(c["Nvp"][0]), float(c["Ngp"][0]), out)
    return {name: out[k:k + 1] for k, name in enumerate(NGTDM_ORDER)}
