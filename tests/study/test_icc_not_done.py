"""Without second-reader or repeat masks the study's ICC stage computes no ICC: it keeps every feature and says
"not done" (stage summary, the runner's line, the report's methods paragraph and its checklist), so that nobody
reads "ICC > 0.8" into a run that measured no reproducibility."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd

from eprstats.cohort.settings import parse_settings
from eprstats.study import stages
from eprstats.study.checklist import checklist
from eprstats.study.report import _icc_words


def _features(folder, roi: str, ids, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(rng.normal(size=(len(ids), 4)), columns=[f"f{j}" for j in range(4)])
    table.insert(0, "id", ids)
    table.to_parquet(folder / f"features_{roi}.parquet", index=False)
    return table


def _context(out, rois):
    settings = parse_settings({"manifest": "m.csv"})
    return SimpleNamespace(out=out, settings=settings, synthetic=False, client=None,
                           handcrafted_rois=lambda: sorted(rois))


def _stage(tmp_path, with_readings: bool):
    out = tmp_path / ("partial" if with_readings else "none")
    folder = out / "features" / "handcrafted"
    folder.mkdir(parents=True)
    (out / "tables").mkdir()
    ids = [f"P{i:02d}" for i in range(12)]
    base = _features(folder, "PVP_tumour", ids, 1)
    _features(folder, "AP_tumour", ids, 2)
    if with_readings:  # a second reading of PVP_tumour: the first plus a little noise, so the ICC is high
        for reader, seed in (("reader2", 3), ("repeat", 4)):
            noisy = base.copy()
            noisy.iloc[:, 1:] += np.random.default_rng(seed).normal(scale=0.05, size=(12, 4))
            noisy.to_parquet(folder / f"features_PVP_tumour@{reader}.parquet", index=False)
    summary = stages.icc(_context(out, ["PVP_tumour", "AP_tumour"]))
    return out, summary


def test_no_second_reader_masks_icc_not_done(tmp_path):
    out, summary = _stage(tmp_path, with_readings=False)
    assert "AP_tumour, PVP_tumour" in summary["not_done"]
    assert "PVP_mask_reader2" in summary["not_done"] and "every feature" in summary["not_done"]
    kept = json.loads((out / "features" / "reproducible.json").read_text())
    assert kept == {"AP_tumour": ["f0", "f1", "f2", "f3"], "PVP_tumour": ["f0", "f1", "f2", "f3"]}
    item = checklist(out, settings={"icc_threshold": 0.8}, versions={}).set_index("item").loc["Feature "
                                                                                                "reproducibility"]
    assert item["status"] == "not done" and "no second-reader" in item["answer"]
    words = _icc_words(SimpleNamespace(icc_threshold=0.8), summary)
    assert "was not assessed" in words and "0.8" not in words


def test_one_roi_with_readings_is_partial(tmp_path):
    out, summary = _stage(tmp_path, with_readings=True)
    assert summary["not_done"].startswith("no second-reader or repeat masks for AP_tumour ")
    item = checklist(out, settings={"icc_threshold": 0.8}, versions={}).set_index("item").loc["Feature "
                                                                                                "reproducibility"]
    assert item["status"] == "partial" and "not done for AP_tumour" in item["answer"]
    assert "not assessed for AP_tumour" in _icc_words(SimpleNamespace(icc_threshold=0.8), summary)
