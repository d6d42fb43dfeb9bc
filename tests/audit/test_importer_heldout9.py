"""`audit-import` and `audit` on a NINTH held-out set: six tables of six published prediction-model papers in none
of the corpus, the seed paper's folders and the eight earlier held-out sets (issue #22), measured once as a new
user's paper would be, on the importer as it is after held-out 8 was tuned on (main at 75a6bea, unchanged on
branch issue22v): two Table 1s (two cohorts with a P column; two outcome groups per cohort with two levels' counts
in one cell), two regression tables (logistic with a coefficient beside each OR; Cox with the P before the HR), two
performance tables (models as columns with an F1 score; four rates each as ``k/n | % | (se)``).

Oracle: ``tests/audit/heldout9/keys.py``, written by a person from each table's stored page (every number's role
and place) before the importer was run on the tables (tables committed in 7fbe4c7, keys in 72a9ac6); scored by the
corpus's ``score`` (tests/audit/test_importer_corpus.py: a plain digit pattern counts each keyed cell's numbers,
not the importer). The arithmetic of the discrepancies found by hand, and of the tables found consistent, is
repeated here with scipy and plain division, not with the audit. Not to be used for tuning.

What is asserted is what was measured (docs/audit_import.md, "Held-out 9"): every table read as one; per table,
the misplaced numbers at most and the right ones at least the measured count, so that a regression fails and a
fix passes; of the misplaced, those with another role or in another cohort, group or model at most the measured;
the numbers the importer did not return at all (PMC9071874's four starred Ps, read as level names) at most the
measured; the audit of what `audit-import` writes finds what was measured: 4 not-reproduced checks, all real (all
of PMC10993963's keyed discrepancies), 3 keyed discrepancies missed.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.audit.heldout9.keys import KEYS
from tests.audit.heldout_checks import check_findings, import_and_audit, numbered_cells, pct_fits, unkeyed_numbers
from tests.audit.test_importer_corpus import score

HELDOUT9 = Path(__file__).parent / "heldout9"

#: per table, (placeable, right, misplaced) measured on main at 75a6bea (docs/audit_import.md "Held-out 9": 434
#: placeable of the 438 keyed with a role, 179 right, 88 misplaced, 167 unplaced, 4 not returned); the first
#: measurement, no rule made for this set
FIRST = {
    "PMC10993963_t1": (87, 77, 10),             # 10 misplaced by name only: ``Agea`` and ``Rad-scorea`` keep the
                                                # footnote mark a (mean, SD and P under their own headers)
    "PMC9280642_t1": (120, 6, 40),              # 37 by name only (``Gendera (M/F)``, ``CT valueb (HU)``: footnote
                                                # mark and level words kept; every P and 3 counts), 3 with another
                                                # role: ``36/39`` (regular/irregular) read as 36 of n = 39; 74
                                                # unplaced ("a count above its n": ``75/68``)
    "s41598-017-11863-0_t3": (80, 80, 0),       # all right
    "PMC9071874_t3": (48, 0, 3),                # 3 multivariate Ps under a level ``0.025∗`` (the univariate P
                                                # beside them read as a label); 45 unplaced (24 "another number has
                                                # the same role and place", 20 "this row ends early", 1 "the cell's
                                                # form ('0.019∗')"); 4 keyed Ps not returned at all (MISSING)
    "PMC10485708_t2": (35, 0, 35),              # all 35 under their own headers with their role, the model named
                                                # with its footnote mark (``Overalla``, ``Between 1 and 2 yearsb``)
    "PMC3375202_t3": (64, 16, 0),               # the 16 rates right; 32 k/n "the headers name two statistics
                                                # (sensitivity, n)", 16 SEs "two names could be the model ((se) /
                                                # 3-month survival)"
}
#: per table, the unplaced numbers of the first measurement (placeable - right - misplaced): 167 in all
FIRST_UNPLACED = {name: p - r - m for name, (p, r, m) in FIRST.items()}
#: misplaced numbers with another role or in another cohort, group or model (the score's test, as held-out 8's):
#: PMC10485708's 35 (the model's name with its footnote mark, each under its own header) and PMC9280642's 3 (n for
#: the second of two levels' counts)
WRONG_COLUMN = {"PMC10485708_t2": 35, "PMC9280642_t1": 3}
#: keyed numbers the importer returned neither placed nor unplaced: PMC9071874's univariate Ps printed with ``∗``
#: (``0.025∗``, ``0.044∗``, ``0.028∗``, ``0.013∗``), taken for row labels (tests/audit/test_importer_accounting.py's
#: sign list has ``*`` but not ``∗``, U+2217, so its count does not see them either)
MISSING = {"PMC9071874_t3": 4}
#: the audit's not-reproduced checks when measured, each with whether the keys call it real: all 4 real
FINDINGS = {"PMC10993963_t1": {
    "C-T1PCT-Table_1-Orientation-Testing_cohort": True, "C-T1P-Table_1-Orientation-cohorts": True,
    "C-T1P-Table_1-Margin-cohorts": True, "C-T1P-Table_1-Echotexture-cohorts": True}}
#: checks (all verdicts) and reproduced checks of each table's audit when measured
CHECKS = {"PMC10993963_t1": (23, 19), "PMC9280642_t1": (34, 0), "s41598-017-11863-0_t3": (24, 24),
          "PMC9071874_t3": (0, 0), "PMC10485708_t2": (21, 14), "PMC3375202_t3": (4, 0)}
#: keyed discrepancies the audit missed when measured, with why
MISSED = {
    "s41598-017-11863-0_t3": "the univariate rows are placed but not audited: the checks are of the multivariate "
                             "rows only (24 checks, 3 per variable), so Isthmus's univariate P <0.001 is not checked",
    "PMC9071874_t3": "nothing of the table is checked (0 checks): of its 52 keyed numbers only 3 Ps are placed (under "
                     "a wrong level), Elastography grade's multivariate HR and P are unplaced",
    "PMC3375202_t3": "the k/n cells are unplaced, so the PPV 43.3 is not held to 2329/5385",
}

# ---------------------------------------------------------------------------------------- after round 10
#: held-out 9 is tuned on from round 10 (docs/audit_import.md "Round 10"): the figures now, asserted below; the
#: first ones above stay as measured
AFTER = dict(FIRST, **{
    "PMC9071874_t3": (52, 32, 0),               # ``∗`` read as a mark: its 4 starred Ps returned and placed, the 3
                                                # multivariate Ps beside them under their variable; 20 unplaced
                                                # ("this row ends early": rows with no multivariate cells)
    "PMC9280642_t1": (120, 38, 2),              # a label naming its two levels in a bracket (``Shapea
                                                # (regular/irregular)``): ``36/39``, ``16/16``, ``14/18`` unplaced
                                                # as two levels' counts, no longer 36 of n = 39 (80 unplaced), the
                                                # variable named without the bracket (``Shape``); the letters a and
                                                # b read past (``LMa`` shows a, b on 3 names); 2 Ps misplaced by
                                                # name only: ``Number (single/multiple)`` keeps its bracket
                                                # (``Number`` alone reads as a count's word)
    "PMC10485708_t2": (35, 30, 0),              # the letters read past (``AUCc`` shows c, so a and b): 30 right;
                                                # ``Overall``'s 5 unplaced ("the union of the outcome groups")
})
MEASURED = AFTER
WRONG_COLUMN_AFTER: dict = {}
MISSING_AFTER: dict = {}
#: PMC9071874's Elastography grade multivariate HR, placed now: its CI and P checks are the keyed discrepancy
FINDINGS_AFTER = dict(FINDINGS, **{"PMC9071874_t3": {"C-HR-Table_3-Elastography_grade-CI#2": True,
                                                     "C-HR-Table_3-Elastography_grade-P#2": True}})
#: PMC10485708: Overall's column unplaced (3 checks fewer); PMC9280642: its two levels' counts unplaced, so none of
#: its 34 not-checkable checks is made
CHECKS_AFTER = dict(CHECKS, **{"PMC9071874_t3": (24, 22), "PMC10485708_t2": (18, 12), "PMC9280642_t1": (0, 0)})


def test_every_heldout9_table_is_keyed_and_measured():
    assert sorted(KEYS) == sorted(MEASURED) == sorted(CHECKS)
    assert len(KEYS) >= 6
    assert sorted(p.stem for p in HELDOUT9.glob("*.txt")) == sorted(KEYS)
    papers = {name.rsplit("_t", 1)[0] for name in KEYS}
    assert len(papers) == len(KEYS)                    # one table per paper
    # none of them is in the corpus or an earlier held-out set, by file name, PMC id, DOI or url
    for other in ("corpus", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7",
                  "heldout8"):
        stems = {p.stem.rsplit("_t", 1)[0] for p in (HELDOUT9.parent / other).glob("*.txt")}
        assert not papers & stems, (other, papers & stems)
        text = (HELDOUT9.parent / other / "keys.py").read_text(encoding="utf-8")
        assert not [p for p in papers if p in text], other
        assert not [k["doi"] for k in KEYS.values() if k.get("doi") and k["doi"] in text], other
        assert not [k["url"] for k in KEYS.values() if k["url"] in text], other
    # ... nor among the seed paper's folders
    seed = " ".join(p.read_text(encoding="utf-8", errors="ignore") for p in (HELDOUT9.parent / "papers").rglob("*")
                    if p.is_file())
    assert not [p for p in papers if p in seed] and not [k["doi"] for k in KEYS.values() if k["doi"] and k["doi"] in seed]
    # at least five journals by DOI
    assert len({k["journal"] for k in KEYS.values() if k.get("doi")}) >= 5
    # seven discrepancies keyed before the measurement, none after it
    keyed = [d for k in KEYS.values() for d in k["discrepancies"]]
    assert len(keyed) == 7 and not [d for d in keyed if d.get("after_measurement")]


@pytest.fixture(scope="module")
def scores():
    return {name: score(name, KEYS, HELDOUT9) for name in sorted(KEYS)}


def _wrong_column(misplaced) -> int:
    """Misplaced numbers with another role or in another cohort, group or model (not only another name)."""
    return sum(isinstance(m[5], tuple) and (m[4][:4] != m[5][:4]) for m in misplaced)


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_heldout9_table_read_whole_and_no_more_misplaced_than_measured(name, scores):
    placeable, right, misplaced = MEASURED[name]
    s = scores[name]
    assert s["tables"] == 1, s["tables"]
    assert len(s["missing"]) <= MISSING_AFTER.get(name, 0), s["missing"][:5]
    assert s["placeable"] + len(s["missing"]) == placeable + MISSING_AFTER.get(name, 0)
    assert s["placeable"] == s["right"] + s["unplaced"] + sum(isinstance(m[5], tuple) for m in s["misplaced"])
    assert len(s["misplaced"]) <= misplaced, s["misplaced"][:5]
    assert _wrong_column(s["misplaced"]) <= WRONG_COLUMN_AFTER.get(name, 0), s["misplaced"][:5]
    assert s["right"] >= right, f"{s['right']} of {s['placeable']} placed right, measured {right}"


def test_heldout9_first_measurement_totals(scores):
    """The set's first figures, as the doc gives them: 494 numbers, 438 keyed with a role (56 without: PMC9280642's
    continuous cells, whose form the page leaves open), 434 returned, 179 right, 88 misplaced (38 with another role
    or in another column by the score's test), 167 unplaced, 4 not returned."""
    assert sum(s["numbers"] for s in scores.values()) == 494
    assert sum(s["no_role"] for s in scores.values()) == 56
    assert sum(m[0] for m in FIRST.values()) == 434 and sum(MISSING.values()) == 4
    assert sum(s["right"] for s in scores.values()) >= sum(m[1] for m in FIRST.values()) == 179
    assert sum(len(s["misplaced"]) for s in scores.values()) <= sum(m[2] for m in FIRST.values()) == 88
    assert sum(_wrong_column(s["misplaced"]) for s in scores.values()) <= sum(WRONG_COLUMN.values()) == 38
    assert FIRST_UNPLACED == {"PMC10993963_t1": 0, "PMC9280642_t1": 74, "s41598-017-11863-0_t3": 0,
                              "PMC9071874_t3": 45, "PMC10485708_t2": 0, "PMC3375202_t3": 48}
    assert sum(FIRST_UNPLACED.values()) == 167


def test_heldout9_keys_count_the_printed_numbers():
    """Every cell that prints a number outside the label columns is keyed, so none is left out of the score."""
    assert not unkeyed_numbers(HELDOUT9, KEYS)
    assert all(numbered_cells(HELDOUT9, KEYS, n) for n in KEYS)


# ---------------------------------------------------------------------------------------- hand arithmetic
def _p_from_ci(ratio, lo, hi):
    from scipy.stats import norm

    se = (math.log(hi) - math.log(lo)) / (2 * norm.ppf(0.975))
    return 2 * norm.sf(abs(math.log(ratio)) / se)


def _p_range(lo, hi, d=3):
    """The least and greatest P the CI gives (at its log-centre) over the bounds' rounding corners."""
    h = 0.5 * 10 ** -d
    ps = [_p_from_ci(math.sqrt(a * b), a, b) for a in (lo - h, lo + h) for b in (hi - h, hi + h)]
    return min(ps), max(ps)


def _tests_2x2(a, b):
    from scipy.stats import chi2_contingency, fisher_exact

    t = [list(a), list(b)]
    return (chi2_contingency(t, correction=False)[1], chi2_contingency(t, correction=True)[1], fisher_exact(t)[1])


def test_the_hand_recomputed_table1_discrepancies_of_heldout9_hold():
    """PMC10993963: 9 (17.8%) of 107 and three Ps that no usual test reproduces (scipy, not the audit)."""
    assert not pct_fits(9, 107, "17.8") and pct_fits(19, 107, "17.8") and 88 + 9 == 97
    assert pct_fits(88, 107, "82.2") and pct_fits(205, 253, "81.0") and pct_fits(5, 107, "4.7")
    for a, b, printed in (((213, 40), (88, 9), 0.061), ((213, 40), (88, 19), 0.061), ((126, 127), (64, 43), 0.642),
                          ((198, 55), (91, 16), 0.234)):
        assert all(abs(p - printed) > 0.01 for p in _tests_2x2(a, b)), (a, b, _tests_2x2(a, b))
    # ... where the others are reproduced: Tumor size 0.630 and Shape 0.762 by Pearson
    assert round(_tests_2x2((205, 48), (89, 18))[0], 3) == 0.630 and round(_tests_2x2((128, 125), (56, 51))[0], 3) == 0.762
    # PMC9280642: Number 0.669 and LM 0.021 are Yates's; Gender 0.950 Pearson's
    assert round(_tests_2x2((136, 7), (73, 2))[1], 3) == 0.669 and round(_tests_2x2((62, 0), (28, 4))[1], 3) == 0.021
    assert round(_tests_2x2((75, 68), (39, 36))[0], 3) == 0.950


def test_the_hand_recomputed_ratio_discrepancies_of_heldout9_hold():
    """s41598-017-11863-0 and PMC9071874: each P against its CI on the log scale (Altman & Bland, BMJ 2011)."""
    lo, hi = _p_range(1.201, 4.157)                                     # Isthmus univariate, printed P <0.001
    assert 0.011 < lo < hi < 0.0115
    assert round(math.log(2.234), 3) == 0.804 and round(math.log(108.971), 3) == 4.691      # beta = ln OR
    # Elastography grade multivariate 2.581 (1.771-5.692), printed P 0.019
    assert round(math.sqrt(1.771 * 5.692), 3) == 3.175
    assert _p_from_ci(2.581, 1.771, 5.692) < 0.002 and _p_from_ci(math.sqrt(1.771 * 5.692), 1.771, 5.692) < 0.001
    # ... its univariate 2.515 (1.218-5.191) P 0.013 is the CI's
    assert abs(_p_from_ci(math.sqrt(1.218 * 5.191), 1.218, 5.191) - 0.013) < 0.001


def test_the_hand_recomputed_rates_of_heldout9_hold():
    """PMC3375202: each row's four k/n are one 2x2 table of 5623; 2329/5385 = 43.2498% is printed 43.3."""
    rows = (((2974, 2984), (68, 2639), (2974, 5545), (68, 78)), ((2329, 2360), (207, 3263), (2329, 5385), (207, 238)),
            ((1762, 1823), (543, 3800), (1762, 5019), (543, 604)), ((1235, 1329), (1099, 4294), (1235, 4430), (1099, 1193)))
    for (tp, pos), (tn, neg), (tp2, called_pos), (tn2, called_neg) in rows:
        assert tp == tp2 and tn == tn2 and pos + neg == 5623
        assert called_pos == tp + (neg - tn) and called_neg == tn + (pos - tp)
    assert round(100 * 2329 / 5385, 4) == 43.2498 and not pct_fits(2329, 5385, "43.3")
    assert pct_fits(2974, 2984, "99.7") and pct_fits(68, 78, "87.2") and pct_fits(1099, 1193, "92.1")
    assert round(100 * math.sqrt(0.99665 * 0.00335 / 2984), 1) == 0.1 and round(100 * math.sqrt(68 / 78 * 10 / 78 / 78), 1) == 3.8
    # PMC10485708: every accuracy between its sensitivity and specificity (no n printed)
    for acc, se, sp in ((0.756, 0.749, 0.761), (0.774, 0.753, 0.815), (0.818, 0.787, 0.839), (0.765, 0.722, 0.793),
                        (0.767, 0.721, 0.797), (0.783, 0.792, 0.777), (0.793, 0.782, 0.801)):
        assert min(se, sp) <= acc <= max(se, sp)


# ---------------------------------------------------------------------------------------- end to end
@pytest.mark.parametrize("name", ["PMC10993963_t1", "s41598-017-11863-0_t3", "PMC9071874_t3"])
def test_three_heldout9_tables_audit_as_measured(name, tmp_path):
    """In-process (fast): no finding beyond the measured (PMC10993963's 4, all real), at least the measured
    reproduced checks; the keyed discrepancies the audit missed when measured (MISSED) are not asserted found."""
    from eprstats.audit import audit, import_paper

    import_paper(HELDOUT9 / f"{name}.txt", out=tmp_path / "draft")
    table = audit(tmp_path / "draft").table
    if CHECKS_AFTER[name][0]:
        check_findings(table, FINDINGS_AFTER.get(name, {}), CHECKS_AFTER[name][1])
    else:
        assert not len(table) or not (table["verdict"] == "not reproduced").any()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MEASURED))
def test_each_heldout9_table_imports_and_audits_with_exit_0(name, tmp_path, run_cli, request):
    """audit-import then audit, as a new user runs them: both exit 0; no finding beyond the measured ones."""
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("every held-out 9 table end to end: run with -m slow (three run in-process by default)")
    table = import_and_audit(run_cli, HELDOUT9 / f"{name}.txt", tmp_path)
    if CHECKS_AFTER[name][0]:
        check_findings(table, FINDINGS_AFTER.get(name, {}), CHECKS_AFTER[name][1])
