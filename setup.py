"""Package layout that pyproject.toml alone cannot express.

The R sources live at the top level in ``r/`` (one place for all R code, as the design card asks) and
ship inside the package as ``eprstats.r``, so that a plain, non-editable install finds them.
"""
from pathlib import Path

from setuptools import Extension, find_packages, setup

# The eprstats feature engine's compiled kernels (eprstats/handcrafted/engine/_*.c; engine/native.py loads them).
# -ffp-contract=off: no fused multiply-add, and no -ffast-math: every sum in the order written, so the kernels
# give the values of the numba kernels they replaced bit for bit. optional: without a C compiler the package
# still installs; `eprstats doctor` then says the kernels are missing and --engine eprstats names the fix.
KERNEL_FLAGS = ["-O3", "-std=c99", "-ffp-contract=off", "-fno-fast-math"]
KERNELS = [Extension(f"eprstats.handcrafted.engine.{source.stem}", [source.as_posix()], extra_compile_args=KERNEL_FLAGS,
                     optional=True)
           for source in sorted(Path("eprstats/handcrafted/engine").glob("_*.c"))]

setup(
    packages=find_packages(include=["eprstats", "eprstats.*"]) + ["eprstats.r"],
    package_dir={"eprstats.r": "r"},
    ext_modules=KERNELS,
)
