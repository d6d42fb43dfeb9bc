"""The R bridge, packaging, and the command line's contract."""
from __future__ import annotations

import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eprstats.errors import MissingDependencyError, RError, RWarning
from tests.conftest import REPO


def test_r_error_names_function_and_keeps_message(r):
    with pytest.raises(RError) as info:
        r.call("stats::chisq.test", np.array([1.0, -1.0]))
    assert info.value.r_function == "stats::chisq.test"
    assert "all entries of 'x' must be nonnegative and finite" in info.value.r_message
    # the bridge is still usable after an R error
    assert r.call("base::sum", np.array([1.0, 2.0])) == 3.0


def test_r_warning_becomes_python_warning(r):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r.call("base::as.integer", ["x"])
    assert any(issubclass(w.category, RWarning) and "NAs introduced by coercion" in str(w.message)
               for w in caught)


def test_one_dimensional_arrays_have_no_dim_in_r(r):
    assert r.evaluate("is.null(dim(x))", x=np.arange(5.0)) is True
    assert r.evaluate("is.null(dim(x))", x=pd.Series([1.0, 2.0])) is True


def test_cv_glmnet_runs_on_converted_vectors(r):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    y = (X[:, 0] + rng.normal(size=60) > 0).astype(int)
    fit = r.call("glmnet::cv.glmnet", X, y, family="binomial", nfolds=5, keep_r=True, seed=1)
    assert float(r.to_python(fit.rx2("lambda.min"))) > 0


def test_code_is_sourced_into_own_environment_not_global(r):
    r.call("base::sum", 1.0)  # make sure r/ is loaded
    assert r.evaluate('exists("characteristics_categorical_test", envir = globalenv(), inherits = FALSE)') is False
    assert r.evaluate('exists("characteristics_categorical_test")') is True


def test_models_record_symbols_not_data(r):
    data = pd.DataFrame({"x": np.arange(30.0), "y": np.r_[np.zeros(15), np.ones(15)]})
    data.loc[[3, 20], "y"] = [1, 0]
    fit = r.call("stats::glm", r.evaluate("y ~ x", ), data=data, family="binomial", keep_r=True)
    call_text = r.evaluate("paste(deparse(f$call), collapse = '')", f=fit)
    assert "data = data" in call_text and "c(0" not in call_text


def test_seed_is_set_in_r(r):
    a = r.call("stats::runif", 3, seed=42)
    b = r.call("stats::runif", 3, seed=42)
    direct = r.evaluate('set.seed(42, kind = "Mersenne-Twister", normal.kind = "Inversion", '
                        'sample.kind = "Rejection"); runif(3)')
    assert np.array_equal(a, b) and np.allclose(a, direct)


def test_missing_r_package_gives_apt_command(r):
    with pytest.raises(MissingDependencyError) as info:
        r.require_packages("notAPackageXYZ")
    assert "apt-get install" in info.value.message and "notAPackageXYZ" in info.value.message


def test_r_versions_reported(r):
    versions = r.package_versions()
    assert set(versions) == {"glmnet", "pROC", "rms", "Hmisc"}
    assert all(versions.values())
    assert r.r_version().startswith("R version")


def test_r_from_worker_threads(r):
    """A thread pool (or Dask's threaded scheduler) calling the bridge: rpy2 keeps its conversion rules per
    thread context, which a new thread lacks. The values come from R's own functions, called in two threads."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(2) as pool:
        medians = list(pool.map(lambda v: r.call("stats::median", v), [[1.0, 2.0, 5.0], [3.0, 4.0, 9.0, 10.0]]))
        total = pool.submit(r.evaluate, "sum(x)", x=[1.5, 2.5]).result()
        version = pool.submit(r.r_version).result()
    assert medians == [2.0, 6.5] and total == 4.0 and version.startswith("R version")


def test_doctor_exit_code_and_listing(run_cli, r):
    code, out, _ = run_cli("doctor")
    assert code == 0
    for name in ("rpy2", "R:glmnet", "R:pROC", "R:rms", "R:Hmisc"):
        assert name in out


@pytest.mark.slow
def test_plain_install_finds_r_sources(tmp_path):
    """A non-editable install must carry r/*.R inside the package (as eprstats/r/)."""
    import shutil
    # build from a copy, so that a concurrent build in the checkout cannot interfere
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "tests", "benchmarks"))
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(wheel_dir), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(wheel_dir.glob("eprstats-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    r_files = sorted(p.name for p in (REPO / "r").glob("*.R"))
    assert sorted(Path(n).name for n in names if n.startswith("eprstats/r/") and n.endswith(".R")) == r_files
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
    out = subprocess.run([sys.executable, "-c", "from eprstats import rbridge; print(rbridge.r_source_dir())"],
                         cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout.strip()
    assert Path(out) == target / "eprstats" / "r"


def test_child_processes_keep_their_python_after_r_starts(r):
    """rpy2 puts /usr/lib/<arch> on LD_LIBRARY_PATH while starting R; a child Python must still find
    its own site-packages (it found Debian's libpython before this was fixed)."""
    r.call("base::sum", 1.0)
    child = subprocess.run([sys.executable, "-c", "import numpy, pandas; print('ok')"],
                           capture_output=True, text=True)
    assert child.stdout.strip() == "ok", child.stderr
