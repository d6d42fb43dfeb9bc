"""Bad patient tables thrown at the statistics commands: each must fail clearly, with exit code 2."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.robustness.corpus import assert_clean_failure, patients


def _write(tmp_path, name, frame=None, raw: bytes | None = None):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        frame.to_csv(path, index=False)
    return path


def _bad_tables():
    good = patients()
    cases = {}
    cases["missing file"] = (None, ["--outcome", "EPR"], ["does not exist"])
    cases["empty file"] = (b"", ["--outcome", "EPR"], ["is empty"])
    cases["latin-1 file"] = ("EPR,Geschlecht\n0,m\xe4nnlich\n1,weiblich\n".encode("latin-1"),
                             ["--outcome", "EPR"], ["not UTF-8"])
    cases["binary garbage"] = (bytes(range(256)) * 4, ["--outcome", "EPR"], ["not UTF-8"])
    cases["ragged rows"] = (b"EPR,a\n0,1\n1,2,3,4\n", ["--outcome", "EPR"], ["could not be parsed"])
    cases["duplicated column names"] = (b"EPR,a,a\n0,1,2\n1,2,3\n", ["--outcome", "EPR"], ["duplicated column"])
    cases["outcome column absent"] = (good.drop(columns="EPR"), ["--outcome", "EPR"], ["column 'EPR'"])
    cases["outcome one class"] = (good.assign(EPR=1), ["--outcome", "EPR"], ["only one class"])
    cases["outcome three classes"] = (good.assign(EPR=np.arange(len(good)) % 3), ["--outcome", "EPR"],
                                      ["['0', '1', '2']", "--event"])
    cases["outcome missing values"] = (good.assign(EPR=good.EPR.where(good.index % 7 != 0)),
                                       ["--outcome", "EPR"], ["no outcome value"])
    cases["cohort column absent"] = (good, ["--outcome", "EPR", "--cohort-col", "centre"], ["column 'centre'"])
    cases["cohort with no events"] = (good.assign(EPR=np.where(good.cohort == "external", 0, good.EPR)),
                                      ["--outcome", "EPR", "--cohort-col", "cohort"], ["cohort 'external'"])
    cases["cohort missing values"] = (good.assign(cohort=good.cohort.where(good.index != 3)),
                                      ["--outcome", "EPR", "--cohort-col", "cohort"], ["no cohort"])
    cases["variable absent"] = (good, ["--outcome", "EPR", "--variables", "ALT"], ["['ALT']"])
    cases["constant variable"] = (good.assign(AFP=1), ["--outcome", "EPR", "--variables", "AFP"], ["single level"])
    cases["all-missing variable"] = (good.assign(AFP=np.nan), ["--outcome", "EPR", "--variables", "AFP"],
                                     ["single level"])
    cases["text in continuous variable"] = (good.assign(age=good.age.astype(str).where(good.index != 2, "about fifty")),
                                            ["--outcome", "EPR", "--variables", "age", "--type", "age=continuous"],
                                            ["not numbers"])
    cases["infinite continuous value"] = (good.assign(age=good.age.where(good.index != 2, np.inf)),
                                          ["--outcome", "EPR", "--variables", "age"], ["infinite"])
    cases["unknown type"] = (good, ["--outcome", "EPR", "--variables", "age", "--type", "age=ordinal"],
                             ["unknown variable type"])
    cases["malformed --type"] = (good, ["--outcome", "EPR", "--type", "age"], ["VARIABLE=TYPE"])
    cases["unknown cohort in order"] = (good, ["--outcome", "EPR", "--cohort-col", "cohort", "--cohorts",
                                               "training,validation"], ["not in the data"])
    cases["three outcome labels"] = (good, ["--outcome", "EPR", "--outcome-labels", "a,b,c"], ["two names"])
    cases["unknown format"] = (good, ["--outcome", "EPR", "--variables", "AFP", "--formats", "pdf"],
                               ["unknown table format"])
    cases["identifier as variable"] = (good, ["--outcome", "EPR", "--variables", "id"], ["looks like an identifier"])
    return cases


CASES = _bad_tables()


@pytest.mark.parametrize("name", list(CASES))
def test_table1_bad_input(name, tmp_path, run_cli, tried, r):
    content, args, needles = CASES[name]
    if content is None:
        path = tmp_path / "absent.csv"
    elif isinstance(content, bytes):
        path = _write(tmp_path, "in.csv", raw=content)
    else:
        path = _write(tmp_path, "in.csv", content)
    out = tmp_path / "out"
    code, _, err = run_cli("table1", path, *args, "--out", out / "table1")
    tried(f"table1: {name}")
    assert_clean_failure(code, err, out, needles)


def test_semicolon_separated_csv_is_read(tmp_path, run_cli, tried, r):
    """European exports use ';': read correctly rather than failing."""
    path = tmp_path / "semicolon.csv"
    patients().to_csv(path, index=False, sep=";")
    code, _, err = run_cli("table1", path, "--outcome", "EPR", "--cohort-col", "cohort", "--variables",
                           "AFP", "--out", tmp_path / "out" / "t")
    tried("table1: semicolon separated")
    assert code == 0, err
    assert (tmp_path / "out" / "t.csv").exists()


def test_paths_with_spaces_and_non_ascii(tmp_path, run_cli, tried, r):
    folder = tmp_path / "Ödeme daten" / "Zürich cohort"
    folder.mkdir(parents=True)
    path = folder / "patients é.csv"
    patients().to_csv(path, index=False)
    code, _, err = run_cli("table1", path, "--outcome", "EPR", "--variables", "AFP", "--out",
                           folder / "résultats" / "table 1")
    tried("table1: path with spaces and non-ASCII")
    assert code == 0, err
    assert (folder / "résultats" / "table 1.csv").exists()
