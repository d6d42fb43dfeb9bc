"""The ``eprstats`` command line: one command per analysis.

Each stage keeps its commands in its own ``cli.py`` exposing ``COMMANDS`` (a list of click commands);
this module gathers them into one group and turns eprstats' errors into one paragraph on stderr and a
documented exit code (see :mod:`eprstats.errors`), never a traceback.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import warnings

import click

from .errors import EprstatsError, RWarning

# The stages' command modules, in the order of a paper's Methods section.
COMMAND_MODULES = (
    "eprstats.doctor",
    "eprstats.cohort.cli",
    "eprstats.segmentation.cli",
    "eprstats.handcrafted.cli",
    "eprstats.deep.cli",
    "eprstats.selection.cli",
    "eprstats.characteristics.cli",
    "eprstats.evaluation.cli",
    "eprstats.evaluation.cli_calibration",
    "eprstats.evaluation.cli_sample_size",
    "eprstats.audit.cli",
    "eprstats.study.cli",
)


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package is not there (yet)
        return False


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="eprstats")
def cli():
    """eprstats: a deep-learning radiomics study from MRI to publication tables.

    Exit codes: 0 success; 1 doctor found something missing; 2 bad input; 3 R failed;
    4 some cases failed (the others were kept); 5 internal error (a bug: please report).
    """


for _name in COMMAND_MODULES:
    if _module_exists(_name):
        for _command in importlib.import_module(_name).COMMANDS:
            cli.add_command(_command)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    # Warnings are for people reading a terminal: the message, not our source line.
    label = "R warning" if issubclass(category, RWarning) else "warning"
    text = str(message)
    if text.startswith("R warning"):
        label, text = "", text
    click.echo(f"{label + ': ' if label else ''}{text}", err=True)


def main(argv=None) -> int:
    warnings.showwarning = _show_warning
    try:
        # standalone_mode=False lets us turn our errors into exit codes, but click then *returns* the code of a
        # ``click.exceptions.Exit`` (doctor's 1, --help's 0) instead of exiting with it: pass it on, or a
        # script gating on `eprstats doctor` would always see 0. No command returns another value.
        code = cli.main(args=argv, prog_name="eprstats", standalone_mode=False)
        if isinstance(code, int) and not isinstance(code, bool) and code != 0:
            sys.exit(code)
    except EprstatsError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; finished work is kept and a rerun resumes from it", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug of ours: still no traceback unless asked for
        if os.environ.get("EPRSTATS_DEBUG"):
            raise
        click.echo(f"error: unexpected internal error ({type(exc).__name__}: {exc}). Fix: this is a bug in "
                   "eprstats; rerun with EPRSTATS_DEBUG=1 to see the traceback and report it.", err=True)
        sys.exit(5)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
