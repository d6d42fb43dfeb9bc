"""Signatures: LASSO selection and glm coefficients equal to cv.glmnet / stats::glm called directly in R on
the same preprocessed data and fold ids; scores equal R's predict(); the slice rule (logit of the mean
slice probability) equal to R's aggregate(); bad input and the real HCC-TACE-Seg table."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.selection.signature import EventsPerVariableWarning, SeparationWarning, build_signature

GLM = """
d <- data.frame(y = y, x); names(d) <- c("y", feats)
g <- glm(y ~ ., data = d, family = binomial)
nd <- as.data.frame(newx); names(nd) <- feats
list(coef = unname(coef(g)), lp = unname(predict(g, newdata = nd, type = "link")))
"""
CVGLMNET = """
cv <- glmnet::cv.glmnet(as.matrix(x), y, family = "binomial", alpha = 1, foldid = as.integer(foldid))
b <- as.matrix(coef(cv, s = rule)); list(coef = as.numeric(b), names = rownames(b))
"""


def _synthetic(seed=3, n=150, p=25):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, p)) * 5 + 50, columns=[f"feat_{j}" for j in range(p)])
    z = (X - 50) / 5
    lp = -0.5 + 1.6 * z["feat_2"] - 1.2 * z["feat_5"] + 0.9 * z["feat_11"]
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-lp))).astype(int)
    X.iloc[4, 3] = 500.0  # an outlier for the preprocessing
    X["flat"] = 1.0
    data = X.assign(y=y, id=[f"P{i:03d}" for i in range(n)])
    return data.iloc[:100].reset_index(drop=True), data.iloc[100:].reset_index(drop=True)


FEATURES = [f"feat_{j}" for j in range(25)] + ["flat"]


@pytest.fixture(scope="module")
def split():
    return _synthetic()


@pytest.fixture(scope="module")
def sig(r, split):
    train, _ = split
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventsPerVariableWarning)
        return build_signature(train, FEATURES, "y", seed=42, name="RAD", k_mrmr=12)


def _check_against_r(r, sig, train, valid):
    pre = sig.preprocessor
    zt, zv = pre.transform(train), pre.transform(valid)
    cands = sig.ranking["feature"].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glmnet's "fewer than 8 observations" on the real data
        lasso = r.evaluate(CVGLMNET, x=zt[cands], y=train["y"].astype(float), foldid=sig.lasso.foldid,
                           rule=sig.lasso.lambda_rule)
    beta = dict(zip(lasso["names"], lasso["coef"]))
    assert sig.features == [f for f in cands if beta[f] != 0]
    col = "coef_lambda_min" if sig.lasso.lambda_rule == "lambda.min" else "coef_lambda_1se"
    np.testing.assert_allclose(sig.lasso.coefficients[col], lasso["coef"], rtol=1e-10, atol=1e-14)
    feats = sig.features
    glm = r.evaluate(GLM, y=train["y"].astype(float), x=zt[feats], newx=zv[feats], feats=feats)
    np.testing.assert_allclose(sig.coefficients["coefficient"], glm["coef"], rtol=1e-9)
    np.testing.assert_allclose(sig.score(valid), glm["lp"], rtol=1e-9, atol=1e-12)
    assert sig.coefficients["feature"].iloc[0] == "(Intercept)"
    assert sig.coefficients["feature"].iloc[1:].tolist() == feats


def test_signature_equals_r_called_directly(r, sig, split):
    train, valid = split
    _check_against_r(r, sig, train, valid)
    assert {"feat_2", "feat_5"} <= set(sig.features)
    assert sig.preprocessor.dropped["feature"].tolist() == ["flat"]
    prov = sig.provenance
    assert prov["seed"] == 42 and prov["k_mrmr"] == 12 and prov["lambda_rule"] == "lambda.min"
    assert prov["lambda_min"] == sig.lasso.lambda_min and prov["dropped"][0]["feature"] == "flat"


def test_validation_uses_training_preprocessing(r, sig, split):
    train, valid = split
    # Scoring a cohort alone or together with others gives the same scores (nothing refitted).
    both = pd.concat([train, valid], ignore_index=True)
    np.testing.assert_allclose(sig.score(both).iloc[100:].to_numpy(), sig.score(valid).to_numpy(), rtol=1e-14)
    # The rad-score is the linear predictor: probabilities are its inverse logit.
    np.testing.assert_allclose(sig.score(valid, scale="probability"), 1 / (1 + np.exp(-sig.score(valid))))


def test_lambda_1se_and_epv_warning(r, split):
    train, valid = split
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sig = build_signature(train, FEATURES, "y", seed=42, name="RAD1se", k_mrmr=12, lambda_rule="lambda.1se")
    _check_against_r(r, sig, train, valid)
    events = int(min(train["y"].sum(), len(train) - train["y"].sum()))
    epv = [str(w.message) for w in caught if issubclass(w.category, EventsPerVariableWarning)]
    assert bool(epv) == (events / len(sig.features) < 10)
    # Few events: 12 of 100, many features selected -> a warning naming the events per variable.
    few = train.copy()
    few["y"] = 0
    few.loc[few.index[np.argsort(-few["feat_2"].to_numpy())[:12]], "y"] = 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build_signature(few, FEATURES, "y", seed=42, name="FEW", k_mrmr=12)
    epv = [str(w.message) for w in caught if issubclass(w.category, EventsPerVariableWarning)]
    assert len(epv) == 1 and "for 12 events (" in epv[0] and "events per variable, below 10" in epv[0]
    # The top 12 of feat_2 are the events: separation, reported as such.
    assert any(issubclass(w.category, SeparationWarning) for w in caught)


def test_slice_level_signature_mean_probability_rule(r):
    rng = np.random.default_rng(5)
    npat, nsl = 60, 3
    pat = np.repeat([f"P{i:02d}" for i in range(npat)], nsl)
    yp = rng.integers(0, 2, npat)
    yp[:2] = [0, 1]
    y = np.repeat(yp, nsl)
    X = pd.DataFrame(rng.normal(size=(npat * nsl, 15)), columns=[f"dl_{j}" for j in range(15)])
    X["dl_1"] += 1.2 * y
    X["dl_4"] -= 0.9 * y
    data = X.assign(patient=pat, y=y)
    train = data[np.isin(pat, [f"P{i:02d}" for i in range(40)])].reset_index(drop=True)
    valid = data[~np.isin(pat, [f"P{i:02d}" for i in range(40)])].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EventsPerVariableWarning)
        sig = build_signature(train, [f"dl_{j}" for j in range(15)], "y", seed=3, name="DLR", k_mrmr=8,
                              patient_col="patient")
    assert (pd.Series(sig.lasso.foldid).groupby(train["patient"]).nunique() == 1).all()
    feats = sig.features
    zt, zv = sig.preprocessor.transform(train), sig.preprocessor.transform(valid)
    want = r.evaluate(GLM + """
        p <- predict(g, newdata = nd, type = "response")
        m <- aggregate(p, by = list(patient = pat), FUN = mean)
        list(patient = as.character(m$patient), score = qlogis(m$x), coef = unname(coef(g)))""",
                      y=train["y"].astype(float), x=zt[feats], newx=zv[feats], feats=feats, pat=valid["patient"])
    np.testing.assert_allclose(sig.coefficients["coefficient"], want["coef"], rtol=1e-9)
    got = sig.score(valid)
    assert got.index.tolist() == want["patient"]
    np.testing.assert_allclose(got.to_numpy(), want["score"], rtol=1e-9)
    bad = train.copy()
    bad.loc[0, "y"] = 1 - bad.loc[0, "y"]
    with pytest.raises(InputError, match="outcome differs between slices"):
        build_signature(bad, feats, "y", seed=3, name="DLR", patient_col="patient")


def test_bad_input_names_the_model(r, split):
    train, _ = split
    with pytest.raises(InputError, match="single class") as exc:
        build_signature(train.assign(y=0), FEATURES, "y", seed=1, name="AP")
    assert exc.value.model == "AP"
    bad = train.copy()
    bad.loc[[1, 2, 3], "feat_7"] = np.nan
    bad.loc[9, "feat_8"] = np.inf
    with pytest.raises(InputError, match=r"infinite values in 1 column\(s\): feat_8 \(1 value\)"):
        build_signature(bad, FEATURES, "y", seed=1, name="AP")
    with pytest.raises(InputError, match=r"missing values \(NaN\) in 1 column\(s\): feat_7 \(3 values\)"):
        build_signature(bad.drop(columns="feat_8"), [f for f in FEATURES if f != "feat_8"], "y", seed=1, name="AP")
    with pytest.raises(InputError, match="not found"):
        build_signature(train, FEATURES, "outcome", seed=1, name="AP")


def test_empty_selection_is_a_clear_error(r):
    rng = np.random.default_rng(0)
    noise = pd.DataFrame(rng.normal(size=(60, 10)), columns=[f"n{j}" for j in range(10)])
    noise["y"] = np.r_[np.zeros(45), np.ones(15)].astype(int)
    with pytest.raises(InputError, match="LASSO \\(lambda.1se = .*\\) kept no feature for signature 'NOISE'") as exc:
        build_signature(noise, [f"n{j}" for j in range(10)], "y", seed=1, name="NOISE", k_mrmr=10,
                        lambda_rule="lambda.1se")
    assert exc.value.model == "NOISE"
    assert "lambda.min" in exc.value.fix or "larger k" in exc.value.fix


# ---- real data: HCC-TACE-Seg (84 patients, 12 events) ----------------------------------------------------

SPLIT_SEED = 5  # stratified 70/30 split by numpy's default_rng(5); LASSO seed 5; k = 20


def hcc_split(path, seed=SPLIT_SEED):
    data = pd.read_csv(path)
    rng = np.random.default_rng(seed)
    cohort = np.array(["validation"] * len(data), dtype=object)
    for cls in (0, 1):
        idx = np.flatnonzero(data["Target"].to_numpy() == cls)
        cohort[rng.choice(idx, size=int(round(0.7 * len(idx))), replace=False)] = "training"
    return data.assign(cohort=cohort)


@pytest.mark.slow
def test_real_hcc_tace_against_r(r, shared_data):
    data = hcc_split(shared_data / "radmlbench" / "HCC-TACE-Seg.csv.gz")
    feats = [c for c in data.columns if c not in ("ID", "Target", "cohort")]
    train = data[data["cohort"] == "training"].reset_index(drop=True)
    valid = data[data["cohort"] == "validation"].reset_index(drop=True)
    assert (len(train), int(train["Target"].sum()), len(valid), int(valid["Target"].sum())) == (58, 8, 26, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glmnet: fewer than 8 events; the events-per-variable warning
        sig = build_signature(train.rename(columns={"Target": "y"}), feats, "y", seed=SPLIT_SEED, name="CT",
                              k_mrmr=20)
    _check_against_r(r, sig, train.rename(columns={"Target": "y"}), valid.rename(columns={"Target": "y"}))
    assert 1 <= len(sig.features) <= 20
    # The same split with split seed 3 leaves LASSO empty: a clear error, not a crash.
    other = hcc_split(shared_data / "radmlbench" / "HCC-TACE-Seg.csv.gz", seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError, match="kept no feature for signature 'CT'"):
            build_signature(other[other["cohort"] == "training"], feats, "Target", seed=3, name="CT", k_mrmr=20)
