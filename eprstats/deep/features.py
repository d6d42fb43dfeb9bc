"""``deep_features(cases, weights)``: the deep features of a cohort as one result, :class:`DeepFeatures`.

The API function of the Methods step "deep features" (ResNet34 on three-slice tumour crops). ``eprstats
deep`` and the study's deep stage call it and write its files through :meth:`DeepFeatures.write`, so both
write the same files: ``deep_slices.{parquet,csv}`` (patient, slice, f0..f511, crop flags),
``deep_patients.{parquet,csv}`` (pooled per patient), ``deep_weights.json`` (the weights used, with their
sha256) and, when patients failed, ``deep_failures.csv``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..fileio import read_csv
from ..validation import arguments
from ..results import Result, Table, tidy_frame
from .crops import CROP_SIZE, INTENSITY_RULE
from .extract import FEATURES, POOLS, pool_patients, precision
from .run import extract_cohort_deep
from .model import RANDOM_WARNING, load_resnet34, resolve_device


@dataclass(frozen=True, eq=False, repr=False)
class DeepFeatures(Result):
    """The deep features of a cohort: per tumour slice (:attr:`slices`), pooled per patient
    (:attr:`patients`), the patients that failed (:attr:`failures`) and the weights' record
    (:attr:`weights`: ``weights``, ``source``, ``weights_sha256``, ``random``, ``seed``...)."""

    analysis = "deep"

    slices: pd.DataFrame
    patients: pd.DataFrame
    failures: pd.DataFrame
    weights: dict
    settings: dict = field(default_factory=dict)
    seconds: float = 0.0

    def table_files(self) -> list[Table]:
        """``deep_slices`` and ``deep_patients`` (Parquet and CSV), ``deep_failures`` (CSV, when any)."""
        out = []
        if len(self.slices):
            out += [Table("deep_slices", self.slices, publication=False, formats=("parquet", "csv")),
                    Table("deep_patients", self.patients, publication=False, formats=("parquet", "csv"))]
        if len(self.failures):
            out.append(Table("deep_failures", self.failures, publication=False))
        return out

    def json_files(self) -> dict:
        """``deep_weights.json``: the weights' record (without the device, which is a setting)."""
        return {"deep_weights": {k: v for k, v in self.weights.items() if k != "device"}}

    def tidy(self) -> pd.DataFrame:
        """One row per patient and feature: ``row`` the patient, ``column`` the feature (``f0`` ...),
        ``statistic`` the pooling (``mean``, ``max`` or ``median`` of the patient's slices), ``n`` the
        slices pooled."""
        if not len(self.patients):
            return tidy_frame([])
        long = self.patients.melt(id_vars=["patient", "n_slices"], value_vars=FEATURES, var_name="column")
        return pd.DataFrame({"analysis": self.analysis, "table": "deep_patients", "row": long["patient"],
                              "column": long["column"], "model": None, "cohort": None,
                              "statistic": self.settings.get("pool", "mean"),
                              "value": long["value"].astype(float), "ci_low": float("nan"),
                              "ci_high": float("nan"), "n": long["n_slices"], "events": None})

    def summary(self) -> str:
        random = " (RANDOM weights: demonstration only)" if self.weights.get("random") else ""
        return (f"{self.patients['patient'].nunique() if len(self.patients) else 0} patient(s), "
                f"{len(self.slices)} tumour slice(s), {len(FEATURES)} features, weights "
                f"{self.weights.get('weights')}{random}; {len(self.failures)} failed")


@arguments(cases="table", weights="path", pool="text", device="text", batch_size="count?", threads="count?",
           seed="count", size="count")
def deep_features(cases, weights="imagenet", *, pool: str = "mean", device: str = "auto",
                  batch_size: int | None = None, spacing=(1.0, 1.0, 1.0), threads: int | None = None,
                  seed: int = 0, weights_cache=None, cache_dir=None, size: int = CROP_SIZE, client=None,
                  model=None) -> DeepFeatures:
    """ResNet34 deep features of every tumour slice of a cohort, pooled per patient.

    Every tumour slice i of a patient gives a 224 x 224 crop whose three channels are slices (i-1, i, i+1)
    (the rules are in :mod:`eprstats.deep.crops`), ImageNet-normalised, x' = (x - mean_c) / sd_c; the
    network is torchvision's ResNet34 with its classification layer removed, so the 512 features are the
    global average pool of the last block (the paper: "the fully connected and softmax layers were
    removed"). A patient's features are the ``pool`` (mean by default) of its slices'.

    Parameters
    ----------
    cases : DataFrame or str or Path
        One row per patient with columns ``id``, ``image`` and ``mask`` (image paths, the mask non-zero on
        the tumour), or a CSV with those columns (paths relative to the CSV).
    weights : str or Path
        ``"imagenet"`` (torchvision's ResNet34_Weights.IMAGENET1K_V1: cached or downloaded, see
        :func:`eprstats.deep.model.load_resnet34`), the path of a local ResNet34 state-dict file, or
        ``"random"`` (seeded random weights: demonstrations and tests only, warned about and recorded).
    pool : {"mean", "max", "median"}
        How the slice features become patient features.
    device : {"auto", "cpu", "cuda"}
        Where the network runs; CPU features are bit-identical for the same batch size and threads.
    batch_size : int, optional
        Images per forward pass (default 32 on the CPU, 512 on CUDA).
    spacing : tuple of float
        The voxel spacing (z, y, x) in mm the images are resampled to.
    threads : int, optional
        CPU threads (fixed for determinism; default: torch's, left unset so that a local run and a cluster
        run share their cache).
    seed : int
        The seed of ``weights="random"``.
    weights_cache : str or Path, optional
        The folder holding ``resnet34-b627a593.pth`` (default: ``$TORCH_HOME/hub/checkpoints``).
    cache_dir : str or Path, optional
        A folder for per-patient results (a rerun reads them instead of computing again).
    size : int
        The crop's side in pixels.
    client : dask.distributed.Client, optional
        Run the patients on this cluster (:mod:`eprstats.deep.cluster`).
    model : tuple, optional
        ``(module, info)`` from :func:`~eprstats.deep.model.load_resnet34`, to reuse a loaded network
        (``weights``, ``seed`` and ``weights_cache`` are then not read).

    Returns
    -------
    DeepFeatures
        ``slices``, ``patients``, ``failures`` and the ``weights`` record; ``.write(out)`` writes
        ``deep_slices.{parquet,csv}``, ``deep_patients.{parquet,csv}``, ``deep_weights.json`` (and
        ``deep_failures.csv``).

    Notes
    -----
    Patient feature j = pool over the patient's tumour slices s = 1..S of f_j(s), with f the 512 outputs of
    ResNet34's global average pool: x_j = (1/S) sum_s f_j(s) with ``pool="mean"`` (max_s or median_s). No R function is involved: the network is torchvision's
    (``torchvision.models.resnet34``). One patient's bad input never stops the others: it is listed in
    ``failures`` (patient, error).

    References
    ----------
    He K, Zhang X, Ren S, Sun J (2016) Deep residual learning for image recognition. CVPR 770-778.

    Examples
    --------
    >>> import eprstats as ep
    >>> deep = ep.deep_features("cases.csv", weights="random", device="cpu")   # doctest: +SKIP
    >>> deep.patients.shape                                                    # doctest: +SKIP
    (2, 516)
    """
    if pool not in POOLS:
        raise InputError(f"unknown pooling {pool!r}", f"use one of {', '.join(POOLS)}")
    if isinstance(cases, (str, Path)):
        cases = _cases_from_csv(Path(cases))
    dev = resolve_device(device) if client is None else "cpu"
    if batch_size is None:
        batch_size = 512 if dev.startswith("cuda") else 32
    if model is None:
        # on a cluster the model travels from here to the workers, which move it to their device
        model = load_resnet34(weights, cache_dir=weights_cache, device=dev if client is None else "cpu",
                              seed=seed)                                     # warns when random
    module, info = model
    started = time.perf_counter()
    slices, failures = extract_cohort_deep(cases, module, device=device if client is not None else dev,
                                           batch_size=batch_size, spacing=spacing, cache_dir=cache_dir,
                                           threads=threads, size=size, weights_sha256=info.get("weights_sha256"),
                                           client=client)
    seconds = time.perf_counter() - started
    patients = pool_patients(slices, pool) if len(slices) else pd.DataFrame(columns=["patient", *FEATURES])
    settings = {"phase": None, "spacing": list(spacing), "weights": info["weights"], "device": dev,
                "precision": precision(dev), "batch_size": int(batch_size), "pool": pool, "threads": threads,
                "crop": f"{size} x {size}, channels slices (i-1, i, i+1), see eprstats.deep.crops",
                "intensity": INTENSITY_RULE, "random_weights_warning": RANDOM_WARNING if info["random"] else None}
    return DeepFeatures(slices, patients, failures, dict(info), settings, seconds)


def _cases_from_csv(path):
    """A CSV id,image,mask (paths relative to the CSV) as the cases table."""
    if not Path(path).is_file():
        raise InputError("the cases file does not exist", "give a CSV with columns id,image,mask", file=str(path))
    table = read_csv(path, "input")
    missing = [c for c in ("id", "image", "mask") if c not in table.columns]
    if missing:
        raise InputError(f"the input CSV has no column(s) {missing}", "give columns id,image,mask (one row a "
                         "patient; paths relative to the CSV)", file=str(path), column=missing[0])
    table = table[["id", "image", "mask"]].copy()
    table["id"] = table["id"].astype(str)
    for col in ("image", "mask"):
        table[col] = [str(p) if Path(str(p)).is_absolute() else str(path.parent / str(p)) for p in table[col]]
    return table
