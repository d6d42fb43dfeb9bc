"""Decision curve analysis: net benefit of each model, treat all and treat none, per cohort.

rmda cannot be installed here; the computation is our own R code (r/decision_curves.R), checked against
the PyPI package ``dcurves``. Vickers & Elkin, Med Decis Making 2006;26:565-574:

* a patient is treated when the model's predicted risk p >= the threshold probability pt;
* NB(pt) = TP/n - FP/n * pt/(1 - pt); treat all: prevalence - (1 - prevalence) pt/(1 - pt); treat none: 0;
* standardized net benefit sNB = NB / prevalence (Kerr et al., Med Decis Making 2016;36:196);
* optional bootstrap CIs: patients resampled with replacement ``bootstrap`` times (seeded), percentile
  interval (``stats::quantile`` type 7) at each threshold.

The default grid is pt = 0.01, 0.02, ..., 0.99 (pt = 0 and 1 are excluded: pt/(1 - pt) is 0 or infinite).

Example
-------
>>> net_benefit(df, "EPR", ["PVP_DLRRN", "clinical"], cohort_col="cohort", bootstrap=500, seed=1234)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .calibration import check_outcome, check_probabilities

#: thresholds 0.01 ... 0.99, rounded so that they are the decimal numbers they print as.
DEFAULT_THRESHOLDS = np.round(np.arange(1, 100) / 100, 2)
TREAT_ALL, TREAT_NONE = "treat all", "treat none"


def _r():
    from .. import rbridge
    return rbridge


def _thresholds(thresholds) -> np.ndarray:
    values = np.asarray(DEFAULT_THRESHOLDS if thresholds is None else thresholds, dtype=float).reshape(-1)
    if values.size == 0 or not np.isfinite(values).all() or (values <= 0).any() or (values >= 1).any():
        raise InputError("threshold probabilities must be finite and strictly between 0 and 1",
                         "use a grid such as 0.01, 0.02, ..., 0.99")
    return values


def net_benefit(data: pd.DataFrame, outcome: str, models: list[str], thresholds=None, bootstrap: int = 0,
                seed: int | None = None, standardized: bool = False, cohort_col: str | None = None,
                cohorts: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """Net benefit of each model column (predicted probabilities), treat all and treat none.

    Returns one row per (cohort, model, threshold) with ``net_benefit``, ``standardized_net_benefit``
    when ``standardized``, and ``ci_low``/``ci_high`` (and standardized ones) when ``bootstrap`` > 0.
    Each cohort's bootstrap uses ``seed`` + its position (0, 1, ...), recorded in ``.attrs["seeds"]``.
    """
    models = [models] if isinstance(models, str) else list(models)
    if not models:
        raise InputError("no model columns given", "name at least one predicted-probability column")
    missing = [c for c in [outcome, *models] if c not in data.columns]
    if missing:
        raise InputError(f"column(s) {missing} not found", f"available columns: {', '.join(map(str, data.columns))}",
                         column=missing[0], model=missing[0] if missing[0] in models else None)
    clash = [m for m in models if m in (TREAT_ALL, TREAT_NONE)]
    if clash:
        raise InputError(f"model name {clash[0]!r} is reserved for the reference strategy", "rename the column",
                         model=clash[0])
    grid = _thresholds(thresholds)
    bootstrap = int(bootstrap or 0)
    if bootstrap < 0:
        raise InputError(f"bootstrap must be 0 or a positive number, not {bootstrap}", "use e.g. --bootstrap 500")
    if bootstrap and seed is None:
        seed = 1234
    if cohort_col is None:
        parts = [("all", data)]
    else:
        if cohort_col not in data.columns:
            raise InputError(f"cohort column {cohort_col!r} not found", "give an existing column", column=cohort_col)
        labels = data[cohort_col].astype(str)
        present = list(dict.fromkeys(labels))
        order = list(cohorts) if cohorts else present
        unknown = [c for c in order if c not in present]
        if unknown:
            raise InputError(f"cohort(s) {unknown} not found in column {cohort_col!r}",
                             f"cohorts present: {', '.join(present)}", column=cohort_col, cohort=unknown[0])
        parts = [(c, data[labels == c]) for c in order]
    frames, seeds = [], {}
    for i, (cohort, rows) in enumerate(parts):
        y = check_outcome(rows[outcome], outcome, model=", ".join(models), cohort=cohort)
        risks = {m: check_probabilities(rows[m], m, cohort, n=len(y)) for m in models}
        cohort_seed = None if not bootstrap else int(seed) + i
        seeds[cohort] = cohort_seed
        table = _r().call("decision_curves_net_benefit", y, risks, models, grid, bootstrap=bootstrap,
                          level=float(level), seed=cohort_seed)
        table.insert(0, "cohort", cohort)
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    if not standardized:
        out = out.drop(columns=[c for c in out.columns if c.startswith("standardized")])
    out.attrs.update({"seeds": seeds, "bootstrap": bootstrap, "level": level})
    return out


def plot_decision_curves(table: pd.DataFrame, cohort: str, path, formats=("png", "pdf"),
                         column: str = "net_benefit", title: str | None = None) -> list[Path]:
    """Net benefit against threshold probability for one cohort (the paper's Figure 6c)."""
    from ..reporting.figures import save_figure, use_agg
    plt = use_agg()
    rows = table[table["cohort"] == cohort]
    fig, ax = plt.subplots(figsize=(5.6, 4.4))
    styles = {TREAT_ALL: dict(color="grey", linewidth=1.0), TREAT_NONE: dict(color="black", linewidth=1.0)}
    low_col = "ci_low" if column == "net_benefit" else "standardized_ci_low"
    high_col = "ci_high" if column == "net_benefit" else "standardized_ci_high"
    for name, curve in rows.groupby("model", sort=False):
        ax.plot(curve["threshold"], curve[column], label=name, **styles.get(name, {"linewidth": 1.5}))
        if low_col in curve and name not in styles:
            ax.fill_between(curve["threshold"], curve[low_col], curve[high_col], alpha=0.15)
    prevalence_nb = rows.loc[rows["model"] != TREAT_NONE, column]
    top = float(np.nanmax(prevalence_nb)) if len(prevalence_nb) else 1.0
    ax.set_ylim(-0.05 * max(top, 0.1) - 0.02, top * 1.1 + 0.02)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Threshold probability")
    ax.set_ylabel("Standardized net benefit" if column != "net_benefit" else "Net benefit")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title or f"Decision curves: {cohort}")
    return save_figure(fig, path, formats)
