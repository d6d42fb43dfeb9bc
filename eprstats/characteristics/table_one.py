"""Table 1: baseline characteristics by outcome within each cohort, and between cohorts.

Categorical variables are shown as counts and column percentages (``14 (20.59%)``, the percentage of
the patients of that cohort and outcome group with a known value), continuous variables as mean (SD)
or median (IQR). Each variable gets a p-value between the outcome groups within every cohort and, when
there are several cohorts, a p-value between cohorts (all patients of each cohort). The tests run in R
(see :mod:`eprstats.characteristics.tests` for the rules). Missing values are counted and shown, never
silently dropped; the tests use the patients with a known value.

Cohorts are split by :func:`eprstats.validation.split_cohorts`, the package's one splitter: an empty
cohort cell, or two spellings of one label (``training`` / ``training ``), is an error.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rbridge import software_note
from ..reporting.formats import format_p
from ..results import Result, Table, table_frame, tidy_frame
from ..validation import arguments, check_columns, cohort_labels, event_indicator, split_cohorts
from .tests import CONTINUOUS_RULES, MANN_WHITNEY, RULES, SPSS_KEYS
from .options import TYPES  # noqa: F401  (re-exported)
from .rows import (COUNT_COLUMNS, MAX_LEVELS, SUMMARY_COLUMNS, TEST_COLUMNS, _categorical,  # noqa: F401
                   _continuous, _layout)

#: numeric columns with at most this many distinct values are treated as categorical
MAX_CATEGORICAL_LEVELS = 5
TITLE = "Table 1. Baseline characteristics"
#: the numbers of a test row that :meth:`Table1.tidy` reports
TEST_NUMBERS = ("p", "statistic", "df", "min_expected", "share_expected_below_5")
from .notes import RULE_TEXT, SPSS_NOTE, table1_note  # noqa: E402,F401  (re-exported)


@dataclass(frozen=True, repr=False)  # Result's short repr, not every frame
class Table1(Result):
    """Table 1 as printed (:attr:`table`) and the frames behind it.

    ``tables``: ``table1`` (publication) and ``table1_tests`` (one row per p-value, CSV); the stem is
    :attr:`name` (``eprstats table1 --out tables/t`` writes ``t.csv`` and ``t_tests.csv``).
    """

    analysis = "table1"

    # field() keeps the inherited Result.table() method from becoming this field's default
    table: pd.DataFrame = field()      #: the paper's layout, formatted strings
    tests: pd.DataFrame = field()      #: one row per p-value: variable, comparison, test, statistic, df, p, ...
    counts: pd.DataFrame = field()     #: categorical counts: variable, level, cohort, group, n, percent
    missing: pd.DataFrame = field()    #: variable, cohort, group, n_missing
    settings: dict = field(default_factory=dict)
    #: continuous summaries: variable, cohort, group, n, mean, sd, median, q1, q3, shown
    continuous: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: group sizes: cohort, group, n
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    name: str = "table1"               #: file stem of the tables

    def __post_init__(self):
        # ``table`` stays the printed DataFrame (a deprecated alias) and is callable as ``table(name)`` (#24)
        object.__setattr__(self, "table", table_frame(self, self.table))

    def table1(self) -> pd.DataFrame:
        """Table 1 as printed."""
        return self.table

    def table_files(self) -> list[Table]:
        note = f"{table1_note(self.settings)} {software_note('stats')}"
        return [Table(self.name, self.table, title=TITLE, note=note),
                Table(f"{self.name}_tests", self.tests, publication=False)]

    def tidy(self) -> pd.DataFrame:
        """Every number of Table 1, one row each.

        ``row`` is the variable (``"AFP: 1"`` for a level, ``"AFP: Missing"`` for its missing count,
        ``"N"`` for the group sizes); ``column`` the outcome group, or ``"P"`` / ``"P between cohorts"`` for
        a test, whose name (``pearson``, ``yates``, ``fisher``, ``welch``, ``mann-whitney`` ...) is in
        ``model``; ``statistic`` is ``n``, ``percent``, ``mean``, ``sd``, ``median``, ``q1``, ``q3``, ``p``,
        ``statistic`` (chi-square, t, W ...), ``df``, ``min_expected`` or ``share_expected_below_5`` (and, for
        an SPSS-style table, every number of :data:`~eprstats.characteristics.tests.SPSS_KEYS`); ``n``
        the patients behind the number (known values of the group, or of the test). A t (or W) statistic is
        R's, with the groups in R's factor order (alphabetical labels: ``EPR`` before ``Non-EPR``); in an
        SPSS-style table (``continuous_rule`` or ``mann_whitney`` ``"spss"``), in the table's order."""
        rows = [dict(row="N", column=g.group, cohort=g.cohort, statistic="n", value=g.n, n=g.n)
                for g in self.groups.itertuples(index=False)]
        for c in self.counts.itertuples(index=False):
            known = self._known(c.variable, c.cohort, c.group)
            rows += [dict(row=f"{c.variable}: {c.level}", column=c.group, cohort=c.cohort, statistic=stat,
                          value=value, n=known) for stat, value in (("n", c.n), ("percent", c.percent))]
        for c in self.continuous.itertuples(index=False):
            rows += [dict(row=c.variable, column=c.group, cohort=c.cohort, statistic=stat,
                          value=getattr(c, stat), n=c.n) for stat in ("mean", "sd", "median", "q1", "q3")]
        for m in self.missing.itertuples(index=False):
            rows.append(dict(row=f"{m.variable}: Missing", column=m.group, cohort=m.cohort, statistic="n",
                             value=m.n_missing))
        for t in self.tests.to_dict("records"):
            between = t["comparison"] == "between cohorts"
            rows += [dict(row=t["variable"], column="P between cohorts" if between else "P",
                          cohort=None if between else t["comparison"], model=t["test"], statistic=stat,
                          value=t[stat], n=t["n"])
                     for stat in TEST_NUMBERS + SPSS_KEYS[1:] if _finite(t.get(stat))]
        frame = tidy_frame(rows)
        frame["analysis"], frame["table"] = self.analysis, self.name
        return frame

    def _known(self, variable, cohort, group) -> int:
        sel = self.counts[(self.counts["variable"] == variable) & (self.counts["cohort"] == cohort)
                          & (self.counts["group"] == group)]
        return int(sel["n"].sum())


def _finite(value) -> bool:
    return value is not None and not isinstance(value, str) and bool(np.isfinite(value))


def infer_type(series: pd.Series) -> str:
    """categorical for text, booleans and numbers with few distinct values; else continuous."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "categorical"
    return "categorical" if series.nunique(dropna=True) <= MAX_CATEGORICAL_LEVELS else "continuous"


def _check_inputs(data, outcome, variables, cohort_col, types, rule, continuous_rule, mann_whitney, event=None):
    if not isinstance(data, pd.DataFrame):
        raise InputError("Table 1 needs a pandas DataFrame of patients (one row a patient)")
    check_columns(data, [outcome], "outcome")
    if cohort_col is not None:
        check_columns(data, [cohort_col], "cohort")
    check_columns(data, variables, "variable")
    if rule not in RULES:
        raise InputError(f"unknown test rule {rule!r}", f"choose one of {', '.join(RULES)}")
    if continuous_rule not in CONTINUOUS_RULES:
        raise InputError(f"unknown continuous rule {continuous_rule!r}",
                         f"choose one of {', '.join(CONTINUOUS_RULES)}")
    if mann_whitney not in MANN_WHITNEY:
        raise InputError(f"unknown Mann-Whitney p {mann_whitney!r}", f"choose one of {', '.join(MANN_WHITNEY)}")
    for role, col in (("outcome", outcome), ("cohort", cohort_col)):
        if col is not None and col in variables:
            raise InputError(f"the {role} column {col!r} is listed as a Table 1 variable: it would be tabulated "
                             f"against itself", f"leave {col!r} out of the variables (--variables)", column=col)
    for var, kind in (types or {}).items():
        if var not in data.columns:
            check_columns(data, [var], "--type")
        if variables and var not in variables:
            raise InputError(f"--type {var}={kind} names a column that is not among the Table 1 variables "
                             f"({', '.join(map(str, variables))})", f"add {var!r} to --variables or drop the "
                             "--type override", column=var)
        if kind not in TYPES:
            raise InputError(f"unknown variable type {kind!r}", f"choose one of {', '.join(TYPES)}",
                             column=var)
    n_missing = int(data[outcome].isna().sum())
    if n_missing:
        raise InputError(f"{n_missing} patient(s) have no outcome value",
                         "fill in or remove those rows: a patient without an outcome cannot be placed "
                         "in Table 1", column=outcome)
    # the package's one event rule: 0/1, or the event named; never the sort order of the values or the labels
    coded = event_indicator(data[outcome], event, outcome=str(outcome))
    classes = sorted(set(coded.dropna().astype(int)))
    if len(classes) != 2:
        raise InputError(f"the outcome has only one class ({'events' if classes == [1] else 'non-events'} "
                         "only): Table 1 compares events with non-events",
                         "choose a binary outcome column (0 = no event, 1 = event)", column=outcome)
    # the values as written, non-event first: the groups' default names
    levels = [data.loc[coded == k, outcome].iloc[0] for k in (0, 1)]
    return coded.astype(int), levels


def _cohorts(data, cohort_col, cohorts, train_cohort, id_col) -> tuple[pd.Series, list[str]]:
    """Each patient's cohort (text) and the cohorts' order, from the package's one cohort splitter."""
    if cohort_col is None:
        return pd.Series("All", index=data.index), ["All"]
    labels = cohort_labels(data, cohort_col, id_col=id_col)
    present = list(dict.fromkeys(labels))
    if cohorts:
        # Table 1 describes every patient: a listed order must name exactly the data's cohorts
        order = [str(c) for c in cohorts]
        unknown = [c for c in present if c not in order]
        absent = [c for c in order if c not in present]
        if unknown or absent:
            problems = ([f"cohort(s) {absent} not in the data"] if absent else []) + (
                [f"cohort(s) {unknown} in the data but not listed"] if unknown else [])
            raise InputError("; ".join(problems), f"list the data's cohorts {present} in --cohorts",
                             column=cohort_col)
    parts = split_cohorts(data, cohort_col, train_cohort, cohorts, id_col=id_col)
    return labels, [name for name, _ in parts]


@arguments(data="frame", outcome="column", variables="columns?", cohort_col="column?", cohorts="labels?",
           train_cohort="label?", types="mapping?", rule="text", continuous_rule="text", var_equal="flag",
           outcome_labels="labels?", percent_decimals="count", p_decimals="count", stars="flag", p_floor="flag",
           id_col="column?", mann_whitney="text", event="event?")
def table1(data: pd.DataFrame, outcome: str, variables: list[str] | None = None, *,
           cohort_col: str | None = None, cohorts: list | None = None, train_cohort: str | None = None,
           types: dict | None = None, rule: str = "textbook", continuous_rule: str = "shapiro",
           var_equal: bool = False, outcome_labels: tuple[str, str] | None = None, percent_decimals: int = 2,
           p_decimals: int = 3, stars: bool = True, p_floor: bool = True, id_col: str | None = None,
           mann_whitney: str = "r", event=None) -> Table1:
    """Table 1: each variable by outcome group within every cohort, with the test behind each p-value.

    Parameters
    ----------
    data : DataFrame
        One row a patient.
    outcome : str
        The binary outcome column, coded 0 (no event) / 1 (event); any other coding (``EPR`` / ``Non-EPR``,
        1/2) needs ``event``. The non-event group is shown first.
    variables : list of str, optional
        The columns to describe (default: every column but outcome and cohort).
    cohort_col : str, optional
        The cohort column (default: all patients as one cohort).
    cohorts : list, optional
        The cohorts' order (default: ``train_cohort`` first, then the order of appearance); a listed order must
        name every cohort of the data.
    train_cohort : str, optional
        The cohort shown first.
    types : dict, optional
        Per-variable override: ``categorical``, ``continuous`` (``continuous_rule`` decides), ``normal``
        (mean (SD), t-test) or ``nonnormal`` (median (IQR), Mann-Whitney U).
    rule : str
        The categorical test rule, see :mod:`eprstats.characteristics.tests`.
    continuous_rule : str
        How a ``continuous`` variable is compared: ``shapiro`` (Shapiro-Wilk decides), ``normal`` (t-test),
        ``nonnormal`` (Mann-Whitney U) or ``spss`` (Levene chooses SPSS's T-TEST row).
    var_equal : bool
        Student's t-test (``t.test(var.equal = TRUE)``) instead of Welch's for the normal variables.
    outcome_labels : tuple of str, optional
        Names of the two outcome groups, non-event first, e.g. ``("Non-EPR", "EPR")``.
    percent_decimals : int
        Decimals of the printed percentages.
    p_decimals : int
        Decimals of the printed P values.
    stars : bool
        Append ``*`` to a P value below 0.05.
    p_floor : bool
        Print ``<0.001`` below the printed precision (``False`` rounds instead).
    id_col : str, optional
        The patient id column, only to name patients in error messages.
    mann_whitney : str
        ``r`` (``wilcox.test``'s p) or ``spss`` (SPSS's asymptotic p).
    event : optional
        The value of ``outcome`` that marks the event (e.g. ``"EPR"``), where it is not coded 0/1; the other
        value is the non-event. The labels never decide which value is the event.

    Returns
    -------
    Table1
        ``.table`` (as printed), ``.tests``, ``.tidy()`` (every count, percent, summary and test number),
        ``.write(out, formats)``.

    Notes
    -----
    Categorical: ``n (%)`` with % = n / (patients of the cohort and group with a known value) x 100, and
    a test of independence of the levels x groups table chosen by ``rule`` (textbook: Pearson
    ``stats::chisq.test(correct = FALSE)``, Yates ``chisq.test(correct = TRUE)`` or ``fisher.test``, by n and the
    expected counts E = row total x column total / n; Cochran 1954). Continuous: mean (SD) with Welch's
    ``t.test`` when Shapiro-Wilk finds every group normal, else median (IQR) with ``wilcox.test``
    (Mann-Whitney U). With several cohorts, one more p-value compares the cohorts (all their patients).

    As SPSS prints them (``continuous_rule="spss"``): mean (SD) and the row of SPSS's T-TEST that Levene's
    test (centred at the means) chooses, "Equal variances assumed" (Student's ``t.test(var.equal = TRUE)``)
    when its p >= 0.05, else "not assumed" (Welch); the tests table then holds Levene's F, df and p, both t
    rows (t, df, p, mean difference group 1 - group 2 in the table's order, its SE and 95% CI) and SPSS's name
    of every test (``spss``: "Pearson Chi-Square", "Continuity Correction", "Fisher's Exact Test (2-sided)",
    "t-test, Equal variances assumed" ...). ``mann_whitney="spss"``: a Mann-Whitney p is SPSS's "Asymp. Sig.
    (2-tailed)" (normal approximation, tie-corrected variance, no continuity correction), with its Z.

    References
    ----------
    Cochran WG (1954) Some methods for strengthening the common chi-square tests. Biometrics 10:417-451.
    Yates F (1934) Contingency tables involving small numbers and the chi-square test. J R Stat Soc Suppl
    1:217-235.
    Levene H (1960) Robust tests for equality of variances. In: Contributions to Probability and Statistics,
    Stanford University Press, 278-292.

    Examples
    --------
    The example cohort's AFP and BCLC, whose counts per cohort and outcome group are the paper's Table 1's; the
    paper prints AFP's training P as 0.031 (chi-squared test) and BCLC's as 0.156:

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> t1 = ep.table1(df, "EPR", ["AFP", "BCLC"], cohort_col="cohort", train_cohort="training",
    ...                outcome_labels=("Non-EPR", "EPR"))
    >>> t1.table1().iloc[:2, :5].values.tolist()
    [['AFP', '0', '54 (79.41%)', '28 (60.87%)', '0.031*'], ['', '1', '14 (20.59%)', '18 (39.13%)', '']]
    >>> p = t1.tidy().query("statistic == 'p' and cohort == 'training'")
    >>> p[["row", "value"]].round(3).values.tolist()
    [['AFP', 0.031], ['BCLC', 0.156]]
    """
    if isinstance(data, pd.DataFrame) and variables is None:
        # by default every column but the outcome and cohort, leaving out identifier-like text columns
        variables = [c for c in data.columns if c not in (outcome, cohort_col, id_col)
                     and not (infer_type(data[c]) == "categorical" and data[c].nunique() > MAX_LEVELS)]
    variables = [variables] if isinstance(variables, str) else list(variables or [])
    coded, levels = _check_inputs(data, outcome, variables, cohort_col, types, rule, continuous_rule, mann_whitney,
                                  event)
    labels = list(outcome_labels) if outcome_labels else [f"{outcome}={v}" for v in levels]
    if len(labels) != 2:
        raise InputError("outcome labels must be two names", "give e.g. --outcome-labels Non-EPR,EPR")
    if len(set(map(str, labels))) != 2:
        raise InputError(f"the two outcome labels are the same ({labels[0]!r})", "give two different names, "
                         "the non-event group's first (e.g. --outcome-labels Non-EPR,EPR)")
    # labels only name the groups, non-event first; the event comes from the coding (0/1 or `event`)
    group = coded.map({0: labels[0], 1: labels[1]})
    cohort, cohort_order = _cohorts(data, cohort_col, cohorts, train_cohort, id_col)
    for c in cohort_order:
        sizes = group[cohort == c].value_counts()
        if len(sizes) < 2:
            raise InputError(f"cohort {c!r} has patients of one outcome group only ({sizes.to_dict()})",
                             "Table 1 compares outcome groups within each cohort: check the outcome and "
                             "cohort columns", column=outcome, cohort=c)

    types = dict(types or {})
    # SPSS's names and group order (group 1 - group 2 as the table shows them) only when asked for, so that
    # the default tests table keeps its columns
    spss = {"mann_whitney": mann_whitney, "names": continuous_rule == "spss" or mann_whitney == "spss"}
    rows, tests, counts, missing, summaries = [], [], [], [], []
    group_n = {(c, g): int(((cohort == c) & (group == g)).sum()) for c in cohort_order for g in labels}
    for var in variables:
        kind = types.get(var) or infer_type(data[var])
        values = data[var]
        for c in cohort_order:
            for g in labels:
                n_miss = int(values[(cohort == c) & (group == g)].isna().sum())
                missing.append({"variable": var, "cohort": c, "group": g, "n_missing": n_miss})
        if kind == "categorical":
            var_rows, var_tests, var_counts = _categorical(var, values, group, cohort, labels, cohort_order,
                                                           rule, percent_decimals, spss["names"])
            counts += var_counts
        else:
            var_rows, var_tests, var_summaries = _continuous(var, values, group, cohort, labels, cohort_order,
                                                             continuous_rule if kind == "continuous" else kind,
                                                             var_equal, spss)
            summaries += var_summaries
        tests += var_tests
        p_by = {t["comparison"]: t["p"] for t in var_tests}
        var_rows[0]["p"] = {k: format_p(v, p_decimals, stars, p_floor) for k, v in p_by.items()}
        miss = [m for m in missing if m["variable"] == var]
        if any(m["n_missing"] for m in miss):
            var_rows.append({"level": "Missing", "cells": {(m["cohort"], m["group"]): str(m["n_missing"])
                                                           for m in miss}})
        rows += [(var if i == 0 else "", r) for i, r in enumerate(var_rows)]

    missing_df = pd.DataFrame(missing, columns=["variable", "cohort", "group", "n_missing"])
    n_missing_total = missing_df.groupby("variable", sort=False)["n_missing"].sum()
    if n_missing_total.any():
        listed = ", ".join(f"{v}: {int(n)}" for v, n in n_missing_total.items() if n)
        warnings.warn(f"Table 1: missing values shown as counts and left out of tests ({listed})",
                      stacklevel=2)
    table = _layout(rows, cohort_order, labels, group_n, multi=cohort_col is not None)
    settings = {"outcome": outcome, "variables": variables, "cohort_col": cohort_col,
                "cohorts": cohort_order, "rule": rule, "continuous_rule": continuous_rule,
                "var_equal": var_equal, "mann_whitney": mann_whitney, "outcome_labels": labels,
                "types": {v: types.get(v) or infer_type(data[v]) for v in variables}}
    groups = pd.DataFrame([{"cohort": c, "group": g, "n": n} for (c, g), n in group_n.items()])
    tests = pd.DataFrame(tests)
    if spss["names"]:  # categorical rows carry SPSS's name only: one column order whatever the variables' order
        tests = tests.reindex(columns=["variable", "comparison", *TEST_COLUMNS, *SPSS_KEYS])
    return Table1(table=table, tests=tests, counts=pd.DataFrame(counts, columns=COUNT_COLUMNS),
                  missing=missing_df, settings=settings,
                  continuous=pd.DataFrame(summaries, columns=SUMMARY_COLUMNS), groups=groups)
