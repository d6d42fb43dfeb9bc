"""The report's reporting checklist: the items of TRIPOD+AI (Collins et al., BMJ 2024;385:e078378) and CLEAR
(Kocak et al., Insights Imaging 2023;14:75) that a run can answer, answered from the run's output folder.

Each item is answered from what the run wrote (``provenance.json``, ``.eprstats/stages/*.json``,
``features/models.json`` and ``tables/*.csv``) and gets one status:

* ``done``: the run produced what the item asks (e.g. calibration: ``tables/calibration_numeric.csv`` exists
  and its stage, when recorded, was computed);
* ``partial``: the run answers part of it; the answer says what is still missing;
* ``to answer``: only the user can answer it (data source, dates, eligibility ...); the free-text study keys
  ``data_source``, ``dates`` and ``outcome_definition`` answer three of them;
* ``not produced``: the run could have answered it but did not write the file it needs.

Items are named by topic, not by number: the wording is ours, the published checklists are the reference.

>>> frame = checklist("results")          # doctest: +SKIP
>>> frame[frame["status"] != "done"]      # what the authors must still write   # doctest: +SKIP
"""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from ..reporting.tables import to_html

BOTH, TRIPOD, CLEAR = "TRIPOD+AI, CLEAR", "TRIPOD+AI", "CLEAR"
#: "not done": the run did not perform the step it could have (no second-reader masks: no ICC), which a reader
#: must not mistake for a step done; "not produced": the stage that answers the item did not finish
STATUSES = ("done", "partial", "not done", "to answer", "not produced")
COLUMNS = ["item", "checklists", "status", "answer"]
#: items only the authors can answer (no file of the run holds them)
USER_ITEMS = [
    ("Setting and eligibility criteria", BOTH, "state the centres, care setting and inclusion/exclusion criteria"),
    ("Segmentation (who, how, blinding)", CLEAR, "state who segmented, with which software, blinded to the outcome "
     "or not"),
    ("Missing data handling", BOTH, "state how missing clinical values were handled (the run keeps no record of "
     "it)"),
    ("Class imbalance and fairness", TRIPOD, "state whether imbalance or subgroup performance was addressed"),
    ("Ethics approval, funding, conflicts", BOTH, "state them"),
    ("Code availability", BOTH, "state where the analysis code and the study file can be obtained "
     "(repository, DOI); the versions used are listed under 'Software versions'"),
]


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _read_csv(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path)
    except (OSError, ValueError):
        return None


class _Run:
    """The output folder's files, read once; a file of a stage that did not compute counts as absent."""

    def __init__(self, out: Path, settings: dict | None, versions: dict | None):
        self.out = Path(out)
        prov = _read_json(self.out / "provenance.json")
        self.settings = dict(settings if settings is not None else prov.get("settings") or {})
        self.versions = dict(versions if versions is not None else prov.get("software") or {})
        folder = self.out / ".eprstats" / "stages"
        self.stages = {p.stem: _read_json(p) for p in sorted(folder.glob("*.json"))} if folder.is_dir() else {}

    def computed(self, stage: str) -> bool:
        # without stage records (a folder of another tool, a test) the files alone decide
        return stage not in self.stages or self.stages[stage].get("status") == "computed"

    def table(self, name: str, stage: str) -> pd.DataFrame | None:
        path = self.out / "tables" / f"{name}.csv"
        return _read_csv(path) if path.is_file() and self.computed(stage) else None

    def models(self) -> dict:
        path = self.out / "features" / "models.json"
        return _read_json(path) if path.is_file() and self.computed("signatures") else {}


def _text_item(run: _Run, key: str, item: str, what: str) -> tuple:
    value = run.settings.get(key)
    if value:
        return item, BOTH, "done", str(value)
    return item, BOTH, "to answer", f"state {what} (or give '{key}:' in the study file)"


def _predictors(run: _Run) -> tuple:
    info = run.models()
    if not info.get("models"):
        return "Predictors", BOTH, "not produced", "features/models.json was not written (signatures stage)"
    parts = [f"{name} ({m['kind']}, {m['n_variables']} variable(s): {', '.join(map(str, m.get('variables', [])))})"
             for name, m in info["models"].items()]
    failed = info.get("failed") or {}
    tail = f"; not built: {', '.join(failed)}" if failed else ""
    return "Predictors", BOTH, "done", "; ".join(parts) + tail


def _cohort_counts(run: _Run) -> pd.DataFrame | None:
    for name, stage in (("roc", "table2"), ("calibration_numeric", "calibration")):
        frame = run.table(name, stage)
        if frame is not None and {"cohort", "n", "events"} <= set(frame.columns) and len(frame):
            return frame.drop_duplicates("cohort")[["cohort", "n", "events"]]
    return None


def _sample_size(run: _Run) -> tuple:
    counts = _cohort_counts(run)
    if counts is None:
        return "Sample size and events per cohort", BOTH, "not produced", "no table with n and events per cohort"
    text = "; ".join(f"{r.cohort}: {int(r.n)} patients, {int(r.events)} events" for r in counts.itertuples())
    epv = [f"{k} {m['epv']:g}" for k, m in run.models().get("models", {}).items() if m.get("epv") is not None]
    text += ". Events per variable: " + ", ".join(epv) if epv else ""
    return ("Sample size and events per cohort", BOTH, "partial", text + ". State how the sample size was arrived "
            "at (e.g. Riley et al. BMJ 2020 criteria).")


def _model_building(run: _Run) -> tuple:
    if not run.models().get("models"):
        return "Model building", BOTH, "not produced", "the signatures stage did not compute"
    s = run.settings
    return ("Model building", BOTH, "done",
            f"Features with inter- and intra-observer ICC above {s.get('icc_threshold', '?')} kept; on the training "
            f"cohort ({s.get('training_cohort', '?')}): preprocessing (outliers beyond 3 SD -> training median, "
            "z-score), mRMR ranking, LASSO logistic regression (glmnet::cv.glmnet, 10-fold CV, lambda.min), "
            "then logistic regression (stats::glm) for each signature; clinical "
            f"and combined models by logistic regression (rms::lrm); seed {s.get('seed', '?')}.")


def _internal_validation(run: _Run) -> tuple:
    cal = run.table("calibration_numeric", "calibration")
    if cal is None:
        return "Internal validation", BOTH, "not produced", "no bootstrap calibration (tables/calibration_numeric.csv)"
    return ("Internal validation", BOTH, "partial",
            f"Bootstrap-corrected calibration curves (rms::calibrate, B = {run.settings.get('bootstrap', '?')}); "
            "LASSO penalty by cross-validation. Optimism-corrected discrimination is not reported: add it or state "
            "why not.")


def _performance(run: _Run) -> tuple:
    roc = run.table("roc", "table2")
    if roc is None:
        return "Performance measures with CIs", BOTH, "not produced", "tables/roc.csv was not written (table2 stage)"
    has_auc_ci = {"auc_ci_low", "auc_ci_high"} <= set(roc.columns)
    # the CIs of sensitivity ... accuracy are in the diagnostic accuracy table written beside roc.csv
    acc = run.table("diagnostic_accuracy_numeric", "table2")
    columns = set(roc.columns) | (set(acc.columns) if acc is not None else set())
    others = [m for m in ("sensitivity", "specificity", "ppv", "npv", "accuracy") if m in columns]
    with_ci = [m for m in others if f"{m}_ci_low" in columns]
    text = (f"{roc['model'].nunique()} model(s) x {roc['cohort'].nunique()} cohort(s): AUC "
            + ("with 95% CI (DeLong, pROC)" if has_auc_ci else "without CI"))
    if others:
        text += f"; {', '.join(others)} at the cut-off" + (f", with CIs for {', '.join(with_ci)}" if with_ci else
                                                           ", without CIs")
    status = "done" if has_auc_ci and len(with_ci) == len(others) else "partial"
    return "Performance measures with CIs", BOTH, status, text + "."


def _calibration(run: _Run) -> tuple:
    cal = run.table("calibration_numeric", "calibration")
    if cal is None:
        return "Calibration", BOTH, "not produced", "tables/calibration_numeric.csv was not written"
    stats = [c for c in ("intercept", "slope", "brier", "hl_statistic") if c in cal.columns]
    return ("Calibration", BOTH, "done", f"{', '.join(stats)} for {len(cal)} model x cohort row(s) "
            "(rms::val.prob; Hosmer-Lemeshow); calibration curves in the figures.")


def _decision_curves(run: _Run) -> tuple:
    dca = run.table("decision_curves", "dca")
    if dca is None:
        return "Decision curves (clinical utility)", TRIPOD, "not produced", "tables/decision_curves.csv was not written"
    th = dca["threshold"]
    return ("Decision curves (clinical utility)", TRIPOD, "done",
            f"Net benefit of {dca['model'].nunique()} model(s) in {dca['cohort'].nunique()} cohort(s), threshold "
            f"probabilities {th.min():g} to {th.max():g} (Vickers & Elkin 2006).")


def _radiomics(run: _Run) -> list[tuple]:
    s = run.settings
    spacing = s.get("spacing")
    extraction = ("Image preprocessing and feature extraction", CLEAR, "done",
                  f"Resampled to {' x '.join(f'{x:g}' for x in spacing)} mm; PyRadiomics "
                  f"{run.versions.get('pyradiomics-bhklab', '?')} with "
                  f"{s.get('radiomics_settings') or 'the paper settings'}; deep features from ResNet34 "
                  f"({s.get('deep_weights', '?')} weights).") if spacing else (
        "Image preprocessing and feature extraction", CLEAR, "not produced", "no settings recorded")
    return [extraction, _reproducibility(run)]


def _reproducibility(run: _Run) -> tuple:
    icc = run.table("icc_summary", "icc")
    if icc is None:
        return "Feature reproducibility", CLEAR, "not produced", "tables/icc_summary.csv was not written"
    # ICCResult.without_readings: an ROI without second-reader or repeat masks keeps every feature unmeasured
    notes = icc["note"] if "note" in icc.columns else pd.Series("", index=icc.index)
    unmeasured = notes.fillna("").eq("no ICC readings")
    rois = icc["roi"].astype(str).tolist() if "roi" in icc.columns else []
    done = (f"Inter- and intra-observer ICC; threshold {run.settings.get('icc_threshold', '?')} "
            "(tables/icc_summary.csv)")
    if unmeasured.all():
        return ("Feature reproducibility", CLEAR, "not done", "No ICC: the manifest has no second-reader or repeat "
                "masks (<PHASE>_mask_reader2, <PHASE>_mask_repeat); every feature was kept unfiltered.")
    if unmeasured.any():
        missing = ", ".join(r for r, u in zip(rois, unmeasured) if u)
        return ("Feature reproducibility", CLEAR, "partial", f"{done}; not done for {missing} (no second-reader or "
                "repeat masks: every feature kept).")
    return "Feature reproducibility", CLEAR, "done", done + "."


def _software(run: _Run) -> tuple:
    soft = {k: v for k, v in run.versions.items() if v and k != "platform"}
    if not soft:
        return "Software versions", BOTH, "not produced", "no software versions recorded"
    return "Software versions", BOTH, "done", "; ".join(f"{k} {v}" for k, v in soft.items())


def checklist(out, *, settings: dict | None = None, versions: dict | None = None) -> pd.DataFrame:
    """The TRIPOD+AI / CLEAR items a run can answer, answered from the output folder ``out``.

    Returns a frame with columns ``item``, ``checklists``, ``status`` (one of :data:`STATUSES`) and ``answer``.
    ``settings`` and ``versions`` default to ``provenance.json``'s ``settings`` and ``software`` (the report
    passes the running study's, as provenance.json is written after it). No statistic is computed here: an
    item is ``done`` only when the file that answers it exists (Collins et al., BMJ 2024;385:e078378; Kocak
    et al., Insights Imaging 2023;14:75).

    >>> checklist("results").query("status == 'to answer'")["item"].tolist()   # doctest: +SKIP
    """
    run = _Run(Path(out), settings, versions)
    rows = [_text_item(run, "data_source", "Data source", "the source of the data (centres, design)"),
            _text_item(run, "dates", "Study dates", "the start and end of accrual"),
            _text_item(run, "outcome_definition", "Outcome definition",
                       f"how the outcome ('{run.settings.get('outcome_column', 'outcome')}') was defined and "
                       "assessed"),
            _predictors(run), _sample_size(run), _model_building(run), _internal_validation(run),
            _performance(run), _calibration(run), _decision_curves(run), *_radiomics(run), _software(run)]
    rows += [(item, lists, "to answer", what) for item, lists, what in USER_ITEMS]
    return pd.DataFrame(rows, columns=COLUMNS)


def checklist_section(out, *, settings: dict | None = None, versions: dict | None = None) -> str:
    """The report's "Reporting checklist" section (HTML): the answered items, then those left to the authors."""

    frame = checklist(out, settings=settings, versions=versions)
    left = frame[frame["status"] != "done"]
    return ('<h2 id="checklist">Reporting checklist (TRIPOD+AI / CLEAR)</h2>'
            "<p>Items of TRIPOD+AI (Collins et al., BMJ 2024) and CLEAR (Kocak et al., Insights Imaging 2023) "
            "answered from this run's files; <i>done</i> only where the run wrote what the item asks. "
            f"{len(left)} item(s) are left to the authors: {html.escape(', '.join(left['item']))}.</p>"
            + to_html(frame))
