"""The intervals and counts of ep.discrimination (#15): the 2x2 counts at the training cut-off (counted here),
Clopper-Pearson and Wilson CIs of sensitivity, specificity, PPV, NPV and accuracy against stats::binom.test and
stats::prop.test called directly, pROC's bootstrap ci.coords with the same seed and B, the paired AUC difference
with its CI and the between-cohort df against pROC::roc.test, pROC's direction warning as a column."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import eprstats as ep
from eprstats.errors import InputError
from tests.evaluation.asah import load_asah

SCORES = ["s100b", "ndka", "wfns"]
PROPORTIONS = ("sensitivity", "specificity", "ppv", "npv", "accuracy")


@pytest.fixture(scope="module")
def asah(r):
    """pROC's aSAH data (113 patients), outcome Poor = 1, two cohorts by row parity."""
    return load_asah(r)


@pytest.fixture(scope="module")
def res(asah):
    return ep.discrimination(asah, "y", SCORES, cohort_col="cohort", train_cohort="training")


def _counts(asah, row) -> dict:
    """TP, FP, TN, FN counted here: direction '<' positive when score >= cut-off, '>' when score <= cut-off."""
    part = asah[asah["cohort"] == row["cohort"]]
    score, y = part[row["model"]].to_numpy(float), part["y"].to_numpy()
    pos = score >= row["cutoff"] if row["direction"] == "<" else score <= row["cutoff"]
    return {"tp": int(np.sum(pos & (y == 1))), "fp": int(np.sum(pos & (y == 0))),
            "tn": int(np.sum(~pos & (y == 0))), "fn": int(np.sum(~pos & (y == 1)))}


def _fractions(c: dict) -> dict:
    return {"sensitivity": (c["tp"], c["tp"] + c["fn"]), "specificity": (c["tn"], c["tn"] + c["fp"]),
            "ppv": (c["tp"], c["tp"] + c["fp"]), "npv": (c["tn"], c["tn"] + c["fn"]),
            "accuracy": (c["tp"] + c["tn"], sum(c.values()))}


def test_counts_at_the_training_cutoff_equal_counts_made_here(asah, res):
    acc = res.accuracy
    assert len(acc) == len(res.roc) == 6
    assert (acc["ci_method"] == "clopper-pearson").all()
    for row in acc.to_dict("records"):
        want = _counts(asah, row)
        assert {k: row[k] for k in want} == want, (row["model"], row["cohort"])
        assert sum(want.values()) == row["n"] and want["tp"] + want["fn"] == row["events"]
        for stat, (x, n) in _fractions(want).items():
            assert row[stat] == pytest.approx(x / n, rel=1e-15)
    # the cut-off and the point estimates are those of roc.csv
    merged = acc.merge(res.roc, on=["model", "cohort"], suffixes=("", "_roc"))
    for col in ("cutoff", *PROPORTIONS):
        assert (merged[col] == merged[f"{col}_roc"]).all(), col


def test_clopper_pearson_intervals_equal_binom_test(r, asah, res):
    for row in res.accuracy.to_dict("records"):
        for stat, (x, n) in _fractions(_counts(asah, row)).items():
            want = r.evaluate("as.numeric(binom.test(x, n)$conf.int)", x=x, n=n)
            np.testing.assert_allclose([row[f"{stat}_ci_low"], row[f"{stat}_ci_high"]], want, rtol=1e-12,
                                       err_msg=f"{row['model']} {row['cohort']} {stat}")
    assert "Clopper-Pearson" in res.settings["accuracy_ci"] and "seed" not in res.settings


def test_wilson_intervals_equal_prop_test_without_correction_at_the_level_asked(r, asah):
    got = ep.discrimination(asah, "y", SCORES, cohort_col="cohort", train_cohort="training", ci_method="wilson",
                            conf_level=0.9)
    assert (got.accuracy["ci_method"] == "wilson").all()
    for row in got.accuracy.to_dict("records"):
        for stat, (x, n) in _fractions(_counts(asah, row)).items():
            want = r.evaluate("as.numeric(suppressWarnings(prop.test(x, n, correct = FALSE, "
                              "conf.level = 0.9))$conf.int)", x=x, n=n)
            np.testing.assert_allclose([row[f"{stat}_ci_low"], row[f"{stat}_ci_high"]], want, rtol=1e-12)
    # Wilson's interval, by its formula, as a second oracle for one cell
    row = got.accuracy.iloc[0]
    x, n = _fractions(_counts(asah, row))["sensitivity"]
    z, p = stats.norm.ppf(0.95), x / n
    centre, half = p + z**2 / (2 * n), z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    np.testing.assert_allclose([row["sensitivity_ci_low"], row["sensitivity_ci_high"]],
                               [(centre - half) / (1 + z**2 / n), (centre + half) / (1 + z**2 / n)], rtol=1e-10)
    assert "90% CI" in " ".join(got.diagnostic_accuracy().columns)


def test_bootstrap_intervals_equal_pROC_ci_coords_with_the_same_seed_and_B(r, asah):
    got = ep.discrimination(asah, "y", ["s100b", "ndka"], cohort_col="cohort", train_cohort="training",
                            ci_method="bootstrap", boot_n=200, seed=42)
    assert (got.settings["bootstrap_ci_n"], got.settings["seed"]) == (200, 42)
    code = ("r <- pROC::roc(o, s, levels = c('Good', 'Poor'), direction = d, quiet = TRUE); "
            "set.seed(seed); ci <- pROC::ci.coords(r, x = cut, input = 'threshold', "
            "ret = c('sensitivity', 'specificity', 'ppv', 'npv', 'accuracy'), boot.n = 200, progress = 'none'); "
            "c(sapply(ci, function(m) m[1, 1]), sapply(ci, function(m) m[1, 3]))")
    for row in got.accuracy.to_dict("records"):
        part = asah[asah["cohort"] == row["cohort"]]
        args = dict(o=part["outcome"].astype(str).tolist(), s=part[row["model"]], d=row["direction"],
                    cut=row["cutoff"])
        want = np.asarray(list(r.evaluate(code, seed=42, **args).values()), dtype=float)
        have = [row[f"{s}_ci_low"] for s in PROPORTIONS] + [row[f"{s}_ci_high"] for s in PROPORTIONS]
        np.testing.assert_allclose(have, want, rtol=1e-12, err_msg=f"{row['model']} {row['cohort']}")
        other = np.asarray(list(r.evaluate(code, seed=43, **args).values()), dtype=float)
        assert not np.allclose(have, other)  # the seed matters: this test could fail
        assert {k: row[k] for k in ("tp", "fp", "tn", "fn")} == _counts(asah, row)
    assert "B = 200" in got.tables()[3].note and "seed 42" in got.tables()[3].note


def test_paired_difference_with_its_ci_equals_pROC_roc_test(r, asah, res):
    for t in res.paired.itertuples(index=False):
        part = asah[asah["cohort"] == t.cohort]
        want = r.evaluate("t <- pROC::roc.test(pROC::roc(o, a, quiet = TRUE), pROC::roc(o, b, quiet = TRUE), "
                          "method = 'delong', paired = TRUE); c(unname(diff(rev(t$estimate))), t$conf.int)",
                          o=part["outcome"].astype(str).tolist(), a=part[t.model_1], b=part[t.model_2])
        np.testing.assert_allclose([t.auc_diff, t.diff_ci_low, t.diff_ci_high], want, rtol=1e-10, atol=1e-15)
        assert t.auc_diff == pytest.approx(t.auc_1 - t.auc_2, abs=1e-15)
        # z is the difference over its SD: the 95% CI's half-width is 1.96 SD
        sd = (t.diff_ci_high - t.diff_ci_low) / (2 * stats.norm.ppf(0.975))
        assert t.z == pytest.approx(t.auc_diff / sd, rel=1e-9)
        assert t.p == pytest.approx(2 * stats.norm.sf(abs(t.z)), rel=1e-9)
        assert t.warning == ""


def test_between_cohort_df_equals_pROC_and_gives_p_from_t(r, asah, res):
    train, val = asah[asah["cohort"] == "training"], asah[asah["cohort"] == "validation"]
    for t in res.between_cohorts.itertuples(index=False):
        want = r.evaluate(
            "r1 <- pROC::roc(o1, s1, quiet = TRUE); r2 <- pROC::roc(o2, s2, direction = r1$direction, quiet = TRUE); "
            "t <- pROC::roc.test(r1, r2, method = 'delong', paired = FALSE); unname(t$parameter)",
            o1=train["outcome"].astype(str).tolist(), s1=train[t.model],
            o2=val["outcome"].astype(str).tolist(), s2=val[t.model])
        assert t.df == pytest.approx(want, rel=1e-12) and t.distribution == "t"
        assert t.p == pytest.approx(2 * stats.t.sf(abs(t.z), t.df), rel=1e-9)  # a reader can check P
        assert t.p != pytest.approx(2 * stats.norm.sf(abs(t.z)), rel=1e-6)     # and it is not the normal's
    tidy = res.tidy()
    df = tidy[(tidy["table"] == "delong_between_cohorts") & (tidy["statistic"] == "df")]
    assert list(df["value"]) == list(res.between_cohorts["df"])


def test_different_directions_warning_is_a_column_of_the_pairs_it_concerns(r, asah):
    pairs = r"s100b vs ndka \(training\); ndka vs wfns \(training\); s100b vs ndka \(validation\)"
    with pytest.warns(UserWarning, match=pairs):
        got = ep.discrimination(asah, "y", ["s100b", "ndka", "wfns"], cohort_col="cohort", train_cohort="training",
                                directions={"s100b": "<", "ndka": ">", "wfns": "<"})
    part = asah[asah["cohort"] == "training"]
    message = r.evaluate(
        "tryCatch({pROC::roc.test(pROC::roc(o, a, direction = '<', quiet = TRUE), pROC::roc(o, b, direction = '>', "
        "quiet = TRUE), method = 'delong', paired = TRUE); ''}, warning = function(w) conditionMessage(w))",
        o=part["outcome"].astype(str).tolist(), a=part["s100b"], b=part["ndka"])
    assert "different direction" in message
    for t in got.paired.itertuples(index=False):
        concerned = "ndka" in (t.model_1, t.model_2)
        assert t.warning == (message if concerned else ""), (t.model_1, t.model_2, t.cohort)
    assert (got.between_cohorts["warning"] == "").all()
    full = got.table("delong_paired_full")
    assert list(full["pROC warning"] != "") == [("ndka" in (a, b)) for a, b in zip(full["model_1"], full["model_2"])]
    assert "pROC warning" not in got.table("delong_paired").columns


def test_formatted_tables_tidy_rows_and_the_paper_layout_kept(res):
    acc, table = res.accuracy, res.diagnostic_accuracy()
    first = acc.iloc[0]
    assert table.loc[0, "Sensitivity (95% CI)"] == (f"{first['sensitivity']:.3f} ({first['sensitivity_ci_low']:.3f}-"
                                                    f"{first['sensitivity_ci_high']:.3f})")
    assert table.loc[0, "TP"] == first["tp"] and list(table.columns[:7]) == ["Model", "Cohort", "Cut-off", "TP", "FP",
                                                                              "TN", "FN"]
    note = next(t for t in res.tables() if t.name == "diagnostic_accuracy").note
    assert "Clopper-Pearson (stats::binom.test), the default" in note
    # the DeLong tables of the paper's layout keep their seven columns; the new ones are in *_full
    assert list(res.table("delong_paired").columns) == ["model_1", "model_2", "cohort", "auc_1", "auc_2", "z", "p"]
    assert list(res.table("delong_between_cohorts").columns) == ["model", "cohort_1", "cohort_2", "auc_1", "auc_2",
                                                                 "z", "p"]
    assert list(res.table("delong_between_cohorts_full").columns) == ["model", "cohort_1", "cohort_2", "auc_1",
                                                                      "auc_2", "t", "df", "p"]
    diff = res.table("delong_paired_full")["difference (95% CI)"].iloc[0]
    p0 = res.paired.iloc[0]
    assert diff == f"{p0['auc_diff']:.3f} ({p0['diff_ci_low']:.3f} to {p0['diff_ci_high']:.3f})"
    tidy = res.tidy()
    rows = tidy[tidy["table"] == "diagnostic_accuracy"]
    assert len(rows) == 9 * len(acc)
    npv = rows[(rows["statistic"] == "npv") & (rows["model"] == "wfns") & (rows["cohort"] == "validation")].iloc[0]
    want = acc.set_index(["model", "cohort"]).loc[("wfns", "validation")]
    assert (npv["value"], npv["ci_low"], npv["ci_high"]) == (want["npv"], want["npv_ci_low"], want["npv_ci_high"])
    d = tidy[(tidy["table"] == "delong_paired") & (tidy["statistic"] == "auc_diff")]
    assert len(d) == len(res.paired) and d["ci_low"].notna().all()


def test_nobody_called_positive_gives_no_ppv_and_no_interval(r):
    # Worked by hand: training cut-off 2.5 (direction '<'); in validation every score is below it, so TP = FP = 0:
    # PPV = 0/0 has no value and no interval; NPV = 3/6 with binom.test's interval.
    data = pd.DataFrame({"y": [0, 0, 1, 1, 0, 0, 0, 1, 1, 1],
                         "s": [1.0, 2.0, 3.0, 4.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
                         "cohort": ["t"] * 4 + ["v"] * 6})
    got = ep.discrimination(data, "y", ["s"], cohort_col="cohort", train_cohort="t")
    v = got.accuracy.set_index("cohort").loc["v"]
    assert (v["cutoff"], v["tp"], v["fp"], v["tn"], v["fn"]) == (2.5, 0, 0, 3, 3)
    assert np.isnan(v["ppv"]) and np.isnan(v["ppv_ci_low"]) and np.isnan(v["ppv_ci_high"])
    np.testing.assert_allclose([v["npv_ci_low"], v["npv_ci_high"]],
                               r.evaluate("as.numeric(binom.test(3, 6)$conf.int)"), rtol=1e-12)
    assert got.diagnostic_accuracy().set_index("Cohort").loc["v", "PPV (95% CI)"] == "NA"


def test_bad_ci_options_are_refused(asah):
    with pytest.raises(InputError, match="unknown CI method 'exact'"):
        ep.discrimination(asah, "y", ["s100b"], ci_method="exact")
    with pytest.raises(InputError, match="at least 2"):
        ep.discrimination(asah, "y", ["s100b"], ci_method="bootstrap", boot_n=1)


def test_roc_command_ci_options_and_provenance(asah, run_cli, tmp_path):
    csv = tmp_path / "scores.csv"
    asah[["cohort", "y", *SCORES]].to_csv(csv, index=False)
    base = ["roc", csv, "--outcome", "y", "--scores", "s100b,ndka", "--cohort-col", "cohort", "--train-cohort",
            "training", "--no-figures"]
    code, _, err = run_cli(*base, "--out", tmp_path / "w", "--ci-method", "wilson")
    assert code == 0, err
    assert set(pd.read_csv(tmp_path / "w" / "diagnostic_accuracy_numeric.csv")["ci_method"]) == {"wilson"}
    code, _, err = run_cli(*base, "--out", tmp_path / "b", "--bootstrap-ci", "50", "--seed", "7", "--formats", "md")
    assert code == 0, err
    text = json.dumps(json.loads((tmp_path / "b" / "roc.provenance.json").read_text(encoding="utf-8")))
    assert '"bootstrap_ci_n": 50' in text and '"seed": 7' in text and '"accuracy_ci_method": "bootstrap"' in text
    note = (tmp_path / "b" / "diagnostic_accuracy.md").read_text(encoding="utf-8")
    assert "pROC::ci.coords" in note and "B = 50" in note and "seed 7" in note
    code, _, err = run_cli(*base, "--out", tmp_path / "x", "--ci-method", "wilson", "--bootstrap-ci", "50")
    assert code == 2 and "--bootstrap-ci" in err and "Traceback" not in err
