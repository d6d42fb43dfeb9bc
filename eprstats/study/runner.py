"""The whole study in one command: every stage in order, each cached by the hashes of its inputs and settings.

Stage manifests live in ``<out>/.eprstats/stages/<stage>.json``: the stage's key (a hash of its settings, its
input files and the keys of the stages it depends on), its outputs, wall time, warnings and a summary. A stage
is recomputed when its key changes or an output is missing; otherwise it is skipped. ``<out>/.eprstats/study.json``
names the study the folder belongs to: another study's folder is refused (nothing is overwritten).
"""
from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EprstatsError, InputError, PartialFailure
from ..fileio import OutputWriteError, file_sha256, remove_stale_temporaries, settings_hash, write_json
from . import stages as S

#: stage name -> (depends on, study settings it reads, needs the image files' hashes)
STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "validate": ((), ("phases", "spacing", "geometry_tolerance", "id_column", "cohort_column",
                      "outcome_column", "mask_segment", "liver_segment"), True),
    "rois": (("validate",), ("ring_mm", "ring_phases", "spacing"), True),
    "handcrafted": (("validate",), ("ring_mm", "ring_phases", "spacing", "radiomics_settings"), True),
    "deep": (("validate",), ("deep_weights", "deep_phase", "deep_crop_size", "spacing", "seed"), True),
    "icc": (("handcrafted",), ("icc_threshold",), False),
    "signatures": (("icc", "deep"), ("models", "seed", "training_cohort", "clinical"), False),
    "table1": (("validate",), ("clinical", "table1_rule"), False),
    "table2": (("signatures",), (), False),
    "table3": (("signatures",), ("nomogram_model",), False),
    "calibration": (("signatures",), ("bootstrap", "seed"), False),
    "nri": (("signatures",), ("nomogram_model",), False),
    "dca": (("signatures",), (), False),
    "report": (("validate", "rois", "handcrafted", "deep", "icc", "signatures", "table1", "table2", "table3",
                "calibration", "nri", "dca"), ("name", "synthetic", "reduced"), False),
}
ORDER = list(STAGES)
#: bump when a stage's adapter changes meaning: part of every key
RUNNER_VERSION = 1


@dataclass
class Context:
    study: object
    out: Path
    jobs: int = 1
    settings: dict = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return bool(self.settings.get("synthetic"))

    @property
    def train_cohort(self) -> str:
        return str(self.settings.get("training_cohort", "training"))

    @property
    def radiomics_settings_path(self):
        value = self.settings.get("radiomics_settings")
        if not value or value == "paper":
            return None
        p = Path(value)
        return p if p.is_absolute() else self.study.root / p

    def handcrafted_rois(self) -> list[str]:
        folder = self.out / "features" / "handcrafted"
        return sorted(p.stem[len("features_"):] for p in folder.glob("features_*.parquet") if "@" not in p.stem)

    def manifest_of(self, stage: str) -> dict | None:
        path = self.out / ".eprstats" / "stages" / f"{stage}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass
class RunResult:
    out: Path
    status: dict  # stage -> "computed" / "cached" / "skipped: reason" / "failed: reason"
    wall: dict


def _input_hashes(study) -> dict:
    """sha256 of the study file's manifest and of every file the manifest names."""
    hashes = {"manifest": file_sha256(Path(study.root) / str(study.settings["manifest"]))}
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


def stage_key(ctx: Context, stage: str, inputs: dict, keys: dict) -> str:
    deps, setting_names, uses_files = STAGES[stage]
    body = {"stage": stage, "version": RUNNER_VERSION,
            "settings": {k: ctx.settings.get(k) for k in setting_names},
            "upstream": {d: keys.get(d) for d in deps}}
    if uses_files:
        body["inputs"] = {k: v for k, v in inputs.items() if k != "file_sha256"}
    if stage == "handcrafted":
        body["files"] = _extra_settings(ctx)
    if stage == "signatures":
        body["models"] = ctx.settings.get("models") or S.DEFAULT_MODELS
    return settings_hash(body)


def _claim_folder(out: Path, study) -> None:
    marker = out / ".eprstats" / "study.json"
    ident = {"study": str(Path(study.path).resolve()), "name": study.settings.get("name")}
    if marker.is_file():
        old = json.loads(marker.read_text(encoding="utf-8"))
        if old.get("study") != ident["study"]:
            raise InputError(f"the output folder {out} holds the results of another study ({old.get('study')})",
                             "give another --out folder (nothing was overwritten)", file=str(out))
    elif out.exists() and any(out.iterdir()):
        raise InputError(f"the output folder {out} is not empty and holds no eprstats study results",
                         "give a new or empty --out folder (nothing was overwritten)", file=str(out))
    write_json(marker, ident)


def run_study(study_path, out_dir=None, from_stage: str | None = None, only: str | None = None, jobs: int = 1,
              echo=print) -> RunResult:
    """Run every stage of the study (see :data:`STAGES`), reusing cached stages whose key is unchanged.

    ``from_stage``: recompute that stage and every later one. ``only``: recompute that stage alone (its
    inputs must exist; later stages are not touched, and rerun on the next full run if their inputs changed). Returns the status of every stage; raises :class:`PartialFailure` when a stage failed
    (the others' outputs are kept).
    """
    from . import register_keys
    register_keys()
    from ..cohort.study import load_study

    for name, value in (("--from", from_stage), ("--only", only)):
        if value is not None and value not in STAGES:
            raise InputError(f"unknown stage {value!r} for {name}", f"use one of: {', '.join(ORDER)}")
    study = load_study(study_path)
    out = Path(out_dir) if out_dir is not None else study.output_dir
    _claim_folder(out, study)
    # A run killed with SIGKILL leaves its half-written temporary files (never the outputs themselves).
    stale = remove_stale_temporaries(out)
    if stale:
        echo(f"removed {len(stale)} temporary file(s) left by an interrupted run")
    for sub in ("features", "tables", "figures"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ctx = Context(study=study, out=out, jobs=int(jobs), settings=dict(study.settings))
    if str(ctx.settings.get("deep_weights")) == "random":
        echo("*** DEEP FEATURES USE RANDOM WEIGHTS (no ImageNet weights): the deep signature is a demonstration "
             "only, not the paper's model. ***")
    if ctx.synthetic:
        echo("*** SYNTHETIC DATA: every value below is computed from the generated demo cohort. ***")
    inputs = _input_hashes(study)
    keys, status, wall, errors = {}, {}, {}, {}
    todo = [only] if only else ORDER
    start_at = ORDER.index(from_stage) if from_stage else None
    for stage in ORDER:
        deps = STAGES[stage][0]
        prev = ctx.manifest_of(stage)
        if stage not in todo:
            if prev is not None and prev.get("key"):
                keys[stage] = prev["key"]
            continue
        missing_deps = [d for d in deps if d not in keys or str(status.get(d, "")).startswith(("failed", "skipped"))]
        if only and [d for d in deps if d not in keys]:
            lacking = [d for d in deps if d not in keys]
            raise InputError(f"stage {stage!r} needs the outputs of {lacking}, which do not exist yet",
                             f"run 'eprstats run STUDY --only {lacking[0]}' (or the whole study) first")
        unusable = [d for d in missing_deps if stage != "report" and not (d == "deep" and stage == "signatures")]
        if unusable:
            status[stage] = f"skipped: needs {', '.join(unusable)}"
            echo(f"[{stage}] skipped (needs {', '.join(unusable)})")
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
        before = _snapshot(out)
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                summary = getattr(S, stage)(ctx)
                result = "computed"
            except S.StageUnavailable as exc:
                summary, result = {}, f"skipped: {exc}"
            except OutputWriteError:  # a full disk: the later stages would fail the same way; stop here
                raise
            except EprstatsError as exc:
                summary, result = {}, f"failed: {exc.message if hasattr(exc, 'message') else exc}"
                errors[stage] = exc
        seconds = round(time.perf_counter() - t0, 2)
        messages = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
        outputs = sorted(str(p.relative_to(out)) for p in _changed(out, before))
        status[stage], wall[stage] = result, seconds
        if result == "computed":
            keys[stage] = key
        write_json(out / ".eprstats" / "stages" / f"{stage}.json",
                   {"stage": stage, "key": key if result == "computed" else None, "status": result,
                    "wall_s": seconds, "warnings": messages, "summary": _jsonable(summary), "outputs": outputs})
        echo(f"[{stage}] {result} in {seconds:.1f} s" + (f" ({len(messages)} warning(s))" if messages else ""))
    _write_provenance(ctx, inputs, status, wall)
    failed = {s: v for s, v in status.items() if v.startswith("failed")}
    finished = sum(v in ("computed", "cached") for v in status.values())
    if failed and not finished and len(errors) == 1:
        # Nothing could run (e.g. the cohort failed validation): the input's own error, exit 2, not a partial run
        raise next(iter(errors.values()))
    if failed:
        first = next(iter(failed))
        raise PartialFailure(f"{len(failed)} stage(s) failed ({first}: {failed[first][8:]})",
                             f"fix the input and rerun: the {finished} finished stage(s) are kept in {out}")
    return RunResult(out=out, status=status, wall=wall)


def _snapshot(out: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".eprstats" not in p.parts}


def _changed(out: Path, before: dict) -> list[Path]:
    now = _snapshot(out)
    return [p for p, t in now.items() if before.get(p) != t and "cache" not in p.parts]


def _jsonable(obj):
    return json.loads(json.dumps(obj, default=str))


def _write_provenance(ctx: Context, inputs: dict, status: dict, wall: dict) -> None:
    from ..reporting.provenance import software_versions
    weights = ctx.out / "features" / "deep_weights.json"
    record = {
        "analysis": "eprstats run (whole study)",
        "study": str(ctx.study.path),
        "study_sha256": file_sha256(ctx.study.path),
        "settings": _jsonable(ctx.settings),
        "seed": ctx.settings.get("seed"),
        "synthetic": ctx.synthetic,
        "reduced": ctx.settings.get("reduced"),
        "inputs": inputs,
        "deep_weights": json.loads(weights.read_text(encoding="utf-8")) if weights.is_file() else None,
        "stages": {s: {"status": status.get(s, "not run"), "wall_s": wall.get(s),
                       "key": (ctx.manifest_of(s) or {}).get("key")} for s in ORDER},
        "software": software_versions(True),
        "time": {"written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    write_json(ctx.out / "provenance.json", record)
