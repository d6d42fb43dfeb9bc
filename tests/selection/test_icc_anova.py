"""The vectorised ICC (all features from one two-way ANOVA) against its oracles: pingouin.intraclass_corr called
per feature, Shrout & Fleiss (1979)'s published values, and the closed-form F-distribution CIs computed here."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.errors import InputError
from eprstats.selection.icc import icc_single, icc_table
from eprstats.selection.icc_anova import FORMS, icc_cube, mean_squares

# Shrout & Fleiss (1979) Psychol Bull 86:420, Table 2: 6 targets rated by 4 judges; Table 4's ICCs (2 decimals).
SF = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)
SF_PUBLISHED = {"ICC(1,1)": 0.17, "ICC(A,1)": 0.29, "ICC(C,1)": 0.71, "ICC(1,k)": 0.44, "ICC(A,k)": 0.62,
                "ICC(C,k)": 0.91}  # Shrout-Fleiss ICC(1,1), (2,1), (3,1), (1,4), (2,4), (3,4)


def _pingouin(long: pd.DataFrame, **kwargs) -> pd.DataFrame:
    import pingouin as pg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pg.intraclass_corr(long, targets="id", raters="reader", ratings="value", **kwargs).set_index("Type")


def _random_readings(rng, n, k, p, missing=0):
    """k readers' tables (names not in sorted order, rows shuffled): patient effect + reader bias + noise of a
    different size per feature, features on very different scales; ``missing`` readings set to NaN."""
    ids = [f"P{i:03d}" for i in range(n)]
    scale = 10.0 ** rng.integers(-2, 6, size=p)
    truth = scale * (5 + rng.normal(size=(n, p)))
    noise = rng.uniform(0.05, 2.0, size=p)
    out = {}
    for r, name in enumerate(["zeta", "alpha", "mid"][:k]):
        values = truth + scale * (rng.normal(0, 0.3, size=p) + noise * rng.normal(size=(n, p)))
        frame = pd.DataFrame(values, columns=[f"f{j}" for j in range(p)])
        frame.insert(0, "id", ids)
        out[name] = frame.iloc[rng.permutation(n)].reset_index(drop=True)
    for _ in range(missing):
        name = list(out)[rng.integers(k)]
        out[name].iloc[rng.integers(n), 1 + rng.integers(p)] = np.nan
    return out


def _long(readings: dict, feature: str) -> pd.DataFrame:
    return pd.concat([t[["id", feature]].rename(columns={feature: "value"}).assign(reader=name)
                      for name, t in readings.items()], ignore_index=True)


def _anova(x: np.ndarray):
    """Mean squares of one targets x raters matrix, by the residual-matrix decomposition (not the code's path)."""
    n, k = x.shape
    grand = x.mean()
    resid = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + grand
    msr = k * np.var(x.mean(axis=1), ddof=1)
    msc = n * np.var(x.mean(axis=0), ddof=1)
    mse = (resid ** 2).sum() / ((n - 1) * (k - 1))
    msw = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum() / (n * (k - 1))
    return n, k, msr, msc, mse, msw


def _closed_form_ci(x: np.ndarray, alpha=0.05) -> dict:
    """95% CIs of every form from the published closed forms: Shrout & Fleiss (1979) eq. 6 and 13 (F-based)
    for the one-way and consistency forms; McGraw & Wong (1996) Table 7, case 2A (Satterthwaite's v) for the
    absolute-agreement forms."""
    n, k, msr, msc, mse, msw = _anova(x)
    q = 1 - alpha / 2
    out = {}
    for one, avg, f_obs, df2 in (("ICC(1,1)", "ICC(1,k)", msr / msw, n * (k - 1)),
                                 ("ICC(C,1)", "ICC(C,k)", msr / mse, (n - 1) * (k - 1))):
        fl = f_obs / stats.f.ppf(q, n - 1, df2)
        fu = f_obs * stats.f.ppf(q, df2, n - 1)
        out[one] = ((fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1))
        out[avg] = (1 - 1 / fl, 1 - 1 / fu)
    rho = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    a = k * rho / (n * (1 - rho))
    b = 1 + k * rho * (n - 1) / (n * (1 - rho))
    v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)))
    f_star, f_sub = stats.f.ppf(q, n - 1, v), stats.f.ppf(q, v, n - 1)
    c = k * msc + (k * n - k - n) * mse
    out["ICC(A,1)"] = (n * (msr - f_star * mse) / (f_star * c + n * msr),
                       n * (f_sub * msr - mse) / (c + n * f_sub * msr))
    out["ICC(A,k)"] = (n * (msr - f_star * mse) / (f_star * (msc - mse) + n * msr),
                       n * (f_sub * msr - mse) / (msc - mse + n * f_sub * msr))
    return out


# ---------------------------------------------------------------------------------------------- pingouin

@pytest.mark.parametrize("n,k,p,seed", [(6, 2, 8, 1), (30, 2, 12, 2), (40, 3, 10, 3), (13, 3, 8, 4),
                                        (150, 2, 4, 5)])
def test_every_form_equals_pingouin_per_feature(n, k, p, seed):
    readings = _random_readings(np.random.default_rng(seed), n, k, p)
    tables = {form: icc_table(readings, icc_type=form).set_index("feature") for form in FORMS}
    for feat in tables["ICC(A,1)"].index:
        oracle = _pingouin(_long(readings, feat))
        for form in FORMS:
            got, want = tables[form].loc[feat], oracle.loc[form]
            assert got["icc"] == pytest.approx(want["ICC"], rel=1e-12, abs=1e-14), (form, feat)
            assert got["F"] == pytest.approx(want["F"], rel=1e-12), (form, feat)
            assert got["p"] == pytest.approx(want["pval"], rel=1e-9, abs=1e-300), (form, feat)
            assert (got["df1"], got["df2"]) == (want["df1"], want["df2"])
            # the table's CI is pingouin's (2 decimals); the full-precision one rounds to it
            assert [got["ci_low"], got["ci_high"]] == list(want["CI95"]), (form, feat)
            assert np.round([got["ci_low_full"], got["ci_high_full"]], 2).tolist() == list(want["CI95"])


@pytest.mark.parametrize("k,seed", [(2, 11), (3, 12)])
def test_missing_readings_listwise_as_pingouin_and_nan_in_the_table(k, seed):
    readings = _random_readings(np.random.default_rng(seed), 20, k, 6, missing=5)
    table = icc_table(readings).set_index("feature")
    for feat in table.index:
        long = _long(readings, feat)
        oracle = _pingouin(long, nan_policy="omit").loc["ICC(A,1)"]   # the patients lacking a reading dropped
        single = icc_single(long, nan_policy="omit")
        assert single["icc"] == pytest.approx(oracle["ICC"], rel=1e-12), feat
        assert single["F"] == pytest.approx(oracle["F"], rel=1e-12)
        assert single["df2"] == oracle["df2"] and [single["ci_low"], single["ci_high"]] == list(oracle["CI95"])
        lacking = sorted(long.loc[long["value"].isna(), "id"].unique())
        if lacking:   # the table (the study) does not silently drop patients: NaN, the ids named
            assert np.isnan(table.loc[feat, "icc"]) and lacking[0] in table.loc[feat, "note"]
            with pytest.raises(InputError, match=lacking[0]):   # pingouin's default: raise
                icc_single(long)
        else:
            assert table.loc[feat, "icc"] == pytest.approx(oracle["ICC"], rel=1e-12)
    assert table["icc"].isna().any() and table["icc"].notna().any()


def test_product_path_does_not_call_pingouin(monkeypatch):
    import pingouin
    monkeypatch.setattr(pingouin, "intraclass_corr", lambda *a, **k: pytest.fail("pingouin called"))
    readings = _random_readings(np.random.default_rng(7), 10, 2, 3)
    assert icc_table(readings)["icc"].notna().all()


# -------------------------------------------------------------------------------- Shrout & Fleiss (1979)

def test_shrout_fleiss_published_icc_all_forms_at_once():
    got = icc_cube(SF[:, :, None])
    for form, published in SF_PUBLISHED.items():
        assert round(float(got[form]["icc"][0]), 2) == published, form
    # the same through the table (judges as readings), rounded to the published 2 decimals
    readers = {f"J{j + 1}": pd.DataFrame({"id": [f"T{i}" for i in range(6)], "sf": SF[:, j]}) for j in range(4)}
    for form, published in SF_PUBLISHED.items():
        assert round(float(icc_table(readers, icc_type=form)["icc"].iloc[0]), 2) == published, form


def test_mean_squares_against_the_residual_decomposition():
    rng = np.random.default_rng(3)
    cube = np.concatenate([SF[:, :, None], rng.normal(100, 10, size=(6, 4, 5))], axis=2)
    ms = mean_squares(cube)
    for j in range(cube.shape[2]):
        n, k, msr, msc, mse, msw = _anova(cube[:, :, j])
        assert (ms.n, ms.k) == (n, k)
        np.testing.assert_allclose([ms.ms_rows[j], ms.ms_cols[j], ms.ms_error[j], ms.ms_within[j]],
                                   [msr, msc, mse, msw], rtol=1e-12)


# ---------------------------------------------------------------------------- full-precision CIs

@pytest.mark.parametrize("shape,seed", [((6, 4), None), ((30, 2), 21), ((40, 3), 22), ((2, 2), 23), ((9, 5), 24)])
def test_full_precision_ci_against_closed_form_f_formulas(shape, seed):
    if seed is None:
        x = SF
    else:
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(shape[0], 1)) * 3 + rng.normal(size=shape) + rng.normal(size=(1, shape[1])) * 0.5
    got = icc_cube(x[:, :, None])
    want = _closed_form_ci(x)
    for form in FORMS:
        np.testing.assert_allclose([got[form]["ci_low"][0], got[form]["ci_high"][0]], want[form], rtol=1e-9,
                                   atol=1e-12, err_msg=form)
        # the point estimate lies inside its CI
        assert got[form]["ci_low"][0] <= got[form]["icc"][0] <= got[form]["ci_high"][0], form


def test_table_full_precision_columns_and_identical_readings():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(12, 2))
    readers = {name: pd.DataFrame({"id": [f"P{i}" for i in range(12)], "x": x[:, j], "same": x[:, 0]})
               for j, name in enumerate(["r1", "r2"])}
    table = icc_table(readers).set_index("feature")
    want = _closed_form_ci(x)["ICC(A,1)"]
    np.testing.assert_allclose(table.loc["x", ["ci_low_full", "ci_high_full"]].astype(float), want, rtol=1e-9)
    assert table.loc["x", "ci_low"] == round(want[0], 2) and table.loc["x", "ci_high"] == round(want[1], 2)
    assert table.loc["same", "icc"] == pytest.approx(1.0, abs=1e-12)
    assert table.loc["same", ["ci_low", "ci_high", "ci_low_full", "ci_high_full"]].tolist() == [1.0] * 4
    assert "identical" in table.loc["same", "note"]
    assert list(table.reset_index().columns[:12]) == ["feature", "icc_type", "icc", "ci_low", "ci_high", "F", "df1",
                                                      "df2", "p", "n_ids", "n_readings", "note"]


def test_bit_identical_to_pingouin_so_the_study_files_keep_their_bytes():
    """Targets and raters in sorted order (pingouin's pivot), large offsets where the summation order shows:
    ICC, F and p equal pingouin's exactly (the mean squares follow pingouin's sums and pandas' compensated
    group means). If a pandas or pingouin release changes its arithmetic this fails, and the ICC files'
    last digits would change with it."""
    rng = np.random.default_rng(31)
    readings = _random_readings(rng, 37, 3, 12)
    for name, frame in readings.items():
        frame.iloc[:, 1:] = frame.iloc[:, 1:] + 1e7
    table = icc_table(readings, icc_type="ICC(A,1)").set_index("feature")
    for feat in table.index:
        want = _pingouin(_long(readings, feat)).loc["ICC(A,1)"]
        assert (table.loc[feat, "icc"], table.loc[feat, "F"], table.loc[feat, "p"]) == \
            (want["ICC"], want["F"], want["pval"]), feat
