"""``eprstats rois``: resampled ROI masks (tumour, ring, tumour plus ring) per patient, and a QC table."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import click

from ..errors import EprstatsError, PartialFailure
from ..fileio import atomic_path, settings_hash, write_json
from ..paths import check_unique_components, safe_component
from ..reporting.writer import check_out_folder


def _write_image(image, path: Path) -> None:
    import SimpleITK as sitk
    with atomic_path(path, suffix=".nrrd") as tmp:
        sitk.WriteImage(image, str(tmp), True)


def _case_key(study, patient: str, settings: dict) -> str:
    """Settings plus each input's path, size and modification time: a changed input re-derives the case."""
    files = {}
    for column in study.file_columns():
        ref = study.file(patient, column)
        if ref is not None and ref.path.exists():
            st = ref.path.stat()
            files[column] = [ref.text, st.st_size, st.st_mtime_ns]
    return settings_hash({"settings": settings, "files": files})


def derive_patient(study, patient: str, out: Path, *, overlays: bool = False, write_images: bool = False) -> list:
    """Resample one patient's phases, derive the ROIs, write them as NRRD; returns the QC rows."""
    from .qc import qc_row, save_overlay
    from .rois import study_rois

    s = study.settings
    rows = []
    folder = out / safe_component(patient)
    # Every phase derived before anything is written: a patient failing on a later phase leaves no files.
    derived = [(phase, *study_rois(study, patient, phase)) for phase in study.phases]
    for phase, image, rois in derived:
        for name, img in rois.items():
            _write_image(img, folder / f"{phase}_{name}.nrrd")
        if write_images:
            _write_image(image, folder / f"{phase}_image.nrrd")
        if overlays:
            save_overlay(image, rois, folder / f"{phase}_overlay.png", patient, phase)
        liver = "ring" in rois and study.mask(patient, phase, "liver_mask") is not None
        rows.append(qc_row(patient, phase, rois, s.ring_mm, liver_clipped=liver))
    return rows


@click.command("rois")
@click.argument("study_file", metavar="STUDY.yaml", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Output folder: <out>/<patient>/<PHASE>_<roi>.nrrd and rois_qc.csv.")
@click.option("--overlays", is_flag=True, help="Also write an overlay PNG per patient and phase.")
@click.option("--images", "write_images", is_flag=True, help="Also write the resampled images as NRRD.")
@click.option("--no-validate", is_flag=True, help="Skip the whole-cohort check (run 'eprstats validate' first).")
def rois(study_file: Path, out: Path, overlays: bool, write_images: bool, no_validate: bool):
    """Resample each patient's images to the study's spacing (1 mm: linear for images, nearest neighbour for
    masks) and derive the tumour, peritumoral ring (ring_mm, in mm) and tumour-plus-ring ROIs.

    Finished patients are kept: a rerun with the same inputs and settings skips them. A failing patient is
    reported and does not stop the others (exit code 4).
    """
    from ..cohort.study import load_study
    from ..cohort.validate import raise_if_problems, validate_cohort
    from ..reporting.tables import write_table
    from .qc import qc_table

    check_out_folder(out)  # before the cohort is validated and resampled (#21)

    study = load_study(study_file)
    if not no_validate:
        raise_if_problems(validate_cohort(study))
    settings = {k: getattr(study.settings, k) for k in ("ring_mm", "spacing", "ring_phases", "mask_segment",
                                                          "liver_segment", "phases")}
    settings["overlays"], settings["images"] = overlays, write_images
    all_rows, failures = [], []
    patients = study.patients
    check_unique_components(patients)  # one folder per patient: ids that collide as folder names are refused
    for k, patient in enumerate(patients, start=1):
        marker = out / safe_component(patient) / "rois.json"
        key = _case_key(study, patient, settings)
        done = _read_marker(marker)
        if done.get("key") == key:
            all_rows += done["qc"]
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always")
                rows = derive_patient(study, patient, out, overlays=overlays, write_images=write_images)
        except EprstatsError as exc:
            # each patient's problem, place and fix in one clause: the run's message then has a single "Fix:"
            failures.append(f"{patient}: {exc.problem.rstrip('.')}" + (f" [{exc.where}]" if exc.where else "")
                            + (f" (to fix: {exc.fix.rstrip('.')})" if exc.fix else ""))
            continue
        write_json(marker, {"key": key, "qc": rows})
        all_rows += rows
        click.echo(f"[{k}/{len(patients)}] {patient}: ROIs written", err=True)
    table = qc_table(all_rows)
    write_table(table, out / "rois_qc.csv", formats=("csv", "md"), title="ROI volumes (mL)",
                note=f"Resampled to {list(study.settings.spacing)} mm; ring {study.settings.ring_mm:g} mm.")
    click.echo(f"{len(all_rows)} ROI sets for {len(patients) - len(failures)} patients; QC table "
               f"{out / 'rois_qc.csv'}")
    if failures:
        raise PartialFailure(f"{len(failures)} patient(s) failed: " + "; ".join(failures),
                             "correct them and rerun; finished patients are kept")


def _read_marker(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


COMMANDS = [rois]
