"""pROC's aSAH data (113 patients), read from R itself: the shared data of the evaluation tests."""
from __future__ import annotations

import numpy as np


def load_asah(r, cohorts: str = "parity"):
    """outcome Poor = 1 as ``y``, ``wfns`` as its integer grade (an ordered factor in R), and a ``cohort``
    column: ``"parity"`` gives training / validation by row parity, ``"thirds"`` every third row external."""
    data = r.evaluate('data(aSAH, package = "pROC"); aSAH').reset_index(drop=True)
    data["y"] = (data["outcome"].astype(str) == "Poor").astype(int)
    data["wfns"] = data["wfns"].astype(int)
    rows = np.arange(len(data))
    data["cohort"] = (np.where(rows % 2 == 0, "training", "validation") if cohorts == "parity"
                      else np.where(rows % 3 == 0, "external", "training"))
    return data
