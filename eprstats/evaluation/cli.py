"""``eprstats roc`` (Table 2, DeLong tests, ROC and distribution figures) and ``eprstats fit`` (logistic
model, Table 3, nomogram, scores for every patient)."""
from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import pandas as pd

from ..errors import InputError, RError
from ..fileio import read_csv, write_csv
from ..reporting.provenance import write_provenance
from ..reporting.tables import FORMATS, write_table


from ..clitools import echo_written as _echo, parse_formats as _formats, require_rows, split_list as _split


@click.command("roc")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column coded 0/1.")
@click.option("--scores", required=True, help="Score (model) columns, comma separated.")
@click.option("--cohort-col", default=None, help="Cohort column (training / external ...).")
@click.option("--train-cohort", default=None,
              help="The cohort that fixes each model's ROC direction and Youden cut-off.")
@click.option("--cohorts", default=None, help="Cohort order, comma separated (default: training first).")
@click.option("--conf-level", type=float, default=0.95, show_default=True, help="Level of the DeLong CI.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("roc"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table 2 formats among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the figures.")
def roc_command(csv, outcome, scores, cohort_col, train_cohort, cohorts, conf_level, out, formats, figures):
    """AUC with DeLong CI and performance at the training Youden cut-off (Table 2), paired DeLong tests
    between models, unpaired DeLong tests between cohorts, ROC and score-distribution figures."""
    from . import discrimination as disc
    from . import plots

    formats = _formats(formats)
    data = require_rows(read_csv(csv, "score table"), csv, "score table")
    models = _split(scores)
    if cohort_col and not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col",
                         "name the cohort that fixes the ROC direction and the Youden cut-off")
    order = _split(cohorts) or None
    roc = disc.roc_table(data, outcome, models, cohort_col, train_cohort, conf_level=conf_level, cohorts=order)
    directions = dict(zip(roc.drop_duplicates("model")["model"], roc.drop_duplicates("model")["direction"]))
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(out / "roc_table.csv", roc)]
    written += write_table(disc.table2(roc), out / "table2", formats, title="Table 2",
                           note=f"AUC with the DeLong {conf_level:.0%} CI (pROC); sensitivity and specificity "
                                "at the Youden cut-off chosen on the training cohort.")
    if len(models) > 1:
        written.append(write_csv(out / "delong_paired.csv",
                                 disc.delong_paired(data, outcome, models, cohort_col, train_cohort,
                                                    directions=directions, cohorts=order)))
    cohort_names = list(dict.fromkeys(roc["cohort"]))
    if len(cohort_names) > 1:
        written.append(write_csv(out / "delong_cohorts.csv",
                                 disc.delong_between_cohorts(data, outcome, models, cohort_col, train_cohort,
                                                             directions=directions, cohorts=order)))
    settings = {"outcome": outcome, "scores": models, "cohort_col": cohort_col, "train_cohort": train_cohort,
                "cohorts": cohort_names, "conf_level": conf_level, "directions": directions,
                "auc_ci": "pROC::ci.auc(method='delong')", "cutoff": "pROC::coords(best.method='youden') on "
                "training, highest sensitivity on ties", "tests": "pROC::roc.test(method='delong')"}
    write_provenance(out / "roc_table.csv", "roc", settings, inputs=[csv],
                     extra={"outputs": [p.name for p in written]})
    _echo(written)
    if figures:
        curves = disc.roc_curves(data, outcome, models, cohort_col, train_cohort, directions=directions,
                                 cohorts=order)
        fig_dir = out / "figures"
        paths = []
        for cohort in cohort_names:
            paths += plots.plot_roc(curves, roc, cohort, fig_dir / f"roc_{plots.safe_name(cohort)}")
        rows = data if cohort_col is None else data[data[cohort_col].astype(str).isin(cohort_names)]
        paths += plots.plot_distribution_box(rows, outcome, models, cohort_col, fig_dir / "distribution_box",
                                             cohorts=cohort_names if cohort_col else None)
        cutoffs = dict(zip(roc.drop_duplicates("model")["model"], roc.drop_duplicates("model")["cutoff"]))
        for model in models:
            paths += plots.plot_waterfall(rows, outcome, model, cohort_col, cutoffs[model],
                                          fig_dir / f"waterfall_{plots.safe_name(model)}",
                                          cohorts=cohort_names if cohort_col else None)
        _echo(paths)


@click.command("fit")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column coded 0/1.")
@click.option("--predictors", required=True, help="Predictor columns, comma separated.")
@click.option("--name", default="model", show_default=True, help="The model's name (e.g. PVP_DLRRN).")
@click.option("--stepwise", type=click.Choice(["none", "fastbw", "aic"]), default="none", show_default=True,
              help="Backward selection: rms::fastbw, or stats::step by AIC.")
@click.option("--fastbw-rule", type=click.Choice(["aic", "p"]), default="aic", show_default=True,
              help="rms::fastbw stopping rule.")
@click.option("--sls", type=float, default=0.05, show_default=True, help="fastbw's P to stay (rule p).")
@click.option("--cohort-col", default=None, help="Cohort column; the model is fitted on --train-cohort only.")
@click.option("--train-cohort", default=None, help="The training cohort.")
@click.option("--id-col", default=None, help="Patient id column copied to the scores file.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("fit"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table 3 formats among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--prob-axis", default=None,
              help="Probabilities marked on the nomogram's risk axis, comma separated (default 0.05,0.1,...,0.95).")
@click.option("--risk-label", default="Probability", show_default=True, help="Label of the nomogram's risk axis.")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the nomogram figure.")
def fit_command(csv, outcome, predictors, name, stepwise, fastbw_rule, sls, cohort_col, train_cohort, id_col,
                out, formats, prob_axis, risk_label, figures):
    """Logistic model by rms::lrm on the training cohort: Table 3 (beta, OR with Wald 95% CI, P), optional
    backward selection, the nomogram (figure and points table), and lp and probability for every patient."""
    from . import models as mdl
    from . import nomogram as nom

    formats = _formats(formats)
    data = require_rows(read_csv(csv, "patient table"), csv, "patient table")
    terms = _split(predictors)
    try:
        fun_at = [float(v) for v in _split(prob_axis)] or nom.DEFAULT_FUN_AT
    except ValueError:
        raise InputError(f"--prob-axis {prob_axis!r} is not a list of numbers", "e.g. --prob-axis 0.1,0.5,0.9",
                         model=name) from None
    if any(not 0 < v < 1 for v in fun_at):  # checked before any work, not after Table 3 is written
        raise InputError(f"--prob-axis values {fun_at} must lie strictly between 0 and 1",
                         "e.g. --prob-axis 0.1,0.5,0.9", model=name)
    if cohort_col and not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col", "name the cohort to fit the model on")
    if cohort_col is not None and cohort_col not in data.columns:
        raise InputError(f"cohort column {cohort_col!r} not found", f"available columns: "
                         f"{', '.join(map(str, data.columns))}", column=cohort_col)
    if id_col is not None and id_col not in data.columns:
        raise InputError(f"id column {id_col!r} not found", "give an existing column or leave --id-col out",
                         column=id_col)
    labels = data[cohort_col].astype(str) if cohort_col else pd.Series(train_cohort or "all", index=data.index)
    train_name = str(train_cohort) if train_cohort else "all"
    train = data[labels == train_name]
    if train.empty:
        raise InputError(f"training cohort {train_name!r} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(dict.fromkeys(labels))}", cohort=train_name, column=cohort_col)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    settings = {"outcome": outcome, "predictors": terms, "name": name, "cohort_col": cohort_col,
                "train_cohort": train_name, "fit": "rms::lrm(x=TRUE, y=TRUE)", "stepwise": stepwise}
    try:
        model, step = _fit_model(mdl, train, outcome, terms, stepwise, fastbw_rule, sls, name, train_name)
    except RError as exc:  # R's message kept; say which model and cohort, and what to check
        raise RError(exc.r_function, exc.r_message, "check the training cohort's size and the predictors (constant, "
                     "collinear or separating ones) of this model", model=name, cohort=train_name) from None
    if step is not None:
        settings["stepwise_settings"] = step.settings
        settings["kept"] = step.kept
        written.append(write_csv(out / "stepwise.csv", step.record))
        if step.model is None:
            raise InputError(f"backward selection ({stepwise}) removed every predictor",
                             "fit the model without --stepwise" + (", or use a more lenient rule (e.g. --fastbw-rule "
                                                                   "p --sls 0.2)" if stepwise == "fastbw" else ""),
                             model=name, cohort=train_name)
    t3 = mdl.table3(model)
    written.append(write_csv(out / "table3_tidy.csv", t3))
    written += write_table(mdl.format_table3(t3), out / "table3", formats, title="Table 3",
                           note=f"Logistic regression (rms::lrm) on the {train_name} cohort, n = {model.n}, "
                                f"{model.events} events; OR with Wald 95% CI.")
    # Score every patient, cohort by cohort, so that an error names the cohort.
    frames = []
    for cohort in dict.fromkeys(labels):
        rows = data[labels == cohort]
        try:
            lp = model.predict(rows, type="lp").to_numpy()
        except InputError as exc:
            raise InputError(exc.problem, exc.fix, column=exc.column, model=name, cohort=cohort) from None
        frame = pd.DataFrame({"cohort": cohort, outcome: rows[outcome].to_numpy(),
                              f"{name}_lp": lp, f"{name}_prob": 1.0 / (1.0 + np.exp(-lp))})
        if id_col:
            frame.insert(0, id_col, rows[id_col].to_numpy())
        frames.append(frame)
    written.append(write_csv(out / "scores.csv", pd.concat(frames, ignore_index=True)))
    nomo = nom.nomogram(model, fun_at=fun_at, funlabel=risk_label)
    written.append(write_csv(out / "nomogram_points.csv", nomo.points))
    settings["nomogram"] = nomo.settings
    write_provenance(out / "table3_tidy.csv", "fit", settings, inputs=[csv],
                     extra={"outputs": [p.name for p in written], "model_stats": model.stats})
    _echo(written)
    if figures:
        _echo(nom.plot_nomogram(nomo, out / "figures" / "nomogram", title=name))


def _fit_model(mdl, train, outcome, terms, stepwise, fastbw_rule, sls, name, train_name):
    """(model, stepwise result or None): rms::lrm on the training rows, after backward selection if asked."""
    if stepwise == "none":
        return mdl.fit_logistic(train, outcome, terms, name=name, cohort=train_name), None
    step = mdl.backward_stepwise(train, outcome, terms, method=stepwise, rule=fastbw_rule, sls=sls, name=name)
    return step.model, step


COMMANDS = [roc_command, fit_command]
