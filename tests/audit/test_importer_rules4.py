"""General placing rules of `audit-import` for kinds of numbers the held-out sets left unplaced (issue #22,
docs/audit_import.md "Round 4"), each tested on a small table written for the rule in the way papers print it,
not copied from a held-out table. Oracle: what the table's own text says each number is, by the rule (the truth
is the table written here).

(1) a form the table's own text states once for a cell shape (a row label ``Sex, n (%)``, a header elsewhere, the
    caption) holds for the same shape where no header names one: ``a (b)`` on a categorical variable's levels
    is a count and its percentage, ``a (b-c)`` a median and its quartiles; a label ``T stage (%)`` names the
    percentage of its levels' ``a (b)``. Two stated forms for one shape leave it unplaced.
(2) where the table states no form at all, the ``a (b)`` of a categorical variable's levels (rows under the
    variable's label) are a count and its percentage where, in most of the row's cells and at least two, the
    count is that percentage of its column's printed n (``Positive (n = 19)``): a category has no mean, and a
    mean and SD almost never print so (the rule binary variables on one row already had).
(3) a column that prints one bound of a CI (``AUC_CI_low`` / ``AUC_CI_high`` as software writes them, ``Lower
    95% CI`` / ``Upper 95% CI``, ``95% CI lower``) holds that bound of the estimate in the nearest column on its
    left under the same parent, where its header names that statistic or none; never the estimate itself
    (``AUC CI lower`` names the AUC but holds a bound).
(4) ``Sen`` and ``Spe`` (title case, as tables abbreviate them beside ``Acc``, ``PPV``) are sensitivity and
    specificity, as ``SEN`` / ``SPE`` were; the lower-case words stay names.
(6) a header label printed once over its span and copied blank (``Progression-free survival | | | | Overall
    survival | | | |``) spans to the next label even where the row's last label is not over the table's last
    column: the row is not one that ended early (a copy that drops cells prints no empty cell before a filled one);
(7) in a regression table, a P in a row whose label the words read as a statistic (``EQD2 (α/β ratio=10)``: β)
    and as no variable is unplaced, as the row's estimate is ("two statistics"), not placed with no variable.
(8) in a performance table a time horizon (``3-yr``, ``1-year``, ``36 months``) beside a model is the outcome
    within that time (``group``), never a second model's name.
(9) in a regression table without indentation, where a variable's levels after its own row print no label
    (continuation rows under ``Chemotherapy | Reference | 0.23``), the next row with a label of its own is a
    variable, not one more level.
(5) the cohort-comparison t-test (below): a stated test of means is held to; with no test stated, a P that no
    t-test reproduces may be a rank test's, so it is not checkable, not a finding.
"""
from __future__ import annotations

from tests.audit.test_importer_misplaced import _placed, _read


def _unplaced(r) -> dict:
    return {(c.text, c.position): c.reason for c in r.unplaced}


def test_a_form_stated_on_one_row_label_holds_for_the_levels_of_variables_that_state_none():
    r = _read("""
Table 1 Clinical characteristics of the patients
| Characteristic | Training set (n = 120) | Test set (n = 60) | P |
|---|---|---|---|
| Age | 61 ± 10 | 63 ± 9 | 0.210 |
| Sex, n (%) | | | |
|  Male | 70 (58.3) | 33 (55.0) | 0.672 |
|  Female | 50 (41.7) | 27 (45.0) | |
| T stage | | | |
|  T1-2 | 80 (66.7) | 38 (63.3) | 0.658 |
|  T3-4 | 40 (33.3) | 22 (36.7) | |
| Grade (%) | | | |
|  Low | 90 (75.0) | 41 (68.3) | 0.342 |
|  High | 30 (25.0) | 19 (31.7) | |
""")
    got = _placed(r)
    assert got[("80 (66.7)", 0)] == ("count", "Training set", "", "", "T stage", "T1-2")
    assert got[("80 (66.7)", 1)] == ("percent", "Training set", "", "", "T stage", "T1-2")
    assert got[("22 (36.7)", 0)] == ("count", "Test set", "", "", "T stage", "T3-4")
    # ``Grade (%)``: the label names the percentage; the whole number before it is the count
    assert got[("19 (31.7)", 0)] == ("count", "Test set", "", "", "Grade", "High")
    assert got[("19 (31.7)", 1)] == ("percent", "Test set", "", "", "Grade", "High")
    assert got[("61 ± 10", 1)] == ("sd", "Training set", "", "", "Age", "")


def test_a_form_is_not_borrowed_where_the_table_states_two_or_the_row_is_no_level():
    # the table states n (%) and mean (SD): ``a (b)`` on T stage's levels stays unplaced (no n printed, so
    # rule (2) has none to hold them to)
    r = _read("""
Table 1 Characteristics
| Characteristic | Training set | Test set |
|---|---|---|
| Age, mean (SD) | 61 (10) | 63 (9) |
| Sex, n (%) | | |
|  Male | 70 (58.3) | 33 (55.0) |
|  Female | 50 (41.7) | 27 (45.0) |
| T stage | | |
|  T1-2 | 80 (66.7) | 38 (63.3) |
|  T3-4 | 40 (33.3) | 22 (36.7) |
""")
    got, un = _placed(r), _unplaced(r)
    assert got[("70 (58.3)", 0)][0] == "count" and got[("61 (10)", 1)][0] == "sd"
    assert ("80 (66.7)", 0) in un and ("80 (66.7)", 0) not in got
    # a variable on one row with no form (not a level): its ``a (b)`` could be a mean and SD, left unplaced
    r2 = _read("""
Table 1 Characteristics
| Characteristic | Training set (n = 120) | Test set (n = 60) |
|---|---|---|
| Sex, n (%) | | |
|  Male | 70 (58.3) | 33 (55.0) |
|  Female | 50 (41.7) | 27 (45.0) |
| BMI | 24 (3) | 25 (4) |
""")
    assert ("24 (3)", 0) in _unplaced(r2) and ("24 (3)", 0) not in _placed(r2)
    # rows under a heading row (no numbers) whose percentages do not add up to 100: no variable's levels
    r3 = _read("""
Table 1 Characteristics
| Characteristic | Training set | Test set |
|---|---|---|
| Sex, n (%) | | |
|  Male | 70 (58.3) | 33 (55.0) |
|  Female | 50 (41.7) | 27 (45.0) |
| Laboratory values | | |
|  BMI | 24 (3) | 25 (4) |
|  Albumin | 40 (5) | 41 (6) |
""")
    assert ("24 (3)", 0) in _unplaced(r3) and ("24 (3)", 0) not in _placed(r3)
    assert _placed(r3)[("33 (55.0)", 0)][0] == "count"


def test_a_median_form_stated_on_one_row_holds_for_rows_of_the_same_shape():
    r = _read("""
Table 1 Baseline characteristics
| Characteristic | Training cohort (n = 150) | Validation cohort (n = 75) | P value |
|---|---|---|---|
| Age, years, median (IQR) | 58 (50-66) | 60 (52-67) | 0.412 |
| ALT, U/L | 36 (26-58) | 38.5 (26.75-63.5) | 0.191 |
| Albumin, g/L | 40.2 (35.8-43.7) | 40.5 (36.3-43.0) | 0.796 |
""")
    got = _placed(r)
    assert got[("36 (26-58)", 0)] == ("median", "Training cohort", "", "", "ALT, U/L", "")
    assert got[("36 (26-58)", 1)] == ("q1", "Training cohort", "", "", "ALT, U/L", "")
    assert got[("38.5 (26.75-63.5)", 2)] == ("q3", "Validation cohort", "", "", "ALT, U/L", "")
    # a range stated beside it: the shape has two stated forms, its rows stay unplaced
    r2 = _read("""
Table 1 Baseline characteristics
| Characteristic | Training cohort (n = 150) | Validation cohort (n = 75) |
|---|---|---|
| Age, years, median (IQR) | 58 (50-66) | 60 (52-67) |
| Follow-up, months, median (range) | 30 (3-80) | 28 (4-77) |
| ALT, U/L | 36 (26-58) | 38.5 (26.75-63.5) |
""")
    got2 = _placed(r2)
    assert got2[("30 (3-80)", 1)][0] == "min" and got2[("58 (50-66)", 1)][0] == "q1"
    assert ("36 (26-58)", 0) not in got2 and ("36 (26-58)", 0) in _unplaced(r2)


def test_levels_whose_counts_print_as_percentages_of_their_groups_n_are_counts_without_a_stated_form():
    r = _read("""
Table 2 Characteristics of patients by lymph node status
| | Training cohort | | P | Validation cohort | | P |
| | Positive (n = 20) | Negative (n = 80) | | Positive (n = 10) | Negative (n = 40) | |
| Age (years) | | | | | | |
|  <50 | 12 (60.0) | 30 (37.5) | 0.091 | 6 (60.0) | 15 (37.5) | 0.288 |
|  ≥50 | 8 (40.0) | 50 (62.5) | | 4 (40.0) | 25 (62.5) | |
| Multifocality | | | | | | |
|  Yes | 9 (45.0) | 20 (25.0) | 0.098 | 5 (55.0) | 10 (25.0) | 0.122 |
|  No | 11 (55.0) | 60 (75.0) | | 5 (50.0) | 30 (75.0) | |
| Score | | | | | | |
|  A | 12 (3.1) | 13 (2.9) | | 11 (3.0) | 12 (2.8) | |
""")
    got, un = _placed(r), _unplaced(r)
    assert got[("12 (60.0)", 0)] == ("count", "Training cohort", "Positive", "", "Age (years)", "<50")
    assert got[("50 (62.5)", 1)] == ("percent", "Training cohort", "Negative", "", "Age (years)", "≥50")
    # ``5 (55.0)`` of 10 is 50%: the row's other three cells agree, so it is placed (the audit finds it)
    assert got[("5 (55.0)", 1)] == ("percent", "Validation cohort", "Positive", "", "Multifocality", "Yes")
    # cells that do not print as percentages of their n (a mean and SD): unplaced
    assert ("12 (3.1)", 0) in un and ("12 (3.1)", 0) not in got


def test_columns_that_each_print_one_bound_of_a_ci():
    r = _read("""
Table 2 Performance of the models
| Model | Cohort | AUC | AUC_CI_low | AUC_CI_high | Sensitivity |
|---|---|---|---|---|---|
| Clinical | Training | 0.676 | 0.545 | 0.79 | 0.467 |
| Clinical | Test | 0.644 | 0.4 | 0.848 | 0.375 |
| Combined | Test | 0.908 | 0.783 | 1 | 0.9 |
""")
    got = _placed(r)
    assert got[("0.545", 0)] == ("ci_low", "Training", "", "Clinical", "", "")
    assert got[("0.848", 0)] == ("ci_high", "Test", "", "Clinical", "", "")
    assert got[("1", 0)] == ("ci_high", "Test", "", "Combined", "", "")
    assert {c.of for c in r.placed if c.role in ("ci_low", "ci_high")} == {"auc"}
    r2 = _read("""
Table 3 Multivariable logistic regression
| Variable | OR | Lower 95% CI | Upper 95% CI | P |
|---|---|---|---|---|
| Age | 1.04 | 1.01 | 1.07 | 0.012 |
| Tumor size | 2.31 | 1.20 | 4.45 | 0.006 |
""")
    got2 = _placed(r2)
    assert got2[("1.20", 0)] == ("ci_low", "", "", "", "Tumor size", "")
    assert got2[("1.07", 0)] == ("ci_high", "", "", "", "Age", "")
    # a bound column with no estimate on its left, or naming another statistic than it: unplaced
    r3 = _read("""
Table 3 Regression
| Variable | Lower 95% CI | OR | HR_CI_low | P |
|---|---|---|---|---|
| Age | 1.01 | 1.04 | 0.98 | 0.012 |
""")
    got3 = _placed(r3)
    assert ("1.01", 0) not in got3 and ("0.98", 0) not in got3 and got3[("1.04", 0)][0] == "or"


def test_sen_and_spe_in_title_case_are_sensitivity_and_specificity():
    r = _read("""
Table 2 Performance of the models
| Cohort | Model | Acc | Sen | Spe | PPV |
|---|---|---|---|---|---|
| Training cohort | R1 | 0.775 | 0.818 | 0.759 | 0.563 |
| Testing cohort | R1 | 0.835 | 0.706 | 0.871 | 0.600 |
""")
    got = _placed(r)
    assert got[("0.818", 0)] == ("sensitivity", "Training cohort", "", "R1", "", "")
    assert got[("0.871", 0)] == ("specificity", "Testing cohort", "", "R1", "", "")
    r2 = _read("""
Table 3 Metrics as rows
| Index | RS1 | RS2 |
|---|---|---|
| Acc | 79.07% | 89.53% |
| Sen | 0.675 | 0.875 |
| Spe | 0.891 | 0.913 |
""")
    got2 = _placed(r2)
    assert got2[("0.675", 0)] == ("sensitivity", "", "", "RS1", "", "")
    assert got2[("0.913", 0)] == ("specificity", "", "", "RS2", "", "")


def test_a_label_copied_blank_over_its_span_spans_to_the_next_label():
    r = _read("""
Table 6 Cox regression for progression-free and overall survival
| Variable | Progression-free survival | | | | Overall survival | | | |
| | Univariate analysis | | Multivariate analysis | | Univariate analysis | | Multivariate analysis | |
| | HR (95% CI) | p-value | HR (95% CI) | p-value | HR (95% CI) | p-value | HR (95% CI) | p-value |
| Age (< 50 yr vs. ≥ 50 yr) | 0.67 (0.33-1.37) | 0.28 | - | - | 0.44 (0.17-1.18) | 0.10 | 0.51 (0.19-1.37) | 0.18 |
| T stage (T1-2 vs. T3-4) | 1.77 (0.85-3.69) | 0.13 | - | - | 0.27 (0.09-0.84) | 0.02 | 0.29 (0.09-0.90) | 0.03 |
| EQD2 (α/β ratio=10) (≥ 70 Gy vs. < 70 Gy) | 0.68 (0.33-1.41) | 0.30 | - | - | 0.46 (0.18-1.15) | 0.12 | 0.52 (0.2-1.35) | 0.17 |
""")
    got, un = _placed(r), _unplaced(r)
    pfs, os_ = "Progression-free survival", "Overall survival"
    assert got[("0.67 (0.33-1.37)", 0)] == ("hr", "", pfs, "Univariate analysis", "Age (< 50 yr vs. ≥ 50 yr)", "")
    assert got[("0.29 (0.09-0.90)", 2)] == ("ci_high", "", os_, "Multivariate analysis", "T stage (T1-2 vs. T3-4)",
                                            "")
    assert got[("0.03", 0)] == ("p", "", os_, "Multivariate analysis", "T stage (T1-2 vs. T3-4)", "")
    # the β in the label: neither the HR nor its P is placed
    assert ("0.68 (0.33-1.41)", 0) in un and ("0.30", 0) in un and ("0.30", 0) not in got and ("0.17", 0) in un
    assert "names a statistic and no variable" in un[("0.17", 0)]


def test_a_time_horizon_beside_the_metric_is_the_group_not_a_model():
    r = _read("""
Table 3 Performance of the models for distant metastasis
| Time | Metric | Training Rad-score | Training Clinical | Validation Rad-score | Validation Clinical |
|---|---|---|---|---|---|
| 3-year | AUC | 0.709 | 0.782 | 0.687 | 0.766 |
| | SEN | 88.89% | 88.33% | 80% | 100% |
| 1-year | AUC | 0.614 | 0.771 | 0.545 | 0.742 |
""")
    got = _placed(r)
    assert got[("0.709", 0)] == ("auc", "Training", "3-year", "Rad-score", "", "")
    assert got[("100%", 0)] == ("sensitivity", "Validation", "3-year", "Clinical", "", "")
    assert got[("0.742", 0)] == ("auc", "Validation", "1-year", "Clinical", "", "")


def test_a_labelled_row_after_a_variables_unlabelled_levels_is_a_variable():
    text = """
Table 6 Cox regression for overall survival
| Variable | Univariate analysis | | Multivariate analysis | |
| | HR (95% CI) | p-value | HR (95% CI) | p-value |
| Chemotherapy (concurrent vs. induction vs. none) | Reference | 0.23 | Reference | 0.01 |
| | 0.88 (0.26-2.98) | | 0.18 (0.04-0.82) | |
| | 0.45 (0.12-1.69) | | 0.08 (0.02-0.41) | |
| TLG (low vs. high) | 0.30 (0.15-0.61) | 0.001 | 0.31 (0.14-0.65) | 0.002 |
| Whole tumor volume (mL) | 1.01 (1.003-1.02) | 0.005 | 1.02 (1.00-1.04) | 0.16 |
"""
    got, un = _placed(_read(text)), _unplaced(_read(text))
    assert got[("0.30 (0.15-0.61)", 0)] == ("hr", "", "", "Univariate analysis", "TLG (low vs. high)", "")
    assert got[("0.16", 0)] == ("p", "", "", "Multivariate analysis", "Whole tumor volume (mL)", "")
    # the unlabelled levels themselves have no name the table prints: not placed as a named level
    assert ("0.88 (0.26-2.98)", 0) not in got or got[("0.88 (0.26-2.98)", 0)][4].startswith("Chemotherapy")
    # with labelled levels, a labelled row after them may be a level or a variable: left unplaced as before
    labelled = text.replace("| | 0.88", "| Induction | 0.88").replace("| | 0.45", "| None | 0.45")
    got2, un2 = _placed(_read(labelled)), _unplaced(_read(labelled))
    assert ("0.30 (0.15-0.61)", 0) in un2 and ("0.30 (0.15-0.61)", 0) not in got2


# ------------------------------------------------------------------ the cohort-comparison t-test (issue #22)
def _audit_text(text: str, tmp_path):
    from eprstats.audit import audit, import_paper
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / "paper.txt"
    src.write_text(text.strip("\n") + "\n", encoding="utf-8")
    import_paper(src, out=tmp_path / "draft")
    t = audit(tmp_path / "draft").table
    return t[t["kind"] == "table1_p_continuous"].set_index("where")


_COHORTS = """
{caption}
| Characteristic | Training set (n = 72) | Validation set (n = 36) | P value |
|---|---|---|---|
| Age (years), mean ± SD | 64.0 ± 13.9 | 62.4 ± 15.3 | {p_age} |
| BMI (kg/m2), mean ± SD | 24.1 ± 3.2 | 25.3 ± 3.6 | {p_bmi} |
"""


def test_cohort_comparison_t_test_uses_each_cohorts_header_n_and_is_scipys(tmp_path):
    """A cohort-comparison Table 1 (no outcome groups): P of a mean ± SD row by Student's / Welch's t from the
    summaries, n from each cohort's header. Oracle: scipy.stats.ttest_ind_from_stats (an implementation
    independent of eprstats' summary_tests)."""
    from scipy.stats import ttest_ind_from_stats
    student = ttest_ind_from_stats(24.1, 3.2, 72, 25.3, 3.6, 36, equal_var=True).pvalue
    welch_age = ttest_ind_from_stats(64.0, 13.9, 72, 62.4, 15.3, 36, equal_var=False).pvalue
    assert round(student, 3) == 0.081 and round(welch_age, 3) == 0.599
    got = _audit_text(_COHORTS.format(caption="Table 1 Characteristics of the cohorts", p_age=f"{welch_age:.3f}",
                                      p_bmi=f"{student:.3f}"), tmp_path)
    age, bmi = got.loc["Table 1, Age (years), P (between cohorts)"], got.loc["Table 1, BMI (kg/m2), P (between cohorts)"]
    assert age["verdict"] == "reproduced" and "Welch's t" in age["evidence"] and "n = 72 vs 36" in age["evidence"]
    assert bmi["verdict"] == "reproduced" and "Student's t" in bmi["evidence"]
    assert f"Welch's t p={welch_age:.4f}" in age["recomputed"]
    assert f"Student's t p={student:.4f}" in bmi["recomputed"]


def test_cohort_comparison_p_not_reproduced_is_a_finding_only_where_a_test_of_means_is_stated(tmp_path):
    """0.672 for 64.0 ± 13.9 (n = 72) vs 62.4 ± 15.3 (n = 36), PMC10493896's age row: no t-test over the
    printed rounding gives it (scipy: Student 0.587, Welch 0.599). With no test named it may be a rank test's
    P: not checkable, not a finding; where the caption names the t-test it is held to: not reproduced."""
    from scipy.stats import ttest_ind_from_stats
    lo = min(ttest_ind_from_stats(m1, s1, 72, m2, s2, 36, equal_var=e).pvalue
             for m1 in (63.95, 64.05) for s1 in (13.85, 13.95) for m2 in (62.35, 62.45) for s2 in (15.25, 15.35)
             for e in (True, False))
    hi = max(ttest_ind_from_stats(m1, s1, 72, m2, s2, 36, equal_var=e).pvalue
             for m1 in (63.95, 64.05) for s1 in (13.85, 13.95) for m2 in (62.35, 62.45) for s2 in (15.25, 15.35)
             for e in (True, False))
    assert hi < 0.6715                     # 0.672 prints from no value in [lo, hi]
    where = "Table 1, Age (years), P (between cohorts)"
    unstated = _audit_text(_COHORTS.format(caption="Table 1 Characteristics of the cohorts", p_age="0.672",
                                           p_bmi="0.081"), tmp_path / "a")
    assert unstated.loc[where, "verdict"] == "not checkable"
    assert "states no test" in unstated.loc[where, "evidence"]
    stated = _audit_text(_COHORTS.format(caption="Table 1 Characteristics of the cohorts (t-test)", p_age="0.672",
                                         p_bmi="0.081"), tmp_path / "b")
    assert stated.loc[where, "verdict"] == "not reproduced"


def test_p_from_a_ci_whose_bound_prints_coarser_than_the_estimate():
    """``1.01 (1-1.02), P = 0.16`` (PMC4946355's whole tumour volume, OS univariate, placed this round): the lower
    bound ``1`` is any value in [0.5, 1.5); a CI holds its estimate, so the bound is at most 1.015. The P the CI
    allows then runs from below 0.001 to above 0.5 (hand arithmetic, math only: lower bound 0.995, HR 1.005,
    upper 1.025 give SE = (ln 1.025 - ln 0.995) / 3.92 and P = 0.51; lower 1.015 = HR, upper 1.025 give P < 0.001),
    so 0.16 is reproduced; it was a false finding (the corners with the bound above the estimate were skipped,
    leaving P 0.93-0.98)."""
    import math
    from statistics import NormalDist

    from eprstats.audit.estimate_checks import ratio_rows
    from eprstats.audit.printed import Printed

    def pr(text):
        return Printed(text, float(text), len(text.split(".")[1]) if "." in text else 0)

    se = (math.log(1.025) - math.log(0.995)) / (2 * 1.959964)
    assert round(2 * (1 - NormalDist().cdf(math.log(1.005) / se)), 2) == 0.51
    rows = ratio_rows("C", "WTV", "hr", pr("1.01"), pr("1"), pr("1.02"), pr("0.16"))
    assert {c.kind: c.verdict for c in rows} == {"ratio_ci": "reproduced", "ratio_p": "reproduced",
                                                  "ratio_significance": "reproduced"}
