"""``eprstats audit FOLDER --out DIR``: check a paper's published numbers."""
from __future__ import annotations

from pathlib import Path

import click

from ..reporting.provenance import write_provenance
from .checks import HM_RATIO, RULES, run_checks
from .report import audit_table, summary, write_report
from .schema import read_paper


@click.command("audit")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("audit"), show_default=True,
              help="Output folder for audit.csv and audit.html.")
def audit_command(folder, out):
    """Check a paper's published numbers (a folder of CSVs, see docs/audit.md).

    Every printed number is recomputed where the printed numbers allow, and reported as reproduced,
    not reproduced or not checkable, with the evidence. Exit code 0 whatever the audit finds.
    """
    paper = read_paper(folder)
    table = audit_table(run_checks(paper))
    written = write_report(table, out, str(folder))
    write_provenance(written[0], "audit", {"folder": str(folder), "hm_ratio": list(HM_RATIO),
                                           "table1_rules": list(RULES)},
                     inputs=[folder / name for name in paper.files])
    click.echo(summary(table, str(folder)))
    for path in written:
        click.echo(f"wrote {path}")


COMMANDS = [audit_command]
