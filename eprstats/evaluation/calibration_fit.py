"""The one training fit of a calibration analysis and what is computed from it for one model and one cohort:
``rms::lrm`` through :func:`eprstats.evaluation.models.fit_logistic`, predictions, the bootstrap calibration
curve (``rms::calibrate``), optimism-corrected indexes (``rms::validate``), ``rms::val.prob`` statistics, the
Wald recalibration CIs and the observed (lowess) curve. The formulas and references are in
:mod:`eprstats.evaluation.calibration`, which re-exports every name here and runs the whole analysis
(:func:`~eprstats.evaluation.calibration.calibrate`)."""
from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd

from .. import rbridge, validation
from ..errors import InputError, RError, RWarning
from .hosmer_lemeshow import _outcome
from .models import fit_logistic

#: seed used when none is given (recorded in every provenance file).
DEFAULT_SEED = 1234

#: rms::val.prob's names -> ours.
VAL_PROB_NAMES = {"Dxy": "dxy", "C (ROC)": "c", "R2": "r2", "D": "d", "D:Chi-sq": "d_chi2", "D:p": "d_p",
                  "U": "u", "U:Chi-sq": "u_chi2", "U:p": "u_p", "Q": "q", "Brier": "brier",
                  "Intercept": "intercept", "Slope": "slope", "Emax": "emax", "E90": "e90", "Eavg": "eavg",
                  "S:z": "s_z", "S:p": "s_p"}
#: the val.prob statistics kept in the per-cohort table
COHORT_STATISTICS = ("intercept", "slope", "brier", "emax", "e90", "eavg", "c", "dxy", "r2", "s_z", "s_p")
#: Wald CIs of the recalibration (added at the end of calibration_numeric, after the Hosmer-Lemeshow columns)
CI_COLUMNS = ("intercept_ci_low", "intercept_ci_high", "slope_ci_low", "slope_ci_high", "citl", "citl_ci_low",
              "citl_ci_high")
#: the name of a model the caller did not name (never its formula: a warning names the model as a reader knows it)
UNNAMED = "model 1"
#: the columns of the written Hosmer-Lemeshow contingency table, in SPSS's order (outcome 0, then 1)
#: what an R failure in rms usually means, said once for the command and the study
R_FIX = ("check this model's predictors: a constant, collinear or separating predictor, or one whose predicted "
         "risks take only a few values (a single binary predictor), cannot be calibrated by rms; fit `eprstats "
         "fit` on them to see which")


def _r():
    rbridge.require_packages("rms", "Hmisc")
    return rbridge


@contextmanager
def _naming(model: str, cohort: str | None = None):
    """R's warnings raised inside, re-issued with the model (and cohort) they concern: rms' own messages
    ("Divergence or singularity in 3 samples") name neither. Other warnings pass on unchanged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    where = f" [model {model!r}" + (f", cohort {cohort!r}]" if cohort is not None else "]")
    for w in caught:
        message = w.message
        if issubclass(w.category, RWarning) and f"model {model!r}" not in str(message):
            message = f"{message}{where}"
        warnings.warn_explicit(message, w.category, w.filename, w.lineno)


def _check_B(B) -> int:
    if int(B) < 1:
        raise InputError(f"B must be a positive number of bootstrap resamples, not {B}", "use e.g. B=1000")
    return int(B)


# ---------------------------------------------------------------------------------------------
# The one fit, and predictions from it
# ---------------------------------------------------------------------------------------------

def _fit(train: pd.DataFrame, outcome: str, predictors: list[str], name: str, cohort: str | None):
    """The training fit's R object, by ``fit_logistic`` (the fit ``eprstats fit`` makes and checks).

    fit_logistic's own advice (events per variable, large coefficients) is about the model, not its
    calibration, and is left to ``eprstats fit``; R's warnings are passed on."""
    # lrm takes factors: a text predictor is categorical, as eprstats fit takes it (Table 3's model)
    frame = validation.predictor_frame(train, predictors, model=name, cohort=cohort, categorical=True)
    frame.insert(0, outcome, _outcome(train[outcome], outcome, model=name, cohort=cohort))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = fit_logistic(frame, outcome, predictors, name=name, cohort=cohort)
    with _naming(name, cohort):
        for w in caught:
            if issubclass(w.category, RWarning):
                warnings.warn(w.message, w.category, stacklevel=3)
    return model.r_fit


def fit_lrm(train: pd.DataFrame, outcome: str, predictors: list[str], cohort: str | None = "training",
            name: str | None = None):
    """``rms::lrm(outcome ~ predictors, x = TRUE, y = TRUE)`` on the training rows (the R object); ``name``
    (default ``"model 1"``) is the model's name in messages."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    return _fit(train, outcome, predictors, name or UNNAMED, cohort)


def predict_prob(fit, data: pd.DataFrame, predictors: list[str], cohort: str | None = None,
                 model: str | None = None) -> np.ndarray:
    """The training fit's predicted probabilities for ``data`` (any cohort), ``predict(type = "fitted")``."""
    frame = validation.predictor_frame(data, predictors, model=model, cohort=cohort, categorical=True)
    with _naming(model or UNNAMED, cohort):
        return np.asarray(_r().call("calibration_predict_prob", fit, frame), dtype=float).reshape(-1)


# ---------------------------------------------------------------------------------------------
# Analyses of one model
# ---------------------------------------------------------------------------------------------

def calibration_curve(train: pd.DataFrame, outcome: str, predictors: list[str], B: int = 1000,
                      seed: int | None = DEFAULT_SEED, method: str = "boot", fit=None, name: str | None = None,
                      cohort: str | None = "training") -> pd.DataFrame:
    """Apparent and bias-corrected calibration curves by ``rms::calibrate`` on the training cohort.

    Returns one row per grid point with ``predicted``, ``apparent``, ``bias_corrected`` and ``ideal``
    (= predicted). ``.attrs`` holds ``n``, ``B`` (resamples used), ``seed``, ``mean_absolute_error``,
    ``mean_squared_error`` and ``quantile90_absolute_error`` (rms' own summary). ``name`` (default
    ``"model 1"``) and ``cohort`` name the model in R's warnings.
    """
    B = _check_B(B)
    fit = fit if fit is not None else fit_lrm(train, outcome, predictors, name=name)
    with _naming(name or UNNAMED, cohort):
        out = _r().call("calibration_calibrate", fit, B=B, method=method, seed=seed)
    curve = out["curve"]
    curve.attrs.update({k: (int(v) if k in ("n", "B") else float(v)) for k, v in out["summary"].items()})
    curve.attrs.update({"seed": seed, "method": method, "B_requested": B})
    return curve


def optimism_corrected(train: pd.DataFrame, outcome: str, predictors: list[str], B: int = 1000,
                       seed: int | None = DEFAULT_SEED, method: str = "boot", fit=None, name: str | None = None,
                       cohort: str | None = "training") -> pd.DataFrame:
    """Apparent, optimism and optimism-corrected indexes by ``rms::validate`` (bootstrap).

    Rows: Dxy, AUC (= Dxy/2 + 0.5), R2, Intercept, Slope, Emax, D, U, Q, B (Brier score), g, gp; columns
    ``apparent``, ``training``, ``test``, ``optimism``, ``corrected``, ``n`` (resamples used); ``name`` and
    ``cohort`` as in :func:`calibration_curve`.
    """
    B = _check_B(B)
    fit = fit if fit is not None else fit_lrm(train, outcome, predictors, name=name)
    with _naming(name or UNNAMED, cohort):
        table = _r().call("calibration_validate", fit, B=B, method=method, seed=seed)
    dxy = table[table["index"] == "Dxy"].iloc[0]
    auc = {"index": "AUC", "n": dxy["n"]}
    for col in ("apparent", "training", "test", "corrected"):
        auc[col] = dxy[col] / 2 + 0.5
    auc["optimism"] = dxy["optimism"] / 2
    table = pd.concat([table.iloc[:1], pd.DataFrame([auc]), table.iloc[1:]], ignore_index=True)
    table["index"] = table["index"].replace({"B": "Brier"})
    table["n"] = table["n"].astype(int)
    table.attrs.update({"seed": seed, "B_requested": B})
    return table




def val_prob(p, y, model: str | None = None, cohort: str | None = None) -> dict:
    """``rms::val.prob(p, y, pl = FALSE)`` statistics under our names (see ``VAL_PROB_NAMES``)."""
    y = _outcome(y, model=model, cohort=cohort)
    p = validation.probabilities(p, model, cohort, open_interval=True, n=len(y))
    spread = float(np.std(np.log(p / (1 - p))))
    if spread < 1e-4:
        raise InputError(f"the predicted probabilities hardly vary (from {p.min():.6g} to {p.max():.6g}): the "
                         "calibration slope is undefined and rms::val.prob cannot fit its recalibration model",
                         "check that the model uses informative predictors (its coefficients are near 0)",
                         model=model, cohort=cohort)
    try:
        stats = _r().call("calibration_val_prob", p, y)
    except RError as exc:
        if "singular" not in exc.r_message:
            raise
        raise InputError(f"rms::val.prob could not fit the logistic recalibration ({exc.r_message}); the predicted "
                         f"probabilities vary too little (logit SD {spread:.3g})",
                         "check the model's predictors, or report the Brier score alone", model=model,
                         cohort=cohort) from None
    return {VAL_PROB_NAMES.get(k, k): float(v) for k, v in stats.items()}


def recalibration_ci(p, y, conf_level: float = 0.95, model: str | None = None, cohort: str | None = None) -> dict:
    """Wald CIs of the logistic recalibration of one cohort's predicted probabilities (``stats::glm`` and
    ``stats::confint.default``): estimate +/- z_(1-a/2) SE.

    * ``intercept_ci_*``, ``slope_ci_*``: a and b of logit P(y = 1) = a + b logit(p), fitted jointly (the
      intercept and slope of ``rms::val.prob``);
    * ``citl``, ``citl_ci_*``: the calibration-in-the-large a' of logit P(y = 1) = a' + logit(p) (slope fixed
      at 1, ``glm(y ~ 1, offset = logit(p))``); 0 when the mean risk is right.

    Reference: Steyerberg, Clinical Prediction Models, 2nd ed., 2019, sec. 15.3; Van Calster et al., J Clin
    Epidemiol 2016;74:167-76.

    Example
    -------
    >>> recalibration_ci(p_external, y_external)["slope_ci_low"]          # doctest: +SKIP
    """
    y = _outcome(y, model=model, cohort=cohort)
    p = validation.probabilities(p, model, cohort, open_interval=True, n=len(y))
    out = _r().call("calibration_recalibration_ci", p, y, conf_level=validation.check_conf_level(conf_level))
    return {k: float(out[k]) for k in CI_COLUMNS}


def observed_curve(p, y, model: str | None = None, cohort: str | None = None) -> pd.DataFrame:
    """The nonparametric calibration curve of one cohort as ``rms::val.prob`` draws it:
    ``lowess(p, y, iter = 0)`` (columns ``predicted``, ``observed``). Use it for external cohorts, where
    the model is not refitted and there is nothing to bias-correct."""
    y = _outcome(y, model=model, cohort=cohort)
    p = validation.probabilities(p, model, cohort, n=len(y))
    out = _r().call("calibration_lowess", p, y)
    curve = out["curve"]
    curve.attrs["eavg"] = float(np.mean(np.abs(p - np.asarray(out["at_p"], dtype=float))))
    return curve
