"""report.html: one self-contained page (Methods, every table and figure in the paper's order, the comparison
with the published paper when the study file gives one, checks).

Figures are embedded as base64 PNG; tables are the HTML written by :func:`eprstats.reporting.tables.write_table`.
The Methods paragraph is written from the run's actual settings and software versions.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pandas as pd

from ..audit.compare_report import counts, summary_line
from ..fileio import write_text
from ..reporting.citations import citation_lines
from ..reporting.provenance import software_versions
from ..reporting.tables import to_html
from .checklist import checklist_section
from .plan import NOT_CONFIGURED, ORDER

#: (file stem under tables/, heading) in the paper's order
TABLES = [
    ("table1", "table1", "Table 1. Baseline characteristics"),
    ("icc_summary", "icc", "Feature reproducibility (ICC)"),
    ("table2", "table2", "Table 2. Discrimination of the models"),
    ("delong_paired", "table2", "DeLong tests between models"),
    ("delong_between_cohorts", "table2", "DeLong tests between cohorts"),
    ("table3", "table3", "Table 3. The combined model (nomogram)"),
    ("calibration", "calibration", "Calibration statistics"),
    ("nri_idi", "nri", "NRI and IDI"),
]
#: (figure stem prefix, stage, heading) in the paper's order
FIGURES = [("figure5", "table2", "Figure 5. ROC curves"), ("figure6a", "table3", "Figure 6a. Nomogram"),
           ("figure6b", "calibration", "Figure 6b. Calibration curves"),
           ("figure6c", "dca", "Figure 6c. Decision curves")]

CSS = """body{font-family:Georgia,serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:2em}table.eprstats{border-collapse:collapse;
margin:1em 0;font-size:.85em}table.eprstats caption{text-align:left;font-weight:bold;padding:.3em 0}
table.eprstats th,table.eprstats td{border-top:1px solid #999;border-bottom:1px solid #ddd;padding:.2em .5em;
text-align:left}.note{font-size:.8em;color:#555}.banner{background:#fde8e8;border:2px solid #c00;padding:.8em;
font-weight:bold;margin:1em 0}.synthetic{background:#fff4d6;border:2px solid #d80;padding:.8em;margin:1em 0}
img{max-width:min(100%,720px);border:1px solid #eee}figure{margin:1em 0}.warn{font-size:.85em;font-family:monospace}
.skipped{color:#a00}tr.equal{background:#dff0d8}tr.different{background:#f8d7da}tr.not-recomputed{background:#e9ecef}
details summary{cursor:pointer;font-weight:bold;margin:.5em 0}"""


def _versions() -> dict:
    try:
        return software_versions(True)
    except Exception:  # the report must never fail on versions
        return {}


def _stage_manifests(out: Path) -> dict:
    folder = out / ".eprstats" / "stages"
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
    return {s: found[s] for s in ORDER if s in found}


_CI_WORDS = {"clopper-pearson": "exact Clopper-Pearson", "wilson": "Wilson score",
             "bootstrap": "pROC bootstrap (ci.coords)"}


def _stepwise_words(method: str) -> str:
    """Table 3's variable selection in words (``table3_stepwise``); nothing for the default (no selection)."""
    if method == "none":
        return ""
    if method.startswith("spss-"):
        kind = {"b": "backward", "f": "forward"}[method[5]]
        stat = {"wald": "Wald", "lr": "likelihood-ratio", "cond": "conditional", "step": "conditional"}[method[6:]]
        return (f", with {kind} stepwise selection as SPSS's LOGISTIC REGRESSION does it (removal by the {stat} "
                "statistic, entry by the score test, PIN 0.05, POUT 0.10)")
    return {"fastbw": ", with backward elimination by rms::fastbw", "aic": ", with backward selection by AIC (step)"}[method]


def _icc_words(s, icc: dict) -> str:
    """The ICC sentence; without second-reader or repeat masks no ICC was computed and no feature dropped."""
    words = ("Features with inter- and intra-observer intraclass correlation coefficients (two-way ANOVA mean "
             f"squares, McGraw & Wong 1996; computed by eprstats, equal to pingouin's) above {s.icc_threshold:g} "
             "were kept")
    unmeasured = [r.get("roi") for r in icc.get("summary", []) if r.get("note") == "no ICC readings"]
    if icc.get("not_done") and len(unmeasured) == len(icc.get("summary", [])):
        return "Feature reproducibility (ICC) was not assessed (no second-reader or repeat delineations); all " \
               "features were kept"
    if icc.get("not_done"):
        return words + f" (not assessed for {', '.join(map(str, unmeasured))}: no repeat delineations)"
    return words


def methods_paragraph(ctx, v: dict, manifests: dict) -> str:
    s = ctx.settings
    hand = manifests.get("handcrafted", {}).get("summary", {})
    deep = manifests.get("deep", {}).get("summary", {})
    n_feat = sorted(set((hand.get("features_per_roi") or {}).values()))
    radiomics = ("a reduced pyradiomics setting (" + s.reduced + ")" if s.reduced else
                 "the paper's pyradiomics setting (original image, Laplacian of Gaussian sigma 1.0 mm and eight "
                 "wavelet decompositions; bin width 5)")
    weights = deep.get("weights") or s.deep_weights
    rv = lambda p: v.get(f"R:{p}") or "?"  # noqa: E731
    parts = [
        f"Images were resampled to {' x '.join(f'{x:g}' for x in s.spacing)} mm (linear interpolation; masks "
        f"nearest neighbour). A {s.ring_mm:g} mm peritumoral ring and the tumour-plus-ring region were derived "
        f"from the tumour mask on the {', '.join(s.ring_phases)} phase by a Euclidean distance map, "
        "clipped to the liver mask.",
        f"Handcrafted features were extracted with PyRadiomics {v.get('pyradiomics-bhklab', '?')} (van Griethuysen "
        f"et al., Cancer Res 2017) using {radiomics}" + (f", {', '.join(map(str, n_feat))} features per ROI." if n_feat
                                                           else "."),
        f"Deep features (512 per slice) were taken from a ResNet34 (torchvision {v.get('torchvision', '?')}, "
        f"PyTorch {v.get('torch', '?')}) with {'RANDOM (untrained) weights' if str(weights) == 'random' else weights}"
        f" on {s.deep_crop_size}-pixel crops of three adjacent {s.deep_phase} slices.",
        _icc_words(s, manifests.get("icc", {}).get("summary", {})) + "; signatures were built "
        f"on the training cohort by mRMR ranking and LASSO logistic regression (glmnet {rv('glmnet')}, 10-fold "
        "cross-validation, lambda.min) followed by logistic regression.",
        f"Combined models and the nomogram were fitted with rms {rv('rms')} (Harrell)"
        + _stepwise_words(s.table3_stepwise) + "; ROC curves, AUCs with DeLong "
        f"95% confidence intervals and DeLong tests used pROC {rv('pROC')} (Robin et al., BMC Bioinformatics 2011), "
        f"with {_CI_WORDS[s.accuracy_ci_method]} intervals for sensitivity, specificity, PPV, NPV and accuracy"
        + (f" and Harrell's optimism-corrected AUC from {s.optimism_bootstrap} bootstrap resamples (rms::validate)"
           if s.optimism_bootstrap else "") + "; "
        f"calibration used rms::calibrate with {s.bootstrap} bootstrap resamples and val.prob, with "
        f"the Hosmer-Lemeshow test ({'SPSS' if s.hl_grouping == 'spss' else 'quantile'} grouping; {s.hl_external_df} "
        "df on the external cohort); NRI/IDI and decision curves (net benefit, Vickers & Elkin 2006) were computed "
        "with eprstats' own R code.",
        f"Table 1 compared categorical variables by the {s.table1_rule} rule"
        + (" (Pearson chi-square, Yates-corrected or Fisher's exact test by expected counts)"
           if s.table1_rule == "textbook" else "")
        + f" and continuous variables by the {s.table1_continuous_rule} rule"
        + (" (Levene's test choosing the t-test row, as SPSS's T-TEST)" if s.table1_continuous_rule == "spss" else "")
        + " (R's stats package).",
        f"Analyses ran in Python {v.get('python', '?')} and {v.get('R') or 'R'} with eprstats "
        f"{v.get('eprstats', '?')}; seed {s.seed}.",
    ]
    return " ".join(parts)


def _figure(path: Path, caption: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _frame_html(frame: pd.DataFrame) -> str:
    return to_html(frame)


def checks_section(ctx, manifests: dict) -> str:
    out = []
    models = ctx.out / "features" / "models.json"
    if models.is_file():
        info = json.loads(models.read_text(encoding="utf-8"))
        rows = [{"model": k, "kind": m["kind"], "variables": m["n_variables"], "events (rarer class)": m["events"],
                 "EPV": m["epv"], "flag": "EPV < 10" if m["epv"] is not None and m["epv"] < 10 else ""}
                for k, m in info["models"].items()]
        rows += [{"model": k, "kind": "NOT BUILT", "variables": "", "events (rarer class)": "", "EPV": "",
                  "flag": msg} for k, msg in info.get("failed", {}).items()]
        out.append("<h3>Events per variable</h3>" + _frame_html(pd.DataFrame(rows)))
    m = ctx.study.manifest
    bal = (m.groupby([ctx.study.cohort_column, ctx.study.outcome_column]).size().unstack(fill_value=0)
           .reset_index().rename(columns=str))
    out.append("<h3>Class balance per cohort</h3>" + _frame_html(bal))
    dropped = ctx.out / "features" / "icc_dropped.csv"
    if dropped.is_file():
        d = pd.read_csv(dropped)
        summary = (d.groupby(["roi", "reason"]).size().reset_index(name="features dropped") if len(d)
                   else pd.DataFrame({"roi": [], "reason": [], "features dropped": []}))
        out.append("<h3>Features dropped and why</h3>" + _frame_html(summary))
    rows = []
    for stage, man in manifests.items():
        for w in man.get("warnings", []):
            rows.append(f"<li><b>{html.escape(stage)}</b>: {html.escape(w)}</li>")
    out.append(f"<h3>Warnings raised during the run ({len(rows)})</h3>"
               + (f'<ul class="warn">{"".join(rows)}</ul>' if rows else "<p>None.</p>"))
    srows = [{"stage": s, "status": man.get("status"), "wall time (s)": man.get("wall_s")}
             for s, man in manifests.items()]
    out.append("<h3>Stages</h3>" + _frame_html(pd.DataFrame(srows)))
    return "\n".join(out)


def comparison_note(synthetic: bool) -> str | None:
    """Why the demo's comparison with the paper looks as it does (None for a real study)."""
    if not synthetic:
        return None
    return ("SYNTHETIC DATA: the demo's clinical variables were generated so that every count of the paper's "
            "Table 1 is reproduced, so Table 1 (counts, percentages and p-values) is recomputed equal to the "
            "paper's. Every other number (Tables 2 and 3, the AUCs, odds ratios and DeLong P values of the text) "
            "comes from models fitted on synthetic images, not on the paper's patients, and is expected to differ. "
            "A cohort size or event rate that differs while Table 1 is equal is an inconsistency of the paper "
            "itself (eprstats audit lists them).")


def comparison_section(ctx, manifests: dict) -> str:
    """"Comparison with the published paper": the summary line, then per table published | recomputed |
    verdict, coloured (the rows of tables/compare.csv); '' when the stage did not compute it."""
    path = ctx.out / "tables" / "compare.csv"
    if (ctx.settings.published is None or manifests.get("compare", {}).get("status") != "computed"
            or not path.is_file()):
        return ""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)  # the printed text as printed ("0.080")
    parts = ['<h2 id="comparison">Comparison with the published paper</h2>',
             f"<p><b>{html.escape(summary_line(frame))}</b></p>",
             f"<p>Every number printed in the paper (<code>{html.escape(str(ctx.settings.published))}</code>) beside "
             "the number this run recomputed: <i>equal</i> when the recomputed value rounds to the printed digits, "
             "<i>different</i> (the difference in units of the last printed digit) or <i>not recomputed</i> (and "
             "why). All rows: tables/compare.csv and tables/compare.html.</p>"]
    note = comparison_note(ctx.synthetic)
    if note:
        parts.append(f'<div class="synthetic">{html.escape(note)}</div>')
    head = "".join(f"<th>{h}</th>" for h in ("where", "published", "recomputed", "verdict", "difference (units)",
                                             "detail"))
    for table, c in counts(frame).items():
        part = frame[frame["table"] == table]
        rows = "".join(
            f'<tr class="{r.verdict.replace(" ", "-")}"><td>{html.escape(" / ".join(x for x in (r.row, r.column) if x))}'
            f"</td><td>{html.escape(r.published)}</td><td>{html.escape(r.recomputed_printed)}</td>"
            f"<td>{html.escape(r.verdict)}</td><td>{html.escape(r.difference)}</td><td>{html.escape(r.detail)}</td></tr>"
            for r in part.itertuples(index=False))
        # a table whose every number is equal is folded away: the eye goes to what differs
        opened = " open" if c["equal"] < len(part) else ""
        parts.append(f"<details{opened}><summary>{html.escape(summary_line(part))}</summary>"
                     f'<table class="eprstats"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></details>')
    return "\n".join(parts)


def cite_section(versions: dict) -> str:
    """"How to cite": the software behind this run's numbers with the versions it used, and the seed paper."""
    return ('<h2 id="cite">How to cite</h2><p>The software that computed these results, at the versions this run '
            "used, and the study whose design the demo follows:</p><ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in citation_lines(versions)) + "</ul>")


def write_report(ctx) -> Path:
    """Write ``<out>/report.html`` from the run's outputs and return its path."""
    out = ctx.out
    v = _versions()
    manifests = _stage_manifests(out)
    body = [f"<h1>{html.escape(ctx.settings.name or 'eprstats study')}</h1>"]
    if ctx.settings.deep_weights == "random":
        body.append('<div class="banner">The deep features come from a ResNet34 with RANDOM weights (no ImageNet '
                    "weights were available): the PVP_DLR signature and every model using it are a demonstration "
                    "only, not the paper's method.</div>")
    if ctx.synthetic:
        body.append('<div class="synthetic">SYNTHETIC DATA: this cohort was generated by <code>eprstats demo</code>. '
                    "Table 1 reproduces the paper's counts by construction; every other value is whatever the "
                    "synthetic images give and says nothing about patients.</div>")
    if ctx.settings.reduced:
        body.append(f'<div class="synthetic">Reduced settings: {html.escape(ctx.settings.reduced)}</div>')
    body.append("<h2>Methods</h2><p>" + html.escape(methods_paragraph(ctx, v, manifests)) + "</p>")
    body.append("<h2>Results</h2>")
    # Only outputs of stages computed in this run's state (a skipped or failed stage's old files are not shown).
    done = {st for st, m in manifests.items() if m.get("status") == "computed"}
    for stem, stage, heading in TABLES:
        path = out / "tables" / f"{stem}.html"
        if path.is_file() and stage in done:
            body.append(f'<section id="{stem}">' + path.read_text(encoding="utf-8") + "</section>")
    for prefix, stage, heading in FIGURES:
        pngs = sorted((out / "figures").glob(f"{prefix}*.png"))
        if pngs and stage in done:
            note = (manifests.get(stage, {}).get("summary") or {}).get("note")
            body.append(f"<h3>{html.escape(heading)}</h3>" + "".join(_figure(p, p.stem) for p in pngs)
                        + (f'<p class="note">{html.escape(note)}</p>' if note else ""))
    # a stage the study file does not ask for (no 'published:') is not a stage that failed to compute
    skipped = [f"<li>{html.escape(s)}: {html.escape(str(m.get('status')))}</li>" for s, m in manifests.items()
               if not str(m.get("status")).startswith(("computed", NOT_CONFIGURED))]
    # computed, but without doing its step (the icc stage without second-reader masks keeps every feature)
    skipped += [f"<li>{html.escape(s)}: not done: {html.escape(str(m['summary']['not_done']))}</li>"
                for s, m in manifests.items()
                if m.get("status") == "computed" and (m.get("summary") or {}).get("not_done")]
    if skipped:
        body.append('<h3 class="skipped">Stages not computed or not done</h3><ul>' + "".join(skipped) + "</ul>")
    body.append(comparison_section(ctx, manifests))
    # provenance.json is written after the report: this run's settings and versions are passed
    body.append(checklist_section(out, settings=ctx.settings.as_dict(), versions=v))
    body.append("<h2>Checks</h2>" + checks_section(ctx, manifests))
    soft = {k: val for k, val in v.items() if val}
    body.append("<h2>Software</h2>" + _frame_html(pd.DataFrame({"software": list(soft), "version": list(soft.values())})))
    body.append(cite_section(v))
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>eprstats report</title>'
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n")
    return write_text(out / "report.html", page)
