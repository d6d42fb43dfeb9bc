"""The package's layers (#12): no import from a lower stage of the Methods to a higher one, and the shared
modules (validation, results, paths, fileio, errors, rbridge, cluster, reporting) import no stage at all.

Imports inside functions count too: a lazy import is still a dependency. The stage order is the paper's."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "eprstats"
ORDER = ["cohort", "segmentation", "handcrafted", "deep", "selection", "characteristics", "evaluation", "audit",
         "study"]
SHARED = {"validation.py", "results.py", "paths.py", "fileio.py", "errors.py", "rbridge.py", "clitools.py",
          "cluster.py", "reporting"}


def _targets(path: Path) -> list[tuple[int, str]]:
    """(line, top-level eprstats sub-package or module) of every import in ``path``."""
    rel = path.relative_to(PACKAGE).parts
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 0 and (node.module or "").startswith("eprstats."):
            out.append((node.lineno, node.module.split(".")[1]))
        elif node.level > 0:
            base = list(rel[:-1])[: len(rel) - node.level]          # the package the dots climb to
            names = (node.module.split(".") if node.module else [])
            full = base + names
            if full:
                out.append((node.lineno, full[0]))
            else:                                                    # from .. import cohort
                out += [(node.lineno, a.name) for a in node.names]
    return out


def _stage(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def test_no_import_from_a_lower_stage_to_a_higher_one():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        me = _stage(path)
        for line, target in _targets(path):
            if me in ORDER and target in ORDER and ORDER.index(target) > ORDER.index(me):
                bad.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
            if me in SHARED and target in ORDER:
                bad.append(f"{path.relative_to(PACKAGE)}:{line} (shared) imports {target}")
    assert not bad, bad


def test_the_checker_sees_imports():
    # the test above would pass on a checker that finds nothing: it must see the stages' real imports
    found = {t for p in (PACKAGE / "study").rglob("*.py") for _, t in _targets(p)}
    assert {"cohort", "evaluation", "selection"} <= found
