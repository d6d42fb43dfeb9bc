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
            # pyradiomics 3.1 generalinfo.GeneralInfo.addMaskElements, the hash from sha1_of_image
            if mask is None:
                return
            p = self.generalInfo_prefix
            if prefix == "original":
                self.generalInfo[p + "Mask-original_Hash"] = sha1_of_image(mask)
            self.generalInfo[p + "Mask-" + prefix + "_Spacing"] = mask.GetSpacing()
            self.generalInfo[p + "Mask-" + prefix + "_Size"] = mask.GetSize()
            lssif = sitk.LabelShapeStatisticsImageFilter()
            lssif.Execute(mask)
            self.generalInfo[p + "Mask-" + prefix + "_BoundingBox"] = lssif.GetBoundingBox(int(label))
            self.generalInfo[p + "Mask-" + prefix + "_VoxelNum"] = lssif.GetNumberOfPixels(int(label))
            labelMap = (mask == label)
            ccif = sitk.ConnectedComponentImageFilter()
            ccif.FullyConnectedOn()
            ccif.Execute(labelMap)
            self.generalInfo[p + "Mask-" + prefix + "_VolumeNum"] = ccif.GetObjectCount()
            ma_arr = sitk.GetArrayFromImage(labelMap) == 1
            maskCoordinates = numpy.array(numpy.where(ma_arr))
            center_index = tuple(numpy.mean(maskCoordinates, axis=1)[::-1])  # z, y, x to x, y, z
            self.generalInfo[p + "Mask-" + prefix + "_CenterOfMassIndex"] = center_index
            self.generalInfo[p + "Mask-" + prefix + "_CenterOfMass"] = \
                mask.TransformContinuousIndexToPhysicalPoint(center_index)
            if image is None:
                return
            im_arr = sitk.GetArrayFromImage(image)
            targetvoxels = im_arr[ma_arr].astype("float")
            self.generalInfo[p + "Mask-" + prefix + "_Mean"] = numpy.mean(targetvoxels)
            self.generalInfo[p + "Mask-" + prefix + "_Minimum"] = numpy.min(targetvoxels)
            self.generalInfo[p + "Mask-" + prefix + "_Maximum"] = numpy.max(targetvoxels)

    return GeneralInfo
