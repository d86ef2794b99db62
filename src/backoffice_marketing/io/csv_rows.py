"""Reading CSV files (rosters, exports, logs) with every failure as a :class:`LoadError`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from backoffice_marketing.exceptions import LoadError, Problem

__all__ = ["csv_rows", "read_text_file"]


def read_text_file(path: Path) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped); a clear error otherwise."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise LoadError(
            [Problem(str(path), None, None, "", f"cannot read the file: {error.strerror}")]
        ) from None
    except UnicodeDecodeError as error:
        raise LoadError(
            [Problem(str(path), None, None, "", f"not valid UTF-8 at byte {error.start}")]
        ) from None


def csv_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The stripped header and the rows of CSV ``text``, each with its line number."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    return header, [(reader.line_num, row) for row in reader]
