# Discrimination: ROC, AUC with DeLong CI, Youden cut-off, DeLong tests (pROC).
# Called from eprstats/evaluation/discrimination.py. Outcome `y` is coded 0 (control) / 1 (case);
# `levels = c(0, 1)` is always passed so pROC never guesses which group is the case group.

discrimination_roc <- function(y, score, direction = "auto") {
  pROC::roc(response = y, predictor = score, levels = c(0, 1), direction = direction,
            quiet = TRUE)
}

# AUC with its DeLong CI (pROC::ci.auc, method = "delong") and the direction pROC used.
discrimination_auc_ci <- function(y, score, direction = "auto", conf_level = 0.95) {
  r <- discrimination_roc(y, score, direction)
  ci <- pROC::ci.auc(r, conf.level = conf_level, method = "delong")
  list(auc = as.numeric(ci[2]), auc_ci_low = as.numeric(ci[1]), auc_ci_high = as.numeric(ci[3]),
       direction = r$direction)
}

# Youden cut-off by pROC::coords(best.method = "youden"). pROC returns every tied threshold; the one
# with the highest sensitivity is kept (a screening choice: miss fewer events) and the number of ties is
# reported.
discrimination_youden <- function(y, score, direction) {
  r <- discrimination_roc(y, score, direction)
  co <- pROC::coords(r, x = "best", best.method = "youden",
                     ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  i <- which.max(co$sensitivity)
  list(threshold = as.numeric(co$threshold[i]), sensitivity = as.numeric(co$sensitivity[i]),
       specificity = as.numeric(co$specificity[i]), n_ties = nrow(co))
}

# Performance at a fixed threshold with a fixed direction (cut-off and direction from training).
discrimination_at_threshold <- function(y, score, direction, threshold) {
  r <- discrimination_roc(y, score, direction)
  co <- pROC::coords(r, x = threshold, input = "threshold",
                     ret = c("sensitivity", "specificity", "ppv", "npv", "accuracy"),
                     transpose = FALSE)
  as.list(co[1, , drop = TRUE])
}

# The ROC curve's points, for figures.
discrimination_curve <- function(y, score, direction) {
  r <- discrimination_roc(y, score, direction)
  data.frame(threshold = r$thresholds, sensitivity = r$sensitivities,
             specificity = r$specificities)
}

# pROC::roc.test with its warnings kept (not printed): the caller puts them in the row of the pair they concern
# (e.g. "DeLong's test should not be applied to ROC curves with a different direction.").
discrimination_roc_test <- function(r1, r2, paired, conf_level) {
  msgs <- character()
  t <- withCallingHandlers(
    pROC::roc.test(r1, r2, method = "delong", paired = paired, conf.level = conf_level),
    warning = function(w) {
      msgs <<- c(msgs, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(test = t, warning = paste(unique(msgs), collapse = " "))
}

# Paired DeLong test of two scores on the same patients (pROC::roc.test, method = "delong"), with the AUC
# difference and its CI (ci.delong.paired: d +/- z * sd) that roc.test returns as estimate and conf.int.
discrimination_delong_paired <- function(y, score1, score2, direction1, direction2, conf_level = 0.95) {
  r1 <- discrimination_roc(y, score1, direction1)
  r2 <- discrimination_roc(y, score2, direction2)
  res <- discrimination_roc_test(r1, r2, paired = TRUE, conf_level = conf_level)
  t <- res$test
  list(auc_1 = as.numeric(t$estimate[1]), auc_2 = as.numeric(t$estimate[2]),
       z = as.numeric(t$statistic), p = as.numeric(t$p.value),
       auc_diff = as.numeric(t$estimate[1] - t$estimate[2]),
       diff_ci_low = as.numeric(t$conf.int[1]), diff_ci_high = as.numeric(t$conf.int[2]),
       warning = res$warning)
}

# Unpaired DeLong test of one score between two cohorts (independent patients). pROC reports a statistic D
# with P from Student's t on `parameter` (df, Welch-Satterthwaite); both are returned.
discrimination_delong_unpaired <- function(y1, score1, y2, score2, direction) {
  r1 <- discrimination_roc(y1, score1, direction)
  r2 <- discrimination_roc(y2, score2, direction)
  res <- discrimination_roc_test(r1, r2, paired = FALSE, conf_level = 0.95)
  t <- res$test
  list(auc_1 = as.numeric(t$estimate[1]), auc_2 = as.numeric(t$estimate[2]),
       z = as.numeric(t$statistic), p = as.numeric(t$p.value),
       distribution = "t", df = as.numeric(t$parameter["df"]), warning = res$warning)
}

# The 2x2 counts at a fixed threshold and direction, as pROC counts them (direction "<": positive when
# score >= threshold).
discrimination_confusion <- function(y, score, direction, threshold) {
  r <- discrimination_roc(y, score, direction)
  co <- pROC::coords(r, x = threshold, input = "threshold", ret = c("tp", "fp", "tn", "fn"),
                     transpose = FALSE)
  lapply(as.list(co[1, , drop = TRUE]), function(v) as.integer(round(v)))
}

# Exact (Clopper-Pearson, stats::binom.test) or Wilson score (stats::prop.test without continuity
# correction) CIs of the proportions x / n; NA where n = 0. prop.test's "Chi-squared approximation may be
# incorrect" concerns its test, not the Wilson interval, so it is muffled.
discrimination_proportion_ci <- function(x, n, method = "clopper-pearson", conf_level = 0.95) {
  one <- function(xi, ni) {
    if (ni == 0) return(c(NA_real_, NA_real_))
    if (method == "clopper-pearson") return(as.numeric(stats::binom.test(xi, ni, conf.level = conf_level)$conf.int))
    if (method == "wilson") {
      return(as.numeric(suppressWarnings(stats::prop.test(xi, ni, conf.level = conf_level,
                                                          correct = FALSE))$conf.int))
    }
    stop("unknown CI method: ", method)
  }
  ci <- mapply(one, as.numeric(x), as.numeric(n))
  list(low = as.numeric(ci[1, ]), high = as.numeric(ci[2, ]))
}

# pROC's stratified bootstrap CIs (pROC::ci.coords) at a fixed threshold and direction; the caller sets the
# seed just before, so that `set.seed(seed); ci.coords(...)` in R gives the same interval.
discrimination_ci_coords <- function(y, score, direction, threshold, boot_n, conf_level = 0.95) {
  r <- discrimination_roc(y, score, direction)
  stats <- c("sensitivity", "specificity", "ppv", "npv", "accuracy")
  ci <- pROC::ci.coords(r, x = threshold, input = "threshold", ret = stats, boot.n = boot_n,
                        conf.level = conf_level, boot.stratified = TRUE, progress = "none")
  list(low = vapply(stats, function(s) as.numeric(ci[[s]][1, 1]), numeric(1)),
       high = vapply(stats, function(s) as.numeric(ci[[s]][1, 3]), numeric(1)))
}
