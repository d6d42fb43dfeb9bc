"""pyradiomics' provenance entries (``diagnostics_*``) with the image and mask hashes computed by hashlib.

``radiomics.generalinfo.GeneralInfo`` hashes the original image and every original mask with
``SimpleITK.Hash``: the SHA-1 of the pixel buffer, which SimpleITK computes at about 40 MB/s (0.05-0.1 s for a
2-million-voxel abdominal volume, five times per patient of the demo: about 15% of the eprstats engine's
time). ``hashlib.sha1`` of the same bytes (numpy's view of the buffer, C order = ITK's x-fastest layout) is
the same digest 10-20 times faster. :class:`GeneralInfo` is pyradiomics' class with only the two hash lines
changed: the same entries in the same order, with the same values (tested against ``SimpleITK.Hash`` for
every pixel type the extraction meets). Images whose buffer numpy does not view as one plain array (vector
pixels, a big-endian machine) keep ``SimpleITK.Hash``.

The mean, minimum and maximum of an integer image come from the integers themselves (no float64 copy of the
whole image: the same values, below); the mask's entries from its label's bounding box, found once per mask
(:mod:`.label_box`), and a connected-component count done once for a ROI whose cropped mask holds the same
voxels as the original (pyradiomics counts them on both).

Used by the eprstats engine only (the pyradiomics engine keeps pyradiomics' own code throughout).
"""
from __future__ import annotations

import hashlib
import sys
import weakref

import numpy

from . import native
from .label_box import LabelBoxes

#: The component count compiled (engine/_prep.c); None: SimpleITK's filter.
_C = native.load("_prep")


def sha1_of_image(image) -> str:
    """``SimpleITK.Hash(image)`` (SHA-1 of the pixel buffer), from hashlib where the buffer is plain."""
    import SimpleITK as sitk
    if sys.byteorder != "little" or image.GetNumberOfComponentsPerPixel() != 1:
        return sitk.Hash(image)
    return hashlib.sha1(numpy.ascontiguousarray(sitk.GetArrayViewFromImage(image)).data).hexdigest()


def mean_min_max(image):
    """``numpy.mean``, ``min`` and ``max`` of ``sitk.GetArrayFromImage(image).astype("float")``, as pyradiomics
    computes them.

    For integer pixels the sum is taken in int64: exact, and equal to the float64 sum pyradiomics takes in any
    order as long as every partial sum is an integer below 2**53 in magnitude (bounded by the voxel count
    times the largest magnitude, checked), so the mean -- that sum over the count, one division -- is the same
    float; the extremes are the integers converted. Other pixel types: pyradiomics' float64 copy."""
    import SimpleITK as sitk
    values = sitk.GetArrayViewFromImage(image)
    if values.dtype.kind in "iu" and values.size:
        low, high = int(values.min()), int(values.max())
        if values.size * max(abs(low), abs(high)) < 2 ** 53:
            total = numpy.float64(int(values.sum(dtype=numpy.int64)))
            return total / values.size, numpy.float64(low), numpy.float64(high)
    as_float = sitk.GetArrayFromImage(image).astype("float")
    return numpy.mean(as_float), numpy.min(as_float), numpy.max(as_float)


def general_info_class(boxes: LabelBoxes | None = None):
    """pyradiomics' ``GeneralInfo`` with the hashes from :func:`sha1_of_image`, the image statistics from
    :func:`mean_min_max` and the mask's from :func:`_mask_statistics` (the rest its own code); ``boxes``: the
    label boxes shared with the ROI checks of the same extraction."""
    from radiomics import generalinfo
    boxes = boxes if boxes is not None else LabelBoxes()
    components = _ComponentCount()
    # the original image's hash and statistics, once per image: every ROI of an extraction adds the same image's
    # entries (about 4 ms a ROI for the demo's 2-million-voxel image); kept while that image object lives
    # (an image's pixels are not changed during an extraction)
    kept: dict = {}

    def once(function, image):
        key = (function, id(image))
        hit = kept.get(key)
        if hit is not None and hit[0]() is image:
            return hit[1]
        value = function(image)
        for old in [k for k, (ref, _) in kept.items() if ref() is None]:
            del kept[old]
        kept[key] = (weakref.ref(image), value)
        return value

    class GeneralInfo(generalinfo.GeneralInfo):
        def addImageElements(self, image, prefix="original"):
            # pyradiomics 3.1 generalinfo.GeneralInfo.addImageElements, the hash from sha1_of_image
            p = self.generalInfo_prefix
            if prefix == "original":
                self.generalInfo[p + "Image-original_Hash"] = once(sha1_of_image, image)
                self.generalInfo[p + "Image-original_Dimensionality"] = "%iD" % image.GetDimension()
            self.generalInfo[p + "Image-" + prefix + "_Spacing"] = image.GetSpacing()
            self.generalInfo[p + "Image-" + prefix + "_Size"] = image.GetSize()
            mean, minimum, maximum = once(mean_min_max, image)
            self.generalInfo[p + "Image-" + prefix + "_Mean"] = mean
            self.generalInfo[p + "Image-" + prefix + "_Minimum"] = minimum
            self.generalInfo[p + "Image-" + prefix + "_Maximum"] = maximum

        def addMaskElements(self, image, mask, label, prefix="original"):
            # pyradiomics 3.1 generalinfo.GeneralInfo.addMaskElements, the hash from sha1_of_image and the
            # label's statistics from its bounding box (_mask_statistics)
            if mask is None:
                return
            p = self.generalInfo_prefix
            if prefix == "original":
                self.generalInfo[p + "Mask-original_Hash"] = sha1_of_image(mask)
            self.generalInfo[p + "Mask-" + prefix + "_Spacing"] = mask.GetSpacing()
            self.generalInfo[p + "Mask-" + prefix + "_Size"] = mask.GetSize()
            stats = _mask_statistics(image, mask, label, boxes, components)
            if stats is None:  # pyradiomics' own code (and its errors)
                return super().addMaskElements(image, mask, label, prefix)
            for name, value in stats.items():
                self.generalInfo[p + "Mask-" + prefix + "_" + name] = value

    return GeneralInfo


class _ComponentCount:
    """The number of 26-connected (8 in 2-D) components of a boolean array, by SimpleITK's filter as
    pyradiomics, remembered for the last array (the original mask's box and its crop's are the same voxels)."""

    def __init__(self):
        self._last = None

    def __call__(self, inside):
        import SimpleITK as sitk
        if self._last is not None and numpy.array_equal(self._last[0], inside):
            return self._last[1]
        if _C is not None and inside.ndim in (2, 3):
            # a flood fill over the 26 (8) neighbours: the filter's count without building an image and a
            # label map (about 3 ms a ROI on the demo)
            out = numpy.zeros(1, dtype=numpy.int64)
            _C.components(numpy.ascontiguousarray(inside, dtype=numpy.uint8), *((1,) * (3 - inside.ndim)),
                          *inside.shape, out)
            self._last = (inside, int(out[0]))
            return self._last[1]
        ccif = sitk.ConnectedComponentImageFilter()
        ccif.FullyConnectedOn()
        # one thread: the same count; on a ROI's box (tens of thousands of voxels) a second thread costs more
        # CPU than it saves (2.6 against 1.8 ms CPU on the demo's ring, machine loaded)
        ccif.SetNumberOfThreads(1)
        ccif.Execute(sitk.GetImageFromArray(inside.astype(numpy.uint8)))
        self._last = (inside, ccif.GetObjectCount())
        return self._last[1]


def _mask_statistics(image, mask, label, boxes, components):
    """pyradiomics' mask entries (BoundingBox, VoxelNum, VolumeNum, CenterOfMassIndex, CenterOfMass and, with
    an image, the ROI's Mean, Minimum, Maximum), with the same values, from the label's bounding box.

    pyradiomics runs a label-shape filter, a comparison, a connected-component filter and ``numpy.where`` over
    the whole mask (2 million voxels for the original mask of an abdominal scan, five times per ROI's full
    volume). The bounding box and the voxel count (``boxes``) are what the label-shape filter reports; the
    connected components, the voxels' indices (in the same C order, so the same mean) and the ROI's values all
    lie inside the bounding box. None where this does not apply (label absent, vector pixels, image and mask
    of different sizes): the caller then runs pyradiomics' code.
    """
    import SimpleITK as sitk
    box = boxes.get(mask, label)
    if box is None or box.count == 0 or (image is not None and (image.GetSize() != mask.GetSize()
                                                                or image.GetNumberOfComponentsPerPixel() != 1)):
        return None
    low = box.low
    inside = sitk.GetArrayViewFromImage(mask)[box.slices()] == label
    coordinates = numpy.array(numpy.where(inside))
    coordinates += numpy.array(low)[:, None]
    center_index = tuple(numpy.mean(coordinates, axis=1)[::-1])  # z, y, x to x, y, z
    stats = {"BoundingBox": box.itk_lower_size(), "VoxelNum": box.count, "VolumeNum": components(inside),
             "CenterOfMassIndex": center_index,
             "CenterOfMass": mask.TransformContinuousIndexToPhysicalPoint(center_index)}
    if image is not None:
        values = sitk.GetArrayViewFromImage(image)[box.slices()][inside].astype("float")
        stats.update(Mean=numpy.mean(values), Minimum=numpy.min(values), Maximum=numpy.max(values))
    return stats
