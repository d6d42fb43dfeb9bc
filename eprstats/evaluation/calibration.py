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
  intercept is not the calibration-in-the-large, which fixes b = 1), Brier score, Emax/E90/Eavg
  (|lowess calibration - p|), C (= AUC), Dxy, R2, D, U, Q, Spiegelhalter's z.
* Hosmer-Lemeshow (Hosmer & Lemeshow, Applied Logistic Regression, 3rd ed., 2013, sec. 5.2.2), our own R
  code: g groups ("deciles of risk") cut at ``stats::quantile(p, seq(0, 1, 1/g), type = 7)``, intervals
  closed on the right with the lowest value included, tied quantiles merged (fewer groups); statistic
  C = sum over groups and both outcome classes of (O - E)^2 / E, df = groups - 2, upper chi-square P.
  ``hl_grouping="spss"``: SPSS's grouping (IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION,
  "Hosmer-Lemeshow Goodness-of-Fit Statistic": cases sorted by predicted probability, about g groups of
  nearly equal size, tied probabilities never split): cuts at the empirical percentiles, group
  k = floor(g (i - 1) / n) + 1 of the first sorted position i of each run of equal probabilities, empty groups
  dropped (see ``calibration_hl_groups_spss`` in r/calibration.R; checked against an independent
  implementation, not against SPSS output, which was not available with its data); the contingency table
  (observed and expected per group and outcome) is written as ``hosmer_lemeshow``.
  ``hl_external_df="g"``: df = groups on every cohort but training (Hosmer, Lemeshow & Sturdivant, sec. 6.4).
* Recalibration CIs (``stats::confint.default``, Wald): intercept and slope of glm(y ~ logit(p)) and the
  calibration-in-the-large of glm(y ~ 1, offset = logit(p)), per cohort (:func:`recalibration_ci`).

Every model is fitted once, by :func:`eprstats.evaluation.models.fit_logistic` (``models_fit_lrm`` in R, the
fit ``eprstats fit`` makes, with its separation and convergence checks); the curve, the validation and every
cohort's statistics use that one fit. :func:`calibrate` runs the whole analysis and returns a
:class:`~eprstats.evaluation.calibration_result.Calibration` (with ``hl_table``, which adds the
Hosmer-Lemeshow contingency tables of SPSS's grouping).

Usage (a sketch; the functions' own examples run on the example cohort and are checked)::

    cal = calibrate(df, "EPR", {"PVP_DLRRN": ["PVP", "PVP_DLR", "AFP"]}, cohort_col="cohort",
                    train_cohort="training", boot_n=1000, seed=1234)
    cal.statistics            # val.prob and Hosmer-Lemeshow per model and cohort
    cal.write("calibration", formats=["csv", "md"])
    curve = calibration_curve(train, "EPR", ["PVP_DLR", "AFP"], B=1000, seed=1234)
    val_prob(p_external, y_external)["slope"]
    hosmer_lemeshow(p_external, y_external, g=10)["p_value"]
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from .. import validation
from ..arguments import renamed, require_train_cohort
from ..errors import EprstatsError, InputError, RError
from .hosmer_lemeshow import (HL_DF_RULES, HL_GROUPINGS, PURPOSE, TooFewRiskGroups,  # noqa: F401
                              _check_df_rule, _check_groups, _check_grouping, _hosmer_lemeshow_or_na, _outcome,
                              hosmer_lemeshow)
from .calibration_fit import (  # noqa: F401  (re-exported: callers import them from here)
    DEFAULT_SEED, VAL_PROB_NAMES, COHORT_STATISTICS, CI_COLUMNS, UNNAMED, R_FIX, _r, _naming, _check_B, _fit,
    fit_lrm, predict_prob, calibration_curve, optimism_corrected, val_prob, recalibration_ci, observed_curve)
from .calibration_result import HL_TABLE, Calibration, plot_calibration, plot_calibration_models  # noqa: F401


def optimism_auc(train: pd.DataFrame, outcome: str, column: str, B: int = 200, seed: int | None = DEFAULT_SEED,
                 probabilities: bool | None = None, name: str | None = None, cohort: str | None = None) -> dict:
    """Harrell's optimism-corrected AUC of one score on its training cohort: ``rms::validate(method = "boot")``
    of the score's logistic recalibration ``lrm(y ~ logit(score))`` (``lrm(y ~ score)`` when the score is not a
    probability; ``probabilities=None`` decides by its range), as the study's calibration stage fits it.

    AUC = Dxy/2 + 0.5; corrected = apparent - mean over B resamples of (AUC on the resample - AUC of the
    resample's fit on the training data); ``set.seed(seed)`` right before validate. Returns the AUC row of
    :func:`optimism_corrected` as a dict (apparent, optimism, corrected, n). Reference: Harrell, Regression
    Modeling Strategies, 2nd ed., 2015, sec. 5.3.5.

    Example
    -------
    >>> optimism_auc(train, "EPR", "PVP_DLR", B=200, seed=1234)["corrected"]          # doctest: +SKIP
    """
    name = name or column
    if probabilities is None:
        values = pd.to_numeric(train[column], errors="coerce")
        probabilities = bool(((values > 0) & (values < 1)).all())
    [(_, frame)] = _model_parts([(cohort, train)], outcome, name, [column], probabilities)
    fit = _fit(frame, outcome, [column], name, cohort)
    table = optimism_corrected(frame, outcome, [column], B=B, seed=seed, fit=fit, name=name, cohort=cohort)
    return table[table["index"] == "AUC"].iloc[0].to_dict()


def _cohort_row(p, y, g, model, cohort, grouping="quantile", tables=None, df_rule="g-2", conf_level=0.95) -> dict:
    """One cohort's statistics; with ``tables`` (a list) its Hosmer-Lemeshow contingency table is appended.
    The CI columns come last: the earlier columns keep the order of earlier versions."""
    with _naming(model, cohort):
        vp = val_prob(p, y, model=model, cohort=cohort)
        hl = _hosmer_lemeshow_or_na(p, y, g, model, cohort, grouping, df_rule)
        ci = recalibration_ci(p, y, conf_level, model=model, cohort=cohort)
    if tables is not None and "table" in hl:
        tables.append(hl["table"].assign(model=model, cohort=cohort))
    return {"cohort": cohort, "n": len(y), "events": int(y.sum()), **{k: vp[k] for k in COHORT_STATISTICS},
            "hl_statistic": hl["statistic"], "hl_df": hl["df"], "hl_groups": hl["groups"], "hl_p": hl["p_value"],
            **ci}


def cohort_calibration(data: pd.DataFrame, outcome: str, predictors: list[str], cohort_col: str | None = None,
                       train_cohort: str | None = None, g: int = 10, fit=None, name: str | None = None,
                       hl_grouping: str = "quantile", hl_external_df: str = "g-2",
                       conf_level: float = 0.95) -> pd.DataFrame:
    """val.prob statistics and the Hosmer-Lemeshow test (``hl_grouping``: quantile or spss; df = groups - 2, on
    every cohort but training groups with ``hl_external_df="g"``) for every cohort, from the training fit.

    One row per cohort (training first): n, events, intercept, slope, brier, emax, e90, eavg, c, dxy, r2, s_z,
    s_p, hl_statistic, hl_df, hl_groups, hl_p and the Wald CIs of :func:`recalibration_ci` (``CI_COLUMNS``).
    ``name`` is the model's name in messages and warnings (default ``"model 1"``, never the formula).
    """
    _check_grouping(hl_grouping)
    _check_df_rule(hl_external_df)
    predictors = list(predictors)
    name = name or UNNAMED
    parts = validation.split_cohorts(data, cohort_col, train_cohort, require_train=cohort_col is not None)
    train_name, train_rows = parts[0]
    fit = fit if fit is not None else fit_lrm(train_rows, outcome, predictors, cohort=train_name, name=name)
    rows = []
    for cohort, rows_c in parts:
        y = _outcome(rows_c[outcome], outcome, model=name, cohort=cohort)
        rows.append(_cohort_row(predict_prob(fit, rows_c, predictors, cohort=cohort, model=name), y, g, name, cohort,
                                hl_grouping, None, "g-2" if cohort == train_name else hl_external_df, conf_level))
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The whole analysis
# ---------------------------------------------------------------------------------------------

def model_specs(models) -> dict[str, list[str]]:
    """``models`` as {name: [predictor columns]}: a mapping name -> columns (a list or ``"a+b"``), or one
    column name, or a list of column names (each its own one-column model, named after the column) in which a
    list of columns is an unnamed model, called "model i" by its position (never by its formula)."""
    if isinstance(models, str):
        models = [models]
    if isinstance(models, Mapping):
        specs = {str(k): ([c.strip() for c in v.split("+") if c.strip()] if isinstance(v, str) else list(v))
                 for k, v in models.items()}
    else:
        specs = {}
        for i, c in enumerate(models, start=1):
            unnamed = isinstance(c, (list, tuple))
            specs[f"model {i}" if unnamed else str(c)] = list(c) if unnamed else [c]
    if not specs:
        raise InputError("no model given", "name at least one model, e.g. {'clinical': ['AFP', 'age']}")
    empty = [k for k, v in specs.items() if not v]
    if empty:
        raise InputError("no predictors given", "name at least one predictor column", model=empty[0])
    return specs


def _model_parts(parts, outcome, name, predictors, probabilities):
    """Each cohort's outcome and predictor frame for one model; with ``probabilities`` the model's one
    column (a predicted probability) enters on the logit scale (a logistic recalibration of it)."""
    if probabilities and len(predictors) != 1:
        raise InputError(f"a probability model has one column, not {len(predictors)}",
                         "give each predicted-probability column as its own model", model=name)
    out = []
    for cohort, rows in parts:
        frame = validation.predictor_frame(rows, predictors, model=name, cohort=cohort, categorical=not probabilities)
        if probabilities:
            col = predictors[0]
            # exactly 0 or 1 is refused (validation.refuse_certain), never clipped to a tiny number silently
            frame[col] = validation.logit(pd.Series(validation.probabilities(frame[col], name, cohort,
                                                                             open_interval=True, rows=rows.index)))
        frame.insert(0, outcome, _outcome(rows[outcome], outcome, model=name, cohort=cohort))
        out.append((cohort, frame))
    return out


def _check_levels(parts, predictors, name) -> None:
    """A text (categorical) predictor's levels in every cohort are levels of the training fit; R's own
    "factor has new levels" would name neither the cohort nor the fix."""
    train_name, train = parts[0]
    for col in predictors:
        if train[col].dtype != object:
            continue
        known = set(train[col])
        for cohort, frame in parts[1:]:
            new = sorted(set(frame[col].astype(str)) - known)
            if new:
                raise InputError(f"the categorical predictor {col!r} has level(s) {new[:5]} in cohort {cohort!r} "
                                 f"that the training cohort {train_name!r} lacks (levels: {sorted(known)[:8]})",
                                 "recode those patients' values to a training level, or leave the predictor out",
                                 model=name, cohort=cohort, column=col)


def _calibrate_one(parts, outcome, name, predictors, B, seed, g, method, probabilities, validate,
                   grouping="quantile", external_df="g-2", conf_level=0.95) -> dict:
    rows_of = {cohort: rows.index for cohort, rows in parts}  # to name patients by their table rows
    parts = _model_parts(parts, outcome, name, predictors, probabilities)
    train_name, train = parts[0]
    _check_levels(parts, predictors, name)
    fit = _fit(train, outcome, predictors, name, train_name)
    curve = calibration_curve(train, outcome, predictors, B=B, seed=seed, method=method, fit=fit, name=name,
                              cohort=train_name)
    checked = optimism_corrected(train, outcome, predictors, B=B, seed=seed, method=method, fit=fit, name=name,
                                 cohort=train_name) if validate else None
    rows, observed, hl_tables = [], {}, []
    for cohort, frame in parts:
        p = predict_prob(fit, frame, predictors, cohort=cohort, model=name)
        validation.refuse_certain(p, rows_of[cohort], model=name, cohort=cohort, made_by=name)
        y = frame[outcome].to_numpy()
        rows.append(_cohort_row(p, y, g, name, cohort, grouping, hl_tables,
                                "g-2" if cohort == train_name else external_df, conf_level))
        if cohort != train_name:
            with _naming(name, cohort):
                observed[cohort] = observed_curve(p, y, model=name, cohort=cohort)
    return {"curve": curve, "validation": checked, "statistics": pd.DataFrame(rows), "observed": observed,
            "hosmer_lemeshow": hl_tables}


@renamed(B="boot_n")
@validation.arguments(data="frame", outcome="column", models="models", cohort_col="column?", train_cohort="label?",
                      boot_n="count", seed="count?", g="count", cohorts="labels?", probabilities="flag", validate="flag",
                      skip_failed="flag", method="text", hl_grouping="text", hl_external_df="text",
                      conf_level="number", event="event?")
def calibrate(data: pd.DataFrame, outcome: str, models, cohort_col: str | None = None,
              train_cohort: str | None = None, boot_n: int = 1000, seed: int | None = DEFAULT_SEED, g: int = 10, *,
              cohorts=None, probabilities: bool = False, validate: bool = True, skip_failed: bool = False,
              method: str = "boot", hl_grouping: str = "quantile", hl_external_df: str = "g-2",
              conf_level: float = 0.95, event=None) -> Calibration:
    """Calibration of logistic models fitted on the training cohort, assessed in every cohort.

    Parameters
    ----------
    data : DataFrame
        One row per patient: the outcome, the predictors (or probabilities) and, optionally, the cohort.
    outcome : str
        The binary outcome column, coded 0/1 or with ``event`` naming the event.
    models : dict, str or list of str
        {name: [columns]} (or ``"a+b"``), or a list of columns, each its own model.
    cohort_col : str, optional
        The cohort column (default: all patients as one cohort, which is training).
    train_cohort : str, optional
        The cohort the models are fitted on (required with ``cohort_col``).
    boot_n : int
        Bootstrap resamples of ``rms::calibrate`` and ``rms::validate`` (their ``B``; formerly ``B`` here too).
    seed : int, optional
        ``set.seed(seed)`` right before each bootstrap.
    g : int
        Hosmer-Lemeshow risk groups (at least 3).
    cohorts : list, optional
        The cohorts, in this order (and only these), training first.
    probabilities : bool
        Each model is one predicted-probability column entered on the logit scale (a logistic recalibration of
        that probability, as the study does).
    validate : bool
        Also run ``rms::validate`` (optimism-corrected indexes).
    skip_failed : bool
        Leave out, with a warning naming it, a model that cannot be calibrated (otherwise the error stops the
        analysis).
    method : str
        The resampling of ``rms::calibrate`` / ``rms::validate`` (``"boot"``).
    hl_grouping : str
        ``"quantile"`` (groups at the type-7 quantiles, ResourceSelection::hoslem.test's rule) or ``"spss"``
        (SPSS's deciles of risk, tied probabilities never split; the contingency tables are then kept in
        ``.hl_table`` and written as ``hosmer_lemeshow.csv``).
    hl_external_df : str
        The Hosmer-Lemeshow df on every cohort but training: ``"g-2"`` (groups - 2, as on training) or ``"g"``
        (groups: Hosmer, Lemeshow & Sturdivant's recommendation for external validation, sec. 6.4).
    conf_level : float
        The level of the Wald CIs of the recalibration intercept and slope and of the calibration-in-the-large.
    event : optional
        The outcome's value that is the event, required when the outcome is not coded 0/1.

    Returns
    -------
    Calibration
        ``statistics`` (per model and cohort: intercept, slope with CIs, Brier, C, Emax, Hosmer-Lemeshow C, df
        and P ...), ``curves`` (per model: apparent and bias-corrected curves), ``observed`` (the other cohorts'
        lowess curves); ``write(out)`` the tables and the calibration figures.

    Notes
    -----
    Per model: one ``rms::lrm(x = TRUE, y = TRUE)`` fit on ``train_cohort``; the apparent and bias-corrected
    curve ``rms::calibrate(fit, method = "boot", B)`` and (``validate``) ``rms::validate(fit, B)``, each right
    after ``set.seed(seed)``; per cohort, ``rms::val.prob`` on the training fit's probabilities (intercept a
    and slope b of logit P(y = 1) = a + b logit(p), Brier = mean((p - y)^2), C, Emax ...) and the
    Hosmer-Lemeshow test C = sum (O - E)^2 / E over ``g`` risk groups, df = groups - 2 (NA, with a warning,
    when the risks cannot form 3 groups); the lowess curve of every other cohort (``observed``).
    ``hl_grouping``: ``quantile`` (groups at the type-7 quantiles, ResourceSelection::hoslem.test's rule) or
    ``spss`` (SPSS's deciles of risk, tied probabilities never split; the contingency table of every model and
    cohort is then kept in ``.hl_table`` and written as ``hosmer_lemeshow.csv``). ``hl_external_df``: the
    Hosmer-Lemeshow df on every cohort but training, ``"g-2"`` (the default, groups - 2 as on training) or
    ``"g"`` (groups: Hosmer, Lemeshow & Sturdivant's recommendation for external validation, sec. 6.4); the
    rules are written as the last columns of calibration_numeric (``hl_df_rule``, ``hl_grouping_rule``) and,
    with a non-default option, in the calibration table's note. Per cohort, ``conf_level`` Wald CIs of the
    recalibration intercept and slope and of the calibration-in-the-large (:func:`recalibration_ci`).

    References
    ----------
    Harrell FE (2015) Regression Modeling Strategies, 2nd ed. Springer, New York, sec. 10.11.
    Hosmer DW, Lemeshow S, Sturdivant RX (2013) Applied Logistic Regression, 3rd ed. Wiley, Hoboken, sec. 5.2.2.

    Examples
    --------
    The example cohort's combined-model probabilities (fitted on the training cohort, so that its training
    slope is 1): calibration slope, C statistic, Brier score and the Hosmer-Lemeshow P in each cohort (a small
    ``boot_n`` keeps the example fast; use 1000):

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> cal = ep.calibrate(df, "EPR", ["PVP_DLRRN"], cohort_col="cohort", train_cohort="training",
    ...                    probabilities=True, boot_n=20, seed=1234)
    >>> cal.statistics[["cohort", "slope", "c", "brier", "hl_p"]].round(3).values.tolist()
    [['training', 1.0, 0.905, 0.115, 0.349], ['external', 1.24, 0.95, 0.093, 0.434]]
    """
    require_train_cohort("calibrate", cohort_col, train_cohort, "the models' fits")  # the API's one rule
    data = validation.with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
    specs = model_specs(models)
    _check_grouping(hl_grouping)
    _check_df_rule(hl_external_df)
    conf_level = validation.check_conf_level(conf_level)
    B = _check_B(boot_n)  # rms's name inside: B = boot_n
    if int(g) < 3:
        raise InputError(f"g = {g} groups leave no degrees of freedom (df = g - 2)", "use g >= 3 (usually 10)")
    validation.check_columns(data, [outcome], "outcome")
    parts = validation.split_cohorts(data, cohort_col, train_cohort, cohorts, require_train=cohort_col is not None)
    train_name, train_rows = parts[0]
    if len(train_rows) <= 10:  # rms::calibrate's own limit (n > 10 for its grid of predicted probabilities)
        raise InputError(f"the training cohort has {len(train_rows)} patients: a bootstrap calibration curve needs "
                         "more than 10", "fit the calibration on a larger training cohort", cohort=train_name)
    small_name, small_rows = min(parts, key=lambda part: len(part[1]))
    _check_groups(g, len(small_rows), None, small_name)  # before any R work: the option must fit every cohort
    done, skipped = {}, {}
    for name, predictors in specs.items():
        try:
            try:
                done[name] = _calibrate_one(parts, outcome, name, predictors, B, seed, int(g), method, probabilities,
                                            validate, hl_grouping, hl_external_df, conf_level)
            except RError as exc:  # R's message kept; say which model and what to check
                raise RError(exc.r_function, exc.r_message, R_FIX, model=name, cohort=train_name) from None
        except EprstatsError as exc:
            if not skip_failed:
                raise
            skipped[name] = exc.message  # one model's degenerate probabilities must not lose the others
            warnings.warn(f"calibration of model {name!r} skipped: {exc.message}", stacklevel=2)
    if not done:
        raise InputError("no model could be calibrated", "see the warnings of the calibration stage")
    result = Calibration.from_parts(done, specs, settings={
        "outcome": outcome, "models": {m: specs[m] for m in specs}, "cohort_col": cohort_col,
        "train_cohort": train_name, "cohorts": [c for c, _ in parts], "B": B, "seed": seed, "hl_groups": int(g),
        "probabilities": bool(probabilities), "skipped": skipped, "fit": "rms::lrm(x=TRUE, y=TRUE)",
        "curve": f"rms::calibrate(method='{method}')",
        "validation": f"rms::validate(method='{method}')" if validate else None,
        "by_cohort": "rms::val.prob(pl=FALSE); Hosmer-Lemeshow (own R code, "
                     + ("SPSS's deciles of risk" if hl_grouping == "spss" else "quantile type 7")
                     + "); observed curves lowess(p, y, iter=0)", "hl_grouping": hl_grouping,
        "hl_external_df": hl_external_df, "conf_level": conf_level,
        "recalibration_ci": "Wald, stats::confint.default of glm(y ~ logit(p)) and glm(y ~ 1, offset = logit(p))"})
    if hl_grouping != "spss":  # the default writes the files it always wrote
        return result
    tables = [t for part in done.values() for t in part["hosmer_lemeshow"]]
    return replace(result, hl_table=pd.concat(tables, ignore_index=True)[["model", "cohort", *HL_TABLE]]
                   if tables else None)
