"""The provenance's package versions are those importlib.metadata reports (read faster, from the headers)."""
from __future__ import annotations

import importlib.metadata as md
import platform
import sys

from eprstats.reporting.provenance import PYTHON_DISTRIBUTIONS, distribution_version, software_versions


def _reference(name):
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None


def test_every_installed_distribution_has_importlibs_version():
    names = sorted({d.metadata["Name"] for d in md.distributions() if d.metadata["Name"]})
    assert len(names) > 20  # a probe of an empty environment would pass trivially
    for name in names:
        assert distribution_version(name) == _reference(name), name


def test_a_missing_distribution_is_none():
    assert distribution_version("no-such-distribution-eprstats-test") is None


def test_software_versions_as_before():
    expected = {"python": sys.version.split()[0], "platform": platform.platform()}
    expected.update({d: _reference(d) for d in PYTHON_DISTRIBUTIONS})
    assert software_versions(include_r=False) == expected
