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

# Paired DeLong test of two scores on the same patients (pROC::roc.test, method = "delong").
discrimination_delong_paired <- function(y, score1, score2, direction1, direction2) {
  r1 <- discrimination_roc(y, score1, direction1)
  r2 <- discrimination_roc(y, score2, direction2)
  t <- pROC::roc.test(r1, r2, method = "delong", paired = TRUE)
  list(auc_1 = as.numeric(t$estimate[1]), auc_2 = as.numeric(t$estimate[2]),
       z = as.numeric(t$statistic), p = as.numeric(t$p.value))
}

# Unpaired DeLong test of one score between two cohorts (independent patients).
discrimination_delong_unpaired <- function(y1, score1, y2, score2, direction) {
  r1 <- discrimination_roc(y1, score1, direction)
  r2 <- discrimination_roc(y2, score2, direction)
  t <- pROC::roc.test(r1, r2, method = "delong", paired = FALSE)
  list(auc_1 = as.numeric(t$estimate[1]), auc_2 = as.numeric(t$estimate[2]),
       z = as.numeric(t$statistic), p = as.numeric(t$p.value))
}
