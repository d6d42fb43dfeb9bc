"""ICC per feature (pingouin), against Shrout & Fleiss (1979) published values and an ANOVA worked here."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.errors import InputError
from eprstats.selection.icc import icc_table, reproducible_features

# Shrout & Fleiss (1979) Psychol Bull 86:420, Table 2: 6 targets rated by 4 judges.
SF = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)
# Their Table 4 (published, two decimals).
PUBLISHED = {"ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71, "ICC(1,k)": 0.44, "ICC(2,k)": 0.62,
             "ICC(3,k)": 0.91}


def _readers(matrix, extra=None, order=None):
    ids = [f"T{i + 1}" for i in range(matrix.shape[0])]
    out = {}
    for j in range(matrix.shape[1]):
        frame = pd.DataFrame({"id": ids, "sf": matrix[:, j]})
        for name, col in (extra or {}).items():
            frame[name] = col[:, j]
        out[f"J{j + 1}"] = frame if order is None else frame.iloc[order].reset_index(drop=True)
    return out


def _anova(x):
    n, k = x.shape
    g = x.mean()
    ssr = k * ((x.mean(1) - g) ** 2).sum()
    ssc = n * ((x.mean(0) - g) ** 2).sum()
    sst = ((x - g) ** 2).sum()
    sse = sst - ssr - ssc
    msr, msc, mse = ssr / (n - 1), ssc / (k - 1), sse / ((n - 1) * (k - 1))
    msw = (sst - ssr) / (n * (k - 1))
    return n, k, msr, msc, mse, msw


def test_shrout_fleiss_published_values():
    readers = _readers(SF)
    for icc_type, want in PUBLISHED.items():
        got = icc_table(readers, icc_type=icc_type)
        assert got["icc"].iloc[0] == pytest.approx(want, abs=0.005), icc_type


def test_shrout_fleiss_against_anova_formulas():
    n, k, msr, msc, mse, msw = _anova(SF)
    want = {"ICC(1,1)": (msr - msw) / (msr + (k - 1) * msw),
            "ICC(A,1)": (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n),
            "ICC(C,1)": (msr - mse) / (msr + (k - 1) * mse),
            "ICC(1,k)": (msr - msw) / msr,
            "ICC(A,k)": (msr - mse) / (msr + (msc - mse) / n),
            "ICC(C,k)": (msr - mse) / msr}
    readers = _readers(SF)
    for icc_type, value in want.items():
        got = icc_table(readers, icc_type=icc_type).iloc[0]
        assert got["icc"] == pytest.approx(value, rel=1e-10), icc_type
        assert got["icc_type"] == icc_type
    # F-based 95% CI of ICC(1,1) and ICC(C,1) (Shrout & Fleiss eq. 6 and 13); pingouin rounds to 2 dp.
    for icc_type, f_obs, df2, ms_err in (("ICC(1,1)", msr / msw, n * (k - 1), msw),
                                         ("ICC(C,1)", msr / mse, (n - 1) * (k - 1), mse)):
        fl = f_obs / stats.f.ppf(0.975, n - 1, df2)
        fu = f_obs * stats.f.ppf(0.975, df2, n - 1)
        got = icc_table(readers, icc_type=icc_type).iloc[0]
        assert got["ci_low"] == pytest.approx((fl - 1) / (fl + k - 1), abs=0.005)
        assert got["ci_high"] == pytest.approx((fu - 1) / (fu + k - 1), abs=0.005)
        assert got["F"] == pytest.approx(f_obs, rel=1e-10)


def test_default_is_two_way_random_absolute_single_and_aliases():
    readers = _readers(SF)
    default = icc_table(readers)
    assert default["icc_type"].iloc[0] == "ICC(A,1)"
    for alias in ("ICC(2,1)", "ICC2", "icc(a,1)"):
        assert icc_table(readers, icc_type=alias)["icc"].iloc[0] == default["icc"].iloc[0]
    with pytest.raises(InputError, match="unknown ICC type"):
        icc_table(readers, icc_type="ICC(4,1)")


def test_rows_matched_by_id_not_position():
    shuffled = _readers(SF, order=[3, 0, 5, 1, 4, 2])
    readers = _readers(SF)
    shuffled["J1"] = readers["J1"]  # one reader in the original order, the others shuffled
    assert icc_table(shuffled)["icc"].iloc[0] == pytest.approx(icc_table(readers)["icc"].iloc[0], rel=1e-12)


def test_constant_and_missing_features_get_nan_with_a_note():
    const = np.full_like(SF, 3.0)
    miss = SF.copy()
    miss[2, 1] = np.nan
    out = icc_table(_readers(SF, {"const": const, "miss": miss})).set_index("feature")
    assert np.isnan(out.loc["const", "icc"]) and "constant" in out.loc["const", "note"]
    assert np.isnan(out.loc["miss", "icc"]) and "T3" in out.loc["miss", "note"]
    assert out.loc["sf", "note"] == ""


def test_mismatched_ids_and_columns():
    readers = _readers(SF)
    readers["J2"] = readers["J2"].iloc[:5]
    with pytest.raises(InputError, match=r"ids differ between readings 'J1' and 'J2': only in 'J1': T6"):
        icc_table(readers)
    readers = _readers(SF)
    readers["J3"] = readers["J3"].rename(columns={"sf": "other"})
    with pytest.raises(InputError, match="feature columns differ"):
        icc_table(readers)
    with pytest.raises(InputError, match="id column 'pid' is missing"):
        icc_table(_readers(SF), id_col="pid")
    with pytest.raises(InputError, match="at least two"):
        icc_table({"J1": _readers(SF)["J1"]})


def test_reproducible_features_needs_both_above_threshold():
    inter = pd.DataFrame({"feature": ["a", "b", "c", "d", "e"], "icc": [0.95, 0.81, 0.80, 0.99, np.nan]})
    intra = pd.DataFrame({"feature": ["a", "b", "c", "d", "e"], "icc": [0.90, 0.79, 0.95, np.nan, 0.99]})
    # a: both > 0.8; b: intra 0.79; c: inter exactly 0.80 (not > 0.80); d, e: NaN never passes.
    assert reproducible_features(inter, intra) == ["a"]
    assert reproducible_features(inter, intra, threshold=0.7) == ["a", "b", "c"]
