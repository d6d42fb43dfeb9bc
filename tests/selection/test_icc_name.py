"""``ep.icc(..., name=...)`` takes the file stem the ``icc`` command takes from ``--out`` (issue #23): the same
files, byte for byte, and a name that is not a file stem is refused."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import eprstats as ep
from eprstats.errors import InputError


@pytest.fixture
def readers(tmp_path):
    rng = np.random.default_rng(23)
    truth = rng.normal(size=(30, 3))
    paths = []
    for k in range(2):
        frame = pd.DataFrame(truth + rng.normal(scale=0.3, size=truth.shape), columns=["f1", "f2", "f3"])
        frame.insert(0, "id", [f"p{i:02d}" for i in range(30)])
        paths.append(tmp_path / f"reader{k + 1}.csv")
        frame.to_csv(paths[-1], index=False)
    return paths


def test_the_api_name_writes_what_the_command_writes(readers, run_cli, tmp_path):
    code, _, err = run_cli("icc", *readers, "--id", "id", "--threshold", 0.8, "--out", tmp_path / "cli" /
                           "icc_tumour.csv")
    assert code == 0, err
    from eprstats.fileio import read_csv
    ratings = {p.stem: read_csv(p) for p in readers}  # as the command reads them
    result = ep.icc(ratings, id_col="id", threshold=0.8, name="icc_tumour")
    assert result.name == "icc_tumour"
    written = result.write(tmp_path / "api")
    names = sorted(p.name for p in written if p.suffix == ".csv")
    assert "icc_tumour.csv" in names and "icc_tumour_summary.csv" in names
    for name in names:
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


@pytest.mark.parametrize("bad", ["", "out/icc", "../icc", ".hidden", 3])
def test_a_name_that_is_not_a_file_stem_is_refused(readers, bad):
    ratings = {p.stem: pd.read_csv(p, dtype={"id": str}) for p in readers}
    with pytest.raises(InputError, match="file stem"):
        ep.icc(ratings, id_col="id", name=bad)
