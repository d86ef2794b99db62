"""One table cell of a voice log, read into a record's value and written back.

Cells: dates are ``YYYY-MM-DD``; lists of names are separated by ``;``
(quotes, one per line in the cell); true/false also accept yes/no and 1/0.
Typed xlsx cells (numbers, booleans, dates) are taken as they are.

Written text goes through :func:`~backoffice_marketing.render.cells.neutralise`,
so text that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading
apostrophe. Reading takes that apostrophe off again (and a text that itself
starts with an apostrophe is written with a second one), so cells round-trip
exactly, except for control characters, which a cell cannot hold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from backoffice_marketing.foundation.messages import message
from backoffice_marketing.render.cells import FORMULA_PREFIXES, neutralise
from backoffice_marketing.voice.table_layout import ColumnKind

__all__ = ["Cell", "cell_text", "is_empty", "read_cell", "write_cell"]

#: What a CSV or xlsx reader gives for one cell.
Cell = str | int | float | bool | dt.date | dt.datetime | None

_ONE_OF_TRUE = {"true", "yes", "1"}
_ONE_OF_FALSE = {"false", "no", "0"}


def _unquote(text: str) -> str:
    """Undo the apostrophe that :func:`neutralise` (or the writer) put in front."""
    if (
        len(text) > 1
        and text[0] == "'"
        and (text[1] == "'" or text.startswith(FORMULA_PREFIXES, 1))
    ):
        return text[1:]
    return text


def cell_text(value: Cell) -> str:
    """The cell as the text a person sees (a whole float without ``.0``, a date in ISO form)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _unquote(str(value))


def is_empty(value: Cell) -> bool:
    """Whether the cell holds nothing but blanks."""
    return value is None or (isinstance(value, str) and not value.strip())


def _typed(value: Cell, kind: ColumnKind) -> tuple[object, str | None] | None:
    """A typed xlsx cell (number, boolean, date) converted directly, or ``None``."""
    if kind == "int" and isinstance(value, int | float) and not isinstance(value, bool):
        return (int(value), None) if float(value).is_integer() else None
    if kind == "bool" and isinstance(value, bool):
        return value, None
    if kind == "date" and isinstance(value, dt.datetime):
        if value.time() != dt.time():
            shown = value.isoformat(sep=" ")
            return None, f"expected a date (YYYY-MM-DD); found a time {shown!r}"
        return value.date(), None
    if kind == "date" and isinstance(value, dt.date):
        return value, None
    return None


def _parse_int(text: str) -> tuple[object, str | None]:
    digits = text.removeprefix("-").removeprefix("+")
    if digits.isascii() and digits.isdigit() and len(digits) <= 18:  # 64 bits, no digit limit
        return int(text), None
    return None, message("expected.integer", found=repr(text))


def _parse_bool(text: str) -> tuple[object, str | None]:
    lowered = text.lower()
    if lowered in _ONE_OF_TRUE or lowered in _ONE_OF_FALSE:
        return lowered in _ONE_OF_TRUE, None
    return None, message("expected.boolean_word", found=repr(text))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _parse_date(text: str) -> tuple[object, str | None]:
    try:
        if not _ISO_DATE.fullmatch(text):  # fromisoformat also takes 20270420 and 2027-W16-1
            raise ValueError(text)  # noqa: TRY301  (one message for both failures)
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, message("expected.date", found=repr(text))


_PARSERS: Mapping[ColumnKind, Callable[[str], tuple[object, str | None]]] = {
    "text": lambda text: (text, None),
    "lines": lambda text: ([line.rstrip("\r") for line in text.split("\n") if line.strip()], None),
    "id": lambda text: (text.strip(), None),
    "ids": lambda text: ([part.strip() for part in text.split(";") if part.strip()], None),
    "int": lambda text: _parse_int(text.strip()),
    "bool": lambda text: _parse_bool(text.strip()),
    "date": lambda text: _parse_date(text.strip()),
}


def read_cell(value: Cell, kind: ColumnKind) -> tuple[object, str | None]:
    """The cell as a document value, or ``(None, message)`` when it is not valid."""
    typed = _typed(value, kind)
    if typed is not None:
        return typed
    return _PARSERS[kind](cell_text(value))


def _safe_text(text: str) -> str:
    cell = neutralise("'" + text if text.startswith("'") else text)
    assert isinstance(cell, str)  # noqa: S101  (neutralise keeps text as text)
    return cell


def write_cell(value: object, kind: ColumnKind, *, typed: bool) -> Cell:
    """A record's value as a cell: typed (xlsx) or as text (CSV), text always neutralised."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        joined = ("\n" if kind == "lines" else ";").join(str(item) for item in value)
        return _safe_text(joined) if joined else None
    if isinstance(value, bool):
        return value if typed else ("true" if value else "false")
    if isinstance(value, int):
        return value if typed else str(value)
    if isinstance(value, dt.date):
        return value if typed else value.isoformat()
    return _safe_text(str(value))
