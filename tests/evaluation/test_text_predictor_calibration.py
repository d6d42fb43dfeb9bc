"""#21/#23: ``calibration`` takes a text predictor as an rms::lrm factor, as ``fit`` does (Table 3's model can be
calibrated as specified). Oracle: rms::lrm and rms::val.prob called directly in R on the same CSV, the text
column read by R's read.csv as a factor."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError


def _table(seed=3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_train, n_ext = 120, 60
    age = rng.normal(55, 10, n_train + n_ext).round(1)
    stage = np.array(["A", "B", "C"])[rng.integers(0, 3, n_train + n_ext)]
    risk = 1 / (1 + np.exp(-(age - 55) / 10 - 1.2 * (stage == "C") + 0.5 * (stage == "A")))
    return pd.DataFrame({"cohort": ["training"] * n_train + ["external"] * n_ext, "age": age, "BCLC": stage,
                         "EPR": (rng.random(n_train + n_ext) < risk).astype(int)})


def test_text_predictor_is_an_lrm_factor_as_in_r(tmp_path, r):
    import eprstats as ep
    ro = pytest.importorskip("rpy2.robjects")
    data = _table()
    path = tmp_path / "patients.csv"
    data.to_csv(path, index=False)
    res = ep.calibrate(data, "EPR", {"m": ["age", "BCLC"]}, cohort_col="cohort", train_cohort="training", boot_n=20,
                       seed=1)
    expected = ro.r(f"""local({{
        suppressMessages(library(rms))
        d <- read.csv("{path}", stringsAsFactors = TRUE)
        tr <- d[d$cohort == "training", ]; ex <- d[d$cohort == "external", ]
        fit <- lrm(EPR ~ age + BCLC, data = tr, x = TRUE, y = TRUE)
        s <- val.prob(predict(fit, newdata = ex, type = "fitted"), ex$EPR, pl = FALSE)
        c(s[["Intercept"]], s[["Slope"]], s[["Brier"]], s[["C (ROC)"]])}})""")
    got = res.statistics.set_index("cohort").loc["external", ["intercept", "slope", "brier", "c"]]
    assert np.allclose(got.to_numpy(dtype=float), np.asarray(expected), rtol=1e-9, atol=1e-12)


def test_a_level_missing_from_training_is_named(r):
    import eprstats as ep
    data = _table()
    data.loc[(data["cohort"] == "external").to_numpy().nonzero()[0][:2], "BCLC"] = "D"
    with pytest.raises(InputError, match=r"'BCLC' has level\(s\) \['D'\] in cohort 'external'"):
        ep.calibrate(data, "EPR", {"m": ["age", "BCLC"]}, cohort_col="cohort", train_cohort="training", boot_n=20)
