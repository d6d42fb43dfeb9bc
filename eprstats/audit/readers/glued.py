"""Names that hold two places in one printed cell, read only where the table says how to split them
(docs/audit_import.md, "Held-out 2"):

- a column header that starts with a cohort word and goes on (``Training EPR``, ``Training and validation set
  Surgical cohort``): a cohort and an outcome group only where the rest names an outcome group; otherwise the
  whole header is the cohort's name, or, where the table's headers allow both readings, no place at all;
- a row label with a cohort word glued on by ``_`` (``Clinical_train``, ``test_Radiomics``): a model (or variable)
  and a cohort only where every row label of its column is glued the same way;
- a row label that is only a bound or a range (``< 10 mm``, ``≥ 60``, ``10–15``): a level, never a variable.

``tb`` is the table's header structure (:class:`eprstats.audit.readers.place._Table`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import words as W

#: words that name an outcome group in a characteristics table's header (``Training EPR``, ``Validation
#: non-responders``, ``Test set LNM+``): the outcome of a prediction model, its presence or absence
_OUTCOME = re.compile(
    r"^(?:non[- ]?)?(?:events?|respon\w*|recurren\w*|relaps\w*|progress\w*|metasta\w*|malignan\w*|benign|"
    r"positive|negative|p?cr|deaths?|died|dead|alive|surviv\w*|cases?|controls?|epr|lnm|complications?|"
    r"(?:high|low|intermediate)[- ]risk|yes|no|present|absent|invasive|grade\s*\S+|[\w-]{1,12}\s*[+−-])$", re.I)
#: the start of a header's rest that goes on with the cohort's name, not a group of it (``Training and
#: validation set``, ``Training + validation``, ``Test / external``)
_CONTINUES = re.compile(r"^(?:and|or|&|\+|/|plus|vs\.?|versus|with|without|of|from)\b|^[&+/]", re.I)


def outcome_group(rest: str) -> bool:
    """Whether a header's rest after its cohort word names an outcome group (a word of the outcome vocabulary,
    never a phrase with a cohort word: ``Surgical cohort`` is part of a cohort's name)."""
    name = W.clean_name(rest)
    return bool(_OUTCOME.match(name)) and not W.COHORT.search(name)


def _rests(tb) -> dict:
    """The table's column-header segments that start with a cohort word and go on with a name: cohort -> the
    set of rests (computed once per table)."""
    got = getattr(tb, "_cohort_rests", None)
    if got is None:
        got = {}
        for path in tb.col_path[tb.L:]:
            for seg in path:
                cohort, rest = W.split_cohort(seg)
                if cohort and rest and _is_name(rest):
                    got.setdefault(W.clean_name(cohort).casefold(), set()).add(W.clean_name(rest).casefold())
        tb._cohort_rests = got
    return got


def _is_name(rest: str) -> bool:
    """A rest that names no statistic, CI or condition: a name (``, n (%)`` alone is a form, no name)."""
    return bool(W.clean_name(rest)) and not (W.segment_roles(rest) or W.is_ci_only(rest) or W.is_condition(rest))


def cohort_header(tb, seg: str, kind: str):
    """(cohort, rest) of a column-header segment, or (why its numbers have no place, None).

    The rest after a leading cohort word is a group (a model, in a performance or regression table) only where
    the headers say it is one: it names an outcome group, or the same two or more rests stand under every cohort
    of the table (``Training EPR | Training non-EPR | Test EPR | Test non-EPR``). A rest that goes on with the
    cohort's name (``and validation set``) or holds a cohort word (``Surgical cohort``), and rests each alone
    under their cohort, make the whole header the cohort's name. Where a cohort has two rests and another does
    not repeat them, neither reading is the headers': no place for any of these columns."""
    bracketed = bracketed_group(tb, seg, kind)
    if bracketed:
        return bracketed
    cohort, rest = W.split_cohort(seg)
    if not cohort or not rest or not _is_name(rest):
        return cohort, rest
    whole = W.clean_name(seg)
    if _CONTINUES.match(rest.strip()) or W.COHORT.search(W.clean_name(rest)):
        return whole, ""
    if kind != "characteristics":
        return cohort, rest          # ``Test Radiomics``: a model under its cohort (no group to tell apart)
    if outcome_group(rest):
        return cohort, rest
    sets = list(_rests(tb).values())
    if sets and len(sets[0]) >= 2 and all(r == sets[0] for r in sets):
        return cohort, rest
    if all(len(r) == 1 for r in sets):
        return whole, ""
    return (f"{seg!r}: a cohort ({cohort}) and a group ({rest}), or one cohort's name? The other headers do not "
            "repeat its groups under every cohort, and no word names an outcome"), None


#: a cohort's header with a bracketed rest (``Test (esophageal cancer positive)``)
_BRACKETED = re.compile(r"^(?P<c>.*?\S)\s*[(\[](?P<rest>[^()\[\]]+)[)\]]$")
#: a bracketed rest that names an outcome group by its last word (``esophageal cancer negative``, ``LNM+``)
_OUTCOME_LAST = re.compile(r"(?:^|\s)(?:non[- ]?)?(?:positive|negative|events?|respon\w*|recurren\w*|"
                           r"malignan\w*|benign|p?cr|[\w-]{1,12}\s*[+−-])$", re.I)


def bracketed_group(tb, seg: str, kind: str):
    """(cohort, group) of a characteristics table's header ``Test (esophageal cancer positive)``: a cohort's name
    with, in brackets, an outcome group, where another column header names the same cohort with another outcome
    group in brackets (``Test (esophageal cancer negative)``): the two columns are the cohort's groups. A
    bracketed rest otherwise is part of the cohort's name or a note (``Validation cohort (center B)``,
    ``Validationb (present study)``), and is left as it was read. None where the rule does not apply."""
    if kind != "characteristics":
        return None
    own = _bracketed(seg)
    if not own:
        return None
    siblings = {_bracketed(s) for path in tb.col_path[tb.L:] for s in path} - {None, own}
    if not any(c.casefold() == own[0].casefold() for c, _ in siblings):
        return None
    return own


@lru_cache(maxsize=65536)
def _bracketed(seg: str):
    m = _BRACKETED.match(W.clean_name(seg))
    if not m or not W.is_cohort(m.group("c")) or not _OUTCOME_LAST.search(m.group("rest").strip()):
        return None
    return W.cohort_name(m.group("c")), m.group("rest").strip()


# ------------------------------------------------------------------------------------------ glued row labels
_COHORT_GLUE = r"(?:train(?:ing)?|test(?:ing)?|val(?:idation)?|external|internal)"
_GLUED_SUFFIX = re.compile(rf"^(?P<name>\S.*?)_(?P<c>{_COHORT_GLUE})$", re.I)
_GLUED_PREFIX = re.compile(rf"^(?P<c>{_COHORT_GLUE})_(?P<name>\S.*)$", re.I)


@lru_cache(maxsize=65536)
def _glued(label: str):
    """(side, name, cohort word) of ``Clinical_train`` / ``test_Clinical``, or None."""
    s = label.strip()
    for side, rx in (("suffix", _GLUED_SUFFIX), ("prefix", _GLUED_PREFIX)):
        m = rx.match(s)
        if m:
            return side, m.group("name"), m.group("c")
    return None


def glued_label(tb, seg: str):
    """(name, cohort) of a row label glued to a cohort word by ``_``, None where the label is not glued, or a str:
    why its numbers have no place. The split is the table's only where every label of the column that holds it
    (rows with numbers) is glued on the same side, to at least two names or two cohorts (one consistent split);
    a label glued where its neighbours are not may be one name (``Score_test``): no place, not a guess."""
    g = _glued(seg)
    if g is None:
        return None
    body = [row for row in tb.rows[tb.h:] if any(row[tb.L:])]
    k = next((k for k in range(tb.L) if any(row[k].strip() == seg.strip() for row in body)), None)
    labels = [row[k].strip() for row in body if row[k].strip()] if k is not None else [seg]
    found = [_glued(x) for x in labels]
    sides = {f[0] if f else None for f in found}
    if sides == {g[0]} and len(labels) >= 2 and (len({f[1].casefold() for f in found}) >= 2 or
                                                  len({f[2].casefold() for f in found}) >= 2):
        return g[1], g[2]
    return (f"{seg!r}: a name glued to a cohort word, where the column's other labels are not glued the same way "
            "(one name, or a name and its cohort?)")


# ------------------------------------------------------------------------------------------ bounds as labels
_BOUND = r"(?:<=|>=|≤|≥|<|>|=<|=>)"
_NUM = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?:\s*(?:%|[a-zA-Zµμ/²³]{1,6}(?:/[a-zA-Z0-9²³]{1,6})?))?"
_BOUND_LABEL = re.compile(rf"^\s*(?:{_BOUND}\s*{_NUM}|{_NUM}\s*(?:[-–—]|to)\s*{_NUM}|{_NUM}\s*{_BOUND}){_UNIT}\s*$")


def bound_label(label: str) -> bool:
    """A label that is only a bound or a range (``< 10 mm``, ``≥ 60``, ``10–15 mm``, ``10-15``, ``60+`` aside):
    it names a level of a variable, never the variable."""
    return bool(_BOUND_LABEL.match(W.clean_name(label) or label))
