"""Test statistics reported in sentences (``t(28) = 2.20, p = .036``; ``χ2(1, N = 90) = 4.12, P < 0.05``;
``F(2, 57) = 3.14, p = 0.05``; ``z = 2.5, p = .012``): the P recomputed from the statistic and its df by
statcheck's rules (Nuijten et al. 2016, Behav Res Methods 48:1205-1226; the PyPI package ``statcheck`` is the
oracle of the tests).

statcheck's rules: the statistic printed as 2.20 is any value in [2.195, 2.205]; the P it allows is the range
of P over that interval (two-sided for t and z); a printed ``p = x`` is an error when x lies outside that range
rounded to x's decimals; ``p < x`` is an error when x is below the smallest P the statistic allows; ``p > x``
when x is above the largest; a statistic printed with ``<`` / ``>`` is judged the same way on its side.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scipy import stats

from .registry import Check
from .verdicts import NOT_REPRODUCED, REPRODUCED

_NUM = r"-?\s?\d*\.?\d+"
_P = r"[pP]\s*(?P<pcmp>[<>=≤≥])\s*(?P<p>\d?\.\d+(?:e-?\d+)?)"
_CMP = r"(?P<cmp>[<>=≤≥])"
_PATTERNS = {
    "t": re.compile(r"(?<![A-Za-z])t\s?\(\s?(?P<df2>\d*\.?\d+)\s?\)\s?" + _CMP + r"\s?(?P<stat>" + _NUM + r")\s?[,;]\s?"
                    + _P),
    "F": re.compile(r"(?<![A-Za-z])F\s?\(\s?(?P<df1>\d+)\s?,\s?(?P<df2>\d*\.?\d+)\s?\)\s?" + _CMP
                    + r"\s?(?P<stat>" + _NUM + r")\s?[,;]\s?" + _P),
    "chi2": re.compile(r"(?:χ2|χ²|chi2|chi-square|chi-squared|Chi2|Chi-square|X2)\s?\(\s?(?P<df1>\d+)\s?"
                       r"(?:,\s?N\s?=\s?[\d,]+\s?)?\)\s?" + _CMP + r"\s?(?P<stat>" + _NUM + r")\s?[,;]\s?" + _P),
    "z": re.compile(r"(?<![A-Za-z])[zZ]\s?" + _CMP + r"\s?(?P<stat>" + _NUM + r")\s?[,;]\s?" + _P),
}
_ASCII = {"≤": "<", "≥": ">"}


@dataclass(frozen=True)
class Reported:
    """One reported test: its type, df, statistic and P as printed."""

    test: str
    df1: float | None
    df2: float | None
    comparison: str
    statistic: float
    statistic_decimals: int
    p_comparison: str
    p: float
    p_decimals: int
    text: str


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def find_tests(text: str) -> list[Reported]:
    """Every test statistic with its df and P in ``text``, in order of appearance."""
    found = []
    for test, rx in _PATTERNS.items():
        for m in rx.finditer(text):
            g = m.groupdict()
            stat = g["stat"].replace(" ", "")
            found.append((m.start(), Reported(
                test, float(g["df1"]) if g.get("df1") else None, float(g["df2"]) if g.get("df2") else None,
                _ASCII.get(g["cmp"], g["cmp"]), float(stat), _decimals(stat),
                _ASCII.get(g["pcmp"], g["pcmp"]), float(g["p"]), _decimals(g["p"].split("e")[0]), m.group(0))))
    return [r for _, r in sorted(found, key=lambda x: x[0])]


def p_value(test: str, stat: float, df1, df2) -> float:
    """Two-sided P of a t or z statistic; upper-tail P of F and chi-square (as statcheck computes it)."""
    if test == "t":
        return float(2 * stats.t.sf(abs(stat), df2))
    if test == "z":
        return float(2 * stats.norm.sf(abs(stat)))
    if test == "F":
        return float(stats.f.sf(stat, df1, df2))
    return float(stats.chi2.sf(stat, df1))


def p_range(r: Reported) -> tuple[float, float]:
    """The P that the statistic allows over its rounding: (lowest, highest)."""
    half = 0.5 * 10.0 ** (-r.statistic_decimals)
    a, b = abs(r.statistic) - half, abs(r.statistic) + half
    if r.test in ("F", "chi2"):
        a = max(a, 0.0)
    return p_value(r.test, b, r.df1, r.df2), p_value(r.test, max(a, 0.0), r.df1, r.df2)


def is_error(r: Reported) -> bool:
    """statcheck's inconsistency rule (``error_test``)."""
    low, up = p_range(r)
    rep, d = r.p, r.p_decimals
    if rep <= 0:
        return True
    if r.comparison == "=":
        if r.p_comparison == "=":
            return rep > round(up, d) or rep < round(low, d)
        if r.p_comparison == "<":
            return rep < low
        return rep > up
    if r.comparison == "<":
        if r.p_comparison == "=":
            return rep < round(up, d)
        return r.p_comparison == "<" and rep < up
    if r.p_comparison == "=":
        return rep > round(low, d)
    return r.p_comparison == ">" and rep > low


def _df(r: Reported) -> str:
    if r.test == "F":
        return f"({r.df1:g}, {r.df2:g})"
    if r.test == "t":
        return f"({r.df2:g})"
    if r.test == "chi2":
        return f"({r.df1:g})"
    return ""


def check_sentence(text: str, where: str, cid_prefix: str = "TEXT-STAT") -> list[Check]:
    """One check per test statistic reported in ``text``."""
    rows = []
    for r in find_tests(text):
        low, up = p_range(r)
        bad = is_error(r)
        name = {"chi2": "chi-square", "t": "t", "F": "F", "z": "z"}[r.test]
        cid = f"{cid_prefix}-{r.test}{_df(r).replace(' ', '')}{r.comparison}{r.statistic:g}-p{r.p_comparison}{r.p:g}"
        evidence = (f"{name}{_df(r)} {r.comparison} {r.statistic:g} gives P = {low:.4g} to {up:.4g} over the "
                    f"rounding of the statistic ({'two-sided' if r.test in ('t', 'z') else 'upper tail'}); printed "
                    f"P {r.p_comparison} {r.p:g}" + (" is inconsistent with it (statcheck's rule)" if bad else
                                                     " is consistent"))
        rows.append(Check(cid, "text_statistic", r.text, where, f"P {low:.4g}-{up:.4g}",
                          NOT_REPRODUCED if bad else REPRODUCED, evidence, []))
    return rows
