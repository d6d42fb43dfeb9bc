# SPSS's LOGISTIC REGRESSION stepwise methods (METHOD = FSTEP / BSTEP with WALD, LR or COND removal),
# replicated with glm refits. Called from eprstats/evaluation/models_spss.py.
#
# Definitions follow IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION, "Stepwise Variable Selection":
#   entry:   the score statistic S = U' (I_zz - I_zc I_cc^-1 I_cz)^-1 U, U = Z'(y - p), of the term's
#            columns Z given the current model (p, I = X'WX at the current estimates);
#   removal: WALD  W = b_g' V_gg^-1 b_g (= (B/SE)^2 for one column);
#            LR    -2 (l(reduced model refitted) - l(current model));
#            COND  -2 (l(b~) - l(current model)), b~ the conditional estimates of the remaining
#                  parameters (constant included) b~ = b_r - V_rg V_gg^-1 b_g, b_g = 0 (no refit; Lawless
#                  and Singhal's approximation);
#   a term enters when the smallest score p is < PIN, leaves when the largest removal p is > POUT; the
#   procedure stops when neither happens or when the next model would repeat an earlier one.
# A categorical term is coded as SPSS's /CATEGORICAL default (Indicator contrast, last category the
# reference): columns term(1) .. term(k-1), entered and removed together with k - 1 df.

.spss_ll <- function(eta, y) sum(y * eta - (pmax(eta, 0) + log1p(exp(-abs(eta)))))

# The design: "(Constant)" then each term's columns; `levels` names the categorical terms' categories
# in SPSS's order (the last one is the reference).
spss_design <- function(data, terms, levels) {
  cols <- list()
  X <- matrix(1, nrow(data), 1, dimnames = list(NULL, "(Constant)"))
  for (t in terms) {
    if (!is.null(levels[[t]])) {
      lv <- as.character(levels[[t]])
      z <- vapply(lv[-length(lv)], function(l) as.numeric(as.character(data[[t]]) == l), numeric(nrow(data)))
      z <- matrix(z, nrow(data))
      colnames(z) <- sprintf("%s(%d)", t, seq_len(ncol(z)))
    } else {
      z <- matrix(as.numeric(data[[t]]), ncol = 1, dimnames = list(NULL, t))
    }
    cols[[t]] <- colnames(z)
    X <- cbind(X, z)
  }
  list(X = X, cols = cols)
}

# The fit of the model with `terms`. `crit` says how:
# * crit$estimation == "spss": SPSS's own iteration (IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION,
#   "Maximum Likelihood Estimates"; the CRITERIA subcommand): Newton-Raphson from b = 0 (every parameter,
#   the constant included, in every block), b_(t+1) = b_t + (X'W_t X)^-1 X'(y - p_t), stopped at the first
#   iteration t where every |b_(t+1) - b_t| < BCON (default .001), or where the log likelihood changed by
#   less than LCON (relative; default 0, i.e. off), or after ITERATE iterations (default 20). Every printed
#   number (B, S.E., Wald, -2LL, scores, Hosmer-Lemeshow, classification) is then computed at that last
#   iterate b_(t+1): this reproduces every number of the published SPSS output in shared/data/spss (and
#   SPSS's "Estimation terminated at iteration number k" footnotes), where the fully converged maximum
#   misses three of them by one unit of the last printed digit (docs/spss.md).
# * crit$estimation == "ml": the maximum (glm.fit to a 1e-14 relative deviance change), for R oracles.
# EPS (default 1e-8): a column whose tolerance (1 - R^2 on the model's other columns) is below it is
# redundant, as SPSS's redundancy check; the fit stops with the columns named.
.spss_default_crit <- function() list(estimation = "spss", iterate = 20L, bcon = 0.001, lcon = 0, eps = 1e-8)

.spss_redundant <- function(Xs, eps) {
  if (ncol(Xs) < 2L) return(character())
  out <- character()
  for (j in seq_len(ncol(Xs))[-1]) {
    others <- Xs[, setdiff(seq_len(ncol(Xs)), j), drop = FALSE]
    r <- stats::lm.fit(others, Xs[, j])$residuals
    total <- sum((Xs[, j] - mean(Xs[, j]))^2)
    if (total <= 0 || sum(r^2) / total < eps) out <- c(out, colnames(Xs)[j])
  }
  out
}

.spss_newton <- function(Xs, y, crit) {
  b <- stats::setNames(numeric(ncol(Xs)), colnames(Xs))
  ll_prev <- .spss_ll(drop(Xs %*% b), y)
  hist <- list()
  why <- "maximum iterations"
  for (it in seq_len(crit$iterate)) {
    p <- stats::plogis(drop(Xs %*% b))
    info <- crossprod(Xs, (p * (1 - p)) * Xs)
    delta <- tryCatch(drop(solve(info, crossprod(Xs, y - p))), error = function(e) NULL)
    if (is.null(delta) || any(!is.finite(delta)))
      stop(sprintf(paste("the estimates diverged at iteration %d (the information matrix is singular):",
                         "complete or quasi-complete separation"), it))
    b <- b + delta
    ll <- .spss_ll(drop(Xs %*% b), y)
    hist[[it]] <- c(iteration = it, minus2ll = -2 * ll, b)
    if (all(abs(delta) < crit$bcon)) { why <- "parameter estimates"; break }
    if (crit$lcon > 0 && abs(ll - ll_prev) < crit$lcon * abs(ll_prev)) { why <- "log likelihood"; break }
    ll_prev <- ll
  }
  list(b = b, iterations = it, why = why, history = do.call(rbind, hist))
}

.spss_fit <- function(d, y, terms, crit = .spss_default_crit()) {
  cols <- c("(Constant)", unlist(d$cols[terms], use.names = FALSE))
  Xs <- d$X[, cols, drop = FALSE]
  red <- .spss_redundant(Xs, crit$eps)
  if (length(red)) stop(sprintf("the columns %s are collinear with the other terms of the model (tolerance %s %g)",
                                paste(red, collapse = ", "), "below EPS =", crit$eps))
  if (identical(crit$estimation, "ml")) {
    g <- stats::glm.fit(Xs, y, family = stats::binomial(),
                        control = stats::glm.control(epsilon = 1e-14, maxit = 100))
    b <- g$coefficients
    if (anyNA(b)) stop(sprintf("the columns %s are collinear with the other terms of the model",
                               paste(names(b)[is.na(b)], collapse = ", ")))
    it <- list(iterations = g$iter, why = "converged", history = NULL)
  } else {
    it <- .spss_newton(Xs, y, crit)
    b <- it$b
  }
  eta <- drop(Xs %*% b)
  p <- stats::plogis(eta)
  V <- solve(crossprod(Xs, (p * (1 - p)) * Xs))
  dimnames(V) <- list(cols, cols)
  list(terms = terms, X = Xs, b = b, V = V, p = p, ll = .spss_ll(eta, y), iterations = it$iterations,
       why = it$why, iteration_history = it$history)
}

# SPSS's footnote to the Model Summary.
.spss_termination <- function(f, crit) {
  at <- sprintf("Estimation terminated at iteration number %d because", f$iterations)
  switch(f$why,
         "parameter estimates" = sprintf("%s parameter estimates changed by less than %s.", at, .spss_num(crit$bcon)),
         "log likelihood" = sprintf("%s -2 Log likelihood decreased by less than %s percent.", at,
                                    .spss_num(100 * crit$lcon)),
         "maximum iterations" = sprintf("%s maximum iterations has been reached. Final solution cannot be found.", at),
         sprintf("Maximum likelihood (converged after %d iterations).", f$iterations))
}

# A criterion as SPSS prints it: .001, not 0.001.
.spss_num <- function(x) sub("^0\\.", ".", format(x, scientific = FALSE, drop0trailing = TRUE))

.spss_pchisq <- function(x, df) stats::pchisq(x, df, lower.tail = FALSE)

# Score statistic for adding the columns `zcols` to the fitted model `f`.
.spss_score <- function(d, y, f, zcols) {
  Z <- d$X[, zcols, drop = FALSE]
  w <- f$p * (1 - f$p)
  U <- crossprod(Z, y - f$p)
  Izc <- crossprod(Z, w * f$X)
  Vz <- crossprod(Z, w * Z) - Izc %*% solve(crossprod(f$X, w * f$X), t(Izc))
  drop(crossprod(U, solve(Vz, U)))
}

# Removal statistic of `term` in the fitted model `f`: c(statistic, log likelihood of the reduced model).
.spss_removal <- function(d, y, f, term, removal, crit = .spss_default_crit()) {
  g <- d$cols[[term]]
  bg <- f$b[g]
  if (removal == "wald") return(c(drop(crossprod(bg, solve(f$V[g, g, drop = FALSE], bg))), NA_real_))
  if (removal == "lr") {
    ll <- .spss_fit(d, y, setdiff(f$terms, term), crit)$ll
  } else {
    b <- f$b
    r <- setdiff(names(b), g)
    b[r] <- b[r] - drop(f$V[r, g, drop = FALSE] %*% solve(f$V[g, g, drop = FALSE], bg))
    b[g] <- 0
    ll <- .spss_ll(drop(f$X %*% b), y)
  }
  c(-2 * (ll - f$ll), ll)
}

# The tables SPSS prints for one step: Variables in the Equation, Variables not in the Equation (with
# Overall Statistics), Model if Term Removed (LR and COND only), and the classification at `cut`.
.spss_snapshot <- function(d, y, f, terms, step, removal, cut, conf, crit = .spss_default_crit(), hl_groups = 10L) {
  z <- stats::qnorm(0.5 + conf / 2)
  row <- function(term, b, se, wald, df) data.frame(step = step, term = term, B = b, SE = se, Wald = wald,
                                                    df = df, Sig = .spss_pchisq(wald, df), ExpB = exp(b),
                                                    ci_low = exp(b - z * se), ci_high = exp(b + z * se))
  in_eq <- list()
  for (t in intersect(terms, f$terms)) {
    g <- d$cols[[t]]
    if (length(g) > 1) {
      w <- drop(crossprod(f$b[g], solve(f$V[g, g], f$b[g])))
      in_eq[[length(in_eq) + 1]] <- row(t, NA_real_, NA_real_, w, length(g))
    }
    for (cname in g) {
      se <- sqrt(f$V[cname, cname])
      in_eq[[length(in_eq) + 1]] <- row(cname, f$b[[cname]], se, (f$b[[cname]] / se)^2, 1L)
    }
  }
  se0 <- sqrt(f$V[1, 1])
  in_eq[[length(in_eq) + 1]] <- row("Constant", f$b[[1]], se0, (f$b[[1]] / se0)^2, 1L)
  out <- setdiff(terms, f$terms)
  not_in <- list()
  for (t in out) {
    g <- d$cols[[t]]
    if (length(g) > 1) not_in[[length(not_in) + 1]] <- c(t, .spss_score(d, y, f, g), length(g))
    for (cname in g) not_in[[length(not_in) + 1]] <- c(cname, .spss_score(d, y, f, cname), 1)
  }
  if (length(out)) {
    allz <- unlist(d$cols[out], use.names = FALSE)
    not_in[[length(not_in) + 1]] <- c("Overall Statistics", .spss_score(d, y, f, allz), length(allz))
  }
  not_in <- if (length(not_in)) {
    m <- do.call(rbind, not_in)
    s <- as.numeric(m[, 2]); df <- as.numeric(m[, 3])
    data.frame(step = step, term = m[, 1], Score = s, df = df, Sig = .spss_pchisq(s, df))
  } else data.frame(step = integer(), term = character(), Score = numeric(), df = numeric(), Sig = numeric())
  removed <- NULL
  if (removal %in% c("lr", "cond") && length(f$terms)) {
    r <- t(vapply(f$terms, function(t) .spss_removal(d, y, f, t, removal, crit), numeric(2)))
    df <- vapply(f$terms, function(t) length(d$cols[[t]]), numeric(1))
    removed <- data.frame(step = step, term = f$terms, model_log_likelihood = r[, 2], change_m2ll = r[, 1],
                          df = df, Sig = .spss_pchisq(r[, 1], df))
  }
  pred <- as.integer(f$p > cut)
  cls <- data.frame(step = step, observed = c(0L, 0L, 1L, 1L), predicted = c(0L, 1L, 0L, 1L),
                    n = c(sum(y == 0 & pred == 0), sum(y == 0 & pred == 1), sum(y == 1 & pred == 0),
                          sum(y == 1 & pred == 1)))
  hl <- hl_table <- NULL
  if (step > 0L) {
    h <- tryCatch(calibration_hosmer_lemeshow(f$p, y, g = hl_groups, grouping = "spss"), error = function(e) NULL)
    if (!is.null(h)) {
      hl <- data.frame(step = step, chi_square = h$statistic, df = h$df, Sig = h$p_value)
      tb <- h$table
      hl_table <- data.frame(step = step, group = seq_len(nrow(tb)), observed_0 = tb$observed_nonevents,
                             expected_0 = tb$expected_nonevents, observed_1 = tb$observed_events,
                             expected_1 = tb$expected_events, total = tb$n)
    }
  }
  iters <- NULL
  if (!is.null(f$iteration_history)) {
    ih <- f$iteration_history
    bcols <- colnames(ih)[-(1:2)]
    iters <- do.call(rbind, lapply(seq_len(nrow(ih)), function(i) {
      data.frame(step = step, iteration = ih[i, "iteration"], minus2ll = ih[i, "minus2ll"],
                 term = sub("^\\(Constant\\)$", "Constant", bcols), B = unname(ih[i, bcols]))
    }))
  }
  list(in_eq = do.call(rbind, in_eq), not_in = not_in, removed = removed, classification = cls, hl = hl,
       hl_table = hl_table, iterations = iters)
}

# The whole procedure. direction "bstep", "fstep" or "enter" (METHOD=ENTER: every term at step 1, no
# selection); removal "wald", "lr" or "cond"; estimation "spss" (SPSS's iteration with the CRITERIA
# iterate, bcon, lcon, eps) or "ml" (the converged maximum); hl_groups: the Hosmer-Lemeshow groups.
spss_stepwise <- function(data, outcome, terms, levels, direction = "bstep", removal = "cond",
                          pin = 0.05, pout = 0.10, cut = 0.5, conf = 0.95, max_steps = NULL,
                          estimation = "spss", iterate = 20L, bcon = 0.001, lcon = 0, eps = 1e-8,
                          hl_groups = 10L) {
  y <- as.numeric(data[[outcome]])
  d <- spss_design(data, terms, levels)
  n <- length(y)
  crit <- list(estimation = estimation, iterate = as.integer(iterate), bcon = bcon, lcon = lcon, eps = eps)
  if (is.null(max_steps)) max_steps <- 10L * (length(terms) + 1L)
  null <- .spss_fit(d, y, character(), crit)
  test_name <- c(wald = "Wald", lr = "LR", cond = "Conditional")[[removal]]
  hist <- list(); snaps <- list()
  record <- function(step, action, term, test, stat, df, p, f, prev) {
    m2 <- -2 * f$ll; m0 <- -2 * null$ll; mprev <- -2 * prev$ll
    cs <- 1 - exp((m2 - m0) / n)
    dfm <- length(f$b) - 1L; dfs <- (length(f$b) - length(prev$b))
    hist[[length(hist) + 1]] <<- data.frame(
      step = step, action = action, term = term, test = test, statistic = stat, df = df, p = p,
      minus2ll = m2, cox_snell_r2 = cs, nagelkerke_r2 = cs / (1 - exp(-m0 / n)),
      model_chisq = m0 - m2, model_df = dfm, model_p = if (dfm > 0) .spss_pchisq(m0 - m2, dfm) else NA_real_,
      step_chisq = mprev - m2, step_df = abs(dfs),
      step_p = if (dfs != 0) .spss_pchisq(abs(mprev - m2), abs(dfs)) else NA_real_, iterations = f$iterations,
      termination = .spss_termination(f, crit), stringsAsFactors = FALSE)
    snaps[[length(snaps) + 1]] <<- .spss_snapshot(d, y, f, terms, step, removal, cut, conf, crit, hl_groups)
  }
  record(0L, "constant only", "", "", NA_real_, NA_real_, NA_real_, null, null)
  cur <- null; step <- 0L; visited <- list(character())
  key <- function(s) paste(sort(s), collapse = "\r")
  if (direction %in% c("bstep", "enter")) {
    cur <- .spss_fit(d, y, terms, crit); step <- 1L
    record(step, "entered", paste(terms, collapse = ", "), "Enter", NA_real_, NA_real_, NA_real_, cur, null)
    visited <- c(visited, list(terms))
  }
  mode <- if (direction == "bstep") "remove" else "enter"
  stopped <- if (direction == "enter") "METHOD=ENTER: every term entered in one step" else
    "no term met the entry (PIN) or removal (POUT) criterion"
  while (direction != "enter" && step < max_steps) {
    if (mode == "remove") {
      if (!length(cur$terms)) { mode <- "enter"; next }
      stat <- vapply(cur$terms, function(t) .spss_removal(d, y, cur, t, removal, crit)[1], numeric(1))
      df <- vapply(cur$terms, function(t) length(d$cols[[t]]), numeric(1))
      p <- .spss_pchisq(stat, df)
      i <- order(-p, stat / df)[1]
      if (p[i] > pout) {
        new <- setdiff(cur$terms, cur$terms[i])
        if (key(new) %in% vapply(visited, key, "")) { stopped <- "the next model would repeat an earlier one"; break }
        prev <- cur; cur <- .spss_fit(d, y, new, crit); step <- step + 1L
        record(step, "removed", prev$terms[i], test_name, stat[i], df[i], p[i], cur, prev)
        visited <- c(visited, list(new))
        next
      }
      mode <- "enter"
    }
    out <- setdiff(terms, cur$terms)
    if (!length(out)) { stopped <- "every term is in the model and none met the removal (POUT) criterion"; break }
    stat <- vapply(out, function(t) .spss_score(d, y, cur, d$cols[[t]]), numeric(1))
    df <- vapply(out, function(t) length(d$cols[[t]]), numeric(1))
    p <- .spss_pchisq(stat, df)
    i <- order(p, -stat / df)[1]
    if (!(p[i] < pin)) break
    new <- intersect(terms, c(cur$terms, out[i]))
    if (key(new) %in% vapply(visited, key, "")) { stopped <- "the next model would repeat an earlier one"; break }
    prev <- cur; cur <- .spss_fit(d, y, new, crit); step <- step + 1L
    record(step, "entered", out[i], "Score", stat[i], df[i], p[i], cur, prev)
    visited <- c(visited, list(new))
    mode <- "remove"
  }
  if (step >= max_steps) stopped <- sprintf("the step limit (%d) was reached", max_steps)
  bind <- function(x) {
    x <- Filter(Negate(is.null), x)
    if (!length(x)) return(NULL)
    x <- do.call(rbind, x)
    rownames(x) <- NULL
    x
  }
  part <- function(k) bind(lapply(snaps, `[[`, k))
  list(history = bind(hist), in_equation = part("in_eq"), not_in_equation = part("not_in"),
       if_removed = part("removed"), classification = part("classification"), hosmer_lemeshow = part("hl"),
       hl_table = part("hl_table"), iteration_history = part("iterations"),
       kept = if (length(cur$terms)) cur$terms else character(), stopped = stopped)
}
