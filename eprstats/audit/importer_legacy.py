"""What ``audit-import`` writes in the seed schema's files must be what ``audit`` reads: each draft file is read
back by the audit's own reader (:func:`eprstats.audit.schema.read_paper`) before it is kept.

* A table that the seed schema's reader also wrote into ``published_table1/2/3.csv`` is checked there, by the
  legacy checks only: ``tables.csv`` names the file in its ``legacy`` column and the audit leaves that
  table's cells out of the cell checks (the same numbers are never checked twice).
* A legacy table with a value the audit's reader refuses (``RE`` as an AUC, ``96.8% (96.2-97.4)`` as a
  sensitivity, a blank CI bound) is not written at all: its numbers stay in ``cells.csv`` / ``unplaced.csv``
  and get the cell checks; ``tables.csv``'s ``legacy_note`` keeps the reader's words.
* A row of ``claims.csv``, ``cohorts.csv`` or ``binary_models.csv`` that the reader refuses goes to
  ``unplaced.csv`` with the reader's words as its reason.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..errors import InputError
from ..fileio import write_csv
from .schema import check_claim_names, read_paper

#: a legacy table's kind -> the files the seed schema's reader writes for it
LEGACY_FILES = {"table1": ("published_table1", "published_table1_percent"), "table2": ("published_table2",),
                "table3": ("published_table3",)}
#: text files whose refused row goes to unplaced.csv: file stem -> (the column that holds the number, its kind)
ROW_FILES = {"claims": "value", "cohorts": "n", "binary_models": "positive_level"}


def _write(frames: dict, folder: Path) -> None:
    for name, frame in frames.items():
        if name in ("claims", "cohorts", "binary_models", "cells", "unplaced") and not len(frame):
            continue        # as ImportedPaper.tables(): an empty file of these is not written
        write_csv(folder / f"{name}.csv", frame)


def _refusal(frames: dict) -> InputError | None:
    """The audit reader's first refusal of the draft files, or None when ``audit`` reads them all."""
    with tempfile.TemporaryDirectory(prefix="eprstats-import-") as tmp:
        _write(frames, Path(tmp))
        try:
            paper = read_paper(tmp)
            if paper.claims is not None:
                check_claim_names(paper)
        except InputError as exc:
            exc.file = Path(exc.file).name if exc.file else exc.file
            return exc
    return None


def keep_readable(frames: dict, legacy: dict, text_unplaced) -> tuple[dict, list]:
    """``frames`` with every file the audit reads: a refused legacy table dropped (its cells stay), a refused
    text row moved to unplaced. ``legacy``: kind -> the tables.csv row (a dict) of the table written there;
    ``text_unplaced(line, kind, text, reason)`` makes an unplaced row. Sets tables.csv's ``legacy`` /
    ``legacy_note`` columns; returns the frames and the moved rows (for unplaced.csv)."""
    notes = {kind: "" for kind in legacy}
    for kind in list(legacy):          # a table of the schema's shape that gave no row: nothing written there
        if all(not len(frames.get(f, ())) for f in LEGACY_FILES[kind]):
            for f in LEGACY_FILES[kind]:
                frames.pop(f, None)
            notes[kind] = "the seed schema's reader found no row of it"
    moved = []
    for _ in range(10_000):          # each round removes one table or one row, so this ends
        exc = _refusal(frames)
        if exc is None:
            break
        stem = (exc.file or "").removesuffix(".csv")
        kind = next((k for k, files in LEGACY_FILES.items() if stem in files and k in legacy), None)
        if kind is not None:
            for f in LEGACY_FILES[kind]:
                frames.pop(f, None)
            notes[kind] = f"not written to {LEGACY_FILES[kind][0]}.csv, which audit would refuse: {exc.problem}"
            continue
        m = re.match(r"row (\d+)", exc.problem)
        if stem in ROW_FILES and m and 0 <= int(m.group(1)) - 2 < len(frames[stem]):
            i = int(m.group(1)) - 2
            row = frames[stem].iloc[i]
            what = row["quantity"].split(":")[0] if stem == "claims" else stem
            moved.append(text_unplaced(row.get("line", ""), what, str(row.get(ROW_FILES[stem], "")),
                                       f"audit would refuse it in {stem}.csv: {exc.problem}"))
            frames[stem] = frames[stem].drop(index=frames[stem].index[i]).reset_index(drop=True)
            continue
        raise exc                    # a refusal of no table and no row: a bug of the importer, not the paper's
    for kind, row in legacy.items():
        row["legacy"] = "" if notes[kind] else f"{LEGACY_FILES[kind][0]}.csv"
        row["legacy_note"] = notes[kind]
    return frames, moved
