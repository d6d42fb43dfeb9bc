"""The result of :func:`eprstats.evaluation.calibration.calibrate`: its tables, tidy numbers and figures.

Files (the command ``eprstats calibration`` and the study's calibration stage write the same ones):

=========================  ===================================================================================
``calibration_numeric``    val.prob statistics, Hosmer-Lemeshow, recalibration CIs and the HL rules (CSV)
``calibration``            the same, formatted (model, cohort, n, events, intercept, slope, Brier, HL, P)
``calibration_curve``      apparent and bias-corrected curves at rms' grid, per model (CSV)
``optimism_corrected``     rms::validate: apparent, optimism and corrected indexes, per model
``calibration_summary``    rms' error summary of each bias-corrected curve (CSV)
``observed_curves``        lowess curve of every non-training cohort, per model (CSV)
=========================  ===================================================================================
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..rbridge import software_note
from ..reporting.figures import save_figure, use_agg
from ..results import Result, Table, tidy_frame
from .plots import safe_name  # noqa: F401  (one file-name rule for every figure)

#: the formatted table's columns (three decimals)
SHOWN = ("intercept", "slope", "brier", "hl_statistic", "hl_p")
SUMMARY = ("n", "B", "seed", "mean_absolute_error", "mean_squared_error", "quantile90_absolute_error")



def fixed3(value) -> str:
    """Three decimals, 'NA' for a missing value, and no '-0.000'."""
    if value is None or not np.isfinite(value):
        return "NA"
    return f"{0.0 if round(value, 3) == 0 else value:.3f}"


def _first(frame: pd.DataFrame, col: str = "model") -> pd.DataFrame:
    return frame[[col] + [c for c in frame.columns if c != col]]


#: the numeric columns whose Wald CI is in <prefix>_ci_low/_ci_high (tidy's ci_low, ci_high)
_WITH_CI = ("intercept", "slope", "citl")


def hl_rules(settings: dict, cohort: str) -> tuple[str, str]:
    """(df rule, grouping rule) of the Hosmer-Lemeshow test of one cohort, in words."""
    g = settings.get("hl_groups", 10)
    external = cohort != settings.get("train_cohort") and settings.get("hl_external_df", "g-2") == "g"
    df_rule = "groups" if external else "groups - 2"
    if settings.get("hl_grouping", "quantile") == "spss":
        grouping = (f"SPSS deciles of risk: patients sorted by predicted risk into about {g} groups of nearly equal "
                    "size, tied risks kept in one group")
    else:
        grouping = f"{g} groups cut at the type-7 quantiles of the predicted risk, tied cuts merged"
    return df_rule, grouping


def hl_note(settings: dict) -> str:
    """The Hosmer-Lemeshow rules in words: the grouping and the df on each cohort."""
    _, grouping = hl_rules(settings, settings.get("train_cohort"))
    df = ("df = groups - 2 on the training cohort and groups on the other cohorts (Hosmer, Lemeshow & Sturdivant "
          "2013, sec. 6.4)" if settings.get("hl_external_df", "g-2") == "g" else "df = groups - 2 on every cohort")
    return f"Hosmer-Lemeshow test (eprstats' own R code): {grouping}; {df}; P from the upper chi-square tail."


#: the two C statistics of one model, said apart (val.prob's binned C here, pROC's exact AUC in Table 2)
C_STATISTICS = ("C statistics: the column c of calibration_numeric is rms::val.prob's C (ROC), which rms::lrm.fit "
                "computes on predicted probabilities rounded to the nearest 0.002, so it can differ from the AUC "
                "of Table 2 (pROC's exact empirical AUC) in the third or fourth decimal.")


def calibration_note(settings: dict) -> str:
    """The calibration table's methods, in words a methods section quotes (the software versions are added by
    the result)."""
    s = settings
    level = f"{round(s.get('conf_level', 0.95) * 100, 6):g}%"
    model = ("Each model's predicted probability p0 recalibrated by rms::lrm(y ~ logit(p0))" if s.get("probabilities")
             else "Each model fitted by rms::lrm")
    return (f"{model} on the training cohort; every cohort's predicted probabilities "
            "from that fit assessed by rms::val.prob: calibration intercept a and slope b of logit P(y = 1) = a + "
            f"b logit(p), fitted jointly (their {level} Wald CIs and the calibration-in-the-large, slope fixed at "
            "1, are in calibration_numeric: stats::glm, stats::confint.default); Brier score = mean((p - y)^2). "
            f"{hl_note(s)} {C_STATISTICS} Calibration curves: rms::calibrate (method = 'boot', B = {s['B']}, "
            f"seed = {s['seed']}).")


#: the columns of a Hosmer-Lemeshow contingency table (after model and cohort)
HL_TABLE = ("group", "observed_nonevents", "expected_nonevents", "observed_events", "expected_events", "n")


@dataclass(frozen=True, eq=False, repr=False)
class Calibration(Result):
    """Calibration curves, optimism-corrected indexes and per-cohort statistics of one or more models.

    ``statistics``: one row per model and cohort (training first); ``curves``: model -> rms::calibrate
    curve (``.attrs`` hold rms' error summary); ``validation``: rms::validate table of every model (None when
    not asked for); ``observed``: cohort -> model -> lowess curve; ``curve_summary``: rms' error summary of
    each model's bias-corrected curve."""

    settings: dict
    statistics: pd.DataFrame
    curves: dict
    validation: pd.DataFrame | None
    curve_summary: pd.DataFrame
    observed: dict
    #: the Hosmer-Lemeshow contingency tables (``hl_grouping="spss"``): one row per model, cohort and group
    #: (SPSS's "Contingency Table for Hosmer and Lemeshow Test"), written as ``hosmer_lemeshow.csv``; None with
    #: the default grouping, whose files stay as they were
    hl_table: pd.DataFrame | None = None

    analysis = "calibration"

    @classmethod
    def from_parts(cls, done: dict, specs: dict, settings: dict) -> "Calibration":
        """Assemble the result from each model's parts (``calibrate``'s loop), models in their given order."""
        stats = [part["statistics"].assign(model=name) for name, part in done.items()]
        checks = [part["validation"].assign(model=name) for name, part in done.items()
                  if part["validation"] is not None]
        summary = [{"model": name, "predictors": "+".join(map(str, specs[name])),
                    **{k: part["curve"].attrs[k] for k in SUMMARY}} for name, part in done.items()]
        observed: dict = {}
        for name, part in done.items():
            for cohort, curve in part["observed"].items():
                observed.setdefault(cohort, {})[name] = curve
        return cls(settings=settings, statistics=_first(pd.concat(stats, ignore_index=True)),
                   curves={name: part["curve"] for name, part in done.items()},
                   validation=_first(pd.concat(checks, ignore_index=True)) if checks else None,
                   curve_summary=pd.DataFrame(summary), observed=observed)

    # ------------------------------------------------------------------------------------------ tables

    def formatted(self) -> pd.DataFrame:
        """The publication table: model, cohort, n, events and the statistics to three decimals."""
        show = self.statistics[["model", "cohort", "n", "events", *SHOWN]].copy()
        for c in SHOWN:
            show[c] = show[c].map(fixed3)
        return show

    def numeric(self) -> pd.DataFrame:
        """``statistics`` with each row's Hosmer-Lemeshow df rule and grouping rule as the last columns."""
        rules = [hl_rules(self.settings, c) for c in self.statistics["cohort"]]
        return self.statistics.assign(hl_df_rule=[r[0] for r in rules], hl_grouping_rule=[r[1] for r in rules])

    def curve_table(self) -> pd.DataFrame:
        return _first(pd.concat([c.assign(model=m) for m, c in self.curves.items()], ignore_index=True))

    def observed_table(self) -> pd.DataFrame | None:
        if not self.observed:
            return None
        return pd.concat([c.assign(cohort=k, model=m) for k, d in self.observed.items() for m, c in d.items()],
                         ignore_index=True)

    def table_files(self) -> list[Table]:
        s = self.settings
        software = software_note("rms", "Hmisc")
        out = [Table("calibration_numeric", self.numeric(), publication=False),
               Table("calibration", self.formatted(),
                     title=f"Calibration: val.prob statistics and Hosmer-Lemeshow test per cohort (calibration "
                           f"curves: rms::calibrate, B = {s['B']})", note=f"{calibration_note(s)} {software}"),
               Table("calibration_curve", self.curve_table(), publication=False)]
        if self.validation is not None:
            out.append(Table("optimism_corrected", self.validation, title="Bootstrap validation (rms::validate)",
                             note=f"Harrell's bootstrap (rms::validate, method = 'boot') of each model fitted on "
                                  f"the training cohort: B = {s['B']}, seed = {s['seed']}; AUC = Dxy/2 + 0.5; "
                                  f"corrected = apparent - optimism. {software}"))
        out.append(Table("calibration_summary", self.curve_summary, publication=False))
        observed = self.observed_table()
        if observed is not None:
            out.append(Table("observed_curves", observed, publication=False))
        if self.hl_table is not None:
            out.append(Table("hosmer_lemeshow", self.hl_table, publication=False))
        return out

    def tidy(self) -> pd.DataFrame:
        """Every number: per-cohort statistics, rms' curve summary, the validation indexes and every curve
        point (``row`` = grid point)."""
        train = self.settings["train_cohort"]
        rows = []
        for r in self.statistics.to_dict("records"):
            for stat in [c for c in self.statistics.columns if c not in ("model", "cohort", "n", "events")]:
                ci = ({"ci_low": r[f"{stat}_ci_low"], "ci_high": r[f"{stat}_ci_high"]}
                      if stat in _WITH_CI and f"{stat}_ci_low" in r else {})
                rows.append({"table": "calibration_numeric", "model": r["model"], "cohort": r["cohort"],
                             "statistic": stat, "value": r[stat], "n": r["n"], "events": r["events"], **ci})
        for r in self.curve_summary.to_dict("records"):
            for stat in ("B", "mean_absolute_error", "mean_squared_error", "quantile90_absolute_error"):
                rows.append({"table": "calibration_summary", "model": r["model"], "cohort": train,
                             "statistic": stat, "value": r[stat], "n": r["n"]})
        if self.validation is not None:
            for r in self.validation.to_dict("records"):
                for stat in ("apparent", "training", "test", "optimism", "corrected", "n"):
                    rows.append({"table": "optimism_corrected", "model": r["model"], "cohort": train,
                                 "row": r["index"], "statistic": "resamples" if stat == "n" else stat,
                                 "value": r[stat]})
        for model, curve in self.curves.items():
            rows += _curve_rows(curve, "calibration_curve", model, train, ("predicted", "apparent", "bias_corrected"))
        for cohort, curves in self.observed.items():
            for model, curve in curves.items():
                rows += _curve_rows(curve, "observed_curves", model, cohort, ("predicted", "observed"))
        if self.hl_table is not None:
            rows += [{"table": "hosmer_lemeshow", "model": r["model"], "cohort": r["cohort"], "row": f"group {r['group']}",
                      "statistic": stat, "value": r[stat], "n": r["n"]}
                     for r in self.hl_table.to_dict("records") for stat in HL_TABLE[1:-1]]
        return tidy_frame({"analysis": self.analysis, **r} for r in rows)

    # ----------------------------------------------------------------------------------------- figures

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """Per model, apparent and bias-corrected curves (``calibration_<model>``); every model's
        bias-corrected training curve on one panel (``figure6b_calibration``, the paper's Figure 6b); every
        other cohort's observed curves (``calibration_models_<cohort>``). The command, the API and the study
        stage all write them here, through :meth:`~eprstats.results.Result.write`."""
        folder = Path(folder)
        train = self.settings["train_cohort"]
        paths = []
        for label, curve in self.curves.items():
            paths += plot_calibration(curve, folder / f"calibration_{safe_name(label)}", formats,
                                      title=f"{label} ({train})")
        paths += plot_calibration_models(self.curves, folder / "figure6b_calibration", formats,
                                         title=f"Calibration ({train}, bias-corrected)")
        for cohort, curves in self.observed.items():
            paths += plot_calibration_models(curves, folder / f"calibration_models_{safe_name(cohort)}", formats,
                                             column="observed", title=f"Calibration ({cohort})")
        return paths


def _curve_rows(curve: pd.DataFrame, table: str, model: str, cohort: str, columns) -> list[dict]:
    return [{"table": table, "model": model, "cohort": cohort, "row": str(i), "statistic": col, "value": v}
            for i, point in enumerate(curve[list(columns)].itertuples(index=False))
            for col, v in zip(columns, point)]


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------

def plot_calibration_models(curves: dict, path, formats=("png", "pdf"), title: str | None = None,
                            column: str = "bias_corrected", xlabel: str = "Predicted probability") -> list[Path]:
    """Several models' curves on one panel with the ideal diagonal (the paper's Figure 6b layout):
    ``curves`` maps a model name to a frame with ``predicted`` and ``column`` (``bias_corrected`` for
    training curves, ``observed`` for :func:`observed_curve`)."""
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1.2, label="Ideal")
    for name, curve in curves.items():
        ax.plot(curve["predicted"], curve[column], linewidth=1.5, label=str(name))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Actual probability")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return save_figure(fig, path, formats)


def plot_calibration(curve: pd.DataFrame, path, formats=("png", "pdf"), title: str | None = None) -> list[Path]:
    """Apparent and bias-corrected curves against the ideal diagonal (the paper's Figure 6b)."""
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1.2, label="Ideal")
    ax.plot(curve["predicted"], curve["apparent"], color="tab:blue", linestyle="--", linewidth=1.4,
            label="Apparent")
    ax.plot(curve["predicted"], curve["bias_corrected"], color="black", linewidth=1.6, label="Bias-corrected")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Predicted probability")
    ax.set_ylabel("Actual probability")
    B = curve.attrs.get("B")
    mae = curve.attrs.get("mean_absolute_error")
    note = []
    if B is not None:
        note.append(f"B = {B} repetitions, boot")
    if mae is not None and not math.isnan(mae):
        note.append(f"Mean absolute error = {mae:.3f}, n = {curve.attrs.get('n')}")
    if note:
        ax.text(0.98, 0.02, "\n".join(note), ha="right", va="bottom", fontsize=7, transform=ax.transAxes)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    return save_figure(fig, path, formats)
