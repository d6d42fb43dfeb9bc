"""Features against published reference values: pyradiomics' own baseline for its sample images, and the
IBSI 1 digital phantom's consensus values."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.handcrafted import extract_features
from eprstats.handcrafted.params import Settings

sys.path.insert(0, str(Path(__file__).parent))
from ibsi_map import IBSI_MAP, IBSI_PHANTOM_SETTINGS, TRANSFORM, rounding_halfwidth  # noqa: E402

CLASSES = ("firstorder", "glcm", "gldm", "glrlm", "glszm", "ngtdm", "shape")

# Measured: for brain1 (only), pyradiomics 3.1's mesh-based shape features differ from the baseline made with
# pyradiomics 1.3 by 0.01-0.1 % (our values equal pyradiomics 3.1's own extractor: see test_extract.py).
# Every other baseline value of brain1, brain2 and breast1 matches to 1e-5 relative.
MESH_CHANGED_SINCE_BASELINE = {("brain1", "original_shape_MeshVolume"), ("brain1", "original_shape_SurfaceArea"),
                               ("brain1", "original_shape_SurfaceVolumeRatio"),
                               ("brain1", "original_shape_Sphericity")}


def _baseline(pyrad_data):
    frames = {c: pd.read_csv(pyrad_data / "baseline" / f"baseline_{c}.csv", index_col=0) for c in CLASSES}
    return frames


COLUMNS = ["brain1", "brain1_FBN", "brain1_resampling", "brain1_normalization", "brain1_resegmentation",
           "brain1_flatRegion", "brain1_combined", "brain1_2d",
           "brain2", "brain2_FBN", "brain2_resampling", "breast1", "breast1_FBN", "breast1_resampling"]


@pytest.mark.parametrize("column", COLUMNS)
def test_original_features_equal_pyradiomics_baseline(pyrad_data, column):
    """Settings come from the column's own diagnostics_Configuration_* rows."""
    import SimpleITK as sitk
    frames = {c: f for c, f in _baseline(pyrad_data).items() if column in f.columns}
    first = next(iter(frames.values()))
    setting = ast.literal_eval(first.loc["diagnostics_Configuration_Settings", column])
    setting.pop("additionalInfo", None)
    image_types = ast.literal_eval(first.loc["diagnostics_Configuration_EnabledImageTypes", column])
    settings = Settings(setting=setting, imageType=image_types, featureClass={c: None for c in frames})
    case = column.split("_")[0]
    image = sitk.ReadImage(str(pyrad_data / f"{case}_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / f"{case}_label.nrrd"))
    ours = extract_features(image, {"roi": mask}, settings)["roi"]
    compared, wrong = 0, []
    for frame in frames.values():
        for name, value in frame[column].items():
            if name.startswith("diagnostics_") or pd.isna(value):
                continue
            compared += 1
            rtol = 1e-3 if (case, name) in MESH_CHANGED_SINCE_BASELINE and column == case else 1e-5
            if name not in ours or not np.isclose(float(ours[name]), float(value), rtol=rtol, atol=1e-9):
                wrong.append((name, ours.get(name), value))
    assert compared >= 40
    assert wrong == []


# Measured on the phantom (docs/handcrafted.md): 100 of 102 mapped features inside IBSI's tolerance; the PCA
# minor and least axis lengths are not (pyradiomics 9.24 and 8.48 vs IBSI 9.31 +- 0.06 and 8.54 +- 0.05).
IBSI_OUTSIDE = {"original_shape_MinorAxisLength", "original_shape_LeastAxisLength"}


def test_ibsi_digital_phantom(shared_data):
    import SimpleITK as sitk
    folder = shared_data / "ibsi"
    image = sitk.ReadImage(str(folder / "digital_phantom_image.nii.gz"))
    mask = sitk.ReadImage(str(folder / "digital_phantom_mask.nii.gz"))
    ours = extract_features(image, {"phantom": mask}, Settings(**IBSI_PHANTOM_SETTINGS))["phantom"]
    ref = pd.read_csv(folder / "ibsi_1_digital_phantom_reference_values.csv", sep=";", dtype=str).set_index("tag")
    inside, outside = [], []
    for name, tag in IBSI_MAP.items():
        value = TRANSFORM.get(name, float)(float(ours[name]))
        text = ref.loc[tag, "reference value"]
        limit = float(ref.loc[tag, "tolerance"]) + rounding_halfwidth(text)
        (inside if abs(value - float(text)) <= limit * (1 + 1e-9) else outside).append(name)
    assert set(outside) == IBSI_OUTSIDE
    assert len(inside) == 100
