"""pyradiomics feature extraction for several ROIs of one image, sharing the work that does not depend on the ROI.

pyradiomics' ``RadiomicsFeatureExtractor.execute(image, mask)`` does, for every ROI separately:

1. cast the mask to UInt32 and check the label (``imageoperations.getMask``);
2. resample image and mask onto a grid aligned to the mask's origin, covering the ROI's bounding box plus
   ``padDistance`` voxels (``imageoperations.resampleImage``; when the image already has the target spacing it
   only crops the image to the padded bounding box);
3. check the ROI (``checkMask``), compute shape features on the unpadded crop;
4. filter the padded image (LoG, wavelet, ...), crop every filtered image to the ROI's bounding box and compute
   the texture classes on it.

Steps 2 and 4 depend on the ROI only through its resampling grid (origin, size, spacing, direction). ROIs whose
grids coincide -- in the paper the peritumoral ring and the tumour-plus-ring share their outer boundary and so
their bounding box -- therefore get bit-identical resampled and filtered images, and :func:`extract_features`
computes them once per grid and image. ROIs with different grids (the tumour) get their own, exactly as
pyradiomics does: filtering a larger shared crop would change LoG values near the crop edge (the recursive
Gaussian has infinite support), so it would not reproduce pyradiomics' values.

The one change inside a feature class is :class:`SparseMCCGLCM`: the Maximal Correlation Coefficient sums
``P(i,k) P(j,k) / (p_x(i) p_y(k) + eps)`` over k in a Python loop over all grey levels on dense Ng x Ng arrays
(about half of pyradiomics' run time on MRI). We add the same terms in the same order but skip the rows whose
``P(i,k)`` is exactly zero, whose terms are exactly +0.0 and leave the sum unchanged, so the value is
bit-identical (tested against pyradiomics' own extractor).

Reference: van Griethuysen JJM et al. Computational Radiomics System to Decode the Radiographic Phenotype.
Cancer Res 2017;77:e104-e107.
"""
from __future__ import annotations

import collections
import copy
import logging
from typing import Mapping

import numpy as np

from ..errors import InputError
from .engine import preparation_for, resolve_classes
from .engine.label_box import BoxCrop
from .params import Settings, paper_settings, shared_extractor
from .sparse_glcm import feature_classes  # noqa: F401 (ep.handcrafted.feature_classes is imported from here)

#: Image types whose filter ignores the mask (checked against pyradiomics' imageoperations source): their
#: output depends only on the (resampled, cropped) image, so it can be shared by ROIs with the same grid.
_MASK_FREE_FILTERS = {"Original", "LoG", "Wavelet", "Square", "SquareRoot", "Logarithm", "Exponential",
                      "Gradient", "LBP2D"}


def _quiet_radiomics():
    # pyradiomics logs a warning per GLCM ("GLCM is symmetrical...") on its stderr handler: keep errors only.
    import radiomics
    radiomics.setVerbosity(logging.ERROR)


class _Prepared:
    """The resampled (or cropped) image of one grid, and its filtered images, computed on first use."""

    def __init__(self, image):
        self.image = image
        self.filtered = None
        self.info = None


def _grid_key(image, mask, settings: dict, prep=None):
    """Resample (or crop) the mask as pyradiomics' loadImage does and return (key, how, mask_out).

    The key identifies the image grid that pyradiomics would use for this ROI; equal keys give bit-identical
    resampled images. ``prep``: the engine's ROI checks and label box (:func:`.engine.preparation_for`;
    pyradiomics' by default).
    """
    import SimpleITK as sitk

    prep = prep or preparation_for("pyradiomics")

    interpolator = settings.get("interpolator")
    spacing = settings.get("resampledPixelSpacing")
    label = int(settings.get("label", 1))
    if interpolator is not None and spacing is not None:
        # Reproduce imageoperations.resampleImage for the mask only; the image is resampled per grid key.
        mask_spacing = np.array(mask.GetSpacing())
        image_spacing = np.array(image.GetSpacing())
        Nd = len(mask_spacing)
        target = np.array(spacing)
        if len(target) != Nd:
            raise InputError(f"resampledPixelSpacing has {len(target)} values, the mask is {Nd}-D",
                             f"give {Nd} spacings in the settings file")
        target = np.where(target == 0, mask_spacing, target)
        bb = prep.check_roi(image, mask, **settings)
        mask_size = np.array(mask.GetSize())
        target = np.where(bb[Nd:] != 1, target, mask_spacing)
        if np.allclose(image_spacing, target):
            if _same_grid(mask, image):
                # nearest-neighbour resampling onto the mask's own grid returns the mask: skip the pass
                mask_on_image = mask
            else:
                rif = sitk.ResampleImageFilter()
                rif.SetReferenceImage(image)
                rif.SetInterpolator(sitk.sitkNearestNeighbor)
                mask_on_image = rif.Execute(mask)
            bbi = np.array(prep.label_box(mask_on_image, label))
            low_up = np.empty(Nd * 2, dtype=int)
            low_up[::2] = bbi[:Nd]
            low_up[1::2] = bbi[:Nd] + bbi[Nd:] - 1
            key = ("crop", _crop_bounds(mask_on_image, low_up, settings.get("padDistance", 5)))
            # cropToTumorMask(mask_on_image, mask_on_image, low_up, **settings)'s mask (it crops it twice)
            mask_out = BoxCrop(mask_on_image, low_up, settings.get("padDistance", 0)).mask
            return key, ("crop", low_up, mask_on_image), mask_out
        ratio = mask_spacing / target
        pad = settings.get("padDistance", 5)
        lower = np.floor((bb[:Nd] - 0.5) * ratio - pad)
        upper = np.ceil((bb[:Nd] + bb[Nd:] - 0.5) * ratio + pad)
        max_upper = np.ceil(mask_size * ratio) - 1
        lower = np.where(lower < 0, 0, lower)
        upper = np.where(upper > max_upper, max_upper, upper)
        new_size = np.array(upper - lower + 1, dtype="int").tolist()
        origin_index = np.array(.5 * (target - mask_spacing) / mask_spacing) + lower / ratio
        new_origin = mask.TransformContinuousIndexToPhysicalPoint(origin_index)
        direction = np.array(mask.GetDirection())
        rif = sitk.ResampleImageFilter()
        rif.SetOutputSpacing(target)
        rif.SetOutputDirection(direction)
        rif.SetSize(new_size)
        rif.SetOutputOrigin(new_origin)
        rif.SetOutputPixelType(mask.GetPixelID())
        rif.SetInterpolator(sitk.sitkNearestNeighbor)
        mask_out = rif.Execute(mask)
        key = ("resample", tuple(target.tolist()), tuple(new_size), tuple(new_origin), tuple(direction.tolist()))
        return key, ("resample", target, new_size, new_origin, direction), mask_out
    if settings.get("preCrop", False):
        bb, corrected = prep.check_mask(image, mask, **settings)
        if corrected is not None:
            mask = corrected
        key = ("crop", _crop_bounds(mask, bb, settings.get("padDistance", 0)))
        mask_out = BoxCrop(mask, bb, settings.get("padDistance", 0)).mask  # cropToTumorMask's
        return key, ("crop", bb, mask), mask_out
    return ("whole",), ("whole",), mask


def _same_grid(a, b) -> bool:
    """Exactly the same voxel grid (size, origin, spacing, direction)."""
    return (a.GetSize() == b.GetSize() and a.GetOrigin() == b.GetOrigin() and a.GetSpacing() == b.GetSpacing()
            and a.GetDirection() == b.GetDirection())


def _crop_bounds(mask, bb, pad):
    size = np.array(mask.GetSize())
    low = np.maximum(bb[0::2] - pad, 0)
    up = np.maximum(size - bb[1::2] - pad - 1, 0)
    return tuple(low.tolist()), tuple(up.tolist())


def _prepare_image(image, how, settings: dict, interpolator):
    import SimpleITK as sitk

    kind = how[0]
    if kind == "resample":
        _, target, new_size, new_origin, direction = how
        rif = sitk.ResampleImageFilter()
        rif.SetOutputSpacing(target)
        rif.SetOutputDirection(direction)
        rif.SetSize(new_size)
        rif.SetOutputOrigin(new_origin)
        rif.SetOutputPixelType(image.GetPixelID())
        rif.SetInterpolator(interpolator)
        return rif.Execute(image)
    if kind == "crop":
        _, bb, mask_ref = how
        # cropToTumorMask(image, mask_ref, bb, **settings)'s image (it crops the mask too, unused here)
        return BoxCrop(mask_ref, bb, settings.get("padDistance", 0)).crop(image)
    return image


def _interpolator(name):
    import SimpleITK as sitk
    if isinstance(name, str):
        try:
            return getattr(sitk, name)
        except AttributeError:
            raise InputError(f"interpolator {name!r} is not a SimpleITK interpolator",
                             "use e.g. sitkLinear or sitkBSpline") from None
    return name


def extract_features(image, masks: Mapping[str, object], settings: Settings | None = None,
                     *, diagnostics: bool = True, engine: str | None = None,
                     device: str | None = None) -> dict[str, collections.OrderedDict]:
    """pyradiomics features of several ROIs of one image, sharing resampling and filtering between ROIs.

    Parameters
    ----------
    image : SimpleITK.Image
        The image (one phase of one patient).
    masks : dict of str to SimpleITK.Image
        ROI name to binary mask (label ``settings.setting['label']``, 1 by default) on the image's grid.
    settings : Settings, optional
        pyradiomics configuration; the paper's settings by default (:func:`~.params.paper_settings`).
    diagnostics : bool
        Include pyradiomics' ``diagnostics_*`` entries (provenance) in each result.
    engine, device : str, optional
        Feature engine (``pyradiomics`` or ``eprstats``, :mod:`.engine`) and device (``cpu`` or ``cuda``);
        by default the settings' own (``settings.engine``, ``settings.device``).

    Returns
    -------
    dict of str to OrderedDict
        ROI name to pyradiomics' result dictionary, with the same keys and bit-identical feature values as
        ``RadiomicsFeatureExtractor(settings).execute(image, mask)`` for each mask separately.

    Raises
    ------
    ValueError
        pyradiomics' own error for an invalid ROI (empty, single voxel, outside the image); the caller
        (:func:`~.parallel.extract_cohort`) reports it with the patient.

    Examples
    --------
    >>> feats = extract_features(image, {"tumour": t, "ring": r, "plus": p})  # doctest: +SKIP
    >>> feats["ring"]["original_firstorder_Mean"]  # doctest: +SKIP
    """
    from radiomics import imageoperations

    _quiet_radiomics()
    settings = settings or paper_settings()
    extractor = shared_extractor(settings)
    base = extractor.settings.copy()
    if base.get("voxelBased"):
        raise InputError("voxel-based extraction is not supported by extract_features",
                         "remove voxelBased from the settings")
    label = int(base.get("label", 1))
    additional = base.get("additionalInfo", False) and diagnostics
    interpolator = _interpolator(base.get("interpolator"))
    classes, shared_binning = resolve_classes(engine or settings.engine, device or settings.device)
    # the mask check, provenance and shape: pyradiomics' own, or the eprstats engine's (same results,
    # engine/preparation.py)
    prep = preparation_for(engine or settings.engine)

    if base.get("normalize", False):
        image = imageoperations.normalizeImage(image, **base)
    image_info = None
    if additional:
        gi = prep.GeneralInfo()
        gi.addImageElements(image)
        image_info = {k: v for k, v in gi.getGeneralInfo().items() if k.startswith("diagnostics_Image-")}

    prepared: dict = {}
    results = {}
    for roi, raw_mask in masks.items():
        _settings = base.copy()
        info = None
        if additional:
            info = prep.GeneralInfo()
            info.addGeneralSettings(_settings)
            # a copy: the extractor is shared between calls (shared_extractor), a result is the caller's
            info.addEnabledImageTypes(copy.deepcopy(extractor.enabledImagetypes))
            info.generalInfo.update(image_info)
        mask = prep.get_mask(raw_mask, **_settings)
        if info is not None:
            info.addMaskElements(None, mask, label)
        key, how, mask_r = _grid_key(image, mask, _settings, prep)
        del mask  # the full-size UInt32 mask (8 MB for 2 million voxels), not kept while the next one is made
        shared = prepared.get(key)
        if shared is None:
            shared = prepared[key] = _Prepared(_prepare_image(image, how, _settings, interpolator))
        del how  # may hold the full-size mask on the image's grid
        image_r = shared.image
        if info is not None and key[0] == "resample":
            if shared.info is None:
                g = prep.GeneralInfo()
                g.addImageElements(image_r, "interpolated")
                shared.info = {k: v for k, v in g.getGeneralInfo().items() if k.startswith("diagnostics_Image-")}
            info.generalInfo.update(shared.info)
            info.addMaskElements(image_r, mask_r, label, "interpolated")
        elif info is not None and key[0] == "crop" and _settings.get("interpolator") is not None \
                and _settings.get("resampledPixelSpacing") is not None:
            # pyradiomics reports the cropped image as 'interpolated' when no resampling was needed
            if shared.info is None:
                g = prep.GeneralInfo()
                g.addImageElements(image_r, "interpolated")
                shared.info = {k: v for k, v in g.getGeneralInfo().items() if k.startswith("diagnostics_Image-")}
            info.generalInfo.update(shared.info)
            info.addMaskElements(image_r, mask_r, label, "interpolated")

        bb, corrected = prep.check_mask(image_r, mask_r, **_settings)
        if corrected is not None:
            if info is not None:
                info.addMaskElements(image_r, corrected, label, "corrected")
            mask_r = corrected
        resegmented = None
        if _settings.get("resegmentRange") is not None:
            resegmented = imageoperations.resegmentMask(image_r, mask_r, **_settings)
            bb, _ = prep.check_mask(image_r, resegmented, **_settings)
            if info is not None:
                info.addMaskElements(image_r, resegmented, label, "resegmented")

        vector = collections.OrderedDict()
        if info is not None:
            vector.update(info.getGeneralInfo())
        shape_mask = resegmented if (_settings.get("resegmentShape", False) and resegmented is not None) \
            else mask_r
        vector.update(prep.compute_shape(extractor, image_r, shape_mask, bb, **_settings))
        texture_mask = resegmented if resegmented is not None else mask_r
        crop = BoxCrop(texture_mask, bb)  # the mask cropped once for the ROI's ten filtered images

        for image_type, custom in extractor.enabledImagetypes.items():
            args = _settings.copy()
            args.update(custom)
            if image_type in _MASK_FREE_FILTERS and corrected is None:
                if shared.filtered is None:
                    shared.filtered = {}
                if image_type not in shared.filtered:
                    gen = getattr(imageoperations, f"get{image_type}Image")(image_r, texture_mask, **args)
                    shared.filtered[image_type] = list(gen)
                filtered = shared.filtered[image_type]
            else:
                filtered = getattr(imageoperations, f"get{image_type}Image")(image_r, texture_mask, **args)
            for filtered_image, type_name, kwargs in filtered:
                try:
                    vector.update(_compute_features(classes, extractor.enabledFeatures, crop, filtered_image,
                                                    type_name, kwargs))
                finally:
                    if shared_binning is not None:  # one filtered image's discretisation, shared by its classes
                        shared_binning.clear()
        results[roi] = vector
    return results


def _compute_features(classes, enabled, crop, filtered_image, type_name, kwargs):
    # As RadiomicsFeatureExtractor.computeFeatures, with our class table, on the ROI's crop of the image.
    one_pass = getattr(classes, "one_pass", None)
    if one_pass is not None:  # the eprstats engine: every class of this image at once (engine/onepass.py),
        # reading the crop's voxels from the filtered image (no cropped image made unless a class needs one)
        return one_pass(enabled, crop.view(filtered_image, kwargs.get("label", 1)), None, type_name, kwargs)
    image, mask = crop(filtered_image)
    out = collections.OrderedDict()
    for class_name, names in enabled.items():
        if class_name.startswith("shape") or class_name not in classes:
            continue
        fc = classes[class_name](image, mask, **kwargs)
        if names is not None:
            for name in names:
                fc.enableFeatureByName(name)
        for name, value in fc.execute().items():
            out[f"{type_name}_{class_name}_{name}"] = value
    return out


def feature_values(result: Mapping) -> dict[str, float]:
    """The feature entries of a pyradiomics result as plain floats (diagnostics dropped)."""
    return {k: float(v) for k, v in result.items() if not k.startswith("diagnostics_")}


def diagnostic_values(result: Mapping) -> dict[str, str]:
    """The ``diagnostics_*`` entries of a pyradiomics result as text (tuples and dicts via str())."""
    return {k: str(v) for k, v in result.items() if k.startswith("diagnostics_")}
