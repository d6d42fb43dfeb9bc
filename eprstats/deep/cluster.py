"""Deep features on a Dask cluster: a patient per task on CPU workers (the local arithmetic, byte-identical),
or crops cut on every worker and the forward pass of several patients per task on GPU workers (batches filled
across patients). The connection and ordered mapping are :mod:`eprstats.cluster`; the cohort's entry point,
which calls this module, is :func:`eprstats.deep.run.extract_cohort_deep`."""
from __future__ import annotations

import types

from ..cluster import _picklable, in_order, share, submit_all, task_key
from ..handcrafted.cache import recorded_warnings
from . import crops as _crops
from .extract import _run, _run_cuda, _slice_table, load_case
from .model import require_torch


#: patients per forward task on a GPU worker: their crops fill the batches together (about 50 tumour slices
#: a patient: 1,600 images, some 1 GB of 224 x 224 crops, per task)
GPU_PATIENTS = 32


def _gpu_workers(client) -> list:
    """Workers started with ``--resources GPU=1`` (``dask worker ADDR --resources GPU=1``)."""
    return sorted(a for a, w in client.scheduler_info()["workers"].items() if w.get("resources", {}).get("GPU"))


def cluster_device(client, device: str) -> str:
    """``device`` for the cluster's workers: ``auto`` is ``cuda`` when a worker has a GPU (a ``GPU``
    resource, or CUDA usable there), else ``cpu``."""
    device = str(device or "auto").lower()
    if device != "auto":
        return device
    if _gpu_workers(client):
        return "cuda"
    usable = client.run(_cuda_usable, on_error="return")
    return "cuda" if any(v is True for v in usable.values()) else "cpu"


def _cuda_usable() -> bool:
    import torch
    return bool(torch.cuda.is_available())


def deep_patient_cpu(case, model, spacing, batch_size: int, size: int, threads):
    """On a worker: one patient's crops and CPU forward pass, the local path's arithmetic (same batches)."""
    record: dict = {}
    ((patient, table, res),) = _run([case], model, "cpu", batch_size, size, threads, True,
                                    load=lambda p, i, m: load_case(p, i, m, spacing), record=record)
    return patient, table, None if table is not None else _picklable(res), record.get(str(patient), [])


def deep_crops(case, spacing, size: int):
    """On a worker: one patient's ImageNet-normalised crops (numpy, :func:`eprstats.deep.crops.plan_crops`)
    and crop table, for a GPU worker's forward pass; ``(patient, table, crops, warnings)``, or
    ``(patient, exception, None, warnings)``."""
    patient, image, mask = case
    with recorded_warnings() as warned:
        try:
            img, msk = load_case(patient, image, mask, spacing)
            plan = _crops.plan_crops(img, msk, size, patient)
            _crops.warn_flags(plan.table, patient)
            got = (patient, plan.table, _crops.imagenet_normalise(plan.crops()))
        except Exception as exc:
            got = (patient, _picklable(exc), None)
    return (*got, warned)


def deep_forward(items, model, device: str, batch_size: int) -> list:
    """On a GPU worker: the forward pass of several patients' crops, batches filled across patients (the GPU
    engine of :func:`eprstats.deep.extract._run`, bf16 autocast, channels-last); ``[(patient, slice table or
    None, exception or None, warnings)]`` in the items' order."""
    torch, _ = require_torch()

    def to_device(plan, host, dev):
        return torch.from_numpy(host).to(dev, non_blocking=True)

    prepared = [(p, types.SimpleNamespace(table=t), c) if c is not None else (p, t, None) for p, t, c, _ in items]
    model.eval()
    before = torch.backends.cudnn.benchmark
    torch.backends.cudnn.benchmark = True
    try:
        done = _run_cuda(prepared, model, device, batch_size, to_crops=to_device)
    finally:
        torch.backends.cudnn.benchmark = before
    return [(p, _slice_table(p, t, f), None, w) if f is not None else (p, None, _picklable(t), w)
            for (p, t, f), (_, _, _, w) in zip(done, items)]


def deep_on_cluster(client, todo, model, device: str, batch_size: int, size: int, threads, spacing,
                    accelerated: bool, record: dict) -> list:
    """:func:`eprstats.deep.extract._run` on the cluster: ``[(patient, table or None, table or exception)]``
    for ``todo`` = [(patient, image, mask)], each patient's warnings into ``record``.

    CPU engine: each worker holds the model and runs a patient's crops and forward pass, the local
    arithmetic, so the features are byte-identical. GPU engine: every worker cuts crops; the workers with a
    ``GPU`` resource (any worker when none has one) hold the model and run the forward pass of
    :data:`GPU_PATIENTS` patients a task, batches filled across them."""
    names = [str(p) for p, _, _ in todo]
    if not todo:
        return []
    if not accelerated:
        futures = submit_all(client, deep_patient_cpu, todo, share(client, model), spacing, batch_size, size,
                             threads, stage="deep")
        rows = list(in_order(client, futures, names))
    else:
        gpus = _gpu_workers(client)
        held = client.scatter(model, workers=gpus or None, broadcast=True, hash=False)
        crops = submit_all(client, deep_crops, todo, spacing, size, stage="deep-crops")
        token = task_key("deep-forward")
        futures = [client.submit(deep_forward, crops[i:i + GPU_PATIENTS], held, device, batch_size,
                                 key=f"{token}-{i}", pure=False, resources={"GPU": 1} if gpus else None)
                   for i in range(0, len(crops), GPU_PATIENTS)]
        del crops  # the forward tasks hold them; each is released when its task is done
        rows = [row for group in in_order(client, futures, names[::GPU_PATIENTS]) for row in group]
    out = []
    for patient, table, exc, warned in rows:
        record.setdefault(str(patient), []).extend(warned)
        out.append((patient, table, table if exc is None else exc))
    return out
