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
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..results import Result, Table, tidy_frame

#: the numbers of Table 3 listed by tidy(), in the order of table3_numeric.csv
_TERM_STATS = ("beta", "se", "z", "odds_ratio", "p")


def format_p(p: float, digits: int = 3) -> str:
    """P at ``digits`` decimals, or ``<0.001`` below that."""
    if p is None or not math.isfinite(p):
        return ""
    floor = 10 ** -digits
    return f"<{floor:.{digits}f}" if p < floor else f"{p:.{digits}f}"


def format_table3(t3: pd.DataFrame, beta_digits: int = 5, or_digits: int = 3, p_digits: int = 3) -> pd.DataFrame:
    """Table 3 for a manuscript: Variable, beta, OR (95% CI), P (the paper's layout)."""
    rows = []
    for row in t3.itertuples(index=False):
        ci = ("" if not math.isfinite(row.odds_ratio) else
              f"{row.odds_ratio:.{or_digits}f} ({row.or_ci_low:.{or_digits}f}-{row.or_ci_high:.{or_digits}f})")
        rows.append({"Variable": row.term, "\u03b2": f"{row.beta:.{beta_digits}f}", "OR (95% CI)": ci,
                     "P": format_p(row.p, p_digits)})
    return pd.DataFrame(rows)


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

    def tables(self) -> list[Table]:
        out = [Table("stepwise", self.stepwise.record, publication=False)] if self.stepwise is not None else []
        return out + [Table("table3_numeric", self.numeric, publication=False),
                      Table("table3", self.table3(), title=table3_title(self.name, self.settings["train_cohort"])),
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
        if self.stepwise is not None:
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
        from .nomogram import plot_nomogram
        return plot_nomogram(self.nomogram, Path(folder) / "figure6a_nomogram", formats=formats,
                             title=f"{self.name} nomogram")

    def summary(self) -> str:
        m = self.model
        return (f"{m.name}: {len(m.predictors)} predictor(s), n = {m.n}, {m.events} events, "
                f"C = {m.stats.get('C', float('nan')):.3f} ({self.settings['train_cohort']} cohort)")
