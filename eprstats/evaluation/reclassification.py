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

Example
-------
>>> nri_idi(y, p_clinical, p_combined, cutoffs=[0.3, 0.6])
>>> reclassification_table(y, p_clinical, p_combined, cutoffs=[0.3, 0.6])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from .calibration import check_outcome, check_probabilities

NRI_COLUMNS = ["measure", "estimate", "ci_low", "ci_high", "se", "z", "p", "events", "nonevents"]


def _r():
    from .. import rbridge
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
    y = check_outcome(y, model=f"{old_name} vs {new_name}", cohort=cohort)
    p_old = check_probabilities(p_old, old_name, cohort, n=len(y))
    p_new = check_probabilities(p_new, new_name, cohort, n=len(y))
    return y, p_old, p_new


def nri_idi(y, p_old, p_new, cutoffs=None, level: float = 0.95, old_name: str = "old", new_name: str = "new",
            cohort: str | None = None) -> pd.DataFrame:
    """Categorical NRI (with ``cutoffs``), continuous NRI and IDI of ``p_new`` over ``p_old``.

    One row per measure: estimate, CI, SE, z, P, and the events and non-events parts.
    """
    y, p_old, p_new = _inputs(y, p_old, p_new, old_name, new_name, cohort)
    cuts = _cutoffs(cutoffs)
    table = _r().call("reclassification_nri_idi", y, p_old, p_new, cutoffs=cuts, level=float(level))
    table = table[NRI_COLUMNS].copy()
    table.attrs.update({"cutoffs": cuts, "level": level, "n": len(y), "events": int(y.sum())})
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
