"""The eprstats engine's one-pass path (eprstats/handcrafted/engine/onepass.py, fused.py): every non-shape
feature of a (filtered image, ROI) pair at once, against pyradiomics' own ``RadiomicsFeatureExtractor`` (the
oracle) within 1e-10 relative / 1e-12 absolute, on random images and masks (sizes, spacings, 1-voxel, flat,
one-slice and border-touching ROIs, bin width and bin count, distances, gldm_a, 2-D); equal to the engine's
class path bit for bit; its matrices equal to pyradiomics' C code; and each condition it leaves to the
engine's classes indeed left to them."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest


import eprstats.handcrafted.extract as extract_mod  # noqa: E402
from eprstats.handcrafted.engine import onepass  # noqa: E402
from eprstats.handcrafted.extract import extract_features  # noqa: E402
from eprstats.handcrafted.params import Settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_engine import assert_equal_within_tolerance, pyradiomics_reference  # noqa: E402
from test_engine_matrices import random_arrays  # noqa: E402

ALL = ("shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm")
TEXTURES = ("glcm", "glrlm", "glszm", "gldm", "ngtdm")


def test_fused_matrices_equal_pyradiomics_c_code():
    """fused.texture_matrices against cMatrices on 300 random discretised arrays (2-D and 3-D, 1-voxel, flat,
    sparse, full and border-touching ROIs, distances 1-3, force2D, gldm_a 0-2): the same arrays and angles."""
    from radiomics import cMatrices

    from eprstats.handcrafted.engine import fused
    compared = 0
    for seed in range(300):
        image, mask, distances, force2D, dim, alpha, kind = random_arrays(seed)
        Ng = int(image[mask].max())
        settings = dict(distances=list(distances), force2D=force2D, force2Ddimension=dim, gldm_a=alpha)
        try:
            ref = {"glcm": cMatrices.calculate_glcm(image, mask, distances, Ng, force2D, dim),
                   "glrlm": cMatrices.calculate_glrlm(image, mask, Ng, int(max(image.shape)), force2D, dim),
                   "glszm": (cMatrices.calculate_glszm(image, mask, Ng, int(mask.sum()), force2D, dim), None),
                   "gldm": (cMatrices.calculate_gldm(image, mask, distances, Ng, alpha, force2D, dim), None),
                   "ngtdm": (cMatrices.calculate_ngtdm(image, mask, distances, Ng, force2D, dim), None)}
        except Exception as exc:  # no angle fits the array: pyradiomics' error, and ours (the same generator)
            with pytest.raises(type(exc)):
                fused.texture_matrices(image, mask, Ng, settings)
            continue
        got = fused.texture_matrices(image, mask, Ng, settings)
        for name, (P, angles) in ref.items():
            ours, our_angles = got[name]
            assert ours[None].shape == P.shape and ours.dtype == P.dtype, (seed, name, kind)
            assert np.array_equal(ours[None], P, equal_nan=True), (seed, name, kind)
            if angles is not None:
                assert np.array_equal(our_angles, angles), (seed, name)
        compared += 1
    assert compared > 250
    # a grey level outside 1..Ng: None (the classes' path, which raises pyradiomics' error)
    image = np.array([[[1, 2], [3, 0]]])
    assert fused.texture_matrices(image, image > 0, 2, {}) is None


def _case(seed):
    """(image, mask, settings, kind): a random case for the one-pass path."""
    import SimpleITK as sitk
    from scipy.ndimage import gaussian_filter

    rng = np.random.default_rng([25, seed])
    kind = ["blob", "border", "flat", "one-voxel", "slab", "diagonal", "2d", "blob"][seed % 8]
    shape = tuple(int(n) for n in rng.integers(4, 15, 3))
    if kind == "2d":
        shape = shape[1:]
    spacing = tuple(float(s) for s in rng.choice([0.5, 0.8, 1.0, 2.0, 3.0], len(shape)))
    level = float(rng.choice([100.0, 800.0]))
    noise = gaussian_filter(rng.normal(0, 1, shape), rng.uniform(0.3, 1.5))
    image = (level + level * 0.2 * noise / (noise.std() + 1e-12)).astype(np.float32)
    field = gaussian_filter(rng.normal(0, 1, shape), 1.5)
    mask = field > np.quantile(field, rng.uniform(0.3, 0.7))
    if kind == "border":
        mask[0] = True
        mask[..., -1] |= field[..., -1] > np.median(field)
    elif kind == "flat":
        image[mask] = level
    elif kind == "one-voxel":
        mask[:] = False
        mask[tuple(int(rng.integers(0, n)) for n in shape)] = True
    elif kind == "slab":  # one slice thick (cropped to one slice: pyradiomics' angles stay in the slice)
        keep = int(rng.integers(0, shape[0]))
        mask[np.arange(shape[0]) != keep] = False
        mask[keep, shape[1] // 2, :] = True
    elif kind == "diagonal":  # voxels on a diagonal: every angle but one without pairs (pyradiomics' path)
        mask[:] = False
        for k in range(min(shape)):
            mask[k, k, k] = True
    img = sitk.GetImageFromArray(image)
    img.SetSpacing(spacing)
    msk = sitk.GetImageFromArray(mask.astype(np.uint8))
    msk.CopyInformation(img)
    setting = {"label": 1, "minimumROIDimensions": 1}
    if seed % 3 == 2:
        setting["binCount"] = int(rng.choice([8, 16, 32]))
    else:
        setting["binWidth"] = float(rng.choice([1.0, 5.0] if level == 100.0 else [25.0, 50.0]))
    if seed % 5 == 1:
        setting["distances"] = [1, 2]
    if seed % 4 == 3:
        setting["gldm_a"] = 1
    if seed % 8 == 7:  # in-plane angles of a 3-D image
        setting["force2D"] = True
    if kind != "2d" and rng.random() < 0.4:
        setting.update(resampledPixelSpacing=[1, 1, 1], interpolator="sitkLinear", padDistance=5)
    image_types = {"Original": {}}
    if seed % 4 == 0 and kind not in ("one-voxel", "2d") and min(shape) >= 6:
        image_types.update(LoG={"sigma": [1.0]}, Wavelet={"start_level": 0, "level": 1})
    features = {c: None for c in ALL if not (kind == "2d" and c == "shape")}
    if kind == "2d":
        features["shape2D"] = None
    return img, msk, Settings(setting=setting, imageType=image_types, featureClass=features), kind


@pytest.fixture()
def spy(monkeypatch):
    """The engine's class table with each class counting its constructions (a fallback constructs one) in
    ``spy``; ``spy.class_path = True`` makes extract_features use the classes for everything (a plain dict)."""
    import types
    built: list = []
    original = extract_mod.resolve_classes
    state = types.SimpleNamespace(built=built, class_path=False)

    def resolve(*args):
        table, shared = original(*args)
        for name, cls in list(table.items()):
            def counting(cls=cls, name=name):
                class Counting(cls):
                    def __init__(self, *a, **k):
                        built.append(name)
                        super().__init__(*a, **k)
                return Counting
            table[name] = counting()
        return (dict(table) if state.class_path else table), shared
    monkeypatch.setattr(extract_mod, "resolve_classes", resolve)
    return state


def _outcome(fn):
    try:
        return fn(), None
    except Exception as exc:  # a ROI pyradiomics refuses: both must refuse it alike
        return None, (type(exc).__name__, str(exc))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", range(16))
def test_one_pass_equals_pyradiomics_extractor(seed, spy):
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    image, mask, settings, kind = _case(seed)
    theirs, their_error = _outcome(lambda: pyradiomics_reference(image, mask, settings))
    spy.built.clear()
    ours, our_error = _outcome(lambda: extract_features(image, {"roi": mask}, settings, engine="eprstats")["roi"])
    assert our_error == their_error, (seed, kind)
    if theirs is None:
        return
    assert_equal_within_tolerance(ours, theirs, f"seed {seed} ({kind})")
    fell_back = set(spy.built) - {"shape", "shape2D"}
    if kind in ("blob", "border", "flat", "2d", "slab"):
        assert fell_back == set(), (seed, kind, fell_back)  # the one-pass path computed every class
    elif kind == "diagonal":
        assert {"glcm", "glrlm"} <= fell_back, (seed, kind, fell_back)  # empty angles: pyradiomics' path
        assert "firstorder" not in fell_back and "glszm" not in fell_back
    # the class path's values, bit for bit
    spy.class_path = True
    classes = extract_features(image, {"roi": mask}, settings, engine="eprstats")["roi"]
    assert list(classes) == list(ours)
    for key, value in classes.items():
        if key.startswith("diagnostics_"):
            continue
        a, b = np.asarray(value, dtype=float), np.asarray(ours[key], dtype=float)
        assert np.array_equal(a, b, equal_nan=True), (seed, key, float(a), float(b))


def _blob():
    image, mask, _, _ = _case(0)
    return image, mask


@pytest.mark.parametrize("setting, features, classes", [
    ({"weightingNorm": "euclidean"}, None, {"glcm", "glrlm"}),
    ({"symmetricalGLCM": False}, None, {"glcm"}),
    ({}, {"gldm": ["DependencePercentage", "DependenceEntropy"]}, {"gldm"}),  # a deprecated one by name
    ({}, {"glcm": ["Contrast", "SumVariance"], "ngtdm": ["Busyness"]}, {"glcm", "ngtdm"}),
])
def test_each_setting_outside_the_fast_path_falls_back(setting, features, classes, spy):
    """weightingNorm, symmetricalGLCM: false, features enabled by name (a subset, a deprecated one): those
    classes by the engine's classes, the others by the one-pass path; the same values as pyradiomics'. (A
    non-integer gldm_a: pyradiomics' settings schema refuses it; fallback_reason, below.)"""
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    image, mask = _blob()
    feature_classes = {c: None for c in ALL}
    feature_classes.update(features or {})
    settings = Settings(setting={"label": 1, "binWidth": 25.0, **setting}, imageType={"Original": {}},
                        featureClass=feature_classes)
    theirs, their_error = _outcome(lambda: pyradiomics_reference(image, mask, settings))
    spy.built.clear()
    ours, our_error = _outcome(lambda: extract_features(image, {"roi": mask}, settings, engine="eprstats")["roi"])
    assert our_error == their_error
    assert set(spy.built) - {"shape"} == classes
    if theirs is not None:
        assert_equal_within_tolerance(ours, theirs, str(setting))


def test_fallback_reasons_and_image_conditions(monkeypatch):
    """The reasons fallback_reason names; voxel-based extraction, NaN in the ROI and an empty ROI never reach
    the one-pass computation."""
    import SimpleITK as sitk
    reason = onepass.fallback_reason
    assert reason("glcm", None, {}) is None and reason("gldm", [], {"gldm_a": 2}) is None
    assert reason("shape2D", None, {}) == "class shape2D"
    assert reason("firstorder", ["Mean"], {}) == "features enabled by name"
    assert reason("glrlm", None, {"weightingNorm": "manhattan"}) == "weightingNorm"
    assert reason("glszm", None, {"weightingNorm": "manhattan"}) is None  # the GLSZM has no weighting
    assert reason("glcm", None, {"symmetricalGLCM": False}) == "symmetricalGLCM"
    assert reason("gldm", None, {"gldm_a": 0.5}) == "gldm_a"

    image = np.full((5, 5, 5), 10.0)
    image[2, 2, 2] = np.nan
    mask = np.zeros((5, 5, 5), np.uint8)
    mask[1:4, 1:4, 1:4] = 1
    img, msk = sitk.GetImageFromArray(image), sitk.GetImageFromArray(mask)
    assert onepass._fast_values({}, {"firstorder"}, img, msk, {"binWidth": 5}, None, None, 0.0) == {}
    empty = sitk.GetImageFromArray(np.zeros((5, 5, 5), np.uint8))
    assert onepass._fast_values({}, {"firstorder"}, img, empty, {"binWidth": 5}, None, None, 0.0) == {}

    def refuse(*args, **kwargs):
        raise AssertionError("voxel-based extraction reached the one-pass computation")
    monkeypatch.setattr(onepass, "_fast_values", refuse)
    built = []

    class Table(dict):
        pass
    table = Table(firstorder=lambda *a, **k: built.append(k) or type("F", (), {"execute": lambda self: {}})())
    onepass.one_pass(table, {"firstorder": None}, img, msk, "original", {"voxelBased": True})
    assert built and built[0]["voxelBased"] is True


@pytest.mark.parametrize("absent", [0, 1, 3])
def test_glcm_processing_equals_pyradiomics_numpy_steps(absent):
    """The compiled GLCM processing (onepass._glcm) against pyradiomics' own numpy steps of ``_calculateMatrix``
    (``numpy.delete`` of the absent levels, ``P += P^T``, each angle divided by its sum) on random counts with
    0, 1 and 3 absent grey levels (numpy leaves the matrix in a different memory layout for one deleted level
    than for none or several, and the compiled pass follows it): every feature bit for bit, the MCC within
    1e-10."""
    from eprstats.handcrafted.engine import fused, glcm_kernels
    fused.compile_kernels()
    rng = np.random.default_rng(absent)
    Ng = 9
    gone = rng.choice(np.arange(1, Ng), absent, replace=False)  # never the largest level (it defines Ng)
    levels = np.setdiff1d(np.arange(1, Ng + 1), gone)
    P = rng.integers(0, 6, (Ng, Ng, 13)).astype(float)
    P[gone - 1] = 0
    P[:, gone - 1] = 0
    ref = np.delete(np.delete(P[None], gone - 1, 1), gone - 1, 2)
    ref += np.transpose(ref, (0, 2, 1, 3)).copy()
    ref /= np.sum(ref, (1, 2))[:, None, None, :]
    _, theirs = glcm_kernels.glcm_coefficients_and_features(ref, levels, Ng)
    ours = onepass._glcm(P, levels, levels.astype(float), Ng, None)
    for name, value in theirs.items():
        assert np.array_equal(ours[name], value), (absent, name)
    from eprstats.handcrafted.sparse_glcm import feature_classes
    c, _ = glcm_kernels.glcm_coefficients_and_features(ref, levels, Ng)
    mcc = feature_classes()["glcm"].getMCCFeatureValue(type("G", (), {"P_glcm": ref, "coefficients": c})())
    ours_mcc, their_mcc = np.ravel(ours["MCC"])[0], np.ravel(mcc)[0]
    assert abs(ours_mcc - their_mcc) <= 1e-10 * abs(their_mcc)


def test_matrices_the_fast_processing_does_not_take_go_to_the_classes():
    """A GLCM with one angle (pyradiomics' pass sums it pairwise) or an empty angle, a GLRLM with an angle
    without runs: None, so that one_pass hands the class to the engine's classes."""
    from eprstats.handcrafted.engine import fused
    fused.compile_kernels()
    levels = np.array([1, 2])
    one_angle = np.ones((2, 2, 1))
    assert onepass._glcm(one_angle, levels, levels.astype(float), 2, None) is None
    empty_angle = np.ones((2, 2, 3))
    empty_angle[:, :, 1] = 0
    assert onepass._glcm(empty_angle, levels, levels.astype(float), 2, None) is None
    runs = np.ones((2, 4, 3))
    runs[:, :, 2] = 0
    assert onepass._glrlm(runs, levels, levels.astype(float), 2, None) is None
    assert onepass._glrlm(np.ones((2, 4, 3)), levels, levels.astype(float), 2, None) is not None


def test_digitize_equals_numpy_digitize():
    """fused.digitize (the discretisation's bin index: a guess from the bin width, then the edges compared)
    against numpy.digitize on pyradiomics' own bin edges (imageoperations.getBinEdges) of random values of
    every pixel type an image has (int8-int32, uint8-uint32, float32, float64), values on the edges, below
    the first and above the last edge, flat values, widths 0.5-25 and edges far from 0; int64 values and edges
    beyond 2^53 go to numpy.digitize itself."""
    from radiomics import imageoperations

    from eprstats.handcrafted.engine import fused

    rng = np.random.default_rng(2025)
    dtypes = (np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32, np.float32, np.float64, np.int64)
    for case in range(360):
        dtype = dtypes[case % len(dtypes)]
        width = float(rng.choice([0.5, 1, 2.5, 5, 25])) if case % 2 else int(rng.choice([1, 5, 25]))
        n = int(rng.integers(1, 400))
        info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
        low = 0 if info is None or info.min == 0 else max(info.min, -3000)
        high = 3000 if info is None else min(info.max, 3000)
        values = rng.uniform(low, high, n)
        if case % 5 == 0:  # on the edges of the width
            values = np.round(values / width) * width
        elif case % 5 == 1:  # flat
            values = np.full(n, values[0])
        elif case % 5 == 2 and info is None:  # far from 0, small spread
            values = 1e7 + rng.normal(0, 30, n)
        values = values.astype(dtype)
        edges = np.asarray(imageoperations.getBinEdges(values, binWidth=width))
        got = fused.digitize(values, edges)
        assert got.dtype == np.int64 and np.array_equal(got, np.digitize(values, edges)), (case, dtype, width)
        # values outside the edges (the kernel clamps its guess)
        outside = np.concatenate([values, np.array([edges[0] - 3 * width, edges[-1] + 3 * width]).astype(values.dtype)]) \
            if info is None else values
        assert np.array_equal(fused.digitize(outside, edges), np.digitize(outside, edges)), (case, dtype)
