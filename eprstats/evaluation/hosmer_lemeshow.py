"""The Hosmer-Lemeshow test (our own R code in r/calibration.R: ResourceSelection cannot be installed here), with
R's quantile grouping or SPSS's deciles of risk, and the df rule for development and external cohorts.

SPSS's grouping (``grouping="spss"``) was found from SPSS's printed contingency tables (shared/data/spss,
docs/spss.md), all of which it reproduces cell for cell: cases sorted by risk, blocks of equal risk never
divided; a block joins the current group while the group's count plus half the block stays within n / g,
else it opens the next group; the g-th group takes the rest (no ties, n = 453: nine groups of 45 and one of
48)."""
from __future__ import annotations

import warnings

import numpy as np

from .. import rbridge, validation
from ..errors import InputError, RError

#: Hosmer-Lemeshow groupings: R's quantile rule (ResourceSelection::hoslem.test) or SPSS's deciles of risk
HL_GROUPINGS = ("quantile", "spss")
#: degrees of freedom of the Hosmer-Lemeshow test on an external cohort: groups - 2 (the default, as on the
#: development cohort) or groups (Hosmer, Lemeshow & Sturdivant 2013, sec. 5.2.2 and 6.4: risks not fitted there)
HL_DF_RULES = ("g-2", "g")
PURPOSE = "calibration, reclassification and net benefit"


def _r():
    return rbridge


def _outcome(y, outcome: str = "outcome", model: str | None = None, cohort: str | None = None) -> np.ndarray:
    """0/1 with both classes (validation's two checks)."""
    return validation.both_classes(validation.binary_outcome(y, outcome, cohort=cohort), PURPOSE, outcome=outcome,
                                   model=model, cohort=cohort)


class TooFewRiskGroups(InputError):
    """The predicted risks take too few distinct values to form the 3 groups a Hosmer-Lemeshow test needs."""


def _check_groups(g, n: int, model, cohort) -> None:
    """Groups of fewer than 2 patients leave expected counts of 0 (an undefined statistic) and a df that
    describes no test: ``g`` must fit the cohort."""
    if int(g) > n // 2:
        raise InputError(f"{g} Hosmer-Lemeshow groups for a cohort of {n} patients (fewer than 2 patients a group)",
                         f"use fewer groups (--groups; at most {max(3, n // 2)}, usually 10)", model=model,
                         cohort=cohort)


def _check_df_rule(rule: str) -> str:
    if rule not in HL_DF_RULES:
        raise InputError(f"unknown Hosmer-Lemeshow df rule {rule!r}", f"choose one of {', '.join(HL_DF_RULES)}")
    return rule


def _check_grouping(grouping: str) -> str:
    if grouping not in HL_GROUPINGS:
        raise InputError(f"unknown Hosmer-Lemeshow grouping {grouping!r}", f"choose one of {', '.join(HL_GROUPINGS)}")
    return grouping


def hosmer_lemeshow(p, y, g: int = 10, model: str | None = None, cohort: str | None = None,
                    grouping: str = "quantile", df_rule: str = "g-2") -> dict:
    """Hosmer-Lemeshow test, C = sum over groups and outcomes of (O - E)^2 / E, df = groups - 2 (Hosmer &
    Lemeshow, Applied Logistic Regression, 3rd ed., 2013, sec. 5.2.2; our own R code); ``df_rule="g"``:
    df = groups, their recommendation for a cohort the model was not fitted on (sec. 6.4).

    ``grouping="quantile"``: ``g`` groups at the type-7 quantiles of ``p`` (ResourceSelection's rule);
    ``"spss"``: SPSS's deciles of risk, tied probabilities kept in one group (the rule: module docstring).
    Returns ``statistic``, ``df`` (= groups - 2), ``p_value``, ``groups`` (after merging ties), ``grouping``
    and ``table`` (per group: n, observed and expected events and non-events).

    Example
    -------
    >>> hosmer_lemeshow(p, y, g=10, grouping="spss")["table"]          # doctest: +SKIP
    """
    _check_grouping(grouping)
    _check_df_rule(df_rule)
    y = _outcome(y, model=model, cohort=cohort)
    p = validation.probabilities(p, model, cohort, n=len(y))
    if int(g) < 3:
        raise InputError(f"g = {g} groups leave no degrees of freedom (df = g - 2)", "use g >= 3 (usually 10)")
    _check_groups(g, len(y), model, cohort)
    too_few = ("the predicted probabilities take too few distinct values for Hosmer-Lemeshow grouping",
               "use fewer groups (g) or a model with more distinct risks")
    try:
        out = _r().call("calibration_hosmer_lemeshow", p, y, g=int(g), grouping=grouping, df_rule=df_rule)
    except RError as exc:
        if "too few distinct" in exc.r_message:
            raise TooFewRiskGroups(*too_few, model=model, cohort=cohort) from None
        raise
    if out["groups"] < 3:  # interpolated quantiles can still leave 2 groups, df = 0: no test
        raise TooFewRiskGroups(f"{too_few[0]} ({out['groups']} groups, df = {out['df']})",
                               "use a model with more distinct risks", model=model, cohort=cohort)
    if not np.isfinite(float(out["statistic"])):
        raise InputError(f"the Hosmer-Lemeshow statistic is undefined with {out['groups']} groups (a group with "
                         "an expected count of 0)", "use fewer groups (--groups)", model=model, cohort=cohort)
    if out["groups"] < int(g):
        warnings.warn(f"Hosmer-Lemeshow: tied {'probabilities' if grouping == 'spss' else 'quantiles'} merged, "
                      f"{out['groups']} groups instead of {g} "
                      f"(df = {out['df']})" + (f" [model {model!r}, cohort {cohort!r}]" if model or cohort else ""),
                      stacklevel=2)
    return {"statistic": float(out["statistic"]), "df": int(out["df"]), "p_value": float(out["p_value"]),
            "groups": int(out["groups"]), "g": int(g), "grouping": grouping, "table": out["table"]}


def _hosmer_lemeshow_or_na(p, y, g, model, cohort, grouping="quantile", df_rule="g-2") -> dict:
    """The Hosmer-Lemeshow test, or NA with a warning when the risks take too few distinct values to form
    3 groups (a model on one binary predictor has two): the cohort's other statistics are still reported."""
    try:
        return hosmer_lemeshow(p, y, g=g, model=model, cohort=cohort, grouping=grouping, df_rule=df_rule)
    except TooFewRiskGroups:
        pass
    distinct = int(len(np.unique(np.asarray(p, dtype=float))))
    warnings.warn(f"Hosmer-Lemeshow not computed for model {model!r} in cohort {cohort!r}: {distinct} distinct "
                  f"predicted risks cannot form 3 groups (reported as NA)", stacklevel=3)
    return {"statistic": float("nan"), "df": 0, "p_value": float("nan"), "groups": distinct}
