"""The five texture matrices of a whole ROI (pyradiomics' C code, ``radiomics._cmatrices``, with the same
output), compiled in C (``engine/_fused.c``).

Each ``calculate_*`` function here takes the arguments of its ``radiomics.cMatrices.calculate_*`` counterpart
(segment-based extraction only: no kernel radius, no voxel list) and returns an array of the same shape and
values:

* GLCM, GLRLM, GLSZM, GLDM: counts (integers stored as float64), so the order in which voxels are visited
  cannot change them;
* NGTDM: per grey level the count, the sum of ``|x - mean of the neighbours|`` and the grey level. The sum is
  accumulated over the voxels in the C code's order (the image's raster order) with the same operations
  (integer neighbour sums in float64, one division, one subtraction), so it is bit-identical.

The angles come from pyradiomics' own ``cMatrices.generate_angles`` (the same function its C code calls),
so ``distances``, ``force2D`` and ``force2Ddimension`` select the same neighbours in the same order. A 2-D
array is computed as a 3-D array with one slice (its angles with a zero offset in the added dimension): the
same neighbours in the same raster order.

The kernels take the image framed by ``pad`` voxels of 0 (:func:`_padded`: a neighbour is then at a fixed
flat offset, and one outside the array reads 0, outside the ROI) and need every grey level of the ROI in
1..Ng (a neighbour is in the ROI exactly when its level is positive). Where that does not hold (a grey level
outside 1..Ng, an empty ROI, a GLRLM ``Nr`` shorter than the array) pyradiomics' own C code computes the
matrix, so its errors and its arrays are the answer. :mod:`.fused` computes the five matrices from one padded
copy with the same kernels.

Reference: pyradiomics 3.1, ``radiomics/src/cmatrices.c`` (van Griethuysen JJM et al., Cancer Res 2017;77:e104).
"""
from __future__ import annotations

import functools
import operator

import numpy as np

from . import native

_C = native.load("_fused")
#: zeros after the padded image, which the vectorised kernels read past the ROI (SLACK in _fused.c)
_SLACK = 8


def compile_kernels() -> None:
    """InputError naming the fix where the compiled kernels (engine/_fused.c) were not built; nothing is
    compiled at run time (the engine's classes call this before the first ROI)."""
    native.require()


def _padded(image, mask, pad):
    """(image, roi, shape, lowest, highest) for the 3-D int64 ``image`` and uint8 ``mask`` (C order, from
    :func:`_as_3d`): the image inside the ROI framed by ``pad`` voxels, flattened, int32 and 0 outside the
    ROI, followed by ``_SLACK`` zeros; the flat indices of the ROI's voxels in raster order (the C code's
    order); the padded shape; the lowest and highest grey level in the ROI (0, 0 for an empty ROI; the int32
    copy is meaningful only where they lie in 1..Ng, which the callers check)."""
    Z, Y, X = image.shape
    shape = (Z + 2 * pad, Y + 2 * pad, X + 2 * pad)
    img = np.zeros(shape[0] * shape[1] * shape[2] + _SLACK, dtype=np.int32)
    roi = np.empty(Z * Y * X, dtype=np.int64)
    n, low, high = _C.pad(image, mask, Z, Y, X, int(pad), img, roi)
    return img, roi[:n], shape, low, high


def _offsets(angles, shape):
    """Flat offset of each angle in an array of ``shape`` (C order), int64."""
    angles = np.asarray(angles, dtype=np.int64)
    return np.ascontiguousarray((angles[:, 0] * shape[1] + angles[:, 1]) * shape[2] + angles[:, 2])


def glcm_counts(img, roi, off, Ng):
    """P[i-1, j-1, a]: ROI voxel pairs (grey level i, its neighbour at offset a with grey level j)."""
    P = np.empty((Ng, Ng, off.shape[0]))  # every cell written
    _C.glcm(img, roi, off, Ng, P)
    return P


def glrlm_counts(img, roi, off, angles, shape, pad, unpadded, Ng, Nr):
    """P[i-1, r-1, a]: runs of r consecutive ROI voxels of grey level i along angle a (``shape``: the padded
    array's, ``unpadded``: the 3-D image's; ``Nr`` at least its longest axis); an angle along which no line of
    the array holds two ROI voxels gets its column r = 1 zeroed (pyradiomics: the ROI is flat that way)."""
    P = np.empty((Ng, Nr, off.shape[0]))
    _C.glrlm(img, roi, off, np.ascontiguousarray(angles, dtype=np.int64), *shape, int(pad), *unpadded, Ng, Nr, P)
    return P


def zones(img, roi, off):
    """(grey level, size) of each zone (ROI voxels of one grey level connected through ``off``), in the order
    of their first voxel, and the largest size (0 without zones)."""
    level = np.empty(roi.shape[0], dtype=np.int64)
    size = np.empty(roi.shape[0], dtype=np.int64)
    count, largest = _C.zones(img, roi, off, level, size)
    return level[:count], size[:count], largest


def glszm_counts(img, roi, off, Ng):
    """P[i-1, s-1]: zones of s voxels of grey level i, s up to the largest zone (at least 1 column)."""
    level, size, largest = zones(img, roi, off)
    width = max(largest, 1)
    counts = np.bincount((level - 1) * width + size - 1, minlength=Ng * width)
    return counts.reshape(Ng, width).astype(np.float64)


def gldm_ngtdm_counts(img, roi, off, Ng, alpha):
    """(GLDM P[i-1, k]: ROI voxels of grey level i with k dependent ROI neighbours, |i - j| <= alpha, k up to
    2 Na; NGTDM P[i-1] = (n_i, s_i, i)) for the bidirectional offsets ``off``, in one pass."""
    if Ng * max(off.shape[0], 1) >= 2 ** 31:  # the kernel's int32 neighbour sums (matrices of terabytes anyway)
        raise MemoryError(f"{Ng} grey levels: too many for the GLDM and NGTDM")
    Pd = np.zeros((Ng, 2 * off.shape[0] + 1))
    Pn = np.zeros((Ng, 3))
    _C.gldm_ngtdm(img, roi, off, Ng, int(alpha), Pd, Pn)
    return Pd, Pn


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
    """pyradiomics' angles for an array of ``shape`` (its own generator), as (Na, 3) int64 (read-only), and as
    its C functions return them (a new array). Remembered per arguments (:func:`_generated_angles`: 45 us a
    set, three sets per (filtered image, ROI), the same for every filtered image of a ROI)."""
    try:
        key = (tuple(int(n) for n in shape), tuple(np.ravel(distances).tolist()), bidirectional, force2D,
               force2Ddimension)
        angles, returned = _generated_angles(*key)
    except TypeError:  # an argument that cannot be a key (pyradiomics' generator decides what it means)
        angles, returned = _generate_angles(shape, distances, bidirectional, force2D, force2Ddimension)
    return angles, returned.copy()


@functools.lru_cache(maxsize=256)
def _generated_angles(shape, distances, bidirectional, force2D, force2Ddimension):
    angles, returned = _generate_angles(shape, np.array(distances), bidirectional, force2D, force2Ddimension)
    angles.flags.writeable = False  # shared by every call with these arguments
    return angles, returned


def _generate_angles(shape, distances, bidirectional, force2D, force2Ddimension):
    from radiomics import cMatrices
    angles = cMatrices.generate_angles(np.array(shape), distances, bidirectional, force2D, force2Ddimension)
    angles = np.asarray(angles, dtype=np.int64)
    if len(shape) == 2:
        angles = np.concatenate([np.zeros((len(angles), 1), dtype=np.int64), angles], axis=1)
    return np.ascontiguousarray(angles), angles_as_returned(angles, len(shape))


def angles_as_returned(angles, ndim):
    """The angles as pyradiomics' C functions return them (int32, one column per dimension of the input)."""
    return np.ascontiguousarray(angles[:, 3 - ndim:], dtype=np.int32)


def _prepared(image3, mask3, angles, Ng, pad=None):
    """(padded image, roi, flat offsets, padded shape) of the 3-D image and mask where every ROI grey level is
    in 1..Ng (the kernels' condition), else None (pyradiomics' C code decides: its error, or its array)."""
    pad = int(np.max(np.abs(angles))) if pad is None else pad
    img, roi, shape, low, high = _padded(image3, mask3, max(pad, 1))
    if roi.size == 0 or low < 1 or high > Ng:
        return None
    return img, roi, _offsets(angles, shape), shape


def calculate_glcm(image, mask, distances, Ng, force2D, force2Ddimension):
    """As ``cMatrices.calculate_glcm``: (P of shape (1, Ng, Ng, Na), angles)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    Ng = operator.index(Ng)
    angles, returned = _angles(np.shape(image), distances, False, force2D, force2Ddimension)
    ready = _prepared(image3, mask3, angles, Ng)
    if ready is None:
        return _pyradiomics().calculate_glcm(image, mask, distances, Ng, force2D, force2Ddimension)
    img, roi, off, _ = ready
    return glcm_counts(img, roi, off, Ng)[None], returned


def calculate_glszm(image, mask, Ng, Ns, force2D, force2Ddimension):
    """As ``cMatrices.calculate_glszm``: P of shape (1, Ng, largest zone). ``Ns`` (the ROI's voxel count, the
    C code's buffer size) is not needed."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    Ng = operator.index(Ng)
    angles, _ = _angles(np.shape(image), np.array([1]), True, force2D, force2Ddimension)
    ready = _prepared(image3, mask3, angles, Ng, pad=1)
    if ready is None:
        return _pyradiomics().calculate_glszm(image, mask, Ng, Ns, force2D, force2Ddimension)
    img, roi, off, _ = ready
    return glszm_counts(img, roi, off, Ng)[None]


def calculate_glrlm(image, mask, Ng, Nr, force2D, force2Ddimension):
    """As ``cMatrices.calculate_glrlm``: (P of shape (1, Ng, Nr, Na), angles)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    Ng, Nr = operator.index(Ng), operator.index(Nr)
    angles, returned = _angles(np.shape(image), np.array([1]), False, force2D, force2Ddimension)
    ready = _prepared(image3, mask3, angles, Ng, pad=1)
    if ready is None or Nr < max(np.shape(image)):  # a run longer than Nr: the C code's error
        return _pyradiomics().calculate_glrlm(image, mask, Ng, Nr, force2D, force2Ddimension)
    img, roi, off, shape = ready
    return glrlm_counts(img, roi, off, angles, shape, 1, image3.shape, Ng, Nr)[None], returned


def calculate_ngtdm(image, mask, distances, Ng, force2D, force2Ddimension):
    """As ``cMatrices.calculate_ngtdm``: P of shape (1, Ng, 3)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    Ng = operator.index(Ng)
    angles, _ = _angles(np.shape(image), distances, True, force2D, force2Ddimension)
    ready = _prepared(image3, mask3, angles, Ng)
    if ready is None:
        return _pyradiomics().calculate_ngtdm(image, mask, distances, Ng, force2D, force2Ddimension)
    img, roi, off, _ = ready
    return gldm_ngtdm_counts(img, roi, off, Ng, 0)[1][None]


def calculate_gldm(image, mask, distances, Ng, alpha, force2D, force2Ddimension):
    """As ``cMatrices.calculate_gldm``: P of shape (1, Ng, 2 Na + 1)."""
    compile_kernels()
    image3, mask3 = _as_3d(image, mask)
    Ng, alpha = operator.index(Ng), operator.index(alpha)
    angles, _ = _angles(np.shape(image), distances, True, force2D, force2Ddimension)
    ready = _prepared(image3, mask3, angles, Ng)
    if ready is None:
        return _pyradiomics().calculate_gldm(image, mask, distances, Ng, alpha, force2D, force2Ddimension)
    img, roi, off, _ = ready
    return gldm_ngtdm_counts(img, roi, off, Ng, alpha)[0][None]


def _pyradiomics():
    """pyradiomics' C matrices (radiomics is an optional extra, imported where the engine runs)."""
    from radiomics import cMatrices
    return cMatrices
