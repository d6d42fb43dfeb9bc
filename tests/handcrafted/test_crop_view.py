"""The one-pass path reads each filtered image's crop as numpy views (issue #25): ``label_box.CropView``'s
voxels, ROI and spacing equal those of pyradiomics' own crop (``imageoperations.cropToTumorMask``) byte for
byte, for the images the extraction crops (resampled, LoG, wavelet), pixel types from uint8 to float64 and a
vector image (whose crop is SimpleITK's filter); the SimpleITK crops it hands to a feature class are
pyradiomics' images."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from eprstats.handcrafted.engine.label_box import BoxCrop, CropView

sys.path.insert(0, str(Path(__file__).parent))
from handcrafted_helpers import resampled_case  # noqa: E402


_images = resampled_case


def _filtered(image, mask):
    import SimpleITK as sitk
    from radiomics import imageoperations
    out = [image]
    out += [im for im, _, _ in imageoperations.getLoGImage(image, mask, sigma=[2.0])]
    out += [im for im, _, _ in imageoperations.getWaveletImage(image, mask)][:2]
    out += [sitk.Cast(image, t) for t in (sitk.sitkUInt8, sitk.sitkInt16, sitk.sitkUInt32, sitk.sitkFloat32)]
    return out


def _same(view, want_image, want_mask, label):
    import SimpleITK as sitk
    want = sitk.GetArrayViewFromImage(want_image)
    assert view.array.dtype == want.dtype and view.array.shape == want.shape
    assert np.ascontiguousarray(view.array).tobytes() == want.tobytes()
    assert np.array_equal(view.roi, sitk.GetArrayViewFromImage(want_mask) == label)
    assert view.spacing == want_image.GetSpacing()


@pytest.mark.parametrize("case", ["brain1", "breast1"])
def test_view_equals_pyradiomics_crop(pyrad_data, case):
    from radiomics import imageoperations
    image, mask, bb = _images(pyrad_data, case)
    crop = BoxCrop(mask, bb)
    for im in _filtered(image, mask):
        want_image, want_mask = imageoperations.cropToTumorMask(im, mask, bb)
        view = crop.view(im, 1)
        assert crop.viewable(im)  # the numpy path is the one tested
        _same(view, want_image, want_mask, 1)
        got_image, got_mask = view.images()  # what a feature class gets: pyradiomics' crop
        assert got_image.GetOrigin() == want_image.GetOrigin() and got_image.GetSize() == want_image.GetSize()
        assert np.array_equal(sitk_array(got_image), sitk_array(want_image))
        assert np.array_equal(sitk_array(got_mask), sitk_array(want_mask))


def sitk_array(image):
    import SimpleITK as sitk
    return sitk.GetArrayViewFromImage(image)


def test_view_of_a_vector_image_reads_simpleitk_crop(pyrad_data):
    # vector pixels: BoxCrop crops with SimpleITK's filter; the view reads that crop's voxels
    import SimpleITK as sitk
    from radiomics import imageoperations
    image, mask, bb = _images(pyrad_data, "brain1")
    vector = sitk.Compose(image, image)
    crop = BoxCrop(mask, bb)
    assert not crop.viewable(vector)
    want_image, want_mask = imageoperations.cropToTumorMask(vector, mask, bb)
    _same(crop.view(vector, 1), want_image, want_mask, 1)


def test_view_of_cropped_images_and_its_roi_is_read_only(pyrad_data):
    import SimpleITK as sitk
    from radiomics import imageoperations
    image, mask, bb = _images(pyrad_data, "breast1")
    want_image, want_mask = imageoperations.cropToTumorMask(image, mask, bb)
    view = CropView.of(want_image, want_mask, 1)
    _same(view, want_image, want_mask, 1)
    assert view.images() == (want_image, want_mask)
    shared = BoxCrop(mask, bb).view(image, 1).roi
    assert not shared.flags.writeable  # one array for the ROI's ten filtered images: none may change it
    assert shared.sum() == np.count_nonzero(sitk.GetArrayViewFromImage(mask) == 1)
