"""One case of a cohort extraction, as a worker process runs it: read its images and masks, extract, store.

:func:`run_case` (a joblib worker's task) and :func:`extract_case_remote` (a Dask worker's) live here, apart
from the cohort's orchestration and tables (:mod:`.parallel`, :mod:`.tables`), so that a worker process --
which imports only the module of the function it is sent -- loads neither pandas nor pyarrow: about 75 MB of
each worker's memory that extraction never uses (issue #25's memory bar). Only ROIs derived from a tumour
mask need :mod:`eprstats.segmentation.rois`, whose cohort checks import pandas: it is imported where a ROI is
derived (the exception is listed, with this reason, in ``tests/test_layers.py``; the worker's modules are
checked by ``tests/handcrafted/test_worker_imports.py``).
"""
from __future__ import annotations

import ctypes
import dataclasses
import time
import traceback
from pathlib import Path

import numpy as np

from ..cohort.images import mask_onto_grid, read_image, read_mask
from ..errors import EprstatsError, InputError
from ..fileio import OutputWriteError
from ..segmentation.resample import resample_image, resample_mask
from .cache import CaseCache, case_key, recorded_warnings, replay_warnings
from .extract import diagnostic_values, extract_features, feature_values
from .params import Settings


@dataclasses.dataclass
class RoiSpec:
    """One ROI of a case: its name, the image it lies on, and either a mask file or a derivation."""

    roi: str
    image: str
    mask: str | None = None
    label: int | None = None
    segment: str | None = None
    image_series: str | None = None
    derive: str | None = None  # "tumour" / "ring" / "plus": derived from `mask` (the tumour) by segmentation
    liver: str | None = None


@dataclasses.dataclass
class Case:
    """One patient: the ROIs to extract."""

    patient: str
    rois: list[RoiSpec]
    derive_settings: dict = dataclasses.field(default_factory=dict)  # spacing, ring_mm

    def files(self) -> dict:
        out = {}
        for r in self.rois:
            out[f"{r.roi}:image"] = r.image
            if r.mask:
                out[f"{r.roi}:mask"] = r.mask
            if r.liver:
                out[f"{r.roi}:liver"] = r.liver
        return out

    def key_extra(self) -> dict:
        return {"rois": [dataclasses.asdict(r) | {"image": None, "mask": None, "liver": None} for r in self.rois],
                "derive": self.derive_settings}


def _read_image(path, series=None):
    return read_image(path, series_uid=series) if series else read_image(path)


def _read_mask(path, label=None, segment=None):
    kw = {}
    if label is not None:
        kw["label"] = label
    if segment is not None:
        kw["segment"] = segment
    return read_mask(path, **kw)


def _case_masks(case: Case):
    """Yield (image, {roi: mask}) per distinct image of the case, reading each file once."""
    by_image: dict = {}
    for spec in case.rois:
        by_image.setdefault((spec.image, spec.image_series), []).append(spec)
    for (image_path, series), specs in by_image.items():
        image = raw_image = _read_image(image_path, series)
        tolerance = float(case.derive_settings.get("geometry_tolerance", 1e-3))
        masks = {}
        derived: dict = {}
        if any(s.derive for s in specs):
            image = resample_image(image, case.derive_settings.get("spacing", [1.0, 1.0, 1.0]))
        for spec in specs:
            if spec.derive:
                key = (spec.mask, spec.label, spec.segment, spec.liver)
                if key not in derived:
                    tumour = _checked_mask(case.patient, spec, raw_image, tolerance)
                    tumour = resample_mask(tumour, image)
                    liver = resample_mask(_read_mask(spec.liver), image) if spec.liver else None
                    # here, not at the top: segmentation.rois imports pandas (module docstring)
                    from ..segmentation.rois import derive_rois
                    derived[key] = derive_rois(tumour, case.derive_settings.get("ring_mm", 3.0), liver,
                                               patient=case.patient)
                masks[spec.roi] = derived[key][spec.derive]
            else:
                masks[spec.roi] = _checked_mask(case.patient, spec, raw_image, tolerance)
        yield image, masks


def _checked_mask(patient: str, spec: RoiSpec, image, tolerance: float = 1e-3):
    """The mask of ``spec`` on ``image``'s grid, refused with the patient, file and fix when it is empty, a
    single voxel, or on another grid (pyradiomics would stop with a bare ValueError, or, for a grid that
    differs slightly, extract silently from misplaced voxels)."""
    import SimpleITK as sitk
    mask = _read_mask(spec.mask, spec.label, spec.segment)
    n = int(np.count_nonzero(sitk.GetArrayViewFromImage(mask)))
    if n == 0:
        raise InputError(f"No labels found in the mask of ROI {spec.roi!r}: no voxel is set",
                         "check that the right mask (or label after '#') was given and saved",
                         patient=patient, file=str(spec.mask))
    if n == 1:
        raise InputError(f"the mask of ROI {spec.roi!r} is a single voxel",
                         "delineate the whole tumour (a single voxel gives no texture features)",
                         patient=patient, file=str(spec.mask))
    return mask_onto_grid(mask, image, tolerance, what=f"the mask of ROI {spec.roi!r}", patient=patient,
                          file=spec.mask)


def run_case(case: Case, settings: Settings, cache_dir) -> dict:
    """Extract one case (or read it from the cache); never raises: errors come back as a record.

    A finished case's record holds its cache ``key``, so that the tables read its entry without hashing its
    input files again.

    The case's warnings are not shown here (a worker process's would be lost) but returned in the record's
    ``warnings`` and kept in the cache entry; :func:`extract_cohort` replays them in the cases' order.
    """
    started = time.perf_counter()
    with recorded_warnings() as warned:
        rec = _run_case(case, settings, cache_dir)
    release_freed_memory()
    return rec | {"warnings": warned, "seconds": time.perf_counter() - started}


def _run_case(case: Case, settings: Settings, cache_dir) -> dict:
    try:
        cache = CaseCache(cache_dir)
        key, entry = _cache_entry(case, settings, cache)
        if entry is not None:  # the warnings raised when it was computed, as if computed now
            replay_warnings(entry["warnings"])
            return {"patient": case.patient, "status": "cached", "key": key}
        features, diagnostics, computed = _extract_case(case, settings)
        cache.store(case.patient, key, features, diagnostics, computed)
        return {"patient": case.patient, "status": "computed", "key": key}
    except Exception as exc:
        return _failure(case, exc)


def _cache_entry(case: Case, settings: Settings, cache: CaseCache) -> tuple[str, dict | None]:
    """The case's key and its cache entry (None when not cached); InputError for a missing input file."""
    for what, path in case.files().items():
        if not Path(path).exists():
            raise InputError(f"the {what.split(':')[1]} file of ROI {what.split(':')[0]!r} does not exist",
                             "check the path (paths are relative to the table or study file)",
                             patient=case.patient, file=str(path))
    key = case_key(case.files(), settings.hash, case.key_extra())
    return key, cache.load(case.patient, key)


def _extract_case(case: Case, settings: Settings) -> tuple[dict, dict, list]:
    """pyradiomics on every ROI of the case: (features, diagnostics, the case's own warnings); writes nothing."""
    features, diagnostics, computed = {}, {}, []
    try:
        with recorded_warnings() as computed:  # this case's own, to keep in its entry
            for image, masks in _case_masks(case):
                for roi, result in extract_features(image, masks, settings).items():
                    features[roi] = feature_values(result)
                    diagnostics[roi] = diagnostic_values(result)
    finally:
        replay_warnings(computed)  # into run_case's record, also for a case that fails
    return features, diagnostics, computed


def _failure(case: Case, exc: BaseException) -> dict:
    """The record of a case that failed: the patient and one line naming the error."""
    if isinstance(exc, OutputWriteError):  # a full disk fails every later case the same way: the caller stops
        return {"patient": case.patient, "status": "failed", "error": exc.message,
                "write_error": {"file": exc.file, "errno": exc.errno}}
    if isinstance(exc, EprstatsError):
        return {"patient": case.patient, "status": "failed", "error": exc.message}
    # pyradiomics raises ValueError for empty/one-voxel ROIs, etc.
    last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" (at {Path(last.filename).name}:{last.lineno})" if last else ""
    return {"patient": case.patient, "status": "failed",
            "error": f"{type(exc).__name__}: {exc}{where}".replace("\n", " ")}


def extract_case_remote(case: Case, settings: Settings) -> dict:
    """On a Dask worker: :func:`run_case` without the cache. The features come back in the record
    (``features``, ``diagnostics``, ``computed``: the case's warnings); the client, which owns the output
    folder, stores them (the workers need not see it)."""
    started = time.perf_counter()
    with recorded_warnings() as warned:
        try:
            features, diagnostics, computed = _extract_case(case, settings)
            rec = {"patient": case.patient, "status": "computed", "features": features,
                   "diagnostics": diagnostics, "computed": computed}
        except Exception as exc:
            rec = _failure(case, exc)
    return rec | {"warnings": warned, "seconds": time.perf_counter() - started}


def release_freed_memory() -> None:
    """Return the heap memory freed by a finished case to the operating system (glibc's ``malloc_trim``).

    glibc keeps freed heap memory for reuse; with the case's full-size masks freed in between, what the next
    case or the tables allocate comes partly on top of it, and the process's peak grows by 30-60 MB over a
    run (measured on the demo). Elsewhere than glibc it does nothing."""
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = None
