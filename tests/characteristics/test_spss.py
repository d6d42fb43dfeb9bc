"""Table 1 as SPSS prints it: ``continuous_rule="spss"`` (T-TEST's row chosen by Levene's test),
``mann_whitney="spss"`` (NPAR TESTS' Asymp. Sig.) and SPSS's names of the chi-square rows.

Oracles: no published SPSS independent-samples t-test output together with its data was found in the
sources searched, so the numbers come from R called directly -- ``car::leveneTest(center = mean)`` (the
mean-centred Levene test SPSS's T-TEST and ONEWAY print; car's default is the median), ``t.test(var.equal =
TRUE / FALSE)`` (SPSS's "Equal variances assumed" / "not assumed" rows) and ``oneway.test`` -- and from
scipy (``mannwhitneyu(method="asymptotic", use_continuity=False)``: the tie-corrected normal approximation
without continuity correction that SPSS's "Asymp. Sig. (2-tailed)" is). Data: R's own data sets (mtcars,
ToothGrowth, InsectSprays, chickwts). Should an SPSS output with its data turn up, add its printed numbers
here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.characteristics import categorical_test, continuous_test, table1
from eprstats.characteristics.tests import SPSS_KEYS
from eprstats.errors import InputError

DEFAULT_TEST_COLUMNS = ["variable", "comparison", "test", "method", "statistic", "df", "p", "n", "min_expected",
                        "share_expected_below_5"]


@pytest.fixture(scope="module")
def car(r):
    if not r.evaluate('requireNamespace("car", quietly = TRUE)'):
        pytest.skip("the oracle car::leveneTest is not installed (scripts/setup.sh --test installs r-cran-car)")


@pytest.fixture(scope="module")
def rdata(r):
    def get(name):
        frame = r.evaluate(f"as.data.frame(lapply(datasets::{name}, function(v) if (is.factor(v)) "
                           "as.character(v) else v), stringsAsFactors = FALSE)")
        return frame.reset_index(drop=True)
    return get


def _oracle(r, x, g, first, second):
    """Levene (car, mean-centred) and both t rows, group ``first`` minus group ``second``, in R."""
    return r.evaluate("""
        a <- x[g == first]; b <- x[g == second]
        lev <- car::leveneTest(x, factor(g, levels = c(first, second)), center = mean)
        row <- function(eq) { t <- t.test(a, b, var.equal = eq)
          c(unname(t$statistic), unname(t$parameter), t$p.value, mean(a) - mean(b), t$stderr, t$conf.int) }
        list(F = lev[1, "F value"], df1 = lev[1, "Df"], df2 = lev[2, "Df"], p = lev[1, "Pr(>F)"],
             equal = row(TRUE), unequal = row(FALSE))""", x=np.asarray(x, float), g=np.asarray(g).astype(str),
                      first=first, second=second)


ROW = ("t", "df", "p", "mean_difference", "se_difference", "ci_low", "ci_high")


def _assert_spss_result(res, want):
    assert res["levene_f"] == pytest.approx(want["F"], rel=1e-10)
    assert (res["levene_df1"], res["levene_df2"]) == (want["df1"], want["df2"])
    assert res["levene_p"] == pytest.approx(want["p"], rel=1e-10)
    for row in ("equal", "unequal"):
        for k, value in zip(ROW, want[row]):
            assert res[f"{row}_{k}"] == pytest.approx(value, rel=1e-10, abs=1e-14), (row, k)


@pytest.mark.parametrize("dataset, value, group, levels, chosen", [
    ("mtcars", "mpg", "am", ["0", "1"], "unequal"),           # Levene p = 0.021: not assumed (Welch)
    ("ToothGrowth", "len", "supp", ["VC", "OJ"], "equal"),   # Levene p = 0.30: assumed (Student)
])
def test_levene_chooses_the_t_test_row_and_both_rows_equal_r(r, car, rdata, dataset, value, group, levels, chosen):
    d = rdata(dataset)
    g = d[group].map(lambda v: v if isinstance(v, str) else str(int(v)))      # mtcars' am is 0.0 / 1.0
    res = continuous_test(d[value], g, "spss", order=levels)
    want = _oracle(r, d[value], g, *levels)
    _assert_spss_result(res, want)
    name = {"equal": "t-test, Equal variances assumed", "unequal": "t-test, Equal variances not assumed"}[chosen]
    assert res["spss"] == name and res["test"] == {"equal": "student", "unequal": "welch"}[chosen]
    assert (want["p"] < 0.05) == (chosen == "unequal")
    assert (res["statistic"], res["df"], res["p"]) == (res[f"{chosen}_t"], res[f"{chosen}_df"], res[f"{chosen}_p"])
    assert res["kind"] == "normal"


@pytest.mark.parametrize("dataset, value, group, chosen", [
    ("InsectSprays", "count", "spray", "welch-anova"),   # Levene p = 6e-05: ONEWAY's Welch test
    ("chickwts", "weight", "feed", "anova"),             # Levene p = 0.43: the ANOVA
])
def test_more_groups_levene_chooses_anova_or_welch(r, car, rdata, dataset, value, group, chosen):
    d = rdata(dataset)
    res = continuous_test(d[value], d[group], "spss")
    want = r.evaluate("""
        lev <- car::leveneTest(x, factor(g), center = mean)
        o <- oneway.test(x ~ factor(g), var.equal = lev[1, "Pr(>F)"] >= 0.05)
        list(F = lev[1, "F value"], p = lev[1, "Pr(>F)"], stat = unname(o$statistic), op = o$p.value,
             df = unname(o$parameter[1]))""", x=d[value].to_numpy(float), g=d[group].to_numpy(str))
    assert res["test"] == chosen
    assert res["levene_f"] == pytest.approx(want["F"], rel=1e-10)
    assert res["levene_p"] == pytest.approx(want["p"], rel=1e-10)
    assert (res["statistic"], res["p"], res["df"]) == (pytest.approx(want["stat"], rel=1e-10),
                                                       pytest.approx(want["op"], rel=1e-10), want["df"])
    assert res["spss"] == {"anova": "ANOVA", "welch-anova": "Robust Tests of Equality of Means: Welch"}[chosen]


def test_mann_whitney_spss_is_the_tie_corrected_asymptotic_p(r, rdata):
    d = rdata("InsectSprays")
    d = d[d.spray.isin(["A", "C"])]                     # counts with ties
    a, b = d.loc[d.spray == "A", "count"], d.loc[d.spray == "C", "count"]
    res = continuous_test(d["count"], d["spray"], "nonnormal", mann_whitney="spss", order=["A", "C"])
    want = stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=False)
    assert res["p"] == pytest.approx(want.pvalue, rel=1e-10)
    assert res["statistic"] == want.statistic                       # U of group 1 (R's W)
    assert abs(res["z"]) == pytest.approx(stats.norm.isf(want.pvalue / 2), rel=1e-8)
    assert np.sign(res["z"]) == np.sign(want.statistic - len(a) * len(b) / 2)
    assert res["spss"] == "Mann-Whitney U, Asymp. Sig. (2-tailed)"
    # R's default stays: the continuity-corrected approximation (ties prevent the exact test)
    default = continuous_test(d["count"], d["spray"], "nonnormal")
    assert default["p"] == pytest.approx(stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True).pvalue,
                                         rel=1e-10)
    assert default["p"] != pytest.approx(res["p"], rel=1e-6)


@pytest.mark.parametrize("counts, rule, name", [
    ([[30, 20], [25, 35]], "pearson", "Pearson Chi-Square"),
    ([[30, 20], [25, 35]], "yates", "Continuity Correction"),
    ([[3, 9], [8, 2]], "fisher", "Fisher's Exact Test (2-sided)"),
    ([[3, 9], [8, 2]], "textbook", "Fisher's Exact Test (2-sided)"),      # n < 40
    ([[10, 12], [11, 9], [14, 8]], "yates", "Pearson Chi-Square"),         # no correction beyond 2x2 (R, SPSS)
])
def test_categorical_tests_carry_spss_row_names(r, counts, rule, name):
    assert categorical_test(counts, rule)["spss"] == name


@pytest.fixture(scope="module")
def cars(rdata):
    d = rdata("mtcars")
    d["am"] = d["am"].astype(int)
    d["cohort"] = np.where(d["vs"] == 1, "straight", "v-shaped")
    d["cyl"] = d["cyl"].astype(int)
    return d[["am", "cohort", "mpg", "hp", "cyl"]]


def test_table1_spss_rule_reports_levene_both_rows_and_the_chosen_p(r, car, cars):
    t = table1(cars, "am", ["mpg", "hp", "cyl"], cohort_col="cohort", cohorts=["v-shaped", "straight"],
               continuous_rule="spss", outcome_labels=("automatic", "manual"), types={"hp": "continuous"})
    tests = t.tests.set_index(["variable", "comparison"])
    assert list(t.tests.columns) == DEFAULT_TEST_COLUMNS + list(SPSS_KEYS)
    for cohort in ("v-shaped", "straight"):
        rows = cars[cars.cohort == cohort]
        g = np.where(rows.am == 1, "manual", "automatic")
        for var in ("mpg", "hp"):
            got = tests.loc[(var, cohort)].to_dict()
            want = _oracle(r, rows[var], g, "automatic", "manual")   # group 1 - group 2 in the table's order
            _assert_spss_result(got, want)
            chosen = "unequal" if want["p"] < 0.05 else "equal"
            assert got["p"] == got[f"{chosen}_p"] and got["spss"].endswith("not assumed" if chosen == "unequal"
                                                                         else "Equal variances assumed")
            shown = t.table.set_index("Variable").loc[var, f"{cohort} P"]
            assert shown.rstrip("*") == (f"{got['p']:.3f}" if got["p"] >= 0.001 else "<0.001")
    between = tests.loc[("mpg", "between cohorts")].to_dict()
    _assert_spss_result(between, _oracle(r, cars["mpg"], cars["cohort"], "v-shaped", "straight"))
    assert tests.loc[("cyl", "v-shaped"), "spss"] in ("Pearson Chi-Square", "Continuity Correction",
                                                      "Fisher's Exact Test (2-sided)")
    assert np.isnan(tests.loc[("cyl", "v-shaped"), "levene_f"])
    assert t.table.set_index("Variable").loc["mpg", "Level"] == "mean (SD)"
    assert "Levene" in t.tables()[0].note
    tidy = t.tidy()
    lev = tidy[(tidy.row == "mpg") & (tidy.statistic == "levene_p") & (tidy.cohort == "straight")]
    assert lev["value"].iloc[0] == tests.loc[("mpg", "straight"), "levene_p"]


def test_default_tests_table_keeps_its_columns_and_continuous_rule_now_applies(r, cars):
    default = table1(cars, "am", ["mpg", "hp", "cyl"])
    assert list(default.tests.columns) == DEFAULT_TEST_COLUMNS
    note = default.tables()[0].note  # the default's rule in the note (#15), not SPSS's
    assert "Shapiro-Wilk" in note and "Levene" not in note
    # --continuous-rule normal / nonnormal force the test of every 'continuous' variable (it was ignored)
    forced = table1(cars, "am", ["mpg", "hp"], continuous_rule="nonnormal").tests
    assert set(forced["test"]) == {"mann-whitney"}
    forced = table1(cars, "am", ["mpg", "hp"], continuous_rule="normal").tests
    assert set(forced["test"]) == {"welch"}
    with pytest.raises(InputError, match="Mann-Whitney"):
        table1(cars, "am", ["mpg"], mann_whitney="exact")


def test_command_writes_what_the_function_returns(r, run_cli, tmp_path, cars):
    from eprstats.fileio import read_csv
    path = tmp_path / "cars.csv"
    cars.to_csv(path, index=False)
    code, _, err = run_cli("table1", path, "--outcome", "am", "--cohort-col", "cohort", "--variables", "mpg,hp,cyl",
                           "--continuous-rule", "spss", "--mann-whitney", "spss", "--type", "hp=nonnormal",
                           "--out", tmp_path / "cli" / "t1.csv")
    assert code == 0, err
    result = table1(read_csv(path, "patient table"), "am", ["mpg", "hp", "cyl"], cohort_col="cohort",
                    continuous_rule="spss", mann_whitney="spss", types={"hp": "nonnormal"})
    api = result.write(tmp_path / "api", ["csv"])
    for p in api:
        name = p.name.replace("table1", "t1")
        assert (tmp_path / "cli" / name).read_bytes() == p.read_bytes(), name
    tests = pd.read_csv(tmp_path / "cli" / "t1_tests.csv")
    assert set(tests.loc[tests.variable == "hp", "spss"]) == {"Mann-Whitney U, Asymp. Sig. (2-tailed)"}
