"""Helpers shared by the handcrafted tests (imported by path: pytest runs with --import-mode=importlib)."""
from __future__ import annotations

import numpy as np


def features_only(result) -> dict:
    return {k: v for k, v in result.items() if not k.startswith("diagnostics_")}


def assert_bit_identical(ours: dict, theirs: dict):
    a, b = features_only(ours), features_only(theirs)
    assert list(a) == list(b)
    different = [k for k in a if not np.array_equal(np.asarray(a[k]), np.asarray(b[k]), equal_nan=True)]
    assert different == [], f"{len(different)} features differ, e.g. {different[:3]}"


def resampled_case(pyrad_data, case):
    """(image, mask, bounding box) of a pyradiomics sample case as the extraction meets them: resampled to 1 mm
    and padded, then checked."""
    import SimpleITK as sitk
    from radiomics import imageoperations
    image = sitk.ReadImage(str(pyrad_data / f"{case}_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / f"{case}_label.nrrd"))
    image, mask = imageoperations.resampleImage(image, mask, resampledPixelSpacing=[1, 1, 1],
                                                interpolator=sitk.sitkBSpline, padDistance=5)
    bb, _ = imageoperations.checkMask(image, mask)
    return image, mask, bb
