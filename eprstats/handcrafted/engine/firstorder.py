"""First-order features of a whole ROI in one pass over its voxels, as pyradiomics' ``RadiomicsFirstOrder``.

pyradiomics computes each of its 18 first-order features separately with numpy's NaN-aware functions on the
ROI's voxel values (a 1 x N array): the mean is recomputed six times, and ``nanpercentile`` -- called seven
times for the 10th, 25th, 75th and 90th percentiles -- runs ``apply_along_axis`` in Python. For a whole ROI
(segment-based extraction) there is no NaN among the values, and then each NaN-aware function equals its
plain counterpart on the same array (the same reductions in the same order). :class:`FastFirstOrder`
computes the shared pieces once -- the mean, the deviations from it, the sorted order statistics for all
percentiles in one ``numpy.percentile`` call -- and each feature with pyradiomics' formula, including its
conventions (flat region: skewness and kurtosis from a second moment replaced by 1).

Voxel-based extraction, and a ROI whose values contain NaN, use pyradiomics' own code.

Reference: pyradiomics 3.1, ``radiomics/firstorder.py`` (van Griethuysen JJM et al., Cancer Res 2017;77:e104).
"""
from __future__ import annotations

import math
import traceback

import numpy as np

from . import native

#: First order's sums compiled (engine/_prep.c: numpy's pairwise sums of the same terms); None: numpy's.
_C = native.load("_prep")
#: Whether the compiled sums equal numpy's on this installation (checked once per process: _compiled_sums_match).
_MATCH: list = []


def segment_class(base, all_features):
    """A subclass of pyradiomics' feature class ``base`` whose segment-based features come from
    ``all_features(instance)`` in one pass (a dict by feature name; None or a missing name: pyradiomics' own
    ``get...FeatureValue``); voxel-based extraction stays pyradiomics'."""

    class Fast(base):
        def _calculateFeatures(self, voxelCoordinates=None):
            if self.voxelBased or voxelCoordinates is not None:
                yield from super()._calculateFeatures(voxelCoordinates)
                return
            self._initCalculation()
            yield from _per_feature(self, all_features(self))

    Fast.__name__ = Fast.__qualname__ = f"Fast{base.__name__}"
    return Fast


def fast_firstorder_class(base):
    """A subclass of pyradiomics' first-order class ``base`` computing the segment-based features at once, its
    histogram from the shared discretisation's counts (engine/classes.py) where there is one."""

    class FastFirstOrder(segment_class(base, _firstorder_values)):
        def _initCalculation(self, voxelCoordinates=None):
            counts = getattr(self, "grey_level_counts", None)
            if voxelCoordinates is not None or counts is None:
                return super()._initCalculation(voxelCoordinates)
            # pyradiomics' _initCalculation with numpy.unique(discretised ROI, return_counts=True) replaced by
            # the same counts, computed once for all classes of this filtered image and ROI
            self.targetVoxelArray = self.imageArray[self.maskArray].astype("float").reshape((1, -1))
            p_i = counts.reshape((1, -1))
            sumBins = np.sum(p_i, 1, keepdims=True).astype("float")
            sumBins[sumBins == 0] = 1
            self.coefficients["p_i"] = p_i.astype("float") / sumBins

    FastFirstOrder.__name__ = FastFirstOrder.__qualname__ = f"Fast{base.__name__}"
    return FastFirstOrder


def _firstorder_values(fc):
    x = fc.targetVoxelArray  # (1, N), float
    if x.size == 0 or np.isnan(x).any():
        return None  # pyradiomics' NaN-aware functions
    return _all_features(x, fc.coefficients["p_i"], fc.voxelArrayShift, fc.pixelSpacing)


def _per_feature(fc, values=None):
    """As pyradiomics' ``_calculateFeatures`` after ``_initCalculation``: each enabled feature, in order, from
    ``values`` where computed there, else from its own ``get...FeatureValue`` (deprecated ones skipped, a
    failing one NaN, as pyradiomics does)."""
    values = values or {}
    for feature, enabled in fc.enabledFeatures.items():
        if not enabled:
            continue
        if feature in values:
            yield True, feature, values[feature]
            continue
        try:
            yield True, feature, getattr(fc, f"get{feature}FeatureValue")()
        except DeprecationWarning as deprecated:
            fc.logger.debug("Feature %s is deprecated: %s", feature, deprecated.args[0])
        except Exception:
            fc.logger.error("FAILED: %s", traceback.format_exc())
            yield False, feature, np.nan


def _all_features(x, p_i, shift, spacing) -> dict:
    """pyradiomics' first-order features of the values ``x`` (1, N) without NaN, each with pyradiomics'
    own operations (NaN-aware functions replaced by their plain equivalents), except where noted."""
    eps = np.spacing(1)
    n = np.full(1, float(x.shape[1]))  # np.sum(~np.isnan(x), 1): no value is NaN here
    # one sort for the four percentiles and the median (numpy partitions the values again for each call)
    ordered = np.sort(x[0])
    p10, p25, p75, p90 = percentiles(ordered, (10, 25, 75, 90))[:, None]
    sums = _sums(x, shift, p10, p90)
    energy = sums[0:1]
    count = x.shape[1]  # np.mean: the sum over the count
    m2 = sums[2:3] / count
    # np.std(x, 1) ** 2 is sqrt(mean(dev * dev)) ** 2 (numpy's _var: the same mean, deviations and sum)
    variance = np.sqrt(m2) ** 2
    # dev2 * dev and dev2 * dev2 instead of np.power(dev, 3) and np.power(dev, 4) (the C library's pow: 30 ns a
    # value, 40% of first order's time on the demo): each term within one unit in the last place of pow's.
    # The fourth moment's terms are >= 0, so its mean is too (no cancellation). The third moment's terms have
    # both signs: its error is at most about 1e-16 of the mean |dev|^3, i.e. the skewness moves by at most
    # 1e-16 x mean|dev|^3 / m2^1.5 <= 1e-16 x sqrt(kurtosis) in absolute terms (within 1.3e-15 relative on the
    # demo's 40 inputs; tested against pyradiomics)
    m3 = sums[3:4] / count
    m4 = sums[4:5] / count
    # pyradiomics: m2[m2 == 0] = 1, then m3[m2 == 0] = 0 (which no longer finds the zeros): only m2 changes
    m2 = np.where(m2 == 0, 1.0, m2)
    minimum, maximum = ordered[:1], ordered[-1:]
    return {
        "Energy": energy,
        "TotalEnergy": energy * np.multiply.reduce(spacing),
        "Entropy": -1.0 * np.sum(p_i * np.log2(p_i + eps), 1),
        "Minimum": minimum,
        "10Percentile": p10,
        "90Percentile": p90,
        "Maximum": maximum,
        "Mean": sums[1:2],
        "Median": median(ordered),
        "InterquartileRange": p75 - p25,
        "Range": maximum - minimum,
        "MeanAbsoluteDeviation": sums[5:6] / count,
        # the robust MAD's two nanmeans as masked sums (see _robust_mad); none inside: pyradiomics' NaN
        "RobustMeanAbsoluteDeviation": sums[7:8] / sums[6:7] if sums[6] > 0 else _robust_mad(x, p10, p90),
        "RootMeanSquared": np.sqrt(energy / n),
        "Skewness": m3 / m2 ** 1.5,
        "Kurtosis": m4 / m2 ** 2.0,
        "Variance": variance,
        "Uniformity": np.sum(p_i ** 2, 1),
    }


def _sums(x, shift, p10, p90):
    """First order's sums (8,) as :func:`_numpy_sums`: compiled where they equal numpy's here (one pass per sum
    over the values, no temporaries: about 0.1 instead of 0.5 ms for 20,000 voxels), else numpy's."""
    if _C is None:  # engine/_prep.c not built (native.WITH_FALLBACK)
        return _numpy_sums(x, shift, p10, p90)
    if not _MATCH:
        _MATCH.append(_compiled_sums_match())
    if not _MATCH[0]:
        return _numpy_sums(x, shift, p10, p90)
    out = np.empty(8)
    _C.firstorder_sums(np.ascontiguousarray(x[0], dtype=np.float64), x.shape[1], float(shift), float(p10[0]),
                       float(p90[0]), out)
    return out


def _numpy_sums(x, shift, p10, p90):
    """[sum (x + shift)^2, mean, sum dev^2, sum dev^2 dev, sum dev^2 dev^2, sum |dev|, voxels in [p10, p90],
    sum of |x - their mean| over them] (dev = x - mean) with numpy's reductions, as pyradiomics' features
    take them (``np.sum``, ``np.mean``; the robust MAD's nanmeans as masked sums, :func:`_robust_mad`)."""
    energy = np.sum((x + shift) ** 2, 1)
    mean = np.mean(x, 1, keepdims=True)
    dev = x - mean
    dev2 = dev * dev  # np.power(dev, 2): the same values
    inside = ~(((x - p10) < 0) | ((x - p90) > 0))
    count = np.sum(inside, 1)
    robust = 0.0
    if count.all():
        inside_mean = np.sum(np.where(inside, x, 0.0), 1, keepdims=True) / count[:, None]
        robust = np.sum(np.where(inside, np.absolute(x - inside_mean), 0.0), 1)[0]
    return np.array([energy[0], mean[0, 0], np.sum(dev2, 1)[0], np.sum(dev2 * dev, 1)[0], np.sum(dev2 * dev2, 1)[0],
                     np.sum(np.absolute(dev), 1)[0], count[0], robust])


def _compiled_sums_match() -> bool:
    """Whether engine/_prep.c's sums equal numpy's on this installation: value arrays of 1 to 8,193 voxels
    (every branch of numpy's pairwise summation and its buffer of 8,192), rounded and not, with a shift, and
    a window (any bounds test the masked sums; percentiles would cost numpy more than the check)."""
    if _C is None:
        return False
    for size in (1, 7, 9, 129, 1000, 8193):
        # values spread irregularly around 100, deterministic (the check runs once per process: about 3 ms)
        x = (100 + 30 * np.sin(np.arange(size) * 0.7) + np.arange(size) % 13 / 7).reshape(1, -1)
        for values, shift in ((x, 0), (x.round(), 1000)):
            p10, p90 = np.array([80.0]), np.array([130.0])
            out = np.empty(8)
            _C.firstorder_sums(values[0].copy(), size, float(shift), 80.0, 130.0, out)
            if not np.array_equal(out, _numpy_sums(values, shift, p10, p90)):
                return False
    return True


def percentiles(ordered, q):
    """``numpy.percentile(values, q)`` (linear interpolation) from the values sorted: numpy's own steps
    (``numpy.lib._function_base_impl._quantile``: the virtual index ``(n - 1) q / 100``, its floor, and
    ``_lerp``), so the same numbers without numpy's partition of the values for every call. Each step is one
    IEEE double operation, done on Python floats (the same roundings as numpy's float64 arrays, without
    numpy's per-call overhead: 50 us of first order's 600 per ROI were the four-element arrays)."""
    n = ordered.shape[0]
    return np.array([_percentile(ordered, n, quantile) for quantile in q])


def _percentile(ordered, n, quantile):
    """One of :func:`percentiles`: numpy's ``_quantile`` and ``_lerp`` on one quantile."""
    virtual = (n - 1) * (quantile / 100)
    if virtual >= n - 1:  # numpy: both indices -1 (the largest value), the weight from index -1
        previous, following = -1, -1
    else:
        previous = math.floor(virtual)
        following = previous + 1
    gamma = virtual - previous
    a, b = float(ordered[previous]), float(ordered[following])
    diff_b_a = b - a
    if gamma >= 0.5:
        return b - diff_b_a * (1 - gamma)
    return a + diff_b_a * gamma


def median(ordered):
    """``numpy.median`` of the values sorted, shape (1,): numpy's mean of the middle value or the two
    middle values (its sum, then the division by the count), on Python floats as :func:`percentiles`."""
    n = ordered.shape[0]
    half = n // 2
    if n % 2 == 0:
        return np.array([(float(ordered[half - 1]) + float(ordered[half])) / 2])
    return np.array([float(ordered[half]) / 1])


def _robust_mad(x, p10, p90):
    """pyradiomics' robust mean absolute deviation: the values outside [p10, p90] set to NaN, then
    ``nanmean(|r - nanmean(r)|)``. ``nanmean`` puts zeros where the NaN were and divides the (pairwise) sum
    by the count: done here on the masked arrays directly, the same sums without the NaN passes. A ROI with no
    value inside (two voxels) keeps pyradiomics' expression (NaN and numpy's warning)."""
    inside = ~(((x - p10) < 0) | ((x - p90) > 0))
    count = np.sum(inside, 1)
    if not count.all():
        robust = np.where(inside, x, np.nan)
        return np.nanmean(np.absolute(robust - np.nanmean(robust, 1, keepdims=True)), 1)
    mean = np.sum(np.where(inside, x, 0.0), 1, keepdims=True) / count[:, None]
    return np.sum(np.where(inside, np.absolute(x - mean), 0.0), 1) / count
