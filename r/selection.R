# Feature selection for signatures: fold ids, LASSO by glmnet::cv.glmnet, and the multivariable logistic
# regression (stats::glm) on the selected features. Called from eprstats/selection/lasso.py and
# signature.py. The seed is set by the Python bridge right before selection_cv_glmnet is called, so the
# fold ids below are the first draws after set.seed(seed).

# Fold ids for `y` (0/1). Stratified: the rows are put in a random order within each class, classes one
# after the other, and fold labels 1..nfolds are dealt in turn along that order, so that every fold gets
# events and non-events in the cohort's proportions (to within one); the labels are then permuted so that
# which fold is short is random too. Unstratified: sample(rep(1:nfolds, length.out = n)), as cv.glmnet
# itself does. With `groups` (e.g. patients whose slices are the rows), ids are drawn per group, using
# the group's outcome, and every row of a group gets its group's fold.
selection_foldid <- function(y, nfolds = 10L, stratified = TRUE, groups = NULL) {
  nfolds <- as.integer(nfolds)
  if (!is.null(groups)) {
    groups <- as.character(groups)
    ug <- unique(groups)
    yg <- as.numeric(y[match(ug, groups)])
    fg <- selection_foldid(yg, nfolds, stratified, NULL)
    return(fg[match(groups, ug)])
  }
  n <- length(y)
  if (!stratified) return(sample(rep(seq_len(nfolds), length.out = n)))
  ord <- order(y, stats::runif(n))
  foldid <- integer(n)
  foldid[ord] <- rep(seq_len(nfolds), length.out = n)
  perm <- sample.int(nfolds)
  perm[foldid]
}

# cv.glmnet (binomial, alpha = 1, deviance) with fold ids drawn here from the seed set just before.
# Returns the lambdas, the coefficients at lambda.min and lambda.1se, the path and the CV curve.
selection_cv_glmnet <- function(x, y, nfolds = 10L, stratified = TRUE, groups = NULL,
                                type_measure = "deviance", standardize = TRUE) {
  x <- as.matrix(x)
  foldid <- selection_foldid(y, nfolds, stratified, groups)
  cv <- glmnet::cv.glmnet(x, y, family = "binomial", alpha = 1, foldid = foldid,
                          type.measure = type_measure, standardize = standardize)
  at <- function(s) {
    b <- as.matrix(stats::coef(cv, s = s))
    stats::setNames(as.numeric(b[, 1]), rownames(b))
  }
  fit <- cv$glmnet.fit
  beta <- as.matrix(fit$beta)
  path <- data.frame(step = rep(seq_along(fit$lambda), each = nrow(beta)),
                     lambda = rep(fit$lambda, each = nrow(beta)),
                     feature = rep(rownames(beta), times = length(fit$lambda)),
                     coefficient = as.numeric(beta), stringsAsFactors = FALSE)
  curve <- data.frame(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd, cvup = cv$cvup, cvlo = cv$cvlo,
                      nzero = as.integer(cv$nzero))
  list(lambda_min = cv$lambda.min, lambda_1se = cv$lambda.1se, coef_min = as.list(at("lambda.min")),
       coef_1se = as.list(at("lambda.1se")), path = path, curve = curve, foldid = as.integer(foldid),
       measure = unname(cv$name))
}

# Multivariable logistic regression (glm, binomial) of `outcome` on `predictors`: the coefficient table.
selection_glm <- function(data, outcome, predictors) {
  g <- stats::glm(models_formula(outcome, predictors), data = data, family = stats::binomial())
  b <- stats::coef(g)
  if (anyNA(b)) {
    return(list(aliased = names(b)[is.na(b)]))
  }
  s <- summary(g)$coefficients
  data.frame(term = c("(Intercept)", predictors), estimate = unname(s[, 1]), se = unname(s[, 2]),
             z = unname(s[, 3]), p = unname(s[, 4]), converged = g$converged, stringsAsFactors = FALSE)
}
