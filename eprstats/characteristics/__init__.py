"""Table 1: the patients' baseline characteristics, by outcome within each cohort and between cohorts."""
