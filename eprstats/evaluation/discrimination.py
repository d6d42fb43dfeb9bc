"""Discrimination of risk scores: ROC AUC with DeLong CI, Youden cut-off, DeLong tests, Table 2.

All statistics are computed by R's ``pROC`` (Robin et al., BMC Bioinformatics 2011;12:77) through
:mod:`eprstats.rbridge`; this module validates the inputs, fixes everything that must come from the
training cohort (ROC direction, Youden cut-off) and applies it unchanged to the other cohorts.

* AUC with the DeLong (1988) variance: ``pROC::ci.auc(method = "delong")``,
  CI = AUC +/- z_(1-a/2) * sqrt(V_10/m + V_01/n).
* Youden cut-off on training: ``pROC::coords(x = "best", best.method = "youden")``, the threshold
  maximising J = sensitivity + specificity - 1 (ties: the one with the highest sensitivity, with a
  warning).
* Direction: ``pROC::roc(direction = "auto")`` on training only ("<": cases score higher), then passed
  explicitly for every cohort, so a validation cohort whose AUC is below 0.5 shows it instead of being
  silently flipped.
* At the cut-off, with direction "<" a patient is called positive when score >= cut-off (">": score <=
  cut-off), as pROC does; sensitivity, specificity, PPV, NPV and accuracy follow from the 2x2 table.

Example
-------
>>> roc = roc_table(df, "EPR", ["PVP", "PVP_DLR"], cohort_col="cohort", train_cohort="training")
>>> table2(roc)          # the paper's layout: AUC (95% CI), sensitivity, specificity per cohort
"""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd

from ..errors import InputError

ROC_COLUMNS = ["model", "cohort", "n", "events", "auc", "auc_ci_low", "auc_ci_high", "cutoff", "direction",
               "sensitivity", "specificity", "ppv", "npv", "accuracy"]


def _r():
    from .. import rbridge
    rbridge.require_packages("pROC")
    return rbridge


# ---------------------------------------------------------------------------------------------
# Input validation (at the boundary)
# ---------------------------------------------------------------------------------------------

def binary_outcome(values, outcome: str = "outcome", cohort: str | None = None) -> np.ndarray:
    """The outcome as 0/1 integers; anything else is an InputError naming the column."""
    series = pd.Series(values)
    if series.isna().any():
        raise InputError(f"outcome column has {int(series.isna().sum())} missing value(s)",
                         "fill in or drop those patients before the analysis", column=outcome, cohort=cohort)
    if series.dtype == bool:
        return series.astype(int).to_numpy()
    numeric = pd.to_numeric(series, errors="coerce")
    if numeric.isna().any() or not set(np.unique(numeric)).issubset({0, 1}):
        found = sorted(map(str, pd.unique(series)))[:6]
        raise InputError(f"outcome must be coded 0 (no event) / 1 (event); found {found}",
                         "recode the outcome column as 0/1", column=outcome, cohort=cohort)
    return numeric.astype(int).to_numpy()


def finite_values(values, *, noun: str, plural: str, column_word: str, fix: str,
                  model: str | None, cohort: str | None) -> np.ndarray:
    """A model's column as finite floats; text, NaN and infinite values raise an error that counts
    them and names the model and cohort (shared by scores here and probabilities in calibration)."""
    series = pd.Series(values).reset_index(drop=True)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    text = int((series.notna() & np.isnan(numbers)).sum())
    if text:
        raise InputError(f"{text} {noun} value(s) are not numbers",
                         f"the {column_word} column must hold numbers only", model=model, cohort=cohort,
                         column=model)
    n_nan, n_inf = int(np.isnan(numbers).sum()), int(np.isinf(numbers).sum())
    if n_nan or n_inf:
        raise InputError(f"{n_nan} missing (NaN) and {n_inf} infinite {plural}", fix,
                         model=model, cohort=cohort, column=model)
    return numbers


def _score(frame: pd.DataFrame, model: str, cohort: str) -> np.ndarray:
    return finite_values(frame[model], noun="score", plural="score value(s)", column_word="score",
                         fix="score every patient with a finite value, or drop the patients without a score",
                         model=model, cohort=cohort)


def _check_classes(y: np.ndarray, model: str | None, cohort: str) -> None:
    events = int(y.sum())
    if events == 0 or events == len(y):
        kind = "no events (all 0)" if events == 0 else "only events (all 1)"
        raise InputError(f"the cohort has {kind} among {len(y)} patients: an ROC curve needs both classes",
                         "check the cohort column and the outcome coding, or leave this cohort out",
                         model=model, cohort=cohort)
    if min(events, len(y) - events) < 2:
        # DeLong's variance is a sample variance over the events and over the non-events: with one of
        # either pROC returns NA for the CI and roc.test fails.
        kind = "1 event" if events == 1 else "1 non-event"
        raise InputError(f"the cohort has only {kind} among {len(y)} patients: the DeLong variance of the AUC "
                         "needs at least 2 events and 2 non-events", "merge this cohort with another or leave it "
                         "out (--cohorts)", model=model, cohort=cohort)


def _check_conf_level(conf_level) -> float:
    level = float(conf_level)
    if not 0 < level < 1:
        raise InputError(f"confidence level {conf_level!r} is not between 0 and 1", "e.g. --conf-level 0.95")
    return level


def _check_columns(data: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(f"{what} column(s) {missing} not found in the table",
                         f"available columns: {', '.join(map(str, data.columns))}",
                         column=missing[0], model=missing[0] if what == "score" else None)


def _split_cohorts(data: pd.DataFrame, cohort_col: str | None, train_cohort: str | None,
                   cohorts: list[str] | None = None) -> list[tuple[str, pd.DataFrame]]:
    """(name, rows) per cohort, training first, then the others in order of appearance."""
    if cohort_col is None:
        return [(train_cohort or "all", data)]
    _check_columns(data, [cohort_col], "cohort")
    labels = data[cohort_col].astype(str)
    present = list(dict.fromkeys(labels))
    if train_cohort is not None and str(train_cohort) not in present:
        raise InputError(f"training cohort {train_cohort!r} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(present)}", column=cohort_col, cohort=str(train_cohort))
    order = list(cohorts) if cohorts else present
    unknown = [c for c in order if c not in present]
    if unknown:
        raise InputError(f"cohort(s) {unknown} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(present)}", column=cohort_col, cohort=unknown[0])
    if train_cohort is not None:
        order = [str(train_cohort)] + [c for c in order if c != str(train_cohort)]
    return [(c, data[labels == c]) for c in order]


def _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts=None):
    if isinstance(scores, str):
        scores = [scores]
    scores = list(scores)
    if not scores:
        raise InputError("no score columns given", "name at least one score (model) column")
    dup = sorted({m for m in scores if scores.count(m) > 1})
    if dup:
        raise InputError(f"score column(s) {dup} given twice", "name each model once", model=dup[0],
                         column=dup[0])
    _check_columns(data, [outcome], "outcome")
    _check_columns(data, scores, "score")
    parts = []
    for name, rows in _split_cohorts(data, cohort_col, train_cohort, cohorts):
        y = binary_outcome(rows[outcome], outcome, cohort=name)
        _check_classes(y, None, name)
        parts.append((name, y, {m: _score(rows, m, name) for m in scores}))
    return scores, parts


# ---------------------------------------------------------------------------------------------
# One score, one cohort
# ---------------------------------------------------------------------------------------------

def auc_ci(y, score, direction: str = "auto", conf_level: float = 0.95) -> dict:
    """AUC with its DeLong CI: ``pROC::ci.auc(roc, method = "delong")``.

    Returns a dict with ``auc``, ``auc_ci_low``, ``auc_ci_high`` and the ``direction`` used.
    """
    y = binary_outcome(y)
    _check_classes(y, None, "given")
    return _r().call("discrimination_auc_ci", y, np.asarray(score, dtype=float), direction=direction,
                     conf_level=_check_conf_level(conf_level))


#: the statistician's name for the same thing.
delong_ci = auc_ci


def youden_cutoff(y, score, direction: str = "auto") -> dict:
    """The Youden cut-off (max of sensitivity + specificity - 1) by ``pROC::coords(best.method="youden")``.

    Returns ``threshold``, ``sensitivity``, ``specificity``, ``n_ties`` and ``direction``. With
    ``direction="auto"`` the direction is chosen by pROC on these data (do this on training only).
    """
    y = binary_outcome(y)
    _check_classes(y, None, "given")
    score = np.asarray(score, dtype=float)
    r = _r()
    if direction == "auto":
        direction = r.call("discrimination_auc_ci", y, score, direction="auto")["direction"]
    out = r.call("discrimination_youden", y, score, direction=direction)
    out["direction"] = direction
    return out


def at_cutoff(y, score, cutoff: float, direction: str) -> dict:
    """Sensitivity, specificity, PPV, NPV, accuracy at a fixed cut-off and direction (pROC::coords)."""
    if direction not in ("<", ">"):
        raise InputError(f"direction must be '<' or '>' here, not {direction!r}",
                         "take the direction from the training cohort")
    return _r().call("discrimination_at_threshold", binary_outcome(y), np.asarray(score, dtype=float),
                     direction=direction, threshold=float(cutoff))


# ---------------------------------------------------------------------------------------------
# Every score, every cohort
# ---------------------------------------------------------------------------------------------

def training_directions(data, outcome, scores, cohort_col, train_cohort) -> dict[str, str]:
    """The ROC direction of each score, chosen by pROC ("auto") on the training cohort only."""
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort)
    _, y, values = parts[0]
    r = _r()
    return {m: r.call("discrimination_auc_ci", y, values[m], direction="auto")["direction"] for m in scores}


def roc_table(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None = None,
              train_cohort: str | None = None, conf_level: float = 0.95,
              cohorts: list[str] | None = None) -> pd.DataFrame:
    """AUC (DeLong CI) and performance at the training Youden cut-off, per model and cohort.

    The direction and the cut-off of each model are chosen on ``train_cohort`` and applied unchanged
    to every other cohort. Returns one row per (model, cohort) with the columns of ``ROC_COLUMNS``.
    """
    conf_level = _check_conf_level(conf_level)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    r = _r()
    train_name, y_train, train_values = parts[0]
    rows = []
    for model in scores:
        if np.ptp(train_values[model]) == 0:
            raise InputError(f"the score is constant ({train_values[model][0]:.6g}) in the training cohort, so it "
                             "has no ROC direction or cut-off", "check that the score column was computed",
                             model=model, cohort=train_name, column=model)
        direction = r.call("discrimination_auc_ci", y_train, train_values[model], direction="auto")["direction"]
        youden = r.call("discrimination_youden", y_train, train_values[model], direction=direction)
        if youden["n_ties"] > 1:
            warnings.warn(f"model {model!r}: {youden['n_ties']} thresholds tie for the best Youden index in "
                          f"cohort {train_name!r}; the one with the highest sensitivity "
                          f"({youden['threshold']:.6g}) is used", stacklevel=2)
        cutoff = float(youden["threshold"])
        if not math.isfinite(cutoff):
            raise InputError("the Youden cut-off is infinite: no finite threshold does better than calling every "
                             "patient positive (Youden index 0)", "check the score column", model=model,
                             cohort=train_name)
        for cohort, y, values in parts:
            auc = r.call("discrimination_auc_ci", y, values[model], direction=direction,
                         conf_level=float(conf_level))
            perf = r.call("discrimination_at_threshold", y, values[model], direction=direction,
                          threshold=cutoff)
            rows.append({"model": model, "cohort": cohort, "n": len(y), "events": int(y.sum()),
                         "auc": auc["auc"], "auc_ci_low": auc["auc_ci_low"], "auc_ci_high": auc["auc_ci_high"],
                         "cutoff": cutoff, "direction": direction,
                         **{k: float(perf[k]) for k in ("sensitivity", "specificity", "ppv", "npv", "accuracy")}})
    return pd.DataFrame(rows, columns=ROC_COLUMNS)


def _directions(data, outcome, scores, cohort_col, train_cohort, directions):
    if directions is not None:
        missing = [m for m in scores if m not in directions]
        if missing:
            raise InputError(f"no direction given for model(s) {missing}", "give '<' or '>' for every model",
                             model=missing[0])
        return dict(directions)
    if train_cohort is not None:
        return training_directions(data, outcome, scores, cohort_col, train_cohort)
    # No training cohort named: one direction per model from all patients together (still never per cohort).
    return training_directions(data, outcome, scores, None, None)


def delong_paired(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None = None,
                  train_cohort: str | None = None, directions: dict[str, str] | None = None,
                  cohorts: list[str] | None = None) -> pd.DataFrame:
    """Pairwise paired DeLong tests between models within each cohort (``pROC::roc.test``).

    z = (AUC_1 - AUC_2) / sqrt(var_1 + var_2 - 2 cov_12), with DeLong's variance and covariance.
    Directions are fixed per model (from ``train_cohort``, or given). Columns: model_1, model_2, cohort,
    auc_1, auc_2, z, p.
    """
    scores = [scores] if isinstance(scores, str) else list(scores)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    dirs = _directions(data, outcome, scores, cohort_col, train_cohort, directions)
    r = _r()
    rows = []
    for cohort, y, values in parts:
        for m1, m2 in itertools.combinations(scores, 2):
            t = r.call("discrimination_delong_paired", y, values[m1], values[m2],
                       direction1=dirs[m1], direction2=dirs[m2])
            rows.append({"model_1": m1, "model_2": m2, "cohort": cohort, **t})
    return pd.DataFrame(rows, columns=["model_1", "model_2", "cohort", "auc_1", "auc_2", "z", "p"])


def delong_between_cohorts(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str,
                           train_cohort: str | None = None, directions: dict[str, str] | None = None,
                           cohorts: list[str] | None = None) -> pd.DataFrame:
    """For each model, the unpaired DeLong test of its AUC between every pair of cohorts.

    z = (AUC_1 - AUC_2) / sqrt(var_1 + var_2). Columns: model, cohort_1, cohort_2, auc_1, auc_2, z, p.
    """
    scores = [scores] if isinstance(scores, str) else list(scores)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    dirs = _directions(data, outcome, scores, cohort_col, train_cohort, directions)
    r = _r()
    rows = []
    for model in scores:
        for (c1, y1, v1), (c2, y2, v2) in itertools.combinations(parts, 2):
            t = r.call("discrimination_delong_unpaired", y1, v1[model], y2, v2[model], direction=dirs[model])
            rows.append({"model": model, "cohort_1": c1, "cohort_2": c2, **t})
    return pd.DataFrame(rows, columns=["model", "cohort_1", "cohort_2", "auc_1", "auc_2", "z", "p"])


def roc_curves(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None = None,
               train_cohort: str | None = None, directions: dict[str, str] | None = None,
               cohorts: list[str] | None = None) -> pd.DataFrame:
    """The ROC curve points (pROC) of every model in every cohort, direction fixed per model.

    Columns: model, cohort, threshold, sensitivity, specificity.
    """
    scores = [scores] if isinstance(scores, str) else list(scores)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    dirs = _directions(data, outcome, scores, cohort_col, train_cohort, directions)
    r = _r()
    frames = []
    for cohort, y, values in parts:
        for model in scores:
            curve = r.call("discrimination_curve", y, values[model], direction=dirs[model])
            curve.insert(0, "cohort", cohort)
            curve.insert(0, "model", model)
            frames.append(curve)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Table 2
# ---------------------------------------------------------------------------------------------

def format_auc(auc: float, low: float, high: float, digits: int = 3) -> str:
    """``0.724 (0.625-0.823)``, the paper's way."""
    return f"{auc:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def table2(roc: pd.DataFrame, digits: int = 3, cohorts: list[str] | None = None,
           cohort_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Table 2 in the paper's layout: one row per model; per cohort "AUC (95% CI)", Sensitivity and
    Specificity, at ``digits`` decimals. ``roc`` is the output of :func:`roc_table`."""
    missing = [c for c in ("model", "cohort", "auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")
               if c not in roc.columns]
    if missing:
        raise InputError(f"the ROC table lacks column(s) {missing}", "pass the output of roc_table()")
    cohorts = list(cohorts) if cohorts else list(dict.fromkeys(roc["cohort"]))
    labels = cohort_labels or {}
    rows = []
    for model in dict.fromkeys(roc["model"]):
        row = {"Model": model}
        for cohort in cohorts:
            hit = roc[(roc["model"] == model) & (roc["cohort"] == cohort)]
            label = labels.get(cohort, cohort)
            if hit.empty:
                row.update({f"{label} AUC (95% CI)": "", f"{label} Sensitivity": "", f"{label} Specificity": ""})
                continue
            h = hit.iloc[0]
            row[f"{label} AUC (95% CI)"] = format_auc(h["auc"], h["auc_ci_low"], h["auc_ci_high"], digits)
            row[f"{label} Sensitivity"] = f"{h['sensitivity']:.{digits}f}"
            row[f"{label} Specificity"] = f"{h['specificity']:.{digits}f}"
        rows.append(row)
    return pd.DataFrame(rows)
