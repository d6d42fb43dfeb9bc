"""``eprstats validate``: check a whole cohort before any work starts."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ..fileio import write_csv


@click.command("validate")
@click.argument("study_file", metavar="STUDY.yaml", type=click.Path(path_type=Path))
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Also write the problem report (patient, phase, file, problem, fix) as CSV.")
@click.option("--tolerance", type=float, default=None,
              help="Geometry tolerance in mm (default: the study's geometry_tolerance, 0.001).")
@click.option("--workers", type=int, default=None,
              help="Patients checked at once (default: the study's workers setting).")
def validate(study_file: Path, report_path: Path | None, tolerance: float | None, workers: int | None):
    """Check every image and mask of the study's manifest; list all problems at once.

    Exit code 0 when the cohort is ready, 2 when there are problems (each listed with patient, phase,
    file and the fix).
    """
    from .study import load_study  # here: the cohort modules load pandas, which --help must not
    from .validate import format_report, validate_cohort

    study = load_study(study_file)
    n = len(study.manifest)
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers} must be at least 1", "give a positive number of workers")
    report = validate_cohort(study, tolerance=tolerance, workers=workers)
    if report_path is not None:
        write_csv(report_path, report)
    if report.empty:
        click.echo(f"cohort OK: {n} patients, phases {', '.join(study.phases)}; every file read and "
                   "every mask matches its image.")
        return
    click.echo(format_report(report))
    raise InputError(f"the cohort has {len(report)} problem(s), listed above",
                     "correct each listed file or manifest row, then run 'eprstats validate' again",
                     file=str(study_file))


COMMANDS = [validate]
