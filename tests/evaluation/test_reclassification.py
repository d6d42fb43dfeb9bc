"""NRI and IDI: the categorical NRI against a reclassification table worked by hand; the continuous NRI and
the IDI against Hmisc::improveProb called directly in R."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.errors import InputError

# Cut-offs 0.2 and 0.5: categories low [0, 0.2), mid [0.2, 0.5), high [0.5, 1] (a risk equal to a cut-off goes
# to the higher category, as PredictABEL's cut(right = FALSE)).
#
#   events (y = 1)   old -> new       category move     continuous move
#   e1               0.10 -> 0.30     low  -> mid  UP    up
#   e2               0.30 -> 0.60     mid  -> high UP    up
#   e3               0.60 -> 0.70     high -> high       up
#   e4               0.40 -> 0.15     mid  -> low  DOWN  down
#   e5               0.50 -> 0.45     high -> mid  DOWN  down   (0.50 is "high")
#   e6               0.19 -> 0.20     low  -> mid  UP    up     (0.20 is "mid")
#   events: 3 up, 2 down of 6  -> categorical part (3-2)/6 = 1/6; continuous part (4-2)/6 = 1/3
#
#   non-events (y = 0)
#   n1               0.30 -> 0.10     mid  -> low  DOWN  down
#   n2               0.55 -> 0.35     high -> mid  DOWN  down
#   n3               0.10 -> 0.12     low  -> low        up
#   n4               0.25 -> 0.52     mid  -> high UP    up
#   n5               0.45 -> 0.40     mid  -> mid        down
#   n6               0.70 -> 0.65     high -> high       down
#   non-events: 2 down, 1 up of 6 -> categorical part (2-1)/6 = 1/6; continuous part (4-2)/6 = 1/3
#
#   categorical NRI = 1/6 + 1/6 = 1/3
#   Var = (3+2)/6^2 - (3-2)^2/6^3 + (2+1)/6^2 - (2-1)^2/6^3 = 5/36 - 1/216 + 3/36 - 1/216 = 46/216
#   SE = sqrt(46/216) = 0.461479; z = 0.722315; P = 2*(1 - Phi(0.722315)) = 0.470101
Y = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
OLD = [0.10, 0.30, 0.60, 0.40, 0.50, 0.19, 0.30, 0.55, 0.10, 0.25, 0.45, 0.70]
NEW = [0.30, 0.60, 0.70, 0.15, 0.45, 0.20, 0.10, 0.35, 0.12, 0.52, 0.40, 0.65]


def test_categorical_nri_hand_worked(r):
    from eprstats.evaluation.reclassification import nri_idi
    table = nri_idi(Y, OLD, NEW, cutoffs=[0.2, 0.5]).set_index("measure")
    row = table.loc["NRI (categorical)"]
    assert row["events"] == pytest.approx(1 / 6, abs=1e-12)
    assert row["nonevents"] == pytest.approx(1 / 6, abs=1e-12)
    assert row["estimate"] == pytest.approx(1 / 3, abs=1e-12)
    se = math.sqrt(46 / 216)
    assert row["se"] == pytest.approx(se, abs=1e-12)
    assert row["se"] == pytest.approx(0.461479, abs=1e-6)
    assert row["z"] == pytest.approx(0.722315, abs=1e-6)
    assert row["p"] == pytest.approx(0.470101, abs=1e-6)
    assert row["ci_low"] == pytest.approx(1 / 3 - stats.norm.ppf(0.975) * se, abs=1e-12)
    assert row["ci_high"] == pytest.approx(1 / 3 + stats.norm.ppf(0.975) * se, abs=1e-12)
    cont = table.loc["NRI (continuous)"]
    assert (cont["events"], cont["nonevents"], cont["estimate"]) == pytest.approx((1 / 3, 1 / 3, 2 / 3), abs=1e-12)


def test_reclassification_table_hand_worked(r):
    from eprstats.evaluation.reclassification import reclassification_table
    t = reclassification_table(Y, OLD, NEW, [0.2, 0.5])
    cols = [c for c in t.columns if c.startswith("updated")]
    present = t[t.outcome == "present"][cols].to_numpy()
    absent = t[t.outcome == "absent"][cols].to_numpy()
    # rows/columns low, mid, high (from the comment table above)
    np.testing.assert_array_equal(present, [[0, 2, 0], [1, 0, 1], [0, 1, 1]])
    np.testing.assert_array_equal(absent, [[1, 0, 0], [1, 1, 1], [0, 1, 1]])
    np.testing.assert_array_equal(t[t.outcome == "combined"][cols].to_numpy(), present + absent)
    assert list(t[t.outcome == "present"]["% reclassified"]) == pytest.approx([100.0, 100.0, 50.0])
    assert list(t[t.outcome == "absent"]["initial"]) == ["[0,0.2)", "[0.2,0.5)", "[0.5,1]"]


@pytest.mark.parametrize("seed,n,ties", [(1, 80, False), (2, 157, True), (3, 43, True)])
def test_continuous_nri_and_idi_equal_improveProb(r, seed, n, ties):
    from eprstats.evaluation.reclassification import nri_idi
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    p_old = 1 / (1 + np.exp(-(0.5 * x + rng.normal(scale=0.8, size=n))))
    p_new = 1 / (1 + np.exp(-(x + rng.normal(scale=0.3, size=n))))
    if ties:  # unchanged risks for some patients: ties count as no move
        p_old, p_new = np.round(p_old, 2), np.round(p_new, 2)
        p_new[:10] = p_old[:10]
    table = nri_idi(y, p_old, p_new).set_index("measure")
    ip = r.evaluate("unclass(Hmisc::improveProb(x1, x2, y))", x1=p_old, x2=p_new, y=y)
    nri, idi = table.loc["NRI (continuous)"], table.loc["IDI"]
    for ours, theirs in (("estimate", "nri"), ("se", "se.nri"), ("z", "z.nri"), ("events", "nri.ev"),
                         ("nonevents", "nri.ne")):
        assert nri[ours] == pytest.approx(ip[theirs], abs=1e-12)
    for ours, theirs in (("estimate", "idi"), ("se", "se.idi"), ("z", "z.idi"), ("events", "improveSens"),
                         ("nonevents", "improveSpec")):
        assert idi[ours] == pytest.approx(ip[theirs], abs=1e-12)
    assert nri["p"] == pytest.approx(2 * stats.norm.sf(abs(ip["z.nri"])), abs=1e-12)
    assert idi["p"] == pytest.approx(2 * stats.norm.sf(abs(ip["z.idi"])), abs=1e-12)
    assert "NRI (categorical)" not in table.index


def test_bad_inputs(r):
    from eprstats.evaluation.reclassification import nri_idi
    with pytest.raises(InputError, match="no events") as err:
        nri_idi([0, 0, 0], [0.1, 0.2, 0.3], [0.2, 0.2, 0.2], old_name="clinical", new_name="DLRRN",
                cohort="external")
    assert "clinical" in str(err.value) and "DLRRN" in str(err.value) and "external" in str(err.value)
    with pytest.raises(InputError, match="NaN") as err:
        nri_idi([0, 1, 1], [0.1, np.nan, 0.3], [0.2, 0.2, 0.2], old_name="clinical", cohort="training")
    assert "clinical" in str(err.value) and "training" in str(err.value)
    with pytest.raises(InputError, match=r"outside \[0, 1\]") as err:
        nri_idi([0, 1, 1], [0.1, 0.2, 0.3], [0.2, 3.2, 0.2], new_name="radscore", cohort="training")
    assert "radscore" in str(err.value)
    with pytest.raises(InputError, match="strictly increasing"):
        nri_idi([0, 1, 1], [0.1, 0.2, 0.3], [0.2, 0.3, 0.2], cutoffs=[0.6, 0.3])


def test_nri_cli(r, run_cli, tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame({"y": Y, "old": OLD, "new": NEW}).to_csv(path, index=False)
    code, out, err = run_cli("nri", path, "--outcome", "y", "--old", "old", "--new", "new", "--cutoffs",
                             "0.2,0.5", "--out", tmp_path / "o", "--formats", "csv,md")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "o" / "nri_idi_numeric.csv").set_index("measure")
    assert table.loc["NRI (categorical)", "estimate"] == pytest.approx(1 / 3, abs=1e-12)
    assert (tmp_path / "o" / "nri_idi.md").is_file()
    assert (tmp_path / "o" / "reclassification_table.csv").is_file()
    assert (tmp_path / "o" / "nri_idi.provenance.json").is_file()
    code, out, err = run_cli("nri", path, "--outcome", "y", "--old", "old", "--new", "missing_col",
                             "--out", tmp_path / "o2")
    assert code == 2 and "missing_col" in err and "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# ep.reclassification: every cohort, every old model
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cohorts():
    rng = np.random.default_rng(99)
    n = 140
    x = rng.normal(size=n)
    d = pd.DataFrame({"y": (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int),
                      "cohort": np.where(np.arange(n) < 90, "derivation", "validation")})
    d["p1"] = 1 / (1 + np.exp(-(0.4 * x + rng.normal(scale=0.9, size=n))))
    d["p2"] = 1 / (1 + np.exp(-(0.7 * x + rng.normal(scale=0.6, size=n))))
    d["p_new"] = 1 / (1 + np.exp(-(x + rng.normal(scale=0.3, size=n))))
    return d


def test_reclassification_result_equals_improveProb_per_cohort(r, cohorts):
    import eprstats as ep
    from eprstats.results import TIDY_COLUMNS
    res = ep.reclassification(cohorts, "y", ["p1", "p2"], "p_new", cohort_col="cohort", cutoffs=[0.3, 0.6])
    t = res.numeric
    assert list(dict.fromkeys(zip(t.cohort, t.comparison))) == [
        ("derivation", "p_new vs p1"), ("derivation", "p_new vs p2"),
        ("validation", "p_new vs p1"), ("validation", "p_new vs p2")]
    for (cohort, comparison), rows in t.groupby(["cohort", "comparison"], sort=False):
        part = cohorts[cohorts.cohort == cohort]
        old = comparison.split(" vs ")[1]
        y, p_old, p_new = part.y.to_numpy(), part[old].to_numpy(), part.p_new.to_numpy()
        ip = r.evaluate("unclass(Hmisc::improveProb(x1, x2, y))", x1=p_old, x2=p_new, y=y)
        rows = rows.set_index("measure")
        assert rows.loc["NRI (continuous)", "estimate"] == pytest.approx(ip["nri"], abs=1e-12)
        assert rows.loc["NRI (continuous)", "se"] == pytest.approx(ip["se.nri"], abs=1e-12)
        assert rows.loc["IDI", "estimate"] == pytest.approx(ip["idi"], abs=1e-12)
        assert rows.loc["IDI", "se"] == pytest.approx(ip["se.idi"], abs=1e-12)
        c_old, c_new = np.digitize(p_old, [0.3, 0.6]), np.digitize(p_new, [0.3, 0.6])  # [0,.3), [.3,.6), [.6,1]
        ev = y == 1
        up_ev = ((c_new > c_old) & ev).sum() - ((c_new < c_old) & ev).sum()
        assert rows.loc["NRI (categorical)", "events"] == pytest.approx(up_ev / ev.sum(), abs=1e-12)
        combined = res.reclassified[(res.reclassified.cohort == cohort) & (res.reclassified.comparison == comparison)
                                    & (res.reclassified.outcome == "combined")]
        counts = combined[[c for c in combined.columns if c.startswith("updated")]].to_numpy()
        np.testing.assert_array_equal(counts, pd.crosstab(c_old, c_new).reindex(index=range(3), columns=range(3),
                                                                                   fill_value=0).to_numpy())
    assert [tab.name for tab in res.tables()] == ["nri_idi_numeric", "nri_idi", "reclassification_table"]
    fmt = res.table("nri_idi")
    assert list(fmt.columns[:3]) == ["cohort", "comparison", "measure"] and len(fmt) == len(t)
    tidy = res.tidy()
    assert tuple(tidy.columns) == TIDY_COLUMNS
    est = tidy[(tidy.table == "nri_idi_numeric") & (tidy.statistic == "estimate")]
    np.testing.assert_array_equal(est["value"].to_numpy(), t["estimate"].to_numpy())
    np.testing.assert_array_equal(est["ci_low"].to_numpy(), t["ci_low"].to_numpy())
    derivation = est[est.cohort == "derivation"].iloc[0]
    assert (derivation["n"], derivation["events"]) == (90, cohorts.y.iloc[:90].sum())
    assert len(tidy[tidy.table == "reclassification_table"]) == len(res.reclassified) * 4


def test_reclassification_refuses_the_same_model_and_skips_by_name(r, cohorts):
    from eprstats.evaluation.reclassification import reclassification
    with pytest.raises(InputError, match="same column 'p_new'"):
        reclassification(cohorts, "y", ["p1", "p_new"], "p_new")
    with pytest.raises(InputError, match="did you mean 'p1'"):
        reclassification(cohorts, "y", ["P1 "], "p_new")
    bad = cohorts.assign(p1=np.where(cohorts.cohort == "validation", 1.7, cohorts.p1))
    with pytest.warns(UserWarning, match=r"NRI/IDI of p_new over p1 \(validation\) skipped"):
        res = reclassification(bad, "y", ["p1", "p2"], "p_new", cohort_col="cohort", skip_failed=True)
    assert set(zip(res.numeric.cohort, res.numeric.comparison)) == {
        ("derivation", "p_new vs p1"), ("derivation", "p_new vs p2"), ("validation", "p_new vs p2")}
    with pytest.raises(InputError, match=r"outside \[0, 1\]") as err:
        reclassification(bad, "y", ["p1", "p2"], "p_new", cohort_col="cohort")
    assert "p1" in str(err.value) and "validation" in str(err.value)
