"""Build the constructed papers under tests/audit/papers/ (run once; the CSVs are committed).

``clean/``: every number computed by R itself from simulated patients (chisq.test / fisher.test by the
textbook rule written out below, pROC's DeLong AUC CI and Youden operating point, pROC's paired DeLong
test, glm's Wald table), then printed the way a paper prints it. An audit of it must find nothing.

``planted/``: the clean paper with one error of each kind planted (see PLANTS); an audit must find each.

    python tests/audit/make_papers.py
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from eprstats import rbridge

HERE = Path(__file__).resolve().parent / "papers"
SIZES = {"training": (50, 70), "external": (25, 35)}     # events, non-events
#: Table 1 counts: variable -> levels, and per (cohort, group) the count of each level
TABLE1 = {
    "Sex": ([0, 1], {("training", 0): [30, 40], ("training", 1): [20, 30],
                     ("external", 0): [15, 20], ("external", 1): [10, 15]}),
    "Smoking": ([0, 1], {("training", 0): [60, 10], ("training", 1): [40, 10],
                         ("external", 0): [32, 3], ("external", 1): [20, 5]}),
    "Marker": ([0, 1], {("training", 0): [50, 20], ("training", 1): [22, 28],
                        ("external", 0): [26, 9], ("external", 1): [11, 14]}),
    "Stage": ([1, 2, 3], {("training", 0): [5, 30, 35], ("training", 1): [1, 20, 29],
                          ("external", 0): [2, 15, 18], ("external", 1): [0, 10, 15]}),
}

# The textbook rule, written out independently of eprstats.characteristics, in R.
R_TEXTBOOK = """
m <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
e <- outer(rowSums(m), colSums(m)) / sum(m)
if (all(dim(m) == 2)) {
  if (sum(m) < 40 || min(e) < 1) fisher.test(m)$p.value
  else if (min(e) < 5) chisq.test(m, correct = TRUE)$p.value
  else chisq.test(m, correct = FALSE)$p.value
} else if (min(e) < 1 || mean(e < 5) > 0.2) fisher.test(m)$p.value else chisq.test(m, correct = FALSE)$p.value
"""

R_MODELS = """
set.seed(11)
d$RadA <- d$y * 1.0 + rnorm(nrow(d))
d$RadB <- d$y * 0.7 + rnorm(nrow(d))
tr <- d[d$cohort == "training", ]
fit <- glm(y ~ Marker + RadA + RadB, family = binomial, data = tr)
d$Combined <- predict(fit, newdata = d)
d$Clinical <- d$Marker
rows <- list()
for (m in c("RadA", "RadB", "Combined", "Clinical")) for (co in c("training", "external")) {
  s <- d[d$cohort == co, ]
  r <- pROC::roc(s$y, s[[m]], levels = c(0, 1), direction = "<", quiet = TRUE)
  ci <- as.numeric(pROC::ci.auc(r, method = "delong"))
  b <- pROC::coords(r, "best", best.method = "youden", ret = c("sensitivity", "specificity"),
                    transpose = FALSE)[1, ]
  rows[[length(rows) + 1]] <- data.frame(model = m, cohort = co, auc = ci[2], lo = ci[1], hi = ci[3],
                                         sens = b$sensitivity, spec = b$specificity)
}
tab2 <- do.call(rbind, rows)
ra <- pROC::roc(tr$y, tr$RadA, levels = c(0, 1), direction = "<", quiet = TRUE)
rb <- pROC::roc(tr$y, tr$RadB, levels = c(0, 1), direction = "<", quiet = TRUE)
co <- summary(fit)$coefficients
ci <- exp(confint.default(fit))
list(tab2 = tab2, delong = pROC::roc.test(ra, rb, method = "delong")$p.value,
     beta = unname(co[, 1]), p = unname(co[, 4]), lo = unname(ci[, 1]), hi = unname(ci[, 2]),
     terms = rownames(co))
"""


def f3(x):
    return f"{x:.3f}"


def patients() -> pd.DataFrame:
    frames = []
    for cohort, (n1, n0) in SIZES.items():
        for y, n in ((1, n1), (0, n0)):
            g = pd.DataFrame({"cohort": [cohort] * n, "y": [y] * n})
            for var, (levels, counts) in TABLE1.items():
                g[var] = np.repeat(levels, counts[(cohort, y)])
            frames.append(g)
    return pd.concat(frames, ignore_index=True)


def table1() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, pct = [], []
    for var, (levels, c) in TABLE1.items():
        mats = {co: np.array([c[(co, 0)], c[(co, 1)]]).T for co in SIZES}
        mats["between"] = np.array([np.add(c[("training", 0)], c[("training", 1)]),
                                    np.add(c[("external", 0)], c[("external", 1)])]).T
        p = {k: rbridge.evaluate(R_TEXTBOOK, m=m.astype(float)) for k, m in mats.items()}
        for i, level in enumerate(levels):
            counts = {"train_non_epr": c[("training", 0)][i], "train_epr": c[("training", 1)][i],
                      "external_non_epr": c[("external", 0)][i], "external_epr": c[("external", 1)][i]}
            first = i == 0
            rows.append({"variable": var, "level": level, **counts,
                         "p_train": f3(p["training"]) if first else "",
                         "p_external": f3(p["external"]) if first else "",
                         "p_between_cohorts": f3(p["between"]) if first else ""})
            sizes = {"train_non_epr": 70, "train_epr": 50, "external_non_epr": 35, "external_epr": 25}
            pct.append({"variable": var, "level": level,
                        **{k: f"{100 * v / sizes[k]:.2f}%" for k, v in counts.items()}})
    return pd.DataFrame(rows), pd.DataFrame(pct)


def build_clean(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    t1, t1p = table1()
    t1.to_csv(out / "published_table1.csv", index=False)
    t1p.to_csv(out / "published_table1_percent.csv", index=False)
    res = rbridge.evaluate(R_MODELS, d=patients())
    tab2 = res["tab2"]
    t2 = pd.DataFrame({"model": tab2["model"], "cohort": tab2["cohort"], "auc": tab2["auc"].map(f3),
                       "auc_ci_low": tab2["lo"].map(f3), "auc_ci_high": tab2["hi"].map(f3),
                       "sensitivity": tab2["sens"].map(f3), "specificity": tab2["spec"].map(f3)})
    t2.to_csv(out / "published_table2.csv", index=False)
    terms = ["Intercept" if t == "(Intercept)" else t for t in res["terms"]]
    t3 = []
    for term, b, p, lo, hi in zip(terms, res["beta"], res["p"], res["lo"], res["hi"]):
        pp = "<0.001" if p < 0.001 else f3(p)
        if term == "Intercept":
            t3.append({"term": term, "beta": f"{b:.5f}", "odds_ratio": "", "or_ci_low": "", "or_ci_high": "",
                       "p": "<0.001" if p < 0.001 else f"{p:.4f}"})
        else:
            t3.append({"term": term, "beta": f"{b:.5f}", "odds_ratio": f3(np.exp(b)), "or_ci_low": f3(lo),
                       "or_ci_high": f3(hi), "p": pp})
    t3 = pd.DataFrame(t3)
    t3.to_csv(out / "published_table3.csv", index=False)
    pd.DataFrame([
        {"where": "Abstract", "cohort": "all", "n": 180, "events": "", "nonevents": ""},
        {"where": "Methods", "cohort": "training", "n": 120, "events": "", "nonevents": ""},
        {"where": "Methods", "cohort": "external", "n": 60, "events": "", "nonevents": ""},
        {"where": "Figure 1 (flow chart)", "cohort": "training", "n": 120, "events": 50, "nonevents": 70},
        {"where": "Figure 1 (flow chart)", "cohort": "external", "n": 60, "events": 25, "nonevents": 35},
        {"where": "Results (n=25)", "cohort": "external", "n": "", "events": 25, "nonevents": ""},
    ]).to_csv(out / "cohorts.csv", index=False)
    row = {(r.model, r.cohort): r for r in t2.itertuples()}
    ci = lambda m, c: f"{row[(m, c)].auc} ({row[(m, c)].auc_ci_low}-{row[(m, c)].auc_ci_high})"  # noqa: E731
    rada = t3[t3.term == "RadA"].iloc[0]
    claims = [
        ("Abstract", "auc:Combined:training", ci("Combined", "training"), "", ""),
        ("Abstract", "auc:Combined:external", ci("Combined", "external"), "", ""),
        ("Results", "auc:RadA:training", ci("RadA", "training"), "", ""),
        ("Discussion", "auc:Clinical:external", row[("Clinical", "external")].auc, "", ""),
        ("Results", "event_rate:training", f"{100 * 50 / 120:.1f}%", "", ""),
        ("Results", "event_rate:external", f"{100 * 25 / 60:.1f}%", "", ""),
        ("Results", "p_table1:Marker:training", t1[t1.variable == "Marker"].iloc[0]["p_train"], "", ""),
        ("Methods", "count:features per ROI", "1000", "", ""),
        ("Results", "count:features per ROI", "1000", "", ""),
        ("Results", "percent:features kept after ICC", "95.0%", "950", "1000"),
        ("Discussion", "percent:share with the marker in the external cohort", f"{100 * 23 / 60:.2f}%", "", ""),
        ("Results", "delong_p:RadA:RadB:training", f3(res["delong"]), "", ""),
        ("Results", "or:RadA", f"{rada.odds_ratio} ({rada.or_ci_low}-{rada.or_ci_high})", "", ""),
        ("Results", "p:RadA", rada.p, "", ""),
        ("Discussion", "p_table1:Marker:external", "<0.05", "", ""),
        ("Results", "p_table1:Sex:external", ">0.05", "", ""),
        ("Results", "order:auc:Combined:RadA:training", ">", "", ""),
        ("Results", "order:auc:Clinical:Combined:external", "<=", "", ""),
        ("Methods", "radiomics_features:original+log1+wavelet8", "944", "", ""),
    ]
    pd.DataFrame(claims, columns=["where", "quantity", "value", "numerator", "denominator"]).assign(
        quote="").to_csv(out / "claims.csv", index=False)
    pd.DataFrame([{"model": "Clinical", "variable": "Marker", "positive_level": 1, "where": "Methods"}]).to_csv(
        out / "binary_models.csv", index=False)
    return {"t2": t2, "t3": t3}


def _set(path: Path, match: dict, column: str, value) -> None:
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = np.logical_and.reduce([d[k] == v for k, v in match.items()])
    assert mask.sum() == 1, (path.name, match)
    d.loc[mask, column] = str(value)
    d.to_csv(path, index=False)


def _get(path: Path, match: dict, column: str) -> str:
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = np.logical_and.reduce([d[k] == v for k, v in match.items()])
    return d.loc[mask, column].iloc[0]


def build_planted(clean: Path, out: Path) -> None:
    """One planted error per check kind (the tests name the check each must trip)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(clean, out)
    t1, t1p, t2, t3 = (out / f for f in ("published_table1.csv", "published_table1_percent.csv",
                                         "published_table2.csv", "published_table3.csv"))
    # cohort_counts: the flow chart swaps the external cohort's events and non-events
    _set(out / "cohorts.csv", {"where": "Figure 1 (flow chart)", "cohort": "external"}, "events", 35)
    _set(out / "cohorts.csv", {"where": "Figure 1 (flow chart)", "cohort": "external"}, "nonevents", 25)
    # table1_p: Sex's training p-value mistyped
    _set(t1, {"variable": "Sex", "level": "0"}, "p_train", "0.214")
    # table1_percent: one percentage with the wrong denominator (20/60 instead of 20/70)
    _set(t1p, {"variable": "Sex", "level": "1"}, "train_non_epr", "66.67%")
    # sens_spec: a sensitivity that is no k/50
    _set(t2, {"model": "RadB", "cohort": "training"}, "sensitivity", "0.701")
    # auc_ci_symmetry: an upper bound 0.03 too high
    hi = float(_get(t2, {"model": "RadB", "cohort": "training"}, "auc_ci_high"))
    _set(t2, {"model": "RadB", "cohort": "training"}, "auc_ci_high", f"{hi + 0.03:.3f}")
    # auc_ci_width: a symmetric CI wider than any score distribution allows with 25 events and 35 non-events
    # (Var(AUC) <= A (1 - A) / min(n1, n0): 1.96 SE <= 0.178 at AUC 0.710; half-width 0.200)
    auc = float(_get(t2, {"model": "RadA", "cohort": "external"}, "auc"))
    half = 0.200
    _set(t2, {"model": "RadA", "cohort": "external"}, "auc_ci_low", f"{auc - half:.3f}")
    _set(t2, {"model": "RadA", "cohort": "external"}, "auc_ci_high", f"{auc + half:.3f}")
    # auc_roc_point: an operating point (24/25, 33/35) that no ROC curve with this AUC passes through
    _set(t2, {"model": "RadB", "cohort": "external"}, "sensitivity", "0.960")
    _set(t2, {"model": "RadB", "cohort": "external"}, "specificity", "0.943")
    # auc_ci_binary: the binary Clinical model's training CI widened by 0.02 on both sides
    for col, shift in (("auc_ci_low", -0.02), ("auc_ci_high", 0.02)):
        v = float(_get(t2, {"model": "Clinical", "cohort": "training"}, col))
        _set(t2, {"model": "Clinical", "cohort": "training"}, col, f"{v + shift:.3f}")
    # binary_score: the Clinical model's external operating point one patient off Table 1's Marker split
    # (14/25 -> 15/25), printed with the AUC and DeLong CI that the new split would give, so that only
    # the link to Table 1 breaks
    from eprstats.audit.checks import delong_binary_ci
    a, l, h = delong_binary_ci(15, 25, 26, 35)
    for col, v in (("sensitivity", 15 / 25), ("auc", a), ("auc_ci_low", l), ("auc_ci_high", h)):
        _set(t2, {"model": "Clinical", "cohort": "external"}, col, f"{v:.3f}")
    _set(out / "claims.csv", {"quantity": "auc:Clinical:external"}, "value", f"{a:.3f}")  # the text follows
    # auc_youden: a training operating point (15/50, 49/70) whose sens + spec is far below what the
    # AUC needs, though the point itself lies on some ROC curve with that AUC
    _set(t2, {"model": "RadA", "cohort": "training"}, "sensitivity", "0.300")
    _set(t2, {"model": "RadA", "cohort": "training"}, "specificity", "0.700")
    # duplicate_rows: a new model whose external row is a copy of Combined's
    d = pd.read_csv(t2, dtype=str, keep_default_na=False)
    copy = d[(d.model == "Combined") & (d.cohort == "external")].copy()
    copy["model"] = "CombinedPlus"
    d = pd.concat([d, copy], ignore_index=True)
    d.to_csv(t2, index=False)
    # regression_or: RadB's OR not exp(beta) (and its CI / P left as they were)
    _set(t3, {"term": "RadB"}, "odds_ratio", "1.111")
    # regression_ci: Marker's upper CI bound moved, so its log-midpoint is not log(OR)
    v = float(_get(t3, {"term": "Marker"}, "or_ci_high"))
    _set(t3, {"term": "Marker"}, "or_ci_high", f"{v * 1.5:.3f}")
    # regression_p: RadA's P not the Wald P of its beta and CI
    _set(t3, {"term": "RadA"}, "p", "0.200")
    _set(out / "claims.csv", {"quantity": "p:RadA"}, "value", "0.200")   # the text repeats the same typo
    # claim: the abstract's external CI differs from Table 2
    v = _get(out / "claims.csv", {"quantity": "auc:Combined:external"}, "value")
    est = v.split(" ")[0]
    _set(out / "claims.csv", {"quantity": "auc:Combined:external"}, "value", f"{est} (0.600-0.900)")
    # percent: the training event rate 50/120 = 41.7% printed as 42.7%
    _set(out / "claims.csv", {"quantity": "event_rate:training"}, "value", "42.7%")
    # delong_p: a P of 0.999 for AUCs that differ, impossible for any correlation
    _set(out / "claims.csv", {"quantity": "delong_p:RadA:RadB:training"}, "value", "0.999")
    # claim (an inequality): "not significant in the external cohort" for Marker, whose P there is 0.017
    _set(out / "claims.csv", {"quantity": "p_table1:Marker:external"}, "value", ">0.05")
    # order: "RadA outperformed the combined model" where Table 2 says the reverse
    _set(out / "claims.csv", {"quantity": "order:auc:Combined:RadA:training"}, "value", "<")
    # radiomics_count: the seed paper's 960 features per ROI for settings that give 944
    _set(out / "claims.csv", {"quantity": "radiomics_features:original+log1+wavelet8"}, "value", "960")
    # count: a repeated count that differs
    _set(out / "claims.csv", {"quantity": "count:features per ROI", "where": "Results"}, "value", "1010")


if __name__ == "__main__":
    build_clean(HERE / "clean")
    build_planted(HERE / "clean", HERE / "planted")
    print("wrote", HERE / "clean", "and", HERE / "planted")
