"""Loading and saving the voice logs: CSV, xlsx, JSON, YAML and TOML.

JSON, YAML and TOML go through the project's strict reader and converter
(:func:`~backoffice_marketing.foundation.io.documents.read_document`,
:func:`~backoffice_marketing.foundation.io.converter.structure_document`). CSV and xlsx
are tables with one record per row (for hearings: one row per finding, the
hearing's own columns repeated on each of its rows), laid out by the log's
:class:`~backoffice_marketing.voice.table_layout.TableLayout`. The table
reader checks every cell (:mod:`~backoffice_marketing.voice.table_cells`) and
reports every problem at once in one
:class:`~backoffice_marketing.exceptions.LoadError`, each naming the file, the
line (the row; line 1 is the header) and the column.

Written tables are safe to open in a spreadsheet and round-trip exactly, except
for control characters, which a cell cannot hold. Every save is atomic.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

from backoffice_marketing.exceptions import (
    LoadError,
    MissingExtraError,
    Problem,
    UnsupportedFormatError,
)
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic
from backoffice_marketing.foundation.io.bounded import read_bytes_bounded
from backoffice_marketing.foundation.io.converter import (
    SCHEMA_VERSION,
    save_object,
    structure_document,
    unstructure,
)
from backoffice_marketing.foundation.io.documents import Document, read_document
from backoffice_marketing.foundation.io.encodings import decode_text
from backoffice_marketing.foundation.io.limits import MAX_TABLE_BYTES
from backoffice_marketing.foundation.io.paths import FieldPath, format_path
from backoffice_marketing.foundation.io.workbooks import xlsx_rows
from backoffice_marketing.foundation.messages import message
from backoffice_marketing.render.xlsx import add_sheet, repack
from backoffice_marketing.voice.table_cells import Cell, cell_text, is_empty, read_cell, write_cell
from backoffice_marketing.voice.table_layout import Column, TableLayout, TabularLog, layout_of

__all__ = [
    "MAX_TABLE_BYTES",
    "TABLE_SUFFIXES",
    "load_log",
    "save_log",
    "table_rows",
    "xlsx_bytes",
]

#: The table formats, by suffix (larger files than MAX_TABLE_BYTES are refused).
TABLE_SUFFIXES = (".csv", ".xlsx")
_DOCUMENT_SUFFIXES = (".json", ".toml", ".yaml", ".yml")

L = TypeVar("L", bound=TabularLog)


# ---------------------------------------------------------------- reading


def _set(target: dict[str, Any], path: Sequence[str], value: object) -> None:
    for step in path[:-1]:
        target = target.setdefault(step, {})
    target[path[-1]] = value


@attrs.define
class _Builder:
    """Turns table rows into a document, remembering which cell each field came from."""

    layout: TableLayout
    file: str
    header: Mapping[str, int]
    records: list[dict[str, Any]] = attrs.Factory(list)
    positions: dict[FieldPath, tuple[int, int]] = attrs.Factory(dict)
    columns: dict[str, str] = attrs.Factory(dict)
    problems: list[Problem] = attrs.Factory(list)
    bad: set[str] = attrs.Factory(set)
    _parents: dict[str, tuple[int, dict[str, Any], int, dict[str, Cell]]] = attrs.Factory(dict)

    def _cell(
        self, line: int, column: Column, value: Cell, base: FieldPath, record: dict[str, Any]
    ) -> None:
        where = (*base, *column.path)
        index = self.header.get(column.name)
        self.positions[where] = (line, index or 1)
        self.columns[format_path(where)] = column.name
        if is_empty(value):
            return
        converted, text = read_cell(value, column.kind)
        if text is not None:
            self.bad.add(format_path(where))
            self.problems.append(Problem(self.file, line, index, column.name, text))
            return
        _set(record, column.path, converted)

    def add(self, line: int, row: Mapping[str, Cell]) -> None:
        layout = self.layout
        if layout.child_field is None:
            base: FieldPath = (layout.field, len(self.records))
            record: dict[str, Any] = {}
            self.positions[base] = (line, 1)
            for column in layout.columns:
                self._cell(line, column, row.get(column.name), base, record)
            self.records.append(record)
            return
        self._add_nested(line, row)

    def _add_nested(self, line: int, row: Mapping[str, Cell]) -> None:
        layout = self.layout
        child_field = layout.child_field
        assert child_field is not None  # noqa: S101  (only nested layouts come here)
        key_cell = row.get("id")
        key = None if is_empty(key_cell) else cell_text(key_cell).strip()
        parent_columns = [column for column in layout.columns if not column.child]
        if key is None or key not in self._parents:
            index = len(self.records)
            base: FieldPath = (layout.field, index)
            record: dict[str, Any] = {}
            self.positions[base] = (line, 1)
            for column in parent_columns:
                self._cell(line, column, row.get(column.name), base, record)
            record[child_field] = []
            self.records.append(record)
            if key is not None:
                self._parents[key] = (index, record, line, dict(row))
        else:
            index, record, first_line, first_row = self._parents[key]
            for column in parent_columns:
                value = row.get(column.name)
                if (
                    not is_empty(value)
                    and cell_text(value).strip() != cell_text(first_row.get(column.name)).strip()
                ):
                    self.problems.append(
                        Problem(
                            self.file,
                            line,
                            self.header.get(column.name),
                            column.name,
                            f"differs from line {first_line} of the same {layout.field[:-1]} "
                            f"{key!r}; leave it empty or repeat the same value",
                        )
                    )
        children = [column for column in layout.columns if column.child]
        if all(is_empty(row.get(column.name)) for column in children):
            return
        child: dict[str, Any] = {}
        child_base: FieldPath = (layout.field, index, child_field, len(record[child_field]))
        self.positions[child_base] = (line, 1)
        for column in children:
            self._cell(line, column, row.get(column.name), child_base, child)
        record[child_field].append(child)

    def document(self) -> Document:
        data = {"schema_version": SCHEMA_VERSION, self.layout.field: self.records}
        return Document(data, self.file, self.positions)

    def rename(self, problem: Problem) -> Problem:
        """Name the column, not the document path, in a problem from the converter."""
        column = self.columns.get(problem.path, problem.path)
        return attrs.evolve(problem, column=self.header.get(column), path=column)


def _check_header(layout: TableLayout, names: Sequence[str], file: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            problems.append(
                Problem(file, 1, index, name, message("column.duplicate", name=repr(name)))
            )
        seen.add(name)
        if name not in layout.names:
            close = difflib.get_close_matches(name, layout.names, n=1)
            text = (
                message("column.unknown_close", name=repr(name), close=repr(close[0]))
                if close
                else message("column.unknown", name=repr(name), expected=", ".join(layout.names))
            )
            problems.append(Problem(file, 1, index, name, text))
    problems.extend(
        Problem(file, 1, None, column.name, message("column.missing", name=repr(column.name)))
        for column in layout.columns
        if column.required and column.name not in seen
    )
    return problems


def table_rows(path: str | os.PathLike[str]) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The header and the ``(line, cells)`` of a CSV or xlsx file; empty rows are skipped."""
    file = str(path)
    suffix = Path(path).suffix.lower()
    raw = read_bytes_bounded(path, limit=MAX_TABLE_BYTES, what="table")
    rows = _xlsx_rows(raw, file) if suffix == ".xlsx" else _csv_rows(raw, file)
    first = next(rows, None)
    header = (
        [] if first is None else [cell_text(c).strip() if c is not None else "" for c in first[1]]
    )
    return header, (item for item in rows if not all(is_empty(cell) for cell in item[1]))


def _csv_rows(raw: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    text = decode_text(raw, file=file)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, list[Cell](cells)
            start = reader.line_num + 1
    except csv.Error as error:
        raise LoadError(
            [Problem(file, reader.line_num, None, "", message("csv.invalid", detail=error))]
        ) from None


def _xlsx_rows(raw: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    return xlsx_rows(raw, file)


def _load_table(cls: type[L], path: str | os.PathLike[str]) -> L:
    layout = layout_of(cls)
    file = str(path)
    names, rows = table_rows(path)
    problems = _check_header(layout, names, file)
    if problems:
        raise LoadError(problems)
    builder = _Builder(
        layout, file, {name: index for index, name in enumerate(names, start=1) if name}
    )
    for line, cells in rows:
        builder.add(
            line,
            {name: cells[i] if i < len(cells) else None for i, name in enumerate(names) if name},
        )
    converted: L | None = None
    try:
        converted = structure_document(builder.document(), cls)
    except LoadError as error:
        builder.problems.extend(
            builder.rename(problem) for problem in error.problems if problem.path not in builder.bad
        )
    if builder.problems or converted is None:
        raise LoadError(builder.problems)
    return converted


def load_log(cls: type[L], path: str | os.PathLike[str]) -> L:
    """Load a voice log of type ``cls`` from ``path`` (format chosen by the suffix)."""
    suffix = Path(path).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _load_table(cls, path)
    if suffix in _DOCUMENT_SUFFIXES:
        return structure_document(read_document(path), cls)
    raise UnsupportedFormatError(str(path), sorted(TABLE_SUFFIXES + _DOCUMENT_SUFFIXES))


# ---------------------------------------------------------------- writing


def _get(record: Mapping[str, Any], path: Sequence[str]) -> object:
    value: object = record
    for step in path:
        value = value.get(step) if isinstance(value, Mapping) else None
    return value


def _table(log: TabularLog, *, typed: bool) -> tuple[list[str], list[list[Cell]]]:
    layout = layout_of(type(log))
    records: list[dict[str, Any]] = unstructure(log).get(layout.field, [])
    rows: list[list[Cell]] = []
    for record in records:
        if layout.child_field is None:
            rows.append(
                [write_cell(_get(record, c.path), c.kind, typed=typed) for c in layout.columns]
            )
            continue
        children = record.get(layout.child_field) or [{}]
        rows.extend(
            [
                write_cell(_get(child if c.child else record, c.path), c.kind, typed=typed)
                for c in layout.columns
            ]
            for child in children
        )
    return list(layout.names), rows


def _csv_bytes(log: TabularLog) -> bytes:
    names, rows = _table(log, typed=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """One sheet as ``.xlsx`` bytes: neutralised text, date cells, same bytes for same input."""
    try:
        from openpyxl import Workbook  # noqa: PLC0415  (optional extra, imported on use)
        from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("excel", "openpyxl") from error

    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, title, list(header), rows)
    stamp = dt.datetime(2000, 1, 1)
    workbook.properties.creator = "backoffice-marketing"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps "modified" with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return repack(buffer.getvalue())


def save_log(log: TabularLog, path: str | os.PathLike[str]) -> None:
    """Save a voice log atomically; the format is chosen by the suffix of ``path``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_bytes_atomic(path, _csv_bytes(log))
    elif suffix == ".xlsx":
        names, rows = _table(log, typed=True)
        write_bytes_atomic(path, xlsx_bytes(layout_of(type(log)).field, names, rows))
    elif suffix in _DOCUMENT_SUFFIXES:
        save_object(log, path)
    else:
        raise UnsupportedFormatError(str(path), sorted(TABLE_SUFFIXES + _DOCUMENT_SUFFIXES))
