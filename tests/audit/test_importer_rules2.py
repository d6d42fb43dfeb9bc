"""General placing rules of `audit-import` made for the second held-out set's misplacements (issue #22,
docs/audit_import.md "Held-out 2"), each tested on a small table written for the rule, not copied from those
tables. Oracle: what the printed headers say each number is, by the rule; where the headers allow more than one
reading, the numbers must be unplaced.

(1) a one-cell column header that starts with a cohort word: a cohort and a group only where the rest names an
    outcome group or the same groups repeat under every cohort; otherwise one cohort's name, or no place;
(2) a row label glued to a cohort word by ``_``: a model and a cohort only where the column's labels all are;
(3) a row label that is only a bound or a range: a level of the variable row above with no numbers of its own.
"""
from __future__ import annotations

from tests.audit.test_importer_misplaced import _placed, _read


# --------------------------------------------------------------------------- (1) cohort headers in one cell
def test_a_cohort_header_that_goes_on_with_its_name_is_one_cohort_not_a_cohort_and_a_group():
    """``Development and test set Medical cohort (N = 80)`` beside ``External set Medical cohort (N = 40)`` in a
    cohort-comparison table: nothing after the cohort word names an outcome (``and test set`` goes on with the
    name, ``Medical cohort`` is a cohort's word): each whole header is one cohort, with no group."""
    r = _read("""
Table 1 Characteristics of the two cohorts
| | Development and test set Medical cohort (N = 80) | External set Medical cohort (N = 40) | P |
|---|---|---|---|
| Age (years) | 61.2 ± 8.1 | 63.0 ± 7.7 | 0.24 |
| Sex, n (%) | | | 0.55 |
|  Male | 50 (62.5%) | 23 (57.5%) | |
|  Female | 30 (37.5%) | 17 (42.5%) | |
""")
    got = _placed(r)
    dev, ext = "Development and test set Medical cohort", "External set Medical cohort"
    assert got[("61.2 ± 8.1", 0)] == ("mean", dev, "", "", "Age (years)", "")
    assert got[("23 (57.5%)", 0)] == ("count", ext, "", "", "Sex", "Male")
    assert got[("External set Medical cohort (N = 40)", 0)] == ("n", ext, "", "", "", "")
    assert not any(c.group for c in r.placed) and not r.unplaced


def test_a_cohort_header_splits_where_its_rest_names_an_outcome_or_repeats_under_every_cohort():
    """``Training responders`` names an outcome group (the outcome vocabulary); ``Training Luminal`` /
    ``Training Basal`` do not, but the same two stand under every cohort: both are groups. A rest alone under
    its cohort (``Training Surgical`` beside ``Test Surgical``) is the cohort's name."""
    got = _placed(_read("""
Table 1 Characteristics by response
| Characteristic | Training responders | Training non-responders | Test responders | Test non-responders |
|---|---|---|---|---|
| Smoker, n (%) | 12 (40.0) | 20 (50.0) | 5 (33.3) | 9 (45.0) |
"""))
    assert got[("20 (50.0)", 0)] == ("count", "Training", "non-responders", "", "Smoker", "")
    assert got[("5 (33.3)", 1)] == ("percent", "Test", "responders", "", "Smoker", "")
    got = _placed(_read("""
Table 1 Characteristics by subtype
| Characteristic | Training Luminal | Training Basal | Test Luminal | Test Basal |
|---|---|---|---|---|
| Smoker, n (%) | 12 (40.0) | 20 (50.0) | 5 (33.3) | 9 (45.0) |
"""))
    assert got[("9 (45.0)", 0)] == ("count", "Test", "Basal", "", "Smoker", "")
    got = _placed(_read("""
Table 1 Characteristics of the cohorts
| Characteristic | Training Surgical | Test Surgical |
|---|---|---|
| Smoker, n (%) | 12 (40.0) | 5 (33.3) |
"""))
    assert got[("5 (33.3)", 0)] == ("count", "Test Surgical", "", "", "Smoker", "")


def test_a_cohort_header_whose_rests_fit_neither_reading_leaves_its_column_unplaced():
    """``Training Luminal | Training Basal | Test Luminal``: two groups under one cohort, one under the other
    and no outcome word; neither "cohort and group" nor "one cohort's name" is what the headers say."""
    from eprstats.audit.readers.glued import outcome_group
    r = _read("""
Table 1 Characteristics by subtype
| Characteristic | Training Luminal | Training Basal | Test Luminal |
|---|---|---|---|
| Smoker, n (%) | 12 (40.0) | 20 (50.0) | 5 (33.3) |
""")
    assert not r.placed and len(r.unplaced) == 6
    assert all("cohort" in c.reason and "group" in c.reason for c in r.unplaced)
    assert outcome_group("non-EPR") and outcome_group("LNM+") and outcome_group("Recurrence")
    assert not outcome_group("Surgical cohort") and not outcome_group("Luminal")


# --------------------------------------------------------------------------- (2) labels glued to a cohort word
def test_a_row_label_glued_to_a_cohort_word_splits_where_every_label_of_its_column_does():
    """``Radiomics_train`` ... ``Nomogram_test``: model and cohort, one consistent split (suffix or prefix)."""
    text = """
Table 3 Model performance
| Model | AUC | Sensitivity | Specificity |
|---|---|---|---|
| Radiomics_train | 0.842 | 0.781 | 0.805 |
| Radiomics_test | 0.801 | 0.750 | 0.772 |
| Nomogram_train | 0.885 | 0.812 | 0.840 |
| Nomogram_test | 0.853 | 0.800 | 0.818 |
"""
    got = _placed(_read(text))
    assert got[("0.842", 0)] == ("auc", "train", "", "Radiomics", "", "")
    assert got[("0.818", 0)] == ("specificity", "test", "", "Nomogram", "", "")
    got = _placed(_read(text.replace("Radiomics_train", "train_Radiomics").replace("Radiomics_test", "test_Radiomics")
                        .replace("Nomogram_train", "training_Nomogram").replace("Nomogram_test", "val_Nomogram")))
    assert got[("0.801", 0)] == ("auc", "test", "", "Radiomics", "", "")
    assert got[("0.853", 0)] == ("auc", "val", "", "Nomogram", "", "")


def test_a_row_label_glued_where_its_neighbours_are_not_is_unplaced_not_guessed():
    """``Score_test`` among ``Clinical model`` and ``Combined model``: a model named so, or the Score model's
    test cohort? The other labels do not say: its numbers are unplaced; the others' are placed."""
    r = _read("""
Table 3 Model performance
| Model | AUC | Sensitivity |
|---|---|---|
| Clinical model | 0.701 | 0.650 |
| Score_test | 0.744 | 0.700 |
| Combined model | 0.812 | 0.760 |
""")
    got = _placed(r)
    assert got[("0.701", 0)] == ("auc", "", "", "Clinical model", "", "")
    assert {c.text for c in r.unplaced} == {"0.744", "0.700"}
    assert all("glued" in c.reason for c in r.unplaced)


# --------------------------------------------------------------------------- (3) a bound or a range as a label
def test_a_bound_or_a_range_label_is_a_level_of_the_variable_row_above_without_numbers():
    """An indented regression table whose ``Tumour size`` levels are indented as much as the variable: a label
    that is only a bound or a range cannot name a variable; it is a level of the nearest variable row above that
    prints no numbers of its own. After a variable printed with its numbers (``Age``), no row says whose level
    ``≥ 70`` is: unplaced."""
    from eprstats.audit.readers.glued import bound_label
    assert all(bound_label(x) for x in ("< 10 mm", "≥ 60", "10–15 mm", "10-15", "> 2.5 cm", "20 to 40 mm"))
    assert not any(bound_label(x) for x in ("T2", "Age > 60", "≥ T2", "Grade 2", "CEA (ng/mL)", "mm"))
    r = _read("""
Table 2 Logistic regression for nodal metastasis
| Variable | Univariable | | Multivariable | |
|---|---|---|---|---|
| | OR (95% CI) | P | OR (95% CI) | P |
| Stage | | | | |
|   I | 1.00 | | 1.00 | |
|   II | 2.10 (1.10, 4.01) | .024 | 1.90 (0.95, 3.80) | .070 |
|  Tumour size | | | | |
|  < 20 mm | 1.00 | | 1.00 | |
|  20–40 mm | 1.85 (0.90, 3.80) | .094 | 1.60 (0.70, 3.66) | .27 |
|  > 40 mm | 3.20 (1.40, 7.31) | .006 | 2.90 (1.20, 7.01) | .018 |
|  Age | 1.03 (1.01, 1.05) | .010 | 1.02 (1.00, 1.04) | .048 |
|  ≥ 70 | 1.40 (0.70, 2.80) | .34 | 1.20 (0.55, 2.62) | .65 |
""")
    got = _placed(r)
    uni, multi = "Univariable", "Multivariable"
    assert got[("1.85 (0.90, 3.80)", 0)] == ("or", "", "", uni, "Tumour size", "20–40 mm")
    assert got[(".018", 0)] == ("p", "", "", multi, "Tumour size", "> 40 mm")
    assert got[("2.10 (1.10, 4.01)", 0)] == ("or", "", "", uni, "Stage", "II")
    assert got[("1.02 (1.00, 1.04)", 0)] == ("or", "", "", multi, "Age", "")
    assert not any(c.variable.startswith(("<", ">", "≥", "20")) for c in r.placed)
    left = [c for c in r.unplaced if c.text in ("1.40 (0.70, 2.80)", ".34", "1.20 (0.55, 2.62)", ".65")]
    assert len(left) == 8 and all("bound or a range" in c.reason for c in left)


def test_numbers_under_a_sub_analysis_heading_are_unplaced():
    """``CT`` and ``PET`` over the same variables, each over its levels (three depths of indentation): the heading
    is no variable, and nothing says whether it is a group, a cohort or a model; its numbers are unplaced, never
    placed as the whole table's (a variable printed under one heading only would be)."""
    r = _read("""
Table 3 Odds ratios by imaging modality
| Variable | OR (95% CI) | P |
|---|---|---|
| CT | | |
|  Size | | |
|   Small | Ref. | |
|   Large | 3.10 (1.20, 8.01) | .019 |
| PET | | |
|  Size | | |
|   Small | Ref. | |
|   Large | 2.40 (1.05, 5.49) | .038 |
|  SUVmax | | |
|   Low | Ref. | |
|   High | 4.20 (1.60, 11.03) | .004 |
""")
    assert not r.placed and len(r.unplaced) == 12
    assert all("sub-analysis" in c.reason for c in r.unplaced)


def test_a_reference_ratio_of_1_alone_in_a_row_that_ends_early_is_never_moved_under_p():
    """A copy whose rows are each a prefix of the table (no empty cell before a filled one: it may drop empty
    cells) prints a reference level as ``I | 1.00``: the 1.00 is the reference OR (no CI to print) or a P moved
    left; both arrangements fit, so it is unplaced (it was moved under P, and its level read as a variable)."""
    r = _read("""
Table 2 Logistic regression
| Variable | OR (95% CI) | P |
|---|---|---|
| Stage | | |
|   I | 1.00 | |
|   II | 2.10 (1.10, 4.01) | .024 |
""")
    got = _placed(r)
    assert got[("2.10 (1.10, 4.01)", 0)] == ("or", "", "", "", "Stage", "II")
    assert got[(".024", 0)] == ("p", "", "", "", "Stage", "II")
    assert [c.text for c in r.unplaced] == ["1.00"] and "2 ways" in r.unplaced[0].reason
