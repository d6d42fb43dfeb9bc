"""SPSS's LOGISTIC REGRESSION stepwise methods (``stepwise="spss-bwald"`` ...; eprstats.evaluation.models_spss)
checked against

1. published output on public data, every printed number asserted at the printed precision:

   * SPSS, UCLA OARC "SPSS Textbook Examples: Applied Logistic Regression (Hosmer & Lemeshow, 2nd ed.),
     Chapter 2" (https://stats.oarc.ucla.edu/spss/examples/alr2/applied-logistic-regression-second-edition-by-
     hosmer-and-lemeshowchapter-2-multiple-logistic-regression), ``LOGISTIC REGRESSION VAR=low /METHOD=ENTER
     age lwt race2 race3 ftv /PRINT=SUMMARY`` on lowbwt.sav (= R's MASS::birthwt, 189 births): Block 0 and
     Block 1. BSTEP enters every candidate at step 1 (the METHOD subcommand's documentation), so its step 0 and
     step 1 are this output, whatever the removal statistic; FSTEP's first entry follows from the printed
     Block 0 score table;
   * SPSS, tidystat.com "Logistic Regression in SPSS" (UCLA's admissions data, binary.sav, 400 applicants):
     admit on gre and gpa, B = -4.949, 0.003, 0.755. The data, ``data/ucla_binary.csv``, were copied from
     https://stats.idre.ucla.edu/stat/data/binary.csv (via the gamlj/gamlj repository's binary.csv); their
     published descriptives (UCLA's SAS page: n 400, 127 admitted, mean gre 587.7, mean gpa 3.3899, rank
     frequencies 61/151/121/67) are asserted first;
   * SAS PROC LOGISTIC on the same admissions data with rank as a CLASS variable (``param=ref``, the last level
     the reference, as SPSS's default Indicator contrast), published at danielcode.blogspot.com/2015/12/
     sasproc-logistic.html: the same Wald, score and likelihood-ratio definitions, so the multi-df Wald of a
     categorical term, the residual score statistic and -2 log likelihoods must match.

   No published SPSS output of a whole stepwise run (a removal or re-entry step with its printed statistic) on
   public data could be retrieved here; the steps after the first are therefore checked against R only (2).

2. R called directly at every step of every run: ``glm`` refits (epsilon 1e-14) for B, S.E., (B/SE)^2,
   ``confint.default`` and -2LL; ``anova(test = "Rao")`` for each score statistic (and the Overall Statistics);
   ``drop1(test = "LRT")`` for the likelihood-ratio removal statistic; the conditional statistic recomputed here
   in R from glm's estimates and ``vcov`` (b~_r = b_r - V_rg V_gg^-1 b_g, SPSS's Algorithms); the
   classification table from ``fitted(g) > 0.5``. Each step's decision is then checked from R's numbers: the
   removed term has the largest removal P and it exceeds POUT, the entered term the smallest score P below PIN,
   and the last step has nothing to remove or enter (or SPSS's stop: the next model would repeat an earlier one).
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError
from eprstats.evaluation.models_result import spss_classification, spss_model_summary, spss_number, \
    spss_variables_in_equation
from eprstats.evaluation.models_spss import spss_stepwise

DATA = Path(__file__).parent / "data"
LOWBWT = ["age", "lwt", "race2", "race3", "ftv"]
BIRTHWT_ALL = ["age", "lwt", "racef", "smoke", "ptl", "ht", "ui", "ftv"]


@pytest.fixture(scope="module")
def birthwt(r):
    return r.evaluate('library(MASS); d <- birthwt; d$race2 <- as.integer(d$race == 2); '
                      'd$race3 <- as.integer(d$race == 3); d$racef <- c("white", "black", "other")[d$race]; d'
                      ).reset_index(drop=True)


@pytest.fixture(scope="module")
def admissions():
    return pd.read_csv(DATA / "ucla_binary.csv")


def _run(data, outcome, terms, method, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # events per variable of the lrm refit
        return spss_stepwise(data, outcome, terms, method=method, **kw)


def _row(frame, step, term):
    rows = frame[(frame["step"] == step) & (frame["term"] == term)]
    assert len(rows) == 1, (step, term)
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------
# 1. Published output
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["spss-bwald", "spss-blr", "spss-bcond"])
def test_lowbwt_block0_and_step1_equal_the_published_spss_output(birthwt, method):
    step = _run(birthwt, "low", LOWBWT, method)
    # Block 0: Variables in the Equation (Constant) and Variables not in the Equation, as printed
    const = _row(step.in_equation, 0, "Constant")
    assert [spss_number(const[c]) for c in ("B", "SE", "Wald", "Sig", "ExpB")] == ["-.790", ".157", "25.327",
                                                                                    ".000", ".454"]
    printed = {"age": ("2.674", "1", ".102"), "lwt": ("5.438", "1", ".020"), "race2": ("1.727", "1", ".189"),
               "race3": ("1.797", "1", ".180"), "ftv": (".749", "1", ".387"),
               "Overall Statistics": ("11.388", "5", ".044")}
    for term, want in printed.items():
        got = _row(step.not_in_equation, 0, term)
        assert (spss_number(got["Score"]), f"{int(got['df'])}", spss_number(got["Sig"])) == want, term
    # Block 0 Classification Table (cut value .500)
    block0 = spss_classification(step, at=0)
    assert block0.iloc[0, 1:].tolist() == ["130", "0", "100.0"]
    assert block0.iloc[1, 1:].tolist() == ["59", "0", ".0"]
    assert block0.iloc[2, 3] == "68.8"
    # Step 1 (every candidate entered): Omnibus Tests (Step = Block = Model) and Model Summary
    s1 = step.record[step.record["step"] == 1].iloc[0]
    assert s1["action"] == "entered" and s1["term"] == "age, lwt, race2, race3, ftv"
    for stat, df, p in (("step_chisq", "step_df", "step_p"), ("model_chisq", "model_df", "model_p")):
        assert (spss_number(s1[stat]), f"{int(s1[df])}", spss_number(s1[p])) == ("12.099", "5", ".033")
    assert spss_model_summary(step).iloc[0].tolist() == ["1", "222.573", ".062", ".087"]


@pytest.mark.parametrize("method", ["spss-fwald", "spss-flr", "spss-fcond", "spss-fstep"])
def test_lowbwt_fstep_first_enters_the_published_smallest_score(birthwt, method):
    step = _run(birthwt, "low", LOWBWT, method)
    first = step.record[step.record["step"] == 1].iloc[0]
    # printed Block 0: lwt has the smallest score P (.020 < PIN .05)
    assert (first["action"], first["term"], first["test"]) == ("entered", "lwt", "Score")
    assert (spss_number(first["statistic"]), spss_number(first["p"])) == ("5.438", ".020")


def test_admissions_data_are_the_published_data(admissions):
    assert len(admissions) == 400 and int(admissions["admit"].sum()) == 127
    assert f"{admissions['gre'].mean():.1f}" == "587.7" and f"{admissions['gpa'].mean():.4f}" == "3.3899"
    assert admissions["rank"].value_counts().sort_index().tolist() == [61, 151, 121, 67]


def test_admissions_gre_gpa_equal_the_published_spss_coefficients(admissions):
    step = _run(admissions, "admit", ["gre", "gpa"], "spss-bwald")
    assert step.kept == ["gre", "gpa"] and step.final_step == 1  # neither Wald P exceeds POUT .10
    table = spss_variables_in_equation(step).set_index("Variable")
    assert table.loc["Constant", "B"] == "-4.949"
    assert table.loc["gre", "B"] == ".003"
    assert table.loc["gpa", "B"] == ".755"


@pytest.fixture(scope="module")
def admissions_rank(admissions):
    data = admissions.assign(rank=admissions["rank"].astype(str))
    # SAS's output is the oracle here: SAS's own convergence, compared with the converged maximum
    return _run(data, "admit", ["gre", "gpa", "rank"], "spss-bwald", estimation="ml")


def test_admissions_rank_as_category_equals_published_sas_output(admissions_rank):
    step = admissions_rank
    assert step.final_step == 1 and step.kept == ["gre", "gpa", "rank"]
    assert step.columns["rank"] == ["rank(1)", "rank(2)", "rank(3)"]  # rank 4 is the reference
    eq = step.in_equation[step.in_equation["step"] == 1].set_index("term")
    for term, b, se in (("Constant", "-5.5414", "1.1381"), ("gpa", "0.8040", "0.3318")):
        assert (f"{eq.loc[term, 'B']:.4f}", f"{eq.loc[term, 'SE']:.4f}") == (b, se)
    assert f"{eq.loc['rank(1)', 'SE']:.4f}" == "0.4178"  # its B: see the next test
    assert (f"{eq.loc['gre', 'B']:.5f}", f"{eq.loc['gre', 'SE']:.5f}") == ("0.00226", "0.00109")
    assert int(eq.loc["rank", "df"]) == 3
    s = step.record.set_index("step")
    assert (f"{s.loc[0, 'minus2ll']:.3f}", f"{s.loc[1, 'minus2ll']:.3f}") == ("499.977", "458.517")
    assert f"{s.loc[1, 'model_chisq']:.4f}" == "41.4590"  # likelihood ratio test of BETA = 0
    overall = _row(step.not_in_equation, 0, "Overall Statistics")  # SAS's global score test
    assert (f"{overall['Score']:.4f}", int(overall["df"])) == ("40.1603", 5)


@pytest.mark.xfail(strict=True, reason=(
    "Not matched: SAS's printed Wald chi-squares (23.7081, 4.2842, 5.8714, 13.7870; Type 3 rank 20.8949) are "
    "about 2e-5 (relative) below (B/SE)^2 of the fully converged fit (23.7086, 4.2843, 5.8715, 13.7873), and its "
    "rank 1 estimate 1.5514 is below the converged 1.551464 (1.5515 at four decimals), while its other B and SE "
    "agree at every printed decimal: SAS stops Fisher scoring at GCONV=1E-8, short of the maximum. The "
    "definitions are the same; the difference is SAS's convergence (glm here runs to a 1e-14 relative deviance "
    "change)."))
def test_admissions_sas_wald_chi_squares_at_four_decimals(admissions_rank):
    eq = admissions_rank.in_equation[admissions_rank.in_equation["step"] == 1].set_index("term")
    got = [f"{eq.loc[t, 'Wald']:.4f}" for t in ("Constant", "gre", "gpa", "rank(1)", "rank")]
    assert (got, f"{eq.loc['rank(1)', 'B']:.4f}") == (["23.7081", "4.2842", "5.8714", "13.7870", "20.8949"], "1.5514")


# ---------------------------------------------------------------------------------------------
# 2. Every step against R
# ---------------------------------------------------------------------------------------------

ORACLE = r"""
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
for (t in names(lev)) {
  d[[t]] <- factor(d[[t]], levels = lev[[t]])
  contrasts(d[[t]]) <- contr.treatment(length(lev[[t]]), base = length(lev[[t]]))
  for (j in seq_len(length(lev[[t]]) - 1)) d[[sprintf("%s_%d", t, j)]] <- as.numeric(d[[t]] == lev[[t]][j])
}
tin <- as.character(tin); tout <- as.character(tout)
fit <- function(tt) glm(reformulate(if (length(tt)) tt else "1", outcome), binomial, d, control = ctl)
g <- fit(tin)
y <- g$y
X <- model.matrix(g)
asg <- attr(X, "assign")
b <- coef(g); V <- vcov(g)
cols <- function(t) which(asg == match(t, attr(terms(g), "term.labels")))
cf <- summary(g)$coefficients
eq <- data.frame(name = rownames(cf), B = cf[, 1], SE = cf[, 2], Wald = cf[, 3]^2,
                 low = exp(confint.default(g))[, 1], high = exp(confint.default(g))[, 2])
wald <- unname(vapply(tin, function(t) { i <- cols(t); drop(crossprod(b[i], solve(V[i, i, drop = FALSE], b[i]))) },
                      numeric(1)))
dfs <- unname(vapply(tin, function(t) length(cols(t)), numeric(1)))
lr <- if (length(tin)) { dr <- drop1(g, test = "LRT"); dr[tin, c("LRT", "Deviance")] } else NULL
cond <- unname(vapply(tin, function(t) {
  i <- cols(t); r <- setdiff(seq_along(b), i); bt <- b
  bt[r] <- b[r] - V[r, i, drop = FALSE] %*% solve(V[i, i, drop = FALSE], b[i]); bt[i] <- 0
  2 * (as.numeric(logLik(g)) - sum(dbinom(y, 1, plogis(drop(X %*% bt)), log = TRUE)))
}, numeric(1)))
rao <- function(tt) anova(g, fit(c(tin, tt)), test = "Rao")[2, c("Rao", "Pr(>Chi)")]
score <- list()
for (t in tout) {
  score[[t]] <- rao(t)
  if (!is.null(lev[[t]])) for (j in seq_len(length(lev[[t]]) - 1))
    score[[sprintf("%s(%d)", t, j)]] <- rao(sprintf("%s_%d", t, j))
}
if (length(tout)) score[["Overall Statistics"]] <- rao(tout)
score <- if (length(score)) data.frame(term = names(score), Rao = sapply(score, `[[`, 1),
                                       p = sapply(score, `[[`, 2)) else NULL
pred <- as.integer(fitted(g) > 0.5)
list(eq = eq, wald = wald, df = dfs, lr = lr, cond = cond, score = score, m2ll = deviance(g),
     null = g$null.deviance, n = length(y),
     cls = c(sum(y == 0 & pred == 0), sum(y == 0 & pred == 1), sum(y == 1 & pred == 0), sum(y == 1 & pred == 1)))
"""


# glm's vcov() and anova(test = "Rao") use the working weights of its last IRLS iteration, one update before
# the estimates; a chi-square statistic near 0 then differs from ours by ~1e-8, far below SPSS's 3 decimals.
STAT_ATOL = 1e-6


def _in_terms(step, k, candidates):
    names = set(step.in_equation.loc[step.in_equation["step"] == k, "term"])
    return [t for t in candidates if step.columns[t][0] in names]


def _r_name(column, levels):
    if column == "Constant":
        return "(Intercept)"
    for t in levels:
        if column.startswith(f"{t}(") and column.endswith(")"):
            return f"{t}{column[len(t) + 1:-1]}"
    return column


def _oracle(r, data, outcome, tin, tout, levels):
    return r.evaluate(ORACLE, d=data, outcome=outcome, tin=list(tin), tout=list(tout),
                      lev={k: list(v) for k, v in levels.items()})


def _check_run(r, data, outcome, candidates, method, pin=0.05, pout=0.10):
    """The R loop checks the definitions on the converged maximum (glm to 1e-14; estimation="ml"): SPSS's own
    iteration stops at BCON .001, short of it; test_spss_iteration_takes_the_same_decisions checks that it
    takes the same steps here."""
    step = _run(data, outcome, candidates, method, pin=pin, pout=pout, estimation="ml")
    removal = {"wald": "Wald", "lr": "LR", "cond": "Conditional"}[method[6:]]
    levels = step.settings["categorical"]
    visited, removal_p, score_p, previous = [], {}, {}, None
    for k in sorted(step.record["step"].unique()):
        tin = _in_terms(step, k, candidates)
        tout = [t for t in candidates if t not in tin]
        visited.append(frozenset(tin))
        o = _oracle(r, data, outcome, tin, tout, levels)
        # Variables in the Equation: glm's B, S.E., (B/SE)^2 and Wald intervals; b'V^-1b for a categorical term
        eq = step.in_equation[step.in_equation["step"] == k].set_index("term")
        want = o["eq"].set_index("name")
        for term, row in eq.iterrows():
            if term in levels:
                np.testing.assert_allclose(row["Wald"], np.atleast_1d(o["wald"])[tin.index(term)], rtol=1e-7)
                continue
            w = want.loc[_r_name(term, levels)]
            np.testing.assert_allclose([row["B"], row["SE"], row["Wald"], row["ExpB"]],
                                       [w["B"], w["SE"], w["Wald"], np.exp(w["B"])], rtol=1e-6, atol=1e-10)
            # the interval's limits B -/+ z SE, compared where they are computed and on the SE's scale (Exp(B)
            # magnifies their rounding; a limit near 0 has no relative precision)
            np.testing.assert_allclose(np.log([row["ci_low"], row["ci_high"]]), np.log([w["low"], w["high"]]),
                                       rtol=0, atol=1e-6 * w["SE"])
        assert len(eq) == len(want) + sum(t in levels for t in tin)
        # removal statistics of the terms in the model (R: (B/SE)^2 or b'V^-1b, drop1 LRT, conditional)
        df = np.atleast_1d(np.asarray(o["df"], dtype=float))
        if not tin:
            stat = np.array([])
        elif removal == "LR":
            stat = np.asarray(o["lr"]["LRT"], dtype=float)
        else:
            stat = np.atleast_1d(np.asarray(o["wald" if removal == "Wald" else "cond"], dtype=float))
        removal_p = {t: _pchisq(s, d) for t, s, d in zip(tin, stat, df)}
        removal_stat = dict(zip(tin, stat))
        if removal in ("LR", "Conditional") and tin:
            got = step.if_removed[step.if_removed["step"] == k].set_index("term").loc[tin]
            np.testing.assert_allclose(got["change_m2ll"], stat, rtol=1e-6, atol=STAT_ATOL)
            if removal == "LR":
                np.testing.assert_allclose(got["model_log_likelihood"], -np.asarray(o["lr"]["Deviance"]) / 2,
                                           rtol=1e-9)
        # score statistics of the terms not in the model, with the Overall Statistics (anova(test = "Rao"))
        scores = step.not_in_equation[step.not_in_equation["step"] == k].set_index("term")
        if tout:
            want_s = o["score"].set_index("term")
            assert sorted(scores.index) == sorted(want_s.index)
            np.testing.assert_allclose(scores.loc[want_s.index, "Score"], want_s["Rao"], rtol=1e-6, atol=STAT_ATOL)
            np.testing.assert_allclose(scores.loc[want_s.index, "Sig"], want_s["p"], rtol=1e-5, atol=1e-12)
        else:
            assert scores.empty
        score_p = {t: scores.loc[t, "Sig"] for t in tout}
        score_stat = {t: scores.loc[t, "Score"] for t in tout}
        # Model Summary and Classification Table from glm
        rec = step.record[step.record["step"] == k].iloc[0]
        cs = 1 - np.exp((o["m2ll"] - o["null"]) / o["n"])
        np.testing.assert_allclose([rec["minus2ll"], rec["cox_snell_r2"], rec["nagelkerke_r2"]],
                                   [o["m2ll"], cs, cs / (1 - np.exp(-o["null"] / o["n"]))], rtol=1e-8, atol=1e-12)
        counts = step.classification[step.classification["step"] == k].sort_values(["observed", "predicted"])
        assert counts["n"].tolist() == [int(v) for v in o["cls"]]
        # the decision that led to this step, from R's numbers at the previous step
        if previous is not None and rec["test"] != "Enter":  # BSTEP's step 1 enters every candidate
            p_removal, p_score, s_removal, s_score = previous
            if rec["action"] == "removed":
                assert rec["term"] == max(p_removal, key=p_removal.get) and p_removal[rec["term"]] > pout
                assert rec["test"] == removal
                np.testing.assert_allclose(rec["statistic"], s_removal[rec["term"]], rtol=1e-6)
            else:
                assert rec["action"] == "entered" and rec["test"] == "Score"
                assert not p_removal or max(p_removal.values()) <= pout  # nothing was left to remove first
                assert rec["term"] == min(p_score, key=p_score.get) and p_score[rec["term"]] < pin
                np.testing.assert_allclose(rec["statistic"], s_score[rec["term"]], rtol=1e-6)
        previous = (removal_p, score_p, removal_stat, score_stat)
    # the last step: nothing to remove or enter, or SPSS's stop before a repeated model
    last_in = set(_in_terms(step, step.final_step, candidates))
    if "repeat" in step.stopped:
        if removal_p and max(removal_p.values()) > pout:
            proposed = last_in - {max(removal_p, key=removal_p.get)}
        else:
            proposed = last_in | {min(score_p, key=score_p.get)}
        assert frozenset(proposed) in visited
    else:
        assert not removal_p or max(removal_p.values()) <= pout
        assert not score_p or min(score_p.values()) >= pin
    assert step.kept == [t for t in candidates if t in last_in]
    return step


def _pchisq(x, df):
    from scipy.stats import chi2
    return float(chi2.sf(x, df))


@pytest.mark.parametrize("method", ["spss-bwald", "spss-blr", "spss-bcond", "spss-fwald", "spss-flr", "spss-fcond"])
def test_birthwt_every_step_equals_r(r, birthwt, method):
    step = _check_run(r, birthwt, "low", BIRTHWT_ALL, method)
    assert step.columns["racef"] == ["racef(1)", "racef(2)"]  # black, other; white (last) the reference
    if method.startswith("spss-b"):
        # Hosmer & Lemeshow's and Venables & Ripley's model of these data
        assert step.kept == ["lwt", "racef", "smoke", "ht", "ui"]


@pytest.fixture(scope="module")
def cars93(r):
    return r.evaluate('library(MASS); x <- na.omit(Cars93[, c("Origin", "Price", "MPG.city", "EngineSize", '
                      '"Horsepower", "RPM", "Fuel.tank.capacity", "Length", "Width", "Turn.circle", "Weight")]); '
                      'x$y <- as.integer(x$Origin == "USA"); x$Origin <- NULL; rownames(x) <- NULL; x')


@pytest.mark.parametrize("method", ["spss-fwald", "spss-flr", "spss-fcond"])
def test_fstep_removal_after_entry_equals_r(r, cars93, method):
    candidates = [c for c in cars93.columns if c != "y"]
    step = _check_run(r, cars93, "y", candidates, method, pin=0.15, pout=0.20)
    assert "removed" in set(step.record["action"])  # a term entered earlier leaves


SIMULATE = """set.seed({seed}, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
n <- {n}; z <- rnorm(n); x1 <- z + rnorm(n, sd = {sd}); x2 <- z + rnorm(n, sd = {sd}); x3 <- rnorm(n); {rest}"""


@pytest.fixture(scope="module")
def reentry(r):
    """Simulated (seeded in R): BSTEP with PIN .20 POUT .25 removes x1, x6, x5, x2, then re-enters x6."""
    return r.evaluate(SIMULATE.format(seed=327, n=150, sd=0.6, rest=(
        "x4 <- x3 + rnorm(n, sd = .6); x5 <- rnorm(n); x6 <- x5 - z + rnorm(n); "
        "y <- rbinom(n, 1, plogis(0.5 * x1 - 0.4 * x2 + 0.4 * x3 - 0.3 * x4 + 0.3 * x6)); "
        "data.frame(y, x1, x2, x3, x4, x5, x6)")))


@pytest.fixture(scope="module")
def repeat(r):
    """Simulated (seeded in R): BSTEP down to x3, then re-entering x2 would repeat step 4's model."""
    return r.evaluate(SIMULATE.format(seed=4, n=120, sd=0.5, rest=(
        "x4 <- -x1 + rnorm(n, sd = .7); x5 <- rnorm(n); "
        "y <- rbinom(n, 1, plogis(0.6 * x1 - 0.5 * x2 + 0.4 * x3 + 0.3 * x4)); data.frame(y, x1, x2, x3, x4, x5)")))


@pytest.mark.parametrize("method", ["spss-bwald", "spss-blr", "spss-bcond"])
def test_bstep_reentry_equals_r(r, reentry, method):
    step = _check_run(r, reentry, "y", ["x1", "x2", "x3", "x4", "x5", "x6"], method, pin=0.20, pout=0.25)
    moves = list(zip(step.record["action"], step.record["term"]))[2:]
    assert moves == [("removed", "x1"), ("removed", "x6"), ("removed", "x5"), ("removed", "x2"), ("entered", "x6")]


@pytest.mark.parametrize("method", ["spss-bwald", "spss-blr", "spss-bcond"])
def test_bstep_stops_before_repeating_a_model(r, repeat, method):
    step = _check_run(r, repeat, "y", ["x1", "x2", "x3", "x4", "x5"], method)
    assert "repeat" in step.stopped and step.kept == ["x3"]


@pytest.mark.parametrize("method", ["spss-bwald", "spss-blr", "spss-bcond", "spss-fwald", "spss-flr", "spss-fcond"])
def test_spss_iteration_takes_the_same_decisions(r, birthwt, cars93, reentry, repeat, method):
    """SPSS's iteration (the default; BCON .001) against the converged maximum of the R loop above: the same
    steps (action, term) on every data set of this file (docs/spss.md: no decision changed here)."""
    runs = [(birthwt, "low", BIRTHWT_ALL, {}), (cars93, "y", [c for c in cars93.columns if c != "y"],
                                               {"pin": 0.15, "pout": 0.20}),
            (reentry, "y", ["x1", "x2", "x3", "x4", "x5", "x6"], {"pin": 0.20, "pout": 0.25}),
            (repeat, "y", ["x1", "x2", "x3", "x4", "x5"], {})]
    for data, outcome, terms, kw in runs:
        spss = _run(data, outcome, terms, method, **kw)
        ml = _run(data, outcome, terms, method, estimation="ml", **kw)
        assert list(zip(spss.record["action"], spss.record["term"])) == \
            list(zip(ml.record["action"], ml.record["term"])), (outcome, terms)
        assert spss.stopped == ml.stopped


def test_bare_keywords_are_cond(birthwt):
    for bare, cond in (("spss-bstep", "spss-bcond"), ("spss-fstep", "spss-fcond")):
        a, b = _run(birthwt, "low", BIRTHWT_ALL, bare), _run(birthwt, "low", BIRTHWT_ALL, cond)
        pd.testing.assert_frame_equal(a.record, b.record)
        assert a.settings["spss_syntax"].startswith(f"/METHOD={bare[5:].upper()}(COND)")


# ---------------------------------------------------------------------------------------------
# 3. ep.fit_model, its files, and the fit command
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def model_fit(birthwt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ep.fit_model(birthwt.assign(id=[f"{i:03d}" for i in range(len(birthwt))]), "low", BIRTHWT_ALL,
                            name="lbw", stepwise="spss-blr", id_col="id")


def test_fit_model_refits_the_kept_terms_and_scores_like_glm(r, birthwt, model_fit):
    assert model_fit.stepwise.kept == model_fit.model.predictors == ["lwt", "racef", "smoke", "ht", "ui"]
    want = r.evaluate("g <- glm(low ~ lwt + racef + smoke + ht + ui, binomial, d, control = glm.control("
                      "epsilon = 1e-14, maxit = 100)); unname(predict(g, type = 'link'))", d=birthwt)
    np.testing.assert_allclose(model_fit.scores["lbw_lp"], want, rtol=1e-6, atol=1e-8)
    assert model_fit.settings["stepwise_settings"]["spss_syntax"] == \
        "/METHOD=BSTEP(LR) /CRITERIA=PIN(0.05) POUT(0.1) CUT(0.5) ITERATE(20) BCON(0.001) LCON(0) EPS(1e-08) " \
        "/PRINT=GOODFIT CI(95)"


def test_fit_model_writes_spss_tables_and_tidies_every_number(model_fit, tmp_path):
    names = sorted(str(p.relative_to(tmp_path)) for p in model_fit.write(tmp_path, ["md"], figures=False))
    for name in ("stepwise.csv", "table3_spss.csv", "table3_spss.md", "spss_model_summary.md",
                 "spss_classification.md", "spss_variables_in_equation.csv", "spss_variables_not_in_equation.csv",
                 "spss_model_if_term_removed.csv", "spss_classification_steps.csv", "table3.csv"):
        assert name in names
    table = pd.read_csv(tmp_path / "table3_spss.csv", dtype=str, keep_default_na=False)
    expected = spss_variables_in_equation(model_fit.stepwise)
    assert table.columns.tolist() == expected.columns.tolist()
    assert table.values.tolist() == expected.values.tolist()
    tidy = model_fit.tidy()
    hist = tidy[tidy["table"] == "stepwise"]
    assert len(hist) == int(model_fit.stepwise.record.drop(columns="step").select_dtypes("number").notna().sum().sum())
    eq = tidy[(tidy["table"] == "spss_variables_in_equation") & (tidy["statistic"] == "B")]
    assert len(eq) == int(model_fit.stepwise.in_equation["B"].notna().sum())


def test_fit_command_spss_method(birthwt, run_cli, tmp_path):
    csv = tmp_path / "births.csv"
    birthwt.to_csv(csv, index=False)
    out = tmp_path / "fit"
    code, _, err = run_cli("fit", csv, "--outcome", "low", "--predictors", ",".join(BIRTHWT_ALL), "--stepwise",
                           "spss-bwald", "--out", out, "--no-figures")
    assert code == 0, err
    history = pd.read_csv(out / "stepwise.csv")
    assert history["action"].tolist() == ["constant only", "entered", "removed", "removed", "removed"]
    assert history["term"].tolist()[2:] == ["ftv", "age", "ptl"]
    assert (out / "table3_spss.csv").is_file() and (out / "table3.csv").is_file()


def test_bad_criteria_and_empty_selection(birthwt, r):
    with pytest.raises(InputError, match="PIN"):
        spss_stepwise(birthwt, "low", LOWBWT, method="spss-bwald", pin=0.2, pout=0.1)
    with pytest.raises(InputError, match="unknown SPSS"):
        spss_stepwise(birthwt, "low", LOWBWT, method="spss-bogus")
    noise = birthwt.assign(n1=r.evaluate("set.seed(1); rnorm(189)"), n2=r.evaluate("set.seed(2); rnorm(189)"))
    with pytest.raises(InputError, match="kept no predictor") as info:
        ep.fit_model(noise, "low", ["n1", "n2"], stepwise="spss-fwald")
    assert info.value.partial is not None  # the step history is kept
