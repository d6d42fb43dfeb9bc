# Table 1 tests: the chi-square / Fisher choice and the continuous-variable tests, done by R's own
# stats functions so that the p-values are R's.

# Expected counts under independence, E_ij = row_i * col_j / n.
characteristics_expected <- function(m) outer(rowSums(m), colSums(m)) / sum(m)

# The test a rule chooses for a contingency table (rows = levels, columns = groups).
#   textbook (medical statistics teaching, e.g. Sun Zhenqiu's "Medical Statistics"; the paper's rule):
#     2x2: n >= 40 and every E >= 5 -> Pearson; n >= 40 and some E in [1, 5) -> Yates;
#          n < 40 or any E < 1 -> Fisher.
#     larger: Pearson, unless any E < 1 or more than 20% of cells have E < 5 -> Fisher (Cochran 1954).
characteristics_choose_test <- function(m, rule) {
  # Yates' correction exists for 2x2 tables only: chisq.test(correct = TRUE) computes Pearson's statistic on a
  # larger table, and the tests file says so (test "pearson") rather than naming a correction that was not made
  if (rule == "yates" && !all(dim(m) == 2L)) return("pearson")
  if (rule %in% c("pearson", "yates", "fisher")) return(rule)
  e <- characteristics_expected(m)
  n <- sum(m)
  if (all(dim(m) == 2L)) {
    if (n < 40 || min(e) < 1) return("fisher")
    if (min(e) < 5) return("yates")
    return("pearson")
  }
  if (min(e) < 1 || mean(e < 5) > 0.2) return("fisher")
  "pearson"
}

characteristics_categorical_test <- function(counts, rule = "textbook") {
  m <- as.matrix(counts)
  storage.mode(m) <- "double"
  # A level or group with no patients carries no information and makes E = 0: drop it.
  m <- m[rowSums(m) > 0, colSums(m) > 0, drop = FALSE]
  if (nrow(m) < 2L || ncol(m) < 2L)
    stop("the table has fewer than two non-empty levels or groups; no test is possible")
  e <- characteristics_expected(m)
  test <- characteristics_choose_test(m, rule)
  res <- switch(test,
    # The approximation warning is expected for small E; the chosen rule and the smallest
    # expected count are reported instead.
    pearson = suppressWarnings(stats::chisq.test(m, correct = FALSE)),
    yates = suppressWarnings(stats::chisq.test(m, correct = TRUE)),
    fisher = stats::fisher.test(m, workspace = 2e7))
  list(test = test,
       method = res$method,
       statistic = if (is.null(res$statistic)) NA_real_ else unname(res$statistic),
       df = if (is.null(res$parameter)) NA_real_ else unname(res$parameter),
       p = res$p.value,
       n = sum(m),
       min_expected = min(e),
       share_expected_below_5 = mean(e < 5),
       spss = characteristics_spss_name(res$method))
}

# Normality by Shapiro-Wilk in each group (3 <= n <= 5000, as shapiro.test requires).
characteristics_is_normal <- function(x, group, alpha = 0.05) {
  all(vapply(split(x, group), function(v) {
    v <- v[!is.na(v)]
    if (length(v) < 3L || length(v) > 5000L || length(unique(v)) < 3L) return(FALSE)
    stats::shapiro.test(v)$p.value > alpha
  }, logical(1)))
}

# The names SPSS prints for what a test computed (CROSSTABS' "Chi-Square Tests" rows, T-TEST's rows,
# NPAR TESTS' "Asymp. Sig. (2-tailed)"); "" where SPSS prints no row equal to ours.
characteristics_spss_name <- function(method) {
  if (grepl("Yates", method, fixed = TRUE)) return("Continuity Correction")
  if (grepl("Fisher", method, fixed = TRUE)) return("Fisher's Exact Test (2-sided)")
  if (grepl("Pearson's Chi-squared", method, fixed = TRUE)) return("Pearson Chi-Square")
  ""
}

# Levene's test as SPSS's T-TEST and ONEWAY compute it (centred at the group means; Levene 1960, not the
# median-centred Brown-Forsythe variant that car::leveneTest uses by default): the one-way ANOVA F of
# z = |x - mean of x's group| on the groups, with df (k - 1, N - k).
characteristics_levene <- function(x, group) {
  group <- factor(group)
  z <- abs(x - stats::ave(x, group))
  a <- stats::anova(stats::lm(z ~ group))
  list(F = a[1L, "F value"], df1 = a[1L, "Df"], df2 = a[2L, "Df"], p = a[1L, "Pr(>F)"])
}

# One row of SPSS's "Independent Samples Test": t.test with or without pooled variance, group 1 - group 2.
characteristics_t_row <- function(a, b, equal) {
  r <- stats::t.test(a, b, var.equal = equal)
  list(t = unname(r$statistic), df = unname(r$parameter), p = r$p.value,
       mean_difference = mean(a) - mean(b), se_difference = unname(r$stderr),
       ci_low = r$conf.int[1L], ci_high = r$conf.int[2L])
}

# SPSS's comparison of means: Levene's test (mean-centred) chooses the row, "Equal variances assumed"
# (Student's t; ONEWAY's ANOVA for more groups) when its p >= 0.05, else "Equal variances not assumed"
# (Welch's t; ONEWAY's robust Welch test). Both t rows are returned, as T-TEST prints them.
characteristics_spss_means <- function(x, group) {
  lev <- characteristics_levene(x, group)
  equal <- !is.finite(lev$p) || lev$p >= 0.05
  out <- list(levene_f = lev$F, levene_df1 = lev$df1, levene_df2 = lev$df2, levene_p = lev$p)
  if (nlevels(group) == 2L) {
    a <- x[group == levels(group)[1L]]
    b <- x[group == levels(group)[2L]]
    rows <- list(equal = characteristics_t_row(a, b, TRUE), unequal = characteristics_t_row(a, b, FALSE))
    for (k in names(rows)) for (s in names(rows[[k]])) out[[paste(k, s, sep = "_")]] <- rows[[k]][[s]]
    res <- stats::t.test(a, b, var.equal = equal)
    test <- if (equal) "student" else "welch"
    spss <- if (equal) "t-test, Equal variances assumed" else "t-test, Equal variances not assumed"
  } else {
    res <- stats::oneway.test(x ~ group, var.equal = equal)
    test <- if (equal) "anova" else "welch-anova"
    spss <- if (equal) "ANOVA" else "Robust Tests of Equality of Means: Welch"
  }
  # ONEWAY prints both df of the F (ANOVA: k - 1 and N - k; Welch: k - 1 and its fractional df2)
  c(list(test = test, method = res$method, statistic = unname(res$statistic),
         df = unname(res$parameter[1L]),
         df2 = if (length(res$parameter) > 1L) unname(res$parameter[2L]) else NA_real_,
         p = res$p.value, spss = spss), out)
}

# Mann-Whitney U with SPSS's "Asymp. Sig. (2-tailed)": the normal approximation with the tie-corrected
# variance and no continuity correction (wilcox.test(exact = FALSE, correct = FALSE)); Z as NPAR TESTS
# computes it, (U - n1 n2 / 2) / sqrt(n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1)))), U of group 1.
characteristics_mann_whitney_spss <- function(a, b) {
  res <- stats::wilcox.test(a, b, exact = FALSE, correct = FALSE)
  n1 <- length(a); n2 <- length(b); N <- n1 + n2
  ties <- table(rank(c(a, b)))
  sigma <- sqrt(n1 * n2 / 12 * ((N + 1) - sum(ties^3 - ties) / (N * (N - 1))))
  list(res = res, z = (unname(res$statistic) - n1 * n2 / 2) / sigma)
}

# kind: normal (t-test / ANOVA), nonnormal (Mann-Whitney / Kruskal-Wallis) or spss (Levene chooses the
# T-TEST row). mann_whitney: "r" (wilcox.test's default: exact when n < 50 without ties, else the normal
# approximation with continuity correction) or "spss" (asymptotic, tie-corrected, uncorrected).
# levels: the groups' order (R's factor order, alphabetical, when NULL).
characteristics_continuous_test <- function(x, group, kind = "normal", var_equal = FALSE,
                                            mann_whitney = "r", levels = NULL) {
  group <- if (is.null(levels)) factor(group) else factor(group, levels = levels)
  n <- sum(!is.na(x))
  blank <- list(n = n, min_expected = NA_real_, share_expected_below_5 = NA_real_)
  if (kind == "spss") return(c(characteristics_spss_means(x, group), blank))
  extra <- list()
  if (nlevels(group) == 2L) {
    g <- levels(group)
    a <- x[group == g[1]]
    b <- x[group == g[2]]
    if (kind == "normal") {
      res <- stats::t.test(a, b, var.equal = var_equal)
      extra <- list(spss = paste0("t-test, Equal variances ", if (var_equal) "assumed" else "not assumed"))
    } else if (mann_whitney == "spss") {
      mw <- characteristics_mann_whitney_spss(a, b)
      res <- mw$res
      extra <- list(z = mw$z, spss = "Mann-Whitney U, Asymp. Sig. (2-tailed)")
    } else {
      res <- suppressWarnings(stats::wilcox.test(a, b, exact = NULL, correct = TRUE))
    }
    # W (and U) count the pairs in which the first group's value is the larger (ties 1/2): name that group,
    # which is R's factor order (alphabetical) unless the table's order was given
    if (kind != "normal") extra[c("w_group", "w_other")] <- list(g[1], g[2])
  } else {
    res <- if (kind == "normal") stats::oneway.test(x ~ group, var.equal = var_equal)
           else stats::kruskal.test(x, group)
    extra <- list(spss = if (kind != "normal") "Kruskal-Wallis H, Asymp. Sig."
                         else if (var_equal) "ANOVA" else "Robust Tests of Equality of Means: Welch")
  }
  c(list(test = if (kind == "normal") (if (nlevels(group) == 2L) (if (var_equal) "student" else "welch") else "anova")
                else (if (nlevels(group) == 2L) "mann-whitney" else "kruskal-wallis"),
         method = res$method,
         statistic = unname(res$statistic),
         df = if (is.null(res$parameter)) NA_real_ else unname(res$parameter[1]),
         df2 = if (length(res$parameter) > 1L) unname(res$parameter[2L]) else NA_real_,
         p = res$p.value), blank, extra)
}
