"""Numbers that one table places twice in one place: neither is placed (the headers do not tell them apart),
unless they are one rate printed under its several names (``Sensitivity (%)``, ``TPR``, ``Recall``)."""
from __future__ import annotations

import re
from dataclasses import replace

from . import words as W


def unplace_duplicates(out) -> None:
    """Two numbers with one role and one place: the headers do not tell them apart, so neither is placed."""
    key = lambda c: (c.role, c.of, c.cohort.casefold(), c.group.casefold(), c.model.casefold(),
                     c.variable.casefold(), c.level.casefold())
    seen: dict = {}
    for c in out.placed:
        seen[key(c)] = seen.get(key(c), 0) + 1
    groups: dict = {}
    for c in out.placed:
        if seen[key(c)] > 1:
            groups.setdefault(key(c), []).append(c)
    for k, same in groups.items():
        if _synonyms(same):
            seen[k] = 1          # one rate printed under its several names: each placed (the audit compares them)
    dup = [c for c in out.placed if seen[key(c)] > 1]
    if dup:
        out.placed = [c for c in out.placed if seen[key(c)] == 1]
        out.unplaced += [replace(c, role="", of="", reason="another number has the same role and place: the "
                                 "headers do not tell them apart") for c in dup]


def _synonyms(same: list) -> bool:
    """Numbers of one role and place told apart only by the word naming the role (``Sensitivity (%)``,
    ``True positive rate (%)``, ``Recall``): each header that differs between them is that role's name and
    nothing else (``Sensitivity at cut-off 2`` is not), and no two share their headers. Then they are one
    statistic printed under several names: each is placed as it (the audit checks that they agree)."""
    role = same[0].role
    if role not in ("sensitivity", "specificity", "ppv", "npv", "accuracy") or same[0].of:
        return False
    paths = [c.row_path + c.col_path for c in same]
    if len(set(paths)) < len(paths):
        return False
    shared = set.intersection(*map(set, paths))
    rx = dict(W._ROLE_RX)[role]
    for path in paths:
        for seg in set(path) - shared:
            rest = re.sub(r"\(\s*%\s*\)|%|95\s*%\s*CI|\bCI\b|[()\[\],:;.]", " ", rx.sub(" ", seg), flags=re.I)
            if W.roles_of(seg) != [role] or rest.strip():
                return False
    return True
