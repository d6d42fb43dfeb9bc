"""GLRLM features of a whole ROI in one pass, as pyradiomics' ``RadiomicsGLRLM``.

pyradiomics computes its 16 run-length features one method at a time, each normalising and reducing the
marginals (``p_r``, ``p_g``) or the matrix again, followed by a NaN-aware mean over the angles. Most of the
time on the demo's ROIs (13 angles, 20-120 grey levels) is numpy's per-call overhead, not arithmetic. The
features come from one compiled pass over pyradiomics' processed matrix, all angles at once
(:func:`.texture_kernels.glrlm_values`, within a few units in the last place of pyradiomics' values). Where
an angle has no runs (its features NaN, left out of pyradiomics' NaN-aware mean), :func:`_numpy_features`:
pyradiomics' expressions in its operand order, the squared grey levels and run lengths and the normalised
marginals computed once, the mean over angles for all features in one ``numpy.nanmean``.

Voxel-based extraction uses pyradiomics' code.

Reference: pyradiomics 3.1, ``radiomics/glrlm.py`` (Galloway MM, Comput Graph Image Process 1975;4:172).
"""
from __future__ import annotations

import numpy as np

from .firstorder import segment_class
from .texture_kernels import glrlm_values


def fast_glrlm_class(base):
    """A subclass of pyradiomics' GLRLM class ``base`` computing the segment-based features together."""
    return segment_class(base, _all_features)


def _all_features(fc) -> dict:
    """pyradiomics' GLRLM features, all at once (compiled; numpy where an angle is empty)."""
    values = glrlm_values(fc)
    return _numpy_features(fc) if values is None else values


def _numpy_features(fc) -> dict:
    """pyradiomics' GLRLM features (its expressions, in its operand order), all at once."""
    c = fc.coefficients
    P = fc.P_glrlm
    pr, pg, Nr = c["pr"], c["pg"], c["Nr"]
    ivector, jvector = c["ivector"], c["jvector"]
    eps = np.spacing(1)
    j2 = jvector[None, :, None] ** 2
    i2 = ivector[None, :, None] ** 2
    pg2 = np.sum(pg ** 2, 1)
    pr2 = np.sum(pr ** 2, 1)
    pgn = pg / Nr[:, None, :]
    u_i = np.sum(pgn * ivector[None, :, None], 1, keepdims=True)
    prn = pr / Nr[:, None, :]
    u_j = np.sum(prn * jvector[None, :, None], 1, keepdims=True)
    p_glrlm = P / Nr[:, None, None, :]
    i2P = ivector[None, :, None, None] ** 2
    j2P = jvector[None, None, :, None] ** 2
    per_angle = {
        "ShortRunEmphasis": np.sum((pr / j2), 1) / Nr,
        "LongRunEmphasis": np.sum((pr * j2), 1) / Nr,
        "GrayLevelNonUniformity": pg2 / Nr,
        "GrayLevelNonUniformityNormalized": pg2 / (Nr ** 2),
        "RunLengthNonUniformity": pr2 / Nr,
        "RunLengthNonUniformityNormalized": pr2 / Nr ** 2,
        "RunPercentage": Nr / np.sum(pr * jvector[None, :, None], 1),
        "GrayLevelVariance": np.sum(pgn * (ivector[None, :, None] - u_i) ** 2, 1),
        "RunVariance": np.sum(prn * (jvector[None, :, None] - u_j) ** 2, 1),
        "RunEntropy": -np.sum(p_glrlm * np.log2(p_glrlm + eps), (1, 2)),
        "LowGrayLevelRunEmphasis": np.sum((pg / i2), 1) / Nr,
        "HighGrayLevelRunEmphasis": np.sum((pg * i2), 1) / Nr,
        "ShortRunLowGrayLevelEmphasis": np.sum((P / (i2P * j2P)), (1, 2)) / Nr,
        "ShortRunHighGrayLevelEmphasis": np.sum((P * i2P / j2P), (1, 2)) / Nr,
        "LongRunLowGrayLevelEmphasis": np.sum((P * j2P / i2P), (1, 2)) / Nr,
        "LongRunHighGrayLevelEmphasis": np.sum((P * (j2P * i2P)), (1, 2)) / Nr,
    }
    names = list(per_angle)
    means = np.nanmean(np.stack([per_angle[n] for n in names]), 2)  # (features, Nv): nanmean over angles
    return {n: means[k] for k, n in enumerate(names)}
