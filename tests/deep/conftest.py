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
