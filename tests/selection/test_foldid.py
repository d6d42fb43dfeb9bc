"""``eprstats select`` writes what a user needs to reproduce the LASSO cross-validation in R: the fold ids
(``lasso_foldid.csv``), the lambda path (``lasso_path.csv``) and the curve (``lasso_cv.csv``). The test runs
``select``, rebuilds the matrix cv.glmnet saw from the written preprocessing and mRMR files, checks it is the
matrix the package passed to R, and calls ``glmnet::cv.glmnet(foldid = ...)`` directly on it."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

# glmnet's own lambda sequence, as select ran it: do NOT pass the written lambdas as `lambda =`, since
# cv.glmnet then fits every fold on them instead of letting each fold take its own sequence and
# interpolating (alignment = "lambda"), which changes cvm in the 4th digit.
CV = """
cv <- glmnet::cv.glmnet(as.matrix(x), y, family = "binomial", alpha = 1, foldid = as.integer(foldid),
                        type.measure = "deviance")
list(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, nzero = unname(as.integer(cv$nzero)),
     lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se, beta = as.numeric(as.matrix(cv$glmnet.fit$beta)))
"""


def _table(tmp_path):
    rng = np.random.default_rng(11)
    n, p = 90, 10
    y = np.r_[np.zeros(55), np.ones(35)].astype(int)
    rng.shuffle(y)
    x = rng.normal(size=(n, p))
    x[:, 0] += 1.2 * y
    x[:, 3] -= 0.8 * y
    x[5, 2] = 9.0  # an outlier: the training median replaces it
    frame = pd.DataFrame(x, columns=[f"f{j}" for j in range(p)])
    frame.insert(0, "pid", [f"P{i:03d}" for i in range(n)])
    frame.insert(1, "cohort", np.where(np.arange(n) % 4 == 0, "test", "train"))
    frame["y"] = y
    path = tmp_path / "features.csv"
    frame.to_csv(path, index=False)
    return frame, path


def test_cv_glmnet_reproduced_in_r_from_written_foldid(r, run_cli, tmp_path, monkeypatch):
    from eprstats import rbridge

    seen = {}
    real_call = rbridge.call

    def spy(fname, *args, **kwargs):  # the matrix and outcome the package hands to cv.glmnet
        if fname == "selection_cv_glmnet":
            seen["x"], seen["y"] = args[0].copy(), np.asarray(args[1], dtype=float).copy()
        return real_call(fname, *args, **kwargs)

    monkeypatch.setattr(rbridge, "call", spy)
    frame, path = _table(tmp_path)
    out = tmp_path / "sel"
    code, _, err = run_cli("select", path, "--outcome", "y", "--id", "pid", "--cohort-col", "cohort",
                           "--train-cohort", "train", "--seed", 7, "--k", 6, "--nfolds", 5, "--out", out,
                           "--no-figures")
    assert code == 0, err
    folds = pd.read_csv(out / "lasso_foldid.csv", dtype={"pid": str})
    curve = pd.read_csv(out / "lasso_cv.csv")
    path_tab = pd.read_csv(out / "lasso_path.csv")
    ranking = pd.read_csv(out / "mrmr_ranking.csv")
    pre = pd.read_csv(out / "preprocessing.csv").set_index("feature")

    # The matrix, rebuilt by hand from the written files: training rows in input order, the mRMR candidates
    # in rank order, outliers outside [lower, upper] -> median, then (x - mean) / sd.
    train = frame[frame["cohort"] == "train"].reset_index(drop=True)
    cand = ranking.sort_values("rank")["feature"].tolist()
    raw = train[cand].astype(float)
    p = pre.loc[cand]
    raw = raw.mask((raw < p["lower"]) | (raw > p["upper"]), p["median"], axis=1)
    x = (raw - p["mean"]) / p["sd"]
    assert pre.loc["f2", "outliers_train"] >= 1  # the replacement step is exercised
    assert list(seen["x"].columns) == cand
    np.testing.assert_allclose(x.to_numpy(), seen["x"].to_numpy(), rtol=1e-13, atol=1e-14)
    np.testing.assert_array_equal(seen["y"], train["y"].to_numpy(dtype=float))

    # The fold ids, one per training patient, in the training rows' order.
    assert folds["pid"].tolist() == train["pid"].tolist()
    foldid = folds["fold"].to_numpy()
    assert sorted(set(foldid)) == [1, 2, 3, 4, 5]

    # R, directly: cv.glmnet with the written foldid on the package's matrix reproduces the written curve
    # and lambda path exactly ...
    y = train["y"].to_numpy(dtype=float)
    lam = path_tab.drop_duplicates("step")["lambda"].to_numpy()
    want = r.evaluate(CV, x=seen["x"], y=y, foldid=foldid)
    for col in ("lambda", "cvm", "cvsd"):
        np.testing.assert_allclose(curve[col], want[col], rtol=1e-12, err_msg=col)
    np.testing.assert_allclose(lam, want["lambda"], rtol=1e-12)
    # ... and on the matrix rebuilt from the written files: what a user does.
    user = r.evaluate(CV, x=x, y=y, foldid=foldid)
    for col in ("lambda", "cvm", "cvsd"):
        np.testing.assert_allclose(curve[col], user[col], rtol=1e-9, err_msg=col)
    np.testing.assert_array_equal(curve["nzero"], user["nzero"])
    prov = json.loads((out / "signature_coefficients.provenance.json").read_text(encoding="utf-8"))
    assert prov["settings"]["lambda_min"] == pytest.approx(user["lambda_min"], rel=1e-9)
    assert prov["settings"]["lambda_1se"] == pytest.approx(user["lambda_1se"], rel=1e-9)
    # The written path is glmnet's coefficient path (features x lambdas, column-major as R stores it).
    wide = path_tab.pivot(index="feature", columns="step", values="coefficient").loc[cand]
    np.testing.assert_allclose(wide.to_numpy().ravel(order="F"), user["beta"], rtol=1e-8, atol=1e-12)

    # The folds matter: other fold ids give another curve, so the equality above is not automatic.
    other = r.evaluate(CV, x=x, y=y, foldid=np.roll(foldid, 1))
    assert not np.allclose(curve["cvm"], other["cvm"], rtol=1e-6)
