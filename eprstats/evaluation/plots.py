"""Figures for discrimination: ROC curves per cohort (the paper's Figure 5) and the distribution of each
signature by outcome per cohort, as box plots and waterfall plots (the paper's Supplementary Figure S2).

Every function takes tidy DataFrames (a :class:`~.discrimination_result.Discrimination`'s ``curves``, ``roc``
and ``values``) and writes PNG and PDF through :func:`eprstats.reporting.figures.save_figure`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import safe_component
from ..reporting.figures import save_figure, use_agg

EVENT_COLOURS = ("#1f77b4", "#d62728")  # no event, event


def safe_name(text: str) -> str:
    """A model or cohort label as part of a file name: :func:`eprstats.paths.safe_component` (unchanged for
    ordinary labels; unsafe characters percent-encoded, so two labels never share a file)."""
    return safe_component(str(text), "model or cohort name")


def plot_roc(curves: pd.DataFrame, roc: pd.DataFrame, cohort: str, path, formats=("png", "pdf"),
             title: str | None = None) -> list[Path]:
    """All models' ROC curves in one cohort on one axes, the legend giving each AUC (95% CI)."""
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    sub = curves[curves["cohort"] == cohort]
    for model in dict.fromkeys(sub["model"]):
        c = sub[sub["model"] == model].sort_values(["specificity", "sensitivity"], ascending=[False, True])
        hit = roc[(roc["model"] == model) & (roc["cohort"] == cohort)]
        label = model
        if not hit.empty:
            h = hit.iloc[0]
            label = f"{model}: AUC {h['auc']:.3f} ({h['auc_ci_low']:.3f}-{h['auc_ci_high']:.3f})"
        # Consecutive ROC points joined by straight lines, as pROC's plot.roc draws them: a tied score (a binary
        # model has one threshold) gives the diagonal segment whose area the AUC counts, not a staircase.
        ax.plot(1 - c["specificity"].to_numpy(), c["sensitivity"].to_numpy(), lw=1.4, label=label)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=0.8)
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("1 - Specificity")
    ax.set_ylabel("Sensitivity")
    ax.set_title(title or f"ROC curves, {cohort} cohort")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    return save_figure(fig, path, formats)


def scores_long(data: pd.DataFrame, outcome: str, scores: list[str], cohort_col: str | None) -> pd.DataFrame:
    """A wide score table as the long frame the distribution figures draw: model, cohort, outcome, score
    (``Discrimination.values`` is already in this form)."""
    cohort = data[cohort_col].astype(str) if cohort_col else pd.Series("all", index=data.index)
    frames = [pd.DataFrame({"model": m, "cohort": cohort.to_numpy(), "outcome": data[outcome].astype(int).to_numpy(),
                            "score": pd.to_numeric(data[m]).to_numpy(float)}) for m in scores]
    return pd.concat(frames, ignore_index=True)


def plot_distribution_box(values: pd.DataFrame, path, cohorts: list[str] | None = None,
                          outcome_labels=("No event", "Event"), formats=("png", "pdf")) -> list[Path]:
    """Box plots (with the points) of each score by outcome; one panel per model and cohort. ``values``:
    model, cohort, outcome, score (see :func:`scores_long`)."""
    plt = use_agg()
    long = values
    scores = list(dict.fromkeys(long["model"]))
    cohorts = list(cohorts) if cohorts else list(dict.fromkeys(long["cohort"]))
    fig, axes = plt.subplots(len(cohorts), len(scores), figsize=(2.2 * len(scores) + 0.5, 2.6 * len(cohorts)),
                             squeeze=False)
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
    for i, cohort in enumerate(cohorts):
        for j, model in enumerate(scores):
            ax = axes[i][j]
            sub = long[(long["cohort"] == cohort) & (long["model"] == model)]
            groups = [sub.loc[sub["outcome"] == k, "score"].to_numpy() for k in (0, 1)]
            ax.boxplot(groups, widths=0.5, showfliers=False)
            for k, group in enumerate(groups):
                ax.scatter(k + 1 + rng.uniform(-0.12, 0.12, len(group)), group, s=6,
                           color=EVENT_COLOURS[k], alpha=0.7)
            ax.set_xticks([1, 2])
            ax.set_xticklabels(outcome_labels, fontsize=7)
            ax.set_title(f"{model} ({cohort})", fontsize=8)
            ax.tick_params(labelsize=7)
    fig.tight_layout()
    return save_figure(fig, path, formats)


def plot_waterfall(values: pd.DataFrame, model: str, cutoff: float, path, cohorts: list[str] | None = None,
                   outcome_labels=("No event", "Event"), formats=("png", "pdf")) -> list[Path]:
    """Waterfall plot of one score minus its training cut-off, sorted, coloured by outcome; a panel per
    cohort. ``values``: model, cohort, outcome, score (see :func:`scores_long`)."""
    plt = use_agg()
    long = values[values["model"] == model]
    cohorts = list(cohorts) if cohorts else list(dict.fromkeys(long["cohort"]))
    fig, axes = plt.subplots(1, len(cohorts), figsize=(4.5 * len(cohorts), 3.2), squeeze=False)
    for index, (ax, cohort) in enumerate(zip(axes[0], cohorts)):
        sub = long[long["cohort"] == cohort].sort_values("score", ascending=False, kind="mergesort")
        heights = sub["score"].to_numpy() - cutoff
        colours = [EVENT_COLOURS[int(k)] for k in sub["outcome"]]
        ax.bar(np.arange(len(heights)), heights, color=colours, width=0.9)
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(f"{model}, {cohort} cohort", fontsize=9)
        ax.set_xlabel("Patients")
        if index == 0:
            ax.set_ylabel(f"Score minus cut-off ({cutoff:.4g})")
        ax.set_xticks([])
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in EVENT_COLOURS]
        ax.legend(handles, outcome_labels, fontsize=7, frameon=False)
    fig.tight_layout()
    return save_figure(fig, path, formats)
