"""The cohort's tables are written without pandas (issue #25: 0.7 s and 50 MB of the command) and are the files
pandas writes, byte for byte: every file of :func:`assemble_tables` against pandas' own ``to_csv`` and
``to_parquet`` (:func:`eprstats.fileio.write_csv`, :func:`~eprstats.fileio.write_parquet`) of the frames built
from the same cache entries, with ids and texts that need quoting, names outside ASCII, NaN, infinities, -0.0,
a feature missing for one patient and one present for one only; a table of another layout (an integer value)
goes through pandas."""
from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from eprstats.fileio import write_csv, write_parquet
from eprstats.handcrafted.cache import CaseCache, case_key
from eprstats.handcrafted.case import Case, RoiSpec
from eprstats.handcrafted.params import Settings
from eprstats.handcrafted.tables import assemble_tables

PATIENTS = ["P,1", 'Q"2', "größe 3", "R\n4"]


def _features(k: int, roi: str, integer: bool) -> dict:
    rng = np.random.default_rng(k)
    values = [float(v) for v in rng.normal(0, 10.0 ** (3 * k - 4), 6)]
    feats = {"original_shape_Elongation": values[0], "log-sigma-1-0-mm-3D_glcm_Idmn": values[1],
             "wavelet-LLH_firstorder_Mean": [np.nan, np.inf, -0.0, -np.inf][k], "µ, \"x\"": values[2],
             "tiny": 5e-324 * (k + 1), "big": 1e16 * values[3], "round": [0.1, 1.0, 100.0, 1e22][k]}
    if roi == "ring" and k == 1:
        del feats["tiny"]  # missing for one patient: NaN in pandas' frame
    if roi == "ring" and k == 3:
        feats["late"] = values[4]  # present for the last patient only: the last column
    if integer and k == 2:
        feats["round"] = 3  # an integer value: pandas' layout, not a float table
    return feats


def _cohort(tmp_path, integer: bool):
    settings = Settings()
    cache = CaseCache(tmp_path / "cache")
    cases, rows, diag = [], {}, []
    for k, patient in enumerate(PATIENTS):
        image = tmp_path / f"image{k}.bin"
        image.write_bytes(bytes([k]))
        case = Case(patient, [RoiSpec(roi, str(image), str(image)) for roi in ("tumour", "ring")])
        cases.append(case)
        if k == 2:
            continue  # failed
        feats = {roi: _features(k, roi, integer) for roi in ("tumour", "ring")}
        diags = {roi: {"diagnostics_Versions_PyRadiomics": "v3.1", "diagnostics_Mask-original_BoundingBox":
                       f"({k}, 2, 3)", "diagnostics_note": 'a "quoted", multi\nline text ü'} for roi in feats}
        cache.store(patient, case_key(case.files(), settings.hash, case.key_extra()), feats, diags)
        for roi in feats:
            rows.setdefault(roi, []).append({"id": patient, **feats[roi]})
            diag += [{"id": patient, "roi": roi, "item": i, "value": v} for i, v in diags[roi].items()]
    records = [{"patient": p, "status": "failed" if k == 2 else "computed", "error": "bad mask"}
               for k, p in enumerate(PATIENTS)]
    return cases, settings, records, rows, diag


@pytest.mark.parametrize("integer", [False, True])
def test_tables_are_the_files_pandas_writes(tmp_path, integer):
    cases, settings, records, rows, diag = _cohort(tmp_path, integer)
    result = assemble_tables(cases, settings, tmp_path / "cache", tmp_path / "out", records)
    expected = {f"features_{roi}": pd.DataFrame(r) for roi, r in rows.items()}
    expected["diagnostics"] = pd.DataFrame(diag, columns=["id", "roi", "item", "value"])
    for stem, frame in expected.items():
        write_csv(tmp_path / "pandas" / f"{stem}.csv", frame)
        write_parquet(tmp_path / "pandas" / f"{stem}.parquet", frame)
        for ext in ("csv", "parquet"):
            assert (tmp_path / "out" / f"{stem}.{ext}").read_bytes() == \
                (tmp_path / "pandas" / f"{stem}.{ext}").read_bytes(), f"{stem}.{ext}"
    write_csv(tmp_path / "pandas" / "failures.csv", pd.DataFrame([{"id": PATIENTS[2], "error": "bad mask"}]))
    assert (tmp_path / "out" / "failures.csv").read_bytes() == (tmp_path / "pandas" / "failures.csv").read_bytes()
    assert sorted(result.tables) == ["ring", "tumour"]
    for roi in rows:
        pd.testing.assert_frame_equal(result.tables[roi], expected[f"features_{roi}"])
    pd.testing.assert_frame_equal(result.diagnostics, expected["diagnostics"])
    pd.testing.assert_frame_equal(result.failures, pd.DataFrame([{"id": PATIENTS[2], "error": "bad mask"}]))
    assert result.failed == [{"id": PATIENTS[2], "error": "bad mask"}]
    assert result.computed == [PATIENTS[0], PATIENTS[1], PATIENTS[3]] and result.cached == []


WRITE_ONLY = r"""
import pickle, sys
from pathlib import Path
from eprstats.handcrafted.tables import assemble_tables
cases, settings, records, folder = pickle.loads(sys.stdin.buffer.read())
result = assemble_tables(cases, settings, folder / "cache", folder / "out", records)
print(sorted(result.tables), "pandas" in sys.modules)
"""


def test_writing_the_tables_loads_no_pandas(tmp_path):
    cases, settings, records, _, _ = _cohort(tmp_path, False)
    done = subprocess.run([sys.executable, "-c", WRITE_ONLY], input=pickle.dumps((cases, settings, records, tmp_path)),
                          capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().split() == ["['ring',", "'tumour']", "False"]
