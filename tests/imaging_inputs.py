"""Test inputs shared by several test folders: DICOM series written the way scanners export them, and a fast
pyradiomics settings file."""
from __future__ import annotations

from pathlib import Path

import numpy as np

#: A minimal pyradiomics settings file: original image, shape and first order only (seconds per patient).
FAST_RADIOMICS = """
imageType:
  Original: {}
featureClass:
  shape:
  firstorder:
setting:
  binWidth: 25
  resampledPixelSpacing: [1, 1, 1]
  interpolator: sitkLinear
"""


def write_dicom_series(folder, arr: np.ndarray, spacing, origin, series_uid: str, description: str = "",
                       study_uid: str = "1.2.826.0.1.3680043.8.498.1", skip: tuple = (), name_prefix="s",
                       pixel_spacing=None):
    """Write ``arr`` (z, y, x; int16) as one DICOM file per slice with the tags an MR export carries.

    ``skip``: slice indices left out (a missing slice); ``pixel_spacing(k)``: slice ``k``'s in-plane spacing
    (x, y) when it should differ from ``spacing`` (an inconsistent series)."""
    import SimpleITK as sitk
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = sitk.ImageFileWriter()
    writer.KeepOriginalImageUIDOn()
    for k in range(arr.shape[0]):
        if k in skip:
            continue
        sl = sitk.GetImageFromArray(arr[k].astype(np.int16))
        ps = pixel_spacing(k) if pixel_spacing else (spacing[0], spacing[1])
        sl.SetSpacing(ps)
        pos = (origin[0], origin[1], origin[2] + k * spacing[2])
        tags = {
            "0008|0016": "1.2.840.10008.5.1.4.1.1.4",          # MR Image Storage
            "0008|0018": f"{series_uid}.{k + 1}",               # SOP Instance UID
            "0008|0060": "MR",
            "0008|103e": description,
            "0010|0020": "TEST",
            "0020|000d": study_uid,
            "0020|000e": series_uid,
            "0020|0013": str(k + 1),                            # Instance Number
            "0020|0032": "\\".join(f"{v:.4f}" for v in pos),    # Image Position (Patient)
            "0020|0037": "1\\0\\0\\0\\1\\0",                    # Image Orientation (Patient)
            "0028|0030": f"{ps[1]}\\{ps[0]}",                   # Pixel Spacing (row, column)
            "0018|0050": str(spacing[2]),                       # Slice Thickness
        }
        for tag, value in tags.items():
            sl.SetMetaData(tag, value)
        writer.SetFileName(str(folder / f"{name_prefix}{k:03d}.dcm"))
        writer.Execute(sl)
    return folder
