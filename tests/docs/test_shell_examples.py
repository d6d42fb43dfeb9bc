"""Every shell example of README.md and docs/*.md is tried, in seconds (as test_api_doc.py does for Python):

* ``eprstats ...``: the command line parses it, in-process, with every option and argument checked by click
  (types, choices, required options) without running the analysis; a placeholder path that does not exist
  (``FOLDER``, ``study.yaml``) is the only error allowed. The examples that need no input are run for real.
* ``bash scripts/setup.sh ...``: run with ``--dry-run`` (its options are checked, nothing is installed).
* ``dask scheduler|worker ...``: parsed by distributed's own command line.
* ``eprstats-python -m pytest ...``: the command setup.sh writes, and pytest's options.

An example line that is none of these fails the test, so a new kind of example gets a check.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
COMMANDS = ("eprstats ", "bash ", "dask ", "eprstats-python ")
#: examples run for real (they need no input and finish in seconds)
RUN = ("samplesize",)


def examples() -> list[tuple[str, str]]:
    """(page, command) for every command of every shell block; ``&&`` splits a line into commands."""
    found = []
    for page in PAGES:
        for lang, block in FENCE.findall(page.read_text(encoding="utf-8")):
            if lang not in ("bash", "sh", "shell", ""):
                continue
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if not words or (lang == "" and not " ".join(words).startswith(COMMANDS)):
                    continue  # an untagged block of CSV or output, not commands
                # usage syntax: [--mapping FILE] is an optional part, checked as given
                words = [w.strip("[]") if w.startswith("[") or w.endswith("]") else w for w in words]
                while "&&" in words:
                    cut = words.index("&&")
                    found.append((page.name, shlex.join(words[:cut])))
                    words = words[cut + 1:]
                found.append((page.name, shlex.join(words)))
    return found


EXAMPLES = examples()


def test_every_example_is_found():
    pages = {p for p, _ in EXAMPLES}
    assert {"README.md", "handcrafted.md", "audit.md", "compare.md"} <= pages
    assert any(c.startswith("bash scripts/setup.sh") for _, c in EXAMPLES)


def _parse_eprstats(args: list[str]) -> None:
    from eprstats.cli import cli
    with cli.make_context("eprstats", list(args)) as ctx:
        name, command, rest = cli.resolve_command(ctx, ctx.protected_args + ctx.args)
        try:
            command.make_context(name, rest, parent=ctx)
        except click.BadParameter as exc:  # a placeholder file of the example (FOLDER, study.yaml) is allowed
            if "does not exist" not in exc.format_message():
                raise


@pytest.mark.parametrize("page, command", EXAMPLES, ids=[f"{p}: {c[:60]}" for p, c in EXAMPLES])
def test_example(page, command, tmp_path, monkeypatch):
    words = shlex.split(command)
    monkeypatch.chdir(tmp_path)
    if words[0] == "eprstats":
        if words[1] in RUN:  # for real, the console entry point's exit code
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            res = subprocess.run([sys.executable, "-c", "import sys; from eprstats.cli import main; sys.exit(main())",
                                  *words[1:]], capture_output=True, text=True, env=env, timeout=300)
            assert res.returncode == 0, f"{page}: {command}\n{res.stderr}"
        else:
            _parse_eprstats(words[1:])
    elif words[:2] == ["bash", "scripts/setup.sh"]:
        res = subprocess.run(["bash", str(REPO / "scripts" / "setup.sh"), *words[2:], "--dry-run"],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "EPRSTATS_BIN": str(tmp_path / "bin")})
        assert res.returncode == 0, f"{page}: {command}\n{res.stderr}"
        assert not (tmp_path / "bin").exists()
    elif words[0] == "dask":
        module = {"scheduler": "distributed.cli.dask_scheduler", "worker": "distributed.cli.dask_worker"}[words[1]]
        main = __import__(module, fromlist=["main"]).main
        main.make_context(f"dask {words[1]}", words[2:])
    elif words[0] == "eprstats-python":
        assert "eprstats-python" in (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
        assert words[1:3] == ["-m", "pytest"]
        # pytest itself checks the options, collecting one small file instead of the suite
        res = subprocess.run([sys.executable, "-m", "pytest", *words[3:], "--collect-only",
                              str(REPO / "tests" / "docs" / "test_study_doc.py")], capture_output=True, text=True,
                             cwd=REPO, timeout=300)
        assert res.returncode == 0, f"{page}: {command}\n{res.stdout}{res.stderr}"
    else:
        pytest.fail(f"{page}: no check for the example {command!r}: add one to {Path(__file__).name}")
