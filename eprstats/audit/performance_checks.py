"""Performance tables over printed cells: the 2x2 tables that reproduce every printed rate.

A model's row printing sensitivity, specificity, accuracy, PPV and/or NPV for a cohort of n patients is
possible only if some 2x2 table (TP, FN, FP, TN) with TP + FN + FP + TN = n gives every printed rate at
its printed precision. The search is over integers, as GRIM (Brown & Heathers 2017) is for means: for each
number of events e (the printed one, else every e in 0..n), TP ranges over the k with k / e printing as
the sensitivity and TN over those with k / (n - e) printing as the specificity (all of 0..e, 0..n - e when
the rate is not printed), and each (TP, TN) is kept when accuracy (TP + TN) / n, PPV TP / (TP + FP) and
NPV TN / (TN + FN) also print as printed. An empty set is a finding; when the solutions share one e, the
cohort's events are inferred (and used by the AUC checks). Every other rate of the table that the registry
declares (:data:`~eprstats.audit.registry.METRICS`: FNR, FPR, FDR, FOR, F1, Youden's J, LR+, LR-) joins the
search as one more condition on (TP, FN, FP, TN); a complement (FNR = 1 - sensitivity) also narrows its
rate's counts.

Without n, a rate that is a function of other rates of its row (FNR = 1 - sensitivity, F1 = 2 PPV sens /
(PPV + sens), J = sens + spec - 1, LR+ = sens / (1 - spec)) is checked against them by interval arithmetic
(:func:`identity_range`): the function is monotone in each input, so its values over every printing of the
inputs lie between its values at the corners of their rounding box; the printed rate is reproduced when it
meets that range.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from .registry import METRICS

#: the five rates the search pins counts with; METRICS has every rate the search checks
RATE_ROLES = ("sensitivity", "specificity", "accuracy", "ppv", "npv")

#: the cap on 2x2 tables listed in the evidence (the set itself is kept whole)
SHOWN = 4


@dataclass(frozen=True)
class Table2x2:
    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def events(self) -> int:
        return self.tp + self.fn

    def rate(self, role: str) -> float | None:
        return METRICS[role].of_table(self.tp, self.fn, self.fp, self.tn)

    def __str__(self) -> str:
        return f"TP={self.tp} FN={self.fn} FP={self.fp} TN={self.tn}"


def proportion_interval(value: float, decimals: int, percent: bool) -> tuple[float, float]:
    """The proportions that print as ``value`` (``71.7`` as a percentage: [0.7165, 0.7175])."""
    scale = 100.0 if percent else 1.0
    half = 0.5 * 10.0 ** (-decimals)
    eps = 1e-9
    return ((value - half) / scale - eps, (value + half) / scale + eps)


def _ks(interval, den: int) -> range:
    """The k in 0..den with k / den inside ``interval``."""
    if den <= 0:
        return range(0)
    lo, hi = interval
    return range(max(0, math.ceil(lo * den)), min(den, math.floor(hi * den)) + 1)


#: the most (TP, TN) candidates a search tries; beyond, the row is not checkable (e.g. only PPV and NPV of a
#: large cohort without its events: the search would be cubic in n)
MAX_CANDIDATES = 1_000_000


class SearchTooLarge(ValueError):
    pass


def two_by_two_tables(n: int, rates: dict, events: int | None = None, limit: int = 100_000) -> list[Table2x2]:
    """Every 2x2 table of ``n`` patients (``events`` of them events, when known) whose rates print as
    ``rates`` ({role: (low, high)} intervals of any :data:`METRICS` role, :func:`proportion_interval`). Raises
    :class:`SearchTooLarge` when more than :data:`MAX_CANDIDATES` (TP, TN) pairs would be tried.

    Example: 46 events, 68 non-events, sensitivity 0.717, specificity 0.721 -> TP = 33, TN = 49.
    """
    rates = narrowed(rates)
    if rates is None:
        return []
    checks = [(METRICS[role].of_table, lo, hi) for role, (lo, hi) in rates.items()]
    out: list[Table2x2] = []
    tried = 0
    for e in ([events] if events is not None else range(n + 1)):
        ne = n - e
        if ne < 0:
            continue
        for tp, tn in _candidates(n, e, ne, rates):
            tried += 1
            if tried > MAX_CANDIDATES:
                raise SearchTooLarge(f"more than {MAX_CANDIDATES:,} candidate 2x2 tables")
            fn, fp = e - tp, ne - tn
            if all(_in(f(tp, fn, fp, tn), lo, hi) for f, lo, hi in checks):
                out.append(Table2x2(tp, fn, fp, tn))
                if len(out) >= limit:
                    return out
    return out


def _between(lo: float, hi: float, top: int) -> range:
    """The integers x in [lo, hi] and in 0..top."""
    return range(max(0, math.ceil(lo - 1e-9)), min(top, math.floor(hi + 1e-9)) + 1)


def _candidates(n: int, e: int, ne: int, rates: dict):
    """(TP, TN) pairs worth testing: each printed rate narrows one count given another (sensitivity pins TP,
    specificity TN, accuracy TP + TN, PPV FP given TP, NPV FN given TN), so the search stays quadratic."""
    tps = _ks(rates["sensitivity"], e) if "sensitivity" in rates else range(e + 1)
    if "specificity" in rates:
        tns = _ks(rates["specificity"], ne)
        if "accuracy" in rates and len(tns):    # and TP + TN correct: TN within the accuracy's counts less TP
            correct = _ks(rates["accuracy"], n)
            if not len(correct):
                return iter(())
            return ((tp, tn) for tp in tps
                    for tn in range(max(tns[0], correct[0] - tp), min(tns[-1], correct[-1] - tp) + 1))
        return ((tp, tn) for tp in tps for tn in tns)
    if "accuracy" in rates:
        correct = _ks(rates["accuracy"], n)
        return ((tp, c - tp) for tp in tps for c in correct if 0 <= c - tp <= ne)
    if "ppv" in rates:     # TP / (TP + FP) in [lo, hi]  <=>  FP in [TP (1 - hi) / hi, TP (1 - lo) / lo]
        lo, hi = rates["ppv"]
        return ((tp, ne - fp) for tp in tps
                for fp in (_between(tp * (1 - hi) / hi if hi > 0 else 0, tp * (1 - lo) / lo if lo > 0 else ne, ne)
                           if tp else range(ne + 1)))
    if "npv" in rates:     # TN / (TN + FN) in [lo, hi]  <=>  FN in [TN (1 - hi) / hi, TN (1 - lo) / lo]
        lo, hi = rates["npv"]
        tp_ok = set(tps)
        return ((e - fn, tn) for tn in range(ne + 1)
                for fn in (_between(tn * (1 - hi) / hi if hi > 0 else 0, tn * (1 - lo) / lo if lo > 0 else e, e)
                           if tn else range(e + 1)) if e - fn in tp_ok)
    return ((tp, tn) for tp in tps for tn in range(ne + 1))


def narrowed(rates: dict) -> dict | None:
    """``rates`` with each complement (FNR, FPR, FDR, FOR) also taken as its rate's interval (1 - FNR is a
    sensitivity), so that the search's candidates are pinned by it; None when the two disagree (no table)."""
    out = dict(rates)
    for role, (lo, hi) in rates.items():
        base = METRICS[role].complement
        if base:
            b_lo, b_hi = out.get(base, (-math.inf, math.inf))
            b_lo, b_hi = max(b_lo, 1 - hi), min(b_hi, 1 - lo)
            if b_lo > b_hi:
                return None
            out[base] = (b_lo, b_hi)
    return out


def identity_range(role: str, inputs: dict) -> tuple[float, float] | None:
    """The values of ``role`` (a :data:`METRICS` entry with ``from_rates``) over every value of its inputs
    in ``inputs`` ({role: (low, high)}): the least and greatest at the corners of their box (the function is
    monotone in each input). None when an input is missing."""
    m = METRICS[role]
    if m.from_rates is None or any(r not in inputs for r in m.inputs):
        return None
    values = []
    for corner in itertools.product(*(inputs[r] for r in m.inputs)):
        try:
            v = m.from_rates(*corner)
        except ZeroDivisionError:
            v = math.inf
        if v is not None:
            values.append(v)
    return (min(values), max(values)) if values else None


def agreeing(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The values that several printings of one rate allow together: the intersection of each largest set of
    printings that agree (intervals that meet pairwise meet all at once). One printing: its interval;
    printings that disagree (97.52% and 99.12% for one sensitivity, a finding of its own): each agreeing
    set's intersection, so that one wrong printing is judged once, not again in every rate built on it."""
    # each largest agreeing set is the printings holding some printing's lower end; a smaller set's
    # intersection strictly contains a larger one's
    found = set()
    for x in {lo for lo, _ in intervals}:
        members = [iv for iv in intervals if iv[0] <= x <= iv[1]]
        found.add((max(lo for lo, _ in members), min(hi for _, hi in members)))
    return sorted(c for c in found if not any(o != c and c[0] <= o[0] and o[1] <= c[1] for o in found))


def _in(x, lo, hi) -> bool:
    return x is not None and lo <= x <= hi


def describe(tables: list[Table2x2]) -> str:
    shown = ", ".join(str(t) for t in tables[:SHOWN])
    more = f" and {len(tables) - SHOWN} more" if len(tables) > SHOWN else ""
    return shown + more


def inferred_events(tables: list[Table2x2]) -> int | None:
    """The number of events when every 2x2 table that fits has the same one."""
    es = {t.events for t in tables}
    return es.pop() if len(es) == 1 else None
