"""The audit table, its terminal summary and its CSV / HTML files (:meth:`AuditResult.write`)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..fileio import write_csv, write_text
from ..reporting.tables import to_html
from .verdicts import NOT_CHECKABLE, NOT_REPRODUCED, REPRODUCED

from .registry import COLUMNS  # noqa: E402  the audit table's columns, declared with the Check row


def audit_table(rows: list[dict]) -> pd.DataFrame:
    """One row per check, in the columns of :data:`COLUMNS`."""
    return pd.DataFrame([r.row() if hasattr(r, "row") else r for r in rows], columns=list(COLUMNS))


def findings(table: pd.DataFrame) -> pd.DataFrame:
    """The checks whose printed number does not hold."""
    return table[table["verdict"] == NOT_REPRODUCED]


def summary(table: pd.DataFrame, folder: str = "") -> str:
    counts = table["verdict"].value_counts()
    head = (f"audit of {folder}: {len(table)} checks - {counts.get(REPRODUCED, 0)} reproduced, "
            f"{counts.get(NOT_REPRODUCED, 0)} not reproduced, {counts.get(NOT_CHECKABLE, 0)} not checkable")
    lines = [head]
    bad = findings(table)
    if len(bad):
        lines.append("not reproduced:")
        for _, r in bad.iterrows():
            lines.append(f"  {r['check_id']} [{r['where']}] {r['quoted']}: {r['evidence']}")
    elif len(table) == 0:
        lines.append("nothing was checked: the folder holds no number that a check applies to "
                     "(docs/audit.md lists what each check needs).")
    elif counts.get(REPRODUCED, 0) == 0:
        lines.append(f"nothing could be checked: all {len(table)} checks are not checkable (see their evidence).")
    else:
        lines.append(f"every checkable number holds ({counts.get(REPRODUCED, 0)} checked; "
                     f"{counts.get(NOT_CHECKABLE, 0)} not checkable).")
    return "\n".join(lines)


def report_title(folder: str = "") -> str:
    return f"Audit of the published numbers{': ' + folder if folder else ''}"


def report_note(table: pd.DataFrame) -> str:
    counts = table["verdict"].value_counts()
    return (f"{counts.get(REPRODUCED, 0)} reproduced, {counts.get(NOT_REPRODUCED, 0)} not reproduced, "
            f"{counts.get(NOT_CHECKABLE, 0)} not checkable. Numbers are compared to their printed precision.")


def html_page(table: pd.DataFrame, title: str, note: str) -> str:
    """The audit table as a standalone HTML page (audit.html)."""
    body = to_html(table, title=title, note=note)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>eprstats audit</title>"
            "<style>table{border-collapse:collapse;font:13px sans-serif}td,th{border:1px solid #ccc;"
            "padding:3px 6px;vertical-align:top}</style></head><body>\n" + body + "</body></html>\n")


def write_report(table: pd.DataFrame, out_dir, folder: str = "") -> list[Path]:
    """audit.csv and audit.html in ``out_dir``, each written atomically."""
    out = Path(out_dir)
    csv = write_csv(out / "audit.csv", table)
    html = write_text(out / "audit.html", html_page(table, report_title(folder), report_note(table)))
    return [csv, html]
