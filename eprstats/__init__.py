"""eprstats: deep-learning radiomics studies from MRI to publication tables, statistics by R.

The sub-packages follow the Methods section of a radiomics paper, in the order a study walks through:

``cohort``        patients, the manifest and the study file, reading and validating images
``segmentation``  regions of interest: resampling, the peritumoral ring, tumour plus ring
``handcrafted``   pyradiomics features
``deep``          ResNet34 deep features
``selection``     ICC, preprocessing, mRMR, LASSO and signatures
``characteristics`` Table 1: the patients' baseline characteristics
``evaluation``    discrimination, models, calibration, reclassification, decision curves
``reporting``     tables in paper formats, figures, the report and provenance
``audit``         checking a paper's published numbers
``study``         the whole study in one command, and the demo cohort
"""

__version__ = "0.1.0"
