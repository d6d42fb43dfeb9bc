"""Package layout that pyproject.toml alone cannot express.

The R sources live at the top level in ``r/`` (one place for all R code, as the design card asks) and
ship inside the package as ``eprstats.r``, so that a plain, non-editable install finds them.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["eprstats", "eprstats.*"]) + ["eprstats.r"],
    package_dir={"eprstats.r": "r"},
)
