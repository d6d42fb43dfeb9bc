"""Decision curves: net benefit equals the PyPI package dcurves on the same data; a small example worked by
hand; bootstrap CIs equal a numpy re-computation on the same resamples drawn in R."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import InputError


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(424242)
    n = 157
    x = rng.normal(size=n)
    d = pd.DataFrame({"y": (rng.random(n) < 1 / (1 + np.exp(-(x - 0.8)))).astype(int)})
    d["model_a"] = 1 / (1 + np.exp(-(x - 0.8 + rng.normal(scale=0.5, size=n))))
    # rounded to the grid, so that many risks sit exactly on a threshold (p >= pt must count them)
    d["model_b"] = np.round(1 / (1 + np.exp(-(0.5 * x - 0.5))), 2)
    d["cohort"] = ["training"] * 114 + ["external"] * 43
    return d


def test_net_benefit_equals_dcurves(r, scored):
    import dcurves

    from eprstats.evaluation.decision_curves import DEFAULT_THRESHOLDS, net_benefit
    ours = net_benefit(scored, "y", ["model_a", "model_b"], cohort_col="cohort")
    assert set(ours["model"]) == {"model_a", "model_b", "treat all", "treat none"}
    for cohort, rows in scored.groupby("cohort"):
        ref = dcurves.dca(rows.reset_index(drop=True), "y", ["model_a", "model_b"],
                          thresholds=list(DEFAULT_THRESHOLDS))
        ref["model"] = ref["model"].replace({"all": "treat all", "none": "treat none"})
        merged = ours[ours.cohort == cohort].merge(ref, on=["model", "threshold"], suffixes=("", "_ref"))
        assert len(merged) == 4 * 99
        np.testing.assert_allclose(merged["net_benefit"], merged["net_benefit_ref"], atol=1e-12)


def test_net_benefit_other_grid_equals_dcurves(r, scored):
    import dcurves

    from eprstats.evaluation.decision_curves import net_benefit
    grid = [0.05, 0.125, 0.2, 0.33, 0.5, 0.75]
    ours = net_benefit(scored, "y", ["model_b"], thresholds=grid)
    ref = dcurves.dca(scored, "y", ["model_b"], thresholds=grid)
    ref["model"] = ref["model"].replace({"all": "treat all", "none": "treat none"})
    merged = ours.merge(ref, on=["model", "threshold"], suffixes=("", "_ref"))
    assert len(merged) == 3 * len(grid)
    np.testing.assert_allclose(merged["net_benefit"], merged["net_benefit_ref"], atol=1e-12)


def test_net_benefit_hand_worked(r):
    from eprstats.evaluation.decision_curves import net_benefit
    # 5 patients, y = 1,1,0,0,0, p = 0.9, 0.4, 0.5, 0.2, 0.1; prevalence 0.4.
    # pt = 0.25 (odds 1/3): treated p >= 0.25: 0.9 (TP), 0.4 (TP), 0.5 (FP) -> NB = 2/5 - 1/5 * 1/3 = 1/3
    #   treat all: 0.4 - 0.6 * 1/3 = 0.2
    # pt = 0.5 (odds 1): treated 0.9 (TP), 0.5 (FP; equal to pt counts as treated) -> NB = 1/5 - 1/5 = 0
    #   treat all: 0.4 - 0.6 = -0.2
    # standardized NB = NB / 0.4: 5/6 and 0 for the model
    data = pd.DataFrame({"y": [1, 1, 0, 0, 0], "m": [0.9, 0.4, 0.5, 0.2, 0.1]})
    t = net_benefit(data, "y", ["m"], thresholds=[0.25, 0.5], standardized=True).set_index(["model", "threshold"])
    assert t.loc[("m", 0.25), "net_benefit"] == pytest.approx(1 / 3, abs=1e-12)
    assert t.loc[("m", 0.5), "net_benefit"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc[("treat all", 0.25), "net_benefit"] == pytest.approx(0.2, abs=1e-12)
    assert t.loc[("treat all", 0.5), "net_benefit"] == pytest.approx(-0.2, abs=1e-12)
    assert t.loc[("treat none", 0.5), "net_benefit"] == 0.0
    assert t.loc[("m", 0.25), "standardized_net_benefit"] == pytest.approx(5 / 6, abs=1e-12)


def test_bootstrap_ci_equals_numpy_on_the_same_resamples(r, scored):
    from eprstats.evaluation.decision_curves import net_benefit
    rows = scored[scored.cohort == "external"].reset_index(drop=True)
    grid = [0.1, 0.3, 0.5]
    B = 50
    ours = net_benefit(rows, "y", ["model_a"], thresholds=grid, bootstrap=B, seed=77)
    # the resamples, drawn in R directly with the same seed and the same call
    idx = r.evaluate('set.seed(77, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")'
                     "\n m <- sapply(seq_len(B), function(b) sample.int(n, n, replace = TRUE)); as.vector(m)",
                     B=B, n=len(rows))
    idx = np.asarray(idx, dtype=int).reshape(B, len(rows)) - 1
    y, p = rows["y"].to_numpy(), rows["model_a"].to_numpy()
    for t in grid:
        nbs = []
        for i in idx:
            yb, pb = y[i], p[i]
            treat = pb >= t
            nbs.append(((treat & (yb == 1)).sum() - (treat & (yb == 0)).sum() * t / (1 - t)) / len(yb))
        low, high = np.quantile(nbs, [0.025, 0.975])  # numpy "linear" = R type 7
        row = ours[(ours.model == "model_a") & (ours.threshold == t)].iloc[0]
        assert row["ci_low"] == pytest.approx(low, abs=1e-12)
        assert row["ci_high"] == pytest.approx(high, abs=1e-12)
    again = net_benefit(rows, "y", ["model_a"], thresholds=grid, bootstrap=B, seed=77)
    pd.testing.assert_frame_equal(ours, again)


def test_bad_inputs_name_model_and_cohort(r, scored):
    from eprstats.evaluation.decision_curves import net_benefit
    bad = scored.copy()
    bad.loc[bad.index[120], "model_a"] = np.nan
    with pytest.raises(InputError, match="NaN") as err:
        net_benefit(bad, "y", ["model_a"], cohort_col="cohort")
    assert "model_a" in str(err.value) and "external" in str(err.value)
    bad = scored.copy()
    bad["model_a"] = bad["model_a"] * 10
    with pytest.raises(InputError, match=r"outside \[0, 1\]") as err:
        net_benefit(bad, "y", ["model_a"], cohort_col="cohort")
    assert "model_a" in str(err.value) and "training" in str(err.value)
    single = scored.assign(y=np.where(scored.cohort == "external", 0, scored.y))
    with pytest.raises(InputError, match="no events") as err:
        net_benefit(single, "y", ["model_b"], cohort_col="cohort")
    assert "external" in str(err.value)
    with pytest.raises(InputError, match="strictly between 0 and 1"):
        net_benefit(scored, "y", ["model_b"], thresholds=[0.0, 0.5])


def test_dca_cli(r, run_cli, tmp_path, scored):
    path = tmp_path / "scores.csv"
    scored.to_csv(path, index=False)
    code, out, err = run_cli("dca", path, "--outcome", "y", "--models", "model_a,model_b", "--cohort-col",
                             "cohort", "--bootstrap", "20", "--seed", "5", "--standardized", "--out", tmp_path / "o")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "o" / "decision_curves.csv")
    assert set(table.cohort) == {"training", "external"}
    assert {"ci_low", "ci_high", "standardized_net_benefit"} <= set(table.columns)
    for name in ("figures/figure6c_dca_training.png", "figures/figure6c_dca_external.pdf",
                 "decision_curves.provenance.json"):
        assert (tmp_path / "o" / name).is_file(), name
    code, out, err = run_cli("dca", path, "--outcome", "y", "--models", "model_a,model_b", "--cohort-col",
                             "cohort", "--bootstrap", "20", "--seed", "5", "--standardized", "--out",
                             tmp_path / "o2", "--no-figures")
    assert (tmp_path / "o" / "decision_curves.csv").read_bytes() == (tmp_path / "o2" / "decision_curves.csv").read_bytes()
    code, out, err = run_cli("dca", path, "--outcome", "y", "--models", "nope", "--out", tmp_path / "o3")
    assert code == 2 and "nope" in err and "Traceback" not in err


def test_decision_curve_result_equals_dcurves_with_every_number_tidy(r, scored):
    import dcurves

    import eprstats as ep
    from eprstats.results import TIDY_COLUMNS
    res = ep.decision_curve(scored, "y", ["model_a", "model_b"], cohort_col="cohort", standardized=True)
    table = res.net_benefit
    assert list(dict.fromkeys(table.cohort)) == ["training", "external"]
    for cohort, rows in scored.groupby("cohort"):
        ref = dcurves.dca(rows.reset_index(drop=True), "y", ["model_a", "model_b"])
        ref["model"] = ref["model"].replace({"all": "treat all", "none": "treat none"})
        merged = table[table.cohort == cohort].merge(ref, on=["model", "threshold"], suffixes=("", "_ref"))
        assert len(merged) == 4 * 99
        np.testing.assert_allclose(merged["net_benefit"], merged["net_benefit_ref"], atol=1e-12)
        np.testing.assert_allclose(merged["standardized_net_benefit"], merged["net_benefit_ref"] / rows.y.mean(),
                                   atol=1e-12)
    assert [t.name for t in res.tables()] == ["decision_curves"]
    tidy = res.tidy()
    assert tuple(tidy.columns) == TIDY_COLUMNS and len(tidy) == 2 * len(table)
    nb = tidy[tidy.statistic == "net_benefit"]
    np.testing.assert_array_equal(nb["value"].to_numpy(), table["net_benefit"].to_numpy())
    ext = nb[nb.cohort == "external"].iloc[0]
    assert (ext["n"], ext["events"]) == (43, scored.y.iloc[114:].sum())
    assert res.settings["thresholds"][0] == 0.01 and res.settings["cohort_seeds"] == {"training": None,
                                                                                      "external": None}


def test_decision_curve_figures(r, scored, tmp_path):
    from eprstats.evaluation.decision_curves import decision_curve
    res = decision_curve(scored, "y", ["model_a"], cohort_col="cohort", standardized=True, boot_n=5, seed=3)
    names = {p.name for p in res.figures(tmp_path, formats=("png",))}
    assert names == {"figure6c_dca_training.png", "figure6c_dca_external.png",
                     "figure6c_dca_standardized_training.png", "figure6c_dca_standardized_external.png"}
    assert res.settings["cohort_seeds"] == {"training": 3, "external": 4}
