"""A paper's numbers as printed cells: the one form that the importer writes and the checks read.

Every number of a paper's tables is kept with its table, the path of its row headers, the path of its
column headers, its text as printed and where it was printed. Its ``role`` (what the number is: a count,
a P value, an AUC, a CI bound ...) and its place (``cohort``, ``group``, ``model``, ``variable``,
``level``) come only from those headers: a cell whose headers do not say what it is has ``role`` empty
and a ``reason``, and goes to ``unplaced.csv``, never into a neighbouring column.

Files of an audit folder in this form (``docs/audit.md``):

- ``cells.csv``: one row per placed number (the columns of :class:`Cell`);
- ``unplaced.csv``: the same columns, ``role`` empty and ``reason`` filled;
- ``tables.csv``: one row per table read (``table``, ``caption``, ``source``, ``numbers``, ``placed``).

A number printed as ``0.802 (0.718-0.887)`` is three cells with the same ``text`` and paths: ``position``
0, 1, 2; roles ``auc``, ``ci_low``, ``ci_high``; the two bounds have ``of`` = ``auc``.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from ..errors import InputError
from .registry import METRIC_ROLES

#: what a printed number can be; the words papers use for each are the importer's business
ROLES = (
    "n", "events", "nonevents", "count", "percent",
    "mean", "sd", "se", "median", "q1", "q3", "min", "max",
    "p", "statistic", "df",
    "auc", "c_index", "ci_low", "ci_high",
    "sensitivity", "specificity", "accuracy", "ppv", "npv", "f1", "youden",
    "or", "hr", "rr", "beta",
    "nri", "idi", "brier", "calibration_slope", "calibration_intercept",
)
ROLES += tuple(r for r in METRIC_ROLES if r not in ROLES)   # the rates of a 2x2 table (registry.METRICS)
#: roles that are proportions: printed as 0.80 or as 80.0 (%); ``percent_scale`` says which
RATES = ("percent", "sensitivity", "specificity", "accuracy", "ppv", "npv")

#: the place columns of a cell: which cohort / outcome group / model / variable / level it belongs to
PLACE = ("cohort", "group", "model", "variable", "level")

PATH_SEP = " > "


@dataclass(frozen=True)
class Cell:
    """One printed number with its headers, role and place."""

    table: str                      # "Table 2" (or "Abstract", "Results" for numbers read from text)
    row_path: tuple[str, ...]       # row headers, outermost first, as printed (footnote marks removed)
    col_path: tuple[str, ...]       # column headers, outermost first
    text: str                       # the whole cell as printed, e.g. "0.802 (0.718-0.887)"
    position: int                   # which number of ``text`` this is (0-based)
    value: float                    # the number (percent as printed: 45.2 for "45.2%")
    decimals: int                   # digits printed after the decimal point
    role: str = ""                  # one of ROLES; "" when unplaced
    of: str = ""                    # for ci_low / ci_high / se / statistic / p of an estimate: its role
    cohort: str = ""
    group: str = ""                 # outcome group (e.g. "EPR") or another column group
    model: str = ""
    variable: str = ""
    level: str = ""
    bound: str = ""                 # "<" / ">" / "<=" / ">=" when printed as "<0.001"
    source: str = ""                # file and place: "page.html#table2 r5c3", "paper.pdf p4"
    caption: str = ""
    reason: str = ""                # why unplaced (empty when placed)
    compares: str = ""              # a P between cohorts that are not all the table's: them, "; "-separated

    def __post_init__(self):
        if self.role and self.role not in ROLES:
            raise ValueError(f"unknown cell role {self.role!r}; known: {', '.join(ROLES)}")

    @property
    def placed(self) -> bool:
        return bool(self.role)

    def interval(self) -> tuple[float, float]:
        """The values that print as this cell: ``0.94`` is any number in [0.935, 0.945]."""
        half = 0.5 * 10.0 ** (-self.decimals)
        if self.bound in ("<", "<="):
            return (-math.inf, self.value)
        if self.bound in (">", ">="):
            return (self.value, math.inf)
        return (self.value - half, self.value + half)

    def with_place(self, **kw) -> "Cell":
        return replace(self, **kw)


COLUMNS = tuple(f.name for f in fields(Cell))


def _row(cell: Cell) -> dict:
    d = asdict(cell)
    d["row_path"] = PATH_SEP.join(cell.row_path)
    d["col_path"] = PATH_SEP.join(cell.col_path)
    d["value"] = repr(float(cell.value))
    return d


def cells_to_csv(cells, path: str | Path | None = None) -> str:
    """Write cells as CSV (``cells.csv`` / ``unplaced.csv``); returns the text."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for c in cells:
        w.writerow(_row(c))
    text = buf.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def read_cells(path: str | Path) -> list[Cell]:
    """Read ``cells.csv`` or ``unplaced.csv``; a missing column or a bad value is named with its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("table", "row_path", "col_path", "text", "value", "role")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; the columns are {', '.join(COLUMNS)}")
    out = []
    for line, r in enumerate(reader, start=2):
        try:
            kw = {k: (r.get(k) or "") for k in COLUMNS}
            kw["row_path"] = tuple(p for p in kw["row_path"].split(PATH_SEP) if p) if kw["row_path"] else ()
            kw["col_path"] = tuple(p for p in kw["col_path"].split(PATH_SEP) if p) if kw["col_path"] else ()
            kw["value"] = float(kw["value"])
            kw["position"] = int(kw["position"] or 0)
            kw["decimals"] = int(kw["decimals"] or 0)
            out.append(Cell(**kw))
        except (ValueError, TypeError) as e:
            raise InputError(f"{path}, line {line}: {e}") from None
    return out
