"""The general rule of `audit-import` of round 9 (issue #22, docs/audit_import.md "Round 9"), tested on small
tables written for the rule in the way a journal page's text copy prints them (a model's merged cell printed
once, its other rows opening `` |  | ``), not copied from a held-out set, and on tables where it must not fire.
Oracle: the place each number has on the page, written out by hand below (each row's cells counted under the
header by eye).

A left border is the table's: where the first row opens without a pipe, a row that opens with one opens with an
empty cell (the merged cell's continuation), kept as a cell where that gives the row the first row's count
(readers/pipe_rows.py). A table whose first row opens with a pipe, or a row that keeping the cell would make
longer than the first row, is split as before.
"""
from __future__ import annotations

from eprstats.audit.readers.pipe_rows import split_pipe_rows
from tests.audit.test_importer_misplaced import _placed, _read


def _by_text(r) -> dict:
    return {t: v for (t, k), v in _placed(r).items() if k == 0}


# two models over two cohorts, each model (and its classifier) named once: its second row opens with the merged
# cells' empty cells, `` |  | Validation``; split with the leading pipe as a border, 0.774 fell in the cohort's
# column ("Validation > 0.774") and 0.688 under AUC
_MERGED = """
Table 2. Performance of the two models.
Model | Classifier | Cohort | AUC | Sensitivity | Specificity |
---|---|---|---|---|---|
Clinical | Logistic regression | Training | 0.812 | 0.701 | 0.655 |
 |  | Validation | 0.774 | 0.688 | 0.623 |
Radiomics | Random forest | Training | 0.856 | 0.733 | 0.702 |
 |  | Validation | 0.801 | 0.690 | 0.671 |
"""


def test_the_split_keeps_a_continuation_rows_empty_first_cell():
    lines = [l for l in _MERGED.strip("\n").split("\n")[1:] if not l.startswith("---")]
    rows = split_pipe_rows(lines)
    assert rows[0] == ["Model", "Classifier", "Cohort", "AUC", "Sensitivity", "Specificity"]
    assert rows[2] == ["", "", "Validation", "0.774", "0.688", "0.623"]      # not ["", "Validation", "0.774", ...]
    assert rows[1] == ["Clinical", "Logistic regression", "Training", "0.812", "0.701", "0.655"]


def test_a_continuation_row_of_a_merged_first_cell_is_read_under_its_own_headers():
    """0.774 is the clinical model's AUC in validation (not a number in the cohort's column, nor 0.688 an AUC of a
    cohort "Validation > 0.774"), 0.688 its sensitivity, 0.623 its specificity. The first rows stay unplaced as
    before: two cells could name the model and no header says which (not guessed)."""
    r = _read(_MERGED)
    got = _by_text(r)
    assert got["0.774"][:4] == ("auc", "Validation", "", "Clinical")
    assert got["0.688"][:4] == ("sensitivity", "Validation", "", "Clinical")
    assert got["0.623"][:4] == ("specificity", "Validation", "", "Clinical")
    assert got["0.801"][:4] == ("auc", "Validation", "", "Radiomics")
    assert got["0.690"][:4] == ("sensitivity", "Validation", "", "Radiomics")
    assert got["0.671"][:4] == ("specificity", "Validation", "", "Radiomics")
    assert len(got) == 6
    assert {c.text for c in r.unplaced} == {"0.812", "0.701", "0.655", "0.856", "0.733", "0.702"}
    assert all("two names could be the model" in c.reason for c in r.unplaced)


def test_a_table_with_a_left_border_is_split_as_before():
    """Every row opens with a pipe: each leading pipe is the border, and the continuation row's empty first cell
    is the one printed after it (`` |  | Validation``): the same places as the table without a border."""
    text = """
Table 2. Performance of the two models.
| Model | Classifier | Cohort | AUC | Sensitivity | Specificity |
|---|---|---|---|---|---|
| Clinical | Logistic regression | Training | 0.812 | 0.701 | 0.655 |
|  |  | Validation | 0.774 | 0.688 | 0.623 |
| Radiomics | Random forest | Training | 0.856 | 0.733 | 0.702 |
|  |  | Validation | 0.801 | 0.690 | 0.671 |
"""
    lines = [l for l in text.strip("\n").split("\n")[1:] if "---" not in l]
    assert split_pipe_rows(lines)[2] == ["", "", "Validation", "0.774", "0.688", "0.623"]
    got = _by_text(_read(text))
    assert got["0.774"][:4] == ("auc", "Validation", "", "Clinical")
    assert got["0.623"][:4] == ("specificity", "Validation", "", "Clinical")


def test_a_bordered_row_in_a_table_whose_header_has_none_is_not_widened():
    """A row printed whole with its border (``| Radiomics | | Validation | ...``, its classifier's cell empty)
    under a header without one: keeping an empty first cell would give it one cell more than the header, so its
    pipe is the border and 0.801 stays the radiomics model's validation AUC (the rule does not fire)."""
    text = _MERGED.replace(" |  | Validation | 0.801", "| Radiomics | | Validation | 0.801")
    lines = [l for l in text.strip("\n").split("\n")[1:] if not l.startswith("---")]
    assert split_pipe_rows(lines)[4] == ["Radiomics", "", "Validation", "0.801", "0.690", "0.671"]
    got = _by_text(_read(text))
    assert got["0.801"][:4] == ("auc", "Validation", "", "Radiomics")
    assert got["0.671"][:4] == ("specificity", "Validation", "", "Radiomics")
