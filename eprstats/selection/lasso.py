"""LASSO feature selection by ``glmnet::cv.glmnet`` (R).

``cv.glmnet(x, y, family = "binomial", alpha = 1, foldid = foldid, type.measure = "deviance")`` with
glmnet's defaults otherwise (its own lambda sequence of 100 values, ``standardize = TRUE``). The fold ids
are drawn in R right after ``set.seed(seed)`` (Mersenne-Twister, Rejection sampling) and are
**stratified** by outcome by default: every fold gets events and non-events in the cohort's proportions
(to within one), which matters with few events (see ``selection_foldid`` in ``r/selection.R``). With
``groups`` (patients whose slices are the rows), whole patients are assigned to folds.

Both ``lambda.min`` (the lambda with the smallest CV binomial deviance) and ``lambda.1se`` (the largest
lambda within one SE of it) are reported; ``lambda_rule`` picks the one whose non-zero coefficients are
the selected features. Reference: Friedman, Hastie & Tibshirani (2010) J Stat Softw 33(1).

Example::

    >>> res = lasso_select(z_train[candidates], y, seed=2024)   # doctest: +SKIP
    >>> res.selected, res.lambda_min, res.lambda_1se            # doctest: +SKIP
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import rbridge
from ..errors import InputError, RError

LAMBDA_RULES = ("lambda.min", "lambda.1se")


@dataclass(frozen=True)
class LassoResult:
    lambda_min: float
    lambda_1se: float
    lambda_rule: str
    selected: list                  # features with a non-zero coefficient at the chosen lambda, input order
    coefficients: pd.DataFrame      # term, coef_lambda_min, coef_lambda_1se (intercept first)
    path: pd.DataFrame              # step, lambda, log_lambda, feature, coefficient
    cv_curve: pd.DataFrame          # lambda, log_lambda, cvm (deviance), cvsd, cvup, cvlo, nzero
    foldid: np.ndarray
    seed: int
    nfolds: int
    stratified: bool
    settings: dict = field(default_factory=dict)

    @property
    def lambda_chosen(self) -> float:
        return self.lambda_min if self.lambda_rule == "lambda.min" else self.lambda_1se

    def selected_at(self, rule: str) -> list:
        col = "coef_lambda_min" if rule == "lambda.min" else "coef_lambda_1se"
        rows = self.coefficients[self.coefficients["term"] != "(Intercept)"]
        return rows.loc[rows[col] != 0, "term"].tolist()


def reissue(caught, model: str | None) -> None:
    """Re-issue caught warnings once each (glmnet repeats its warning for every fold), naming the model."""
    seen = set()
    for w in caught:
        text = " ".join(str(w.message).split())
        if text in seen:
            continue
        seen.add(text)
        warnings.warn(f"{text} [model {model!r}]" if model else text, w.category, stacklevel=3)


def check_binary(y, *, model: str | None = None, cohort: str | None = None, column: str | None = None) -> np.ndarray:
    """The outcome as 0/1 integers; clear errors for missing values, other codes or a single class."""
    s = pd.Series(np.asarray(y))
    if s.isna().any():
        raise InputError(f"the outcome has {int(s.isna().sum())} missing value(s)",
                         "remove the patients without an outcome", model=model, cohort=cohort, column=column)
    try:
        v = s.astype(float)
    except (TypeError, ValueError):
        raise InputError("the outcome is not numeric", "code it 0 (no event) / 1 (event)", model=model,
                         cohort=cohort, column=column) from None
    values = set(v.unique())
    if not values <= {0.0, 1.0}:
        raise InputError(f"the outcome has values {sorted(values)[:6]}, not only 0/1",
                         "code it 0 (no event) / 1 (event)", model=model, cohort=cohort, column=column)
    if len(values) < 2:
        only = int(next(iter(values)))
        raise InputError(f"the outcome has a single class (all {only}) in this cohort",
                         "selection needs both events and non-events in the training cohort", model=model,
                         cohort=cohort, column=column)
    return v.astype(int).to_numpy()


def lasso_select(X: pd.DataFrame, y, seed: int, nfolds: int = 10, lambda_rule: str = "lambda.min", *,
                 stratified: bool = True, groups=None, model: str | None = None) -> LassoResult:
    """Cross-validated LASSO logistic regression; see the module docstring for the settings."""
    if lambda_rule not in LAMBDA_RULES:
        raise InputError(f"unknown lambda rule {lambda_rule!r}", "use 'lambda.min' or 'lambda.1se'", model=model)
    if seed is None:
        raise InputError("LASSO needs a seed for its fold ids", "give --seed N (and record it)", model=model)
    y = check_binary(y, model=model)
    if X.shape[1] < 2:
        raise InputError(f"LASSO needs at least 2 candidate features, got {X.shape[1]}",
                         "increase k (mRMR) or give more features", model=model)
    values = X.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise InputError("LASSO got NaN or infinite feature values", "preprocess the features first", model=model)
    nfolds = int(nfolds)
    n_units = len(np.unique(np.asarray(groups).astype(str))) if groups is not None else len(y)
    if nfolds < 3 or nfolds > n_units:
        raise InputError(f"{nfolds} folds for {n_units} {'patients' if groups is not None else 'rows'}",
                         "use between 3 and the number of patients (cv.glmnet needs nfolds >= 3)", model=model)
    rarer = int(min(y.sum(), len(y) - y.sum()))
    if rarer < 3:
        # glmnet refuses a binomial fit with fewer than 2 of a class, and each cross-validation fit leaves
        # a fold out: 3 of each class is the least that keeps 2 in every fit (stratified folds)
        raise InputError(f"the training data have only {rarer} {'event' if y.sum() == rarer else 'non-event'}"
                         f"{'s' if rarer != 1 else ''}: LASSO cross-validation needs at least 3 events and 3 "
                         "non-events", "select on a training cohort with more events", model=model)
    rbridge.require_packages("glmnet")
    names = [str(c) for c in X.columns]
    frame = pd.DataFrame(values, columns=names)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = rbridge.call("selection_cv_glmnet", frame, y.astype(float), nfolds=nfolds,
                               stratified=bool(stratified),
                               groups=None if groups is None else [str(g) for g in np.asarray(groups)],
                               seed=int(seed))
        except RError as exc:
            if "1 or 0 observations" not in exc.r_message:
                raise
            # unstratified (or patient-grouped) folds can still leave a fit with one event
            raise InputError(f"a cross-validation fold left fewer than 2 of an outcome class for glmnet "
                             f"({exc.r_message})", "use fewer folds (--nfolds), stratified folds, or a training "
                             "cohort with more events", model=model) from None
    reissue(caught, model)
    coef_min, coef_1se = out["coef_min"], out["coef_1se"]
    terms = ["(Intercept)"] + names
    coefficients = pd.DataFrame({"term": terms,
                                 "coef_lambda_min": [float(coef_min[t]) for t in terms],
                                 "coef_lambda_1se": [float(coef_1se[t]) for t in terms]})
    path = out["path"]
    path.insert(2, "log_lambda", np.log(path["lambda"].to_numpy(dtype=float)))
    curve = out["curve"]
    curve.insert(1, "log_lambda", np.log(curve["lambda"].to_numpy(dtype=float)))
    curve["nzero"] = curve["nzero"].astype(int)
    settings = {"call": "glmnet::cv.glmnet(family='binomial', alpha=1, type.measure='deviance', "
                        "standardize=TRUE, foldid=<drawn in R from the seed>)",
                "nfolds": nfolds, "stratified_folds": bool(stratified), "seed": int(seed),
                "folds_by": "patient" if groups is not None else "row", "lambda_rule": lambda_rule}
    res = LassoResult(lambda_min=float(out["lambda_min"]), lambda_1se=float(out["lambda_1se"]),
                      lambda_rule=lambda_rule, selected=[], coefficients=coefficients, path=path,
                      cv_curve=curve, foldid=np.asarray(out["foldid"], dtype=int), seed=int(seed), nfolds=nfolds,
                      stratified=bool(stratified), settings=settings)
    object.__setattr__(res, "selected", res.selected_at(lambda_rule))
    return res
