"""The one module that owns rpy2.

R code lives in ``r/*.R`` (shipped as ``eprstats.r``). It is sourced once into an environment of its own
(a child of R's base environment, never the global one). Python calls R functions with :func:`call`:

* arguments are converted once, at the boundary, inside a ``localconverter`` (never
  ``pandas2ri.activate()``); 1-D arrays become plain R vectors (no ``dim``, which breaks ``cv.glmnet``);
* they are bound to symbols in a fresh call environment, so that models record symbols, not data;
* R errors are re-raised as :class:`eprstats.errors.RError` naming the R function, with R's message;
* R warnings are re-issued as :class:`eprstats.errors.RWarning`;
* a seed, when given, is set in R right before the call (and is the caller's to record).

Results come back as plain Python: data.frame -> pandas.DataFrame, named list -> dict, length-1 vector
-> scalar, longer vector -> numpy array (character -> list of str), matrix with dimnames -> DataFrame.
With ``keep_r=True`` the raw R object is returned, to be passed back to R later.
"""
from __future__ import annotations

import contextlib
import math
import os
import threading
import warnings
import importlib.util
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import MissingDependencyError, RError, RWarning

#: R packages eprstats uses, with the Debian package that provides each.
R_PACKAGES = {
    "glmnet": "r-cran-glmnet",
    "pROC": "r-cran-proc",
    "rms": "r-cran-rms",
    "Hmisc": "r-cran-hmisc",
}
APT_R = ("apt-get update && apt-get install -y --no-install-recommends "
         "r-base-core r-base-dev r-cran-glmnet r-cran-proc r-cran-rms r-cran-hmisc")

_lock = threading.RLock()
_state: dict[str, Any] = {}


def r_source_dir() -> Path:
    """The folder holding eprstats' R sources, installed or in a source checkout."""
    # eprstats.r is a namespace package (the R folder holds no Python), so ask the import system for
    # its location rather than importlib.resources, which wraps namespaces in a MultiplexedPath.
    spec = importlib.util.find_spec("eprstats.r")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location)
        if any(path.glob("*.R")):
            return path
    path = Path(__file__).resolve().parent.parent / "r"
    if any(path.glob("*.R")):
        return path
    raise MissingDependencyError(
        "eprstats' R sources (r/*.R) were not found next to the package",
        "reinstall eprstats with `pip install .` from a source checkout")


def _robjects():
    """Import rpy2 lazily, turning a missing R or rpy2 into a clear error."""
    if "ro" in _state:
        return _state["ro"]
    # rpy2 puts R's library folders (and /usr/lib/<arch>) on LD_LIBRARY_PATH while starting R; child
    # processes would inherit it and a pyenv Python would then load Debian's libpython and lose its
    # site-packages. R is loaded in-process by then, so the variable is put back as it was.
    ld_library_path = os.environ.get("LD_LIBRARY_PATH")
    try:
        return _import_robjects()
    finally:
        if ld_library_path is None:
            os.environ.pop("LD_LIBRARY_PATH", None)
        else:
            os.environ["LD_LIBRARY_PATH"] = ld_library_path


def _import_robjects():
    try:
        import rpy2.rinterface_lib.callbacks as callbacks
        import rpy2.robjects as ro
    except ImportError as exc:  # rpy2 not installed, or R not found by it
        raise MissingDependencyError(
            f"R cannot be reached from Python ({exc})",
            f"install R with `{APT_R}` and rpy2 with `pip install rpy2==3.5.17`") from None
    except Exception as exc:  # rpy2 installed but R missing or incompatible
        raise MissingDependencyError(
            f"rpy2 could not start R ({type(exc).__name__}: {exc})",
            f"install R with `{APT_R}`, then `pip install --force-reinstall rpy2==3.5.17`") from None
    # R's console output would otherwise interleave with ours; keep it for error messages only.
    _state["console"] = []
    callbacks.consolewrite_print = lambda s: _state["console"].append(s)
    callbacks.consolewrite_warnerror = lambda s: _state["console"].append(s)
    _state["ro"] = ro
    return ro


@contextlib.contextmanager
def _session():
    """The bridge's lock, with rpy2's default conversion rules set for this thread: rpy2 keeps them in a
    ContextVar, which a thread started by the caller (a thread pool, Dask's threaded scheduler) does not have."""
    with _lock:
        ro = _robjects()
        from rpy2.robjects.conversion import localconverter
        with localconverter(ro.default_converter):
            yield ro


def _env():
    """eprstats' own R environment, with every file of r/ sourced into it once."""
    with _session():
        if "env" in _state:
            return _state["env"]
        ro = _robjects()
        env = ro.r("new.env(parent = globalenv())")
        for path in sorted(r_source_dir().glob("*.R")):
            try:
                ro.r["sys.source"](str(path), envir=env, keep_source=False)
            except Exception as exc:  # a syntax error in our own R code
                raise RError("sys.source", f"{path.name}: {exc}") from None
        _state["env"] = env
        return env


def r_available() -> bool:
    try:
        _env()
        return True
    except MissingDependencyError:
        return False


def require_packages(*packages: str) -> None:
    """Raise a clear error naming the apt command when an R package is missing."""
    versions = package_versions(packages)
    missing = [p for p, v in versions.items() if v is None]
    if missing:
        debs = " ".join(R_PACKAGES.get(p, f"r-cran-{p.lower()}") for p in missing)
        raise MissingDependencyError(
            f"R package(s) {', '.join(missing)} not installed",
            f"run `apt-get update && apt-get install -y --no-install-recommends {debs}`")


def package_versions(packages=tuple(R_PACKAGES)) -> dict[str, str | None]:
    """Installed version of each R package (None where missing)."""
    out = call(".eprstats_package_versions", list(packages))
    values = list(out.values()) if isinstance(out, dict) else ([out] if isinstance(out, str) else list(out))
    return {p: (None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
            for p, v in zip(packages, values)}


def r_version() -> str:
    with _session() as ro:
        return str(ro.r("R.version.string")[0])


def software_note(*packages: str, python: tuple[str, ...] = ()) -> str:
    """The software a table's numbers come from, for its note: ``"Software: R 4.2.2, pROC 1.18.0."``.

    R's version (``getRversion()``) and each R package's as R reports it (``utils::packageVersion``; the base
    package ``stats`` is R's own version, so it is not repeated), then each Python distribution of ``python``
    (``importlib.metadata``). Versions are asked once per process; R is not started when no R package is named.
    """
    parts = []
    if packages:
        with _lock:
            known = _state.setdefault("versions", {})
            wanted = [p for p in packages if p != "stats" and p not in known]
            if "R" not in known:
                with _session() as ro:
                    known["R"] = str(ro.r("as.character(getRversion())")[0])
            known.update(package_versions(wanted) if wanted else {})
            parts = [f"R {known['R']}"] + [f"{p} {known[p] or '(not installed)'}" for p in packages if p != "stats"]
    for dist in python:
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} (not installed)")
    return f"Software: {', '.join(parts)}." if parts else ""


# ---------------------------------------------------------------------------------------------
# Conversion, at the boundary only
# ---------------------------------------------------------------------------------------------

def _converter():
    from rpy2.robjects import default_converter, numpy2ri, pandas2ri
    return default_converter + numpy2ri.converter + pandas2ri.converter


def _vector(values, ro):
    """A 1-D sequence as a plain R vector (no dim attribute), NaN/None as NA."""
    arr = np.asarray(values)
    if arr.dtype == bool:
        return ro.BoolVector(arr.tolist())
    if np.issubdtype(arr.dtype, np.integer):
        return ro.IntVector(arr.tolist())
    if np.issubdtype(arr.dtype, np.floating):
        return ro.FloatVector([ro.NA_Real if math.isnan(v) else float(v) for v in arr.tolist()])
    vals = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in arr.tolist()]
    if all(isinstance(v, (bool, np.bool_)) or v is None for v in vals):
        return ro.BoolVector([ro.NA_Logical if v is None else bool(v) for v in vals])
    if all(isinstance(v, (int, float)) or v is None for v in vals):
        return ro.FloatVector([ro.NA_Real if v is None else float(v) for v in vals])
    return ro.StrVector([ro.NA_Character if v is None else str(v) for v in vals])


def to_r(value):
    """Convert one Python value to an R object."""
    ro = _robjects()
    from rpy2.rinterface import Sexp
    from rpy2.robjects.conversion import localconverter
    if isinstance(value, Sexp) or isinstance(value, ro.RObject):
        return value
    if value is None:
        return ro.NULL
    if isinstance(value, pd.DataFrame):
        frame = value.copy()
        frame.columns = [str(c) for c in frame.columns]
        frame = frame.reset_index(drop=True)
        with localconverter(_converter()):
            return ro.conversion.get_conversion().py2rpy(frame)
    if isinstance(value, pd.Series):
        return _vector(value.to_numpy(), ro)
    if isinstance(value, np.ndarray) and value.ndim == 2:
        with localconverter(_converter()):
            return ro.conversion.get_conversion().py2rpy(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        return _vector(value, ro)
    if isinstance(value, dict):
        return ro.ListVector({str(k): to_r(v) for k, v in value.items()})
    if isinstance(value, (bool, np.bool_)):
        return ro.BoolVector([bool(value)])
    if isinstance(value, (int, np.integer)):
        return ro.IntVector([int(value)])
    if isinstance(value, (float, np.floating)):
        return ro.FloatVector([ro.NA_Real if math.isnan(value) else float(value)])
    if isinstance(value, (str, os.PathLike)):
        return ro.StrVector([str(value)])
    raise TypeError(f"cannot pass a {type(value).__name__} to R")


def to_python(obj):
    """Convert an R object to plain Python (see the module docstring)."""
    ro = _robjects()
    from rpy2 import rinterface as ri
    from rpy2.robjects.conversion import localconverter
    if obj is ri.NULL or obj is None:
        return None
    rclass = list(obj.rclass) if hasattr(obj, "rclass") else []
    if "data.frame" in rclass:
        with localconverter(_converter()):
            frame = ro.conversion.get_conversion().rpy2py(obj)
        if isinstance(frame, pd.DataFrame):
            if list(frame.index) == [str(i + 1) for i in range(len(frame))]:
                frame = frame.reset_index(drop=True)
            return frame
    if isinstance(obj, (ri.ListSexpVector,)) or "list" in rclass:
        names = list(obj.names) if obj.names is not ri.NULL and obj.names is not None else None
        items = [to_python(obj[i]) for i in range(len(obj))]
        if names and all(n not in ("", None) for n in names):
            return dict(zip(names, items))
        return items
    if isinstance(obj, ri.SexpVector):
        dim = ro.r["dim"](obj)
        if dim is not ri.NULL and len(dim) == 2:
            nrow, ncol = int(dim[0]), int(dim[1])
            values = np.array(list(obj), dtype=object).reshape((ncol, nrow)).T
            dimnames = ro.r["dimnames"](obj)
            rows = cols = None
            if dimnames is not ri.NULL:
                rows = None if dimnames[0] is ri.NULL else list(dimnames[0])
                cols = None if dimnames[1] is ri.NULL else list(dimnames[1])
            frame = pd.DataFrame(values, index=rows, columns=cols).infer_objects()
            return frame
        if "factor" in rclass:
            values = list(ro.r["as.character"](obj))
        else:
            values = list(obj)
        values = [_scalar(v) for v in values]
        names = list(obj.names) if obj.names is not ri.NULL and obj.names is not None else None
        if len(values) == 1 and not names:
            return values[0]
        if names and all(names):
            return dict(zip(names, values))
        if all(isinstance(v, str) or v is None for v in values):
            return values
        return np.array([np.nan if v is None else v for v in values])
    return obj


def _scalar(v):
    from rpy2 import rinterface as ri
    if v is ri.NA_Logical or v is ri.NA_Integer or v is ri.NA_Character:
        return None
    if isinstance(v, float) and math.isnan(v):
        return float("nan")
    return v


# ---------------------------------------------------------------------------------------------
# Calling R
# ---------------------------------------------------------------------------------------------

def call(fname: str, *args, seed: int | None = None, keep_r: bool = False, **kwargs):
    """Call the R function ``fname`` (from r/ or any namespace, e.g. ``"stats::t.test"``).

    Positional and keyword arguments are converted to R and bound to symbols first. R errors raise
    :class:`RError` naming ``fname`` with R's message; R warnings are re-issued as :class:`RWarning`.
    """
    with _session() as ro:
        env = _env()
        callenv = ro.r["new.env"](parent=env)
        argnames = []
        for i, value in enumerate(args):
            name = f".pos{i}"
            callenv[name] = to_r(value)
            argnames.append(name)
        for name, value in kwargs.items():
            callenv[name] = to_r(value)
            argnames.append(name)
        if seed is not None:
            ro.r["set.seed"](int(seed), kind="Mersenne-Twister", **{"normal.kind": "Inversion",
                                                                      "sample.kind": "Rejection"})
        try:
            result = env.find(".eprstats_call")(ro.StrVector([fname]), ro.StrVector(argnames)
                                                if argnames else ro.r("character()"), callenv)
        except Exception as exc:  # an error outside the handler (e.g. R ran out of memory)
            raise RError(fname, str(exc)) from None
        value = result.rx2("value")
        for message in result.rx2("warnings"):
            warnings.warn(f"R warning in {fname}(): {message}", RWarning, stacklevel=2)
        if "eprstats_error" in list(value.rclass):
            raise RError(fname, str(value.rx2("message")[0]))
        return value if keep_r else to_python(value)


def evaluate(code: str, **bindings):
    """Evaluate a short R expression with Python values bound to names (used by tests as the
    'R called directly' oracle, and for one-liners). Returns plain Python."""
    with _session() as ro:
        callenv = ro.r["new.env"](parent=_env())
        for name, value in bindings.items():
            callenv[name] = to_r(value)
        wrapped = f"function() {{ {code} }}"
        fn = ro.r["eval"](ro.r["parse"](text=wrapped), callenv)
        holder = ro.r["new.env"](parent=callenv)
        holder[".f"] = fn
        result = _env().find(".eprstats_call")(ro.StrVector([".f"]), ro.r("character()"), holder)
        value = result.rx2("value")
        if "eprstats_error" in list(value.rclass):
            raise RError("eval", str(value.rx2("message")[0]))
        for message in result.rx2("warnings"):
            warnings.warn(f"R warning: {message}", RWarning, stacklevel=2)
        return to_python(value)
