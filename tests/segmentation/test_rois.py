"""The peritumoral ring in millimetres, checked against lattice-point counts, the sphere-shell volume and an
independent Euclidean distance transform (scipy.ndimage.distance_transform_edt with the voxel spacing)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import SimpleITK as sitk
from scipy import ndimage

from eprstats.errors import InputError
from eprstats.segmentation.rois import RingCutWarning, derive_rois, ring_cut_by_edge, roi_volumes_ml


def _image(arr, spacing, origin=(0.0, 0.0, 0.0)):
    img = sitk.GetImageFromArray(arr.astype(np.uint8))
    img.SetSpacing(spacing)
    img.SetOrigin(origin)
    return img


def _sphere(spacing, radius, margin=8.0, offset=(0.0, 0.0, 0.0)):
    """A ball of ``radius`` mm, centred ``offset`` mm away from the grid centre, on a grid of ``spacing``."""
    n = [int(2 * (radius + margin) / s) + 1 for s in spacing]
    ax = [(np.arange(k) - (k - 1) / 2) * s - o for k, s, o in zip(n, spacing, offset)]
    z, y, x = np.meshgrid(ax[2], ax[1], ax[0], indexing="ij")
    return (x ** 2 + y ** 2 + z ** 2 <= radius ** 2)


def _edt_ring(tumour: np.ndarray, spacing, ring_mm: float) -> np.ndarray:
    """The oracle: scipy's exact EDT in mm (sampling in (z, y, x) order)."""
    d = ndimage.distance_transform_edt(~tumour, sampling=spacing[::-1])
    return (d > 0) & (d <= ring_mm)


def _arr(img):
    return sitk.GetArrayFromImage(img).astype(bool)


@pytest.mark.parametrize("ring_mm, lattice_points", [(1, 7), (2, 33), (3, 123), (4, 257)])
def test_single_voxel_ring_counts_lattice_points(ring_mm, lattice_points):
    # On a 1 mm grid the ball of radius r holds the integer points with x^2+y^2+z^2 <= r^2:
    # 1, 7, 33, 123, 257 for r = 0..4 (OEIS A000605). The ring is that ball minus the tumour voxel,
    # so the points exactly at r (e.g. (3,0,0), (2,2,1)) must be included.
    arr = np.zeros((11, 11, 11), bool)
    arr[5, 5, 5] = True
    rois = derive_rois(_image(arr, (1.0, 1.0, 1.0)), ring_mm=ring_mm)
    assert int(_arr(rois["ring"]).sum()) == lattice_points - 1
    assert int(_arr(rois["plus"]).sum()) == lattice_points


def test_anisotropic_sphere_ring_equals_scipy_edt_and_shell_volume():
    spacing, radius = (0.7, 0.7, 2.5), 15.0
    ball = _sphere(spacing, radius, offset=(0.2, 0.1, 0.4))
    rois = derive_rois(_image(ball, spacing), ring_mm=3.0)
    ring = _arr(rois["ring"])
    np.testing.assert_array_equal(ring, _edt_ring(ball, spacing, 3.0))
    np.testing.assert_array_equal(_arr(rois["tumour"]), ball)
    np.testing.assert_array_equal(_arr(rois["plus"]), ball | ring)
    # Volume: (4/3) pi ((r+3)^3 - r^3). Distances run between voxel centres, so the outermost tumour
    # centres lie up to half a voxel inside the true sphere and the counted ring is slightly thin; on this
    # 0.7 x 0.7 x 2.5 mm grid it is within 15% below the analytic shell (measured: -9.5%), never above.
    shell_ml = 4 / 3 * math.pi * ((radius + 3) ** 3 - radius ** 3) / 1000
    vol = roi_volumes_ml(rois)
    assert 0.85 * shell_ml < vol["ring"] < shell_ml
    assert vol["tumour"] == pytest.approx(4 / 3 * math.pi * radius ** 3 / 1000, rel=0.02)
    # A dilation by 3 voxels (not mm) would fail this check: 3 x 2.5 mm along z makes it 23% too thick.
    naive_ml = (ndimage.binary_dilation(ball, iterations=3) & ~ball).sum() * np.prod(spacing) / 1000
    assert not 0.85 * shell_ml < naive_ml < shell_ml


def test_ring_volume_converges_to_the_shell_as_voxels_shrink():
    radius = 12.0
    shell_ml = 4 / 3 * math.pi * ((radius + 3) ** 3 - radius ** 3) / 1000
    errors = []
    for sp in (1.0, 0.5):
        ball = _sphere((sp, sp, sp), radius, margin=5.0, offset=(0.3, 0.2, 0.1))
        rois = derive_rois(_image(ball, (sp, sp, sp)), 3.0)
        np.testing.assert_array_equal(_arr(rois["ring"]), _edt_ring(ball, (sp, sp, sp), 3.0))
        errors.append(abs(roi_volumes_ml(rois)["ring"] / shell_ml - 1))
    assert errors[0] < 0.07 and errors[1] < 0.04 and errors[1] < errors[0]


def test_ring_clipped_to_liver():
    spacing = (0.8, 0.8, 2.0)
    ball = _sphere(spacing, 6.0, margin=6.0)
    liver = np.zeros_like(ball)
    liver[:, :, : ball.shape[2] // 2 + 2] = True   # the liver ends just right of the tumour's centre
    liver |= ball
    rois = derive_rois(_image(ball, spacing), 3.0, liver_mask=_image(liver, spacing))
    expected = _edt_ring(ball, spacing, 3.0) & liver
    np.testing.assert_array_equal(_arr(rois["ring"]), expected)
    np.testing.assert_array_equal(_arr(rois["tumour"]), ball)        # the tumour is never clipped
    assert 0 < expected.sum() < _edt_ring(ball, spacing, 3.0).sum()
    with pytest.raises(InputError, match="liver mask is not on the tumour mask's grid"):
        derive_rois(_image(ball, spacing), 3.0, liver_mask=_image(liver, (1.0, 1.0, 1.0)))


def test_edge_warning_names_patient_and_side():
    spacing = (1.0, 1.0, 1.0)
    arr = np.zeros((20, 20, 20), bool)
    arr[8:12, 8:12, 1:5] = True          # 1 voxel from the x- edge: the 3 mm ring is cut there
    with pytest.warns(RingCutWarning, match="patient 'P7'.*x-"):
        derive_rois(_image(arr, spacing), 3.0, patient="P7")
    assert ring_cut_by_edge(_image(arr, spacing), 3.0) == ["x-"]
    centred = np.zeros((20, 20, 20), bool)
    centred[8:12, 8:12, 8:12] = True     # 8 voxels from every edge
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        derive_rois(_image(centred, spacing), 3.0)
    # Exactly 3 voxels from the edge at 1 mm: the ball just fits; 2 voxels: cut.
    edge3 = np.zeros((20, 20, 20), bool)
    edge3[3, 8:12, 8:12] = True
    assert ring_cut_by_edge(_image(edge3, spacing), 3.0) == []
    edge3[2, 8:12, 8:12] = True
    assert ring_cut_by_edge(_image(edge3, spacing), 3.0) == ["z-"]


def test_real_mri_tumour_resampled(shared_data):
    from eprstats.cohort.images import read_image, read_mask
    from eprstats.segmentation.resample import resample_image, resample_mask
    folder = shared_data / "pyradiomics"
    image = resample_image(read_image(folder / "breast1_image.nrrd"))
    tumour = resample_mask(read_mask(folder / "breast1_label.nrrd"), image)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RingCutWarning)
        rois = derive_rois(tumour, 3.0, patient="breast1")
    t = _arr(tumour)
    np.testing.assert_array_equal(_arr(rois["ring"]), _edt_ring(t, (1.0, 1.0, 1.0), 3.0))
    vol = roi_volumes_ml(rois)
    assert vol["tumour"] == pytest.approx(t.sum() / 1000)
    assert vol["plus"] == pytest.approx(vol["tumour"] + vol["ring"])


def test_bad_inputs():
    empty = _image(np.zeros((5, 5, 5), bool), (1, 1, 1))
    with pytest.raises(InputError, match="empty") as err:
        derive_rois(empty, 3.0, patient="P3")
    assert err.value.patient == "P3"
    one = np.zeros((5, 5, 5), bool)
    one[2, 2, 2] = True
    for bad in (0, -1, float("nan"), "wide"):
        with pytest.raises(InputError, match="ring width"):
            derive_rois(_image(one, (1, 1, 1)), bad)
