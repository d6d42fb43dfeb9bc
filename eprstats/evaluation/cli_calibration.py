"""``eprstats calibration`` (rms calibrate/validate/val.prob, Hosmer-Lemeshow), ``eprstats nri`` (NRI and
IDI) and ``eprstats dca`` (decision curves): CSV in; CSV, formatted tables, figures and provenance out.

Each command parses its options, calls the analysis function (:func:`~eprstats.evaluation.calibration.calibrate`,
:func:`~eprstats.evaluation.reclassification.reclassification`,
:func:`~eprstats.evaluation.decision_curves.decision_curve`) and writes the result through a staged output
folder, so that the files are those the study's stages write, and a failed run leaves the previous output as it
was."""
from __future__ import annotations

from pathlib import Path

import click

from ..clitools import echo_written as _echo, event_option, parse_formats as _formats, require_rows
from ..clitools import COMMA_NOTE, RenamedOption, split_list as _split
from ..errors import InputError
from ..fileio import read_csv
from ..reporting.formats import FORMATS
from ..reporting.writer import check_out_folder, write_result


def _float_list(text: str | None, what: str) -> list[float] | None:
    if not text:
        return None
    try:
        return [float(v) for v in _split(text)]
    except ValueError:
        raise InputError(f"{what} {text!r} are not numbers", "give comma-separated numbers, e.g. 0.3,0.6") from None


def _model_specs(predictors: str | None, name: str, specs: tuple[str, ...],
                 probabilities: str | None = None) -> dict[str, list[str]]:
    """Models from --predictors (one model called --name), repeated --model NAME=a+b, or --probabilities."""
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
    if probabilities and models:
        raise InputError("--probabilities cannot be combined with --predictors or --model",
                         "calibrate predicted probabilities and predictor models in separate runs")
    if probabilities:
        models = {c: [c] for c in _split(probabilities)}
    if not models:
        raise InputError("no model given", "use --predictors a,b, --model NAME=a+b (repeatable) or --probabilities")
    return models


@click.command("calibration")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--predictors", default=None,
              help="Predictor columns of one logistic model, comma separated" + COMMA_NOTE)
@click.option("--name", default="model", show_default=True, help="Name of the --predictors model.")
@click.option("--model", "model_specs", multiple=True,
              help="Another model as NAME=col1+col2 (repeatable), e.g. PVP_DLRRN=PVP+PVP_DLR+AFP.")
@click.option("--probabilities", default=None,
              help="Predicted-probability columns, comma separated: each is calibrated as its own model on the "
                   "logit scale (logistic recalibration), as the study's calibration stage does.")
@click.option("--cohort-col", default=None, help="Cohort column; the models are fitted on --train-cohort only.")
@click.option("--train-cohort", default=None, help="The training cohort.")
@click.option("--boot-n", "--B", "B", cls=RenamedOption, former=("--B",), type=int, default=1000, show_default=True,
              help="Bootstrap resamples (rms::calibrate, rms::validate; formerly --B).")
@click.option("--seed", type=int, default=1234, show_default=True,
              help="Seed set in R before each bootstrap (the same for every model).")
@click.option("--groups", "g", type=int, default=10, show_default=True, help="Hosmer-Lemeshow groups.")
@click.option("--hl-grouping", type=click.Choice(("quantile", "spss")), default="quantile", show_default=True,
              help="Hosmer-Lemeshow grouping: quantile (groups at the type-7 quantiles, ResourceSelection's rule) or "
                   "spss (SPSS's deciles of risk, tied probabilities kept in one group; writes the contingency "
                   "table hosmer_lemeshow.csv).")
@click.option("--hl-external-df", type=click.Choice(("g-2", "g")), default="g-2", show_default=True,
              help="Hosmer-Lemeshow degrees of freedom on the cohorts other than training: groups - 2 (as on "
                   "training) or groups (Hosmer, Lemeshow & Sturdivant's rule for external validation).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("calibration"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table formats among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the calibration figures.")
def calibration_command(csv, outcome, event, predictors, name, model_specs, probabilities, cohort_col, train_cohort, B,
                        seed, g, hl_grouping, hl_external_df, out, formats, figures):
    """Bootstrap calibration curves (rms::calibrate) and optimism-corrected indexes (rms::validate) of rms::lrm
    models fitted on the training cohort; rms::val.prob statistics and the Hosmer-Lemeshow test on every
    cohort; calibration figures (the paper's Figure 6b)."""
    from .calibration import calibrate

    formats = _formats(formats)
    check_out_folder(out)
    models = _model_specs(predictors, name, model_specs, probabilities)
    data = require_rows(read_csv(csv, "patient table"), csv, "patient table")
    result = calibrate(data, outcome, models, cohort_col=cohort_col, train_cohort=train_cohort if cohort_col else None,
                       boot_n=B, seed=seed, g=g, probabilities=bool(probabilities), hl_grouping=hl_grouping,
                       hl_external_df=hl_external_df, event=event)
    files, prov = write_result(result, out, "calibration", formats, figures=figures, beside="calibration_curve.csv",
                               seed=seed, inputs=[csv])
    _echo([*files, prov])


@click.command("nri")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--old", "old", required=True,
              help="Predicted-probability column of the old (reference) model; several, comma separated, are each "
                   "compared with --new" + COMMA_NOTE)
@click.option("--new", "new", required=True, help="Predicted-probability column of the new model.")
@click.option("--cutoffs", default=None, help="Risk cut-offs for the categorical NRI, e.g. 0.3,0.6.")
@click.option("--cohort-col", default=None, help="Cohort column: one analysis per cohort.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("nri"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table formats among {', '.join(FORMATS)} (CSV is always written).")
def nri_command(csv, outcome, event, old, new, cutoffs, cohort_col, out, formats):
    """Categorical NRI (with --cutoffs), continuous NRI and IDI of --new over --old, with SE, z, P and 95% CI
    (PredictABEL's layout), and the reclassification table."""
    from .reclassification import reclassification

    formats = _formats(formats)
    check_out_folder(out)
    cuts = _float_list(cutoffs, "cut-offs")
    data = require_rows(read_csv(csv, "probability table"), csv, "probability table")
    result = reclassification(data, outcome, _split(old), new, cohort_col=cohort_col, cutoffs=cuts, event=event)
    files, prov = write_result(result, out, "nri", formats, figures=False, beside="nri_idi.csv", inputs=[csv])
    _echo([*files, prov])


def _grid(thresholds: str | None):
    """--thresholds start,stop,step as the grid of threshold probabilities (None: the default grid)."""
    import numpy as np

    if not thresholds:
        return None
    spec = _float_list(thresholds, "thresholds")
    if len(spec) != 3 or spec[2] <= 0:
        raise InputError(f"--thresholds {thresholds!r} must be start,stop,step", "e.g. 0.01,0.99,0.01")
    if spec[1] < spec[0]:  # the values may all lie in (0, 1): the order is what is wrong
        raise InputError(f"--thresholds {thresholds!r}: the start {spec[0]:g} is above the stop {spec[1]:g} (the "
                         "option is start,stop,step, an increasing grid)",
                         f"give e.g. --thresholds {spec[1]:g},{spec[0]:g},{spec[2]:g}")
    if spec[2] > spec[1] - spec[0] and spec[1] > spec[0]:
        raise InputError(f"--thresholds {thresholds!r}: the step {spec[2]:g} is larger than the range "
                         f"{spec[0]:g} to {spec[1]:g} (the option is start,stop,step)", "e.g. 0.01,0.99,0.01")
    count = int(round((spec[1] - spec[0]) / spec[2])) + 1
    return np.round(spec[0] + spec[2] * np.arange(count), 10)


@click.command("dca")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--models", required=True, help="Predicted-probability columns, comma separated" + COMMA_NOTE)
@click.option("--cohort-col", default=None, help="Cohort column: one set of curves per cohort.")
@click.option("--thresholds", default=None, help="Threshold grid as start,stop,step (default 0.01,0.99,0.01).")
@click.option("--boot-n", "--bootstrap", "bootstrap", cls=RenamedOption, former=("--bootstrap",), type=int, default=0,
              show_default=True, help="Bootstrap resamples for CIs (0: none; formerly --bootstrap).")
@click.option("--seed", type=int, default=1234, show_default=True, help="Bootstrap seed (cohort i uses seed + i).")
@click.option("--standardized/--no-standardized", default=False, show_default=True,
              help="Also report the standardized net benefit (NB / prevalence).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("dca"), show_default=True,
              help="Output folder.")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the decision curve figures.")
def dca_command(csv, outcome, event, models, cohort_col, thresholds, bootstrap, seed, standardized, out, figures):
    """Net benefit of each model, treat all and treat none over a threshold grid, per cohort, with optional
    bootstrap CIs (decision curve analysis, Vickers & Elkin 2006)."""
    from .decision_curves import decision_curve

    check_out_folder(out)
    data = require_rows(read_csv(csv, "probability table"), csv, "probability table")
    result = decision_curve(data, outcome, _split(models), cohort_col=cohort_col, thresholds=_grid(thresholds),
                            boot_n=bootstrap, seed=seed if bootstrap else None, standardized=standardized,
                            event=event)
    files, prov = write_result(result, out, "dca", ("csv",), figures=figures, beside="decision_curves.csv",
                               seed=seed if bootstrap else None, inputs=[csv])
    _echo([*files, prov])


COMMANDS = [calibration_command, nri_command, dca_command]
