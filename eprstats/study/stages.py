"""Thin adapters from the study runner to each stage's API: one function per stage.

Each adapter takes the run context (:class:`eprstats.study.runner.Context`), reads what earlier stages wrote
under the output folder, calls the stage's own public functions and writes its outputs there. A stage that
cannot run for a stated reason (the nomogram model was not built) raises
:class:`~eprstats.study.plan.StageSkipped`; the order and dependencies are in :mod:`eprstats.study.plan`.
Heavy stage modules (torch, pyradiomics) are imported inside their adapter.
"""
from __future__ import annotations

import dataclasses
import json
import re
import warnings
from functools import partial
from pathlib import Path

import pandas as pd

from ..audit.compare import compare as compare_fn
from ..audit.compare_report import counts
from ..characteristics.table_one import table1 as table1_fn
from ..cluster import map_ordered, share
from ..cohort.settings import weights_path
from ..cohort.validate import raise_if_problems, validate_cohort
from ..deep.features import deep_features
from ..errors import EprstatsError, InputError
from ..evaluation.calibration import calibrate
from ..evaluation.decision_curves import decision_curve
from ..evaluation.discrimination import discrimination
from ..evaluation.model_scores import (events_per_variable, model_coefficients, predicted_probability,
                                       rad_scores)
from ..evaluation.models import fit_logistic, fit_model
from ..evaluation.reclassification import reclassification
from ..handcrafted.parallel import RoiSpec, cases_from_study, extract_cohort
from ..handcrafted.params import load_settings
from ..reporting.tables import write_table
from ..selection.icc import ICCResult, icc as icc_fn
from ..selection.signature import build_signature
from ..validation import split_cohorts, with_event
from ..fileio import read_csv, write_csv, write_json
from ..segmentation.rois import roi_volumes_ml, study_rois
from .cluster import icc_blocks, roi_volumes
from .plan import StageSkipped
from ..paths import safe_component
from .report import comparison_note, write_report

EXTERNAL = "external"
TABLE_FORMATS = ("csv", "md", "tex", "docx", "html")


def models(ctx) -> dict:
    """The study's models (name -> spec): the study file's ``models`` or the paper's ten."""
    return ctx.settings.model_specs


def _table(ctx, frame: pd.DataFrame, name: str, title: str, note: str | None = None) -> list[Path]:
    if ctx.synthetic:
        note = ((note + " ") if note else "") + "Values computed from SYNTHETIC demo data."
    return write_table(frame, ctx.out / "tables" / name, TABLE_FORMATS, title=title, note=note)


def _clinical(ctx) -> pd.DataFrame:
    s = ctx.study
    m = s.manifest
    cols = [s.id_column, s.cohort_column, s.outcome_column, *s.clinical_columns]
    frame = m[list(dict.fromkeys(cols))].copy()
    frame = frame.rename(columns={s.id_column: "id", s.cohort_column: "cohort", s.outcome_column: "outcome"})
    # the study file's outcome_event names the event of a text outcome (validation's one rule)
    return with_event(frame, "outcome", ctx.settings.outcome_event)


# ---------------------------------------------------------------------------------------------------- stages

def validate(ctx) -> dict:
    report = validate_cohort(ctx.study, workers=ctx.jobs)
    write_csv(ctx.out / "tables" / "validation.csv", report)
    raise_if_problems(report)
    return {"problems": int(len(report))}


def rois(ctx) -> dict:
    rows = []
    phase = (ctx.settings.ring_phases or ctx.study.phases[:1])[0]
    if ctx.client is not None:  # one task a patient on the Dask cluster, rows in the patients' order
        rows = map_ordered(ctx.client, roi_volumes, ctx.study.patients, share(ctx.client, ctx.study), phase,
                           stage="rois", names=ctx.study.patients)
    else:
        for patient in ctx.study.patients:
            _, r = study_rois(ctx.study, patient, phase)
            rows.append({"id": patient, "phase": phase, **{f"{k}_ml": v for k, v in roi_volumes_ml(r).items()}})
    table = pd.DataFrame(rows)
    write_csv(ctx.out / "features" / "roi_volumes.csv", table)
    return {"patients": len(table), "median_tumour_ml": float(table["tumour_ml"].median())}


def handcrafted(ctx) -> dict:
    settings = load_settings(ctx.radiomics_settings_path).with_engine(ctx.settings.radiomics_engine)
    cases = cases_from_study(ctx.study)
    # The second reader's and the repeated delineations (ICC patients) as extra ROIs of the same case.
    for case in cases:
        row = ctx.study.row(case.patient)
        extra = []
        for spec in case.rois:
            phase = spec.roi.split("_")[0]
            for reader in ("mask_reader2", "mask_repeat"):
                ref = ctx.study.mask(row, phase, reader)
                if ref is not None:
                    extra.append(RoiSpec(**{**spec.__dict__, "roi": f"{spec.roi}@{reader[5:]}",
                                            "mask": str(ref.path), "label": ref.label, "segment": ref.segment}))
        case.rois.extend(extra)
    result = extract_cohort(cases, ctx.out / "features" / "handcrafted", settings=settings, n_jobs=ctx.jobs,
                            scheduler=ctx.client, progress=False)
    n_features = {roi: int(t.shape[1] - 1) for roi, t in result.tables.items() if "@" not in roi}
    return {"rois": sorted(result.tables), "features_per_roi": n_features, "settings_file": settings.source,
            "settings_hash": settings.hash, "computed": len(result.computed), "cached": len(result.cached)}


def _handcrafted_table(ctx, roi: str) -> pd.DataFrame:
    """An ROI's handcrafted feature table, ids as text (so that they match the manifest's as written)."""
    path = ctx.out / "features" / "handcrafted" / f"features_{safe_component(roi, 'ROI name')}.parquet"
    if not path.is_file():
        raise InputError(f"no handcrafted features for ROI {roi!r}", "run the handcrafted stage", file=str(path))
    table = pd.read_parquet(path)
    return table.assign(id=table["id"].astype(str))


def deep(ctx) -> dict:
    s = ctx.settings
    phase = s.deep_phase
    cases = pd.DataFrame([{"id": p, "image": ctx.study.image(p, phase), "mask": ctx.study.mask(p, phase)}
                          for p in ctx.study.patients])
    result = deep_features(cases, weights_path(s, ctx.study.root), seed=s.seed, device=s.deep_device,
                           spacing=s.spacing, cache_dir=ctx.out / "features" / "deep_cache",
                           size=s.deep_crop_size, client=ctx.client)
    failures, info = result.failures, result.weights
    if len(failures):
        raise InputError(f"deep features failed for {len(failures)} patient(s) (first: {failures.iloc[0]['patient']}: "
                         f"{failures.iloc[0]['error']})", "fix those inputs and rerun")
    result.write(ctx.out / "features", figures=False)   # the files `eprstats deep` writes
    return {"slices": int(len(result.slices)), "phase": phase, "weights": info.get("weights"),
            "random": bool(info["random"]), "weights_sha256": info.get("weights_sha256"),
            "crop_size": s.deep_crop_size}


def icc(ctx) -> dict:
    """Inter- (reader 1 vs reader 2) and intra-observer (first vs repeat) ICC per ROI on the patients with
    both readings: :func:`eprstats.selection.icc.icc`, the ROIs combined; an ROI without readings keeps all
    its features. Writes features/icc_inter_ROI.csv, icc_intra_ROI.csv, icc_dropped.csv, reproducible.json
    (the features each signature may use) and tables/icc_summary."""
    threshold = float(ctx.settings.icc_threshold)
    parts = []
    for roi in ctx.handcrafted_rois():
        base = _handcrafted_table(ctx, roi)
        feats = [c for c in base.columns if c != "id"]
        try:
            r2, rep = _handcrafted_table(ctx, f"{roi}@reader2"), _handcrafted_table(ctx, f"{roi}@repeat")
        except InputError:
            parts.append(ICCResult.without_readings(roi, feats, threshold))
            continue
        ids = sorted(set(r2["id"]) & set(rep["id"]))
        one = base[base["id"].isin(ids)]
        # on a Dask cluster: blocks of features on the workers, the same bytes (each ICC is per feature)
        fn = icc_fn if ctx.client is None else partial(icc_blocks, ctx.client)
        parts.append(fn({"reader1": one, "reader2": r2[r2["id"].isin(ids)]}, features=feats,
                        threshold=threshold, intra={"first": one, "repeat": rep[rep["id"].isin(ids)]}, roi=roi))
    result = ICCResult.combine(parts)
    result.write(ctx.out / "tables", TABLE_FORMATS, numeric_dir=ctx.out / "features",
                 note="Values computed from SYNTHETIC demo data." if ctx.synthetic else None)
    write_json(ctx.out / "features" / "reproducible.json", result.kept_by_roi)
    summary = {"summary": result.icc_summary().to_dict("records")}
    unmeasured = [r.roi for r in result.readings if r.inter is None]
    if unmeasured:
        # keeping every feature is not an ICC filter: the runner and the report's checklist say so
        phases = ", ".join(f"{p}_mask_reader2, {p}_mask_repeat"
                           for p in dict.fromkeys(roi.split("_")[0] for roi in unmeasured))  # as handcrafted()
        summary["not_done"] = (f"no second-reader or repeat masks for {', '.join(unmeasured)} (manifest columns "
                               f"{phases}): every feature of {'these ROIs' if len(unmeasured) > 1 else 'this ROI'} "
                               "kept without an ICC")
    return summary


def signatures(ctx) -> dict:
    """Every model of the study: handcrafted and deep signatures (:func:`~eprstats.selection.signature.
    build_signature` on the training cohort, its tables written to tables/signatures/NAME/ as ``eprstats
    select`` writes them), clinical and combined models (``fit_logistic``); features/scores.csv holds every
    patient's predicted probability per model, features/models.json what was built."""
    seed = int(ctx.settings.seed)
    note = "Values computed from SYNTHETIC demo data." if ctx.synthetic else None
    keep = json.loads((ctx.out / "features" / "reproducible.json").read_text(encoding="utf-8")) \
        if (ctx.out / "features" / "reproducible.json").is_file() else {}
    clin = _clinical(ctx)
    scores = clin[["id", "cohort", "outcome"]].copy()
    scores["id"] = scores["id"].astype(str)

    def training(data):
        return split_cohorts(data, "cohort", ctx.train_cohort, require_train=True)[0][1]

    info, failed = {}, {}
    specs = models(ctx)
    for name, spec in specs.items():
        try:
            if spec["kind"] == "roi":
                table = _handcrafted_table(ctx, spec["roi"])
                data = scores.merge(table, on="id", how="left")
                feats = keep.get(spec["roi"]) or [c for c in table.columns if c != "id"]
                sig = build_signature(training(data), feats, "outcome", seed, name=name, train_cohort=ctx.train_cohort,
                                      id_col="id")
                scores[name] = sig.score(data, scale="probability").to_numpy()
            elif spec["kind"] == "deep":
                path = ctx.out / "features" / "deep_slices.parquet"
                if (ctx.manifest_of("deep") or {}).get("status") != "computed" or not path.is_file():
                    raise StageSkipped("no deep features (the deep stage did not run)")
                slices = pd.read_parquet(path)
                slices["patient"] = slices["patient"].astype(str)
                slices = slices.merge(scores[["id", "cohort", "outcome"]].rename(columns={"id": "patient"}),
                                      on="patient")
                feats = [c for c in slices.columns if re.fullmatch(r"f\d+", c)]
                sig = build_signature(training(slices), feats, "outcome", seed, name=name, patient_col="patient",
                                      train_cohort=ctx.train_cohort)
                prob = sig.score(slices, scale="probability")
                scores[name] = scores["id"].map(prob).to_numpy(dtype=float)
            else:
                preds = spec["predictors"]
                missing = [p for p in preds if p not in scores.columns and p not in clin.columns]
                if missing:
                    raise InputError(f"model {name!r} needs {missing}, which were not computed", "see the "
                                     "earlier models' messages", model=name)
                data = scores.merge(clin.drop(columns=["cohort", "outcome"]).assign(id=lambda d: d["id"].astype(str))
                                    [["id", *[p for p in preds if p not in scores.columns]]], on="id", how="left")
                # signatures enter combined models on the logit scale (rad-scores), as in the paper
                data = rad_scores(data, [p for p in preds if p in specs and p in data.columns])
                sig = fit_logistic(training(data), "outcome", preds, name=name, cohort=ctx.train_cohort)
                scores[name] = predicted_probability(sig, data)
            if spec["kind"] in ("roi", "deep"):
                # Table S2 and the LASSO and mRMR tables, as `eprstats select --no-figures` writes them (the
                # LASSO figures would add about a second per signature to every run)
                sig.write(ctx.out / "tables" / "signatures" / name, TABLE_FORMATS, figures=False, note=note)
            info[name] = _describe(ctx, name, spec, sig)
        except (EprstatsError, StageSkipped) as exc:
            msg = exc.message if isinstance(exc, EprstatsError) else str(exc)
            failed[name] = msg
            warnings.warn(f"model {name!r} was not built: {msg}", stacklevel=2)
    write_csv(ctx.out / "features" / "scores.csv", scores)
    write_json(ctx.out / "features" / "models.json", {"models": info, "failed": failed})
    return {"built": list(info), "failed": failed}


def _describe(ctx, name, spec, fitted) -> dict:
    """Coefficients (Supplementary Table S2, tables/coefficients/NAME.csv) and events per variable of a fitted
    model (:func:`~eprstats.evaluation.model_scores.model_coefficients`, :func:`~eprstats.evaluation.
    model_scores.events_per_variable` on the training cohort)."""
    coefs, variables = model_coefficients(fitted)
    write_csv(ctx.out / "tables" / "coefficients" / f"{name}.csv", coefs)
    train = ctx.study.manifest[ctx.study.manifest[ctx.study.cohort_column].astype(str) == ctx.train_cohort]
    column = ctx.study.outcome_column
    events, epv = events_per_variable(with_event(train, column, ctx.settings.outcome_event)[column].astype(int),
                                      len(variables))
    return {"kind": spec["kind"], "n_variables": len(variables), "events": events, "epv": epv,
            "variables": coefs.iloc[1:, 0].astype(str).tolist()}


def _why_not_built(ctx, name: str) -> str:
    path = ctx.out / "features" / "models.json"
    failed = json.loads(path.read_text(encoding="utf-8")).get("failed", {}) if path.is_file() else {}
    return failed.get(name, "not listed in the study's models" if name not in models(ctx) else "see the signatures "
                      "stage")


def _scores(ctx) -> tuple[pd.DataFrame, list[str]]:
    path = ctx.out / "features" / "scores.csv"
    if not path.is_file():
        raise InputError("no model scores", "run the signatures stage", file=str(path))
    # the reader of the commands: ids as text, floats round-trip (a command on this file sees the same numbers)
    scores = read_csv(path, "model scores", text_columns=["id"])
    built = [m for m in models(ctx) if m in scores.columns and scores[m].notna().all()]
    if not built:
        raise InputError("no model was built", "see the signatures stage's messages")
    return scores, built


def table1(ctx) -> dict:
    """Table 1 of the study's clinical variables (:func:`eprstats.characteristics.table_one.table1`, training
    cohort first), written as ``eprstats table1 --out tables/table1`` writes it."""
    clin = _clinical(ctx)
    variables = ctx.study.clinical_columns
    result = table1_fn(clin, "outcome", variables, cohort_col="cohort", train_cohort=ctx.train_cohort,
                       rule=ctx.settings.table1_rule, continuous_rule=ctx.settings.table1_continuous_rule,
                       outcome_labels=("Non-EPR", "EPR"), id_col="id")
    result.write(ctx.out / "tables", TABLE_FORMATS,
                 note="Values computed from SYNTHETIC demo data." if ctx.synthetic else None)
    return {"variables": len(variables), "p_values": int(result.tests["p"].notna().sum())}


def table2(ctx) -> dict:
    """Table 2, the DeLong tests and Figure 5: :func:`eprstats.evaluation.discrimination.discrimination` on the
    models' scores, written like ``eprstats roc --cohort-labels ...`` writes it; ``accuracy_ci_method`` and
    ``optimism_bootstrap`` (with the study's seed) as its ``ci_method`` and ``optimism_B``."""
    scores, built = _scores(ctx)
    s = ctx.settings
    result = discrimination(scores, "outcome", built, cohort_col="cohort", train_cohort=ctx.train_cohort,
                            cohort_labels={ctx.train_cohort: "Training", EXTERNAL: "External validation"},
                            ci_method=s.accuracy_ci_method, optimism_boot_n=s.optimism_bootstrap, seed=int(s.seed))
    result.write(ctx.out / "tables", TABLE_FORMATS, figure_dir=ctx.out / "figures",
                 note="Values computed from SYNTHETIC demo data." if ctx.synthetic else None)
    return {"models": built}


def table3(ctx) -> dict:
    """Table 3 and the nomogram (Figure 6a): :func:`eprstats.evaluation.models.fit_model` of the nomogram
    model on the training cohort, the signatures on the logit (rad-score) scale."""
    scores, built = _scores(ctx)
    name = ctx.settings.nomogram_model
    spec = models(ctx).get(name)
    if spec is None or name not in built or spec["kind"] != "combined":
        raise StageSkipped(f"the nomogram model {name!r} was not built ({_why_not_built(ctx, name)})")
    clin = _clinical(ctx).assign(id=lambda d: d["id"].astype(str))
    data = scores.merge(clin.drop(columns=["cohort", "outcome"]), on="id", how="left")
    data = rad_scores(data, [p for p in spec["predictors"] if p in models(ctx)])
    result = fit_model(data, "outcome", spec["predictors"], name=name, cohort_col="cohort",
                       train_cohort=ctx.train_cohort, id_col="id", stepwise=ctx.settings.table3_stepwise)
    note = "Signatures enter on the logit (rad-score) scale."
    result.write(ctx.out / "tables", TABLE_FORMATS, figure_dir=ctx.out / "figures",
                 note=note + (" Values computed from SYNTHETIC demo data." if ctx.synthetic else ""))
    return {"model": name, "predictors": spec["predictors"]}


def calibration(ctx) -> dict:
    """Calibration of each model's predicted probability (a logistic recalibration on its logit, fitted on the
    training cohort) and Figure 6b: :func:`eprstats.evaluation.calibration.calibrate`, written like
    ``eprstats calibration --probabilities ...`` writes it. A model that cannot be calibrated is skipped with a
    warning naming it."""
    scores, built = _scores(ctx)
    B, g = int(ctx.settings.bootstrap), int(ctx.settings.hl_groups)
    _check_hl_groups(ctx, scores, g)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = calibrate(scores, "outcome", built, cohort_col="cohort", train_cohort=ctx.train_cohort, boot_n=B,
                               seed=int(ctx.settings.seed), g=g, probabilities=True, skip_failed=True,
                               hl_grouping=ctx.settings.hl_grouping, hl_external_df=ctx.settings.hl_external_df)
    finally:
        for w in caught:  # the command's option is a study key here: name the one the user can set
            warnings.warn_explicit(_study_words(str(w.message)), w.category, w.filename, w.lineno)
    # the files and figures of `eprstats calibration` (figures/figure6b_calibration.*: the paper's Figure 6b)
    result.write(ctx.out / "tables", TABLE_FORMATS, figure_dir=ctx.out / "figures",
                 note="Values computed from SYNTHETIC demo data." if ctx.synthetic else None)
    return {"B": B, "models": built}


def _study_words(text: str) -> str:
    """A calibration message written for the ``calibration`` command, in the study file's words."""
    return text.replace("(--groups;", "(the study key hl_groups;").replace("(--groups)", "(the study key hl_groups)")


def _check_hl_groups(ctx, scores: pd.DataFrame, g: int) -> None:
    """Every cohort must hold 2 patients a Hosmer-Lemeshow group: said once, naming the study key, rather
    than once per model as each model's calibration is skipped."""
    for cohort, n in scores.groupby("cohort", sort=False)["outcome"].count().items():
        if g > n // 2:
            fix = (f"set 'hl_groups: {n // 2}' (or fewer; at least 3) in the study file" if n // 2 >= 3 else
                   "this cohort is too small for a Hosmer-Lemeshow test (3 groups need 6 patients)")
            raise InputError(f"hl_groups = {g} Hosmer-Lemeshow groups for the {cohort} cohort of {n} patients "
                             "(fewer than 2 patients a group)", fix, file=str(getattr(ctx.study, "path", "")) or None,
                             cohort=str(cohort))


def nri(ctx) -> dict:
    """NRI and IDI of the nomogram model over every other model, per cohort:
    :func:`eprstats.evaluation.reclassification.reclassification`, written like ``eprstats nri`` writes it."""
    scores, built = _scores(ctx)
    new = ctx.settings.nomogram_model
    if new not in built:
        raise StageSkipped(f"the model {new!r} was not built ({_why_not_built(ctx, new)})")
    result = reclassification(scores, "outcome", [m for m in built if m != new], new, cohort_col="cohort",
                              skip_failed=True)
    result.write(ctx.out / "tables", TABLE_FORMATS,
                 note="Values computed from SYNTHETIC demo data." if ctx.synthetic else None)
    return {"new": new}


def dca(ctx) -> dict:
    """Decision curves of every model per cohort and Figure 6c:
    :func:`eprstats.evaluation.decision_curves.decision_curve`, written like ``eprstats dca`` writes it."""
    scores, built = _scores(ctx)
    result = decision_curve(scores, "outcome", built, cohort_col="cohort")
    # the files and figures of `eprstats dca` (figures/figure6c_dca_COHORT.*: the paper's Figure 6c)
    result.write(ctx.out / "tables", TABLE_FORMATS, figure_dir=ctx.out / "figures")
    # the curves are a CSV and figures only: their methods note reaches the report through the summary
    return {"models": built, "note": result.table_files()[0].note}


def compare(ctx) -> dict:
    """The paper's printed numbers beside this run's: :func:`eprstats.audit.compare.compare` of the study's
    ``published`` folder (names through ``published_mapping``) against the output folder, written to
    tables/compare.csv (the bytes of ``eprstats compare PUBLISHED OUT``) and tables/compare.html. Tables that
    were not computed give "not recomputed" cells; with none of Tables 1-3 there is nothing to compare."""
    if not any((ctx.manifest_of(s) or {}).get("status") == "computed" for s in ("table1", "table2", "table3")):
        raise StageSkipped("no recomputed table to compare (table1, table2 and table3 did not run)")
    result = compare_fn(ctx.setting_path("published"), ctx.out, mapping=ctx.setting_path("published_mapping"))
    # the page names the folders as the study file does: a copy of the study gives the same bytes
    result = dataclasses.replace(result, published=ctx.settings.published, results="this study's output folder")
    result.write(ctx.out / "tables", ("csv", "html"), note=comparison_note(ctx.synthetic))
    return {"summary": result.summary(), "counts": counts(result.frame)}


def report(ctx) -> dict:
    path = write_report(ctx)
    return {"report": str(path)}

