# Logistic models with rms: lrm fit, coefficient table, backward selection, prediction, nomogram.
# Called from eprstats/evaluation/models.py and nomogram.py.

# The one model formula of the package: outcome ~ `p1` + `p2` (names quoted, so that any column name
# works). Used by every lrm and glm fit in r/.
models_formula <- function(outcome, predictors) {
  stats::reformulate(sprintf("`%s`", predictors), response = as.name(outcome))
}

# rms needs a datadist it can find by name (options(datadist = <name>)); it is put in the global
# environment under a name of our own for the duration of the call and removed afterwards. `dd` is a
# datadist already made (a fit's eprstats_datadist) or the data to make it from. The one datadist helper:
# the fit and the nomogram both go through it.
models_with_datadist <- function(dd, expr_fn) {
  if (!inherits(dd, "datadist")) dd <- rms::datadist(dd)
  old <- options(datadist = ".eprstats_dd")
  on.exit({
    options(old)
    if (exists(".eprstats_dd", envir = globalenv())) rm(".eprstats_dd", envir = globalenv())
  }, add = TRUE)
  assign(".eprstats_dd", dd, envir = globalenv())
  expr_fn()
}

# The one lrm fit of the package (`eprstats fit`, the signatures' combined models and calibration):
# lrm(x = TRUE, y = TRUE), so that rms::calibrate and rms::validate can refit it on bootstrap samples,
# with the training data's datadist stored in the fit (for nomogram/predict). Whether it converged is
# checked by models_fit_status.
models_fit_lrm <- function(data, outcome, predictors) {
  f <- models_formula(outcome, predictors)
  models_with_datadist(data, function() {
    fit <- rms::lrm(f, data = data, x = TRUE, y = TRUE)
    fit$eprstats_datadist <- get(".eprstats_dd", envir = globalenv())
    fit
  })
}

# Is the fit usable? lrm sets `fail` (and warns "Unable to fit model") when it cannot converge, as it
# does under complete or quasi-complete separation.
# A failed fit (collinear predictors, for one) has no variance-covariance matrix: report it, don't stop.
models_fit_status <- function(fit) {
  se <- tryCatch(suppressWarnings(sqrt(diag(stats::vcov(fit)))), error = function(e) NA_real_)
  b <- tryCatch(suppressWarnings(as.numeric(stats::coef(fit))), error = function(e) NA_real_)
  list(fail = isTRUE(fit$fail), finite_se = length(se) > 0 && all(is.finite(se)),
       max_abs_beta = if (length(b) > 0 && all(is.finite(b))) max(abs(b)) else NA_real_)
}

# The design matrix the fit used (intercept column first) and the 0/1 outcome, for the separation check.
models_design <- function(fit) {
  list(x = cbind(Intercept = 1, fit$x), y = as.integer(fit$y == max(fit$y)))
}

# beta, SE, Wald z, P for every term, intercept included.
models_coef_table <- function(fit) {
  b <- stats::coef(fit)
  se <- suppressWarnings(sqrt(diag(stats::vcov(fit))))
  z <- b / se
  data.frame(term = names(b), beta = unname(b), se = unname(se), z = unname(z),
             p = unname(2 * stats::pnorm(-abs(z))), stringsAsFactors = FALSE)
}

models_fit_stats <- function(fit) as.list(fit$stats)

# Table 3's numbers at the maximum: lrm stops when -2 log likelihood changes by less than 0.025, a few 1e-8
# short of it, enough to move the last printed digit of a large OR's CI (Table 3 printed 91417.488 where glm,
# statsmodels and SPSS's table give 91417.492, issue #21). The same model is continued from lrm's estimates
# by Newton-Raphson (glm.fit) to a 1e-14 relative deviance change; the fit object (predictions, nomogram,
# calibration) is lrm's, equal to these to ~1e-8. If the continuation fails, lrm's table is returned.
models_coef_table_converged <- function(fit) {
  d <- models_design(fit)
  g <- tryCatch(suppressWarnings(stats::glm.fit(d$x, d$y, family = stats::binomial(), start = unname(stats::coef(fit)),
                                                control = stats::glm.control(epsilon = 1e-14, maxit = 50))),
                error = function(e) NULL)
  if (is.null(g) || !isTRUE(g$converged) || any(!is.finite(g$coefficients))) return(models_coef_table(fit))
  b <- g$coefficients
  p <- stats::plogis(drop(d$x %*% b))
  se <- sqrt(diag(solve(crossprod(d$x, (p * (1 - p)) * d$x))))
  z <- b / se
  data.frame(term = names(stats::coef(fit)), beta = unname(b), se = unname(se), z = unname(z),
             p = unname(2 * stats::pnorm(-abs(z))), stringsAsFactors = FALSE)
}

# Linear predictor for new data (rms::predict.lrm, type = "lp").
models_predict_lp <- function(fit, newdata) {
  as.numeric(stats::predict(fit, newdata = newdata, type = "lp"))
}

# rms::fastbw: backward elimination on the fitted lrm (Lawless & Singhal approximation).
models_fastbw <- function(fit, rule = "aic", sls = 0.05, type = "residual") {
  bw <- rms::fastbw(fit, rule = rule, sls = sls, type = type)
  res <- bw$result
  record <- if (is.null(res) || nrow(res) == 0) {
    data.frame(step = integer(), deleted = character(), chisq = numeric(), df = numeric(), p = numeric(),
               aic = numeric(), stringsAsFactors = FALSE)
  } else {
    data.frame(step = seq_len(nrow(res)), deleted = rownames(res), chisq = res[, "Chi-Sq"],
               df = res[, "d.f."], p = res[, "P"], aic = res[, "AIC"], stringsAsFactors = FALSE)
  }
  list(kept = if (length(bw$names.kept)) as.character(bw$names.kept) else character(), record = record)
}

# stats::step backward by AIC on the same logistic model (glm, binomial).
models_step_aic <- function(data, outcome, predictors) {
  f <- models_formula(outcome, predictors)
  full <- stats::glm(f, data = data, family = stats::binomial())
  st <- stats::step(full, direction = "backward", trace = 0, k = 2)
  a <- st$anova
  record <- data.frame(step = seq_len(nrow(a)) - 1L, deleted = gsub("`", "", sub("^- ", "", as.character(a$Step))),
                       deviance = a$Deviance, resid_df = a[["Resid. Df"]], resid_dev = a[["Resid. Dev"]],
                       aic = a$AIC, stringsAsFactors = FALSE)
  kept <- attr(stats::terms(st), "term.labels")
  list(kept = if (length(kept)) gsub("`", "", kept) else character(), record = record)
}

# rms::nomogram with a probability axis (fun = plogis). Returns the points table as a data.frame:
# axis, value, points; the probability axis has value = probability and points = total points.
models_nomogram <- function(fit, fun_at = c(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95),
                            funlabel = "Probability", maxscale = 100) {
  nom <- models_with_datadist(fit$eprstats_datadist, function() {
    rms::nomogram(fit, fun = stats::plogis, fun.at = fun_at, funlabel = funlabel, lp = FALSE,
                  maxscale = maxscale)
  })
  rows <- list()
  for (nm in names(nom)) {
    ax <- nom[[nm]]
    if (!is.list(ax)) next
    if (nm == "total.points") {
      rows[[length(rows) + 1]] <- data.frame(axis = "Total Points", kind = "total", value = as.character(ax$x),
                                             points = ax$x, stringsAsFactors = FALSE)
    } else if (!is.null(ax$x.real)) {
      rows[[length(rows) + 1]] <- data.frame(axis = nm, kind = "probability",
                                             value = as.character(ax$x.real), points = ax$x,
                                             stringsAsFactors = FALSE)
    } else if (!is.null(ax$points)) {
      rows[[length(rows) + 1]] <- data.frame(axis = nm, kind = "predictor", value = as.character(ax[[1]]),
                                             points = ax$points, stringsAsFactors = FALSE)
    }
  }
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  out
}
