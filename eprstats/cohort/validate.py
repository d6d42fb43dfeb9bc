"""Whole-cohort validation before any work starts: one report listing every problem, not the first.

:func:`validate_cohort` reads every image and mask of the manifest once and returns a table with one row
per problem (patient, phase, file, problem, fix); :func:`raise_if_problems` turns a non-empty report into a
single :class:`~eprstats.errors.InputError`.

Checks
------
* manifest: every patient has an id, ids are unique, the cohort is given, the outcome is binary (0/1) and
  has both classes; some patients are in the training cohort (study key ``training_cohort``), with both classes;
* files: each image and mask named in the manifest exists and SimpleITK reads it; required ones are given;
* images: 3-D, and no NaN or infinite voxels (floating-point exports);
* masks: binary (or the chosen label/segment exists), not empty, more than one voxel;
* edge (a warning, not a problem): on the ring phases, a tumour closer than ``ring_mm`` to the image edge
  (its ring will be cut there);
* geometry: each mask has its image's size, spacing, origin and direction within ``geometry_tolerance``
  (the difference is printed). A mask cropped to a sub-grid of its image (3D Slicer does this) is accepted.
"""
from __future__ import annotations

import math
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..errors import EprstatsError, InputError
from ..validation import cohort_labels, event_indicator
from .images import GRID_FIX, grid_mismatch, mask_onto_grid, read_image, read_mask
from .settings import resolve
from .study import PHASE_COLUMNS, Study

REPORT_COLUMNS = ["patient", "phase", "file", "problem", "fix"]

#: Mask kinds (manifest column suffixes) checked against their phase image.
MASK_KINDS = [k for k in PHASE_COLUMNS if k != "image"]


class RingCutWarning(UserWarning):
    """The peritumoral ring reaches the image edge, so part of it is missing."""


class SharedFileWarning(UserWarning):
    """One file named where two are expected (two patients, two phases, an image as a mask, a second reader's
    mask that is the first reader's): the features would silently repeat each other."""


def ring_cut_by_edge(tumour_mask, ring_mm: float = 3.0) -> list[str]:
    """The image sides (``x-``, ``x+``, ``y-``...) where a ring of ``ring_mm`` around the tumour would extend
    beyond the grid (a voxel is reached when it lies within ``floor(ring_mm / spacing)`` voxels)."""
    arr = _sitk().GetArrayViewFromImage(tumour_mask)
    where = np.argwhere(arr != 0)
    if where.size == 0:
        return []
    lo, hi = where.min(axis=0)[::-1], where.max(axis=0)[::-1]  # (x, y, z)
    size = tumour_mask.GetSize()
    sides = []
    for axis, (name, sp) in enumerate(zip("xyz", tumour_mask.GetSpacing())):
        reach = math.floor(ring_mm / sp + 1e-9)  # voxels the ball reaches along this axis
        if lo[axis] - reach < 0:
            sides.append(f"{name}-")
        if hi[axis] + reach > size[axis] - 1:
            sides.append(f"{name}+")
    return sides


def validate_cohort(study: Study, *, tolerance: float | None = None, workers: int | None = None,
                    progress=None) -> pd.DataFrame:
    """Check the whole cohort; return one row per problem (empty table when all is well).

    Parameters
    ----------
    study : a loaded :class:`~eprstats.cohort.study.Study`.
    tolerance : largest allowed difference of spacing/origin (mm) and direction between an image and its
        masks (default: the study's ``geometry_tolerance``, 1e-3).
    workers : patients checked at once (processes; default the study's ``workers``). The report is the
        same, in the same order, for any number of workers.
    progress : optional callable ``progress(done, total)`` called after each patient (one worker only).

    Example
    -------
    >>> report = validate_cohort(load_study("study.yaml"))   # doctest: +SKIP
    >>> raise_if_problems(report)                            # doctest: +SKIP
    """
    tol = float(study.settings.geometry_tolerance if tolerance is None else tolerance)
    workers = int(study.settings.workers if workers is None else workers)
    problems: list[dict] = []
    add = lambda patient, phase, file, problem, fix: problems.append(  # noqa: E731
        {"patient": patient, "phase": phase, "file": file, "problem": problem, "fix": fix})
    manifest_file = str(study.root / study.settings.manifest)
    _check_manifest(study, add, manifest_file)
    width = _bin_width(study)
    # Row by row, so that a duplicated id's second row is checked too.
    rows = [row for _, row in study.manifest.iterrows() if _given(row[study.id_column])]
    if workers > 1 and len(rows) > 1:
        from joblib import Parallel, delayed
        per_row = Parallel(n_jobs=min(workers, len(rows)))(delayed(_check_row)(study, row, tol, width)
                                                            for row in rows)
    else:
        per_row = []
        for done, row in enumerate(rows, start=1):
            per_row.append(_check_row(study, row, tol, width))
            if progress:
                progress(done, len(rows))
    # a warning, not a problem: test and teaching data reuse one sample image on purpose; a study should not
    for note in _check_shared_files(study):
        warnings.warn(note, SharedFileWarning, stacklevel=2)
    for found, notes in per_row:
        problems.extend(found)
        for note in notes:  # warnings from the parent process, so that workers' notes are not lost
            warnings.warn(note, RingCutWarning, stacklevel=2)
    return pd.DataFrame(problems, columns=REPORT_COLUMNS)


def _check_row(study: Study, row: pd.Series, tol: float, width: float | None = None) -> tuple[list[dict], list[str]]:
    found: list[dict] = []
    notes: list[str] = []
    add = lambda patient, phase, file, problem, fix: found.append(  # noqa: E731
        {"patient": patient, "phase": phase, "file": file, "problem": problem, "fix": fix})
    for phase in study.phases:
        _check_phase(study, row, phase, tol, add, notes, width)
    return found, notes


#: more grey levels than this in a tumour after discretisation ((max - min) / bin width) is refused: pyradiomics'
#: texture matrices are Ng x Ng per angle (10,000 levels: 10^8 cells each), and numpy fails on its histogram long
#: before the features, with "Maximum allowed size exceeded", naming neither the image nor the cause
MAX_GREY_LEVELS = 10_000


def _bin_width(study: Study) -> float | None:
    """The pyradiomics bin width of the study's settings (None with a fixed bin count, or when the settings file
    cannot be read: the handcrafted stage names that problem itself). The file is read as YAML here, not through
    the handcrafted stage's loader (a later stage: the layers never import upwards)."""
    value = study.settings.radiomics_settings
    path = (Path(__file__).resolve().parents[1] / "handcrafted" / "data" / "paper_settings.yaml"
            if not value or value == "paper" else resolve(study.root, value))
    try:
        setting = (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("setting") or {}
        width = None if "binCount" in setting else float(setting.get("binWidth", 25))  # pyradiomics' default
    except (OSError, ValueError, TypeError, AttributeError, yaml.YAMLError):
        return None
    return width if width and width > 0 else None


def _check_grey_levels(image, mask, width, tol, patient, phase, file, add) -> None:
    """The tumour's intensity range against the bin width, before hours of extraction."""
    sitk = _sitk()
    # a copy, not a view: the mask on the image's grid is a temporary whose memory a view would outlive
    inside = sitk.GetArrayFromImage(mask_onto_grid(mask, image, tol)) > 0  # a cropped segmentation too
    values = sitk.GetArrayViewFromImage(image)[inside]
    values = values[np.isfinite(values)]
    if values.size < 2:
        return
    low, high = float(values.min()), float(values.max())
    levels = (high - low) / width
    if levels > MAX_GREY_LEVELS:
        add(patient, phase, file, f"the tumour's intensities range from {low:.6g} to {high:.6g}: with the bin width "
            f"{width:g} that is {levels:.3g} grey levels (pyradiomics' texture matrices need at most "
            f"{MAX_GREY_LEVELS:,}; typical: 30-130)", "check the image's intensity scaling (a float export with "
            "extreme values, a wrong rescale slope?), or set a larger binWidth (or binCount) in the pyradiomics "
            "settings (radiomics_settings)")


def _check_manifest(study: Study, add, file: str) -> None:
    m = study.manifest
    ids = m[study.id_column]
    for row in np.flatnonzero(ids.isna().to_numpy()):
        add(None, None, file, f"row {row + 2} has no patient id (column {study.id_column!r})",
            "give every row an id")
    dup = ids[ids.notna() & ids.duplicated(keep=False)]
    for value in dict.fromkeys(dup):
        rows = [int(r) + 2 for r in np.flatnonzero((ids == value).to_numpy())]
        add(value, None, file, f"patient id {value!r} appears {len(rows)} times (rows {rows})",
            "give each patient one row with a unique id")
    cohort = m[study.cohort_column]
    for row in np.flatnonzero(cohort.isna().to_numpy()):
        add(_id(ids, row), None, file, f"no cohort given (column {study.cohort_column!r})",
            "write the patient's cohort (e.g. training / external)")
    outcome = m[study.outcome_column]
    values = outcome.dropna().unique().tolist()
    event = study.settings.outcome_event
    try:  # the package's one event rule: 0/1, or the event named by outcome_event
        coded = event_indicator(outcome, event, outcome=study.outcome_column)
        non_binary = []
    except InputError as exc:
        coded, non_binary = None, values
        problem = (f"the outcome column {study.outcome_column!r} is not binary 0/1 (values "
                   f"{sorted(map(str, values))[:10]}) and outcome_event does not name the event"
                   if event is None else exc.problem)
        add(None, None, file, problem, exc.fix)
    if coded is not None and coded.dropna().nunique() < 2:
        add(None, None, file, f"the outcome column {study.outcome_column!r} has only one class "
            f"({values[0] if values else 'none'})", "a prediction study needs both events and non-events")
    for row in np.flatnonzero(outcome.isna().to_numpy()):
        add(_id(ids, row), None, file, f"no outcome given (column {study.outcome_column!r})",
            "write 1 (event) or 0 (no event), or remove the patient")
    _check_training_cohort(study, add, file, bool(non_binary) or len(values) < 2)
    _check_cohort_spellings(study, add, file)
    _check_clinical_numbers(study, add, file)


#: the manifest's mask kinds, in words
MASK_KINDS = {"mask": "tumour mask", "mask_reader2": "second reader's mask", "mask_repeat": "repeated mask",
              "liver_mask": "liver mask"}


def _file_key(ref):
    """What a manifest cell points at: the file (links resolved) and the series, segment or label in it."""
    return (os.path.realpath(ref.path), ref.series_uid, ref.segment, ref.label)


def _check_shared_files(study: Study) -> list[str]:
    """A file named twice where it cannot be (a copied manifest row, a column pasted into another) gives
    silently wrong features, not an error: two patients with one image or mask, two phases of a patient with
    one image, a mask that is an image, or a second reader's / repeated mask that is the first reader's (an
    ICC of 1). A mask shared by the phases of one patient is allowed (one delineation used on every phase).
    Returns one message per finding, naming the patient, phase, file and the fix."""
    notes: list[str] = []

    def add(patient, phase, file, problem, fix):
        notes.append(f"patient {patient!r}, phase {phase}: {problem} ({file}). Fix: {fix}.")

    images: dict = {}
    masks: dict = {}
    image_paths: dict = {}
    rows = [(patient, study.row(patient)) for patient in study.patients]
    for patient, row in rows:
        for phase in study.phases:
            ref = study.image(row, phase)
            if ref is not None:
                key = _file_key(ref)
                first = images.setdefault(key, (patient, phase))
                if first != (patient, phase):
                    add(patient, phase, str(ref.path), f"the {phase} image is the file given as patient "
                        f"{first[0]!r}'s {first[1]} image", "give every patient and phase its own image (a "
                        "copied manifest row?)")
                image_paths.setdefault(key[0], (patient, phase))
    for patient, row in rows:
        for phase in study.phases:
            seen_here: dict = {}
            for kind, words in MASK_KINDS.items():
                ref = study.mask(row, phase, kind)
                if ref is None:
                    continue
                key = _file_key(ref)
                owner = masks.setdefault(key, (patient, phase, kind))
                if owner[0] != patient:
                    add(patient, phase, str(ref.path), f"the {words} is the file given as patient {owner[0]!r}'s "
                        f"{MASK_KINDS[owner[2]]}", "give every patient its own masks (a copied manifest row?)")
                elif seen_here.get(key, kind) != kind:
                    add(patient, phase, str(ref.path), f"the {words} is the {MASK_KINDS[seen_here[key]]} itself "
                        "(an ICC of 1, or the tumour as the liver)", f"give the {words} its own file (column "
                        f"{phase}_{kind})")
                seen_here.setdefault(key, kind)
                if key[0] in image_paths:
                    who = image_paths[key[0]]
                    add(patient, phase, str(ref.path), f"the {words} is an image file (patient {who[0]!r}'s "
                        f"{who[1]} image)", f"give the mask file in column {phase}_{kind}")
    return notes


def _check_cohort_spellings(study: Study, add, file: str) -> None:
    """Two spellings of one cohort label (``training`` / ``training `` / ``Training``) would split a cohort:
    the package's one label check (eprstats.validation.cohort_labels), reported with the other problems."""
    m = study.manifest
    given = m[m[study.cohort_column].notna()]  # empty cells are listed row by row above
    try:
        cohort_labels(given, study.cohort_column, id_col=study.id_column, file=file)
    except InputError as exc:
        add(None, None, file, exc.problem, exc.fix)


def _check_clinical_numbers(study: Study, add, file: str) -> None:
    """A clinical column of numbers with a few text cells (``>400`` in AFP, ``12,5``) would fail later as a
    misleading separation or type error in a model: each such cell is named now, with its patient."""
    m = study.manifest
    ids = m[study.id_column]
    for col in study.clinical_columns:
        text = m[col].dropna().astype(str).str.strip()
        text = text[text != ""]
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.notna().sum() == 0 or numbers.isna().sum() == 0:
            continue  # all text (a categorical column) or all numbers
        for row, value in text[numbers.isna()].items():
            comma = bool(re.fullmatch(r"[-+]?\d+,\d+", value))
            add(_id(ids, m.index.get_loc(row)), None, file,
                f"column {col!r} holds numbers, but this patient's value {value!r} is not a number",
                f"write it with a decimal point ({value.replace(',', '.')})" if comma else
                "write a number (e.g. the measured value, or leave the cell empty if unknown)")


def _check_training_cohort(study: Study, add, file: str, outcome_broken: bool) -> None:
    """The models are fitted on the training cohort: found out now, not after hours of feature extraction."""
    train = study.settings.training_cohort
    cohort = study.manifest[study.cohort_column]
    given = cohort.dropna().astype(str).str.strip()
    if given.empty:
        return  # every cohort cell is empty: already listed row by row
    in_train = cohort.astype(str).str.strip() == train
    if not in_train.any():
        add(None, None, file, f"no patient belongs to the training cohort {train!r} (the cohorts in column "
            f"{study.cohort_column!r}: {sorted(given.unique())[:10]})",
            "set training_cohort in the study file to the manifest's name for the training set")
        return
    classes = study.manifest.loc[in_train, study.outcome_column].dropna().unique().tolist()
    if not outcome_broken and len(classes) < 2:
        add(None, None, file, f"the training cohort {train!r} has only one outcome class "
            f"({classes[0] if classes else 'none'}), so no model can be fitted on it",
            "check the outcome and cohort columns; the training set needs events and non-events")


def _id(ids: pd.Series, row: int):
    v = ids.iloc[row]
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _check_phase(study: Study, row: pd.Series, phase: str, tol: float, add, notes: list,
                 width: float | None = None) -> None:
    patient = str(row[study.id_column])
    image_ref = study.image(row, phase)
    image = None
    if image_ref is None:
        add(patient, phase, None, f"no image given (column {phase}_image)", "give the image's path")
    else:
        try:
            image = read_image(image_ref.path, **image_ref.read_kwargs())
        except EprstatsError as exc:
            add(patient, phase, str(image_ref.path), exc.problem, exc.fix)
        else:
            if image.GetDimension() != 3:
                add(patient, phase, str(image_ref.path), f"the image is {image.GetDimension()}-D, not 3-D",
                    "give a 3-D volume (a whole series)")
                image = None
            else:
                _check_finite(image, patient, phase, str(image_ref.path), add)
    for kind in MASK_KINDS:
        if (kind == "liver_mask" and f"{phase}_liver_mask" not in study.manifest.columns
                and phase not in study.settings.ring_phases):
            continue  # a shared liver mask belongs to the phases the ring is derived on
        ref = study.mask(row, phase, kind)
        if ref is None:
            if PHASE_COLUMNS[kind]:
                add(patient, phase, None, f"no tumour mask given (column {phase}_{kind})",
                    "give the mask's path")
            continue
        file = str(ref.path)
        try:
            mask = read_mask(ref.path, **ref.read_kwargs())
        except EprstatsError as exc:
            add(patient, phase, file, exc.problem, exc.fix)
            continue
        n = int(np.count_nonzero(_sitk().GetArrayViewFromImage(mask)))
        what = "liver mask" if kind == "liver_mask" else "mask"
        if n == 0:
            add(patient, phase, file, f"the {what} is empty (no voxel set)",
                "check that the right segment/label was saved")
        elif n == 1 and kind != "liver_mask":
            add(patient, phase, file, f"the {what} is a single voxel",
                "delineate the whole tumour (a single voxel gives no texture features)")
        if image is not None:
            mismatch = grid_mismatch(image, mask, tol)
            if mismatch:
                add(patient, phase, file, f"the {what} does not match its image's grid: {mismatch}", GRID_FIX)
            else:
                if kind == "mask" and n > 1 and width:
                    _check_grey_levels(image, mask, width, tol, patient, phase, str(image_ref.path), add)
                if kind == "mask" and n > 1 and phase in study.settings.ring_phases:
                    _note_edge(study, image, mask, tol, patient, phase, file, notes)


def _check_finite(image, patient, phase, file, add) -> None:
    """NaN or infinite voxels (floating-point exports) would spread through resampling into NaN features."""
    arr = _sitk().GetArrayViewFromImage(image)
    if not np.issubdtype(arr.dtype, np.floating):
        return
    bad = int(arr.size - np.count_nonzero(np.isfinite(arr)))
    if bad:
        n_nan = int(np.count_nonzero(np.isnan(arr)))
        add(patient, phase, file, f"the image has {bad} non-finite voxel(s) ({n_nan} NaN, {bad - n_nan} infinite)",
            "replace them by a real intensity (e.g. the background value) when exporting the image")


def _note_edge(study, image, mask, tol, patient, phase, file, notes) -> None:
    """Not an error, but worth knowing before hours of work: the ring will be cut by the image edge."""
    ring_mm = study.settings.ring_mm
    sides = ring_cut_by_edge(mask_onto_grid(mask, image, tol), ring_mm)
    if sides:
        notes.append(f"patient {patient!r}, phase {phase}: the tumour lies within {ring_mm:g} mm of the image "
                     f"edge ({', '.join(sides)}), so its peritumoral ring will be cut there [file {file!r}]")


def _sitk():
    import SimpleITK as sitk
    return sitk


def format_report(report: pd.DataFrame) -> str:
    """The report as numbered lines, one problem each."""
    lines = []
    for k, r in enumerate(report.itertuples(index=False), start=1):
        where = ", ".join(f"{lab} {val!r}" for lab, val in (("patient", r.patient), ("phase", r.phase),
                                                             ("file", r.file)) if _given(val))
        lines.append(f"{k}. {r.problem}" + (f" [{where}]" if where else "") + (f" Fix: {r.fix}." if r.fix else ""))
    return "\n".join(lines)


def _given(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def raise_if_problems(report: pd.DataFrame) -> None:
    """Raise one :class:`InputError` listing every problem of ``report`` (nothing when it is empty)."""
    if report is None or report.empty:
        return
    n = len(report)
    raise InputError(f"the cohort has {n} problem{'s' if n > 1 else ''}:\n" + format_report(report),
                     "correct each listed file or manifest row, then run 'eprstats validate' again")
