"""Every non-shape feature of one (filtered image, ROI) pair in one pass, without pyradiomics' class objects.

The eprstats engine's classes (:mod:`.classes`) are still pyradiomics classes: per class and filtered image a
constructor (the image and mask fetched as arrays again, the mask compared with the label, the shared
discretisation looked up and copied, the feature names listed), pyradiomics' matrix post-processing
(``numpy.delete`` of absent grey levels, run lengths and zone sizes), coefficients that the compiled feature
passes do not read, and ``execute``'s per-feature lookup, ``try`` and logging. :func:`one_pass` does the same
work once per (filtered image, ROI):

* the image and mask arrays fetched once, discretised once (:func:`.preparation.bin_roi`, pyradiomics'
  ``binImage``), the grey levels present and their counts once (:func:`.preparation.grey_levels`);
* first order from the ROI's values and those counts (:func:`.firstorder._all_features`, pyradiomics'
  formulas);
* the five matrices from one padded copy of the ROI (:func:`.fused.texture_matrices`: the same arrays as
  pyradiomics' C code);
* pyradiomics' post-processing of each matrix (``_calculateMatrix``, ``_calculateCoefficients``: absent grey
  levels, symmetry and normalisation of the GLCM, absent run lengths, zone sizes and dependences, the zone and
  run counts) -- the GLCM with pyradiomics' own numpy calls (the compiled pass's summation order depends on the
  matrix's memory layout, which ``numpy.delete`` decides), the others by indexing (their compiled passes read
  the cells by index, so only the values matter, and those are counts);
* the features from the existing compiled passes (:mod:`.glcm_kernels`, :mod:`.texture_kernels`) and the MCC
  from :mod:`.mcc` (pyradiomics' own where its guards fail),

returning pyradiomics' keys in pyradiomics' order (each class's non-deprecated features, sorted by name as
``getFeatureNames`` lists them) with ``numpy.squeeze``'d values, as ``execute`` stores them. The values are
those of the class path (the same functions on the same arrays).

Where an assumption of this path does not hold, the class (or the whole image) goes through the engine's
classes instead, so its output stays what it was: voxel-based extraction, an empty ROI or NaN among its
values, a discretised grey level outside ``1..Ng`` (pyradiomics' error), a class whose features are enabled by
name (a subset, or deprecated ones), a class other than the six, the GLCM with ``weightingNorm`` or
``symmetricalGLCM: false`` or an angle without pairs or a matrix the compiled pass does not take, the GLRLM
with ``weightingNorm`` or an angle without runs, a non-integer ``gldm_a``. :func:`fallback_reason` names it.
"""
from __future__ import annotations

import collections
import time
from types import SimpleNamespace

import numpy as np

from ..sparse_glcm import feature_classes
from . import fused, glcm_kernels
from .firstorder import _all_features as firstorder_features
from .gldm import GLDM_NAMES
from .glszm import GLSZM_NAMES
from .label_box import CropView
from .mcc import mcc_fast
from .preparation import bin_roi, grey_levels
from .texture_kernels import GLRLM_ORDER, NGTDM_ORDER, kernels, zone_values

#: The classes this path computes (pyradiomics' names).
CLASSES = ("firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm")
_TEXTURES = CLASSES[1:]


def fallback_reason(class_name, names, settings) -> str | None:
    """Why ``class_name`` with features ``names`` (None or empty: all) and ``settings`` is left to the
    engine's classes (None: this path computes it). Conditions on the image are checked in :func:`one_pass`."""
    if class_name not in CLASSES:
        return f"class {class_name}"
    if names:
        return "features enabled by name"
    if class_name in ("glcm", "glrlm") and settings.get("weightingNorm") is not None:
        return "weightingNorm"
    if class_name == "glcm" and settings.get("symmetricalGLCM", True) is not True:
        return "symmetricalGLCM"
    if class_name == "gldm":
        alpha = settings.get("gldm_a", 0)
        if not isinstance(alpha, (int, np.integer)) or isinstance(alpha, bool):
            return "gldm_a"
    return None


def one_pass(table, enabled, image, mask, type_name, kwargs, *, torch_device=None, timing=None):
    """pyradiomics' ``computeFeatures`` output (an OrderedDict ``{type_name}_{class}_{feature}: value``) for
    the classes in ``enabled`` ({class: feature names or None}) of ``table`` (the engine's class table: shape
    classes skipped, as ``extract._compute_features``), the fast classes computed here, the others by
    ``table``'s classes. ``image``, ``mask``: the cropped SimpleITK images, or ``image`` a
    :class:`.label_box.CropView` (the crop's arrays; ``mask`` unused). ``timing``: a dict receiving the CPU
    seconds of this path's steps (benchmarks: first order with the discretisation, the matrices, each texture
    class's features; not the classes' time)."""
    clock = time.process_time if timing is not None else None
    t0 = clock() if clock else 0.0
    wanted = [(c, n) for c, n in enabled.items() if not c.startswith("shape") and c in table]
    fast = {c for c, n in wanted if fallback_reason(c, n, kwargs) is None}
    view = image if isinstance(image, CropView) else None
    values = {}
    if fast and not kwargs.get("voxelBased", False):
        values = _fast_values(table, fast, image, mask, kwargs, torch_device, timing, t0)
    out = collections.OrderedDict()
    for class_name, names in wanted:
        got = values.get(class_name)
        if got is None:  # the engine's class, as extract._compute_features runs it (not in ``timing``)
            if view is not None:  # the SimpleITK crops, made now (the classes read images)
                image, mask = view.images()
                view = None
            fc = table[class_name](image, mask, **kwargs)
            if names is not None:
                for name in names:
                    fc.enableFeatureByName(name)
            got = fc.execute()
        prefix = f"{type_name}_{class_name}_"
        for name, value in got.items():
            out[prefix + name] = value
    return out


def _fast_values(table, fast, image, mask, settings, torch_device, timing, t0):
    """{class: OrderedDict of feature values} for the classes of ``fast`` this path computes for this image
    (a class missing: the engine's class computes it); ``image``, ``mask`` as :func:`one_pass` takes them."""
    clock = time.process_time if timing is not None else None
    view = image if isinstance(image, CropView) else CropView.of(image, mask, settings.get("label", 1))
    image_array, mask_array = view.array, view.roi
    roi_values = image_array[mask_array]
    if roi_values.size == 0 or (roi_values.dtype.kind == "f" and np.isnan(roi_values).any()):
        return {}  # pyradiomics' NaN-aware first order, its error for an empty ROI
    binned, binned_roi, _ = bin_roi(image_array, mask_array, roi_values, settings)
    levels, counts = grey_levels(binned_roi)
    Ng = int(np.max(levels))
    out = {}
    if "firstorder" in fast:
        p_i = counts.reshape((1, -1))
        sum_bins = np.sum(p_i, 1, keepdims=True).astype("float")
        sum_bins[sum_bins == 0] = 1
        x = roi_values.astype("float").reshape((1, -1))
        got = firstorder_features(x, p_i.astype("float") / sum_bins, settings.get("voxelArrayShift", 0),
                                  view.spacing)
        out["firstorder"] = _ordered(table, "firstorder", got)
    if clock:
        t = clock()
        timing["firstorder"] = timing.get("firstorder", 0.0) + t - t0  # with the shared discretisation
        t0 = t
    textures = tuple(c for c in _TEXTURES if c in fast)
    if not textures:
        return out
    which = textures + (("gldm", "ngtdm") if {"gldm", "ngtdm"} & set(textures) else ())
    matrices = fused.texture_matrices(binned, mask_array, Ng, settings, tuple(dict.fromkeys(which)), levels)
    if matrices is None:
        return out  # a grey level outside 1..Ng: pyradiomics' classes and their error
    if clock:
        t = clock()
        timing["matrices"] = timing.get("matrices", 0.0) + t - t0
        t0 = t
    ivector = levels.astype(float)
    for class_name in textures:
        got = _TEXTURE_FEATURES[class_name](matrices[class_name][0], levels, ivector, Ng, torch_device)
        if got is not None:
            out[class_name] = _ordered(table, class_name, got)
        if clock:
            t = clock()
            timing[class_name] = timing.get(class_name, 0.0) + t - t0
            t0 = t
    return out


#: Each class's non-deprecated feature names in ``getFeatureNames``' order (what ``enableAllFeatures`` enables),
#: with the same names as a frozenset (one subset test per class instead of a generator over the names).
_NAMES: dict = {}


def feature_names(cls) -> tuple:
    return _names(cls)[0]


def _names(cls):
    hit = _NAMES.get(cls)
    if hit is None:
        names = tuple(n for n, deprecated in cls.getFeatureNames().items() if not deprecated)
        hit = _NAMES[cls] = (names, frozenset(names))
    return hit


def _ordered(table, class_name, values):
    """pyradiomics' ``featureValues`` for all non-deprecated features of the class: in ``getFeatureNames``'
    order, each value ``numpy.squeeze``'d; None (the class path) where a feature is missing here."""
    names, required = _names(table[class_name])
    if not required <= values.keys():
        return None
    # an array's own squeeze is numpy.squeeze's result without its dispatch (about 1 us a value, 944 per ROI)
    got = [values[n] for n in names]
    return collections.OrderedDict(zip(names, [v.squeeze() if type(v) is np.ndarray else np.squeeze(v)
                                               for v in got]))


def _glcm(P, levels, ivector, Ng, torch_device):
    """pyradiomics' ``_calculateMatrix`` (symmetrical, unweighted) compiled (:func:`.fused._glcm_normalised`),
    in the memory layout ``numpy.delete`` gives pyradiomics' matrix (which the compiled pass's summation order
    follows), then the compiled pass and the MCC; None (the class path) for a matrix with an empty angle or
    with one angle (pyradiomics' pass sums it pairwise)."""
    n, Na = len(levels), P.shape[2]
    if Na < 2:
        return None
    column_major = _delete_layout(min(Ng - n, 2))
    if column_major is None:
        return None
    store = np.empty((n, n, Na))
    if not fused._glcm_normalised(P, (levels - 1).astype(np.int64), store, column_major):
        return None  # empty angles: pyradiomics deletes them (the angles then lie outermost)
    P = (store.transpose(1, 0, 2) if column_major else store)[None]
    c, values = glcm_kernels.glcm_coefficients_and_features(P, levels, Ng)
    mcc = mcc_fast(P, c["px"], c["py"], c["eps"], torch_device)
    if mcc is None:  # pyradiomics' own value (the engine's bit-identical sparse sum)
        mcc = feature_classes()["glcm"].getMCCFeatureValue(SimpleNamespace(P_glcm=P, coefficients=c))
    values["MCC"] = mcc
    return values


#: Whether pyradiomics' GLCM, after ``numpy.delete`` of its absent levels and its in-place symmetry and
#: normalisation, lies in column-major order (j slower than i), by the number of levels deleted (0, 1, 2 or
#: more: numpy deletes one index by slicing, several -- or none -- by a boolean index, which leaves the deleted
#: axis outermost): found once per process from numpy itself, as it depends on numpy's implementation.
_LAYOUT: dict = {}


def _delete_layout(deleted: int):
    hit = _LAYOUT.get(deleted, "")
    if hit == "":
        P = np.ones((1, 4, 4, 2))
        absent = np.arange(deleted, dtype=int)
        P = np.delete(np.delete(P, absent, 1), absent, 2)
        P += np.transpose(P, (0, 2, 1, 3)).copy()
        P /= np.sum(P, (1, 2))[:, None, None, :]
        # None: angles not innermost, a matrix the compiled pass does not take (the class path then)
        hit = _LAYOUT[deleted] = glcm_kernels._column_major(P[0]) if glcm_kernels.usable(P) else None
    return hit


def _glrlm(P, levels, ivector, Ng, torch_device):
    """pyradiomics' GLRLM processing (absent levels and run lengths removed, runs per angle) and the compiled
    features; None (the class path) where an angle has no runs."""
    P = P[levels - 1]  # numpy.delete of the absent levels: the same cells
    # the runs per angle and per length from one sum over the levels (counts: exact in any order; two
    # reductions over two axes each cost numpy about 0.2 ms an image)
    per_length = P.sum(0)
    Nr = per_length.sum(0)
    if not np.all(Nr > 0):
        return None
    lengths = np.flatnonzero(per_length.sum(1))  # run lengths present
    jvector = (lengths + 1).astype(np.float64)
    out = np.empty(16)
    kernels()["_glrlm_features"](np.ascontiguousarray(P[:, lengths, :]), ivector, jvector, Nr, out)
    return {name: out[k:k + 1] for k, name in enumerate(GLRLM_ORDER)}


def _zones(P, levels):
    """(P without absent levels and empty columns, jvector, Nz) as pyradiomics' GLSZM and GLDM processing."""
    P = P[levels - 1]
    columns = np.flatnonzero(np.sum(P, 0))
    Nz = np.sum(P)
    return np.ascontiguousarray(P[:, columns]), (columns + 1).astype(np.float64), Nz


def _glszm(P, levels, ivector, Ng, torch_device):
    P, jvector = P  # present levels and zone sizes only (fused._glszm_compressed)
    Nz = np.sum(P)  # zones: a sum of counts, exact in any order
    Np = float(np.sum(np.sum(P, 0) * jvector))  # voxels in zones: a sum of integers, exact in any order
    Nz = np.array([Nz if Nz != 0 else 1.0])
    values = zone_values(P[None], ivector, jvector, Nz, GLSZM_NAMES)
    values["ZonePercentage"] = Nz / np.array([Np if Np != 0 else 1.0])
    return values


def _gldm(P, levels, ivector, Ng, torch_device):
    P, jvector, Nz = _zones(P, levels)
    Nz = np.array([Nz if Nz != 0 else 1.0])
    return zone_values(P[None], ivector, jvector, Nz, _GLDM_NAMES)


def _ngtdm(P, levels, ivector, Ng, torch_device):
    P = P[P[:, 0] != 0]  # pyradiomics deletes the levels without voxels
    n = P[:, 0]
    Nvp = np.sum(n)
    p_i = n / Nvp
    out = np.empty(5)
    kernels()["_ngtdm_features"](p_i, np.ascontiguousarray(P[:, 1]), np.ascontiguousarray(P[:, 2]), float(Nvp),
                                 float(np.sum(n > 0)), out)
    return {name: out[k:k + 1] for k, name in enumerate(NGTDM_ORDER)}


_GLDM_NAMES = dict(GLDM_NAMES, LAHGLE="LargeDependenceHighGrayLevelEmphasis")
_TEXTURE_FEATURES = {"glcm": _glcm, "glrlm": _glrlm, "glszm": _glszm, "gldm": _gldm, "ngtdm": _ngtdm}
