"""`audit-import` on tables of published prediction-model / radiomics papers, against hand-made answer keys.

Oracle: ``tests/audit/corpus/keys.py``, written by a person from each table's article page (every number's
role and place); the tables are the pages' text as the stored pages give them (numbers and headers only).
The numbers of each keyed cell are counted by a plain digit pattern here, not by the importer.

Measured (docs/audit_import.md): the share of the keyed numbers with a role in the audit's vocabulary that
the importer places with the right role and place; misplaced numbers (placed with another role or place)
must be 0; every number of every table is in cells or unplaced.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from eprstats.audit.importer_cells import from_grid
from eprstats.audit.importer_tables import find_grids
from eprstats.audit.readers import name_tables, read_table
from tests.audit.corpus.keys import KEYS

CORPUS = Path(__file__).parent / "corpus"
PLACE = ("cohort", "group", "model", "variable", "level")
_NUMBER = re.compile(r"\d+(?:\.\s?\d+)?(?:,\d{3}(?!\d))*|\.\d+")


def _norm(x) -> str:
    return re.sub(r"\s+", " ", str(x or "").strip().casefold())


def _printed(path: Path) -> list:
    """The table's rows as printed: cells split at ``|``, without the caption and the ``---`` rule."""
    rows, border = [], None
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if re.fullmatch(r"\s*\|?\s*:?-{3,}.*", line) or not line.strip():
            continue
        s = line.strip()
        # a left border is the table's (its first row's): without one, a row's leading pipe follows an empty
        # first cell (a merged cell's continuation, `` |  | Internal test``), which is a cell of its own
        border = s.startswith("|") if border is None else border
        s = s[1:] if s.startswith("|") and border else s
        s = s[:-1] if s.endswith("|") else s
        rows.append([c.strip() for c in s.split("|")])
    return rows


def read(name: str, folder: Path = CORPUS):
    lines = (folder / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    grids, _ = find_grids(lines)
    return [read_table(t) for t in name_tables([from_grid(g, name, lines) for g in grids])]


def score(name: str, keys: dict = KEYS, folder: Path = CORPUS) -> dict:
    """Right / misplaced / unplaced counts of one table against its key (the corpus's, or another folder's with
    its own keys: tests/audit/test_importer_heldout.py)."""
    key = {rc: (roles, place) for rc, roles, place in keys[name]["cells"]}
    printed = _printed(folder / f"{name}.txt")
    reads = read(name, folder)
    out = {"tables": len(reads), "right": 0, "misplaced": [], "unplaced": 0, "placeable": 0, "no_role": 0,
           "numbers": 0, "missing": []}
    got = {}
    for r in reads:
        for c in r.placed + r.unplaced:
            m = re.search(r" r(\d+)c(\d+)", c.source)
            got[(int(m.group(1)), int(m.group(2)), c.position)] = c
    for (row, col), (roles, place) in key.items():
        text = printed[row - 1][col - 1] if row <= len(printed) and col <= len(printed[row - 1]) else ""
        k = len(_NUMBER.findall(text))
        if k == 0:
            continue
        assert k == len(roles), f"{name} r{row}c{col} {text!r}: the key names {len(roles)} numbers, the cell has {k}"
        for pos, role in enumerate(roles):
            out["numbers"] += 1
            c = got.pop((row, col, pos), None)
            if c is None:
                out["missing"].append((row, col, pos, text))
                continue
            if role == "-":
                out["no_role"] += 1
                if c.placed:
                    out["misplaced"].append((name, row, col, text, c.role, "a number with no role was placed"))
                continue
            out["placeable"] += 1
            if not c.placed:
                out["unplaced"] += 1
                continue
            want = tuple(_norm(place.get(p)) for p in PLACE)
            have = tuple(_norm(getattr(c, p)) for p in PLACE)
            if c.role != role or want != have:
                out["misplaced"].append((name, row, col, text, (c.role,) + have, (role,) + want))
            else:
                out["right"] += 1
    for (row, col, pos), c in got.items():           # numbers the key does not name (labels): never placed
        if c.placed:
            out["misplaced"].append((name, row, col, c.text, c.role, "placed, but the key has no number here"))
    return out


#: tables whose numbers the importer places with another role or place than the key's (bugs reported in issue
#: #22, see each key's comment); every other table must have none
XFAIL = sorted(n for n, k in KEYS.items() if k.get("xfail_misplaced"))


def _xfail(names, strict=True):
    return [pytest.param(n, marks=pytest.mark.xfail(reason="the importer misplaces numbers of this table (its key "
                                                    "says so)", strict=strict)) if n in XFAIL else n for n in names]


def test_corpus_numbers_placed_right_or_left_unplaced_never_misplaced():
    scores = {name: score(name) for name in KEYS}
    misplaced = {n: s["misplaced"] for n, s in scores.items() if s["misplaced"]}
    # a table not known to be misplaced must have no misplaced number; a known one that is fixed must drop its mark
    assert sorted(misplaced) == XFAIL, {n: m[:3] for n, m in misplaced.items() if n not in XFAIL}
    assert all(s["tables"] == 1 and not s["missing"] for s in scores.values()), \
        {n: (s["tables"], s["missing"][:3]) for n, s in scores.items() if s["tables"] != 1 or s["missing"]}
    right = sum(s["right"] for s in scores.values())
    placeable = sum(s["placeable"] for s in scores.values())
    assert len(scores) >= 28 and placeable == PLACEABLE
    assert right / placeable >= MEASURED, f"{right} of {placeable} placed right"
    clean = [s for n, s in scores.items() if n not in XFAIL]
    right_c, placeable_c = sum(s["right"] for s in clean), sum(s["placeable"] for s in clean)
    assert right_c / placeable_c >= MEASURED_CLEAN, f"{right_c} of {placeable_c} placed right"
    # the six tables that misplaced 268 numbers before (the keys of s40644..., s41598-023..., s41379...,
    # wjg..., s41467..., PMC10493896): now 295 of their 554 placed right, none misplaced
    six = ("s40644-020-00308-z_t2", "s41598-023-46208-7_t4", "s41379-020-00674-w_t2", "wjg-v30-i12-1727_t1",
           "s41467-024-55594-z_t2", "PMC10493896_t2")
    assert sum(scores[n]["right"] for n in six) >= 295 and not any(scores[n]["misplaced"] for n in six)
    assert sum(len(m) for m in misplaced.values()) <= MISPLACED, "more misplaced numbers than measured"


#: the figures measured on the corpus (docs/audit_import.md), lower bounds so that a regression fails
PLACEABLE = 1732                           # numbers of the 28 tables with a role in the audit's vocabulary
MEASURED = 1652 / 1732                     # measured: 1652 placed right (95.4%), 0 misplaced (268 misplaced and
MEASURED_CLEAN = 1652 / 1732               # 1016 right before the fixes of issue #22's six misplacing tables;
#                                            1315 before PMC10493896's header was moved over its numbers and
#                                            the iScience table's header printed again mid-table was read;
#                                            1535 before s41379's cut-off header was read as a condition;
#                                            1583 before a total's n told PMC8800621's cohorts apart;
#                                            1613 before s41467's rows ending in printed empty cells were placed;
#                                            1625 before "12 [9], [12]" was read as one interval;
#                                            1634 before rows ending early took a sibling's arrangement)
MISPLACED = 0


@pytest.mark.parametrize("name", _xfail(sorted(KEYS)))
def test_each_corpus_table_is_read_whole(name):
    s = score(name)
    assert s["tables"] == 1 and not s["missing"] and not s["misplaced"], s


#: the tables audited end to end by default, one or two of each kind (characteristics, performance with and
#: without CIs, regression, C-index); every table with -m slow (the CLI round trip costs about a second each)
REPRESENTATIVE = ("PMC8045706_t1", "PMC9185614_t4", "PMC8984890_t3", "s41598-025-25739-1_t16", "PMC9260668_t3",
                  "PMC10690639_t2")


@pytest.mark.parametrize("name", [n if n in REPRESENTATIVE else pytest.param(n, marks=pytest.mark.slow)
                                  for n in sorted(KEYS)])
def test_each_corpus_table_imports_and_audits_with_exit_0(name, tmp_path, run_cli, request):
    """What audit-import writes always audits: a value the audit's reader refuses (``RE`` as an AUC, a
    sensitivity printed with its CI, a blank CI bound) never goes into a seed-schema file (issue #22)."""
    if name not in REPRESENTATIVE and "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("every corpus table end to end: run with -m slow (a representative part runs by default)")
    code, out, err = run_cli("audit-import", CORPUS / f"{name}.txt", "--out", tmp_path / "draft")
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    u = int(re.search(r"; (\d+) unplaced", last).group(1))
    # the line names unplaced.csv exactly when it lists table numbers (and then the file is there)
    assert last.endswith("(see unplaced.csv)") == (u > 0)
    assert u == 0 or (tmp_path / "draft" / "unplaced.csv").exists()
    code, out, err = run_cli("audit", tmp_path / "draft", "--out", tmp_path / "audit")
    assert code == 0, err


def test_corpus_has_25_papers_from_8_confirmed_journals():
    """Issue #22: at least 15 published papers from at least 8 journals (the brief asks 25 papers). A journal
    counts only where the key says a stored page named it (``confirmed``), with its year or DOI."""
    papers = {name.rsplit("_t", 1)[0] for name in KEYS}
    confirmed = {k["journal"] for k in KEYS.values() if k.get("confirmed")}
    assert len(papers) == len(KEYS) >= 25
    assert len(confirmed) >= 8, sorted(confirmed)
    assert all((k.get("doi") or k.get("year")) and not k["journal"].startswith("PMC")
               for k in KEYS.values() if k.get("confirmed"))
    kinds = {"characteristics": ("PMC8045706_t1", "wjg-v30-i12-1727_t1", "PMC10493896_t2"),
             "regression": ("PMC9260668_t3", "s41467-024-55594-z_t2"), "c_index": ("PMC10690639_t2",
                                                                             "PMC10291473_t4")}
    assert all(n in KEYS for names in kinds.values() for n in names)


def _no_2x2(n, sens, spec, acc, ppv, npv) -> bool:
    """An independent search (not the audit's): True when no TP, TN, events of n patients give the five rates
    (percent, one decimal, rounded half up) together."""
    import math

    def ok(x, p):
        return abs(x * 100 - p) <= 0.05 + 1e-9
    for e in range(1, n):
        ne = n - e
        for tp in range(max(0, math.floor((sens - 0.05) / 100 * e)), min(e, math.ceil((sens + 0.05) / 100 * e)) + 1):
            if not ok(tp / e, sens):
                continue
            for tn in range(max(0, math.floor((spec - 0.05) / 100 * ne)), min(ne, math.ceil((spec + 0.05) / 100 * ne)) + 1):
                fp, fn = ne - tn, e - tp
                if ok(tn / ne, spec) and tp + fp and tn + fn and ok((tp + tn) / n, acc) and \
                        ok(tp / (tp + fp), ppv) and ok(tn / (tn + fn), npv):
                    return False
    return True


def test_the_hand_recomputed_2x2_discrepancies_hold():
    """The key's recomputation of s41598-025-25739-1 Table 16 by a search written here (under 2 s)."""
    assert _no_2x2(3750, 96.8, 97.7, 97.3, 96.2, 98.1)
    assert _no_2x2(12400, 87.2, 91.1, 89.4, 84.7, 92.8)
    assert _no_2x2(18600, 89.8, 93.2, 91.7, 88.4, 94.1)


def _fits(rates, pos, neg, decimals=3, truncated=False):
    """The (TP, TN) of ``pos`` positives and ``neg`` negatives that give the printed sensitivity, specificity,
    PPV, NPV (and accuracy where given) at their precision, rounded half up or truncated: an enumeration
    written here, not the audit's search."""
    step = 10 ** -decimals

    def ok(x, printed):
        return printed - 1e-12 <= x < printed + step if truncated else abs(x - printed) <= step / 2 + 1e-12
    def near(rate, total):                    # the counts whose share of total can print as rate
        return range(max(0, math.floor((rate - step) * total)), min(total, math.ceil((rate + step) * total)) + 1)
    sens, spec, ppv, npv, *acc = rates
    return [(tp, tn) for tp in near(sens, pos) if ok(tp / pos, sens) for tn in near(spec, neg)
            if ok(tn / neg, spec) and tp + neg - tn and tn + pos - tp and ok(tp / (tp + neg - tn), ppv)
            and ok(tn / (tn + pos - tp), npv) and all(ok((tp + tn) / (pos + neg), a) for a in acc)]


def test_the_hand_recomputed_npv_of_s41598_023_46208_7_holds():
    """Table 4: the five other models fit one external set only with as many positives as negatives; with
    those, Xception's NPV is 0.5455 (printed 0.546); no set of up to 150 of each fits all six."""
    others = [(.820, .940, .932, .839), (.340, .820, .654, .554), (.500, .720, .641, .590),
              (.420, .700, .583, .547), (.280, .780, .560, .520)]
    xception = (.200, .960, .833, .546)
    sets = [(p, n) for p in range(1, 151) for n in range(1, 151) if all(_fits(r, p, n) for r in others)]
    assert sets and all(p == n for p, n in sets)
    assert not any(_fits(xception, p, n) for p, n in sets)
    assert round(48 / 88, 4) == 0.5455


def test_the_hand_recomputed_truncations_of_PMC10349720_hold():
    """Table 4: n from the exact (Clopper-Pearson) CI printed with the accuracy, then every row fits one 2x2
    table when the rates are truncated and none when they are rounded."""
    from scipy.stats import beta
    lo, hi = beta.ppf(0.025, 55, 79 - 55 + 1), beta.ppf(0.975, 56, 79 - 55)
    assert (math.floor(lo * 1000), math.floor(hi * 1000)) == (582, 794)           # printed 0.582-0.794
    lo, hi = beta.ppf(0.025, 21, 33 - 21 + 1), beta.ppf(0.975, 22, 33 - 21)
    assert (math.floor(lo * 1000), math.floor(hi * 1000)) == (451, 795)           # printed 0.451-0.795
    rows = {79: [(.730, .629, .791, .548, .696), (.942, .370, .742, .769, .746), (.826, .777, .877, .700, .810)],
            33: [(.590, .727, .812, .470, .636), (.727, .454, .727, .454, .636), (.727, .636, .800, .538, .696)]}
    for n, printed in rows.items():
        for r in printed:
            assert not any(_fits(r, p, n - p) for p in range(1, n)), (n, r)
            assert [(p, t) for p in range(1, n) for t in _fits(r, p, n - p, truncated=True)] != [], (n, r)


def test_the_hand_recomputed_discrepancies_of_the_characteristics_tables_hold():
    """PMC10493896 Table 2 and World J Gastroenterol 2024;30:1727 Table 1: P values by scipy (Pearson, Yates,
    Fisher), percentages by division; the numbers the keys quote."""
    from scipy.stats import chi2_contingency, fisher_exact

    def ps(table):
        out = [chi2_contingency(table, correction=False)[1]]
        if len(table[0]) == 2:
            out += [chi2_contingency(table, correction=True)[1], fisher_exact(table)[1]]
        return [round(p, 3) for p in out]
    assert ps([[35, 37], [17, 19]]) == [0.892, 1.0, 1.0]                  # PMC10493896: Sex, printed 0.946
    # PMC10493896 N-stage, printed 0.973: Pearson 0.97248 (0.972); the G test's 0.9734 is the only 0.973; the
    # table's other categorical P values are Pearson's (T-stage 0.738, infiltration 0.822, grade 0.509)
    assert ps([[44, 6, 12, 10], [21, 4, 6, 5]]) == [0.972]
    assert round(chi2_contingency([[44, 6, 12, 10], [21, 4, 6, 5]], correction=False,
                                  lambda_="log-likelihood")[1], 3) == 0.973
    assert [ps(t)[0] for t in ([[10, 22, 40], [7, 11, 18]], [[20, 32, 20], [11, 17, 8]],
                               [[4, 36, 32], [1, 22, 13]])] == [0.738, 0.822, 0.509]
    assert not 11 <= 25.0 <= 12.5                                          # MRI-based DOI: pooled median
    assert (round(37 / 94 * 100, 1), round(75 / 189 * 100, 1), round(45 / 94 * 100, 1)) == (39.4, 39.7, 47.9)
    assert not any(round(k / 94 * 100, 1) == 39.6 for k in range(95))
    assert round(48 / 94 * 100, 1) == 51.1 and 112 + 48 == 160 != 112 + 45
    assert ps([[112, 77], [48, 46]])[0] == 0.19 and ps([[112, 77], [45, 49]])[0] == 0.069
    assert ps([[33, 81, 75], [23, 47, 24]]) == [0.053]                    # Tumor differentiation, printed 0.530
    assert ps([[127, 62], [46, 48]]) == [0.003, 0.005, 0.004]             # HBV-DNA, printed 0.130
    assert ps([[104, 85], [40, 54]]) == [0.048, 0.064, 0.058]             # Recurrence, printed 0.221
    # the P values of the same table that do hold, so that the recomputation is the one the paper used
    assert ps([[163, 26], [78, 16]])[0] == 0.467 and ps([[40, 43, 106], [32, 19, 43]]) == [0.062]


REVIEWED = sorted(n for n, k in KEYS.items() if k.get("reviewed"))
#: tables whose key records a finding of the audit as false (an audit rule's, not the table's: the key says why);
#: strict, so that the mark goes when the rule is fixed
FALSE_FINDINGS = sorted(n for n, k in KEYS.items() if k.get("false_findings"))


def _reviewed(n):
    if n in XFAIL:
        return pytest.param(n, marks=[pytest.mark.slow, pytest.mark.xfail(
            reason="the importer misplaces numbers of this table: its audit may miss or invent findings",
            strict=False)])
    if n in FALSE_FINDINGS:
        return pytest.param(n, marks=pytest.mark.xfail(reason=f"the key calls the audit's "
                            f"{KEYS[n]['false_findings']} false (an audit rule's: see the key)", strict=True))
    return n


def test_the_hand_recomputed_false_auc_ci_width_finding_of_s41379_holds():
    """s41379-020-00674-w Table 2, internal test set: scores with these counts whose DeLong SE and percentile
    bootstrap CI give the printed 0.993 (0.975-1.00) (DeLong's variance and the bootstrap written here)."""
    import numpy as np
    pos, neg = np.array([10.0] * 18 + [0.5]), np.array([1.0] * 27 + [0.0] * 178)

    def auc(p, n):
        return float((p[:, None] > n[None, :]).mean() + 0.5 * (p[:, None] == n[None, :]).mean())
    a = auc(pos, neg)
    assert round(a, 3) == 0.993
    v10, v01 = np.array([(x > neg).mean() for x in pos]), np.array([(pos > y).mean() for y in neg])
    se = math.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))
    assert 0.0069 < se < 0.0071 and 0.975 <= a - 1.96 * se
    rng = np.random.default_rng(1)
    boot = [auc(rng.choice(pos, len(pos)), rng.choice(neg, len(neg))) for _ in range(2000)]
    lo, hi = np.percentile(boot, [2.5, 97.5])
    assert abs(lo - 0.975) < 0.004 and hi == 1.0


@pytest.mark.parametrize("name", [_reviewed(n) for n in REVIEWED])
def test_audit_finds_every_key_discrepancy_and_no_false_finding(name, tmp_path, request):
    """The audit of each reviewed table finds every discrepancy its key records (with an audit check kind) and
    no finding the key lacks. Tables whose numbers the importer misplaces (a key marked ``xfail_misplaced``;
    none now) run with -m slow only, as xfail: their audit may miss or invent findings (the World J
    Gastroenterol table's Total column, read as an outcome group, gave two false P findings and hid one
    percentage, and its 3-column tests spent a minute in Fisher's test)."""
    if name in XFAIL and "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("a table the importer misplaces: run with -m slow")
    from eprstats.audit import audit, import_paper

    import_paper(CORPUS / f"{name}.txt", out=tmp_path / "draft")
    t = audit(tmp_path / "draft").table
    found = t[t["verdict"] == "not reproduced"]
    keyed = [d for d in KEYS[name]["discrepancies"] if d["kind"]]

    def match(d, row):
        return row["kind"] == d["kind"] and all(_norm(w) in _norm(row["where"]) for w in d["at"])
    for d in keyed:
        assert any(match(d, r) for _, r in found.iterrows()), (name, d["why"])
    for _, r in found.iterrows():
        assert any(match(d, r) for d in keyed), (name, r["check_id"], r["evidence"])
