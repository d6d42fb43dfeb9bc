"""Performance tables over printed cells: the 2x2 tables that reproduce every printed rate.

A model's row printing sensitivity, specificity, accuracy, PPV and/or NPV for a cohort of n patients is
possible only if some 2x2 table (TP, FN, FP, TN) with TP + FN + FP + TN = n gives every printed rate at
its printed precision. The search is over integers, as GRIM (Brown & Heathers 2017) is for means: for each
number of events e (the printed one, else every e in 0..n), TP ranges over the k with k / e printing as
the sensitivity and TN over those with k / (n - e) printing as the specificity (all of 0..e, 0..n - e when
the rate is not printed), and each (TP, TN) is kept when accuracy (TP + TN) / n, PPV TP / (TP + FP) and
NPV TN / (TN + FN) also print as printed. An empty set is a finding; when the solutions share one e, the
cohort's events are inferred (and used by the AUC checks).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

#: rate roles and how each is computed from (TP, FN, FP, TN)
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
        num, den = {"sensitivity": (self.tp, self.tp + self.fn), "specificity": (self.tn, self.tn + self.fp),
                    "accuracy": (self.tp + self.tn, self.tp + self.fn + self.fp + self.tn),
                    "ppv": (self.tp, self.tp + self.fp), "npv": (self.tn, self.tn + self.fn)}[role]
        return num / den if den else None

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


def two_by_two_tables(n: int, rates: dict, events: int | None = None, limit: int = 100_000) -> list[Table2x2]:
    """Every 2x2 table of ``n`` patients (``events`` of them events, when known) whose rates print as
    ``rates`` ({role: (low, high)} proportion intervals, :func:`proportion_interval`).

    Example: 46 events, 68 non-events, sensitivity 0.717, specificity 0.721 -> TP = 33, TN = 49.
    """
    out: list[Table2x2] = []
    for e in ([events] if events is not None else range(n + 1)):
        ne = n - e
        if ne < 0:
            continue
        tps = _ks(rates["sensitivity"], e) if "sensitivity" in rates else range(e + 1)
        tns = _ks(rates["specificity"], ne) if "specificity" in rates else range(ne + 1)
        if "accuracy" in rates and "sensitivity" not in rates and "specificity" not in rates:
            correct = _ks(rates["accuracy"], n)   # TP + TN is pinned: loop over TP only
            pairs = ((tp, c - tp) for c in correct for tp in range(max(0, c - ne), min(e, c) + 1))
        else:
            pairs = ((tp, tn) for tp in tps for tn in tns)
        for tp, tn in pairs:
            t = Table2x2(tp, e - tp, ne - tn, tn)
            if all(_holds(t, role, interval) for role, interval in rates.items()):
                out.append(t)
                if len(out) >= limit:
                    return out
    return out


def _holds(t: Table2x2, role: str, interval) -> bool:
    r = t.rate(role)
    return r is not None and interval[0] <= r <= interval[1]


def describe(tables: list[Table2x2]) -> str:
    shown = ", ".join(str(t) for t in tables[:SHOWN])
    more = f" and {len(tables) - SHOWN} more" if len(tables) > SHOWN else ""
    return shown + more


def inferred_events(tables: list[Table2x2]) -> int | None:
    """The number of events when every 2x2 table that fits has the same one."""
    es = {t.events for t in tables}
    return es.pop() if len(es) == 1 else None
