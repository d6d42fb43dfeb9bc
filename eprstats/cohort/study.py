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

Every setting a study file may hold is a field of :class:`~eprstats.cohort.settings.StudySettings` (its
default, type and help text), the one place the schema lives; ``Study.settings`` is that frozen dataclass.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError
from ..validation import arguments
from ..fileio import read_csv
from .settings import (STUDY_KEYS, StudySettings, check_files, check_model_columns, parse_settings,
                       study_keys_table)

__all__ = ["Study", "FileRef", "load_study", "split_spec", "segment_or_label", "PHASE_COLUMNS", "STUDY_KEYS",
           "StudySettings", "study_keys_table"]


#: Manifest column suffixes per phase: suffix -> required?
PHASE_COLUMNS = {"image": True, "mask": True, "mask_reader2": False, "mask_repeat": False,
                 "liver_mask": False}


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
    settings: StudySettings = field(default_factory=lambda: StudySettings(manifest="manifest.csv"))

    # -- columns ----------------------------------------------------------------------------------------
    @property
    def id_column(self) -> str:
        return self.settings.id_column

    @property
    def cohort_column(self) -> str:
        return self.settings.cohort_column

    @property
    def outcome_column(self) -> str:
        return self.settings.outcome_column

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
        if self.settings.clinical:
            return list(self.settings.clinical)
        skip = {self.id_column, self.cohort_column, self.outcome_column, *self.file_columns()}
        return [c for c in self.manifest.columns if c not in skip]

    @property
    def output_dir(self) -> Path:
        return _resolve(self.root, self.settings.output)

    # -- files ------------------------------------------------------------------------------------------
    def row(self, patient: str) -> pd.Series:
        rows = self.manifest[self.manifest[self.id_column].astype(str) == str(patient)]
        if rows.empty:
            raise InputError(f"patient {patient!r} is not in the manifest", "check the patient id",
                             patient=str(patient), file=self.settings.manifest)
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
            spec = self.settings.liver_segment if "liver" in column else self.settings.mask_segment
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


@arguments(path="path")
def load_study(path) -> Study:
    """Read a study file and its manifest; structural problems raise :class:`InputError` at once.

    Parameters
    ----------
    path : str or Path
        The study file (YAML; docs/study.md lists its keys); the manifest's path in it is relative to it.

    Returns
    -------
    Study
        The settings, the patients and, per patient and phase, the image and mask to read.

    Notes
    -----
    Checked here: the YAML parses to a mapping, every key is known (:data:`STUDY_KEYS`), settings have the
    right types, the manifest exists and has the id, cohort, outcome and each phase's image and mask
    columns. Content problems (missing files, bad geometry, duplicated ids...) are left to
    :func:`eprstats.cohort.validate.validate_cohort`, which reports all of them at once.

    Examples
    --------
    >>> study = load_study("study.yaml")                              # doctest: +SKIP
    >>> study.patients[:3], study.phases                              # doctest: +SKIP
    """
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
    settings = parse_settings(raw, file=str(path))
    root = path.resolve().parent
    check_files(settings, root, file=str(path))
    manifest_path = _resolve(root, settings.manifest)
    manifest = read_csv(manifest_path, "manifest")
    _check_columns(manifest, settings, str(manifest_path))
    if manifest.empty:
        raise InputError("the manifest has no patient rows (only a header)",
                         "add one row per patient, or point 'manifest' at the right file", file=str(manifest_path))
    manifest[settings.id_column] = _ids_as_text(manifest_path, settings.id_column, manifest)
    return Study(path=path.resolve(), root=root, manifest=manifest, phases=list(settings.phases),
                 settings=settings)


def _ids_as_text(path: Path, column: str, manifest: pd.DataFrame) -> pd.Series:
    """The id column re-read as text, so that '007' stays '007' (read_csv already checked the file)."""
    text = path.read_bytes().decode("utf-8-sig")
    first = text.splitlines()[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip() for c in raw.columns]
    ids = raw[column].str.strip()
    return ids.where(ids != "", None).set_axis(manifest.index)


def _check_columns(manifest: pd.DataFrame, settings: StudySettings, file: str) -> None:
    need = [settings.id_column, settings.cohort_column, settings.outcome_column]
    for phase in settings.phases:
        need += [f"{phase}_{s}" for s, required in PHASE_COLUMNS.items() if required]
    need += list(settings.clinical or [])
    missing = [c for c in need if c not in manifest.columns]
    if missing:
        raise InputError(f"the manifest lacks the column(s) {missing} (it has {list(manifest.columns)})",
                         "add them, or set id_column / cohort_column / outcome_column / phases in the study "
                         "file to the manifest's names", file=file)
    check_model_columns(settings, manifest.columns, file)
