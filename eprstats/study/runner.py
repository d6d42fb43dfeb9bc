"""The whole study in one command: every stage in order, each cached by the hashes of its inputs and settings.

Stage manifests live in ``<out>/.eprstats/stages/<stage>.json``: the stage's key (a hash of its settings, its
input files and the keys of the stages it depends on), its outputs, wall time, warnings and a summary. A stage
is recomputed when its key changes or an output is missing; otherwise it is skipped. ``<out>/.eprstats/study.json``
names the study the folder belongs to: another study's folder is refused (nothing is overwritten).
"""
from __future__ import annotations

import contextlib
import json
import os
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..cluster import session
from ..cohort.settings import StudySettings, resolve
from ..cohort.study import Study, load_study
from ..errors import EprstatsError, InputError, PartialFailure
from ..reporting.provenance import software_versions
from ..reporting.writer import check_out_folder
from ..validation import arguments
from ..fileio import OutputWriteError, file_sha256, remove_stale_temporaries, settings_hash, write_json
from . import stages
from .plan import NOT_CONFIGURED, ORDER, PLAN, StageSkipped, blocking

#: bump when a stage's adapter changes meaning: part of every key
RUNNER_VERSION = 2  # 2: stages write through the analyses' result objects (more files per stage)


@dataclass
class Context:
    """What a stage adapter gets: the loaded study, the output folder, the number of workers and, on a Dask
    cluster, its address and client (:mod:`eprstats.cluster`; never part of a key: the bytes do not
    depend on where they were computed)."""

    study: Study
    out: Path
    jobs: int = 1
    scheduler: str | None = None
    client: object = None

    @property
    def settings(self) -> StudySettings:
        """The study file's typed settings (read by attribute: ``ctx.settings.bootstrap``)."""
        return self.study.settings

    @property
    def synthetic(self) -> bool:
        return self.settings.synthetic

    @property
    def train_cohort(self) -> str:
        return self.settings.training_cohort

    def setting_path(self, name: str) -> Path | None:
        """The file or folder a study setting names (relative to the study file), or None when not given."""
        value = getattr(self.settings, name)
        return None if value is None else resolve(self.study.root, value)

    @property
    def radiomics_settings_path(self):
        value = self.settings.radiomics_settings
        return None if not value or value == "paper" else resolve(self.study.root, value)

    def handcrafted_rois(self) -> list[str]:
        folder = self.out / "features" / "handcrafted"
        names = (unquote(p.stem[len("features_"):]) for p in folder.glob("features_*.parquet"))  # safe_component
        return sorted(n for n in names if "@" not in n)

    def manifest_of(self, stage: str) -> dict | None:
        path = self.out / ".eprstats" / "stages" / f"{stage}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass
class RunResult:
    out: Path
    status: dict  # stage -> "computed" / "cached" / "skipped: reason" / "failed: reason"; a stage that is not
    #               configured (plan.Stage.configured_by) is absent
    wall: dict

    @property
    def skipped(self) -> dict:
        """stage -> reason, for the stages that were skipped."""
        return {s: v[len("skipped: "):] for s, v in self.status.items() if v.startswith("skipped")}


def _input_hashes(study) -> dict:
    """sha256 of the study file's manifest and of every file the manifest names."""
    hashes = {"manifest": file_sha256(Path(study.root) / study.settings.manifest)}
    seen = {}
    for patient in study.patients:
        row = study.row(patient)
        for col in study.file_columns():
            ref = study.file(row, col)
            if ref is None:
                continue
            key = str(ref.path)
            if key not in seen:
                p = Path(ref.path)
                seen[key] = (file_sha256(p) if p.is_file() else
                             settings_hash(sorted((f.name, file_sha256(f)) for f in p.rglob("*") if f.is_file()))
                             if p.is_dir() else None)
    root = Path(study.root)
    relative = {(str(Path(k).relative_to(root)) if Path(k).is_relative_to(root) else k): v
                for k, v in sorted(seen.items())}
    # Paths relative to the study folder: the same study copied elsewhere has the same keys (its caches and
    # provenance stay valid), while a file moved within it does not.
    hashes["files"] = settings_hash(sorted(relative.items()))
    hashes["n_files"] = len(seen)
    hashes["file_sha256"] = relative
    return hashes


def _extra_settings(ctx: Context) -> dict:
    """Settings that are files: their content hash joins the key."""
    out = {}
    path = ctx.radiomics_settings_path
    if path is not None and Path(path).is_file():
        out["radiomics_settings_sha256"] = file_sha256(path)
    return out


def _content_hash(path: Path | None):
    """sha256 of a file, or of a folder's files (relative names and contents); None when not given."""
    if path is None or not path.exists():
        return None
    if path.is_file():
        return file_sha256(path)
    return settings_hash(sorted((str(f.relative_to(path)), file_sha256(f)) for f in path.rglob("*") if f.is_file()))


def stage_key(ctx: Context, stage: str, inputs: dict, keys: dict) -> str:
    plan = PLAN[stage]
    body = {"stage": stage, "version": RUNNER_VERSION,
            "settings": {k: getattr(ctx.settings, k) for k in plan.settings},
            "upstream": {d: keys.get(d) for d in plan.depends_on}}
    if plan.uses_image_hashes:
        body["inputs"] = {k: v for k, v in inputs.items() if k != "file_sha256"}
    if stage == "handcrafted":
        body["files"] = _extra_settings(ctx)
    if stage == "signatures":
        body["models"] = ctx.settings.model_specs
    if plan.files:  # the content of the files and folders the settings name, not only their names
        body["contents"] = {k: _content_hash(ctx.setting_path(k)) for k in plan.files}
    return settings_hash(body)


def _claim_folder(out: Path, study) -> None:
    marker = out / ".eprstats" / "study.json"
    ident = {"study": str(Path(study.path).resolve()), "name": study.settings.name}
    if marker.is_file():
        old = json.loads(marker.read_text(encoding="utf-8"))
        if old.get("study") != ident["study"]:
            raise InputError(f"the output folder {out} holds the results of another study ({old.get('study')})",
                             "give another --out folder (nothing was overwritten)", file=str(out))
    elif out.exists() and any(out.iterdir()):
        raise InputError(f"the output folder {out} is not empty and holds no eprstats study results",
                         "give a new or empty --out folder (nothing was overwritten)", file=str(out))
    write_json(marker, ident)


@arguments(study_path="path", out_dir="path?", from_stage="text?", only="text?", jobs="count", scheduler="text?")
def run_study(study_path, out_dir=None, from_stage: str | None = None, only: str | None = None, jobs: int = 1,
              echo=print, scheduler: str | None = None) -> RunResult:
    """Run every stage of the study (:data:`eprstats.study.plan.STAGES`), reusing cached stages whose key is
    unchanged.

    Parameters
    ----------
    study_path : str or Path
        The study file (``study.yaml``) or the folder holding it (:func:`eprstats.load_study`).
    out_dir : str or Path, optional
        The output folder (default: the study file's ``output:``); it must be new, empty or an earlier run's
        output of this study (nothing else is overwritten).
    from_stage : str, optional
        Recompute this stage and every later one.
    only : str, optional
        Recompute this stage alone (its inputs must exist; later stages are not touched, and rerun on the next
        full run if their inputs changed).
    jobs : int
        Parallel workers for the per-patient and per-feature work on this machine (without a scheduler).
    echo : callable
        Receives each progress line (default: ``print``).
    scheduler : str, optional
        A Dask scheduler address (default: the study file's ``scheduler:``); the per-patient work of rois,
        handcrafted and deep and the per-feature work of icc then run on its workers, which must see the study
        folder (checked before any stage runs: :func:`eprstats.cluster.check_workers`). One client for the
        whole run; the outputs are the bytes of a local run. ``"local"``: on this machine, whatever the study
        file says.

    Returns
    -------
    RunResult
        The status of every stage (:attr:`RunResult.skipped` lists the skipped ones). Raises
        :class:`PartialFailure` when a stage failed (the others' outputs are kept).

    Examples
    --------
    >>> import eprstats as ep
    >>> run = ep.run_study("study.yaml", "results")                    # doctest: +SKIP
    >>> run.skipped                                                     # doctest: +SKIP
    >>> ep.run_study("study.yaml", "results", only="calibration")       # doctest: +SKIP
    """
    for name, value in (("--from", from_stage), ("--only", only)):
        if value is not None and value not in PLAN:
            raise InputError(f"unknown stage {value!r} for {name}", f"use one of: {', '.join(ORDER)}")
    study = load_study(study_path)
    out = check_out_folder(Path(out_dir) if out_dir is not None else study.output_dir)
    address = scheduler or study.settings.scheduler
    address = None if address == "local" else address  # --scheduler local: this machine, whatever the file says
    with session(address, study, echo) as client:  # refused before the folder is touched
        _claim_folder(out, study)
        with _run_lock(out):
            return _run(study, out, from_stage, only, jobs, echo, address, client)


@contextlib.contextmanager
def _run_lock(out: Path):
    """One run at a time per output folder: ``.eprstats/lock`` holds the running process' id. A lock whose
    process is gone (a killed run) is taken over; a live one refuses the second run before any work."""
    lock = out / ".eprstats" / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _lock_holder(lock)
            if holder is not None and _alive(holder):
                raise InputError(f"another eprstats run (process {holder}) is writing into {out}",
                                 "wait for it to finish, or give this run another --out folder",
                                 file=str(lock)) from None
            lock.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()}\n")
        break
    else:  # pragma: no cover - another run took the stale lock between our two tries
        raise InputError(f"another eprstats run is starting in {out}", "wait for it, or give another --out folder",
                         file=str(lock))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _run(study, out: Path, from_stage, only, jobs, echo, scheduler=None, client=None) -> RunResult:
    # A run killed with SIGKILL leaves its half-written temporary files (never the outputs themselves).
    stale = remove_stale_temporaries(out)
    if stale:
        echo(f"removed {len(stale)} temporary file(s) left by an interrupted run")
    for sub in ("features", "tables", "figures"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ctx = Context(study=study, out=out, jobs=int(jobs), scheduler=scheduler if client is not None else None,
                  client=client)
    if ctx.settings.deep_weights == "random":
        echo("*** DEEP FEATURES USE RANDOM WEIGHTS (no ImageNet weights): the deep signature is a demonstration "
             "only, not the paper's model. ***")
    if ctx.synthetic:
        echo("*** SYNTHETIC DATA: every value below is computed from the generated demo cohort. ***")
    inputs = _input_hashes(study)
    keys, status, wall, errors = {}, {}, {}, {}
    todo = [only] if only else ORDER
    start_at = ORDER.index(from_stage) if from_stage else None
    for stage in ORDER:
        deps = PLAN[stage].depends_on
        prev = ctx.manifest_of(stage)
        if stage not in todo:
            if prev is not None and prev.get("key"):
                keys[stage] = prev["key"]
            continue
        if not PLAN[stage].configured(ctx.settings):
            # an optional step the study file does not ask for: no outputs, no status, not a skip (exit 0)
            echo(f"[{stage}] not configured (no '{PLAN[stage].configured_by}' in the study file)")
            _forget(ctx, stage, prev, NOT_CONFIGURED, keep=())
            continue
        missing_deps = [d for d in deps if d not in keys or str(status.get(d, "")).startswith(("failed", "skipped"))]
        lacking = blocking(PLAN[stage], [d for d in deps if d not in keys])
        if only and lacking:
            raise InputError(f"stage {stage!r} needs the outputs of {lacking}, which do not exist yet",
                             f"run 'eprstats run STUDY --only {lacking[0]}' (or the whole study) first")
        unusable = blocking(PLAN[stage], missing_deps)
        if unusable:
            status[stage] = f"skipped: needs {', '.join(unusable)}"
            echo(f"[{stage}] skipped (needs {', '.join(unusable)})")
            _forget(ctx, stage, prev, status[stage], keep=())
            continue
        key = stage_key(ctx, stage, inputs, keys)
        forced = bool(only) or (start_at is not None and ORDER.index(stage) >= start_at)
        if (not forced and prev is not None and prev.get("key") == key and prev.get("status") == "computed"
                and all((out / p).exists() for p in prev.get("outputs", []))):
            keys[stage] = key
            status[stage] = "cached"
            wall[stage] = prev.get("wall_s")
            echo(f"[{stage}] cached")
            continue
        echo(f"[{stage}] running ...")
        result, seconds, n_warnings = _execute(ctx, stage, key, errors)
        status[stage], wall[stage] = result, seconds
        if result == "computed":
            keys[stage] = key
        summary = ((ctx.manifest_of(stage) or {}).get("summary") or {}) if result == "computed" else {}
        not_done = summary.get("not_done")
        echo(f"[{stage}] {result} in {seconds:.1f} s" + (f" ({n_warnings} warning(s))" if n_warnings else "")
             + (f"; not done: {not_done}" if not_done else ""))
    _write_provenance(ctx, inputs, status, wall)
    _raise_failures(status, errors, out)
    return RunResult(out=out, status=status, wall=wall)


def _raise_failures(status: dict, errors: dict, out: Path) -> None:
    failed = {s: v for s, v in status.items() if v.startswith("failed")}
    finished = sum(v in ("computed", "cached") for v in status.values())
    if failed and not finished and len(errors) == 1:
        # Nothing could run (e.g. the cohort failed validation): the input's own error, exit 2, not a partial run
        raise next(iter(errors.values()))
    if failed:
        first = next(iter(failed))
        raise PartialFailure(f"{len(failed)} stage(s) failed ({first}: {failed[first][8:]})",
                             f"fix the input and rerun: the {finished} finished stage(s) are kept in {out}")


def _execute(ctx: Context, stage: str, key: str, errors: dict) -> tuple[str, float, int]:
    """Run one stage's adapter; write its manifest (key, status, outputs, warnings, summary).

    Returns (status, seconds, number of warnings). A stage's input error is its status ("failed: ...", kept
    in ``errors``), so that the stages not depending on it still run; a full disk stops the run.
    """
    before = _snapshot(ctx.out)
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            summary, result = getattr(stages, PLAN[stage].name)(ctx), "computed"
        except StageSkipped as exc:
            summary, result = {}, f"skipped: {exc}"
        except OutputWriteError:  # a full disk: the later stages would fail the same way; stop here
            raise
        except EprstatsError as exc:
            summary, result = {}, f"failed: {exc.message}"
            errors[stage] = exc
    seconds = round(time.perf_counter() - t0, 2)
    messages = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    outputs = sorted(str(p.relative_to(ctx.out)) for p in _changed(ctx.out, before))
    if result != "computed":  # the previous run's files of this stage came from other inputs: never show them
        _forget(ctx, stage, ctx.manifest_of(stage), result, keep=outputs)
    write_json(ctx.out / ".eprstats" / "stages" / f"{stage}.json",
               {"stage": stage, "key": key if result == "computed" else None, "status": result,
                "wall_s": seconds, "warnings": messages, "summary": _jsonable(summary), "outputs": outputs})
    return result, seconds, len(messages)


def _forget(ctx: Context, stage: str, prev: dict | None, status: str, keep) -> None:
    """Remove the files a previous run of ``stage`` wrote (except ``keep``, this run's own) and record
    ``status``: a skipped or failed stage leaves no table computed from other inputs for the report to show."""
    keep = set(keep)
    for rel in (prev or {}).get("outputs", []):
        if rel not in keep and ".." not in Path(rel).parts:
            (ctx.out / rel).unlink(missing_ok=True)
    write_json(ctx.out / ".eprstats" / "stages" / f"{stage}.json",
               {"stage": stage, "key": None, "status": status, "wall_s": None, "warnings": [], "summary": {},
                "outputs": sorted(keep)})


def _snapshot(out: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".eprstats" not in p.parts}


def _changed(out: Path, before: dict) -> list[Path]:
    now = _snapshot(out)
    return [p for p, t in now.items() if before.get(p) != t and "cache" not in p.parts]


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=str))


def _cluster_record(ctx: Context) -> dict | None:
    """Where the imaging stages ran: the scheduler and its workers (None: on this machine)."""
    if ctx.client is None:
        return None
    workers = ctx.client.scheduler_info()["workers"]
    return {"scheduler": ctx.scheduler, "workers": len(workers),
            "threads": sum(w["nthreads"] for w in workers.values())}


def _write_provenance(ctx: Context, inputs: dict, status: dict, wall: dict) -> None:
    weights = ctx.out / "features" / "deep_weights.json"
    record = {
        "analysis": "eprstats run (whole study)",
        "study": str(ctx.study.path),
        "study_sha256": file_sha256(ctx.study.path),
        "settings": ctx.settings.as_dict(),
        "seed": ctx.settings.seed,
        "synthetic": ctx.synthetic,
        "reduced": ctx.settings.reduced,
        "inputs": inputs,
        "deep_weights": json.loads(weights.read_text(encoding="utf-8")) if weights.is_file() else None,
        "cluster": _cluster_record(ctx),
        "stages": {s: {"status": status.get(s, "not run" if PLAN[s].configured(ctx.settings) else NOT_CONFIGURED),
                       "wall_s": wall.get(s),
                       "key": (ctx.manifest_of(s) or {}).get("key")} for s in ORDER},
        "software": software_versions(True),
        "time": {"written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    write_json(ctx.out / "provenance.json", record)
