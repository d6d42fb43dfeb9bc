"""General placing rules of `audit-import` (issue #22), each tested on a small table made for the rule.

The held-out tables (tests/audit/heldout/) showed four kinds of misplaced numbers and the corpus
(tests/audit/corpus/) layouts left unplaced; each rule here is general, and its table is written for the rule,
not copied from those tables. Oracle: what the printed headers say each number is, by the rule (a heading's
rows are variables of their own, a footnote letter read past only where the table uses it, ...); where a
layout allows more than one reading, the numbers must be unplaced.
"""
from __future__ import annotations

from tests.audit.test_importer_misplaced import _placed, _read

# --------------------------------------------------------------------------- the held-out tables' misplacements
# (a) a count hint only as a whole token, (b) a heading row, (c) a footnote letter on a header name, (d) TNM's N


def test_a_count_hint_is_stripped_only_as_a_whole_token():
    """``Infiltration (%)``: the hint is ``(%)``; the ``n`` that ends the word is the word's, never the ``n`` of
    ``n (%)`` (the variable was read as ``Infiltratio``)."""
    from eprstats.audit.readers.words import clean_name
    assert clean_name("Infiltration (%)") == "Infiltration"
    assert clean_name("Infiltration, n (%)") == "Infiltration"
    assert clean_name("Position n (%)") == "Position"
    assert clean_name("Hypermean (SD)") == "Hypermean (SD)"       # no "mean (SD)" inside a word
    r = _read("""
Table 1 Characteristics
| Characteristic | Training cohort (n = 100) | Validation cohort (n = 50) | P |
|---|---|---|---|
| Infiltration (%) | | | 0.41 |
| Yes | 40 (40.0) | 22 (44.0) | |
| No | 60 (60.0) | 28 (56.0) | |
| Position, n (%) | | | 0.62 |
| Left | 30 (30.0) | 17 (34.0) | |
| Right | 70 (70.0) | 33 (66.0) | |
""")
    got = _placed(r)
    assert got[("0.41", 0)] == ("p", "", "", "", "Infiltration", "")
    assert got[("0.62", 0)] == ("p", "", "", "", "Position", "")
    assert got[("17 (34.0)", 0)] == ("count", "Validation cohort", "", "", "Position", "Left")
    assert not any(c.variable.endswith(("Infiltratio", "Positio")) for c in r.placed)


def test_a_label_row_naming_a_statistic_is_a_heading_not_a_variable_whose_levels_follow():
    """``Characteristic, n (%)`` over the rows, ``Variables HR (95% CI)``, ``Models (C-index)``: each row below is
    a variable (or a model) of its own, printed with its own numbers; the heading is no variable of theirs. And a
    P is its row's estimate's: beside a hazard ratio it is the variable's P, beside a C-index the model's, in
    one table."""
    r = _read("""
Table 1 Characteristics of the patients, n (%)
| | Events (n = 40) | No events (n = 60) | P |
|---|---|---|---|
| Characteristic, n (%) | | | |
| Smoker | 12 (30.0) | 15 (25.0) | 0.58 |
| Diabetes | 8 (20.0) | 9 (15.0) | 0.51 |
""")
    got = _placed(r)
    assert got[("12 (30.0)", 0)] == ("count", "", "Events", "", "Smoker", "")
    assert got[("0.51", 0)] == ("p", "", "", "", "Diabetes", "")
    assert not any("Characteristic" in c.variable for c in r.placed)
    r = _read("""
Table 4 Hazard ratios and C-indices
| | HR (95% CI) | C-index | P |
|---|---|---|---|
| Variables HR (95% CI) | | | |
|  Tumour size > 3 cm | 1.85 (1.10–3.11) | | 0.020 |
|  Nodal status, positive | 2.40 (1.35–4.27) | | 0.003 |
| Models (C-index) | | | |
|  Clinical model | | 0.712 | 0.04 |
|  Combined model | | 0.768 | 0.01 |
""")
    got = _placed(r)
    assert got[("1.85 (1.10–3.11)", 0)] == ("hr", "", "", "", "Tumour size > 3 cm", "")
    assert got[("0.003", 0)] == ("p", "", "", "", "Nodal status, positive", "")
    assert got[("0.712", 0)] == ("c_index", "", "", "Clinical model", "", "")
    assert got[("0.01", 0)] == ("p", "", "", "Combined model", "", "")
    assert {c.of for c in r.placed if c.role == "p"} == {"hr", "c_index"}
    assert not any(c.variable.startswith(("Variables", "Models")) or c.level for c in r.placed)


def test_a_footnote_letter_glued_to_a_header_name_is_read_past_only_where_the_table_uses_it():
    """``Multivariable analysisb`` where the body prints ``0.01b``: the analysis is ``Multivariable analysis``;
    ``Univariable analysisa`` where no ``a`` is used elsewhere may be a name: its column is left unplaced (never
    placed under a name the page may not print); a name that is no header word keeps its letter."""
    from eprstats.audit.readers.headers import marks_used
    r = _read("""
Table 3 Logistic regression
| Variable | Univariable analysisa | | Multivariable analysisb | |
|---|---|---|---|---|
| | OR (95% CI) | P | OR (95% CI) | P |
| Age | 1.10 (0.90–1.34) | 0.35 | 1.05 (0.85–1.30) | 0.66 |
| Smoking | 2.20 (1.30–3.72) | 0.003 | 2.05 (1.18–3.56) | 0.01b |
""")
    got = _placed(r)
    assert got[("2.05 (1.18–3.56)", 0)] == ("or", "", "", "Multivariable analysis", "Smoking", "")
    assert got[("0.01b", 0)] == ("p", "", "", "Multivariable analysis", "Smoking", "")
    assert not any(c.model.startswith("Univariable") for c in r.placed)
    left = [c for c in r.unplaced if c.text in ("1.10 (0.90–1.34)", "0.003")]
    assert left and all("footnote letter" in c.reason for c in left)
    r = _read("""
Table 2 Performance in the validation cohort
| Metric | Clinical modela | Radiomics signatureb | Gammab |
|---|---|---|---|
| AUC | 0.81a | 0.84 | 0.79 |
| Sensitivity | 0.75 | 0.80 | 0.70 |
""")
    got = _placed(r)
    assert got[("0.81a", 0)] == ("auc", "", "", "Clinical model", "", "")
    assert got[("0.70", 0)] == ("sensitivity", "", "", "Gammab", "", "")   # no header word: a name as printed
    assert {c.text for c in r.unplaced} == {"0.84", "0.80"}
    assert marks_used("a P < 0.05 by the DeLong test.\nbAdjusted for age.", [], []) == {"a", "b"}
    assert marks_used("", ["0.04a", "1.2 (0.9–1.5)c"], ["AUCe (95% CI)", "P valued"]) == {"a", "c", "d", "e"}


def test_a_row_labelled_n_in_a_regression_table_is_the_variable_n_where_it_prints_estimates():
    """TNM's ``N`` as a row of a Cox table: the hazard ratio, its CI and P are the variable N's (the row label was
    read as the role word n: "the headers name two statistics (hr, n)"); a row ``n`` of whole numbers is still
    the number of patients."""
    r = _read("""
Table 3 Cox regression for overall survival
| Variable | HR (95% CI) | P |
|---|---|---|
| T | 1.40 (0.80–2.45) | 0.24 |
| N | 2.10 (1.05–4.20) | 0.04 |
| M | 3.30 (1.20–9.05) | 0.02 |
""")
    got = _placed(r)
    assert got[("2.10 (1.05–4.20)", 0)] == ("hr", "", "", "", "N", "")
    assert got[("2.10 (1.05–4.20)", 2)] == ("ci_high", "", "", "", "N", "")
    assert got[("0.04", 0)] == ("p", "", "", "", "N", "")
    assert not r.unplaced
    r = _read("""
Table 4 Multivariable models
| Variable | Model 1 OR | Model 2 OR |
|---|---|---|
| Age | 1.02 | 1.03 |
| n | 250 | 248 |
""")
    n = [c for c in r.placed + r.unplaced if c.text == "250"]
    assert n and (n[0].role == "n" or "(or, n)" in n[0].reason)         # the role word n, whether placed or not
    assert not any(c.variable == "n" for c in r.placed)


# --------------------------------------------------------------------------- corpus layouts left unplaced before


def test_a_header_row_printed_again_mid_table_heads_the_rows_below_it():
    """Stacked blocks: ``OR | 95% CI | P`` over the first block's rows, ``HR | 95% CI | P`` printed mid-table over
    the second's (the upper header row, the cohorts, still over both). Each block's estimates are its own header's;
    a row of header words whose kinds do not stand where the header's do (a P over an estimate) is not a header."""
    text = """
Table 5 Two analyses
| Variable | Training cohort | | | Validation cohort | | |
|---|---|---|---|---|---|---|
| | OR | 95% CI | P | OR | 95% CI | P |
| Age | 1.20 | 1.01–1.43 | 0.04 | 1.10 | 0.90–1.34 | 0.35 |
| Grade | 2.10 | 1.30–3.39 | 0.002 | 1.90 | 1.05–3.44 | 0.03 |
| | HR | 95% CI | P | HR | 95% CI | P |
| Age | 1.15 | 1.02–1.30 | 0.02 | 1.08 | 0.92–1.27 | 0.34 |
| Grade | 1.80 | 1.20–2.70 | 0.005 | 1.70 | 1.01–2.86 | 0.046 |
"""
    got = _placed(_read(text))
    assert got[("1.20", 0)] == ("or", "Training cohort", "", "", "Age", "")
    assert got[("1.08", 0)] == ("hr", "Validation cohort", "", "", "Age", "")
    assert got[("1.01–2.86", 1)] == ("ci_high", "Validation cohort", "", "", "Grade", "")
    assert got[("0.005", 0)] == ("p", "Training cohort", "", "", "Grade", "")
    r = _read(text.replace("| | HR | 95% CI | P | HR | 95% CI | P |", "| | P | 95% CI | HR | P | 95% CI | HR |"))
    assert not any(c.role == "hr" for c in r.placed)
    assert not any(c.text == "1.15" for c in r.placed)          # the second block's rows: duplicates, unplaced


def test_a_statistic_never_spans_another_and_a_threshold_with_its_value_is_a_condition():
    """A text copy that dropped the merged cells of a two-row header: ``C-index`` with nothing under it and
    ``Cut-off = 0.50`` over five columns; the copy prints the five sub-headers from the first column. ``C-index``
    over ``Sensitivity`` would name two statistics, so the cut-off spans them: one way only. ``Cut-off = 0.50``
    is the condition of the rates below it (no cut-off value, no P, no model); two such conditions leave the
    rates unplaced (the headers would not tell them apart)."""
    r = _read("""
Table 3 Performance at the cut-off
Set | C-index | Cut-off = 0.50 | ||||
---|---|---|---|---|---|---|
TP | FN | Sensitivity | Specificity | NPV | ||
Derivation cohort (n = 300) | 0.81 (0.76–0.86) | 90 | 20 | 81.8% | 77.8% | 90.1% |
Validation cohort (n = 120) | 0.78 (0.70–0.86) | 35 | 10 | 77.8% | 74.7% | 84.8% |
""")
    got = _placed(r)
    assert got[("0.81 (0.76–0.86)", 0)] == ("c_index", "Derivation cohort", "", "", "", "")
    assert got[("77.8%", 0)] == ("sensitivity", "Validation cohort", "", "", "", "")
    assert got[("84.8%", 0)] == ("npv", "Validation cohort", "", "", "", "")
    assert not any(c.text in ("90", "35") for c in r.placed)          # TP and FN: no role in the audit
    r = _read("""
Table 3 Two cut-offs
| Set | Threshold > 0.3 | | Threshold > 0.5 | |
|---|---|---|---|---|
| | Sensitivity | Specificity | Sensitivity | Specificity |
| Test set | 0.91 | 0.62 | 0.80 | 0.75 |
""")
    assert not r.placed and len(r.unplaced) == 4


def test_three_cohorts_under_two_models_are_shared_where_the_totals_n_tells():
    """A text copy that dropped the merged cells: two models over three cohorts can be 1 + 2 or 2 + 1. A total
    beside the cohorts it totals is their union (its n their sum): ``Total (n = 100)`` beside ``Test (n = 60)``
    alone is not, so only 2 + 1 is left; where the sizes allow both, the numbers stay unplaced."""
    text = """
Table 4 Performance of the two models
| Metric | Model A | Model B | |
|---|---|---|---|
| Development (n = 120) | Test (n = 60) | Total (n = 100) | |
| AUC (95% CI) | 0.85 (0.78–0.91) | 0.80 (0.69–0.90) | 0.74 (0.64–0.83) |
| Sensitivity (%) | 80.0 | 75.0 | 70.0 |
"""
    got = _placed(_read(text))
    assert got[("0.80 (0.69–0.90)", 0)] == ("auc", "Test", "", "Model A", "", "")
    assert got[("70.0", 0)] == ("sensitivity", "Total", "", "Model B", "", "")
    assert got[("Total (n = 100)", 0)] == ("n", "Total", "", "Model B", "", "")
    r = _read(text.replace("Development (n = 120) | Test (n = 60) | Total (n = 100)",
                           "Development (n = 120) | Test (n = 60) | Total (n = 60)"))
    assert not any(c.role in ("auc", "sensitivity") for c in r.placed)


def test_a_row_ending_in_empty_cells_is_placed_where_the_copy_prints_empty_cells():
    """A variable left out of the multivariable model prints its univariable OR and P, then empty cells. Where the
    copy prints empty cells between filled ones (``| Stage | | 0.01 | | 0.04 |``), the empty cells at a row's end
    are printed ones, not cells lost and the row shifted: the row is placed. Where no row shows an empty cell
    before a filled one, a row that stops short may have lost a cell: unplaced."""
    text = """
Table 2 Logistic regression
| Variable | Univariable | | Multivariable | |
|---|---|---|---|---|
| | OR (95% CI) | P | OR (95% CI) | P |
| Age | 1.05 (1.01–1.09) | 0.01 | 1.04 (1.00–1.08) | 0.048 |
| Smoking | 1.40 (0.90–2.18) | 0.13 | | |
| Stage | | 0.01 | | 0.04 |
"""
    got = _placed(_read(text))
    assert got[("1.40 (0.90–2.18)", 0)] == ("or", "", "", "Univariable", "Smoking", "")
    assert got[("0.13", 0)] == ("p", "", "", "Univariable", "Smoking", "")
    r = _read(text.replace("| Stage | | 0.01 | | 0.04 |\n", ""))
    assert not any(c.variable == "Smoking" for c in r.placed)
    assert any("stops short" in c.reason for c in r.unplaced if c.text == "0.13")


def test_an_interval_split_in_two_by_citation_links_is_one_interval():
    """A page that links bracketed numbers as citations prints ``25 [20, 30]`` as ``25 [20], [30]``: after a
    number, the two brackets are one interval; brackets alone (``[1], [2]``: references) are not a number's."""
    from eprstats.audit.readers.numbers import parse_cell
    p = parse_cell("12 [9], [12]")
    assert p.form == "est_ci" and [n.value for n in p.numbers] == [12.0, 9.0, 12.0]
    assert parse_cell("[1], [2]").form == "other"
    got = _placed(_read("""
Table 1 Characteristics
| Characteristic | Training set | Validation set | P |
|---|---|---|---|
| Tumour size (mm), median [IQR] | 12 [9], [15] | 10.5 [8], [13] | 0.41 |
"""))
    assert got[("12 [9], [15]", 2)] == ("q3", "Training set", "", "", "Tumour size (mm)", "")
    assert got[("10.5 [8], [13]", 0)] == ("median", "Validation set", "", "", "Tumour size (mm)", "")
