"""The result objects every analysis returns: one contract, publication tables, tidy numbers, one writer.

Each Methods-step function (``ep.table1``, ``ep.discrimination``, ``ep.calibrate``, ``ep.deep_features`` ...)
returns a frozen subclass of :class:`Result`. The command line, the study runner and a notebook all get the
same object and write it through the same :meth:`Result.write`, so a command and the matching study stage
write the same file names with the same bytes.

The contract (kept by ``tests/test_result_contract.py`` for every result class of the package):

* ``result.tables``: a mapping of table name (the file stem) to DataFrame, in writing order;
* ``result.table(name)``: one of them (a ``KeyError`` naming the tables there are, otherwise);
* ``result.tidy()``: every number computed, one row each, in the columns :data:`TIDY_COLUMNS` first (the
  format that comparison with a paper's printed numbers reads);
* ``result.write(out, formats)``: every table (publication tables in each format asked for, numeric tables
  as CSV only) and the figures; provided here, never rewritten by a subclass;
* ``repr(result)`` / ``result._repr_html_()``: the class, its tables and the headline numbers (a notebook
  shows them).

A subclass implements :meth:`Result.table_files` (its :class:`Table` records) and :meth:`Result.tidy`, and
optionally :meth:`Result.figures`, :meth:`Result.json_files` and :meth:`Result.summary` (the headline line). A subclass written before
#24 that still names its records method ``tables`` keeps working: :meth:`Result.__init_subclass__` files
it as ``table_files``.
"""
from __future__ import annotations

import html
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .fileio import write_csv, write_json, write_parquet
from .reporting.tables import TableFrame, write_table

#: the columns of :meth:`Result.tidy`, in order
TIDY_COLUMNS = ("analysis", "table", "row", "column", "model", "cohort", "statistic", "value", "ci_low",
                "ci_high", "n", "events")


@dataclass(frozen=True)
class Table:
    """One table file of a result: ``name`` is the file stem (``table2`` -> ``table2.csv``, ``table2.md``...).

    ``html``, when given, renders the HTML file itself (``html(frame, title, note) -> str``: the audit's
    standalone page) in place of the plain table of :func:`eprstats.reporting.tables.to_html`. ``formats``,
    when given, limits a publication table to those formats (the comparison writes only CSV and HTML) and
    names a numeric table's formats, ``csv`` and ``parquet`` (default: CSV only)."""

    name: str
    frame: object                  #: a pandas DataFrame
    title: str | None = None
    note: str | None = None
    publication: bool = True       #: written in every format asked for; otherwise CSV only (numeric tables)
    html: Callable | None = None
    formats: tuple | None = None


def tidy_frame(rows: Iterable[dict]):
    """Rows (dicts with some of :data:`TIDY_COLUMNS`) as a DataFrame with exactly those columns, in order."""
    frame = pd.DataFrame(list(rows))
    for col in TIDY_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[list(TIDY_COLUMNS)]
    return frame.astype({"value": float, "ci_low": float, "ci_high": float})


class TableMap(Mapping):
    """``result.tables``: table name -> DataFrame, in writing order.

    Calling it (``result.tables()``, the API before #24) returns the :class:`Table` records, as
    :meth:`Result.table_files` does, with a DeprecationWarning."""

    def __init__(self, owner: str, records: list[Table]):
        self._owner = owner
        self._records = list(records)
        self._frames = {t.name: t.frame for t in self._records}

    def __getitem__(self, name: str):
        try:
            return self._frames[name]
        except KeyError:
            raise KeyError(f"{self._owner} has no table {name!r}; it has {', '.join(self._frames) or 'none'}") \
                from None

    def __iter__(self):
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __call__(self) -> list[Table]:
        warnings.warn("result.tables() is result.table_files() (result.tables is now a mapping of name to "
                      "DataFrame)", DeprecationWarning, stacklevel=2)
        return list(self._records)

    def __repr__(self) -> str:
        return f"<tables of {self._owner}: {', '.join(self._frames)}>"


def table_frame(result: "Result", frame):
    """``frame`` as a DataFrame that is also ``result.table`` (see :class:`Result`): for the two results
    whose ``table`` attribute was a DataFrame before #24 (``Table1``, ``AuditResult``)."""
    got = TableFrame(frame)
    got._owner = result
    return got


class Result:
    """Base of every analysis result. Subclasses are frozen dataclasses with a ``settings`` dict field
    (what goes into provenance); see the module's docstring for the contract."""

    #: the analysis' name (provenance, the ``analysis`` column of :meth:`tidy`)
    analysis: str = "analysis"
    #: the formats :meth:`write` uses when none are given
    default_formats: tuple = ("csv",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("tables")
        if callable(own) and not isinstance(own, property):   # the records method's name before #24
            cls.table_files = own
            cls.tables = Result.__dict__["tables"]
        # the dataclass decorator (run after this) writes its own field-by-field __repr__ unless the class
        # has one: every result shows its headline numbers instead
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Result.__repr__

    def table_files(self) -> list[Table]:  # pragma: no cover - abstract
        """The result's table files, as :class:`Table` records in writing order."""
        raise NotImplementedError

    def tidy(self):  # pragma: no cover - abstract
        """Every number computed, one row each (:data:`TIDY_COLUMNS` first)."""
        raise NotImplementedError

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """Write the result's figures into ``folder``; none by default."""
        return []

    def json_files(self) -> dict:
        """Records written as ``NAME.json`` beside the tables (name -> JSON-able dict); none by default."""
        return {}

    @property
    def tables(self) -> TableMap:
        """Table name -> DataFrame, in writing order (``result.tables["table2"]``)."""
        return TableMap(type(self).__name__, self.table_files())

    def table(self, name: str | None = None):
        """The DataFrame of the table file ``name`` (e.g. ``result.table("table2")``); without a name, the
        first publication table (the result's main table)."""
        if name is None:
            records = self.table_files()
            main = next((t for t in records if t.publication), records[0] if records else None)
            if main is None:
                raise KeyError(f"{type(self).__name__} has no table")
            return main.frame
        return Result.tables.fget(self)[name]

    def write(self, out, formats: Iterable[str] | None = None, *, figures: bool = True, figure_dir=None,
              note: str | None = None, numeric_dir=None) -> list[Path]:
        """Write every table into ``out`` and the figures into ``figure_dir`` (default ``out/figures``).

        Publication tables are written in ``formats`` (default :attr:`default_formats`; CSV always),
        numeric tables as CSV only, into ``numeric_dir`` when given (the study keeps per-feature tables beside
        the features); ``note`` is appended to every publication table's note. Returns the paths written,
        tables first."""
        formats = tuple(self.default_formats if formats is None else formats)
        out = Path(out)
        written: list[Path] = []
        for t in self.table_files():
            if t.publication:
                text = " ".join(s for s in (t.note, note) if s) or None
                fmts = formats if t.formats is None else tuple(f for f in formats if f in t.formats)
                written += write_table(t.frame, out / t.name, fmts, title=t.title, note=text, html=t.html)
            else:
                for fmt in t.formats or ("csv",):
                    target = Path(numeric_dir or out) / f"{t.name}.{fmt}"
                    written.append(write_parquet(target, t.frame) if fmt == "parquet" else write_csv(target, t.frame))
        for name, record in self.json_files().items():
            written.append(write_json(out / f"{name}.json", record))
        if figures:
            written += self.figures(Path(figure_dir) if figure_dir is not None else out / "figures")
        return written

    def summary(self) -> str | None:
        """The headline numbers in one line (``None``: the repr shows the first publication table)."""
        return None

    def _headline(self):
        """(names of the tables, the summary line or None, the first publication table or None)."""
        records = self.table_files()
        line = self.summary()
        if isinstance(line, str):   # a long summary (every finding of an audit) shows its first lines
            lines = line.splitlines()
            line = "\n".join(lines[:8] + ([f"... ({len(lines) - 8} more lines: .summary())"] if len(lines) > 8
                                            else []))
        else:
            line = None
        first = next((t for t in records if t.publication), records[0] if records else None)
        return [t.name for t in records], line, first

    def __repr__(self) -> str:
        try:
            names, line, first = self._headline()
        except Exception as exc:  # a repr must never raise (a half-built result in a debugger)
            return f"<{type(self).__name__}: ({type(exc).__name__} while listing its tables)>"
        text = f"<{type(self).__name__}: {', '.join(names) or 'no tables'}>"
        if line:
            text += f"\n{line}"
        if first is not None:
            text += f"\n{first.name}:\n{first.frame.to_string(max_rows=12, max_cols=8)}"
        return text

    def _repr_html_(self) -> str:
        names, line, first = self._headline()
        parts = [f"<p><b>{html.escape(type(self).__name__)}</b>: {html.escape(', '.join(names))}</p>"]
        if line:
            parts.append(f"<p>{html.escape(line)}</p>")
        if first is not None:
            parts.append(first.frame.to_html(max_rows=12, max_cols=8, index=False))
        return "".join(parts)


@dataclass(frozen=True, eq=False)
class PartialResult(Result):
    """The tables an analysis finished before an error (carried as the error's ``partial``): a command keeps
    them, as a failed run's finished work (:func:`eprstats.reporting.writer.keep_partial`)."""

    analysis = "partial"

    finished: tuple
    settings: dict

    def table_files(self) -> list[Table]:
        return list(self.finished)

    def tidy(self):
        return tidy_frame([])
