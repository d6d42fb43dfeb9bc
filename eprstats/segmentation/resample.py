"""Resampling to isotropic voxels: images by linear interpolation, masks by nearest neighbour.

The paper resampled every MRI to 1 x 1 x 1 mm with linear interpolation. The new grid covers the same
physical box as the old one: its first voxel's outer corner is the old grid's outer corner, along the same
directions, and the number of voxels along axis ``i`` is ``round(size_i * spacing_i / new_spacing_i)``
(at least 1). Masks are then resampled onto that grid by nearest neighbour, so that a mask's voxels
stay 0/1 and every ROI shares the image's grid.
"""
from __future__ import annotations

import numpy as np

from ..errors import InputError

INTERPOLATORS = ("linear", "nearest", "bspline", "lanczos")


def _sitk():
    import SimpleITK as sitk
    return sitk


def _interpolator(name: str):
    sitk = _sitk()
    table = {"linear": sitk.sitkLinear, "nearest": sitk.sitkNearestNeighbor, "bspline": sitk.sitkBSpline,
             "lanczos": sitk.sitkLanczosWindowedSinc}
    key = str(name).lower()
    if key not in table:
        raise InputError(f"unknown interpolator {name!r}", f"choose one of {', '.join(INTERPOLATORS)}")
    return table[key]


def resampled_grid(image, spacing=(1.0, 1.0, 1.0)) -> dict:
    """The grid :func:`resample_image` resamples onto: ``size``, ``spacing``, ``origin``, ``direction``."""
    dim = image.GetDimension()
    new = np.broadcast_to(np.asarray(spacing, float), (dim,)).copy()
    if np.any(~np.isfinite(new)) or np.any(new <= 0):
        raise InputError(f"voxel spacing {tuple(new)} must be positive numbers of mm",
                         "set e.g. spacing: [1, 1, 1] in the study file")
    old = np.asarray(image.GetSpacing(), float)
    size = np.asarray(image.GetSize(), float)
    new_size = np.maximum(1, np.round(size * old / new)).astype(int)
    direction = np.asarray(image.GetDirection(), float).reshape(dim, dim)
    # Keep the outer corner: the first voxel centre moves by half the change of voxel size.
    origin = np.asarray(image.GetOrigin(), float) + direction @ ((new - old) / 2.0)
    return {"size": [int(s) for s in new_size], "spacing": [float(s) for s in new],
            "origin": [float(o) for o in origin], "direction": [float(d) for d in direction.ravel()]}


def resample_image(image, spacing=(1.0, 1.0, 1.0), interpolator: str = "linear", *, default_value: float = 0.0,
                   pixel_type=None):
    """Resample ``image`` to voxels of ``spacing`` mm (the paper: 1 x 1 x 1 mm, linear).

    Parameters
    ----------
    image : SimpleITK.Image
    spacing : the new voxel size in mm, one number per axis (or one for all).
    interpolator : ``linear`` (default), ``nearest``, ``bspline`` or ``lanczos``.
    default_value : the value of new voxels outside the old grid (only at the far edges, by rounding).
    pixel_type : SimpleITK pixel type of the result; default the input's (as pyradiomics does), e.g.
        ``SimpleITK.sitkFloat32`` to keep the interpolated fractions of an integer image.

    Example
    -------
    >>> iso = resample_image(img, (1, 1, 1))     # doctest: +SKIP
    """
    sitk = _sitk()
    grid = resampled_grid(image, spacing)
    f = sitk.ResampleImageFilter()
    f.SetSize(grid["size"])
    f.SetOutputSpacing(grid["spacing"])
    f.SetOutputOrigin(grid["origin"])
    f.SetOutputDirection(grid["direction"])
    f.SetInterpolator(_interpolator(interpolator))
    f.SetDefaultPixelValue(float(default_value))
    f.SetTransform(sitk.Transform())
    f.SetOutputPixelType(image.GetPixelID() if pixel_type is None else pixel_type)
    return f.Execute(image)


def resample_mask(mask, reference):
    """``mask`` on ``reference``'s grid by nearest neighbour, as a UInt8 0/1 image (outside: 0).

    ``reference`` is usually the resampled image (:func:`resample_image`); the mask may have any grid that
    overlaps it (a Slicer segmentation cropped to its extent included).
    """
    sitk = _sitk()
    binary = sitk.NotEqual(mask, 0)  # UInt8 0/1 whatever the label value
    return sitk.Resample(binary, reference, sitk.Transform(), sitk.sitkNearestNeighbor, 0, sitk.sitkUInt8)
