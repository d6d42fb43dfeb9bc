"""``eprstats audit FOLDER --out DIR``: check a paper's published numbers.

Only click is imported here: the command's body imports the audit (pandas, scipy, R) when it runs, so that
``eprstats --help`` and the other commands do not pay for it.
"""
from __future__ import annotations

from pathlib import Path

import click


@click.command("audit")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("audit"), show_default=True,
              help="Output folder for audit.csv and audit.html.")
def audit_command(folder, out):
    """Check a paper's published numbers (a folder of CSVs, see docs/audit.md).

    Every printed number is recomputed where the printed numbers allow, and reported as reproduced,
    not reproduced or not checkable, with the evidence. Exit code 0 whatever the audit finds.
    """
    from ..reporting.provenance import write_provenance
    from ..reporting.writer import StagedOutput, check_out_folder
    from .result import audit

    check_out_folder(out)
    result = audit(folder)
    with StagedOutput(out, "audit") as stage:
        written = result.write(stage.path)
        written.append(write_provenance(written[0], "audit", result.settings, inputs=result.inputs))
    click.echo(result.summary())
    for path in stage.final(written[:-1]):
        click.echo(f"wrote {path}")


COMMANDS = [audit_command]
