"""The GLSZM's zone fill by rows of three neighbours (engine/_fused.c fill_zone_rows, taken for every 3-D
image's 26 neighbours) against pyradiomics' C code (``radiomics.cMatrices.calculate_glszm``): the same matrix
on larger images than test_engine_matrices' (up to 40 voxels along an axis) with 1-3 grey levels, so zones of
thousands of voxels that reach every face of the array, and thin arrays (1-2 voxels along an axis)."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("radiomics")


def test_zone_fill_by_rows_equals_pyradiomics():
    from radiomics import cMatrices

    from eprstats.handcrafted.engine import matrices
    rng = np.random.default_rng(2026)
    for case in range(40):
        shape = tuple(int(n) for n in rng.integers(1, 41, 3))
        if case % 4 == 0:  # a thin array along one axis
            shape = tuple(int(rng.integers(1, 3)) if k == case % 3 else n for k, n in enumerate(shape))
        levels = int(rng.integers(1, 4))
        image = rng.integers(1, levels + 1, shape)
        mask = rng.random(shape) < rng.uniform(0.5, 1.0)
        mask[(0, 0, 0)] = True
        image[~mask] = 0
        Ng = int(image[mask].max())
        theirs = cMatrices.calculate_glszm(image, mask, Ng, int(mask.sum()), False, 0)
        ours = matrices.calculate_glszm(image, mask, Ng, int(mask.sum()), False, 0)
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, case
        assert np.array_equal(ours, theirs), case
