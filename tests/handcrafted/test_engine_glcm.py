"""The eprstats engine's compiled GLCM features (engine/glcm_kernels.py), its MCC's per-angle fallback
(engine/mcc.py) and its first-order shortcuts (engine/firstorder.py), each against pyradiomics' or numpy's own
functions called directly on the same arrays.

* GLCM: pyradiomics' ``RadiomicsGLCM`` on random images (2-D and 3-D, symmetric or not, several distances and
  bin widths) computes its matrix, coefficients and every feature with its own methods; the kernel, given the
  same matrix, must return the same coefficients and features -- bit for bit where this platform's numpy uses
  the C library's ``pow`` and ``log2`` (checked first), else within 1e-10 relative -- for pyradiomics' own matrix
  (column-major cells, as np.delete leaves them) and for a row-major copy of it (pyradiomics' methods rerun on
  that copy: numpy then reduces in the other order, and so must the kernel).
* MCC: a matrix with one angle at which the grey levels form two sets that never neighbour each other (two
  eigenvalues near 1: the symmetric path's guard fails there) must give pyradiomics' ``getMCCFeatureValue``
  within 1e-10, with only that angle recomputed.
* The shared discretisation's grey levels and counts against ``numpy.unique``.
* First order: the percentiles and the median from one sort against ``numpy.percentile``/``numpy.median``
  (bit for bit), and every first-order feature against pyradiomics' own methods on random, rounded, flat,
  two-valued and 1- to 3-voxel value arrays.
"""
from __future__ import annotations

import logging
import math
import warnings

import numpy as np
import pytest

pytest.importorskip("radiomics")

GLCM_COEFFICIENTS = ("px", "py", "ux", "uy", "pxAddy", "pxSuby", "HXY")


def _platform_functions_match() -> bool:
    """Whether numpy's power (x**3, x**4, e**x) and log2 give the C library's values here (then the kernel's
    terms are numpy's terms exactly); on other platforms (e.g. numpy's AVX-512 routines) they may differ by
    one unit in the last place."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=20000) * 50
    y = np.abs(x) * 1e-3 + np.spacing(1)
    return (all(float(np.power(v, 3.0)) == math.pow(v, 3.0) and float(np.power(v, 4.0)) == math.pow(v, 4.0)
                for v in x[:2000])
            and all(float(np.log2(v)) == math.log2(v) for v in y[:2000])
            and all(float(np.e ** -v) == math.pow(math.e, -v) for v in y[:2000]))


def _random_glcm(seed):
    """pyradiomics' RadiomicsGLCM on a random image and mask, its matrix computed (``_initCalculation``)."""
    import SimpleITK as sitk
    from radiomics.glcm import RadiomicsGLCM

    rng = np.random.default_rng(seed)
    ndim = 2 if seed % 4 == 0 else 3
    shape = tuple(int(n) for n in rng.integers(3, 13, ndim))
    image = rng.integers(0, int(rng.integers(2, 90)), shape).astype(float) * 5
    mask = (rng.random(shape) < rng.uniform(0.3, 1.0)).astype(np.uint8)
    mask[(0,) * ndim] = 1
    mask[tuple(n - 1 for n in shape)] = 1
    settings = {"binWidth": int(rng.choice([5, 10, 25])), "symmetricalGLCM": bool(seed % 3),
                "distances": [[1], [1, 2], [2]][seed % 3]}
    fc = RadiomicsGLCM(sitk.GetImageFromArray(image), sitk.GetImageFromArray(mask), **settings)
    fc._initCalculation()
    return fc


def _pyradiomics_values(fc):
    """pyradiomics' coefficients and its 23 feature methods for ``fc`` (its P_glcm as it is now)."""
    from eprstats.handcrafted.engine.glcm_kernels import FEATURES
    fc._calculateCoefficients()
    coefficients = {k: fc.coefficients[k] for k in GLCM_COEFFICIENTS}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return coefficients, {f: np.asarray(getattr(fc, f"get{f}FeatureValue")()) for f in FEATURES}


def _assert_same(name, ours, theirs, exact):
    assert ours.shape == theirs.shape, f"{name}: shape {ours.shape} != {theirs.shape}"
    if exact:
        assert np.array_equal(ours, theirs, equal_nan=True), f"{name}: {ours!r} != {theirs!r}"
    else:
        close = np.abs(ours - theirs) <= np.maximum(1e-10 * np.abs(theirs), 1e-12)
        assert np.all(close | (np.isnan(ours) & np.isnan(theirs))), f"{name}: {ours!r} != {theirs!r}"


@pytest.mark.parametrize("block", range(4))
def test_glcm_kernel_equals_pyradiomics(block):
    """40 random GLCMs (10 per block), each in pyradiomics' layout and in a row-major copy."""
    from eprstats.handcrafted.engine.glcm_kernels import glcm_coefficients_and_features, usable
    logging.getLogger("radiomics").setLevel(logging.ERROR)
    exact = _platform_functions_match()
    layouts, refused = set(), 0
    for seed in range(10 * block, 10 * block + 10):
        fc = _random_glcm(seed)
        for layout in ("pyradiomics", "row-major"):
            if layout == "row-major":
                fc.P_glcm = np.ascontiguousarray(fc.P_glcm)
            P = fc.P_glcm
            if not usable(P):
                # one angle, or the angles not innermost (np.delete of empty angles leaves them outermost):
                # numpy's order is not the kernel's, so pyradiomics' code computes these
                assert P.shape[3] < 2 or P.strides[3] > min(P.strides[1:3]), f"seed {seed}: refused"
                refused += 1
                continue
            layouts.add(P.strides[1] > P.strides[2])
            theirs_c, theirs_f = _pyradiomics_values(fc)
            ours_c, ours_f = glcm_coefficients_and_features(P, fc.coefficients["grayLevels"], fc.coefficients["Ng"])
            where = f"seed {seed}, {layout}, P {P.shape}"
            for k in GLCM_COEFFICIENTS:
                _assert_same(f"{where}: {k}", ours_c[k], theirs_c[k], exact)
            for f, value in theirs_f.items():
                _assert_same(f"{where}: {f}", ours_f[f], value, exact)
    assert layouts == {True, False}, "both cell orders were exercised"
    assert refused <= 4, "most matrices go through the kernel"


def test_glcm_kernel_refuses_what_it_does_not_compute():
    """One angle (numpy then sums the cells pairwise), NaN (a 0/0 matrix), voxel-based (several matrices)."""
    from eprstats.handcrafted.engine.glcm_kernels import usable
    P = np.random.default_rng(1).random((1, 4, 4, 13))
    assert usable(P)
    assert not usable(P[..., :1])
    assert not usable(np.where(P > 0.5, np.nan, P))
    assert not usable(np.concatenate([P, P]))


def test_glcm_kernel_refuses_levels_it_cannot_index():
    """The C pass indexes p_x+y and p_x-y by the grey levels: a level outside 1..Ng, a level count that is not
    the matrix's, or Ng < 1 is a ValueError, not a write outside the arrays."""
    from eprstats.handcrafted.engine.glcm_kernels import _glcm_pass
    P = np.full((3, 3, 2), 1 / 9)
    for levels, Ng in (([1.0, 2.0, 5.0], 4), ([0.0, 1.0, 2.0], 2), ([1.0, np.nan, 2.0], 2), ([1.0, 2.0], 2),
                       ([1.0, 2.0, 3.0], 0)):
        with pytest.raises(ValueError):
            _glcm_pass(P, np.array(levels), Ng, np.spacing(1), False)


def _mcc_case():
    """A normalised symmetric P (1, 8, 8, 4): at angle 1 the levels 1-4 and 5-8 never neighbour each other,
    with the same counts (as on the demo: two equal eigenvalues just below 1, the guard's gap is zero)."""
    rng = np.random.default_rng(7)
    P = rng.integers(1, 40, (8, 8, 4)).astype(float)
    P[:4, 4:, 1] = 0
    P[4:, :4, 1] = 0
    P[4:, 4:, 1] = P[:4, :4, 1]
    P = P + P.transpose(1, 0, 2)
    return (P / P.sum((0, 1), keepdims=True))[None]


def test_mcc_one_failing_angle_takes_pyradiomics_value():
    from radiomics.glcm import RadiomicsGLCM

    from eprstats.handcrafted.engine.mcc import _second_largest_numpy, mcc_fast
    P = _mcc_case()
    fc = RadiomicsGLCM.__new__(RadiomicsGLCM)
    fc.P_glcm, fc.logger = P, logging.getLogger("radiomics.glcm")
    fc.coefficients = {"Ng": 8, "grayLevels": np.arange(1, 9)}
    fc._calculateCoefficients()
    c = fc.coefficients
    theirs = float(fc.getMCCFeatureValue()[0])
    _, exact = _second_largest_numpy(P[0], c["px"][0, :, 0, :], c["py"][0, 0, :, :], c["eps"])
    assert exact.tolist() == [False, True, False, False], "only the block-diagonal angle is recomputed"
    ours = float(mcc_fast(P, c["px"], c["py"], c["eps"])[0])
    assert abs(ours - theirs) <= 1e-10 * abs(theirs), (ours, theirs)


def _value_arrays():
    rng = np.random.default_rng(3)
    for case in range(200):
        n = int(rng.choice([1, 2, 3, 4, 5, 8, 10, 99, 100, 1001, 5000]))
        kind = case % 4
        x = rng.normal(100, 30, size=(1, n))
        if kind == 1:
            x = x.round()
        elif kind == 2:
            x = np.full((1, n), 7.0)
        elif kind == 3:
            x = rng.choice([-3.0, 3.0], size=(1, n))
        yield case, x


def test_percentiles_and_median_from_one_sort_equal_numpy():
    from eprstats.handcrafted.engine.firstorder import median, percentiles
    for case, x in _value_arrays():
        ordered = np.sort(x[0])
        assert np.array_equal(percentiles(ordered, (10, 25, 75, 90)),
                              np.percentile(x, [10, 25, 75, 90], axis=1)[:, 0]), case
        assert np.array_equal(median(ordered), np.median(x, 1)), case


def test_percentiles_and_median_bits_on_small_and_extreme_arrays():
    """The Python-float steps of firstorder.percentiles/median against numpy's own functions byte for byte
    (the sign of a zero and infinities included): every length 1-40 (every branch of the virtual index, the
    last index and even/odd medians), values with subnormals, +-inf and huge magnitudes. (Not -0.0 beside
    0.0: which of two equal zeros numpy's partition puts in the middle differs from the sort's order, for
    the sort before this path too.)"""
    from eprstats.handcrafted.engine.firstorder import median, percentiles
    rng = np.random.default_rng(11)
    for n in range(1, 41):
        for kind in range(4):
            x = rng.normal(0, 1e300 if kind == 3 else 10, size=(1, n))
            if kind == 1:
                x = rng.choice([0.0, 1e-310, -1e-310, 5e-324], size=(1, n))
            elif kind == 2:
                x[0, rng.integers(n)] = np.inf
                x[0, rng.integers(n)] = -np.inf
            ordered = np.sort(x[0])
            with np.errstate(invalid="ignore", over="ignore"):
                want_p = np.percentile(x, [10, 25, 75, 90], axis=1)[:, 0]
                want_m = np.median(x, 1)
                got_p, got_m = percentiles(ordered, (10, 25, 75, 90)), median(ordered)
            assert got_p.dtype == want_p.dtype and got_p.tobytes() == want_p.tobytes(), (n, kind, got_p, want_p)
            assert got_m.shape == want_m.shape and got_m.tobytes() == want_m.tobytes(), (n, kind, got_m, want_m)


def test_first_order_equals_pyradiomics_methods():
    """Every first-order feature against pyradiomics' own method on the same values: bit for bit except the
    kurtosis (fourth powers as squares of squares: within 1e-15 relative) and the skewness (cubes as
    products, terms of both signs: within 1e-14 relative or 1e-15 absolute, far inside 1e-10 / 1e-12)."""
    from radiomics.firstorder import RadiomicsFirstOrder

    from eprstats.handcrafted.engine.firstorder import _all_features
    for case, x in _value_arrays():
        p_i = np.array([[0.25, 0.75]])
        fc = RadiomicsFirstOrder.__new__(RadiomicsFirstOrder)
        fc.targetVoxelArray, fc.coefficients = x, {"p_i": p_i}
        fc.voxelArrayShift, fc.pixelSpacing = 0, (0.8, 0.8, 3.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the robust MAD of two voxels: nanmean of nothing
            ours = _all_features(x, p_i, 0, fc.pixelSpacing)
            for name, value in ours.items():
                theirs = np.asarray(getattr(fc, f"get{name}FeatureValue")())
                if name == "Kurtosis":
                    assert np.allclose(value, theirs, rtol=1e-15, atol=0, equal_nan=True), (case, name)
                elif name == "Skewness":
                    assert np.allclose(value, theirs, rtol=1e-14, atol=1e-15, equal_nan=True), (case, value, theirs)
                else:
                    assert np.array_equal(value, theirs, equal_nan=True), (case, name, value, theirs)


def test_grey_levels_equal_numpy_unique():
    """The shared discretisation's levels and counts (numpy.bincount) against numpy.unique(return_counts=True)."""
    from eprstats.handcrafted.engine.classes import grey_levels
    rng = np.random.default_rng(0)
    for case in range(200):
        values = rng.integers(0, int(rng.integers(1, 300)), size=int(rng.integers(1, 5000)))
        if case % 2:
            values = values.astype(np.int32)
        ours, theirs = grey_levels(values), np.unique(values, return_counts=True)
        for a, b in zip(ours, theirs):
            assert a.dtype == b.dtype and np.array_equal(a, b), case
    for values in (np.array([], dtype=np.int64), np.array([-1, 2, 2]), np.array([1.5, 1.5, 2.0])):
        for a, b in zip(grey_levels(values), np.unique(values, return_counts=True)):  # numpy.unique itself
            assert a.dtype == b.dtype and np.array_equal(a, b)


def test_compiled_mcc_q_equals_sparse_sum():
    """fused.mcc_q (the MCC's Q for an angle where the symmetric path's guard fails) against
    sparse_glcm._mcc_q_all_angles (pyradiomics' sums, bit-identical to its dense expression; tested there):
    the same array bit for bit on random sparse GLCMs, 1-40 levels, 1-13 angles, rows absent at some angles."""
    from eprstats.handcrafted.engine import fused
    from eprstats.handcrafted.sparse_glcm import _mcc_q_all_angles

    rng = np.random.default_rng(31)
    for case in range(60):
        Ng, Nd = int(rng.integers(1, 41)), int(rng.integers(1, 14))
        P = rng.random((Ng, Ng, Nd)) * (rng.random((Ng, Ng, Nd)) < rng.uniform(0.05, 0.9))
        P[rng.integers(Ng), :, rng.integers(Nd)] = 0.0  # a level absent at one angle
        P = P + P.transpose(1, 0, 2)
        total = P.sum((0, 1), keepdims=True)
        P = P / np.where(total == 0, 1, total)
        px, py = P.sum(1), P.sum(0)
        eps = np.spacing(1)
        assert np.array_equal(fused.mcc_q(P, px, py, eps), _mcc_q_all_angles(P, px, py, eps)), case
