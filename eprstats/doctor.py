"""``eprstats doctor``: what is installed, and the command that installs what is missing."""
from __future__ import annotations

import importlib.metadata as md
import platform
import sys

import click

# (distribution, import name, required?, install command)
PYTHON_PACKAGES = [
    ("numpy", True, "pip install numpy"),
    ("pandas", True, "pip install 'pandas<3'"),
    ("scipy", True, "pip install scipy"),
    ("click", True, "pip install click"),
    ("rpy2", True, "pip install rpy2==3.5.17"),
    ("matplotlib", True, "pip install matplotlib"),
    ("python-docx", True, "pip install python-docx"),
    ("PyYAML", True, "pip install pyyaml"),
    ("pyarrow", True, "pip install pyarrow"),
    ("SimpleITK", False, "pip install 'eprstats[imaging]'"),
    ("pyradiomics-bhklab", False, "pip install pyradiomics-bhklab==3.1.4"),
    ("pingouin", False, "pip install 'eprstats[imaging]'"),
    ("joblib", False, "pip install 'eprstats[imaging]'"),
    ("dask", False, "pip install 'eprstats[imaging]'"),
    ("torch", False, "pip install torch==2.14.1 torchvision==0.29.1"),
    ("torchvision", False, "pip install torch==2.14.1 torchvision==0.29.1"),
]


def report() -> tuple[list[tuple[str, str, str]], bool]:
    """Rows of (component, version or 'MISSING', fix) and whether everything required is present."""
    from . import rbridge  # here: it loads numpy and pandas, which `eprstats --help` must not

    rows = [("Python", sys.version.split()[0], ""), ("platform", platform.platform(), "")]
    ok = True
    for dist, required, fix in PYTHON_PACKAGES:
        try:
            rows.append((dist, md.version(dist), ""))
        except md.PackageNotFoundError:
            rows.append((dist, "MISSING" if required else "missing (optional)", fix))
            ok = ok and not required
    try:
        rows.append(("R", rbridge.r_version(), ""))
        for pkg, version in rbridge.package_versions().items():
            deb = rbridge.R_PACKAGES[pkg]
            fix = f"apt-get update && apt-get install -y --no-install-recommends {deb}"
            rows.append((f"R:{pkg}", version or "MISSING", "" if version else fix))
            ok = ok and version is not None
    except Exception as exc:  # R itself missing: say so and how to fix it
        rows.append(("R", "MISSING", rbridge.APT_R))
        ok = False
    return rows, ok


@click.command()
def doctor():
    """Print Python, R and every package eprstats uses, with install commands for what is missing."""
    rows, ok = report()
    width = max(len(r[0]) for r in rows)
    for name, version, fix in rows:
        line = f"{name:<{width}}  {version}"
        if fix:
            line += f"\n{'':<{width}}  install: {fix}"
        click.echo(line)
    click.echo("all required components present" if ok else "something required is missing")
    raise click.exceptions.Exit(0 if ok else 1)


COMMANDS = [doctor]
