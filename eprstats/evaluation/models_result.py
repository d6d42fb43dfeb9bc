"""The result of :func:`eprstats.evaluation.models.fit_model`: the fitted model, Table 3, the backward-selection
record, the nomogram and every patient's score, formatted (the paper's layout), listed number by number
(:meth:`ModelFit.tidy`) and drawn (Figure 6a).

The ``fit`` command and the study's ``table3`` stage both write this object through
:meth:`eprstats.results.Result.write`, so they write the same file names:

=============================  ===========================================================================
``stepwise.csv``               the backward-selection record (only with stepwise selection)
``table3_numeric.csv``         beta, SE, z, OR with its Wald CI, P per term (numeric, CSV only)
``table3.*``                   Table 3: Variable, beta, OR (95% CI), P
``scores.csv``                 [id,] cohort, outcome, MODEL_lp, MODEL_prob for every patient
``nomogram_points.csv``        the nomogram's points table (variable, kind, value, points)
``figures/figure6a_nomogram``  the nomogram
=============================  ===========================================================================

With an SPSS stepwise method (``spss-bwald`` ...; :mod:`~.models_spss`) ``stepwise.csv`` is SPSS's step history
(step, action, term, test, statistic, df, p, -2LL, Cox & Snell and Nagelkerke R^2, omnibus chi-squares) and
these are added, printed as SPSS prints them (three decimals, no leading zero):

======================================  ==================================================================
``table3_spss.*``                       the final step's Variables in the Equation: B, S.E., Wald, df, Sig.,
                                        Exp(B), 95% C.I. for EXP(B)
``spss_model_summary.*``                Model Summary per step: -2 Log likelihood, Cox & Snell and
                                        Nagelkerke R Square
``spss_classification.*``               the final step's classification table at the cut value
``spss_variables_in_equation.csv``      every step's Variables in the Equation (numeric)
``spss_variables_not_in_equation.csv``  every step's score tests, with Overall Statistics (numeric)
``spss_model_if_term_removed.csv``      every step's Model if Term Removed (LR and COND methods; numeric)
``spss_classification_steps.csv``       every step's observed x predicted counts (numeric)
``spss_omnibus.*`` ... ``spss_*``       every step's tables as SPSS prints them (:mod:`~.spss_tables`:
                                        Omnibus Tests, Hosmer and Lemeshow Test and its Contingency Table,
                                        Classification, Variables in / not in the Equation, Model if Term
                                        Removed, Iteration History with ``print_iter``)
======================================  ==================================================================
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..rbridge import software_note
from ..reporting.formats import format_p
from ..results import Result, Table, tidy_frame
from .nomogram import plot_nomogram
# SPSS's printed tables live in spss_tables; imported from here too (tests, characteristics)
from .spss_tables import (spss_classification, spss_model_summary, spss_number,  # noqa: F401
                          spss_step_tables, spss_variables_in_equation, termination_note)

#: the numbers of Table 3 listed by tidy(), in the order of table3_numeric.csv
_TERM_STATS = ("beta", "se", "z", "odds_ratio", "p")


def format_table3(t3: pd.DataFrame, beta_digits: int = 5, or_digits: int = 3, p_digits: int = 3) -> pd.DataFrame:
    """Table 3 for a manuscript: Variable, beta, OR (95% CI), P (the paper's layout)."""
    rows = []
    for row in t3.itertuples(index=False):
        ci = ("" if not math.isfinite(row.odds_ratio) else
              f"{row.odds_ratio:.{or_digits}f} ({row.or_ci_low:.{or_digits}f}-{row.or_ci_high:.{or_digits}f})")
        rows.append({"Variable": row.term, "\u03b2": f"{row.beta:.{beta_digits}f}", "OR (95% CI)": ci,
                     "P": format_p(row.p, p_digits)})
    return pd.DataFrame(rows)


def _selection(settings: dict, step) -> str:
    """How the terms were selected, in words (empty without selection)."""
    method = settings.get("stepwise", "none")
    if step is None or method == "none":
        return ""
    if _is_spss(step) and method == "spss-enter":
        return (f" as SPSS's LOGISTIC REGRESSION {step.settings.get('spss_syntax', method)} (every predictor "
                "entered in one step; eprstats' own R code)")
    if _is_spss(step):
        return (f" after SPSS's stepwise selection (LOGISTIC REGRESSION {step.settings.get('spss_syntax', method)}, "
                "entry by the score test; eprstats' own R code)")
    if method == "fastbw":
        return (f" after backward elimination by rms::fastbw (rule = '{step.settings.get('rule')}', sls = "
                f"{step.settings.get('sls')}, type = 'residual'; Lawless & Singhal 1978)")
    return " after backward elimination by AIC (stats::step, direction = 'backward', k = 2)"


def table3_note(settings: dict, step) -> str:
    """Table 3's methods, in words a methods section quotes, with the software versions."""
    return (f"Maximum-likelihood logistic regression (rms::lrm) on the {settings['train_cohort']} cohort"
            f"{_selection(settings, step)}: beta with its SE, Wald z = beta/SE, two-sided P = 2 Phi(-|z|); OR = "
            f"exp(beta) with its 95% Wald CI exp(beta -/+ 1.96 SE). {software_note('rms')}")


def table3_title(name: str, cohort: str) -> str:
    """The one title of Table 3 (the command's and the study's)."""
    return f"Table 3. Multivariable logistic regression of the {name} model ({cohort} cohort)"


@dataclass(frozen=True, eq=False)
class ModelFit(Result):
    """A logistic model fitted on the training cohort (see :func:`~.models.fit_model`).

    ``model``: the :class:`~.models.LogisticModel` (coefficients, fit statistics, the R fit to predict with);
    ``numeric``: Table 3's numbers (term, beta, se, z, odds_ratio, or_ci_low, or_ci_high, p); ``stepwise``:
    the backward selection (:class:`~.models.StepwiseResult`) or None; ``nomogram``: the
    :class:`~.nomogram.NomogramResult`; ``scores``: every patient's linear predictor and probability;
    ``settings``: what was asked.
    """

    analysis = "model"

    model: object
    numeric: pd.DataFrame
    stepwise: object
    nomogram: object
    scores: pd.DataFrame | None      #: None while only the training fit is finished
    settings: dict

    @property
    def name(self) -> str:
        return self.model.name

    def table3(self) -> pd.DataFrame:
        """Table 3 as printed: Variable, beta, OR (95% CI), P."""
        return format_table3(self.numeric)

    def table_files(self) -> list[Table]:
        out = [Table("stepwise", self.stepwise.record, publication=False)] if self.stepwise is not None else []
        out += (spss_tables(self.stepwise, self.name, self.settings["train_cohort"], self.settings.get("outcome"))
                if _is_spss(self.stepwise) else [])
        return out + [Table("table3_numeric", self.numeric, publication=False),
                      Table("table3", self.table3(), title=table3_title(self.name, self.settings["train_cohort"]),
                            note=table3_note(self.settings, self.stepwise)),
                      *([Table("scores", self.scores, publication=False)] if self.scores is not None else []),
                      Table("nomogram_points", self.nomogram.points, publication=False)]

    def tidy(self) -> pd.DataFrame:
        """Every number: per term beta, SE, z, P and the OR with its Wald CI (Table 3; none for the
        intercept's blank OR); the model's rms::lrm statistics (C, Dxy, R2, Brier ...); each backward
        selection step's numbers; each nomogram point. Patients' scores are in :attr:`scores`."""
        m = self.model
        base = {"analysis": self.analysis, "model": m.name, "cohort": self.settings["train_cohort"], "n": m.n,
                "events": m.events}
        rows = []
        for t in self.numeric.itertuples(index=False):
            for stat in _TERM_STATS:
                value = getattr(t, stat)
                if stat == "odds_ratio" and not np.isfinite(value):
                    continue  # the intercept's OR is left blank, as printed
                ci = {"ci_low": t.or_ci_low, "ci_high": t.or_ci_high} if stat == "odds_ratio" else {}
                rows.append({**base, "table": "table3", "row": t.term, "column": stat, "statistic": stat,
                             "value": value, **ci})
        for key, value in m.stats.items():
            rows.append({**base, "table": "model_stats", "row": key, "column": "value", "statistic": key,
                         "value": value})
        if _is_spss(self.stepwise):
            rows += spss_tidy(self.stepwise, base)
        elif self.stepwise is not None:
            record = self.stepwise.record
            label = "deleted" if "deleted" in record.columns else record.columns[0]
            for rec in record.to_dict("records"):
                for col, value in rec.items():
                    if col not in (label, "step") and isinstance(value, (int, float, np.number)):
                        rows.append({**base, "table": "stepwise", "row": str(rec[label]), "column": col,
                                     "statistic": col, "value": value})
        for p in self.nomogram.points.itertuples(index=False):
            rows.append({**base, "table": "nomogram_points", "row": p.variable, "column": str(p.value),
                         "statistic": "points", "value": p.points})
        return tidy_frame(rows)

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """Figure 6a: the nomogram (``figure6a_nomogram.png`` / ``.pdf``)."""
        return plot_nomogram(self.nomogram, Path(folder) / "figure6a_nomogram", formats=formats,
                             title=f"{self.name} nomogram")

    def summary(self) -> str:
        m = self.model
        return (f"{m.name}: {len(m.predictors)} predictor(s), n = {m.n}, {m.events} events, "
                f"C = {m.stats.get('C', float('nan')):.3f} ({self.settings['train_cohort']} cohort)")


# ---------------------------------------------------------------------------------------------
# SPSS's tables (an SPSS stepwise method: models_spss.SpssStepwise)
# ---------------------------------------------------------------------------------------------

def _is_spss(step) -> bool:
    return step is not None and hasattr(step, "in_equation")


def spss_tables(step, name: str, cohort: str, outcome: str | None = None) -> list[Table]:
    """SPSS's final tables (publication), every step's tables (:mod:`~.spss_tables`) and numbers (CSV)."""
    method = step.settings.get("spss_syntax", step.method)
    cut = spss_number(step.settings.get("cut", 0.5))
    how = (f"SPSS's LOGISTIC REGRESSION {method} as SPSS computes it (IBM SPSS Statistics Algorithms), by "
           f"eprstats' own R code (stats::glm.fit). {software_note('stats')}")
    out = [Table("table3_spss", spss_variables_in_equation(step, conf_level=step.settings.get("conf_level", 0.95)),
                 title=f"Table 3 (SPSS). Variables in the Equation of the {name} model, step {step.final_step} "
                       f"({cohort} cohort; LOGISTIC REGRESSION {method})",
                 note=f"Categorical terms: Indicator coding, last category the reference. Wald = (B/S.E.)^2; "
                      f"Exp(B) with its Wald CI. {how}"),
           Table("spss_model_summary", spss_model_summary(step), title=f"Model Summary of the {name} model",
                 note=f"-2 Log likelihood (-2LL) of each step; Cox & Snell R Square = 1 - exp(-(L0 - -2LL)/n) "
                      f"with L0 the constant-only model's -2LL; Nagelkerke R Square = Cox & Snell R Square / (1 - "
                      f"exp(-L0/n)). {termination_note(step)} {how}"),
           Table("spss_classification", spss_classification(step),
                 title=f"Classification Table of the {name} model, step {step.final_step}",
                 note=f"The cut value is {cut}. {how}"),
           Table("spss_variables_in_equation", step.in_equation, publication=False),
           Table("spss_variables_not_in_equation", step.not_in_equation, publication=False)]
    if step.if_removed is not None:
        out.append(Table("spss_model_if_term_removed", step.if_removed, publication=False))
    return (out + [Table("spss_classification_steps", step.classification, publication=False)]
            + spss_step_tables(step, name, outcome or "outcome"))


def _with_term(frame, term):
    """A per-step frame with a ``term`` column for :func:`spss_tidy` (a contingency table's: its group)."""
    if frame is None or len(frame) == 0:
        return None
    return frame.assign(term=term if term is not None else "group " + frame["group"].astype(int).astype(str))


def spss_tidy(step, base: dict) -> list[dict]:
    """Every SPSS number: the step history, each step's Variables in / not in the Equation, Model if Term
    Removed and classification counts (column ``step k``)."""
    rows = []
    for rec in step.record.to_dict("records"):
        label = f"step {rec['step']}" + (f" {rec['action']} {rec['term']}" if rec["term"] else "")
        for col, value in rec.items():
            if col != "step" and isinstance(value, (int, float, np.number)) and np.isfinite(value):
                rows.append({**base, "table": "stepwise", "row": label, "column": col, "statistic": col,
                             "value": value})
    frames = (("spss_variables_in_equation", step.in_equation, ("B", "SE", "Wald", "df", "Sig", "ExpB")),
              ("spss_variables_not_in_equation", step.not_in_equation, ("Score", "df", "Sig")),
              ("spss_model_if_term_removed", step.if_removed, ("model_log_likelihood", "change_m2ll", "df", "Sig")),
              ("spss_hosmer_lemeshow", _with_term(step.hosmer_lemeshow, "Hosmer and Lemeshow"),
               ("chi_square", "df", "Sig")),
              ("spss_hl_contingency", _with_term(step.hl_table, None),
               ("observed_0", "expected_0", "observed_1", "expected_1", "total")))
    for table, frame, stats in frames:
        for rec in ([] if frame is None else frame.to_dict("records")):
            for stat in stats:
                if np.isfinite(rec[stat]):
                    ci = ({"ci_low": rec["ci_low"], "ci_high": rec["ci_high"]}
                          if stat == "ExpB" and rec["term"] != "Constant" else {})
                    rows.append({**base, "table": table, "row": rec["term"], "column": f"step {rec['step']}",
                                 "statistic": stat, "value": rec[stat], **ci})
    for rec in step.classification.to_dict("records"):
        rows.append({**base, "table": "spss_classification", "row": f"observed {rec['observed']}",
                     "column": f"step {rec['step']}", "statistic": f"predicted {rec['predicted']}",
                     "value": rec["n"]})
    return rows
