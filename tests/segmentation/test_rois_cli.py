"""``eprstats rois``: ROI files per patient, QC table, overlays, resume, failures kept apart."""
from __future__ import annotations

import numpy as np
import pandas as pd
import SimpleITK as sitk
from scipy import ndimage


def _study(root, n=3, edge_patient=None):
    """Two phases (AP, PVP) at 0.8 x 0.8 x 2.5 mm, a 5 mm-radius tumour, a liver mask covering the left
    60% of the volume; the ring is derived on PVP."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    sp, (nx, ny, nz) = (0.8, 0.8, 2.5), (30, 28, 12)
    z, y, x = np.meshgrid(np.arange(nz) * sp[2], np.arange(ny) * sp[1], np.arange(nx) * sp[0], indexing="ij")
    rows = []
    for i in range(1, n + 1):
        row = {"id": f"P{i}", "cohort": "training", "outcome": i % 2}
        cx = 2.0 if f"P{i}" == edge_patient else 12.0
        ball = (x - cx) ** 2 + (y - 11) ** 2 + (z - 15) ** 2 <= 25
        for phase in ("AP", "PVP"):
            img = sitk.GetImageFromArray(rng.normal(300, 40, (nz, ny, nx)).astype(np.int16))
            img.SetSpacing(sp)
            img.SetOrigin((5.0, -3.0, 1.0))
            mask = sitk.GetImageFromArray(ball.astype(np.uint8))
            mask.CopyInformation(img)
            sitk.WriteImage(img, str(root / f"P{i}_{phase}.nrrd"))
            sitk.WriteImage(mask, str(root / f"P{i}_{phase}_mask.nrrd"))
            row[f"{phase}_image"], row[f"{phase}_mask"] = f"P{i}_{phase}.nrrd", f"P{i}_{phase}_mask.nrrd"
        liver = sitk.GetImageFromArray(((x < 14.4) | ball).astype(np.uint8))
        liver.CopyInformation(img)
        sitk.WriteImage(liver, str(root / f"P{i}_liver.nrrd"))
        row["liver_mask"] = f"P{i}_liver.nrrd"
        rows.append(row)
    pd.DataFrame(rows).to_csv(root / "manifest.csv", index=False)
    (root / "study.yaml").write_text("manifest: manifest.csv\nphases: [AP, PVP]\nring_phases: [PVP]\n")
    return root / "study.yaml"


def _read(path):
    return sitk.GetArrayFromImage(sitk.ReadImage(str(path))).astype(bool)


def test_rois_command_writes_masks_qc_and_overlays(tmp_path, run_cli):
    study = _study(tmp_path / "s", edge_patient="P2")
    out = tmp_path / "rois"
    code, stdout, stderr = run_cli("rois", study, "--out", out, "--overlays")
    assert code == 0, stderr
    assert "patient 'P2'" in stderr and "ring is cut" in stderr      # the edge warning reached the user
    for p in ("P1", "P2", "P3"):
        for f in ("AP_tumour.nrrd", "PVP_tumour.nrrd", "PVP_ring.nrrd", "PVP_plus.nrrd", "PVP_overlay.png"):
            assert (out / p / f).is_file(), (p, f)
        assert not (out / p / "AP_ring.nrrd").exists()
    # The written ring is the EDT ring (scipy) of the written 1 mm tumour, clipped to the resampled liver.
    tumour = _read(out / "P1" / "PVP_tumour.nrrd")
    ring_img = sitk.ReadImage(str(out / "P1" / "PVP_ring.nrrd"))
    assert ring_img.GetSpacing() == (1.0, 1.0, 1.0)
    d = ndimage.distance_transform_edt(~tumour)
    liver_1mm = sitk.Resample(sitk.ReadImage(str(tmp_path / "s" / "P1_liver.nrrd")), ring_img,
                              sitk.Transform(), sitk.sitkNearestNeighbor, 0)
    expected = (d > 0) & (d <= 3) & sitk.GetArrayFromImage(liver_1mm).astype(bool)
    np.testing.assert_array_equal(sitk.GetArrayFromImage(ring_img).astype(bool), expected)
    qc = pd.read_csv(out / "rois_qc.csv")
    assert len(qc) == 6 and (out / "rois_qc.md").is_file()
    row = qc[(qc.patient == "P1") & (qc.phase == "PVP")].iloc[0]
    assert row.ring_ml == expected.sum() / 1000 and row.tumour_ml == tumour.sum() / 1000
    assert bool(row.liver_clipped) and not bool(row.ring_cut_by_edge)
    assert bool(qc[(qc.patient == "P2") & (qc.phase == "PVP")].iloc[0].ring_cut_by_edge)
    assert np.isnan(qc[qc.phase == "AP"].ring_ml).all()
    # A rerun with the same inputs skips every patient and gives the same table, byte for byte.
    before = (out / "rois_qc.csv").read_bytes()
    mtime = (out / "P1" / "PVP_ring.nrrd").stat().st_mtime_ns
    code, _, stderr = run_cli("rois", study, "--out", out, "--overlays")
    assert code == 0 and "ROIs written" not in stderr
    assert (out / "rois_qc.csv").read_bytes() == before
    assert (out / "P1" / "PVP_ring.nrrd").stat().st_mtime_ns == mtime


def test_invalid_cohort_stops_before_work_and_failures_are_kept_apart(tmp_path, run_cli):
    study = _study(tmp_path / "s")
    empty = sitk.ReadImage(str(tmp_path / "s" / "P2_PVP_mask.nrrd")) * 0
    sitk.WriteImage(empty, str(tmp_path / "s" / "P2_PVP_mask.nrrd"))
    out = tmp_path / "rois"
    code, _, stderr = run_cli("rois", study, "--out", out)
    assert code == 2 and "P2" in stderr and "empty" in stderr and not out.exists()
    code, _, stderr = run_cli("rois", study, "--out", out, "--no-validate")
    assert code == 4 and "P2" in stderr and "Traceback" not in stderr
    assert (out / "P1" / "PVP_ring.nrrd").is_file() and (out / "P3" / "PVP_ring.nrrd").is_file()
    assert set(pd.read_csv(out / "rois_qc.csv").patient) == {"P1", "P3"}


def test_study_rois_for_the_second_reader(tmp_path):
    from eprstats.cohort.study import load_study
    from eprstats.segmentation.rois import study_rois
    study_file = _study(tmp_path / "s", n=1)
    m = pd.read_csv(tmp_path / "s" / "manifest.csv")
    # The second reader drew the tumour one voxel layer smaller (eroded), on the same grid.
    mask = sitk.ReadImage(str(tmp_path / "s" / "P1_PVP_mask.nrrd"))
    sitk.WriteImage(sitk.BinaryErode(mask, [1, 1, 0]), str(tmp_path / "s" / "P1_PVP_r2.nrrd"))
    m["PVP_mask_reader2"] = "P1_PVP_r2.nrrd"
    m.to_csv(tmp_path / "s" / "manifest.csv", index=False)
    study = load_study(study_file)
    image, rois = study_rois(study, "P1", "PVP", readers=("mask", "mask_reader2"))
    assert set(rois) == {"tumour", "ring", "plus", "tumour_reader2", "ring_reader2", "plus_reader2"}
    t1, t2 = (sitk.GetArrayFromImage(rois[k]).sum() for k in ("tumour", "tumour_reader2"))
    assert 0 < t2 < t1
    assert all(img.GetSize() == image.GetSize() and img.GetSpacing() == (1.0, 1.0, 1.0) for img in rois.values())
    _, ap = study_rois(study, "P1", "AP", readers=("mask", "mask_reader2"))
    assert set(ap) == {"tumour"}   # no ring off the ring phases; no AP second reader in the manifest
