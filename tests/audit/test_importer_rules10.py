"""The general rules of `audit-import` of round 10 (issue #22, docs/audit_import.md "Round 10"), tested on small
tables written for each rule in the way a journal page's text copy prints them, not copied from a held-out set,
and on tables where the rule must not fire. Oracle: the place each number has on the page, written out by hand
below (each row's cells counted under the header by eye).

1. Footnote and significance marks in their look-alikes (``∗`` U+2217, ``⁎`` U+204E, ``＊`` U+FF0A) are marks
   like ``*``: ``0.025∗`` is the number 0.025 with a mark, never a row label; a number with a trailing symbol no
   reader knows is still counted (placed or unplaced), never lost.
2. Two levels' counts in one cell (``36/39`` beside ``Shape (regular/irregular)``, ``75/68`` beside ``Gender (M/F)``):
   a label that names its two levels in its last bracket is read as round 8's ``Male/Female``: the cell is the two
   levels' counts, unplaced with the reason, never a count and its n. ``(n/N)``, ``(k/n)`` and units (``(U/L)``)
   are not two levels. The variable's name is the label without that bracket (``Gender``: its P is Gender's),
   except where the name left would read as a statistic (``Number (single/multiple)`` keeps its bracket).
3. Footnote letters glued to names (``Agea (year)``, ``CT valueb (HU)``, ``LMa``) are read past only in a table
   that shows it prints letter marks (a lower-case letter after capitals, ``LMa``, ``AUCc``, or a mark the header
   reader knows), for the letters it shows in order and the next ones that several names carry, never where the
   word's ending is a real word's (``Urea``, ``Edema``). A table without such evidence keeps ``Agea`` as printed.
"""
from __future__ import annotations

from eprstats.audit.readers.accounting import _marked_number
from eprstats.audit.readers.label_marks import lettered_marks, read_past_letters
from eprstats.audit.readers.words import slash_pair, without_levels
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


# two levels' counts per outcome group, the levels named in the label's bracket; 36/39 (36 < 39) was read as 36 of
# n = 39 before round 10. Calcification's ``(n/N)`` says its cells are a count over its n: placed so
_LEVEL_PAIRS = """
Table 1. Characteristics of the patients.
| Characteristic | Benign (n = 143) | Malignant (n = 75) | P |
|---|---|---|---|
| Gender (M/F) | 75/68 | 39/36 | 0.950 |
| Shape (regular/irregular) | 96/47 | 36/39 | 0.006 |
| Calcification (n/N) | 12/143 | 20/75 | 0.011 |
"""


def test_two_levels_counts_under_a_label_naming_the_levels_in_a_bracket_are_never_a_count_and_its_n():
    r = _read(_LEVEL_PAIRS)
    placed = _placed(r)
    assert not [k for k in placed if k[0] in ("75/68", "39/36", "96/47", "36/39")]
    unplaced = {(c.text, c.position) for c in r.unplaced}
    assert unplaced == {(t, k) for t in ("75/68", "39/36", "96/47", "36/39") for k in (0, 1)}
    assert all("the two groups' counts" in c.reason for c in r.unplaced)
    # must not fire: a count over its n, said so by the label's ``(n/N)``
    assert placed[("12/143", 0)][:5] == ("count", "", "Benign", "", "Calcification")
    assert placed[("12/143", 1)][:5] == ("n", "", "Benign", "", "Calcification")
    assert placed[("20/75", 1)][:5] == ("n", "", "Malignant", "", "Calcification")
    assert placed[("0.006", 0)][:5] == ("p", "", "", "", "Shape")          # the variable, without its levels
    assert placed[("0.950", 0)][:5] == ("p", "", "", "", "Gender")


def test_which_labels_name_two_levels():
    for label in ("Gender (M/F)", "Shapea (regular/irregular)", "Location (superficial/deep lobe)", "Male/Female"):
        assert slash_pair(label), label
    for label in ("ALT (U/L)", "Events (n/N)", "Response (k/n)", "CD4 (cells/μL)", "Glucose (mmol/L)", "(M/F)"):
        assert not slash_pair(label), label
        assert without_levels(label) == label
    assert without_levels("Gender (M/F)") == "Gender" and without_levels("Male/Female") == "Male/Female"


def test_a_name_that_would_read_as_a_statistic_keeps_its_levels_bracket():
    """Must not fire: without ``(single/multiple)``, ``Number`` is a count's word and its row would be read as
    counts and their n; with the bracket kept, ``136/7`` stays the two levels' counts, unplaced."""
    r = _read("""
Table 1. Characteristics of the patients.
| Characteristic | Benign (n = 143) | Malignant (n = 75) | P |
|---|---|---|---|
| Number (single/multiple) | 136/7 | 73/2 | 0.669 |
| Sex (M/F) | 75/68 | 39/36 | 0.950 |
""")
    placed = _placed(r)
    assert placed[("0.669", 0)][:5] == ("p", "", "", "", "Number (single/multiple)")
    assert placed[("0.950", 0)][:5] == ("p", "", "", "", "Sex")
    assert {c.text for c in r.unplaced} == {"136/7", "73/2", "75/68", "39/36"}


_LETTERED = """
Table 1. Characteristics of the patients.
| Characteristic | Benign (n = 143) | Malignant (n = 75) | P |
|---|---|---|---|
| Ageb (year) | 55.0 ± 15.0 | 48.0 ± 14.5 | 0.023 |
| Sizeb (mm) | 19.8 ± 8.4 | 23.1 ± 12.0 | 0.003 |
| CT valueb (HU) | 42.0 ± 15.0 | 45.0 ± 16.5 | 0.524 |
| Urea | 5.1 ± 1.2 | 5.3 ± 1.4 | 0.310 |
| LMa | 2.1 ± 0.4 | 2.4 ± 0.6 | 0.001 |
"""


def test_footnote_letters_glued_to_names_are_read_past_in_a_lettered_table():
    """``LMa``: no abbreviation ends in a lower-case letter, so the table prints mark a; b follows on three names
    (Ageb, Sizeb, CT valueb).
    Urea keeps its a (a real word's ending)."""
    got = _placed(_read(_LETTERED))
    assert got[("55.0 ± 15.0", 0)][:5] == ("mean", "", "Benign", "", "Age (year)")
    assert got[("0.023", 0)][:5] == ("p", "", "", "", "Age (year)")
    assert got[("23.1 ± 12.0", 1)][:5] == ("sd", "", "Malignant", "", "Size (mm)")
    assert got[("0.524", 0)][:5] == ("p", "", "", "", "CT value (HU)")
    assert got[("2.4 ± 0.6", 0)][:5] == ("mean", "", "Malignant", "", "LM")
    assert got[("0.310", 0)][:5] == ("p", "", "", "", "Urea")


def test_names_are_kept_as_printed_without_evidence_of_letter_marks():
    """Must not fire: ``Agea`` beside ``Urea`` and ``Edema`` and no mark shown anywhere: no rule tells Agea's a
    from Urea's, so every name stays as printed."""
    got = _placed(_read("""
Table 1. Characteristics of the patients.
| Characteristic | Benign (n = 143) | Malignant (n = 75) | P |
|---|---|---|---|
| Agea | 55.0 ± 15.0 | 48.0 ± 14.5 | 0.023 |
| Urea | 5.1 ± 1.2 | 5.3 ± 1.4 | 0.310 |
| Edema | 2.1 ± 0.4 | 2.4 ± 0.6 | 0.001 |
"""))
    assert got[("0.023", 0)][4] == "Agea" and got[("0.310", 0)][4] == "Urea" and got[("0.001", 0)][4] == "Edema"


def test_which_letters_a_table_prints():
    assert lettered_marks(["Overalla", "Baselinea", "Within 1 yearsb", "AUCc"], set()) == {"a", "b", "c"}
    assert lettered_marks(["Gendera (M/F)", "LMa", "Ageb (year)", "Sizeb (mm)", "CT valueb (HU)"], set()) == {"a", "b"}
    assert lettered_marks(["Gendera (M/F)", "LMa", "Ageb (year)", "Sizeb (mm)"], set()) == {"a"}   # b on two only
    assert lettered_marks(["Agea", "Rad-scorea", "Urea"], set()) == set()          # nothing shows a mark
    assert lettered_marks(["AUCc", "Sensitivity"], set()) == set()                 # one name only carries one
    for name, read in (("Gendera (M/F)", "Gender (M/F)"), ("CT valueb (HU)", "CT value (HU)"), ("CNAa", "CNA"),
                       ("Between 1 and 2 yearsb", "Between 1 and 2 years"), ("Urea", "Urea"), ("Edema", "Edema"),
                       ("Hepatic", "Hepatic"), ("Limb", "Limb"), ("Korea", "Korea"), ("AUC", "AUC")):
        assert read_past_letters(name, {"a", "b", "c"}) == read, name
