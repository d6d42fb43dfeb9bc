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
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .. import rbridge
from ..arguments import renamed
from ..errors import InputError, RError
from ..results import Result, Table, tidy_frame
from ..validation import arguments, with_event, expit, id_labels, logit, split_cohorts
from . import plots
from .lasso import LAMBDA_RULES, LassoResult, check_binary, lasso_select, reissue
from .mrmr import DEFAULT_K, mrmr
from .preprocess import Preprocessor, fit_preprocessor


class EventsPerVariableWarning(UserWarning):
    """More selected features than the events allow (fewer than 10 events per variable)."""


class SeparationWarning(UserWarning):
    """The signature's logistic regression did not converge (perfect or quasi-complete separation)."""


@dataclass(frozen=True, repr=False)  # Result's short repr, not every frame
class Signature(Result):
    """A fitted signature: the training preprocessing, the mRMR ranking, the LASSO and the glm.

    ``tables()``: ``signature_coefficients`` (Supplementary Table S2, publication), then, as CSV,
    ``glm_table``, ``lasso_coefficients``, ``lasso_path``, ``lasso_cv``, ``mrmr_ranking``, ``preprocessing``,
    ``dropped_features``, ``lasso_foldid`` and, when scored (:meth:`scored`), ``scores``. ``figures()``: the
    LASSO path and cross-validation curve (Supplementary Figure S1)."""

    analysis = "signature"

    name: str
    outcome: str
    features: list                    # selected features, in the glm's order
    coefficients: pd.DataFrame        # feature, coefficient ("(Intercept)" first): Supplementary Table S2
    glm_table: pd.DataFrame           # term, estimate, se, z, p
    preprocessor: Preprocessor
    ranking: pd.DataFrame             # mRMR ranking (the LASSO candidates)
    lasso: LassoResult
    patient_col: str | None = None
    settings: dict = field(default_factory=dict)
    folds: pd.DataFrame | None = None   # the LASSO fold of every training row (or patient): id, fold
    scores: pd.DataFrame | None = None  # id, cohort, outcome, rad-score of every patient (see scored())

    @property
    def provenance(self) -> dict:
        """The settings, as recorded in provenance (seed, k, lambdas, preprocessing ...)."""
        return self.settings

    def table_s2(self) -> pd.DataFrame:
        """Supplementary Table S2: the glm coefficients (intercept first)."""
        return self.coefficients

    # ---- Result
    def table_files(self) -> list[Table]:
        rule = self.lasso.lambda_rule
        out = [Table("signature_coefficients", self.coefficients, title=f"Table S2: {self.name}",
                     note=f"{self._method()} Logistic regression (stats::glm) on the {len(self.features)} features "
                          f"kept by LASSO ({rule}); rad-score = linear predictor.{self._patient_score()} "
                          f"{rbridge.software_note('glmnet')}"),
               *[Table(n, f, publication=False) for n, f in (
                   ("glm_table", self.glm_table), ("lasso_coefficients", self.lasso.coefficients),
                   ("lasso_path", self.lasso.path), ("lasso_cv", self.lasso.cv_curve),
                   ("mrmr_ranking", self.ranking), ("preprocessing", self.preprocessor.summary()),
                   ("dropped_features", self.preprocessor.dropped))]]
        if self.folds is not None:
            out.append(Table("lasso_foldid", self.folds, publication=False))
        if self.scores is not None:
            out.append(Table("scores", self.scores, publication=False))
        return out

    def _method(self) -> str:
        """The selection on the training cohort, in words a methods section quotes."""
        s, lasso = self.settings, self.lasso
        mrmr, pre = s.get("mrmr") or {}, s.get("preprocessing") or {}
        folds = ("stratified " if lasso.stratified else "") + ("folds of whole patients" if self.patient_col
                                                              else "folds")
        return (f"On the training cohort: outliers (rule {pre.get('outlier_rule')}) replaced by the training median, "
                f"z-scores with the training mean and SD; mRMR ranking ({mrmr.get('criterion')}, {mrmr.get('bins')} "
                f"equal-frequency bins, the top {s.get('k_mrmr')}; eprstats' own code); LASSO logistic regression "
                f"(glmnet::cv.glmnet, alpha = 1, type.measure = 'deviance') with {lasso.nfolds}-fold cross-validation "
                f"on {folds} drawn from seed {lasso.seed} (lasso_foldid.csv).")

    def _patient_score(self) -> str:
        return (" A patient's score: the logit of the mean predicted probability over the patient's slices."
                if self.patient_col else "")

    def figures(self, folder, formats=("png", "pdf")) -> list:
        folder = Path(folder)
        return (plots.plot_lasso_path(self.lasso, folder / "lasso_path", title=f"{self.name}: LASSO coefficient "
                                      "path", formats=formats)
                + plots.plot_lasso_cv(self.lasso, folder / "lasso_cv",
                                      title=f"{self.name}: {self.lasso.nfolds}-fold cross-validation", formats=formats))

    def tidy(self) -> pd.DataFrame:
        """Every number: the glm's estimate, se, z and p per term (``table`` signature_coefficients, ``n`` and
        ``events`` the training patients and events); lambda.min and lambda.1se and the LASSO coefficients at
        both; the mRMR rank, relevance, redundancy and score; the preprocessing bounds, median, mean, SD and
        outliers replaced; the CV curve and coefficient path per lambda step (``row``); every score."""
        n, events = self.settings.get("n_patients"), self.settings.get("events")
        rows = [dict(table="signature_coefficients", row=t.term, statistic=stat, value=getattr(t, col), n=n,
                     events=events)
                for t in self.glm_table.itertuples(index=False)
                for stat, col in (("coefficient", "estimate"), ("se", "se"), ("z", "z"), ("p", "p"))]
        rows += [dict(table="lasso", row=rule, statistic="lambda", value=v)
                 for rule, v in (("lambda.min", self.lasso.lambda_min), ("lambda.1se", self.lasso.lambda_1se))]
        rows += [dict(table="lasso_coefficients", row=t.term, column=rule, statistic="coefficient", value=v)
                 for t in self.lasso.coefficients.itertuples(index=False)
                 for rule, v in (("lambda.min", t.coef_lambda_min), ("lambda.1se", t.coef_lambda_1se))]
        rows += _long(self.ranking, "mrmr_ranking", "feature", ("rank", "relevance", "redundancy", "score"))
        rows += _long(self.preprocessor.summary(), "preprocessing", "feature",
                      ("lower", "upper", "median", "mean", "sd", "outliers_train"))
        curve = self.lasso.cv_curve.assign(step=np.arange(1, len(self.lasso.cv_curve) + 1))
        rows += _long(curve, "lasso_cv", "step", ("lambda", "cvm", "cvsd", "cvup", "cvlo", "nzero"))
        rows += [dict(table="lasso_path", row=t.step, column=t.feature, statistic="coefficient", value=t.coefficient)
                 for t in self.lasso.path.itertuples(index=False)]
        if self.scores is not None:
            ids = self.scores.iloc[:, 0].astype(str)
            rows += [dict(table="scores", row=i, cohort=c, statistic="score", value=v)
                     for i, c, v in zip(ids, self.scores["cohort"], self.scores[self.name])]
        frame = tidy_frame(rows)
        frame["analysis"], frame["model"] = self.analysis, self.name
        return frame

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
            return lp if scale == "logit" else expit(lp)
        if self.patient_col not in df.columns:
            raise InputError(f"the slice table has no patient column {self.patient_col!r}",
                             "give the per-slice table with its patient column", model=self.name, cohort=cohort,
                             column=self.patient_col)
        prob = expit(lp.to_numpy())
        ids = df[self.patient_col].astype(str).to_numpy()
        mean = pd.Series(prob).groupby(pd.Series(ids), sort=False).mean()
        mean.index.name = self.patient_col
        mean.name = self.name
        if scale == "probability":
            return mean
        return logit(mean).rename(self.name)

    def scored(self, data: pd.DataFrame, *, cohort_col: str | None = None, train_cohort: str | None = None,
               id_col: str | None = None) -> "Signature":
        """This signature with :attr:`scores`: the rad-score (logit scale) of every patient of ``data``, per
        cohort, with the training preprocessing and coefficients unchanged.

        Columns: the id (``id_col``, or the patient column of a slice-level signature; else ``row``),
        ``cohort``, the outcome and the score named like the signature. Patients in the input's order
        (slice-level: cohorts and patients in order of first appearance)."""
        id_col = self.patient_col or id_col
        check_ids(data, id_col, slices=self.patient_col is not None, model=self.name)
        label = self.settings.get("cohort") or "all"
        # with a cohort column, the training cohort need not be among the cohorts scored
        parts = split_cohorts(data.reset_index(drop=True), cohort_col, train_cohort if cohort_col else
                              (train_cohort or label), id_col=id_col)
        if self.patient_col is not None:  # cohorts in order of appearance, as the slices come
            start = {name: int(rows.index[0]) for name, rows in parts}
            parts = sorted(parts, key=lambda part: start[part[0]])
        frames = []
        for cohort, rows in parts:
            try:
                score = self.score(rows, cohort=cohort)
            except InputError as exc:
                raise InputError(exc.problem, exc.fix, column=exc.column, model=self.name, cohort=cohort) from None
            if self.patient_col is not None:
                first = rows.groupby(rows[id_col].astype(str), sort=False)[self.outcome].first()
                ids, outcome = score.index, first.loc[score.index].to_numpy()
            else:
                ids = rows[id_col].to_numpy() if id_col else rows.index.to_numpy() + 1
                outcome = rows[self.outcome].to_numpy()
            frames.append(pd.DataFrame({id_col or "row": ids, "cohort": cohort, self.outcome: outcome,
                                        self.name: score.to_numpy()}, index=None if self.patient_col else rows.index))
        scores = pd.concat(frames)
        scores = (scores if self.patient_col else scores.sort_index()).reset_index(drop=True)
        return replace(self, scores=scores)


def _long(frame: pd.DataFrame, table: str, key: str, stats) -> list[dict]:
    """Tidy rows of ``frame``'s ``stats`` columns, one per record and statistic, ``row`` = the ``key`` column."""
    return [dict(table=table, row=rec[key], statistic=stat, value=rec[stat])
            for rec in frame.to_dict("records") for stat in stats]


def check_ids(data: pd.DataFrame, id_col: str | None, *, slices: bool = False, model: str | None = None,
              file: str | None = None) -> None:
    """Ids as written, none empty, and (one row per patient) none repeated; nothing to check without ``id_col``."""
    if id_col is None:
        return
    if id_col not in data.columns:
        raise InputError(f"the id column {id_col!r} is not in the table", "give the patient id column (--id)",
                         model=model, column=id_col, file=file)
    ids = id_labels(data[id_col], id_col, file=file)
    if not slices and ids.duplicated().any():
        dup = ids[ids.duplicated()].iloc[0]
        raise InputError(f"id {dup!r} appears more than once", "one row per patient, or give patient_col "
                         "(--slices) for slice-level (deep) features", patient=dup, column=id_col, model=model,
                         file=file)


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


@renamed(train="data", cohort="train_cohort")
@arguments(data="frame", features="columns", outcome="column", seed="count", name="text", k_mrmr="count",
           lambda_rule="text", patient_col="column?", outlier_rule="text", missing="text", criterion="text",
           bins="count?", nfolds="count", stratified="flag", cohort_col="column?",
           train_cohort="label?", id_col="column?", event="event?")
def build_signature(data: pd.DataFrame, features, outcome: str, seed: int, *, name: str,
                    k_mrmr: int = DEFAULT_K, lambda_rule: str = "lambda.min", patient_col: str | None = None,
                    outlier_rule: str = "3sd", missing: str = "error", criterion: str = "MID",
                    bins: int | None = None, nfolds: int = 10, stratified: bool = True,
                    cohort_col: str | None = None, train_cohort: str | None = None,
                    id_col: str | None = None, event=None) -> Signature:
    """Fit a signature on the training cohort: preprocess -> mRMR -> LASSO -> logistic regression.

    Parameters
    ----------
    data : DataFrame
        The training rows; or, with ``cohort_col`` and ``train_cohort``, the whole table (the signature is then
        fitted on the training cohort only and every cohort is scored: :attr:`Signature.scores`). Formerly
        ``train``.
    features : list of str
        The candidate feature columns.
    outcome : str
        The binary outcome column, coded 0/1.
    seed : int
        The seed from which R draws the cross-validation fold ids.
    name : str
        The signature's name (its tables, its score column).
    k_mrmr : int
        The features mRMR keeps (the top ``k_mrmr`` of its ranking).
    lambda_rule : {"lambda.min", "lambda.1se"}
        The LASSO penalty whose non-zero features are selected.
    patient_col : str, optional
        The rows are slices of this column's patients (deep features): folds hold whole patients and the
        patient's score is ``logit(mean slice probability)``.
    outlier_rule : str
        The training-fitted outlier rule (``"3sd"``: beyond 3 SD of the training mean; ``"none"``), outliers
        replaced by the training median.
    missing : {"error", "median"}
        Missing values are an error, or replaced by the training median.
    criterion : {"MID", "MIQ"}
        mRMR's criterion: mutual information difference or quotient.
    bins : int, optional
        mRMR's equal-frequency bins (default: the cube-root rule, see :mod:`eprstats.selection.mrmr`).
    nfolds : int
        The folds of ``cv.glmnet``.
    stratified : bool
        Folds stratified by the outcome.
    cohort_col : str, optional
        The cohort column of a whole table.
    train_cohort : str, optional
        The training cohort: its value in ``cohort_col``; without ``cohort_col``, the name of the training rows
        (for the messages and the tables; formerly ``cohort``).
    id_col : str, optional
        The patient id column (the scores' ids).

    event : optional
        The outcome's value that is the event, required when the outcome is not coded 0/1.
    Returns
    -------
    Signature
        The preprocessing, the mRMR ranking, the LASSO path, the logistic coefficients (``table_s2()``, the
        paper's Supplementary Table S2) and the scores of every cohort.

    Notes
    -----
    Preprocessing (training-fitted outliers -> median, z-score z = (x - mean) / SD), mRMR (``k_mrmr`` features,
    ``criterion``), ``glmnet::cv.glmnet(family = "binomial", alpha = 1)`` with fold ids drawn in R from ``seed``
    (the features non-zero at ``lambda_rule`` are selected), then ``stats::glm(y ~ selected, family = binomial)``.
    The rad-score is its linear predictor ``score = b0 + sum_j b_j z_j``.

    Raises InputError for a single-class or non-0/1 outcome, bad features, and an empty LASSO selection; warns
    (EventsPerVariableWarning) when the selected features exceed events / 10.

    References
    ----------
    Peng H, Long F, Ding C (2005) Feature selection based on mutual information: criteria of max-dependency,
    max-relevance, and min-redundancy. IEEE TPAMI 27:1226-1238.
    Friedman J, Hastie T, Tibshirani R (2010) Regularization paths for generalized linear models via coordinate
    descent. J Stat Softw 33(1):1-22.

    Examples
    --------
    The example cohort's ten feature columns (the first three carry the outcome): mRMR keeps five, LASSO
    selects among them, glm fits what is left on the training cohort, and every cohort is scored:

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> sig = ep.build_signature(df, [f"f{j:02d}" for j in range(10)], "EPR", seed=2024, name="RAD", k_mrmr=5,
    ...                          cohort_col="cohort", train_cohort="training", id_col="id")
    >>> sig.table_s2().round(3).values.tolist()
    [['(Intercept)', -0.636], ['f00', 1.28], ['f01', 1.111], ['f09', -0.217], ['f04', -0.21]]
    >>> sig.scores.groupby(["cohort", "EPR"], sort=False)["RAD"].mean().round(2).to_dict()
    {('training', 0): -1.47, ('training', 1): 0.59, ('external', 0): -1.35, ('external', 1): 0.13}
    """
    train = with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
    cohort = None if cohort_col is not None else train_cohort  # the training rows' name
    if cohort_col is not None:
        if not isinstance(train, pd.DataFrame):
            raise InputError("build_signature needs a pandas DataFrame", "give the feature table", model=name)
        check_ids(train, patient_col or id_col, slices=patient_col is not None, model=name)
        data = train
        cohort, train = split_cohorts(data, cohort_col, train_cohort, require_train=True,
                                      id_col=patient_col or id_col)[0]
        sig = build_signature(train, features, outcome, seed, name=name, k_mrmr=k_mrmr, lambda_rule=lambda_rule,
                              patient_col=patient_col, outlier_rule=outlier_rule, missing=missing,
                              criterion=criterion, bins=bins, nfolds=nfolds, stratified=stratified,
                              train_cohort=cohort, id_col=id_col)
        return sig.scored(data, cohort_col=cohort_col, train_cohort=cohort, id_col=id_col)
    if lambda_rule not in LAMBDA_RULES:
        raise InputError(f"unknown lambda rule {lambda_rule!r}", "use 'lambda.min' or 'lambda.1se'", model=name)
    if outcome not in train.columns:
        raise InputError(f"outcome column {outcome!r} not found", "give the outcome column's name", model=name,
                         cohort=cohort, column=outcome)
    check_ids(train, patient_col or id_col, slices=patient_col is not None, model=name)
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
    with _r_errors(name, cohort):
        lasso = lasso_select(z[candidates], y, seed, nfolds=nfolds, lambda_rule=lambda_rule,
                             stratified=stratified, groups=groups, model=name)
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
    with _r_errors(name, cohort):
        glm = _glm(z, y, outcome, selected, name)
    if not bool(np.all(glm["converged"])):
        warnings.warn(f"signature {name!r}: stats::glm did not converge (perfect or quasi-complete separation?); "
                      "its coefficients are not reliable: use lambda.1se or a smaller k", SeparationWarning,
                      stacklevel=2)
    glm = glm.drop(columns="converged")
    coefficients = pd.DataFrame({"feature": glm["term"].to_numpy(), "coefficient": glm["estimate"].to_numpy()})
    settings = {
        "name": name, "outcome": outcome, "seed": int(seed), "cohort": cohort, "n_train": int(len(train)),
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
                     settings=settings, folds=_folds(train, lasso.foldid, patient_col or id_col, groups))


def _folds(train: pd.DataFrame, foldid, id_col: str | None, groups) -> pd.DataFrame:
    """The LASSO fold of each training row (``row`` 1..n without ids), or of each patient for slices."""
    key = id_col or "row"
    ids = train[id_col].to_numpy() if id_col and id_col in train.columns else np.arange(1, len(train) + 1)
    folds = pd.DataFrame({key: ids, "fold": np.asarray(foldid, dtype=int)})
    return folds.drop_duplicates(subset=[key]).reset_index(drop=True) if groups is not None else folds


@contextmanager
def _r_errors(name, cohort):
    """R's message kept; the signature and cohort named, and what to check said."""
    try:
        yield
    except RError as exc:
        if exc.model is not None:
            raise
        raise RError(exc.r_function, exc.r_message, "check the training cohort's size and events, and the "
                     "features (constant or duplicated ones); fewer folds (--nfolds) or a smaller --k may help",
                     model=name, cohort=cohort) from None
