"""The eprstats engine's compiled helpers outside the texture kernels, each against pyradiomics' or numpy's
own functions on the same arrays.

* MCC (engine/_mcc.c through mcc._second_largest_compiled): on random GLCMs (1-60 levels, 2-13 angles,
  symmetric or not, row- or column-major cells, levels absent at some angles) the same second eigenvalues and
  guard decisions as the numpy path bit for bit (the same H, so the same LAPACK call), and ``mcc_fast`` within
  1e-10 of pyradiomics' ``getMCCFeatureValue``.
"""
from __future__ import annotations

import logging
import warnings

import numpy as np
import pytest

pytest.importorskip("radiomics")


def _random_glcm(rng):
    """(P (1, Ng, Ng, Na) normalised per angle, Ng): random sparse counts, symmetric or not, a level absent at
    one angle, in row-major or column-major cells (the two layouts of engine/onepass.py)."""
    Ng, Na = int(rng.integers(1, 61)), int(rng.integers(2, 14))
    P = rng.integers(0, 20, (Ng, Ng, Na)) * (rng.random((Ng, Ng, Na)) < rng.uniform(0.05, 0.9))
    P = P.astype(float)
    if Ng > 2:
        gone = rng.integers(Ng)
        P[gone, :, rng.integers(Na)] = 0.0
        P[:, gone, rng.integers(Na)] = 0.0
    if rng.random() < 0.7:
        P = P + P.transpose(1, 0, 2)
    P[0, 0, :] += 1.0  # no empty angle
    P /= P.sum((0, 1), keepdims=True)
    if rng.random() < 0.5:  # column-major cells, as numpy.delete leaves pyradiomics' matrix
        P = np.ascontiguousarray(P.transpose(1, 0, 2)).transpose(1, 0, 2)
    return P[None], Ng


def _pyradiomics_mcc(P, Ng):
    from radiomics.glcm import RadiomicsGLCM
    fc = RadiomicsGLCM.__new__(RadiomicsGLCM)
    fc.P_glcm, fc.logger = P, logging.getLogger("radiomics.glcm")
    fc.coefficients = {"Ng": Ng, "grayLevels": np.arange(1, Ng + 1)}
    fc._calculateCoefficients()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fc.getMCCFeatureValue(), fc.coefficients


def test_compiled_mcc_equals_numpy_path_and_pyradiomics():
    from eprstats.handcrafted.engine import mcc
    if mcc._C is None:
        pytest.skip("engine/_mcc.c not built")
    rng = np.random.default_rng(25)
    compared = 0
    for case in range(150):
        P, Ng = _random_glcm(rng)
        theirs, c = _pyradiomics_mcc(P, Ng)
        px, py = c["px"][0, :, 0, :], c["py"][0, 0, :, :]
        keep = np.any(px > 0, axis=1)
        reference = mcc._second_largest_batch(P[0], px, py, c["eps"], keep)
        compiled = mcc._second_largest_compiled(P[0], px, py, c["eps"], np.flatnonzero(keep))
        assert (reference is None) == (compiled is None), case
        if reference is not None:
            assert np.array_equal(reference[0], compiled[0]), case
            assert np.array_equal(reference[1], compiled[1]), case
        ours = mcc.mcc_fast(P, c["px"], c["py"], c["eps"])
        if ours is None:  # pyradiomics' own value is the engine's then (engine/onepass.py)
            continue
        theirs = np.real(np.asarray(theirs, dtype=complex))
        assert np.all(np.abs(ours - theirs) <= np.maximum(1e-10 * np.abs(theirs), 1e-12)), (case, ours, theirs)
        compared += 1
    assert compared > 100


def test_compiled_first_order_sums_equal_numpy():
    """engine/_prep.c's first-order sums against numpy's reductions of the same arrays (firstorder._numpy_sums,
    pyradiomics' expressions), bit for bit: 1 to 70,000 voxels (every branch of numpy's pairwise summation),
    normal, rounded, flat and two-valued values, shifts, and two voxels with none inside [p10, p90]."""
    from eprstats.handcrafted.engine import firstorder
    if firstorder._C is None:
        pytest.skip("engine/_prep.c not built")
    rng = np.random.default_rng(7)
    for case in range(300):
        size = int(rng.choice([1, 2, 3, 7, 8, 9, 15, 16, 17, 128, 129, 255, 1000, 8192, 8193])) if case % 2 else \
            int(rng.integers(1, 70000))
        x = rng.normal(rng.uniform(-500, 500), rng.uniform(0.01, 300), size=(1, size))
        kind = case % 4
        if kind == 1:
            x = x.round()
        elif kind == 2:
            x = np.full((1, size), -7.25)
        elif kind == 3:
            x = rng.choice([-3.0, 3.0], size=(1, size))
        shift = [0, 1000, 2.5][case % 3]
        p10, p90 = np.percentile(x, [10, 90], axis=1)
        ours = np.empty(8)
        firstorder._C.firstorder_sums(x[0].copy(), size, float(shift), float(p10[0]), float(p90[0]), ours)
        assert np.array_equal(ours, firstorder._numpy_sums(x, shift, p10, p90)), (case, size)
    assert firstorder._compiled_sums_match()


def test_compiled_mesh_equals_array_path(monkeypatch):
    """engine/_prep.c's mesh area, volume and diameters against shape.py's array operations (the path of an
    installation without the compiled helpers; both tested against pyradiomics' cShape in
    test_engine_shape.py), bit for bit, on random 3-D and 2-D masks with anisotropic spacings."""
    from eprstats.handcrafted.engine import shape
    if shape._C is None:
        pytest.skip("engine/_prep.c not built")
    rng = np.random.default_rng(11)
    cases = []
    for case in range(40):
        ndim = 2 if case % 4 == 0 else 3
        size = tuple(int(n) for n in rng.integers(2, 16, ndim))
        mask = np.pad(rng.random(size) < rng.uniform(0.2, 0.9), 1)
        cases.append((mask, rng.uniform(0.3, 3.0, ndim)))
    compute = {2: shape.mesh_coefficients_2d, 3: shape.mesh_coefficients}
    compiled = [compute[m.ndim](m, s) for m, s in cases]
    monkeypatch.setattr(shape, "_C", None)
    assert compiled == [compute[m.ndim](m, s) for m, s in cases]


def test_compiled_component_count_equals_simpleitk():
    """engine/_prep.c's component count (diagnostics' VolumeNum) against SimpleITK's
    ConnectedComponentImageFilter with FullyConnectedOn, as pyradiomics counts: random 2-D, 3-D and one-slice
    masks from sparse (many components) to dense, and the empty and full boxes."""
    sitk = pytest.importorskip("SimpleITK")
    from eprstats.handcrafted.engine import diagnostics
    if diagnostics._C is None:
        pytest.skip("engine/_prep.c not built")
    rng = np.random.default_rng(5)
    masks = [np.zeros((3, 4, 5), bool), np.ones((3, 4, 5), bool), np.ones((1, 1), bool)]
    for case in range(300):
        ndim = [2, 3, 3][case % 3]
        shape = [int(n) for n in rng.integers(1, 25, ndim)]
        if case % 7 == 0:
            shape[0] = 1
        masks.append(rng.random(shape) < rng.uniform(0.03, 0.8))
    for case, mask in enumerate(masks):
        ours = diagnostics._ComponentCount()(mask)
        ccif = sitk.ConnectedComponentImageFilter()
        ccif.FullyConnectedOn()
        ccif.Execute(sitk.GetImageFromArray(mask.astype(np.uint8)))
        assert ours == ccif.GetObjectCount(), case


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "uint32", "uint64", "int16", "float32"])
def test_mask_check_of_each_pixel_type_equals_pyradiomics(dtype):
    """engine/preparation.get_mask (labels read before the cast for unsigned masks of up to 32 bits) against
    pyradiomics' getMask: the same UInt32 mask, or the same ValueError and message, for binary, multi-label,
    empty, label-less and large-label masks of each pixel type."""
    sitk = pytest.importorskip("SimpleITK")
    from radiomics import imageoperations

    from eprstats.handcrafted.engine.preparation import get_mask
    for values, label in (([0, 1, 1, 3], 1), ([0, 3, 7, 7], 7), ([0, 0, 0, 0], 1), ([0, 2, 5, 5], 1),
                          ([4, 4, 4, 4], 4), ([0, 1, 1, 1], 2), ([0, 300, 2, 2], 300), ([0, -1, 1, 1], 1)):
        array = np.resize(np.array(values), (3, 4, 5))
        if (np.dtype(dtype).kind == "u" and array.min() < 0) or (dtype == "uint8" and array.max() > 255):
            continue  # values the pixel type cannot hold
        mask = sitk.GetImageFromArray(array.astype(dtype))
        outcomes = []
        for check in (imageoperations.getMask, get_mask):
            try:
                got = check(mask, label=label)
                outcomes.append((got.GetPixelID(), sitk.Hash(got)))
            except ValueError as exc:
                outcomes.append(str(exc))
        assert outcomes[0] == outcomes[1], (values, label)
