"""The one registry of the audit's kinds: every claim kind (a ``claims.csv`` quantity such as
``auc:MODEL:COHORT``) and every check row's shape are declared here, once.

A claim kind says how its quantity is spelled (its parts and what each part names), how its value is
printed (a number, a number with its CI, a relation, a word), which check judges it, and which numbers of a
run ``eprstats compare`` sets beside it. ``schema`` (reading and name checks), ``claims_checks`` (the
checks), ``compare_report`` (compare's keys) and ``verdicts`` (the tidy labels) all read this table instead
of splitting ``"kind:part:part"`` themselves. **Adding a new kind of claim is one entry in** :data:`KINDS`
(and, when it needs a check of its own, the function that entry names).

Every rate or index of a 2x2 table that a performance table prints (sensitivity ... LR-) is declared once
too, in :data:`METRICS`: its formula over (TP, FN, FP, TN) (the 2x2 search), the printed rates it is a
function of (the ``rate_identity`` check), and the header words papers use for it when the importer's
vocabulary (``readers/words.py``) does not list them itself. **Adding a new rate of a 2x2 table is one entry
in** :data:`METRICS`: the cell role, the header words, the 2x2 search and the identity check follow.

A check row is a :class:`Check` (a dataclass); it still answers ``row["verdict"]`` so that code written
for the dict rows keeps working.
"""
from __future__ import annotations

import importlib
import math
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


# -------------------------------------------------------------------------------- rates of a 2x2 table
def _div(num, den):
    return num / den if den else None


@dataclass(frozen=True)
class Metric:
    """A rate or index of a 2x2 table (TP, FN, FP, TN) that performance tables print.

    ``name``: the cell role. ``formula``: how papers define it (docs/audit.md). ``of_table``: its value from
    (tp, fn, fp, tn), None when its denominator is 0. ``inputs`` / ``from_rates``: the rates of the same row
    it is a function of, and that function (monotone in each input, so that its range over the rounding of
    the inputs is reached at a corner of their box). ``proportion``: printed as 0.80 or as 80.0 (%) (False:
    a ratio, e.g. LR+ 2.91). ``words``: header words (a regular expression, case-insensitive unless it says
    ``(?-i:...)``) for a role the importer's vocabulary does not list itself. ``complement``: the rate it is
    1 minus (the 2x2 search narrows that rate's counts with it). ``linear``: ``from_rates`` is linear in its
    inputs, so that it holds for averaged rates too (a mean over folds or a macro average of 1 - sensitivity
    is 1 - the mean sensitivity; of F1 or LR+ it is not the F1 or LR+ of the means)."""

    name: str
    formula: str
    of_table: Callable
    inputs: tuple[str, ...] = ()
    from_rates: Callable | None = None
    proportion: bool = True
    words: str = ""
    complement: str = ""
    label: str = ""
    linear: bool = False

    def __post_init__(self):
        if not self.label:     # how the evidence names it: "sensitivity", "FNR", "LR+"
            object.__setattr__(self, "label", self.name.upper() if len(self.name) <= 3 else self.name)


def _complement(name, base, formula, of_table, words):
    # FNR, FPR, FDR, FOR: 1 minus the rate ``base``
    return Metric(name, formula, of_table, (base,), lambda x: 1 - x, words=words, complement=base, linear=True)


def _f1(p, s):
    return 2 * p * s / (p + s) if p + s else None


#: every rate of a 2x2 table, once (the words of sensitivity ... NPV, F1 and Youden's J are the importer's,
#: readers/words.py; F1's entry adds "F-measure")
METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("sensitivity", "TP / (TP + FN)", lambda tp, fn, fp, tn: _div(tp, tp + fn)),
    Metric("specificity", "TN / (TN + FP)", lambda tp, fn, fp, tn: _div(tn, tn + fp)),
    Metric("accuracy", "(TP + TN) / n", lambda tp, fn, fp, tn: _div(tp + tn, tp + fn + fp + tn)),
    Metric("ppv", "TP / (TP + FP)", lambda tp, fn, fp, tn: _div(tp, tp + fp)),
    Metric("npv", "TN / (TN + FN)", lambda tp, fn, fp, tn: _div(tn, tn + fn)),
    _complement("fnr", "sensitivity", "FN / (TP + FN) = 1 - sensitivity", lambda tp, fn, fp, tn: _div(fn, tp + fn),
                r"(?-i:\bFNR\b)|false[\s-]negative\s+rates?|\bmiss\s+rates?"),
    _complement("fpr", "specificity", "FP / (TN + FP) = 1 - specificity", lambda tp, fn, fp, tn: _div(fp, tn + fp),
                r"(?-i:\bFPR\b)|false[\s-]positive\s+rates?|\bfall[\s-]?out\b"),
    _complement("fdr", "ppv", "FP / (TP + FP) = 1 - PPV", lambda tp, fn, fp, tn: _div(fp, tp + fp),
                # not the FDR of an adjusted P ("P (FDR)", "FDR-corrected", "q value"): a zero-width match that
                # names the role only when the segment speaks of no P, q or correction
                r"^(?!.*(?:(?<![A-Za-z])[PpQq](?![A-Za-z])|\b[pq][\s-]?values?|adjust|correct|control|benjamini))"
                r"(?=.*(?:(?-i:\bFDR\b)|false[\s-]discovery\s+rates?))"),
    _complement("for", "npv", "FN / (TN + FN) = 1 - NPV", lambda tp, fn, fp, tn: _div(fn, tn + fn),
                r"(?-i:\bFOR\b)|false[\s-]omission\s+rates?"),
    Metric("f1", "2 TP / (2 TP + FP + FN) = 2 PPV sensitivity / (PPV + sensitivity)",
           lambda tp, fn, fp, tn: _div(2 * tp, 2 * tp + fp + fn), ("ppv", "sensitivity"), _f1,
           words=r"\bF[\s-]?measures?\b"),
    Metric("youden", "J = sensitivity + specificity - 1",
           lambda tp, fn, fp, tn: None if not (tp + fn and tn + fp) else tp / (tp + fn) + tn / (tn + fp) - 1,
           ("sensitivity", "specificity"), lambda s, c: s + c - 1, label="Youden's J", linear=True),
    Metric("lr_pos", "LR+ = sensitivity / (1 - specificity)",
           lambda tp, fn, fp, tn: None if not (tp + fn and fp) else (tp / (tp + fn)) / (fp / (tn + fp)),
           ("sensitivity", "specificity"), lambda s, c: s / (1 - c) if c < 1 else math.inf, proportion=False, label="LR+",
           words=r"positive\s+likelihood\s+ratios?|(?-i:\bLR\s*\+(?=\s*(?:$|[(\[,;])))|(?-i:(?<![\w+])\+\s?LR\b)"),
    Metric("lr_neg", "LR- = (1 - sensitivity) / specificity",
           lambda tp, fn, fp, tn: None if not (tp + fn and tn) else (fn / (tp + fn)) / (tn / (tn + fp)),
           ("sensitivity", "specificity"), lambda s, c: (1 - s) / c if c > 0 else math.inf, proportion=False, label="LR-",
           words=r"negative\s+likelihood\s+ratios?|(?-i:\bLR\s*[-−–](?=\s*(?:$|[(\[,;])))|(?-i:(?<![\w-])[-−]\s?LR\b)"),
)}
#: the roles of METRICS that the cell form knows beyond its own list (cells.ROLES adds them)
METRIC_ROLES = tuple(METRICS)


def metric_words() -> tuple[tuple[str, str], ...]:
    """(role, header words) of the metrics that bring header words: a new role's all its words, a role the
    importer's vocabulary knows (f1) the words it lacks."""
    return tuple((m.name, m.words) for m in METRICS.values() if m.words)


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
