"""Tables whose text copy dropped cells: the inferences that have one solution, and only those.

A page's text copy (PMC's ``| ||||`` rows) leaves out every empty cell and every place a merged cell covers,
and pads the row at its end: the cells after a lost one move left. Which places were lost is not printed, so
a cell's column is known only where the headers and the cell's own form allow one arrangement:

- **header rows** (:func:`solve_header`): each header label spans the labels under it in the next row (in
  order), a label with none under it covers one column down to the numbers. Every way of sharing the lower
  row's labels among the upper row's is tried; a way is kept when its columns add up to the table's width
  and no label spans two columns with the same sub-header (``Low | High | P`` twice under two cohorts: three
  each), no statistic spans another (``AUC`` over ``Sensitivity``), a total's printed n is the sum of the
  cohorts' beside it (``Total cohort (n = 150)`` is not beside ``Testing cohort (n = 90)`` alone), a pair of
  complementary bounds (``< 60`` / ``≥ 60``) is one label's whole span (the two cover every
  value), and a comparison ``A vs. B`` is not under ``A`` or ``B``. The header is rebuilt only when exactly
  one way is left (``Training | Testing | Total`` under two models has two where no printed n tells them
  apart: left as it is);
- **a row with fewer cells than columns** (:func:`arrangements`): the order-keeping ways of putting its cells
  in the table's columns are counted, each cell in a column only where the headers place every number of it
  there (a count pair only under a count's column, a bare P only under a P column, ``P = 18`` nowhere). The
  row is placed only when there is exactly one way; otherwise its numbers are unplaced with the number of
  ways (``readers/place.py``, ``_arrange``).
"""
from __future__ import annotations

import re

from . import words as W

#: a label of ``< 60``, ``≥60``, ``<= 3 cm``: a bound of a variable's values
_BOUND = re.compile(r"^\s*(<=|>=|≤|≥|<|>)\s*(\d+(?:[.,]\d+)?)\s*(.*?)\s*$")
_COMPLEMENT = {"<": (">=", "≥"), "≤": (">",), "<=": (">",), ">": ("<=", "≤"), "≥": ("<",), ">=": ("<",)}
_VERSUS = re.compile(r"^\s*(.+?)\s+(?:vs\.?|versus)\s+(.+?)\s*$", re.I)
#: a label of the whole sample: ``Total cohort (n = 150)``, ``Overall``, ``Entire set``
_TOTAL = re.compile(r"^\s*(?:total|overall|entire|whole|all)\b", re.I)
#: one bound of a CI named alone (``Lower``, ``Upper``, ``LL``, ``UL``, ``lower limit``); not ``Low`` / ``High``
#: alone, which head a risk score's groups as often (``Low | High | P`` under each cohort)
_BOUND_ALONE = re.compile(r"^\s*(?:(?:lower|upper|LL|UL)(?:[\s_]*(?:bound|limit))?|(?:low|high)[\s_]*(?:bound|limit))"
                          r"\s*$", re.I)
#: the most ways of sharing header labels tried before a header is left as it is
LIMIT = 20000


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def drops_cells(rows: list) -> bool:
    """A text copy that leaves out empty cells: no row has an empty cell before a filled one (its cells are
    a prefix of the row), and some row ends before another (a last column that no row fills, printed empty by
    all rows but one, is lost by none)."""
    filled = []
    for r in rows:
        n = sum(1 for c in r if c)
        if any(r[n:]):
            return False
        filled.append(n)
    return bool(filled) and min(filled) < max(filled)


def _complementary(a: str, b: str) -> bool:
    ma, mb = _BOUND.match(a), _BOUND.match(b)
    if not (ma and mb) or ma.group(2).replace(",", ".") != mb.group(2).replace(",", ".") or \
            _key(ma.group(3)) != _key(mb.group(3)):
        return False
    return mb.group(1) in _COMPLEMENT[ma.group(1)]


def _group_ok(parent: str, children: list) -> bool:
    """Whether ``children`` can be everything under ``parent``: no sub-header twice, no comparison of the
    parent with another label under it, no statistic under another (``AUC`` over ``Sensitivity``: a column
    names one statistic, and a P may be any estimate's)."""
    keys = [_key(c) for c in children]
    if len(set(keys)) < len(keys):
        return False
    stat = set(W.segment_roles(parent)) - {"p"}
    if stat and any(set(W.segment_roles(c)) - {"p"} - stat for c in children):
        return False
    # ``Lower`` / ``Upper`` alone name the bounds of a CI: only under a CI's header (``95% CI``), never under a
    # statistic's or a name's (round 8: which of seven parents spans them is otherwise not printed)
    if any(_BOUND_ALONE.match(c) for c in children) and not W.is_ci_only(parent):
        return False
    # a total beside the cohorts it totals is their union: its printed n is the sum of theirs
    totals = [c for c in children if _TOTAL.match(c) and W.size_in(c) is not None]
    rest = [W.size_in(c) for c in children if c not in totals]
    if totals and rest and None not in rest and any(W.size_in(t) != sum(rest) for t in totals):
        return False
    for c in children:
        m = _VERSUS.match(c)
        if m and _key(parent) in (_key(m.group(1)), _key(m.group(2))):
            return False
    return True


def _pairs_ok(labels: list, shares: list) -> bool:
    """A complementary pair of adjacent labels is one parent's whole span."""
    owner, k = [], 0
    for p, n in enumerate(shares):
        owner += [p] * n
        k += n
    for a in range(len(labels) - 1):
        if _complementary(labels[a], labels[a + 1]):
            p = owner[a]
            if owner[a + 1] != p or shares[p] != 2:
                return False
    return True


def _shares(parents: list, labels: list, budget: list):
    """Every way of sharing ``labels`` (in order) among ``parents`` (each 0 or more), kept as above."""
    m, k = len(parents), len(labels)

    def rec(p, start, acc):
        budget[0] -= 1
        if budget[0] < 0:
            return
        if p == m - 1:
            rest = labels[start:]
            if _group_ok(parents[p], rest):
                yield acc + [k - start]
            return
        for n in range(0, k - start + 1):
            if n and not _group_ok(parents[p], labels[start:start + n]):
                break                                   # a longer share repeats a sub-header too
            yield from rec(p + 1, start + n, acc + [n])
    for s in rec(0, 0, []):
        if _pairs_ok(labels, s):
            yield s


def solve_header(head: list, labels, width: int):
    """The header rows of a text copy that dropped cells, rebuilt as a grid (each label's text over every
    column it spans; below a label that spans down, nothing), and the number of row-label columns; None where
    the rows do not say it with one solution. The first label of the top row is over the row-label columns:
    ``labels`` columns, or the first of several counts that gives any solution (``(1, 2)``: one label column, or
    two where none with one: a label column whose cells the copy dropped too)."""
    if not isinstance(labels, int):
        for n in labels:                           # the first count with any solution decides
            g = _solve(head, n, width)
            if g != "none":
                return (g, n) if g is not None else None
        return None
    g = _solve(head, labels, width)
    return (g, labels) if g not in (None, "none") else None


def _solve(head: list, labels: int, width: int):
    """The grid of :func:`solve_header` with ``labels`` row-label columns; None: more than one solution (or
    too many to try); "none": no solution."""
    rows = [[c for c in r if c] for r in head]
    if len(rows) < 2 or labels < 1 or not rows[0] or all(len(r) == width for r in rows):
        return "none"
    budget = [LIMIT]
    solutions = []

    def widths(level, share_rows):
        # widths of the labels of row ``level`` from the shares below it
        if level == len(rows) - 1:
            return [1] * len(rows[level])
        below = widths(level + 1, share_rows)
        out, k = [], 0
        for n in share_rows[level]:
            out.append(sum(below[k:k + n]) if n else 1)
            k += n
        return out

    def rec(level, acc):
        if len(solutions) > 1 or budget[0] < 0:
            return
        if level == len(rows) - 1:
            w = widths(0, acc)
            if labels + sum(w[1:]) == width:
                solutions.append(list(acc))
            return
        parents = rows[level] if level else rows[0][1:]
        for s in _shares(parents, rows[level + 1], budget):
            rec(level + 1, acc + [([0] + s) if level == 0 else s])
    rec(0, [])
    if not solutions and budget[0] >= 0:
        return "none"
    if len(solutions) != 1 or budget[0] < 0:
        return None
    shares = solutions[0]
    grid = [[""] * width for _ in rows]
    for j in range(labels):
        grid[0][j] = rows[0][0]

    def lay(level, idx, start):
        """Write label ``idx`` of row ``level`` from column ``start``; its width."""
        text = rows[level][idx]
        if level == len(rows) - 1:
            grid[level][start] = text
            return 1
        n = shares[level][idx]
        if not n:
            grid[level][start] = text
            return 1
        first = sum(shares[level][:idx])
        w = 0
        for c in range(first, first + n):
            w += lay(level + 1, c, start + w)
        for j in range(start, start + w):
            grid[level][j] = text
        return w
    col = labels
    for idx in range(1, len(rows[0])):
        col += lay(0, idx, col)
    return grid


def arrangements(fits: list, columns: list, keep: int = 2) -> tuple[int, list]:
    """Order-keeping ways of putting a row's cells in ``columns`` (``fits[k]``: the columns cell k can be in):
    how many there are (counted, not tried one by one: linear in cells x columns) and the first ``keep``."""
    n, k = len(columns), len(fits)
    # ways[q][c]: ways to put cells q.. in columns c..
    ways = [[0] * (n + 1) for _ in range(k + 1)]
    ways[k] = [1] * (n + 1)
    for q in range(k - 1, -1, -1):
        for c in range(n - 1, -1, -1):
            ways[q][c] = ways[q][c + 1] + (ways[q + 1][c + 1] if columns[c] in fits[q] else 0)
    found: list = []

    def walk(q, c, acc):
        if len(found) >= keep:
            return
        if q == k:
            found.append(tuple(acc))
            return
        for d in range(c, n):
            if columns[d] in fits[q] and ways[q + 1][d + 1]:
                walk(q + 1, d + 1, acc + [columns[d]])
                if len(found) >= keep:
                    return
    if ways[0][0]:
        walk(0, 0, [])
    return ways[0][0], found
