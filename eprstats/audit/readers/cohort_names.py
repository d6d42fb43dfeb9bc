"""Cohort names the fixed vocabulary of :mod:`words` does not know, read by their grammar (docs/audit_import.md,
"Held-out 4"):

- a name whose head noun is ``cohort`` or ``dataset`` (``Developing cohort``, ``Surgical cohort``, ``Center A
  cohort 2``) names a cohort whatever its modifier: papers name their cohorts freely, and a header left a
  "name" would become an outcome group (a group path ``Developing cohort > Low`` with no cohort, its P values
  audited as P values between cohorts);
- ``<model> in <cohort>`` / ``<model> (<cohort>)`` / ``<cohort>: <model>`` in a row label: a model and its
  cohort only where the cohort part is a cohort's name; never one cohort named by the whole label (in
  :mod:`cohort_pairs`, which reads labels with :mod:`words`).

This module is plain patterns (no import of :mod:`words`), so that :mod:`words` can use it.
"""
from __future__ import annotations

import re
from functools import lru_cache

#: words that cannot modify a cohort's head noun: prepositions and conjunctions (``Rad-score in primary cohort``
#: is a model in a cohort, ``Training and validation cohort`` two cohorts' words), statistics' words
_NOT_MODIFIER = re.compile(r"^(?:in|of|on|at|by|for|from|to|with|without|within|across|and|or|vs\.?|versus|per|"
                           r"all|each|every|auc|c-?index|p|n|or|hr|ci)$", re.I)
#: one or two modifier words, then the head noun; an optional number or letter (``cohort 2``, ``cohort B``)
_HEADED = re.compile(r"^(?:the\s+)?(?P<mod>[A-Za-z][\w'-]*(?:\s+[A-Za-z0-9][\w'-]*)?)\s+(?:cohorts?|datasets?)"
                     r"(?:\s*[-–]?\s*(?:\d{1,2}|[A-Z]|I{1,3}|IV))?$", re.I)
#: a participle before ``set`` (``Developing set``, ``Modelling set``, ``Tuning set``): a cohort; a noun before
#: it (``Feature set``, ``Gene set``) is not
_ING_SET = re.compile(r"^(?:the\s+)?(?P<mod>[A-Za-z]+ing)\s+sets?(?:\s*[-–]?\s*(?:\d{1,2}|[A-Z]|I{1,3}|IV))?$",
                      re.I)


@lru_cache(maxsize=65536)
def headed_cohort(name: str) -> bool:
    """Whether a cleaned header (no ``(n = ...)``, no form) is a cohort's name by its head noun."""
    s = " ".join(name.split())
    m = _HEADED.match(s) or _ING_SET.match(s)
    return bool(m) and not any(_NOT_MODIFIER.match(w) for w in m.group("mod").split())

