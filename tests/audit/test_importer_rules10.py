"""The general rules of `audit-import` of round 10 (issue #22, docs/audit_import.md "Round 10"), tested on small
tables written for each rule in the way a journal page's text copy prints them, not copied from a held-out set,
and on tables where the rule must not fire. Oracle: the place each number has on the page, written out by hand
below (each row's cells counted under the header by eye).

1. Footnote and significance marks in their look-alikes (``∗`` U+2217, ``⁎`` U+204E, ``＊`` U+FF0A) are marks
   like ``*``: ``0.025∗`` is the number 0.025 with a mark, never a row label; a number with a trailing symbol no
   reader knows is still counted (placed or unplaced), never lost.
"""
from __future__ import annotations

from eprstats.audit.readers.accounting import _marked_number
from tests.audit.test_importer_misplaced import _placed, _read


def _by_text(r) -> dict:
    return {t: v for (t, k), v in _placed(r).items() if k == 0}


# a Cox table whose significant Ps carry the page's star in three look-alikes; before round 10, 0.025∗, 0.013⁎
# and 0.041＊ were read as row labels and returned neither placed nor unplaced
_STARRED = """
Table 3. Cox regression of the features, ∗P < 0.05.
| Feature | P | Hazard ratio (95% CI) |
|---|---|---|
| Age | 0.025∗ | 1.794 (1.048-3.071) |
| Size | 0.395 | 1.441 (0.622-3.336) |
| Grade | 0.013⁎ | 2.515 (1.218-5.191) |
| Margin | 0.041＊ | 1.310 (1.011-1.697) |
"""


def test_a_p_with_a_lookalike_star_is_a_p_not_a_label():
    r = _read(_STARRED)
    got = _by_text(r)
    assert got["0.025∗"][:5] == ("p", "", "", "", "Age")
    assert got["0.013⁎"][:5] == ("p", "", "", "", "Grade")
    assert got["0.041＊"][:5] == ("p", "", "", "", "Margin")
    assert got["0.395"][:5] == ("p", "", "", "", "Size")
    assert got["2.515 (1.218-5.191)"][:5] == ("hr", "", "", "", "Grade")
    assert got["1.310 (1.011-1.697)"][:5] == ("hr", "", "", "", "Margin")
    assert len(_placed(r)) == 16 and not r.unplaced          # 4 Ps + 4 x (HR, low, high)


def test_a_star_on_a_name_stays_part_of_the_label_and_names_with_digits_are_not_counted():
    """Must not fire: ``Grade∗`` is the variable Grade (its mark read past), ``CA19-9`` a name whose digits are
    not numbers of the table; a number with an unknown trailing symbol is a number, a name is not."""
    r = _read("""
Table 3. Cox regression.
| Feature | P | Hazard ratio (95% CI) |
|---|---|---|
| Grade∗ | 0.013 | 2.515 (1.218-5.191) |
| CA19-9 | 0.395 | 1.441 (0.622-3.336) |
""")
    got = _by_text(r)
    assert got["0.013"][:5] == ("p", "", "", "", "Grade")
    assert got["0.395"][:5] == ("p", "", "", "", "CA19-9")
    assert len(_placed(r)) == 8 and not r.unplaced
    assert _marked_number("0.025⋆") and _marked_number("0.025∗")
    assert not any(map(_marked_number, ("CA19-9", "AUC (95% CI)", "pN1a", "2.5 ±", "T2")))
