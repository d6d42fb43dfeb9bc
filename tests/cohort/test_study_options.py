"""#15/#16: the study file's switches for the statistics options (typed, checked, documented), with the choices
and defaults of the functions they are passed to, so that a study file without them writes what it wrote."""
from __future__ import annotations

import inspect

import pytest

from eprstats.cohort import settings as S
from eprstats.errors import InputError

#: study key -> (function, its parameter)
OPTIONS = {
    "table1_continuous_rule": ("eprstats.characteristics.table_one:table1", "continuous_rule"),
    "accuracy_ci_method": ("eprstats.evaluation.discrimination:discrimination", "ci_method"),
    "optimism_bootstrap": ("eprstats.evaluation.discrimination:discrimination", "optimism_boot_n"),
    "table3_stepwise": ("eprstats.evaluation.models:fit_model", "stepwise"),
    "hl_grouping": ("eprstats.evaluation.calibration:calibrate", "hl_grouping"),
    "hl_external_df": ("eprstats.evaluation.calibration:calibrate", "hl_external_df"),
}


def _parameter(where: str, name: str):
    import importlib
    module, function = where.split(":")
    return inspect.signature(getattr(importlib.import_module(module), function)).parameters[name]


@pytest.mark.parametrize("key", OPTIONS)
def test_each_key_defaults_to_the_functions_default(key):
    assert S.STUDY_KEYS[key].default == _parameter(*OPTIONS[key]).default
    assert getattr(S.parse_settings({"manifest": "m.csv"}), key) == S.STUDY_KEYS[key].default
    assert len(S.STUDY_KEYS[key].metadata["help"]) > 40


def test_the_choices_are_the_functions_choices():
    from eprstats.characteristics.options import CONTINUOUS_RULES
    from eprstats.evaluation.discrimination_ci import CI_METHODS
    from eprstats.evaluation.hosmer_lemeshow import HL_DF_RULES, HL_GROUPINGS
    from eprstats.evaluation.models import SPSS_STEPWISE, STEPWISE
    assert S.TABLE1_CONTINUOUS_RULES == CONTINUOUS_RULES
    assert S.ACCURACY_CI_METHODS == CI_METHODS
    assert S.STEPWISE_METHODS == STEPWISE + SPSS_STEPWISE
    assert (S.HL_GROUPINGS, S.HL_DF_RULES) == (HL_GROUPINGS, HL_DF_RULES)


def test_typed_values_are_kept():
    s = S.parse_settings({"manifest": "m.csv", "table1_continuous_rule": "spss", "accuracy_ci_method": "wilson",
                          "optimism_bootstrap": 200, "table3_stepwise": "spss-bwald", "hl_grouping": "spss",
                          "hl_external_df": "g"})
    assert (s.table1_continuous_rule, s.accuracy_ci_method, s.optimism_bootstrap, s.table3_stepwise, s.hl_grouping,
            s.hl_external_df) == ("spss", "wilson", 200, "spss-bwald", "spss", "g")
    assert S.parse_settings({"manifest": "m.csv", "optimism_bootstrap": None}).optimism_bootstrap is None


@pytest.mark.parametrize("key, value, expected", [
    ("table1_continuous_rule", "welch", "one of shapiro, normal, nonnormal, spss"),
    ("accuracy_ci_method", "exact", "one of clopper-pearson, wilson, bootstrap"),
    ("optimism_bootstrap", 0, "a positive integer"),
    ("optimism_bootstrap", 2.5, "a positive integer"),
    ("optimism_bootstrap", True, "a positive integer"),
    ("table3_stepwise", "backward", "one of none, fastbw, aic, spss-bwald"),
    ("hl_grouping", "deciles", "one of quantile, spss"),
    ("hl_external_df", 10, "one of g-2, g"),
])
def test_wrong_values_name_key_value_and_choices(key, value, expected):
    with pytest.raises(InputError) as err:
        S.parse_settings({"manifest": "m.csv", key: value}, file="s.yaml")
    assert f"study setting {key!r} must be" in err.value.problem and repr(value) in err.value.problem
    assert expected in err.value.problem and err.value.file == "s.yaml"


def test_deep_device_is_a_choice_and_part_of_the_deep_stages_key():
    from eprstats.study.plan import PLAN
    assert S.parse_settings({"manifest": "m.csv", "deep_device": "cuda"}).deep_device == "cuda"
    with pytest.raises(InputError, match="deep_device"):
        S.parse_settings({"manifest": "m.csv", "deep_device": "gpu"})
    # cuda features differ from cpu ones (bf16): a changed device must rerun the deep stage
    assert "deep_device" in PLAN["deep"].settings
