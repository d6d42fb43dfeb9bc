"""Deep features against torchvision's own forward pass on crops built by hand; determinism; pooling."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eprstats.deep.extract import FEATURES, pool_patients
from eprstats.deep.run import extract_cohort_deep
from eprstats.deep.extract import patient_deep_features as deep_features

MEAN = np.array([0.485, 0.456, 0.406], np.float32)[:, None, None]
SD = np.array([0.229, 0.224, 0.225], np.float32)[:, None, None]


def two_slice_case():
    rng = np.random.default_rng(21)
    image = rng.gamma(4.0, 100.0, size=(4, 240, 230)).astype(np.float32)
    mask = np.zeros(image.shape, bool)
    mask[1:3, 60:90, 150:200] = True  # slices 1-2; rows 60-89 (h 30), columns 150-199 (w 50)
    return image, mask


def test_features_equal_torchvision_forward_on_hand_made_crops(torch, model, oracle_extractor):
    image, mask = two_slice_case()
    got = deep_features(image, mask, model, device="cpu", patient="P1")
    assert list(got.columns[:2]) == ["patient", "slice"] and list(got.columns[2:514]) == FEATURES
    assert list(got["slice"]) == [1, 2] and (got["patient"] == "P1").all()
    # by hand: rows 60 - (224-30)//2 = -37 -> 0; columns 150 - (224-50)//2 = 63 -> at most 230-224 = 6
    lo, hi = np.percentile(image.astype(np.float64), [0.5, 99.5])
    unit = (np.clip(image, lo, hi) - lo) / (hi - lo)
    x = np.stack([(unit[[0, 1, 2], 0:224, 6:230] - MEAN) / SD, (unit[[1, 2, 3], 0:224, 6:230] - MEAN) / SD])
    with torch.no_grad():
        expected = oracle_extractor(torch.from_numpy(x.astype(np.float32))).numpy()
    np.testing.assert_allclose(got[FEATURES].to_numpy(), expected, rtol=1e-4, atol=1e-4)
    assert list(got["y0"]) == [0, 0] and list(got["x0"]) == [6, 6]


def test_cpu_features_are_bit_identical_between_runs(model):
    image, mask = two_slice_case()
    first = deep_features(image, mask, model, device="cpu", patient="P1", batch_size=2, threads=1)
    second = deep_features(image.copy(), mask.copy(), model, device="cpu", patient="P1", batch_size=2,
                           threads=1)
    assert np.array_equal(first[FEATURES].to_numpy(), second[FEATURES].to_numpy())
    assert first.equals(second)


def test_pool_patients_against_pandas_by_hand():
    rng = np.random.default_rng(2)
    slices = pd.DataFrame(rng.normal(size=(7, 3)).astype(np.float32), columns=["f0", "f1", "f2"])
    slices.insert(0, "patient", ["b", "b", "a", "a", "a", "c", "b"])
    slices["padded"] = [True, False, False, False, True, True, False]
    slices["resized"] = False
    for how, fn in (("mean", np.mean), ("max", np.max), ("median", np.median)):
        pooled = pool_patients(slices, how).set_index("patient")
        assert list(pooled.index) == ["b", "a", "c"]  # input order
        for p in "abc":
            rows = slices.loc[slices["patient"] == p, ["f0", "f1", "f2"]].to_numpy()
            np.testing.assert_allclose(pooled.loc[p, ["f0", "f1", "f2"]].to_numpy(float), fn(rows, axis=0),
                                       rtol=1e-6)
    pooled = pool_patients(slices).set_index("patient")
    assert pooled.loc["b", "n_slices"] == 3 and pooled.loc["a", "n_padded"] == 1
    from eprstats.errors import InputError
    with pytest.raises(InputError, match="unknown pooling"):
        pool_patients(slices, "sum")


def test_cohort_from_files_keeps_good_patients_and_caches(model, tmp_path, nifti_writer, monkeypatch):
    image, mask = two_slice_case()
    mask_one = np.zeros_like(mask)
    mask_one[2, 100:110, 100:110] = True
    files = {}
    for pid, m in (("P1", mask_one), ("P2", np.zeros_like(mask))):
        files[pid] = (nifti_writer(tmp_path / f"{pid}.nii.gz", image), nifti_writer(tmp_path / f"{pid}_m.nii.gz",
                                                                                   m.astype(np.uint8)))
    cases = pd.DataFrame([{"id": p, "image": str(i), "mask": str(m)} for p, (i, m) in files.items()])
    with pytest.warns(UserWarning):
        slices, failures = extract_cohort_deep(cases, model, device="cpu", cache_dir=tmp_path / "cache",
                                               weights_sha256="x")
    assert list(slices["patient"]) == ["P1"] and list(slices["channels"]) == ["2,2,2"]
    assert list(failures["patient"]) == ["P2"] and "no voxels" in failures["error"].iloc[0]
    assert failures["error"].iloc[0].count("P2") == 1
    assert len(list((tmp_path / "cache").glob("P1.*.parquet"))) == 1
    # the rerun takes P1 from the cache: the extractor must not be asked for it again
    import eprstats.deep.run as ex  # the module whose extract_cohort_deep calls _run
    real_run = ex._run
    monkeypatch.setattr(ex, "_run", lambda cases, *a, **k: real_run(cases, *a, **k) if not any(
        c[0] == "P1" for c in cases) else pytest.fail("P1 recomputed"))
    again, _ = extract_cohort_deep(cases, model, device="cpu", cache_dir=tmp_path / "cache", weights_sha256="x")
    pd.testing.assert_frame_equal(again, slices)


def test_gpu_engine_on_cpu_matches_within_bf16_tolerance(torch, model):
    """The CUDA engine (crops computed with torch, batches across patients, bf16 autocast, channels-last)
    run on the CPU: same crops as numpy to float32 rounding, features within bf16 tolerance."""
    import eprstats.deep.extract as ex
    from eprstats.deep.crops import imagenet_normalise, plan_crops
    image, mask = two_slice_case()
    plan, host = ex._gpu_prepare(image, mask, 224, "P1", pin=False)
    np.testing.assert_allclose(ex._gpu_crops(plan, host, "cpu").numpy(),
                               imagenet_normalise(plan_crops(image, mask).crops()), atol=1e-5)
    image2 = np.flip(image, axis=2).copy()
    mask2 = np.zeros_like(mask)
    mask2[3, 10:30, 10:30] = True
    cases = [("P1", image, mask), ("bad", image, np.zeros_like(mask)), ("P2", image2, mask2)]
    load = lambda p, i, m: (i, m)  # noqa: E731
    fast = ex._run(cases, model, "cpu", 2, 224, None, False, load, accelerated=True)
    model.to(memory_format=torch.contiguous_format)
    exact = ex._run(cases, model, "cpu", 2, 224, None, False, load)
    assert [r[0] for r in fast] == ["P1", "bad", "P2"]
    assert isinstance(fast[1][2], ex.InputError) and fast[1][2].patient == "bad"
    for (_, a, _), (_, b, _) in zip(fast[::2], exact[::2]):
        assert list(a["slice"]) == list(b["slice"])
        fa, fb = a[FEATURES].to_numpy(), b[FEATURES].to_numpy()
        # bf16 keeps 8 bits of mantissa: features agree to a few per cent of their scale
        assert np.abs(fa - fb).max() <= 0.02 * np.abs(fb).max()
        assert np.corrcoef(fa.ravel(), fb.ravel())[0, 1] > 0.999
