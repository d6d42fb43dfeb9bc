"""mRMR against a small example worked by hand and against an independent brute-force greedy search."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import mutual_info_score

from eprstats.errors import InputError
from eprstats.selection.mrmr import default_bins, discretise, mrmr, mutual_information

# n = 8, 2 equal-frequency bins, every feature has four 0s and four 1s. The MI of two such patterns
# depends only on the number of positions a where they agree (2x2 table with counts a/2, 4 - a/2):
#   a = 8 or 0: ln 2 = 0.6931472;  a = 6 or 2: 2 (3/8) ln((3/8)/(1/4)) + 2 (1/8) ln((1/8)/(1/4))
#   = 0.75 ln 1.5 - 0.25 ln 2 = 0.3040988 - 0.1732868 = 0.1308120;  a = 4: 0.
LN2 = 0.6931471806
M6 = 0.75 * 0.4054651081 - 0.25 * 0.6931471806  # 0.1308120
Y = [0, 0, 0, 0, 1, 1, 1, 1]
PATTERNS = {  # agreement with y, A, C:
    "A": [0, 0, 0, 1, 0, 1, 1, 1],  # y: 6
    "B": [0, 0, 1, 0, 0, 1, 1, 1],  # y: 6, A: 6, C: 4
    "C": [0, 1, 0, 0, 1, 0, 1, 1],  # y: 6, A: 4
    "E": [0, 1, 0, 1, 0, 1, 0, 1],  # y: 4, A: 6, B: 4, C: 4
}


def _values(bits):
    # Distinct values whose 2 equal-frequency bins are the pattern: bit * 10 + position.
    return [b * 10.0 + i for i, b in enumerate(bits)]


@pytest.fixture
def hand():
    return pd.DataFrame({k: _values(v) for k, v in PATTERNS.items()})


def test_discretise_by_hand():
    # x = 5, 1, 3, 3, 9, 7 -> minimum ranks 4, 1, 2, 2, 6, 5 -> floor(3 (r - 1) / 6) = 1, 0, 0, 0, 2, 2
    np.testing.assert_array_equal(discretise([5, 1, 3, 3, 9, 7], 3), [1, 0, 0, 0, 2, 2])
    np.testing.assert_array_equal(discretise(_values(PATTERNS["C"]), 2), PATTERNS["C"])
    assert [default_bins(n) for n in (8, 60, 114, 2000)] == [2, 4, 5, 10]


def test_mutual_information_by_hand():
    assert mutual_information(PATTERNS["A"], Y) == pytest.approx(M6, abs=1e-9)
    assert mutual_information(Y, Y) == pytest.approx(LN2, abs=1e-9)
    assert mutual_information(PATTERNS["E"], Y) == pytest.approx(0, abs=1e-12)


def test_mid_worked_by_hand(hand):
    out = mrmr(hand, Y, k=4, criterion="MID", bins=2)
    # Step 1: A, B, C tie on relevance 0.1308 -> A (listed first).
    # Step 2: B: 0.1308 - I(B;A) = 0.1308 - 0.1308 = 0;  C: 0.1308 - 0 = 0.1308;  E: 0 - 0.1308 -> C.
    # Step 3: B: 0.1308 - (0.1308 + 0) / 2 = 0.0654;  E: 0 - (0.1308 + 0) / 2 = -0.0654 -> B.
    # Step 4: E: 0 - (0.1308 + 0 + 0) / 3 = -0.0436.
    assert out["feature"].tolist() == ["A", "C", "B", "E"]
    np.testing.assert_allclose(out["relevance"], [M6, M6, M6, 0], atol=1e-9)
    np.testing.assert_allclose(out["redundancy"], [0, 0, M6 / 2, M6 / 3], atol=1e-9)
    np.testing.assert_allclose(out["score"], [M6, M6, M6 / 2, -M6 / 3], atol=1e-9)
    assert out["rank"].tolist() == [1, 2, 3, 4]


def test_miq_worked_by_hand(hand):
    out = mrmr(hand, Y, k=4, criterion="MIQ", bins=2)
    # Step 2: B: 0.1308 / 0.1308 = 1;  C: redundancy 0 with relevance > 0 -> +inf;  E: 0 / 0.1308 = 0.
    # Step 3: B: 0.1308 / 0.0654 = 2;  E: 0 / 0.0654 = 0.
    assert out["feature"].tolist() == ["A", "C", "B", "E"]
    assert math.isinf(out["score"].iloc[1])
    assert out["score"].iloc[2] == pytest.approx(2.0, rel=1e-9)


def _brute_force(X: pd.DataFrame, y, k: int, bins: int, criterion: str):
    """Independent greedy search: discretise by counting smaller values, MI by sklearn, every remaining
    feature scored from scratch at every step."""
    n = len(X)
    disc = {c: [int(bins * sum(v < x for v in X[c]) // n) for x in X[c]] for c in X.columns}
    rel = {c: mutual_info_score(y, disc[c]) for c in X.columns}
    chosen = []
    for _ in range(k):
        best, best_score = None, -math.inf
        for c in X.columns:
            if c in chosen:
                continue
            if chosen:
                red = sum(mutual_info_score(disc[c], disc[s]) for s in chosen) / len(chosen)
                s = rel[c] - red if criterion == "MID" else (rel[c] / red if red > 1e-12 else
                                                             (math.inf if rel[c] > 1e-12 else 0.0))
            else:
                s = rel[c]
            if s > best_score + 1e-12:  # strictly better: ties stay with the earlier column
                best, best_score = c, s
        chosen.append(best)
    return chosen


@pytest.mark.parametrize("criterion", ["MID", "MIQ"])
def test_against_brute_force_on_tiny_data(criterion):
    for seed in range(15):
        rng = np.random.default_rng(seed)
        n, p = 15, 7
        y = rng.integers(0, 2, n)
        y[:2] = [0, 1]
        X = pd.DataFrame(rng.normal(size=(n, p)) + np.outer(y, rng.normal(size=p)),
                         columns=[f"f{j}" for j in range(p)])
        X["f6"] = X["f0"] * 2 + 0.01 * rng.normal(size=n)  # a redundant copy
        X.iloc[:4, 3] = X.iloc[0, 3]  # ties
        got = mrmr(X, y, k=5, criterion=criterion, bins=3)["feature"].tolist()
        assert got == _brute_force(X, y, 5, 3, criterion), seed


def test_bad_input(hand):
    with pytest.raises(InputError, match="single class"):
        mrmr(hand, [0] * 8)
    with pytest.raises(InputError, match="criterion"):
        mrmr(hand, Y, criterion="MAX")
    bad = hand.copy()
    bad.iloc[2, 1] = np.nan
    with pytest.raises(InputError, match="NaN or infinite values in 1 column"):
        mrmr(bad, Y)
    assert len(mrmr(hand, Y, k=99, bins=2)) == 4
