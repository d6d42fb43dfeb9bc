"""Audit a paper's published numbers: ``audit(folder)`` -> one row per check (see docs/audit.md)."""
from __future__ import annotations

import pandas as pd

from .checks import HM_RATIO, NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED, hanley_mcneil_se, run_checks
from .report import audit_table, findings, summary, write_report
from .schema import Paper, Printed, parse_number, read_paper


def audit(folder) -> pd.DataFrame:
    """Check every number of the audit folder; returns the audit table (check_id, kind, quoted, where,
    recomputed, verdict, evidence).

    Example
    -------
    >>> table = audit("tables/published")                     # doctest: +SKIP
    >>> table[table.verdict == "not reproduced"].check_id.tolist()[:1]  # doctest: +SKIP
    ['COHORT-7-external']
    """
    return audit_table(run_checks(read_paper(folder)))


__all__ = ["audit", "read_paper", "run_checks", "audit_table", "findings", "summary", "write_report",
           "Paper", "Printed", "parse_number", "hanley_mcneil_se", "HM_RATIO", "REPRODUCED",
           "NOT_REPRODUCED", "NOT_CHECKABLE"]
