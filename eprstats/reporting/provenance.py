"""The provenance record written beside every result: versions, seeds, settings, inputs, timings."""
from __future__ import annotations

import datetime as _dt
import email
import importlib.metadata as md
import platform
import sys
from pathlib import Path

from ..fileio import file_sha256, write_json

PYTHON_DISTRIBUTIONS = ("eprstats", "numpy", "pandas", "scipy", "rpy2", "SimpleITK", "pyradiomics-bhklab",
                        "pingouin", "torch", "torchvision", "matplotlib")


def software_versions(include_r: bool = True) -> dict:
    versions = {"python": sys.version.split()[0], "platform": platform.platform()}
    for dist in PYTHON_DISTRIBUTIONS:
        versions[dist] = distribution_version(dist)
    if include_r:
        try:
            from .. import rbridge
            versions["R"] = rbridge.r_version()
            versions.update({f"R:{k}": v for k, v in rbridge.package_versions().items()})
        except Exception:  # provenance must never fail a run
            versions["R"] = None
    return versions


def distribution_version(name: str) -> str | None:
    """``importlib.metadata.version(name)``, None when not installed, read from the metadata file's headers
    only: importlib parses the whole file, long description included (pandas' look-up alone took 9 ms, the
    eleven of a provenance 45 ms). The header block ends at the first empty line, as for email's parser."""
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        return None
    # importlib.metadata's own order of files (Distribution.metadata)
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or dist.read_text("")
    if text is None:
        return dist.version
    end = text.find("\n\n")
    return email.message_from_string(text if end < 0 else text[:end + 1])["Version"]


def provenance(analysis: str, settings: dict, seed: int | None = None, inputs=(), extra=None,
               include_r: bool = True) -> dict:
    """A JSON-able record. Timestamps are kept under ``time`` only, so that two runs can be compared
    by ignoring that one key."""
    record = {
        "analysis": analysis,
        "settings": settings,
        "seed": seed,
        "inputs": {str(p): file_sha256(p) for p in inputs if Path(p).is_file()},
        "software": software_versions(include_r),
        "time": {"written": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")},
    }
    if extra:
        record.update(extra)
    return record


def write_provenance(path, analysis: str, settings: dict, **kwargs) -> Path:
    """Write ``<result>.provenance.json`` beside a result."""
    path = Path(path)
    target = path if path.name.endswith(".json") else path.with_name(path.stem + ".provenance.json")
    return write_json(target, provenance(analysis, settings, **kwargs))
