"""From timestamps to the organisation's calendar days.

A usage event belongs to the day on which it happened *in the organisation's
time zone* (``Asia/Tokyo`` by default): an event at 2024-03-31T20:00Z is on
1 April in Tokyo, hence in the new fiscal year. Timestamps without a time
zone are taken to be wall-clock times in that zone already. Dates are used
as they are.

Only integer arithmetic on ``year``, ``ordinal_day``, ``hour`` and ``minute``
is used, because every dataframe backend has those (DuckDB, for one, cannot
convert time zones through narwhals). Zones with daylight saving time are
handled with their transitions between 1970 and 2100.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from backoffice_marketing.exceptions import BackofficeMarketingError

__all__ = ["TimestampError", "UnknownTimeZoneError", "check_timezone", "day_expr", "offsets"]

_MINUTES_PER_DAY = 1440
_FIRST_YEAR = 1970
_LAST_YEAR = 2100

#: String formats recognised in a text column of timestamps, tried in order.
STRING_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M",
)


class UnknownTimeZoneError(BackofficeMarketingError, ValueError):
    """A time zone name that the IANA database does not know."""

    def __init__(self, name: object) -> None:
        self.name = name
        super().__init__(f"unknown time zone {name!r}; use an IANA name such as 'Asia/Tokyo'")


class TimestampError(BackofficeMarketingError, ValueError):
    """A timestamp column has a type or text format that cannot be read."""

    def __init__(self, column: str, found: str) -> None:
        self.column = column
        self.found = found
        formats = ", ".join(STRING_FORMATS)
        super().__init__(
            f"column {column!r}: expected dates or timestamps (or text in one of {formats}); "
            f"found {found}"
        )


def check_timezone(name: object) -> str:
    """Return ``name`` if it is a known IANA time zone; else raise."""
    if not isinstance(name, str):
        raise UnknownTimeZoneError(name)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZoneError(name) from None
    return name


def _offset_minutes(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> int:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # noqa: S101  (a ZoneInfo always gives an offset)
    return int(offset.total_seconds()) // 60


@functools.cache
def offsets(name: str) -> tuple[int, tuple[tuple[int, int], ...]]:
    """The UTC offset of ``name`` in minutes before 1970, and its later changes.

    Each change is ``(utc_minute, new_offset)``, with ``utc_minute`` counted from
    1970-01-01T00:00Z; found by a daily scan refined to the minute.
    """
    zone = zoneinfo.ZoneInfo(check_timezone(name))
    start = dt.datetime(_FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=1)
    first = _offset_minutes(zone, start)
    changes: list[tuple[int, int]] = []
    current = first
    when = start
    while when.year < _LAST_YEAR:
        after = when + step
        value = _offset_minutes(zone, after)
        if value != current:
            low, high = when, after  # the change happens in (low, high]
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset_minutes(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            minute = int((high - start).total_seconds()) // 60
            changes.append((minute, value))
            current = value
        when = after
    return first, tuple(changes)


def _offset_expr(nw: Any, minutes: Any, name: str, *, local: bool) -> Any:
    """The offset of zone ``name`` at ``minutes`` (UTC minutes, or local minutes if ``local``)."""
    first, changes = offsets(name)
    if not changes:
        return nw.lit(first)
    expr = nw.lit(changes[-1][1])
    previous = [first, *[value for _, value in changes[:-1]]]
    for (minute, _), before in zip(reversed(changes), reversed(previous), strict=True):
        boundary = minute + before if local else minute
        expr = nw.when(minutes < boundary).then(nw.lit(before)).otherwise(expr)
    return expr


def _days(nw: Any, column: Any) -> Any:
    year = column.dt.year().cast(nw.Int64)
    ordinal = column.dt.ordinal_day().cast(nw.Int64)
    return (
        (year - 1970) * 365
        + (year - 1969) // 4
        - (year - 1901) // 100
        + (year - 1601) // 400
        + ordinal
        - 1
    )


def _same_clock(zone_a: str, zone_b: str) -> bool:
    return zone_a == zone_b or offsets(zone_a) == offsets(zone_b)


def day_expr(nw: Any, name: str, dtype: Any, timezone: str, *, sample: Any = None) -> Any:
    """A narwhals expression of the organisation's day number of column ``name``.

    ``dtype`` is the column's narwhals dtype; for a text column ``sample`` is
    one of its values, used to recognise the format.
    """
    column = nw.col(name)
    if isinstance(dtype, nw.String):
        fmt = _string_format(name, sample)
        return _days(nw, column.str.to_datetime(fmt))
    if isinstance(dtype, nw.Date):
        return _days(nw, column)
    if not isinstance(dtype, nw.Datetime):
        raise TimestampError(name, str(dtype))
    data_zone = dtype.time_zone
    if data_zone is None or _same_clock(data_zone, timezone):
        return _days(nw, column)
    data_zone = "UTC" if data_zone in {"Etc/UTC", "UTC", "Z"} else data_zone
    local = _days(nw, column) * _MINUTES_PER_DAY + (
        column.dt.hour().cast(nw.Int64) * 60 + column.dt.minute().cast(nw.Int64)
    )
    utc = local - _offset_expr(nw, local, data_zone, local=True)
    return (utc + _offset_expr(nw, utc, timezone, local=False)) // _MINUTES_PER_DAY


def _string_format(name: str, sample: Any) -> str:
    if not isinstance(sample, str):
        raise TimestampError(name, f"text that is empty or not a date ({sample!r})")
    text = sample.strip()
    for fmt in STRING_FORMATS:
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return fmt
    raise TimestampError(name, f"text such as {text!r}")
