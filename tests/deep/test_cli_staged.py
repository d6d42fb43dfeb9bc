"""#24: ``eprstats deep`` writes all of its files or none. A patient that fails stops the run (exit 2, naming
the patient and the file) with nothing written into --out but the cache, which keeps the patients that
finished: the rerun computes only the failed one, and a previous complete result stays byte for byte."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def cohort(tmp_path, nifti_writer, torch):
    rng = np.random.default_rng(8)
    rows = []
    for pid in ("P1", "P2"):
        image = rng.normal(300, 60, size=(3, 40, 40)).astype(np.float32)
        mask = np.zeros(image.shape, np.uint8)
        mask[1, 10:30, 12:28] = 1
        nifti_writer(tmp_path / f"{pid}.nii.gz", image)
        nifti_writer(tmp_path / f"{pid}_mask.nii.gz", mask)
        rows.append({"id": pid, "image": f"{pid}.nii.gz", "mask": f"{pid}_mask.nii.gz"})
    pd.DataFrame(rows).to_csv(tmp_path / "cases.csv", index=False)
    return tmp_path


def _files(folder) -> dict:
    """Every file under ``folder`` but the cache, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(folder).parts}


def test_a_failed_patient_leaves_out_as_it_was_and_the_finished_ones_cached(run_cli, cohort, tmp_path):
    good = (cohort / "P2.nii.gz").read_bytes()
    (cohort / "P2.nii.gz").write_bytes(b"not an image")  # the second patient's image cannot be read
    out = tmp_path / "out"
    args = ("deep", cohort / "cases.csv", "--out", out, "--weights", "random", "--device", "cpu", "--threads", "1")
    code, stdout, err = run_cli(*args)
    assert code == 2 and "Traceback" not in stdout + err, stdout + err
    assert "'P2'" in err and "P2.nii.gz" in err and "1 of 2 patient(s)" in err and "rerun" in err
    # nothing but the cache: P1's table, finished before P2 failed
    assert [p.name for p in out.iterdir()] == ["cache"] and _files(out) == {}
    cached = sorted((out / "cache").glob("P1.*.parquet"))
    assert len(cached) == 1 and not list((out / "cache").glob("P2.*"))
    stamp = cached[0].stat().st_mtime_ns

    (cohort / "P2.nii.gz").write_bytes(good)  # fixed: the rerun computes P2 only
    code, _, err = run_cli(*args)
    assert code == 0, err
    assert cached[0].stat().st_mtime_ns == stamp
    assert list(pd.read_csv(out / "deep_patients.csv")["patient"]) == ["P1", "P2"]
    complete = _files(out)
    assert {"deep_slices.csv", "deep_patients.parquet", "deep_weights.json", "deep_slices.provenance.json",
            ".eprstats-outputs/deep.json"} <= set(complete)

    (cohort / "P2.nii.gz").write_bytes(b"broken again")  # a failed rerun leaves the complete result as it was
    code, _, err = run_cli(*args)
    assert code == 2 and "P2.nii.gz" in err
    assert _files(out) == complete
