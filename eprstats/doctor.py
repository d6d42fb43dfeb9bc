"""``eprstats doctor``: what is installed, the command that installs what is missing, and the versions to cite.

Exit code 1 when a required component is missing (:mod:`eprstats.cli` passes it to the shell), so that a
script can gate on ``eprstats doctor``. Every Python distribution eprstats imports and every R package it asks
R for is listed (``tests/test_doctor.py`` checks the list against the package's imports).
"""
from __future__ import annotations

import importlib.machinery
import importlib.metadata as md
import platform
import shutil
import sys

from pathlib import Path

import click

# (distribution, extra of pyproject.toml or "core", requirement as pyproject.toml states it, what needs it).
# Required: the core (`pip install .`); the extras are optional. tests/test_doctor.py checks the requirements
# against pyproject.toml and the list against every module eprstats imports.
PYTHON_PACKAGES = [
    ("numpy", "core", "numpy>=1.24", ""), ("pandas", "core", "pandas>=2.0,<3", ""),
    ("scipy", "core", "scipy>=1.10", ""), ("click", "core", "click>=8.1", "the command line"),
    ("rpy2", "core", "rpy2==3.5.17", "the bridge to R"), ("matplotlib", "core", "matplotlib>=3.7", "figures"),
    ("python-docx", "core", "python-docx>=1.0", "Word tables"), ("PyYAML", "core", "pyyaml>=6", "study files"),
    ("pyarrow", "core", "pyarrow>=14", "feature tables"), ("tabulate", "core", "tabulate>=0.9", "Markdown tables"),
    ("SimpleITK", "imaging", "SimpleITK>=2.3", "images, ROIs"),
    ("pyradiomics-bhklab", "imaging", "pyradiomics-bhklab==3.1.4", "handcrafted features"),
    ("joblib", "imaging", "joblib>=1.3", "parallel extraction"),
    ("dask", "imaging", "dask[distributed]>=2024.1", "--scheduler"),
    ("distributed", "imaging", "dask[distributed]>=2024.1", "--scheduler"),
    ("tqdm", "imaging", "tqdm>=4.66", "progress bars"),
    ("pingouin", "imaging", "pingouin>=0.5.4", "the tests' ICC oracle"),
    ("torch", "deep", "torch==2.14.1", "deep features"), ("torchvision", "deep", "torchvision==0.29.1", "ResNet34"),
    ("pdfplumber", "audit", "pdfplumber>=0.11", "audit-import of a PDF"),
    ("pytest", "test", "pytest>=8", "the tests"),
    ("pytest-xdist", "test", "pytest-xdist>=3.5", "the tests on two cores"), ("hypothesis", "test", "hypothesis>=6.100", "the tests"),
    ("dcurves", "test", "dcurves>=1.1", "the tests' decision-curve oracle"),
    # PyPI's 0.1.0 declares Python >= 3.12 but runs on 3.11 (scripts/setup.sh --test installs it so)
    ("pmsampsize", "test", "--no-deps --ignore-requires-python pmsampsize==0.1.0", "the tests' sample-size oracle"),
]

# The eprstats feature engine's compiled kernels: eprstats/handcrafted/engine/_<name>.c, built by setup.py
# (tests/test_doctor.py checks this list against the sources). Looked for as files, so that doctor works where
# the imaging extra (which the engine package imports) is missing.
ENGINE_KERNELS = ("_features", "_fused", "_mcc", "_prep")

# R packages: (package, required?, what needs it); car is the tests' oracle of Levene's test
R_PACKAGES = [("glmnet", True, "LASSO"), ("pROC", True, "ROC, DeLong"), ("rms", True, "lrm, calibrate, nomogram"),
              ("Hmisc", True, "rms' dependency"), ("car", False, "tests only: Levene's test oracle")]


def _pip_fix(requirement: str) -> str:
    # the Python running eprstats, so the fix lands in the same environment (a virtual one included)
    spec = requirement if requirement.startswith("-") else f"'{requirement}'"
    return f"{sys.executable} -m pip install {spec}"


def _r_fix(packages) -> str:
    """Debian's packages where apt exists (setup.sh's route), CRAN's otherwise."""
    if shutil.which("apt-get"):
        debs = " ".join(f"r-cran-{p.lower()}" for p in packages)
        return f"apt-get update && apt-get install -y --no-install-recommends {debs}"
    names = ", ".join(f'"{p}"' for p in packages)
    return f"Rscript -e 'install.packages(c({names}), repos = \"https://cloud.r-project.org\")'"


def report() -> tuple[list[tuple[str, str, str]], bool, dict]:
    """Rows of (component, version or 'MISSING', fix), whether everything required is present, and the
    versions found (the keys of :func:`eprstats.reporting.provenance.software_versions`)."""
    from . import rbridge  # here: it loads numpy and pandas, which `eprstats --help` must not

    versions = {"python": sys.version.split()[0]}
    rows = [("Python", versions["python"], ""), ("platform", platform.platform(), "")]
    ok = True
    for dist, group, requirement, why in PYTHON_PACKAGES:
        required = group == "core"
        try:
            versions[dist] = md.version(dist)
            rows.append((dist, versions[dist], ""))
        except md.PackageNotFoundError:
            state = "MISSING" if required else f"missing (optional, [{group}]{': ' + why if why else ''})"
            rows.append((dist, state, _pip_fix(requirement)))
            ok = ok and not required
    rows.append(_kernels_row())
    try:
        versions["eprstats"] = md.version("eprstats")
    except md.PackageNotFoundError:  # run from a source tree on PYTHONPATH
        versions["eprstats"] = None
    try:
        versions["R"] = rbridge.r_version()
        rows.append(("R", versions["R"], ""))
        found = rbridge.package_versions(tuple(p for p, _, _ in R_PACKAGES))
        for pkg, required, why in R_PACKAGES:
            version = found.get(pkg)
            versions[f"R:{pkg}"] = version
            state = version or ("MISSING" if required else f"missing (optional: {why})")
            rows.append((f"R:{pkg}", state, "" if version else _r_fix([pkg])))
            ok = ok and (version is not None or not required)
    except Exception:  # R itself missing: say so and how to fix it
        rows.append(("R", "MISSING", rbridge.APT_R if shutil.which("apt-get") else
                     "install R >= 4.1 from https://cloud.r-project.org, then " +
                     _r_fix([p for p, required, _ in R_PACKAGES if required])))
        ok = False
    return rows, ok, versions


def _kernels_row() -> tuple[str, str, str]:
    """Whether the eprstats engine's compiled kernels were built (optional: --engine pyradiomics needs none)."""
    folder = Path(__file__).resolve().parent / "handcrafted" / "engine"
    missing = [name for name in ENGINE_KERNELS
               if not any((folder / f"{name}{suffix}").exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)]
    if not missing:
        return ("eprstats engine kernels", "built", "")
    state = f"missing (optional: the default engine eprstats; not built: {', '.join(missing)})"
    return ("eprstats engine kernels", state,
            "install a C compiler (apt-get install gcc python3-dev) and reinstall: bash scripts/setup.sh; or use "
            "--engine pyradiomics")


@click.command()
def doctor():
    """Print Python, R and every package eprstats uses (install commands for what is missing) and the
    versions to cite. Exit code 1 when something required is missing."""
    from .reporting.citations import citation_lines

    rows, ok, versions = report()
    width = max(len(r[0]) for r in rows)
    for name, version, fix in rows:
        line = f"{name:<{width}}  {version}"
        if fix:
            line += f"\n{'':<{width}}  install: {fix}"
        click.echo(line)
    click.echo("\nto cite (README, 'How to cite'):")
    for line in citation_lines(versions):
        click.echo(f"  {line}")
    click.echo("\nall required components present" if ok else "\nsomething required is missing")
    raise click.exceptions.Exit(0 if ok else 1)


COMMANDS = [doctor]
