"""ep.discrimination (the Discrimination result) against pROC called directly in R on pROC's own aSAH data; its
tidy numbers; the ``roc`` command and the study's ``table2`` stage writing the same files with the same bytes;
a failed rerun leaving the previous output untouched."""
from __future__ import annotations

import types

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.results import TIDY_COLUMNS
from tests.evaluation.asah import load_asah

SCORES = ["s100b", "ndka", "wfns"]


@pytest.fixture(scope="module")
def asah(r):
    """pROC's aSAH data (113 patients), outcome Poor = 1, two cohorts by row parity."""
    return load_asah(r)


@pytest.fixture(scope="module")
def res(asah):
    return ep.discrimination(asah, "y", SCORES, cohort_col="cohort", train_cohort="training",
                             cohort_labels={"validation": "Validation"})


def _proc(r, code: str, part: pd.DataFrame, **scores):
    return r.evaluate(code, outcome=part["outcome"].astype(str).tolist(), **scores)


def test_auc_ci_and_directions_equal_pROC(r, asah, res):
    train = asah[asah["cohort"] == "training"]
    for score in SCORES:
        direction = _proc(r, "pROC::roc(outcome, s, quiet = TRUE)$direction", train, s=train[score])
        for cohort in ("training", "validation"):
            part = asah[asah["cohort"] == cohort]
            want = r.evaluate("as.numeric(pROC::ci.auc(pROC::roc(outcome, s, levels = c('Good', 'Poor'), "
                              "direction = d, quiet = TRUE), method = 'delong'))",
                              outcome=part["outcome"].astype(str).tolist(), s=part[score], d=direction)
            got = res.roc[(res.roc["model"] == score) & (res.roc["cohort"] == cohort)].iloc[0]
            np.testing.assert_allclose([got["auc_ci_low"], got["auc"], got["auc_ci_high"]], want, rtol=1e-12)
            assert got["direction"] == direction
        assert res.settings["directions"][score] == direction


def test_paired_and_between_cohort_tests_equal_pROC_roc_test(r, asah, res):
    assert len(res.paired) == 3 * 2 and len(res.between_cohorts) == 3
    for t in res.paired.itertuples(index=False):
        part = asah[asah["cohort"] == t.cohort]
        want = _proc(r, "t <- pROC::roc.test(pROC::roc(outcome, a, quiet = TRUE), pROC::roc(outcome, b, quiet = TRUE), "
                        "method = 'delong', paired = TRUE); c(unname(t$statistic), t$p.value)",
                     part, a=part[t.model_1], b=part[t.model_2])
        np.testing.assert_allclose([t.z, t.p], want, rtol=1e-10)
    train, val = asah[asah["cohort"] == "training"], asah[asah["cohort"] == "validation"]
    for t in res.between_cohorts.itertuples(index=False):
        want = r.evaluate(
            "r1 <- pROC::roc(o1, s1, quiet = TRUE); r2 <- pROC::roc(o2, s2, direction = r1$direction, "
            "quiet = TRUE); t <- pROC::roc.test(r1, r2, method = 'delong', paired = FALSE); "
            "c(unname(t$statistic), t$p.value)",
            o1=train["outcome"].astype(str).tolist(), s1=train[t.model],
            o2=val["outcome"].astype(str).tolist(), s2=val[t.model])
        np.testing.assert_allclose([t.z, t.p], want, rtol=1e-10)


def test_given_directions_are_used_not_rechosen(r, asah):
    got = ep.discrimination(asah, "y", ["s100b"], cohort_col="cohort", train_cohort="training",
                            directions={"s100b": ">"})
    for cohort in ("training", "validation"):
        part = asah[asah["cohort"] == cohort]
        want = r.evaluate("as.numeric(pROC::auc(pROC::roc(y, s, levels = c(0, 1), direction = '>', quiet = TRUE)))",
                          y=part["y"], s=part["s100b"])
        assert got.roc.set_index("cohort").loc[cohort, "auc"] == pytest.approx(want, rel=1e-12)
    assert got.roc.set_index("cohort").loc["training", "auc"] < 0.5
    assert got.paired.empty and len(got.between_cohorts) == 1  # one model: no paired test
    with pytest.raises(InputError, match="'<' or '>'"):
        ep.discrimination(asah, "y", ["s100b"], directions={"s100b": "auto"})


def test_table2_accessor_and_tables(res):
    t2 = res.table2()
    assert list(t2["Model"]) == SCORES
    assert "Validation AUC (95% CI)" in t2.columns and "training Sensitivity" in t2.columns
    row = res.roc[(res.roc["model"] == "ndka") & (res.roc["cohort"] == "validation")].iloc[0]
    assert t2.set_index("Model").loc["ndka", "Validation AUC (95% CI)"] == (
        f"{row['auc']:.3f} ({row['auc_ci_low']:.3f}-{row['auc_ci_high']:.3f})")
    names = [t.name for t in res.tables()]
    assert names == ["roc", "table2", "diagnostic_accuracy_numeric", "diagnostic_accuracy", "delong_paired_numeric",
                     "delong_paired", "delong_paired_full", "delong_between_cohorts_numeric", "delong_between_cohorts",
                     "delong_between_cohorts_full"]
    assert res.table("delong_paired")["p"].str.fullmatch(r"<0\.001|\d\.\d{3}").all()
    assert set(res.curves["cohort"]) == {"training", "validation"} and set(res.curves["model"]) == set(SCORES)


def test_tidy_lists_every_number_once(res):
    tidy = res.tidy()
    assert tuple(tidy.columns) == TIDY_COLUMNS
    # per model and cohort: AUC (with CI), sensitivity, specificity, cut-off, PPV, NPV, accuracy (7), and TP, FP,
    # TN, FN and the five proportions with CIs (9); per test z and P, and the paired test's AUC difference or the
    # between-cohort test's df
    assert len(res.accuracy) == len(res.roc)
    assert len(tidy) == (7 + 9) * len(res.roc) + 3 * len(res.paired) + 3 * len(res.between_cohorts)
    assert not tidy.duplicated(["table", "row", "column", "cohort", "statistic"]).any()
    auc = tidy[(tidy["statistic"] == "auc") & (tidy["model"] == "wfns") & (tidy["cohort"] == "validation")].iloc[0]
    roc = res.roc.set_index(["model", "cohort"]).loc[("wfns", "validation")]
    assert (auc["value"], auc["ci_low"], auc["ci_high"]) == (roc["auc"], roc["auc_ci_low"], roc["auc_ci_high"])
    assert (auc["n"], auc["events"]) == (roc["n"], roc["events"]) and auc["column"] == "Validation AUC (95% CI)"
    p = tidy[(tidy["table"] == "delong_between_cohorts") & (tidy["statistic"] == "p") & (tidy["model"] == "ndka")]
    assert p["value"].iloc[0] == res.between_cohorts.set_index("model").loc["ndka", "p"]
    assert p["n"].iloc[0] == 113 and p["events"].iloc[0] == 41  # both cohorts together
    assert tidy["value"].notna().all()


def test_cohort_column_needs_the_training_cohort(asah):
    with pytest.raises(InputError, match="training cohort is not named"):
        ep.discrimination(asah, "y", SCORES, cohort_col="cohort")


# --- the command and the study stage -------------------------------------------------------------

class _Settings(dict):
    """The study settings the table2 stage reads (by attribute, or by key)."""
    __getattr__ = dict.__getitem__


def _study_scores(asah) -> pd.DataFrame:
    # ids as the study writes them: text, leading zeros kept
    data = asah[["cohort", "y", *SCORES]].rename(columns={"y": "outcome"})
    data["cohort"] = data["cohort"].replace({"validation": "external"})
    data.insert(0, "id", [f"{i:05d}" for i in range(1, len(data) + 1)])
    return data


def _files(folder, skip=()):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and p.name not in skip}


def test_roc_command_and_study_stage_write_the_same_files(asah, run_cli, tmp_path):
    from eprstats.study import stages

    scores = _study_scores(asah)
    specs = {m: {"kind": "roi", "roi": m} for m in SCORES}
    ctx = types.SimpleNamespace(out=tmp_path / "study", train_cohort="training", synthetic=False,
                                settings=_Settings(models=specs, model_specs=specs, training_cohort="training",
                                                   accuracy_ci_method="clopper-pearson", optimism_bootstrap=None,
                                                   seed=2024))
    (ctx.out / "features").mkdir(parents=True)
    scores.to_csv(ctx.out / "features" / "scores.csv", index=False)
    assert stages.table2(ctx) == {"models": SCORES}

    out = tmp_path / "command"
    code, _, err = run_cli("roc", ctx.out / "features" / "scores.csv", "--outcome", "outcome", "--scores",
                           ",".join(SCORES), "--cohort-col", "cohort", "--train-cohort", "training",
                           "--cohort-labels", "training=Training,external=External validation",
                           "--formats", ",".join(stages.TABLE_FORMATS), "--out", out)
    assert code == 0, err
    command = _files(out, skip={"roc.provenance.json"})
    study = {**{f"{k}": v for k, v in _files(ctx.out / "tables").items()},
             **{f"figures/{k}": v for k, v in _files(ctx.out / "figures").items()}}
    assert sorted(command) == sorted(study)
    assert [name for name in command if command[name] != study[name]] == []
    for name in ("roc.csv", "table2.md", "delong_paired.docx", "delong_between_cohorts_numeric.csv",
                 "figures/figure5a_roc_training.png", "figures/figure5b_roc_external.pdf",
                 "figures/distribution_box.png", "figures/waterfall_wfns.pdf"):
        assert name in command, name
    assert "Training AUC (95% CI)" in (out / "table2.md").read_text(encoding="utf-8")


def test_failed_rerun_leaves_previous_output_untouched(asah, run_cli, tmp_path):
    csv = tmp_path / "scores.csv"
    asah[["cohort", "y", *SCORES]].to_csv(csv, index=False)
    out = tmp_path / "out"
    args = ["roc", csv, "--outcome", "y", "--cohort-col", "cohort", "--train-cohort", "training", "--out", out,
            "--no-figures"]
    code, _, err = run_cli(*args, "--scores", ",".join(SCORES))
    assert code == 0, err
    before = _files(out)
    assert "delong_paired_numeric.csv" in before and "roc.provenance.json" in before
    code, _, err = run_cli(*args, "--scores", "s100b,S100B_typo")
    assert code == 2 and "S100B_typo" in err
    assert _files(out) == before
    # A successful rerun with one model replaces the run: its paired tests (none now) are gone.
    code, _, err = run_cli(*args, "--scores", "s100b")
    assert code == 0, err
    after = _files(out)
    assert "delong_paired_numeric.csv" not in after and "delong_paired.csv" not in after
    assert len(pd.read_csv(out / "roc.csv")) == 2


def test_optimism_corrected_auc_equals_rms_validate(r, asah, res):
    """optimism_B adds Harrell's optimism-corrected training AUC: rms::validate called directly on lrm(y ~ score)
    of the training rows, after set.seed as the package sets it (aSAH's scores are not probabilities, so the
    recalibration is on the score itself); the default result has no such column."""
    B, seed = 40, 99
    opt = ep.discrimination(asah, "y", SCORES, cohort_col="cohort", train_cohort="training", optimism_boot_n=B,
                            seed=seed, cohort_labels={"validation": "Validation"})
    assert list(opt.roc.columns) == list(res.roc.columns) + ["auc_optimism_corrected"]
    assert "auc_optimism_corrected" not in res.roc.columns and "training AUC optimism-corrected" not in res.table2()
    train = asah[asah["cohort"] == "training"].reset_index(drop=True)
    t2 = opt.table2().set_index("Model")
    assert list(t2.columns[:2]) == ["training AUC (95% CI)", "training AUC optimism-corrected"]
    for model in SCORES:
        want = r.evaluate(f"""
            d <- data.frame(y = y, x = x)
            f <- rms::lrm(y ~ x, data = d, x = TRUE, y = TRUE)
            set.seed({seed}, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
            v <- rms::validate(f, B = {B})
            c(v["Dxy", "index.orig"] / 2 + 0.5, v["Dxy", "index.corrected"] / 2 + 0.5)""",
                          y=train["y"].tolist(), x=train[model].astype(float).tolist())
        rows = opt.roc[opt.roc["model"] == model].set_index("cohort")
        assert rows.loc["training", "auc_optimism_corrected"] == pytest.approx(want[1], abs=1e-12)
        assert rows.loc["training", "auc"] == pytest.approx(want[0], abs=1e-12)  # the apparent AUC is pROC's
        assert np.isnan(rows.loc["validation", "auc_optimism_corrected"])
        assert t2.loc[model, "training AUC optimism-corrected"] == f"{want[1]:.3f}"
        assert "Validation AUC optimism-corrected" not in t2.columns
    tidy = opt.tidy()
    got = tidy[tidy["statistic"] == "auc_optimism_corrected"]
    assert len(got) == len(SCORES) and set(got["cohort"]) == {"training"}
    assert "B = 40, seed = 99" in next(t.note for t in opt.tables() if t.name == "table2")
    with pytest.raises(InputError, match="optimism_boot_n"):
        ep.discrimination(asah, "y", SCORES, cohort_col="cohort", train_cohort="training", optimism_boot_n=0)


def test_roc_command_optimism_B_option(asah, run_cli, tmp_path):
    csv = tmp_path / "asah.csv"
    asah[["y", "cohort", *SCORES]].to_csv(csv, index=False)
    out = tmp_path / "opt"
    code, _, err = run_cli("roc", csv, "--outcome", "y", "--scores", ",".join(SCORES), "--cohort-col", "cohort",
                           "--train-cohort", "training", "--optimism-B", 20, "--seed", 5, "--out", out,
                           "--no-figures")
    assert code == 0, err
    roc = pd.read_csv(out / "roc.csv")
    assert roc.columns[-1] == "auc_optimism_corrected"
    direct = ep.discrimination(asah, "y", SCORES, cohort_col="cohort", train_cohort="training", optimism_boot_n=20,
                               seed=5)
    np.testing.assert_allclose(roc["auc_optimism_corrected"], direct.roc["auc_optimism_corrected"], rtol=1e-12)
    assert "training AUC optimism-corrected" in pd.read_csv(out / "table2.csv").columns
