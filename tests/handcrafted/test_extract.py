"""extract_features shares resampling and filtering between ROIs and must equal pyradiomics' own extractor,
run separately for each ROI, bit for bit."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from eprstats.handcrafted import extract_features, feature_classes, paper_settings
from eprstats.handcrafted.extract import _grid_key
from eprstats.handcrafted.params import Settings

sys.path.insert(0, str(Path(__file__).parent))
from handcrafted_helpers import assert_bit_identical  # noqa: E402


@pytest.mark.slow
def test_three_rois_equal_pyradiomics_per_roi_with_the_paper_settings(brain2):
    """Real MRI at 0.78 x 0.78 x 6.5 mm, resampled to 1 mm (linear), LoG, 8 wavelets, all classes."""
    image, masks = brain2
    settings = paper_settings().with_engine("pyradiomics")  # the reference engine: pyradiomics' values bit for bit
    ours = extract_features(image, masks, settings)
    extractor = settings.extractor()
    for roi, mask in masks.items():
        assert_bit_identical(ours[roi], extractor.execute(image, mask))
    assert len([k for k in ours["ring"] if not k.startswith("diagnostics_")]) == 944


def test_ring_and_plus_share_one_grid_the_tumour_has_its_own(brain2):
    from radiomics import imageoperations
    image, masks = brain2
    s = paper_settings().extractor().settings
    keys = {roi: _grid_key(image, imageoperations.getMask(m, **s), s)[0] for roi, m in masks.items()}
    assert keys["ring"] == keys["plus"]
    assert keys["tumour"] != keys["ring"]


def test_image_already_at_1mm_crop_branch_equals_pyradiomics():
    """When the image already has the target spacing pyradiomics only crops: same result."""
    import SimpleITK as sitk
    rng = np.random.default_rng(7)
    z, y, x = np.indices((30, 32, 34))
    r = np.sqrt((z - 15) ** 2 + (y - 16) ** 2 + (x - 17) ** 2)
    image = sitk.GetImageFromArray((rng.normal(100, 10, r.shape) + 20 * (r < 6)).astype(np.float32))
    tumour = sitk.GetImageFromArray((r < 6).astype(np.uint8))
    plus = sitk.GetImageFromArray((r < 9).astype(np.uint8))
    ring = sitk.GetImageFromArray(((r < 9) & (r >= 6)).astype(np.uint8))
    for im in (tumour, plus, ring):
        im.CopyInformation(image)
    settings = Settings(setting=paper_settings().setting, imageType=paper_settings().imageType,
                        featureClass={"shape": None, "firstorder": None, "glcm": None}, engine="pyradiomics")
    masks = {"tumour": tumour, "ring": ring, "plus": plus}
    ours = extract_features(image, masks, settings)
    extractor = settings.extractor()
    for roi, mask in masks.items():
        assert_bit_identical(ours[roi], extractor.execute(image, mask))


@pytest.mark.parametrize("image_type", ["original", "wavelet-LLL"])
def test_faster_glcm_equals_pyradiomics_glcm(pyrad_data, image_type):
    """Every GLCM feature (incl. MCC) of the sparse-MCC class equals pyradiomics' RadiomicsGLCM exactly,
    on real MRI with many grey levels (bin width 5; wavelet-LLL of brain1 has about 330)."""
    import SimpleITK as sitk
    from radiomics import imageoperations
    from radiomics.glcm import RadiomicsGLCM
    image = sitk.ReadImage(str(pyrad_data / "brain1_image.nrrd"))
    mask = imageoperations.getMask(sitk.ReadImage(str(pyrad_data / "brain1_label.nrrd")))
    bb, _ = imageoperations.checkMask(image, mask)
    if image_type != "original":
        image = dict((name, im) for im, name, _ in imageoperations.getWaveletImage(image, mask))[image_type]
    im, ma = imageoperations.cropToTumorMask(image, mask, bb)
    theirs = RadiomicsGLCM(im, ma, binWidth=5).execute()
    ours = feature_classes()["glcm"](im, ma, binWidth=5).execute()
    assert list(ours) == list(theirs) and "MCC" in ours
    for name in theirs:
        assert np.array_equal(np.asarray(ours[name]), np.asarray(theirs[name]), equal_nan=True), name


def test_invalid_roi_raises_pyradiomics_error(brain2):
    import SimpleITK as sitk
    image, masks = brain2
    one_voxel = sitk.Image(masks["tumour"].GetSize(), sitk.sitkUInt8)
    one_voxel.CopyInformation(masks["tumour"])
    one_voxel[10, 10, 5] = 1
    with pytest.raises(ValueError):
        extract_features(image, {"dot": one_voxel}, paper_settings())


@pytest.mark.parametrize("rows", [1, 3])
def test_feature_parquet_has_the_bytes_pandas_writes(tmp_path, rows, monkeypatch):
    """write_feature_parquet (the tables' fast path) against pandas' own to_parquet (fileio.write_parquet):
    the same file, byte for byte, with NaN, infinities, -0.0 and names outside ASCII; other layouts (a
    non-float column, no id first) go through pandas and are the same file too."""
    import pandas as pd

    from eprstats.fileio import write_parquet
    from eprstats.handcrafted.tables import write_feature_parquet

    rng = np.random.default_rng(rows)
    names = ["original_shape_Elongation", "log-sigma-1-0-mm-3D_glcm_Idmn", "wavelet-LLH_firstorder_Mean",
             "größe µ", "x" * 300] + [f"f{k}" for k in range(40)]
    values = rng.normal(size=(rows, len(names)))
    values[0, 1], values[-1, 2], values[0, 3], values[-1, 4] = np.nan, np.inf, -0.0, -np.inf
    tables = {"features": pd.DataFrame({"id": [f"P{k:03d}" for k in range(rows)],
                                        **{n: values[:, j] for j, n in enumerate(names)}})}
    tables["with an integer column"] = tables["features"].assign(count=np.arange(rows))
    tables["no id first"] = tables["features"][names + ["id"]]
    import eprstats.handcrafted.tables as tables_module
    for what, table in tables.items():
        if what == "features":  # the fast path itself, not pandas' (the fallback)
            with monkeypatch.context() as m:
                m.setattr(tables_module, "write_parquet", None)
                write_feature_parquet(tmp_path / "fast.parquet", table)
        else:
            write_feature_parquet(tmp_path / "fast.parquet", table)
        write_parquet(tmp_path / "pandas.parquet", table)
        assert (tmp_path / "fast.parquet").read_bytes() == (tmp_path / "pandas.parquet").read_bytes(), what
        back = pd.read_parquet(tmp_path / "fast.parquet")
        pd.testing.assert_frame_equal(back, table.reset_index(drop=True))


def test_bin_image_equals_pyradiomics_binimage():
    """engine/preparation.bin_image (the eprstats engine's discretisation) against pyradiomics' own
    imageoperations.binImage: the same discretised array on random images (float and integer, negative
    values, values on a bin edge, a flat ROI, one voxel, NaN outside and inside the ROI, bin counts)."""
    from radiomics import imageoperations

    from eprstats.handcrafted.engine.preparation import bin_image

    rng = np.random.default_rng(25)
    for case in range(120):
        shape = tuple(int(n) for n in rng.integers(1, 9, 3))
        kind = case % 6
        if kind == 0:
            matrix = rng.normal(0, 300, shape)
        elif kind == 1:
            matrix = rng.integers(-1024, 3000, shape).astype(np.int16)
        elif kind == 2:  # on the edges of bin width 5
            matrix = 5.0 * rng.integers(-20, 20, shape)
        elif kind == 3:  # flat
            matrix = np.full(shape, float(rng.integers(-3, 3)) * 5)
        elif kind == 4:
            matrix = rng.normal(0, 1e-3, shape)
        else:
            matrix = rng.normal(50, 40, shape)
            matrix.flat[0] = np.nan
        mask = rng.random(shape) < rng.uniform(0.05, 1)
        mask.flat[rng.integers(mask.size)] = True
        for settings in ({"binWidth": 5}, {"binWidth": 25}, {"binWidth": 0.5}, {"binCount": 16}, {}):
            ours, theirs = _outcome(bin_image, matrix, mask, settings), \
                _outcome(imageoperations.binImage, matrix, mask, settings)
            if isinstance(theirs, str):  # pyradiomics' error (NaN in the ROI): the same one
                assert ours == theirs, (case, settings)
                continue
            assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), (case, settings)


def _outcome(function, matrix, mask, settings):
    try:
        return function(matrix, mask, **settings)[0]
    except Exception as error:
        return f"{type(error).__name__}: {error}"
