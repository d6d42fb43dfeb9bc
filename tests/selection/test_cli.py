"""``eprstats select`` and ``eprstats icc`` end to end: outputs, byte-identical reruns, values against R
and the Shrout & Fleiss (1979) published ICCs, bad input as one paragraph with exit code 2."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

SF = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)

GLM = """
d <- data.frame(y = y, x); names(d) <- c("y", feats)
g <- glm(y ~ ., data = d, family = binomial)
nd <- as.data.frame(newx); names(nd) <- feats
list(coef = unname(coef(g)), lp = unname(predict(g, newdata = nd, type = "link")))
"""


def _hcc_with_cohorts(shared_data, tmp_path, seed=5):
    data = pd.read_csv(shared_data / "radmlbench" / "HCC-TACE-Seg.csv.gz")
    rng = np.random.default_rng(seed)
    cohort = np.array(["validation"] * len(data), dtype=object)
    for cls in (0, 1):
        idx = np.flatnonzero(data["Target"].to_numpy() == cls)
        cohort[rng.choice(idx, size=int(round(0.7 * len(idx))), replace=False)] = "training"
    data.insert(1, "cohort", cohort)
    path = tmp_path / "hcc.csv"
    data.to_csv(path, index=False)
    return data, path


@pytest.mark.slow
def test_select_on_real_data_outputs_r_values_and_identical_bytes(r, run_cli, shared_data, tmp_path):
    data, path = _hcc_with_cohorts(shared_data, tmp_path)
    args = [path, "--outcome", "Target", "--id", "ID", "--cohort-col", "cohort", "--train-cohort", "training",
            "--seed", 5, "--k", 20, "--name", "CT", "--formats", "csv,md"]
    code, out, err = run_cli("select", *args, "--out", tmp_path / "a")
    assert code == 0, err
    code2, _, err2 = run_cli("select", *args, "--out", tmp_path / "b", "--no-figures")
    assert code2 == 0, err2
    a, b = tmp_path / "a", tmp_path / "b"
    csvs = sorted(p.name for p in a.glob("*.csv"))
    assert {"signature_coefficients.csv", "scores.csv", "lasso_path.csv", "lasso_cv.csv", "lasso_coefficients.csv",
            "mrmr_ranking.csv", "dropped_features.csv", "glm_table.csv", "preprocessing.csv"} <= set(csvs)
    for name in csvs:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for fig in ("lasso_path", "lasso_cv"):
        for ext in ("png", "pdf"):
            assert (a / "figures" / f"{fig}.{ext}").stat().st_size > 1000
    assert (a / "signature_coefficients.md").exists()
    prov = json.loads((a / "signature_coefficients.provenance.json").read_text(encoding="utf-8"))
    assert prov["seed"] == 5 and prov["settings"]["k_mrmr"] == 20 and prov["settings"]["lambda_rule"] == "lambda.min"
    # Values: Table S2 equals glm on the selected features (R, directly), and the scores equal its
    # linear predictor on the training-preprocessed features, for both cohorts.
    from eprstats.selection.preprocess import fit_preprocessor
    coef = pd.read_csv(a / "signature_coefficients.csv")
    feats = coef["feature"].iloc[1:].tolist()
    train = data[data["cohort"] == "training"]
    allf = [c for c in data.columns if c not in ("ID", "Target", "cohort")]
    pre = fit_preprocessor(train, allf)
    want = r.evaluate(GLM, y=train["Target"].astype(float), x=pre.transform(train)[feats],
                      newx=pre.transform(data)[feats], feats=feats)
    np.testing.assert_allclose(coef["coefficient"], want["coef"], rtol=1e-9)
    scores = pd.read_csv(a / "scores.csv")
    assert scores["ID"].tolist() == data["ID"].tolist() and list(scores.columns) == ["ID", "cohort", "Target", "CT"]
    np.testing.assert_allclose(scores["CT"], want["lp"], rtol=1e-9, atol=1e-12)


def test_select_bad_input_exit_2(r, run_cli, tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(40, 5)), columns=list("abcde"))
    frame.insert(0, "pid", [f"P{i}" for i in range(40)])
    frame["y"] = 0
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    code, _, err = run_cli("select", path, "--outcome", "y", "--id", "pid", "--seed", 1, "--out", tmp_path / "o",
                           "--name", "AP")
    assert code == 2 and "single class" in err and "model 'AP'" in err and "Traceback" not in err
    frame["y"] = np.r_[np.zeros(30), np.ones(10)].astype(int)
    frame.loc[[2, 5], "c"] = np.nan
    frame.to_csv(path, index=False)
    code, _, err = run_cli("select", path, "--outcome", "y", "--id", "pid", "--seed", 1, "--out", tmp_path / "o")
    assert code == 2 and "c (2 values)" in err
    code, _, err = run_cli("select", path, "--outcome", "y", "--id", "pid", "--seed", 1, "--cohort-col", "site",
                           "--train-cohort", "A", "--out", tmp_path / "o")
    assert code == 2 and "'site'" in err


def test_icc_command_shrout_fleiss(r, run_cli, tmp_path):
    files = []
    for j in range(4):
        frame = pd.DataFrame({"pid": [f"T{i + 1}" for i in range(6)], "sf": SF[:, j], "flat": 1.0})
        files.append(tmp_path / f"reader{j + 1}.csv")
        frame.to_csv(files[-1], index=False)
    out = tmp_path / "icc" / "icc.csv"
    code, _, err = run_cli("icc", *files, "--id", "pid", "--out", out, "--threshold", 0.2)
    assert code == 0, err
    table = pd.read_csv(out).set_index("feature")
    assert table.loc["sf", "icc"] == pytest.approx(0.29, abs=0.005)  # Shrout & Fleiss ICC(2,1)
    assert np.isnan(table.loc["flat", "icc"])
    assert (out.with_suffix(".kept.txt")).read_text(encoding="utf-8") == "sf\n"
    code, _, _ = run_cli("icc", *files, "--id", "pid", "--type", "ICC(3,k)", "--out", out)
    assert pd.read_csv(out)["icc"].iloc[0] == pytest.approx(0.91, abs=0.005)  # ICC(3,4)
    pd.read_csv(files[1]).iloc[:5].to_csv(files[1], index=False)
    code, _, err = run_cli("icc", *files, "--id", "pid", "--out", out)
    assert code == 2 and "ids differ" in err and "T6" in err


def test_select_slices_one_score_per_patient(r, run_cli, tmp_path):
    rng = np.random.default_rng(5)
    npat, nsl = 50, 3
    yp = np.r_[np.zeros(30), np.ones(20)].astype(int)
    frame = pd.DataFrame(rng.normal(size=(npat * nsl, 8)), columns=[f"dl_{j}" for j in range(8)])
    frame["dl_1"] += 1.5 * np.repeat(yp, nsl)
    frame.insert(0, "patient", np.repeat([f"P{i:02d}" for i in range(npat)], nsl))
    frame["y"] = np.repeat(yp, nsl)
    frame["cohort"] = np.where(np.repeat(np.arange(npat), nsl) % 5 == 0, "external", "training")
    frame["slice"] = np.tile([40, 41, 42], npat)  # numeric, but not a feature: excluded under --slices
    path = tmp_path / "slices.csv"
    frame.to_csv(path, index=False)
    code, _, err = run_cli("select", path, "--outcome", "y", "--id", "patient", "--slices", "--cohort-col",
                           "cohort", "--train-cohort", "training", "--k", 6, "--seed", 9, "--out", tmp_path / "s",
                           "--no-figures")
    assert code == 0, err
    scores = pd.read_csv(tmp_path / "s" / "scores.csv")
    assert len(scores) == npat and scores["patient"].is_unique
    assert "slice" not in pd.read_csv(tmp_path / "s" / "preprocessing.csv")["feature"].tolist()
    # logit(mean slice probability), with the slice probabilities from Table S2's coefficients applied in R.
    from eprstats.selection.preprocess import fit_preprocessor
    coef = pd.read_csv(tmp_path / "s" / "signature_coefficients.csv")
    feats = coef["feature"].iloc[1:].tolist()
    train = frame[frame["cohort"] == "training"]
    z = fit_preprocessor(train, [f"dl_{j}" for j in range(8)]).transform(frame)[feats]
    want = r.evaluate("""p <- plogis(b[1] + as.matrix(z) %*% b[-1])
        m <- tapply(as.numeric(p), factor(pat, levels = unique(pat)), mean); qlogis(as.numeric(m))""",
                      b=coef["coefficient"].to_numpy(), z=z, pat=frame["patient"])
    by_patient = scores.set_index("patient").loc[frame["patient"].unique(), "signature"]
    np.testing.assert_allclose(by_patient.to_numpy(), want, rtol=1e-10)
