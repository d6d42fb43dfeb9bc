"""`audit-import`'s readers: a saved article page (HTML), a JATS full text, a Word file and a PDF's tables.

Oracle: the numbers written into each file here, with the role and place a reader of the printed table gives
them (stated next to each file); the importer never decides what the expected values are.
"""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from eprstats.audit import import_paper
from eprstats.audit.importer_cells import from_grid
from eprstats.audit.importer_tables import find_grids
from eprstats.audit.readers import name_tables, read_table
from eprstats.audit.readers.dropped import arrangements, solve_header

PAGE = """<html><head><title>A radiomics nomogram</title><script>var x = "AUC 0.99";</script></head><body>
<h2>Results</h2>
<p>The combined model achieved an AUC of 0.851 (95% CI, 0.780-0.922) in the training cohort.</p>
<div class="table-wrap"><div class="caption"><span class="label">Table 1</span> <p>Baseline characteristics.</p></div>
<table>
<thead>
<tr><th rowspan="2">Characteristic</th><th colspan="3">Training cohort (n = 120)</th><th colspan="3">Validation cohort (n = 80)</th></tr>
<tr><th>EPR</th><th>Non-EPR</th><th>P</th><th>EPR</th><th>Non-EPR</th><th>P</th></tr>
</thead>
<tbody>
<tr><td>Sex, n (%)</td><td></td><td></td><td>0.390<sup>a</sup></td><td></td><td></td><td>0.786</td></tr>
<tr><td>&nbsp;&nbsp;Male</td><td>25 (59.5)</td><td>40 (51.3)</td><td></td><td>17 (53.1)</td><td>24 (50.0)</td><td></td></tr>
<tr><td>&nbsp;&nbsp;Female</td><td>17 (40.5)</td><td>38 (48.7)</td><td></td><td>15 (46.9)</td><td>24 (50.0)</td><td></td></tr>
<tr><td>Age, mean ± SD</td><td>61.2 ± 9.8</td><td>58.4 ± 10.1</td><td>0.031<sup>*</sup></td><td>60.1 ± 8.7</td><td>59.9 ± 9.9</td><td>0.912</td></tr>
</tbody></table></div>
<div class="table-wrap"><div class="caption"><span class="label">Table 2</span> <p>Performance.</p></div>
<table><thead><tr><th>Model</th><th>Cohort</th><th>AUC (95% CI)</th><th>Sensitivity</th><th>Specificity</th></tr></thead>
<tbody>
<tr><td rowspan="2">Combined</td><td>Training</td><td>0.851 (0.780–0.922)</td><td>0.810</td><td>0.782</td></tr>
<tr><td>Validation</td><td>0.802 (0.717–0.887)</td><td>0.750</td><td>0.813</td></tr>
</tbody></table></div>
</body></html>
"""

#: (table, text, position) -> (role, cohort, group, model, variable, level): Table 1 and 2 as printed above
EXPECTED = {
    ("Table 1", "25 (59.5)", 0): ("count", "Training cohort", "EPR", "", "Sex", "Male"),
    ("Table 1", "25 (59.5)", 1): ("percent", "Training cohort", "EPR", "", "Sex", "Male"),
    ("Table 1", "24 (50.0)", 0): ("count", "Validation cohort", "Non-EPR", "", "Sex", "Male"),
    ("Table 1", "0.390", 0): ("p", "Training cohort", "", "", "Sex", ""),       # <sup>a</sup> dropped
    ("Table 1", "61.2 ± 9.8", 1): ("sd", "Training cohort", "EPR", "", "Age", ""),
    ("Table 1", "0.031", 0): ("p", "Training cohort", "", "", "Age", ""),
    ("Table 2", "0.802 (0.717–0.887)", 2): ("ci_high", "Validation", "", "Combined", "", ""),
    ("Table 2", "0.750", 0): ("sensitivity", "Validation", "", "Combined", "", ""),
}
PLACE = ("role", "cohort", "group", "model", "variable", "level")


def _cells(folder) -> pd.DataFrame:
    return pd.read_csv(folder / "cells.csv", dtype=str, keep_default_na=False)


def _check(cells: pd.DataFrame) -> None:
    for (table, text, pos), want in EXPECTED.items():
        row = cells[(cells["table"] == table) & (cells["text"].str.replace("<sup>", "") == text) &
                    (cells["position"] == str(pos))]
        assert len(row) >= 1, (table, text, pos)
        assert tuple(row.iloc[0][list(PLACE)]) == want, (table, text, pos)


def test_saved_article_page(tmp_path, run_cli):
    page = tmp_path / "article.html"
    page.write_text(PAGE, encoding="utf-8")
    code, out, err = run_cli("audit-import", page, "--out", tmp_path / "paper")
    assert code == 0, err
    # Table 1: 4 groups x 2 levels x (count, %) = 16, 4 x (mean, SD) = 8, 4 P, 2 header n; Table 2: 2 x (3 + 2)
    assert out.strip().splitlines()[-1] == "placed 40 of 40 numbers from 2 tables; 0 unplaced"
    cells = _cells(tmp_path / "paper")
    _check(cells.assign(text=cells["text"]))
    tables = pd.read_csv(tmp_path / "paper" / "tables.csv", dtype=str)
    assert tables["table"].tolist() == ["Table 1", "Table 2"]
    claims = pd.read_csv(tmp_path / "paper" / "claims.csv", dtype=str)
    assert claims["quantity"].tolist() == ["auc:Combined:training"]      # the page's text, not its script
    code, _, err = run_cli("audit", tmp_path / "paper", "--out", tmp_path / "audit")
    assert code == 0, err                                                   # what it writes audits


JATS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2 20190208//EN" "JATS-archivearticle1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink"><body><sec><title>Results</title>
<p>The nomogram had a C-index of 0.74&nbsp;(0.71–0.76) in the validation set.</p>
<table-wrap id="tab3"><label>Table 3</label><caption><title>Multivariable logistic regression.</title></caption>
<table><thead><tr><th>Variable</th><th>β</th><th>OR (95% CI)</th><th>P value</th></tr></thead>
<tbody><tr><td>Rad-score</td><td>1.131</td><td>3.10 (1.52–6.33)</td><td>0.002</td></tr>
<tr><td>Age</td><td>−0.405</td><td>0.67 (0.31–1.41)</td><td>0.290</td></tr></tbody></table>
<table-wrap-foot><p>OR, odds ratio.</p></table-wrap-foot></table-wrap></sec></body></article>
"""


def test_jats_full_text(tmp_path):
    path = tmp_path / "article.xml"
    path.write_text(JATS, encoding="utf-8")
    result = import_paper(path, out=tmp_path / "paper")
    cells = _cells(tmp_path / "paper")
    got = {(r["variable"], r["role"], r["text"], r["position"]): r["value"] for _, r in cells.iterrows()}
    assert got[("Age", "beta", "−0.405", "0")] == repr(-0.405)
    assert got[("Rad-score", "ci_high", "3.10 (1.52–6.33)", "2")] == repr(6.33)
    assert got[("Age", "p", "0.290", "0")] == repr(0.29)
    # 2 rows x (beta, OR with its 2 bounds, P)
    assert result.accounting() == "placed 10 of 10 numbers from 1 tables; 0 unplaced"
    assert pd.read_csv(tmp_path / "paper" / "tables.csv")["caption"].tolist() == [
        "Table 3 Multivariable logistic regression."]


def _docx(path, rows) -> None:
    """A minimal Word file: one table; a cell is (text, gridSpan, vMerge) with vMerge None, "restart" or "continue"."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def cell(text, span=1, vmerge=None):
        pr = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
            f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else "")
        return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    body = "".join("<w:tr>" + "".join(cell(*c) for c in r) + "</w:tr>" for r in rows)
    doc = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body><w:p><w:r><w:t>Table 2 Performance of '
           f"the models</w:t></w:r></w:p><w:tbl>{body}</w:tbl></w:body></w:document>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", doc)


def test_docx_tables_with_merged_cells(tmp_path):
    path = tmp_path / "paper.docx"
    _docx(path, [[("Model",), ("Training", 2), ("Validation", 2)],
                 [("",), ("AUC",), ("Sensitivity",), ("AUC",), ("Sensitivity",)],
                 [("Radiomics",), ("0.80",), ("75.0%",), ("0.76",), ("70.0%",)],
                 [("Clinical",), ("0.70",), ("60.0%",), ("0.66",), ("55.0%",)]])
    import_paper(path, out=tmp_path / "paper")
    cells = _cells(tmp_path / "paper")
    got = sorted(zip(cells["model"], cells["cohort"], cells["role"], cells["text"]))
    assert got == [("Clinical", "Training", "auc", "0.70"), ("Clinical", "Training", "sensitivity", "60.0%"),
                   ("Clinical", "Validation", "auc", "0.66"), ("Clinical", "Validation", "sensitivity", "55.0%"),
                   ("Radiomics", "Training", "auc", "0.80"), ("Radiomics", "Training", "sensitivity", "75.0%"),
                   ("Radiomics", "Validation", "auc", "0.76"), ("Radiomics", "Validation", "sensitivity", "70.0%")]


def test_docx_vertical_merge_is_one_number(tmp_path):
    path = tmp_path / "paper.docx"
    _docx(path, [[("Model",), ("Cohort",), ("AUC",), ("P",)],
                 [("Radiomics", 1, "restart"), ("Training",), ("0.80",), ("0.012", 1, "restart")],
                 [("", 1, "continue"), ("Validation",), ("0.76",), ("", 1, "continue")]])
    result = import_paper(path, out=tmp_path / "paper")
    cells = _cells(tmp_path / "paper")
    assert sorted(zip(cells["model"], cells["cohort"], cells["text"])) == [
        ("Radiomics", "Training", "0.012"), ("Radiomics", "Training", "0.80"), ("Radiomics", "Validation", "0.76")]
    assert result.accounting().startswith("placed 3 of 3 numbers")


def test_pdf_table_read_with_pdfplumber(tmp_path):
    pytest.importorskip("pdfplumber")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = tmp_path / "paper.pdf"
    fig, ax = plt.subplots(figsize=(8.27, 11.69))
    ax.axis("off")
    fig.text(0.1, 0.8, "Table 2 Performance of the models", fontsize=10)
    ax.table(cellText=[["Model", "AUC (95% CI)", "Sensitivity"], ["Radiomics", "0.801 (0.702-0.900)", "0.750"],
                       ["Clinical", "0.650 (0.550-0.750)", "0.600"]], loc="center")
    fig.savefig(path)
    plt.close(fig)
    result = import_paper(path, out=tmp_path / "paper")
    cells = _cells(tmp_path / "paper")
    assert sorted(zip(cells["model"], cells["role"], cells["value"])) == sorted([
        ("Radiomics", "auc", repr(0.801)), ("Radiomics", "ci_low", repr(0.702)), ("Radiomics", "ci_high", repr(0.9)),
        ("Radiomics", "sensitivity", repr(0.75)), ("Clinical", "auc", repr(0.65)), ("Clinical", "ci_low", repr(0.55)),
        ("Clinical", "ci_high", repr(0.75)), ("Clinical", "sensitivity", repr(0.6))])
    assert result.settings["reader"] == "pdfplumber"


# ------------------------------------------------------------------ text copies that drop cells (PMC's)
# A page's text copy leaves out empty and merged cells and pads the row at its end. Oracle: the tables below
# were written here from a page layout stated next to each; the expected role and place is that layout's.


def _read_text(text: str):
    grids, _ = find_grids(text.split("\n"))
    (r,) = [read_table(t) for t in name_tables([from_grid(g, "t") for g in grids])]
    return r


def test_dropped_header_cells_rebuilt_only_with_one_solution():
    """solve_header gives (grid, row-label columns) or None."""
    # two cohorts over Low | High | P each: no label spans the same sub-header twice, so three columns each
    got = solve_header([["Variables", "Dev", "Val", "", "", "", ""], ["Low", "High", "P", "Low", "High", "P", ""]], 1, 7)
    assert got == ([["Variables", "Dev", "Dev", "Dev", "Val", "Val", "Val"], ["", "Low", "High", "P", "Low", "High", "P"]], 1)
    # < 60 and ≥60 cover every age: they are all of Age's columns (Gender takes the other two)
    got = solve_header([["Performance", "Age", "Gender", "", ""], ["< 60", "≥60", "Female", "Male", ""]], 1, 5)
    assert got == ([["Performance", "Age", "Age", "Gender", "Gender"], ["", "< 60", "≥60", "Female", "Male"]], 1)
    # 4 labels over 4 data columns and one sub-header: the widths do not add up
    assert solve_header([["Cohort", "A", "B", "P", ""], ["A vs. B", "", "", "", ""]], 1, 5) is None
    # a comparison of two models is not under either model: under P, the one label left
    got = solve_header([["Cohort", "A", "B", "C", "P", "", ""], ["A vs. B", "A vs. C", "B vs. C", "", "", "", ""]], 1, 7)
    assert got == ([["Cohort", "A", "B", "C", "P", "P", "P"], ["", "", "", "", "A vs. B", "A vs. C", "B vs. C"]], 1)
    # three cohorts under two models: 1 + 2 or 2 + 1 columns, not printed: left as it is
    assert solve_header([["Performance", "M1", "M2", ""], ["Training", "Testing", "Total", ""]], 1, 4) is None
    # 2 OR | P pairs under each of 2 analyses under 2 outcomes (three header rows)
    grid, labels = solve_header([["Term", "Y1", "Y2"] + [""] * 6, ["Uni", "Multi", "Uni", "Multi"] + [""] * 5,
                                 ["OR", "P"] * 4 + [""]], 1, 9)
    assert grid[0] == ["Term"] + ["Y1"] * 4 + ["Y2"] * 4 and grid[1] == [""] + ["Uni", "Uni", "Multi", "Multi"] * 2
    assert grid[2] == [""] + ["OR", "P"] * 4 and labels == 1
    # Variable | Level (two label columns, the level column's header dropped): one label column gives no
    # solution (1 + 6 != 8), two give one
    grid, labels = solve_header([["Characteristic", "T", "V"] + [""] * 5, ["A", "B", "P", "A", "B", "P", "", ""]],
                                (1, 2), 8)
    assert labels == 2 and grid[0] == ["Characteristic"] * 2 + ["T"] * 3 + ["V"] * 3


def test_arrangements_of_a_row_that_lost_cells():
    # cells fitting columns {1, 3} and {3, 4}: (1, 3), (1, 4), (3, 4) keep the order: three ways
    assert arrangements([{1, 3}, {3, 4}], [1, 2, 3, 4]) == (3, [(1, 3), (1, 4)])
    assert arrangements([{1}, {3}], [1, 2, 3, 4]) == (1, [(1, 3)])
    assert arrangements([{3}, {1}], [1, 2, 3, 4]) == (0, [])
    # counted, not tried: 15 cells that fit anywhere among 30 columns, C(30, 15) = 155117520 ways
    assert arrangements([set(range(30))] * 15, list(range(30)))[0] == 155117520


PMC_TABLE1 = """Table 1. Characteristics by outcome
Variable | Training cohort (n = 100) | Validation cohort (n = 50) | ||||
---|---|---|---|---|---|---|
EPR | Non-EPR | P | EPR | Non-EPR | P | |
Sex | 0.412 | 0.733 | ||||
Male | 30 | 25 | 12 | 14 | ||
Female | 20 | 25 | 13 | 11 | ||
"""


def test_dropped_cells_characteristics_table():
    """The page: Variable (2 rows) | Training (3 columns) | Validation (3 columns); Sex's P values on its own
    row (its group cells empty), the levels' counts with their P cells empty."""
    r = _read_text(PMC_TABLE1)
    got = {(c.text, c.cohort, c.group, c.variable, c.level): c.role for c in r.placed if c.role != "n"}
    tc, vc = "Training cohort", "Validation cohort"
    want = {("0.412", tc, "", "Sex", ""): "p", ("0.733", vc, "", "Sex", ""): "p"}
    for level, counts in (("Male", ("30", "25", "12", "14")), ("Female", ("20", "25", "13", "11"))):
        for text, cohort, group in zip(counts, (tc, tc, vc, vc), ("EPR", "Non-EPR") * 2):
            want[(text, cohort, group, "Sex", level)] = "count"
    assert got == want and not r.unplaced
    # each number's printed place is kept: 12 was printed in the 4th column (it belongs in the 5th)
    assert next(c for c in r.placed if c.text == "12").source.endswith("r4c4 line 6")   # row 4 of the text


PMC_TABLE2 = """Table 2. Performance
Cohort | Model A | Model B | Model C | P | ||
---|---|---|---|---|---|---|
Model A vs. Model B | Model A vs. Model C | Model B vs. Model C | ||||
Training cohort (n=80) | 0.021 | 0.304 | 0.650 | |||
AUC (95% CI) | 0.80 (0.70–0.90) | 0.70 (0.60–0.80) | 0.72 (0.61–0.83) | |||
Sensitivity | 0.75 | 0.66 | 0.61 | |||
"""


def test_dropped_cells_performance_table_one_arrangement_or_none():
    """The page: Cohort, Model A, B, C (2 rows each) | P over three comparisons. The cohort's row carries the
    comparisons' P values (no model column takes a number in a row naming no statistic); an AUC with its CI
    can only be under a model; a sensitivity could be a model's or the P of a comparison's sensitivities:
    20 ways, so without the AUC row its row is unplaced with the reason; with it (round 7), the sensitivity row
    takes its block's AUC row's one arrangement (readers/early_rows.py; tests/audit/test_importer_rules7.py)."""
    r = _read_text(PMC_TABLE2)
    got = {(c.text, c.position): (c.role, c.cohort, c.model) for c in r.placed}
    tc = "Training cohort"
    assert got[("0.021", 0)] == ("p", tc, "Model A vs. Model B")
    assert got[("0.650", 0)] == ("p", tc, "Model B vs. Model C")
    assert got[("0.70 (0.60–0.80)", 0)] == ("auc", tc, "Model B")
    assert got[("0.72 (0.61–0.83)", 2)] == ("ci_high", tc, "Model C")
    assert got[("0.75", 0)] == ("sensitivity", tc, "Model A") and got[("0.61", 0)] == ("sensitivity", tc, "Model C")
    assert not r.unplaced
    r = _read_text(PMC_TABLE2.replace(PMC_TABLE2.splitlines()[5] + "\n", ""))      # no AUC row
    unplaced = {c.text: c.reason for c in r.unplaced}
    assert set(unplaced) == {"0.75", "0.66", "0.61"}
    assert all("20 ways" in why for why in unplaced.values())
