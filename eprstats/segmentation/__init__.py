"""Regions of interest in millimetres: resampling to 1 mm, the peritumoral ring, tumour plus ring, QC.

* :func:`~eprstats.segmentation.resample.resample_image` / :func:`~eprstats.segmentation.resample.resample_mask`
* :func:`~eprstats.segmentation.rois.derive_rois` / :func:`~eprstats.segmentation.rois.roi_volumes_ml`
* :func:`~eprstats.segmentation.qc.qc_table` and the overlay figure
"""
