"""The common table model every reader returns: rows x columns of text, with header rows, caption and source.

Merged cells are expanded (a cell spanning three columns gives its text to each), so that every column of
every row has the header path of the cells above it. A reader that knows which rows are headers (HTML
``<thead>`` / ``<th>``, JATS ``<thead>``) says so; otherwise :func:`eprstats.audit.readers.place.header_rows`
infers them from where the numbers start.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_LABEL = re.compile(r"^\s*((?:Supplementa(?:ry|l)\s+)?Table\s+S?\d+[A-Za-z]?)\b", re.I)


@dataclass
class TextTable:
    """One table as printed: ``rows`` of cell texts (all rows the same width), the first ``header_rows`` of
    them column headers (None: infer), ``indent`` the indentation of each row's first cell (0 when unknown),
    ``lines`` the text line of each row (0 when the input has no lines)."""

    caption: str
    source: str
    rows: list
    header_rows: int | None = None
    indent: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    footnote: str = ""
    name: str = ""
    copies: set = field(default_factory=set)       # (row, column) holding a merged cell's copy, not its own number
    cell_lines: dict = field(default_factory=dict)  # (row, column) -> text line, where cells have lines of their own

    def __post_init__(self):
        width = max((len(r) for r in self.rows), default=0)
        self.rows = [[(c or "").strip() for c in r] + [""] * (width - len(r)) for r in self.rows]
        self.indent = list(self.indent) + [0] * (len(self.rows) - len(self.indent))
        self.lines = list(self.lines) + [0] * (len(self.rows) - len(self.lines))

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def table_label(caption: str) -> str:
    """``Table 2 | Performance ...`` -> ``Table 2``; "" when the caption names no table."""
    m = _LABEL.match(caption or "")
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def name_tables(tables: list) -> list:
    """Give each table its name: its label (``Table 2``), or ``Table ?k`` (k-th unlabelled table); a second
    table with the same label is ``Table 2 (2)`` (a table continued on the next page), never merged or dropped."""
    seen: dict[str, int] = {}
    unlabelled = 0
    for t in tables:
        label = table_label(t.caption)
        if not label:
            unlabelled += 1
            label = f"Table ?{unlabelled}"
        seen[label] = seen.get(label, 0) + 1
        t.name = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return tables


def expand_spans(rows: list) -> tuple[list, set]:
    """Rows of ``(text, rowspan, colspan)`` -> a rectangular grid of texts, a merged cell's text in each of the
    places it covers (HTML / JATS / DOCX merged cells), and the places that hold a copy: a number printed
    once in a merged cell is counted once."""
    grid: list[list] = []
    copies: set = set()
    pending: dict[tuple[int, int], str] = {}      # (row, column) taken by a rowspan from above
    for i, row in enumerate(rows):
        out: list = []
        j = 0
        cells = list(row)
        while cells or (i, j) in pending:
            if (i, j) in pending:
                out.append(pending.pop((i, j)))
                copies.add((i, j))
                j += 1
                continue
            text, rs, cs = cells.pop(0)
            rs, cs = max(1, min(int(rs or 1), 1000)), max(1, min(int(cs or 1), 100))
            for dj in range(cs):
                out.append(text)
                if dj:
                    copies.add((i, j + dj))
                for di in range(1, rs):
                    pending[(i + di, j + dj)] = text
            j += cs
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid], copies
