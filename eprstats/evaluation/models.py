"""Logistic models fitted with ``rms::lrm``: clinical, signature and combined models, Table 3.

The model is fitted on the training cohort only (``rms::lrm(x = TRUE, y = TRUE)``, Harrell, Regression
Modeling Strategies, 2nd ed., 2015) and scores every other cohort unchanged with its linear predictor
lp = b0 + sum(b_j x_j), probability = 1 / (1 + exp(-lp)).

Table 3 reports, for every term with the intercept: beta, SE, Wald z = beta/SE, P = 2 Phi(-|z|),
OR = exp(beta) and its Wald 95% CI exp(beta -/+ z_0.975 SE).

Backward selection is either ``rms::fastbw`` (Lawless & Singhal's fast approximate backward elimination
on the full lrm fit; rule "aic" by default: delete while the residual chi-square minus twice its d.f. stays
negative; or rule "p": delete while the residual P exceeds ``sls``) or ``stats::step`` on the binomial glm
(backward, by AIC with k = 2).

The whole analysis is :func:`fit_model` (a :class:`~.models_result.ModelFit` result: Table 3, the
nomogram, every patient's score); :func:`fit_logistic`, :func:`table3` and :func:`backward_stepwise` are its
pieces.

Example
-------
>>> fit = fit_model(df, "EPR", ["AFP", "PVP", "PVP_DLR"], name="PVP_DLRRN", cohort_col="cohort",
...                 train_cohort="training")
>>> fit.table3()                         # Variable, beta, OR (95% CI), P
>>> fit.scores                           # PVP_DLRRN_lp and PVP_DLRRN_prob for every patient
>>> model = fit_logistic(train, "EPR", ["AFP", "PVP", "PVP_DLR"], name="PVP_DLRRN")   # the fit alone
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import InputError, RError, RWarning
from ..results import PartialResult, Table
from ..validation import (arguments, binary_outcome, check_columns, expit, id_labels, predictor_frame, predictor_list,
                          split_cohorts, with_event)
from .models_result import ModelFit, format_table3  # noqa: F401  (format_table3 is imported from here)

#: fewer events per variable than this gives a warning (Peduzzi et al., J Clin Epidemiol 1996).
MIN_EVENTS_PER_VARIABLE = 10
#: the probabilities marked on the nomogram's risk axis by default
DEFAULT_FUN_AT = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
STEPWISE = ("none", "fastbw", "aic")
#: SPSS's LOGISTIC REGRESSION stepwise methods (models_spss.METHODS): BSTEP/FSTEP with WALD, LR or COND removal
SPSS_STEPWISE = ("spss-bwald", "spss-blr", "spss-bcond", "spss-bstep", "spss-fwald", "spss-flr", "spss-fcond",
                 "spss-fstep", "spss-enter")


def _r():
    from .. import rbridge
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
    from scipy.optimize import linprog

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
    from scipy.stats import norm

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


# ---------------------------------------------------------------------------------------------
# The analysis: ep.fit_model
# ---------------------------------------------------------------------------------------------

@arguments(data="frame", outcome="column", predictors="columns", name="text", cohort_col="column?",
           train_cohort="label?", stepwise="text", fastbw_rule="text", sls="number", id_col="column?",
           fun_at="numbers", funlabel="text", pin="number", pout="number", iterate="count", bcon="number",
           lcon="number", eps="number", spss_estimation="text", print_iter="flag", event="event?")
def fit_model(data: pd.DataFrame, outcome: str, predictors, name: str = "model", cohort_col: str | None = None,
              train_cohort: str | None = None, stepwise: str = "none", fastbw_rule: str = "aic", sls: float = 0.05,
              id_col: str | None = None, fun_at=DEFAULT_FUN_AT, funlabel: str = "Probability", pin: float = 0.05,
              pout: float = 0.10, iterate: int = 20, bcon: float = 0.001, lcon: float = 0.0, eps: float = 1e-8,
              spss_estimation: str = "spss", print_iter: bool = False, event=None) -> ModelFit:
    """A logistic model fitted on the training cohort (the paper's Table 3 and nomogram), scoring every cohort.

    ``rms::lrm(outcome ~ predictors, x = TRUE, y = TRUE)`` on ``train_cohort`` only (every patient without
    ``cohort_col``), after backward selection when asked: ``stepwise="fastbw"`` (``rms::fastbw(rule =
    fastbw_rule, sls = sls, type = "residual")``, Lawless & Singhal) or ``"aic"`` (``stats::step(glm,
    direction = "backward", k = 2)``) or SPSS's LOGISTIC REGRESSION stepwise methods, ``"spss-bwald"``,
    ``"spss-blr"``, ``"spss-bcond"`` (BSTEP with Wald, likelihood-ratio or conditional removal), ``"spss-fwald"``,
    ``"spss-flr"``, ``"spss-fcond"`` (FSTEP), ``"spss-bstep"`` / ``"spss-fstep"`` (SPSS's bare keywords: COND),
    with entry by the score test at P < ``pin`` and removal at P > ``pout`` (SPSS's PIN(0.05) POUT(0.10); see
    :mod:`~.models_spss`), which add SPSS's step history and every step's tables; ``"spss-enter"`` (SPSS's
    METHOD=ENTER, the plain fit as SPSS does it: Block 0 and one step with every predictor). The SPSS methods
    estimate as SPSS does (``spss_estimation="spss"``: Newton-Raphson from zero stopped by SPSS's CRITERIA
    ``iterate`` = ITERATE(20), ``bcon`` = BCON(.001), ``lcon`` = LCON(0), ``eps`` = EPS(1e-8), so that every
    printed number is SPSS's; ``"ml"``: the converged maximum); ``print_iter`` adds SPSS's Iteration History
    (/PRINT=ITER(1)). Table 3 gives per term beta, SE,
    Wald z = beta/SE, P = 2 Phi(-|z|) and OR = exp(beta) with the Wald CI exp(beta -/+ 1.96 SE). Every patient
    of every cohort is scored with the training fit: lp = b0 + sum(b_j x_j), probability = 1 / (1 + exp(-lp))
    (``rms::predict.lrm``), with the ids of ``id_col`` kept as text. The nomogram is ``rms::nomogram(fun =
    plogis, fun.at = fun_at)``.

    References: Harrell, Regression Modeling Strategies, 2nd ed., Springer 2015 (chapters 10-11). Lawless &
    Singhal, Biometrics 1978;34:318-27. IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION ("Stepwise Variable
    Selection").

    Example
    -------
    >>> import eprstats as ep
    >>> fit = ep.fit_model(df, "EPR", ["AFP", "PVP", "PVP_DLR"], name="PVP_DLRRN", cohort_col="cohort",
    ...                    train_cohort="training", id_col="id")
    >>> fit.table3()                       # Variable, beta, OR (95% CI), P
    >>> fit.tidy()                         # every number, one row each
    >>> fit.write("out", ["csv", "docx"])  # table3.*, table3_numeric.csv, scores.csv, figures/figure6a_nomogram.png
    """
    data = with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
    from .nomogram import check_fun_at, nomogram

    terms = [predictors] if isinstance(predictors, str) else list(predictors)
    if stepwise not in STEPWISE + SPSS_STEPWISE:
        raise InputError(f"unknown stepwise method {stepwise!r}",
                         f"use one of {', '.join(STEPWISE + SPSS_STEPWISE)}", model=name)
    if fastbw_rule not in ("aic", "p"):
        raise InputError(f"unknown fastbw rule {fastbw_rule!r}", "use 'aic' or 'p'", model=name)
    fun_at = check_fun_at(fun_at, name)
    if id_col is not None:
        check_columns(data, [id_col], "id")
        id_labels(data[id_col], id_col)  # an empty id is refused before the fit, not after it
    parts = split_cohorts(data, cohort_col, train_cohort, require_train=cohort_col is not None, id_col=id_col)
    train_name, train = parts[0]
    try:
        criteria = {"iterate": iterate, "bcon": bcon, "lcon": lcon, "eps": eps, "estimation": spss_estimation}
        model, step = _fit(train, outcome, terms, stepwise, fastbw_rule, sls, name, train_name, pin, pout, criteria)
        if step is not None and stepwise in SPSS_STEPWISE:
            step.settings["print_iter"] = bool(print_iter)
    except RError as exc:  # R's message kept; say which model and cohort, and what to check
        raise RError(exc.r_function, exc.r_message, "check the training cohort's size and the predictors (constant, "
                     "collinear or separating ones) of this model", model=name, cohort=train_name) from None
    nomo = nomogram(model, fun_at=fun_at, funlabel=funlabel)
    settings = {"outcome": outcome, "predictors": terms, "name": name, "cohort_col": cohort_col,
                "train_cohort": train_name, "cohorts": [c for c, _ in parts], "id_col": id_col,
                "fit": "rms::lrm(x=TRUE, y=TRUE)", "stepwise": stepwise, "nomogram": nomo.settings}
    if step is not None:
        settings.update(stepwise_settings=step.settings, kept=step.kept)
    fitted = ModelFit(model=model, numeric=table3(model), stepwise=step, nomogram=nomo, scores=None,
                      settings=settings)
    try:
        scores = _score_cohorts(model, parts, outcome, id_col)
    except InputError as exc:  # e.g. a validation cohort's bad rows: the training fit is finished work
        exc.partial = fitted
        raise
    return replace(fitted, scores=scores)


def _fit(train, outcome, terms, stepwise, fastbw_rule, sls, name, train_name, pin=0.05, pout=0.10, criteria=None):
    """(model, stepwise result or None): rms::lrm on the training rows, after backward selection if asked."""
    if stepwise == "none":
        return fit_logistic(train, outcome, terms, name=name, cohort=train_name), None
    if stepwise in SPSS_STEPWISE:
        from .models_spss import spss_stepwise
        step = spss_stepwise(train, outcome, terms, method=stepwise, pin=pin, pout=pout, name=name, cohort=train_name,
                             **(criteria or {}))
    else:
        step = backward_stepwise(train, outcome, terms, method=stepwise, rule=fastbw_rule, sls=sls, name=name)
    if step.model is None:
        exc = InputError(f"{'stepwise' if stepwise in SPSS_STEPWISE else 'backward'} selection ({stepwise}) "
                         f"{'kept no' if stepwise in SPSS_STEPWISE else 'removed every'} predictor",
                         "fit the model without --stepwise" + (", or use a more lenient rule (e.g. --fastbw-rule "
                                                               "p --sls 0.2)" if stepwise == "fastbw" else ""),
                         model=name, cohort=train_name)
        # the selection record is finished work: a command keeps it (stepwise.csv) beside the error
        exc.partial = PartialResult((Table("stepwise", step.record, publication=False),), {"stepwise": stepwise})
        raise exc
    return step.model, step


def _score_cohorts(model: LogisticModel, parts, outcome: str, id_col: str | None) -> pd.DataFrame:
    """lp and probability of every patient, cohort by cohort (so that an error names the cohort)."""
    frames = []
    for cohort, rows in parts:
        try:
            lp = model.predict(rows, type="lp").to_numpy()
        except InputError as exc:
            raise InputError(exc.problem, exc.fix, column=exc.column, model=model.name, cohort=cohort) from None
        frame = pd.DataFrame({"cohort": cohort, outcome: rows[outcome].to_numpy(),
                              f"{model.name}_lp": lp, f"{model.name}_prob": expit(lp)})
        if id_col:
            frame.insert(0, id_col, id_labels(rows[id_col], id_col).to_numpy())
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
