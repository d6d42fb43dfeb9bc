"""Patients: the study file, the manifest, reading images and masks, and whole-cohort validation.

* :func:`~eprstats.cohort.study.load_study` reads a study YAML and its manifest CSV
  (keys in :data:`~eprstats.cohort.study.STUDY_KEYS`);
* :func:`~eprstats.cohort.images.read_image` / :func:`~eprstats.cohort.images.read_mask` read DICOM series,
  NIfTI, NRRD and 3D Slicer segmentations;
* :func:`~eprstats.cohort.validate.validate_cohort` checks every file of the cohort at once.
"""
