"""Model evaluation: discrimination (ROC, DeLong), logistic models and nomograms, calibration,
reclassification and decision curves."""
