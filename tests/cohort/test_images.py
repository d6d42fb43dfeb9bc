"""Reading images and masks: real NRRD files, hand-written NIfTI/NRRD/Slicer files, DICOM series."""
from __future__ import annotations

import numpy as np
import pytest
import SimpleITK as sitk

from eprstats.cohort.images import (geometry_differences, mask_onto_grid, read_image, read_mask,
                                    subgrid_offset)
from eprstats.errors import InputError

# ---------------------------------------------------------------------------------------------------------
# real NRRD files (pyradiomics' sample data), checked against a hand-written NRRD parser
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["brain1", "breast1"])
def test_real_nrrd_matches_the_file_bytes(shared_data, nrrd_tools, case):
    path = shared_data / "pyradiomics" / f"{case}_image.nrrd"
    fields, arr = nrrd_tools["parse"](path)
    img = read_image(path)
    assert img.GetSize() == tuple(int(s) for s in fields["sizes"].split())
    dirs = nrrd_tools["vectors"](fields["space directions"])
    assert img.GetSpacing() == pytest.approx([np.linalg.norm(d) for d in dirs])
    assert img.GetOrigin() == pytest.approx(nrrd_tools["vectors"](fields["space origin"])[0])
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(img), arr)


def test_real_label_map_read_as_binary_mask(shared_data, nrrd_tools):
    path = shared_data / "pyradiomics" / "brain1_label.nrrd"
    _, arr = nrrd_tools["parse"](path)
    mask = read_mask(path)
    assert mask.GetPixelID() == sitk.sitkUInt8
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(mask), (arr != 0).astype(np.uint8))


def test_several_labels_need_a_choice(shared_data, nrrd_tools):
    path = shared_data / "pyradiomics" / "prostate_phantom_subvolume-label.nrrd"
    _, arr = nrrd_tools["parse"](path)
    present = sorted(int(v) for v in np.unique(arr) if v)
    with pytest.raises(InputError) as err:
        read_mask(path)
    assert str(present) in err.value.problem and err.value.file == str(path)
    for label in present:
        m = read_mask(path, label=label)
        assert int(sitk.GetArrayViewFromImage(m).sum()) == int((arr == label).sum())
    with pytest.raises(InputError, match="label 5 is not in the mask"):
        read_mask(path, label=5)


# ---------------------------------------------------------------------------------------------------------
# NIfTI written from the specification
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["vol.nii", "vol.nii.gz"])
def test_nifti_written_by_hand(tmp_path, builders, name):
    rng = np.random.default_rng(1)
    arr = rng.integers(-500, 1500, size=(6, 7, 8)).astype(np.int16)
    spacing, offset = (0.8, 0.9, 2.5), (10.0, -20.0, 30.0)
    path = builders["nifti"](tmp_path / name, arr, spacing, offset, compress=name.endswith(".gz"))
    img = read_image(path)
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(img), arr)
    assert img.GetSpacing() == pytest.approx(spacing)
    # NIfTI's world is RAS; ITK's is LPS: x and y change sign (NIfTI-1 standard, ITK convention).
    assert img.GetOrigin() == pytest.approx((-10.0, 20.0, 30.0))
    assert img.GetDirection() == pytest.approx((-1, 0, 0, 0, -1, 0, 0, 0, 1))


# ---------------------------------------------------------------------------------------------------------
# broken files
# ---------------------------------------------------------------------------------------------------------
def test_missing_empty_truncated_and_non_image_files(tmp_path, builders, shared_data):
    with pytest.raises(InputError, match="does not exist") as err:
        read_image(tmp_path / "nope.nrrd")
    assert err.value.file.endswith("nope.nrrd")
    empty = tmp_path / "empty.nii.gz"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty") as err:
        read_image(empty)
    assert err.value.file == str(empty)
    text = tmp_path / "notes.nrrd"
    text.write_text("patient notes, not an image\n")
    with pytest.raises(InputError) as err:
        read_image(text)
    assert err.value.file == str(text) and err.value.fix
    full = builders["nrrd"](tmp_path / "full.nrrd", np.ones((10, 10, 10), np.int16), (1, 1, 1), (0, 0, 0))
    cut = tmp_path / "cut.nrrd"
    cut.write_bytes(full.read_bytes()[:-700])
    with pytest.raises(InputError, match="could not be read") as err:
        read_image(cut)
    assert err.value.file == str(cut)
    gz = shared_data / "pyradiomics" / "brain1_image.nrrd"
    cutgz = tmp_path / "cut_gzip.nrrd"
    cutgz.write_bytes(gz.read_bytes()[: gz.stat().st_size // 2])
    with pytest.raises(InputError) as err:
        read_image(cutgz)
    assert err.value.file == str(cutgz)
    nifti = builders["nifti"](tmp_path / "v.nii.gz", np.ones((4, 4, 4)), (1, 1, 1), (0, 0, 0), compress=True)
    cutnii = tmp_path / "cut.nii.gz"
    cutnii.write_bytes(nifti.read_bytes()[:40])
    with pytest.raises(InputError) as err:
        read_image(cutnii)
    assert err.value.file == str(cutnii)


def test_non_integer_and_vector_masks_refused(tmp_path, builders):
    prob = builders["nrrd"](tmp_path / "prob.nrrd", np.full((3, 3, 3), 0.5, np.float32), (1, 1, 1), (0, 0, 0))
    with pytest.raises(InputError, match="non-integer"):
        read_mask(prob)
    rgb = tmp_path / "rgb.nrrd"
    sitk.WriteImage(sitk.Image([3, 3, 3], sitk.sitkVectorUInt8, 3), str(rgb))
    with pytest.raises(InputError, match="3 values per voxel") as err:
        read_mask(rgb)
    assert err.value.file == str(rgb)


# ---------------------------------------------------------------------------------------------------------
# 3D Slicer segmentations, written by hand in Slicer's layouts
# ---------------------------------------------------------------------------------------------------------
def _segments(names_labels_layers):
    meta = {}
    for i, (name, label, layer) in enumerate(names_labels_layers):
        meta[f"Segment{i}_ID"] = f"Segment_{i + 1}"
        meta[f"Segment{i}_Name"] = name
        if label is not None:
            meta[f"Segment{i}_LabelValue"] = label
        if layer is not None:
            meta[f"Segment{i}_Layer"] = layer
    return meta


def test_seg_nrrd_labelmap_layout(tmp_path, builders):
    arr = np.zeros((5, 6, 7), np.uint8)
    arr[1:3, 2:4, 2:5] = 1   # Tumour: 12 voxels
    arr[3:5, :, :] = 2       # Liver: 84 voxels
    path = builders["nrrd"](tmp_path / "p1.seg.nrrd", arr, (0.7, 0.7, 2.5), (1, 2, 3),
                            extra=_segments([("Tumour", 1, 0), ("Liver", 2, 0)]))
    tumour = read_mask(path, segment="Tumour")
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(tumour), (arr == 1).astype(np.uint8))
    assert tumour.GetSpacing() == pytest.approx((0.7, 0.7, 2.5))
    liver = read_image(path, label=2)
    assert int(sitk.GetArrayViewFromImage(liver).sum()) == 84
    assert int(sitk.GetArrayFromImage(read_mask(path, segment="liver")).sum()) == 84  # case-insensitive
    with pytest.raises(InputError) as err:
        read_mask(path)
    assert "'Tumour'" in err.value.problem and "'Liver'" in err.value.problem
    with pytest.raises(InputError, match="'Vessel' is not in the segmentation"):
        read_mask(path, segment="Vessel")
    with pytest.raises(InputError, match="no segment has label value 3"):
        read_mask(path, label=3)


def test_seg_nrrd_multilayer_with_overlapping_segments(tmp_path, builders):
    layers = np.zeros((4, 5, 6, 2), np.uint8)   # z, y, x, layer
    layers[1:3, 1:4, 1:4, 0] = 1                 # Tumour in layer 0 (18 voxels)
    layers[0:4, 0:5, 0:6, 1] = 1                 # Liver in layer 1 overlaps the tumour (120 voxels)
    layers[0, 0, 0, 0] = 2                       # a second segment in layer 0 (label 2)
    path = builders["nrrd"](tmp_path / "p2.seg.nrrd", layers, (1, 1, 2), (0, 0, 0), list_axis=True,
                            extra=_segments([("Tumour", 1, 0), ("Liver", 1, 1), ("Vessel", 2, 0)]))
    assert int(sitk.GetArrayFromImage(read_mask(path, segment="Tumour")).sum()) == 18
    assert int(sitk.GetArrayFromImage(read_mask(path, segment="Liver")).sum()) == 120
    assert int(sitk.GetArrayFromImage(read_mask(path, label=2)).sum()) == 1
    np.testing.assert_array_equal(sitk.GetArrayFromImage(read_mask(path, segment="Liver")),
                                  layers[..., 1])
    with pytest.raises(InputError, match="used by 2 segments"):
        read_mask(path, label=1)   # label 1 is Tumour in layer 0 and Liver in layer 1


def test_seg_nrrd_slicer_4_10_one_layer_per_segment(tmp_path, builders):
    # Slicer 4.10 (the paper's version) wrote one binary layer per segment, without LabelValue/Layer.
    layers = np.zeros((3, 3, 3, 2), np.uint8)
    layers[1, 1, 1, 0] = 1
    layers[:, :, :2, 1] = 1
    path = builders["nrrd"](tmp_path / "old.seg.nrrd", layers, (1, 1, 1), (0, 0, 0), list_axis=True,
                            extra=_segments([("tumor", None, None), ("liver", None, None)]))
    assert int(sitk.GetArrayFromImage(read_mask(path, segment="tumor")).sum()) == 1
    assert int(sitk.GetArrayFromImage(read_mask(path, segment="liver")).sum()) == 18


def test_single_segment_needs_no_choice_and_segment_on_plain_file_is_refused(tmp_path, builders):
    arr = np.zeros((3, 3, 3), np.uint8)
    arr[1, 1, 1:] = 1
    path = builders["nrrd"](tmp_path / "one.seg.nrrd", arr, (1, 1, 1), (0, 0, 0),
                            extra=_segments([("Tumour", 1, 0)]))
    assert int(sitk.GetArrayFromImage(read_mask(path)).sum()) == 2
    plain = builders["nrrd"](tmp_path / "plain.nrrd", arr, (1, 1, 1), (0, 0, 0))
    with pytest.raises(InputError, match="not a 3D Slicer segmentation"):
        read_mask(plain, segment="Tumour")


def test_cropped_segmentation_is_pasted_onto_the_image_grid(tmp_path, builders):
    image = builders["nrrd"](tmp_path / "img.nrrd", np.zeros((10, 12, 14), np.int16), (0.5, 0.5, 2.0),
                             (10.0, 20.0, 30.0))
    crop = np.ones((2, 3, 4), np.uint8)
    # Slicer crops to the segment's extent: origin moved by whole voxels (index (5, 4, 3)).
    seg = builders["nrrd"](tmp_path / "crop.seg.nrrd", crop, (0.5, 0.5, 2.0), (12.5, 22.0, 36.0),
                           extra=_segments([("Tumour", 1, 0)]))
    img, mask = read_image(image), read_mask(seg)
    assert geometry_differences(img, mask)  # size and origin differ...
    assert subgrid_offset(img, mask) == (5, 4, 3)  # ...but it is a sub-grid
    full = sitk.GetArrayFromImage(mask_onto_grid(mask, img))
    expected = np.zeros((10, 12, 14), np.uint8)
    expected[3:5, 4:7, 5:9] = 1
    np.testing.assert_array_equal(full, expected)


def test_geometry_difference_is_printed(tmp_path):
    a = sitk.Image(4, 4, 4, sitk.sitkUInt8)
    b = sitk.Image(a)
    b.SetOrigin((0.0, 0.5, 0.0))
    b.SetSpacing((1.0, 1.0, 1.0002))
    diffs = geometry_differences(a, b, tolerance=1e-3)
    assert len(diffs) == 1 and "origin differs" in diffs[0] and "(0, 0.5, 0)" in diffs[0]
    assert geometry_differences(a, b, tolerance=0.6) == []


# ---------------------------------------------------------------------------------------------------------
# DICOM series
# ---------------------------------------------------------------------------------------------------------
def test_dicom_folder_with_two_series(tmp_path, builders):
    rng = np.random.default_rng(7)
    t1 = rng.integers(0, 1000, size=(6, 8, 10)).astype(np.int16)
    t2 = rng.integers(0, 1000, size=(4, 8, 10)).astype(np.int16)
    folder = tmp_path / "exports ü" / "dicom P1"   # spaces and non-ASCII, as hospital exports have
    uid1, uid2 = "1.2.826.0.1.3680043.8.498.101", "1.2.826.0.1.3680043.8.498.202"
    builders["dicom"](folder, t1, (0.75, 0.8, 3.0), (-50.0, -60.0, 10.0), uid1, "PVP", name_prefix="a")
    builders["dicom"](folder, t2, (0.75, 0.8, 5.0), (-50.0, -60.0, 10.0), uid2, "AP", name_prefix="b")
    with pytest.raises(InputError) as err:
        read_image(folder)
    assert uid1 in err.value.problem and uid2 in err.value.problem and "2 series" in err.value.problem
    assert err.value.file == str(folder)
    img = read_image(folder, series_uid=uid1)
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(img), t1)
    assert img.GetSpacing() == pytest.approx((0.75, 0.8, 3.0))
    assert img.GetOrigin() == pytest.approx((-50.0, -60.0, 10.0))
    img2 = read_image(folder, series_uid=uid2)
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(img2), t2)
    assert img2.GetSpacing()[2] == pytest.approx(5.0)
    with pytest.raises(InputError, match="is not in the DICOM folder"):
        read_image(folder, series_uid="1.2.3")


def test_dicom_missing_slice_and_empty_folder(tmp_path, builders):
    arr = np.arange(7 * 4 * 5, dtype=np.int16).reshape(7, 4, 5)
    folder = builders["dicom"](tmp_path / "gap", arr, (1.0, 1.0, 2.0), (0, 0, 0), "1.2.826.0.1.3680043.8.498.9",
                               skip=(3,))
    with pytest.raises(InputError, match="unevenly spaced: 4 mm between slices 3 and 4") as err:
        read_image(folder)
    assert err.value.file == str(folder)
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "readme.txt").write_text("no images")
    with pytest.raises(InputError, match="no DICOM series"):
        read_image(empty)



def test_dicom_slices_with_different_pixel_spacing(tmp_path, builders):
    arr = np.ones((5, 4, 4), np.int16)
    uid = "1.2.826.0.1.3680043.8.498.77"
    folder = builders["dicom"](tmp_path / "mixed", arr, (0.8, 0.8, 3.0), (0, 0, 0), uid)
    # Slice 0 re-exported with another pixel spacing (same position, same series UID).
    builders["dicom"](folder, arr[:1], (0.9, 0.9, 3.0), (0, 0, 0), uid)
    with pytest.raises(InputError, match="differ in pixel spacing") as err:
        read_image(folder)
    assert "s000.dcm" in err.value.problem and err.value.file == str(folder)
