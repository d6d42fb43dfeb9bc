"""Builders for real image files written by the tests themselves, independently of eprstats' reader.

NRRD and NIfTI files are written and parsed here byte by byte from their published specifications
(teem NRRD format; NIfTI-1 header, 348 bytes), so that reading them through eprstats is checked against
an implementation that does not use ITK. DICOM series are written with SimpleITK's per-slice writer and
full tags, as DICOM export tools do.
"""
from __future__ import annotations

import gzip
import re
import struct
from pathlib import Path

import numpy as np
import pytest

from tests.imaging_inputs import write_dicom_series

NRRD_TYPES = {"unsigned char": np.uint8, "uchar": np.uint8, "short": np.int16, "int": np.int32,
              "unsigned short": np.uint16, "float": np.float32, "double": np.float64, "signed char": np.int8}


def parse_nrrd(path) -> tuple[dict, np.ndarray]:
    """A minimal NRRD reader (raw or gzip, little endian): header fields and the array in C order
    (slowest axis first: z, y, x)."""
    raw = Path(path).read_bytes()
    head, _, body = raw.partition(b"\n\n")
    fields = {}
    for line in head.decode("ascii").splitlines()[1:]:
        if line.startswith("#") or not line.strip():
            continue
        if ":=" in line:
            k, v = line.split(":=", 1)
        else:
            k, v = line.split(":", 1)
        fields[k.strip()] = v.strip()
    if fields.get("encoding") == "gzip":
        body = gzip.decompress(body)
    sizes = [int(s) for s in fields["sizes"].split()]
    arr = np.frombuffer(body, dtype=NRRD_TYPES[fields["type"]]).reshape(sizes[::-1])
    return fields, arr


def nrrd_vectors(text: str) -> list[tuple[float, ...]]:
    return [tuple(float(x) for x in m.split(",")) for m in re.findall(r"\(([^)]*)\)", text)]


def write_nrrd(path, arr: np.ndarray, spacing, origin, extra: dict | None = None, kinds: str | None = None,
               list_axis: bool = False):
    """Write a raw NRRD by hand. ``arr`` is (z, y, x) or, with ``list_axis``, (z, y, x, layer)."""
    types = {np.dtype(np.uint8): "unsigned char", np.dtype(np.int16): "short", np.dtype(np.int32): "int",
             np.dtype(np.float32): "float"}
    arr = np.ascontiguousarray(arr)
    shape = arr.shape[::-1]
    dirs = f"({spacing[0]},0,0) (0,{spacing[1]},0) (0,0,{spacing[2]})"
    if list_axis:
        dirs = "none " + dirs
        kinds = kinds or "list domain domain domain"
    lines = ["NRRD0004", f"type: {types[arr.dtype]}", f"dimension: {arr.ndim}", "space: left-posterior-superior",
             "sizes: " + " ".join(map(str, shape)), f"space directions: {dirs}",
             f"kinds: {kinds or 'domain domain domain'}", "endian: little", "encoding: raw",
             "space origin: (" + ",".join(map(str, origin)) + ")"]
    lines += [f"{k}:={v}" for k, v in (extra or {}).items()]
    Path(path).write_bytes(("\n".join(lines) + "\n\n").encode() + arr.tobytes())
    return Path(path)


def write_nifti(path, arr: np.ndarray, spacing, offset_ras, compress: bool = False):
    """A NIfTI-1 single file (.nii / .nii.gz) written from the specification: int16 data, sform = diagonal
    spacing with translation ``offset_ras`` (RAS+ world, as NIfTI defines it)."""
    arr = np.ascontiguousarray(arr.astype(np.int16))
    nz, ny, nx = arr.shape
    hdr = bytearray(348)
    struct.pack_into("<i", hdr, 0, 348)
    struct.pack_into("<8h", hdr, 40, 3, nx, ny, nz, 1, 1, 1, 1)          # dim
    struct.pack_into("<h", hdr, 70, 4)                                     # datatype int16
    struct.pack_into("<h", hdr, 72, 16)                                    # bitpix
    struct.pack_into("<8f", hdr, 76, 1.0, *spacing, 0, 0, 0, 0)           # pixdim (qfac 1)
    struct.pack_into("<f", hdr, 108, 352.0)                                # vox_offset
    struct.pack_into("<f", hdr, 112, 1.0)                                  # scl_slope
    struct.pack_into("<b", hdr, 123, 2)                                    # xyzt_units: mm
    struct.pack_into("<h", hdr, 252, 0)                                    # qform_code
    struct.pack_into("<h", hdr, 254, 1)                                    # sform_code: scanner
    struct.pack_into("<4f", hdr, 280, spacing[0], 0, 0, offset_ras[0])     # srow_x
    struct.pack_into("<4f", hdr, 296, 0, spacing[1], 0, offset_ras[1])     # srow_y
    struct.pack_into("<4f", hdr, 312, 0, 0, spacing[2], offset_ras[2])     # srow_z
    hdr[344:348] = b"n+1\0"
    data = bytes(hdr) + b"\0\0\0\0" + arr.tobytes()
    Path(path).write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return Path(path)


@pytest.fixture
def nrrd_tools():
    return {"parse": parse_nrrd, "vectors": nrrd_vectors, "write": write_nrrd}


@pytest.fixture
def builders():
    return {"nrrd": write_nrrd, "nifti": write_nifti, "dicom": write_dicom_series, "parse_nrrd": parse_nrrd}


def write_small_study(root, n: int = 4, phases=("AP", "PVP"), size=(24, 20, 10), spacing=(0.8, 0.8, 2.5),
                      extra_yaml: str = "", liver: bool = False):
    """A study of ``n`` patients: a noisy NRRD image per phase and a spherical tumour mask on its grid.

    Returns (study.yaml path, manifest DataFrame). Ids are P1..Pn, outcome alternates 1/0.
    """
    import pandas as pd
    import SimpleITK as sitk
    root = Path(root)
    (root / "img").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    rows = []
    nx, ny, nz = size
    z, y, x = np.meshgrid(np.arange(nz) * spacing[2], np.arange(ny) * spacing[1], np.arange(nx) * spacing[0],
                          indexing="ij")
    for i in range(1, n + 1):
        row = {"id": f"P{i}", "cohort": "training" if i % 3 else "external", "outcome": i % 2, "AFP": 10.0 * i}
        for phase in phases:
            arr = rng.normal(100, 20, size=(nz, ny, nx)).astype(np.int16)
            img = sitk.GetImageFromArray(arr)
            img.SetSpacing(spacing)
            img.SetOrigin((-10.0, 5.0, 2.0))
            centre = (nx * spacing[0] / 2, ny * spacing[1] / 2, nz * spacing[2] / 2)
            ball = ((x - centre[0]) ** 2 + (y - centre[1]) ** 2 + (z - centre[2]) ** 2 <= 4.0 ** 2)
            mask = sitk.GetImageFromArray(ball.astype(np.uint8))
            mask.CopyInformation(img)
            sitk.WriteImage(img, str(root / "img" / f"P{i}_{phase}.nrrd"))
            sitk.WriteImage(mask, str(root / "img" / f"P{i}_{phase}_mask.nrrd"))
            row[f"{phase}_image"] = f"img/P{i}_{phase}.nrrd"
            row[f"{phase}_mask"] = f"img/P{i}_{phase}_mask.nrrd"
        if liver:
            lv = sitk.GetImageFromArray((x < nx * spacing[0] * 0.6).astype(np.uint8))
            lv.CopyInformation(img)
            sitk.WriteImage(lv, str(root / "img" / f"P{i}_liver.nrrd"))
            row["liver_mask"] = f"img/P{i}_liver.nrrd"
        rows.append(row)
    manifest = pd.DataFrame(rows)
    manifest.to_csv(root / "manifest.csv", index=False)
    study = root / "study.yaml"
    study.write_text(f"manifest: manifest.csv\nphases: [{', '.join(phases)}]\nring_phases: [{phases[-1]}]\n"
                     + extra_yaml)
    return study, manifest


@pytest.fixture
def small_study():
    return write_small_study
