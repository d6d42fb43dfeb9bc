"""The rows of Table 1: a categorical variable's counts and tests, a continuous variable's summaries and
tests, and the table's layout (used by :func:`eprstats.characteristics.table_one.table1`)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, RError
from ..validation import decimal_comma
from .tests import SPSS_KEYS, categorical_test, continuous_test

#: a categorical variable with more levels is almost surely an identifier or free text, and an exact
#: test on such a table would not finish
MAX_LEVELS = 20
#: the columns of every tests row
TEST_COLUMNS = ("test", "method", "statistic", "df", "p", "n", "min_expected", "share_expected_below_5")


def _sort_levels(values) -> list:
    uniq = pd.unique(pd.Series(values).dropna())
    try:
        return sorted(uniq, key=float)
    except (TypeError, ValueError):
        return sorted(uniq, key=str)


COUNT_COLUMNS = ["variable", "level", "cohort", "group", "n", "percent"]
SUMMARY_COLUMNS = ["variable", "cohort", "group", "n", "mean", "sd", "median", "q1", "q3", "shown"]


def _categorical(var, values, group, cohort, labels, cohort_order, rule, decimals, names=False):
    levels = _sort_levels(values)
    if len(levels) > MAX_LEVELS:
        hint = decimal_comma(values)
        cause = hint.strip(" ()") if hint else "it looks like an identifier or free text"
        raise InputError(f"categorical variable has {len(levels)} levels (more than {MAX_LEVELS}); {cause}",
                         "leave it out of --variables, or declare a numeric variable with --type VAR=continuous",
                         column=var)
    if len(levels) < 2:
        raise InputError(f"variable has a single level ({levels[0] if levels else 'no values'}), so it "
                         "cannot be compared", "leave it out of --variables, or check the export",
                         column=var)
    known = values.notna()
    rows = [{"level": str(lv), "cells": {}} for lv in levels]
    counts, tests = [], []
    for c in cohort_order:
        table = np.zeros((len(levels), 2), dtype=int)
        for j, g in enumerate(labels):
            sel = (cohort == c) & (group == g) & known
            denominator = int(sel.sum())
            for i, lv in enumerate(levels):
                n = int((values[sel] == lv).sum())
                table[i, j] = n
                pct = 100.0 * n / denominator if denominator else float("nan")
                rows[i]["cells"][(c, g)] = f"{n} ({pct:.{decimals}f}%)"
                counts.append({"variable": var, "level": str(lv), "cohort": c, "group": g, "n": n,
                               "percent": pct})
        tests.append(_test_row(var, c, table, rule, names))
    if len(cohort_order) > 1:
        between = np.array([[int(((cohort == c) & known & (values == lv)).sum()) for c in cohort_order]
                            for lv in levels])
        tests.append(_test_row(var, "between cohorts", between, rule, names))
    return rows, tests, counts


def _test_row(var, comparison, table, rule, names=False):
    try:
        res = categorical_test(table, rule)
    except Exception as exc:  # e.g. a level present in one group only: say which comparison
        raise InputError(f"the test of {var!r} ({comparison}, rule {rule!r}) failed: {exc}",
                         "check the variable's levels in this comparison", column=var,
                         cohort=None if comparison == "between cohorts" else comparison) from None
    return {"variable": var, "comparison": comparison, **{k: res[k] for k in TEST_COLUMNS},
            **({"spss": res["spss"]} if names else {})}


def _test_dict(var, comparison, res, spss) -> dict:
    """One tests row of a continuous variable; SPSS's name and numbers only when asked for."""
    row = {"variable": var, "comparison": comparison, **{k: res.get(k) for k in TEST_COLUMNS}}
    if spss["names"]:
        row.update({k: res.get(k, "" if k == "spss" else np.nan) for k in SPSS_KEYS})
    return row


def _named_test(var, comparison, x, groups, kind, var_equal, spss, order):
    """continuous_test, with R's error re-raised naming the variable, the comparison (cohort), the rule and
    the groups' sizes, so that R's bare "not enough 'y' observations" says which row of Table 1 failed."""
    try:
        res = continuous_test(x, groups, kind, var_equal, mann_whitney=spss["mann_whitney"],
                              order=order if spss["names"] else None)
        if res.get("w_group") is not None:  # which group's pairs W counts (R's order, not necessarily the table's)
            res["method"] = (f"{res['method']}; W = the pairs (one {res['w_group']}, one {res['w_other']} patient) in "
                             f"which the {res['w_group']} value is the larger, ties counted 1/2")
        return res
    except RError as exc:
        known = x.notna()
        sizes = {str(g): int((known & (groups == g)).sum()) for g in order}
        spread = {str(g): x[known & (groups == g)].nunique() for g in order}
        cause = ([f"group {g!r} has {n} patient(s) with a value" for g, n in sizes.items() if n < 2]
                 + [f"group {g!r} is constant" for g, k in spread.items() if k == 1 and sizes[g] >= 2])
        raise RError(exc.r_function, f"{exc.r_message} (Table 1 variable {var!r}, {comparison}, continuous rule "
                     f"{kind!r}; patients with a value per group: {sizes}"
                     + (f"; {', '.join(cause)}" if cause else "") + ")",
                     "a test needs at least 2 patients with a value in every group, and some spread: leave the "
                     "variable out (--variables), declare it categorical (--type VAR=categorical) or nonnormal "
                     "(--type VAR=nonnormal)", column=var,
                     cohort=None if comparison == "between cohorts" else comparison) from None


def _continuous(var, values, group, cohort, labels, cohort_order, kind, var_equal, spss):
    x = pd.to_numeric(values, errors="coerce")
    bad = int((x.isna() & values.notna()).sum())
    if bad:
        raise InputError(f"{bad} value(s) are not numbers in a continuous variable{decimal_comma(values)}",
                         "fix the values, or declare it categorical with --type VAR=categorical",
                         column=var)
    if np.isinf(x).any():
        raise InputError("infinite values in a continuous variable", "fix or remove them", column=var)
    tests, chosen = [], []
    for c in cohort_order:
        sel = cohort == c
        res = _named_test(var, c, x[sel], group[sel], kind, var_equal, spss, labels)
        chosen.append(res["kind"])
        tests.append(_test_dict(var, c, res, spss))
    if len(cohort_order) > 1:
        res = _named_test(var, "between cohorts", x, cohort, kind, var_equal, spss, cohort_order)
        chosen.append(res["kind"])
        tests.append(_test_dict(var, "between cohorts", res, spss))
    # One summary for the whole row, so that columns are comparable: mean (SD) only when every
    # comparison found the variable normal.
    normal = all(k == "normal" for k in chosen)
    shown = "mean (SD)" if normal else "median (IQR)"
    cells, summaries = {}, []
    for c in cohort_order:
        for g in labels:
            v = x[(cohort == c) & (group == g)].dropna()
            mean, sd = v.mean(), v.std(ddof=1)
            q1, q2, q3 = np.percentile(v, [25, 50, 75]) if len(v) else (np.nan,) * 3
            cells[(c, g)] = f"{mean:.2f} ({sd:.2f})" if normal else f"{q2:.2f} ({q1:.2f}-{q3:.2f})"
            summaries.append({"variable": var, "cohort": c, "group": g, "n": int(len(v)), "mean": mean, "sd": sd,
                              "median": q2, "q1": q1, "q3": q3, "shown": shown})
    return [{"level": shown, "cells": cells}], tests, summaries


def _layout(rows, cohort_order, labels, group_n, multi):
    columns = ["Variable", "Level"]
    for c in cohort_order:
        columns += [f"{c} {g} (n={group_n[(c, g)]})" for g in labels] + [f"{c} P"]
    if multi and len(cohort_order) > 1:
        columns.append("P between cohorts")
    records = []
    for var, row in rows:
        rec = [var, row["level"]]
        p = row.get("p", {})
        for c in cohort_order:
            rec += [row["cells"].get((c, g), "") for g in labels] + [p.get(c, "")]
        if multi and len(cohort_order) > 1:
            rec.append(p.get("between cohorts", ""))
        records.append(rec)
    return pd.DataFrame(records, columns=columns)
