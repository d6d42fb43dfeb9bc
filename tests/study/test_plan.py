"""The stage plan (eprstats.study.plan): one table the runner and the report read; skipped stages exit 4."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from eprstats.cohort.settings import StudySettings
from eprstats.errors import PartialFailure
from eprstats.study import plan


def test_the_plan_lists_every_stage_once_in_dependency_order():
    assert plan.ORDER == ["validate", "rois", "handcrafted", "deep", "icc", "signatures", "table1", "table2",
                          "table3", "calibration", "nri", "dca", "compare", "report"]
    fields = {f.name for f in dataclasses.fields(StudySettings)}
    for i, stage in enumerate(plan.STAGES):
        assert set(stage.depends_on) <= set(plan.ORDER[:i]), stage.name
        assert set(stage.settings) <= fields, stage.name
    assert plan.PLAN["calibration"].settings == ("bootstrap", "seed", "hl_grouping", "hl_external_df", "hl_groups")
    assert plan.PLAN["table1"].settings == ("clinical", "table1_rule", "table1_continuous_rule")
    assert plan.PLAN["table2"].settings == ("accuracy_ci_method", "optimism_bootstrap", "seed")
    assert plan.PLAN["table3"].settings == ("nomogram_model", "table3_stepwise")
    assert plan.PLAN["nri"].settings == ("nomogram_model",)


def test_optional_dependencies():
    """The deep signature's absence does not stop the other signatures; the report always runs."""
    assert plan.blocking(plan.PLAN["signatures"], ["deep"]) == []
    assert plan.blocking(plan.PLAN["signatures"], ["icc", "deep"]) == ["icc"]
    assert plan.blocking(plan.PLAN["report"], ["table3", "deep"]) == []
    assert plan.blocking(plan.PLAN["table3"], ["signatures"]) == ["signatures"]


def test_compare_is_optional_and_configured_by_published():
    """#14: the comparison reads whatever of Tables 1-3 was computed, runs only with 'published:' (its folder's
    content and the mapping's in its key), and the report depends on it; every other stage always runs."""
    from eprstats.cohort.settings import parse_settings
    stage = plan.PLAN["compare"]
    assert stage.depends_on == ("table1", "table2", "table3") and plan.blocking(stage, ["table3", "table2"]) == []
    assert stage.settings == ("published", "published_mapping", "synthetic")
    assert stage.configured_by == "published" and stage.files == ("published", "published_mapping")
    assert "compare" in plan.PLAN["report"].depends_on
    without = parse_settings({"manifest": "m.csv"})
    with_it = parse_settings({"manifest": "m.csv", "published": "paper", "published_mapping": "map.csv"})
    assert not stage.configured(without) and stage.configured(with_it)
    assert all(s.configured(without) for s in plan.STAGES if s.name != "compare")
    assert plan.NOT_CONFIGURED == "not configured" and not plan.NOT_CONFIGURED.startswith("skipped")


def test_every_stage_has_its_adapter():
    from eprstats.study import stages
    assert all(callable(getattr(stages, name)) for name in plan.ORDER)


def test_no_import_circle_and_report_reads_the_plan():
    """Importing the report alone does not import the runner (the circle runner -> stages -> report ->
    runner is gone); the plan imports neither."""
    code = ("import sys, eprstats.study.report, eprstats.study.plan; "
            "print('eprstats.study.runner' in sys.modules, 'eprstats.study.stages' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2]).stdout.split()
    assert out == ["False", "False"]


def test_a_run_with_a_skipped_stage_is_not_a_success():
    """Issue #13: `eprstats run` lists the skipped stages and exits 4 (PartialFailure)."""
    from eprstats.study.cli import _summary
    from eprstats.study.runner import RunResult
    ok = RunResult(out=Path("out"), status={"table3": "computed", "report": "cached"}, wall={})
    assert ok.skipped == {}
    _summary(ok)
    bad = RunResult(out=Path("out"), status={"table3": "skipped: the nomogram model 'X' was not built",
                                             "nri": "skipped: needs signatures", "report": "computed"}, wall={})
    assert bad.skipped == {"table3": "the nomogram model 'X' was not built", "nri": "needs signatures"}
    with pytest.raises(PartialFailure) as info:
        _summary(bad)
    assert info.value.exit_code == 4
    assert "2 stage(s) were skipped: table3 (the nomogram model 'X' was not built); nri (needs signatures)" \
        in info.value.problem


def test_a_second_run_on_the_same_folder_is_refused_while_the_first_lives(tmp_path):
    """#13: two runs on one output folder at once: the second is refused naming the first's process; a lock
    left by a killed run (its process gone) is taken over."""
    import subprocess
    import sys

    import pytest

    from eprstats.errors import InputError
    from eprstats.study.runner import _run_lock

    lock = tmp_path / ".eprstats" / "lock"
    lock.parent.mkdir(parents=True)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{live.pid}\n")
        with pytest.raises(InputError, match=f"process {live.pid}"):
            with _run_lock(tmp_path):
                pass
        assert lock.read_text().strip() == str(live.pid)   # the live run's lock is left alone
    finally:
        live.kill()
        live.wait()
    with _run_lock(tmp_path):                               # its process is gone: stale, taken over
        assert lock.read_text().strip() == str(__import__("os").getpid())
    assert not lock.exists()                                # released at the end
