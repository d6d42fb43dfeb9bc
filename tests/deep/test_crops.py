"""Crops: window positions and channels checked against indices computed by hand in each test."""
from __future__ import annotations

import numpy as np
import pytest

from eprstats.deep.crops import CropWarning, crop_geometry, make_crops, plan_crops
from eprstats.errors import InputError

MEAN = np.array([0.485, 0.456, 0.406], np.float32)[:, None, None]
SD = np.array([0.229, 0.224, 0.225], np.float32)[:, None, None]


def by_hand_unit(volume):
    """The stated rule, written out: clip to the 0.5/99.5 percentiles of all voxels, map to [0, 1]."""
    lo, hi = np.percentile(volume.astype(np.float64), [0.5, 99.5])
    return (np.clip(volume, lo, hi) - lo) / (hi - lo)


def cube_case():
    rng = np.random.default_rng(7)
    image = rng.normal(500, 120, size=(6, 300, 260)).astype(np.float32)
    mask = np.zeros(image.shape, bool)
    mask[1:4, 100:140, 30:70] = True  # slices 1-3, rows 100-139, columns 30-69
    return image, mask


def test_cube_tumour_window_and_channels_by_hand():
    image, mask = cube_case()
    crops, table = make_crops(image, mask, patient="P1")
    assert list(table["slice"]) == [1, 2, 3]
    assert list(table["channels"]) == ["0,1,2", "1,2,3", "2,3,4"]
    # rows: box 100..139 (h 40) -> start 100 - (224-40)//2 = 8, inside [0, 300-224]
    # columns: 30 - 92 = -62 -> shifted inside the image to 0
    assert list(table["y0"]) == [8, 8, 8] and list(table["x0"]) == [0, 0, 0]
    assert not table["resized"].any() and not table["padded"].any()
    unit = by_hand_unit(image)
    for k, chans in enumerate([[0, 1, 2], [1, 2, 3], [2, 3, 4]]):
        expected = (unit[chans, 8:232, 0:224] - MEAN) / SD
        np.testing.assert_allclose(crops[k], expected, rtol=0, atol=2e-6)
    assert crops.dtype == np.float32 and crops.shape == (3, 3, 224, 224)


def test_window_shifted_inside_at_the_far_edge():
    mask = np.zeros((3, 300, 300), bool)
    mask[1, 280:300, 290:300] = True  # touches the bottom and right edges
    t = crop_geometry(mask).iloc[0]
    # 280 - (224-20)//2 = 178 -> at most 300-224 = 76; columns 290 - 107 = 183 -> 76
    assert (t.y0, t.x0, t.side) == (76, 76, 224)


def test_volume_edge_pads_with_the_nearest_slice():
    image, mask = cube_case()
    mask[:] = False
    mask[4:6, 100:140, 100:140] = True  # slices 4 and 5 of 0..5
    mask[0, 10:20, 10:20] = True         # and slice 0
    with pytest.warns(CropWarning, match="volume edge"):
        _, table = make_crops(image, mask, patient="P1")
    got = dict(zip(table["slice"], zip(table["channels"], table["padded"], table["pad_reason"])))
    assert got[0] == ("0,0,1", True, "volume edge")
    assert got[4] == ("3,4,5", False, "")
    assert got[5] == ("4,5,5", True, "volume edge")


def test_single_slice_tumour_is_padded_and_flagged():
    image, mask = cube_case()
    mask[:] = False
    mask[2, 150:160, 100:120] = True
    with pytest.warns(CropWarning, match="single-slice tumour"):
        crops, table = make_crops(image, mask, patient="P9")
    assert list(table["channels"]) == ["2,2,2"] and table["padded"].all()
    # all three channels are the same slice (before the per-channel ImageNet statistics)
    raw = crops[0] * SD + MEAN
    np.testing.assert_allclose(raw[0], raw[1], atol=1e-6)
    np.testing.assert_allclose(raw[0], raw[2], atol=1e-6)


def test_image_smaller_than_window_is_centred_and_zero_padded():
    rng = np.random.default_rng(3)
    image = rng.uniform(0, 1000, size=(3, 100, 120)).astype(np.float32)
    mask = np.zeros(image.shape, bool)
    mask[1, 40:60, 10:30] = True
    plan = plan_crops(image, mask)
    t = plan.table.iloc[0]
    assert (t.y0, t.x0) == (-62, -52)  # -(224-100)//2, -(224-120)//2
    crop = plan.crops()[0]
    unit = by_hand_unit(image)
    np.testing.assert_allclose(crop[:, 62:162, 52:172], unit[[1, 1, 1]], atol=2e-6)  # single slice: 1,1,1
    outside = crop.copy()
    outside[:, 62:162, 52:172] = 0
    assert not outside.any()


def test_large_tumour_is_resized_like_torch_antialiased_bilinear(torch):
    # A tumour 100 x 300 px in a 250 x 400 image: window 300, taller than the image (zero rows above/below).
    rng = np.random.default_rng(11)
    image = rng.normal(0, 1, size=(3, 250, 400)).astype(np.float32)
    mask = np.zeros(image.shape, bool)
    mask[0:3, 50:150, 40:340] = True
    plan = plan_crops(image, mask)
    t = plan.table.iloc[1]  # slice 1, channels 0,1,2
    assert (t.side, t.y0, t.x0, bool(t.resized)) == (300, -25, 40, True)
    window = np.zeros((3, 300, 300), np.float32)
    window[:, 25:275, :] = by_hand_unit(image)[[0, 1, 2], :, 40:340]
    expected = torch.nn.functional.interpolate(torch.from_numpy(window)[None], size=(224, 224), mode="bilinear",
                                               antialias=True, align_corners=False)[0].numpy()
    np.testing.assert_allclose(plan.crops()[1], expected, atol=2e-5)


def test_bad_inputs_name_the_patient():
    image, mask = cube_case()
    with pytest.raises(InputError, match="no voxels") as exc:
        make_crops(image, np.zeros_like(mask), patient="P7")
    assert exc.value.patient == "P7"
    with pytest.raises(InputError, match="same shape"):
        make_crops(image, mask[:, :10], patient="P7")
    with pytest.raises(InputError, match="constant"):
        make_crops(np.ones_like(image), mask, patient="P7")
