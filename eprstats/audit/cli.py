"""``eprstats audit FOLDER --out DIR``: check a paper's published numbers; ``eprstats compare PUBLISHED RESULTS
--out DIR``: set a run's recomputed numbers beside them; ``eprstats audit-import PAPER --out DIR``: a draft
audit folder read from a paper's text.

Only click is imported here: the command's body imports the audit (pandas, scipy, R) when it runs, so that
``eprstats --help`` and the other commands do not pay for it.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..fileio import read_text
from ..reporting.writer import check_out_folder, write_result


def _write(result, out: Path, command: str, beside=None) -> None:
    """The result's files and its provenance (beside the first file) into ``out``, all or none
    (:func:`~eprstats.reporting.writer.write_result`); its summary line and the files written (the provenance
    not listed, as before)."""
    files, _ = write_result(result, out, command, beside=beside, inputs=result.inputs, list_outputs=False)
    click.echo(result.summary())
    for path in files:
        click.echo(f"wrote {path}")


@click.command("audit")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("audit"), show_default=True,
              help="Output folder for audit.csv and audit.html.")
def audit_command(folder, out):
    """Check a paper's published numbers (a folder of CSVs, see docs/audit.md).

    Every printed number is recomputed where the printed numbers allow, and reported as reproduced,
    not reproduced or not checkable, with the evidence. Exit code 0 whatever the audit finds.
    """
    from .result import audit_paper as audit

    check_out_folder(out)
    _write(audit(folder), out, "audit")


@click.command("compare")
@click.argument("published", type=click.Path(path_type=Path))
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("compare"), show_default=True,
              help="Output folder for compare.csv and compare.html.")
@click.option("--mapping", type=click.Path(path_type=Path), default=None,
              help="CSV paper_name,run_name for the models, cohorts, terms or variables the run names differently.")
def compare_command(published, results, out, mapping):
    """Compare a run's numbers with a paper's printed numbers (docs/compare.md).

    PUBLISHED is an audit folder (docs/audit.md); RESULTS a study's output folder or the --out folder(s) of
    eprstats table1 / roc / fit. Every printed number is equal (the recomputed value rounds to the printed
    digits), different (with the difference in units of the last printed digit) or not recomputed (with why).
    Exit code 0 whatever the comparison finds.
    """
    from .compare import compare

    check_out_folder(out)
    if mapping is not None:  # named when it is not UTF-8 text, before any work
        read_text(mapping, "mapping")
    _write(compare(published, results, mapping), out, "compare")


@click.command("audit-import")
@click.argument("paper", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("published"), show_default=True,
              help="Output folder for the draft audit folder (claims.csv, cohorts.csv, the tables, unplaced.csv).")
def audit_import_command(paper, out):
    """Read a paper's numbers from its text (.txt), saved article page (.html), JATS XML (.xml), PDF (.pdf, needs
    pdfplumber) or Word file (.docx) into a DRAFT audit folder.

    Every number of every table goes to cells.csv (with its role and place, read from its headers) or to
    unplaced.csv (with the reason); tables.csv lists the tables (docs/audit_import.md). Tables of the seed
    paper's shape also become published_table1/2/3.csv; the text's AUCs with CIs,
    P values, cohort sizes, event rates, ORs, sensitivities, specificities, feature counts and "A did better
    than B" statements become claims.csv and cohorts.csv, each with the model and cohort its sentence names
    and its line. What could not be placed is listed in unplaced.csv. Check every row against the paper,
    then run eprstats audit on the folder (docs/audit.md).
    """
    from .importer import import_paper

    check_out_folder(out)
    result = import_paper(paper)
    files, _ = write_result(result, out, "audit-import", beside="audit-import.provenance.json",
                            inputs=result.inputs, list_outputs=False)
    click.echo(result.summary().rsplit("\n", 1)[0])
    for path in files:
        click.echo(f"wrote {path}")
    click.echo(result.accounting())


COMMANDS = [audit_command, compare_command, audit_import_command]
