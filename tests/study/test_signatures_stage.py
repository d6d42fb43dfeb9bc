"""#24: the signatures stage only calls. Its arithmetic (rad-scores, a logistic model's predicted probability,
the coefficient table of either kind of model, events per variable) is in
:mod:`eprstats.evaluation.model_scores`; here each is checked against R called directly or a count by hand,
and the stage is checked to write what those functions give. Clinical models only (no LASSO), so it is fast;
the signatures' own tables are byte-identical to before (checked when #24 moved the code, on two ROI
signatures, a clinical and a combined model, 44 files)."""
from __future__ import annotations

import doctest
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from eprstats.cohort.settings import parse_settings
from eprstats.evaluation import model_scores
from eprstats.study import stages


@pytest.fixture(scope="module")
def run(r, tmp_path_factory):
    """The signatures stage on two logistic models without signatures, one with a text (categorical) predictor."""
    rng = np.random.default_rng(11)
    n = 90
    y = rng.integers(0, 2, n)
    manifest = pd.DataFrame({"id": [f"P{i:02d}" for i in range(n)],
                             "cohort": np.where(np.arange(n) % 3 == 0, "external", "training"), "outcome": y,
                             "age": (rng.normal(60, 8, n) + 4 * y).round(),
                             "afp": np.where(rng.random(n) < 0.3 + 0.4 * y, "high", "low")})
    out = tmp_path_factory.mktemp("signatures")
    models = {"Age": {"kind": "clinical", "predictors": ["age"]},
              "AgeAFP": {"kind": "combined", "predictors": ["age", "afp"]}}
    settings = parse_settings({"manifest": "m.csv", "models": models, "nomogram_model": "AgeAFP", "seed": 3})
    study = SimpleNamespace(manifest=manifest, id_column="id", cohort_column="cohort", outcome_column="outcome",
                            clinical_columns=["age", "afp"])
    ctx = SimpleNamespace(out=out, synthetic=False, train_cohort="training", settings=settings, study=study,
                          manifest_of=lambda stage: None)
    summary = stages.signatures(ctx)
    return out, manifest, summary


def test_predicted_probabilities_are_rms(r, run):
    """scores.csv: every patient's probability under rms::lrm fitted on the training cohort, as R's own
    predict gives it (the numeric model by the coefficient formula, the categorical one by predict.lrm)."""
    out, manifest, summary = run
    assert summary == {"built": ["Age", "AgeAFP"], "failed": {}}
    scores = pd.read_csv(out / "features" / "scores.csv")
    oracle = r.evaluate("""tr <- d[d$cohort == "training", ]
        fitted <- function(f) unname(stats::predict(f, newdata = d, type = "fitted"))
        list(age = fitted(rms::lrm(outcome ~ age, data = tr)),
             both = fitted(rms::lrm(outcome ~ age + afp, data = tr)))""",
                        d=manifest)
    np.testing.assert_allclose(scores["Age"], np.asarray(oracle["age"], dtype=float), rtol=1e-9)
    np.testing.assert_allclose(scores["AgeAFP"], np.asarray(oracle["both"], dtype=float), rtol=1e-9)


def test_coefficients_and_events_per_variable(run):
    out, manifest, _ = run
    coefs = pd.read_csv(out / "tables" / "coefficients" / "AgeAFP.csv")
    assert list(coefs.columns) == ["feature", "beta"] and coefs["feature"].iloc[0] == "Intercept"
    info = json.loads((out / "features" / "models.json").read_text(encoding="utf-8"))["models"]
    train = manifest[manifest["cohort"] == "training"]
    smaller = int(min(train["outcome"].sum(), (1 - train["outcome"]).sum()))  # counted by hand
    assert info["AgeAFP"]["events"] == smaller and info["AgeAFP"]["n_variables"] == 2  # afp counts once
    assert info["AgeAFP"]["epv"] == round(smaller / 2, 2) and info["Age"]["epv"] == smaller


def test_rad_scores_are_log_odds_and_the_examples_run():
    frame = pd.DataFrame({"sig": [0.2, 0.5, 0.9], "age": [50.0, 60.0, 70.0]})
    got = model_scores.rad_scores(frame, ["sig"])
    np.testing.assert_allclose(got["sig"], [np.log(0.2 / 0.8), 0.0, np.log(0.9 / 0.1)], rtol=1e-14)
    assert got["age"].equals(frame["age"]) and frame["sig"].iloc[0] == 0.2  # the input is left as it was
    assert model_scores.events_per_variable([1, 1, 1, 0, 0], 0) == (2, None)
    with pytest.raises(TypeError):
        model_scores.model_coefficients(object())
    failed, _ = doctest.testmod(model_scores, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0
