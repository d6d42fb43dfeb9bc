"""General rules of `audit-import` made for the fifth held-out set's false findings and misplacements (issue #22,
docs/audit_import.md "Held-out 5"), each tested on a small table written for the rule in the style papers print,
not copied from those tables. Oracle: what the printed headers and positions say each number is; P values
recomputed with scipy (``chi2_contingency``, ``ttest_ind_from_stats``), never with the audit.

(1) which cohorts a characteristics table's P column compares (readers/compares.py): the cohorts printed before
    it where a cohort column follows it, or the cohorts its header names (``P (development vs validation)``);
    where neither tells, its P values are unplaced; the audit recomputes each P over the cohorts it compares only;
(2) a second header row that lost its empty cells is shifted over the data columns only where the count of
    columns proves it (its labels fill them, or the row above prints one label per data column), else unplaced;
(3) a cohort word glued to a name without a word boundary (``Site1test``) is part of the name; a column header
    printing its own n over a performance table's numbers is a cohort's name, its n numbered after the name's
    digits (as a row label's);
(4) a last column that no row fills is lost by none (not a copy that drops cells);
(5) a statistic named in the header over the row labels (``Model AUC (95% CI)``) is every cell's whose own
    headers name none (in a performance or regression table).
"""
from __future__ import annotations

import pytest

from tests.audit.test_importer_misplaced import _placed, _read


def _unplaced(r) -> dict:
    return {(c.text, c.position): c.reason for c in r.unplaced}


def _compares(r) -> dict:
    return {(c.text, c.position): c.compares for c in r.placed if c.role == "p"}


# ------------------------------------------------------------------ (1) the cohorts a P column compares
_COUNTS = {"Sex": ([50, 30], [20, 20], [12, 18]), "Smoking": ([28, 52], [9, 31], [15, 15])}
_AGE = ((61.2, 8.4, 80), (58.1, 9.1, 40), (57.5, 10.2, 30))


def _oracle() -> dict:
    """P of each variable between the development and temporal validation cohorts only, and over all three."""
    from scipy.stats import chi2_contingency, ttest_ind_from_stats

    two = {v: chi2_contingency([t[0], t[1]], correction=False)[1] for v, t in _COUNTS.items()}
    three = {v: chi2_contingency(list(t), correction=False)[1] for v, t in _COUNTS.items()}
    (m1, s1, n1), (m2, s2, n2), _ = _AGE
    two["Age, years"] = ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue
    return {"two": two, "three": three}


def _table(p_header: str, p_between: bool) -> str:
    """Three cohorts; one P column, between the second and third cohorts' columns or after all three."""
    ps = {v: f"{p:.3f}" for v, p in _oracle()["two"].items()}
    rows = [("Age, years", [f"{m} ± {s}" for m, s, _ in _AGE], ps["Age, years"])]
    for v, t in _COUNTS.items():
        rows.append((v, ["", "", ""], ps[v]))
        for k, level in enumerate(("Yes", "No") if v == "Smoking" else ("Male", "Female")):
            rows.append((level, [f"{g[k]} ({100 * g[k] / sum(g):.1f}%)" for g in t], ""))
    head = ["Development cohort (n = 80)", "Temporal validation cohort (n = 40)", "External cohort (n = 30)"]
    order = (lambda a, p: [a[0], a[1], p, a[2]]) if p_between else (lambda a, p: [a[0], a[1], a[2], p])
    lines = ["Table 1 Baseline characteristics of the three cohorts",
             "| Characteristic | " + " | ".join(order(head, p_header)) + " |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join([label] + order(cells, p)) + " |" for label, cells, p in rows]
    return "\n".join(lines) + "\n"


def test_a_p_column_between_cohorts_compares_the_cohorts_before_it():
    r = _read(_table("P", p_between=True))
    got, compares = _placed(r), _compares(r)
    pairs = "Development cohort; Temporal validation cohort"
    assert set(compares.values()) == {pairs} and len(compares) == 3
    p_sex = f"{_oracle()['two']['Sex']:.3f}"
    assert got[(p_sex, 0)] == ("p", "", "", "", "Sex", "")
    # the cohorts' own numbers are unchanged by the rule
    assert got[("12 (40.0%)", 0)] == ("count", "External cohort", "", "", "Sex", "Male")


def test_a_p_column_header_naming_two_cohorts_compares_those():
    r = _read(_table("P (development vs validation)", p_between=False))
    assert set(_compares(r).values()) == {"Development cohort; Temporal validation cohort"}


def test_a_p_column_after_all_cohorts_compares_them_all_as_before():
    r = _read(_table("P", p_between=False))
    assert set(_compares(r).values()) == {""} and len(_compares(r)) == 3


def test_a_p_column_whose_place_does_not_tell_is_unplaced():
    text = _table("P", p_between=True)
    # one cohort before the P, two after: which two does it compare? not printed
    text = text.replace("| Characteristic | Development cohort (n = 80) | Temporal validation cohort (n = 40) | P |",
                        "| Characteristic | Development cohort (n = 80) | P | Temporal validation cohort (n = 40) |")
    lines = text.split("\n")
    for i in range(3, len(lines)):
        cells = lines[i].split(" | ")
        if len(cells) == 5:
            cells[2], cells[3] = cells[3], cells[2]
            lines[i] = " | ".join(cells)
    r = _read("\n".join(lines))
    un = _unplaced(r)
    p_sex = f"{_oracle()['two']['Sex']:.3f}"
    assert "neither its header nor its place says which cohorts it compares" in un[(p_sex, 0)]
    assert not _compares(r)
    # a header naming a comparison that is no two cohorts of the table: unplaced too
    r = _read(_table("P (early vs late)", p_between=False))
    assert "names a comparison" in _unplaced(r)[(p_sex, 0)] and not _compares(r)


def test_the_audit_recomputes_a_p_over_the_cohorts_it_compares_only(tmp_path):
    """Oracle: scipy's Pearson chi-square (no correction) of the two cohorts' counts and Welch's t of their means;
    the three-cohort P differs, so a check over all three would be a false finding."""
    from eprstats.audit import audit, import_paper

    oracle = _oracle()
    assert all(abs(oracle["two"][v] - oracle["three"][v]) > 0.01 for v in _COUNTS)
    src = tmp_path / "paper.txt"
    src.write_text(_table("P", p_between=True), encoding="utf-8")
    import_paper(src, out=tmp_path / "draft")
    t = audit(tmp_path / "draft").table
    ps = t[t["kind"].isin(["table1_p", "table1_p_continuous"])]
    assert len(ps) == 3 and (ps["verdict"] == "reproduced").all(), ps[["where", "recomputed", "verdict"]]
    assert ps["where"].str.contains("Development cohort vs Temporal validation cohort").all()
    for v in _COUNTS:
        row = ps[ps["where"].str.contains(f", {v},")].iloc[0]
        assert f"p={oracle['two'][v]:.4f}" in row["recomputed"]


# ------------------------------------------------------------------ (2) a packed second header row's shift
_PACKED = """
Table 3 Diagnostic performance of the radiologists' reading and of the combined model
| Measure | Radiologists | Combined model | |
|---|---|---|---|
| Development cohort | Test cohort | ||
| Sensitivity | 64.3% | 75.0% | 71.4% |
| Specificity | 80.0% | 88.2% | 84.6% |
"""


def test_a_packed_header_row_shorter_than_the_data_columns_is_not_shifted_into_place():
    """Two cohort names over three columns of numbers: the page also dropped the place of a cell merged over both
    header rows (the radiologists' column), so which columns the cohorts head is not printed: nothing placed."""
    r = _read(_PACKED)
    assert not r.placed
    assert {c.text for c in r.unplaced} == {"64.3%", "75.0%", "71.4%", "80.0%", "88.2%", "84.6%"}


def test_a_packed_header_row_that_fills_the_data_columns_is_shifted_over_them():
    text = _PACKED.replace("| Radiologists | Combined model | |", "| Combined model | |").replace("|---|---|---|---|",
                                                                                                "|---|---|---|")
    text = "\n".join(line.replace("| 64.3% ", "").replace("| 80.0% ", "") for line in text.split("\n"))
    got = _placed(_read(text))
    assert got[("75.0%", 0)][:2] == ("sensitivity", "Development cohort")
    assert got[("84.6%", 0)][:2] == ("specificity", "Test cohort")


# ------------------------------------------------------------------ (3) a dataset's name with its n over AUCs
_DATASETS = """
Table 4 Discrimination of the two models in each dataset
| Model AUC (95% CI) | Site1test N=240 | Site2 N=96 | Pooled (Site1test, Site2) N = 336 |
|---|---|---|---|
| Radiomics | 0.812 (0.760, 0.864) | 0.744 (0.650, 0.838) | 0.790 (0.745, 0.835) |
| Clinical | 0.701 (0.640, 0.762) | 0.689 (0.585, 0.793) | 0.697 (0.650, 0.744) |
"""


def test_a_dataset_name_with_a_glued_split_word_and_its_n_is_one_cohort():
    """``Site1test N=240``: one dataset's name (no word boundary before ``test``), its n the cohort's, numbered
    after the name's digit; a column header printing its own n over a performance table's numbers is a set of
    patients, a cohort, not a model."""
    r = _read(_DATASETS)
    n = {(c.text, c.position): (c.role, c.cohort, c.model) for c in r.placed if c.role == "n"}
    assert n == {("Site1test N=240", 1): ("n", "Site1test", ""), ("Site2 N=96", 1): ("n", "Site2", ""),
                 ("Pooled (Site1test, Site2) N = 336", 2): ("n", "Pooled (Site1test, Site2)", "")}
    # no number takes the name's parts as a model and a cohort (``Site1`` + ``test``)
    assert not [c for c in r.placed if c.cohort.casefold() == "test" or c.model.startswith("Site")]
    from eprstats.audit.readers.words import split_cohort
    assert split_cohort("Site1test") == ("", "Site1test") and split_cohort("AUC (test)") == ("test", "AUC")


# ------------------------------------------------------------------ (4) a last column that no row fills
def test_a_last_column_empty_in_every_row_is_not_a_copy_that_drops_cells():
    """Every row but the last prints an empty last cell (``... | 0.674 (0.631, 0.703) | |``): no row lost a cell,
    so the rows are not re-arranged as a dropping copy's; a row that ends before the others does show one."""
    from eprstats.audit.readers.dropped import drops_cells

    rows = [["Model", "Set A", "Set B", ""], ["Radiomics", "0.81", "0.74", ""], ["Clinical", "0.70", "0.69"] + [""]]
    rows[-1] = rows[-1][:3] + [""]          # the text copy pads the last row to the table's width
    assert not drops_cells(rows)
    assert drops_cells(rows + [["Combined", "0.83", "", ""]])


# ------------------------------------------------------------------ (5) the statistic named over the row labels
def test_a_statistic_named_in_the_header_over_the_row_labels_is_every_cells():
    """``Model AUC (95% CI)`` at the top left, datasets as columns: each cell is an AUC with its CI, the model
    its row's and the cohort its column's; a corner naming no statistic leaves them unplaced (as before)."""
    got = _placed(_read(_DATASETS))
    assert got[("0.744 (0.650, 0.838)", 0)] == ("auc", "Site2", "", "Radiomics", "", "")
    assert got[("0.701 (0.640, 0.762)", 2)] == ("ci_high", "Site1test", "", "Clinical", "", "")
    bare = _read(_DATASETS.replace("| Model AUC (95% CI) |", "| Model |"))
    assert not [c for c in bare.placed if c.role != "n"]


# ------------------------------------------------------------------ (6) a cohort's All column beside its groups
_ALL = """
Table 1 Characteristics by response in the two cohorts
| | Training cohort | | | Validation cohort | | | P |
| | All | Responders | Non-responders | All | Responders | Non-responders | |
| Sex | | | | | | | {p} |
| Male | 70 (58.3%) | 30 (54.5%) | 40 (61.5%) | 20 (40.0%) | 8 (36.4%) | 12 (42.9%) | |
| Female | 50 (41.7%) | 25 (45.5%) | 25 (38.5%) | 30 (60.0%) | 14 (63.6%) | 16 (57.1%) | |
"""


def test_an_all_column_under_a_cohort_is_the_cohort_and_left_out_of_the_sums(tmp_path):
    """``All`` under ``Training cohort`` beside its outcome groups: the cohort's own numbers (no group); the P
    between the cohorts is recomputed from the cohorts' counts once, not with the All column summed in.
    Oracle: scipy's Pearson chi-square (no correction) of the All columns, 70/50 against 20/30."""
    from scipy.stats import chi2_contingency

    from eprstats.audit import audit, import_paper

    p = chi2_contingency([[70, 50], [20, 30]], correction=False)[1]
    doubled = chi2_contingency([[140, 100], [40, 60]], correction=False)[1]
    assert f"{p:.3f}" != f"{doubled:.3f}"              # the check tells the two apart
    text = _ALL.format(p=f"{p:.3f}")
    got = _placed(_read(text))
    assert got[("70 (58.3%)", 0)] == ("count", "Training cohort", "", "", "Sex", "Male")
    assert got[("8 (36.4%)", 0)] == ("count", "Validation cohort", "Responders", "", "Sex", "Male")
    src = tmp_path / "paper.txt"
    src.write_text(text.strip("\n") + "\n", encoding="utf-8")
    import_paper(src, out=tmp_path / "draft")
    t = audit(tmp_path / "draft").table
    row = t[t["kind"] == "table1_p"].iloc[0]
    assert row["verdict"] == "reproduced" and f"p={p:.4f}" in row["recomputed"], row.to_dict()
