"""The study stages' work on a Dask cluster (ROI volumes per patient, ICC per block of features); the
connection, the workers' check and the ordered mapping are :mod:`eprstats.cluster`, the deep features'
:mod:`eprstats.deep.cluster`."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..cluster import in_order, task_key, threads
from ..segmentation.rois import roi_volumes_ml, study_rois
from ..selection.icc import icc


def roi_volumes(patient: str, study, phase: str) -> dict:
    """On a worker: one patient's ROI volumes in mL (the ``rois`` stage's row)."""
    _, rois = study_rois(study, patient, phase)
    return {"id": patient, "phase": phase, **{f"{k}_ml": v for k, v in roi_volumes_ml(rois).items()}}


def icc_blocks(client, ratings: dict, *, features: list, threshold, intra: dict | None = None, roi=None,
               id_col: str = "id"):
    """:func:`eprstats.selection.icc.icc` with the features split into blocks computed on the cluster.

    Every ICC is computed per feature (:mod:`eprstats.selection.icc_anova` reduces each feature's column on
    its own), so the blocks joined in order give the bytes of one call on all features."""
    n_blocks = max(1, min(len(features), 2 * threads(client)))
    blocks = [list(b) for b in np.array_split(np.asarray(features, dtype=object), n_blocks) if len(b)]

    def cut(tables, block):
        return None if tables is None else {k: t[[id_col, *block]] for k, t in tables.items()}

    token = task_key("icc")
    futures = [client.submit(_icc_block, cut(ratings, b), b, threshold, cut(intra, b), roi, id_col,
                             key=f"{token}-{i}", pure=False)
               for i, b in enumerate(blocks)]
    return join_icc_blocks(list(in_order(client, futures)))


def _icc_block(ratings, features, threshold, intra, roi, id_col):
    return icc(ratings, id_col=id_col, features=features, threshold=threshold, intra=intra, roi=roi)


def join_icc_blocks(parts: list):
    """One ROI's ICC result from the results of consecutive blocks of its features."""
    first = parts[0]
    readings = [p.readings[0] for p in parts]
    r0 = readings[0]

    def joined(name):
        frames = [getattr(r, name) for r in readings]
        return None if frames[0] is None else pd.concat(frames, ignore_index=True)

    kept = None if r0.kept is None else [f for r in readings for f in r.kept]
    reading = dataclasses.replace(r0, features=[f for r in readings for f in r.features], inter=joined("inter"),
                                  intra=joined("intra"), kept=kept)
    return dataclasses.replace(first, readings=(reading,))


