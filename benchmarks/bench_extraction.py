"""Benchmark: eprstats' cohort extraction against pyradiomics' own batch command-line tool (not a test).

A synthetic study of N patients (default 20) x 5 ROIs -- AP tumour, PVP tumour, PVP 3 mm ring, PVP tumour
plus ring, DP tumour -- at a realistic size: liver-MRI-like volumes at 0.78 x 0.78 x 3 mm, tumours 2-8 cm in
diameter, MRI-like intensities (liver about 800 +- 150, tumours brighter, spatially correlated noise), so
1 mm voxels after pyradiomics' resampling. Both tools read the same files with the same parameter file (the
paper's settings shipped with eprstats) and 2 workers, one after the other in this run:

* pyradiomics: ``pyradiomics cases.csv --param paper_settings.yaml --jobs 2 -f csv -o out.csv``
  (one row per ROI, as pyradiomics' batch mode takes them);
* eprstats: ``eprstats extract cases.csv --jobs 2`` (rows of one patient form one case).

It prints the wall time of each, the ratio, the peak memory (sum of the resident memory of the process tree,
sampled every 0.1 s), and checks that every feature value is equal (exactly, as floats read back from each
tool's output). BLAS/OpenMP threads are 1 per worker in both runs.

Usage::

    python benchmarks/bench_extraction.py            # 20 patients x 5 ROIs (long: tens of minutes here)
    python benchmarks/bench_extraction.py --small    # 3 patients, tumours 2-4 cm: a quick check
"""
from __future__ import annotations

import argparse
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

SPACING = (0.78125, 0.78125, 3.0)  # x, y, z in mm: a typical liver MRI acquisition
PHASE_CONTRAST = {"AP": (1100, 230), "PVP": (950, 180), "DP": (870, 160)}  # tumour mean, SD


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
    if proc.returncode not in (0,):
        sys.stderr.write(err.decode(errors="replace")[-3000:])
    return wall, peak / 2 ** 30, proc.returncode


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="3 patients, tumours 2-4 cm (a quick run)")
    ap.add_argument("--patients", type=int, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="keep the synthetic study and outputs here")
    args = ap.parse_args(argv)
    n = args.patients or (3 if args.small else 20)
    diameters = (20.0, 40.0) if args.small else (20.0, 80.0)

    from eprstats.handcrafted.params import paper_settings_path

    work = Path(tempfile.mkdtemp(prefix="bench_extraction_")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        rows = make_study(work, n, diameters)
        rows.to_csv(work / "cases.csv", index=False)
        rows.rename(columns={"image": "Image", "mask": "Mask"}).to_csv(work / "pyradiomics_cases.csv",
                                                                         index=False)
        params = paper_settings_path()
        print(f"synthetic study: {n} patients x 5 ROIs = {len(rows)} ROIs, tumours "
              f"{diameters[0]:.0f}-{diameters[1]:.0f} mm, made in {time.perf_counter() - t0:.0f} s ({work})")

        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   PYTHONWARNINGS="ignore")
        pyrad_out = work / "pyradiomics_out.csv"
        pyrad_cmd = [shutil.which("pyradiomics") or "pyradiomics", str(work / "pyradiomics_cases.csv"),
                     "--param", str(params), "--jobs", str(args.jobs), "-f", "csv", "-o", str(pyrad_out)]
        ours_out = work / "eprstats_out"
        ours_cmd = [sys.executable, "-m", "eprstats.cli", "extract", str(work / "cases.csv"), "--out",
                    str(ours_out), "--jobs", str(args.jobs), "--params", str(params), "--no-progress"]

        wall_p, mem_p, rc_p = run_measured(pyrad_cmd, env, work)
        print(f"pyradiomics batch CLI: {wall_p:8.1f} s wall, peak memory {mem_p:5.2f} GiB (exit {rc_p})")
        wall_e, mem_e, rc_e = run_measured(ours_cmd, env, work)
        print(f"eprstats extract:      {wall_e:8.1f} s wall, peak memory {mem_e:5.2f} GiB (exit {rc_e})")
        print(f"speed-up (pyradiomics / eprstats wall time): {wall_p / wall_e:.2f}x   (target >= 3x)")

        # every feature value equal?
        theirs = pd.read_csv(pyrad_out, dtype=str)
        feature_cols = [c for c in theirs.columns if c.startswith(("original_", "log-", "wavelet-"))]
        mismatches, compared = [], 0
        for _, row in theirs.iterrows():
            ours_row = rows[(rows["image"] == row["Image"]) & (rows["mask"] == row["Mask"])].iloc[0]
            table = pd.read_parquet(ours_out / f"features_{ours_row['roi']}.parquet").set_index("id")
            mine = table.loc[ours_row["id"]]
            for c in feature_cols:
                compared += 1
                a, b = float(row[c]), float(mine[c])
                if not (a == b or (np.isnan(a) and np.isnan(b))):
                    mismatches.append((ours_row["id"], ours_row["roi"], c, a, b))
        print(f"feature values compared: {compared} ({len(feature_cols)} per ROI); "
              f"different: {len(mismatches)}")
        for m in mismatches[:10]:
            print("  ", m)
        return 0 if not mismatches and rc_p == 0 and rc_e == 0 else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
