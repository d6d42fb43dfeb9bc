"""The five texture matrices of a whole ROI, compiled with numba: pyradiomics' C code (``radiomics._cmatrices``)
transcribed, with the same output.

Each function here takes the arguments of its ``radiomics.cMatrices.calculate_*`` counterpart (segment-based
extraction only: no kernel radius, no voxel list) and returns an array of the same shape and values:

* GLCM, GLRLM, GLSZM, GLDM: counts (integers stored as float64), so the order in which voxels are visited
  cannot change them;
* NGTDM: per grey level the count, the sum of ``|x - mean of the neighbours|`` and the grey level. The sum is
  accumulated over the voxels in the C code's order (the image's raster order) with the same operations
  (integer neighbour sums in float64, one division, one subtraction), so it is bit-identical.

The angles come from pyradiomics' own ``cMatrices.generate_angles`` (the same function its C code calls),
so ``distances``, ``force2D`` and ``force2Ddimension`` select the same neighbours in the same order. A 2-D
array is computed as a 3-D array with one slice (its angles with a zero offset in the added dimension): the
same neighbours in the same raster order.

The C code walks the whole cropped array (segment-based extraction sets its bounding box to the array) and
returns an error for a grey level outside 1..Ng inside the ROI; so do these kernels (``IndexError`` with
pyradiomics' message). The kernels are compiled once per machine (``cache=True``: numba writes the machine
code next to this file, or in the user's cache directory when the package directory is not writable, or
``$NUMBA_CACHE_DIR``); where no cache location is writable they are compiled once per process, with a
warning. numba is imported, and the kernels compiled or loaded, on the first use (:func:`compile_kernels`),
not when this module is imported.

Reference: pyradiomics 3.1, ``radiomics/src/cmatrices.c`` (van Griethuysen JJM et al., Cancer Res 2017;77:e104).
"""
from __future__ import annotations

import operator
import threading
import warnings

import numpy as np

from ...errors import InputError


#: The kernels, in the order they are compiled (the helpers the others call first).
_KERNELS = ("_padded", "_offsets", "_glcm", "_glszm", "_glrlm", "_ngtdm", "_gldm")
_STATE: dict = {}
_LOCK = threading.Lock()


def compile_kernels() -> None:
    """Compile the kernels (or load them from numba's cache) on first use: numba is imported only when the
    eprstats engine needs it (about 0.5 s, and part of the imaging extra); InputError naming the fix when it
    is not installed. The functions below are plain Python until then, each replaced in this module's
    globals by its compiled version (the helpers first, so the kernels that call them find them compiled)."""
    if _STATE.get("compiled"):
        return
    with _LOCK:  # threads of one process (a threaded scheduler): compiled once
        if not _STATE.get("compiled"):
            _compile()


def _compile():
    try:
        import numba  # noqa: F401 (present, or the error below naming the fix)
    except ImportError as exc:
        raise InputError(f"the eprstats engine needs numba for its texture matrices ({exc})",
                         "install it (pip install numba, part of eprstats[imaging]), or use --engine "
                         "pyradiomics") from None
    uncached = []
    for name in _KERNELS:
        globals()[name], cached = njit_cached(globals()[name])
        if not cached:
            uncached.append(name)
    if uncached:
        warnings.warn("numba finds no writable directory to cache the eprstats engine's compiled texture "
                      "matrices, so every process compiles them again (seconds of CPU each); set "
                      "NUMBA_CACHE_DIR to a writable directory to compile them once", stacklevel=3)
    _STATE["compiled"] = True
    _STATE["uncached"] = uncached


def njit_cached(fn):
    """(``fn`` compiled by numba without the GIL, whether it is cached on disk): cached where numba finds a
    writable location, else compiled in every process (:func:`compile_kernels` warns about that once). The one
    way every engine module (this one, :mod:`.fused`, :mod:`.glcm_kernels`, :mod:`.texture_kernels`) compiles
    its kernels."""
    import numba
    try:
        return numba.njit(cache=True, nogil=True)(fn), True
    except RuntimeError:  # numba: "cannot cache function ...: no locator available"
        return numba.njit(nogil=True)(fn), False


def _padded(image, mask, pad):
    """The image and mask (3-D) framed by ``pad`` voxels outside the ROI, flattened; their shape; and the flat
    indices of the ROI's voxels in raster order (the C code's order). A neighbour within ``pad`` voxels is
    then at a fixed flat offset, and one outside the array is outside the ROI: the C code's bounds check."""
    Z, Y, X = image.shape
    PZ, PY, PX = Z + 2 * pad, Y + 2 * pad, X + 2 * pad
    img = np.zeros(PZ * PY * PX, dtype=np.int64)
    msk = np.zeros(PZ * PY * PX, dtype=np.uint8)
    n = 0
    for z in range(Z):
        for y in range(Y):
            for x in range(X):
                if mask[z, y, x]:
                    n += 1
    roi = np.empty(n, dtype=np.int64)
    k = 0
    for z in range(Z):
        for y in range(Y):
            base = ((z + pad) * PY + (y + pad)) * PX + pad
            for x in range(X):
                if mask[z, y, x]:
                    img[base + x] = image[z, y, x]
                    msk[base + x] = 1
                    roi[k] = base + x
                    k += 1
    return img, msk, roi, (PZ, PY, PX)


def _offsets(angles, shape):
    """Flat offset of each angle in an array of ``shape`` (C order)."""
    out = np.empty(angles.shape[0], dtype=np.int64)
    for a in range(angles.shape[0]):
        out[a] = (angles[a, 0] * shape[1] + angles[a, 1]) * shape[2] + angles[a, 2]
    return out


def _glcm(image, mask, angles, Ng):
    """P[i-1, j-1, a]: voxel pairs (grey level i, its neighbour at angle a with grey level j), both in the ROI;
    returns (P, 0) or (P, 1) for a grey level outside 1..Ng."""
    img, msk, roi, shape = _padded(image, mask, np.max(np.abs(angles)))
    off = _offsets(angles, shape)
    Na = angles.shape[0]
    P = np.zeros((Ng, Ng, Na))
    in_range = True
    for v in roi:
        if img[v] < 1 or img[v] > Ng:
            in_range = False
            break
    if in_range:
        # every ROI voxel's grey level is in 1..Ng and the padded image is 0 outside the ROI, so a neighbour is in
        # the ROI exactly when its grey level is positive: one load per neighbour instead of two, no range checks
        for v in roi:
            row = P[img[v] - 1]
            for a in range(Na):
                gj = img[v + off[a]]
                if gj > 0:
                    row[gj - 1, a] += 1.0
        return P, 0
    for v in roi:  # a grey level out of range: the C code's checks, in its order (an error where it errs)
        gi = img[v] - 1
        for a in range(Na):
            w = v + off[a]
            if msk[w]:
                gj = img[w] - 1
                if gi < 0 or gj < 0 or gi >= Ng or gj >= Ng:
                    return P, 1
                P[gi, gj, a] += 1.0
    return P, 0


def _glszm(image, mask, angles, Ng):
    """P[i-1, s-1]: zones (sets of ROI voxels with grey level i connected through ``angles``) of s voxels, with
    s up to the largest zone (at least 1 column); returns (P, 0) or (P, 1) for a grey level outside 1..Ng."""
    img, todo, roi, shape = _padded(image, mask, 1)
    off = _offsets(angles, shape)
    Na = angles.shape[0]
    n = max(roi.shape[0], 1)
    stack = np.empty(n, dtype=np.int64)
    zone_level = np.empty(n, dtype=np.int64)
    zone_size = np.empty(n, dtype=np.int64)
    zones = 0
    largest = 0
    for v in roi:
        if not todo[v]:
            continue
        gl = img[v]
        todo[v] = 0
        stack[0] = v
        top = 1
        size = 0
        while top > 0:
            top -= 1
            c = stack[top]
            size += 1
            for a in range(Na):
                w = c + off[a]
                if todo[w] and img[w] == gl:
                    todo[w] = 0
                    stack[top] = w
                    top += 1
        zone_level[zones] = gl
        zone_size[zones] = size
        zones += 1
        if size > largest:
            largest = size
    P = np.zeros((Ng, max(largest, 1)))
    for k in range(zones):
        if zone_level[k] < 1 or zone_level[k] > Ng:
            return P, 1
        P[zone_level[k] - 1, zone_size[k] - 1] += 1.0
    return P, 0


def _glrlm(image, mask, angles, Ng, Nr):
    """P[i-1, r-1, a]: runs of r consecutive ROI voxels with grey level i along angle a (a run starts at a ROI
    voxel whose predecessor along a is outside the ROI or has another grey level); an angle along which no
    line of the array holds two ROI voxels gets its column r = 1 zeroed (pyradiomics: the ROI is flat in that
    direction). Returns (P, 0) or (P, 1)."""
    Z, Y, X = image.shape
    img, msk, roi, shape = _padded(image, mask, 1)
    off = _offsets(angles, shape)
    Na = angles.shape[0]
    P = np.zeros((Ng, Nr, Na))
    for a in range(Na):
        o = off[a]
        multi = False
        for v in roi:
            gl = img[v]
            if msk[v - o] and img[v - o] == gl:
                continue  # inside a run
            rl = 0
            w = v + o
            while msk[w] and img[w] == gl:
                rl += 1
                w += o
            if gl < 1 or gl > Ng or rl >= Nr:
                return P, 1
            P[gl - 1, rl, a] += 1.0
            if rl > 0 or msk[v + o]:
                multi = True
        if not multi:
            # every run has one voxel and no two ROI voxels are adjacent along a: does any line still hold
            # two ROI voxels (with a gap)? Walk each line forward from each ROI voxel (rare: flat ROIs).
            dz, dy, dx = angles[a, 0], angles[a, 1], angles[a, 2]
            for v in roi:
                z = v // (shape[1] * shape[2]) - 1
                y = (v // shape[2]) % shape[1] - 1
                x = v % shape[2] - 1
                z, y, x = z + dz, y + dy, x + dx
                while 0 <= z < Z and 0 <= y < Y and 0 <= x < X:
                    if mask[z, y, x]:
                        multi = True
                        break
                    z, y, x = z + dz, y + dy, x + dx
                if multi:
                    break
        if not multi:
            for g in range(Ng):
                P[g, 0, a] = 0.0
    return P, 0


def _ngtdm(image, mask, angles, Ng):
    """P[i-1] = (n_i, s_i, i): ROI voxels with grey level i, the sum over them of |i - mean of their ROI
    neighbours| (0 without neighbours), in raster order as pyradiomics' C code. Returns (P, 0) or (P, 1)."""
    img, msk, roi, shape = _padded(image, mask, np.max(np.abs(angles)))
    off = _offsets(angles, shape)
    Na = angles.shape[0]
    P = np.zeros((Ng, 3))
    for g in range(Ng):
        P[g, 2] = g + 1
    for v in roi:
        count = 0.0
        total = 0.0
        for a in range(Na):
            w = v + off[a]
            if msk[w]:
                count += 1.0
                total += img[w]
        gl = img[v]
        if count == 0.0:
            diff = 0.0
        else:
            diff = float(gl) - (total / count)
        if diff < 0:
            diff *= -1.0
        if gl < 1 or gl > Ng:
            return P, 1
        P[gl - 1, 0] += 1.0
        P[gl - 1, 1] += diff
    return P, 0


def _gldm(image, mask, angles, Ng, alpha):
    """P[i-1, k]: ROI voxels with grey level i and k dependent ROI neighbours (|i - j| <= alpha), k up to
    2 Na (the C code's width). Returns (P, 0) or (P, 1)."""
    img, msk, roi, shape = _padded(image, mask, np.max(np.abs(angles)))
    off = _offsets(angles, shape)
    Na = angles.shape[0]
    P = np.zeros((Ng, Na * 2 + 1))
    for v in roi:
        gl = img[v]
        dep = 0
        for a in range(Na):
            w = v + off[a]
            if msk[w]:
                diff = gl - img[w]
                if diff < 0:
                    diff = -diff
                if diff <= alpha:
                    dep += 1
        if gl < 1 or gl > Ng:
            return P, 1
        P[gl - 1, dep] += 1.0
    return P, 0


def _as_3d(image, mask):
    """(image as int64, mask as uint8), both C-ordered 3-D (a 2-D array as one slice), as pyradiomics' C code
    reads them (it casts the image to int: the discretised grey levels are small integers)."""
    image = np.asarray(image)
    mask = np.asarray(mask)
    if image.ndim != mask.ndim:
        raise ValueError("Expected image and mask to have equal number of dimensions.")
    if image.shape != mask.shape:
        raise ValueError("Dimensions of image and mask do not match.")
    if image.ndim not in (2, 3):
        raise ValueError(f"the engine's texture matrices need a 2-D or 3-D image, not {image.ndim}-D")
    image = np.ascontiguousarray(image, dtype=np.int64)
    mask = np.ascontiguousarray(mask, dtype=bool).view(np.uint8)
    if image.ndim == 2:
        image, mask = image[None], mask[None]
    return image, mask


def _angles(shape, distances, bidirectional: bool, force2D, force2Ddimension):
    """pyradiomics' angles for an array of ``shape`` (its own generator), as (Na, 3) int64."""
    from radiomics import cMatrices
    angles = cMatrices.generate_angles(np.array(shape), distances, bidirectional, force2D, force2Ddimension)
    angles = np.asarray(angles, dtype=np.int64)
    if len(shape) == 2:
        angles = np.concatenate([np.zeros((len(angles), 1), dtype=np.int64), angles], axis=1)
    return np.ascontiguousarray(angles), angles_as_returned(angles, len(shape))


def angles_as_returned(angles, ndim):
    """The angles as pyradiomics' C functions return them (int32, one column per dimension of the input)."""
    return np.ascontiguousarray(angles[:, 3 - ndim:], dtype=np.int32)


def _check(status, name):
    if status:  # pyradiomics' messages (radiomics/src/_cmatrices.c)
        raise IndexError("Error filling GLSZM." if name == "GLSZM" else f"Calculation of {name} Failed.")


def calculate_glcm(image, mask, distances, Ng, force2D, force2Ddimension):
    """As ``cMatrices.calculate_glcm``: (P of shape (1, Ng, Ng, Na), angles)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    angles, returned = _angles(np.shape(image), distances, False, force2D, force2Ddimension)
    P, status = _glcm(image3, mask3, angles, operator.index(Ng))
    _check(status, "GLCM")
    return P[None], returned


def calculate_glszm(image, mask, Ng, Ns, force2D, force2Ddimension):
    """As ``cMatrices.calculate_glszm``: P of shape (1, Ng, largest zone). ``Ns`` (the ROI's voxel count, the
    C code's buffer size) is not needed."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    angles, _ = _angles(np.shape(image), np.array([1]), True, force2D, force2Ddimension)
    P, status = _glszm(image3, mask3, angles, operator.index(Ng))
    _check(status, "GLSZM")
    return P[None]


def calculate_glrlm(image, mask, Ng, Nr, force2D, force2Ddimension):
    """As ``cMatrices.calculate_glrlm``: (P of shape (1, Ng, Nr, Na), angles)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    angles, returned = _angles(np.shape(image), np.array([1]), False, force2D, force2Ddimension)
    P, status = _glrlm(image3, mask3, angles, operator.index(Ng), operator.index(Nr))
    _check(status, "GLRLM")
    return P[None], returned


def calculate_ngtdm(image, mask, distances, Ng, force2D, force2Ddimension):
    """As ``cMatrices.calculate_ngtdm``: P of shape (1, Ng, 3)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    angles, _ = _angles(np.shape(image), distances, True, force2D, force2Ddimension)
    P, status = _ngtdm(image3, mask3, angles, operator.index(Ng))
    _check(status, "NGTDM")
    return P[None]


def calculate_gldm(image, mask, distances, Ng, alpha, force2D, force2Ddimension):
    """As ``cMatrices.calculate_gldm``: P of shape (1, Ng, 2 Na + 1)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    angles, _ = _angles(np.shape(image), distances, True, force2D, force2Ddimension)
    P, status = _gldm(image3, mask3, angles, operator.index(Ng), operator.index(alpha))
    _check(status, "GLDM")
    return P[None]
