"""Saving figures as PNG and PDF, reproducibly (no timestamps in the files)."""
from __future__ import annotations

from pathlib import Path

from ..fileio import atomic_path


def use_agg():
    """A non-interactive backend: figures are written to files, never shown."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, path, formats=("png", "pdf"), dpi: int = 200) -> list[Path]:
    """Save ``fig`` as ``path`` with each suffix in ``formats``, atomically, and close it."""
    import matplotlib.pyplot as plt
    base = Path(path)
    if base.suffix.lower() in (".png", ".pdf", ".svg"):
        base = base.with_suffix("")
    written = []
    for fmt in formats:
        target = base.with_suffix(f".{fmt}")
        # Fixed metadata so the same figure gives the same bytes.
        metadata = {"CreationDate": None} if fmt == "pdf" else ({"Software": None} if fmt == "png" else None)
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=metadata)
        written.append(target)
    plt.close(fig)
    return written
