"""scripts/setup.sh: a system Python that refuses `pip install` (PEP 668) gets its own virtual environment, any
other Python is installed into directly, pip's failure stops the script, and `eprstats` / `eprstats-python`
land in the folder the README's commands find them in.

The real run installs only eprstats itself (``EPRSTATS_PIP_OPTIONS=--no-deps``: the full dependency set is
what `.ci/run` installs, minutes of it) into a virtual environment made from this machine's Debian python3,
from a copy of the repository (an editable install writes eprstats.egg-info beside the sources).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
#: pip and setup.sh print UTF-8 whatever the locale (a C locale decoded it as ASCII and failed)
UTF8 = dict(encoding="utf-8", errors="replace")


def _externally_managed(python: Path) -> bool:
    """PEP 668's marker, asked of that Python itself (its standard library's folder)."""
    if not python.exists():
        return False
    out = subprocess.run([str(python), "-c", "import sysconfig, os; print(os.path.exists(os.path.join("
                          "sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"], capture_output=True, **UTF8)
    return out.stdout.strip() == "True"


needs_pep668 = pytest.mark.skipif(not _externally_managed(SYSTEM_PYTHON) or not shutil.which("Rscript"),
                                  reason="no externally-managed /usr/bin/python3 (PEP 668) with R on this machine")


def _clean_env(**extra) -> dict:
    # a PYTHONPATH (a developer's checkout) would shadow the installed copy this test is about (and so would a
    # checkout as the working directory: `python -c` puts it first on sys.path)
    return {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}, **extra}


def _setup(repo: Path, *args, **env):
    return subprocess.run(["bash", str(repo / "scripts" / "setup.sh"), *args], capture_output=True, **UTF8,
                          env=_clean_env(**env), cwd=repo, timeout=600)


@pytest.fixture
def clone(tmp_path):
    target = tmp_path / "clone"
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "tests", "benchmarks"))
    return target


def test_separate_python_is_installed_into_directly(tmp_path):
    # this test's own Python: a pyenv or python.org build (or a virtual environment), not the system's
    if _externally_managed(Path(sys.executable)) and sys.prefix == sys.base_prefix:
        pytest.skip("the tests run on an externally-managed Python")
    res = _setup(REPO, "--dry-run", "--test", PYTHON=sys.executable, EPRSTATS_BIN=str(tmp_path / "bin"))
    assert res.returncode == 0, res.stderr
    plan = res.stdout
    assert f"eprstats goes into {sys.executable}" in plan and "virtual environment" not in plan
    assert f"+ {sys.executable} -m pip install -e .[imaging,deep,test]" in plan
    assert "pmsampsize==0.1.0" in plan
    scripts = sysconfig.get_path("scripts")
    assert f"+ write {tmp_path / 'bin'}/eprstats: exec {scripts}/eprstats" in plan
    assert not (tmp_path / "bin").exists()  # a dry run changes nothing


@needs_pep668
def test_system_python_gets_a_virtual_environment(clone, tmp_path):
    # the precondition, from pip itself: the system Python refuses to install
    refused = subprocess.run([str(SYSTEM_PYTHON), "-m", "pip", "install", "--dry-run", "click"],
                             capture_output=True, **UTF8)
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr + refused.stdout
    venv, bin_dir = tmp_path / "venv", tmp_path / "bin"
    env = dict(PYTHON=str(SYSTEM_PYTHON), EPRSTATS_VENV=str(venv), EPRSTATS_BIN=str(bin_dir))

    res = _setup(clone, EPRSTATS_PIP_OPTIONS="--no-deps", **env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"managed by the system (PEP 668); eprstats goes into the virtual environment {venv}" in res.stdout
    assert (venv / "pyvenv.cfg").is_file()
    python = bin_dir / "eprstats-python"
    where = subprocess.run([str(python), "-c", "import sys, eprstats; print(sys.prefix); print(eprstats.__file__)"],
                           capture_output=True, **UTF8, check=True, env=_clean_env(), cwd=tmp_path).stdout.split()
    assert where == [str(venv), str(clone / "eprstats" / "__init__.py")]
    # `eprstats` on that PATH starts the environment's eprstats (click is its one import for --version)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "click"], capture_output=True, check=True,
                   env=_clean_env())
    version = subprocess.run([str(bin_dir / "eprstats"), "--version"], capture_output=True, **UTF8,
                             env=_clean_env())
    assert version.returncode == 0 and "eprstats, version" in version.stdout, version.stderr

    # pip's failure is setup.sh's failure (no `|| true`), with pip's own message
    broken = _setup(clone, EPRSTATS_PIP_OPTIONS=f"--constraint {tmp_path / 'no_such_constraints.txt'}", **env)
    assert broken.returncode != 0
    assert "no_such_constraints.txt" in broken.stdout + broken.stderr
    assert "setup.sh: done" not in broken.stdout
