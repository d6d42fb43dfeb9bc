"""``eprstats select`` (preprocessing, mRMR, LASSO, logistic signature: Supplementary Table S2 and Figure S1)
and ``eprstats icc`` (per-feature ICC between readers or repeats)."""
from __future__ import annotations

import warnings
from pathlib import Path

import click
import pandas as pd

from ..errors import InputError, RError
from ..fileio import read_csv, write_csv, write_text
from ..reporting.provenance import write_provenance
from ..reporting.tables import FORMATS, write_table


from ..clitools import echo_written as _echo, parse_formats as _formats, require_rows, split_list as _split


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
    names = [c for c in data.columns if c not in exclude and pd.api.types.is_numeric_dtype(data[c])]
    if not names:
        raise InputError("the table has no numeric feature column", "give --features")
    return names


@click.command("select")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column coded 0/1.")
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
def select_command(table, outcome, id_col, cohort_col, train_cohort, features, exclude, seed, name, k_mrmr, criterion,
                   lambda_rule, nfolds, stratified, outlier_rule, missing, slices, out, formats, figures):
    """Build a signature on the training cohort (preprocessing, mRMR, LASSO by cv.glmnet, logistic
    regression) and score every patient: Table S2, scores, LASSO path and CV curve (Figure S1)."""
    from . import plots
    from .signature import build_signature

    formats = _formats(formats)
    data = require_rows(read_csv(table, "feature table"), table, "feature table")
    for col, opt in ((outcome, "--outcome"), (id_col, "--id"), (cohort_col, "--cohort-col")):
        if col is not None and col not in data.columns:
            raise InputError(f"column {col!r} ({opt}) not found", f"available columns start with "
                             f"{', '.join(map(str, data.columns[:8]))}", file=str(table), column=col)
    if cohort_col and not train_cohort:
        raise InputError("--train-cohort is required with --cohort-col", "name the cohort to select features on")
    labels = data[cohort_col].astype(str) if cohort_col else pd.Series("all", index=data.index)
    train_name = str(train_cohort) if cohort_col else "all"
    train = data[labels == train_name]
    if train.empty:
        raise InputError(f"training cohort {train_name!r} not found in column {cohort_col!r}",
                         f"cohorts present: {', '.join(dict.fromkeys(labels))}", cohort=train_name,
                         column=cohort_col)
    if not slices and data[id_col].duplicated().any():
        dup = data[id_col][data[id_col].duplicated()].astype(str).iloc[0]
        raise InputError(f"id {dup!r} appears more than once", "one row per patient, or give --slices for "
                         "slice-level (deep) features", patient=dup, column=id_col, file=str(table))
    feats = _features(data, features, {outcome, id_col, cohort_col, *_split(exclude),
                                       *(["slice"] if slices else [])})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            sig = build_signature(train, feats, outcome, seed, name=name, k_mrmr=k_mrmr, lambda_rule=lambda_rule,
                                  patient_col=id_col if slices else None, outlier_rule=outlier_rule,
                                  missing=missing, criterion=criterion, nfolds=nfolds, stratified=stratified,
                                  cohort=train_name)
        except RError as exc:  # R's message kept; name the signature and cohort, say what to check
            raise RError(exc.r_function, exc.r_message, "check the training cohort's size and events, and the "
                         "features (constant or duplicated ones); fewer folds (--nfolds) or a smaller --k may help",
                         model=name, cohort=train_name) from None
    for w in caught:
        warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    coef = sig.coefficients.copy()
    written += write_table(coef, out / "signature_coefficients", formats, title=f"Table S2: {name}",
                           note=f"Logistic regression (stats::glm) on the {len(sig.features)} features kept by "
                                f"LASSO ({lambda_rule}); rad-score = linear predictor.")
    written.append(write_csv(out / "glm_table.csv", sig.glm_table))
    written.append(write_csv(out / "lasso_coefficients.csv", sig.lasso.coefficients))
    written.append(write_csv(out / "lasso_path.csv", sig.lasso.path))
    written.append(write_csv(out / "lasso_cv.csv", sig.lasso.cv_curve))
    written.append(write_csv(out / "mrmr_ranking.csv", sig.ranking))
    written.append(write_csv(out / "preprocessing.csv", sig.preprocessor.summary()))
    written.append(write_csv(out / "dropped_features.csv", sig.preprocessor.dropped))
    frames = []
    for cohort in dict.fromkeys(labels):
        rows = data[labels == cohort]
        try:
            score = sig.score(rows, cohort=cohort)
        except InputError as exc:
            raise InputError(exc.problem, exc.fix, column=exc.column, model=name, cohort=cohort) from None
        if slices:
            first = rows.groupby(rows[id_col].astype(str), sort=False)[outcome].first()
            frame = pd.DataFrame({id_col: score.index, "cohort": cohort,
                                  outcome: first.loc[score.index].to_numpy(), name: score.to_numpy()})
        else:
            frame = pd.DataFrame({id_col: rows[id_col].to_numpy(), "cohort": cohort,
                                  outcome: rows[outcome].to_numpy(), name: score.to_numpy()}, index=rows.index)
        frames.append(frame)
    # Patients in the input's order (slice-level: in order of first appearance within each cohort).
    scores = pd.concat(frames)
    scores = (scores.sort_index() if not slices else scores).reset_index(drop=True)
    written.append(write_csv(out / "scores.csv", scores))
    settings = dict(sig.provenance, cohort_col=cohort_col, train_cohort=train_name, id_col=id_col,
                    n_features_given=len(feats))
    write_provenance(out / "signature_coefficients.csv", "select", settings, seed=seed, inputs=[table],
                     extra={"outputs": [p.name for p in written]})
    _echo(written)
    if figures:
        fig_dir = out / "figures"
        _echo(plots.plot_lasso_path(sig.lasso, fig_dir / "lasso_path", title=f"{name}: LASSO coefficient path"))
        _echo(plots.plot_lasso_cv(sig.lasso, fig_dir / "lasso_cv",
                                  title=f"{name}: {sig.lasso.nfolds}-fold cross-validation"))


@click.command("icc")
@click.argument("tables", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--id", "id_col", required=True, help="Patient id column, the same in every table.")
@click.option("--type", "icc_type", default="ICC(A,1)", show_default=True,
              help="ICC form: ICC(1,1), ICC(A,1) [= Shrout-Fleiss ICC(2,1)], ICC(C,1) [= ICC(3,1)], "
                   "ICC(1,k), ICC(A,k), ICC(C,k).")
@click.option("--features", default=None, help="Feature columns, comma separated (default: every common "
                                               "numeric column).")
@click.option("--threshold", type=float, default=None,
              help="Also write FILE.kept.txt with the features whose ICC exceeds this value.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Output CSV file.")
def icc_command(tables, id_col, icc_type, features, threshold, out):
    """Per-feature ICC with 95% CI (pingouin) between feature tables of two or more readers or repeats
    (same ids and columns)."""
    from .icc import icc_table

    if len(tables) < 2:
        raise InputError("ICC needs at least two feature tables", "give one CSV per reader or repeat")
    stems = [p.stem for p in tables]
    keys = stems if len(set(stems)) == len(stems) else [str(p) for p in tables]
    if len(set(keys)) != len(keys):
        raise InputError("the same table is given twice", "give each reader's table once")
    ratings = {k: read_csv(p, "feature table") for k, p in zip(keys, tables)}
    result = icc_table(ratings, id_col=id_col, icc_type=icc_type, features=_split(features) or None)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = [write_csv(out, result)]
    if threshold is not None:
        kept = result.loc[result["icc"] > threshold, "feature"].astype(str).tolist()
        written.append(write_text(out.with_suffix(".kept.txt"), "".join(f"{f}\n" for f in kept)))
    write_provenance(out, "icc", {"icc_type": result["icc_type"].iloc[0] if len(result) else icc_type,
                                  "id_col": id_col, "readings": keys, "threshold": threshold,
                                  "implementation": "pingouin.intraclass_corr, row chosen by Description"},
                     inputs=list(tables), extra={"outputs": [p.name for p in written]})
    _echo(written)


COMMANDS = [select_command, icc_command]
