"""The feature extractor: torchvision's ResNet34 with its classification layer replaced by identity.

The paper: "A DL model with ResNet34 architecture was trained using the ImageNet dataset ... the fully
connected and softmax layers were removed, and the output values of the nodes in the last layer were used as
DL features" -- the 512 outputs of the global average pool.

Weights, by ``weights=``:

``"imagenet"`` (default)
    torchvision's ``ResNet34_Weights.IMAGENET1K_V1``. The file is looked for in ``cache_dir`` (default: the
    torch hub checkpoints folder, ``$TORCH_HOME/hub/checkpoints``, usually ``~/.cache/torch/hub/checkpoints``)
    under the name in the enum's URL (``resnet34-b627a593.pth``); when absent it is downloaded there (when
    online; ``EPRSTATS_OFFLINE=1`` forbids trying). Offline with nothing cached: an error saying which file
    to place where.
a path
    A local state dict: a full ResNet34 (``fc`` included, which is dropped) or one without ``fc``; the
    common wrappers (``{"state_dict": ...}``, ``{"model": ...}``, ``module.`` prefixes) are unwrapped. Any
    other architecture is refused with the keys that do not fit.
``"random"``
    Seeded random initialisation, for demos and tests only: the features mean nothing. Recorded in the
    provenance and warned about on every run.

torch and torchvision are imported lazily: the core package works without the ``deep`` extra.
"""
from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

from ..errors import InputError, MissingDependencyError
from ..fileio import file_sha256

N_FEATURES = 512
IMAGENET_WEIGHTS = "ResNet34_Weights.IMAGENET1K_V1"


class RandomWeightsWarning(UserWarning):
    """Deep features from random weights: for demos and tests only."""


RANDOM_WARNING = ("ResNet34 with RANDOM weights (--weights random): the deep features are meaningless and "
                  "for demos and tests only; use --weights imagenet or a weights file for a study")


def require_torch():
    """Import torch and torchvision, or raise a clear MissingDependencyError."""
    try:
        import torch
        import torchvision
    except ImportError as exc:
        raise MissingDependencyError(f"deep features need PyTorch and torchvision, which could not be imported "
                                     f"({exc})", "pip install 'eprstats[deep]'") from None
    return torch, torchvision


def resolve_device(device: str = "auto") -> str:
    """``"auto"`` -> ``"cuda"`` when a GPU is usable, else ``"cpu"``; ``"cuda"`` without a GPU is an error."""
    torch, _ = require_torch()
    device = str(device or "auto").lower()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise InputError("--device cuda was asked for but no CUDA GPU is usable here",
                         "use --device cpu or --device auto")
    if device != "cpu" and not device.startswith("cuda"):
        raise InputError(f"unknown device {device!r}", "use auto, cpu or cuda")
    return device


def imagenet_weights_file(cache_dir=None) -> Path:
    """Where the ImageNet weights file is expected: ``cache_dir`` or torch hub's checkpoints folder."""
    torch, torchvision = require_torch()
    from torchvision.models import ResNet34_Weights
    name = os.path.basename(ResNet34_Weights.IMAGENET1K_V1.url)
    folder = Path(cache_dir) if cache_dir is not None else Path(torch.hub.get_dir()) / "checkpoints"
    return folder / name


def state_dict_sha256(state_dict) -> str:
    """A hash of a state dict's names, shapes, dtypes and values (for weights that have no file)."""
    h = hashlib.sha256()
    for name, tensor in state_dict.items():
        t = tensor.detach().cpu().contiguous()
        h.update(f"{name}:{tuple(t.shape)}:{t.dtype};".encode())
        h.update(t.numpy().tobytes())
    return h.hexdigest()


def _bare_resnet34():
    torch, torchvision = require_torch()
    model = torchvision.models.resnet34(weights=None)
    model.fc = torch.nn.Identity()
    return model


def _read_state_dict(path: Path):
    torch, _ = require_torch()
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickled whole models, corrupt files, other formats
        raise InputError(f"the weights file could not be read as a PyTorch state dict ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:200]})",
                         "save the weights with torch.save(model.state_dict(), PATH)", file=str(path)) from None
    for key in ("state_dict", "model_state_dict", "model"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
    if not isinstance(obj, dict) or not all(hasattr(v, "shape") for v in obj.values()):
        raise InputError("the weights file does not hold a state dict (a mapping of names to tensors)",
                         "save the weights with torch.save(model.state_dict(), PATH)", file=str(path))
    return {(k[len("module."):] if k.startswith("module.") else k): v for k, v in obj.items()}


def _load_into(model, state, source: str):
    """Load a ResNet34 state dict (fc dropped) or raise an error naming the keys that do not fit."""
    fc = {k: v for k, v in state.items() if k.startswith("fc.")}
    if fc and ("fc.weight" not in fc or fc["fc.weight"].ndim != 2 or fc["fc.weight"].shape[1] != N_FEATURES):
        shape = tuple(fc["fc.weight"].shape) if "fc.weight" in fc else None
        raise InputError(f"the weights are not a ResNet34: its classification layer fc.weight has shape {shape}, "
                         f"a ResNet34 has (classes, {N_FEATURES})",
                         "give ResNet34 weights (torchvision.models.resnet34)", file=source)
    body = {k: v for k, v in state.items() if not k.startswith("fc.")}
    expected = model.state_dict()
    missing = [k for k in expected if k not in body]
    unexpected = [k for k in body if k not in expected]
    wrong = [f"{k} {tuple(body[k].shape)} (ResNet34: {tuple(expected[k].shape)})" for k in expected
             if k in body and tuple(body[k].shape) != tuple(expected[k].shape)]
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append(f"{len(missing)} ResNet34 tensors missing (e.g. {', '.join(missing[:3])})")
        if unexpected:
            parts.append(f"{len(unexpected)} tensors a ResNet34 does not have (e.g. {', '.join(unexpected[:3])})")
        if wrong:
            parts.append(f"{len(wrong)} of the wrong shape (e.g. {'; '.join(wrong[:2])})")
        raise InputError("the weights do not fit torchvision's ResNet34 (another architecture?): "
                         + "; ".join(parts), "give ResNet34 weights (torchvision.models.resnet34), e.g. "
                         "--weights imagenet", file=source)
    model.load_state_dict(body, strict=True)


def _imagenet_file(cache_dir):
    torch, _ = require_torch()
    from torchvision.models import ResNet34_Weights
    target = imagenet_weights_file(cache_dir)
    if target.is_file():
        return target
    url = ResNet34_Weights.IMAGENET1K_V1.url
    how = (f"download {url} on a machine with internet and place it at {target} (the torch hub checkpoints "
           "folder; set TORCH_HOME or --weights-cache to use another folder), or give a local ResNet34 weights "
           "file: --weights PATH, or in the study file deep_weights: PATH (random weights, --weights random, "
           "are for demonstrations only)")
    if os.environ.get("EPRSTATS_OFFLINE"):
        raise InputError(f"the ImageNet weights ({IMAGENET_WEIGHTS}) are not cached and EPRSTATS_OFFLINE is set",
                         how, file=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The hash prefix in the file name (b627a593) is checked by torch while downloading.
        torch.hub.download_url_to_file(url, str(target), hash_prefix=target.stem.split("-")[-1], progress=False)
    except Exception as exc:  # offline, proxy, partial download: nothing usable was written
        raise InputError(f"the ImageNet weights ({IMAGENET_WEIGHTS}) are not cached and could not be downloaded "
                         f"({type(exc).__name__}: {exc})", how, file=str(target)) from None
    return target


def load_resnet34(weights="imagenet", cache_dir=None, device: str = "cpu", seed: int = 0):
    """ResNet34 feature extractor (``fc`` = identity, eval mode) and a provenance record of its weights.

    Parameters
    ----------
    weights : ``"imagenet"``, ``"random"`` or a path to a state-dict file (see the module docstring).
    cache_dir : folder holding ``resnet34-b627a593.pth`` for ``"imagenet"`` (default: torch hub's
        ``checkpoints`` folder under ``$TORCH_HOME``).
    device : ``"cpu"``, ``"cuda"`` or ``"auto"``.
    seed : the seed of ``"random"`` weights.

    Returns
    -------
    (model, info) where ``info`` has ``weights`` (the request), ``source`` (file or description),
    ``weights_sha256`` (of the file; for random weights, of the tensors), ``random`` (bool) and ``seed``.

    Example
    -------
    >>> model, info = load_resnet34("random")  # doctest: +SKIP
    >>> model(torch.zeros(1, 3, 224, 224)).shape  # doctest: +SKIP
    torch.Size([1, 512])
    """
    torch, _ = require_torch()
    device = resolve_device(device)
    model = _bare_resnet34()
    info = {"architecture": "torchvision resnet34, fc = Identity (512 features)", "weights": str(weights),
            "random": False, "seed": None}
    if str(weights) == "random":
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model = _bare_resnet34()
        info.update(source=f"random initialisation (torch.manual_seed({seed}))", random=True, seed=seed,
                    weights_sha256=state_dict_sha256(model.state_dict()))
        with warnings.catch_warnings():
            warnings.simplefilter("always", RandomWeightsWarning)
            warnings.warn(RANDOM_WARNING, RandomWeightsWarning, stacklevel=2)
    else:
        if str(weights) == "imagenet":
            path = _imagenet_file(cache_dir)
            info["weights"] = IMAGENET_WEIGHTS
        else:
            path = Path(weights)
            if not path.is_file():
                raise InputError("the weights file does not exist",
                                 "give imagenet, random or the path of a ResNet34 state-dict file", file=str(path))
        _load_into(model, _read_state_dict(path), str(path))
        info.update(source=str(path), weights_sha256=file_sha256(path))
        prefix = path.stem.split("-")[-1] if str(weights) == "imagenet" else None
        if prefix and not info["weights_sha256"].startswith(prefix):
            warnings.warn(f"the cached ImageNet weights {path} are not torchvision's file (sha256 "
                          f"{info['weights_sha256'][:8]}..., expected {prefix}...); they are used as given",
                          UserWarning, stacklevel=2)
    model.eval()
    model.to(device)
    info["device"] = device
    return model, info
