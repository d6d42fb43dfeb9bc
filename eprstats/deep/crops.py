"""Three-slice tumour crops for the ResNet34 deep features (pure numpy, vectorised; no torch here).

The paper (Methods, "Deep learning feature extraction"): every tumour slice is bound by a box containing the
tumour; a 224 x 224 area containing it is cropped; three adjacent MRI slices make the three channels.

The rules implemented here, stated so that a reader can reproduce every crop by hand:

1. **Inputs.** Every axial slice ``i`` (first array axis, arrays are ``(z, y, x)``) whose mask has a voxel
   gives one input. Its channels are the image slices ``(i-1, i, i+1)``.
2. **Padding.** At the volume edge the missing neighbour is replaced by the nearest slice that exists
   (``i``), flagged ``padded`` with ``pad_reason="volume edge"``. A tumour on a single slice is padded with
   that slice (channels ``(i, i, i)``), flagged ``pad_reason="single-slice tumour"``: a mask drawn on one
   slice is usually a 2-D delineation whose neighbours nobody reviewed.
3. **Window.** The in-plane bounding box of the mask over the three channel slices, ``h x w`` pixels. The
   window side is ``s = max(224, h, w)``; its start is ``y0 = ymin - (s - h) // 2`` (the box centred, the odd
   pixel after it), then shifted to stay inside the image (``0 <= y0 <= Y - s``); where the image is smaller
   than the window the image is centred in it (``y0 = -((s - Y) // 2)``) and the outside is zero-padded.
   The same in ``x``.
4. **Resizing** happens only when the tumour is larger than the window (``s > 224``): the ``s x s`` window
   is resized to 224 x 224 with antialiased bilinear interpolation (a triangle filter as wide as the scale,
   the rule of PIL and of ``torch.nn.functional.interpolate(..., antialias=True)``), flagged ``resized``.
5. **Intensities** (per patient): clip to the 0.5th and 99.5th percentiles of all voxels of the (resampled)
   image, linearly mapped to [0, 1] (percentiles by numpy's default linear rule); zero padding is 0 on that
   scale. Then each channel ``c`` becomes ``(x - mean[c]) / sd[c]`` with ImageNet's mean (0.485, 0.456,
   0.406) and SD (0.229, 0.224, 0.225), the normalisation torchvision's ImageNet weights expect.

Sampling is written as ``crop = Wy @ slice @ Wx.T`` with per-input interpolation matrices (one-hot rows when
nothing is resized), so that the same arithmetic runs on numpy here and on a GPU in :mod:`.extract`.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError

CROP_SIZE = 224
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_SD = (0.229, 0.224, 0.225)
PERCENTILES = (0.5, 99.5)

INTENSITY_RULE = ("per patient: clip to the 0.5th-99.5th percentiles of all image voxels, map linearly to "
                  "[0, 1] (zero padding = 0), then ImageNet mean/SD per channel")


class CropWarning(UserWarning):
    """A crop needed padding or resizing (the per-slice table says which)."""


def _check_arrays(image, mask, patient):
    image = np.asarray(image)
    mask = np.asarray(mask)
    if image.ndim == 2:  # a single slice: a volume of one
        image, mask = image[None], mask[None] if mask.ndim == 2 else mask
    if image.ndim != 3 or mask.shape != image.shape:
        raise InputError(f"the image {image.shape} and the tumour mask {mask.shape} must be 3-D arrays of the "
                         "same shape (z, y, x)", "resample the mask onto the image grid", patient=patient)
    return image, mask != 0


def normalise_intensity(image, percentiles=PERCENTILES, patient=None) -> np.ndarray:
    """Clip ``image`` to its ``percentiles`` (over all voxels) and map them linearly to [0, 1] (float32).

    ``x' = (min(max(x, p_lo), p_hi) - p_lo) / (p_hi - p_lo)``.
    """
    image = np.asarray(image, dtype=np.float32)
    lo, hi = np.percentile(image, percentiles)
    if not np.isfinite([lo, hi]).all() or hi <= lo:
        raise InputError(f"the image has no intensity range between its {percentiles[0]}th and "
                         f"{percentiles[1]}th percentiles ({lo} to {hi}): it is constant or not finite",
                         "check that the right image (the PVP phase) was given", patient=patient)
    out = (np.clip(image, lo, hi) - np.float32(lo)) / np.float32(hi - lo)
    return out.astype(np.float32, copy=False)


def tumour_slices(mask) -> np.ndarray:
    """Indices of the axial slices (axis 0) that contain tumour."""
    return np.flatnonzero(np.asarray(mask).reshape(len(mask), -1).any(axis=1))


def _per_slice_bbox(mask):
    """Per-slice in-plane box (ymin, ymax, xmin, xmax), inclusive; empty slices get (+big, -1, +big, -1)."""
    rows = mask.any(axis=2)  # (z, y)
    cols = mask.any(axis=1)  # (z, x)
    big = np.iinfo(np.int64).max // 4

    def first_last(a):
        has = a.any(axis=1)
        first = np.where(has, a.argmax(axis=1), big)
        last = np.where(has, a.shape[1] - 1 - a[:, ::-1].argmax(axis=1), -1)
        return first, last

    ymin, ymax = first_last(rows)
    xmin, xmax = first_last(cols)
    return ymin, ymax, xmin, xmax


def _window_start(lo, extent, side, length):
    """Start of a window of ``side`` centred on [lo, lo+extent), shifted inside [0, length) (rule 3)."""
    start = lo - (side - extent) // 2
    inside = np.clip(start, 0, np.maximum(length - side, 0))
    return np.where(length >= side, inside, -((side - length) // 2))


def crop_geometry(mask, size: int = CROP_SIZE, patient=None) -> pd.DataFrame:
    """One row per tumour slice: the channel slices, the window and the flags (rules 1-4 above).

    Columns: ``slice``, ``channels`` (e.g. ``"4,5,6"``), ``ch0 ch1 ch2``, ``bbox_y0 bbox_y1 bbox_x0
    bbox_x1`` (inclusive), ``y0 x0 side`` (window start and side in image pixels), ``scale`` (side / size),
    ``resized``, ``padded``, ``pad_reason``.
    """
    mask = np.asarray(mask) != 0
    if mask.ndim != 3:
        raise InputError(f"the tumour mask must be a 3-D array (z, y, x), not {mask.shape}", None, patient=patient)
    z_count, y_len, x_len = mask.shape
    slices = tumour_slices(mask)
    if slices.size == 0:
        raise InputError("the tumour mask has no voxels on this phase",
                         "check the mask file, its label value and that it belongs to the PVP image",
                         patient=patient)
    single = slices.size == 1
    ch = slices[:, None] + np.array([-1, 0, 1])[None, :]
    if single:
        ch = np.repeat(slices[:, None], 3, axis=1)
    clipped = np.clip(ch, 0, z_count - 1)
    edge = (clipped != ch).any(axis=1)
    ch = clipped
    padded = edge | single
    reason = np.where(single, "single-slice tumour", np.where(edge, "volume edge", ""))

    # Boxes only over the slab the channels use (a whole MRI volume is mostly not tumour).
    z_lo = int(ch.min())
    ymin, ymax, xmin, xmax = _per_slice_bbox(mask[z_lo:int(ch.max()) + 1])
    rel = ch - z_lo
    by0, by1 = ymin[rel].min(axis=1), ymax[rel].max(axis=1)
    bx0, bx1 = xmin[rel].min(axis=1), xmax[rel].max(axis=1)
    h, w = by1 - by0 + 1, bx1 - bx0 + 1
    side = np.maximum(size, np.maximum(h, w))
    y0 = _window_start(by0, h, side, y_len)
    x0 = _window_start(bx0, w, side, x_len)
    return pd.DataFrame({
        "slice": slices.astype(np.int64),
        "channels": [",".join(map(str, row)) for row in ch],
        "ch0": ch[:, 0], "ch1": ch[:, 1], "ch2": ch[:, 2],
        "bbox_y0": by0, "bbox_y1": by1, "bbox_x0": bx0, "bbox_x1": bx1,
        "y0": y0.astype(np.int64), "x0": x0.astype(np.int64), "side": side.astype(np.int64),
        "scale": side / float(size), "resized": side > size,
        "padded": padded, "pad_reason": reason,
    })


def interpolation_weights(start, side, length: int, size: int = CROP_SIZE) -> np.ndarray:
    """Matrices ``W`` (n, size, length) with ``crop_axis = W @ image_axis`` (rule 4).

    Output pixel ``o`` of window ``n`` sits at window coordinate ``c = (o + 0.5) * scale - 0.5`` with
    ``scale = side / size``; window pixel ``k`` weighs ``max(0, 1 - |k - c| / max(scale, 1))``, normalised
    over the window's ``side`` pixels; window pixel ``k`` is image pixel ``start + k`` (outside the image:
    zero padding, i.e. no column). For ``side == size`` each row is one-hot: a plain crop.
    """
    start = np.asarray(start, dtype=np.int64)[:, None, None]
    side = np.asarray(side, dtype=np.int64)[:, None, None]
    scale = side / float(size)
    support = np.maximum(scale, 1.0)
    centre = (np.arange(size)[None, :, None] + 0.5) * scale - 0.5  # (n, size, 1), window coordinates

    def triangle(k):
        return np.clip(1.0 - np.abs(k - centre) / support, 0.0, None)

    k_window = np.arange(int(side.max()))[None, None, :]
    norm = np.where(k_window < side, triangle(k_window), 0.0).sum(axis=2, keepdims=True)
    k_image = np.arange(length)[None, None, :] - start
    weights = np.where((k_image >= 0) & (k_image < side), triangle(k_image), 0.0) / norm
    return weights.astype(np.float32)


@dataclass
class CropPlan:
    """What it takes to cut one patient's crops: a normalised slab, channel indices and the matrices.

    ``volume`` holds the image slices ``z_offset ...`` restricted in-plane to the union of all windows
    (``y_offset``, ``x_offset``), intensities already in [0, 1]; ``channels`` index into its first axis;
    ``wy``/``wx`` are (n, size, Y) and (n, size, X) interpolation matrices on that region.
    """

    table: pd.DataFrame
    volume: np.ndarray
    channels: np.ndarray
    wy: np.ndarray
    wx: np.ndarray
    size: int
    bounds: tuple = ()

    def crops(self) -> np.ndarray:
        """(n, 3, size, size) float32 crops in [0, 1] (before the ImageNet normalisation)."""
        return sample(self.volume, self.channels, self.wy, self.wx)


def sample(volume, channels, wy, wx):
    """``crop[n, c] = wy[n] @ volume[channels[n, c]] @ wx[n].T``; works on numpy arrays and torch tensors."""
    slices = volume[channels]  # (n, 3, Y, X)
    n, _, y_len, x_len = slices.shape
    size = wy.shape[1]
    # Two plain batched matrix products (one BLAS call per input on numpy, one batched GEMM on a GPU);
    # broadcasting the matrices over the channels instead makes numpy fall back to a slow loop.
    tmp = slices.reshape(n, 3 * y_len, x_len) @ wx.swapaxes(-1, -2)            # (n, 3Y, size)
    tmp = tmp.reshape(n, 3, y_len, size).swapaxes(1, 2).reshape(n, y_len, 3 * size)
    out = (wy @ tmp).reshape(n, size, 3, size).swapaxes(1, 2)                   # (n, 3, size, size)
    return out.copy() if isinstance(out, np.ndarray) else out.contiguous()


def imagenet_normalise(crops):
    """``(x - mean[c]) / sd[c]`` per channel with ImageNet's statistics (numpy or torch, (n, 3, h, w))."""
    if isinstance(crops, np.ndarray):
        mean = np.asarray(IMAGENET_MEAN, dtype=np.float32)[None, :, None, None]
        sd = np.asarray(IMAGENET_SD, dtype=np.float32)[None, :, None, None]
        return ((crops - mean) / sd).astype(np.float32, copy=False)
    mean = crops.new_tensor(IMAGENET_MEAN)[None, :, None, None]
    sd = crops.new_tensor(IMAGENET_SD)[None, :, None, None]
    return (crops - mean) / sd


def plan_geometry(mask, size: int = CROP_SIZE, patient=None) -> CropPlan:
    """The crop plan without intensities: geometry, the slab bounds and the interpolation matrices.

    ``plan.bounds`` = (z_lo, z_hi, y_lo, y_hi, x_lo, x_hi), half-open, the only voxels any crop reads;
    ``plan.volume`` is None until :func:`plan_crops` (or a GPU) fills it with ``image[bounds]`` in [0, 1].
    """
    mask = np.asarray(mask)
    if mask.ndim == 2:
        mask = mask[None]
    table = crop_geometry(mask, size, patient)
    ch = table[["ch0", "ch1", "ch2"]].to_numpy()
    y_len, x_len = mask.shape[1:]
    # The union of all windows, clipped to the image: the only pixels any crop reads.
    bounds = (int(ch.min()), int(ch.max()) + 1,
              int(max(table["y0"].min(), 0)), int(min((table["y0"] + table["side"]).max(), y_len)),
              int(max(table["x0"].min(), 0)), int(min((table["x0"] + table["side"]).max(), x_len)))
    z_lo, _, y_lo, y_hi, x_lo, x_hi = bounds
    wy = interpolation_weights(table["y0"].to_numpy() - y_lo, table["side"].to_numpy(), y_hi - y_lo, size)
    wx = interpolation_weights(table["x0"].to_numpy() - x_lo, table["side"].to_numpy(), x_hi - x_lo, size)
    return CropPlan(table, None, ch - z_lo, wy, wx, size, bounds)


def plan_crops(image, mask, size: int = CROP_SIZE, patient=None) -> CropPlan:
    """Geometry, the normalised slab (rule 5) and interpolation matrices for one patient."""
    image, mask = _check_arrays(image, mask, patient)
    plan = plan_geometry(mask, size, patient)
    if not np.isfinite(image).all():
        raise InputError("the image contains NaN or infinite values", "check the image file", patient=patient)
    z_lo, z_hi, y_lo, y_hi, x_lo, x_hi = plan.bounds
    volume = normalise_intensity(image, patient=patient)
    plan.volume = np.ascontiguousarray(volume[z_lo:z_hi, y_lo:y_hi, x_lo:x_hi])
    return plan


def warn_flags(table: pd.DataFrame, patient=None) -> None:
    """One warning per patient summarising padded and resized inputs (the table has the details)."""
    who = f"patient {patient!r}: " if patient is not None else ""
    padded = table.loc[table["padded"]]
    if len(padded):
        reasons = ", ".join(sorted(set(padded["pad_reason"])))
        warnings.warn(f"{who}{len(padded)} of {len(table)} tumour slice inputs padded with the nearest slice "
                      f"({reasons}); see the 'padded' column", CropWarning, stacklevel=3)
    resized = table.loc[table["resized"]]
    if len(resized):
        warnings.warn(f"{who}{len(resized)} of {len(table)} tumour slice inputs larger than the "
                      f"{int(round(resized['side'].iloc[0] / resized['scale'].iloc[0]))} px window "
                      f"were resized (largest side {int(resized['side'].max())} px); see the 'resized' column",
                      CropWarning, stacklevel=3)


def make_crops(image, mask, size: int = CROP_SIZE, patient=None, warn: bool = True):
    """ImageNet-normalised crops (n, 3, size, size) float32 and the per-slice table, for one patient.

    Example
    -------
    >>> import numpy as np
    >>> image = np.random.default_rng(0).normal(size=(5, 256, 256)).astype("float32")
    >>> mask = np.zeros(image.shape, bool); mask[1:4, 100:140, 100:140] = True
    >>> crops, table = make_crops(image, mask)
    >>> crops.shape, list(table["channels"])
    ((3, 3, 224, 224), ['0,1,2', '1,2,3', '2,3,4'])
    """
    plan = plan_crops(image, mask, size, patient)
    if warn:
        warn_flags(plan.table, patient)
    return imagenet_normalise(plan.crops()), plan.table
