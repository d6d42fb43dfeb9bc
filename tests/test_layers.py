"""The package's layers (#12, #24).

1. No import from a lower stage of the Methods to a higher one, and the shared modules (validation, results,
   paths, fileio, errors, rbridge, cluster, reporting) import no stage at all.
2. No import circle between the modules of a folder (or anywhere): a circle kept from failing by an import
   inside a function is still a circle.
3. Imports inside functions only where they keep ``eprstats --help`` light (a module the help loads, importing
   what it does not load), keep an optional package optional (:data:`OPTIONAL`, the extras), or keep a worker
   process that extracts features free of what it does not use (:data:`WORKER_LIGHT`, named one by one). That
   rule is the one place that lists them; :data:`LEGACY_LAZY` would count exceptions still to move to the top.

Imports inside functions count as dependencies everywhere: a lazy import is still a dependency. The stage
order is the paper's."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "eprstats"
ORDER = ["cohort", "segmentation", "handcrafted", "deep", "selection", "characteristics", "evaluation", "audit",
         "study"]
SHARED = {"validation.py", "results.py", "paths.py", "fileio.py", "errors.py", "rbridge.py", "clitools.py",
          "cluster.py", "reporting"}

#: import circles still to remove (none since #24: each folder's imports form a DAG); an entry is deleted once
#: its circle is gone, and any other circle fails the test
KNOWN_CIRCLES: set[frozenset] = set()

#: packages a function may import where it needs them, so that eprstats works without the extra that brings
#: them (deep, imaging, R, cluster, Word, PDF, figures)
OPTIONAL = {"torch", "torchvision", "SimpleITK", "radiomics", "rpy2", "dask", "distributed", "docx", "pdfplumber",
            "matplotlib", "pingouin", "sklearn", "joblib", "tqdm"}

#: module -> what it may import inside a function because a worker process runs it: a joblib or Dask worker
#: imports only the module of the function it is sent (handcrafted.case), and what that module imports at its
#: top is in every worker's memory. segmentation.rois imports cohort.validate, which imports pandas (with
#: pyarrow 75 MB per worker, issue #25's memory bar: a worker's peak no higher than pyradiomics'); only ROIs
#: derived from a tumour mask need it, so it is imported where a ROI is derived. That a worker extracting given
#: masks then loads neither pandas nor pyarrow is tested in tests/handcrafted/test_worker_imports.py.
#: handcrafted.parallel and .tables: with --jobs 1 the command's own process is the worker, so handcrafted.tables
#: (pyarrow) loads after the extraction, and pandas only where a table is read or written through it: a plain
#: cases CSV and the usual tables are read and written without it (tests/handcrafted/test_worker_imports.py,
#: test_cases_csv.py, test_tables.py).
WORKER_LIGHT: dict[str, set[str]] = {"eprstats.handcrafted.case": {"eprstats.segmentation.rois"},
                                     "eprstats.handcrafted.parallel": {"pandas", "eprstats.handcrafted.tables"},
                                     "eprstats.handcrafted.tables": {"pandas"}}

#: function-level imports that no rule justifies, per module (statements), still to move to the top (none
#: since #24): the test fails when a module gains one
LEGACY_LAZY: dict[str, int] = {}

# ------------------------------------------------------------------------------------------------ reading
def _modname(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_modname(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function?) of every import in ``path``; ``from . import x`` names the
    module ``x`` when it is one, else the package."""
    me = _modname(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out: list[tuple[int, str, bool]] = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    full = ".".join(base + ([child.module] if child.module else []))
                else:
                    full = child.module or ""
                for alias in child.names:
                    name = f"{full}.{alias.name}"
                    out.append((child.lineno, name if name in MODULES else full, inside))
            elif isinstance(child, ast.Import):
                out.extend((child.lineno, alias.name, inside) for alias in child.names)
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return out


def _targets(path: Path) -> list[tuple[int, str]]:
    """(line, top-level eprstats sub-package or module) of every eprstats import in ``path``."""
    return [(line, target.split(".")[1]) for line, target, _ in _imports(path)
            if target.startswith("eprstats.") and len(target.split(".")) > 1]


def _stage(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def _circles(graph: dict[str, set[str]]) -> list[frozenset]:
    """The strongly connected components of more than one module (Tarjan), i.e. the import circles."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(m.removeprefix("eprstats.") for m in component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        graph[name] = {t for _, t, _ in _imports(path) if t in MODULES and t != name}
    return graph


# ------------------------------------------------------------------------------------------------- tests
def test_no_import_from_a_lower_stage_to_a_higher_one():
    bad = []
    for path in MODULES.values():
        me = _stage(path)
        for line, target in _targets(path):
            if me in ORDER and target in ORDER and ORDER.index(target) > ORDER.index(me):
                bad.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
            if me in SHARED and target in ORDER:
                bad.append(f"{path.relative_to(PACKAGE)}:{line} (shared) imports {target}")
    assert not bad, bad


def test_the_checker_sees_imports():
    # the tests here would pass on a checker that finds nothing: it must see the stages' real imports
    found = {t for p in (PACKAGE / "study").rglob("*.py") for _, t in _targets(p)}
    assert {"cohort", "evaluation", "selection"} <= found
    lazy = [t for _, t, inside in _imports(PACKAGE / "deep" / "model.py") if inside]
    assert "torch" in lazy and "torchvision" in lazy


def test_the_circle_finder_finds_circles():
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "b": {"a.x"}}
    assert _circles(graph) == [frozenset({"a.x", "a.y", "a.z"})]


def test_no_import_circle():
    circles = _circles(_graph())
    new = [sorted(c) for c in circles if c not in KNOWN_CIRCLES]
    assert not new, f"import circles (imports inside functions included): {new}"


def test_known_circles_are_still_circles():
    # an entry of KNOWN_CIRCLES whose circle is gone must be deleted, so the list never hides a new one
    gone = [sorted(c) for c in KNOWN_CIRCLES if c not in _circles(_graph())]
    assert not gone, f"remove from KNOWN_CIRCLES: {gone}"


HELP_PROBE = r"""
import json, sys
from eprstats.cli import cli
for args in [["--help"]] + [[n, "--help"] for n in sorted(cli.commands)]:
    try:
        cli.main(args=args, prog_name="eprstats", standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def help_modules() -> set[str]:
    """Every module loaded by ``eprstats --help`` and each command's ``--help``."""
    done = subprocess.run([sys.executable, "-c", HELP_PROBE], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _unjustified(help_modules: set[str]) -> dict[str, list[str]]:
    """Module -> its function-level imports that neither keep the help light nor an optional package optional."""
    out: dict[str, list[str]] = {}
    for name, path in MODULES.items():
        for line, target, inside in _imports(path):
            if not inside or target.split(".")[0] in OPTIONAL:
                continue
            if name in help_modules and target not in help_modules:
                continue                     # keeps `eprstats --help` from loading it
            if target in WORKER_LIGHT.get(name, ()):
                continue                     # keeps a worker process's memory free of it
            out.setdefault(name.removeprefix("eprstats."), []).append(f"{line}: {target}")
    return out


def test_function_level_imports_only_where_they_keep_the_help_light(help_modules):
    assert "eprstats.cli" in help_modules and "pandas" not in help_modules
    got = _unjustified(help_modules)
    grown = {m: lines for m, lines in got.items()
             if len({ln.split(":")[0] for ln in lines}) > LEGACY_LAZY.get(m, 0)}
    assert not grown, ("imports inside functions that keep neither `eprstats --help` light nor an optional "
                       f"package optional nor a worker light (move them to the top of the module): {grown}")


def test_worker_light_entries_are_used():
    # an entry of WORKER_LIGHT that its module no longer imports inside a function must be deleted, so the
    # list names only real exceptions
    unused = {m: t for m, targets in WORKER_LIGHT.items() for t in targets
              if (t, True) not in {(target, inside) for _, target, inside in _imports(MODULES[m])}}
    assert not unused, f"remove from WORKER_LIGHT: {unused}"
