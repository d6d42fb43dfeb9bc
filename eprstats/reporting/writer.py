"""One way for a command to write its output folder: all of a run's files, or none of them.

A command writes its files into a hidden staging folder inside ``--out``; only when every file is written are
they moved into place, and the files that the command's previous run wrote but this run did not are removed.
Each command keeps the list of its files in ``--out/.eprstats-outputs/<command>.json`` (its manifest), so two
commands can share one folder without removing each other's files.

When a run fails part-way, the work it finished is never lost, and never mixed with another run's:

* if the folder holds a previous complete result of the command, that result is left untouched and the failed
  run's finished files go to ``--out/.eprstats-outputs/<command>.failed/``;
* otherwise the finished files are moved into ``--out`` as they are, without a manifest (and without the
  provenance a complete run ends with), so the folder does not look like a finished run.

A run killed outright leaves only a hidden ``.*.tmp-*`` folder, which the next run removes.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import InputError
from ..fileio import TEMP_MARK, OutputWriteError, write_json
from .provenance import write_provenance

MANIFESTS = ".eprstats-outputs"


def check_out_folder(out) -> Path:
    """``out`` as a Path, or an error (before any work) when it, or a folder above it, is a file."""
    out = Path(out)
    for p in (out, *out.parents):
        if p.exists() and not p.is_dir():
            where = "is a file" if p == out else f"lies under {p}, which is a file"
            raise InputError(f"the output folder {out} {where}", "give --out a folder name (it is created when "
                             "missing)", file=str(p))
    # the deepest folder that exists must let us write (the output folder itself, or where it is created)
    existing = next((p for p in (out, *out.parents) if p.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        where = "is" if existing == out else f"would be created in {existing}, which is"
        raise InputError(f"the output folder {out} {where} not writable", "give --out a folder you may write "
                         "into, or change its permissions", file=str(existing))
    return out


class StagedOutput:
    """``with StagedOutput(out, "roc") as stage: result.write(stage.path)``; then ``stage.final(paths)``."""

    def __init__(self, out, command: str):
        self.out = check_out_folder(out)
        self.command = command
        self.path = self.out / f".{command}{TEMP_MARK}{os.getpid()}"

    def __enter__(self) -> "StagedOutput":
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            for old in self.out.glob(f".{self.command}{TEMP_MARK}*"):  # left by a killed run
                shutil.rmtree(old, ignore_errors=True)
            self.path.mkdir()
        except OSError as exc:
            raise OutputWriteError(self.path, exc) from None
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc_type is None:
                self._commit()
            else:
                try:
                    self._keep_finished_work()
                except OSError:  # never hide the run's own error behind a failure to keep its files
                    pass
        finally:
            shutil.rmtree(self.path, ignore_errors=True)
        return False

    def final(self, paths) -> list[Path]:
        """The paths (written under the staging folder) where they are now, in ``out``."""
        return [self.out / Path(p).relative_to(self.path) if Path(p).is_relative_to(self.path) else Path(p)
                for p in paths]

    def _manifest(self) -> Path:
        return self.out / MANIFESTS / f"{self.command}.json"

    def _keep_finished_work(self) -> None:
        files = [p for p in self.path.rglob("*") if p.is_file()]
        if not files:
            return
        if self._manifest().is_file():  # a complete earlier result stays as it is
            target = self.out / MANIFESTS / f"{self.command}.failed"
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.path, target)
            return
        for p in files:
            dest = self.out / p.relative_to(self.path)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(p, dest)

    def _commit(self) -> None:
        files = sorted(p.relative_to(self.path) for p in self.path.rglob("*") if p.is_file())
        previous = []
        if self._manifest().is_file():
            try:
                previous = json.loads(self._manifest().read_text(encoding="utf-8")).get("files", [])
            except (OSError, ValueError):
                previous = []
        try:
            for rel in files:
                target = self.out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.path / rel, target)
        except OSError as exc:
            raise OutputWriteError(self.out, exc) from None
        now = {str(rel) for rel in files}
        for rel in previous:
            if rel not in now and not Path(rel).is_absolute() and ".." not in Path(rel).parts:
                (self.out / rel).unlink(missing_ok=True)
        write_json(self._manifest(), {"command": self.command, "files": sorted(now)})
        shutil.rmtree(self.out / MANIFESTS / f"{self.command}.failed", ignore_errors=True)


def keep_partial(exc, out, command: str, formats=("csv",)) -> None:
    """Write the work ``exc`` says was finished (``exc.partial``) as a failed run of ``command`` keeps it (see
    the module's docstring); the caller re-raises ``exc``."""
    partial = getattr(exc, "partial", None)
    if partial is None:
        return
    try:
        with StagedOutput(out, command) as stage:
            partial.write(stage.path, formats, figures=False)
            raise _Failed
    except _Failed:
        pass


class _Failed(Exception):
    """Marks the staged write of a partial result as a failed run."""


def write_result(result, out, command: str, formats=None, *, figures: bool = True, beside=None, inputs=(),
                 seed=None, extra=None, list_outputs: bool = True) -> tuple[list[Path], Path]:
    """The one way a command writes a result: its files (:meth:`eprstats.results.Result.write`) and then its
    provenance into ``out``, all or none (:class:`StagedOutput`).

    ``beside`` names the file the provenance goes beside (``roc.csv`` -> ``roc.provenance.json``; default:
    the first file written); ``inputs`` are hashed into it; with ``list_outputs`` the provenance lists the
    files written (``outputs``). Returns ``(files, provenance)`` where they are now, in ``out``; the caller
    echoes them."""
    with StagedOutput(out, command) as stage:
        written = result.write(stage.path, formats, figures=figures)
        record = dict(extra or {})
        if list_outputs:
            record = {"outputs": [str(Path(p).relative_to(stage.path)) for p in written], **record}
        target = stage.path / beside if beside is not None else written[0]
        prov = write_provenance(target, command, result.settings, seed=seed, inputs=list(inputs),
                                extra=record or None)
    files = stage.final([*written, prov])
    return files[:-1], files[-1]
