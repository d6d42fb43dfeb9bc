"""A plain cases CSV is read without pandas (so that `eprstats extract --jobs 1` extracts without pandas in its
memory, issue #25) and gives exactly the cases -- and errors -- that pandas' reading gives; any other CSV is read
by pandas. The reference is pandas itself: each file is also read by :func:`eprstats.fileio.read_csv` and that
frame turned into cases by the same function."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pandas._libs.parsers import STR_NA_VALUES

from eprstats.errors import InputError
from eprstats.fileio import read_csv
from eprstats.handcrafted.parallel import _NOT_TEXT, _plain_table, cases_from_rows

PLAIN = {
    "demo": ("id,roi,image,mask\nD001,PVP_tumour,a.nrrd,t.nrrd\nD001,PVP_ring,a.nrrd,r.nrrd\n"
             "D002,PVP_tumour,b.nrrd,u.nrrd\n"),
    "no roi, no final newline": "id,image,mask\nP1,/abs/a.nrrd,m1.nrrd\nP2,b.nrrd,m2.nrrd",
    "labels and blanks": "id,roi,image,mask,label\nP1,t,a.nrrd,m.nrrd,2\nP1,r,a.nrrd,m.nrrd,\nP2,t,b.nrrd,m.nrrd,+7\n",
    "crlf, bom, spaced header": "\ufeff id , roi,image,mask\r\nX-1,t,a.nrrd,m.nrrd\r\nX-2,t,a.nrrd,m.nrrd\r\n",
    "other columns": "id,note,image,mask\nP1,001,a.nrrd,m.nrrd\nP2,,b.nrrd,m.nrrd\n",
    "ids interleaved": "id,roi,image,mask\nB,t,a.nrrd,m.nrrd\nA,t,a.nrrd,m.nrrd\nB,r,a.nrrd,m.nrrd\n",
}
NOT_PLAIN = {
    "numeric ids": "id,image,mask\n001,a.nrrd,m.nrrd\n002,b.nrrd,m.nrrd\n",
    "mixed ids": "id,image,mask\nD1,a.nrrd,m.nrrd\n007,b.nrrd,m.nrrd\n",
    "NA id": "id,image,mask\nNA,a.nrrd,m.nrrd\nP2,b.nrrd,m.nrrd\n",
    "boolean roi": "id,roi,image,mask\nP1,True,a.nrrd,m.nrrd\nP1,false,a.nrrd,m.nrrd\n",
    "float labels": "id,image,mask,label\nP1,a.nrrd,m.nrrd,1.0\nP2,b.nrrd,m.nrrd,\n",
    "quoted": 'id,image,mask\n"P,1",a.nrrd,m.nrrd\n',
    "spaces in an id": "id,image,mask\n P1,a.nrrd,m.nrrd\n",
    "semicolons": "id;image;mask\nP1;a.nrrd;m.nrrd\n",
    "blank line": "id,image,mask\nP1,a.nrrd,m.nrrd\n\nP2,b.nrrd,m.nrrd\n",
    "short row": "id,roi,image,mask\nP1,t,a.nrrd\n",
    "empty roi": "id,roi,image,mask\nP1,,a.nrrd,m.nrrd\n",
}


def _write(tmp_path, text):
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def _by_pandas(path):
    return cases_from_rows(read_csv(path, "extraction table"), root=path.parent)


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_csv_gives_pandas_cases(tmp_path, name):
    path = _write(tmp_path, PLAIN[name])
    assert _plain_table(path) is not None  # read without pandas
    assert cases_from_rows(path) == _by_pandas(path)


@pytest.mark.parametrize("name", sorted(NOT_PLAIN))
def test_other_csv_is_read_by_pandas(tmp_path, name):
    path = _write(tmp_path, NOT_PLAIN[name])
    assert _plain_table(path) is None
    assert cases_from_rows(path) == _by_pandas(path)


def test_duplicate_roi_is_the_same_error(tmp_path):
    path = _write(tmp_path, "id,roi,image,mask\nP1,t,a.nrrd,m.nrrd\nP2,t,a.nrrd,m.nrrd\nP2,t,b.nrrd,m.nrrd\n")
    assert _plain_table(path) is not None
    with pytest.raises(InputError) as plain:
        cases_from_rows(path)
    with pytest.raises(InputError) as pandas_read:
        _by_pandas(path)
    assert str(plain.value) == str(pandas_read.value).replace("rows", str(path))
    assert "patient 'P2' has ROI 't' more than once" in str(plain.value) and str(path) in str(plain.value)


def test_missing_values_are_pandas_own():
    assert set(STR_NA_VALUES) <= _NOT_TEXT


def test_plain_csv_loads_no_pandas(tmp_path):
    path = _write(tmp_path, PLAIN["demo"])
    code = ("import sys; from eprstats.handcrafted.parallel import cases_from_rows; "
            f"cases = cases_from_rows({str(path)!r}); print(len(cases), 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False"]
