"""What the held-out sets' tests (tests/audit/test_importer_heldout2.py ... heldout9.py) share: the two commands
a new user runs on a table, which keyed cells
print a number, the check that every printed number is keyed, the audit's findings against the measured ones, and
the hand arithmetic the keys quote (plain division, not the audit)."""
from __future__ import annotations

import re
from pathlib import Path

from tests.audit.test_importer_corpus import _printed


def import_and_audit(run_cli, text: Path, tmp_path: Path):
    """``audit-import`` of one held-out table, then ``audit`` of the draft, as a new user runs them: both exit 0.
    The audit's table (audit.csv)."""
    import pandas as pd

    code, _, err = run_cli("audit-import", text, "--out", tmp_path / "draft")
    assert code == 0, err
    code, _, err = run_cli("audit", tmp_path / "draft", "--out", tmp_path / "audit")
    assert code == 0, err
    return pd.read_csv(tmp_path / "audit" / "audit.csv")


def numbered_cells(folder: Path, keys: dict, name: str) -> set:
    """The keyed cells of table ``name`` that print a number (a key may name a cell whose copy left it empty)."""
    rows = _printed(folder / f"{name}.txt")
    return {(r, c) for (r, c), _, _ in keys[name]["cells"]
            if r <= len(rows) and c <= len(rows[r - 1]) and re.search(r"\d", rows[r - 1][c - 1])}


def unkeyed_numbers(folder: Path, keys: dict) -> list:
    """(table, row, column, text) of every cell outside the label columns that prints a number no key names, so
    that none is left out of the score; a header cell whose digits belong to its words (95% CI, AUC (95% CI)) is
    not a number."""
    missing = []
    for name, key in keys.items():
        keyed = {rc for rc, _, _ in key["cells"]} | set(key.get("header_digits", ()))
        for r, row in enumerate(_printed(folder / f"{name}.txt"), start=1):
            for c, text in enumerate(row, start=1):
                if c <= key.get("label_cols", 1) or (r, c) in keyed or not re.search(r"\d", text):
                    continue
                if not re.search(r"95 ?%", text):
                    missing.append((name, r, c, text))
    return missing


def not_reproduced(table) -> set:
    """The check ids of an audit table's not-reproduced checks."""
    return set(table.loc[table["verdict"] == "not reproduced", "check_id"])


def check_findings(table, measured: dict, reproduced_at_least: int) -> set:
    """The audit's not-reproduced checks of one table: none beyond the measured ones, every real one among them,
    and at least the measured count of reproduced checks."""
    found = not_reproduced(table)
    assert found <= set(measured), found - set(measured)
    assert {c for c, real in measured.items() if real} <= found
    assert (table["verdict"] == "reproduced").sum() >= reproduced_at_least
    return found


def pct_fits(k: int, n: int, printed: str) -> bool:
    """100 k / n printed at ``printed``'s precision (the half-unit interval, closed)."""
    d = len(printed.split(".")[1]) if "." in printed else 0
    return abs(100 * k / n - float(printed)) <= 0.5 * 10 ** -d + 1e-9


def prevalence(sens: float, spec: float, acc: float) -> float:
    """accuracy = prevalence x sensitivity + (1 - prevalence) x specificity, solved for the prevalence."""
    return (acc - spec) / (sens - spec)
