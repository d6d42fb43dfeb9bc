# Reclassification: categorical NRI (user cut-offs), continuous NRI and IDI, our own code (PredictABEL
# is not installable here). Formulas of Pencina et al. (Stat Med 2008;27:157-172; 2011;30:11-21), as in
# PredictABEL::reclassification and Hmisc::improveProb. Called from
# eprstats/evaluation/reclassification.py.

# One NRI component: ups and downs among n patients, with Pencina's variance
# (ups + downs)/n^2 - (ups - downs)^2/n^3 (McNemar-type, ties ignored).
reclassification_component <- function(ups, downs, n) {
  list(estimate = (ups - downs) / n, variance = (ups + downs) / n^2 - (ups - downs)^2 / n^3)
}

reclassification_row <- function(measure, ev, ne, estimate, se, level) {
  z <- estimate / se
  q <- stats::qnorm(1 - (1 - level) / 2)
  data.frame(measure = measure, estimate = estimate, se = se, z = z,
             p = 2 * stats::pnorm(-abs(z)), ci_low = estimate - q * se, ci_high = estimate + q * se,
             events = ev, nonevents = ne, stringsAsFactors = FALSE)
}

# Risk categories as PredictABEL: cut(breaks = c(0, cutoffs, 1), include.lowest = TRUE, right = FALSE),
# i.e. [0, c1), [c1, c2), ..., [ck, 1]: a risk equal to a cut-off goes to the higher category.
reclassification_categories <- function(p, cutoffs) {
  cut(p, breaks = c(0, cutoffs, 1), include.lowest = TRUE, right = FALSE)
}

reclassification_nri_idi <- function(y, p_old, p_new, cutoffs = NULL, level = 0.95) {
  ev <- y == 1
  ne <- y == 0
  n_ev <- sum(ev)
  n_ne <- sum(ne)
  rows <- list()
  if (length(cutoffs)) {
    c_old <- as.integer(reclassification_categories(p_old, cutoffs))
    c_new <- as.integer(reclassification_categories(p_new, cutoffs))
    a <- reclassification_component(sum(c_new[ev] > c_old[ev]), sum(c_new[ev] < c_old[ev]), n_ev)
    # non-events gain when they move down
    b <- reclassification_component(sum(c_new[ne] < c_old[ne]), sum(c_new[ne] > c_old[ne]), n_ne)
    rows[[length(rows) + 1L]] <- reclassification_row("NRI (categorical)", a$estimate, b$estimate,
                                                      a$estimate + b$estimate,
                                                      sqrt(a$variance + b$variance), level)
  }
  d <- p_new - p_old
  a <- reclassification_component(sum(d[ev] > 0), sum(d[ev] < 0), n_ev)
  b <- reclassification_component(sum(d[ne] < 0), sum(d[ne] > 0), n_ne)
  rows[[length(rows) + 1L]] <- reclassification_row("NRI (continuous)", a$estimate, b$estimate,
                                                    a$estimate + b$estimate,
                                                    sqrt(a$variance + b$variance), level)
  # IDI = (mean p_new - mean p_old) in events - the same in non-events; SE from the sample variances
  # of the paired differences in each group (Pencina 2008, eq. 4).
  idi_ev <- mean(d[ev])
  idi_ne <- -mean(d[ne])
  rows[[length(rows) + 1L]] <- reclassification_row("IDI", idi_ev, idi_ne, idi_ev + idi_ne,
                                                    sqrt(stats::var(d[ev]) / n_ev + stats::var(d[ne]) / n_ne),
                                                    level)
  do.call(rbind, rows)
}

# The reclassification table in PredictABEL's layout: initial (rows) x updated (columns) category
# counts for each outcome group and combined, with the percentage reclassified per row.
reclassification_table <- function(y, p_old, p_new, cutoffs) {
  c_old <- reclassification_categories(p_old, cutoffs)
  c_new <- reclassification_categories(p_new, cutoffs)
  labels <- levels(c_old)
  out <- list()
  for (grp in c("absent", "present", "combined")) {
    keep <- switch(grp, absent = y == 0, present = y == 1, combined = rep(TRUE, length(y)))
    tab <- table(factor(c_old[keep], levels = labels), factor(c_new[keep], levels = labels))
    m <- matrix(as.integer(tab), nrow = length(labels))
    tot <- rowSums(m)
    pct <- ifelse(tot > 0, 100 * (tot - diag(m)) / tot, NA_real_)
    frame <- data.frame(outcome = grp, initial = labels, stringsAsFactors = FALSE)
    for (j in seq_along(labels)) frame[[paste0("updated ", labels[j])]] <- m[, j]
    frame[["% reclassified"]] <- pct
    out[[grp]] <- frame
  }
  do.call(rbind, unname(out))
}
