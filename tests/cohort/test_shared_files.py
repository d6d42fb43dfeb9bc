"""A manifest naming one file where two are needed gives silently wrong features, so ``validate`` warns, naming
the patient, phase, file and fix: two patients with one image or mask, two phases with one image, a mask that is
an image, a second reader's or repeated mask that is the first reader's own file (an inter-observer ICC of 1).
A warning, not an error: test and teaching data reuse one sample image on purpose. One tumour mask used on every
phase of a patient (the demo's layout) gives no warning."""
from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from eprstats.cohort.study import load_study
from eprstats.cohort.validate import SharedFileWarning, validate_cohort


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    from eprstats.study.demo import make_demo_study
    return make_demo_study(tmp_path_factory.mktemp("shared") / "study", small=True, patients=8).parent


def _with(clean, tmp_path, edit, clean_report=True):
    folder = tmp_path / "study"
    shutil.copytree(clean, folder)
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    edit(manifest)
    manifest.to_csv(folder / "manifest.csv", index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = validate_cohort(load_study(folder / "study.yaml"), workers=1)
    if clean_report:                                                   # never a blocking problem by itself
        assert report.empty, report.to_string()
    shared = [str(w.message) for w in caught if issubclass(w.category, SharedFileWarning)]
    return pd.Series(shared, dtype=str)


def test_the_demo_layout_shares_a_patients_mask_across_phases_and_passes(clean, tmp_path):
    shared = _with(clean, tmp_path, lambda m: None)
    manifest = pd.read_csv(clean / "manifest.csv", dtype=str, keep_default_na=False)
    assert (manifest["AP_mask"] == manifest["PVP_mask"]).all()        # the layout this test is about
    assert shared.empty, shared.tolist()


def _row(m, i):
    return m.index[i]


@pytest.mark.parametrize("column, words", [("PVP_image", "image is the file given as patient"),
                                           ("PVP_mask", "tumour mask is the file given as patient")])
def test_a_copied_file_of_another_patient(clean, tmp_path, column, words):
    def edit(m):
        m.loc[_row(m, 3), column] = m.loc[_row(m, 0), column]
    shared = _with(clean, tmp_path, edit)
    ids = pd.read_csv(clean / "manifest.csv", dtype=str)["id"]
    assert len(shared) == 1 and words in shared[0], shared.tolist()
    assert shared[0].startswith(f"patient {ids[3]!r}, phase PVP:") and repr(ids[0]) in shared[0]


def test_two_phases_with_one_image(clean, tmp_path):
    shared = _with(clean, tmp_path, lambda m: m.__setitem__("DP_image", m["PVP_image"]))
    assert len(shared) == len(pd.read_csv(clean / "manifest.csv"))    # every patient, named once
    assert shared.str.contains("phase DP: the DP image is the file given as patient", regex=False).all()


def test_a_mask_that_is_the_image(clean, tmp_path):
    def edit(m):
        m.loc[_row(m, 2), "PVP_mask"] = m.loc[_row(m, 2), "PVP_image"]
    # an image read as a mask has many labels: validate's own blocking problem; the warning says why
    shared = _with(clean, tmp_path, edit, clean_report=False)
    assert len(shared) == 1 and "tumour mask is an image file" in shared[0], shared.tolist()


def test_a_second_reader_that_is_the_first_reader(clean, tmp_path):
    def edit(m):
        icc = m.index[m["PVP_mask_reader2"] != ""][0]
        m.loc[icc, "PVP_mask_reader2"] = m.loc[icc, "PVP_mask"]
    shared = _with(clean, tmp_path, edit)
    assert len(shared) == 1 and "second reader's mask is the tumour mask itself" in shared[0], shared.tolist()
    assert "column PVP_mask_reader2" in shared[0]
