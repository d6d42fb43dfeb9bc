"""The study's models as numbers: signatures on the rad-score scale, a logistic model's predicted
probabilities, every model's coefficients (Supplementary Table S2) and its events per variable.

The study's ``signatures`` stage builds each model (:func:`~eprstats.selection.signature.build_signature`
for a signature, :func:`~eprstats.evaluation.logistic.fit_logistic` for a clinical or combined model) and
calls these functions for the rest, so that the stage holds no arithmetic of its own:

* a signature enters a combined model as its rad-score, logit(p) (:func:`rad_scores`);
* a logistic model's predicted probability is expit(b0 + sum_j b_j x_j) (:func:`predicted_probability`);
* a model's coefficient table and its variables, whichever kind it is (:func:`model_coefficients`);
* events per variable, the smaller outcome class over the variables (:func:`events_per_variable`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..selection.signature import Signature
from ..validation import expit, logit
from .logistic import LogisticModel


def rad_scores(data: pd.DataFrame, signatures) -> pd.DataFrame:
    """``data`` with each signature's predicted-probability column on the logit (rad-score) scale.

    Parameters
    ----------
    data : DataFrame
        One row per patient, a predicted-probability column per signature.
    signatures : list of str
        The signature columns to transform; the other columns are left as they are.

    Returns
    -------
    DataFrame
        A copy of ``data`` in which each column of ``signatures`` is logit(p) = log(p / (1 - p)), p clipped
        to [1e-12, 1 - 1e-12] first (:func:`eprstats.validation.logit`).

    Notes
    -----
    The paper's combined models take each signature as its rad-score, the linear predictor of the
    signature's logistic model, which is the logit of its predicted probability. Only Python arithmetic
    (numpy); no R function is involved.

    References
    ----------
    Collins GS et al. (2015) Transparent reporting of a multivariable prediction model for individual
    prognosis or diagnosis (TRIPOD). BMJ 350:g7594.

    Examples
    --------
    >>> import pandas as pd
    >>> rad_scores(pd.DataFrame({"sig": [0.5, 0.8], "age": [60, 70]}), ["sig"]).round(4)
          sig  age
    0  0.0000   60
    1  1.3863   70
    """
    out = data.copy()
    for column in signatures:
        out[column] = logit(out[column])
    return out


def predicted_probability(fit: LogisticModel, data: pd.DataFrame) -> np.ndarray:
    """Every patient's predicted probability under a fitted logistic model, from its coefficient table.

    Parameters
    ----------
    fit : LogisticModel
        A model of :func:`~eprstats.evaluation.logistic.fit_logistic` (its ``coefficients``: term, beta,
        the intercept first).
    data : DataFrame
        One row per patient with the model's predictor columns.

    Returns
    -------
    ndarray
        expit(b0 + sum_j b_j x_j) for each row, in ``data``'s order (NaN where a predictor is missing).

    Notes
    -----
    p = 1 / (1 + exp(-(b0 + sum_j b_j x_j))), summed term by term in the coefficient table's order (so that
    the same fit gives the same bytes). A categorical predictor has no column of its own term (rms names it
    ``variable=level``): such a model is scored by ``rms``' own ``predict.lrm`` through
    :meth:`~eprstats.evaluation.logistic.LogisticModel.predict` instead.

    References
    ----------
    Harrell FE (2015) Regression Modeling Strategies, 2nd ed. Springer, ch. 10.

    Examples
    --------
    >>> fit = fit_logistic(train, "outcome", ["age", "PVP"], name="combined")       # doctest: +SKIP
    >>> predicted_probability(fit, data)[:3]                                        # doctest: +SKIP
    """
    coefs = fit.coefficients.set_index("term")["beta"]
    terms = list(coefs.index[1:])
    if not all(t in data.columns for t in terms):  # a categorical predictor's levels: rms scores them
        return fit.predict(data, type="prob").to_numpy(dtype=float)
    lp = np.full(len(data), float(coefs.iloc[0]))
    for term, beta in coefs.iloc[1:].items():
        lp += float(beta) * data[term].to_numpy(dtype=float)
    return expit(lp)


def model_coefficients(model) -> tuple[pd.DataFrame, list[str]]:
    """A model's coefficient table (Supplementary Table S2) and its variables, whichever kind of model.

    Parameters
    ----------
    model : Signature or LogisticModel
        A signature of :func:`~eprstats.selection.signature.build_signature` or a logistic model of
        :func:`~eprstats.evaluation.logistic.fit_logistic`.

    Returns
    -------
    (DataFrame, list of str)
        The table with columns ``feature`` and ``beta``, the intercept first; and the model's variables
        (a signature's selected features, a logistic model's predictors: a categorical predictor counts once
        however many levels it has).

    Notes
    -----
    A signature's coefficients are those of its ``stats::glm`` on the standardized features; a logistic
    model's are ``rms::lrm``'s.

    References
    ----------
    Collins GS et al. (2015) TRIPOD. BMJ 350:g7594 (item 15a: the full model with its intercept).

    Examples
    --------
    >>> table, variables = model_coefficients(signature)                            # doctest: +SKIP
    """
    if isinstance(model, Signature):
        return model.coefficients.rename(columns={"coefficient": "beta"}), list(model.features)
    if isinstance(model, LogisticModel):
        table = model.coefficients[["term", "beta"]].rename(columns={"term": "feature"})
        return table, list(model.predictors)
    raise TypeError(f"a Signature or a LogisticModel, not {type(model).__name__}")


def events_per_variable(outcome, n_variables: int) -> tuple[int, float | None]:
    """The events of the smaller outcome class, and those events per variable of a model.

    Parameters
    ----------
    outcome : array-like of 0/1
        The training cohort's outcome.
    n_variables : int
        The model's variables (:func:`model_coefficients`).

    Returns
    -------
    (int, float or None)
        The smaller class's count min(events, non-events), and that count / ``n_variables`` rounded to two
        decimals (None for a model without variables).

    Notes
    -----
    EPV = min(events, non-events) / variables; fewer than 10 makes the coefficients unstable (Peduzzi et
    al. 1996). Python arithmetic only.

    References
    ----------
    Peduzzi P et al. (1996) A simulation study of the number of events per variable in logistic regression
    analysis. J Clin Epidemiol 49:1373-1379.

    Examples
    --------
    >>> events_per_variable([1, 0, 0, 1, 0, 0, 0], 2)
    (2, 1.0)
    """
    y = np.asarray(outcome, dtype=int)
    events = int(min(y.sum(), len(y) - y.sum()))
    return events, (round(events / n_variables, 2) if n_variables else None)
