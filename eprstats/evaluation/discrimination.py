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
  cut-off), as pROC does; sensitivity, specificity, PPV, NPV and accuracy follow from the 2x2 table, whose
  counts and CIs (Clopper-Pearson, Wilson or pROC's bootstrap) are computed in :mod:`.discrimination_ci`.

The whole analysis is :func:`discrimination` (a :class:`~.discrimination_result.Discrimination` result);
:func:`roc_table`, :func:`delong_paired`, :func:`delong_between_cohorts` and :func:`roc_curves` give its
pieces one at a time.

One rule for a missing ``train_cohort``, the same in every function of this module (#24): without
``cohort_col`` all patients are one cohort, which is the training one; with ``cohort_col``, ``train_cohort``
is required wherever something is chosen on the training cohort (the ROC directions, the Youden cut-offs),
and its absence is refused with an InputError that names it. Neither the first cohort nor all patients
pooled is taken in its place: either would silently choose a direction on a validation cohort. The DeLong
tests and the curves choose nothing when ``directions`` is given, and then need no training cohort.

Usage (a sketch; the functions' own examples run on the example cohort and are checked)::

    res = discrimination(df, "EPR", ["PVP", "PVP_DLR"], cohort_col="cohort", train_cohort="training")
    res.table2()         # the paper's layout: AUC (95% CI), sensitivity, specificity per cohort
    res.tidy()           # every number, one row each
"""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd

from .. import rbridge
from ..arguments import renamed, require_train_cohort
from ..errors import InputError
from ..validation import (arguments, binary_outcome, bootstrap_seed, both_classes, check_columns, check_conf_level,
                          split_cohorts, with_event)
from ..validation import scores as finite_scores
# format_auc and table2 (Table 2's layout) are imported from here too
from .calibration import DEFAULT_SEED, optimism_auc
from .discrimination_ci import accuracy_table, check_ci_method, ci_settings, proportion_ci  # noqa: F401
from .discrimination_result import (BETWEEN_COLUMNS, PAIRED_COLUMNS, ROC_COLUMNS, Discrimination,  # noqa: F401
                                    format_auc, table2)


def _r():
    rbridge.require_packages("pROC")
    return rbridge


# ---------------------------------------------------------------------------------------------
# Input validation (at the boundary; the checks themselves are in eprstats.validation)
# ---------------------------------------------------------------------------------------------

def _check_classes(y: np.ndarray, model: str | None, cohort: str, outcome: str | None = None) -> None:
    both_classes(y, "an ROC curve", outcome=outcome, model=model, cohort=cohort)
    events = int(y.sum())
    if min(events, len(y) - events) < 2:
        # DeLong's variance is a sample variance over the events and over the non-events: with one of
        # either pROC returns NA for the CI and roc.test fails.
        kind = "1 event" if events == 1 else "1 non-event"
        raise InputError(f"the cohort has only {kind} among {len(y)} patients: the DeLong variance of the AUC "
                         "needs at least 2 events and 2 non-events", "merge this cohort with another or leave it "
                         "out (--cohorts)", model=model, cohort=cohort)


def _require_train(function: str, cohort_col, train_cohort, what: str = "the ROC directions and the Youden "
                   "cut-offs") -> None:
    """The module's one rule for a missing training cohort (see the module's docstring)."""
    require_train_cohort(function, cohort_col, train_cohort, what)


def _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts=None, require_train=False):
    """(score names, [(cohort, y, {model: scores})]): the training cohort first, everything checked."""
    if isinstance(scores, str):
        scores = [scores]
    scores = list(scores)
    if not scores:
        raise InputError("no score columns given", "name at least one score (model) column")
    dup = sorted({m for m in scores if scores.count(m) > 1})
    if dup:
        raise InputError(f"score column(s) {dup} given twice", "name each model once", model=dup[0],
                         column=dup[0])
    check_columns(data, [outcome], "outcome")
    check_columns(data, scores, "score")
    parts = []
    for name, rows in split_cohorts(data, cohort_col, train_cohort, cohorts, require_train=require_train):
        y = binary_outcome(rows[outcome], outcome, cohort=name)
        _check_classes(y, None, name, outcome)
        parts.append((name, y, {m: finite_scores(rows[m], m, name) for m in scores}))
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
                     conf_level=check_conf_level(conf_level))


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
# Every score, every cohort: the computations, on checked inputs (_prepare), directions fixed
# ---------------------------------------------------------------------------------------------

def _training_fix(r, model: str, y, values, cohort: str, direction: str | None = None) -> tuple[str, float]:
    """(direction, Youden cut-off) of one model on the training cohort; ``direction=None``: pROC's "auto"."""
    if np.ptp(values) == 0:
        raise InputError(f"the score is constant ({values[0]:.6g}) in the training cohort, so it "
                         "has no ROC direction or cut-off", "check that the score column was computed",
                         model=model, cohort=cohort, column=model)
    if direction is None:
        direction = r.call("discrimination_auc_ci", y, values, direction="auto")["direction"]
    youden = r.call("discrimination_youden", y, values, direction=direction)
    if youden["n_ties"] > 1:
        warnings.warn(f"model {model!r}: {youden['n_ties']} thresholds tie for the best Youden index in "
                      f"cohort {cohort!r}; the one with the highest sensitivity "
                      f"({youden['threshold']:.6g}) is used", stacklevel=4)
    cutoff = float(youden["threshold"])
    if not math.isfinite(cutoff):
        raise InputError("the Youden cut-off is infinite: no finite threshold does better than calling every "
                         "patient positive (Youden index 0)", "check the score column", model=model,
                         cohort=cohort)
    return direction, cutoff


def _roc(scores, parts, conf_level: float, directions: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """The ROC table and the direction of each model (``directions``, or pROC's "auto" on training)."""
    r = _r()
    train_name, y_train, train_values = parts[0]
    rows, chosen = [], {}
    for model in scores:
        direction, cutoff = _training_fix(r, model, y_train, train_values[model], train_name,
                                          (directions or {}).get(model))
        chosen[model] = direction
        for cohort, y, values in parts:
            auc = r.call("discrimination_auc_ci", y, values[model], direction=direction,
                         conf_level=float(conf_level))
            perf = r.call("discrimination_at_threshold", y, values[model], direction=direction,
                          threshold=cutoff)
            rows.append({"model": model, "cohort": cohort, "n": len(y), "events": int(y.sum()),
                         "auc": auc["auc"], "auc_ci_low": auc["auc_ci_low"], "auc_ci_high": auc["auc_ci_high"],
                         "cutoff": cutoff, "direction": direction,
                         **{k: float(perf[k]) for k in ("sensitivity", "specificity", "ppv", "npv", "accuracy")}})
    return pd.DataFrame(rows, columns=ROC_COLUMNS), chosen


def _warn_pairs(frame: pd.DataFrame, what: str, file: str) -> None:
    """One warning naming every pair pROC warned about (its message is in the pair's ``warning`` column)."""
    warned = frame[frame["warning"].fillna("").astype(str) != ""]
    if len(warned):
        pairs = "; ".join(f"{' vs '.join(map(str, row[:2]))} ({row[2]})" for row in warned.itertuples(index=False))
        warnings.warn(f"pROC warned about {len(warned)} {what}: {pairs}. Its message is in the 'warning' column "
                      f"of {file}: {warned['warning'].iloc[0]}", stacklevel=4)


def _paired(scores, parts, dirs, conf_level: float = 0.95) -> pd.DataFrame:
    r = _r()
    rows = []
    for cohort, y, values in parts:
        for m1, m2 in itertools.combinations(scores, 2):
            t = r.call("discrimination_delong_paired", y, values[m1], values[m2],
                       direction1=dirs[m1], direction2=dirs[m2], conf_level=float(conf_level))
            rows.append({"model_1": m1, "model_2": m2, "cohort": cohort, **t})
    frame = pd.DataFrame(rows, columns=PAIRED_COLUMNS)
    _warn_pairs(frame, "paired DeLong test(s) (model 1 vs model 2 (cohort))", "delong_paired_numeric.csv")
    return frame


def _between(scores, parts, dirs) -> pd.DataFrame:
    r = _r()
    rows = []
    for model in scores:
        for (c1, y1, v1), (c2, y2, v2) in itertools.combinations(parts, 2):
            t = r.call("discrimination_delong_unpaired", y1, v1[model], y2, v2[model], direction=dirs[model])
            rows.append({"model": model, "cohort_1": c1, "cohort_2": c2, **t})
    frame = pd.DataFrame(rows, columns=BETWEEN_COLUMNS)
    _warn_pairs(frame[["cohort_1", "cohort_2", "model", "warning"]], "DeLong test(s) between cohorts "
                "(cohort 1 vs cohort 2 (model))", "delong_between_cohorts_numeric.csv")
    return frame


def _curves(scores, parts, dirs) -> pd.DataFrame:
    r = _r()
    frames = []
    for cohort, y, values in parts:
        for model in scores:
            curve = r.call("discrimination_curve", y, values[model], direction=dirs[model])
            curve.insert(0, "cohort", cohort)
            curve.insert(0, "model", model)
            frames.append(curve)
    return pd.concat(frames, ignore_index=True)


def _values(scores, parts) -> pd.DataFrame:
    """The scores analysed, long (model, cohort, outcome, score), patients in the table's order."""
    frames = [pd.DataFrame({"model": m, "cohort": c, "outcome": y, "score": v[m]}) for m in scores
              for c, y, v in parts]
    return pd.concat(frames, ignore_index=True)


def _optimism(outcome, scores, parts, B, seed) -> list[float]:
    """roc's ``auc_optimism_corrected``: each model's optimism-corrected AUC on the training rows (rms::validate
    of its logistic recalibration, :func:`~.calibration.optimism_auc`), NaN on the other cohorts' rows."""
    train_name, y, values = parts[0]
    corrected = {m: float(optimism_auc(pd.DataFrame({outcome: y, m: values[m]}), outcome, m, B=B, seed=seed,
                                       name=m, cohort=train_name)["corrected"]) for m in scores}
    return [corrected[m] if c == train_name else math.nan for m in scores for c, _, _ in parts]


def _check_optimism(B, seed) -> tuple[int | None, int | None]:
    if B is None:
        return None, None
    if isinstance(B, bool) or not isinstance(B, (int, np.integer)) or B < 1:
        raise InputError(f"optimism_boot_n must be a positive number of bootstrap resamples, not {B!r}",
                         "e.g. --optimism-B 1000")
    return int(B), bootstrap_seed(seed, DEFAULT_SEED)


def _check_directions(scores, directions) -> dict | None:
    if directions is None:
        return None
    missing = [m for m in scores if m not in directions]
    if missing:
        raise InputError(f"no direction given for model(s) {missing}", "give '<' or '>' for every model",
                         model=missing[0])
    bad = {m: d for m, d in directions.items() if m in scores and d not in ("<", ">")}
    if bad:
        model, value = next(iter(bad.items()))
        raise InputError(f"direction {value!r} of model {model!r} is not '<' or '>'",
                         "'<': cases score higher; '>': cases score lower", model=model)
    return {m: directions[m] for m in scores}


# ---------------------------------------------------------------------------------------------
# The analysis: ep.discrimination
# ---------------------------------------------------------------------------------------------

@renamed(scores="models", optimism_B="optimism_boot_n")
@arguments(data="frame", outcome="column", models="columns", cohort_col="column?", train_cohort="label?",
           cohorts="labels?", conf_level="number", directions="mapping?", cohort_labels="mapping?", ci_method="text",
           boot_n="count?", seed="count?", optimism_boot_n="count?", event="event?")
def discrimination(data: pd.DataFrame, outcome: str, models, cohort_col: str | None = None,
                   train_cohort: str | None = None, cohorts=None, conf_level: float = 0.95,
                   directions: dict[str, str] | None = None,
                   cohort_labels: dict[str, str] | None = None, ci_method: str = "clopper-pearson",
                   boot_n: int | None = None, seed: int | None = None,
                   optimism_boot_n: int | None = None, event=None) -> Discrimination:
    """Discrimination of risk scores (the paper's Table 2): ROC AUC with its DeLong CI, performance at the
    training Youden cut-off with its 2x2 counts and CIs, paired DeLong tests between models and unpaired DeLong
    tests between cohorts.

    Parameters
    ----------
    data : DataFrame
        One row per patient: the outcome, the score columns and, optionally, the cohort.
    outcome : str
        The binary outcome column, coded 0/1 or with ``event`` naming the event.
    models : str or list of str
        The score (or predicted probability) column of each model (formerly ``scores``).
    cohort_col : str, optional
        The cohort column (default: all patients as one cohort, which is training).
    train_cohort : str, optional
        The cohort on which the ROC directions and Youden cut-offs are chosen (required with ``cohort_col``).
    cohorts : list, optional
        The cohorts, in this order (and only these), training first.
    conf_level : float
        The confidence level of every CI.
    directions : dict, optional
        {model: "<" or ">"}: fixes the ROC directions instead of choosing them on training.
    cohort_labels : dict, optional
        Renames cohorts in Table 2's headers (e.g. ``{"external": "External validation"}``).
    ci_method : str
        The CI of sensitivity, specificity, PPV, NPV and accuracy: ``"clopper-pearson"``, ``"wilson"`` or
        ``"bootstrap"`` (see Notes).
    boot_n : int, optional
        Bootstrap resamples with ``ci_method="bootstrap"`` (default 2000).
    seed : int, optional
        The seed set before each bootstrap (default 1234).
    optimism_boot_n : int, optional
        Bootstrap resamples of Harrell's optimism-corrected training AUC (default None: not computed;
        formerly ``optimism_B``).
    event : optional
        The outcome's value that is the event, required when the outcome is not coded 0/1.

    Returns
    -------
    Discrimination
        ``roc`` (per model and cohort: AUC with its CI, direction, cut-off, 2x2 counts, sensitivity ...
        accuracy with CIs), ``paired`` (DeLong tests between models), ``between_cohorts`` (unpaired tests);
        ``table2()`` the table as printed, ``write(out)`` the tables and the ROC figures.

    Notes
    -----
    For each model the ROC direction (``pROC::roc(direction = "auto")``) and the Youden cut-off
    (``pROC::coords(best.method = "youden")``, J = sensitivity + specificity - 1, ties: the highest
    sensitivity) are chosen on ``train_cohort`` only and applied unchanged to every cohort. Then, per cohort:

    * AUC = P(score_case > score_control) + P(tie)/2 with the DeLong (1988) CI
      AUC +/- z_(1-a/2) sqrt(V10/m + V01/n) (``pROC::ci.auc(method = "delong")``);
    * sensitivity, specificity, PPV, NPV, accuracy at the cut-off (``pROC::coords``; direction "<": a
      patient is positive when score >= cut-off), the counts TP, FP, TN, FN, and a CI of each proportion x/n
      by ``ci_method``: ``"clopper-pearson"`` (the default; exact, ``stats::binom.test(x, n)``),
      ``"wilson"`` (score interval, ``stats::prop.test(x, n, correct = FALSE)``) or ``"bootstrap"``
      (``pROC::ci.coords`` at the fixed threshold, ``boot_n`` stratified resamples, default 2000, after
      ``set.seed(seed)`` for each model and cohort, default seed 1234);
    * paired DeLong test of two models, z = (AUC1 - AUC2) / sqrt(var1 + var2 - 2 cov12)
      (``pROC::roc.test(paired = TRUE)``), with the difference AUC1 - AUC2 and its CI, difference +/-
      z_(1-a/2) sqrt(var1 + var2 - 2 cov12); between cohorts the unpaired test, D = (AUC1 - AUC2) /
      sqrt(var1 + var2) (``paired = FALSE``), whose P pROC takes from Student's t on
      df = (var1 + var2)^2 / (var1^2/(N1 - 1) + var2^2/(N2 - 1)) (columns ``distribution`` and ``df``).
      pROC's warnings on a test (e.g. two ROC curves with different directions) go to the pair's
      ``warning`` column.

    With ``optimism_boot_n`` (default None: not computed), Harrell's optimism-corrected AUC of each model on the
    training cohort, ``rms::validate(method = "boot", B = optimism_boot_n)`` of the model's logistic recalibration
    lrm(y ~ logit(score)) after ``set.seed(seed)`` (default 1234), AUC = Dxy/2 + 0.5: the last column of
    ``roc`` (``auc_optimism_corrected``, NaN on the other cohorts) and a column of Table 2 beside the training
    AUC (Harrell, Lee & Mark, Stat Med 1996;15:361-87). The recalibration is monotone in the score, so its
    apparent AUC is the training AUC whatever the direction.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988) Comparing the areas under two or more correlated receiver
    operating characteristic curves: a nonparametric approach. Biometrics 44:837-845.
    Robin X, Turck N, Hainard A et al. (2011) pROC: an open-source package for R and S+ to analyze and compare
    ROC curves. BMC Bioinformatics 12:77.
    Youden WJ (1950) Index for rating diagnostic tests. Cancer 3:32-35.
    Clopper CJ, Pearson ES (1934) The use of confidence or fiducial limits illustrated in the case of the
    binomial. Biometrika 26:404-413.
    Wilson EB (1927) Probable inference, the law of succession, and statistical inference. JASA 22:209-212.
    Harrell FE, Lee KL, Mark DB (1996) Multivariable prognostic models. Stat Med 15:361-387.

    Examples
    --------
    Two scores of the example cohort, the directions and Youden cut-offs chosen on the training cohort (the
    paper's Table 2 layout: AUC (95% CI), sensitivity, specificity), and the paired DeLong test between them:

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> res = ep.discrimination(df, "EPR", ["PVP", "PVP_DLR"], cohort_col="cohort", train_cohort="training")
    >>> res.table2().iloc[:, :4].values.tolist()
    [['PVP', '0.737 (0.643-0.831)', '0.870', '0.559'], ['PVP_DLR', '0.873 (0.810-0.937)', '0.870', '0.735']]
    >>> res.paired[["model_1", "model_2", "cohort", "p"]].round(3).values.tolist()
    [['PVP', 'PVP_DLR', 'training', 0.017], ['PVP', 'PVP_DLR', 'external', 0.424]]
    """
    scores = models  # the module's pieces say scores: a model here is its score column
    _require_train("discrimination", cohort_col, train_cohort)
    data = with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
    level = check_conf_level(conf_level)
    optimism_B, optimism_seed = _check_optimism(optimism_boot_n, seed)
    ci_method, boot_n, seed = check_ci_method(ci_method, boot_n, seed)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts,
                             require_train=cohort_col is not None)
    fixed = _check_directions(scores, directions)
    roc, dirs = _roc(scores, parts, level, fixed)
    if optimism_B is not None:  # the last column of roc.csv: the default's bytes stay those of earlier versions
        roc["auc_optimism_corrected"] = _optimism(outcome, scores, parts, optimism_B, optimism_seed)
    settings = {"outcome": outcome, "scores": scores, "cohort_col": cohort_col, "train_cohort": parts[0][0],
                "cohorts": [c for c, _, _ in parts], "conf_level": level, "directions": dirs,
                "directions_from": "given" if fixed else "pROC 'auto' on the training cohort",
                "cohort_labels": dict(cohort_labels or {}),
                "auc_ci": "pROC::ci.auc(method='delong')",
                "cutoff": "pROC::coords(best.method='youden') on training, highest sensitivity on ties",
                "tests": "pROC::roc.test(method='delong')", **ci_settings(ci_method, boot_n, seed)}
    if optimism_B is not None:
        settings.update({"optimism_B": optimism_B, "optimism_seed": optimism_seed, "auc_optimism_corrected":
                         "rms::validate(rms::lrm(y ~ logit(score)), method='boot'), AUC = Dxy/2 + 0.5, training"})
    return Discrimination(roc=roc, paired=_paired(scores, parts, dirs, level),
                          between_cohorts=_between(scores, parts, dirs), curves=_curves(scores, parts, dirs),
                          values=_values(scores, parts), settings=settings,
                          accuracy=accuracy_table(roc, parts, level, ci_method, boot_n, seed))


# ---------------------------------------------------------------------------------------------
# The pieces one at a time (each checks its inputs itself)
# ---------------------------------------------------------------------------------------------

def training_directions(data, outcome, scores, cohort_col, train_cohort) -> dict[str, str]:
    """The ROC direction of each score, chosen by pROC ("auto") on the training cohort only."""
    _require_train("training_directions", cohort_col, train_cohort, "the ROC directions")
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort)
    _, y, values = parts[0]
    r = _r()
    return {m: r.call("discrimination_auc_ci", y, values[m], direction="auto")["direction"] for m in scores}


def roc_table(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None = None,
              train_cohort: str | None = None, conf_level: float = 0.95,
              cohorts: list[str] | None = None) -> pd.DataFrame:
    """AUC (DeLong CI) and performance at the training Youden cut-off, per model and cohort.

    The direction and the cut-off of each model are chosen on ``train_cohort`` (required with ``cohort_col``)
    and applied unchanged to every other cohort. Returns one row per (model, cohort) with the columns of
    ``ROC_COLUMNS``. :func:`discrimination` gives this table with the DeLong tests and the curves.
    """
    _require_train("roc_table", cohort_col, train_cohort)
    conf_level = check_conf_level(conf_level)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    return _roc(scores, parts, conf_level)[0]


def _directions(function, data, outcome, scores, cohort_col, train_cohort, directions):
    if directions is not None:
        return _check_directions(scores, directions)
    _require_train(function, cohort_col, train_cohort, "the ROC directions (unless given as directions=)")
    return training_directions(data, outcome, scores, cohort_col, train_cohort)


def delong_paired(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None = None,
                  train_cohort: str | None = None, directions: dict[str, str] | None = None,
                  cohorts: list[str] | None = None, conf_level: float = 0.95) -> pd.DataFrame:
    """Pairwise paired DeLong tests between models within each cohort (``pROC::roc.test``).

    z = (AUC_1 - AUC_2) / sqrt(var_1 + var_2 - 2 cov_12), with DeLong's variance and covariance; the
    difference with its CI, (AUC_1 - AUC_2) +/- z_(1-a/2) sqrt(var_1 + var_2 - 2 cov_12). Directions are fixed
    per model (from ``train_cohort``, or given). Columns: :data:`PAIRED_COLUMNS`.
    """
    level = check_conf_level(conf_level)
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    return _paired(scores, parts, _directions("delong_paired", data, outcome, scores, cohort_col, train_cohort,
                                              directions), level)


def delong_between_cohorts(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str,
                           train_cohort: str | None = None, directions: dict[str, str] | None = None,
                           cohorts: list[str] | None = None) -> pd.DataFrame:
    """For each model, the unpaired DeLong test of its AUC between every pair of cohorts.

    D = (AUC_1 - AUC_2) / sqrt(var_1 + var_2) (column ``z``), P from Student's t on ``df`` degrees of freedom
    (pROC's). Columns: :data:`BETWEEN_COLUMNS`.
    """
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    return _between(scores, parts, _directions("delong_between_cohorts", data, outcome, scores, cohort_col,
                                               train_cohort, directions))


def roc_curves(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None = None,
               train_cohort: str | None = None, directions: dict[str, str] | None = None,
               cohorts: list[str] | None = None) -> pd.DataFrame:
    """The ROC curve points (pROC) of every model in every cohort, direction fixed per model.

    Columns: model, cohort, threshold, sensitivity, specificity.
    """
    scores, parts = _prepare(data, outcome, scores, cohort_col, train_cohort, cohorts)
    return _curves(scores, parts, _directions("roc_curves", data, outcome, scores, cohort_col, train_cohort,
                                              directions))
