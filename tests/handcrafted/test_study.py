"""A study file: tumour ROI per phase, ring and tumour-plus-ring on PVP (derived by eprstats.segmentation),
features equal to pyradiomics' own extractor on those ROIs."""
from __future__ import annotations

import pandas as pd
import pytest

from eprstats.handcrafted.params import load_settings
from tests.imaging_inputs import FAST_RADIOMICS


def test_study_file_gives_tumour_per_phase_and_ring_plus_on_pvp(tmp_path, pyrad_data, run_cli):
    pytest.importorskip("eprstats.cohort.study")
    pytest.importorskip("eprstats.segmentation.rois")
    img, lab = pyrad_data / "breast1_image.nrrd", pyrad_data / "breast1_label.nrrd"
    pd.DataFrame([{"id": pid, "cohort": "training", "outcome": outcome,
                   "AP_image": str(img), "AP_mask": str(lab), "PVP_image": str(img), "PVP_mask": str(lab)}
                  for pid, outcome in (("P1", 1), ("P2", 0))]).to_csv(tmp_path / "manifest.csv", index=False)
    (tmp_path / "study.yaml").write_text("manifest: manifest.csv\nphases: [AP, PVP]\nring_mm: 3\n")
    (tmp_path / "fast.yaml").write_text(FAST_RADIOMICS)
    code, out, err = run_cli("extract", tmp_path / "study.yaml", "--out", tmp_path / "out", "--jobs", "1",
                             "--params", tmp_path / "fast.yaml", "--engine", "pyradiomics", "--no-progress")
    assert code == 0, err
    tables = {p.stem.replace("features_", "") for p in (tmp_path / "out").glob("features_*.parquet")}
    assert tables == {"AP_tumour", "PVP_tumour", "PVP_ring", "PVP_plus"}

    # oracle: pyradiomics' extractor on the ROIs eprstats.segmentation derives from the 1 mm images
    from eprstats.cohort.images import read_image, read_mask
    from eprstats.segmentation.resample import resample_image, resample_mask
    from eprstats.segmentation.rois import derive_rois
    image = resample_image(read_image(img), [1.0, 1.0, 1.0])
    rois = derive_rois(resample_mask(read_mask(lab), image), 3.0)
    extractor = load_settings(tmp_path / "fast.yaml").extractor()
    for roi in ("ring", "plus"):
        expected = {k: float(v) for k, v in extractor.execute(image, rois[roi]).items()
                    if not k.startswith("diagnostics_")}
        row = pd.read_parquet(tmp_path / "out" / f"features_PVP_{roi}.parquet").set_index("id").loc["P1"]
        assert {k: row[k] for k in expected} == expected


def test_study_problems_are_reported_before_any_extraction(tmp_path, pyrad_data, run_cli):
    pytest.importorskip("eprstats.cohort.validate")
    img, lab = pyrad_data / "breast1_image.nrrd", pyrad_data / "breast1_label.nrrd"
    pd.DataFrame([{"id": pid, "cohort": "training", "outcome": outcome, "PVP_image": str(img),
                   "PVP_mask": str(lab) if pid == "P1" else "missing_mask.nrrd"}
                  for pid, outcome in (("P1", 1), ("P2", 0))]).to_csv(tmp_path / "manifest.csv", index=False)
    (tmp_path / "study.yaml").write_text("manifest: manifest.csv\nphases: [PVP]\n")
    code, out, err = run_cli("extract", tmp_path / "study.yaml", "--out", tmp_path / "out", "--no-progress")
    assert code == 2 and "P2" in err and "missing_mask.nrrd" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("cache/*.json"))  # nothing was extracted
