"""The result objects every analysis returns: publication tables, tidy numbers, one way to write them.

Each Methods-step function (``ep.table1``, ``ep.discrimination``, ``ep.calibrate`` ...) returns a frozen
subclass of :class:`Result`. The command line, the study runner and a notebook all get the same object and
write it through the same :meth:`Result.write`, so a command and the matching study stage write the same file
names with the same bytes.

A subclass implements

* :meth:`Result.tables`: the files it writes, as :class:`Table` records (publication tables in every format
  asked for, numeric tables as CSV only), in writing order;
* :meth:`Result.tidy`: every number it computed, one row each, in the columns :data:`TIDY_COLUMNS`: the format
  that comparison with a paper's printed numbers reads;
* optionally :meth:`Result.figures` (figures under ``figures/``) and :meth:`Result.summary` (a few lines).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

#: the columns of :meth:`Result.tidy`, in order
TIDY_COLUMNS = ("analysis", "table", "row", "column", "model", "cohort", "statistic", "value", "ci_low",
                "ci_high", "n", "events")


@dataclass(frozen=True)
class Table:
    """One table file of a result: ``name`` is the file stem (``table2`` -> ``table2.csv``, ``table2.md``...)."""

    name: str
    frame: object                  #: a pandas DataFrame
    title: str | None = None
    note: str | None = None
    publication: bool = True       #: written in every format asked for; otherwise CSV only (numeric tables)


def tidy_frame(rows: Iterable[dict]):
    """Rows (dicts with some of :data:`TIDY_COLUMNS`) as a DataFrame with exactly those columns, in order."""
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    for col in TIDY_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[list(TIDY_COLUMNS)]
    return frame.astype({"value": float, "ci_low": float, "ci_high": float})


class Result:
    """Base of every analysis result. Subclasses are frozen dataclasses with a ``settings`` dict field
    (what goes into provenance)."""

    #: the analysis' name (provenance, the ``analysis`` column of :meth:`tidy`)
    analysis: str = "analysis"

    def tables(self) -> list[Table]:  # pragma: no cover - abstract
        raise NotImplementedError

    def tidy(self):  # pragma: no cover - abstract
        """Every number computed, one row each (:data:`TIDY_COLUMNS`)."""
        raise NotImplementedError

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """Write the result's figures into ``folder``; none by default."""
        return []

    def table(self, name: str):
        """The DataFrame of the table file ``name`` (e.g. ``result.table("table2")``)."""
        for t in self.tables():
            if t.name == name:
                return t.frame
        raise KeyError(f"{type(self).__name__} has no table {name!r}; it has "
                       f"{', '.join(t.name for t in self.tables())}")

    def write(self, out, formats: Iterable[str] = ("csv",), *, figures: bool = True, figure_dir=None,
              note: str | None = None) -> list[Path]:
        """Write every table into ``out`` (publication tables in ``formats``, CSV always) and the figures into
        ``figure_dir`` (default ``out/figures``); ``note`` is appended to every publication table's note.
        Returns the paths written, tables first."""
        from .reporting.tables import write_table
        from .fileio import write_csv

        out = Path(out)
        written: list[Path] = []
        for t in self.tables():
            if t.publication:
                text = " ".join(s for s in (t.note, note) if s) or None
                written += write_table(t.frame, out / t.name, formats, title=t.title, note=text)
            else:
                written.append(write_csv(out / f"{t.name}.csv", t.frame))
        if figures:
            written += self.figures(Path(figure_dir) if figure_dir is not None else out / "figures")
        return written

    def __repr__(self) -> str:
        names = ", ".join(t.name for t in self.tables())
        return f"<{type(self).__name__}: {names}>"


@dataclass(frozen=True, eq=False)
class PartialResult(Result):
    """The tables an analysis finished before an error (carried as the error's ``partial``): a command keeps
    them, as a failed run's finished work (:func:`eprstats.reporting.writer.keep_partial`)."""

    analysis = "partial"

    finished: tuple
    settings: dict

    def tables(self) -> list[Table]:
        return list(self.finished)

    def tidy(self):
        return tidy_frame([])
