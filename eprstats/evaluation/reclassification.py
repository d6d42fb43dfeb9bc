"""Reclassification: net reclassification improvement (NRI) and integrated discrimination improvement
(IDI) of a new model over an old one, in PredictABEL's ``reclassification()`` layout.

PredictABEL cannot be installed here; the formulas (Pencina et al., Stat Med 2008;27:157-172 and
2011;30:11-21) are our own R code (r/reclassification.R):

* Categorical NRI with cut-offs c1 < ... < ck: risk categories [0, c1), [c1, c2), ..., [ck, 1] (a risk equal
  to a cut-off goes up, as PredictABEL's ``cut(right = FALSE)``). Events part = P(up | event) -
  P(down | event); non-events part = P(down | non-event) - P(up | non-event); NRI = their sum.
* Continuous NRI: the same with "up" meaning p_new > p_old and "down" p_new < p_old (ties count as no
  move), as ``Hmisc::improveProb``.
* Var(part) = (ups + downs)/n^2 - (ups - downs)^2/n^3 per outcome group; SE(NRI) = sqrt(sum of both);
  z = NRI/SE; P = 2 Phi(-|z|); CI = NRI -/+ z_(1-a/2) SE.
* IDI = [mean(p_new - p_old) in events] - [mean(p_new - p_old) in non-events];
  SE = sqrt(var(d_events)/n_events + var(d_nonevents)/n_nonevents) (sample variances).

:func:`reclassification` runs the analysis for every cohort and every old model and returns a
:class:`Reclassification` (files ``nri_idi_numeric.csv``, ``nri_idi`` formatted, and with cut-offs
``reclassification_table.csv``; the command ``eprstats nri`` and the study's nri stage write the same).

Usage (a sketch; the functions' own examples run on the example cohort and are checked)::

    nri_idi(y, p_clinical, p_combined, cutoffs=[0.3, 0.6])
    reclassification_table(y, p_clinical, p_combined, cutoffs=[0.3, 0.6])
    reclassification(df, "EPR", ["Clinical", "PVP"], "PVP_DLRRN", cohort_col="cohort").table("nri_idi")
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import rbridge, validation
from ..arguments import renamed
from ..errors import EprstatsError, InputError
from ..rbridge import software_note
from ..results import Result, Table, tidy_frame

NRI_COLUMNS = ["measure", "estimate", "ci_low", "ci_high", "se", "z", "p", "events", "nonevents"]


def _r():
    return rbridge


def _cutoffs(cutoffs) -> list[float] | None:
    if cutoffs is None:
        return None
    values = [float(c) for c in (cutoffs if np.ndim(cutoffs) else [cutoffs])]
    if not values:
        return None
    if any(not (0 < c < 1) for c in values) or any(b <= a for a, b in zip(values, values[1:])):
        raise InputError(f"risk cut-offs {values} must be strictly increasing and strictly between 0 and 1",
                         "give e.g. --cutoffs 0.3,0.6 (the outer limits 0 and 1 are added)")
    return values


def _inputs(y, p_old, p_new, old_name, new_name, cohort):
    model = f"{old_name} vs {new_name}"
    y = validation.both_classes(validation.binary_outcome(y, cohort=cohort), "NRI and IDI", model=model,
                                cohort=cohort)
    # exactly 0 or 1: refused, as in calibration and decision curves (validation.refuse_certain)
    p_old = validation.probabilities(p_old, old_name, cohort, open_interval=True, n=len(y))
    p_new = validation.probabilities(p_new, new_name, cohort, open_interval=True, n=len(y))
    return y, p_old, p_new


@renamed(level="conf_level")
def nri_idi(y, p_old, p_new, cutoffs=None, conf_level: float = 0.95, old_name: str = "old", new_name: str = "new",
            cohort: str | None = None) -> pd.DataFrame:
    """Categorical NRI (with ``cutoffs``), continuous NRI and IDI of ``p_new`` over ``p_old``.

    One row per measure: estimate, CI, SE, z, P, and the events and non-events parts.
    """
    y, p_old, p_new = _inputs(y, p_old, p_new, old_name, new_name, cohort)
    cuts = _cutoffs(cutoffs)
    table = _r().call("reclassification_nri_idi", y, p_old, p_new, cutoffs=cuts, level=float(conf_level))
    table = table[NRI_COLUMNS].copy()
    table.attrs.update({"cutoffs": cuts, "level": conf_level, "n": len(y), "events": int(y.sum())})
    return table


def reclassification_table(y, p_old, p_new, cutoffs, old_name: str = "old", new_name: str = "new",
                           cohort: str | None = None) -> pd.DataFrame:
    """Counts of initial (rows) x updated (columns) risk category, for non-events ("absent"), events
    ("present") and combined, with the percentage reclassified per row (PredictABEL's table)."""
    y, p_old, p_new = _inputs(y, p_old, p_new, old_name, new_name, cohort)
    cuts = _cutoffs(cutoffs)
    if cuts is None:
        raise InputError("a reclassification table needs risk cut-offs", "give e.g. cutoffs=[0.3, 0.6]")
    return _r().call("reclassification_table", y, p_old, p_new, cutoffs=cuts)


def format_nri(table: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    """PredictABEL-style text: 'NRI(Categorical) [95% CI]: 0.0812 [0.0227 - 0.1397] ; p-value: 0.00656'."""
    label = {"NRI (categorical)": "NRI(Categorical)", "NRI (continuous)": "NRI(Continuous)", "IDI": "IDI"}
    rows = []
    for r in table.itertuples(index=False):
        rows.append({"measure": label.get(r.measure, r.measure),
                     "estimate [95% CI]": f"{r.estimate:.{digits}f} [{r.ci_low:.{digits}f} - {r.ci_high:.{digits}f}]",
                     "p-value": f"{r.p:.5g}", "events": f"{r.events:.{digits}f}",
                     "non-events": f"{r.nonevents:.{digits}f}"})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The whole analysis: every cohort, every old model
# ---------------------------------------------------------------------------------------------

def reclassification_note(settings: dict) -> str:
    """The NRI/IDI table's methods, in words a methods section quotes, with the software versions."""
    cuts = settings["cutoffs"]
    level = f"{round(settings['level'] * 100, 6):g}%"
    categorical = (f"Categorical NRI: risk categories [0,c1), [c1,c2), ..., [ck,1] with cut-offs "
                   f"{', '.join(f'{c:g}' for c in cuts)} (a risk equal to a cut-off goes up). " if cuts else "")
    return (f"{categorical}Continuous NRI (up: p_new > p_old, down: p_new < p_old, ties no move; Pencina et al., "
            "Stat Med 2011) and IDI (Pencina et al., Stat Med 2008) as Hmisc::improveProb computes them; SE of "
            "the NRI from the variances of its events' and non-events' parts, SE of the IDI = sqrt(var(d_events)/"
            f"n_events + var(d_nonevents)/n_nonevents); {level} CI = estimate -/+ z SE, P = 2 Phi(-|z|). Computed "
            f"by eprstats' own R code in PredictABEL's layout. {software_note('stats')}")


@dataclass(frozen=True, eq=False, repr=False)
class Reclassification(Result):
    """NRI and IDI of ``new`` over each old model in each cohort.

    ``numeric``: one row per cohort, comparison ("new vs old") and measure (NRI (categorical) with cut-offs,
    NRI (continuous), IDI): estimate, CI, SE, z, P, events and non-events parts; ``reclassified``: the
    reclassification tables (with cut-offs; else None); ``counts``: cohort -> (patients, events)."""

    settings: dict
    numeric: pd.DataFrame
    reclassified: pd.DataFrame | None
    counts: dict

    analysis = "reclassification"

    def formatted(self) -> pd.DataFrame:
        """PredictABEL's text per measure, with the cohort and the comparison first."""
        fmt = format_nri(self.numeric)
        fmt.insert(0, "cohort", self.numeric["cohort"])
        fmt.insert(1, "comparison", self.numeric["comparison"])
        return fmt

    def table_files(self) -> list[Table]:
        s = self.settings
        cuts, olds = s["cutoffs"], s["old"]
        kind = "categorical and continuous NRI" if cuts else "continuous NRI"
        over = f"over {olds[0]}" if len(olds) == 1 else "over each model"
        note = reclassification_note(s)
        out = [Table("nri_idi_numeric", self.numeric, publication=False),
               Table("nri_idi", self.formatted(), title=f"Net reclassification ({kind}) and integrated "
                                                        f"discrimination improvement of {s['new']} {over}",
                     note=note)]
        if self.reclassified is not None:
            out.append(Table("reclassification_table", self.reclassified, publication=False))
        return out

    def tidy(self) -> pd.DataFrame:
        """Every number: estimate (with its CI), SE, z, P and both parts per measure; the reclassification
        counts."""
        rows = []
        for r in self.numeric.to_dict("records"):
            n, events = self.counts[r["cohort"]]
            common = {"table": "nri_idi_numeric", "row": r["measure"], "model": r["comparison"],
                      "cohort": r["cohort"], "n": n, "events": events}
            rows.append({**common, "statistic": "estimate", "value": r["estimate"], "ci_low": r["ci_low"],
                         "ci_high": r["ci_high"]})
            rows += [{**common, "statistic": k, "value": r[k]} for k in ("se", "z", "p", "events", "nonevents")]
        if self.reclassified is not None:
            counts = [c for c in self.reclassified.columns if c.startswith("updated ") or c == "% reclassified"]
            for r in self.reclassified.to_dict("records"):
                rows += [{"table": "reclassification_table", "row": f"{r['outcome']} {r['initial']}", "column": c,
                          "model": r["comparison"], "cohort": r["cohort"],
                          "statistic": "percent" if c.startswith("%") else "count", "value": r[c]} for c in counts]
        return tidy_frame({"analysis": self.analysis, **r} for r in rows)


@renamed(level="conf_level")
@validation.arguments(data="frame", outcome="column", old="columns", new="column", cohort_col="column?",
                      cutoffs="numbers?", conf_level="number", cohorts="labels?", skip_failed="flag", event="event?")
def reclassification(data: pd.DataFrame, outcome: str, old, new: str, cohort_col: str | None = None,
                     cutoffs=None, conf_level: float = 0.95, *, cohorts=None, skip_failed: bool = False,
                     event=None) -> Reclassification:
    """NRI (categorical with ``cutoffs``, and continuous) and IDI of the probabilities in column ``new`` over each
    column in ``old``, in every cohort (order of appearance, or ``cohorts``).

    Parameters
    ----------
    data : DataFrame
        One row per patient: the outcome, the probability columns and, optionally, the cohort.
    outcome : str
        The binary outcome column, coded 0/1 or with ``event`` naming the event.
    old : str or list of str
        The probability column(s) of the old model(s).
    new : str
        The probability column of the new model.
    cohort_col : str, optional
        The cohort column (default: all patients as one cohort).
    cutoffs : list of float, optional
        The risk categories' cut-offs c1 < ... < ck for the categorical NRI (categories [0, c1), ..., [ck, 1]).
    conf_level : float
        The confidence level of the CIs (formerly ``level``, still accepted with a DeprecationWarning).
    cohorts : list, optional
        The cohorts, in this order (default: order of appearance).
    skip_failed : bool
        Leave out, with a warning, a comparison that cannot be computed (otherwise an error).
    event : optional
        The outcome's value that is the event, required when the outcome is not coded 0/1.

    Returns
    -------
    Reclassification
        ``numeric`` (one row per cohort, comparison and measure: estimate, SE, CI, z, P), the NRI/IDI table as
        printed and the reclassification table.

    Notes
    -----
    NRI = [P(up | event) - P(down | event)] + [P(down | non-event) - P(up | non-event)], SE from Pencina's
    variance (ups + downs)/n^2 - (ups - downs)^2/n^3 per outcome group; IDI = mean(p_new - p_old | event) -
    mean(p_new - p_old | non-event); CI = estimate -/+ z_(1-a/2) SE; P = 2 Phi(-|z|). Our own R code, equal to
    ``Hmisc::improveProb`` (continuous NRI, IDI) and PredictABEL's ``reclassification`` (categorical NRI).

    References
    ----------
    Pencina MJ, D'Agostino RB Sr, D'Agostino RB Jr, Vasan RS (2008) Evaluating the added predictive ability of a
    new marker. Stat Med 27:157-172.
    Pencina MJ, D'Agostino RB Sr, Steyerberg EW (2011) Extensions of net reclassification improvement
    calculations to measure usefulness of new biomarkers. Stat Med 30:11-21.

    Examples
    --------
    The example cohort's combined model over its clinical model (their predicted probabilities):

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> res = ep.reclassification(df, "EPR", "Clinical", "PVP_DLRRN", cohort_col="cohort")
    >>> res.numeric[["cohort", "measure", "estimate", "ci_low", "ci_high"]].round(3).values.tolist()
    [['training', 'NRI (continuous)', 1.387, 1.116, 1.659], ['training', 'IDI', 0.464, 0.366, 0.561],
     ['external', 'NRI (continuous)', 1.639, 1.304, 1.974], ['external', 'IDI', 0.605, 0.473, 0.736]]
    """
    data = validation.with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
    olds = [old] if isinstance(old, str) else list(old)
    if new in olds:  # every patient would be 'unchanged': NRI = IDI = 0 with a meaningless test
        raise InputError(f"the old and new models name the same column {new!r}",
                         "give the reference model's probabilities as old (--old) and the new model's as new "
                         "(--new)", column=new)
    if not olds:
        raise InputError("no old (reference) model to compare with", f"give at least one model besides {new!r}",
                         model=new)
    validation.check_columns(data, [outcome], "outcome")
    validation.check_columns(data, [*olds, new], "probability")
    cuts = _cutoffs(cutoffs)
    level = validation.check_conf_level(conf_level)
    parts = validation.split_cohorts(data, cohort_col, None, cohorts)
    frames, tables, counts, skipped = [], [], {}, {}
    for cohort, rows in parts:
        counts[cohort] = (len(rows), int(pd.to_numeric(rows[outcome], errors="coerce").sum()))
        for o in olds:
            try:
                t = nri_idi(rows[outcome].to_numpy(), rows[o].to_numpy(), rows[new].to_numpy(), cutoffs=cuts,
                            conf_level=level, old_name=o, new_name=new, cohort=cohort)
                r = reclassification_table(rows[outcome], rows[o], rows[new], cuts, old_name=o, new_name=new,
                                           cohort=cohort) if cuts else None
            except EprstatsError as exc:
                if not skip_failed:
                    raise
                skipped[f"{new} vs {o} ({cohort})"] = exc.message
                warnings.warn(f"NRI/IDI of {new} over {o} ({cohort}) skipped: {exc.message}", stacklevel=2)
                continue
            for frame in (t, r) if r is not None else (t,):
                frame.insert(0, "cohort", cohort)
                frame.insert(1, "comparison", f"{new} vs {o}")
            frames.append(t)
            if r is not None:
                tables.append(r)
    if not frames:
        raise InputError(f"no NRI/IDI of {new!r} could be computed", "see the warnings")
    settings = {"outcome": outcome, "old": olds, "new": new, "cutoffs": cuts, "level": level,
                "cohort_col": cohort_col, "cohorts": [c for c, _ in parts], "skipped": skipped,
                "categories": "cut(c(0, cutoffs, 1), include.lowest=TRUE, right=FALSE)"}
    return Reclassification(settings=settings, numeric=pd.concat(frames, ignore_index=True),
                            reclassified=pd.concat(tables, ignore_index=True) if tables else None, counts=counts)
