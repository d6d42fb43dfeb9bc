"""The paper's side of :func:`eprstats.audit.compare.compare`: every printed number of an audit folder (with the
key of the run's number for it), how one is judged, the summary line and the HTML page.

**The verdict.** A printed number stands for every value that rounds to it: ``0.724`` for [0.7235, 0.7245].
The recomputed value is *equal* when it lies in that interval, ends included: a value exactly half-way
between two printed numbers is equal to both, because papers round halves up (Excel, SPSS), to even (R's
``round``, Python's ``round``) or, through binary floating point, either way (0.0125 is stored as
0.01249999...); the printed precision, not the rounding rule, is what a paper claims. A bound (``<0.001``,
``>0.05``) is equal when the recomputed value lies beyond it. Otherwise the number is *different*, and the
difference is (recomputed - printed) / unit, the unit being the last printed digit (0.001 for ``0.724``,
0.01 for ``20.59%``): *equal* is exactly \\|difference\\| <= 0.5 (a millionth of a unit of slack absorbs
binary rounding of the half-way point).
"""
from __future__ import annotations

import html
import math

from .cells import PATH_SEP
from .printed_cells import is_percent
from .schema import TABLE1_GROUPS, TABLE1_P, Printed
from .registry import COHORT_NAMES, parse_quantity

EQUAL, DIFFERENT, NOT_RECOMPUTED = "equal", "different", "not recomputed"
VERDICTS = (EQUAL, DIFFERENT, NOT_RECOMPUTED)
#: the paper's tables in the order the summary lists them (the ``table`` column of compare.csv)
TABLE_ORDER = ("Table 1", "Table 2", "Table 3", "Text", "Cohorts")
#: the columns of compare.csv
COLUMNS = ("table", "file", "line", "where", "row", "column", "model", "cohort", "statistic", "published",
           "recomputed", "recomputed_printed", "verdict", "difference", "run_name", "source", "detail")
#: slack on the half-way point, in units of the last printed digit
_SLACK = 1e-6
_T2 = ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")
_T3 = ("beta", "odds_ratio", "or_ci_low", "or_ci_high", "p")
_COLOURS = {EQUAL: "#dff0d8", DIFFERENT: "#f8d7da", NOT_RECOMPUTED: "#e9ecef"}


def printed_numbers(paper) -> list[dict]:
    """Every printed number of the folder: where it is printed and the key of the run's number for it."""
    out = []

    def add(printed, key, **where):
        if printed is not None:
            out.append({"printed": printed, "key": key, **where})

    for name, frame, stat in (("published_table1.csv", paper.table1, "count"),
                              ("published_table1_percent.csv", paper.table1_percent, "percent")):
        for i, r in enumerate([] if frame is None else frame.to_dict("records")):
            for col, (cohort, role) in TABLE1_GROUPS.items():
                add(r[col], ("t1", stat, r["variable"], r["level"], cohort, role), table="Table 1", file=name,
                    line=i + 2, row=f"{r['variable']}: {r['level']}", column=col, cohort=cohort, statistic=stat)
            for col, cohort in TABLE1_P.items() if stat == "count" else ():
                add(r[col], ("t1_p", r["variable"], cohort), table="Table 1", file=name, line=i + 2,
                    row=r["variable"], column=col, cohort=cohort, statistic="p")
    for i, r in enumerate([] if paper.table2 is None else paper.table2.to_dict("records")):
        for col in _T2:
            add(r[col], ("t2", col, r["model"], r["cohort"]), table="Table 2", file="published_table2.csv",
                line=i + 2, row=r["model"], column=col, model=r["model"], cohort=r["cohort"], statistic=col)
    for i, r in enumerate([] if paper.table3 is None else paper.table3.to_dict("records")):
        for col in _T3:
            add(r[col], ("t3", col, r["term"]), table="Table 3", file="published_table3.csv", line=i + 2,
                row=r["term"], column=col, statistic=col)
    for i, r in enumerate(paper.cohorts.to_dict("records")):
        for col in ("n", "events", "nonevents"):
            add(r[col], ("size", col, r["cohort"]), table="Cohorts", file="cohorts.csv", line=i + 2,
                where=r["where"], row=r["cohort"], column=col, cohort=r["cohort"], statistic=col)
    for i, r in enumerate([] if paper.claims is None else paper.claims.to_dict("records")):
        out += _claim(r, i + 2)
    out += cell_numbers(getattr(paper, "cells", None) or [])
    return out


#: a cell's role (and the role its CI bound or P is ``of``) -> the run's Table 2 / Table 3 column
_CELL_T2 = {("auc", ""): "auc", ("c_index", ""): "auc", ("ci_low", "auc"): "auc_ci_low",
            ("ci_high", "auc"): "auc_ci_high", ("ci_low", "c_index"): "auc_ci_low",
            ("ci_high", "c_index"): "auc_ci_high", ("sensitivity", ""): "sensitivity",
            ("specificity", ""): "specificity"}
_CELL_T3 = {("or", ""): "odds_ratio", ("ci_low", "or"): "or_ci_low", ("ci_high", "or"): "or_ci_high",
            ("beta", ""): "beta", ("p", "or"): "p", ("p", "beta"): "p"}


def cell_numbers(cells) -> list[dict]:
    """cells.csv's placed numbers with the key of the run's number for each (``none`` with why, when a run
    computes no such number): a model's AUC, CI, sensitivity and specificity in a cohort (Table 2), a term's
    beta, OR, CI and P (Table 3), a cohort's size, Table 1's counts, percentages and P of the outcome groups
    ``events`` / ``nonevents`` (other group names: through ``--mapping``)."""
    out = []
    for line, c in enumerate(cells, start=2):      # the cell's line in cells.csv
        if not c.placed:
            continue
        role_of = (c.role, c.of)
        below, above = c.bound in ("<", "<="), c.bound in (">", ">=")
        text = f"{c.bound}{c.value:.{c.decimals}f}"
        printed = Printed(text, c.value, c.decimals, below=below, above=above)
        if role_of in _CELL_T2 and c.model:
            if c.role in ("sensitivity", "specificity") and is_percent(c):
                printed = Printed(text + "%", c.value / 100, c.decimals + 2, below=below, above=above)
            key = ("t2", _CELL_T2[role_of], c.model, c.cohort)
        elif role_of in _CELL_T3 and c.variable:
            key = ("t3", _CELL_T3[role_of], c.variable)
        elif c.role in ("n", "events", "nonevents") and not (c.group or c.model or c.variable) and c.cohort:
            key = ("size", c.role, c.cohort)
        elif c.role in ("count", "percent") and c.variable and c.group in ("events", "nonevents"):
            key = ("t1", c.role, c.variable, c.level, c.cohort, c.group)
        elif c.role == "p" and c.variable and not c.of and not c.model:
            key = ("t1_p", c.variable, c.cohort or "between cohorts")
        else:
            key = ("none", f"a run does not compute a {c.role!r} placed as this cell is (table {c.table})")
        out.append({"printed": printed, "key": key, "table": c.table, "file": "cells.csv", "line": line,
                    "where": c.source or c.table, "row": PATH_SEP.join(c.row_path),
                    "column": PATH_SEP.join(c.col_path), "model": c.model or None, "cohort": c.cohort or None,
                    "statistic": c.role})
    return out


def _claim(r: dict, line: int) -> list[dict]:
    k, parts = parse_quantity(r["quantity"])
    kind = k.name
    if k.value != "number":
        return []  # a stated ranking or method prints no number of its own
    model = parts[k.model] if k.model is not None else (k.label(parts) if k.parts[:2] == ("model", "model")
                                                         else None)
    cohort = parts[k.cohort] if k.cohort is not None else None
    if kind == "p_table1":
        cohort = COHORT_NAMES.get(cohort, cohort)
    keys = k.compare(parts) if k.compare is not None else \
        [("none", f"a run does not compute a '{kind}' quantity (compare reads Table 1, Table 2 and Table 3)")]
    numbers = (r["estimate"], r["ci_low"], r["ci_high"])
    if keys[0][0] == "none":
        keys = keys * 3
    keys += [("none", f"the run gives no CI for a '{kind}' quantity")] * (3 - len(keys))
    return [{"printed": p, "key": keys[j], "table": "Text", "file": "claims.csv", "line": line,
             "where": r["where"], "row": r["quantity"], "column": ("value", "ci_low", "ci_high")[j], "model": model,
             "cohort": cohort, "statistic": kind}
            for j, p in enumerate(numbers) if p is not None]


def judge(printed: Printed, value: float) -> tuple[str, float, str]:
    """(verdict, difference in units of the last printed digit, the recomputed value at the printed
    precision) of one printed number against its recomputed ``value``.

    Example
    -------
    >>> from eprstats.audit.schema import parse_number
    >>> judge(parse_number("0.724"), 0.71531)[:2]
    ('different', -8.69)
    >>> judge(parse_number("<0.001"), 0.0004)[0]
    'equal'
    """
    unit = 10.0 ** -printed.decimals
    difference = (value - printed.value) / unit
    if printed.below:
        equal = value < printed.value
    elif printed.above:
        equal = value > printed.value
    else:
        equal = abs(difference) <= 0.5 + _SLACK
    return (EQUAL if equal else DIFFERENT), round(difference, 2), printed_as(printed, value)


def printed_as(printed: Printed, value: float) -> str:
    """``value`` at the precision of ``printed`` (``0.715``, ``20.59%``)."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.{printed.decimals}f}" + ("%" if printed.percent else "")


def counts(frame) -> dict:
    """{table: {verdict: count}} in :data:`TABLE_ORDER`, tables without numbers left out."""
    out = {}
    for table in TABLE_ORDER:
        part = frame[frame["table"] == table]
        if len(part):
            out[table] = {v: int((part["verdict"] == v).sum()) for v in VERDICTS}
    return out


def summary_line(frame) -> str:
    """``Table 1: 301/301 equal; Table 2: 3/100 equal, 77 different, 20 not recomputed; ...``"""
    parts = []
    for table, c in counts(frame).items():
        total = sum(c.values())
        text = f"{table}: {c[EQUAL]}/{total} equal"
        text += f", {c[DIFFERENT]} different" if c[DIFFERENT] else ""
        text += f", {c[NOT_RECOMPUTED]} not recomputed" if c[NOT_RECOMPUTED] else ""
        parts.append(text)
    return "; ".join(parts) if parts else "no printed numbers to compare"


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return html.escape(str(v))


def html_page(frame, title: str, note: str) -> str:
    """compare.html: one section per table; per number where it is printed, published | recomputed |
    verdict (coloured), the difference in units of the last printed digit and why."""
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p><b>{html.escape(summary_line(frame))}</b></p>",
             f"<p>{html.escape(note)}</p>"]
    for table in counts(frame):
        part = frame[frame["table"] == table]
        parts.append(f"<h2>{html.escape(table)}</h2><table><thead><tr><th>where</th><th>published</th>"
                     "<th>recomputed</th><th>verdict</th><th>difference (units)</th><th>detail</th>"
                     "</tr></thead><tbody>")
        for r in part.itertuples(index=False):
            where = " / ".join(str(x) for x in (r.row, r.column) if x)
            style = f' style="background:{_COLOURS[r.verdict]}"'
            parts.append(f"<tr{style}><td>{_cell(where)}</td><td>{_cell(r.published)}</td>"
                         f"<td>{_cell(r.recomputed_printed)}</td><td>{_cell(r.verdict)}</td>"
                         f"<td>{_cell(r.difference)}</td><td>{_cell(r.detail)}</td></tr>")
        parts.append("</tbody></table>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>eprstats compare</title>"
            "<style>body{font:13px sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            "padding:3px 6px;vertical-align:top}</style></head><body>\n" + "\n".join(parts)
            + "\n</body></html>\n")
