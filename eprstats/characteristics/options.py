"""The choices of Table 1's options (a module of its own, so that the command line's help loads no pandas)."""

#: variable types a user may force with --type
TYPES = ("categorical", "continuous", "normal", "nonnormal")
#: categorical test rules (see :mod:`eprstats.characteristics.tests`)
RULES = ("textbook", "pearson", "yates", "fisher")
#: how continuous variables choose mean (SD) + t-test or median (IQR) + Mann-Whitney; "spss": mean (SD) and
#: the row of SPSS's T-TEST that Levene's test (mean-centred) chooses
CONTINUOUS_RULES = ("shapiro", "normal", "nonnormal", "spss")
#: the Mann-Whitney p: R's wilcox.test, or SPSS's asymptotic "Asymp. Sig. (2-tailed)"
MANN_WHITNEY = ("r", "spss")
