"""A cohort's deep features: each patient's table cached, the patients run here or on a Dask cluster.

:func:`extract_cohort_deep` sits above both engines: :mod:`.extract` (the arithmetic, one patient or a batch
of them on this machine) and :mod:`.cluster` (the same on a cluster's workers, which imports :mod:`.extract`).
Neither imports this module, so there is no import circle.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import EprstatsError, InputError
from ..fileio import file_sha256, settings_hash, write_json, write_parquet
from ..handcrafted.cache import replay_warnings
from ..paths import safe_component
from . import crops as _crops
from .cluster import cluster_device, deep_on_cluster
from .extract import FEATURES, FLAG_COLUMNS, _module, _run, load_case, precision
from .model import require_torch, resolve_device


def _case_key(image, mask, settings) -> str | None:
    def digest(path):
        p = Path(path)
        if p.is_file():
            return file_sha256(p)
        if p.is_dir():  # a DICOM series folder
            return settings_hash([(f.name, file_sha256(f)) for f in sorted(p.rglob("*")) if f.is_file()])
        return None

    if not all(isinstance(x, (str, Path)) or hasattr(x, "read_kwargs") for x in (image, mask)):
        return None  # arrays: nothing to key a cache on
    parts = [digest(getattr(x, "path", x)) for x in (image, mask)]
    specs = [x.read_kwargs() if hasattr(x, "read_kwargs") else {} for x in (image, mask)]
    return None if None in parts else settings_hash({"inputs": parts, "specs": specs, **settings})[:16]


def _warnings_path(target: Path) -> Path:
    return target.with_name(target.name[:-len(".parquet")] + ".warnings.json")


def _cached_warnings(target: Path) -> list | None:
    """The warnings kept with a cached patient's table, or None when they are missing or unreadable."""
    try:
        kept = json.loads(_warnings_path(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept if isinstance(kept, list) else None


def extract_cohort_deep(cases, model, device: str = "auto", batch_size: int = 32, spacing=(1.0, 1.0, 1.0),
                        cache_dir=None, size: int = _crops.CROP_SIZE, threads: int | None = None,
                        weights_sha256: str | None = None, warn: bool = True, client=None,
                        accelerated: bool | None = None):
    """Per-slice deep features for a cohort.

    ``cases``: a DataFrame with columns ``id``, ``image``, ``mask`` (paths, or arrays (z, y, x)).
    With ``cache_dir``, each patient's table is kept in ``<cache_dir>/<id>.<key>.parquet`` where the key
    hashes the input files, the weights, the device path and the crop settings: a rerun reuses finished
    patients. Its warnings are kept beside it (``<id>.<key>.warnings.json``) and replayed when it is reused;
    all patients' warnings are issued after the extraction, in the cases' order, so that a resumed run
    shows the same warnings as an uninterrupted one. Returns ``(slice_table, failures)``, failures as a DataFrame (patient, error); one patient's
    bad input never stops the others.

    ``client`` (a ``dask.distributed.Client``): the patients run on that cluster
    (:func:`eprstats.deep.cluster.deep_on_cluster`; on the CPU byte-identical to this machine's features,
    on CUDA crops cut by the workers and batches filled across patients on the GPU workers); the cache is
    still read and written here only. ``accelerated`` picks the GPU engine (default: on CUDA; the tests run
    it on the CPU).
    """
    torch, _ = require_torch()
    for col in ("id", "image", "mask"):
        if col not in cases.columns:
            raise InputError(f"the input table has no {col!r} column", "give columns id, image, mask", column=col)
    if client is None:
        dev = resolve_device(device)
    else:
        dev = cluster_device(client, device)  # the workers' GPUs, not this machine's
    settings = {"weights": weights_sha256, "precision": precision(dev), "size": size, "spacing": spacing,
                "batch_size": int(batch_size), "threads": threads, "rules": "eprstats.deep.crops v1",
                "torch": torch.__version__}
    if accelerated is not None and accelerated != dev.startswith("cuda"):  # not the device's usual engine
        settings["engine"] = "accelerated" if accelerated else "plain"
    cache = Path(cache_dir) if cache_dir else None
    done, todo, keys, warned = {}, [], {}, {}
    for row in cases.itertuples(index=False):
        patient = str(row.id)
        key = _case_key(row.image, row.mask, settings) if cache and weights_sha256 else None
        target = cache / f"{safe_component(patient)}.{key}.parquet" if key else None
        kept = _cached_warnings(target) if target is not None and target.is_file() else None
        if kept is not None:  # an entry without its warnings (older version) is recomputed
            done[patient], warned[patient] = pd.read_parquet(target), kept
            continue
        keys[patient] = target
        todo.append((patient, row.image, row.mask))
    # warn=True: the crop warnings are kept in the cache whatever this call shows (skipped at replay)
    if client is not None:
        results = deep_on_cluster(client, todo, _module(model), dev, int(batch_size), size, threads, spacing,
                                  dev.startswith("cuda") if accelerated is None else accelerated, warned)
    else:
        results = _run(todo, _module(model), dev, batch_size, size, threads, True,
                       load=lambda p, i, m: load_case(p, i, m, spacing), accelerated=accelerated, record=warned)
    failures = []
    for patient, table, res in results:
        if isinstance(res, BaseException):
            msg = res.message if isinstance(res, EprstatsError) else f"{type(res).__name__}: {res}"
            failures.append({"patient": patient, "error": msg})
            continue
        done[patient] = table
        if keys.get(patient) is not None:
            # the warnings first: the table's presence marks a finished patient
            write_json(_warnings_path(keys[patient]), warned.get(patient, []))
            write_parquet(keys[patient], table)
    for patient in dict.fromkeys(str(p) for p in cases["id"]):
        replay_warnings(warned.get(patient), skip=() if warn else ("CropWarning",))
    order = [str(p) for p in cases["id"] if str(p) in done]
    slices = pd.concat([done[p] for p in order], ignore_index=True) if order else pd.DataFrame(
        columns=["patient", "slice", *FEATURES, *FLAG_COLUMNS])
    return slices, pd.DataFrame(failures, columns=["patient", "error"])
