# Decision curve analysis (Vickers & Elkin, Med Decis Making 2006;26:565-574), our own code (rmda is
# not installable here). A patient is treated when the predicted risk >= the threshold pt (as rmda and
# dcurves do). Net benefit NB = TP/n - FP/n * pt/(1 - pt); treat all: NB = prev - (1 - prev) pt/(1 - pt);
# treat none: NB = 0; standardized net benefit sNB = NB / prev (Kerr et al. 2016).
# Called from eprstats/evaluation/decision_curves.py.

decision_curves_nb <- function(y, p, thresholds) {
  n <- length(y)
  vapply(thresholds, function(t) {
    treat <- p >= t
    sum(treat & y == 1) / n - sum(treat & y == 0) / n * t / (1 - t)
  }, numeric(1))
}

decision_curves_all <- function(y, thresholds) {
  prev <- mean(y == 1)
  prev - (1 - prev) * thresholds / (1 - thresholds)
}

# One matrix (thresholds x curves): the models' columns, then treat all and treat none.
decision_curves_matrix <- function(y, risks, thresholds) {
  m <- vapply(risks, function(p) decision_curves_nb(y, p, thresholds), numeric(length(thresholds)))
  m <- matrix(m, nrow = length(thresholds))
  cbind(m, decision_curves_all(y, thresholds), 0)
}

# Net benefit per curve and threshold; with bootstrap > 0, percentile CIs (stats::quantile type 7 at
# (1 - level)/2 and (1 + level)/2) from `bootstrap` resamples of patients drawn with replacement
# (set the seed before calling). sNB divides by the prevalence of the sample it is computed on.
decision_curves_net_benefit <- function(y, risks, models, thresholds, bootstrap = 0L, level = 0.95) {
  curves <- c(models, "treat all", "treat none")
  prev <- mean(y == 1)
  nb <- decision_curves_matrix(y, risks, thresholds)
  out <- data.frame(model = rep(curves, each = length(thresholds)),
                    threshold = rep(thresholds, times = length(curves)),
                    net_benefit = as.numeric(nb), standardized_net_benefit = as.numeric(nb) / prev,
                    stringsAsFactors = FALSE)
  if (bootstrap > 0L) {
    n <- length(y)
    boots <- array(NA_real_, dim = c(length(thresholds), length(curves), bootstrap))
    sboots <- boots
    for (b in seq_len(bootstrap)) {
      i <- sample.int(n, n, replace = TRUE)
      yb <- y[i]
      m <- decision_curves_matrix(yb, lapply(risks, function(p) p[i]), thresholds)
      boots[, , b] <- m
      sboots[, , b] <- m / mean(yb == 1)
    }
    probs <- c((1 - level) / 2, (1 + level) / 2)
    q <- apply(boots, c(1, 2), stats::quantile, probs = probs, type = 7, na.rm = TRUE)
    sq <- apply(sboots, c(1, 2), stats::quantile, probs = probs, type = 7, na.rm = TRUE)
    out$ci_low <- as.numeric(q[1, , ])
    out$ci_high <- as.numeric(q[2, , ])
    out$standardized_ci_low <- as.numeric(sq[1, , ])
    out$standardized_ci_high <- as.numeric(sq[2, , ])
  }
  out
}
