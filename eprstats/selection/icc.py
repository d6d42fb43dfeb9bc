"""Feature reproducibility by the intraclass correlation coefficient (ICC), per feature.

Each reader (or repeat) gives a feature table with the same patient ids and feature columns. :func:`icc_table`
stacks them into one (patients x readings x features) array and computes the two-way ANOVA mean squares of
every feature in one numpy pass (:mod:`eprstats.selection.icc_anova`), and from them the chosen ICC form, its
F test and F-based 95% CI. The arithmetic is pingouin's (``pingouin.intraclass_corr``, 0.5-0.7) operation for
operation, patients and readings in pingouin's sorted order, so the ICCs, F and p equal pingouin's bit for bit
(pingouin is the oracle of the tests, no longer called here). The forms, and pingouin's names for them:

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
(McGraw & Wong 1996): ``(MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n)``; 95% CI F-based (Satterthwaite
for the absolute-agreement forms). The tables' ``ci_low``/``ci_high`` are rounded to 2 decimals as pingouin
reports them (the files stay as they were); ``ci_low_full``/``ci_high_full`` hold the same limits at full
precision.

A feature that is constant across all readings gets ICC NaN with note "constant" (0/0: agreement is not
measurable); a feature with missing values gets NaN with the ids that lack values. Neither passes
:func:`reproducible_features`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..rbridge import software_note
from ..results import Result, Table, tidy_frame
from ..validation import arguments, id_labels
from ..paths import safe_component
from .icc_anova import icc_cube, pingouin_ci

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


def icc_single(long: pd.DataFrame, icc_type: str = DEFAULT_TYPE, *, targets="id", raters="reader",
               ratings="value", nan_policy: str = "raise") -> dict:
    """ICC of one feature from a long table (one row per target and rater), as ``pingouin.intraclass_corr``
    computes it: pivoted to targets x raters (repeated cells averaged), then
    :func:`~eprstats.selection.icc_anova.icc_cube`. A target lacking a reading is an error
    (``nan_policy="raise"``, pingouin's default) or dropped (``"omit"``: listwise deletion, as pingouin).
    ``ci_low``/``ci_high`` are rounded to 2 decimals as pingouin reports them; ``ci_low_full``/``ci_high_full``
    are not."""
    canonical = canonical_type(icc_type)
    wide = long.pivot_table(index=targets, columns=raters, values=ratings, observed=True)
    lacking = wide.index[wide.isna().any(axis=1)].astype(str)
    if len(lacking) and nan_policy != "omit":
        raise InputError(f"{len(lacking)} target(s) lack a reading: {', '.join(lacking[:5])}",
                         "give every target a value from every rater, or nan_policy='omit' to drop them",
                         patient=lacking[0], column=str(ratings))
    got = icc_cube(wide.dropna(how="any").to_numpy(dtype=float)[:, :, None], canonical)
    low, high = float(got["ci_low"][0]), float(got["ci_high"][0])
    return {"icc": float(got["icc"][0]), "ci_low": float(pingouin_ci(low)), "ci_high": float(pingouin_ci(high)),
            "F": float(got["F"][0]), "df1": int(got["df1"]), "df2": int(got["df2"]), "p": float(got["p"][0]),
            "ci_low_full": low, "ci_high_full": high}


def _check_tables(ratings: dict, id_col: str, features) -> tuple[list, list]:
    if not isinstance(ratings, dict) or len(ratings) < 2:
        raise InputError("ICC needs at least two readings (readers or repeats)",
                         "give one feature table per reader or repeat")
    names = list(ratings)
    for name, frame in ratings.items():
        if id_col not in frame.columns:
            raise InputError(f"the id column {id_col!r} is missing from reading {name!r}",
                             "give the patient id column's name (--id)", file=str(name), column=id_col)
        id_labels(frame[id_col], id_col, file=str(name))  # an empty id is an error, not a patient 'nan'
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


ICC_COLUMNS = ["feature", "icc_type", "icc", "ci_low", "ci_high", "F", "df1", "df2", "p", "n_ids", "n_readings",
               "note", "ci_low_full", "ci_high_full"]


def _cube(ratings: dict, names: list, id_col: str, ids: list, features: list) -> np.ndarray:
    """(patients x readings x features) array: rows in ``ids`` order, readings in ``names`` order; text
    that is not a number becomes NaN (reported per feature)."""
    blocks = []
    for name in names:
        frame = ratings[name]
        frame = frame.assign(**{id_col: frame[id_col].astype(str)}).set_index(id_col).loc[ids, features]
        if not all(pd.api.types.is_numeric_dtype(t) for t in frame.dtypes):
            frame = frame.apply(pd.to_numeric, errors="coerce")
        blocks.append(frame.to_numpy(dtype=float))
    return np.stack(blocks, axis=1)


def icc_table(ratings: dict, id_col: str = "id", icc_type: str = DEFAULT_TYPE, features=None) -> pd.DataFrame:
    """Per-feature ICC with 95% CI across the readings in ``ratings`` ({reading name: feature table}).

    Every feature at once from the two-way ANOVA mean squares (:func:`~eprstats.selection.icc_anova.icc_cube`,
    formulas there; Shrout & Fleiss 1979, McGraw & Wong 1996): for ICC(A,1)
    ``(MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n)``. Patients and readings are taken in sorted order,
    as pingouin pivots them, so the values equal ``pingouin.intraclass_corr``'s bit for bit.

    Returns feature, icc_type, icc, ci_low, ci_high (2 decimals, as pingouin reports them), F, df1, df2, p,
    n_ids, n_readings, note, ci_low_full, ci_high_full (the same 95% CI at full precision).

    Example (Shrout & Fleiss 1979, 6 targets x 4 judges: ICC(2,1) = 0.29)::

        >>> icc_table({"J1": j1, "J2": j2, "J3": j3, "J4": j4}, id_col="target")   # doctest: +SKIP
    """
    canonical = canonical_type(icc_type)
    names, features = _check_tables(ratings, id_col, features)
    ids = sorted(set(ratings[names[0]][id_col].astype(str)))
    order = [names[j] for j in np.argsort(np.asarray(names), kind="stable")]  # pingouin's pivot sorts raters
    cube = _cube(ratings, order, id_col, ids, features)
    n_feat = len(features)
    out = {"feature": list(features), "icc_type": [canonical] * n_feat}
    for key in ("icc", "ci_low", "ci_high", "F", "df1", "df2", "p", "ci_low_full", "ci_high_full"):
        out[key] = np.full(n_feat, np.nan)
    notes = [""] * n_feat
    bad = ~np.isfinite(cube)
    incomplete = bad.any(axis=(0, 1))
    with np.errstate(invalid="ignore"):
        constant = ~incomplete & (np.ptp(np.where(bad, 0.0, cube), axis=(0, 1)) == 0)
    for j in np.flatnonzero(incomplete):
        lacking = [ids[i] for i in np.flatnonzero(bad[:, :, j].any(axis=1))]
        notes[j] = (f"missing or infinite values for {len(lacking)} id(s): "
                    f"{', '.join(lacking[:5])}{' ...' if len(lacking) > 5 else ''}")
    for j in np.flatnonzero(constant):
        notes[j] = "constant across all readings (ICC undefined)"
    good = ~incomplete & ~constant
    if good.any():
        got = icc_cube(cube[:, :, good], canonical)
        for key in ("icc", "F", "df1", "df2", "p"):
            out[key][good] = got[key]
        out["ci_low_full"][good], out["ci_high_full"][good] = got["ci_low"], got["ci_high"]
        # Every reading identical (often the same file given twice): no disagreement, F is infinite and the
        # F-based CI undefined; its limit is [1, 1].
        same = good & (cube == cube[:, :1, :]).all(axis=(0, 1))
        for key in ("ci_low_full", "ci_high_full"):
            out[key][same] = 1.0
        for j in np.flatnonzero(same):
            notes[j] = "identical in every reading (no disagreement): CI [1, 1]"
        out["ci_low"], out["ci_high"] = pingouin_ci(out["ci_low_full"]), pingouin_ci(out["ci_high_full"])
    table = pd.DataFrame({**out, "n_ids": len(ids), "n_readings": len(names), "note": notes}, columns=ICC_COLUMNS)
    if good.all():  # degrees of freedom are integers (a NaN row makes the column float, as before)
        table[["df1", "df2"]] = table[["df1", "df2"]].astype(int)
    return table


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


# ------------------------------------------------------------------------------------------------ result

@dataclass(frozen=True)
class ICCReadings:
    """One ROI's ICC tables (or, for :meth:`ICCResult.without_readings`, none)."""

    roi: str | None
    features: list                      #: the features compared
    inter: pd.DataFrame | None          #: per-feature ICC across the readings (inter-observer, or the only one)
    intra: pd.DataFrame | None = None   #: per-feature ICC across the repeated readings (intra-observer)
    kept: list | None = None            #: features above the threshold in every comparison; None: no threshold
    n_patients: int | None = None
    note: str = ""


#: each ICC form in words (McGraw & Wong 1996; Shrout & Fleiss 1979), for the summary's note
ICC_WORDS = {"ICC(1,1)": "one-way random effects, single rater", "ICC(1,k)": "one-way random effects, mean of k raters",
             "ICC(A,1)": "two-way random effects, absolute agreement, single rater",
             "ICC(A,k)": "two-way random effects, absolute agreement, mean of k raters",
             "ICC(C,1)": "two-way mixed effects, consistency, single rater",
             "ICC(C,k)": "two-way mixed effects, consistency, mean of k raters"}


def icc_note(result, both: str) -> str:
    """The ICC summary's methods, in words a methods section quotes, with the software versions."""
    return (f"{result.icc_type} ({ICC_WORDS[result.icc_type]}; McGraw & Wong 1996) of every feature from the "
            "two-way ANOVA mean squares, with its 95% CI from the F distribution (Satterthwaite's df for absolute "
            f"agreement), computed by eprstats (equal to pingouin.intraclass_corr); a feature is kept when its "
            f"{both}ICC exceeds {result.threshold:g}. {software_note(python=('numpy', 'scipy'))}")


@dataclass(frozen=True, repr=False)  # Result's short repr, not every frame
class ICCResult(Result):
    """Per-feature ICCs of one or several ROIs, and the features kept.

    ``tables()`` (``name`` = ``icc``): one ICC table per ROI and comparison (``icc``, or ``icc_inter_ROI`` and
    ``icc_intra_ROI``), numeric; with a threshold also ``icc_dropped`` (numeric) and ``icc_summary``
    (publication). :meth:`~eprstats.results.Result.write` can put the numeric tables in another folder
    (``numeric_dir``)."""

    analysis = "icc"

    readings: tuple
    threshold: float | None
    icc_type: str
    settings: dict = field(default_factory=dict)
    name: str = "icc"                   #: file stem of the tables

    # ---- accessors
    def _single(self) -> ICCReadings:
        if len(self.readings) != 1:
            raise AttributeError(f"the result holds {len(self.readings)} ROIs: use .readings or .kept_by_roi")
        return self.readings[0]

    @property
    def inter(self) -> pd.DataFrame | None:
        """The per-feature ICC table (inter-observer, or the only comparison) of a one-ROI result."""
        return self._single().inter

    @property
    def intra(self) -> pd.DataFrame | None:
        return self._single().intra

    @property
    def kept(self) -> list | None:
        """The features kept (one-ROI result)."""
        return self._single().kept

    @property
    def kept_by_roi(self) -> dict:
        return {r.roi: list(r.kept) for r in self.readings if r.kept is not None}

    @property
    def dropped(self) -> pd.DataFrame:
        """The features not kept, with their ICCs and the reason."""
        two = any(r.intra is not None for r in self.readings)
        named = any(r.roi is not None for r in self.readings)
        cols = ["roi"] * named + ["feature"] + (["icc_inter", "icc_intra"] if two else ["icc"]) + ["reason"]
        rows = []
        for r in self.readings:
            if r.inter is None or r.kept is None:
                continue
            intra = dict(zip(r.intra["feature"], r.intra["icc"])) if r.intra is not None else {}
            for feat, value in zip(r.inter["feature"], r.inter["icc"]):
                if feat in r.kept:
                    continue
                icc = {"icc_inter": value, "icc_intra": intra.get(feat, np.nan)} if two else {"icc": value}
                rows.append({"roi": r.roi, "feature": feat, **icc,
                             "reason": f"ICC <= {self.threshold:g} (or undefined)"})
        return pd.DataFrame(rows, columns=cols)

    def icc_summary(self) -> pd.DataFrame:
        """Per ROI: features, kept, patients (and a note when the ROI had no repeated readings)."""
        rows = []
        for r in self.readings:
            row = {"roi": r.roi} if r.roi is not None else {}
            row.update(features=len(r.features), kept=None if r.kept is None else len(r.kept))
            if r.inter is not None:
                row["n_patients"] = r.n_patients
            rows.append({**row, "note": r.note})
        return pd.DataFrame(rows)

    # ---- Result
    def _stem(self, r: ICCReadings, comparison: str | None) -> str:
        return "_".join(p for p in (self.name, comparison, r.roi and safe_component(r.roi, "ROI name")) if p)

    def table_files(self) -> list[Table]:
        out = []
        for r in self.readings:
            if r.inter is None:
                continue
            if r.intra is None:
                out.append(Table(self._stem(r, None), r.inter, publication=False))
            else:
                out += [Table(self._stem(r, "inter"), r.inter, publication=False),
                        Table(self._stem(r, "intra"), r.intra, publication=False)]
        if self.threshold is not None:
            both = "inter- and intra-observer " if any(r.intra is not None for r in self.readings) else ""
            out += [Table(f"{self.name}_dropped", self.dropped, publication=False),
                    Table(f"{self.name}_summary", self.icc_summary(),
                          title=f"Features kept with {both}ICC > {self.threshold:g}", note=icc_note(self, both))]
        return out

    def tidy(self) -> pd.DataFrame:
        """Every ICC (``ci_low``/``ci_high``: its 95% CI at full precision), F, df1, df2 and p per feature
        (``row``) and comparison (``column``: icc, inter or intra); and the summary counts (``row``: the ROI)."""
        rows = []
        for r in self.readings:
            for comparison, tab in (("inter" if r.intra is not None else "icc", r.inter), ("intra", r.intra)):
                if tab is None:
                    continue
                name = self._stem(r, None if comparison == "icc" else comparison)
                for t in tab.itertuples(index=False):
                    rows.append(dict(table=name, row=t.feature, column=comparison, statistic="icc", value=t.icc,
                                     ci_low=getattr(t, "ci_low_full", t.ci_low),
                                     ci_high=getattr(t, "ci_high_full", t.ci_high), n=t.n_ids))
                    rows += [dict(table=name, row=t.feature, column=comparison, statistic=k, value=getattr(t, k),
                                  n=t.n_ids) for k in ("F", "df1", "df2", "p")]
            rows += [dict(table=f"{self.name}_summary", row=r.roi, statistic=k, value=v, n=r.n_patients)
                     for k, v in (("features", len(r.features)), ("kept", None if r.kept is None else len(r.kept)))
                     if v is not None]
        frame = tidy_frame(rows)
        frame["analysis"] = self.analysis
        return frame

    # ---- building
    @classmethod
    def without_readings(cls, roi: str, features, threshold: float | None = 0.8,
                         icc_type: str = DEFAULT_TYPE) -> "ICCResult":
        """An ROI with no repeated readings: nothing measured, every feature kept (noted in the summary)."""
        feats = list(features)
        return cls(readings=(ICCReadings(roi, feats, None, kept=feats, note="no ICC readings"),),
                   threshold=threshold, icc_type=canonical_type(icc_type), settings={})

    @classmethod
    def combine(cls, results) -> "ICCResult":
        """Several ROIs' results as one (same threshold and ICC form), in the order given."""
        results = list(results)
        if not results:
            raise InputError("no ICC result to combine", "compute at least one ROI's ICC")
        first = results[0]
        if any(r.threshold != first.threshold or r.icc_type != first.icc_type for r in results):
            raise InputError("ICC results with different thresholds or ICC forms cannot be combined",
                             "use one threshold and one ICC form for every ROI")
        settings = dict(first.settings, rois=[r.roi for res in results for r in res.readings])
        return cls(readings=tuple(r for res in results for r in res.readings), threshold=first.threshold,
                   icc_type=first.icc_type, settings=settings, name=first.name)


@arguments(ratings="readings", id_col="column", icc_type="text", features="columns?", threshold="number?",
           intra="readings?", roi="text?")
def icc(ratings: dict, id_col: str = "id", icc_type: str = DEFAULT_TYPE, features=None,
        threshold: float | None = 0.8, *, intra: dict | None = None, roi: str | None = None,
        name: str = "icc") -> ICCResult:
    """Per-feature ICC between readers (and, with ``intra``, between repeated readings), and the features
    reproducible in both.

    Parameters
    ----------
    ratings : dict
        {reading name: feature table}, one per reader (inter-observer), with the same ids and features.
    id_col : str
        The patient id column of every table; rows are matched by id (as text), not by position.
    icc_type : str
        The ICC form: ``ICC(A,1)`` (default), or another of the module docstring's forms.
    features : list of str, optional
        The features (default: every column but ``id_col`` common to the tables).
    threshold : float or None
        The ICC a kept feature must exceed (strictly) in every comparison; None: no selection (ICC tables only).
    intra : dict, optional
        {reading name: feature table} of one reader's repeated readings (intra-observer).
    roi : str, optional
        The ROI's name, for the file names (``icc_inter_ROI.csv``) when several ROIs are combined.
    name : str
        The tables' file stem (``name.csv``, ``name_summary.csv`` ...), as the ``icc`` command's ``--out`` stem:
        ``icc(..., name="icc_tumour")`` writes what ``eprstats icc ... --out icc_tumour.csv`` writes.

    Returns
    -------
    ICCResult
        ``inter`` / ``intra`` (one row per feature: icc, its 95% CI, F, df1, df2, p), ``kept``, ``dropped`` and
        the summary; ``write(out)`` writes them.

    Notes
    -----
    ICC(A,1) (two-way random effects, absolute agreement, single rater) from the two-way ANOVA of n patients x k
    readings: ``ICC = (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n)``, with its F-based 95% CI;
    every feature at once from the mean squares (:func:`icc_table`; equal to ``pingouin.intraclass_corr``'s
    values; no R function is called). The paper kept "features with both inter- and intra-ICCs > 0.80". NaN (constant or
    incomplete features) never passes.

    References
    ----------
    Shrout PE, Fleiss JL (1979) Intraclass correlations: uses in assessing rater reliability. Psychol Bull
    86:420-428.
    McGraw KO, Wong SP (1996) Forming inferences about some intraclass correlation coefficients. Psychol Methods
    1:30-46.
    Koo TK, Li MY (2016) A guideline of selecting and reporting intraclass correlation coefficients for
    reliability research. J Chiropr Med 15:155-163.

    Examples
    --------
    Shrout & Fleiss's six targets rated by four judges (their Table 2): ICC(2,1), which is ICC(A,1), is 0.29.

    >>> import pandas as pd
    >>> import eprstats as ep
    >>> data = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> ratings = {f"J{j + 1}": pd.DataFrame({"id": range(1, 7), "score": [row[j] for row in data]})
    ...            for j in range(4)}
    >>> res = ep.icc(ratings, threshold=0.8)
    >>> float(round(res.inter.loc[0, "icc"], 2)), res.kept
    (0.29, [])
    """
    canonical = canonical_type(icc_type)
    if not isinstance(name, str) or not name.strip() or any(c in name for c in '/\\:*?"<>|') or name.startswith("."):
        raise InputError(f"ICC table name {name!r} is not a file stem",
                         "give a plain name without a folder or extension, e.g. name='icc_tumour'")
    if threshold is not None and not np.isfinite(float(threshold)):
        raise InputError(f"ICC threshold {threshold!r} is not a number", "give e.g. 0.8")
    inter = icc_table(ratings, id_col=id_col, icc_type=canonical, features=features)
    feats = inter["feature"].tolist()
    second = None if intra is None else icc_table(intra, id_col=id_col, icc_type=canonical, features=feats)
    kept = None
    if threshold is not None:
        kept = (reproducible_features(inter, second, float(threshold)) if second is not None
                else [f for f, v in zip(feats, inter["icc"]) if v > float(threshold)])
    n = int(inter["n_ids"].iloc[0]) if len(inter) else 0
    settings = {"icc_type": canonical, "id_col": id_col, "readings": [str(k) for k in ratings],
                "intra_readings": None if intra is None else [str(k) for k in intra],
                "threshold": threshold, "roi": roi,
                "implementation": "eprstats.selection.icc_anova (two-way ANOVA, all features at once)"}
    return ICCResult(readings=(ICCReadings(roi, feats, inter, second, kept, n),),
                     threshold=None if threshold is None else float(threshold), icc_type=canonical,
                     settings=settings, name=name)
