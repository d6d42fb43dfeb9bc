"""The result of :func:`eprstats.evaluation.discrimination.discrimination`: Table 2, the DeLong tests, the ROC
curves, how they are formatted (the paper's layout), listed number by number (:meth:`Discrimination.tidy`)
and drawn (Figure 5 and the score distributions of Supplementary Figure S2).

The ``roc`` command and the study's ``table2`` stage both write this object through
:meth:`eprstats.results.Result.write`, so they write the same files with the same bytes:

===================================  ======================================================================
``roc.csv``                          every number per model and cohort (numeric, CSV only)
``table2.*``                         Table 2: AUC (95% CI), sensitivity, specificity per cohort
``diagnostic_accuracy_numeric.csv``  TP, FP, TN, FN at the cut-off; sensitivity ... accuracy with CIs
``diagnostic_accuracy.*``            the same, formatted: "0.870 (0.737-0.951)"
``delong_paired_numeric.csv``        paired DeLong tests between models within each cohort (numeric)
``delong_paired.*``                  the same, formatted (3 decimals, P < 0.001): the paper's seven columns
``delong_paired_full.*``             the same with the AUC difference and its CI (and pROC's warnings)
``delong_between_cohorts*``          unpaired DeLong test of each model between cohorts (same pair)
``delong_between_cohorts_full.*``    the same with the statistic as t and its df
``figures/figure5a_roc_*``           ROC curves of the training cohort (``figure5b_roc_*``: the others)
``figures/distribution_box``         each score by outcome, per model and cohort
``figures/waterfall_MODEL``          each score minus its training cut-off, per cohort
===================================  ======================================================================
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..results import Result, Table, tidy_frame
from ..rbridge import software_note
from ..reporting.formats import format_p
from . import plots
from .discrimination_ci import COUNTS, PROPORTIONS, CI_METHOD_TEXT
from .plots import safe_name

ROC_COLUMNS = ["model", "cohort", "n", "events", "auc", "auc_ci_low", "auc_ci_high", "cutoff", "direction",
               "sensitivity", "specificity", "ppv", "npv", "accuracy"]
# New columns go at the end: the first seven columns' bytes are those of earlier versions.
PAIRED_COLUMNS = ["model_1", "model_2", "cohort", "auc_1", "auc_2", "z", "p", "auc_diff", "diff_ci_low",
                  "diff_ci_high", "warning"]
#: ``z`` is pROC's statistic D, whose P comes from Student's t (``distribution``) on ``df`` degrees of freedom
BETWEEN_COLUMNS = ["model", "cohort_1", "cohort_2", "auc_1", "auc_2", "z", "p", "distribution", "df", "warning"]
#: the columns the formatted DeLong tables of the paper's layout leave out (format_delong_full prints them)
_DELONG_EXTRA = ("auc_diff", "diff_ci_low", "diff_ci_high", "distribution", "df", "warning")
_METHOD_TITLE = {"clopper-pearson": "Clopper-Pearson", "wilson": "Wilson", "bootstrap": "pROC bootstrap"}
_PROPORTION_NAMES = {"sensitivity": "Sensitivity", "specificity": "Specificity", "ppv": "PPV", "npv": "NPV",
                     "accuracy": "Accuracy"}
#: roc's optional last column (``discrimination(optimism_B=...)``): Harrell's optimism-corrected training AUC
OPTIMISM = "auc_optimism_corrected"
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
    Specificity, at ``digits`` decimals (with the optimism-corrected AUC beside the AUC of the cohort that has
    one, when ``roc`` has the column ``auc_optimism_corrected``). ``roc`` is the output of :func:`~.discrimination.roc_table` (or a
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
            if OPTIMISM in roc.columns and roc.loc[roc["cohort"] == cohort, OPTIMISM].notna().any():
                row[f"{label} AUC optimism-corrected"] = f"{h[OPTIMISM]:.{digits}f}"
            row[f"{label} Sensitivity"] = f"{h['sensitivity']:.{digits}f}"
            row[f"{label} Specificity"] = f"{h['specificity']:.{digits}f}"
        rows.append(row)
    return pd.DataFrame(rows)


def format_delong(frame: pd.DataFrame) -> pd.DataFrame:
    """A DeLong test table for a manuscript: AUCs and z at 3 decimals, P at 3 decimals or ``<0.001`` (the
    paper's seven columns; :func:`format_delong_full` prints the others)."""
    out = frame[[c for c in frame.columns if c not in _DELONG_EXTRA]].copy()
    for col in ("auc_1", "auc_2", "z"):
        out[col] = out[col].map(lambda v: f"{v:.3f}")
    out["p"] = out["p"].map(format_p)
    return out


def _level(conf_level: float) -> str:
    return f"{round(conf_level * 100, 6):g}%"


def format_delong_full(frame: pd.DataFrame, conf_level: float = 0.95) -> pd.DataFrame:
    """Every column of a DeLong table formatted: the paired table with the AUC difference and its CI
    ("0.030 (-0.050 to 0.110)"), the between-cohort table with its statistic as t and the df (1 decimal);
    pROC's warnings in a last column when there are any."""
    paired = "auc_diff" in frame.columns
    out = format_delong(frame)
    if paired:
        out.insert(5, f"difference ({_level(conf_level)} CI)",
                   [f"{d:.3f} ({lo:.3f} to {hi:.3f})" for d, lo, hi in
                    zip(frame["auc_diff"], frame["diff_ci_low"], frame["diff_ci_high"])])
    else:
        out = out.rename(columns={"z": "t"})
        out.insert(6, "df", frame["df"].map(lambda v: f"{v:.1f}"))
    warned = frame["warning"].fillna("").astype(str)
    if (warned != "").any():
        out["pROC warning"] = list(warned)
    return out


def _accuracy_header(stat: str, conf_level: float) -> str:
    return f"{_PROPORTION_NAMES[stat]} ({_level(conf_level)} CI)"


def format_accuracy(accuracy: pd.DataFrame, digits: int = 3, cohort_labels: dict | None = None,
                    conf_level: float = 0.95) -> pd.DataFrame:
    """The diagnostic-accuracy table for a manuscript: per model and cohort the cut-off, TP, FP, TN, FN and
    "0.870 (0.737-0.951)" for sensitivity, specificity, PPV, NPV and accuracy ("NA" where n = 0)."""
    rows = []
    for r in accuracy.to_dict("records"):
        row = {"Model": r["model"], "Cohort": _label(r["cohort"], cohort_labels),
               "Cut-off": f"{r['cutoff']:.{digits}f}", **{k.upper(): int(r[k]) for k in COUNTS}}
        for stat in PROPORTIONS:
            row[_accuracy_header(stat, conf_level)] = (
                "NA" if pd.isna(r[stat]) else format_auc(r[stat], r[f"{stat}_ci_low"], r[f"{stat}_ci_high"], digits))
        rows.append(row)
    return pd.DataFrame(rows)


#: why the two C statistics of one model differ (said in the notes of the tables that print an AUC)
C_STATISTIC_NOTE = ("AUC: pROC's exact empirical AUC, as in Table 2. The C of the calibration table is "
                    "rms::val.prob's C (ROC), which rms::lrm.fit computes on binned predicted probabilities (rms "
                    "documents rounding to 0.002), so it can differ from the AUC in the third or fourth decimal.")


def accuracy_note(settings: dict) -> str:
    """The note of ``diagnostic_accuracy``: the cut-off rule and the interval, in words a methods section quotes."""
    level = _level(settings.get("conf_level", 0.95))
    method = settings.get("accuracy_ci_method", "clopper-pearson")
    text = ("TP, FP, TN, FN at each model's Youden cut-off chosen on the training cohort and applied unchanged to "
            "every cohort (direction '<': positive when score >= cut-off; '>': score <= cut-off). "
            f"{level} CIs: {CI_METHOD_TEXT[method]}")
    if method == "clopper-pearson":
        text += ", the default"
    if method == "bootstrap":
        text += (f", B = {settings['bootstrap_ci_n']} stratified resamples, seed {settings['seed']} set before "
                 "each model and cohort")
    return text + "."


DELONG_PAIRED_NOTE = ("Paired DeLong test (pROC::roc.test, method = 'delong', paired = TRUE): z = (AUC1 - AUC2) / SD, "
                      "P from the standard normal; the difference AUC1 - AUC2 with its CI, difference +/- "
                      "z(1-a/2) x SD.")
DELONG_BETWEEN_NOTE = ("Unpaired DeLong test (pROC::roc.test, method = 'delong', paired = FALSE): t = (AUC1 - AUC2) "
                       "/ sqrt(S1 + S2), S = s10^2/m + s01^2/n of each cohort (DeLong's placement variances of its "
                       "m cases and n controls); two-sided P from Student's t with df = (S1 + S2)^2 / (S1^2/(N1 - 1) "
                       "+ S2^2/(N2 - 1)), N = m + n. The column z of delong_between_cohorts is this t.")


def table2_title(conf_level: float) -> str:
    """The one title of Table 2 (the command's and the study's)."""
    return (f"Table 2. Performance of the models (AUC with DeLong {round(conf_level * 100, 6):g}% CI; cut-off "
            "from the training cohort)")


def table2_note(settings: dict) -> str:
    """Table 2's methods, in words a methods section quotes (the software versions are added by the result)."""
    level = _level(settings.get("conf_level", 0.95))
    direction = ("the ROC direction given" if settings.get("directions_from") == "given"
                 else "the ROC direction pROC chooses there (direction = 'auto')")
    return (f"AUC: the empirical ROC AUC (pROC::roc) with its {level} CI by DeLong's method (pROC::ci.auc, "
            "method = 'delong'). Sensitivity and specificity at each model's Youden cut-off (pROC::coords, "
            "best.method = 'youden', J = sensitivity + specificity - 1; ties: the highest sensitivity), chosen "
            f"on the training cohort with {direction} and applied unchanged to every cohort; their CIs and the "
            "2x2 counts are in diagnostic_accuracy.")


def roc_figure_name(index: int, cohort: str) -> str:
    """``figure5a_roc_<training>`` for the first (training) cohort, ``figure5b_roc_<cohort>`` for the others."""
    return f"figure5{'ab'[min(index, 1)]}_roc_{safe_name(cohort)}"


@dataclass(frozen=True, eq=False)
class Discrimination(Result):
    """ROC analysis of several scores in several cohorts (see :func:`~.discrimination.discrimination`).

    ``roc``: one row per model and cohort (:data:`ROC_COLUMNS`); ``paired``: the paired DeLong tests between
    models within each cohort; ``between_cohorts``: the unpaired DeLong test of each model between cohorts;
    ``curves``: the ROC curves' points (model, cohort, threshold, sensitivity, specificity); ``values``: the
    scores analysed (model, cohort, outcome, score), for the figures; ``settings``: what was asked;
    ``accuracy``: per model and cohort the 2x2 counts at the cut-off and the CIs of sensitivity, specificity,
    PPV, NPV and accuracy (:data:`~.discrimination_ci.ACCURACY_COLUMNS`).
    """

    analysis = "discrimination"

    roc: pd.DataFrame
    paired: pd.DataFrame
    between_cohorts: pd.DataFrame
    curves: pd.DataFrame
    values: pd.DataFrame
    settings: dict
    accuracy: pd.DataFrame | None = None

    @property
    def cohorts(self) -> list[str]:
        return list(dict.fromkeys(self.roc["cohort"]))

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(self.roc["model"]))

    def table2(self, digits: int = 3) -> pd.DataFrame:
        """Table 2 as printed: AUC (95% CI), sensitivity and specificity per cohort, one row per model."""
        return table2(self.roc, digits, cohort_labels=self.settings.get("cohort_labels"))

    def table_files(self) -> list[Table]:
        """``roc`` (numeric), ``table2``, the diagnostic accuracy at the cut-off (numeric and formatted); with
        two models or more the paired DeLong tests, with two cohorts or more the tests between cohorts (numeric,
        formatted in the paper's layout, and ``_full`` with every column formatted). Every formatted table's
        note names its methods and the versions of the R packages behind it."""
        level = self.settings.get("conf_level", 0.95)
        software = software_note("pROC")
        out = [Table("roc", self.roc, publication=False),
               Table("table2", self.table2(), title=table2_title(level), note=self._table2_note())]
        if self.accuracy is not None:
            method = self.settings.get("accuracy_ci_method", "clopper-pearson")
            out += [Table("diagnostic_accuracy_numeric", self.accuracy, publication=False),
                    Table("diagnostic_accuracy", self.diagnostic_accuracy(),
                          note=f"{accuracy_note(self.settings)} {software}",
                          title=f"Diagnostic accuracy at the training cut-off: counts and {_level(level)} CIs "
                                f"({_METHOD_TITLE[method]})")]
        if len(self.paired):
            out += [Table("delong_paired_numeric", self.paired, publication=False),
                    Table("delong_paired", format_delong(self.paired), note=f"{DELONG_PAIRED_NOTE} {software}",
                          title="DeLong tests between models (paired, within each cohort)")]
            if "auc_diff" in self.paired.columns:
                out.append(Table("delong_paired_full", format_delong_full(self.paired, level),
                                 title="DeLong tests between models (paired, within each cohort) with the AUC "
                                       "difference", note=f"{DELONG_PAIRED_NOTE} {C_STATISTIC_NOTE} {software}"))
        if len(self.between_cohorts):
            out += [Table("delong_between_cohorts_numeric", self.between_cohorts, publication=False),
                    Table("delong_between_cohorts", format_delong(self.between_cohorts),
                          note=f"{DELONG_BETWEEN_NOTE} {software}",
                          title="DeLong tests of each model between cohorts")]
            if "df" in self.between_cohorts.columns:
                out.append(Table("delong_between_cohorts_full", format_delong_full(self.between_cohorts, level),
                                 title="DeLong tests of each model between cohorts (unpaired; t with its df)",
                                 note=f"{DELONG_BETWEEN_NOTE} {C_STATISTIC_NOTE} {software}"))
        return out

    def _table2_note(self) -> str:
        """Table 2's methods (and, with it, the optimism-corrected AUC's), with the software versions."""
        s = self.settings
        text = table2_note(s)
        if OPTIMISM not in self.roc.columns:
            return f"{text} {software_note('pROC')}"
        return (f"{text} Optimism-corrected AUC: Harrell's bootstrap (rms::validate, B = {s.get('optimism_B')}, "
                f"seed = {s.get('optimism_seed')}) of each model's logistic recalibration on the training cohort, "
                f"AUC = Dxy/2 + 0.5. {software_note('pROC', 'rms')}")

    def diagnostic_accuracy(self, digits: int = 3) -> pd.DataFrame:
        """Per model and cohort: the cut-off, TP, FP, TN, FN and sensitivity, specificity, PPV, NPV, accuracy
        with their CIs, formatted ("0.870 (0.737-0.951)"); the numbers are in :attr:`accuracy`."""
        if self.accuracy is None:
            raise KeyError("this result has no diagnostic-accuracy table (it was read from files)")
        return format_accuracy(self.accuracy, digits, self.settings.get("cohort_labels"),
                               self.settings.get("conf_level", 0.95))

    def tidy(self) -> pd.DataFrame:
        """Every number: per model and cohort the AUC (with its DeLong CI), sensitivity, specificity (Table 2),
        the cut-off, PPV, NPV and accuracy (``roc``), and TP, FP, TN, FN and the five proportions with their CIs
        (``diagnostic_accuracy``); per DeLong test its z and P, per paired test the AUC difference with its CI,
        per test between cohorts its df. The ROC curves' points are in :attr:`curves`."""
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
            if OPTIMISM in self.roc.columns and pd.notna(getattr(r, OPTIMISM)):
                rows.append({**base, "table": "table2", "column": f"{label} AUC optimism-corrected",
                             "statistic": OPTIMISM, "value": getattr(r, OPTIMISM)})
        rows += self._tidy_accuracy()
        counts = {r.cohort: (int(r.n), int(r.events)) for r in self.roc.drop_duplicates("cohort").itertuples()}
        for t in self.paired.itertuples(index=False):
            pair = f"{t.model_1} vs {t.model_2}"
            n, events = counts[t.cohort]
            base = {"analysis": self.analysis, "table": "delong_paired", "row": pair, "model": pair,
                    "cohort": t.cohort, "n": n, "events": events}
            for stat in ("z", "p"):
                rows.append({**base, "column": stat, "statistic": stat, "value": getattr(t, stat)})
            if "auc_diff" in self.paired.columns:  # a table read from an older file lacks it
                rows.append({**base, "column": "auc_diff", "statistic": "auc_diff", "value": t.auc_diff,
                             "ci_low": t.diff_ci_low, "ci_high": t.diff_ci_high})
        for t in self.between_cohorts.itertuples(index=False):
            (n1, e1), (n2, e2) = counts[t.cohort_1], counts[t.cohort_2]
            base = {"analysis": self.analysis, "table": "delong_between_cohorts", "row": t.model, "model": t.model,
                    "cohort": f"{t.cohort_1} vs {t.cohort_2}", "n": n1 + n2, "events": e1 + e2}
            stats = ("z", "p", "df") if "df" in self.between_cohorts.columns else ("z", "p")
            for stat in stats:
                rows.append({**base, "column": stat, "statistic": stat, "value": getattr(t, stat)})
        return tidy_frame(rows)

    def _tidy_accuracy(self) -> list[dict]:
        if self.accuracy is None:
            return []
        level = self.settings.get("conf_level", 0.95)
        rows = []
        for r in self.accuracy.to_dict("records"):
            base = {"analysis": self.analysis, "table": "diagnostic_accuracy", "row": r["model"], "model": r["model"],
                    "cohort": r["cohort"], "n": r["n"], "events": r["events"]}
            for k in COUNTS:
                rows.append({**base, "column": k.upper(), "statistic": k, "value": r[k]})
            for stat in PROPORTIONS:
                rows.append({**base, "column": _accuracy_header(stat, level), "statistic": stat,
                             "value": r[stat], "ci_low": r[f"{stat}_ci_low"], "ci_high": r[f"{stat}_ci_high"]})
        return rows

    def figures(self, folder: Path, formats=("png", "pdf")) -> list[Path]:
        """Figure 5 (the ROC curves of every model, one figure per cohort), the box plots of each score by
        outcome, and one waterfall plot per model (score minus its training cut-off)."""
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
