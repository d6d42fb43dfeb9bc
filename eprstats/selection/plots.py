"""Supplementary Figure S1: the LASSO coefficient path and the cross-validation curve, glmnet style."""
from __future__ import annotations

import numpy as np

from ..reporting.figures import save_figure, use_agg


def _lambda_lines(ax, res):
    ax.axvline(np.log(res.lambda_min), color="0.3", ls="--", lw=0.8, label=f"lambda.min = {res.lambda_min:.4g}")
    ax.axvline(np.log(res.lambda_1se), color="0.3", ls=":", lw=0.8, label=f"lambda.1se = {res.lambda_1se:.4g}")


def plot_lasso_path(res, path, title: str | None = None, formats=("png", "pdf")):
    """Coefficients of every candidate against log(lambda) (plot(glmnet_fit, xvar = "lambda"))."""
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    wide = res.path.pivot_table(index="log_lambda", columns="feature", values="coefficient", sort=False)
    wide = wide.sort_index()
    for col in wide.columns:
        ax.plot(wide.index, wide[col], lw=0.9)
    _lambda_lines(ax, res)
    ax.axhline(0, color="0.6", lw=0.5)
    ax.set_xlabel("log(lambda)")
    ax.set_ylabel("Coefficient")
    ax.set_title(title or "LASSO coefficient path")
    ax.legend(fontsize=7, loc="best", frameon=False)
    return save_figure(fig, path, formats)


def plot_lasso_cv(res, path, title: str | None = None, formats=("png", "pdf")):
    """Cross-validated binomial deviance with +/- 1 SE bars against log(lambda) (plot(cv.glmnet))."""
    plt = use_agg()
    cv = res.cv_curve
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.errorbar(cv["log_lambda"], cv["cvm"], yerr=cv["cvsd"], fmt="o", ms=3, color="tab:red", ecolor="0.6",
                elinewidth=0.6, capsize=1.5)
    _lambda_lines(ax, res)
    top = ax.secondary_xaxis("top")
    step = max(1, len(cv) // 10)
    top.set_xticks(cv["log_lambda"].to_numpy()[::step])
    top.set_xticklabels(cv["nzero"].astype(int).to_numpy()[::step], fontsize=7)
    ax.set_xlabel("log(lambda)")
    ax.set_ylabel("Binomial deviance (CV)")
    ax.set_title(title or f"{res.nfolds}-fold cross-validation", pad=18)
    ax.legend(fontsize=7, loc="best", frameon=False)
    return save_figure(fig, path, formats)
