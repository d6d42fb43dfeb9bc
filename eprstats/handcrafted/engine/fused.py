"""The five texture matrices of one discretised ROI from one padded copy, the discretisation's bin index and
the MCC's fallback ``Q``, compiled in C (``engine/_fused.c``).

:func:`texture_matrices` pads the ROI once (:func:`.matrices._padded`) and computes with the kernels of
:mod:`.matrices`, whose inner loops branch on no data (the padded image is 0 outside the ROI and 1..Ng
inside, so a neighbour is in the ROI exactly when its level is positive):

* the GLCM: each ROI voxel's neighbours at the angles' flat offsets;
* the GLRLM from the run length ending at each voxel, ``L(v) = L(v - o) + 1`` when the predecessor along the
  angle has the same grey level, else 1, in raster order (the predecessor comes first: the offset is taken
  positive, and a line's runs are the same read in either direction); a run is counted where its successor
  differs;
* the GLSZM by a flood fill on a copy of the padded image whose voxels are zeroed once visited (one load per
  neighbour);
* the GLDM and the NGTDM in one pass over the neighbours they share (both take the bidirectional angles of
  ``distances``), with the NGTDM's sums added in the C code's order.

Every array equals pyradiomics' C code's (counts are integers; the NGTDM's sums are added term by term in the
same order, a neighbour outside the ROI adding an exact 0; tested in ``tests/handcrafted/test_engine_onepass.py``).
:func:`texture_matrices` checks the grey levels first and returns None where one is outside 1..Ng (the caller
then uses pyradiomics' path, which raises pyradiomics' error).

Reference: pyradiomics 3.1, ``radiomics/src/cmatrices.c``.
"""
from __future__ import annotations

import numpy as np

from . import matrices, native

_C = native.load("_fused")


def compile_kernels() -> None:
    """InputError naming the fix where the compiled kernels were not built (kept for the callers that
    prepared numba's kernels here)."""
    native.require()


def digitize(values, edges):
    """``numpy.digitize(values, edges)`` for increasing ``edges`` and values without NaN. numpy's binary search
    costs about 27 ns a value on the demo (mispredicted branches: most of the discretisation's time); the
    edges of a bin width are evenly spaced, so the compiled kernel guesses the index by one division and moves
    it until ``edges[i - 1] <= v < edges[i]`` holds -- the same comparisons decide, so the same index whatever
    the rounding of the guess. Both are compared as float64: every value of a float of at most 64 bits or an
    integer of at most 32 bits, and every edge below 2^53, converts exactly, so each comparison decides as
    numpy's (in the pair's common type) does. Other value types (64-bit integers), edges beyond 2^53 or not
    increasing: ``numpy.digitize`` itself."""
    if not (values.dtype.kind == "f" and values.dtype.itemsize <= 8 or values.dtype.kind in "iub"
            and values.dtype.itemsize <= 4) or not np.all(np.abs(edges) < 2.0 ** 53) \
            or not np.all(edges[1:] > edges[:-1]):  # decreasing edges (a small integer type's overflow in
        return np.digitize(values, edges)           # pyradiomics' getBinEdges): numpy's rules and errors
    compile_kernels()
    values = np.ascontiguousarray(values, dtype=np.float64).ravel()
    out = np.empty(values.shape[0], dtype=np.int64)
    _C.digitize(values, np.ascontiguousarray(edges, dtype=np.float64).ravel(), out)
    return out


def mcc_q(P, px, py, eps):
    """pyradiomics' MCC matrix ``Q(i, j, d) = sum_k P(i,k,d) P(j,k,d) / (px(i,d) py(k,d) + eps)`` for ``P``
    (Ng, Ng, angles), ``px``, ``py`` (Ng, angles): a new float64 array, each sum in increasing ``k`` with
    pyradiomics' operations, terms with a zero product skipped (+0.0 changes no sum of non-negative terms), so
    the same values as :func:`..sparse_glcm._mcc_q_all_angles`."""
    compile_kernels()
    P = np.ascontiguousarray(P, dtype=np.float64)
    Ng, Na = P.shape[0], P.shape[2]
    if P.shape != (Ng, Ng, Na) or np.shape(px) != (Ng, Na) or np.shape(py) != (Ng, Na):
        raise ValueError(f"mcc_q: P {P.shape}, px {np.shape(px)}, py {np.shape(py)} do not match")
    Q = np.zeros(P.shape)
    _C.mcc_q(P, np.ascontiguousarray(px, dtype=np.float64), np.ascontiguousarray(py, dtype=np.float64), Ng, Na,
             float(eps), Q)
    return Q


def _glcm_normalised(P, index, store, column_major):
    """pyradiomics' GLCM processing (``_calculateMatrix``, symmetrical, unweighted) of the counts ``P`` (Ng, Ng,
    Na): the rows and columns of the levels ``index`` (present, 0-based), ``P + P^T``, each angle divided by
    its sum, written into ``store`` (n, n, Na, float64, C order) as [i, j, a], or as [j, i, a] where
    ``column_major``. False (nothing usable) where an angle has no pairs. The sums are of integers (exact in
    any order) and each cell is one division, so the values are pyradiomics'."""
    compile_kernels()
    P = np.ascontiguousarray(P, dtype=np.float64)
    index = np.ascontiguousarray(index, dtype=np.int64)
    Ng, Na, n = P.shape[0], P.shape[2], index.shape[0]
    if (P.shape != (Ng, Ng, Na) or store.shape != (n, n, Na) or store.dtype != np.float64
            or not store.flags.c_contiguous or (n and (index.min() < 0 or index.max() >= Ng))):
        raise ValueError(f"_glcm_normalised: P {P.shape}, {n} levels, store {store.shape} do not match")
    return bool(_C.glcm_normalised(P, Ng, Na, index, store, bool(column_major)))


def _glszm_compressed(level, size, largest, row_of_level, rows):
    """The GLSZM as pyradiomics' ``_calculateCoefficients`` leaves it, from the zones' grey levels and sizes
    (:func:`.matrices.zones`): only the rows of the grey levels present (``row_of_level[g - 1]``) and the
    columns of the zone sizes present; returns (P, the sizes as float64). The same counts, without the matrix
    of Ng x largest-zone cells (thousands of columns on a smooth image)."""
    present = np.zeros(max(largest, 1) + 1, dtype=np.int64)
    present[size] = 1
    sizes = np.flatnonzero(present)
    column = np.cumsum(present) - 1
    m = sizes.shape[0]
    counts = np.bincount(row_of_level[level - 1] * m + column[size], minlength=rows * m)
    return counts.reshape(rows, m).astype(np.float64), sizes.astype(np.float64)


def texture_matrices(binned, mask, Ng, settings, which=("glcm", "glrlm", "glszm", "gldm", "ngtdm"),
                     levels=None):
    """{class: (matrix without pyradiomics' leading axis, angles as the C code returns them or None)} for the
    discretised image ``binned`` (grey levels 1..Ng in the ROI) and its boolean ``mask``, as
    ``cMatrices.calculate_*`` with pyradiomics' arguments (``distances``, ``force2D``, ``force2Ddimension``,
    ``gldm_a`` from ``settings``); None where a grey level inside the ROI is outside 1..Ng, or an argument is
    not the C code's type (the caller then takes pyradiomics' path and its error). ``levels``: the sorted grey
    levels of the ROI where the caller has them (saves one pass over the ROI); the GLSZM is then returned as
    ``(P, sizes)`` with only the rows of those levels and the columns of the zone sizes present
    (:func:`_glszm_compressed`), as pyradiomics' processing leaves it."""
    compile_kernels()
    alpha = settings.get("gldm_a", 0)
    if not isinstance(alpha, (int, np.integer)) or isinstance(alpha, bool):
        return None
    if levels is not None and (not len(levels) or levels[0] < 1 or levels[-1] > Ng):
        return None
    image3, mask3 = matrices._as_3d(binned, mask)
    distances = np.array(settings.get("distances", [1]))
    # one frame wide enough for every angle (each angle's components are at most the largest distance); its
    # width does not change the matrices (the kernels take the flat offsets of the padded shape)
    pad = max(1, int(np.ceil(np.max(np.abs(distances))))) if distances.size else 1
    img, roi, shape, low, high = matrices._padded(image3, mask3, pad)
    if roi.size == 0 or low < 1 or high > Ng:  # ``levels`` trusted by no kernel: checked on the copy too
        return None
    angle_sets = _angle_sets(np.shape(binned), distances, settings)
    out = {}
    if "glcm" in which:
        angles, returned = angle_sets(distances, False)
        out["glcm"] = (matrices.glcm_counts(img, roi, matrices._offsets(angles, shape), Ng), returned)
    if "glrlm" in which:
        angles, returned = angle_sets(np.array([1]), False)
        P = matrices.glrlm_counts(img, roi, matrices._offsets(angles, shape), angles, shape, pad, image3.shape,
                                  Ng, int(np.max(np.shape(binned))))
        out["glrlm"] = (P, returned)
    if "glszm" in which:
        angles, _ = angle_sets(np.array([1]), True)
        off = matrices._offsets(angles, shape)
        if levels is None:
            out["glszm"] = (matrices.glszm_counts(img, roi, off, Ng), None)
        else:  # the caller's processing: present levels and zone sizes only (``(P, sizes)``)
            row_of_level = np.full(Ng, -1, dtype=np.int64)
            row_of_level[np.asarray(levels) - 1] = np.arange(len(levels))
            out["glszm"] = (_glszm_compressed(*matrices.zones(img, roi, off), row_of_level, len(levels)), None)
    if "gldm" in which or "ngtdm" in which:
        angles, _ = angle_sets(distances, True)
        Pd, Pn = matrices.gldm_ngtdm_counts(img, roi, matrices._offsets(angles, shape), Ng, int(alpha))
        out["gldm"], out["ngtdm"] = (Pd, None), (Pn, None)
    return out


def _angle_sets(shape2, distances, settings):
    """angle_sets(distances, bidirectional) -> pyradiomics' (angles as (Na, 3) int64, angles as returned),
    each set generated once (the GLDM and NGTDM share one; the GLCM's is the GLDM's first half)."""
    force2D, dim = settings.get("force2D", False), settings.get("force2Ddimension", 0)
    cache = {}

    def angle_sets(dist, bidirectional):
        key = (tuple(np.ravel(dist).tolist()), bidirectional)
        if key not in cache:
            cache[key] = matrices._angles(shape2, dist, bidirectional, force2D, dim)
        return cache[key]
    return angle_sets
