"""Checks of the cohort sizes and of Table 1: every printing of a cohort's size against the reference
counts, Table 1's p-values recomputed in R under each test rule, and its column percentages as k / n.

Continuous rows and tables of any number of groups (``published_table1_groups.csv``): :func:`check_table1_continuous`
(a mean (SD) row's P as Student's / Welch's t or ANOVA / Welch's ANOVA from the summaries,
:mod:`.summary_tests`; a median (IQR) row's P is not checkable; SD >= 0 and Q1 <= median <= Q3) and
:func:`check_table1_groups` (group sizes against the cohorts, the counts' P over k groups)."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from ..characteristics.tests import categorical_test
from ..errors import MissingDependencyError, RError
from .schema import TABLE1_GROUPS, TABLE1_P, Paper
from .summary_tests import Arm, mean_tests, pool
from .table1_format import KINDS, TEST_NAMES, seed_table
from .verdicts import (NOT_CHECKABLE, RULES, _ok, _row, cohort_id, k_over_n, number,
                       sens_spec_possible)


def _cell_label(r) -> str:
    return f"{r['variable']}: {r['level']}"


def _column_sums(paper: Paper, ref: dict) -> list[dict]:
    """Per Table 1 column: do every variable's levels sum to the reference group size?"""
    rows = []
    for column, (cohort, group) in TABLE1_GROUPS.items():
        sums = paper.table1.groupby("variable", sort=False)[column].agg(
            lambda s: int(sum(v.value for v in s)))
        odd = {v: s for v, s in sums.items() if s != ref[cohort][group]}
        cells = [number("published_table1", column, r[column], row=_cell_label(r), cohort=cohort,
                        statistic="count") for _, r in paper.table1.iterrows()]
        rows.append(_row(f"T1-N-{column}", "cohort_counts", ref[cohort][group], f"Table 1, column {column}",
                         f"level counts summed per variable: {sorted(set(sums))}", _ok(not odd),
                         "every variable's levels sum to the same group size" if not odd else
                         f"variables summing to another size: {odd} (missing values, or a transcription "
                         "error)", cells))
    return rows


def check_cohort_counts(paper: Paper, ref: dict) -> list[dict]:
    rows = _column_sums(paper, ref) if paper.table1 is not None else []
    for _, row in paper.cohorts.iterrows():
        cohort = row["cohort"]
        given = {k: int(row[k].value) for k in ("n", "events", "nonevents") if row[k] is not None}
        quoted = ", ".join(f"{k}={v}" for k, v in given.items())
        cid = cohort_id(cohort, given)
        numbers = [number("cohorts", k, row[k], row=row["where"], cohort=cohort) for k in given]
        if cohort not in ref:
            rows.append(_row(cid, "cohort_counts", quoted, row["where"], "no reference counts for this cohort",
                             NOT_CHECKABLE, f"cohort {cohort!r} has no Table 1 columns, and its rows do not "
                             "determine events and non-events (none print them, or as many rows and Table 2's "
                             "k/n fits support other counts)", numbers))
            continue
        r = ref[cohort]
        bad = {k: v for k, v in given.items() if v != r[k]}
        internal = ("n" in given and "events" in given and "nonevents" in given
                    and given["n"] != given["events"] + given["nonevents"])
        evidence = []
        if internal:
            evidence.append(f"n={given['n']} but events + non-events = {given['events'] + given['nonevents']}")
        if bad:
            evidence.append("differs from the reference in " + ", ".join(
                f"{k} ({v} vs {r[k]})" for k, v in bad.items()))
            if "events" in given and "nonevents" in given and cohort != "all":
                mine = sens_spec_possible(paper, cohort, given["events"], given["nonevents"])
                theirs = sens_spec_possible(paper, cohort, r["events"], r["nonevents"])
                if theirs[1]:
                    evidence.append(
                        f"Table 2's {cohort} sensitivities/specificities possible as k/n: {mine[0]} of "
                        f"{mine[1]} with {given['events']} events / {given['nonevents']} non-events, "
                        f"{theirs[0]} of {theirs[1]} with the reference {r['events']} / {r['nonevents']}")
        rows.append(_row(cid, "cohort_counts", quoted, row["where"],
                         f"{r['source']}: n={r['n']}, events={r['events']}, nonevents={r['nonevents']}",
                         _ok(not bad and not internal), "; ".join(evidence) or "agrees with the reference",
                         numbers))
    return rows


def _table1_tests(matrix, cache) -> dict:
    key = tuple(map(tuple, matrix))
    if key not in cache:
        out = {}
        for rule in RULES:
            try:
                out[rule] = categorical_test(matrix, rule)
            except RError as exc:  # e.g. a single non-empty level: no test possible
                out[rule] = {"error": exc.r_message}
            except MissingDependencyError as exc:  # no R here: the other checks still run
                out[rule] = {"error": f"R is needed for this test: {exc.message}"}
        cache[key] = out
    return cache[key]


def table1_matrices(block) -> dict:
    """The contingency tables behind one variable's three p-values (rows = levels)."""
    c = {col: [int(v.value) for v in block[col]] for col in TABLE1_GROUPS}
    return {
        "training": [[a, b] for a, b in zip(c["train_non_epr"], c["train_epr"])],
        "external": [[a, b] for a, b in zip(c["external_non_epr"], c["external_epr"])],
        "between cohorts": [[a + b, x + y] for a, b, x, y in zip(c["train_non_epr"], c["train_epr"],
                                                                 c["external_non_epr"], c["external_epr"])],
    }


def check_table1(paper: Paper) -> list[dict]:
    if paper.table1 is None:
        return []
    rows, cache, per_rule, checked = [], {}, Counter(), []
    for variable, block in paper.table1.groupby("variable", sort=False):
        matrices = table1_matrices(block)
        for pcol, comparison in TABLE1_P.items():
            printed = next((v for v in block[pcol] if v is not None), None)
            if printed is None:
                continue
            numbers = [number("published_table1", pcol, printed, row=variable, cohort=comparison, statistic="p")]
            row, good = _categorical_p(f"T1-P-{variable}-{comparison.split()[0]}", f"Table 1, {variable}, P "
                                       f"({comparison})", printed, matrices[comparison], _stated(block), numbers, cache)
            rows.append(row)
            if good is not None:
                checked += numbers
                per_rule.update(good)
    rows += _rule_row("T1-RULE", "Table 1", checked, per_rule)
    return rows


#: a stated test of counts -> the tests (R's, as categorical_test names them) that may have given its P
_COUNT_TESTS = {"chisq": ("pearson", "yates"), "pearson": ("pearson",), "yates": ("yates",), "fisher": ("fisher",)}


def _stated(block) -> str:
    """The test a Table 1 row (or a variable's rows) names in its optional ``test`` column, or ``""``."""
    return next((t for t in block["test"] if t), "") if "test" in block else ""


def _categorical_p(cid, where, printed, matrix, stated, numbers, cache) -> tuple[dict, list | None]:
    """One P of a table of counts against R's chisq.test / fisher.test under each rule: (the check's row, the
    rules reproducing it, or None when not checkable). A stated test leaves only the rules that chose it."""
    tests = _table1_tests(matrix, cache)
    if stated and stated not in _COUNT_TESTS:
        return _row(cid, "table1_p", printed, where, "", NOT_CHECKABLE, f"the paper names {TEST_NAMES[stated]}, a "
                    "test of means or ranks, for a row of counts", numbers), None
    if "error" in tests["textbook"]:
        return _row(cid, "table1_p", printed, where, "no test possible", NOT_CHECKABLE, tests["textbook"]["error"],
                    numbers), None
    good = [r for r in RULES if "p" in tests[r] and printed.holds(tests[r]["p"])
            and (not stated or tests[r]["test"] in _COUNT_TESTS[stated])]
    tb = tests["textbook"]
    parts = [f"{r}{' (' + tests[r]['test'] + ')' if r == 'textbook' else ''} p={tests[r]['p']:.4f}"
             for r in RULES if "p" in tests[r]]
    evidence = (f"reproduced by: {', '.join(good) or 'no rule'}; " + "; ".join(parts)
                + f"; n={int(tb['n'])}, smallest expected count {tb['min_expected']:.2f}"
                + (f"; the paper names {TEST_NAMES[stated]} ({' or '.join(_COUNT_TESTS[stated])})" if stated else ""))
    return _row(cid, "table1_p", printed, where, f"textbook rule -> {tb['test']}: p={tb['p']:.4f}", _ok(bool(good)),
                evidence, numbers), good


def _rule_row(cid, where, checked, per_rule) -> list[dict]:
    rows = []
    if checked:
        n_checked = len(checked)
        full = [r for r in RULES if per_rule[r] == n_checked]
        rows.append(_row(cid, "table1_p", f"{n_checked} p-values", where,
                         "p-values reproduced per rule: " + ", ".join(f"{r} {per_rule[r]}/{n_checked}"
                                                                       for r in RULES),
                         _ok(bool(full)),
                         (f"one rule reproduces every printed p-value: {', '.join(full)}" if full else
                          "no single test rule reproduces every printed p-value"), checked))
    return rows


def check_table1_percent(paper: Paper, ref: dict) -> list[dict]:
    """Table 1's column percentages: count / group size, to printed precision (one row per variable)."""
    rows = []
    if paper.table1_percent is None or paper.table1 is None:
        return rows
    counts = {(r["variable"], r["level"]): r for _, r in paper.table1.iterrows()}
    for variable, block in paper.table1_percent.groupby("variable", sort=False):
        bad, shown, missing, empty, numbers = [], [], [], [], []
        for _, r in block.iterrows():
            c = counts.get((variable, r["level"]))
            if c is None:
                missing.append(r["level"])
                continue
            for column, (cohort, group) in TABLE1_GROUPS.items():
                printed, k, n = r[column], int(c[column].value), ref[cohort][group]
                shown.append(printed.text)
                numbers.append(number("published_table1_percent", column, printed, row=_cell_label(r),
                                      cohort=cohort, statistic="percent"))
                if n <= 0:  # no patients in the group: a percentage of it is not defined
                    empty.append(column)
                    continue
                if not printed.holds(100 * k / n):
                    bad.append(f"{variable}={r['level']} {column}: {printed} but {k}/{n} = {100 * k / n:.2f}%")
        sizes = "/".join(str(ref[co][g]) for co, g in TABLE1_GROUPS.values())
        if missing or empty:
            why = (f"levels {missing} have no counts in published_table1.csv" if missing else
                   f"column(s) {sorted(set(empty))} have a group size of 0")
            rows.append(_row(f"T1-PCT-{variable}", "table1_percent", ", ".join(shown), f"Table 1, {variable}",
                             "", NOT_CHECKABLE, why, numbers))
            continue
        rows.append(_row(f"T1-PCT-{variable}", "table1_percent", ", ".join(shown), f"Table 1, {variable}",
                         f"count / column size ({sizes})", _ok(not bad),
                         "; ".join(bad) if bad else f"all {len(shown)} percentages are count / column size",
                         numbers))
    return rows


# ------------------------------------------------------------------------------ continuous rows, k groups
def _tables(paper: Paper) -> list:
    return [t for t in (seed_table(paper, TABLE1_GROUPS, TABLE1_P), paper.table1_groups) if t is not None]


def _prefix(table) -> tuple[str, str]:
    return ("T1", "published_table1") if table.file == "published_table1.csv" else ("T1G", "published_table1_groups")


def group_sizes(table, ref: dict) -> tuple[dict, str]:
    """Each group column's size and where it comes from: the table's ``N`` row, else the size most of its
    categorical variables sum to, else the cohort's reference counts (a whole cohort, or a group named events
    / nonevents); columns with none are left out."""
    if table.sizes:
        return {c: int(v.value) for c, v in table.sizes.items()}, "the N row"
    if table.counts is not None and table.file != "published_table1.csv":
        sums = _sums(table)
        return {c: int(Counter(sums[c]).most_common(1)[0][0]) for c in table.columns}, "the levels' sums"
    sizes = {}
    for col, cohort, group in table.groups:
        key = "n" if group is None else group
        if cohort in ref and key in ref[cohort]:
            sizes[col] = int(ref[cohort][key])
    return sizes, "the cohorts' reference counts"


def _sums(table) -> pd.DataFrame:
    """Per variable (rows) and group column: the sum of its levels' counts."""
    return table.counts.groupby("variable", sort=False)[table.columns].agg(lambda s: int(sum(v.value for v in s)))


def _arm(cells, sizes) -> "object":
    arms = []
    for col, s in cells:
        (m_lo, m_hi), (s_lo, s_hi) = s["mean"].interval, s["sd"].interval
        arms.append(Arm(sizes[col], m_lo, m_hi, max(s_lo, 0.0), max(s_hi, 0.0)))
    return arms[0] if len(arms) == 1 else pool(arms)


#: a stated test -> the mean (SD) tests that may have given its P (two groups / more)
_MEAN_TESTS = {"": ("Student's t", "Welch's t", "one-way ANOVA", "Welch's ANOVA"),
               "t": ("Student's t", "Welch's t", "one-way ANOVA", "Welch's ANOVA"),
               "student": ("Student's t", "one-way ANOVA"), "anova": ("Student's t", "one-way ANOVA"),
               "welch": ("Welch's t", "Welch's ANOVA")}


def _why_not(r, arms, sizes) -> str | None:
    """Why a continuous row's P cannot be recomputed from its printed summaries, or None."""
    if r["kind"] == "median_iqr":
        return ("a median (IQR) row's P comes from a rank test (Mann-Whitney U, Kruskal-Wallis) on the patients' "
                "values, which medians and quartiles do not determine")
    if r["test"] == "rank":
        return "the paper names a rank test, which means and SDs do not determine"
    if r["test"] not in _MEAN_TESTS:
        return f"the paper names {TEST_NAMES[r['test']]}, a test of counts, for a mean (SD) row"
    blank = [c for arm in arms for c in arm if r[c] is None]
    if blank:
        return f"the cell(s) {', '.join(blank)} are blank"
    unknown = [c for arm in arms for c in arm if c not in sizes]
    if unknown:
        return (f"the size of group(s) {', '.join(unknown)} is not known (give an N row, or the cohort's counts "
                "in cohorts.csv)")
    cells = [r[c] for arm in arms for c in arm]
    if any(p.below or p.above for cell in cells for p in cell.parts):
        return "a mean or SD is printed as a bound"
    if any(cell["sd"].value < 0 for cell in cells):
        return "an SD is negative (see the summary check)"
    return None


def _continuous_p(table, r, comparison, sizes) -> dict | None:
    pcol, label, arms = comparison
    printed = r[pcol]
    if printed is None:
        return None
    prefix, stem = _prefix(table)
    cid, var = f"{prefix}-P-{r['variable']}-{label.split()[0]}", r["variable"]
    where = f"Table 1, {var} ({KINDS[r['kind']]}), P ({label})"
    numbers = [number(stem, pcol, printed, row=var, cohort=label, statistic="p")]
    why = _why_not(r, arms, sizes)
    if why:
        return _row(cid, "table1_p_continuous", printed, where, "", NOT_CHECKABLE, why, numbers)
    tests = mean_tests([_arm([(c, r[c]) for c in arm], sizes) for arm in arms])
    if not tests:
        return _row(cid, "table1_p_continuous", printed, where, "", NOT_CHECKABLE, "no test can be computed (an "
                    "SD of 0, or a group of one patient)", numbers)
    allowed = [t for t in _MEAN_TESTS[r["test"]] if t in tests]
    good = [t for t in allowed if printed.overlaps(*tests[t][1:])]
    others = [t for t in tests if t not in allowed and printed.overlaps(*tests[t][1:])]
    ns = " vs ".join("+".join(str(sizes[c]) for c in arm) for arm in arms)
    evidence = (f"reproduced by: {', '.join(good) or 'no test'}; "
                + "; ".join(f"{t} p={p:.4f} ({lo:.4f}-{hi:.4f} over the rounding of the printed means and SDs)"
                            for t, (p, lo, hi) in tests.items())
                + f"; n={ns}" + (f"; the paper names {TEST_NAMES[r['test']]}" if r["test"] else "")
                + (f"; {', '.join(others)}, which the paper does not name, would give it"
                   if others and not good else ""))
    return _row(cid, "table1_p_continuous", printed, where, "; ".join(f"{t} p={tests[t][0]:.4f}" for t in allowed),
                _ok(bool(good)), evidence, numbers)


def _summary_row(table, r) -> dict:
    """A continuous row's printed summaries are possible at all: SD >= 0, Q1 <= median <= Q3."""
    prefix, stem = _prefix(table)
    bad, numbers, shown = [], [], []
    cohort = {col: co for col, co, _ in table.groups}
    for col in table.columns:
        s = r[col]
        if s is None:
            continue
        shown.append(s.text)
        numbers += [number(stem, col, part, row=r["variable"], cohort=cohort[col], statistic=name)
                    for name, part in zip(s.names, s.parts)]
        if s.kind == "mean_sd" and s["sd"].interval[1] < 0:
            bad.append(f"{col}: SD {s['sd']} < 0")
        elif s.kind == "median_iqr" and (s["q1"].interval[0] > s["median"].interval[1]
                                         or s["median"].interval[0] > s["q3"].interval[1]):
            bad.append(f"{col}: {s} is not median (Q1-Q3) with Q1 <= median <= Q3")
    rule = "SD >= 0" if r["kind"] == "mean_sd" else "Q1 <= median <= Q3"
    return _row(f"{prefix}-SUM-{r['variable']}", "table1_summary", ", ".join(shown),
                f"Table 1, {r['variable']} ({KINDS[r['kind']]})", rule, _ok(not bad),
                "; ".join(bad) if bad else f"every printed summary has {rule}", numbers)


def check_table1_continuous(paper: Paper, ref: dict) -> list[dict]:
    """Table 1's mean (SD) and median (IQR) rows, in published_table1.csv and published_table1_groups.csv."""
    rows = []
    for table in _tables(paper):
        if table.continuous is None:
            continue
        sizes, _ = group_sizes(table, ref)
        for r in table.continuous.to_dict("records"):
            rows.append(_summary_row(table, r))
            rows += [row for comp in table.comparisons if (row := _continuous_p(table, r, comp, sizes))]
    return rows


def check_table1_groups(paper: Paper, ref: dict) -> list[dict]:
    """published_table1_groups.csv: each column's levels sum to its group size, each cohort's groups to the
    cohort's size, and each P of its counts recomputed over the k groups compared (as check_table1)."""
    table = paper.table1_groups
    if table is None:
        return []
    rows, cache, per_rule, checked = _group_sum_rows(table, ref), {}, Counter(), []
    blocks = [] if table.counts is None else table.counts.groupby("variable", sort=False)
    for variable, block in blocks:
        for pcol, label, arms in table.comparisons:
            printed = next((v for v in block[pcol] if v is not None), None)
            if printed is None:
                continue
            matrix = [[sum(int(r[c].value) for c in arm) for arm in arms] for r in block.to_dict("records")]
            numbers = [number("published_table1_groups", pcol, printed, row=variable, cohort=label, statistic="p")]
            row, good = _categorical_p(f"T1G-P-{variable}-{label.split()[0]}", f"Table 1 (groups), {variable}, P "
                                       f"({label})", printed, matrix, _stated(block), numbers, cache)
            rows.append(row)
            if good is not None:
                checked += numbers
                per_rule.update(good)
    return rows + _rule_row("T1G-RULE", "Table 1 (groups)", checked, per_rule)


def _group_sum_rows(table, ref: dict) -> list[dict]:
    rows = []
    sizes, source = group_sizes(table, ref)
    if table.counts is not None:
        sums = _sums(table)
        for col, cohort, _ in table.groups:
            odd = {v: int(s) for v, s in sums[col].items() if s != sizes[col]}
            cells = [number("published_table1_groups", col, r[col], row=f"{r['variable']}: {r['level']}",
                            cohort=cohort, statistic="count") for r in table.counts.to_dict("records")]
            if col in table.sizes:
                cells.append(number("published_table1_groups", col, table.sizes[col], row="N", cohort=cohort,
                                    statistic="n"))
            rows.append(_row(f"T1G-N-{col}", "cohort_counts", sizes[col], f"Table 1 (groups), column {col}",
                             f"level counts summed per variable: {sorted(set(int(s) for s in sums[col]))}",
                             _ok(not odd), f"every variable's levels sum to {sizes[col]} ({source})" if not odd
                             else f"variables summing to another size than {sizes[col]} ({source}): {odd}", cells))
    if source == "the cohorts' reference counts":
        return rows   # the sizes are the cohorts' own: nothing to compare
    for cohort in dict.fromkeys(co for _, co, _ in table.groups):
        cols = [(c, g) for c, co, g in table.groups if co == cohort]
        given = {(g or "n"): sizes[c] for c, g in cols if c in sizes}
        total = sum(sizes[c] for c, _ in cols if c in sizes)
        quoted = " + ".join(f"{c}={sizes.get(c, '?')}" for c, _ in cols)
        cid = f"T1G-COHORT-{cohort}"
        if cohort not in ref or len(given) < len(cols):
            rows.append(_row(cid, "cohort_counts", quoted, f"Table 1 (groups), {cohort}", "", NOT_CHECKABLE,
                             f"no reference counts for cohort {cohort!r} in cohorts.csv" if cohort not in ref else
                             "some of its group sizes are not known", []))
            continue
        bad = [f"{g} {v} vs {ref[cohort][g]}" for g, v in given.items() if g in ("events", "nonevents")
               and v != ref[cohort][g]]
        if total != ref[cohort]["n"]:
            bad.insert(0, f"the groups sum to {total}, the cohort has n={ref[cohort]['n']}")
        rows.append(_row(cid, "cohort_counts", quoted, f"Table 1 (groups), {cohort}",
                         f"{ref[cohort]['source']}: n={ref[cohort]['n']}", _ok(not bad),
                         "; ".join(bad) or f"the groups ({source}) sum to the cohort's n={total}", []))
    return rows
