"""eprstats: deep-learning radiomics studies from MRI to publication tables, statistics by R.

The sub-packages follow the Methods section of a radiomics paper, in the order a study walks through:

``cohort``        patients, the manifest and the study file, reading and validating images
``segmentation``  regions of interest: resampling, the peritumoral ring, tumour plus ring
``handcrafted``   pyradiomics features
``deep``          ResNet34 deep features
``selection``     ICC, preprocessing, mRMR, LASSO and signatures
``characteristics`` Table 1: the patients' baseline characteristics
``evaluation``    discrimination, models, calibration, reclassification, decision curves
``reporting``     tables in paper formats, figures, the report and provenance
``audit``         checking a paper's published numbers (``ep.audit_paper(folder)``; ``ep.compare``)
``study``         the whole study in one command, and the demo cohort

The Python API is one function per Methods step, each returning a result object with the publication
tables as DataFrames, ``.tidy()`` (every number, one row each) and ``.write(out, formats)``::

    import eprstats as ep
    res = ep.discrimination(scores, outcome="EPR", models=["PVP", "PVP_DLR"], cohort_col="cohort",
                            train_cohort="training")
    res.table2()          # Table 2 as printed
    res.tidy()            # every AUC, CI, cut-off, sensitivity, specificity and DeLong test
    res.write("out", formats=["csv", "md"])

The functions are imported on first use, so ``import eprstats`` (and ``eprstats --help``) stays light.
"""

import importlib

__version__ = "0.1.0"

#: public function -> the module that defines it (imported on first use)
_API = {
    "load_study": "eprstats.cohort.study",
    "table1": "eprstats.characteristics.table_one",
    "icc": "eprstats.selection.icc",
    "deep_features": "eprstats.deep.features",
    "build_signature": "eprstats.selection.signature",
    "discrimination": "eprstats.evaluation.discrimination",
    "fit_model": "eprstats.evaluation.models",
    "calibrate": "eprstats.evaluation.calibration",
    "reclassification": "eprstats.evaluation.reclassification",
    "decision_curve": "eprstats.evaluation.decision_curves",
    "sample_size": "eprstats.evaluation.sample_size",
    "audit_paper": "eprstats.audit.result",
    "compare": "eprstats.audit.compare",
    "run_study": "eprstats.study.runner",
}

#: public sub-packages and modules reachable as attributes: ``ep.audit`` is the package ``eprstats.audit`` (its
#: functions ``ep.audit.run_checks``...; the audit itself is ``ep.audit_paper``); ``ep.datasets`` the example
#: data the docstring examples run on (``ep.datasets.read_dataset("epr_cohort")``)
_PACKAGES = {"audit": "eprstats.audit", "datasets": "eprstats.datasets"}

__all__ = sorted([*_API, *_PACKAGES])


def __getattr__(name):
    if name in _PACKAGES:
        return importlib.import_module(_PACKAGES[name])
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'eprstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
