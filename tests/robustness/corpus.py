"""Helpers shared by the robustness tests: building bad files and checking how eprstats fails."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def assert_clean_failure(code, err, out_dir: Path | None, needles=(), exit_code=2):
    """A bad input ends with the documented exit code, a message with a fix, no traceback, and no
    output left behind as if it were complete."""
    assert code == exit_code, f"exit {code}, stderr: {err}"
    assert "Traceback" not in err
    assert err.startswith("error: "), err
    assert "Fix:" in err, err
    for needle in needles:
        assert needle in err, f"{needle!r} not in: {err}"
    if out_dir is not None and out_dir.exists():
        leftovers = [p for p in out_dir.rglob("*") if p.is_file()]
        assert not leftovers, f"partial output left: {leftovers}"


def patients(n_train=60, n_ext=30, seed=0) -> pd.DataFrame:
    """A small valid patient table with a binary outcome, a cohort and clinical variables."""
    rng = np.random.default_rng(seed)
    n = n_train + n_ext
    return pd.DataFrame({
        "id": [f"P{i:03d}" for i in range(n)],
        "cohort": ["training"] * n_train + ["external"] * n_ext,
        "EPR": np.tile([0, 1], n // 2 + 1)[:n],
        "AFP": rng.integers(0, 2, n),
        "BCLC": rng.integers(0, 4, n),
        "age": rng.normal(55, 10, n).round(1),
        "score": rng.normal(size=n),
    })


def error_paragraph(err: str) -> str:
    """The error message after any warnings the analysis printed on its way (ours and R's, one line each),
    checked to be a single paragraph."""
    lines = err.strip().splitlines()
    while lines and not lines[0].startswith("error: ") and "warning" in lines[0].split(":")[0]:
        lines.pop(0)
    assert len(lines) == 1, f"not one paragraph: {err}"
    return lines[0]
