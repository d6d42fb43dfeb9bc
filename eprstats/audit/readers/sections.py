"""How the rows of a table group into a variable and its levels, where the page's layout says so (the
rules of docs/audit_import.md, step 6, for the layouts of issue #22's corpus): a reference level printed
``Ref.``, a categorical variable's own row holding only its P, a variable printed on one row with its own P,
a binary variable on one row whose ``a (b)`` are a count and its percentage; and a header row printed left
of its numbers. ``tb`` is the table's header structure (:class:`eprstats.audit.readers.place._Table`),
``row_out`` one row's placed and unplaced cells."""
from __future__ import annotations

import re
from dataclasses import replace

from . import words as W
from .numbers import parse_cell
from .roles import NO_PAIR_HEADER, _impossible, _level, _names


_REFERENCE = re.compile(r"^\s*(?:ref\.?|reference(?:\s+(?:level|category|group))?|referent|baseline)\s*$", re.I)


def reference_row(tb, i: int) -> bool:
    """A reference level printed ``Ref.`` / ``Reference`` (no number): a level of the variable above, which
    never opens a section of its own."""
    cells = [c for c in tb.rows[i][tb.L:] if c]
    return bool(cells) and all(_REFERENCE.match(c) for c in cells)


#: a heading's words (the stub's header repeated as a row): a name for the rows below, never a variable's
_HEADING = re.compile(r"^(?:\w+\s+)?(?:variables?|characteristics?|factors?|parameters?|covariates?|predictors?|"
                      r"features?)$", re.I)


def heading_row(label: str) -> bool:
    """A label row (no numbers) that names a statistic of the rows below beside other words (``Clinical
    variable (95% CI)``, ``Variables HR (95% CI)``, ``Multivariate model (C-index)``, ``Characteristic, n (%)``):
    a heading over rows that are each a variable or a model of their own, not a variable whose levels follow (a
    variable's levels print counts, never a CI or a statistic of their own). The statistic is named in the
    label's last parenthesis or after its last comma, or beside a heading word (``Characteristic``); a label
    that is a statistic alone (``AUC (95% CI)`` over its cohorts' rows) and a name in which a role's letters are a
    word of it (``HR status``) are not headings."""
    rest = W.without_statistics(label)
    if not rest:
        return False
    tail = re.search(r"[(\[]([^()\[\]]*)[)\]]\s*$|,([^,]*)$", label)
    tail = (tail.group(1) or tail.group(2) or "") if tail else ""
    if tail and (W.has_ci(tail) or W.roles_of(tail)):
        return True
    stat = W.has_ci(label) or W.roles_of(label) or W.hints([label]) & {"count", "percent"}
    return bool(stat) and bool(_HEADING.match(rest))


def p_only(tb, numeric: dict) -> bool:
    """A row whose every number is under a P column (a categorical variable's own row: its test's P)."""
    return bool(numeric) and all(tb.col_path[j] and W.segment_roles(tb.col_path[j][-1]) == ["p"] for j in numeric)


def own_p_row(tb, section: dict, i: int, numeric: dict, indented: bool) -> bool:
    """In a characteristics table, a row with a P of its own after a variable whose P was printed on its own
    row is a variable of its own (``Liver capsular invasion | 160 (56.5) | ... | 0.190`` after the levels of
    ``Tumor differentiation``), not one more level: a level has no P of its own where its variable's row
    prints one (unless it is indented deeper than the variable)."""
    if tb.kind != "characteristics" or not section.get("var_p") or (indented and tb.t.indent[i] >
                                                                      section["var_indent"]):
        return False
    return any(tb.col_path[j] and W.segment_roles(tb.col_path[j][-1]) == ["p"] for j in numeric)


def binary_row(tb, row_out) -> None:
    """A binary variable printed on one row with no form of its own (``Liver capsular invasion | 160 (56.5) |
    112 (59.3) | 45 (51.1)``) in a table whose row labels name ``n (%)`` and never a mean, or a level of a
    categorical variable (``Age (years)`` over `` <40 | 12 (63.2)``) where no form is stated: its ``a (b)`` are a
    count and its percentage when in most of its cells, and at least two, ``a`` of the column's printed n
    (``Training cohort (n = 189)``) prints as ``b`` percent; a mean (SD) almost never does. Then every cell of
    the row is placed so (the audit checks the one that does not agree)."""
    cells = {}
    for c in row_out.unplaced:
        if c.reason != NO_PAIR_HEADER:
            return
        cells.setdefault(c.source, []).append(c)
    # a categorical variable's level (a row under its variable's label) needs no stated form: a category has
    # no mean; its ``a (b)`` are a count and percentage where they print as such of their group's n
    level = all(_level(c.row_path) for pair in cells.values() for c in pair)
    if tb.kind != "characteristics" or not cells or not (tb.count_labels or level):
        return
    agree = 0
    for pair in cells.values():
        a, b = sorted(pair, key=lambda c: c.position)[:2]
        n = next((W.size_in(s) for s in a.col_path if W.size_in(s)), None)
        if len(pair) != 2 or a.decimals or not n or not 0 <= b.value <= 100:
            return
        agree += abs(100 * a.value / n - b.value) <= 0.5 * 10 ** -b.decimals + 1e-9
    if agree < 2 or agree * 2 <= len(cells):
        return
    placed = []
    for pair in cells.values():
        for c in pair:
            names = _names(tb, c.row_path, c.col_path, "count")
            if isinstance(names, str):
                return
            cohort, group, model, variable, level = names
            placed.append(replace(c, role="count" if c.position == 0 else "percent", reason="", cohort=cohort,
                                  group=group, model=model, variable=variable, level=level))
    row_out.unplaced = []
    row_out.placed += placed


def variable_p(tb, out) -> None:
    """In a characteristics table, a P printed on one level's row of a variable whose other levels print none
    (in its column) is the variable's P, not the level's: one test across the variable's levels (Pearson's or
    Fisher's over its levels x groups table; a level's own P would be printed on every level's row), whichever
    level's row carries it (the first, a merged P cell the page prints at its middle, or a row that prints the
    variable's label beside the level: ``Sex | Male | ... | 0.946``). Before round 8 the first level's P was left
    to the level unless the row printed the variable's label; the keys now give it to the variable (the audit
    always read it so: ``table1_cells._p_rows`` recomputes it over all the levels)."""
    if tb.kind != "characteristics":
        return
    levels: dict = {}                       # a variable's row path -> its levels' labels, in the rows' order
    for c in out.placed + out.unplaced:
        if len(c.row_path) >= 2:
            seen = levels.setdefault(c.row_path[:-1], [])
            if c.row_path[-1] not in seen:
                seen.append(c.row_path[-1])
    ps: dict = {}
    for k, c in enumerate(out.placed):
        if c.role == "p" and c.variable and c.level and len(c.row_path) >= 2:
            ps.setdefault((c.col_path, c.row_path[:-1]), []).append(k)
    for (_, var), ks in ps.items():
        order = levels.get(var, [])
        if len(ks) != 1 or len(order) < 2:
            continue
        out.placed[ks[0]] = replace(out.placed[ks[0]], level="")


def unplace_row(row_out, why: str) -> None:
    row_out.unplaced += [replace(c, role="", of="", cohort="", group="", model="", variable="", level="",
                                 reason=why) for c in row_out.placed]
    row_out.placed = []


def header_left_of_numbers(head: list, body: list, first: int, width: int, dc: bool, label_header) -> tuple:
    """A header row that sits left of its numbers (a text copy that dropped the second place of a header cell
    spanning two label columns and padded the row at its end): a name over a label column after the first and
    no header at all over a last column that holds numbers. (head, columns not aligned): where the row's cells
    after its first fill exactly as many places as the table has columns of numbers, its first cell spans the
    label columns and the others move right over the numbers (one way only: a name such as ``Entire set`` heads
    numbers, never a column of labels); otherwise which header is whose is not printed and every data column is
    returned as not aligned (its numbers unplaced, never placed under a neighbour's header)."""
    if first < 2 or any(r[width - 1] for r in head) or not any(
            parse_cell(r[width - 1], dc).form not in ("blank", "other") for r in body):
        return head, set()
    over_labels = [r[k] for r in head for k in range(1, first) if r[k] and not label_header.match(r[k])]
    if not over_labels:
        return head, set()
    fixed, moved = [], False
    for row in head:
        filled = [j for j in range(width) if row[j]]
        if row[0] and filled == list(range(width - first + 1)):
            fixed.append([row[0]] + [""] * (first - 1) + row[1:width - first + 1])
            moved = True
        elif filled and filled[0] >= first:
            fixed.append(list(row))                  # a lower row already over the numbers (its sizes)
        else:
            return head, set(range(first, width))
    return (fixed, set()) if moved else (head, set(range(first, width)))


_FORM_LABEL = re.compile(r"^\s*(?:median|mean|range|IQR|SD|min(?:imum)?|max(?:imum)?|mean\s*(?:±|\(|\+/-)\s*SD\)?|"
                         r"median\s*[(\[].*[)\]]|n\s*\(%\)|no\.\s*\(%\))\s*$", re.I)


def opens_subanalysis(tb, i: int, indented: bool) -> bool:
    """A label row without numbers over a variable row without numbers indented deeper, in an indented
    regression table (``MRI`` over `` T stage`` over ``  T1``): the heading of a sub-analysis (an imaging
    modality, a subgroup) whose variables repeat under each such heading. Nothing says whether it names a group,
    a cohort or a model, so the numbers under it are unplaced (read as a variable, its name was lost and a
    variable printed under one heading only was placed as the whole table's)."""
    if not indented or tb.kind != "regression":
        return False
    t = tb.t
    nxt = next((k for k in range(i + 1, len(tb.rows)) if any(tb.rows[k][:tb.L])), None)
    return nxt is not None and t.indent[nxt] > t.indent[i] and \
        all(parse_cell(c, tb.dc).form == "blank" for c in tb.rows[nxt][tb.L:])


def in_section(tb, section: dict, i: int, label: str, numeric: dict, indented: bool) -> bool:
    """Whether a row is a level of the variable section above it: indented deeper where the reader saw
    indentation; otherwise a row of counts whose label names no summary of its own (a continuous row,
    ``Age, mean ± SD``, ends the section). In a performance or regression table a section (a model's name
    over its cohorts' rows) lasts to the next one."""
    if indented:
        return tb.t.indent[i] > section["var_indent"]
    if tb.kind != "characteristics":
        return True
    if _FORM_LABEL.match(label):
        return True                      # "Median", "Range", "Mean ± SD": the variable's summary rows
    if W.hints([label]) or W.is_cohort(label, False):
        return False
    forms = {p.form for p in numeric.values()}
    return bool(forms) and forms <= {"pair", "single", "fraction", "fraction_pct"}


def check_row(tb, row_out, row, numeric: dict, arranged: bool = False) -> None:
    """A row whose cells may sit under other headers than the page prints them over is not placed at all: a
    value its column's role cannot take (a P of 18), an estimate without the CI its column prints, or a row
    whose cells stop short with empty cells at its end under an estimate's column (a cell lost in the copy
    moves every later cell left)."""
    why = ""
    bad = next((c for c in row_out.placed if _impossible(c)), None)
    if bad is not None:
        why = f"{bad.text!r} cannot be a {bad.role} (its column's)"
    for j, p in numeric.items():
        path = tb.col_path[j]
        # a ratio of exactly 1 alone is a reference level's (no CI to print), not a cell moved from elsewhere
        reference = p.form == "single" and p.numbers[0].value == 1 and \
            {"or", "hr", "rr"} & set(W.segment_roles(path[-1]) if path else ())
        if not why and p.form == "single" and path and W.has_ci(path[-1]) and not W.is_ci_only(path[-1]) and \
                any(r != "p" for r in W.segment_roles(path[-1])) and not reference:
            why = f"{row[j]!r} under {path[-1]!r}, which prints a CI"
    last = max(numeric, default=None)
    # where the copy prints empty cells between filled ones, the empty cells at a row's end are printed too
    if not why and not arranged and not tb.keeps_empty and last is not None and last < tb.t.width - 1:
        tail = range(last + 1, tb.t.width)
        roles = {r for j in tail for s in tb.col_path[j][-1:] for r in W.segment_roles(s)}
        if roles - {"p", "statistic"} and any(tb.rows[k][j] for k in range(tb.h, len(tb.rows)) for j in tail
                                            if parse_cell(tb.rows[k][j], tb.dc).form != "blank"):
            why = "the row stops short of the table's columns that other rows fill"
    if why:
        why += "; the row's cells may be shifted from where the page prints them"
        row_out.unplaced += [replace(c, role="", of="", cohort="", group="", model="", variable="", level="",
                                     reason=why) for c in row_out.placed]
        row_out.placed = []


def stated_levels_sum(tb, out) -> None:
    """The levels a form stated elsewhere in the table made counts (``words.stated_forms``; no header of their
    own names one) are a categorical variable's only where, in each column, there are two or more of them and
    their percentages add up to 100 within rounding: rows under a heading (``Clinical characteristics`` over
    ``BMI | 24 (3)``) are no variable's levels, and their ``a (b)`` stay unplaced."""
    if tb.kind != "characteristics" or getattr(tb, "stated", {}).get("pair") != "count" or \
            "count" in tb.table_hints:
        return
    groups: dict = {}
    for c in out.placed:
        if c.role == "percent" and _level(c.row_path) and not W.hints(c.row_path + c.col_path) and \
                not any(seg in tb.categorical for seg in c.row_path[:-1]):
            groups.setdefault((c.row_path[:-1], c.col_path), []).append(c)
    bad = set()
    for cells in groups.values():
        total, slack = sum(c.value for c in cells), max(1.0, 0.5 * len(cells) * 10 ** -min(c.decimals for c in cells))
        if len(cells) < 2 or abs(total - 100) > slack:
            bad |= {c.source for c in cells}
    if bad:
        keep = []
        for c in out.placed:
            if c.source in bad:
                out.unplaced.append(replace(c, role="", of="", cohort="", group="", model="", variable="", level="",
                                            reason=NO_PAIR_HEADER + " (the levels' percentages do not add up to 100)"))
            else:
                keep.append(c)
        out.placed = keep
