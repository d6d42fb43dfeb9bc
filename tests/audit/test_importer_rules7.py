"""General rules of `audit-import` of round 7 (issue #22, docs/audit_import.md "Round 7"), each tested on a small
table written for the rule in the way PMC's text copy prints such tables (empty cells dropped, the row padded at
its end with ``|||``), not copied from the corpus. Oracle: the place each number has on the page, written out by
hand below; the arrangements are counted by hand in the comments.

(1) a row that ends early and fits several arrangements takes the one arrangement of its block's sibling rows
    (consecutive rows each naming one statistic, no P, no cohort, with as many cells), where they agree and it
    is one of the row's own (readers/early_rows.py ``sibling_arrangement``);
(2) of two names over a performance table's number, the one the caption names as what is diagnosed or predicted
    (``in the detection of A``, ``predicting A``) is the group and the other the model, only where every column
    with two names has its name of the same header level in that phrase and the other not (readers/targets.py).
"""
from __future__ import annotations

from tests.audit.test_importer_misplaced import _placed, _read

# ------------------------------------------------------------------ (1) a block's sibling rows
# three models and the three comparisons' P columns (7 columns, the first the labels); the cohort's own row
# prints the three comparisons' P values, then each statistic's row prints its three models' values, every
# empty cell dropped by the copy
_HEAD = """
Table 4. Discrimination of the combined, clinical and radiomics models.
Set | Combined | Clinical | Radiomics | P | ||
---|---|---|---|---|---|---|
Combined vs. clinical | Combined vs. radiomics | Clinical vs. radiomics | ||||
Derivation cohort (n=150) | 0.004 | 0.031 | 0.412 | |||
"""
_AUC = "AUC (95% CI) | 0.861 (0.794, 0.913) | 0.742 (0.663, 0.811) | 0.803 (0.730, 0.863) | |||\n"
_ACC = "Accuracy | 0.807 | 0.713 | 0.760 | |||\n"
_RATES = _ACC + "Sensitivity | 0.792 | 0.681 | 0.736 | |||\n"
_20_WAYS = "its 3 cells fit 20 ways"     # 3 bare decimals in 6 columns, each a model's rate or a comparison's P: C(6,3)


def _by_text(r) -> dict:
    return {t: v for (t, k), v in _placed(r).items() if k == 0}


def test_rows_of_bare_rates_take_the_arrangement_of_their_blocks_auc_row():
    """The AUC row's ``a (b, c)`` fits only an AUC column: one arrangement (the three models). The accuracy and
    sensitivity rows' bare decimals fit 20; the block's AUC row says which: the three models. A second block
    whose AUC row is printed last: the rows above it take it too."""
    second = ("Test cohort (n=64) | 0.120 | 0.048 | 0.350 | |||\n"
              "Accuracy | 0.781 | 0.688 | 0.734 | |||\n"
              "AUC (95% CI) | 0.833 (0.718, 0.915) | 0.706 (0.578, 0.813) | 0.769 (0.647, 0.864) | |||\n")
    r = _read(_HEAD + _AUC + _RATES + second)
    got = _by_text(r)
    d, t = "Derivation cohort", "Test cohort"
    assert got["0.807"] == ("accuracy", d, "", "Combined", "", "")
    assert got["0.713"] == ("accuracy", d, "", "Clinical", "", "")
    assert got["0.760"] == ("accuracy", d, "", "Radiomics", "", "")
    assert got["0.736"] == ("sensitivity", d, "", "Radiomics", "", "")
    assert got["0.781"] == ("accuracy", t, "", "Combined", "", "")
    assert got["0.734"] == ("accuracy", t, "", "Radiomics", "", "")
    # the cohorts' rows keep their comparisons' P values (their own single arrangement)
    assert got["0.004"] == ("p", d, "", "Combined vs. clinical", "", "")
    assert got["0.350"] == ("p", t, "", "Clinical vs. radiomics", "", "")
    assert not r.unplaced


def test_the_cohorts_row_of_p_values_is_no_sibling_of_the_rates():
    """Without an AUC row the only row with one arrangement is the cohort's (its P values under the comparisons):
    it heads the block, it names no statistic, so the rates' rows are not given its columns; 20 ways each."""
    r = _read(_HEAD + _RATES)
    assert {c.text for c in r.unplaced} == {"0.807", "0.713", "0.760", "0.792", "0.681", "0.736"}
    assert all(_20_WAYS in c.reason for c in r.unplaced)
    assert not any(c.role in ("accuracy", "sensitivity") for c in r.placed)


def test_a_p_row_is_neither_given_nor_gives_an_arrangement_and_ends_the_block():
    """A row labelled ``P value`` under the AUC row: a model's P against 0.5 or a comparison's, the headers do not
    say; it is not placed, and the accuracy row after it (a new block: a row that names no statistic of its own
    ends one) is not either."""
    r = _read(_HEAD + _AUC + "P value | 0.001 | 0.012 | 0.003 | |||\n" + _ACC)
    assert {c.text for c in r.unplaced} == {"0.001", "0.012", "0.003", "0.807", "0.713", "0.760"}
    assert _by_text(r)["0.861 (0.794, 0.913)"] == ("auc", "Derivation cohort", "", "Combined", "", "")


def test_siblings_with_another_number_of_cells_give_nothing():
    """An AUC row of two cells (3 ways: which model lost its AUC is not printed) and a rates row of three; then an
    AUC row of three (one way) and a rates row of two (15 ways): the counts differ, nothing is taken."""
    r = _read(_HEAD + "AUC (95% CI) | 0.861 (0.794, 0.913) | 0.742 (0.663, 0.811) | ||||\n" + _ACC)
    assert not any(c.role in ("auc", "accuracy") for c in r.placed)
    r = _read(_HEAD + _AUC + "Accuracy | 0.807 | 0.713 | ||||\n")
    assert {c.text for c in r.unplaced} == {"0.807", "0.713"}
    assert "its 2 cells fit 15 ways" in r.unplaced[0].reason


# ------------------------------------------------------------------ (2) the caption's target over two names
_TWO_LEVELS = """| Metric | Pneumothorax | | Pleural effusion | |
|---|---|---|---|---|
| | Radiologists | CNN | Radiologists | CNN |
| Sensitivity | 0.81 (0.74–0.87) | 0.88 (0.82–0.93) | 0.76 (0.68–0.83) | 0.84 (0.77–0.90) |
| Specificity | 0.90 (0.86–0.93) | 0.86 (0.82–0.90) | 0.93 (0.90–0.95) | 0.89 (0.85–0.92) |
"""
_TWO_NAMES = "two names could be the model"


def test_the_condition_the_caption_says_is_detected_is_the_group_the_reader_the_model():
    """"... the radiologists and the CNN in the detection of pneumothorax and pleural effusion": the conditions
    (first header row) are in the phrase, the readers (second row) are not: every rate placed, by hand."""
    r = _read("Table 2. Diagnostic performance of the radiologists and the CNN in the detection of pneumothorax "
              "and pleural effusion.\n" + _TWO_LEVELS)
    got = _by_text(r)
    assert got["0.81 (0.74–0.87)"] == ("sensitivity", "", "Pneumothorax", "Radiologists", "", "")
    assert got["0.84 (0.77–0.90)"] == ("sensitivity", "", "Pleural effusion", "CNN", "", "")
    assert got["0.93 (0.90–0.95)"] == ("specificity", "", "Pleural effusion", "Radiologists", "", "")
    assert not r.unplaced and len(r.placed) == 24


def test_no_target_phrase_or_both_names_in_it_or_one_column_unnamed_leaves_the_rates_unplaced():
    """A caption naming no target; one whose phrase names the conditions and the readers ("Detection of ... by
    radiologists and a CNN"); one whose phrase names only one condition and, in brackets, the readers (the
    ``Pleural effusion`` columns would read the radiologists as the group): nothing placed, as before the rule."""
    for caption in ("Table 2. Performance of the readers and the CNN on the test set.",
                    "Table 2. Detection of pneumothorax and pleural effusion by radiologists and a CNN.",
                    "Table 2. Diagnostic performance in the detection of pneumothorax (radiologists vs. CNN)."):
        r = _read(caption + "\n" + _TWO_LEVELS)
        assert not r.placed and len(r.unplaced) == 24, caption
        assert all(_TWO_NAMES in c.reason for c in r.unplaced), caption
