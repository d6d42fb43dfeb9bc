"""Handcrafted (pyradiomics) features with the paper's settings, at scale: shared filtering, a per-case cache,
parallel and Dask execution.

The names below are imported on first use: `import eprstats.handcrafted` (and the command line's help) loads
neither numpy, yaml nor pyradiomics, and joblib/dask load only with extract_cohort."""

import importlib

_EXPORTS = {"extract_features": "extract", "feature_classes": "extract", "Settings": "params",
            "load_settings": "params", "paper_settings": "params", "paper_settings_path": "params",
            "extract_cohort": "parallel"}
__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
