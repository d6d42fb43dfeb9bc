"""Fixtures for the deep-feature tests: a seeded torchvision ResNet34 (the oracle) and its saved weights."""
from __future__ import annotations

import numpy as np
import pytest

SEED = 1234


@pytest.fixture(scope="session")
def torch():
    return pytest.importorskip("torch")


@pytest.fixture(scope="session")
def oracle_resnet(torch):
    """torchvision's resnet34 built independently of eprstats (seeded), with its fc layer."""
    import torchvision
    torch.manual_seed(SEED)
    model = torchvision.models.resnet34(weights=None).eval()
    # Non-trivial batch-norm statistics, so that eval-mode BN is really exercised.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return model


@pytest.fixture(scope="session")
def oracle_extractor(torch, oracle_resnet):
    """fc removed by hand: every child but the last, then flatten."""
    return torch.nn.Sequential(*list(oracle_resnet.children())[:-1], torch.nn.Flatten(1)).eval()


@pytest.fixture(scope="session")
def weights_file(torch, oracle_resnet, tmp_path_factory):
    path = tmp_path_factory.mktemp("weights") / "resnet34_seeded.pth"
    torch.save(oracle_resnet.state_dict(), path)
    return path


@pytest.fixture(scope="session")
def model(weights_file):
    from eprstats.deep.model import load_resnet34
    return load_resnet34(weights_file, device="cpu")[0]


def write_nifti(path, array, spacing=(1.0, 1.0, 1.0)):
    sitk = pytest.importorskip("SimpleITK")
    img = sitk.GetImageFromArray(np.asarray(array))
    img.SetSpacing(spacing)
    sitk.WriteImage(img, str(path))
    return path


@pytest.fixture
def nifti_writer():
    return write_nifti


def write_cases(folder, slices: dict, shape: tuple, box: tuple) -> None:
    """Two-or-more-patient cases table in ``folder``: seeded noise images (rng 8, drawn in patient order) and
    masks whose ``box`` (rows, columns slices) covers the z-slices ``slices[pid]``; ``cases.csv`` lists them."""
    import pandas as pd
    rng = np.random.default_rng(8)
    rows = []
    for pid, zs in slices.items():
        image = rng.normal(300, 60, size=shape).astype(np.float32)
        mask = np.zeros(image.shape, np.uint8)
        mask[(zs,) + box] = 1
        write_nifti(folder / f"{pid}.nii.gz", image)
        write_nifti(folder / f"{pid}_mask.nii.gz", mask)
        rows.append({"id": pid, "image": f"{pid}.nii.gz", "mask": f"{pid}_mask.nii.gz"})
    pd.DataFrame(rows).to_csv(folder / "cases.csv", index=False)
