"""The warnings of cached per-patient work are replayed: a rerun (or a resumed run) from the per-case cache
issues the same warnings, same categories, same order, as the run that computed the cases (issue #13)."""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from eprstats.handcrafted.cache import CaseCache, replay_warnings
from eprstats.handcrafted.parallel import Case, RoiSpec, extract_cohort
from eprstats.handcrafted.params import load_settings

SETTINGS = """
imageType:
  Original: {}
featureClass:
  firstorder:
setting:
  binWidth: 25
"""


def _write(path, array):
    import SimpleITK as sitk
    img = sitk.GetImageFromArray(array)
    img.SetSpacing((1.0, 1.0, 1.0))
    sitk.WriteImage(img, str(path))
    return str(path)


@pytest.fixture
def cases(tmp_path):
    """P1's tumour touches the image's x=0 face, P2's lies inside, P3's touches the y end: P1 and P3 warn."""
    rng = np.random.default_rng(1)
    where = {"P1": (slice(3, 7), slice(8, 12), slice(0, 4)), "P2": (slice(3, 7), slice(8, 12), slice(8, 12)),
             "P3": (slice(3, 7), slice(16, 20), slice(8, 12))}
    out = []
    for patient, box in where.items():
        image = rng.normal(100, 20, size=(10, 20, 20)).astype(np.float32)
        mask = np.zeros(image.shape, np.uint8)
        mask[box] = 1
        img = _write(tmp_path / f"{patient}.nrrd", image)
        msk = _write(tmp_path / f"{patient}_mask.nrrd", mask)
        out.append(Case(patient, [RoiSpec("T_tumour", img, msk, derive="tumour"),
                                  RoiSpec("T_ring", img, msk, derive="ring")],
                        {"spacing": [1.0, 1.0, 1.0], "ring_mm": 3.0}))
    (tmp_path / "s.yaml").write_text(SETTINGS)
    return out, load_settings(tmp_path / "s.yaml")


def _run(cases, settings, out, n_jobs=1):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = extract_cohort(cases, out, settings=settings, n_jobs=n_jobs, progress=False)
    return result, [(w.category, str(w.message)) for w in caught]


def test_cached_cases_replay_their_warnings_in_order(cases, tmp_path):
    cases, settings = cases
    first, shown = _run(cases, settings, tmp_path / "out")
    assert first.computed == ["P1", "P2", "P3"]
    from eprstats.segmentation.rois import RingCutWarning
    ring = [(c, m) for c, m in shown if c is RingCutWarning]
    # independent of the code under test: which tumours touch which face is fixed by the fixture above
    assert [m.split(":")[0] for _, m in ring] == ["patient 'P1'", "patient 'P3'"]
    assert "(x-)" in ring[0][1] and "(y+)" in ring[1][1]
    kept = json.loads(CaseCache(tmp_path / "out" / "cache").path("P2").read_text())["warnings"]
    assert "RingCutWarning" not in [k["category"] for k in kept]

    again, replayed = _run(cases, settings, tmp_path / "out")
    assert sorted(again.cached) == ["P1", "P2", "P3"] and not again.computed
    assert replayed == shown

    # resumed after a kill that lost P1 (computed again) while P2 and P3 come from the cache
    CaseCache(tmp_path / "out" / "cache").path("P1").unlink()
    resumed, mixed = _run(cases, settings, tmp_path / "out")
    assert resumed.computed == ["P1"] and mixed == shown


def test_worker_processes_warnings_are_not_lost(cases, tmp_path):
    """joblib's worker processes do not pass warnings to the parent: the records carry them."""
    cases, settings = cases
    _, serial = _run(cases, settings, tmp_path / "a")
    _, parallel = _run(cases, settings, tmp_path / "b", n_jobs=2)
    assert parallel == serial and len(serial) >= 2


def test_entry_without_warnings_is_recomputed(cases, tmp_path):
    """An entry written before warnings were kept would replay none: it is not reused."""
    cases, settings = cases
    _run(cases, settings, tmp_path / "out")
    path = CaseCache(tmp_path / "out" / "cache").path("P1")
    entry = json.loads(path.read_text())
    del entry["warnings"]
    path.write_text(json.dumps(entry))
    result, _ = _run(cases, settings, tmp_path / "out")
    assert result.computed == ["P1"]


def test_replay_keeps_the_category_or_its_name():
    from eprstats.deep.crops import CropWarning
    records = [{"category": "CropWarning", "module": "eprstats.deep.crops", "message": "a"},
               {"category": "GoneWarning", "module": "eprstats.no_such_module", "message": "b"},
               {"category": "UserWarning", "module": "builtins", "message": "c"}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        replay_warnings(records)
    assert [str(w.message) for w in caught] == ["a", "b", "c"]
    assert caught[0].category is CropWarning and caught[2].category is UserWarning
    assert caught[1].category.__name__ == "GoneWarning" and issubclass(caught[1].category, UserWarning)
