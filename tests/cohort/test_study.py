"""The study file and the manifest: keys, defaults, relative paths, segment/series specs, errors."""
from __future__ import annotations

import pytest

from eprstats.cohort.study import STUDY_KEYS, load_study, register_study_key, study_keys_table
from eprstats.errors import InputError


def test_loads_settings_manifest_and_resolves_paths(tmp_path, small_study):
    path, manifest = small_study(tmp_path / "study dir", n=3, extra_yaml="ring_mm: 5\nseed: 7\n")
    study = load_study(path)
    assert study.phases == ["AP", "PVP"]
    assert study.root == (tmp_path / "study dir").resolve()
    assert study.settings["ring_mm"] == 5.0 and study.settings["seed"] == 7
    assert study.settings["spacing"] == [1.0, 1.0, 1.0]          # the paper's default
    assert study.patients == ["P1", "P2", "P3"]
    assert study.clinical_columns == ["AFP"]
    ref = study.image("P2", "PVP")
    assert ref.path == study.root / "img" / "P2_PVP.nrrd" and ref.path.exists()
    assert study.mask("P2", "PVP", "mask_reader2") is None       # optional column absent
    assert study.output_dir == study.root / "results"


def test_every_default_is_documented():
    table = study_keys_table()
    assert set(table["key"]) == set(STUDY_KEYS)
    assert table["help"].str.len().min() > 10


def test_unknown_key_lists_the_valid_ones(tmp_path, small_study):
    path, _ = small_study(tmp_path, n=2, extra_yaml="ringmm: 3\n")
    with pytest.raises(InputError) as err:
        load_study(path)
    assert "ringmm" in err.value.problem
    assert "ring_mm" in err.value.fix and "manifest" in err.value.fix and err.value.file == str(path)


def test_register_key_for_another_stage(tmp_path, small_study):
    path, _ = small_study(tmp_path, n=2, extra_yaml="icc_threshold: 0.9\n")
    register_study_key("icc_threshold", 0.8, "keep features with ICC above this")
    try:
        assert load_study(path).settings["icc_threshold"] == 0.9
    finally:
        del STUDY_KEYS["icc_threshold"]


@pytest.mark.parametrize("yaml_text, match", [
    ("phases: [AP, PVP\n", "not valid YAML at line"),
    ("- a\n- b\n", "mapping"),
    ("phases: [AP, PVP]\n", "required key"),
    ("manifest: manifest.csv\nring_mm: wide\n", "ring_mm"),
    ("manifest: manifest.csv\nring_mm: -3\n", "positive"),
    ("manifest: manifest.csv\nspacing: [1, 1]\n", "spacing"),
    ("manifest: manifest.csv\nring_phases: [T2]\n", "unknown: \\['T2'\\]"),
    ("manifest: nothere.csv\n", "manifest file does not exist"),
])
def test_bad_study_files(tmp_path, small_study, yaml_text, match):
    small_study(tmp_path, n=2)
    (tmp_path / "bad.yaml").write_text(yaml_text)
    with pytest.raises(InputError, match=match):
        load_study(tmp_path / "bad.yaml")


def test_missing_manifest_columns_are_listed(tmp_path, small_study):
    path, manifest = small_study(tmp_path, n=2, phases=("AP", "PVP"))
    manifest.drop(columns=["PVP_mask", "outcome"]).to_csv(tmp_path / "manifest.csv", index=False)
    with pytest.raises(InputError) as err:
        load_study(path)
    assert "'outcome'" in err.value.problem and "'PVP_mask'" in err.value.problem


def test_configurable_names_ids_as_text_and_specs(tmp_path, small_study):
    path, manifest = small_study(tmp_path, n=2, phases=("T1", "T2"))
    manifest = manifest.rename(columns={"id": "PatientID", "outcome": "EPR"})
    manifest["PatientID"] = ["007", "010"]
    manifest["T2_mask"] = ["seg/a.seg.nrrd#Tumour", "labels.nii.gz#2"]
    manifest["T1_image"] = ["dicom/007#1.2.840.99", "img/x.nrrd"]
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    path.write_text("manifest: manifest.csv\nphases: [T1, T2]\nring_phases: T2\nid_column: PatientID\n"
                    "outcome_column: EPR\n")
    study = load_study(path)
    assert study.patients == ["007", "010"]
    a = study.mask("007", "T2")
    assert a.path == study.root / "seg" / "a.seg.nrrd" and a.read_kwargs() == {"segment": "Tumour"}
    assert study.mask("010", "T2").read_kwargs() == {"label": 2}
    assert study.image("007", "T1").read_kwargs() == {"series_uid": "1.2.840.99"}
    with pytest.raises(InputError, match="not in the manifest"):
        study.row("7")
