"""Whole-cohort validation: every distinct problem is listed in one report, with patient, phase and file."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk

from eprstats.cohort.study import load_study
from eprstats.cohort.validate import raise_if_problems, validate_cohort
from eprstats.errors import InputError


def _rewrite_mask(path, fn):
    img = sitk.ReadImage(str(path))
    arr = fn(sitk.GetArrayFromImage(img))
    out = sitk.GetImageFromArray(arr)
    out.CopyInformation(img)
    sitk.WriteImage(out, str(path))
    return out


def _broken_cohort(root, small_study):
    """Ten patients, nine distinct problems planted, and the expected (patient, phase, text) of each."""
    path, manifest = small_study(root, n=10, phases=("AP", "PVP"))
    img = root / "img"
    expected = []
    # P2: AP image missing
    (img / "P2_AP.nrrd").unlink()
    expected.append(("P2", "AP", "does not exist"))
    # P3: PVP mask origin shifted by 0.5 mm in y
    m = sitk.ReadImage(str(img / "P3_PVP_mask.nrrd"))
    o = m.GetOrigin()
    m.SetOrigin((o[0], o[1] + 0.5, o[2]))
    sitk.WriteImage(m, str(img / "P3_PVP_mask.nrrd"))
    expected.append(("P3", "PVP", "difference (0, 0.5, 0)"))
    # P4: AP mask empty
    _rewrite_mask(img / "P4_AP_mask.nrrd", lambda a: np.zeros_like(a))
    expected.append(("P4", "AP", "is empty"))
    # P5: PVP mask a single voxel
    def one(a):
        b = np.zeros_like(a)
        b[5, 10, 10] = 1
        return b
    _rewrite_mask(img / "P5_PVP_mask.nrrd", one)
    expected.append(("P5", "PVP", "single voxel"))
    # P6: AP mask with labels 1 and 2
    def two(a):
        b = a.copy()
        b[0, 0, 0] = 2
        return b
    _rewrite_mask(img / "P6_AP_mask.nrrd", two)
    expected.append(("P6", "AP", "several labels [1, 2]"))
    # P7: PVP image truncated
    data = (img / "P7_PVP.nrrd").read_bytes()
    (img / "P7_PVP.nrrd").write_bytes(data[: len(data) // 2])
    expected.append(("P7", "PVP", "could not be read"))
    # P8: mask of another grid size (a different acquisition)
    small = sitk.Image(10, 10, 10, sitk.sitkUInt8)
    small[5, 5, 5] = 1
    small[5, 5, 6] = 1
    small.SetSpacing((0.8, 0.8, 2.5))
    small.SetOrigin((-30.0, 5.0, 2.0))
    sitk.WriteImage(small, str(img / "P8_AP_mask.nrrd"))
    expected.append(("P8", "AP", "size differs"))
    # P9 appears twice; P10's outcome is 2; P1's second-reader mask is missing
    manifest.loc[9, "id"] = "P9"
    manifest.loc[9, "outcome"] = 2
    manifest["PVP_mask_reader2"] = ""
    manifest.loc[0, "PVP_mask_reader2"] = "img/P1_PVP_reader2.nrrd"
    manifest.to_csv(root / "manifest.csv", index=False)
    expected += [("P9", None, "appears 2 times"), (None, None, "not binary 0/1"),
                 ("P1", "PVP", "does not exist")]
    return path, expected


def test_all_problems_in_one_report(tmp_path, small_study):
    path, expected = _broken_cohort(tmp_path, small_study)
    report = validate_cohort(load_study(path))
    assert list(report.columns) == ["patient", "phase", "file", "problem", "fix"]
    found = []
    for patient, phase, text in expected:
        hit = report[report["problem"].str.contains(text, regex=False)
                     & ((report["patient"] == patient) if patient else report["patient"].isna())
                     & ((report["phase"] == phase) if phase else report["phase"].isna())]
        assert len(hit) == 1, (patient, phase, text, report.to_string())
        found.append(hit.index[0])
    # Nothing else is reported: the planted problems are exactly the report.
    assert sorted(found) == list(report.index), report.to_string()
    # Two worker processes give the same report, in the same order.
    pd.testing.assert_frame_equal(validate_cohort(load_study(path), workers=2), report)
    assert report["fix"].map(bool).all()
    files = report.dropna(subset=["file"])
    assert files["file"].str.contains("P3_PVP_mask.nrrd").any()
    with pytest.raises(InputError) as err:
        raise_if_problems(report)
    text = err.value.message
    assert f"{len(expected)} problems" in text
    for patient, _, problem in expected:
        assert problem in text and (patient is None or repr(patient) in text)


def test_clean_cohort_and_tolerance(tmp_path, small_study):
    path, _ = small_study(tmp_path, n=3)
    m = sitk.ReadImage(str(tmp_path / "img" / "P1_AP_mask.nrrd"))
    o = m.GetOrigin()
    m.SetOrigin((o[0] + 0.0004, o[1], o[2]))  # below the 0.001 mm tolerance: accepted
    sitk.WriteImage(m, str(tmp_path / "img" / "P1_AP_mask.nrrd"))
    study = load_study(path)
    assert validate_cohort(study).empty
    raise_if_problems(validate_cohort(study))
    assert len(validate_cohort(study, tolerance=1e-4)) == 1  # a tighter tolerance reports it


def test_single_outcome_class_and_missing_cells(tmp_path, small_study):
    path, manifest = small_study(tmp_path, n=3)
    manifest["outcome"] = 0
    manifest.loc[1, "cohort"] = None
    manifest.loc[2, "PVP_mask"] = None
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    report = validate_cohort(load_study(path))
    problems = " | ".join(report["problem"])
    assert "only one class" in problems and "no cohort given" in problems and "no tumour mask given" in problems
    assert len(report) == 3


def test_validate_command(tmp_path, small_study, run_cli):
    path, expected = _broken_cohort(tmp_path / "bad", small_study)
    code, out, err = run_cli("validate", path, "--report", tmp_path / "report.csv")
    assert code == 2
    assert "Traceback" not in out + err
    for patient, _, text in expected:
        assert text in out
    assert f"{len(expected)} problem(s)" in err
    assert (tmp_path / "report.csv").read_text(encoding="utf-8").count("\n") == len(expected) + 1
    good, _ = small_study(tmp_path / "good", n=2)
    code, out, err = run_cli("validate", good, "--workers", "2")
    assert code == 0 and "cohort OK: 2 patients" in out


def test_dicom_series_and_cropped_slicer_segmentation_in_a_manifest(tmp_path, small_study, builders):
    """A PVP image given as a DICOM folder with two series (chosen by '#UID'), its tumour as a cropped
    3D Slicer segmentation (chosen by '#Tumour'): valid. Without the UID, the ambiguity is reported."""
    path, manifest = small_study(tmp_path, n=2, phases=("PVP",))
    arr = np.zeros((6, 8, 10), np.int16)
    uid_a, uid_b = "1.2.826.0.1.3680043.8.498.31", "1.2.826.0.1.3680043.8.498.32"
    builders["dicom"](tmp_path / "dicom", arr, (0.8, 0.8, 2.5), (-10.0, 5.0, 2.0), uid_a, "PVP", name_prefix="a")
    builders["dicom"](tmp_path / "dicom", arr[:3], (0.8, 0.8, 2.5), (-10.0, 5.0, 2.0), uid_b, "AP", name_prefix="b")
    seg = np.zeros((2, 3, 4), np.uint8)
    seg[0, 1, 1:3] = 1
    seg[1, :, :] = 2
    builders["nrrd"](tmp_path / "P1 tumour.seg.nrrd", seg, (0.8, 0.8, 2.5), (-10.0 + 4 * 0.8, 5.0 + 2 * 0.8, 4.5),
                     extra={"Segment0_Name": "Tumour", "Segment0_LabelValue": 1, "Segment0_Layer": 0,
                            "Segment1_Name": "Liver", "Segment1_LabelValue": 2, "Segment1_Layer": 0})
    manifest.loc[0, "PVP_image"] = f"dicom#{uid_a}"
    manifest.loc[0, "PVP_mask"] = "P1 tumour.seg.nrrd#Tumour"
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    assert validate_cohort(load_study(path)).empty
    manifest.loc[0, "PVP_image"] = "dicom"
    manifest.loc[0, "PVP_mask"] = "P1 tumour.seg.nrrd"
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    report = validate_cohort(load_study(path))
    assert len(report) == 2 and set(report["patient"]) == {"P1"}
    series = report[report["problem"].str.contains("holds 2 series")]
    assert len(series) == 1 and uid_a in series["problem"].iloc[0] and uid_b in series["problem"].iloc[0]
    assert report["problem"].str.contains("has 2 segments: 'Tumour'").sum() == 1


def test_tumour_at_the_edge_is_a_warning_not_a_problem(tmp_path, small_study):
    from eprstats.segmentation.rois import RingCutWarning
    path, _ = small_study(tmp_path, n=2, phases=("AP", "PVP"))
    for phase in ("AP", "PVP"):   # P2: tumour moved to 2 voxels (1.6 mm) from the x- edge, both phases
        _rewrite_mask(tmp_path / "img" / f"P2_{phase}_mask.nrrd", lambda a: np.roll(a, -6, axis=2))
    with pytest.warns(RingCutWarning) as caught:
        report = validate_cohort(load_study(path))
    assert report.empty
    messages = [str(w.message) for w in caught if issubclass(w.category, RingCutWarning)]
    # Only the ring phase (PVP) is concerned; the message names patient, side and file.
    assert len(messages) == 1 and "patient 'P2', phase PVP" in messages[0] and "edge (x-)" in messages[0]
    assert "P2_PVP_mask.nrrd" in messages[0]
