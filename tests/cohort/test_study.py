"""The study file and the manifest: keys, defaults, relative paths, segment/series specs, errors."""
from __future__ import annotations

import pytest

import dataclasses

from eprstats.cohort.settings import STUDY_KEYS, StudySettings, parse_settings, study_keys_table
from eprstats.cohort.study import load_study
from eprstats.errors import InputError


def test_loads_settings_manifest_and_resolves_paths(tmp_path, small_study):
    path, manifest = small_study(tmp_path / "study dir", n=3, extra_yaml="ring_mm: 5\nseed: 7\n")
    study = load_study(path)
    assert study.phases == ["AP", "PVP"]
    assert study.root == (tmp_path / "study dir").resolve()
    assert study.settings.ring_mm == 5.0 and study.settings.seed == 7
    assert study.settings.spacing == (1.0, 1.0, 1.0)          # the paper's default
    assert study.patients == ["P1", "P2", "P3"]
    assert study.clinical_columns == ["AFP"]
    ref = study.image("P2", "PVP")
    assert ref.path == study.root / "img" / "P2_PVP.nrrd" and ref.path.exists()
    assert study.mask("P2", "PVP", "mask_reader2") is None       # optional column absent
    assert study.output_dir == study.root / "results"


def test_every_default_is_documented():
    table = study_keys_table()
    assert set(table["key"]) == set(STUDY_KEYS) == {f.name for f in dataclasses.fields(StudySettings)}
    assert table["help"].str.len().min() > 10


def test_unknown_key_lists_the_valid_ones(tmp_path, small_study):
    path, _ = small_study(tmp_path, n=2, extra_yaml="ringmm: 3\n")
    with pytest.raises(InputError) as err:
        load_study(path)
    assert "ringmm" in err.value.problem
    assert "ring_mm" in err.value.fix and "manifest" in err.value.fix and err.value.file == str(path)


def test_later_stages_keys_are_fields_of_the_settings(tmp_path, small_study):
    """The study runner's keys (icc_threshold...) are fields of the one dataclass, not registered at import."""
    path, _ = small_study(tmp_path, n=2, extra_yaml="icc_threshold: 0.9\n")
    settings = load_study(path).settings
    assert settings.icc_threshold == 0.9 and settings.bootstrap == 1000
    assert "icc_threshold" in STUDY_KEYS and "ICC" in STUDY_KEYS["icc_threshold"].metadata["help"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.icc_threshold = 0.5


def test_unknown_key_names_the_closest_valid_one(tmp_path, small_study):
    path, _ = small_study(tmp_path, n=2, extra_yaml="icc_treshold: 0.9\n")
    with pytest.raises(InputError) as err:
        load_study(path)
    assert "icc_treshold" in err.value.problem and "did you mean 'icc_threshold'" in err.value.fix


@pytest.mark.parametrize("key, value, expected", [
    ("bootstrap", "many", "a positive integer"),
    ("bootstrap", 0, "a positive integer"),
    ("bootstrap", 2.5, "a positive integer"),
    ("seed", "abc", "an integer"),
    ("seed", 1.5, "an integer"),
    ("seed", True, "an integer"),
    ("workers", 0, "a positive integer"),
    ("ring_mm", -1, "a positive number"),
    ("phases", "PVP", "a list of names"),
    ("clinical", "AFP", "a list of names"),
    ("phases", [], "a list of distinct names"),
    ("icc_threshold", 1.5, "between 0 and 1"),
    ("deep_crop_size", "big", "an integer"),
    ("table1_rule", "chi", "one of textbook, pearson, yates, fisher"),
    ("synthetic", "yes", "true or false"),
    ("models", {"A": {"kind": "roi"}}, "lacks a valid 'roi'"),
    ("models", {"A": {"kind": "forest"}}, "no valid kind"),
    ("nomogram_model", "PVP", "a combined model"),
    ("deep_phase", "T2", "one of the phases"),
])
def test_wrong_types_and_ranges_name_key_value_and_type(key, value, expected):
    with pytest.raises(InputError) as err:
        parse_settings({"manifest": "m.csv", key: value}, file="s.yaml")
    assert f"study setting {key!r} must be" in err.value.problem and repr(value) in err.value.problem
    assert expected in err.value.problem and err.value.file == "s.yaml"


def test_typed_values():
    s = parse_settings({"manifest": "m.csv", "spacing": 2, "ring_mm": 5, "ring_phases": "PVP", "training_cohort": 1,
                        "models": {"R": {"kind": "roi", "roi": "PVP_tumour"},
                                   "C": {"kind": "combined", "predictors": ["R", "AFP"]}},
                        "nomogram_model": "C"})
    assert s.spacing == (2.0, 2.0, 2.0) and s.ring_mm == 5.0 and isinstance(s.ring_mm, float)
    assert s.ring_phases == ("PVP",) and s.training_cohort == "1"
    assert s.model_specs == {"R": {"kind": "roi", "roi": "PVP_tumour"},
                             "C": {"kind": "combined", "predictors": ["R", "AFP"]}}
    assert parse_settings({"manifest": "m.csv"}).model_specs["PVP_DLRRN"]["kind"] == "combined"
    assert s.as_dict()["spacing"] == [2.0, 2.0, 2.0]


def test_missing_radiomics_settings_file(tmp_path, small_study):
    path, _ = small_study(tmp_path, n=2, extra_yaml="radiomics_settings: nothere.yaml\n")
    with pytest.raises(InputError, match="radiomics_settings file 'nothere.yaml' does not exist"):
        load_study(path)


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


@pytest.mark.parametrize("extra_yaml, words", [
    ("bootstrap: many\n", ["'bootstrap'", "'many'", "a positive integer"]),
    ("phases: PVP\n", ["'phases'", "'PVP'", "a list of names"]),
    ("seed: 1.5\n", ["'seed'", "1.5", "an integer"]),
    ("deep_weights: nothere.pt\n", ["deep_weights file 'nothere.pt' does not exist"]),
    ("models:\n  R: {kind: roi, roi: PVP_tumour}\n  C: {kind: combined, predictors: [R, ALT]}\n"
     "nomogram_model: C\n", ["model 'C' uses ['ALT']"]),
])
def test_validate_command_refuses_what_run_would_crash_on(tmp_path, small_study, run_cli, extra_yaml, words):
    """`eprstats validate` reads the study file with the same checks: exit 2, the key, value and type named."""
    path, _ = small_study(tmp_path, n=2, extra_yaml=extra_yaml)
    code, _, stderr = run_cli("validate", path)
    assert code == 2 and "Traceback" not in stderr
    assert all(w in stderr for w in words), stderr
