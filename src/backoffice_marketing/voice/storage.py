"""Loading and saving the voice logs: CSV, xlsx, JSON, YAML and TOML.

JSON, YAML and TOML go through the project's strict reader and converter
(:func:`~backoffice_marketing.foundation.io.documents.read_document`,
:func:`~backoffice_marketing.foundation.io.converter.structure_document`). CSV and xlsx
are tables with one record per row (for hearings: one row per finding, the
hearing's own columns repeated on each of its rows). The table reader checks
every cell and reports every problem at once in one
:class:`~backoffice_marketing.exceptions.LoadError`, each naming the file, the
line (the row; line 1 is the header) and the column.

Cells: dates are ``YYYY-MM-DD``; lists of names are separated by ``;``
(quotes, one per line in the cell); true/false also accept yes/no and 1/0.

Written tables are safe to open in a spreadsheet: every text cell goes
through :func:`~backoffice_marketing.render.cells.neutralise`, so text that
starts with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe. The reader
takes that apostrophe off again (and a text that itself starts with an
apostrophe is written with a second one), so tables round-trip exactly,
except for control characters, which a cell cannot hold. Every save is atomic.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

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
)
from backoffice_marketing.foundation.io.documents import Document, read_document
from backoffice_marketing.foundation.io.limits import MAX_TABLE_BYTES
from backoffice_marketing.foundation.io.paths import FieldPath, format_path
from backoffice_marketing.foundation.messages import message as _message
from backoffice_marketing.render.cells import FORMULA_PREFIXES, neutralise
from backoffice_marketing.voice.decisions import DecisionLog
from backoffice_marketing.voice.faq import AnswerBook
from backoffice_marketing.voice.hearings import HearingLog
from backoffice_marketing.voice.loop import ChangeLog
from backoffice_marketing.voice.pulse import PulseLog
from backoffice_marketing.voice.questions import QuestionLog

__all__ = [
    "MAX_TABLE_BYTES",
    "TABLE_SUFFIXES",
    "load_log",
    "save_log",
    "table_rows",
    "xlsx_bytes",
]

#: CSV and xlsx files larger than this are refused (16 MiB).
TABLE_SUFFIXES = (".csv", ".xlsx")
_DOCUMENT_SUFFIXES = (".json", ".toml", ".yaml", ".yml")

Kind = Literal["text", "id", "int", "bool", "date", "ids", "lines"]
Cell = str | int | float | bool | dt.date | dt.datetime | None
Log = QuestionLog | AnswerBook | HearingLog | DecisionLog | ChangeLog | PulseLog
L = TypeVar("L", QuestionLog, AnswerBook, HearingLog, DecisionLog, ChangeLog, PulseLog)

_ONE_OF_TRUE = {"true", "yes", "1"}
_ONE_OF_FALSE = {"false", "no", "0"}


@attrs.frozen
class _Column:
    name: str
    path: tuple[str, ...]
    kind: Kind = "text"
    required: bool = False
    child: bool = False


@attrs.frozen
class _Spec:
    field: str
    columns: tuple[_Column, ...]
    child_field: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _c(
    name: str, kind: Kind = "text", *, required: bool = False, path: str | None = None
) -> _Column:
    return _Column(name, tuple((path or name).split(".")), kind, required)


def _child(name: str, kind: Kind, path: str, *, required: bool = False) -> _Column:
    return _Column(name, (path,), kind, required, child=True)


_SPECS: Mapping[type, _Spec] = {
    QuestionLog: _Spec(
        "questions",
        (
            _c("id", "id", required=True),
            _c("text", required=True),
            _c("received_on", "date", required=True),
            _c("channel", "id"),
            _c("kind", "id"),
            _c("anonymous", "bool"),
            _c("asker", "id"),
            _c("department", "id"),
            _c("role", "id"),
            _c("status", "id"),
            _c("answer"),
            _c("answered_on", "date"),
            _c("theme", "id"),
        ),
    ),
    AnswerBook: _Spec(
        "answers",
        (
            _c("id", "id", required=True),
            _c("question.ja", required=True),
            _c("question.en", required=True),
            _c("answer.ja", required=True),
            _c("answer.en", required=True),
            _c("published_on", "date"),
            _c("keywords", "ids"),
        ),
    ),
    DecisionLog: _Spec(
        "decisions",
        (
            _c("id", "id", required=True),
            _c("title", required=True),
            _c("findings", "ids"),
            _c("task", "id"),
            _c("decided_on", "date"),
        ),
    ),
    ChangeLog: _Spec(
        "changes",
        (
            _c("id", "id", required=True),
            _c("themes", "ids", required=True),
            _c("description.ja", required=True),
            _c("description.en", required=True),
            _c("changed_on", "date", required=True),
        ),
    ),
    PulseLog: _Spec(
        "responses",
        (
            _c("survey", "id", required=True),
            _c("held_on", "date", required=True),
            _c("respondent", "id", required=True),
            _c("department", "id", required=True),
            _c("item", "id", required=True),
            _c("score", "int", required=True),
        ),
    ),
    HearingLog: _Spec(
        "hearings",
        (
            _c("id", "id", required=True),
            _c("held_on", "date", required=True),
            _c("departments", "ids", required=True),
            _c("interviewer", "id", required=True),
            _c("participants", "int"),
            _c("purpose", "id"),
            _child("finding_id", "id", "id"),
            _child("finding", "text", "text"),
            _child("tags", "ids", "tags"),
            _child("failure_modes", "ids", "failure_modes"),
            _child("sentiment", "id", "sentiment"),
            _child("quotes", "lines", "quotes"),
        ),
        child_field="findings",
    ),
}


def _spec(cls: type) -> _Spec:
    try:
        return _SPECS[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a voice log") from None


# ---------------------------------------------------------------- reading


def _unquote(text: str) -> str:
    """Undo the apostrophe that :func:`neutralise` (or the writer) put in front."""
    if (
        len(text) > 1
        and text[0] == "'"
        and (text[1] == "'" or text.startswith(FORMULA_PREFIXES, 1))
    ):
        return text[1:]
    return text


def _as_text(value: Cell) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _unquote(str(value))


def _typed(value: Cell, kind: Kind) -> tuple[object, str | None] | None:
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
    return None, _message("expected.integer", found=repr(text))


def _parse_bool(text: str) -> tuple[object, str | None]:
    lowered = text.lower()
    if lowered in _ONE_OF_TRUE or lowered in _ONE_OF_FALSE:
        return lowered in _ONE_OF_TRUE, None
    return None, _message("expected.boolean_word", found=repr(text))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _parse_date(text: str) -> tuple[object, str | None]:
    try:
        if not _ISO_DATE.fullmatch(text):  # fromisoformat also takes 20270420 and 2027-W16-1
            raise ValueError(text)  # noqa: TRY301  (one message for both failures)
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, _message("expected.date", found=repr(text))


_PARSERS: Mapping[Kind, Callable[[str], tuple[object, str | None]]] = {
    "text": lambda text: (text, None),
    "lines": lambda text: ([line.rstrip("\r") for line in text.split("\n") if line.strip()], None),
    "id": lambda text: (text.strip(), None),
    "ids": lambda text: ([part.strip() for part in text.split(";") if part.strip()], None),
    "int": lambda text: _parse_int(text.strip()),
    "bool": lambda text: _parse_bool(text.strip()),
    "date": lambda text: _parse_date(text.strip()),
}


def _convert(value: Cell, kind: Kind) -> tuple[object, str | None]:
    """The cell as a document value, or ``(None, message)`` when it is not valid."""
    typed = _typed(value, kind)
    if typed is not None:
        return typed
    return _PARSERS[kind](_as_text(value))


def _is_empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _set(target: dict[str, Any], path: Sequence[str], value: object) -> None:
    for step in path[:-1]:
        target = target.setdefault(step, {})
    target[path[-1]] = value


@attrs.define
class _Builder:
    """Turns table rows into a document, remembering which cell each field came from."""

    spec: _Spec
    file: str
    header: Mapping[str, int]
    records: list[dict[str, Any]] = attrs.Factory(list)
    positions: dict[FieldPath, tuple[int, int]] = attrs.Factory(dict)
    columns: dict[str, str] = attrs.Factory(dict)
    problems: list[Problem] = attrs.Factory(list)
    bad: set[str] = attrs.Factory(set)
    _parents: dict[str, tuple[int, dict[str, Any], int, dict[str, Cell]]] = attrs.Factory(dict)

    def _cell(
        self, line: int, column: _Column, value: Cell, base: FieldPath, record: dict[str, Any]
    ) -> None:
        where = (*base, *column.path)
        index = self.header.get(column.name)
        self.positions[where] = (line, index or 1)
        self.columns[format_path(where)] = column.name
        if _is_empty(value):
            return
        converted, message = _convert(value, column.kind)
        if message is not None:
            self.bad.add(format_path(where))
            self.problems.append(Problem(self.file, line, index, column.name, message))
            return
        _set(record, column.path, converted)

    def add(self, line: int, row: Mapping[str, Cell]) -> None:
        spec = self.spec
        if spec.child_field is None:
            base: FieldPath = (spec.field, len(self.records))
            record: dict[str, Any] = {}
            self.positions[base] = (line, 1)
            for column in spec.columns:
                self._cell(line, column, row.get(column.name), base, record)
            self.records.append(record)
            return
        self._add_nested(line, row)

    def _add_nested(self, line: int, row: Mapping[str, Cell]) -> None:
        spec = self.spec
        child_field = spec.child_field
        assert child_field is not None  # noqa: S101  (only nested specs come here)
        key_cell = row.get("id")
        key = None if _is_empty(key_cell) else _as_text(key_cell).strip()
        parent_columns = [column for column in spec.columns if not column.child]
        if key is None or key not in self._parents:
            index = len(self.records)
            base: FieldPath = (spec.field, index)
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
                    not _is_empty(value)
                    and _as_text(value).strip() != _as_text(first_row.get(column.name)).strip()
                ):
                    self.problems.append(
                        Problem(
                            self.file,
                            line,
                            self.header.get(column.name),
                            column.name,
                            f"differs from line {first_line} of the same {spec.field[:-1]} "
                            f"{key!r}; leave it empty or repeat the same value",
                        )
                    )
        children = [column for column in spec.columns if column.child]
        if all(_is_empty(row.get(column.name)) for column in children):
            return
        child: dict[str, Any] = {}
        child_base: FieldPath = (spec.field, index, child_field, len(record[child_field]))
        self.positions[child_base] = (line, 1)
        for column in children:
            self._cell(line, column, row.get(column.name), child_base, child)
        record[child_field].append(child)

    def document(self) -> Document:
        data = {"schema_version": SCHEMA_VERSION, self.spec.field: self.records}
        return Document(data, self.file, self.positions)

    def rename(self, problem: Problem) -> Problem:
        """Name the column, not the document path, in a problem from the converter."""
        column = self.columns.get(problem.path, problem.path)
        return attrs.evolve(problem, column=self.header.get(column), path=column)


def _check_header(spec: _Spec, names: Sequence[str], file: str) -> list[Problem]:
    from backoffice_marketing.foundation.messages import message  # noqa: PLC0415

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
        if name not in spec.names:
            close = difflib.get_close_matches(name, spec.names, n=1)
            text = (
                message("column.unknown_close", name=repr(name), close=repr(close[0]))
                if close
                else message("column.unknown", name=repr(name), expected=", ".join(spec.names))
            )
            problems.append(Problem(file, 1, index, name, text))
    problems.extend(
        Problem(file, 1, None, column.name, message("column.missing", name=repr(column.name)))
        for column in spec.columns
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
        [] if first is None else [_as_text(c).strip() if c is not None else "" for c in first[1]]
    )
    return header, (item for item in rows if not all(_is_empty(cell) for cell in item[1]))


def _csv_rows(raw: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    from backoffice_marketing.foundation.io.encodings import decode_text  # noqa: PLC0415

    text = decode_text(raw, file=file)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, list[Cell](cells)
            start = reader.line_num + 1
    except csv.Error as error:
        raise LoadError(
            [Problem(file, reader.line_num, None, "", _message("csv.invalid", detail=error))]
        ) from None


def _xlsx_rows(raw: bytes, file: str) -> Iterator[tuple[int, list[Cell]]]:
    from backoffice_marketing.foundation.io.workbooks import xlsx_rows  # noqa: PLC0415

    return xlsx_rows(raw, file)


def _load_table(cls: type[L], path: str | os.PathLike[str]) -> L:
    spec = _spec(cls)
    file = str(path)
    names, rows = table_rows(path)
    problems = _check_header(spec, names, file)
    if problems:
        raise LoadError(problems)
    builder = _Builder(
        spec, file, {name: index for index, name in enumerate(names, start=1) if name}
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


def _format(value: object, kind: Kind, *, typed: bool) -> Cell:
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


def _safe_text(text: str) -> str:
    cell = neutralise("'" + text if text.startswith("'") else text)
    assert isinstance(cell, str)  # noqa: S101  (neutralise keeps text as text)
    return cell


def _table(log: Log, *, typed: bool) -> tuple[list[str], list[list[Cell]]]:
    spec = _spec(type(log))
    from backoffice_marketing.foundation.io.converter import unstructure  # noqa: PLC0415

    records: list[dict[str, Any]] = unstructure(log).get(spec.field, [])
    rows: list[list[Cell]] = []
    for record in records:
        if spec.child_field is None:
            rows.append([_format(_get(record, c.path), c.kind, typed=typed) for c in spec.columns])
            continue
        children = record.get(spec.child_field) or [{}]
        rows.extend(
            [
                _format(_get(child if c.child else record, c.path), c.kind, typed=typed)
                for c in spec.columns
            ]
            for child in children
        )
    return list(spec.names), rows


def _csv_bytes(log: Log) -> bytes:
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
    from backoffice_marketing.render.xlsx import add_sheet, repack  # noqa: PLC0415

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


def save_log(log: Log, path: str | os.PathLike[str]) -> None:
    """Save a voice log atomically; the format is chosen by the suffix of ``path``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_bytes_atomic(path, _csv_bytes(log))
    elif suffix == ".xlsx":
        names, rows = _table(log, typed=True)
        write_bytes_atomic(path, xlsx_bytes(_spec(type(log)).field, names, rows))
    elif suffix in _DOCUMENT_SUFFIXES:
        save_object(log, path)
    else:
        raise UnsupportedFormatError(str(path), sorted(TABLE_SUFFIXES + _DOCUMENT_SUFFIXES))
