"""The eprstats engine against pyradiomics' own extractor (RadiomicsFeatureExtractor.execute, one ROI at a
time): every feature within 1e-10 relative (1e-12 absolute near zero), on the IBSI digital phantom,
pyradiomics' baseline cases, the demo's ROIs at the paper's settings and random images and masks
(tests/handcrafted/test_engine_property.py)."""
from __future__ import annotations

import ast
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError
from eprstats.handcrafted.extract import diagnostic_values, extract_features
from eprstats.handcrafted.params import Settings, paper_settings

sys.path.insert(0, str(Path(__file__).parent))
from ibsi_map import IBSI_PHANTOM_SETTINGS  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12


def pyradiomics_reference(image, mask, settings: Settings) -> dict:
    """pyradiomics' own extractor, unchanged: the reference values."""
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    out = settings.extractor().execute(image, mask)
    return {k: float(v) for k, v in out.items() if not k.startswith("diagnostics_")}


def assert_equal_within_tolerance(ours: dict, theirs: dict, where: str = ""):
    a = {k: float(v) for k, v in ours.items() if not k.startswith("diagnostics_")}
    assert list(a) == list(theirs), f"{where}: the feature names or their order differ"
    wrong = []
    for name, ref in theirs.items():
        value = a[name]
        if np.isnan(ref) and np.isnan(value):
            continue
        if not abs(value - ref) <= max(RTOL * abs(ref), ATOL):
            wrong.append((name, value, ref))
    assert wrong == [], f"{where}: {len(wrong)} features differ, e.g. {wrong[:3]}"


def engine_features(image, masks: dict, settings: Settings) -> dict:
    return extract_features(image, masks, settings, engine="eprstats")


def test_ibsi_digital_phantom(shared_data):
    import SimpleITK as sitk
    folder = shared_data / "ibsi"
    image = sitk.ReadImage(str(folder / "digital_phantom_image.nii.gz"))
    mask = sitk.ReadImage(str(folder / "digital_phantom_mask.nii.gz"))
    settings = Settings(**IBSI_PHANTOM_SETTINGS)
    ours = engine_features(image, {"phantom": mask}, settings)["phantom"]
    assert_equal_within_tolerance(ours, pyradiomics_reference(image, mask, settings), "IBSI phantom")


def test_ibsi_digital_phantom_without_the_kernels_that_have_a_numpy_path(shared_data, monkeypatch):
    """engine/_prep.c and _mcc.c not built (native.WITH_FALLBACK): first order, shape, the diagnostics and the
    MCC take their numpy (SimpleITK) paths, and every feature still equals pyradiomics'."""
    import SimpleITK as sitk

    from eprstats.handcrafted.engine import diagnostics, firstorder, mcc, shape
    for module in (diagnostics, firstorder, mcc, shape):
        monkeypatch.setattr(module, "_C", None)
    folder = shared_data / "ibsi"
    image = sitk.ReadImage(str(folder / "digital_phantom_image.nii.gz"))
    mask = sitk.ReadImage(str(folder / "digital_phantom_mask.nii.gz"))
    settings = Settings(**IBSI_PHANTOM_SETTINGS)
    ours = engine_features(image, {"phantom": mask}, settings)["phantom"]
    assert_equal_within_tolerance(ours, pyradiomics_reference(image, mask, settings), "IBSI phantom, numpy paths")


COLUMNS = ["brain1", "brain1_FBN", "brain1_resampling", "brain1_normalization", "brain1_resegmentation",
           "brain1_flatRegion", "brain1_combined", "brain1_2d",
           "brain2", "brain2_FBN", "brain2_resampling", "breast1", "breast1_FBN", "breast1_resampling"]


@pytest.mark.parametrize("column", COLUMNS)
def test_pyradiomics_baseline_cases(pyrad_data, column):
    """Each baseline column's own settings (its diagnostics_Configuration_* rows), all classes."""
    import SimpleITK as sitk
    first = pd.read_csv(pyrad_data / "baseline" / "baseline_glcm.csv", index_col=0)
    setting = ast.literal_eval(first.loc["diagnostics_Configuration_Settings", column])
    setting.pop("additionalInfo", None)
    image_types = ast.literal_eval(first.loc["diagnostics_Configuration_EnabledImageTypes", column])
    settings = Settings(setting=setting, imageType=image_types,
                        featureClass={c: None for c in ("shape", "firstorder", "glcm", "glrlm", "glszm",
                                                                  "gldm", "ngtdm")})
    case = column.split("_")[0]
    image = sitk.ReadImage(str(pyrad_data / f"{case}_image.nrrd"))
    mask = sitk.ReadImage(str(pyrad_data / f"{case}_label.nrrd"))
    ours = engine_features(image, {"roi": mask}, settings)["roi"]
    assert_equal_within_tolerance(ours, pyradiomics_reference(image, mask, settings), column)


def _demo_patient(seed: int):
    """One patient of the full demo (eprstats/study/demo.py: 0.8 x 0.8 x 3 mm, tumours 2-4 cm), resampled to
    1 mm and its ROIs derived as the study does (tumour, 3 mm ring, tumour plus ring, second reader)."""
    import SimpleITK as sitk

    from eprstats.segmentation.resample import resample_image, resample_mask
    from eprstats.segmentation.rois import derive_rois
    from eprstats.study.demo import _patient_volumes

    spacing = (0.8, 0.8, 3.0)
    phases, masks, _ = _patient_volumes(np.random.default_rng(seed), 1, (40, 160, 160), spacing, (20.0, 40.0))

    def image_of(array, dtype):
        img = sitk.GetImageFromArray(array.astype(dtype))
        img.SetSpacing(spacing)
        return img
    image = resample_image(image_of(phases["PVP"], np.int16), [1.0, 1.0, 1.0])
    tumour = resample_mask(image_of(masks["mask"], np.uint8), image)
    liver = resample_mask(image_of(masks["liver"], np.uint8), image)
    rois = derive_rois(tumour, 3.0, liver)
    rois["reader2"] = resample_mask(image_of(masks["mask_reader2"], np.uint8), image)
    return image, rois


def _check_demo(seed, names):
    """Every feature within the tolerance, and every diagnostics entry (hashes, bounding boxes, ...) equal to
    pyradiomics' own."""
    import radiomics
    radiomics.setVerbosity(logging.ERROR)
    image, rois = _demo_patient(seed)
    settings = paper_settings()
    ours = engine_features(image, {n: rois[n] for n in names}, settings)
    for name in names:
        theirs = settings.extractor().execute(image, rois[name])
        assert_equal_within_tolerance(ours[name], {k: float(v) for k, v in theirs.items()
                                                   if not k.startswith("diagnostics_")},
                                      f"demo patient {seed}, {name}")
        assert diagnostic_values(ours[name]) == diagnostic_values(theirs), f"demo patient {seed}, {name}"


def test_demo_rois_at_the_paper_settings():
    _check_demo(11, ["tumour", "ring"])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [12, 13])
def test_demo_rois_at_the_paper_settings_all(seed, request):
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the full equality sweep: run with -m slow")
    _check_demo(seed, ["tumour", "ring", "plus", "reader2"])


@pytest.mark.parametrize("dtype", ["uint8", "int16", "uint32", "float32", "float64"])
def test_image_hash_equals_simpleitk(dtype):
    """The engine's diagnostics hash (hashlib) is SimpleITK.Hash, the digest pyradiomics records."""
    import SimpleITK as sitk

    from eprstats.handcrafted.engine.diagnostics import sha1_of_image
    values = np.random.default_rng(5).normal(100, 40, (7, 9, 11)).astype(dtype)
    image = sitk.GetImageFromArray(values)
    image.SetSpacing((0.7, 0.8, 3.0))
    assert sha1_of_image(image) == sitk.Hash(image)
    cropped = image[1:8, 2:7, 0:5]  # a view-free crop, as the extraction's
    assert sha1_of_image(cropped) == sitk.Hash(cropped)


@pytest.mark.parametrize("values, label", [([0, 1, 1, 3], 1), ([0, 3, 7, 7], 7), ([0, 0, 0, 0], 1),
                                           ([0, 2, 5, 5], 1), ([4, 4, 4, 4], 4)])
def test_mask_check_equals_pyradiomics(values, label):
    """The engine's getMask: the same UInt32 mask, or the same ValueError with the same message."""
    import SimpleITK as sitk
    from radiomics import imageoperations

    from eprstats.handcrafted.engine.preparation import get_mask
    mask = sitk.GetImageFromArray(np.resize(np.array(values, dtype=np.uint8), (3, 4, 5)))
    theirs, their_error = _outcome(lambda: imageoperations.getMask(mask, label=label))
    ours, our_error = _outcome(lambda: get_mask(mask, label=label))
    assert our_error == their_error
    if theirs is not None:
        assert ours.GetPixelID() == theirs.GetPixelID() == sitk.sitkUInt32
        assert sitk.Hash(ours) == sitk.Hash(theirs)


def _outcome(fn):
    try:
        return fn(), None
    except ValueError as exc:
        return None, str(exc)


def test_unknown_engine_and_device_are_refused_with_the_fix():
    with pytest.raises(InputError, match="unknown feature engine 'fast'") as err:
        paper_settings().with_engine("fast")
    assert "radiomics_engine" in err.value.fix
    with pytest.raises(InputError, match="needs the eprstats engine"):
        paper_settings().with_engine("pyradiomics", "cuda")
    with pytest.raises(InputError, match="unknown device"):
        paper_settings().with_engine("eprstats", "tpu")


def test_the_engine_is_part_of_the_settings_hash():
    base = paper_settings()
    # the pyradiomics engine keeps the cache keys made before engines existed (frozen: this hash at main
    # 6fa1fa9, when pyradiomics was the default); the eprstats engine, the default since #25, has its own
    assert base.with_engine("pyradiomics", "cpu").hash == \
        "a3548cec63c2ebf813af955c67e041854f4b91b03eb3f6f299cb87de519bd8e6"
    assert base.hash == base.with_engine("eprstats", "cpu").hash != base.with_engine("pyradiomics").hash


def test_command_line_engine_option(tmp_path, shared_data, run_cli):
    """``eprstats extract --engine eprstats`` on the IBSI phantom: the tables equal pyradiomics' own values; the
    engine is recorded in the provenance; a cuda request without a GPU (or with the pyradiomics engine) is
    refused before any work with exit code 2."""
    import json

    import SimpleITK as sitk
    import yaml
    folder = shared_data / "ibsi"
    image, mask = folder / "digital_phantom_image.nii.gz", folder / "digital_phantom_mask.nii.gz"
    pd.DataFrame([{"id": "phantom", "image": image, "mask": mask}]).to_csv(tmp_path / "cases.csv", index=False)
    (tmp_path / "ibsi.yaml").write_text(yaml.safe_dump(IBSI_PHANTOM_SETTINGS, sort_keys=False))
    code, _, err = run_cli("extract", tmp_path / "cases.csv", "--out", tmp_path / "out", "--jobs", "1",
                           "--params", tmp_path / "ibsi.yaml", "--engine", "eprstats", "--no-progress")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "out" / "features_roi.csv").set_index("id")
    theirs = pyradiomics_reference(sitk.ReadImage(str(image)), sitk.ReadImage(str(mask)),
                                   Settings(**IBSI_PHANTOM_SETTINGS))
    assert_equal_within_tolerance(table.loc["phantom"].to_dict(), theirs, "command line")
    provenance = json.loads((tmp_path / "out" / "extraction.provenance.json").read_text())
    assert "eprstats" in json.dumps(provenance)
    code, _, err = run_cli("extract", tmp_path / "cases.csv", "--out", tmp_path / "out2", "--params",
                           tmp_path / "ibsi.yaml", "--engine", "pyradiomics", "--device", "cuda", "--no-progress")
    assert code == 2 and "eprstats engine" in err
    try:
        import torch
        has_gpu = torch.cuda.is_available()
    except ImportError:
        has_gpu = False
    if not has_gpu:
        code, _, err = run_cli("extract", tmp_path / "cases.csv", "--out", tmp_path / "out3", "--params",
                               tmp_path / "ibsi.yaml", "--engine", "eprstats", "--device", "cuda",
                               "--no-progress")
        assert code == 2 and "no CUDA GPU" in err
