"""The numbers of one printed table cell, and the form they are printed in.

``0.802 (0.718–0.887)`` is the form ``est_ci`` with three numbers; ``12 (34.5%)`` is ``pair`` with a percent
sign; ``55.2 ± 10.1`` is ``pm``. Which role each number has is not decided here: the cell's headers decide
(:mod:`eprstats.audit.readers.place`). Printing slips that papers carry are undone first, each named in
docs/audit_import.md: a footnote mark after a number (``0.031*``, ``0.031a``, ``0.031†``), a number broken
after its point (``0. 896``), unicode minus and en dashes, decimal commas (a table-wide decision, so that
``54 (47,62)`` is a pair in a table printed with points and ``0,802`` a number in one printed with commas).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

_BLANK = {"", "-", "–", "—", "NA", "N/A", "n/a", "na", "NR", "nr", "ND", "/", "…", "...", "NE", "–/–"}
#: footnote and significance marks as pages print them: the asterisk in its look-alikes too (``∗`` U+2217 ASTERISK
#: OPERATOR, ``⁎`` U+204E, ``＊`` U+FF0A, ``✱``), which some journals' pages set for ``*`` (``0.025∗``)
MARKS = "*∗⁎＊✱†‡§¶#‖"
_FOOTNOTE = rf"[{re.escape(MARKS)}ᵃᵇᶜᵈᵉ¹²³⁴⁵⁶⁷⁸⁹⁰]+"
_N = r"(?:\d+(?:\.\d+)?|\.\d+)"
_TOKEN = re.compile(r"(?P<bound><=|>=|≤|≥|<|>)?\s*(?P<sign>-)?(?P<num>\d+(?:\.\d+)?|\.\d+)(?P<pct>\s*%)?")
#: a P printed with its name in the cell (``p = 0.193``, ``P < 0.001``): the cell says what the number is
P_NAMED = re.compile(r"^\s*p(?:[\s-]*values?)?\s*(?:=|<=|>=|<|>|≤|≥)\s*(?:0?\.\d+|1(?:\.0+)?)\s*$", re.I)
_CI_WORDS = re.compile(r"95\s*%\s*(?:CI|confidence interval)\s*[:,=]?\s*|\bCI\s*[:,=]\s*", re.I)


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int
    bound: str
    percent: bool
    start: int


@dataclass(frozen=True)
class Parsed:
    """``form``: blank, single, pair (``a (b)``), pm (``a ± b``), est_ci (``a (b-c)``), range (``a-b``),
    fraction (``a/b``), fraction_pct (``a/b (c%)``), pct_fraction (``p (k/n)``, ``p% (k/n)``), other (numbers in
    a form not known: never placed)."""

    form: str
    numbers: tuple
    text: str        # the normalised text the numbers were read from


def uses_decimal_comma(texts) -> bool:
    """A table printed with decimal commas: ``0,802`` somewhere and no ``0.802`` anywhere."""
    joined = " ".join(texts)
    return bool(re.search(r"\d,\d", joined)) and not re.search(r"\d\.\d", joined)


def normalise(text: str, decimal_comma: bool = False) -> str:
    t = (text or "").replace("\xa0", " ").replace("\u2009", " ").replace("\u202f", " ")
    t = t.replace("−", "-").replace("‐", "-").replace("‑", "-").replace("–", "–").replace("·", ".")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"(?<=\d)\.\s+(?=\d)", ".", t)                    # "0. 896": a number broken after its point
    # "12 [9], [12]": a page that links bracketed numbers as citations splits one interval in two
    t = re.sub(r"(?<=\d)\s*\[\s*(\d+(?:\.\d+)?)\s*\],\s*\[\s*(\d+(?:\.\d+)?)\s*\]$", r" [\1, \2]", t)
    t = re.sub(rf"(?<=[\d%)\]])\s*{_FOOTNOTE}", "", t)           # "0.031*", "0.031†"
    t = re.sub(r"(?<=\d)[a-h](?=$|[\s)\],;/])", "", t)           # "0.031a": a footnote letter
    t = re.sub(r"(?<=\d[)\]])[a-h]$", "", t)                      # "0.739 (0.58 to 0.898)a": after a CI
    t = re.sub(rf"^{_FOOTNOTE}\s*(?=[\d<>≤≥.-])", "", t)
    t = re.sub(r"(?<=\d)\.(?=\s*[)\]]|$)", "", t)               # "(2.4-24.)": a bound printed with a trailing point
    if decimal_comma:
        t = re.sub(r"(?<=\d),(?=\d)", ".", t)
    else:
        # 1,234: a thousands separator; not after a decimal part ("(100.0,100.0)" is two numbers)
        t = re.sub(r"\d+(?:\.\d+)?,(?=\d{3}(?!\d))", lambda m: m.group(0) if "." in m.group(0) else m.group(0)[:-1], t)
        t = re.sub(r"(?<=\d),(?=\d)", ", ", t)                  # 47,62 in "54 (47,62)": a list
    return t.strip()


def tokens(t: str) -> list[Number]:
    out = []
    for m in _TOKEN.finditer(t):
        before = t[:m.start("num") - (1 if m.group("sign") else 0)].rstrip()
        sign = bool(m.group("sign"))
        if sign and before and (before[-1].isdigit() or before[-1] == "%"):
            sign = False                                          # "0.72-0.88": the dash is a range's
        num = m.group("num")
        bound = (m.group("bound") or "").replace("≤", "<=").replace("≥", ">=")
        value = float(num) * (-1 if sign else 1)
        decimals = len(num.split(".")[1]) if "." in num else 0
        out.append(Number(value, decimals, bound, bool(m.group("pct")), m.start()))
    return out


_SEP = r"\s*(?:-|–|—|~|～|to|,|;)\s*"               # ``1 (0~3)``: a tilde range as a dash
_FORMS = (
    ("pm", re.compile(rf"^-?{_N}\s*%?\s*(?:±|\+/-|\+-|\+/−)\s*{_N}\s*%?$")),
    ("est_ci", re.compile(rf"^[<>≤≥]?\s*-?{_N}\s*%?\s*[(\[]\s*-?{_N}\s*%?{_SEP}-?{_N}\s*%?\s*[)\]]$")),
    ("fraction_pct", re.compile(rf"^{_N}\s*/\s*{_N}\s*[(\[]\s*{_N}\s*%?\s*[)\]]$")),
    # "11.25 (27/240)", "11.25% (27/240)": a percentage with its count over n (the % sign may be the header's)
    ("pct_fraction", re.compile(rf"^{_N}\s*%?\s*[(\[]\s*{_N}\s*/\s*{_N}\s*[)\]]$")),
    ("pair", re.compile(rf"^-?{_N}\s*%?\s*[(\[]\s*-?{_N}\s*%?\s*[)\]]$")),
    ("fraction", re.compile(rf"^{_N}\s*/\s*{_N}$")),
    ("range", re.compile(rf"^[(\[]?\s*-?{_N}\s*%?{_SEP}-?{_N}\s*%?\s*[)\]]?$")),
    ("single", re.compile(rf"^(?:[<>≤≥]|<=|>=)?\s*-?{_N}\s*%?$")),
)


@lru_cache(maxsize=65536)
def parse_cell(text: str, decimal_comma: bool = False) -> Parsed:
    t = normalise(text, decimal_comma)
    if t in _BLANK or not re.search(r"\d", t):
        return Parsed("blank", (), t)
    core = _CI_WORDS.sub("", t)
    core = re.sub(r"^[(\[]\s*(?=[<>≤≥]?\s*-?[\d.]+\s*[)\]]$)|(?<=\d)\s*[)\]]$(?<!\(\d[)\]])", "", core) \
        if re.fullmatch(r"[(\[]\s*[<>≤≥]?\s*-?[\d.]+\s*[)\]]", core) else core
    for form, rx in _FORMS:
        if rx.match(core):
            return Parsed(form, tuple(tokens(core)), core)
    return Parsed("other", tuple(tokens(t)), t)


def is_data(text: str, decimal_comma: bool = False) -> bool:
    """A cell that is a printed number (in a known form), not a label that holds a digit."""
    return parse_cell(text, decimal_comma).form not in ("blank", "other")
