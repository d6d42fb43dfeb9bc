"""A time horizon printed with a statistic in one header (``1-year AUC (95% CI)``, ``AUC at 3 years``, ``5-yr
HR``): the outcome the statistic is of (docs/audit_import.md, "Held-out 4"). The 1-, 2- and 3-year AUCs of one
model in one cohort are three numbers with three places; without the horizon they share one and are unplaced
as duplicates. The horizon is the number's ``group``, as printed (``1-year``), as a horizon printed in a label
column of its own is (held-out 2's ``3-yr`` rows)."""
from __future__ import annotations

import re
from functools import lru_cache

from . import words as W

_HORIZON = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d)?)\s*[-‐–]?\s*(?:years?|yrs?|y|months?|mos?|m|days?|d)\b"
                      r"(?!\s*(?:old|of\s+age))", re.I)


@lru_cache(maxsize=65536)
def time_horizon(segment: str) -> str:
    """The horizon of a header that also names a statistic (the caller checks the statistic), as printed:
    ``1-year AUC (95% CI)`` -> ``1-year``; ``AUC at 36 months`` -> ``36 months``; ``""`` for none, or for two
    (``1- and 3-year AUC``: which one is not said)."""
    s = re.sub(r"95\s*%", " ", segment)
    found = _HORIZON.findall(s)
    if len(found) != 1:
        return ""
    return _HORIZON.search(s).group(0).strip()


def table_horizons(tb) -> set:
    """The horizons the table's column headers print with a statistic (computed once per table). One alone
    (``3-year AUC`` beside ``C-index``) tells no column apart: it is the table's outcome, no group; two or more
    (``1-year AUC | 2-year AUC``) are each AUC's group."""
    got = getattr(tb, "_horizons", None)
    if got is None:
        got = {time_horizon(s).casefold() for p in tb.col_path[tb.L:] for s in p
               if W.segment_roles(s) and time_horizon(s)}
        tb._horizons = got
    return got
