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
