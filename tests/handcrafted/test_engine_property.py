"""Property test of the eprstats engine: random images and masks (sizes, spacings, bin widths, resampling,
1-voxel and flat ROIs, masks touching the border), every feature against pyradiomics' own extractor within
1e-10 relative (1e-12 absolute near zero); and the MCC's symmetric path itself (numpy and torch on the CPU,
the code that --device cuda runs) against pyradiomics' GLCM class."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from eprstats.handcrafted.extract import extract_features
from eprstats.handcrafted.params import Settings

sys.path.insert(0, str(Path(__file__).parent))
from test_engine import assert_equal_within_tolerance, pyradiomics_reference  # noqa: E402

CLASSES = {c: None for c in ("shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm")}


def random_case(seed: int):
    """(image, mask, settings, kind) drawn from seed; kind names the special case."""
    import SimpleITK as sitk
    from scipy.ndimage import gaussian_filter

    rng = np.random.default_rng(seed)
    kind = ["blob", "blob", "border", "flat", "one-voxel", "two-voxels"][seed % 6]
    shape = tuple(int(n) for n in rng.integers(5, 16, 3))
    spacing = tuple(float(s) for s in rng.choice([0.5, 0.8, 1.0, 2.0, 3.0], 3))
    level = float(rng.choice([100.0, 800.0]))
    noise = gaussian_filter(rng.normal(0, 1, shape), rng.uniform(0.3, 1.5))
    image = (level + level * 0.2 * noise / (noise.std() + 1e-12)).astype(np.float32)
    field = gaussian_filter(rng.normal(0, 1, shape), 1.5)
    mask = field > np.quantile(field, rng.uniform(0.4, 0.8))
    if kind == "border":  # the ROI reaches the image's faces
        mask[0, :, :] |= field[0] > np.median(field[0])
        mask[:, :, -1] = True
    elif kind == "flat":
        image[mask] = level
    elif kind in ("one-voxel", "two-voxels"):
        mask[:] = False
        z, y, x = (int(rng.integers(0, n)) for n in shape)
        mask[z, y, x] = True
        if kind == "two-voxels":
            mask[z, y, (x + 1) % shape[2]] = True
    img = sitk.GetImageFromArray(image)
    img.SetSpacing(spacing)
    img.SetOrigin(tuple(float(o) for o in rng.uniform(-50, 50, 3)))
    msk = sitk.GetImageFromArray(mask.astype(np.uint8))
    msk.CopyInformation(img)
    # at most about 150 grey levels: pyradiomics' own MCC (the reference) is O(Ng^3) per angle
    bin_width = float(rng.choice([1.0, 5.0] if level == 100.0 else [25.0, 50.0]))
    setting = {"label": 1, "binWidth": bin_width, "minimumROIDimensions": 1}
    if rng.random() < 0.5:
        setting.update(resampledPixelSpacing=[1, 1, 1], interpolator="sitkLinear", padDistance=5)
    image_types = {"Original": {}}
    if rng.random() < 0.5 and min(shape) >= 6:
        image_types.update(LoG={"sigma": [1.0]}, Wavelet={})
    return img, msk, Settings(setting=setting, imageType=image_types, featureClass=dict(CLASSES)), kind


def _outcome(fn):
    try:
        return fn(), None
    except Exception as exc:  # pyradiomics' own errors (a ROI pyradiomics refuses): both must refuse it
        return None, (type(exc).__name__, str(exc))


def _check(seed):
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    image, mask, settings, kind = random_case(seed)
    theirs, their_error = _outcome(lambda: pyradiomics_reference(image, mask, settings))
    ours, our_error = _outcome(lambda: extract_features(image, {"roi": mask}, settings, engine="eprstats")["roi"])
    assert our_error == their_error, f"seed {seed} ({kind})"
    if theirs is not None:
        assert_equal_within_tolerance(ours, theirs, f"seed {seed} ({kind})")
    return kind, their_error


def test_random_images_and_masks():
    kinds = [_check(seed) for seed in range(12)]
    assert {k for k, _ in kinds} == {"blob", "border", "flat", "one-voxel", "two-voxels"}
    assert any(err is not None for _, err in kinds) and any(err is None for _, err in kinds)


@pytest.mark.slow
@pytest.mark.parametrize("block", range(4))
def test_random_images_and_masks_more(block, request):
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the full equality sweep: run with -m slow")
    for seed in range(12 + 25 * block, 12 + 25 * (block + 1)):
        _check(seed)


def _glcm_pair(pyrad_data, bin_width, torch_device):
    """pyradiomics' GLCM class and the engine's, on brain1 at this bin width (many grey levels)."""
    import SimpleITK as sitk
    from radiomics.glcm import RadiomicsGLCM

    from eprstats.handcrafted.engine.classes import engine_classes
    image = sitk.ReadImage(str(pyrad_data / "brain1_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / "brain1_label.nrrd"))
    table, _ = engine_classes(torch_device)
    return RadiomicsGLCM(image, mask, binWidth=bin_width), table["glcm"](image, mask, binWidth=bin_width)


@pytest.mark.parametrize("torch_device", [None, "cpu"])
@pytest.mark.parametrize("bin_width", [10, 25])
def test_mcc_symmetric_path_equals_pyradiomics(pyrad_data, torch_device, bin_width):
    """numpy (--device cpu) and torch float64 on the CPU (the code --device cuda runs; no GPU here)."""
    from eprstats.handcrafted.engine.mcc import mcc_fast
    if torch_device is not None:
        pytest.importorskip("torch")
    theirs, ours = _glcm_pair(pyrad_data, bin_width, torch_device)
    theirs.enableFeatureByName("MCC")
    ours.enableFeatureByName("MCC")
    ref = float(theirs.execute()["MCC"])
    value = float(ours.execute()["MCC"])
    assert abs(value - ref) <= 1e-10 * abs(ref)
    # the symmetric path itself was taken (not the exact fallback)
    c = ours.coefficients
    assert mcc_fast(ours.P_glcm, c["px"], c["py"], c["eps"], torch_device) is not None
