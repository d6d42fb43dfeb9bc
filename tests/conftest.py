"""Shared test fixtures. Tests use real R (through rpy2), real pyradiomics and real images."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# ../shared/data beside the checkout (a clean clone in CI has shared/ beside it too).
SHARED_DATA = Path(os.environ.get("EPRSTATS_SHARED_DATA", REPO.parent / "shared" / "data"))
PUBLISHED = REPO / "tables" / "published"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (set EPRSTATS_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def published() -> Path:
    return PUBLISHED


@pytest.fixture(scope="session")
def r():
    """The R bridge, or a skip with the reason when R is not installed."""
    from eprstats import rbridge
    if not rbridge.r_available():
        pytest.skip("R is not installed (run scripts/setup.sh)")
    return rbridge


@pytest.fixture
def run_cli(tmp_path):
    """Run ``eprstats ARGS`` in-process; returns (exit_code, stdout, stderr)."""
    from click.testing import CliRunner

    from eprstats import cli as cli_module

    def _run(*args):
        runner = CliRunner()
        result = runner.invoke(_main_wrapper, list(map(str, args)), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    import click

    @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.pass_context
    def _main_wrapper(ctx):
        try:
            cli_module.main(ctx.args)
        except SystemExit as exc:
            ctx.exit(exc.code or 0)
    return _run
