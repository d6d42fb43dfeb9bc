"""Benchmark (not a test): the whole statistics stage on a synthetic study of the paper's size.

157 patients (114 training + 43 external), 10 score columns as models (Clinical, AP, PVP, DP, PVP_Pri3mm,
PVP_Plus3mm, PVP_DLR, PVP_DLRR, PVP_DLRN, PVP_DLRRN) and AFP. Stages, each through eprstats' public API
(the discrimination/models/nomogram stages are skipped with a note if that code is absent):

1. roc: AUC with DeLong CI and Youden cut-off for 10 models x 2 cohorts; paired DeLong tests (45 pairs x 2
   cohorts); unpaired DeLong test between cohorts (10); ROC curves.
2. fit: rms::lrm of the final nomogram (PVP + PVP_DLR + AFP), Table 3, nomogram points.
3. per-model logistic recalibration of each score on training (lrm), probabilities for both cohorts.
4. calibration: rms::calibrate (B bootstraps) for the models of the paper's Figure 6b (6 by default),
   rms::validate (B) for the final model, val.prob + Hosmer-Lemeshow for those models in both cohorts.
5. NRI/IDI of every other model over the clinical model, both cohorts (cut-offs 0.3, 0.6).
6. decision curves of the Figure 6c models (6) in both cohorts (99 thresholds).

It prints the wall time of each stage, the total against the 60 s target, and the share of time spent in
rpy2 conversion (rbridge.to_r / rbridge.to_python, outermost calls only) and inside R calls.

Usage: python benchmarks/bench_statistics.py [--B 1000] [--calibrated-models 6] [--validate-all]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eprstats import rbridge  # noqa: E402

MODELS = ["Clinical", "AP", "PVP", "DP", "PVP_Pri3mm", "PVP_Plus3mm", "PVP_DLR", "PVP_DLRR", "PVP_DLRN",
          "PVP_DLRRN"]
FIGURE6 = ["Clinical", "PVP", "PVP_DLR", "PVP_DLRN", "PVP_DLRR", "PVP_DLRRN"]


def synthetic_study(seed: int = 2026) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_train, n_ext = 114, 43
    n = n_train + n_ext
    latent = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(latent * 1.2 - 0.3)))).astype(int)
    data = pd.DataFrame({"ID": [f"P{i:03d}" for i in range(n)], "EPR": y,
                         "cohort": ["training"] * n_train + ["external"] * n_ext})
    strength = np.linspace(0.6, 1.4, len(MODELS))
    for name, s in zip(MODELS, strength):
        data[name] = s * latent + rng.normal(scale=1.0, size=n)
    data["AFP"] = 0.5 * latent + rng.normal(size=n)
    return data


class ConversionTimer:
    """Wall time inside rbridge.to_r / to_python (outermost calls only) and inside rbridge.call."""

    def __init__(self):
        self.conversion = 0.0
        self.calls = 0.0
        self.n_calls = 0
        self._depth = 0

    def _wrap_conversion(self, fn):
        def wrapper(*args, **kwargs):
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.conversion += time.perf_counter() - start
                self._depth -= 1
        return wrapper

    def _wrap_call(self, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.calls += time.perf_counter() - start
                self.n_calls += 1
        return wrapper

    def install(self):
        rbridge.to_r = self._wrap_conversion(rbridge.to_r)
        rbridge.to_python = self._wrap_conversion(rbridge.to_python)
        rbridge.call = self._wrap_call(rbridge.call)


@contextmanager
def stage(name: str, times: dict):
    start = time.perf_counter()
    try:
        yield
    finally:
        times[name] = time.perf_counter() - start
        print(f"  {name:<44s} {times[name]:7.2f} s", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--B", type=int, default=1000, help="calibration/validation bootstraps")
    parser.add_argument("--calibrated-models", type=int, default=len(FIGURE6),
                        help="models with a bootstrap calibration curve (Figure 6b has 6)")
    parser.add_argument("--validate-all", action="store_true",
                        help="rms::validate for every calibrated model, not only the final one")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args(argv)

    warnings.simplefilter("ignore")
    timer = ConversionTimer()
    timer.install()
    t0 = time.perf_counter()
    rbridge.require_packages("rms", "Hmisc", "pROC")  # starts R and sources r/*.R
    startup = time.perf_counter() - t0

    from eprstats.evaluation import calibration as cal
    from eprstats.evaluation import decision_curves as dc
    from eprstats.evaluation import reclassification as rc
    try:
        from eprstats.evaluation import discrimination as disc
    except ImportError:
        disc = None
    try:
        from eprstats.evaluation import models as mdl
        from eprstats.evaluation import nomogram as nom
    except ImportError:
        mdl = nom = None

    data = synthetic_study()
    train = data[data.cohort == "training"].reset_index(drop=True)
    times: dict[str, float] = {}
    print(f"synthetic study: {len(train)} training + {len(data) - len(train)} external patients, "
          f"{len(MODELS)} models, B = {args.B}; R start-up {startup:.2f} s (not counted)")
    conv0, calls0 = timer.conversion, timer.calls
    start = time.perf_counter()

    if disc is not None:
        with stage("roc: AUC/DeLong CI/Youden, 10 models x 2", times):
            disc.roc_table(data, "EPR", MODELS, "cohort", "training")
        with stage("roc: paired DeLong, 45 pairs x 2 cohorts", times):
            disc.delong_paired(data, "EPR", MODELS, "cohort", "training")
        with stage("roc: DeLong between cohorts, 10 models", times):
            disc.delong_between_cohorts(data, "EPR", MODELS, "cohort", "training")
        with stage("roc: ROC curves", times):
            disc.roc_curves(data, "EPR", MODELS, "cohort", "training")
    else:
        print("  (discrimination module absent: roc stage skipped)")
    if mdl is not None:
        with stage("fit: final lrm, Table 3, nomogram", times):
            final = mdl.fit_logistic(train, "EPR", ["PVP", "PVP_DLR", "AFP"], name="PVP_DLRRN_final")
            mdl.table3(final)
            nom.nomogram(final)
    else:
        print("  (models module absent: fit stage skipped)")

    probs = data[["ID", "EPR", "cohort"]].copy()
    fits = {}
    with stage("recalibrate 10 scores to probabilities (lrm)", times):
        for m in MODELS:
            fits[m] = cal.fit_lrm(train, "EPR", [m])
            probs[m] = cal.predict_prob(fits[m], data, [m])

    calibrated = FIGURE6[: args.calibrated_models]
    with stage(f"calibrate: {len(calibrated)} models, B = {args.B}", times):
        for i, m in enumerate(calibrated):
            cal.calibration_curve(train, "EPR", [m], B=args.B, seed=args.seed + i, fit=fits[m])
    final_predictors = ["PVP", "PVP_DLR", "AFP"]
    validated = calibrated if args.validate_all else ["final"]
    with stage(f"validate: {len(validated)} model(s), B = {args.B}", times):
        for i, m in enumerate(validated):
            if m == "final":
                cal.optimism_corrected(train, "EPR", final_predictors, B=args.B, seed=args.seed)
            else:
                cal.optimism_corrected(train, "EPR", [m], B=args.B, seed=args.seed + i, fit=fits[m])
    with stage(f"val.prob + Hosmer-Lemeshow: {len(calibrated)} x 2", times):
        for m in calibrated:
            cal.cohort_calibration(data, "EPR", [m], "cohort", "training", fit=fits[m])
    with stage("NRI/IDI: 9 models vs Clinical x 2 cohorts", times):
        for cohort, rows in probs.groupby("cohort", sort=False):
            for m in MODELS[1:]:
                rc.nri_idi(rows["EPR"], rows["Clinical"], rows[m], cutoffs=[0.3, 0.6], cohort=cohort)
    with stage(f"DCA: {len(FIGURE6)} models x 2 cohorts, 99 thresholds", times):
        dc.net_benefit(probs, "EPR", FIGURE6, cohort_col="cohort")

    total = time.perf_counter() - start
    conversion = timer.conversion - conv0
    in_r_calls = timer.calls - calls0
    print("-" * 64)
    print(f"total wall time           {total:7.2f} s   (target < 60 s: {'met' if total < 60 else 'NOT met'}; "
          f"{total / 60:.2f} x target)")
    print(f"rpy2 conversion           {conversion:7.2f} s   ({100 * conversion / total:.1f} % of total)")
    print(f"inside rbridge.call       {in_r_calls:7.2f} s   ({100 * in_r_calls / total:.1f} % of total; "
          f"{timer.n_calls} calls, conversion included)")
    print(f"R computation (approx.)   {in_r_calls - conversion:7.2f} s   "
          f"({100 * (in_r_calls - conversion) / total:.1f} %)")
    calib = sum(v for k, v in times.items() if k.startswith(("calibrate", "validate")))
    print(f"bootstraps (calibrate + validate) {calib:.2f} s = {100 * calib / total:.1f} % of total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
