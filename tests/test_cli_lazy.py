"""The command group imports a stage's command module only when one of its commands is used (issue #25: the
fixed cost of a command); the names it lists for each module are that module's own COMMANDS."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import click

import eprstats as ep
from eprstats.cli import COMMAND_MODULES, cli

PROBE = r"""
import json, sys
from eprstats.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m in json.loads(sys.argv[1]))))
"""


def _loaded_stage_modules(args) -> list:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(COMMAND_MODULES)), *args],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_listed_names_are_each_modules_commands():
    for module, names in COMMAND_MODULES.items():
        assert tuple(c.name for c in importlib.import_module(module).COMMANDS) == names, module


def test_group_gives_each_modules_own_command_objects():
    assert sorted(cli.commands) == sorted(n for names in COMMAND_MODULES.values() for n in names)
    for module, names in COMMAND_MODULES.items():
        commands = {c.name: c for c in importlib.import_module(module).COMMANDS}
        for name in names:
            assert cli.commands[name] is commands[name]
            assert cli.get_command(click.Context(cli), name) is commands[name]
    assert cli.get_command(click.Context(cli), "no-such-command") is None


def test_a_command_imports_only_its_own_stage():
    assert _loaded_stage_modules(["extract", "--help"]) == ["eprstats.handcrafted.cli"]
    assert _loaded_stage_modules(["roc", "--help"]) == ["eprstats.evaluation.cli"]


def test_group_help_lists_every_command():
    assert _loaded_stage_modules(["--help"]) == sorted(COMMAND_MODULES)


def test_unknown_command_still_suggests_close_names():
    done = subprocess.run([sys.executable, "-c", "from eprstats.cli import main; main(['extrct'])"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "No such command 'extrct'" in done.stderr and "extract" in done.stderr


def test_api_functions_survive_every_command_module():
    # the group no longer imports the stages' command modules at its start, so tests that imported
    # eprstats.cli to have them loaded (test_api_docstrings) import them here: a stage's module must not
    # replace a function of the package's API (ep.roc, ...) by a submodule of the same name
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    for name in sorted(set(ep.__all__) - set(ep._PACKAGES)):
        assert callable(getattr(ep, name)) and not isinstance(getattr(ep, name), type(ep)), name
