"""The paper's pyradiomics settings, kept as a versioned parameter file shipped with the package.

The file is pyradiomics' own YAML format, so the same file drives pyradiomics' command-line tool
(``pyradiomics cases.csv --param paper_settings.yaml``) and eprstats, and a reader can check the settings
without reading Python.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from ..errors import InputError
from ..fileio import settings_hash
from .cache import recorded_warnings, replay_warnings
from .engine import check_engine

#: Bumped when the shipped file changes meaning; part of every cache key.
PAPER_SETTINGS_VERSION = 1


def paper_settings_path() -> Path:
    """Path of the shipped parameter file (bin width 5, 1 mm linear resampling, LoG 1.0, wavelets)."""
    return Path(resources.files("eprstats.handcrafted") / "data" / "paper_settings.yaml")


@dataclass
class Settings:
    """A pyradiomics configuration: ``setting``, ``imageType`` and ``featureClass`` as in the YAML file."""

    setting: dict = field(default_factory=dict)
    imageType: dict = field(default_factory=lambda: {"Original": {}})
    featureClass: dict = field(default_factory=dict)
    source: str = "<dict>"
    #: Feature engine (:mod:`eprstats.handcrafted.engine`) and device; not part of pyradiomics' file.
    engine: str = "eprstats"
    device: str = "cpu"

    def as_dict(self) -> dict:
        return {"setting": copy.deepcopy(self.setting), "imageType": copy.deepcopy(self.imageType),
                "featureClass": copy.deepcopy(self.featureClass)}

    @property
    def hash(self) -> str:
        """Stable hash of the configuration (not of the file's comments or layout).

        The engine and device enter only when they are not pyradiomics on the CPU, so that cache entries made
        before engines existed keep their keys; another engine's values may differ in the last digits, so a
        case cached with one engine is recomputed with another (same inputs, same tables).
        """
        payload = {"params": self.as_dict(), "version": PAPER_SETTINGS_VERSION}
        if (self.engine, self.device) != ("pyradiomics", "cpu"):
            payload["engine"] = {"engine": self.engine, "device": self.device}
        return settings_hash(payload)

    def with_engine(self, engine: str | None = None, device: str | None = None) -> "Settings":
        """A copy with another engine and/or device (checked: InputError naming the fix)."""
        engine = self.engine if engine is None else engine
        device = self.device if device is None else device
        check_engine(engine, device)
        return Settings(copy.deepcopy(self.setting), copy.deepcopy(self.imageType),
                        copy.deepcopy(self.featureClass), self.source, engine, device)

    def extractor(self):
        """pyradiomics' own RadiomicsFeatureExtractor configured with exactly these settings."""
        from radiomics import featureextractor
        return featureextractor.RadiomicsFeatureExtractor(self.as_dict())

    def feature_names(self) -> list[str]:
        """The feature names these settings produce for a 3-D ROI (excluding diagnostics), in order."""
        from radiomics import getFeatureClasses
        ext = shared_extractor(self)  # only read
        classes = getFeatureClasses()
        names = []
        for cls in ("shape",):
            if cls in ext.enabledFeatures:
                names += [f"original_shape_{n}" for n in _enabled(classes[cls], ext.enabledFeatures[cls])]
        for image_type, kwargs in ext.enabledImagetypes.items():
            for prefix in _image_type_names(image_type, {**ext.settings, **kwargs}):
                for cls, wanted in ext.enabledFeatures.items():
                    if cls.startswith("shape"):
                        continue
                    names += [f"{prefix}_{cls}_{n}" for n in _enabled(classes[cls], wanted)]
        return names


def _enabled(cls, wanted) -> list[str]:
    if wanted:  # an explicit list in the file
        return list(wanted)
    return [n for n, deprecated in cls.getFeatureNames().items() if not deprecated]


def _image_type_names(image_type: str, kwargs: dict) -> list[str]:
    if image_type == "Original":
        return ["original"]
    if image_type == "LoG":
        return ["log-sigma-%s-mm-3D" % str(s).replace(".", "-") for s in kwargs.get("sigma", [])]
    if image_type == "Wavelet":
        if kwargs.get("level", 1) != 1 or kwargs.get("force2D", False):
            raise InputError("only single-level 3-D wavelet settings are supported by feature_names()",
                             "use level: 1 without force2D, or read the names from an extraction")
        return [f"wavelet-{d}" for d in ("LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH", "LLL")]
    return [image_type.lower()]


def load_settings(path=None) -> Settings:
    """Read a pyradiomics parameter file (YAML or JSON); ``None`` gives the paper's settings.

    The file is validated by pyradiomics' own schema, so a misspelt setting is an error, not silently ignored.
    """
    path = Path(path) if path is not None else paper_settings_path()
    if not path.is_file():
        raise InputError("the pyradiomics settings file does not exist", "check the path", file=str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"the settings file is not valid YAML ({exc})", "fix the YAML syntax",
                         file=str(path)) from None
    if not isinstance(raw, dict):
        raise InputError("the settings file must be a mapping with setting/imageType/featureClass",
                         "see eprstats/handcrafted/data/paper_settings.yaml for the layout", file=str(path))
    unknown = set(raw) - {"setting", "imageType", "featureClass", "voxelSetting"}
    if unknown:
        raise InputError(f"unknown top-level keys {sorted(unknown)} in the settings file",
                         "use only setting, imageType and featureClass", file=str(path))
    settings = Settings(setting=dict(raw.get("setting") or {}),
                        imageType={k: dict(v or {}) for k, v in (raw.get("imageType") or {"Original": {}}).items()},
                        featureClass={k: v for k, v in (raw.get("featureClass") or {}).items()},
                        source=str(path))
    try:
        shared_extractor(settings)  # pyradiomics validates against its schema; kept for the extraction
    except Exception as exc:  # pykwalify raises its own types
        raise InputError(f"pyradiomics rejected the settings file ({exc})",
                         "compare with pyradiomics' parameter-file documentation", file=str(path)) from None
    return settings


#: pyradiomics' extractors by their parameters (not by engine: the extractor depends on the file's content
#: only), with the warnings their construction raised. The constructor validates the parameters against
#: pyradiomics' schema (pykwalify reading its YAML schema with ruamel, about 0.3 s), which load_settings and
#: every patient's extraction paid again; a process builds each one once now.
_EXTRACTORS: dict = {}


def shared_extractor(settings: Settings):
    """pyradiomics' extractor for ``settings``, built once per parameters and process; read it, do not change
    it. Its construction's warnings (a DeprecationWarning of pykwalify's module loading) are raised again at
    every reuse, so that each patient's recorded warnings (:mod:`.cache`) are the same as when each built its
    own; also when the construction fails (pyradiomics rejects the parameters)."""
    key = settings_hash(settings.as_dict())  # of the current content: a changed Settings gets a new one
    hit = _EXTRACTORS.get(key)
    if hit is None:
        raised: list = []
        try:
            with recorded_warnings() as raised:
                extractor = settings.extractor()
        except Exception:
            replay_warnings(raised)
            raise
        if len(_EXTRACTORS) >= 8:
            _EXTRACTORS.clear()
        hit = _EXTRACTORS[key] = (extractor, raised)
    replay_warnings(hit[1])
    return hit[0]


def paper_settings() -> Settings:
    """The paper's settings (see ``data/paper_settings.yaml``)."""
    return load_settings(None)
