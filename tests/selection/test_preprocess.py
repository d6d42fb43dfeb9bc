"""Preprocessing (training-fitted outlier replacement and z-scoring), against numbers worked by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.selection.preprocess import fit_preprocessor

# x = 1, 2, ..., 11, 1000 (n = 12).
#   mean = (66 + 1000) / 12 = 88.8333;  sum x^2 = 506 + 1e6 = 1,000,506;  SS = 1,000,506 - 1066^2/12
#   = 905,809.667;  SD = sqrt(SS / 11) = 286.9605;  mean + 3 SD = 949.7149 < 1000 -> 1000 is an outlier;
#   mean - 3 SD = -772.048 (nothing below).  Median of the raw values = (6 + 7) / 2 = 6.5.
# After replacing 1000 by 6.5: mean = 72.5 / 12 = 6.041667;  SS = 548.25 - 72.5^2/12 = 110.229167;
#   SD = sqrt(110.229167 / 11) = 3.165570.
HAND = {"upper": 949.7148583, "lower": -772.0481916, "median": 6.5, "mean": 6.0416667, "sd": 3.1655700}


@pytest.fixture
def train():
    return pd.DataFrame({"x": np.r_[np.arange(1, 12), 1000.0], "const": 7.0, "empty": np.nan,
                         "w": np.arange(12.0) ** 2})


def test_outlier_rule_and_zscore_by_hand(train):
    pre = fit_preprocessor(train, ["x", "const", "empty", "w"])
    assert pre.features == ["x", "w"]
    for key, want in HAND.items():
        assert getattr(pre, key)["x"] == pytest.approx(want, rel=1e-7)
    assert int(pre.outliers_train["x"]) == 1
    z = pre.transform(train)
    assert list(z.columns) == ["x", "w"]
    assert z["x"].iloc[-1] == pytest.approx((6.5 - 6.0416667) / 3.1655700, rel=1e-6)
    assert z["x"].iloc[0] == pytest.approx((1 - 6.0416667) / 3.1655700, rel=1e-6)
    # z-scoring after replacement: training z-scores have mean 0 and SD 1 exactly.
    assert z["x"].mean() == pytest.approx(0, abs=1e-12)
    assert z["x"].std(ddof=1) == pytest.approx(1, rel=1e-12)


def test_dropped_features_reported_with_reason(train):
    pre = fit_preprocessor(train, ["x", "const", "empty", "w"])
    assert pre.dropped.to_dict(orient="list") == {
        "feature": ["const", "empty"], "reason": ["constant in training", "all values missing"]}


def test_becomes_constant_after_replacement():
    # eleven 0s and one 100: mean 8.33, SD 28.87, bound 94.9 < 100 -> replaced by the median 0 -> constant.
    t = pd.DataFrame({"spike": [0.0] * 11 + [100.0], "x": np.arange(12.0)})
    pre = fit_preprocessor(t, ["spike", "x"])
    assert pre.features == ["x"]
    assert pre.dropped["reason"].iloc[0].startswith("constant in training after outlier replacement")


def test_other_cohorts_use_training_parameters_unchanged(train):
    pre = fit_preprocessor(train, ["x", "w"])
    new = pd.DataFrame({"x": [2000.0, 6.0416667 + 3.1655700, -5.0], "w": [1.0, 2.0, 3.0]})
    z = pre.transform(new)
    # 2000 > 949.71 -> training median 6.5; 9.2072 -> exactly +1 SD; -5 is inside the bounds (> -772.05).
    np.testing.assert_allclose(z["x"], [(6.5 - 6.0416667) / 3.16557, 1.0, (-5 - 6.0416667) / 3.16557], rtol=1e-5)


def test_rule_none_and_multiplier(train):
    pre = fit_preprocessor(train, ["x"], outlier_rule="none")
    assert pre.mean["x"] == pytest.approx(88.833333, rel=1e-7)
    pre2 = fit_preprocessor(train, ["x"], outlier_rule="4sd")  # 88.83 + 4 * 286.96 = 1236.7 > 1000: kept
    assert int(pre2.outliers_train["x"]) == 0
    with pytest.raises(InputError, match="unknown outlier rule"):
        fit_preprocessor(train, ["x"], outlier_rule="iqr")


def test_nan_and_inf_name_columns_and_counts(train):
    bad = train.copy()
    bad.loc[[0, 3], "w"] = np.nan
    with pytest.raises(InputError, match=r"missing values \(NaN\) in 1 column\(s\): w \(2 values\)"):
        fit_preprocessor(bad, ["x", "w"])
    filled = fit_preprocessor(bad, ["x", "w"], missing="median")
    assert filled.transform(bad)["w"].notna().all()
    bad.loc[5, "x"] = np.inf
    with pytest.raises(InputError, match=r"infinite values in 1 column\(s\): x \(1 value\)"):
        fit_preprocessor(bad, ["x"])
    pre = fit_preprocessor(train, ["x", "w"])
    with pytest.raises(InputError) as exc:
        pre.transform(bad.assign(w=1.0), cohort="external")
    assert exc.value.cohort == "external"


def test_missing_and_non_numeric_columns(train):
    with pytest.raises(InputError, match="not found"):
        fit_preprocessor(train, ["x", "nope"])
    with pytest.raises(InputError, match="not numeric"):
        fit_preprocessor(train.assign(s="a"), ["x", "s"])
    with pytest.raises(InputError, match="no feature is left"):
        fit_preprocessor(train, ["const", "empty"])
