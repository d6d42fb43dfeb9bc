"""Feature reproducibility by the intraclass correlation coefficient (ICC), per feature, with pingouin.

Each reader (or repeat) gives a feature table with the same patient ids and feature columns. For every
feature, :func:`icc_table` calls ``pingouin.intraclass_corr`` on the long table (target = patient,
rater = reader) and keeps the row of the chosen ICC form. Rows are chosen by definition, not by one
version's ``Type`` label, since labels changed across versions (0.5's ``ICC2`` is 0.7's ``ICC(A,1)``):
by pingouin's ``Description`` where it has one (0.5), else by the label set of every version, and always
checked against the form's error degrees of freedom (one-way n(k-1), two-way (n-1)(k-1)):

=================  ================================  ===========================  ===================
``icc_type``       model                              Shrout & Fleiss (1979)       pingouin 0.5 Description
=================  ================================  ===========================  ===================
ICC(1,1)           one-way random, single rater       ICC(1,1)                     Single raters absolute
ICC(A,1) default   two-way random, absolute, single   ICC(2,1)                     Single random raters
ICC(C,1)           two-way mixed, consistency, single ICC(3,1)                     Single fixed raters
ICC(1,k)           one-way random, mean of k          ICC(1,k)                     Average raters absolute
ICC(A,k)           two-way random, absolute, mean k   ICC(2,k)                     Average random raters
ICC(C,k)           two-way mixed, consistency, mean k ICC(3,k)                     Average fixed raters
=================  ================================  ===========================  ===================

Default ``ICC(A,1)`` (= ICC(2,1)): the readers are a sample of the readers who would use the signature, a
feature must agree in absolute value (not only in rank) to be reproducible, and one reader's value is
what enters the model (Koo & Li 2016, J Chiropr Med 15:155, guideline for choosing the ICC form). Formula
(McGraw & Wong 1996): ``(MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n)``; 95% CI from pingouin (F based).

A feature that is constant across all readings gets ICC NaN with note "constant" (0/0: agreement is not
measurable); a feature with missing values gets NaN with the ids that lack values. Neither passes
:func:`reproducible_features`.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import InputError

# Canonical type -> pingouin Description (the definition).
ICC_DESCRIPTIONS = {
    "ICC(1,1)": "Single raters absolute",
    "ICC(A,1)": "Single random raters",
    "ICC(C,1)": "Single fixed raters",
    "ICC(1,k)": "Average raters absolute",
    "ICC(A,k)": "Average random raters",
    "ICC(C,k)": "Average fixed raters",
}
ALIASES = {
    "ICC1": "ICC(1,1)", "ICC(1,1)": "ICC(1,1)",
    "ICC2": "ICC(A,1)", "ICC(2,1)": "ICC(A,1)", "ICC(A,1)": "ICC(A,1)",
    "ICC3": "ICC(C,1)", "ICC(3,1)": "ICC(C,1)", "ICC(C,1)": "ICC(C,1)",
    "ICC1K": "ICC(1,k)", "ICC(1,K)": "ICC(1,k)",
    "ICC2K": "ICC(A,k)", "ICC(2,K)": "ICC(A,k)", "ICC(A,K)": "ICC(A,k)",
    "ICC3K": "ICC(C,k)", "ICC(3,K)": "ICC(C,k)", "ICC(C,K)": "ICC(C,k)",
}
DEFAULT_TYPE = "ICC(A,1)"


def canonical_type(icc_type: str) -> str:
    key = str(icc_type).replace(" ", "").upper()
    if key not in ALIASES:
        raise InputError(f"unknown ICC type {icc_type!r}",
                         f"use one of {', '.join(ICC_DESCRIPTIONS)} (or Shrout-Fleiss ICC(2,1), ICC(3,k), ...)")
    return ALIASES[key]


# pingouin's Type labels for each form, across versions (0.5: ICC1 ... ICC3k; 0.7: ICC(1,1) ... ICC(C,k)).
PINGOUIN_LABELS = {
    "ICC(1,1)": {"ICC1", "ICC(1,1)"}, "ICC(A,1)": {"ICC2", "ICC(A,1)", "ICC(2,1)"},
    "ICC(C,1)": {"ICC3", "ICC(C,1)", "ICC(3,1)"}, "ICC(1,k)": {"ICC1k", "ICC(1,k)"},
    "ICC(A,k)": {"ICC2k", "ICC(A,k)", "ICC(2,k)"}, "ICC(C,k)": {"ICC3k", "ICC(C,k)", "ICC(3,k)"},
}


def _pingouin_row(result: pd.DataFrame, canonical: str, n: int, k: int) -> pd.Series:
    """pingouin's row for ``canonical``: by its Description (the definition) where pingouin gives one
    (0.5), else by the version's label; then checked against the definition's error degrees of freedom
    (one-way: n (k - 1); two-way: (n - 1)(k - 1)), so a relabelled row cannot slip through."""
    if "Description" in result.columns:
        desc = result["Description"].astype(str).str.strip().str.lower()
        hit = result[desc == ICC_DESCRIPTIONS[canonical].lower()]
    else:
        hit = result[result["Type"].astype(str).str.strip().isin(PINGOUIN_LABELS[canonical])]
    df2 = n * (k - 1) if canonical.startswith("ICC(1,") else (n - 1) * (k - 1)
    if len(hit) != 1 or int(hit["df2"].iloc[0]) != df2:  # pragma: no cover - an unknown pingouin layout
        raise InputError(f"pingouin's ICC output has no row matching {canonical} "
                         f"({ICC_DESCRIPTIONS[canonical]})",
                         "install pingouin 0.5 to 0.7, whose rows eprstats maps by definition")
    return hit.iloc[0]


def icc_single(long: pd.DataFrame, icc_type: str = DEFAULT_TYPE, *, targets="id", raters="reader",
               ratings="value") -> dict:
    """ICC of one feature from a long table (one row per target and rater)."""
    import pingouin as pg
    canonical = canonical_type(icc_type)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pg.intraclass_corr(data=long, targets=targets, raters=raters, ratings=ratings)
    row = _pingouin_row(result, canonical, long[targets].nunique(), long[raters].nunique())
    lo, hi = (float(v) for v in row["CI95%" if "CI95%" in row.index else "CI95"])
    return {"icc": float(row["ICC"]), "ci_low": lo, "ci_high": hi, "F": float(row["F"]),
            "df1": int(row["df1"]), "df2": int(row["df2"]), "p": float(row["pval"])}


def _check_tables(ratings: dict, id_col: str, features) -> tuple[list, list]:
    if not isinstance(ratings, dict) or len(ratings) < 2:
        raise InputError("ICC needs at least two readings (readers or repeats)",
                         "give one feature table per reader or repeat")
    names = list(ratings)
    for name, frame in ratings.items():
        if id_col not in frame.columns:
            raise InputError(f"the id column {id_col!r} is missing from reading {name!r}",
                             "give the patient id column's name (--id)", file=str(name), column=id_col)
        dup = frame[id_col][frame[id_col].duplicated()].astype(str)
        if len(dup):
            raise InputError(f"reading {name!r} has repeated ids: {', '.join(dup.unique()[:5])}",
                             "one row per patient", file=str(name), patient=str(dup.iloc[0]))
    ids0 = set(ratings[names[0]][id_col].astype(str))
    for name in names[1:]:
        ids = set(ratings[name][id_col].astype(str))
        if ids != ids0:
            only_a, only_b = sorted(ids0 - ids), sorted(ids - ids0)
            raise InputError(f"ids differ between readings {names[0]!r} and {name!r}: only in {names[0]!r}: "
                             f"{', '.join(only_a[:5]) or 'none'}{' ...' if len(only_a) > 5 else ''}; only in "
                             f"{name!r}: {', '.join(only_b[:5]) or 'none'}{' ...' if len(only_b) > 5 else ''}",
                             "give tables for the same patients (the ICC compares each patient's readings)",
                             file=str(name), patient=(only_a or only_b)[0], column=id_col)
    if len(ids0) < 2:
        raise InputError(f"the readings hold {len(ids0)} patient(s)", "ICC needs at least 2 patients")
    if features is None:
        cols = [c for c in ratings[names[0]].columns if c != id_col]
        for name in names[1:]:
            other = [c for c in ratings[name].columns if c != id_col]
            if set(other) != set(cols):
                a, b = sorted(set(cols) - set(other)), sorted(set(other) - set(cols))
                raise InputError(f"feature columns differ between readings {names[0]!r} and {name!r}: only in "
                                 f"{names[0]!r}: {', '.join(map(str, a[:5])) or 'none'}; only in {name!r}: "
                                 f"{', '.join(map(str, b[:5])) or 'none'}",
                                 "extract the same features for every reading, or list the features to compare",
                                 file=str(name), column=str((a or b)[0]))
        features = [c for c in cols if pd.api.types.is_numeric_dtype(ratings[names[0]][c])]
        if not features:
            raise InputError("the readings have no numeric feature column", "give feature tables")
    else:
        for name in names:
            missing = [f for f in features if f not in ratings[name].columns]
            if missing:
                raise InputError(f"feature(s) missing from reading {name!r}: {', '.join(map(str, missing[:5]))}",
                                 "list features present in every reading", file=str(name), column=str(missing[0]))
    return names, list(features)


def icc_table(ratings: dict, id_col: str = "id", icc_type: str = DEFAULT_TYPE, features=None) -> pd.DataFrame:
    """Per-feature ICC with 95% CI across the readings in ``ratings`` ({reading name: feature table}).

    Returns feature, icc_type, icc, ci_low, ci_high, F, df1, df2, p, n_ids, n_readings, note.

    Example (Shrout & Fleiss 1979, 6 targets x 4 judges: ICC(2,1) = 0.29)::

        >>> icc_table({"J1": j1, "J2": j2, "J3": j3, "J4": j4}, id_col="target")   # doctest: +SKIP
    """
    canonical = canonical_type(icc_type)
    names, features = _check_tables(ratings, id_col, features)
    ids = sorted(set(ratings[names[0]][id_col].astype(str)))
    aligned = {name: frame.assign(**{id_col: frame[id_col].astype(str)}).set_index(id_col).loc[ids]
               for name, frame in ratings.items()}
    rows = []
    for feat in features:
        block = np.column_stack([pd.to_numeric(aligned[n][feat], errors="coerce").to_numpy(dtype=float)
                                 for n in names])
        base = {"feature": feat, "icc_type": canonical, "n_ids": len(ids), "n_readings": len(names)}
        nan = dict(icc=np.nan, ci_low=np.nan, ci_high=np.nan, F=np.nan, df1=np.nan, df2=np.nan, p=np.nan)
        bad = ~np.isfinite(block)
        if bad.any():
            lacking = [ids[i] for i in np.flatnonzero(bad.any(axis=1))]
            rows.append({**base, **nan, "note": f"missing or infinite values for {len(lacking)} id(s): "
                                                f"{', '.join(lacking[:5])}{' ...' if len(lacking) > 5 else ''}"})
            continue
        if np.ptp(block) == 0:
            rows.append({**base, **nan, "note": "constant across all readings (ICC undefined)"})
            continue
        long = pd.DataFrame({"id": np.repeat(ids, len(names)), "reader": np.tile(names, len(ids)),
                             "value": block.ravel()})
        row = {**base, **icc_single(long, canonical), "note": ""}
        if (block == block[:, :1]).all():
            # Every reading identical (often the same file given twice): no disagreement, F is infinite and
            # pingouin's F-based CI is NaN; its limit is [1, 1].
            row.update(ci_low=1.0, ci_high=1.0, note="identical in every reading (no disagreement): CI [1, 1]")
        rows.append(row)
    cols = ["feature", "icc_type", "icc", "ci_low", "ci_high", "F", "df1", "df2", "p", "n_ids", "n_readings",
            "note"]
    return pd.DataFrame(rows, columns=cols)


def reproducible_features(inter: pd.DataFrame, intra: pd.DataFrame, threshold: float = 0.8) -> list:
    """Features whose inter- and intra-observer ICC both exceed ``threshold`` (strictly), in ``inter``'s order.

    The paper: "only the features with both inter- and intra-ICCs > 0.80 were [...] chosen". NaN ICCs
    (constant or incomplete features) never pass.
    """
    for label, tab in (("inter", inter), ("intra", intra)):
        if not {"feature", "icc"} <= set(tab.columns):
            raise InputError(f"the {label}-observer table lacks 'feature' and 'icc' columns",
                             "give icc_table() outputs")
    intra_icc = dict(zip(intra["feature"], intra["icc"]))
    return [f for f, v in zip(inter["feature"], inter["icc"])
            if v > threshold and intra_icc.get(f, np.nan) > threshold]
