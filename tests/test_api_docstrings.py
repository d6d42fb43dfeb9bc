"""Every function of the Python API has a numpydoc docstring (#12, #24), as pingouin's have: Parameters
listing every parameter, Returns, Notes (for an analysis: a formula, an equation whose right side computes
something, and the R function or the named implementation behind it), References (for an analysis: a dated
reference) and Examples (run by tests/test_doctests.py, which checks their output). Every function is
reachable as ``ep.NAME`` whatever was imported before."""
from __future__ import annotations

import inspect
import re

import pytest

import eprstats as ep

#: the statistical analyses (the others, load_study and run_study, need no formula or reference)
ANALYSES = ["table1", "icc", "build_signature", "deep_features", "discrimination", "fit_model", "calibrate",
            "reclassification", "sample_size", "decision_curve", "audit_paper", "compare"]

#: docstrings not yet in numpydoc form (none since #24): an entry is deleted once its docstring passes (the
#: test then fails on an entry that passes)
PENDING: set[str] = set()

SECTIONS = ("Parameters", "Returns", "Notes", "References", "Examples")


def _sections(doc: str) -> dict[str, str]:
    """numpydoc section name -> its text (a title line underlined with dashes)."""
    doc = inspect.cleandoc(doc)
    heads = list(re.finditer(r"^(\w[\w ]*)\n-{3,}\n", doc, re.M))
    return {m.group(1): doc[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(doc)]
            for i, m in enumerate(heads)}


def _documented(parameters: str) -> set[str]:
    """The names a Parameters section documents (``name : type`` lines; ``a, b : type`` documents both)."""
    names = set()
    for m in re.finditer(r"^(\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*)\s*:", parameters, re.M):
        names |= {n.strip().lstrip("*") for n in m.group(1).split(",")}
    return names


#: an operation between two operands: a + b, a * b, a/b, a^2, a - b (spaced, so that "Hosmer-Lemeshow" is no
#: subtraction), or a function of the statistics (sqrt, log, exp, Phi, sum, mean, var, logit)
_OPERATION = re.compile(r"[\w)\]|]\s*[-+*/^]\s*[\w(|]|[\w)]\s+-\s+[\w(]|\b(sqrt|log|exp|Phi|sum|mean|var|logit)\(")


def _formula(notes: str) -> bool:
    """A formula: an equation or inequality (``=``, ``<=``, ``>=``, ``<``, ``>``) whose right side, up to the end
    of its clause, computes something (:data:`_OPERATION`). A call's ``argument = value`` (R's
    ``rms::validate(fit, B = 200)``) is left out, and so are a hyphenated word and a mere ``name = value``."""
    prose = re.sub(r"[\w.]+::[\w.]+\([^`]*?\)", " ", notes)  # R calls and their argument = value
    prose = re.sub(r"\b\w+\([^()]*\b\w+\s*=[^()]*\)", " ", prose)  # any call with name = value inside
    for m in re.finditer(r"[\w)\]|]\s*(?:<=|>=|=|<|>)\s*([^\n,;]+)", prose):
        right = re.sub(r"\b[A-Za-z]+-[A-Za-z]+\b", "word", m.group(1))
        if _OPERATION.search(right):
            return True
    return False


def test_api_lists_every_analysis():
    assert set(ANALYSES) <= set(ep.__all__)


def test_the_checks_catch_what_they_should():
    assert _sections("x\n\nParameters\n----------\na : int\n    y\n\nReturns\n-------\nz\n") == {
        "Parameters": "a : int\n    y\n\n", "Returns": "z"}
    assert _documented("a, b : int\n    the two\nc : str\n    x\n") == {"a", "b", "c"}
    assert _formula("NB(pt) = TP/n - FP/n * pt/(1 - pt)") and not _formula("seed=2024 and level=0.95")
    assert _formula("AUC = Dxy/2 + 0.5") and _formula("z = (x - mean) / SD") and _formula("SE = sqrt(V10/m)")
    assert _formula("|x - printed| <= unit / 2")
    # not formulas: R code, a hyphenated name, a value, a default in parentheses
    assert not _formula('``rms::validate(fit, method = "boot", B = optimism_boot_n)``')
    assert not _formula("g = Hosmer-Lemeshow groups") and not _formula("P < 0.001 is printed as <0.001")
    assert not _formula("the threshold (default = 0.8) for reproducible features")


@pytest.mark.parametrize("name", sorted(set(ep.__all__) - set(ep._PACKAGES)))  # ep.audit is a package
def test_numpydoc_docstring(name):
    import eprstats.cli  # noqa: F401  (imports every sub-package's command module first: ep.NAME must survive)

    if name in PENDING:
        pytest.xfail(f"{name}: docstring not yet in numpydoc form (PENDING)")
    fn = getattr(ep, name)
    assert inspect.isfunction(fn), f"ep.{name} is not a plain function"
    sections = _sections(fn.__doc__ or "")
    wanted = SECTIONS if name in ANALYSES else ("Parameters", "Returns", "Examples")
    missing = [s for s in wanted if s not in sections]
    assert not missing, f"{name}: no {missing} section"
    params = [p for p in inspect.signature(fn).parameters if p not in ("self",)]
    undocumented = [p for p in params if p not in _documented(sections["Parameters"])]
    assert not undocumented, f"{name}: Parameters does not list {undocumented}"
    assert ">>>" in sections["Examples"], name
    if name in ANALYSES:
        notes = sections["Notes"]
        assert _formula(notes), f"{name}: Notes states no formula"
        assert re.search(r"[A-Za-z]+::[A-Za-z.]+|R's|pingouin|torchvision|scipy", notes), \
            f"{name}: Notes names no R function or implementation"
        assert re.search(r"\b(19|20)\d\d\b", sections["References"]), f"{name}: References has no dated entry"



def test_pending_entries_still_fail():
    # a PENDING docstring that now passes must leave the list, so that the list never hides a regression
    passing = []
    for name in sorted(PENDING):
        fn = getattr(ep, name)
        sections = _sections(fn.__doc__ or "")
        wanted = SECTIONS if name in ANALYSES else ("Parameters", "Returns", "Examples")
        if all(s in sections for s in wanted) and set(inspect.signature(fn).parameters) <= _documented(
                sections["Parameters"]):
            passing.append(name)
    assert not passing, f"remove from PENDING: {passing}"
