"""``ep.deep_features`` (#24): the API function and its result write the files of ``eprstats deep`` (and of the
study's deep stage, which calls the same write); a local weights file is used as given (#26); the features
against torchvision's own forward pass built here (the oracle of conftest.py)."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from .conftest import write_cases

from .test_extract import two_slice_case


@pytest.fixture
def cohort(tmp_path, torch):
    write_cases(tmp_path, {"P1": slice(1, 3), "P2": slice(2, 4)}, (4, 60, 64), (slice(20, 40), slice(18, 44)))
    return tmp_path


def test_the_api_writes_the_commands_files_byte_for_byte(run_cli, cohort, weights_file, tmp_path):
    import eprstats as ep

    code, _, err = run_cli("deep", cohort / "cases.csv", "--out", tmp_path / "cmd", "--weights", weights_file,
                           "--device", "cpu", "--threads", 1)
    assert code == 0, err
    res = ep.deep_features(cohort / "cases.csv", weights_file, device="cpu", threads=1)
    written = res.write(tmp_path / "api")
    assert sorted(p.name for p in written) == ["deep_patients.csv", "deep_patients.parquet", "deep_slices.csv",
                                               "deep_slices.parquet", "deep_weights.json"]
    for p in written:
        assert p.read_bytes() == (tmp_path / "cmd" / p.name).read_bytes(), p.name
    # the weights record names the local file and its sha256 (hashed here with hashlib)
    record = json.loads((tmp_path / "api" / "deep_weights.json").read_text(encoding="utf-8"))
    assert record["source"] == str(weights_file) and not record["random"]
    assert record["weights_sha256"] == hashlib.sha256(weights_file.read_bytes()).hexdigest()
    assert list(res.tables) == ["deep_slices", "deep_patients"] and "2 patient(s), 4 tumour slice(s)" in repr(res)


def test_features_are_torchvisions_on_the_crops(oracle_extractor, weights_file, torch):
    import eprstats as ep
    from eprstats.deep.crops import imagenet_normalise, plan_crops

    image, mask = two_slice_case()
    res = ep.deep_features(pd.DataFrame({"id": ["P1"], "image": [image], "mask": [mask]}), weights_file,
                           device="cpu", threads=1)
    with torch.no_grad():
        expected = oracle_extractor(torch.from_numpy(imagenet_normalise(plan_crops(image, mask).crops()))).numpy()
    got = res.slices[[f"f{i}" for i in range(512)]].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(res.patients[[f"f{i}" for i in range(512)]].to_numpy()[0], expected.mean(axis=0),
                               rtol=1e-4, atol=1e-5)
    tidy = res.tidy()
    assert len(tidy) == 512 and set(tidy["statistic"]) == {"mean"} and set(tidy["n"]) == {len(expected)}


def test_offline_imagenet_names_the_fix(tmp_path, monkeypatch, torch):
    import eprstats as ep
    from eprstats.errors import InputError

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    monkeypatch.setenv("EPRSTATS_OFFLINE", "1")
    image, mask = two_slice_case()
    with pytest.raises(InputError) as err:
        ep.deep_features(pd.DataFrame({"id": ["P1"], "image": [image], "mask": [mask]}), "imagenet", device="cpu")
    text = str(err.value)
    assert "resnet34-b627a593.pth" in text and "deep_weights: PATH" in text and "--weights PATH" in text


def test_bad_pool_and_missing_cases_file(tmp_path):
    import eprstats as ep
    from eprstats.errors import InputError

    with pytest.raises(InputError, match="unknown pooling 'sum'"):
        ep.deep_features(tmp_path / "cases.csv", "random", pool="sum")
    with pytest.raises(InputError, match="the cases file does not exist"):
        ep.deep_features(tmp_path / "cases.csv", "random")
