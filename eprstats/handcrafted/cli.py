"""``eprstats extract``: pyradiomics features of a cohort with the paper's settings."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from ..reporting.writer import check_out_folder


@click.command("extract")
@click.argument("study", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Output folder: features_<ROI>.parquet/.csv, diagnostics, cache/, failures.csv.")
@click.option("--jobs", default=2, show_default=True, type=int, help="Worker processes on this machine.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Dask scheduler address (tcp://host:8786): run on that cluster. Checked before any work: a Dask "
                   "scheme (tcp, tls, ws), a host, a port 1-65535, and a scheduler answering there.")
@click.option("--params", "params", default=None, type=click.Path(path_type=Path),
              help="pyradiomics parameter file (default: the paper's settings shipped with eprstats).")
@click.option("--engine", default=None, type=click.Choice(["pyradiomics", "eprstats"]),
              help="Feature engine: eprstats (the default: pyradiomics' features within 1e-10 relative, faster; "
                   "docs/engine.md) or pyradiomics (the reference: its own classes).")
@click.option("--device", default="cpu", show_default=True, type=click.Choice(["cpu", "cuda"]),
              help="cuda: the eprstats engine's eigenproblems on the GPU (torch, float64).")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
@click.option("--skip-validation", is_flag=True,
              help="Study files only: do not check the whole cohort (files, geometry, masks) before starting.")
def extract(study, out_dir, jobs, scheduler, params, engine, device, no_progress, skip_validation):
    """Extract pyradiomics features for every patient of STUDY.

    STUDY is a study file (YAML: tumour ROI per phase, peritumoral ring and tumour plus ring on PVP) or a CSV
    with columns id,image,mask[,roi][,label] (one row per ROI; paths relative to the CSV). Finished cases
    are cached: a rerun (also after a crash) skips them. Exit code 4 when some cases failed (see
    failures.csv in the output folder); the others are kept.
    """
    from ..cluster import check_scheduler
    from .engine import DEFAULT_ENGINE
    from .params import load_settings
    from .parallel import extract_cohort

    # every path, address and setting checked before the cohort is validated (minutes) or a feature is
    # extracted (hours)
    check_out_folder(out_dir)
    scheduler = check_scheduler(scheduler)
    settings = load_settings(params).with_engine(engine or DEFAULT_ENGINE, device)

    if not study.exists():
        raise InputError("the study file does not exist", "check the path", file=str(study))
    if study.suffix.lower() in (".yaml", ".yml"):
        from ..cohort.study import load_study
        cases = load_study(study)
        if not skip_validation:
            # every problem of the whole cohort in one report, before hours of extraction start
            from ..cohort.validate import raise_if_problems, validate_cohort
            raise_if_problems(validate_cohort(cases, workers=jobs))
    else:
        cases = study
    result = extract_cohort(cases, out_dir, settings=settings, n_jobs=jobs, scheduler=scheduler,
                            progress=not no_progress)
    click.echo(f"{len(result.computed)} cases extracted, {len(result.cached)} from the cache; "
               f"tables in {out_dir}: " + ", ".join(f"features_{r}" for r in sorted(result.tables)))


COMMANDS = [extract]
