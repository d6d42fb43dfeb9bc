"""Table 1 with mean (SD) and median (IQR) rows and more than two groups: the audit's checks, compare's matching
and audit-import's reading.

Oracles: R called directly. Patients are simulated in R with exactly the printed moments (``scale()``), so
that R's ``t.test`` / ``oneway.test`` on them are the tests of the printed summaries; every printed P is R's
(``t.test``, ``oneway.test``, ``wilcox.test``, ``kruskal.test``, ``chisq.test``). Published examples: Welch's
t from R's printed output quoted in a Q&A answer, and a textbook ANOVA from summary statistics.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.audit import audit, import_paper, read_paper
from eprstats.audit.compare import compare
from eprstats.audit.summary_tests import Arm, exact, oneway, oneway_range, pool, t_range, t_test
from eprstats.errors import InputError

# ------------------------------------------------------------------------------------------ the R oracle
#: group -> (n, {variable: (mean, SD)}); the printed summaries are these exact moments
SEED_GROUPS = {"train_non_epr": 70, "train_epr": 50, "external_non_epr": 35, "external_epr": 25}
MOMENTS = {"Age": [(58.3, 9.7), (61.9, 12.4), (57.6, 10.1), (62.8, 8.2)],
           "BMI": [(24.1, 3.2), (25.0, 3.4), (23.8, 2.9), (25.9, 3.6)]}

R_SEED = """
mk <- function(n, m, s, seed) { set.seed(seed); as.numeric(scale(rnorm(n))) * s + m }
ns <- c(70, 50, 35, 25)
g <- lapply(seq_along(ns), function(i) mk(ns[i], age_m[i], age_s[i], i))
b <- lapply(seq_along(ns), function(i) mk(ns[i], bmi_m[i], bmi_s[i], 10 + i))
z <- lapply(seq_along(ns), function(i) {
  set.seed(20 + i); round(exp(rnorm(ns[i], 3.4 + 0.15 * (i %% 2 == 0), 0.4)), 1) })
q <- t(sapply(z, function(v) quantile(v, c(0.5, 0.25, 0.75), type = 7)))
list(
  age = c(t.test(g[[1]], g[[2]])$p.value, t.test(g[[3]], g[[4]], var.equal = TRUE)$p.value,
          t.test(c(g[[1]], g[[2]]), c(g[[3]], g[[4]]))$p.value),
  age_other = c(t.test(g[[1]], g[[2]], var.equal = TRUE)$p.value, t.test(g[[3]], g[[4]])$p.value),
  bmi = c(t.test(b[[1]], b[[2]], var.equal = TRUE)$p.value, t.test(b[[3]], b[[4]], var.equal = TRUE)$p.value,
          t.test(c(b[[1]], b[[2]]), c(b[[3]], b[[4]]), var.equal = TRUE)$p.value),
  size = c(wilcox.test(z[[1]], z[[2]], exact = FALSE)$p.value, wilcox.test(z[[3]], z[[4]], exact = FALSE)$p.value,
           wilcox.test(c(z[[1]], z[[2]]), c(z[[3]], z[[4]]), exact = FALSE)$p.value),
  q = q,
  sex = c(chisq.test(matrix(c(30, 40, 20, 30), 2), correct = FALSE)$p.value,
          chisq.test(matrix(c(15, 20, 10, 15), 2), correct = FALSE)$p.value,
          chisq.test(matrix(c(50, 70, 25, 35), 2), correct = FALSE)$p.value))
"""


def f3(p):
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def cell(m, s):
    return f"{m} ({s})"


@pytest.fixture(scope="module")
def seed_r(r):
    return r.evaluate(R_SEED, age_m=np.array([m for m, _ in MOMENTS["Age"]]),
                      age_s=np.array([s for _, s in MOMENTS["Age"]]),
                      bmi_m=np.array([m for m, _ in MOMENTS["BMI"]]), bmi_s=np.array([s for _, s in MOMENTS["BMI"]]))


def write_seed_layout(out: Path, res) -> Path:
    """The seed's layout (published_table1.csv) with a counts variable, two mean (SD) rows and a median
    (IQR) row, every P R's."""
    out.mkdir(parents=True, exist_ok=True)
    cols = list(SEED_GROUPS)
    rows = [{"variable": "Sex", "level": "0", **dict(zip(cols, ["30", "20", "15", "10"])),
             "p_train": f3(res["sex"][0]), "p_external": f3(res["sex"][1]), "p_between_cohorts": f3(res["sex"][2]),
             "test": ""},
            {"variable": "Sex", "level": "1", **dict(zip(cols, ["40", "30", "20", "15"])),
             "p_train": "", "p_external": "", "p_between_cohorts": "", "test": ""}]
    for var, test in (("Age", ""), ("BMI", "t-test")):
        p = res[var.lower()]
        rows.insert(0 if var == "Age" else len(rows), {
            "variable": var, "level": "mean (SD)", **{c: cell(*ms) for c, ms in zip(cols, MOMENTS[var])},
            "p_train": f3(p[0]), "p_external": f3(p[1]), "p_between_cohorts": f3(p[2]), "test": test})
    q = np.asarray(res["q"])
    rows.append({"variable": "Tumour size", "level": "median (IQR)",
                 **{c: f"{q[i, 0]:.1f} ({q[i, 1]:.1f}-{q[i, 2]:.1f})" for i, c in enumerate(cols)},
                 "p_train": f3(res["size"][0]), "p_external": f3(res["size"][1]),
                 "p_between_cohorts": f3(res["size"][2]), "test": "Mann-Whitney U"})
    pd.DataFrame(rows).to_csv(out / "published_table1.csv", index=False)
    pd.DataFrame([{"where": "Figure 1", "cohort": "training", "n": 120, "events": 50, "nonevents": 70},
                  {"where": "Figure 1", "cohort": "external", "n": 60, "events": 25, "nonevents": 35}]).to_csv(
        out / "cohorts.csv", index=False)
    return out


#: published_table1_groups.csv: three grades in each of two cohorts (group sizes, Sex counts, Age and CRP moments)
GRADES = {"training": (40, 50, 30), "external": (20, 25, 15)}
SEX = {"training": ((15, 25), (22, 28), (13, 17)), "external": ((8, 12), (10, 15), (7, 8))}
GRADE_AGE = {"training": ((55.2, 9.1), (58.4, 10.3), (62.9, 11.8)),
             "external": ((56.0, 8.7), (57.1, 9.9), (63.5, 12.6))}
GRADE_CRP = {"training": ((4.1, 1.2), (5.3, 2.9), (6.0, 4.4)), "external": ((4.4, 1.1), (4.9, 2.5), (6.8, 4.1))}

R_GROUPS = """
mk <- function(n, m, s, seed) { set.seed(seed); as.numeric(scale(rnorm(n))) * s + m }
by_cohort <- function(ns, ms, ss, seed) lapply(1:3, function(i) mk(ns[i], ms[i], ss[i], seed + i))
f <- function(x) data.frame(v = unlist(x), g = factor(rep(seq_along(x), sapply(x, length))))
ta <- by_cohort(ntr, age_tr_m, age_tr_s, 100); ea <- by_cohort(nex, age_ex_m, age_ex_s, 200)
tc <- by_cohort(ntr, crp_tr_m, crp_tr_s, 300); ec <- by_cohort(nex, crp_ex_m, crp_ex_s, 400)
tz <- lapply(1:3, function(i) { set.seed(500 + i); round(exp(rnorm(ntr[i], 3.6 + 0.1 * i, 0.3)), 1) })
ez <- lapply(1:3, function(i) { set.seed(600 + i); round(exp(rnorm(nex[i], 3.6 + 0.1 * i, 0.3)), 1) })
q <- t(sapply(c(tz, ez), function(v) quantile(v, c(0.5, 0.25, 0.75), type = 7)))
list(
  age = c(oneway.test(v ~ g, f(ta), var.equal = TRUE)$p.value, oneway.test(v ~ g, f(ea), var.equal = TRUE)$p.value,
          t.test(unlist(ta), unlist(ea), var.equal = TRUE)$p.value),
  age_welch = c(oneway.test(v ~ g, f(ta))$p.value, oneway.test(v ~ g, f(ea))$p.value),
  crp = c(oneway.test(v ~ g, f(tc))$p.value, oneway.test(v ~ g, f(ec))$p.value, t.test(unlist(tc), unlist(ec))$p.value),
  alb = c(kruskal.test(tz)$p.value, kruskal.test(ez)$p.value,
          wilcox.test(unlist(tz), unlist(ez), exact = FALSE)$p.value),
  q = q,
  sex = c(chisq.test(sex_tr, correct = FALSE)$p.value, chisq.test(sex_ex, correct = FALSE)$p.value,
          chisq.test(rbind(colSums(sex_tr), colSums(sex_ex)), correct = FALSE)$p.value))
"""


@pytest.fixture(scope="module")
def groups_r(r):
    arr = lambda d, c, k: np.array([x[k] for x in d[c]], float)  # noqa: E731
    return r.evaluate(R_GROUPS, ntr=np.array(GRADES["training"], float), nex=np.array(GRADES["external"], float),
                      age_tr_m=arr(GRADE_AGE, "training", 0), age_tr_s=arr(GRADE_AGE, "training", 1),
                      age_ex_m=arr(GRADE_AGE, "external", 0), age_ex_s=arr(GRADE_AGE, "external", 1),
                      crp_tr_m=arr(GRADE_CRP, "training", 0), crp_tr_s=arr(GRADE_CRP, "training", 1),
                      crp_ex_m=arr(GRADE_CRP, "external", 0), crp_ex_s=arr(GRADE_CRP, "external", 1),
                      sex_tr=np.array(SEX["training"], float).T, sex_ex=np.array(SEX["external"], float).T)


def write_groups(out: Path, res) -> Path:
    """published_table1_groups.csv: grades I-III within each cohort, an N row, Sex counts (chi-square over 3
    groups), Age (ANOVA), CRP (Welch's ANOVA), albumin as median (IQR) (Kruskal-Wallis); P within each cohort
    and between the cohorts (each cohort's grades pooled)."""
    out.mkdir(parents=True, exist_ok=True)
    cols = [f"{c}:grade {g}" for c in GRADES for g in ("I", "II", "III")]
    ps = ("p:training", "p:external", "p:between")
    blank = dict.fromkeys(ps, "")
    q = np.asarray(res["q"])
    rows = [{"variable": "N", "level": "", **dict(zip(cols, [str(n) for c in GRADES for n in GRADES[c]])), **blank,
             "test": ""}]
    for k, level in enumerate(("female", "male")):
        rows.append({"variable": "Sex", "level": level,
                     **dict(zip(cols, [str(s[k]) for c in GRADES for s in SEX[c]])),
                     **(dict(zip(ps, map(f3, res["sex"]))) if k == 0 else blank),
                     "test": "chi-square" if k == 0 else ""})
    for var, moments, key, test in (("Age", GRADE_AGE, "age", "ANOVA"), ("CRP", GRADE_CRP, "crp", "Welch")):
        rows.append({"variable": var, "level": "mean ± SD",
                     **dict(zip(cols, [f"{m} ± {s}" for c in GRADES for m, s in moments[c]])),
                     **dict(zip(ps, map(f3, res[key]))), "test": test})
    rows.append({"variable": "Albumin", "level": "median [IQR]",
                 **{c: f"{q[i, 0]:.1f} [{q[i, 1]:.1f}, {q[i, 2]:.1f}]" for i, c in enumerate(cols)},
                 **dict(zip(ps, map(f3, res["alb"]))), "test": "Kruskal-Wallis"})
    pd.DataFrame(rows).to_csv(out / "published_table1_groups.csv", index=False)
    pd.DataFrame([{"where": "Methods", "cohort": "training", "n": 120, "events": 50, "nonevents": 70},
                  {"where": "Methods", "cohort": "external", "n": 60, "events": 25, "nonevents": 35}]).to_csv(
        out / "cohorts.csv", index=False)
    return out


def _audit(folder):
    return audit(folder).table.set_index("check_id")


def _findings(table):
    return set(table.index[table["verdict"] == "not reproduced"])


# ------------------------------------------------------------------------------------------ the tests themselves
R_MOMENTS = """
mk <- function(n, m, s, seed) { set.seed(seed); as.numeric(scale(rnorm(n))) * s + m }
x <- lapply(seq_along(n), function(i) mk(n[i], m[i], s[i], i))
d <- data.frame(v = unlist(x), g = factor(rep(seq_along(n), n)))
if (length(n) == 2) {
  st <- t.test(x[[1]], x[[2]], var.equal = TRUE); we <- t.test(x[[1]], x[[2]])
  list(two = TRUE, student = c(st$statistic, st$parameter, st$p.value),
       welch = c(we$statistic, we$parameter, we$p.value),
       anova = as.numeric(unlist(oneway.test(v ~ g, d, var.equal = TRUE)[c("statistic", "p.value")])))
} else {
  a <- oneway.test(v ~ g, d, var.equal = TRUE); w <- oneway.test(v ~ g, d)
  list(two = FALSE, anova = c(a$statistic, a$parameter, a$p.value), welch = c(w$statistic, w$parameter, w$p.value))
}
"""


@pytest.mark.parametrize("n, m, s", [
    ((70, 50), (58.3, 61.9), (9.7, 12.4)),
    ((12, 31), (1.25, 0.83), (0.4, 1.9)),
    ((40, 50, 30), (55.2, 58.4, 62.9), (9.1, 10.3, 11.8)),
    ((8, 15, 22, 9, 30), (3.1, 2.7, 3.9, 2.2, 3.3), (0.9, 1.6, 0.7, 1.1, 2.4)),
])
def test_summary_statistic_tests_are_rs_own(r, n, m, s):
    """Student's and Welch's t, one-way ANOVA and Welch's ANOVA from n, mean and SD against R's t.test and
    oneway.test on data with exactly those moments (scale()): statistic, df and p to 1e-12."""
    res = r.evaluate(R_MOMENTS, n=np.array(n, float), m=np.array(m, float), s=np.array(s, float))
    arms = [exact(*g) for g in zip(n, m, s)]
    if len(n) == 2:
        for key, equal in (("student", True), ("welch", False)):
            mine = t_test(arms, equal)
            assert (mine["t"], mine["df"], mine["p"]) == pytest.approx(tuple(res[key]), abs=1e-12, rel=1e-12)
        f = oneway(arms, True)     # with two groups, ANOVA's F is Student's t squared
        assert (f["F"], f["p"]) == pytest.approx(tuple(res["anova"]), abs=1e-12, rel=1e-12)
    else:
        for key, equal in (("anova", True), ("welch", False)):
            mine = oneway(arms, equal)
            assert (mine["F"], mine["df1"], mine["df2"], mine["p"]) == pytest.approx(tuple(res[key]), abs=1e-12,
                                                                                      rel=1e-12)


def test_published_welch_example():
    """R's printed output of t.test(ts1, ts2) quoted in a Q&A answer on Welch's CI (boxhoidap.com, "welchs t-test
    confidence interval python"): t = -1.8325, df = 17.9, p-value = 0.08356; here from n, mean and SD only."""
    ts1 = np.array([11, 9, 10, 11, 10, 12, 9, 11, 12, 9], float)
    ts2 = np.array([11, 13, 10, 13, 12, 9, 11, 12, 12, 11], float)
    res = t_test([exact(10, ts1.mean(), ts1.std(ddof=1)), exact(10, ts2.mean(), ts2.std(ddof=1))], False)
    assert (round(res["t"], 4), round(res["df"], 1), round(res["p"], 5)) == (-1.8325, 17.9, 0.08356)


def test_published_anova_from_summary_statistics(r):
    """A textbook one-way ANOVA from summary statistics: three groups of 5, means 72, 78, 84, variances 16, 20,
    18: F = 10 with df (2, 12) (stemcalculators.app, "f on a test"); its p is R's pf."""
    res = oneway([exact(5, 72, 4.0), exact(5, 78, 20 ** 0.5), exact(5, 84, 18 ** 0.5)], True)
    assert res["F"] == pytest.approx(10, abs=1e-12) and (res["df1"], res["df2"]) == (2, 12)
    assert res["p"] == pytest.approx(r.evaluate("pf(10, 2, 12, lower.tail = FALSE)"), abs=1e-12)


R_BOX = """
mk <- function(n, m, s, seed) { set.seed(seed); as.numeric(scale(rnorm(n))) * s + m }
t(apply(M, 1, function(v) {
  k <- length(n); x <- lapply(seq_len(k), function(i) mk(n[i], v[i], v[k + i], i))
  d <- data.frame(v = unlist(x), g = factor(rep(seq_len(k), n)))
  if (k == 2) c(t.test(x[[1]], x[[2]], var.equal = TRUE)$p.value, t.test(x[[1]], x[[2]])$p.value)
  else c(oneway.test(v ~ g, d, var.equal = TRUE)$p.value, oneway.test(v ~ g, d)$p.value)
}))
"""


@pytest.mark.parametrize("n, m, s", [((70, 50), (58.3, 61.9), (9.7, 12.4)), ((12, 31), (1.3, 0.8), (0.4, 1.9)),
                                     ((20, 25, 15), (4.4, 4.9, 6.8), (1.1, 2.5, 4.1))])
def test_p_range_holds_every_value_that_prints_as_the_summaries(r, n, m, s):
    """Every mean and SD that prints as the summaries (the corners of the rounding box and random points in
    it) gives, by R's t.test / oneway.test, a p inside the range the audit uses: no false flag."""
    rng = np.random.default_rng(5)
    k = len(n)
    centre = np.array(m + s, float)
    corners = np.array([[(c >> i) & 1 for i in range(2 * k)] for c in range(2 ** (2 * k))], float) - 0.5
    points = centre + 0.1 * np.vstack([corners, rng.uniform(-0.5, 0.5, (20, 2 * k))])
    ps = np.asarray(r.evaluate(R_BOX, n=np.array(n, float), M=points))
    arms = [Arm(n[i], m[i] - 0.05, m[i] + 0.05, s[i] - 0.05, s[i] + 0.05) for i in range(k)]
    for j, equal in enumerate((True, False)):
        lo, hi = t_range(arms, equal) if k == 2 else oneway_range(arms, equal)
        inside = (ps[:, j] >= lo - 1e-12) & (ps[:, j] <= hi + 1e-12)
        assert inside.all(), (equal, lo, hi, ps[:, j].min(), ps[:, j].max())


def test_pooled_groups_are_the_cohorts_moments(r):
    """A cohort's mean and SD from its outcome groups' printed summaries are R's mean and sd of the cohort."""
    got = r.evaluate("mk <- function(n, m, s, seed) { set.seed(seed); as.numeric(scale(rnorm(n))) * s + m };"
                     "x <- c(mk(70, 58.3, 9.7, 1), mk(50, 61.9, 12.4, 2)); c(mean(x), sd(x))")
    pooled = pool([exact(70, 58.3, 9.7), exact(50, 61.9, 12.4)])
    assert (pooled.mean, pooled.sd) == pytest.approx(tuple(got), abs=1e-12)


# ------------------------------------------------------------------------------------------ the audit
def test_seed_layout_continuous_rows(seed_r, tmp_path):
    """published_table1.csv with mean (SD) and median (IQR) rows: each P names the t-test R used, the medians'
    P values are not checkable, nothing is flagged."""
    t = _audit(write_seed_layout(tmp_path / "paper", seed_r))
    assert _findings(t) == set()
    age = {c: t.loc[f"T1-P-Age-{c}"] for c in ("training", "external", "between")}
    # training: R's Welch t.test (0.090); its Student p (0.077) does not print as 0.090 over the rounding
    assert age["training"]["evidence"].startswith("reproduced by: Welch's t;")
    assert f"Welch's t p={seed_r['age'][0]:.4f}" in age["training"]["recomputed"]
    assert f"Student's t p={seed_r['age_other'][0]:.4f}" in age["training"]["recomputed"]
    # external: Student's (var.equal = TRUE, 0.038); Welch's would be 0.032
    assert age["external"]["evidence"].startswith("reproduced by: Student's t;")
    assert f"Welch's t p={seed_r['age_other'][1]:.4f}" in age["external"]["recomputed"]
    # between cohorts: each cohort's two groups pooled, R's Welch test of the two cohorts' patients
    assert "Welch's t" in age["between"]["evidence"].split(";")[0] and "n=70+50 vs 35+25" in age["between"]["evidence"]
    assert f"Welch's t p={seed_r['age'][2]:.4f}" in age["between"]["recomputed"]
    assert "the paper names a t-test" in t.loc["T1-P-BMI-external", "evidence"]
    for c in ("training", "external", "between"):
        row = t.loc[f"T1-P-Tumour size-{c}"]
        assert row["verdict"] == "not checkable" and "rank test" in row["evidence"]
    assert t.loc["T1-SUM-Tumour size", "verdict"] == "reproduced" and t.loc["T1-SUM-Age", "verdict"] == "reproduced"
    assert t.loc["T1-P-Sex-training", "verdict"] == "reproduced" and "T1-RULE" in t.index
    assert t.loc["T1-RULE", "quoted"] == "3 p-values"          # the counts' rule summary ignores the means


def test_planted_mean_is_found_and_nothing_else(seed_r, tmp_path):
    """One mean changed (external EPR age 62.8 -> 59.8): its P is not reproduced; every other row's verdict is
    as in the clean paper."""
    clean = _audit(write_seed_layout(tmp_path / "clean", seed_r))
    folder = write_seed_layout(tmp_path / "planted", seed_r)
    t1 = pd.read_csv(folder / "published_table1.csv", dtype=str, keep_default_na=False)
    t1.loc[t1.variable == "Age", "external_epr"] = "59.8 (8.2)"
    t1.to_csv(folder / "published_table1.csv", index=False)
    planted = _audit(folder)
    assert "T1-P-Age-external" in _findings(planted)
    assert _findings(planted) <= {"T1-P-Age-external", "T1-P-Age-between"}
    same = [c for c in clean.index if not c.startswith("T1-P-Age-")]
    assert (planted.loc[same, "verdict"] == clean.loc[same, "verdict"]).all()


def test_planted_impossible_summaries(seed_r, tmp_path):
    folder = write_seed_layout(tmp_path / "paper", seed_r)
    t1 = pd.read_csv(folder / "published_table1.csv", dtype=str, keep_default_na=False)
    t1.loc[t1.variable == "Tumour size", "train_epr"] = "34.3 (36.9-47.0)"     # Q1 above the median
    t1.loc[t1.variable == "BMI", "train_non_epr"] = "24.1 (-3.2)"              # a negative SD
    t1.to_csv(folder / "published_table1.csv", index=False)
    t = _audit(folder)
    assert _findings(t) == {"T1-SUM-Tumour size", "T1-SUM-BMI"}
    assert "train_epr: 34.3 (36.9-47.0)" in t.loc["T1-SUM-Tumour size", "evidence"]
    assert t.loc["T1-P-BMI-training", "verdict"] == "not checkable"
    assert t.loc["T1-P-BMI-external", "verdict"] == "reproduced"               # the other cohort is untouched


def test_groups_table_k_groups(groups_r, tmp_path):
    """published_table1_groups.csv: three grades per cohort. ANOVA and Welch's ANOVA as the paper names them,
    chi-square over 2 x 3 counts, group sizes against the cohorts; nothing flagged."""
    t = _audit(write_groups(tmp_path / "paper", groups_r))
    assert _findings(t) == set()
    age, crp = t.loc["T1G-P-Age-training"], t.loc["T1G-P-CRP-training"]
    assert age["evidence"].startswith("reproduced by: one-way ANOVA;") and "the paper names ANOVA" in age["evidence"]
    assert f"one-way ANOVA p={groups_r['age'][0]:.4f}" in age["recomputed"]
    assert f"Welch's ANOVA p={groups_r['age_welch'][0]:.4f}" in age["evidence"]
    assert crp["evidence"].startswith("reproduced by: Welch's ANOVA;")
    assert f"Welch's ANOVA p={groups_r['crp'][0]:.4f}" in crp["recomputed"]
    assert t.loc["T1G-P-Age-between", "evidence"].startswith("reproduced by: Student's t;")
    assert t.loc["T1G-P-CRP-between", "evidence"].startswith("reproduced by: Welch's t;")
    assert t.loc["T1G-P-Albumin-external", "verdict"] == "not checkable"
    assert f"p={groups_r['sex'][0]:.4f}" in t.loc["T1G-P-Sex-training", "recomputed"]
    assert "n=120, smallest expected count 12.50" in t.loc["T1G-P-Sex-training", "evidence"]    # 50 x 30 / 120
    assert t.loc["T1G-COHORT-training", "verdict"] == "reproduced"
    assert t.loc["T1G-N-external:grade II", "quoted"] == "25"


def test_groups_table_planted_errors(groups_r, tmp_path):
    folder = write_groups(tmp_path / "paper", groups_r)
    g = pd.read_csv(folder / "published_table1_groups.csv", dtype=str, keep_default_na=False)
    g.loc[g.variable == "N", "external:grade III"] = "16"                       # 20 + 25 + 16 = 61, not 60
    g.loc[g.variable == "CRP", "training:grade I"] = "5.1 ± 1.2"                 # a mean changed by 1.0
    g.to_csv(folder / "published_table1_groups.csv", index=False)
    t = _audit(folder)
    assert {"T1G-N-external:grade III", "T1G-COHORT-external", "T1G-P-CRP-training"} <= _findings(t)
    assert "the groups sum to 61, the cohort has n=60" in t.loc["T1G-COHORT-external", "evidence"]
    assert _findings(t) <= {"T1G-N-external:grade III", "T1G-COHORT-external", "T1G-P-CRP-training",
                            "T1G-P-CRP-between", "T1G-P-Age-external", "T1G-P-CRP-external"}


def test_three_cohorts_compared_by_one_p(r, tmp_path):
    """Three whole cohorts (columns training, internal, external) and one P over them: sizes from cohorts.csv,
    ANOVA from R's oneway.test."""
    n, m, s = (120, 60, 60), (58.3, 60.1, 55.4), (10.2, 9.4, 11.9)
    p = r.evaluate(R_MOMENTS, n=np.array(n, float), m=np.array(m, float), s=np.array(s, float))["anova"][-1]
    cohorts = ("training", "internal", "external")
    tmp_path.mkdir(exist_ok=True)
    pd.DataFrame([{"variable": "Age", "level": "mean (SD)", **{c: f"{a} ({b})" for c, a, b in zip(cohorts, m, s)},
                   "p": f3(p)}]).to_csv(tmp_path / "published_table1_groups.csv", index=False)
    pd.DataFrame([{"where": "Methods", "cohort": c, "n": k, "events": k // 3, "nonevents": k - k // 3}
                  for c, k in zip(cohorts, n)]).to_csv(tmp_path / "cohorts.csv", index=False)
    t = _audit(tmp_path)
    row = t.loc["T1G-P-Age-all"]
    assert row["verdict"] == "reproduced" and "one-way ANOVA" in row["evidence"].split(";")[0]
    assert f"one-way ANOVA p={p:.4f}" in row["recomputed"] and "n=120 vs 60 vs 60" in row["evidence"]


@pytest.mark.parametrize("file, column, value, message", [
    ("published_table1.csv", "train_epr", "61.9 / 12.4", r"is not a mean \(SD\) cell"),
    ("published_table1.csv", "test", "bootstrap", "unknown test"),
    ("published_table1.csv", "train_epr", "50.5", "is not a count"),
])
def test_bad_continuous_input_is_named(seed_r, tmp_path, file, column, value, message):
    folder = write_seed_layout(tmp_path / "paper", seed_r)
    t1 = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
    t1.loc[t1.variable == ("Sex" if value == "50.5" else "Age"), column] = value
    t1.to_csv(folder / file, index=False)
    with pytest.raises(InputError, match=message) as err:
        read_paper(folder)
    assert err.value.file.endswith(file) and err.value.column == column
    assert "row 3" in str(err.value) if value == "50.5" else "row 2" in str(err.value)   # the file's own line


def test_bad_groups_input_is_named(groups_r, tmp_path):
    folder = write_groups(tmp_path / "paper", groups_r)
    g = pd.read_csv(folder / "published_table1_groups.csv", dtype=str, keep_default_na=False)
    g.rename(columns={"p:external": "p:externl"}).to_csv(folder / "published_table1_groups.csv", index=False)
    with pytest.raises(InputError, match="'p:externl' names no cohort.*did you mean 'external'"):
        read_paper(folder)
    g.loc[g.variable == "Sex", "training:grade I"] = "15.5"
    g.to_csv(folder / "published_table1_groups.csv", index=False)
    with pytest.raises(InputError, match="row 3: '15.5' is not a count") as err:
        read_paper(folder)
    assert err.value.column == "training:grade I"


# ------------------------------------------------------------------------------------------ compare
R_RUN = """
set.seed(7)
d <- data.frame(cohort = rep(c("training", "external"), c(60, 40)), y = c(rep(0:1, c(35, 25)), rep(0:1, c(24, 16))))
d$age <- round(rnorm(100, 60 + 3 * d$y, 10), 1)
d$crp <- round(exp(rnorm(100, 1.2 + 0.3 * d$y, 0.6)), 2)
d$sex <- rbinom(100, 1, 0.5)
s <- do.call(rbind, lapply(c("training", "external"), function(co) do.call(rbind, lapply(0:1, function(g) {
  a <- d$age[d$cohort == co & d$y == g]; c <- d$crp[d$cohort == co & d$y == g]
  q <- quantile(c, c(0.5, 0.25, 0.75), type = 7)
  data.frame(cohort = co, y = g, mean = mean(a), sd = sd(a), median = q[[1]], q1 = q[[2]], q3 = q[[3]],
             male = sum(d$sex[d$cohort == co & d$y == g]), n = length(a))
}))))
p <- function(co, f) if (co == "between") f(d[d$cohort == "training", ], d[d$cohort == "external", ]) else
  f(d[d$cohort == co & d$y == 0, ], d[d$cohort == co & d$y == 1, ])
ps <- sapply(c("training", "external", "between"), function(co)
  c(p(co, function(a, b) t.test(a$age, b$age)$p.value),
    p(co, function(a, b) suppressWarnings(wilcox.test(a$crp, b$crp))$p.value)))   # ties: R's normal approximation
list(d = d, s = s, p_age = unname(ps[1, ]), p_crp = unname(ps[2, ]))
"""
COLS = {"train_non_epr": ("training", 0), "train_epr": ("training", 1), "external_non_epr": ("external", 0),
        "external_epr": ("external", 1)}


@pytest.fixture(scope="module")
def run(r, tmp_path_factory):
    """A run's Table 1 (eprstats' table1 on R's simulated patients, written as the command writes it) and the
    paper's numbers as R computes them from the same patients (mean, sd, quantile, t.test, wilcox.test)."""
    from eprstats.characteristics.table_one import table1

    res = r.evaluate(R_RUN)
    data = res["d"].reset_index(drop=True)
    result = table1(data, "y", ["age", "crp", "sex"], cohort_col="cohort", cohorts=["training", "external"],
                    types={"age": "normal", "crp": "nonnormal", "sex": "categorical"},
                    outcome_labels=("Non-EPR", "EPR"))
    folder = tmp_path_factory.mktemp("run")
    result.write(folder)
    return {"result": result, "folder": folder, "r": res}


def write_published(out: Path, res, mean_decimals=1) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    s = res["s"].set_index(["cohort", "y"])
    row = lambda col: s.loc[COLS[col]]  # noqa: E731
    rows = [{"variable": "age", "level": "mean (SD)",
             **{c: f"{row(c)['mean']:.{mean_decimals}f} ({row(c)['sd']:.1f})" for c in COLS},
             **dict(zip(("p_train", "p_external", "p_between_cohorts"), map(f3, res["p_age"])))},
            {"variable": "sex", "level": "1", **{c: str(int(row(c)["male"])) for c in COLS},
             "p_train": "", "p_external": "", "p_between_cohorts": ""},
            {"variable": "crp", "level": "median (IQR)",
             **{c: f"{row(c)['median']:.2f} ({row(c)['q1']:.2f}-{row(c)['q3']:.2f})" for c in COLS},
             **dict(zip(("p_train", "p_external", "p_between_cohorts"), map(f3, res["p_crp"])))}]
    pd.DataFrame(rows).to_csv(out / "published_table1.csv", index=False)
    pd.DataFrame([{"where": "Methods", "cohort": co, "n": int(s.loc[(co, 0), "n"] + s.loc[(co, 1), "n"]),
                   "events": int(s.loc[(co, 1), "n"]), "nonevents": int(s.loc[(co, 0), "n"])}
                  for co in ("training", "external")]).to_csv(out / "cohorts.csv", index=False)
    return out


def test_compare_continuous_cells_with_the_runs_table1(run, tmp_path):
    """Every mean, SD, median, Q1, Q3 and P that R computes from the patients equals the run's Table 1, read
    from its files; a mean changed in the paper is different by the units it moved."""
    paper = write_published(tmp_path / "paper", run["r"])
    cmp = compare(paper, run["folder"])
    f = cmp.frame
    assert (f["verdict"] == "equal").all(), f[f["verdict"] != "equal"][["row", "column", "statistic", "detail"]]
    cont = f[f["statistic"].isin(["mean", "sd", "median", "q1", "q3"])]
    assert len(cont) == 4 * 5 and set(cont["line"]) == {2, 4}
    assert len(f[(f["statistic"] == "p") & f["row"].isin(["age", "crp"])]) == 6
    assert f[f["row"] == "sex: 1"]["line"].eq(3).all()          # a count row between continuous rows keeps its line
    t1 = pd.read_csv(paper / "published_table1.csv", dtype=str, keep_default_na=False)
    mean = float(t1.loc[0, "train_epr"].split()[0])
    t1.loc[0, "train_epr"] = f"{mean + 0.3:.1f} " + t1.loc[0, "train_epr"].split()[1]
    t1.to_csv(paper / "published_table1.csv", index=False)
    moved = compare(paper, run["folder"]).differences()
    assert moved[["row", "column", "statistic"]].values.tolist() == [["age", "train_epr", "mean"]]
    assert moved["difference"].iloc[0] == pytest.approx(-3, abs=0.5)


def test_compare_precision_and_what_the_run_does_not_show(run, tmp_path):
    """The run's files print means with 2 decimals: a paper's 3 are not recomputed from them, but are from the
    result objects (unrounded); a mean the run does not show (it shows crp as a median) says so."""
    paper = write_published(tmp_path / "paper", run["r"], mean_decimals=3)
    files = compare(paper, run["folder"]).frame
    means = files[files["statistic"] == "mean"]
    assert (means["verdict"] == "not recomputed").all()
    assert means["detail"].str.contains("prints mean with 2 decimals, the paper with 3").all()
    objects = compare(paper, [run["result"]]).frame
    assert (objects["verdict"] == "equal").all()
    t1 = pd.read_csv(paper / "published_table1.csv", dtype=str, keep_default_na=False)
    t1.loc[2, "level"] = "mean (SD)"
    t1.loc[2, list(COLS)] = ["1.00 (0.50)"] * 4
    t1.to_csv(paper / "published_table1.csv", index=False)
    crp = compare(paper, run["folder"]).frame.query("row == 'crp' and statistic == 'mean'")
    assert (crp["verdict"] == "not recomputed").all()
    assert crp["detail"].str.contains("has no mean of 'crp' \\(it shows median, q1, q3\\)").all()


def test_compare_groups_file_by_the_runs_group_names(run, tmp_path):
    """published_table1_groups.csv named by the run's outcome groups (training:Non-EPR ...) is matched by name;
    a table of other groups (grades) is not recomputed, saying why."""
    res = run["r"]
    s = res["s"].set_index(["cohort", "y"])
    label = {0: "Non-EPR", 1: "EPR"}
    cols = {f"{co}:{label[g]}": (co, g) for co, g in COLS.values()}
    rows = [{"variable": "age", "level": "mean ± SD",
             **{c: f"{s.loc[k, 'mean']:.1f} ± {s.loc[k, 'sd']:.1f}" for c, k in cols.items()},
             "p:training": f3(res["p_age"][0]), "p:between": f3(res["p_age"][2])}]
    folder = tmp_path / "paper"
    folder.mkdir()
    pd.DataFrame(rows).to_csv(folder / "published_table1_groups.csv", index=False)
    write_published(tmp_path / "other", res)
    shutil.copy(tmp_path / "other" / "cohorts.csv", folder / "cohorts.csv")
    f = compare(folder, run["folder"]).frame
    assert len(f[f["file"] == "published_table1_groups.csv"]) == 10 and (f["verdict"] == "equal").all()
    grades = pd.DataFrame([{"variable": "age", "level": "mean (SD)", "training:grade I": "50.1 (9.0)",
                            "training:grade II": "60.2 (9.9)", "training:grade III": "65.0 (8.8)",
                            "p:training": "0.010"}])
    grades.to_csv(folder / "published_table1_groups.csv", index=False)
    f = compare(folder, run["folder"]).frame.query("file == 'published_table1_groups.csv'")
    assert (f["verdict"] == "not recomputed").all()
    assert f.query("statistic == 'mean'")["detail"].str.contains("has no group 'grade I' in training").any()
    assert f.query("statistic == 'p'")["detail"].iloc[0].endswith("this P compares 3 groups")


# ------------------------------------------------------------------------------------------ audit-import
CSV_PAPER = """Results

The training cohort (n=120) and the validation cohort (n=80) were enrolled. A total of 1130 radiomics features
were extracted from each ROI.

Table 1 | Baseline characteristics.
Variable,Level,Training non-event,Training event,Training P,Validation non-event,Validation event,Validation P,P between
Age (years),mean ± SD,58.3 ± 9.7,61.9 ± 12.4,0.090,57.6 ± 10.1,62.8 ± 8.2,0.038,0.983
BMI,mean (SD),24.1 (3.2),25.0 (3.4),0.142,23.8 (2.9),25.9 (3.6),0.015,0.703
Tumour size,median (Q1-Q3),30.7 (23.8-42.6),34.3 (26.9-47.0),0.111,30.0 (24.1-41.5),31.3 (27.3-41.6),0.368,0.332
CRP,median [IQR],"4.1 [2.2, 6.0]",5.3 [3.0–8.8],0.021,"4.4 [2.1, 7.7]","4.9 [2.5, 9.9]",0.412,0.770
Sex,male,40 (51.3%),25 (59.5%),0.390,24 (50.0%),17 (53.1%),0.786,0.902
,female,38 (48.7%),17 (40.5%),,24 (50.0%),15 (46.9%),,
"""
#: the schema rows each printed form becomes (variable, level, four groups, three P)
CSV_ROWS = [
    ["Age (years)", "mean (SD)", "58.3 (9.7)", "61.9 (12.4)", "57.6 (10.1)", "62.8 (8.2)", "0.090", "0.038", "0.983"],
    ["BMI", "mean (SD)", "24.1 (3.2)", "25.0 (3.4)", "23.8 (2.9)", "25.9 (3.6)", "0.142", "0.015", "0.703"],
    ["Tumour size", "median (IQR)", "30.7 (23.8-42.6)", "34.3 (26.9-47.0)", "30.0 (24.1-41.5)", "31.3 (27.3-41.6)",
     "0.111", "0.368", "0.332"],
    ["CRP", "median (IQR)", "4.1 (2.2-6.0)", "5.3 (3.0-8.8)", "4.4 (2.1-7.7)", "4.9 (2.5-9.9)",
     "0.021", "0.412", "0.770"],
    ["Sex", "male", "40", "25", "24", "17", "0.390", "0.786", "0.902"],
    ["Sex", "female", "38", "17", "24", "15", "", "", ""],
]


def _seed_layout_text(rows) -> str:
    """A Table 1 in the seed paper's layout (one cell per line after a tab, rows between blank lines)."""
    head = [["Variable", "Training cohort (n=120)", "External cohort (n=60)", "P-value"],
            ["Non-EPR", "EPR", "P-value", "Non-EPR", "EPR", "P-value"]]
    return "Results\n\nTable 1 | Characteristics of the patients.\n" + "\n\n\n".join(
        "\n".join(f"\t{c}" for c in r) for r in head + rows) + "\n"


def test_import_delimited_continuous_rows(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(CSV_PAPER, encoding="utf-8")
    draft = import_paper(path, out=tmp_path / "draft")
    t1 = pd.read_csv(tmp_path / "draft" / "published_table1.csv", dtype=str, keep_default_na=False)
    assert t1.values.tolist() == CSV_ROWS
    pct = pd.read_csv(tmp_path / "draft" / "published_table1_percent.csv", dtype=str, keep_default_na=False)
    assert pct["variable"].tolist() == ["Sex", "Sex"]                # percentages of counts only
    assert draft.frames["unplaced"].empty
    paper = read_paper(tmp_path / "draft")                             # a valid audit folder
    assert paper.table1_continuous["variable"].tolist() == ["Age (years)", "BMI", "Tumour size", "CRP"]
    checks = audit(tmp_path / "draft").table.set_index("check_id")
    assert checks.loc["T1-P-Tumour size-training", "verdict"] == "not checkable"
    assert checks.loc["T1-SUM-CRP", "verdict"] == "reproduced"


def test_import_seed_layout_continuous_rows(tmp_path):
    """The seed's one-cell-per-line layout: a variable alone on a row then its `Mean ± SD` row, or the
    variable and its summary in one label; a median with one number in brackets under ``median (IQR)`` is the
    median, its IQR printed as one number (Q3 - Q1) left unplaced (issue #22, held-out 4's rule)."""
    rows = [["Age (years)"],
            ["Mean ± SD", "58.3 ± 9.7", "61.9 ± 12.4", "0.090", "57.6 ± 10.1", "62.8 ± 8.2", "0.038", "0.983"],
            ["Tumour size, median [IQR]", "30.7 [23.8–42.6]", "34.3 [26.9–47.0]", "0.111", "30.0 [24.1–41.5]",
             "31.3 [27.3–41.6]", "0.368", "0.332"],
            ["Gender"], ["0", "14 (20.59%)", "7 (15.22%)", "0.468", "2 (8.70%)", "6 (30.00%)", "0.162", "0.979"],
            ["1", "54 (79.41%)", "39 (84.78%)", " ", "21 (91.30%)", "14 (70.00%)", " ", " "],
            ["AFP, median (IQR)", "12 (40)", "15 (38)", "0.2", "11 (35)", "19 (41)", "0.3", "0.4"]]
    path = tmp_path / "paper.txt"
    path.write_text(_seed_layout_text(rows), encoding="utf-8")
    frames = import_paper(path).frames
    assert frames["published_table1"].values.tolist() == [
        ["Age (years)", "mean (SD)", "58.3 (9.7)", "61.9 (12.4)", "57.6 (10.1)", "62.8 (8.2)",
         "0.090", "0.038", "0.983"],
        ["Tumour size", "median (IQR)", "30.7 (23.8-42.6)", "34.3 (26.9-47.0)", "30.0 (24.1-41.5)", "31.3 (27.3-41.6)",
         "0.111", "0.368", "0.332"],
        ["Gender", "0", "14", "7", "2", "6", "0.468", "0.162", "0.979"],
        ["Gender", "1", "54", "39", "21", "14", "", "", ""]]
    # every number of the table is a cell (docs/audit_import.md): the four AFP cells' IQRs are unplaced
    unplaced = frames["unplaced"]
    assert unplaced["reason"].str.contains("the IQR printed as one number").tolist() == [True] * 4
    assert sorted(set(unplaced["text"])) == ["11 (35)", "12 (40)", "15 (38)", "19 (41)"]
    assert sorted(frames["cohorts"]["n"]) == ["120", "60"]


def test_a_claim_repeating_a_continuous_rows_p_is_compared_with_the_table(seed_r, tmp_path):
    """``p_table1:Age:training`` in the text: compared with Table 1's mean (SD) row (R's Welch p); a text that
    misquotes it is found, the table's own row stays reproduced."""
    folder = write_seed_layout(tmp_path / "paper", seed_r)
    printed = f3(seed_r["age"][0])
    wrong = f"{float(printed) + 0.01:.3f}"
    pd.DataFrame([
        {"where": "Results", "quantity": "p_table1:Age:training", "value": printed, "numerator": "",
         "denominator": "", "quote": f"age (P = {printed})"},
        {"where": "Abstract", "quantity": "p_table1:Age:training", "value": wrong, "numerator": "",
         "denominator": "", "quote": f"age (P = {wrong})"}]).to_csv(folder / "claims.csv", index=False)
    t = _audit(folder)
    claims = t[t["kind"].astype(str).str.contains("claim") | t.index.str.startswith("CLAIM")]
    verdicts = dict(zip(claims["quoted"].astype(str), claims["verdict"]))
    assert verdicts[printed] == "reproduced" and verdicts[wrong] == "not reproduced", claims[["quoted", "verdict"]]
    assert t.loc["T1-P-Age-training", "verdict"] == "reproduced"
