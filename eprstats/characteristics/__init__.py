"""Table 1: the patients' baseline characteristics, by outcome within each cohort and between cohorts."""
from .table1 import Table1, table1  # noqa: F401
from .tests import RULES, categorical_test, continuous_test  # noqa: F401
