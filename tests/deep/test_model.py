"""Loading ResNet34 weights: a saved state dict, the offline ImageNet cache, wrong architectures."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import warnings

import pytest

from eprstats.errors import InputError

IMAGENET_FILE = "resnet34-b627a593.pth"  # the file name in torchvision's ResNet34_Weights.IMAGENET1K_V1 url


@pytest.fixture
def small_input(torch):
    g = torch.Generator().manual_seed(5)
    return torch.randn(2, 3, 64, 64, generator=g)


def test_saved_state_dict_gives_the_same_features(torch, weights_file, oracle_extractor, small_input):
    from eprstats.deep.model import load_resnet34
    model, info = load_resnet34(weights_file, device="cpu")
    with torch.no_grad():
        got, expected = model(small_input), oracle_extractor(small_input)
    assert got.shape == (2, 512)
    assert torch.equal(got, expected)
    assert info["weights_sha256"] == hashlib.sha256(weights_file.read_bytes()).hexdigest()
    assert not info["random"] and not model.training


def test_state_dict_without_fc_and_wrapped(torch, oracle_resnet, oracle_extractor, small_input, tmp_path):
    from eprstats.deep.model import load_resnet34
    body = {k: v for k, v in oracle_resnet.state_dict().items() if not k.startswith("fc.")}
    torch.save(body, tmp_path / "nofc.pth")
    torch.save({"state_dict": {"module." + k: v for k, v in body.items()}, "epoch": 3}, tmp_path / "ckpt.pth")
    with torch.no_grad():
        expected = oracle_extractor(small_input)
        for name in ("nofc.pth", "ckpt.pth"):
            model, _ = load_resnet34(tmp_path / name)
            assert torch.equal(model(small_input), expected), name


def test_imagenet_from_the_offline_cache(torch, weights_file, oracle_extractor, small_input, tmp_path,
                                         monkeypatch):
    from eprstats.deep.model import load_resnet34
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.setenv("EPRSTATS_OFFLINE", "1")
    target = tmp_path / "torch" / "hub" / "checkpoints" / IMAGENET_FILE
    with pytest.raises(InputError) as exc:
        load_resnet34("imagenet")
    assert str(target) in exc.value.message and "download.pytorch.org/models/" + IMAGENET_FILE in exc.value.message
    target.parent.mkdir(parents=True)
    target.write_bytes(weights_file.read_bytes())
    with pytest.warns(UserWarning, match="not torchvision's file"):  # our stand-in has another sha256
        model, info = load_resnet34("imagenet")
    assert info["weights"] == "ResNet34_Weights.IMAGENET1K_V1" and info["source"] == str(target)
    with torch.no_grad():
        assert torch.equal(model(small_input), oracle_extractor(small_input))
    # an explicit cache folder
    other = tmp_path / "mine"
    other.mkdir()
    (other / IMAGENET_FILE).write_bytes(weights_file.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, info = load_resnet34("imagenet", cache_dir=other)
    assert info["source"] == str(other / IMAGENET_FILE)


def test_wrong_architecture_is_refused(torch, tmp_path):
    import torchvision
    from eprstats.deep.model import load_resnet34
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), tmp_path / "r18.pth")
    with pytest.raises(InputError, match="do not fit torchvision's ResNet34") as exc:
        load_resnet34(tmp_path / "r18.pth")
    assert "layer1.2" in exc.value.message and exc.value.file == str(tmp_path / "r18.pth")
    torch.save([1, 2, 3], tmp_path / "list.pth")
    with pytest.raises(InputError, match="state dict"):
        load_resnet34(tmp_path / "list.pth")
    with pytest.raises(InputError, match="does not exist"):
        load_resnet34(tmp_path / "absent.pth")


def test_random_weights_are_seeded_and_warn_every_time(torch):
    from eprstats.deep.model import RandomWeightsWarning, load_resnet34
    infos = []
    for _ in range(2):
        with pytest.warns(RandomWeightsWarning, match="demos and tests only"):
            infos.append(load_resnet34("random", seed=3)[1])
    assert infos[0]["weights_sha256"] == infos[1]["weights_sha256"] and infos[0]["random"]
    with pytest.warns(RandomWeightsWarning):
        assert load_resnet34("random", seed=4)[1]["weights_sha256"] != infos[0]["weights_sha256"]


def test_core_package_imports_without_torch():
    code = (
        "import sys; sys.modules['torch'] = None; sys.modules['torchvision'] = None\n"
        "import eprstats.deep, eprstats.deep.cli, eprstats.deep.crops, eprstats.deep.extract\n"
        "from eprstats.deep.model import load_resnet34\n"
        "from eprstats.errors import MissingDependencyError\n"
        "try:\n    load_resnet34('random')\nexcept MissingDependencyError as e:\n    print(e.message)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'eprstats[deep]'" in out.stdout
