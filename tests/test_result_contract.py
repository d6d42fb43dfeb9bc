"""One contract for every result the package exports (#24): ``tables`` (a mapping of name to DataFrame),
``table(name)``, ``tidy()`` with the shared columns first, ``write(out, formats)`` from the base class only,
and a ``repr`` / ``_repr_html_`` with the headline numbers.

The class-level part runs over every :class:`~eprstats.results.Result` subclass defined in the package (all
modules imported); the instance part over results built on small inputs with the real components (scipy
for the sample size, the ICC's ANOVA, torchvision's ResNet34 for the deep features, R for Table 1)."""
from __future__ import annotations

import importlib
import inspect
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from eprstats import results as R

PACKAGE = "eprstats"


def _all_result_classes():
    import pkgutil

    import eprstats
    for info in pkgutil.walk_packages(eprstats.__path__, prefix=f"{PACKAGE}."):
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional extra that is not installed: its classes are not exported here
            continue
    seen, todo = [], [R.Result]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith(PACKAGE) and sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return sorted(seen, key=lambda c: f"{c.__module__}.{c.__qualname__}")


CLASSES = _all_result_classes()


def test_every_exported_result_class_is_found():
    names = {c.__name__ for c in CLASSES}
    assert {"Table1", "ICCResult", "Signature", "Discrimination", "ModelFit", "Calibration", "Reclassification",
            "DecisionCurve", "SampleSize", "AuditResult", "Comparison", "ImportedPaper", "DeepFeatures",
            "PartialResult"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_the_class_keeps_the_contract(cls):
    # the base writes, lists and shows every result; a subclass gives its records and its numbers only
    assert cls.write is R.Result.write, f"{cls.__name__} rewrites write()"
    assert cls.tables is R.Result.__dict__["tables"], f"{cls.__name__}.tables is not the mapping"
    assert cls.__repr__ is R.Result.__repr__ and cls._repr_html_ is R.Result._repr_html_
    assert cls.table_files is not R.Result.table_files, f"{cls.__name__} lists no table files"
    assert cls.tidy is not R.Result.tidy, f"{cls.__name__} has no tidy()"
    table = cls.__dict__.get("table")
    if callable(table):    # table(name) with a default name (SampleSize: its criteria)
        assert list(inspect.signature(table).parameters)[:2] == ["self", "name"]
    elif table is not None:  # Table1 / AuditResult: the deprecated DataFrame alias, callable as table(name)
        assert isinstance(table, property) or "table" in cls.__dataclass_fields__


# ------------------------------------------------------------------------------------------ instances
def _sample_size():
    from eprstats.evaluation.sample_size import sample_size
    return sample_size(0.174, 24, r2_cs=0.288)


def _icc():
    from eprstats.selection.icc import icc
    rng = np.random.default_rng(3)
    truth = rng.normal(size=(12, 3))
    frames = [pd.DataFrame({"id": range(12), **{f"f{j}": truth[:, j] + rng.normal(0, s, 12) for j in range(3)}})
              for s in (0.1, 0.3)]
    return icc({"r1": frames[0], "r2": frames[1]}, threshold=0.8)


def _deep():
    pytest.importorskip("torch")
    from eprstats.deep.features import deep_features
    rng = np.random.default_rng(5)
    image = rng.normal(300, 60, size=(4, 40, 44)).astype(np.float32)
    mask = np.zeros(image.shape, bool)
    mask[1:3, 10:30, 12:32] = True
    cases = pd.DataFrame({"id": ["P1"], "image": [image], "mask": [mask]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return deep_features(cases, "random", device="cpu", threads=1)


def _table1():
    from eprstats.characteristics.table_one import table1
    df = pd.DataFrame({"EPR": [0, 1] * 10, "AFP": [0, 0, 1, 1, 0] * 4, "age": np.arange(20.0) % 7 + 50})
    return table1(df, "EPR", ["AFP", "age"])


def _partial():
    frame = pd.DataFrame({"a": [1.5]})
    return R.PartialResult((R.Table("done", frame),), {})


BUILDERS = {"SampleSize": _sample_size, "ICCResult": _icc, "DeepFeatures": _deep, "Table1": _table1,
            "PartialResult": _partial}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_result_keeps_the_contract(name, tmp_path):
    result = BUILDERS[name]()
    records = result.table_files()
    tables = result.tables
    assert isinstance(tables, Mapping) and list(tables) == [t.name for t in records]
    for t in records:
        assert isinstance(tables[t.name], pd.DataFrame)
        assert result.table(t.name).equals(t.frame)
    with pytest.raises(KeyError, match="has no table 'nonesuch'; it has"):
        result.table("nonesuch")
    with pytest.warns(DeprecationWarning):                     # the records under their pre-#24 name
        assert [t.name for t in result.tables()] == list(tables)

    tidy = result.tidy()
    assert tuple(tidy.columns[:len(R.TIDY_COLUMNS)]) == R.TIDY_COLUMNS
    if name != "PartialResult":
        assert len(tidy) and tidy["value"].notna().any()

    written = result.write(tmp_path, ["csv", "md"], figures=False)
    assert all(p.is_file() for p in written)
    names = {p.name for p in written}
    for t in records:
        assert f"{t.name}.csv" in names or f"{t.name}.parquet" in names
        if t.publication:
            assert f"{t.name}.md" in names
        else:
            assert f"{t.name}.md" not in names
    # the same result written twice gives the same bytes
    again = result.write(tmp_path / "again", ["csv", "md"], figures=False)
    assert [p.read_bytes() for p in written if p.suffix != ".parquet"] == \
        [p.read_bytes() for p in again if p.suffix != ".parquet"]

    text = repr(result)
    assert text.startswith(f"<{type(result).__name__}: ") and all(n in text for n in tables)
    html = result._repr_html_()
    assert html.startswith("<p><b>") and type(result).__name__ in html
    line = result.summary()
    if isinstance(line, str):
        assert line.splitlines()[0] in text


def test_repr_shows_the_headline_numbers():
    # the sample size's criteria table: Riley et al. 2019's example, criterion (i) 623 participants as published
    res = _sample_size()
    assert "623" in repr(res) and "623" in res._repr_html_()


def test_table1_and_audit_table_attributes_stay_dataframes_and_become_callable():
    t = _table1()
    assert isinstance(t.table, pd.DataFrame) and t.table.equals(t.tables["table1"])
    assert t.table("table1_tests").equals(t.tests)          # the method, through the deprecated attribute
    assert type(t.table.iloc[:1]) is pd.DataFrame             # derived frames are plain DataFrames
    import pickle
    back = pickle.loads(pickle.dumps(t))
    assert back.table("table1_tests").equals(t.tests)
