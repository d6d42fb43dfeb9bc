"""Calibration of logistic models: bootstrap calibration curves, optimism-corrected indexes,
``rms::val.prob`` statistics and the Hosmer-Lemeshow test.

* Calibration curve (``rms::calibrate(fit, method = "boot", B)``, Harrell, Regression Modeling Strategies,
  2nd ed., 2015, sec. 10.11): the model is ``rms::lrm(x = TRUE, y = TRUE)`` on the training cohort; the
  apparent curve is a lowess smooth of y against the predicted probability; the bias-corrected curve
  subtracts the bootstrap optimism (refit on each resample, curve on the resample minus curve on the
  original data) at each of rms' 50 grid points. The error summary is rms' own
  (``print.calibrate.default``): error = predicted - bias-corrected curve interpolated linearly
  (``stats::approx``) at each patient's predicted probability; mean |error|, mean error^2 and the 0.9
  quantile of |error|.
* Optimism correction (``rms::validate(fit, method = "boot", B)``): for each index,
  corrected = apparent - mean(bootstrap training - bootstrap test). AUC = Dxy/2 + 0.5 (so its optimism
  is the Dxy optimism / 2).
* ``rms::val.prob(p, y)`` for any cohort's predicted probabilities: calibration intercept and slope
  (a and b of the logistic recalibration logit P(y=1) = a + b logit(p), estimated jointly; note that this
  intercept is not the calibration-in-the-large, which fixes b = 1), Brier score, Emax/E90/Eavg (|lowess calibration - p|),
  C (= AUC), Dxy, R2, D, U, Q, Spiegelhalter's z.
* Hosmer-Lemeshow (Hosmer & Lemeshow, Applied Logistic Regression, 3rd ed., 2013, sec. 5.2.2), our own R
  code: g groups ("deciles of risk") cut at ``stats::quantile(p, seq(0, 1, 1/g), type = 7)``, intervals
  closed on the right with the lowest value included, tied quantiles merged (fewer groups); statistic
  C = sum over groups and both outcome classes of (O - E)^2 / E, df = groups - 2, upper chi-square P.

Example
-------
>>> curve = calibration_curve(train, "EPR", ["PVP_DLR", "AFP"], B=1000, seed=1234)
>>> curve.attrs["mean_absolute_error"]
>>> optimism_corrected(train, "EPR", ["PVP_DLR", "AFP"], B=1000, seed=1234)
>>> val_prob(p_external, y_external)["slope"]
>>> hosmer_lemeshow(p_external, y_external, g=10)["p_value"]
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .discrimination import binary_outcome, finite_values

#: seed used when none is given (recorded in every provenance file).
DEFAULT_SEED = 1234

#: rms::val.prob's names -> ours.
VAL_PROB_NAMES = {"Dxy": "dxy", "C (ROC)": "c", "R2": "r2", "D": "d", "D:Chi-sq": "d_chi2", "D:p": "d_p",
                  "U": "u", "U:Chi-sq": "u_chi2", "U:p": "u_p", "Q": "q", "Brier": "brier",
                  "Intercept": "intercept", "Slope": "slope", "Emax": "emax", "E90": "e90", "Eavg": "eavg",
                  "S:z": "s_z", "S:p": "s_p"}


def _r():
    from .. import rbridge
    rbridge.require_packages("rms", "Hmisc")
    return rbridge


# ---------------------------------------------------------------------------------------------
# Input validation, at the boundary
# ---------------------------------------------------------------------------------------------

def check_probabilities(p, model: str | None = None, cohort: str | None = None, open_interval: bool = False,
                        n: int | None = None) -> np.ndarray:
    """Predicted probabilities as floats: finite, within [0, 1] (or (0, 1) with ``open_interval``)."""
    values = finite_values(p, noun="predicted probability", plural="predicted probabilities",
                           column_word="probability",
                           fix="give every patient a finite predicted probability, or drop those patients",
                           model=model, cohort=cohort)
    outside = (values < 0) | (values > 1)
    if outside.any():
        raise InputError(f"{int(outside.sum())} predicted probabilities lie outside [0, 1] (e.g. "
                         f"{values[outside][0]:.4g}); this looks like a score or linear predictor",
                         "convert scores to probabilities first (p = 1 / (1 + exp(-lp))) or pass the "
                         "model's probability column", model=model, cohort=cohort, column=model)
    if open_interval and ((values == 0) | (values == 1)).any():
        raise InputError("predicted probabilities of exactly 0 or 1 have an infinite logit, which the "
                         "calibration intercept and slope need", "clip them to (1e-8, 1 - 1e-8) or check the "
                         "model for separation", model=model, cohort=cohort, column=model)
    if n is not None and len(values) != n:
        raise InputError(f"{len(values)} predicted probabilities for {n} outcomes",
                         "give one probability per patient", model=model, cohort=cohort)
    return values


def check_outcome(y, outcome: str = "outcome", model: str | None = None, cohort: str | None = None) -> np.ndarray:
    """A 0/1 outcome with both classes present."""
    y = binary_outcome(y, outcome, cohort=cohort)
    events = int(y.sum())
    if events == 0 or events == len(y):
        kind = "no events (all 0)" if events == 0 else "only events (all 1)"
        raise InputError(f"the cohort has {kind} among {len(y)} patients: calibration, reclassification and "
                         "net benefit need both outcome classes",
                         "check the cohort column and the outcome coding, or leave this cohort out",
                         model=model, cohort=cohort, column=outcome)
    return y


def _training_frame(train: pd.DataFrame, outcome: str, predictors: list[str], cohort: str | None) -> pd.DataFrame:
    name = "+".join(predictors)
    if not predictors:
        raise InputError("no predictors given", "name at least one predictor column", cohort=cohort)
    missing = [c for c in [outcome, *predictors] if c not in train.columns]
    if missing:
        raise InputError(f"column(s) {missing} not found", f"available columns: {', '.join(map(str, train.columns))}",
                         model=name, cohort=cohort, column=missing[0])
    frame = train[predictors].reset_index(drop=True).copy()
    for col in predictors:
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.isna().any() or not np.isfinite(values.to_numpy(dtype=float)).all():
            raise InputError(f"predictor {col!r} has missing, infinite or non-numeric values",
                             "impute or drop those patients first", model=name, cohort=cohort, column=col)
        frame[col] = values.astype(float)
    frame.insert(0, outcome, check_outcome(train[outcome], outcome, model=name, cohort=cohort))
    return frame


def fit_lrm(train: pd.DataFrame, outcome: str, predictors: list[str], cohort: str | None = "training"):
    """``rms::lrm(outcome ~ predictors, x = TRUE, y = TRUE)`` on the training rows (the R object)."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    frame = _training_frame(train, outcome, predictors, cohort)
    return _r().call("calibration_fit_lrm", frame, outcome, predictors, keep_r=True)


def predict_prob(fit, data: pd.DataFrame, predictors: list[str], cohort: str | None = None) -> np.ndarray:
    """The training fit's predicted probabilities for ``data`` (any cohort)."""
    missing = [c for c in predictors if c not in data.columns]
    if missing:
        raise InputError(f"predictor column(s) {missing} not found", "give the columns the model was fitted on",
                         cohort=cohort, column=missing[0])
    frame = data[list(predictors)].reset_index(drop=True).apply(pd.to_numeric, errors="coerce").astype(float)
    if not np.isfinite(frame.to_numpy()).all():
        raise InputError("predictors have missing, infinite or non-numeric values", "impute or drop those patients",
                         model="+".join(predictors), cohort=cohort)
    return np.asarray(_r().call("calibration_predict_prob", fit, frame), dtype=float).reshape(-1)


def split_cohorts(data: pd.DataFrame, cohort_col: str | None, train_cohort: str | None) -> list[tuple[str, pd.DataFrame]]:
    """(name, rows) per cohort, the training cohort first, then the others in order of appearance."""
    if cohort_col is None:
        return [(str(train_cohort) if train_cohort else "all", data)]
    if cohort_col not in data.columns:
        raise InputError(f"cohort column {cohort_col!r} not found",
                         f"available columns: {', '.join(map(str, data.columns))}", column=cohort_col)
    labels = data[cohort_col].astype(str)
    present = list(dict.fromkeys(labels))
    if train_cohort is None:
        raise InputError("the training cohort is not named", "give the cohort the model is fitted on",
                         column=cohort_col)
    if str(train_cohort) not in present:
        raise InputError(f"training cohort {train_cohort!r} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(present)}", column=cohort_col, cohort=str(train_cohort))
    order = [str(train_cohort)] + [c for c in present if c != str(train_cohort)]
    return [(c, data[labels == c]) for c in order]


# ---------------------------------------------------------------------------------------------
# Analyses
# ---------------------------------------------------------------------------------------------

def calibration_curve(train: pd.DataFrame, outcome: str, predictors: list[str], B: int = 1000,
                      seed: int | None = DEFAULT_SEED, method: str = "boot", fit=None) -> pd.DataFrame:
    """Apparent and bias-corrected calibration curves by ``rms::calibrate`` on the training cohort.

    Returns one row per grid point with ``predicted``, ``apparent``, ``bias_corrected`` and ``ideal``
    (= predicted). ``.attrs`` holds ``n``, ``B`` (resamples used), ``seed``, ``mean_absolute_error``,
    ``mean_squared_error`` and ``quantile90_absolute_error`` (rms' own summary).
    """
    if int(B) < 1:
        raise InputError(f"B must be a positive number of bootstrap resamples, not {B}", "use e.g. B=1000")
    fit = fit if fit is not None else fit_lrm(train, outcome, predictors)
    out = _r().call("calibration_calibrate", fit, B=int(B), method=method, seed=seed)
    curve = out["curve"]
    curve.attrs.update({k: (int(v) if k in ("n", "B") else float(v)) for k, v in out["summary"].items()})
    curve.attrs.update({"seed": seed, "method": method, "B_requested": int(B)})
    return curve


def optimism_corrected(train: pd.DataFrame, outcome: str, predictors: list[str], B: int = 1000,
                       seed: int | None = DEFAULT_SEED, method: str = "boot", fit=None) -> pd.DataFrame:
    """Apparent, optimism and optimism-corrected indexes by ``rms::validate`` (bootstrap).

    Rows: Dxy, AUC (= Dxy/2 + 0.5), R2, Intercept, Slope, Emax, D, U, Q, B (Brier score), g, gp; columns
    ``apparent``, ``training``, ``test``, ``optimism``, ``corrected``, ``n`` (resamples used).
    """
    if int(B) < 1:
        raise InputError(f"B must be a positive number of bootstrap resamples, not {B}", "use e.g. B=1000")
    fit = fit if fit is not None else fit_lrm(train, outcome, predictors)
    table = _r().call("calibration_validate", fit, B=int(B), method=method, seed=seed)
    dxy = table[table["index"] == "Dxy"].iloc[0]
    auc = {"index": "AUC", "n": dxy["n"]}
    for col in ("apparent", "training", "test", "corrected"):
        auc[col] = dxy[col] / 2 + 0.5
    auc["optimism"] = dxy["optimism"] / 2
    table = pd.concat([table.iloc[:1], pd.DataFrame([auc]), table.iloc[1:]], ignore_index=True)
    table["index"] = table["index"].replace({"B": "Brier"})
    table["n"] = table["n"].astype(int)
    table.attrs.update({"seed": seed, "B_requested": int(B)})
    return table


def val_prob(p, y, model: str | None = None, cohort: str | None = None) -> dict:
    """``rms::val.prob(p, y, pl = FALSE)`` statistics under our names (see ``VAL_PROB_NAMES``)."""
    y = check_outcome(y, model=model, cohort=cohort)
    p = check_probabilities(p, model, cohort, open_interval=True, n=len(y))
    spread = float(np.std(np.log(p / (1 - p))))
    if spread < 1e-4:
        raise InputError(f"the predicted probabilities hardly vary (from {p.min():.6g} to {p.max():.6g}): the "
                         "calibration slope is undefined and rms::val.prob cannot fit its recalibration model",
                         "check that the model uses informative predictors (its coefficients are near 0)",
                         model=model, cohort=cohort)
    from ..errors import RError
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


class TooFewRiskGroups(InputError):
    """The predicted risks take too few distinct values to form the 3 groups a Hosmer-Lemeshow test needs."""


def hosmer_lemeshow(p, y, g: int = 10, model: str | None = None, cohort: str | None = None) -> dict:
    """Hosmer-Lemeshow test with ``g`` groups at the type-7 quantiles of ``p`` (see the module docstring).

    Returns ``statistic``, ``df`` (= groups - 2), ``p_value``, ``groups`` (after merging tied quantiles) and
    ``table`` (per group: n, observed and expected events and non-events).
    """
    y = check_outcome(y, model=model, cohort=cohort)
    p = check_probabilities(p, model, cohort, n=len(y))
    if int(g) < 3:
        raise InputError(f"g = {g} groups leave no degrees of freedom (df = g - 2)", "use g >= 3 (usually 10)")
    try:
        out = _r().call("calibration_hosmer_lemeshow", p, y, g=int(g))
    except Exception as exc:
        from ..errors import RError
        if isinstance(exc, RError) and "too few distinct" in exc.r_message:
            raise TooFewRiskGroups("the predicted probabilities take too few distinct values for Hosmer-Lemeshow "
                                   "grouping", "use fewer groups (g) or a model with more distinct risks",
                                   model=model, cohort=cohort) from None
        raise
    if out["groups"] < 3:  # interpolated quantiles can still leave 2 groups, df = 0: no test
        raise TooFewRiskGroups(f"the predicted probabilities take too few distinct values for Hosmer-Lemeshow "
                               f"grouping ({out['groups']} groups, df = {out['df']})",
                               "use a model with more distinct risks", model=model, cohort=cohort)
    if out["groups"] < int(g):
        import warnings
        warnings.warn(f"Hosmer-Lemeshow: tied quantiles merged, {out['groups']} groups instead of {g} "
                      f"(df = {out['df']})" + (f" [model {model!r}, cohort {cohort!r}]" if model or cohort else ""),
                      stacklevel=2)
    return {"statistic": float(out["statistic"]), "df": int(out["df"]), "p_value": float(out["p_value"]),
            "groups": int(out["groups"]), "g": int(g), "table": out["table"]}


def _hosmer_lemeshow_or_na(p, y, g, model, cohort) -> dict:
    """The Hosmer-Lemeshow test, or NA with a warning when the risks take too few distinct values to form
    3 groups (a model on one binary predictor has two): the cohort's other statistics are still reported."""
    try:
        return hosmer_lemeshow(p, y, g=g, model=model, cohort=cohort)
    except TooFewRiskGroups:
        pass
    import warnings
    distinct = int(len(np.unique(np.asarray(p, dtype=float))))
    warnings.warn(f"Hosmer-Lemeshow not computed for model {model!r} in cohort {cohort!r}: {distinct} distinct "
                  f"predicted risks cannot form 3 groups (reported as NA)", stacklevel=3)
    return {"statistic": float("nan"), "df": 0, "p_value": float("nan"), "groups": distinct}


def observed_curve(p, y, model: str | None = None, cohort: str | None = None) -> pd.DataFrame:
    """The nonparametric calibration curve of one cohort as ``rms::val.prob`` draws it:
    ``lowess(p, y, iter = 0)`` (columns ``predicted``, ``observed``). Use it for external cohorts, where
    the model is not refitted and there is nothing to bias-correct."""
    y = check_outcome(y, model=model, cohort=cohort)
    p = check_probabilities(p, model, cohort, n=len(y))
    out = _r().call("calibration_lowess", p, y)
    curve = out["curve"]
    curve.attrs["eavg"] = float(np.mean(np.abs(p - np.asarray(out["at_p"], dtype=float))))
    return curve


def cohort_calibration(data: pd.DataFrame, outcome: str, predictors: list[str], cohort_col: str | None = None,
                       train_cohort: str | None = None, g: int = 10, fit=None) -> pd.DataFrame:
    """val.prob statistics and the Hosmer-Lemeshow test for every cohort, from the training fit.

    One row per cohort (training first): n, events, intercept, slope, brier, emax, e90, eavg, c, dxy,
    hl_statistic, hl_df, hl_p.
    """
    predictors = list(predictors)
    parts = split_cohorts(data, cohort_col, train_cohort)
    train_name, train_rows = parts[0]
    fit = fit if fit is not None else fit_lrm(train_rows, outcome, predictors, cohort=train_name)
    name = "+".join(predictors)
    rows = []
    for cohort, rows_c in parts:
        y = check_outcome(rows_c[outcome], outcome, model=name, cohort=cohort)
        p = predict_prob(fit, rows_c, predictors, cohort=cohort)
        vp = val_prob(p, y, model=name, cohort=cohort)
        hl = _hosmer_lemeshow_or_na(p, y, g, name, cohort)
        rows.append({"cohort": cohort, "n": len(y), "events": int(y.sum()),
                     **{k: vp[k] for k in ("intercept", "slope", "brier", "emax", "e90", "eavg", "c", "dxy", "r2",
                                           "s_z", "s_p")},
                     "hl_statistic": hl["statistic"], "hl_df": hl["df"], "hl_groups": hl["groups"],
                     "hl_p": hl["p_value"]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------------------------

def plot_calibration_models(curves: dict, path, formats=("png", "pdf"), title: str | None = None,
                            column: str = "bias_corrected", xlabel: str = "Predicted probability") -> list[Path]:
    """Several models' curves on one panel with the ideal diagonal (the paper's Figure 6b layout):
    ``curves`` maps a model name to a frame with ``predicted`` and ``column`` (``bias_corrected`` for
    training curves, ``observed`` for :func:`observed_curve`)."""
    from ..reporting.figures import save_figure, use_agg
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1.2, label="Ideal")
    for name, curve in curves.items():
        ax.plot(curve["predicted"], curve[column], linewidth=1.5, label=str(name))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Actual probability")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return save_figure(fig, path, formats)


def plot_calibration(curve: pd.DataFrame, path, formats=("png", "pdf"), title: str | None = None) -> list[Path]:
    """Apparent and bias-corrected curves against the ideal diagonal (the paper's Figure 6b)."""
    from ..reporting.figures import save_figure, use_agg
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1.2, label="Ideal")
    ax.plot(curve["predicted"], curve["apparent"], color="tab:blue", linestyle="--", linewidth=1.4,
            label="Apparent")
    ax.plot(curve["predicted"], curve["bias_corrected"], color="black", linewidth=1.6, label="Bias-corrected")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Predicted probability")
    ax.set_ylabel("Actual probability")
    B = curve.attrs.get("B")
    mae = curve.attrs.get("mean_absolute_error")
    note = []
    if B is not None:
        note.append(f"B = {B} repetitions, boot")
    if mae is not None and not math.isnan(mae):
        note.append(f"Mean absolute error = {mae:.3f}, n = {curve.attrs.get('n')}")
    if note:
        ax.text(0.98, 0.02, "\n".join(note), ha="right", va="bottom", fontsize=7, transform=ax.transAxes)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return save_figure(fig, path, formats)
