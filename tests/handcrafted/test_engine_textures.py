"""The compiled GLRLM, GLSZM, GLDM and NGTDM features (engine/texture_kernels.py) against pyradiomics' own
feature methods on the same matrices; the eprstats engine's preparation (engine/label_box.py, the
diagnostics, the mask check) against pyradiomics' functions.

The reference is pyradiomics' class itself: a pyradiomics instance is built on a small image, its matrix is
replaced by a random one (sparse counts, many grey levels and run lengths or zone sizes, up to 13 angles,
grey levels with gaps, wide and narrow ranges), pyradiomics' own coefficients are computed from it, and each
``get...FeatureValue`` of pyradiomics is compared with the engine's value for the same instance, within
1e-10 relative (1e-12 absolute near zero). Whole-ROI equality (compiled matrices + these features) is in
test_engine_matrices.py, test_engine.py and test_engine_property.py.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))


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
def test_texture_kernels_fill_any_out_array_and_refuse_wrong_sizes():
    """``kernels()``' functions keep the numba functions' calls: any ``out`` array (here a strided view, which
    the C code cannot write: the values are copied into it) receives pyradiomics' GLRLM values; mismatched
    vectors are a ValueError (the C code trusts the sizes it is given)."""
    from eprstats.handcrafted.engine.texture_kernels import GLRLM_ORDER, kernels
    rng = np.random.default_rng([25, 3])
    fc = _instance("glrlm", 8)
    P = _random_counts(rng, (1, 9, 7, 4), 0.5)
    P[0, 0, 0, :] += 1
    fc.P_glrlm = P
    fc.coefficients["grayLevels"] = _levels(rng, 9)
    fc.coefficients["Nr"] = np.sum(P, (1, 2))
    fc._calculateCoefficients()
    c = fc.coefficients
    args = (P[0], c["ivector"], c["jvector"], c["Nr"][0])
    strided = np.zeros(32)[::2]
    kernels()["_glrlm_features"](*args, strided)
    _compare(fc, {name: strided[k:k + 1] for k, name in enumerate(GLRLM_ORDER)}, "strided out")
    with pytest.raises(ValueError):
        kernels()["_glrlm_features"](P[0], c["ivector"][:-1], c["jvector"], c["Nr"][0], np.empty(16))
    with pytest.raises(ValueError):
        kernels()["_zone_features"](P[0, :, :, 0], c["ivector"], c["jvector"][:-1], 1.0, np.empty(15))
    with pytest.raises(ValueError):
        kernels()["_ngtdm_features"](np.ones(3) / 3, np.ones(2), np.arange(1.0, 4.0), 3.0, 3.0, np.empty(5))


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


# --- the preparation -----------------------------------------------------------------------------------------

def _random_mask(rng, shape, kind):
    """A label image (uint8) of ``kind``: blobs of labels 1-3, one voxel, a flat (one-slice) ROI, a ROI on
    the border, or no label 1 at all."""
    values = np.zeros(shape, dtype=np.uint8)
    if kind == "one-voxel":
        values[tuple(int(rng.integers(n)) for n in shape)] = 1
    elif kind == "flat":
        values[int(rng.integers(shape[0]))][rng.random(shape[1:]) < 0.5] = 1
    elif kind == "absent":
        values[rng.random(shape) < 0.3] = 2
    else:
        values[rng.random(shape) < 0.4] = rng.integers(1, 4)
        values[rng.random(shape) < 0.3] = 1
        if kind == "border":
            values[..., -1] = 1
    return values


def _outcome(fn):
    try:
        out = fn()
    except ValueError as exc:
        return None, exc.args
    if isinstance(out, tuple):  # checkMask: (bounding box, corrected mask)
        return (np.asarray(out[0]).tolist(), out[1]), None
    return np.asarray(out).tolist(), None


@pytest.mark.parametrize("seed", range(30))
def test_roi_checks_equal_pyradiomics(seed):
    """_checkROI, checkMask and the label-shape bounding box from the label box: the same boxes, or the same
    ValueError with the same arguments, on 2-D and 3-D label images (several labels, 1 voxel, flat, on the
    border, label absent), with minimumROIDimensions and minimumROISize; a mask on another grid goes to
    pyradiomics' checkMask (its own geometry error)."""
    import SimpleITK as sitk
    from radiomics import imageoperations

    from eprstats.handcrafted.engine.label_box import LabelBoxes, check_mask, check_roi
    from eprstats.handcrafted.engine.preparation import label_shape_box
    rng = np.random.default_rng([25, 4, seed])
    kind = ["blobs", "one-voxel", "flat", "border", "absent"][seed % 5]
    ndim = 2 if seed % 7 == 3 else 3
    shape = tuple(int(n) for n in rng.integers(3, 12, ndim))
    mask = sitk.GetImageFromArray(_random_mask(rng, shape, kind))
    image = sitk.GetImageFromArray(rng.normal(0, 1, shape).astype(np.float32))
    spacing = tuple(float(s) for s in rng.choice([0.7, 1.0, 2.5], ndim))
    for im in (mask, image):
        im.SetSpacing(spacing)
    if seed % 10 == 9:
        mask.SetOrigin(tuple([5.0] * ndim))  # another grid
    label = int(rng.choice([1, 1, 2]))
    settings = {"label": label, "minimumROIDimensions": int(rng.integers(1, ndim + 1)),
                "minimumROISize": [None, 3, 50][seed % 3]}
    boxes = LabelBoxes()
    where = f"seed {seed} ({kind}, {ndim}-D, {settings})"
    assert _outcome(lambda: check_mask(boxes, image, mask, **settings)) == \
        _outcome(lambda: imageoperations.checkMask(image, mask, **settings)), where
    if seed % 10 != 9:
        assert _outcome(lambda: check_roi(boxes, image, mask, **settings)) == \
            _outcome(lambda: imageoperations._checkROI(image, mask, **settings)), where
        present = label in np.unique(sitk.GetArrayViewFromImage(mask))
        if present:
            assert boxes.itk_box(mask, label) == label_shape_box(mask, label), where


@pytest.mark.parametrize("dtype, low, high", [("uint8", 0, 255), ("int16", -1024, 3000),
                                              ("int32", -2 ** 31, 2 ** 31 - 1), ("uint16", 0, 65535),
                                              ("float32", -1000.0, 1000.0)])
def test_image_mean_min_max_equal_the_float_copy(dtype, low, high):
    """The diagnostics' image mean, minimum and maximum without a float64 copy: equal (value and type) to
    numpy's on the float64 copy, as pyradiomics computes them."""
    import SimpleITK as sitk

    from eprstats.handcrafted.engine.diagnostics import mean_min_max
    rng = np.random.default_rng(3)
    if dtype == "float32":
        values = rng.uniform(low, high, (9, 40, 41)).astype(dtype)
    else:
        values = rng.integers(low, high, (9, 40, 41), endpoint=True, dtype=np.int64).astype(dtype)
    image = sitk.GetImageFromArray(values)
    copy = sitk.GetArrayFromImage(image).astype("float")
    theirs = (np.mean(copy), np.min(copy), np.max(copy))
    ours = mean_min_max(image)
    for a, b in zip(ours, theirs):
        assert type(a) is type(b) and a.tobytes() == b.tobytes(), (dtype, a, b)


@pytest.mark.parametrize("values, label", [([0, 1], 1), ([1, 1], 1), ([3, 4], 4), ([3, 4], 1), ([0, 2], 1),
                                           ([0, 1, 2], 2)])
def test_mask_check_of_binary_and_two_valued_masks_equals_pyradiomics(values, label):
    """getMask with the labels from the mask's extremes (two values at most one apart): the same mask or the
    same error as pyradiomics' ``numpy.unique``."""
    import SimpleITK as sitk
    from radiomics import imageoperations

    from eprstats.handcrafted.engine.preparation import get_mask
    mask = sitk.GetImageFromArray(np.resize(np.array(values, dtype=np.uint8), (3, 4, 5)))

    def outcome(fn):
        try:
            return sitk.Hash(fn()), None
        except ValueError as exc:
            return None, str(exc)
    assert outcome(lambda: get_mask(mask, label=label)) == \
        outcome(lambda: imageoperations.getMask(mask, label=label))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", range(8))
def test_diagnostics_equal_pyradiomics(seed):
    """Every diagnostics entry of the eprstats engine (hashes, bounding boxes, voxel and component counts,
    centres of mass, image and ROI statistics, original and interpolated) equal to pyradiomics' extractor's
    as text, on random images and masks with and without resampling (first order only: the diagnostics do
    not depend on the classes), or the same error."""
    import radiomics
    import SimpleITK as sitk
    from test_engine_property import random_case

    from eprstats.handcrafted.extract import diagnostic_values, extract_features
    from eprstats.handcrafted.params import Settings
    radiomics.setVerbosity(logging.ERROR)
    image, mask, settings, kind = random_case(seed)
    if seed % 2:  # an integer image, as CT (the mean from the integers)
        image = sitk.Cast(sitk.RescaleIntensity(image, -200, 1500), sitk.sitkInt16)
        mask.CopyInformation(image)
    settings = Settings(setting=settings.setting, imageType={"Original": {}}, featureClass={"firstorder": None})

    def outcome(fn):
        try:
            return diagnostic_values(fn()), None
        except ValueError as exc:
            return None, str(exc)
    theirs = outcome(lambda: settings.extractor().execute(image, mask))
    ours = outcome(lambda: extract_features(image, {"roi": mask}, settings, engine="eprstats")["roi"])
    assert ours == theirs, f"seed {seed} ({kind})"
