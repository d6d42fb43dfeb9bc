# Helpers the Python bridge (eprstats/rbridge.py) relies on. Sourced, like every file in r/, into
# eprstats' own environment, never into R's global environment.

# Call `fname` with arguments already bound to symbols in `callenv`, so that model objects record
# symbols (fit$call is `lrm(formula, data = data)`), not deparsed data. Errors come back as a
# classed list (the bridge re-raises them in Python with R's message); warnings are collected and
# muffled, and returned beside the value so that Python can re-issue them.
.eprstats_call <- function(fname, argnames, callenv) {
  collected <- character()
  fn_call <- as.call(c(list(str2lang(fname)),
                       setNames(lapply(argnames, as.name),
                                ifelse(startsWith(argnames, ".pos"), "", argnames))))
  value <- withCallingHandlers(
    tryCatch(eval(fn_call, envir = callenv),
             error = function(e) structure(
               list(message = conditionMessage(e),
                    call = paste(deparse(conditionCall(e), nlines = 1L), collapse = "")),
               class = "eprstats_error")),
    warning = function(w) {
      collected <<- c(collected, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(value = value, warnings = collected)
}

.eprstats_package_versions <- function(pkgs) {
  vapply(pkgs, function(p) {
    if (requireNamespace(p, quietly = TRUE)) as.character(utils::packageVersion(p)) else NA_character_
  }, character(1))
}
