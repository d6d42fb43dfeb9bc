"""The eprstats engine's feature classes: pyradiomics' classes sharing one discretisation, and a faster MCC.

Each pyradiomics texture class (and first order) discretises the filtered image again in its constructor
(``_applyBinning``: ``imageoperations.binImage`` and ``numpy.unique`` over the ROI): six times the same work
per filtered image. The classes made by :func:`engine_classes` look the result up in a :class:`SharedBinning`
shared by all classes of one (filtered image, mask) pair: the same function on the same input, so the same
array (each class gets its own copy, as pyradiomics' classes may change it).

The GLCM's Maximal Correlation Coefficient comes from :mod:`.mcc` (symmetric eigenproblem, with guards), and
from pyradiomics' own computation (bit-identical, :class:`~eprstats.handcrafted.sparse_glcm.SparseMCCGLCM`)
where a guard fails. First order, GLCM and GLRLM compute their features together (:mod:`.firstorder`,
:mod:`.glcm`, :mod:`.glrlm`); GLSZM, GLDM and NGTDM are pyradiomics' classes with the shared discretisation.
"""
from __future__ import annotations

import numpy as np

from ..sparse_glcm import feature_classes as exact_classes
from .firstorder import fast_firstorder_class
from .glcm import fast_glcm_class
from .glrlm import fast_glrlm_class
from .mcc import mcc_fast
from .preparation import bin_image

#: Feature names of each engine class's pyradiomics base (pyradiomics finds them with ``inspect.getmembers``
#: in every constructor: about 1.5 ms, 6 times per filtered image); the engine classes define no new ones.
_FEATURE_NAMES: dict = {}


class SharedBinning:
    """Discretised images by (image, mask, binning settings); holds the images so their ids stay valid."""

    def __init__(self):
        self._store: dict = {}

    def clear(self):
        self._store.clear()

    def get(self, feature_class, matrix):
        s = feature_class.settings
        key = (id(feature_class.inputImage), id(feature_class.inputMask), s.get("binWidth"), s.get("binCount"),
               repr(s.get("binEdges")), matrix.dtype.str, matrix.shape)
        hit = self._store.get(key)
        if hit is None or not np.array_equal(hit[3], feature_class.maskArray):
            binned, _ = bin_image(matrix, feature_class.maskArray, **s)  # binImage's array, faster
            levels = np.unique(binned[feature_class.maskArray])
            hit = (binned, levels, (feature_class.inputImage, feature_class.inputMask), feature_class.maskArray)
            self._store[key] = hit
        binned, levels = hit[0], hit[1]
        feature_class.coefficients["grayLevels"] = levels.copy()
        feature_class.coefficients["Ng"] = int(np.max(levels))
        return binned.copy()


def engine_classes(torch_device: str | None = None):
    """(class table, SharedBinning): pyradiomics' feature classes with shared binning and the fast MCC.

    ``torch_device``: None for numpy, or a torch device ("cuda", "cpu") for the MCC's eigenproblems.
    """
    from radiomics import getFeatureClasses


    shared = SharedBinning()
    base = dict(getFeatureClasses())
    base["glcm"] = exact_classes()["glcm"]  # pyradiomics' GLCM with the bit-identical sparse MCC
    table = {}
    for name, cls in base.items():
        if name.startswith("shape"):
            table[name] = cls
            continue
        if cls not in _FEATURE_NAMES:
            _FEATURE_NAMES[cls] = cls.getFeatureNames()
        attrs = {"_applyBinning": lambda self, matrix: shared.get(self, matrix),
                 "getFeatureNames": classmethod(lambda _cls, _names=_FEATURE_NAMES[cls]: dict(_names))}
        if name == "glcm":
            def getMCCFeatureValue(self, _exact=cls.getMCCFeatureValue):
                c = self.coefficients
                if self.voxelBased:
                    return _exact(self)
                value = mcc_fast(self.P_glcm, c["px"], c["py"], c["eps"], torch_device)
                return _exact(self) if value is None else value
            getMCCFeatureValue.__doc__ = cls.getMCCFeatureValue.__doc__
            attrs["getMCCFeatureValue"] = getMCCFeatureValue
            cls = fast_glcm_class(cls)
        elif name == "firstorder":
            cls = fast_firstorder_class(cls)
        elif name == "glrlm":
            cls = fast_glrlm_class(cls)
        table[name] = type(f"Engine{cls.__name__}", (cls,), attrs)
    return table, shared
