"""The selection API (``ep.icc``, ``ep.build_signature``) and the thin ``select`` / ``icc`` commands.

Oracles: pingouin's ``intraclass_corr`` called here on the long table; the preprocessing (3 SD outliers ->
training median, z-score) and ``stats::glm`` written in R and called directly through rpy2 on the training
cohort's selected features. Ids such as ``00001`` must come back as written; a cohort label written two ways
must be refused.
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.selection.icc import ICCResult
from eprstats.selection.signature import EventsPerVariableWarning

# ---------------------------------------------------------------------------------------------------- ICC

FORMS = {"ICC(1,1)": "ICC(1,1)", "ICC(A,1)": "ICC(A,1)", "ICC(C,1)": "ICC(C,1)", "ICC(1,k)": "ICC(1,k)",
         "ICC(A,k)": "ICC(A,k)", "ICC(C,k)": "ICC(C,k)"}


def _readings(rng, n=25, k=3, p=4, noise=(0.3, 1.0, 3.0, 0.6)):
    """k readers' tables of n patients: feature j = a patient effect + a reader bias + noise[j]; each
    reader's rows in its own random order (matching must be by id)."""
    ids = [f"{i:05d}" for i in range(n)]
    truth = rng.normal(size=(n, p)) * 2
    out = {}
    for r in range(k):
        values = truth + rng.normal(0.2 * r, 1, size=(1, p)) + rng.normal(size=(n, p)) * np.asarray(noise[:p])
        frame = pd.DataFrame(values, columns=[f"f{j}" for j in range(p)])
        frame.insert(0, "id", ids)
        out[f"reader{r + 1}"] = frame.iloc[rng.permutation(n)].reset_index(drop=True)
    return out


def _pingouin(readings, feature):
    import pingouin as pg
    long = pd.concat([f[["id", feature]].assign(reader=name) for name, f in readings.items()])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pg.intraclass_corr(long, targets="id", raters="reader", ratings=feature).set_index("Type")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_icc_equals_pingouin_on_random_data(seed):
    rng = np.random.default_rng(seed)
    readings = _readings(rng)
    for form, label in FORMS.items():
        res = ep.icc(readings, icc_type=form, threshold=0.8)
        for row in res.inter.itertuples(index=False):
            want = _pingouin(readings, row.feature).loc[label]
            assert row.icc == pytest.approx(want["ICC"], rel=1e-12), (form, row.feature)
            assert (row.ci_low, row.ci_high) == pytest.approx(tuple(want["CI95"]), abs=1e-12)
            assert (row.F, row.df1, row.df2, row.p) == pytest.approx((want["F"], want["df1"], want["df2"],
                                                                      want["pval"]), rel=1e-12)
        # kept: pingouin's ICC above 0.8, strictly
        oracle = [f for f in res.inter["feature"] if _pingouin(readings, f).loc[label, "ICC"] > 0.8]
        assert res.kept == oracle, form


def test_icc_inter_and_intra_keep_features_above_threshold_in_both():
    rng = np.random.default_rng(11)
    inter = _readings(rng, k=2, noise=(0.2, 0.2, 3.0, 0.2))
    intra = _readings(rng, k=2, noise=(0.2, 3.0, 0.2, 0.2))
    intra = {"first": intra["reader1"], "repeat": intra["reader2"]}
    res = ep.icc(inter, intra=intra, threshold=0.75, roi="PVP")
    icc_inter = {f: _pingouin(inter, f).loc["ICC(A,1)", "ICC"] for f in ["f0", "f1", "f2", "f3"]}
    icc_intra = {f: _pingouin(intra, f).loc["ICC(A,1)", "ICC"] for f in ["f0", "f1", "f2", "f3"]}
    assert res.kept == [f for f in icc_inter if icc_inter[f] > 0.75 and icc_intra[f] > 0.75]
    assert "f1" not in res.kept and "f2" not in res.kept   # the noisy repeat and the noisy reader
    dropped = res.dropped.set_index("feature")
    assert sorted(dropped.index) == sorted(set(icc_inter) - set(res.kept))
    for f in dropped.index:
        assert dropped.loc[f, "icc_inter"] == pytest.approx(icc_inter[f], rel=1e-12)
        assert dropped.loc[f, "icc_intra"] == pytest.approx(icc_intra[f], rel=1e-12)
    assert [t.name for t in res.tables()] == ["icc_inter_PVP", "icc_intra_PVP", "icc_dropped", "icc_summary"]
    tidy = res.tidy()
    got = tidy[(tidy.statistic == "icc") & (tidy.column == "intra")].set_index("row")["value"]
    assert got.to_dict() == pytest.approx(icc_intra, rel=1e-12)


def test_icc_rois_combined_as_the_study_writes_them(tmp_path):
    rng = np.random.default_rng(4)
    a, b = _readings(rng, k=2), _readings(rng, k=2)
    parts = [ep.icc({"reader1": a["reader1"], "reader2": a["reader2"]}, intra={"first": a["reader1"],
                                                                               "repeat": a["reader2"]}, roi="AP"),
             ICCResult.without_readings("DP", ["x", "y"]),
             ep.icc({"reader1": b["reader1"], "reader2": b["reader2"]}, intra={"first": b["reader1"],
                                                                               "repeat": b["reader2"]}, roi="PVP")]
    res = ICCResult.combine(parts)
    summary = res.icc_summary()
    assert summary["roi"].tolist() == ["AP", "DP", "PVP"]
    assert summary.loc[1, "note"] == "no ICC readings" and summary.loc[1, "kept"] == 2
    assert res.kept_by_roi["DP"] == ["x", "y"]
    written = res.write(tmp_path / "tables", ["csv", "md"], numeric_dir=tmp_path / "features")
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert names == ["features/icc_dropped.csv", "features/icc_inter_AP.csv", "features/icc_inter_PVP.csv",
                     "features/icc_intra_AP.csv", "features/icc_intra_PVP.csv", "tables/icc_summary.csv",
                     "tables/icc_summary.md"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.threshold = 0.5


def test_icc_command_keeps_text_ids_and_matches_the_api(run_cli, tmp_path, r):
    rng = np.random.default_rng(8)
    readings = _readings(rng, k=3)
    paths = []
    for name, frame in readings.items():
        paths.append(tmp_path / f"{name}.csv")
        frame.to_csv(paths[-1], index=False)
    out = tmp_path / "out" / "icc.csv"
    code, _, err = run_cli("icc", *paths, "--id", "id", "--threshold", 0.8, "--out", out)
    assert code == 0, err
    table = pd.read_csv(out)
    api = ep.icc(readings, threshold=0.8)
    np.testing.assert_allclose(table["icc"], api.inter["icc"], rtol=1e-12)
    assert out.with_suffix(".kept.txt").read_text(encoding="utf-8").split() == api.kept
    assert (tmp_path / "out" / "icc_summary.csv").is_file() and (tmp_path / "out" / "icc_dropped.csv").is_file()
    # '00001' in one reader and '1' in another are different patients: ids are compared as written
    readings["reader2"].assign(id=readings["reader2"]["id"].map(lambda i: str(int(i)))).to_csv(paths[1],
                                                                                     index=False)
    code, _, err = run_cli("icc", *paths, "--id", "id", "--out", out)
    assert code == 2 and "ids differ" in err and "00001" in err


# --------------------------------------------------------------------------------------------- signatures

# The preprocessing and the glm in R, written here from the Methods: outliers beyond the training mean
# +/- 3 SD -> training median; z-score with the training mean and SD after the replacement.
R_SIGNATURE = """
prep <- function(x, ref) {
  m <- mean(ref); s <- sd(ref); med <- median(ref)
  lo <- m - 3 * s; hi <- m + 3 * s
  r2 <- ref; r2[r2 < lo | r2 > hi] <- med
  x[x < lo | x > hi] <- med
  (x - mean(r2)) / sd(r2)
}
zt <- as.data.frame(lapply(seq_along(feats), function(j) prep(xt[[j]], xt[[j]])))
zv <- as.data.frame(lapply(seq_along(feats), function(j) prep(xv[[j]], xt[[j]])))
names(zt) <- names(zv) <- feats
g <- glm(y ~ ., data = cbind(y = y, zt), family = binomial)
list(coef = unname(coef(g)), se = unname(summary(g)$coefficients[, 2]),
     lp = unname(predict(g, newdata = zv, type = "link")))
"""


def _cohort_table(seed=3, n=160, p=20):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, p)) * 4 + 20, columns=[f"feat_{j}" for j in range(p)])
    z = (X - 20) / 4
    lp = -0.4 + 1.5 * z["feat_1"] - 1.1 * z["feat_6"] + 0.8 * z["feat_9"]
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-lp))).astype(int)
    X.iloc[3, 4] = 400.0   # an outlier for the preprocessing
    cohort = np.where(rng.uniform(size=n) < 0.65, "training", "validation")
    cohort[0] = "validation"   # the table does not start with the training cohort
    return pd.concat([pd.DataFrame({"id": [f"{i:05d}" for i in range(n)], "cohort": cohort, "y": y}), X], axis=1)


FEATS = [f"feat_{j}" for j in range(20)]


@pytest.fixture(scope="module")
def fitted(r):
    data = _cohort_table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventsPerVariableWarning)
        sig = ep.build_signature(data, FEATS, "y", 17, name="RAD", k_mrmr=10, cohort_col="cohort",
                                 train_cohort="training", id_col="id")
    return data, sig


def test_signature_coefficients_equal_glm_in_r_on_the_training_cohort(fitted, r):
    data, sig = fitted
    train, valid = data[data.cohort == "training"], data[data.cohort == "validation"]
    feats = sig.features
    assert {"feat_1", "feat_6"} <= set(feats)
    want = r.evaluate(R_SIGNATURE, xt=train[feats], xv=valid[feats], y=train["y"].astype(float), feats=feats)
    np.testing.assert_allclose(sig.coefficients["coefficient"], want["coef"], rtol=1e-9)
    np.testing.assert_allclose(sig.glm_table["se"], want["se"], rtol=1e-9)
    # the validation cohort is only scored, with the training preprocessing and coefficients
    got = sig.scores[sig.scores.cohort == "validation"]
    assert got["id"].tolist() == valid["id"].tolist()
    np.testing.assert_allclose(got["RAD"], want["lp"], rtol=1e-9, atol=1e-12)
    assert sig.settings["n_train"] == len(train) and sig.settings["cohort"] == "training"
    # tidy carries the same numbers
    tidy = sig.tidy()
    coef = tidy[(tidy.table == "signature_coefficients") & (tidy.statistic == "coefficient")]
    np.testing.assert_allclose(coef["value"], want["coef"], rtol=1e-9)
    assert (coef["n"] == len(train)).all() and (coef["model"] == "RAD").all()


def test_signature_result_tables_and_figures(fitted, tmp_path):
    data, sig = fitted
    names = [t.name for t in sig.tables()]
    assert names == ["signature_coefficients", "glm_table", "lasso_coefficients", "lasso_path", "lasso_cv",
                     "mrmr_ranking", "preprocessing", "dropped_features", "lasso_foldid", "scores"]
    assert sig.scores["id"].tolist() == data["id"].tolist()      # every patient, in the input's order
    folds = sig.table("lasso_foldid")
    assert folds["id"].tolist() == data.loc[data.cohort == "training", "id"].tolist()
    assert sorted(folds["fold"].unique()) == list(range(1, 11))
    written = sig.write(tmp_path, ["csv", "md"])
    assert {p.name for p in written} >= {"signature_coefficients.md", "lasso_path.png", "lasso_cv.pdf"}
    for p in written:
        assert p.stat().st_size > 0


def test_select_command_writes_the_api_result(fitted, run_cli, tmp_path, r):
    data, _ = fitted
    src = tmp_path / "features.csv"
    data.to_csv(src, index=False)
    code, _, err = run_cli("select", src, "--outcome", "y", "--id", "id", "--cohort-col", "cohort", "--train-cohort",
                           "training", "--seed", 17, "--k", 10, "--name", "RAD", "--no-figures", "--out",
                           tmp_path / "out")
    assert code == 0, err
    from eprstats.fileio import read_csv
    from eprstats.selection.cli import read_with_ids
    same_input = read_with_ids(src, "feature table", "id")
    assert same_input["id"].tolist() == data["id"].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sig = ep.build_signature(same_input, FEATS, "y", 17, name="RAD", k_mrmr=10, cohort_col="cohort",
                                 train_cohort="training", id_col="id")
    sig.write(tmp_path / "api", figures=False)
    for p in (tmp_path / "api").iterdir():
        assert (tmp_path / "out" / p.name).read_bytes() == p.read_bytes(), p.name
    scores = read_csv(tmp_path / "out" / "scores.csv")
    assert list(scores.columns) == ["id", "cohort", "y", "RAD"]


def test_select_keeps_ids_as_written(run_cli, tmp_path, r):
    data = _cohort_table(seed=5)
    data.loc[[0, 1, 2, 3], "id"] = ["00001", "1.0", "NA", "null"]   # '00001' was row 1's id: now row 0's
    src = tmp_path / "ids.csv"
    data.to_csv(src, index=False)
    code, _, err = run_cli("select", src, "--outcome", "y", "--id", "id", "--cohort-col", "cohort", "--train-cohort",
                           "training", "--seed", 3, "--k", 8, "--no-figures", "--out", tmp_path / "out")
    assert code == 0, err
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", dtype=str, keep_default_na=False)
    assert scores["id"].tolist() == data["id"].tolist()
    assert scores["id"].iloc[:4].tolist() == ["00001", "1.0", "NA", "null"]
    folds = pd.read_csv(tmp_path / "out" / "lasso_foldid.csv", dtype=str, keep_default_na=False)
    assert set(folds["id"]) == set(data.loc[data.cohort == "training", "id"])


def test_select_refuses_an_empty_id(run_cli, tmp_path, r):
    data = _cohort_table(seed=5).astype({"id": object})
    data.loc[6, "id"] = None
    src = tmp_path / "ids.csv"
    data.to_csv(src, index=False)
    code, _, err = run_cli("select", src, "--outcome", "y", "--id", "id", "--seed", 3, "--out", tmp_path / "out")
    assert code == 2 and "empty patient id" in err and "Traceback" not in err


def test_cohort_label_with_trailing_space_is_refused(run_cli, tmp_path, r):
    data = _cohort_table(seed=6).astype({"cohort": object})
    rows = data.index[data.cohort == "training"][:3]
    data.loc[rows, "cohort"] = "training "
    src = tmp_path / "labels.csv"
    data.to_csv(src, index=False)
    code, _, err = run_cli("select", src, "--outcome", "y", "--id", "id", "--cohort-col", "cohort", "--train-cohort",
                           "training", "--seed", 3, "--out", tmp_path / "out")
    assert code == 2, err
    assert "'training'" in err and "'training '" in err and "Fix:" in err
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    with pytest.raises(InputError, match="'training '"):
        ep.build_signature(data, FEATS, "y", 3, name="RAD", cohort_col="cohort", train_cohort="training",
                           id_col="id")
