"""Feature selection and signature building: preprocessing (training-fitted outlier replacement and
z-scoring), mRMR ranking, LASSO by glmnet::cv.glmnet, the logistic-regression signature, and ICC
reproducibility filtering with pingouin."""
