"""Handcrafted (pyradiomics) features with the paper's settings, at scale: shared filtering, a per-case cache,
parallel and Dask execution."""
from .extract import extract_features, feature_classes
from .params import Settings, load_settings, paper_settings, paper_settings_path

__all__ = ["extract_features", "feature_classes", "Settings", "load_settings", "paper_settings",
           "paper_settings_path", "extract_cohort"]


def __getattr__(name):  # keep `import eprstats.handcrafted` light: joblib/dask load on use
    if name == "extract_cohort":
        from .parallel import extract_cohort
        return extract_cohort
    raise AttributeError(name)
