"""Table 1 beyond the seed's counts: continuous rows (mean (SD), median (IQR)) in ``published_table1.csv``,
and ``published_table1_groups.csv``, a Table 1 of any number of cohorts and groups (docs/audit.md).

A continuous row is one whose ``level`` starts with ``mean`` or ``median``; its group cells hold the summary
as printed (``55.2 (10.1)``, ``55.2 ± 10.1``, ``54 (47-62)``, ``54 [47, 62]``), read into :class:`Summary`.
An optional ``test`` column says which test the paper states for the row's P values (:func:`read_test`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError
from ..validation import closest
from .printed import TABLE1_GROUPS, TABLE1_P, Printed, parse_number

GROUPS_FILE = "published_table1_groups.csv"
KINDS = {"mean_sd": "mean (SD)", "median_iqr": "median (IQR)"}
_KIND = re.compile(r"^\s*(mean|median)\b", re.I)
_NUM = r"[-−]?\d*\.?\d+"
_MEAN_SD = re.compile(rf"^\s*({_NUM})\s*(?:±|\+/-|\+-|[(\[]\s*({_NUM})\s*[)\]])\s*({_NUM})?\s*\*?\s*$")
_MEDIAN = re.compile(rf"^\s*({_NUM})\s*[(\[]\s*({_NUM})\s*(?:-|–|—|to|,|;)\s*({_NUM})\s*[)\]]\s*\*?\s*$")
#: a test as papers name it -> its family (the first pattern that matches)
_TESTS = (("rank", r"mann|whitney|wilcoxon|kruskal|rank|\bu[- ]?test|non-?parametric"),
          ("welch", r"welch|unequal var"), ("student", r"student|equal var|pooled"),
          ("anova", r"anova|one-?way|\bf[- ]?test"), ("t", r"\bt[- ]?test|^t$"),
          ("yates", r"yates|continuity"), ("pearson", r"pearson"), ("chisq", r"chi|χ|\bx2"),
          ("fisher", r"fisher|exact"))

#: a test family as the audit's evidence names it
TEST_NAMES = {"t": "a t-test", "student": "Student's t-test", "welch": "Welch's test", "anova": "ANOVA",
              "rank": "a rank test", "chisq": "a chi-square test", "pearson": "Pearson's chi-square",
              "yates": "Yates' chi-square", "fisher": "Fisher's exact test"}


@dataclass(frozen=True)
class Summary:
    """A continuous Table 1 cell as printed: ``kind`` mean_sd (``parts`` mean, SD) or median_iqr (median,
    Q1, Q3), each a :class:`Printed`."""

    text: str
    kind: str
    parts: tuple

    @property
    def names(self) -> tuple:
        return ("mean", "sd") if self.kind == "mean_sd" else ("median", "q1", "q3")

    def __getitem__(self, name: str) -> Printed:
        return self.parts[self.names.index(name)]

    def __str__(self) -> str:
        return self.text


def row_kind(level) -> str | None:
    """``mean_sd`` or ``median_iqr`` for a continuous row's level (``mean (SD)``, ``Median [IQR]``), else None."""
    m = _KIND.match(str(level))
    return None if m is None else ("mean_sd" if m.group(1).lower() == "mean" else "median_iqr")


def parse_summary(text, kind: str, *, file: str, column: str, row: int) -> Summary | None:
    """One continuous cell as printed; blank -> None (the comparisons needing it are not checkable)."""
    raw = str(text).strip()
    if raw in ("", "–", "-", "—", "NA", "nan"):
        return None
    m = _MEAN_SD.match(raw) if kind == "mean_sd" else _MEDIAN.match(raw)
    groups = None
    if m is not None and kind == "mean_sd":
        groups = (m.group(1), m.group(2) or m.group(3)) if bool(m.group(2)) != bool(m.group(3)) else None
    elif m is not None:
        groups = m.groups()
    if groups is None:
        form = "mean (SD) or mean ± SD, e.g. 55.2 (10.1)" if kind == "mean_sd" else \
            "median (Q1-Q3), e.g. 54 (47-62) or 54 [47, 62]"
        raise InputError(f"row {row}: {raw!r} is not a {KINDS[kind]} cell", f"write it as printed: {form}",
                         file=file, column=column)
    parts = tuple(parse_number(g, file=file, column=column, row=row) for g in groups)
    return Summary(raw.rstrip("*").strip(), kind, parts)


def read_test(text, *, file: str, row: int) -> str:
    """The family of a stated test (``t``, ``student``, ``welch``, ``anova``, ``rank``, ``chisq``,
    ``pearson``, ``yates``, ``fisher``; ``welch`` with ANOVA is Welch's ANOVA); blank -> ``""``."""
    raw = str(text).strip().lower()
    if not raw:
        return ""
    for family, pattern in _TESTS:
        if re.search(pattern, raw):
            return family
    raise InputError(f"row {row}: unknown test {text!r}", "name it as the paper does: t-test, Student's t, Welch, "
                     "ANOVA, Welch's ANOVA, Mann-Whitney, Kruskal-Wallis, chi-square, Yates, Fisher (or leave it "
                     "blank)", file=file, column="test")


@dataclass
class GroupTable:
    """A Table 1 as its checks see it: ``groups`` (column, cohort, group or None for a whole cohort),
    ``comparisons`` (P column, label, arms: the columns pooled in each compared group), the categorical
    rows (``counts``: :class:`Printed` counts), the continuous rows (``continuous``: ``kind`` and
    :class:`Summary` cells) and the group sizes an ``N`` row prints (``sizes``, :class:`Printed`, on line
    ``size_line``)."""

    file: str
    groups: list
    comparisons: list
    counts: pd.DataFrame | None = None
    continuous: pd.DataFrame | None = None
    sizes: dict = field(default_factory=dict)
    size_line: int = 0

    @property
    def columns(self) -> list:
        return [g[0] for g in self.groups]

    @property
    def p_columns(self) -> list:
        return [c[0] for c in self.comparisons]


def continuous_frame(frame: pd.DataFrame, columns, p_columns, path, lines) -> pd.DataFrame:
    """The continuous rows of a Table 1 file parsed: variable, kind, level, line, test, then the group
    columns (:class:`Summary` or None) and the P columns (:class:`Printed` or None)."""
    out = []
    for (_, r), line in zip(frame.iterrows(), lines):
        kind = row_kind(r["level"])
        rec = {"variable": r["variable"], "kind": kind, "level": r["level"], "line": line,
               "test": read_test(r.get("test", ""), file=str(path), row=line)}
        rec.update({c: parse_summary(r[c], kind, file=str(path), column=c, row=line) for c in columns})
        rec.update({c: parse_number(r[c], file=str(path), column=c, row=line, allow_blank=True) for c in p_columns})
        out.append(rec)
    return pd.DataFrame(out, columns=["variable", "kind", "level", "line", "test", *columns, *p_columns])


def split_continuous(frame: pd.DataFrame, columns, p_columns, path, lines=None) -> tuple:
    """A Table 1 file's rows as (categorical rows, with their file ``lines`` (default: row i is line i + 2)
    kept in ``attrs["lines"]``; continuous rows parsed, or None without any)."""
    lines = list(lines or range(2, len(frame) + 2))
    cont = [row_kind(lv) is not None and not all(_is_count(r[c]) for c in columns)
            for (_, r), lv in zip(frame.iterrows(), frame["level"])]
    cont = pd.Series(cont, index=frame.index, dtype=bool)
    counts = frame[~cont].reset_index(drop=True)
    counts.attrs["lines"] = [ln for ln, c in zip(lines, cont) if not c]
    if "test" in counts.columns:
        counts["test"] = [read_test(v, file=str(path), row=ln) for v, ln in zip(counts["test"], counts.attrs["lines"])]
    if not cont.any():
        return counts, None
    return counts, continuous_frame(frame[cont], columns, p_columns, path, [ln for ln, c in zip(lines, cont) if c])


def _is_count(text) -> bool:
    return bool(re.fullmatch(r"\s*\d+\s*", str(text)))


# ------------------------------------------------------------------------------ published_table1_groups.csv
def _group_of(column: str, path) -> tuple[str, str | None]:
    cohort, _, group = column.partition(":")
    if not cohort.strip() or (":" in column and not group.strip()):
        raise InputError(f"column {column!r} names no cohort or group", "name a group column COHORT or "
                         "COHORT:GROUP (e.g. training:EPR), a P column p, p:COHORT or p:between", file=str(path),
                         column=column)
    return cohort.strip(), group.strip() or None


def _comparisons(p_columns, groups, path) -> list:
    by_cohort: dict[str, list] = {}
    for col, cohort, _ in groups:
        by_cohort.setdefault(cohort, []).append(col)
    out = []
    for col in p_columns:
        target = col.partition(":")[2].strip()
        if col.strip() == "p":
            out.append((col, "all groups", [[c] for c, _, _ in groups]))
        elif target == "between":
            if len(by_cohort) < 2:
                raise InputError(f"{col!r} compares cohorts, but the table has one ({', '.join(by_cohort)})",
                                 "use p (all group columns) or p:COHORT", file=str(path), column=col)
            out.append((col, "between cohorts", list(by_cohort.values())))
        elif target in by_cohort and len(by_cohort[target]) >= 2:
            out.append((col, target, [[c] for c in by_cohort[target]]))
        else:
            near = closest(target, sorted(by_cohort))
            raise InputError(f"{col!r} names no cohort with two or more group columns"
                             + (f" (did you mean {' or '.join(map(repr, near))}?)" if near else ""),
                             f"its cohorts: {', '.join(f'{k} ({len(v)} columns)' for k, v in by_cohort.items())}",
                             file=str(path), column=col)
    return out


def read_groups(frame: pd.DataFrame, path) -> GroupTable:
    """``published_table1_groups.csv`` (read as text, stripped) as a :class:`GroupTable`."""
    for c in ("variable", "level"):
        if c not in frame.columns:
            raise InputError(f"{GROUPS_FILE} lacks the column {c!r}", "its columns are variable, level, one column "
                             "per group (COHORT or COHORT:GROUP), P columns (p, p:COHORT, p:between), optional "
                             "test", file=str(path), column=c)
    p_columns = [c for c in frame.columns if c == "p" or c.startswith("p:")]
    columns = [c for c in frame.columns if c not in ("variable", "level", "test", *p_columns)]
    groups = [(c, *_group_of(c, path)) for c in columns]
    if len(groups) < 2:
        raise InputError(f"{GROUPS_FILE} has {len(groups)} group column(s)", "give one column per group (at "
                         "least two), named COHORT or COHORT:GROUP", file=str(path))
    table = GroupTable(GROUPS_FILE, groups, _comparisons(p_columns, groups, path))
    if "test" not in frame.columns:
        frame = frame.assign(test="")
    for i, (_, r) in enumerate(frame.iterrows()):
        if not r["variable"]:
            raise InputError(f"row {i + 2}: 'variable' is blank", "fill it in", file=str(path), column="variable")
    is_n = frame["variable"].str.fullmatch(r"(?i)n") & ~frame["level"].map(lambda v: row_kind(v) is not None)
    for i in [k for k, flag in enumerate(is_n) if flag]:
        table.sizes, table.size_line = {c: _count(frame.iloc[i][c], path, c, i + 2) for c in columns}, i + 2
    lines = [ln for ln, keep in zip(range(2, len(frame) + 2), ~is_n) if keep]
    counts, table.continuous = split_continuous(frame[~is_n], columns, p_columns, path, lines)
    if len(counts):
        parsed = {c: [_count(v, path, c, ln) for v, ln in zip(counts[c], counts.attrs["lines"])] for c in columns}
        parsed.update({c: [parse_number(v, file=str(path), column=c, row=ln, allow_blank=True)
                           for v, ln in zip(counts[c], counts.attrs["lines"])] for c in p_columns})
        table.counts = counts.assign(**parsed, line=counts.attrs["lines"])
    return table


def _count(text, path, column, row) -> Printed:
    v = parse_number(text, file=str(path), column=column, row=row)
    if v.decimals or v.value < 0 or v.below or v.above or v.percent:
        raise InputError(f"row {row}: {v.text!r} is not a count", "counts are whole numbers >= 0 (a continuous row's "
                         "level starts with mean or median)", file=str(path), column=column)
    return v


def seed_table(paper, groups: dict, p_columns: dict) -> GroupTable | None:
    """The seed layout's continuous rows (``published_table1.csv``) as a :class:`GroupTable`: the four
    outcome-group columns, P within each cohort and between the cohorts (each pooling its two groups)."""
    if paper.table1_continuous is None:
        return None
    cols = list(groups)
    by = {co: [c for c in cols if groups[c][0] == co] for co in dict.fromkeys(g[0] for g in groups.values())}
    comps = [(p, label, [[c] for c in by[label]] if label in by else list(by.values()))
             for p, label in p_columns.items()]
    return GroupTable("published_table1.csv", [(c, *groups[c]) for c in cols], comps,
                      continuous=paper.table1_continuous)


# ------------------------------------------------------------------------------ compare's keys
def printed_numbers(paper) -> list[dict]:
    """compare's entries for Table 1's continuous rows and for published_table1_groups.csv (the counts of
    published_table1.csv are :func:`eprstats.audit.compare_report.printed_numbers`'): each printed number,
    where it is, and the key of the run's number for it (``("none", why)`` where a run has none)."""
    out = []
    for table in (t for t in (seed_table(paper, TABLE1_GROUPS, TABLE1_P), paper.table1_groups) if t is not None):
        cohort_of = {col: cohort for col, cohort, _ in table.groups}
        group_of = {col: _group_key(group) for col, _, group in table.groups}

        def add(printed, key, line, row, column, statistic, cohort=None):
            if printed is not None:
                out.append({"printed": printed, "key": key, "table": "Table 1", "file": table.file, "line": line,
                            "row": row, "column": column, "cohort": cohort, "statistic": statistic})

        for col, printed in table.sizes.items():
            g = group_of[col]
            key = ("size", "n" if isinstance(g, tuple) else g, cohort_of[col]) if isinstance(g, tuple) or g in (
                "events", "nonevents") else ("none", "the run's group sizes are its cohorts' events and nonevents")
            add(printed, key, table.size_line, "N", col, "n", cohort_of[col])
        for r in [] if table.counts is None else table.counts.to_dict("records"):
            for col in table.columns:
                g = group_of[col]
                key = g if isinstance(g, tuple) else ("t1", "count", r["variable"], r["level"], cohort_of[col], g)
                add(r[col], key, r["line"], f"{r['variable']}: {r['level']}", col, "count", cohort_of[col])
        for r in [] if table.continuous is None else table.continuous.to_dict("records"):
            for col in (c for c in table.columns if r[c] is not None):
                g = group_of[col]
                for name, part in zip(r[col].names, r[col].parts):
                    add(part, g if isinstance(g, tuple) else ("t1c", name, r["variable"], cohort_of[col], g,
                                                              part.decimals),
                        r["line"], r["variable"], col, name, cohort_of[col])
        for frame in (table.counts, table.continuous):
            for r in [] if frame is None else frame.to_dict("records"):
                for pcol, label, arms in table.comparisons:
                    add(r[pcol], _p_key(table, r["variable"], label, arms, group_of), r["line"], r["variable"],
                        pcol, "p", label)
    return out


def _group_key(group):
    """The run's group for a paper's group column: its role (events / nonevents), or its label."""
    if group is None:
        return ("none", "the run's Table 1 gives each outcome group of a cohort, not the whole cohort")
    return group if group in ("events", "nonevents") else f"label:{group}"


def _p_key(table, variable, label, arms, group_of) -> tuple:
    """The run's P for a paper's comparison: within a cohort (its two outcome groups) or between cohorts."""
    if label == "between cohorts" or (label == "all groups" and all(isinstance(group_of[a[0]], tuple) and len(a) == 1
                                                                     for a in arms)):
        return ("t1_p", variable, "between cohorts")
    cohorts = {co for col, co, _ in table.groups if any(col in a for a in arms)}
    if len(arms) == 2 and len(cohorts) == 1 and not any(isinstance(group_of[a[0]], tuple) for a in arms):
        return ("t1_p", variable, cohorts.pop())
    return ("none", f"the run's Table 1 compares the two outcome groups of a cohort, or the cohorts; this P "
                    f"compares {len(arms)} groups")
