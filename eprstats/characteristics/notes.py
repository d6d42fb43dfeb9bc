"""Table 1's methods note: the tests behind its p-values, in words a methods section quotes."""
from __future__ import annotations

#: the note of an SPSS-style Table 1 (continuous_rule="spss")
SPSS_NOTE = ("Continuous variables: mean (SD), independent-samples t-test, the row of SPSS's T-TEST chosen by "
             "Levene's test (centred at the means): equal variances assumed when its P >= 0.05, else not "
             "assumed (Welch); more than two groups: ANOVA or Welch's test, chosen alike.")


#: the categorical test of each rule, in words
RULE_TEXT = {
    "textbook": ("Pearson's chi-square test, Yates' continuity-corrected chi-square test or Fisher's exact test, "
                 "chosen by n and the expected counts E (2x2 tables: Pearson when n >= 40 and every E >= 5, Yates "
                 "when n >= 40 and some E is between 1 and 5, Fisher otherwise; larger tables: Pearson unless any "
                 "E < 1 or more than 20% of the E are below 5, then Fisher; Cochran 1954)"),
    "pearson": "Pearson's chi-square test without continuity correction",
    "yates": "the chi-square test with Yates' continuity correction (2x2 tables; larger tables without)",
    "fisher": "Fisher's exact test",
}


def table1_note(settings: dict) -> str:
    """Table 1's methods, in words a methods section quotes (R's tests: stats::chisq.test, fisher.test ...)."""
    s = settings
    t = "Student's t-test" if s.get("var_equal") else "Welch's t-test"
    mw = ("the Mann-Whitney U test (asymptotic P, tie-corrected variance, no continuity correction, as SPSS's "
          "Asymp. Sig.)" if s.get("mann_whitney") == "spss" else
          "the Mann-Whitney U test (stats::wilcox.test: exact when both groups have fewer than 50 patients and "
          "no ties, else the normal approximation with continuity correction)")
    continuous = {"shapiro": f"mean (SD) and {t} when the Shapiro-Wilk test (P > 0.05) finds every group normal, "
                             f"otherwise median (IQR) and {mw}",
                  "normal": f"mean (SD) and {t}", "nonnormal": f"median (IQR) and {mw}"}
    rule = s.get("continuous_rule", "shapiro")
    text = (f"Categorical variables: n (%) of the patients with a known value, P by "
            f"{RULE_TEXT[s.get('rule', 'textbook')]}. ")
    text += SPSS_NOTE if rule == "spss" else f"Continuous variables: {continuous[rule]}."
    forced = {k: [v for v, t_ in (s.get("types") or {}).items() if t_ == k] for k in ("normal", "nonnormal")}
    text += "".join(f" {', '.join(v)}: {continuous[k]}." for k, v in forced.items() if v)
    if len(s.get("cohorts") or []) > 2 and rule != "spss":
        anova = "one-way ANOVA" if s.get("var_equal") else "Welch's one-way ANOVA"
        text += (f" More than two cohorts: {anova} in place of the t-test, the Kruskal-Wallis test in place of the "
                 "Mann-Whitney U test.")
    if s.get("cohort_col") is not None:
        text += " P between cohorts: the same tests between the cohorts, all patients of each."
    return text + " Missing values are counted and left out of the tests."
