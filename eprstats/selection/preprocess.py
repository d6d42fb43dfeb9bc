"""Feature preprocessing fitted on the training cohort only: outliers replaced by the training median,
then z-scoring with the training mean and SD.

The paper: "The abnormal values were replaced by the median, all features were standardized [...] (z-score
normalization)". The rule for "abnormal" is not given; ours is stated and selectable:

* ``outlier_rule="3sd"`` (default): a value is an outlier when it lies beyond the training mean +/- 3 SD
  (SD with n - 1). ``"Nsd"`` (e.g. ``"2.5sd"``) changes the multiplier; ``"none"`` switches it off.
* Outliers, in any cohort, are replaced by the training **median** (of the raw training values).
* z-score: ``z = (x - m) / s`` where ``m`` and ``s`` (n - 1) are the training mean and SD computed **after**
  the outlier replacement, so that the training z-scores have mean 0 and SD 1 exactly.
* Features that are all missing, or constant in training (SD 0 before or after outlier replacement), are
  dropped and listed in :attr:`Preprocessor.dropped` with the reason.

Missing values (NaN) in a kept feature are an error by default (naming the columns and counts); with
``missing="median"`` they are filled with the training median, as the paper's "abnormal values".
Infinite values are always an error. Example::

    >>> pre = fit_preprocessor(train, features)          # doctest: +SKIP
    >>> z_train, z_valid = pre.transform(train), pre.transform(valid)   # doctest: +SKIP
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError


def _rule_multiplier(outlier_rule) -> float | None:
    if outlier_rule is None or str(outlier_rule).lower() == "none":
        return None
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*sd\s*", str(outlier_rule).lower())
    if not match or float(match.group(1)) <= 0:
        raise InputError(f"unknown outlier rule {outlier_rule!r}",
                         "use '3sd' (mean +/- 3 SD), another multiplier such as '2.5sd', or 'none'")
    return float(match.group(1))


def _describe_bad(frame: pd.DataFrame, mask: pd.DataFrame, what: str, limit: int = 8) -> str:
    counts = mask.sum()
    counts = counts[counts > 0]
    items = [f"{c} ({n} value{'s' if n != 1 else ''})" for c, n in counts.items()]
    more = f" and {len(items) - limit} more column(s)" if len(items) > limit else ""
    return f"{what} in {len(items)} column(s): {', '.join(items[:limit])}{more}"


def numeric_features(frame: pd.DataFrame, features, *, cohort: str | None = None,
                     where: str = "table") -> pd.DataFrame:
    """The feature columns as floats, with clear errors for missing or non-numeric columns and infinities."""
    features = list(features)
    if not features:
        raise InputError("no feature columns were given", "list the feature columns", cohort=cohort)
    missing = [f for f in features if f not in frame.columns]
    if missing:
        raise InputError(f"{len(missing)} feature column(s) not found in the {where}: "
                         f"{', '.join(map(str, missing[:8]))}{' ...' if len(missing) > 8 else ''}",
                         "check the feature names, or give a table with the training features", cohort=cohort,
                         column=str(missing[0]))
    if len(set(features)) != len(features):
        dup = sorted({f for f in features if features.count(f) > 1})
        raise InputError(f"feature(s) listed twice: {', '.join(dup)}", "list each feature once", cohort=cohort)
    sub = frame[features]
    bad = [c for c in features if not (pd.api.types.is_numeric_dtype(sub[c]) or sub[c].isna().all())
           or pd.api.types.is_bool_dtype(sub[c])]
    if bad:
        raise InputError(f"feature column(s) are not numeric: {', '.join(map(str, bad[:8]))}",
                         "give numeric features only (remove id, text or date columns from the feature list)",
                         cohort=cohort, column=str(bad[0]))
    values = sub.astype(float)
    inf = np.isinf(values)
    if inf.to_numpy().any():
        raise InputError(_describe_bad(values, inf, "infinite values"),
                         "fix or remove these features before selection (pyradiomics gives inf for some "
                         "degenerate ROIs)", cohort=cohort, column=str(inf.any().idxmax()))
    return values


def _fill_missing(values: pd.DataFrame, missing: str, median: pd.Series, cohort) -> pd.DataFrame:
    na = values.isna()
    if not na.to_numpy().any():
        return values
    if missing == "median":
        return values.fillna(median)
    raise InputError(_describe_bad(values, na, "missing values (NaN)"),
                     "impute or remove them first, or use missing='median' (--missing median) to replace "
                     "them with the training median", cohort=cohort, column=str(na.any().idxmax()))


@dataclass(frozen=True)
class Preprocessor:
    """Training-fitted preprocessing. Apply with :meth:`transform` to any cohort."""

    features: list                   # kept features, in input order
    lower: pd.Series                 # outlier bounds (NaN bounds when the rule is 'none')
    upper: pd.Series
    median: pd.Series                # training medians (outlier and, optionally, missing replacement)
    mean: pd.Series                  # z-score centre (after outlier replacement)
    sd: pd.Series                    # z-score scale (after outlier replacement)
    dropped: pd.DataFrame            # feature, reason
    outlier_rule: str = "3sd"
    missing: str = "error"
    n_train: int = 0
    outliers_train: pd.Series = field(default=None)  # outliers replaced per feature in training

    def transform(self, df: pd.DataFrame, *, cohort: str | None = None) -> pd.DataFrame:
        """Replace outliers by the training median and z-score with the training mean and SD."""
        values = numeric_features(df, self.features, cohort=cohort, where="table to transform")
        values = self._fill_missing(values, cohort)
        if self.outlier_rule != "none":
            outside = (values < self.lower) | (values > self.upper)
            values = values.mask(outside, self.median, axis=1)
        return (values - self.mean) / self.sd

    def _fill_missing(self, values: pd.DataFrame, cohort) -> pd.DataFrame:
        return _fill_missing(values, self.missing, self.median, cohort)

    def summary(self) -> pd.DataFrame:
        """One row per kept feature: bounds, median, mean, SD, outliers replaced in training."""
        return pd.DataFrame({"feature": self.features, "lower": self.lower.to_numpy(),
                             "upper": self.upper.to_numpy(), "median": self.median.to_numpy(),
                             "mean": self.mean.to_numpy(), "sd": self.sd.to_numpy(),
                             "outliers_train": self.outliers_train.to_numpy()})


def _check_finite_moments(values: pd.DataFrame, cohort) -> None:
    """Values near the largest double overflow the mean or SD to infinity, which would silently switch the
    outlier rule and the z-scores off (bounds of +/-inf, z = NaN): name those features instead."""
    with np.errstate(over="ignore", invalid="ignore"):
        moments = pd.concat([values.mean(), values.std(ddof=1)], axis=1)
    bad = list(moments.index[~np.isfinite(moments.to_numpy()).all(axis=1)])
    if bad:
        raise InputError(f"the mean or SD of feature(s) {bad[:5]} is not finite on the training cohort (values too "
                         "large for double precision)", "rescale those features (e.g. take logarithms) or leave them "
                         "out (--exclude)", cohort=cohort, column=str(bad[0]))


def fit_preprocessor(train: pd.DataFrame, features, outlier_rule="3sd", *, missing: str = "error",
                     cohort: str | None = None) -> Preprocessor:
    """Fit the preprocessing on the training cohort (see the module docstring for the rule).

    Returns a :class:`Preprocessor`; ``dropped`` lists all-missing and constant features with the reason.
    Raises InputError for missing/non-numeric columns, infinities, NaN (unless ``missing='median'``),
    and when no feature is left.
    """
    if missing not in ("error", "median"):
        raise InputError(f"unknown missing-value rule {missing!r}", "use 'error' or 'median'")
    k = _rule_multiplier(outlier_rule)
    rule = "none" if k is None else f"{k:g}sd"
    values = numeric_features(train, features, cohort=cohort, where="training table")
    if len(values) < 3:
        raise InputError(f"the training cohort has {len(values)} rows", "selection needs far more patients",
                         cohort=cohort)
    dropped = []
    all_na = values.columns[values.isna().all()]
    dropped += [(f, "all values missing") for f in all_na]
    values = values.drop(columns=all_na)
    values = _fill_missing(values, missing, values.median(), cohort)
    _check_finite_moments(values, cohort)  # before the constant check: an overflowed SD (NaN) looked constant
    raw_sd = values.std(ddof=1)
    constant = raw_sd.index[~(raw_sd > 0)]
    dropped += [(f, "constant in training") for f in constant]
    values = values.drop(columns=constant)

    median = values.median()
    if k is None:
        lower = pd.Series(np.nan, index=values.columns)
        upper = lower.copy()
        replaced = values
        n_out = pd.Series(0, index=values.columns)
    else:
        mean0, sd0 = values.mean(), values.std(ddof=1)
        lower, upper = mean0 - k * sd0, mean0 + k * sd0
        outside = (values < lower) | (values > upper)
        n_out = outside.sum()
        replaced = values.mask(outside, median, axis=1)
    sd = replaced.std(ddof=1)
    flat = sd.index[~(sd > 0)]
    dropped += [(f, f"constant in training after outlier replacement ({rule})") for f in flat]
    keep = [f for f in values.columns if f not in set(flat)]
    order = {f: i for i, f in enumerate(features)}
    dropped_frame = pd.DataFrame(sorted(dropped, key=lambda t: order[t[0]]), columns=["feature", "reason"])
    if not keep:
        raise InputError("no feature is left after dropping all-missing and constant features "
                         f"({len(dropped_frame)} dropped)", "check that the feature table holds real, varying "
                         "values for the training cohort", cohort=cohort)
    return Preprocessor(features=keep, lower=lower[keep], upper=upper[keep], median=median[keep],
                        mean=replaced[keep].mean(), sd=sd[keep], dropped=dropped_frame, outlier_rule=rule,
                        missing=missing, n_train=len(values), outliers_train=n_out[keep])
