"""SPSS's LOGISTIC REGRESSION tables of every step, printed as SPSS prints them (three decimals without the
leading zero, counts as whole numbers, percentages with one decimal), from a
:class:`~.models_spss.SpssStepwise` result. One row per step and line, the step in the first column, as in
SPSS's own tables (which stack "Step 1", "Step 2" ... in one table):

* ``spss_omnibus``: Omnibus Tests of Model Coefficients (Step, Block, Model: Chi-square, df, Sig.);
* ``spss_hosmer_lemeshow`` and ``spss_hl_contingency``: Hosmer and Lemeshow Test and its Contingency Table;
* ``spss_classification``: Classification Table (every step);
* ``spss_in_equation``: Variables in the Equation (step 0, Block 0, included);
* ``spss_if_removed``: Model if Term Removed (LR and COND methods);
* ``spss_not_in_equation``: Variables not in the Equation with the Overall Statistics row;
* ``spss_iteration_history``: Iteration History (``/PRINT=ITER(1)``: -2 Log likelihood and the coefficients at
  each iteration), only when asked (``print_iter``).

Example
-------
>>> from eprstats.evaluation.spss_tables import spss_step_tables
>>> [t.name for t in spss_step_tables(step, "model")]     # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..results import Table


def _num(x, digits: int = 3) -> str:
    """SPSS's print: ``digits`` decimals, no leading zero; blank if missing."""
    if x is None or not np.isfinite(x):
        return ""
    text = f"{x:.{digits}f}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def _int(x) -> str:
    return "" if x is None or not np.isfinite(x) else f"{int(round(float(x)))}"


def spss_number(x, digits: int = 3) -> str:
    """A number as SPSS prints it: ``digits`` decimals, no leading zero (``-.790``, ``.000``); blank if missing."""
    if x is None or not np.isfinite(x):
        return ""
    text = f"{x:.{digits}f}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def spss_variables_in_equation(step, at: int | None = None, conf_level: float = 0.95) -> pd.DataFrame:
    """Variables in the Equation of step ``at`` (default: the last) as SPSS prints it; the Constant last, the
    CI of Exp(B) blank for it, a categorical term's overall Wald row before its columns."""
    at = step.final_step if at is None else at
    frame = step.in_equation[step.in_equation["step"] == at]
    level = f"{100 * conf_level:g}% C.I. for EXP(B)"
    rows = []
    for r in frame.itertuples(index=False):
        constant = r.term == "Constant"
        rows.append({"Step": f"Step {at}", "Variable": r.term, "B": spss_number(r.B), "S.E.": spss_number(r.SE),
                     "Wald": spss_number(r.Wald), "df": f"{int(r.df)}", "Sig.": spss_number(r.Sig),
                     "Exp(B)": spss_number(r.ExpB), f"{level} Lower": "" if constant else spss_number(r.ci_low),
                     f"{level} Upper": "" if constant else spss_number(r.ci_high)})
    return pd.DataFrame(rows)


def spss_model_summary(step) -> pd.DataFrame:
    """Model Summary, one row per step from 1: -2 Log likelihood, Cox & Snell R Square, Nagelkerke R Square."""
    h = step.record[step.record["step"] >= 1]
    return pd.DataFrame({"Step": h["step"].astype(int).astype(str), "-2 Log likelihood": h["minus2ll"].map(spss_number),
                         "Cox & Snell R Square": h["cox_snell_r2"].map(spss_number),
                         "Nagelkerke R Square": h["nagelkerke_r2"].map(spss_number)}).reset_index(drop=True)


def spss_classification(step, at: int | None = None) -> pd.DataFrame:
    """Classification Table of step ``at`` (default: the last): observed 0/1 by predicted 0/1, Percentage
    Correct per row and the Overall Percentage, one decimal as SPSS prints them."""
    at = step.final_step if at is None else at
    c = step.classification[step.classification["step"] == at]
    n = {(int(r.observed), int(r.predicted)): int(r.n) for r in c.itertuples(index=False)}
    rows = []
    for obs in (0, 1):
        total = n[(obs, 0)] + n[(obs, 1)]
        rows.append({"Observed": str(obs), "Predicted 0": str(n[(obs, 0)]), "Predicted 1": str(n[(obs, 1)]),
                     "Percentage Correct": spss_number(100 * n[(obs, obs)] / total if total else float("nan"), 1)})
    overall = 100 * (n[(0, 0)] + n[(1, 1)]) / sum(n.values())
    rows.append({"Observed": "Overall Percentage", "Predicted 0": "", "Predicted 1": "",
                 "Percentage Correct": spss_number(overall, 1)})
    return pd.DataFrame(rows)


def spss_omnibus(step) -> pd.DataFrame:
    """Omnibus Tests of Model Coefficients of every step from 1: Step (against the previous step), Block and
    Model (against the constant-only model; one block, so Block = Model)."""
    rows = []
    for r in step.record[step.record["step"] >= 1].itertuples(index=False):
        for label, chi, df, p in (("Step", r.step_chisq, r.step_df, r.step_p),
                                  ("Block", r.model_chisq, r.model_df, r.model_p),
                                  ("Model", r.model_chisq, r.model_df, r.model_p)):
            rows.append({"Step": f"Step {r.step}", "": label, "Chi-square": _num(chi), "df": _int(df),
                         "Sig.": _num(p)})
    return pd.DataFrame(rows, columns=["Step", "", "Chi-square", "df", "Sig."])


def spss_hosmer_lemeshow(step) -> pd.DataFrame:
    """Hosmer and Lemeshow Test of every step from 1."""
    hl = step.hosmer_lemeshow
    if hl is None or len(hl) == 0:
        return pd.DataFrame(columns=["Step", "Chi-square", "df", "Sig."])
    return pd.DataFrame({"Step": hl["step"].astype(int).astype(str), "Chi-square": hl["chi_square"].map(_num),
                         "df": hl["df"].map(_int), "Sig.": hl["Sig"].map(_num)}).reset_index(drop=True)


def spss_hl_contingency(step, outcome: str = "outcome") -> pd.DataFrame:
    """Contingency Table for Hosmer and Lemeshow Test of every step from 1: per group the observed and
    expected counts of outcome 0 and 1 and the group's total."""
    t = step.hl_table
    cols = ["Step", "Group", f"{outcome} = 0 Observed", f"{outcome} = 0 Expected", f"{outcome} = 1 Observed",
            f"{outcome} = 1 Expected", "Total"]
    if t is None or len(t) == 0:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame({cols[0]: "Step " + t["step"].astype(int).astype(str), cols[1]: t["group"].map(_int),
                         cols[2]: t["observed_0"].map(_int), cols[3]: t["expected_0"].map(_num),
                         cols[4]: t["observed_1"].map(_int), cols[5]: t["expected_1"].map(_num),
                         cols[6]: t["total"].map(_int)}).reset_index(drop=True)


def spss_classification_steps(step) -> pd.DataFrame:
    """Classification Table of every step from 1 (SPSS's Block 1 table)."""
    frames = [spss_classification(step, at=k).assign(Step=f"Step {k}")
              for k in sorted(step.record["step"].unique()) if k >= 1]
    if not frames:
        return pd.DataFrame(columns=["Step", "Observed", "Predicted 0", "Predicted 1", "Percentage Correct"])
    out = pd.concat(frames, ignore_index=True)
    return out[["Step"] + [c for c in out.columns if c != "Step"]]


def spss_in_equation(step, conf_level: float = 0.95) -> pd.DataFrame:
    """Variables in the Equation of every step, step 0 (Block 0: the constant) included."""
    frames = [spss_variables_in_equation(step, at=k, conf_level=conf_level)
              for k in sorted(step.record["step"].unique())]
    return pd.concat(frames, ignore_index=True)


def spss_if_removed(step) -> pd.DataFrame | None:
    """Model if Term Removed of every step (LR and COND methods): Model Log Likelihood, Change in -2 Log
    Likelihood, df, Sig. of the Change."""
    t = step.if_removed
    if t is None or len(t) == 0:
        return None
    return pd.DataFrame({"Step": "Step " + t["step"].astype(int).astype(str), "Variable": t["term"],
                         "Model Log Likelihood": t["model_log_likelihood"].map(_num),
                         "Change in -2 Log Likelihood": t["change_m2ll"].map(_num), "df": t["df"].map(_int),
                         "Sig. of the Change": t["Sig"].map(_num)}).reset_index(drop=True)


def spss_not_in_equation(step) -> pd.DataFrame:
    """Variables not in the Equation of every step that leaves a term out: Score, df, Sig., with the
    Overall Statistics row."""
    t = step.not_in_equation
    if t is None or len(t) == 0:
        return pd.DataFrame(columns=["Step", "Variable", "Score", "df", "Sig."])
    return pd.DataFrame({"Step": "Step " + t["step"].astype(int).astype(str), "Variable": t["term"],
                         "Score": t["Score"].map(_num), "df": t["df"].map(_int),
                         "Sig.": t["Sig"].map(_num)}).reset_index(drop=True)


def spss_iteration_history(step) -> pd.DataFrame | None:
    """Iteration History of every step: per iteration -2 Log likelihood and the coefficients (Constant
    first), three decimals, as ``/PRINT=ITER(1)`` prints them."""
    t = step.iteration_history
    if t is None or len(t) == 0:
        return None
    rows = []
    for (k, it), part in t.groupby(["step", "iteration"], sort=True):
        row = {"Step": f"Step {int(k)}", "Iteration": _int(it), "-2 Log likelihood": _num(part["minus2ll"].iloc[0])}
        row.update({f"Coefficients {term}": _num(b) for term, b in zip(part["term"], part["B"])})
        rows.append(row)
    return pd.DataFrame(rows).fillna("")


def termination_note(step) -> str:
    """SPSS's Model Summary footnotes, one per step: 'Estimation terminated at iteration number k because ...'."""
    rec = step.record
    if "termination" not in rec.columns:
        return ""
    return " ".join(f"Step {int(r.step)}: {r.termination}" for r in rec.itertuples(index=False) if r.step >= 1)


def spss_step_tables(step, name: str, outcome: str = "outcome") -> list[Table]:
    """The per-step tables (publication) and their numbers (CSV) of an SPSS method's run."""
    method = step.settings.get("spss_syntax", step.method)
    how = f"SPSS's LOGISTIC REGRESSION {method}; eprstats' own R code ({step.settings.get('fit', '')})."
    out = [Table("spss_omnibus", spss_omnibus(step), title=f"Omnibus Tests of Model Coefficients of the {name} model",
                 note=f"Step: the change in -2 log likelihood from the previous step; Block and Model: from the "
                      f"constant-only model. {how}"),
           Table("spss_hosmer_lemeshow", spss_hosmer_lemeshow(step), title=f"Hosmer and Lemeshow Test of the {name} "
                 "model", note="SPSS's deciles of risk (docs/spss.md); df = groups - 2. " + how),
           Table("spss_hl_contingency", spss_hl_contingency(step, outcome),
                 title=f"Contingency Table for Hosmer and Lemeshow Test of the {name} model", note=how),
           Table("spss_classification_all", spss_classification_steps(step),
                 title=f"Classification Table of the {name} model",
                 note=f"The cut value is {_num(step.settings.get('cut', 0.5))}. {how}"),
           Table("spss_in_equation", spss_in_equation(step, step.settings.get("conf_level", 0.95)),
                 title=f"Variables in the Equation of the {name} model", note=how),
           Table("spss_not_in_equation", spss_not_in_equation(step),
                 title=f"Variables not in the Equation of the {name} model",
                 note=f"Score statistics at each step's estimates; Overall Statistics: every term left out. {how}")]
    removed = spss_if_removed(step)
    if removed is not None:
        out.append(Table("spss_if_removed", removed, title=f"Model if Term Removed of the {name} model", note=how))
    if step.settings.get("print_iter"):
        history = spss_iteration_history(step)
        if history is not None:
            out.append(Table("spss_iteration_history", history, title=f"Iteration History of the {name} model",
                             note=how))
    for table, frame in (("spss_hosmer_lemeshow_steps", step.hosmer_lemeshow),
                         ("spss_hl_contingency_steps", step.hl_table),
                         ("spss_iteration_history_steps", step.iteration_history)):
        if frame is not None and len(frame):
            out.append(Table(table, frame, publication=False))
    return out
