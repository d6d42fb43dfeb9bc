"""The choices of Table 1's options (a module of its own, so that the command line's help loads no pandas)."""

#: variable types a user may force with --type
TYPES = ("categorical", "continuous", "normal", "nonnormal")
#: categorical test rules (see :mod:`eprstats.characteristics.tests`)
RULES = ("textbook", "pearson", "yates", "fisher")
#: how continuous variables choose mean (SD) + t-test or median (IQR) + Mann-Whitney
CONTINUOUS_RULES = ("shapiro", "normal", "nonnormal")
