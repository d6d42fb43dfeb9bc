"""The deep features' per-patient cache keeps each patient's warnings and replays them: a rerun or a resumed
run issues the same warnings, same order, as the run that computed the patients (issue #13)."""
from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd

from eprstats.deep.crops import CropWarning
from eprstats.deep.run import extract_cohort_deep


def _cases(tmp_path, nifti_writer):
    """P1 and P3: a tumour on one slice (its inputs are padded: a CropWarning); P2: on two inner slices."""
    rng = np.random.default_rng(5)
    rows = []
    for patient, slices in (("P1", [2]), ("P2", [1, 2]), ("P3", [1])):
        image = rng.gamma(4.0, 100.0, size=(4, 40, 40)).astype(np.float32)
        mask = np.zeros(image.shape, np.uint8)
        mask[slices, 10:20, 12:24] = 1
        rows.append({"id": patient, "image": str(nifti_writer(tmp_path / f"{patient}.nii.gz", image)),
                     "mask": str(nifti_writer(tmp_path / f"{patient}_m.nii.gz", mask))})
    return pd.DataFrame(rows)


def _run(cases, model, cache, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        slices, failures = extract_cohort_deep(cases, model, device="cpu", cache_dir=cache, weights_sha256="x",
                                               **kw)
    assert failures.empty
    return slices, [(w.category, str(w.message)) for w in caught]


def test_cached_patients_replay_their_warnings_in_order(model, tmp_path, nifti_writer):
    cases = _cases(tmp_path, nifti_writer)
    cache = tmp_path / "cache"
    slices, shown = _run(cases, model, cache)
    crop = [m for c, m in shown if c is CropWarning]
    assert [m.split(":")[0] for m in crop] == ["patient 'P1'", "patient 'P3'"]
    assert all("padded" in m for m in crop)

    again, replayed = _run(cases, model, cache)
    pd.testing.assert_frame_equal(again, slices)
    assert replayed == shown

    # resumed: P1's table lost (killed before it was written), P2 and P3 from the cache
    next(cache.glob("P1.*.parquet")).unlink()
    resumed, mixed = _run(cases, model, cache)
    pd.testing.assert_frame_equal(resumed, slices)
    assert mixed == shown

    # warn=False leaves the crop warnings out, cached or not
    _, quiet = _run(cases, model, cache, warn=False)
    assert [c for c, _ in quiet if c is CropWarning] == []


def test_cached_table_without_its_warnings_is_recomputed(model, tmp_path, nifti_writer, monkeypatch):
    cases = _cases(tmp_path, nifti_writer)
    cache = tmp_path / "cache"
    _, shown = _run(cases, model, cache)
    kept = next(cache.glob("P3.*.warnings.json"))
    assert [k["category"] for k in json.loads(kept.read_text())] == ["CropWarning"]
    kept.unlink()  # as written by a version that did not keep warnings
    import eprstats.deep.run as ex  # the module whose extract_cohort_deep calls _run
    real_run = ex._run
    asked = []
    monkeypatch.setattr(ex, "_run", lambda cases, *a, **k: asked.extend(c[0] for c in cases) or real_run(
        cases, *a, **k))
    _, again = _run(cases, model, cache)
    assert asked == ["P3"] and again == shown
