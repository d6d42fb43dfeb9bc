"""GLCM features of a whole ROI with shared intermediates, as pyradiomics' ``RadiomicsGLCM``.

pyradiomics computes each of its 24 GLCM features in its own method from the normalised matrix ``P`` (shape
``(1, Ng, Ng, angles)``), recomputing the same element-wise arrays several times: ``i + j - u_x - u_y`` (three
cluster features), ``log2(p_x p_y + eps)`` (both informational measures of correlation), ``i - u_x`` and
``j - u_y``; its coefficients group ``P`` by ``i + j`` and ``|i - j|`` with one boolean mask per value.
:class:`FastGLCM` computes each intermediate once, and every feature with pyradiomics' formula. Sums whose
terms have both signs (cluster shade, the correlation's covariance) are computed as pyradiomics does, cell by
cell on arrays of the same shape with the same reductions, so that cancellation adds the same terms in the
same order. Sums of non-negative terms that depend on a cell only through ``i``, ``j``, ``i + j`` or
``|i - j|`` (cluster tendency and prominence, contrast, sum of squares, the correlation's standard
deviations) are taken over the marginal or grouped probabilities: the same terms grouped, without
cancellation, so within a few units in the last place. The grouped sums come from one sort of the cells
(``numpy.add.reduceat``, adding each group's cells in pyradiomics' row-major order).

The Maximal Correlation Coefficient is the engine's (:mod:`.mcc`, with pyradiomics' own value where its guards
fail). Voxel-based extraction uses pyradiomics' code.

Reference: pyradiomics 3.1, ``radiomics/glcm.py``; Haralick RM et al., IEEE Trans Syst Man Cybern 1973;3:610.
"""
from __future__ import annotations

import numpy as np

from .firstorder import _per_feature


def fast_glcm_class(base):
    """A subclass of the GLCM class ``base`` (pyradiomics' or one derived from it) computing the segment-based
    features together."""

    class FastGLCM(base):
        def _calculateCoefficients(self):
            if self.voxelBased:
                return super()._calculateCoefficients()
            _coefficients(self)

        def _calculateFeatures(self, voxelCoordinates=None):
            if self.voxelBased or voxelCoordinates is not None:
                yield from super()._calculateFeatures(voxelCoordinates)
                return
            self._initCalculation()
            enabled = [f for f, on in self.enabledFeatures.items() if on]
            yield from _per_feature(self, _all_features(self, enabled))

    FastGLCM.__name__ = FastGLCM.__qualname__ = f"Fast{base.__name__}"
    return FastGLCM


def _group_sums(P, values, ks):
    """For each k in ``ks``: the sum over the cells (i, j) with ``values[i, j] == k`` of ``P[:, i, j, :]``
    (zero for an empty group), as ``numpy.sum(P[:, values == k, :], 1)``: cells in row-major order."""
    Nv, Ng, _, Nd = P.shape
    flat = values.ravel()
    order = np.argsort(flat, kind="stable")
    starts = np.searchsorted(flat[order], ks, side="left")
    ends = np.searchsorted(flat[order], ks, side="right")
    out = np.zeros((Nv, len(ks), Nd), dtype=P.dtype)
    full = ends > starts
    if full.any():
        # every cell's value is one of ks, so consecutive non-empty starts delimit exactly one group
        out[:, full, :] = np.add.reduceat(P.reshape(Nv, Ng * Ng, Nd)[:, order, :], starts[full], axis=1)
    return out


def _coefficients(fc):
    """pyradiomics' ``RadiomicsGLCM._calculateCoefficients``, with the grouped sums from :func:`_group_sums`."""
    c = fc.coefficients
    P = fc.P_glcm
    Ng = c["Ng"]
    eps = np.spacing(1)
    NgVector = c["grayLevels"].astype("float")
    i, j = np.meshgrid(NgVector, NgVector, indexing="ij", sparse=True)
    kValuesSum = np.arange(2, (Ng * 2) + 1, dtype="float")
    kValuesDiff = np.arange(0, Ng, dtype="float")
    c["eps"] = eps
    c["i"], c["j"] = i, j
    c["kValuesSum"], c["kValuesDiff"] = kValuesSum, kValuesDiff
    c["px"] = P.sum(2, keepdims=True)
    c["py"] = P.sum(1, keepdims=True)
    c["ux"] = np.sum(i[None, :, :, None] * P, (1, 2), keepdims=True)
    c["uy"] = np.sum(j[None, :, :, None] * P, (1, 2), keepdims=True)
    c["pxAddy"] = _group_sums(P, i + j, kValuesSum)
    c["pxSuby"] = _group_sums(P, np.abs(i - j), kValuesDiff)
    c["HXY"] = (-1) * np.sum((P * np.log2(P + eps)), (1, 2))


def _all_features(fc, enabled) -> dict:
    """The enabled GLCM features (pyradiomics' names and formulas) that are computed here; MCC and the
    deprecated features are left to the class's own methods."""
    c = fc.coefficients
    P = fc.P_glcm
    eps, i, j, ux, uy = c["eps"], c["i"], c["j"], c["ux"], c["uy"]
    px, py, HXY = c["px"], c["py"], c["HXY"]
    pxAddy, pxSuby = c["pxAddy"], c["pxSuby"]
    kSum, kDiff, Ng = c["kValuesSum"], c["kValuesDiff"], c["Ng"]
    want = set(enabled)
    out = {}
    # Sums whose terms are all >= 0 are taken over the marginal or grouped probabilities (p_x, p_y, p_x+y,
    # p_x-y: Ng or 2Ng-1 values per angle instead of Ng^2): the same terms grouped, so without cancellation
    # the result differs from pyradiomics' by a few units in the last place. Sums with terms of both signs
    # (cluster shade, the correlation's covariance) keep pyradiomics' cell-by-cell form.
    if want & {"ClusterProminence", "ClusterTendency"}:
        centred_sum = kSum[None, :, None] - ux[:, 0] - uy[:, 0]  # (i + j) - u_x - u_y for each value of i + j
        out["ClusterProminence"] = np.nanmean(np.sum(pxAddy * (centred_sum ** 4), 1), 1)
        out["ClusterTendency"] = np.nanmean(np.sum(pxAddy * (centred_sum ** 2), 1), 1)
    if "ClusterShade" in want:
        centred = (i + j)[None, :, :, None] - ux - uy
        out["ClusterShade"] = np.nanmean(np.sum((P * (centred ** 3)), (1, 2)), 1)
    if want & {"Correlation", "SumSquares"}:
        ivec = i[:, 0]
        jvec = j[0, :]
        ss = np.sum(px[:, :, 0, :] * ((ivec[None, :, None] - ux[:, 0]) ** 2), 1)  # (1, angles)
        sigx = ss[:, None, None, :] ** 0.5
        sigy = np.sum(py[:, 0, :, :] * ((jvec[None, :, None] - uy[:, 0]) ** 2), 1)[:, None, None, :] ** 0.5
        corm = np.sum(P * (i[None, :, :, None] - ux) * (j[None, :, :, None] - uy), (1, 2), keepdims=True)
        corr = corm / (sigx * sigy + eps)
        corr[sigx * sigy == 0] = 1  # pyradiomics: a zero denominator gives 1
        out["Correlation"] = np.nanmean(corr, (1, 2, 3))
        out["SumSquares"] = np.nanmean(ss, 1)
    if "Autocorrelation" in want:
        out["Autocorrelation"] = np.nanmean(np.sum(P * (i * j)[None, :, :, None], (1, 2)), 1)
    if "JointAverage" in want:
        out["JointAverage"] = ux.mean((1, 2, 3))
    if "Contrast" in want:
        out["Contrast"] = np.nanmean(np.sum(pxSuby * (kDiff[None, :, None] ** 2), 1), 1)
    diffavg = np.sum((kDiff[None, :, None] * pxSuby), 1, keepdims=True)
    out["DifferenceAverage"] = np.nanmean(diffavg[:, 0, :], 1)
    out["DifferenceEntropy"] = np.nanmean((-1) * np.sum((pxSuby * np.log2(pxSuby + eps)), 1), 1)
    out["DifferenceVariance"] = np.nanmean(np.sum((pxSuby * ((kDiff[None, :, None] - diffavg) ** 2)), 1), 1)
    if "JointEnergy" in want:
        out["JointEnergy"] = np.nanmean(np.sum((P ** 2), (1, 2)), 1)
    out["JointEntropy"] = np.nanmean(HXY, 1)
    if want & {"Imc1", "Imc2"}:
        pxpy = px * py
        HX = (-1) * np.sum((px * np.log2(px + eps)), (1, 2))
        HY = (-1) * np.sum((py * np.log2(py + eps)), (1, 2))
        log_pxpy = np.log2(pxpy + eps)
        HXY1 = (-1) * np.sum((P * log_pxpy), (1, 2))
        div = np.fmax(HX, HY)
        imc1 = HXY - HXY1
        imc1[div != 0] /= div[div != 0]
        imc1[div == 0] = 0  # pyradiomics: a zero denominator gives 0
        out["Imc1"] = np.nanmean(imc1, 1)
        HXY2 = (-1) * np.sum((pxpy * log_pxpy), (1, 2))
        imc2 = (1 - np.e ** (-2 * (HXY2 - HXY))) ** 0.5
        imc2[HXY2 == HXY] = 0
        out["Imc2"] = np.nanmean(imc2, 1)
    k2 = kDiff[None, :, None] ** 2
    out["Idm"] = np.nanmean(np.sum(pxSuby / (1 + k2), 1), 1)
    out["Idmn"] = np.nanmean(np.sum(pxSuby / (1 + (k2 / (Ng ** 2))), 1), 1)
    out["Id"] = np.nanmean(np.sum(pxSuby / (1 + kDiff[None, :, None]), 1), 1)
    out["Idn"] = np.nanmean(np.sum(pxSuby / (1 + (kDiff[None, :, None] / Ng)), 1), 1)
    out["InverseVariance"] = np.nanmean(np.sum(pxSuby[:, 1:, :] / kDiff[None, 1:, None] ** 2, 1), 1)
    if "MaximumProbability" in want:
        out["MaximumProbability"] = np.nanmean(np.amax(P, (1, 2)), 1)
    out["SumAverage"] = np.nanmean(np.sum((kSum[None, :, None] * pxAddy), 1), 1)
    out["SumEntropy"] = np.nanmean((-1) * np.sum((pxAddy * np.log2(pxAddy + eps)), 1), 1)
    return {k: v for k, v in out.items() if k in want}
