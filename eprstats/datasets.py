"""Example data shipped with the package, on which the API's docstring examples run (as pingouin's
``read_dataset``): ``ep.datasets.read_dataset("epr_cohort")``.

>>> import eprstats as ep
>>> ep.datasets.list_datasets()
['epr_cohort']
>>> df = ep.datasets.read_dataset("epr_cohort")
>>> df.shape, df.groupby("cohort", sort=False)["EPR"].agg(["size", "sum"]).values.tolist()
((157, 32), [[114, 46], [43, 20]])
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError

FOLDER = Path(__file__).resolve().parent / "data" / "example"

#: name -> (file, what it is); each file is written by scripts/make_example_data.py
DATASETS = {
    "epr_cohort": ("epr_cohort.csv", "157 synthetic patients shaped like the paper's (training 114 / external 43, "
                   "46 / 20 with EPR): Table 1's 15 clinical variables with the paper's printed counts, two "
                   "signature scores (PVP, PVP_DLR), ten feature columns f00..f09 and two models' predicted "
                   "probabilities (Clinical, PVP_DLRRN). Synthetic: no number computed from it says anything "
                   "about patients."),
}


def list_datasets() -> list[str]:
    """The names :func:`read_dataset` accepts."""
    return sorted(DATASETS)


def read_dataset(name: str) -> pd.DataFrame:
    """One example data set as a DataFrame, one row a patient (ids kept as text).

    Parameters
    ----------
    name : str
        One of :func:`list_datasets` (``"epr_cohort"``: see :data:`DATASETS`).

    Returns
    -------
    DataFrame
    """
    if name not in DATASETS:
        raise InputError(f"no example data set {name!r}", f"use one of: {', '.join(list_datasets())}")
    return pd.read_csv(FOLDER / DATASETS[name][0], dtype={"id": str})
