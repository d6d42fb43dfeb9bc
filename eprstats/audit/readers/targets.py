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

#: ``diagnosis of`` / ``predicting`` (a noun with its ``of``, a verb's -ing form: ``prediction performance of the
#: models`` names no target), then the phrase of what is diagnosed, to a sentence's end
_TARGET = re.compile(r"\b(?:(?:diagnosis|detection|prediction|identification|discrimination|differentiation|"
                     r"classification)\s+of|(?:diagnos|detect|predict|identify|discriminat|differentiat|classify)ing)"
                     r"\s+(?P<what>[^.;:]+)", re.I)
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def _phrase_words(caption: str) -> tuple:
    return tuple(w for m in _TARGET.finditer(caption or "") for w in _WORD.findall(m.group("what").casefold()))


def _in_phrase(name: str, words: tuple) -> bool:
    own = _WORD.findall(name.casefold())
    if not own:
        return False
    return all(any(p.startswith(w[:6]) if len(w) >= 6 else p == w for p in words) for w in own)


def target_and_model(caption: str, names: list):
    """(group, model) where exactly one of two names is in the caption's phrase of what is diagnosed or
    predicted; None otherwise."""
    words = _phrase_words(caption)
    if len(names) != 2 or not words:
        return None
    inside = [_in_phrase(n, words) for n in names]
    if sum(inside) != 1:
        return None
    k = inside.index(True)
    return names[k], names[1 - k]
