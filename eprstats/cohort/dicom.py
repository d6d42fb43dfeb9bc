"""Reading DICOM series with SimpleITK: listing the series of a folder, reading one, and checking that its
slices are evenly spaced (a missing slice would otherwise stretch the volume silently). The lowest module of
image reading: :mod:`eprstats.cohort.images` builds on it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError, MissingDependencyError


# SimpleITK's loader and its read errors live here, in the lower module: images.py reads DICOM folders through
# this module, so this one imports nothing from it (no import circle).
def _sitk():
    try:
        import SimpleITK as sitk
    except ImportError:  # pragma: no cover - SimpleITK is in the imaging extra
        raise MissingDependencyError("SimpleITK is not installed",
                                     "pip install 'eprstats[imaging]'") from None
    return sitk


def _read_problem(exc: Exception, path: Path) -> str:
    text = str(exc)
    if "Unable to determine ImageIO reader" in text or "Could not create IO object" in text:
        return "the file is not an image format SimpleITK can read"
    # ITK messages are long; keep the informative lines without the C++ source locations.
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("Exception thrown")
             and ".cxx" not in ln and ".h:" not in ln]
    detail = "; ".join(lines[-2:])[:300]
    return f"the image could not be read (truncated or corrupt?{': ' + detail if detail else ''})"


# ---------------------------------------------------------------------------------------------------------
# DICOM
# ---------------------------------------------------------------------------------------------------------
@dataclass
class DicomSeries:
    uid: str
    files: list[str]
    description: str = ""
    modality: str = ""


def list_dicom_series(folder) -> list[DicomSeries]:
    """The DICOM series in ``folder`` (not its sub-folders), with description and number of files."""
    sitk = _sitk()
    folder = str(folder)
    reader = sitk.ImageSeriesReader()
    series = []
    for uid in reader.GetGDCMSeriesIDs(folder) or ():
        files = list(reader.GetGDCMSeriesFileNames(folder, uid))
        tags = _tags(files[0], ("0008|103e", "0008|0060")) if files else {}
        series.append(DicomSeries(uid, files, tags.get("0008|103e", ""), tags.get("0008|0060", "")))
    return series


def _tags(file: str, keys) -> dict:
    sitk = _sitk()
    r = sitk.ImageFileReader()
    r.SetFileName(file)
    try:
        r.ReadImageInformation()
    except RuntimeError:
        return {}
    return {k: r.GetMetaData(k).strip() for k in keys if r.HasMetaDataKey(k)}


def read_dicom_series(folder, series_uid: str | None = None, spacing_tolerance: float = 0.01):
    """Read one DICOM series from ``folder``; refuse a folder with several series unless one is chosen.

    The slice positions (ImagePositionPatient along the slice normal) must be evenly spaced: a missing
    slice or mixed series gives an error naming the gap, rather than a silently distorted volume.
    """
    sitk = _sitk()
    folder = Path(folder)
    series = list_dicom_series(folder)
    if not series:
        n = sum(1 for p in folder.iterdir() if p.is_file())
        raise InputError(f"no DICOM series found in the folder ({n} files there)",
                         "give the folder that holds the series' .dcm files (not a parent folder), or an "
                         "image file", file=str(folder))
    if series_uid is None and len(series) > 1:
        listing = "; ".join(f"{s.uid} ({len(s.files)} files{', ' + s.description if s.description else ''})"
                            for s in series)
        raise InputError(f"the DICOM folder holds {len(series)} series: {listing}",
                         "choose one by writing its SeriesInstanceUID after '#' in the manifest "
                         "(e.g. 'dicom/P001#<UID>') or pass series_uid", file=str(folder))
    if series_uid is not None:
        chosen = [s for s in series if s.uid == series_uid]
        if not chosen:
            raise InputError(f"SeriesInstanceUID {series_uid!r} is not in the DICOM folder (it holds "
                             f"{', '.join(s.uid for s in series)})", "correct the UID", file=str(folder))
        files = chosen[0].files
    else:
        files = series[0].files
    _check_slice_positions(files, folder, spacing_tolerance)
    reader = sitk.ImageSeriesReader()
    reader.SetFileNames(files)
    try:
        image = reader.Execute()
    except RuntimeError as exc:
        raise InputError(_read_problem(exc, folder).replace("the image", "the DICOM series"),
                         "export the series again", file=str(folder)) from None
    image.SetMetaData("0020|000e", series_uid or series[0].uid)
    return image


def _numbers(text):
    """A DICOM multi-value as rounded numbers (so '0.8\\0.8' equals '0.80\\0.800')."""
    if text is None:
        return None
    try:
        return tuple(round(float(v), 4) for v in text.split("\\"))
    except ValueError:
        return text


def _check_slice_positions(files: list[str], folder: Path, tolerance: float) -> None:
    if len(files) < 3:
        return
    positions, orientation, first = [], None, None
    same = {"0020|0037": "orientation", "0028|0030": "pixel spacing", "0028|0010": "number of rows",
            "0028|0011": "number of columns"}
    for f in files:
        tags = _tags(f, ("0020|0032", *same))
        if "0020|0032" not in tags:
            return  # no positions (e.g. a multi-frame file): let SimpleITK decide
        positions.append([float(v) for v in tags["0020|0032"].split("\\")])
        orientation = orientation or tags.get("0020|0037")
        first = first or (f, tags)
        for tag, what in same.items():
            if _numbers(tags.get(tag)) != _numbers(first[1].get(tag)):
                raise InputError(f"the DICOM slices of one series differ in {what}: "
                                 f"{first[1].get(tag)!r} in {Path(first[0]).name}, {tags.get(tag)!r} in "
                                 f"{Path(f).name}", "export the series again, or separate the acquisitions",
                                 file=str(folder))
    if not orientation:
        return
    o = [float(v) for v in orientation.split("\\")]
    normal = np.cross(o[:3], o[3:])
    z = np.sort(np.asarray(positions) @ normal)
    gaps = np.diff(z)
    step = float(np.median(gaps))
    if np.any(gaps < 1e-6):
        raise InputError(f"two DICOM slices lie at the same position ({len(files)} files): the folder mixes "
                         "acquisitions", "keep one acquisition per folder, or choose the series by UID",
                         file=str(folder))
    bad = np.flatnonzero(np.abs(gaps - step) > max(tolerance, 0.01 * step))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"the DICOM slices are unevenly spaced: {gaps[i]:.3g} mm between slices {i + 1} and "
                         f"{i + 2} where the others are {step:.3g} mm apart (missing slices?)",
                         "export the complete series again", file=str(folder))


