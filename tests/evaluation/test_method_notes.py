"""#15: every publication table's note names its methods in words a methods section can quote and the versions
of the software behind it. The versions are asked of R here directly (rpy2's own ``robjects.r``, outside
eprstats' bridge: ``utils::packageVersion`` and ``getRversion``) and of Python's modules themselves
(``numpy.__version__``); the notes are written into md/tex/html/docx, never into a CSV."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import eprstats as ep

from tests.evaluation.asah import load_asah


def _r_version(package: str | None = None) -> str:
    import rpy2.robjects as ro
    code = "as.character(getRversion())" if package is None else f'as.character(utils::packageVersion("{package}"))'
    return str(ro.r(code)[0])


def _has_versions(note: str, *packages: str) -> None:
    assert note and note.rstrip().endswith(".")
    assert f"R {_r_version()}" in note, note
    for p in packages:
        assert f"{p} {_r_version(p)}" in note, (p, note)


@pytest.fixture(scope="module")
def asah(r):
    data = load_asah(r, "thirds")
    data["p1"] = 1 / (1 + np.exp(-(3 * data["s100b"] - 1.2)))
    data["p2"] = 1 / (1 + np.exp(-(data["ndka"] / 15 - 1)))
    return data


def _notes(result) -> dict:
    return {t.name: t.note for t in result.tables() if t.publication}


def test_software_note_is_r_and_packages_as_r_reports_them(r):
    from eprstats.rbridge import software_note
    assert software_note("pROC", "rms") == f"Software: R {_r_version()}, pROC {_r_version('pROC')}, rms {_r_version('rms')}."
    assert software_note("stats") == f"Software: R {_r_version()}."  # a base package is R's own version
    assert software_note(python=("numpy",)) == f"Software: numpy {np.__version__}."


def test_discrimination_notes_name_delong_youden_clopper_pearson_and_proc(asah):
    res = ep.discrimination(asah, "y", ["s100b", "ndka"], cohort_col="cohort", train_cohort="training")
    notes = _notes(res)
    assert set(notes) == {"table2", "diagnostic_accuracy", "delong_paired", "delong_paired_full",
                          "delong_between_cohorts", "delong_between_cohorts_full"}
    for note in notes.values():
        _has_versions(note, "pROC")
    assert "95% CI by DeLong's method (pROC::ci.auc" in notes["table2"] and "Youden" in notes["table2"]
    assert "exact Clopper-Pearson (stats::binom.test), the default" in notes["diagnostic_accuracy"]
    assert "paired = TRUE" in notes["delong_paired"] and "Student's t" in notes["delong_between_cohorts"]
    wilson = ep.discrimination(asah, "y", ["s100b"], cohort_col="cohort", train_cohort="training", ci_method="wilson")
    assert "Wilson score" in _notes(wilson)["diagnostic_accuracy"]
    optimism = ep.discrimination(asah, "y", ["s100b"], cohort_col="cohort", train_cohort="training", optimism_boot_n=10)
    _has_versions(_notes(optimism)["table2"], "pROC", "rms")


def test_notes_are_written_into_the_formatted_files_and_not_into_csv(asah, tmp_path):
    res = ep.discrimination(asah, "y", ["s100b", "ndka"], cohort_col="cohort", train_cohort="training")
    res.write(tmp_path, ("csv", "md", "tex", "html"), figures=False)
    version = f"pROC {_r_version('pROC')}"
    assert version in (tmp_path / "table2.md").read_text(encoding="utf-8")
    assert version in (tmp_path / "delong_paired.html").read_text(encoding="utf-8")
    assert version in (tmp_path / "diagnostic_accuracy.tex").read_text(encoding="utf-8")
    assert not any("Software:" in p.read_text(encoding="utf-8") for p in tmp_path.glob("*.csv"))


def test_calibration_notes_name_hosmer_lemeshow_rules_the_two_c_statistics_and_rms(asah):
    cal = ep.calibrate(asah, "y", ["p1", "p2"], cohort_col="cohort", train_cohort="training", boot_n=10, seed=3,
                       probabilities=True)
    notes = _notes(cal)
    assert set(notes) == {"calibration", "optimism_corrected"}
    for note in notes.values():
        _has_versions(note, "rms", "Hmisc")
    note = notes["calibration"]
    assert "rms::val.prob" in note and "10 groups cut at the type-7 quantiles" in note
    assert "df = groups - 2 on every cohort" in note and "B = 10, seed = 3" in note
    # which C is which: val.prob's binned C (calibration_numeric's c) against pROC's AUC of Table 2
    assert "the column c of calibration_numeric is rms::val.prob's C (ROC)" in note
    assert "AUC of Table 2 (pROC's exact empirical AUC)" in note
    spss = ep.calibrate(asah, "y", ["p1"], cohort_col="cohort", train_cohort="training", boot_n=10, seed=3,
                        probabilities=True, hl_grouping="spss", hl_external_df="g")
    note = _notes(spss)["calibration"]
    assert "SPSS deciles of risk" in note and "groups on the other cohorts" in note


def test_table3_and_spss_tables_notes(asah):
    fit = ep.fit_model(asah, "y", ["s100b", "ndka"], name="M", cohort_col="cohort", train_cohort="training")
    note = _notes(fit)["table3"]
    _has_versions(note, "rms")
    assert "rms::lrm" in note and "Wald" in note and "selection" not in note and "elimination" not in note
    step = ep.fit_model(asah, "y", ["s100b", "ndka", "age"], name="M", cohort_col="cohort", train_cohort="training",
                        stepwise="spss-blr")
    notes = _notes(step)
    assert "/METHOD=BSTEP(LR)" in notes["table3"] and "/METHOD=BSTEP(LR)" in notes["table3_spss"]
    for name in ("table3_spss", "spss_model_summary", "spss_classification"):
        _has_versions(notes[name])
    fast = ep.fit_model(asah, "y", ["s100b", "ndka", "age"], name="M", cohort_col="cohort", train_cohort="training",
                        stepwise="fastbw")
    assert "rms::fastbw (rule = 'aic'" in _notes(fast)["table3"]


def test_nri_dca_sample_size_icc_and_signature_notes(asah):
    nri = ep.reclassification(asah, "y", ["p1"], "p2", cohort_col="cohort")
    note = _notes(nri)["nri_idi"]
    _has_versions(note)
    assert "Continuous NRI" in note and "IDI" in note and "Categorical" not in note
    assert "cut-offs 0.2, 0.5" in _notes(ep.reclassification(asah, "y", ["p1"], "p2", cutoffs=[0.2, 0.5]))["nri_idi"]
    dca = ep.decision_curve(asah, "y", ["p1"], cohort_col="cohort")
    [table] = dca.tables()
    assert not table.publication and "Vickers & Elkin" in table.note and f"R {_r_version()}" in table.note

    import scipy
    size = ep.sample_size(0.174, 24, c_statistic=0.89)
    assert size.tables()[0].note.endswith(f"Software: scipy {scipy.__version__}, numpy {np.__version__}.")

    rng = np.random.default_rng(4)
    truth = rng.normal(size=(20, 3))
    r1 = pd.DataFrame(truth, columns=["f1", "f2", "f3"]).assign(id=[f"P{i}" for i in range(20)])
    r2 = r1.assign(**{c: r1[c] + rng.normal(scale=0.3, size=20) for c in ("f1", "f2", "f3")})
    res = ep.icc({"reader1": r1, "reader2": r2}, threshold=0.8)
    note = _notes(res)["icc_summary"]
    assert "ICC(A,1) (two-way random effects, absolute agreement, single rater" in note and "exceeds 0.8" in note
    assert note.endswith(f"Software: numpy {np.__version__}, scipy {scipy.__version__}.")


def test_signature_note_names_mrmr_lasso_folds_and_glmnet(r):
    rng = np.random.default_rng(8)
    n = 90
    X = pd.DataFrame(rng.normal(size=(n, 6)), columns=[f"f{i}" for i in range(6)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.5 * X["f0"] - 1.2 * X["f1"])))).astype(int)
    sig = ep.build_signature(X.assign(y=y), list(X.columns), "y", 11, name="S")
    note = _notes(sig)["signature_coefficients"]
    _has_versions(note, "glmnet")
    assert "mRMR ranking" in note and "glmnet::cv.glmnet" in note and "10-fold cross-validation" in note
    assert "seed 11" in note and "rad-score = linear predictor" in note
