"""#15/#16: each statistics option of the study file reaches its stage: the stage writes, byte for byte, what the
stage's function writes when called directly with that option; without the key it writes what the function writes
with its defaults (today's outputs), and the option changes at least one file. pROC's aSAH data (113 patients,
every third one 'external'), three models on their probabilities, through a minimal run context."""
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
          "Comb": {"kind": "combined", "predictors": ["S100", "NDKA", "age"]}}
CLINICAL = ["age", "gender", "wfns"]
LABELS = {"training": "Training", "external": "External validation"}


@pytest.fixture(scope="module")
def tables(r):
    data = load_asah(r, "thirds")
    manifest = pd.DataFrame({"id": [f"{i:04d}" for i in range(len(data))], "cohort": data["cohort"],
                             "outcome": data["y"], "age": data["age"], "gender": data["gender"].astype(str),
                             "wfns": data["wfns"]})
    expit = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    scores = manifest[["id", "cohort", "outcome"]].assign(
        S100=expit(3 * data["s100b"] - 1.2), NDKA=expit(data["ndka"] / 15 - 1),
        Comb=expit(2 * data["s100b"] + data["ndka"] / 30 + data["age"] / 50 - 2.5))
    return manifest, scores


def _context(folder, tables, stage, **options):
    manifest, scores = tables
    (folder / "features").mkdir(parents=True)
    # Table 3 needs its combined model; the ROC and calibration stages run on two models (figures take time)
    scores = scores if stage == "table3" else scores.drop(columns="Comb")
    scores.to_csv(folder / "features" / "scores.csv", index=False)
    settings = parse_settings({"manifest": "m.csv", "models": MODELS, "nomogram_model": "Comb", "bootstrap": B,
                               "seed": SEED, **options})
    study = SimpleNamespace(manifest=manifest, id_column="id", cohort_column="cohort", outcome_column="outcome",
                            clinical_columns=CLINICAL)
    return SimpleNamespace(out=folder, synthetic=False, train_cohort="training", settings=settings, study=study)


def _direct(stage: str, ctx, folder, **options):
    """What the stage's function writes when called directly with ``options`` (the stage's fixed arguments as
    its docstring states them)."""
    from eprstats.characteristics.table_one import table1
    from eprstats.evaluation.calibration import calibrate
    from eprstats.evaluation.discrimination import discrimination
    from eprstats.evaluation.models import fit_model
    from eprstats.validation import logit

    clin = ctx.study.manifest  # its columns are named as the stages name them: id, cohort, outcome
    scores, built = stages._scores(ctx)
    if stage == "table1":
        result = table1(clin, "outcome", CLINICAL, cohort_col="cohort", train_cohort="training",
                        outcome_labels=("Non-EPR", "EPR"), id_col="id", **options)
        return result.write(folder, stages.TABLE_FORMATS)
    if stage == "table2":
        result = discrimination(scores, "outcome", built, cohort_col="cohort", train_cohort="training",
                                cohort_labels=LABELS, seed=SEED, **options)
        return result.write(folder, stages.TABLE_FORMATS, figures=False)
    if stage == "table3":
        data = scores.merge(clin.drop(columns=["cohort", "outcome"]), on="id", how="left")
        for p in ("S100", "NDKA"):
            data[p] = logit(data[p])
        result = fit_model(data, "outcome", MODELS["Comb"]["predictors"], name="Comb", cohort_col="cohort",
                           train_cohort="training", id_col="id", **options)
        return result.write(folder, stages.TABLE_FORMATS, figures=False,
                            note="Signatures enter on the logit (rad-score) scale.")
    result = calibrate(scores, "outcome", built, cohort_col="cohort", train_cohort="training", boot_n=B, seed=SEED,
                       probabilities=True, skip_failed=True, **options)
    return result.write(folder, stages.TABLE_FORMATS, figures=False)


def _same(stage: str, tmp_path, tables, key_values: dict, options: dict) -> dict:
    """Run the stage with the study keys, the function with the options; assert the same bytes; return them."""
    tag = "_".join(f"{k}" for k in key_values) or "default"
    ctx = _context(tmp_path / f"study_{tag}", tables, stage, **key_values)
    getattr(stages, stage)(ctx)
    written = _direct(stage, ctx, tmp_path / f"direct_{tag}", **options)
    files = {p.name: p.read_bytes() for p in written}
    assert files, stage
    assert {n: (ctx.out / "tables" / n).read_bytes() for n in files} == files
    return files


@pytest.mark.parametrize("stage, keys, options, changed", [
    ("table1", {"table1_continuous_rule": "spss"}, {"continuous_rule": "spss"}, "table1_tests.csv"),
    ("table2", {"accuracy_ci_method": "wilson", "optimism_bootstrap": 3}, {"ci_method": "wilson", "optimism_B": 3},
     "diagnostic_accuracy_numeric.csv"),
    ("table3", {"table3_stepwise": "spss-bwald"}, {"stepwise": "spss-bwald"}, "table3.md"),
    ("calibration", {"hl_grouping": "spss", "hl_external_df": "g"}, {"hl_grouping": "spss", "hl_external_df": "g"},
     "calibration_numeric.csv"),
    ("calibration", {"hl_groups": 8}, {"g": 8}, "calibration_numeric.csv"),
])
def test_each_key_writes_what_the_function_writes_with_that_option(r, tmp_path, tables, stage, keys, options,
                                                                      changed):
    default = _same(stage, tmp_path, tables, {}, {})
    switched = _same(stage, tmp_path, tables, keys, options)
    assert default[changed] != switched[changed]
    if stage == "table2":
        assert "optimism-corrected" in switched["table2.md"].decode() and "Wilson" in switched[
            "diagnostic_accuracy.md"].decode()
    if stage == "calibration" and "hl_grouping" in keys:
        assert "hosmer_lemeshow.csv" in switched and "hosmer_lemeshow.csv" not in default


def test_too_many_hl_groups_names_the_study_key(r, tmp_path, tables):
    """The command's --groups is the study's hl_groups: the error says which cohort is too small and the key's
    largest value (half the cohort); the external third of aSAH has 38 patients."""
    from eprstats.errors import InputError

    n_external = int((tables[0]["cohort"] == "external").sum())
    ctx = _context(tmp_path / "study", tables, "calibration", hl_groups=n_external // 2 + 1)
    with pytest.raises(InputError) as err:
        stages.calibration(ctx)
    message = err.value.message
    assert f"hl_groups = {n_external // 2 + 1} Hosmer-Lemeshow groups for the external cohort of {n_external}" in message
    assert f"set 'hl_groups: {n_external // 2}'" in message and "--groups" not in message
