"""Streaming ingestion: a usage log in, adoption rates per department and period out.

A workspace keeps rates, not events, so a log of millions of events is read
once and reduced to one row per department and period. With polars
installed the log is scanned lazily (``pl.scan_csv`` / ``pl.scan_parquet``)
and the query of :func:`~backoffice_marketing.adoption.adoption_rates` runs on
polars' streaming engine, in batches, so memory stays bounded by the number
of people and periods rather than the number of events. Without polars the
same function runs on whatever backend reads the file (pyarrow or pandas).
Either way the rows are exactly ``adoption_rates(...)``'s for the same input:
the roster handling, the privacy floor, de-duplication and time zones are
the library's own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import attrs

from backoffice_marketing.adoption.frames import narwhals, to_frame
from backoffice_marketing.adoption.periods import PeriodSpec, day_number, from_day_number
from backoffice_marketing.adoption.rates import adoption_rates
from backoffice_marketing.adoption.readers import (
    read_slack_member_analytics,
    read_teams_user_activity,
)
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE
from backoffice_marketing.exceptions import LoadError, Problem, UnsupportedFormatError
from backoffice_marketing.foundation.io.encodings import is_utf8_prefix
from backoffice_marketing.foundation.io.leftovers import staging_folder
from backoffice_marketing.foundation.messages import message

__all__ = ["USAGE_KINDS", "RateRow", "UsageKind", "usage_rates"]

UsageKind = Literal["usage", "teams", "slack"]
#: The kinds of usage file: an event log (``user_id`` and ``timestamp`` or
#: ``date``), a Teams user-activity export, a Slack member-analytics export.
USAGE_KINDS: tuple[UsageKind, ...] = ("usage", "teams", "slack")
_SUFFIXES = (".csv", ".parquet", ".pq")
#: Text timestamps in this form (ISO 8601 with an offset, as exports write them) are
#: parsed once by polars while staging; any other form is left to the library's reader.
_ISO_WITH_OFFSET = "%Y-%m-%dT%H:%M:%S%z"


@attrs.frozen
class RateRow:
    """Adoption of one department in one period (one row of ``adoption_rates``)."""

    department: str
    period: str
    period_start: dt.date
    period_end: dt.date
    headcount: int
    active_users: int
    rate: float
    unmatched_users: int
    suppressed: bool


def _polars() -> ModuleType | None:
    """The polars module when installed (the streaming path), else ``None``."""
    if importlib.util.find_spec("polars") is None:
        return None  # pragma: no cover - polars is part of the test environment
    import polars  # noqa: PLC0415  (optional extra)

    return polars


def _scan(path: Path, kind: UsageKind, polars: ModuleType | None) -> Any:
    """The events of ``path`` as a lazy polars frame, or what the library reads without polars."""
    if kind == "teams":
        frame = read_teams_user_activity(path, backend="polars" if polars else None)
        return frame.lazy() if polars else frame
    if kind == "slack":
        frame = read_slack_member_analytics(path, backend="polars" if polars else None)
        return frame.lazy() if polars else frame
    if polars is None:
        return str(path)
    if path.suffix.lower() == ".csv":
        with path.open("rb") as stream:
            head = stream.read(1 << 16)
        if is_utf8_prefix(head):
            return polars.scan_csv(path)

        return to_frame(path, what="usage log").to_native()  # cp932: decoded, then read
    return polars.scan_parquet(path)


def _staged(events: Any, polars: ModuleType, folder: Path) -> Any | None:
    """The events with text timestamps parsed once, as a scan of a temporary Parquet file.

    The library reads the events twice (their date range, then the rates);
    parsing millions of timestamps is the costly part, so it is done once,
    streaming, into ``folder``. ``None`` when there is nothing to parse or a
    timestamp is not ISO 8601 with an offset (the library then reads the
    text itself, with every format it knows).
    """
    schema = events.collect_schema()
    if schema.get("timestamp") != polars.String or "user_id" not in schema:
        return None
    target = folder / "events.parquet"
    parsed = events.select(
        "user_id",
        polars.col("timestamp").str.to_datetime(_ISO_WITH_OFFSET, strict=True, time_zone="UTC"),
    )
    try:
        parsed.sink_parquet(target)
    except polars.exceptions.PolarsError:
        return None
    return polars.scan_parquet(target)


def usage_rates(
    path: str | os.PathLike[str],
    roster: Any,
    *,
    kind: UsageKind = "usage",
    period: str = "week",
    timezone: str = "Asia/Tokyo",
    fiscal_year_start: int = 4,
    min_group_size: int = MIN_GROUP_SIZE,
) -> tuple[RateRow, ...]:
    """The adoption rates of one usage file, per department and period, sorted.

    ``roster`` is anything :func:`~backoffice_marketing.adoption.read_roster`
    accepts (a frame or a CSV/Parquet path). The other options are those of
    :func:`~backoffice_marketing.adoption.adoption_rates`.
    """
    file = Path(path)
    if kind not in USAGE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(USAGE_KINDS)}; found {kind!r}")
    if kind == "usage" and file.suffix.lower() not in _SUFFIXES:
        raise UnsupportedFormatError(str(file), _SUFFIXES)
    if not file.is_file():
        raise FileNotFoundError(f"{file}: no such usage file")
    if file.stat().st_size == 0:
        raise LoadError([Problem.for_file(file, message("file.empty"))])
    nw = narwhals()
    polars = _polars()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_polars_errors(file, polars))
        events = _scan(file, kind, polars)
        if polars is not None and kind == "usage":
            # bm-ingest-<pid>-...: removed at the end, or by a later run if this one is killed
            folder = stack.enter_context(staging_folder("ingest"))
            staged = _staged(events, polars, folder)
            events = events if staged is None else staged
        result = adoption_rates(
            events,
            roster,
            period=period,
            timezone=timezone,
            fiscal_year_start=fiscal_year_start,
            min_group_size=min_group_size,
        )
        if polars is not None and isinstance(result, polars.LazyFrame):
            result = result.collect(engine="streaming")
    frame = nw.from_native(result)
    if isinstance(frame, nw.LazyFrame):  # another lazy backend: collect it as it is
        frame = frame.collect()
    spec = PeriodSpec(period, fiscal_year_start)
    rows = []
    for row in frame.iter_rows(named=True):
        start = _as_date(row["period_start"])
        last = from_day_number(spec.bounds(spec.key(day_number(start)))[1])
        rows.append(
            RateRow(
                department=str(row["department"]),
                period=str(row["period"]),
                period_start=start,
                period_end=last,
                headcount=int(row["headcount"]),
                active_users=int(row["active_users"]),
                rate=float(row["rate"]),
                unmatched_users=int(row["unmatched_users"]),
                suppressed=bool(row["suppressed"]),
            )
        )
    return tuple(rows)


@contextlib.contextmanager
def _polars_errors(file: Path, polars: ModuleType | None) -> Iterator[None]:
    """A file polars cannot read (ragged rows, a damaged Parquet) is a ``LoadError`` naming it."""
    if polars is None:  # pragma: no cover - polars is part of the test environment
        yield
        return
    try:
        yield
    except polars.exceptions.PolarsError as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        raise LoadError(
            [Problem.for_file(file, message("file.unreadable", reason=reason))]
        ) from None


def _as_date(value: Any) -> dt.date:
    """A calendar date from a backend's date value (a ``date``, a ``datetime``, a pandas stamp)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
