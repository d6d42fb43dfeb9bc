"""Checks of the cohort sizes and of Table 1: every printing of a cohort's size against the reference
counts, Table 1's p-values recomputed in R under each test rule, and its column percentages as k / n."""
from __future__ import annotations

from collections import Counter

from ..errors import MissingDependencyError, RError
from .schema import TABLE1_GROUPS, TABLE1_P, Paper
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
    from ..characteristics.tests import categorical_test  # R, lazily: the audit's other checks need none

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
            tests = _table1_tests(matrices[comparison], cache)
            cid = f"T1-P-{variable}-{comparison.split()[0]}"
            where = f"Table 1, {variable}, P ({comparison})"
            numbers = [number("published_table1", pcol, printed, row=variable, cohort=comparison, statistic="p")]
            if "error" in tests["textbook"]:
                rows.append(_row(cid, "table1_p", printed, where, "no test possible", NOT_CHECKABLE,
                                 tests["textbook"]["error"], numbers))
                continue
            checked += numbers
            good = [r for r in RULES if "p" in tests[r] and printed.holds(tests[r]["p"])]
            per_rule.update(good)
            tb = tests["textbook"]
            parts = [f"{r}{' (' + tests[r]['test'] + ')' if r == 'textbook' else ''} p={tests[r]['p']:.4f}"
                     for r in RULES if "p" in tests[r]]
            evidence = (f"reproduced by: {', '.join(good) or 'no rule'}; " + "; ".join(parts)
                        + f"; n={int(tb['n'])}, smallest expected count {tb['min_expected']:.2f}")
            rows.append(_row(cid, "table1_p", printed, where, f"textbook rule -> {tb['test']}: p={tb['p']:.4f}",
                             _ok(bool(good)), evidence, numbers))
    if checked:
        n_checked = len(checked)
        full = [r for r in RULES if per_rule[r] == n_checked]
        rows.append(_row("T1-RULE", "table1_p", f"{n_checked} p-values", "Table 1",
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
