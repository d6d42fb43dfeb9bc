"""SPSS's CRITERIA for the iteration (ITERATE, BCON, LCON, EPS) of the ``spss-*`` methods, against R's own
Newton-Raphson: for the logit link ``glm.fit``'s IRLS is Newton-Raphson, so ``glm.fit(start = 0, maxit = k)``
gives SPSS's k-th iterate (the Iteration History), whatever stops it."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import EprstatsError, InputError
from eprstats.evaluation.models_spss import spss_stepwise


@pytest.fixture(scope="module")
def births(r):
    return r.evaluate("MASS::birthwt[, c('low', 'age', 'lwt', 'smoke', 'ht')]").reset_index(drop=True)


def _run(data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return spss_stepwise(data, "low", ["age", "lwt", "smoke", "ht"], method="spss-enter", **kw)


ITERATES = """X <- cbind(1, as.matrix(d[, c('age', 'lwt', 'smoke', 'ht')]))
t(sapply(1:k, function(i) { g <- suppressWarnings(glm.fit(X, d$low, family = binomial(), start = rep(0, 5),
  control = glm.control(maxit = i, epsilon = 1e-300))); c(g$deviance, g$coefficients) }))"""


def test_iteration_history_and_bcon_equal_r_newton_raphson(r, births):
    step = _run(births, bcon=0.001)
    hist = step.iteration_history[step.iteration_history.step == 1]
    k = int(hist.iteration.max())
    want = np.asarray(r.evaluate(ITERATES, d=births, k=k))
    got = hist.pivot(index="iteration", columns="term", values="B")[["Constant", "age", "lwt", "smoke", "ht"]]
    np.testing.assert_allclose(got.to_numpy(), want[:, 1:], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(hist.groupby("iteration").minus2ll.first(), want[:, 0], rtol=1e-10)
    change = np.abs(np.diff(np.vstack([np.zeros(5), want[:, 1:]]), axis=0)).max(axis=1)
    assert (change[-1] < 0.001) and (change[:-1] >= 0.001).all()  # BCON stopped it at the first such iteration
    assert step.record.termination.iloc[1] == (f"Estimation terminated at iteration number {k} because parameter "
                                               "estimates changed by less than .001.")


def test_iterate_and_lcon_stop_it(r, births):
    two = _run(births, iterate=2)
    assert two.record.iterations.iloc[1] == 2 and "maximum iterations has been reached" in two.record.termination.iloc[1]
    want = np.asarray(r.evaluate(ITERATES, d=births, k=2))
    eq = two.in_equation[two.in_equation.step == 1].set_index("term").loc[["Constant", "age", "lwt", "smoke", "ht"]]
    np.testing.assert_allclose(eq.B, want[-1, 1:], rtol=1e-9)
    lcon = _run(births, lcon=0.01, bcon=1e-12)
    dev = np.asarray(r.evaluate(ITERATES, d=births, k=10))[:, 0]
    first = next(t for t in range(1, 10) if abs(dev[t] - dev[t - 1]) < 0.01 * dev[t - 1]) + 1
    assert lcon.record.iterations.iloc[1] == first
    assert "decreased by less than 1 percent" in lcon.record.termination.iloc[1]


def test_eps_refuses_a_redundant_column(births):
    data = births.assign(lwt2=2 * births.lwt + 1)
    with pytest.raises(EprstatsError, match="lwt2.*collinear|collinear"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spss_stepwise(data, "low", ["lwt", "lwt2"], method="spss-enter")


@pytest.mark.parametrize("kw, word", [({"iterate": 0}, "ITERATE"), ({"iterate": 2.5}, "ITERATE"),
                                      ({"bcon": -1}, "BCON"), ({"lcon": 1.5}, "LCON"), ({"eps": 0.5}, "EPS"),
                                      ({"estimation": "exact"}, "estimation")])
def test_bad_criteria_are_refused(births, kw, word):
    with pytest.raises(InputError, match=word):
        _run(births, **kw)


def test_ml_estimation_is_the_converged_maximum(r, births):
    eq = _run(births, estimation="ml").in_equation
    want = r.evaluate("unname(coef(glm(low ~ age + lwt + smoke + ht, binomial, d, "
                      "control = glm.control(epsilon = 1e-14, maxit = 100))))", d=births)
    got = eq[eq.step == 1].set_index("term").loc[["Constant", "age", "lwt", "smoke", "ht"], "B"]
    np.testing.assert_allclose(got, want, rtol=1e-9)
    assert pd.notna(got).all()
