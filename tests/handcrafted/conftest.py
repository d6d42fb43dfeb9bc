"""Shared helpers for the handcrafted-feature tests: real pyradiomics sample images, ROIs made by
SimpleITK's own morphology (independent of eprstats.segmentation)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pyrad_data(shared_data):
    folder = shared_data / "pyradiomics"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    return folder


@pytest.fixture(scope="session")
def brain2(pyrad_data):
    """brain2 (real MRI, 0.78 x 0.78 x 6.5 mm) with tumour, a 2-voxel in-plane ring and tumour plus ring."""
    import SimpleITK as sitk
    image = sitk.ReadImage(str(pyrad_data / "brain2_image.nrrd"))
    tumour = sitk.Cast(sitk.ReadImage(str(pyrad_data / "brain2_label.nrrd")) == 1, sitk.sitkUInt8)
    plus = sitk.BinaryDilate(tumour, [2, 2, 1])
    ring = sitk.Cast(plus - tumour, sitk.sitkUInt8)
    return image, {"tumour": tumour, "ring": ring, "plus": plus}
