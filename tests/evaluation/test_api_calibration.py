"""ep.calibrate (the Calibration result) against rms::lrm, rms::calibrate, rms::validate and rms::val.prob called
directly in R with the same seed and B (set.seed as the package sets it); the model fitted once; a failing model
skipped by name; the tidy numbers; and the files: the command and the study stage write the same names with the
same bytes, for calibration, NRI/IDI and decision curves."""
from __future__ import annotations

import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import eprstats as ep
from eprstats.errors import InputError
from eprstats.results import TIDY_COLUMNS

SEED_KINDS = 'kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection"'
B, SEED, G = 30, 17, 8


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(20261202)
    n = 150
    d = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-(0.2 + 1.0 * d.x1 - 0.7 * d.x2)))).astype(int)
    d["cohort"] = ["training"] * 100 + ["external"] * 50
    d["p_a"] = 1 / (1 + np.exp(-(0.8 * d.x1 + rng.normal(scale=0.6, size=n))))
    d["p_b"] = 1 / (1 + np.exp(-(0.9 * d.x1 - 0.6 * d.x2 + rng.normal(scale=0.3, size=n))))
    d["const"] = 1.0
    return d


@pytest.fixture(scope="module")
def cal(r, data):
    return ep.calibrate(data, "y", {"both": ["x1", "x2"], "one": "x1"}, cohort_col="cohort", train_cohort="training",
                        boot_n=B, seed=SEED, g=G)


def _oracle(r, data, formula, setup=""):
    """rms called directly: the fit on training, calibrate and validate each after set.seed, val.prob per cohort."""
    return r.evaluate(f"""{setup}
        f <- rms::lrm({formula}, data = tr, x = TRUE, y = TRUE)
        set.seed({SEED}, {SEED_KINDS})
        cal <- rms::calibrate(f, B = {B})
        set.seed({SEED}, {SEED_KINDS})
        v <- unclass(rms::validate(f, B = {B}))
        pt <- stats::predict(f, newdata = tr, type = "fitted")
        pe <- stats::predict(f, newdata = ex, type = "fitted")
        list(predy = unname(cal[, "predy"]), orig = unname(cal[, "calibrated.orig"]),
             corr = unname(cal[, "calibrated.corrected"]), B = attr(cal, "B"),
             v_orig = v[, "index.orig"], v_corr = v[, "index.corrected"], v_opt = v[, "optimism"],
             pt = unname(pt), pe = unname(pe),
             vp_tr = as.list(rms::val.prob(pt, tr$y, pl = FALSE)),
             vp_ex = as.list(rms::val.prob(pe, ex$y, pl = FALSE)))""",
                      tr=data[data.cohort == "training"].reset_index(drop=True),
                      ex=data[data.cohort == "external"].reset_index(drop=True))


def _hosmer_lemeshow(p, y, g):
    """Independent: numpy 'linear' quantiles (= R type 7), groups closed on the right, the lowest value in 1."""
    edges = np.unique(np.quantile(p, np.linspace(0, 1, g + 1)))
    group = np.clip(np.searchsorted(edges, p, side="left"), 1, len(edges) - 1)
    chi2 = sum((y[group == k].sum() - p[group == k].sum()) ** 2 / p[group == k].sum()
               + (y[group == k].sum() - p[group == k].sum()) ** 2 / (1 - p[group == k]).sum()
               for k in np.unique(group))
    df = len(edges) - 3
    return chi2, df, stats.chi2.sf(chi2, df)


# --------------------------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("model,formula", [("both", "y ~ x1 + x2"), ("one", "y ~ x1")])
def test_curve_validation_and_cohort_statistics_equal_rms(r, data, cal, model, formula):
    want = _oracle(r, data, formula)
    curve = cal.curves[model]
    np.testing.assert_allclose(curve["predicted"], want["predy"], rtol=1e-12)
    np.testing.assert_allclose(curve["apparent"], want["orig"], rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(curve["bias_corrected"], want["corr"], rtol=1e-12, equal_nan=True)
    assert curve.attrs["B"] == want["B"]
    v = cal.validation[cal.validation.model == model].set_index("index")
    for name, ours in (("Dxy", "Dxy"), ("Slope", "Slope"), ("Intercept", "Intercept"), ("B", "Brier"), ("R2", "R2")):
        assert v.loc[ours, "apparent"] == pytest.approx(want["v_orig"][name], abs=1e-12)
        assert v.loc[ours, "optimism"] == pytest.approx(want["v_opt"][name], abs=1e-12)
        assert v.loc[ours, "corrected"] == pytest.approx(want["v_corr"][name], abs=1e-12)
    assert v.loc["AUC", "corrected"] == pytest.approx(want["v_corr"]["Dxy"] / 2 + 0.5, abs=1e-12)
    rows = cal.statistics[cal.statistics.model == model].set_index("cohort")
    assert list(rows.index) == ["training", "external"]
    for cohort, vp, p in (("training", want["vp_tr"], want["pt"]), ("external", want["vp_ex"], want["pe"])):
        y = data.loc[data.cohort == cohort, "y"].to_numpy()
        row = rows.loc[cohort]
        assert (row["n"], row["events"]) == (len(y), y.sum())
        for rname, ours in (("Intercept", "intercept"), ("Slope", "slope"), ("Brier", "brier"), ("C (ROC)", "c"),
                            ("Emax", "emax"), ("Eavg", "eavg")):
            assert row[ours] == pytest.approx(vp[rname], abs=1e-10), (cohort, ours)
        chi2, df, pval = _hosmer_lemeshow(np.asarray(p), y, G)
        assert row["hl_statistic"] == pytest.approx(chi2, rel=1e-9)
        assert row["hl_df"] == df and row["hl_p"] == pytest.approx(pval, rel=1e-8)


def test_probability_columns_are_recalibrated_on_their_logit(r, data):
    res = ep.calibrate(data, "y", ["p_a"], cohort_col="cohort", train_cohort="training", boot_n=B, seed=SEED,
                       probabilities=True, validate=False)
    want = _oracle(r, data, "y ~ lp", setup="tr$lp <- qlogis(tr$p_a); ex$lp <- qlogis(ex$p_a)")
    np.testing.assert_allclose(res.curves["p_a"]["bias_corrected"], want["corr"], rtol=1e-9, equal_nan=True)
    ext = res.statistics.set_index("cohort").loc["external"]
    assert ext["slope"] == pytest.approx(want["vp_ex"]["Slope"], abs=1e-9)
    assert res.validation is None and "optimism_corrected" not in [t.name for t in res.tables()]


def test_each_model_is_fitted_once(r, data, monkeypatch):
    """One lrm fit per model serves the curve, the validation and every cohort's statistics."""
    from eprstats import rbridge
    calls = []
    real = rbridge.call

    def counting(fname, *args, **kwargs):
        calls.append(fname)
        return real(fname, *args, **kwargs)

    monkeypatch.setattr(rbridge, "call", counting)
    ep.calibrate(data, "y", {"both": ["x1", "x2"], "one": ["x1"]}, cohort_col="cohort", train_cohort="training",
                 boot_n=5, seed=1)
    assert calls.count("models_fit_lrm") == 2
    assert "lrm" not in " ".join(c for c in calls if c != "models_fit_lrm")


def test_a_failing_model_is_skipped_by_name(r, data):
    models = {"Broken": ["x1", "const"], "fine": ["x2"]}
    with pytest.warns(UserWarning, match="calibration of model 'Broken' skipped") as caught:
        res = ep.calibrate(data, "y", models, cohort_col="cohort", train_cohort="training", boot_n=5, seed=1,
                           skip_failed=True)
    assert not any("x1+const" in str(w.message) for w in caught)
    assert list(dict.fromkeys(res.statistics["model"])) == ["fine"] and list(res.curves) == ["fine"]
    assert "single value" in res.settings["skipped"]["Broken"]
    with pytest.raises(InputError, match="single value") as err:
        ep.calibrate(data, "y", models, cohort_col="cohort", train_cohort="training", boot_n=5, seed=1)
    assert "model 'Broken'" in str(err.value) and "'const'" in str(err.value)
    with pytest.raises(InputError, match="no model could be calibrated"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ep.calibrate(data, "y", {"Broken": ["const"]}, cohort_col="cohort", train_cohort="training", boot_n=5,
                     skip_failed=True)


def test_bad_cohort_labels_are_refused_before_any_fit(r, data):
    bad = data.assign(cohort=data.cohort.where(data.index != 3, "Training"))
    with pytest.raises(InputError, match="differ only by case"):
        ep.calibrate(bad, "y", ["x1"], cohort_col="cohort", train_cohort="training", boot_n=5)
    with pytest.raises(InputError, match="not named"):
        ep.calibrate(data, "y", ["x1"], cohort_col="cohort", boot_n=5)


def test_tidy_holds_every_number(cal):
    tidy = cal.tidy()
    assert tuple(tidy.columns) == TIDY_COLUMNS and set(tidy["analysis"]) == {"calibration"}
    stats_ = tidy[tidy.table == "calibration_numeric"].set_index(["model", "cohort", "statistic"])
    numeric = [c for c in cal.statistics.columns if c not in ("model", "cohort", "n", "events")]
    assert len(stats_) == len(cal.statistics) * len(numeric)
    for row in cal.statistics.itertuples(index=False):
        for col in numeric:
            got = stats_.loc[(row.model, row.cohort, col)]
            want = getattr(row, col)
            assert (np.isnan(want) and np.isnan(got["value"])) or got["value"] == want
            assert got["n"] == row.n and got["events"] == row.events
    val = tidy[(tidy.table == "optimism_corrected") & (tidy.statistic == "corrected")]
    assert len(val) == len(cal.validation)
    np.testing.assert_array_equal(val["value"].to_numpy(), cal.validation["corrected"].to_numpy())
    curve = tidy[(tidy.table == "calibration_curve") & (tidy.model == "both") & (tidy.statistic == "bias_corrected")]
    np.testing.assert_array_equal(curve["value"].to_numpy(), cal.curves["both"]["bias_corrected"].to_numpy())
    assert len(tidy[tidy.table == "calibration_summary"]) == 4 * len(cal.curves)


# ---------------------------------------------------------------------------------------------- files

def _same_files(a: Path, b: Path, skip=(".provenance.json",)) -> list[str]:
    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file() and not p.name.endswith(skip)
                   and not any(part.startswith(".") or part == "figures" for part in p.relative_to(a).parts))
    assert names
    for name in names:
        assert (b / name).read_bytes() == (a / name).read_bytes(), name
    return names


def test_command_writes_the_results_files(r, run_cli, tmp_path, data):
    from eprstats.fileio import read_csv
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    # the command's input as the command reads it (the CSV's decimals), so that the numbers are the same
    cal = ep.calibrate(read_csv(path), "y", {"both": ["x1", "x2"], "one": "x1"}, cohort_col="cohort",
                       train_cohort="training", boot_n=B, seed=SEED, g=G)
    code, _, err = run_cli("calibration", path, "--outcome", "y", "--model", "both=x1+x2", "--model", "one=x1",
                           "--cohort-col", "cohort", "--train-cohort", "training", "--B", B, "--seed", SEED,
                           "--groups", G, "--formats", "csv,md", "--out", tmp_path / "cli")
    assert code == 0, err
    written = cal.write(tmp_path / "api", ["csv", "md"])
    names = _same_files(tmp_path / "api", tmp_path / "cli")
    assert {"calibration_numeric.csv", "calibration.csv", "calibration.md", "calibration_curve.csv",
            "optimism_corrected.md", "calibration_summary.csv", "observed_curves.csv"} <= set(names)
    figures = {p.name for p in written if "figures" in p.parts}
    assert figures == {p.name for p in (tmp_path / "cli" / "figures").iterdir()}
    assert {"calibration_both.png", "figure6b_calibration.pdf", "calibration_models_external.png"} <= figures
    assert (tmp_path / "cli" / "calibration_curve.provenance.json").is_file()
    # numbers as written: the external slope of model 'one' is rms::val.prob's
    shown = pd.read_csv(tmp_path / "cli" / "calibration.csv", dtype=str).set_index(["model", "cohort"])
    slope = cal.statistics.set_index(["model", "cohort"]).loc[("one", "external"), "slope"]
    assert shown.loc[("one", "external"), "slope"] == f"{slope:.3f}"


@pytest.fixture
def stage_run(tmp_path, data):
    """The study's calibration, nri and dca stages on a scores table, through a minimal run context."""
    from eprstats.study import stages as S

    scores = data.rename(columns={"y": "outcome"}).assign(id=[f"{i:04d}" for i in range(len(data))])
    scores = scores[["id", "cohort", "outcome", "p_a", "p_b"]]
    out = tmp_path / "study"
    (out / "features").mkdir(parents=True)
    scores.to_csv(out / "features" / "scores.csv", index=False)
    specs = {"p_a": {"kind": "clinical", "predictors": ["x1"]}, "p_b": {"kind": "combined", "predictors": ["x1"]}}
    ctx = SimpleNamespace(out=out, synthetic=False, train_cohort="training",
                          settings=SimpleNamespace(bootstrap=B, seed=SEED, nomogram_model="p_b", model_specs=specs,
                                                   hl_grouping="quantile", hl_external_df="g-2", hl_groups=10))
    for stage in (S.calibration, S.nri, S.dca):
        stage(ctx)
    return out, out / "features" / "scores.csv"


def test_study_stages_and_commands_write_the_same_files(r, run_cli, tmp_path, stage_run):
    out, scores = stage_run
    formats = "csv,md,tex,docx,html"
    runs = {"calibration": ["--probabilities", "p_a,p_b", "--cohort-col", "cohort", "--train-cohort", "training",
                            "--B", B, "--seed", SEED, "--formats", formats, "--no-figures"],
            "nri": ["--old", "p_a", "--new", "p_b", "--cohort-col", "cohort", "--formats", formats],
            "dca": ["--models", "p_a,p_b", "--cohort-col", "cohort", "--no-figures"]}
    seen = []
    for command, args in runs.items():
        code, _, err = run_cli(command, scores, "--outcome", "outcome", *args, "--out", tmp_path / command)
        assert code == 0, err
        seen += _same_files(tmp_path / command, out / "tables")
    assert {"calibration.docx", "calibration_numeric.csv", "nri_idi.html", "nri_idi_numeric.csv",
            "decision_curves.csv", "optimism_corrected.tex"} <= set(seen)
    figures = {p.name for p in (out / "figures").iterdir()}
    assert {"figure6b_calibration.png", "figure6c_dca_training.pdf", "figure6c_dca_external.png"} <= figures


def test_api_names_resolve():
    from eprstats.evaluation import calibration, decision_curves, reclassification
    assert ep.calibrate is calibration.calibrate
    assert ep.reclassification is reclassification.reclassification
    assert ep.decision_curve is decision_curves.decision_curve
