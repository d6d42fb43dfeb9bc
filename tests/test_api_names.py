"""One name per idea across the Python API (#24): docs/api.md's table of argument names is checked against
every exported function's signature, both ways; each former name still works, warns (naming the new one) and
gives the same numbers; and the missing ``train_cohort`` has one rule, the same in every function that fits or
chooses something on the training cohort."""
from __future__ import annotations

import inspect
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.evaluation import discrimination as disc

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
FUNCTIONS = sorted(set(ep.__all__) - set(ep._PACKAGES))


def _names_table() -> list[dict]:
    """docs/api.md's "One name per idea" table: one dict per row (argument, functions, former names)."""
    text = API_DOC.read_text(encoding="utf-8")
    section = text[text.index("### One name per idea"):]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| idea") or line.startswith("| ---"):
            if rows and not line.startswith("|"):
                break
            continue
        idea, argument, functions, former = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append({"idea": idea, "argument": argument.strip("`"),
                     "functions": {f.strip() for f in functions.split(",")},
                     # `level` (reclassification, decision_curve) -> {("reclassification", "level"), ...}
                     "former": {(f.strip(), old) for old, fs in re.findall(r"`(\w+)` \(([^)]*)\)", former)
                                for f in fs.split(",")}})
    return rows


TABLE = _names_table()


def _parameters(name: str) -> list[str]:
    return list(inspect.signature(getattr(ep, name)).parameters)


def test_the_table_is_read():
    assert len(TABLE) >= 15
    assert {"argument": "conf_level", "idea": "the confidence level",
            "functions": {"discrimination", "calibrate", "reclassification", "decision_curve"},
            "former": {("reclassification", "level"), ("decision_curve", "level")}} in TABLE


@pytest.mark.parametrize("row", TABLE, ids=[r["argument"] for r in TABLE])
def test_table_row_equals_the_signatures(row):
    """The functions listed have the argument, and every exported function that has it is listed."""
    assert set(row["functions"]) <= set(FUNCTIONS), row["functions"] - set(FUNCTIONS)
    having = {f for f in FUNCTIONS if row["argument"] in _parameters(f)}
    assert having == row["functions"], (f"{row['argument']}: functions with it {sorted(having)}, the table "
                                        f"lists {sorted(row['functions'])}")


def test_every_shared_argument_is_in_the_table():
    """A name two exported functions share is an idea of the API: it must have its row (and so one name)."""
    users: dict[str, set] = {}
    for f in FUNCTIONS:
        for p in _parameters(f):
            users.setdefault(p, set()).add(f)
    shared = {p for p, fs in users.items() if len(fs) > 1}
    assert shared <= {r["argument"] for r in TABLE}, sorted(shared - {r["argument"] for r in TABLE})


def test_former_names_are_aliases_only():
    """No exported function has a former name in its signature; each former name the table lists is an alias
    of that function mapping onto the row's argument, and no function has an alias the table omits."""
    listed = {(f, old): r["argument"] for r in TABLE for f, old in r["former"]}
    formers = {old for _, old in listed}
    for f in FUNCTIONS:
        assert not formers & set(_parameters(f)), f"{f} still has {formers & set(_parameters(f))}"
        aliases = getattr(getattr(ep, f), "__renamed__", {})
        assert {(f, old): new for old, new in aliases.items()} == {k: v for k, v in listed.items() if k[0] == f}


# ------------------------------------------------------------------ each alias: a warning, the same result

def _cohort(seed: int = 24) -> pd.DataFrame:
    """Two cohorts of 40 patients with two scores that carry the outcome, their probabilities and six
    feature-like columns (three carry the outcome)."""
    rng = np.random.default_rng(seed)
    y = np.tile(np.r_[np.zeros(22, int), np.ones(18, int)], 2)
    data = pd.DataFrame({"id": [f"P{i:03d}" for i in range(80)], "cohort": np.repeat(["training", "external"], 40),
                         "y": y, "s1": 1.2 * y + rng.normal(size=80), "s2": 0.6 * y + rng.normal(size=80)})
    for m in ("s1", "s2"):
        data[f"p_{m}"] = 1 / (1 + np.exp(-(data[m] - 0.5)))
    for j in range(6):
        data[f"f{j}"] = (1.0 - 0.3 * j) * y * (j < 3) + rng.normal(size=80)
    return data


DATA = _cohort()
FEATURES = [f"f{j}" for j in range(6)]

#: (function, new keyword arguments, the former names' spelling of the same call); small bootstraps: fast
CALLS = [
    ("reclassification", dict(data=DATA, outcome="y", old="p_s2", new="p_s1", cohort_col="cohort", conf_level=0.9),
     {"conf_level": "level"}),
    ("decision_curve", dict(data=DATA, outcome="y", models=["p_s1"], cohort_col="cohort", thresholds=[0.2, 0.5],
                            boot_n=20, seed=3, conf_level=0.9), {"boot_n": "bootstrap", "conf_level": "level"}),
    ("discrimination", dict(data=DATA, outcome="y", models=["s1", "s2"], cohort_col="cohort",
                            train_cohort="training", optimism_boot_n=10, seed=5),
     {"models": "scores", "optimism_boot_n": "optimism_B"}),
    ("calibrate", dict(data=DATA, outcome="y", models=["p_s1"], cohort_col="cohort", train_cohort="training",
                       boot_n=10, seed=7, probabilities=True), {"boot_n": "B"}),
    ("build_signature", dict(data=DATA[DATA.cohort == "training"], features=FEATURES, outcome="y", seed=2024,
                             name="RAD", k_mrmr=4, nfolds=5, train_cohort="training"),
     {"data": "train", "train_cohort": "cohort"}),
]


def _numbers(result) -> pd.DataFrame:
    return result.tidy()


@pytest.mark.parametrize("function, kwargs, former", CALLS, ids=[c[0] for c in CALLS])
def test_former_names_warn_and_give_the_same_result(function, kwargs, former):
    fn = getattr(ep, function)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the new names raise no DeprecationWarning
        new = fn(**kwargs)
    old_kwargs = {former.get(k, k): v for k, v in kwargs.items()}
    with pytest.warns(DeprecationWarning) as caught:
        old = fn(**old_kwargs)
    said = " ".join(str(w.message) for w in caught if issubclass(w.category, DeprecationWarning))
    for new_name, old_name in former.items():
        assert f"{function}(): the argument {old_name!r} is now called {new_name!r}" in said
    pd.testing.assert_frame_equal(_numbers(old), _numbers(new))


def test_former_and_new_name_together_are_refused():
    with pytest.raises(InputError, match=r"both 'level' and 'conf_level'.*|give conf_level only"):
        ep.reclassification(DATA, "y", "p_s2", "p_s1", level=0.9, conf_level=0.9)


def test_a_former_name_is_checked_under_its_new_name():
    with pytest.raises(InputError, match=r"calibrate\(\): the argument 'boot_n' is of type str \('many'\)"):
        ep.calibrate(DATA, "y", ["p_s1"], cohort_col="cohort", train_cohort="training", B="many",
                     probabilities=True)


# ------------------------------------------------------------------ one rule for a missing train_cohort

#: every function that fits or chooses something on the training cohort, called with a cohort column and no
#: training cohort (discrimination.py's pieces as well as the exported functions)
NO_TRAIN = {
    "discrimination": lambda: ep.discrimination(DATA, "y", ["s1", "s2"], cohort_col="cohort"),
    "roc_table": lambda: disc.roc_table(DATA, "y", ["s1"], "cohort"),
    "training_directions": lambda: disc.training_directions(DATA, "y", ["s1"], "cohort", None),
    "delong_paired": lambda: disc.delong_paired(DATA, "y", ["s1", "s2"], "cohort"),
    "delong_between_cohorts": lambda: disc.delong_between_cohorts(DATA, "y", ["s1"], "cohort"),
    "roc_curves": lambda: disc.roc_curves(DATA, "y", ["s1"], "cohort"),
    "fit_model": lambda: ep.fit_model(DATA, "y", ["s1"], cohort_col="cohort"),
    "calibrate": lambda: ep.calibrate(DATA, "y", ["p_s1"], cohort_col="cohort", probabilities=True),
}


@pytest.mark.parametrize("function", sorted(NO_TRAIN))
def test_missing_train_cohort_is_refused_naming_it(function):
    with pytest.raises(InputError) as info:
        NO_TRAIN[function]()
    text = str(info.value)
    assert f"{function}(): the training cohort is not named" in text, text
    assert "train_cohort=" in text and "'cohort'" in text, text


def test_build_signature_refuses_a_missing_train_cohort_too():
    with pytest.raises(InputError, match="training cohort is not named"):
        ep.build_signature(DATA, FEATURES, "y", 1, name="RAD", cohort_col="cohort")


def test_given_directions_need_no_training_cohort():
    """The DeLong tests and the curves choose nothing when the directions are given: no refusal, and the same
    numbers as with a training cohort named (whose pROC 'auto' directions are these)."""
    dirs = disc.training_directions(DATA, "y", ["s1", "s2"], "cohort", "training")
    assert dirs == {"s1": "<", "s2": "<"}
    given = disc.delong_paired(DATA, "y", ["s1", "s2"], "cohort", directions=dirs, cohorts=["training", "external"])
    named = disc.delong_paired(DATA, "y", ["s1", "s2"], "cohort", "training")
    pd.testing.assert_frame_equal(given, named)


# ------------------------------------------------------------------ the commands' options: the same names

@pytest.mark.parametrize("command, new, former", [("roc", "--models", "--scores"),
                                                  ("roc", "--optimism-boot-n", "--optimism-B"),
                                                  ("calibration", "--boot-n", "--B"), ("dca", "--boot-n", "--bootstrap")])
def test_command_options_take_the_api_names_and_keep_the_former_hidden(command, new, former):
    """``--help`` shows the API's name only; the former spelling still parses into the same parameter."""
    from click.testing import CliRunner

    from eprstats.cli import cli

    help_text = CliRunner().invoke(cli, [command, "--help"]).output
    assert new in help_text and f"{former} " not in help_text.replace(f"formerly {former}", "")
    cmd = cli.get_command(None, command)
    option = next(p for p in cmd.params if new in p.opts)
    assert former in option.opts  # one parameter: both spellings fill it
