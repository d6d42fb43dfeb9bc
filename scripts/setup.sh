#!/usr/bin/env bash
# Set up everything eprstats needs on a fresh Debian machine (run as root, or with sudo available):
# R and the R packages from Debian when missing, then eprstats and its Python dependencies.
#   scripts/setup.sh          statistics + imaging + deep features (what `eprstats demo` uses)
#   scripts/setup.sh --test   the same plus the test-only packages
set -euo pipefail
cd "$(dirname "$0")/.."
extras="imaging,deep"
[ "${1:-}" = "--test" ] && extras="imaging,deep,test"

need_r=0
command -v Rscript >/dev/null 2>&1 || need_r=1
if [ $need_r -eq 0 ]; then
  Rscript -e 'for (p in c("glmnet","pROC","rms","Hmisc")) if (!requireNamespace(p, quietly=TRUE)) quit(status=1)' \
    >/dev/null 2>&1 || need_r=1
  [ -e /usr/share/R/include/R.h ] || need_r=1   # r-base-dev: rpy2 builds its API mode against it
fi
if [ $need_r -eq 1 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    r-base-core r-base-dev r-cran-glmnet r-cran-proc r-cran-rms r-cran-hmisc >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[${extras}]" 2>&1 | grep -v -E '^WARNING: (Location|Running pip)' || true
if [ "${1:-}" = "--test" ]; then
  # car::leveneTest(center = mean), the oracle of Table 1's SPSS rule (tests/characteristics/test_spss.py)
  if ! Rscript -e 'quit(status = as.integer(!requireNamespace("car", quietly = TRUE)))' >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends r-cran-car >/dev/null
  fi
  # the Riley sample-size oracle: PyPI's pmsampsize 0.1.0 declares Python >= 3.12 but runs on 3.11 (its own
  # dependencies are installed above); tests/evaluation/test_sample_size.py compares every n with it
  python3 -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python "pmsampsize==0.1.0" 2>&1 \
    | grep -v -E '^WARNING: (Location|Running pip)' || true
fi
python3 -c "import eprstats, rpy2" 
