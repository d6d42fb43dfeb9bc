"""Logistic models (rms::lrm), Table 3, backward selection and the nomogram, checked against an
independent implementation (stats::glm), R's Wald intervals (confint.default), rms::fastbw and stats::step
called directly, and the glm predicted probabilities reproduced from the nomogram's points table."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.evaluation import models as mdl
from eprstats.evaluation import nomogram as nom
from tests.evaluation.asah import load_asah

PREDICTORS = ["age", "s100b", "ndka", "gender"]
# glm run to full convergence (its default epsilon 1e-8 leaves the SEs ~5e-5 off the optimum).
GLM = ("g <- glm(y ~ age + s100b + ndka + gender, family = binomial, data = d, "
       "control = glm.control(epsilon = 1e-14, maxit = 100)); ")


@pytest.fixture(scope="module")
def asah(r):
    data = load_asah(r, cohorts="thirds")
    data["gender"] = data["gender"].astype(str)
    data["id"] = [f"P{i:03d}" for i in range(len(data))]
    return data


@pytest.fixture(scope="module")
def train(asah):
    return asah[asah["cohort"] == "training"].reset_index(drop=True)


@pytest.fixture(scope="module")
def model(train):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the events-per-variable warning
        return mdl.fit_logistic(train, "y", PREDICTORS, name="combined")


def _glm_frame(data):
    return data[["y", "age", "s100b", "ndka", "gender"]].reset_index(drop=True)


def test_table3_equals_glm_and_wald_intervals(r, model, train):
    t3 = mdl.table3(model)
    want = r.evaluate(GLM + "cbind(summary(g)$coefficients, exp(confint.default(g)))", d=_glm_frame(train))
    # glm and lrm are independent fits of the same likelihood: same terms in the same order.
    assert list(t3["term"]) == ["Intercept", "age", "s100b", "ndka", "gender=Male"]
    np.testing.assert_allclose(t3["beta"], want.iloc[:, 0], rtol=1e-6)
    np.testing.assert_allclose(t3["se"], want.iloc[:, 1], rtol=1e-5)
    np.testing.assert_allclose(t3["z"], want.iloc[:, 2], rtol=1e-5)
    np.testing.assert_allclose(t3["p"], want.iloc[:, 3], rtol=1e-4)
    np.testing.assert_allclose(t3["odds_ratio"].iloc[1:], np.exp(want.iloc[1:, 0]), rtol=1e-5)
    np.testing.assert_allclose(t3["odds_ratio"].iloc[1:], np.exp(t3["beta"].iloc[1:]), rtol=1e-14)
    np.testing.assert_allclose(t3["or_ci_low"].iloc[1:], want.iloc[1:, 4], rtol=1e-5)
    np.testing.assert_allclose(t3["or_ci_high"].iloc[1:], want.iloc[1:, 5], rtol=1e-5)
    assert t3.loc[0, ["odds_ratio", "or_ci_low", "or_ci_high"]].isna().all()  # blank for the intercept


def test_table3_has_the_published_columns(published, model):
    pub = pd.read_csv(published / "published_table3.csv")
    t3 = mdl.table3(model)
    assert set(pub.columns) <= set(t3.columns)
    assert pub["term"].iloc[0] == t3["term"].iloc[0] == "Intercept"
    formatted = mdl.format_table3(t3)
    assert list(formatted.columns) == ["Variable", "\u03b2", "OR (95% CI)", "P"]
    row = t3.iloc[1]
    assert formatted.loc[1, "OR (95% CI)"] == (f"{np.exp(row['beta']):.3f} ({row['or_ci_low']:.3f}-"
                                               f"{row['or_ci_high']:.3f})")
    assert formatted.loc[0, "OR (95% CI)"] == ""


def test_predictions_on_another_cohort_equal_glm(r, model, train, asah):
    external = asah[asah["cohort"] == "external"]
    want = r.evaluate(GLM + "cbind(predict(g, newdata = n, type = 'link'), predict(g, newdata = n, "
                            "type = 'response'))", d=_glm_frame(train), n=_glm_frame(external))
    np.testing.assert_allclose(model.predict(external, "lp"), want.iloc[:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(external, "prob"), want.iloc[:, 1], rtol=1e-5, atol=1e-6)
    assert list(model.predict(external).index) == list(external.index)


def test_fastbw_equals_rms_fastbw_called_directly(r, train):
    candidates = PREDICTORS + ["wfns"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = mdl.backward_stepwise(train, "y", candidates, method="fastbw", rule="p", sls=0.05)
    want = r.evaluate("f <- rms::lrm(y ~ age + s100b + ndka + gender + wfns, data = d, x = TRUE, y = TRUE); "
                      "b <- rms::fastbw(f, rule = 'p', sls = 0.05); list(kept = b$names.kept, "
                      "deleted = rownames(b$result), p = unname(b$result[, 'P']))",
                      d=train[["y", *candidates]])
    kept = want["kept"] if isinstance(want["kept"], list) else [want["kept"]]
    assert got.kept == [c for c in candidates if c in kept]
    assert list(got.record["deleted"]) == list(want["deleted"])
    np.testing.assert_allclose(got.record["p"], want["p"], rtol=1e-10)
    assert got.model is not None and list(got.model.predictors) == got.kept
    assert 0 < len(got.record) < len(candidates)  # something was removed and something kept


def test_aic_step_equals_stats_step_called_directly(r, train):
    candidates = PREDICTORS + ["wfns"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = mdl.backward_stepwise(train, "y", candidates, method="aic")
        want = r.evaluate("s <- step(glm(y ~ age + s100b + ndka + gender + wfns, family = binomial, data = d), "
                          "direction = 'backward', trace = 0); attr(terms(s), 'term.labels')",
                          d=train[["y", *candidates]])
    want = want if isinstance(want, list) else [want]
    assert got.kept == [c for c in candidates if c in want]
    assert got.settings["method"] == "stats::step"


def test_nomogram_points_reproduce_glm_probabilities(r, model, train, tmp_path):
    result = nom.nomogram(model)
    pts = result.points
    assert set(pts["kind"]) == {"predictor", "total", "probability"}
    assert pts["points"].max() == pytest.approx(pts[pts["kind"] == "total"]["points"].max())
    # Each patient's total points, read off the predictor axes (linear in a continuous value; a lookup
    # for a category), then the probability axis (logit linear in total points) must give glm's risk.
    total = np.zeros(len(train))
    for var in PREDICTORS:
        axis = pts[(pts["kind"] == "predictor") & (pts["variable"] == var)]
        if var == "gender":
            total += train[var].map(dict(zip(axis["value"], axis["points"]))).to_numpy(float)
        else:
            slope, intercept = np.polyfit(axis["value"].astype(float), axis["points"], 1)
            total += intercept + slope * train[var].to_numpy(float)
    prob_axis = pts[pts["kind"] == "probability"]
    p_axis = prob_axis["value"].astype(float)
    slope, intercept = np.polyfit(prob_axis["points"], np.log(p_axis / (1 - p_axis)), 1)
    from_nomogram = 1 / (1 + np.exp(-(intercept + slope * total)))
    want = r.evaluate(GLM + "unname(fitted(g))", d=_glm_frame(train))
    np.testing.assert_allclose(from_nomogram, want, rtol=1e-5)
    files = nom.plot_nomogram(result, tmp_path / "nomogram")
    assert [f.suffix for f in files] == [".png", ".pdf"] and all(f.stat().st_size > 1000 for f in files)


# --- bad input -------------------------------------------------------------------------------------

def test_perfect_separation_names_the_model(train):
    data = train.copy()
    data["leak"] = data["y"] * 2.0 + np.linspace(0, 0.5, len(data))  # splits the classes exactly
    with pytest.raises(InputError, match="separation") as err:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mdl.fit_logistic(data, "y", ["age", "leak"], name="leaky")
    assert err.value.model == "leaky"


def test_quasi_complete_separation_is_caught_and_overlap_is_not(train):
    data = train[["y", "age"]].copy()
    data["grade"] = np.where(data["y"] == 1, 2.0, np.where(np.arange(len(data)) % 2 == 0, 1.0, 2.0))
    with pytest.raises(InputError, match="separation"):  # grade 1 holds only non-events: quasi-complete
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mdl.fit_logistic(data, "y", ["age", "grade"], name="quasi")


def test_separation_linear_program_on_hand_worked_examples():
    ones = np.ones(4)
    design = lambda v: np.column_stack([ones, v])  # noqa: E731
    assert mdl.separated(design([1, 2, 3, 4]), np.array([0, 0, 1, 1]))       # complete: cut between 2 and 3
    assert mdl.separated(design([1, 2, 2, 3]), np.array([0, 0, 1, 1]))       # quasi-complete: tie at 2
    assert not mdl.separated(design([1, 2, 3, 4]), np.array([0, 1, 0, 1]))   # overlap
    assert not mdl.separated(design([1, 2, 3, 4]), np.array([1, 0, 0, 1]))   # overlap on both sides


def test_missing_predictor_values_and_columns(train):
    data = train.copy()
    data.loc[[1, 2], "age"] = np.nan
    with pytest.raises(InputError, match="2 missing value") as err:
        mdl.fit_logistic(data, "y", ["age", "s100b"], name="m")
    assert (err.value.model, err.value.column) == ("m", "age")
    with pytest.raises(InputError, match="not found"):
        mdl.fit_logistic(train, "y", ["age", "AFP"], name="m")


def test_unseen_category_in_another_cohort(model, asah):
    external = asah[asah["cohort"] == "external"].copy()
    external.loc[external.index[0], "gender"] = "Unknown"
    with pytest.raises(InputError, match="not in the training data") as err:
        model.predict(external)
    assert (err.value.model, err.value.column) == ("combined", "gender")


# --- command line --------------------------------------------------------------------------------

def test_fit_cli_scores_every_patient_like_glm(r, asah, train, run_cli, tmp_path):
    csv = tmp_path / "patients.csv"
    asah[["id", "cohort", "y", *PREDICTORS]].to_csv(csv, index=False)
    out = tmp_path / "fit"
    code, _, err = run_cli("fit", csv, "--outcome", "y", "--predictors", ",".join(PREDICTORS), "--name", "combined",
                           "--cohort-col", "cohort", "--train-cohort", "training", "--id-col", "id", "--out", out,
                           "--formats", "md")
    assert code == 0, err
    scores = pd.read_csv(out / "scores.csv").set_index("id").loc[asah["id"]]
    want = r.evaluate(GLM + "unname(predict(g, newdata = n, type = 'response'))", d=_glm_frame(train),
                      n=_glm_frame(asah))
    np.testing.assert_allclose(scores["combined_prob"], want, rtol=1e-6)
    t3 = pd.read_csv(out / "table3_numeric.csv")
    beta = r.evaluate(GLM + "unname(coef(g))", d=_glm_frame(train))
    np.testing.assert_allclose(t3["beta"], beta, rtol=1e-6)
    for name in ("table3.csv", "table3.md", "nomogram_points.csv", "table3_numeric.provenance.json",
                 "figures/figure6a_nomogram.png", "figures/figure6a_nomogram.pdf"):
        assert (out / name).is_file(), name


def test_fit_cli_separation_exit_2_names_model(train, run_cli, tmp_path):
    data = train[["y", "age"]].copy()
    data["leak"] = data["y"] * 3.0
    csv = tmp_path / "leak.csv"
    data.to_csv(csv, index=False)
    code, _, err = run_cli("fit", csv, "--outcome", "y", "--predictors", "age,leak", "--name", "leaky",
                           "--out", tmp_path / "o")
    assert code == 2, err
    assert "model 'leaky'" in err and "separation" in err and "Traceback" not in err


def test_fit_cli_is_byte_reproducible_and_names_the_cohort_of_bad_rows(asah, run_cli, tmp_path):
    csv = tmp_path / "patients.csv"
    asah[["id", "cohort", "y", *PREDICTORS]].to_csv(csv, index=False)
    args = ["--outcome", "y", "--predictors", "age,s100b", "--cohort-col", "cohort", "--train-cohort", "training",
            "--stepwise", "fastbw", "--no-figures"]
    for run in ("a", "b"):
        code, _, err = run_cli("fit", csv, *args, "--out", tmp_path / run)
        assert code == 0, err
    for name in ("table3.csv", "table3_numeric.csv", "scores.csv", "nomogram_points.csv", "stepwise.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    bad = asah[["cohort", "y", "age", "s100b"]].copy()
    bad.loc[bad.index[bad["cohort"] == "external"][0], "s100b"] = np.nan
    bad.to_csv(csv, index=False)
    code, _, err = run_cli("fit", csv, "--outcome", "y", "--predictors", "age,s100b", "--cohort-col", "cohort",
                           "--train-cohort", "training", "--name", "m", "--out", tmp_path / "c")
    assert code == 2 and "cohort 'external'" in err and "'s100b'" in err and "Traceback" not in err
    assert (tmp_path / "c" / "table3.csv").is_file()  # the work done before the bad rows is kept


def test_table3_ci_is_the_converged_one_and_both_tables_print_it_alike(r):
    """A large OR's upper limit is sensitive to where lrm stops (issue #21: table3.csv printed 91417.488 where
    glm and statsmodels give 91417.492): Table 3 is now continued to the maximum, equal to statsmodels' Logit
    (converged to 1e-14) at 1e-10, and SPSS's table of the same fit (METHOD=ENTER, converged estimation)
    prints the same digits."""
    sm = pytest.importorskip("statsmodels.api")
    import eprstats as ep
    rng = np.random.default_rng(7)
    x = np.r_[np.ones(30), np.zeros(50)]
    y = np.r_[np.ones(29), [0], (rng.random(50) < 0.1).astype(float)]
    d = pd.DataFrame({"y": y.astype(int), "x": x, "z": rng.normal(size=80), "w": rng.normal(size=80)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ep.fit_model(d, "y", ["x", "z", "w"], stepwise="spss-enter", spss_estimation="ml")
    want = np.exp(sm.Logit(d.y, sm.add_constant(d[["x", "z", "w"]])).fit(disp=0, tol=1e-14, maxiter=100)
                  .conf_int()).to_numpy()[1:]
    got = fit.numeric[["or_ci_low", "or_ci_high"]].to_numpy()[1:]
    np.testing.assert_allclose(got, want, rtol=1e-10)
    printed = fit.table3()["OR (95% CI)"].tolist()[1:]
    assert printed[0].endswith(f"-{want[0, 1]:.3f})")
    spss = [t for t in fit.tables() if t.name == "table3_spss"][0].frame
    for row, text in zip(spss.itertuples(index=False), printed):
        low, high = row[-2], row[-1]
        assert text.endswith(f"({low}-{high})".replace("(.", "(0.").replace("-.", "-0."))
