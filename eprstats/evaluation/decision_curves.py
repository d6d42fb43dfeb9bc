"""Decision curve analysis: net benefit of each model, treat all and treat none, per cohort.

rmda cannot be installed here; the computation is our own R code (r/decision_curves.R), checked against
the PyPI package ``dcurves``. Vickers & Elkin, Med Decis Making 2006;26:565-574:

* a patient is treated when the model's predicted risk p >= the threshold probability pt;
* NB(pt) = TP/n - FP/n * pt/(1 - pt); treat all: prevalence - (1 - prevalence) pt/(1 - pt); treat none: 0;
* standardized net benefit sNB = NB / prevalence (Kerr et al., Med Decis Making 2016;36:196);
* optional bootstrap CIs: patients resampled with replacement ``bootstrap`` times (seeded), percentile
  interval (``stats::quantile`` type 7) at each threshold.

The default grid is pt = 0.01, 0.02, ..., 0.99 (pt = 0 and 1 are excluded: pt/(1 - pt) is 0 or infinite).

Usage (a sketch; the functions' own examples run on the example cohort and are checked)::

    net_benefit(df, "EPR", ["PVP_DLRRN", "clinical"], cohort_col="cohort", bootstrap=500, seed=1234)
    decision_curve(df, "EPR", ["PVP_DLRRN", "clinical"], cohort_col="cohort").write("dca")
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import rbridge, validation
from ..arguments import renamed
from ..errors import InputError
from ..rbridge import software_note
from ..reporting.figures import save_figure, use_agg
from ..results import Result, Table, tidy_frame
from .calibration_result import safe_name as _safe

#: thresholds 0.01 ... 0.99, rounded so that they are the decimal numbers they print as.
DEFAULT_THRESHOLDS = np.round(np.arange(1, 100) / 100, 2)
TREAT_ALL, TREAT_NONE = "treat all", "treat none"


def _r():
    return rbridge


def _thresholds(thresholds) -> np.ndarray:
    values = np.asarray(DEFAULT_THRESHOLDS if thresholds is None else thresholds, dtype=float).reshape(-1)
    if values.size == 0 or not np.isfinite(values).all() or (values <= 0).any() or (values >= 1).any():
        raise InputError("threshold probabilities must be finite and strictly between 0 and 1",
                         "use a grid such as 0.01, 0.02, ..., 0.99")
    if (np.diff(values) <= 0).any():  # the curves are drawn and tabulated in the grid's order
        raise InputError(f"the threshold probabilities must be increasing, each once (given: "
                         f"{', '.join(f'{v:g}' for v in values[:6])}{' ...' if values.size > 6 else ''})",
                         "sort them, e.g. 0.01, 0.02, ..., 0.99 (on the command line --thresholds start,stop,step)")
    return values


def decision_note(settings: dict) -> str:
    """The decision curves' methods, in words a methods section quotes, with the software versions."""
    boot = settings.get("bootstrap") or 0
    ci = (f"; {round(settings['level'] * 100, 6):g}% CIs: percentile intervals of {boot} bootstrap resamples of the "
          f"patients (seed {settings['seed']} + the cohort's position)" if boot else "")
    return ("Net benefit (Vickers & Elkin 2006): a patient is treated when the predicted risk p >= the threshold "
            "probability pt; NB = TP/n - FP/n x pt/(1 - pt), against treat all and treat none"
            f"{'; standardized NB = NB / prevalence' if settings.get('standardized') else ''}{ci}. Computed by "
            f"eprstats' own R code. {software_note('stats')}")


@dataclass(frozen=True, eq=False, repr=False)
class DecisionCurve(Result):
    """Net benefit of each model, treat all and treat none per cohort and threshold (``net_benefit``, the file
    ``decision_curves.csv``); ``counts``: cohort -> (patients, events)."""

    settings: dict
    net_benefit: pd.DataFrame
    counts: dict

    analysis = "decision_curve"

    def table_files(self) -> list[Table]:
        """``decision_curves`` (CSV only, so its note is not written into a file; it is there for a report)."""
        return [Table("decision_curves", self.net_benefit, publication=False, note=decision_note(self.settings))]

    def tidy(self) -> pd.DataFrame:
        """Every number: net benefit (with its bootstrap CI) and, when computed, the standardized net benefit,
        per cohort, curve and threshold (``row`` = the threshold)."""
        t = self.net_benefit
        kinds = [("net_benefit", "ci_low", "ci_high"),
                 ("standardized_net_benefit", "standardized_ci_low", "standardized_ci_high")]
        rows = []
        for r in t.to_dict("records"):
            n, events = self.counts[r["cohort"]]
            for stat, low, high in kinds:
                if stat in t.columns:
                    rows.append({"table": "decision_curves", "row": f"{r['threshold']:g}", "model": r["model"],
                                 "cohort": r["cohort"], "statistic": stat, "value": r[stat],
                                 "ci_low": r.get(low), "ci_high": r.get(high), "n": n, "events": events})
        return tidy_frame({"analysis": self.analysis, **r} for r in rows)

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """One figure per cohort, ``figure6c_dca_<cohort>`` (the paper's Figure 6c), and
        ``figure6c_dca_standardized_<cohort>`` when the standardized net benefit was computed; the command, the
        API and the study stage all write them here."""
        paths = []
        table = self.net_benefit
        for cohort in dict.fromkeys(table["cohort"]):
            # without a cohort column the one "cohort" is every patient: no cohort in the title
            title = f"Decision curves, {cohort} cohort" if self.settings.get("cohort_col") else "Decision curves"
            paths += plot_decision_curves(table, cohort, Path(folder) / f"figure6c_dca_{_safe(cohort)}", formats,
                                          title=title)
            if "standardized_net_benefit" in table.columns:
                paths += plot_decision_curves(table, cohort,
                                              Path(folder) / f"figure6c_dca_standardized_{_safe(cohort)}", formats,
                                              column="standardized_net_benefit", title=title)
        return paths


@renamed(bootstrap="boot_n", level="conf_level")
@validation.arguments(data="frame", outcome="column", models="columns", cohort_col="column?", thresholds="numbers?",
                      boot_n="count", seed="count?", standardized="flag", cohorts="labels?", conf_level="number",
                      event="event?")
def decision_curve(data: pd.DataFrame, outcome: str, models, cohort_col: str | None = None, thresholds=None,
                   boot_n: int = 0, seed: int | None = None, standardized: bool = False, *, cohorts=None,
                   conf_level: float = 0.95, event=None) -> DecisionCurve:
    """Decision curve analysis of predicted-probability columns ``models`` in every cohort.

    Parameters
    ----------
    data : DataFrame
        One row per patient: the outcome, the probability columns and, optionally, the cohort.
    outcome : str
        The binary outcome column, coded 0/1.
    models : list of str
        The predicted-probability columns.
    cohort_col : str, optional
        The cohort column (default: all patients as one cohort).
    thresholds : list of float, optional
        The threshold probabilities pt (default 0.01, ..., 0.99).
    boot_n : int
        Bootstrap resamples of the percentile CIs (0: none; formerly ``bootstrap``).
    seed : int, optional
        The seed of the bootstrap (R's ``set.seed(seed + i)`` for the i-th cohort, 0-based).
    standardized : bool
        Also the standardized net benefit sNB = NB / prevalence.
    cohorts : list, optional
        The cohorts, in this order (default: order of appearance).
    conf_level : float
        The confidence level of the bootstrap CIs (formerly ``level``).

    event : optional
        The outcome's value that is the event, required when the outcome is not coded 0/1.
    Returns
    -------
    DecisionCurve
        ``net_benefit``: one row per cohort, model (and treat all / treat none) and threshold.

    Notes
    -----
    A patient is treated when p >= pt; NB(pt) = TP/n - FP/n * pt/(1 - pt); treat all: prevalence -
    (1 - prevalence) pt/(1 - pt); treat none: 0; sNB = NB / prevalence; with ``bootstrap`` > 0, percentile CIs
    (``stats::quantile`` type 7) from patients resampled in R. Our own R code, equal to the ``dcurves`` package.

    References
    ----------
    Vickers AJ, Elkin EB (2006) Decision curve analysis: a novel method for evaluating prediction models. Med
    Decis Making 26:565-574.
    Kerr KF et al. (2016) Med Decis Making 36:196.

    Examples
    --------
    The net benefit of the example cohort's two models at two threshold probabilities, beside treating all:

    >>> import eprstats as ep
    >>> df = ep.datasets.read_dataset("epr_cohort")
    >>> dc = ep.decision_curve(df, "EPR", ["Clinical", "PVP_DLRRN"], cohort_col="cohort", thresholds=[0.2, 0.4])
    >>> nb = dc.net_benefit.query("cohort == 'external' and model != 'treat none'")
    >>> nb[["model", "threshold", "net_benefit"]].round(3).values.tolist()
    [['Clinical', 0.2, 0.331], ['Clinical', 0.4, 0.054], ['PVP_DLRRN', 0.2, 0.395], ['PVP_DLRRN', 0.4, 0.388],
     ['treat all', 0.2, 0.331], ['treat all', 0.4, 0.109]]
    """
    bootstrap, level = boot_n, conf_level  # the API's names (#24); the settings keep theirs (the files' bytes)
    data = validation.with_event(data, outcome, event)  # the one event rule (0/1, or the event named)
    models = [models] if isinstance(models, str) else list(models)
    if not models:
        raise InputError("no model columns given", "name at least one predicted-probability column")
    validation.check_columns(data, [outcome], "outcome")
    validation.check_columns(data, models, "probability")
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
    level = validation.check_conf_level(level)
    parts = validation.split_cohorts(data, cohort_col, None, cohorts)
    frames, seeds, counts = [], {}, {}
    for i, (cohort, rows) in enumerate(parts):
        y = validation.both_classes(validation.binary_outcome(rows[outcome], outcome, cohort=cohort), "net benefit",
                                    outcome=outcome, model=", ".join(models), cohort=cohort)
        # exactly 0 or 1: refused, as in calibration and NRI/IDI (validation.refuse_certain)
        risks = {m: validation.probabilities(rows[m], m, cohort, open_interval=True, n=len(y)) for m in models}
        cohort_seed = None if not bootstrap else int(seed) + i
        seeds[cohort], counts[cohort] = cohort_seed, (len(y), int(y.sum()))
        table = _r().call("decision_curves_net_benefit", y, risks, models, grid, bootstrap=bootstrap,
                          level=level, seed=cohort_seed)
        table.insert(0, "cohort", cohort)
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    if not standardized:
        out = out.drop(columns=[c for c in out.columns if c.startswith("standardized")])
    settings = {"outcome": outcome, "models": models, "cohort_col": cohort_col, "cohorts": [c for c, _ in parts],
                "thresholds": [float(t) for t in grid], "bootstrap": bootstrap, "seed": seed if bootstrap else None,
                "cohort_seeds": seeds, "level": level, "standardized": bool(standardized),
                "rule": "treat when p >= threshold; NB = TP/n - FP/n * pt/(1-pt)"}
    return DecisionCurve(settings=settings, net_benefit=out, counts=counts)


def net_benefit(data: pd.DataFrame, outcome: str, models: list[str], thresholds=None, bootstrap: int = 0,
                seed: int | None = None, standardized: bool = False, cohort_col: str | None = None,
                cohorts: list[str] | None = None, level: float = 0.95) -> pd.DataFrame:
    """The table of :func:`decision_curve`: one row per (cohort, model, threshold) with ``net_benefit``,
    ``standardized_net_benefit`` when ``standardized``, and ``ci_low``/``ci_high`` (and standardized ones)
    when ``bootstrap`` > 0. Each cohort's bootstrap uses ``seed`` + its position (0, 1, ...), recorded in
    ``.attrs["seeds"]``.
    """
    res = decision_curve(data, outcome, models, cohort_col=cohort_col, thresholds=thresholds, boot_n=bootstrap,
                         seed=seed, standardized=standardized, cohorts=cohorts, conf_level=level)
    out = res.net_benefit.copy()
    out.attrs.update({"seeds": res.settings["cohort_seeds"], "bootstrap": res.settings["bootstrap"],
                      "level": res.settings["level"]})
    return out


def plot_decision_curves(table: pd.DataFrame, cohort: str, path, formats=("png", "pdf"),
                         column: str = "net_benefit", title: str | None = None) -> list[Path]:
    """Net benefit against threshold probability for one cohort (the paper's Figure 6c)."""
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
