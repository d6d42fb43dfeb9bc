"""The eprstats engine's compiled texture matrices (eprstats/handcrafted/engine/matrices.py and _fused.c)
against pyradiomics' C code (``radiomics.cMatrices``), called directly with the same arguments: the same
arrays, exactly (shape, dtype and every element; NGTDM's float sums bit for bit), or the same error. Random
discretised images and masks (2-D and 3-D, 1-voxel, flat and border-touching ROIs, sizes 1 along an axis,
several distances, force2D along each axis, gldm_a 0-2) and pyradiomics' brain1 case discretised at two bin
widths."""
from __future__ import annotations

import numpy as np
import pytest


KINDS = ("blob", "border", "flat", "one-voxel", "sparse", "full")


def random_arrays(seed: int):
    """(image, mask, distances, force2D, force2Ddimension, gldm_a, kind): a discretised image as pyradiomics'
    binImage returns it (int64, 1..Ng inside the ROI, 0 outside) and its ROI."""
    rng = np.random.default_rng(seed)
    kind = KINDS[seed % len(KINDS)]
    ndim = 2 if seed % 5 == 0 else 3
    shape = tuple(int(n) for n in rng.integers(1, 10, ndim))
    levels = int(rng.integers(1, 7))
    image = rng.integers(1, levels + 1, shape)
    if kind == "flat":
        image[:] = levels
    mask = rng.random(shape) < {"sparse": 0.15, "full": 1.1}.get(kind, rng.uniform(0.3, 0.9))
    if kind == "one-voxel":
        mask[:] = False
        mask[tuple(int(rng.integers(0, n)) for n in shape)] = True
    elif kind == "border":
        mask[(0,) * ndim] = True
        mask[tuple(n - 1 for n in shape)] = True
    if not mask.any():
        mask[(0,) * ndim] = True
    image[~mask] = 0
    distances = np.array([[1], [1], [1, 2], [2], [3, 1]][seed % 5])
    force2D = bool(rng.random() < 0.3)
    return image, mask, distances, force2D, int(rng.integers(0, ndim)), int(rng.integers(0, 3)), kind


def _outcome(fn):
    try:
        return fn()
    except Exception as exc:  # pyradiomics' error (e.g. no angle fits the array): both must raise the same
        return (type(exc).__name__, str(exc))


def _same(ours, theirs):
    if isinstance(theirs, tuple) and isinstance(theirs[0], str):
        return ours == theirs
    if isinstance(theirs, tuple):  # (matrix, angles)
        return isinstance(ours, tuple) and all(_same(a, b) for a, b in zip(ours, theirs))
    return (isinstance(ours, np.ndarray) and ours.shape == theirs.shape and ours.dtype == theirs.dtype
            and np.array_equal(ours, theirs, equal_nan=ours.dtype.kind == "f"))  # a 1-voxel GLCM is 0/0


def all_matrices(module, image, mask, distances, force2D, dim, alpha):
    """The five matrices by ``module`` (radiomics.cMatrices or the engine's), with the arguments pyradiomics'
    classes pass (Ng: the largest grey level in the ROI; Ns: the ROI's voxel count; Nr: the longest axis)."""
    Ng = int(image[mask].max())
    return {
        "glcm": _outcome(lambda: module.calculate_glcm(image, mask, distances, Ng, force2D, dim)),
        "glszm": _outcome(lambda: module.calculate_glszm(image, mask, Ng, int(mask.sum()), force2D, dim)),
        "glrlm": _outcome(lambda: module.calculate_glrlm(image, mask, Ng, int(max(image.shape)), force2D, dim)),
        "ngtdm": _outcome(lambda: module.calculate_ngtdm(image, mask, distances, Ng, force2D, dim)),
        "gldm": _outcome(lambda: module.calculate_gldm(image, mask, distances, Ng, alpha, force2D, dim)),
    }


def _check_random(seeds):
    from radiomics import cMatrices

    from eprstats.handcrafted.engine import matrices
    errors = 0
    for seed in seeds:
        image, mask, distances, force2D, dim, alpha, kind = random_arrays(seed)
        theirs = all_matrices(cMatrices, image, mask, distances, force2D, dim, alpha)
        ours = all_matrices(matrices, image, mask, distances, force2D, dim, alpha)
        for name in theirs:
            assert _same(ours[name], theirs[name]), (
                f"seed {seed} ({kind}, shape {image.shape}, distances {distances}, force2D {force2D} along "
                f"{dim}, gldm_a {alpha}): {name} differs")
            errors += isinstance(theirs[name], tuple) and isinstance(theirs[name][0], str)
    return errors


def test_random_arrays_equal_pyradiomics_c_code():
    errors = _check_random(range(240))
    assert errors > 0  # some cases are ones pyradiomics refuses (no angle fits): refused the same way


@pytest.mark.slow
def test_random_arrays_equal_pyradiomics_c_code_more(request):
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the full equality sweep: run with -m slow")
    _check_random(range(240, 3240))


@pytest.mark.parametrize("bin_width", [25, 100])
def test_brain1_equals_pyradiomics_c_code(pyrad_data, bin_width):
    """A real ROI (pyradiomics' brain1, cropped as the extractor crops it), discretised as its classes do;
    3-D, 2-D per slice direction (force2D), distances 1 and 1-2, gldm_a 0 and 1."""
    import SimpleITK as sitk
    from radiomics import cMatrices, imageoperations

    from eprstats.handcrafted.engine import matrices
    image = sitk.ReadImage(str(pyrad_data / "brain1_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / "brain1_label.nrrd"))
    bb, _ = imageoperations.checkMask(image, mask)
    image, mask = imageoperations.cropToTumorMask(image, mask, bb, padDistance=1)
    roi = sitk.GetArrayFromImage(mask) == 1
    binned, _ = imageoperations.binImage(sitk.GetArrayFromImage(image), roi, binWidth=bin_width)
    for distances, force2D, dim, alpha in [([1], False, 0, 0), ([1, 2], False, 0, 1), ([1], True, 0, 0),
                                           ([1], True, 2, 1)]:
        args = (binned, roi, np.array(distances), force2D, dim, alpha)
        theirs, ours = all_matrices(cMatrices, *args), all_matrices(matrices, *args)
        for name in theirs:
            assert _same(ours[name], theirs[name]), f"brain1, bin width {bin_width}, {args[2:]}: {name}"


def test_a_grey_level_outside_the_range_is_refused_as_pyradiomics():
    """A grey level above Ng (or 0) inside the ROI: IndexError with pyradiomics' message, not a write out of
    bounds."""
    from radiomics import cMatrices

    from eprstats.handcrafted.engine import matrices
    image = np.array([[[1, 2], [3, 0]]])
    mask = np.ones_like(image, dtype=bool)
    for name in ("glcm", "glszm", "ngtdm", "gldm", "glrlm"):
        theirs = all_matrices(cMatrices, image, mask, np.array([1]), False, 0, 0)[name]
        ours = all_matrices(matrices, image, mask, np.array([1]), False, 0, 0)[name]
        assert ours == theirs and ours[0] == "IndexError", name


#: Settings that change the matrices (distances, force2D along each axis, gldm_a, weightingNorm) or the
#: discretisation, cycled through the random cases of the class-level test.
CLASS_SETTINGS = [
    {"binWidth": 1},
    {"binWidth": 2, "distances": [1, 2], "gldm_a": 1},
    {"binCount": 4, "force2D": True, "force2Ddimension": 0},
    {"binWidth": 1, "force2D": True, "force2Ddimension": 2, "weightingNorm": "euclidean"},
    {"binWidth": 1, "weightingNorm": "manhattan", "distances": [2], "gldm_a": 2},
    {"binWidth": 3, "weightingNorm": "infinity", "symmetricalGLCM": False},
]


def random_image(seed: int):
    """(SimpleITK image, mask, settings, kind): 2-D or 3-D, the ROI as in :func:`random_arrays`."""
    import SimpleITK as sitk
    image, mask, _, _, _, _, kind = random_arrays(seed)
    values = np.where(mask, image, np.random.default_rng(seed).integers(1, 9, image.shape)).astype(np.float32)
    img = sitk.GetImageFromArray(values)
    img.SetSpacing((0.8, 1.0, 2.5)[:values.ndim])
    msk = sitk.GetImageFromArray(mask.astype(np.uint8))
    msk.CopyInformation(img)
    settings = dict(CLASS_SETTINGS[seed % len(CLASS_SETTINGS)], label=1)
    if values.ndim == 2 and settings.get("force2Ddimension", 0) > 1:
        settings["force2Ddimension"] = 1
    return img, msk, settings, kind


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # pyradiomics' and the engine's 0/0 on 1-voxel ROIs
@pytest.mark.parametrize("seed", range(24))
def test_engine_classes_equal_pyradiomics_classes(seed):
    """Each texture class of the eprstats engine (compiled matrix, features together) against pyradiomics'
    own class on the same image, mask and settings: the same matrix after pyradiomics' processing, and the same
    features within 1e-10 relative (docs/engine.md: GLCM's sums regrouped; GLRLM, GLSZM, GLDM and NGTDM
    summed in one compiled pass, engine/texture_kernels.py)."""
    import logging

    import radiomics
    from radiomics import getFeatureClasses

    from eprstats.handcrafted.engine.classes import engine_classes
    radiomics.setVerbosity(logging.ERROR)
    image, mask, settings, kind = random_image(seed)
    table, _ = engine_classes()
    where = f"seed {seed} ({kind}, {image.GetDimension()}-D, {settings})"
    for name, matrix in [("glcm", "P_glcm"), ("glrlm", "P_glrlm"), ("glszm", "P_glszm"), ("gldm", "P_gldm"),
                         ("ngtdm", "P_ngtdm")]:
        theirs_fc = getFeatureClasses()[name](image, mask, **settings)
        ours_fc = table[name](image, mask, **settings)
        theirs, their_error = _outcome(theirs_fc.execute), None
        if isinstance(theirs, tuple):
            theirs, their_error = None, theirs
        ours = _outcome(ours_fc.execute)
        if their_error is not None:
            assert ours == their_error, f"{where}: {name}"
            continue
        assert _same(getattr(ours_fc, matrix), getattr(theirs_fc, matrix)), f"{where}: {name} matrix"
        assert list(ours) == list(theirs), f"{where}: {name} feature names"
        for feature, ref in theirs.items():
            a, b = float(ours[feature]), float(ref)
            ok = (np.isnan(a) and np.isnan(b)) or abs(a - b) <= max(1e-10 * abs(b), 1e-12)
            assert ok, f"{where}: {name} {feature} {a!r} != {b!r}"


def test_without_the_compiled_kernels_the_engine_is_refused_with_the_fix(monkeypatch):
    """engine/_fused.c not built (an installation without a C compiler): the eprstats engine stops with an
    InputError naming the fix; pyradiomics' engine works."""
    from eprstats.errors import InputError
    from eprstats.handcrafted.engine import native, resolve_classes
    monkeypatch.setattr(native, "MISSING", {"_fused": "No module named 'eprstats.handcrafted.engine._fused'"})
    with pytest.raises(InputError, match="compiled kernels are not installed") as err:
        resolve_classes("eprstats")
    assert "C compiler" in err.value.fix and "--engine pyradiomics" in err.value.fix
    assert "glszm" in resolve_classes("pyradiomics")[0]


def test_kernels_with_a_numpy_path_do_not_stop_the_engine(monkeypatch):
    """engine/_prep.c and _mcc.c not built: their callers keep numpy's path (tested equal to the compiled one in
    test_engine_speedups.py), so the engine runs; engine/_fused.c missing as well still stops it."""
    from eprstats.errors import InputError
    from eprstats.handcrafted.engine import native, resolve_classes
    monkeypatch.setattr(native, "MISSING", {"_prep": "not built", "_mcc": "not built"})
    assert "glszm" in resolve_classes("eprstats")[0]
    monkeypatch.setattr(native, "MISSING", {"_prep": "not built", "_fused": "not built"})
    with pytest.raises(InputError, match=r"not installed \(_fused: not built\)"):
        resolve_classes("eprstats")
