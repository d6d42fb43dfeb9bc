"""Accounting, never silence (issue #22): every number printed in a table is placed or listed as unplaced.

The placing (:mod:`eprstats.audit.readers.place`) emits each number of the table's body. A number it does not
reach is still a number of the paper: one in a row taken as a header row (a body printed in a form the readers
do not know makes every row look like a header), one in a row-label column (a cell that the text copy shifted
there from its own column), or one that a rule of the placing skipped. Each is listed here as unplaced with the
reason, so that ``placed + unplaced`` is every number of the table and no table or cell vanishes.

What counts as a number of the table: every number of a body cell right of the row labels (in whatever form it
is printed), every number of a header cell printed as a number in one of the forms
:func:`~eprstats.audit.readers.numbers.parse_cell` knows (``0.988``, ``(0.988, 0.999)``, ``11.25 (27/240)``), and of
a row-label cell printed so, unless it is a level's name (``2``, ``<60``, ``40-59``);
a digit inside a name (``AUC (95% CI)``, ``Training (n = 188)``, ``CA19-9``) is part of the name, except in a
table read with no body at all, where every number below its first row and right of its first column is listed.
"""
from __future__ import annotations

import re

from ..cells import Cell
from .numbers import parse_cell

HEADER_ROW = ("read as a header row (a row above the table's first row of numbers in a form the importer knows): "
              "no header says what it is")
LABEL_COLUMN = ("in a row-label column (a label printed as a number, or a cell the text copy shifted left from "
                "its own column): no header says what it is")
_SIZE = re.compile(r"\b[nN]\s*=\s*(\d[\d,]*)")
NOT_REACHED = "a number of the table's body that no rule of the placing reached: listed so that none is lost"


def emitted_positions(cells) -> dict:
    """(printed row, printed column) -> the positions of its numbers already emitted, read from each cell's source
    (``... r5c3``, 1-based as printed)."""
    out: dict = {}
    for c in cells:
        m = re.search(r" r(\d+)c(\d+)", c.source)
        if m:
            out.setdefault((int(m.group(1)) - 1, int(m.group(2)) - 1), set()).add(c.position)
    return out


#: a decimal number with a trailing symbol no reader knows as a mark (``0.025⋆``): a number with a mark, never a
#: name, so it is counted wherever it stands (``0.025∗`` once stood in a label column, returned neither placed nor
#: unplaced, before ``∗`` was read as a mark)
_MARKED_NUMBER = re.compile(r"\s*(?:<=|>=|[<>≤≥])?\s*-?\d*\.\d+\s*[^\w\s()\[\]%.,;:/±+-]{1,2}\s*")


def _marked_number(text: str) -> bool:
    return bool(_MARKED_NUMBER.fullmatch(text or ""))


def _level_name(p) -> bool:
    """A row label printed as a level's name: a whole number (a grade ``2``), a bound (``<60``, ``≥ 0.5``) or a
    band of whole numbers (``40-59``); not a decimal number or an interval of them (``(0.988, 0.999)``), which in
    a label column is a cell the copy shifted there."""
    nums = p.numbers
    if p.form == "single":
        return bool(nums[0].bound) or not nums[0].decimals
    return p.form == "range" and not any(n.decimals for n in nums)


def account_for_every_number(tb, out, src) -> None:
    """Add to ``out.unplaced`` every number of ``tb``'s printed rows that is neither placed nor unplaced.
    ``src(i, j)``: the source text of printed row ``i``, column ``j`` (place._src)."""
    t = tb.t
    seen = emitted_positions(out.placed + out.unplaced)
    for i, row in enumerate(t.rows):
        for j, text in enumerate(row):
            if (i, j) in t.copies or not re.search(r"\d", text or ""):
                continue
            p = parse_cell(text, tb.dc)
            header = i < tb.h or i in tb.repeated_headers
            label = not header and j + tb.shift[i] < tb.L
            # a table with no body (every row taken for a header: its cells in forms no reader knows) keeps
            # the numbers of its cells below the first row and right of the first column
            bodiless = tb.h >= len(t.rows) and i > 0 and j > 0
            if label and p.form == "other" and not seen.get((i, j)):
                out.unplaced += _label_size_unplaced(t, i, j, text, src)
            if (header or label) and p.form in ("blank", "other") and not bodiless and not _marked_number(text):
                continue                    # a digit inside a name: ``AUC (95% CI)``, ``CA19-9``, ``pN1a``
            if (label or header) and _level_name(p):
                continue                    # ``2``, ``<60`` over columns or beside rows: a subgroup's name
            done = seen.get((i, j), set())
            why = HEADER_ROW if header else LABEL_COLUMN if label else NOT_REACHED
            for k, n in enumerate(p.numbers):
                if k in done:
                    continue
                out.unplaced.append(Cell(t.name, (), (), text, k, n.value, n.decimals, bound=n.bound,
                                         source=src(i, j), caption=t.caption, reason=why))


SIZE_IN_LABEL = ("a size printed in a row label (``Test set (n=142)``) that no rule placed as a cohort's n: no "
                 "header says whose n it is")


def _label_size_unplaced(t, i: int, j: int, text: str, src) -> list:
    """A row label's ``(n = 142)``, the n of what the label names: listed unplaced where the placing did not place
    it (a cohort's label places it), so that a label's size never vanishes; its position is its place among the
    label's numbers (``Test 2 (n = 90)``: the second)."""
    m = _SIZE.search(text)
    if not m:
        return []
    k = len(re.findall(r"\d+(?:\.\d+)?", text[:m.start(1)]))
    n = int(m.group(1).replace(",", ""))
    return [Cell(t.name, (), (), text, k, float(n), 0, source=src(i, j), caption=t.caption, reason=SIZE_IN_LABEL)]
