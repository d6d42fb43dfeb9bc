"""Header rows of a text table whose merged cells were copied as text (their spans lost): which label spans
which columns, where the rows say it (docs/audit_import.md, step 3). A text copy that also drops the merged
cells' places is :mod:`eprstats.audit.readers.dropped`'s."""
from __future__ import annotations

import re

from . import words as W

_LABEL_HEADER = re.compile(r"^\s*(?:variables?|levels?|characteristics?|categor(?:y|ies)|subgroups?|items?|"
                           r"features?|factors?|parameters?|terms?|covariates?|models?|signatures?|methods?|"
                           r"cohorts?|data\s*sets?|sets?|groups?|classifiers?|predictors?)\s*$", re.I)


def _fill_spans(head: list, first: int) -> tuple[list, set]:
    """A header row's empty cells under a label that spans them (copied as text, a merged cell leaves them
    empty) take the label on their left; the last header row is left as it is. Empty cells that run to the
    row's end are also what a page's text gives for cells it lost: they take the label on their left only when
    the row below repeats there what it prints under an earlier label (``Non-EPR EPR P`` under each cohort) or
    the label is the row's only one; otherwise their columns are returned as not aligned."""
    out, bad = [list(r) for r in head], set()
    for r in range(len(out) - 1):
        row = out[r]
        below = [" ".join(out[q][j] for q in range(r + 1, len(out))) for j in range(len(row))]
        starts = [j for j in range(first, len(row)) if row[j]]
        spans = [(a, (starts[k + 1] if k + 1 < len(starts) else len(row))) for k, a in enumerate(starts)]
        for k, (a, b) in enumerate(spans):
            cols = [j for j in range(a + 1, b) if below[j].strip()]
            if not cols:
                continue
            trailing = b == len(row) and len(spans) > 1 and _spans_to_end(row, out[r + 1], first, len(row)) != a
            if trailing and not any(_same_labels(below[a:b], below[a2:b2]) for a2, b2 in spans[:k]):
                bad.update(range(first, len(row)))       # which label spans which columns is not printed
                continue
            for j in cols:
                row[j] = row[a]
    return out, bad


def _same_labels(xs: list, ys: list) -> bool:
    """The same sub-headers under two labels, their case and printed n aside (``All N = 229 | Low N = 114 | P``
    under one cohort, ``All N = 98 | Low N = 40 | p`` under the next)."""
    return [W.clean_name(x).casefold() for x in xs] == [W.clean_name(y).casefold() for y in ys]


def _shift_packed(head: list, first: int, width: int) -> tuple[list, set]:
    """A lower header row printed one cell per line loses its empty cells over the row labels: a row below the
    first whose cells start at column 0 with no label's header there, and end before the table does, is moved
    right over the data columns — only where its labels fill the data columns exactly (one per column). With
    fewer labels, only where the row above prints one label per data column (nothing merged above: the n's
    under ``Entire set | Training set | Validation set | P-value``) or the row is one block of sub-headers
    repeated under several parents (``Non-EPR | EPR | P-value`` under each cohort); else the page may also have
    dropped the place of a cell merged over both header rows (``Variable | PET/CT | Nomogram`` over ``Training
    cohort | Validation cohort``: PET/CT's cell lost), so where they stand is not printed: the data columns are
    returned as not aligned (their numbers stay unplaced)."""
    out, bad = [list(r) for r in head], set()
    for r in range(1, len(out)):
        row = out[r]
        n = sum(1 for x in row if x)
        if first and row[0] and not _LABEL_HEADER.match(row[0]) and n and all(row[:n]) and n <= width - first \
                and not any(row[n:]):
            out[r] = [""] * first + row[:width - first]
            if n < width - first and _data_labels(out[r - 1], first) != width - first and not _repeats(row[:n]):
                bad |= set(range(first, width))
    return out, bad


def _repeats(labels: list) -> bool:
    """One block of sub-headers printed under each of several parents (``Non-EPR | EPR | P`` twice): each block
    starts under its parent's first column, from the first data column on."""
    return any(len(labels) % k == 0 and len(labels) // k >= 2 and labels == labels[:k] * (len(labels) // k)
               for k in range(1, len(labels) // 2 + 1))


def _data_labels(row: list, first: int) -> int:
    """The labels a header row prints over the data columns (its cells over the row labels left out)."""
    lead = sum(1 for k in range(min(first, len(row))) if row[k] and (k == 0 or _LABEL_HEADER.match(row[k])))
    return sum(1 for x in row if x) - lead


def _align_short(head: list, first: int, width: int) -> tuple[list, set]:
    """A header row that ends before the table does (its merged cells copied as text lose their spans): each of
    its labels spans one block of the row below, a block starting where that row's first label comes again
    (``Training | External`` over ``Non-EPR EPR P | Non-EPR EPR P``), a column with nothing below being a block
    of its own. Where the labels and blocks do not pair up, the columns under the row are returned as not
    aligned: their numbers stay unplaced rather than take a neighbour's header."""
    out, bad = [list(r) for r in head], set()
    for r in range(len(out) - 1):
        row, below = out[r], out[r + 1]
        a = _spans_to_end(row, below, first, width)
        if a is not None:                        # ``Multivariate analysis`` printed once, blank cells to the end
            row[a + 1:] = [row[a]] * (width - a - 1)
            continue
        filled = [j for j in range(width) if row[j]]
        if not filled or filled[-1] == width - 1 or sum(1 for x in below[first:] if x) <= len(filled):
            continue
        if any(not row[j] for j in range(max(filled[0], first), filled[-1])):
            continue     # a merged label printed once and copied blank (``PFS | | | | OS | | |``): _fill_spans'
        labels = [row[j] for j in filled if j >= first]
        lead = next((j for j in range(first, width) if below[j]), None)
        if lead is None:
            continue
        starts = [j for j in range(first, width) if below[j] == below[lead] or (not below[j] and j > lead)]
        blocks = [(a, (starts[k + 1] if k + 1 < len(starts) else width)) for k, a in enumerate(starts)]
        every = [row[j] for j in filled]
        if len(blocks) == len(every) != len(labels) and not _LABEL_HEADER.match(row[0]):
            labels = every                       # the row lost its cell over the labels too: all its labels span
        elif len(blocks) != len(labels) or filled[0] > first:
            bad.update(range(first, width))
            continue
        for label, (a, b) in zip(labels, blocks):
            for j in range(a, b):
                row[j] = label
    return out, bad


def _spans_to_end(row: list, below: list, first: int, width: int):
    """The column of a header row's last label where it spans every column to the row's end: the cells after it
    are printed blank to the end, the row below prints labels under it and them and none left of it, and that
    row keeps its empty cells (a blank printed before a label: the copy lost no cell, so the blanks are the
    label's merged cells). ``95% CI`` over ``Lower | Upper``, ``Multivariate analysis`` over ``Model 1 | | Model
    2 | |``. None otherwise."""
    filled = [j for j in range(first, width) if row[j]]
    if not filled:
        return None
    a = filled[-1]
    under = [j for j in range(first, width) if below[j]]
    if a + 1 >= width or not below[a] or not any(below[a + 1:width]) or (under and under[0] < a):
        return None              # the label's own column prints a sub-header: it heads the ones after it too
    keeps_empty = any(not below[j] and any(below[j + 1:width]) for j in range(first, width))
    return a if keeps_empty else None


#: a name word of a header that a footnote letter may be glued to as a page's text gives it (``Multivariate
#: modela``); cohort and role words are read past where they are matched (words.is_cohort, segment_roles)
_MARKED = re.compile(r"^(?P<name>.*\b(?:(?:uni|multi)-?varia(?:te|ble)|models?|analys[ie]s|regression|adjusted|"
                     r"unadjusted|crude|scores?|signatures?|nomograms?|groups?|combined|clinical))"
                     r"(?P<mark>[a-h])$", re.I)
_NUMBER_MARK = re.compile(r"(?<=\d)([a-h])(?=$|[\s)\],;/])|(?<=\d[)\]])([a-h])$")
_WORD_MARK = re.compile(r"\b(?:AUC|AUROC|OR|HR|RR|PPV|NPV|SEN|SPE|ACC|[Vv]alue|P)([a-h])\b")
_FOOT_MARK = re.compile(r"(?m)^\s*\^?([a-h])(?=\s|[A-Z(])")


def marks_used(footnote: str, data: list, headers: list) -> set:
    """The footnote letters a table uses: a footnote's leading letter, a letter glued to a number of its body
    (``0.04a``) or to a statistic's word in its headers (``AUCa``, ``P valueb``)."""
    out = set(_FOOT_MARK.findall(footnote or ""))
    for text in data:
        out |= {a or b for a, b in _NUMBER_MARK.findall(text or "")}
    for text in headers:
        out |= set(_WORD_MARK.findall(text or ""))
    return out


def read_past_marks(col_path: list, marks: set) -> tuple[list, dict]:
    """Header names with a footnote letter glued to their last word (``Multivariate modela``, ``Univariatea``):
    the letter is read past where the word without it is a header word (an analysis, a model) and the table
    uses that letter as a mark elsewhere; where it does not, which is the name is not printed (``Modela`` may be
    a name) and the column's numbers are returned as unplaced, with the reason."""
    out, unsure = [], {}
    for j, path in enumerate(col_path):
        segs = []
        for seg in path:
            m = _MARKED.match(seg)
            if m and m.group("mark") in marks:
                seg = m.group("name")
            elif m:
                unsure[j] = (f"{seg!r}: a footnote letter glued to {m.group('name')!r}, or part of the name? the "
                             f"table uses no footnote {m.group('mark')!r} elsewhere")
            segs.append(seg)
        out.append(tuple(segs))
    return out, unsure


def repeated_header(rows: list, i: int, first: int, col_path: list) -> list | None:
    """A body row that is the last header row again with other statistics (stacked blocks: ``C-index | 95% CI
    | p value`` over the first block's rows, ``AUC | 95% CI | p value`` printed mid-table over the second's):
    its cells, one per column of numbers, when each is a statistic, a CI or a P and each stands where the header
    row above has the same kind (a CI under a CI, a P under a P, an estimate under an estimate). A text copy that
    drops empty cells prints it from the first column (its cells over the labels left out). None otherwise."""
    row, width = rows[i], len(rows[i])
    filled = [j for j in range(width) if row[j]]
    if len(filled) < 2 or not all(W.is_ci_only(row[j]) or W.segment_roles(row[j]) for j in filled):
        return None
    if filled == list(range(first, width)):
        new = row[first:]
    elif filled == list(range(width - first)):
        new = row[:width - first]
    else:
        return None

    def kind(seg: str) -> str:
        return "ci" if W.is_ci_only(seg) else "p" if W.segment_roles(seg) == ["p"] else \
            "estimate" if W.segment_roles(seg) else ""
    old = [col_path[j][-1] if col_path[j] else "" for j in range(first, width)]
    return new if all(kind(a) and kind(a) == kind(b) for a, b in zip(old, new)) else None


_BOUND = re.compile(
    r"^\s*(?:(?P<stat>[^\W\d_][\w\-. ]*?)[\s_]+)?(?:95\s*%\s*)?(?:CI|confidence[\s_]+interval)[\s_,]*\(?\s*"
    r"(?P<side>low(?:er)?|up(?:per)?|high(?:er)?|LL|UL|lo|hi)(?:[\s_]*(?:bound|limit))?\s*\)?\s*$"
    r"|^\s*(?:(?P<stat2>[^\W\d_][\w\-. ]*?)[\s_]+)?(?P<side2>lower|upper)[\s_]+(?:95\s*%\s*)?(?:CI|confidence[\s_]+"
    r"(?:interval|limit))(?:[\s_]*(?:bound|limit))?\s*$", re.I)


def is_bound_header(segment: str) -> bool:
    """``AUC_CI_low``, ``Lower 95% CI``: a header naming one bound of a CI (no name of a cohort or model)."""
    return bool(_BOUND.match(segment.replace("_", " ")))


def ci_bound_columns(col_path: list, L: int) -> list:
    """Columns that each print one bound of an estimate's CI (``AUC | AUC_CI_low | AUC_CI_high``, ``OR | Lower
    95% CI | Upper 95% CI``, ``95% CI lower``): (``ci_low`` or ``ci_high``, the estimate's role) where the
    estimate is the nearest column on the left under the same parent that names a statistic, and the bound's
    header names that statistic or none; None for every other column (a bound whose estimate no column
    prints is left to the other rules: unplaced)."""
    out: list = [None] * len(col_path)
    for j in range(L, len(col_path)):
        path = col_path[j]
        m = _BOUND.match(path[-1].replace("_", " ")) if path else None
        parent = path[:-1]
        if not m and bare_bound(path, len(path) - 1):     # ``95% CI`` over ``Lower | Upper``: the CI's parent's
            m, parent = _BOUND.match(f"{path[-2]} {path[-1]}"), path[:-2]
        if not m:
            continue
        side = (m.group("side") or m.group("side2")).casefold()
        named = W.roles_of((m.group("stat") or m.group("stat2") or "").strip()) if (m.group("stat") or
                                                                                    m.group("stat2")) else []
        if len(named) > 1 or ((m.group("stat") or m.group("stat2")) and not named):
            continue
        est = ""
        for k in range(j - 1, L - 1, -1):
            if col_path[k][:-1] != parent and len(path) > len(parent) + 1 and col_path[k][:-1] == path[:-1]:
                continue                                  # the other bound under the same ``95% CI``
            if col_path[k][:-1] != parent or not col_path[k]:
                break
            if _BOUND.match(col_path[k][-1].replace("_", " ")):
                continue
            roles = [r for r in W.segment_roles(col_path[k][-1]) if r != "p"]
            est = roles[0] if len(roles) == 1 else ""
            break
        if est and (not named or named == [est]):
            out[j] = ("ci_low" if side[0] == "l" else "ci_high", est)
    return out


_SIDE = re.compile(r"^\s*(?:low(?:er)?|up(?:per)?|high(?:er)?|LL|UL)(?:[\s_]*(?:bound|limit))?\s*$", re.I)


def bare_bound(path, k: int) -> bool:
    """``Lower`` / ``Upper`` (``LL`` / ``UL``, ``lower limit``) printed under a ``95% CI`` header: one bound of the CI,
    as ``Lower 95% CI`` is (a name of no cohort, group or model)."""
    return 1 <= k < len(path) and W.is_ci_only(path[k - 1]) and bool(_SIDE.match(path[k]))
