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

import traceback

import numpy as np


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
    """A subclass of pyradiomics' first-order class ``base`` computing the segment-based features at once."""
    return segment_class(base, _firstorder_values)


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
    own operations (NaN-aware functions replaced by their plain equivalents)."""
    eps = np.spacing(1)
    shifted = x + shift
    energy = np.sum(shifted ** 2, 1)
    n = np.sum(~np.isnan(x), 1).astype("float")
    mean_k = np.mean(x, 1, keepdims=True)
    # the 10th, 25th, 50th (as numpy.median), 75th, 90th percentiles: linear interpolation, as nanpercentile
    p10, p25, p75, p90 = np.percentile(x, [10, 25, 75, 90], axis=1)
    dev = x - mean_k
    m2 = np.mean(np.power(dev, 2), 1)
    m3 = np.mean(np.power(dev, 3), 1)
    m4 = np.mean(np.power(dev, 4), 1)
    # pyradiomics: m2[m2 == 0] = 1, then m3[m2 == 0] = 0 (which no longer finds the zeros): only m2 changes
    m2 = np.where(m2 == 0, 1.0, m2)
    # robust MAD as pyradiomics (values outside [p10, p90] set to NaN, nanmean): the same value, and the same
    # warning for a ROI with none inside (two voxels)
    robust = x.copy()
    robust[((x - p10[:, None]) < 0) | ((x - p90[:, None]) > 0)] = np.nan
    minimum, maximum = np.min(x, 1), np.max(x, 1)
    return {
        "Energy": energy,
        "TotalEnergy": energy * np.multiply.reduce(spacing),
        "Entropy": -1.0 * np.sum(p_i * np.log2(p_i + eps), 1),
        "Minimum": minimum,
        "10Percentile": p10,
        "90Percentile": p90,
        "Maximum": maximum,
        "Mean": mean_k[:, 0],
        "Median": np.median(x, 1),
        "InterquartileRange": p75 - p25,
        "Range": maximum - minimum,
        "MeanAbsoluteDeviation": np.mean(np.absolute(dev), 1),
        "RobustMeanAbsoluteDeviation": np.nanmean(np.absolute(robust - np.nanmean(robust, 1, keepdims=True)), 1),
        "RootMeanSquared": np.sqrt(energy / n),
        "Skewness": m3 / m2 ** 1.5,
        "Kurtosis": m4 / m2 ** 2.0,
        "Variance": np.std(x, 1) ** 2,
        "Uniformity": np.sum(p_i ** 2, 1),
    }
