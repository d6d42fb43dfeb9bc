"""The five texture matrices of one discretised ROI from one padded copy, with branch-free inner loops (numba).

:mod:`.matrices` transcribes pyradiomics' C code one matrix at a time: each function pads the ROI again and
its inner loops branch on every neighbour (inside the ROI? same grey level?), which on noisy images the
processor cannot predict; on the demo's 40 (filtered image, ROI) inputs of a patient the GLRLM and GLSZM
kernels took 3-4 ms each per input. :func:`texture_matrices` pads the ROI once and computes

* the GLCM as :mod:`.matrices` does;
* the GLRLM from the run length ending at each voxel, ``L(v) = L(v - o) + 1`` when the predecessor along the
  angle has the same grey level, else 1, in raster order (the predecessor comes first: the offset is taken
  positive, and a line's runs are the same read in either direction); a run is counted where its successor
  differs. No branch depends on the data, and one angle's counts are stored together;
* the GLSZM by a flood fill on a copy of the padded image whose voxels are zeroed once visited (one load per
  neighbour instead of two);
* the GLDM and the NGTDM in one pass over the neighbours they share (both take the bidirectional angles of
  ``distances``), with the NGTDM's sums added in the C code's order.

Every array equals :mod:`.matrices`' (counts are integers; the NGTDM's sums are added term by term in the
same order, a neighbour outside the ROI adding an exact 0), which equal pyradiomics' C code (tested in
``tests/handcrafted/test_engine_onepass.py``). The fast loops use that the padded image is 0 outside the
ROI and 1..Ng inside: :func:`texture_matrices` checks this first and returns None otherwise (the caller then
uses pyradiomics' path, which raises pyradiomics' error).

Reference: pyradiomics 3.1, ``radiomics/src/cmatrices.c``.
"""
from __future__ import annotations

import threading

import numpy as np

from . import matrices

_KERNELS = ("_digitize", "_mcc_q", "_glcm_flat", "_glcm_normalised", "_glrlm_flat", "_zones", "_glszm_flat", "_glszm_compressed",
            "_gldm_ngtdm_flat")
_STATE: dict = {}
_LOCK = threading.Lock()


def compile_kernels() -> None:
    """Compile this module's kernels (or load them from numba's cache) once per process."""
    if _STATE.get("compiled"):
        return
    with _LOCK:
        if not _STATE.get("compiled"):
            matrices.compile_kernels()  # numba present (InputError naming the fix otherwise), _padded compiled
            for name in _KERNELS:  # helpers first: the kernels calling them find them compiled
                globals()[name], _ = matrices.njit_cached(globals()[name])
            _STATE["compiled"] = True


def _digitize(values, edges, out):
    """``numpy.digitize(values, edges)`` (``edges`` increasing, float64 like ``values``, no NaN) into ``out``:
    for each value the number of edges <= it. numpy's binary search costs about 27 ns a value on the demo
    (mispredicted branches: most of the discretisation's time); the edges of a bin width are evenly spaced,
    so the index is first guessed by one division, then moved until ``edges[i - 1] <= v < edges[i]`` holds
    -- the same comparisons decide, so the same index whatever the rounding of the guess."""
    n = edges.shape[0]
    e0 = edges[0]
    width = edges[1] - e0 if n > 1 else 1.0
    for k in range(values.shape[0]):
        v = values[k]
        guess = (v - e0) / width + 1.0
        i = 0 if guess < 0.0 else (n if guess > n else int(guess))
        while i > 0 and v < edges[i - 1]:
            i -= 1
        while i < n and v >= edges[i]:
            i += 1
        out[k] = i


def digitize(values, edges):
    """``numpy.digitize(values, edges)`` for increasing ``edges`` and values without NaN (:func:`_digitize`).
    Both are compared as float64: every value of a float of at most 64 bits or an integer of at most 32 bits,
    and every edge below 2^53, converts exactly, so each comparison decides as numpy's (in the pair's common
    type) does. Other value types (64-bit integers), edges beyond 2^53 or not increasing: ``numpy.digitize``
    itself."""
    if not (values.dtype.kind == "f" and values.dtype.itemsize <= 8 or values.dtype.kind in "iub"
            and values.dtype.itemsize <= 4) or not np.all(np.abs(edges) < 2.0 ** 53) \
            or not np.all(edges[1:] > edges[:-1]):  # decreasing edges (a small integer type's overflow in
        return np.digitize(values, edges)           # pyradiomics' getBinEdges): numpy's rules and errors
    compile_kernels()
    out = np.empty(values.shape[0], dtype=np.int64)
    _digitize(np.ascontiguousarray(values, dtype=np.float64), np.ascontiguousarray(edges, dtype=np.float64), out)
    return out


def _mcc_q(P, px, py, eps, Q):
    """pyradiomics' MCC matrix ``Q(i, j, d) = sum_k P(i,k,d) P(j,k,d) / (px(i,d) py(k,d) + eps)`` into ``Q``
    (zeros), each sum in increasing ``k`` with pyradiomics' operations (product, then the division by the
    same denominator): a term with ``P(i,k,d) P(j,k,d) = 0`` is +0.0 and skipped (adding +0.0 to a sum of
    non-negative terms changes nothing), so the same values as :func:`..sparse_glcm._mcc_q_all_angles`."""
    Ng = P.shape[0]
    for d in range(P.shape[2]):
        for i in range(Ng):
            for k in range(Ng):
                pik = P[i, k, d]
                if pik == 0.0:
                    continue
                den = px[i, d] * py[k, d] + eps
                for j in range(Ng):
                    pjk = P[j, k, d]
                    if pjk != 0.0:
                        Q[i, j, d] += (pik * pjk) / den


def mcc_q(P, px, py, eps):
    """:func:`_mcc_q` for ``P`` (Ng, Ng, angles), ``px``, ``py`` (Ng, angles), float64: a new array."""
    compile_kernels()
    Q = np.zeros(P.shape)
    _mcc_q(np.ascontiguousarray(P, dtype=np.float64), np.ascontiguousarray(px, dtype=np.float64),
           np.ascontiguousarray(py, dtype=np.float64), float(eps), Q)
    return Q


def _glcm_flat(img, roi, off, Ng):
    """:func:`.matrices._glcm`'s in-range loop on the padded image ``img`` (0 outside the ROI)."""
    Na = off.shape[0]
    P = np.zeros((Ng, Ng, Na))
    for v in roi:
        row = P[img[v] - 1]
        for a in range(Na):
            gj = img[v + off[a]]
            if gj > 0:
                row[gj - 1, a] += 1.0
    return P


def _glcm_normalised(P, index, store, column_major):
    """pyradiomics' GLCM processing (``_calculateMatrix``, symmetrical, unweighted) of the counts ``P`` (Ng, Ng,
    Na): the rows and columns of the levels ``index`` (present), ``P + P^T``, each angle divided by its sum,
    written into ``store`` (n, n, Na) as [i, j, a], or as [j, i, a] where ``column_major``. False (nothing
    usable) where an angle has no pairs. The sums are of integers (exact in any order) and each cell is one
    division, so the values are pyradiomics'."""
    n = index.shape[0]
    Na = P.shape[2]
    total = np.zeros(Na)
    for i in range(n):
        for j in range(n):
            for a in range(Na):
                total[a] += P[index[i], index[j], a] + P[index[j], index[i], a]
    for a in range(Na):
        if total[a] == 0.0:
            return False
    for i in range(n):
        for j in range(n):
            for a in range(Na):
                value = (P[index[i], index[j], a] + P[index[j], index[i], a]) / total[a]
                if column_major:
                    store[j, i, a] = value
                else:
                    store[i, j, a] = value
    return True


def _glrlm_flat(img, roi, off, angles, shape, pad, unpadded, Ng, Nr):
    """:func:`.matrices._glrlm`: P[i-1, r-1, a], runs of r voxels of grey level i along angle a."""
    Na = off.shape[0]
    # integer counts, one angle's cells together (an angle's pass then touches Ng x Nr counts, which stay in
    # the processor's first-level cache; in P's layout they lie Na cells apart): 2x faster on the demo
    C = np.zeros((Na, Ng, Nr), dtype=np.int32)
    L = np.zeros(img.shape[0], dtype=np.int32)  # run length ending at each ROI voxel (current angle)
    Z, Y, X = unpadded
    for a in range(Na):
        o = off[a]
        if o < 0:
            o = -o  # the same runs, read from the other end: the predecessor then comes first in raster order
        Ca = C[a]
        adjacent = 0
        for v in roi:
            g = img[v]
            same = img[v - o] == g  # g >= 1, the padding 0: outside the ROI never matches
            length = same * L[v - o] + 1
            L[v] = length
            successor = img[v + o]
            Ca[g - 1, length - 1] += successor != g  # a run ends here
            adjacent |= int(successor > 0)
        if adjacent == 0:
            # no two ROI voxels adjacent along a: pyradiomics zeroes the column r = 1 unless some line of the
            # array holds two ROI voxels with a gap (the C code's flat-ROI rule; rare: walk each line)
            multi = False
            dz, dy, dx = angles[a, 0], angles[a, 1], angles[a, 2]
            for v in roi:
                z = v // (shape[1] * shape[2]) - pad + dz
                y = (v // shape[2]) % shape[1] - pad + dy
                x = v % shape[2] - pad + dx
                while 0 <= z < Z and 0 <= y < Y and 0 <= x < X:
                    if img[((z + pad) * shape[1] + (y + pad)) * shape[2] + x + pad] > 0:
                        multi = True
                        break
                    z, y, x = z + dz, y + dy, x + dx
                if multi:
                    break
            if not multi:
                for g in range(Ng):
                    Ca[g, 0] = 0
    P = np.empty((Ng, Nr, Na))
    for g in range(Ng):
        for r in range(Nr):
            for a in range(Na):
                P[g, r, a] = C[a, g, r]
    return P


def _zones(img, roi, off):
    """(grey level, size) of each zone (ROI voxels of one grey level connected through ``off``), and the
    largest size. A flood fill on a copy of the padded image in which each voxel is set to 0 once visited: one
    load and one comparison per neighbour (0 never equals a grey level)."""
    work = img.copy()
    n = max(roi.shape[0], 1)
    stack = np.empty(n, dtype=np.int64)
    zone_level = np.empty(n, dtype=np.int64)
    zone_size = np.empty(n, dtype=np.int64)
    zones = 0
    largest = 0
    for v in roi:
        gl = work[v]
        if gl == 0:
            continue  # in a zone already
        work[v] = 0
        stack[0] = v
        top = 1
        size = 0
        while top > 0:
            top -= 1
            c = stack[top]
            size += 1
            for o in off:
                w = c + o
                if work[w] == gl:
                    work[w] = 0
                    stack[top] = w
                    top += 1
        zone_level[zones] = gl
        zone_size[zones] = size
        zones += 1
        if size > largest:
            largest = size
    return zone_level[:zones], zone_size[:zones], largest


def _glszm_flat(img, roi, off, Ng):
    """:func:`.matrices._glszm`: P[i-1, s-1], zones of s voxels of grey level i."""
    level, size, largest = _zones(img, roi, off)
    P = np.zeros((Ng, max(largest, 1)))
    for k in range(level.shape[0]):
        P[level[k] - 1, size[k] - 1] += 1.0
    return P


def _glszm_compressed(img, roi, off, row_of_level, rows):
    """The GLSZM as pyradiomics' ``_calculateCoefficients`` leaves it: only the rows of the grey levels present
    (``row_of_level[g - 1]``) and the columns of the zone sizes present; returns (P, the sizes). The same
    counts, without the matrix of Ng x largest-zone cells (thousands of columns on a smooth image)."""
    level, size, largest = _zones(img, roi, off)
    column = np.full(max(largest, 1), -1, dtype=np.int64)
    for k in range(size.shape[0]):
        column[size[k] - 1] = 0
    m = 0
    for s in range(column.shape[0]):
        if column[s] == 0:
            column[s] = m
            m += 1
    sizes = np.empty(m)
    for s in range(column.shape[0]):
        if column[s] >= 0:
            sizes[column[s]] = s + 1
    P = np.zeros((rows, m))
    for k in range(level.shape[0]):
        P[row_of_level[level[k] - 1], column[size[k] - 1]] += 1.0
    return P, sizes


def _gldm_ngtdm_flat(img, roi, off, Ng, alpha):
    """:func:`.matrices._gldm` and :func:`.matrices._ngtdm` (same angles) in one pass over the neighbours."""
    Na = off.shape[0]
    Pd = np.zeros((Ng, Na * 2 + 1))
    Pn = np.zeros((Ng, 3))
    for g in range(Ng):
        Pn[g, 2] = g + 1
    for v in roi:
        g = img[v]
        # integer sums (1-cycle additions): the C code's float64 sums of these small integers are exact, so
        # the same numbers
        count = 0
        total = 0
        dep = 0
        for a in range(Na):
            gj = img[v + off[a]]
            inside = gj > 0
            count += inside
            total += gj  # 0 outside the ROI: the C code adds nothing
            d = g - gj
            if d < 0:
                d = -d
            dep += int(inside & (d <= alpha))
        if count == 0:
            diff = 0.0
        else:
            diff = float(g) - (float(total) / float(count))
        if diff < 0:
            diff *= -1.0
        Pd[g - 1, dep] += 1.0
        Pn[g - 1, 0] += 1.0
        Pn[g - 1, 1] += diff
    return Pd, Pn


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
    image3, mask3 = matrices._as_3d(binned, mask)
    if levels is None:
        values = image3[mask3.view(bool)]
        low, high = (values.min(), values.max()) if values.size else (0, 0)
    else:
        low, high = (levels[0], levels[-1]) if len(levels) else (0, 0)
    if low < 1 or high > Ng:
        return None
    shape2 = np.shape(binned)
    distances = np.array(settings.get("distances", [1]))
    force2D, dim = settings.get("force2D", False), settings.get("force2Ddimension", 0)
    angle_sets = {}

    def angles_of(dist, bidirectional):
        key = (tuple(np.ravel(dist).tolist()), bidirectional)
        if key not in angle_sets:
            angle_sets[key] = matrices._angles(shape2, dist, bidirectional, force2D, dim)
        return angle_sets[key]

    needed = []
    if "glcm" in which:
        needed.append(angles_of(distances, False)[0])
    if "glrlm" in which:
        needed.append(angles_of(np.array([1]), False)[0])
    if "glszm" in which:
        needed.append(angles_of(np.array([1]), True)[0])
    if "gldm" in which or "ngtdm" in which:
        needed.append(angles_of(distances, True)[0])
    pad = max([1] + [int(np.max(np.abs(a))) for a in needed if a.size])
    img, _, roi, shape = matrices._padded(image3, mask3, pad)
    shape_arr = np.array(shape, dtype=np.int64)
    out = {}
    if "glcm" in which:
        angles, returned = angles_of(distances, False)
        out["glcm"] = (_glcm_flat(img, roi, matrices._offsets(angles, shape_arr), Ng), returned)
    if "glrlm" in which:
        angles, returned = angles_of(np.array([1]), False)
        Nr = int(np.max(np.shape(binned)))
        out["glrlm"] = (_glrlm_flat(img, roi, matrices._offsets(angles, shape_arr), angles, shape_arr, pad,
                                    np.array(image3.shape, dtype=np.int64), Ng, Nr), returned)
    if "glszm" in which:
        angles, _ = angles_of(np.array([1]), True)
        off = matrices._offsets(angles, shape_arr)
        if levels is None:
            out["glszm"] = (_glszm_flat(img, roi, off, Ng), None)
        else:  # the caller's processing: present levels and zone sizes only (``(P, sizes)``)
            row_of_level = np.full(Ng, -1, dtype=np.int64)
            row_of_level[np.asarray(levels) - 1] = np.arange(len(levels))
            out["glszm"] = (_glszm_compressed(img, roi, off, row_of_level, len(levels)), None)
    if "gldm" in which or "ngtdm" in which:
        angles, _ = angles_of(distances, True)
        Pd, Pn = _gldm_ngtdm_flat(img, roi, matrices._offsets(angles, shape_arr), Ng, int(alpha))
        out["gldm"], out["ngtdm"] = (Pd, None), (Pn, None)
    return out
