"""The checks that any paper allows, over its printed cells (``cells.csv``, :mod:`.cells`).

A cell's role and place (cohort, group, model, variable, level) come from its headers; the checks group
cells by place and judge what the printed numbers allow, each number taken as the interval of the values
that print as it:

* performance rows (sensitivity, specificity, accuracy, PPV, NPV and every other rate of a 2x2 table that
  ``registry.METRICS`` declares, of a model in a cohort): the 2x2 tables that reproduce them
  (:mod:`.performance_checks`); a cohort's events inferred when one count fits all its rows, then used by the
  AUC checks; a rate that its row's other rates determine (FNR, F1, J, LR+...) against them;
* AUC / C-index with its CI, ORs, HRs, RRs and betas with CI and P (:mod:`.estimate_checks`);
* Table 1: percentages against counts and group sizes, an ``n`` column against its groups, P by each usual
  test (:mod:`.table1_cells`);
* test statistics in sentences by statcheck's rules (:mod:`.text_checks`).
"""
from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict

from .cells import PATH_SEP, PLACE, Cell
from .estimate_checks import auc_rows, ci_method_in, ci_shape, ratio_rows
from .performance_checks import (SearchTooLarge, agreeing, describe, identity_range, inferred_events,
                                 proportion_interval, two_by_two_tables)
from .printed_cells import cell_number, is_percent, printed
from .readers.words import roles_of
from .registry import METRICS, Check
from .schema import name_key
from .table1_cells import check_table1_cells
from .text_checks import check_sentence
from .verdicts import NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED

RATIO_ROLES = ("or", "hr", "rr", "beta")
AUC_ROLES = ("auc", "c_index")


def _label(*parts) -> str:
    return "-".join(str(p).replace(" ", "_") for p in parts if p)


def _where(cell: Cell) -> str:
    path = ", ".join(p for p in (PATH_SEP.join(cell.row_path), PATH_SEP.join(cell.col_path)) if p)
    return f"{cell.table}, {path}" if path else cell.table


def _row_key(c: Cell) -> tuple:
    """A performance / estimate row: its table, cohort and model (the row's headers when no model is named),
    and its column group.
    Row headers that name a statistic (``Sensitivity (95% CI)`` in a table of statistics as rows and cohorts as
    columns) are not a row's name: one cohort's sensitivity, specificity and accuracy are one row."""
    name = c.model or PATH_SEP.join(h for h in c.row_path if not roles_of(h))
    # a column group (a subgroup ``Age > < 60``, a regression's outcome) is a row of its own: its rates are
    # not the other groups' printed again
    name = PATH_SEP.join(x for x in (name, c.group) if x)
    return (c.table, c.cohort, name, c.variable, c.level)


# ------------------------------------------------------------------------------------------- the whole run
def run_cell_checks(cells, *, cohort_counts: dict | None = None, stated: dict | None = None) -> list[Check]:
    """Every check the cells allow. ``cohort_counts``: {cohort: {"n", "events", "nonevents"}} known from
    elsewhere (cohorts.csv); ``stated``: {metric: CI method the paper states}."""
    cells = one_spelling([c for c in cells if c.placed])
    stated = dict(stated or {})
    for c in cells:   # a caption or header that names the method ("AUC (95% CI, DeLong)")
        said = ci_method_in(" | ".join((c.caption, *c.col_path, *c.row_path)))
        if said and c.role in AUC_ROLES + ("ci_low", "ci_high"):
            stated.setdefault("auc", said)
    counts = _cohort_counts(cells, cohort_counts or {})
    rows = check_table1_cells(cells)
    perf, events = _performance(cells, counts)
    rows += perf
    rows += _rate_cis(cells)
    rows += _aucs(cells, counts, events, stated.get("auc", ""))
    rows += _ratios(cells)
    rows += _sentences(cells)
    return rows


def one_spelling(cells) -> list[Cell]:
    """Names of a place column that differ only by case or spaces (``Training`` in one table's header,
    ``training`` in another's) are one name, written as first printed: cells.csv is read from headers, where
    such differences are typography (docs/audit.md, "Names"; a hand-typed cohorts.csv is held to one
    spelling instead)."""
    first: dict[tuple[str, str], str] = {}
    out = []
    for c in cells:
        change = {}
        for col in PLACE:
            name = getattr(c, col)
            if name:
                canon = first.setdefault((col, name_key(name)), name)
                if canon != name:
                    change[col] = canon
        out.append(c.with_place(**change) if change else c)
    return out


def _cohort_counts(cells, known: dict) -> dict:
    """{cohort: {"n": .., "events": .., "nonevents": ..}} from ``n`` / ``events`` / ``nonevents`` cells that
    belong to a cohort as a whole (no group, model or variable), completed by ``known``."""
    out = {k: dict(v) for k, v in known.items()}
    for c in cells:
        if c.role in ("n", "events", "nonevents") and not (c.group or c.model or c.variable) and c.decimals == 0:
            out.setdefault(c.cohort, {}).setdefault(c.role, int(c.value))
    for v in out.values():
        if "n" not in v and "events" in v and "nonevents" in v:
            v["n"] = v["events"] + v["nonevents"]
        if "n" in v and "events" in v:
            v.setdefault("nonevents", v["n"] - v["events"])
        if "n" in v and "nonevents" in v:
            v.setdefault("events", v["n"] - v["nonevents"])
    return out


# ------------------------------------------------------------------------------------------- performance
def _rate(c: Cell):
    """A rate of a 2x2 table as printed: a proportion (``71.7`` as a percentage is 0.717) or, for a ratio
    (LR+), the number itself."""
    return printed(c, proportion=METRICS[c.role].proportion)


def _interval(c: Cell) -> tuple[float, float]:
    if METRICS[c.role].proportion:
        return proportion_interval(c.value, c.decimals, is_percent(c))
    return c.interval()


def _performance(cells, counts: dict) -> tuple[list[Check], dict]:
    """One check per model row with rates; then, per cohort, the events count the rows agree on."""
    rows_by_key: dict[tuple, dict] = defaultdict(dict)
    twice: dict[tuple, list] = defaultdict(list)
    for c in cells:
        if c.role in METRICS and not c.of:
            rows_by_key[_row_key(c)].setdefault(c.role, c)
            twice[_row_key(c) + (c.role,)].append(c)
    out, fits = _rates_printed_twice(twice) + _accuracy_between(rows_by_key) + _identities(rows_by_key, twice), \
        defaultdict(list)
    for key, rates in rows_by_key.items():
        table, cohort, model = key[:3]
        cnt = counts.get(cohort, {})
        n, e = cnt.get("n"), cnt.get("events")
        quoted = ", ".join(f"{r} {printed(c)}" for r, c in rates.items())
        cid = "C-2X2-" + _label(table, model, cohort)
        where = f"{table}, {model}, {cohort or 'the cohort'}"
        nums = [cell_number(c, _rate(c)) for c in rates.values()]
        group = next((c.group for c in rates.values() if c.group), "")
        if not n or group:      # a subgroup's rates (``Age > < 60``) are of fewer patients than the cohort's n
            out.append(Check(cid, "two_by_two", quoted, where, "", NOT_CHECKABLE,
                             (f"the size of subgroup {group!r}" if group else f"the size of cohort {cohort!r}"
                              if cohort else "the cohort's size") + " is printed nowhere (the 2x2 tables need n)",
                             nums))
            continue
        intervals = {r: _interval(c) for r, c in rates.items()}
        try:
            tables = two_by_two_tables(n, intervals, e)
        except SearchTooLarge as why:
            out.append(Check(cid, "two_by_two", quoted, where, "", NOT_CHECKABLE,
                             f"{why}: print the events or a sensitivity / specificity to pin the search", nums))
            continue
        fits[cohort].append((model, {t.events for t in tables}))
        given = f"n={n}" + (f", events={e}" if e is not None else "")
        if tables:
            evidence = f"{len(tables)} 2x2 table(s) fit ({given}): {describe(tables)}"
            one = inferred_events(tables)
            if e is None and one is not None:
                evidence += f"; events = {one} inferred (the only count that fits)"
            out.append(Check(cid, "two_by_two", quoted, where, f"2x2 tables of {given}", REPRODUCED, evidence, nums))
        else:
            out.append(Check(cid, "two_by_two", quoted, where, f"2x2 tables of {given}", NOT_REPRODUCED,
                             f"no 2x2 table of {given} gives {quoted} together at their printed precision", nums))
    events = {}
    for cohort, per_model in fits.items():
        if counts.get(cohort, {}).get("events") is not None:
            continue
        sets = [s for _, s in per_model if s]
        common = set.intersection(*sets) if sets else set()
        n = counts[cohort]["n"]
        if len(common) == 1:
            events[cohort] = common.pop()
            out.append(Check("C-EVENTS-" + _label(cohort), "events_inferred", f"n={n}", f"cohort {cohort or '-'}",
                             f"events = {events[cohort]}", REPRODUCED,
                             f"the only events count of {n} patients that fits every printed rate of the cohort's "
                             f"{len(sets)} model row(s); used by the AUC checks", []))
        elif sets and not common:
            out.append(Check("C-EVENTS-" + _label(cohort), "events_inferred", f"n={n}", f"cohort {cohort or '-'}",
                             "no common events count", NOT_REPRODUCED,
                             "each model row fits some events count, but no one count fits every row of the cohort: "
                             + "; ".join(f"{m}: {min(s)}-{max(s)}" for m, s in per_model if s), []))
    return out, events


def _rates_printed_twice(twice: dict) -> list[Check]:
    """One rate printed under two names in one row (sensitivity, TPR and recall; PPV and precision): the
    printed numbers must be one value at their printed precisions."""
    out = []
    for key, same in twice.items():
        if len(same) < 2:
            continue
        table, cohort, model, role = key[0], key[1], key[2], key[-1]
        ps = [_rate(c) for c in same]
        lo, hi = max(p.interval[0] for p in ps), min(p.interval[1] for p in ps)
        quoted = ", ".join(f"{PATH_SEP.join(c.row_path + c.col_path)} {printed(c)}" for c in same)
        out.append(Check("C-" + _label("SAME", role.upper(), table, model, cohort), "rate_printed_twice", quoted,
                         f"{table}, {model}, {cohort or 'the cohort'}", f"one {role} in [{lo:.4f}, {hi:.4f}]",
                         REPRODUCED if lo <= hi else NOT_REPRODUCED,
                         f"the {len(same)} numbers that name the {role} "
                         + ("agree at their printed precision" if lo <= hi else "are different values"),
                         [cell_number(c, p) for c, p in zip(same, ps)]))
    return out


def _accuracy_between(rows_by_key: dict) -> list[Check]:
    """Accuracy = prevalence x sensitivity + (1 - prevalence) x specificity, a weighted mean of the two: it
    lies between them whatever the cohort's size (no n needed), over the rounding of all three."""
    out = []
    for key, rates in rows_by_key.items():
        if not {"accuracy", "sensitivity", "specificity"} <= set(rates):
            continue
        iv = {r: proportion_interval(rates[r].value, rates[r].decimals, is_percent(rates[r]))
              for r in ("accuracy", "sensitivity", "specificity")}
        lo = min(iv["sensitivity"][0], iv["specificity"][0])
        hi = max(iv["sensitivity"][1], iv["specificity"][1])
        ok = iv["accuracy"][0] <= hi and lo <= iv["accuracy"][1]
        table, cohort, model = key[:3]
        quoted = ", ".join(f"{r} {printed(rates[r])}" for r in ("accuracy", "sensitivity", "specificity"))
        out.append(Check("C-" + _label("ACCBETWEEN", table, model, cohort), "accuracy_between", quoted,
                         f"{table}, {model}, {cohort or 'the cohort'}", f"accuracy in [{lo:.4f}, {hi:.4f}]",
                         REPRODUCED if ok else NOT_REPRODUCED,
                         "between sensitivity and specificity" if ok else
                         "outside [sensitivity, specificity]: no prevalence gives it",
                         [cell_number(rates[r], printed(rates[r], proportion=True))
                          for r in ("accuracy", "sensitivity", "specificity")]))
    return out


def _identities(rows_by_key: dict, twice: dict) -> list[Check]:
    """A rate that its row's other rates determine (FNR = 1 - sensitivity, F1 = 2 PPV sens / (PPV + sens), J =
    sens + spec - 1, LR+ = sens / (1 - spec), registry.METRICS): no n needed; over the rounding of every
    number (the range at the corners of the inputs' box). An input printed under several names in the row
    is each set of its printings that agree (one wrong printing is the ``rate_printed_twice`` finding, not
    again this one's): the rate is reproduced when some set gives it."""
    out = []
    for key, rates in rows_by_key.items():
        for role, c in rates.items():
            m = METRICS[role]
            if m.from_rates is None or any(r not in rates for r in m.inputs):
                continue
            table, cohort, model = key[:3]
            if not m.linear and _averaged(c):
                out.append(Check("C-" + _label("IDENT", role.upper(), table, model, cohort), "rate_identity",
                                 f"{role} {printed(c)}", f"{table}, {model}, {cohort or 'the cohort'}, {m.label}",
                                 "", NOT_CHECKABLE, f"an averaged {m.label} (a mean over folds or a macro / weighted "
                                 f"average) is not {m.formula.split(' = ')[-1]} of the averaged rates",
                                 [cell_number(c, _rate(c))]))
                continue
            sets = [agreeing([_interval(x) for x in twice[key + (r,)]]) for r in m.inputs]
            ranges = [identity_range(role, dict(zip(m.inputs, combo))) for combo in itertools.product(*sets)]
            ranges = [r for r in ranges if r is not None]
            if not ranges:
                continue
            lo, hi = min(r[0] for r in ranges), max(r[1] for r in ranges)
            mine = _interval(c)
            ok = any(r[0] <= mine[1] and mine[0] <= r[1] for r in ranges)
            inputs = [x for r in m.inputs for x in twice[key + (r,)]]
            quoted = ", ".join(f"{x.role} {printed(x)}" for x in [c] + inputs)
            scale = 100 if m.proportion and is_percent(c) else 1
            evidence = (f"{m.formula}: " + " or ".join(f"{a * scale:.4g} to {b * scale:.4g}" for a, b in ranges)
                        + f" over the rounding of the printed {', '.join(m.inputs)}; printed {printed(c)}")
            if not ok and role == "youden":   # some papers head the cut-off that J chose "Youden index"
                evidence += " (unless the column is the cut-off chosen by Youden's index rather than J itself)"
            out.append(Check("C-" + _label("IDENT", role.upper(), table, model, cohort), "rate_identity", quoted,
                             f"{table}, {model}, {cohort or 'the cohort'}, {m.label}", f"{role} in [{lo:.4f}, {hi:.4f}]",
                             REPRODUCED if ok else NOT_REPRODUCED, evidence,
                             [cell_number(x, _rate(x)) for x in [c] + inputs]))
    return out


_AVERAGED = re.compile(r"\b(?:macro|micro|weighted|averaged?|mean|folds?|cross[\s-]?validat\w*)\b|±|\+/-", re.I)


def _averaged(c: Cell) -> bool:
    """A rate that is an average (``0.85 ± 0.03``, a ``macro avg`` row, "mean of 5 folds" in the caption)."""
    return bool(_AVERAGED.search(" | ".join((c.text, c.caption, *c.row_path, *c.col_path))))


def _rate_cis(cells) -> list[Check]:
    """A sensitivity, specificity, accuracy, PPV, NPV (any rate of registry.METRICS) printed with its CI:
    inside it (Clopper-Pearson, Wilson and Wald intervals all contain the estimate; Newcombe 1998; a
    likelihood ratio's log-scale interval does too)."""
    out = []
    for key, role, est, lo, hi, _ in _estimates(cells, tuple(METRICS)):
        if lo is None or hi is None:
            continue
        e, a, b = (printed(x, proportion=METRICS[role].proportion) for x in (est, lo, hi))
        bad = not a.overlaps(-math.inf, e.interval[1]) or not b.overlaps(e.interval[0], math.inf)
        table, cohort, model = key[:3]
        out.append(Check("C-" + _label("RATECI", role.upper(), table, model, cohort), "rate_in_ci",
                         f"{printed(est)} ({printed(lo)}-{printed(hi)})", f"{table}, {model}, {cohort or 'the cohort'}",
                         "low <= estimate <= high", NOT_REPRODUCED if bad else REPRODUCED,
                         f"the {METRICS[role].label} is outside its own CI" if bad else
                         f"the {METRICS[role].label} is inside its CI",
                         [cell_number(est, e, ci=(a, b))]))
    return out


# ------------------------------------------------------------------------------------------- AUC and ratios
def _estimates(cells, roles):
    """(row key, role, estimate cell, low cell, high cell, P cell) per estimate of ``roles``. A CI bound or P
    belongs to the estimate its ``of`` names; one with ``of`` empty to the row's only estimate (a P with
    ``of`` empty to every estimate of the row: a regression row's beta and OR share their P)."""
    by_key: dict[tuple, dict] = defaultdict(dict)
    for c in cells:
        key = _row_key(c)
        if c.role in roles:
            by_key[key].setdefault(c.role, c)
        elif c.role in ("ci_low", "ci_high", "p") and (c.of in roles or not c.of):
            by_key[key].setdefault((c.role, c.of), c)
    for key, found in by_key.items():
        ests = [r for r in roles if r in found]
        for role in ests:
            def part(what, _role=role):
                return found.get((what, _role)) or (found.get((what, "")) if len(ests) == 1 or what == "p" else None)
            yield key, role, found[role], part("ci_low"), part("ci_high"), part("p")


def _beta_or(key, beta: Cell, or_: Cell, nums) -> Check:
    """A row printing both beta and OR: OR = exp(beta) over the rounding of both."""
    b, o = printed(beta), printed(or_)
    lo, hi = math.exp(b.interval[0]), math.exp(b.interval[1])
    ok = o.overlaps(lo, hi)
    name = " ".join(x for x in (key[3], key[4]) if x) or key[2]
    evidence = f"exp({b}) = {math.exp(b.value):.4f}; printed OR {o}"
    if not ok:
        shifted = [f"beta x {f:g} = {b.value * f:.5g}" for f in (10, 0.1) if o.overlaps(math.exp(b.interval[0] * f),
                                                                                          math.exp(b.interval[1] * f))]
        evidence += ("; " + ", ".join(shifted) + " would fit (a shifted decimal point?)") if shifted else ""
    return Check("C-" + _label("BETAOR", key[0], name, key[1]), "ratio_beta_or", f"beta {b}, OR {o}",
                 f"{key[0]}, {name}", f"exp(beta) = {lo:.4f} to {hi:.4f}", REPRODUCED if ok else NOT_REPRODUCED,
                 evidence, nums)


def _aucs(cells, counts: dict, inferred: dict, method: str) -> list[Check]:
    out = []
    found = list(_estimates(cells, AUC_ROLES))
    shapes = {}                 # per table: the shape of each CI that shows one
    for key, role, est, lo, hi, _ in found:
        if lo is not None and hi is not None:
            shape = ci_shape(printed(est, proportion=True), printed(lo, proportion=True), printed(hi, proportion=True))
            if shape != "truncated":
                shapes.setdefault(key[0], {})[key] = shape == "symmetric"
    for key, role, est, lo, hi, _ in found:
        others = [v for k, v in shapes.get(key[0], {}).items() if k != key]
        table, cohort, model = key[:3]
        e_p = printed(est, proportion=True)
        lo_p = printed(lo, proportion=True) if lo is not None and hi is not None else None
        hi_p = printed(hi, proportion=True) if lo_p is not None else None
        cnt = counts.get(cohort, {})
        events = cnt.get("events", inferred.get(cohort))
        nonevents = cnt.get("nonevents")
        if nonevents is None and events is not None and cnt.get("n"):
            nonevents = cnt["n"] - events
        source = "printed" if cnt.get("events") is not None else "events inferred from the 2x2 tables"
        nums = [cell_number(est, e_p, ci=(lo_p, hi_p) if lo_p else None)]
        out += auc_rows("C-" + _label("AUC", table, model, cohort), f"{table}, {model}, {cohort or 'the cohort'}, "
                        f"{'C-index' if role == 'c_index' else 'AUC'}", e_p, lo_p, hi_p, method=method,
                        events=events, nonevents=nonevents, counts_from=source,
                        peers=(len(others), sum(others)), numbers=nums)
    return out


def _ratios(cells) -> list[Check]:
    out = []
    rows: dict[tuple, dict] = defaultdict(dict)
    for key, role, est, lo, hi, p in _estimates(cells, RATIO_ROLES):
        rows[key][role] = est
        table, cohort, model, variable, level = key
        lo_p = printed(lo) if lo is not None and hi is not None else None
        hi_p = printed(hi) if lo_p is not None else None
        nums = [cell_number(est, ci=(lo_p, hi_p) if lo_p else None)] + ([cell_number(p)] if p is not None else [])
        name = " ".join(x for x in (variable, level) if x) or model
        out += ratio_rows("C-" + _label(role.upper(), table, name, cohort), f"{table}, {name}"
                          + (f", {cohort}" if cohort else ""), role, printed(est), lo_p, hi_p,
                          printed(p) if p is not None else None, nums)
    for key, found in rows.items():
        if "beta" in found and "or" in found:
            out.append(_beta_or(key, found["beta"], found["or"], [cell_number(found["beta"]), cell_number(found["or"])]))
    return out


def _sentences(cells) -> list[Check]:
    out, seen = [], set()
    for c in cells:
        if c.role in ("statistic", "df") and (c.table, c.text) not in seen:
            seen.add((c.table, c.text))
            out += check_sentence(c.text, _where(c) if c.row_path or c.col_path else f"{c.table}: {c.source}",
                                  cid_prefix="C-STAT-" + _label(c.table))
    return out
