"""`audit-import`'s readers: a saved article page (HTML), a JATS full text, a Word file and a PDF's tables.

Oracle: the numbers written into each file here, with the role and place a reader of the printed table gives
them (stated next to each file); the importer never decides what the expected values are.
"""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from eprstats.audit import import_paper

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
