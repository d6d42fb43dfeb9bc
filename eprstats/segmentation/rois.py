"""Regions of interest: the tumour, the peritumoral ring and the tumour plus ring, in millimetres.

The ring is a 3-D dilation of the tumour by a ball of radius ``ring_mm`` **in physical units**, minus the
tumour. It is computed from the Euclidean distance map in mm (voxel spacing taken into account, so an
anisotropic grid of 0.7 x 0.7 x 2.5 mm gets a round ball, not a box of voxels):

    d(v) = min over tumour voxels t of || (v - t) * spacing ||            (mm, between voxel centres)
    ring  = { v : 0 < d(v) <= ring_mm }        (voxels exactly at ring_mm included)
    plus  = tumour OR ring

Where a liver mask is given the ring is clipped to it (the paper removed non-hepatic tissue from the
peritumoral region); the tumour is kept whole. When the tumour lies closer than ``ring_mm`` to the image
edge the ring is cut there: a :class:`RingCutWarning` says so.

Reference: Maurer CR, Qi R, Raghavan V. A linear time algorithm for computing exact Euclidean distance
transforms of binary images in arbitrary dimensions. IEEE TPAMI 2003;25:265-70 (SimpleITK's
SignedMaurerDistanceMap).

Example
-------
>>> rois = derive_rois(tumour_1mm, ring_mm=3.0, liver_mask=liver_1mm)   # doctest: +SKIP
>>> roi_volumes_ml(rois)                                                  # doctest: +SKIP
{'tumour': 33.5, 'ring': 11.9, 'plus': 45.4}
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..cohort.images import geometry_differences, mask_onto_grid, read_image, read_mask
from ..cohort.validate import RingCutWarning, ring_cut_by_edge  # noqa: F401  (the cohort check, shared)
from ..errors import InputError
from .resample import resample_image, resample_mask

ROI_NAMES = ("tumour", "ring", "plus")


def _sitk():
    import SimpleITK as sitk
    return sitk


def _binary(mask, what: str, patient=None):
    sitk = _sitk()
    if mask.GetNumberOfComponentsPerPixel() != 1:
        raise InputError(f"the {what} mask is a vector image, not a label map", "give a binary mask",
                         patient=patient)
    return sitk.NotEqual(mask, 0)


def _neighbourhood(t: np.ndarray, spacing, ring_mm: float) -> tuple:
    """Slices (z, y, x) of the tumour's bounding box grown by the ring's reach plus one voxel."""
    box = []
    for axis, sp in zip(range(3), spacing[::-1]):
        other = tuple(a for a in range(3) if a != axis)
        present = np.flatnonzero(t.any(axis=other))
        reach = math.floor(ring_mm / sp + 1e-9) + 1
        box.append(slice(max(0, present[0] - reach), min(t.shape[axis], present[-1] + reach + 1)))
    return tuple(box)


def derive_rois(tumour_mask, ring_mm: float = 3.0, liver_mask=None, *, patient: str | None = None) -> dict:
    """The tumour, the peritumoral ring of ``ring_mm`` mm and the tumour plus ring, as UInt8 0/1 images.

    Parameters
    ----------
    tumour_mask : SimpleITK.Image, binary (non-zero = tumour), usually already resampled to 1 mm.
    ring_mm : ring width in mm (the paper: 3).
    liver_mask : optional binary mask on the same grid; the ring is clipped to it.
    patient : used in warnings and errors.

    Returns
    -------
    dict with keys ``"tumour"``, ``"ring"``, ``"plus"`` (images on the tumour mask's grid).
    """
    sitk = _sitk()
    try:
        ring_mm = float(ring_mm)
    except (TypeError, ValueError):
        raise InputError(f"ring width {ring_mm!r} is not a number", "give ring_mm in millimetres",
                         patient=patient) from None
    if not (ring_mm > 0 and math.isfinite(ring_mm)):
        raise InputError(f"ring width {ring_mm} mm must be positive", "give ring_mm > 0", patient=patient)
    tumour = _binary(tumour_mask, "tumour", patient)
    t = sitk.GetArrayViewFromImage(tumour).astype(bool)
    if not t.any():
        raise InputError("the tumour mask is empty", "check the mask (run 'eprstats validate')",
                         patient=patient)
    # Only the tumour's neighbourhood can hold the ring: the distance map is computed on the tumour's
    # bounding box grown by the ring's reach (same voxels, much less work on a whole-abdomen grid).
    box = _neighbourhood(t, tumour.GetSpacing(), ring_mm)
    sub = sitk.GetImageFromArray(t[box].astype(np.uint8))
    sub.SetSpacing(tumour.GetSpacing())
    squared = sitk.GetArrayFromImage(sitk.SignedMaurerDistanceMap(
        sub, insideIsPositive=False, squaredDistance=True, useImageSpacing=True))
    # Squared distances compare exactly on 1 mm grids (integers); the tiny slack keeps voxels at exactly
    # ring_mm in the ring despite float32 rounding on other grids.
    ring = np.zeros_like(t)
    ring[box] = (~t[box]) & (squared > 0) & (squared <= ring_mm * ring_mm * (1 + 1e-6))
    if liver_mask is not None:
        diffs = geometry_differences(tumour, liver_mask, 1e-3)
        if diffs:
            raise InputError("the liver mask is not on the tumour mask's grid: " + "; ".join(diffs),
                             "resample the liver mask onto the same grid (resample_mask)", patient=patient)
        ring &= sitk.GetArrayFromImage(_binary(liver_mask, "liver", patient)).astype(bool)
    sides = ring_cut_by_edge(tumour, ring_mm)
    if sides:
        who = f"patient {patient!r}: " if patient is not None else ""
        warnings.warn(f"{who}the tumour lies within {ring_mm:g} mm of the image edge ({', '.join(sides)}), "
                      "so the peritumoral ring is cut there", RingCutWarning, stacklevel=2)
    out = {}
    for name, arr in (("tumour", t), ("ring", ring), ("plus", t | ring)):
        img = sitk.GetImageFromArray(arr.astype(np.uint8))
        img.CopyInformation(tumour)
        out[name] = img
    return out


def roi_volumes_ml(rois: dict) -> dict:
    """Each ROI's volume in mL: voxels x voxel volume (mm^3) / 1000."""
    sitk = _sitk()
    out = {}
    for name, img in rois.items():
        voxel_mm3 = float(np.prod(img.GetSpacing()))
        out[name] = int(np.count_nonzero(sitk.GetArrayViewFromImage(img))) * voxel_mm3 / 1000.0
    return out


def study_rois(study, patient: str, phase: str, *, readers: tuple = ("mask",)) -> tuple:
    """One patient's phase as the study defines it: the image resampled to the study's spacing (linear) and
    its ROIs (masks resampled by nearest neighbour onto that grid).

    Returns ``(image, rois)``: ``rois`` maps each ROI name to a UInt8 image. For ``readers=("mask",)`` the
    names are ``tumour`` and, on the study's ``ring_phases``, ``ring`` and ``plus`` (ring clipped to the
    liver mask when the manifest gives one). Other readers (``mask_reader2``, ``mask_repeat``) add
    ``tumour_<reader>`` (and ``ring_<reader>``, ``plus_<reader>`` on ring phases) when the manifest has them.
    """
    s = study.settings
    ref = study.image(patient, phase)
    if ref is None:
        raise InputError(f"no {phase} image given", f"fill the manifest column {phase}_image", patient=patient)
    raw = read_image(ref.path, **ref.read_kwargs())
    image = resample_image(raw, s.spacing, "linear")
    tol = s.geometry_tolerance
    on_ring_phase = phase in s.ring_phases
    liver = None
    if on_ring_phase:
        lref = study.mask(patient, phase, "liver_mask")
        if lref is not None:
            liver = resample_mask(mask_onto_grid(read_mask(lref.path, **lref.read_kwargs()), raw, tol,
                                                 patient=patient, file=lref.path), image)
    rois = {}
    for reader in readers:
        mref = study.mask(patient, phase, reader)
        if mref is None:
            if reader == "mask":
                raise InputError(f"no {phase} tumour mask given", f"fill the manifest column {phase}_mask",
                                 patient=patient)
            continue
        tumour = resample_mask(mask_onto_grid(read_mask(mref.path, **mref.read_kwargs()), raw, tol,
                                              patient=patient, file=mref.path), image)
        suffix = "" if reader == "mask" else "_" + reader.replace("mask_", "")
        if on_ring_phase:
            try:
                derived = derive_rois(tumour, s.ring_mm, liver, patient=patient)
            except InputError as exc:  # name the mask file the problem came from
                if exc.file is None:
                    exc.file = str(mref.path)
                    exc.args = (exc.message,)
                raise
        else:
            if not sitk_any(tumour):
                raise InputError(f"the {phase} tumour mask is empty after resampling to {list(s.spacing)} mm",
                                 "check the mask (run 'eprstats validate')", patient=patient,
                                 file=str(mref.path))
            derived = {"tumour": tumour}
        rois.update({f"{name}{suffix}": img for name, img in derived.items()})
    return image, rois


def sitk_any(image) -> bool:
    """Whether any voxel is non-zero."""
    sitk = _sitk()
    stats = sitk.MinimumMaximumImageFilter()
    stats.Execute(image)
    return stats.GetMaximum() != 0 or stats.GetMinimum() != 0
