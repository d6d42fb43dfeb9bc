"""Nomogram of a fitted logistic model: ``rms::datadist`` + ``rms::nomogram(fun = plogis)``.

Each predictor's axis gives points proportional to its contribution to the linear predictor,
points_j(x) = maxscale * (b_j x - min b_j x) / max_k range(b_k x_k) (Harrell, Regression Modeling
Strategies, 2015, section 10.7); the patient's total points map to the predicted probability
1/(1+exp(-lp)) on the probability axis. The points table is returned as a DataFrame
(variable, kind, value, points) and the figure is drawn from that table with matplotlib.

Example
-------
>>> result = nomogram(model)            # model from eprstats.evaluation.models.fit_logistic
>>> result.points                       # variable, kind (predictor/total/probability), value, points
>>> plot_nomogram(result, "fig/nomogram")   # PNG and PDF
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..reporting.figures import save_figure, use_agg
from .logistic import DEFAULT_FUN_AT, LogisticModel, _r


@dataclass
class NomogramResult:
    model: str
    points: pd.DataFrame          # variable, kind, value, points
    settings: dict


def check_fun_at(fun_at, model: str | None = None, option: str = "probability axis") -> list[float]:
    """The nomogram's probability-axis values as floats, each strictly between 0 and 1 (checked before any
    work: ``option`` names them as the user gave them, e.g. ``--prob-axis``)."""
    example = f"{option} 0.1,0.5,0.9" if option.startswith("--") else "values such as 0.1,0.5,0.9"
    try:
        values = [float(f) for f in fun_at]
    except (TypeError, ValueError):
        raise InputError(f"{option} {','.join(map(str, fun_at))!r} is not a list of numbers", f"give {example}",
                         model=model) from None
    if not values or any(not 0 < f < 1 for f in values):
        raise InputError(f"{option} values {values} must lie strictly between 0 and 1", f"give {example}",
                         model=model)
    return values


def nomogram(model: LogisticModel, fun_at=DEFAULT_FUN_AT, funlabel: str = "Probability",
             maxscale: float = 100) -> NomogramResult:
    """The nomogram's points table from ``rms::nomogram(fit, fun = plogis, fun.at = fun_at, lp = FALSE)``.

    Rows of kind ``predictor`` give each predictor value's points; ``total`` the total-points axis;
    ``probability`` the total points (column ``points``) at which the predicted probability equals
    ``value``.
    """
    fun_at = check_fun_at(fun_at, model.name)
    table = _r().call("models_nomogram", model.r_fit, fun_at=fun_at, funlabel=funlabel, maxscale=float(maxscale))
    table = table.rename(columns={"axis": "variable"})
    table["points"] = table["points"].astype(float)
    settings = {"function": "rms::nomogram", "fun": "plogis", "fun_at": fun_at, "funlabel": funlabel,
                "maxscale": maxscale, "lp": False}
    return NomogramResult(model=model.name, points=table[["variable", "kind", "value", "points"]], settings=settings)


def _label(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:g}"


def plot_nomogram(result: NomogramResult, path, formats=("png", "pdf"), title: str | None = None) -> list[Path]:
    """Draw the nomogram (Points, one axis per predictor, Total Points, probability) as PNG and PDF."""
    plt = use_agg()
    pts = result.points
    predictors = [v for v in dict.fromkeys(pts.loc[pts["kind"] == "predictor", "variable"])]
    total = pts[pts["kind"] == "total"]
    prob = pts[pts["kind"] == "probability"]
    maxscale = float(result.settings.get("maxscale", 100))
    t_lo, t_hi = float(total["points"].min()), float(total["points"].max())

    def to_x(total_points):  # the total-points axis is drawn over the same width as the points axis
        return (np.asarray(total_points, dtype=float) - t_lo) / (t_hi - t_lo) * maxscale

    rows = [("Points", np.linspace(0, maxscale, 11), [f"{v:g}" for v in np.linspace(0, maxscale, 11)])]
    for var in predictors:
        sub = pts[(pts["kind"] == "predictor") & (pts["variable"] == var)]
        rows.append((var, sub["points"].to_numpy(float), [_label(v) for v in sub["value"]]))
    rows.append(("Total Points", to_x(total["points"]), [_label(v) for v in total["value"]]))
    funlabel = prob["variable"].iloc[0] if len(prob) else "Probability"
    rows.append((funlabel, to_x(prob["points"]), [_label(v) for v in prob["value"]]))

    fig, ax = plt.subplots(figsize=(9, 0.6 * len(rows) + 1.0))
    for i, (label, xs, labels) in enumerate(rows):
        yline = len(rows) - 1 - i
        ax.text(-4, yline, label, ha="right", va="center", fontsize=9)
        if len(xs) == 0:
            continue
        ax.plot([xs.min(), xs.max()], [yline, yline], color="black", lw=0.8)
        last = None
        for x, text in sorted(zip(xs, labels), key=lambda t: t[0]):
            ax.plot([x, x], [yline, yline + 0.12], color="black", lw=0.8)
            # Labels closer than the width of a label would overlap: keep every tick, label some.
            if last is None or x - last >= 0.7 * max(len(text), 2) * maxscale / 100:
                ax.text(x, yline + 0.18, text, ha="center", va="bottom", fontsize=7)
                last = x
    ax.set_xlim(-2, maxscale + 4)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return save_figure(fig, path, formats)
