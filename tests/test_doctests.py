"""Every exported function's Examples run and print what they show (#24, as pingouin's are checked): they run
on the example cohort shipped with the package (``ep.datasets.read_dataset("epr_cohort")``), R included. An
example may be skipped (``# doctest: +SKIP``) only for a reason listed in :data:`SKIPPED`, the one place that
lists them. The example cohort is what scripts/make_example_data.py writes, byte for byte."""
from __future__ import annotations

import doctest
import importlib.util
import inspect
import warnings
from pathlib import Path

import pytest

import eprstats as ep

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = sorted(set(ep.__all__) - set(ep._PACKAGES))
#: the modules whose own docstring has examples (the others' examples are their functions')
MODULES = ["datasets"]

#: exported functions whose examples are not run, and why (images, torch, a whole study, or too slow for CI)
SKIPPED = {
    "deep_features": "needs torch, the ResNet34 weights and a cases table of images and masks",
    "load_study": "needs a study file whose image files exist",
    "run_study": "runs a whole study: images, pyradiomics, R; minutes",
}

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(obj, name: str) -> list[doctest.DocTest]:
    return doctest.DocTestFinder(recurse=False).find(obj, name, globs={})


def _run(obj, name: str) -> doctest.DocTestRunner:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the examples' own warnings (e.g. events per variable) are not failures
        for test in _examples(obj, name):
            runner.run(test)
    return runner


def test_skipped_names_exported_functions():
    assert set(SKIPPED) <= set(FUNCTIONS)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_examples_show_real_output(name):
    """Outside SKIPPED: no +SKIP, and at least one example prints its output (not only assignments)."""
    fn = getattr(ep, name)
    doc = fn.__doc__ or ""
    if name in SKIPPED:
        assert "+SKIP" in doc, f"{name} runs its examples now: remove it from SKIPPED"
        return
    assert "+SKIP" not in doc, f"{name}: an example is skipped; make it run, or list the reason in SKIPPED"
    examples = [e for t in _examples(fn, name) for e in t.examples]
    assert any(e.want.strip() for e in examples), f"{name}: no example shows its output"


@pytest.mark.parametrize("name", FUNCTIONS + MODULES)
def test_examples_pass_doctest(name):
    obj = getattr(ep, name)
    runner = _run(obj, name)
    assert runner.failures == 0, f"{name}: {runner.failures} example(s) print something else (see above)"
    if name not in SKIPPED:
        assert runner.tries > 0, name


def test_every_example_of_the_exported_modules_is_checked():
    """doctest.testmod over the modules that define the exported functions: their other functions' and the
    modules' own examples run too (or carry +SKIP); the exported functions' ran above and are left out here."""
    exported = {getattr(ep, n) for n in FUNCTIONS}
    names = {f"{f.__module__}.{f.__name__}" for f in exported}
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module in sorted({inspect.getmodule(f) for f in exported}, key=lambda m: m.__name__):
            for test in doctest.DocTestFinder().find(module, globs={}):
                if test.name not in names:
                    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) print something else (see above)"


def test_example_cohort_is_what_the_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_example_data", ROOT / "scripts" / "make_example_data.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = script.main(tmp_path / "epr_cohort.csv")
    shipped = Path(inspect.getfile(ep.datasets)).parent / "data" / "example" / "epr_cohort.csv"
    assert written.read_bytes() == shipped.read_bytes()
