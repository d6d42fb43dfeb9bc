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
       share_expected_below_5 = mean(e < 5))
}

# Normality by Shapiro-Wilk in each group (3 <= n <= 5000, as shapiro.test requires).
characteristics_is_normal <- function(x, group, alpha = 0.05) {
  all(vapply(split(x, group), function(v) {
    v <- v[!is.na(v)]
    if (length(v) < 3L || length(v) > 5000L || length(unique(v)) < 3L) return(FALSE)
    stats::shapiro.test(v)$p.value > alpha
  }, logical(1)))
}

characteristics_continuous_test <- function(x, group, kind = "normal", var_equal = FALSE) {
  group <- factor(group)
  if (nlevels(group) == 2L) {
    g <- levels(group)
    a <- x[group == g[1]]
    b <- x[group == g[2]]
    res <- if (kind == "normal") stats::t.test(a, b, var.equal = var_equal)
           else suppressWarnings(stats::wilcox.test(a, b, exact = NULL, correct = TRUE))
  } else {
    res <- if (kind == "normal") stats::oneway.test(x ~ group, var.equal = var_equal)
           else stats::kruskal.test(x, group)
  }
  list(test = if (kind == "normal") (if (nlevels(group) == 2L) (if (var_equal) "student" else "welch") else "anova")
              else (if (nlevels(group) == 2L) "mann-whitney" else "kruskal-wallis"),
       method = res$method,
       statistic = unname(res$statistic),
       df = if (is.null(res$parameter)) NA_real_ else unname(res$parameter[1]),
       p = res$p.value,
       n = sum(!is.na(x)),
       min_expected = NA_real_,
       share_expected_below_5 = NA_real_)
}
