"""Grad-CAM of a deep signature over a patient's tumour slices (the paper's stated future work).

The signature is linear in the 512 features: ``score = b + sum_k beta_k f_k`` (a logit), where
``f_k = mean_{i,j} A_k(i, j)`` is the global average of ``layer4``'s channel ``k``. Grad-CAM (Selvaraju et
al., ICCV 2017) weights each channel by the spatial mean of the score's gradient,
``alpha_k = mean_{i,j} d score / d A_k(i, j)``, and keeps the positive part of ``sum_k alpha_k A_k``.
Through the average pool ``d score / d A_k(i, j) = beta_k / (h w)``, so the map equals
``relu(sum_k beta_k A_k) / (h w)``; we compute it by autograd (which also covers signatures fitted on
standardised features) and the tests check it against that closed form.

A signature fitted on z-scored features, ``score = b + sum_k beta_k (f_k - m_k) / s_k``, is first turned
into raw-feature coefficients ``beta_k / s_k`` (:func:`raw_coefficients`).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..fileio import read_csv
from ..reporting.figures import save_figure, use_agg
from . import crops as _crops
from .model import N_FEATURES, require_torch

INTERCEPT_NAMES = ("(intercept)", "intercept", "const", "(const)")


def raw_coefficients(coefficients, intercept: float = 0.0, center=None, scale=None):
    """(beta (512,), intercept) on raw features from a signature given by feature name (``f0`` ...).

    ``center``/``scale``: the means and SDs the signature's features were standardised with, if any.
    """
    coef = pd.Series(coefficients, dtype=float)
    beta = np.zeros(N_FEATURES)
    b0 = float(intercept)
    for name, value in coef.items():
        m = re.fullmatch(r"f(\d+)", str(name).strip())
        if not m or int(m.group(1)) >= N_FEATURES:
            raise InputError(f"signature term {name!r} is not a deep feature f0 ... f{N_FEATURES - 1}",
                             "give the deep signature's coefficients (named f0 ... f511)", column=str(name))
        k = int(m.group(1))
        s = float(pd.Series(scale).get(name, 1.0)) if scale is not None else 1.0
        c = float(pd.Series(center).get(name, 0.0)) if center is not None else 0.0
        if not s > 0:
            raise InputError(f"the scale of signature term {name!r} is {s}", "scales must be positive",
                             column=str(name))
        beta[k] += value / s
        b0 -= value * c / s
    return beta, b0


def read_signature(path) -> tuple[np.ndarray, float]:
    """A signature CSV: columns ``feature`` (or ``term``) and ``coefficient`` (or ``coef``/``beta``), the
    intercept as a row named ``(Intercept)``; optional ``mean``/``sd`` columns for standardised features."""
    table = read_csv(path, "signature")
    lower = {c.lower(): c for c in table.columns}
    name_col = next((lower[c] for c in ("feature", "term", "name", "variable") if c in lower), None)
    coef_col = next((lower[c] for c in ("coefficient", "coef", "beta", "estimate") if c in lower), None)
    if name_col is None or coef_col is None:
        raise InputError("the signature file needs a 'feature' and a 'coefficient' column",
                         "write one row per feature (f0 ... f511) and one row '(Intercept)'", file=str(path))
    is_b0 = table[name_col].astype(str).str.strip().str.lower().isin(INTERCEPT_NAMES)
    intercept = float(table.loc[is_b0, coef_col].sum())
    terms = table.loc[~is_b0]
    coef = dict(zip(terms[name_col].astype(str), terms[coef_col].astype(float)))
    center = dict(zip(terms[name_col].astype(str), terms[lower["mean"]])) if "mean" in lower else None
    scale = dict(zip(terms[name_col].astype(str), terms[lower["sd"]])) if "sd" in lower else None
    return raw_coefficients(coef, intercept, center, scale)


def gradcam(model, crops, beta, intercept: float = 0.0):
    """Grad-CAM maps (n, h, w) at ``layer4``'s resolution and the signature scores (n,) for ``crops``.

    ``crops``: ImageNet-normalised (n, 3, H, W) array or tensor; ``beta``: (512,) raw-feature coefficients.
    """
    torch, _ = require_torch()
    model = model[0] if isinstance(model, tuple) else model
    device = next(model.parameters()).device
    x = torch.as_tensor(np.asarray(crops, dtype=np.float32) if not torch.is_tensor(crops) else crops)
    x = x.to(device, torch.float32)
    w = torch.as_tensor(np.asarray(beta, dtype=np.float32), device=device)
    store = {}

    def hook(_module, _inputs, output):
        output.retain_grad()
        store["a"] = output

    handle = model.layer4.register_forward_hook(hook)
    try:
        model.eval()
        with torch.enable_grad():
            x.requires_grad_(False)
            feats = model(x)
            score = feats @ w + float(intercept)
            # Samples are independent in eval mode, so the gradient of the sum is each sample's own.
            score.sum().backward()
    finally:
        handle.remove()
        model.zero_grad(set_to_none=True)
    a, g = store["a"].detach(), store["a"].grad.detach()
    alpha = g.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((alpha * a).sum(dim=1))
    return cam.cpu().numpy(), score.detach().cpu().numpy()


def upsample(cams, size: int):
    """Bilinear upsampling of (n, h, w) maps to (n, size, size)."""
    torch, _ = require_torch()
    t = torch.as_tensor(cams)[:, None]
    return torch.nn.functional.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)[:, 0].numpy()


def gradcam_patient(image, mask, model, beta, intercept=0.0, patient="patient", out=None,
                    size: int = _crops.CROP_SIZE, max_slices: int = 24):
    """Grad-CAM over every tumour slice of one patient; with ``out``, a PNG overlay figure there.

    Returns a DataFrame (patient, slice, score, cam_max, padded, resized) and the upsampled maps (n, size, size). The
    figure shows each slice's centre channel (intensities in [0, 1]) with the map (scaled to the patient's
    maximum) and the tumour outline over it; at most ``max_slices`` evenly spaced slices are drawn.
    """
    plan = _crops.plan_crops(image, mask, size, patient)
    raw = plan.crops()
    z_lo, z_hi, y_lo, y_hi, x_lo, x_hi = plan.bounds
    tumour = np.asarray(mask)[z_lo:z_hi, y_lo:y_hi, x_lo:x_hi].astype(np.float32) if np.ndim(mask) == 3 else None
    outline = _crops.sample(tumour, plan.channels, plan.wy, plan.wx)[:, 1] if tumour is not None else None
    cams, scores = gradcam(model, _crops.imagenet_normalise(raw), beta, intercept)
    maps = upsample(cams, size)
    table = pd.DataFrame({"patient": str(patient), "slice": plan.table["slice"].to_numpy(), "score": scores,
                          "cam_max": cams.reshape(len(cams), -1).max(axis=1),
                          "padded": plan.table["padded"].to_numpy(), "resized": plan.table["resized"].to_numpy()})
    if out is not None:
        save_overlay(raw[:, 1], maps, table, out, patient, max_slices, outline)
    return table, maps


def save_overlay(background, maps, table, out, patient, max_slices: int = 24, outline=None):
    """A grid of slices with the heatmap over each (and the tumour outline), saved as PNG."""
    plt = use_agg()
    n = len(maps)
    pick = np.unique(np.linspace(0, n - 1, min(n, max_slices)).round().astype(int))
    cols = min(len(pick), 6)
    rows = int(np.ceil(len(pick) / cols))
    top = float(maps.max()) or 1.0
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.4 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), pick):
        ax.imshow(background[i], cmap="gray", vmin=0, vmax=1)
        ax.imshow(maps[i] / top, cmap="jet", alpha=0.4, vmin=0, vmax=1)
        if outline is not None and outline[i].max() > 0.5:
            ax.contour(outline[i], levels=[0.5], colors="white", linewidths=0.6)
        ax.set_title(f"slice {int(table['slice'].iloc[i])}  score {table['score'].iloc[i]:.2f}", fontsize=7)
    fig.suptitle(f"Grad-CAM of the deep signature, patient {patient}", fontsize=9)
    return save_figure(fig, Path(out), formats=("png",))
