"""``compare(published, results)``: every printed number of a paper beside the number a run recomputed.

The published side is an audit folder (docs/audit.md, read by :func:`eprstats.audit.schema.read_paper`).
The recomputed side is a run: a study's output folder, the ``--out`` folders of ``eprstats table1`` /
``roc`` / ``fit`` (under one folder), or the result objects themselves. Its numeric tables are read into the
tidy rows every result gives (:meth:`eprstats.results.Result.tidy`): Table 1 from ``<stem>.csv`` (counts, and
continuous summaries as printed: :mod:`.compare_table1`) and ``<stem>_tests.csv``, Table 2 from ``roc.csv``
(and the paired DeLong P values from ``delong_paired_numeric.csv``), Table 3 from ``table3_numeric.csv``. How a number is judged is in
:mod:`eprstats.audit.compare_report`; the command and the files in docs/compare.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..evaluation.discrimination_result import BETWEEN_COLUMNS, PAIRED_COLUMNS, Discrimination
from ..fileio import read_csv
from ..results import TIDY_COLUMNS, Result, Table, tidy_frame
from ..validation import arguments, closest
from .compare_report import COLUMNS, DIFFERENT, EQUAL, NOT_RECOMPUTED, html_page, judge, printed_numbers, \
    summary_line
from .compare_table1 import SUMMARY_STATS as _SUMMARY_STATS
from .compare_table1 import text_frame as _text_frame
from .compare_table1 import table1_tidy as _table1_tidy
from .compare_table1 import with_table1 as _with_table1
from .registry import parse_quantity
from .schema import read_paper

#: the columns :meth:`Comparison.tidy` adds after :data:`eprstats.results.TIDY_COLUMNS`
TIDY_EXTRA = ("printed", "recomputed", "verdict", "difference")


class _Missing(Exception):
    """A printed number the run has no number for; the message says why."""


# ------------------------------------------------------------------------------------ the run, as tidy rows
def _roc_tidy(roc_path: Path, paired_path: Path | None) -> pd.DataFrame:
    """Table 2's tidy rows (and the paired DeLong tests') from ``roc.csv``, as the result gives them."""
    roc = read_csv(roc_path, "ROC table", text_columns=("model", "cohort", "direction"))
    paired = (read_csv(paired_path, "DeLong table", text_columns=("model_1", "model_2", "cohort"))
              if paired_path is not None else pd.DataFrame(columns=PAIRED_COLUMNS))
    return Discrimination(roc=roc, paired=paired, between_cohorts=pd.DataFrame(columns=BETWEEN_COLUMNS),
                          curves=None, values=None, settings={}).tidy()


def _table3_tidy(path: Path) -> pd.DataFrame:
    """Table 3's tidy rows from ``table3_numeric.csv`` (the rows :meth:`ModelFit.tidy` gives for it)."""
    frame = read_csv(path, "Table 3", text_columns=("term",))
    rows = []
    for t in frame.to_dict("records"):
        for stat in ("beta", "se", "z", "odds_ratio", "p"):
            if stat in t and pd.notna(t[stat]):
                ci = {"ci_low": t["or_ci_low"], "ci_high": t["or_ci_high"]} if stat == "odds_ratio" else {}
                rows.append({"analysis": "model", "table": "table3", "row": t["term"], "column": stat,
                             "statistic": stat, "value": t[stat], **ci})
    return tidy_frame(rows)


def read_run(results) -> pd.DataFrame:
    """The recomputed numbers of a run as tidy rows (:data:`~eprstats.results.TIDY_COLUMNS` and ``source``;
    ``decimals`` too where a Table 1 file prints means or medians: the decimals it rounds them to).

    ``results`` is a folder (searched with its subfolders, hidden ones left out), or result objects (their
    :meth:`~eprstats.results.Result.tidy`)."""
    if not isinstance(results, (str, Path)):
        frames = []
        for i, res in enumerate(results):  # numbered: two results giving one number are told apart
            is_result = isinstance(res, Result)
            frames.append((res.tidy() if is_result else res).assign(
                source=f"{res.analysis if is_result else 'tidy rows'} (result {i + 1})"))
        frames = [f.astype(object) for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else tidy_frame([]).assign(source=None)
    root = Path(results)
    if not root.is_dir():
        raise InputError("the results folder does not exist or is not a folder", "give a study's output folder "
                         "or the --out folder of eprstats table1 / roc / fit", file=str(root))
    files = sorted(p for p in root.rglob("*.csv") if not any(s.startswith(".") for s in p.relative_to(root).parts))
    frames = []
    for p in files:
        rel = str(p.relative_to(root))
        layout = p.with_name(p.name[:-len("_tests.csv")] + ".csv")
        if p.name.endswith("_tests.csv") and layout.is_file() and \
                p.read_text(encoding="utf-8-sig").startswith("variable,comparison,"):
            frame = _table1_tidy(layout, p)
            # P values come from the tests file, counts and percentages from the table itself
            frame["source"] = [rel if s == "p" else str(layout.relative_to(root)) for s in frame["statistic"]]
            frames.append(frame)
        elif p.name == "roc.csv":
            paired = p.with_name("delong_paired_numeric.csv")
            frame = _roc_tidy(p, paired if paired.is_file() else None)
            frame["source"] = [str(paired.relative_to(root)) if t == "delong_paired" else rel
                               for t in frame["table"]]
            frames.append(frame)
        elif p.name == "table3_numeric.csv":
            frames.append(_table3_tidy(p).assign(source=rel))
    if not frames:
        raise InputError("the results folder holds no recomputed table (TABLE1_tests.csv with TABLE1.csv, "
                         "roc.csv, table3_numeric.csv)", "give a study's output folder or the --out folder(s) "
                         "of eprstats table1 / roc / fit", file=str(root))
    # object columns: the frames' all-blank columns (a Table 1 has no CIs) keep their blanks as they are
    return pd.concat([f.astype(object) for f in frames if len(f)], ignore_index=True)


# ------------------------------------------------------------------------------------ the run, indexed
def _level(x) -> str:
    """A level as a key: ``1``, ``1.0`` and ``"1"`` are one level."""
    try:
        f = float(x)
        return str(int(f)) if f.is_integer() else repr(f)
    except (TypeError, ValueError):
        return str(x).strip()


class _Run:
    """The run's numbers by what they are (Table 1 cell, Table 2 statistic ...), and its names."""

    def __init__(self, tidy: pd.DataFrame, mapping: dict):
        self.mapping = mapping
        self.values: dict = {}
        self.decimals: dict = {}     # a continuous Table 1 value read from a file: the decimals it was printed with
        self.names = {k: {} for k in ("variable", "level", "cohort1", "model", "cohort2", "term", "size", "shown",
                                      "group")}
        tidy = tidy.astype(object).where(tidy.notna(), None)
        t1 = tidy[tidy["analysis"] == "table1"]
        self._index_table1(t1)
        for r in tidy[tidy["analysis"] == "discrimination"].to_dict("records"):
            if r["table"] == "table2":
                self._add(("t2", r["statistic"], r["model"], r["cohort"]), r["value"], r["source"])
                if r["statistic"] == "auc":
                    self._add(("t2", "auc_ci_low", r["model"], r["cohort"]), r["ci_low"], r["source"])
                    self._add(("t2", "auc_ci_high", r["model"], r["cohort"]), r["ci_high"], r["source"])
                    self.names["model"][r["model"]] = self.names["cohort2"][r["cohort"]] = r["source"]
                    if not len(t1):  # cohort sizes from Table 2's rows when there is no Table 1
                        self._size(r["cohort"], r["events"], r["n"] - r["events"], r["source"])
            elif r["table"] == "delong_paired" and r["statistic"] == "p":
                a, b = r["model"].split(" vs ", 1)
                self._add(("delong", frozenset((a, b)), r["cohort"]), r["value"], r["source"])
        for r in tidy[(tidy["analysis"] == "model") & (tidy["table"] == "table3")].to_dict("records"):
            self.names["term"][r["row"]] = r["source"]
            self._add(("t3", r["statistic"], r["row"]), r["value"], r["source"])
            if r["statistic"] == "odds_ratio":
                self._add(("t3", "or_ci_low", r["row"]), r["ci_low"], r["source"])
                self._add(("t3", "or_ci_high", r["row"]), r["ci_high"], r["source"])

    def _add(self, key, value, source):
        if key in self.values and self.values[key][1] != source:
            raise InputError(f"two recomputed tables give the same number {key[1:]}: {self.values[key][1]} and "
                             f"{source}", "give a results folder holding one run of each table")
        self.values[key] = (None if value is None else float(value), source)

    def _size(self, cohort, events, nonevents, source):
        for stat, v in (("events", events), ("nonevents", nonevents), ("n", events + nonevents)):
            self._add(("size", stat, cohort), v, source)
        self.names["size"][cohort] = source

    def _index_table1(self, t1: pd.DataFrame) -> None:
        variables = sorted({r for r in t1.loc[t1["statistic"] == "p", "row"]} |
                           {r.rsplit(": ", 1)[0] for r in t1["row"] if ": " in r}, key=len, reverse=True)
        groups = t1[t1["row"] == "N"].to_dict("records")
        role = {}
        for r in groups:  # Table 1 lists each cohort's non-event group first
            first = not any(k[0] == r["cohort"] for k in role)
            role[(r["cohort"], r["column"])] = "nonevents" if first else "events"
            self.names["cohort1"][r["cohort"]] = r["source"]
        for cohort in dict.fromkeys(c for c, _ in role):  # Table 1's order (a set's order varies by process)
            sizes = {role[(r["cohort"], r["column"])]: int(r["value"]) for r in groups if r["cohort"] == cohort}
            if len(sizes) == 2:
                self._size(cohort, sizes["events"], sizes["nonevents"], groups[0]["source"])
        for r in t1.to_dict("records"):
            if r["statistic"] == "p":
                self.names["variable"][r["row"]] = r["source"]
                self._add(("t1_p", r["row"], r["cohort"] or "between cohorts"), r["value"], r["source"])
            elif r["statistic"] in ("n", "percent") and r["row"] != "N" and (r["cohort"], r["column"]) in role:
                var = next((v for v in variables if r["row"].startswith(v + ": ")), None)
                if var is None:
                    continue  # a continuous summary's n
                level = _level(r["row"][len(var) + 2:])
                self.names["variable"][var] = r["source"]
                self.names["level"].setdefault(var, set()).add(level)
                stat = "count" if r["statistic"] == "n" else "percent"
                for group in (role[(r["cohort"], r["column"])], f"label:{r['column']}"):   # by role or by name
                    self._add(("t1", stat, var, level, r["cohort"], group), r["value"], r["source"])
            elif r["statistic"] in _SUMMARY_STATS and (r["cohort"], r["column"]) in role:
                self.names["variable"][r["row"]] = r["source"]
                self.names["shown"].setdefault(r["row"], set()).add(r["statistic"])
                self.names["group"].setdefault(r["cohort"], set()).add(r["column"])
                for group in (role[(r["cohort"], r["column"])], f"label:{r['column']}"):
                    key = ("t1c", r["statistic"], r["row"], r["cohort"], group)
                    self._add(key, r["value"], r["source"])
                    d = r.get("decimals")
                    self.decimals[key] = int(d) if d is not None and d == d else None

    # ------------------------------------------------------------------ names
    def name(self, paper_name: str, kind: str, what: str, where: str) -> str:
        """The run's name for a paper's name (the mapping's, else the same), or _Missing with the closest."""
        candidates = self.names[kind]
        run_name = self.mapping.get(paper_name, paper_name)
        if run_name in candidates:
            return run_name
        if not candidates:
            raise _Missing(f"the run has no {where}")
        near = closest(run_name, candidates) or closest(paper_name, candidates)
        listed = ", ".join(near) if near else ", ".join(sorted(candidates)[:8])
        if paper_name in self.mapping:
            raise _Missing(f"{what} {paper_name!r} is mapped to {run_name!r}, which is not in the run's {where} "
                           f"(closest run names: {listed})")
        raise _Missing(f"{what} {paper_name!r} is not in the run's {where} (closest run names: {listed}); add "
                       f"a mapping row {paper_name},RUN_NAME if the run names it differently")

    def find(self, key: tuple):
        """(value, run names, source) of one printed number's key (see
        :func:`~.compare_report.printed_numbers`), or _Missing saying why there is none."""
        kind, rest = key[0], key[1:]
        if kind == "none":
            raise _Missing(rest[0])
        if kind == "t1c":
            return self._summary_value(*rest)
        if kind in ("t1", "t1_p"):
            var = self.name(rest[1 if kind == "t1" else 0], "variable", "variable", "Table 1")
            if kind == "t1":
                stat, _, level, cohort, role = rest
                if _level(level) not in self.names["level"].get(var, ()):
                    raise _Missing(f"level {level!r} of {var!r} is not in the run's Table 1 (levels: "
                                   f"{', '.join(sorted(self.names['level'].get(var, ())))})")
                cohort = self.name(cohort, "cohort1", "cohort", "Table 1")
                names, full = f"{var}: {level}, {cohort}", ("t1", stat, var, _level(level), cohort, role)
            else:
                cohort = rest[1] if rest[1] == "between cohorts" else self.name(rest[1], "cohort1", "cohort",
                                                                                 "Table 1")
                names, full = f"{var}, {cohort}", ("t1_p", var, cohort)
        elif kind == "t2":
            stat, model, cohort = rest
            model = self.name(model, "model", "model", "Table 2 (roc.csv)")
            cohort = self.name(cohort, "cohort2", "cohort", "Table 2 (roc.csv)")
            names, full = f"{model}, {cohort}", ("t2", stat, model, cohort)
        elif kind == "t3":
            term = self.name(rest[1], "term", "term", "Table 3 (table3_numeric.csv)")
            names, full = term, ("t3", rest[0], term)
        elif kind in ("size", "rate"):
            return self._size_value(kind, rest)
        else:  # delong
            a, b = (self.name(m, "model", "model", "Table 2 (roc.csv)") for m in rest[:2])
            cohort = self.name(rest[2], "cohort2", "cohort", "Table 2 (roc.csv)")
            names, full = f"{a} vs {b}, {cohort}", ("delong", frozenset((a, b)), cohort)
        if full not in self.values:
            what = {"t1_p": "p-value", "delong": "paired DeLong P"}.get(kind, full[1])
            raise _Missing(f"the run has no {what} for {names}")
        value, source = self.values[full]
        if value is None or value != value:
            raise _Missing(f"the run's value for {names} is blank")
        return value, names, source

    def _summary_value(self, stat, variable, cohort, group, decimals):
        """A continuous Table 1 value (mean, sd, median, q1, q3) of one group, at no coarser a precision than
        the paper prints it."""
        var = self.name(variable, "variable", "variable", "Table 1")
        cohort = self.name(cohort, "cohort1", "cohort", "Table 1")
        full, names = ("t1c", stat, var, cohort, group), f"{var}, {cohort} {group.replace('label:', '')}"
        if full not in self.values:
            shown = self.names["shown"].get(var)
            if not shown:
                raise _Missing(f"the run's Table 1 gives no mean (SD) or median (IQR) of {var!r}")
            if not any(k[:4] == full[:4] for k in self.values):
                raise _Missing(f"the run's Table 1 has no {stat} of {var!r} (it shows {', '.join(sorted(shown))})")
            raise _Missing(f"the run's Table 1 has no group {group.replace('label:', '')!r} in {cohort} (its groups: "
                           f"{', '.join(sorted(self.names['group'].get(cohort, ())))}, or events / nonevents)")
        value, source = self.values[full]
        if (self.decimals.get(full) or decimals) < decimals:
            raise _Missing(f"the run's file prints {stat} with {int(self.decimals[full])} decimals, the paper with "
                           f"{decimals}: too coarse to compare")
        return value, names, source

    def _size_value(self, kind, rest):
        stat, cohort = ("events", rest[0]) if kind == "rate" else rest
        if cohort == "all":
            cohorts = list(self.names["size"])
            if not cohorts:
                raise _Missing("the run has no cohort sizes (Table 1 or roc.csv)")
        else:
            cohorts = [self.name(cohort, "size", "cohort", "cohort sizes (Table 1 or roc.csv)")]
        total = {s: sum(self.values[("size", s, c)][0] for c in cohorts) for s in ("events", "nonevents", "n")}
        value = 100.0 * total["events"] / total["n"] if kind == "rate" else total[stat]
        return value, " + ".join(cohorts), self.values[("size", "n", cohorts[0])][1]


# ------------------------------------------------------------------------------------ mapping
def _paper_names(paper) -> set:
    names = {"training", "external"} if paper.table1 is not None else set()
    groups = paper.table1_groups
    for frame, cols in ((paper.table1, ("variable",)), (paper.table2, ("model", "cohort")),
                        (paper.table3, ("term",)), (paper.cohorts, ("cohort",)),
                        (paper.table1_continuous, ("variable",)),
                        *(((groups.counts, ("variable",)), (groups.continuous, ("variable",))) if groups else ())):
        if frame is not None:
            names |= {v for c in cols for v in frame[c]}
    names |= {cohort for _, cohort, _ in groups.groups} if groups else set()
    for q in [] if paper.claims is None else paper.claims["quantity"]:
        names |= set(parse_quantity(q)[1])
    for c in paper.cells or []:      # cells.csv: its models, cohorts, variables and groups
        names |= {n for n in (c.model, c.cohort, c.variable, c.group) if n}
    return names


def read_mapping(path, paper=None) -> dict:
    """``paper_name,run_name`` rows as {paper name: run name}. A paper name the published folder does not
    have is an error naming the closest names it has (a mapping row never silently does nothing)."""
    if path is None:
        return {}
    frame = _text_frame(Path(path), "mapping")
    for col in ("paper_name", "run_name"):
        if col not in frame.columns:
            raise InputError(f"the mapping file lacks the column {col!r}", "its columns are paper_name,run_name "
                             "(one row per model or cohort the run names differently)", file=str(path), column=col)
    mapping = {}
    for i, (p, r) in enumerate(zip(frame["paper_name"], frame["run_name"])):
        p, r = str(p).strip(), str(r).strip()
        if not p or not r:
            raise InputError(f"row {i + 2}: a name is blank", "give both names", file=str(path))
        if mapping.get(p, r) != r:
            raise InputError(f"row {i + 2}: {p!r} is mapped twice ({mapping[p]!r} and {r!r})", "keep one row",
                             file=str(path), column="paper_name")
        mapping[p] = r
    if paper is not None:
        names = _paper_names(paper)
        for i, p in enumerate(mapping):
            if p not in names:
                near = closest(p, names)
                raise InputError(f"row {i + 2}: {p!r} is not a model, cohort, term or variable of the published "
                                 f"folder", f"did you mean {', '.join(map(repr, near))}?" if near else
                                 "check the paper_name column", file=str(path), column="paper_name")
    return mapping


# ------------------------------------------------------------------------------------ the result
@dataclass(frozen=True, repr=False, eq=False)
class Comparison(Result):
    """The comparison of a run with a paper: :attr:`frame` has one row per printed number (the columns of
    :data:`eprstats.audit.compare_report.COLUMNS`); written as ``compare.csv`` and ``compare.html``."""

    analysis = "compare"

    frame: pd.DataFrame
    published: str
    results: str
    inputs: tuple
    settings: dict

    default_formats = ("csv", "html")

    def table_files(self) -> list[Table]:
        """``compare`` (``compare.csv`` and, with ``html`` in the formats, the page ``compare.html``; the
        printed value as a number is in :meth:`tidy`, not in the file)."""
        return [Table("compare", self.frame.drop(columns=["published_value"]), title=f"Published "
                      f"({self.published}) against recomputed ({self.results})", note="equal: the recomputed "
                      "value rounds to the printed digits; difference in units of the last printed digit",
                      html=html_page, formats=("csv", "html"))]

    def summary(self) -> str:
        """One line: ``Table 1: 301/301 equal; Table 2: ...``."""
        return summary_line(self.frame)

    def differences(self) -> pd.DataFrame:
        """The numbers whose recomputed value does not print as published."""
        return self.frame[self.frame["verdict"] == DIFFERENT]

    def tidy(self) -> pd.DataFrame:
        """One row per printed number: the tidy columns (``analysis`` = compare, ``table`` the published
        file's stem, ``value`` the printed value, percentages in percent) then ``printed``, ``recomputed``,
        ``verdict``, ``difference``."""
        f = self.frame
        rows = [{"analysis": self.analysis, "table": file[:-4], "row": row, "column": col, "model": model,
                 "cohort": cohort, "statistic": stat, "value": value}
                for file, row, col, model, cohort, stat, value in zip(
                    f["file"], f["row"], f["column"], f["model"], f["cohort"], f["statistic"], f["published_value"])]
        out = tidy_frame(rows)
        out["printed"], out["recomputed"] = list(f["published"]), list(f["recomputed"])
        out["verdict"], out["difference"] = list(f["verdict"]), list(f["difference"])
        return out[[*TIDY_COLUMNS, *TIDY_EXTRA]]



@arguments(published="path", mapping="path?")
def compare(published, results, mapping=None) -> Comparison:
    """Every printed number of a paper (an audit folder) beside the number a run recomputed.

    Each number gets a verdict: *equal*, *different* (with the difference in units of the last printed
    digit) or *not recomputed*, with why (the run lacks the table, the model, the cohort or the statistic;
    the closest run names are listed). Names are matched as they are, or through ``mapping``.

    Parameters
    ----------
    published : str or Path
        The paper's audit folder (docs/audit.md): ``cohorts.csv`` and the published tables.
    results : str, Path or list of Result
        The run: a results folder (searched with its subfolders, hidden ones left out), or result objects
        (their ``tidy()`` rows).
    mapping : str or Path, optional
        A CSV with columns ``paper_name,run_name`` for models, cohorts, Table 3 terms and Table 1 variables
        the run names differently; a paper name the folder does not have is an error naming the closest ones.

    Returns
    -------
    Comparison
        ``frame`` (one row per printed number: where it is, the printed and the recomputed number, the
        verdict, the difference, the run's name and file), ``summary()`` the counts per table, ``write(out)``
        the CSV and an HTML page.

    Notes
    -----
    A recomputed value x is *equal* to a number printed with d decimals when it rounds to it,
    |x - printed| <= unit / 2 with unit = 10^-d (a half-way value is equal to both neighbours: half up and
    half to even are both accepted; ``<0.001`` holds for any x < 0.001); otherwise *different* by
    (x - printed) / unit. No R is called: the run's numbers are R's already (``stats::chisq.test`` and
    ``stats::fisher.test`` for Table 1, ``pROC::roc`` for Table 2, ``rms::lrm`` for Table 3).

    References
    ----------
    Cole TJ (2015) Too many digits: the presentation of numerical data. Arch Dis Child 100:608-609.

    Examples
    --------
    The example cohort's Table 1 (its counts are the paper's) beside the paper's printed Table 1: every count
    and P value of the four variables recomputed is equal to the printed one (the rest of the paper is not
    recomputed by this run):

    >>> import eprstats as ep
    >>> from pathlib import Path
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> t1 = ep.table1(df, "EPR", ["AFP", "BCLC", "Tumor size", "Tumor number"], cohort_col="cohort",
    ...                train_cohort="training", outcome_labels=("Non-EPR", "EPR"))
    >>> cmp = ep.compare(Path(ep.__file__).parent / "data" / "published", [t1])
    >>> print(cmp.summary().split("; ")[0])
    Table 1: 92/301 equal, 209 not recomputed
    >>> afp = cmp.frame.query("table == 'Table 1' and row == 'AFP'")
    >>> afp[["column", "published", "recomputed"]].round(3).values.tolist()
    [['p_train', '0.031', 0.031], ['p_external', '0.813', 0.813], ['p_between_cohorts', '0.364', 0.364]]
    """
    paper = read_paper(published)
    mapping_dict = read_mapping(mapping, paper)
    run = _Run(read_run(results), mapping_dict)
    rows = [_judged(entry, run) for entry in _with_table1(paper, printed_numbers(paper))]
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "published_value"])
    frame["line"] = frame["line"].astype(int)
    folder = Path(published)
    inputs = [folder / n for n in paper.files] + ([Path(mapping)] if mapping is not None else [])
    if isinstance(results, (str, Path)):
        inputs += sorted({Path(results) / s for s in frame["source"].dropna() if (Path(results) / s).is_file()})
    label = str(results) if isinstance(results, (str, Path)) else "result objects"
    return Comparison(frame=frame, published=str(published), results=label, inputs=tuple(inputs),
                      settings={"published": str(published), "results": label, "mapping": mapping_dict})


def _judged(entry: dict, run: _Run) -> dict:
    printed = entry["printed"]
    row = {c: entry.get(c) for c in COLUMNS}
    row.update(published=printed.text, published_value=printed.value)
    try:
        value, names, source = run.find(entry["key"])
    except _Missing as why:
        row.update(verdict=NOT_RECOMPUTED, detail=str(why))
        return row
    verdict, difference, text = judge(printed, value)
    row.update(recomputed=value, recomputed_printed=text, verdict=verdict, difference=difference,
               run_name=names, source=source,
               detail="" if verdict == EQUAL else f"recomputed {text}, printed {printed.text}: {difference:+g} "
                                                  f"unit(s) of {10.0 ** -printed.decimals:g}")
    return row
