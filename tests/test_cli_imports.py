"""`eprstats --help` and `eprstats COMMAND --help` import none of the heavy packages (#12: a fast CLI).

The test looks at the modules imported, not at a time: pandas, scipy, rpy2 and torch must not be loaded by
building the command group or by printing any command's help."""
from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "scipy", "rpy2", "torch", "matplotlib", "SimpleITK", "radiomics")

PROBE = r"""
import json, sys
from eprstats.cli import cli
import click
names = sorted(cli.commands)
for args in [["--help"]] + [[n, "--help"] for n in names]:
    try:
        cli.main(args=args, prog_name="eprstats", standalone_mode=False)
    except SystemExit:
        pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[1])))
print(json.dumps({"commands": names, "heavy": heavy}))
"""


def test_help_imports_no_heavy_package():
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(HEAVY)], capture_output=True, text=True,
                          check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # the group really has its commands (a probe that loaded nothing would pass trivially)
    assert {"roc", "fit", "select", "table1", "calibration", "run", "demo", "audit"} <= set(report["commands"])
    assert report["heavy"] == []
