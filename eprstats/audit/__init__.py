"""Audit a paper's published numbers: ``audit(folder)`` -> :class:`AuditResult`, one row per check (see
docs/audit.md).

The names below are imported on first use (PEP 562), so that importing the ``eprstats audit`` command does
not import pandas, scipy or R.
"""
from __future__ import annotations

import importlib
import sys
import types

#: public name -> the submodule that defines it
_EXPORTS = {
    "audit": "result", "AuditResult": "result", "TIDY_EXTRA": "result",
    "read_paper": "schema", "Paper": "schema", "Printed": "schema", "parse_number": "schema",
    "run_checks": "checks",
    "audit_table": "report", "findings": "report", "summary": "report", "write_report": "report",
    "hanley_mcneil_se": "roc_checks",
    "compare": "compare", "Comparison": "compare", "read_run": "compare",
    "import_paper": "importer", "ImportedPaper": "importer",
    "HM_RATIO": "verdicts", "REPRODUCED": "verdicts", "NOT_REPRODUCED": "verdicts", "NOT_CHECKABLE": "verdicts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _CallableModule(types.ModuleType):
    """``eprstats.audit(folder)`` works even when this package was imported before ``eprstats.audit`` was
    first looked up: importing the package (e.g. through the ``audit`` command) makes ``eprstats.audit`` the
    package, not the function that ``ep.audit`` lazily re-exports."""

    def __call__(self, folder):
        return self.audit(folder)

    @property
    def __doc__(self):  # help(ep.audit) documents the function too: its formulas, references and example
        return _PACKAGE_DOC + "\n\n``audit(folder)``\n\n    " + (self.audit.__doc__ or "")


_PACKAGE_DOC = __doc__


sys.modules[__name__].__class__ = _CallableModule
