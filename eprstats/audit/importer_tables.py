"""Tables of a paper's text for :func:`eprstats.audit.importer.import_paper`: found as delimited text (CSV,
TSV, ``;``, Markdown / pipe tables, columns separated by runs of spaces as pasted from a PDF) or as one
cell per line (each line a tab and the cell, rows separated by blank lines, as in ``../shared/paper/``),
then read into the audit schema's Table 1, 2 and 3 (docs/audit.md).

A cell keeps the text as printed (``0.780`` stays ``0.780``); a significance mark ``*`` is dropped. Table 1's
continuous rows (``55.2 ± 10.1``, ``55.2 (10.1)``, ``54 (47-62)``, ``54 [47, 62]``) are written in the schema's
form, ``55.2 (10.1)`` with level ``mean (SD)`` and ``54 (47-62)`` with level ``median (IQR)``.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from .importer_text import cohort_of_label
from .readers.numbers import is_data as is_printed_number
from .readers.pipe_rows import split_pipe_line, split_pipe_rows

_CAPTION = re.compile(r"^\s*(?:Supplementary\s+)?Table\s+(S?\d+)\b", re.I)
_NUM = r"[-−–]?(?:\d+(?:\.\d+)?|\.\d+)"
_DATA = re.compile(rf"^(?:[<>≤≥]\s*)?{_NUM}\s*%?\s*[*∗⁎＊]?$|^\d+\s*\(\s*{_NUM}\s*%?\s*\)$|"
                   rf"^{_NUM}\s*\(\s*{_NUM}\s*(?:-|–|—|to|,)\s*{_NUM}\s*\)\s*\*?$")
#: Table 1's continuous cells: mean ± SD, mean (SD), median (Q1-Q3) / [Q1, Q3]
_MEAN_SD = re.compile(rf"^(?P<m>{_NUM})\s*(?:±|\+/-|\+-)\s*(?P<s>{_NUM})$|"
                      rf"^(?P<m2>{_NUM})\s*[(\[]\s*(?P<s2>{_NUM})\s*[)\]]$")
_MEDIAN = re.compile(rf"^(?P<m>{_NUM})\s*[(\[]\s*(?P<q1>{_NUM})\s*(?:-|–|—|to|,|;)\s*(?P<q3>{_NUM})\s*[)\]]$")
#: a label saying which summary a row shows
_HINT = re.compile(r"[,;:]?\s*[(\[]?\s*\b(mean|median|sd|iqr|q1)\b.*$", re.I)
_COUNT_PCT = re.compile(rf"^(?P<k>\d+)\s*\(\s*(?P<p>{_NUM})\s*%?\s*\)$")
_EST_CI = re.compile(rf"^(?P<est>{_NUM})\s*\(\s*(?P<lo>{_NUM})\s*(?:-|–|—|to|,)\s*(?P<hi>{_NUM})\s*\)\s*[*∗⁎＊]?$")
_NON = re.compile(r"(?:^|\s)(?:non\b|non[\s-]|no\b|without\b|negative\b|absent\b)", re.I)
_BLANK = {"", "–", "-", "—", "NA", "n/a", "N/A"}


@dataclass
class Cell:
    text: str
    line: int


@dataclass
class Grid:
    """A table as rows of cells, with its caption (``Table 2 | ...``) and where it starts."""

    caption: str
    line: int
    rows: list = field(default_factory=list)
    layout: str = "cell per line"


def is_data(text: str) -> bool:
    t = text.strip()
    return bool(_DATA.match(t) or _MEAN_SD.match(t) or _MEDIAN.match(t))


def summary_cell(text: str, hint: str | None) -> tuple[str, str] | None:
    """A continuous Table 1 cell as (level, the schema's text): ``55.2 ± 10.1`` -> (``mean (SD)``,
    ``55.2 (10.1)``), ``54 [47, 62]`` -> (``median (IQR)``, ``54 (47-62)``). ``hint`` (``mean`` or ``median``,
    from the row's label) decides ``54 (10)``; a count ``14 (20.6%)`` or an integer pair without a hint is None."""
    t = clean(text)
    med = _MEDIAN.match(t)
    if med and hint != "mean":
        return "median (IQR)", f"{med['m']} ({med['q1']}-{med['q3']})"
    m = _MEAN_SD.match(t)
    if m is None or hint == "median" or "%" in t:
        return None
    mean, sd = (m["m"], m["s"]) if m["m"] is not None else (m["m2"], m["s2"])
    if hint != "mean" and "±" not in t and "+" not in t and "." not in mean:
        return None     # 54 (10): a count and its percentage as much as a mean and SD
    return "mean (SD)", f"{mean} ({sd})"


def _hint(label: str) -> str | None:
    m = _HINT.search(label or "")
    return None if m is None else ("median" if m.group(1).lower() in ("median", "iqr", "q1") else "mean")


def clean(text: str) -> str:
    """A cell as printed, without its significance mark: ``0.031*`` -> ``0.031``; a dash alone -> blank."""
    t = text.strip().rstrip("*∗⁎＊").strip().replace("−", "-")
    return "" if t in _BLANK else t


# ----------------------------------------------------------------------------------------- finding tables
def find_grids(lines: list[str]) -> tuple[list[Grid], set[int]]:
    """Tables of ``lines`` (numbered from 1) and the line numbers they (and their captions) take.

    Pipe and tab rows are tables wherever they run (a PDF's text has no blank lines around its tables);
    comma, semicolon and spaced-apart tables must stand as a block of their own between blank lines, so
    that wrapped prose with as many commas on each line is not read as a table."""
    grids, taken = [], set()

    def keep(grid, start, end):
        grid.caption, cap = _caption_above(lines, start)
        grids.append(grid)
        taken.update(range(start + 1, end + 1), {cap} - {None})

    i = 0
    while i < len(lines):
        if _is_cell_line(lines[i]):
            grid, end = _cell_per_line(lines, i)
            if len(grid.rows) >= 2:
                keep(grid, i, end)
            i = max(end, i + 1)
            continue
        if _is_marked_row(lines[i]):
            end = i
            while end < len(lines) and (_is_marked_row(lines[end]) or _MD_RULE.match(lines[end])):
                end += 1
            grid = _delimited(lines, i, end) if end - i >= 2 else None
            if grid is not None:
                keep(grid, i, end)
            i = end
            continue
        start = i + 1 if _CAPTION.match(lines[i]) and i + 1 < len(lines) and lines[i + 1].strip() else i
        end = start
        while end < len(lines) and lines[end].strip() and not (_is_cell_line(lines[end]) or _is_marked_row(lines[end])):
            end += 1
        grid = _delimited(lines, start, end, (";", ",", "  ")) if end - start >= 2 else None
        if grid is not None:
            keep(grid, start, end)
        i = max(end, i + 1)
    return grids, taken


def _is_marked_row(line: str) -> bool:
    """A row of a pipe table (two or more ``|``) or of a tab-separated table (a tab between cells)."""
    # a row of labels only ("Sex<TAB><TAB>") keeps its tabs at the end; only stripping spaces keeps it a row
    return line.count("|") >= 2 or "\t" in line.strip(" \r\n") and not _is_cell_line(line)


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:]


def _cell_per_line(lines: list[str], i: int) -> tuple[Grid, int]:
    """Rows of tab-prefixed cells separated by blank lines, up to the next line of running text."""
    grid, row = Grid("", i + 1), []
    while i < len(lines) and (_is_cell_line(lines[i]) or not lines[i].strip()):
        if _is_cell_line(lines[i]):
            row.append(Cell(lines[i][1:].strip(), i + 1))
        elif row:
            grid.rows.append(row)
            row = []
        i += 1
    if row:
        grid.rows.append(row)
    return grid, i


def _caption_above(lines: list[str], i: int) -> tuple[str, int | None]:
    for j in range(i - 1, max(-1, i - 4), -1):
        if _CAPTION.match(lines[j]):
            return lines[j].strip(), j + 1
        if lines[j].strip() and not _is_cell_line(lines[j]):
            break
    return "", None


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        return split_pipe_line(line)
    if delimiter == "  ":
        return [c.strip() for c in re.split(r"\s{2,}|\t", line.strip())]
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]


def _delimited(lines: list[str], start: int, end: int, delimiters=("|", "\t")) -> Grid | None:
    """A block of lines that splits into the same number (>= 2) of short cells under one delimiter, with
    numbers in at least half of its rows: CSV, TSV, ``;``, a pipe table, or columns spaced apart."""
    block = [(n, lines[n]) for n in range(start, end) if not _MD_RULE.match(lines[n])]
    for delimiter in delimiters:
        if delimiter == "|" and not all(l.count("|") >= 2 for _, l in block):
            continue
        rows = (list(zip([n for n, _ in block], split_pipe_rows([l for _, l in block]))) if delimiter == "|"
                else [(n, _split(l, delimiter)) for n, l in block])
        widths = {len(r) for _, r in rows}
        # a pipe or tab table's short rows are its own (a page's text drops empty cells): padded, never dropped
        if min(widths) < 2 or (max(widths) - min(widths) > 1 and delimiter not in ("|", "\t")):
            continue
        cells = [c for _, r in rows for c in r]
        marked = delimiter in ("|", "\t")     # a pipe or tab row is a table's wherever it is: never dropped
        if max(len(c) for c in cells) > (300 if marked else 60):
            continue
        numeric = sum(any(is_data(c) or is_printed_number(c) for c in r) for _, r in rows)
        if marked and not numeric:   # cells in no known form (``7/10 [70]``): kept, listed (readers/accounting.py)
            numeric = sum(any(re.match(r"\s*[<>≤≥]?\s*-?\d", c) for c in r[1:]) for _, r in rows[1:])
        if (numeric * 2 < len(rows) and not marked) or numeric == 0:
            continue
        grid = Grid("", start + 1, layout={"|": "pipe", "\t": "tab", ";": "semicolon", ",": "comma",
                                           "  ": "spaced"}[delimiter])
        grid.rows = [[Cell(c, n + 1) for c in r] for n, r in rows]
        return grid
    return None


# ----------------------------------------------------------------------------------------- reading tables
@dataclass
class Placed:
    """What one grid gave: ``kind`` (table1, table2, table3 or None), schema rows, cohort sizes printed in
    its header, and the cells it could not place."""

    kind: str | None
    rows: list = field(default_factory=list)
    percent_rows: list = field(default_factory=list)
    sizes: list = field(default_factory=list)          # (cohort, n, header text, line)
    unplaced: list = field(default_factory=list)       # (line, text, reason)
    groups: tuple = ()                                  # Table 1's outcome group labels (Non-EPR, EPR)


def _split_header(grid: Grid) -> tuple[list, list]:
    head = 0
    for row in grid.rows:
        texts = [c.text for c in row]
        if any(is_data(t) for t in texts):
            break
        keyword = re.search(r"p[\s-]*value|\bnon[\s-]|cohort|\bset\b|\bauc\b|\bor\b|β|beta|variable|"
                            r"characteristic|sensitivity|specificity|model", " ".join(texts), re.I)
        if not keyword and sum(bool(t) for t in texts) < 2:
            break
        head += 1
    return grid.rows[:head], grid.rows[head:]


def classify(grid: Grid) -> str | None:
    header, body = _split_header(grid)
    text = " ".join(c.text for r in header for c in r).lower()
    cells = [c.text for r in body for c in r[1:]]
    if re.search(r"\bauc\b|area under|c-index", text):
        return "table2"
    if re.search(r"β|\bbeta\b|\bor\b|odds|coefficient", text):
        return "table3"
    counts = sum(bool(_COUNT_PCT.match(c)) for c in cells)
    if counts >= 2 and counts + sum(summary_cell(c, None) is not None for c in cells) >= max(2, len(cells) // 3):
        return "table1"
    return None


def read_grid(grid: Grid) -> Placed:
    kind = classify(grid)
    reader = {"table1": _table1, "table2": _table2, "table3": _table3}.get(kind)
    if reader is None:
        return Placed(None, unplaced=[(r[0].line, " | ".join(c.text for c in r), "a table that is not Table 1, 2 or 3"
                                       f" of the schema ({grid.caption or 'no caption'})") for r in grid.rows])
    return reader(grid)


def _pad(row: list, width: int) -> list:
    """A header row with fewer cells than the body: its cells are the rightmost columns."""
    return [Cell("", row[0].line if row else 0)] * (width - len(row)) + list(row)


def _cohort_cells(header: list) -> list[tuple[str, Cell]]:
    return [(cohort_of_label(c.text), c) for r in header for c in r if cohort_of_label(c.text)]


def _sizes(cohorts, caption) -> list:
    out = []
    for cohort, cell in cohorts:
        m = re.search(r"\(\s*n\s*=\s*(\d+)\s*\)", cell.text)
        if m:
            out.append((cohort, m.group(1), f"{caption.split('|')[0].strip() or 'Table'} header: {cell.text}", cell.line))
    return out


def _table2(grid: Grid) -> Placed:
    """Model rows; metric columns (AUC with its CI, sensitivity, specificity) repeated once per cohort
    under a header row naming the cohorts, or a cohort column."""
    header, body = _split_header(grid)
    width = max(len(r) for r in grid.rows)
    placed = Placed("table2")
    metric_row = next((r for r in reversed(header) if any(_metric(c.text) for c in r)), None)
    if metric_row is None:
        return Placed(None, unplaced=[(grid.line, grid.caption, "no AUC / sensitivity / specificity header")])
    metrics = [_metric(c.text) for c in _pad(metric_row, width)]
    cohort_col = next((j for j, c in enumerate(_pad(metric_row, width)) if re.fullmatch(
        r"cohort|set|dataset|data ?set", c.text.strip(), re.I)), None)
    cohorts = _cohort_cells([r for r in header if r is not metric_row])
    placed.sizes = _sizes(cohorts, grid.caption)
    columns = [j for j in range(1, width) if metrics[j]]
    group_of = {}
    if cohort_col is None and cohorts:
        per = max(1, len(columns) // len(cohorts))
        for k, j in enumerate(columns):
            group_of[j] = cohorts[min(k // per, len(cohorts) - 1)][0]
    for row in body:
        cells = row + [Cell("", row[-1].line)] * (width - len(row))
        model = cells[0].text.strip()
        by_cohort: dict[str, dict] = {}
        for j in range(1, width):
            text = clean(cells[j].text)
            cohort = clean(cells[cohort_col].text) if cohort_col is not None else group_of.get(j)
            if cohort_col is not None:
                cohort = cohort_of_label(cohort) or cohort
            if j == cohort_col or not text:
                continue
            if not metrics[j] or cohort is None or metrics[j] == "other":
                placed.unplaced.append((cells[j].line, f"{model}: {text}", "a column outside Table 2's schema "
                                        f"({_pad(metric_row, width)[j].text or 'no header'})"))
                continue
            slot = by_cohort.setdefault(cohort, {"model": model, "cohort": cohort})
            m = _EST_CI.match(text)
            if metrics[j] == "auc" and m:
                slot.update(auc=m.group("est"), auc_ci_low=m.group("lo"), auc_ci_high=m.group("hi"))
            elif metrics[j] == "ci" and re.fullmatch(rf"({_NUM})\s*(?:-|–|—|to|,)\s*({_NUM})", text):
                lo, hi = re.fullmatch(rf"({_NUM})\s*(?:-|–|—|to|,)\s*({_NUM})", text).groups()
                slot.update(auc_ci_low=lo, auc_ci_high=hi)
            else:
                slot[metrics[j]] = text
        placed.rows += by_cohort.values()
    return placed


def _metric(text: str) -> str | None:
    t = text.lower()
    if re.search(r"\bauc\b|area under|c-index", t) and not re.search(r"low|upp|high", t):
        return "auc"
    if re.fullmatch(r"\s*(?:95\s*%\s*)?ci\s*", t):
        return "ci"
    if re.search(r"ci|confidence", t) and re.search(r"low|upp|high", t):    # "auc_ci_low", "CI upper"
        return "auc_ci_low" if "low" in t else "auc_ci_high"
    for name in ("sensitivity", "specificity"):
        if name in t:
            return name
    if re.search(r"accuracy|ppv|npv|f1|youden|cut-?off|threshold", t):
        return "other"
    return None


def _table3(grid: Grid) -> Placed:
    """Term rows; columns beta, OR (with its CI in the cell or in a CI column), P."""
    header, body = _split_header(grid)
    width = max(len(r) for r in grid.rows)
    roles = []
    for c in _pad(header[-1] if header else [], width):
        t = c.text.lower().strip()
        roles.append("beta" if re.search(r"β|\bbeta\b|coef|estimate|\bb\b", t) else
                     "or" if re.search(r"\bor\b|odds", t) else
                     "ci" if re.fullmatch(r"(?:95\s*%\s*)?ci", t) else
                     "p" if re.fullmatch(r"p(?:[\s-]*values?)?", t) else None)
    placed = Placed("table3")
    for row in body:
        cells = row + [Cell("", row[-1].line)] * (width - len(row))
        out = {"term": cells[0].text.strip(), "beta": "", "odds_ratio": "", "or_ci_low": "", "or_ci_high": "", "p": ""}
        for j in range(1, width):
            text = clean(cells[j].text)
            if not text:
                continue
            m = _EST_CI.match(text)
            interval = re.fullmatch(rf"({_NUM})\s*(?:-|–|—|to|,)\s*({_NUM})", text)
            if roles[j] == "or" and m:
                out.update(odds_ratio=m.group("est"), or_ci_low=m.group("lo"), or_ci_high=m.group("hi"))
            elif roles[j] == "ci" and interval:
                out.update(or_ci_low=interval.group(1), or_ci_high=interval.group(2))
            elif roles[j] in ("beta", "p"):
                out[roles[j]] = text
            elif roles[j] == "or":
                out["odds_ratio"] = text
            else:
                placed.unplaced.append((cells[j].line, f"{out['term']}: {text}", "a column outside Table 3's schema"))
        placed.rows.append(out)
    return placed


def _table1(grid: Grid) -> Placed:
    """Counts ``k (p%)`` per outcome group and cohort, a P after each cohort's groups, a P between the
    cohorts; rows are a variable's name alone then its levels (the seed), or variable and level columns
    (a blank variable cell repeats the one above)."""
    header, body = _split_header(grid)
    width = max(len(r) for r in grid.rows)
    count_cols = [j for j in range(1, width)
                  if sum(_group_cell(r[j].text) for r in body if len(r) > j) * 2
                  >= sum(bool(r[j].text.strip()) for r in body if len(r) > j) > 0]
    level_col = 1 if count_cols and count_cols[0] > 1 else None
    full = [r for r in header if len(r) == width]
    if full:
        columns, labels = _table1_full_header(full, width, count_cols, level_col)
        cohorts = [(cohort_of_label(c.text), c) for c in full[0] if cohort_of_label(c.text)]
        cohorts = list({k: (k, c) for k, c in cohorts}.values())
    else:
        columns, labels, cohorts = _table1_spanning_header(header, width, count_cols)
    placed = Placed("table1", groups=tuple(dict.fromkeys(labels)))
    placed.sizes = _sizes(cohorts, grid.caption)
    needed = {"train_non_epr", "train_epr", "external_non_epr", "external_epr"}
    if not needed <= set(columns.values()):
        return Placed(None, unplaced=[(r[0].line, " | ".join(c.text for c in r), "Table 1 needs counts of both outcome "
                                       "groups in a training and an external cohort") for r in grid.rows])
    variable = ""
    for row in body:
        texts = [c.text.strip() for c in row] + [""] * (width - len(row))
        if not any(texts[1:]):
            variable = texts[0]
            continue
        if level_col is not None:
            variable = texts[0] or variable
        level = texts[level_col] if level_col is not None else texts[0]
        summary = _continuous_row(texts, columns, variable, level, level_col, row[0].line)
        if summary is not None:
            if isinstance(summary, tuple):
                placed.unplaced.append(summary)
            else:
                placed.rows.append(summary)
                variable = summary["variable"]
            continue
        counts, percents, ps = {}, {}, {}
        for j, name in columns.items():
            text = clean(texts[j])
            m = _COUNT_PCT.match(text)
            if name.startswith(("train_", "external_")):
                if m:
                    counts[name], percents[name] = m.group("k"), f"{m.group('p')}%"
                elif text:
                    placed.unplaced.append((row[0].line, f"{variable} {level}: {text}", "not a count k (p%)"))
            else:
                ps[name] = text
        if len(counts) < 4:
            placed.unplaced.append((row[0].line, " | ".join(texts), "a row without four counts k (p%) or four "
                                    "summaries mean (SD) / median (IQR)"))
            continue
        placed.rows.append({"variable": variable or level, "level": level, **counts,
                            **{p: ps.get(p, "") for p in ("p_train", "p_external", "p_between_cohorts")}})
        placed.percent_rows.append({"variable": variable or level, "level": level, **percents})
    return placed


def _group_cell(text: str) -> bool:
    t = clean(text)
    return bool(_COUNT_PCT.match(t) or _MEAN_SD.match(t) or _MEDIAN.match(t))


def _continuous_row(texts, columns, variable, level, level_col, line):
    """A row of mean (SD) or median (IQR) cells as a schema row (its variable from its label with the
    summary's name taken off, ``Age, years, mean ± SD`` -> ``Age, years``, else the variable above); a row
    that mixes them with counts or other cells as an unplaced (line, text, reason); None for a row of counts."""
    label = level if level_col is not None else texts[0]
    hint = _hint(label) or _hint(variable)
    groups = {name: texts[j] for j, name in columns.items() if name.startswith(("train_", "external_"))}
    parsed = {name: summary_cell(t, hint) for name, t in groups.items() if clean(t)}
    if not any(parsed.values()):
        if hint == "median" and any(_MEAN_SD.match(clean(t)) for t in groups.values()):
            return line, " | ".join(texts), "a median with one number in brackets (an IQR as Q3 - Q1?): give Q1-Q3"
        return None
    kinds = {v[0] for v in parsed.values() if v}
    if None in parsed.values() or len(kinds) > 1 or len(parsed) < 4:
        return line, " | ".join(texts), "a row without four summaries of one kind (mean (SD) or median (IQR))"
    name = _HINT.sub("", texts[0]).strip(" ,;:") or variable
    ps = {n: clean(texts[j]) for j, n in columns.items() if not n.startswith(("train_", "external_"))}
    return {"variable": name, "level": kinds.pop(), **{n: v[1] for n, v in parsed.items()},
            **{p: ps.get(p, "") for p in ("p_train", "p_external", "p_between_cohorts")}}


def _group(label: str) -> str:
    return "non_epr" if _NON.search(label) else "epr"


_PREFIX = {"training": "train", "external": "external"}
_PCOL = {"training": "p_train", "external": "p_external"}


def _table1_full_header(full: list, width: int, count_cols: list, level_col) -> tuple[dict, list]:
    """One header cell per column: ``Training non-event``, ``Validation P``, ``P between``."""
    columns, labels = {}, []
    for j in range(1, width):
        if j == level_col:
            continue
        text = " ".join(r[j].text for r in full)
        cohort = cohort_of_label(text)
        if j in count_cols and cohort:
            columns[j] = f"{_PREFIX[cohort]}_{_group(text)}"
            labels.append(re.sub(r"(?i)training|validation|external|test|cohort|set", "", text).strip())
        elif j not in count_cols:
            columns[j] = _PCOL[cohort] if cohort and not re.search(r"between", text, re.I) else "p_between_cohorts"
    return columns, labels


def _table1_spanning_header(header: list, width: int, count_cols: list) -> tuple[dict, list, list]:
    """The seed's header: a row of cohorts spanning their columns, a row of outcome groups and P's."""
    label_row = next((r for r in header if any(_NON.search(c.text) for c in r)), [])
    labels = [c.text.strip() for c in label_row if c.text.strip() and not cohort_of_label(c.text)
              and not re.fullmatch(r"p(?:[\s-]*values?)?", c.text.strip(), re.I)][:len(count_cols)]
    cohorts = _cohort_cells(header)
    columns: dict[int, str] = {}
    cohort_k, seen_counts = 0, False
    for j in range(1, width):
        if j in count_cols:
            seen_counts = True
            k = count_cols.index(j)
            if cohort_k < len(cohorts) and k < len(labels):
                columns[j] = f"{_PREFIX[cohorts[cohort_k][0]]}_{_group(labels[k])}"
        elif seen_counts and cohort_k < len(cohorts):
            columns[j] = _PCOL[cohorts[cohort_k][0]]
            cohort_k, seen_counts = cohort_k + 1, False
        else:
            columns[j] = "p_between_cohorts"
    return columns, labels, cohorts
