"""``eprstats calibration`` (rms calibrate/validate/val.prob, Hosmer-Lemeshow), ``eprstats nri`` (NRI and
IDI) and ``eprstats dca`` (decision curves): CSV in; CSV, formatted tables, figures and provenance out."""
from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from ..errors import InputError, RError
from ..fileio import read_csv, write_csv
from ..reporting.provenance import write_provenance
from ..reporting.tables import FORMATS, write_table


from ..clitools import echo_written as _echo, parse_formats as _formats, require_rows, split_list as _split


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(text))


def _float_list(text: str | None, what: str) -> list[float] | None:
    if not text:
        return None
    try:
        return [float(v) for v in _split(text)]
    except ValueError:
        raise InputError(f"{what} {text!r} are not numbers", "give comma-separated numbers, e.g. 0.3,0.6") from None


def _cohorts(data: pd.DataFrame, cohort_col: str | None, train_cohort: str | None):
    if cohort_col is None:
        return data, None
    if cohort_col not in data.columns:
        raise InputError(f"cohort column {cohort_col!r} not found",
                         f"available columns: {', '.join(map(str, data.columns))}", column=cohort_col)
    if not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col", "name the cohort the model is fitted on")
    labels = data[cohort_col].astype(str)
    if str(train_cohort) not in set(labels):
        raise InputError(f"training cohort {train_cohort!r} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(dict.fromkeys(labels))}", column=cohort_col,
                         cohort=str(train_cohort))
    return data[labels == str(train_cohort)], str(train_cohort)


def _model_specs(predictors: str | None, name: str, specs: tuple[str, ...]) -> dict[str, list[str]]:
    """Models from --predictors (one model called --name) and repeated --model NAME=a+b."""
    models: dict[str, list[str]] = {}
    if predictors:
        models[name] = _split(predictors)
    for spec in specs:
        label, sep, terms = spec.partition("=")
        cols = [t.strip() for t in terms.replace(",", "+").split("+") if t.strip()]
        if not sep or not label.strip() or not cols:
            raise InputError(f"--model {spec!r} is not NAME=col1+col2", "e.g. --model PVP_DLRRN=PVP+PVP_DLR+AFP")
        if label.strip() in models:
            raise InputError(f"model name {label.strip()!r} given twice", "give each model its own name",
                             model=label.strip())
        models[label.strip()] = cols
    if not models:
        raise InputError("no model given", "use --predictors a,b or --model NAME=a+b (repeatable)")
    return models


def _check_fit(train, outcome, terms, label, cohort) -> None:
    """The checks `eprstats fit` makes on the same lrm model (separation, constant or collinear predictors),
    so that calibration does not report curves of a model whose coefficients do not exist."""
    import warnings

    from .models import fit_logistic
    if not all(c in train.columns and pd.api.types.is_numeric_dtype(train[c]) for c in terms):
        return  # calibration's own check names the missing or non-numeric predictor
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fit's warnings (events per variable) are not this command's
        fit_logistic(train, outcome, terms, name=label, cohort=cohort)


@click.command("calibration")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column coded 0/1.")
@click.option("--predictors", default=None, help="Predictor columns of one logistic model, comma separated.")
@click.option("--name", default="model", show_default=True, help="Name of the --predictors model.")
@click.option("--model", "model_specs", multiple=True,
              help="Another model as NAME=col1+col2 (repeatable), e.g. PVP_DLRRN=PVP+PVP_DLR+AFP.")
@click.option("--cohort-col", default=None, help="Cohort column; the models are fitted on --train-cohort only.")
@click.option("--train-cohort", default=None, help="The training cohort.")
@click.option("--B", "B", type=int, default=1000, show_default=True, help="Bootstrap resamples (calibrate, validate).")
@click.option("--seed", type=int, default=1234, show_default=True,
              help="Seed set in R before each bootstrap (the same for every model).")
@click.option("--groups", "g", type=int, default=10, show_default=True, help="Hosmer-Lemeshow groups.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("calibration"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table formats among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the calibration figures.")
def calibration_command(csv, outcome, predictors, name, model_specs, cohort_col, train_cohort, B, seed, g, out,
                        formats, figures):
    """Bootstrap calibration curves (rms::calibrate) and optimism-corrected indexes (rms::validate) of rms::lrm
    models fitted on the training cohort; rms::val.prob statistics and the Hosmer-Lemeshow test on every
    cohort; calibration figures (the paper's Figure 6b)."""
    from . import calibration as cal

    formats = _formats(formats)
    data = require_rows(read_csv(csv, "patient table"), csv, "patient table")
    models = _model_specs(predictors, name, model_specs)
    train, train_name = _cohorts(data, cohort_col, train_cohort)
    train_name = train_name or "all"
    curves, summaries, validations, by_cohort, observed = {}, [], [], [], {}
    parts = cal.split_cohorts(data, cohort_col, train_name if cohort_col else None)
    if len(train) <= 10:  # rms::calibrate's own limit (n > 10 for its grid of predicted probabilities)
        raise InputError(f"the training cohort has {len(train)} patients: a bootstrap calibration curve needs more "
                         "than 10", "fit the calibration on a larger training cohort", cohort=train_name)
    for label, terms in models.items():
        try:
            _check_fit(train, outcome, terms, label, train_name)
            fit = cal.fit_lrm(train, outcome, terms, cohort=train_name)
            curve = cal.calibration_curve(train, outcome, terms, B=B, seed=seed, fit=fit)
            curves[label] = curve
            summaries.append({"model": label, "predictors": "+".join(terms),
                              **{k: curve.attrs[k] for k in ("n", "B", "seed", "mean_absolute_error",
                                                             "mean_squared_error", "quantile90_absolute_error")}})
            validations.append(cal.optimism_corrected(train, outcome, terms, B=B, seed=seed, fit=fit)
                               .assign(model=label))
            by_cohort.append(cal.cohort_calibration(data, outcome, terms, cohort_col,
                                                    train_name if cohort_col else None, g=g, fit=fit)
                             .assign(model=label))
            for cohort, rows in parts[1:]:
                observed.setdefault(cohort, {})[label] = cal.observed_curve(
                    cal.predict_prob(fit, rows, terms, cohort=cohort), rows[outcome], model=label, cohort=cohort)
        except RError as exc:  # R's message kept; say which model and what to check
            raise RError(exc.r_function, exc.r_message,
                         "check this model's predictors: a constant, collinear or separating predictor, or one "
                         "whose predicted risks take only a few values (a single binary predictor), cannot be "
                         "calibrated by rms; fit `eprstats fit` on them to see which", model=label,
                         cohort=train_name) from None

    def first(frame, col="model"):
        return frame[[col] + [c for c in frame.columns if c != col]]

    out.mkdir(parents=True, exist_ok=True)
    curve_table = pd.concat([c.assign(model=m) for m, c in curves.items()], ignore_index=True)
    written = [write_csv(out / "calibration_curve.csv", first(curve_table))]
    written += write_table(first(pd.concat(validations, ignore_index=True)), out / "optimism_corrected", formats,
                           title="Bootstrap validation (rms::validate)",
                           note=f"B = {B}, seed = {seed}; AUC = Dxy/2 + 0.5; corrected = apparent - optimism.")
    written += write_table(first(pd.concat(by_cohort, ignore_index=True)), out / "calibration_by_cohort", formats,
                           title="Calibration by cohort",
                           note=f"rms::val.prob statistics (intercept and slope of the logistic recalibration); "
                                f"Hosmer-Lemeshow with {g} groups at type-7 quantiles of the predicted probability "
                                "(right-closed), df = groups - 2.")
    written.append(write_csv(out / "calibration_summary.csv", pd.DataFrame(summaries)))
    if observed:
        written.append(write_csv(out / "observed_curves.csv", pd.concat(
            [c.assign(cohort=k, model=m) for k, d in observed.items() for m, c in d.items()], ignore_index=True)))
    settings = {"outcome": outcome, "models": models, "cohort_col": cohort_col, "train_cohort": train_name,
                "B": B, "hl_groups": g, "fit": "rms::lrm(x=TRUE, y=TRUE)",
                "curve": "rms::calibrate(method='boot')", "validation": "rms::validate(method='boot')",
                "cohorts": "rms::val.prob(pl=FALSE); Hosmer-Lemeshow (own R code, quantile type 7); "
                           "observed curves lowess(p, y, iter=0)"}
    write_provenance(out / "calibration_curve.csv", "calibration", settings, seed=seed, inputs=[csv],
                     extra={"outputs": [p.name for p in written]})
    _echo(written)
    if figures:
        paths = []
        for label, curve in curves.items():
            paths += cal.plot_calibration(curve, out / "figures" / f"calibration_{_safe(label)}",
                                          title=f"{label} ({train_name})")
        if len(curves) > 1:
            paths += cal.plot_calibration_models(curves, out / "figures" / f"calibration_models_{_safe(train_name)}",
                                                 title=f"Bias-corrected calibration ({train_name})")
        for cohort, d in observed.items():
            paths += cal.plot_calibration_models(d, out / "figures" / f"calibration_models_{_safe(cohort)}",
                                                 column="observed", title=f"Calibration ({cohort})")
        _echo(paths)


@click.command("nri")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column coded 0/1.")
@click.option("--old", "old", required=True, help="Predicted-probability column of the old (reference) model.")
@click.option("--new", "new", required=True, help="Predicted-probability column of the new model.")
@click.option("--cutoffs", default=None, help="Risk cut-offs for the categorical NRI, e.g. 0.3,0.6.")
@click.option("--cohort-col", default=None, help="Cohort column: one analysis per cohort.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("nri"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table formats among {', '.join(FORMATS)} (CSV is always written).")
def nri_command(csv, outcome, old, new, cutoffs, cohort_col, out, formats):
    """Categorical NRI (with --cutoffs), continuous NRI and IDI of --new over --old, with SE, z, P and 95% CI
    (PredictABEL's layout), and the reclassification table."""
    from . import reclassification as rc

    formats = _formats(formats)
    if old == new:  # every patient would be 'unchanged': NRI = IDI = 0 with a meaningless test
        raise InputError(f"--old and --new name the same column {old!r}",
                         "give the reference model's probabilities to --old and the new model's to --new",
                         column=old)
    data = require_rows(read_csv(csv, "probability table"), csv, "probability table")
    missing = [c for c in (outcome, old, new) if c not in data.columns]
    if missing:
        raise InputError(f"column(s) {missing} not found", f"available columns: {', '.join(map(str, data.columns))}",
                         column=missing[0])
    cuts = _float_list(cutoffs, "cut-offs")
    if cohort_col is not None and cohort_col not in data.columns:
        raise InputError(f"cohort column {cohort_col!r} not found", "give an existing column", column=cohort_col)
    parts = [("all", data)] if cohort_col is None else [
        (c, data[data[cohort_col].astype(str) == c]) for c in dict.fromkeys(data[cohort_col].astype(str))]
    tables, reclass = [], []
    for cohort, rows in parts:
        t = rc.nri_idi(rows[outcome], rows[old], rows[new], cutoffs=cuts, old_name=old, new_name=new, cohort=cohort)
        t.insert(0, "cohort", cohort)
        tables.append(t)
        if cuts:
            r = rc.reclassification_table(rows[outcome], rows[old], rows[new], cuts, old_name=old, new_name=new,
                                          cohort=cohort)
            r.insert(0, "cohort", cohort)
            reclass.append(r)
    table = pd.concat(tables, ignore_index=True)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(out / "nri_idi.csv", table)]
    formatted = pd.concat([rc.format_nri(t).assign(cohort=c) for (c, _), t in zip(parts, tables)], ignore_index=True)
    written += write_table(formatted[["cohort"] + [c for c in formatted.columns if c != "cohort"]],
                           out / "nri_idi_formatted", formats, title=f"Reclassification: {new} vs {old}",
                           note="Categorical NRI: categories [0,c1), [c1,c2), ..., [ck,1]; continuous NRI and IDI "
                                "as Hmisc::improveProb; 95% CI = estimate -/+ 1.96 SE.")
    if reclass:
        written.append(write_csv(out / "reclassification_table.csv", pd.concat(reclass, ignore_index=True)))
    settings = {"outcome": outcome, "old": old, "new": new, "cutoffs": cuts, "cohort_col": cohort_col,
                "categories": "cut(c(0, cutoffs, 1), include.lowest=TRUE, right=FALSE)"}
    write_provenance(out / "nri_idi.csv", "nri", settings, inputs=[csv], extra={"outputs": [p.name for p in written]})
    _echo(written)


@click.command("dca")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column coded 0/1.")
@click.option("--models", required=True, help="Predicted-probability columns, comma separated.")
@click.option("--cohort-col", default=None, help="Cohort column: one set of curves per cohort.")
@click.option("--thresholds", default=None, help="Threshold grid as start,stop,step (default 0.01,0.99,0.01).")
@click.option("--bootstrap", type=int, default=0, show_default=True, help="Bootstrap resamples for CIs (0: none).")
@click.option("--seed", type=int, default=1234, show_default=True, help="Bootstrap seed (cohort i uses seed + i).")
@click.option("--standardized/--no-standardized", default=False, show_default=True,
              help="Also report the standardized net benefit (NB / prevalence).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("dca"), show_default=True,
              help="Output folder.")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the decision curve figures.")
def dca_command(csv, outcome, models, cohort_col, thresholds, bootstrap, seed, standardized, out, figures):
    """Net benefit of each model, treat all and treat none over a threshold grid, per cohort, with optional
    bootstrap CIs (decision curve analysis, Vickers & Elkin 2006)."""
    import numpy as np

    from . import decision_curves as dc

    data = require_rows(read_csv(csv, "probability table"), csv, "probability table")
    grid = None
    if thresholds:
        spec = _float_list(thresholds, "thresholds")
        if len(spec) != 3 or spec[2] <= 0:
            raise InputError(f"--thresholds {thresholds!r} must be start,stop,step", "e.g. 0.01,0.99,0.01")
        count = int(round((spec[1] - spec[0]) / spec[2])) + 1
        grid = np.round(spec[0] + spec[2] * np.arange(count), 10)
    table = dc.net_benefit(data, outcome, _split(models), thresholds=grid, bootstrap=bootstrap,
                           seed=seed if bootstrap else None, standardized=standardized, cohort_col=cohort_col)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(out / "net_benefit.csv", table)]
    settings = {"outcome": outcome, "models": _split(models), "cohort_col": cohort_col,
                "thresholds": [float(t) for t in (grid if grid is not None else dc.DEFAULT_THRESHOLDS)],
                "bootstrap": bootstrap, "cohort_seeds": table.attrs.get("seeds"), "standardized": standardized,
                "rule": "treat when p >= threshold; NB = TP/n - FP/n * pt/(1-pt)"}
    write_provenance(out / "net_benefit.csv", "dca", settings, seed=seed if bootstrap else None, inputs=[csv],
                     extra={"outputs": [p.name for p in written]})
    _echo(written)
    if figures:
        paths = []
        for cohort in dict.fromkeys(table["cohort"]):
            paths += dc.plot_decision_curves(table, cohort, out / "figures" / f"dca_{_safe(cohort)}")
            if standardized:
                paths += dc.plot_decision_curves(table, cohort, out / "figures" / f"dca_standardized_{_safe(cohort)}",
                                                 column="standardized_net_benefit")
        _echo(paths)


COMMANDS = [calibration_command, nri_command, dca_command]
