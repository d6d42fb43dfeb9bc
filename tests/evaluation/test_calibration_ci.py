"""Calibration's recalibration CIs, its Hosmer-Lemeshow df rule for external cohorts and the optimism-corrected
AUC of one score, each against R called directly: stats::glm with stats::confint.default (Wald), the
chi-square upper tail on `groups` df (Hosmer, Lemeshow & Sturdivant 2013, sec. 6.4) and rms::validate after
set.seed as the package sets it. The default output keeps its columns in their order and its formatted table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.evaluation.calibration import CI_COLUMNS, optimism_auc, recalibration_ci

SEED_KINDS = 'kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection"'
OLD_COLUMNS = ["model", "cohort", "n", "events", "intercept", "slope", "brier", "emax", "e90", "eavg", "c", "dxy",
               "r2", "s_z", "s_p", "hl_statistic", "hl_df", "hl_groups", "hl_p"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(15)
    n = 160
    x = rng.normal(size=n)
    d = pd.DataFrame({"y": (rng.random(n) < 1 / (1 + np.exp(-(0.3 + 1.1 * x)))).astype(int),
                      "cohort": ["training"] * 100 + ["external"] * 60})
    d["p_a"] = 1 / (1 + np.exp(-(0.9 * x + rng.normal(scale=0.7, size=n))))
    d["p_b"] = 1 / (1 + np.exp(-(0.2 + 0.6 * x + rng.normal(scale=0.4, size=n))))
    return d


@pytest.fixture(scope="module")
def default(r, data):
    return ep.calibrate(data, "y", ["p_a", "p_b"], cohort_col="cohort", train_cohort="training", boot_n=10, seed=3,
                        probabilities=True)


@pytest.fixture(scope="module")
def external_g(r, data):
    return ep.calibrate(data, "y", ["p_a", "p_b"], cohort_col="cohort", train_cohort="training", boot_n=10, seed=3,
                        probabilities=True, hl_external_df="g")


def _r_recalibration(r, data, model):
    """The study's recalibration glm(y ~ logit(p)) on training, its probabilities on each cohort, and per cohort
    the Wald CIs of glm(y ~ logit(q)) and of glm(y ~ 1, offset = logit(q)), all in R."""
    return r.evaluate(f"""
        tr <- d[d$cohort == "training", ]
        f <- stats::glm(y ~ qlogis({model}), family = binomial(), data = tr)
        out <- list()
        for (k in c("training", "external")) {{
          s <- d[d$cohort == k, ]
          q <- stats::predict(f, newdata = s, type = "response")
          j <- stats::glm(s$y ~ qlogis(q), family = binomial())
          a <- stats::glm(s$y ~ 1, offset = qlogis(q), family = binomial())
          out[[k]] <- c(coef(j), as.vector(t(stats::confint.default(j))), coef(a), stats::confint.default(a))
        }}
        out""", d=data)


def test_recalibration_cis_equal_glm_confint_default(r, data, default):
    stats = default.statistics.set_index(["model", "cohort"])
    for model in ("p_a", "p_b"):
        want = _r_recalibration(r, data, model)
        for cohort in ("training", "external"):
            a, b, a_lo, a_hi, b_lo, b_hi, citl, c_lo, c_hi = np.asarray(want[cohort], dtype=float)
            row = stats.loc[(model, cohort)]
            # val.prob's intercept and slope are the same maximum-likelihood fit (lrm.fit vs glm)
            assert (row["intercept"], row["slope"]) == pytest.approx((a, b), abs=1e-6)
            got = [row[c] for c in CI_COLUMNS]
            np.testing.assert_allclose(got, [a_lo, a_hi, b_lo, b_hi, citl, c_lo, c_hi], rtol=1e-7, atol=1e-9)
    # on training the recalibration fits its own data: calibration-in-the-large 0, slope 1
    train = default.statistics[default.statistics["cohort"] == "training"]
    np.testing.assert_allclose(train["citl"], 0, atol=1e-8)
    np.testing.assert_allclose(train["slope"], 1, atol=1e-6)


def test_recalibration_ci_function_and_level(r, data):
    part = data[data.cohort == "external"]
    got = recalibration_ci(part["p_b"], part["y"], conf_level=0.9)
    want = r.evaluate("""
        j <- stats::glm(y ~ qlogis(p), family = binomial())
        a <- stats::glm(y ~ 1, offset = qlogis(p), family = binomial())
        c(as.vector(t(stats::confint.default(j, level = 0.9))), coef(a), stats::confint.default(a, level = 0.9))""",
                      y=part["y"].tolist(), p=part["p_b"].tolist())
    np.testing.assert_allclose([got[c] for c in CI_COLUMNS], np.asarray(want, dtype=float), rtol=1e-9)


def test_hosmer_lemeshow_external_df_is_groups_with_the_option(r, default, external_g):
    old, new = default.statistics, external_g.statistics
    train = new["cohort"] == "training"
    pd.testing.assert_frame_equal(old[train], new[train])  # the development cohort keeps groups - 2
    np.testing.assert_array_equal(old["hl_statistic"], new["hl_statistic"])
    for row in new[~train].itertuples(index=False):
        assert row.hl_df == row.hl_groups
        want = r.evaluate(f"stats::pchisq(stat, {int(row.hl_groups)}, lower.tail = FALSE)",
                          stat=float(row.hl_statistic))
        assert row.hl_p == pytest.approx(float(np.asarray(want).ravel()[0]), rel=1e-12)
    assert (old.loc[~train, "hl_df"] == old.loc[~train, "hl_groups"] - 2).all()
    with pytest.raises(InputError, match="df rule"):
        ep.calibrate(pd.DataFrame(), "y", ["p_a"], hl_external_df="g+1")


def test_numeric_table_adds_columns_at_the_end_and_rules(default, external_g):
    numeric = default.table("calibration_numeric")
    assert list(numeric.columns) == OLD_COLUMNS + list(CI_COLUMNS) + ["hl_df_rule", "hl_grouping_rule"]
    assert set(numeric["hl_df_rule"]) == {"groups - 2"}
    assert numeric["hl_grouping_rule"].str.startswith("10 groups cut at the type-7 quantiles").all()
    rules = external_g.table("calibration_numeric").set_index("cohort")["hl_df_rule"]
    assert set(rules.loc["training"]) == {"groups - 2"} and set(rules.loc["external"]) == {"groups"}
    # the formatted table: same columns; the rules in the note, the default's and the option's (#15)
    tables = {t.name: t for t in default.tables()}
    assert "df = groups - 2 on every cohort" in tables["calibration"].note
    assert "type-7 quantiles" in tables["calibration"].note
    assert list(tables["calibration"].frame.columns) == ["model", "cohort", "n", "events", "intercept", "slope",
                                                        "brier", "hl_statistic", "hl_p"]
    note = {t.name: t for t in external_g.tables()}["calibration"].note
    assert "groups on the other cohorts" in note and "type-7 quantiles" in note
    tidy = default.tidy()
    slope = tidy[(tidy.statistic == "slope") & (tidy.model == "p_a") & (tidy.cohort == "external")].iloc[0]
    row = default.statistics.set_index(["model", "cohort"]).loc[("p_a", "external")]
    assert (slope["ci_low"], slope["ci_high"]) == (row["slope_ci_low"], row["slope_ci_high"])


def test_calibration_command_hl_external_df(data, run_cli, tmp_path):
    csv = tmp_path / "d.csv"
    data.to_csv(csv, index=False)
    out = tmp_path / "cal"
    code, _, err = run_cli("calibration", csv, "--outcome", "y", "--probabilities", "p_a", "--cohort-col", "cohort",
                           "--train-cohort", "training", "--B", 5, "--hl-external-df", "g", "--formats", "csv,md",
                           "--out", out, "--no-figures")
    assert code == 0, err
    numeric = pd.read_csv(out / "calibration_numeric.csv")
    assert list(numeric["hl_df_rule"]) == ["groups - 2", "groups"]
    assert "groups on the other cohorts" in (out / "calibration.md").read_text(encoding="utf-8")


def test_optimism_auc_equals_rms_validate_of_the_recalibration(r, data):
    train = data[data.cohort == "training"].reset_index(drop=True)
    got = optimism_auc(train, "y", "p_a", B=25, seed=11)
    want = r.evaluate(f"""
        d <- data.frame(y = y, x = qlogis(p))
        f <- rms::lrm(y ~ x, data = d, x = TRUE, y = TRUE)
        set.seed(11, {SEED_KINDS})
        v <- rms::validate(f, B = 25)
        c(v["Dxy", "index.orig"], v["Dxy", "index.corrected"], v["Dxy", "optimism"]) / c(2, 2, 2) + c(0.5, 0.5, 0)""",
                      y=train["y"].tolist(), p=train["p_a"].tolist())
    np.testing.assert_allclose([got["apparent"], got["corrected"], got["optimism"]], np.asarray(want, dtype=float),
                               rtol=1e-12, atol=1e-14)
