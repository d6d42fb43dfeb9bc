"""Model evaluation: discrimination (ROC, DeLong), models and nomograms, calibration, reclassification, decision curves."""
