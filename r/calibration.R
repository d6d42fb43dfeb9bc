# Calibration with rms: bootstrap calibration curve (rms::calibrate), optimism-corrected indexes
# (rms::validate), rms::val.prob statistics, and our own Hosmer-Lemeshow test (ResourceSelection is
# not installable here), with R's quantile grouping or SPSS's. Called from
# eprstats/evaluation/calibration.py. The model is fitted once, by models_fit_lrm (r/models.R,
# lrm(x = TRUE, y = TRUE)); everything here takes that fit.

# The training fit's predicted probabilities for any cohort (rms::predict.lrm, type = "fitted").
calibration_predict_prob <- function(fit, newdata) {
  as.numeric(stats::predict(fit, newdata = newdata, type = "fitted"))
}

# rms::calibrate(method = "boot"): the apparent (calibrated.orig) and bias-corrected
# (calibrated.corrected) curves at rms' grid of predicted probabilities, and the error summary that
# print.calibrate shows (error = predicted - bias-corrected curve interpolated at each patient's
# predicted probability with stats::approx, as rms:::print.calibrate.default does).
calibration_calibrate <- function(fit, B = 1000L, method = "boot") {
  cal <- rms::calibrate(fit, method = method, B = B)
  predicted <- attr(cal, "predicted")
  s <- !is.na(cal[, "predy"] + cal[, "calibrated.corrected"])
  err <- predicted - stats::approx(cal[s, "predy"], cal[s, "calibrated.corrected"],
                                   xout = predicted, ties = mean)$y
  curve <- data.frame(predicted = unname(cal[, "predy"]), apparent = unname(cal[, "calibrated.orig"]),
                      bias_corrected = unname(cal[, "calibrated.corrected"]),
                      ideal = unname(cal[, "predy"]))
  list(curve = curve,
       summary = list(n = length(predicted), B = as.integer(attr(cal, "B")),
                      mean_absolute_error = mean(abs(err), na.rm = TRUE),
                      mean_squared_error = mean(err^2, na.rm = TRUE),
                      quantile90_absolute_error = unname(stats::quantile(abs(err), 0.9, na.rm = TRUE))),
       predicted = as.numeric(predicted))
}

# rms::validate(method = "boot"): apparent, bootstrap training/test, optimism and corrected indexes.
calibration_validate <- function(fit, B = 1000L, method = "boot") {
  v <- rms::validate(fit, method = method, B = B)
  m <- unclass(v)
  data.frame(index = rownames(m), apparent = unname(m[, "index.orig"]), training = unname(m[, "training"]),
             test = unname(m[, "test"]), optimism = unname(m[, "optimism"]),
             corrected = unname(m[, "index.corrected"]), n = unname(m[, "n"]),
             stringsAsFactors = FALSE)
}

# rms::val.prob without its plot: Dxy, C, R2, D, U, Q, Brier, intercept, slope, Emax, E90, Eavg,
# Spiegelhalter's z.
calibration_val_prob <- function(p, y) {
  s <- rms::val.prob(p, y, pl = FALSE)
  as.list(s)
}

# Hosmer-Lemeshow goodness-of-fit test. Observed and expected counts of events and non-events per group;
# chi2 = sum((O - E)^2 / E) over both columns; df = groups - 2. Two groupings:
# * quantile (ResourceSelection::hoslem.test's): groups cut at the quantiles of the predicted probabilities
#   (probs = 0, 1/g, ..., 1; stats::quantile type 7), intervals closed on the right with the lowest value
#   included (cut(include.lowest = TRUE)); tied quantiles are merged (unique breaks), so fewer than g
#   groups can result.
# * spss (calibration_hl_groups_spss): SPSS's deciles of risk, tied probabilities never split.
#   df_rule = "g-2" (default; the development cohort) or "g" (an external cohort, whose risks were not
#   estimated on it: Hosmer, Lemeshow & Sturdivant 2013, sec. 5.2.2 and 6.4), g = groups after merging.
calibration_hosmer_lemeshow <- function(p, y, g = 10L, grouping = "quantile", df_rule = "g-2") {
  if (grouping == "spss") {
    group <- calibration_hl_groups_spss(p, g)
  } else {
    breaks <- unique(stats::quantile(p, probs = seq(0, 1, 1 / g), type = 7))
    if (length(breaks) < 3L) stop("the predicted probabilities take too few distinct values for grouping")
    group <- cut(p, breaks = breaks, include.lowest = TRUE, right = TRUE)
  }
  obs1 <- as.numeric(tapply(y, group, sum))
  n <- as.numeric(tapply(y, group, length))
  exp1 <- as.numeric(tapply(p, group, sum))
  obs0 <- n - obs1
  exp0 <- n - exp1
  chi2 <- sum((obs1 - exp1)^2 / exp1) + sum((obs0 - exp0)^2 / exp0)
  groups <- nlevels(group)
  df <- if (identical(df_rule, "g")) groups else groups - 2L
  table <- data.frame(group = levels(group), n = n, observed_events = obs1, expected_events = exp1,
                      observed_nonevents = obs0, expected_nonevents = exp0, stringsAsFactors = FALSE)
  list(table = table, statistic = chi2, df = df, groups = groups,
       p_value = stats::pchisq(chi2, df, lower.tail = FALSE))
}

# SPSS's Hosmer-Lemeshow groups ("deciles of risk"), the rule found from SPSS's printed contingency
# tables (shared/data/spss; docs/spss.md): the cases, sorted by predicted probability, form blocks of equal
# probability (SPSS's blocks are cases with the same covariates, which is what gives equal probabilities),
# never divided. With M = n / g, the groups are filled block by block: the first block opens a group; a
# following block of m cases joins the current group while c + m / 2 <= M (c: the cases the group holds
# already), else it opens the next group; the g-th group takes every block left. Without ties this gives
# g - 1 groups of round(n / g) and the rest in the last (SPSS: nine groups of 45 and one of 48 for n = 453);
# with ties a block goes to the group that can hold at least half of it. It reproduces every SPSS table of
# shared/data/spss (one with 58 distinct risks among 453 cases), where percentile cuts (type 1 or 7) and
# cumulative counts against k n / g do not. Not decided by those tables: M = n / g, floor(n / g) or
# round(n / g) (all three reproduce them; they differ for other n, e.g. n = 189: groups of 19 here, of 18 and
# a last of 27 with floor). SAS's PROC LOGISTIC rule is close (M = round(n / g), join while c < M and
# c + floor(m / 2) <= M, a last group under M / 2 merged), but its floor(m / 2) puts a block of 9 into
# SPSS's 9th group of 41 in the g1b ~ cesd table.
calibration_hl_groups_spss <- function(p, g = 10L) {
  o <- order(p)
  sorted <- p[o]
  n <- length(p)
  M <- n / g
  starts <- which(c(TRUE, sorted[-1] != sorted[-n]))
  sizes <- diff(c(starts, n + 1L))
  block_group <- integer(length(sizes))
  k <- 1L; c <- 0
  for (j in seq_along(sizes)) {
    if (c > 0 && k < g && c + sizes[j] / 2 > M) { k <- k + 1L; c <- 0 }
    block_group[j] <- k
    c <- c + sizes[j]
  }
  group <- integer(n)
  group[o] <- rep(block_group, sizes)
  if (length(unique(group)) < 3L) stop("the predicted probabilities take too few distinct values for grouping")
  factor(group, levels = seq_len(max(group)))
}

# The nonparametric calibration curve of any cohort, as rms::val.prob draws it: lowess(p, y, iter = 0),
# evaluated at each patient's p by linear interpolation (ties averaged). Eavg of val.prob is
# mean(|p - curve(p)|).
calibration_lowess <- function(p, y) {
  sm <- stats::lowess(p, y, iter = 0)
  at_p <- stats::approx(sm, xout = p, ties = mean)$y
  list(curve = data.frame(predicted = sm$x, observed = sm$y), at_p = at_p)
}

# Wald CIs (stats::confint.default) of the logistic recalibration of one cohort's probabilities:
# * intercept a and slope b of glm(y ~ logit(p)), estimated jointly (val.prob's Intercept and Slope);
# * the calibration-in-the-large a', glm(y ~ 1, offset = logit(p)) (slope fixed at 1).
calibration_recalibration_ci <- function(p, y, conf_level = 0.95) {
  lp <- stats::qlogis(p)
  joint <- stats::glm(y ~ lp, family = stats::binomial())
  citl <- stats::glm(y ~ 1, offset = lp, family = stats::binomial())
  cj <- stats::confint.default(joint, level = conf_level)
  cc <- stats::confint.default(citl, level = conf_level)
  list(intercept_ci_low = cj[1, 1], intercept_ci_high = cj[1, 2], slope_ci_low = cj[2, 1],
       slope_ci_high = cj[2, 2], citl = unname(stats::coef(citl)[1]), citl_ci_low = cc[1, 1],
       citl_ci_high = cc[1, 2])
}
