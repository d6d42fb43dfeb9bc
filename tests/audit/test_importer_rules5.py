"""General placing rules of `audit-import` made for the fourth held-out set's misplacements and largest unplaced
kinds (issue #22, docs/audit_import.md "Held-out 4"), each tested on a small table written for the rule in the
style papers print, not copied from those tables. Oracle: what the printed headers say each number is, by the
rule; where the headers do not say, the number is unplaced (never placed elsewhere).

(1) a header whose head noun is ``cohort`` / ``dataset`` (``Modelling cohort``), or a participle before ``set``
    (``Developing set``), names a cohort whatever its modifier; a header row that prints only each column's n
    (``N = 60``) is their n, no level of the column's path;
(2) ``<model> in <cohort>``, ``<model> (<cohort>)``, ``<cohort>: <model>`` as a row label: a model and its cohort
    only where the cohort part is a cohort's name; ``<model> in <words that are no cohort>`` is unplaced;
(3) a form in braces (``{median (Q1–Q3)}``) is stripped from the name as one in parentheses is;
(4) a tilde between two numbers is a range (``1 (0~3)``);
(5) a row label's ``(n=142)``: a cohort's n where the label is a cohort's (beside its models' rows), else listed
    unplaced (never lost).
"""
from __future__ import annotations

from tests.audit.test_importer_misplaced import _placed, _read


def _unplaced(r) -> dict:
    return {(c.text, c.position): c.reason for c in r.unplaced}


def test_a_header_headed_by_cohort_names_a_cohort_and_an_n_row_is_no_path_level():
    r = _read("""
Table 1 Patient characteristics by risk group
| | Modelling cohort | | | Regional dataset | | |
| | Low | High | P | Low | High | P |
| | N = 60 | N = 40 | | N = 30 | N = 25 | |
| Sex | | | 0.210 | | | 0.433 |
|  Male | 30 (50.0%) | 25 (62.5%) | | 14 (46.7%) | 15 (60.0%) | |
|  Female | 30 (50.0%) | 15 (37.5%) | | 16 (53.3%) | 10 (40.0%) | |
""")
    got = _placed(r)
    assert got[("N = 60", 0)] == ("n", "Modelling cohort", "Low", "", "", "")
    assert got[("N = 25", 0)] == ("n", "Regional dataset", "High", "", "", "")
    assert got[("25 (62.5%)", 0)] == ("count", "Modelling cohort", "High", "", "Sex", "Male")
    assert got[("16 (53.3%)", 1)] == ("percent", "Regional dataset", "Low", "", "Sex", "Female")
    # each P is its cohort's, between its groups (not a P between the cohorts)
    assert got[("0.210", 0)] == ("p", "Modelling cohort", "", "", "Sex", "")
    assert got[("0.433", 0)] == ("p", "Regional dataset", "", "", "Sex", "")


def test_a_participle_before_set_is_a_cohort_a_noun_before_it_is_not():
    from eprstats.audit.readers.words import is_cohort

    assert is_cohort("Developing set") and is_cohort("Tuning set (n = 40)") and is_cohort("Surgical cohort 2")
    assert not is_cohort("Feature set") and not is_cohort("Rad-score in primary cohort")


def test_model_in_cohort_row_labels_split_into_model_and_cohort():
    r = _read("""
Table 3 Diagnostic performance in the two cohorts
| Cohort | AUC (95% CI) | Sensitivity | Specificity |
|---|---|---|---|
| Clinical model in training cohort | 0.71 (0.64-0.78) | 0.66 | 0.70 |
| Nomogram in the training cohort | 0.83 (0.77-0.89) | 0.79 | 0.74 |
| Clinical model (validation cohort) | 0.69 (0.58-0.80) | 0.61 | 0.72 |
| Validation cohort: Nomogram | 0.80 (0.70-0.90) | 0.75 | 0.77 |
""")
    got = _placed(r)
    assert got[("0.71 (0.64-0.78)", 0)] == ("auc", "training cohort", "", "Clinical model", "", "")
    assert got[("0.83 (0.77-0.89)", 2)] == ("ci_high", "training cohort", "", "Nomogram", "", "")
    assert got[("0.61", 0)] == ("sensitivity", "validation cohort", "", "Clinical model", "", "")
    assert got[("0.77", 0)] == ("specificity", "Validation cohort", "", "Nomogram", "", "")


def test_model_in_words_that_are_no_cohort_is_unplaced_not_a_cohort_named_by_the_whole_label():
    r = _read("""
Table 3 Diagnostic performance
| Cohort | AUC (95% CI) | Sensitivity |
|---|---|---|
| Rad-score in training and test cohorts | 0.74 (0.68-0.80) | 0.70 |
| Rad-score in validation cohort | 0.72 (0.62-0.82) | 0.68 |
""")
    got, unplaced = _placed(r), _unplaced(r)
    assert ("0.74 (0.68-0.80)", 0) not in got and ("0.70", 0) not in got
    assert "no cohort" in unplaced[("0.70", 0)]
    assert got[("0.68", 0)] == ("sensitivity", "validation cohort", "", "Rad-score", "", "")
    # a label that is one cohort's name with a cohort word in both parts stays that cohort
    r2 = _read("""
Table 2 Performance
| Cohort | AUC (95% CI) |
|---|---|
| External cohort with fine-tuning (test set) | 0.93 (0.88-0.97) |
""")
    assert _placed(r2)[("0.93 (0.88-0.97)", 0)] == ("auc", "External cohort with fine-tuning (test set)", "", "",
                                                     "", "")


def test_a_form_in_braces_is_stripped_from_the_variable_name():
    r = _read("""
Table 1 Baseline characteristics
| Characteristic | Training (n = 120) | Validation (n = 60) | P |
|---|---|---|---|
| Lymph node count {median (Q1–Q3)} | 3 (1–6) | 2 (1–5) | 0.310 |
| Age {mean ± SD} | 61.2 ± 9.8 | 60.4 ± 10.1 | 0.604 |
""")
    got = _placed(r)
    assert got[("3 (1–6)", 0)] == ("median", "Training", "", "", "Lymph node count", "")
    assert got[("2 (1–5)", 2)] == ("q3", "Validation", "", "", "Lymph node count", "")
    assert got[("61.2 ± 9.8", 1)] == ("sd", "Training", "", "", "Age", "")


def test_a_tilde_between_two_numbers_is_a_range():
    r = _read("""
Table 1 Baseline characteristics
| Characteristic | Training (n = 120) | Validation (n = 60) | P |
|---|---|---|---|
| Tumour deposits, median (IQR) | 1 (0~3) | 1 (0~2) | 0.344 |
""")
    got = _placed(r)
    assert got[("1 (0~3)", 1)] == ("q1", "Training", "", "", "Tumour deposits", "")
    assert got[("1 (0~2)", 2)] == ("q3", "Validation", "", "", "Tumour deposits", "")


def test_a_cohort_label_beside_its_models_rows_places_its_n():
    r = _read("""
Table 2 Performance of the classifiers
| Dataset | Model | Sensitivity (%) | Specificity (%) | AUC |
|---|---|---|---|---|
| Internal test set (n=210) | CNN-A | 84.1 | 75.0 | 0.86 |
| | CNN-B | 80.2 | 78.3 | 0.84 |
| External set (n=95) | CNN-A | 79.5 | 70.6 | 0.80 |
| | CNN-B | 77.3 | 74.5 | 0.81 |
""")
    got = _placed(r)
    assert got[("Internal test set (n=210)", 0)][:2] == ("n", "Internal test set")
    assert got[("External set (n=95)", 0)][:2] == ("n", "External set")
    assert got[("0.80", 0)] == ("auc", "External set", "", "CNN-A", "", "")
    assert sum(c.role == "n" for c in r.placed) == 2          # once per cohort, not once per model's row


def test_a_size_in_a_row_label_no_rule_places_is_listed_unplaced():
    r = _read("""
Table 1 Characteristics
| Characteristic | Cases | Controls |
|---|---|---|
| Smokers (n=40) | 25 | 15 |
| Never smokers (n=60) | 30 | 30 |
""")
    unplaced = _unplaced(r)
    assert ("Smokers (n=40)", 0) in unplaced and ("Never smokers (n=60)", 0) in unplaced
    assert [c.value for c in r.unplaced if c.text == "Smokers (n=40)"] == [40.0]


# ------------------------------------------------------------------------------ the largest unplaced kinds
def test_a_last_label_with_blank_cells_to_the_row_end_spans_them():
    """``95% CI`` printed once over ``Lower | Upper`` with a blank cell after it (a full grid that keeps its
    empty cells): the CI spans both columns; ``Multivariable analysis`` once over three models likewise."""
    from eprstats.audit.readers.headers import _spans_to_end

    head = [["Variable", "P", "OR", "95% CI", ""], ["", "", "", "Lower", "Upper"]]
    assert _spans_to_end(head[0], head[1], 1, 5) == 3
    # a row below that prints a label left of the last label: which columns it spans is not printed
    assert _spans_to_end(["Variable", "Training", "Validation", ""], ["", "AUC", "AUC", "P"], 1, 4) is None
    # nothing under the label's own column (``P`` on the lower row alone: a column of its own?): not read
    assert _spans_to_end(["", "Training", "Validation", ""], ["", "", "", "P"], 1, 4) is None
    # a row below with no empty cell among its labels (a copy that may have dropped cells): not this rule's
    assert _spans_to_end(["", "Cohort A", ""], ["", "OR", "P"], 1, 3) is None
    assert _spans_to_end(["", "Training", "Validation", "", ""], ["", "EPR", "Non-EPR", "EPR", "Non-EPR"], 1, 5) \
        is None
    r = _read("""
Table 3 Multivariable analysis of risk factors
| Variable | Multivariable analysis | | | | | |
| | Model 1 | | Model 2 | | Model 3 | |
| | OR (95% CI) | P | OR (95% CI) | P | OR (95% CI) | P |
| Age (per year) | 1.04 (1.01–1.07) | 0.012 | 1.03 (1.00–1.06) | 0.048 | 1.03 (0.99–1.07) | 0.140 |
| Smoking | 2.11 (1.20–3.71) | 0.010 | 1.95 (1.07–3.55) | 0.029 | 1.62 (0.86–3.05) | 0.135 |
""")
    got = _placed(r)
    assert got[("1.04 (1.01–1.07)", 0)] == ("or", "", "", "Model 1", "Age (per year)", "")
    assert got[("1.95 (1.07–3.55)", 2)] == ("ci_high", "", "", "Model 2", "Smoking", "")
    assert got[("0.135", 0)][:4] == ("p", "", "", "Model 3")


def test_numbered_models_under_an_analysis_over_part_of_the_table_are_unplaced():
    """``Univariable`` over one column and ``Multivariable`` over ``Model 1 | Model 2``: the analysis tells the
    columns apart, and the headers do not say whether ``Model 1`` is the model or a group of the analysis."""
    r = _read("""
Table 3 Logistic regression
| Variable | Univariable | Multivariable | Multivariable |
| | | Model 1 | Model 2 |
| | OR | OR | OR |
|---|---|---|---|
| Age | 1.05 | 1.04 | 1.03 |
""")
    got, unplaced = _placed(r), _unplaced(r)
    assert got[("1.05", 0)] == ("or", "", "", "Univariable", "Age", "")
    assert ("1.04", 0) not in got and "no header says which" in unplaced[("1.04", 0)]


def test_time_horizons_with_a_statistic_are_its_groups_where_two_or_more_are_printed():
    r = _read("""
Table 2 Discrimination of the models
| Model | C-index (95% CI) | 3-year AUC (95% CI) | 5-year AUC (95% CI) |
|---|---|---|---|
| Nomogram | 0.742 (0.701-0.783) | 0.771 (0.722-0.820) | 0.764 (0.709-0.819) |
| TNM stage | 0.661 (0.617-0.705) | 0.680 (0.625-0.735) | 0.672 (0.611-0.733) |
""")
    got = _placed(r)
    assert got[("0.771 (0.722-0.820)", 0)] == ("auc", "", "3-year", "Nomogram", "", "")
    assert got[("0.672 (0.611-0.733)", 2)] == ("ci_high", "", "5-year", "TNM stage", "", "")
    assert got[("0.742 (0.701-0.783)", 0)] == ("c_index", "", "", "Nomogram", "", "")
    # one horizon alone is the table's outcome: no group
    r1 = _read("""
Table 2 Discrimination
| Model | C-index | 3-year AUC |
|---|---|---|
| Nomogram | 0.742 | 0.771 |
""")
    assert _placed(r1)[("0.771", 0)] == ("auc", "", "", "Nomogram", "", "")


def test_a_median_with_one_number_in_brackets_is_the_median_only_under_iqr():
    r = _read("""
Table 1 Characteristics of the cohorts
| Characteristic | Training (n = 300) | Test (n = 120) |
|---|---|---|
| Age (years), median (IQR) | 61.0(14.0) | 59.5(15.5) |
| Tumour size (mm), median (range) | 32(51) | 30(47) |
""")
    got, unplaced = _placed(r), _unplaced(r)
    assert got[("61.0(14.0)", 0)] == ("median", "Training", "", "", "Age (years)", "")
    assert ("61.0(14.0)", 1) not in got and "IQR" in unplaced[("61.0(14.0)", 1)]
    # a range printed as one number is no IQR and no pair of bounds: neither number is placed
    assert ("32(51)", 0) not in got and ("32(51)", 1) not in got


def test_lower_and_upper_under_a_95_ci_header_are_the_bounds_of_the_estimate_on_their_left():
    """``95% CI`` printed once over ``Lower | Upper`` (its blank cell to the row's end): the bounds of the OR on
    their left, as ``Lower 95% CI | Upper 95% CI`` are (round 4's CI-bound columns); never a model named Lower."""
    r = _read("""
Table 3 Multivariable logistic regression
| Variable | OR | 95% CI | |
| | | Lower | Upper |
| Age | 1.052 | 1.010 | 1.096 |
| Diabetes | 2.310 | 1.120 | 4.764 |
""")
    got = _placed(r)
    assert got[("1.010", 0)] == ("ci_low", "", "", "", "Age", "")
    assert got[("4.764", 0)] == ("ci_high", "", "", "", "Diabetes", "")
    assert got[("2.310", 0)] == ("or", "", "", "", "Diabetes", "")
    assert {c.of for c in r.placed if c.role.startswith("ci_")} == {"or"}


def test_a_row_label_headed_by_cohort_stays_a_variable_and_its_levels():
    """The head-noun rule reads column headers only: in the rows, ``Source cohort`` with its P is a variable and
    ``Hospital A cohort`` its level (a characteristics table's rows are variables), never cohort sections."""
    r = _read("""
Table 1 Characteristics of the patients
| Characteristic | Responders (n = 60) | Non-responders (n = 40) | P |
|---|---|---|---|
| Source cohort | | | 0.210 |
|  Hospital A cohort | 30 (50.0%) | 25 (62.5%) | |
|  Hospital B cohort | 30 (50.0%) | 15 (37.5%) | |
| Sex, n (%) | | | 0.433 |
|  Male | 30 (50.0%) | 20 (50.0%) | |
""")
    got = _placed(r)
    assert got[("0.210", 0)] == ("p", "", "", "", "Source cohort", "")
    assert got[("25 (62.5%)", 0)] == ("count", "", "Non-responders", "", "Source cohort", "Hospital A cohort")
    assert got[("20 (50.0%)", 1)] == ("percent", "", "Non-responders", "", "Sex", "Male")
