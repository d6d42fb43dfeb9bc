"""#13: labels and ids are normalised or refused in ONE place (eprstats.validation), at every entry point.

Generated cases: cohort labels that differ only by case or surrounding white space, and empty cohort cells,
thrown at every command that takes --cohort-col, at the Python API and at a study file; ids such as ``00001``
that must survive as written. Each bad case must end with exit 2 and a message that names both spellings (or
the patients without a cohort), never with exit 0 and a table computed on the wrong patients."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.robustness.corpus import assert_clean_failure, error_paragraph, patients


def scored(seed=3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = patients(seed=seed)
    y = data["EPR"].to_numpy()
    data["score_a"] = y + rng.normal(size=len(y))
    data["score_b"] = 0.5 * y + rng.normal(size=len(y))
    data["p_old"] = 1 / (1 + np.exp(-(data["score_b"] - 0.5)))
    data["p_new"] = 1 / (1 + np.exp(-(data["score_a"] - 0.5)))
    for j in range(1, 7):
        data[f"f{j:02d}"] = rng.normal(size=len(y)) + (1.2 * y if j <= 2 else 0.0)
    return data


COHORT = ["--cohort-col", "cohort"]
TRAIN = [*COHORT, "--train-cohort", "training"]
COMMANDS = {
    "roc": ["--outcome", "EPR", "--scores", "score_a,score_b", *TRAIN, "--no-figures"],
    "fit": ["--outcome", "EPR", "--predictors", "AFP,score_a", *TRAIN, "--id-col", "id", "--no-figures"],
    "select": ["--outcome", "EPR", "--id", "id", *TRAIN, "--seed", "7", "--no-figures", "--k", "4",
               "--features", "f01,f02,f03,f04,f05,f06"],
    "table1": ["--outcome", "EPR", *COHORT, "--variables", "AFP,BCLC"],
    "calibration": ["--outcome", "EPR", "--predictors", "score_a", *TRAIN, "--B", "20", "--no-figures"],
    "nri": ["--outcome", "EPR", "--old", "p_old", "--new", "p_new", *COHORT],
    "dca": ["--outcome", "EPR", "--models", "p_old,p_new", *COHORT, "--no-figures"],
}


def _relabel(frame, rows, value):
    out = frame.copy()
    out["cohort"] = out["cohort"].astype(object)
    out.loc[rows, "cohort"] = value
    return out


def _variants():
    base = scored()
    train = base.index[base.cohort == "training"]
    ext = base.index[base.cohort == "external"]
    return {
        "trailing space": (_relabel(base, train[:4], "training "), ["'training'", "'training '"]),
        "leading space": (_relabel(base, ext[:3], " external"), ["'external'", "' external'"]),
        "other case": (_relabel(base, train[5:8], "Training"), ["'training'", "'Training'"]),
        "empty cells": (_relabel(base, ext[:5], np.nan), ["no cohort", "P060"]),
        "blank cells": (_relabel(base, train[10:12], "  "), ["no cohort", "P010"]),
    }


VARIANTS = _variants()
CASES = [(cmd, var) for cmd in COMMANDS for var in VARIANTS]


@pytest.mark.parametrize("command,variant", CASES, ids=[f"{c}: {v}" for c, v in CASES])
def test_cohort_labels_refused_by_every_command(command, variant, tmp_path, run_cli, tried, r):
    frame, needles = VARIANTS[variant]
    if command in ("table1", "roc", "calibration", "nri", "dca") and variant.endswith("cells"):
        needles = ["no cohort"]          # commands without an id option name the table rows instead
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    code, _, err = run_cli(command, path, *COMMANDS[command], "--out", out)
    tried(f"labels: {command}: {variant}")
    assert_clean_failure(code, error_paragraph(err), out, needles)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_cohort_labels_refused_by_the_python_api(variant, tried, r):
    import eprstats as ep
    from eprstats.errors import InputError

    frame, _ = VARIANTS[variant]
    calls = {
        "discrimination": lambda: ep.discrimination(frame, "EPR", ["score_a"], cohort_col="cohort",
                                                    train_cohort="training"),
        "table1": lambda: ep.table1(frame, "EPR", ["AFP"], cohort_col="cohort"),
        "decision_curve": lambda: ep.decision_curve(frame, "EPR", ["p_new"], cohort_col="cohort"),
    }
    for name, call in calls.items():
        tried(f"labels: api {name}: {variant}")
        with pytest.raises(InputError, match="cohort"):
            call()


def test_ids_stay_as_written(tmp_path, run_cli, tried, r):
    """Ids that a number parser would rewrite (00001 -> 1, 1.0, NA, null -> blank) are written back as given."""
    frame = scored()
    ids = [f"{i:05d}" for i in range(len(frame))]
    ids[1], ids[2], ids[3], ids[4] = "1.0", "NA", "null", "1e3"
    frame["id"] = ids
    path = tmp_path / "ids.csv"
    frame.to_csv(path, index=False)
    tried("ids: fit and select keep ids as text")
    code, _, err = run_cli("fit", path, *COMMANDS["fit"], "--out", tmp_path / "fit")
    assert code == 0, err
    written = pd.read_csv(tmp_path / "fit" / "scores.csv", dtype=str, keep_default_na=False)
    assert written["id"].tolist() == ids
    code, _, err = run_cli("select", path, *COMMANDS["select"], "--out", tmp_path / "sel")
    assert code == 0, err
    got = set()
    for p in (tmp_path / "sel").rglob("*.csv"):
        t = pd.read_csv(p, dtype=str, keep_default_na=False)
        if "id" in t.columns:
            got |= set(t["id"])
    assert got and got <= set(ids) and {"00000", "1.0", "NA", "null", "1e3"} <= got


def test_empty_id_is_refused(tmp_path, run_cli, tried, r):
    frame = scored().astype({"id": object})
    frame.loc[7, "id"] = np.nan
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    tried("ids: empty id at fit")
    code, _, err = run_cli("fit", path, *COMMANDS["fit"], "--out", tmp_path / "out")
    assert_clean_failure(code, error_paragraph(err), tmp_path / "out", ["empty patient id"])


# ------------------------------------------------------------------------------------------ the study file
def _study(tmp_path, edit):
    from tests.robustness.test_bad_imaging import make_study

    study, manifest = make_study(tmp_path, n=4)
    manifest["AFP"] = ["12.5", "300", "8", "41"]
    manifest = edit(manifest.astype({"cohort": object}))
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    return study


STUDY_CASES = {
    "cohort label with a trailing space": (lambda m: m.assign(cohort=["training", "training ", "training",
                                                                       "external"]),
                                           ["'training'", "'training '"]),
    "cohort label in another case": (lambda m: m.assign(cohort=["training", "Training", "training", "external"]),
                                     ["'Training'"]),
    "text in a numeric clinical column": (lambda m: m.assign(AFP=["12.5", ">400", "8", "41"]),
                                          ["'AFP'", "'>400'", "P2"]),
    "decimal comma in a numeric clinical column": (lambda m: m.assign(AFP=["12.5", "300", "8,5", "41"]),
                                                   ["'AFP'", "'8,5'", "P3", "8.5"]),
}


@pytest.mark.parametrize("name", list(STUDY_CASES))
def test_study_file_labels_and_numbers_checked_at_validate(name, tmp_path, run_cli, tried):
    edit, needles = STUDY_CASES[name]
    study = _study(tmp_path, edit)
    code, out, err = run_cli("validate", study)
    tried(f"study: {name}")
    assert code == 2, out + err
    text = out + err
    for needle in needles:
        assert needle in text, (needle, text)


def test_study_file_numeric_column_of_numbers_passes(tmp_path, run_cli):
    """The same manifest with numbers only validates (the check above is not a check that always fails)."""
    study = _study(tmp_path, lambda m: m)
    code, out, err = run_cli("validate", study)
    assert code == 0, out + err
