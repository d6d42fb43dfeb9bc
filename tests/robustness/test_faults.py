"""Faults: a run killed with SIGKILL and resumed, R failing mid-analysis, and a full disk.

1. ``eprstats run`` on a reduced demo study is killed with SIGKILL at seeded-random points during the
   extraction (handcrafted and deep features, by their per-case caches) and during the R statistics stages
   (signatures/LASSO, Tables 2 and 3, calibration, NRI/IDI, decision curves), resumed each time, and must end
   with tables and features byte-identical to an uninterrupted run of the same study, with no torn or
   temporary file left. The oracle is the uninterrupted run.
2. An R error injected into eprstats' own R environment in the middle of an analysis raises RError with R's
   message word for word; afterwards the same Python process still gives correct results (oracle: pROC called
   directly in R), and the command line says the same with exit code 3 and no traceback.
3. A full disk (a 1 MiB tmpfs, or a file-size limit) ends a command with exit code 2, a message that says the
   disk is full, names the file and the fix, no traceback, no temporary file, and every output that is left
   complete (oracle: the same command on an ordinary disk).
"""
from __future__ import annotations

import errno
import os
import random
import resource
import shutil
import signal
import subprocess
import threading
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import RError
from tests.robustness.faults_helpers import (CACHES, Trigger, differing_files, make_reduced_study, run_and_kill,
                                             run_eprstats, temporary_files, torn_files)

KILL_SEED = 20261127
STATISTICS = ["signatures", "table2", "table3", "calibration", "nri", "dca"]


# ---------------------------------------------------------------------------------------------------------
# 1. SIGKILL at random points, then resume
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reduced_study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults_study")
    return make_reduced_study(folder / "data")


def _stage_status(out: Path) -> dict:
    import json
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))["status"]
            for p in (out / ".eprstats" / "stages").glob("*.json")}


def _wall(out: Path, stage: str) -> float:
    import json
    return float(json.loads((out / ".eprstats" / "stages" / f"{stage}.json").read_text(encoding="utf-8"))["wall_s"])


@pytest.mark.slow
def test_sigkill_during_extraction_and_statistics_then_resume_gives_identical_outputs(reduced_study, tmp_path,
                                                                                     request):
    """By default a representative part: one kill during the handcrafted extraction and one in the LASSO
    signatures, then the resume; with ``-m slow`` all 14 kill points (handcrafted, deep, ICC, signatures and
    every later R stage) and the killed forced rerun."""
    from eprstats.study.runner import ORDER

    full = "slow" in (request.config.getoption("markexpr") or "")

    # The uninterrupted run: the oracle.
    ref = tmp_path / "uninterrupted"
    done = run_eprstats("run", reduced_study, "--out", ref, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    status = _stage_status(ref)
    # Every R stage must really run on this reduced study, or the kills below would not cover them.
    assert all(status[s] == "computed" for s in ORDER), status
    n_patients = len(pd.read_csv(reduced_study.parent / "manifest.csv"))

    # Kill points, drawn with a seeded generator: three during the handcrafted extraction and two during the
    # deep extraction (after a random number of finished cases, plus a random fraction of a second), one in
    # the ICC stage, one during the LASSO signatures (after a random number of fitted models), then one in
    # each later R stage at a random moment within its uninterrupted wall time.
    rng = random.Random(KILL_SEED)
    n_models = len(list((ref / "tables" / "coefficients").glob("*.csv")))
    triggers = [Trigger("handcrafted", rng.uniform(0, 0.5), "handcrafted", c)
                for c in sorted(rng.sample(range(2, n_patients - 2), 3))]
    triggers += [Trigger("deep", rng.uniform(0, 0.3), "deep", c)
                 for c in sorted(rng.sample(range(2, n_patients - 2), 2))]
    triggers.append(Trigger("icc", rng.uniform(0, 0.8) * _wall(ref, "icc")))
    triggers.append(Trigger("signatures", rng.uniform(0, 0.2), "signatures", rng.randint(1, n_models - 2)))
    # (the later R stages take well under a second on an idle machine, longer on a busy one: the delay is
    # capped so that the kill lands inside the stage either way)
    triggers += [Trigger(s, rng.uniform(0, 0.8) * min(_wall(ref, s), 1.0)) for s in STATISTICS[1:]]

    if not full:
        # The same seeded draws, a part of them: the first kill in the handcrafted extraction (per-case cache)
        # and the one in the LASSO signatures (per-model cache inside an R stage). The deep extraction's kills
        # (the same per-case cache code) and the later R stages' (atomic writes, tested on their own below)
        # run with -m slow; two kills instead of four keep CI near its 15 minutes.
        first = {}
        for trig in triggers:
            if trig.stage in ("handcrafted", "signatures"):
                first.setdefault(trig.stage, trig)
        triggers = [trig for trig in triggers if trig in first.values()]

    out = tmp_path / "killed"
    points, problems = [], []

    def kill(args, trigger):
        point = run_and_kill(args, out, trigger, ORDER, cwd=tmp_path)
        points.append(point)
        torn = torn_files(out)  # right after the kill: every output there must read back whole
        if torn:
            problems.append(f"after kill {len(points)} ({point.describe()}): torn files {torn}")

    def report():
        return "\n".join(f"  {i + 1:2d}. {p.describe()}" for i, p in enumerate(points))

    def resume_and_compare(when):
        resumed = run_eprstats("run", reduced_study, "--out", out, cwd=tmp_path)
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert all(v == "computed" for v in _stage_status(out).values()), _stage_status(out)
        assert not problems, "\n".join(problems) + f"\nkill points:\n{report()}"
        assert not temporary_files(out), f"{when}: temporary files left: {temporary_files(out)}\n{report()}"
        assert not torn_files(out), torn_files(out)
        diff = differing_files(ref, out)
        assert not diff, f"{when}:\n" + "\n".join(diff) + f"\nkill points:\n{report()}"

    for trigger in triggers:
        kill(("run", reduced_study, "--out", out), trigger)
    resume_and_compare("resumed after the kills")
    if not full:
        return
    # Once more over finished results: a forced rerun of the statistics (--from signatures) killed in a
    # random R stage leaves the finished results as they were.
    stage = rng.choice(STATISTICS[1:])
    kill(("run", reduced_study, "--out", out, "--from", "signatures"),
         Trigger(stage, rng.uniform(0, 0.8) * min(_wall(ref, stage), 1.0)))
    print(f"\nSIGKILL points (seed {KILL_SEED}):\n{report()}")
    resume_and_compare("resumed after the kill of a forced rerun")

    killed = [p for p in points if p.killed]
    hit = {p.stage for p in killed}
    assert len(killed) >= 10, f"only {len(killed)} kills landed:\n{report()}"
    assert {"handcrafted", "deep"} <= hit, f"no kill during the extraction:\n{report()}"
    assert len(hit & set(STATISTICS)) >= 4, f"too few R stages killed:\n{report()}"
    n_csv = sum(1 for p in (out / "tables").rglob("*.csv")) + sum(1 for p in (out / "features").rglob("*.csv"))
    assert n_csv >= 40, n_csv  # the comparison covered the tables and features, not an empty folder
    # The per-case caches hold every case once: the resumed extraction neither lost nor duplicated any.
    for stage_name, (folder, pattern) in CACHES.items():
        assert len(list((out / folder).glob(pattern))) == len(list((ref / folder).glob(pattern))), stage_name


# ---------------------------------------------------------------------------------------------------------
# 2. An R error injected mid-analysis
# ---------------------------------------------------------------------------------------------------------

FAULT_MESSAGE = "injected fault: la session R a perdu sa courbe ROC (appel n° 3)\nsecond line of the R message"

#: Replace discrimination_roc (called by every ROC function) in eprstats' own R environment by one that fails
#: from its third call on, so that roc_table() fails in the middle of its work, after two R calls succeeded.
INJECT = """
e <- environment(discrimination_roc)
if (!exists(".fault_original", envir = e, inherits = FALSE)) assign(".fault_original", discrimination_roc, envir = e)
assign(".fault_calls", 0L, envir = e)
assign(".fault_from", fail_from, envir = e)
assign(".fault_message", msg, envir = e)
f <- function(y, score, direction = "auto") {
  .fault_calls <<- .fault_calls + 1L
  if (.fault_calls >= .fault_from) stop(.fault_message, call. = FALSE)
  .fault_original(y, score, direction)
}
environment(f) <- e
assign("discrimination_roc", f, envir = e)
invisible(TRUE)
"""
RESTORE = """
e <- environment(discrimination_roc)
if (exists(".fault_original", envir = e, inherits = FALSE)) {
  assign("discrimination_roc", get(".fault_original", envir = e), envir = e)
  rm(".fault_original", ".fault_calls", ".fault_from", ".fault_message", envir = e)
}
invisible(TRUE)
"""


def _scores_frame(seed=5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 60
    y = np.tile([0, 1], n // 2)
    return pd.DataFrame({"id": [f"P{i:02d}" for i in range(n)], "cohort": ["training"] * 40 + ["external"] * 20,
                         "outcome": y, "m1": y * 0.8 + rng.normal(size=n), "m2": y * 0.3 + rng.normal(size=n)})


def _direct_auc(r, y, score, direction):
    """pROC called directly in R: the oracle."""
    out = r.evaluate("ro <- pROC::roc(response = y, predictor = s, levels = c(0, 1), direction = d, quiet = TRUE);"
                     "ci <- pROC::ci.auc(ro, method = 'delong'); as.numeric(ci)",
                     y=np.asarray(y, dtype=int), s=np.asarray(score, dtype=float), d=direction)
    return {"auc_ci_low": out[0], "auc": out[1], "auc_ci_high": out[2]}


@pytest.fixture
def injected(r):
    yield lambda fail_from=3: r.evaluate(INJECT, fail_from=int(fail_from), msg=FAULT_MESSAGE)
    r.evaluate(RESTORE)


def test_r_error_mid_analysis_keeps_message_and_python_usable(r, injected):
    from eprstats.evaluation.discrimination import auc_ci, roc_table

    data = _scores_frame()
    before = roc_table(data, "outcome", ["m1", "m2"], "cohort", "training")
    injected(fail_from=3)
    with pytest.raises(RError) as info:
        roc_table(data, "outcome", ["m1", "m2"], "cohort", "training")
    err = info.value
    assert err.r_message == FAULT_MESSAGE  # R's message word for word, accents and second line included
    assert err.r_function.startswith("discrimination_")
    assert FAULT_MESSAGE in err.message and err.exit_code == 3
    # The fault is still in place: the next call fails the same way (R's state is not corrupted by the error).
    with pytest.raises(RError, match="injected fault"):
        auc_ci(data["outcome"], data["m1"])

    r.evaluate(RESTORE)
    # The bridge's lock was released: another thread can call R (a deadlock would time out here). A plain new
    # thread: the bridge sets rpy2's conversion rules (a context variable) for the thread itself.
    box = {}
    worker = threading.Thread(target=lambda: box.update(v=r.call("base::sum", [1.5, 2.5, 3.0])))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive() and box["v"] == 7.0
    # A plain call and a statistics function give the right answers afterwards: pROC called directly is the
    # oracle, and the table equals the one computed before the fault.
    assert r.call("stats::median", [3.0, 1.0, 2.0, 10.0]) == 2.5
    after = roc_table(data, "outcome", ["m1", "m2"], "cohort", "training")
    pd.testing.assert_frame_equal(after, before)
    for row in after.itertuples(index=False):
        part = data[data["cohort"] == row.cohort]
        direct = _direct_auc(r, part["outcome"], part[row.model], row.direction)
        assert row.auc == pytest.approx(direct["auc"], abs=1e-12)
        assert row.auc_ci_low == pytest.approx(direct["auc_ci_low"], abs=1e-12)
        assert row.auc_ci_high == pytest.approx(direct["auc_ci_high"], abs=1e-12)
    # R's own warnings and errors still come through after the fault.
    with pytest.raises(RError, match="a second, ordinary R error"):
        r.evaluate("stop('a second, ordinary R error')")


def test_r_error_through_the_cli_exit_3_with_r_message(r, injected, run_cli, tmp_path):
    data = _scores_frame()
    csv = tmp_path / "scores.csv"
    data.to_csv(csv, index=False)
    args = ("roc", csv, "--outcome", "outcome", "--scores", "m1,m2", "--cohort-col", "cohort",
            "--train-cohort", "training", "--out", tmp_path / "roc", "--formats", "csv")
    injected(fail_from=3)
    code, out, err = run_cli(*args)
    assert code == 3, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    assert err.startswith("error: R error in discrimination_"), err
    assert "injected fault: la session R a perdu sa courbe ROC (appel n° 3)" in err, err
    assert not temporary_files(tmp_path)
    r.evaluate(RESTORE)
    code, out, err = run_cli(*args)
    assert code == 0, (code, out, err)
    table = pd.read_csv(tmp_path / "roc" / "roc.csv")
    for row in table.itertuples(index=False):
        part = data[data["cohort"] == row.cohort]
        assert row.auc == pytest.approx(_direct_auc(r, part["outcome"], part[row.model], row.direction)["auc"],
                                        abs=1e-12)


# ---------------------------------------------------------------------------------------------------------
# 3. A full disk
# ---------------------------------------------------------------------------------------------------------

def _try_tmpfs(mountpoint: Path, size: str) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    mountpoint.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
                          capture_output=True, text=True)
    return done.returncode == 0


@pytest.fixture
def full_disk(tmp_path):
    """A nearly full 1 MiB file system (tmpfs): yields its root, where a filler leaves ``room`` bytes free."""
    mountpoint = tmp_path / f"tiny-{uuid.uuid4().hex[:8]}"
    if not _try_tmpfs(mountpoint, "1M"):
        pytest.skip("cannot mount a tmpfs here (needs root and mount); the file-size-limit test covers this")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def _fill(root: Path, room: int) -> None:
    """Leave about ``room`` bytes free on the file system of ``root``."""
    st = os.statvfs(root)
    free = st.f_bavail * st.f_frsize
    with open(root / "filler", "wb") as fh:
        fh.write(b"\0" * max(free - room, 0))


def _assert_disk_full_failure(done, out_dir: Path, reference: Path, words) -> None:
    err = done.stderr
    assert done.returncode == 2, (done.returncode, done.stdout, err)
    assert "Traceback" not in err and "Traceback" not in done.stdout, err
    assert err.startswith("error: "), err
    assert any(w in err for w in words), err
    assert "Fix:" in err and "another folder" in err, err
    assert str(out_dir) in err, err  # names the file it could not write
    assert not temporary_files(out_dir), temporary_files(out_dir)
    # What was written before the disk filled is complete: equal, byte for byte, to the ordinary run's file.
    for p in out_dir.rglob("*"):
        if p.is_file() and p.name != "filler":
            twin = reference / p.relative_to(out_dir)
            assert twin.is_file(), p
            if p.suffix in (".csv", ".md", ".tex", ".html", ".parquet"):
                assert p.read_bytes() == twin.read_bytes(), f"{p} differs from the ordinary run's"
    assert not torn_files(out_dir), torn_files(out_dir)  # provenance JSON (with its time stamp) reads back whole


def _roc_args(csv, out):
    return ("roc", csv, "--outcome", "outcome", "--scores", "m1,m2", "--cohort-col", "cohort",
            "--train-cohort", "training", "--out", out)


@pytest.fixture(scope="module")
def roc_reference(tmp_path_factory):
    """``eprstats roc`` on an ordinary disk: what each output should be."""
    folder = tmp_path_factory.mktemp("roc_reference")
    csv = folder / "scores.csv"
    _scores_frame().to_csv(csv, index=False)
    done = run_eprstats(*_roc_args(csv, folder / "out"), cwd=folder)
    assert done.returncode == 0, done.stderr
    sizes = sorted(p.stat().st_size for p in (folder / "out").rglob("*") if p.is_file())
    return csv, folder / "out", sizes


@pytest.mark.parametrize("room_kib", [0, 24])
def test_full_tmpfs_gives_clear_error_and_no_corrupt_output(full_disk, roc_reference, room_kib):
    csv, reference, sizes = roc_reference
    assert sum(sizes) > 64 * 1024  # the command writes more than the room left: the disk will fill
    _fill(full_disk, room_kib * 1024)
    out = full_disk / "roc out"
    done = run_eprstats(*_roc_args(csv, out), cwd=full_disk)
    _assert_disk_full_failure(done, out, reference, ("disk is full",))
    assert "No space left on device" in done.stderr


def test_file_size_limit_gives_clear_error_and_no_corrupt_output(roc_reference, tmp_path):
    """The fallback where no tmpfs can be mounted: RLIMIT_FSIZE makes every write past the limit fail (EFBIG)."""
    csv, reference, sizes = roc_reference
    limit = 4096
    assert max(sizes) > limit and min(sizes) < limit  # some outputs fit, the figures do not

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "roc out"
    done = run_eprstats(*_roc_args(csv, out), cwd=tmp_path, preexec_fn=limit_file_size)
    _assert_disk_full_failure(done, out, reference, ("file-size limit", "larger than this process may write"))
    assert "ulimit" in done.stderr


@pytest.mark.slow
def test_study_run_on_a_full_disk_stops_clearly_and_keeps_finished_stages(full_disk, reduced_study):
    """`eprstats run` whose disk fills during the feature extraction: exit 2 naming the file and the fix, the
    finished stages kept (their outputs whole), the stage that hit the full disk not recorded as done, and no
    temporary file; the later stages are not attempted on the same full disk."""
    _fill(full_disk, 96 * 1024)
    out = full_disk / "results"
    done = run_eprstats("run", reduced_study, "--out", out, cwd=full_disk)
    assert done.returncode == 2, (done.returncode, done.stdout[-3000:], done.stderr[-3000:])
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the disk is full"), done.stderr[-3000:]
    # stopped at the first case that hit the full disk, not one failure line per remaining patient
    assert (done.stdout + done.stderr).count("the disk is full") == 1, done.stderr[-3000:]
    assert str(out) in last and "Fix:" in last and "another folder" in last, last
    assert "Traceback" not in done.stderr + done.stdout
    status = _stage_status(out)
    assert status == {"validate": "computed", "rois": "computed"}, status
    assert "[deep] running" not in done.stdout and "[signatures] running" not in done.stdout, done.stdout
    assert not temporary_files(out), temporary_files(out)
    assert not torn_files(out), torn_files(out)
    assert (out / "tables" / "validation.csv").is_file() and (out / "features" / "roi_volumes.csv").is_file()


def test_atomic_write_on_full_disk_leaves_previous_file_and_no_temporary(full_disk):
    """In-process: a rewrite that fills the disk keeps the previous complete file (not a torn one) and raises
    OutputWriteError with errno ENOSPC."""
    from eprstats.fileio import OutputWriteError, write_csv, write_parquet
    frame = pd.DataFrame({"a": np.arange(20), "b": np.linspace(0, 1, 20)})
    target = full_disk / "kept.csv"
    write_csv(target, frame)
    before = target.read_bytes()
    _fill(full_disk, 8 * 1024)
    big = pd.DataFrame(np.random.default_rng(0).normal(size=(20000, 8)))
    for writer, path in ((write_csv, target), (write_parquet, full_disk / "new.parquet")):
        with pytest.raises(OutputWriteError) as info:
            writer(path, big)
        assert info.value.errno == errno.ENOSPC or "disk is full" in info.value.message
        assert str(path) in info.value.message
    assert target.read_bytes() == before
    assert not (full_disk / "new.parquet").exists()
    assert not temporary_files(full_disk)
