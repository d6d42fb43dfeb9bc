"""A worker process that extracts given masks loads neither pandas nor pyarrow (issue #25's memory bar).

joblib's loky workers and Dask's workers receive ``run_case`` / ``extract_case_remote`` pickled by reference
and import only its module, :mod:`eprstats.handcrafted.case`: whatever that module imports at its top is in
every worker's memory (pandas with pyarrow: about 75 MB of resident memory, which pyradiomics' batch command
does not have). The test does what such a worker does -- a fresh interpreter unpickles the task sent by this
process and runs it on real images -- and then looks at the interpreter's modules."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from eprstats.handcrafted.case import Case, RoiSpec, extract_case_remote, run_case
from eprstats.handcrafted.params import load_settings

FAST_SETTINGS = """
imageType:
  Original: {}
featureClass:
  shape:
  firstorder:
setting:
  binWidth: 25
"""

WORKER = r"""
import json, pickle, sys
task, args = pickle.loads(sys.stdin.buffer.read())
record = task(*args)
heavy = sorted(m for m in ("pandas", "pyarrow") if m in sys.modules)
print(json.dumps({"status": record["status"], "error": record.get("error"), "heavy": heavy,
                  "features": len(record.get("features", {}).get("tumour", {}))}))
"""


def _run_as_worker(task, *args) -> dict:
    done = subprocess.run([sys.executable, "-c", WORKER], input=pickle.dumps((task, args)),
                          capture_output=True, check=True)
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


@pytest.mark.parametrize("task", ["joblib", "dask"])
def test_worker_extracting_given_masks_loads_no_pandas(tmp_path, pyrad_data, task):
    (tmp_path / "fast.yaml").write_text(FAST_SETTINGS)
    settings = load_settings(tmp_path / "fast.yaml").with_engine("eprstats", "cpu")
    case = Case("BR1", [RoiSpec("tumour", str(pyrad_data / "breast1_image.nrrd"),
                                str(pyrad_data / "breast1_label.nrrd"))])
    if task == "joblib":
        got = _run_as_worker(run_case, case, settings, str(tmp_path / "cache"))
        assert got["status"] == "computed", got["error"]
        assert len(list((tmp_path / "cache").glob("BR1*.json"))) == 1  # the case was stored by the worker
    else:
        got = _run_as_worker(extract_case_remote, case, settings)
        assert got["status"] == "computed", got["error"]
        assert got["features"] > 20  # shape and first order came back in the record
    assert got["heavy"] == [], f"a worker extracting given masks imported {got['heavy']}"


IN_PROCESS = r"""
import json, sys
from eprstats.handcrafted import parallel
from eprstats.handcrafted.params import load_settings
cases = parallel.cases_from_rows(sys.argv[1])
settings = load_settings(sys.argv[2]).with_engine("eprstats", "cpu")
records = list(parallel._run_joblib(cases, settings, sys.argv[3], 1, None))
print(json.dumps({"status": [r["status"] for r in records], "error": [r.get("error") for r in records],
                  "heavy": sorted(m for m in ("pandas", "pyarrow") if m in sys.modules)}))
"""


def test_jobs_1_extracts_a_plain_csv_without_pandas(tmp_path, pyrad_data):
    # with --jobs 1 the command's own process extracts (parallel._run_joblib): pandas and pyarrow load only
    # afterwards, for the tables, so that they are not part of the extraction's peak memory
    (tmp_path / "fast.yaml").write_text(FAST_SETTINGS)
    (tmp_path / "cases.csv").write_text(f"id,roi,image,mask\nBR1,tumour,{pyrad_data / 'breast1_image.nrrd'},"
                                        f"{pyrad_data / 'breast1_label.nrrd'}\n")
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(tmp_path / "cases.csv"), str(tmp_path / "fast.yaml"),
                           str(tmp_path / "cache")], capture_output=True, text=True, check=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["status"] == ["computed"], got["error"]
    assert got["heavy"] == [], f"the in-process extraction imported {got['heavy']}"
