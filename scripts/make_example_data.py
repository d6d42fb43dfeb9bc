"""Writes eprstats/data/example/epr_cohort.csv, the small example cohort that the API's docstring examples run
on (``ep.datasets.read_dataset("epr_cohort")``); tests/test_doctests.py checks that this script still writes
the shipped file byte for byte.

Synthetic patients shaped like the paper's (Figure 1: training 68 non-EPR / 46 EPR, external 23 / 20):

* the 15 clinical variables of Table 1, whose counts per level, cohort and outcome group EQUAL the paper's
  printed counts (``patients_from_counts`` with seed 7, each variable assigned independently, so that the
  published Table 1 p-values are reproduced: AFP's training p is 0.031);
* two signature-like scores (``PVP``, ``PVP_DLR``: normal with a mean shift of 0.9 and 1.3 SD in the events,
  the docs/api.md walk-through's) and ten feature-like columns ``f00``..``f09`` (the first three carry the
  outcome, shifts 1.0, 0.8, 0.6 SD), drawn with numpy's default_rng(2024), rounded to 4 decimals;
* two predicted-probability columns from logistic models fitted on the training cohort by ``rms::lrm``
  (``ep.fit_model``), rounded to 6 decimals: ``Clinical`` (AFP, Tumor size) and ``PVP_DLRRN`` (AFP, PVP,
  PVP_DLR).

Usage: python scripts/make_example_data.py [OUT.csv]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import eprstats as ep
from eprstats.characteristics.published import patients_from_counts
from eprstats.study.demo import published_folder

OUT = Path(__file__).resolve().parents[1] / "eprstats" / "data" / "example" / "epr_cohort.csv"


def epr_cohort() -> pd.DataFrame:
    counts = pd.read_csv(published_folder() / "published_table1.csv")
    data = patients_from_counts(counts, outcome="EPR", cohort_col="cohort", seed=7)
    cohort_ids = {"training": "T", "external": "E"}
    data["id"] = [f"{cohort_ids[c]}{i:03d}" for c, i in zip(data["cohort"], data.groupby("cohort").cumcount() + 1)]
    rng = np.random.default_rng(2024)
    y = data["EPR"].to_numpy()
    data["PVP"] = np.round(0.9 * y + rng.normal(size=len(y)), 4)
    data["PVP_DLR"] = np.round(1.3 * y + rng.normal(size=len(y)), 4)
    features = rng.normal(size=(len(y), 10)) + np.outer(y, [1.0, 0.8, 0.6] + [0.0] * 7)
    for j in range(10):
        data[f"f{j:02d}"] = np.round(features[:, j], 4)
    for name, predictors in {"Clinical": ["AFP", "Tumor size"], "PVP_DLRRN": ["AFP", "PVP", "PVP_DLR"]}.items():
        fit = ep.fit_model(data, "EPR", predictors, name=name, cohort_col="cohort", train_cohort="training")
        data[name] = np.round(fit.scores[f"{name}_prob"].to_numpy(), 6)
    return data


def main(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    epr_cohort().to_csv(out, index=False, lineterminator="\n")
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
