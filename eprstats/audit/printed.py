"""A number as printed (:class:`Printed`) and its parser, with the seed Table 1's columns: the pieces the
audit folder's reader (:mod:`.schema`) and Table 1's formats (:mod:`.table1_format`) share, kept below both
so that neither imports the other back."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import InputError

#: Table 1 count columns -> (cohort, outcome group); the p-value column of each comparison
TABLE1_GROUPS = {
    "train_non_epr": ("training", "nonevents"),
    "train_epr": ("training", "events"),
    "external_non_epr": ("external", "nonevents"),
    "external_epr": ("external", "events"),
}
TABLE1_P = {"p_train": "training", "p_external": "external", "p_between_cohorts": "between cohorts"}

_NUMBER = re.compile(r"^\s*(<=|>=|<|>|≤|≥)?\s*([-+−–]?\d*\.?\d+)\s*(%?)\s*\*?\s*$")


@dataclass(frozen=True)
class Printed:
    """A number as printed: its text, value, decimals shown, and whether it was printed as ``<x``."""

    text: str
    value: float
    decimals: int
    below: bool = False
    percent: bool = False
    above: bool = False

    @property
    def half_unit(self) -> float:
        return 0.5 * 10.0 ** (-self.decimals)

    @property
    def interval(self) -> tuple[float, float]:
        """The values that print as this text (rounding half away from zero; ``<x`` means [0, x))."""
        if self.below:
            return (-math.inf, self.value)
        if self.above:
            return (self.value, math.inf)
        # a tiny allowance so that a value exactly on the rounding boundary counts as printed either way
        eps = 1e-12 * max(1.0, abs(self.value))
        return (self.value - self.half_unit - eps, self.value + self.half_unit + eps)

    def holds(self, x: float) -> bool:
        lo, hi = self.interval
        return lo <= x <= hi

    def overlaps(self, lo: float, hi: float) -> bool:
        a, b = self.interval
        return lo <= b and a <= hi

    def __str__(self) -> str:
        return self.text


def parse_number(text, *, file: str | None = None, column: str | None = None, row: int | None = None,
                 allow_blank: bool = False) -> Printed | None:
    """Parse one printed number (``0.94``, ``0.031*``, ``<0.001``, ``40.3%``); blank -> None when allowed."""
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text).strip()
    if raw in ("", "–", "-", "—", "NA", "nan"):
        if allow_blank:
            return None
        raise InputError(f"row {row}: the value is blank", "fill in the printed number", file=file,
                         column=column)
    m = _NUMBER.match(raw)
    if not m:
        raise InputError(f"row {row}: {raw!r} is not a number", "write the number as printed, e.g. 0.94, "
                         "0.031*, <0.001 or 40.3%", file=file, column=column)
    sign_fixed = m.group(2).replace("−", "-").replace("–", "-")
    decimals = len(sign_fixed.split(".")[1]) if "." in sign_fixed else 0
    bound = m.group(1) or ""
    return Printed(raw.rstrip("*").strip(), float(sign_fixed), decimals, below=bound[:1] in ("<", "≤"),
                   percent=bool(m.group(3)), above=bound[:1] in (">", "≥"))
