"""The eprstats engine's feature classes: pyradiomics' classes sharing one discretisation, and a faster MCC.

Each pyradiomics texture class (and first order) discretises the filtered image again in its constructor
(``_applyBinning``: ``imageoperations.binImage`` and ``numpy.unique`` over the ROI): six times the same work
per filtered image. The classes made by :func:`engine_classes` look the result up in a :class:`SharedBinning`
shared by all classes of one (filtered image, mask) pair: the same function on the same input, so the same
array (each class gets its own copy, as pyradiomics' classes may change it).

The GLCM's Maximal Correlation Coefficient comes from :mod:`.mcc` (symmetric eigenproblem, with guards), and
from pyradiomics' own computation (bit-identical, :class:`~eprstats.handcrafted.sparse_glcm.SparseMCCGLCM`)
where a guard fails. Each class except shape computes its features together (:mod:`.firstorder`,
:mod:`.glcm`, :mod:`.glrlm`, :mod:`.glszm`, :mod:`.gldm`, :mod:`.ngtdm`), from pyradiomics' coefficients.

The five texture matrices of a whole ROI come from :mod:`.matrices` (C kernels; the same arrays as pyradiomics'
C code): each class runs pyradiomics' own ``_calculateMatrix`` -- the same code object, so the same
post-processing (absent grey levels removed, symmetry, weighting, empty angles) -- with the name
``cMatrices`` in its globals bound to :mod:`.matrices` instead of pyradiomics' C module. Voxel-based
extraction keeps pyradiomics' C code.
"""
from __future__ import annotations

import sys
import types

import numpy as np

from ..sparse_glcm import feature_classes as exact_classes
from . import fused, glcm_kernels, matrices
from .firstorder import fast_firstorder_class
from .glcm import fast_glcm_class
from .gldm import fast_gldm_class
from .glrlm import fast_glrlm_class
from .glszm import fast_glszm_class
from .mcc import mcc_fast
from .ngtdm import fast_ngtdm_class
from .onepass import one_pass
from .preparation import bin_image, grey_levels  # noqa: F401 (grey_levels: used here and by callers)

#: The classes whose matrices :mod:`.matrices` computes.
TEXTURE_CLASSES = ("glcm", "glrlm", "glszm", "gldm", "ngtdm")

#: The subclasses computing a class's segment-based features together (GLCM: below, with the MCC).
_FAST = {"firstorder": fast_firstorder_class, "glrlm": fast_glrlm_class, "glszm": fast_glszm_class,
         "gldm": fast_gldm_class, "ngtdm": fast_ngtdm_class}

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
            levels, counts = grey_levels(binned[feature_class.maskArray])
            hit = (binned, levels, (feature_class.inputImage, feature_class.inputMask), feature_class.maskArray,
                   counts)
            self._store[key] = hit
        binned, levels = hit[0], hit[1]
        feature_class.coefficients["grayLevels"] = levels.copy()
        feature_class.coefficients["Ng"] = int(np.max(levels))
        feature_class.grey_level_counts = hit[4]  # first order's histogram (engine/firstorder.py)
        return binned.copy()


class EngineTable(dict):
    """The engine's class table (class name to class), whose :meth:`one_pass` computes every feature of one
    (filtered image, ROI) pair at once (:mod:`.onepass`), these classes computing what that path leaves to
    them. ``timing``: None, or a dict receiving CPU seconds per step (benchmarks)."""

    def __init__(self, torch_device=None):
        super().__init__()
        self.torch_device = torch_device
        self.timing = None

    def one_pass(self, enabled, image, mask, type_name, kwargs):
        return one_pass(self, enabled, image, mask, type_name, kwargs, torch_device=self.torch_device,
                        timing=self.timing)


def _compiled_matrix_method(method, matrices):
    """pyradiomics' ``_calculateMatrix`` ``method`` computing its matrix with :mod:`.matrices` (segment-based
    extraction; voxel-based extraction calls ``method`` itself).

    The function is pyradiomics' code object run with a copy of its module's globals in which ``cMatrices`` is
    :mod:`.matrices` (whose functions take the same arguments and return the same arrays): the processing
    around the C call is pyradiomics' by construction, not a transcription of it."""
    module_globals = dict(vars(sys.modules[method.__module__]))
    module_globals["cMatrices"] = matrices
    compiled = types.FunctionType(method.__code__, module_globals, method.__name__, method.__defaults__,
                                  method.__closure__)

    def _calculateMatrix(self, voxelCoordinates=None):
        if self.voxelBased:
            return method(self, voxelCoordinates)
        return compiled(self, voxelCoordinates)

    _calculateMatrix.__doc__ = method.__doc__
    return _calculateMatrix


def engine_classes(torch_device: str | None = None):
    """(class table, SharedBinning): pyradiomics' feature classes with shared binning and the fast MCC, in an
    :class:`EngineTable` (its ``one_pass``: all classes of a filtered image at once).

    ``torch_device``: None for numpy, or a torch device ("cuda", "cpu") for the MCC's eigenproblems.
    """
    from radiomics import getFeatureClasses

    matrices.compile_kernels()  # the compiled kernels, or InputError naming the fix
    glcm_kernels.compile_kernels()  # before the first ROI (not inside its GLCM's timing)
    fused.compile_kernels()
    shared = SharedBinning()
    base = dict(getFeatureClasses())
    base["glcm"] = exact_classes()["glcm"]  # pyradiomics' GLCM with the bit-identical sparse MCC
    table = EngineTable(torch_device)
    for name, cls in base.items():
        if name.startswith("shape"):
            table[name] = cls
            continue
        if cls not in _FEATURE_NAMES:
            _FEATURE_NAMES[cls] = cls.getFeatureNames()
        attrs = {"_applyBinning": lambda self, matrix: shared.get(self, matrix),
                 "getFeatureNames": classmethod(lambda _cls, _names=_FEATURE_NAMES[cls]: dict(_names))}
        if name in TEXTURE_CLASSES:
            attrs["_calculateMatrix"] = _compiled_matrix_method(cls._calculateMatrix, matrices)
        if name == "glcm":
            def getMCCFeatureValue(self, _exact=cls.getMCCFeatureValue):
                c = self.coefficients
                if self.voxelBased or not np.isfinite(self.P_glcm).all():
                    # a GLCM of 0/0 (a ROI without neighbouring pairs, weighted): pyradiomics' eigensolver
                    # refuses it and the feature is NaN; the symmetric path would return a number
                    return _exact(self)
                value = mcc_fast(self.P_glcm, c["px"], c["py"], c["eps"], torch_device)
                return _exact(self) if value is None else value
            getMCCFeatureValue.__doc__ = cls.getMCCFeatureValue.__doc__
            attrs["getMCCFeatureValue"] = getMCCFeatureValue
            cls = fast_glcm_class(cls)
        elif name in _FAST:
            cls = _FAST[name](cls)
        table[name] = type(f"Engine{cls.__name__}", (cls,), attrs)
    return table, shared
