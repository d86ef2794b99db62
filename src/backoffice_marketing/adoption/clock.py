"""From timestamps to the organisation's calendar days.

A usage event belongs to the day on which it happened *in the organisation's
time zone* (``Asia/Tokyo`` by default): an event at 2024-03-31T20:00Z is on
1 April in Tokyo, hence in the new fiscal year. Timestamps without a time
zone are taken to be wall-clock times in that zone already. Dates are used
as they are. Text is read in the formats of :data:`STRING_FORMATS`, or as
ISO 8601 with an offset (``2027-06-02T08:45:00+09:00``, ``...Z``, with or
without fractional seconds), which is placed on the organisation's clock.

Only integer arithmetic on ``year``, ``ordinal_day``, ``hour`` and ``minute``
is used, because every dataframe backend has those (DuckDB, for one, cannot
convert time zones through narwhals). Zones with daylight saving time are
handled with their transitions between 1970 and 2100.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo
from typing import Any

from backoffice_marketing.exceptions import LoadError, Problem, TimestampError, UnknownTimeZoneError

__all__ = [
    "TimestampError",
    "UnknownTimeZoneError",
    "check_text_timestamps",
    "check_timezone",
    "day_stages",
    "offsets",
    "python_day",
    "with_day",
]

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
#: ISO 8601 text with a UTC offset: ``2027-06-02T08:45:00+09:00``, ``...+0900`` or ``...Z``
#: (the forms ``update`` accepts too).
_WITH_OFFSET = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$"
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
    """The offset of zone ``name`` at ``minutes`` (UTC minutes, or local minutes if ``local``).

    A sum of steps, one per change, added as a balanced tree so that the
    expression stays shallow even for zones with hundreds of changes.
    """
    first, changes = offsets(name)
    if not changes:
        return nw.lit(first)
    steps = []
    before = first
    for minute, value in changes:
        boundary = minute + before if local else minute
        steps.append((minutes >= boundary).cast(nw.Int64) * (value - before))
        before = value
    while len(steps) > 1:
        paired = [a + b for a, b in zip(steps[::2], steps[1::2], strict=False)]
        if len(steps) % 2:
            paired.append(steps[-1])
        steps = paired
    return steps[0] + first


def _days(nw: Any, column: Any) -> list[tuple[str, Any]]:
    """Stages computing ``__day`` from a date or datetime column (year and ordinal day)."""
    year = nw.col("__y")
    return [
        ("__y", column.dt.year().cast(nw.Int64)),
        ("__o", column.dt.ordinal_day().cast(nw.Int64)),
        (
            "__day",
            (year - 1970) * 365
            + (year - 1969) // 4
            - (year - 1901) // 100
            + (year - 1601) // 400
            + nw.col("__o")
            - 1,
        ),
    ]


def _same_clock(zone_a: str, zone_b: str) -> bool:
    return zone_a == zone_b or offsets(zone_a) == offsets(zone_b)


def day_stages(
    nw: Any, name: str, dtype: Any, timezone: str, *, sample: Any = None
) -> list[tuple[str, Any]]:
    """Named expressions, applied in order, that end with ``__day``: the organisation's day.

    Each stage refers to the columns of the previous ones, so that SQL
    backends get small expressions instead of one that repeats its parts.
    ``dtype`` is the column's narwhals dtype; for a text column ``sample``
    is one of its values, used to recognise the format.
    """
    column = nw.col(name)
    offset_text = isinstance(sample, str) and _WITH_OFFSET.match(sample.strip()) is not None
    if isinstance(dtype, nw.String) and offset_text:
        return _offset_text_stages(nw, column, timezone)
    if isinstance(dtype, nw.String):
        fmt = _string_format(name, sample)
        return [("__t", column.str.to_datetime(fmt)), *_days(nw, nw.col("__t"))]
    if isinstance(dtype, nw.Date):
        return _days(nw, column)
    if not isinstance(dtype, nw.Datetime):
        raise TimestampError(name, str(dtype), formats=STRING_FORMATS)
    data_zone = dtype.time_zone
    if data_zone is None or _same_clock(data_zone, timezone):
        return _days(nw, column)
    data_zone = "UTC" if data_zone in {"Etc/UTC", "UTC", "Z"} else data_zone
    local = nw.col("__local")
    utc = nw.col("__utc")
    *fields, (_, civil) = _days(nw, column)
    return [
        *fields,
        ("__d0", civil),
        ("__hm", column.dt.hour().cast(nw.Int64) * 60 + column.dt.minute().cast(nw.Int64)),
        ("__local", nw.col("__d0") * _MINUTES_PER_DAY + nw.col("__hm")),
        ("__utc", local - _offset_expr(nw, local, data_zone, local=True)),
        ("__day", (utc + _offset_expr(nw, utc, timezone, local=False)) // _MINUTES_PER_DAY),
    ]


def _offset_text_stages(nw: Any, column: Any, timezone: str) -> list[tuple[str, Any]]:
    """Stages for ISO 8601 text with an offset: wall clock minus offset is UTC, then local."""
    # "Z" is the offset +00:00; every value then ends with a sign, hours, ":" and minutes.
    text = column.str.strip_chars().str.replace_all("Z", "+00:00", literal=True)
    wall = text.str.slice(0, 19).str.replace_all(" ", "T", literal=True)
    wall = wall.str.to_datetime("%Y-%m-%dT%H:%M:%S")
    # A row without an offset is wall-clock time in the organisation's zone, even when
    # earlier rows carry offsets: its last characters are seconds, not an offset.
    # The offset is "+09:00" or "+0900" (no colon): both are ISO 8601.
    colon = text.str.contains(r"[+-][0-9][0-9]:[0-9][0-9]$")
    plain = text.str.contains(r"[+-][0-9][0-9][0-9][0-9]$")
    has_offset = colon | plain
    sign_char = nw.when(colon).then(text.str.slice(-6, 1)).otherwise(text.str.slice(-5, 1))
    sign = nw.when(sign_char == "-").then(nw.lit(-1)).otherwise(nw.lit(1))
    hour_text = nw.when(colon).then(text.str.slice(-5, 2)).otherwise(text.str.slice(-4, 2))
    hours = nw.when(has_offset).then(hour_text).otherwise(nw.lit("0"))
    minutes = nw.when(has_offset).then(text.str.slice(-2, 2)).otherwise(nw.lit("0"))
    offset = sign * (hours.cast(nw.Int64) * 60 + minutes.cast(nw.Int64))
    utc = nw.col("__utc")
    *fields, (_, civil) = _days(nw, nw.col("__t"))
    t = nw.col("__t")
    return [
        ("__t", wall),
        *fields,
        ("__d0", civil),
        ("__hm", t.dt.hour().cast(nw.Int64) * 60 + t.dt.minute().cast(nw.Int64)),
        ("__off", offset.cast(nw.Int64)),
        ("__has", has_offset),
        ("__utc", nw.col("__d0") * _MINUTES_PER_DAY + nw.col("__hm") - nw.col("__off")),
        (
            "__day",
            nw.when(nw.col("__has"))
            .then((utc + _offset_expr(nw, utc, timezone, local=False)) // _MINUTES_PER_DAY)
            .otherwise(nw.col("__d0")),
        ),
    ]


def with_day(
    frame: Any, nw: Any, name: str, dtype: Any, timezone: str, *, sample: Any = None
) -> Any:
    """``frame`` with the stages of :func:`day_stages` applied (helper columns kept).

    On polars, a date or naive datetime takes a shortcut with the same result
    (its date as days since 1970), which is several times cheaper.
    """
    naive = isinstance(dtype, nw.Date) or (
        isinstance(dtype, nw.Datetime) and dtype.time_zone is None
    )
    if naive and frame.implementation is nw.Implementation.POLARS:
        day = nw.col(name).cast(nw.Date()).cast(nw.Int32()).cast(nw.Int64())
        return frame.with_columns(day.alias("__day"))
    for alias, expr in day_stages(nw, name, dtype, timezone, sample=sample):
        frame = frame.with_columns(expr.alias(alias))
    return frame


def python_day(value: Any, timezone: str, *, column: str) -> int | None:
    """The organisation's day number of one value (date, datetime or text); ``None`` if empty."""
    from backoffice_marketing.adoption.periods import day_number  # noqa: PLC0415

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        text = value.strip()
        if _WITH_OFFSET.match(text):
            value = dt.datetime.fromisoformat(text)
        else:
            value = dt.datetime.strptime(text, _string_format(column, value))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zoneinfo.ZoneInfo(timezone))
        return day_number(value.date())
    if isinstance(value, dt.date):
        return day_number(value)
    raise TimestampError(column, f"{type(value).__name__} {value!r}", formats=STRING_FORMATS)


def _string_format(name: str, sample: Any) -> str:
    if not isinstance(sample, str):
        raise TimestampError(
            name, f"text that is empty or not a date ({sample!r})", formats=STRING_FORMATS
        )
    text = sample.strip()
    for fmt in STRING_FORMATS:
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return fmt
    raise TimestampError(
        name, f"text such as {text!r} (ISO 8601 with an offset also works)", formats=STRING_FORMATS
    )


_DIGIT = re.compile(r"[0-9]")
#: Naive text that can sit beside rows with offsets (read as wall-clock time).
_BESIDE_OFFSETS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
#: Most rows named in one error about timestamps.
_MAX_REPORTED = 20


def _edge_problem(text: str, timezone: str | None, *, column: str) -> str | None:
    """Why ``text`` (a timestamp on 0001-01-01 or 9999-12-31) cannot be placed; else ``None``."""
    if timezone is None or not text.startswith(_EDGE_DATES):
        return None
    try:
        python_day(text, timezone, column=column)
    except (OverflowError, ValueError):
        return f"the timestamp {text!r} falls outside the years 1 to 9999 on the {timezone} clock"
    return None


#: The first and last dates a timestamp can have: an offset may carry them across.
_EDGE_DATES = ("0001-01-01", "9999-12-31")


def check_text_timestamps(
    values: list[Any], *, column: str, source: str, timezone: str | None = None
) -> str | None:
    """Check every row of a text timestamp column; return the value that fixes the format.

    Each row is classified by its shape (digits masked), so the check costs one
    regular expression per row. The rows must share one format, or carry UTC
    offsets beside naive ``YYYY-MM-DD[T ]HH:MM:SS`` rows (read in the
    organisation's zone). Every other row is reported with its CSV line
    (the header is line 1). ``None`` when the column holds no value.
    """
    kinds: dict[str, str | None] = {}
    edges: list[Problem] = []
    rows: dict[str, list[int]] = {}
    sample_of: dict[str, str] = {}
    for index, value in enumerate(values):
        if value is None or not str(value).strip():
            continue
        text = str(value).strip()
        shape = _DIGIT.sub("9", text)
        if shape not in kinds:
            kinds[shape] = _kind(text)
        kind = kinds[shape]
        edge = _edge_problem(text, timezone, column=column) if kind == "offset" else None
        if edge is not None:
            edges.append(Problem(source, index + 2, None, column, edge))
        key = kind or f"?{shape}"
        rows.setdefault(key, []).append(index + 2)
        sample_of.setdefault(key, text)
    if not rows:
        return None
    naive = [kind for kind in rows if kind not in {"offset"}]
    allowed: set[str]
    if "offset" in rows:
        allowed = {"offset", *_BESIDE_OFFSETS}
        sample = sample_of["offset"]
    else:
        first = min(rows, key=lambda kind: rows[kind][0])
        sample = sample_of[first]
        if first.startswith("?"):
            _string_format(column, sample)  # raises the TimestampError naming the format
        allowed = {first}
    problems = [
        Problem(
            source,
            line,
            None,
            column,
            f"the timestamp {sample_of[kind]!r} is not in the format of the other rows"
            if not kind.startswith("?")
            else f"not a timestamp: {sample_of[kind]!r}",
        )
        for kind in naive
        if kind not in allowed
        for line in rows[kind][:_MAX_REPORTED]
    ]
    problems.extend(edges)
    if problems:
        raise LoadError(problems[:_MAX_REPORTED])
    return sample


def _kind(text: str) -> str | None:
    if _WITH_OFFSET.match(text):
        try:
            dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return "offset"
    for fmt in STRING_FORMATS:
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return fmt
    return None
