"""Benchmark (not a test): the ICC stage's per-feature pingouin loop against the vectorised ANOVA, same run.

One ROI of a synthetic study at the demo's default size: N patients (default 40) read by 2 readers, reader 1's
segmentation repeated, F handcrafted features (default 944, pyradiomics' count for the paper's settings) of
very different scales (shape features near 1, first-order intensities near 1e3, texture energies near 1e6)
and reliabilities (ICC from about 0.3 to 0.99). The two paths, one after the other on the same tables:

* pingouin loop (eprstats up to this change): per feature and comparison, a long table (id, reader, value)
  and one ``pingouin.intraclass_corr`` call, keeping the ICC(A,1) row: 2 x F calls;
* vectorised: ``eprstats.selection.icc.icc(inter, intra=...)``, what the study's ICC stage calls per ROI: the
  two-way ANOVA mean squares of all features at once (``eprstats.selection.icc_anova``).

Each path runs once untimed first (imports, caches; the loop on 5 features), then ``--repeat`` times; the
best time counts. It prints both wall times, the speed ratio (target >= 30x) and checks that the values
agree: ICC, F and p bit for bit, the CI as pingouin reports it (2 decimals) exactly (pingouin rounds its CI,
so the full-precision limits are checked in tests/selection/test_icc_anova.py against the closed-form F
formulas instead). Exit status 1 if any value differs; the ratio is reported, never asserted.

Usage: python benchmarks/bench_icc.py [--patients 40] [--features 944] [--repeat 2]
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def synthetic_readings(n: int, n_features: int, seed: int = 2026) -> tuple[dict, dict]:
    """{reader1, reader2} and {first, repeat} feature tables of one ROI (ids as text, rows shuffled)."""
    rng = np.random.default_rng(seed)
    ids = [f"P{i:04d}" for i in range(n)]
    scale = 10.0 ** rng.choice([0, 3, 6], size=n_features)
    centre = scale * rng.uniform(0.5, 2.0, size=n_features)
    noise = rng.uniform(0.05, 1.5, size=n_features)         # reading noise / patient SD: ICC ~0.3 to 0.99
    truth = centre + scale * rng.normal(size=(n, n_features))
    columns = [f"original_feature_{j:04d}" for j in range(n_features)]

    def reading(bias):
        values = truth + scale * (bias + noise * rng.normal(size=(n, n_features)))
        frame = pd.DataFrame(values, columns=columns)
        frame.insert(0, "id", ids)
        return frame.iloc[rng.permutation(n)].reset_index(drop=True)

    first = reading(0.0)
    return {"reader1": first, "reader2": reading(0.1)}, {"first": first, "repeat": reading(0.02)}


def pingouin_loop(readings: dict, features: list) -> pd.DataFrame:
    """The former product path: one pingouin.intraclass_corr call per feature, row ICC(A,1)."""
    import pingouin as pg
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for feat in features:
            long = pd.concat([t[["id", feat]].rename(columns={feat: "value"}).assign(reader=name)
                              for name, t in readings.items()], ignore_index=True)
            res = pg.intraclass_corr(data=long, targets="id", raters="reader", ratings="value").set_index("Type")
            row = res.loc["ICC(A,1)" if "ICC(A,1)" in res.index else "ICC2"]
            ci = row["CI95" if "CI95" in row.index else "CI95%"]
            rows.append({"feature": feat, "icc": row["ICC"], "ci_low": ci[0], "ci_high": ci[1], "F": row["F"],
                         "p": row["pval"]})
    return pd.DataFrame(rows)


def best_of(fn, repeat: int, warm=None) -> tuple[float, object]:
    (warm or fn)()  # untimed: imports and caches
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def agreement(vectorised: pd.DataFrame, oracle: pd.DataFrame) -> dict:
    got = vectorised.set_index("feature").loc[oracle["feature"]]
    want = oracle.set_index("feature")
    return {"icc_bitwise": int((got["icc"].to_numpy() == want["icc"].to_numpy()).sum()),
            "F_bitwise": int((got["F"].to_numpy() == want["F"].to_numpy()).sum()),
            "p_bitwise": int((got["p"].to_numpy() == want["p"].to_numpy()).sum()),
            "ci_equal": int(((got["ci_low"].to_numpy() == want["ci_low"].to_numpy())
                             & (got["ci_high"].to_numpy() == want["ci_high"].to_numpy())).sum()),
            "icc_max_abs_diff": float(np.max(np.abs(got["icc"].to_numpy() - want["icc"].to_numpy()))),
            "features": len(want)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=40)
    parser.add_argument("--features", type=int, default=944)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each path (the best counts)")
    args = parser.parse_args(argv)

    from eprstats.selection.icc import icc

    inter, intra = synthetic_readings(args.patients, args.features)
    features = [c for c in inter["reader1"].columns if c != "id"]
    print(f"ICC(A,1), {args.patients} patients, {args.features} features, inter (2 readers) + intra "
          f"(first vs repeat): {2 * args.features} pingouin calls")

    t_loop, (loop_inter, loop_intra) = best_of(
        lambda: (pingouin_loop(inter, features), pingouin_loop(intra, features)), args.repeat,
        warm=lambda: pingouin_loop(inter, features[:5]))
    t_vec, res = best_of(lambda: icc(inter, intra=intra, features=features, threshold=0.8), args.repeat)
    ratio = t_loop / t_vec
    print(f"pingouin loop: {t_loop:8.3f} s  ({1e3 * t_loop / (2 * args.features):.2f} ms per call)")
    print(f"vectorised:    {t_vec:8.3f} s")
    print(f"speed ratio:   {ratio:8.1f}x   (target >= 30x: {'MET' if ratio >= 30 else 'NOT met'})")

    ok = True
    for label, table, oracle in (("inter", res.inter, loop_inter), ("intra", res.intra, loop_intra)):
        a = agreement(table, oracle)
        same = all(a[key] == a["features"] for key in ("icc_bitwise", "F_bitwise", "p_bitwise", "ci_equal"))
        ok &= same
        print(f"{label}: ICC equal bit for bit {a['icc_bitwise']}/{a['features']}, F {a['F_bitwise']}, "
              f"p {a['p_bitwise']}, 2-decimal CI {a['ci_equal']}; max |ICC difference| "
              f"{a['icc_max_abs_diff']:.1e}  -> {'AGREE' if same else 'DIFFER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
