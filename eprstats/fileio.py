"""Atomic writes and input hashing, shared by every stage.

Every output is written to a temporary file in the same folder and renamed into place, so that a run
killed at any moment leaves either the previous file or the complete new one, never a torn file.
"""
from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # pandas is imported where a table is read, not at import
    import pandas as pd


#: marks the temporary files of :func:`atomic_path` (``.NAME.tmp-XXXXXXXX.SUFFIX``), so that those left by a
#: killed run can be told apart from anything else and removed (:func:`remove_stale_temporaries`).
TEMP_MARK = ".tmp-"
# mkstemp creates files readable by their owner only; outputs get the usual permissions (umask applied).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
#: errno values that mean the disk (or the file-size limit) is full, with the fix for each
_FULL = {errno.ENOSPC: ("the disk is full", "free space on that disk or write the results to another folder "
                        "(--out); the files already finished were kept"),
         errno.EDQUOT: ("the disk quota is exceeded", "free space within your quota or write the results to "
                        "another folder (--out); the files already finished were kept"),
         errno.EFBIG: ("the file is larger than this process may write (file-size limit, `ulimit -f`)",
                       "raise the limit (`ulimit -f unlimited`) or write the results to another folder (--out); "
                       "the files already finished were kept")}


class OutputWriteError(InputError):
    """An output could not be written (disk full, quota, file-size limit, no permission): exit code 2.

    Raised by :func:`atomic_path` with the path and the fix; the partial file is removed first. The study
    runner stops at the first one instead of trying the later stages on the same full disk.
    """

    def __init__(self, path, exc: OSError):
        self.errno = exc.errno
        what, fix = _FULL.get(exc.errno, (None, None))
        reason = exc.strerror or str(exc)
        if what is None and "errno 28" in str(exc).lower():  # pyarrow words ENOSPC in its own message
            (what, fix), reason = _FULL[errno.ENOSPC], os.strerror(errno.ENOSPC)
        if what is None:
            what, fix = "the output could not be written", "check that the folder exists and is writable, or " \
                                                           "write the results to another folder (--out)"
        super().__init__(f"{what}: could not write this output ({reason}); nothing partial was left", fix,
                         file=str(path))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds.

    A full disk or any other error removes the temporary file and re-raises (an OSError as
    :class:`OutputWriteError`, an InputError naming the path and the fix), so no partial output is ever
    left looking complete. A run killed with SIGKILL can leave the temporary file itself (hidden, named
    ``.NAME.tmp-*``); :func:`remove_stale_temporaries` clears those when the run is resumed.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=suffix or path.suffix or ".tmp",
                                   dir=path.parent)
        os.close(fd)
        os.chmod(tmp, 0o666 & ~_UMASK)
    except OSError as exc:
        if tmp is not None:
            _unlink(tmp)
        raise OutputWriteError(path, exc) from None
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise OutputWriteError(path, exc) from None
    except BaseException:
        _unlink(tmp)
        raise


def remove_stale_temporaries(folder) -> list[Path]:
    """Remove the temporary files that :func:`atomic_path` left under ``folder`` when a run was killed.

    Only call this when no other process is writing into ``folder`` (e.g. when a run starts).
    Returns the files removed.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for p in folder.rglob(f".*{TEMP_MARK}*"):
        if p.is_file() and not p.is_symlink():
            _unlink(p)
            removed.append(p)
    return removed


def _unlink(p):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(p)


def write_text(path, text: str) -> Path:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)


def write_json(path, obj) -> Path:
    return write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n")


def write_csv(path, frame: pd.DataFrame, index: bool = False) -> Path:
    """CSV with fixed formatting (LF line ends, repr floats) so that the same data give the same bytes."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=index, lineterminator="\n")
    return Path(path)


def write_parquet(path, frame: pd.DataFrame) -> Path:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(path)


def file_sha256(path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def settings_hash(obj) -> str:
    """A stable hash of JSON-able settings (keys sorted)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def read_text(path, what: str = "text") -> str:
    """A user's text file (a mapping, a list) as UTF-8 text, or an InputError naming the file: missing, a
    folder, or not UTF-8 text (a spreadsheet, an image, a Latin-1 export)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"the {what} file does not exist", "check the path", file=str(path))
    if path.is_dir():
        raise InputError(f"the {what} path is a folder, not a file", "give the file itself", file=str(path))
    raw = path.read_bytes()
    binary = b"\0" in raw[:4096] or raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not binary:
            raise InputError(f"the {what} file is not UTF-8 text (byte {exc.start} is not valid UTF-8)",
                             "re-save it as UTF-8 text / CSV (e.g. in Excel: 'CSV UTF-8')", file=str(path)) from None
        text = None
    if binary or text is None:
        raise InputError(f"the {what} file is not a text file (it looks like a spreadsheet, an image or another "
                         "binary file)", "give a UTF-8 CSV file (export the sheet as 'CSV UTF-8')", file=str(path))
    return text


def read_csv(path, what: str = "table", text_columns=()) -> pd.DataFrame:
    """Read a user's CSV with clear errors: missing file, unreadable, non-UTF-8, ';'-separated.

    ``text_columns`` (patient ids) are read as text exactly as written: ``00001``, ``1.0``, ``NA`` and
    ``null`` stay so (an empty cell stays missing, for the caller to refuse)."""
    import pandas as pd  # here, not at import: the command line's help must not load pandas

    path = Path(path)
    if not path.exists():
        raise InputError(f"the {what} file does not exist", "check the path", file=str(path))
    if path.is_dir():
        raise InputError(f"the {what} path is a folder, not a CSV file", "give the CSV file itself",
                         file=str(path))
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(f"the {what} file is empty", "export the table again", file=str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the {what} file is not UTF-8 (byte {exc.start} is not valid UTF-8)",
                         "re-save it as UTF-8 CSV (e.g. in Excel: 'CSV UTF-8')", file=str(path)) from None
    first = text.splitlines()[0] if text else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        # round_trip: the float written is the float read (pandas' default parser can be 1 ulp off, so a
        # command reading a CSV would differ in the last digit from a stage holding the same numbers)
        frame = pd.read_csv(io.StringIO(text), sep=sep, float_precision="round_trip",
                            **_text_options(first, sep, text_columns))
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"the {what} file could not be parsed as CSV ({exc})",
                         "check that every row has the same number of fields", file=str(path)) from None
    if not isinstance(frame.index, pd.RangeIndex):
        # rows with more fields than the header: pandas silently moves the leading fields into the index,
        # shifting every column's values by one (a trailing ',' on each row is enough)
        raise InputError(f"the {what} file's rows have more fields than its header ({len(frame.columns)} column "
                         "names), so the values would be read under the wrong columns",
                         "check that every row has as many fields as the header (remove a trailing ',' or ';' "
                         "at the end of the rows, or name the extra column)", file=str(path))
    # pandas silently renames a repeated header ("a", "a.1"): check the header as written
    header = [h.strip() for h in next(csv.reader([first], delimiter=sep))]
    dup = sorted({h for h in header if header.count(h) > 1})
    frame.columns = [str(c).strip() for c in frame.columns]
    if dup:
        raise InputError(f"the {what} file has duplicated column names {dup}",
                         "rename the columns so each is unique", file=str(path))
    return frame



def _text_options(first_line: str, sep: str, columns) -> dict:
    """pandas options reading ``columns`` as text: no number parsing, and only an empty cell is missing there
    (pandas would read ``NA`` and ``null`` as missing and ``00001`` as 1); other columns as pandas reads them."""
    columns = [c for c in columns if c]
    if not columns:
        return {}

    from pandas._libs.parsers import STR_NA_VALUES

    header = next(csv.reader([first_line], delimiter=sep), [])
    text = {h for h in header if h.strip() in columns}
    na = {h: ([""] if h in text else sorted(STR_NA_VALUES)) for h in header}
    return {"dtype": {h: str for h in text}, "keep_default_na": False, "na_values": na}
