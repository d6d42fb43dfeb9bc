"""Hosmer-Lemeshow with SPSS's grouping (``hl_grouping="spss"``, ``--hl-grouping spss``).

The oracle is SPSS's own printed output: the "Contingency Table for Hosmer and Lemeshow Test" of the
published SPSS runs in ``../shared/data/spss`` (with their data). The rule (``calibration_hl_groups_spss`` in
r/calibration.R; docs/spss.md) was found from those tables: cases sorted by risk, blocks of equal risk never
divided, a block joins the current group while the group's count plus half the block stays within n / g,
the g-th group takes the rest. Here

* the published tables: group sizes, observed and expected counts of both outcomes, chi-square, df and Sig.
  of the ``g1b ~ cesd`` table (58 distinct risks among 453 cases) and the ``nodetox ~ mcs`` table (no ties),
  computed by ``hosmer_lemeshow(grouping="spss")`` from the probabilities of SPSS's fit (every other printed
  table is asserted in test_spss_published.py);
* group sizes worked by hand from the rule, and an independent implementation written below (a walk over the
  distinct risks' cumulative counts), on constructed ties.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eprstats.errors import InputError


def _independent_hl(p, y, g=10):
    """The rule re-implemented from its text, on the distinct risks' counts: a risk's cases join the open
    group while (cases already in it) + half of them <= n / g; the g-th group takes the rest."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    values, counts = np.unique(p, return_counts=True)
    target = len(p) / g
    bounds, filled = [[values[0]]], counts[0]
    for v, m in zip(values[1:], counts[1:]):
        if len(bounds) < g and filled + m / 2 > target:
            bounds.append([v])
            filled = m
        else:
            bounds[-1].append(v)
            filled += m
    rows = []
    for members in bounds:
        sel = np.isin(p, members)
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


@pytest.mark.parametrize("name, outcome, terms", [("enter_g1b_cesd.json", "g1b", ["cesd"]),
                                                  ("enter_nodetox_mcs.json", "nodetox", ["mcs"])])
def test_the_published_spss_tables(r, shared_data, name, outcome, terms):
    """SPSS's printed table, every cell at its 3 printed decimals, from SPSS's fitted probabilities."""
    from eprstats.evaluation.models_spss import spss_stepwise
    folder = shared_data / "spss"
    if not (folder / name).is_file():
        pytest.skip(f"the published SPSS output {folder / name} is absent")
    data = pd.read_csv(folder / "help_logistic.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = spss_stepwise(data, outcome, terms, method="spss-enter")
    b = fit.in_equation[fit.in_equation.step == 1].set_index("term")["B"]
    p = 1 / (1 + np.exp(-(b["Constant"] + sum(b[t] * data[t] for t in terms))))
    hl = _hl(p.to_numpy(), data[outcome])
    printed = json.loads((folder / name).read_text())
    want = pd.DataFrame(printed["hl_contingency"]["rows"])
    got = hl["table"]
    assert _sizes(hl) == want["total"].astype(int).tolist()
    for ours, theirs in (("observed_nonevents", "obs_y0"), ("expected_nonevents", "exp_y0"),
                         ("observed_events", "obs_y1"), ("expected_events", "exp_y1")):
        assert [f"{v:.3f}" for v in got[ours]] == [f"{v:.3f}" for v in want[theirs]], ours
    test = printed["hosmer_lemeshow"]["rows"][0]
    assert (f"{hl['statistic']:.3f}", hl["df"], f"{hl['p_value']:.3f}") == \
        (f"{test['chi_square']:.3f}", int(test["df"]), f"{test['sig']:.3f}")


def test_no_ties_189_cases_give_nine_groups_of_19_and_one_of_18(r):
    """n = 189, n / g = 18.9: a case joins while the group holds c <= 18.4 cases, so groups of 19."""
    rng = np.random.default_rng(189)
    p = rng.uniform(0.05, 0.95, 189)
    y = (rng.random(189) < p).astype(int)
    hl = _hl(p, y)
    assert _sizes(hl) == [19] * 9 + [18]
    assert (hl["groups"], hl["df"]) == (10, 8)


def test_a_tied_block_is_never_divided(r):
    """20 cases, g = 10 (n / g = 2), worked by hand: cases 1-2 fill group 1; the block of 5 equal risks
    (2 + 5/2 > 2) opens group 2 and stays whole; the 13 single cases then go in pairs (1 + 1/2 <= 2), the
    last alone: sizes 2, 5, 2, 2, 2, 2, 2, 2, 1 (9 groups, df 7)."""
    p = np.array([0.05, 0.10] + [0.30] * 5 + [0.35, 0.40, 0.42, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70,
                                               0.75, 0.80, 0.85, 0.90])
    y = np.array([0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1])
    order = np.random.default_rng(1).permutation(len(p))  # the input order must not matter
    hl = _hl(p[order], y[order])
    assert _sizes(hl) == [2, 5, 2, 2, 2, 2, 2, 2, 1]
    assert (hl["groups"], hl["df"]) == (9, 7)
    assert hl["table"]["observed_events"].tolist()[1] == 2          # the block: y = 0, 1, 0, 0, 1
    assert hl["table"]["expected_events"].tolist()[1] == pytest.approx(1.5, abs=1e-12)


@pytest.mark.parametrize("n, decimals, seed", [(57, 1, 3), (120, 2, 5), (200, 1, 11), (33, 2, 8), (300, 3, 2)])
def test_equals_the_independent_implementation(r, n, decimals, seed):
    """Probabilities rounded to create many ties (whole blocks across boundaries)."""
    rng = np.random.default_rng(seed)
    p = np.round(rng.beta(2, 3, n), decimals).clip(0.001, 0.999)
    y = (rng.random(n) < p).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fewer groups than 10
        hl = _hl(p, y)
    table, chi2, df, pval = _independent_hl(p, y)
    got = hl["table"][["n", "observed_nonevents", "expected_nonevents", "observed_events", "expected_events"]]
    np.testing.assert_allclose(got.to_numpy(float), table, rtol=1e-12, atol=1e-12)
    assert (hl["statistic"], hl["df"], hl["p_value"]) == (pytest.approx(chi2, rel=1e-12), df,
                                                         pytest.approx(pval, rel=1e-10))


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
    cal = ep.calibrate(frame, "y", {"m": ["x1", "x2"]}, cohort_col="cohort", train_cohort="training", boot_n=10,
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
    cal = ep.calibrate(data, "y", {"m": ["x1", "x2"]}, cohort_col="cohort", train_cohort="training", boot_n=10, seed=3)
    assert cal.hl_table is None and "hosmer_lemeshow" not in [t.name for t in cal.tables()]
    assert cal.settings["hl_grouping"] == "quantile"
