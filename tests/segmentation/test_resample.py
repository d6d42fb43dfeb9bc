"""Resampling to 1 mm: the grid SimpleITK gives when called directly, and scipy's interpolation as oracle."""
from __future__ import annotations

import numpy as np
import pytest
import SimpleITK as sitk
from scipy import ndimage

from eprstats.cohort.images import read_image, read_mask
from eprstats.errors import InputError
from eprstats.segmentation.resample import resample_image, resample_mask


@pytest.fixture(scope="module")
def brain1(shared_data):
    folder = shared_data / "pyradiomics"
    return read_image(folder / "brain1_image.nrrd"), read_mask(folder / "brain1_label.nrrd")


def _old_index(new_img, old_img):
    """Continuous (x, y, z) indices in ``old_img`` of every voxel centre of ``new_img``, as (3, z, y, x)."""
    d_new = np.asarray(new_img.GetDirection()).reshape(3, 3)
    d_old = np.asarray(old_img.GetDirection()).reshape(3, 3)
    nx, ny, nz = new_img.GetSize()
    k = np.stack(np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij"), axis=-1)
    phys = np.asarray(new_img.GetOrigin()) + (k * np.asarray(new_img.GetSpacing())) @ d_new.T
    idx = ((phys - np.asarray(old_img.GetOrigin())) @ d_old) / np.asarray(old_img.GetSpacing())
    return idx.transpose(3, 2, 1, 0)  # (3 [x, y, z], z, y, x)


def test_grid_equals_simpleitk_called_directly(brain1):
    image, _ = brain1
    out = resample_image(image, (1.0, 1.0, 1.0))
    size, sp = np.asarray(image.GetSize()), np.asarray(image.GetSpacing())
    d = np.asarray(image.GetDirection()).reshape(3, 3)
    # The same grid, computed here from its definition: same physical box, outer corner kept.
    exp_size = [int(round(s)) for s in size * sp]
    exp_origin = np.asarray(image.GetOrigin()) + d @ ((1.0 - sp) / 2)
    direct = sitk.Resample(image, exp_size, sitk.Transform(), sitk.sitkLinear, exp_origin.tolist(),
                           (1.0, 1.0, 1.0), image.GetDirection(), 0.0, image.GetPixelID())
    assert out.GetSize() == direct.GetSize() == (200, 200, 162)
    assert out.GetSpacing() == (1.0, 1.0, 1.0)
    assert out.GetOrigin() == pytest.approx(direct.GetOrigin(), abs=1e-9)
    assert out.GetDirection() == image.GetDirection()
    np.testing.assert_array_equal(sitk.GetArrayFromImage(out), sitk.GetArrayFromImage(direct))
    # The outer corner of the first voxel is where it was.
    corner_old = np.asarray(image.GetOrigin()) - d @ (sp / 2)
    corner_new = np.asarray(out.GetOrigin()) - d @ (np.ones(3) / 2)
    np.testing.assert_allclose(corner_new, corner_old, atol=1e-9)


def test_linear_values_equal_scipy_interpolation(brain1):
    image, _ = brain1
    out = resample_image(image, (1.0, 1.0, 1.0), "linear", pixel_type=sitk.sitkFloat32)
    idx = _old_index(out, image)
    old = sitk.GetArrayFromImage(image).astype(np.float64)
    # scipy wants (z, y, x) coordinates.
    expected = ndimage.map_coordinates(old, idx[::-1].reshape(3, -1), order=1, mode="nearest")
    got = sitk.GetArrayFromImage(out).ravel().astype(np.float64)
    size = np.asarray(image.GetSize())[:, None]
    inside = np.all((idx.reshape(3, -1) >= 0) & (idx.reshape(3, -1) <= size - 1), axis=0)
    assert inside.mean() > 0.9
    np.testing.assert_allclose(got[inside], expected[inside], rtol=1e-4, atol=1e-2)


def test_mask_nearest_neighbour_equals_scipy_and_stays_binary(brain1):
    image, mask = brain1
    ref = resample_image(image, (1.0, 1.0, 1.0))
    out = resample_mask(mask, ref)
    assert out.GetPixelID() == sitk.sitkUInt8 and out.GetSize() == ref.GetSize()
    assert out.GetOrigin() == ref.GetOrigin()
    got = sitk.GetArrayFromImage(out).ravel()
    assert set(np.unique(got)) <= {0, 1}
    idx = _old_index(ref, image).reshape(3, -1)
    size = np.asarray(image.GetSize())[:, None]
    # Away from exact half-voxel ties, nearest neighbour is unambiguous: round the continuous index.
    clear = np.all(np.abs(idx - np.floor(idx) - 0.5) > 1e-6, axis=0)
    inside = np.all((idx >= -0.5) & (idx < size - 0.5), axis=0)
    near = np.round(idx).astype(int).clip(0, size - 1)
    old = sitk.GetArrayFromImage(mask)
    expected = old[near[2], near[1], near[0]] * inside
    assert clear.mean() > 0.5
    np.testing.assert_array_equal(got[clear], expected[clear])
    # Volumes: thick slices are copied, not lost.
    native_ml = old.sum() * np.prod(mask.GetSpacing()) / 1000
    assert got.sum() / 1000 == pytest.approx(native_ml, rel=0.03)


def test_bad_spacing_and_interpolator(brain1):
    image, _ = brain1
    with pytest.raises(InputError, match="positive"):
        resample_image(image, (1.0, 0.0, 1.0))
    with pytest.raises(InputError, match="unknown interpolator"):
        resample_image(image, 1.0, "cubic")
