"""Every number of a :class:`~eprstats.audit.readers.table.TextTable` as a :class:`~eprstats.audit.cells.Cell`,
its role and place read from its row and column headers only.

The rules (docs/audit_import.md):

- header rows are the rows above the first printed number (or the ones the reader marked); a header cell left
  empty under a wider one above takes that one's text (a merged cell copied as text);
- row-label columns are the leading columns without numbers; a label row without numbers opens a section
  (``Training cohort``, or a variable whose levels follow), a row whose first label is empty continues the one
  above;
- a header segment names a role (``AUC (95% CI)``, ``Sens.``, ``P``, ``n``), a cohort (``Training cohort``), a
  form (``n (%)``, ``mean ± SD``, ``median [IQR]``) or otherwise a name: an outcome group in a characteristics
  table, a model in a performance table, a model (analysis) in a regression table; row names are variables and
  levels, or models;
- a number is placed only when its headers (or, for ``k (p%)`` / ``m ± s``, its printed form) say what it is; two
  headers that say different things, or none that says anything, leave it unplaced with the reason. No number is
  shifted into a neighbouring column, and no table is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..cells import Cell
from . import words as W
from .numbers import MARKS, P_NAMED, Parsed, parse_cell, uses_decimal_comma
from .accounting import account_for_every_number
from .glued import bound_label
from .label_marks import lettered_marks, read_past_letters
from .moved_header import moved_header
from .dropped import drops_cells, solve_header
from .early_rows import arrange, use_placement
from .compares import p_compares
from .duplicates import unplace_duplicates
from .headers import (_LABEL_HEADER, _align_short, _fill_spans, _shift_packed, ci_bound_columns, marks_used,
                      read_past_marks,
                      repeated_header)
from .roles import PERFORMANCE, _assign, _names, p_of_the_row, row_roles
from .sections import (_FORM_LABEL, binary_row, check_row, header_left_of_numbers, heading_row, in_section,
                       opens_subanalysis, own_p_row, p_only, reference_row, stated_levels_sum, unplace_row, variable_p)
from .table import TextTable

@dataclass
class Read:
    """What one table gave: its placed and unplaced cells."""

    table: TextTable
    placed: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)

    @property
    def numbers(self) -> int:
        return len(self.placed) + len(self.unplaced)


def header_rows(t: TextTable, dc: bool) -> int:
    """Rows above the first row with a printed number; a lone label row after a header is a section, not a header."""
    if t.header_rows is not None:
        return t.header_rows
    for i, row in enumerate(t.rows):
        # "< 60", ">=60" over columns are subgroup labels: a bounded whole number alone is not a row of data
        data = [c for c in row[1:] if parse_cell(c, dc).form not in ("blank", "other") and not
                re.fullmatch(r"\s*(?:<|>|≤|≥|<=|>=)\s*\d+\s*", c)]
        if data:
            return i
        if i > 0 and row[0] and not any(row[1:]):
            return i
    return len(t.rows)



def label_columns(body: list, dc: bool, width: int, head: list) -> int:
    """Leading columns of labels: no number in them, or mostly text under a label's header (``Level``
    holding ``<60`` and ``>=60``). Where some rows end with empty cells (rows that may have lost a cell in a
    page's text), the rows that fill the table's last column decide."""
    full = [r for r in body if r and r[-1]]
    if full and len(full) < len(body):
        return max(_labels(body, dc, width, head), _labels(full, dc, width, head))
    return _labels(body, dc, width, head)


def _labels(body: list, dc: bool, width: int, head: list) -> int:
    k = 0
    while k < width - 1:
        col = [r[k] for r in body if r[k]]
        data = sum(parse_cell(c, dc).form not in ("blank", "other") for c in col)
        header = " ".join(h[k] for h in head if h[k])
        if not col:
            break
        numbered = k == 0 and [c.strip() for c in col] == [str(q) for q in range(1, len(col) + 1)] and \
            bool(header) and not W.segment_roles(header)      # rows numbered 1, 2, 3 under a name: labels
        if data and not (any(_LABEL_HEADER.match(h[k]) for h in head) or (not header and data * 2 < len(col))
                         or numbered):
            break
        k += 1
    return k


def _dedup(path) -> tuple:
    out = []
    for p in path:
        if p and (not out or out[-1] != p):
            out.append(p)
    return tuple(out)


#: the marks read past in a header or label segment; ``#`` and ``‖`` stay (``# of nodes``, a name)
_MARK_SET = re.escape(MARKS.replace("#", "").replace("‖", ""))


def _seg(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(rf"(?<=\w)[{_MARK_SET}]+|^[{_MARK_SET}]+", "", text)).strip()


class _Table:
    """The header structure of one table, computed once."""

    def __init__(self, t: TextTable):
        self.t = t
        texts = [c for r in t.rows for c in r]
        self.dc = uses_decimal_comma(texts)
        self.h = header_rows(t, self.dc)
        self.shift = [0] * len(t.rows)
        self.rows = [list(r) for r in t.rows]
        body = self.rows[self.h:]
        self.moved: dict = {}                # row -> {column read: column printed}, rows re-arranged
        # a text that leaves out empty and merged cells (PMC's): only inferences with one solution (dropped.py)
        self.drops = not t.copies and bool(t.cell_lines) and drops_cells(t.rows)
        # a copy that prints an empty cell before a filled one in its body keeps its empty cells (none was lost;
        # a header's blanks may be a merged cell's copy)
        self.keeps_empty = any(not c and any(r[k + 1:]) for r in t.rows[self.h:] for k, c in enumerate(r))
        self.L = label_columns(body, self.dc, t.width, self.rows[:self.h]) if body else 0
        # the row-label columns as the body gives them, or one more (a column whose cells the copy dropped)
        solved = solve_header(self.rows[:self.h], (self.L, self.L + 1), t.width) if self.drops and body else None
        if solved:
            solved, self.L = solved
        if not t.copies and solved is None:
            self._unshift_header()
            self.L = label_columns(body, self.dc, t.width, self.rows[:self.h]) if body else 0
        if not t.copies:
            self._unshift_body()
            body = self.rows[self.h:]
            if solved is None:
                self.L = label_columns(body, self.dc, t.width, self.rows[:self.h]) if body else 0
        self.unaligned: set = set()
        self.repeated_headers: set = set()   # body rows that print the header again (``AUC | 95% CI | P``)
        self.categorical: set = set()        # variables whose own row printed only their P: levels are counts
        self.row_ci = ""                     # the statistic whose CI the row being read prints (``95% CI`` row)
        head = solved or self.rows[:self.h]
        if not t.copies and solved is None:
            head, packed = _shift_packed(head, self.L, t.width)
            head, self.unaligned = _align_short(head, self.L, t.width)
            head, bad = _fill_spans(head, self.L)
            self.unaligned |= bad | packed
        head, bad = header_left_of_numbers(head, self.rows[self.h:], self.L, t.width, self.dc, _LABEL_HEADER)
        self.unaligned |= bad
        self.head = head
        self.col_path = [_dedup(_seg(head[r][j]) for r in range(self.h)) for j in range(t.width)]
        marks = marks_used(t.footnote, [c for row in body for c in row[self.L:]], [c for r in head for c in r])
        self.col_path, self.unsure = read_past_marks(self.col_path, marks)
        # footnote letters glued to names (``Gendera (M/F)``), read past only where the table shows it prints them
        self.letters = lettered_marks([_seg(c) for r in head for c in r] + [_seg(c) for row in body for c in row[:self.L]],
                                      marks)
        self.col_path = [tuple(read_past_letters(x, self.letters) for x in p) for p in self.col_path]
        self.level_pairs: set = set()        # variables whose label named their two levels (``Gender (M/F)``)
        self.label_kind = [self._label_kind(j) for j in range(self.L)]
        roles = [r for p in self.col_path for s in p for r in W.segment_roles(s)] + \
            [r for row in body for c in row[:self.L] for r in W.segment_roles(c, row=True)]
        perf = sum(r in PERFORMANCE for r in roles)
        regr = sum(r in ("or", "hr", "rr", "beta") for r in roles)
        self.kind = "performance" if perf > regr else "regression" if regr else "characteristics"
        self.table_hints = W.hints([t.caption, t.footnote])
        # the forms the table's own text states anywhere (caption, footnote, headers, row labels), where one only
        self.stated = W.stated_forms([t.caption, t.footnote] + [s for p in self.col_path for s in p] +
                                     [c for row in body for c in row[:self.L]])
        labels = W.hints([c for row in body for c in row[:self.L]])     # the forms the row labels name
        self.count_labels = "count" in labels and "mean" not in labels and "median" not in labels
        self.ci_of = [self._ci_of(j) for j in range(t.width)]
        self.p_of = [self._p_of(j) for j in range(t.width)]
        self.bound_of = ci_bound_columns(self.col_path, self.L)      # ``AUC_CI_low``: one bound per column

    def _unshift_body(self) -> None:
        """Rows that lost a cell as the page's text gives them (a merged cell's place left out, the missing cell
        added as an empty one at the row's end): a body row with a number in a label column after a label, and
        as many empty cells at its end, moves right."""
        w, L = self.t.width, self.L
        roles = {r for row in self.rows[:self.h] for c in row for r in W.segment_roles(_seg(c))}
        characteristics = "p" in roles and not roles & (PERFORMANCE | {"or", "hr", "rr", "beta"})
        for i in range(self.h, len(self.rows)):
            row = self.rows[i]
            k = next((k for k in range(1, L) if parse_cell(row[k], self.dc).form not in ("blank", "other")), None)
            if k is not None and row[0] and not any(row[w - (L - k):]):
                # the lost cell is the variable's (merged over its levels), unless the label names a summary of
                # its own (``BMI, mean ± SD``) or the row holds only P values (``Sex | 0.412``): a variable's
                # own row, its level cell the empty one lost
                cells = [parse_cell(c, self.dc) for c in row[k:] if c]
                only_p = characteristics and all(c.form == "single" and c.numbers[0].value <= 1 and (
                    c.numbers[0].decimals or c.numbers[0].bound) for c in cells)
                own = (bool(W.hints([row[0]])) and not _FORM_LABEL.match(row[0])) or only_p
                self.rows[i] = (row[:k] + [""] * (L - k) + row[k:w - (L - k)]) if own else \
                    [""] * (L - k) + row[:w - (L - k)]
                self.shift[i] = L - k

    def _unshift_header(self) -> None:
        """The header row above the numbers, its first cell (over the row labels) left out as the page's text
        gives it: its last cells are empty over a column of numbers, and no header row above has text there;
        it moves right as far."""
        w, r = self.t.width, self.h - 1
        if r < 0 or (r > 0 and _LABEL_HEADER.match(self.rows[0][0])):
            return               # a header over the labels is printed: the lower rows are _shift_packed's
        row = self.rows[r]
        empty = next((e for e in range(w) if row[w - 1 - e]), w)
        if 0 < empty < w and row[0] and not any(self.rows[q][w - empty:] != [""] * empty for q in range(r)) and \
                any(parse_cell(b[w - 1], self.dc).form not in ("blank", "other") or P_NAMED.match(b[w - 1])
                    for b in self.rows[self.h:]):
            self.rows[r] = [""] * empty + row[:w - empty]
            self.shift[r] = empty

    def _label_kind(self, j: int) -> str:
        names = " ".join(self.col_path[j])
        if W.COHORT_HEADER.match(names):
            return "cohort"
        if W.MODEL_HEADER.match(names):
            return "model"
        if W.VARIABLE_HEADER.match(names):
            return "variable"
        return ""

    def _p_of(self, j: int) -> str:
        """A P column right after an estimate's column under the same parent (``C-index | P | AUC | P``): the P of
        that estimate, so that the two P columns of one cohort are told apart."""
        path = self.col_path[j]
        if not path or W.segment_roles(path[-1]) != ["p"]:
            return ""
        for k in range(j - 1, self.L - 1, -1):
            if self.col_path[k][:-1] != path[:-1] or not self.col_path[k]:
                break
            roles = [r for r in W.segment_roles(self.col_path[k][-1]) if r != "p"]
            if roles:
                return roles[0]
            if not W.is_ci_only(self.col_path[k][-1]):
                break
        return ""

    def _ci_of(self, j: int) -> str:
        """A ``95% CI`` column's estimate: the role of the nearest column on its left under the same parent."""
        path = self.col_path[j]
        if not path or not W.is_ci_only(path[-1]):
            return ""
        for k in range(j - 1, self.L - 1, -1):
            if self.col_path[k][:-1] != path[:-1]:
                break
            roles = [r for r in W.segment_roles(self.col_path[k][-1]) if r != "p"] if self.col_path[k] else []
            if roles:
                return roles[0]
        return ""


def read_table(t: TextTable) -> Read:
    """Every number of ``t`` placed or unplaced (with the reason)."""
    tb = _Table(t)
    out = Read(t)
    _header_sizes(tb, out)
    section: dict = {"cohort": None, "var": None, "var_indent": 0, "head": None, "head_indent": 0}
    prev_labels: list = []
    prev_stat = ""
    indented = any(t.indent[tb.h:])
    bare_var = None            # the nearest variable row above with no numbers of its own (or only its P)
    for i in range(tb.h, len(t.rows)):
        row = tb.rows[i]
        named = [read_past_letters(_seg(c), tb.letters) for c in row[:tb.L]]
        # ``Gender (M/F)``: the variable is Gender; not where the name left would read as a statistic (``Number
        # (single/multiple)``: ``Number`` is a count's word), so the bracket stays there
        labels = [x if W.segment_roles(y, row=True) or W.hints([y]) else y
                  for x, y in zip(named, (W.without_levels(x) for x in named))]
        tb.level_pairs.update(x for x, y in zip(labels, named) if x != y)
        parsed = {j: parse_cell(row[j], tb.dc) for j in range(tb.L, t.width) if (i, j) not in t.copies}
        numeric = {j: p for j, p in parsed.items() if p.form != "blank"}
        # "N | 2.62 (1–6.87) | 0.04": the nodal stage of a regression table, not its number of patients
        tb.n_is_name = tb.kind == "regression" and any(n.decimals for p in numeric.values() for n in p.numbers)
        if tb.L >= 2 and not labels[0] and prev_labels and any(labels[1:]):
            labels[0] = prev_labels[0]                     # Variable | Level: the level's variable is above
        elif tb.L >= 1 and not any(labels) and prev_labels and numeric:
            labels = list(prev_labels)                     # a continuation row: the same labels as above
        new_header = repeated_header(tb.rows, i, tb.L, tb.col_path) if i > tb.h else None
        if new_header:                                     # the next block's statistics, printed mid-table
            tb.repeated_headers.add(i)
            tb.col_path[tb.L:] = [p[:-1] + (_seg(x),) for p, x in zip(tb.col_path[tb.L:], new_header)]
            tb.ci_of = [tb._ci_of(j) for j in range(t.width)]
            tb.p_of = [tb._p_of(j) for j in range(t.width)]
            section["var"], prev_labels = None, []
            continue
        label = next((x for x in labels if x), "")
        # a "95% CI" row under an estimate's row (metrics as rows): the CI of the statistic above
        tb.row_ci = prev_stat if label and W.is_ci_only(label) else ""
        prev_stat = next((r for r in row_roles(tb, label) if r != "p"), "") if numeric else ""
        cohort_label = bool(label) and (W.is_cohort(label, False) or
                                        bool(tb.label_kind and tb.label_kind[0] == "cohort"))
        cohort_row = cohort_label and tb.L == 1
        if label and not numeric and reference_row(tb, i):
            prev_labels = labels                           # "Pure GGO | Ref.": a level of the variable above
            continue
        if label and section["head"] and t.indent[i] <= section["head_indent"]:
            section["head"] = None                         # the sub-analysis's rows end at its own indentation
        if label and not numeric:                          # a section row
            if not cohort_label and opens_subanalysis(tb, i, indented):
                section.update(head=label, head_indent=t.indent[i], var=None)   # ``MRI`` over its variables
                prev_labels, bare_var = labels, None
                continue
            if not cohort_label and heading_row(label):
                section["var"] = None                      # "Clinical variable (95% CI)": a heading, not a variable
                prev_labels = labels
                continue
            if cohort_label:
                section.update(cohort=label, var=None)
                out.placed += _label_size(tb, i, label, ())
            else:
                section.update(var=label, var_indent=t.indent[i], var_p=False)
                bare_var = label
            prev_labels = labels
            continue
        if tb.drops and any(not row[j] for j in range(tb.L, t.width)):
            numeric, why, all_p = arrange(tb, i, section, label, labels, numeric, indented)
            row = tb.rows[i]
            if why:                                        # not one arrangement: the row's numbers unplaced
                for j, p in numeric.items():
                    _place_numbers(tb, out, i, j, tuple(x for x in labels if x), p, why)
                if all_p and tb.kind == "characteristics":
                    section.update(var=label, var_indent=t.indent[i])
                    tb.categorical.add(label)
                prev_labels = labels
                continue
        only_p = bool(numeric) and _only_p(tb, numeric)
        if section["var"] and (only_p and not (tb.L >= 2 and not row[0]) and not (indented and t.indent[i] >
                                                                                   section["var_indent"])
                               or not in_section(tb, section, i, label, numeric, indented)):
            section["var"] = None
        own_cohort = cohort_row and W.is_cohort(label, False)   # a cohort's row: its cohort, not the section's above
        if section["var"] and own_p_row(tb, section, i, numeric, indented):
            section["var"] = None
        if tb.kind == "regression" and section["var"] and not indented:
            # levels printed without labels (continuation rows): the next row with a label of its own is a variable
            if any(row[:tb.L]) and section.get("unlabelled") == section["var"]:
                section["var"] = None
            section["unlabelled"] = section["var"] if not any(row[:tb.L]) else None
        bound = bool(numeric) and bound_label(label) and not (tb.L >= 2 and any(labels[1:]))
        if bound:                  # ``< 10 mm``: a level of the nearest variable row above with no numbers of its own
            section["var"] = section["var"] or bare_var
        elif not section["var"]:
            bare_var = None        # a variable printed with its numbers: the rows below are not its levels
        outer = tuple(x for x in (None if own_cohort else section["cohort"], section["head"], section["var"]) if x)
        path = outer + tuple(x for k, x in enumerate(labels) if x and not (k == 0 and x in outer))
        row_out = Read(t)
        if cohort_row:            # the label's own (N = 224): not moved with the row's cells, so not checked with them
            out.placed += _label_size(tb, i, label, ())
        elif cohort_label and tb.L >= 2 and labels[0] == W.without_levels(read_past_letters(_seg(tb.rows[i][0]), tb.letters)) and (i, 0) not in t.copies and \
                W.is_cohort(labels[0], False):
            out.placed += _label_size(tb, i, labels[0], ())  # ``Test set (n=142)`` beside its models: the cohort's n
        for j, p in numeric.items():
            _place_numbers(tb, row_out, i, j, path, p)
        if section["head"]:
            unplace_row(row_out, f"under {section['head']!r}, a heading over variables and their levels (a "
                                 "sub-analysis): no header says whether it is a group, a cohort or a model")
        elif bound and not section["var"]:
            unplace_row(row_out, f"{label!r} is a bound or a range, a level's name, and no variable row above "
                                 "without numbers of its own says whose")
        check_row(tb, row_out, row, numeric, arranged=i in tb.moved)
        p_of_the_row(tb, row_out)
        binary_row(tb, row_out)
        if section["var"] and tb.kind == "regression" and not indented:
            unplace_row(row_out, f"a level of {section['var']!r} or a variable of its own: the text shows no "
                                  "indentation that tells where the variable's levels end")
        out.placed += row_out.placed
        out.unplaced += row_out.unplaced
        prev_labels = labels
        if cohort_row and not any(c.role not in ("p", "n", "statistic") for c in row_out.placed) and \
                (row_out.placed or not row_out.unplaced):  # a row whose every number is unplaced is no section
            section.update(cohort=label, var=None)         # a cohort's row with only its P values / n: a section
            continue
        counts = any(p.form in ("pair", "fraction", "fraction_pct") or (p.form == "single" and not p.numbers[0].decimals)
                     for p in numeric.values())
        if tb.kind == "characteristics" and label and not section["var"] and (
                only_p or ("count" in W.hints([label]) and not counts)):
            section.update(var=label, var_indent=t.indent[i])     # P on the variable's row; its levels follow
            bare_var = label if only_p else bare_var
            if only_p:
                tb.categorical.add(label)
            section["var_p"] = only_p
        if tb.kind == "regression" and label and p_only(tb, numeric):
            section.update(var=label, var_indent=t.indent[i], unlabelled=None)    # a categorical variable's P
            bare_var = label
    variable_p(tb, out)
    moved = moved_header(tb)
    if moved:                                          # never a number one column off: none placed
        unplace_row(out, moved)
    stated_levels_sum(tb, out)
    p_compares(tb, out)
    unplace_duplicates(out)
    account_for_every_number(tb, out, lambda i, j: _src(tb, i, j))   # no number of the table left unlisted
    return out


def _only_p(tb: _Table, numeric: dict) -> bool:
    """A characteristics row whose numbers are all under P, n or statistic columns (a variable's own row)."""
    return tb.kind == "characteristics" and all(
        tb.col_path[j] and W.segment_roles(tb.col_path[j][-1]) in (["p"], ["n"], ["statistic"]) for j in numeric)


def _header_sizes(tb: _Table, out: Read) -> None:
    """``Training cohort (n = 120)`` in a column header: the cohort's n, placed by the header's own path."""
    seen = set()
    for j in range(tb.L, tb.t.width):
        for depth, seg in enumerate(tb.col_path[j]):
            key = tb.col_path[j][:depth + 1]
            n = W.size_in(seg)
            if n is None or key in seen:
                continue
            seen.add(key)
            r = next((r for r in range(tb.h) if _seg(tb.head[r][j]) == seg), 0)
            printed = next((k for k, x in enumerate(tb.t.rows[r]) if _seg(x) == seg), j - tb.shift[r])
            names, k = _names(tb, (), key, "n"), W.size_position(seg)
            if isinstance(names, str) or j in tb.unaligned:
                out.unplaced.append(Cell(tb.t.name, (), key, seg, k, float(n), 0, reason=names if isinstance(
                    names, str) else "a header whose columns are not aligned",
                    source=_src(tb, r, printed), caption=tb.t.caption))
                continue
            cohort, group, model, _, _ = names
            out.placed.append(Cell(tb.t.name, (), key, seg, k, float(n), 0, role="n", cohort=cohort, group=group,
                                   model=model, source=_src(tb, r, printed),
                                   caption=tb.t.caption))


def _src(tb: _Table, i: int, j: int) -> str:
    """Where a number was printed: the table's source, its row and printed column, and its text line."""
    line = tb.t.cell_lines.get((i, j), tb.t.lines[i] if i < len(tb.t.lines) else 0)
    return f"{tb.t.source} r{i + 1}c{j + 1}" + (f" line {line}" if line else "")


def _label_size(tb: _Table, i: int, label: str, path: tuple) -> list:
    n = W.size_in(label)
    if n is None:
        return []
    # called for a cohort's label only (its words, or a Cohort column's): ``Internal cohort test set (N = 224)``
    return [Cell(tb.t.name, path + (label,), (), label, 0, float(n), 0, role="n", cohort=W.cohort_name(label),
                 source=_src(tb, i, 0), caption=tb.t.caption)]


def _place_numbers(tb: _Table, out: Read, i: int, j: int, row_path: tuple, p: Parsed, why: str = "") -> None:
    col_path = tb.col_path[j]
    base = dict(table=tb.t.name, row_path=row_path, col_path=col_path, text=tb.rows[i][j],
                source=_src(tb, i, tb.moved[i][j] if i in tb.moved else j - tb.shift[i]),
                caption=tb.t.caption)
    roles, reason = (None, why) if why else _assign(tb, row_path, col_path, j, p) if j not in tb.unaligned else \
        (None, "a header row shorter than the table: which column its labels span is not printed")
    if roles is not None and j in tb.unsure:
        roles, reason = None, tb.unsure[j]
    names = None
    if roles is not None:
        main = next((r for r, _ in roles if r), "")
        names = _names(tb, row_path, col_path, main)
        if isinstance(names, str):
            roles, reason = None, names
    for k, n in enumerate(p.numbers):
        common = dict(base, position=k, value=n.value, decimals=n.decimals, bound=n.bound)
        if roles is None:
            out.unplaced.append(Cell(**common, reason=reason))
            continue
        role, of = roles[k]
        if role is None:                  # a number of the cell that the headers leave without a role: ``of`` says why
            out.unplaced.append(Cell(**common, reason=of))
            continue
        cohort, group, model, variable, level = names
        out.placed.append(Cell(**common, role=role, of=of, cohort=cohort, group=group, model=model,
                               variable=variable, level=level))




# readers/early_rows.py arranges rows through this module's placement (it cannot import it: a circle)
use_placement(Read=Read, place_numbers=_place_numbers, seg=_seg, only_p=_only_p)
