"""Rows that end early in a text copy that drops empty cells (PMC's ``| ||||``): where their cells belong.

A row with fewer cells than the table has columns is placed only where its cells fit one order-keeping
arrangement under the headers (:func:`arrange`; the ways are counted in ``dropped.arrangements``). One more
inference has one solution without guessing a column (:func:`sibling_arrangement`): in a table of statistics
as rows, a block of rows each naming its statistic (``AUC (95% CI)``, ``ACC``, ``SEN``, ``SPE`` under one
cohort) prints the same kind of number in the same columns, so where one row of the block has a single
arrangement (its ``0.830 (0.746, 0.896)`` fits only under the models' columns) and another row of the block,
with the same number of cells, fits that arrangement among several (``0.778 | 0.704 | 0.704`` fits under the
models or the comparisons' P columns), the second takes the first's. Never for a row whose label names a P, a
cohort, or no statistic (a cohort's row of comparison P values, ``Training cohort | 0.016 | 0.023 | 0.708``, is
the block's heading, not one of its statistics), never across a row that is not a statistic's (a heading, a
cohort, a repeated header ends the block), and never where two rows of the block with one arrangement each
disagree.
"""
from __future__ import annotations

import types

from . import words as W
from .dropped import arrangements
from .numbers import parse_cell
from .roles import row_roles
from .sections import check_row, in_section

#: the most rows above or below a row that its block is looked for in
_REACH = 40

#: place.py's own functions this module calls back (``Read``, ``place_numbers``, ``seg``, ``only_p``), handed
#: over by place.py when it is imported (:func:`use_placement`): place.py calls :func:`arrange`, so importing
#: place.py here would make an import circle.
_PLACE = types.SimpleNamespace()


def use_placement(**functions) -> None:
    """Set the placement functions :func:`arrange` and :func:`fits_column` use (place.py does, on import)."""
    _PLACE.__dict__.update(functions)


def arrange(tb, i: int, section: dict, label: str, labels: list, numeric: dict, indented: bool):
    """A row that ends early in a text that drops empty cells: (its numbers by the column they belong to, "",
    _) when exactly one order-keeping arrangement lets the headers place every number of the row
    (readers/dropped.py), or one sibling row of its block fixes it (:func:`sibling_arrangement`); otherwise
    (the numbers as printed, why not, whether every arrangement that fits puts them all under P / n / statistic
    columns: the row is then a variable's own row)."""
    var = section["var"] if section["var"] and in_section(tb, section, i, label, numeric, indented) else None
    outer = tuple(x for x in (section["cohort"], var) if x)
    cols = list(range(tb.L, tb.t.width))
    order = sorted(numeric)
    fits = _row_fits(tb, i, outer, labels, numeric)
    total, found = arrangements(fits, cols)
    chosen = found[0] if total == 1 else sibling_arrangement(tb, i, outer, fits) if total > 1 else None
    if chosen is not None:
        row = [x for x in tb.rows[i][:tb.L]] + [""] * (tb.t.width - tb.L)
        for q, j in zip(order, chosen):
            row[j] = tb.rows[i][q]
        tb.moved[i] = {j: q - tb.shift[i] for q, j in zip(order, chosen)}
        tb.rows[i] = row
        return {j: numeric[q] for q, j in zip(order, chosen)}, "", False
    p_cols = {j for j in cols if _PLACE.only_p(tb, {j: None})}
    all_p = total > 0 and arrangements([f & p_cols for f in fits], cols)[0] == total
    ways = f"{total} ways" if total else "no way"
    return numeric, (f"the text copy drops empty cells and this row ends early: its {len(order)} cells fit {ways} "
                     "of arranging them under the table's columns (readers/dropped.py)"), all_p


def _row_fits(tb, i: int, outer: tuple, labels: list, numeric: dict) -> list:
    """For each cell of row ``i`` (in printed order) the columns whose headers place every number of it."""
    path = outer + tuple(x for k, x in enumerate(labels) if x and not (k == 0 and x in outer))
    cols = range(tb.L, tb.t.width)
    return [{j for j in cols if fits_column(tb, i, path, j, numeric[q])} for q in sorted(numeric)]


def fits_column(tb, i: int, path: tuple, j: int, p) -> bool:
    """Whether the headers place every number of the cell in column ``j`` (a cell with no number it knows,
    ``NA``, ``–``, fits any column)."""
    if not tb.col_path[j]:
        return False                   # a column with no header: nothing says what a number there is
    if p.form == "other" or not p.numbers:
        return True
    tmp = _PLACE.Read(tb.t)
    _PLACE.place_numbers(tb, tmp, i, j, path, p)
    if tmp.unplaced:
        return False
    check_row(tb, tmp, {j: p.text}, {j: p}, arranged=True)
    return not tmp.unplaced


def _statistic_row(tb, i: int) -> bool:
    """A body row that names one statistic of its own (``ACC``, ``AUC (95% CI)``), none a P, and no cohort,
    with numbers, its label in the same column as the rows around it."""
    row = tb.rows[i]
    labels = [_PLACE.seg(c) for c in row[:tb.L]]
    label = next((x for x in labels if x), "")
    if not label or i in tb.repeated_headers or W.is_cohort(label, False) or W.is_ci_only(label):
        return False
    roles = [r for r in row_roles(tb, label) if r]
    return bool(roles) and "p" not in roles and any(row[tb.L:])


def sibling_arrangement(tb, i: int, outer: tuple, fits: list):
    """The arrangement of row ``i`` taken from the rows of its block (the consecutive rows around it that name
    a statistic each, at the same indentation, with the label in the same column) that end early with as many
    cells and fit one arrangement each: only where they all agree and it is one of row ``i``'s own."""
    if tb.kind != "performance" or not _statistic_row(tb, i):
        return None
    def shape(k):
        row = tb.rows[k]
        return tb.t.indent[k], [bool(c) for c in row[:tb.L]]
    block = []
    for step in (-1, 1):
        k = i + step
        # a block of statistics as rows is a handful of rows: looking no further than _REACH keeps the reading
        # time linear in the rows (a sibling further away gives nothing: the row stays unplaced)
        while tb.h <= k < len(tb.rows) and abs(k - i) <= _REACH and _statistic_row(tb, k) and shape(k) == shape(i):
            block.append(k)
            k += step
    cols = list(range(tb.L, tb.t.width))
    agreed = set()
    for k in block:
        row = tb.rows[k]
        cells = {j: c for j, c in enumerate(row) if j >= tb.L and c}
        if k in tb.moved:                  # already arranged (above row i): the columns it was given
            agreed.add(tuple(sorted(tb.moved[k])))
            continue
        if len(cells) != len(fits) or all(row[tb.L:]):
            continue
        cache = tb.__dict__.setdefault("_one_arrangement", {})      # each row's counted once per section
        if (k, outer) not in cache:
            numeric = {j: parse_cell(c, tb.dc) for j, c in cells.items()}
            total, found = arrangements(_row_fits(tb, k, outer, [_PLACE.seg(c) for c in row[:tb.L]], numeric), cols)
            cache[(k, outer)] = found[0] if total == 1 else None
        if cache[(k, outer)] is not None:
            agreed.add(cache[(k, outer)])
    agreed = {a for a in agreed if len(a) == len(fits)}
    if len(agreed) != 1:
        return None
    (chosen,) = agreed
    return chosen if all(j in f for j, f in zip(chosen, fits)) else None
