"""The exceptions eprstats raises, and the exit codes the command line maps them to.

Every error a user can cause carries three things: what is wrong, where (patient, file, column, model,
cohort), and how to fix it. The command line prints them as one paragraph, never a traceback.

Exit codes (documented in the README):

==  =========================================================================
0   success
1   ``eprstats doctor`` found a required component missing
2   bad input: a file, column, value or setting the user must change
3   R failed while running an analysis (R's own message is kept)
4   some cases failed while the others finished (see the failure report)
5   an internal error (a bug in eprstats); ``EPRSTATS_DEBUG=1`` shows the traceback
==  =========================================================================
"""
from __future__ import annotations


class EprstatsError(Exception):
    """Base class: a message that names the input and the fix."""

    exit_code = 2
    #: the work finished before the error (a :class:`eprstats.results.Result`), which a command keeps
    partial = None

    def __init__(self, problem: str, fix: str | None = None, *, patient: str | None = None,
                 file: str | None = None, column: str | None = None, model: str | None = None,
                 cohort: str | None = None):
        self.problem = problem
        self.fix = fix
        self.patient = patient
        self.file = file
        self.column = column
        self.model = model
        self.cohort = cohort
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = [f"{label} {value!r}" for label, value in (
            ("patient", self.patient), ("file", self.file), ("column", self.column),
            ("model", self.model), ("cohort", self.cohort)) if value is not None]
        return ", ".join(parts)

    @property
    def message(self) -> str:
        text = self.problem.rstrip(".") + "."
        if self.where:
            text = f"{text} [{self.where}]"
        if self.fix:
            text = f"{text} Fix: {self.fix.rstrip('.')}."
        return text

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class InputError(EprstatsError):
    """Bad input: a file, column, value or setting that the user must change."""

    exit_code = 2


class MissingDependencyError(EprstatsError):
    """R, an R package or a Python package is not installed."""

    exit_code = 2


class RError(EprstatsError):
    """R raised an error; ``r_function`` and ``r_message`` keep R's own words."""

    exit_code = 3

    def __init__(self, r_function: str, r_message: str, fix: str | None = None, **where):
        self.r_function = r_function
        self.r_message = r_message.strip()
        super().__init__(f"R error in {r_function}(): {self.r_message}", fix, **where)


class PartialFailure(EprstatsError):
    """Some cases failed; the finished ones are kept."""

    exit_code = 4


class RWarning(UserWarning):
    """A warning raised by R during an analysis, surfaced in Python."""
