"""A header row that the text copy moved left and that could not be moved back: the table's numbers unplaced.

PMC's text copy drops a header row's empty first cell (the one over the row labels), so every header name
lands one column left of its numbers (``Training | Validation | Comparison | |`` over ``Age (years) | 67.4 ±
9.9 | 68.4 ± 11.8 | p = 0.193 |``). ``place._Table._unshift_header`` moves such a row back where the body's last
column prints numbers. Where it could not (the last column prints words only, or the rows above say nothing),
reading the header as printed puts every number one column off: Training's numbers read as Validation's. The
signs of the move that are left are read here, and then no number of the table is placed (docs/audit_import.md,
"Round 8"): never a number one column off.
"""
from __future__ import annotations

from . import words as W

WHY = ("the header row looks moved left by the text copy (a cohort's name over the row labels, and no header over "
       "the last column the rows fill) and it could not be moved back with one reading: which column each header "
       "names is not printed")


def moved_header(tb) -> str:
    """Why the table's numbers cannot be placed (its lowest header row moved left), or ""."""
    t, r = tb.t, tb.h - 1
    if t.copies or r < 0 or tb.L < 1 or tb.shift[r]:
        return ""
    head, w = tb.head, t.width
    if not W.is_cohort(head[r][0]) or head[r][w - 1]:
        return ""
    if any(head[q][w - 1] for q in range(r)):
        return ""                       # a spanning header above names the last column
    if not any(row[w - 1] for row in tb.rows[tb.h:]):
        return ""                       # an empty last column under an empty header: nothing moved over it
    return WHY
