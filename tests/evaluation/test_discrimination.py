"""Discrimination (Table 2, DeLong) against pROC called directly in R on pROC's own aSAH data, against
pROC's documented aSAH example, against confusion tables counted here, and against the published Table 2."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.evaluation import discrimination as disc
from tests.evaluation.asah import load_asah

SCORES = ["s100b", "ndka", "wfns"]


@pytest.fixture(scope="module")
def asah(r):
    """pROC's aSAH data (113 patients), outcome Poor = 1, split into two cohorts by row parity."""
    return load_asah(r)


@pytest.fixture(scope="module")
def roc(asah):
    return disc.roc_table(asah, "y", SCORES, "cohort", "training")


def _proc_direction(r, y, s):
    return r.evaluate('pROC::roc(y, s, levels = c(0, 1), quiet = TRUE)$direction', y=y, s=s)


def test_whole_aSAH_matches_pROC_documented_example(r, asah):
    # pROC's own example: roc(aSAH$outcome, aSAH$s100b) -> AUC 0.7314, 95% CI 0.6301-0.8326 (DeLong),
    # Youden threshold 0.205 (sensitivity 0.6341, specificity 0.8056).
    table = disc.roc_table(asah, "y", ["s100b"])
    row = table.iloc[0]
    assert row["auc"] == pytest.approx(0.7314, abs=5e-5)
    assert row["auc_ci_low"] == pytest.approx(0.6301, abs=5e-5)
    assert row["auc_ci_high"] == pytest.approx(0.8326, abs=5e-5)
    assert row["cutoff"] == pytest.approx(0.205)
    assert row["sensitivity"] == pytest.approx(0.6341, abs=5e-5)
    assert row["specificity"] == pytest.approx(0.8056, abs=5e-5)
    assert (row["n"], row["events"]) == (113, 41)


def test_auc_and_delong_ci_equal_pROC_called_directly(r, asah, roc):
    train = asah[asah["cohort"] == "training"]
    for score in SCORES:
        # pROC picks the direction on training; it is then given explicitly for the other cohort.
        direction = r.evaluate("pROC::roc(outcome, s, quiet = TRUE)$direction",
                               outcome=train["outcome"].astype(str).tolist(), s=train[score])
        for cohort in ("training", "validation"):
            part = asah[asah["cohort"] == cohort]
            want = r.evaluate("as.numeric(pROC::ci.auc(pROC::roc(outcome, s, levels = c('Good', 'Poor'), "
                              "direction = d, quiet = TRUE), method = 'delong'))",
                              outcome=part["outcome"].astype(str).tolist(), s=part[score], d=direction)
            got = roc[(roc["model"] == score) & (roc["cohort"] == cohort)].iloc[0]
            np.testing.assert_allclose([got["auc_ci_low"], got["auc"], got["auc_ci_high"]], want, rtol=1e-12)
            assert got["direction"] == direction


def test_youden_cutoff_equals_pROC_coords(r, asah, roc):
    train = asah[asah["cohort"] == "training"]
    for score in SCORES:
        want = r.evaluate("pROC::coords(pROC::roc(outcome, s, quiet = TRUE), 'best', best.method = 'youden', "
                          "ret = c('threshold', 'sensitivity', 'specificity'), transpose = FALSE)[1, ]",
                          outcome=train["outcome"].astype(str).tolist(), s=train[score])
        got = roc[(roc["model"] == score) & (roc["cohort"] == "training")].iloc[0]
        assert got["cutoff"] == pytest.approx(float(want["threshold"].iloc[0]), rel=1e-12)
        assert got["sensitivity"] == pytest.approx(float(want["sensitivity"].iloc[0]), rel=1e-12)
        assert got["specificity"] == pytest.approx(float(want["specificity"].iloc[0]), rel=1e-12)
        standalone = disc.youden_cutoff(train["y"], train[score])
        assert standalone["threshold"] == pytest.approx(got["cutoff"])


def test_youden_ties_keep_the_highest_sensitivity():
    # Worked by hand: y = 0,1,0,1 at scores 1..4. J = 0.5 at both 1.5 (sens 1, spec 0.5) and 3.5 (0.5, 1).
    y, s = [0, 1, 0, 1], np.array([1.0, 2.0, 3.0, 4.0])
    got = disc.youden_cutoff(y, s)
    assert (got["threshold"], got["sensitivity"], got["specificity"], got["n_ties"]) == (1.5, 1.0, 0.5, 2)
    flipped = disc.youden_cutoff(y, -s)  # direction ">": the same patients, the same choice
    assert (flipped["direction"], flipped["threshold"], flipped["sensitivity"]) == (">", -1.5, 1.0)
    data = pd.DataFrame({"y": y, "s": s})
    with pytest.warns(UserWarning, match="2 thresholds tie"):
        assert disc.roc_table(data, "y", ["s"])["cutoff"].iloc[0] == 1.5


def test_performance_at_training_cutoff_equals_confusion_counts(asah, roc):
    # The training cut-off is applied unchanged; with direction "<" a patient is positive when score >= cut-off.
    for row in roc.itertuples(index=False):
        part = asah[asah["cohort"] == row.cohort]
        score, y = part[row.model].to_numpy(float), part["y"].to_numpy()
        positive = score >= row.cutoff if row.direction == "<" else score <= row.cutoff
        tp = int(np.sum(positive & (y == 1)))
        fp = int(np.sum(positive & (y == 0)))
        tn = int(np.sum(~positive & (y == 0)))
        fn = int(np.sum(~positive & (y == 1)))
        assert row.sensitivity == pytest.approx(tp / (tp + fn))
        assert row.specificity == pytest.approx(tn / (tn + fp))
        assert row.ppv == pytest.approx(tp / (tp + fp))
        assert row.npv == pytest.approx(tn / (tn + fn))
        assert row.accuracy == pytest.approx((tp + tn) / len(y))
    cutoffs = roc.groupby("model")["cutoff"].nunique()
    assert (cutoffs == 1).all()  # one cut-off per model, the training one


def test_paired_delong_equals_pROC_roc_test(r, asah):
    got = disc.delong_paired(asah, "y", SCORES, "cohort", "training")
    assert len(got) == 3 * 2
    for row in got.itertuples(index=False):
        part = asah[asah["cohort"] == row.cohort]
        want = r.evaluate(
            "t <- pROC::roc.test(pROC::roc(outcome, a, quiet = TRUE), pROC::roc(outcome, b, quiet = TRUE), "
            "method = 'delong', paired = TRUE); c(unname(t$statistic), t$p.value, unname(t$estimate))",
            outcome=part["outcome"].astype(str).tolist(), a=part[row.model_1], b=part[row.model_2])
        np.testing.assert_allclose([row.z, row.p, row.auc_1, row.auc_2], want, rtol=1e-10)


def test_unpaired_delong_between_cohorts_equals_pROC_roc_test(r, asah):
    got = disc.delong_between_cohorts(asah, "y", SCORES, "cohort", "training")
    train, val = asah[asah["cohort"] == "training"], asah[asah["cohort"] == "validation"]
    for row in got.itertuples(index=False):
        assert (row.cohort_1, row.cohort_2) == ("training", "validation")
        want = r.evaluate(
            "r1 <- pROC::roc(o1, s1, quiet = TRUE); r2 <- pROC::roc(o2, s2, direction = r1$direction, "
            "quiet = TRUE); t <- pROC::roc.test(r1, r2, method = 'delong', paired = FALSE); "
            "c(unname(t$statistic), t$p.value)",
            o1=train["outcome"].astype(str).tolist(), s1=train[row.model],
            o2=val["outcome"].astype(str).tolist(), s2=val[row.model])
        np.testing.assert_allclose([row.z, row.p], want, rtol=1e-10)


def test_direction_is_fixed_from_training_never_rechosen(r):
    # Cases score higher in training but LOWER in validation: pROC's "auto" would flip the validation ROC
    # and report an AUC above 0.5. The training direction must be kept, giving AUC < 0.5.
    rng = np.random.default_rng(3)
    y_t = np.repeat([0, 1], 30)
    y_v = np.repeat([0, 1], 25)
    data = pd.DataFrame({"y": np.r_[y_t, y_v],
                         "score": np.r_[rng.normal(y_t * 1.5), rng.normal(-y_v * 1.5)],
                         "cohort": ["train"] * 60 + ["valid"] * 50})
    roc = disc.roc_table(data, "y", ["score"], "cohort", "train")
    val = roc[roc["cohort"] == "valid"].iloc[0]
    val_rows = data[data["cohort"] == "valid"]
    assert _proc_direction(r, val_rows["y"], val_rows["score"]) == ">"  # what "auto" would have chosen
    assert set(roc["direction"]) == {"<"}
    want = r.evaluate("as.numeric(pROC::auc(pROC::roc(y, s, levels = c(0, 1), direction = '<', quiet = TRUE)))",
                      y=val_rows["y"], s=val_rows["score"])
    assert val["auc"] == pytest.approx(want) and val["auc"] < 0.5
    between = disc.delong_between_cohorts(data, "y", ["score"], "cohort", "train")
    assert between["auc_2"].iloc[0] == pytest.approx(want)
    data["other"] = data["score"] + rng.normal(scale=2.0, size=len(data))  # same direction in training
    paired = disc.delong_paired(data, "y", ["score", "other"], "cohort", "train")
    assert paired.set_index("cohort").loc["valid", "auc_1"] == pytest.approx(want)


def test_table2_layout_from_published_values(published):
    pub = pd.read_csv(published / "published_table2.csv")
    table = disc.table2(pub)
    assert list(table["Model"]) == list(dict.fromkeys(pub["model"]))
    assert list(table.columns) == ["Model", "training AUC (95% CI)", "training Sensitivity", "training Specificity",
                                   "external AUC (95% CI)", "external Sensitivity", "external Specificity"]
    ap = table.set_index("Model").loc["AP"]
    assert ap["training AUC (95% CI)"] == "0.724 (0.625-0.823)"
    assert ap["external Sensitivity"] == "0.700"
    assert table.set_index("Model").loc["PVP_DLRRN", "external AUC (95% CI)"] == "0.770 (0.623-0.916)"


# --- bad input -------------------------------------------------------------------------------------

def test_single_class_cohort_names_the_cohort(asah):
    data = asah.copy()
    data.loc[data["cohort"] == "validation", "y"] = 0
    with pytest.raises(InputError, match="no events") as err:
        disc.roc_table(data, "y", ["s100b"], "cohort", "training")
    assert err.value.cohort == "validation"


def test_nan_and_infinite_scores_name_model_cohort_and_count(asah):
    data = asah.copy()
    idx = data.index[data["cohort"] == "validation"][:3]
    data.loc[idx[:2], "ndka"] = np.nan
    data.loc[idx[2], "ndka"] = np.inf
    with pytest.raises(InputError, match=r"2 missing \(NaN\) and 1 infinite") as err:
        disc.roc_table(data, "y", ["s100b", "ndka"], "cohort", "training")
    assert (err.value.model, err.value.cohort) == ("ndka", "validation")


def test_constant_training_score_is_named(asah):
    data = asah.copy()
    data.loc[data["cohort"] == "training", "ndka"] = 1.0
    with pytest.raises(InputError, match="constant") as err:
        disc.roc_table(data, "y", ["s100b", "ndka"], "cohort", "training")
    assert (err.value.model, err.value.cohort) == ("ndka", "training")


def test_missing_score_column_and_bad_outcome(asah):
    with pytest.raises(InputError, match="not found") as err:
        disc.roc_table(asah, "y", ["s100b", "S100B_typo"], "cohort", "training")
    assert err.value.model == "S100B_typo"
    with pytest.raises(InputError, match="coded 0"):
        disc.roc_table(asah, "outcome", ["s100b"], "cohort", "training")
    with pytest.raises(InputError, match="training cohort 'train' not found"):
        disc.roc_table(asah, "y", ["s100b"], "cohort", "train")
    data = asah.copy()
    data.loc[3, "y"] = np.nan
    with pytest.raises(InputError, match="1 missing value") as err:
        disc.roc_table(data, "y", ["s100b"], "cohort", "training")
    assert (err.value.column, err.value.cohort) == ("y", "validation")


# --- command line --------------------------------------------------------------------------------

def test_roc_cli_writes_tables_figures_and_is_reproducible(asah, roc, run_cli, tmp_path):
    csv = tmp_path / "scores.csv"
    asah[["cohort", "y", *SCORES]].to_csv(csv, index=False)
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        code, _, err = run_cli("roc", csv, "--outcome", "y", "--scores", ",".join(SCORES), "--cohort-col", "cohort",
                               "--train-cohort", "training", "--out", out, "--formats", "md,docx",
                               *(["--no-figures"] if run == "b" else []))
        assert code == 0, err
        outs.append(out)
    a = outs[0]
    written = pd.read_csv(a / "roc.csv")
    np.testing.assert_allclose(written["auc"], roc["auc"], rtol=1e-12)
    t2 = pd.read_csv(a / "table2.csv", dtype=str)
    assert t2.loc[0, "training AUC (95% CI)"] == disc.format_auc(*roc.iloc[0][["auc", "auc_ci_low", "auc_ci_high"]])
    for name in ("roc.csv", "table2.csv", "table2.md", "table2.docx", "delong_paired_numeric.csv",
                 "delong_paired.csv", "delong_paired.md", "delong_between_cohorts_numeric.csv",
                 "delong_between_cohorts.csv"):
        assert (a / name).read_bytes() == (outs[1] / name).read_bytes(), name
    for name in ("figure5a_roc_training", "figure5b_roc_validation", "distribution_box", "waterfall_s100b"):
        for ext in ("png", "pdf"):
            assert (a / "figures" / f"{name}.{ext}").stat().st_size > 1000
    assert not (outs[1] / "figures").exists()  # --no-figures
    assert (a / "roc.provenance.json").is_file()


def test_roc_cli_bad_input_is_one_paragraph_exit_2(asah, run_cli, tmp_path):
    csv = tmp_path / "scores.csv"
    data = asah[["cohort", "y", "s100b"]].copy()
    data.loc[5, "s100b"] = np.nan
    data.to_csv(csv, index=False)
    code, _, err = run_cli("roc", csv, "--outcome", "y", "--scores", "s100b", "--cohort-col", "cohort",
                           "--train-cohort", "training", "--out", tmp_path / "o")
    assert code == 2
    assert "Traceback" not in err and "model 's100b'" in err and "1 missing" in err
