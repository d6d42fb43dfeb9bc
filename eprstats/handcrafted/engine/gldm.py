"""GLDM features of a whole ROI in one pass, as pyradiomics' ``RadiomicsGLDM``.

The GLDM's features are the GLSZM's expressions on the dependence matrix (pyradiomics writes them out again in
``radiomics/gldm.py``): they come from the same compiled pass (:func:`.texture_kernels.zone_values`), Large
Dependence High Gray Level Emphasis included (pyradiomics groups its factors as ``P (j^2 i^2)``, the GLSZM
as ``P i^2 j^2``: the same value within a unit in the last place). The matrix is :mod:`.matrices`' (see
:mod:`.classes`), the coefficients pyradiomics' own; the two deprecated features are left to pyradiomics'
methods (they raise, and are skipped, when enabled). A matrix of several voxels (not the engine's case) keeps
pyradiomics' expressions (:func:`.glszm.zone_features`).

Voxel-based extraction uses pyradiomics' code.

Reference: pyradiomics 3.1, ``radiomics/gldm.py`` (Sun C, Wee WG, Comput Vis Graph Image Process 1983;23:341).
"""
from __future__ import annotations

import numpy as np

from .firstorder import segment_class
from .glszm import zone_features
from .texture_kernels import zone_values

#: pyradiomics' GLDM feature names for the shared expressions of :func:`.glszm.zone_features`
#: (GLNN: deprecated in pyradiomics; LAHGLE: grouped differently, below).
GLDM_NAMES = {
    "SAE": "SmallDependenceEmphasis", "LAE": "LargeDependenceEmphasis", "GLN": "GrayLevelNonUniformity",
    "SZN": "DependenceNonUniformity", "SZNN": "DependenceNonUniformityNormalized",
    "GLV": "GrayLevelVariance", "ZV": "DependenceVariance", "ZE": "DependenceEntropy",
    "LGLZE": "LowGrayLevelEmphasis", "HGLZE": "HighGrayLevelEmphasis",
    "SALGLE": "SmallDependenceLowGrayLevelEmphasis", "SAHGLE": "SmallDependenceHighGrayLevelEmphasis",
    "LALGLE": "LargeDependenceLowGrayLevelEmphasis",
}


def fast_gldm_class(base):
    """A subclass of pyradiomics' GLDM class ``base`` computing the segment-based features together."""
    return segment_class(base, _all_features)


def _all_features(fc) -> dict:
    """pyradiomics' GLDM features (its expressions, in its operand order), all at once."""
    c = fc.coefficients
    P, Nz, ivector, jvector = fc.P_gldm, c["Nz"], c["ivector"], c["jvector"]
    if P.shape[0] == 1:
        return zone_values(P, ivector, jvector, Nz, dict(GLDM_NAMES, LAHGLE="LargeDependenceHighGrayLevelEmphasis"))
    out = zone_features(P, c["pd"], c["pg"], Nz, ivector, jvector, GLDM_NAMES)
    out["LargeDependenceHighGrayLevelEmphasis"] = np.sum(
        P * ((jvector[None, None, :] ** 2) * (ivector[None, :, None] ** 2)), (1, 2)) / Nz
    return out
