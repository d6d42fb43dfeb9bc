"""Logistic regression as SPSS's LOGISTIC REGRESSION does it (METHOD = BSTEP / FSTEP with WALD, LR or COND
removal, and ENTER), computed by eprstats' own R code (``r/spss.R``).

Estimation (``estimation="spss"``, the default): SPSS's own iteration, Newton-Raphson from b = 0 stopped by
the CRITERIA ITERATE(20), BCON(.001) (every estimate changed by less), LCON(0), with EPS(1e-8) the redundancy
tolerance; every printed number is computed at the last iterate, as SPSS prints it. This reproduces all 847
numbers of the published SPSS output in ``shared/data/spss``, where the converged maximum (``"ml"``) misses three
by one unit of the last digit (docs/spss.md says how the rule was established).

Definitions (IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION, "Stepwise Variable Selection"; the
LOGISTIC REGRESSION command's METHOD and CRITERIA subcommands):

* entry: the **score statistic** of a term's columns Z given the current model,
  S = U' (I_zz - I_zc I_cc^-1 I_cz)^-1 U with U = Z'(y - p) and I = X'WX at the current estimates (what R's
  ``anova(current, current + term, test = "Rao")`` computes); a term enters when the smallest score P is below
  PIN (default 0.05);
* removal, chosen by the method: **Wald** W = b' V^-1 b of the term's coefficients ((B/SE)^2 for one
  column); **LR**, the change in -2 log likelihood when the term is removed and the model refitted (R's
  ``drop1(test = "LRT")``); **conditional**, the same change computed without refitting, at the conditional
  estimates b~ = b_r - V_rg V_gg^-1 b_g of the remaining parameters (constant included; Lawless & Singhal,
  Biometrics 1978;34:318-27); a term leaves when the largest removal P exceeds POUT (default 0.10);
* BSTEP enters every term at step 1, then removes and re-enters; FSTEP starts from the constant and enters,
  then tests removal after each entry. Both stop when no term meets either criterion or when the next model
  would repeat an earlier one;
* a categorical (text) predictor is coded as SPSS's /CATEGORICAL default, the Indicator contrast with the
  **last** category (in sorted order) as the reference, columns ``term(1)`` ... ``term(k-1)`` entered and
  removed together (k - 1 df);
* each step's model summary: -2 log likelihood, Cox & Snell R^2 = 1 - exp((-2LL - -2LL_0) / n) and
  Nagelkerke R^2 = Cox & Snell / (1 - exp(-(-2LL_0) / n)); the omnibus chi-squares (step, model); the
  classification table at the cut value 0.5 (a case is predicted an event when its probability exceeds it).

References: IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION ("Stepwise Variable Selection"; "Statistics":
Cox & Snell and Nagelkerke R^2). IBM SPSS Statistics Command Syntax Reference, LOGISTIC REGRESSION: METHOD
subcommand (FSTEP/BSTEP, COND the default removal statistic, "if BSTEP is used, all remaining eligible
variables are entered at the first step", stop "when the current model is the same as a previous model") and
CRITERIA (PIN 0.05, POUT 0.10, CUT 0.5); "Logistic Regression Variable Selection Methods" (conditional = the
likelihood-ratio statistic at conditional parameter estimates); "Logistic Regression Options" (entry by the
score statistic's P < Entry, removal P > Removal, Entry < Removal; cases whose predicted value exceeds the cutoff
are classified positive). Lawless & Singhal, Biometrics 1978;34:318-27 (the conditional estimates).

Example
-------
>>> step = spss_stepwise(train, "low", ["age", "lwt", "race", "smoke", "ht", "ui"], method="spss-blr")
>>> step.record             # the step history: step, action, term, test, statistic, df, p, -2LL, R^2 ...
>>> step.in_equation        # Variables in the Equation at every step (B, S.E., Wald, df, Sig., Exp(B), CI)
>>> step.kept, step.model   # the selected terms and their rms::lrm refit (nomogram, scores)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..validation import binary_outcome, predictor_list
from .logistic import _predictor_frame, _r, fit_logistic

#: method name -> (SPSS METHOD keyword, removal statistic); SPSS's bare BSTEP / FSTEP mean COND
METHODS = {
    "spss-bwald": ("bstep", "wald"), "spss-blr": ("bstep", "lr"), "spss-bcond": ("bstep", "cond"),
    "spss-bstep": ("bstep", "cond"),
    "spss-fwald": ("fstep", "wald"), "spss-flr": ("fstep", "lr"), "spss-fcond": ("fstep", "cond"),
    "spss-fstep": ("fstep", "cond"),
    "spss-enter": ("enter", "lr"),
}
#: SPSS's /CRITERIA defaults for the iteration (IBM SPSS Statistics Command Syntax Reference, LOGISTIC
#: REGRESSION, CRITERIA subcommand): ITERATE(20) BCON(.001) LCON(0) EPS(.00000001)
CRITERIA = {"iterate": 20, "bcon": 0.001, "lcon": 0.0, "eps": 1e-8}
#: "spss": SPSS's own iteration (what SPSS prints); "ml": the fully converged maximum
ESTIMATIONS = ("spss", "ml")
SPSS_SYNTAX = {"wald": "WALD", "lr": "LR", "cond": "COND"}


@dataclass
class SpssStepwise:
    """SPSS-style stepwise selection: the terms kept, the step history (``record``), SPSS's per-step tables
    and the final model refitted by ``rms::lrm`` (None when no term is kept)."""

    method: str
    settings: dict
    kept: list[str]
    record: pd.DataFrame                 #: one row per step (step 0: the constant-only model)
    model: object
    in_equation: pd.DataFrame            #: Variables in the Equation, every step
    not_in_equation: pd.DataFrame        #: Variables not in the Equation (score tests), every step
    if_removed: pd.DataFrame | None      #: Model if Term Removed, every step (LR and COND only)
    classification: pd.DataFrame         #: observed x predicted counts at the cut value, every step
    stopped: str = ""
    hosmer_lemeshow: pd.DataFrame | None = None  #: Hosmer and Lemeshow Test, every step from 1
    hl_table: pd.DataFrame | None = None         #: its Contingency Table, every step from 1
    iteration_history: pd.DataFrame | None = None  #: Iteration History, every step (estimation "spss")
    columns: dict = field(default_factory=dict)  #: term -> its design columns (categorical: term(1) ...)

    @property
    def final_step(self) -> int:
        return int(self.record["step"].max())


def spss_stepwise(train: pd.DataFrame, outcome: str, candidates, method: str = "spss-bcond", pin: float = 0.05,
                  pout: float = 0.10, cut: float = 0.5, conf_level: float = 0.95, name: str | None = None,
                  cohort: str | None = "training", estimation: str = "spss", iterate: int = 20,
                  bcon: float = 0.001, lcon: float = 0.0, eps: float = 1e-8, hl_groups: int = 10) -> SpssStepwise:
    """SPSS's ``LOGISTIC REGRESSION outcome /METHOD = BSTEP(WALD|LR|COND) | FSTEP(...) candidates
    /CRITERIA = PIN(pin) POUT(pout) CUT(cut) /PRINT = CI(95)`` on the training rows, then the kept terms refitted
    by ``rms::lrm`` (see the module docstring for every statistic; R: ``spss_stepwise`` in ``r/spss.R``).

    Example
    -------
    >>> step = spss_stepwise(train, "low", ["age", "lwt", "race2", "race3", "ftv"], method="spss-bwald")
    >>> step.record[["step", "action", "term", "statistic", "p", "minus2ll"]]
    """
    candidates = [candidates] if isinstance(candidates, str) else list(candidates)
    name = name or "stepwise"
    if method not in METHODS:
        raise InputError(f"unknown SPSS stepwise method {method!r}", f"use one of {', '.join(METHODS)}", model=name)
    direction, removal = METHODS[method]
    _check_criteria(pin, pout, cut, conf_level, name)
    _check_iteration(estimation, iterate, bcon, lcon, eps, name)
    frame, levels = _frame(train, outcome, candidates, name, cohort)
    out = _r().call("spss_stepwise", frame, outcome, candidates, levels, direction=direction,
                           removal=removal, pin=float(pin), pout=float(pout), cut=float(cut),
                           conf=float(conf_level), estimation=estimation, iterate=int(iterate), bcon=float(bcon),
                           lcon=float(lcon), eps=float(eps), hl_groups=int(hl_groups))
    kept_r = out["kept"]
    kept_r = [kept_r] if isinstance(kept_r, str) else list(kept_r or [])
    kept = [c for c in candidates if c in kept_r]
    keyword = "ENTER" if direction == "enter" else f"{direction.upper()}({SPSS_SYNTAX[removal]})"
    settings = {"method": method, "spss_syntax": f"/METHOD={keyword} /CRITERIA=PIN({pin:g}) POUT({pout:g}) "
                f"CUT({cut:g}) ITERATE({int(iterate)}) BCON({bcon:g}) LCON({lcon:g}) EPS({eps:g}) "
                f"/PRINT=GOODFIT CI({100 * conf_level:g})",
                "pin": pin, "pout": pout, "cut": cut, "conf_level": conf_level, "estimation": estimation,
                "iterate": int(iterate), "bcon": bcon, "lcon": lcon, "eps": eps, "hl_groups": int(hl_groups),
                "categorical": {k: list(v) for k, v in levels.items()}, "reference": "last category (Indicator)",
                "stopped": out["stopped"],
                "fit": ("SPSS's Newton-Raphson from b = 0, stopped by ITERATE/BCON/LCON" if estimation == "spss"
                        else "stats::glm.fit (epsilon = 1e-14)")}
    model = fit_logistic(train, outcome, kept, name=name, cohort=cohort) if kept else None
    columns = {t: ([f"{t}({i + 1})" for i in range(len(levels[t]) - 1)] if t in levels else [t]) for t in candidates}
    return SpssStepwise(method=method, settings=settings, kept=kept, record=_history(out["history"]),
                        model=model, in_equation=out["in_equation"], not_in_equation=_frame_or_empty(
                            out["not_in_equation"], ["step", "term", "Score", "df", "Sig"]),
                        if_removed=out.get("if_removed"), classification=out["classification"],
                        stopped=out["stopped"], columns=columns, hosmer_lemeshow=out.get("hosmer_lemeshow"),
                        hl_table=out.get("hl_table"), iteration_history=out.get("iteration_history"))


def _check_criteria(pin, pout, cut, conf_level, name):
    for label, value in (("PIN", pin), ("POUT", pout), ("CUT", cut), ("confidence level", conf_level)):
        if not (isinstance(value, (int, float)) and 0 < float(value) < 1):
            raise InputError(f"{label} {value!r} is not a probability strictly between 0 and 1",
                             "SPSS's defaults are PIN 0.05, POUT 0.10, CUT 0.5 and CI(95)", model=name)
    if not pin < pout:  # SPSS refuses it too: a term could enter and leave forever
        raise InputError(f"PIN ({pin:g}) must be less than POUT ({pout:g})",
                         "use SPSS's defaults PIN 0.05 and POUT 0.10, or another PIN < POUT", model=name)


def _check_iteration(estimation, iterate, bcon, lcon, eps, name):
    """SPSS's CRITERIA for the iteration, with the ranges SPSS accepts."""
    if estimation not in ESTIMATIONS:
        raise InputError(f"unknown estimation {estimation!r}", f"use one of {', '.join(ESTIMATIONS)} ('spss': "
                         "SPSS's iteration, what SPSS prints; 'ml': the converged maximum)", model=name)
    if isinstance(iterate, bool) or not isinstance(iterate, (int, np.integer)) or iterate < 1:
        raise InputError(f"ITERATE {iterate!r} is not a positive whole number", "SPSS's default is ITERATE(20)",
                         model=name)
    for label, value in (("BCON", bcon), ("LCON", lcon)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= float(value) < 1:
            raise InputError(f"{label} {value!r} is not a number in [0, 1)",
                             "SPSS's defaults are BCON(.001) and LCON(0) (0: the criterion is not used)", model=name)
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not 1e-12 <= float(eps) <= 0.05:
        raise InputError(f"EPS {eps!r} is outside SPSS's range [1e-12, 0.05]", "SPSS's default is EPS(.00000001)",
                         model=name)


def _frame(train, outcome, candidates, name, cohort):
    """outcome (0/1) and the candidates; text columns are categorical, their categories sorted (the last one
    is SPSS's default reference)."""
    candidates = predictor_list(candidates, outcome, model=name)
    if outcome not in train.columns:
        raise InputError(f"outcome column {outcome!r} not found", f"available columns: "
                         f"{', '.join(map(str, train.columns))}", model=name, column=outcome)
    y = binary_outcome(train[outcome], outcome, cohort=cohort)
    if y.sum() in (0, len(y)):
        raise InputError(f"the training data have {'no events' if y.sum() == 0 else 'only events'}",
                         "a logistic model needs both outcome classes", model=name, cohort=cohort)
    frame = _predictor_frame(train, candidates, name, cohort)
    constant = [c for c in candidates if frame[c].nunique() < 2]
    if constant:
        raise InputError(f"predictor {constant[0]!r} has a single value in the training data",
                         "leave it out of the candidates", model=name, cohort=cohort, column=constant[0])
    levels = {c: sorted(set(frame[c])) for c in candidates if not pd.api.types.is_numeric_dtype(frame[c])}
    frame.insert(0, outcome, np.asarray(y, dtype=int))
    return frame, levels


def _history(history: pd.DataFrame) -> pd.DataFrame:
    out = history.copy()
    for col in ("term", "test", "action"):
        out[col] = out[col].fillna("").astype(str)
    out["step"] = out["step"].astype(int)
    return out.reset_index(drop=True)


def _frame_or_empty(frame, columns):
    return frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(columns=columns)
