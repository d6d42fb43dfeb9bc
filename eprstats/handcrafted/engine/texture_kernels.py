"""The GLRLM, GLSZM, GLDM and NGTDM features of a whole ROI from their matrices in one compiled pass each.

pyradiomics evaluates each feature with its own numpy expression (marginal sums, squared grey levels and run
or zone sizes, normalised matrices, a NaN-aware mean over angles for the GLRLM): 40-60 numpy calls on arrays
of a few thousand cells per class and filtered image, whose per-call overhead is most of the time. Here one
C function per class walks the matrix once (the marginals, the entropy and the four joint emphases
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

The passes are C (``engine/_features.c``, built with the package; :mod:`.native` loads it): the loops of the
numba functions they replaced, operation for operation, so the same values bit for bit (checked on the demo's
and a few hundred random matrices when they replaced them), without numba's start-up. The Python functions of
:func:`kernels` keep the numba functions' names and arguments and convert the arrays to contiguous float64
(the same values: numba converted them element by element).

References: pyradiomics 3.1 ``radiomics/glrlm.py``, ``glszm.py``, ``gldm.py``, ``ngtdm.py`` (Galloway 1975;
Thibault et al. 2009; Sun & Wee 1983; Amadasun & King 1989).
"""
from __future__ import annotations

import numpy as np

from . import native

_C = native.load("_features")

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
    """This module's kernels by name (C, ``engine/_features.c``): each fills its ``out`` array as the numba
    function of the same name did (InputError naming the fix when the C code was not built)."""
    native.require()
    return _KERNELS


def _f64(x):
    return np.ascontiguousarray(x, dtype=np.float64)


def _run(kernel, out, size, *args):
    """``kernel(buffer, *args)`` on ``out`` itself where the C code can write it (float64, contiguous), else
    on a buffer then copied into ``out``; status -1 (out of memory) raised."""
    if out.size < size:
        raise ValueError(f"out has {out.size} values, the kernel writes {size}")
    direct = out.dtype == np.float64 and out.flags.c_contiguous and out.flags.writeable
    buffer = out if direct else np.empty(size)
    if kernel(buffer, *args) == -1:
        raise MemoryError("texture features: no memory for the marginal sums")
    if not direct:
        out.flat[:size] = buffer[:size]


def _glrlm_features(P, ivector, jvector, Nr, out):
    """GLRLM features of ``P`` (Ng, Nl, Na) for each angle, averaged over the angles into ``out`` (16, in
    GLRLM_ORDER). ``Nr``: runs per angle (all > 0: pyradiomics removed empty angles)."""
    P, ivector, jvector, Nr = _f64(P), _f64(ivector), _f64(jvector), _f64(Nr)
    Ng, Nl, Na = P.shape
    if ivector.size != Ng or jvector.size != Nl or Nr.size != Na:
        raise ValueError(f"GLRLM {P.shape} with {ivector.size} grey levels, {jvector.size} lengths, {Nr.size} Nr")
    _run(_C.glrlm_features, out, 16, P, ivector, jvector, Nr, Ng, Nl, Na)


def _zone_features(P, ivector, jvector, Nz, out):
    """GLSZM / GLDM features of ``P`` (Ng, Ns) with grey levels ``ivector``, zone sizes (dependences)
    ``jvector`` and ``Nz`` zones, into ``out`` (15, in ZONE_ORDER)."""
    P, ivector, jvector = _f64(P), _f64(ivector), _f64(jvector)
    Ng, Ns = P.shape
    if ivector.size != Ng or jvector.size != Ns:
        raise ValueError(f"zone matrix {P.shape} with {ivector.size} grey levels, {jvector.size} sizes")
    _run(_C.zone_features, out, 15, P, ivector, jvector, Ng, Ns, float(Nz))


def _ngtdm_features(p_i, s_i, ivector, Nvp, Ngp, out):
    """NGTDM features from pyradiomics' coefficients (p_i, s_i, grey levels, Nvp, Ngp) into ``out`` (5, in
    NGTDM_ORDER), with pyradiomics' conventions: pairs with p_i = 0 or p_j = 0 left out of Busyness,
    Complexity and Strength; a zero denominator gives Coarseness 1e6 and Contrast, Busyness, Strength 0."""
    p_i, s_i, ivector = _f64(p_i), _f64(s_i), _f64(ivector)
    Ng = p_i.size
    if p_i.ndim != 1 or s_i.size != Ng or ivector.size != Ng:
        raise ValueError(f"NGTDM with {Ng} p_i, {s_i.size} s_i, {ivector.size} grey levels")
    _run(_C.ngtdm_features, out, 5, p_i, s_i, ivector, Ng, float(Nvp), float(Ngp))


_KERNELS = {"_glrlm_features": _glrlm_features, "_zone_features": _zone_features,
            "_ngtdm_features": _ngtdm_features}


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
