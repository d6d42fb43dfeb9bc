"""The logistic model itself: ``rms::lrm`` fitted on the training cohort (:func:`fit_logistic`), its Table 3
(:func:`table3`) and backward selection (:func:`backward_stepwise`); the pieces that :mod:`.models` (the whole
analysis, ``ep.fit_model``), :mod:`.nomogram` and :mod:`.models_spss` share, kept below them so that none of
them imports another back. See :mod:`.models` for the statistics."""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.stats import norm

from .. import rbridge
from ..errors import InputError, RWarning
from ..validation import binary_outcome, expit, predictor_frame, predictor_list

#: fewer events per variable than this gives a warning (Peduzzi et al., J Clin Epidemiol 1996).
MIN_EVENTS_PER_VARIABLE = 10
#: the probabilities marked on the nomogram's risk axis by default
DEFAULT_FUN_AT = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def _r():
    rbridge.require_packages("rms")
    return rbridge


@dataclass
class LogisticModel:
    """A fitted ``rms::lrm`` model (the R object is kept to predict and to draw the nomogram)."""

    name: str
    outcome: str
    predictors: list[str]
    coefficients: pd.DataFrame
    stats: dict
    n: int
    events: int
    r_fit: object = field(repr=False, default=None)
    levels: dict = field(default_factory=dict)  # categories seen in training, per categorical predictor
    #: Table 3's numbers (term, beta, se, z, p) at the maximum (lrm's estimates continued to a 1e-14 change)
    converged: pd.DataFrame | None = None

    def predict(self, data: pd.DataFrame, type: str = "lp") -> pd.Series:
        """Score ``data`` with the training fit: ``type="lp"`` (linear predictor) or ``"prob"``."""
        if type not in ("lp", "prob"):
            raise InputError(f"unknown prediction type {type!r}", "use 'lp' or 'prob'", model=self.name)
        frame = _predictor_frame(data, self.predictors, self.name, cohort=None)
        for col, seen in self.levels.items():
            unseen = sorted(set(frame[col]) - set(seen))
            if unseen:
                raise InputError(f"categories {unseen} of {col!r} were not in the training data, so the model "
                                 f"has no coefficient for them (training: {seen})",
                                 "recode them to a training category or leave those patients out",
                                 model=self.name, column=col)
        lp = np.asarray(_r().call("models_predict_lp", self.r_fit, frame), dtype=float).reshape(-1)
        values = lp if type == "lp" else expit(lp)
        return pd.Series(values, index=data.index, name=f"{self.name}_{type}")


@dataclass
class StepwiseResult:
    """Backward selection: the terms kept, the elimination record, and the refitted model."""

    method: str
    settings: dict
    kept: list[str]
    record: pd.DataFrame
    model: LogisticModel | None


def _predictor_frame(data: pd.DataFrame, predictors: list[str], model: str, cohort: str | None):
    # lrm takes factors: text predictors stay categorical (validation's one predictor-frame builder)
    return predictor_frame(data, predictors, model=model, cohort=cohort, categorical=True)


def fit_logistic(train: pd.DataFrame, outcome: str, predictors: list[str], name: str | None = None,
                 cohort: str | None = "training") -> LogisticModel:
    """Fit ``rms::lrm(outcome ~ predictors, x = TRUE, y = TRUE)`` on the training cohort."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    name = name or "+".join(predictors)
    predictors = predictor_list(predictors, outcome, model=name)
    odd = [p for p in predictors if "`" in p]
    if odd:  # R formulas quote names with backticks, so a name cannot contain one
        raise InputError(f"predictor column name {odd[0]!r} contains a backtick (`)", "rename the column",
                         model=name, column=odd[0])
    if outcome not in train.columns:
        raise InputError(f"outcome column {outcome!r} not found", f"available columns: "
                         f"{', '.join(map(str, train.columns))}", model=name, column=outcome)
    y = binary_outcome(train[outcome], outcome, cohort=cohort)
    events = int(y.sum())
    if events == 0 or events == len(y):
        raise InputError(f"the training data have {'no events' if events == 0 else 'only events'}",
                         "a logistic model needs both outcome classes", model=name, cohort=cohort)
    frame = _predictor_frame(train, predictors, name, cohort)
    constant = [c for c in predictors if frame[c].nunique() < 2]
    if constant:
        raise InputError(f"predictor {constant[0]!r} has a single value ({frame[constant[0]].iloc[0]}) in the "
                         "training data, so it has no coefficient", "leave it out of the model", model=name,
                         cohort=cohort, column=constant[0])
    frame.insert(0, outcome, y)
    epv = min(events, len(y) - events) / len(predictors)
    if epv < MIN_EVENTS_PER_VARIABLE:
        warnings.warn(f"model {name!r}: {epv:.1f} events per variable ({min(events, len(y) - events)} in the "
                      f"smaller outcome class, {len(predictors)} predictors) is below "
                      f"{MIN_EVENTS_PER_VARIABLE}; coefficients may be unstable", stacklevel=2)
    r = _r()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = r.call("models_fit_lrm", frame, outcome, predictors, keep_r=True)
        status = r.call("models_fit_status", fit)
    r_messages = [str(w.message) for w in caught if issubclass(w.category, RWarning)]
    if status["fail"] or not status["finite_se"]:
        detail = "; ".join(r_messages) or "lrm did not converge"
        raise InputError(f"the logistic model could not be fitted ({detail}): this usually means perfect or "
                         f"quasi-complete separation (a predictor splits the outcome classes exactly), collinear "
                         f"predictors (one is a combination of others) or too few events",
                         "remove or recode the separating or collinear predictor, or merge sparse categories",
                         model=name, cohort=cohort)
    design = r.call("models_design", fit)
    if separated(np.asarray(design["x"], dtype=float), np.asarray(design["y"], dtype=int)):
        raise InputError("complete or quasi-complete separation: a linear combination of the predictors puts "
                         "every event on one side and every non-event on the other (ties allowed), so maximum-"
                         "likelihood coefficients do not exist and lrm's estimates are meaningless",
                         "remove or recode the separating predictor (often a variable derived from the outcome), "
                         "or merge sparse categories", model=name, cohort=cohort)
    if (status["max_abs_beta"] or 0) > 20:
        warnings.warn(f"model {name!r}: a coefficient of {status['max_abs_beta']:.1f} suggests near "
                      f"separation; check the predictors' scales", stacklevel=2)
    for w in caught:  # re-issue R's other warnings
        warnings.warn(w.message, w.category, stacklevel=2)
    coefs = r.call("models_coef_table", fit)
    converged = r.call("models_coef_table_converged", fit)
    stats = r.call("models_fit_stats", fit)
    levels = {c: sorted(set(frame[c])) for c in predictors if not pd.api.types.is_numeric_dtype(frame[c])}
    return LogisticModel(name=name, outcome=outcome, predictors=predictors, coefficients=coefs,
                         stats={k: float(v) for k, v in stats.items()}, n=len(y), events=events, r_fit=fit,
                         levels=levels, converged=converged)


def separated(x: np.ndarray, y: np.ndarray, tol: float = 1e-7) -> bool:
    """Whether the design ``x`` (intercept column included) separates the 0/1 outcome ``y``, completely or
    quasi-completely: the linear program of Konis (2007), max sum_i s_i x_i.b subject to s_i x_i.b >= 0 and
    -1 <= b <= 1 (s_i = +1 for events, -1 otherwise), has a positive optimum exactly when such a b exists.
    The columns are scaled to unit range first so that the tolerance means the same for every predictor."""
    scale = np.ptp(x, axis=0)
    scale[scale == 0] = 1.0
    signed = (np.where(y == 1, 1.0, -1.0)[:, None]) * (x / scale)
    res = linprog(-signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(y)), bounds=[(-1, 1)] * x.shape[1],
                  method="highs")
    return bool(res.status == 0 and -res.fun > tol * len(y))


def table3(model: LogisticModel, conf_level: float = 0.95) -> pd.DataFrame:
    """Table 3: term, beta, se, z, odds_ratio, or_ci_low, or_ci_high (Wald), p; intercept first, at the
    maximum (lrm's estimates continued to a 1e-14 change: the digits glm and statsmodels print).

    The intercept's OR and CI are left empty (NaN), as in the paper.
    """
    z = float(norm.ppf(0.5 + conf_level / 2))
    coefs = model.converged if model.converged is not None else model.coefficients
    out = coefs[["term", "beta", "se", "z", "p"]].copy()
    out["odds_ratio"] = np.exp(out["beta"])
    out["or_ci_low"] = np.exp(out["beta"] - z * out["se"])
    out["or_ci_high"] = np.exp(out["beta"] + z * out["se"])
    is_intercept = out["term"] == "Intercept"
    out.loc[is_intercept, ["odds_ratio", "or_ci_low", "or_ci_high"]] = math.nan
    return out[["term", "beta", "se", "z", "odds_ratio", "or_ci_low", "or_ci_high", "p"]].reset_index(drop=True)


def backward_stepwise(train: pd.DataFrame, outcome: str, candidates: list[str], method: str = "fastbw",
                      rule: str = "aic", sls: float = 0.05, name: str | None = None) -> StepwiseResult:
    """Backward selection among ``candidates`` on the training cohort, then lrm refitted on the kept terms.

    ``method="fastbw"``: ``rms::fastbw(fit, rule=rule, sls=sls, type="residual")`` on the full lrm fit.
    ``method="aic"``: ``stats::step(glm(binomial), direction="backward", k=2)``.
    Returns the kept terms, the elimination record (one row per deleted term) and the refitted model
    (None when every term was deleted).
    """
    candidates = list(candidates)
    if method not in ("fastbw", "aic"):
        raise InputError(f"unknown stepwise method {method!r}", "use 'fastbw' (rms::fastbw) or 'aic' (stats::step)")
    if rule not in ("aic", "p"):
        raise InputError(f"unknown fastbw rule {rule!r}", "use 'aic' or 'p'")
    name = name or "stepwise"
    full = fit_logistic(train, outcome, candidates, name=name)
    r = _r()
    if method == "fastbw":
        settings = {"method": "rms::fastbw", "rule": rule, "sls": sls, "type": "residual"}
        out = r.call("models_fastbw", full.r_fit, rule=rule, sls=float(sls), type="residual")
    else:
        settings = {"method": "stats::step", "direction": "backward", "k": 2}
        frame = _predictor_frame(train, candidates, name, "training")
        frame.insert(0, outcome, binary_outcome(train[outcome], outcome))
        out = r.call("models_step_aic", frame, outcome, candidates)
    kept_terms = out["kept"] if isinstance(out["kept"], list) else ([out["kept"]] if out["kept"] else [])
    kept = [c for c in candidates if c in kept_terms]
    record = out["record"]
    if method == "aic":
        record = record[record["deleted"] != ""].reset_index(drop=True)
    model = fit_logistic(train, outcome, kept, name=name) if kept else None
    return StepwiseResult(method=method, settings=settings, kept=kept, record=record, model=model)
