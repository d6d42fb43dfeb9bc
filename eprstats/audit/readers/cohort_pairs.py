"""Row labels that print a model (or variable) and its cohort in one cell (``Rad-score in primary cohort``,
``<model> (<cohort>)``, ``<cohort>: <model>``; docs/audit_import.md, "Held-out 4"). Apart from
:mod:`cohort_names`, which :mod:`words` imports, because this reads labels with :mod:`words`."""
from __future__ import annotations

import re
from functools import lru_cache

from . import words as W

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
