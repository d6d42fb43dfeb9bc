"""#24: the study's calibration and decision-curve stages write their figures by the one route a command uses
(``result.write``), so the study's figures/ holds the files of ``eprstats calibration`` and ``eprstats dca``,
byte for byte, under the paper's names (figure6b_calibration, figure6c_dca_COHORT). pROC's aSAH data (113
patients, every third one 'external'), two models on their probabilities, through a minimal run context."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from eprstats.cohort.settings import parse_settings
from eprstats.study import stages
from tests.evaluation.asah import load_asah

SEED, B = 7, 10
MODELS = {"S100": {"kind": "roi", "roi": "A"}, "NDKA": {"kind": "roi", "roi": "B"},
          "Comb": {"kind": "combined", "predictors": ["S100", "NDKA"]}}


@pytest.fixture(scope="module")
def study(r, tmp_path_factory):
    """The calibration and dca stages run once on the scores of two models."""
    data = load_asah(r, "thirds")
    expit = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    scores = pd.DataFrame({"id": [f"{i:04d}" for i in range(len(data))], "cohort": data["cohort"],
                           "outcome": data["y"], "S100": expit(3 * data["s100b"] - 1.2),
                           "NDKA": expit(data["ndka"] / 15 - 1)})
    out = tmp_path_factory.mktemp("study")
    (out / "features").mkdir()
    scores.to_csv(out / "features" / "scores.csv", index=False)
    settings = parse_settings({"manifest": "m.csv", "models": MODELS, "nomogram_model": "Comb", "bootstrap": B,
                               "seed": SEED})
    ctx = SimpleNamespace(out=out, synthetic=False, train_cohort="training", settings=settings,
                          study=SimpleNamespace(manifest=scores))
    stages.calibration(ctx)
    stages.dca(ctx)
    return out


def _files(folder) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_the_stages_figures_are_the_commands_byte_for_byte(r, run_cli, tmp_path, study):
    scores = study / "features" / "scores.csv"
    runs = {"calibration": ["--probabilities", "S100,NDKA", "--cohort-col", "cohort", "--train-cohort", "training",
                            "--B", B, "--seed", SEED],
            "dca": ["--models", "S100,NDKA", "--cohort-col", "cohort"]}
    commands = {}
    for command, args in runs.items():
        code, _, err = run_cli(command, scores, "--outcome", "outcome", *args, "--out", tmp_path / command)
        assert code == 0, err
        commands.update(_files(tmp_path / command / "figures"))
        # and the CSV tables too (the other formats: tests/evaluation/test_api_calibration.py)
        for name, data in _files(tmp_path / command).items():
            if name.endswith(".csv"):
                assert (study / "tables" / name).read_bytes() == data, name
    assert _files(study / "figures") == commands
    expected = {"figure6b_calibration", "calibration_S100", "calibration_NDKA", "calibration_models_external",
                "figure6c_dca_training", "figure6c_dca_external"}
    assert set(commands) == {f"{stem}.{ext}" for stem in expected for ext in ("png", "pdf")}

