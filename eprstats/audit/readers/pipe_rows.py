"""The cells of a pipe table's lines, with a line's leading pipe read as the table's border only where the
table has one (round 9, issue #22).

A page copied as a pipe table prints a row under a merged first cell (a model named once over its three
cohorts) as `` |  | Internal test | 0.724 | ...``: the empty merged cell, then a pipe. Read as a border, that pipe
moves every cell of the row one column left (a specificity under the sensitivity, a cohort "Internal test >
0.724"). A border is the table's, on its first row as on the others; so where the first row opens without a
pipe, a row that opens with one opens with an empty cell -- kept only where that gives the row exactly the
first row's cells, so the row is aligned under the header by its count, not guessed. Anything else is split as
before (a table whose first row opens with a pipe, a row whose count does not fit).
"""
from __future__ import annotations


def split_pipe_line(line: str) -> list[str]:
    """A pipe line's cells, a leading and a trailing pipe taken for the border."""
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") else s
    return [c.strip() for c in s.split("|")]


def split_pipe_rows(lines: list[str]) -> list[list[str]]:
    """The cells of each line of one pipe table (its rule lines left out), the first line being its header."""
    rows = [split_pipe_line(l) for l in lines]
    if not lines or lines[0].strip().startswith("|"):
        return rows                       # the table has a left border: every leading pipe is one
    width = len(rows[0])
    for i, line in enumerate(lines[1:], start=1):
        if not line.strip().startswith("|"):
            continue
        kept = [""] + rows[i]             # the pipe after an empty first cell, not a border
        if len(kept) == width:
            rows[i] = kept
    return rows
