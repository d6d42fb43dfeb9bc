"""The importer's tables as cells: every number of every table placed (``cells.csv``) or listed with the reason
(``unplaced.csv``), every table listed (``tables.csv``); see :mod:`eprstats.audit.cells` and
docs/audit_import.md.

Tables found in a text's lines (:func:`eprstats.audit.importer_tables.find_grids`) and tables read from a page,
a JATS file, a PDF or a DOCX (:mod:`eprstats.audit.readers`) go through the same placing; the first also go on
to the seed schema's Table 1, 2 and 3 as before, and the others are handed to the same reader as text grids.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from .cells import COLUMNS as CELL_COLUMNS, Cell, PATH_SEP
from .importer_tables import Cell as GridCell, Grid
from .readers import TextTable, name_tables, read_table
from .readers.numbers import parse_cell

#: unplaced.csv: a cell's columns, then the line of the text and what kind of number it is (table, auc, p ...)
UNPLACED_COLUMNS = CELL_COLUMNS + ("line", "kind")
#: ``legacy``: the seed schema's file the table was also written to (then checked there only, not as cells);
#: ``legacy_note``: why a table of that shape was not (the audit's reader would refuse a value of it)
TABLES_COLUMNS = ("table", "caption", "source", "rows", "columns", "numbers", "placed", "unplaced", "legacy",
                  "legacy_note")


def from_grid(grid: Grid, source: str, lines=None) -> TextTable:
    """A table found in a text's lines as the common table model (its lines kept; with the text's ``lines``,
    the indentation of each row's first cell, which says a level from a variable of its own)."""
    return TextTable(grid.caption, f"{source} line {grid.line}", [[c.text for c in r] for r in grid.rows],
                     lines=[r[0].line if r else 0 for r in grid.rows],
                     indent=text_indent(grid, lines) if lines is not None else [],
                     cell_lines={(i, j): c.line for i, r in enumerate(grid.rows) for j, c in enumerate(r)})


def text_indent(grid: Grid, lines: list) -> list:
    """The spaces before each row's first label in a pipe or tab-separated text (``|  Pure GGO | Ref.``),
    beyond the fewest any label of the table has (a pipe table's usual padding): a page's text keeps a level's
    indentation where it keeps nothing else. 0 for other layouts and rows without a first label."""
    if grid.layout not in ("pipe", "tab"):
        return []
    spaces = []
    for r in grid.rows:
        raw = lines[r[0].line - 1] if r and 0 < r[0].line <= len(lines) else ""
        if grid.layout == "pipe":
            raw = raw.strip()
            raw = raw[1:] if raw.startswith("|") else raw
        first = re.split(r"\||\t", raw, maxsplit=1)[0] if raw else ""
        spaces.append(len(first) - len(first.lstrip(" \u00a0")) if first.strip() else None)
    least = min((k for k in spaces if k is not None), default=0)
    return [k - least if k is not None else 0 for k in spaces]


def to_grid(table: TextTable) -> Grid:
    """A table read from a page as the text grid the seed schema's reader takes (line 0: no text line)."""
    grid = Grid(table.caption, 0, layout="markup")
    grid.rows = [[GridCell(t, 0) for t in row] for row in table.rows]
    return grid


def place_tables(tables: list) -> tuple[list, list, list]:
    """(placed cells, unplaced cells with their lines, tables.csv rows) of every table, in the tables' order."""
    placed, unplaced, listed = [], [], []
    for t in name_tables(tables):
        r = read_table(t)
        placed += r.placed
        for c in r.unplaced:
            line = _line_of(t, c)
            unplaced.append((c, line, "table"))
        listed.append({"table": t.name, "caption": t.caption, "source": t.source, "rows": len(t.rows),
                       "columns": t.width, "numbers": r.numbers, "placed": len(r.placed),
                       "unplaced": len(r.unplaced), "legacy": "", "legacy_note": ""})
    return placed, unplaced, listed


def _line_of(t: TextTable, c: Cell) -> str:
    m = re.search(r" line (\d+)$", c.source)
    return m.group(1) if m else ""


def text_unplaced(line, kind: str, text: str, reason: str, where: str = "Text") -> tuple:
    """A number of the running text that the sentence reader could not place, as an unplaced cell."""
    p = parse_cell(text)
    first = p.numbers[0] if p.numbers else None
    cell = Cell(where, (), (), text, 0, first.value if first else math.nan, first.decimals if first else 0,
                bound=first.bound if first else "", source=f"line {line}", reason=reason)
    return cell, str(line), kind


def cell_row(cell: Cell) -> dict:
    d = {k: getattr(cell, k) for k in CELL_COLUMNS}
    d["row_path"] = PATH_SEP.join(cell.row_path)
    d["col_path"] = PATH_SEP.join(cell.col_path)
    d["value"] = repr(float(cell.value))
    d["position"], d["decimals"] = str(cell.position), str(cell.decimals)
    return d


def frames(placed, unplaced, listed) -> dict:
    rows = []
    for cell, line, kind in unplaced:
        d = cell_row(cell)
        d.update(line=line, kind=kind)
        rows.append(d)
    return {"cells": pd.DataFrame([cell_row(c) for c in placed], columns=CELL_COLUMNS, dtype=str),
            "unplaced": pd.DataFrame(rows, columns=UNPLACED_COLUMNS, dtype=str),
            "tables": pd.DataFrame(listed, columns=TABLES_COLUMNS).astype(str)}
