"""pyradiomics' provenance entries (``diagnostics_*``) with the image and mask hashes computed by hashlib.

``radiomics.generalinfo.GeneralInfo`` hashes the original image and every original mask with
``SimpleITK.Hash``: the SHA-1 of the pixel buffer, which SimpleITK computes at about 40 MB/s (0.05-0.1 s for a
2-million-voxel abdominal volume, five times per patient of the demo: about 15% of the eprstats engine's
time). ``hashlib.sha1`` of the same bytes (numpy's view of the buffer, C order = ITK's x-fastest layout) is
the same digest 10-20 times faster. :class:`GeneralInfo` is pyradiomics' class with only the two hash lines
changed: the same entries in the same order, with the same values (tested against ``SimpleITK.Hash`` for
every pixel type the extraction meets). Images whose buffer numpy does not view as one plain array (vector
pixels, a big-endian machine) keep ``SimpleITK.Hash``.

Used by the eprstats engine only (the pyradiomics engine keeps pyradiomics' own code throughout).
"""
from __future__ import annotations

import hashlib
import sys

import numpy


def sha1_of_image(image) -> str:
    """``SimpleITK.Hash(image)`` (SHA-1 of the pixel buffer), from hashlib where the buffer is plain."""
    import SimpleITK as sitk
    if sys.byteorder != "little" or image.GetNumberOfComponentsPerPixel() != 1:
        return sitk.Hash(image)
    return hashlib.sha1(numpy.ascontiguousarray(sitk.GetArrayViewFromImage(image)).data).hexdigest()


def general_info_class():
    """pyradiomics' ``GeneralInfo`` with the hashes from :func:`sha1_of_image` (the rest its own code)."""
    import SimpleITK as sitk
    from radiomics import generalinfo

    class GeneralInfo(generalinfo.GeneralInfo):
        def addImageElements(self, image, prefix="original"):
            # pyradiomics 3.1 generalinfo.GeneralInfo.addImageElements, the hash from sha1_of_image
            p = self.generalInfo_prefix
            if prefix == "original":
                self.generalInfo[p + "Image-original_Hash"] = sha1_of_image(image)
                self.generalInfo[p + "Image-original_Dimensionality"] = "%iD" % image.GetDimension()
            self.generalInfo[p + "Image-" + prefix + "_Spacing"] = image.GetSpacing()
            self.generalInfo[p + "Image-" + prefix + "_Size"] = image.GetSize()
            im_arr = sitk.GetArrayFromImage(image).astype("float")
            self.generalInfo[p + "Image-" + prefix + "_Mean"] = numpy.mean(im_arr)
            self.generalInfo[p + "Image-" + prefix + "_Minimum"] = numpy.min(im_arr)
            self.generalInfo[p + "Image-" + prefix + "_Maximum"] = numpy.max(im_arr)

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
            stats = _mask_statistics(image, mask, label)
            if stats is None:  # pyradiomics' own code (and its errors)
                return super().addMaskElements(image, mask, label, prefix)
            for name, value in stats.items():
                self.generalInfo[p + "Mask-" + prefix + "_" + name] = value

    return GeneralInfo


def _mask_statistics(image, mask, label):
    """pyradiomics' mask entries (BoundingBox, VoxelNum, VolumeNum, CenterOfMassIndex, CenterOfMass and, with
    an image, the ROI's Mean, Minimum, Maximum), with the same values, from the label's bounding box.

    pyradiomics runs a label-shape filter, a comparison, a connected-component filter and ``numpy.where`` over
    the whole mask (2 million voxels for the original mask of an abdominal scan, five times per ROI's full
    volume). The bounding box (numpy's projections) and the voxel count are what the label-shape filter
    reports; the connected components, the voxels' indices (in the same C order, so the same mean) and the
    ROI's values all lie inside the bounding box. None where this does not apply (label absent, vector
    pixels, image and mask of different sizes): the caller then runs pyradiomics' code.
    """
    import SimpleITK as sitk
    if mask.GetNumberOfComponentsPerPixel() != 1:
        return None
    selected = sitk.GetArrayViewFromImage(mask) == label
    count = int(numpy.count_nonzero(selected))
    if count == 0 or (image is not None and (image.GetSize() != mask.GetSize()
                                             or image.GetNumberOfComponentsPerPixel() != 1)):
        return None
    axes = range(selected.ndim)
    low, high = [], []
    for axis in axes:  # numpy axes: z, y, x
        present = numpy.flatnonzero(selected.any(axis=tuple(a for a in axes if a != axis)))
        low.append(int(present[0]))
        high.append(int(present[-1]))
    box = tuple(slice(lo, hi + 1) for lo, hi in zip(low, high))
    inside = selected[box]
    ccif = sitk.ConnectedComponentImageFilter()
    ccif.FullyConnectedOn()
    ccif.Execute(sitk.GetImageFromArray(inside.astype(numpy.uint8)))
    coordinates = numpy.array(numpy.where(inside))
    coordinates += numpy.array(low)[:, None]
    center_index = tuple(numpy.mean(coordinates, axis=1)[::-1])  # z, y, x to x, y, z
    stats = {"BoundingBox": tuple(low[::-1]) + tuple(h - lo + 1 for lo, h in zip(low[::-1], high[::-1])),
             "VoxelNum": count, "VolumeNum": ccif.GetObjectCount(), "CenterOfMassIndex": center_index,
             "CenterOfMass": mask.TransformContinuousIndexToPhysicalPoint(center_index)}
    if image is not None:
        values = sitk.GetArrayViewFromImage(image)[box][inside].astype("float")
        stats.update(Mean=numpy.mean(values), Minimum=numpy.min(values), Maximum=numpy.max(values))
    return stats
