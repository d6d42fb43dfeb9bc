"""Table 1 for :func:`eprstats.audit.compare.compare`: the run's Table 1 read back from the files ``table1``
writes (counts, continuous summaries as printed, P values), and the paper's Table 1 numbers in the order of
the comparison (continuous rows and ``published_table1_groups.csv`` after the counts)."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..characteristics.table_one import COUNT_COLUMNS, SUMMARY_COLUMNS, Table1
from ..fileio import read_csv, read_text
from .table1_format import printed_numbers as table1_numbers

_COUNT = re.compile(r"^\s*(\d+)\s*(\(|$)")
#: a continuous cell of the run's Table 1: ``55.20 (10.10)`` or ``54.00 (47.00-62.00)``
_SUMMARY = re.compile(r"^\s*(-?\d+\.?\d*)\s*\((-?\d+\.?\d*)(?:-(-?\d+\.?\d*))?\)\s*$")
_STATS = {"mean (SD)": ("mean", "sd"), "median (IQR)": ("median", "q1", "q3")}
SUMMARY_STATS = ("mean", "sd", "median", "q1", "q3")


def text_frame(path: Path, what: str) -> pd.DataFrame:
    """A CSV the run wrote, every column read as text, its separator (``;`` or ``,``) taken from the header."""
    first = read_text(path, what).splitlines()[:1]
    sep = ";" if first and first[0].count(";") > first[0].count(",") else ","
    header = [h.strip() for h in first[0].split(sep)] if first else []
    return read_csv(path, what, text_columns=header)


def table1_tidy(layout_path: Path, tests_path: Path) -> pd.DataFrame:
    """Table 1's tidy rows from the files ``table1`` writes: counts (and exact percentages, n over the
    group's known values) and continuous summaries (mean, sd or median, q1, q3 as printed, with the
    ``decimals`` they are printed with) parsed from the layout, P values (unrounded) from the tests file."""
    layout = text_frame(layout_path, "Table 1")
    tests = read_csv(tests_path, "Table 1 tests", text_columns=("variable", "comparison", "test", "method"))
    groups, pending = [], []
    for col in layout.columns[2:]:
        m = re.match(r"^(.*) \(n=(\d+)\)$", col)
        if m:
            pending.append((m.group(1), int(m.group(2)), col))
        elif col.endswith(" P") and col != "P between cohorts":
            cohort = col[:-2]
            groups += [(cohort, label[len(cohort) + 1:], n, c) for label, n, c in pending
                       if label.startswith(cohort + " ")]
            pending = []
    counts, missing, summaries, decimals = [], [], [], {}
    variable = ""
    for rec in layout.to_dict("records"):
        # a variable's name is on its first level's row only (read as text, a blank cell is missing)
        variable = rec["Variable"] if isinstance(rec["Variable"], str) and rec["Variable"].strip() else variable
        for cohort, group, n, col in groups:
            s = _SUMMARY.match(str(rec[col])) if rec["Level"] in _STATS else None
            if s is not None:   # kept as printed: the file rounds them (decimals say to what)
                values = dict(zip(_STATS[rec["Level"]], (float(x) for x in s.groups() if x is not None)))
                summaries.append({"variable": variable, "cohort": cohort, "group": group, "n": n, **values})
                decimals[variable] = len(s.group(1).partition(".")[2])
                continue
            m = _COUNT.match(str(rec[col]))
            if not m:
                continue  # a continuous row (mean (SD), median (IQR))
            if rec["Level"] == "Missing":
                missing.append({"variable": variable, "cohort": cohort, "group": group, "n_missing": int(m[1])})
            else:
                counts.append({"variable": variable, "level": rec["Level"], "cohort": cohort, "group": group,
                               "n": int(m[1])})
    counts = pd.DataFrame(counts, columns=COUNT_COLUMNS[:-1])
    known = counts.groupby(["variable", "cohort", "group"])["n"].transform("sum")
    counts["percent"] = 100.0 * counts["n"] / known.where(known > 0)
    result = Table1(table=layout, tests=tests, counts=counts,
                    missing=pd.DataFrame(missing, columns=["variable", "cohort", "group", "n_missing"]),
                    groups=pd.DataFrame([{"cohort": c, "group": g, "n": n} for c, g, n, _ in groups]),
                    continuous=pd.DataFrame(summaries, columns=SUMMARY_COLUMNS[:-1]), name=layout_path.stem)
    frame = result.tidy()
    if not summaries:
        return frame
    continuous = frame["statistic"].isin(SUMMARY_STATS)
    # a column of its own, only where there are summaries: compare judges them at no finer a precision
    frame["decimals"] = [decimals.get(r) if c else None for r, c in zip(frame["row"], continuous)]
    return frame[~continuous | frame["value"].notna()]


def with_table1(paper, entries: list) -> list:
    """The printed numbers with Table 1's continuous rows and published_table1_groups.csv after Table 1's
    counts; the counts' lines are their file lines (continuous rows between them are read apart)."""
    lines = paper.table1.attrs.get("lines") if paper.table1 is not None else None
    for e in entries:
        if lines and e["file"] == "published_table1.csv":
            e["line"] = lines[e["line"] - 2]
    last = max((i for i, e in enumerate(entries) if e["table"] == "Table 1"), default=-1)
    return entries[:last + 1] + table1_numbers(paper) + entries[last + 1:]
