"""Regression cases for the numbers the importer misplaced in six corpus tables (issue #22): each table cut to
the rows that showed the fault, read as `audit-import` reads a text (find_grids, then the placing).

Oracle: the hand-made answer keys (tests/audit/corpus/keys.py, written from the article pages): the role and
place each expected value has here is the key's for the same printed cell; a value the key gives no role
(``-``) must stay unplaced. Where a layout gives no way to tell (no indentation, a header left of its numbers),
the numbers must be unplaced, never placed elsewhere.
"""
from __future__ import annotations

from eprstats.audit.importer_cells import from_grid
from eprstats.audit.importer_tables import find_grids
from eprstats.audit.readers import name_tables, read_table


def _read(text: str):
    lines = text.strip("\n").split("\n")
    grids, _ = find_grids(lines)
    reads = [read_table(t) for t in name_tables([from_grid(g, "t", lines) for g in grids])]
    assert len(reads) == 1
    return reads[0]


def _placed(r) -> dict:
    """(printed text, position) -> (role, cohort, group, model, variable, level) of every placed number."""
    return {(c.text, c.position): (c.role, c.cohort, c.group, c.model, c.variable, c.level) for c in r.placed}


def test_auc_plus_minus_a_95_ci_is_the_estimate_and_its_half_width_not_an_sd():
    """Cancer Imaging (s40644-020-00308-z) Table 2: ``0.703 ± 0.03`` under ``AUC ± 95% CI``; key: auc, then the
    CI's half-width (no role)."""
    r = _read("""
Table 2 Predictive performance of the CT diagnostic criteria and generated classifiers
| Models | Dataset | Accuracy (%) | Sensitivity (%) | Specificity (%) | AUC ± 95% CI |
|---|---|---|---|---|---|
| Clinical model | Training | 65.38 | 83.87 | 47.13 | 0.703 ± 0.03 |
| | Test | 62.82 | 84.62 | 41.03 | 0.772 ± 0.05 |
""")
    got = _placed(r)
    assert got[("0.703 ± 0.03", 0)] == ("auc", "Training", "", "Clinical model", "", "")
    assert got[("0.772 ± 0.05", 0)] == ("auc", "Test", "", "Clinical model", "", "")
    assert not any(c.role == "sd" for c in r.placed)
    half = [c for c in r.unplaced if c.position == 1]
    assert len(half) == 2 and all("half-width" in c.reason for c in half)


def test_a_cohort_in_the_top_left_header_is_the_cohort_of_every_number():
    """Scientific Reports (s41598-023-46208-7) Table 4: ``External validation set`` over the rate labels."""
    r = _read("""
Table 4 Comparison of classification performance.
External validation set | Proposed DL system | InceptionV3 |
---|---|---|
Sensitivity | 0.820 | 0.500 |
AUROC | 0.916 | 0.730 |
""")
    got = _placed(r)
    assert got[("0.820", 0)] == ("sensitivity", "External validation set", "", "Proposed DL system", "", "")
    assert got[("0.730", 0)] == ("auc", "External validation set", "", "InceptionV3", "", "")
    assert not r.unplaced


def test_a_cohort_row_label_with_its_n_is_a_cohort_and_keeps_its_parenthesis():
    """s41379-020-00674-w Table 2: ``Internal cohort test set (N = 224)``, ``External cohort with fine-tuning
    (test set N = 357)``: the n of a cohort, named as the key names it."""
    r = _read("""
Table 2 Performance metrics.
| Cohort | AUC |
|---|---|
| Internal cohort test set (N = 224) | 0.993 (0.975–1.00) |
| External cohort with fine-tuning (test set N = 357) | 0.964 (0.902–0.998) |
""")
    got = _placed(r)
    assert got[("Internal cohort test set (N = 224)", 0)] == ("n", "Internal cohort test set", "", "", "", "")
    assert got[("External cohort with fine-tuning (test set N = 357)", 0)] == (
        "n", "External cohort with fine-tuning (test set)", "", "", "", "")
    assert got[("0.993 (0.975–1.00)", 0)] == ("auc", "Internal cohort test set", "", "", "", "")
    assert not any(c.group for c in r.placed)


WJG = """
Table 1 Baseline characteristics of patients in the training and validation cohorts
| Characteristic | Total (n = 283) | Training cohort (n = 189) | Validation cohort (n = 94) | P value |
|---|---|---|---|---|
| Tumor differentiation, n (%) | | | | 0.530 |
| Poor | 56 (19.8) | 33 (17.5) | 23 (24.5) | |
| Well | 99 (35.0) | 75 (39.6) | 24 (25.5) | |
| Liver capsular invasion | 160 (56.5) | 112 (59.3) | 45 (51.1) | 0.190 |
| HBV-DNA, n (%) | | | | 0.130 |
| < 2000 IU/mL | 173 (61.1) | 127(67.2) | 46 (48.9) | |
| AFP ≥ 40 ng/mL | 158 (55.8) | 106 (56.1) | 52 (55.3) | 0.903 |
"""


def test_a_total_column_beside_cohorts_is_a_cohort_and_a_one_row_variable_is_not_a_level():
    """World J Gastroenterol 2024;30:1727 Table 1: ``Total (n = 283)`` is the key's cohort ``Total``; a binary
    variable printed on one row with its own P after the levels of a variable whose P is on its own row is a
    variable of its own (key: variable ``Liver capsular invasion``, no level)."""
    got = _placed(_read(WJG))
    assert got[("Total (n = 283)", 0)] == ("n", "Total", "", "", "", "")
    assert got[("56 (19.8)", 0)] == ("count", "Total", "", "", "Tumor differentiation", "Poor")
    assert got[("160 (56.5)", 1)] == ("percent", "Total", "", "", "Liver capsular invasion", "")
    assert got[("45 (51.1)", 0)] == ("count", "Validation cohort", "", "", "Liver capsular invasion", "")
    assert got[("0.190", 0)] == ("p", "", "", "", "Liver capsular invasion", "")
    assert got[("106 (56.1)", 0)] == ("count", "Training cohort", "", "", "AFP ≥ 40 ng/mL", "")
    assert got[("0.903", 0)] == ("p", "", "", "", "AFP ≥ 40 ng/mL", "")


def test_a_total_column_beside_outcome_groups_is_not_placed_as_a_group():
    """The same ``Total`` beside outcome groups is their union: no place in the audit's vocabulary."""
    r = _read("""
Table 1 Characteristics
| Characteristic | EPR (n = 40) | Non-EPR (n = 60) | Total (n = 100) | P |
|---|---|---|---|---|
| Sex, n (%) | | | | 0.40 |
| Male | 20 (50.0) | 25 (41.7) | 45 (45.0) | |
| Female | 20 (50.0) | 35 (58.3) | 55 (55.0) | |
""")
    assert not any("total" in (c.group + c.cohort).casefold() for c in r.placed)
    assert {c.text for c in r.unplaced} >= {"45 (45.0)", "55 (55.0)", "Total (n = 100)"}
    assert _placed(r)[("20 (50.0)", 0)][:3] == ("count", "", "EPR")


def test_one_row_counts_without_a_form_stay_unplaced_when_they_do_not_fit_the_columns_n():
    """A row with no form of its own whose ``a (b)`` are not a count of the column's printed n and its
    percentage (a mean and SD): left unplaced."""
    r = _read("""
Table 1 Baseline characteristics
| Characteristic | Training cohort (n = 189) | Validation cohort (n = 94) | P value |
|---|---|---|---|
| Sex, n (%) | | | 0.467 |
| Male | 163 (86.2) | 78 (83.0) | |
| Age | 52 (11) | 53 (10) | 0.760 |
""")
    assert not any(c.text in ("52 (11)", "53 (10)") for c in r.placed)


NATCOMMS = """
Table 2 Logistic regression analyses on the training data set (n = 1030)
| Characteristic | Univariable analyses | | Multivariable analyses | |
|---|---|---|---|---|
| | OR (95% CI) | p value | OR (95% CI) | p value |
| Sex (Male) | 0.582 (0.434–0.780) | <0.001 | 0.627 (0.390–1.008) | 0.054 |
| Radiological type | | <0.001 | | 0.092 |
|  Pure GGO | Ref. | | Ref. | |
|  Part-solid | 0.388 (0.212–0.709) | 0.002 | 0.550 (0.254–1.191) | 0.129 |
|  Pure solid | 0.089 (0.050-0.159) | <0.001 | 0.363 (0.146-0.904) | 0.030 |
| Solid-component size, mm | 0.984 (0.974-0.995) | 0.004 | 1.042 (1.021-1.064) | <0.001 |
| Spiculation | 1.896 (1.076-3.342) | 0.027 | 2.405 (0.989-5.844) | 0.053 |
"""


def test_a_reference_level_does_not_open_a_section_and_indentation_ends_the_levels():
    """Nature Communications 2025;16:84 Table 2: ``Pure GGO | Ref.`` is a level of ``Radiological type``
    (whose P is on its own row); the indented levels end where the indentation does."""
    got = _placed(_read(NATCOMMS))
    uv, mv = "Univariable analyses", "Multivariable analyses"
    assert got[("<0.001", 0)][1:] != ()
    assert got[("0.388 (0.212–0.709)", 0)] == ("or", "", "", uv, "Radiological type", "Part-solid")
    assert got[("0.363 (0.146-0.904)", 0)] == ("or", "", "", mv, "Radiological type", "Pure solid")
    assert got[("0.092", 0)] == ("p", "", "", mv, "Radiological type", "")
    assert got[("0.984 (0.974-0.995)", 2)] == ("ci_high", "", "", uv, "Solid-component size, mm", "")
    assert got[("2.405 (0.989-5.844)", 0)] == ("or", "", "", mv, "Spiculation", "")


def test_without_indentation_the_rows_after_a_categorical_variable_are_unplaced_not_levels():
    """The same table as a text that lost the indentation: where the levels end is not printed, so the rows
    after ``Radiological type`` are unplaced with the reason, never placed as its levels."""
    r = _read(NATCOMMS.replace("|  ", "| "))
    assert not any(c.variable == "Radiological type" and c.level for c in r.placed)
    assert not any(c.level for c in r.placed)
    assert _placed(r)[("0.582 (0.434–0.780)", 0)] == ("or", "", "", "Univariable analyses", "Sex (Male)", "")
    late = [c for c in r.unplaced if c.text.startswith("1.896")]
    assert late and "indentation" in late[0].reason


PMC10493896 = """
Table 2. Characteristics of patients and tumors in the entire dataset and the training and validation sets.
| Patient and tumour characteristics | Entire set | Training set | Validation set | P-value | |
|---|---|---|---|---|---|
| (n = 108) | (n = 72) | (n = 36) | |||
| Sex | Male | 52 (48%) | 35 (49%) | 17 (47%) | 0.946 |
| Female | 56 (52%) | 37 (51%) | 19 (53%) | ||
| Age (years) | mean±SD | 63.5 ± 14.3 | 64.0 ± 13.9 | 62.40 ± 15.3 | 0.672 |
| T-stage | T1 | 17 (16%) | 10 (14%) | 7 (19%) | |
| T2 | 33 (31%) | 22 (31%) | 11 (31%) | 0.738 | |
| T3 | 58 (54%) | 40 (56%) | 18 (50%) | ||
| Pathological dimension (mm) | median [95% CI] | 25 [20, 25.6] | 25 [20.3, 29.3] | 20 [16.7, 30] | 0.408 |
"""


def test_a_header_left_of_its_numbers_moves_over_them_where_one_way_fits():
    """PMC10493896 Table 2 as its PMC text gives it: the header spans two label columns, the copy keeps one
    place and pads the rows at their end, so every header sits left of its numbers. Its four names after the
    first fill exactly the four columns of numbers: the first spans the labels and the others move right (the
    key: the entire set's counts are the third column's, the P the variable's, on its first level's row that
    prints the variable, and on a middle level's row)."""
    r = _read(PMC10493896)
    got = _placed(r)
    assert got[("(n = 108)", 0)] == ("n", "Entire set", "", "", "", "")
    assert got[("52 (48%)", 0)] == ("count", "Entire set", "", "", "Sex", "Male")
    assert got[("19 (53%)", 1)] == ("percent", "Validation set", "", "", "Sex", "Female")
    assert got[("0.946", 0)] == ("p", "", "", "", "Sex", "")
    assert got[("0.738", 0)] == ("p", "", "", "", "T-stage", "")
    assert got[("33 (31%)", 0)] == ("count", "Entire set", "", "", "T-stage", "T2")
    assert got[("63.5 ± 14.3", 0)] == ("mean", "Entire set", "", "", "Age (years)", "")
    assert got[("0.672", 0)] == ("p", "", "", "", "Age (years)", "")
    assert got[("25 [20.3, 29.3]", 1)] == ("ci_low", "Training set", "", "", "Pathological dimension (mm)", "")


def test_a_header_left_of_its_numbers_that_does_not_fill_them_leaves_them_unplaced():
    """The same copy with one name fewer than the columns of numbers: which header is whose is not printed."""
    r = _read(PMC10493896.replace("| Validation set | P-value | |", "| Validation set | | |"))
    assert not r.placed
    assert {c.text for c in r.unplaced} >= {"52 (48%)", "0.672", "25 [20.3, 29.3]"}


def test_a_p_on_one_level_row_is_the_variables_where_the_row_prints_it_or_the_level_is_not_the_first():
    """A variable's test P printed once among its levels: on the row that prints the variable beside its first
    level, or on a later level (a merged cell printed at its middle), it is the variable's P; on the first
    level's row under a variable printed on its own row it stays where it is printed (the first level's); a P
    on every level is each level's."""
    got = _placed(_read("""
Table 1 Characteristics, n (%)
| Characteristic | | Cases (n = 50) | Controls (n = 50) | P |
|---|---|---|---|---|
| Sex | Male | 20 (40.0) | 25 (50.0) | 0.32 |
| | Female | 30 (60.0) | 25 (50.0) | |
| Stage | I | 10 (20.0) | 20 (40.0) | |
| | II | 25 (50.0) | 20 (40.0) | 0.06 |
| | III | 15 (30.0) | 10 (20.0) | |
| Smoking | Never | 30 (60.0) | 35 (70.0) | 0.29 |
| | Ever | 20 (40.0) | 15 (30.0) | 0.41 |
"""))
    assert got[("0.32", 0)] == ("p", "", "", "", "Sex", "")
    assert got[("0.06", 0)] == ("p", "", "", "", "Stage", "")
    assert got[("0.29", 0)] == ("p", "", "", "", "Smoking", "Never")
    assert got[("0.41", 0)] == ("p", "", "", "", "Smoking", "Ever")
    got = _placed(_read("""
Table 1 Characteristics, n (%)
| Characteristic | Cases (n = 50) | Controls (n = 50) | P |
|---|---|---|---|
| Sex | | | |
|  Male | 20 (40.0) | 25 (50.0) | 0.32 |
|  Female | 30 (60.0) | 25 (50.0) | |
"""))
    assert got[("0.32", 0)] == ("p", "", "", "", "Sex", "Male")


def test_a_median_with_its_95_ci():
    """The same rows with the header where the page prints it: ``median [95% CI]`` gives a median and its CI
    (key: median, ci_low, ci_high), not quartiles; the P is a P (key), not a mean."""
    r = _read("""
Table 2. Characteristics
| Patient and tumour characteristics | | Entire set | Training set | Validation set | P-value |
|---|---|---|---|---|---|
| Age (years) | mean±SD | 63.5 ± 14.3 | 64.0 ± 13.9 | 62.40 ± 15.3 | 0.672 |
| Pathological dimension (mm) | median [95% CI] | 25 [20, 25.6] | 25 [20.3, 29.3] | 20 [16.7, 30] | 0.408 |
""")
    got = _placed(r)
    assert got[("25 [20.3, 29.3]", 1)] == ("ci_low", "Training set", "", "", "Pathological dimension (mm)", "")
    assert got[("25 [20.3, 29.3]", 2)] == ("ci_high", "Training set", "", "", "Pathological dimension (mm)", "")
    assert got[("63.5 ± 14.3", 0)] == ("mean", "Entire set", "", "", "Age (years)", "")
    assert got[("0.672", 0)] == ("p", "", "", "", "Age (years)", "")
    assert not any(c.role in ("q1", "q3") for c in r.placed)


def test_fisher_is_not_run_on_a_large_r_by_c_table_and_the_check_says_so():
    """Fisher's exact test on a 4x3 table of 645 was unfinished in R after 200 s: it is "not computed" there,
    while the chi-square rules are still R's (Pearson's P against scipy's chi2_contingency, an independent oracle);
    a 2x2 table, however large, and a small r x c table still get Fisher."""
    from scipy.stats import chi2_contingency

    from eprstats.audit.table1_cells import _bound_fisher
    big = [[60, 50, 40], [70, 60, 30], [80, 40, 50], [50, 70, 45]]
    cache: dict = {}
    why = _bound_fisher(big, cache)
    assert "not computed" in why and "4x3" in why and "645" in why
    tests = cache[tuple(map(tuple, big))]
    assert "not computed" in tests["fisher"]["error"]
    assert abs(tests["pearson"]["p"] - chi2_contingency(big, correction=False)[1]) < 1e-9
    assert _bound_fisher([[400, 300], [350, 420]], {}) == ""
    assert _bound_fisher([[33, 81, 75], [23, 47, 24]], {}) == ""          # 2x3 of 283: Fisher in under a second
