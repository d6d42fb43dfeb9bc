"""General placing rules of `audit-import` made for the third held-out set's misplacements (issue #22,
docs/audit_import.md "Held-out 3"), each tested on a small table written for the rule, not copied from those
tables. Oracle: what the printed headers say each number is, by the rule.

(1) the analysis word before a statistic in one header cell (``Crude Odds Ratio (95% CI)``) names the model, as a
    header row of its own over ``OR (95% CI)`` does;
(2) a bound printed with a trailing point (``(1.2-13.)``) is a number;
(3) a form printed between a variable's name and its unit (``Weight, mean ± SD, kg``) is the form: the variable is
    ``Weight, kg``, as a trailing ``(mean ± SD)`` is removed from a name.
(The accounting rules are tested in tests/audit/test_importer_accounting.py.)
"""
from __future__ import annotations

from tests.audit.test_importer_misplaced import _placed, _read


def test_the_analysis_word_before_the_statistic_in_one_header_cell_is_the_model():
    got = _placed(_read("""
Table 4 Logistic regression of the outcome
| Variable | Crude Odds Ratio (95% CI) | Adjusted Odds Ratio (95% CI) |
|---|---|---|
| Smoking | 2.10 (1.30-3.40) | 1.80 (1.05-3.09) |
| Obesity | 1.50 (0.90-2.50) | 1.20 (0.65-2.22) |
"""))
    assert got[("2.10 (1.30-3.40)", 0)] == ("or", "", "", "Crude", "Smoking", "")
    assert got[("1.80 (1.05-3.09)", 2)] == ("ci_high", "", "", "Adjusted", "Smoking", "")
    assert got[("1.20 (0.65-2.22)", 1)] == ("ci_low", "", "", "Adjusted", "Obesity", "")
    # the same as two header rows: one model per analysis
    got2 = _placed(_read("""
Table 4 Logistic regression of the outcome
| Variable | Univariable | Multivariable |
| | OR (95% CI) | OR (95% CI) |
|---|---|---|
| Smoking | 2.10 (1.30-3.40) | 1.80 (1.05-3.09) |
"""))
    assert got2[("1.80 (1.05-3.09)", 0)] == ("or", "", "", "Multivariable", "Smoking", "")
    assert got2[("2.10 (1.30-3.40)", 0)] == ("or", "", "", "Univariable", "Smoking", "")


def test_a_statistic_header_without_an_analysis_word_names_no_model():
    """``Odds Ratio (95% CI)`` alone: no model; ``Adjusted OR`` beside it is the adjusted one, the other has none."""
    got = _placed(_read("""
Table 3 Regression
| Variable | Odds Ratio (95% CI) | P |
|---|---|---|
| Age | 1.04 (1.01-1.07) | 0.012 |
"""))
    assert got[("1.04 (1.01-1.07)", 0)] == ("or", "", "", "", "Age", "")


def test_a_bound_printed_with_a_trailing_point_is_a_number():
    """``4.0(1.2-13.)``: the upper bound 13 printed with its point and no decimals (a rounding of 13.0 or more)."""
    r = _read("""
Table 2 Risk factors
| Factor | Univariate OR (95% CI) |
|---|---|
| Diabetes | 4.0(1.2-13.) |
| Smoker | 1.5(0.8-2.9) |
""")
    got = _placed(r)
    assert got[("4.0(1.2-13.)", 2)] == ("ci_high", "", "", "Univariate", "Diabetes", "")
    hi = next(c for c in r.placed if c.text == "4.0(1.2-13.)" and c.position == 2)
    assert hi.value == 13.0 and hi.decimals == 0


def test_a_form_between_the_name_and_its_unit_is_the_form():
    got = _placed(_read("""
Table 1 Characteristics of the cohorts
| Characteristic | Training cohort (n = 90) | Test cohort (n = 40) | P |
|---|---|---|---|
| Weight, mean ± SD, kg | 71.2 ± 9.8 | 69.9 ± 10.4 | 0.49 |
| Lesion size, median (IQR), mm | 21(15–30) | 23(16–31) | 0.61 |
| Sex, n (%) | | | 0.70 |
|  Female | 40 (44.4) | 16 (40.0) | |
"""))
    assert got[("71.2 ± 9.8", 1)] == ("sd", "Training cohort", "", "", "Weight, kg", "")
    assert got[("23(16–31)", 0)] == ("median", "Test cohort", "", "", "Lesion size, mm", "")
    assert got[("40 (44.4)", 1)] == ("percent", "Training cohort", "", "", "Sex", "Female")
    assert round(40 / 90 * 100, 1) == 44.4 and round(16 / 40 * 100, 1) == 40.0


def test_a_cohort_numbered_with_a_letter_and_digits_is_one_cohort():
    """``External set E1`` / ``External set E2`` over each model's C-index: the cohorts' names, not models (the
    row's label is the model)."""
    got = _placed(_read("""
Table 3 Performance of the models
| Model | Training set | External set E1 | External set E2 |
| | C-index | C-index | C-index |
|---|---|---|---|
| Clinical model | 0.712 | 0.690 | 0.701 |
| Combined model | 0.781 | 0.755 | 0.748 |
"""))
    assert got[("0.690", 0)] == ("c_index", "External set E1", "", "Clinical model", "", "")
    assert got[("0.748", 0)] == ("c_index", "External set E2", "", "Combined model", "", "")


def test_a_ratio_bound_printed_zero_is_not_a_finding_a_negative_one_is():
    """An OR's lower bound printed ``0.0`` at one decimal is any value below 0.05, a positive one among them: the
    log-symmetry check cannot be made (not checkable), no finding (the placed ``0.3(0.0-1.4)`` of a regression
    table); ``-0.2``, which no positive value prints as, is one."""
    from eprstats.audit.estimate_checks import ratio_rows
    from eprstats.audit.printed import Printed

    def pr(text):
        return Printed(text, float(text), len(text.split(".")[1]) if "." in text else 0)

    zero = ratio_rows("C", "Male", "or", pr("0.3"), pr("0.0"), pr("1.4"), None)
    assert [c.verdict for c in zero] == ["not checkable"]
    negative = ratio_rows("C", "Male", "or", pr("0.4"), pr("-0.2"), pr("1.1"), None)
    assert [c.verdict for c in negative] == ["not reproduced"]
    # 1.2 within the rounding of the log-midpoint of 0.4-3.2 (exp((log 0.4 + log 3.2) / 2) = 1.131; 0.35 x 3.25
    # gives 1.067, 0.45 x 3.15 gives 1.191, and 1.2 prints from 1.15)
    assert [c.verdict for c in ratio_rows("C", "Smoker", "or", pr("1.2"), pr("0.4"), pr("3.2"), None)] == \
        ["reproduced"]
