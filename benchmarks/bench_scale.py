"""Benchmark (not a test): the cost curve of ``eprstats run`` on the demo study at 40, 80, 160, 320 patients.

For each size the demo's generator (``make_demo_study(patients=N)``: the paper's Table 1 counts scaled, the ICC
sample 30/157 of the patients, tumours 2-4 cm as in the default demo) writes the study; then
``eprstats run STUDY --jobs 2`` runs in a subprocess with the demo's default (paper) settings: 944 features
per ROI, 224-pixel deep crops on CPU, B = 1000. Measured per size:

* each stage's wall time and status, read from the run's ``provenance.json`` (the runner's own timings: not
  re-timed here); a stage that fails or is skipped (e.g. 10 Hosmer-Lemeshow groups in an external cohort of
  11 at 40 patients) is recorded with its reason and left out of the fits;
* per stage: CPU seconds and peak memory of the run's process tree (the sum of the resident memory of the run
  and its worker processes, sampled every 0.2 s; CPU = user + system of the tree at the stage's start and end
  lines, reaped children included), attributed by the runner's ``[stage] running ...`` lines;
* for the whole run: ``os.wait4``'s ``ru_maxrss`` (the largest single process of the tree: the run or one
  of its reaped workers, NOT their sum; Linux starts it at this process's own resident memory when the run
  is started, a few hundred MB here, well below the run's) and its user + system CPU time; the sampled tree
  peak (their sum);
* the machine's 1-minute load average before and after (other jobs share the 2 cores).

Fits, per stage, on the sizes where it finished, of its wall seconds and of its CPU seconds: log(t) = a +
b log(N) (the exponent b), and a line t = c0 + c1 x in the stage's own unit x (ROI extractions for
``handcrafted``, tumour slices for ``deep``, ICC patients for ``icc``, patients otherwise). The projection for
5,000 patients uses, for a per-patient stage, the line (independent per-patient work: a start-up cost plus a
cost per unit; the start-up cost bends the power law below 1 at small N); for a client stage whose time
hardly grows over the measured sizes (b < 0.5: fixed costs dominate), its time at the largest size x N /
N_largest (an upper bound for a stage at most linear in N); otherwise the better of the two fits. Columns:
1 machine of 2 cores = the wall-time projection (as measured, ``--jobs 2``); a cluster of 16 single-core
workers = the per-patient stages (validate, rois, handcrafted, deep) at their projected CPU seconds / 16
(their work spread evenly; scheduling and shared file-system costs not counted), the other stages on the
client as on 1 machine.

Outputs (``--results``, default benchmarks/results/): ``scale[_small]_runs.json`` (everything measured),
``scale[_small]_stages.csv`` (one row per size and stage), ``scale[_small]_fit.csv`` and ``.md`` (the
table), and the log-log figure docs/figures/scale[_small].png / .pdf. Sizes already in the runs file are
kept, so sizes may be run one call at a time; ``--fit-only`` redoes the fit and figure from it.

Usage::

    python benchmarks/bench_scale.py --sizes 40            # one size (the default study settings)
    python benchmarks/bench_scale.py                       # 40 80 160 320 (about 1 h alone on 2 cores)
    python benchmarks/bench_scale.py --small --sizes 40 80 # reduced demo settings: a quick check
    python benchmarks/bench_scale.py --fit-only            # refit and redraw from the saved runs
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_PATIENT = ("validate", "rois", "handcrafted", "deep")  # spread over the cluster's workers
UNITS = {"handcrafted": "roi_extractions", "deep": "deep_slices", "icc": "icc_patients"}
TARGET_N, CLUSTER_WORKERS = 5000, 16


# ------------------------------------------------------------------------------------------- measuring a run

class TreeMonitor:
    """Samples the resident memory of a process and its descendants; marks stage boundaries from its output."""

    def __init__(self, pid: int):
        import psutil
        self.root = psutil.Process(pid)
        self.peak = 0
        self.stage = None
        self.stages: dict = {}  # stage -> {"peak_rss": bytes, "cpu0": s, "cpu1": s}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _procs(self):
        import psutil
        try:
            return [self.root] + self.root.children(recursive=True)
        except psutil.Error:
            return []

    def _rss(self) -> int:
        import psutil
        total = 0
        for p in self._procs():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def cpu(self) -> float:
        """User + system seconds of the live tree, including its reaped children's."""
        import psutil
        total = 0.0
        for p in self._procs():
            try:
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
            except psutil.Error:
                pass
        return total

    def _sample(self):
        while not self._stop.is_set():
            rss = self._rss()
            self.peak = max(self.peak, rss)
            if self.stage is not None:
                rec = self.stages[self.stage]
                rec["peak_rss"] = max(rec["peak_rss"], rss)
            self._stop.wait(0.2)

    def line(self, text: str):
        """A line of the run's output: '[stage] running ...' opens a stage, the next '[stage] ...' closes it."""
        if not text.startswith("["):
            return
        name, _, rest = text[1:].partition("]")
        if rest.strip().startswith("running"):
            self.stages[name] = {"peak_rss": self._rss(), "cpu0": self.cpu(), "t0": time.perf_counter()}
            self.stage = name
        elif name == self.stage:
            rec = self.stages[name]
            rec["cpu1"], rec["t1"] = self.cpu(), time.perf_counter()
            self.stage = None

    def stop(self):
        self._stop.set()
        self._thread.join()


def run_measured(cmd, log_path: Path) -> dict:
    """Run ``cmd``; its output to ``log_path``; wall, exit code, rusage of the tree and the monitor's data."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")  # the stage lines as they happen
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True, bufsize=1)
    mon = TreeMonitor(proc.pid)
    with open(log_path, "w", encoding="utf-8") as log:
        for text in proc.stdout:
            log.write(text)
            log.flush()
            mon.line(text.strip())
    cpu_before_exit = mon.cpu()
    # wait4, not wait: the rusage of this child and the descendants it reaped (RUSAGE_CHILDREN of this
    # process would mix in the generator's workers)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    mon.stop()
    return {"wall_s": wall, "returncode": proc.returncode, "ru_maxrss_gib": usage.ru_maxrss / 2 ** 20,
            "ru_cpu_s": usage.ru_utime + usage.ru_stime, "tree_cpu_s_sampled": cpu_before_exit,
            "tree_peak_rss_gib": mon.peak / 2 ** 30,
            "stage_monitor": {k: {"peak_rss_gib": v["peak_rss"] / 2 ** 30,
                                  "cpu_s": (v.get("cpu1", v["cpu0"]) - v["cpu0"])} for k, v in mon.stages.items()}}


def study_counts(data: Path, results: Path) -> dict:
    """Work units of the run: patients, ICC patients, ROI extractions, features per ROI, deep slices, B."""
    import yaml
    manifest = pd.read_csv(data / "manifest.csv")
    n_icc = int(manifest["PVP_mask_reader2"].notna().sum())
    study = yaml.safe_load((data / "study.yaml").read_text(encoding="utf-8"))
    stage = results / ".eprstats" / "stages"
    def summary(name):
        path = stage / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8")).get("summary", {}) if path.is_file() else {}

    hand, deep = summary("handcrafted"), summary("deep")
    n_rois = len(hand.get("rois", [])) or None
    return {"patients": int(len(manifest)), "external": int((manifest["cohort"] == "external").sum()),
            "icc_patients": n_icc,
            # 5 ROIs a patient (AP, PVP, DP tumour; PVP ring and tumour + ring), x3 for an ICC patient (readers)
            "roi_extractions": int(5 * len(manifest) + 10 * n_icc),
            "roi_tables": n_rois, "features_per_roi": max((hand.get("features_per_roi") or {"": None}).values(),
                                                          default=None),
            "deep_slices": deep.get("slices"), "bootstrap": int(study.get("bootstrap", 1000))}


def run_size(n: int, args, work: Path) -> dict:
    from eprstats.study.demo import make_demo_study
    folder = work / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    study = make_demo_study(folder / "data", small=args.small, patients=n, jobs=args.jobs)
    gen = time.perf_counter() - t0
    load1 = os.getloadavg()[0]
    print(f"[{n} patients] study written in {gen:.0f} s (load {load0:.2f} -> {load1:.2f}); running ...", flush=True)
    cmd = [sys.executable, "-m", "eprstats.cli", "run", str(study), "--out", str(folder / "results"),
           "--jobs", str(args.jobs)]
    measured = run_measured(cmd, folder / "run.log")
    load2 = os.getloadavg()[0]
    prov = json.loads((folder / "results" / "provenance.json").read_text(encoding="utf-8"))
    stages = {}
    for name, rec in prov["stages"].items():
        mon = measured["stage_monitor"].get(name, {})
        stages[name] = {"status": rec["status"], "wall_s": rec["wall_s"], "cpu_s": mon.get("cpu_s"),
                        "peak_rss_gib": mon.get("peak_rss_gib")}
    out = {"patients": n, "small": args.small, "jobs": args.jobs, "generate_s": gen,
           "load_before_generate": load0, "load_before_run": load1, "load_after_run": load2,
           "counts": study_counts(folder / "data", folder / "results"), "stages": stages,
           **{k: v for k, v in measured.items() if k != "stage_monitor"},
           "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    tail = (folder / "run.log").read_text(encoding="utf-8").splitlines()[-3:]
    out["log_tail"] = tail
    print(f"[{n} patients] run {measured['wall_s']:.0f} s, exit {measured['returncode']}, CPU "
          f"{measured['ru_cpu_s']:.0f} s, peak RSS tree {measured['tree_peak_rss_gib']:.2f} GiB / largest "
          f"process {measured['ru_maxrss_gib']:.2f} GiB, load {load1:.2f} -> {load2:.2f}", flush=True)
    for name, rec in stages.items():
        if rec["status"] != "not configured":
            print(f"    {name:12s} {rec['status'][:60]:60s} {rec['wall_s'] if rec['wall_s'] is not None else '-':>8}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return out


# -------------------------------------------------------------------------------------------------- fitting

def _fit_stage(points: list[tuple[float, float, float]], target_x: float, per_patient: bool = False) -> dict:
    """points: (patients, unit x, seconds). A power law in patients and a line in x, and the projection.

    Which fit projects: for a per-patient stage the line in its unit (the patients' work is independent: a
    start-up cost plus a cost per ROI, slice or patient; that start-up cost is what bends the power law
    below 1 at small N, so the power law would under-project); for a client stage whose time hardly grows
    over the measured sizes (b < 0.5: fixed costs, R calls and model set-up dominate, so the measured
    exponent is not the one at scale), the time at the largest size scaled proportionally to N, an upper
    bound for any stage at most linear in N; otherwise the better of the two fits (smaller RMS log
    residual)."""
    n = np.array([p[0] for p in points], float)
    x = np.array([p[1] for p in points], float)
    t = np.maximum(np.array([p[2] for p in points], float), 0.01)  # the runner rounds to 0.01 s
    b, a = np.polyfit(np.log(n), np.log(t), 1)
    power = np.exp(a) * n ** b
    c1, c0 = np.polyfit(x, t, 1) if np.ptp(x) > 0 else (0.0, -1.0)  # one x (e.g. the ICC sample's minimum)
    if c0 < 0 or c1 < 0:  # a negative start-up cost is not physical: through the origin instead
        c0, c1 = 0.0, float(np.sum(x * t) / np.sum(x * x))
    linear = np.maximum(c0 + c1 * x, 1e-3)
    rms = lambda f: float(np.sqrt(np.mean(np.log(f / t) ** 2)))  # noqa: E731
    out = {"exponent": float(b), "intercept": float(a), "rms_power": rms(power), "c0": float(c0),
           "c1": float(c1), "rms_linear": rms(linear), "proj_power": float(np.exp(a) * TARGET_N ** b),
           "proj_linear": float(c0 + c1 * target_x), "proj_proportional": float(t[-1] * TARGET_N / n[-1])}
    out["model"] = ("linear" if per_patient else "proportional" if b < 0.5
                    else "linear" if out["rms_linear"] < out["rms_power"] else "power")
    out["projection_s"] = out[f"proj_{out['model']}"]
    return out


def target_units(runs: list[dict]) -> dict:
    """Each unit at 5,000 patients: ROI extractions by the demo's rule, slices and ICC patients by their ratio."""
    n_icc = max(5, round(30 * TARGET_N / 157))
    slices = [r["counts"]["deep_slices"] / r["patients"] for r in runs if r["counts"].get("deep_slices")]
    return {"patients": TARGET_N, "icc_patients": n_icc, "roi_extractions": 5 * TARGET_N + 10 * n_icc,
            "deep_slices": float(np.mean(slices)) * TARGET_N if slices else float("nan")}


def fit(runs: list[dict]) -> pd.DataFrame:
    """One row per stage: wall and CPU seconds per size, the fits of both (``wall_*`` and ``cpu_*``) and the
    projections for 5,000 patients:

    * ``machine_s``: 1 machine of 2 cores, as measured here (``--jobs 2``): the wall-time fit;
    * ``cluster_s``: 16 single-core workers: a per-patient stage's projected CPU seconds (the run and its
      workers) divided by 16, i.e. its work spread evenly, without scheduling or file-system costs; the other
      stages stay on the client, as on 1 machine.
    """
    runs = sorted(runs, key=lambda r: r["patients"])
    units = target_units(runs)
    names = [s for s in runs[-1]["stages"] if any(r["stages"].get(s, {}).get("status") == "computed" for r in runs)]
    rows = []
    for stage in names:
        unit = UNITS.get(stage, "patients")
        row = {"stage": stage, "unit": unit, "where": "workers" if stage in PER_PATIENT else "client"}
        wall_pts, cpu_pts = [], []
        for r in runs:
            rec, n = r["stages"].get(stage, {}), r["patients"]
            ok = rec.get("status") == "computed"
            row[f"t_{n}"] = rec.get("wall_s") if ok else None
            row[f"cpu_{n}"] = rec.get("cpu_s") if ok else None
            row[f"status_{n}"] = rec.get("status")
            if ok:
                x = r["counts"][unit] if unit != "patients" else n
                wall_pts.append((n, x, rec["wall_s"]))
                if rec.get("cpu_s") is not None:
                    cpu_pts.append((n, x, rec["cpu_s"]))
        row["fit_points"] = len(wall_pts)
        if len(wall_pts) >= 2:
            row.update({f"wall_{k}": v for k, v in _fit_stage(wall_pts, units[unit], stage in PER_PATIENT).items()})
            row["machine_s"] = row["wall_projection_s"]
            row["cluster_s"] = row["machine_s"]
        if len(cpu_pts) >= 2:
            row.update({f"cpu_{k}": v for k, v in _fit_stage(cpu_pts, units[unit], stage in PER_PATIENT).items()})
            if stage in PER_PATIENT:
                row["cluster_s"] = row["cpu_projection_s"] / CLUSTER_WORKERS
        rows.append(row)
    return pd.DataFrame(rows)


def _hms(seconds) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _cell(value, status) -> str:
    if value is not None and not pd.isna(value):
        return f"{value:.1f}"
    return (status or "-").split(":")[0]


def _model_text(r, prefix: str, last_n: int) -> str:
    model = r[f"{prefix}model"]
    if model == "power":
        return f"N^{r[prefix + 'exponent']:.2f}"
    if model == "proportional":
        return f"<= t({last_n}) x N/{last_n}"
    return f"{r[prefix + 'c0']:.0f} + {r[prefix + 'c1']:.3g} x {r['unit'].replace('_', ' ').replace('roi', 'ROI')}"


def markdown(table: pd.DataFrame, runs: list[dict]) -> str:
    sizes = sorted(r["patients"] for r in runs)
    head = ["stage", *[f"{n} pts" for n in sizes], f"CPU s at {sizes[-1]}", "b (wall)", "b (CPU)",
            "projection (wall)", f"{TARGET_N:,} pts, 1 machine of 2 cores",
            f"{TARGET_N:,} pts, {CLUSTER_WORKERS} workers"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in table.iterrows():
        cells = [r["stage"], *[_cell(r.get(f"t_{n}"), r.get(f"status_{n}")) for n in sizes],
                 _cell(r.get(f"cpu_{sizes[-1]}"), r.get(f"status_{sizes[-1]}"))]
        if r["fit_points"] >= 2:
            cells += [f"{r['wall_exponent']:.2f}", f"{r.get('cpu_exponent', float('nan')):.2f}",
                      _model_text(r, "wall_", sizes[-1]), _hms(r["machine_s"]), _hms(r["cluster_s"])]
        else:
            cells += ["-", "-", "too few points", "-", "-"]
        lines.append("| " + " | ".join(cells) + " |")
    fitted = table[table["fit_points"] >= 2]
    ordered = sorted(runs, key=lambda r: r["patients"])
    totals = ["**whole run**", *[f"{sum(v['wall_s'] or 0 for v in r['stages'].values()):.0f}" for r in ordered],
              f"{sum(v['cpu_s'] or 0 for v in ordered[-1]['stages'].values()):.0f}", "", "", "",
              f"**{_hms(fitted['machine_s'].sum())}**", f"**{_hms(fitted['cluster_s'].sum())}**"]
    lines.append("| " + " | ".join(totals) + " |")
    loads = ", ".join(f"{r['patients']}: {r['load_before_run']:.1f} -> {r['load_after_run']:.1f}" for r in ordered)
    lines.append(f"\nWall seconds of each stage with --jobs 2 (the runner's provenance.json); 1-minute load average "
                 f"of the shared 2-core machine before -> after each run: {loads}.\n")
    return "\n".join(lines) + "\n"


def _model_curve(r, prefix: str, grid: np.ndarray, per_patient_units: float) -> np.ndarray:
    model = r[f"{prefix}model"]
    if model == "power":
        return np.exp(r[f"{prefix}intercept"]) * grid ** r[f"{prefix}exponent"]
    if model == "proportional":
        return r[f"{prefix}proj_proportional"] * grid / TARGET_N
    return r[f"{prefix}c0"] + r[f"{prefix}c1"] * grid * per_patient_units


def _panel(ax, table, runs, value: str, prefix: str, total_proj: float) -> None:
    """Measured ``value`` (t_ or cpu_) per stage, solid, and its projection (``prefix`` fit), dashed."""
    units = target_units(runs)
    grid = np.geomspace(min(r["patients"] for r in runs), TARGET_N, 60)
    shown = table[table["fit_points"] >= 2].sort_values("machine_s", ascending=False).head(6)
    for i, (_, r) in enumerate(shown.iterrows()):
        pts = [(run["patients"], r.get(f"{value}{run['patients']}")) for run in runs]
        pts = [(n, t) for n, t in pts if t is not None and not pd.isna(t)]
        how = {"proportional": "\u221d N from the largest size", "power": f"N^{r[prefix + 'exponent']:.2f}",
               "linear": "line in " + r["unit"].replace("_", " ").replace("roi", "ROI")}[r[f"{prefix}model"]]
        line, = ax.plot(*zip(*pts), "o-", color=f"C{i}", label=f"{r['stage']} (b = {r[prefix + 'exponent']:.2f}; "
                                                            f"projected: {how})")
        ax.plot(grid, _model_curve(r, prefix, grid, units[r["unit"]] / TARGET_N), "--", color=line.get_color(),
                lw=0.8)
    key = "wall_s" if value == "t_" else "cpu_s"
    totals = [(run["patients"], sum(v[key] or 0 for v in run["stages"].values())) for run in runs]
    ax.plot(*zip(*totals), "ks-", lw=2, label="whole run")
    ax.plot([TARGET_N], [total_proj], "k*", ms=12, label=f"whole run at {TARGET_N:,}: sum of the projections")
    ax.axvline(TARGET_N, color="grey", lw=0.6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("patients")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6.5, loc="upper left")


def figure(table: pd.DataFrame, runs: list[dict], path: Path, small: bool) -> None:
    """Log-log, two panels: (a) wall seconds with --jobs 2, measured (solid) and projected (dashed) to 5,000
    patients: the 1-machine column; (b) CPU seconds of the run and its workers, the basis of the cluster column."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    runs = sorted(runs, key=lambda r: r["patients"])
    fitted = table[table["fit_points"] >= 2]
    fig, (ax_wall, ax_cpu) = plt.subplots(1, 2, figsize=(13, 5.4), sharey=True)
    _panel(ax_wall, table, runs, "t_", "wall_", fitted["machine_s"].sum())
    _panel(ax_cpu, table, runs, "cpu_", "cpu_", fitted["cpu_projection_s"].sum())
    ax_wall.set_ylabel("seconds")
    loads = ", ".join(f"{r['patients']}: {r['load_before_run']:.1f}-{r['load_after_run']:.1f}" for r in runs)
    ax_wall.set_title(f"(a) wall time, --jobs 2, 2-core machine (load average {loads})", fontsize=8.5)
    ax_cpu.set_title(f"(b) CPU time of the run and its workers ({CLUSTER_WORKERS} workers: per-patient stages / "
                     f"{CLUSTER_WORKERS})", fontsize=8.5)
    settings = "reduced (--small) settings" if small else "paper settings (944 features, 224-px crops, B = 1000)"
    fig.suptitle(f"eprstats run on the demo study, {settings}: measured (solid) and projected (dashed) to "
                 f"{TARGET_N:,} patients", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path.with_suffix(".png"), dpi=150)
    fig.savefig(path.with_suffix(".pdf"))
    plt.close(fig)


# ----------------------------------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=None, help="patients (default 40 80 160 320)")
    ap.add_argument("--small", action="store_true", help="the demo's reduced settings (default sizes 40 80)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None, help="folder for the studies (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep each size's study and outputs")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--figure", type=Path, default=ROOT / "docs" / "figures" / "scale.png")
    ap.add_argument("--fit-only", action="store_true", help="refit and redraw from the saved runs")
    args = ap.parse_args(argv)
    sizes = args.sizes or ([40, 80] if args.small else [40, 80, 160, 320])
    tag = "scale_small" if args.small else "scale"
    args.results.mkdir(parents=True, exist_ok=True)
    runs_path = args.results / f"{tag}_runs.json"
    runs = {r["patients"]: r for r in json.loads(runs_path.read_text())} if runs_path.is_file() else {}

    if not args.fit_only:
        work = args.work or Path(tempfile.mkdtemp(prefix="bench_scale_"))
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            runs[n] = run_size(n, args, work)
            # written after every size, so that a long curve keeps what it measured
            runs_path.write_text(json.dumps([runs[k] for k in sorted(runs)], indent=1), encoding="utf-8")
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    all_runs = [runs[k] for k in sorted(runs)]
    rows = [{"patients": r["patients"], "stage": s, **v, "load_before_run": r["load_before_run"],
             "load_after_run": r["load_after_run"]} for r in all_runs for s, v in r["stages"].items()]
    pd.DataFrame(rows).to_csv(args.results / f"{tag}_stages.csv", index=False, lineterminator="\n")
    if len(all_runs) < 2:
        print("one size measured: no fit yet (run another size)")
        return 0
    table = fit(all_runs)
    table.to_csv(args.results / f"{tag}_fit.csv", index=False, lineterminator="\n")
    md = markdown(table, all_runs)
    (args.results / f"{tag}_fit.md").write_text(md, encoding="utf-8")
    fig_path = args.figure if not args.small else args.figure.with_name(args.figure.stem + "_small.png")
    figure(table, all_runs, fig_path, args.small)
    print(md)
    print(f"written: {runs_path}, {tag}_stages.csv, {tag}_fit.csv/.md in {args.results}; figure {fig_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
