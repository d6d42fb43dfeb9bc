"""#13: options are checked against the data before any work, at the command line and in the Python API.

Each case is an option that names a column, value or size that does not fit the table; it must end with exit 2
and a message naming the option and the fix, never with exit 0 and a blank or meaningless number."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.robustness.corpus import assert_clean_failure, error_paragraph, patients


def scored(seed=5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = patients(seed=seed)
    data["score_a"] = data["EPR"] + rng.normal(size=len(data))
    data["huge"] = np.where(np.arange(len(data)) % 2, 1.7e308, -1.7e308)
    return data


CAL = ["--outcome", "EPR", "--predictors", "score_a", "--cohort-col", "cohort", "--train-cohort", "training",
       "--B", "20", "--no-figures"]
T1 = ["--outcome", "EPR", "--cohort-col", "cohort"]

CASES = {
    # 30 external patients: 16 groups would leave groups of one patient (the old output: blank HL, df 198)
    "calibration: --groups larger than a cohort": (["calibration", *CAL, "--groups", "200"],
                                                   ["200 Hosmer-Lemeshow groups", "30 patients", "--groups"]),
    "calibration: --groups just too large": (["calibration", *CAL, "--groups", "16"], ["at most 15"]),
    "table1: --type for a column that does not exist": (["table1", *T1, "--variables", "AFP", "--type",
                                                         "ALT=categorical"], ["ALT", "--type"]),
    "table1: the outcome listed as a variable": (["table1", *T1, "--variables", "AFP,EPR"], ["EPR", "outcome"]),
    "table1: the cohort column listed as a variable": (["table1", *T1, "--variables", "AFP,cohort"],
                                                       ["cohort"]),
    # numerical safety: values near the largest double overflow the SD, which switched the outlier rule off
    "select: feature values that overflow the SD": (["select", "--outcome", "EPR", "--id", "id", "--cohort-col",
                                                     "cohort", "--train-cohort", "training", "--seed", "7",
                                                     "--no-figures", "--features", "score_a,huge"],
                                                    ["'huge'", "not finite", "--exclude"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_option_that_does_not_fit_the_data(name, tmp_path, run_cli, tried, r):
    argv, needles = CASES[name]
    path = tmp_path / "table.csv"
    scored().to_csv(path, index=False)
    out = tmp_path / "out"
    code, _, err = run_cli(argv[0], path, *argv[1:], "--out", out)
    tried(f"options: {name}")
    assert_clean_failure(code, error_paragraph(err), out, needles)


def test_groups_that_fit_still_work(tmp_path, run_cli, r):
    """15 groups fit a 30-patient cohort (2 patients a group): the test runs and its df is g - 2 = 13."""
    path = tmp_path / "table.csv"
    scored().to_csv(path, index=False)
    code, _, err = run_cli("calibration", path, *CAL, "--groups", "15", "--out", tmp_path / "out")
    assert code == 0, err
    stats = pd.read_csv(tmp_path / "out" / "calibration_numeric.csv")
    assert stats["hl_df"].tolist() == [13, 13]
