"""The rates of a 2x2 table beyond sensitivity ... NPV (FNR, FPR, FDR, FOR, F1, Youden's J, LR+, LR-) and the
lopsided AUC CI among a few symmetric ones.

Oracles: Wikipedia's worked diagnostic-testing example (faecal occult blood screening: TP 20, FN 10, FP 180,
TN 1820 and every rate it prints), Altman & Bland's liver-scan table (BMJ 1994;308:1552 and 309:102), the
published corpus tables (tests/audit/corpus) with each rate recomputed by hand in the comments, pROC's
bootstrap CIs (R called directly), and an enumeration of every 2x2 table written here.
"""
from __future__ import annotations

import itertools
import random

from eprstats.audit.cell_checks import run_cell_checks
from eprstats.audit.cells import Cell
from eprstats.audit.estimate_checks import LOPSIDED, auc_rows, lopsidedness
from eprstats.audit.performance_checks import inferred_events, proportion_interval, two_by_two_tables
from eprstats.audit.readers.words import segment_roles
from eprstats.audit.schema import parse_number as P
from eprstats.audit.verdicts import NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED


def row(table, model, printed: dict, cohort="", n=None):
    """One model's row of a performance table: {header: text as printed}, each header naming its role."""
    out = [Cell(table, (), (f"{cohort} (n={n})",), f"n={n}", 0, float(n), 0, "n", cohort=cohort)] if n else []
    for header, text in printed.items():
        role = segment_roles(header)[0]
        value = text.rstrip("%")
        decimals = len(value.split(".")[1]) if "." in value else 0
        out.append(Cell(table, (model,), (header,), text, 0, float(value), decimals, role, cohort=cohort,
                        model=model))
    return out


def verdicts(cells, kind):
    return {r.check_id: r.verdict for r in run_cell_checks(cells) if r.kind == kind}


# Wikipedia, "Template:Diagnostic testing example" (faecal occult blood screening of 2030 people): every rate
# as that page prints it from TP 20, FN 10, FP 180, TN 1820
FOB = {"Sensitivity": "66.7%", "Specificity": "91%", "PPV": "10%", "NPV": "99.45%", "Accuracy": "90.64%",
       "F1 score": "0.174", "False negative rate": "33.3%", "False positive rate": "9.0%",
       "False discovery rate": "90.0%", "False omission rate": "0.55%", "LR+": "7.41", "LR−": "0.366"}


def test_header_words_of_the_new_rates():
    assert [segment_roles(h) for h in ("False negative rate (%)", "Miss rate", "FPR", "Fall-out", "FDR",
                                       "False omission rate", "F-measure", "Youden index J", "LR+ (95% CI)",
                                       "Negative likelihood ratio")] == \
        [["fnr"], ["fnr"], ["fpr"], ["fpr"], ["fdr"], ["for"], ["f1"], ["youden"], ["lr_pos"], ["lr_neg"]]
    # an FDR-adjusted P is a P; NLR and PLR are the neutrophil- and platelet-to-lymphocyte ratios of a Table 1
    assert [segment_roles(h) for h in ("P (FDR)", "FDR-adjusted P", "NLR", "PLR", "Cost for patients")] == \
        [["p"], ["p"], [], [], []]


def test_every_rate_of_the_published_worked_example_is_reproduced():
    cells = row("T", "FOB", FOB, cohort="screened", n=2030)
    ident = verdicts(cells, "rate_identity")
    assert set(ident) == {f"C-IDENT-{r}-T-FOB-screened" for r in ("F1", "FNR", "FPR", "FDR", "FOR", "LR_POS", "LR_NEG")}
    assert set(ident.values()) == {REPRODUCED}
    checks = {r.check_id: r for r in run_cell_checks(cells)}
    two = checks["C-2X2-T-FOB-screened"]
    assert two.verdict == REPRODUCED and "TP=20 FN=10 FP=180 TN=1820" in two.evidence


def test_a_wrong_complement_f1_or_likelihood_ratio_is_a_finding():
    for header, wrong in (("False negative rate", "30.0%"), ("False omission rate", "5.5%"), ("F1 score", "0.190"),
                          ("LR+", "4.71"), ("LR−", "0.30")):
        cells = row("T", "FOB", {**FOB, header: wrong}, cohort="screened", n=2030)
        ident = verdicts(cells, "rate_identity")
        role = segment_roles(header)[0].upper()
        assert ident[f"C-IDENT-{role}-T-FOB-screened"] == NOT_REPRODUCED, header
        assert sum(v == NOT_REPRODUCED for v in ident.values()) == 1
        assert verdicts(cells, "two_by_two")["C-2X2-T-FOB-screened"] == NOT_REPRODUCED


def test_complements_alone_pin_the_2x2_table():
    # the liver scan: FN 27 / 258 = 0.105, FP 32 / 86 = 0.372, FP 32 / 263 = 0.122, FN 27 / 81 = 0.333
    rates = {r: proportion_interval(v, 3, False) for r, v in
             (("fnr", 0.105), ("fpr", 0.372), ("fdr", 0.122), ("for", 0.333))}
    tables = two_by_two_tables(344, rates)
    assert any((t.tp, t.fn, t.fp, t.tn) == (231, 27, 32, 54) for t in tables)
    assert inferred_events(tables) == 258
    # 1 - FNR is a sensitivity: an FNR of 0.105 beside a sensitivity of 0.850 leaves no table
    assert two_by_two_tables(344, {**rates, "sensitivity": proportion_interval(0.850, 3, False)}) == []


def _every_table(n, rates, fns):
    """Every (TP, FN, FP, TN) of n patients whose rates lie in ``rates``: plain enumeration."""
    out = set()
    for e in range(n + 1):
        for tp, tn in itertools.product(range(e + 1), range(n - e + 1)):
            t = (tp, e - tp, n - e - tn, tn)
            if all((x := fns[r](*t)) is not None and lo <= x <= hi for r, (lo, hi) in rates.items()):
                out.add(t)
    return out


def test_the_search_with_every_rate_finds_what_enumeration_finds():
    def q(a, b):
        return a / b if b else None
    # the definitions, written here independently of the registry
    fns = {"sensitivity": lambda tp, fn, fp, tn: q(tp, tp + fn), "specificity": lambda tp, fn, fp, tn: q(tn, tn + fp),
           "ppv": lambda tp, fn, fp, tn: q(tp, tp + fp), "npv": lambda tp, fn, fp, tn: q(tn, tn + fn),
           "fnr": lambda tp, fn, fp, tn: q(fn, tp + fn), "fpr": lambda tp, fn, fp, tn: q(fp, fp + tn),
           "fdr": lambda tp, fn, fp, tn: q(fp, tp + fp), "for": lambda tp, fn, fp, tn: q(fn, fn + tn),
           "f1": lambda tp, fn, fp, tn: q(2 * tp, 2 * tp + fp + fn),
           "youden": lambda tp, fn, fp, tn: None if not (tp + fn and tn + fp) else tp / (tp + fn) + tn / (tn + fp) - 1,
           "lr_pos": lambda tp, fn, fp, tn: None if not (tp + fn and fp) else tp / (tp + fn) / (fp / (fp + tn)),
           "lr_neg": lambda tp, fn, fp, tn: None if not (tp + fn and tn) else fn / (tp + fn) / (tn / (fp + tn))}
    rng = random.Random(3)
    for _ in range(60):
        n = rng.randint(5, 30)
        e = rng.randint(1, n - 1)
        tp, tn = rng.randint(0, e), rng.randint(0, n - e)
        true = (tp, e - tp, n - e - tn, tn)
        d = rng.choice([1, 2])
        rates = {r: (round(v, d) - 0.5 * 10 ** -d - 1e-9, round(v, d) + 0.5 * 10 ** -d + 1e-9)
                 for r in rng.sample(sorted(fns), rng.randint(1, 3)) if (v := fns[r](*true)) is not None}
        if rates:
            got = {(t.tp, t.fn, t.fp, t.tn) for t in two_by_two_tables(n, rates)}
            assert got == _every_table(n, rates, fns), (n, true, rates)


def test_published_f1_fnr_fdr_fpr_rows_hold_over_their_rounding():
    # PMC11446906 Table 3 (Front Cell Infect Microbiol), radiomics model, training cohort: F1 0.842 with PPV
    # 0.802 and SEN 0.885 is 2 x 0.802 x 0.885 / 1.687 = 0.8415 (printed at 3 decimals 0.841), but
    # 2 x 0.8025 x 0.8855 / 1.688 = 0.8420: reproduced over the rounding; FNR 0.115 = 1 - 0.885, FDR 0.198 =
    # 1 - 0.802, FPR 0.284 = 1 - 0.716
    cells = row("Table 3", "Radiomics Model", {"SEN": "0.885", "SPE": "0.716", "ACC": "0.812", "F1": "0.842",
                                               "PPV": "0.802", "NPV": "0.828", "FNR": "0.115", "FDR": "0.198",
                                               "FPR": "0.284"}, cohort="Train Cohort")
    ident = verdicts(cells, "rate_identity")
    assert len(ident) == 4 and set(ident.values()) == {REPRODUCED}


def test_the_corpus_discrepancies_found_by_hand():
    # PMC7904034 Table 2: F1 0.77 from PPV 0.71 and sensitivity 0.88 is at least 2 x 0.705 x 0.875 / 1.58 = 0.781
    cells = row("Table 2", "", {"Sensitivity": "0.88", "PPV": "0.71", "F1 score": "0.77"}, cohort="Internal")
    assert verdicts(cells, "rate_identity") == {"C-IDENT-F1-Table_2-Internal": NOT_REPRODUCED}
    # PMC8172890 Table 2 (Sci Rep 2021): one sensitivity printed three ways; FNR 1.55% is neither 100 - 97.52
    # nor 100 - 99.12 (it would need a sensitivity of 98.45%); J 0.6585 is not 0.9752 + 0.6585 - 1 = 0.6337
    radiomics = {"Sensitivity (%)": "97.52", "Specificity (%)": "65.85", "True positive rate (%)": "99.12",
                 "False negative rate (%)": "1.55", "Youden Index J": "0.6585", "Recall": "0.98"}
    ident = verdicts(row("Table 2", "Radiomics", radiomics), "rate_identity")
    assert ident == {"C-IDENT-FNR-Table_2-Radiomics": NOT_REPRODUCED, "C-IDENT-YOUDEN-Table_2-Radiomics": NOT_REPRODUCED}
    # the clinical model's recall 0.73 is a wrong printing of 73.91% (rate_printed_twice's finding); its FNR
    # 26.09 = 100 - 73.91 and J 0.5928 = 0.7391 + 0.8537 - 1 hold; the combined model's J 0.6607 holds only
    # over the rounding (0.7826 + 0.8780 - 1 = 0.6606; 0.78265 + 0.87805 - 1 = 0.6607)
    clinical = {"Sensitivity (%)": "73.91", "Specificity (%)": "85.37", "True positive rate (%)": "73.91",
                "False negative rate (%)": "26.09", "Youden Index J": "0.5928", "Recall": "0.73"}
    combined = {"Sensitivity (%)": "78.26", "Specificity (%)": "87.80", "Youden Index J": "0.6607"}
    cells = row("Table 2", "Clinical", clinical) + row("Table 2", "Combined", combined)
    assert set(verdicts(cells, "rate_identity").values()) == {REPRODUCED}
    assert verdicts(cells, "rate_printed_twice") == {"C-SAME-SENSITIVITY-Table_2-Clinical": NOT_REPRODUCED}


def test_an_averaged_f1_is_not_held_to_the_harmonic_mean_of_averaged_rates():
    # scikit-learn's documented classification_report example (y_true [0, 1, 2, 2, 2], y_pred [0, 0, 2, 2, 1]):
    # per class F1 = 2 P R / (P + R) (0.67 = 2 x 0.50 x 1.00 / 1.50, 0.80 = 2 x 1.00 x 0.67 / 1.67), but the
    # macro average F1 0.49 is the mean of the classes' F1s, not 2 x 0.50 x 0.56 / 1.06 = 0.53
    cells = []
    for label, (p, r, f1) in (("class 0", ("0.50", "1.00", "0.67")), ("class 2", ("1.00", "0.67", "0.80")),
                              ("macro avg", ("0.50", "0.56", "0.49")), ("weighted avg", ("0.70", "0.60", "0.61"))):
        cells += row("report", label, {"precision": p, "recall": r, "f1-score": f1})
    assert verdicts(cells, "rate_identity") == {
        "C-IDENT-F1-report-class_0": REPRODUCED, "C-IDENT-F1-report-class_2": REPRODUCED,
        "C-IDENT-F1-report-macro_avg": NOT_CHECKABLE, "C-IDENT-F1-report-weighted_avg": NOT_CHECKABLE}


def test_likelihood_ratios_with_their_cis():
    # PMC10362405 Table 5: LR+ 2.91 = 0.825 / (1 - 0.716) = 2.905, LR- 0.24 = 0.175 / 0.716 = 0.244; the neural
    # network's 3.31 = 0.782 / 0.236 and 0.29 = 0.218 / 0.764 = 0.285
    cells = []
    for model, (sens, spec, pos, neg) in (("Logistic regression", ("82.5%", "71.6%", "2.91", "0.24")),
                                          ("Neural networks", ("78.2%", "76.4%", "3.31", "0.29"))):
        cells += row("Table 5", model, {"Sensitivity": sens, "Specificity": spec, "Positive likelihood ratio": pos,
                                        "Negative likelihood ratio": neg})
    cells += [Cell("Table 5", ("Positive likelihood ratio",), ("Logistic regression",), "2.91 (2.57 to 3.3)", i, v, d,
                   role, "lr_pos" if i else "", model="Logistic regression")
              for i, (role, v, d) in enumerate((("lr_pos", 2.91, 2), ("ci_low", 2.57, 2), ("ci_high", 3.3, 1)))][1:]
    rows = {r.check_id: r.verdict for r in run_cell_checks(cells) if r.kind in ("rate_identity", "rate_in_ci")}
    assert len(rows) == 5 and set(rows.values()) == {REPRODUCED}, rows


# ------------------------------------------------------------------------------------------- lopsided AUC CIs
def _auc_table(cis):
    out = []
    for k, text in enumerate(cis, start=1):
        nums = [float(x) for x in text.replace("(", " ").replace(")", " ").replace("-", " ").split()]
        out += [Cell("Table 2", (str(k),), ("AUC (95% CI)",), text, i, v, 3, role, "auc" if i else "", model=str(k))
                for i, (role, v) in enumerate(zip(("auc", "ci_low", "ci_high"), nums))]
    return out


def _methods(cis):
    return {r.check_id: r.verdict for r in run_cell_checks(_auc_table(cis)) if r.kind == "auc_ci_method"}


def test_one_lopsided_auc_ci_among_symmetric_ones():
    # PMC12853086 Table 2: 0.716 (0.635-0.736) is 0.081 below and 0.020 above (at least 0.080 / 0.021 = 3.8
    # times over the rounding); the other three are symmetric to 0.001
    cis = ["0.728 (0.681-0.774)", "0.716 (0.635-0.736)", "0.775 (0.714-0.837)", "0.679 (0.604-0.755)"]
    assert lopsidedness(P("0.716"), P("0.635"), P("0.736")) >= 3.8
    assert _methods(cis) == {"C-AUC-Table_2-1-CIMETHOD": REPRODUCED, "C-AUC-Table_2-2-CIMETHOD": NOT_REPRODUCED,
                             "C-AUC-Table_2-3-CIMETHOD": REPRODUCED, "C-AUC-Table_2-4-CIMETHOD": REPRODUCED}
    # with one symmetric peer only, or a peer that is not symmetric, the table states no method: no finding
    assert NOT_REPRODUCED not in _methods(cis[:2]).values()
    assert NOT_REPRODUCED not in _methods(cis[:3] + ["0.679 (0.590-0.755)"]).values()
    # mildly asymmetric (0.050 below, 0.035 above: 1.4 times) is what bootstrap CIs look like: no finding
    assert NOT_REPRODUCED not in _methods(["0.728 (0.681-0.774)", "0.716 (0.666-0.751)", "0.775 (0.714-0.837)"]).values()
    # a stated bootstrap CI is held to nothing symmetric
    rows = auc_rows("A", "w", P("0.716"), P("0.635"), P("0.736"), method="bootstrap", peers=(3, 3))
    assert rows[1].verdict == REPRODUCED


def test_bootstrap_cis_of_pROC_are_never_that_lopsided(r):
    """pROC's bootstrap CIs (R called directly) of simulated scores with AUCs below 0.9: the longer side is
    below LOPSIDED times the shorter, so none of them would be flagged among symmetric peers."""
    got = r.evaluate("""
        suppressMessages(library(pROC)); set.seed(5); out <- c()
        for (d in c(0.4, 0.8, 1.2, 1.5)) {
          y <- rep(c(0, 1), c(50, 30)); x <- rnorm(80, mean = y * d)
          out <- c(out, as.numeric(ci.auc(roc(y, x, quiet = TRUE, direction = "<"), method = "bootstrap",
                                          boot.n = 300, progress = "none")))
        }
        out""")
    for lo, auc, hi in zip(*[iter([f"{v:.3f}" for v in got])] * 3):
        if float(auc) <= 0.9:
            assert lopsidedness(P(auc), P(lo), P(hi)) < LOPSIDED, (lo, auc, hi)
            rows = auc_rows("B", "w", P(auc), P(lo), P(hi), peers=(3, 3))
            assert rows[1].verdict == REPRODUCED, (lo, auc, hi)


def test_subgroup_rows_are_rows_of_their_own_without_the_cohorts_n():
    # PMC7667265 Table 4: sensitivity by subgroup (Age < 60: 0.800, Age >= 60: 1.000); each subgroup is a row
    # of its own (not one sensitivity printed twice), and the cohort's n is not a subgroup's size
    cells = [Cell("Table 4", ("Sensitivity",), ("Age", lv), t, 0, float(t), 3, "sensitivity", cohort="all",
                  group=f"Age > {lv}") for lv, t in (("< 60", "0.800"), ("≥60", "1.000"))]
    cells.append(Cell("Table 4", (), ("all (n=120)",), "n=120", 0, 120.0, 0, "n", cohort="all"))
    rows = {r.check_id: r for r in run_cell_checks(cells)}
    assert not [r for r in rows.values() if r.kind == "rate_printed_twice"]
    two = [r for r in rows.values() if r.kind == "two_by_two"]
    assert len(two) == 2 and all(r.verdict == "not checkable" and "subgroup" in r.evidence for r in two)
