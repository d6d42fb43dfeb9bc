"""The study file's settings: one frozen dataclass, :class:`StudySettings`, the one place the schema lives.

Every key a study file may hold is a field of :class:`StudySettings` (same name, default and help text);
``field(metadata=...)`` gives its help text and the check that turns the YAML value into the typed value
(or refuses it with an :class:`~eprstats.errors.InputError` naming the key, the value and what it must be).
An unknown key is refused with the closest valid name. The checks run when the study file is read, so
``eprstats validate`` refuses what ``eprstats run`` would crash on.

The schema lives in the cohort stage (the lowest stage that reads the study file); the study runner reads
it by attribute (``ctx.settings.bootstrap``).

>>> s = parse_settings({"manifest": "manifest.csv", "bootstrap": 200}, file="study.yaml")
>>> s.bootstrap, s.spacing
(200, (1.0, 1.0, 1.0))
"""
from __future__ import annotations

import copy
import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError


class _Bad(Exception):
    """A value of the wrong type or range; ``expected`` says what it must be."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


# ---------------------------------------------------------------------------------------------- checks
# Each check takes the YAML value and returns the typed value, or raises _Bad(what it must be).

def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _text(v):
    # Numbers are allowed for names YAML reads as numbers (a cohort '1', a label value 2).
    if isinstance(v, str) and v.strip():
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise _Bad("a text")


def _scheduler(v):
    # the address is parsed (scheme, host, port range) when the study file is read, before any connection
    from ..cluster import parse_scheduler
    try:
        parse_scheduler(v)
    except InputError as exc:
        raise _Bad(f"a Dask scheduler address tcp://HOST:PORT or 'local' ({exc.problem})") from None
    return v


def _optional(check: Callable) -> Callable:
    return lambda v: None if v is None or v == "" else check(v)


def _integer(minimum: int | None = None) -> Callable:
    what = ("an integer" if minimum is None else "a positive integer" if minimum == 1 else
            f"an integer >= {minimum}")

    def check(v):
        # YAML's 1.5 or 'many' or true is not an integer: refused, never truncated
        if isinstance(v, bool) or not isinstance(v, int) or (minimum is not None and v < minimum):
            raise _Bad(what)
        return int(v)
    return check


def _number(low: float | None = None, high: float | None = None, low_open: bool = False,
            what: str = "a number") -> Callable:
    def check(v):
        if not _is_number(v) or not math.isfinite(v):
            raise _Bad(what)
        if (low is not None and (v <= low if low_open else v < low)) or (high is not None and v > high):
            raise _Bad(what)
        return float(v)
    return check


def _text_list(single_ok: bool = False, nonempty: bool = False) -> Callable:
    def check(v):
        if single_ok and isinstance(v, str):
            v = [v]  # one phase name, never split into letters
        if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) and x.strip() for x in v):
            raise _Bad("a list of names, e.g. [AP, PVP, DP]")
        if (nonempty and not v) or len(set(v)) != len(v):
            raise _Bad("a list of distinct names, e.g. [AP, PVP, DP]")
        return tuple(v)
    return check


def _spacing(v):
    what = "three positive voxel sizes in mm, e.g. [1, 1, 1]"
    if _is_number(v):
        v = [v] * 3
    if not isinstance(v, (list, tuple)) or len(v) != 3 or not all(_is_number(x) for x in v):
        raise _Bad(what)
    if not all(x > 0 and math.isfinite(x) for x in v):
        raise _Bad(what)
    return tuple(float(x) for x in v)


def _choice(*options: str) -> Callable:
    def check(v):
        if v not in options:
            raise _Bad(f"one of {', '.join(options)}")
        return v
    return check


def _flag(v):
    if not isinstance(v, bool):
        raise _Bad("true or false")
    return v


#: the paper's models (the default of ``models``); kind: roi (handcrafted signature on one ROI), deep,
#: clinical, combined (signatures enter on the logit scale)
DEFAULT_MODELS = {
    "AP": {"kind": "roi", "roi": "AP_tumour"},
    "DP": {"kind": "roi", "roi": "DP_tumour"},
    "PVP": {"kind": "roi", "roi": "PVP_tumour"},
    "PVP_Pri3mm": {"kind": "roi", "roi": "PVP_ring"},
    "PVP_Plus3mm": {"kind": "roi", "roi": "PVP_plus"},
    "PVP_DLR": {"kind": "deep", "phase": "PVP"},
    "Clinical": {"kind": "clinical", "predictors": ["AFP"]},
    "PVP_DLRR": {"kind": "combined", "predictors": ["PVP", "PVP_DLR"]},
    "PVP_DLRN": {"kind": "combined", "predictors": ["PVP_DLR", "AFP"]},
    "PVP_DLRRN": {"kind": "combined", "predictors": ["PVP", "PVP_DLR", "AFP"]},
}
MODEL_KINDS = {"roi": ("roi",), "deep": (), "clinical": ("predictors",), "combined": ("predictors",)}


def _models(v):
    what = ("a mapping of model name -> {kind: roi|deep|clinical|combined, ...} (roi: an ROI name; "
            "clinical/combined: a list of predictors)")
    if not isinstance(v, dict) or not v:
        raise _Bad(what)
    for name, spec in v.items():
        if not isinstance(spec, dict) or spec.get("kind") not in MODEL_KINDS:
            raise _Bad(what + f"; model {name!r} has no valid kind")
        for key in MODEL_KINDS[spec["kind"]]:
            value = spec.get(key)
            ok = (isinstance(value, str) and value) if key == "roi" else (
                isinstance(value, list) and value and all(isinstance(p, str) for p in value))
            if not ok:
                raise _Bad(what + f"; model {name!r} lacks a valid {key!r}")
    return copy.deepcopy(v)


#: the choices of the statistics stages' options, as the functions name them (kept here, without importing those
#: modules: the command line's help loads no pandas; tests/cohort/test_study_options.py checks they agree)
TABLE1_CONTINUOUS_RULES = ("shapiro", "normal", "nonnormal", "spss")
ACCURACY_CI_METHODS = ("clopper-pearson", "wilson", "bootstrap")
STEPWISE_METHODS = ("none", "fastbw", "aic", "spss-bwald", "spss-blr", "spss-bcond", "spss-bstep", "spss-fwald",
                    "spss-flr", "spss-fcond", "spss-fstep", "spss-enter")
HL_GROUPINGS = ("quantile", "spss")
HL_DF_RULES = ("g-2", "g")


def _key(default: Any, help: str, check: Callable, required: bool = False):
    return field(default=default, metadata={"help": help, "check": check, "required": required})


# ---------------------------------------------------------------------------------------------- schema

@dataclass(frozen=True)
class StudySettings:
    """The settings of one study file (see the module docstring); every field is a study-file key."""

    manifest: str = _key(None, "the manifest CSV, one row a patient (path relative to the study file)",
                         _text, required=True)
    name: str | None = _key(None, "a short name of the study, used in reports", _optional(_text))
    phases: tuple[str, ...] = _key(("AP", "PVP", "DP"), "the MRI phases; the manifest has <PHASE>_image and "
                                   "<PHASE>_mask columns for each", _text_list(nonempty=True))
    id_column: str = _key("id", "the manifest's patient id column", _text)
    cohort_column: str = _key("cohort", "the manifest's cohort column (training / external ...)", _text)
    outcome_column: str = _key("outcome", "the manifest's binary outcome column (0/1)", _text)
    outcome_event: str | None = _key(None, "the outcome column's value that marks the event (e.g. EPR), needed when "
                                     "the outcome is not coded 0/1; the other value is the non-event (never "
                                     "guessed)", _optional(_text))
    clinical: tuple[str, ...] | None = _key(None, "clinical columns to use (default: every column that is not an "
                                            "id, cohort, outcome or file column)", _optional(_text_list()))
    training_cohort: str = _key("training", "the cohort value that marks the training set", _text)
    ring_mm: float = _key(3.0, "width of the peritumoral ring in millimetres (the paper: 3 mm)",
                          _number(0, low_open=True, what="a positive number of millimetres"))
    ring_phases: tuple[str, ...] = _key(("PVP",), "phases on which the ring and tumour-plus-ring ROIs are derived "
                                        "(the paper: PVP only)", _text_list(single_ok=True))
    spacing: tuple[float, float, float] = _key((1.0, 1.0, 1.0), "voxel size in mm the images are resampled to "
                                               "(the paper: 1x1x1 mm; images linear, masks nearest neighbour)",
                                               _spacing)
    mask_segment: str | None = _key(None, "segment name (3D Slicer .seg.nrrd) or label value used for every "
                                    "tumour mask, unless a manifest cell names one after '#'", _optional(_text))
    liver_segment: str | None = _key(None, "segment name or label value used for the liver masks",
                                     _optional(_text))
    geometry_tolerance: float = _key(1e-3, "largest difference in spacing and origin (mm) and direction cosines "
                                     "allowed between an image and its masks",
                                     _number(0, what="a number >= 0 (mm)"))
    output: str = _key("results", "output folder (relative to the study file)", _text)
    seed: int = _key(2024, "random seed for every step that draws random numbers", _integer())
    workers: int = _key(1, "parallel workers (patients processed at once)", _integer(1))
    scheduler: str | None = _key(None, "a Dask scheduler address (tcp://HOST:PORT): the per-patient work of rois, "
                                 "handcrafted and deep and the per-feature work of icc run on that cluster, whose "
                                 "workers must see the study folder (a shared file system); the statistics stay "
                                 "on this machine", _optional(lambda v: _scheduler(_text(v))))
    models: dict | None = _key(None, "model definitions: name -> {kind: roi|deep|clinical|combined, roi: ..., "
                               "predictors: [...]} (default: the paper's ten models)", _optional(_models))
    radiomics_settings: str | None = _key(None, "pyradiomics parameter file (relative to the study file); empty "
                                          "or 'paper': the paper's settings (944 features per ROI)",
                                          _optional(_text))
    radiomics_engine: str = _key("eprstats", "handcrafted feature engine: eprstats (pyradiomics' features within "
                                 "1e-10, faster; docs/engine.md) or pyradiomics (the reference)",
                                 _choice("pyradiomics", "eprstats"))
    deep_weights: str = _key("imagenet", "ResNet34 weights: imagenet, random (demonstration only) or a "
                             "state-dict file", _text)
    deep_phase: str = _key("PVP", "phase whose tumour crops give the deep features (the paper: PVP)", _text)
    deep_crop_size: int = _key(224, "deep crop size in pixels (the paper: 224)", _integer(8))
    deep_device: str = _key("cpu", "where the ResNet34 runs: cpu (float32, byte-identical on every machine), cuda "
                            "(bf16 autocast, batches filled across patients; on a cluster the workers started with "
                            "--resources GPU=1) or auto (cuda when there is one)", _choice("cpu", "cuda", "auto"))
    icc_threshold: float = _key(0.8, "features are kept when both inter- and intra-observer ICC exceed this",
                                _number(0, 1, what="a number between 0 and 1"))
    table1_rule: str = _key("textbook", "Table 1 categorical test rule (textbook, pearson, yates, fisher)",
                            _choice("textbook", "pearson", "yates", "fisher"))
    table1_continuous_rule: str = _key("shapiro", "Table 1's rule for continuous variables: shapiro (Shapiro-Wilk "
                                       "chooses mean (SD) with Welch's t-test or median (IQR) with Mann-Whitney U), "
                                       "normal, nonnormal, or spss (mean (SD); Levene's test chooses SPSS's T-TEST "
                                       "row)", _choice(*TABLE1_CONTINUOUS_RULES))
    accuracy_ci_method: str = _key("clopper-pearson", "CIs of sensitivity, specificity, PPV, NPV and accuracy at "
                                   "the cut-off (tables/diagnostic_accuracy): clopper-pearson (exact), wilson, or "
                                   "bootstrap (pROC::ci.coords, 2000 stratified resamples, the study's seed)",
                                   _choice(*ACCURACY_CI_METHODS))
    optimism_bootstrap: int | None = _key(None, "bootstrap resamples of Table 2's optimism-corrected AUC (Harrell's "
                                          "bootstrap, rms::validate of each model's recalibration on the training "
                                          "cohort, the study's seed); empty (default): not computed",
                                          _optional(_integer(1)))
    table3_stepwise: str = _key("none", "variable selection of Table 3 and the nomogram: none, fastbw "
                                "(rms::fastbw), aic (stats::step) or SPSS's LOGISTIC REGRESSION methods spss-bwald, "
                                "spss-blr, spss-bcond, spss-bstep, spss-fwald, spss-flr, spss-fcond, spss-fstep "
                                "(PIN 0.05, POUT 0.10)", _choice(*STEPWISE_METHODS))
    nomogram_model: str = _key("PVP_DLRRN", "the combined model shown in Table 3, the nomogram and compared by "
                               "NRI/IDI", _text)
    bootstrap: int = _key(1000, "bootstrap resamples of the calibration curves (rms::calibrate B)", _integer(1))
    hl_grouping: str = _key("quantile", "Hosmer-Lemeshow groups of the calibration table: quantile (type-7 "
                            "quantiles of the predicted risk) or spss (SPSS's deciles of risk, tied risks never "
                            "split; adds tables/hosmer_lemeshow.csv)", _choice(*HL_GROUPINGS))
    hl_external_df: str = _key("g-2", "Hosmer-Lemeshow degrees of freedom on the cohorts other than training: g-2 "
                               "(groups - 2, as on training) or g (groups: Hosmer, Lemeshow & Sturdivant's rule for "
                               "external validation)", _choice(*HL_DF_RULES))
    hl_groups: int = _key(10, "Hosmer-Lemeshow risk groups of the calibration table (the command's --groups); at "
                          "most half the smallest cohort", _integer(3))
    synthetic: bool = _key(False, "true for generated data (eprstats demo): every output is labelled as "
                           "synthetic", _flag)
    reduced: str | None = _key(None, "a note saying which settings were reduced from the paper's "
                               "(eprstats demo --small)", _optional(_text))
    published: str | None = _key(None, "an audit folder of the paper's printed numbers (docs/audit.md, relative to "
                                 "the study file): the run's tables are compared with it (docs/compare.md) in "
                                 "tables/compare.csv and report.html", _optional(_text))
    published_mapping: str | None = _key(None, "a CSV paper_name,run_name for the models, cohorts, terms or "
                                         "variables the run names differently from the paper (relative to the "
                                         "study file; needs 'published')", _optional(_text))
    # Free text for the report's TRIPOD+AI / CLEAR checklist: the run cannot know these, the user states them
    data_source: str | None = _key(None, "where the data come from (centres, registry, design), for the report's "
                                   "TRIPOD+AI / CLEAR checklist", _optional(_text))
    dates: str | None = _key(None, "the study dates (start and end of accrual), for the report's checklist",
                             _optional(_text))
    outcome_definition: str | None = _key(None, "how the outcome was defined and assessed (e.g. 'early recurrence "
                                          "within 2 years, on imaging'), for the report's checklist",
                                          _optional(_text))

    @property
    def model_specs(self) -> dict:
        """The study's models: ``models``, or the paper's ten (:data:`DEFAULT_MODELS`) when not given."""
        return self.models or DEFAULT_MODELS

    def as_dict(self) -> dict:
        """Every setting as plain JSON-able values (tuples as lists), e.g. for provenance."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    def replace(self, **changes) -> "StudySettings":
        """A copy with ``changes`` (checked like the study file's values)."""
        return parse_settings({**self.as_dict(), **changes})


#: the study-file keys, in the order they are documented: name -> dataclasses.Field
STUDY_KEYS = {f.name: f for f in fields(StudySettings)}


def study_keys_table():
    """The study-file keys as a table (key, default, required, help), e.g. for the documentation."""
    import pandas as pd

    return pd.DataFrame([{"key": f.name, "default": f.default if f.default is not MISSING else None,
                          "required": f.metadata["required"], "help": f.metadata["help"]}
                         for f in STUDY_KEYS.values()])


def parse_settings(raw: dict, file: str | None = None) -> StudySettings:
    """The study file's mapping checked and typed: unknown keys, missing required keys, wrong types/ranges.

    Raises :class:`~eprstats.errors.InputError` naming the key, the value and what it must be.
    """
    unknown = [str(k) for k in raw if k not in STUDY_KEYS]
    if unknown:
        from ..validation import closest  # here: it loads pandas, which the command line's help must not

        hints = {k: closest(k, STUDY_KEYS, n=1) for k in unknown}
        near = "; ".join(f"did you mean {h[0]!r} for {k!r}?" for k, h in hints.items() if h)
        raise InputError(f"unknown study key(s) {unknown}",
                         (near + " " if near else "") + f"valid keys: {', '.join(STUDY_KEYS)}", file=file)
    missing = [k for k, f in STUDY_KEYS.items() if f.metadata["required"] and raw.get(k) in (None, "")]
    if missing:
        raise InputError(f"the study file lacks the required key(s) {missing}",
                         "add e.g. 'manifest: manifest.csv'", file=file)
    values = {}
    for name, value in raw.items():
        try:
            values[name] = STUDY_KEYS[name].metadata["check"](value)
        except _Bad as bad:
            raise InputError(f"study setting {name!r} must be {bad.expected} (got {value!r})",
                             f"correct {name!r} in the study file", file=file) from None
    settings = StudySettings(**values)
    _check_together(settings, raw, file)
    return settings


def _check_together(s: StudySettings, raw: dict, file: str | None) -> None:
    """Checks between keys: the ring and deep phases are among the phases, the nomogram model is combined, a
    mapping of the published folder's names comes with that folder."""
    def bad(key, what):
        raise InputError(f"study setting {key!r} must be {what} (got {raw.get(key, getattr(s, key))!r})",
                         f"correct {key!r} in the study file", file=file)

    unknown = [p for p in s.ring_phases if p not in s.phases]
    if unknown:
        bad("ring_phases", f"a list of phases from {list(s.phases)} (unknown: {unknown})")
    # The default deep phase (PVP) is checked only when given: a study of other phases (T1, T2) that keeps
    # the default models fails in its deep stage with that stage's own message.
    if "deep_phase" in raw and s.deep_phase not in s.phases:
        bad("deep_phase", f"one of the phases {list(s.phases)}")
    if s.published_mapping is not None and s.published is None:
        raise InputError("study setting 'published_mapping' needs 'published' (the folder whose names it maps)",
                         "add 'published: FOLDER' or remove 'published_mapping'", file=file)
    # Table 3, the nomogram and NRI/IDI need a combined model
    spec = s.model_specs.get(s.nomogram_model)
    if spec is None or spec["kind"] != "combined":
        combined = [m for m, spec in s.model_specs.items() if spec["kind"] == "combined"]
        bad("nomogram_model", f"a combined model of 'models' ({', '.join(combined) or 'none is combined'})")


def resolve(root: Path, value) -> Path:
    """A path of the study file, relative to the study file's folder ``root``."""
    p = Path(str(value)).expanduser()
    return p if p.is_absolute() else Path(root) / p


def weights_path(s: StudySettings, root: Path) -> str:
    """``deep_weights`` as load_resnet34 takes it: imagenet, random, or the file relative to the study file."""
    return s.deep_weights if s.deep_weights in ("imagenet", "random") else str(resolve(root, s.deep_weights))


def check_files(s: StudySettings, root: Path, file: str | None = None) -> None:
    """The files a setting names exist (the radiomics parameter file, a weights file, the published folder
    and its mapping file)."""
    if s.radiomics_settings and s.radiomics_settings != "paper" and not resolve(root, s.radiomics_settings).is_file():
        raise InputError(f"the radiomics_settings file {s.radiomics_settings!r} does not exist",
                         "give a pyradiomics parameter file relative to the study file, or 'paper'", file=file)
    if s.deep_weights not in ("imagenet", "random") and not resolve(root, s.deep_weights).is_file():
        raise InputError(f"the deep_weights file {s.deep_weights!r} does not exist",
                         "give imagenet, random or a ResNet34 state-dict file relative to the study file", file=file)
    if s.published is not None and not resolve(root, s.published).is_dir():
        what = "is not a folder" if resolve(root, s.published).exists() else "does not exist"
        raise InputError(f"the published folder {s.published!r} {what}", "give the paper's audit folder "
                         "(published_table1.csv, cohorts.csv ..., see docs/audit.md) relative to the study file, or "
                         "remove 'published'", file=file)
    if s.published_mapping is not None and not resolve(root, s.published_mapping).is_file():
        raise InputError(f"the published_mapping file {s.published_mapping!r} does not exist",
                         "give a CSV paper_name,run_name relative to the study file, or remove "
                         "'published_mapping'", file=file)


def check_model_columns(s: StudySettings, columns, file: str | None = None) -> None:
    """Each predictor of the study's own models is a model or a manifest column (default models: not checked,
    a study without AFP then loses the Clinical model with a message)."""
    if s.models is None:
        return
    for name, spec in s.models.items():
        missing = [p for p in spec.get("predictors", []) if p not in s.models and p not in columns]
        if missing:
            raise InputError(f"model {name!r} uses {missing}, which is neither a model nor a manifest column",
                             "correct the model's predictors in the study file, or add the column", model=name,
                             file=file)


__all__ = ["StudySettings", "STUDY_KEYS", "DEFAULT_MODELS", "MODEL_KINDS", "study_keys_table", "parse_settings",
           "check_files", "check_model_columns", "resolve", "weights_path"]
