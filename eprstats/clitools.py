"""Small option parsers shared by the stages' commands."""
from __future__ import annotations

import csv

import click

from .errors import InputError
from .reporting.formats import FORMATS


#: how a list option names a column whose name holds a comma (said in the help of every list option)
QUOTING = 'a name with a comma in double quotes, e.g. \'"Age, years",Sex\''
#: the sentence list options end their help with
COMMA_NOTE = f"; {QUOTING}."



def split_list(text: str | None) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``; empty or None -> ``[]``.

    Split as one CSV line, so that a column name that holds a comma is given in double quotes:
    ``'"Age, years",Sex'`` -> ``["Age, years", "Sex"]`` (a doubled quote inside is a quote)."""
    if not text:
        return []
    try:
        fields = next(csv.reader([text], skipinitialspace=True))
    except csv.Error as exc:
        raise InputError(f"the list {text!r} could not be read ({exc})",
                         f"separate names with commas; write {QUOTING}") from None
    return [t.strip() for t in fields if t.strip()]


def parse_formats(text: str) -> list[str]:
    """A comma-separated list of table formats, checked before any work starts (CSV by default)."""
    formats = split_list(text) or ["csv"]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"unknown table format(s) {bad}", f"choose among {', '.join(FORMATS)}")
    return formats


def echo_written(paths) -> None:
    for path in paths:
        click.echo(f"wrote {path}")


def require_rows(frame, path, what: str):
    """The table read from ``path``, or a clear error when it has a header but no rows."""
    if frame.empty:
        raise InputError(f"the {what} file has a header but no rows", "export the table again with its patients",
                         file=str(path))
    return frame


#: ``--event VALUE``: the one option of every command that takes an outcome (the rule: validation.event_indicator)
EVENT_HELP = ("The value of the outcome column that marks the event (e.g. --event EPR), needed when the outcome is "
              "not coded 0 (no event) / 1 (event); the other value is the non-event. Never guessed from the "
              "values' order or from labels.")


class RenamedOption(click.Option):
    """An option renamed to the Python API's name (#24, docs/api.md's "One name per idea"), whose former
    spellings (``former``) still work but are left out of ``--help``, so that old scripts keep running."""

    def __init__(self, *args, former: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.former = set(former)
        assert self.former <= set(self.opts), f"{self.former} are not spellings of {self.opts}"

    def get_help_record(self, ctx):
        shown, self.opts = self.opts, [o for o in self.opts if o not in self.former]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown


def event_option(command):
    return click.option("--event", "event", default=None, metavar="VALUE", help=EVENT_HELP)(command)
