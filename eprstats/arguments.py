"""The Python API's one input boundary: every exported function declares its arguments' kinds with
``@arguments(...)`` (re-exported by :mod:`eprstats.validation`), and a value of the wrong type is refused with
an :class:`~eprstats.errors.InputError` naming the function and the argument, before any work."""
from __future__ import annotations

import functools
import inspect
import os
import warnings

import numpy as np
import pandas as pd

from .errors import InputError

# The one input boundary of the Python API: every exported function declares its arguments' kinds with
# @arguments(...), and a value of the wrong type is refused with the argument's name before any work (a list
# or a Series where a DataFrame is expected, an int as the score names, B="many"), instead of an
# AttributeError deep inside, or a string split into its letters.

def _kind_frame(v):
    if not isinstance(v, pd.DataFrame):
        raise TypeError("a pandas DataFrame (one row a patient; e.g. pd.read_csv(...))")
    return v


def _kind_column(v):
    if isinstance(v, str) and v.strip():
        return v
    raise TypeError("a column name (a non-empty string)")


def _kind_columns(v):
    # a string is one column, never its letters
    if isinstance(v, str):
        return [_kind_column(v)]
    if isinstance(v, (list, tuple, pd.Index)) and all(isinstance(c, str) and c.strip() for c in v):
        return list(v)
    raise TypeError("column names: a list of strings, or one string meaning one column")


def _kind_labels(v):
    # cohort names, group labels: text as written (a number from YAML is allowed, it is the same label)
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return [v]
    if isinstance(v, (list, tuple, pd.Index)) and all(isinstance(c, (str, int)) and not isinstance(c, bool)
                                                       for c in v):
        return list(v)
    raise TypeError("a list of labels (strings)")


def _kind_label(v):
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return v
    raise TypeError("a label (a string)")


def _kind_models(v):
    # calibration's models: columns, or {name: [columns] or "a+b"}
    if isinstance(v, dict):
        for name, cols in v.items():
            if not isinstance(name, str) or not name.strip():
                raise TypeError("a dict of model name (a string) -> predictor columns")
            _kind_columns(cols)
        return v
    if isinstance(v, str) and v.strip():
        return v
    if isinstance(v, (list, tuple)) and v and all(isinstance(c, str) and c.strip() or isinstance(c, (list, tuple))
                                                  and all(isinstance(t, str) for t in c) for c in v):
        return v  # columns, each its own model, or lists of columns (unnamed models)
    raise TypeError("models: a dict of name -> predictor columns, or a list of columns (each its own model)")


def _kind_count(v):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError("a whole number (an int)")
    return int(v)


def _kind_number(v):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v):
        raise TypeError("a finite number")
    return v


def _kind_flag(v):
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError("True or False")
    return bool(v)


def _kind_text(v):
    if not isinstance(v, str):
        raise TypeError("a string")
    return v


def _kind_mapping(v):
    if not isinstance(v, dict):
        raise TypeError("a dict")
    return v


def _kind_readings(v):
    # icc's ratings: {reading name: feature table}
    if isinstance(v, dict) and v and all(isinstance(k, str) and isinstance(t, pd.DataFrame) for k, t in v.items()):
        return v
    raise TypeError("a dict of reading name (a string) -> feature table (a pandas DataFrame)")


def _kind_numbers(v):
    if not isinstance(v, bool) and isinstance(v, (int, float, np.integer, np.floating)):
        return v  # one number (one cut-off, one threshold): the function makes it a list
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__iter__"):
        raise TypeError("a list of numbers")
    values = list(v)
    if not all(not isinstance(x, bool) and isinstance(x, (int, float, np.integer, np.floating)) for x in values):
        raise TypeError("a list of numbers")
    return v


def _kind_path(v):
    if not isinstance(v, (str, os.PathLike)) or (isinstance(v, str) and not v.strip()):
        raise TypeError("a path (a string or pathlib.Path)")
    return v


def _kind_table(v):
    # a table given as a DataFrame or as the path of its CSV (deep_features' cases)
    if isinstance(v, pd.DataFrame):
        return v
    try:
        return _kind_path(v)
    except TypeError:
        raise TypeError("a pandas DataFrame or the path of a CSV file") from None


def _kind_event(v):
    if isinstance(v, (bool, np.bool_)) or isinstance(v, (str, int, float, np.integer, np.floating)):
        return v
    raise TypeError("one value of the outcome column (a string or a number)")


KINDS = {"frame": _kind_frame, "column": _kind_column, "columns": _kind_columns, "models": _kind_models,
         "labels": _kind_labels, "label": _kind_label, "count": _kind_count, "number": _kind_number,
         "flag": _kind_flag, "text": _kind_text, "mapping": _kind_mapping, "numbers": _kind_numbers,
         "readings": _kind_readings, "path": _kind_path, "event": _kind_event,
         "table": _kind_table}


def _type_name(v) -> str:
    shown = f" ({v!r})" if isinstance(v, (str, int, float, bool)) and len(repr(v)) < 40 else ""
    return f"of type {type(v).__name__}{shown}"


def check_argument(value, kind: str, name: str, function: str):
    """``value`` checked as ``kind`` (a key of :data:`KINDS`; ``kind?`` also allows None), or an InputError
    naming the function, the argument, what it must be and what it was."""
    optional = kind.endswith("?")
    if optional and value is None:
        return None
    try:
        return KINDS[kind.rstrip("?")](value)
    except TypeError as exc:
        raise InputError(f"{function}(): the argument {name!r} is {_type_name(value)}, not {exc}"
                         f"{' or None' if optional else ''}", f"give {name} as {exc}") from None


def arguments(**kinds):
    """Decorator: check the named arguments of an API function by kind before the function runs (the
    signature and docstring stay the function's own; ``inspect.signature`` follows ``__wrapped__``)."""
    def wrap(func):
        signature = inspect.signature(func)
        unknown = set(kinds) - set(signature.parameters)
        assert not unknown, f"{func.__name__}: no argument(s) {unknown}"

        @functools.wraps(func)
        def checked(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as exc:
                raise InputError(f"{func.__name__}(): {exc}", f"see help(eprstats.{func.__name__})") from None
            for name, kind in kinds.items():
                if name in bound.arguments:  # a string meaning one column becomes a list of one
                    bound.arguments[name] = check_argument(bound.arguments[name], kind, name, func.__name__)
            return func(*bound.args, **bound.kwargs)
        return checked
    return wrap


def renamed(**old_to_new):
    """Decorator: the API's former argument names (#24, one name per idea) still accepted as keywords, each
    with a DeprecationWarning naming the new one, and the same result. ``inspect.signature`` shows the new
    names only; the mapping is kept on the function as ``__renamed__`` (the names test reads it).

    Placed above ``@arguments(...)``, so that the value is checked under its new name."""
    def wrap(func):
        parameters = inspect.signature(func).parameters
        wrong = {old: new for old, new in old_to_new.items() if new not in parameters or old in parameters}
        assert not wrong, f"{func.__name__}: renamed({wrong}) does not map an old name onto an argument"

        @functools.wraps(func)
        def call(*args, **kwargs):
            for old, new in old_to_new.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise InputError(f"{func.__name__}(): both {old!r} and {new!r} are given; {old!r} is the "
                                     f"former name of {new!r}", f"give {new} only")
                # stacklevel 2: the warning points at the caller's line, the one to change
                warnings.warn(f"{func.__name__}(): the argument {old!r} is now called {new!r} (the same meaning); "
                              f"the old name will be removed in a future version", DeprecationWarning,
                              stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)
        call.__renamed__ = {**getattr(func, "__renamed__", {}), **old_to_new}
        return call
    return wrap


def require_train_cohort(function: str, cohort_col, train_cohort, what: str) -> None:
    """The API's rule for a missing training cohort (#24): with a cohort column, whatever is chosen or fitted
    on the training cohort (``what``: a model's coefficients, ROC directions, cut-offs) needs ``train_cohort``;
    its absence is refused, naming the argument, instead of taking the first cohort or pooling every patient
    (either would silently fit or choose on a validation cohort)."""
    if cohort_col is not None and train_cohort is None:
        raise InputError(f"{function}(): the training cohort is not named: cohort_col={cohort_col!r} is given "
                         f"without train_cohort, and {what} come from the training cohort",
                         f"give train_cohort=<the training cohort's value in {cohort_col!r}> (--train-cohort on "
                         "the command line)", column=cohort_col)
