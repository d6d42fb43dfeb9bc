"""Cohort names the fixed vocabulary of :mod:`words` does not know, read by their grammar (docs/audit_import.md,
"Held-out 4"):

- a name whose head noun is ``cohort`` or ``dataset`` (``Developing cohort``, ``Surgical cohort``, ``Center A
  cohort 2``) names a cohort whatever its modifier: papers name their cohorts freely, and a header left a
  "name" would become an outcome group (a group path ``Developing cohort > Low`` with no cohort, its P values
  audited as P values between cohorts);
- ``<model> in <cohort>`` / ``<model> (<cohort>)`` / ``<cohort>: <model>`` in a row label: a model and its
  cohort only where the cohort part is a cohort's name; never one cohort named by the whole label.

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


#: ``Rad-score in (the) primary cohort``, ``Nomogram (validation set)``, ``Training cohort: Nomogram``
_IN = (re.compile(r"^(?P<m>\S.*?)\s+in\s+(?:the\s+)?(?P<c>\S.*)$", re.I),
       re.compile(r"^(?P<m>\S.*?)\s*[(\[](?P<c>[^()\[\]]+)[)\]]$"),
       re.compile(r"^(?P<c>[^:]+?)\s*:\s*(?P<m>\S.*)$"))


@lru_cache(maxsize=65536)
def named_in_cohort(label: str):
    """(name, cohort) of a row label that prints a model (or variable) and its cohort in one cell: ``<model> in
    <cohort>``, ``<model> (<cohort>)``, ``<cohort>: <model>``, only where the cohort part is a cohort's name and
    the other part holds no cohort word (``External cohort with fine-tuning (test set)`` is one cohort's name).
    None where the label is no such pair; a str (why no place) for ``<name> in <words with a cohort word>`` that
    is no such pair (``Rad-score in pooled sample``): the whole label is no cohort's name, nor is its name part
    a model of a known cohort."""
    from . import words as W                # words imports this module

    if W.is_cohort(label) or not W.COHORT.search(label):
        return None
    name = W.clean_name(label)
    for rx in _IN:
        m = rx.match(name)
        if m and W.is_cohort(m.group("c")) and not W.COHORT.search(m.group("m")) and W.clean_name(m.group("m")):
            return W.clean_name(m.group("m")), m.group("c").strip()
    m = _IN[0].match(name)
    if m and W.COHORT.search(m.group("c")) and not W.COHORT.search(m.group("m")):
        return (f"{label!r}: a name 'in' words that are no cohort's name ({m.group('c')!r}): neither the whole "
                "label nor its part names a cohort")
    return None
