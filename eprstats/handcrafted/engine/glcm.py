"""GLCM features of a whole ROI from one compiled pass, as pyradiomics' ``RadiomicsGLCM``.

pyradiomics computes each of its 24 GLCM features in its own method from the normalised matrix ``P`` (shape
``(1, Ng, Ng, angles)``), with dozens of numpy passes over the cells and its coefficients' grouped sums by
``i + j`` and ``|i - j|`` with one boolean mask per value. :class:`FastGLCM` computes pyradiomics'
coefficients and 23 features (all but the MCC) of all angles in one compiled pass
(:mod:`.glcm_kernels`: the same terms added in the same order, so the same values), and takes their means
over the angles with pyradiomics' ``nanmean``.

The Maximal Correlation Coefficient is the engine's (:mod:`.mcc`, with pyradiomics' own value where its guards
fail). Voxel-based extraction, and a matrix the kernel does not take (not finite: a ROI without neighbouring
pairs under ``weightingNorm``; no angle left), use pyradiomics' code.

Reference: pyradiomics 3.1, ``radiomics/glcm.py``; Haralick RM et al., IEEE Trans Syst Man Cybern 1973;3:610.
"""
from __future__ import annotations

from .firstorder import _per_feature
from .glcm_kernels import glcm_coefficients_and_features, usable


def fast_glcm_class(base):
    """A subclass of the GLCM class ``base`` (pyradiomics' or one derived from it) computing the segment-based
    coefficients and features in one compiled pass."""

    class FastGLCM(base):
        _kernel_features = None

        def _calculateCoefficients(self):
            self._kernel_features = None
            if self.voxelBased or not usable(self.P_glcm):
                return super()._calculateCoefficients()
            c = self.coefficients
            coefficients, self._kernel_features = glcm_coefficients_and_features(self.P_glcm, c["grayLevels"],
                                                                                 c["Ng"])
            c.update(coefficients)

        def _calculateFeatures(self, voxelCoordinates=None):
            if self.voxelBased or voxelCoordinates is not None:
                yield from super()._calculateFeatures(voxelCoordinates)
                return
            self._initCalculation()
            # the kernel's values; the MCC, deprecated features and a matrix the kernel does not take:
            # each feature's own method
            yield from _per_feature(self, self._kernel_features)

    FastGLCM.__name__ = FastGLCM.__qualname__ = f"Fast{base.__name__}"
    return FastGLCM
