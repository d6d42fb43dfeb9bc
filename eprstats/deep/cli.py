"""``eprstats deep``: ResNet34 deep features per tumour slice and per patient.

torch is imported only when the command runs, so ``eprstats --help`` works without the ``deep`` extra.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import click

from ..errors import InputError
from ..fileio import write_csv
from ..paths import safe_component
from ..reporting.provenance import write_provenance
from ..reporting.writer import StagedOutput, check_out_folder

POOLS = ("mean", "max", "median")


def _split(text):
    return [t.strip() for t in str(text).split(",") if t.strip()] if text else []


def _cases_from_study(path: Path, phase: str, validate: bool = True):
    import pandas as pd

    from ..cohort.study import load_study
    study = load_study(path)
    if phase not in study.phases:
        raise InputError(f"phase {phase!r} is not in the study (phases: {', '.join(study.phases)})",
                         "choose one with --phase", file=str(path))
    if validate:  # every problem of the whole cohort in one report, as `extract` and `rois` do, before the model runs
        from ..cohort.validate import raise_if_problems, validate_cohort
        raise_if_problems(validate_cohort(study, workers=1))
    rows = [{"id": p, "image": study.image(p, phase), "mask": study.mask(p, phase)} for p in study.patients]
    empty = [r["id"] for r in rows if r["image"] is None or r["mask"] is None]
    if empty:
        raise InputError(f"{len(empty)} patient(s) have no {phase} image or mask (e.g. {empty[:3]})",
                         f"fill the {phase}_image and {phase}_mask columns of the manifest",
                         patient=empty[0], file=str(path))
    spacing = study.settings.spacing
    return pd.DataFrame(rows), spacing


@click.command("deep")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Output folder.")
@click.option("--weights", default="imagenet", show_default=True,
              help="imagenet (torchvision ResNet34_Weights.IMAGENET1K_V1), random (demos/tests only) or the "
                   "path of a ResNet34 state-dict file.")
@click.option("--weights-cache", type=click.Path(path_type=Path), default=None,
              help="Folder holding resnet34-b627a593.pth (default: $TORCH_HOME/hub/checkpoints).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--batch-size", type=int, default=None,
              help="Images per forward pass (default: 32 on CPU, 512 on CUDA).")
@click.option("--pool", type=click.Choice(POOLS), default="mean", show_default=True,
              help="How slice features become patient features.")
@click.option("--phase", default="PVP", show_default=True, help="The phase of a study file to use.")
@click.option("--threads", type=int, default=None, help="CPU threads (fixed for determinism; default: torch's).")
@click.option("--gradcam", "gradcam_ids", default=None, help="Patient ids for Grad-CAM overlays, comma separated.")
@click.option("--signature", type=click.Path(path_type=Path), default=None,
              help="Deep signature CSV (feature,coefficient[,mean,sd]; a '(Intercept)' row) for --gradcam.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --weights random.")
@click.option("--skip-validation", is_flag=True,
              help="Study files only: do not check the whole cohort (files, geometry, masks) before starting.")
def deep_command(input_path, out, weights, weights_cache, device, batch_size, pool, phase, threads, gradcam_ids,
                 signature, seed, skip_validation):
    """Deep features: ResNet34 (fc removed) on 224 x 224 three-slice crops of every tumour slice.

    INPUT is a study file (YAML; the --phase images and tumour masks) or a CSV with columns id,image,mask.
    Writes what eprstats.deep_features' result writes (the study's deep stage too): deep_slices.{parquet,csv}
    (patient, slice, f0..f511, crop flags), deep_patients.{parquet,csv} (pooled by --pool), deep_weights.json
    (the weights and their sha256), and deep_slices.provenance.json (device, precision, timing).
    Build the signature from the slice table with `eprstats select` (probabilities averaged per patient, as
    in the paper) or from the patient table.

    All or nothing: the files are written at the end, together. When a patient fails, the run exits 2 naming
    it and writes nothing to --out (a previous run's files stay as they were); the patients that finished are
    kept in OUT/cache, so the rerun computes only the failed ones.
    """
    from .crops import CropWarning
    from .features import _cases_from_csv, deep_features
    from .model import RANDOM_WARNING, load_resnet34, resolve_device

    check_out_folder(out)  # before the weights are loaded and the cohort is read (#21)
    if not input_path.exists():
        raise InputError("the input file does not exist", "give a study YAML or a CSV with id,image,mask",
                         file=str(input_path))
    if input_path.suffix.lower() in (".yaml", ".yml"):
        cases, spacing = _cases_from_study(input_path, phase, validate=not skip_validation)
    else:
        cases, spacing = _cases_from_csv(input_path), (1.0, 1.0, 1.0)
    wanted = _split(gradcam_ids)
    if wanted and signature is None:
        raise InputError("--gradcam needs the deep signature", "add --signature FILE (feature,coefficient rows)")
    unknown = [p for p in wanted if p not in set(cases["id"].astype(str))]
    if unknown:
        raise InputError(f"--gradcam patient(s) {unknown} are not in the input", "check the ids",
                         patient=unknown[0])
    if signature is not None:
        from .gradcam import read_signature
        beta, intercept = read_signature(signature)

    dev = resolve_device(device)
    if threads is None and dev == "cpu":
        import torch
        threads = torch.get_num_threads()  # fixed and recorded: CPU results are bit-identical per thread count
    model = load_resnet34(weights, cache_dir=weights_cache, device=dev, seed=seed)  # warns if random
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CropWarning)
        result = deep_features(cases, model=model, device=dev, batch_size=batch_size, spacing=spacing,
                               cache_dir=out / "cache", threads=threads, pool=pool)
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    slices, failures, info = result.slices, result.failures, result.weights
    if len(failures):
        # all or nothing, as the study's deep stage: no table of some patients that looks like the cohort's;
        # the finished patients are kept in the cache, so the rerun computes only the failed ones
        raise _failed(failures, cases, out)
    settings = {"input": str(input_path), **result.settings, "phase": phase}
    settings.pop("random_weights_warning")
    extra = {"weights": info, "random_weights_warning": RANDOM_WARNING if info["random"] else None,
             "n_patients": int(slices["patient"].nunique()) if len(slices) else 0, "n_slices": int(len(slices)),
             "failures": failures.to_dict("records"), "timing": {"seconds": round(result.seconds, 3)}}
    inputs = [input_path] if input_path.suffix.lower() not in (".yaml", ".yml") else []
    # every file of the run is written into a staging folder and moved into --out at the end (all of them or
    # none; a previous run's files stay as they were when this one fails, Grad-CAM included)
    with StagedOutput(out, "deep") as stage:
        written = result.write(stage.path, figures=False)
        written.append(write_provenance(stage.path / "deep_slices.csv", "deep features (ResNet34)", settings,
                                        seed=seed if info["random"] else None, inputs=inputs, extra=extra,
                                        include_r=False))
        if wanted and len(slices):
            from .extract import load_case
            from .gradcam import gradcam_patient
            for patient in wanted:
                row = cases.loc[cases["id"].astype(str) == patient].iloc[0]
                stem = safe_component(patient)  # an id such as ../x must not write outside --out
                image, mask = load_case(patient, row["image"], row["mask"], spacing)
                table, _ = gradcam_patient(image, mask, model, beta, intercept, patient=patient,
                                           out=stage.path / "gradcam" / f"{stem}.png")
                written += [stage.path / "gradcam" / f"{stem}.png",
                            write_csv(stage.path / "gradcam" / f"{stem}.csv", table)]
    for path in stage.final(written):
        click.echo(f"wrote {path}")
    if info["random"]:
        click.echo(f"WARNING: {RANDOM_WARNING}", err=True)


def _failed(failures, cases, out: Path) -> InputError:
    """The error of a run in which some patients failed: each failure's message (the first five in full, then
    the others' ids) and where the finished patients are kept."""
    shown = [f"{row.patient}: {str(row.error).rstrip('.')}" for row in failures.head(5).itertuples(index=False)]
    rest = [str(p) for p in failures["patient"].iloc[5:]]
    more = f"; and {len(rest)} more: {', '.join(rest)}" if rest else ""
    finished = len(cases) - len(failures)
    kept = (f"; the {finished} finished patient(s) are kept in {out / 'cache'} and are not computed again"
            if finished else "")
    return InputError(f"deep features failed for {len(failures)} of {len(cases)} patient(s), so no table was "
                      f"written to {out} ({'; '.join(shown)}{more})",
                      f"fix each as its message says, then rerun{kept}", patient=str(failures["patient"].iloc[0]))


COMMANDS = [deep_command]
