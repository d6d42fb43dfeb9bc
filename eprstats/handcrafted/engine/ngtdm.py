"""NGTDM features of a whole ROI in one pass, as pyradiomics' ``RadiomicsNGTDM``.

pyradiomics computes its 5 features one method at a time, each building its own Ng x Ng arrays from the
coefficients (``p_i``, ``s_i``, the grey levels ``i``): ``i_k - i_l`` and its square, ``p_k + p_l``,
``p_i s_i``. Here one compiled double loop over the grey-level pairs gives all five
(:func:`.texture_kernels.ngtdm_values`: pyradiomics' formulas, the same removal of terms with ``p_i = 0``
and the same conventions for zero denominators, within a few units in the last place).
:func:`_numpy_features` keeps pyradiomics' expressions in numpy (each array built once). The matrix is
:mod:`.matrices`' (see :mod:`.classes`), the coefficients pyradiomics' own.

Voxel-based extraction uses pyradiomics' code.

Reference: pyradiomics 3.1, ``radiomics/ngtdm.py`` (Amadasun M, King R, IEEE Trans Syst Man Cybern
1989;19:1264).
"""
from __future__ import annotations

import numpy as np

from .firstorder import segment_class
from .texture_kernels import ngtdm_values


def fast_ngtdm_class(base):
    """A subclass of pyradiomics' NGTDM class ``base`` computing the segment-based features together."""
    return segment_class(base, _all_features)


def _without_absent_levels(array, p_zero):
    """pyradiomics: terms of a pairwise sum where ``p_i = 0`` or ``p_j = 0`` set to 0 (in place)."""
    array[p_zero[0], :, p_zero[1]] = 0
    array[p_zero[0], p_zero[1], :] = 0
    return array


def _all_features(fc) -> dict:
    """pyradiomics' NGTDM features, all at once (compiled)."""
    values = ngtdm_values(fc)
    return _numpy_features(fc) if values is None else values


def _numpy_features(fc) -> dict:
    """pyradiomics' NGTDM features (its expressions, in its operand order), all at once."""
    c = fc.coefficients
    Ngp, Nvp, p_i, s_i, i, p_zero = c["Ngp"], c["Nvp"], c["p_i"], c["s_i"], c["ivector"], c["p_zero"]
    pi_si = p_i * s_i
    sum_pi_si = np.sum(pi_si, 1)
    sum_s_i = np.sum(s_i, 1)
    i_diff = i[:, :, None] - i[:, None, :]
    i_diff2 = i_diff ** 2
    p_pair_sum = p_i[:, :, None] + p_i[:, None, :]

    coarseness = sum_pi_si.copy()
    coarseness[coarseness != 0] = 1 / coarseness[coarseness != 0]
    coarseness[coarseness == 0] = 1e6

    div = Ngp * (Ngp - 1)
    contrast = np.sum(p_i[:, :, None] * p_i[:, None, :] * i_diff2, (1, 2)) * sum_s_i / Nvp
    contrast[div != 0] /= div[div != 0]
    contrast[div == 0] = 0

    i_pi = i * p_i
    absdiff = np.sum(_without_absent_levels(np.abs(i_pi[:, :, None] - i_pi[:, None, :]), p_zero), (1, 2))
    busyness = sum_pi_si.copy()
    busyness[absdiff != 0] = busyness[absdiff != 0] / absdiff[absdiff != 0]
    busyness[absdiff == 0] = 0

    numerator = _without_absent_levels(pi_si[:, :, None] + pi_si[:, None, :], p_zero)
    divisor = p_pair_sum.copy()
    divisor[divisor == 0] = 1
    complexity = np.sum(np.abs(i_diff) * numerator / divisor, (1, 2)) / Nvp

    strength = np.sum(_without_absent_levels(p_pair_sum * i_diff2, p_zero), (1, 2))
    strength[sum_s_i != 0] /= sum_s_i[sum_s_i != 0]
    strength[sum_s_i == 0] = 0
    return {"Coarseness": coarseness, "Contrast": contrast, "Busyness": busyness, "Complexity": complexity,
            "Strength": strength}
