"""Bad inputs thrown at the statistics and audit commands (select, icc, roc, fit, calibration, nri, dca,
audit): each must end with a one-paragraph message naming the input and the fix, the documented exit code,
no traceback, and no output left behind as if it were complete.

Every input is generated here; the expected words in each message are what a user needs to find the
problem (the file, column, patient, model or cohort) and come from the input the case built, not from
eprstats' code.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.robustness.corpus import assert_clean_failure, error_paragraph, patients

KEPT = "finished work kept"
R_FAILS = "exit 3"
AUDIT_CLEAN = Path(__file__).resolve().parent.parent / "audit" / "papers" / "clean"


# ------------------------------------------------------------------------------------------ valid tables
def features(n_train=60, n_ext=30, n_feat=12, seed=1) -> pd.DataFrame:
    """A feature table (one row per patient) in which f01 and f02 carry the outcome."""
    rng = np.random.default_rng(seed)
    base = patients(n_train, n_ext, seed)[["id", "cohort", "EPR"]]
    y = base["EPR"].to_numpy()
    cols = {f"f{j:02d}": rng.normal(size=len(base)) + (1.5 * y if j <= 2 else 0.0) for j in range(1, n_feat + 1)}
    return pd.concat([base, pd.DataFrame(cols)], axis=1)


def scored(seed=2) -> pd.DataFrame:
    """Patients with two scores and two predicted probabilities related to the outcome."""
    rng = np.random.default_rng(seed)
    data = patients(seed=seed)
    y = data["EPR"].to_numpy()
    data["score_a"] = y + rng.normal(size=len(y))
    data["score_b"] = 0.5 * y + rng.normal(size=len(y))
    data["p_old"] = 1 / (1 + np.exp(-(data["score_b"] - 0.5)))
    data["p_new"] = 1 / (1 + np.exp(-(data["score_a"] - 0.5)))
    return data


def _csv(folder: Path, name: str, frame: pd.DataFrame | None = None, raw: bytes | None = None, **kw) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        path.write_bytes(raw)
    else:
        frame.to_csv(path, index=False, **kw)
    return path


def _with(frame: pd.DataFrame, column: str, row: int, value) -> pd.DataFrame:
    out = frame.copy()
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        out[column] = out[column].astype(object)
    out.loc[row, column] = value
    return out


# ------------------------------------------------------------------------------------------ the cases
# Each case: tmp folder -> (argv, needles, exit code). The output folder is tmp/"out" (left empty on failure).
SEL = ["--outcome", "EPR", "--id", "id", "--cohort-col", "cohort", "--train-cohort", "training", "--seed", "7",
       "--no-figures", "--k", "6"]
ROC = ["--outcome", "EPR", "--scores", "score_a,score_b", "--cohort-col", "cohort", "--train-cohort", "training",
       "--no-figures"]
FIT = ["--outcome", "EPR", "--cohort-col", "cohort", "--train-cohort", "training", "--no-figures"]
CAL = ["--outcome", "EPR", "--cohort-col", "cohort", "--train-cohort", "training", "--B", "20", "--no-figures"]
NRI = ["--outcome", "EPR", "--old", "p_old", "--new", "p_new"]
DCA = ["--outcome", "EPR", "--models", "p_old,p_new", "--no-figures"]


def _select(frame, *extra):
    def build(tmp):
        path = _csv(tmp, "features.csv", frame)
        return ["select", path, *SEL, *extra, "--out", tmp / "out"]
    return build


def _icc(tables: dict, *extra):
    def build(tmp):
        paths = [_csv(tmp, f"{name}.csv", frame) for name, frame in tables.items()]
        return ["icc", *paths, "--id", "id", *extra, "--out", tmp / "out" / "icc.csv"]
    return build


def _cmd(command, base_args, frame=None, *extra, raw=None, name="table.csv"):
    def build(tmp):
        path = _csv(tmp, name, frame, raw=raw)
        return [command, path, *base_args, *extra, "--out", tmp / "out"]
    return build


def _audit(edit):
    def build(tmp):
        folder = tmp / "paper"
        shutil.copytree(AUDIT_CLEAN, folder)
        edit(folder)
        return ["audit", folder, "--out", tmp / "out"]
    return build


def _rewrite(name, text):
    return lambda f: (f / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _cases():
    feat = features()
    sc = scored()
    pat = patients()
    train_rows = feat.index[feat.cohort == "training"]
    ext_rows = feat.index[feat.cohort == "external"]
    c = {}
    # ---- select
    c["select: NaN feature value"] = (_select(_with(feat, "f05", 3, np.nan)), ["f05", "--missing median"])
    c["select: infinite feature value"] = (_select(_with(feat, "f07", 4, np.inf)), ["infinite", "f07"])
    c["select: every feature constant"] = (_select(feat.assign(**{f"f{j:02d}": 1.0 for j in range(1, 13)})),
                                           ["no feature is left", "cohort 'training'"])
    c["select: duplicated patient id"] = (_select(_with(feat, "id", 5, "P004")), ["P004", "--slices"])
    c["select: training cohort absent"] = (_select(feat, "--train-cohort", "train"),
                                           ["cohort 'train'", "training, external"])
    c["select: fewer training rows than folds"] = (
        _select(feat[feat.cohort.eq("external") | feat.index.isin(train_rows[:8])]), ["10 folds for 8 rows"])
    c["select: outcome as text labels"] = (_select(feat.assign(EPR=np.where(feat.EPR == 1, "EPR", "no EPR"))),
                                           ["--event", "column 'EPR'", "0 (no event) / 1"])
    c["select: outcome one class in training"] = (_select(feat.assign(EPR=np.where(feat.cohort == "training", 0,
                                                                                   feat.EPR))),
                                                  ["single class", "cohort 'training'"])
    c["select: named feature absent"] = (_select(feat, "--features", "f01,f02,shape_Volume"), ["shape_Volume"])
    c["select: text feature column"] = (_select(feat.assign(f03=np.where(feat.index % 2, "high", "low")),
                                                "--features", "f01,f02,f03"), ["f03", "not numeric"])
    c["select: id column absent"] = (_select(feat.rename(columns={"id": "patient"})), ["'id'", "--id"])
    c["select: NaN in an external patient's feature"] = (
        _select(_with(feat, "f01", int(ext_rows[2]), np.nan)), ["f01", "cohort 'external'"], KEPT)
    c["select: training cohort with 2 events"] = (
        _select(feat.assign(EPR=np.where(feat.cohort == "training", (feat.index < 2).astype(int), feat.EPR))),
        ["only 2 events", "at least 3 events"])
    c["select: --features list file absent"] = (_select(feat, "--features", "@chosen features.txt"),
                                                ["chosen features.txt", "one feature name per line"])
    # ---- icc
    readers = {"reader1": feat.drop(columns=["cohort", "EPR"]).iloc[:20],
               "reader2": feat.drop(columns=["cohort", "EPR"]).iloc[:20].assign(f01=lambda d: d.f01 + 0.1)}
    c["icc: one reader only"] = (_icc({"reader1": readers["reader1"]}), ["at least two", "one CSV per reader"])
    c["icc: unmatched patients"] = (_icc({"reader1": readers["reader1"],
                                          "reader2": readers["reader2"].assign(id=lambda d: "Q" + d.id.str[1:])}),
                                    ["P000", "Q000", "reader2"])
    c["icc: repeated id in one reader"] = (_icc({"reader1": readers["reader1"],
                                                 "reader2": _with(readers["reader2"], "id", 3, "P002")}),
                                           ["P002", "reader2", "one row per patient"])
    c["icc: feature columns differ"] = (_icc({"reader1": readers["reader1"],
                                              "reader2": readers["reader2"].rename(columns={"f04": "f04_b"})}),
                                        ["f04", "reader2"])
    c["icc: id column absent in one reader"] = (_icc({"reader1": readers["reader1"],
                                                      "reader2": readers["reader2"].rename(columns={"id": "ID"})}),
                                                ["'id'", "reader2", "--id"])
    c["icc: unknown ICC form"] = (_icc(readers, "--type", "ICC(4,1)"), ["ICC(4,1)", "ICC(A,1)"])
    c["icc: one patient"] = (_icc({k: v.iloc[:1] for k, v in readers.items()}), ["1 patient", "at least 2"])
    # ---- roc
    c["roc: NaN score"] = (_cmd("roc", ROC, _with(sc, "score_b", 70, np.nan)),
                           ["score_b", "cohort 'external'", "NaN"])
    c["roc: outcome as text labels"] = (_cmd("roc", ROC, sc.assign(EPR=np.where(sc.EPR == 1, "yes", "no"))),
                                        ["column 'EPR'", "0/1", "yes"])
    c["roc: score column absent"] = (_cmd("roc", ["--outcome", "EPR", "--scores", "score_c"], sc),
                                     ["score_c", "available columns"])
    c["roc: constant score in training"] = (_cmd("roc", ROC, sc.assign(score_b=0.5)),
                                            ["constant", "score_b", "cohort 'training'"])
    c["roc: external cohort without events"] = (_cmd("roc", ROC, sc.assign(EPR=np.where(sc.cohort == "external", 0,
                                                                                         sc.EPR))),
                                                ["no events", "cohort 'external'"])
    c["roc: unknown cohort in --cohorts"] = (_cmd("roc", ROC, sc, "--cohorts", "training,validation"),
                                             ["validation", "training, external"])
    c["roc: trailing comma on every row"] = (_cmd("roc", ["--outcome", "EPR", "--scores", "score_a"], raw=(
        sc[["EPR", "score_a"]].to_csv(index=False).replace("\n", ",\n").replace("score_a,\n", "score_a\n")
        .encode())), ["table.csv", "more fields than its header", "trailing ','"])
    c["roc: latin-1 file"] = (_cmd("roc", ["--outcome", "EPR", "--scores", "Größe"], raw=(
        "EPR,Größe\n" + "".join(f"{i % 2},{i * 0.1:.1f}\n" for i in range(20))).encode("latin-1")),
        ["not UTF-8", "table.csv", "UTF-8 CSV"])
    c["roc: confidence level above 1"] = (_cmd("roc", ROC, sc, "--conf-level", "95"), ["95", "--conf-level 0.95"])
    c["roc: cohort with a single event"] = (_cmd("roc", ROC, sc[(sc.cohort == "training") | sc.index.isin([60, 61, 62])]),
                                            ["1 event", "cohort 'external'", "2 events and 2 non-events"])
    c["roc: the same score twice"] = (_cmd("roc", ["--outcome", "EPR", "--scores", "score_a,score_a"], sc),
                                      ["score_a", "twice"])
    # ---- fit
    c["fit: perfect separation"] = (_cmd("fit", FIT, pat.assign(marker=pat.EPR * 10 + 3), "--predictors",
                                         "marker,age"), ["separation", "model 'model'", "cohort 'training'"])
    c["fit: predictor absent"] = (_cmd("fit", FIT, pat, "--predictors", "AFP,ALBI"), ["ALBI", "available columns"])
    c["fit: NaN predictor"] = (_cmd("fit", FIT, _with(pat, "age", 2, np.nan), "--predictors", "AFP,age"),
                               ["age", "missing value"])
    c["fit: outcome three classes"] = (_cmd("fit", FIT, pat.assign(EPR=np.arange(len(pat)) % 3), "--predictors",
                                            "AFP"), ["column 'EPR'", "0/1"])
    c["fit: category unseen in training"] = (
        _cmd("fit", FIT, pat.assign(site=np.where(pat.cohort == "training", np.where(pat.index % 3, "A", "B"),
                                                  "C")), "--predictors", "age,site"),
        ["'C'", "site", "cohort 'external'"], KEPT)
    c["fit: --prob-axis not numbers"] = (_cmd("fit", FIT, pat, "--predictors", "AFP,age", "--prob-axis", "low,high"),
                                         ["--prob-axis", "0.1,0.5,0.9"])
    c["fit: --prob-axis reaching 1"] = (_cmd("fit", FIT, pat, "--predictors", "AFP,age", "--prob-axis", "0.5,1"),
                                        ["--prob-axis", "strictly between 0 and 1"])
    c["fit: stepwise removes every predictor"] = (
        _cmd("fit", FIT, pat.assign(noise=np.random.default_rng(5).normal(size=len(pat))), "--predictors",
             "noise", "--stepwise", "fastbw", "--fastbw-rule", "p", "--sls", "0.0001"),
        ["removed every predictor", "without --stepwise"], KEPT)
    c["fit: predictor listed twice"] = (_cmd("fit", FIT, pat, "--predictors", "AFP,age,AFP"), ["AFP", "twice"])
    c["fit: outcome among the predictors"] = (_cmd("fit", FIT, pat, "--predictors", "age,EPR"),
                                              ["'EPR'", "remove it"])
    c["fit: constant predictor"] = (_cmd("fit", FIT, pat.assign(centre=1), "--predictors", "age,centre"),
                                    ["'centre'", "single value", "leave it out"])
    c["fit: collinear predictors"] = (_cmd("fit", FIT, pat.assign(age_months=pat.age * 12), "--predictors",
                                           "age,age_months"), ["collinear", "model 'model'", "cohort 'training'"])
    c["fit: backtick in a column name"] = (_cmd("fit", FIT, pat.rename(columns={"age": "age`y"}), "--predictors",
                                                "age`y"), ["age`y", "rename"])
    # ---- calibration
    c["calibration: malformed --model"] = (_cmd("calibration", CAL, pat, "--model", "clinical"),
                                           ["'clinical'", "NAME=col1+col2"])
    # #21/#23: a text predictor is an lrm factor, as in fit; a level the training cohort lacks is refused
    c["calibration: text predictor level absent from training"] = (
        _cmd("calibration", CAL, pat.assign(BCLC=np.where(pat.index % 3, "A", "B")).assign(
            BCLC=lambda d: d.BCLC.where(~(d.cohort.eq("external") & (d.index % 5 == 0)), "C")),
            "--predictors", "age,BCLC"), ["'BCLC'", "['C']", "cohort 'external'"])
    c["calibration: training cohort absent"] = (_cmd("calibration", CAL, pat, "--predictors", "age",
                                                     "--train-cohort", "derivation"),
                                                ["'derivation'", "training, external"])
    c["calibration: no bootstrap resamples"] = (_cmd("calibration", CAL, pat, "--predictors", "age", "--B", "0"),
                                                ["B", "B=1000"])
    c["calibration: external cohort with only events"] = (
        _cmd("calibration", CAL, pat.assign(EPR=np.where(pat.cohort == "external", 1, pat.EPR)), "--predictors",
             "age,score"), ["only events", "cohort 'external'"])
    c["calibration: constant predictor"] = (_cmd("calibration", CAL, pat.assign(centre=1), "--predictors",
                                                 "age,centre"), ["'centre'", "single value"])
    c["calibration: perfect separation"] = (_cmd("calibration", CAL, pat.assign(marker=pat.EPR * 3.0),
                                                 "--predictors", "marker"), ["separation", "model 'model'"])
    c["calibration: training cohort of 8"] = (_cmd("calibration", CAL, pat.iloc[[0, 1, 2, 3, 4, 5, 6, 7, 60, 61]],
                                                   "--predictors", "age"), ["8 patients", "cohort 'training'"])
    # rms::calibrate itself fails on this seed's resamples of a single binary predictor: R's message, exit 3
    c["calibration: R fails in rms::calibrate"] = (_cmd("calibration", CAL, pat, "--predictors", "AFP"),
                                                   ["R error", "interpolate", "model 'model'", "binary predictor"],
                                                   R_FAILS)
    # ---- nri
    c["nri: probabilities outside [0, 1]"] = (_cmd("nri", NRI, sc.assign(p_new=sc.score_a)),
                                              ["outside [0, 1]", "p_new", "1 / (1 + exp(-lp))"])
    c["nri: cut-offs not increasing"] = (_cmd("nri", NRI, sc, "--cutoffs", "0.6,0.3"),
                                         ["[0.6, 0.3]", "--cutoffs 0.3,0.6"])
    c["nri: cut-offs not numbers"] = (_cmd("nri", NRI, sc, "--cutoffs", "low,high"), ["'low,high'", "0.3,0.6"])
    c["nri: cohort without events"] = (_cmd("nri", NRI, sc.assign(EPR=np.where(sc.cohort == "external", 0, sc.EPR)),
                                            "--cohort-col", "cohort"), ["no events", "cohort 'external'"])
    c["nri: old column absent"] = (_cmd("nri", NRI, sc.drop(columns="p_old")), ["p_old", "available columns"])
    c["nri: the same model as old and new"] = (_cmd("nri", ["--outcome", "EPR", "--old", "p_new", "--new", "p_new"],
                                                    sc), ["same column 'p_new'", "--old"])
    # ---- dca
    c["dca: header without rows"] = (_cmd("dca", DCA, sc.iloc[:0]), ["table.csv", "no rows"])
    c["dca: NaN probability"] = (_cmd("dca", DCA, _with(sc, "p_new", 8, np.nan)), ["p_new", "NaN"])
    c["dca: probabilities as percentages"] = (_cmd("dca", DCA, sc.assign(p_old=sc.p_old * 100)),
                                              ["outside [0, 1]", "p_old"])
    c["dca: threshold grid of two numbers"] = (_cmd("dca", DCA, sc, "--thresholds", "0.1,0.9"),
                                               ["start,stop,step", "0.01,0.99,0.01"])
    c["dca: threshold grid reaching 1"] = (_cmd("dca", DCA, sc, "--thresholds", "0,1,0.1"),
                                           ["strictly between 0 and 1", "0.99"])
    c["dca: model column named 'treat all'"] = (_cmd("dca", ["--outcome", "EPR", "--models", "treat all"],
                                                     sc.rename(columns={"p_new": "treat all"})),
                                                ["'treat all'", "rename"])
    c["dca: negative bootstrap"] = (_cmd("dca", DCA, sc, "--bootstrap", "-5"), ["-5", "--bootstrap 500"])
    c["dca: cohort column absent"] = (_cmd("dca", DCA, sc, "--cohort-col", "centre"), ["'centre'"])
    # ---- audit
    c["audit: folder absent"] = (lambda tmp: ["audit", tmp / "no such paper", "--out", tmp / "out"],
                                 ["no such paper", "cohorts.csv"])
    c["audit: empty folder"] = (_audit(lambda f: [p.unlink() for p in f.iterdir()]),
                                ["cohorts.csv", "docs/audit.md"])
    c["audit: a file instead of a folder"] = (
        lambda tmp: ["audit", _csv(tmp, "cohorts.csv", raw=b"where,cohort,n,events,nonevents\nx,training,1,,\n"),
                     "--out", tmp / "out"], ["cohorts.csv", "not a folder"])
    c["audit: ragged cohorts.csv"] = (_audit(_rewrite("cohorts.csv", "where,cohort,n,events,nonevents\n"
                                                      "Methods,training,100,40,60,12,13\n")),
                                      ["cohorts.csv", "more fields than its header", "trailing"])
    c["audit: cohorts.csv with wrong columns"] = (_audit(_rewrite("cohorts.csv", "cohort,size\ntraining,100\n")),
                                                  ["cohorts.csv", "'where'", "nonevents"])
    c["audit: claims.csv in latin-1"] = (_audit(_rewrite("claims.csv", (
        "where,quantity,value,numerator,denominator,quote\nRésumé,auc:M:training,0.80,,,\n").encode("latin-1"))),
        ["claims.csv", "not UTF-8"])
    c["audit: cohort row without counts"] = (_audit(_rewrite("cohorts.csv", "where,cohort,n,events,nonevents\n"
                                                             "Figure 1,training,,,\n")),
                                             ["cohorts.csv", "row 2", "at least one count"])
    c["audit: malformed order claim"] = (_audit(_rewrite("claims.csv", "where,quantity,value\n"
                                                         "Results,order:auc:A:B:training,higher\n")),
                                         ["claims.csv", "'higher'", "order:auc"])
    c["audit: blank cohort name"] = (_audit(_rewrite("cohorts.csv", "where,cohort,n,events,nonevents\n"
                                                     "Figure 1,,100,40,60\n")),
                                     ["cohorts.csv", "'cohort' is blank"])
    c["audit: table2 AUC without its % sign"] = (_audit(_rewrite("published_table2.csv",
                                                                 "model,cohort,auc,auc_ci_low,auc_ci_high,sensitivity,"
                                                                 "specificity\nM,training,75.0,0.65,0.85,0.70,0.71\n")),
                                                 ["published_table2.csv", "column 'auc'", "'75.0'", "75.0%"])
    c["audit: claim with denominator 0"] = (_audit(_rewrite("claims.csv", "where,quantity,value,numerator,"
                                                            "denominator\nResults,percent:AFP positive,50%,0,0\n")),
                                            ["claims.csv", "column 'denominator'", "denominator is 0"])
    c["audit: Table 1 group without patients"] = (
        _audit(_rewrite("published_table1.csv", "variable,level,train_non_epr,train_epr,external_non_epr,"
                        "external_epr,p_train,p_external,p_between_cohorts\nSex,0,0,0,0,0,0.2,0.5,0.3\n"
                        "Sex,1,0,0,0,0,,,\n")), ["published_table1.csv", "cohort 'training'", "0 events"])
    c["audit: cohort with 0 events"] = (
        _audit(lambda f: [(f / n).unlink() for n in ("published_table1.csv", "published_table1_percent.csv")]
               + [_rewrite("cohorts.csv", "where,cohort,n,events,nonevents\nFigure 1,training,100,0,100\n")(f)]),
        ["cohorts.csv", "cohort 'training'", "0 events", "transcription"])
    return c


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_statistics_bad_input(name, tmp_path, run_cli, tried, r):
    build, needles, *flags = CASES[name]
    kept = KEPT in flags
    argv = build(tmp_path)
    code, _, err = run_cli(*argv)
    tried(name)
    err = error_paragraph(err)
    out = tmp_path / "out"
    assert_clean_failure(code, err, None if kept else out, needles, exit_code=3 if R_FAILS in flags else 2)
    if kept:
        _only_finished_work_kept(out)


def _only_finished_work_kept(out: Path):
    """Work finished before a later step failed (Table 3 before a validation cohort's bad rows, the LASSO
    before scoring) is kept, whole; the run's completion marker (provenance) and its final output (the
    patients' scores) are not written, so the folder does not look like a finished run."""
    left = [p for p in out.rglob("*") if p.is_file()]
    assert left, "the finished steps' files were not kept"
    names = {p.name for p in left}
    assert not any(n.endswith(".provenance.json") for n in names), names
    assert "scores.csv" not in names, names
    for p in left:
        if p.suffix == ".csv":
            assert len(pd.read_csv(p).columns) > 0, p  # whole (written atomically), header at least
        assert not p.name.startswith(".") and not p.name.endswith(".tmp"), p



# ------------------------------------------------------------------------------------------ inputs that must work
def test_semicolon_separated_scores_are_read(tmp_path, run_cli, tried, r):
    """A European export (';' separated, ',' decimals are NOT used here) gives the same AUCs as the ',' file."""
    sc = scored()
    comma = _csv(tmp_path, "comma.csv", sc)
    semi = _csv(tmp_path, "semi.csv", sc, sep=";")
    tried("roc: semicolon separated")
    results = []
    for path, out in ((comma, tmp_path / "a"), (semi, tmp_path / "b")):
        code, _, err = run_cli("roc", path, *ROC, "--out", out)
        assert code == 0, err
        results.append(pd.read_csv(out / "roc.csv"))
    pd.testing.assert_frame_equal(results[0], results[1])


def test_statistics_paths_with_spaces_and_non_ascii(tmp_path, run_cli, tried, r):
    """Spaces and non-ASCII letters in input and output paths, in column names and cohort labels."""
    folder = tmp_path / "Études cliniques" / "Zürich Kohorte 2"
    sc = scored().rename(columns={"score_a": "Radiomik Score", "p_new": "p neu é"})
    sc["cohort"] = sc["cohort"].map({"training": "entraînement", "external": "extérieur"})
    path = _csv(folder, "scores ü.csv", sc)
    cases = {
        "roc": ["roc", path, "--outcome", "EPR", "--scores", "Radiomik Score", "--cohort-col", "cohort",
                "--train-cohort", "entraînement", "--out", folder / "résultats roc"],
        "fit": ["fit", path, "--outcome", "EPR", "--predictors", "Radiomik Score,AFP", "--name", "modèle 1",
                "--cohort-col", "cohort", "--train-cohort", "entraînement", "--out", folder / "résultats fit"],
        "dca": ["dca", path, "--outcome", "EPR", "--models", "p neu é", "--cohort-col", "cohort",
                "--out", folder / "résultats dca"],
        "nri": ["nri", path, "--outcome", "EPR", "--old", "p_old", "--new", "p neu é", "--cutoffs", "0.3,0.6",
                "--out", folder / "résultats nri"],
    }
    for command, argv in cases.items():
        tried(f"{command}: path with spaces and non-ASCII")
        code, out, err = run_cli(*argv)
        assert code == 0, f"{command}: {err}"
        assert "Traceback" not in err
    roc = pd.read_csv(folder / "résultats roc" / "roc.csv")
    assert set(roc["cohort"]) == {"entraînement", "extérieur"}
    assert (folder / "résultats roc" / "figures").is_dir()
    fit = pd.read_csv(folder / "résultats fit" / "table3_numeric.csv")
    assert "Radiomik Score" in set(fit["term"])
    assert (folder / "résultats dca" / "figures" / "figure6c_dca_extérieur.png").exists()
    assert set(pd.read_csv(folder / "résultats nri" / "nri_idi.csv")["measure"]) >= {"IDI"}


def test_select_and_audit_in_non_ascii_folders(tmp_path, run_cli, tried, r):
    folder = tmp_path / "Projekt Leber" / "Merkmale ß"
    path = _csv(folder, "features é.csv", features())
    tried("select: path with spaces and non-ASCII")
    code, _, err = run_cli("select", path, *SEL, "--out", folder / "Signatur 1")
    assert code == 0, err
    scores = pd.read_csv(folder / "Signatur 1" / "scores.csv")
    assert len(scores) == 90 and scores["signature"].notna().all()
    paper = tmp_path / "Zeitschrift Ärzte" / "paper ü"
    shutil.copytree(AUDIT_CLEAN, paper)
    tried("audit: path with spaces and non-ASCII")
    code, _, err = run_cli("audit", paper, "--out", tmp_path / "Prüfung 1")
    assert code == 0, err
    assert (tmp_path / "Prüfung 1" / "audit.csv").exists()


def test_audit_reads_percent_sign_as_proportion(tmp_path, run_cli, tried, r):
    """Table 2 printed as percentages (75.0%) is checked as the proportion 0.750 at its printed precision:
    the same verdicts as the proportions themselves."""
    verdicts = []
    for label, row in (("pct", "M,training,75.0%,65.0%,85.0%,70.0%,71.0%"), ("prop", "M,training,0.750,0.650,"
                                                                             "0.850,0.700,0.710")):
        folder = tmp_path / label
        folder.mkdir()
        (folder / "cohorts.csv").write_text("where,cohort,n,events,nonevents\nFigure 1,training,100,40,60\n")
        (folder / "published_table2.csv").write_text("model,cohort,auc,auc_ci_low,auc_ci_high,sensitivity,"
                                                     f"specificity\n{row}\n")
        code, _, err = run_cli("audit", folder, "--out", tmp_path / f"out_{label}")
        assert code == 0, err
        table = pd.read_csv(tmp_path / f"out_{label}" / "audit.csv")
        verdicts.append(dict(zip(table["check_id"], table["verdict"])))
    tried("audit: table 2 printed as percentages")
    assert verdicts[0] == verdicts[1]
    assert verdicts[0]["T2-SENS-M-training"] == "reproduced"        # 28/40 = 0.700
    assert verdicts[0]["T2-SPEC-M-training"] == "not reproduced"    # 42/60 = 0.700, 43/60 = 0.717: never 0.710
