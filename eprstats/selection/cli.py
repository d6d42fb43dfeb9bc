"""``eprstats select`` (preprocessing, mRMR, LASSO, logistic signature: Supplementary Table S2 and Figure S1)
and ``eprstats icc`` (per-feature ICC between readers or repeats).

Each command checks its options, reads the CSVs (patient ids as text, exactly as written), calls the analysis
(:func:`~.signature.build_signature`, :func:`~.icc.icc`) and writes the result through
:class:`~eprstats.reporting.writer.StagedOutput`: the same files as the study's ``signatures`` and ``icc``
stages write for the same table.
"""
from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..clitools import echo_written as _echo, event_option, parse_formats as _formats, require_rows
from ..clitools import split_list as _split
from ..errors import InputError
from ..fileio import read_csv, write_text
from ..reporting.provenance import write_provenance
from ..reporting.formats import FORMATS
from ..reporting.writer import StagedOutput, check_out_folder

if TYPE_CHECKING:
    import pandas as pd


def read_with_ids(path: Path, what: str, id_col: str) -> pd.DataFrame:
    """The CSV with the id column as text exactly as written (``00001``, ``1.0``, ``NA``, ``null`` stay so;
    an empty cell stays empty, for :func:`eprstats.validation.id_labels` to refuse)."""
    return read_csv(path, what, text_columns=[id_col])


def _features(data: pd.DataFrame, given: str | None, exclude: set) -> list[str]:
    if given:
        text = given[1:] if given.startswith("@") else None
        if text is not None and not Path(text).is_file():
            raise InputError("the --features list file does not exist", "give @FILE with one feature name per "
                             "line, or the names themselves separated by commas", file=text)
        try:
            names = ([ln.strip() for ln in Path(text).read_text(encoding="utf-8").splitlines() if ln.strip()]
                     if text else _split(given))
        except UnicodeDecodeError:
            raise InputError("the --features list file is not UTF-8", "re-save it as UTF-8 text",
                             file=text) from None
        missing = [f for f in names if f not in data.columns]
        if missing:
            raise InputError(f"{len(missing)} feature column(s) not found: {', '.join(missing[:8])}",
                             "check --features against the table's header", column=missing[0])
        return names
    import pandas as pd

    names = [c for c in data.columns if c not in exclude and pd.api.types.is_numeric_dtype(data[c])]
    if not names:
        raise InputError("the table has no numeric feature column", "give --features")
    return names


@click.command("select")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--id", "id_col", required=True, help="Patient id column.")
@click.option("--cohort-col", default=None, help="Cohort column; selection uses --train-cohort only.")
@click.option("--train-cohort", default=None, help="The training cohort (all other cohorts are only scored).")
@click.option("--features", default=None,
              help="Feature columns, comma separated, or @FILE with one per line (default: every numeric "
                   "column except id, outcome and cohort).")
@click.option("--exclude", default=None, help="Numeric columns that are not features, comma separated "
                                              "(with --slices a 'slice' column is excluded by default).")
@click.option("--seed", type=int, required=True, help="Seed for the LASSO fold ids (recorded).")
@click.option("--name", default="signature", show_default=True, help="The signature's name (e.g. PVP).")
@click.option("--k", "k_mrmr", type=int, default=30, show_default=True,
              help="Features kept by mRMR before LASSO (the paper gives none; see the docs).")
@click.option("--criterion", type=click.Choice(["MID", "MIQ"]), default="MID", show_default=True,
              help="mRMR criterion: difference or quotient.")
@click.option("--lambda-rule", type=click.Choice(["lambda.min", "lambda.1se"]), default="lambda.min",
              show_default=True, help="The LASSO lambda whose non-zero features are selected.")
@click.option("--nfolds", type=int, default=10, show_default=True, help="LASSO cross-validation folds.")
@click.option("--stratified/--unstratified", default=True, show_default=True,
              help="Stratify the LASSO folds by outcome.")
@click.option("--outlier-rule", default="3sd", show_default=True,
              help="Outliers beyond training mean +/- N SD ('3sd', '2.5sd', 'none') -> training median.")
@click.option("--missing", type=click.Choice(["error", "median"]), default="error", show_default=True,
              help="Missing feature values: an error, or the training median.")
@click.option("--slices", is_flag=True, default=False,
              help="Rows are tumour slices of the patient in --id (deep features): the patient's score is "
                   "the logit of the mean slice probability.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("select"), show_default=True,
              help="Output folder.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Table S2 formats among {', '.join(FORMATS)} (CSV is always written).")
@click.option("--figures/--no-figures", default=True, show_default=True, help="Write Figure S1.")
def select_command(table, outcome, event, id_col, cohort_col, train_cohort, features, exclude, seed, name, k_mrmr,
                   criterion, lambda_rule, nfolds, stratified, outlier_rule, missing, slices, out, formats, figures):
    """Build a signature on the training cohort (preprocessing, mRMR, LASSO by cv.glmnet, logistic
    regression) and score every patient: Table S2, scores, LASSO path and CV curve (Figure S1)."""
    from .signature import build_signature, check_ids

    formats = _formats(formats)
    out = check_out_folder(out)
    if cohort_col and not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col", "name the cohort to select features on")
    data = require_rows(read_with_ids(table, "feature table", id_col), table, "feature table")
    for col, opt in ((outcome, "--outcome"), (id_col, "--id"), (cohort_col, "--cohort-col")):
        if col is not None and col not in data.columns:
            raise InputError(f"column {col!r} ({opt}) not found", f"available columns start with "
                             f"{', '.join(map(str, data.columns[:8]))}", file=str(table), column=col)
    check_ids(data, id_col, slices=slices, file=str(table))
    from ..validation import split_cohorts, with_event

    data = with_event(data, outcome, event, file=str(table))  # the one event rule: 0/1, or --event named

    train_name, train = split_cohorts(data, cohort_col, train_cohort if cohort_col else "all", require_train=True,
                                      id_col=id_col, file=str(table))[0]
    feats = _features(data, features, {outcome, id_col, cohort_col, *_split(exclude),
                                       *(["slice"] if slices else [])})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sig = build_signature(train, feats, outcome, seed, name=name, k_mrmr=k_mrmr, lambda_rule=lambda_rule,
                              patient_col=id_col if slices else None, outlier_rule=outlier_rule, missing=missing,
                              criterion=criterion, nfolds=nfolds, stratified=stratified, train_cohort=train_name,
                              id_col=id_col)
    for w in caught:
        warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    # A cohort that cannot be scored fails the run, but the signature fitted on training is kept, whole,
    # without scores.csv and provenance, so that the folder does not look like a finished run.
    try:
        sig, failure = sig.scored(data, cohort_col=cohort_col, train_cohort=train_name, id_col=id_col), None
    except InputError as exc:
        failure = exc
    with StagedOutput(out, "select") as stage:
        written = sig.write(stage.path, formats, figures=figures)
        if failure is None:
            settings = dict(sig.settings, cohort_col=cohort_col, train_cohort=train_name, id_col=id_col,
                            n_features_given=len(feats))
            outputs = [str(Path(p).relative_to(stage.path)) for p in written]
            written.append(write_provenance(stage.path / "signature_coefficients.csv", "select", settings,
                                            seed=seed, inputs=[table], extra={"outputs": outputs}))
    _echo(stage.final(written))
    if failure is not None:
        raise failure


@click.command("icc")
@click.argument("tables", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--id", "id_col", required=True, help="Patient id column, the same in every table.")
@click.option("--type", "icc_type", default="ICC(A,1)", show_default=True,
              help="ICC form: ICC(1,1), ICC(A,1) [= Shrout-Fleiss ICC(2,1)], ICC(C,1) [= ICC(3,1)], "
                   "ICC(1,k), ICC(A,k), ICC(C,k).")
@click.option("--features", default=None, help="Feature columns, comma separated (default: every common "
                                               "numeric column).")
@click.option("--threshold", type=float, default=None,
              help="Also write OUT.kept.txt with the features whose ICC exceeds this value.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Output CSV file.")
def icc_command(tables, id_col, icc_type, features, threshold, out):
    """Per-feature ICC with 95% CI between feature tables of two or more readers or repeats (same ids and
    columns): two-way ANOVA mean squares (McGraw & Wong 1996), computed by eprstats (equal to
    pingouin.intraclass_corr, which is not needed). Writes OUT.csv; with --threshold also OUT.kept.txt,
    OUT_dropped.csv and OUT_summary.csv."""
    from .icc import icc

    out = Path(out)
    check_out_folder(out.parent)
    if len(tables) < 2:
        raise InputError("ICC needs at least two feature tables", "give one CSV per reader or repeat")
    stems = [p.stem for p in tables]
    keys = stems if len(set(stems)) == len(stems) else [str(p) for p in tables]
    if len(set(keys)) != len(keys):
        raise InputError("the same table is given twice", "give each reader's table once")
    ratings = {k: read_with_ids(p, "feature table", id_col) for k, p in zip(keys, tables)}
    result = replace(icc(ratings, id_col=id_col, icc_type=icc_type, features=_split(features) or None,
                         threshold=threshold), name=out.stem)
    with StagedOutput(out.parent, "icc" if out.stem == "icc" else f"icc-{out.stem}") as stage:
        written = result.write(stage.path)
        if result.kept is not None:
            written.append(write_text(stage.path / f"{out.stem}.kept.txt", "".join(f"{f}\n" for f in result.kept)))
        outputs = [str(Path(p).relative_to(stage.path)) for p in written]
        written.append(write_provenance(stage.path / f"{out.stem}.csv", "icc", dict(result.settings, readings=keys),
                                        inputs=list(tables), extra={"outputs": outputs}))
    _echo(stage.final(written))


COMMANDS = [select_command, icc_command]
