"""Patient ids and ROI names as file and folder names: one function, so that no name leaves ``--out``.

:func:`safe_component` turns a name into ONE path component by percent-encoding (RFC 3986 style, the
bytes of the UTF-8 text) every character that could leave the folder, hide the file, be read as an option,
or mean something else on another operating system; everything else is kept, so ordinary ids (``P001``,
``00001``, ``HCC-12``, ``Müller``, ``case 7``) are their own file names and outputs of ordinary studies do
not change. ``%`` itself is encoded, so the mapping is one-to-one and ``urllib.parse.unquote`` gives the
name back. :func:`check_unique_components` refuses names that would share a file on a case-insensitive or
Unicode-normalising file system (Windows, macOS).

Encoded: ``/``, ``\\``, ``%``, control and invisible format characters (NUL, newline, DEL, U+0080-U+009F,
right-to-left overrides, zero-width spaces, line/paragraph separators, lone surrogates), the characters Windows forbids (``< > : " | ? *``), a leading ``.`` or ``-`` (``.``, ``..``,
hidden files, ``-rf``), trailing dots and spaces (Windows drops them), and the first letter of Windows
device names (``CON``, ``NUL``, ``COM1``...). Refused: an empty name, and one whose file name would be
longer than 200 bytes.
"""
from __future__ import annotations

import re
import unicodedata

from .errors import InputError

#: longest component, in UTF-8 bytes: file systems allow 255 and callers add suffixes such as "_features.csv"
MAX_BYTES = 200

_ALWAYS = set('/\\%<>:"|?*')
_DEVICE = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.IGNORECASE)


def _encode(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))


def _unsafe(char: str) -> bool:
    return char in _ALWAYS or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def safe_component(text, what: str = "patient id") -> str:
    """``text`` (a patient id, ROI name...) as one file or folder name that stays inside its folder.

    Unsafe characters become ``%XX`` (the hex of their UTF-8 bytes); ordinary names are returned unchanged.
    ``what`` names the kind of name in the error (``"patient id"`` puts it in the error's patient field).

    Raises InputError for an empty name and for one longer than 200 bytes once encoded.

    Example
    -------
    >>> safe_component("P001"), safe_component("T/001"), safe_component(".."), safe_component("-rf")
    ('P001', 'T%2F001', '%2E%2E', '%2Drf')
    """
    name = "" if text is None else str(text)
    patient = name if what == "patient id" else None
    if not name:
        raise InputError(f"a {what} is empty, so it cannot name a file",
                         f"give every {what} a non-empty value", patient=patient)
    chars = [_encode(c) if _unsafe(c) else c for c in name]
    if name[0] in ".-":  # ".", "..", hidden files, names read as command-line options
        chars[0] = _encode(name[0])
    for i in range(len(name) - 1, -1, -1):  # Windows drops trailing dots and spaces: "P1." would be "P1"
        if name[i] not in ". ":
            break
        chars[i] = _encode(name[i])
    if _DEVICE.fullmatch(name):
        chars[0] = _encode(name[0])  # CON, NUL, COM1... are devices on Windows, whatever the extension
    out = "".join(chars)
    size = len(out.encode("utf-8"))
    if size > MAX_BYTES:
        raise InputError(f"the {what} {name[:60]!r}... is too long to be a file name ({size} bytes as a file "
                         f"name; at most {MAX_BYTES})", f"shorten the {what} (e.g. use a study number)",
                         patient=patient)
    return out


def _fold(component: str) -> str:
    """What a case-insensitive, Unicode-normalising file system compares."""
    return unicodedata.normalize("NFC", component).casefold()


def check_unique_components(names, what: str = "patient id") -> dict[str, str]:
    """Each distinct name's :func:`safe_component`, refusing two names that would share a file.

    Two different names collide when their components are equal once case-folded and Unicode-normalised
    (NFC): ``P001``/``p001`` or a composed/decomposed ``é`` are one file on Windows and macOS. Repeated
    identical names are not collisions (duplicates are the caller's check).

    Example
    -------
    >>> check_unique_components(["T/001", "T_001"])
    {'T/001': 'T%2F001', 'T_001': 'T_001'}
    """
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for text in names:
        name = "" if text is None else str(text)
        if name in out:
            continue
        component = safe_component(name, what)
        other = seen.setdefault(_fold(component), name)
        if other != name:
            raise InputError(f"the {what}s {other!r} and {name!r} would share one file name ({component!r}) "
                             "on a case-insensitive file system (Windows, macOS)",
                             f"make the {what}s differ by more than upper/lower case or accents",
                             patient=name if what == "patient id" else None)
        out[name] = component
    return out
