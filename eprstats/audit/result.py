"""``audit(folder)``: every check of a paper's printed numbers, as one frozen :class:`AuditResult`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..results import TIDY_COLUMNS, Result, Table, table_frame, tidy_frame
from ..validation import arguments
from .cells import read_cells
from .checks import run_checks
from .report import audit_table, findings, html_page, report_note, report_title, summary
from .schema import read_paper
from .verdicts import HM_RATIO, RULES

#: the columns :meth:`AuditResult.tidy` adds after :data:`eprstats.results.TIDY_COLUMNS`
TIDY_EXTRA = ("printed", "check_id", "kind", "verdict")


@dataclass(frozen=True, repr=False, eq=False)
class AuditResult(Result):
    """The audit of one folder of published numbers.

    ``frame`` is the audit table (one row per check: check_id, kind, quoted, where, recomputed, verdict,
    evidence); ``.audit_table()`` and ``tables["audit"]`` return it (``.table`` is that DataFrame too, and
    callable as ``table(name)``: a deprecated alias).
    ``checks`` are the checks as :func:`eprstats.audit.run_checks` returns them, with the printed numbers
    each judged; ``paper`` is the folder as read; ``inputs`` the files read (for provenance).
    """

    analysis = "audit"

    frame: object
    checks: tuple
    paper: object
    folder: str
    inputs: tuple
    settings: dict

    default_formats = ("csv", "html")

    @property
    def table(self):
        """The audit table (a DataFrame, one row per check); also callable as ``table(name)`` (deprecated as
        a DataFrame: use :meth:`audit_table` or ``tables["audit"]``)."""
        return table_frame(self, self.frame)

    def audit_table(self):
        """The audit table (a DataFrame, one row per check)."""
        return self.frame

    def findings(self):
        """The checks whose printed number does not hold (verdict *not reproduced*)."""
        return findings(self.table)

    def summary(self) -> str:
        """The terminal summary: counts of each verdict, then every *not reproduced* check."""
        text = summary(self.table, self.folder)
        unplaced = self.settings.get("unplaced")
        if unplaced:   # never silence: what the importer could not place was not checked either
            text += (f"\n{unplaced} number(s) in unplaced.csv were not checked (their headers do not say what "
                     "they are; see its reason column).")
        return text

    def table_files(self) -> list[Table]:
        """``audit`` (written as ``audit.csv`` and, as a standalone page, ``audit.html``; ``md``/``tex``/``docx``
        in ``formats`` add those renderings of the table)."""
        return [Table("audit", self.frame, title=report_title(self.folder), note=report_note(self.frame),
                      html=html_page)]

    def tidy(self):
        """One row per printed number per check that judged it (a number judged by three checks gives three
        rows), in :data:`~eprstats.results.TIDY_COLUMNS` then :data:`TIDY_EXTRA`.

        ``table`` is the audit file's stem (``published_table2``, ``claims``...), ``column`` its column,
        ``row`` the row's label (Table 1 ``variable: level``, or the variable for its p-values; Table 2 the
        model; Table 3 the term; cohorts.csv and claims.csv the ``where`` text), ``statistic`` what was printed
        (``auc``, ``sensitivity``, ``p``, ``count``, ``percent``, ``odds_ratio``..., a claim's quantity kind),
        ``value`` the printed value (percentages in percent, ``<0.001`` as 0.001: ``printed`` keeps the text),
        ``ci_low``/``ci_high`` its printed CI where the check read the two together.
        """
        rows, extra = [], []
        for check in self.checks:
            for num in check["numbers"]:
                low, high = num["ci"] or (None, None)
                rows.append({"analysis": self.analysis, **{k: num[k] for k in ("table", "row", "column", "model",
                                                                              "cohort", "statistic")},
                             "value": num["value"].value, "ci_low": _value(low), "ci_high": _value(high)})
                printed = f"{num['value']} ({low}-{high})" if low is not None else str(num["value"])
                extra.append({"printed": printed, "check_id": check["check_id"], "kind": check["kind"],
                              "verdict": check["verdict"]})
        frame = tidy_frame(rows)
        for col in TIDY_EXTRA:
            frame[col] = [e[col] for e in extra]
        return frame[[*TIDY_COLUMNS, *TIDY_EXTRA]]



def _value(printed):
    return None if printed is None else printed.value


@arguments(folder="path")
def audit_paper(folder) -> AuditResult:
    """Check every printed number of an audit folder (a paper's tables and text as CSVs, docs/audit.md).

    Each number is recomputed where the printed numbers allow and judged *reproduced* when some value that
    prints as it (to its printed precision) agrees with the recomputation, *not reproduced*, or *not
    checkable*. A folder with ``cells.csv`` (the cell form that ``audit-import`` writes) is also checked cell
    by cell (:mod:`eprstats.audit.cell_checks`); the numbers of its ``unplaced.csv`` are counted in the
    summary, never checked.

    Parameters
    ----------
    folder : str or Path
        The audit folder: ``cohorts.csv`` and the published tables (``published_table1.csv``,
        ``published_table2.csv``, ``published_table3.csv``, ``claims.csv``, ...), or the cell form
        (``cells.csv``); its schema is docs/audit.md.

    Returns
    -------
    AuditResult
        ``frame`` (one row per check: check_id, kind, quoted, where, recomputed, verdict, evidence), the
        checks, the paper as read; ``findings()`` the *not reproduced* checks, ``write(out)`` ``audit.csv``
        and ``audit.html``.

    Notes
    -----
    A printed number x with d decimals stands for the interval [x - 0.5 10^-d, x + 0.5 10^-d]. Table 1's
    P values are R's ``stats::chisq.test`` (with and without Yates' correction) and ``stats::fisher.test`` on
    the printed counts; a sensitivity or specificity must be k/n of the cohort's events / non-events; an
    AUC's DeLong CI is AUC +/- 1.96 SE (symmetric), its width is compared with Hanley & McNeil's SE,
    SE^2 = [A(1-A) + (n1-1)(Q1-A^2) + (n0-1)(Q2-A^2)] / (n1 n0) with Q1 = A/(2-A), Q2 = 2A^2/(1+A); a
    regression's OR = exp(beta), its Wald CI exp(beta -/+ 1.96 SE) and P = 2 pnorm(-|beta| / SE). The
    formulas of every check are in :mod:`eprstats.audit.checks`.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988) Comparing the areas under two or more correlated receiver
    operating characteristic curves: a nonparametric approach. Biometrics 44:837-845.
    Hanley JA, McNeil BJ (1982) The meaning and use of the area under a receiver operating characteristic
    (ROC) curve. Radiology 143:29-36.
    Altman DG, Bland JM (2011) How to obtain the P value from a confidence interval. BMJ 343:d2304.

    Examples
    --------
    The paper's own audit folder, shipped with the package (R recomputes Table 1's tests; a few seconds): 292
    checks, 11 findings (docs/audit.md).

    >>> import tempfile
    >>> from pathlib import Path
    >>> import eprstats as ep
    >>> result = ep.audit_paper(Path(ep.__file__).parent / "data" / "published")
    >>> result.frame.verdict.value_counts().to_dict()
    {'reproduced': 276, 'not reproduced': 11, 'not checkable': 5}
    >>> result.findings().check_id.tolist()[:1]
    ['COHORT-external-n=43-events=23-nonevents=20']
    >>> [p.name for p in result.write(Path(tempfile.mkdtemp()) / "audit")]
    ['audit.csv', 'audit.html']
    """
    paper = read_paper(folder)
    checks = run_checks(paper)
    folder_path = Path(folder)
    settings = {"folder": str(folder), "hm_ratio": list(HM_RATIO), "table1_rules": list(RULES)}
    if (folder_path / "unplaced.csv").exists():
        settings["unplaced"] = len(read_cells(folder_path / "unplaced.csv"))
    return AuditResult(frame=audit_table(checks), checks=tuple(checks), paper=paper, folder=str(folder),
                       inputs=tuple(folder_path / name for name in paper.files)
                       + ((folder_path / "unplaced.csv",) if "unplaced" in settings else ()),
                       settings=settings)


#: the function's name before ``ep.audit`` became the package: ``from eprstats.audit import audit`` still works
audit = audit_paper
