"""Spreadsheet cells that stay data: no formulas, no control characters, no overlong text.

A spreadsheet application runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, after a tab or a line break, often still does) as a formula: a
department called ``=HYPERLINK("http://...")`` in a CSV or xlsx export would
become a link, or worse. :func:`neutralise` prefixes such text with an
apostrophe, strips the control characters that a worksheet cannot hold and
caps the length at Excel's limit, while numbers and dates stay typed values.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TypeAlias

__all__ = ["FORMULA_PREFIXES", "MAX_CELL_LENGTH", "CellValue", "neutralise"]

#: Excel keeps at most 32,767 characters (UTF-16 code units) in one cell.
MAX_CELL_LENGTH = 32_767

#: Text starting with one of these is neutralised with a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")

#: The values a cell can hold after :func:`neutralise`.
CellValue: TypeAlias = str | int | float | Decimal | bool | dt.date | dt.time | None

# C0 controls except tab, line feed, carriage return and NUL (NUL is checked as a
# prefix first, then removed), DEL, C1 controls, lone surrogates and the two
# non-characters that XML 1.0 forbids.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _cap(text: str) -> str:
    """``text`` cut to :data:`MAX_CELL_LENGTH` UTF-16 code units, never mid-character."""
    if len(text) <= MAX_CELL_LENGTH // 2:  # fast path: cannot exceed the limit
        return text
    units = text.encode("utf-16-le")
    if len(units) // 2 <= MAX_CELL_LENGTH:
        return text
    return units[: 2 * MAX_CELL_LENGTH].decode("utf-16-le", errors="ignore")


def neutralise(value: object) -> CellValue:
    """``value`` made safe for one spreadsheet cell (DESIGN §5.5).

    ``None``, booleans, numbers, dates, datetimes and times are returned as they
    are, so that they stay typed cells. Anything else becomes text: control
    characters other than tab and line breaks are removed, text that starts with
    ``=``, ``+``, ``-``, ``@``, a tab, a line break or NUL gets a leading
    apostrophe, NUL is removed, and the result is capped at 32,767 characters.
    Applying it twice gives the same result as applying it once.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    text = _CONTROL.sub("", value if isinstance(value, str) else str(value))
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return _cap(text.replace("\x00", ""))
