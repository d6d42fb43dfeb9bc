"""Write one table as CSV (always) and, on request, Markdown, LaTeX, Word (.docx) and HTML.

Every format is written atomically. The CSV is the record; the other formats are renderings of the same
DataFrame for a manuscript.
"""
from __future__ import annotations

import datetime as _dt
import html
import io
import zipfile
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import InputError
from ..fileio import atomic_path, write_csv, write_text

from .formats import FORMATS  # noqa: F401  (re-exported)


class TableFrame(pd.DataFrame):
    """A result's main table that is also its ``table(name)`` method: ``Table1.table`` and
    ``AuditResult.table`` were DataFrames before #24, and ``result.table(name)`` is a method on every other
    result; this keeps both (the DataFrame use is a deprecated alias). Derived frames are plain DataFrames."""

    _metadata = ["_owner"]          # pickled with the frame: an unpickled result's table is still callable

    @property
    def _constructor(self):
        return pd.DataFrame

    def __call__(self, name: str | None = None):
        return self if name is None else self._owner.tables[name]


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return str(v)


def to_markdown(frame: pd.DataFrame, title: str | None = None, note: str | None = None) -> str:
    cols = [str(c) for c in frame.columns]
    lines = [f"**{title}**", ""] if title else []
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "|".join("---" for _ in cols) + "|")
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v).replace("|", "\\|") for v in row) + " |")
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def _tex_escape(s: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                 ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"),
                 ("^", r"\textasciicircum{}")):
        s = s.replace(a, b)
    return s


def to_latex(frame: pd.DataFrame, title: str | None = None, note: str | None = None) -> str:
    cols = [str(c) for c in frame.columns]
    out = [r"\begin{table}[ht]", r"\centering"]
    if title:
        out.append(rf"\caption{{{_tex_escape(title)}}}")
    out.append(r"\begin{tabular}{" + "l" * len(cols) + "}")
    out.append(r"\hline")
    out.append(" & ".join(_tex_escape(c) for c in cols) + r" \\")
    out.append(r"\hline")
    for row in frame.itertuples(index=False):
        out.append(" & ".join(_tex_escape(_cell(v)) for v in row) + r" \\")
    out.append(r"\hline")
    out.append(r"\end{tabular}")
    if note:
        out.append(r"\par\footnotesize " + _tex_escape(note))
    out.append(r"\end{table}")
    return "\n".join(out) + "\n"


def to_html(frame: pd.DataFrame, title: str | None = None, note: str | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    cap = f"<caption>{html.escape(title)}</caption>" if title else ""
    foot = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return (f'<table class="eprstats">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{foot}\n")


def to_docx(frame: pd.DataFrame, path: Path, title: str | None = None, note: str | None = None) -> None:
    import docx

    document = docx.Document()
    # python-docx stamps the current time into core properties; fix them so output is reproducible.
    props = document.core_properties
    props.created = props.modified = _dt.datetime(2000, 1, 1)
    props.last_modified_by = props.author = "eprstats"
    props.revision = 1
    if title:
        document.add_heading(title, level=2)
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
    for row in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = _cell(v)
    if note:
        document.add_paragraph(note)
    _save_reproducibly(document, path)


def _save_reproducibly(document, path: Path) -> None:
    """A .docx is a zip whose members carry the time of writing: rewrite them with a fixed time so
    that the same table gives the same bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))


def write_table(frame: pd.DataFrame, path: str | Path, formats: Iterable[str] = ("csv",),
                title: str | None = None, note: str | None = None, html=None) -> list[Path]:
    """Write ``frame`` to ``path`` (suffix replaced per format). CSV is always written.

    ``html``, when given, renders the HTML file (``html(frame, title, note) -> str``, e.g. a standalone page)
    in place of :func:`to_html`. Returns the paths written.
    """
    formats = list(dict.fromkeys(["csv", *[f.lower().lstrip(".") for f in formats]]))
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown table format(s) {bad}", f"choose from {', '.join(FORMATS)}")
    base = Path(path)
    if base.suffix.lower().lstrip(".") in FORMATS:
        base = base.with_suffix("")
    written = []
    for fmt in formats:
        target = base.with_suffix(f".{fmt}")
        if fmt == "csv":
            write_csv(target, frame)
        elif fmt == "md":
            write_text(target, to_markdown(frame, title, note))
        elif fmt == "tex":
            write_text(target, to_latex(frame, title, note))
        elif fmt == "html":
            write_text(target, (html or to_html)(frame, title, note))
        elif fmt == "docx":
            with atomic_path(target) as tmp:
                to_docx(frame, tmp, title, note)
        written.append(target)
    return written
