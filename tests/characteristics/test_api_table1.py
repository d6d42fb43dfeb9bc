"""``ep.table1`` as a result object: its tidy numbers against R called directly through rpy2 (``table``,
``prop.table``, ``chisq.test``, ``fisher.test``, ``t.test``, ``quantile``), its files, and the cohort labels
it refuses (the one cohort splitter of eprstats.validation)."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.results import TIDY_COLUMNS

# Per cohort and outcome group, the patients at each level of 'stage' (A, B, C): training is large with
# every expected count >= 5 (Pearson); external has n = 30 and a rare level (Fisher by Cochran's rule).
STAGE = {("training", 0): (20, 25, 15), ("training", 1): (10, 30, 20),
         ("external", 0): (1, 7, 7), ("external", 1): (3, 6, 6)}


def _patients(seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for (cohort, y), counts in STAGE.items():
        n = sum(counts)
        frames.append(pd.DataFrame({
            "cohort": cohort, "EPR": y,
            "stage": np.repeat(["A", "B", "C"], counts),
            "age": np.round(rng.normal(55 + 4 * y, 8, n), 1)}))
    data = pd.concat(frames, ignore_index=True)
    data.insert(0, "id", [f"{i:05d}" for i in range(len(data))])
    return data


def _r():
    ro = pytest.importorskip("rpy2.robjects")
    return ro


CATEGORICAL = """function(x, g, test) {
  t <- table(factor(x, levels = c("A", "B", "C")), factor(g, levels = c("0", "1")))
  r <- switch(test, pearson = chisq.test(t, correct = FALSE), yates = chisq.test(t, correct = TRUE),
              fisher = fisher.test(t))
  c(as.vector(t), as.vector(prop.table(t, 2)) * 100, r$p.value,
    if (is.null(r$statistic)) NA else r$statistic, if (is.null(r$parameter)) NA else r$parameter)
}"""
CONTINUOUS = """function(a, b) {
  s <- function(v) c(mean(v), sd(v), quantile(v, c(0.5, 0.25, 0.75), type = 7))
  r <- t.test(a, b)
  c(s(a), s(b), r$p.value, r$statistic, r$parameter)
}"""


@pytest.fixture(scope="module")
def result(r):
    data = _patients()
    return data, ep.table1(data, "EPR", ["stage", "age"], cohort_col="cohort", train_cohort="training",
                           types={"age": "normal"}, outcome_labels=("Non-EPR", "EPR"), id_col="id")


def _tidy(res, **where):
    t = res.tidy()
    for k, v in where.items():
        t = t[t[k] == v]
    return t


@pytest.mark.parametrize("cohort, test", [("training", "pearson"), ("external", "fisher")])
def test_tidy_counts_percents_and_test_equal_r(result, cohort, test):
    data, res = result
    ro = _r()
    part = data[data.cohort == cohort]
    want = list(ro.r(CATEGORICAL)(ro.StrVector(part["stage"].tolist()), ro.StrVector(part["EPR"].astype(str).tolist()),
                                  test))
    counts, percents, (p, stat, df) = want[:6], want[6:12], want[12:]
    tidy = _tidy(res, cohort=cohort)
    for j, group in enumerate(["Non-EPR", "EPR"]):
        for i, level in enumerate("ABC"):
            cell = tidy[(tidy.row == f"stage: {level}") & (tidy.column == group)].set_index("statistic")
            assert cell.loc["n", "value"] == counts[3 * j + i]
            assert cell.loc["percent", "value"] == pytest.approx(percents[3 * j + i], rel=1e-12)
            assert cell.loc["n", "n"] == sum(STAGE[(cohort, j)])
    p_row = tidy[(tidy.row == "stage") & (tidy.column == "P")].set_index("statistic")
    assert set(p_row["model"]) == {test}          # the rule's choice: by hand in the STAGE comment
    assert p_row.loc["p", "value"] == pytest.approx(p, rel=1e-10)
    if test == "pearson":
        assert p_row.loc["statistic", "value"] == pytest.approx(stat, rel=1e-10)
        assert p_row.loc["df", "value"] == df
    else:
        assert "statistic" not in p_row.index and np.isnan(stat)
    # the printed cell is the same p
    printed = res.table.loc[res.table.Variable == "stage", f"{cohort} P"].iloc[0]
    assert printed.rstrip("*") == f"{p:.3f}"


def test_tidy_between_cohorts_and_group_sizes_equal_r(result):
    data, res = result
    ro = _r()
    fn = ro.r("""function(x, c) { t <- table(x, factor(c, levels = c("training", "external")));
                 r <- chisq.test(t, correct = FALSE); c(r$p.value, r$statistic, sum(t)) }""")
    p, stat, n = list(fn(ro.StrVector(data["stage"].tolist()), ro.StrVector(data["cohort"].tolist())))
    row = _tidy(res, row="stage", column="P between cohorts").set_index("statistic")
    assert row.loc["p", "value"] == pytest.approx(p, rel=1e-10)
    assert row.loc["statistic", "value"] == pytest.approx(stat, rel=1e-10)
    assert (row["n"] == n).all() and row["cohort"].isna().all()
    sizes = _tidy(res, row="N").set_index(["cohort", "column"])["value"]
    assert sizes[("external", "EPR")] == sum(STAGE[("external", 1)])


def test_tidy_continuous_summaries_and_t_test_equal_r(result):
    data, res = result
    ro = _r()
    part = data[data.cohort == "training"]
    a, b = part.loc[part.EPR == 0, "age"], part.loc[part.EPR == 1, "age"]
    want = list(ro.r(CONTINUOUS)(ro.FloatVector(a.tolist()), ro.FloatVector(b.tolist())))
    tidy = _tidy(res, row="age", cohort="training")
    for j, group in enumerate(["Non-EPR", "EPR"]):
        got = tidy[tidy.column == group].set_index("statistic")["value"]
        for k, stat in enumerate(["mean", "sd", "median", "q1", "q3"]):
            assert got[stat] == pytest.approx(want[5 * j + k], rel=1e-12), (group, stat)
    test = tidy[tidy.column == "P"].set_index("statistic")
    assert test.loc["p", "value"] == pytest.approx(want[10], rel=1e-10)
    # R compares the groups in its factor order (alphabetical labels: 'EPR' before 'Non-EPR'), so t is
    # mean(EPR) - mean(Non-EPR) over its SE: the sign of t.test(Non-EPR, EPR) reversed
    assert sorted(["Non-EPR", "EPR"])[0] == "EPR"
    assert test.loc["statistic", "value"] == pytest.approx(-want[11], rel=1e-10)
    assert test.loc["df", "value"] == pytest.approx(want[12], rel=1e-10)
    assert set(test["model"]) == {"welch"}


def test_result_tables_write_and_frozen(result, tmp_path):
    _, res = result
    assert [t.name for t in res.tables()] == ["table1", "table1_tests"]
    assert res.table1() is res.table
    assert list(res.table.columns[:5]) == ["Variable", "Level", "training Non-EPR (n=60)", "training EPR (n=60)",
                                           "training P"]
    paths = res.write(tmp_path, ["csv", "md"], note="A note.")
    assert sorted(p.name for p in paths) == ["table1.csv", "table1.md", "table1_tests.csv"]
    assert "A note." in (tmp_path / "table1.md").read_text(encoding="utf-8")
    assert list(res.tidy().columns) == list(TIDY_COLUMNS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.name = "other"


@pytest.mark.parametrize("label", ["training ", "Training", " training"])
def test_cohort_label_written_two_ways_is_refused(label, r):
    data = _patients().astype({"cohort": object})
    data.loc[[5, 6], "cohort"] = label
    with pytest.raises(InputError) as exc:
        ep.table1(data, "EPR", ["stage"], cohort_col="cohort")
    assert "'training'" in exc.value.problem and repr(label) in exc.value.problem


def test_command_refuses_a_trailing_space_with_exit_2(run_cli, tmp_path, r):
    data = _patients().astype({"cohort": object})
    data.loc[[5, 6], "cohort"] = "training "
    src = tmp_path / "patients.csv"
    data.to_csv(src, index=False)
    code, _, err = run_cli("table1", src, "--outcome", "EPR", "--cohort-col", "cohort", "--variables", "stage",
                           "--out", tmp_path / "out" / "table1")
    assert code == 2 and "'training'" in err and "'training '" in err and "Fix:" in err
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


def test_command_and_api_write_the_same_bytes(result, run_cli, tmp_path, r):
    data, _ = result
    src = tmp_path / "patients.csv"
    data.to_csv(src, index=False)
    code, _, err = run_cli("table1", src, "--outcome", "EPR", "--cohort-col", "cohort", "--variables",
                           "stage,age", "--type", "age=normal", "--outcome-labels", "Non-EPR,EPR",
                           "--formats", "csv,md,docx", "--out", tmp_path / "cmd" / "table1")
    assert code == 0, err
    from eprstats.fileio import read_csv
    res = ep.table1(read_csv(src), "EPR", ["stage", "age"], cohort_col="cohort", types={"age": "normal"},
                    outcome_labels=("Non-EPR", "EPR"))
    for p in res.write(tmp_path / "api", ["csv", "md", "docx"]):
        assert (tmp_path / "cmd" / p.name).read_bytes() == p.read_bytes(), p.name
