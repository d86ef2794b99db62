"""The rows of an Excel workbook's first sheet, read within the archive limits."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from backoffice_marketing.exceptions import LoadError, MissingExtraError, Problem
from backoffice_marketing.foundation.io.bounded import open_zip_bounded

__all__ = ["Cell", "xlsx_rows"]

#: A cell's value as openpyxl gives it.
Cell = str | int | float | bool | dt.date | dt.datetime | None


def xlsx_rows(raw: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    """The ``(line, cells)`` of the first sheet of the workbook ``raw`` (values, not formulas)."""
    try:
        from openpyxl import load_workbook  # noqa: PLC0415  (optional extra, imported on use)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("excel", "openpyxl") from error
    open_zip_bounded(raw, file, what="xlsx workbook").close()
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise LoadError(
            [Problem.for_file(file, f"not a valid xlsx workbook ({type(error).__name__})")]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list[Cell](cells)
    finally:
        workbook.close()
