"""Benchmark (not a test): the eprstats engine against pyradiomics' batch command and today's shared-filter path.

Three ways to extract the same ROIs with the same parameter file (the paper's settings shipped with eprstats),
one after the other in THIS run on THIS machine (other jobs may share it: compare the ratios within one run,
never figures of different runs):

* ``pyradiomics``: pyradiomics' own batch command, ``pyradiomics cases.csv --param ... --jobs J`` (one row per
  ROI);
* ``shared-filter``: ``eprstats extract cases.csv --engine pyradiomics --jobs J`` (pyradiomics' classes; the
  filtered images shared between ROIs of one grid; the bit-identical sparse MCC);
* ``eprstats``: ``eprstats extract cases.csv --engine eprstats --jobs J`` (docs/engine.md),

each with 1 worker and with 2 (``--workers``), on two data sets (``--sets``):

* ``small``: 3 synthetic liver-MRI-like patients (0.78 x 0.78 x 3 mm, tumours 2-4 cm, liver about 800 +- 150,
  so 200-500 grey levels at bin width 5) x 5 ROIs (AP, PVP, DP tumour; PVP 3 mm ring; tumour plus ring);
* ``demo``: ``--demo-patients`` patients of the full demo (eprstats/study/demo.py, 0.8 x 0.8 x 3 mm, tumours
  2-4 cm), resampled to 1 mm and their PVP ROIs derived as the study does (tumour, 3 mm ring, tumour plus
  ring, second reader): the paper-setting demo ROIs.

Reported per set and worker count: wall seconds, the ratio to pyradiomics and to the shared-filter path, and
peak memory (sum of the resident memory of the process tree, sampled every 0.1 s); whether every value equals
pyradiomics' (within 1e-10 relative, 1e-12 absolute; bit-identical for the shared-filter path). Then, in this
process, the per-feature-class split of one patient per set for both engines in CPU seconds (class
constructor, which discretises and builds the matrix, plus its features; ``shape``: the shape classes with
their cropping; ``preparation`` is the rest: mask checks, resampling, filtering, cropping, diagnostics), and
pyradiomics' own extractor on the same ROIs (one
``execute`` per ROI, as its batch command): per-ROI ratios that the machine's load and the commands'
start-up (imports) and output writing do not enter. BLAS/OpenMP threads are 1 per worker in every run.

Results: printed, and written to ``benchmarks/results/extraction.json`` and ``extraction.md``.

Usage::

    python benchmarks/bench_extraction.py                      # both sets, 1 and 2 workers
    python benchmarks/bench_extraction.py --sets small --workers 1
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# One BLAS/OpenMP thread in this process too (the class split runs here), set before numpy loads BLAS: set in
# main(), after `import numpy`, it came too late, and idle BLAS threads spinning on the shared machine's second
# core entered the split's CPU seconds (the MCC's eigensolvers: 1.7 s of GLCM instead of 0.3).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402 (after the thread settings above)
import pandas as pd

SPACING = (0.78125, 0.78125, 3.0)  # x, y, z in mm: a typical liver MRI acquisition
PHASE_CONTRAST = {"AP": (1100, 230), "PVP": (950, 180), "DP": (870, 160)}  # tumour mean, SD
RESULTS = Path(__file__).resolve().parent / "results"
TOOLS = ("pyradiomics", "shared-filter", "eprstats")


def make_patient(folder: Path, pid: str, diameter_mm: float, rng) -> list[dict]:
    import SimpleITK as sitk
    from scipy.ndimage import gaussian_filter

    # field of view: the tumour plus 2.5 cm of liver on each side (about a liver's extent)
    extent_mm = diameter_mm + 50.0
    size = [int(np.ceil(extent_mm / s)) for s in SPACING]  # x, y, z
    zz, yy, xx = np.indices(size[::-1]).astype(float)
    centre = [(n - 1) / 2 for n in size[::-1]]
    # physical distance from the centre, with a gently irregular (lobulated) surface
    dz, dy, dx = ((zz - centre[0]) * SPACING[2], (yy - centre[1]) * SPACING[1], (xx - centre[2]) * SPACING[0])
    r = np.sqrt(dx ** 2 + dy ** 2 + dz ** 2)
    theta = np.arctan2(dy, dx)
    phi = np.arccos(np.clip(dz / np.maximum(r, 1e-9), -1, 1))
    radius = diameter_mm / 2 * (1 + 0.08 * np.sin(3 * theta + rng.uniform(0, 6)) * np.sin(2 * phi))
    tumour = r <= radius
    plus = r <= radius + 3.0  # 3 mm ring in mm, as the paper
    ring = plus & ~tumour
    rows = []
    masks = {"tumour": tumour, "ring": ring, "plus": plus}
    mask_files = {}
    for name, arr in masks.items():
        m = sitk.GetImageFromArray(arr.astype(np.uint8))
        m.SetSpacing(SPACING)
        mask_files[name] = folder / f"{pid}_{name}.nrrd"
        sitk.WriteImage(m, str(mask_files[name]))
    for phase, (t_mean, t_sd) in PHASE_CONTRAST.items():
        noise = gaussian_filter(rng.normal(0, 1, tumour.shape), (0.4, 1.2, 1.2))
        noise /= noise.std()
        liver = 800 + 150 * noise
        lesion = t_mean + t_sd * noise + 60 * np.sin(r / 4.0)  # internal heterogeneity
        arr = np.where(tumour, lesion, liver).astype(np.float32)
        img = sitk.GetImageFromArray(arr)
        img.SetSpacing(SPACING)
        image_file = folder / f"{pid}_{phase}.nrrd"
        sitk.WriteImage(img, str(image_file))
        for roi in (["tumour", "ring", "plus"] if phase == "PVP" else ["tumour"]):
            rows.append({"id": pid, "roi": f"{phase}_{roi}", "image": str(image_file),
                         "mask": str(mask_files[roi])})
    return rows


def make_study(folder: Path, n_patients: int, diameters, seed: int = 2024) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_patients):
        rows += make_patient(folder, f"P{i + 1:03d}", float(rng.uniform(*diameters)), rng)
    return pd.DataFrame(rows)


def make_demo_set(folder: Path, n_patients: int, seed: int = 2024) -> pd.DataFrame:
    """The demo's PVP ROIs at 1 mm (as the study derives them), written as NRRD files."""
    import SimpleITK as sitk

    from eprstats.segmentation.resample import resample_image, resample_mask
    from eprstats.segmentation.rois import derive_rois
    from eprstats.study.demo import _patient_volumes

    spacing = (0.8, 0.8, 3.0)  # the full demo's acquisition
    rows = []
    for k in range(n_patients):
        rng = np.random.default_rng([seed, k])
        phases, masks, _ = _patient_volumes(rng, k % 2, (40, 160, 160), spacing, (20.0, 40.0))

        def image_of(array, dtype):
            img = sitk.GetImageFromArray(array.astype(dtype))
            img.SetSpacing(spacing)
            return img
        image = resample_image(image_of(phases["PVP"], np.int16), [1.0, 1.0, 1.0])
        tumour = resample_mask(image_of(masks["mask"], np.uint8), image)
        liver = resample_mask(image_of(masks["liver"], np.uint8), image)
        rois = derive_rois(tumour, 3.0, liver)
        rois["reader2"] = resample_mask(image_of(masks["mask_reader2"], np.uint8), image)
        pid = f"D{k + 1:03d}"
        image_file = folder / f"{pid}_PVP.nrrd"
        sitk.WriteImage(image, str(image_file))
        for name in ("tumour", "ring", "plus", "reader2"):
            mask_file = folder / f"{pid}_{name}.nrrd"
            sitk.WriteImage(rois[name], str(mask_file))
            rows.append({"id": pid, "roi": f"PVP_{name}", "image": str(image_file), "mask": str(mask_file)})
    return pd.DataFrame(rows)


def run_measured(cmd, env, cwd) -> tuple[float, float, int]:
    """Wall seconds, peak resident memory (GiB, process tree), exit code."""
    import psutil
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    parent = psutil.Process(proc.pid)
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            try:
                procs = [parent] + parent.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            stop.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    t.join()
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
    return wall, peak / 2 ** 30, proc.returncode


def _values(tool, out, rows):
    """{(id, roi, feature): value} read back from a tool's output."""
    values = {}
    if tool == "pyradiomics":
        table = pd.read_csv(out, dtype=str)
        cols = [c for c in table.columns if c.startswith(("original_", "log-", "wavelet-"))]
        for _, row in table.iterrows():
            spec = rows[(rows["image"] == row["Image"]) & (rows["mask"] == row["Mask"])].iloc[0]
            values.update({(spec["id"], spec["roi"], c): float(row[c]) for c in cols})
        return values
    for roi in rows["roi"].unique():
        table = pd.read_parquet(out / f"features_{roi}.parquet").set_index("id")
        for pid, row in table.iterrows():
            values.update({(pid, roi, c): float(v) for c, v in row.items()})
    return values


def _compare(ref, other, exact):
    """(compared, different, largest relative difference)."""
    different, worst = 0, 0.0
    for key, a in ref.items():
        b = other.get(key, np.nan)
        if np.isnan(a) and np.isnan(b):
            continue
        d = abs(a - b)
        worst = max(worst, d / abs(a) if abs(a) > 1e-12 else d)
        if (d != 0) if exact else not d <= max(1e-10 * abs(a), 1e-12):
            different += 1
    return len(ref), different, worst


def class_split(rows: pd.DataFrame, params, rounds: int = 3) -> dict:
    """CPU seconds per feature class for the first patient of a set, both engines (the eprstats engine also
    with its classes for every class, ``eprstats classes``: without its one-pass path) and pyradiomics' own
    extractor, in this process.

    CPU time of this process (BLAS is single-threaded here), not wall time: on a shared machine the wall
    time of a 0.1 s step varies by more than the differences measured. The four run in turn, ``rounds``
    times (interleaved, so that a change of the machine's load affects all four alike); each one's fastest
    round is reported (the first round also pays one-off costs: imports, caches)."""
    import SimpleITK as sitk

    import eprstats.handcrafted.extract as extract_mod
    from eprstats.handcrafted.extract import extract_features
    from eprstats.handcrafted.params import load_settings

    first = rows[rows["id"] == rows["id"].iloc[0]]
    images = {f: sitk.ReadImage(f) for f in first["image"].unique()}
    masks = {r.mask: sitk.ReadImage(r.mask) for r in first.itertuples()}
    original = extract_mod.resolve_classes  # the name extract_features calls
    original_preparation = extract_mod.preparation_for  # its compute_shape: the shape classes

    def engine_round(engine, one_pass=True):
        timing: dict = {}

        def timed_classes(*args):
            table, shared = original(*args)
            wrapped = {}
            if hasattr(table, "one_pass") and one_pass:  # the eprstats engine's table: its one-pass steps timed
                table.timing = timing
                wrapped = table
            for name, cls in table.items():
                def make(self_cls=cls, name=name):
                    class Timed(self_cls):
                        def __init__(self, *a, **kw):
                            t = time.process_time()
                            super().__init__(*a, **kw)
                            timing[name] = timing.get(name, 0.0) + time.process_time() - t

                        def execute(self):
                            t = time.process_time()
                            out = super().execute()
                            timing[name] = timing.get(name, 0.0) + time.process_time() - t
                            return out
                    return Timed
                wrapped[name] = make()
            return wrapped, shared
        def timed_preparation(engine_name):
            import types
            prep = original_preparation(engine_name)

            def compute_shape(*args, **kwargs):
                t = time.process_time()
                out = prep.compute_shape(*args, **kwargs)
                timing["shape"] = timing.get("shape", 0.0) + time.process_time() - t
                return out
            return types.SimpleNamespace(**{**vars(prep), "compute_shape": compute_shape})
        extract_mod.resolve_classes = timed_classes
        extract_mod.preparation_for = timed_preparation
        try:
            settings = load_settings(params).with_engine(engine)
            start = time.process_time()
            for image_file, group in first.groupby("image", sort=False):
                extract_features(images[image_file], {r.roi: masks[r.mask] for r in group.itertuples()}, settings)
            total = time.process_time() - start
        finally:
            extract_mod.resolve_classes = original
            extract_mod.preparation_for = original_preparation
        timing = {k: round(v, 3) for k, v in sorted(timing.items())}
        timing["preparation"] = round(total - sum(timing.values()), 3)
        timing["total"] = round(total, 3)
        return timing

    def extractor_round():
        # pyradiomics' own extractor, one ROI at a time (what its batch command runs per row): the per-ROI
        # ratio without the commands' start-up and output writing
        extractor = load_settings(params).extractor()
        start = time.process_time()
        for r in first.itertuples():
            extractor.execute(images[r.image], masks[r.mask])
        return {"total": round(time.process_time() - start, 3)}

    best: dict = {}
    for _ in range(rounds):
        for name, run in (("pyradiomics", lambda: engine_round("pyradiomics")),
                          ("eprstats", lambda: engine_round("eprstats")),
                          # the eprstats engine's classes for every class (a plain table: no one-pass path),
                          # as the engine computed them before engine/onepass.py
                          ("eprstats classes", lambda: engine_round("eprstats", one_pass=False)),
                          ("pyradiomics extractor", extractor_round)):
            got = run()
            if name not in best or got["total"] < best[name]["total"]:
                best[name] = got
    return best


def run_set(name, rows, work, workers, params, env) -> list[dict]:
    rows.to_csv(work / "cases.csv", index=False)
    rows.rename(columns={"image": "Image", "mask": "Mask"}).to_csv(work / "pyradiomics_cases.csv", index=False)
    out = []
    for jobs in workers:
        measured, values = {}, {}
        for tool in TOOLS:
            if tool == "pyradiomics":
                target = work / f"pyradiomics_{jobs}.csv"
                cmd = [shutil.which("pyradiomics") or "pyradiomics", str(work / "pyradiomics_cases.csv"),
                       "--param", str(params), "--jobs", str(jobs), "-f", "csv", "-o", str(target)]
            else:
                target = work / f"{tool}_{jobs}"
                engine = "pyradiomics" if tool == "shared-filter" else "eprstats"
                cmd = [sys.executable, "-m", "eprstats.cli", "extract", str(work / "cases.csv"), "--out",
                       str(target), "--jobs", str(jobs), "--params", str(params), "--engine", engine,
                       "--no-progress"]
            wall, mem, rc = run_measured(cmd, env, work)
            measured[tool] = (wall, mem, rc)
            values[tool] = _values(tool, target, rows) if rc == 0 else {}
            print(f"  [{name}, {jobs} worker(s)] {tool:14s} {wall:8.1f} s wall, peak {mem:5.2f} GiB (exit {rc})",
                  flush=True)
        for tool in TOOLS:
            wall, mem, rc = measured[tool]
            n, diff, worst = _compare(values["pyradiomics"], values[tool], exact=tool == "shared-filter")
            out.append({"set": name, "rois": len(rows), "workers": jobs, "tool": tool, "wall_s": round(wall, 2),
                        "peak_gib": round(mem, 3), "exit": rc,
                        "speedup_vs_pyradiomics": round(measured["pyradiomics"][0] / wall, 2),
                        "speedup_vs_shared_filter": round(measured["shared-filter"][0] / wall, 2),
                        "memory_vs_pyradiomics": round(mem / measured["pyradiomics"][1], 2),
                        "values_compared": n, "values_different": diff, "largest_relative_difference": worst})
    return out


def source_version() -> dict:
    """The checkout's commit, and the commit being merged when the run is in a scratch copy with another branch
    merged but not committed (git's MERGE_HEAD; None otherwise), so that the results say which code they timed."""
    root = Path(__file__).resolve().parent.parent

    def git(*args):
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "merging": git("rev-parse", "--short", "-q", "--verify", "MERGE_HEAD")}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=["small", "demo"], choices=["small", "demo"])
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--demo-patients", type=int, default=3)
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--keep", type=Path, default=None, help="keep the data and outputs here")
    ap.add_argument("--split-only", action="store_true",
                    help="only the in-process CPU split (no commands); results in class_split.json")
    args = ap.parse_args(argv)

    import compileall

    import radiomics

    import eprstats
    from eprstats.handcrafted.params import paper_settings_path
    # eprstats' bytecode written once, as pip writes it for an installed package and has written it for
    # pyradiomics': where PYTHONDONTWRITEBYTECODE is set (this machine) an editable checkout would otherwise
    # compile its 40-odd modules from source in every command (about 0.15 s), a cost no user install pays
    compileall.compile_dir(str(Path(eprstats.__file__).parent), quiet=1)
    radiomics.setVerbosity(logging.ERROR)
    params = paper_settings_path()
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONWARNINGS="ignore")
    work = Path(tempfile.mkdtemp(prefix="bench_extraction_")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                          "load_before": os.getloadavg()}, "source": source_version(), "runs": [],
              "class_split": {}}
    try:
        for name in args.sets:
            folder = work / name
            folder.mkdir(exist_ok=True)
            rows = (make_study(folder, 3, (20.0, 40.0)) if name == "small"
                    else make_demo_set(folder, args.demo_patients))
            print(f"{name}: {rows['id'].nunique()} patients, {len(rows)} ROIs", flush=True)
            if not args.split_only:
                report["runs"] += run_set(name, rows, folder, args.workers, params, env)
            report["class_split"][name] = class_split(rows, params)
            print(f"  class split (s, first patient): {report['class_split'][name]}", flush=True)
        report["machine"]["load_after"] = os.getloadavg()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = "class_split" if args.split_only else "extraction"
    (args.results / f"{stem}.json").write_text(json.dumps(report, indent=1) + "\n")
    (args.results / f"{stem}.md").write_text(markdown(report))
    print(markdown(report))
    return 0 if all(r["exit"] == 0 and r["values_different"] == 0 for r in report["runs"]) else 1


def markdown(report) -> str:
    lines = ["| set | ROIs | workers | tool | wall s | vs pyradiomics | vs shared-filter | peak GiB | "
             "memory vs pyradiomics | values different |", "|" + " --- |" * 10]
    for r in report["runs"]:
        lines.append(f"| {r['set']} | {r['rois']} | {r['workers']} | {r['tool']} | {r['wall_s']} | "
                     f"{r['speedup_vs_pyradiomics']}x | {r['speedup_vs_shared_filter']}x | {r['peak_gib']} | "
                     f"{r['memory_vs_pyradiomics']} | {r['values_different']} of {r['values_compared']} |")
    lines += ["", "Per-feature-class CPU seconds (first patient of each set, in one process, fastest of three "
              "interleaved rounds; `pyradiomics extractor`: its own `execute`, one ROI at a time):", ""]
    for name, split in report["class_split"].items():
        # the classes, then the eprstats engine's own steps (its "matrices"), then preparation and total
        keys = list(dict.fromkeys(k for t in split.values() for k in t))
        classes = [k for k in keys if k not in ("preparation", "total")] + ["preparation", "total"]
        lines += [f"{name}:", "", "| engine | " + " | ".join(classes) + " |", "|" + " --- |" * (len(classes) + 1)]
        for engine, t in split.items():
            lines.append(f"| {engine} | " + " | ".join(str(t.get(c, "")) for c in classes) + " |")
        lines.append("")
    lines.append(f"Machine: {report['machine']['platform']}, {report['machine']['cpus']} CPUs, 1-minute load "
                 f"{report['machine']['load_before'][0]:.1f} before, {report['machine'].get('load_after', [0])[0]:.1f}"
                 " after (shared: compare ratios within this run only).")
    source = report.get("source") or {}
    if source.get("commit"):
        merged = f", with {source['merging']} merged (not committed)" if source.get("merging") else ""
        lines.append(f"Code: commit {source['commit']}{merged}.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
