"""A paper's file -> (tables, running text): the reader is chosen by the file's kind.

- ``.html`` / ``.htm``: an article's saved page (:mod:`.markup`);
- ``.xml`` / ``.nxml``: a JATS full text (:mod:`.markup`);
- ``.pdf``: pdfplumber's tables, and the page text outside them;
- ``.docx``: the document's tables (merged cells expanded) and paragraphs, read from its XML;
- anything else: UTF-8 text, its tables found as pipe / Markdown, tab-, comma- or semicolon-separated blocks or
  one cell per line (:func:`eprstats.audit.importer_tables.find_grids`).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from ...errors import InputError, MissingDependencyError
from .markup import read_markup
from .table import TextTable, expand_spans, table_label

KINDS = {".html": "html", ".htm": "html", ".xhtml": "html", ".xml": "jats", ".nxml": "jats", ".pdf": "pdf",
         ".docx": "docx"}


def kind_of(path: Path) -> str:
    return KINDS.get(path.suffix.lower(), "text")


def _decode(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the paper is not UTF-8 text (byte {exc.start})", "save it as UTF-8 text, or give the PDF",
                         file=str(path)) from None


def read_file(path) -> tuple[list[TextTable], str, str]:
    """(tables, running text, reader name) of a paper's file. The text reader returns no tables: the text's
    tables are found in its lines by the caller, which keeps their line numbers."""
    path = Path(path)
    if not path.is_file():
        raise InputError("the paper does not exist or is not a file",
                         "give the paper's text (.txt), saved page (.html), JATS XML (.xml), PDF or DOCX",
                         file=str(path))
    kind = kind_of(path)
    if kind in ("html", "jats"):
        tables, text = read_markup(_decode(path), path.name, xml=kind == "jats")
        return tables, text, kind
    if kind == "pdf":
        return (*read_pdf(path), "pdfplumber")
    if kind == "docx":
        return (*read_docx(path), "docx")
    return [], _decode(path), "text"


# ----------------------------------------------------------------------------------------- PDF
def read_pdf(path: Path) -> tuple[list[TextTable], str]:
    try:
        import pdfplumber
    except ImportError:
        raise MissingDependencyError("reading a PDF needs pdfplumber, which is not installed",
                                     "pip install 'eprstats[audit]' (or pip install pdfplumber), or give the "
                                     "paper's text as a .txt file", file=str(path)) from None
    tables, pages = [], []
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                found = page.find_tables()
                rest = page
                for k, tab in enumerate(found, 1):
                    rows = [[(c or "").replace("\n", " ") for c in r] for r in tab.extract()]
                    if len(rows) < 2 or max(len(r) for r in rows) < 2:
                        continue
                    above = page.crop((0, max(0, tab.bbox[1] - 80), page.width, tab.bbox[1])).extract_text() or ""
                    caption = next((l.strip() for l in reversed(above.splitlines()) if table_label(l.strip())), "")
                    tables.append(TextTable(caption, f"{path.name} p{number} table{k}", rows))
                    rest = rest.outside_bbox(tab.bbox)
                pages.append(rest.extract_text() or "")
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise InputError(f"the PDF could not be read ({type(exc).__name__}: {exc})",
                         "check that it is a PDF with a text layer, or give the paper's text as .txt",
                         file=str(path)) from None
    return tables, "\n\n".join(pages)


# ----------------------------------------------------------------------------------------- DOCX
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_W}t"))


def read_docx(path: Path) -> tuple[list[TextTable], str]:
    """A Word document's tables (``gridSpan`` and ``vMerge`` expanded) and paragraphs, from its XML."""
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise InputError(f"the DOCX could not be read ({type(exc).__name__}: {exc})",
                         "save the document again as .docx, or give its text as .txt", file=str(path)) from None
    body = root.find(f"{_W}body")
    tables, paragraphs, last = [], [], ""
    for el in list(body if body is not None else []):
        if el.tag == f"{_W}p":
            text = _text(el).strip()
            if text:
                paragraphs.append(text)
                last = text
        elif el.tag == f"{_W}tbl":
            tables.append(_docx_table(el, last if table_label(last) else "", f"{path.name}#table{len(tables) + 1}"))
            last = ""
    return tables, "\n\n".join(paragraphs)


def _docx_table(tbl, caption: str, source: str) -> TextTable:
    rows = []
    for i, tr in enumerate(tbl.iter(f"{_W}tr")):
        row, j = [], 0
        for tc in tr.findall(f"{_W}tc"):
            pr = tc.find(f"{_W}tcPr")
            span, vmerge = 1, None
            if pr is not None:
                g = pr.find(f"{_W}gridSpan")
                span = int(g.get(f"{_W}val", "1")) if g is not None else 1
                v = pr.find(f"{_W}vMerge")
                vmerge = (v.get(f"{_W}val") or "continue") if v is not None else None
            text = " ".join(_text(p).strip() for p in tc.findall(f"{_W}p")).strip()
            row.append([text, 1, span, vmerge, j])
            j += span
        rows.append(row)
    # vMerge "continue" cells are the merged cell's copies: give them its text, marked as copies
    grid, copies = expand_spans([[(c[0], 1, c[2]) for c in r] for r in rows])
    for i, r in enumerate(rows):
        for c in r:
            if c[3] == "continue" and i > 0:
                for dj in range(c[2]):
                    grid[i][c[4] + dj] = grid[i - 1][c[4] + dj]
                    copies.add((i, c[4] + dj))
    head = 1 if any(re.search(r"[A-Za-z]", x) for x in grid[0]) and grid else None
    return TextTable(caption, source, grid, header_rows=None if head is None else None, copies=copies)
