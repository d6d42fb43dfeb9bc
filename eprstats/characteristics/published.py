"""Patient-level data rebuilt from a published Table 1's counts.

A paper prints counts per variable, level, cohort and outcome group; the joint distribution of the
variables is not printed, so each variable is assigned independently. The rebuilt data reproduce every
printed count, percentage and p-value of the table (the tests depend only on the margins).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

#: the columns of a published Table 1 in eprstats' schema (see docs/audit.md)
GROUP_COLUMNS = {
    "train_non_epr": ("training", 0),
    "train_epr": ("training", 1),
    "external_non_epr": ("external", 0),
    "external_epr": ("external", 1),
}


def patients_from_counts(counts: pd.DataFrame, outcome: str = "EPR", cohort_col: str = "cohort",
                         seed: int | None = None, id_prefix: str = "P") -> pd.DataFrame:
    """One row a patient whose Table 1 margins equal ``counts``.

    ``counts`` has columns variable, level and one count column per cohort and outcome group
    (``train_non_epr``, ``train_epr``, ``external_non_epr``, ``external_epr``). With a ``seed`` the
    levels are shuffled within each group (independently per variable); without one they are sorted.
    """
    missing = [c for c in ("variable", "level", *GROUP_COLUMNS) if c not in counts.columns]
    if missing:
        raise InputError(f"published Table 1 counts lack column(s) {missing}",
                         f"columns must be variable, level, {', '.join(GROUP_COLUMNS)}")
    rng = np.random.default_rng(seed) if seed is not None else None
    frames = []
    for column, (cohort, y) in GROUP_COLUMNS.items():
        sizes = counts.groupby("variable", sort=False)[column].sum()
        if sizes.nunique() != 1:
            raise InputError(f"the variables' counts in {column!r} sum to different group sizes "
                             f"{sizes.to_dict()}", "check the transcription of Table 1", column=column)
        n = int(sizes.iloc[0])
        group = pd.DataFrame({cohort_col: [cohort] * n, outcome: [y] * n})
        for variable, rows in counts.groupby("variable", sort=False):
            values = np.repeat(rows["level"].to_numpy(), rows[column].to_numpy().astype(int))
            if rng is not None:
                values = rng.permutation(values)
            group[variable] = values
        frames.append(group)
    data = pd.concat(frames, ignore_index=True)
    data.insert(0, "id", [f"{id_prefix}{i + 1:04d}" for i in range(len(data))])
    return data
