"""ep.fit_model (the ModelFit result) against rms::lrm and rms::fastbw called directly in R on pROC's aSAH data;
its tidy numbers; the ``fit`` command's files, ids kept as text."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.results import TIDY_COLUMNS
from tests.evaluation.asah import load_asah

PREDICTORS = ["age", "s100b", "ndka", "gender"]
LRM = "f <- rms::lrm(y ~ age + s100b + ndka + gender, data = d, x = TRUE, y = TRUE); "


@pytest.fixture(scope="module")
def asah(r):
    data = load_asah(r, cohorts="thirds")
    data["gender"] = data["gender"].astype(str)
    data["id"] = [f"{i:05d}" for i in range(1, len(data) + 1)]
    return data


def _frame(data, columns=("y", *PREDICTORS)):
    return data[list(columns)].reset_index(drop=True)


@pytest.fixture(scope="module")
def fit(asah):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # events per variable
        return ep.fit_model(asah, "y", PREDICTORS, name="combined", cohort_col="cohort", train_cohort="training",
                            id_col="id")


def test_coefficients_wald_intervals_and_stats_equal_rms_lrm(r, asah, fit):
    """Table 3 is at the maximum (glm to a 1e-14 deviance change, R called directly: the digits statsmodels and
    SPSS print; lrm stops at a 0.025 change of -2LL, issue #21), equal to rms::lrm's own table within 1e-6."""
    train = asah[asah["cohort"] == "training"]
    lrm_b = r.evaluate(LRM + "unname(coef(f))", d=_frame(train))
    np.testing.assert_allclose(fit.numeric["beta"], lrm_b, rtol=1e-6)
    want = r.evaluate(LRM + "f <- glm(formula(f), binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100)); "
                      "X <- model.matrix(f); w <- fitted(f) * (1 - fitted(f)); "  # the information at the estimates
                      "se <- sqrt(diag(solve(crossprod(X, w * X)))); list(b = unname(coef(f)), se = unname(se), "
                            "low = unname(exp(coef(f) - qnorm(0.975) * se)), high = unname(exp(coef(f) + "
                            "qnorm(0.975) * se)), p = unname(2 * pnorm(-abs(coef(f) / se))), "
                            "n = length(f$y))", d=_frame(train))
    stats = r.evaluate(LRM + "list(C = unname(f$stats['C']), R2 = unname(f$stats['R2']))", d=_frame(train))
    t3 = fit.numeric
    assert list(t3["term"]) == ["Intercept", "age", "s100b", "ndka", "gender=Male"]
    np.testing.assert_allclose(t3["beta"], want["b"], rtol=1e-10)
    np.testing.assert_allclose(t3["se"], want["se"], rtol=1e-10)
    np.testing.assert_allclose(t3["p"], want["p"], rtol=1e-8)
    np.testing.assert_allclose(t3["or_ci_low"].iloc[1:], np.asarray(want["low"])[1:], rtol=1e-10)
    np.testing.assert_allclose(t3["or_ci_high"].iloc[1:], np.asarray(want["high"])[1:], rtol=1e-10)
    assert fit.model.stats["C"] == pytest.approx(stats["C"], rel=1e-12)
    assert fit.model.stats["R2"] == pytest.approx(stats["R2"], rel=1e-12)
    assert fit.model.n == want["n"] == len(train)


def test_every_cohort_is_scored_with_the_training_fit(r, asah, fit):
    train = asah[asah["cohort"] == "training"]
    external = asah[asah["cohort"] == "external"]
    lp = r.evaluate(LRM + "unname(predict(f, newdata = n, type = 'lp'))", d=_frame(train),
                    n=_frame(external, PREDICTORS))
    scores = fit.scores
    assert list(scores.columns) == ["id", "cohort", "y", "combined_lp", "combined_prob"]
    assert list(scores["cohort"].drop_duplicates()) == ["training", "external"]  # training first
    ext = scores[scores["cohort"] == "external"]
    assert list(ext["id"]) == list(external["id"]) and ext["id"].iloc[0] == "00001"  # ids as text
    np.testing.assert_allclose(ext["combined_lp"], lp, rtol=1e-10)
    np.testing.assert_allclose(ext["combined_prob"], 1 / (1 + np.exp(-np.asarray(lp))), rtol=1e-10)


def test_table3_accessor_tables_and_figure_names(fit, tmp_path):
    t3 = fit.table3()
    assert list(t3.columns) == ["Variable", "\u03b2", "OR (95% CI)", "P"] and t3.loc[0, "OR (95% CI)"] == ""
    assert [t.name for t in fit.tables()] == ["table3_numeric", "table3", "scores", "nomogram_points"]
    written = fit.write(tmp_path, ["md"])
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert names == ["figures/figure6a_nomogram.pdf", "figures/figure6a_nomogram.png", "nomogram_points.csv",
                     "scores.csv", "table3.csv", "table3.md", "table3_numeric.csv"]
    assert "Table 3. Multivariable logistic regression of the combined model (training cohort)" in \
        (tmp_path / "table3.md").read_text(encoding="utf-8")


def test_tidy_lists_every_number_once(fit):
    tidy = fit.tidy()
    assert tuple(tidy.columns) == TIDY_COLUMNS
    terms = len(fit.numeric)
    # per term beta, SE, z, OR (not the intercept's) and P; the lrm statistics; each nomogram point
    assert len(tidy) == 5 * terms - 1 + len(fit.model.stats) + len(fit.nomogram.points)
    assert not tidy.duplicated(["table", "row", "column", "statistic"]).any()
    odds = tidy[(tidy["table"] == "table3") & (tidy["statistic"] == "odds_ratio") & (tidy["row"] == "s100b")].iloc[0]
    want = fit.numeric.set_index("term").loc["s100b"]
    assert (odds["value"], odds["ci_low"], odds["ci_high"]) == (want["odds_ratio"], want["or_ci_low"],
                                                                want["or_ci_high"])
    assert (odds["n"], odds["events"], odds["cohort"]) == (fit.model.n, fit.model.events, "training")


def test_fastbw_through_fit_model_equals_rms_fastbw(r, asah):
    train = asah[asah["cohort"] == "training"]
    candidates = PREDICTORS + ["wfns"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ep.fit_model(asah, "y", candidates, cohort_col="cohort", train_cohort="training", stepwise="fastbw",
                           fastbw_rule="p", sls=0.05)
    kept = r.evaluate("f <- rms::lrm(y ~ age + s100b + ndka + gender + wfns, data = d, x = TRUE, y = TRUE); "
                      "rms::fastbw(f, rule = 'p', sls = 0.05)$names.kept", d=_frame(train, ("y", *candidates)))
    kept = kept if isinstance(kept, list) else [kept]
    assert got.settings["kept"] == [c for c in candidates if c in kept] == got.model.predictors
    assert [t.name for t in got.tables()][0] == "stepwise"
    stepwise_rows = got.tidy().query("table == 'stepwise'")
    assert len(stepwise_rows) == len(got.stepwise.record) * 4  # chisq, df, p, aic per deleted term


def test_bad_options_fail_before_any_fit(asah):
    with pytest.raises(InputError, match="strictly between 0 and 1"):
        ep.fit_model(asah, "y", ["age"], fun_at=[0.5, 1.0])
    with pytest.raises(InputError, match="stepwise"):
        ep.fit_model(asah, "y", ["age"], stepwise="forward")
    with pytest.raises(InputError, match="training cohort is not named"):
        ep.fit_model(asah, "y", ["age"], cohort_col="cohort")
    with pytest.raises(InputError, match="id column") as err:
        ep.fit_model(asah, "y", ["age"], id_col="patient")
    assert err.value.column == "patient"


def test_fit_command_keeps_ids_as_text(asah, run_cli, tmp_path):
    csv = tmp_path / "patients.csv"
    asah[["id", "cohort", "y", "age", "s100b"]].to_csv(csv, index=False)
    assert csv.read_text().splitlines()[1].startswith("00001,")
    out = tmp_path / "fit"
    code, _, err = run_cli("fit", csv, "--outcome", "y", "--predictors", "age,s100b", "--cohort-col", "cohort",
                           "--train-cohort", "training", "--id-col", "id", "--out", out, "--no-figures")
    assert code == 0, err
    ids = pd.read_csv(out / "scores.csv", dtype=str)["id"]
    assert sorted(ids) == sorted(asah["id"]) and "00001" in set(ids)
    assert (out / "scores.csv").read_text().count("\n00001,") == 1
    assert (out / "table3_numeric.provenance.json").is_file()
