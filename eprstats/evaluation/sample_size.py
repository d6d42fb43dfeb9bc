"""The minimum sample size for developing a prediction model with a binary outcome (Riley et al.).

Three criteria (Riley et al., Stat Med 2019;38:1276-96, Part II; the step-by-step guide Riley et al., BMJ
2020;368:m441), each giving a number of participants n; the minimum sample size is the largest:

(i)   small overfitting: an expected uniform shrinkage of predictor effects S >= 0.9
      ``n = p / ((S - 1) ln(1 - R2_CS / S))``
(ii)  a small absolute difference (delta = 0.05) between the apparent and adjusted Nagelkerke R2
      ``S = R2_CS / (R2_CS + delta max(R2_CS))`` then the formula of (i) with that S, where
      ``max(R2_CS) = 1 - (phi^phi (1 - phi)^(1 - phi))^2`` for an outcome proportion phi
(iii) a precise overall outcome proportion: margin of error 0.05 at 95%
      ``n = (1.96 / margin)^2 phi (1 - phi)``

p is the number of candidate predictor parameters and R2_CS the anticipated (adjusted) Cox-Snell R2. When only
a C statistic is known, R2_CS comes from it by Riley, Van Calster & Collins (Stat Med 2021;40:859-64): the
linear predictor is N(0, 1) in non-events and N(mu, 1) in events with ``mu = sqrt(2) qnorm(C)``, a logistic
model is fitted to it and ``R2_CS = 1 - exp(-LR / n)``. :func:`c_to_r2_cs` computes that either as published
(a simulated cohort of 1,000,000, the procedure of ``pmsampsize`` >= 1.1.0) or as its exact large-sample limit
(numerical integration, no Monte Carlo error).

The R package ``pmsampsize`` (and its Python port) implement the same criteria; the tests use the Python port
as an independent oracle and the published worked examples (``tests/evaluation/test_sample_size.py``).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import integrate, stats
from scipy.optimize import brentq

from ..errors import InputError
from ..rbridge import software_note
from ..validation import arguments
from ..results import Result, Table, tidy_frame

#: the 95% normal quantile as the papers (and pmsampsize) write it, not qnorm(0.975)
Z95 = 1.96
C_METHODS = ("simulation", "integral")
#: decimals pmsampsize keeps of an R2_CS derived from C (4) or from a Nagelkerke R2 (3); kept so that the
#: sample sizes equal pmsampsize's
R2_FROM_C_DIGITS = 4
R2_FROM_NAGELKERKE_DIGITS = 3
CRITERIA = ("i", "ii", "iii")


def max_r2_cs(prevalence: float) -> float:
    """The largest Cox-Snell R2 a model can reach for an outcome proportion phi:
    ``1 - exp(2 (phi ln phi + (1 - phi) ln(1 - phi)))`` (Riley et al. 2019, eq. 23)."""
    phi = prevalence
    return 1.0 - math.exp(2.0 * (phi * math.log(phi) + (1.0 - phi) * math.log(1.0 - phi)))


def shrinkage_n(parameters: int, r2_cs: float, shrinkage: float) -> float:
    """Participants for an expected shrinkage ``S``: ``p / ((S - 1) ln(1 - R2_CS / S))`` (not rounded up)."""
    return parameters / ((shrinkage - 1) * math.log(1 - (r2_cs / shrinkage)))


def expected_shrinkage(n: int, parameters: int, r2_cs: float) -> float:
    """The S that ``n`` participants give: the root of ``n = p / ((S - 1) ln(1 - R2_CS / S))`` in (R2_CS, 1)."""
    # (S - 1) ln(1 - R2/S) falls from +inf (S -> R2) to 0 (S -> 1): one root for any n > 0
    f = lambda s: (s - 1) * math.log1p(-r2_cs / s) - parameters / n  # noqa: E731
    return brentq(f, r2_cs * (1 + 1e-12), 1 - 1e-15, xtol=1e-14, rtol=1e-14, maxiter=500)


def c_to_r2_cs(c_statistic: float, prevalence: float, method: str = "simulation", seed: int = 123456,
               n_sim: int = 1_000_000) -> float:
    """The Cox-Snell R2 of a logistic model with C statistic ``c_statistic`` at outcome proportion ``prevalence``
    (Riley, Van Calster & Collins, Stat Med 2021;40:859-64), not rounded.

    ``method="simulation"``: the published procedure as ``pmsampsize`` (>= 1.1.0) runs it: ``n_sim`` linear
    predictors, ``int(phi n_sim)`` from N(0, 1) then ``int((1 - phi) n_sim)`` from N(mu, 1) drawn by numpy's
    ``RandomState(seed)``, a logistic regression on them (Newton-Raphson) and ``1 - exp(-LR / n_sim)``.
    ``method="integral"``: the limit of that as n_sim grows. With equal variances the logistic model is exact,
    ``logit P(event | x) = a + mu x - mu^2 / 2``, so ``LR / n = 2 I(Y; X)`` (mutual information), integrated
    numerically; no seed, no Monte Carlo error (about 0.0006 in R2_CS at n_sim = 1e6).
    """
    mu = math.sqrt(2) * stats.norm.ppf(c_statistic)
    if method == "integral":
        return _r2_cs_integral(mu, prevalence)
    if method == "simulation":
        return _r2_cs_simulated(mu, prevalence, seed, n_sim)
    raise InputError(f"unknown C-statistic method {method!r}", f"choose {' or '.join(C_METHODS)}")


def _r2_cs_integral(mu: float, phi: float) -> float:
    a = math.log(phi / (1 - phi))

    def loglik(x):  # E over the mixture of log P(observed class | x), under the exact logistic model
        eta = a + mu * x - mu * mu / 2
        return (phi * stats.norm.pdf(x, mu) * -np.logaddexp(0.0, -eta)
                + (1 - phi) * stats.norm.pdf(x) * -np.logaddexp(0.0, eta))

    lo, hi = min(0.0, mu) - 12.0, max(0.0, mu) + 12.0  # both densities are < 1e-31 outside
    ell, _ = integrate.quad(loglik, lo, hi, points=[0.0, mu / 2, mu], epsabs=1e-14, epsrel=1e-13, limit=400)
    null = phi * math.log(phi) + (1 - phi) * math.log(1 - phi)
    return 1.0 - math.exp(-2.0 * (ell - null))


def _r2_cs_simulated(mu: float, phi: float, seed: int, n_sim: int) -> float:
    rng = np.random.RandomState(seed)  # numpy's legacy stream: the draws of np.random.seed(seed)
    n0, n1 = int(phi * n_sim), int((1 - phi) * n_sim)
    x = np.concatenate([rng.normal(0.0, 1.0, n0), rng.normal(mu, 1.0, n1)])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    beta = np.zeros(2)
    for _ in range(100):  # Newton-Raphson for y ~ x; the log-likelihood is concave
        eta = beta[0] + beta[1] * x
        prob = 1.0 / (1.0 + np.exp(-eta))
        w = prob * (1 - prob)
        info = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
        step = np.linalg.solve(info, np.array([(y - prob).sum(), ((y - prob) * x).sum()]))
        beta += step
        if np.max(np.abs(step)) < 1e-13:
            break
    eta = beta[0] + beta[1] * x
    loglik = -(y * np.logaddexp(0.0, -eta) + (1 - y) * np.logaddexp(0.0, eta)).sum()
    ybar = y.mean()
    null = (y.sum() * math.log(ybar) + (len(y) - y.sum()) * math.log(1 - ybar))
    # divided by n_sim, not len(y), as the published code does (they differ when phi * n_sim is not whole)
    return 1.0 - math.exp(-2.0 * (loglik - null) / n_sim)


def _whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check(prevalence, parameters, c_statistic, r2_cs, r2_nagelkerke, shrinkage, margin, delta, n, events,
           c_method):
    given = [k for k, v in (("c_statistic", c_statistic), ("r2_cs", r2_cs), ("r2_nagelkerke", r2_nagelkerke))
             if v is not None]
    if len(given) != 1:
        raise InputError(f"give exactly one of the anticipated C statistic, Cox-Snell R2 or Nagelkerke R2 "
                         f"(given: {', '.join(given) or 'none'})",
                         "e.g. c_statistic=0.8 (--cstatistic 0.8) or r2_cs=0.2 (--r2-cs 0.2)")
    if not _whole(parameters) or parameters < 1:
        raise InputError(f"the number of candidate predictor parameters {parameters!r} is not a positive whole "
                         "number", "count every coefficient the model may estimate (dummies, spline terms)")
    for name, value, lo, hi in (("prevalence", prevalence, 0, 1), ("shrinkage", shrinkage, 0, 1),
                                ("margin", margin, 0, 1), ("delta", delta, 0, 1), ("r2_cs", r2_cs, 0, 1),
                                ("r2_nagelkerke", r2_nagelkerke, 0, 1), ("c_statistic", c_statistic, 0.5, 1)):
        if value is not None and not (isinstance(value, numbers.Real) and lo < value < hi):
            raise InputError(f"{name} = {value!r} is not strictly between {lo} and {hi}",
                             "a C of 0.5 carries no information" if name == "c_statistic" else
                             f"give {name} as a proportion, e.g. 0.2 for 20%")
    if n is not None or events is not None:
        if n is None or events is None or not (_whole(n) and _whole(events)):
            raise InputError("the development cohort needs both its number of patients and of events, as whole "
                             "numbers", "give n and events (--n and --events) together")
        if not 0 < events < n:
            raise InputError(f"the development cohort has {events} events among {n} patients",
                             "events must be more than 0 and fewer than the patients")
    if c_method not in C_METHODS:
        raise InputError(f"unknown C-statistic method {c_method!r}", f"choose {' or '.join(C_METHODS)}")


def _anticipated_r2(prevalence, c_statistic, r2_cs, r2_nagelkerke, c_method, seed, n_sim):
    """(R2_CS used, R2_CS before rounding, where it came from)."""
    if r2_cs is not None:
        return r2_cs, r2_cs, "given"
    if r2_nagelkerke is not None:
        raw = r2_nagelkerke * max_r2_cs(prevalence)
        return round(raw, R2_FROM_NAGELKERKE_DIGITS), raw, "Nagelkerke R2"
    raw = c_to_r2_cs(c_statistic, prevalence, c_method, seed, n_sim)
    return round(raw, R2_FROM_C_DIGITS), raw, "C statistic"


def _study(n, events, parameters, prevalence, r2, max_r2, criteria_n) -> dict:
    """What the development cohort's n reaches on each criterion, under the calculation's assumptions."""
    s = expected_shrinkage(n, parameters, r2)
    return {"n": n, "events": events, "epp": events / parameters, "proportion": events / n,
            "shrinkage": s, "optimism": (r2 / s - r2) / max_r2,
            "margin": Z95 * math.sqrt(prevalence * (1 - prevalence) / n),
            "met": {c: n >= criteria_n[c] for c in CRITERIA}, "met_all": n >= max(criteria_n.values()),
            "events_met": events >= math.ceil(round(max(criteria_n.values()) * prevalence, 9))}


_LABELS = {"i": ("(i) Expected shrinkage of predictor effects", "S >= {shrinkage:.3f}"),
           "ii": ("(ii) Optimism in Nagelkerke R2 (apparent - adjusted)", "<= {delta:.3f}"),
           "iii": ("(iii) Margin of error of the overall outcome proportion (95%)", "<= {margin:.3f}")}


def _events(n: int, prevalence: float) -> int:
    # rounded before ceil: 1000 * 0.2 is 200.00000000000003 in binary
    return math.ceil(round(n * prevalence, 9))


@dataclass(frozen=True, eq=False)
class SampleSize(Result):
    """The result of :func:`sample_size`: each criterion's n, the minimum n, its events and EPP, and what the
    development cohort (when given) reaches. ``criteria_n`` and ``criteria_shrinkage`` are keyed ``"i"``,
    ``"ii"``, ``"iii"``; ``study`` is None or a dict (n, events, epp, proportion, shrinkage, optimism, margin,
    met per criterion, met_all, events_met).

    Files (:meth:`write`): ``sample_size.*`` (the table as printed) and ``sample_size_numeric.csv`` (every
    number at full precision)."""

    analysis = "sample_size"

    prevalence: float
    parameters: int
    r2_cs: float                  #: the anticipated Cox-Snell R2 the criteria use
    r2_cs_unrounded: float        #: before pmsampsize's rounding (equal to r2_cs when given)
    r2_source: str                #: "given", "C statistic" or "Nagelkerke R2"
    max_r2_cs: float
    criteria_n: dict
    criteria_shrinkage: dict
    n: int                        #: the minimum sample size (largest of the criteria)
    shrinkage_at_n: float         #: the expected shrinkage with n participants
    study: dict | None
    settings: dict

    @property
    def events(self) -> int:
        """Events the minimum sample size holds at the anticipated proportion: ceil(n phi)."""
        return _events(self.n, self.prevalence)

    @property
    def epp(self) -> float:
        """Events per candidate predictor parameter: n phi / p (not rounded)."""
        return self.n * self.prevalence / self.parameters

    @property
    def r2_nagelkerke(self) -> float:
        """The anticipated Nagelkerke R2: R2_CS / max(R2_CS)."""
        return self.r2_cs / self.max_r2_cs

    @property
    def binding(self) -> str:
        """The criterion that sets the minimum (the first of them on a tie)."""
        return next(c for c in CRITERIA if self.criteria_n[c] == self.n)

    def table(self, name: str = "sample_size"):
        """The table file ``name`` (default the criteria as printed)."""
        return super().table(name)

    def numeric(self):
        """One row per criterion and the minimum (and the development cohort), full precision."""
        rows = [{"criterion": c, "n": self.criteria_n[c], "events": self.criteria_n[c] * self.prevalence,
                 "epp": self.criteria_n[c] * self.prevalence / self.parameters,
                 "shrinkage": self.criteria_shrinkage[c]} for c in CRITERIA]
        rows.append({"criterion": "minimum", "n": self.n, "events": self.n * self.prevalence, "epp": self.epp,
                     "shrinkage": self.shrinkage_at_n})
        frame = pd.DataFrame(rows)
        frame["optimism"] = frame["margin"] = float("nan")
        if self.study is not None:
            st = self.study
            frame.loc[len(frame)] = {"criterion": "development cohort", "n": st["n"], "events": st["events"],
                                     "epp": st["epp"], "shrinkage": st["shrinkage"], "optimism": st["optimism"],
                                     "margin": st["margin"]}
        return frame

    def _printed(self):
        st, s = self.study, self.settings
        achieved = ({"i": f"S = {st['shrinkage']:.3f}", "ii": f"{st['optimism']:.3f}", "iii": f"{st['margin']:.3f}"}
                    if st else {})
        rows = []
        for c in CRITERIA:
            label, target = _LABELS[c]
            n = self.criteria_n[c]
            row = {"Criterion": label, "Target": target.format(**s), "Required n": str(n),
                   "Events": str(_events(n, self.prevalence)), "EPP": f"{n * self.prevalence / self.parameters:.2f}"}
            if st:
                row.update({"Development cohort": achieved[c], "Met": "yes" if st["met"][c] else "no"})
            rows.append(row)
        final = {"Criterion": "Minimum sample size (largest of i-iii)", "Target": "all three",
                 "Required n": str(self.n), "Events": str(self.events), "EPP": f"{self.epp:.2f}"}
        if st:
            final.update({"Development cohort": f"n = {st['n']}, {st['events']} events, EPP {st['epp']:.2f}",
                          "Met": "yes" if st["met_all"] else "no"})
        return pd.DataFrame(rows + [final])

    def _note(self) -> str:
        s = self.settings
        if self.r2_source == "C statistic":
            how = ("simulation of 1,000,000 linear predictors, seed {seed}, as pmsampsize".format(**s)
                   if s["c_method"] == "simulation" else "its exact large-sample value by numerical integration")
            source = (f" (from C = {s['c_statistic']:g} by Riley, Van Calster & Collins, Stat Med 2021: {how}; "
                      f"{self.r2_cs_unrounded:.6f} before rounding)")
        elif self.r2_source == "Nagelkerke R2":
            source = f" (from a Nagelkerke R2 of {s['r2_nagelkerke']:g})"
        else:
            source = ""
        text = (f"Criteria of Riley et al. (Stat Med 2019; BMJ 2020;368:m441) for a binary outcome. Anticipated "
                f"outcome proportion {self.prevalence:.4g}; {self.parameters} candidate predictor parameters; "
                f"anticipated Cox-Snell R2 {self.r2_cs:.4g}{source}; max(R2_CS) {self.max_r2_cs:.3f}; anticipated "
                f"Nagelkerke R2 {self.r2_nagelkerke:.3f}. Each n is rounded up; events = n x proportion rounded "
                f"up; EPP = events per candidate predictor parameter (n x proportion / parameters).")
        if self.study:
            text += (" Development cohort: what its n reaches on each criterion under the same assumptions "
                     f"(its own outcome proportion is {self.study['proportion']:.3f}).")
        return f"{text} Computed by eprstats' own Python code. {software_note(python=('scipy', 'numpy'))}"

    def table_files(self) -> list[Table]:
        return [Table("sample_size", self._printed(), title="Minimum sample size for developing the prediction "
                      "model (binary outcome)", note=self._note()),
                Table("sample_size_numeric", self.numeric(), publication=False)]

    def tidy(self):
        """Every number: the inputs used (R2_CS, before and after rounding, max R2_CS, Nagelkerke R2), per
        criterion n, events (n phi), EPP and target shrinkage, the minimum with its expected shrinkage, and the
        development cohort's values with 1/0 for each criterion met."""
        base = {"analysis": self.analysis, "table": "sample_size"}
        rows = [{**base, "row": "inputs", "column": k, "statistic": k, "value": v} for k, v in (
            ("prevalence", self.prevalence), ("parameters", self.parameters), ("r2_cs", self.r2_cs),
            ("r2_cs_unrounded", self.r2_cs_unrounded), ("max_r2_cs", self.max_r2_cs),
            ("r2_nagelkerke", self.r2_nagelkerke))]
        for rec in self.numeric().to_dict("records"):
            for k in ("n", "events", "epp", "shrinkage", "optimism", "margin"):
                if rec[k] is not None and rec[k] == rec[k]:  # not None / NaN
                    rows.append({**base, "row": rec["criterion"], "column": k, "statistic": k,
                                 "value": float(rec[k])})
        if self.study:
            for c in CRITERIA:
                rows.append({**base, "row": "development cohort", "column": f"met_{c}", "statistic": "met",
                             "value": float(self.study["met"][c]), "n": self.study["n"],
                             "events": self.study["events"]})
        return tidy_frame(rows)

    def summary(self) -> str:
        text = (f"minimum sample size {self.n} ({self.events} events, EPP {self.epp:.2f}) for {self.parameters} "
                f"candidate parameters, outcome proportion {self.prevalence:.4g}, R2_CS {self.r2_cs:.4g}; "
                f"criterion ({self.binding}) sets it")
        if self.study:
            verdict = "meets" if self.study["met_all"] else "does not meet"
            text += f"; the development cohort (n = {self.study['n']}) {verdict} all three"
        return text


@arguments(prevalence="number?", parameters="count", c_statistic="number?", r2_cs="number?", shrinkage="number",
           margin="number", r2_nagelkerke="number?", delta="number", n="count?", events="count?", c_method="text",
           seed="count", n_sim="count")
def sample_size(prevalence: float | None, parameters: int, c_statistic: float | None = None,
                r2_cs: float | None = None, shrinkage: float = 0.9, margin: float = 0.05, *,
                r2_nagelkerke: float | None = None, delta: float = 0.05, n: int | None = None,
                events: int | None = None, c_method: str = "simulation", seed: int = 123456,
                n_sim: int = 1_000_000) -> "SampleSize":
    """Minimum sample size to develop a logistic prediction model (Riley et al. 2020, binary outcome).

    Parameters
    ----------
    prevalence : float or None
        The anticipated outcome proportion phi; None takes the development cohort's ``events / n``.
    parameters : int
        p, the candidate predictor parameters.
    c_statistic : float, optional
        The anticipated C statistic, converted to R2_CS (give one of ``c_statistic``, ``r2_cs`` and
        ``r2_nagelkerke``).
    r2_cs : float, optional
        The anticipated Cox-Snell R2.
    shrinkage : float
        S of criterion (i), the targeted expected shrinkage (0.9).
    margin : float
        The margin of error of the overall risk, criterion (iii).
    r2_nagelkerke : float, optional
        The anticipated Nagelkerke R2 (converted to R2_CS, rounded to 3 decimals as pmsampsize does).
    delta : float
        The largest difference between the apparent and adjusted Nagelkerke R2, criterion (ii).
    n : int, optional
        The development cohort's patients: the result then says what that cohort reaches on each criterion.
    events : int, optional
        The development cohort's events (with ``n``).
    c_method : {"simulation", "integral"}
        How C becomes R2_CS: pmsampsize's simulation (>= 1.1.0, numpy's generator and ``seed``) or its exact
        large-sample value (:func:`c_to_r2_cs`); rounded to 4 decimals as pmsampsize does.
    seed : int
        The seed of the simulation.
    n_sim : int
        The simulated patients of the C conversion.

    Returns
    -------
    SampleSize
        ``n``, ``events``, ``epp``, ``criteria_n`` (per criterion), the binding criterion and, with ``n`` and
        ``events``, ``study`` (what the development cohort reaches); ``table()`` the criteria as printed.

    Notes
    -----
    With p parameters, phi the outcome proportion and R2_CS the anticipated Cox-Snell R2:
    (i) ``n = p / ((S - 1) ln(1 - R2_CS / S))`` with S = ``shrinkage``; (ii) the same with
    ``S = R2_CS / (R2_CS + delta max(R2_CS))``, ``max(R2_CS) = 1 - (phi^phi (1-phi)^(1-phi))^2``, so that the
    apparent and adjusted Nagelkerke R2 differ by at most ``delta``; (iii) ``n = (1.96 / margin)^2 phi (1 - phi)``.
    Each n is rounded up; the minimum is the largest; events = ceil(n phi), EPP = n phi / p.

    No R function is called: the R package ``pmsampsize`` (``pmsampsize::pmsampsize(type = "b")``) implements the
    same criteria, and its Python port is the tests' oracle.

    References
    ----------
    Riley RD, Ensor J, Snell KIE et al. (2020) Calculating the sample size required for developing a clinical
    prediction model. BMJ 368:m441.
    Riley RD, Snell KIE, Ensor J et al. (2019) Minimum sample size for developing a multivariable prediction
    model: Part II - binary and time-to-event outcomes. Stat Med 38:1276-1296.
    Riley RD, Van Calster B, Collins GS (2021) A note on estimating the Cox-Snell R2 from a reported C statistic
    (AUROC) to inform sample size calculations for developing a prediction model with a binary outcome. Stat Med
    40:859-864.

    Examples
    --------
    Riley et al. 2019's worked example (phi = 0.174, 24 parameters, R2_CS = 0.288): criterion (i) needs 623
    participants, as published.

    >>> import eprstats as ep
    >>> res = ep.sample_size(0.174, 24, r2_cs=0.288)
    >>> res.criteria_n["i"], res.criteria_n["iii"], round(res.epp, 1)
    (623, 221, 4.8)
    """
    if prevalence is None and _whole(n) and _whole(events) and n > 0:
        prevalence = int(events) / int(n)
    if prevalence is None:
        raise InputError("the anticipated outcome proportion is missing",
                         "give prevalence (--prevalence), or the development cohort's n and events")
    _check(prevalence, parameters, c_statistic, r2_cs, r2_nagelkerke, shrinkage, margin, delta, n, events,
           c_method)
    parameters = int(parameters)
    n, events = (int(n), int(events)) if n is not None else (None, None)
    r2, r2_raw, source = _anticipated_r2(prevalence, c_statistic, r2_cs, r2_nagelkerke, c_method, seed, n_sim)
    max_r2 = max_r2_cs(prevalence)
    if not 0 < r2 < max_r2:
        raise InputError(f"the anticipated Cox-Snell R2 {r2:g} is not below its maximum {max_r2:.4f} at an outcome "
                         f"proportion of {prevalence:g}", "check the R2 (a Nagelkerke R2 is R2_CS / max R2_CS)")
    if r2 >= shrinkage:
        raise InputError(f"the anticipated Cox-Snell R2 {r2:g} is not below the target shrinkage {shrinkage:g}",
                         "ln(1 - R2_CS / S) is undefined there: check the R2 and the shrinkage")
    s2 = r2 / (r2 + delta * max_r2)
    n_of = {"i": math.ceil(shrinkage_n(parameters, r2, shrinkage)),
            "ii": math.ceil(shrinkage_n(parameters, r2, s2)),
            "iii": math.ceil(((Z95 / margin) ** 2) * (prevalence * (1 - prevalence)))}
    final = max(n_of.values())
    study = _study(n, events, parameters, prevalence, r2, max_r2, n_of) if n is not None else None
    settings = {"prevalence": prevalence, "parameters": parameters, "c_statistic": c_statistic, "r2_cs": r2_cs,
                "r2_nagelkerke": r2_nagelkerke, "shrinkage": shrinkage, "margin": margin, "delta": delta,
                "n": n, "events": events, "c_method": c_method if c_statistic is not None else None,
                "seed": seed if c_statistic is not None and c_method == "simulation" else None,
                "n_sim": n_sim if c_statistic is not None and c_method == "simulation" else None}
    return SampleSize(prevalence=prevalence, parameters=parameters, r2_cs=r2, r2_cs_unrounded=r2_raw,
                      r2_source=source, max_r2_cs=max_r2, criteria_n=n_of,
                      criteria_shrinkage={"i": shrinkage, "ii": s2, "iii": None}, n=final,
                      shrinkage_at_n=expected_shrinkage(final, parameters, r2), study=study, settings=settings)
