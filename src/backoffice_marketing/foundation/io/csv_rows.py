"""The one strict CSV reader (rosters, departments, logs); every failure is a :class:`LoadError`.

Files are read through the bounded reader (:mod:`backoffice_marketing.foundation.io.bounded`)
under :data:`~backoffice_marketing.foundation.io.limits.MAX_LOG_BYTES`; text that is
neither UTF-8 nor cp932 (see :mod:`backoffice_marketing.foundation.io.encodings`), a NUL
byte, an unterminated quote or a field over the csv module's field limit is
reported with the file and line.
"""

from __future__ import annotations

import csv
import io
import os

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.bounded import read_bytes_bounded
from backoffice_marketing.foundation.io.encodings import decode_text
from backoffice_marketing.foundation.io.limits import MAX_LOG_BYTES
from backoffice_marketing.foundation.messages import message as _message

__all__ = ["csv_rows", "read_text_file"]


def read_text_file(
    path: str | os.PathLike[str],
    *,
    limit: int = MAX_LOG_BYTES,
    what: str = "CSV file",
    encoding: str | None = None,
) -> str:
    """The text of ``path``: UTF-8 (a byte-order mark dropped) or cp932, or ``encoding``."""
    raw = read_bytes_bounded(path, limit=limit, what=what)
    return decode_text(raw, file=os.fspath(path), encoding=encoding)


def csv_rows(
    text: str, *, file: str = "<csv>"
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The stripped header and the rows of CSV ``text``, each with its line number."""
    reader = csv.DictReader(io.StringIO(text))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = header
        rows.extend((reader.line_num, row) for row in reader)
    except csv.Error as error:
        raise LoadError(
            [Problem(file, reader.line_num or 1, None, "", _message("csv.invalid", detail=error))]
        ) from None
    return header, rows
