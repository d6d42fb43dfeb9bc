"""What the audit says when it checked little or nothing, the files audit-import may write header-only, names
spelled two ways, and the one registry of claim kinds."""
from __future__ import annotations

import pytest

from eprstats.audit import registry
from eprstats.audit.result import audit_paper
from eprstats.errors import InputError

HEADER = "where,cohort,n,events,nonevents\n"


def test_zero_checks_never_say_every_number_holds(tmp_path, run_cli):
    (tmp_path / "cohorts.csv").write_text(HEADER)
    (tmp_path / "claims.csv").write_text("where,quantity,value\n")
    result = audit_paper(tmp_path)                        # header-only files: read as empty, not refused
    assert len(result.table) == 0
    text = result.summary()
    assert "every checkable number holds" not in text and "nothing was checked" in text
    code, out, err = run_cli("audit", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 0, err


def test_only_not_checkable_checks_say_so(tmp_path):
    (tmp_path / "cohorts.csv").write_text(HEADER + "Abstract,training,100,,\n")
    (tmp_path / "claims.csv").write_text("where,quantity,value\nAbstract,count:patients,100\n")
    text = audit_paper(tmp_path).summary()
    assert "every checkable number holds" not in text and "nothing could be checked" in text


def test_one_cohort_spelled_two_ways_is_an_error_naming_both(tmp_path):
    (tmp_path / "cohorts.csv").write_text(HEADER + "Abstract,Training,114,46,68\nFigure 1,training,114,46,68\n")
    with pytest.raises(InputError) as err:
        audit_paper(tmp_path)
    assert "'Training'" in str(err.value) and "'training'" in str(err.value)


def test_every_claim_kind_is_declared_once_with_its_check():
    for name, kind in registry.KINDS.items():
        assert kind.name == name and all(p in registry.PART_ROLES for p in kind.parts)
        assert kind.check == "repeat" or callable(registry.own_check(kind))
        parsed, parts = registry.parse_quantity(":".join([name, *("x" for _ in kind.parts)]))
        assert parsed is kind and len(parts) == len(kind.parts)
    with pytest.raises(registry.UnknownQuantity):
        registry.parse_quantity("auc:only_one_part")


def test_a_stated_delong_method_holds_an_asymmetric_ci(tmp_path):
    # one asymmetric AUC CI among too few others to infer the table's method: a finding only when the
    # paper says DeLong (claims.csv ci_method:auc)
    (tmp_path / "cohorts.csv").write_text(HEADER + "Abstract,training,114,46,68\n")
    (tmp_path / "published_table2.csv").write_text(
        "model,cohort,auc,auc_ci_low,auc_ci_high,sensitivity,specificity\n"
        "A,training,0.754,0.672,0.855,0.717,0.721\nB,training,0.802,0.718,0.887,0.717,0.721\n")
    rows = audit_paper(tmp_path).table.set_index("check_id")
    assert rows.loc["T2-CISYM-A-training", "verdict"] == "reproduced"
    (tmp_path / "claims.csv").write_text("where,quantity,value\nMethods,ci_method:auc,DeLong\n")
    rows = audit_paper(tmp_path).table.set_index("check_id")
    assert rows.loc["T2-CISYM-A-training", "verdict"] == "not reproduced"
    assert "the paper says delong" in rows.loc["T2-CISYM-A-training", "evidence"]
