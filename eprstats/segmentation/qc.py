"""Quality control of the ROIs: a volume table (mL) with edge flags, and an overlay figure per patient."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..reporting.figures import save_figure, use_agg
from .rois import ROI_NAMES, ring_cut_by_edge, roi_volumes_ml

QC_COLUMNS = ["patient", "phase", *(f"{n}_ml" for n in ROI_NAMES), "ring_mm", "liver_clipped",
              "ring_cut_by_edge", "edge_sides"]


def qc_row(patient: str, phase: str, rois: dict, ring_mm: float = 3.0, liver_clipped: bool = False) -> dict:
    """One QC record: each ROI's volume in mL and whether the ring reaches the image edge."""
    volumes = roi_volumes_ml(rois)
    sides = ring_cut_by_edge(rois["tumour"], ring_mm) if "ring" in rois else []
    row = {"patient": str(patient), "phase": phase}
    for name in ROI_NAMES:
        row[f"{name}_ml"] = round(volumes[name], 6) if name in volumes else np.nan
    row.update({"ring_mm": float(ring_mm) if "ring" in rois else np.nan, "liver_clipped": bool(liver_clipped),
                "ring_cut_by_edge": bool(sides), "edge_sides": " ".join(sides)})
    return row


def qc_table(rows) -> pd.DataFrame:
    """The QC table from :func:`qc_row` records, sorted by patient and phase (stable output)."""
    frame = pd.DataFrame(list(rows), columns=QC_COLUMNS)
    return frame.sort_values(["patient", "phase"], kind="stable").reset_index(drop=True)


def overlay_figure(image, rois: dict, patient: str | None = None, phase: str | None = None):
    """Axial, coronal and sagittal slices through the tumour's largest axial section, with the tumour
    (red) and the ring's outer edge (yellow). Returns a matplotlib figure."""
    import SimpleITK as sitk

    plt = use_agg()
    img = sitk.GetArrayFromImage(image).astype(float)
    tumour = sitk.GetArrayFromImage(rois["tumour"]).astype(bool)
    # The ring's outer edge is the outline of tumour plus ring; drawn first so the tumour's stays visible.
    outer = sitk.GetArrayFromImage(rois["plus"]).astype(bool) if "plus" in rois else None
    z = int(np.argmax(tumour.sum(axis=(1, 2))))
    ys, xs = np.nonzero(tumour[z])
    y, x = (int(np.median(ys)), int(np.median(xs))) if ys.size else (img.shape[1] // 2, img.shape[2] // 2)
    lo, hi = np.percentile(img, [1, 99]) if img.size else (0, 1)
    sp = image.GetSpacing()
    views = [("axial", lambda a: a[z], sp[1] / sp[0]), ("coronal", lambda a: a[:, y, :][::-1], sp[2] / sp[0]),
             ("sagittal", lambda a: a[:, :, x][::-1], sp[2] / sp[1])]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.8))
    for ax, (name, cut, aspect) in zip(axes, views):
        ax.imshow(cut(img), cmap="gray", vmin=lo, vmax=hi if hi > lo else lo + 1, aspect=aspect,
                  interpolation="nearest")
        for mask, colour in ((outer, "yellow"), (tumour, "red")):
            if mask is not None and cut(mask).any():
                ax.contour(cut(mask).astype(float), levels=[0.5], colors=colour, linewidths=0.8)
        ax.set_title(name, fontsize=9)
        ax.axis("off")
    title = " ".join(str(t) for t in (patient, phase) if t is not None)
    fig.suptitle(f"{title}  (red: tumour, yellow: outer edge of the ring)".strip(), fontsize=10)
    return fig


def save_overlay(image, rois: dict, path, patient: str | None = None, phase: str | None = None) -> Path:
    """Write the overlay figure as PNG (atomically); returns the path."""
    fig = overlay_figure(image, rois, patient, phase)
    return save_figure(fig, path, formats=("png",), dpi=110)[0]
