"""The compiled GLRLM, GLSZM, GLDM and NGTDM features (engine/texture_kernels.py) against pyradiomics' own
feature methods on the same matrices.

The reference is pyradiomics' class itself: a pyradiomics instance is built on a small image, its matrix is
replaced by a random one (sparse counts, many grey levels and run lengths or zone sizes, up to 13 angles,
grey levels with gaps, wide and narrow ranges), pyradiomics' own coefficients are computed from it, and each
``get...FeatureValue`` of pyradiomics is compared with the engine's value for the same instance, within
1e-10 relative (1e-12 absolute near zero). Whole-ROI equality (compiled matrices + these features) is in
test_engine_matrices.py, test_engine.py and test_engine_property.py.
"""
from __future__ import annotations

import logging

import numpy as np
import pytest


def _close(a, b) -> bool:
    a, b = float(a), float(b)
    return (np.isnan(a) and np.isnan(b)) or abs(a - b) <= max(1e-10 * abs(b), 1e-12)


def _instance(name, Ng):
    """pyradiomics' class ``name`` on a small 3-D image whose ROI holds grey levels 1..Ng (bin width 1)."""
    import radiomics
    import SimpleITK as sitk
    from radiomics import getFeatureClasses
    radiomics.setVerbosity(logging.ERROR)
    values = np.arange(1, Ng + 1, dtype=np.float32)
    side = int(np.ceil(Ng ** (1 / 3))) + 1
    array = np.ones(side ** 3, dtype=np.float32)
    array[:Ng] = values
    image = sitk.GetImageFromArray(array.reshape(side, side, side))
    mask = sitk.GetImageFromArray(np.ones((side, side, side), dtype=np.uint8))
    mask.CopyInformation(image)
    return getFeatureClasses()[name](image, mask, binWidth=1, label=1)


def _random_counts(rng, shape, density):
    P = np.where(rng.random(shape) < density, rng.integers(1, 50, shape), 0).astype(np.float64)
    return P


def _levels(rng, Ng):
    """Ng present grey levels: consecutive from 1, with gaps, or high (a narrow range far from zero)."""
    kind = rng.integers(3)
    if kind == 0:
        return np.arange(1, Ng + 1, dtype=float)
    if kind == 1:
        return np.sort(rng.choice(np.arange(1, 4 * Ng + 1), Ng, replace=False)).astype(float)
    return np.arange(1000, 1000 + Ng, dtype=float)


def _compare(fc, engine_values, where):
    assert engine_values is not None, where
    checked = 0
    for feature, deprecated in fc.getFeatureNames().items():
        if deprecated:
            continue
        theirs = getattr(fc, f"get{feature}FeatureValue")()
        ours = engine_values[feature]
        assert np.shape(ours) == (1,), f"{where}: {feature} shape {np.shape(ours)}"
        assert _close(ours[0], np.squeeze(theirs)), f"{where}: {feature} {ours[0]!r} != {theirs!r}"
        checked += 1
    assert checked == len(engine_values), where


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", range(12))
def test_glrlm_features_equal_pyradiomics(seed):
    from eprstats.handcrafted.engine.texture_kernels import glrlm_values
    rng = np.random.default_rng([25, 1, seed])
    Ng, Nr, Na = int(rng.integers(1, 80)), int(rng.integers(1, 60)), int(rng.choice([1, 4, 13]))
    fc = _instance("glrlm", 8)
    P = _random_counts(rng, (1, Ng, Nr, Na), float(rng.choice([0.02, 0.3, 1.0])))
    P[0, rng.integers(Ng), rng.integers(Nr), :] += 1  # every angle has a run
    fc.P_glrlm = P
    fc.coefficients["grayLevels"] = _levels(rng, Ng)
    fc.coefficients["Nr"] = np.sum(P, (1, 2))
    fc._calculateCoefficients()
    _compare(fc, glrlm_values(fc), f"seed {seed}, Ng {Ng}, Nr {Nr}, Na {Na}")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_glrlm_angle_without_runs_keeps_pyradiomics_nan_mean():
    """One angle without runs (a weighted single angle, or a flat ROI): pyradiomics' NaN for that angle
    left out of its NaN-aware mean; the engine hands that case to pyradiomics' expressions."""
    from eprstats.handcrafted.engine.glrlm import _all_features
    from eprstats.handcrafted.engine.texture_kernels import glrlm_values
    fc = _instance("glrlm", 8)
    P = np.zeros((1, 5, 4, 2))
    P[0, 1, 2, 0] = 3
    fc.P_glrlm = P
    fc.coefficients["grayLevels"] = np.arange(1, 6)
    Nr = np.sum(P, (1, 2))
    Nr[Nr == 0] = np.nan
    fc.coefficients["Nr"] = Nr
    fc._calculateCoefficients()
    assert glrlm_values(fc) is None
    _compare(fc, _all_features(fc), "an empty angle")


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("name", ["glszm", "gldm"])
def test_zone_features_equal_pyradiomics(name, seed, monkeypatch):
    import radiomics.gldm

    from eprstats.handcrafted.engine.gldm import _all_features as gldm_features
    from eprstats.handcrafted.engine.glszm import _all_features as glszm_features
    rng = np.random.default_rng([25, 2, seed])
    Ng, Ns = int(rng.integers(1, 80)), int(rng.integers(1, 300 if name == "glszm" else 27))
    fc = _instance(name, 8)
    P = _random_counts(rng, (1, Ng, Ns), float(rng.choice([0.01, 0.2, 1.0])))
    P[0, rng.integers(Ng), rng.integers(Ns)] += 1
    levels = _levels(rng, Ng)
    fc.coefficients["grayLevels"] = levels
    where = f"{name} seed {seed}, Ng {Ng}, Ns {Ns}"
    if name == "glszm":
        fc.P_glszm = P
        fc._calculateCoefficients()
        _compare(fc, glszm_features(fc), where)
        return
    # pyradiomics' GLDM computes its coefficients in _calculateMatrix, after removing the rows of absent grey
    # levels from the C code's matrix (one row per level 1..max): run it on this matrix
    full = np.zeros((1, int(levels.max()), Ns))
    full[0, levels.astype(int) - 1] = P[0]
    fc.coefficients["Ng"] = int(levels.max())
    monkeypatch.setattr(radiomics.gldm, "cMatrices", type("C", (), {"calculate_gldm": lambda *a: full.copy()}))
    fc.P_gldm = fc._calculateMatrix()
    _compare(fc, gldm_features(fc), where)


@pytest.mark.parametrize("seed", range(12))
def test_ngtdm_features_equal_pyradiomics(seed):
    from eprstats.handcrafted.engine.ngtdm import _all_features
    rng = np.random.default_rng([25, 3, seed])
    Ng = int(rng.integers(1, 120))
    fc = _instance("ngtdm", 8)
    n_i = rng.integers(1, 500, Ng).astype(float)
    s_i = rng.random(Ng) * n_i * rng.choice([0.0, 0.01, 3.0])  # 0: a flat neighbourhood everywhere
    fc.P_ngtdm = np.stack([n_i, s_i, _levels(rng, Ng)], axis=1)[None]
    fc._calculateCoefficients()
    _compare(fc, _all_features(fc), f"seed {seed}, Ng {Ng}")
