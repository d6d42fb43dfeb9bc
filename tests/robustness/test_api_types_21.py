"""#21: one input boundary for the Python API. Every exported function (``eprstats.__all__``) is called with
arguments of the wrong type (a list, dict or Series for a DataFrame, an int for column names, ``boot_n="many"`` ...);
each call must raise InputError naming the function and the argument before any work, never an AttributeError,
TypeError or ValueError from deep inside, and never a string split into its letters."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from tests.robustness.corpus import patients


def _data() -> pd.DataFrame:
    data = patients()
    data["p_old"] = np.linspace(0.1, 0.9, len(data))
    data["p_new"] = np.linspace(0.2, 0.8, len(data))
    return data


DATA = _data()
RATINGS = {"reader1": DATA[["id", "age", "score"]], "reader2": DATA[["id", "age", "score"]]}

#: function -> (valid positional arguments, valid keyword arguments)
VALID = {
    "table1": ((DATA, "EPR", ["AFP"]), {}),
    "discrimination": ((DATA, "EPR", ["score"]), {}),
    "fit_model": ((DATA, "EPR", ["age"]), {}),
    "calibrate": ((DATA, "EPR", {"m": ["age"]}), {}),
    "reclassification": ((DATA, "EPR", ["p_old"], "p_new"), {}),
    "decision_curve": ((DATA, "EPR", ["p_new"]), {}),
    "sample_size": ((0.3, 5), {"c_statistic": 0.8}),
    "build_signature": ((DATA, ["age", "score"], "EPR", 7), {"name": "s"}),
    "icc": ((RATINGS,), {}),
    "deep_features": (("cases.csv",), {"weights": "random"}),
    "load_study": (("study.yaml",), {}),
    "run_study": (("study.yaml",), {}),
    "audit_paper": (("published",), {}),
    "compare": (("published", "results"), {}),
}

A_FRAME = {"data": [("a list of rows", DATA.values.tolist()), ("a dict", DATA.to_dict()),
                    ("a Series", DATA["age"]), ("a file name", "patients.csv")]}
#: function -> [(argument, position or None for a keyword, wrong value, what it is)]
WRONG = {
    "table1": [("data", 0, v, w) for w, v in A_FRAME["data"]] + [
        ("outcome", 1, 3, "an int"), ("variables", 2, 7, "an int"), ("percent_decimals", None, "two", "text"),
        ("event", None, ["EPR"], "a list"), ("var_equal", None, "yes", "text")],
    "discrimination": [("data", 0, v, w) for w, v in A_FRAME["data"]] + [
        ("models", 2, 3, "an int"), ("seed", None, "x", "text"), ("boot_n", None, 2.5, "a float"),
        ("conf_level", None, "95%", "text")],
    "fit_model": [("data", 0, DATA.to_dict("records"), "records"), ("predictors", 2, {"age": 1}, "a dict"),
                  ("sls", None, "0.05", "text")],
    "calibrate": [("data", 0, DATA.values, "a numpy array"), ("boot_n", None, "many", "text"),
                  ("boot_n", None, 200.0, "a float"), ("models", 2, 3, "an int"), ("g", None, None, "None")],
    "reclassification": [("data", 0, DATA["p_old"], "a Series"), ("new", 3, ["p_new"], "a list"),
                         ("cutoffs", None, "0.3,0.6", "text")],
    "decision_curve": [("data", 0, [DATA], "a list of frames"), ("boot_n", None, "500", "text"),
                       ("thresholds", None, "0.1", "text")],
    "sample_size": [("parameters", 1, "5", "text"), ("parameters", 1, 5.5, "a float"),
                    ("prevalence", 0, "0.3", "text")],
    "build_signature": [("data", 0, DATA.to_dict(), "a dict"), ("features", 1, 5, "an int"),
                        ("seed", 3, "seven", "text"), ("k_mrmr", None, "10", "text")],
    "icc": [("ratings", 0, [DATA, DATA], "a list"), ("ratings", 0, {"r1": DATA.values}, "arrays"),
            ("features", None, 3, "an int")],
    "deep_features": [("cases", 0, 3, "an int"), ("cases", 0, ["a.nii", "b.nii"], "a list"),
                      ("batch_size", None, "32", "text"), ("seed", None, 1.5, "a float")],
    "load_study": [("path", 0, 3, "an int"), ("path", 0, None, "None")],
    "run_study": [("study_path", 0, {"manifest": "m.csv"}, "a dict"), ("jobs", None, "4", "text")],
    "audit_paper": [("folder", 0, ["a", "b"], "a list")],
    "compare": [("published", 0, 2024, "an int"), ("mapping", None, {"a": "b"}, "a dict")],
}


def test_every_exported_function_is_tried():
    # ep.audit is the package eprstats.audit (a module, not callable); the audit is ep.audit_paper
    assert set(WRONG) == set(ep.__all__) - set(ep._PACKAGES) == set(VALID)


CASES = [(name, *case) for name, cases in WRONG.items() for case in cases]


@pytest.mark.parametrize("name, argument, position, value, what", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[4]}" for c in CASES])
def test_wrong_type_is_an_input_error_naming_the_argument(name, argument, position, value, what, tried):
    args, kwargs = VALID[name]
    args, kwargs = list(args), dict(kwargs)
    if position is None:
        kwargs[argument] = value
    else:
        args[position] = value
    with pytest.raises(InputError) as caught:
        getattr(ep, name)(*args, **kwargs)
    tried(f"api: {name}({argument}= {what})")
    message = str(caught.value)
    assert f"{name}(): the argument '{argument}'" in message and "Fix:" in message, message


def test_an_unknown_keyword_is_an_input_error(tried):
    with pytest.raises(InputError, match=r"table1\(\): .*'outcomes'"):
        ep.table1(DATA, "EPR", outcomes="EPR")
    tried("api: table1(outcomes=...)")
