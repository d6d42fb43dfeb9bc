"""`eprstats doctor`: exit code 1 when a required part is missing, 0 when all is there, reaching the shell; and
a list that names every Python distribution eprstats imports and every R package it asks R for.

The missing R packages are really missing for that R: an empty library folder replaces Debian's site library
(R_LIBS_SITE, which /etc/R/Renviron would otherwise set to /usr/local/lib/R/site-library:/usr/lib/R/site-library),
the user library (R_LIBS_USER) and R_LIBS; only R's base library (.Library) is left.
"""
from __future__ import annotations

import ast
import importlib.metadata as md
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from eprstats.doctor import ENGINE_KERNELS, PYTHON_PACKAGES, R_PACKAGES

REPO = Path(__file__).resolve().parents[1]
ENTRY = [sys.executable, "-c", "import sys; from eprstats.cli import main; sys.exit(main())"]
R_BASE = {"base", "stats", "utils", "methods", "graphics", "grDevices", "datasets", "tools", "grid", "splines"}


def _run(args, **env):
    environ = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.run([*ENTRY, *args], capture_output=True, text=True, env=environ, timeout=600)


@pytest.fixture(scope="module")
def doctor_ok():
    return _run(["doctor"])


def test_doctor_exits_0_when_everything_required_is_there(doctor_ok):
    assert doctor_ok.returncode == 0, doctor_ok.stdout + doctor_ok.stderr
    assert "all required components present" in doctor_ok.stdout
    for name in ("rpy2", "tqdm", "distributed", "pdfplumber", "R:glmnet", "R:pROC", "R:rms", "R:Hmisc", "R:car"):
        assert re.search(rf"^{re.escape(name)}\s", doctor_ok.stdout, re.M), name


def test_doctor_says_whether_the_engine_kernels_are_built(doctor_ok):
    """The list is setup.py's (every engine/_*.c is built); this checkout built them (setup.sh, pip install)."""
    sources = sorted(p.stem for p in (REPO / "eprstats" / "handcrafted" / "engine").glob("_*.c"))
    assert list(ENGINE_KERNELS) == sources
    assert re.search(r"^eprstats engine kernels\s+built$", doctor_ok.stdout, re.M), doctor_ok.stdout


def test_doctor_prints_the_versions_to_cite(doctor_ok):
    cite = doctor_ok.stdout.split("to cite", 1)[1]
    # the versions printed are the installed ones, asked of R and of the Python metadata independently
    r_versions = subprocess.run(["Rscript", "-e", 'for (p in c("pROC","rms","glmnet","Hmisc")) '
                                 'cat(p, as.character(packageVersion(p)), "\\n")'], capture_output=True, text=True,
                                check=True).stdout.split("\n")
    for line in filter(None, (l.strip() for l in r_versions)):
        pkg, version = line.split()
        assert f"{pkg} {version}: " in cite, line
    assert f"pyradiomics {md.version('pyradiomics-bhklab')}: van Griethuysen" in cite
    assert "doi:10.3389/fonc.2025.1642828" in cite  # the seed paper


def test_doctor_exits_1_when_r_packages_are_missing(tmp_path):
    empty = tmp_path / "empty_library"
    empty.mkdir()
    hidden = {"R_LIBS_SITE": str(empty), "R_LIBS_USER": str(empty), "R_LIBS": str(empty)}
    # the oracle: R itself, with the same environment, no longer finds them
    probe = subprocess.run(["Rscript", "-e", 'cat(requireNamespace("glmnet", quietly = TRUE))'],
                           capture_output=True, text=True, env={**os.environ, **hidden})
    assert probe.stdout.strip() == "FALSE"
    res = _run(["doctor"], **hidden)
    assert res.returncode == 1, res.stdout + res.stderr
    for pkg in ("glmnet", "pROC", "rms", "Hmisc"):
        assert re.search(rf"^R:{pkg}\s+MISSING$", res.stdout, re.M), pkg
        assert f"r-cran-{pkg.lower()}" in res.stdout  # the command that installs it
    assert re.search(r"^R:car\s+missing \(optional", res.stdout, re.M)
    assert "something required is missing" in res.stdout


def test_exit_codes_reach_the_shell():
    assert _run(["--help"]).returncode == 0
    assert _run(["no-such-command"]).returncode == 2
    bad = _run(["icc", str(REPO / "no_such.csv"), str(REPO / "no_such_either.csv"), "--id", "ID", "--out", "x"])
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def _imported_top_modules() -> set[str]:
    found = set()
    for path in (REPO / "eprstats").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "eprstats"}


def test_every_imported_distribution_is_listed():
    listed = {d.lower() for d, *_ in PYTHON_PACKAGES}
    owners = md.packages_distributions()  # import name -> distributions, from the installed metadata
    for module in sorted(_imported_top_modules()):
        dists = {d.lower() for d in owners.get(module, [])}
        assert dists, f"{module} is imported by eprstats but not installed"
        assert dists & listed, f"{module} ({dists}) is imported by eprstats but not listed by doctor"


def _strings_but_docstrings(tree) -> list[str]:
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_every_r_package_asked_for_is_listed():
    asked = set()
    for path in [*(REPO / "r").glob("*.R"), *(REPO / "eprstats").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":  # R code is in Python's strings (r.call("pkg::f")); docstrings only cite
            text = " ".join(_strings_but_docstrings(ast.parse(text)))
        else:
            text = re.sub(r"#.*", "", text)  # comments name packages only as references
        asked |= set(re.findall(r"\b([A-Za-z][A-Za-z0-9.]*)::", text))
    asked -= R_BASE
    listed = {p for p, *_ in R_PACKAGES}
    assert asked <= listed, f"R packages used but not listed by doctor: {asked - listed}"


def test_requirements_are_pyprojects():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    stated = {"core": set(meta["dependencies"]),
              **{k: set(v) for k, v in meta["optional-dependencies"].items()}}
    norm = lambda r: r.replace(" ", "").split(";")[0]  # noqa: E731
    for dist, group, requirement, _ in PYTHON_PACKAGES:
        if requirement.startswith("--"):
            continue  # pmsampsize: installed by scripts/setup.sh --test, see doctor.py
        assert norm(requirement) in {norm(r) for r in stated[group]} | {
            norm(r) for r in stated.get("test", set())}, (dist, requirement)
