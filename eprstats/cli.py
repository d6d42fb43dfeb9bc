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
from collections.abc import MutableMapping

import click

from .errors import EprstatsError, RWarning

# The stages' command modules, in the order of a paper's Methods section, with the names of their commands
# (tests/test_cli_lazy.py checks them against each module's COMMANDS). A command's module is imported when the
# command runs or its help is shown: importing all twelve at every start cost a command about 0.1 s of CPU.
COMMAND_MODULES = {
    "eprstats.doctor": ("doctor",),
    "eprstats.cohort.cli": ("validate",),
    "eprstats.segmentation.cli": ("rois",),
    "eprstats.handcrafted.cli": ("extract",),
    "eprstats.deep.cli": ("deep",),
    "eprstats.selection.cli": ("select", "icc"),
    "eprstats.characteristics.cli": ("table1",),
    "eprstats.evaluation.cli": ("roc", "fit"),
    "eprstats.evaluation.cli_calibration": ("calibration", "nri", "dca"),
    "eprstats.evaluation.cli_sample_size": ("samplesize",),
    "eprstats.audit.cli": ("audit", "compare", "audit-import"),
    "eprstats.study.cli": ("run", "demo"),
}


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


class _LazyCommands(MutableMapping):
    """The group's ``commands`` (name -> click command) as click reads them (``get``, iteration), each module
    imported on the first look-up of one of its commands; a stage whose package is absent has none."""

    def __init__(self, modules: dict):
        self._module_of = {name: module for module, names in modules.items() for name in names}
        self._loaded: dict = {}

    def __getitem__(self, name):
        if name not in self._loaded:
            module = self._module_of[name]  # KeyError: no such command
            if not _module_exists(module):
                raise KeyError(name)
            for command in importlib.import_module(module).COMMANDS:
                self._loaded.setdefault(command.name, command)
        return self._loaded[name]

    def __iter__(self):
        present = [n for n, m in self._module_of.items() if n in self._loaded or _module_exists(m)]
        return iter(present + [n for n in self._loaded if n not in self._module_of])

    def __len__(self):
        return sum(1 for _ in self)

    def __setitem__(self, name, command):  # click's add_command
        self._loaded[name] = command

    def __delitem__(self, name):
        if name not in self._loaded and name not in self._module_of:
            raise KeyError(name)
        self._loaded.pop(name, None)
        self._module_of.pop(name, None)


cli.commands = _LazyCommands(COMMAND_MODULES)


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
