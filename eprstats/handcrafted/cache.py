"""Per-case cache: one JSON file per patient, keyed by the hashes of the case's input files and the settings.

A case is recomputed when any input file's content (SHA-256), the pyradiomics settings, the ROI derivation
settings or the versions of pyradiomics/eprstats change; otherwise a rerun reads the cached values. The file
is written atomically (temporary file, then rename), so a run killed at any moment leaves either no entry or
a complete one for each case, and a rerun resumes from what had finished.

Floats are stored by JSON's shortest round-trip repr (NaN as ``NaN``), so cached values are bit-identical to
freshly computed ones.

The warnings a case raised (a tumour touching the image edge, ...) are kept in its entry and replayed when it
is read back (:func:`recorded_warnings`, :func:`replay_warnings`, also used by the deep features' cache), so
that a resumed run reports the same warnings, in the same order, as an uninterrupted one.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import warnings
from pathlib import Path

from .. import __version__ as eprstats_version
from ..fileio import file_sha256, settings_hash, write_text
from ..paths import safe_component

CACHE_FORMAT = 1


def path_sha256(path) -> str:
    """SHA-256 of a file, or of a folder (a DICOM series: every file's name and content, sorted)."""
    path = Path(path)
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(str(f.relative_to(path)).encode())
            h.update(file_sha256(f).encode())
        return h.hexdigest()
    return file_sha256(path)


def case_key(files: dict, settings_digest: str, extra: dict | None = None) -> str:
    """Key of one case: the hashes of its input files (by role), the settings hash and anything else
    that changes the result (ROI derivation, versions)."""
    import radiomics

    digests: dict = {}  # an image shared by several ROIs is hashed once
    for p in files.values():
        if str(p) not in digests:
            digests[str(p)] = path_sha256(p)
    payload = {
        "format": CACHE_FORMAT,
        "files": {role: digests[str(p)] for role, p in sorted(files.items())},
        "settings": settings_digest,
        "extra": extra or {},
        "pyradiomics": radiomics.__version__,
        "eprstats": eprstats_version,
    }
    return settings_hash(payload)


def _safe(name: str) -> str:
    # Patient ids become file names through the package's one rule (reversible, collision-free)
    return safe_component(str(name))


class CaseCache:
    """The cache folder of one output folder (``OUT/cache/``)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def path(self, patient: str) -> Path:
        return self.folder / f"{_safe(patient)}.json"

    def load(self, patient: str, key: str) -> dict | None:
        """The cached entry when it exists and was made with ``key``; otherwise None."""
        p = self.path(patient)
        if not p.is_file():
            return None
        try:
            entry = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # unreadable: recompute (it is replaced atomically)
            return None
        if entry.get("key") != key or entry.get("patient") != str(patient):
            return None
        if not isinstance(entry.get("warnings"), list):  # made before warnings were kept: they would be lost
            return None
        return entry

    def store(self, patient: str, key: str, features: dict, diagnostics: dict, warned: list = ()) -> Path:
        """Write the entry of ``patient``; ``warned`` are the case's :func:`recorded_warnings` records."""
        entry = {"patient": str(patient), "key": key, "features": features, "diagnostics": diagnostics,
                 "warnings": list(warned)}
        # not sort_keys: the features keep pyradiomics' order, which becomes the tables' column order
        return write_text(self.path(patient), json.dumps(entry, indent=1) + "\n")


# --- warnings of cached work ----------------------------------------------------------------------------------

@contextlib.contextmanager
def recorded_warnings():
    """Collect the warnings raised in the block (none is shown) as records ``{category, module, message}``.

    All of them, deprecations included: the stage records them too (its list keeps each text once).

    The list yielded is filled when the block ends, also when it raises. Not thread-safe (Python's warning
    filters are global): use it around work done in one thread at a time.
    """
    records: list = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # every occurrence: the caller's filters decide at replay
        try:
            yield records
        finally:
            records.extend({"category": w.category.__name__, "module": w.category.__module__,
                            "message": str(w.message)} for w in caught)


_STAND_INS: dict = {}


def _category(name, module) -> type:
    """The warning class recorded, or (when it cannot be imported) a UserWarning subclass of the same name,
    so that the text a stage records, ``Category: message``, is the same."""
    try:
        cls = getattr(importlib.import_module(str(module)), str(name))
        if isinstance(cls, type) and issubclass(cls, Warning):
            return cls
    except Exception:  # a module renamed or removed since the entry was written
        pass
    name = str(name or "UserWarning")
    if name not in _STAND_INS:
        _STAND_INS[name] = UserWarning if name == "UserWarning" else type(name, (UserWarning,), {})
    return _STAND_INS[name]


def replay_warnings(records, skip=()) -> None:
    """Issue again, in order, the warnings of :func:`recorded_warnings` records (categories in ``skip``,
    by name, left out)."""
    for rec in records or ():
        if rec.get("category") not in skip:
            warnings.warn(str(rec.get("message", "")), _category(rec.get("category"), rec.get("module")),
                          stacklevel=2)
