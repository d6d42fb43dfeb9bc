"""Accounting, never silence (issue #22, item 3): every number of a table is placed or listed as unplaced with
the reason; no table and no cell vanishes. Made for the third held-out set's defects (docs/audit_import.md
"Held-out 3": a body of ``p (k/n)`` cells read as header rows, 54 numbers gone; CIs the text copy shifted into
the row-label column, 4 numbers gone), each rule tested on a small table written for it, not copied from those.

Oracle: the numbers of the input counted here, not by the importer: every printed cell made only of numbers and
the signs between them (brackets, ``%``, ``±``, dashes, ``/``, ``,``, bounds, footnote marks) holds as many
numbers as a plain digit pattern finds in it (decimal commas read as points in a table that prints no point);
each of them must come back from the importer, placed or unplaced, at its position in its cell.
"""
from __future__ import annotations

import importlib
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.audit.test_importer_misplaced import _placed, _read

AUDIT = Path(__file__).parent
_NUMBER = re.compile(r"\d+(?:\.\s?\d+)?(?:,\d{3}(?!\d))*|\.\d+")
_SIGNS = re.compile(r"[\s()\[\]%±,;/:<>≤≥=*∗⁎＊✱†‡§–—\-.+]|\bto\b")


#: a row label that is a level's name, not a number to place: a whole number, a bound, a band of whole numbers,
#: a bound in percent (held-out 7's ``> 50%``, a circumferential extent's level)
_LEVEL = re.compile(r"\s*(?:(?:<=|>=|[<>≤≥])\s*\d+(?:\.\d+)?%?|\d+(?:\s*[-–]\s*\d+)?)\s*")
#: a bounded whole number (``< 60``, ``≥60``): a subgroup's name wherever it stands (over columns, too)
_SUBGROUP = re.compile(r"\s*(?:<=|>=|[<>≤≥])\s*\d+\s*")


def printed_numbers(rows, label_cols: int = 1) -> Counter:
    """(cell text, position) of every number printed in a cell made only of numbers, counted by a digit pattern
    (a row label that is a level's name, ``2``, ``<60``, ``40-59``, and a bounded whole number anywhere, a subgroup's
    name over columns, left out)."""
    comma = any(re.search(r"\d,\d", c) for r in rows for c in r) and not any(
        re.search(r"\d\.\d", c) for r in rows for c in r)
    out: Counter = Counter()
    for row in rows:
        for j, text in enumerate(row):
            t = re.sub(r"(?<=\d),(?=\d)", ".", text) if comma else text
            if not _NUMBER.search(t) or _SIGNS.sub("", _NUMBER.sub("", t)) or (j < label_cols and _LEVEL.fullmatch(t)) \
                    or _SUBGROUP.fullmatch(t):
                continue
            for k in range(len(_NUMBER.findall(t))):
                out[(text.strip(), k)] += 1
    return out


def emitted(reads) -> Counter:
    return Counter((c.text.strip(), c.position) for r in reads for c in r.placed + r.unplaced)


def _text_rows(text: str) -> list:
    rows = []
    for line in text.split("\n")[1:]:
        if not line.strip() or re.fullmatch(r"\s*\|?\s*:?-{3,}.*", line):
            continue
        s = line.strip().strip("|") if "|" in line else line
        rows.append([c.strip() for c in re.split(r"\||\t", s)])
    return rows


# ------------------------------------------------------------------------------ the rules, each on its own table
def test_a_body_of_percentages_with_their_count_over_n_is_a_body_not_header_rows():
    """``20.00 (6/30)``: a percentage with its count over n, the % sign in the header only. Such rows are the
    table's body (a row of numbers in a form the readers know is never a header row); every number comes back,
    the three of each cell at positions 0, 1, 2."""
    r = _read("""
Table 5 Event rate by risk class
| Class | Training set (%; [events/n]) | Test set (%; [events/n]) |
|---|---|---|
| Low | 20.00 (6/30) | 25.00 (3/12) |
| High | 62.50 (25/40) | 60.00 (9/15) |
""")
    got = Counter((c.text, c.position) for c in r.placed + r.unplaced)
    assert all(got[(t, k)] == 1 for t in ("20.00 (6/30)", "62.50 (25/40)", "25.00 (3/12)", "60.00 (9/15)")
               for k in range(3))
    assert len(r.placed) + len(r.unplaced) == 12
    # nothing here says whose percentage it is beyond the cohort: none placed as another table's role
    assert not any(c.role in ("auc", "or", "p") for c in r.placed)


def test_a_percentage_with_its_count_over_n_under_a_rate_is_the_rate_its_count_and_n():
    """``85.0 (17/20)`` under ``Sensitivity``: the rate, then its numerator and denominator (17/20 = 85.0%)."""
    got = _placed(_read("""
Table 2 Performance
| Model | Cohort | Sensitivity | Specificity |
|---|---|---|---|
| Radiomics | Test | 85.0 (17/20) | 70.0% (21/30) |
"""))
    assert got[("85.0 (17/20)", 0)][0] == "sensitivity" and got[("85.0 (17/20)", 2)][0] == "n"
    assert got[("70.0% (21/30)", 1)][0] == "count"
    assert round(17 / 20 * 100, 1) == 85.0 and round(21 / 30 * 100, 1) == 70.0


def test_a_table_whose_every_row_looks_like_a_header_still_lists_its_numbers():
    """Cells in a form no reader knows (``7/10 [70]``) leave no row of numbers, so every row is taken as a
    header row; its numbers are still listed, unplaced, with the reason, never dropped."""
    r = _read("""
Table 3 Responses
| Arm | Week 4 | Week 8 |
|---|---|---|
| A | 7/10 [70] {x} | 8/10 [80] {x} |
| B | 0.5 ± 0.1 ± 0.2 | 12 [[3]] |
""")
    assert not r.placed
    texts = Counter(c.text for c in r.unplaced)
    assert texts["7/10 [70] {x}"] == 3 and texts["8/10 [80] {x}"] == 3 and texts["0.5 ± 0.1 ± 0.2"] == 3
    assert texts["12 [[3]]"] == 2


def test_a_cell_the_copy_shifted_into_the_row_label_column_is_listed_unplaced():
    """A CI row that lost its first cells in the text copy: its first CI stands in the row-label column. Nothing
    says whose CI it is there, so it is unplaced with the reason, not dropped and not placed."""
    r = _read("""
Table 2 Diagnostic performance
| Cohort | AUC | Accuracy % | Sensitivity % |
|---|---|---|---|
| Training | 0.912 | 88.0 | 90.0 |
| (0.871, 0.953) | (83.1, 92.9) | (84.2, 95.8) | |
""")
    label = [c for c in r.unplaced if c.text == "(0.871, 0.953)"]
    assert sorted(c.position for c in label) == [0, 1] and all("row-label column" in c.reason for c in label)
    assert not any(c.text == "(0.871, 0.953)" for c in r.placed)


def test_two_numbers_after_a_decimal_part_are_not_a_thousands_separator():
    """``(100.0,100.0)``: a CI's two bounds, not ``100.0100`` and ``.0`` (a thousands separator follows a whole
    number only, ``1,234``)."""
    from eprstats.audit.readers.numbers import parse_cell

    assert [n.value for n in parse_cell("(100.0,100.0)").numbers] == [100.0, 100.0]
    assert [n.value for n in parse_cell("1,234").numbers] == [1234.0]
    assert [n.value for n in parse_cell("12,345 (3.4)").numbers] == [12345.0, 3.4]


# ------------------------------------------------------------------------------ over every stored table
@pytest.mark.parametrize("folder", ["corpus", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                                    "heldout7", "heldout8", "heldout9"])
def test_every_number_of_every_stored_table_is_placed_or_unplaced(folder):
    from tests.audit.test_importer_corpus import _printed, read

    keys = importlib.import_module(f"tests.audit.{folder}.keys").KEYS
    for name in sorted(keys):
        want = printed_numbers(_printed(AUDIT / folder / f"{name}.txt"), keys[name].get("label_cols", 1))
        got = emitted(read(name, AUDIT / folder))
        lost = want - got
        assert not lost, (name, sorted(lost)[:5])


def test_every_number_of_fuzzed_text_tables_is_placed_or_unplaced():
    """The layout fuzzer's text renderings (pipe, Markdown, tab, with merged and dropped cells and slips): every
    number printed in them comes back. (The fuzzer's own test checks each of its known values the same way.)"""
    from tests.audit.test_fuzz_layouts import _KINDS, read_back, render_text, slip

    checked = 0
    for seed in range(120):
        rng = random.Random(seed)
        spec = _KINDS[rng.choice(list(_KINDS))](rng)
        slip(spec, rng)
        how = rng.choice(["pipe", "markdown", "tab"])
        merged = rng.choice(["blank", "repeat", "dropped"])
        text = render_text(spec, how, merged)
        rows = _text_rows(text if spec.caption else "\n" + text)
        want = printed_numbers(rows, spec.labels)
        lost = want - emitted(read_back(text, how))
        assert not lost, (seed, how, merged, sorted(lost)[:5])
        checked += sum(want.values())
    assert checked > 1000


_LABEL_SIZE = re.compile(r"\b[nN]\s*=\s*(\d[\d,]*)")


@pytest.mark.parametrize("folder", ["corpus", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                                    "heldout7", "heldout8", "heldout9"])
def test_every_size_printed_in_a_row_label_comes_back(folder):
    """``Internal validation set (n=396)`` in a row-label column (held-out 4's PMC9131330 lost two such n when
    first measured): each label's ``n = k`` comes back, placed as the cohort's n or listed unplaced, with its
    value. The oracle is the printed label read by a digit pattern, not the importer."""
    from tests.audit.test_importer_corpus import _printed, read

    keys = importlib.import_module(f"tests.audit.{folder}.keys").KEYS
    for name in sorted(keys):
        label_cols = keys[name].get("label_cols", 1)
        want = {(text.strip(), float(m.group(1).replace(",", ""))) for row in _printed(AUDIT / folder / f"{name}.txt")
                for text in row[:label_cols] for m in [_LABEL_SIZE.search(text)] if m}
        got = {(c.text.strip(), c.value) for r in read(name, AUDIT / folder) for c in r.placed + r.unplaced}
        assert want <= got, (name, sorted(want - got)[:5])
