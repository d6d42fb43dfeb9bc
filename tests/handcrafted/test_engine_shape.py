"""The eprstats engine's shape mesh (engine/shape.py) against pyradiomics' C code
(``radiomics.cShape.calculate_coefficients`` / ``calculate_coefficients2D``, the independent reference), and
its shape features against pyradiomics' own ``computeShape``.

The mesh's surface area, volume and diameters are expected bit for bit (the same operations, the running sums
in the C loop's order, the diameters' maxima exact); the features within the engine's tolerance (1e-10
relative, 1e-12 absolute near zero), as every other feature of the engine."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from eprstats.handcrafted.engine.shape import compute_shape, mesh_coefficients, mesh_coefficients_2d
from eprstats.handcrafted.params import Settings

sys.path.insert(0, str(Path(__file__).parent))

RTOL, ATOL = 1e-10, 1e-12
CORNERS = ((0, 0, 0), (0, 0, 1), (0, 1, 1), (0, 1, 0), (1, 0, 0), (1, 0, 1), (1, 1, 1), (1, 1, 0))


def _c_code(mask, spacing):
    from radiomics import cShape
    if mask.ndim == 3:
        area, volume, diameters = cShape.calculate_coefficients(mask, np.asarray(spacing, dtype=float))
        return (area, volume, *diameters)
    return tuple(cShape.calculate_coefficients2D(mask, np.asarray(spacing, dtype=float)))


def _ours(mask, spacing):
    if mask.ndim == 3:
        area, volume, diameters = mesh_coefficients(mask, spacing)
        return (area, volume, *diameters)
    return tuple(mesh_coefficients_2d(mask, spacing))


def _result(function, mask, spacing):
    try:
        return function(mask, spacing)
    except RuntimeError as error:  # the C code's vertex stack overflows on some unpadded 2-D masks
        return f"RuntimeError: {error}"


def _assert_same_mesh(mask, spacing, where):
    theirs, ours = _result(_c_code, mask, spacing), _result(_ours, mask, spacing)
    assert ours == theirs, f"{where}: {ours} != pyradiomics' C code {theirs}"


def test_every_cube_configuration():
    """All 256 corner patterns of one marching cube (each triangle of the look-up table), anisotropic."""
    for pattern in range(256):
        mask = np.zeros((4, 4, 4), dtype=bool)
        for bit, (dz, dy, dx) in enumerate(CORNERS):
            mask[1 + dz, 1 + dy, 1 + dx] = bool(pattern >> bit & 1)
        _assert_same_mesh(mask, (1.3, 0.7, 2.1), f"cube pattern {pattern}")


def test_every_square_configuration():
    for pattern in range(16):
        mask = np.zeros((4, 4), dtype=bool)
        for bit, (dy, dx) in enumerate(((0, 0), (0, 1), (1, 1), (1, 0))):
            mask[1 + dy, 1 + dx] = bool(pattern >> bit & 1)
        _assert_same_mesh(mask, (0.6, 1.7), f"square pattern {pattern}")


def _random_masks(rng, ndim, count):
    """Random padded masks: sizes 1-14 a side, densities 0-1, some solid blobs, 1-voxel and flat masks
    (one slice, one row), masks that fill their box (touching its border before the padding)."""
    for case in range(count):
        shape = tuple(int(n) for n in rng.integers(1, 15, ndim))
        kind = case % 5
        if kind == 0:
            mask = rng.random(shape) < rng.random()
        elif kind == 1:  # a ball: long straight runs, many vertices in one plane
            grid = np.indices(shape) - (np.array(shape) - 1)[(...,) + (None,) * ndim] / 2
            mask = np.sum(grid.astype(float) ** 2, axis=0) <= (min(shape) / 2) ** 2 + rng.random()
        elif kind == 2:  # flat: one slice (or row) of random voxels
            flat = list(shape)
            flat[rng.integers(ndim)] = 1
            mask = rng.random(flat) < 0.7
        elif kind == 3:  # one voxel
            mask = np.ones((1,) * ndim, dtype=bool)
        else:  # fills its whole box
            mask = np.ones(shape, dtype=bool)
        spacing = tuple(float(s) for s in rng.uniform(0.3, 3.0, ndim))
        yield np.pad(mask, 1), spacing


def test_random_masks_3d():
    rng = np.random.default_rng(20250)
    for i, (mask, spacing) in enumerate(_random_masks(rng, 3, 150)):
        _assert_same_mesh(mask, spacing, f"random 3-D mask {i} {mask.shape} {spacing}")


def test_random_masks_2d():
    rng = np.random.default_rng(20251)
    for i, (mask, spacing) in enumerate(_random_masks(rng, 2, 150)):
        _assert_same_mesh(mask, spacing, f"random 2-D mask {i} {mask.shape} {spacing}")


def test_unpadded_and_degenerate_masks():
    """No padding (voxels on the array's border), empty masks and arrays thinner than one cube."""
    rng = np.random.default_rng(3)
    for shape in [(1, 5, 5), (2, 2, 2), (3, 1, 4), (6, 7, 5), (2, 9, 3)]:
        for density in (0.0, 0.5, 1.0):
            _assert_same_mesh(rng.random(shape) < density, (0.8, 0.8, 3.0), f"unpadded {shape} {density}")
    for shape in [(1, 5), (2, 2), (7, 4)]:
        for density in (0.0, 0.5, 1.0):
            _assert_same_mesh(rng.random(shape) < density, (0.8, 3.0), f"unpadded {shape} {density}")


def _padded_roi(mask_image, label=1):
    import SimpleITK as sitk
    array = sitk.GetArrayFromImage(mask_image) == label
    z, y, x = np.nonzero(array)
    array = array[z.min():z.max() + 1, y.min():y.max() + 1, x.min():x.max() + 1]
    return np.pad(array, 1), np.array(mask_image.GetSpacing()[::-1])


@pytest.mark.parametrize("case", ["brain1", "brain2", "breast1", "prostate_phantom_subvolume"])
def test_pyradiomics_sample_masks(pyrad_data, case):
    """The real labels of pyradiomics' sample cases (up to 0.78 x 0.78 x 6.5 mm voxels), in 3-D and, for each
    slice of the label, in 2-D."""
    import SimpleITK as sitk
    name = f"{case}-label.nrrd" if case.startswith("prostate") else f"{case}_label.nrrd"
    mask, spacing = _padded_roi(sitk.ReadImage(str(pyrad_data / name)))
    _assert_same_mesh(mask, spacing, case)
    for z in range(1, mask.shape[0] - 1):
        _assert_same_mesh(np.pad(mask[z, 1:-1, 1:-1], 1), spacing[1:], f"{case} slice {z}")


def test_ibsi_phantom_mask(shared_data):
    import SimpleITK as sitk
    mask, spacing = _padded_roi(sitk.ReadImage(str(shared_data / "ibsi" / "digital_phantom_mask.nii.gz")))
    _assert_same_mesh(mask, spacing, "IBSI digital phantom")


def test_demo_rois():
    """The demo's ROIs at 1 mm (tumour, 3 mm ring, tumour plus ring, second reader): thin shells with long
    runs of vertices on one grid line, where the diameter search's pruning matters most."""
    from test_engine import _demo_patient
    _, rois = _demo_patient(11)
    for name, roi in rois.items():
        mask, spacing = _padded_roi(roi)
        _assert_same_mesh(mask, spacing, f"demo {name}")


def _assert_features_equal(ours, theirs, where):
    assert list(ours) == list(theirs), f"{where}: the shape feature names or their order differ"
    for name, ref in theirs.items():
        value, ref = float(ours[name]), float(ref)
        if np.isnan(ref) and np.isnan(value):
            continue
        assert abs(value - ref) <= max(RTOL * abs(ref), ATOL), f"{where}: {name} {value} != {ref}"


def _shape_both(image, mask, settings: Settings):
    """(engine, pyradiomics) shape features after pyradiomics' own preparation of the ROI."""
    import radiomics
    from radiomics import imageoperations
    radiomics.setVerbosity(logging.ERROR)
    extractor = settings.extractor()
    kwargs = extractor.settings.copy()
    if kwargs.get("interpolator") is not None and kwargs.get("resampledPixelSpacing") is not None:
        image, mask = imageoperations.resampleImage(image, mask, **kwargs)
    bb, corrected = imageoperations.checkMask(image, mask, **kwargs)
    mask = corrected if corrected is not None else mask
    return (compute_shape(extractor, image, mask, bb, **kwargs),
            extractor.computeShape(image, mask, bb, **kwargs))


@pytest.mark.parametrize("case,setting", [
    ("brain1", {}),
    ("brain2", {"resampledPixelSpacing": [2, 2, 2], "interpolator": "sitkBSpline"}),
    ("breast1", {}),
])
def test_shape_features_equal_pyradiomics(pyrad_data, case, setting):
    """Every 3-D shape feature, the deprecated ones included (enabled by name), against computeShape."""
    import SimpleITK as sitk
    from radiomics.shape import RadiomicsShape
    names = [n for n in RadiomicsShape.getFeatureNames()]
    settings = Settings(setting={"label": 1, **setting}, imageType={"Original": {}},
                        featureClass={"shape": names})
    image = sitk.ReadImage(str(pyrad_data / f"{case}_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / f"{case}_label.nrrd"))
    ours, theirs = _shape_both(image, mask, settings)
    assert len(theirs) == len(names)
    _assert_features_equal(ours, theirs, case)


def test_shape2d_features_equal_pyradiomics(pyrad_data):
    """shape2D (force2D) on the brain1 label's largest slice and on a 2-D image of it."""
    import SimpleITK as sitk
    from radiomics.shape2D import RadiomicsShape2D
    names = list(RadiomicsShape2D.getFeatureNames())
    image = sitk.ReadImage(str(pyrad_data / "brain1_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / "brain1_label.nrrd"))
    z = int(np.argmax((sitk.GetArrayViewFromImage(mask) == 1).sum(axis=(1, 2))))
    settings = Settings(setting={"label": 1, "force2D": True, "force2Ddimension": 0}, imageType={"Original": {}},
                        featureClass={"shape2D": names})
    ours, theirs = _shape_both(image[:, :, z:z + 1], mask[:, :, z:z + 1], settings)
    assert len(theirs) == len(names)
    _assert_features_equal(ours, theirs, "brain1 slice (force2D)")
    ours, theirs = _shape_both(image[:, :, z], mask[:, :, z], settings)
    _assert_features_equal(ours, theirs, "brain1 slice (2-D image)")
