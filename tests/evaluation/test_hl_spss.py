"""Hosmer-Lemeshow with SPSS's grouping (``hl_grouping="spss"``, ``--hl-grouping spss``).

What could be checked, and what could not: IBM's algorithm text (IBM SPSS Statistics Algorithms, LOGISTIC
REGRESSION, "Hosmer-Lemeshow Goodness-of-Fit Statistic") describes the rule -- cases sorted by predicted
probability, about 10 groups of approximately equal size ("deciles of risk", at the percentiles of the
predicted probability), cases of one block (same covariates, hence same probability) never divided, so
fewer groups and df can result, C = sum (O - E)^2 / E over both outcomes, df = groups - 2. No published SPSS
"Contingency Table for Hosmer and Lemeshow Test" together with its data was found, so no SPSS-printed
number is asserted here. What is tested is the grouping rule, on constructed ties, against

* group sizes worked by hand from the rule (empirical percentiles P_k = the ceil(k n / 10)-th smallest
  probability, group k = (P_(k-1), P_k]),
* an independent numpy implementation written below (cuts on values, not positions), and
* R's own ``quantile(type = 1)`` + ``cut`` called directly (the empirical percentile as R defines it).

Should an SPSS output with its data turn up, add its printed table here.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.errors import InputError


def _independent_hl(p, y, g=10):
    """The rule re-implemented from its text: percentiles on values, each case in the first group whose
    upper cut is >= its probability (ties therefore together), empty groups dropped."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    s = np.sort(p)
    n = len(p)
    cuts = [s[math.ceil(k * n / g) - 1] for k in range(1, g + 1)]
    group = np.array([next(k for k, c in enumerate(cuts) if v <= c) for v in p])
    rows = []
    for k in sorted(set(group)):
        sel = group == k
        o1, e1, m = y[sel].sum(), p[sel].sum(), sel.sum()
        rows.append((m, m - o1, m - e1, o1, e1))
    table = np.array(rows)
    chi2 = float(((table[:, 3] - table[:, 4]) ** 2 / table[:, 4]).sum()
                 + ((table[:, 1] - table[:, 2]) ** 2 / table[:, 2]).sum())
    df = len(rows) - 2
    return table, chi2, df, stats.chi2.sf(chi2, df)


def _hl(p, y, g=10):
    from eprstats.evaluation.calibration import hosmer_lemeshow
    return hosmer_lemeshow(p, y, g=g, grouping="spss")


def _sizes(hl):
    return hl["table"]["n"].astype(int).tolist()


def test_no_ties_189_cases_give_nine_groups_of_19_and_one_of_18(r):
    """n = 189 (the size of Hosmer & Lemeshow's low birth weight data): P_k = the ceil(18.9 k)-th value, so
    the cuts fall after cases 19, 38, 57, 76, 95, 114, 133, 152, 171."""
    rng = np.random.default_rng(189)
    p = rng.uniform(0.05, 0.95, 189)
    y = (rng.random(189) < p).astype(int)
    hl = _hl(p, y)
    assert _sizes(hl) == [19] * 9 + [18]
    assert (hl["groups"], hl["df"]) == (10, 8)


def test_a_tied_block_across_a_decile_boundary_stays_whole_in_its_first_cases_group(r):
    """20 cases, g = 10 (two a decile): a block of 5 equal probabilities at sorted positions 3-7 goes whole
    to group 2 (its first position, 3, is in decile 2); decile 3 is then empty and dropped; position 8 is in
    decile 4, 9-10 in 5, ... Sizes worked by hand: 2, 5, 1, 2, 2, 2, 2, 2, 2 (9 groups, df 7)."""
    p = np.array([0.05, 0.10] + [0.30] * 5 + [0.35, 0.40, 0.42, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70,
                                               0.75, 0.80, 0.85, 0.90])
    y = np.array([0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1])
    order = np.random.default_rng(1).permutation(len(p))  # the input order must not matter
    hl = _hl(p[order], y[order])
    assert _sizes(hl) == [2, 5, 1, 2, 2, 2, 2, 2, 2]
    assert (hl["groups"], hl["df"]) == (9, 7)
    assert hl["table"]["observed_events"].tolist()[1] == 2          # the block: y = 0, 1, 0, 0, 1
    assert hl["table"]["expected_events"].tolist()[1] == pytest.approx(1.5, abs=1e-12)


@pytest.mark.parametrize("n, decimals, seed", [(57, 1, 3), (120, 2, 5), (200, 1, 11), (33, 2, 8), (300, 3, 2)])
def test_equals_the_independent_implementation_and_r_type_1_quantiles(r, n, decimals, seed):
    """Probabilities rounded to create many ties (whole blocks across boundaries, empty deciles)."""
    rng = np.random.default_rng(seed)
    p = np.round(rng.beta(2, 3, n), decimals).clip(0.001, 0.999)
    y = (rng.random(n) < p).astype(int)
    hl = _hl(p, y)
    table, chi2, df, pval = _independent_hl(p, y)
    got = hl["table"][["n", "observed_nonevents", "expected_nonevents", "observed_events", "expected_events"]]
    np.testing.assert_allclose(got.to_numpy(float), table, rtol=1e-12, atol=1e-12)
    assert (hl["statistic"], hl["df"], hl["p_value"]) == (pytest.approx(chi2, rel=1e-12), df,
                                                         pytest.approx(pval, rel=1e-10))
    # R's empirical percentiles (type 1) and cut() give the same groups. probs = (0:10) / 10, not
    # seq(0, 1, 0.1): there 3 * 0.1 > 0.3, and n * 0.3 just above 36 moves type 1 up one order statistic
    sizes = r.evaluate("""
        b <- unique(stats::quantile(p, probs = (0:10) / 10, type = 1))
        as.numeric(table(cut(p, breaks = b, include.lowest = TRUE, right = TRUE)))""", p=p)
    assert _sizes(hl) == [int(v) for v in np.atleast_1d(sizes) if v > 0]


def test_differs_from_the_quantile_grouping_and_leaves_the_default_alone(r):
    """The default (type-7 quantiles) is unchanged; SPSS's cuts differ where type 7 interpolates."""
    from eprstats.evaluation.calibration import hosmer_lemeshow
    rng = np.random.default_rng(189)
    p = rng.uniform(0.05, 0.95, 189)
    y = (rng.random(189) < p).astype(int)
    quantile = hosmer_lemeshow(p, y, g=10)
    assert quantile["grouping"] == "quantile"
    # type 7: P_k = x_(1 + 18.8 k): cuts after cases 19, 38, 57, 76, 95, 113, 132, 151, 170
    assert quantile["table"]["n"].astype(int).tolist() == [19, 19, 19, 19, 19, 18, 19, 19, 19, 19]
    assert _sizes(_hl(p, y)) != quantile["table"]["n"].astype(int).tolist()


def test_too_few_blocks_and_an_unknown_grouping_are_refused(r):
    from eprstats.evaluation.calibration import TooFewRiskGroups, hosmer_lemeshow
    with pytest.raises(TooFewRiskGroups):
        _hl([0.2] * 10 + [0.6] * 10, [0, 1] * 10)
    with pytest.raises(InputError, match="grouping"):
        hosmer_lemeshow([0.2, 0.3, 0.4, 0.5, 0.6, 0.7], [0, 1, 0, 1, 0, 1], g=3, grouping="stata")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(20261216)
    n = 160
    d = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.integers(0, 3, n).astype(float)})
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + 0.9 * d.x1 - 0.5 * d.x2)))).astype(int)
    d["cohort"] = ["training"] * 100 + ["external"] * 60
    return d


def test_calibrate_writes_the_contingency_table_and_the_command_the_same_files(r, run_cli, tmp_path, data):
    import eprstats as ep
    from eprstats.evaluation.calibration import hosmer_lemeshow, predict_prob
    from eprstats.fileio import read_csv

    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    frame = read_csv(path)
    cal = ep.calibrate(frame, "y", {"m": ["x1", "x2"]}, cohort_col="cohort", train_cohort="training", B=10,
                       seed=3, hl_grouping="spss")
    assert cal.settings["hl_grouping"] == "spss"
    assert "hosmer_lemeshow" in [t.name for t in cal.tables()]
    # every cohort's rows are hosmer_lemeshow(grouping="spss") of that cohort's predicted probabilities
    from eprstats.evaluation.calibration import fit_lrm
    model = fit_lrm(frame[frame.cohort == "training"], "y", ["x1", "x2"], name="m")
    for cohort in ("training", "external"):
        rows = frame[frame.cohort == cohort]
        hl = hosmer_lemeshow(predict_prob(model, rows, ["x1", "x2"]), rows["y"], g=10, grouping="spss")
        written = cal.hl_table[cal.hl_table.cohort == cohort].reset_index(drop=True)
        for col in ("n", "observed_events", "expected_events", "observed_nonevents", "expected_nonevents"):
            np.testing.assert_allclose(written[col].to_numpy(float), hl["table"][col].to_numpy(float), rtol=1e-12)
        stat = cal.statistics.set_index("cohort").loc[cohort]
        assert (stat["hl_statistic"], stat["hl_df"]) == (pytest.approx(hl["statistic"], rel=1e-12), hl["df"])
    tidy = cal.tidy()
    assert len(tidy[tidy.table == "hosmer_lemeshow"]) == 4 * len(cal.hl_table)

    code, _, err = run_cli("calibration", path, "--outcome", "y", "--model", "m=x1+x2", "--cohort-col", "cohort",
                           "--train-cohort", "training", "--B", 10, "--seed", 3, "--hl-grouping", "spss",
                           "--no-figures", "--out", tmp_path / "cli")
    assert code == 0, err
    cal.write(tmp_path / "api", ["csv"], figures=False)
    for name in ("hosmer_lemeshow.csv", "calibration_numeric.csv", "calibration.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes(), name
    columns = pd.read_csv(tmp_path / "cli" / "hosmer_lemeshow.csv", nrows=0).columns.tolist()
    assert columns == ["model", "cohort", "group", "observed_nonevents", "expected_nonevents", "observed_events",
                       "expected_events", "n"]


def test_the_default_writes_no_contingency_table(r, data):
    import eprstats as ep
    cal = ep.calibrate(data, "y", {"m": ["x1", "x2"]}, cohort_col="cohort", train_cohort="training", B=10, seed=3)
    assert cal.hl_table is None and "hosmer_lemeshow" not in [t.name for t in cal.tables()]
    assert cal.settings["hl_grouping"] == "quantile"
