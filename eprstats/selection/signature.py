"""A signature (rad-score) built on the training cohort: preprocess -> mRMR -> LASSO -> logistic regression.

The paper: "a four-step procedure was used for feature reduction [ICC, preprocessing, mRMR, LASSO with
10-fold cross-validation]. Finally, a multivariate logistic regression analysis was performed to build the
signature. The radiomic signature was generated using a linear combination of selected features weighted by
their respective regression coefficients."

So the rad-score is the **linear predictor** of ``stats::glm(y ~ selected, family = binomial)`` fitted on the
training cohort's preprocessed features:  ``score = b0 + sum_j b_j z_j``. :meth:`Signature.score` applies the
training preprocessing and the coefficients unchanged to any cohort.

Deep (slice-level) signatures, ``patient_col`` given: the rows are tumour slices. Preprocessing, mRMR, LASSO
and the glm are fitted on the slice rows (LASSO folds hold whole patients, so no patient is in both the
fitting and the held-out part of a fold), and the patient's score is the mean of the predicted probabilities
over his slices, the paper's rule ("the average value of the prediction probability of multiple tumor images
was calculated as the DL signature"), reported on the logit scale, ``logit(mean_s p_s)``, so that it is on
the same scale as a handcrafted rad-score (``score(df, scale="probability")`` gives the mean itself).

Example::

    >>> sig = build_signature(train, features, "EPR", seed=2024, name="PVP")   # doctest: +SKIP
    >>> sig.coefficients          # Supplementary Table S2 layout           # doctest: +SKIP
    >>> valid["PVP"] = sig.score(valid)                                       # doctest: +SKIP
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import rbridge
from ..errors import InputError
from .lasso import LAMBDA_RULES, LassoResult, check_binary, lasso_select, reissue
from .mrmr import DEFAULT_K, mrmr
from .preprocess import Preprocessor, fit_preprocessor


class EventsPerVariableWarning(UserWarning):
    """More selected features than the events allow (fewer than 10 events per variable)."""


class SeparationWarning(UserWarning):
    """The signature's logistic regression did not converge (perfect or quasi-complete separation)."""


@dataclass(frozen=True)
class Signature:
    name: str
    outcome: str
    features: list                    # selected features, in the glm's order
    coefficients: pd.DataFrame        # feature, coefficient ("(Intercept)" first): Supplementary Table S2
    glm_table: pd.DataFrame           # term, estimate, se, z, p from stats::glm
    preprocessor: Preprocessor
    ranking: pd.DataFrame             # mRMR ranking (the LASSO candidates)
    lasso: LassoResult
    patient_col: str | None = None
    provenance: dict = field(default_factory=dict)

    @property
    def intercept(self) -> float:
        return float(self.coefficients["coefficient"].iloc[0])

    def linear_predictor(self, df: pd.DataFrame, *, cohort: str | None = None) -> pd.Series:
        """Row-wise ``b0 + sum_j b_j z_j`` with the training preprocessing."""
        z = self.preprocessor.transform(df, cohort=cohort)[self.features]
        beta = self.coefficients["coefficient"].to_numpy(dtype=float)
        return pd.Series(beta[0] + z.to_numpy(dtype=float) @ beta[1:], index=df.index, name=self.name)

    def score(self, df: pd.DataFrame, *, cohort: str | None = None, scale: str = "logit") -> pd.Series:
        """The signature for every row (or, for a slice-level signature, every patient, indexed by id).

        ``scale``: "logit" (the rad-score, default) or "probability" (its inverse logit; for a slice-level
        signature, the mean of the slices' probabilities)."""
        if scale not in ("logit", "probability"):
            raise InputError(f"unknown scale {scale!r}", "use 'logit' or 'probability'", model=self.name)
        lp = self.linear_predictor(df, cohort=cohort)
        if self.patient_col is None:
            return lp if scale == "logit" else 1.0 / (1.0 + np.exp(-lp))
        if self.patient_col not in df.columns:
            raise InputError(f"the slice table has no patient column {self.patient_col!r}",
                             "give the per-slice table with its patient column", model=self.name, cohort=cohort,
                             column=self.patient_col)
        prob = 1.0 / (1.0 + np.exp(-lp.to_numpy()))
        ids = df[self.patient_col].astype(str).to_numpy()
        mean = pd.Series(prob).groupby(pd.Series(ids), sort=False).mean()
        mean.index.name = self.patient_col
        mean.name = self.name
        if scale == "probability":
            return mean
        return np.log(mean / (1.0 - mean)).rename(self.name)


def _check_outcome_per_patient(train, outcome, patient_col, name):
    if patient_col not in train.columns:
        raise InputError(f"patient column {patient_col!r} not found", "give the slice table's patient column",
                         model=name, column=patient_col)
    per = train.groupby(train[patient_col].astype(str))[outcome].nunique(dropna=False)
    bad = per[per > 1]
    if len(bad):
        raise InputError(f"the outcome differs between slices of {len(bad)} patient(s): "
                         f"{', '.join(bad.index[:5])}", "one outcome per patient: fix the slice table",
                         model=name, patient=str(bad.index[0]), column=outcome)


def _glm(train_z: pd.DataFrame, y: np.ndarray, outcome: str, features: list, name: str) -> pd.DataFrame:
    data = train_z[features].reset_index(drop=True).copy()
    data.insert(0, outcome, y.astype(float))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tab = rbridge.call("selection_glm", data, outcome, list(features))
    reissue(caught, name)
    if isinstance(tab, dict) and "aliased" in tab:
        aliased = tab["aliased"]
        aliased = [str(a).strip("`") for a in ([aliased] if isinstance(aliased, str) else aliased)]
        raise InputError(f"the logistic regression cannot estimate {', '.join(aliased)}: collinear with the other "
                         "selected features", "use lambda.1se or a smaller k, or remove duplicated features",
                         model=name)
    return tab


def build_signature(train: pd.DataFrame, features, outcome: str, seed: int, *, name: str,
                    k_mrmr: int = DEFAULT_K, lambda_rule: str = "lambda.min", patient_col: str | None = None,
                    outlier_rule: str = "3sd", missing: str = "error", criterion: str = "MID",
                    bins: int | None = None, nfolds: int = 10, stratified: bool = True,
                    cohort: str | None = None) -> Signature:
    """Fit a signature on the training cohort (see the module docstring).

    Raises InputError for a single-class or non-0/1 outcome, bad features, and an empty LASSO selection;
    warns (EventsPerVariableWarning) when the selected features exceed events / 10.
    """
    if lambda_rule not in LAMBDA_RULES:
        raise InputError(f"unknown lambda rule {lambda_rule!r}", "use 'lambda.min' or 'lambda.1se'", model=name)
    if outcome not in train.columns:
        raise InputError(f"outcome column {outcome!r} not found", "give the outcome column's name", model=name,
                         cohort=cohort, column=outcome)
    features = [str(f) for f in features]
    if outcome in features or (patient_col and patient_col in features):
        raise InputError("the outcome or patient column is listed among the features",
                         "remove it from the feature list", model=name, cohort=cohort)
    y = check_binary(train[outcome], model=name, cohort=cohort, column=outcome)
    groups = None
    if patient_col is not None:
        _check_outcome_per_patient(train, outcome, patient_col, name)
        groups = train[patient_col].astype(str).to_numpy()
    try:
        pre = fit_preprocessor(train, features, outlier_rule, missing=missing, cohort=cohort)
    except InputError as exc:
        raise InputError(exc.problem, exc.fix, column=exc.column, model=name, cohort=cohort) from None
    z = pre.transform(train, cohort=cohort)
    ranking = mrmr(z, y, k=k_mrmr, criterion=criterion, bins=bins)
    candidates = ranking["feature"].tolist()
    lasso = lasso_select(z[candidates], y, seed, nfolds=nfolds, lambda_rule=lambda_rule, stratified=stratified,
                         groups=groups, model=name)
    selected = lasso.selected
    if not selected:
        other = [r for r in LAMBDA_RULES if r != lambda_rule][0]
        n_other = len(lasso.selected_at(other))
        hint = (f"use {other} ({n_other} feature(s) there)" if n_other else
                f"no feature survives at either lambda: give a larger k (now {len(candidates)}) or more "
                "training patients, or check that the features relate to the outcome")
        raise InputError(f"LASSO ({lambda_rule} = {lasso.lambda_chosen:.4g}) kept no feature for signature "
                         f"{name!r}", hint, model=name, cohort=cohort)
    units = (pd.Series(y).groupby(groups).first().to_numpy() if groups is not None else y)
    events = int(min(units.sum(), len(units) - units.sum()))
    epv = events / len(selected)
    if epv < 10:
        warnings.warn(f"signature {name!r}: {len(selected)} selected features for {events} events "
                      f"({'of the rarer class, ' if units.sum() > len(units) / 2 else ''}{epv:.1f} events per "
                      "variable, below 10): the logistic coefficients may be unstable; consider lambda.1se or a "
                      "smaller k", EventsPerVariableWarning, stacklevel=2)
    glm = _glm(z, y, outcome, selected, name)
    if not bool(np.all(glm["converged"])):
        warnings.warn(f"signature {name!r}: stats::glm did not converge (perfect or quasi-complete separation?); "
                      "its coefficients are not reliable: use lambda.1se or a smaller k", SeparationWarning,
                      stacklevel=2)
    glm = glm.drop(columns="converged")
    coefficients = pd.DataFrame({"feature": glm["term"].to_numpy(), "coefficient": glm["estimate"].to_numpy()})
    provenance = {
        "name": name, "outcome": outcome, "seed": int(seed), "n_train": int(len(train)),
        "n_patients": int(len(units)), "events": int(units.sum()), "k_mrmr": int(k_mrmr),
        "mrmr": {"criterion": ranking.attrs["criterion"], "bins": ranking.attrs["bins"], "mi": "plug-in, nats",
                 "discretisation": "equal-frequency by minimum rank"},
        "preprocessing": {"outlier_rule": pre.outlier_rule, "replacement": "training median",
                          "zscore": "training mean and SD after outlier replacement", "missing": pre.missing},
        "lasso": dict(lasso.settings, lambda_min=lasso.lambda_min, lambda_1se=lasso.lambda_1se,
                      lambda_chosen=lasso.lambda_chosen),
        "lambda_rule": lambda_rule, "lambda_min": lasso.lambda_min, "lambda_1se": lasso.lambda_1se,
        "selected": list(selected), "candidates": candidates,
        "dropped": pre.dropped.to_dict(orient="records"),
        "model": "stats::glm(family=binomial) on the selected features; score = linear predictor",
        "patient_col": patient_col,
        "patient_score": None if patient_col is None else "logit(mean over slices of predicted probability)",
    }
    return Signature(name=name, outcome=outcome, features=list(selected), coefficients=coefficients,
                     glm_table=glm, preprocessor=pre, ranking=ranking, lasso=lasso, patient_col=patient_col,
                     provenance=provenance)
