"""`eprstats compare`: a run's recomputed numbers beside a paper's printed ones.

Oracles: the paper's printed counts (tables/published), arithmetic on those counts written out here, R called
directly through rpy2 (chisq.test, fisher.test, pROC), and the AUC and DeLong CI printed in pROC's
documentation for the aSAH data (s100b: "Area under the curve: 0.7314", "95% CI: 0.6301-0.8326 (DeLong)").
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.audit.compare import compare
from eprstats.audit.compare_report import judge
from eprstats.audit.schema import parse_number
from eprstats.characteristics.published import patients_from_counts
from eprstats.errors import InputError

GROUPS = {"train_non_epr": ("training", 0), "train_epr": ("training", 1), "external_non_epr": ("external", 0),
          "external_epr": ("external", 1)}
P_COLUMNS = {"p_train": "training", "p_external": "external", "p_between_cohorts": "between"}


def _raw(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _counts(published) -> pd.DataFrame:
    return pd.read_csv(published / "published_table1.csv",
                       dtype={"p_train": str, "p_external": str, "p_between_cohorts": str})


def _table1_run(patients, variables, out: Path) -> Path:
    ep.table1(patients, "EPR", variables, cohort_col="cohort", cohorts=["training", "external"],
              outcome_labels=("Non-EPR", "EPR")).write(out)
    return out


@pytest.fixture(scope="module")
def rebuilt(published, r, tmp_path_factory):
    """The paper's Table 1 rebuilt from its printed counts (docs/api.md block 1), written as a run."""
    counts = _counts(published)
    patients = patients_from_counts(counts, seed=7)
    variables = list(counts["variable"].unique())
    run = _table1_run(patients, variables, tmp_path_factory.mktemp("rebuilt"))
    return patients, variables, run, compare(published, run)


def _cells(frame, file):
    return frame[frame["file"] == file]


# ------------------------------------------------------------------------------------------ the rule
def test_equal_means_rounding_to_the_printed_digits():
    # a half-way value is equal to both neighbours: half up (0.013) and half to even (0.012)
    assert judge(parse_number("0.013"), 0.0125)[0] == "equal"
    assert judge(parse_number("0.012"), 0.0125)[0] == "equal"
    assert judge(parse_number("0.013"), 0.01351) == ("different", 0.51, "0.014")
    assert judge(parse_number("20.59%"), 100 * 14 / 68)[0] == "equal"         # 20.588...
    assert judge(parse_number("40.3%"), 100 * 46 / 114)[:2] == ("different", 0.51)  # 40.35: truncated
    assert judge(parse_number("<0.001"), 0.00099)[0] == "equal"
    assert judge(parse_number("<0.001"), 0.001)[0] == "different"
    assert judge(parse_number(">0.05"), 0.051)[0] == "equal"
    assert judge(parse_number(">0.05"), 0.049)[0] == "different"


# ------------------------------------------------------------------------------------------ Table 1
def test_rebuilt_table1_equals_the_paper(rebuilt, published):
    _, _, _, cmp = rebuilt
    frame = cmp.frame
    raw = _raw(published / "published_table1.csv")
    counts = _cells(frame, "published_table1.csv")
    count_cells = counts[counts["statistic"] == "count"]
    assert len(count_cells) == 4 * len(raw) == 128
    assert (count_cells["verdict"] == "equal").all()
    # each count as printed, beside the same number recomputed
    printed = {(r["variable"], r["level"], col): int(r[col]) for r in raw for col in GROUPS}
    got = {(row.split(": ")[0], row.split(": ")[1], col): rec for row, col, rec in
           zip(count_cells["row"], count_cells["column"], count_cells["recomputed"])}
    assert got == printed
    # the percentages (printed independently of the counts) and the 45 p-values (R's textbook-rule tests)
    percent = _cells(frame, "published_table1_percent.csv")
    assert len(percent) == 128 and (percent["verdict"] == "equal").all()
    p = counts[counts["statistic"] == "p"]
    assert len(p) == sum(1 for r in raw for c in P_COLUMNS if r[c]) == 45
    assert (p["verdict"] == "equal").all()
    assert cmp.summary().startswith("Table 1: 301/301 equal; ")


def test_rebuilt_table1_other_tables_and_cohorts(rebuilt, published):
    _, _, _, cmp = rebuilt
    frame = cmp.frame
    t2 = frame[frame["table"] == "Table 2"]
    assert len(t2) == 5 * len(_raw(published / "published_table2.csv"))
    assert (t2["verdict"] == "not recomputed").all()
    assert t2["detail"].str.contains("the run has no Table 2").all()
    # Figure 1 prints the external cohort as 23 EPR / 20 non-EPR; Table 1's column sums are 20 / 23
    raw = _raw(published / "published_table1.csv")
    events = sum(int(r["external_epr"]) for r in raw if r["variable"] == "Gender")
    nonevents = sum(int(r["external_non_epr"]) for r in raw if r["variable"] == "Gender")
    cohorts = _raw(published / "cohorts.csv")
    line = next(i + 2 for i, r in enumerate(cohorts) if r["cohort"] == "external" and r["events"])
    fig1 = frame[(frame["file"] == "cohorts.csv") & (frame["line"] == line)].set_index("column")
    assert fig1.loc["events", "verdict"] == fig1.loc["nonevents", "verdict"] == "different"
    assert fig1.loc["events", "difference"] == events - int(cohorts[line - 2]["events"])
    assert fig1.loc["nonevents", "difference"] == nonevents - int(cohorts[line - 2]["nonevents"])
    different = frame[frame["verdict"] == "different"]
    # the text's event rate 40.3% is 46/114 = 40.35% truncated (docs/audit.md, finding 7)
    assert set(zip(different["file"], different["row"])) == {("cohorts.csv", "external"),
                                                             ("claims.csv", "event_rate:training")}


def test_result_objects_give_the_same_comparison(rebuilt, published):
    patients, variables, run, cmp = rebuilt
    t1 = ep.table1(patients, "EPR", variables, cohort_col="cohort", cohorts=["training", "external"],
                   outcome_labels=("Non-EPR", "EPR"))
    direct = compare(published, [t1]).frame
    cols = ["file", "line", "column", "verdict", "recomputed", "difference"]
    pd.testing.assert_frame_equal(direct[cols], cmp.frame[cols])


def _textbook_p(r, table: np.ndarray) -> float:
    """The paper's rule written out, each test R's own: 2x2 with n >= 40 -> Pearson when every expected count
    is >= 5, Yates when one is in [1, 5), else Fisher; larger tables Pearson unless some E < 1 or more than
    20% of the E < 5 (Cochran 1954)."""
    import rpy2.robjects as ro

    m = ro.r.matrix(ro.FloatVector(table.T.ravel().astype(float)), nrow=table.shape[0])
    e = np.array(ro.r("function(m) suppressWarnings(chisq.test(m))$expected")(m))
    if table.shape == (2, 2):
        test = "fisher" if table.sum() < 40 or e.min() < 1 else "yates" if e.min() < 5 else "pearson"
    else:
        test = "fisher" if e.min() < 1 or (e < 5).mean() > 0.2 else "pearson"
    call = {"pearson": "function(m) suppressWarnings(chisq.test(m, correct = FALSE))$p.value",
            "yates": "function(m) suppressWarnings(chisq.test(m, correct = TRUE))$p.value",
            "fisher": "function(m) fisher.test(m)$p.value"}[test]
    return float(ro.r(call)(m)[0])


def test_one_changed_outcome_moves_exactly_the_cells_it_must(rebuilt, published, r, tmp_path):
    patients, variables, _, before = rebuilt
    changed = patients.copy()
    who = changed.index[(changed["cohort"] == "training") & (changed["EPR"] == 1)][0]
    changed.loc[who, "EPR"] = 0                                   # one training EPR patient becomes non-EPR
    after = compare(published, _table1_run(changed, variables, tmp_path / "run"))

    # which printed numbers must now differ, from the printed counts alone
    raw = _raw(published / "published_table1.csv")
    new = {(row["variable"], row["level"], col): int(row[col]) for row in raw for col in GROUPS}
    for v in variables:
        level = str(changed.loc[who, v])
        new[(v, level, "train_epr")] -= 1
        new[(v, level, "train_non_epr")] += 1
    expect = set()
    for i, row in enumerate(raw):
        for col in ("train_epr", "train_non_epr"):
            if new[(row["variable"], row["level"], col)] != int(row[col]):
                expect.add(("published_table1.csv", i + 2, col))
    for i, row in enumerate(_raw(published / "published_table1_percent.csv")):
        for col in ("train_epr", "train_non_epr"):
            total = sum(n for (v, _, c), n in new.items() if v == row["variable"] and c == col)
            printed = parse_number(row[col])
            if abs(100 * new[(row["variable"], row["level"], col)] / total - printed.value) > printed.half_unit:
                expect.add(("published_table1_percent.csv", i + 2, col))
    p_new = {}
    for v in variables:
        levels = [row["level"] for row in raw if row["variable"] == v]
        table = np.array([[new[(v, lv, "train_non_epr")], new[(v, lv, "train_epr")]] for lv in levels])
        p_new[v] = _textbook_p(r, table)
    for i, row in enumerate(raw):
        if row["p_train"] and not parse_number(row["p_train"]).holds(p_new[row["variable"]]):
            expect.add(("published_table1.csv", i + 2, "p_train"))
    for i, row in enumerate(_raw(published / "cohorts.csv")):   # training 46 EPR / 68 non-EPR is now 45 / 69
        if row["cohort"] == "training":
            expect |= {("cohorts.csv", i + 2, c) for c in ("events", "nonevents") if row[c]}
    for i, row in enumerate(_raw(published / "claims.csv")):
        kind, *parts = row["quantity"].split(":")
        if kind == "p_table1" and parts[1] == "training":
            printed = parse_number(row["value"])
            lo, hi = printed.interval
            holds = (lo < p_new[parts[0]] < hi) if (printed.below or printed.above) else printed.holds(
                p_new[parts[0]])
            if not holds:
                expect.add(("claims.csv", i + 2, "value"))

    key = ["file", "line", "column"]
    b = before.frame.set_index(key)["verdict"]
    a = after.frame.set_index(key)["verdict"]
    moved = {k for k in b.index if b[k] == "equal" and a[k] == "different"}
    assert moved == expect
    assert not {k for k in b.index if b[k] != "equal" and a[k] == "equal"}
    # 15 variables: each moves its patient's two training count cells; every training p, percent checked above
    assert sum(1 for k in expect if k[0] == "published_table1.csv" and k[2] != "p_train") == 2 * len(variables)


# ------------------------------------------------------------------------------------------ Table 2 (aSAH)
@pytest.fixture(scope="module")
def asah(r, tmp_path_factory):
    """pROC's aSAH data, its R numbers, and a run of eprstats.discrimination written into a folder."""
    import rpy2.robjects as ro

    ro.r('suppressMessages(library(pROC)); data(aSAH, package = "pROC")')
    data = pd.DataFrame({"poor": np.array(ro.r('as.integer(aSAH$outcome == "Poor")')),
                         "s100b": np.array(ro.r("aSAH$s100b")), "ndka": np.array(ro.r("aSAH$ndka"))})
    fit = {}
    for m in ("s100b", "ndka"):
        ro.r(f"r_{m} <- roc(aSAH$outcome, aSAH${m}, quiet = TRUE)")
        auc, ci = float(ro.r(f"auc(r_{m})")[0]), list(ro.r(f'ci.auc(r_{m}, method = "delong")'))
        best = ro.r(f'coords(r_{m}, "best", ret = c("sensitivity", "specificity"))')
        fit[m] = {"auc": auc, "low": ci[0], "high": ci[2], "sens": float(best[0][0]), "spec": float(best[1][0])}
    fit["delong_p"] = float(ro.r('roc.test(r_s100b, r_ndka, method = "delong", paired = TRUE)$p.value')[0])
    fit["n"], fit["events"] = len(data), int(data["poor"].sum())
    run = tmp_path_factory.mktemp("asah_run")
    ep.discrimination(data, "poor", ["s100b", "ndka"]).write(run, figures=False)
    return fit, run


def _paper(folder: Path, fit: dict) -> Path:
    """A published folder (the audit schema) holding pROC's documented s100b numbers and R's ndka numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cohorts.csv").write_text("where,cohort,n,events,nonevents\n"
                                        f"pROC aSAH,all,{fit['n']},{fit['events']},{fit['n'] - fit['events']}\n")
    s, k = fit["s100b"], fit["ndka"]
    (folder / "published_table2.csv").write_text(
        "model,cohort,auc,auc_ci_low,auc_ci_high,sensitivity,specificity\n"
        f"s100b,all,0.7314,0.6301,0.8326,{s['sens']:.3f},{s['spec']:.3f}\n"
        f"NDKA,all,{k['auc']:.3f},{k['low']:.3f},{k['high']:.3f},{k['sens']:.3f},{k['spec']:.3f}\n")
    (folder / "claims.csv").write_text(
        "where,quantity,value\n"
        "Abstract,auc:s100b:all,0.7334 (0.6301-0.8326)\n"          # a planted typo: 0.7334 for 0.7314
        f"Results,delong_p:s100b:NDKA:all,{fit['delong_p']:.3f}\n")
    return folder


def test_asah_documented_auc_and_ci(asah, tmp_path):
    fit, run = asah
    s = fit["s100b"]
    # pROC's documentation prints these; R must give them before the test relies on them
    assert (round(s["auc"], 4), round(s["low"], 4), round(s["high"], 4)) == (0.7314, 0.6301, 0.8326)
    frame = compare(_paper(tmp_path / "paper", fit), run).frame
    t2 = frame[frame["table"] == "Table 2"].set_index(["row", "column"])
    for col, value in (("auc", s["auc"]), ("auc_ci_low", s["low"]), ("auc_ci_high", s["high"]),
                       ("sensitivity", s["sens"]), ("specificity", s["spec"])):
        assert t2.loc[("s100b", col), "verdict"] == "equal"
        assert math.isclose(t2.loc[("s100b", col), "recomputed"], value, abs_tol=1e-9)
    # NDKA is ndka in the run: not recomputed, and the closest run name is given
    ndka = t2.loc["NDKA"]
    assert (ndka["verdict"] == "not recomputed").all()
    assert ndka["detail"].str.contains("'NDKA' is not in the run's Table 2").all()
    assert ndka["detail"].str.contains("closest run names: ndka").all()
    text = frame[frame["table"] == "Text"].set_index("column")
    auc = text[text["row"] == "auc:s100b:all"]
    assert auc.loc["value", "verdict"] == "different"
    assert auc.loc["value", "difference"] == round((s["auc"] - 0.7334) / 1e-4, 2)
    assert auc.loc["value", "recomputed_printed"] == "0.7314"
    assert (auc.loc[["ci_low", "ci_high"], "verdict"] == "equal").all()
    assert text[text["row"] == "delong_p:s100b:NDKA:all"]["verdict"].tolist() == ["not recomputed"]


def test_asah_mapping(asah, tmp_path):
    fit, run = asah
    paper = _paper(tmp_path / "paper", fit)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("paper_name,run_name\nNDKA,ndka\n")
    frame = compare(paper, run, mapping).frame
    ndka = frame[frame["row"].isin(["NDKA", "delong_p:s100b:NDKA:all"])]
    assert len(ndka) == 6 and (ndka["verdict"] == "equal").all()
    delong = ndka[ndka["row"] == "delong_p:s100b:NDKA:all"]
    assert math.isclose(delong["recomputed"].iloc[0], fit["delong_p"], rel_tol=1e-9)
    # a run name the run lacks: not recomputed, with the closest run names
    mapping.write_text("paper_name,run_name\nNDKA,ndka2\n")
    frame = compare(paper, run, mapping).frame
    detail = frame.loc[frame["row"] == "NDKA", "detail"]
    assert detail.str.contains("mapped to 'ndka2'").all() and detail.str.contains("ndka").all()
    # a paper name the paper does not have is an input error naming the closest
    mapping.write_text("paper_name,run_name\nNKDA,ndka\n")
    with pytest.raises(InputError, match="NDKA"):
        compare(paper, run, mapping)
    mapping.write_text("paper_name,run_name\nNDKA,ndka\nNDKA,s100b\n")
    with pytest.raises(InputError, match="mapped twice"):
        compare(paper, run, mapping)


def test_a_cells_folder_is_compared_like_the_legacy_one(asah, tmp_path):
    """cells.csv's AUC, CI, sensitivity and specificity of a model (pROC's documented s100b numbers) are set
    beside the run's like published_table2.csv's; a cohort size cell beside the run's n."""
    from eprstats.audit.cells import Cell, cells_to_csv

    fit, run = asah
    s, text = fit["s100b"], "0.7314 (0.6301-0.8326)"
    place = dict(model="s100b", cohort="all")
    cells = [Cell("Table 2", ("s100b",), ("AUC (95% CI)",), text, i, v, 4, role,
                  of="auc" if role != "auc" else "", **place)
             for i, (role, v) in enumerate((("auc", 0.7314), ("ci_low", 0.6301), ("ci_high", 0.8326)))]
    cells += [Cell("Table 2", ("s100b",), (role,), f"{fit['s100b'][k]:.3f}", 0, round(fit["s100b"][k], 3), 3, role,
                   **place) for role, k in (("sensitivity", "sens"), ("specificity", "spec"))]
    cells.append(Cell("Table 2", (), ("n",), str(fit["n"]), 0, fit["n"], 0, "n", cohort="all"))
    folder = tmp_path / "cells"
    folder.mkdir()
    cells_to_csv(cells, folder / "cells.csv")
    frame = compare(folder, run).frame
    got = frame[frame["file"] == "cells.csv"].set_index("statistic")["verdict"]
    assert got.to_dict() == {"auc": "equal", "ci_low": "equal", "ci_high": "equal", "sensitivity": "equal",
                             "specificity": "equal", "n": "equal"}


def test_table3_against_r_lrm(asah, tmp_path):
    """A Table 3 printed from R's rms::lrm called here (beta, Wald OR and CI, P) is equal to eprstats.fit_model's,
    read from its table3_numeric.csv or from the result object itself."""
    import rpy2.robjects as ro

    fit, _ = asah
    data = pd.DataFrame({"poor": np.array(ro.r('as.integer(aSAH$outcome == "Poor")')),
                         "s100b": np.array(ro.r("aSAH$s100b")), "ndka": np.array(ro.r("aSAH$ndka"))})
    ro.r('d <- data.frame(poor = as.integer(aSAH$outcome == "Poor"), s100b = aSAH$s100b, ndka = aSAH$ndka)')
    beta = np.array(ro.r("coef(f <- rms::lrm(poor ~ s100b + ndka, data = d))"))
    se = np.sqrt(np.diag(np.array(ro.r("vcov(f)"))))
    z975 = float(ro.r("qnorm(0.975)")[0])
    lines = ["term,beta,odds_ratio,or_ci_low,or_ci_high,p"]
    for term, b, s_ in zip(("Intercept", "s100b", "ndka"), beta, se):
        p = float(ro.r(f"2 * pnorm(-abs({float(b)!r} / {float(s_)!r}))")[0])
        ors = ",,," if term == "Intercept" else ",".join(
            f"{math.exp(x):.3f}" for x in (b, b - z975 * s_, b + z975 * s_)) + ","
        lines.append(f"{term},{b:.5f},{ors}{'<0.001' if p < 0.001 else f'{p:.3f}'}")
    paper = _paper(tmp_path / "paper", fit)
    (paper / "published_table3.csv").write_text("\n".join(lines) + "\n")
    model = ep.fit_model(data, "poor", ["s100b", "ndka"], name="M")
    model.write(tmp_path / "fit", figures=False)
    for results in (tmp_path / "fit", [model]):
        t3 = compare(paper, results).frame.query("table == 'Table 3'")
        assert len(t3) == 2 + 2 * 5 and (t3["verdict"] == "equal").all()
    # the paper prints the intercept's P as <0.001: a bound, equal because the recomputed P lies below it
    assert t3.loc[(t3["row"] == "Intercept") & (t3["column"] == "p"), "published"].tolist() == ["<0.001"]


# ------------------------------------------------------------------------------------------ the command
def test_command_writes_csv_html_provenance(rebuilt, published, run_cli, tmp_path):
    _, _, run, cmp = rebuilt
    out = tmp_path / "cmp"
    code, stdout, _ = run_cli("compare", published, run, "--out", out)
    assert code == 0
    assert cmp.summary() in stdout and stdout.startswith("Table 1: 301/301 equal; ")
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        "compare.csv", "compare.html", "compare.provenance.json"}
    written = pd.read_csv(out / "compare.csv", dtype={"published": str})
    assert len(written) == len(cmp.frame)
    assert (written["verdict"] == cmp.frame["verdict"]).all()
    page = (out / "compare.html").read_text()
    assert "#dff0d8" in page and "#f8d7da" in page and "#e9ecef" in page   # equal, different, not recomputed
    assert page.count("<tr style=") == len(cmp.frame)


def test_command_input_errors(published, run_cli, tmp_path):
    code, _, err = run_cli("compare", published, tmp_path / "nothing", "--out", tmp_path / "o")
    assert code == 2 and "results folder does not exist" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run_cli("compare", published, tmp_path / "empty", "--out", tmp_path / "o")
    assert code == 2 and "no recomputed table" in err


def test_same_bytes_whatever_the_processs_hash_seed(rebuilt, published, tmp_path):
    """compare.csv must not depend on Python's per-process string hashing (a set of cohorts once ordered the
    'all' cohort row as 'training + external' or 'external + training' from run to run)."""
    import os
    import subprocess
    import sys
    _, _, run, _ = rebuilt
    # Two seeds under which a set of the two cohorts' names iterates in opposite orders (found with a bare
    # interpreter, milliseconds each), so the two compare runs surely meet both orders: four arbitrary seeds
    # missed them one time in eight and cost two more compare runs.
    def order(seed):
        code = "print(','.join({'training', 'external'}))"
        return subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONHASHSEED=seed),
                              capture_output=True, text=True, check=True).stdout.strip()
    first = order("1")
    other = next(s for s in map(str, range(2, 200)) if order(s) != first)
    outputs = []
    for seed in ("1", other):
        out = tmp_path / f"cmp{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-m", "eprstats.cli", "compare", str(published), str(run),
                               "--out", str(out)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append((out / "compare.csv").read_bytes())
    assert len(set(outputs)) == 1
    assert b"training + external" in outputs[0]
