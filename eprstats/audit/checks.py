"""The checks a statistical reviewer makes on a paper's printed numbers: :func:`run_checks` runs them all.

Every check returns rows of the audit table: ``check_id``, ``kind``, ``quoted`` (the number as printed),
``where`` (where it is printed), ``recomputed`` (what the audit computed), ``verdict`` (reproduced /
not reproduced / not checkable) and ``evidence``. A number is *reproduced* when some value that prints as
the quoted text (to its printed precision, e.g. ``0.94`` = [0.935, 0.945]) is consistent with what was
recomputed; every input of a recomputation is itself taken as an interval of the values that print as it.

Formulas
--------
* Table 1: R's ``chisq.test`` (with and without Yates' correction) and ``fisher.test`` on the printed
  counts, under each test rule of :func:`eprstats.characteristics.tests.categorical_test`, over any number
  of groups; a mean (SD) row's P as Student's and Welch's t (two groups) or one-way ANOVA and Welch's ANOVA
  (more) from n, mean and SD, over the rounding of the printed summaries (:mod:`.summary_tests`).
* Sensitivity / specificity: k / n for an integer k, n = the cohort's events / non-events.
* AUC CI: DeLong's interval is AUC +/- 1.96 SE, so ``low + high - 2 AUC`` is zero up to rounding (an
  upper bound printed as 1.000 is truncated and not checked). Its half-width against Hanley & McNeil's
  SE, ``SE^2 = [A(1-A) + (n1-1)(Q1-A^2) + (n0-1)(Q2-A^2)] / (n1 n0)``, Q1 = A/(2-A), Q2 = 2A^2/(1+A),
  must give half-width / (1.96 SE_HM) within :data:`HM_RATIO` (DeLong and Hanley-McNeil SEs differ by
  the unknown score distribution; this tolerance flags only widths that the sample size cannot give).
* ROC point: a ROC curve through (1 - spec, sens) has sens*spec <= AUC <= 1 - (1-sens)(1-spec); a score
  with two distinct values has AUC = (sens + spec) / 2 exactly.
* Regression: OR = exp(beta); Wald CI exp(beta +/- 1.96 SE), so SE = (log high - log low) / (2 * 1.96),
  the CI's log-midpoint is log(OR), and P = 2 * pnorm(-|beta| / SE).
* DeLong test of two correlated AUCs: Var(A1 - A2) = SE1^2 + SE2^2 - 2 r SE1 SE2; without the paired
  data only the correlation r that the printed P implies can be given (it must lie in [-1, 1]).

References: DeLong ER et al. (1988) Biometrics 44:837-845. Hanley JA, McNeil BJ (1982) Radiology
143:29-36. Altman DG, Bland JM (2011) How to obtain the P value from a confidence interval. BMJ 343:d2304.

The checks live by what they check: :mod:`.verdicts` (the row, verdicts, printed precision, reference
counts), :mod:`.table1_checks` (cohort sizes, Table 1), :mod:`.roc_checks` (Table 2), :mod:`.regression_checks`
(Table 3) and :mod:`.claims_checks` (the text); their names are re-exported here.
"""
from __future__ import annotations

from .cell_checks import run_cell_checks
from .claims_checks import (check_claims, check_delong, check_order, check_percent, check_radiomics_count,
                            radiomics_feature_count)
from .estimate_checks import hanley_mcneil_se
from .regression_checks import check_crude_or, check_regression
from .roc_checks import (binary_ci_match, check_auc_ci, check_binary_ci, check_binary_models, check_duplicate_rows,
                         check_roc_point, check_sens_spec, check_youden_bound, delong_binary_ci,
                         stated_ci_method, symmetry_row)
from .schema import Paper, check_claim_names
from .table1_checks import (check_cohort_counts, check_table1, check_table1_continuous, check_table1_groups,
                            check_table1_percent, table1_matrices)
from .verdicts import (COHORT_NAMES, HM_RATIO, NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED, RULES, VERDICTS, Z975,
                       k_over_n, reference_counts, round_half_up, same_printed, unique_ids)


def run_checks(paper: Paper) -> list[dict]:
    """All checks, in the order of a paper: counts, Table 1, Table 2, Table 3, the text's claims.

    Each check is a dict with the audit table's columns plus ``numbers``, the printed numbers it judged.
    """
    ref = reference_counts(paper)
    if paper.claims is not None:
        check_claim_names(paper)
    rows = []
    rows += check_cohort_counts(paper, ref)
    rows += check_table1(paper)
    rows += check_table1_percent(paper, ref)
    rows += check_table1_groups(paper, ref)
    rows += check_table1_continuous(paper, ref)
    rows += check_sens_spec(paper, ref)
    rows += check_auc_ci(paper, ref)
    rows += check_roc_point(paper)
    rows += check_youden_bound(paper)
    rows += check_binary_ci(paper, ref)
    rows += check_binary_models(paper, ref)
    rows += check_duplicate_rows(paper)
    rows += check_regression(paper)
    rows += check_crude_or(paper)
    rows += check_claims(paper, ref)
    if paper.cells is not None:
        rows += cell_rows(paper, ref)
    return unique_ids(rows)


def cell_rows(paper: Paper, ref: dict) -> list:
    """The checks of cells.csv, with the cohorts' counts that cohorts.csv or Table 1 give and the CI method
    that claims.csv states."""
    known = {c: {k: v[k] for k in ("n", "events", "nonevents") if k in v} for c, v in ref.items() if c != "all"}
    return run_cell_checks(paper.cells, cohort_counts=known, stated={"auc": stated_ci_method(paper)})


__all__ = ["run_checks", "reference_counts", "k_over_n", "round_half_up", "same_printed", "hanley_mcneil_se",
           "delong_binary_ci", "binary_ci_match", "symmetry_row", "table1_matrices", "radiomics_feature_count",
           "check_cohort_counts", "check_table1", "check_table1_percent", "check_table1_continuous",
           "check_table1_groups", "check_sens_spec", "check_auc_ci",
           "check_roc_point", "check_youden_bound", "check_binary_ci", "check_binary_models",
           "check_duplicate_rows", "check_regression", "check_crude_or", "check_claims", "check_percent",
           "check_delong", "check_order", "check_radiomics_count", "REPRODUCED", "NOT_REPRODUCED",
           "NOT_CHECKABLE", "VERDICTS", "HM_RATIO", "Z975", "RULES", "COHORT_NAMES"]
