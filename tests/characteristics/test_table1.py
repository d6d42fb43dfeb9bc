"""Table 1 against the published paper, R against scipy, and every branch of the test rule."""
from __future__ import annotations

import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.characteristics import categorical_test, continuous_test, table1
from eprstats.characteristics.published import patients_from_counts
from tests.conftest import SHARED_DATA

VARIABLES_ORDER = None


@pytest.fixture(scope="module")
def published_counts(published):
    return pd.read_csv(published / "published_table1.csv", dtype={"p_train": str, "p_external": str,
                                                                   "p_between_cohorts": str})


@pytest.fixture(scope="module")
def rebuilt(published_counts, r):
    data = patients_from_counts(published_counts, seed=7)
    variables = list(published_counts["variable"].unique())
    return data, variables, table1(data, "EPR", variables, cohort_col="cohort",
                                   cohorts=["training", "external"], outcome_labels=("Non-EPR", "EPR"))


def test_all_45_published_p_values_reproduce(published_counts, rebuilt):
    _, variables, result = rebuilt
    firsts = published_counts.dropna(subset=["p_train"]).set_index("variable")
    tests = result.tests.set_index(["variable", "comparison"])["p"]
    checked = 0
    for variable in variables:
        for column, comparison in (("p_train", "training"), ("p_external", "external"),
                                   ("p_between_cohorts", "between cohorts")):
            printed = firsts.loc[variable, column]
            decimals = len(printed.split(".")[1])
            assert round(tests[(variable, comparison)], decimals) == pytest.approx(float(printed)), \
                (variable, comparison, tests[(variable, comparison)], printed)
            checked += 1
    assert checked == 45


def test_textbook_rule_is_needed_pearson_alone_misses(published_counts, rebuilt):
    """The paper's p-values need the textbook rule: Pearson everywhere fails some of them."""
    data, variables, _ = rebuilt
    pearson = table1(data, "EPR", variables, cohort_col="cohort", cohorts=["training", "external"],
                     rule="pearson").tests.set_index(["variable", "comparison"])["p"]
    firsts = published_counts.dropna(subset=["p_train"]).set_index("variable")
    misses = [v for v in variables if round(pearson[(v, "external")], 3) != float(firsts.loc[v, "p_external"])]
    assert "BCLC" in misses and "Gender" in misses


def _paper_table1_cells():
    paper = sorted((SHARED_DATA.parent / "paper").glob("*.txt"))
    if not paper:
        pytest.skip("the paper's text is not beside the checkout")
    text = paper[0].read_text(encoding="utf-8")
    start = re.search(r"Table\s1 \| Characteristics", text).start()   # the paper uses a no-break space
    section = text[start:text.index("Chi-squared or Fisher")]
    return [(int(n), float(p)) for n, p in re.findall(r"(\d+) \((\d+(?:\.\d+)?)%\)", section)]


def test_counts_and_percentages_equal_the_papers_printed_cells(rebuilt):
    """Every 'n (xx.xx%)' cell of the paper's Table 1, read from the paper's text in order."""
    _, _, result = rebuilt
    printed = _paper_table1_cells()
    ours = []
    for _, row in result.table.iterrows():
        for col in result.table.columns[2:]:
            cell = row[col]
            if isinstance(cell, str) and "%" in cell:
                n, pct = re.match(r"(\d+) \((\d+\.\d+)%\)", cell).groups()
                ours.append((int(n), float(pct)))
    assert len(ours) == len(printed) == 128
    for (n, pct), (pn, ppct) in zip(ours, printed):
        assert n == pn
        assert pct == pytest.approx(ppct, abs=0.005 if ppct != int(ppct) else 0.5)


def test_layout_columns_and_stars(rebuilt):
    _, _, result = rebuilt
    cols = list(result.table.columns)
    assert cols[:5] == ["Variable", "Level", "training Non-EPR (n=68)", "training EPR (n=46)", "training P"]
    assert cols[-1] == "P between cohorts"
    afp = result.table[result.table["Variable"] == "AFP"].iloc[0]
    assert afp["training P"] == "0.031*"
    assert afp["training Non-EPR (n=68)"] == "54 (79.41%)"


@pytest.mark.parametrize("table", [
    [[5, 10], [10, 8]], [[1, 40], [0, 40]], [[3, 17], [9, 15]], [[20, 20], [20, 20]],
    [[0, 5], [20, 20], [20, 20]], [[30, 30], [30, 30], [1, 4]], [[6, 2], [30, 40]],
])
def test_rule_branches(table, r):
    m = np.asarray(table, float)
    e = np.outer(m.sum(1), m.sum(0)) / m.sum()
    n = m.sum()
    # the branch computed by hand from the rule's definition, independently of the R code
    if m.shape == (2, 2):
        hand = "fisher" if n < 40 or e.min() < 1 else ("yates" if e.min() < 5 else "pearson")
    else:
        hand = "fisher" if e.min() < 1 or (e < 5).mean() > 0.2 else "pearson"
    result = categorical_test(m, "textbook")
    assert result["test"] == hand
    assert result["min_expected"] == pytest.approx(e.min())


def test_each_branch_reached():
    """Tables built so that each branch of the rule is taken, with expected counts worked by hand."""
    # 2x2, n = 44: rows 20, 24; cols 12, 32 -> E11 = 20*12/44 = 5.45, all >= 5 -> pearson
    assert categorical_test([[3, 17], [9, 15]])["test"] == "pearson"
    # 2x2, n = 50: rows 6, 44; cols 10, 40 -> E11 = 6*10/50 = 1.2 in [1, 5) -> yates
    assert categorical_test([[4, 2], [6, 38]])["test"] == "yates"
    # 2x2, n = 30 < 40 -> fisher
    assert categorical_test([[10, 5], [5, 10]])["test"] == "fisher"
    # 2x2, n = 100: rows 2, 98; cols 30, 70 -> E11 = 0.6 < 1 -> fisher
    assert categorical_test([[2, 0], [28, 70]])["test"] == "fisher"
    # 3x2, n = 90: rows 40, 40, 10; cols 45, 45 -> E = 20, 20, 5: no cell < 5 -> pearson
    assert categorical_test([[20, 20], [25, 15], [5, 5]])["test"] == "pearson"
    # 3x2, n = 88: rows 40, 40, 8; cols 44, 44 -> E for row 3 = 4 < 5 in 2/6 = 33% > 20% -> fisher
    assert categorical_test([[20, 20], [20, 20], [4, 4]])["test"] == "fisher"
    # 4x2, n = 144: rows 45, 45, 45, 9; cols 64, 80 -> row 4: E = 9*64/144 = 4 (< 5) and 9*80/144 = 5,
    # so 1/8 = 12.5% of cells < 5 and none < 1 -> pearson
    res = categorical_test([[20, 25], [20, 25], [20, 25], [4, 5]])
    assert res["test"] == "pearson" and res["share_expected_below_5"] == pytest.approx(0.125)


def test_r_p_values_equal_scipy_on_random_tables(r):
    rng = np.random.default_rng(2024)
    compared = 0
    for _ in range(120):
        m = rng.integers(3, 40, size=(2, 2))
        p_pearson = stats.chi2_contingency(m, correction=False)[1]
        p_yates = stats.chi2_contingency(m, correction=True)[1]
        p_fisher = stats.fisher_exact(m)[1]
        assert categorical_test(m, "pearson")["p"] == pytest.approx(p_pearson, rel=1e-9)
        assert categorical_test(m, "yates")["p"] == pytest.approx(p_yates, rel=1e-9)
        assert categorical_test(m, "fisher")["p"] == pytest.approx(p_fisher, rel=1e-7)
        compared += 3
    for _ in range(80):
        m = rng.integers(5, 40, size=(rng.integers(3, 5), rng.integers(2, 4)))
        assert categorical_test(m, "pearson")["p"] == pytest.approx(stats.chi2_contingency(m)[1], rel=1e-9)
        compared += 1
    assert compared == 440


def test_fisher_larger_table_is_exact_not_monte_carlo(r):
    # measurements.md: R's exact fisher.test gives 0.01574 for this 4x2 table (scipy's is a Monte Carlo estimate)
    res = categorical_test([[0, 1], [5, 2], [10, 2], [8, 15]], "fisher")
    assert res["p"] == pytest.approx(0.01574, abs=5e-6)
    assert res["p"] == r.evaluate("fisher.test(m)$p.value", m=np.array([[0, 1], [5, 2], [10, 2], [8, 15]], float))


def test_continuous_tests_equal_scipy(r):
    rng = np.random.default_rng(3)
    a, b = rng.normal(50, 10, 40), rng.normal(55, 14, 35)
    res = continuous_test(np.r_[a, b], ["x"] * 40 + ["y"] * 35, kind="normal")
    assert res["test"] == "welch"
    assert res["p"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue, rel=1e-9)
    skewed_a, skewed_b = np.round(rng.exponential(3, 40)), np.round(rng.exponential(5, 35))
    res = continuous_test(np.r_[skewed_a, skewed_b], ["x"] * 40 + ["y"] * 35, kind="shapiro")
    # Shapiro-Wilk by scipy must also reject normality here, so the rule picks Mann-Whitney
    assert stats.shapiro(skewed_a).pvalue < 0.05
    assert res["test"] == "mann-whitney"
    expected = stats.mannwhitneyu(skewed_a, skewed_b, use_continuity=True, method="asymptotic").pvalue
    assert res["p"] == pytest.approx(expected, rel=1e-6)


def test_continuous_variable_in_table(r):
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"y": [0] * 30 + [1] * 30, "age": np.r_[rng.normal(50, 8, 30), rng.normal(58, 8, 30)]})
    result = table1(data, "y", ["age"])
    row = result.table.iloc[0]
    assert row["Level"] == "mean (SD)"
    a = data.age[data.y == 0]
    assert row.iloc[2] == f"{a.mean():.2f} ({a.std(ddof=1):.2f})"
    assert result.tests.iloc[0]["p"] == pytest.approx(
        stats.ttest_ind(a, data.age[data.y == 1], equal_var=False).pvalue, rel=1e-9)


def test_missing_values_are_counted_not_dropped(r):
    data = pd.DataFrame({"y": [0] * 25 + [1] * 25, "x": ([0, 1] * 12 + [None]) + ([1, 1, 0] * 8 + [None])})
    with pytest.warns(UserWarning, match=r"x: 2"):
        result = table1(data, "y", ["x"])
    missing_row = result.table[result.table["Level"] == "Missing"].iloc[0]
    assert missing_row.iloc[2] == "1" and missing_row.iloc[3] == "1"
    # the test uses the 48 known values: equal to R's chisq.test / fisher.test on that table
    assert result.tests.iloc[0]["n"] == 48


def test_docx_and_csv_outputs_are_byte_identical_on_rerun(tmp_path, published_counts, run_cli, r):
    data = patients_from_counts(published_counts, seed=1)
    src = tmp_path / "patients.csv"
    data.to_csv(src, index=False)
    outputs = []
    for run in ("a", "b"):
        code, out, err = run_cli("table1", src, "--outcome", "EPR", "--cohort-col", "cohort",
                                 "--variables", "AFP,BCLC,Tumor size", "--formats", "md,tex,docx,html",
                                 "--out", tmp_path / run / "table1")
        assert code == 0, err
        # files only: the writer keeps its list of the command's outputs in a hidden folder
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / run).iterdir()
                        if p.is_file() and not p.name.endswith("provenance.json")})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"table1.csv", "table1.md", "table1.tex", "table1.docx", "table1.html",
                               "table1_tests.csv"}
    with zipfile.ZipFile(tmp_path / "a" / "table1.docx") as z:
        assert "54 (79.41%)" in z.read("word/document.xml").decode()


@pytest.mark.parametrize("args, data, needle", [
    (["--outcome", "nope"], {"y": [0, 1, 0, 1], "x": [1, 2, 1, 2]}, "column 'nope'"),
    (["--outcome", "y"], {"y": [0, 1, 2, 1], "x": [1, 2, 1, 2]}, "coded 0 (no event)"),
    (["--outcome", "y"], {"y": [1, 1, 1, 1], "x": [1, 2, 1, 2]}, "only one class"),
    (["--outcome", "y", "--variables", "x"], {"y": [0, 1, 0, 1], "x": [3, 3, 3, 3]}, "single level"),
    (["--outcome", "y", "--variables", "z"], {"y": [0, 1, 0, 1], "x": [3, 3, 3, 3]}, "['z']"),
])
def test_bad_input_gives_one_paragraph_and_exit_2(tmp_path, run_cli, args, data, needle, r):
    src = tmp_path / "in.csv"
    pd.DataFrame(data).to_csv(src, index=False)
    code, out, err = run_cli("table1", src, *args, "--out", tmp_path / "t")
    assert code == 2
    assert needle in err and "Fix:" in err and "Traceback" not in err
    assert not (tmp_path / "t.csv").exists()


def test_unreadable_csv(tmp_path, run_cli):
    src = tmp_path / "latin1.csv"
    src.write_bytes("y,Geschlecht\n0,m\xe4nnlich\n".encode("latin-1"))
    code, _, err = run_cli("table1", src, "--outcome", "y")
    assert code == 2 and "not UTF-8" in err and "latin1.csv" in err
