"""The audit's input made safer: claims naming a model or cohort no table has are input errors, check ids
built from names (stable when a file's rows are reordered), and cohort sizes taken by majority of the
printings when there is no Table 1.

Oracles: the constructed clean paper (tests/audit/papers/clean, every number computed by R in
make_papers.py) with one count changed by hand; the seed paper's own audit before its rows are reordered.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from eprstats.audit import audit
from eprstats.errors import InputError

CLEAN = Path(__file__).resolve().parent / "papers" / "clean"


def _copy(src: Path, tmp_path: Path, drop=()) -> Path:
    out = tmp_path / "paper"
    shutil.copytree(src, out)
    for name in drop:
        (out / name).unlink()
    return out


def _edit(path: Path, change) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame).to_csv(path, index=False)


def _add_claim(folder: Path, quantity: str, value: str) -> None:
    _edit(folder / "claims.csv", lambda f: pd.concat(
        [f, pd.DataFrame([{"where": "Results", "quantity": quantity, "value": value}])], ignore_index=True)
        .fillna(""))


# ------------------------------------------------------------------ names a claim gives must exist
@pytest.mark.parametrize("quantity, value, role, name, near", [
    ("auc:CombinedN:training", "0.800 (0.700-0.900)", "model", "CombinedN", "Combined"),   # not in Table 2
    ("auc:Combined:trainig", "0.800 (0.700-0.900)", "cohort", "trainig", "training"),      # misspelt
    ("order:auc:RadA:RadX:training", ">", "model", "RadX", "RadA"),
    ("or:Markr", "1.5", "term", "Markr", "Marker"),
    ("event_rate:externl", "41.7%", "cohort", "externl", "external"),
])
def test_a_claim_naming_an_unknown_model_or_cohort_is_an_input_error(tmp_path, quantity, value, role, name,
                                                                     near):
    folder = _copy(CLEAN, tmp_path)
    _add_claim(folder, quantity, value)
    with pytest.raises(InputError) as err:
        audit(folder)
    msg = str(err.value)
    assert "claims.csv" in msg and f"the {role} {name!r}" in msg and repr(near) in msg
    assert err.value.column == "quantity"


def test_model_names_are_checked_only_against_a_table_the_folder_has(tmp_path):
    folder = _copy(CLEAN, tmp_path, drop=("published_table2.csv",))
    _add_claim(folder, "auc:AnyModel:training", "0.800 (0.700-0.900)")
    table = audit(folder).table.set_index("check_id")
    assert table.loc["CLAIM-auc:AnyModel:training=0.800(0.700-0.900)", "verdict"] == "not checkable"


# ------------------------------------------------------------------ ids stable under reordering
REORDERED = ("cohorts.csv", "claims.csv", "published_table2.csv", "published_table3.csv", "binary_models.csv")


def test_reordering_the_rows_of_a_folder_changes_no_check(published, r, tmp_path):
    folder = _copy(published, tmp_path)
    for name in REORDERED:
        if (folder / name).exists():   # reversed: every row moves
            _edit(folder / name, lambda f: f.iloc[::-1])
    before = audit(published).table.set_index("check_id")
    after = audit(folder).table.set_index("check_id")
    assert before.index.is_unique and set(before.index) == set(after.index)
    assert not any(i.split("-")[1].isdigit() for i in before.index)          # no row numbers in ids
    diff = before.compare(after.loc[before.index])
    assert diff.empty, diff


def test_a_claim_printed_twice_the_same_way_gets_two_ids(tmp_path):
    folder = _copy(CLEAN, tmp_path)
    _add_claim(folder, "auc:Combined:external", "0.843 (0.745-0.942)")        # the Abstract's, again
    table = audit(folder).table.set_index("check_id")
    ids = [i for i in table.index if i.startswith("CLAIM-auc:Combined:external=0.843(0.745-0.942)")]
    assert sorted(ids) == ["CLAIM-auc:Combined:external=0.843(0.745-0.942)",
                           "CLAIM-auc:Combined:external=0.843(0.745-0.942)#2"]
    assert (table.loc[ids, "verdict"] == "reproduced").all()


# ------------------------------------------------------------------ cohort sizes by majority
def _no_table1(tmp_path) -> Path:
    return _copy(CLEAN, tmp_path, drop=("published_table1.csv", "published_table1_percent.csv",
                                        "binary_models.csv"))


def _wrong_figure1(frame):
    # the clean paper's external cohort has 25 events, 35 non-events (make_papers.py); Figure 1 swaps them
    at = frame["where"].str.startswith("Figure 1") & (frame["cohort"] == "external")
    frame.loc[at, ["events", "nonevents"]] = ["35", "25"]
    return frame


def test_without_table1_a_wrong_flow_chart_is_one_finding_against_it(tmp_path):
    folder = _no_table1(tmp_path)
    assert audit(folder).findings().empty                                   # the clean paper as it is
    _edit(folder / "cohorts.csv", _wrong_figure1)
    found = audit(folder).findings()
    # Figure 1 (35/25) and the Results' 25 events disagree; n = 60 fits both: a tie, and Table 2's
    # external sensitivities are k/25, its specificities k/35 (all 8), which decides it
    assert list(found["check_id"]) == ["COHORT-external-n=60-events=35-nonevents=25"]
    assert found.iloc[0]["where"].startswith("Figure 1")
    assert "events=25, nonevents=35" in found.iloc[0]["recomputed"]


def test_without_table1_the_rows_outvote_a_wrong_printing(tmp_path):
    folder = _no_table1(tmp_path)
    _edit(folder / "cohorts.csv", _wrong_figure1)
    _edit(folder / "cohorts.csv", lambda f: pd.concat([f, pd.DataFrame([
        {"where": "Results: 25 with the outcome, 35 without", "cohort": "external", "n": "60", "events": "25",
         "nonevents": "35"}])], ignore_index=True))
    (folder / "published_table2.csv").unlink()                              # no tie-break needed
    _edit(folder / "claims.csv", lambda f: f[~f["quantity"].str.split(":").str[0].isin(
        ["auc", "sensitivity", "specificity", "order", "delong_p"])])
    found = audit(folder).findings()
    assert list(found["check_id"]) == ["COHORT-external-n=60-events=35-nonevents=25"]
    assert "3 of its 4 external rows" in found.iloc[0]["recomputed"]


def test_without_table1_an_unbroken_tie_leaves_the_cohort_not_checkable(tmp_path):
    folder = _no_table1(tmp_path)
    _edit(folder / "cohorts.csv", _wrong_figure1)
    # Figure 1 prints 35/25 whole, another place 25/35 whole, Methods n=60 fits both; no Table 2
    _edit(folder / "cohorts.csv", lambda f: pd.concat([f[~f["where"].str.startswith("Results")], pd.DataFrame([
        {"where": "Results: 25 with the outcome, 35 without", "cohort": "external", "n": "60", "events": "25",
         "nonevents": "35"}])], ignore_index=True))
    (folder / "published_table2.csv").unlink()
    _edit(folder / "claims.csv", lambda f: f[~f["quantity"].str.split(":").str[0].isin(
        ["auc", "sensitivity", "specificity", "order", "delong_p", "event_rate"])])
    table = audit(folder).table
    external = table[table["check_id"].str.startswith("COHORT-external")]
    assert (external["verdict"] == "not checkable").all() and len(external) == 3


def test_a_row_printing_the_counts_whole_outweighs_a_lone_total(tmp_path):
    """Two rows, 100 = 40 + 60 and n = 101: each agrees with its own counts, Table 2's 0.700 is k/40 under
    both 40/60 and 40/61; the pair printed whole is the reference and the lone 101 the finding."""
    (tmp_path / "cohorts.csv").write_text("where,cohort,n,events,nonevents\nFigure 1,training,100,40,60\n"
                                          "Methods,training,101,,\n")
    (tmp_path / "published_table2.csv").write_text("model,cohort,auc,auc_ci_low,auc_ci_high,sensitivity,"
                                                   "specificity\nM,training,0.750,0.650,0.850,0.700,0.710\n")
    found = audit(tmp_path).findings()
    assert "COHORT-training-n=101" in set(found["check_id"])
    assert "COHORT-training-n=100-events=40-nonevents=60" not in set(found["check_id"])
