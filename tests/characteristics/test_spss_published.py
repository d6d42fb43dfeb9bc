"""Table 1's SPSS options against published IBM SPSS Statistics output, every printed number at its printed
precision.

Source: the R package mariposa (github.com/YannickDiehl/mariposa), which validates itself against SPSS and
publishes SPSS's text output (OMS, SPSS 27 or later: "One-Sided p / Two-Sided p") with the syntax that made it:

* ``tests/spss_reference/outputs/t_test_basic_output.txt`` (``T-TEST GROUPS=gender(1 2) /VARIABLES=age income
  life_satisfaction``, ``T-TEST GROUPS=region(1 2) /VARIABLES=life_satisfaction``; Group Statistics,
  Independent Samples Test, Levene's Test for Equality of Variances),
* ``tests/spss_reference/outputs/t_test_output.txt`` and ``levene_test_output.txt`` (the same T-TEST after
  ``SPLIT FILE BY region``: each region's t rows and Levene test),
* ``tests/spss_reference/outputs/mann_whitney_output.txt`` (``NPAR TESTS /M-W= ... BY gender(1 2)``),
* ``tests/spss_reference/outputs/oneway_anova_output.txt`` (``ONEWAY ... BY education /STATISTICS WELCH``),
* ``tests/spss_reference/outputs/chi_squared_basic_output.txt`` (``CROSSTABS /STATISTICS=CHISQ``),

all on ``survey_data.sav``: 2500 synthetic respondents that the package generates with seeded R code,
``data-raw/generate_survey_data.R`` (``set.seed(2024)``; gender 1 = Male, 2 = Female; region 1 = East,
2 = West; education Hauptschule, Realschule, Gymnasium, University, which the later .sav labels Basic,
Intermediate, Academic Secondary and University). ``data/spss_survey_data.csv`` is that script run here
(R 4.2, dplyr 1.0.10), its columns id, gender, region, education, employment, age, income and
life_satisfaction; the published descriptives (Group Statistics, ONEWAY Descriptives, the crosstabulations)
are asserted first, so a test fails if the copy is not SPSS's data.

SPSS prints a t-test's Mann-Whitney U as the smaller of U1 and U2, its Wilcoxon W as the rank sum of that
group and its Z from that U (so negative); ``continuous_test`` returns U of group 1 and Z signed by group 1:
the test converts (U = min(U1, n1 n2 - U1)), it computes nothing else. SPSS 27+ also prints the one-sided p
of each t row, half the two-sided p.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.characteristics import categorical_test, continuous_test, table1
from eprstats.evaluation.models_result import spss_number

DATA = Path(__file__).parent / "data" / "spss_survey_data.csv"
ROW = ("t", "df", "p", "mean_difference", "se_difference", "ci_low", "ci_high")


@pytest.fixture(scope="module")
def survey():
    return pd.read_csv(DATA)


def _t_rows(res, digits, df_equal):
    """Both rows of the Independent Samples Test as SPSS prints them: t, df, One-Sided p, Two-Sided p, Mean
    Difference, Std. Error Difference, Lower, Upper (``digits`` decimals for the last four)."""
    rows = []
    for row, df_digits in (("equal", 0 if df_equal else 3), ("unequal", 3)):
        g = {k: res[f"{row}_{k}"] for k in ROW}
        rows.append([spss_number(g["t"]), spss_number(g["df"], df_digits), spss_number(g["p"] / 2),
                     spss_number(g["p"])] + [spss_number(g[k], digits) for k in ROW[3:]])
    return rows


def _levene(res):
    return spss_number(res["levene_f"]), spss_number(res["levene_p"])


# ---------------------------------------------------------------------------------------------
# The copy is SPSS's data
# ---------------------------------------------------------------------------------------------

def test_the_data_are_the_published_data(survey):
    """Group Statistics of T-TEST GROUPS=gender(1 2) and region(1 2): N, Mean, Std. Deviation, Std. Error Mean
    (age and income printed with 4 and 5 decimals, life satisfaction with 2 and 3)."""
    def stats(x, d_mean, d_sd):
        x = x.dropna()
        return [str(len(x)), spss_number(x.mean(), d_mean), spss_number(x.std(), d_sd),
                spss_number(x.std() / np.sqrt(len(x)), d_sd)]
    printed = {
        ("gender", "age", 4, 5): {"Male": ["1194", "50.4682", "17.15931", ".49659"],
                                  "Female": ["1306", "50.6240", "16.81293", ".46523"]},
        ("gender", "income", 4, 5): {"Male": ["1046", "3776.0038", "1430.04925", "44.21658"],
                                     "Female": ["1140", "3733.6842", "1435.65121", "42.52032"]},
        ("gender", "life_satisfaction", 2, 3): {"Male": ["1149", "3.60", "1.165", ".034"],
                                                "Female": ["1272", "3.65", "1.142", ".032"]},
        ("region", "life_satisfaction", 2, 3): {"East": ["465", "3.62", "1.207", ".056"],
                                                "West": ["1956", "3.63", "1.140", ".026"]},
    }
    for (by, var, d_mean, d_sd), groups in printed.items():
        for group, want in groups.items():
            assert stats(survey.loc[survey[by] == group, var], d_mean, d_sd) == want, (by, var, group)
    assert stats(survey["age"], 4, 5) == ["2500", "50.5496", "16.97602", ".33952"]  # One-Sample Statistics


# ---------------------------------------------------------------------------------------------
# T-TEST: Levene's test and both rows
# ---------------------------------------------------------------------------------------------

#: T-TEST GROUPS=gender(1 2): variable -> (decimals of the differences, Levene F and Sig., both rows)
GENDER = {
    "life_satisfaction": (3, ("1.277", ".258"),
                          [["-1.019", "2419", ".154", ".308", "-.048", ".047", "-.140", ".044"],
                           ["-1.018", "2384.147", ".154", ".309", "-.048", ".047", "-.140", ".044"]]),
    "age": (5, (".534", ".465"),
            [["-.229", "2498", ".409", ".819", "-.15587", ".67985", "-1.48900", "1.17726"],
             ["-.229", "2468.094", ".409", ".819", "-.15587", ".68047", "-1.49023", "1.17849"]]),
    "income": (5, (".057", ".811"),
               [[".690", "2184", ".245", ".490", "42.31961", "61.35430", "-77.99928", "162.63850"],
                [".690", "2169.337", ".245", ".490", "42.31961", "61.34398", "-77.97949", "162.61872"]]),
}


@pytest.mark.parametrize("variable", sorted(GENDER))
def test_t_test_by_gender_equals_the_published_output(r, survey, variable):
    digits, levene, rows = GENDER[variable]
    res = continuous_test(survey[variable], survey["gender"], "spss", order=["Male", "Female"])
    assert _levene(res) == levene
    assert _t_rows(res, digits, df_equal=True) == rows
    # Levene's Sig. >= .05 in all three: SPSS's reader takes the "Equal variances assumed" row
    assert res["spss"] == "t-test, Equal variances assumed" and res["p"] == res["equal_p"]


def test_t_test_by_region_equals_the_published_output(r, survey):
    res = continuous_test(survey["life_satisfaction"], survey["region"], "spss", order=["East", "West"])
    assert _levene(res) == ("3.164", ".075")
    assert _t_rows(res, 3, df_equal=True) == [
        ["-.185", "2419", ".427", ".853", "-.011", ".060", "-.128", ".106"],
        ["-.179", "674.676", ".429", ".858", "-.011", ".062", "-.132", ".110"]]
    assert res["spss"] == "t-test, Equal variances assumed"


#: SPLIT FILE BY region. T-TEST GROUPS=gender(1 2): (region, variable) -> decimals, Levene, both rows
BY_REGION = {
    ("East", "life_satisfaction"): (3, (".002", ".961"), [
        [".598", "463", ".275", ".550", ".067", ".112", "-.153", ".287"],
        [".598", "462.235", ".275", ".550", ".067", ".112", "-.153", ".287"]]),
    ("West", "life_satisfaction"): (3, ("1.575", ".210"), [
        ["-1.453", "1954", ".073", ".146", "-.075", ".052", "-.176", ".026"],
        ["-1.451", "1916.526", ".073", ".147", "-.075", ".052", "-.176", ".026"]]),
    ("East", "income"): (5, ("4.830", ".029"), [
        ["1.426", "427", ".077", ".155", "190.84737", "133.83880", "-72.21751", "453.91224"],
        ["1.420", "412.750", ".078", ".156", "190.84737", "134.38503", "-73.31706", "455.01180"]]),
    ("West", "income"): (5, ("1.781", ".182"), [
        [".087", "1755", ".465", ".930", "6.03322", "68.99648", "-129.29072", "141.35717"],
        [".088", "1748.855", ".465", ".930", "6.03322", "68.90101", "-129.10379", "141.17024"]]),
    ("East", "age"): (5, ("1.342", ".247"), [
        ["-.942", "483", ".173", ".347", "-1.48995", "1.58249", "-4.59935", "1.61946"],
        ["-.940", "477.409", ".174", ".348", "-1.48995", "1.58458", "-4.60356", "1.62367"]]),
    ("West", "age"): (5, (".110", ".740"), [
        [".193", "2013", ".423", ".847", ".14522", ".75219", "-1.32994", "1.62037"],
        [".193", "1988.415", ".424", ".847", ".14522", ".75253", "-1.33061", "1.62104"]]),
}


@pytest.fixture(scope="module")
def spss_table1(r, survey):
    """Table 1 of the survey as SPSS would print it: gender (Male = 0, Female = 1) within each region."""
    data = survey.assign(female=(survey["gender"] == "Female").astype(int))
    with pytest.warns(UserWarning, match="missing values"):   # SPSS too leaves them out, test by test
        return table1(data, "female", ["age", "income", "life_satisfaction"], cohort_col="region",
                      cohorts=["East", "West"], continuous_rule="spss", outcome_labels=("Male", "Female"),
                      types={v: "continuous" for v in ("age", "income", "life_satisfaction")})


@pytest.mark.parametrize("cohort, variable", sorted(BY_REGION))
def test_table1_spss_rule_equals_the_published_split_file_t_tests(spss_table1, cohort, variable):
    digits, levene, rows = BY_REGION[(cohort, variable)]
    got = spss_table1.tests.set_index(["variable", "comparison"]).loc[(variable, cohort)].to_dict()
    assert _levene(got) == levene
    assert _t_rows(got, digits, df_equal=True) == rows
    # the row SPSS's reader takes: East income's Levene Sig. .029 < .05, the Welch row; the others, Student's
    chosen = "unequal" if float(levene[1]) < 0.05 else "equal"
    assert got["spss"] == {"equal": "t-test, Equal variances assumed",
                           "unequal": "t-test, Equal variances not assumed"}[chosen]
    assert got["p"] == got[f"{chosen}_p"]
    shown = spss_table1.table.set_index("Variable").loc[variable, f"{cohort} P"].rstrip("*")
    assert shown.replace("0.", ".", 1) == rows[chosen == "unequal"][3]        # Two-Sided p of that row


def test_table1_between_regions_equals_the_published_t_test(spss_table1):
    got = spss_table1.tests.set_index(["variable", "comparison"]).loc[("life_satisfaction",
                                                                       "between cohorts")].to_dict()
    assert _levene(got) == ("3.164", ".075")
    assert _t_rows(got, 3, df_equal=True)[0] == ["-.185", "2419", ".427", ".853", "-.011", ".060", "-.128",
                                                 ".106"]


def test_table1_command_writes_the_published_numbers(r, survey, run_cli, tmp_path):
    """``eprstats table1 --continuous-rule spss``: the tests file holds East's income test as SPSS printed it,
    the Welch row chosen by Levene's Sig. .029."""
    path = tmp_path / "survey.csv"
    survey[survey.region == "East"].assign(female=lambda d: (d["gender"] == "Female").astype(int)).to_csv(
        path, index=False)
    code, _, err = run_cli("table1", path, "--outcome", "female", "--variables", "income", "--type",
                           "income=continuous", "--continuous-rule", "spss", "--out", tmp_path / "t1.csv")
    assert code == 0, err
    row = pd.read_csv(tmp_path / "t1_tests.csv").iloc[0].to_dict()
    digits, levene, rows = BY_REGION[("East", "income")]
    assert _levene(row) == levene and _t_rows(row, digits, df_equal=True) == rows
    assert row["spss"] == "t-test, Equal variances not assumed" and spss_number(row["p"]) == ".156"


# ---------------------------------------------------------------------------------------------
# NPAR TESTS /M-W: SPSS's asymptotic Mann-Whitney
# ---------------------------------------------------------------------------------------------

#: variable -> Mann-Whitney U, Wilcoxon W, Z, Asymp. Sig. (2-tailed) as printed
MANN_WHITNEY = {"life_satisfaction": ("714347.000", "1375022.000", "-.989", ".323"),
                "income": ("585963.000", "1236333.000", "-.696", ".486"),
                "age": ("776732.000", "1490147.000", "-.164", ".870")}


@pytest.mark.parametrize("variable", sorted(MANN_WHITNEY))
def test_mann_whitney_equals_the_published_npar_tests(r, survey, variable):
    res = continuous_test(survey[variable], survey["gender"], "nonnormal", mann_whitney="spss",
                          order=["Male", "Female"])
    known = survey.dropna(subset=[variable])
    n1, n2 = (int((known["gender"] == g).sum()) for g in ("Male", "Female"))
    u1 = res["statistic"]                        # U of group 1 (Male)
    u, n_u = (u1, n1) if u1 <= n1 * n2 - u1 else (n1 * n2 - u1, n2)
    w = u + n_u * (n_u + 1) / 2                  # that group's rank sum
    got = (spss_number(u), spss_number(w), spss_number(-abs(res["z"])), spss_number(res["p"]))
    assert got == MANN_WHITNEY[variable]
    assert res["spss"] == "Mann-Whitney U, Asymp. Sig. (2-tailed)"


# ---------------------------------------------------------------------------------------------
# ONEWAY: the ANOVA and Welch rows behind continuous_rule="spss" for more than two groups
# ---------------------------------------------------------------------------------------------

#: (variable, factor) -> group Ns (the data check), ANOVA F, df1, df (Within Groups), Sig., Welch statistic,
#: df1, df2, Sig.
ONEWAY = {("life_satisfaction", "education"): ({"Hauptschule": 809, "Realschule": 618, "Gymnasium": 607,
                                                "University": 387}, ("67.096", "3", "2417", ".000"),
                                               ("64.489", "3", "1229.456", ".000")),
          ("income", "education"): ({"Hauptschule": 735, "Realschule": 548, "Gymnasium": 548, "University": 355},
                                    ("466.494", "3", "2182", ".000"), ("418.250", "3", "978.181", ".000")),
          ("age", "education"): ({"Hauptschule": 841, "Realschule": 629, "Gymnasium": 631, "University": 399},
                                 ("1.451", "3", "2496", ".226"), ("1.464", "3", "1228.520", ".223")),
          ("life_satisfaction", "employment"): ({"Student": 75, "Employed": 1545, "Unemployed": 178,
                                                 "Retired": 511, "Other": 112}, ("2.109", "4", "2416", ".077"),
                                                ("2.809", "4", "301.749", ".026"))}


def _df2(value: float, printed: str) -> str:
    """ONEWAY prints an integer df as such and Welch's fractional df2 with 3 decimals."""
    return f"{value:.0f}" if "." not in printed else f"{value:.3f}"


@pytest.mark.parametrize("variable, factor", sorted(ONEWAY))
def test_oneway_anova_and_welch_equal_the_published_output(r, survey, variable, factor):
    sizes, anova, welch = ONEWAY[(variable, factor)]
    known = survey.dropna(subset=[variable])
    assert known[factor].value_counts().to_dict() == sizes
    got = {}
    for name, equal, printed in (("anova", True, anova), ("welch", False, welch)):
        res = continuous_test(known[variable], known[factor], "normal", var_equal=equal)
        got[name] = (spss_number(res["statistic"]), f"{res['df']:g}", _df2(res["df2"], printed[2]),
                     spss_number(res["p"]))
    assert (got["anova"], got["welch"]) == (anova, welch)
    # continuous_rule="spss" reports the row its Levene test picks, under ONEWAY's name
    spss = continuous_test(known[variable], known[factor], "spss")
    chosen = "anova" if spss["levene_p"] >= 0.05 else "welch"
    printed = anova if chosen == "anova" else welch
    assert (spss_number(spss["statistic"]), f"{spss['df']:g}", _df2(spss["df2"], printed[2]),
            spss_number(spss["p"])) == got[chosen]
    assert spss["spss"] == {"anova": "ANOVA", "welch": "Robust Tests of Equality of Means: Welch"}[chosen]


# ---------------------------------------------------------------------------------------------
# CROSSTABS: the Chi-Square Tests rows that categorical_test names
# ---------------------------------------------------------------------------------------------

def test_crosstabs_rows_equal_the_published_chi_square_tests(r, survey):
    counts = pd.crosstab(survey["gender"], survey["region"]).loc[["Male", "Female"], ["East", "West"]]
    assert counts.values.tolist() == [[238, 956], [247, 1059]]          # the printed Crosstabulation
    rows = {rule: categorical_test(counts.values, rule) for rule in ("pearson", "yates", "fisher")}
    got = {res["spss"]: (spss_number(res["statistic"]), f"{res['df']:g}", spss_number(res["p"]))
           for res in rows.values()}
    assert got["Pearson Chi-Square"] == (".415", "1", ".519")
    assert got["Continuity Correction"] == (".353", "1", ".553")
    assert got["Fisher's Exact Test (2-sided)"][2] == ".544"
    assert f"{rows['pearson']['min_expected']:.2f}" == "231.64"   # footnote a: the minimum expected count
    for row, col, want in (("gender", "education", ("3.470", "3", ".325", "190.56")),
                           ("region", "education", (".965", "3", ".810", "77.41"))):
        res = categorical_test(pd.crosstab(survey[row], survey[col]).values, "pearson")
        assert (spss_number(res["statistic"]), f"{res['df']:g}", spss_number(res["p"]),
                f"{res['min_expected']:.2f}") == want
        assert res["spss"] == "Pearson Chi-Square"
