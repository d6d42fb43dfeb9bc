"""Random tables thrown at the statistics commands (hypothesis): every run either succeeds with well-formed
outputs or fails with a clean one-paragraph message ("error: ... Fix: ..."), exit 2 or 3, never an internal
error (exit 5) or a traceback.

Commands: roc, fit, dca, nri, select, calibration (through the CLI, in-process) and icc (random readers).
The tables are random in the ways hand-exported data are: one fault per table or none (about 40% valid,
so that the success path is exercised too): a tiny table (0 to 5 rows), one outcome class, a rare class,
text labels, three classes, missing outcomes, a constant column, a NaN, an infinity, a text value, values
outside [0, 1], (near) separation; column and cohort names with spaces and non-ASCII letters; with or
without a cohort column; files in folders with spaces and non-ASCII names.

On success the outputs are checked against what follows from the input alone: AUC and its CI within
[0, 1] with the CI around the AUC, counts per cohort as in the table; treat-all and treat-none net benefit
from the prevalence (Vickers & Elkin 2006) and no model above the prevalence; the IDI recomputed with
numpy (Pencina et al. 2008); the fitted probabilities as the inverse logit of the linear predictor;
ICC(A,1) from the two-way ANOVA mean squares (McGraw & Wong 1996); calibration counts per cohort.

Reproducible: ``derandomize=True`` draws the same examples on every run (25 per command, 15 for
calibration); no shrinking, so a failure costs no more time than a pass.
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.robustness.corpus import error_paragraph

# No shrinking: a failure reports the example as drawn, and the suite's time stays bounded when it fails.
SETTINGS = dict(max_examples=25, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# Names as people type them: letters (some non-ASCII), digits, spaces, '_', '-', '.'; they start with a
# letter (click reads a leading '-' as an option) and hold no ',' (the commands' list separator).
FIRST = "abcdefxyzABCDEFéüßøÅΩжк中文"
REST = FIRST + "0123456789 _-."
NAME = st.tuples(st.sampled_from(FIRST), st.text(st.sampled_from(REST), max_size=7)).map(
    lambda t: (t[0] + t[1]).strip())

# One thing wrong per table (or nothing: about 40% of the tables are valid, so that the success path and
# its invariants are exercised as much as the errors).
FAULTS = ["none"] * 9 + ["tiny table", "one class", "rare class", "text labels", "three classes",
                         "missing outcome", "constant column", "NaN value", "infinite value", "text value",
                         "outside [0, 1]", "separation"]


@st.composite
def tables(draw, n_columns=2, probabilities=False):
    """(frame, outcome name, column names, cohort column or None, training cohort or None); ``.attrs["fault"]``
    says what was made wrong."""
    fault = draw(st.sampled_from(FAULTS))
    n = draw(st.sampled_from([0, 1, 2, 3, 4, 5]) if fault == "tiny table" else st.integers(16, 60))
    names = draw(st.lists(NAME, min_size=n_columns + 4, max_size=n_columns + 4, unique=True))
    outcome, cohort_col, train, other, *cols = names
    balance = {"one class": draw(st.sampled_from([0.0, 1.0])), "rare class": 0.04}.get(
        fault, draw(st.sampled_from([0.3, 0.4, 0.5, 0.6])))
    effect = 50.0 if fault == "separation" else draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))
    bad_col = draw(st.sampled_from(cols))
    with_cohort = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))

    y = (rng.random(n) < balance).astype(int)
    frame = pd.DataFrame(index=range(n))
    if fault == "text labels":
        frame[outcome] = np.where(y == 1, "EPR", "no EPR")
    elif fault == "three classes":
        frame[outcome] = rng.integers(0, 3, n)
    elif fault == "missing outcome":
        frame[outcome] = np.where(rng.random(n) < 0.2, np.nan, y)
    else:
        frame[outcome] = y
    for col in cols:
        signal = effect * y + rng.normal(size=n)
        values = 1 / (1 + np.exp(-signal)) if probabilities else signal
        if col == bad_col and n:
            if fault == "constant column":
                values = np.full(n, 0.5)
            elif fault in ("NaN value", "infinite value"):
                values[rng.integers(0, n)] = np.nan if fault == "NaN value" else np.inf
            elif fault == "text value":
                values = values.astype(object)
                values[rng.integers(0, n)] = "n/a (not done)"
            elif fault == "outside [0, 1]":
                values = signal * 10
        frame[col] = values
    frame.attrs["fault"] = fault
    if with_cohort:
        frame.insert(0, cohort_col, np.where(rng.random(n) < 0.65, train, other))
        return frame, outcome, cols, cohort_col, train
    return frame, outcome, cols, None, None


def _run(run_cli, tried, command, frame, args):
    """Write the table under a folder with a space and a non-ASCII letter; run the command."""
    digest = hashlib.sha256((frame.to_csv() + "\0".join(map(str, args))).encode()).hexdigest()[:12]
    tried(f"{command}: random table {digest}")
    with tempfile.TemporaryDirectory(prefix="eprstats prop ") as tmp:
        folder = Path(tmp) / "Kohorte ü"
        folder.mkdir()
        csv = folder / "table.csv"
        frame.to_csv(csv, index=False)
        out = folder / "out put"
        code, _, err = run_cli(command, csv, *args, "--out", out)
        assert code in (0, 2, 3), f"{command} exit {code}: {err}\n{frame.head(12)}"
        assert "Traceback" not in err, err
        if code:
            message = error_paragraph(err)
            assert message.startswith("error: ") and "Fix:" in message, message
            return code, None
        return code, {p.name: pd.read_csv(p, keep_default_na=False, na_values=[""])
                      for p in out.glob("*.csv")}


def _cohort_args(cohort_col, train, need_train=True):
    if cohort_col is None:
        return []
    return ["--cohort-col", cohort_col] + (["--train-cohort", train] if need_train else [])


def _parts(frame, cohort_col):
    if cohort_col is None:
        return {"all": frame}
    return {c: frame[frame[cohort_col].astype(str) == c] for c in dict.fromkeys(frame[cohort_col].astype(str))}


@settings(**SETTINGS)
@given(table=tables(n_columns=2))
def test_roc_random_tables(table, run_cli, tried, r):
    frame, outcome, cols, cohort_col, train = table
    code, out = _run(run_cli, tried, "roc", frame, ["--outcome", outcome, "--scores", ",".join(cols), "--no-figures",
                                            *_cohort_args(cohort_col, train)])
    if code:
        return
    roc = out["roc.csv"]
    assert len(roc) == len(cols) * (1 if cohort_col is None else frame[cohort_col].nunique())
    tol = 1e-9
    assert roc["auc"].between(0, 1).all()
    assert (roc["auc_ci_low"] <= roc["auc"] + tol).all() and (roc["auc"] <= roc["auc_ci_high"] + tol).all()
    for col in ("sensitivity", "specificity", "accuracy"):
        assert roc[col].between(0, 1).all(), col
    parts = _parts(frame, cohort_col)
    for row in roc.itertuples():
        rows = parts[str(row.cohort)] if cohort_col is not None else frame
        assert row.n == len(rows) and row.events == int(rows[outcome].sum())


@settings(**SETTINGS)
@given(table=tables(n_columns=2))
def test_fit_random_tables(table, run_cli, tried, r):
    frame, outcome, cols, cohort_col, train = table
    code, out = _run(run_cli, tried, "fit", frame, ["--outcome", outcome, "--predictors", ",".join(cols), "--no-figures",
                                            *_cohort_args(cohort_col, train)])
    if code:
        return
    t3 = out["table3_numeric.csv"]
    assert list(t3["term"])[0] == "Intercept" and set(cols) <= set(t3["term"])
    assert np.isfinite(t3["beta"]).all() and (t3["se"] > 0).all()
    scores = out["scores.csv"]
    assert len(scores) == len(frame)
    lp, prob = scores.iloc[:, -2].to_numpy(float), scores.iloc[:, -1].to_numpy(float)
    np.testing.assert_allclose(prob, 1 / (1 + np.exp(-lp)), rtol=1e-9)


@settings(**SETTINGS)
@given(table=tables(n_columns=2, probabilities=True))
def test_dca_random_tables(table, run_cli, tried, r):
    frame, outcome, cols, cohort_col, train = table
    code, out = _run(run_cli, tried, "dca", frame, ["--outcome", outcome, "--models", ",".join(cols), "--no-figures",
                                            *_cohort_args(cohort_col, train, need_train=False)])
    if code:
        return
    nb = out["decision_curves.csv"]
    for cohort, rows in _parts(frame, cohort_col).items():
        prevalence = rows[outcome].astype(float).mean()
        got = nb[nb["cohort"].astype(str) == cohort]
        pt = got["threshold"].to_numpy(float)
        treat_all = got[got["model"] == "treat all"]
        np.testing.assert_allclose(treat_all["net_benefit"],
                                   prevalence - (1 - prevalence) * treat_all["threshold"] /
                                   (1 - treat_all["threshold"]), atol=1e-12)
        assert (got.loc[got["model"] == "treat none", "net_benefit"] == 0).all()
        models = got[got["model"].isin(cols)]
        assert len(models) == len(cols) * len(set(pt))
        assert (models["net_benefit"] <= prevalence + 1e-12).all()


@settings(**SETTINGS)
@given(table=tables(n_columns=2, probabilities=True), cutoffs=st.sampled_from([None, "0.3,0.6", "0.5"]))
def test_nri_random_tables(table, cutoffs, run_cli, tried, r):
    frame, outcome, (old, new), cohort_col, train = table
    code, out = _run(run_cli, tried, "nri", frame, ["--outcome", outcome, "--old", old, "--new", new,
                                            *(["--cutoffs", cutoffs] if cutoffs else []),
                                            *_cohort_args(cohort_col, train, need_train=False)])
    if code:
        return
    table_ = out["nri_idi_numeric.csv"]
    for cohort, rows in _parts(frame, cohort_col).items():
        got = table_[table_["cohort"].astype(str) == cohort].set_index("measure")
        y = rows[outcome].to_numpy(float)
        d = rows[new].to_numpy(float) - rows[old].to_numpy(float)
        assert got.loc["IDI", "estimate"] == pytest.approx(d[y == 1].mean() - d[y == 0].mean(), abs=1e-12)
        for measure, row in got.iterrows():
            bound = 1 if measure == "IDI" else 2
            assert -bound - 1e-12 <= row["estimate"] <= bound + 1e-12, measure
            if np.isfinite(row["se"]) and row["se"] > 0:
                assert row["ci_low"] <= row["estimate"] <= row["ci_high"], measure
        assert ("NRI (categorical)" in got.index) == bool(cutoffs)


@settings(**SETTINGS)
@given(table=tables(n_columns=6), nfolds=st.sampled_from([3, 5, 10]))
def test_select_random_tables(table, nfolds, run_cli, tried, r):
    frame, outcome, cols, cohort_col, train = table
    frame = frame.copy()
    frame.insert(0, "patient id", [f"P{i}" for i in range(len(frame))])
    code, out = _run(run_cli, tried, "select", frame, ["--outcome", outcome, "--id", "patient id", "--seed", "11",
                                               "--k", "4", "--nfolds", str(nfolds), "--no-figures",
                                               *_cohort_args(cohort_col, train)])
    if code:
        return
    coef = out["signature_coefficients.csv"]
    assert coef["feature"].iloc[0] == "(Intercept)" and set(coef["feature"].iloc[1:]) <= set(cols)
    scores = out["scores.csv"]
    assert list(scores["patient id"]) == list(frame["patient id"])
    assert np.isfinite(scores["signature"].to_numpy(float)).all()


def _icc_a1(block: np.ndarray) -> float:
    """ICC(A,1) of an n x k matrix from the two-way ANOVA mean squares (McGraw & Wong 1996, case 2A)."""
    n, k = block.shape
    grand = block.mean()
    rows, cols = block.mean(axis=1), block.mean(axis=0)
    msr = k * ((rows - grand) ** 2).sum() / (n - 1)
    msc = n * ((cols - grand) ** 2).sum() / (k - 1)
    mse = ((block - rows[:, None] - cols[None, :] + grand) ** 2).sum() / ((n - 1) * (k - 1))
    return (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)


@st.composite
def readings(draw):
    """2 or 3 readers' feature tables of the same patients (sometimes not), with the corpus' faults."""
    table, _, cols, _, _ = draw(tables(n_columns=3))
    fault = table.attrs["fault"]
    id_col = draw(NAME.filter(lambda s: s not in cols))
    base = table[cols].copy()
    base.insert(0, id_col, [f"P{i:02d}" for i in range(len(base))])
    k = draw(st.sampled_from([2, 3]))
    noise = draw(st.sampled_from([0.0, 0.1, 1.0, 10.0]))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
    readers = {}
    for j in range(k):
        reader = base.copy()
        for col in cols:
            if pd.api.types.is_float_dtype(reader[col]):
                reader[col] = reader[col] + noise * rng.normal(size=len(reader))
        readers[f"reader {j + 1} é"] = reader
    twist = draw(st.sampled_from(["none"] * 6 + ["unmatched id", "repeated id", "missing column", "one reader"]))
    last = list(readers)[-1]
    if twist == "unmatched id" and len(base):
        readers[last].loc[0, id_col] = "X99"
    elif twist == "repeated id" and len(base) > 1:
        readers[last].loc[1, id_col] = readers[last].loc[0, id_col]
    elif twist == "missing column":
        readers[last] = readers[last].drop(columns=cols[0])
    elif twist == "one reader":
        readers = {last: readers[last]}
    return readers, id_col, cols, f"{fault}, {twist}"


@settings(**SETTINGS)
@given(data=readings())
def test_icc_random_readings(data, run_cli, tried):
    readers, id_col, cols, what = data
    digest = hashlib.sha256("".join(f.to_csv() for f in readers.values()).encode()).hexdigest()[:12]
    tried(f"icc: random readings {digest}")
    with tempfile.TemporaryDirectory(prefix="eprstats prop ") as tmp:
        paths = []
        for name, frame in readers.items():
            paths.append(Path(tmp) / f"{name}.csv")
            frame.to_csv(paths[-1], index=False)
        out = Path(tmp) / "résultat" / "icc.csv"
        code, _, err = run_cli("icc", *paths, "--id", id_col, "--out", out)
        assert code in (0, 2), f"icc ({what}) exit {code}: {err}"
        assert "Traceback" not in err, err
        if code:
            message = error_paragraph(err)
            assert message.startswith("error: ") and "Fix:" in message, message
            assert not out.exists()
            return
        result = pd.read_csv(out)
    first = next(iter(readers.values()))
    assert result["n_ids"].eq(first[id_col].nunique()).all() and result["n_readings"].eq(len(readers)).all()
    for row in result.itertuples():
        if np.isnan(row.icc):
            assert isinstance(row.note, str) and row.note, row
            continue
        block = np.column_stack([frame.set_index(id_col).loc[sorted(first[id_col]), row.feature].to_numpy(float)
                                 for frame in readers.values()])
        assert row.icc == pytest.approx(_icc_a1(block), abs=1e-9)
        # pingouin prints its CI rounded to 2 decimals (0.98-0.99 around 0.9904): half a unit of slack
        assert row.ci_low <= row.icc + 0.005 + 1e-9 and row.icc <= row.ci_high + 0.005 + 1e-9
        assert row.icc <= 1 + 1e-12


@settings(**dict(SETTINGS, max_examples=15))
@given(table=tables(n_columns=2))
def test_calibration_random_tables(table, run_cli, tried, r):
    frame, outcome, cols, cohort_col, train = table
    code, out = _run(run_cli, tried, "calibration", frame, ["--outcome", outcome, "--predictors", ",".join(cols),
                                                          "--B", "10", "--groups", "5", "--no-figures",
                                                          *_cohort_args(cohort_col, train)])
    if code:
        return
    by_cohort = out["calibration_numeric.csv"]
    for row in by_cohort.itertuples():
        rows = _parts(frame, cohort_col)[str(row.cohort)]
        assert row.n == len(rows) and row.events == int(rows[outcome].sum())
        assert 0 <= row.brier <= 1 and 0 <= row.c <= 1
    curve = out["calibration_curve.csv"]
    assert curve["predicted"].between(0, 1).all()
