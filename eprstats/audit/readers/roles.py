"""What one table cell's numbers are (their roles) and whose they are (their place), from the cell's header
paths and printed form: the rules of docs/audit_import.md, steps 4, 5 and 7. ``tb`` is the table's header
structure (:class:`eprstats.audit.readers.place._Table`)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..cells import Cell
from ..registry import METRIC_ROLES
from . import words as W
from .cohort_pairs import named_in_cohort
from .glued import cohort_header, glued_label
from .headers import bare_bound, is_bound_header
from .horizons import table_horizons, time_horizon
from .targets import target_and_model
from .numbers import Parsed

PERFORMANCE = {"auc", "c_index", "sensitivity", "specificity", "accuracy", "ppv", "npv", "f1", "youden", "brier",
               "nri", "idi", "calibration_slope", "calibration_intercept", "cutoff"}
REGRESSION = {"or", "hr", "rr", "beta", "se", "statistic"}
PERFORMANCE |= set(METRIC_ROLES)         # the rates of a 2x2 table the registry declares (FNR, LR+...)
_WITH_CI = {"auc", "c_index", "sensitivity", "specificity", "accuracy", "ppv", "npv", "f1", "youden", "brier", "nri",
            "idi", "calibration_slope", "calibration_intercept", "or", "hr", "rr", "beta", "mean"} | set(METRIC_ROLES)


def _impossible(c: Cell) -> bool:
    """A value its role cannot take: a P above 1, a percentage above 100, an AUC above 1, a count with
    decimals."""
    v = c.value
    if c.role == "p" or c.role in ("auc", "c_index") or (c.of in ("auc", "c_index") and c.role in ("ci_low", "ci_high")):
        return v < 0 or v > 1
    if c.role in ("percent", "sensitivity", "specificity", "accuracy", "ppv", "npv"):
        return v < 0 or v > 100
    if c.role in ("n", "count", "events"):
        return v < 0 or c.decimals > 0
    return c.role in ("sd", "se") and v < 0


def row_roles(tb, seg: str) -> list:
    """The roles a row label names; in a regression table a row labelled ``N`` / ``n`` whose numbers are not
    all whole (an HR with its CI, a P) is a variable named N (TNM's nodal stage), not the number of patients
    (``tb.n_is_name``, set for the row being read)."""
    if getattr(tb, "n_is_name", False) and re.fullmatch(r"\s*[nN]\s*", seg):
        return []
    return W.segment_roles(seg, row=True)


def _names(tb, row_path: tuple, col_path: tuple, role: str):
    """(cohort, group, model, variable, level) from the headers' name segments, or a str: why not."""
    cohorts, groups, models, rows = [], [], [], []
    kind = "performance" if role in PERFORMANCE else "regression" if role in REGRESSION else tb.kind
    if kind != "characteristics" and role in _SUMMARY:
        kind = "summary"           # a variable's summary column in a performance table: its header is the variable
    sub = _subgroup(col_path) if kind != "characteristics" else None
    if sub is not None:
        groups.append(f"{W.clean_name(col_path[sub])} > {W.clean_name(col_path[sub + 1])}")
    for k, seg in enumerate(col_path):
        if sub is not None and k in (sub, sub + 1):
            continue
        if W.is_total(seg):
            total = _total(tb, col_path, seg)
            if total is None:
                return (f"{seg!r}: the union of the outcome groups beside it, not a group of its own (no role "
                        "for it)")
            if total:
                cohorts.append(total)
            continue
        cohort, seg = cohort_header(tb, seg, kind)
        if seg is None:
            return cohort                  # a header that is a cohort and a group, or one cohort: no place
        if cohort:
            cohorts.append(cohort)
        if seg and kind == "regression" and W.segment_roles(seg) and _ANALYSIS_FIRST.match(seg):
            # "Univariate Odds Ratio (95% C.I)": the analysis word before the statistic in one header cell is
            # the model, as a header row of its own over ``OR (95% CI)`` is
            models.append(W.clean_name(_ANALYSIS_FIRST.match(seg).group(1)))
            continue
        if seg and W.segment_roles(seg) and time_horizon(seg) and len(table_horizons(tb)) > 1:
            groups.append(time_horizon(seg))   # ``1-year AUC (95% CI)``: the AUC of the 1-year outcome
        if not seg or W.segment_roles(seg) or W.is_ci_only(seg) or _form_only(seg) or W.is_condition(seg) or \
                (role in ("ci_low", "ci_high") and k == len(col_path) - 1 and (is_bound_header(seg) or
                                                                               bare_bound(col_path, k))):
            continue
        if not W.clean_name(seg):
            continue                       # ``N = 114`` on a header row of its own: the n over it, no name
        if kind == "characteristics" or (kind == "performance" and W.is_horizon(seg)):
            groups.append(W.clean_name(seg))
        elif kind == "performance" and W.size_in(seg) is not None:
            cohorts.append(W.clean_name(seg))     # ``D2 N=113`` over AUCs: a set of patients (its n), not a model
        elif kind == "summary":
            rows.append(W.clean_name(seg))
        else:
            models.append(W.clean_name(seg))
    for k, seg in enumerate(row_path):
        glued = glued_label(tb, seg)
        if isinstance(glued, str):
            return glued
        if glued:
            seg, cohort = glued
            cohorts.append(cohort)
        named = named_in_cohort(seg)        # ``Rad-score in primary cohort``: a model and its cohort
        if isinstance(named, str) and k < len(tb.label_kind) and tb.label_kind[k] == "cohort":
            return named
        if isinstance(named, tuple):
            cohorts.append(W.cohort_name(named[1]))
            (models if kind == "performance" else rows).append(named[0])
            continue
        if (row_roles(tb, seg) or _form_only(seg) or W.is_ci_only(seg)) and not (
                kind == "regression" and _SUMMARY_WORD.match(seg)):
            continue               # ``Mean`` in a regression table's rows is a feature's name (its OR's, its P's)
        if kind == "performance" and W.is_horizon(seg):
            groups.append(W.clean_name(seg))      # ``3-yr`` beside the metric: the outcome within 3 years
            continue
        lk = tb.label_kind[k] if k < len(tb.label_kind) and len(row_path) == tb.L else ""
        if lk == "cohort" or W.is_cohort(seg, False):
            cohorts.append(W.cohort_name(seg))
        elif kind == "summary":
            return f"a summary in a row of {seg!r}, not of a cohort: no header says whose it is"
        elif lk == "model" or (kind == "performance" and lk != "variable"):
            models.append(W.clean_name(seg))
        else:
            rows.append(W.clean_name(seg))
    if kind == "regression" and len(models) == 2:
        models = _numbered_model_under_analysis(tb, models)
        if isinstance(models, str):
            return models
    if kind == "regression" and len(models) == 2 and sum(bool(_ANALYSIS.match(m)) for m in models) == 1:
        groups.append(next(m for m in models if not _ANALYSIS.match(m)))     # the outcome over its analyses
        models = [m for m in models if _ANALYSIS.match(m)]
    if not cohorts:
        cohorts = _stub_cohort(tb)
    target = target_and_model(tb, models) if kind == "performance" and not groups else None
    if target:                             # the caption's "in the diagnosis of A": A is what the rates are of
        groups, models = [target[0]], [target[1]]
    if len(models) > 1:
        return f"two names could be the model ({' / '.join(models)}): no header says which"
    if kind == "performance" and rows:
        return f"a performance number in a row of a variable ({' > '.join(rows)}): no header says what it is"
    if role == "p" and kind == "regression" and not rows and any(set(row_roles(tb, s)) & REGRESSION for s in row_path):
        # ``EQD2 (α/β ratio=10)``: a label read as a statistic (β) and as no variable; its P has no owner
        return "a P in a row whose label names a statistic and no variable: no header says whose it is"
    variable = rows[0] if rows else ""
    level = " > ".join(rows[1:])
    return " > ".join(cohorts), " > ".join(groups), (models[0] if models else ""), variable, level


_NUMBERED_MODEL = re.compile(r"^\s*(?:model|step|block)\s*(?:\d{1,2}|[A-D]|I{1,3}|IV)\s*$", re.I)


def _numbered_model_under_analysis(tb, models: list) -> list:
    """``Multivariate analysis`` over ``Model 1 | Model 2 | Model 3``: the numbered models are the models, and the
    analysis printed once over every column of the table tells no column apart (it is the whole table's). Where
    the analysis does not span the table, why the number has no place (a str): the numbered name could be the
    model or a group of the analysis."""
    analysis = [m for m in models if _ANALYSIS.match(m)]
    numbered = [m for m in models if _NUMBERED_MODEL.match(m)]
    if len(analysis) != 1 or len(numbered) != 1:
        return models
    spans = all(any(W.clean_name(s) == analysis[0] for s in p) for p in tb.col_path[tb.L:] if p)
    return numbered if spans else (f"{numbered[0]!r} under {analysis[0]!r}, an analysis over part of the table: "
                                   "the model, or a group of the analysis? no header says which")


def p_of_the_row(tb, row_out) -> None:
    """A P is its row's estimate's: where every estimate placed in the P's row is of one kind (a hazard ratio in
    a table whose other rows print C-indices), the P is named as that estimate is (a regression row's label is
    its variable, a performance row's its model) and is that estimate's P, not the table's majority kind's. A
    P whose column's estimate printed nothing in the row is the row's one estimate's."""
    roles = {c.role for c in row_out.placed if c.role in PERFORMANCE | REGRESSION and c.role not in ("se",
                                                                                                     "statistic")}
    kinds = {"performance" if r in PERFORMANCE else "regression" for r in roles}
    if len(kinds) != 1:
        return
    if kinds == {tb.kind}:
        # the P column's estimate (the column on its left) printed nothing in this row: the row's one estimate
        row_out.placed = [replace(c, of=next(iter(roles))) if c.role == "p" and c.of and c.of not in roles and
                          len(roles) == 1 else c for c in row_out.placed]
        return
    for k, c in enumerate(row_out.placed):
        if c.role != "p":
            continue
        est = c.of if c.of in roles else sorted(roles)[0] if len(roles) == 1 else ""
        names = _names(tb, c.row_path, c.col_path, est or sorted(roles)[0])
        if isinstance(names, str):
            row_out.unplaced.append(replace(c, role="", of="", cohort="", group="", model="", variable="",
                                            level="", reason=names))
            row_out.placed[k] = None
            continue
        cohort, group, model, variable, level = names
        row_out.placed[k] = replace(c, of=est, cohort=cohort, group=group, model=model, variable=variable,
                                    level=level)
    row_out.placed = [c for c in row_out.placed if c is not None]


_SUMMARY = {"mean", "sd", "median", "q1", "q3", "min", "max"}
#: an analysis of a regression table (the model of its numbers): ``Univariate regression``, ``Adjusted``
_ANALYSIS = re.compile(r"^\s*(?:uni|multi)-?varia(?:te|ble)\b|^\s*(?:crude|adjusted|unadjusted)\b", re.I)
_ANALYSIS_FIRST = re.compile(r"^\s*((?:uni|multi)-?varia(?:te|ble)|crude|unadjusted|adjusted)\s+\w", re.I)
_BOUND_LEVEL = re.compile(r"^\s*(?:<=|>=|≤|≥|<|>)\s*\d+(?:[.,]\d+)?\s*\S{0,8}\s*$")
_SEX = re.compile(r"^\s*(?:sex|gender)\s*$", re.I)
_SEX_LEVEL = re.compile(r"^\s*(?:male|female|men|women)\s*$", re.I)


def _subgroup(col_path: tuple):
    """The index of a variable in a column's headers whose next segment is one of its levels (a subgroup of a
    performance table, ``Age > < 60``, ``Gender > Female``): a bound (``< 60``, ``≥ 60``: no model is named
    so) or a sex under ``Sex`` / ``Gender``; None otherwise."""
    for k in range(len(col_path) - 1):
        a, b = col_path[k], col_path[k + 1]
        if W.segment_roles(a) or W.is_cohort(a):
            continue
        if _BOUND_LEVEL.match(b) or (_SEX.match(a) and _SEX_LEVEL.match(b)):
            return k
    return None


def _stub_cohort(tb) -> list:
    """A cohort named by the header over the row labels (``External validation set`` at the top left, models
    as columns, rates as rows): the cohort of every number of the table that names no other."""
    stub = [W.cohort_name(s) for j in range(min(tb.L, len(tb.col_path))) for s in tb.col_path[j] if W.is_cohort(s)]
    return stub[:1] if len(stub) == 1 else []


def stub_statistic(tb) -> list:
    """The one statistic named by the header over the row labels (``Model AUC (95% CI)``), where it names one
    and no P: what every number holds whose own headers name none."""
    roles = {r for j in range(min(tb.L, len(tb.col_path))) for s in tb.col_path[j] for r in W.segment_roles(s)}
    return sorted(roles) if len(roles) == 1 and "p" not in roles else []


def _total(tb, col_path: tuple, seg: str):
    """A ``Total (n = 283)`` / ``All patients`` column: the whole sample. Beside cohorts (``Training cohort``,
    ``Validation cohort``) it is a cohort of its own, named as printed; beside outcome groups (``EPR``,
    ``Non-EPR``) it is their union, which has no place in the audit's vocabulary (None), but under a cohort's
    header (``Developing cohort`` over ``All | Low | High``) it is that cohort's own column ("": no group; the
    audit leaves it out of the groups it sums, table1_cells._p_rows)."""
    depth = col_path.index(seg)
    parent = col_path[:depth]
    siblings = {p[depth] for p in tb.col_path[tb.L:] if len(p) > depth and p[:depth] == parent and p[depth] != seg}
    names = [s for s in siblings if not (W.segment_roles(s) or W.is_ci_only(s) or _form_only(s))]
    if all(W.is_cohort(s) for s in names):
        return W.clean_name(seg)
    if tb.kind == "characteristics" and any(W.is_cohort(s) for s in parent):
        return ""        # ``Developing cohort > All`` beside its groups: the cohort itself, no group
    return None


#: a summary's word alone, which names a variable (a radiomics feature) in a regression table's rows: the column
#: names the statistic (the OR), so the row's word cannot be the form of its numbers
_SUMMARY_WORD = re.compile(r"^\s*(?:mean|median|SD|range|IQR|variance|minimum|maximum)\s*$", re.I)


def _form_only(seg: str) -> bool:
    """A segment that says only how numbers are printed (``n (%)``, ``Mean ± SD``, ``Value``)."""
    rest = re.sub(r"95\s*%\s*CI\b|\b(?:n|No\.?|mean|median|SD|IQR|CI|range|value|values|data|statistics?)\b|"
                  r"[()\[\]%±,;/:]", " ", seg, flags=re.I)
    return not rest.strip() and bool(re.search(r"%|±|\b(?:mean|median|SD|IQR|range)\b", seg, re.I))


def _roles(tb, row_path: tuple, col_path: tuple, j: int) -> tuple[list, str]:
    """The statistic the headers name (at most one besides P), and the estimate a CI-only column belongs to."""
    col = [r for s in col_path for r in W.segment_roles(s)]
    row = [r for s in row_path for r in row_roles(tb, s)]
    if not col and not row and tb.kind != "characteristics":
        col = stub_statistic(tb)        # ``Model AUC (95% CI)`` over the row labels: every cell's statistic
    row_ci = getattr(tb, "row_ci", "") if row_path and W.is_ci_only(row_path[-1]) else ""
    return list(dict.fromkeys(col + row)), tb.ci_of[j] or row_ci


def _assign(tb, row_path, col_path, j, p: Parsed):
    """[(role, of)] for each number of the cell, or (None, why not)."""
    named, ci_of = _roles(tb, row_path, col_path, j)
    if p.form == "other":
        return None, f"the cell's form ({p.text!r}) is not one the importer knows"
    bound = getattr(tb, "bound_of", None) and j < len(tb.bound_of) and tb.bound_of[j]
    if bound:                      # ``AUC_CI_low``: one bound of the estimate on its left, never the estimate
        if p.form == "single":
            return [bound], ""
        return None, f"a column of {bound[1]}'s CI {bound[0][3:]} bound whose cell is not one number ({p.form})"
    if ci_of:
        if p.form == "range":
            return [("ci_low", ci_of), ("ci_high", ci_of)], ""
        return None, f"a CI column of {ci_of} that does not print an interval"
    stats = [r for r in named if r != "p"]
    if "cutoff" in stats:
        return None, "a cut-off value: no role for it in the audit"
    if "p" in named:
        if len(stats) > 1:
            return None, f"the headers name {', '.join(named)}"
        if p.form == "single":
            return [("p", stats[0] if stats else tb.p_of[j])], ""
        return None, f"a P column whose cell is not one number ({p.form})"
    if len(stats) > 1:
        return None, f"the headers name two statistics ({', '.join(stats)}): the column's and the row's"
    if stats:
        return _with_stat(stats[0], p, row_path + col_path)
    if tb.kind != "characteristics":
        if W.hints(col_path[-1:]) & {"mean", "median"}:
            return _by_form(tb, row_path, col_path, p)    # "Imaging quality (mean ± SD)": its own column
        return None, "a summary in a performance or regression table: no header says whose it is"
    if not col_path and any(tb.col_path[k] for k in range(tb.L, len(tb.col_path))):
        # a row's hint ("mean±SD") says what the row's summaries are, not what a column without a header holds
        return None, "a column with no header where the table's other columns have one: no header says what it is"
    return _by_form(tb, row_path, col_path, p)


def _with_stat(stat: str, p: Parsed, segs) -> tuple:
    f = p.form
    if f == "single":
        return [(stat, "")], ""
    if f == "est_ci" and stat in _WITH_CI:
        return [(stat, ""), ("ci_low", stat), ("ci_high", stat)], ""
    if f == "pm" and stat in _WITH_CI - {"mean"} and any(W.has_ci(s) for s in segs):
        # "AUC ± 95% CI": the number after ± is the CI's half-width, not an SD; no role for it (the bounds are
        # not printed), so it is listed unplaced and the estimate placed
        return [(stat, ""), (None, f"the half-width of {stat}'s CI ({p.text!r} under a header naming a CI): no "
                                   "role for it")], ""
    if f == "pm":
        return [(stat, ""), ("sd", stat)], ""
    if f == "pair" and any(W.roles_of(s) == ["se"] or re.search(r"\(\s*SE\s*\)", s) for s in segs):
        return [(stat, ""), ("se", stat)], ""
    if f == "fraction_pct":
        return [("count", stat), ("n", stat), (stat, "")], ""
    if f == "pct_fraction":
        return [(stat, ""), ("count", stat), ("n", stat)], ""
    if f == "fraction":
        return [("count", stat), ("n", stat)], ""
    if f == "range" and stat in _WITH_CI:
        return None, f"an interval under {stat} without its estimate"
    return None, f"{stat} printed as {p.text!r}: a form whose parts no header names"


def _categorical_level(tb, row_path) -> bool:
    """A level of a variable whose own row printed only its P (a test of a categorical variable): where no
    header names a form, a whole number under its groups is the level's count, ``a (b)`` its count and
    percentage."""
    return any(seg in getattr(tb, "categorical", ()) for seg in row_path[:-1])


def _level(row_path) -> bool:
    """A row read as a level of a variable (a category: its ``a (b)`` cannot be a mean and SD), not a
    cohort's row."""
    return len(row_path) >= 2 and not W.is_cohort(row_path[-2], False)


NO_PAIR_HEADER = "a (b) where no header says n (%) or mean (SD)"
IQR_WIDTH = ("the IQR printed as one number (Q3 - Q1) beside its median: no role of its own (its quartiles are not "
             "printed)")


def _iqr_named(segments) -> bool:
    """``Median (IQR)`` in the headers and no other spread (range, quartiles, SD): ``56.0(23.0)`` is a median and
    its IQR as one number, Q3 - Q1, by the header's own word."""
    text = re.sub(r"interquartile\s+range", "IQR", " ".join(segments), flags=re.I)
    return bool(re.search(r"\bIQR\b", text)) and not re.search(r"\brange\b|\bQ[13]\b|\bSD\b|±|\bmin\b", text, re.I)


def _by_form(tb, row_path, col_path, p: Parsed) -> tuple:
    """A number under names only (a characteristics table): its printed form and the headers' form hints."""
    near = W.hints(row_path + col_path)
    h = near or tb.table_hints
    f, nums = p.form, p.numbers
    if f == "pm":
        return [("mean", ""), ("sd", "")], ""
    if f == "pair":
        if nums[1].percent or ("count" in near and "mean" not in near):
            return [("count", ""), ("percent", "")], ""
        if "mean" in near and "count" not in near:
            return [("mean", ""), ("sd", "")], ""
        if not h and nums[0].decimals == 0 and _categorical_level(tb, row_path):
            return [("count", ""), ("percent", "")], ""
        if not near and "count" in h and "mean" not in h and nums[0].decimals == 0:
            return [("count", ""), ("percent", "")], ""
        if nums[0].decimals == 0 and nums[1].value <= 100 and (
                ("percent" in near and not near & {"mean", "median"})          # ``T stage (%)`` over its levels
                or (not near and _level(row_path) and getattr(tb, "stated", {}).get("pair") == "count")):
            return [("count", ""), ("percent", "")], ""
        if "median" in near and _iqr_named(row_path + col_path):
            return [("median", ""), (None, IQR_WIDTH)], ""
        if "median" in near:
            return None, ("a median with one number in brackets: an IQR as Q3 - Q1, a range or an SD? no header "
                          "says which")
        return None, NO_PAIR_HEADER
    if f == "est_ci":
        if "median" in near and any(W.has_ci(s) for s in row_path + col_path):
            return [("median", ""), ("ci_low", "median"), ("ci_high", "median")], ""     # median [95% CI]
        if "median" in near or ("median" in h and not near):
            # ``median (range)``: its bounds are the extremes, not quartiles (unless an IQR is named too)
            segs = " ".join(row_path + col_path) if near else ""
            extremes = "range" in (near or h) and not re.search(r"IQR|interquartile|Q1|quartile", segs, re.I)
            return ([("median", ""), ("min", ""), ("max", "")] if extremes
                    else [("median", ""), ("q1", ""), ("q3", "")]), ""
        if "range" in near:
            return [("median", ""), ("min", ""), ("max", "")], ""
        stated = getattr(tb, "stated", {}).get("interval") if not near else None
        if stated:                 # the one form the table's text states for ``a (b-c)`` (``ALT, median (IQR)``)
            return [("median", ""), ("q1" if stated == "iqr" else "min", ""), ("q3" if stated == "iqr" else "max",
                                                                              "")], ""
        return None, "a (b-c) where no header says median (IQR) or what the estimate is"
    if f == "fraction" and row_path and (W.slash_pair(row_path[-1]) or row_path[-1] in tb.level_pairs):
        return None, (f"{p.text!r} under {row_path[-1]!r}: the two groups' counts, each level's by the label's "
                      "order only (no count and its n; no level named)")
    if f == "fraction" and nums[0].value > nums[1].value:
        return None, f"{p.text!r}: a count above its n, so not a count and its n; no header says what it is"
    if f == "fraction":
        return [("count", ""), ("n", "")], ""
    if f == "fraction_pct":
        return [("count", ""), ("n", ""), ("percent", "")], ""
    if f == "range" and "range" in near:
        return [("min", ""), ("max", "")], ""
    if f == "range" and "median" in near and re.search(r"IQR|interquartile|Q1", " ".join(row_path + col_path), re.I):
        return [("q1", ""), ("q3", "")], ""
    if f == "single":
        n = nums[0]
        if n.percent or ("percent" in near and "count" not in near):
            return [("percent", "")], ""
        if "count" in near and n.decimals == 0:
            return [("count", "")], ""
        if "mean" in near and "median" not in near:
            return [("mean", "")], ""
        if "median" in near and "mean" not in near:
            return [("median", "")], ""
        if not h and n.decimals == 0 and not n.percent and _categorical_level(tb, row_path):
            return [("count", "")], ""
        return None, "a number whose headers do not say what it is"
    return None, f"{p.form} {p.text!r} where no header says what it is"
