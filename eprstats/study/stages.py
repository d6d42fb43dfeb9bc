"""Thin adapters from the study runner to each stage's API: one function per stage.

Each adapter takes the run context (:class:`eprstats.study.runner.Context`), reads what earlier stages wrote
under the output folder, calls the stage's own public functions and writes its outputs there. A stage whose
module is not installed raises :class:`StageUnavailable` (the runner reports it as skipped).
"""
from __future__ import annotations

import importlib
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import EprstatsError, InputError
from ..fileio import write_csv, write_json, write_parquet

TRAIN, EXTERNAL = "training", "external"
#: the paper's models; kind: roi (handcrafted signature on one ROI), deep, clinical, combined
DEFAULT_MODELS = {
    "AP": {"kind": "roi", "roi": "AP_tumour"},
    "DP": {"kind": "roi", "roi": "DP_tumour"},
    "PVP": {"kind": "roi", "roi": "PVP_tumour"},
    "PVP_Pri3mm": {"kind": "roi", "roi": "PVP_ring"},
    "PVP_Plus3mm": {"kind": "roi", "roi": "PVP_plus"},
    "PVP_DLR": {"kind": "deep", "phase": "PVP"},
    "Clinical": {"kind": "clinical", "predictors": ["AFP"]},
    "PVP_DLRR": {"kind": "combined", "predictors": ["PVP", "PVP_DLR"]},
    "PVP_DLRN": {"kind": "combined", "predictors": ["PVP_DLR", "AFP"]},
    "PVP_DLRRN": {"kind": "combined", "predictors": ["PVP", "PVP_DLR", "AFP"]},
}
NOMOGRAM_MODEL = "PVP_DLRRN"
TABLE_FORMATS = ("csv", "md", "tex", "docx", "html")


class StageUnavailable(Exception):
    """The stage's module is not installed (yet): the runner reports the stage as skipped."""


def need(module: str, *names):
    """Import ``names`` from ``module`` or raise :class:`StageUnavailable` naming what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise StageUnavailable(f"{module} is not available ({exc})") from None
    missing = [n for n in names if not hasattr(mod, n)]
    if missing:
        raise StageUnavailable(f"{module} lacks {', '.join(missing)}")
    return [getattr(mod, n) for n in names] if len(names) > 1 else getattr(mod, names[0])


def models(ctx) -> dict:
    return ctx.settings.get("models") or DEFAULT_MODELS


def _table(ctx, frame: pd.DataFrame, name: str, title: str, note: str | None = None) -> list[Path]:
    from ..reporting.tables import write_table
    if ctx.synthetic:
        note = ((note + " ") if note else "") + "Values computed from SYNTHETIC demo data."
    return write_table(frame, ctx.out / "tables" / name, TABLE_FORMATS, title=title, note=note)


def _clinical(ctx) -> pd.DataFrame:
    s = ctx.study
    m = s.manifest
    cols = [s.id_column, s.cohort_column, s.outcome_column, *s.clinical_columns]
    frame = m[list(dict.fromkeys(cols))].copy()
    return frame.rename(columns={s.id_column: "id", s.cohort_column: "cohort", s.outcome_column: "outcome"})


# ---------------------------------------------------------------------------------------------------- stages

def validate(ctx) -> dict:
    validate_cohort, raise_if_problems = need("eprstats.cohort.validate", "validate_cohort", "raise_if_problems")
    report = validate_cohort(ctx.study, workers=ctx.jobs)
    write_csv(ctx.out / "tables" / "validation.csv", report)
    raise_if_problems(report)
    return {"problems": int(len(report))}


def rois(ctx) -> dict:
    study_rois, roi_volumes_ml = need("eprstats.segmentation.rois", "study_rois", "roi_volumes_ml")
    rows = []
    phase = (ctx.study.settings.get("ring_phases") or ctx.study.phases[:1])[0]
    for patient in ctx.study.patients:
        _, r = study_rois(ctx.study, patient, phase)
        rows.append({"id": patient, "phase": phase, **{f"{k}_ml": v for k, v in roi_volumes_ml(r).items()}})
    table = pd.DataFrame(rows)
    write_csv(ctx.out / "features" / "roi_volumes.csv", table)
    return {"patients": len(table), "median_tumour_ml": float(table["tumour_ml"].median())}


def handcrafted(ctx) -> dict:
    cases_from_study, extract_cohort, RoiSpec = need("eprstats.handcrafted.parallel", "cases_from_study",
                                                      "extract_cohort", "RoiSpec")
    load_settings = need("eprstats.handcrafted.params", "load_settings")
    settings = load_settings(ctx.radiomics_settings_path)
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
                            progress=False)
    n_features = {roi: int(t.shape[1] - 1) for roi, t in result.tables.items() if "@" not in roi}
    return {"rois": sorted(result.tables), "features_per_roi": n_features, "settings_file": settings.source,
            "settings_hash": settings.hash, "computed": len(result.computed), "cached": len(result.cached)}


def _handcrafted_table(ctx, roi: str) -> pd.DataFrame:
    path = ctx.out / "features" / "handcrafted" / f"features_{roi}.parquet"
    if not path.is_file():
        raise InputError(f"no handcrafted features for ROI {roi!r}", "run the handcrafted stage", file=str(path))
    return pd.read_parquet(path)


def deep(ctx) -> dict:
    load_resnet34 = need("eprstats.deep.model", "load_resnet34")
    extract_cohort_deep = need("eprstats.deep.extract", "extract_cohort_deep")
    s = ctx.settings
    phase = s.get("deep_phase", "PVP")
    model, info = load_resnet34(s.get("deep_weights", "imagenet"), device="cpu", seed=int(s["seed"]))
    cases = pd.DataFrame([{"id": p, "image": ctx.study.image(p, phase), "mask": ctx.study.mask(p, phase)}
                          for p in ctx.study.patients])
    slices, failures = extract_cohort_deep(cases, model, device="cpu", spacing=tuple(ctx.study.settings["spacing"]),
                                           cache_dir=ctx.out / "features" / "deep_cache",
                                           size=int(s.get("deep_crop_size", 224)),
                                           weights_sha256=info.get("weights_sha256"), threads=None)
    if len(failures):
        raise InputError(f"deep features failed for {len(failures)} patient(s) (first: {failures.iloc[0]['patient']}: "
                         f"{failures.iloc[0]['error']})", "fix those inputs and rerun")
    write_parquet(ctx.out / "features" / "deep_slices.parquet", slices)
    write_json(ctx.out / "features" / "deep_weights.json", {k: v for k, v in info.items() if k != "device"})
    return {"slices": int(len(slices)), "phase": phase, "weights": info.get("weights"), "random": bool(info["random"]),
            "weights_sha256": info.get("weights_sha256"), "crop_size": int(s.get("deep_crop_size", 224))}


def icc(ctx) -> dict:
    icc_table, reproducible_features = need("eprstats.selection.icc", "icc_table", "reproducible_features")
    threshold = float(ctx.settings.get("icc_threshold", 0.8))
    keep, dropped, summary = {}, [], []
    for roi in ctx.handcrafted_rois():
        base = _handcrafted_table(ctx, roi)
        feats = [c for c in base.columns if c != "id"]
        try:
            r2, rep = _handcrafted_table(ctx, f"{roi}@reader2"), _handcrafted_table(ctx, f"{roi}@repeat")
        except InputError:
            keep[roi] = feats
            summary.append({"roi": roi, "features": len(feats), "kept": len(feats), "note": "no ICC readings"})
            continue
        ids = sorted(set(r2["id"]) & set(rep["id"]))
        one = base[base["id"].isin(ids)]
        inter = icc_table({"reader1": one, "reader2": r2[r2["id"].isin(ids)]}, features=feats)
        intra = icc_table({"first": one, "repeat": rep[rep["id"].isin(ids)]}, features=feats)
        write_csv(ctx.out / "features" / f"icc_inter_{roi}.csv", inter)
        write_csv(ctx.out / "features" / f"icc_intra_{roi}.csv", intra)
        kept = reproducible_features(inter, intra, threshold)
        keep[roi] = kept
        both = inter[["feature", "icc"]].merge(intra[["feature", "icc"]], on="feature", suffixes=("_inter", "_intra"))
        for row in both.itertuples(index=False):
            if row.feature not in kept:
                dropped.append({"roi": roi, "feature": row.feature, "icc_inter": row.icc_inter,
                                "icc_intra": row.icc_intra, "reason": f"ICC <= {threshold:g} (or undefined)"})
        summary.append({"roi": roi, "features": len(feats), "kept": len(kept), "n_patients": len(ids), "note": ""})
    write_json(ctx.out / "features" / "reproducible.json", keep)
    write_csv(ctx.out / "features" / "icc_dropped.csv",
              pd.DataFrame(dropped, columns=["roi", "feature", "icc_inter", "icc_intra", "reason"]))
    table = pd.DataFrame(summary)
    _table(ctx, table, "icc_summary", f"Features kept with inter- and intra-observer ICC > {threshold:g}")
    return {"summary": table.to_dict("records")}


def _lp_prob(model, frame: pd.DataFrame) -> np.ndarray:
    """Predicted probability of an rms::lrm fit from its coefficient table (numeric predictors)."""
    coefs = model.coefficients.set_index("term")["beta"]
    lp = np.full(len(frame), float(coefs.iloc[0]))
    for term, beta in coefs.iloc[1:].items():
        lp += float(beta) * frame[term].to_numpy(dtype=float)
    return 1.0 / (1.0 + np.exp(-lp))


def signatures(ctx) -> dict:
    build_signature = need("eprstats.selection.signature", "build_signature")
    fit_logistic = need("eprstats.evaluation.models", "fit_logistic")
    seed = int(ctx.settings["seed"])
    keep = json.loads((ctx.out / "features" / "reproducible.json").read_text(encoding="utf-8")) \
        if (ctx.out / "features" / "reproducible.json").is_file() else {}
    clin = _clinical(ctx)
    scores = clin[["id", "cohort", "outcome"]].copy()
    scores["id"] = scores["id"].astype(str)
    info, failed = {}, {}
    specs = models(ctx)
    for name, spec in specs.items():
        try:
            if spec["kind"] == "roi":
                table = _handcrafted_table(ctx, spec["roi"]).assign(id=lambda d: d["id"].astype(str))
                data = scores.merge(table, on="id", how="left")
                feats = keep.get(spec["roi"]) or [c for c in table.columns if c != "id"]
                train = data[data["cohort"] == ctx.train_cohort]
                sig = build_signature(train, feats, "outcome", seed, name=name, cohort=ctx.train_cohort)
                scores[name] = sig.score(data, scale="probability").to_numpy()
            elif spec["kind"] == "deep":
                path = ctx.out / "features" / "deep_slices.parquet"
                if (ctx.manifest_of("deep") or {}).get("status") != "computed" or not path.is_file():
                    raise StageUnavailable("no deep features (the deep stage did not run)")
                slices = pd.read_parquet(path)
                slices["patient"] = slices["patient"].astype(str)
                slices = slices.merge(scores[["id", "cohort", "outcome"]].rename(columns={"id": "patient"}),
                                      on="patient")
                feats = [c for c in slices.columns if re.fullmatch(r"f\d+", c)]
                train = slices[slices["cohort"] == ctx.train_cohort]
                sig = build_signature(train, feats, "outcome", seed, name=name, patient_col="patient",
                                      cohort=ctx.train_cohort)
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
                for p in preds:
                    if p in specs and p in data.columns:
                        q = data[p].clip(1e-12, 1 - 1e-12)
                        data[p] = np.log(q / (1 - q))
                train = data[data["cohort"] == ctx.train_cohort]
                fit = fit_logistic(train, "outcome", preds, name=name, cohort=ctx.train_cohort)
                scores[name] = _lp_prob(fit, data)
                sig = fit
            info[name] = _describe(ctx, name, spec, sig)
        except (EprstatsError, StageUnavailable) as exc:
            msg = exc.message if isinstance(exc, EprstatsError) else str(exc)
            failed[name] = msg
            warnings.warn(f"model {name!r} was not built: {msg}", stacklevel=2)
    write_csv(ctx.out / "features" / "scores.csv", scores)
    write_json(ctx.out / "features" / "models.json", {"models": info, "failed": failed})
    return {"built": list(info), "failed": failed}


def _describe(ctx, name, spec, fitted) -> dict:
    """Coefficients (Supplementary Table S2) and events per variable of a fitted model."""
    if hasattr(fitted, "preprocessor"):  # a Signature
        coefs = fitted.coefficients.rename(columns={"coefficient": "beta"})
        n_var = len(fitted.features)
    else:
        coefs = fitted.coefficients[["term", "beta"]].rename(columns={"term": "feature"})
        n_var = len(fitted.predictors)
    write_csv(ctx.out / "tables" / "coefficients" / f"{name}.csv", coefs)
    train = ctx.study.manifest[ctx.study.manifest[ctx.study.cohort_column].astype(str) == ctx.train_cohort]
    y = train[ctx.study.outcome_column].astype(int)
    events = int(min(y.sum(), len(y) - y.sum()))
    return {"kind": spec["kind"], "n_variables": n_var, "events": events,
            "epv": round(events / n_var, 2) if n_var else None,
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
    scores = pd.read_csv(path, dtype={"id": str})
    built = [m for m in models(ctx) if m in scores.columns and scores[m].notna().all()]
    if not built:
        raise InputError("no model was built", "see the signatures stage's messages")
    return scores, built


def table1(ctx) -> dict:
    table1_fn = need("eprstats.characteristics.table1", "table1")
    clin = _clinical(ctx)
    variables = ctx.study.clinical_columns
    cohorts = [ctx.train_cohort] + [c for c in dict.fromkeys(clin["cohort"].astype(str)) if c != ctx.train_cohort]
    result = table1_fn(clin, "outcome", variables, cohort_col="cohort", cohorts=cohorts,
                       rule=ctx.settings.get("table1_rule", "textbook"), outcome_labels=("Non-EPR", "EPR"))
    _table(ctx, result.table, "table1", "Table 1. Baseline characteristics")
    write_csv(ctx.out / "tables" / "table1_tests.csv", result.tests)
    return {"variables": len(variables), "p_values": int(result.tests["p"].notna().sum())}


def table2(ctx) -> dict:
    disc = importlib.import_module("eprstats.evaluation.discrimination") if _has("eprstats.evaluation.discrimination") \
        else None
    if disc is None:
        raise StageUnavailable("eprstats.evaluation.discrimination is not available")
    plots = importlib.import_module("eprstats.evaluation.plots")
    scores, built = _scores(ctx)
    roc = disc.roc_table(scores, "outcome", built, cohort_col="cohort", train_cohort=ctx.train_cohort)
    write_csv(ctx.out / "tables" / "roc.csv", roc)
    _table(ctx, disc.table2(roc, cohort_labels={ctx.train_cohort: "Training", EXTERNAL: "External validation"}),
           "table2", "Table 2. Performance of the models (AUC with DeLong 95% CI; cut-off from the training cohort)")
    paired = disc.delong_paired(scores, "outcome", built, cohort_col="cohort", train_cohort=ctx.train_cohort)
    write_csv(ctx.out / "tables" / "delong_paired_numeric.csv", paired)
    _table(ctx, _format_delong(paired), "delong_paired", "DeLong tests between models (paired, within each cohort)")
    between = disc.delong_between_cohorts(scores, "outcome", built, cohort_col="cohort",
                                          train_cohort=ctx.train_cohort)
    write_csv(ctx.out / "tables" / "delong_between_cohorts_numeric.csv", between)
    _table(ctx, _format_delong(between), "delong_between_cohorts", "DeLong tests of each model between cohorts")
    curves = disc.roc_curves(scores, "outcome", built, cohort_col="cohort", train_cohort=ctx.train_cohort)
    for i, cohort in enumerate(dict.fromkeys(scores["cohort"])):
        plots.plot_roc(curves, roc, cohort, ctx.out / "figures" / f"figure5{'ab'[min(i, 1)]}_roc_{cohort}",
                       title=f"ROC curves, {cohort} cohort")
    return {"models": built}


def _format_delong(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("auc_1", "auc_2", "z"):
        out[col] = out[col].map(lambda v: f"{v:.3f}")
    out["p"] = out["p"].map(lambda v: "<0.001" if v < 0.001 else f"{v:.3f}")
    return out


def table3(ctx) -> dict:
    models_mod = importlib.import_module("eprstats.evaluation.models")
    nomo = importlib.import_module("eprstats.evaluation.nomogram")
    scores, built = _scores(ctx)
    name = ctx.settings.get("nomogram_model", NOMOGRAM_MODEL)
    spec = models(ctx).get(name)
    if spec is None or name not in built or spec["kind"] != "combined":
        raise StageUnavailable(f"the nomogram model {name!r} was not built ({_why_not_built(ctx, name)})")
    clin = _clinical(ctx).assign(id=lambda d: d["id"].astype(str))
    data = scores.merge(clin.drop(columns=["cohort", "outcome"]), on="id", how="left")
    for p in spec["predictors"]:
        if p in models(ctx):
            q = data[p].clip(1e-12, 1 - 1e-12)
            data[p] = np.log(q / (1 - q))
    train = data[data["cohort"] == ctx.train_cohort]
    fit = models_mod.fit_logistic(train, "outcome", spec["predictors"], name=name)
    t3 = models_mod.table3(fit)
    write_csv(ctx.out / "tables" / "table3_numeric.csv", t3)
    _table(ctx, models_mod.format_table3(t3), "table3",
           f"Table 3. Multivariable logistic regression of the {name} model (training cohort)",
           note="Signatures enter on the logit (rad-score) scale.")
    nom = nomo.nomogram(fit)
    write_csv(ctx.out / "tables" / "nomogram_points.csv", nom.points)
    nomo.plot_nomogram(nom, ctx.out / "figures" / "figure6a_nomogram", title=f"{name} nomogram")
    return {"model": name, "predictors": spec["predictors"]}


def _fixed3(value) -> str:
    """Three decimals, 'NA' for a missing value, and no '-0.000'."""
    if value is None or not np.isfinite(value):
        return "NA"
    return f"{0.0 if round(value, 3) == 0 else value:.3f}"


def calibration(ctx) -> dict:
    cal = importlib.import_module("eprstats.evaluation.calibration")
    scores, built = _scores(ctx)
    B = int(ctx.settings.get("bootstrap", 1000))
    seed = int(ctx.settings["seed"])
    rows, curves = [], {}
    for name in built:
        # Calibration of each model's predicted probability (logistic recalibration on the training cohort).
        data = scores[["cohort", "outcome", name]].copy()
        q = data[name].clip(1e-12, 1 - 1e-12)
        data[name] = np.log(q / (1 - q))
        train = data[data["cohort"] == ctx.train_cohort]
        try:
            curve = cal.calibration_curve(train, "outcome", [name], B=B, seed=seed)
            stats = cal.cohort_calibration(data, "outcome", [name], cohort_col="cohort",
                                           train_cohort=ctx.train_cohort)
        except EprstatsError as exc:  # one model's degenerate probabilities must not lose the others
            warnings.warn(f"calibration of model {name!r} skipped: {exc.message}", stacklevel=2)
            continue
        curves[name] = curve
        stats.insert(0, "model", name)
        rows.append(stats)
    if not rows:
        raise InputError("no model could be calibrated", "see the warnings of the calibration stage")
    table = pd.concat(rows, ignore_index=True)
    write_csv(ctx.out / "tables" / "calibration_numeric.csv", table)
    show = table[["model", "cohort", "n", "events", "intercept", "slope", "brier", "hl_statistic", "hl_p"]].copy()
    for c in ("intercept", "slope", "brier", "hl_statistic", "hl_p"):
        show[c] = show[c].map(_fixed3)
    _table(ctx, show, "calibration", f"Calibration: val.prob statistics and Hosmer-Lemeshow test per cohort "
                                     f"(calibration curves: rms::calibrate, B = {B})")
    cal.plot_calibration_models(curves, ctx.out / "figures" / "figure6b_calibration",
                                title="Calibration (training, bias-corrected)")
    return {"B": B, "models": built}


def nri(ctx) -> dict:
    rec = importlib.import_module("eprstats.evaluation.reclassification")
    scores, built = _scores(ctx)
    new = ctx.settings.get("nomogram_model", NOMOGRAM_MODEL)
    if new not in built:
        raise StageUnavailable(f"the model {new!r} was not built ({_why_not_built(ctx, new)})")
    frames = []
    for cohort, part in scores.groupby("cohort", sort=False):
        for old in built:
            if old == new:
                continue
            try:
                t = rec.nri_idi(part["outcome"].to_numpy(), part[old].to_numpy(), part[new].to_numpy(),
                                old_name=old, new_name=new, cohort=cohort)
            except EprstatsError as exc:
                warnings.warn(f"NRI/IDI of {new} over {old} ({cohort}) skipped: {exc.message}", stacklevel=2)
                continue
            t.insert(0, "cohort", cohort)
            t.insert(1, "comparison", f"{new} vs {old}")
            frames.append(t)
    table = pd.concat(frames, ignore_index=True)
    write_csv(ctx.out / "tables" / "nri_idi_numeric.csv", table)
    fmt = rec.format_nri(table) if hasattr(rec, "format_nri") else table
    if "cohort" not in fmt.columns:
        fmt.insert(0, "cohort", table["cohort"])
        fmt.insert(1, "comparison", table["comparison"])
    _table(ctx, fmt, "nri_idi", f"Net reclassification (continuous NRI) and integrated discrimination improvement "
                                f"of {new} over each model")
    return {"new": new}


def dca(ctx) -> dict:
    dc = importlib.import_module("eprstats.evaluation.decision_curves")
    scores, built = _scores(ctx)
    table = dc.net_benefit(scores, "outcome", built, cohort_col="cohort")
    write_csv(ctx.out / "tables" / "decision_curves.csv", table)
    for i, cohort in enumerate(dict.fromkeys(scores["cohort"])):
        dc.plot_decision_curves(table, cohort, ctx.out / "figures" / f"figure6c_dca_{cohort}",
                                title=f"Decision curves, {cohort} cohort")
    return {"models": built}


def report(ctx) -> dict:
    from .report import write_report
    path = write_report(ctx)
    return {"report": str(path)}


def _has(module: str) -> bool:
    try:
        importlib.import_module(module)
        return True
    except ImportError:
        return False
