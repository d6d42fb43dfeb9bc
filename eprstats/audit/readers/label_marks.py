"""Footnote letters glued to names in a lettered table (issue #22, docs/audit_import.md "Round 10").

A page's text copy loses the superscript of a footnote mark: ``Gender<sup>a</sup> (M/F)`` is copied as
``Gendera (M/F)``, ``AUC<sup>c</sup>`` as ``AUCc``. Cutting a trailing letter off every name would cut real words
(``Urea``, ``Edema``, ``Hepatic``), so a letter is read as a mark only where the table itself shows that it prints
letter marks, and only the letters it shows:

- evidence: a letter glued where no word takes it: a lower-case letter after an abbreviation in capitals
  (``AUCc``, ``LMa``, ``CNAa``), or the marks the header reader already knows (a footnote's leading letter, a
  letter glued to a number ``0.04a`` or to a statistic's word ``P valueb``: headers.marks_used);
- the letters: ``a`` up to the last letter so shown (journals give footnote letters in order, so a table that
  prints ``c`` prints ``a`` and ``b``), then each next letter that at least three names carry (``Ageb``, ``Sizeb``
  in a table that shows ``a``), and only where at least two names of the table carry one of them (the same mark
  on several labels);
- a name's last word (before a bracket of levels or a unit, ``Gendera (M/F)``, ``CT valueb (HU)``) loses its
  trailing letter when the letter is one of them, the word keeps two letters, and the word is not one whose ending
  is a real word's (``-ia``, ``-ma``, ``-ic``, ``-mb``, ... and a few words: ``Urea``, ``Area``; see _REAL).

A table without such evidence keeps its names as printed (``Agea`` in a table whose only mark is ``a`` on words:
no rule tells ``Agea`` from ``Urea``), and its numbers are placed under the names as printed.
"""
from __future__ import annotations

import re

#: a lower-case letter glued to an abbreviation in capitals (``AUCc``, ``LMa``): no word ends so
_AFTER_CAPITALS = re.compile(r"(?<![\w-])[A-Z]{2,}([a-h])(?![\w])")
#: a name's last word with its letter, before an optional bracket (levels or unit) at its end
_LAST_WORD = re.compile(r"^(?P<head>.*?)(?P<word>[A-Za-z][\w-]*?)(?P<mark>[a-h])(?P<tail>\s*(?:[(\[][^()\[\]]*[)\]])?\s*)$")
#: endings and words that real names in medical tables have, with a last letter that could be a mark
_REAL_ENDINGS = ("ia", "ma", "ic", "ac", "mb", "ed", "id", "ad", "od", "ead", "nd")
_REAL = {"urea", "area", "idea", "dyspnea", "dyspnoea", "apnea", "apnoea", "nausea", "diarrhea", "diarrhoea",
         "cornea", "trachea", "edema", "oedema", "angina", "retina", "lamina", "fistula", "vertebra", "aorta",
         "pleura", "dura", "mucosa", "fascia", "vagina", "uvula", "ulna", "tibia", "fibula", "patella", "sclera",
         "vena", "placenta", "plasma", "gamma", "alpha", "beta", "delta", "kappa", "lambda", "omega", "extra",
         "via", "data", "media", "china", "africa", "america", "europa", "korea", "cuba", "india", "asia"}


def lettered_marks(texts, known: set) -> set:
    """The footnote letters a table prints glued to names: ``texts`` its header and row-label cells, ``known`` the
    marks headers.marks_used found; empty where the table shows none (see the module's doc)."""
    shown = set(known) | {m for t in texts for m in _AFTER_CAPITALS.findall(t or "")}
    shown = {m for m in shown if "a" <= m <= "h"}
    if not shown:
        return set()
    letters = {chr(c) for c in range(ord("a"), ord(max(shown)) + 1)}
    # the next letter of the sequence where three names or more carry it (``Ageb``, ``Sizeb``, ``CT valueb`` in a
    # table that shows ``a``): marks are given in order, and one letter on several names is a mark, not a word's
    # end; two are not enough (``Radiomics signatureb | Gammab``: Gammab may be a model's name, round 3's test)
    nxt = chr(ord(max(letters)) + 1)
    while nxt <= "h" and len({t for t in texts if t and _mark_of(t, {nxt})}) >= 3:
        letters.add(nxt)
        nxt = chr(ord(nxt) + 1)
    carrying = {t for t in texts if t and _mark_of(t, letters)}
    return letters if len(carrying) >= 2 else set()


def _mark_of(name: str, letters: set) -> str:
    m = _LAST_WORD.match(name or "")
    if not m or m.group("mark") not in letters:
        return ""
    word = m.group("word") + m.group("mark")
    if m.group("word").isupper():               # ``LMa``, ``CNAa``: a letter no abbreviation ends with
        return m.group("mark")
    if len(m.group("word")) < 2 or word.lower() in _REAL or word.lower().endswith(_REAL_ENDINGS):
        return ""
    return m.group("mark")


def read_past_letters(name: str, letters: set) -> str:
    """``Gendera (M/F)`` -> ``Gender (M/F)`` where ``a`` is one of the table's letters; unchanged otherwise."""
    if not letters or not _mark_of(name, letters):
        return name
    m = _LAST_WORD.match(name)
    return (m.group("head") + m.group("word") + m.group("tail")).strip()
