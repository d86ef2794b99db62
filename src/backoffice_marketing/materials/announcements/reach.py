"""Reach logs: who was reached by an announcement and who acknowledged it."""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Self

import attrs

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.csv_rows import csv_rows, read_text_file
from backoffice_marketing.foundation.io.limits import MAX_LOG_BYTES
from backoffice_marketing.foundation.validators import (
    non_blank,
)
from backoffice_marketing.materials.announcements.channels import Channel

if TYPE_CHECKING:
    pass

__all__ = [
    "ReachEvent",
    "ReachLog",
    "ReachRecord",
]


class ReachEvent(enum.StrEnum):
    """What a log row records: the person was reached, or also acknowledged the message."""

    REACHED = "reached"
    ACKNOWLEDGED = "acknowledged"


@attrs.frozen
class ReachRecord:
    """One row of a reach log: a person of a department was reached or acknowledged."""

    department: str = attrs.field(validator=non_blank)
    person: str = attrs.field(validator=non_blank, repr=False)
    event: ReachEvent = attrs.field(converter=ReachEvent)
    on: dt.date | None = None
    channel: Channel | None = None
    line: int | None = None


_LOG_COLUMNS = ("department", "person", "event")


def _records(values: Iterable[ReachRecord]) -> tuple[ReachRecord, ...]:
    return tuple(values)


@attrs.frozen
class ReachLog:
    """Who was reached by the announcements and who acknowledged them.

    Read it from a CSV file with the columns ``department``, ``person``,
    ``event`` (``reached`` or ``acknowledged``) and optionally ``date``
    (YYYY-MM-DD) and ``channel``. Person ids are only counted, never shown.
    """

    records: tuple[ReachRecord, ...] = attrs.field(converter=_records)
    source: str = "<log>"

    def __repr__(self) -> str:
        return f"<ReachLog {self.source!r} records={len(self.records)}>"

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Read a log from a CSV file; every bad row is reported with its line and column."""
        file = str(path)
        return cls.from_text(
            read_text_file(path, limit=MAX_LOG_BYTES, what="reach log"), source=file
        )

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str]) -> Self:
        """Deprecated: use :meth:`from_file`, the name every other log uses."""
        from backoffice_marketing.foundation.deprecation import warn_deprecated  # noqa: PLC0415

        warn_deprecated("ReachLog.from_csv()", "ReachLog.from_file()")
        return cls.from_file(path)

    @classmethod
    def from_text(cls, text: str, *, source: str = "<log>") -> Self:
        """Read a log from CSV text."""
        columns, rows = csv_rows(text, file=source)
        missing = [name for name in _LOG_COLUMNS if name not in columns]
        if missing:
            found = ", ".join(columns) or "none"
            raise LoadError(
                [
                    Problem(
                        source,
                        1,
                        None,
                        "",
                        f"missing column(s) {', '.join(missing)}; found {found}",
                    )
                ]
            )
        records: list[ReachRecord] = []
        problems: list[Problem] = []
        for line, row in rows:
            record = _record(row, line, source, problems)
            if record is not None:
                records.append(record)
        if problems:
            raise LoadError(problems)
        return cls(tuple(records), source)


def _record(
    row: Mapping[str, str | None], line: int, source: str, problems: list[Problem]
) -> ReachRecord | None:
    values = {key: (value or "").strip() for key, value in row.items() if key is not None}
    before = len(problems)
    problems.extend(
        Problem(source, line, None, column, f"missing {column}")
        for column in _LOG_COLUMNS
        if not values.get(column)
    )
    event = values.get("event", "")
    if event and event not in tuple(ReachEvent):
        problems.append(
            Problem(
                source, line, None, "event", f"expected reached or acknowledged; found {event!r}"
            )
        )
    on: dt.date | None = None
    if values.get("date"):
        try:
            text = values["date"]
            if not text.isascii() or len(text) != 10 or text[4] != "-" or text[7] != "-":
                raise ValueError(text)  # noqa: TRY301  (one message for both failures)
            on = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(
                Problem(
                    source,
                    line,
                    None,
                    "date",
                    f"expected a date YYYY-MM-DD; found {values['date']!r}",
                )
            )
    channel: Channel | None = None
    if values.get("channel"):
        try:
            channel = Channel(values["channel"])
        except ValueError:
            choices = ", ".join(Channel)
            problems.append(
                Problem(
                    source,
                    line,
                    None,
                    "channel",
                    f"expected one of {choices}; found {values['channel']!r}",
                )
            )
    if len(problems) > before:
        return None
    return ReachRecord(values["department"], values["person"], ReachEvent(event), on, channel, line)
