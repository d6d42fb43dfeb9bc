#!/usr/bin/env python
"""`audit-import` reading time against the size of the paper's text, up to 20 MB.

Target (issue 22): time linear in the input. The issue measured the reader quadratic (100 KB 5.8 s, 200 KB
15.7 s, 400 KB 73 s, 20 MB unfinished after 5 minutes). This prints, for texts of growing size, the seconds and
the seconds per MB relative to the smallest size: a linear reader keeps that ratio near 1 (no timed asserts:
the ratios are the result).

The text: a synthetic paper of prose with every claim form the sentence reader knows (AUCs with CIs, P values,
cohort sizes, ORs, sensitivities, "A did better than B"), definitions ``deep learning signature (DLS)``, and a
pipe table of performance numbers every few paragraphs, repeated with its numbers varied until the size is
reached. Run::

    python benchmarks/bench_audit_import.py               # 0.1, 0.2, 0.4, 1, 2 MB
    python benchmarks/bench_audit_import.py --max-mb 20   # up to 20 MB (about 10 minutes on 2 cores)
    OUT=/some/dir python benchmarks/bench_audit_import.py # also writes $OUT/bench_audit_import.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROSE = (
    "The {m} model achieved an AUC of 0.{a} (95% CI, 0.{lo}-0.{hi}) in the training cohort (n={n}) and 0.{b} "
    "(0.{lo}–0.{hi}) in the validation cohort. Age (P = 0.0{p}) differed between the groups, whereas sex did "
    "not (P>0.05). The deep learning signature (DLS) had a sensitivity of 0.{a} and a specificity of 0.{b} in "
    "the validation set. In the multivariable analysis, the radiomics score was an independent predictor (OR = "
    "3.{p}, 95% CI 1.52–6.33, P = 0.002). The combined model outperformed the clinical model in both cohorts, "
    "with a C-index of 0.{b} (0.{lo}-0.{hi}); an earlier model reached 0.71 (12) et al. reported.\n\n"
)
TABLE = (
    "Table {k} | Performance of the models.\n"
    "| Model | Cohort | AUC (95% CI) | Sensitivity | Specificity |\n|---|---|---|---|---|\n"
    "| Radiomics | Training | 0.{a} (0.{lo}-0.{hi}) | 0.714 | 0.731 |\n"
    "| Radiomics | Validation | 0.{b} (0.{lo}-0.{hi}) | 0.656 | 0.688 |\n"
    "| Clinical | Training | 0.655 (0.553-0.757) | 0.595 | 0.667 |\n\n"
)


def synthetic_text(size: int) -> str:
    parts, total, k = ["Abstract\n\n"], 0, 0
    while total < size:
        k += 1
        vals = dict(m=("radiomics", "clinical", "combined")[k % 3], a=700 + k % 200, b=650 + k % 250,
                    lo=500 + k % 100, hi=900 + k % 90, n=100 + k % 50, p=1 + k % 9, k=k)
        piece = PROSE.format(**vals) + (TABLE.format(**vals) if k % 5 == 0 else "")
        parts.append(piece)
        total += len(piece)
    return "".join(parts)[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-mb", type=float, default=2.0)
    args = ap.parse_args()
    from eprstats.audit.importer import draft_frames

    sizes = [s for s in (0.1, 0.2, 0.4, 1, 2, 5, 10, 20) if s <= args.max_mb]
    draft_frames(synthetic_text(20_000))                     # imports and regex compilation out of the timing
    rows = []
    for mb in sizes:
        text = synthetic_text(int(mb * 1_000_000))
        t0, c0 = time.perf_counter(), time.process_time()
        frames = draft_frames(text)
        wall, dt = time.perf_counter() - t0, time.process_time() - c0
        rows.append({"mb": mb, "wall_s": round(wall, 2), "cpu_s": round(dt, 2), "cpu_s_per_mb": round(dt / mb, 2),
                     "claims": len(frames["claims"]), "cells": len(frames["cells"])})
        base = rows[0]["cpu_s_per_mb"]
        # CPU time: on a shared machine the wall clock measures the neighbours too
        print(f"{mb:>5} MB  {dt:8.2f} CPU s ({wall:.2f} wall)  {dt / mb:7.2f} CPU s/MB  ratio {dt / mb / base:5.2f}  "
              f"({rows[-1]['claims']} claims, {rows[-1]['cells']} table cells)", flush=True)
    if os.environ.get("OUT"):
        Path(os.environ["OUT"], "bench_audit_import.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
