"""LASSO selection: equal to glmnet::cv.glmnet called directly in R with the same fold ids; the fold ids
are the documented draw after set.seed(seed), stratified by outcome or grouped by patient."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.selection.lasso import lasso_select

DIRECT = """
cv <- glmnet::cv.glmnet(as.matrix(x), y, family = "binomial", alpha = 1, foldid = as.integer(foldid))
list(lmin = cv$lambda.min, l1se = cv$lambda.1se,
     cmin = as.numeric(as.matrix(coef(cv, s = "lambda.min"))), c1se = as.numeric(as.matrix(coef(cv, s = "lambda.1se"))),
     cvm = cv$cvm, cvsd = cv$cvsd, lambda = cv$lambda, nzero = as.numeric(cv$nzero),
     beta = as.numeric(as.matrix(cv$glmnet.fit$beta)))
"""


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n, p = 90, 10
    X = pd.DataFrame(rng.normal(size=(n, p)), columns=[f"f{j}" for j in range(p)])
    lp = -1.0 + 1.5 * X["f0"] - 1.0 * X["f3"] + 0.7 * X["f7"]
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-lp))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def result(r, data):
    X, y = data
    return lasso_select(X, y, seed=2024)


def test_equals_cv_glmnet_called_directly(r, data, result):
    X, y = data
    want = r.evaluate(DIRECT, x=X, y=y.astype(float), foldid=result.foldid)
    assert result.lambda_min == pytest.approx(want["lmin"], rel=1e-12)
    assert result.lambda_1se == pytest.approx(want["l1se"], rel=1e-12)
    np.testing.assert_allclose(result.coefficients["coef_lambda_min"], want["cmin"], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(result.coefficients["coef_lambda_1se"], want["c1se"], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(result.cv_curve["cvm"], want["cvm"], rtol=1e-12)
    np.testing.assert_allclose(result.cv_curve["cvsd"], want["cvsd"], rtol=1e-12)
    np.testing.assert_allclose(result.cv_curve["lambda"], want["lambda"], rtol=1e-12)
    np.testing.assert_array_equal(result.cv_curve["nzero"], want["nzero"])
    np.testing.assert_allclose(result.path["coefficient"], want["beta"], rtol=1e-10, atol=1e-14)
    cmin = np.asarray(want["cmin"])[1:]
    assert result.selected == [f for f, b in zip(X.columns, cmin) if b != 0]
    assert {"f0", "f3"} <= set(result.selected)  # the true signal is found
    assert set(result.selected_at("lambda.1se")) <= set(result.selected)


def test_fold_ids_are_the_documented_draw_after_the_seed(r, data, result):
    X, y = data
    # The documented stratified draw, written out here: random order within class, labels dealt in turn,
    # then a random permutation of the labels.
    want = r.evaluate("""
        set.seed(2024, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
        u <- runif(length(y)); ord <- order(y, u); f <- integer(length(y))
        f[ord] <- rep(1:10, length.out = length(y)); p <- sample.int(10); p[f]""", y=y.astype(float))
    np.testing.assert_array_equal(result.foldid, np.asarray(want, dtype=int))
    events = np.bincount(result.foldid[y == 1], minlength=11)[1:]
    sizes = np.bincount(result.foldid, minlength=11)[1:]
    assert events.max() - events.min() <= 1 and sizes.max() - sizes.min() <= 1
    again = lasso_select(X, y, seed=2024)
    np.testing.assert_array_equal(again.foldid, result.foldid)
    assert not np.array_equal(lasso_select(X, y, seed=2025).foldid, result.foldid)


def test_unstratified_is_cv_glmnets_own_draw(r, data):
    X, y = data
    res = lasso_select(X, y, seed=11, stratified=False, nfolds=5)
    want = r.evaluate("""
        set.seed(11, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
        sample(rep(seq(5), length = n))""", n=len(y))
    np.testing.assert_array_equal(res.foldid, np.asarray(want, dtype=int))


def test_groups_keep_a_patients_slices_in_one_fold(r, data):
    X, y = data
    groups = np.repeat([f"P{i}" for i in range(30)], 3)
    yg = np.repeat(y[:30], 3)
    res = lasso_select(X, yg, seed=5, groups=groups)
    per = pd.Series(res.foldid).groupby(groups).nunique()
    assert (per == 1).all()
    ev = pd.Series(res.foldid[::3])[y[:30] == 1].value_counts()
    assert ev.max() - (0 if len(ev) < 10 else ev.min()) <= 1


def test_bad_input(r, data):
    X, y = data
    with pytest.raises(InputError, match="single class"):
        lasso_select(X, np.zeros(len(y)), seed=1)
    with pytest.raises(InputError, match="lambda rule"):
        lasso_select(X, y, seed=1, lambda_rule="lambda.max")
    with pytest.raises(InputError, match="folds"):
        lasso_select(X, y, seed=1, nfolds=2)
    with pytest.raises(InputError, match="not only 0/1"):
        lasso_select(X, y + 1, seed=1)
