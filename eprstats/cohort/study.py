"""The study file (YAML) and the manifest CSV it points at.

A study file holds the settings of one study; the manifest holds one row per patient::

    # study.yaml
    manifest: manifest.csv        # relative to this file
    phases: [AP, PVP, DP]
    ring_mm: 3.0
    spacing: [1.0, 1.0, 1.0]
    output: results
    seed: 2024

    # manifest.csv
    id,cohort,outcome,AFP,AP_image,AP_mask,PVP_image,PVP_mask,PVP_mask_reader2,PVP_mask_repeat,liver_mask,...
    P001,training,1,12.5,images/P001/AP,masks/P001_AP.nii.gz,...

Manifest columns, for each phase ``X`` in ``phases``:

* ``X_image`` (required): a DICOM series folder, NIfTI, NRRD or any file SimpleITK reads;
* ``X_mask`` (required): the tumour mask (binary label map, or a 3D Slicer ``.seg.nrrd``);
* ``X_mask_reader2``, ``X_mask_repeat`` (optional): the second reader's and the repeated delineation, for ICC;
* ``X_liver_mask`` or one ``liver_mask`` column (optional): the ring is clipped to it.

A mask cell may name a segment or label after ``#``: ``masks/P001.seg.nrrd#Tumour`` or ``labels.nii.gz#2``
(digits mean a label value); a DICOM cell may name the series after ``#``: ``dicom/P001#1.2.840...``.
Paths are relative to the study file's folder; an empty cell means "not given".

Every setting a study file may hold is in :data:`STUDY_KEYS` (name -> default and help text), the one
place the schema lives; other stages add theirs with :func:`register_study_key`.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..fileio import read_csv


@dataclass(frozen=True)
class StudyKey:
    """One key of the study file: its default and what it means."""

    name: str
    default: Any
    help: str
    required: bool = False


#: Valid study-file keys, in the order they are documented. Add keys with :func:`register_study_key`.
STUDY_KEYS: dict[str, StudyKey] = {}


def register_study_key(name: str, default: Any, help: str, required: bool = False) -> StudyKey:
    """Add (or redefine) a study-file key; returns it. For other stages' settings (models, selection...)."""
    key = StudyKey(name, default, help, required)
    STUDY_KEYS[name] = key
    return key


for _k in (
    StudyKey("manifest", None, "the manifest CSV, one row a patient (path relative to the study file)", True),
    StudyKey("name", None, "a short name of the study, used in reports"),
    StudyKey("phases", ["AP", "PVP", "DP"], "the MRI phases; the manifest has <PHASE>_image and <PHASE>_mask "
              "columns for each"),
    StudyKey("id_column", "id", "the manifest's patient id column"),
    StudyKey("cohort_column", "cohort", "the manifest's cohort column (training / external ...)"),
    StudyKey("outcome_column", "outcome", "the manifest's binary outcome column (0/1)"),
    StudyKey("clinical", None, "clinical columns to use (default: every column that is not an id, cohort, "
              "outcome or file column)"),
    StudyKey("training_cohort", "training", "the cohort value that marks the training set"),
    StudyKey("ring_mm", 3.0, "width of the peritumoral ring in millimetres (the paper: 3 mm)"),
    StudyKey("ring_phases", ["PVP"], "phases on which the ring and tumour-plus-ring ROIs are derived "
              "(the paper: PVP only)"),
    StudyKey("spacing", [1.0, 1.0, 1.0], "voxel size in mm the images are resampled to (the paper: 1x1x1 mm; "
              "images linear, masks nearest neighbour)"),
    StudyKey("mask_segment", None, "segment name (3D Slicer .seg.nrrd) or label value used for every tumour "
              "mask, unless a manifest cell names one after '#'"),
    StudyKey("liver_segment", None, "segment name or label value used for the liver masks"),
    StudyKey("geometry_tolerance", 1e-3, "largest difference in spacing and origin (mm) and direction cosines "
              "allowed between an image and its masks"),
    StudyKey("output", "results", "output folder (relative to the study file)"),
    StudyKey("seed", 2024, "random seed for every step that draws random numbers"),
    StudyKey("workers", 1, "parallel workers (patients processed at once)"),
    StudyKey("models", None, "model definitions (see the study runner)"),
):
    STUDY_KEYS[_k.name] = _k

#: Manifest column suffixes per phase: suffix -> required?
PHASE_COLUMNS = {"image": True, "mask": True, "mask_reader2": False, "mask_repeat": False,
                 "liver_mask": False}


def study_keys_table() -> pd.DataFrame:
    """The study-file keys as a table (key, default, required, help), e.g. for the documentation."""
    return pd.DataFrame([{"key": k.name, "default": k.default, "required": k.required, "help": k.help}
                         for k in STUDY_KEYS.values()])


def split_spec(cell: str) -> tuple[str, str | None]:
    """``'masks/p1.seg.nrrd#Tumour'`` -> ``('masks/p1.seg.nrrd', 'Tumour')``; no ``#`` -> ``(cell, None)``."""
    if "#" in cell:
        path, spec = cell.rsplit("#", 1)
        return path, (spec.strip() or None)
    return cell, None


def segment_or_label(spec) -> dict:
    """A segment spec as read_image keywords: digits are a label value, anything else a segment name."""
    if spec is None:
        return {}
    text = str(spec).strip()
    if text.lstrip("-").isdigit():
        return {"label": int(text)}
    return {"segment": text}


@dataclass
class FileRef:
    """A manifest cell resolved: the path, plus the segment/label/series it names (if any)."""

    path: Path
    column: str
    segment: str | None = None
    label: int | None = None
    series_uid: str | None = None
    text: str = ""

    def read_kwargs(self) -> dict:
        kw = {}
        if self.segment is not None:
            kw["segment"] = self.segment
        if self.label is not None:
            kw["label"] = self.label
        if self.series_uid is not None:
            kw["series_uid"] = self.series_uid
        return kw


@dataclass
class Study:
    """A loaded study: the manifest, the phases, the folder paths are relative to, and the settings."""

    path: Path
    root: Path
    manifest: pd.DataFrame
    phases: list[str]
    settings: dict = field(default_factory=dict)

    # -- columns ----------------------------------------------------------------------------------------
    @property
    def id_column(self) -> str:
        return self.settings["id_column"]

    @property
    def cohort_column(self) -> str:
        return self.settings["cohort_column"]

    @property
    def outcome_column(self) -> str:
        return self.settings["outcome_column"]

    @property
    def patients(self) -> list[str]:
        return [str(v) for v in self.manifest[self.id_column]]

    def file_columns(self) -> list[str]:
        cols = []
        for phase in self.phases:
            cols += [f"{phase}_{s}" for s in PHASE_COLUMNS if f"{phase}_{s}" in self.manifest.columns]
        if "liver_mask" in self.manifest.columns:
            cols.append("liver_mask")
        return cols

    @property
    def clinical_columns(self) -> list[str]:
        if self.settings.get("clinical"):
            return list(self.settings["clinical"])
        skip = {self.id_column, self.cohort_column, self.outcome_column, *self.file_columns()}
        return [c for c in self.manifest.columns if c not in skip]

    @property
    def output_dir(self) -> Path:
        return _resolve(self.root, str(self.settings["output"]))

    # -- files ------------------------------------------------------------------------------------------
    def row(self, patient: str) -> pd.Series:
        rows = self.manifest[self.manifest[self.id_column].astype(str) == str(patient)]
        if rows.empty:
            raise InputError(f"patient {patient!r} is not in the manifest", "check the patient id",
                             patient=str(patient), file=str(self.settings.get("manifest")))
        return rows.iloc[0]

    def file(self, patient, column: str) -> FileRef | None:
        """The file named in ``column`` for ``patient`` (None when the cell is empty or the column absent).

        ``patient`` is an id or a manifest row (a Series); ``column`` a manifest column (``PVP_mask``);
        for ``<PHASE>_liver_mask`` the shared ``liver_mask`` column is used when the phase has no own column.
        """
        row = patient if isinstance(patient, pd.Series) else self.row(patient)
        if column not in row.index and column.endswith("_liver_mask") and "liver_mask" in row.index:
            column = "liver_mask"
        if column not in row.index:
            return None
        cell = row[column]
        if cell is None or (isinstance(cell, float) and math.isnan(cell)) or not str(cell).strip():
            return None
        text = str(cell).strip()
        # A '#' names a segment/label/series, unless the whole text is an existing path.
        path, spec = (text, None) if _resolve(self.root, text).exists() else split_spec(text)
        ref = FileRef(_resolve(self.root, path), column, text=text)
        is_mask = "mask" in column
        if spec is None and is_mask:
            spec = self.settings.get("liver_segment" if "liver" in column else "mask_segment")
        if spec is not None:
            if is_mask:
                kw = segment_or_label(spec)
                ref.segment, ref.label = kw.get("segment"), kw.get("label")
            else:
                ref.series_uid = str(spec)
        return ref

    def image(self, patient, phase: str) -> FileRef | None:
        return self.file(patient, f"{phase}_image")

    def mask(self, patient, phase: str, kind: str = "mask") -> FileRef | None:
        """``kind``: ``mask`` (tumour), ``mask_reader2``, ``mask_repeat`` or ``liver_mask``."""
        return self.file(patient, f"{phase}_{kind}")


def _resolve(root: Path, path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else root / p


def _check_setting_types(settings: dict, file: str) -> None:
    def bad(key, what):
        raise InputError(f"study setting {key!r} must be {what} (got {settings[key]!r})",
                         f"correct {key!r} in the study file", file=file)

    phases = settings["phases"]
    if (not isinstance(phases, list) or not phases or not all(isinstance(p, str) and p.strip() for p in phases)
            or len(set(phases)) != len(phases)):
        bad("phases", "a list of distinct phase names, e.g. [AP, PVP, DP]")
    try:
        ring = float(settings["ring_mm"])
    except (TypeError, ValueError):
        bad("ring_mm", "a number of millimetres")
    if not (ring > 0 and math.isfinite(ring)):
        bad("ring_mm", "a positive number of millimetres")
    settings["ring_mm"] = ring
    spacing = settings["spacing"]
    if isinstance(spacing, (int, float)):
        spacing = [spacing] * 3
    try:
        spacing = [float(s) for s in spacing]
    except (TypeError, ValueError):
        bad("spacing", "three voxel sizes in mm, e.g. [1, 1, 1]")
    if len(spacing) != 3 or not all(s > 0 and math.isfinite(s) for s in spacing):
        bad("spacing", "three positive voxel sizes in mm, e.g. [1, 1, 1]")
    settings["spacing"] = spacing
    ring_phases = settings["ring_phases"]
    if isinstance(ring_phases, str):
        ring_phases = settings["ring_phases"] = [ring_phases]
    unknown = [p for p in (ring_phases or []) if p not in phases]
    if unknown:
        bad("ring_phases", f"a list of phases from {phases} (unknown: {unknown})")
    try:
        settings["seed"] = int(settings["seed"])
    except (TypeError, ValueError):
        bad("seed", "an integer")
    try:
        settings["workers"] = int(settings["workers"])
        if settings["workers"] < 1:
            raise ValueError
    except (TypeError, ValueError):
        bad("workers", "a positive integer")
    try:
        settings["geometry_tolerance"] = float(settings["geometry_tolerance"])
    except (TypeError, ValueError):
        bad("geometry_tolerance", "a number")


def load_study(path) -> Study:
    """Read a study file and its manifest; structural problems raise :class:`InputError` at once.

    Checked here: the YAML parses to a mapping, every key is known (:data:`STUDY_KEYS`), settings have the
    right types, the manifest exists and has the id, cohort, outcome and each phase's image and mask
    columns. Content problems (missing files, bad geometry, duplicated ids...) are left to
    :func:`eprstats.cohort.validate.validate_cohort`, which reports all of them at once.
    """
    import yaml

    path = Path(path)
    if not path.exists():
        raise InputError("the study file does not exist", "check the path", file=str(path))
    if path.is_dir():
        raise InputError("the study path is a folder", "give the study YAML file itself", file=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the study file is not UTF-8 text", "save it as UTF-8 YAML", file=str(path)) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise InputError(f"the study file is not valid YAML{at} ({getattr(exc, 'problem', exc)})",
                         "fix the YAML syntax (indent with spaces, 'key: value')", file=str(path)) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError("the study file must be a mapping of 'key: value' lines",
                         f"valid keys: {', '.join(STUDY_KEYS)}", file=str(path))
    unknown = [str(k) for k in raw if k not in STUDY_KEYS]
    if unknown:
        raise InputError(f"unknown study key(s) {unknown}",
                         f"use only the valid keys: {', '.join(STUDY_KEYS)}", file=str(path))
    missing = [k.name for k in STUDY_KEYS.values() if k.required and raw.get(k.name) in (None, "")]
    if missing:
        raise InputError(f"the study file lacks the required key(s) {missing}",
                         "add e.g. 'manifest: manifest.csv'", file=str(path))
    settings = {name: copy.deepcopy(key.default) for name, key in STUDY_KEYS.items()}
    settings.update(raw)
    _check_setting_types(settings, str(path))
    root = path.resolve().parent
    manifest_path = _resolve(root, str(settings["manifest"]))
    manifest = read_csv(manifest_path, "manifest")
    _check_columns(manifest, settings, str(manifest_path))
    if manifest.empty:
        raise InputError("the manifest has no patient rows (only a header)",
                         "add one row per patient, or point 'manifest' at the right file", file=str(manifest_path))
    manifest[settings["id_column"]] = _ids_as_text(manifest_path, settings["id_column"], manifest)
    return Study(path=path.resolve(), root=root, manifest=manifest, phases=list(settings["phases"]),
                 settings=settings)


def _ids_as_text(path: Path, column: str, manifest: pd.DataFrame) -> pd.Series:
    """The id column re-read as text, so that '007' stays '007' (read_csv already checked the file)."""
    import io
    text = path.read_bytes().decode("utf-8-sig")
    first = text.splitlines()[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip() for c in raw.columns]
    ids = raw[column].str.strip()
    return ids.where(ids != "", None).set_axis(manifest.index)


def _check_columns(manifest: pd.DataFrame, settings: dict, file: str) -> None:
    need = [settings["id_column"], settings["cohort_column"], settings["outcome_column"]]
    for phase in settings["phases"]:
        need += [f"{phase}_{s}" for s, required in PHASE_COLUMNS.items() if required]
    need += list(settings.get("clinical") or [])
    missing = [c for c in need if c not in manifest.columns]
    if missing:
        raise InputError(f"the manifest lacks the column(s) {missing} (it has {list(manifest.columns)})",
                         "add them, or set id_column / cohort_column / outcome_column / phases in the study "
                         "file to the manifest's names", file=file)
