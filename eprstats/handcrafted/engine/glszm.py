"""GLSZM features of a whole ROI in one pass, as pyradiomics' ``RadiomicsGLSZM``.

pyradiomics computes its 16 size-zone features one method at a time from the coefficients (``ps``, ``pg``,
``Nz``, ``Np``, the grey levels ``ivector`` and zone sizes ``jvector``), recomputing the squared vectors and
the normalised marginals in several of them. Here they come from one compiled pass over the matrix and its
marginals (:func:`.texture_kernels.zone_values`: pyradiomics' formulas, within a few units in the last
place). :func:`zone_features` keeps pyradiomics' expressions in numpy (same operands, same operations in
the same order) as the reference the tests compare with. The matrix is :mod:`.matrices`' (see
:mod:`.classes`), the coefficients pyradiomics' own.

Voxel-based extraction uses pyradiomics' code.

Reference: pyradiomics 3.1, ``radiomics/glszm.py`` (Thibault G et al., PRIP 2009:140).
"""
from __future__ import annotations

import numpy as np

from .firstorder import segment_class
from .texture_kernels import zone_values


def fast_glszm_class(base):
    """A subclass of pyradiomics' GLSZM class ``base`` computing the segment-based features together."""
    return segment_class(base, _all_features)


def zone_features(P, ps, pg, Nz, ivector, jvector, names) -> dict:
    """The features GLSZM and GLDM share (the same expressions on a zone or dependence matrix ``P`` with
    marginals ``ps`` (sizes) and ``pg`` (grey levels)), under pyradiomics' names ``names`` (keys: SAE, LAE, GLN,
    GLNN, SZN, SZNN, GLV, ZV, ZE, LGLZE, HGLZE, SALGLE, SAHGLE, LALGLE, LAHGLE; a name None is skipped)."""
    eps = np.spacing(1)
    j2 = jvector[None, :] ** 2
    i2 = ivector[None, :] ** 2
    pg2 = np.sum(pg ** 2, 1)
    ps2 = np.sum(ps ** 2, 1)
    pgn = pg / Nz[:, None]
    u_i = np.sum(pgn * ivector[None, :], 1, keepdims=True)
    psn = ps / Nz[:, None]
    u_j = np.sum(psn * jvector[None, :], 1, keepdims=True)
    p = P / Nz[:, None, None]
    i2P = ivector[None, :, None] ** 2
    j2P = jvector[None, None, :] ** 2
    values = {
        "SAE": lambda: np.sum(ps / j2, 1) / Nz,
        "LAE": lambda: np.sum(ps * j2, 1) / Nz,
        "GLN": lambda: pg2 / Nz,
        "GLNN": lambda: pg2 / Nz ** 2,
        "SZN": lambda: ps2 / Nz,
        "SZNN": lambda: ps2 / Nz ** 2,
        "GLV": lambda: np.sum(pgn * (ivector[None, :] - u_i) ** 2, 1),
        "ZV": lambda: np.sum(psn * (jvector[None, :] - u_j) ** 2, 1),
        "ZE": lambda: -np.sum(p * np.log2(p + eps), (1, 2)),
        "LGLZE": lambda: np.sum(pg / i2, 1) / Nz,
        "HGLZE": lambda: np.sum(pg * i2, 1) / Nz,
        "SALGLE": lambda: np.sum(P / (i2P * j2P), (1, 2)) / Nz,
        "SAHGLE": lambda: np.sum(P * i2P / j2P, (1, 2)) / Nz,
        "LALGLE": lambda: np.sum(P * j2P / i2P, (1, 2)) / Nz,
        "LAHGLE": lambda: np.sum(P * i2P * j2P, (1, 2)) / Nz,
    }
    return {names[k]: f() for k, f in values.items() if names.get(k)}


#: pyradiomics' GLSZM feature names for the shared expressions of :func:`zone_features`.
GLSZM_NAMES = {
    "SAE": "SmallAreaEmphasis", "LAE": "LargeAreaEmphasis", "GLN": "GrayLevelNonUniformity",
    "GLNN": "GrayLevelNonUniformityNormalized", "SZN": "SizeZoneNonUniformity",
    "SZNN": "SizeZoneNonUniformityNormalized", "GLV": "GrayLevelVariance", "ZV": "ZoneVariance",
    "ZE": "ZoneEntropy", "LGLZE": "LowGrayLevelZoneEmphasis", "HGLZE": "HighGrayLevelZoneEmphasis",
    "SALGLE": "SmallAreaLowGrayLevelEmphasis", "SAHGLE": "SmallAreaHighGrayLevelEmphasis",
    "LALGLE": "LargeAreaLowGrayLevelEmphasis", "LAHGLE": "LargeAreaHighGrayLevelEmphasis",
}


def _all_features(fc) -> dict:
    """pyradiomics' GLSZM features (its expressions, in its operand order), all at once."""
    c = fc.coefficients
    if fc.P_glszm.shape[0] != 1:
        out = zone_features(fc.P_glszm, c["ps"], c["pg"], c["Nz"], c["ivector"], c["jvector"], GLSZM_NAMES)
    else:
        out = zone_values(fc.P_glszm, c["ivector"], c["jvector"], c["Nz"], GLSZM_NAMES)
    out["ZonePercentage"] = c["Nz"] / c["Np"]
    return out
