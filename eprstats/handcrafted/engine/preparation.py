"""The steps before the feature classes that the eprstats engine does faster, with pyradiomics' results.

:func:`preparation_for` gives :func:`~eprstats.handcrafted.extract.extract_features` the pieces of
pyradiomics' per-ROI preparation that an engine may replace: the mask check (``getMask``), the ROI checks
(``_checkROI``, ``checkMask``) and the label's bounding box for the grid key, the provenance class
(``GeneralInfo``) and the shape classes. The pyradiomics engine gets pyradiomics' own; the eprstats engine gets

* :func:`get_mask`: ``radiomics.imageoperations.getMask`` with the labels present found from the mask's
  minimum and maximum (a binary mask: two passes) or ``numpy.bincount`` (about 4x faster than the
  ``numpy.unique`` of pyradiomics on a 2-million-voxel mask; the same sorted labels, so the same mask, the
  same errors and messages);
* :mod:`.label_box`: ``_checkROI``, the grid key's bounding box and ``checkMask`` from the label's bounding
  box found once per mask (instead of two label-shape filters over the full mask and a label-statistics
  filter with histograms over the crop; the same boxes, checks and errors);
* :func:`~.diagnostics.general_info_class`: the image and mask hashes by hashlib, the mask's entries from the
  same bounding boxes, the image's mean without a float64 copy;
* :func:`~.shape.compute_shape`: the shape classes with the marching-cubes mesh in numpy (the C code's values);

and the feature classes get :func:`bin_image`: ``binImage`` with the ROI's extremes from numpy (the same
discretised image).
"""
from __future__ import annotations

from functools import partial
from types import SimpleNamespace

import numpy

from . import fused
from .diagnostics import general_info_class
from .label_box import LabelBoxes, check_mask, check_roi
from .shape import compute_shape

#: Above this largest label value the bincount would need too much memory: numpy.unique, as pyradiomics.
_MAX_BINCOUNT_LABEL = 1 << 20


def get_mask(mask, **kwargs):
    """``radiomics.imageoperations.getMask``: the mask as UInt32 (one channel of a vector segmentation),
    ValueError with pyradiomics' message when it is empty or lacks the label."""
    import SimpleITK as sitk
    from radiomics import imageoperations
    label = kwargs.get("label", 1)
    if "vector" in mask.GetPixelIDTypeAsString().lower():
        return imageoperations.getMask(mask, **kwargs)  # pyradiomics' channel selection and its messages
    raw = sitk.GetArrayViewFromImage(mask).ravel()
    # sitk.Cast with one thread: the same pixels, without the threads' start-up (a one-pass copy of the
    # 2-million-voxel mask: about 0.5 ms CPU less of 1.5, per ROI)
    cast = sitk.CastImageFilter()
    cast.SetOutputPixelType(sitk.sitkUInt32)
    cast.SetNumberOfThreads(1)
    mask = cast.Execute(mask)
    values = sitk.GetArrayViewFromImage(mask).ravel()
    if raw.dtype.kind == "u" and raw.dtype.itemsize <= 4:
        # unsigned labels of up to 32 bits are the same numbers before the cast: read the narrower array (a
        # uint8 mask: a quarter of the bytes; the labels keep the UInt32 dtype below)
        values = raw
    top = int(values.max()) if values.size else 0
    bottom = int(values.min()) if values.size else 0
    if values.size and top - bottom <= 1:  # every value is the minimum or the maximum: they are the labels present
        labels = numpy.unique(numpy.array([bottom, top], dtype=numpy.uint32))
    elif top <= _MAX_BINCOUNT_LABEL:
        labels = numpy.flatnonzero(numpy.bincount(values, minlength=1)).astype(numpy.uint32)
    else:
        labels = numpy.unique(values).astype(numpy.uint32)
    if len(labels) == 1 and labels[0] == 0:
        raise ValueError("No labels found in this mask (i.e. nothing is segmented)!")
    if label not in labels:
        raise ValueError("Label (%g) not present in mask. Choose from %s" % (label, labels[labels != 0]))
    return mask


def preparation_for(engine: str) -> SimpleNamespace:
    """The preparation of ``engine`` for one extraction (pyradiomics' own for the pyradiomics engine):

    * ``get_mask(mask, **settings)``, ``check_roi(image, mask, **settings)`` (``_checkROI``),
      ``check_mask(image, mask, **settings)`` (``checkMask``);
    * ``label_box(mask, label)``: ``LabelShapeStatisticsImageFilter``'s ``GetBoundingBox(label)``;
    * ``GeneralInfo``; ``compute_shape(extractor, image, mask, bounding_box, **settings)``.

    The eprstats engine's functions share the label boxes found in this extraction (:mod:`.label_box`)."""
    if engine == "eprstats":
        boxes = LabelBoxes()
        return SimpleNamespace(get_mask=get_mask, GeneralInfo=general_info_class(boxes),
                               compute_shape=compute_shape, check_roi=partial(check_roi, boxes),
                               check_mask=partial(check_mask, boxes), label_box=boxes.itk_box)
    from radiomics import generalinfo, imageoperations

    def pyradiomics_shape(extractor, image, mask, bounding_box, **settings):
        return extractor.computeShape(image, mask, bounding_box, **settings)
    return SimpleNamespace(get_mask=imageoperations.getMask, GeneralInfo=generalinfo.GeneralInfo,
                           compute_shape=pyradiomics_shape, check_roi=imageoperations._checkROI,
                           check_mask=imageoperations.checkMask, label_box=label_shape_box)


def label_shape_box(mask, label):
    """``LabelShapeStatisticsImageFilter().GetBoundingBox(label)`` of ``mask`` (pyradiomics' way)."""
    import SimpleITK as sitk
    lssif = sitk.LabelShapeStatisticsImageFilter()
    lssif.Execute(mask)
    return lssif.GetBoundingBox(label)


def bin_image(matrix, mask, **settings):
    """``radiomics.imageoperations.binImage(matrix, mask, **settings)`` for a fixed bin width: the same
    discretised array, its edges from numpy's minimum and maximum of the ROI's values (:func:`bin_roi`)."""
    binned, _, edges = bin_roi(matrix, mask, None, settings)
    return binned, edges


def bin_roi(matrix, mask, values, settings):
    """(``binImage``'s discretised array, its values inside ``mask`` -- ``discretised[mask]`` --, its edges);
    ``values``: ``matrix[mask]`` where the caller has it (None: taken here).

    pyradiomics' ``getBinEdges`` takes the ROI's minimum and maximum with Python's built-in ``min`` and
    ``max``, one numpy scalar at a time (about 3 ms for 14,000 voxels, once per filtered image and ROI:
    most of the discretisation's time). ``numpy.min``/``numpy.max`` give the same values when no value is
    NaN (only a zero's sign may differ, which moves no voxel to another bin). ``numpy.digitize`` is
    :func:`.fused.digitize` (the same indices, 10x faster for evenly spaced edges). A bin count, NaN values,
    an empty ROI or a mask that is not one boolean array keep pyradiomics' own function.
    """
    from radiomics import imageoperations
    if settings.get("binCount") is not None or not (isinstance(mask, numpy.ndarray) and mask.dtype == bool
                                                    and mask.shape == matrix.shape):
        binned, edges = imageoperations.binImage(matrix, mask, **settings)
        return binned, binned[mask], edges
    if values is None:
        values = matrix[mask]
    if values.size == 0 or (values.dtype.kind == "f" and numpy.isnan(values).any()):
        binned, edges = imageoperations.binImage(matrix, mask, **settings)
        return binned, binned[mask], edges
    width = settings.get("binWidth", 25)
    minimum, maximum = values.min(), values.max()
    # pyradiomics' getBinEdges from here on
    edges = numpy.arange(minimum - (minimum % width), maximum + 2 * width, width)
    if len(edges) == 1:  # flat region: one bin
        edges = [edges[0] - .5, edges[0] + .5]
    discretised = numpy.zeros(matrix.shape, dtype="int")
    inside = fused.digitize(values, numpy.asarray(edges))
    discretised[mask] = inside
    return discretised, inside, edges


def grey_levels(values):
    """``numpy.unique(values, return_counts=True)`` of the discretised ROI: for non-negative integers (the grey
    levels binImage returns) from ``numpy.bincount``, one pass instead of a sort or hash (the same sorted levels,
    dtype and counts)."""
    if values.dtype.kind in "iu" and values.size and values.min() >= 0:
        counts = numpy.bincount(values)
        levels = numpy.flatnonzero(counts)
        return levels.astype(values.dtype), counts[levels]
    return numpy.unique(values, return_counts=True)
