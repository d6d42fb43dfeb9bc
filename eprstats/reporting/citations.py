"""What to cite for a result of eprstats: the software that computed it, with the versions used, and the paper
whose design the demo follows. ``eprstats doctor`` prints it for the installed versions and ``report.html``
for the versions of the run (README, "How to cite"; CITATION.cff cites eprstats itself)."""
from __future__ import annotations

#: (name, key of :func:`eprstats.reporting.provenance.software_versions`, reference). The version printed is
#: the one installed (doctor) or recorded by the run (report), never a hard-coded one.
SOFTWARE = (
    ("eprstats", "eprstats", "the eprstats authors. eprstats: deep-learning radiomics studies from MRI to "
     "publication tables (BSD-3-Clause; CITATION.cff)"),
    ("R", "R", "R Core Team. R: A Language and Environment for Statistical Computing. R Foundation for Statistical "
     "Computing, Vienna, Austria"),
    ("pyradiomics", "pyradiomics-bhklab", "van Griethuysen JJM, Fedorov A, Parmar C, et al. Computational radiomics "
     "system to decode the radiographic phenotype. Cancer Res 2017;77(21):e104-e107. "
     "doi:10.1158/0008-5472.CAN-17-0339"),
    ("pROC", "R:pROC", "Robin X, Turck N, Hainard A, et al. pROC: an open-source package for R and S+ to analyze and "
     "compare ROC curves. BMC Bioinformatics 2011;12:77. doi:10.1186/1471-2105-12-77"),
    ("rms", "R:rms", "Harrell FE Jr. rms: Regression Modeling Strategies. R package, CRAN; and Harrell FE Jr. "
     "Regression Modeling Strategies, 2nd ed. Springer, 2015"),
    ("glmnet", "R:glmnet", "Friedman J, Hastie T, Tibshirani R. Regularization paths for generalized linear models "
     "via coordinate descent. J Stat Softw 2010;33(1):1-22. doi:10.18637/jss.v033.i01"),
    ("Hmisc", "R:Hmisc", "Harrell FE Jr. Hmisc: Harrell Miscellaneous. R package, CRAN"),
)

#: the study whose design, cohort sizes and published tables the demo follows (tables/published/)
SEED_PAPER = ("Wang J, Liu H, Li Y, Ma X, Chen H, Luo X, Zhou B, Liu X. Deep-learning radiomics and hand-crafted "
              "radiomics utilizing contrast-enhanced MRI to predict early peritumoral recurrence after DEB-TACE with "
              "hepatocellular carcinoma: a two-center study. Front Oncol 2025;15:1642828. "
              "doi:10.3389/fonc.2025.1642828")


def citations(versions: dict) -> list[tuple[str, str, str]]:
    """(name, version or 'not installed', reference) for each piece of software to cite, from ``versions``
    (the keys of :func:`eprstats.reporting.provenance.software_versions`)."""
    rows = []
    for name, key, reference in SOFTWARE:
        version = versions.get(key)
        if name == "R" and version:  # "R version 4.2.2 (2022-10-31)" -> "4.2.2"
            version = version.split()[2] if version.startswith("R version ") else version
        rows.append((name, str(version) if version else "not installed", reference))
    return rows


def citation_lines(versions: dict) -> list[str]:
    """Plain-text lines: one per software ("pROC 1.18.0: Robin X, ..."), then the seed paper."""
    return ([f"{name} {version}: {reference}." for name, version, reference in citations(versions)]
            + [f"the seed study (the demo's design): {SEED_PAPER}."])
