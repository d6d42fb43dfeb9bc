#!/usr/bin/env bash
# Set up everything eprstats needs on a fresh Debian or Ubuntu machine (run as root, or with sudo available):
# R and the R packages from Debian when missing, then eprstats and its Python dependencies.
#   scripts/setup.sh            statistics + imaging + deep features (what `eprstats demo` uses)
#   scripts/setup.sh --test     the same plus the test-only packages
#   scripts/setup.sh --dry-run  print the plan (which Python, which environment, every command); change nothing
#
# Which Python: $PYTHON (default python3). A Python whose installer is the system's (PEP 668: an
# EXTERNALLY-MANAGED file beside its standard library, as Debian 12's and Ubuntu 24.04's python3 have) refuses
# `pip install`; it gets a virtual environment of its own, $EPRSTATS_VENV (default .venv in this clone;
# python3-venv is installed when missing). Any other Python (pyenv, conda, a python.org build, an activated
# virtual environment) is installed into directly. Either way two commands are put in $EPRSTATS_BIN (default
# /usr/local/bin as root, on every PATH; ~/.local/bin otherwise, on the PATH from the next login): `eprstats`, and
# `eprstats-python`, the Python eprstats was installed into (the README runs the tests with it).
# $EPRSTATS_PIP_OPTIONS is added to every pip install (tests/test_setup.py uses "--no-deps").
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

extras="imaging,deep" test=0 dry=0
for arg in "$@"; do
  case "$arg" in
    --test) extras="imaging,deep,test" test=1 ;;
    --dry-run) dry=1 ;;
    *) echo "setup.sh: unknown option '$arg' (use --test and/or --dry-run)" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ -n "${EPRSTATS_BIN:-}" ]; then BIN=$EPRSTATS_BIN
elif [ "$(id -u)" -eq 0 ]; then BIN=/usr/local/bin
else BIN=$HOME/.local/bin; fi

# Commands that change the machine go through run: printed with --dry-run, executed otherwise.
run() {
  if [ $dry -eq 1 ]; then echo "+ $*"; else "$@"; fi
}
apt_install() {
  run $SUDO apt-get update -qq
  if [ $dry -eq 1 ]; then echo "+ $SUDO apt-get install -y -qq --no-install-recommends $*"
  else DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null; fi
}
# pip's exit status is the pipeline's (pipefail); only its harmless warnings about running as root and
# script locations are filtered out (the `|| true` keeps grep's "nothing left to print" from failing).
pip_install() {
  # shellcheck disable=SC2086  # EPRSTATS_PIP_OPTIONS is a list of options
  if [ $dry -eq 1 ]; then echo "+ $PY -m pip install $* ${EPRSTATS_PIP_OPTIONS:-}"; return; fi
  "$PY" -m pip install -q --disable-pip-version-check "$@" ${EPRSTATS_PIP_OPTIONS:-} 2>&1 \
    | { grep -v -E '^WARNING: (Location|Running pip|The script|The directory)' || true; }
}

# --- Python itself, when the machine has none (a minimal Debian or Ubuntu image) --------------------------
if ! command -v "$PY" >/dev/null 2>&1; then
  [ -z "${PYTHON:-}" ] || { echo "setup.sh: no Python '$PY' (PYTHON names a missing program)" >&2; exit 2; }
  apt_install python3 python3-venv python3-dev
  if [ $dry -eq 1 ]; then echo "+ (then the plan below for Debian's python3)"; exit 0; fi
fi

# --- R and the R packages (Debian's) -------------------------------------------------------------------
r_packages_ok() {  # installed (found on R's library paths; not loaded, which takes seconds for rms)
  Rscript -e "for (p in c($1)) if (!nzchar(system.file(package = p))) quit(status = 1)" >/dev/null 2>&1
}
need_r=0
command -v Rscript >/dev/null 2>&1 || need_r=1
if [ $need_r -eq 0 ]; then
  r_packages_ok '"glmnet","pROC","rms","Hmisc"' || need_r=1
  [ -e /usr/share/R/include/R.h ] || need_r=1   # r-base-dev: rpy2 builds its API mode against it
fi
[ $need_r -eq 1 ] && apt_install r-base-core r-base-dev r-cran-glmnet r-cran-proc r-cran-rms r-cran-hmisc
# car::leveneTest(center = mean), the oracle of Table 1's SPSS rule (tests/characteristics/test_spss.py)
if [ $test -eq 1 ] && ! r_packages_ok '"car"'; then
  apt_install r-cran-car
fi

# --- the Python environment ----------------------------------------------------------------------------
read -r managed version has_headers < <("$PY" - <<'EOF'
import os, sys, sysconfig
in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")  # PEP 668's place for it
headers = os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
print(int(os.path.exists(marker) and not in_venv), "%d.%d" % sys.version_info[:2], int(headers))
EOF
)
if [ "$managed" = 1 ]; then
  VENV=${EPRSTATS_VENV:-$REPO/.venv}
  case "$VENV" in /*) ;; *) VENV=$REPO/$VENV ;; esac   # the commands below exec it from anywhere
  echo "setup.sh: $PY (Python $version) is managed by the system (PEP 668); eprstats goes into the virtual environment $VENV"
  debs=()
  "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1 || debs+=("python$version-venv")
  [ "$has_headers" = 1 ] || debs+=("python$version-dev")   # rpy2 compiles against Python.h
  [ ${#debs[@]} -gt 0 ] && apt_install "${debs[@]}"
  if [ ! -x "$VENV/bin/python" ] && ! run "$PY" -m venv "$VENV"; then
    # Debian and Ubuntu ship ensurepip in python3.X-venv: an import can succeed while creating a venv fails
    rm -rf "$VENV"; apt_install "python$version-venv"; "$PY" -m venv "$VENV"
  fi
  PY=$VENV/bin/python
  SCRIPTS=$VENV/bin
else
  echo "setup.sh: eprstats goes into $PY (Python $version)"
  SCRIPTS=$("$PY" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
fi

pip_install -e ".[${extras}]"
if [ $test -eq 1 ]; then
  # the Riley sample-size oracle: PyPI's pmsampsize 0.1.0 declares Python >= 3.12 but runs on 3.11 (its own
  # dependencies are installed above); tests/evaluation/test_sample_size.py compares every n with it
  pip_install --no-deps --ignore-requires-python "pmsampsize==0.1.0"
fi

# --- the commands the README uses ------------------------------------------------------------------------
# Small scripts, not symbolic links: a link to a virtual environment's python does not start that environment.
link() {  # link NAME TARGET
  if [ $dry -eq 1 ]; then echo "+ write $BIN/$1: exec $2"; return; fi
  mkdir -p "$BIN"
  printf '#!/bin/sh\nexec "%s" "$@"\n' "$2" > "$BIN/$1.tmp" && chmod 755 "$BIN/$1.tmp" && mv -f "$BIN/$1.tmp" "$BIN/$1"
}
python_path=$PY
[ "$managed" = 1 ] || python_path=$("$PY" -c 'import sys; print(sys.executable)')
link eprstats-python "$python_path"
link eprstats "$SCRIPTS/eprstats"
[ $dry -eq 1 ] && exit 0

case "${EPRSTATS_PIP_OPTIONS:-}" in
  *--no-deps*) "$PY" -c "import eprstats" ;;   # no dependencies were installed: only eprstats itself
  *) "$PY" -c "import eprstats, rpy2" ;;
esac
case ":$PATH:" in
  *":$BIN:"*) echo "setup.sh: done; 'eprstats doctor' lists every component" ;;
  *) echo "setup.sh: done; $BIN is not on your PATH: run 'export PATH=\"$BIN:\$PATH\"' (or log in again)" ;;
esac
