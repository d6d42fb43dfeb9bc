"""The one registry of the audit's kinds: every claim kind (a ``claims.csv`` quantity such as
``auc:MODEL:COHORT``) and every check row's shape are declared here, once.

A claim kind says how its quantity is spelled (its parts and what each part names), how its value is
printed (a number, a number with its CI, a relation, a word), which check judges it, and which numbers of a
run ``eprstats compare`` sets beside it. ``schema`` (reading and name checks), ``claims_checks`` (the
checks), ``compare_report`` (compare's keys) and ``verdicts`` (the tidy labels) all read this table instead
of splitting ``"kind:part:part"`` themselves. **Adding a new kind of claim is one entry in** :data:`KINDS`
(and, when it needs a check of its own, the function that entry names).

A check row is a :class:`Check` (a dataclass); it still answers ``row["verdict"]`` so that code written
for the dict rows keeps working.
"""
from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from typing import Callable

#: what a claim part names: the roles ``schema.check_claim_names`` checks against the folder's tables
PART_ROLES = ("model", "cohort", "term", "variable", "comparison", "metric", "label", "image_types")

#: Table 1's comparisons as claims spell them -> the cohort name compare uses
COHORT_NAMES = {"training": "training", "external": "external", "between": "between cohorts"}
_T3_COLUMN = {"or": "odds_ratio", "beta": "beta", "p": "p"}


@dataclass(frozen=True)
class ClaimKind:
    """One kind of claim: ``name:PART:PART...``.

    ``parts``: what each part names (see :data:`PART_ROLES`). ``value``: ``number`` (a number, optionally
    with its CI), ``relation`` (one of :data:`RELATIONS`) or ``word``. ``check``: ``"repeat"`` when the
    claim repeats a table's number (checked against that printing, or against its other printings), else
    ``"module:function"`` of a check of its own, called as ``function(paper, ref, claim, check_id, parts)``.
    ``compare``: ``parts -> [key, ...]``, the run's numbers for the value and its CI bounds (no key: compare
    has no such number). ``model`` / ``cohort``: the part indexes naming them (for tidy rows and compare).
    ``table``: where a repeated number is printed first (table, column).
    """

    name: str
    parts: tuple[str, ...]
    doc: str
    check: str = "repeat"
    value: str = "number"
    compare: Callable[[list], list] | None = None
    model: int | None = None
    cohort: int | None = None
    #: for a repeated number: (the folder's table, its column) where it is printed first, e.g.
    #: ("table2", "auc"); the lookups are claims_checks.REFERENCES
    table: tuple[str, str] | None = None

    def names(self, parts) -> list[tuple[str, str]]:
        """(role, name) of every model, cohort, term or variable the claim names (``order``'s metric is
        not a name)."""
        return [(role, p) for role, p in zip(self.parts, parts)
                if role in ("model", "cohort", "term", "variable", "comparison")]

    def label(self, parts) -> str:
        """The tidy row label: the first part, ``A vs B`` for a comparison of two models."""
        if self.parts[:2] == ("model", "model"):
            return " vs ".join(parts[:2])
        return parts[0] if parts else self.name

    def spelled(self) -> str:
        return self.name + "".join(f":{p.upper()}" for p in self.parts)


def _t2(kind):
    def keys(parts):
        model, cohort = parts
        return [("t2", kind, model, cohort)] + ([("t2", "auc_ci_low", model, cohort),
                                                  ("t2", "auc_ci_high", model, cohort)] if kind == "auc" else [])
    return keys


def _t3(kind):
    def keys(parts):
        out = [("t3", _T3_COLUMN[kind], parts[0])]
        return out + ([("t3", "or_ci_low", parts[0]), ("t3", "or_ci_high", parts[0])] if kind == "or" else [])
    return keys


_OWN = "eprstats.audit.claims_checks:"

#: every claim kind, once
KINDS: dict[str, ClaimKind] = {k.name: k for k in (
    ClaimKind("auc", ("model", "cohort"), "an AUC (with its CI) against Table 2", compare=_t2("auc"),
              model=0, cohort=1, table=("table2", "auc")),
    ClaimKind("sensitivity", ("model", "cohort"), "against Table 2", compare=_t2("sensitivity"), model=0, cohort=1,
              table=("table2", "sensitivity")),
    ClaimKind("specificity", ("model", "cohort"), "against Table 2", compare=_t2("specificity"), model=0, cohort=1,
              table=("table2", "specificity")),
    ClaimKind("or", ("term",), "an odds ratio (with its CI) against Table 3", compare=_t3("or"),
              table=("table3", "odds_ratio")),
    ClaimKind("beta", ("term",), "a coefficient against Table 3", compare=_t3("beta"), table=("table3", "beta")),
    ClaimKind("p", ("term",), "a regression P against Table 3", compare=_t3("p"), table=("table3", "p")),
    ClaimKind("p_table1", ("variable", "comparison"), "a Table 1 P (training, external or between)",
              compare=lambda parts: [("t1_p", parts[0], COHORT_NAMES.get(parts[1], parts[1]))], cohort=1,
              table=("table1", "p")),
    ClaimKind("event_rate", ("cohort",), "events / n of the reference counts", check=_OWN + "claim_event_rate",
              compare=lambda parts: [("rate", parts[0])], cohort=0),
    ClaimKind("percent", ("label",), "numerator / denominator, or every k/n of the cohorts and Table 1",
              check=_OWN + "claim_percent"),
    ClaimKind("delong_p", ("model", "model", "cohort"), "the AUCs' correlation that a DeLong P implies",
              check=_OWN + "claim_delong", compare=lambda parts: [("delong", parts[0], parts[1], parts[2])],
              model=None, cohort=2),
    ClaimKind("count", ("label",), "its other printings"),
    ClaimKind("order", ("metric", "model", "model", "cohort"), "A better than B, against Table 2",
              check=_OWN + "claim_order", value="relation", cohort=3),
    ClaimKind("radiomics_features", ("image_types",), "the features per ROI pyradiomics computes",
              check=_OWN + "claim_radiomics"),
    ClaimKind("ci_method", ("metric",), "the CI method the paper states (DeLong, bootstrap, exact, logit...): "
              "held to by the CI checks", check=_OWN + "claim_ci_method", value="word"),
)}

#: the relations an ``order`` claim may state (its ``value``)
RELATIONS = (">", ">=", "<", "<=", "=")
#: metrics an ``order`` claim compares
ORDER_METRICS = ("auc", "sensitivity", "specificity")


class UnknownQuantity(ValueError):
    """A quantity that is not ``kind:part...`` of a registered kind with its number of parts."""


def parse_quantity(quantity: str) -> tuple[ClaimKind, list[str]]:
    """``"auc:PVP:training"`` -> (the ``auc`` kind, ``["PVP", "training"]``); the only place a quantity is
    split."""
    name, *parts = str(quantity).split(":")
    kind = KINDS.get(name)
    if kind is None or len(parts) != len(kind.parts):
        raise UnknownQuantity(quantity)
    return kind, parts


def known_quantities() -> str:
    return ", ".join(k.spelled() for k in KINDS.values())


def own_check(kind: ClaimKind):
    """The function that checks a kind with a check of its own (None for a repeated number)."""
    if kind.check == "repeat":
        return None
    module, function = kind.check.split(":")
    return getattr(importlib.import_module(module), function)


# ----------------------------------------------------------------------------------------------- check rows
@dataclass
class Check:
    """One row of the audit table (the first seven fields are its columns, docs/audit.md), plus the printed
    numbers it judged (``numbers``, for :meth:`AuditResult.tidy`)."""

    check_id: str
    kind: str
    quoted: str
    where: str
    recomputed: object
    verdict: str
    evidence: str
    numbers: list = field(default_factory=list)

    # the rows were dicts: ``row["verdict"]``, ``row["numbers"] = ...`` and ``row.get`` keep working
    def __getitem__(self, key):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        if key not in COLUMNS + ("numbers",):
            raise KeyError(key)
        setattr(self, key, value)

    def get(self, key, default=None):
        return getattr(self, key, default)

    def keys(self):
        return list(COLUMNS) + ["numbers"]

    def row(self) -> dict:
        """The audit table's columns."""
        return {k: getattr(self, k) for k in COLUMNS}

    def as_dict(self) -> dict:
        return asdict(self)


COLUMNS = ("check_id", "kind", "quoted", "where", "recomputed", "verdict", "evidence")
