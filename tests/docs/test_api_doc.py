"""docs/api.md is executed: every ```python block runs, in order, in one namespace (a fresh folder as the
working directory), so the walk-through cannot drift from the package. Its asserts check numbers against
published values or R called directly, as the page says beside each."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def blocks() -> list[str]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_api_doc_has_code():
    # the page is a walk-through, not prose: it must keep its code
    assert len(blocks()) >= 8


@pytest.mark.slow
def test_api_doc_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EPRSTATS_REPO", str(DOC.parents[1]))
    namespace: dict = {"__name__": "api_doc"}
    for i, code in enumerate(blocks(), 1):
        try:
            exec(compile(code, f"docs/api.md block {i}", "exec"), namespace)
        except Exception as exc:  # name the block, so a failure points at the page
            raise AssertionError(f"docs/api.md block {i} failed: {type(exc).__name__}: {exc}\n{code}") from exc
    assert os.path.isdir(tmp_path / "api_out")
