"""``eprstats samplesize``: the minimum sample size for developing the prediction model (Riley et al., binary
outcome), and whether the development cohort reaches it.

The command parses its options, calls :func:`~eprstats.evaluation.sample_size.sample_size` and writes the
result through a staged output folder. Only click is imported here, so that ``eprstats --help`` stays light.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..clitools import echo_written, parse_formats
from ..reporting.provenance import write_provenance
from ..reporting.writer import StagedOutput, check_out_folder


@click.command("samplesize")
@click.option("--prevalence", type=float, default=None,
              help="Anticipated outcome proportion, e.g. 0.174 (default: the cohort's --events / --n).")
@click.option("--parameters", type=int, required=True,
              help="Candidate predictor parameters (every coefficient the model may estimate: dummies, splines).")
@click.option("--cstatistic", "c_statistic", type=float, default=None,
              help="Anticipated C statistic (AUC), converted to a Cox-Snell R2 (Riley, Van Calster & Collins 2021).")
@click.option("--r2-cs", "r2_cs", type=float, default=None, help="Anticipated (adjusted) Cox-Snell R2.")
@click.option("--r2-nagelkerke", "r2_nagelkerke", type=float, default=None, help="Anticipated Nagelkerke R2.")
@click.option("--shrinkage", type=float, default=0.9, show_default=True, help="Target expected shrinkage (i).")
@click.option("--delta", type=float, default=0.05, show_default=True,
              help="Largest apparent minus adjusted Nagelkerke R2 (ii).")
@click.option("--margin", type=float, default=0.05, show_default=True,
              help="Margin of error of the overall outcome proportion at 95% (iii).")
@click.option("--n", "n", type=int, default=None, help="The development cohort's patients (with --events).")
@click.option("--events", type=int, default=None, help="The development cohort's events (with --n).")
@click.option("--c-method", type=click.Choice(["simulation", "integral"]), default="simulation", show_default=True,
              help="C to R2: the published simulation (as pmsampsize, with --seed) or its exact large-sample value.")
@click.option("--seed", type=int, default=123456, show_default=True, help="Seed of the C-statistic simulation.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("samplesize"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help="Table formats among csv, md, tex, docx, html (CSV is always written).")
def samplesize_command(prevalence, parameters, c_statistic, r2_cs, r2_nagelkerke, shrinkage, delta, margin, n,
                       events, c_method, seed, out, formats):
    """Minimum sample size to develop a logistic prediction model by the three criteria of Riley et al. (BMJ
    2020;368:m441): expected shrinkage >= 0.9, optimism in Nagelkerke R2 <= 0.05, overall outcome proportion
    within +/- 0.05; with each criterion's n, the events and EPP, and what the development cohort (--n,
    --events) reaches on each."""
    from .sample_size import sample_size

    formats = parse_formats(formats)
    check_out_folder(out)
    result = sample_size(prevalence, parameters, c_statistic=c_statistic, r2_cs=r2_cs, r2_nagelkerke=r2_nagelkerke,
                         shrinkage=shrinkage, margin=margin, delta=delta, n=n, events=events, c_method=c_method,
                         seed=seed)
    with StagedOutput(out, "samplesize") as stage:
        written = result.write(stage.path, formats, figures=False)
        names = [str(Path(p).relative_to(stage.path)) for p in written]
        written.append(write_provenance(stage.path / "sample_size.csv", "samplesize", result.settings,
                                        seed=result.settings["seed"], extra={"outputs": names}, include_r=False))
    echo_written(stage.final(written))
    click.echo(result.summary())


COMMANDS = [samplesize_command]
