"""Helpers for tests/robustness/test_faults.py: a reduced demo study, `eprstats` in a child process that can be
killed with SIGKILL at chosen points, and checks that a results folder holds no torn or temporary file."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

#: The child runs eprstats' own entry point with this interpreter (not a `eprstats` found on PATH, which may
#: be another Python's), unbuffered so that its "[stage] running ..." lines arrive as they are printed.
ENTRY = [sys.executable, "-u", "-c", "import sys; from eprstats.cli import main; sys.exit(main())"]
STAGE_LINE = re.compile(r"^\[(\w+)\] (running|computed|cached|skipped|failed)")
TEMP_FILE = re.compile(r"^\..+\.tmp-")


def child_env() -> dict:
    """The environment of a child eprstats: this one, minus what an in-process R start may have added."""
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    if os.environ.get("LD_LIBRARY_PATH") and "/R/" not in os.environ["LD_LIBRARY_PATH"]:
        env["LD_LIBRARY_PATH"] = os.environ["LD_LIBRARY_PATH"]
    env.update(PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    # One OpenMP thread per child: on a shared 2-core machine torch's spinning OpenMP threads made the deep
    # stage 4x slower (56 s instead of 14 s for 60 patients at load 8); its features are byte-identical.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.pop("EPRSTATS_DEBUG", None)
    return env


def run_eprstats(*args, cwd=None, timeout=900, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run(ENTRY + [str(a) for a in args], cwd=cwd, env=child_env(), capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec_fn)


# ---------------------------------------------------------------------------------------------------------
# A reduced demo study
# ---------------------------------------------------------------------------------------------------------

def make_reduced_study(folder: Path, n_train_per_class=20, n_external_per_class=10, n_icc=10,
                       bootstrap=40) -> Path:
    """The small demo study (eprstats.study.demo), trimmed so that a whole run takes about a minute:
    the first ``n_train_per_class`` non-events and events of the training cohort and ``n_external_per_class``
    of the external one, second-reader/repeat masks kept for ``n_icc`` of them, a radiomics setting without
    GLCM, and fewer bootstrap resamples. Every stage (and every model of the paper) still runs."""
    from eprstats.study.demo import make_demo_study
    study = make_demo_study(folder, small=True)
    manifest = pd.read_csv(folder / "manifest.csv", keep_default_na=False, dtype=str)
    keep = pd.concat([
        manifest[manifest["cohort"] == "training"].groupby("outcome").head(n_train_per_class),
        manifest[manifest["cohort"] == "external"].groupby("outcome").head(n_external_per_class),
    ]).sort_index()
    reader_cols = [c for c in keep.columns if c.endswith(("_mask_reader2", "_mask_repeat"))]
    with_icc = keep.index[(keep[reader_cols] != "").any(axis=1)]
    keep.loc[with_icc[n_icc:], reader_cols] = ""
    keep.to_csv(folder / "manifest.csv", index=False, lineterminator="\n")
    settings = yaml.safe_load(study.read_text(encoding="utf-8"))
    settings["bootstrap"] = int(bootstrap)
    radiomics = settings.get("radiomics_settings")
    if radiomics:
        path = folder / radiomics
        path.write_text(path.read_text(encoding="utf-8").replace("  glcm:\n", ""), encoding="utf-8")
    study.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return study


# ---------------------------------------------------------------------------------------------------------
# A child `eprstats run` killed at a chosen point
# ---------------------------------------------------------------------------------------------------------

@dataclass
class Trigger:
    """Kill when ``stage`` (or a later one) is running and, for ``cache`` folders, when at least ``count``
    files are there and this attempt added one; then wait ``delay`` seconds more."""
    stage: str
    delay: float
    cache: str | None = None
    count: int = 0

    def describe(self) -> str:
        extra = f" once {PROGRESS[self.cache][0]} holds >= {self.count} files" if self.cache else ""
        return f"{self.stage}{extra} + {self.delay:.2f} s"


@dataclass
class KillPoint:
    trigger: str
    killed: bool
    stage: str | None  # the stage that was running when the kill landed
    cases: dict = field(default_factory=dict)  # files in the per-case caches at the kill
    seconds: float = 0.0

    def describe(self) -> str:
        cases = ", ".join(f"{k}={v}" for k, v in self.cases.items())
        where = f"killed in [{self.stage}]" if self.killed else "NOT killed (the run ended first)"
        return f"{where} after {self.seconds:.1f} s ({cases}); trigger {self.trigger}"


def _count(folder: Path, pattern: str) -> int:
    return sum(1 for p in folder.glob(pattern) if not p.name.startswith("."))


#: per-case (or per-model) files that show how far a stage has got: name -> (folder, pattern)
CACHES = {"handcrafted": ("features/handcrafted/cache", "*.json"), "deep": ("features/deep_cache", "*.parquet")}
PROGRESS = {**CACHES, "signatures": ("tables/coefficients", "*.csv")}


def run_and_kill(args, out: Path, trigger: Trigger, order: list[str], cwd=None, timeout=600) -> KillPoint:
    """Start ``eprstats ARGS``, SIGKILL it at ``trigger``, and say where it was."""
    lines: list[str] = []
    t0 = time.monotonic()
    proc = subprocess.Popen(ENTRY + [str(a) for a in args], cwd=cwd, env=child_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    reader = threading.Thread(target=lambda: [lines.append(line.rstrip("\n")) for line in proc.stdout],
                              daemon=True)
    reader.start()
    start_counts = None
    fired_at = None
    try:
        while proc.poll() is None and time.monotonic() - t0 < timeout:
            running = _running_stage(lines)
            if fired_at is None and running is not None and order.index(running) >= order.index(trigger.stage):
                if trigger.cache is None or running != trigger.stage:
                    fired_at = time.monotonic()
                else:
                    folder, pattern = PROGRESS[trigger.cache]
                    n = _count(out / folder, pattern)
                    if start_counts is None:
                        start_counts = n
                    if n >= trigger.count and n > start_counts:
                        fired_at = time.monotonic()
            if fired_at is not None and time.monotonic() - fired_at >= trigger.delay:
                break
            time.sleep(0.01)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        cases = {k: _count(out / f, p) for k, (f, p) in PROGRESS.items()}
        cases["temporary files"] = len(temporary_files(out))
    finally:
        if proc.poll() is None:  # never leave a child behind
            proc.kill()
            proc.wait()
    reader.join(timeout=10)
    if not killed:
        assert proc.returncode == 0, "\n".join(lines[-30:])
    return KillPoint(trigger.describe(), killed, _running_stage(lines), cases, time.monotonic() - t0)


def _running_stage(lines: list[str]) -> str | None:
    """The stage whose "running" line was printed last without its end line."""
    current = None
    for line in list(lines):
        m = STAGE_LINE.match(line)
        if m:
            current = m.group(1) if m.group(2) == "running" else None
    return current


# ---------------------------------------------------------------------------------------------------------
# Checks on a results folder
# ---------------------------------------------------------------------------------------------------------

def temporary_files(folder: Path) -> list[Path]:
    """atomic_path's temporary files (``.NAME.tmp-*``) under ``folder``."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and TEMP_FILE.match(p.name))


def torn_files(folder: Path) -> list[str]:
    """Outputs under ``folder`` that cannot be read back whole (a truncated CSV, parquet or JSON)."""
    import pyarrow.parquet as pq
    bad = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or TEMP_FILE.match(p.name):
            continue
        try:
            if p.suffix == ".parquet":
                pq.read_table(p)
            elif p.suffix == ".json":
                json.loads(p.read_text(encoding="utf-8"))
            elif p.suffix == ".csv":
                text = p.read_text(encoding="utf-8")
                if text and not text.endswith("\n"):
                    raise ValueError("no final line end")
                if text.strip():
                    pd.read_csv(p)
        except Exception as exc:  # noqa: BLE001 - any failure to read back means a torn file
            bad.append(f"{p.relative_to(folder)}: {type(exc).__name__}: {exc}")
    return bad


def compared_files(folder: Path) -> dict[str, Path]:
    """Every table and feature file that must be byte-identical between two runs of the same study:
    CSV, parquet, Markdown, LaTeX and HTML tables under tables/ and features/ (not Word files, which
    are zip archives with a time stamp, nor the per-case cache entries, which are compared through the
    feature tables built from them)."""
    out = {}
    for sub in ("tables", "features"):
        for p in (folder / sub).rglob("*"):
            if (p.is_file() and p.suffix in (".csv", ".parquet", ".md", ".tex", ".html")
                    and "cache" not in p.relative_to(folder).parts and not TEMP_FILE.match(p.name)):
                out[str(p.relative_to(folder))] = p
    return out


def differing_files(ref: Path, other: Path) -> list[str]:
    a, b = compared_files(ref), compared_files(other)
    problems = [f"only in the uninterrupted run: {k}" for k in sorted(set(a) - set(b))]
    problems += [f"only in the resumed run: {k}" for k in sorted(set(b) - set(a))]
    problems += [f"differs: {k}" for k in sorted(set(a) & set(b)) if a[k].read_bytes() != b[k].read_bytes()]
    return problems
