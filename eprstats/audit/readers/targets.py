"""Two names over a performance table's number, one of them what the caption says is diagnosed or predicted.

A column header of two name levels (``Adenomyosis`` over ``DL``) names a model and something else, and the headers
alone do not say which is which: a reader (``DL``) may be printed over conditions or under them, and a model may be
printed over its subgroups or under them. The caption can say it: "performance of the trainees and DL *in the
diagnosis of* homogeneous echogenicity, fibroid and adenomyosis" names the conditions as the thing diagnosed, so
a name found in that phrase is the outcome the rates are of (``group``) and the other the model. Only where
exactly one of the two names is in the phrase; otherwise the number stays unplaced as before.

A name is in the phrase when each of its words starts a word of the phrase: its first six letters for a longer
word (``Echogenity`` is a misspelt ``echogenicity``, ``Fibroids`` a plural of ``fibroid``), the whole word for a
shorter one (``DL`` is not ``dlbcl``'s prefix to be found by).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import words as W

#: ``diagnosis of`` / ``predicting`` (a noun with its ``of``, a verb's -ing form: ``prediction performance of the
#: models`` names no target), then the phrase of what is diagnosed, to a sentence's end or a bracket
_TARGET = re.compile(r"\b(?:(?:diagnosis|detection|prediction|identification|discrimination|differentiation|"
                     r"classification)\s+of|(?:diagnos|detect|predict|identify|discriminat|differentiat|classify)ing)"
                     r"\s+(?P<what>[^.;:(\[]+)", re.I)
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def _phrase_words(caption: str) -> tuple:
    return tuple(w for m in _TARGET.finditer(caption or "") for w in _WORD.findall(m.group("what").casefold()))


def _in_phrase(name: str, words: tuple) -> bool:
    own = _WORD.findall(name.casefold())
    if not own:
        return False
    return all(any(p.startswith(w[:6]) if len(w) >= 6 else p == w for p in words) for w in own)


def _names_of(col_path: tuple) -> list:
    """The name segments of a column's headers (no statistic, CI, form, cohort or condition)."""
    return [W.clean_name(x) for x in col_path if W.clean_name(x) and not (
        W.segment_roles(x) or W.is_ci_only(x) or W.is_cohort(x) or W.is_condition(x) or W.is_total(x))]


def target_and_model(tb, names: list):
    """(group, model) where exactly one of two header names is in the caption's phrase of what is diagnosed or
    predicted, and the same holds for every column of the table with two names (the same header level in the
    phrase, the other never): None otherwise (``in the detection of pneumothorax`` over ``Pneumothorax`` and
    ``Pleural effusion`` columns names one of the two conditions only, and tells nothing)."""
    words = _phrase_words(tb.t.caption)
    if len(names) != 2 or not words:
        return None
    levels = set()
    for path in tb.col_path[tb.L:]:
        pair = _names_of(path)
        if len(pair) == 2:
            inside = tuple(_in_phrase(n, words) for n in pair)
            if sum(inside) != 1:
                return None
            levels.add(inside)
    inside = [_in_phrase(n, words) for n in names]
    if len(levels) != 1 or tuple(inside) not in levels:
        return None
    k = inside.index(True)
    return names[k], names[1 - k]
