"""A synthetic two-centre multiphase MRI study shaped like the paper's (``eprstats demo``).

* 114 training (46 EPR / 68 non-EPR) and 43 external (20 / 23) patients;
* clinical variables whose counts per level, cohort and outcome group EQUAL the paper's Table 1
  (``tables/published/published_table1.csv``): within each cohort x outcome group the levels of each variable
  are repeated by their published counts and shuffled with the seed (variables independent of each other);
* AP, PVP and DP volumes (NIfTI, anisotropic 0.8 x 0.8 x 3 mm like MRI; 1 x 1 x 3 mm in ``small``) with a
  liver-like background, one lobulated tumour of realistic size (2-4 cm; 1.5-3 cm in ``small``) whose
  texture (heterogeneity) and rim enhancement differ by outcome, so that the models have signal;
* a tumour mask per phase, a second reader's mask and a repeated mask (boundary perturbed by ~1 voxel) for
  a random subset of ``n_icc`` patients (the paper's ICC sample), and a liver mask;
* a copy of the paper's audit folder (``published/``, shipped as ``eprstats/data/published``, a copy of
  ``tables/published``) named by the study file's ``published:``, so that the run compares its tables with
  the paper's printed numbers (Table 1 equal by construction, the rest different: synthetic images).

Everything here is synthetic: no number computed from it says anything about patients.
"""
from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.ndimage import gaussian_filter

from ..errors import InputError

DEMO_SEED = 20241127
PHASES = ("AP", "PVP", "DP")
GROUPS = {"train_non_epr": ("training", 0), "train_epr": ("training", 1),
          "external_non_epr": ("external", 0), "external_epr": ("external", 1)}
#: clinical column names in the manifest (Table 1's variable names, spaces kept as the paper prints them)
N_ICC = 30


def published_folder() -> Path:
    """The paper's audit folder shipped with the package (``eprstats/data/published``, a copy of
    ``tables/published``; docs/audit.md)."""
    folder = Path(__file__).resolve().parents[1] / "data" / "published"
    if not (folder / "published_table1.csv").is_file():
        raise InputError("the paper's audit folder (published_table1.csv ...) is not installed",
                         "reinstall eprstats from its source tree", file=str(folder))
    return folder


def published_table1_path() -> Path:
    """The paper's Table 1 counts shipped with the package (a copy of tables/published/published_table1.csv)."""
    return published_folder() / "published_table1.csv"


def clinical_from_counts(counts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Patients whose per-group level counts equal ``counts`` exactly, levels shuffled within each group."""
    frames = []
    for column, (cohort, y) in GROUPS.items():
        n = int(counts.groupby("variable", sort=False)[column].sum().iloc[0])
        group = pd.DataFrame({"cohort": [cohort] * n, "outcome": [y] * n})
        for variable, rows in counts.groupby("variable", sort=False):
            values = np.repeat(rows["level"].to_numpy(), rows[column].to_numpy().astype(int))
            group[variable] = rng.permutation(values)
        frames.append(group)
    data = pd.concat(frames, ignore_index=True)
    # Patients in a random order within each cohort (training first), ids T001.. / E001..
    parts = []
    for cohort, prefix in (("training", "T"), ("external", "E")):
        part = data[data["cohort"] == cohort].sample(frac=1.0, random_state=rng.integers(2**31)).reset_index(drop=True)
        part.insert(0, "id", [f"{prefix}{i + 1:03d}" for i in range(len(part))])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def scaled_counts(counts: pd.DataFrame, patients: int) -> pd.DataFrame:
    """The paper's Table 1 counts scaled to ``patients`` in all (for a cost curve, ``--patients``).

    Each cohort x outcome group keeps its share of the paper's 157 patients (largest remainder, at least 2
    per group so that every model and test can run), and within a group every variable's levels keep their
    shares (largest remainder again): the cohorts' sizes and event rates and the variables' distributions
    stay those of the paper. ``patients`` equal to the paper's total returns the counts unchanged."""
    groups = list(GROUPS)
    sizes = counts.groupby("variable", sort=False)[groups].sum().iloc[0].astype(int)
    total = int(sizes.sum())
    if patients == total:
        return counts.copy()
    if patients < 2 * len(groups):
        raise InputError(f"--patients {patients} is too few for a two-cohort study",
                         f"give at least {2 * len(groups)} patients")
    new_sizes = np.maximum(2, _largest_remainder(sizes.to_numpy() * patients / total, patients))
    out = counts.copy()
    for variable, rows in counts.groupby("variable", sort=False):
        for g, n in zip(groups, new_sizes):
            shares = rows[g].to_numpy(float) / max(rows[g].sum(), 1) * n
            out.loc[rows.index, g] = _largest_remainder(shares, int(n))
    return out


def _largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to ``total`` closest to ``shares`` (Hamilton's method; ties to the first)."""
    floor = np.floor(shares).astype(int)
    left = int(total - floor.sum())
    order = np.argsort(-(shares - floor), kind="stable")
    floor[order[:max(left, 0)]] += 1
    return floor


def _smooth_noise(rng, shape, sigma_vox):
    return gaussian_filter(rng.standard_normal(shape).astype(np.float32), sigma_vox)


def _tumour_field(shape, spacing, centre_mm, radii_mm, lobes):
    """Signed 'radius fraction' r/R(θ,φ) of a lobulated ellipsoid: < 1 inside."""
    z, y, x = np.meshgrid(*[np.arange(n, dtype=np.float32) * s for n, s in zip(shape, spacing[::-1])],
                          indexing="ij")
    dz, dy, dx = z - centre_mm[2], y - centre_mm[1], x - centre_mm[0]
    r = np.sqrt((dx / radii_mm[0]) ** 2 + (dy / radii_mm[1]) ** 2 + (dz / radii_mm[2]) ** 2) + 1e-6
    theta = np.arctan2(dy, dx)
    phi = np.arccos(np.clip(dz / (r * radii_mm[2]), -1, 1))
    wobble = 1.0 + sum(a * np.cos(k * theta + p) * np.sin(phi) for a, k, p in lobes)
    return r / wobble


def _patient_volumes(rng, epr: int, shape, spacing, diameter_mm):
    """Three phases (float32 arrays z,y,x) and masks (uint8) for one patient."""
    nz, ny, nx = shape
    extent = np.array([nx * spacing[0], ny * spacing[1], nz * spacing[2]])
    d = rng.uniform(*diameter_mm)
    radii = np.array([d / 2 * rng.uniform(0.9, 1.1), d / 2 * rng.uniform(0.9, 1.1),
                      d / 2 * rng.uniform(0.85, 1.0)])
    # Keep the tumour plus a 5 mm margin inside the field of view.
    lo, hi = radii + 5.0, extent - radii - 5.0
    centre = np.where(hi > lo, rng.uniform(np.minimum(lo, hi), np.maximum(lo, hi)), extent / 2)
    lobes = [(rng.uniform(0.02, 0.08), k, rng.uniform(0, 2 * np.pi)) for k in (2, 3, 5)]
    field = _tumour_field(shape, spacing, centre, radii, lobes)
    tumour = field < 1.0
    # Readers: boundary moved by a small scale change and sub-voxel shift (~1 voxel at the boundary).
    reader2 = _tumour_field(shape, spacing, centre + rng.normal(0, 0.4, 3), radii * rng.uniform(0.96, 1.04),
                            lobes) < 1.0
    repeat = _tumour_field(shape, spacing, centre + rng.normal(0, 0.25, 3), radii * rng.uniform(0.98, 1.02),
                           lobes) < 1.0
    # Liver: a large ellipsoid around the middle of the field that always holds the tumour and its ring.
    liver_field = _tumour_field(shape, spacing, extent / 2, extent * 0.55, [(0.03, 2, 0.0)])
    liver = (liver_field < 1.0) | (field < 1.6)
    ring = (field >= 1.0) & (field < 1.0 + 6.0 / (d / 2))  # a ~6 mm peritumoral shell for enhancement
    sig = 1.2 / np.array(spacing[::-1])
    phases = {}
    # Outcome effects through a latent patient-level risk z = 0.9 * EPR + N(0, 1) (AUC of z about 0.74), so
    # that the models are informative but not perfect:
    z = 0.9 * epr + rng.standard_normal()
    hetero = 0.12 * math.exp(0.25 * z)        # intratumoral heterogeneity
    rim = 0.10 * math.exp(0.35 * z)           # rim / peritumoral enhancement
    for phase, (bg, tum, rim_gain) in {"AP": (300, 380, 1.2), "PVP": (420, 360, 1.0), "DP": (400, 330, 0.6)}.items():
        img = np.full(shape, 60.0, dtype=np.float32)
        img[liver] = bg
        img *= 1.0 + 0.04 * _smooth_noise(rng, shape, sig * 3)
        texture = _smooth_noise(rng, shape, sig * 0.8)
        texture /= texture.std() + 1e-6
        img[tumour] = tum * (1.0 + hetero * texture[tumour])
        img[ring & liver] += bg * rim * rim_gain * (1.0 + 0.5 * texture[ring & liver])
        img += rng.normal(0, 6.0, shape).astype(np.float32)  # acquisition noise
        phases[phase] = np.clip(img, 0, None)
    masks = {"mask": tumour, "mask_reader2": reader2, "mask_repeat": repeat, "liver": liver}
    return phases, {k: v.astype(np.uint8) for k, v in masks.items()}, d


def _write(array, path: Path, spacing, dtype):
    import SimpleITK as sitk
    img = sitk.GetImageFromArray(array.astype(dtype))
    img.SetSpacing(tuple(float(s) for s in spacing))
    img.SetOrigin((0.0, 0.0, 0.0))
    path.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(img, str(path), True)


SMALL_RADIOMICS = """\
# eprstats demo --small: a REDUCED pyradiomics setting (original image; shape, first-order and GLCM features)
# so that the demo runs in about a minute. The paper's setting (944 features) is used without --small.
imageType:
  Original: {}
featureClass:
  shape:
  firstorder:
  glcm:
setting:
  binWidth: 5
  label: 1
"""


def _write_patient(out: Path, pid: str, outcome: int, icc: bool, seed: int, shape, spacing, diameter) -> dict:
    """Write one patient's phases and masks; return the manifest's file columns for the patient."""
    prng = np.random.default_rng([seed, int(pid[1:]), 0 if pid[0] == "T" else 1])
    phases, masks, _ = _patient_volumes(prng, outcome, shape, spacing, diameter)
    entry = {}
    for phase in PHASES:
        _write(phases[phase], out / "images" / pid / f"{phase}.nii.gz", spacing, np.int16)
        entry[f"{phase}_image"] = f"images/{pid}/{phase}.nii.gz"
        entry[f"{phase}_mask"] = f"masks/{pid}/tumour.nii.gz"
        for reader in ("reader2", "repeat"):
            entry[f"{phase}_mask_{reader}"] = f"masks/{pid}/tumour_{reader}.nii.gz" if icc else ""
    _write(masks["mask"], out / "masks" / pid / "tumour.nii.gz", spacing, np.uint8)
    if icc:
        for reader in ("reader2", "repeat"):
            _write(masks[f"mask_{reader}"], out / "masks" / pid / f"tumour_{reader}.nii.gz", spacing, np.uint8)
    _write(masks["liver"], out / "masks" / pid / "liver.nii.gz", spacing, np.uint8)
    entry["liver_mask"] = f"masks/{pid}/liver.nii.gz"
    return entry


def make_demo_study(out_dir, seed: int = DEMO_SEED, small: bool = False, weights: str = "random",
                    jobs: int = 1, patients: int | None = None) -> Path:
    """Write the synthetic study under ``out_dir`` and return the path of its ``study.yaml``.

    ``jobs``: patients written in parallel (the files are identical for any number).
    ``patients``: another cohort size than the paper's 157 (for a cost curve): the paper's Table 1 counts
    scaled (:func:`scaled_counts`), the ICC sample scaled from 30 of 157 (at least 5); the study then has no
    ``published:`` folder, since its Table 1 is no longer the paper's.
    ``small``: 48 x 48 x 16 voxel volumes (1 x 1 x 3 mm) with 1.5-3 cm tumours, a reduced radiomics
    setting, 32-pixel deep crops and fewer bootstrap resamples, so that the whole demo runs in minutes;
    the patients and the clinical variables (Table 1) are the same in both modes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paper = pd.read_csv(published_table1_path())
    counts = paper if patients is None else scaled_counts(paper, int(patients))
    same_as_paper = counts.equals(paper)
    manifest = clinical_from_counts(counts, rng)
    n_icc = N_ICC if same_as_paper else max(5, round(N_ICC * len(manifest) / 157))
    if small:
        shape, spacing, diameter = (16, 48, 48), (1.0, 1.0, 3.0), (15.0, 30.0)
    else:
        # 2-4 cm tumours: nodular HCC of a size TACE treats, small enough for the paper's settings to run on
        # 2 cores in under 15 minutes (extraction time grows with the tumour's volume, the deep crops with its
        # height: with 2-5 cm the handcrafted stage alone was on course for ~9.6 min, with 2-8 cm ~40).
        shape, spacing, diameter = (40, 160, 160), (0.8, 0.8, 3.0), (20.0, 40.0)
    icc_ids = set(rng.choice(manifest.loc[manifest["cohort"] == "training", "id"].to_numpy(), n_icc,
                             replace=False))
    # Each patient has its own generator (seeded by the study seed and the patient id), so the files do not
    # depend on the order or on the number of workers writing them.
    from joblib import Parallel, delayed
    rows = Parallel(n_jobs=max(1, int(jobs)), backend="loky")(
        delayed(_write_patient)(out, row.id, int(row.outcome), row.id in icc_ids, seed, shape, spacing, diameter)
        for row in manifest.itertuples(index=False))
    files = pd.DataFrame(rows)
    full = pd.concat([manifest.reset_index(drop=True), files], axis=1)
    full.to_csv(out / "manifest.csv", index=False, lineterminator="\n")
    if same_as_paper:
        # the paper's printed numbers beside the study's folder, so the study stays one self-contained folder
        (out / "published").mkdir(exist_ok=True)
        for src in sorted(published_folder().glob("*.csv")):
            shutil.copyfile(src, out / "published" / src.name)
    study = {
        "name": "eprstats demo (SYNTHETIC data shaped like the paper's cohort)" + (" --small" if small else "")
                + ("" if same_as_paper else f", {len(manifest)} patients"),
        "manifest": "manifest.csv",
        "phases": list(PHASES),
        "ring_mm": 3.0,
        "ring_phases": ["PVP"],
        "spacing": [1.0, 1.0, 3.0] if small else [1.0, 1.0, 1.0],
        "seed": int(seed),
        "synthetic": True,
        "deep_weights": weights,
        "clinical": [c for c in counts["variable"].drop_duplicates()],
        "published": "published",
    }
    if not same_as_paper:
        del study["published"]
    if small:
        (out / "radiomics_small.yaml").write_text(SMALL_RADIOMICS, encoding="utf-8")
        study.update({"radiomics_settings": "radiomics_small.yaml", "deep_crop_size": 32, "bootstrap": 100,
                      "reduced": "--small: reduced radiomics setting (original image; shape, first-order, GLCM), "
                                 "32-pixel deep crops, 1 x 1 x 3 mm grid, 100 bootstrap resamples"})
    path = out / "study.yaml"
    path.write_text(yaml.safe_dump(study, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
