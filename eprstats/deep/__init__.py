"""Deep features: torchvision ResNet34 (ImageNet weights, fc removed) on three-slice tumour crops.

``crops``    the 224 x 224 three-slice inputs (numpy only; the rules are stated there)
``model``    :func:`load_resnet34` -- ImageNet, a local weights file, or seeded random weights (demos only)
``features`` :func:`deep_features` (a cohort, the API function) and its result :class:`DeepFeatures`
``extract``  :func:`patient_deep_features` (one patient, per slice), :func:`pool_patients`
``run``      :func:`extract_cohort_deep`: a cohort, cached, here or on a cluster (``cluster``)
``gradcam``  Grad-CAM of a linear deep signature, PNG overlays
``cli``      ``eprstats deep``

The deep signature is built by the selection stage, either as the paper did (a slice-level model whose
predicted probabilities are averaged per patient: ``build_signature(slices, ..., patient_col="patient")``)
or on the pooled patient-level features.

torch and torchvision (the ``deep`` extra, ``pip install 'eprstats[deep]'``) are imported only when a
function needs them; importing this package does not import torch.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "make_crops": "crops", "crop_geometry": "crops", "plan_crops": "crops", "normalise_intensity": "crops",
    "load_resnet34": "model", "deep_features": "features", "DeepFeatures": "features",
    "patient_deep_features": "extract", "pool_patients": "extract",
    "extract_cohort_deep": "run", "gradcam": "gradcam", "gradcam_patient": "gradcam",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
