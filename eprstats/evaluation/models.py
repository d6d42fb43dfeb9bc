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

Usage (a sketch; the functions' own examples run on the example cohort and are checked)::

    fit = fit_model(df, "EPR", ["AFP", "PVP", "PVP_DLR"], name="PVP_DLRRN", cohort_col="cohort",
                    train_cohort="training")
    fit.table3()                         # Variable, beta, OR (95% CI), P
    fit.scores                           # PVP_DLRRN_lp and PVP_DLRRN_prob for every patient
    model = fit_logistic(train, "EPR", ["AFP", "PVP", "PVP_DLR"], name="PVP_DLRRN")   # the fit alone
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..arguments import require_train_cohort
from ..errors import InputError, RError
from ..results import PartialResult, Table
from ..validation import arguments, check_columns, expit, id_labels, split_cohorts, with_event
# the model's pieces are imported from here too (ep.evaluation.models.fit_logistic, tests)
from .logistic import (DEFAULT_FUN_AT, MIN_EVENTS_PER_VARIABLE, LogisticModel, StepwiseResult,  # noqa: F401
                       _predictor_frame, _r, backward_stepwise, fit_logistic, separated, table3)
from .models_result import ModelFit, format_table3  # noqa: F401  (format_table3 is imported from here)
from .models_spss import spss_stepwise
from .nomogram import check_fun_at, nomogram

STEPWISE = ("none", "fastbw", "aic")
#: SPSS's LOGISTIC REGRESSION stepwise methods (models_spss.METHODS): BSTEP/FSTEP with WALD, LR or COND removal
SPSS_STEPWISE = ("spss-bwald", "spss-blr", "spss-bcond", "spss-bstep", "spss-fwald", "spss-flr", "spss-fcond",
                 "spss-fstep", "spss-enter")


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

    Parameters
    ----------
    data : DataFrame
        One row per patient: the outcome, the predictors and, optionally, the cohort and the id.
    outcome : str
        The binary outcome column, coded 0/1 or with ``event`` naming the event.
    predictors : str or list of str
        The predictor columns; text columns are categorical (``rms::lrm`` factors).
    name : str
        The model's name (in Table 3's title, the score columns ``NAME_lp`` / ``NAME_prob``).
    cohort_col : str, optional
        The cohort column (default: every patient is training).
    train_cohort : str, optional
        The cohort the model is fitted on (required with ``cohort_col``); every other cohort is scored only.
    stepwise : str
        ``"none"``; backward selection ``"fastbw"`` (``rms::fastbw(rule = fastbw_rule, sls = sls, type =
        "residual")``, Lawless & Singhal) or ``"aic"`` (``stats::step(glm, direction = "backward", k = 2)``);
        or SPSS's LOGISTIC REGRESSION methods ``"spss-bwald"``, ``"spss-blr"``, ``"spss-bcond"`` (BSTEP with
        Wald, likelihood-ratio or conditional removal), ``"spss-fwald"``, ``"spss-flr"``, ``"spss-fcond"``
        (FSTEP), ``"spss-bstep"`` / ``"spss-fstep"`` (SPSS's bare keywords: COND) and ``"spss-enter"``
        (METHOD=ENTER: Block 0 and one step with every predictor), which add SPSS's step history and every
        step's tables (:mod:`~.models_spss`).
    fastbw_rule : str
        ``rms::fastbw``'s rule: ``"aic"`` (delete while the residual chi-square minus twice its d.f. stays
        negative) or ``"p"`` (delete while the residual P exceeds ``sls``).
    sls : float
        ``rms::fastbw``'s significance level to stay, with ``fastbw_rule="p"``.
    id_col : str, optional
        The patient id column, kept as text in the scores.
    fun_at : list of float
        The probabilities marked on the nomogram's risk axis, each strictly between 0 and 1.
    funlabel : str
        The nomogram's risk-axis label.
    pin, pout : float
        SPSS's entry (score test P < ``pin``) and removal (P > ``pout``) criteria, PIN(0.05) POUT(0.10).
    iterate, bcon, lcon, eps : number
        SPSS's CRITERIA for its estimation: ITERATE(20), BCON(.001), LCON(0), EPS(1e-8).
    spss_estimation : str
        ``"spss"``: Newton-Raphson from zero stopped by SPSS's CRITERIA, so that every printed number is
        SPSS's; ``"ml"``: the converged maximum.
    print_iter : bool
        Add SPSS's Iteration History (/PRINT=ITER(1)).
    event : optional
        The outcome's value that is the event, required when the outcome is not coded 0/1.

    Returns
    -------
    ModelFit
        ``numeric`` (Table 3's numbers per term), the model, the stepwise record, the nomogram's points and
        ``scores`` (every patient's lp and probability); ``table3()`` the table as printed, ``tidy()`` every
        number, ``write(out)`` the tables, ``scores.csv`` and Figure 6a.

    Notes
    -----
    ``rms::lrm(outcome ~ predictors, x = TRUE, y = TRUE)`` on ``train_cohort`` only, after the selection
    asked for. Table 3 gives per term beta, SE, Wald z = beta/SE, P = 2 Phi(-|z|) and OR = exp(beta) with the
    Wald CI exp(beta -/+ 1.96 SE). Every patient of every cohort is scored with the training fit:
    lp = b0 + sum(b_j x_j), probability = 1 / (1 + exp(-lp)) (``rms::predict.lrm``). The nomogram is
    ``rms::nomogram(fun = plogis, fun.at = fun_at)``. Fewer than 10 events per variable give a warning
    (Peduzzi et al. 1996); separation is refused before the fit's numbers are used (Konis' linear program).

    References
    ----------
    Harrell FE (2015) Regression Modeling Strategies, 2nd ed. Springer, New York (chapters 10-11).
    Lawless JF, Singhal K (1978) Efficient screening of nonnormal regression models. Biometrics 34:318-327.
    IBM SPSS Statistics Algorithms: LOGISTIC REGRESSION, "Stepwise Variable Selection".

    Examples
    --------
    The example cohort's combined model, fitted on the training cohort (the paper's Table 3 layout), and the
    mean predicted probability in each cohort:

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> fit = ep.fit_model(df, "EPR", ["AFP", "PVP", "PVP_DLR"], name="PVP_DLRRN", cohort_col="cohort",
    ...                    train_cohort="training", id_col="id")
    >>> fit.table3().values.tolist()
    [['Intercept', '-2.39083', '', '<0.001'], ['AFP', '0.86586', '2.377 (0.763-7.401)', '0.135'],
     ['PVP', '1.04232', '2.836 (1.477-5.443)', '0.002'], ['PVP_DLR', '1.70100', '5.479 (2.755-10.898)', '<0.001']]
    >>> fit.scores.groupby("cohort", sort=False)["PVP_DLRRN_prob"].mean().round(3).to_dict()
    {'training': 0.404, 'external': 0.442}
    """
    require_train_cohort("fit_model", cohort_col, train_cohort, "the model's coefficients")
    data = with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
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
