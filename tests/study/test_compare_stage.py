"""The study's `compare` stage (issue #14): `published:` in the study file puts the paper's printed numbers
beside the run's in tables/compare.csv and report.html; without it the stage is "not configured" (exit 0).

The study here is the demo's clinical cohort (its Table 1 counts are the paper's by construction, counted
from the manifest in tests/study/test_study.py) with every image stage replaced by a stub: the real table1,
compare and report stages run. Oracles: the published files themselves (how many cells they print, a count
edited by the test), and `eprstats compare` run by hand on the same folders.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from eprstats.errors import InputError, PartialFailure
from eprstats.study import stages
from eprstats.study.plan import ORDER

REAL = {"table1", "compare", "report"}
SECTION = "Comparison with the published paper"


def _published_cells(folder: Path, variable: str | None = None) -> int:
    """Table 1 numbers the paper prints (counts, percentages, p-values), counted from its files."""
    n = 0
    for name in ("published_table1.csv", "published_table1_percent.csv"):
        with open(folder / name, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if variable is None or row["variable"] == variable:
                    n += sum(bool(v.strip()) for k, v in row.items() if k not in ("variable", "level"))
    return n


def _study(folder: Path, published: bool, **extra) -> Path:
    """The demo's clinical cohort (157 patients), one phase whose files are never read (stubbed stages)."""
    import pandas as pd

    from eprstats.study.demo import DEMO_SEED, clinical_from_counts, published_folder, published_table1_path
    folder.mkdir(parents=True, exist_ok=True)
    counts = pd.read_csv(published_table1_path())
    manifest = clinical_from_counts(counts, np.random.default_rng(DEMO_SEED))
    manifest["AP_image"], manifest["AP_mask"] = "img/none.nii.gz", "img/none_mask.nii.gz"
    manifest.to_csv(folder / "manifest.csv", index=False, lineterminator="\n")
    if not (folder / "paper").exists():
        shutil.copytree(published_folder(), folder / "paper")
    settings = {"manifest": "manifest.csv", "phases": ["AP"], "ring_phases": ["AP"], "synthetic": True,
                "clinical": list(counts["variable"].drop_duplicates()),
                **({"published": "paper"} if published else {}), **extra}
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _stage_manifest(out: Path, stage: str) -> dict:
    return json.loads((out / ".eprstats" / "stages" / f"{stage}.json").read_text(encoding="utf-8"))


@pytest.fixture
def stubbed(monkeypatch):
    """Every stage but table1, compare and report does nothing (no images are read)."""
    for name in ORDER:
        if name not in REAL:
            monkeypatch.setattr(stages, name, lambda ctx: {})


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_published_settings_are_checked(tmp_path):
    from eprstats.cohort.study import load_study
    study = _study(tmp_path, published=True)
    assert load_study(study).settings.published == "paper"
    for extra, words in (({"published": "nowhere"}, ("'nowhere' does not exist", "audit folder")),
                         ({"published": "manifest.csv"}, ("'manifest.csv' is not a folder",)),
                         ({"published_mapping": "map.csv"}, ("'published_mapping' needs 'published'",)),
                         ({"published": "paper", "published_mapping": "map.csv"}, ("'map.csv' does not exist",))):
        settings = {**yaml.safe_load(study.read_text(encoding="utf-8")), **extra}
        if "published" not in extra:
            settings.pop("published")
        study.write_text(yaml.safe_dump(settings), encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_study(study)
        assert all(w in str(info.value) for w in words), (extra, str(info.value))
        assert info.value.file == str(study)


def test_without_published_the_stage_is_not_configured_and_the_run_succeeds(tmp_path, stubbed, r):
    from eprstats.study.cli import _summary
    from eprstats.study.runner import run_study
    out = tmp_path / "out"
    lines = []
    result = run_study(_study(tmp_path / "s", published=False), out, echo=lines.append)
    assert "compare" not in result.status and result.skipped == {}
    assert result.status["table1"] == result.status["report"] == "computed"
    _summary(result)                                      # no PartialFailure: `eprstats run` exits 0
    assert "[compare] not configured (no 'published' in the study file)" in lines
    assert _stage_manifest(out, "compare")["status"] == "not configured"
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["stages"]["compare"]["status"] == "not configured"
    assert not (out / "tables" / "compare.csv").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert SECTION not in html and "Stages not computed" not in html


def test_published_folder_is_compared_cached_and_rerun_when_edited(tmp_path, stubbed, r, run_cli):
    from eprstats.study.runner import run_study
    study, out = _study(tmp_path / "s", published=True), tmp_path / "out"
    paper = study.parent / "paper"
    result = run_study(study, out, echo=lambda *a: None)
    assert result.status["compare"] == "computed" and result.skipped == {}
    n = _published_cells(paper)
    assert n == 4 * 32 * 2 + 45                           # 128 counts, 128 percentages, 45 p-values
    rows = _rows(out / "tables" / "compare.csv")
    t1 = [r for r in rows if r["table"] == "Table 1"]
    assert len(t1) == n and {r["verdict"] for r in t1} == {"equal"}
    # the stubbed stages computed no Table 2 or 3: their numbers are "not recomputed", saying why
    t2 = [r for r in rows if r["table"] == "Table 2"]
    assert t2 and {r["verdict"] for r in t2} == {"not recomputed"} and "Table 2" in t2[0]["detail"]
    summary = _stage_manifest(out, "compare")["summary"]["summary"]
    assert summary.startswith(f"Table 1: {n}/{n} equal; Table 2: 0/")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count(SECTION) == 1 and html.index(SECTION) < html.index("<h2>Checks</h2>")
    assert f"<b>{summary}</b>" in html and html.count('<tr class="equal">') >= n
    assert "synthetic images" in html and '<tr class="not-recomputed">' in html
    # the stage writes what `eprstats compare PUBLISHED RESULTS` writes
    code, _, stderr = run_cli("compare", paper, out, "--out", tmp_path / "by_hand")
    assert code == 0, stderr
    assert (tmp_path / "by_hand" / "compare.csv").read_bytes() == (out / "tables" / "compare.csv").read_bytes()
    # the study's page names the folders as the study file does: no path of this machine in it
    page = (out / "tables" / "compare.html").read_text(encoding="utf-8")
    assert str(tmp_path) not in page and "Published (paper) against recomputed" in page

    again = run_study(study, out, echo=lambda *a: None)
    assert again.status["compare"] == again.status["table1"] == "cached"
    # one printed count edited: the folder's content is in the key, and exactly that cell moves, by -1 unit
    lines = (paper / "published_table1.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    head, first = lines[0].rstrip("\n").split(","), lines[1].rstrip("\n").split(",")
    column = head.index("train_epr")
    first[column] = str(int(first[column]) + 1)
    (paper / "published_table1.csv").write_text("".join([lines[0], ",".join(first) + "\n", *lines[2:]]),
                                                encoding="utf-8")
    edited = run_study(study, out, echo=lambda *a: None)
    assert edited.status["compare"] == edited.status["report"] == "computed" and edited.status["table1"] == "cached"
    moved = [r for r in _rows(out / "tables" / "compare.csv") if r["table"] == "Table 1" and r["verdict"] != "equal"]
    assert [(r["row"], r["column"], r["verdict"], float(r["difference"])) for r in moved] == \
        [(f"{first[0]}: {first[1]}", "train_epr", "different", -1.0)]


def test_mapping_is_applied_and_removing_published_removes_the_comparison(tmp_path, stubbed, r):
    from eprstats.study.runner import run_study
    folder, out = tmp_path / "s", tmp_path / "out"
    (folder).mkdir()
    (folder / "map.csv").write_text("paper_name,run_name\nGender,Sex\n", encoding="utf-8")
    study = _study(folder, published=True, published_mapping="map.csv")
    run_study(study, out, echo=lambda *a: None)
    t1 = [r for r in _rows(out / "tables" / "compare.csv") if r["table"] == "Table 1"]
    unmatched = [r for r in t1 if r["verdict"] != "equal"]
    assert len(unmatched) == _published_cells(folder / "paper", "Gender") > 0
    assert all(r["verdict"] == "not recomputed" and "mapped to 'Sex'" in r["detail"] for r in unmatched)
    assert all(r["row"].startswith("Gender") for r in unmatched)

    _study(folder, published=False)
    result = run_study(study, out, echo=lambda *a: None)
    assert "compare" not in result.status and result.status["report"] == "computed"
    assert not (out / "tables" / "compare.csv").exists() and not (out / "tables" / "compare.html").exists()
    assert SECTION not in (out / "report.html").read_text(encoding="utf-8")


def test_a_bad_published_folder_fails_the_stage_naming_the_file(tmp_path, stubbed, r):
    from eprstats.study.runner import run_study
    study = _study(tmp_path / "s", published=True)
    (study.parent / "paper" / "cohorts.csv").unlink()
    with pytest.raises(PartialFailure) as info:
        run_study(study, tmp_path / "out", echo=lambda *a: None)
    status = _stage_manifest(tmp_path / "out", "compare")["status"]
    assert status.startswith("failed: ") and "cohorts.csv" in status, status


def test_without_any_recomputed_table_the_comparison_is_skipped(tmp_path, stubbed, monkeypatch):
    from eprstats.study.plan import StageSkipped
    from eprstats.study.runner import run_study

    def absent(ctx):
        raise StageSkipped("not made (test)")
    for name in ("table1", "table2", "table3"):
        monkeypatch.setattr(stages, name, absent)
    result = run_study(_study(tmp_path / "s", published=True), tmp_path / "out", echo=lambda *a: None)
    assert result.skipped == {"table1": "not made (test)", "table2": "not made (test)", "table3": "not made (test)",
                              "compare": "no recomputed table to compare (table1, table2 and table3 did not run)"}
    assert not (tmp_path / "out" / "tables" / "compare.csv").exists()


def test_the_shipped_published_folder_is_the_papers():
    """eprstats/data/published (what the demo copies) is byte for byte tables/published."""
    from eprstats.study.demo import published_folder
    seed = Path(__file__).resolve().parents[2] / "tables" / "published"
    shipped = published_folder()
    assert sorted(p.name for p in shipped.iterdir()) == sorted(p.name for p in seed.iterdir())
    assert all((shipped / p.name).read_bytes() == p.read_bytes() for p in seed.iterdir())
