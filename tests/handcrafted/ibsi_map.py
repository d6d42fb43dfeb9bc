"""pyradiomics feature -> IBSI 1 digital-phantom reference tag (3-D, averaged over directions where IBSI
distinguishes), from pyradiomics' documentation and the IBSI reference manual. ``transform`` converts our
value to IBSI's definition where they differ by a constant (pyradiomics' kurtosis is not excess kurtosis)."""

IBSI_MAP = {
    # shape (morphology)
    "original_shape_MeshVolume": "morph_volume", "original_shape_VoxelVolume": "morph_vol_approx",
    "original_shape_SurfaceArea": "morph_area_mesh", "original_shape_SurfaceVolumeRatio": "morph_av",
    "original_shape_Sphericity": "morph_sphericity", "original_shape_Maximum3DDiameter": "morph_diam",
    "original_shape_MajorAxisLength": "morph_pca_maj_axis", "original_shape_MinorAxisLength": "morph_pca_min_axis",
    "original_shape_LeastAxisLength": "morph_pca_least_axis", "original_shape_Elongation": "morph_pca_elongation",
    "original_shape_Flatness": "morph_pca_flatness",
    # first order (statistics; entropy and uniformity are IBSI intensity-histogram features)
    "original_firstorder_Mean": "stat_mean", "original_firstorder_Variance": "stat_var",
    "original_firstorder_Skewness": "stat_skew", "original_firstorder_Kurtosis": "stat_kurt",
    "original_firstorder_Median": "stat_median", "original_firstorder_Minimum": "stat_min",
    "original_firstorder_10Percentile": "stat_p10", "original_firstorder_90Percentile": "stat_p90",
    "original_firstorder_Maximum": "stat_max", "original_firstorder_InterquartileRange": "stat_iqr",
    "original_firstorder_Range": "stat_range", "original_firstorder_MeanAbsoluteDeviation": "stat_mad",
    "original_firstorder_RobustMeanAbsoluteDeviation": "stat_rmad", "original_firstorder_Energy": "stat_energy",
    "original_firstorder_RootMeanSquared": "stat_rms", "original_firstorder_Entropy": "ih_entropy",
    "original_firstorder_Uniformity": "ih_uniformity",
    # GLCM, 3-D, features averaged over the 13 directions
    **{f"original_glcm_{k}": f"cm_{v}_3D_avg" for k, v in {
        "MaximumProbability": "joint_max", "JointAverage": "joint_avg", "SumSquares": "joint_var",
        "JointEntropy": "joint_entr", "DifferenceAverage": "diff_avg", "DifferenceVariance": "diff_var",
        "DifferenceEntropy": "diff_entr", "SumAverage": "sum_avg", "SumEntropy": "sum_entr",
        "JointEnergy": "energy", "Contrast": "contrast", "Id": "inv_diff", "Idn": "inv_diff_norm",
        "Idm": "inv_diff_mom", "Idmn": "inv_diff_mom_norm", "InverseVariance": "inv_var",
        "Correlation": "corr", "Autocorrelation": "auto_corr", "ClusterTendency": "clust_tend",
        "ClusterShade": "clust_shade", "ClusterProminence": "clust_prom", "Imc1": "info_corr1",
        "Imc2": "info_corr2"}.items()},
    # GLRLM, 3-D, averaged over directions
    **{f"original_glrlm_{k}": f"rlm_{v}_3D_avg" for k, v in {
        "ShortRunEmphasis": "sre", "LongRunEmphasis": "lre", "LowGrayLevelRunEmphasis": "lgre",
        "HighGrayLevelRunEmphasis": "hgre", "ShortRunLowGrayLevelEmphasis": "srlge",
        "ShortRunHighGrayLevelEmphasis": "srhge", "LongRunLowGrayLevelEmphasis": "lrlge",
        "LongRunHighGrayLevelEmphasis": "lrhge", "GrayLevelNonUniformity": "glnu",
        "GrayLevelNonUniformityNormalized": "glnu_norm", "RunLengthNonUniformity": "rlnu",
        "RunLengthNonUniformityNormalized": "rlnu_norm", "RunPercentage": "r_perc",
        "GrayLevelVariance": "gl_var", "RunVariance": "rl_var", "RunEntropy": "rl_entr"}.items()},
    # GLSZM, 3-D
    **{f"original_glszm_{k}": f"szm_{v}_3D" for k, v in {
        "SmallAreaEmphasis": "sze", "LargeAreaEmphasis": "lze", "LowGrayLevelZoneEmphasis": "lgze",
        "HighGrayLevelZoneEmphasis": "hgze", "SmallAreaLowGrayLevelEmphasis": "szlge",
        "SmallAreaHighGrayLevelEmphasis": "szhge", "LargeAreaLowGrayLevelEmphasis": "lzlge",
        "LargeAreaHighGrayLevelEmphasis": "lzhge", "GrayLevelNonUniformity": "glnu",
        "GrayLevelNonUniformityNormalized": "glnu_norm", "SizeZoneNonUniformity": "zsnu",
        "SizeZoneNonUniformityNormalized": "zsnu_norm", "ZonePercentage": "z_perc",
        "GrayLevelVariance": "gl_var", "ZoneVariance": "zs_var", "ZoneEntropy": "zs_entr"}.items()},
    # NGTDM, 3-D
    **{f"original_ngtdm_{k}": f"ngt_{k.lower()}_3D" for k in
       ("Coarseness", "Contrast", "Busyness", "Complexity", "Strength")},
    # GLDM (alpha 0, distance 1) = IBSI NGLDM, 3-D
    **{f"original_gldm_{k}": f"ngl_{v}_3D" for k, v in {
        "SmallDependenceEmphasis": "lde", "LargeDependenceEmphasis": "hde", "LowGrayLevelEmphasis": "lgce",
        "HighGrayLevelEmphasis": "hgce", "SmallDependenceLowGrayLevelEmphasis": "ldlge",
        "SmallDependenceHighGrayLevelEmphasis": "ldhge", "LargeDependenceLowGrayLevelEmphasis": "hdlge",
        "LargeDependenceHighGrayLevelEmphasis": "hdhge", "GrayLevelNonUniformity": "glnu",
        "DependenceNonUniformity": "dcnu", "DependenceNonUniformityNormalized": "dcnu_norm",
        "GrayLevelVariance": "gl_var", "DependenceVariance": "dc_var", "DependenceEntropy": "dc_entr"}.items()},
}

TRANSFORM = {"original_firstorder_Kurtosis": lambda v: v - 3.0}  # IBSI reports excess kurtosis

#: IBSI config for the digital phantom: no resampling, no re-discretisation (its grey levels are already
#: integers, so a bin width of 1 keeps them), 3-D texture with distance 1.
IBSI_PHANTOM_SETTINGS = {
    "setting": {"binWidth": 1, "label": 1, "minimumROIDimensions": 1, "padDistance": 0,
                "gldm_a": 0, "distances": [1]},
    "imageType": {"Original": {}},
    "featureClass": {c: None for c in ("shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm")},
}


def rounding_halfwidth(text: str) -> float:
    """Half a unit of the last significant digit of an IBSI reference value.

    IBSI reports consensus values to 3 significant figures ("1490", "0.0411"); a value printed with more
    decimals than that ("13.1" is 3; "0.00963" is 3) keeps its own last digit. So "1490" -> 5, "556" -> 0.5,
    "0.0411" -> 0.00005, "1" (an exact count) -> 0.005.
    """
    import math
    value = abs(float(text))
    if value == 0:
        return 0.0
    sig3 = 0.5 * 10.0 ** (math.floor(math.log10(value)) - 2)
    t = text.strip().lower().lstrip("-")
    mantissa, _, exp = t.partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    printed = 0.5 * 10.0 ** (-decimals + (int(exp) if exp else 0))
    return min(sig3, printed) if "." in mantissa else sig3
