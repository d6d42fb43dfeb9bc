"""Calibration: rms::calibrate / rms::validate / rms::val.prob called directly in R are the oracles; the
Hosmer-Lemeshow test (our own R code) is checked against examples worked by hand and an independent numpy
re-computation. The real-data test runs calibration, val.prob, NRI/IDI and decision curves on the
HCC-TACE-Seg radiomics table against rms, Hmisc::improveProb and dcurves."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.errors import InputError

SEED_KINDS = 'kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection"'


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(20261127)
    n = 120
    d = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + 1.1 * d.x1 - 0.6 * d.x2)))).astype(int)
    return d


# ---------------------------------------------------------------------------------------------
# rms::calibrate and rms::validate
# ---------------------------------------------------------------------------------------------

def test_calibration_curve_equals_rms_calibrate(r, synthetic):
    from eprstats.evaluation.calibration import calibration_curve
    curve = calibration_curve(synthetic, "y", ["x1", "x2"], B=40, seed=11)
    oracle = r.evaluate(f"""
        set.seed(11, {SEED_KINDS})
        f <- rms::lrm(y ~ x1 + x2, data = d, x = TRUE, y = TRUE)
        cal <- rms::calibrate(f, B = 40)
        list(predy = unname(cal[, "predy"]), orig = unname(cal[, "calibrated.orig"]),
             corr = unname(cal[, "calibrated.corrected"]),
             printed = paste(capture.output(rms:::print.calibrate.default(cal)), collapse = "\\n"))""", d=synthetic)
    np.testing.assert_allclose(curve["predicted"], oracle["predy"], rtol=1e-12)
    np.testing.assert_allclose(curve["ideal"], oracle["predy"], rtol=1e-12)
    np.testing.assert_allclose(curve["apparent"], oracle["orig"], rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(curve["bias_corrected"], oracle["corr"], rtol=1e-12, equal_nan=True)
    # rms' printed summary (rounded as print.calibrate.default rounds it)
    text = oracle["printed"]
    mae = float(re.search(r"Mean absolute error=([0-9.]+)", text).group(1))
    mse = float(re.search(r"Mean squared error=([0-9.e-]+)", text).group(1))
    q90 = float(re.search(r"0.9 Quantile of absolute error=([0-9.]+)", text).group(1))
    assert round(curve.attrs["mean_absolute_error"], 3) == mae
    assert round(curve.attrs["mean_squared_error"], 5) == mse
    assert round(curve.attrs["quantile90_absolute_error"], 3) == q90
    assert curve.attrs["n"] == len(synthetic) and curve.attrs["B"] <= 40


def test_calibration_curve_is_reproducible_and_seed_sensitive(r, synthetic):
    from eprstats.evaluation.calibration import calibration_curve
    a = calibration_curve(synthetic, "y", ["x1", "x2"], B=20, seed=5)
    b = calibration_curve(synthetic, "y", ["x1", "x2"], B=20, seed=5)
    c = calibration_curve(synthetic, "y", ["x1", "x2"], B=20, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["bias_corrected"], c["bias_corrected"], equal_nan=True)


def test_optimism_corrected_equals_rms_validate(r, synthetic):
    from eprstats.evaluation.calibration import optimism_corrected
    table = optimism_corrected(synthetic, "y", ["x1", "x2"], B=40, seed=3).set_index("index")
    oracle = r.evaluate(f"""
        set.seed(3, {SEED_KINDS})
        f <- rms::lrm(y ~ x1 + x2, data = d, x = TRUE, y = TRUE)
        v <- unclass(rms::validate(f, B = 40))
        p <- stats::predict(f, type = "fitted")
        list(orig = v[, "index.orig"], opt = v[, "optimism"], corr = v[, "index.corrected"],
             C = unname(Hmisc::somers2(p, d$y)["C"]), brier = mean((p - d$y)^2))""", d=synthetic)
    names = ["Dxy", "R2", "Intercept", "Slope", "Emax", "D", "U", "Q", "B", "g", "gp"]
    ours = {"B": "Brier"}
    for name in names:
        row = table.loc[ours.get(name, name)]
        assert row["apparent"] == pytest.approx(oracle["orig"][name], abs=1e-12)
        assert row["optimism"] == pytest.approx(oracle["opt"][name], abs=1e-12)
        assert row["corrected"] == pytest.approx(oracle["corr"][name], abs=1e-12)
    # AUC row: Dxy/2 + 0.5; the apparent one is the C index of the fitted probabilities (Hmisc::somers2)
    assert table.loc["AUC", "apparent"] == pytest.approx(oracle["C"], abs=1e-10)
    assert table.loc["AUC", "corrected"] == pytest.approx(oracle["corr"]["Dxy"] / 2 + 0.5, abs=1e-12)
    assert table.loc["Brier", "apparent"] == pytest.approx(oracle["brier"], abs=1e-12)
    assert table.loc["Slope", "apparent"] == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# rms::val.prob
# ---------------------------------------------------------------------------------------------

def test_val_prob_matches_rms_and_independent_formulas(r):
    from eprstats.evaluation.calibration import val_prob
    rng = np.random.default_rng(7)
    p = rng.uniform(0.05, 0.95, 60)
    y = (rng.random(60) < p ** 1.3).astype(int)  # miscalibrated on purpose
    out = val_prob(p, y)
    oracle = r.evaluate("as.list(rms::val.prob(p, y, pl = FALSE))", p=p, y=y)
    for rname, ours in (("Intercept", "intercept"), ("Slope", "slope"), ("Brier", "brier"), ("Emax", "emax"),
                        ("Eavg", "eavg"), ("C (ROC)", "c"), ("Dxy", "dxy"), ("R2", "r2")):
        assert out[ours] == pytest.approx(oracle[rname], abs=1e-12)
    # independent: Brier by hand; val.prob's intercept and slope are those of the logistic recalibration
    # glm(y ~ logit(p)) (jointly estimated, not the calibration-in-the-large); C = AUC by scikit-learn
    assert out["brier"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-12)
    glm = r.evaluate("""lp <- qlogis(p)
        list(slope = unname(coef(glm(y ~ lp, family = binomial))[2]),
             intercept = unname(coef(glm(y ~ lp, family = binomial))[1]))""", p=p, y=y)
    assert out["slope"] == pytest.approx(glm["slope"], abs=1e-6)
    assert out["intercept"] == pytest.approx(glm["intercept"], abs=1e-6)
    from sklearn.metrics import roc_auc_score
    assert out["c"] == pytest.approx(roc_auc_score(y, p), abs=1e-12)


# ---------------------------------------------------------------------------------------------
# Hosmer-Lemeshow (our own R code)
# ---------------------------------------------------------------------------------------------

def test_hosmer_lemeshow_hand_worked_three_groups(r):
    from eprstats.evaluation.calibration import hosmer_lemeshow
    # 9 patients, g = 3. Type-7 quantiles at 1/3 and 2/3: positions 8/3 and 16/3 (0-based) give
    # 0.3 + 2/3*0.1 = 0.3667 and 0.6 + 1/3*0.1 = 0.6333, so the groups are {0.1,0.2,0.3}, {0.4,0.5,0.6},
    # {0.7,0.8,0.9}.
    #   group 1: O1 = 1, E1 = 0.6, O0 = 2, E0 = 2.4: 0.16/0.6 + 0.16/2.4 = 0.26667 + 0.06667 = 0.33333
    #   group 2: O1 = 1, E1 = 1.5, O0 = 2, E0 = 1.5: 0.25/1.5 + 0.25/1.5            = 0.33333
    #   group 3: O1 = 3, E1 = 2.4, O0 = 0, E0 = 0.6: 0.36/2.4 + 0.36/0.6 = 0.15 + 0.6 = 0.75
    #   C = 1.41667 on df = 3 - 2 = 1, P = 0.2340
    p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    y = [0, 0, 1, 0, 1, 0, 1, 1, 1]
    hl = hosmer_lemeshow(p, y, g=3)
    assert hl["statistic"] == pytest.approx(1.416667, abs=1e-6)
    assert hl["df"] == 1 and hl["groups"] == 3
    assert hl["p_value"] == pytest.approx(0.23402, abs=1e-4)
    assert list(hl["table"]["n"]) == [3, 3, 3]
    assert list(hl["table"]["observed_events"]) == [1, 1, 3]


def test_hosmer_lemeshow_value_on_a_quantile_goes_to_the_lower_group(r):
    from eprstats.evaluation.calibration import hosmer_lemeshow
    # 7 patients, g = 3: quantiles fall exactly on 0.3 and 0.5 (positions 2 and 4); intervals are closed on
    # the right, so 0.3 and 0.5 stay in the lower groups: {0.1,0.2,0.3}, {0.4,0.5}, {0.6,0.7}.
    #   group 1: O1 = 1, E1 = 0.6: 0.16/0.6 + 0.16/2.4            = 0.333333
    #   group 2: O1 = 1, E1 = 0.9: 0.01/0.9 + 0.01/1.1            = 0.020202
    #   group 3: O1 = 2, E1 = 1.3: 0.49/1.3 + 0.49/0.7            = 1.076923
    #   C = 1.430458, df = 1
    hl = hosmer_lemeshow([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], [0, 1, 0, 0, 1, 1, 1], g=3)
    assert list(hl["table"]["n"]) == [3, 2, 2]
    assert hl["statistic"] == pytest.approx(1.430458, abs=1e-6)
    assert hl["p_value"] == pytest.approx(stats.chi2.sf(1.430458, 1), abs=1e-6)


def _numpy_hl(p, y, g):
    """Independent re-computation: numpy 'linear' quantiles (= R type 7), right-closed bins."""
    edges = np.unique(np.quantile(p, np.linspace(0, 1, g + 1)))
    group = np.clip(np.searchsorted(edges, p, side="left"), 1, len(edges) - 1)  # (e[k-1], e[k]], lowest in 1
    chi2 = 0.0
    for k in np.unique(group):
        m = group == k
        o1, e1, n = y[m].sum(), p[m].sum(), m.sum()
        chi2 += (o1 - e1) ** 2 / e1 + ((n - o1) - (n - e1)) ** 2 / (n - e1)
    df = len(edges) - 1 - 2
    return chi2, df, stats.chi2.sf(chi2, df)


@pytest.mark.parametrize("n,g,decimals", [(200, 10, None), (83, 10, None), (150, 10, 1), (57, 8, 2)])
def test_hosmer_lemeshow_equals_numpy_recomputation(r, n, g, decimals):
    from eprstats.evaluation.calibration import hosmer_lemeshow
    rng = np.random.default_rng(n + g)
    p = rng.beta(2, 3, n)
    if decimals is not None:  # ties: tied quantiles are merged into fewer groups
        p = np.clip(np.round(p, decimals), 0.01, 0.99)
    y = (rng.random(n) < p).astype(int)
    chi2, df, pval = _numpy_hl(p, y, g)
    with pytest.warns(UserWarning) if decimals == 1 else _no_warning():
        hl = hosmer_lemeshow(p, y, g=g)
    assert hl["statistic"] == pytest.approx(chi2, rel=1e-10)
    assert hl["df"] == df
    assert hl["p_value"] == pytest.approx(pval, rel=1e-8)


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------

def test_bad_inputs_name_model_and_cohort(r):
    from eprstats.evaluation.calibration import hosmer_lemeshow, val_prob
    with pytest.raises(InputError, match="no events") as err:
        val_prob([0.2, 0.3, 0.4], [0, 0, 0], model="PVP_DLRRN", cohort="external")
    assert "PVP_DLRRN" in str(err.value) and "external" in str(err.value)
    with pytest.raises(InputError, match="NaN") as err:
        hosmer_lemeshow([0.2, np.nan, 0.4, 0.5], [0, 1, 0, 1], g=3, model="m1", cohort="training")
    assert "m1" in str(err.value) and "training" in str(err.value)
    with pytest.raises(InputError, match="infinite"):
        val_prob([0.2, np.inf, 0.4, 0.5], [0, 1, 0, 1], model="m1", cohort="training")
    with pytest.raises(InputError, match=r"outside \[0, 1\]") as err:
        val_prob([0.2, 1.7, 0.4, -0.5], [0, 1, 0, 1], model="radscore", cohort="external")
    assert "radscore" in str(err.value) and "exp(-lp)" in str(err.value)
    with pytest.raises(InputError, match="exactly 0 or 1"):
        val_prob([0.0, 0.5, 0.4, 0.9], [0, 1, 0, 1], model="m", cohort="c")


def test_single_class_training_cohort_is_an_input_error(r, synthetic):
    from eprstats.evaluation.calibration import calibration_curve
    data = synthetic.assign(y=1)
    with pytest.raises(InputError, match="only events"):
        calibration_curve(data, "y", ["x1"], B=5)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

def test_calibration_cli_writes_tables_figure_and_provenance(r, run_cli, tmp_path, synthetic):
    data = synthetic.assign(cohort=["training"] * 80 + ["external"] * 40)
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    code, out, err = run_cli("calibration", path, "--outcome", "y", "--predictors", "x1,x2", "--cohort-col",
                             "cohort", "--train-cohort", "training", "--B", "20", "--seed", "9", "--out",
                             tmp_path / "out", "--formats", "csv,md")
    assert code == 0, err
    outdir = tmp_path / "out"
    for name in ("calibration_curve.csv", "calibration_curve.provenance.json", "optimism_corrected.md",
                 "calibration_numeric.csv", "figures/calibration_model.png", "figures/calibration_model.pdf",
                 "figures/calibration_models_external.png", "observed_curves.csv"):
        assert (outdir / name).is_file(), name
    by_cohort = pd.read_csv(outdir / "calibration_numeric.csv")
    assert list(by_cohort["cohort"]) == ["training", "external"]
    # external cohort: rms::val.prob on the training fit's probabilities, called directly
    oracle = r.evaluate("""f <- rms::lrm(y ~ x1 + x2, data = tr)
        p <- stats::predict(f, newdata = ex, type = "fitted")
        as.list(rms::val.prob(p, ex$y, pl = FALSE))""", tr=data.iloc[:80], ex=data.iloc[80:])
    ext = by_cohort.iloc[1]
    assert ext["slope"] == pytest.approx(oracle["Slope"], abs=1e-9)
    assert ext["brier"] == pytest.approx(oracle["Brier"], abs=1e-9)
    # same inputs and seed: byte-identical tables
    code, _, err = run_cli("calibration", path, "--outcome", "y", "--predictors", "x1,x2", "--cohort-col",
                           "cohort", "--train-cohort", "training", "--B", "20", "--seed", "9", "--out",
                           tmp_path / "again", "--no-figures")
    assert code == 0, err
    for name in ("calibration_curve.csv", "optimism_corrected.csv", "calibration_numeric.csv"):
        assert (outdir / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def test_calibration_cli_bad_cohort_exits_2(r, run_cli, tmp_path, synthetic):
    path = tmp_path / "data.csv"
    synthetic.assign(cohort="a").to_csv(path, index=False)
    code, out, err = run_cli("calibration", path, "--outcome", "y", "--predictors", "x1", "--cohort-col", "cohort",
                             "--train-cohort", "training", "--out", tmp_path / "o")
    assert code == 2
    assert "training" in err and "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# Real data: HCC-TACE-Seg (84 patients, outcome Target)
# ---------------------------------------------------------------------------------------------

OLD = ["Portal_vein_original_firstorder_10Percentile", "Mass_original_firstorder_Kurtosis"]
NEW = OLD + ["Abdominal_aorta_original_firstorder_Minimum"]
SPLIT_SEED = 20261127


@pytest.fixture(scope="module")
def hcc(shared_data):
    path = shared_data / "radmlbench" / "HCC-TACE-Seg.csv.gz"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    d = pd.read_csv(path)[["ID", "Target", *NEW]]
    # stratified 70/30 split, recorded seed: within each outcome class, a permutation from the seed
    rng = np.random.default_rng(SPLIT_SEED)
    cohort = pd.Series("validation", index=d.index)
    for _, idx in d.groupby("Target").groups.items():
        idx = rng.permutation(np.asarray(idx))
        cohort.loc[idx[: int(round(0.7 * len(idx)))]] = "training"
    d["cohort"] = cohort
    return d


def test_real_data_chain_against_r_and_dcurves(r, hcc):
    import dcurves

    from eprstats.evaluation import calibration as cal
    from eprstats.evaluation.decision_curves import DEFAULT_THRESHOLDS, net_benefit
    from eprstats.evaluation.reclassification import nri_idi

    train = hcc[hcc.cohort == "training"].reset_index(drop=True)
    valid = hcc[hcc.cohort == "validation"].reset_index(drop=True)
    assert (len(train), int(train.Target.sum()), len(valid), int(valid.Target.sum())) == (58, 8, 26, 4)

    # calibration curve and validation on training, against rms directly
    curve = cal.calibration_curve(train, "Target", NEW, B=60, seed=42)
    fit_code = "f <- rms::lrm(Target ~ Portal_vein_original_firstorder_10Percentile + " \
               "Mass_original_firstorder_Kurtosis + Abdominal_aorta_original_firstorder_Minimum, " \
               "data = tr, x = TRUE, y = TRUE)\n"
    oracle = r.evaluate(fit_code + f"""set.seed(42, {SEED_KINDS})
        cal <- rms::calibrate(f, B = 60)
        set.seed(42, {SEED_KINDS})
        v <- unclass(rms::validate(f, B = 60))
        list(corr = unname(cal[, "calibrated.corrected"]), orig = unname(cal[, "calibrated.orig"]),
             dxy = v["Dxy", "index.corrected"], slope = v["Slope", "index.corrected"],
             pv = unname(stats::predict(f, newdata = va, type = "fitted")))""", tr=train, va=valid)
    np.testing.assert_allclose(curve["bias_corrected"], oracle["corr"], rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(curve["apparent"], oracle["orig"], rtol=1e-12, equal_nan=True)
    val = cal.optimism_corrected(train, "Target", NEW, B=60, seed=42).set_index("index")
    assert val.loc["AUC", "corrected"] == pytest.approx(oracle["dxy"] / 2 + 0.5, abs=1e-12)
    assert val.loc["Slope", "corrected"] == pytest.approx(oracle["slope"], abs=1e-12)

    # val.prob on the validation cohort with the training fit
    fit_new = cal.fit_lrm(train, "Target", NEW)
    fit_old = cal.fit_lrm(train, "Target", OLD)
    p_new = cal.predict_prob(fit_new, valid, NEW)
    p_old = cal.predict_prob(fit_old, valid, OLD)
    np.testing.assert_allclose(p_new, oracle["pv"], rtol=1e-12)
    vp = cal.val_prob(p_new, valid.Target)
    ref = r.evaluate("as.list(rms::val.prob(p, y, pl = FALSE))", p=p_new, y=valid.Target.to_numpy())
    for rname, ours in (("Intercept", "intercept"), ("Slope", "slope"), ("Brier", "brier"), ("Emax", "emax"),
                        ("C (ROC)", "c")):
        assert vp[ours] == pytest.approx(ref[rname], abs=1e-12)

    # NRI / IDI of the 3-feature model over the 2-feature model on validation, against Hmisc::improveProb
    table = nri_idi(valid.Target, p_old, p_new, cutoffs=[0.1, 0.3]).set_index("measure")
    ip = r.evaluate("unclass(Hmisc::improveProb(x1, x2, y))", x1=p_old, x2=p_new, y=valid.Target.to_numpy())
    assert table.loc["NRI (continuous)", "estimate"] == pytest.approx(ip["nri"], abs=1e-12)
    assert table.loc["NRI (continuous)", "se"] == pytest.approx(ip["se.nri"], abs=1e-12)
    assert table.loc["IDI", "estimate"] == pytest.approx(ip["idi"], abs=1e-12)
    assert table.loc["IDI", "se"] == pytest.approx(ip["se.idi"], abs=1e-12)

    # categorical NRI re-counted with numpy: categories [0,0.1), [0.1,0.3), [0.3,1]
    y = valid.Target.to_numpy()
    c_old, c_new = np.digitize(p_old, [0.1, 0.3]), np.digitize(p_new, [0.1, 0.3])
    ev, ne = y == 1, y == 0
    part_ev = ((c_new > c_old)[ev].sum() - (c_new < c_old)[ev].sum()) / ev.sum()
    part_ne = ((c_new < c_old)[ne].sum() - (c_new > c_old)[ne].sum()) / ne.sum()
    assert table.loc["NRI (categorical)", "events"] == pytest.approx(part_ev, abs=1e-12)
    assert table.loc["NRI (categorical)", "nonevents"] == pytest.approx(part_ne, abs=1e-12)

    # Hosmer-Lemeshow on the validation cohort, against the numpy re-computation
    hl = cal.hosmer_lemeshow(p_new, y, g=5)
    chi2, df, pval = _numpy_hl(p_new, y, 5)
    assert (hl["statistic"], hl["df"], hl["p_value"]) == (pytest.approx(chi2, rel=1e-10), df,
                                                         pytest.approx(pval, rel=1e-8))

    # decision curves on both cohorts against dcurves
    scored = pd.concat([train.assign(p_new=cal.predict_prob(fit_new, train, NEW),
                                     p_old=cal.predict_prob(fit_old, train, OLD)),
                        valid.assign(p_new=p_new, p_old=p_old)], ignore_index=True)
    nb = net_benefit(scored, "Target", ["p_old", "p_new"], cohort_col="cohort")
    for cohort, rows in scored.groupby("cohort"):
        ref = dcurves.dca(rows.reset_index(drop=True), "Target", ["p_old", "p_new"],
                          thresholds=list(DEFAULT_THRESHOLDS))
        ref["model"] = ref["model"].replace({"all": "treat all", "none": "treat none"})
        ours = nb[nb.cohort == cohort].merge(ref, on=["model", "threshold"], suffixes=("", "_ref"))
        assert len(ours) == 4 * len(DEFAULT_THRESHOLDS)
        np.testing.assert_allclose(ours["net_benefit"], ours["net_benefit_ref"], atol=1e-12)


def test_val_prob_constant_predictions_is_an_input_error(r):
    from eprstats.evaluation.calibration import val_prob
    # an uninformative model: every patient gets (almost) the same risk; rms::val.prob cannot fit a slope
    p = 0.41 + np.arange(40) * 1e-9
    y = np.array([0, 1] * 20)
    with pytest.raises(InputError, match="hardly vary") as err:
        val_prob(p, y, model="Clinical", cohort="training")
    assert "Clinical" in str(err.value) and "training" in str(err.value)


def test_observed_curve_is_val_prob_lowess(r):
    from eprstats.evaluation.calibration import observed_curve, val_prob
    rng = np.random.default_rng(12)
    p = rng.uniform(0.05, 0.9, 43)
    y = (rng.random(43) < p).astype(int)
    curve = observed_curve(p, y)
    ref = r.evaluate("s <- lowess(p, y, iter = 0); list(x = s$x, y = s$y)", p=p, y=y)
    np.testing.assert_allclose(curve["predicted"], ref["x"], rtol=1e-12)
    np.testing.assert_allclose(curve["observed"], ref["y"], rtol=1e-12)
    # val.prob's Eavg is the mean distance between p and this curve at each patient
    assert curve.attrs["eavg"] == pytest.approx(val_prob(p, y)["eavg"], abs=1e-12)


def test_calibration_cli_several_models(r, run_cli, tmp_path, synthetic):
    data = synthetic.assign(cohort=["training"] * 80 + ["external"] * 40)
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    code, out, err = run_cli("calibration", path, "--outcome", "y", "--model", "one=x1", "--model", "both=x1+x2",
                             "--cohort-col", "cohort", "--train-cohort", "training", "--B", "15", "--seed", "4",
                             "--out", tmp_path / "o")
    assert code == 0, err
    by = pd.read_csv(tmp_path / "o" / "calibration_numeric.csv")
    assert list(zip(by["model"], by["cohort"])) == [("one", "training"), ("one", "external"),
                                                    ("both", "training"), ("both", "external")]
    oracle = r.evaluate("""f <- rms::lrm(y ~ x1, data = tr)
        p <- stats::predict(f, newdata = ex, type = "fitted")
        as.list(rms::val.prob(p, ex$y, pl = FALSE))""", tr=data.iloc[:80], ex=data.iloc[80:])
    assert by.iloc[1]["slope"] == pytest.approx(oracle["Slope"], abs=1e-9)
    for name in ("figures/calibration_one.png", "figures/calibration_both.pdf",
                 "figures/figure6b_calibration.png", "figures/calibration_models_external.png"):
        assert (tmp_path / "o" / name).is_file(), name
    code, out, err = run_cli("calibration", path, "--outcome", "y", "--model", "broken", "--out", tmp_path / "x")
    assert code == 2 and "NAME=col1+col2" in err


def test_binary_predictor_gets_calibration_rows_with_hosmer_lemeshow_na(r):
    """A model on one binary predictor (the paper's Clinical model, AFP) has two distinct risks: no
    Hosmer-Lemeshow grouping is possible, so the test is NA (with a warning) while the other statistics are
    reported; the Brier score equals the one from R's glm fitted values, computed directly."""
    from eprstats.evaluation.calibration import TooFewRiskGroups, cohort_calibration, hosmer_lemeshow
    rng = np.random.default_rng(7)
    n = 150
    data = pd.DataFrame({"AFP": rng.integers(0, 2, n), "cohort": ["training"] * 100 + ["external"] * 50})
    data["y"] = (rng.random(n) < 0.3 + 0.3 * data["AFP"]).astype(int)
    with pytest.warns(UserWarning, match="Hosmer-Lemeshow not computed"):
        table = cohort_calibration(data, "y", ["AFP"], cohort_col="cohort", train_cohort="training")
    assert list(table["cohort"]) == ["training", "external"]
    assert table["hl_statistic"].isna().all() and table["hl_p"].isna().all()
    train = data[data["cohort"] == "training"]
    p = np.asarray(r.evaluate("unname(fitted(glm(y ~ AFP, family = binomial, data = d)))", d=train), dtype=float)
    assert table.loc[0, "brier"] == pytest.approx(np.mean((p - train["y"].to_numpy()) ** 2), rel=1e-9)
    with pytest.raises(TooFewRiskGroups):  # the test itself still refuses, rather than print df = 0
        hosmer_lemeshow(p, train["y"])
