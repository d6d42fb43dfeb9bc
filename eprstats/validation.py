"""Input checks in one place, called at every boundary (CLI, Python API, study file).

Modelled on scikit-learn's ``utils/validation.py``: each analysis asks this module for its cohorts, its
outcome, its scores or probabilities and its predictor frame, and gets them back checked and normalised, or an
:class:`~eprstats.errors.InputError` that names the file, column, patient or cohort and the fix. Nothing here
drops, renames or re-codes a value silently:

* cohort labels are text; an empty cell, or two spellings that differ only by case or surrounding white space
  (``training`` / ``training `` / ``Training``), are errors naming the rows or both spellings;
* ids are text exactly as written (``00001`` stays ``00001``); an empty id is an error;
* an outcome is 0/1; a score, probability or predictor is a finite number.

The logit and its inverse live here too, so that every stage transforms probabilities the same way.
"""
from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from .errors import InputError

#: probabilities are clipped to [EPS, 1 - EPS] before the logit (a signature's rad-score)
EPS = 1e-12


# --------------------------------------------------------------------------------------------------- names

def closest(name, candidates, n: int = 3) -> list[str]:
    """The candidates nearest to ``name`` (case-insensitive), best first; for 'did you mean' messages."""
    cands = [str(c) for c in candidates]
    lower = {c.lower(): c for c in cands}
    hits = difflib.get_close_matches(str(name).lower(), list(lower), n=n, cutoff=0.5)
    return [lower[h] for h in hits]


def _available(columns, name) -> str:
    near = closest(name, columns)
    listed = ", ".join(map(str, columns))
    # "Age" and "years" split from the column "Age, years" by a comma-separated option
    comma = [c for c in map(str, columns) if "," in c and str(name).strip() in [p.strip() for p in c.split(",")]]
    hint = (f"the column {comma[0]!r} holds a comma: in a comma-separated option write it in double quotes, e.g. "
            f"'\"{comma[0]}\"'; " if comma else "")
    return hint + (f"did you mean {', '.join(repr(c) for c in near)}? " if near else "") + \
        f"available columns: {listed}"


def check_columns(data: pd.DataFrame, columns, what: str, *, file: str | None = None) -> None:
    """Every name in ``columns`` is a column of ``data``; else an error naming the first missing one and
    the closest existing names."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(f"{what} column(s) {missing} not found in the table", _available(data.columns, missing[0]),
                         column=str(missing[0]), file=file, model=str(missing[0]) if what == "score" else None)


def check_conf_level(conf_level) -> float:
    level = float(conf_level)
    if not 0 < level < 1:
        raise InputError(f"confidence level {conf_level!r} is not between 0 and 1", "e.g. --conf-level 0.95")
    return level


# the API's argument checks (one boundary, by kind) live in .arguments; imported here so that every stage asks
# this module for its inputs
from .arguments import arguments, check_argument  # noqa: E402,F401


# ------------------------------------------------------------------------------------------ ids and cohorts

def bootstrap_seed(seed, default: int) -> int:
    """The seed of a bootstrap (``default`` when None); anything but an integer is refused."""
    seed = default if seed is None else seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise InputError(f"the bootstrap seed must be an integer, not {seed!r}", "e.g. --seed 1234")
    return int(seed)


def _row_list(index, limit: int = 8) -> str:
    rows = [str(i + 2) if isinstance(i, (int, np.integer)) else str(i) for i in list(index)[:limit]]
    more = f" and {len(index) - limit} more" if len(index) > limit else ""
    return ", ".join(rows) + more


def id_labels(values, column: str = "id", *, file: str | None = None) -> pd.Series:
    """Patient ids as text exactly as written (``00001``, ``1.0``, ``NA`` stay so); an empty id is an error.

    Read the table with ids as text (:func:`eprstats.fileio.read_csv` ``text_columns``) so that the CSV reader
    never turns ``00001`` into 1; here floats that pandas already made are refused rather than guessed back."""
    series = pd.Series(values)
    empty = series.isna() | (series.astype(str).str.strip() == "")
    if empty.any():
        raise InputError(f"{int(empty.sum())} empty patient id(s) (table rows {_row_list(series.index[empty])})",
                         "give every patient an id", column=column, file=file)
    return series.astype(str)


def cohort_labels(data: pd.DataFrame, cohort_col: str, *, id_col: str | None = None,
                  file: str | None = None) -> pd.Series:
    """The cohort column as text, checked: no empty cell, no two spellings of one label.

    An empty cell would otherwise become a cohort called ``nan`` with its own AUC; ``training `` beside
    ``training`` would silently leave patients out of the training cohort."""
    check_columns(data, [cohort_col], "cohort", file=file)
    raw = data[cohort_col]
    text = raw.astype(str)
    empty = raw.isna() | (text.str.strip() == "")
    if empty.any():
        where = (f"patients {', '.join(map(str, data.loc[empty, id_col].astype(str).head(8)))}"
                 if id_col and id_col in data.columns else f"table rows {_row_list(data.index[empty])}")
        raise InputError(f"{int(empty.sum())} patient(s) have no cohort ({where})",
                         "fill in the cohort of every patient, or remove those rows", column=cohort_col, file=file)
    spellings: dict[str, list[str]] = {}
    for label in dict.fromkeys(text):
        spellings.setdefault(label.strip().casefold(), []).append(label)
    clash = [v for v in spellings.values() if len(v) > 1]
    if clash:
        shown = "; ".join(" vs ".join(repr(s) for s in v) for v in clash)
        raise InputError(f"cohort labels that differ only by case or surrounding spaces: {shown}",
                         "write each cohort's label the same way in every row", column=cohort_col, file=file)
    return text


def split_cohorts(data: pd.DataFrame, cohort_col: str | None, train_cohort: str | None = None,
                  cohorts=None, *, require_train: bool = False, id_col: str | None = None,
                  file: str | None = None) -> list[tuple[str, pd.DataFrame]]:
    """``[(name, rows), ...]``: the training cohort first, then the others (``cohorts`` order, or order of
    appearance). Without a cohort column the whole table is one cohort named ``train_cohort`` or ``"all"``.

    The one cohort splitter of the package: every analysis that works per cohort calls it, so that every
    one refuses the same bad labels (see :func:`cohort_labels`)."""
    if cohort_col is None:
        return [(str(train_cohort) if train_cohort else "all", data)]
    labels = cohort_labels(data, cohort_col, id_col=id_col, file=file)
    present = list(dict.fromkeys(labels))
    if train_cohort is None and require_train:
        raise InputError("the training cohort is not named", "give the cohort the model is fitted on "
                         "(--train-cohort)", column=cohort_col, file=file)
    if train_cohort is not None and str(train_cohort) not in present:
        near = closest(train_cohort, present)
        raise InputError(f"training cohort {train_cohort!r} not found in column {cohort_col!r}",
                         (f"did you mean {near[0]!r}? " if near else "") + f"cohorts present: {', '.join(present)}",
                         column=cohort_col, cohort=str(train_cohort), file=file)
    order = [str(c) for c in cohorts] if cohorts else present
    unknown = [c for c in order if c not in present]
    if unknown:
        raise InputError(f"cohort(s) {unknown} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(present)}", column=cohort_col, cohort=unknown[0], file=file)
    if train_cohort is not None:
        order = [str(train_cohort)] + [c for c in order if c != str(train_cohort)]
    return [(c, data[labels == c]) for c in order]


# -------------------------------------------------------------------------------------------------- values

#: how the event is named where the outcome is not coded 0/1, shown in every refusal
EVENT_FIX = ("name the value that marks the event: --event VALUE on the command line, event=VALUE in Python, "
             "outcome_event: VALUE in the study file; or recode the column as 0/1 (0 no event, 1 event)")


def _same_value(values: pd.Series, event) -> pd.Series:
    """Which cells equal ``event``: as written (text), or as numbers when both are numbers (``--event 1``
    arrives as text and names the value 1 of a numeric column, ``1.0`` too)."""
    text = values.astype(str).str.strip() == str(event).strip()
    number = pd.to_numeric(pd.Series([event]), errors="coerce").iloc[0]
    numeric = pd.to_numeric(values, errors="coerce")
    if not np.isnan(number) and numeric.notna().all():
        return text | (numeric == number)
    return text


def event_indicator(values, event=None, *, outcome: str = "outcome", cohort: str | None = None,
                    file: str | None = None) -> pd.Series:
    """The outcome as a 0/1 series (missing cells stay missing), by the package's one event rule.

    * Without ``event`` the outcome must already be coded 0/1 (or True/False); any other coding (``EPR`` /
      ``Non-EPR``, 1/2, yes/no) is refused, because which value is the event cannot be read from the values:
      sorting would make ``EPR`` the non-event, and a label given for display must never decide it.
    * With ``event`` the outcome may hold two values, one of them ``event``: the patients with that value are
      1, the others 0. A value not in the column, or a third value, is refused."""
    series = pd.Series(values)
    known = series.dropna()
    found = sorted(map(str, pd.unique(known)))
    if event is None:
        if series.dtype == bool:
            return series.astype(int)
        numeric = pd.to_numeric(known, errors="coerce")
        if numeric.isna().any() or not set(np.unique(numeric)).issubset({0, 1}):
            raise InputError(f"the outcome must be coded 0 (no event) / 1 (event), but it holds {found[:6]}; "
                             "which value is the event is never guessed", EVENT_FIX, column=outcome, cohort=cohort,
                             file=file)
        return pd.to_numeric(series, errors="coerce")
    if isinstance(event, (list, tuple, set, dict, pd.Series, np.ndarray)) or isinstance(event, float) and \
            not np.isfinite(event):
        raise InputError(f"the event must be one value of the outcome column, not {event!r}", EVENT_FIX,
                         column=outcome)
    is_event = _same_value(known, event)
    if not is_event.any():
        raise InputError(f"the event value {event!r} does not occur in the outcome column (values: {found[:6]})",
                         "give one of the column's values as the event (--event / event= / outcome_event:)",
                         column=outcome, cohort=cohort, file=file)
    others = sorted(map(str, pd.unique(known[~is_event])))
    if len(others) > 1:
        raise InputError(f"the outcome has {len(found)} values {found[:6]}: with the event {event!r} the other "
                         f"patients would mix {others[:5]}", "use a two-valued outcome column (the event and one "
                         "other value)", column=outcome, cohort=cohort, file=file)
    out = pd.Series(np.where(series.isna(), np.nan, 0.0), index=series.index)
    out[is_event[is_event].index] = 1.0
    return out


def with_event(data, outcome, event=None, *, file: str | None = None):
    """``data`` with its outcome column as 0/1 by :func:`event_indicator` (a copy; ``data`` itself when the
    column is already 0/1 and no event is named). Call it where a function first sees its table."""
    if not isinstance(data, pd.DataFrame) or outcome not in getattr(data, "columns", ()):
        return data
    coded = event_indicator(data[outcome], event, outcome=str(outcome), file=file)
    if event is None:
        return data
    data = data.copy()
    data[outcome] = coded.astype(int) if coded.notna().all() else coded
    return data


def binary_outcome(values, outcome: str = "outcome", cohort: str | None = None, event=None) -> np.ndarray:
    """The outcome as 0/1 integers (the event named by ``event`` where the column is not 0/1, see
    :func:`event_indicator`); a missing value or another coding is an InputError naming the column."""
    series = pd.Series(values)
    if series.isna().any():
        raise InputError(f"outcome column has {int(series.isna().sum())} missing value(s)",
                         "fill in or drop those patients before the analysis", column=outcome, cohort=cohort)
    return event_indicator(series, event, outcome=outcome, cohort=cohort).astype(int).to_numpy()


def both_classes(y: np.ndarray, purpose: str, *, outcome: str | None = None, model: str | None = None,
                 cohort: str | None = None) -> np.ndarray:
    """``y`` unchanged when it holds events and non-events; ``purpose`` says what needs both."""
    events = int(np.sum(y))
    if events == 0 or events == len(y):
        kind = "no events (all 0)" if events == 0 else "only events (all 1)"
        raise InputError(f"the cohort has {kind} among {len(y)} patients: {purpose} need(s) both outcome classes",
                         "check the cohort column and the outcome coding, or leave this cohort out",
                         model=model, cohort=cohort, column=outcome)
    return y


def decimal_comma(values) -> str:
    """A hint when text values are numbers written with a decimal comma (``1,5``; a ';'-separated export of a
    European spreadsheet), else ''. Appended to every 'not numbers' message, so the cause is named."""
    text = pd.Series(values).dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return ""
    pattern = r"[-+]?\d{1,3}(\.\d{3})*,\d+|[-+]?\d+,\d+|[-+]?\d+"
    looks = text.str.fullmatch(pattern)
    commas = text.str.contains(",", regex=False)
    if not (looks.all() and commas.any()):
        return ""
    example = text[commas].iloc[0]
    return (f" (values such as {example!r} are numbers written with a decimal comma: read as text, not as "
            f"numbers; re-export the table with decimal points ({example.replace('.', '').replace(',', '.')}), "
            "e.g. in Excel with the '.' decimal separator, or convert the column)")


def finite_values(values, *, noun: str, plural: str, column_word: str, fix: str,
                  model: str | None, cohort: str | None) -> np.ndarray:
    """A model's column as finite floats; text, NaN and infinite values raise an error that counts
    them and names the model and cohort (scores, probabilities)."""
    series = pd.Series(values).reset_index(drop=True)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    text = int((series.notna() & np.isnan(numbers)).sum())
    if text:
        raise InputError(f"{text} {noun} value(s) are not numbers{decimal_comma(series)}",
                         f"the {column_word} column must hold numbers only", model=model, cohort=cohort,
                         column=model)
    n_nan, n_inf = int(np.isnan(numbers).sum()), int(np.isinf(numbers).sum())
    if n_nan or n_inf:
        raise InputError(f"{n_nan} missing (NaN) and {n_inf} infinite {plural}", fix,
                         model=model, cohort=cohort, column=model)
    return numbers


def scores(values, model: str, cohort: str | None) -> np.ndarray:
    """A model's scores (any real scale) as finite floats."""
    return finite_values(values, noun="score", plural="score value(s)", column_word="score",
                         fix="score every patient with a finite value, or drop the patients without a score",
                         model=model, cohort=cohort)


#: the one rule for predicted probabilities of exactly 0 or 1 in calibration, NRI/IDI and decision curves (#21):
#: refused, naming the patients. Such a value claims certainty; its logit is infinite, and clipping it silently to
#: a tiny number (1e-12, or R's 1e-300) lets one patient move a calibration slope (0.27 to 2.02 in #21's example).
#: Whether to clip, and to what, is the analyst's decision, to be reported; eprstats never makes it silently.
CERTAIN_FIX = ("check how the column was made (rounded, or a 0/1 class prediction rather than a probability?); "
               "if the values are right, clip them yourself, e.g. to [1e-6, 1 - 1e-6], and report it in the methods "
               "(eprstats never clips silently)")


def refuse_certain(values: np.ndarray, rows=None, *, model: str | None, cohort: str | None,
                   made_by: str | None = None) -> None:
    """The rule above: an InputError naming the patients (table rows, or ``rows``' labels) whose predicted
    probability is exactly 0 or 1. ``made_by``: the model whose fit predicted them (then the fix is about the
    predictors, not the column)."""
    certain = (values == 0) | (values == 1)
    if not certain.any():
        return
    labels = pd.Index(rows if rows is not None else range(len(values)))[certain]
    zeros, ones = int((values == 0).sum()), int((values == 1).sum())
    what = f"{zeros} of exactly 0 and {ones} of exactly 1" if zeros and ones else \
        f"{zeros or ones} of exactly {0 if zeros else 1}"
    if made_by:
        problem = (f"the training fit of {made_by!r} predicts probabilities {what} (in floating point) for the "
                   f"patients in table rows {_row_list(labels)}: their predictor values are extreme")
        fix = ("check those patients' predictor values (an outlier, a unit error?) and the model for separation; "
               "eprstats does not clip a predicted certainty")
    else:
        problem = (f"{int(certain.sum())} predicted probabilities are exactly 0 or 1 ({what}; table rows "
                   f"{_row_list(labels)}): a certainty has an infinite logit, and calibration, NRI/IDI and decision "
                   "curves refuse it alike")
        fix = CERTAIN_FIX
    raise InputError(problem, fix, model=model, cohort=cohort, column=None if made_by else model)


def probabilities(p, model: str | None = None, cohort: str | None = None, open_interval: bool = False,
                  n: int | None = None, rows=None) -> np.ndarray:
    """Predicted probabilities as floats: finite, within [0, 1]; with ``open_interval`` within (0, 1), by the
    rule of :func:`refuse_certain` (``rows``: the patients' table rows, default ``p``'s index)."""
    if rows is None and isinstance(p, pd.Series):
        rows = p.index
    values = finite_values(p, noun="predicted probability", plural="predicted probabilities",
                           column_word="probability",
                           fix="give every patient a finite predicted probability, or drop those patients",
                           model=model, cohort=cohort)
    outside = (values < 0) | (values > 1)
    if outside.any():
        raise InputError(f"{int(outside.sum())} predicted probabilities lie outside [0, 1] (e.g. "
                         f"{values[outside][0]:.4g}); this looks like a score or linear predictor",
                         "convert scores to probabilities first (p = 1 / (1 + exp(-lp))) or pass the "
                         "model's probability column", model=model, cohort=cohort, column=model)
    if open_interval:
        refuse_certain(values, rows, model=model, cohort=cohort)
    if n is not None and len(values) != n:
        raise InputError(f"{len(values)} predicted probabilities for {n} outcomes",
                         "give one probability per patient", model=model, cohort=cohort)
    return values


def predictor_list(predictors, outcome: str, *, model: str | None = None) -> list[str]:
    """The predictor names as a list: at least one, none twice, not the outcome itself."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    if not predictors:
        raise InputError("no predictors given", "name at least one predictor column", model=model)
    dup = sorted({p for p in predictors if predictors.count(p) > 1})
    if dup:
        raise InputError(f"predictor(s) {dup} listed twice", "list each predictor once", model=model, column=dup[0])
    if outcome in predictors:
        raise InputError(f"the outcome {outcome!r} is listed among the predictors", "remove it from the predictors",
                         model=model, column=outcome)
    return predictors


def predictor_frame(data: pd.DataFrame, predictors, *, model: str | None = None, cohort: str | None = None,
                    categorical: bool = False) -> pd.DataFrame:
    """The predictor columns (index reset), checked: a missing column, a missing or an infinite value is an error
    naming the column. With ``categorical=False`` every column must be numeric and is returned as floats (text is
    an error); with ``categorical=True`` (``rms::lrm``, which takes factors) a text column is kept as text, a
    boolean becomes 0/1 and numbers keep their dtype."""
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    name = model or "+".join(map(str, predictors))
    if not predictors:
        raise InputError("no predictors given", "name at least one predictor column", model=name, cohort=cohort)
    missing = [c for c in predictors if c not in data.columns]
    if missing:
        raise InputError(f"predictor column(s) {missing} not found", _available(data.columns, missing[0]),
                         model=name, cohort=cohort, column=str(missing[0]))
    frame = data[predictors].reset_index(drop=True).copy()
    for col in predictors:
        values = frame[col]
        if values.isna().any():
            raise InputError(f"{int(values.isna().sum())} missing value(s) in predictor {col!r}",
                             "impute or drop those patients first", model=name, cohort=cohort, column=str(col))
        numeric = values.astype(int) if values.dtype == bool else pd.to_numeric(values, errors="coerce")
        if numeric.isna().any():
            if categorical:
                frame[col] = values.astype(str)
                continue
            raise InputError(f"predictor {col!r} has non-numeric values (e.g. {values[numeric.isna()].iloc[0]!r})"
                             f"{decimal_comma(values)}",
                             "recode it as numbers", model=name, cohort=cohort, column=str(col))
        if not np.isfinite(numeric.to_numpy(dtype=float)).all():
            raise InputError(f"infinite value(s) in predictor {col!r}", "replace them with finite values",
                             model=name, cohort=cohort, column=str(col))
        if not categorical:
            frame[col] = numeric.astype(float)
        elif values.dtype == bool:
            frame[col] = numeric
    return frame


# ---------------------------------------------------------------------------------------------- transforms

def logit(p, eps: float = EPS):
    """``log(p / (1 - p))`` after clipping ``p`` to ``[eps, 1 - eps]`` (a signature's rad-score)."""
    if isinstance(p, pd.Series):
        q = p.clip(eps, 1 - eps)
        return np.log(q / (1 - q))
    q = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return np.log(q / (1 - q))


def expit(lp):
    """``1 / (1 + exp(-lp))``: a linear predictor as a probability."""
    if isinstance(lp, pd.Series):
        return 1.0 / (1.0 + np.exp(-lp))
    return 1.0 / (1.0 + np.exp(-np.asarray(lp, dtype=float)))
