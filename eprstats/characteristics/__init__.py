"""Table 1: the patients' baseline characteristics, by outcome within each cohort and between cohorts.

The names below are imported on first use, so that the command line's help loads no pandas."""
import importlib

from .options import CONTINUOUS_RULES, RULES, TYPES  # noqa: F401

# the function table1 lives in table_one.py: a submodule named table1 would replace the function on import
_EXPORTS = {"Table1": "table_one", "table1": "table_one", "categorical_test": "tests", "continuous_test": "tests"}
__all__ = sorted([*_EXPORTS, "RULES", "CONTINUOUS_RULES", "TYPES"])


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
