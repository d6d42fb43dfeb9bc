"""Deep features per tumour slice, pooled per patient, over a cohort.

The deep signature can then be built two ways, both through the selection stage like the handcrafted
features:

* **the paper's route** -- a model on the slice-level features whose predicted probabilities are averaged
  per patient ("The average value of the prediction probability of multiple tumor images was calculated as
  the DL signature"): give the per-slice table (it has a ``patient`` column) to
  ``eprstats.selection.signature.build_signature(..., patient_col="patient")``;
* **the alternative** -- selection on patient-level features: :func:`pool_patients` (mean by default),
  then the same selection as for the handcrafted features.

Device paths. CPU: float32, channels-last, deterministic (``torch.use_deterministic_algorithms``, a fixed thread count):
the same input and batch size give bit-identical features. CUDA: bf16 autocast, channels-last, batches of
``batch_size``, pinned host memory; a producer thread reads and plans the next patients' crops while the GPU
runs, and the crops themselves (intensity percentiles, slab cut, interpolation) are computed on the GPU with
the same arithmetic as on the CPU (:func:`.crops.sample`). CUDA features agree with CPU ones within bf16
precision (see ``benchmarks/bench_deep.py``, which measures the difference), not bit for bit.
"""
from __future__ import annotations

import collections
import contextlib
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from ..cohort.images import check_mask_grid, read_image, read_mask
from ..errors import EprstatsError, InputError, MissingDependencyError
from ..handcrafted.cache import recorded_warnings
from . import crops as _crops
from .model import N_FEATURES, require_torch, resolve_device
from ..segmentation.resample import resample_image, resample_mask

FEATURES = [f"f{i}" for i in range(N_FEATURES)]
FLAG_COLUMNS = ["channels", "y0", "x0", "side", "scale", "resized", "padded", "pad_reason"]
POOLS = ("mean", "max", "median")


def _module(model):
    return model[0] if isinstance(model, tuple) else model


def precision(device: str) -> str:
    """The arithmetic a device path uses (for the provenance)."""
    return "bfloat16 autocast (channels-last)" if str(device).startswith("cuda") else "float32 (channels-last)"


@contextlib.contextmanager
def deterministic_cpu(threads: int | None = None):
    """Deterministic algorithms and a fixed thread count for the block; the previous settings come back."""
    torch, _ = require_torch()
    before = (torch.are_deterministic_algorithms_enabled(), torch.get_num_threads())
    torch.use_deterministic_algorithms(True, warn_only=True)
    if threads:
        torch.set_num_threads(int(threads))
    try:
        yield torch.get_num_threads()
    finally:
        torch.use_deterministic_algorithms(before[0])
        torch.set_num_threads(before[1])


def _forward_cpu(model, crops: np.ndarray, batch_size: int) -> np.ndarray:
    torch, _ = require_torch()
    out = np.empty((len(crops), N_FEATURES), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(crops), batch_size):
            batch = torch.from_numpy(np.ascontiguousarray(crops[start:start + batch_size]))
            # Channels-last: oneDNN's faster float32 convolutions (1.6x measured on 2 cores), still
            # deterministic for a fixed thread count and batch.
            batch = batch.contiguous(memory_format=torch.channels_last)
            out[start:start + len(batch)] = model(batch).numpy()
    return out


def _slice_table(patient, table: pd.DataFrame, features: np.ndarray) -> pd.DataFrame:
    head = pd.DataFrame({"patient": [str(patient)] * len(table), "slice": table["slice"].to_numpy()})
    feats = pd.DataFrame(features.astype(np.float32, copy=False), columns=FEATURES)
    return pd.concat([head, feats, table[FLAG_COLUMNS].reset_index(drop=True)], axis=1)


# ---------------------------------------------------------------------------------------------------- CUDA
def _gpu_prepare(image, mask, size, patient, pin=True):
    """Producer side (a thread): geometry on the CPU, the image pinned for an asynchronous copy."""
    torch, _ = require_torch()
    image, mask = _crops._check_arrays(image, mask, patient)
    plan = _crops.plan_geometry(mask, size, patient)
    if image.dtype not in (np.float32, np.float64, np.int16, np.int32, np.uint8, np.int8):
        image = image.astype(np.float32)
    host = torch.from_numpy(np.ascontiguousarray(image))
    return plan, (host.pin_memory() if pin else host)


def _gpu_percentiles(ordered, qs):
    """numpy's default (linear) percentiles from a sorted 1-D device tensor, in float64, with no host sync."""
    n = ordered.numel()
    out = []
    for q in qs:
        pos = (n - 1) * q / 100.0
        lo = int(np.floor(pos))
        hi = min(lo + 1, n - 1)
        a, b = ordered[lo].double(), ordered[hi].double()
        out.append(a + (pos - lo) * (b - a))
    return out


def _gpu_crops(plan, host, device):
    """Crops on the device: the same percentiles, slab, interpolation and normalisation as the CPU path.

    The volume travels in its own dtype (int16 MRI: half the bytes) and is sorted in it (radix sort) for the
    percentiles. A constant or non-finite image gives non-finite features here (checking it on the device
    would stall the pipeline); :func:`_run_cuda` turns them into the CPU path's error for that patient.
    """
    torch, _ = require_torch()
    native = host.to(device, non_blocking=True)
    lo, hi = (v.float() for v in _gpu_percentiles(torch.sort(native.flatten()).values, _crops.PERCENTILES))
    z_lo, z_hi, y_lo, y_hi, x_lo, x_hi = plan.bounds
    slab = native[z_lo:z_hi, y_lo:y_hi, x_lo:x_hi].float()
    region = (torch.minimum(torch.maximum(slab, lo), hi) - lo) / (hi - lo)
    channels = torch.from_numpy(plan.channels).to(device)
    wy = torch.from_numpy(plan.wy).to(device, non_blocking=True)
    wx = torch.from_numpy(plan.wx).to(device, non_blocking=True)
    return _crops.imagenet_normalise(_crops.sample(region, channels, wy, wx))


def _run_cuda(prepared, model, device, batch_size, to_crops=None):
    """Consume ``(patient, plan, host)`` items; returns [(patient, table, features)] in input order.

    Failures raised by the producer arrive as ``(patient, exception, None)`` and are passed through.
    ``to_crops(plan, host, device)`` makes a patient's crops on the device (default :func:`_gpu_crops`; a
    cluster passes crops its workers cut, :func:`eprstats.deep.cluster.deep_forward`).
    """
    to_crops = to_crops or _gpu_crops
    torch, _ = require_torch()
    model = model.to(device, memory_format=torch.channels_last)
    kind = torch.device(device).type  # the same engine runs on CPU in the tests (bf16 autocast there too)
    pending, pending_n, feats, results = [], 0, [], []

    def flush(final=False):
        nonlocal pending, pending_n
        if not pending:
            return
        stack = torch.cat(pending) if len(pending) > 1 else pending[0]
        cut = len(stack) if final else (len(stack) // batch_size) * batch_size
        for start in range(0, cut, batch_size):
            x = stack[start:start + batch_size]
            n = len(x)
            if kind == "cuda" and n < batch_size:
                # Pad the last batch to the usual shape: cuDNN's autotuning of a new shape costs far more
                # than the padded images (eval mode: samples do not interact).
                x = torch.cat([x, x.new_zeros((batch_size - n, *x.shape[1:]))])
            x = x.contiguous(memory_format=torch.channels_last)
            with torch.autocast(kind, dtype=torch.bfloat16):
                feats.append(model(x)[:n].float())
        pending = [stack[cut:]] if cut < len(stack) else []
        pending_n = len(stack) - cut

    with torch.inference_mode():
        for patient, plan, host in prepared:
            if host is None:  # a failure from the producer
                results.append((patient, plan, None))
                continue
            crops = to_crops(plan, host, device)
            pending.append(crops)
            pending_n += len(crops)
            results.append((patient, plan.table, len(crops)))
            if pending_n >= batch_size:
                flush()
        flush(final=True)
        allfeats = torch.cat(feats).cpu().numpy() if feats else np.empty((0, N_FEATURES), np.float32)
    out, start = [], 0
    for patient, table, n in results:
        if n is None:
            out.append((patient, table, None))
            continue
        feats_p = allfeats[start:start + n]
        start += n
        if not np.isfinite(feats_p).all():
            feats_p = InputError("the image has no intensity range between its 0.5th and 99.5th percentiles, or "
                                 "non-finite values", "check that the right image (the PVP phase) was given",
                                 patient=str(patient))
            out.append((patient, feats_p, None))
            continue
        out.append((patient, table, feats_p))
    return out


def _producer(cases, load, size, workers: int = 4, pin=True):
    """Prepare cases in background threads, in input order, at most ``2 * workers`` ahead of the consumer.

    Yields ``(patient, plan, host)`` or ``(patient, exception, None)``. numpy's reductions and torch's
    pinned copies release the GIL, so the threads run beside the GPU feeding loop.
    """
    def prepare(patient, image, mask):
        try:
            img, msk = load(patient, image, mask)
            return (patient, *_gpu_prepare(img, msk, size, patient, pin))
        except Exception as exc:  # a bad case must not stop the others
            return (patient, exc, None)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="eprstats-deep") as pool:
        ahead = collections.deque()
        for case in cases:
            ahead.append(pool.submit(prepare, *case))
            if len(ahead) >= 2 * max(1, workers):
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


# ----------------------------------------------------------------------------------------------- public
def patient_deep_features(image, mask, model, device: str = "auto", batch_size: int = 32, patient="patient",
                          size: int = _crops.CROP_SIZE, threads: int | None = None,
                          warn: bool = True) -> pd.DataFrame:
    """512 ResNet34 features for every tumour slice of one patient (a cohort: :func:`eprstats.deep_features`).

    Parameters
    ----------
    image, mask : arrays (z, y, x) on the same grid (resampled to 1 mm as in the imaging stage), the mask
        non-zero on the tumour.
    model : the module (or ``(module, info)``) from :func:`eprstats.deep.model.load_resnet34`.
    device : ``"auto"``, ``"cpu"`` or ``"cuda"``.
    batch_size : images per forward pass (CPU results are bit-identical for the same batch size).

    Returns
    -------
    DataFrame: ``patient``, ``slice``, ``f0`` ... ``f511``, then the crop flags ``channels``, ``y0``,
    ``x0``, ``side``, ``scale``, ``resized``, ``padded``, ``pad_reason`` (see :mod:`.crops`).

    Build the signature on it with ``build_signature(..., patient_col="patient")`` (the paper's
    slice-level model, probabilities averaged per patient) or pool it first with :func:`pool_patients`.
    """
    rows = _run([(patient, image, mask)], _module(model), device, batch_size, size, threads, warn,
                load=lambda p, i, m: (i, m))
    _, table, result = rows[0]
    if isinstance(result, BaseException):
        raise result
    return table


def deep_features(*args, **kwargs) -> pd.DataFrame:
    """Deprecated name of :func:`patient_deep_features` (``eprstats.deep_features`` is the cohort's API)."""
    warnings.warn("eprstats.deep.extract.deep_features is patient_deep_features (eprstats.deep_features "
                  "takes a cohort)", DeprecationWarning, stacklevel=2)
    return patient_deep_features(*args, **kwargs)


@contextlib.contextmanager
def _kept(record, patient):
    """The block's warnings into ``record[patient]`` (shown as usual when ``record`` is None)."""
    if record is None:
        yield
        return
    got: list = []
    try:
        with recorded_warnings() as got:
            yield
    finally:
        record.setdefault(str(patient), []).extend(got)


def _run(cases, model, device, batch_size, size, threads, warn, load, accelerated=None, record=None):
    """[(patient, table or None, features frame or exception)] for ``cases`` = [(patient, image, mask)].

    ``accelerated`` (default: on CUDA) picks the GPU engine; the tests run it on the CPU too. With a dict
    ``record``, each patient's warnings are kept there (:func:`recorded_warnings` records) instead of shown
    (on the GPU engine, those of the crop flags: the images are read in other threads).
    """

    torch, _ = require_torch()
    device = resolve_device(device)
    if int(batch_size) < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}", "use e.g. --batch-size 32")
    model.eval()
    out = []
    if accelerated is None:
        accelerated = device.startswith("cuda")
    if accelerated:
        before = torch.backends.cudnn.benchmark
        torch.backends.cudnn.benchmark = True
        prepared = _producer(cases, load, size, workers=min(8, os.cpu_count() or 1), pin=device.startswith("cuda"))
        try:
            for patient, table, feats in _run_cuda(prepared, model, device, int(batch_size)):
                if feats is None:
                    out.append((patient, None, table))  # table holds the exception
                    continue
                if warn:
                    with _kept(record, patient):
                        _crops.warn_flags(table, patient)
                out.append((patient, _slice_table(patient, table, feats), None))
        finally:
            torch.backends.cudnn.benchmark = before
        return [(p, t, t if e is None else e) for p, t, e in out]
    model.to("cpu", memory_format=torch.channels_last)
    with deterministic_cpu(threads):
        for patient, image, mask in cases:
            with _kept(record, patient):
                try:
                    img, msk = load(patient, image, mask)
                    plan = _crops.plan_crops(img, msk, size, patient)
                    if warn:
                        _crops.warn_flags(plan.table, patient)
                    feats = _forward_cpu(model, _crops.imagenet_normalise(plan.crops()), int(batch_size))
                    table = _slice_table(patient, plan.table, feats)
                    out.append((patient, table, table))
                except Exception as exc:  # collected; the caller decides
                    out.append((patient, None, exc))
    return out


def pool_patients(slice_df: pd.DataFrame, how: str = "mean", patient_col: str = "patient") -> pd.DataFrame:
    """One row per patient: the slice features pooled by ``how`` (mean, max or median), in input order.

    Adds ``n_slices``, ``n_padded`` and ``n_resized``. This is the input of the alternative route
    (selection on patient-level features); the paper's own signature instead averages the slice-level
    predicted probabilities (``build_signature(slices, ..., patient_col="patient")``).

    Example
    -------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"patient": ["a", "a", "b"], "f0": [1.0, 3.0, 5.0]})
    >>> pool_patients(d)[["patient", "f0", "n_slices"]].values.tolist()
    [['a', 2.0, 2], ['b', 5.0, 1]]
    """
    if how not in POOLS:
        raise InputError(f"unknown pooling {how!r}", f"use one of {', '.join(POOLS)}")
    if patient_col not in slice_df.columns:
        raise InputError(f"the slice table has no {patient_col!r} column", "give the per-slice deep table",
                         column=patient_col)
    feats = [c for c in slice_df.columns if re.fullmatch(r"f\d+", str(c))]
    if not feats:
        raise InputError("the slice table has no feature columns f0, f1, ...", "give the per-slice deep table")
    grouped = slice_df.groupby(patient_col, sort=False)
    pooled = getattr(grouped[feats], how)().astype(np.float32)
    extra = pd.DataFrame({"n_slices": grouped.size()})
    for flag in ("padded", "resized"):
        if flag in slice_df.columns:
            extra[f"n_{flag}"] = grouped[flag].sum().astype(int)
    return pd.concat([pooled, extra], axis=1).reset_index()


# ------------------------------------------------------------------------------------------------ cohort
def load_case(patient, image, mask, spacing=(1.0, 1.0, 1.0)):
    """Read and resample one case (image linear, mask nearest neighbour onto the image) as (z, y, x) arrays.

    Uses the cohort stage's readers and the segmentation stage's resampling (the same grid as the handcrafted
    features). Arrays are passed through unchanged.
    """
    if not isinstance(image, (str, Path)) and not hasattr(image, "read_kwargs"):
        return np.asarray(image), np.asarray(mask)
    try:
        import SimpleITK as sitk
    except ImportError:
        raise MissingDependencyError("reading images needs SimpleITK", "pip install 'eprstats[imaging]'") from None
    # A study's FileRef carries the segment / label / DICOM series to read.
    image_kw = image.read_kwargs() if hasattr(image, "read_kwargs") else {}
    mask_kw = mask.read_kwargs() if hasattr(mask, "read_kwargs") else {}
    image, mask = getattr(image, "path", image), getattr(mask, "path", mask)
    for path, what in ((image, "image"), (mask, "mask")):
        if not Path(path).exists():
            raise InputError(f"the {what} file does not exist", "check the path in the input table",
                             patient=str(patient), file=str(path))
    try:
        img = read_image(image, **image_kw)
        msk = read_mask(mask, **mask_kw)
    except EprstatsError as exc:
        if exc.patient is None:
            exc.patient = str(patient)
            exc.args = (exc.message,)
        raise
    except Exception as exc:
        raise InputError(f"could not read the image or mask ({str(exc).strip().splitlines()[-1][:200]})",
                         "check the files are NIfTI, NRRD or DICOM", patient=str(patient),
                         file=f"{image}, {mask}") from None
    _check_mask_on_image(patient, img, msk, mask)
    if spacing is not None:
        img = resample_image(img, spacing=tuple(spacing), interpolator="linear")
        msk = resample_mask(msk, img)
    elif msk.GetSize() != img.GetSize():
        msk = resample_mask(msk, img)
    return sitk.GetArrayFromImage(img), sitk.GetArrayFromImage(msk) != 0


def _check_mask_on_image(patient, img, msk, mask_file, tolerance: float = 1e-3) -> None:
    """Refuse a mask on another grid than its image (resampling would otherwise move it silently onto the
    image). An empty mask is refused by the crops."""
    check_mask_grid(img, msk, tolerance, patient=patient, file=mask_file)
