"""Every analysis function of the Python API documents its formula, the R function behind it, a reference and
an example (#12), and is reachable as ``ep.NAME`` whatever was imported before."""
from __future__ import annotations

import re

import pytest

import eprstats as ep

ANALYSES = ["table1", "icc", "build_signature", "discrimination", "fit_model", "calibrate", "reclassification",
            "sample_size",
            "decision_curve", "audit_paper"]


def test_api_lists_every_analysis():
    assert set(ANALYSES) <= set(ep.__all__)


@pytest.mark.parametrize("name", ANALYSES)
def test_docstring_has_formula_r_reference_and_example(name):
    import eprstats.cli  # noqa: F401  (imports every sub-package's command module first: ep.NAME must survive)

    fn = getattr(ep, name)
    assert callable(fn)
    doc = fn.__doc__ or ""
    assert "Example" in doc and ">>>" in doc, name
    assert re.search(r"[A-Za-z]+::[A-Za-z.]+|``[a-z.]+\.test``|R's|pingouin", doc), name      # the R function
    assert re.search(r"(19|20)\d\d", doc), name                                               # a reference
    assert re.search(r"=|\+/-|\^|/", doc), name                                               # a formula
