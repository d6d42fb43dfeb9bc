"""Bad inputs thrown at the imaging entry points: study files, manifests, images, masks, DICOM folders, and the
``validate``, ``rois``, ``extract``, ``deep`` and ``run`` commands.

Every input is generated here: a tiny cohort (20 x 20 x 8 voxels of 1 x 1 x 2 mm, a 3 mm-radius tumour in the
middle) written with SimpleITK, then broken in one way per case. Each case ends with the documented exit code
(2 bad input, 4 some patients failed and the others were written), a message naming the patient and/or file and
the fix, no traceback, and no output left behind as if complete.
"""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sitk = pytest.importorskip("SimpleITK")

from tests.imaging_inputs import FAST_RADIOMICS, write_dicom_series  # noqa: E402  (after the SimpleITK skip)

SIZE = (20, 20, 8)          # x, y, z voxels
SPACING = (1.0, 1.0, 2.0)   # mm
ORIGIN = (-10.0, 4.0, 30.0)
CENTRE_MM = (10.0, 10.0, 7.0)  # tumour centre relative to the origin: the 3 mm ring stays inside the image


# --------------------------------------------------------------------------------------------------------------
# building a tiny cohort
# --------------------------------------------------------------------------------------------------------------
def _grid():
    nx, ny, nz = SIZE
    return np.meshgrid(np.arange(nz) * SPACING[2], np.arange(ny) * SPACING[1], np.arange(nx) * SPACING[0],
                       indexing="ij")


def tumour_array(centre=CENTRE_MM, radius=3.0) -> np.ndarray:
    z, y, x = _grid()
    return ((x - centre[0]) ** 2 + (y - centre[1]) ** 2 + (z - centre[2]) ** 2 <= radius ** 2).astype(np.uint8)


def image_array(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    arr = rng.normal(200, 30, size=SIZE[::-1]) + 80 * tumour_array()
    return arr.astype(np.int16)


def to_image(arr, spacing=SPACING, origin=ORIGIN):
    img = sitk.GetImageFromArray(arr)
    img.SetSpacing(tuple(float(s) for s in spacing))
    img.SetOrigin(tuple(float(o) for o in origin))
    return img


def write(img, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(img, str(path), True)
    return path


def make_study(root, n=4, folder="img", ext=".nii.gz", extra_yaml="", study_name="study.yaml"):
    """A valid study of ``n`` patients (P1..Pn; PVP phase only; outcome 1,0,1,0...). Returns (study path, manifest)."""
    root = Path(root)
    rows = []
    for i in range(1, n + 1):
        img = to_image(image_array(i))
        mask = to_image(tumour_array())
        image_path = write(img, root / folder / f"P{i}_PVP{ext}")
        mask_path = write(mask, root / folder / f"P{i}_PVP_mask{ext}")
        rows.append({"id": f"P{i}", "cohort": "training" if i <= n - 1 else "external", "outcome": i % 2,
                     "age": 50 + i, "PVP_image": str(image_path.relative_to(root)),
                     "PVP_mask": str(mask_path.relative_to(root))})
    manifest = pd.DataFrame(rows)
    manifest.to_csv(root / "manifest.csv", index=False)
    study = root / study_name
    study.write_text("manifest: manifest.csv\nphases: [PVP]\nring_phases: [PVP]\nring_mm: 3\n" + extra_yaml,
                     encoding="utf-8")
    return study, manifest


def set_cell(root, patient, column, value):
    m = pd.read_csv(Path(root) / "manifest.csv", dtype=str, keep_default_na=False)
    m.loc[m["id"] == patient, column] = value
    m.to_csv(Path(root) / "manifest.csv", index=False)


def mask_path(root, patient="P2"):
    return Path(root) / "img" / f"{patient}_PVP_mask.nii.gz"


def image_path(root, patient="P2"):
    return Path(root) / "img" / f"{patient}_PVP.nii.gz"


def write_dicom(folder, arr, spacing=SPACING, origin=ORIGIN, uid="1.2.826.0.1.3680043.8.498.5001",
                description="PVP", skip=(), prefix="s", pixel_spacing=None):
    """``arr`` (z, y, x) as one MR DICOM file per slice, with the tags a scanner export carries."""
    return write_dicom_series(folder, arr, spacing, origin, uid, description, skip=skip, name_prefix=prefix,
                              pixel_spacing=pixel_spacing)


def use_dicom(root, patient="P2", **kw):
    """Replace ``patient``'s PVP image by a DICOM folder (same grid as the mask); returns the folder."""
    folder = write_dicom(Path(root) / "dicom" / patient, image_array(2), **kw)
    set_cell(root, patient, "PVP_image", f"dicom/{patient}")
    return folder


def no_traceback(code, out, err, exit_code, needles=(), out_dir=None):
    """The documented exit code, one 'error: ... Fix: ...' paragraph, the needles said somewhere the user
    reads (the validation report goes to stdout, the error to stderr), and no leftover output."""
    text = out + err
    assert code == exit_code, f"exit {code}\nstdout: {out}\nstderr: {err}"
    assert "Traceback" not in text
    assert "error: " in err and "Fix:" in err, err
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"
    if out_dir is not None and Path(out_dir).exists():
        leftovers = [p for p in Path(out_dir).rglob("*") if p.is_file()]
        assert not leftovers, f"partial output left: {leftovers}"


# --------------------------------------------------------------------------------------------------------------
# the cases thrown at `eprstats validate STUDY.yaml`: (break the cohort, expected needles)
# --------------------------------------------------------------------------------------------------------------
def _text(root, name, text, encoding="utf-8"):
    (Path(root) / name).write_bytes(text.encode(encoding) if isinstance(text, str) else text)


def _rewrite_mask(root, fn, patient="P2", dtype=np.uint8, **geometry):
    arr = fn(tumour_array().copy())
    write(to_image(arr.astype(dtype), **geometry), mask_path(root, patient))


def _manifest(root, fn):
    m = pd.read_csv(Path(root) / "manifest.csv", dtype=str, keep_default_na=False)
    m = fn(m)
    m.to_csv(Path(root) / "manifest.csv", index=False)


def _set_direction(root):
    # the same voxels stored with the x axis flipped (an LPS/RAS mix-up of a converter)
    m = sitk.ReadImage(str(mask_path(root)))
    m.SetDirection((-1, 0, 0, 0, 1, 0, 0, 0, 1))
    m.SetOrigin((ORIGIN[0] + (SIZE[0] - 1) * SPACING[0], ORIGIN[1], ORIGIN[2]))
    write(m, mask_path(root))


def _one_voxel(a):
    a[:] = 0
    a[4, 10, 10] = 1
    return a


def _dicom_two_series(root):
    folder = use_dicom(root, prefix="a")
    write_dicom(folder, image_array(9)[:5], uid="1.2.826.0.1.3680043.8.498.6002", description="AP", prefix="b")


def _dicom_uneven_spacing(root):
    folder = use_dicom(root, skip=(7,))
    # the last slice written 3 mm further than the others: a re-exported or mis-stacked slice
    arr = image_array(2)
    write_dicom(folder, arr[7:8], origin=(ORIGIN[0], ORIGIN[1], ORIGIN[2] + 7 * SPACING[2] + 3.0), prefix="z")


def _empty_folder(root):
    (Path(root) / "dicom" / "P2").mkdir(parents=True)
    (Path(root) / "dicom" / "P2" / "README.txt").write_text("export failed")
    set_cell(root, "P2", "PVP_image", "dicom/P2")


def _nan_image(root):
    # NRRD: ITK's NIfTI reader turns NaN into 0 on reading, NRRD keeps them
    arr = image_array(2).astype(np.float32)
    arr[3, 5:8, 5:8] = np.nan
    write(to_image(arr), Path(root) / "img" / "P2_PVP.nrrd")
    set_cell(root, "P2", "PVP_image", "img/P2_PVP.nrrd")


def _truncated_plain_nifti(root):
    # an uncompressed .nii cut short: ITK reads it without complaint, filling the missing voxels
    write(sitk.ReadImage(str(image_path(root))), Path(root) / "img" / "P2_PVP.nii")
    data = (Path(root) / "img" / "P2_PVP.nii").read_bytes()
    (Path(root) / "img" / "P2_PVP.nii").write_bytes(data[: len(data) - 500])
    set_cell(root, "P2", "PVP_image", "img/P2_PVP.nii")


def _nan_nifti(root):
    # a NIfTI float image with NaN: SimpleITK's NIfTI reader would turn them into 0 silently
    arr = image_array(2).astype(np.float32)
    arr[4, 9:11, 9:11] = np.nan
    write(to_image(arr), image_path(root))


def _four_d(root):
    vol = sitk.ReadImage(str(image_path(root)))
    write(sitk.JoinSeries([vol, vol, vol]), image_path(root))


def _slicer_two_segments(root):
    arr = tumour_array().copy()
    arr[:, :, :3] = 2  # a second segment (liver) beside the tumour
    seg = to_image(arr)
    for key, value in {"Segment0_Name": "Tumour", "Segment0_ID": "Segment_1", "Segment0_LabelValue": "1",
                       "Segment0_Layer": "0", "Segment1_Name": "Liver", "Segment1_ID": "Segment_2",
                       "Segment1_LabelValue": "2", "Segment1_Layer": "0"}.items():
        seg.SetMetaData(key, value)
    write(seg, Path(root) / "img" / "P2.seg.nrrd")
    set_cell(root, "P2", "PVP_mask", "img/P2.seg.nrrd")


def _liver_mask(root, empty_for="P2"):
    for i in range(1, 5):
        liver = np.ones(SIZE[::-1], np.uint8) * (f"P{i}" != empty_for)
        write(to_image(liver), Path(root) / "img" / f"P{i}_liver.nii.gz")
    _manifest(root, lambda m: m.assign(liver_mask=[f"img/P{i}_liver.nii.gz" for i in range(1, 5)]))


def _truncated(root):
    data = image_path(root).read_bytes()
    image_path(root).write_bytes(data[: len(data) // 2])


def _two_d(root):
    write(sitk.GetImageFromArray(image_array(2)[3]), image_path(root))


VALIDATE_CASES = {
    # --- study files ----------------------------------------------------------------------------------------
    "study: not YAML": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\nphases: [PVP\n  ring: : 3\n"),
                        ["study.yaml", "not valid YAML", "line"]),
    "study: unknown key": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\nphases: [PVP]\nring_width: 3\n"),
                           ["study.yaml", "ring_width", "valid keys"]),
    "study: no manifest key": (lambda r: _text(r, "study.yaml", "phases: [PVP]\n"), ["study.yaml", "manifest"]),
    "study: manifest file missing": (lambda r: (Path(r) / "manifest.csv").rename(Path(r) / "other.csv"),
                                     ["manifest.csv", "does not exist"]),
    "study: a list, not a mapping": (lambda r: _text(r, "study.yaml", "- manifest.csv\n- PVP\n"),
                                     ["study.yaml", "mapping"]),
    "study: not UTF-8": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\nname: Zürich\n", "utf-16"),
                         ["study.yaml", "UTF-8"]),
    "study: negative ring width": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\nphases: [PVP]\n"
                                                   "ring_mm: -3\n"), ["study.yaml", "ring_mm"]),
    "study: zero voxel size": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\nphases: [PVP]\n"
                                             "spacing: [1, 0, 1]\n"), ["study.yaml", "spacing", "positive"]),
    "study: training cohort named differently": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\n"
                                                                 "phases: [PVP]\ntraining_cohort: train\n"),
                                                 ["training cohort 'train'", "['external', 'training']",
                                                  "training_cohort"]),
    "study: phase without columns": (lambda r: _text(r, "study.yaml", "manifest: manifest.csv\nphases: [AP, PVP]\n"),
                                     ["manifest.csv", "AP_image", "AP_mask"]),
    # --- manifests ------------------------------------------------------------------------------------------
    "manifest: duplicated patient id": (lambda r: _manifest(r, lambda m: m.assign(id=["P1", "P2", "P2", "P4"])),
                                        ["'P2' appears 2 times", "unique id"]),
    "manifest: missing patient id": (lambda r: _manifest(r, lambda m: m.assign(id=["P1", "", "P3", "P4"])),
                                     ["row 3 has no patient id", "manifest.csv"]),
    "manifest: missing mask column": (lambda r: _manifest(r, lambda m: m.drop(columns="PVP_mask")),
                                      ["manifest.csv", "PVP_mask"]),
    "manifest: missing outcome column": (lambda r: _manifest(r, lambda m: m.rename(columns={"outcome": "EPR"})),
                                         ["manifest.csv", "outcome", "outcome_column"]),
    "manifest: outcome with one class": (lambda r: _manifest(r, lambda m: m.assign(outcome="1")),
                                         ["'outcome' has only one class", "both events and non-events"]),
    "manifest: outcome with three classes": (lambda r: _manifest(r, lambda m: m.assign(outcome=["0", "1", "2", "1"])),
                                             ["not binary", "'2'"]),
    "manifest: ids differing only by spaces": (lambda r: _manifest(r, lambda m: m.assign(id=["P1", "P2", " P2 ", "P4"])),
                                               ["'P2' appears 2 times"]),
    "manifest: training cohort with one outcome class": (lambda r: _manifest(r, lambda m: m.assign(
        cohort=["training", "external", "training", "external"])), ["training cohort 'training' has only one"]),
    "manifest: missing cohort": (lambda r: set_cell(r, "P3", "cohort", ""), ["no cohort given", "'P3'"]),
    "manifest: non-UTF-8": (lambda r: _text(r, "manifest.csv", (Path(r) / "manifest.csv").read_text()
                                            .replace("training", "Zürich"), "latin-1"),
                            ["manifest.csv", "UTF-8"]),
    "manifest: header only": (lambda r: _manifest(r, lambda m: m.iloc[:0]), ["manifest.csv", "no patient"]),
    # --- images ---------------------------------------------------------------------------------------------
    "image: truncated .nii.gz": (_truncated, ["'P2'", "P2_PVP.nii.gz", "truncated", "export the file again"]),
    "image: truncated .nii": (_truncated_plain_nifti, ["'P2'", "P2_PVP.nii'", "truncated", "header promises"]),
    "image: text file named .nii.gz": (lambda r: image_path(r).write_text("patient P2, PVP: see PACS\n"),
                                       ["'P2'", "P2_PVP.nii.gz", "export it again"]),
    "image: gzip of a text file named .nii.gz": (lambda r: image_path(r).write_bytes(gzip.compress(b"not an image")),
                                                 ["'P2'", "P2_PVP.nii.gz"]),
    "image: missing file": (lambda r: image_path(r).unlink(), ["'P2'", "P2_PVP.nii.gz", "does not exist"]),
    "image: empty file": (lambda r: image_path(r).write_bytes(b""), ["'P2'", "P2_PVP.nii.gz", "empty"]),
    "image: 2-D": (_two_d, ["'P2'", "2-D, not 3-D"]),
    "image: NaN voxels": (_nan_image, ["'P2'", "P2_PVP.nrrd", "9 NaN", "background value"]),
    "image: NaN voxels in a NIfTI": (_nan_nifti, ["'P2'", "P2_PVP.nii.gz", "4 NaN", "background value"]),
    "image: 4-D time series": (_four_d, ["'P2'", "4-D, not 3-D"]),
    "image: no path given": (lambda r: set_cell(r, "P2", "PVP_image", ""), ["'P2'", "PVP_image"]),
    # --- DICOM folders --------------------------------------------------------------------------------------
    "dicom: two series": (_dicom_two_series, ["'P2'", "2 series", "1.2.826.0.1.3680043.8.498.6002", "#"]),
    "dicom: missing slice": (lambda r: use_dicom(r, skip=(3,)), ["'P2'", "unevenly spaced", "missing slices"]),
    "dicom: inconsistent slice spacing": (_dicom_uneven_spacing, ["'P2'", "unevenly spaced"]),
    "dicom: inconsistent pixel spacing": (lambda r: use_dicom(r, pixel_spacing=lambda k: (0.9, 0.9) if k == 5
                                                              else (1.0, 1.0)),
                                          ["'P2'", "pixel spacing", "s005.dcm"]),
    "dicom: empty folder": (_empty_folder, ["'P2'", "no DICOM series"]),
    "dicom: unknown series UID": (lambda r: (use_dicom(r), set_cell(r, "P2", "PVP_image", "dicom/P2#1.2.3.4")),
                                  ["'P2'", "'1.2.3.4' is not in the DICOM folder"]),
    # --- masks ----------------------------------------------------------------------------------------------
    "mask: wrong size": (lambda r: write(to_image(np.pad(tumour_array(), ((0, 0), (0, 0), (0, 4)))), mask_path(r)),
                         ["'P2'", "P2_PVP_mask.nii.gz", "size differs", "reference geometry"]),
    "mask: wrong spacing": (lambda r: _rewrite_mask(r, lambda a: a, spacing=(1.0, 1.0, 2.5)),
                            ["'P2'", "spacing differs", "(1, 1, 2.5)"]),
    "mask: wrong origin": (lambda r: _rewrite_mask(r, lambda a: a, origin=(ORIGIN[0] + 0.5, ORIGIN[1], ORIGIN[2])),
                           ["'P2'", "origin differs", "0.5"]),
    "mask: several labels": (lambda r: _rewrite_mask(r, lambda a: a + (np.arange(a.shape[2]) > 10) * a),
                             ["'P2'", "several labels [1, 2]", "'mask.nrrd#1'"]),
    "mask: no voxels": (lambda r: _rewrite_mask(r, lambda a: a * 0), ["'P2'", "P2_PVP_mask.nii.gz", "is empty"]),
    "mask: one voxel": (lambda r: _rewrite_mask(r, _one_voxel), ["'P2'", "single voxel"]),
    "mask: probability map": (lambda r: _rewrite_mask(r, lambda a: a * 0.7, dtype=np.float32),
                              ["'P2'", "non-integer", "label map"]),
    "mask: label not in the mask": (lambda r: set_cell(r, "P2", "PVP_mask", "img/P2_PVP_mask.nii.gz#3"),
                                    ["'P2'", "label 3 is not in the mask"]),
    "mask: segment name on a plain file": (lambda r: set_cell(r, "P2", "PVP_mask", "img/P2_PVP_mask.nii.gz#Tumour"),
                                           ["'P2'", "not a 3D Slicer segmentation"]),
    "mask: other orientation": (lambda r: _rewrite_mask(r, lambda a: a[:, :, ::-1]) or _set_direction(r),
                                ["'P2'", "direction differs"]),
    "mask: Slicer segmentation with two segments, none chosen": (_slicer_two_segments,
                                                                 ["'P2'", "2 segments", "'Tumour'", ".seg.nrrd#Tumour"]),
    "mask: empty liver mask": (_liver_mask, ["'P2'", "P2_liver.nii.gz", "liver mask is empty"]),
    "mask: no path given": (lambda r: set_cell(r, "P2", "PVP_mask", ""), ["'P2'", "PVP_mask"]),
}


@pytest.mark.parametrize("name", list(VALIDATE_CASES))
def test_validate_bad_input(name, tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    breaker, needles = VALIDATE_CASES[name]
    breaker(tmp_path)
    report = tmp_path / "out" / "report.csv"
    code, out, err = run_cli("validate", study, "--report", report)
    tried(f"validate: {name}")
    if report.exists():  # the problem report is the one output of a failed validation: it lists the problem
        assert len(pd.read_csv(report)) >= 1
        report.unlink()
    no_traceback(code, out, err, 2, needles, tmp_path / "out")


def test_validate_zero_workers(tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    code, out, err = run_cli("validate", study, "--workers", "0")
    tried("validate: --workers 0")
    no_traceback(code, out, err, 2, ["--workers 0", "positive"])


# --------------------------------------------------------------------------------------------------------------
# inputs that look unusual but are valid: they must WORK
# --------------------------------------------------------------------------------------------------------------
def test_semicolon_separated_manifest_is_read(tmp_path, run_cli, tried):
    """European spreadsheet exports use ';': the manifest is read, not refused."""
    study, manifest = make_study(tmp_path)
    manifest.to_csv(tmp_path / "manifest.csv", index=False, sep=";")
    code, out, err = run_cli("validate", study)
    tried("validate: semicolon-separated manifest")
    assert code == 0, out + err
    assert "cohort OK: 4 patients" in out


def test_excel_utf8_bom_and_windows_line_endings_are_read(tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    text = (tmp_path / "manifest.csv").read_text(encoding="utf-8")
    (tmp_path / "manifest.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    code, out, err = run_cli("validate", study)
    tried("validate: manifest with a UTF-8 BOM and CRLF line endings")
    assert code == 0, out + err


def test_paths_with_spaces_and_non_ascii_names_work(tmp_path, run_cli, tried):
    """Hospital exports have folders like 'Études hépatiques/cohorte 1' and ids like 'Zö 2': read, derive and
    write them (ids are used as folder names, so one with a '/' is made safe, not split: percent-encoded by
    eprstats.paths.safe_component since #13, so that 'P/3' and 'P_3' can no longer share a folder)."""
    root = tmp_path / "Études hépatiques" / "cohorte 1"
    study, manifest = make_study(root, folder="images ü", study_name="étude 1.yaml")
    manifest["id"] = ["P1", "Zö 2", "P/3", "P4"]
    manifest.to_csv(root / "manifest.csv", index=False)
    code, out, err = run_cli("validate", study)
    tried("validate: paths with spaces and non-ASCII names")
    assert code == 0, out + err
    out_dir = root / "résultats 1"
    code, out, err = run_cli("rois", study, "--out", out_dir)
    tried("rois: paths with spaces and non-ASCII names, ids with '/'")
    assert code == 0, out + err
    assert (out_dir / "Zö 2" / "PVP_ring.nrrd").is_file() and (out_dir / "P%2F3" / "PVP_tumour.nrrd").is_file()
    qc = pd.read_csv(out_dir / "rois_qc.csv")
    assert sorted(qc["patient"]) == sorted(["P1", "Zö 2", "P/3", "P4"])


def test_dicom_folder_with_two_series_works_once_the_series_is_chosen(tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    _dicom_two_series(tmp_path)
    set_cell(tmp_path, "P2", "PVP_image", "dicom/P2#1.2.826.0.1.3680043.8.498.5001")
    code, out, err = run_cli("validate", study)
    tried("validate: DICOM folder with two series, one chosen by UID")
    assert code == 0, out + err


def test_tumour_touching_the_image_edge_is_a_warning(tmp_path, run_cli, tried):
    """A tumour at the edge of the field of view is real data, not an input error: its tumour features are
    valid and refusing it would drop the patient. Only its peritumoral ring is cut by the edge, so the mature
    behaviour is a warning naming the patient, the file and the sides before any work starts, and a flag in the
    ROI QC table, with exit code 0."""
    study, _ = make_study(tmp_path)
    _rewrite_mask(tmp_path, lambda a: tumour_array(centre=(1.0, 10.0, 7.0)))
    code, out, err = run_cli("validate", study)
    tried("validate: tumour touching the image edge")
    assert code == 0, out + err
    assert "'P2'" in err and "P2_PVP_mask.nii.gz" in err and "x-" in err and "ring will be cut" in err
    assert "Traceback" not in err
    code, out, err = run_cli("rois", study, "--out", tmp_path / "rois")
    tried("rois: tumour touching the image edge")
    assert code == 0, out + err
    qc = pd.read_csv(tmp_path / "rois" / "rois_qc.csv").set_index("patient")
    assert bool(qc.loc["P2", "ring_cut_by_edge"]) and qc.loc["P2", "edge_sides"] == "x-"
    assert not qc.drop(index="P2")["ring_cut_by_edge"].any()


# --------------------------------------------------------------------------------------------------------------
# the commands that do the work: rois, extract, deep, run
# --------------------------------------------------------------------------------------------------------------
def test_rois_refuses_a_bad_cohort_before_writing_anything(tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    _rewrite_mask(tmp_path, lambda a: a, origin=(ORIGIN[0], ORIGIN[1] + 3.0, ORIGIN[2]))
    code, out, err = run_cli("rois", study, "--out", tmp_path / "rois")
    tried("rois: mask on another grid (validated first)")
    no_traceback(code, out, err, 2, ["'P2'", "P2_PVP_mask.nii.gz", "origin differs"], tmp_path / "rois")


def _finished_patients_kept(out_dir, failed, ok):
    for p in ok:
        assert (out_dir / p / "rois.json").is_file() and (out_dir / p / "PVP_ring.nrrd").is_file()
    assert not [f for f in (out_dir / failed).rglob("*") if f.is_file()] if (out_dir / failed).exists() else True
    assert sorted(pd.read_csv(out_dir / "rois_qc.csv")["patient"].unique()) == sorted(ok)


@pytest.mark.parametrize("name", ["empty mask", "truncated image", "mask on another grid"])
def test_rois_without_validation_keeps_the_other_patients(name, tmp_path, run_cli, tried):
    """--no-validate: the broken patient is listed (exit 4), the others are written, and the broken one has no
    ROI files that could pass for finished."""
    study, _ = make_study(tmp_path)
    breaker, needle = {"empty mask": (lambda: _rewrite_mask(tmp_path, lambda a: a * 0), "P2_PVP_mask.nii.gz"),
                       "truncated image": (lambda: _truncated(tmp_path), "P2_PVP.nii.gz"),
                       "mask on another grid": (lambda: _rewrite_mask(tmp_path, lambda a: a, spacing=(1.2, 1.0, 2.0)),
                                                "P2_PVP_mask.nii.gz")}[name]
    breaker()
    out_dir = tmp_path / "rois"
    code, out, err = run_cli("rois", study, "--out", out_dir, "--no-validate")
    tried(f"rois --no-validate: {name}")
    assert code == 4, out + err
    assert "Traceback" not in err and "P2:" in err and needle in err and "Fix:" in err, err
    _finished_patients_kept(out_dir, "P2", ["P1", "P3", "P4"])


def test_rois_failure_on_a_later_phase_leaves_no_half_patient(tmp_path, run_cli, tried):
    """Two phases: AP is fine, PVP's mask is empty. Nothing of P2 may be left (an AP ROI without PVP would
    look finished to a reader of the folder)."""
    study, manifest = make_study(tmp_path)
    for i in range(1, 5):
        for what in ("", "_mask"):
            shutil.copy(tmp_path / "img" / f"P{i}_PVP{what}.nii.gz", tmp_path / "img" / f"P{i}_AP{what}.nii.gz")
    manifest["AP_image"] = manifest["PVP_image"].str.replace("PVP", "AP")
    manifest["AP_mask"] = manifest["PVP_mask"].str.replace("PVP", "AP")
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    study.write_text("manifest: manifest.csv\nphases: [AP, PVP]\nring_phases: [PVP]\n")
    _rewrite_mask(tmp_path, lambda a: a * 0)
    out_dir = tmp_path / "rois"
    code, out, err = run_cli("rois", study, "--out", out_dir, "--no-validate")
    tried("rois --no-validate: second phase fails after the first was derived")
    assert code == 4, out + err
    _finished_patients_kept(out_dir, "P2", ["P1", "P3", "P4"])


def _extract(run_cli, source, out_dir, params, *extra):
    return run_cli("extract", source, "--out", out_dir, "--params", params, "--jobs", "1", "--no-progress", *extra)


def test_extract_refuses_a_bad_cohort_before_any_extraction(tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    (tmp_path / "fast.yaml").write_text(FAST_RADIOMICS)
    _rewrite_mask(tmp_path, lambda a: a + (np.arange(a.shape[2]) > 10) * a, patient="P3")
    code, out, err = _extract(run_cli, study, tmp_path / "features", tmp_path / "fast.yaml")
    tried("extract: mask with several labels (validated first)")
    no_traceback(code, out, err, 2, ["'P3'", "P3_PVP_mask.nii.gz", "several labels"], tmp_path / "features")


def test_extract_skipping_validation_keeps_the_other_patients(tmp_path, run_cli, tried):
    """--skip-validation and a one-voxel tumour: exit 4, the other patients' tables written, the failed one
    listed in failures.csv with a message naming it and its mask file, and absent from every table."""
    study, _ = make_study(tmp_path, n=3)
    (tmp_path / "fast.yaml").write_text(FAST_RADIOMICS)
    _rewrite_mask(tmp_path, _one_voxel)
    out_dir = tmp_path / "features"
    code, out, err = _extract(run_cli, study, out_dir, tmp_path / "fast.yaml", "--skip-validation")
    tried("extract --skip-validation: one-voxel tumour")
    assert code == 4, out + err
    assert "Traceback" not in out + err and "'P2'" in err and "failures.csv" in err
    failures = pd.read_csv(out_dir / "failures.csv")
    assert list(failures["id"]) == ["P2"]
    assert "single voxel" in failures["error"][0] and "P2_PVP_mask.nii.gz" in failures["error"][0]
    for roi in ("PVP_tumour", "PVP_ring", "PVP_plus"):
        assert list(pd.read_csv(out_dir / f"features_{roi}.csv")["id"]) == ["P1", "P3"]


def _cases_csv(root, rows):
    pd.DataFrame(rows).to_csv(Path(root) / "cases.csv", index=False)
    return Path(root) / "cases.csv"


def _rows(n=2, **override):
    rows = [{"id": f"P{i}", "image": f"img/P{i}_PVP.nii.gz", "mask": f"img/P{i}_PVP_mask.nii.gz"}
            for i in range(1, n + 1)]
    for key, value in override.items():
        rows[1][key] = value
    return rows


EXTRACT_CSV_CASES = {
    # name: (rows of the id,image,mask table or raw bytes, extra args, exit code, needles)
    "table without a mask column": ([{"id": "P1", "image": "img/P1_PVP.nii.gz"}], [], 2, ["cases.csv", "mask"]),
    "same ROI twice for a patient": (_rows() + _rows()[1:], [], 2, ["'P2'", "more than once", "roi column"]),
    "semicolon table with a latin-1 name": ("id;image;mask\nP1;img/P1_PVP.nii.gz;img/Pä_mask.nii.gz\n"
                                            .encode("latin-1"), [], 2, ["cases.csv", "UTF-8"]),
    "every mask empty": ("all-empty", [], 2, ["none of the 2 cases", "'P1'", "P1_PVP_mask.nii.gz", "failures.csv"]),
    "mask on another grid": ("grid", [], 4, ["'P2'", "P2_PVP_mask.nii.gz", "does not match its image's grid"]),
    "image file missing": (_rows(image="img/absent.nii.gz"), [], 4, ["'P2'", "absent.nii.gz", "does not exist"]),
    "settings file not YAML": (_rows(), ["--params", "bad.yaml"], 2, ["bad.yaml", "YAML"]),
    "settings file with an unknown key": (_rows(), ["--params", "unknown.yaml"], 2, ["unknown.yaml", "featureClasses"]),
    "zero workers": (_rows(), ["--jobs", "0"], 2, ["--jobs", "positive"]),
}


@pytest.mark.parametrize("name", list(EXTRACT_CSV_CASES))
def test_extract_table_bad_input(name, tmp_path, run_cli, tried):
    make_study(tmp_path, n=2)
    (tmp_path / "fast.yaml").write_text(FAST_RADIOMICS)
    (tmp_path / "bad.yaml").write_text("imageType: {Original: {}\nfeatureClass: [shape\n")
    (tmp_path / "unknown.yaml").write_text(FAST_RADIOMICS + "featureClasses:\n  glcm:\n")
    rows, extra, exit_code, needles = EXTRACT_CSV_CASES[name]
    if isinstance(rows, bytes):
        (tmp_path / "cases.csv").write_bytes(rows)
        source = tmp_path / "cases.csv"
    else:
        if rows == "all-empty":
            for p in ("P1", "P2"):
                _rewrite_mask(tmp_path, lambda a: a * 0, patient=p)
        elif rows == "grid":
            _rewrite_mask(tmp_path, lambda a: a, origin=(ORIGIN[0], ORIGIN[1], ORIGIN[2] + 1.0))
        source = _cases_csv(tmp_path, _rows() if isinstance(rows, str) else rows)
    out_dir = tmp_path / "features"
    args = ["extract", source, "--out", out_dir, "--no-progress"]
    if "--params" not in extra:
        args += ["--params", tmp_path / "fast.yaml"]
    if "--jobs" not in extra:
        args += ["--jobs", "1"]
    code, out, err = run_cli(*args, *[tmp_path / e if e.endswith(".yaml") else e for e in extra])
    tried(f"extract table: {name}")
    if exit_code == 4:  # the other patient is written, the failed one listed
        assert code == 4 and "Traceback" not in out + err, out + err
        for needle in needles:
            assert needle in err, f"{needle!r} not in {err}"
        assert list(pd.read_csv(out_dir / "failures.csv")["id"]) == ["P2"]
        assert list(pd.read_csv(out_dir / "features_roi.csv")["id"]) == ["P1"]
        return
    # a failure report is the only file a refused run may leave
    report = out_dir / "failures.csv"
    if report.exists():
        assert len(pd.read_csv(report)) == 2
        report.unlink()
    no_traceback(code, out, err, exit_code, needles, out_dir)


# --- deep features (ResNet34 with random weights on CPU: the inputs are what is tested, not the network) ------
def _deep(run_cli, source, out_dir, *extra):
    return run_cli("deep", source, "--out", out_dir, "--weights", "random", "--device", "cpu", "--threads", "1",
                   *extra)


def test_deep_bad_tables_and_phase(tmp_path, run_cli, tried):
    pytest.importorskip("torch")
    study, _ = make_study(tmp_path, n=2)
    table = _cases_csv(tmp_path, [{"id": "P1", "image": "img/P1_PVP.nii.gz", "tumour": "img/P1_PVP_mask.nii.gz"}])
    code, out, err = _deep(run_cli, table, tmp_path / "deep")
    tried("deep: table without a mask column")
    no_traceback(code, out, err, 2, ["cases.csv", "'mask'", "id,image,mask"], tmp_path / "deep")
    code, out, err = _deep(run_cli, study, tmp_path / "deep", "--phase", "AP")
    tried("deep: phase not in the study")
    no_traceback(code, out, err, 2, ["'AP'", "study.yaml", "--phase"], tmp_path / "deep")


def test_deep_every_patient_failing_writes_nothing(tmp_path, run_cli, tried):
    pytest.importorskip("torch")
    study, _ = make_study(tmp_path, n=2)
    for p in ("P1", "P2"):
        _rewrite_mask(tmp_path, lambda a: a * 0, patient=p)
    out_dir = tmp_path / "deep"
    code, out, err = _deep(run_cli, study, out_dir, "--skip-validation")  # the per-patient path
    tried("deep: every tumour mask empty")
    no_traceback(code, out, err, 2, ["failed for 2 of 2 patient(s)", "'P1'", "P2:"], out_dir)


def test_deep_mask_on_another_grid_fails_the_run_naming_that_patient(tmp_path, run_cli, tried):
    pytest.importorskip("torch")
    study, _ = make_study(tmp_path, n=2)
    _rewrite_mask(tmp_path, lambda a: a, spacing=(1.0, 0.8, 2.0))
    out_dir = tmp_path / "deep"
    # A study file is validated as a whole first, as `extract` and `rois` do: exit 2, nothing written
    code, out, err = _deep(run_cli, study, out_dir)
    tried("deep: mask on another grid, study validated first")
    no_traceback(code, out, err, 2, ["'P2'", "P2_PVP_mask.nii.gz", "spacing differs"], out_dir)
    # Without the validation, the patient fails and stops the run (#24: all files or none, exit 2); the others
    # finished and are kept in the cache for the rerun
    code, out, err = _deep(run_cli, study, out_dir, "--skip-validation")
    tried("deep: mask on another grid")
    no_traceback(code, out, err, 2, ["1 of 2 patient(s)", "'P2'", "P2_PVP_mask.nii.gz", "spacing differs"])
    assert not list(out_dir.glob("deep_*")) and len(list((out_dir / "cache").glob("P1.*.parquet"))) == 1


# --- the study runner -----------------------------------------------------------------------------------------
def test_run_only_validate_lists_the_problem(tmp_path, run_cli, tried):
    """A cohort that fails validation stops `eprstats run` with the validation's own error, exit 2 like
    `eprstats validate` (nothing finished, so it is not a partial run). The validation report
    (tables/validation.csv) is the stage's output and names the patient and file."""
    study, _ = make_study(tmp_path)
    _rewrite_mask(tmp_path, lambda a: a * 0)
    out_dir = tmp_path / "results"
    code, out, err = run_cli("run", study, "--only", "validate", "--out", out_dir)
    tried("run --only validate: empty tumour mask")
    assert code == 2, out + err
    assert "Traceback" not in out + err and "Fix:" in err
    assert "'P2'" in err and "P2_PVP_mask.nii.gz" in err and "is empty" in err
    report = pd.read_csv(out_dir / "tables" / "validation.csv")
    assert list(report["patient"]) == ["P2"] and "empty" in report["problem"][0]
    assert not (out_dir / "features" / "roi_volumes.csv").exists()


def test_run_refuses_a_folder_holding_something_else(tmp_path, run_cli, tried):
    study, _ = make_study(tmp_path)
    out_dir = tmp_path / "thesis"
    out_dir.mkdir()
    (out_dir / "chapter1.docx").write_bytes(b"my thesis")
    code, out, err = run_cli("run", study, "--only", "validate", "--out", out_dir)
    tried("run: output folder holding other files")
    assert code == 2 and "Traceback" not in err and "not empty" in err and "Fix:" in err, err
    assert [p.name for p in out_dir.rglob("*")] == ["chapter1.docx"]
    assert (out_dir / "chapter1.docx").read_bytes() == b"my thesis"
