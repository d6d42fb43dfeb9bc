"""The audit folder: a paper's published numbers as CSV files, read as printed text.

Numbers are kept as they were printed (:class:`Printed`), because a reviewer checks a value to the
precision it was printed with: ``0.94`` is any number in [0.935, 0.945), ``0.940`` one in
[0.9395, 0.9405). The schema is documented in ``docs/audit.md``.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..fileio import read_csv
from ..validation import closest
from .cells import read_cells
from .printed import TABLE1_GROUPS, TABLE1_P, Printed, parse_number  # noqa: F401 (re-exported)
from .registry import KINDS, ORDER_METRICS, RELATIONS, UnknownQuantity, known_quantities, parse_quantity
from .table1_format import GROUPS_FILE, read_groups, split_continuous

#: file name -> (required, required columns, optional columns, numeric columns, blank allowed in)
FILES = {
    "cohorts.csv": (True, ("where", "cohort", "n", "events", "nonevents"), (),
                    ("n", "events", "nonevents"), ("n", "events", "nonevents")),
    "published_table1.csv": (False, ("variable", "level", "train_non_epr", "train_epr", "external_non_epr",
                                     "external_epr", "p_train", "p_external", "p_between_cohorts"), ("test",),
                             ("train_non_epr", "train_epr", "external_non_epr", "external_epr", "p_train",
                              "p_external", "p_between_cohorts"),
                             ("p_train", "p_external", "p_between_cohorts")),
    "published_table1_percent.csv": (False, ("variable", "level", "train_non_epr", "train_epr",
                                             "external_non_epr", "external_epr"), (),
                                     ("train_non_epr", "train_epr", "external_non_epr", "external_epr"), ()),
    "published_table2.csv": (False, ("model", "cohort", "auc", "auc_ci_low", "auc_ci_high", "sensitivity",
                                     "specificity"), (),
                             ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity"), ()),
    "published_table3.csv": (False, ("term", "beta", "odds_ratio", "or_ci_low", "or_ci_high", "p"), (),
                             ("beta", "odds_ratio", "or_ci_low", "or_ci_high", "p"),
                             ("beta", "odds_ratio", "or_ci_low", "or_ci_high", "p")),
    "claims.csv": (False, ("where", "quantity", "value"), ("numerator", "denominator", "quote"),
                   ("numerator", "denominator"), ("numerator", "denominator")),
    "binary_models.csv": (False, ("model", "variable", "positive_level"), ("where",), (), ()),
    # any number of group columns (COHORT or COHORT:GROUP) and P columns: read by table1_format.read_groups
    "published_table1_groups.csv": (False, ("variable", "level"), ("test",), (), ()),
}

#: the cell form's file (docs/audit.md, "The cell form"): read beside the files above when present
CELLS_FILE = "cells.csv"
#: any of these makes a folder one of the cell form, which needs no cohorts.csv
CELL_FORM = (CELLS_FILE, "unplaced.csv", "tables.csv")

#: claim quantities: kind -> the number of ':'-separated parts after it (declared in registry.KINDS)
QUANTITIES = {name: len(k.parts) for name, k in KINDS.items()}

_WITH_CI = re.compile(r"^\s*([^()]+?)\s*\(\s*(?:95\s*%\s*CI[,:]?\s*)?([-+]?\d*\.?\d+)\s*(?:-|–|—|to|,)\s*"
                      r"([-+]?\d*\.?\d+)\s*\)\s*\*?\s*$")


def parse_value_with_ci(text, *, file: str, column: str, row: int):
    """``0.774 (0.627-0.920)`` -> (estimate, low, high); a plain number -> (number, None, None)."""
    raw = str(text).strip()
    m = _WITH_CI.match(raw)
    if m:
        return tuple(parse_number(g, file=file, column=column, row=row) for g in m.groups())
    return parse_number(raw, file=file, column=column, row=row), None, None


@dataclass
class Paper:
    """A paper's published numbers, parsed; tables absent from the folder are None."""

    folder: Path
    cohorts: pd.DataFrame
    table1: pd.DataFrame | None = None
    table1_percent: pd.DataFrame | None = None
    table2: pd.DataFrame | None = None
    table3: pd.DataFrame | None = None
    claims: pd.DataFrame | None = None
    binary_models: pd.DataFrame | None = None
    files: list = field(default_factory=list)
    #: published_table1.csv's mean (SD) / median (IQR) rows (table1_format.continuous_frame); table1 keeps
    #: its count rows only
    table1_continuous: pd.DataFrame | None = None
    #: published_table1_groups.csv, a Table 1 of any number of groups (table1_format.GroupTable)
    table1_groups: object = None
    #: cells.csv: the paper's numbers as printed cells (cells.Cell), or None
    cells: list | None = None


def _read_as_text(path: Path, what: str) -> pd.DataFrame:
    read_csv(path, what)  # the shared reader's clear errors: missing, empty, not UTF-8, unparsable
    text = path.read_bytes().decode("utf-8-sig")
    first = text.splitlines()[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda s: s.str.strip())


def _load(folder: Path, name: str, rows=None) -> pd.DataFrame | None:
    """One file read and its numbers parsed; ``rows(frame, path)`` first sets rows apart (Table 1's
    continuous rows), leaving the file line of each kept row in ``attrs["lines"]``."""
    required, columns, optional, numeric, blank_ok = FILES[name]
    path = folder / name
    if not path.exists():
        if required:
            raise InputError(f"the audit folder has no {name}", "add it, or a cells.csv (see docs/audit.md for "
                             "their columns)",
                             file=str(path))
        return None
    frame = _read_as_text(path, name)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{name} lacks column(s) {missing}", f"its columns are {', '.join(columns)}"
                         + (f" (optional: {', '.join(optional)})" if optional else ""),
                         file=str(path), column=missing[0])
    if frame.empty and name != "cohorts.csv":
        return None   # a header-only file (as audit-import writes one for a table it found nothing of) is no table
    for c in optional:
        if c not in frame.columns:
            frame[c] = ""
    if rows is not None:
        frame = rows(frame, path)
        if frame.empty:
            return None
    lines = frame.attrs.get("lines") or list(range(2, len(frame) + 2))
    for c in numeric:
        frame[c] = [parse_number(v, file=str(path), column=c, row=line, allow_blank=c in blank_ok)
                    for line, v in zip(lines, frame[c])]
    for c in columns:
        if c not in numeric and (frame[c] == "").any():
            i = int((frame[c] == "").to_numpy().argmax())
            raise InputError(f"row {lines[i]}: {c!r} is blank", "fill it in", file=str(path), column=c)
    return frame


def _check_counts(frame: pd.DataFrame, name: str, columns, path: Path) -> None:
    lines = frame.attrs.get("lines") or list(range(2, len(frame) + 2))
    for c in columns:
        for line, v in zip(lines, frame[c]):
            if v is not None and (v.decimals or v.value < 0 or v.below or v.above or v.percent):
                raise InputError(f"row {line}: {v.text!r} is not a count", "counts are whole numbers >= 0"
                                 + (" (a continuous row's level starts with mean or median)"
                                    if name == "published_table1.csv" else ""), file=str(path), column=c)


def _proportions(frame: pd.DataFrame, columns, path: Path) -> None:
    """Table 2's AUCs, CIs, sensitivities and specificities as proportions: a printed percentage (71.7%)
    becomes the proportion with two more decimals (0.717); a value outside [0, 1] is an error, since
    ``75.0`` without its % sign would otherwise be checked as an AUC of 75."""
    for c in columns:
        for i, v in enumerate(frame[c]):
            if v is None:
                continue
            if v.percent:
                v = Printed(v.text, v.value / 100, v.decimals + 2, below=v.below, above=v.above)
                frame.at[frame.index[i], c] = v
            if not 0 <= v.value <= 1:
                raise InputError(f"row {i + 2}: {v.text!r} is not a proportion between 0 and 1",
                                 "write AUC, CI, sensitivity and specificity as printed, either as proportions "
                                 "(0.750) or with their % sign (75.0%)", file=str(path), column=c)


def check_claim_names(paper: Paper) -> None:
    """A claim naming a model, cohort, term or variable that no table of the folder has is a typo (it
    would otherwise be silently not checkable): an error naming the closest names. A name is checked only
    against a table the folder has (without Table 2, its models cannot be known). Called by run_checks after
    the cohorts' sizes are known, so that an error of a table itself (a group without patients) is named first."""
    path = paper.folder / "claims.csv"

    cohorts = set(paper.cohorts["cohort"])
    if paper.table2 is not None:
        cohorts |= set(paper.table2["cohort"])
    if paper.table1 is not None:
        cohorts |= {c for c, _ in TABLE1_GROUPS.values()}
    known = {"cohort": cohorts | {"all"}, "comparison": {"training", "external", "between"}}
    if paper.table2 is not None:
        known["model"] = set(paper.table2["model"])
    if paper.table3 is not None:
        known["term"] = set(paper.table3["term"])
    variables = [f["variable"] for f in (paper.table1, paper.table1_continuous) if f is not None]
    if paper.table1_groups is not None:
        g = paper.table1_groups
        variables += [f["variable"] for f in (g.counts, g.continuous) if f is not None]
        known["cohort"] |= {cohort for _, cohort, _ in g.groups}
    if variables:
        known["variable"] = set().union(*map(set, variables))
    files = {"model": "published_table2.csv", "term": "published_table3.csv",
             "variable": "published_table1.csv", "cohort": "cohorts.csv and the tables", "comparison": ""}
    for i, q in enumerate(paper.claims["quantity"]):
        kind, parts = parse_quantity(q)
        for role, name in kind.names(parts):
            if role in known and name not in known[role]:
                near = closest(name, sorted(known[role]))
                raise InputError(f"row {i + 2}: {q!r} names the {role} {name!r}, which no table has"
                                 + (f" (did you mean {' or '.join(map(repr, near))}?)" if near else ""),
                                 f"use a {role} name as spelled in {files[role] or 'the schema'}: "
                                 f"{', '.join(sorted(known[role]))}", file=str(path), column="quantity",
                                 **({role: name} if role in ("model", "cohort") else {}))


def name_key(name: str) -> str:
    """How the audit compares names of cohorts, models, terms and variables (docs/audit.md, "Names"): as
    printed, except that two names differing only by case or surrounding spaces are one name written two
    ways, which is an error (:func:`check_spellings`) rather than two cohorts."""
    return " ".join(str(name).split()).casefold()


def check_spellings(names, *, file: str, column: str, what: str) -> None:
    """``Training`` beside ``training`` (or ``training ``) in one column: an error naming both spellings, since
    reading them as two cohorts would leave each without the other's counts (and the checks not checkable)."""
    spellings: dict[str, list[str]] = {}
    for name in dict.fromkeys(str(n) for n in names):
        spellings.setdefault(name_key(name), []).append(name)
    clash = [v for v in spellings.values() if len(v) > 1]
    if clash:
        shown = "; ".join(" vs ".join(repr(s) for s in v) for v in clash)
        raise InputError(f"{what} names that differ only by case or spaces: {shown}",
                         f"write each {what} the same way in every row (and file)", file=file, column=column)


def _check_all_spellings(paper: "Paper") -> None:
    folder = paper.folder
    cohorts = list(paper.cohorts["cohort"])
    sources = [("cohorts.csv", "cohort", cohorts)]
    if paper.table2 is not None:
        cohorts += list(paper.table2["cohort"])
        sources.append(("published_table2.csv", "model", list(paper.table2["model"])))
        sources.append(("cohorts.csv and published_table2.csv", "cohort", cohorts))
    if paper.table3 is not None:
        sources.append(("published_table3.csv", "term", list(paper.table3["term"])))
    if paper.table1 is not None:
        sources.append(("published_table1.csv", "variable", list(paper.table1["variable"])))
    for file, column, names in sources:
        check_spellings(names, file=str(folder / file.split(" and ")[0]) if " and " not in file else file,
                        column=column, what=column)


def legacy_tables(folder: Path) -> set:
    """The tables that tables.csv says were also written to a seed-schema file present in the folder: the
    legacy checks check them, so their cells are not checked a second time (docs/audit_import.md)."""
    path = folder / "tables.csv"
    if not path.exists():
        return set()
    frame = _read_as_text(path, "tables.csv")
    if "legacy" not in frame.columns or "table" not in frame.columns:
        return set()
    return {t for t, f in zip(frame["table"], frame["legacy"]) if f and (folder / f).exists()}


def read_paper(folder) -> Paper:
    """Read and validate an audit folder (see docs/audit.md); InputError names the file and column."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("the audit folder does not exist or is not a folder",
                         "give the folder holding cohorts.csv and the published tables", file=str(folder))
    cell_form = any((folder / name).exists() for name in CELL_FORM)
    if cell_form and not (folder / "cohorts.csv").exists():
        # a folder in the cell form needs no cohorts.csv: its cohorts' sizes are cells
        paper = Paper(folder, pd.DataFrame({c: pd.Series([], dtype=object) for c in FILES["cohorts.csv"][1]}))
    else:
        paper = Paper(folder, _load(folder, "cohorts.csv"))
    if cell_form:
        paper.cells = read_cells(folder / CELLS_FILE) if (folder / CELLS_FILE).exists() else []
        legacy = legacy_tables(folder)
        paper.cells = [c for c in paper.cells if c.table not in legacy]

    def continuous_apart(frame, path):
        frame, paper.table1_continuous = split_continuous(frame, TABLE1_GROUPS, TABLE1_P, path)
        return frame

    paper.table1 = _load(folder, "published_table1.csv", continuous_apart)
    if (folder / GROUPS_FILE).exists():
        paper.table1_groups = read_groups(_read_as_text(folder / GROUPS_FILE, GROUPS_FILE), folder / GROUPS_FILE)
    paper.table1_percent = _load(folder, "published_table1_percent.csv")
    paper.table2 = _load(folder, "published_table2.csv")
    if paper.table2 is not None:
        _proportions(paper.table2, FILES["published_table2.csv"][3], folder / "published_table2.csv")
    paper.table3 = _load(folder, "published_table3.csv")
    paper.claims = _load(folder, "claims.csv")
    paper.binary_models = _load(folder, "binary_models.csv")
    paper.files = sorted(n for n in (*FILES, CELLS_FILE) if (folder / n).exists())
    _check_all_spellings(paper)
    _check_counts(paper.cohorts, "cohorts.csv", ("n", "events", "nonevents"), folder / "cohorts.csv")
    for i, row in paper.cohorts.iterrows():
        if row["n"] is None and row["events"] is None and row["nonevents"] is None:
            raise InputError(f"row {i + 2}: none of n, events, nonevents is given", "give at least one count",
                             file=str(folder / "cohorts.csv"), column="n")
    if paper.table1 is not None:
        _check_counts(paper.table1, "published_table1.csv", TABLE1_GROUPS, folder / "published_table1.csv")
    if paper.claims is not None:
        path = folder / "claims.csv"
        _check_counts(paper.claims, "claims.csv", ("numerator", "denominator"), path)
        for i, d in enumerate(paper.claims["denominator"]):
            if d is not None and d.value == 0:
                raise InputError(f"row {i + 2}: the denominator is 0", "give the number of patients the "
                                 "percentage is of, or leave numerator and denominator blank", file=str(path),
                                 column="denominator")
        kinds = []
        for i, q in enumerate(paper.claims["quantity"]):
            try:
                kinds.append(parse_quantity(q))
            except UnknownQuantity:
                raise InputError(f"row {i + 2}: unknown quantity {q!r}", f"use one of {known_quantities()}",
                                 file=str(path), column="quantity") from None
        parsed = []
        for i, ((kind, parts), v) in enumerate(zip(kinds, paper.claims["value"])):
            if kind.value == "relation":
                if parts[0] not in ORDER_METRICS or v not in RELATIONS:
                    raise InputError(f"row {i + 2}: an order claim is order:{'|'.join(ORDER_METRICS)}:A:B:COHORT"
                                     f" with value one of {' '.join(RELATIONS)} (got {paper.claims['quantity'][i]!r},"
                                     f" {v!r})", "e.g. quantity order:auc:PVP_DLR:AP:external, value >",
                                     file=str(path), column="value")
                parsed.append((v, None, None))
                continue
            if kind.value == "word":   # e.g. ci_method:auc = DeLong
                parsed.append((v, None, None))
                continue
            est, lo, hi = parse_value_with_ci(v, file=str(path), column="value", row=i + 2)
            parsed.append((est, lo, hi))
        paper.claims["estimate"] = [p[0] for p in parsed]
        paper.claims["ci_low"] = [p[1] for p in parsed]
        paper.claims["ci_high"] = [p[2] for p in parsed]
    return paper
