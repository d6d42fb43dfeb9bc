"""The cohort's output tables (:func:`assemble_tables`), written without pandas when they have the usual layout.

Importing pandas costs the command about 0.7 s and 50 MB of memory (pyarrow, which writes the parquet files, is
needed anyway). A feature table (an ``id`` column of text, float64 features) and the diagnostics (four text
columns) are therefore written here with the csv module and pyarrow, byte for byte as pandas' ``to_csv`` and
``to_parquet`` write them (tested against pandas); any other table goes through pandas. The DataFrames of
:class:`CohortResult` are built, and pandas imported, when a caller reads them.
"""
from __future__ import annotations

import csv
import functools
import importlib.metadata as md
import json
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..fileio import atomic_path, write_csv, write_parquet
from ..paths import safe_component
from ..reporting.provenance import write_provenance
from .cache import CaseCache, case_key

DIAGNOSTIC_COLUMNS = ["id", "roi", "item", "value"]


def write_feature_parquet(path, table) -> Path:
    """The file :func:`~eprstats.fileio.write_parquet` writes (pandas' ``to_parquet``) for a DataFrame, byte for
    byte, faster for a feature table (pandas converts 945 columns one at a time, about 0.2 s); a table of any
    other layout goes through pandas."""
    names = list(table.columns)
    if (len(names) < 2 or names[0] != "id" or table.columns.has_duplicates
            or not all(isinstance(n, str) for n in names) or table["id"].dtype != object
            or not all(isinstance(v, str) for v in table["id"])
            or not (table.dtypes.iloc[1:] == np.float64).all() or table.attrs):
        return write_parquet(path, table)
    return _FloatTable(table["id"].tolist(), names[1:], table[names[1:]].to_numpy(dtype=np.float64)).parquet(path)


def _pandas_metadata(columns) -> bytes:
    """The schema's ``pandas`` entry that pyarrow's ``Table.from_pandas`` writes for a DataFrame with a default
    index and these (name, pandas type, numpy type) columns (checked against pandas in the tests)."""
    entries = [{"name": n, "field_name": n, "pandas_type": t, "numpy_type": nt, "metadata": None}
               for n, t, nt in columns]
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": entries, "attributes": {},
                       "creator": {"library": "pyarrow", "version": pa.__version__},
                       "pandas_version": _pandas_version()}).encode("utf8")


@functools.lru_cache(maxsize=None)
def _pandas_version() -> str:
    # pandas' own __version__ without importing pandas; read once (each look-up scans the installed packages)
    return md.version("pandas")


def _write_arrow(path, arrays, names, metadata: bytes) -> Path:
    table = pa.Table.from_arrays(arrays, names=names).replace_schema_metadata({b"pandas": metadata})
    with atomic_path(path) as tmp:
        pq.write_table(table, str(tmp), compression="snappy")  # pandas' to_parquet's call
    return Path(path)


# The Arrow arrays are made from their buffers: pyarrow.array() imports pandas (to look for its types) on every
# call, and the arrays are pyarrow's own layout (validity bitmap, values; offsets and UTF-8 bytes).

def _float_arrays(block: np.ndarray) -> list:
    """pyarrow.array(column, from_pandas=True) for each column of ``block`` (rows x columns): a NaN becomes a
    missing value, as pandas' conversion does. The columns are slices of one buffer (and one validity bitmap)."""
    columns = np.ascontiguousarray(block.T)
    n = columns.shape[1]
    missing = np.isnan(columns)
    counts = missing.sum(axis=1).tolist()
    values = pa.py_buffer(columns)
    validity = pa.py_buffer(np.packbits(~missing.ravel(), bitorder="little")) if any(counts) else None
    return [pa.Array.from_buffers(pa.float64(), n, [validity if k else None, values], null_count=k, offset=i * n)
            for i, k in enumerate(counts)]


def _string_array(values: list) -> pa.Array:
    """pyarrow.array(values, type=pa.string()) for a list of str."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded), [None, pa.py_buffer(offsets),
                                                             pa.py_buffer(b"".join(encoded))], null_count=0)


def _write_rows(path, header, rows) -> Path:
    """CSV as :func:`~eprstats.fileio.write_csv` writes it: pandas writes through this csv writer."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    return Path(path)


class _FloatTable:
    """A feature table as ``pandas.DataFrame(rows)`` builds it from rows ``{id: text, feature: float, ...}``:
    columns in order of first appearance, a missing feature NaN."""

    def __init__(self, ids: list, names: list, block: np.ndarray):
        self.ids, self.names, self.block = ids, names, block

    @classmethod
    def from_rows(cls, rows: list) -> "_FloatTable | None":
        """None unless every id is text and every feature value a float (another layout goes through pandas)."""
        names = list(dict.fromkeys(k for row in rows for k in row))
        if len(names) < 2 or names[0] != "id" or not all(type(row.get("id")) is str for row in rows):
            return None
        names = names[1:]
        values = [[row.get(n, math.nan) for n in names] for row in rows]
        if not all(type(v) is float for row in values for v in row):
            return None
        return cls([row["id"] for row in rows], names, np.array(values, dtype=np.float64).reshape(len(rows), -1))

    def frame(self):
        import pandas as pd  # only when a caller reads the table (module docstring)
        frame = pd.DataFrame(self.block, columns=self.names)
        frame.insert(0, "id", np.array(self.ids, dtype=object))
        return frame

    def csv(self, path) -> Path:
        # pandas' to_csv formats a float64 column with numpy's astype(str), a missing value as ''
        text = self.block.astype(str)
        text[np.isnan(self.block)] = ""
        return _write_rows(path, ["id"] + self.names, ([i] + row for i, row in zip(self.ids, text.tolist())))

    def parquet(self, path) -> Path:
        arrays = [_string_array(self.ids)] + _float_arrays(self.block)
        metadata = _pandas_metadata([("id", "unicode", "object")] + [(n, "float64", "float64") for n in self.names])
        return _write_arrow(path, arrays, ["id"] + self.names, metadata)


class _Frames(Mapping):
    """ROI -> DataFrame, each built (and pandas imported) on first access."""

    def __init__(self, builders: dict):
        self._builders, self._frames = builders, {}

    def __getitem__(self, key):
        if key not in self._frames:
            self._frames[key] = self._builders[key]()
        return self._frames[key]

    def __iter__(self):
        return iter(self._builders)

    def __len__(self):
        return len(self._builders)


class CohortResult:
    """What :func:`extract_cohort` did: the tables, and which cases were computed, cached or failed.

    ``tables`` (ROI -> DataFrame: id + features), ``diagnostics`` and ``failures`` (DataFrames) are built when
    read; ``failed`` lists the failures as records ``{id, error}``."""

    def __init__(self, tables: Mapping, diagnostics, computed: list, cached: list, failed: list, out_dir: Path):
        self.tables, self.computed, self.cached, self.failed, self.out_dir = tables, computed, cached, failed, out_dir
        self._diagnostics, self._failures = diagnostics, None

    @property
    def diagnostics(self):
        if callable(self._diagnostics):
            self._diagnostics = self._diagnostics()
        return self._diagnostics

    @property
    def failures(self):
        if self._failures is None:
            import pandas as pd  # only when a caller reads the table (module docstring)
            self._failures = pd.DataFrame(self.failed, columns=["id", "error"])
        return self._failures

    def __repr__(self):
        return (f"CohortResult(tables={sorted(self.tables)}, computed={self.computed}, cached={self.cached}, "
                f"failed={self.failed}, out_dir={self.out_dir!r})")


def assemble_tables(cases, settings, cache_dir, out_dir, records) -> CohortResult:
    """The cohort's tables from the cache entries of its cases (``records``: :func:`~.parallel.run_case`'s),
    written to ``out_dir``: features per ROI, diagnostics, failures, provenance."""
    rows, diag_rows, failures = _collect(cases, settings, CaseCache(cache_dir), records)
    tables = {}
    for roi in list(rows):
        stem = f"features_{safe_component(roi, 'ROI name')}"  # an ROI named ../x must stay inside --out
        tables[roi] = _write_features(out_dir / stem, rows.pop(roi))  # its rows freed as it is written
    diagnostics = _write_diagnostics(out_dir / "diagnostics", diag_rows)
    failures_path = out_dir / "failures.csv"
    if failures:
        _write_rows(failures_path, ["id", "error"], ([f["id"], f["error"]] for f in failures))
    elif failures_path.exists():
        failures_path.unlink()  # a clean rerun: the old failures are resolved
    write_provenance(out_dir / "extraction.provenance.json", "handcrafted extraction",
                     {"pyradiomics": settings.as_dict(), "settings_file": settings.source,
                      "settings_hash": settings.hash, "engine": settings.engine, "device": settings.device},
                     extra={"cases": len(cases), "failed": [f["id"] for f in failures]}, include_r=False)
    return CohortResult(tables=_Frames(tables), diagnostics=diagnostics,
                        computed=[r["patient"] for r in records if r["status"] == "computed"],
                        cached=[r["patient"] for r in records if r["status"] == "cached"],
                        failed=failures, out_dir=out_dir)


def _collect(cases, settings, cache: CaseCache, records) -> tuple[dict, list, list]:
    """The rows of the feature tables (ROI -> rows), of the diagnostics, and the failures, in the cases' order."""
    status = {r["patient"]: r for r in records}
    rows: dict = {}
    diag_rows = []
    failures = []
    for case in cases:
        rec = status.get(case.patient, {"status": "failed", "error": "not run"})
        if rec["status"] == "failed":
            failures.append({"id": case.patient, "error": rec["error"]})
            continue
        # the key the case was stored under (a record made elsewhere may lack it: the files are hashed again)
        key = rec.get("key") or case_key(case.files(), settings.hash, case.key_extra())
        entry = cache.load(case.patient, key)
        if entry is None:
            failures.append({"id": case.patient, "error": "cache entry missing after extraction"})
            continue
        for roi, feats in entry["features"].items():
            rows.setdefault(roi, []).append({"id": case.patient, **feats})
        for roi, diag in entry["diagnostics"].items():
            diag_rows += [{"id": case.patient, "roi": roi, "item": k, "value": v} for k, v in diag.items()]
    return rows, diag_rows, failures


def _write_features(stem: Path, rows: list):
    """``stem``.parquet and .csv of one ROI's rows; returns the DataFrame's builder."""
    table = _FloatTable.from_rows(rows)
    if table is not None:
        table.parquet(stem.with_name(stem.name + ".parquet"))
        table.csv(stem.with_name(stem.name + ".csv"))
        return table.frame
    import pandas as pd  # a table of another layout: pandas writes it
    frame = pd.DataFrame(rows)
    write_feature_parquet(stem.with_name(stem.name + ".parquet"), frame)
    write_csv(stem.with_name(stem.name + ".csv"), frame)
    return lambda: frame


def _write_diagnostics(stem: Path, rows: list):
    """``stem``.parquet and .csv of the diagnostics' rows (all text); returns the DataFrame's builder."""
    def frame():
        import pandas as pd  # only when a caller reads the table, or for a table that is not all text
        return pd.DataFrame(rows, columns=DIAGNOSTIC_COLUMNS)

    if not rows or not all(type(r[c]) is str for r in rows for c in DIAGNOSTIC_COLUMNS):
        diagnostics = frame()  # no rows: pandas' column types for an empty table
        write_parquet(stem.with_name(stem.name + ".parquet"), diagnostics)
        write_csv(stem.with_name(stem.name + ".csv"), diagnostics)
        return lambda: diagnostics
    columns = [[r[c] for r in rows] for c in DIAGNOSTIC_COLUMNS]
    _write_arrow(stem.with_name(stem.name + ".parquet"), [_string_array(c) for c in columns],
                 DIAGNOSTIC_COLUMNS, _pandas_metadata([(c, "unicode", "object") for c in DIAGNOSTIC_COLUMNS]))
    _write_rows(stem.with_name(stem.name + ".csv"), DIAGNOSTIC_COLUMNS,
                ([r[c] for c in DIAGNOSTIC_COLUMNS] for r in rows))
    return frame
