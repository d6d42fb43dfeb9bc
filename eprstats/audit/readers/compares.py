"""Which cohorts a characteristics table's P column compares (``Cell.compares``).

A P printed on a variable with no cohort in its headers compares cohorts. The audit used to recompute it over
every cohort of the table; a paper that prints its one P column between the training and internal-validation
columns (``Training | Internal validation | P | External validation``) compares only those two, and the pooled
test is a comparison the paper did not make (issue #22, held-out 5: seven false findings). So the P's place says
which cohorts it compares, where the table tells:

- its header names them (``P (training vs validation)``, ``P, training vs. test``): the table's cohorts that
  the two sides name, each side one cohort;
- its position: the cohorts printed between the previous P column (or the row labels) and it, where a cohort
  column follows it (a P at the table's end after all the cohorts is the comparison of all of them, as before).

Where a P column of no cohort cannot be told so (one cohort before it and others after, a header naming a
comparison whose sides are no single cohort of the table), its numbers are unplaced with the reason: the audit
must never test a comparison the paper did not make.
"""
from __future__ import annotations

import re
from dataclasses import replace

from . import words as W

SEP = "; "
_VS = re.compile(r"\s+(?:vs\.?|versus|v\.|and)\s+|\s*/\s*", re.I)


def _cohort_columns(tb, out) -> dict:
    """column -> the one cohort its placed numbers (other than P) belong to."""
    by_path: dict = {}
    for c in out.placed:
        if c.cohort and c.role != "p" and not W.is_total(c.cohort):
            by_path.setdefault(c.col_path, set()).add(c.cohort)
    cols = {}
    for j in range(tb.L, tb.t.width):
        got = by_path.get(tuple(tb.col_path[j]), set())
        if len(got) == 1:
            cols[j] = next(iter(got))
    return cols


def _named(header: str, cohorts: list) -> list | None:
    """The cohorts a P header names as a comparison (``P (training vs validation)``): None where it names none,
    [] where it names a comparison whose sides are not each one cohort of the table."""
    inner = re.search(r"[(\[,:]\s*(.+?)\s*[)\]]?\s*$", header)
    if not inner or not re.search(r"\bvs\b|\bversus\b|\bv\.", inner.group(1), re.I):
        return None
    sides = [s.strip(" .") for s in _VS.split(inner.group(1)) if s.strip(" .")]
    found = []
    for side in sides:
        word = side.casefold()
        hit = [c for c in cohorts if re.search(rf"\b{re.escape(word)}", c.casefold())
               or re.search(rf"\b{re.escape(c.casefold())}\b", word)]
        if len(hit) != 1 or hit[0] in found:
            return []
        found.append(hit[0])
    return found if len(found) >= 2 else []


def p_compares(tb, out) -> None:
    """Set ``compares`` on each P of a characteristics table placed with no cohort, or unplace it (module doc)."""
    if tb.kind != "characteristics":
        return
    cols = _cohort_columns(tb, out)
    cohorts = list(dict.fromkeys(cols[j] for j in sorted(cols)))
    if len(cohorts) < 3 and not any(_named(" ".join(tb.col_path[j]), cohorts) for j in range(tb.t.width)):
        return                        # two cohorts: the P compares them; nothing to tell
    p_cols = [j for j in range(tb.L, tb.t.width) if tb.col_path[j] and W.segment_roles(tb.col_path[j][-1]) == ["p"]]
    verdict: dict = {}
    start = tb.L
    for j in p_cols:
        header = tb.col_path[j][-1]
        named = _named(header, cohorts)
        before = list(dict.fromkeys(cols[k] for k in range(start, j) if k in cols))
        after = [cols[k] for k in range(j + 1, tb.t.width) if k in cols]
        start = j + 1
        if named:     # the header's cohort words are the comparison's, not one cohort's (``P (... vs test)``)
            verdict[tuple(tb.col_path[j])] = ("named", SEP.join(named))
        elif named is not None:
            verdict[tuple(tb.col_path[j])] = (None, f"the P column {header!r} names a comparison whose sides are "
                                                    f"not each one cohort of the table ({', '.join(cohorts)})")
        elif len(before) >= 2 and after:
            verdict[tuple(tb.col_path[j])] = SEP.join(before)
        elif after and len(before) < 2:
            verdict[tuple(tb.col_path[j])] = (None, f"the P column {header!r} stands among the cohorts' columns "
                                                    "and neither its header nor its place says which cohorts it "
                                                    "compares")
    if not verdict:
        return
    keep, moved = [], []
    for c in out.placed:
        v = verdict.get(c.col_path) if c.role == "p" else None
        if isinstance(v, tuple) and v[0] == "named":
            keep.append(replace(c, cohort="", compares=v[1]))
        elif v is None or c.cohort:
            keep.append(c)
        elif isinstance(v, tuple):
            moved.append(replace(c, role="", of="", reason=v[1]))
        else:
            keep.append(replace(c, compares=v))
    out.placed = keep
    out.unplaced += moved
