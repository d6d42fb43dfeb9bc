"""Hostile patient ids and ROI names turned into file names (issue #13: paths stay inside --out).

Every name goes through :func:`eprstats.paths.safe_component`; each test checks what must hold whatever the
name: the file it names is created directly inside the given folder (checked on the real file system and with
``Path.resolve().is_relative_to``), nothing appears anywhere else, the name comes back with the standard
``urllib.parse.unquote`` (so two ids never share a file), collisions on case-insensitive file systems are
refused, and ordinary ids are their own file names (outputs of ordinary studies do not change).
"""
from __future__ import annotations

import os
import random
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

from eprstats.errors import InputError
from eprstats.paths import MAX_BYTES, check_unique_components, safe_component

HOSTILE = [
    ".", "..", "...", "../../../escaped", "../x", "..\\..\\x", "/abs", "/", "//", "a/b", "a\\b", "a/../../b",
    "T/001", "C:", "C:\\Windows", "C:evil", "name\x00", "\x00", "a\nb", "\n", "\r\n", "\t", "line\u2028sep",
    "bell\x07", "del\x7f", "c1\x85", "\u202eevil", "zero\u200bwidth", "-rf", "--help", "-", ".hidden", ".git",
    "P1.", "P1 ", "P1. . ", " ", "CON", "con", "NUL", "nul.txt", "COM1", "LPT9.dat", "PRN", "AUX.nii.gz",
    "a:b", 'q"uote', "a|b", "a*b", "a?b", "<x>", "50%", "%2F", "%2e%2e", "~", "~root", "$HOME", "`id`",
    "a;rm -rf", "\udcff", "x" * 200, "é" * 100, "/" * 67, "émoji 🧪/..",
]
ORDINARY = ["P001", "00001", "1.0", "NA", "null", "HCC-12", "P_001", "T001", "Müller", "患者12", "case 7",
            "a.b", "1e5", "CONSOLE", "COM10", "nul2", "PVP_tumour", "PVP_ring@reader2", "AP_plus@repeat",
            "x" * 200, "id+1", "a,b", "(1)", "[2]", "#3", "@4", "O'Brien", "a b.c", "ñ", "x-"]


def _is_valid(name: str) -> bool:
    try:
        safe_component(name)
    except InputError:
        return False
    return True


def _check_component(name: str, root: Path) -> str:
    component = safe_component(name)
    assert isinstance(component, str) and component not in ("", ".", "..")
    assert not component.startswith((".", "-")) and not component.endswith((".", " "))
    assert not set(component) & set('/\\<>:"|?*'), component
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in component), component
    assert len(component.encode("utf-8")) <= MAX_BYTES
    assert unquote(component, errors="surrogatepass") == name  # one name per file: the escape is reversible
    for path in (root / component, root / f"{component}.json", root / f"features_{component}.parquet",
                 root / component / "PVP_tumour.nrrd"):
        assert path.resolve().is_relative_to(root.resolve()), path
    return component


@pytest.mark.parametrize("name", [n for n in HOSTILE if _is_valid(n)], ids=repr)
def test_hostile_name_stays_inside_the_folder(name, tmp_path, tried):
    tried(f"hostile name: {name!r}")
    root = tmp_path / "out"
    root.mkdir()
    (tmp_path / "sibling").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    component = _check_component(name, root)
    folder = root / component
    folder.mkdir()  # as a patient folder
    (folder / "PVP_tumour.nrrd").write_bytes(b"x")
    (root / f"{component}.json").write_text("{}")  # as a cache file
    assert sorted(os.listdir(root)) == sorted([component, f"{component}.json"])
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert set(after) - set(before) == {Path("out") / component, Path("out") / f"{component}.json",
                                        Path("out") / component / "PVP_tumour.nrrd"}


def test_hostile_names_never_share_a_file(tmp_path, tried):
    names = [n for n in HOSTILE if _is_valid(n)]
    components = [safe_component(n) for n in names]
    assert len(set(components)) == len(names)
    root = tmp_path / "out"
    root.mkdir()
    for i, c in enumerate(components):
        (root / c).write_text(str(i))
    assert sorted(os.listdir(root)) == sorted(components)
    for i, c in enumerate(components):
        assert (root / c).read_text() == str(i)
    tried("hostile names: all in one folder")


@pytest.mark.parametrize("name", ORDINARY, ids=repr)
def test_ordinary_names_are_unchanged(name):
    assert safe_component(name) == name
    assert safe_component(name, what="ROI name") == name


@pytest.mark.parametrize("name", ["", None, "x" * 201, "é" * 101, "/" * 68, "\x00" * 67],
                         ids=["empty", "None", "201 bytes", "202 bytes of é", "68 slashes", "67 NULs"])
def test_empty_and_too_long_names_are_refused(name, tried):
    tried(f"hostile name: refused {name!r:.30}")
    with pytest.raises(InputError) as err:
        safe_component(name)
    assert "patient id" in err.value.problem and err.value.fix
    assert err.value.patient == ("" if name is None else name)
    with pytest.raises(InputError) as err:
        safe_component(name, what="ROI name")
    assert "ROI name" in err.value.problem and err.value.patient is None


@pytest.mark.parametrize("pair", [("P001", "p001"), ("Tumour", "TUMOUR"), ("T/001", "t/001"),
                                  ("caf\u00e9", "cafe\u0301"), ("Ärger", "ärger")], ids=repr)
def test_names_colliding_on_case_insensitive_file_systems_are_refused(pair, tried):
    tried(f"hostile names: collision {pair!r}")
    with pytest.raises(InputError) as err:
        check_unique_components(["P999", *pair])
    assert repr(pair[0]) in err.value.problem and repr(pair[1]) in err.value.problem
    assert "file name" in err.value.problem and err.value.fix
    with pytest.raises(InputError, match="ROI name"):
        check_unique_components(list(pair), what="ROI name")


def test_names_that_only_look_alike_are_kept_apart():
    names = ["T/001", "T_001", "T%2F001", "CON", "%43ON", "..", "%2E%2E", "P1.", "P1", "P1%2E", "-rf", "%2Drf"]
    mapping = check_unique_components(names + ["T/001", "P1"])  # repeated ids are not collisions
    assert list(mapping) == names
    assert len(set(mapping.values())) == len(names)
    assert mapping["T/001"] == "T%2F001" and mapping["T%2F001"] == "T%252F001" and mapping["T_001"] == "T_001"


def test_random_hostile_names(tmp_path, tried):
    """Names drawn (seeded) from separators, dots, dashes, controls, Windows-reserved and non-ASCII
    characters: every one stays inside the folder, comes back by unquote, and distinct names stay apart."""
    rng = random.Random(13)
    alphabet = list("./\\-_ %:*?\"<>|~$`'aAzZ09") + ["\x00", "\n", "\x1f", "\x7f", "\u0085", "\u200b",
                                                      "\u202e", "\u2028", "é", "e\u0301", "🧪", "\udcff"]
    root = tmp_path / "out"
    root.mkdir()
    seen: dict[str, str] = {}
    for _ in range(150):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.2:
            name = rng.choice(["CON", "nul", "COM3", "LPT1"]) + rng.choice(["", ".txt", ".nii.gz"])
        tried(f"hostile name: random {name!r}")
        component = _check_component(name, root)
        assert seen.setdefault(component, name) == name
        (root / component).write_text(name, encoding="utf-8", errors="surrogatepass")
    assert sorted(os.listdir(root)) == sorted(seen)
