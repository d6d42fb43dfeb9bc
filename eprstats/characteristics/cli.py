"""``eprstats table1``: Table 1 from a patient-level CSV."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from ..clitools import COMMA_NOTE, echo_written, event_option, parse_formats, split_list
from ..errors import InputError
from ..fileio import read_csv
from ..reporting.provenance import write_provenance
from ..reporting.formats import FORMATS
from ..reporting.writer import StagedOutput, check_out_folder
from .options import CONTINUOUS_RULES, MANN_WHITNEY, RULES, TYPES


def _split(text: str | None) -> list[str] | None:
    return split_list(text) or None


def _types(pairs) -> dict:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--type {pair!r} is not VARIABLE=TYPE", f"e.g. --type Age=continuous; types: "
                             f"{', '.join(TYPES)}")
        var, kind = pair.split("=", 1)
        out[var.strip()] = kind.strip()
    return out


@click.command("table1")
@click.argument("csv", type=click.Path(path_type=Path))
@click.option("--outcome", required=True, help="Binary outcome column, coded 0/1 or with --event naming the event.")
@event_option
@click.option("--cohort-col", default=None, help="Cohort column (training / external ...).")
@click.option("--cohorts", default=None, help="Cohort order, comma separated (default: as they appear).")
@click.option("--variables", default=None,
              help="Columns to describe, comma separated (default: all others)" + COMMA_NOTE)
@click.option("--type", "types", multiple=True, metavar="VAR=TYPE",
              help=f"Override a variable's type: {', '.join(TYPES)}. Repeatable.")
@click.option("--rule", type=click.Choice(RULES), default="textbook", show_default=True,
              help="Categorical test rule (textbook: Pearson / Yates / Fisher by n and expected counts).")
@click.option("--continuous-rule", type=click.Choice(CONTINUOUS_RULES), default="shapiro", show_default=True,
              help="How continuous variables choose mean (SD) + t-test or median (IQR) + Mann-Whitney; spss: "
                   "mean (SD) and the row of SPSS's T-TEST that Levene's test (mean-centred) chooses, with "
                   "Levene's F and p, both t rows and SPSS's test names in the tests table.")
@click.option("--mann-whitney", type=click.Choice(MANN_WHITNEY), default="r", show_default=True,
              help="Mann-Whitney p: r (wilcox.test: exact when n < 50 without ties, else normal approximation "
                   "with continuity correction) or spss (SPSS's Asymp. Sig. (2-tailed): tie-corrected normal "
                   "approximation without continuity correction).")
@click.option("--var-equal", is_flag=True, help="Student's t-test instead of Welch's.")
@click.option("--outcome-labels", default=None, help="Names of the two outcome groups, the non-event group's first, "
              "e.g. Non-EPR,EPR (names only: the event is 1, or the --event value).")
@click.option("--p-floor/--no-p-floor", default=True, show_default=True,
              help="Print p < 0.001 as <0.001 (or round it, as some papers do).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("table1.csv"), show_default=True,
              help="Output path; the suffix is replaced per format.")
@click.option("--formats", default="csv", show_default=True,
              help=f"Comma-separated output formats among {', '.join(FORMATS)} (CSV is always written).")
def table1_command(csv, outcome, event, cohort_col, cohorts, variables, types, rule, continuous_rule, mann_whitney,
                   var_equal, outcome_labels, p_floor, out, formats):
    """Table 1 (baseline characteristics) of a patient-level CSV, with the test behind every p-value.

    Writes OUT.csv (and OUT.md, .tex, ... per --formats), OUT_tests.csv and OUT.provenance.json."""
    from .table_one import table1  # here: it loads pandas, which --help must not

    base = out.with_suffix("") if out.suffix.lower().lstrip(".") in FORMATS else out
    check_out_folder(base.parent)
    formats = parse_formats(formats)
    types = _types(types)
    data = read_csv(csv, "patient table")
    labels = _split(outcome_labels)
    result = table1(data, outcome, _split(variables), cohort_col=cohort_col, cohorts=_split(cohorts),
                    types=types, rule=rule, continuous_rule=continuous_rule, var_equal=var_equal,
                    outcome_labels=tuple(labels) if labels else None, p_floor=p_floor, mann_whitney=mann_whitney,
                    event=event)
    result = replace(result, name=base.name)
    # one manifest per output stem, so that two tables written into one folder keep each other's files
    with StagedOutput(base.parent, "table1" if base.name == "table1" else f"table1-{base.name}") as stage:
        written = result.write(stage.path, formats)
        written.append(write_provenance(stage.path / f"{base.name}.csv", "table1", result.settings, inputs=[csv]))
    echo_written(stage.final(written))


COMMANDS = [table1_command]
