"""Images the pipeline does not handle correctly are refused (issue #13): a sheared or non-unit direction
matrix, and colour (RGB), vector or complex voxels, through ``read_image`` and ``read_mask``.

Every file is written here with SimpleITK. The reference for "sheared" is computed with numpy from the
direction written, independently of eprstats; proper rotations (oblique acquisitions) must still be read,
with the direction as written.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

sitk = pytest.importorskip("SimpleITK")

from eprstats.cohort.images import (DIRECTION_TOLERANCE, check_direction, check_scalar,  # noqa: E402
                                    read_image, read_mask)
from eprstats.errors import InputError  # noqa: E402

SIZE = (6, 5, 4)


def _scalar(direction=None, pixel=sitk.sitkInt16):
    arr = np.zeros(SIZE[::-1], np.int16)
    arr[1:3, 1:4, 2:5] = 1
    img = sitk.Cast(sitk.GetImageFromArray(arr), pixel)
    img.SetSpacing((0.8, 0.9, 2.5))
    img.SetOrigin((-3.0, 4.0, 10.0))
    if direction is not None:
        img.SetDirection(tuple(float(v) for v in np.asarray(direction).ravel()))
    return img


def _rotation(axis, degrees):
    """Rodrigues' formula: the rotation by ``degrees`` about ``axis``."""
    k = np.asarray(axis, float) / np.linalg.norm(axis)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    t = math.radians(degrees)
    return np.eye(3) + math.sin(t) * kx + (1 - math.cos(t)) * kx @ kx


def _write(img, path):
    sitk.WriteImage(img, str(path))
    return path


# (name, direction written, what the message must say). NRRD normalises each axis to unit length on
# reading, MetaImage keeps the matrix as written: the expected angle is computed from the normalised axes.
SHEARS = [
    ("shear_xy_0.2", [[1, 0.2, 0], [0, 1, 0], [0, 0, 1]]),
    ("shear_xz_0.05", [[1, 0, 0.05], [0, 1, 0], [0, 0, 1]]),
    ("rotation_then_shear", _rotation((1, 2, 3), 25) @ np.array([[1, 0, 0], [0.1, 1, 0], [0, 0, 1]])),
    ("just_above_tolerance", [[1, 3e-4, 0], [0, 1, 0], [0, 0, 1]]),
]


def _worst_angle(direction):
    d = np.asarray(direction, float)
    d = d / np.linalg.norm(d, axis=0)  # the readers' unit axes
    cos = d.T @ d
    np.fill_diagonal(cos, 0)
    return math.degrees(math.acos(np.max(np.abs(cos))))


@pytest.mark.parametrize("ext", ["nrrd", "mha"])
@pytest.mark.parametrize("name,direction", SHEARS, ids=[s[0] for s in SHEARS])
def test_sheared_direction_is_refused(name, direction, ext, tmp_path, tried):
    path = _write(_scalar(direction), tmp_path / f"{name}.{ext}")
    read_back = np.asarray(sitk.ReadImage(str(path)).GetDirection()).reshape(3, 3)
    assert np.max(np.abs(read_back.T @ read_back - np.eye(3))) > DIRECTION_TOLERANCE  # the file is sheared
    for reader in (read_image, read_mask):
        tried(f"image 13: {name}.{ext} through {reader.__name__}")
        with pytest.raises(InputError) as err:
            reader(path)
        assert err.value.file == str(path)
        assert "not orthonormal" in err.value.problem and "orthogonal grid" in err.value.fix
        angle = _worst_angle(direction)
        if abs(angle - 90) > 0.01:  # a visible shear: the message names the angle
            assert f"{angle:.2f}°" in err.value.problem


def test_non_unit_axes_are_refused(tmp_path, tried):
    """MetaImage keeps a direction whose axes are not unit vectors (a scaling hidden in the direction)."""
    path = _write(_scalar([[2, 0, 0], [0, 1, 0], [0, 0, 1]]), tmp_path / "scaled.mha")
    assert sitk.ReadImage(str(path)).GetDirection()[0] == 2.0
    for reader in (read_image, read_mask):
        tried(f"image 13: non-unit axis through {reader.__name__}")
        with pytest.raises(InputError, match="not of unit length") as err:
            reader(path)
        assert err.value.file == str(path)


@pytest.mark.parametrize("direction", [
    _rotation((0, 0, 1), 30), _rotation((1, 1, 0), 12.5), _rotation((0.3, -0.5, 0.8), 100),
    np.diag([-1.0, -1.0, 1.0]), np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]]),  # RAS->LPS flip, permuted axes
], ids=["axial 30°", "oblique 12.5°", "oblique 100°", "flip", "permutation"])
@pytest.mark.parametrize("ext", ["nrrd", "nii.gz", "mha"])
def test_proper_rotations_are_accepted(direction, ext, tmp_path):
    path = _write(_scalar(direction, sitk.sitkUInt8), tmp_path / f"rot.{ext}")
    img, mask = read_image(path), read_mask(path)
    # NIfTI stores the rotation as a float32 quaternion: equal to about 1e-6
    assert np.allclose(np.asarray(img.GetDirection()).reshape(3, 3), direction, atol=1e-5)
    assert mask.GetDirection() == img.GetDirection()
    assert int(sitk.GetArrayViewFromImage(mask).sum()) == 2 * 3 * 3


def test_direction_rounded_like_dicom_is_accepted():
    """Direction cosines stored with 6 decimals (DICOM ImageOrientationPatient) are orthonormal to ~1e-6."""
    rounded = np.round(_rotation((0.2, 0.9, 0.4), 17), 6)
    assert 1e-8 < np.max(np.abs(rounded.T @ rounded - np.eye(3))) < DIRECTION_TOLERANCE
    check_direction(_scalar(rounded), file="dicom")


VECTORS = [("rgb", sitk.sitkVectorUInt8, 3), ("rgba", sitk.sitkVectorUInt8, 4),
           ("vector2", sitk.sitkVectorFloat32, 2), ("vector3", sitk.sitkVectorInt16, 3)]


@pytest.mark.parametrize("ext", ["nrrd", "mha", "nii.gz"])
@pytest.mark.parametrize("name,pixel,n", VECTORS, ids=[v[0] for v in VECTORS])
def test_colour_and_vector_images_are_refused(name, pixel, n, ext, tmp_path, tried):
    img = sitk.Image(list(SIZE), pixel, n)
    img.SetSpacing((0.8, 0.9, 2.5))
    path = _write(img, tmp_path / f"{name}.{ext}")
    assert sitk.ReadImage(str(path)).GetNumberOfComponentsPerPixel() == n
    tried(f"image 13: {name}.{ext} as image")
    with pytest.raises(InputError) as err:
        read_image(path)
    assert err.value.file == str(path) and f"has {n} value(s) per voxel" in err.value.problem
    assert "greyscale" in err.value.fix
    tried(f"image 13: {name}.{ext} as mask")
    with pytest.raises(InputError) as err:
        read_mask(path)
    assert err.value.file == str(path) and f"has {n} values per voxel" in err.value.problem
    assert "label map" in err.value.fix


def test_complex_image_is_refused(tried):
    tried("image 13: complex voxels")
    img = sitk.Image(list(SIZE), sitk.sitkComplexFloat32)
    assert img.GetNumberOfComponentsPerPixel() == 1  # so the component count alone would let it through
    with pytest.raises(InputError, match="complex") as err:
        check_scalar(img, file="phase.mha")
    assert err.value.file == "phase.mha"
    check_scalar(_scalar(), file="ok.nrrd")  # a scalar image passes


def test_checks_name_the_file_for_validation(tried):
    """The per-file checks validation calls, on images already in memory."""
    tried("image 13: check_direction in memory")
    with pytest.raises(InputError) as err:
        check_direction(_scalar([[1, 0.2, 0], [0, 1, 0], [0, 0, 1]]), file="P001/PVP.nrrd")
    assert err.value.file == "P001/PVP.nrrd"
    check_direction(_scalar(_rotation((1, 0, 0), 45)), file="P001/PVP.nrrd")
    with pytest.raises(InputError):
        check_direction(_scalar([[1, 0.05, 0], [0, 1, 0], [0, 0, 1]]), tolerance=1e-2)
    check_direction(_scalar([[1, 0.005, 0], [0, 1, 0], [0, 0, 1]]), tolerance=1e-2)
