"""Deterministic, formula-safe Excel sheets shared by every xlsx export (``[excel]`` extra).

Every cell goes through :func:`~backoffice_marketing.render.cells.neutralise`,
so no text becomes a formula; dates are real date cells; :func:`repack` gives
every zip entry a fixed timestamp so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import Any

from backoffice_marketing.render.cells import CellValue, neutralise

__all__ = ["DATE_FORMAT", "add_sheet", "repack"]

DATE_FORMAT = "yyyy-mm-dd"
#: The timestamp of every zip entry (the earliest a zip file can store).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def _width(value: CellValue) -> int:
    """How many columns ``value`` needs: wide (East Asian) characters count twice."""
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in longest)


def add_sheet(
    workbook: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Add a sheet with a bold, frozen header row, typed cells and fitted columns."""
    from openpyxl.styles import Font  # noqa: PLC0415  (optional extra)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    sheet = workbook.create_sheet(title)
    widths = [_MIN_WIDTH] * len(header)
    bold = Font(bold=True)
    for row_index, values in enumerate([header, *rows], start=1):
        for column, raw in enumerate(values, start=1):
            value = neutralise(raw)
            cell = sheet.cell(row=row_index, column=column, value=value)
            if cell.data_type == "e":  # text such as "#N/A" is data here, not an error code
                cell.data_type = "s"
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if row_index == 1:
                cell.font = bold
            widths[column - 1] = max(widths[column - 1], min(_MAX_WIDTH, _width(value) + 2))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def repack(data: bytes) -> bytes:
    """The same zip archive with a fixed timestamp on every entry, for reproducible files."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry))
    return output.getvalue()
