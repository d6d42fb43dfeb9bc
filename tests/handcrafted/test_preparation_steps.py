"""The preparation's shortcuts give pyradiomics' own images byte for byte (issue #25).

``engine.label_box.BoxCrop`` crops each filtered image of a ROI (and the shape classes' image and mask) with
numpy instead of SimpleITK's crop filter: the oracle is pyradiomics' ``imageoperations.cropToTumorMask`` (the
filter) on real images -- pyradiomics' brain1 and breast1, their resampled, LoG and wavelet images (the images
the extraction crops), an image with a rotated direction, and pixel types from uint8 to float64 -- compared in
pixels (bytes), pixel type, size, origin, spacing, direction and metadata."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from eprstats.handcrafted.engine.label_box import BoxCrop
from eprstats.handcrafted.extract import extract_features
from eprstats.handcrafted.params import Settings

sys.path.insert(0, str(Path(__file__).parent))
from handcrafted_helpers import assert_bit_identical, resampled_case  # noqa: E402


def _same_image(a, b):
    import SimpleITK as sitk
    assert a.GetPixelID() == b.GetPixelID()
    assert a.GetSize() == b.GetSize()
    assert a.GetOrigin() == b.GetOrigin()
    assert a.GetSpacing() == b.GetSpacing()
    assert a.GetDirection() == b.GetDirection()
    assert a.GetMetaDataKeys() == b.GetMetaDataKeys()
    assert sitk.GetArrayViewFromImage(a).tobytes() == sitk.GetArrayViewFromImage(b).tobytes()


_images = resampled_case


@pytest.mark.parametrize("case", ["brain1", "breast1"])
def test_crop_equals_pyradiomics_crop_to_tumor_mask(pyrad_data, case):
    import SimpleITK as sitk
    from radiomics import imageoperations
    image, mask, bb = _images(pyrad_data, case)
    filtered = [image]
    filtered += [im for im, _, _ in imageoperations.getLoGImage(image, mask, sigma=[1.0, 3.0])]
    filtered += [im for im, _, _ in imageoperations.getWaveletImage(image, mask)]
    filtered += [sitk.Cast(image, t) for t in (sitk.sitkUInt8, sitk.sitkInt16, sitk.sitkUInt32, sitk.sitkFloat32)]
    crop = BoxCrop(mask, bb)
    assert crop.box is not None  # the numpy path is the one tested
    for im in filtered:
        want_image, want_mask = imageoperations.cropToTumorMask(im, mask, bb)
        got_image, got_mask = crop(im)
        _same_image(got_image, want_image)
        _same_image(got_mask, want_mask)


def test_crop_with_a_rotated_direction_and_a_box_at_the_border(pyrad_data):
    import SimpleITK as sitk
    from radiomics import imageoperations
    image, mask, _ = _images(pyrad_data, "brain1")
    angle = 0.3  # a rotation about z: the origin of the crop depends on the direction
    direction = (np.cos(angle), -np.sin(angle), 0.0, np.sin(angle), np.cos(angle), 0.0, 0.0, 0.0, 1.0)
    for im in (image, mask):
        im.SetDirection(direction)
        im.SetOrigin((-12.25, 3.5, 101.125))
    # the ROI touching the image's first and last voxels on x: a box that starts at index 0
    array = sitk.GetArrayFromImage(mask)
    array[array.shape[0] // 2, array.shape[1] // 2, :] = 1
    touching = sitk.GetImageFromArray(array)
    touching.CopyInformation(mask)
    bb, _ = imageoperations.checkMask(image, touching)
    assert bb[0] == 0 and bb[1] == image.GetSize()[0] - 1
    for m, box in ((mask, imageoperations.checkMask(image, mask)[0]), (touching, bb)):
        want_image, want_mask = imageoperations.cropToTumorMask(image, m, box)
        got_image, got_mask = BoxCrop(m, box)(image)
        _same_image(got_image, want_image)
        _same_image(got_mask, want_mask)


@pytest.mark.parametrize("case", ["brain1", "breast1"])
def test_padded_crop_of_the_whole_image_equals_pyradiomics(pyrad_data, case):
    # the grid key's crops: the image and the mask as read, padded by padDistance (5 by default, 40 reaching
    # past the image's edges on some axes)
    import SimpleITK as sitk
    from radiomics import imageoperations
    image = sitk.ReadImage(str(pyrad_data / f"{case}_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / f"{case}_label.nrrd"))
    bb, _ = imageoperations.checkMask(image, mask)
    for pad in (0, 5, 40):
        want_image, want_mask = imageoperations.cropToTumorMask(image, mask, bb, padDistance=pad)
        crop = BoxCrop(mask, bb, pad)
        assert crop.box is not None
        _same_image(crop.crop(image), want_image)
        _same_image(crop.mask, want_mask)
        if pad == 40:
            assert min(crop.lower) == 0  # the padding was clipped at the image's edge


def test_precrop_without_resampling_equals_pyradiomics(pyrad_data):
    # the grid key's other crop (preCrop, no resampling): the pyradiomics engine bit for bit, diagnostics
    # included; the eprstats engine's diagnostics equal and its features within the engine's tolerance
    import SimpleITK as sitk
    image = sitk.ReadImage(str(pyrad_data / "brain1_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / "brain1_label.nrrd"))
    settings = Settings(setting={"binWidth": 25, "preCrop": True, "padDistance": 3},
                        imageType={"Original": {}, "LoG": {"sigma": [2.0]}},
                        featureClass={"shape": None, "firstorder": None, "glcm": None})
    want = settings.extractor().execute(image, mask)
    assert_bit_identical(extract_features(image, {"roi": mask}, settings, engine="pyradiomics")["roi"], want)
    got = extract_features(image, {"roi": mask}, settings, engine="eprstats")["roi"]
    assert list(got) == list(want)
    for name, value in want.items():
        if name.startswith("diagnostics_"):
            assert str(got[name]) == str(value), name
        else:
            assert np.isclose(float(got[name]), float(value), rtol=1e-10, atol=1e-12), name
