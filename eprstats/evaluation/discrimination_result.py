"""The result of :func:`eprstats.evaluation.discrimination.discrimination`: Table 2, the DeLong tests, the ROC
curves, how they are formatted (the paper's layout), listed number by number (:meth:`Discrimination.tidy`)
and drawn (Figure 5 and the score distributions of Supplementary Figure S2).

The ``roc`` command and the study's ``table2`` stage both write this object through
:meth:`eprstats.results.Result.write`, so they write the same files with the same bytes:

==============================  ==================================================================
``roc.csv``                     every number per model and cohort (numeric, CSV only)
``table2.*``                    Table 2: AUC (95% CI), sensitivity, specificity per cohort
``delong_paired_numeric.csv``   paired DeLong tests between models within each cohort (numeric)
``delong_paired.*``             the same, formatted (3 decimals, P < 0.001)
``delong_between_cohorts*``     unpaired DeLong test of each model between cohorts (same pair)
``figures/figure5a_roc_*``      ROC curves of the training cohort (``figure5b_roc_*``: the others)
``figures/distribution_box``    each score by outcome, per model and cohort
``figures/waterfall_MODEL``     each score minus its training cut-off, per cohort
==============================  ==================================================================
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..results import Result, Table, tidy_frame

ROC_COLUMNS = ["model", "cohort", "n", "events", "auc", "auc_ci_low", "auc_ci_high", "cutoff", "direction",
               "sensitivity", "specificity", "ppv", "npv", "accuracy"]
PAIRED_COLUMNS = ["model_1", "model_2", "cohort", "auc_1", "auc_2", "z", "p"]
BETWEEN_COLUMNS = ["model", "cohort_1", "cohort_2", "auc_1", "auc_2", "z", "p"]
#: the numbers of roc.csv that Table 2 does not print (listed in tidy() under table "roc")
_ROC_ONLY = ("cutoff", "ppv", "npv", "accuracy")


def format_auc(auc: float, low: float, high: float, digits: int = 3) -> str:
    """``0.724 (0.625-0.823)``, the paper's way."""
    return f"{auc:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def _label(cohort: str, labels: dict | None) -> str:
    return (labels or {}).get(cohort, cohort)


def table2(roc: pd.DataFrame, digits: int = 3, cohorts: list[str] | None = None,
           cohort_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Table 2 in the paper's layout: one row per model; per cohort "AUC (95% CI)", Sensitivity and
    Specificity, at ``digits`` decimals. ``roc`` is the output of :func:`~.discrimination.roc_table` (or a
    published table with the same columns); ``cohort_labels`` renames cohorts in the headers."""
    missing = [c for c in ("model", "cohort", "auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")
               if c not in roc.columns]
    if missing:
        raise InputError(f"the ROC table lacks column(s) {missing}", "pass the output of roc_table()")
    cohorts = list(cohorts) if cohorts else list(dict.fromkeys(roc["cohort"]))
    rows = []
    for model in dict.fromkeys(roc["model"]):
        row = {"Model": model}
        for cohort in cohorts:
            hit = roc[(roc["model"] == model) & (roc["cohort"] == cohort)]
            label = _label(cohort, cohort_labels)
            if hit.empty:
                row.update({f"{label} AUC (95% CI)": "", f"{label} Sensitivity": "", f"{label} Specificity": ""})
                continue
            h = hit.iloc[0]
            row[f"{label} AUC (95% CI)"] = format_auc(h["auc"], h["auc_ci_low"], h["auc_ci_high"], digits)
            row[f"{label} Sensitivity"] = f"{h['sensitivity']:.{digits}f}"
            row[f"{label} Specificity"] = f"{h['specificity']:.{digits}f}"
        rows.append(row)
    return pd.DataFrame(rows)


def format_delong(frame: pd.DataFrame) -> pd.DataFrame:
    """A DeLong test table for a manuscript: AUCs and z at 3 decimals, P at 3 decimals or ``<0.001``."""
    out = frame.copy()
    for col in ("auc_1", "auc_2", "z"):
        out[col] = out[col].map(lambda v: f"{v:.3f}")
    out["p"] = out["p"].map(lambda v: "<0.001" if v < 0.001 else f"{v:.3f}")
    return out


def table2_title(conf_level: float) -> str:
    """The one title of Table 2 (the command's and the study's)."""
    return (f"Table 2. Performance of the models (AUC with DeLong {round(conf_level * 100, 6):g}% CI; cut-off "
            "from the training cohort)")


def roc_figure_name(index: int, cohort: str) -> str:
    """``figure5a_roc_<training>`` for the first (training) cohort, ``figure5b_roc_<cohort>`` for the others."""
    from .plots import safe_name
    return f"figure5{'ab'[min(index, 1)]}_roc_{safe_name(cohort)}"


@dataclass(frozen=True, eq=False)
class Discrimination(Result):
    """ROC analysis of several scores in several cohorts (see :func:`~.discrimination.discrimination`).

    ``roc``: one row per model and cohort (:data:`ROC_COLUMNS`); ``paired``: the paired DeLong tests between
    models within each cohort; ``between_cohorts``: the unpaired DeLong test of each model between cohorts;
    ``curves``: the ROC curves' points (model, cohort, threshold, sensitivity, specificity); ``values``: the
    scores analysed (model, cohort, outcome, score), for the figures; ``settings``: what was asked.
    """

    analysis = "discrimination"

    roc: pd.DataFrame
    paired: pd.DataFrame
    between_cohorts: pd.DataFrame
    curves: pd.DataFrame
    values: pd.DataFrame
    settings: dict

    @property
    def cohorts(self) -> list[str]:
        return list(dict.fromkeys(self.roc["cohort"]))

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(self.roc["model"]))

    def table2(self, digits: int = 3) -> pd.DataFrame:
        """Table 2 as printed: AUC (95% CI), sensitivity and specificity per cohort, one row per model."""
        return table2(self.roc, digits, cohort_labels=self.settings.get("cohort_labels"))

    def tables(self) -> list[Table]:
        """``roc`` (numeric), ``table2``; with two models or more the paired DeLong tests, with two cohorts
        or more the tests between cohorts (numeric and formatted)."""
        out = [Table("roc", self.roc, publication=False),
               Table("table2", self.table2(), title=table2_title(self.settings["conf_level"]))]
        if len(self.paired):
            out += [Table("delong_paired_numeric", self.paired, publication=False),
                    Table("delong_paired", format_delong(self.paired),
                          title="DeLong tests between models (paired, within each cohort)")]
        if len(self.between_cohorts):
            out += [Table("delong_between_cohorts_numeric", self.between_cohorts, publication=False),
                    Table("delong_between_cohorts", format_delong(self.between_cohorts),
                          title="DeLong tests of each model between cohorts")]
        return out

    def tidy(self) -> pd.DataFrame:
        """Every number: per model and cohort the AUC (with its DeLong CI), sensitivity, specificity (Table 2)
        and the cut-off, PPV, NPV and accuracy (``roc``); per DeLong test its z and P. The ROC curves' points
        are in :attr:`curves`."""
        labels = self.settings.get("cohort_labels")
        rows = []
        for r in self.roc.itertuples(index=False):
            base = {"analysis": self.analysis, "row": r.model, "model": r.model, "cohort": r.cohort, "n": r.n,
                    "events": r.events}
            label = _label(r.cohort, labels)
            rows.append({**base, "table": "table2", "column": f"{label} AUC (95% CI)", "statistic": "auc",
                         "value": r.auc, "ci_low": r.auc_ci_low, "ci_high": r.auc_ci_high})
            for stat in ("sensitivity", "specificity"):
                rows.append({**base, "table": "table2", "column": f"{label} {stat.capitalize()}",
                             "statistic": stat, "value": getattr(r, stat)})
            for stat in _ROC_ONLY:
                rows.append({**base, "table": "roc", "column": stat, "statistic": stat, "value": getattr(r, stat)})
        counts = {r.cohort: (int(r.n), int(r.events)) for r in self.roc.drop_duplicates("cohort").itertuples()}
        for t in self.paired.itertuples(index=False):
            pair = f"{t.model_1} vs {t.model_2}"
            n, events = counts[t.cohort]
            for stat in ("z", "p"):
                rows.append({"analysis": self.analysis, "table": "delong_paired", "row": pair, "column": stat,
                             "model": pair, "cohort": t.cohort, "statistic": stat, "value": getattr(t, stat),
                             "n": n, "events": events})
        for t in self.between_cohorts.itertuples(index=False):
            (n1, e1), (n2, e2) = counts[t.cohort_1], counts[t.cohort_2]
            for stat in ("z", "p"):
                rows.append({"analysis": self.analysis, "table": "delong_between_cohorts", "row": t.model,
                             "column": stat, "model": t.model, "cohort": f"{t.cohort_1} vs {t.cohort_2}",
                             "statistic": stat, "value": getattr(t, stat), "n": n1 + n2, "events": e1 + e2})
        return tidy_frame(rows)

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """Figure 5 (the ROC curves of every model, one figure per cohort), the box plots of each score by
        outcome, and one waterfall plot per model (score minus its training cut-off)."""
        from . import plots

        folder = Path(folder)
        paths: list[Path] = []
        for i, cohort in enumerate(self.cohorts):
            paths += plots.plot_roc(self.curves, self.roc, cohort, folder / roc_figure_name(i, cohort),
                                    formats=formats)
        paths += plots.plot_distribution_box(self.values, folder / "distribution_box", cohorts=self.cohorts,
                                             formats=formats)
        cutoffs = self.roc.drop_duplicates("model").set_index("model")["cutoff"]
        for model in self.models:
            paths += plots.plot_waterfall(self.values, model, float(cutoffs[model]),
                                          folder / f"waterfall_{plots.safe_name(model)}", cohorts=self.cohorts,
                                          formats=formats)
        return paths

    def summary(self) -> str:
        best = self.roc.loc[self.roc["auc"].idxmax()]
        return (f"{len(self.models)} model(s) in {len(self.cohorts)} cohort(s); highest AUC {best['auc']:.3f} "
                f"({best['model']}, {best['cohort']})")
