"""General rules of `audit-import` of round 8 (issue #22, docs/audit_import.md "Round 8"), each tested on a small
table written for the rule in the way PMC's text copy prints such tables (empty cells dropped, a header row's
empty first cell left out), not copied from a held-out set, and each with a table where it must not fire.
Oracle: the place each number has on the page, written out by hand below.

(1) a header row the copy moved left (a cohort's name over the row labels, nothing over the last column): moved
    back where the last column prints numbers, ``p = 0.193`` included (readers/place.py ``_unshift_header``);
    where it cannot be moved back, no number of the table placed (readers/moved_header.py);
(2) a cohort's header with an outcome group in brackets, beside the same cohort's other group (``Test (disease
    positive) | Test (disease negative)``): the cohort and the group (readers/glued.py ``bracketed_group``);
(3) ``169/31`` under ``Male/Female`` (two groups' counts) or any ``a/b`` with a > b: no count and its n;
(4) a bracketed form goes whole from a name (``(No. %)``, ``(mean, y ± SD)``, ``(median; range)``), a unit inside
    it too; a ``%`` after a digit stays (``Percentile 1%``, ``≦50%``) (readers/words.py ``clean_name``);
(5) a summary's word alone (``Mean``) in a regression table's rows is a variable's name;
(6) a P printed on the first level's row only is the variable's (readers/sections.py ``variable_p``);
(7) the corpus's PMC10585575 Table 6 discrepancies, recomputed by an enumeration written here;
(8) a second header row ``Lower | Upper`` that the copy moved left: only a CI's header (``95% CI``) spans a CI's
    bounds, so the header has one solution (readers/dropped.py ``_group_ok``); ``Low`` / ``High`` alone are not
    held to it (a risk score's groups).
"""
from __future__ import annotations

from eprstats.audit.readers import words as W
from eprstats.audit.readers.moved_header import WHY as MOVED
from tests.audit.test_importer_misplaced import _placed, _read


def _by_text(r) -> dict:
    return {t: v for (t, k), v in _placed(r).items() if k == 0}


# ------------------------------------------------------------------ (1) a header row moved left
# the header names the two cohorts and the comparison; its empty first cell (over the labels) was dropped, so
# ``Derivation`` stands over the labels and the last column, of ``p = ...`` cells, has no header
_MOVED = """
Table 1. Characteristics of the derivation and test sets.
Derivation | Test | Comparison | |
---|---|---|---|
Age (years) | 61.2 ± 8.4 | 63.0 ± 9.1 | p = 0.210 |
BMI (kg/m2) | 24.1 ± 3.2 | 23.8 ± 3.5 | p = 0.604 |
"""


def test_a_header_row_moved_left_over_p_cells_is_moved_back():
    """Moved back by one: 61.2 is the derivation set's mean age (not the test set's), 63.0 the test set's; the
    ``p = ...`` cells are listed unplaced (a P printed with its name: placed it would be read as the variable's
    test across every column, where a paper's ``Comparison`` may compare two of them)."""
    got = _by_text(_read(_MOVED))
    assert got["61.2 ± 8.4"] == ("mean", "Derivation", "", "", "Age (years)", "")
    assert got["63.0 ± 9.1"] == ("mean", "Test", "", "", "Age (years)", "")
    assert got["23.8 ± 3.5"] == ("mean", "Test", "", "", "BMI (kg/m2)", "")
    r = _read(_MOVED)
    assert {c.text for c in r.unplaced} == {"p = 0.210", "p = 0.604"}


def test_a_header_row_moved_left_that_cannot_be_moved_back_places_nothing():
    """The last column prints words only (``NS``): nothing says the header moved but the cohort's name over the
    labels and the empty header over a filled column. Read as printed, 61.2 would be the test set's: every number
    is unplaced with why."""
    r = _read(_MOVED.replace("p = 0.210", "NS").replace("p = 0.604", "NS"))
    assert not r.placed
    assert {c.text for c in r.unplaced} == {"61.2 ± 8.4", "63.0 ± 9.1", "24.1 ± 3.2", "23.8 ± 3.5"}
    assert all(c.reason == MOVED for c in r.unplaced)


def test_a_header_over_the_labels_or_a_cohort_over_the_whole_table_is_not_moved():
    """Must not fire: the labels' header printed (``Characteristic``), the header as wide as the table; and a
    cohort's name over the labels of a table of rates whose header fills every column (the cohort of every
    number, as in Sci Rep's s41598-023-46208-7 Table 4)."""
    printed = _read(_MOVED.replace("Derivation | Test | Comparison | |", "Characteristic | Derivation | Test | "
                                   "Comparison").replace("---|---|---|---|", "---|---|---|---"))
    assert _by_text(printed)["61.2 ± 8.4"] == ("mean", "Derivation", "", "", "Age (years)", "")
    rates = _read("""
Table 4. Performance in the external set.
External validation set | Model A | Model B |
---|---|---|
Sensitivity | 0.820 | 0.340 |
Specificity | 0.940 | 0.830 |
""")
    assert _by_text(rates)["0.820"] == ("sensitivity", "External validation set", "", "Model A", "", "")
    assert _by_text(rates)["0.340"] == ("sensitivity", "External validation set", "", "Model B", "", "")


# ------------------------------------------------------------------ (2) a cohort's outcome group in brackets
_GROUPS = """
Table 1. Patients.
| Characteristic | Training | Test (disease positive) | Test (disease negative) | P |
|---|---|---|---|---|
| Age (years) | 60.2 ± 9.1 | 62.5 ± 8.0 | 58.1 ± 10.2 | 0.04 |
"""


def test_a_bracketed_outcome_group_beside_its_sibling_is_the_cohorts_group():
    got = _by_text(_read(_GROUPS))
    assert got["60.2 ± 9.1"] == ("mean", "Training", "", "", "Age (years)", "")
    assert got["62.5 ± 8.0"] == ("mean", "Test", "disease positive", "", "Age (years)", "")
    assert got["58.1 ± 10.2"] == ("mean", "Test", "disease negative", "", "Age (years)", "")


def test_a_bracketed_note_or_a_lone_bracketed_group_stays_the_cohorts_name():
    """Must not fire: ``Validation cohort (center B)`` (no outcome word); ``Test (disease positive)`` with no
    sibling of the same cohort (which of the cohort's patients the bracket means is not said by a second column)."""
    note = _read(_GROUPS.replace("Test (disease positive)", "Validation cohort (center B)")
                 .replace("Test (disease negative)", "Test cohort (center C)"))
    got = _by_text(note)
    assert got["62.5 ± 8.0"][1:3] == ("Validation cohort", "")
    assert got["58.1 ± 10.2"][1:3] == ("Test cohort", "")
    lone = _by_text(_read(_GROUPS.replace("Test (disease negative)", "External")))
    assert lone["62.5 ± 8.0"][1:3] == ("Test", "")


# ------------------------------------------------------------------ (3) a/b that is no count and its n
def test_two_groups_counts_with_a_slash_are_not_a_count_and_its_n():
    """``Male/Female | 169/31``: 169 men, 31 women; read as a count and an n, 31 would be the cohort's n (an n
    check then fails: a false finding). ``Biopsy/Surgery | 75/125`` the same, with a < b. And ``12/5`` under a
    plain label: a count above its n. Must not fire: ``Smokers | 45/120`` (45 of 120)."""
    r = _read("""
Table 1. Patients.
| Characteristic | Training | Validation |
|---|---|---|
| Male/Female | 169/31 | 23/2 |
| Biopsy/Surgery | 75/125 | 11/14 |
| Relapses | 12/5 | 3/9 |
| Smokers | 45/120 | 20/60 |
""")
    unplaced = {c.text for c in r.unplaced}
    assert {"169/31", "23/2", "75/125", "11/14", "12/5"} <= unplaced
    assert not any(c.variable in ("Male/Female", "Biopsy/Surgery") for c in r.placed)
    got = _placed(r)
    assert got[("45/120", 0)] == ("count", "Training", "", "", "Smokers", "")
    assert got[("45/120", 1)] == ("n", "Training", "", "", "Smokers", "")
    assert got[("3/9", 1)] == ("n", "Validation", "", "", "Relapses", "")


def test_a_unit_with_a_slash_is_no_pair_of_groups():
    assert W.slash_pair("Male/Female") and W.slash_pair("Yes/No") and W.slash_pair("Biopsy/Surgery")
    assert not any(W.slash_pair(x) for x in ("mg/dL", "CEA (ng/mL)", "U/mL", "M/F", "Hepatitis B/C"))


# ------------------------------------------------------------------ (4) names without their bracketed form
def test_a_bracketed_form_goes_whole_and_a_percent_after_a_digit_stays():
    r = _read("""
Table 1. Patients.
| Characteristic | Training cohort (n = 71) | Validation cohort (n = 75) | P |
|---|---|---|---|
| Age (mean, y ± SD) | 54 ± 12 | 55 ± 11 | 0.60 |
| Tumor length (median; range) | 4 (2–12) | 4 (2–11) | 0.95 |
| Sex (No. %) | | | 0.31 |
| Male | 47 (66.2%) | 44 (58.7%) | |
| Female | 24 (33.8%) | 31 (41.3%) | |
| Circumferential extent (n, %) | | | 0.11 |
| ≦50% | 17 (23.9%) | 27 (36.0%) | |
| > 50% | 54 (76.1%) | 48 (64.0%) | |
""")
    got = _placed(r)
    assert got[("54 ± 12", 0)] == ("mean", "Training cohort", "", "", "Age", "")
    assert got[("4 (2–12)", 0)] == ("median", "Training cohort", "", "", "Tumor length", "")
    assert got[("4 (2–12)", 2)] == ("max", "Training cohort", "", "", "Tumor length", "")
    assert got[("47 (66.2%)", 0)] == ("count", "Training cohort", "", "", "Sex", "Male")
    assert got[("0.31", 0)] == ("p", "", "", "", "Sex", "")
    assert got[("17 (23.9%)", 0)] == ("count", "Training cohort", "", "", "Circumferential extent", "≦50%")
    assert got[("48 (64.0%)", 1)] == ("percent", "Validation cohort", "", "", "Circumferential extent", "> 50%")
    # a list that starts with its summary goes whole, the unit in it too
    assert W.clean_name("CEA level (mean, ng/mL)") == "CEA level" and W.clean_name("Age (mean, y)") == "Age"


def test_a_bracket_that_is_a_unit_a_level_or_a_ci_stays():
    """Must not fire: ``Age (years)``, ``CEA (ng/mL)`` and ``PD-L1 (≥50%)`` keep their bracket (a unit, a level's
    bound); ``AUC (95% CI)`` is a statistic's; a bracket of one form word; ``Sex, n (%)`` loses its form as
    before."""
    assert W.clean_name("Age (years)") == "Age (years)" and W.clean_name("CEA (ng/mL)") == "CEA (ng/mL)"
    assert W.clean_name("PD-L1 (≥50%)") == "PD-L1 (≥50%)" and W.clean_name("AUC (95% CI)") == "AUC (95% CI)"
    assert W.clean_name("Sex, n (%)") == "Sex" and W.clean_name("Age, median (IQR)") == "Age"
    assert W.clean_name("Percentile 1%") == "Percentile 1%" and W.clean_name("Sensitivity (%)") == "Sensitivity"
    # one form word alone in brackets is left as it was (``Hypermean (SD)``: test_importer_rules.py)
    assert W.clean_name("Age (SD)") == "Age (SD)" and W.clean_name("PD-L1 (≥ 50 %, n)") == "PD-L1 (≥ 50 %, n)"
    assert W.clean_name("Dose (n)") == "Dose (n)" and W.clean_name("Volume (mL, log)") == "Volume (mL, log)"


# ------------------------------------------------------------------ (5) ``Mean`` in a regression table's rows
def test_a_summary_word_in_a_regression_tables_rows_is_a_variable():
    """Radiomics first-order features as a logistic model's rows: ``Mean`` is a feature, its OR and P are its."""
    got = _placed(_read("""
Table 3. Multivariable logistic regression.
| Variables | OR (95% CI) | P value |
|---|---|---|
| Mean | 0.662 (0.137–3.200) | 0.608 |
| Skewness | 2.800 (1.034–7.582) | 0.043 |
"""))
    assert got[("0.662 (0.137–3.200)", 0)] == ("or", "", "", "", "Mean", "")
    assert got[("0.608", 0)] == ("p", "", "", "", "Mean", "")


def test_a_summary_word_in_a_characteristics_tables_rows_is_the_form():
    """Must not fire: under ``Age, years`` a ``Mean`` row's numbers are the age's means (the word is their form,
    not a variable)."""
    got = _by_text(_read("""
Table 1. Patients.
| Characteristic | Training | Validation | P |
|---|---|---|---|
| Age, years | | | |
| Mean | 60.1 | 59.8 | 0.71 |
"""))
    assert got["60.1"] == ("mean", "Training", "", "", "Age, years", "")


# ------------------------------------------------------------------ (6) a P on the first level's row
def test_a_p_on_the_first_levels_row_only_is_the_variables():
    """One test across the levels: Pearson's chi-square on [[60, 28], [40, 22]] is 0.639 (scipy, below), printed
    0.64 on Male's row; it is Sex's P, not Male's. Must not fire: a P on every level's row (each level's own)."""
    from scipy.stats import chi2_contingency

    assert round(chi2_contingency([[60, 28], [40, 22]], correction=False)[1], 2) == 0.64
    head = """
Table 1. Patients.
| Characteristic | Training (n = 100) | Validation (n = 50) | P |
|---|---|---|---|
| Sex, n (%) | | | |
"""
    one = _placed(_read(head + "| Male | 60 (60.0) | 28 (56.0) | 0.64 |\n| Female | 40 (40.0) | 22 (44.0) | |\n"))
    assert one[("0.64", 0)] == ("p", "", "", "", "Sex", "")
    each = _placed(_read(head + "| Male | 60 (60.0) | 28 (56.0) | 0.64 |\n| Female | 40 (40.0) | 22 (44.0) | 0.70 |\n"))
    assert each[("0.64", 0)] == ("p", "", "", "", "Sex", "Male")
    assert each[("0.70", 0)] == ("p", "", "", "", "Sex", "Female")


# ------------------------------------------------------------------ (7) PMC10585575 Table 6, by hand
def _splits(n: int, sens: float, spec: float, acc: float, d=(3, 3, 3)) -> list:
    """Every (positives, TP, TN) of n patients whose sensitivity, specificity and accuracy print as given (rounded
    to d decimals, the half-unit interval closed): an enumeration written here, not the audit's."""
    def ok(k, m, x, dec):
        return abs(k / m - x) <= 0.5 * 10 ** -dec + 1e-9
    return [(e, tp, tn) for e in range(1, n) for tp in range(e + 1) if ok(tp, e, sens, d[0])
            for tn in range(n - e + 1) if ok(tn, n - e, spec, d[1]) and ok(tp + tn, n, acc, d[2])]


def test_the_two_validation_accuracies_of_PMC10585575_table_6_cannot_be():
    """The nomogram's 0.759, 0.938, 0.822 fix 29 positives and 16 negatives of n = 45; with them Clinical's
    sensitivity 0.483 (14/29) and specificity 0.75 (12/16) give accuracy 26/45 = 0.578 (printed 0.644), Rad-score's
    0.655 (19/29) and 0.938 (15/16) give 34/45 = 0.756 (printed 0.689); no split of 45 gives either printed three.
    The training rows each fit one 2x2 table of 108, all with 69 positives (consistent)."""
    assert _splits(45, 0.759, 0.938, 0.822) == [(29, 22, 15)]
    assert (round(14 / 29, 3), round(12 / 16, 2), round(26 / 45, 3)) == (0.483, 0.75, 0.578)
    assert (round(19 / 29, 3), round(15 / 16 + 1e-9, 3), round(34 / 45, 3)) == (0.655, 0.938, 0.756)
    assert _splits(45, 0.483, 0.75, 0.644, (3, 2, 3)) == [] and _splits(45, 0.655, 0.938, 0.689) == []
    assert [s[0] for r in ((0.768, 0.795, 0.778), (0.652, 0.795, 0.704), (0.638, 0.821, 0.704))
            for s in _splits(108, *r)] == [69, 69, 69]


# ------------------------------------------------------------------ (8) ``Lower | Upper`` under ``95% CI`` only
# five header labels and a trailing empty cell over six columns (the labels' and five more), and a second row
# ``Lower | Upper`` moved to the first columns by the copy: one of the four parents spans the two bounds. Which,
# the columns alone do not say (4 ways); a bound of a CI is under the CI's header: ``95% CI``, one way
_BOUNDS = """
Table 4. Performance of the models.
Models | AUC | 95% CI | Sensitivity | Specificity | |
---|---|---|---|---|---|
Lower | Upper | |||||
Logistic | |||||
 Training set | 0.909 | 0.869 | 0.950 | 0.798 | 0.922 |
 Validation set | 0.805 | 0.708 | 0.901 | 0.738 | 0.800 |
"""


def test_lower_and_upper_are_the_bounds_under_the_ci_header():
    r = _read(_BOUNDS)
    got = _by_text(r)
    t, v = "Training set", "Validation set"
    assert got["0.909"] == ("auc", t, "", "Logistic", "", "")
    assert got["0.869"] == ("ci_low", t, "", "Logistic", "", "")
    assert got["0.950"] == ("ci_high", t, "", "Logistic", "", "")
    assert got["0.798"] == ("sensitivity", t, "", "Logistic", "", "")
    assert got["0.922"] == ("specificity", t, "", "Logistic", "", "")
    assert got["0.738"] == ("sensitivity", v, "", "Logistic", "", "")
    assert not r.unplaced


def test_lower_and_upper_under_no_ci_header_place_nothing():
    """Must not fire: with ``Range`` for ``95% CI`` no parent may span the bounds; the header has no solution and
    no number is placed under a guessed column."""
    r = _read(_BOUNDS.replace("| 95% CI |", "| Range |"))
    assert not r.placed and len(r.unplaced) == 10
    # ``Low`` / ``High`` alone are a risk score's groups as often as bounds: not held to a CI's header (two
    # cohorts over ``Low | High | P`` each: three columns each, one way)
    from eprstats.audit.readers.dropped import solve_header
    got = solve_header([["Score", "Derivation", "Test", "", "", "", ""], ["Low", "High", "P", "Low", "High", "P", ""]],
                       1, 7)
    assert got == ([["Score", "Derivation", "Derivation", "Derivation", "Test", "Test", "Test"],
                    ["", "Low", "High", "P", "Low", "High", "P"]], 1)
