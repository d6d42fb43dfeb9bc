"""The one output-folder writer of the commands (eprstats.reporting.writer): a run's files all or none,
stale files of the command's previous run removed, finished work of a failed run never lost nor mixed."""
from __future__ import annotations

import pytest

from eprstats.errors import InputError
from eprstats.reporting.writer import MANIFESTS, StagedOutput, check_out_folder


def _run(out, files: dict, fail: bool = False):
    with StagedOutput(out, "cmd") as stage:
        for name, text in files.items():
            (stage.path / name).parent.mkdir(parents=True, exist_ok=True)
            (stage.path / name).write_text(text)
        if fail:
            raise RuntimeError("boom")
        return stage.final([stage.path / n for n in files])


def test_complete_run_then_rerun_removes_its_stale_files(tmp_path):
    out = tmp_path / "out"
    paths = _run(out, {"a.csv": "1", "figures/f.png": "x"})
    assert paths == [out / "a.csv", out / "figures" / "f.png"]
    (out / "other_command.csv").write_text("kept")          # another command's file in the same folder
    _run(out, {"a.csv": "2"})
    assert (out / "a.csv").read_text() == "2"
    assert not (out / "figures" / "f.png").exists()          # the previous run's, not written again
    assert (out / "other_command.csv").read_text() == "kept"
    assert not [p for p in out.iterdir() if p.name.startswith(".cmd")]   # no staging folder left


def test_failed_rerun_leaves_previous_result_untouched(tmp_path):
    out = tmp_path / "out"
    _run(out, {"a.csv": "1", "b.csv": "1"})
    with pytest.raises(RuntimeError):
        _run(out, {"a.csv": "NEW"}, fail=True)
    assert (out / "a.csv").read_text() == "1" and (out / "b.csv").read_text() == "1"
    assert (out / MANIFESTS / "cmd.failed" / "a.csv").read_text() == "NEW"   # finished work kept aside


def test_first_run_failing_keeps_finished_work_without_manifest(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        _run(out, {"table3.csv": "t"}, fail=True)
    assert (out / "table3.csv").read_text() == "t"
    assert not (out / MANIFESTS / "cmd.json").exists()


@pytest.mark.parametrize("under", [False, True])
def test_out_that_is_a_file_is_refused(tmp_path, under):
    f = tmp_path / "results.csv"
    f.write_text("x")
    with pytest.raises(InputError, match="is a file|which is a file"):
        check_out_folder(f / "sub" if under else f)
