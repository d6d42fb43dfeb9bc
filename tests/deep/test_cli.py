"""``eprstats deep`` end to end on small NIfTI cases: outputs, provenance, warnings, bad input."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from .conftest import write_cases


@pytest.fixture
def cohort(tmp_path, torch):
    write_cases(tmp_path, {"P1": slice(1, 3), "P2": slice(3, 4)}, (4, 200, 210), (slice(80, 120), slice(70, 130)))
    return tmp_path


def test_deep_command_writes_tables_and_provenance(run_cli, cohort, tmp_path):
    (cohort / "sig.csv").write_text("feature,coefficient\n(Intercept),0.1\nf2,0.3\nf5,-0.2\n")
    code, out, err = run_cli("deep", cohort / "cases.csv", "--out", tmp_path / "a", "--weights", "random",
                             "--device", "cpu", "--gradcam", "P2", "--signature", cohort / "sig.csv")
    assert code == 0, err
    assert "RANDOM weights" in err and "single-slice tumour" in err
    slices = pd.read_csv(tmp_path / "a" / "deep_slices.csv")
    assert list(slices["patient"]) == ["P1", "P1", "P2"] and list(slices["slice"]) == [1, 2, 3]
    assert list(slices["channels"]) == ["0,1,2", "1,2,3", "3,3,3"]  # P2: a single-slice tumour
    patients = pd.read_parquet(tmp_path / "a" / "deep_patients.parquet")
    np.testing.assert_allclose(patients.loc[0, "f0"], slices["f0"].iloc[:2].mean(), rtol=1e-5)
    prov = json.loads((tmp_path / "a" / "deep_slices.provenance.json").read_text(encoding="utf-8"))
    assert prov["weights"]["random"] and len(prov["weights"]["weights_sha256"]) == 64
    assert prov["settings"]["device"] == "cpu" and prov["settings"]["precision"] == "float32 (channels-last)"
    assert prov["random_weights_warning"]
    assert (tmp_path / "a" / "gradcam" / "P2.png").is_file()
    # A second run into another folder computes again and gives byte-identical tables.
    code, _, err = run_cli("deep", cohort / "cases.csv", "--out", tmp_path / "b", "--weights", "random",
                           "--device", "cpu")
    assert code == 0, err
    for name in ("deep_slices.csv", "deep_patients.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_deep_command_from_a_study_file(run_cli, cohort, tmp_path):
    pytest.importorskip("eprstats.cohort.study")
    manifest = pd.read_csv(cohort / "cases.csv").rename(columns={"image": "PVP_image", "mask": "PVP_mask"})
    manifest["cohort"], manifest["outcome"] = "training", [0, 1]
    manifest.to_csv(cohort / "manifest.csv", index=False)
    (cohort / "study.yaml").write_text("manifest: manifest.csv\nphases: [PVP]\n")
    code, _, err = run_cli("deep", cohort / "study.yaml", "--out", tmp_path / "s", "--weights", "random",
                           "--device", "cpu")
    assert code == 0, err
    assert list(pd.read_csv(tmp_path / "s" / "deep_patients.csv")["patient"]) == ["P1", "P2"]


def test_deep_command_bad_input(run_cli, cohort, tmp_path, monkeypatch):
    (cohort / "bad.csv").write_text("id,img,mask\nP1,a,b\n")
    code, _, err = run_cli("deep", cohort / "bad.csv", "--out", tmp_path / "x", "--weights", "random")
    assert code == 2 and "id,image,mask" in err and "Traceback" not in err
    code, _, err = run_cli("deep", cohort / "cases.csv", "--out", tmp_path / "x", "--gradcam", "P1")
    assert code == 2 and "--signature" in err
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    monkeypatch.setenv("EPRSTATS_OFFLINE", "1")
    code, _, err = run_cli("deep", cohort / "cases.csv", "--out", tmp_path / "x", "--device", "cpu")
    assert code == 2 and "resnet34-b627a593.pth" in err and str(tmp_path / "th" / "hub" / "checkpoints") in err
