"""Benchmark (not a test): peak memory of one worker's per-patient work on a full-size MRI examination.

One synthetic patient at the size of a clinical liver MRI: three phases (AP, PVP, DP) of 512 x 512 x 200
voxels at 0.7 x 0.7 x 1.5 mm (358 x 358 x 300 mm, int16 NIfTI), a liver mask, a lobulated tumour of
``--diameter`` mm (default 30: the paper's 2-4 cm range) and, as for the demo's ICC patients, a second
reader's and a repeated tumour mask (the worst case: 15 ROIs instead of 5). It is written as a one-patient
study (the paper's settings: 1 mm grid, 944 pyradiomics features per ROI, 224-pixel deep crops) in a temporary
folder. Each stage's adapter (``eprstats.study.stages``: what one worker does for one patient, here with
``jobs=1`` so that it runs in the measured process) then runs in a fresh Python subprocess:

* ``rois``: the PVP image resampled to 1 mm, the tumour, 3 mm ring (clipped to the liver) and tumour + ring;
* ``handcrafted``: the case's 5 + 10 ROIs (the three phases read and resampled once each), paper settings;
* ``deep``: ResNet34 (random weights, CPU) on the 224-pixel crops of the PVP tumour's slices.

Measured: the subprocess's peak resident memory (``VmHWM`` of /proc/self/status, read by the child at the
end; cross-checked with ``ru_maxrss`` from ``os.wait4``, which Linux starts at the parent's peak, so the
study is written by another subprocess and this process stays small; the child has no children of its own,
``jobs=1``), its resident memory after its imports (the baseline, read before any work) and the wall time.
Goal: every peak under 2 GiB per worker. A thread of the child samples its resident memory every 20 ms and
keeps where the main thread was at the largest sample (the step holding the peak: SimpleITK's and torch's
buffers are invisible to tracemalloc).

Results: printed, and written to benchmarks/results/memory.json and memory.csv.

Usage::

    python benchmarks/bench_memory.py                     # 512 x 512 x 200, 30 mm tumour
    python benchmarks/bench_memory.py --shape 200 256 256 # a smaller volume (z y x): a quick check
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPACING = (0.7, 0.7, 1.5)  # x, y, z in mm
PHASES = {"AP": (300, 380), "PVP": (420, 360), "DP": (400, 330)}  # liver, tumour grey levels (as the demo)
STAGES = ("rois", "handcrafted", "deep")
GOAL_GIB = 2.0


# ----------------------------------------------------------------------------------------------- the patient

def _ellipsoid(shape, centre_vox, radii_vox, lobes=()):
    """Boolean (z, y, x) array of a (lobulated) ellipsoid, built by broadcasting: no full-size coordinate grids."""
    z, y, x = (np.arange(n, dtype=np.float32)[tuple(slice(None) if i == k else None for i in range(3))]
               for k, n in enumerate(shape))
    dz, dy, dx = ((z - centre_vox[0]) / radii_vox[0], (y - centre_vox[1]) / radii_vox[1],
                  (x - centre_vox[2]) / radii_vox[2])
    r2 = dz ** 2 + dy ** 2 + dx ** 2
    if lobes:
        theta = np.arctan2(dy, dx)
        wobble = 1.0 + sum(a * np.cos(k * theta + p) for a, k, p in lobes)
        return r2 < wobble ** 2
    return r2 < 1.0


def make_patient(folder: Path, shape, diameter_mm: float, seed: int = 7) -> dict:
    """Write the phases and masks; return the manifest row (paths relative to ``folder``)."""
    import SimpleITK as sitk
    from scipy.ndimage import gaussian_filter
    rng = np.random.default_rng(seed)
    vox = np.array(SPACING[::-1])  # z, y, x in mm
    centre = np.array(shape) / 2
    liver = _ellipsoid(shape, centre, np.array(shape) * np.array([0.42, 0.35, 0.38]))
    # the tumour well inside the liver, a little off centre; readers: radius and centre moved ~1 voxel
    t_centre = centre + np.array([0, -0.1, 0.1]) * np.array(shape)
    radius_vox = diameter_mm / 2 / vox
    lobes = [(0.06, 3, 0.4), (0.04, 5, 1.3)]
    masks = {"tumour": _ellipsoid(shape, t_centre, radius_vox, lobes),
             "tumour_reader2": _ellipsoid(shape, t_centre + rng.normal(0, 0.4, 3), radius_vox * 1.03, lobes),
             "tumour_repeat": _ellipsoid(shape, t_centre + rng.normal(0, 0.25, 3), radius_vox * 0.99, lobes),
             "liver": liver}

    def write(array, rel, dtype):
        img = sitk.GetImageFromArray(array.astype(dtype, copy=False))
        img.SetSpacing(SPACING)
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        sitk.WriteImage(img, str(path), True)
        return rel

    row = {"id": "P001", "cohort": "training", "outcome": 1}
    for name, mask in masks.items():
        write(mask, f"masks/{name}.nii.gz", np.uint8)
    tumour = masks["tumour"]
    for phase, (bg, tum) in PHASES.items():
        img = np.full(shape, 60.0, dtype=np.float32)
        img[liver] = bg
        img *= 1.0 + 0.04 * gaussian_filter(rng.standard_normal(shape, dtype=np.float32), 4.0)
        texture = gaussian_filter(rng.standard_normal(shape, dtype=np.float32), 1.0)
        texture /= texture.std() + 1e-6
        img[tumour] = tum * (1.0 + 0.15 * texture[tumour])
        img += rng.normal(0, 6.0, shape).astype(np.float32)
        row[f"{phase}_image"] = write(np.clip(img, 0, None), f"images/{phase}.nii.gz", np.int16)
        row[f"{phase}_mask"] = "masks/tumour.nii.gz"
        row[f"{phase}_mask_reader2"] = "masks/tumour_reader2.nii.gz"
        row[f"{phase}_mask_repeat"] = "masks/tumour_repeat.nii.gz"
        del img, texture
    row["liver_mask"] = "masks/liver.nii.gz"
    return row


def make_study(folder: Path, shape, diameter_mm: float) -> Path:
    import yaml
    folder.mkdir(parents=True, exist_ok=True)
    row = make_patient(folder, shape, diameter_mm)
    pd.DataFrame([row]).to_csv(folder / "manifest.csv", index=False)
    study = {"name": "bench_memory: one synthetic patient", "manifest": "manifest.csv", "phases": list(PHASES),
             "ring_mm": 3.0, "ring_phases": ["PVP"], "spacing": [1.0, 1.0, 1.0], "seed": 2024,
             "synthetic": True, "deep_weights": "random", "clinical": []}
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(study, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- child: one stage

def _status_gib(field: str) -> float:
    """VmRSS (now) or VmHWM (this process's peak) from /proc/self/status, in GiB. Unlike ``ru_maxrss``, VmHWM
    belongs to the process's own address space: a process started by a large parent does not inherit the
    parent's peak (Linux keeps the larger of the two in ``ru_maxrss`` across fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 2 ** 20  # kB
    return float("nan")


class PeakSampler:
    """Samples this process's resident memory every 20 ms in a thread and keeps, for the largest sample, where
    the main thread was (its innermost frames): the step that holds the peak, whatever allocated it
    (SimpleITK's and torch's buffers are invisible to tracemalloc)."""

    def __init__(self):
        import threading
        self.peak, self.where = 0.0, []
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            rss = _status_gib("VmRSS")
            if rss > self.peak:
                frame = sys._current_frames().get(self._main)
                stack = []
                while frame is not None and len(stack) < 6:
                    code = frame.f_code
                    stack.append(f"{Path(code.co_filename).parent.name}/{Path(code.co_filename).name}:"
                                 f"{frame.f_lineno} {code.co_name}")
                    frame = frame.f_back
                self.peak, self.where = rss, stack
            self._stop.wait(0.02)

    def stop(self):
        self._stop.set()
        self._thread.join()


def child(stage: str, study_path: Path, out: Path) -> None:
    """Run one stage's adapter on the one-patient study in this process; print a JSON line."""
    import warnings
    warnings.simplefilter("ignore")
    from eprstats.cohort.study import load_study
    from eprstats.study import stages
    from eprstats.study.runner import Context
    if stage == "handcrafted":
        import radiomics  # noqa: F401  (its import is part of the baseline, not of the work)
    elif stage == "deep":
        import torch  # noqa: F401
    import SimpleITK  # noqa: F401
    for sub in ("features", "tables", "figures"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ctx = Context(study=load_study(study_path), out=out, jobs=1)
    baseline = _status_gib("VmRSS")
    sampler = PeakSampler()
    t0 = time.perf_counter()
    summary = getattr(stages, stage)(ctx)
    wall = time.perf_counter() - t0
    sampler.stop()
    record = {"stage": stage, "baseline_gib": baseline, "vmhwm_gib": _status_gib("VmHWM"), "wall_s": wall,
              "sampled_peak_gib": sampler.peak, "peak_at": sampler.where,
              "summary": {k: v for k, v in summary.items() if k in ("computed", "slices", "median_tumour_ml",
                                                                    "features_per_roi")}}
    print("RESULT " + json.dumps(record, default=str), flush=True)


def measure(stage: str, study_path: Path, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)  # no cached case from an earlier run
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", stage, "--study", str(study_path),
           "--out", str(out)]
    t0 = time.perf_counter()
    err_path = out.with_suffix(".stderr")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(err_path, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True,
                                env=dict(os.environ, PYTHONWARNINGS="ignore"))
        stdout = proc.stdout.read()
        # wait4, not wait: the peak resident memory of this child (the kernel's count, not the child's own)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit {proc.returncode}"
        return {"stage": stage, "error": last}
    record = json.loads(lines[-1][len("RESULT "):])
    record["process_wall_s"] = wall
    record["wait4_maxrss_gib"] = usage.ru_maxrss / 2 ** 20
    return record


def report(rec: dict) -> None:
    if "error" in rec:
        print(f"{rec['stage']:12s} FAILED: {rec['error']}")
        return
    verdict = "under" if rec["vmhwm_gib"] < GOAL_GIB else "OVER"
    print(f"{rec['stage']:12s} peak RSS {rec['vmhwm_gib']:5.2f} GiB (ru_maxrss {rec['wait4_maxrss_gib']:4.2f}); "
          f"after imports {rec['baseline_gib']:4.2f} GiB, work +{rec['vmhwm_gib'] - rec['baseline_gib']:4.2f}; "
          f"{rec['wall_s']:6.1f} s; {verdict} the {GOAL_GIB:.0f} GiB goal")
    print(f"{'':12s} largest sample {rec['sampled_peak_gib']:.2f} GiB at: " + " <- ".join(rec["peak_at"][:3]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", type=int, nargs=3, default=[200, 512, 512], metavar=("Z", "Y", "X"))
    ap.add_argument("--diameter", type=float, default=30.0, help="tumour diameter in mm")
    ap.add_argument("--stages", nargs="+", choices=STAGES, default=list(STAGES))
    ap.add_argument("--repeat", type=int, default=1, help="runs of each stage (peaks vary from run to run)")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--keep", type=Path, default=None,
                    help="write the study here and keep it (an existing one is reused)")
    ap.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    ap.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--study", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.study, args.out)
        return 0
    if args.make:
        make_study(args.make, tuple(args.shape), args.diameter)
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_memory_"))
    try:
        t0 = time.perf_counter()
        study = work / "study" / "study.yaml"
        if not study.is_file():
            # written by a subprocess, so that this process stays small: a child's ru_maxrss starts at its
            # parent's resident memory (Linux keeps the parent's peak across fork + exec)
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--make", str(study.parent),
                            "--shape", *map(str, args.shape), "--diameter", str(args.diameter)], check=True)
        z, y, x = args.shape
        print(f"one patient: 3 phases of {x} x {y} x {z} voxels at {SPACING[0]} x {SPACING[1]} x {SPACING[2]} mm, "
              f"{args.diameter:.0f} mm tumour, 2 extra readers' masks; written in {time.perf_counter() - t0:.0f} s "
              f"({study.parent})")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20
        rows = []
        for stage in args.stages:
            for run in range(args.repeat):
                rec = measure(stage, study, work / f"out_{stage}")
                rec.update({"run": run + 1, "parent_maxrss_gib": parent, "shape_zyx": list(args.shape),
                            "spacing_xyz": list(SPACING), "diameter_mm": args.diameter,
                            "load_after": os.getloadavg()[0]})
                rows.append(rec)
                report(rec)
        for stage in args.stages:
            done = [r for r in rows if r["stage"] == stage and "error" not in r]
            if done:
                print(f"{stage:12s} largest peak of {len(done)} run(s): {max(r['vmhwm_gib'] for r in done):.2f} GiB")
        args.results.mkdir(parents=True, exist_ok=True)
        tag = "memory" if list(args.shape) == [200, 512, 512] else "memory_{}x{}x{}".format(*args.shape)
        (args.results / f"{tag}.json").write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
        pd.DataFrame([{k: v for k, v in r.items() if k not in ("summary", "peak_at")} for r in rows]).to_csv(
            args.results / f"{tag}.csv", index=False, lineterminator="\n")
        return 0 if all("error" not in r and r["vmhwm_gib"] < GOAL_GIB for r in rows) else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
