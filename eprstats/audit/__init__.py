"""Audit a paper's published numbers: ``audit_paper(folder)`` (``ep.audit_paper``) -> :class:`AuditResult`, one
row per check (see docs/audit.md); ``eprstats.audit.compare.compare`` (``ep.compare``) sets a run beside them.

``ep.audit`` is this package (``ep.audit.run_checks``, ``ep.audit.read_paper``...), a plain module: it is not
callable (#24: no callable modules); the audit is ``ep.audit_paper(folder)`` (``ep.audit(folder)`` before #22).

The names below are imported on first use (PEP 562), so that importing the ``eprstats audit`` command does
not import pandas, scipy or R.
"""
from __future__ import annotations

import importlib
import importlib.util

#: public name -> the submodule that defines it
_EXPORTS = {
    "audit_paper": "result", "audit": "result", "AuditResult": "result", "TIDY_EXTRA": "result",
    "Check": "registry", "KINDS": "registry", "ClaimKind": "registry", "parse_quantity": "registry",
    "Cell": "cells", "read_cells": "cells", "cells_to_csv": "cells", "run_cell_checks": "cell_checks",
    "read_paper": "schema", "Paper": "schema", "Printed": "schema", "parse_number": "schema",
    "run_checks": "checks",
    "audit_table": "report", "findings": "report", "summary": "report", "write_report": "report",
    "hanley_mcneil_se": "estimate_checks",
    # not "compare": eprstats.audit.compare is the module (its function is eprstats.audit.compare.compare)
    "Comparison": "compare", "read_run": "compare",
    "import_paper": "importer", "ImportedPaper": "importer",
    "HM_RATIO": "verdicts", "REPRODUCED": "verdicts", "NOT_REPRODUCED": "verdicts", "NOT_CHECKABLE": "verdicts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        # a submodule (``ep.audit.compare``, ``ep.audit.registry``) is an attribute before it is imported too
        if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))

