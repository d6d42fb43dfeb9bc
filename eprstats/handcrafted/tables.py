"""The cohort's output tables (:func:`assemble_tables`) and the feature tables' parquet written without pandas'
per-column cost (:func:`write_feature_parquet`)."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..fileio import atomic_path, write_csv, write_parquet
from ..paths import safe_component
from ..reporting.provenance import write_provenance
from .cache import CaseCache, case_key


def write_feature_parquet(path, table: pd.DataFrame) -> Path:
    """The file :func:`~eprstats.fileio.write_parquet` writes (pandas' ``to_parquet``), byte for byte, faster
    for a feature table.

    pandas hands a table to pyarrow one column at a time, about 0.2 s for the 945 columns of a feature table
    whatever its number of rows: with a few patients the largest part of writing the outputs. A feature table
    is an ``id`` column of text and float64 columns, so its Arrow table is built from the float block, and
    the pandas metadata (the schema's ``pandas`` entry) from pyarrow's own entries for such a table with one
    float column, repeated with each column's name. A table of any other layout goes through pandas.
    """
    names = list(table.columns)
    floats = names[1:]
    if (not floats or names[0] != "id" or table.columns.has_duplicates
            or not all(isinstance(n, str) for n in names) or table["id"].dtype != object
            or not all(isinstance(v, str) for v in table["id"])
            or not (table.dtypes.iloc[1:] == np.float64).all() or table.attrs):
        return write_parquet(path, table)
    ids = table["id"].tolist()
    template = pd.DataFrame({"id": pd.Series(ids, dtype=object), "x": np.zeros(len(ids))})
    metadata = json.loads(pa.Schema.from_pandas(template, preserve_index=False).metadata[b"pandas"])
    id_entry, float_entry = metadata["columns"]
    metadata["columns"] = [id_entry] + [dict(float_entry, name=n, field_name=n) for n in floats]
    block = np.ascontiguousarray(table[floats].to_numpy(dtype=np.float64).T)
    # from_pandas: NaN becomes a missing value, as pandas' conversion does
    arrays = [pa.array(ids, type=pa.string(), from_pandas=True)]
    arrays += [pa.array(column, from_pandas=True) for column in block]
    arrow = pa.Table.from_arrays(arrays, names=names).replace_schema_metadata(
        {b"pandas": json.dumps(metadata).encode("utf8")})
    with atomic_path(path) as tmp:
        pq.write_table(arrow, str(tmp), compression="snappy")
    return Path(path)


@dataclasses.dataclass
class CohortResult:
    """What :func:`extract_cohort` did: the tables, and which cases were computed, cached or failed."""

    tables: dict  # ROI -> DataFrame (id + features)
    diagnostics: pd.DataFrame
    computed: list
    cached: list
    failures: pd.DataFrame
    out_dir: Path


def assemble_tables(cases, settings, cache_dir, out_dir, records) -> CohortResult:
    """The cohort's tables from the cache entries of its cases (``records``: :func:`~.parallel.run_case`'s),
    written to ``out_dir``: features per ROI, diagnostics, failures, provenance."""

    cache = CaseCache(cache_dir)
    status = {r["patient"]: r for r in records}
    rows: dict = {}
    diag_rows = []
    failures = []
    for case in cases:
        rec = status.get(case.patient, {"status": "failed", "error": "not run"})
        if rec["status"] == "failed":
            failures.append({"id": case.patient, "error": rec["error"]})
            continue
        key = case_key(case.files(), settings.hash, case.key_extra())
        entry = cache.load(case.patient, key)
        if entry is None:
            failures.append({"id": case.patient, "error": "cache entry missing after extraction"})
            continue
        for roi, feats in entry["features"].items():
            rows.setdefault(roi, []).append({"id": case.patient, **feats})
        for roi, diag in entry["diagnostics"].items():
            diag_rows += [{"id": case.patient, "roi": roi, "item": k, "value": v} for k, v in diag.items()]

    tables = {}
    for roi, table_rows in rows.items():
        table = pd.DataFrame(table_rows)
        tables[roi] = table
        stem = f"features_{safe_component(roi, 'ROI name')}"  # an ROI named ../x must stay inside --out
        write_feature_parquet(out_dir / f"{stem}.parquet", table)
        write_csv(out_dir / f"{stem}.csv", table)
    diagnostics = pd.DataFrame(diag_rows, columns=["id", "roi", "item", "value"])
    write_parquet(out_dir / "diagnostics.parquet", diagnostics)
    write_csv(out_dir / "diagnostics.csv", diagnostics)
    failures_frame = pd.DataFrame(failures, columns=["id", "error"])
    failures_path = out_dir / "failures.csv"
    if failures:
        write_csv(failures_path, failures_frame)
    elif failures_path.exists():
        failures_path.unlink()  # a clean rerun: the old failures are resolved
    write_provenance(out_dir / "extraction.provenance.json", "handcrafted extraction",
                     {"pyradiomics": settings.as_dict(), "settings_file": settings.source,
                      "settings_hash": settings.hash, "engine": settings.engine, "device": settings.device},
                     extra={"cases": len(cases), "failed": [f["id"] for f in failures]}, include_r=False)
    return CohortResult(tables=tables, diagnostics=diagnostics,
                        computed=[r["patient"] for r in records if r["status"] == "computed"],
                        cached=[r["patient"] for r in records if r["status"] == "cached"],
                        failures=failures_frame, out_dir=out_dir)
