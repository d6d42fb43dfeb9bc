"""#15: calibration's warnings name the model as the caller named it (never its formula), and the cohort: R's
own messages (glm.fit's "fitted probabilities numerically 0 or 1", rms' "Divergence or singularity") name
neither. A model the caller did not name is "model 1" (or "model i" by its position)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import RWarning
from eprstats.evaluation.calibration import cohort_calibration


@pytest.fixture(scope="module")
def steep(r):
    """A strong predictor: on the external cohort glm.fit (the recalibration CIs) warns of fitted probabilities
    of 0 or 1, an R warning that names no model."""
    rng = np.random.default_rng(6)
    x = rng.normal(size=70)
    y = (rng.random(70) < 1 / (1 + np.exp(-4.0 * x))).astype(int)
    return pd.DataFrame({"x1": x, "x2": rng.normal(size=70), "y": y, "cohort": ["training"] * 30 + ["external"] * 40})


def _r_messages(call) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught if issubclass(w.category, RWarning)]


def test_r_warnings_name_the_model_and_cohort(steep):
    messages = _r_messages(lambda: ep.calibrate(steep, "y", {"Steep": ["x1", "x2"]}, cohort_col="cohort",
                                                train_cohort="training", boot_n=20, seed=1))
    assert messages, "the data no longer make glm.fit warn: the test would prove nothing"
    assert all("[model 'Steep', cohort " in m for m in messages), messages
    assert any("numerically 0 or 1" in m and m.endswith("[model 'Steep', cohort 'external']") for m in messages)
    assert not any("x1+x2" in m for m in messages)


def test_an_unnamed_model_is_model_1_never_its_formula(steep):
    messages = _r_messages(lambda: ep.calibrate(steep, "y", [["x1", "x2"]], cohort_col="cohort",
                                                train_cohort="training", boot_n=20, seed=1))
    assert messages and all("[model 'model 1', cohort " in m for m in messages), messages
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = cohort_calibration(steep, "y", ["x1", "x2"], cohort_col="cohort", train_cohort="training")
    named = [str(w.message) for w in caught if issubclass(w.category, RWarning)]
    assert named and all("[model 'model 1', cohort " in m for m in named) and len(table) == 2
    # a list of columns keeps naming each one-column model after its column
    cal = ep.calibrate(steep.assign(p=1 / (1 + np.exp(-steep["x1"]))), "y", ["p", ["x1", "x2"]], cohort_col="cohort",
                       train_cohort="training", boot_n=10, seed=1, validate=False)
    assert list(dict.fromkeys(cal.statistics["model"])) == ["p", "model 2"]
