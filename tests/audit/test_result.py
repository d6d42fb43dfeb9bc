"""``audit(folder)`` as a result object: its audit table, its tidy printed numbers (checked against the CSV
files read directly), its files (the same bytes as ``eprstats audit``) and an audit command whose import
costs neither pandas, scipy nor R.

Oracles: the published CSVs read with the csv module, the command line's own files, scipy's and R's normal
quantile."""
from __future__ import annotations

import csv
import dataclasses
import math
import subprocess
import sys

import pandas as pd
import pytest

from eprstats.audit import AuditResult, audit, audit_table, read_paper, run_checks
from eprstats.results import TIDY_COLUMNS


@pytest.fixture(scope="module")
def result(published, r):
    return audit(published)


def _raw(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_result_is_frozen_and_holds_the_audit_table(result, published):
    assert isinstance(result, AuditResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.folder = "elsewhere"
    pd.testing.assert_frame_equal(result.audit_table(), audit_table(run_checks(read_paper(published))))
    assert result.audit_table() is result.frame and result.table.equals(result.frame)   # .table: deprecated
    assert list(result.tables) == ["audit"] and result.table("audit") is result.frame
    bad = result.findings()
    assert {"COHORT-external-n=43-events=23-nonevents=20", "T3-OR-AFP", "T2-DUP-external-PVP_DLR-PVP_DLRN"} <= set(bad["check_id"])
    assert (bad["verdict"] == "not reproduced").all() and len(bad) >= 10
    assert result.summary().startswith(f"audit of {published}: {len(result.table)} checks")


def test_write_gives_the_commands_files_byte_for_byte(result, published, run_cli, tmp_path):
    code, out, err = run_cli("audit", published, "--out", tmp_path / "cli")
    assert code == 0, err
    assert out.startswith(result.summary())
    written = result.write(tmp_path / "api")
    assert [p.name for p in written] == ["audit.csv", "audit.html"]
    for p in written:
        assert p.read_bytes() == (tmp_path / "cli" / p.name).read_bytes(), p.name
    assert sorted(p.name for p in (tmp_path / "cli").iterdir() if not p.name.startswith(".")) == [
        "audit.csv", "audit.html", "audit.provenance.json"]


def test_a_failed_run_keeps_the_previous_output(published, run_cli, tmp_path):
    code, _, _ = run_cli("audit", published, "--out", tmp_path / "out")
    before = (tmp_path / "out" / "audit.csv").read_bytes()
    code, _, err = run_cli("audit", tmp_path / "no such paper", "--out", tmp_path / "out")
    assert code == 2 and "does not exist" in err
    assert (tmp_path / "out" / "audit.csv").read_bytes() == before


def test_tidy_columns_and_one_check_per_row(result):
    tidy = result.tidy()
    assert list(tidy.columns) == [*TIDY_COLUMNS, "printed", "check_id", "kind", "verdict"]
    assert (tidy["analysis"] == "audit").all()
    # every check of the seed paper judged at least one printed number, with the table's verdict
    assert set(tidy["check_id"]) == set(result.table["check_id"])
    verdict = result.table.set_index("check_id")["verdict"]
    assert (tidy["verdict"] == tidy["check_id"].map(verdict)).all()


def test_tidy_holds_every_printed_number_of_tables_2_and_3(result, published):
    tidy = result.tidy()
    t2 = tidy[tidy["table"] == "published_table2"]
    got = {(m, c, s, v) for m, c, s, v in zip(t2["model"], t2["cohort"], t2["statistic"], t2["value"])}
    ci = t2.dropna(subset=["ci_low"])
    got |= {(m, c, "auc_ci_low", v) for m, c, v in zip(ci["model"], ci["cohort"], ci["ci_low"])}
    got |= {(m, c, "auc_ci_high", v) for m, c, v in zip(ci["model"], ci["cohort"], ci["ci_high"])}
    raw = _raw(published / "published_table2.csv")
    want = {(r["model"], r["cohort"], col, float(r[col])) for r in raw
            for col in ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")}
    assert got == want and len(want) == 5 * len(raw)

    t3 = tidy[tidy["table"] == "published_table3"]
    got = {(t, s, v) for t, s, v in zip(t3["row"], t3["statistic"], t3["value"])}
    ci = t3.dropna(subset=["ci_low"])
    got |= {(t, "or_ci_low", v) for t, v in zip(ci["row"], ci["ci_low"])}
    got |= {(t, "or_ci_high", v) for t, v in zip(ci["row"], ci["ci_high"])}
    want = {(r["term"], col, float(r[col])) for r in _raw(published / "published_table3.csv")
            for col in ("beta", "odds_ratio", "or_ci_low", "or_ci_high", "p") if r[col]}
    assert got == want


def test_tidy_rows_of_one_check(result, published):
    tidy = result.tidy().set_index("check_id")
    sens = tidy.loc["T2-SENS-AP-external"]
    raw = next(r for r in _raw(published / "published_table2.csv") if r["model"] == "AP"
               and r["cohort"] == "external")
    assert (sens["model"], sens["cohort"], sens["statistic"], sens["value"]) == (
        "AP", "external", "sensitivity", float(raw["sensitivity"]))
    claim = tidy.loc["CLAIM-event_rate:training=40.3%"]              # printed "40.3%" in the Results
    assert (claim["table"], claim["statistic"], claim["value"], claim["printed"]) == (
        "claims", "event_rate", 40.3, "40.3%")


def test_importing_the_command_imports_no_pandas_scipy_or_r():
    code = ("import sys, eprstats.audit.cli; "
            "print(sorted(m for m in ('pandas', 'scipy', 'rpy2', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_ep_audit_after_the_package_was_imported(tmp_path):
    """Importing eprstats.audit (as the command line does) binds ``eprstats.audit`` to the package: the audit
    is ``ep.audit_paper``; the package is a plain module, not callable (#24: no callable modules)."""
    import types

    import eprstats as ep
    import eprstats.audit.cli  # noqa: F401

    (tmp_path / "cohorts.csv").write_text("where,cohort,n,events,nonevents\nFigure 1,training,100,40,60\n")
    assert isinstance(ep.audit_paper(tmp_path), AuditResult)
    assert type(ep.audit) is types.ModuleType and not callable(ep.audit)
    assert ep.audit.audit_paper is ep.audit_paper


@pytest.mark.parametrize("first", ["ep.audit", "ep.audit_paper", "ep.compare", "import eprstats.audit.compare",
                                   "import eprstats.audit.cli"])
def test_audit_names_do_not_depend_on_what_was_imported_first(first):
    """``ep.audit`` is the package and ``ep.audit_paper`` / ``ep.compare`` plain functions, in any order of
    first use (the package's functions used to vanish after ``ep.audit`` was looked up)."""
    code = (f"import types, eprstats as ep\n{first}\n"
            "assert isinstance(ep.audit, types.ModuleType)\n"
            "assert callable(ep.audit.run_checks) and callable(ep.audit.read_paper)\n"
            "assert ep.audit.compare.compare is ep.compare\n"
            "import eprstats.audit.compare as m\n"
            "assert isinstance(ep.audit.compare, types.ModuleType) and ep.compare is m.compare\n"
            "assert type(ep.audit_paper) is types.FunctionType and ep.audit.audit is ep.audit_paper\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_z975_is_the_normal_quantile(r):
    from scipy.stats import norm

    from eprstats.audit.verdicts import Z975

    assert Z975 == float(norm.ppf(0.975))        # the constant the audit computed before: same bytes
    assert math.isclose(Z975, r.evaluate("qnorm(0.975)"), rel_tol=0, abs_tol=1e-15)
