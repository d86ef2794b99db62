"""The one bounded reader: every input file the library reads comes through here.

It opens the file first and then asks the open handle what it is (never
stat-then-read): only a regular file is read, or standard input when the
caller allows it and the path is ``-``. It reads at most ``limit + 1`` bytes,
so ``/dev/zero``, a FIFO, a growing file or a file that lies about its size
ends in one :class:`~backoffice_marketing.exceptions.LoadError`, not a hang
or an exhausted memory.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.limits import (
    MAX_ARCHIVE_ENTRIES,
    MAX_COMPRESSION_RATIO,
    MAX_LOG_ROWS,
    MAX_PART_BYTES,
    MAX_UNCOMPRESSED_BYTES,
)
from backoffice_marketing.foundation.messages import message as _message

if TYPE_CHECKING:
    import zipfile

__all__ = [
    "check_log_rows",
    "check_regular_file",
    "open_zip_bounded",
    "read_bytes_bounded",
    "read_text_bounded",
]

StrPath = str | os.PathLike[str]
_CHUNK = 1024 * 1024


def _error(file: str, message: str) -> LoadError:
    return LoadError([Problem.for_file(file, message)])


def _too_large(file: str, what: str, limit: int) -> LoadError:
    return _error(file, _message("file.too_large", what=what, limit=limit))


def _read_stream(read: Callable[[int], bytes], file: str, *, limit: int, what: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise _too_large(file, what, limit)
    return b"".join(chunks)


def _open_regular(file: str) -> int:
    """A descriptor of ``file`` opened for reading, if it is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(file, flags)
    except OSError as error:
        raise _error(file, _message("file.unreadable", reason=error.strerror)) from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as error:  # pragma: no cover - fstat of an open descriptor
        os.close(fd)
        raise _error(file, _message("file.unreadable", reason=error.strerror)) from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        code = "file.is_folder" if stat.S_ISDIR(mode) else "file.not_regular"
        raise _error(file, _message(code))
    return fd


def check_regular_file(path: StrPath, *, limit: int, what: str) -> Path:
    """``path`` if it is a regular file of at most ``limit`` bytes (for readers that take paths).

    Some readers (Parquet, lazy CSV scans) must be handed a path. For them the
    file is opened and its open handle checked, which refuses devices and FIFOs;
    a regular file's size is then known without reading it.
    """
    file = os.fspath(path)
    fd = _open_regular(file)
    try:
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if size > limit:
        raise _too_large(file, what, limit)
    return Path(file)


def read_bytes_bounded(
    path: StrPath, *, limit: int, what: str = "file", allow_stdin: bool = False
) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``; a :class:`LoadError` otherwise.

    ``what`` names the input in messages ("TOML document", "usage log").
    ``-`` means standard input only when ``allow_stdin`` is true.
    """
    file = os.fspath(path)
    if file == "-" and allow_stdin:
        return _read_stream(sys.stdin.buffer.read, "<stdin>", limit=limit, what=what)
    fd = _open_regular(file)
    try:
        return _read_stream(lambda size: os.read(fd, size), file, limit=limit, what=what)
    except OSError as error:  # pragma: no cover - a read error after a good open
        raise _error(file, _message("file.unreadable", reason=error.strerror)) from None
    finally:
        os.close(fd)


def read_text_bounded(
    path: StrPath, *, limit: int, what: str = "file", allow_stdin: bool = False
) -> str:
    """The UTF-8 text (a byte-order mark dropped) of at most ``limit`` bytes of ``path``."""
    raw = read_bytes_bounded(path, limit=limit, what=what, allow_stdin=allow_stdin)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        file = "<stdin>" if os.fspath(path) == "-" and allow_stdin else os.fspath(path)
        raise LoadError(
            [Problem(file, line, None, "", _message("document.not_utf8", byte=error.start))]
        ) from None


def open_zip_bounded(raw: bytes, file: str, *, what: str) -> zipfile.ZipFile:
    """The zip archive ``raw``, checked against the archive limits before any member is read.

    The members' declared sizes bound what :mod:`zipfile` inflates (it stops at
    the declared size and checks the CRC), so checking them here bounds the work.
    """
    import io  # noqa: PLC0415  (archives are rare: keep the import of the package light)
    import zipfile  # noqa: PLC0415

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        raise _error(file, _message("zip.damaged", what=what)) from None
    entries = archive.infolist()
    problem: str = ""
    part = ""
    big = next((info for info in entries if info.file_size > MAX_PART_BYTES), None)
    dense = next(
        (
            info
            for info in entries
            if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ),
        None,
    )
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        problem = _message("zip.too_many_entries", count=len(entries), limit=MAX_ARCHIVE_ENTRIES)
    elif big is not None:
        problem = _message("zip.part_too_large", size=big.file_size, limit=MAX_PART_BYTES)
        part = big.filename
    elif sum(info.file_size for info in entries) > MAX_UNCOMPRESSED_BYTES:
        problem = _message("zip.too_large_uncompressed", limit=MAX_UNCOMPRESSED_BYTES)
    elif dense is not None:
        problem, part = _message("zip.suspicious_compression"), dense.filename
    if problem:
        archive.close()
        raise LoadError([Problem(file, None, None, part, problem)])
    return archive


def _too_many_rows(file: str, what: str, rows: int, limit: int) -> LoadError:
    return _error(file, f"{what}: {rows:,} rows or more; at most {limit:,} are accepted")


def check_log_rows(path: StrPath, *, limit: int = MAX_LOG_ROWS, what: str = "log") -> int:
    """The row count of a CSV or Parquet log, refused over ``limit`` before it is loaded.

    Parquet: the count declared in the file's metadata (read with pyarrow,
    without reading any data), so that a small file of highly compressed rows
    is refused before it is decompressed. CSV: the lines, counted while the
    file is streamed in chunks (a quoted line break counts too: an upper bound).
    """
    file = os.fspath(path)
    if Path(file).suffix.lower() in {".parquet", ".pq"}:
        rows = _parquet_rows(file)
    else:
        rows = 0
        fd = _open_regular(file)
        with os.fdopen(fd, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                rows += chunk.count(b"\n")
                if rows > limit + 1:  # the header line is not a row
                    break
        rows = max(rows - 1, 0)
    if rows > limit:
        raise _too_many_rows(file, what, rows, limit)
    return rows


def _parquet_rows(file: str) -> int:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:  # pragma: no cover - pyarrow ships with the [data] extra
        return 0
    try:
        return int(pq.ParquetFile(file).metadata.num_rows)
    except (OSError, ValueError) as error:  # ArrowInvalid is a ValueError
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise _error(file, f"not a readable Parquet file: {first[:200]}") from None
