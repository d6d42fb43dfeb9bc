"""The shipped parameter file: the paper's settings, and pyradiomics' own feature count with them."""
from __future__ import annotations

import numpy as np
import pytest

from eprstats.errors import InputError
from eprstats.handcrafted.params import load_settings, paper_settings, paper_settings_path


def test_paper_settings_are_the_papers():
    s = paper_settings()
    assert paper_settings_path().is_file()
    assert s.setting["binWidth"] == 5  # paper: fixed bin width 5
    assert s.setting["resampledPixelSpacing"] == [1, 1, 1]  # paper: 1 x 1 x 1 mm
    assert s.setting["interpolator"] == "sitkLinear"  # paper: linear interpolation
    assert s.imageType == {"Original": {}, "LoG": {"sigma": [1.0]}, "Wavelet": {}}
    assert set(s.featureClass) == {"shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm"}


def test_pyradiomics_gives_944_features_per_roi_with_the_paper_settings():
    """Oracle: pyradiomics' own extractor, run on a small sphere, counts the features (the paper says 960)."""
    import SimpleITK as sitk
    rng = np.random.default_rng(1)
    z, y, x = np.indices((24, 24, 24))
    sphere = ((z - 12) ** 2 + (y - 12) ** 2 + (x - 12) ** 2) < 36
    image = sitk.GetImageFromArray(rng.normal(100, 20, sphere.shape))
    mask = sitk.GetImageFromArray(sphere.astype(np.uint8))
    result = paper_settings().extractor().execute(image, mask)
    names = [k for k in result if not k.startswith("diagnostics_")]
    assert len(names) == 944
    assert names == paper_settings().feature_names()


def test_settings_hash_changes_with_a_setting(tmp_path):
    text = paper_settings_path().read_text(encoding="utf-8").replace("binWidth: 5", "binWidth: 10")
    other = tmp_path / "p.yaml"
    other.write_text(text)
    assert load_settings(other).hash != paper_settings().hash
    same = tmp_path / "same.yaml"
    same.write_text("# a comment only changes the layout\n" + paper_settings_path().read_text(encoding="utf-8"))
    assert load_settings(same).hash == paper_settings().hash


def test_bad_settings_files_name_the_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_settings(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("setting:\n  binWidht: 5\n")  # misspelt: pyradiomics' schema refuses it
    with pytest.raises(InputError, match="rejected") as err:
        load_settings(bad)
    assert "bad.yaml" in err.value.message
