"""Feature engines: ``pyradiomics`` (the reference) and ``eprstats`` (the same features, faster).

``pyradiomics``: pyradiomics' own feature classes, one class and one filtered image at a time (with the
bit-identical sparse MCC of :mod:`eprstats.handcrafted.extract`).

``eprstats``: the same image preparation (resampling, cropping, LoG and wavelet filters, all from
``radiomics.imageoperations``, shared between ROIs of one grid); the same texture matrices, computed by
compiled C kernels (:mod:`.matrices`, :mod:`.fused`, ``engine/_*.c``: the same arrays as pyradiomics' C
code); the discretisation computed once per filtered image for all classes (:mod:`.classes`); each class's features of a ROI computed together
(:mod:`.firstorder`, :mod:`.glcm` with :mod:`.glcm_kernels`, :mod:`.glrlm`, :mod:`.glszm`, :mod:`.gldm`,
:mod:`.ngtdm`); the
GLCM's Maximal Correlation Coefficient from a guarded symmetric eigenproblem for all angles at once
(:mod:`.mcc`), with pyradiomics' own computation where a guard fails; and the mask check and the diagnostics'
hashes done faster with the same results (:mod:`.preparation`, :mod:`.diagnostics`). Every non-shape feature of a
(filtered image, ROI) pair is computed in one pass (:mod:`.onepass`, its matrices from :mod:`.fused`) without
pyradiomics' class objects, the classes above taking what that path leaves to them. Every feature equals
pyradiomics' within 1e-10 relative; ``docs/engine.md`` lists what each class computes and the tests behind it.

``device``: ``cpu`` (numpy) or ``cuda`` (torch, float64, for the MCC's eigenproblems; the eprstats engine
only). The torch path is tested on the CPU against pyradiomics with the same tolerances.
"""
from __future__ import annotations

from ...errors import InputError
from ..sparse_glcm import feature_classes
from .classes import engine_classes
from .preparation import preparation_for  # noqa: F401 (used by ..extract)

ENGINES = ("pyradiomics", "eprstats")
DEVICES = ("cpu", "cuda")
#: The engine used when none is chosen (see docs/engine.md for the condition to change it).
DEFAULT_ENGINE = "eprstats"


def check_engine(engine: str, device: str = "cpu") -> None:
    """InputError naming the setting and the fix for an unknown engine or device, or cuda without a GPU."""
    if engine not in ENGINES:
        raise InputError(f"unknown feature engine {engine!r}", f"use one of {', '.join(ENGINES)} "
                         "(option --engine, study key radiomics_engine)")
    base = str(device).split(":")[0]
    if base not in DEVICES:
        raise InputError(f"unknown device {device!r}", "use cpu or cuda (option --device)")
    if base == "cuda":
        if engine != "eprstats":
            raise InputError("--device cuda needs the eprstats engine (pyradiomics runs on the CPU only)",
                             "add --engine eprstats, or use --device cpu")
        try:
            import torch
        except ImportError:
            raise InputError("--device cuda needs torch, which is not installed",
                             "install torch with CUDA support, or use --device cpu") from None
        if not torch.cuda.is_available():
            raise InputError("--device cuda was chosen but torch sees no CUDA GPU on this machine",
                             "run on a machine with a GPU, or use --device cpu")


def resolve_classes(engine: str, device: str = "cpu"):
    """(feature class table, SharedBinning or None) for an engine and device."""
    check_engine(engine, device)
    if engine == "pyradiomics":
        return feature_classes(), None
    return engine_classes(None if device == "cpu" else device)
