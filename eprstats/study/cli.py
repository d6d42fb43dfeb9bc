"""``eprstats run STUDY.yaml`` and ``eprstats demo``."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import PartialFailure
from ..reporting.writer import check_out_folder
from .plan import ORDER


def _summary(result) -> None:
    """List the stages that did not finish; a run with a skipped stage is not a success (exit code 4)."""
    click.echo(f"Results in {result.out}: report.html, tables/, figures/, provenance.json")
    for stage in ORDER:
        if stage in result.status and not result.status[stage].startswith(("computed", "cached")):
            click.echo(f"  {stage}: {result.status[stage]}")
    if result.skipped:
        listed = "; ".join(f"{stage} ({why})" for stage, why in result.skipped.items())
        raise PartialFailure(f"{len(result.skipped)} stage(s) were skipped: {listed}",
                             f"see report.html; the finished stages are kept in {result.out}")


@click.command("run")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="output folder (default: the study file's 'output' key)")
@click.option("--from", "from_stage", type=click.Choice(ORDER), default=None,
              help="recompute this stage and every later one")
@click.option("--only", "only", type=click.Choice(ORDER), default=None,
              help="run this stage alone (its inputs must exist)")
@click.option("--jobs", type=int, default=1, show_default=True, help="parallel workers")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="a Dask scheduler: rois, handcrafted, deep and icc run on its workers, which must see the "
                   "study folder (a shared file system); overrides the study file's 'scheduler:' ('local': "
                   "on this machine). Checked before any work: a Dask scheme (tcp, tls, ws), a host, a port "
                   "1-65535, and a scheduler answering there.")
def run_command(study, out, from_stage, only, jobs, scheduler):
    """Run the whole study: validation, ROIs, features, ICC, signatures, Tables 1-3, nomogram, calibration,
    NRI/IDI, decision curves and report.html. Stages whose inputs and settings did not change are reused."""
    from ..cluster import parse_scheduler
    from .runner import run_study
    if out is not None:  # the study file's 'output' is checked by run_study, as it reads the file
        check_out_folder(out)
    scheduler = parse_scheduler(scheduler)
    result = run_study(study, out, from_stage=from_stage, only=only, jobs=jobs, echo=click.echo,
                       scheduler=scheduler)
    _summary(result)


@click.command("demo")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("eprstats-demo"), show_default=True)
@click.option("--small", is_flag=True, help="small volumes and reduced settings: the whole demo in minutes")
@click.option("--seed", type=int, default=None, help="seed of the synthetic cohort (default 20241127)")
@click.option("--weights", default="random", show_default=True,
              help="ResNet34 weights: random (clearly labelled demonstration), imagenet or a file")
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--patients", type=click.IntRange(min=8), default=None,
              help="another cohort size than the paper's 157 (Table 1's shares kept; for cost curves)")
def demo_command(out, small, seed, weights, jobs, patients):
    """Generate a SYNTHETIC two-centre study shaped like the paper's (Table 1 equals the paper's) and run it."""
    from .demo import DEMO_SEED, make_demo_study
    from .runner import run_study
    check_out_folder(out)
    data = out / "data"
    study = make_demo_study(data, seed=DEMO_SEED if seed is None else seed, small=small, weights=weights,
                            jobs=jobs, patients=patients)
    click.echo(f"Synthetic study written to {study}")
    result = run_study(study, out / "results", jobs=jobs, echo=click.echo)
    _summary(result)


COMMANDS = [run_command, demo_command]
