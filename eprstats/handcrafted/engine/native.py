"""The eprstats engine's compiled kernels (C, ``engine/_*.c``, built with the package by setup.py).

``_fused``: the texture matrices, discretisation and the MCC's fallback ``Q`` (:mod:`.fused`,
:mod:`.matrices`); ``_features``: the GLCM and GLRLM/GLSZM/GLDM/NGTDM feature passes (:mod:`.glcm_kernels`,
:mod:`.texture_kernels`). They replace numba kernels -- the same values bit for bit --
without numba's start-up (about 1.7 s of imports and cache loading per process) and memory (about 100 MB per
process). ``_mcc`` and ``_prep``: the MCC's symmetric operands, first order's sums, the shape mesh and the
mask's component count (:mod:`.mcc`, :mod:`.firstorder`, :mod:`.shape`, :mod:`.diagnostics`).

An installation built without a C compiler still imports: the eprstats engine then refuses to run with
:func:`require`'s message and ``eprstats doctor`` names the fix; the pyradiomics engine works.
"""
from __future__ import annotations

import importlib

from ...errors import InputError

#: extension name -> why it could not be imported
MISSING: dict[str, str] = {}
#: the modules whose callers keep their numpy (or SimpleITK) code where they are not built -- the same values
#: (firstorder, shape, diagnostics, mcc) -- so that only the others stop the engine
WITH_FALLBACK = frozenset({"_mcc", "_prep"})


def load(name: str):
    """The compiled module ``engine.<name>``, or None (recorded in MISSING) when it was not built."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError as exc:  # a build without a C compiler: only the eprstats engine needs these
        MISSING[name] = str(exc)
        return None


def require() -> None:
    """InputError naming the fix when a compiled kernel module without a fallback was not built."""
    missing = {name: why for name, why in MISSING.items() if name not in WITH_FALLBACK}
    if missing:
        names = ", ".join(sorted(missing))
        raise InputError(f"the eprstats engine's compiled kernels are not installed ({names}: "
                         f"{next(iter(missing.values()))})",
                         "reinstall eprstats where a C compiler is found (bash scripts/setup.sh, or "
                         "pip install -e . with gcc or clang), or use --engine pyradiomics")
