"""Reading images and masks with SimpleITK: DICOM series, NIfTI, NRRD and 3D Slicer segmentations.

:func:`read_image` reads any of them; :func:`read_mask` reads a mask as a binary UInt8 image (0/1).
Every failure is an :class:`~eprstats.errors.InputError` that names the file and the fix.

3D Slicer segmentations (``.seg.nrrd``) come in two layouts, both handled:

* one label map (a scalar 3-D image): segment ``i`` is the voxels equal to ``Segment{i}_LabelValue``;
* several layers (a 4-D NRRD whose first axis is a ``list``, read by SimpleITK as a vector image):
  segment ``i`` is the voxels of component ``Segment{i}_Layer`` equal to ``Segment{i}_LabelValue``.
  Files from Slicer before 4.11 (the paper used 4.10.2) have no ``_Layer``/``_LabelValue`` fields: one
  binary layer per segment, in segment order.

Slicer crops a segmentation to its extent, so a ``.seg.nrrd`` is often smaller than its image; its grid
is then a sub-grid of the image's, which :func:`mask_onto_grid` pastes back onto the image grid.
"""
from __future__ import annotations

import gzip
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from .dicom import _read_problem, _sitk, read_dicom_series  # noqa: F401  (_sitk: used here and by callers)


# ---------------------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------------------
def read_image(path, *, segment: str | None = None, label: int | None = None,
               series_uid: str | None = None):
    """Read an image (or one segment of a segmentation) as a ``SimpleITK.Image``.

    Parameters
    ----------
    path : a DICOM series folder, a NIfTI (``.nii``, ``.nii.gz``), NRRD or other file SimpleITK reads, or a
        3D Slicer segmentation (``.seg.nrrd``).
    segment : for a segmentation, the segment's name (``Segment{i}_Name``) or id; the result is binary 0/1.
    label : a label value; for a segmentation the segment with ``Segment{i}_LabelValue == label``, for a
        plain label map the voxels equal to ``label``; the result is binary 0/1.
    series_uid : for a DICOM folder holding several series, the SeriesInstanceUID to read.

    A segmentation with one segment needs neither ``segment`` nor ``label``; with several, one of them is
    required (the error lists the segments).

    Example
    -------
    >>> img = read_image("dicom/P001", series_uid="1.2.840.113619.2.55.3")  # doctest: +SKIP
    >>> tumour = read_image("P001.seg.nrrd", segment="Tumour")               # doctest: +SKIP

    A sheared (non-orthogonal) grid and a colour, vector or complex image are refused
    (:func:`check_direction`, :func:`check_scalar`).
    """
    image = _read(path, segment, label, series_uid)
    check_scalar(image, file=str(path))
    return image


def _read(path, segment, label, series_uid):
    """The image, or the chosen segment, without the scalar check (a mask gets a mask's message); the
    direction check is done here so that image and mask reading both have it."""
    sitk = _sitk()
    path = Path(path)
    if not path.exists():
        raise InputError("the file does not exist", "check the path in the manifest "
                         "(paths are relative to the study file)", file=str(path))
    if path.is_dir():
        image = read_dicom_series(path, series_uid=series_uid)
    else:
        if series_uid is not None and not _looks_dicom(path):
            raise InputError("a SeriesInstanceUID was given for a file that is not a DICOM folder",
                             "remove the '#UID' part, or give the DICOM folder", file=str(path))
        image = _read_file(path)
    check_direction(image, file=str(path))
    if image_segments(image):
        return select_segment(image, segment=segment, label=label, file=str(path))
    if segment is not None:
        raise InputError(f"segment {segment!r} was asked for, but the file is not a 3D Slicer segmentation "
                         "(it has no Segment0_Name field)",
                         "give a label value instead (e.g. 'mask.nii.gz#1'), or the .seg.nrrd file",
                         file=str(path))
    if label is not None:
        return _label_to_binary(image, label, str(path))
    return image


def read_mask(path, *, segment: str | None = None, label: int | None = None, series_uid: str | None = None):
    """Read a mask as a binary UInt8 image (0 background, 1 foreground).

    A label map with one non-zero value (1, 255...) is binarised; with several values a ``label`` or
    ``segment`` must be chosen (the error lists the values present). Non-integer values are refused.
    """
    sitk = _sitk()
    image = _read(path, segment, label, series_uid)
    if segment is not None or label is not None or image_segments(image):
        return image  # already binary 0/1 UInt8
    check_scalar(image, file=str(path), what="mask")
    values = mask_values(image)
    if any(v != int(v) for v in values):
        raise InputError("the mask has non-integer values (e.g. "
                         f"{[v for v in values if v != int(v)][:3]}); it is not a label map",
                         "export the segmentation as a label map (not an interpolated or probability map)",
                         file=str(path))
    nonzero = [int(v) for v in values if v != 0]
    if len(nonzero) > 1:
        raise InputError(f"the mask has several labels {nonzero}",
                         "choose one: write the label after '#' in the manifest (e.g. 'mask.nrrd#1') or set "
                         "mask_segment in the study file", file=str(path))
    out = sitk.Cast(sitk.NotEqual(image, 0), sitk.sitkUInt8) if nonzero else \
        sitk.Cast(image * 0, sitk.sitkUInt8)
    out.CopyInformation(image)
    return out


#: how far DᵀD may be from the identity (direction cosines are stored with ~6 digits; a real shear is far larger)
DIRECTION_TOLERANCE = 1e-4


def check_direction(image, *, file=None, tolerance: float = DIRECTION_TOLERANCE) -> None:
    """Refuse an image whose direction matrix ``D`` is not orthonormal: max |DᵀD − I| > ``tolerance``.

    Resampling, ring dilation in mm and volumes all assume perpendicular unit axes; on a sheared grid
    they are silently wrong (a 0.2 shear made a tumour volume 7.8% off). NRRD and MetaImage keep a shear;
    a proper rotation (oblique acquisition) is orthonormal and accepted.

    >>> img = sitk.Image(4, 4, 4, sitk.sitkInt16); img.SetDirection((1, 0, 0, .2, 1, 0, 0, 0, 1))  # doctest: +SKIP
    >>> check_direction(img, file="P001.nrrd")  # doctest: +SKIP
    Traceback (most recent call last): ... InputError: the image's direction matrix is not orthonormal ...
    """
    n = image.GetDimension()
    d = np.asarray(image.GetDirection(), float).reshape(n, n)
    gram = d.T @ d  # columns are the axes: their dot products (1 on the diagonal, 0 off it when orthonormal)
    error = float(np.max(np.abs(gram - np.eye(n))))
    if error <= tolerance:
        return
    off = np.abs(gram - np.diag(np.diag(gram)))
    i, j = np.unravel_index(int(np.argmax(off)), off.shape)
    cos = gram[i, j] / np.sqrt(gram[i, i] * gram[j, j])
    how = (f"axes {i + 1} and {j + 1} meet at {np.degrees(np.arccos(np.clip(cos, -1, 1))):.2f}° instead of 90°"
           if off[i, j] > tolerance else "its axes are not of unit length")
    raise InputError(f"the image's direction matrix is not orthonormal (sheared grid: {how}; max |DᵀD − I| = "
                     f"{error:.3g} > {tolerance:g}); resampling and volumes in mm would be wrong",
                     "resample the image (and its masks) onto an orthogonal grid, e.g. SimpleITK Resample or "
                     "3D Slicer's 'Resample Scalar Volume', or export it again from the DICOM series",
                     file=None if file is None else str(file))


def check_scalar(image, *, file=None, what: str = "image") -> None:
    """Refuse a colour (RGB), vector or complex image: features need one real grey value (or label) per voxel."""
    n = image.GetNumberOfComponentsPerPixel()
    kind = image.GetPixelIDTypeAsString()
    if n == 1 and "complex" not in kind:
        return
    where = None if file is None else str(file)
    if what == "mask":
        raise InputError(f"the mask has {n} values per voxel ({kind}: a colour or vector image), not a label "
                         "map", "export the mask as a label map", file=where)
    raise InputError(f"the {what} has {n} value(s) per voxel ({kind}: a colour, vector or complex image); "
                     "radiomics needs one grey value per voxel",
                     "give the greyscale image (the original DICOM series or a scalar NIfTI/NRRD), not a "
                     "colour export, a screenshot, a vector field or raw complex data", file=where)


def mask_values(image) -> list[float]:
    """Distinct voxel values of a scalar image (fast for masks: only non-zero voxels are sorted)."""
    sitk = _sitk()
    arr = sitk.GetArrayViewFromImage(image)
    nz = arr[arr != 0]
    values = np.unique(nz).tolist()
    if nz.size < arr.size:
        values = [0] + values
    return values


def _read_file(path: Path):
    sitk = _sitk()
    if path.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", "copy or export the file again", file=str(path))
    _check_nifti_complete(path)
    try:
        return sitk.ReadImage(str(path))
    except RuntimeError as exc:
        raise InputError(_read_problem(exc, path), "check that the file is a complete image (NIfTI, NRRD, "
                         "DICOM...); copy or export it again", file=str(path)) from None


def _check_nifti_complete(path: Path) -> None:
    """ITK's NIfTI reader fills a truncated file's missing voxels silently: check the length ourselves.

    The header's dimensions, bits per voxel and data offset give the bytes the file must hold; a ``.nii.gz``
    whose gzip stream ends early (an interrupted copy) is refused too.
    """
    name = path.name.lower()
    if not name.endswith((".nii", ".nii.gz")):
        return
    fix = "copy or export the file again (it was probably cut off during a copy or download)"
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            header = _nifti1_header(fh.read(348))
            total = 348
            nans = _NanCounter(header["offset"], header["float_dtype"]) if header and header["float_dtype"] else None
            while chunk := fh.read(1 << 22):
                if nans is not None:
                    nans.feed(chunk, total)
                total += len(chunk)
    except gzip.BadGzipFile:
        return  # not gzip at all: SimpleITK's own message says what it is
    except (EOFError, zlib.error, OSError) as exc:
        raise InputError(f"the file is truncated or corrupt (its gzip data ends early: {exc})", fix,
                         file=str(path)) from None
    if header is None:
        return  # too short for a NIfTI-1 header, NIfTI-2 or not NIfTI: left to SimpleITK
    dims, bitpix = header["dims"], header["bitpix"]
    if not 1 <= dims[0] <= 7 or bitpix <= 0 or any(d < 1 for d in dims[1:dims[0] + 1]):
        return
    need = int(header["offset"]) + int(np.prod(dims[1:dims[0] + 1], dtype=np.int64)) * bitpix // 8
    if total < need:
        raise InputError(f"the file is truncated: {total} bytes where its header promises {need}", fix, file=str(path))
    if nans is not None and nans.count:
        raise InputError(f"the image has {nans.count} NaN voxel(s), which SimpleITK's NIfTI reader turns into 0 "
                         "without a word", "replace them by a real intensity (e.g. the background value) when "
                         "exporting the image", file=str(path))


def _nifti1_header(header: bytes) -> dict | None:
    """The fields of a NIfTI-1 header these checks need (dims, bitpix, data offset, and the numpy dtype of a
    float image, else None), or None when ``header`` is not a NIfTI-1 header."""
    if len(header) < 348:
        return None
    for endian in "<>":
        if struct.unpack(endian + "i", header[:4])[0] == 348:
            break
    else:
        return None
    datatype = struct.unpack(endian + "h", header[70:72])[0]
    float_dtype = {16: "f4", 64: "f8"}.get(datatype)
    return {"dims": struct.unpack(endian + "8h", header[40:56]),
            "bitpix": struct.unpack(endian + "h", header[72:74])[0],
            "offset": int(struct.unpack(endian + "f", header[108:112])[0]),
            "float_dtype": np.dtype(endian + float_dtype) if float_dtype else None}


class _NanCounter:
    """Counts NaN values of a float NIfTI's data as its bytes stream past (values may straddle chunks)."""

    def __init__(self, offset: int, dtype):
        self.offset, self.dtype, self.pending, self.count = offset, dtype, b"", 0

    def feed(self, chunk: bytes, start: int) -> None:
        """``chunk`` begins at byte ``start`` of the (decompressed) file."""
        data = self.pending + chunk[max(0, self.offset - start):]
        usable = len(data) - len(data) % self.dtype.itemsize
        if usable:
            self.count += int(np.count_nonzero(np.isnan(np.frombuffer(data[:usable], self.dtype))))
        self.pending = data[usable:]


def _looks_dicom(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            fh.seek(128)
            return fh.read(4) == b"DICM"
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------------------
# 3D Slicer segmentations
# ---------------------------------------------------------------------------------------------------------
@dataclass
class Segment:
    index: int
    name: str
    id: str
    layer: int
    label: int | None  # None: any non-zero value of its layer (Slicer < 4.11, one layer per segment)


def image_segments(image) -> list[Segment]:
    """The segments described in a 3D Slicer segmentation's metadata (empty for other images)."""
    keys = set(image.GetMetaDataKeys())
    indices = sorted({int(m.group(1)) for k in keys if (m := re.fullmatch(r"Segment(\d+)_Name", k))})
    if not indices:
        return []
    vector = image.GetNumberOfComponentsPerPixel() > 1
    legacy = not any(f"Segment{i}_LabelValue" in keys for i in indices)
    out = []
    for i in indices:
        def get(field, default=None):
            key = f"Segment{i}_{field}"
            return image.GetMetaData(key).strip() if key in keys else default
        if legacy:
            layer, label = (i, None) if vector else (0, i + 1)
        else:
            layer = int(get("Layer", 0))
            label = int(get("LabelValue", i + 1))
        out.append(Segment(i, get("Name", ""), get("ID", f"Segment_{i}"), layer, label))
    return out


def select_segment(image, *, segment: str | None = None, label: int | None = None, file: str | None = None):
    """One segment of a Slicer segmentation as a binary UInt8 image with the segmentation's geometry."""
    sitk = _sitk()
    segments = image_segments(image)
    listing = ", ".join(f"{s.name!r} (label {s.label if s.label is not None else 'any'}, layer {s.layer})"
                        for s in segments)
    if segment is not None:
        chosen = [s for s in segments if s.name == segment or s.id == segment] or \
                 [s for s in segments if s.name.lower() == str(segment).lower()]
        if not chosen:
            raise InputError(f"segment {segment!r} is not in the segmentation (it has {listing})",
                             "write one of these names after '#' in the manifest or in mask_segment", file=file)
        if len(chosen) > 1:
            raise InputError(f"several segments are named {segment!r}", "rename them in 3D Slicer", file=file)
    elif label is not None:
        chosen = [s for s in segments if s.label == int(label)]
        if not chosen:
            raise InputError(f"no segment has label value {label} (the segments: {listing})",
                             "choose one of these labels or a segment name", file=file)
        if len(chosen) > 1:
            raise InputError(f"label value {label} is used by {len(chosen)} segments in different layers "
                             f"({', '.join(repr(s.name) for s in chosen)})", "choose the segment by name",
                             file=file)
    elif len(segments) == 1:
        chosen = segments
    else:
        raise InputError(f"the segmentation has {len(segments)} segments: {listing}",
                         "choose one by name after '#' in the manifest (e.g. 'P001.seg.nrrd#Tumour') or set "
                         "mask_segment in the study file", file=file)
    seg = chosen[0]
    n_comp = image.GetNumberOfComponentsPerPixel()
    if seg.layer >= n_comp:
        raise InputError(f"segment {seg.name!r} is in layer {seg.layer} but the file has {n_comp} layer(s)",
                         "save the segmentation again from 3D Slicer", file=file)
    layer = sitk.VectorIndexSelectionCast(image, seg.layer) if n_comp > 1 else image
    binary = sitk.NotEqual(layer, 0) if seg.label is None else sitk.Equal(layer, int(seg.label))
    binary = sitk.Cast(binary, sitk.sitkUInt8)
    binary.CopyInformation(layer)
    binary.SetMetaData("segment_name", seg.name)
    return binary


def _label_to_binary(image, label: int, file: str):
    sitk = _sitk()
    if image.GetNumberOfComponentsPerPixel() != 1:
        raise InputError("a label was asked for, but the file is a vector image", "give a label map", file=file)
    values = mask_values(image)
    if float(label) not in [float(v) for v in values]:
        raise InputError(f"label {label} is not in the mask (its values: {[int(v) if v == int(v) else v for v in values][:20]})",
                         "choose one of these labels", file=file)
    out = sitk.Cast(sitk.Equal(image, float(label)), sitk.sitkUInt8)
    out.CopyInformation(image)
    return out


# ---------------------------------------------------------------------------------------------------------
# geometry
# ---------------------------------------------------------------------------------------------------------
def geometry_differences(image, other, tolerance: float = 1e-3) -> list[str]:
    """How ``other``'s grid differs from ``image``'s: size, spacing, origin, direction, beyond ``tolerance``.

    Spacing and origin are compared in mm, direction cosines as numbers. Each difference is a sentence
    giving both values and the difference; an empty list means the grids agree.
    """
    out = []
    if image.GetDimension() != other.GetDimension():
        return [f"dimension differs: {image.GetDimension()}-D image, {other.GetDimension()}-D mask"]
    if image.GetSize() != other.GetSize():
        out.append(f"size differs: image {image.GetSize()}, mask {other.GetSize()}")
    for what, a, b in (("spacing", image.GetSpacing(), other.GetSpacing()),
                       ("origin", image.GetOrigin(), other.GetOrigin()),
                       ("direction", image.GetDirection(), other.GetDirection())):
        diff = np.asarray(b, float) - np.asarray(a, float)
        if np.max(np.abs(diff)) > tolerance:
            fmt = lambda v: "(" + ", ".join(f"{x:.6g}" for x in v) + ")"  # noqa: E731
            unit = "" if what == "direction" else " mm"
            out.append(f"{what} differs: image {fmt(a)}, mask {fmt(b)}, difference {fmt(diff)}{unit} "
                       f"(tolerance {tolerance:g})")
    return out


def subgrid_offset(image, mask, tolerance: float = 1e-3):
    """The index of ``mask``'s first voxel in ``image``'s grid when ``mask``'s grid is a part of it
    (same spacing and direction, origin on a voxel of the image, fully inside), else None."""
    if image.GetDimension() != mask.GetDimension():
        return None
    if (np.max(np.abs(np.subtract(image.GetSpacing(), mask.GetSpacing()))) > tolerance
            or np.max(np.abs(np.subtract(image.GetDirection(), mask.GetDirection()))) > tolerance):
        return None
    cont = image.TransformPhysicalPointToContinuousIndex(mask.GetOrigin())
    idx = np.round(cont).astype(int)
    if np.max(np.abs((np.asarray(cont) - idx) * np.asarray(image.GetSpacing()))) > tolerance:
        return None
    if np.any(idx < 0) or np.any(idx + np.asarray(mask.GetSize()) > np.asarray(image.GetSize())):
        return None
    return tuple(int(i) for i in idx)


#: the fix for a mask on another grid than its image
GRID_FIX = ("export the mask on the image's grid (in 3D Slicer: with the image as reference geometry), "
            "or resample it onto the image")


def grid_mismatch(image, mask, tolerance: float = 1e-3) -> str | None:
    """How ``mask``'s grid differs from ``image``'s when it cannot be put on it, else None (the grids agree,
    or the mask is a sub-grid: a Slicer segmentation cropped to its extent)."""
    diffs = geometry_differences(image, mask, tolerance)
    if diffs and subgrid_offset(image, mask, tolerance) is None:
        return "; ".join(diffs)
    return None


def check_mask_grid(image, mask, tolerance: float = 1e-3, *, what: str = "the mask", patient=None,
                    file=None) -> None:
    """Refuse, naming the patient and file, a mask that cannot be put on its image's grid (resampling would
    otherwise move it silently onto the image)."""
    why = grid_mismatch(image, mask, tolerance)
    if why:
        raise InputError(f"{what} does not match its image's grid: {why}", GRID_FIX,
                         patient=None if patient is None else str(patient), file=None if file is None else str(file))


def mask_onto_grid(mask, image, tolerance: float = 1e-3, *, what: str = "the mask", patient=None, file=None):
    """``mask`` on ``image``'s grid: unchanged when the grids agree; pasted when it is a sub-grid (a Slicer
    segmentation cropped to its extent). Raises InputError (naming ``patient`` and ``file``) when neither
    holds."""
    sitk = _sitk()
    if not geometry_differences(image, mask, tolerance):
        out = sitk.Image(mask)
        out.CopyInformation(image)  # remove sub-tolerance differences
        return out
    check_mask_grid(image, mask, tolerance, what=what, patient=patient, file=file)
    offset = subgrid_offset(image, mask, tolerance)
    full = sitk.Image(image.GetSize(), mask.GetPixelID())
    full.CopyInformation(image)
    return sitk.Paste(full, mask, mask.GetSize(), [0] * mask.GetDimension(), list(offset))
