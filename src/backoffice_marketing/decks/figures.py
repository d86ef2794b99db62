"""A figure on a slide: its text, and where its value is in which report's JSON.

Every number a deck shows is a :class:`Figure`: the value read from a
report's ``to_dict()`` at ``field`` (a path such as ``coverage.heard`` or
``company[6][1]``), formatted one way. The speaker notes name the source of
each; a test reads the field again from the JSON written in the same run and
formats it to the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Literal

import attrs

__all__ = ["Figure", "FigureFormat", "format_value", "resolve"]

FigureFormat = Literal["count", "length", "sum", "percent", "money", "decimal", "date"]
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def resolve(data: Any, field: str) -> Any:
    """The value at ``field`` (``a.b[2].c``) of plain data; a missing step is a ``KeyError``."""
    value = data
    for name, index in _STEP.findall(field):
        value = value[int(index)] if index else value[name]
    return value


def _total(value: Any) -> int:
    return int(sum(value.values() if isinstance(value, dict) else value))


def _date(value: Any) -> str:
    return value if isinstance(value, str) else dt.date.isoformat(value)


_FORMATS: dict[str, Callable[[Any], str]] = {
    "length": lambda value: f"{len(value):,}",
    "sum": lambda value: f"{_total(value):,}",
    "count": lambda value: f"{int(value):,}",
    "money": lambda value: f"{round(value):,}",
    "percent": lambda value: f"{round(float(value) * 100)}%",
    "decimal": lambda value: f"{float(value):,.1f}",
    "date": _date,
}


def format_value(value: Any, fmt: FigureFormat) -> str:
    """``value`` as a slide shows it in format ``fmt`` (the same in both languages).

    Dates may be dates or their ISO text (plain data before or after JSON).
    """
    return _FORMATS[fmt](value)


@attrs.frozen
class Figure:
    """One figure: the text shown, the value, and its report, field and as-of date."""

    text: str
    value: Any
    source: str
    field: str
    format: FigureFormat
    as_of: dt.date | None = None
    origin: str | None = None

    @classmethod
    def read(
        cls,
        data: Any,
        source: str,
        field: str,
        fmt: FigureFormat,
        *,
        as_of: dt.date | None = None,
        origin: str | None = None,
    ) -> Figure:
        """The figure at ``field`` of ``source``'s plain data ``data``."""
        value = resolve(data, field)
        return cls(format_value(value, fmt), value, source, field, fmt, as_of, origin)
