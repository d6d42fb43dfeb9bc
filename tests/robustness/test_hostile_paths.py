"""#13: hostile patient ids and ROI names through the commands that turn them into file names.

Before: ROI ``../../../escaped`` wrote outside ``--out``, id ``..`` wrote into its parent, and ``T/001`` and
``T_001`` shared one folder. Now every such name goes through eprstats.paths.safe_component: nothing is
written outside ``--out``, and names that would share a file are refused."""
from __future__ import annotations

from urllib.parse import unquote

import pandas as pd
import pytest

from tests.imaging_inputs import FAST_RADIOMICS
from tests.robustness.test_bad_imaging import make_study

HOSTILE = ["..", "../../../escaped", "T/001", "T_001", "a\\b", "-rf", ".hidden", "CON"]


def _files(root):
    return {p for p in root.rglob("*") if p.is_file()}


def test_extract_with_hostile_roi_names_stays_inside_out(tmp_path, run_cli, tried):
    _, manifest = make_study(tmp_path / "in", n=2)
    rows = [{"id": "P1", "image": tmp_path / "in" / manifest.PVP_image[0], "mask": tmp_path / "in" / manifest.PVP_mask[0],
             "roi": roi} for roi in HOSTILE]
    cases = tmp_path / "in" / "cases.csv"
    pd.DataFrame(rows).to_csv(cases, index=False)
    (tmp_path / "in" / "fast.yaml").write_text(FAST_RADIOMICS)
    before = _files(tmp_path)
    out = tmp_path / "a" / "b" / "out"
    code, _, err = run_cli("extract", cases, "--out", out, "--params", tmp_path / "in" / "fast.yaml", "--jobs", "1",
                           "--no-progress")
    for roi in HOSTILE:
        tried(f"hostile ROI name at extract: {roi!r}")
    assert code == 0, err
    new = _files(tmp_path) - before
    assert new and all(p.resolve().is_relative_to(out.resolve()) for p in new), sorted(new)
    tables = sorted(p.name[len("features_"):-len(".parquet")] for p in out.rglob("features_*.parquet"))
    assert sorted(unquote(t) for t in tables) == sorted(HOSTILE)   # one table per ROI, none shared


@pytest.mark.parametrize("ids,needle", [(["P1", "p1"], "'p1'"), (["caf\u00e9", "cafe\u0301"], "caf")])
def test_rois_refuses_ids_that_would_share_a_folder(ids, needle, tmp_path, run_cli, tried):
    study, manifest = make_study(tmp_path, n=2)
    manifest["id"] = ids
    manifest.to_csv(tmp_path / "manifest.csv", index=False)
    code, _, err = run_cli("rois", study, "--out", tmp_path / "out", "--no-validate")
    tried(f"colliding ids at rois: {ids}")
    assert code == 2, err
    assert needle in err and "Fix:" in err and "Traceback" not in err


def test_rois_with_dot_dot_id_writes_inside_out(tmp_path, run_cli, tried):
    study, manifest = make_study(tmp_path / "in", n=2)
    manifest["id"] = ["..", "T/001"]
    manifest.to_csv(tmp_path / "in" / "manifest.csv", index=False)
    before = _files(tmp_path)
    out = tmp_path / "x" / "out"
    code, _, err = run_cli("rois", study, "--out", out, "--no-validate")
    tried("hostile ids at rois: '..', 'T/001'")
    assert code == 0, err
    new = _files(tmp_path) - before
    assert new and all(p.resolve().is_relative_to(out.resolve()) for p in new), sorted(new)
    folders = sorted(unquote(p.name) for p in out.iterdir() if p.is_dir())
    assert folders == sorted(["..", "T/001"])
