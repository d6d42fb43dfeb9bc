"""``eprstats roc`` (Table 2, DeLong tests, ROC and distribution figures) and ``eprstats fit`` (logistic
model, Table 3, nomogram, scores for every patient).

Each command checks its options, reads the CSV, calls the analysis (:func:`~.discrimination.discrimination`,
:func:`~.models.fit_model`) and writes its result with :meth:`~eprstats.results.Result.write` into ``--out``
through :class:`~eprstats.reporting.writer.StagedOutput`: all files of a run or none of them. The study's
``table2`` and ``table3`` stages write the same result objects, so the file names and bytes are the same.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..clitools import echo_written as _echo, event_option, parse_formats as _formats, require_rows
from ..clitools import COMMA_NOTE, RenamedOption, split_list as _split
from ..errors import EprstatsError, InputError
from ..fileio import read_csv
from ..reporting.formats import FORMATS
from ..reporting.writer import check_out_folder, keep_partial, write_result


def _labels(text: str | None) -> dict[str, str]:
    """``"training=Training,external=External validation"`` -> {cohort: label}."""
    labels = {}
    for item in _split(text):
        cohort, sep, label = item.partition("=")
        if not sep or not cohort.strip() or not label.strip():
            raise InputError(f"--cohort-labels item {item!r} is not COHORT=LABEL",
                             "e.g. --cohort-labels 'training=Training,external=External validation'")
        labels[cohort.strip()] = label.strip()
    return labels


def _ci_method(ci_method: str | None, bootstrap_ci: int | None) -> str:
    """--ci-method, with --bootstrap-ci B implying ``bootstrap`` and refused beside another method."""
    if bootstrap_ci is not None and ci_method not in (None, "bootstrap"):
        raise InputError(f"--bootstrap-ci {bootstrap_ci} sets the resamples of the bootstrap CIs, but --ci-method is "
                         f"{ci_method}", "leave out --bootstrap-ci, or use --ci-method bootstrap")
    if ci_method is None:
        return "bootstrap" if bootstrap_ci is not None else "clopper-pearson"
    return ci_method


def _read(csv: Path, what: str, text_columns=()):
    """The CSV, with ``text_columns`` (patient ids) read as text so that ``00001`` stays ``00001``."""
    return require_rows(read_csv(csv, what, text_columns=list(text_columns)), csv, what)


@click.command("roc")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--models", "--scores", "scores", cls=RenamedOption, former=("--scores",), required=True,
              help="Score (model) columns, comma separated (formerly --scores)" + COMMA_NOTE)
@click.option("--cohort-col", default=None, help="Cohort column (training / external ...).")
@click.option("--train-cohort", default=None,
              help="The cohort that fixes each model's ROC direction and Youden cut-off.")
@click.option("--cohorts", default=None, help="Cohort order, comma separated (default: training first).")
@click.option("--cohort-labels", default=None,
              help="Cohort names in Table 2's headers, e.g. 'training=Training,external=External validation'.")
@click.option("--conf-level", type=float, default=0.95, show_default=True,
              help="Level of the DeLong CI and of the CIs of sensitivity ... accuracy.")
@click.option("--ci-method", type=click.Choice(["clopper-pearson", "wilson", "bootstrap"]), default=None,
              help="CIs of sensitivity, specificity, PPV, NPV, accuracy: exact Clopper-Pearson (default), Wilson "
                   "score, or pROC's bootstrap ci.coords (implied by --bootstrap-ci).")
@click.option("--bootstrap-ci", "bootstrap_ci", type=int, default=None,
              help="Bootstrap resamples B of pROC::ci.coords (--ci-method bootstrap; default 2000).")
@click.option("--optimism-boot-n", "--optimism-B", "optimism_B", cls=RenamedOption, former=("--optimism-B",), type=int,
              default=None,
              help="Add each model's optimism-corrected training AUC (Harrell's bootstrap, rms::validate of its "
                   "logistic recalibration, B resamples) to roc.csv and Table 2.")
@click.option("--seed", type=int, default=None,
              help="Seed of the bootstrap CIs and of --optimism-boot-n (default 1234; recorded).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("roc"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Formats of Table 2 and the DeLong tables among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the figures.")
def roc_command(csv, outcome, event, scores, cohort_col, train_cohort, cohorts, cohort_labels, conf_level, ci_method,
                bootstrap_ci, optimism_B, seed, out, formats, figures):
    """AUC with DeLong CI and performance at the training Youden cut-off (Table 2), the 2x2 counts with CIs of
    sensitivity, specificity, PPV, NPV and accuracy, paired DeLong tests between models (with the AUC
    difference and its CI), unpaired DeLong tests between cohorts, ROC and score-distribution figures."""
    from .discrimination import discrimination

    formats = _formats(formats)
    out = check_out_folder(out)
    labels = _labels(cohort_labels)
    if cohort_col and not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col",
                         "name the cohort that fixes the ROC direction and the Youden cut-off")
    ci_method = _ci_method(ci_method, bootstrap_ci)
    data = _read(csv, "score table")
    result = discrimination(data, outcome, _split(scores), cohort_col, train_cohort, cohorts=_split(cohorts) or None,
                            conf_level=conf_level, cohort_labels=labels, ci_method=ci_method, boot_n=bootstrap_ci,
                            seed=seed, optimism_boot_n=optimism_B, event=event)
    files, prov = write_result(result, out, "roc", formats, figures=figures, beside="roc.csv", inputs=[csv])
    _echo([*files, prov])


@click.command("fit")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--predictors", required=True, help="Predictor columns, comma separated" + COMMA_NOTE)
@click.option("--name", default="model", show_default=True, help="The model's name (e.g. PVP_DLRRN).")
@click.option("--stepwise", type=click.Choice(["none", "fastbw", "aic", "spss-bwald", "spss-blr", "spss-bcond",
                                               "spss-bstep", "spss-fwald", "spss-flr", "spss-fcond", "spss-fstep",
                                               "spss-enter"]),
              default="none", show_default=True,
              help="Selection: rms::fastbw, stats::step by AIC, or SPSS's LOGISTIC REGRESSION stepwise methods "
                   "(spss-bwald/-blr/-bcond = METHOD=BSTEP(WALD/LR/COND), spss-fwald/-flr/-fcond = FSTEP(...), "
                   "spss-bstep/-fstep = SPSS's bare BSTEP/FSTEP, i.e. COND) with SPSS's PIN(0.05) POUT(0.10): "
                   "adds SPSS's step history, Variables in the Equation (table3_spss), Model Summary and "
                   "Classification Table; spss-enter = METHOD=ENTER, the plain fit with SPSS's tables.")
@click.option("--iterate", type=int, default=20, show_default=True,
              help="SPSS methods: CRITERIA ITERATE, the most Newton-Raphson iterations.")
@click.option("--bcon", type=float, default=0.001, show_default=True,
              help="SPSS methods: CRITERIA BCON, stop when every estimate changed by less than this.")
@click.option("--lcon", type=float, default=0.0, show_default=True,
              help="SPSS methods: CRITERIA LCON, stop when the log likelihood changed by less than this "
                   "(relative; 0 = not used).")
@click.option("--eps", type=float, default=1e-8, show_default=True,
              help="SPSS methods: CRITERIA EPS, the tolerance below which a predictor is redundant.")
@click.option("--spss-estimation", type=click.Choice(["spss", "ml"]), default="spss", show_default=True,
              help="SPSS methods: spss = SPSS's own iteration (what SPSS prints), ml = the converged maximum.")
@click.option("--print-iter/--no-print-iter", default=False, show_default=True,
              help="SPSS methods: add the Iteration History (SPSS's /PRINT=ITER(1)).")
@click.option("--fastbw-rule", type=click.Choice(["aic", "p"]), default="aic", show_default=True,
              help="rms::fastbw stopping rule.")
@click.option("--sls", type=float, default=0.05, show_default=True, help="fastbw's P to stay (rule p).")
@click.option("--cohort-col", default=None, help="Cohort column; the model is fitted on --train-cohort only.")
@click.option("--train-cohort", default=None, help="The training cohort.")
@click.option("--id-col", default=None, help="Patient id column copied (as text) to the scores file.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("fit"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table 3 formats among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--prob-axis", default=None,
              help="Probabilities marked on the nomogram's risk axis, comma separated (default 0.05,0.1,...,0.95).")
@click.option("--risk-label", default="Probability", show_default=True, help="Label of the nomogram's risk axis.")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write the nomogram figure.")
def fit_command(csv, outcome, event, predictors, name, stepwise, iterate, bcon, lcon, eps, spss_estimation, print_iter,
                fastbw_rule, sls, cohort_col, train_cohort, id_col, out, formats, prob_axis, risk_label, figures):
    """Logistic model by rms::lrm on the training cohort: Table 3 (beta, OR with Wald 95% CI, P), optional
    backward selection, the nomogram (figure and points table), and lp and probability for every patient."""
    from .models import DEFAULT_FUN_AT, fit_model
    from .nomogram import check_fun_at

    formats = _formats(formats)
    out = check_out_folder(out)
    fun_at = check_fun_at(_split(prob_axis), name, option="--prob-axis") if _split(prob_axis) else DEFAULT_FUN_AT
    if cohort_col and not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col", "name the cohort to fit the model on")
    data = _read(csv, "patient table", [id_col] if id_col else ())
    try:
        result = fit_model(data, outcome, _split(predictors), name=name, cohort_col=cohort_col,
                           train_cohort=train_cohort, stepwise=stepwise, fastbw_rule=fastbw_rule, sls=sls,
                           id_col=id_col, fun_at=fun_at, funlabel=risk_label, iterate=iterate, bcon=bcon, lcon=lcon,
                           eps=eps, spss_estimation=spss_estimation, print_iter=print_iter, event=event)
    except EprstatsError as exc:  # the training fit or the selection record is finished work: keep it
        keep_partial(exc, out, "fit", formats)
        raise
    files, prov = write_result(result, out, "fit", formats, figures=figures, beside="table3_numeric.csv",
                               inputs=[csv], extra={"model_stats": result.model.stats})
    _echo([*files, prov])


COMMANDS = [roc_command, fit_command]
