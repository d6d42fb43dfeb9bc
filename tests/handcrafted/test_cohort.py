"""extract_cohort: tidy tables equal to pyradiomics' own extractor, per-case cache, failures that do not stop
the others, Dask, and a run killed with SIGKILL that loses nothing finished."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import PartialFailure
from eprstats.handcrafted.params import load_settings
from eprstats.handcrafted.parallel import extract_cohort

# Small but real: 1 mm linear resampling, original image, shape + first order + GLCM (with MCC).
FAST_SETTINGS = """
imageType:
  Original: {}
featureClass:
  shape:
  firstorder:
  glcm:
setting:
  binWidth: 25
  resampledPixelSpacing: [1, 1, 1]
  interpolator: sitkLinear
"""


@pytest.fixture
def study(tmp_path, pyrad_data, brain2):
    import SimpleITK as sitk
    _, masks = brain2
    for roi in ("tumour", "ring"):
        sitk.WriteImage(masks[roi], str(tmp_path / f"brain2_{roi}.nrrd"))
    rows = [
        {"id": "B2", "roi": "tumour", "image": str(pyrad_data / "brain2_image.nrrd"), "mask": "brain2_tumour.nrrd"},
        {"id": "B2", "roi": "ring", "image": str(pyrad_data / "brain2_image.nrrd"), "mask": "brain2_ring.nrrd"},
        {"id": "BR1", "roi": "tumour", "image": str(pyrad_data / "breast1_image.nrrd"),
         "mask": str(pyrad_data / "breast1_label.nrrd")},
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "cases.csv", index=False)
    (tmp_path / "fast.yaml").write_text(FAST_SETTINGS)
    return tmp_path


def _pyradiomics(study, settings_path, image, mask):
    return {k: float(v) for k, v in load_settings(settings_path).extractor().execute(
        str(image), str(study / mask) if not Path(mask).is_absolute() else str(mask)).items()
        if not k.startswith("diagnostics_")}


def test_tables_equal_pyradiomics_and_rerun_uses_the_cache(study, pyrad_data):
    out = study / "out"

    def reference():  # the reference engine (pyradiomics' classes): pyradiomics' own values bit for bit
        return load_settings(study / "fast.yaml").with_engine("pyradiomics")
    res = extract_cohort(study / "cases.csv", out, settings=reference(), n_jobs=2, progress=False)
    assert sorted(res.computed) == ["B2", "BR1"] and res.cached == []
    tumour = pd.read_parquet(out / "features_tumour.parquet")
    assert list(tumour["id"]) == ["B2", "BR1"]
    pd.testing.assert_frame_equal(pd.read_csv(out / "features_tumour.csv"), tumour)  # CSV round-trips exactly
    # oracle: pyradiomics' own extractor, one ROI at a time, from the files
    expected = _pyradiomics(study, study / "fast.yaml", pyrad_data / "breast1_image.nrrd",
                            pyrad_data / "breast1_label.nrrd")
    row = tumour.set_index("id").loc["BR1"]
    assert list(row.index) == list(expected)
    assert all(row[k] == v for k, v in expected.items())
    ring = pd.read_parquet(out / "features_ring.parquet").set_index("id").loc["B2"]
    expected_ring = _pyradiomics(study, study / "fast.yaml", pyrad_data / "brain2_image.nrrd", "brain2_ring.nrrd")
    assert all(ring[k] == v for k, v in expected_ring.items())
    diag = pd.read_parquet(out / "diagnostics.parquet")
    assert set(diag["roi"]) == {"tumour", "ring"} and "diagnostics_Mask-original_Hash" in set(diag["item"])
    before = {p.name: p.stat().st_mtime_ns for p in (out / "cache").glob("*.json")}

    again = extract_cohort(study / "cases.csv", out, settings=reference(), n_jobs=2, progress=False)
    assert again.computed == [] and sorted(again.cached) == ["B2", "BR1"]
    assert {p.name: p.stat().st_mtime_ns for p in (out / "cache").glob("*.json")} == before
    pd.testing.assert_frame_equal(again.tables["tumour"], tumour)

    # a changed input file (or setting) invalidates only that case
    (study / "fast.yaml").write_text(FAST_SETTINGS)  # same content: still cached
    import SimpleITK as sitk
    m = sitk.ReadImage(str(study / "brain2_ring.nrrd"))
    sitk.WriteImage(sitk.BinaryDilate(m, [1, 1, 0]), str(study / "brain2_ring.nrrd"))
    third = extract_cohort(study / "cases.csv", out, settings=reference(), n_jobs=1, progress=False)
    assert third.computed == ["B2"] and third.cached == ["BR1"]


def test_a_failing_case_is_reported_and_the_others_are_kept(study, run_cli):
    rows = pd.read_csv(study / "cases.csv")
    bad = pd.DataFrame([{"id": "EMPTY", "roi": "tumour", "image": rows["image"][0], "mask": "empty.nrrd"}])
    import SimpleITK as sitk
    m = sitk.ReadImage(str(study / "brain2_tumour.nrrd")) * 0
    sitk.WriteImage(m, str(study / "empty.nrrd"))
    pd.concat([rows, bad]).to_csv(study / "with_bad.csv", index=False)
    with pytest.raises(PartialFailure) as err:
        extract_cohort(study / "with_bad.csv", study / "out", settings=study / "fast.yaml", n_jobs=1,
                       progress=False)
    assert "EMPTY" in err.value.message and "failures.csv" in err.value.message
    failures = pd.read_csv(study / "out" / "failures.csv")
    assert list(failures["id"]) == ["EMPTY"] and "No labels found" in failures["error"][0]
    assert list(pd.read_csv(study / "out" / "features_tumour.csv")["id"]) == ["B2", "BR1"]
    # the command line: exit code 4, one paragraph naming the patient, finished cases from the cache
    code, out, errout = run_cli("extract", study / "with_bad.csv", "--out", study / "out", "--jobs", "1",
                                "--params", study / "fast.yaml", "--no-progress")
    assert code == 4 and "EMPTY" in errout and "Traceback" not in errout


def test_dask_local_cluster_gives_the_same_tables(study):
    distributed = pytest.importorskip("dask.distributed")
    local = extract_cohort(study / "cases.csv", study / "local", settings=study / "fast.yaml", n_jobs=1,
                           progress=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = extract_cohort(study / "cases.csv", study / "dask", settings=study / "fast.yaml",
                                scheduler=cluster.scheduler_address, progress=False)
    assert sorted(remote.computed) == ["B2", "BR1"]
    for roi in ("tumour", "ring"):
        pd.testing.assert_frame_equal(remote.tables[roi], local.tables[roi])


@pytest.mark.slow
def test_sigkill_mid_run_loses_nothing_finished(study, pyrad_data):
    rows = pd.read_csv(study / "cases.csv")
    many = pd.concat([rows.assign(id=rows["id"] + f"_{i}") for i in range(8)])
    many.to_csv(study / "many.csv", index=False)
    out = study / "killed"
    code = ("from eprstats.handcrafted.parallel import extract_cohort; "
            f"extract_cohort({str(study / 'many.csv')!r}, {str(out)!r}, settings={str(study / 'fast.yaml')!r}, "
            "n_jobs=1, progress=False)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=str(study))
    deadline = time.time() + 120
    cache = out / "cache"
    while time.time() < deadline and len(list(cache.glob("[!.]*.json"))) < 3:
        time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = {p.name: (p.stat().st_mtime_ns, json.loads(p.read_text(encoding="utf-8"))["patient"])
                for p in cache.glob("[!.]*.json")}
    assert 3 <= len(finished) < 16  # killed in the middle: some cases done, not all
    assert not (out / "features_tumour.csv").exists()

    res = extract_cohort(study / "many.csv", out, settings=study / "fast.yaml", n_jobs=2, progress=False)
    assert set(res.cached) == {patient for _, patient in finished.values()}
    assert len(res.cached) + len(res.computed) == 16
    for name, (mtime, _) in finished.items():
        assert (cache / name).stat().st_mtime_ns == mtime  # not recomputed, not rewritten
    tumour = res.tables["tumour"].set_index("id")
    assert np.array_equal(tumour.loc["BR1_0"].to_numpy(), tumour.loc["BR1_7"].to_numpy())
