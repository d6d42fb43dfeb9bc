"""The whole study in one command (``eprstats run``), the demo cohort (``eprstats demo``) and report.html.

``runner.run_study`` runs every stage in order with per-stage caching; ``stages`` holds one thin adapter per
stage; ``demo.make_demo_study`` writes a synthetic cohort shaped like the paper's; ``report.write_report``
writes the self-contained report.
"""
from __future__ import annotations

_KEYS = (
    ("radiomics_settings", None, "pyradiomics parameter file (relative to the study file); empty or 'paper': the "
                                 "paper's settings (944 features per ROI)"),
    ("deep_weights", "imagenet", "ResNet34 weights: imagenet, random (demonstration only) or a state-dict file"),
    ("deep_phase", "PVP", "phase whose tumour crops give the deep features (the paper: PVP)"),
    ("deep_crop_size", 224, "deep crop size in pixels (the paper: 224)"),
    ("icc_threshold", 0.8, "features are kept when both inter- and intra-observer ICC exceed this"),
    ("table1_rule", "textbook", "Table 1 categorical test rule (textbook, pearson, yates, fisher)"),
    ("nomogram_model", "PVP_DLRRN", "the combined model shown in Table 3, the nomogram and compared by NRI/IDI"),
    ("bootstrap", 1000, "bootstrap resamples of the calibration curves (rms::calibrate B)"),
    ("synthetic", False, "true for generated data (eprstats demo): every output is labelled as synthetic"),
    ("reduced", None, "a note saying which settings were reduced from the paper's (eprstats demo --small)"),
)


def register_keys() -> None:
    """Add the study runner's keys to the study-file schema (eprstats.cohort.study.STUDY_KEYS)."""
    from ..cohort.study import STUDY_KEYS, register_study_key
    for name, default, help_text in _KEYS:
        if name not in STUDY_KEYS:
            register_study_key(name, default, help_text)


try:  # the schema lives in the cohort stage; keep this package importable without it
    register_keys()
except ImportError:  # pragma: no cover
    pass
