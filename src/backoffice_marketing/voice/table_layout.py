"""How a voice log is laid out as a table: its columns, their kinds, the fields they fill.

Each voice log class names its layout in a ``TABLE_LAYOUT`` class attribute;
:mod:`backoffice_marketing.voice.storage` reads and writes CSV and xlsx files
by it. A column fills one field of a record (``question.ja`` fills the
``ja`` text of the ``question`` field). A log whose records hold a list of
children (a hearing and its findings) has one row per child: the parent's
columns repeat on each row and the child columns fill the child.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Protocol

import attrs

__all__ = [
    "Column",
    "ColumnKind",
    "TableLayout",
    "TabularLog",
    "child_column",
    "column",
    "layout_of",
]

#: What a column holds: free text, an id, a whole number, true/false, a date,
#: ids separated by ``;``, or text lines (one per line of the cell).
ColumnKind = Literal["text", "id", "int", "bool", "date", "ids", "lines"]


@attrs.frozen
class Column:
    """One column: its header, the field path it fills, its kind, whether it is required."""

    name: str
    path: tuple[str, ...]
    kind: ColumnKind = "text"
    required: bool = False
    child: bool = False


@attrs.frozen
class TableLayout:
    """The columns of a log's table and the document field that holds its records."""

    field: str
    columns: tuple[Column, ...]
    child_field: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The column headers, in order."""
        return tuple(column.name for column in self.columns)


def column(
    name: str, kind: ColumnKind = "text", *, required: bool = False, path: str | None = None
) -> Column:
    """A record's column; ``path`` (dotted, default ``name``) is the field it fills."""
    return Column(name, tuple((path or name).split(".")), kind, required)


def child_column(name: str, kind: ColumnKind, path: str, *, required: bool = False) -> Column:
    """A column that fills the field ``path`` of a child record (a finding of a hearing)."""
    return Column(name, (path,), kind, required, child=True)


class TabularLog(Protocol):
    """A voice log class: it names its table layout."""

    TABLE_LAYOUT: ClassVar[TableLayout]


def layout_of(cls: type) -> TableLayout:
    """The table layout of the log class ``cls``; any other type is a programming error."""
    layout = getattr(cls, "TABLE_LAYOUT", None)
    if not isinstance(layout, TableLayout):
        raise TypeError(f"{cls.__name__} is not a voice log")
    return layout
