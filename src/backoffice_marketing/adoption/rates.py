"""Adoption rates per department and period: ``adoption_rates``.

The result has one row per published department and period of the range,
with ``headcount`` (people in the department that period, from the roster),
``active_users`` (distinct people active that period) and ``rate`` (their
ratio, 0 where the headcount is 0). A department where nobody was active
still has its rows, with rate 0: a silent department is the most important
laggard. Activity by people who are not in the roster on that day is never
dropped silently: it is counted, per period, in ``unmatched_users``, banded to the
privacy floor (``0`` means fewer than the floor, ``5`` means 5 to 9, ...).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from backoffice_marketing.adoption.clock import check_text_timestamps, check_timezone, with_day
from backoffice_marketing.adoption.frames import (
    InputColumnsError,
    backend_errors_as_load_errors,
    collect,
    input_name,
    narwhals,
    table_like,
    to_frame,
)
from backoffice_marketing.adoption.periods import (
    Period,
    PeriodSpec,
    day_number,
    from_day_number,
    with_key,
)
from backoffice_marketing.adoption.roster import (
    DEFAULT_COLUMNS,
    UNMATCHED,
    Roster,
    RosterColumns,
    read_roster,
)
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE, RollUp
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.defaults import MAX_PERIODS

__all__ = [
    "RATE_COLUMNS",
    "WITHHELD",
    "adoption_rates",
    "department_groups",
    "spell_rows",
    "unmatched_users",
]

#: The group of people whose department cannot be published at all (neither
#: matched nor unmatched: their activity is in no figure).
WITHHELD = "\x00withheld"

#: The columns of every :func:`adoption_rates` result, in order.
RATE_COLUMNS = (
    "department",
    "period",
    "period_start",
    "headcount",
    "active_users",
    "rate",
    "unmatched_users",
    "suppressed",
)
_WINDOWS = (7, 28)


def event_time_column(schema: Any, timestamp: str, date: str, *, source: str = "<events>") -> str:
    """The events' time column: ``timestamp`` if present, else ``date`` (package-internal)."""
    for name in (timestamp, date):
        if name in schema:
            return name
    raise InputColumnsError(source, [f"{timestamp} or {date}"], list(schema.names()))


def local_days(
    events: Any, *, user_id: str, time_column: str, timezone: str, source: str = "<events>"
) -> Any:
    """Each user's active local days from the events' time column (package-internal)."""
    nw = narwhals()
    schema = events.collect_schema()
    dtype = schema[time_column]
    sample = None
    if isinstance(dtype, nw.String):
        sample = check_text_timestamps(
            collect(events.select(nw.col(time_column)))[time_column].to_list(),
            column=time_column,
            source=source,
            timezone=timezone,
        )
        if sample is None:
            return events.select(
                nw.col(user_id).alias("__user"), nw.lit(0, nw.Int64).alias("__day")
            ).head(0)
    events = events.filter(~nw.col(time_column).is_null())
    staged = with_day(events, nw, time_column, dtype, timezone, sample=sample)
    return staged.select(nw.col(user_id).alias("__user"), nw.col("__day").cast(nw.Int64))


def _user_values(roster: Roster, user_dtype: Any) -> tuple[list[Any], Any]:
    nw = narwhals()
    import numpy as np  # noqa: PLC0415  (optional extra, checked by narwhals())

    numeric = (
        user_dtype.is_integer()
        and np.asarray(roster.users, dtype=object).size > 0
        and (np.asarray(roster.users).dtype.kind in "iu")
    )
    if numeric:
        return list(roster.users), nw.Int64()
    return [str(user) for user in roster.users], nw.String()


def spell_rows(
    roster: Roster, assignment: dict[str, str], users: list[Any]
) -> dict[str, list[Any]]:
    """Roster rows for the join: one per spell, plus gap rows for people with several spells.

    ``users`` are the roster's user ids as the events carry them (one per roster row).

    Single-spell people keep one row; their activity outside the spell is
    unmatched. People with several spells get rows that tile the whole time
    line (gaps map to ``UNMATCHED``), so each event meets exactly one row.
    """
    from backoffice_marketing.adoption.roster import OPEN_END, OPEN_START  # noqa: PLC0415

    repeated = roster.multi_spell_users()
    if not repeated:
        return {
            "__ruser": users,
            "__group": [assignment[department] for department in roster.departments_of],
            "__start": roster.starts.tolist(),
            "__end": roster.ends.tolist(),
            "__tiled": [False] * len(users),
        }
    columns: dict[str, list[Any]] = {
        "__ruser": [],
        "__group": [],
        "__start": [],
        "__end": [],
        "__tiled": [],
    }
    tiles: dict[Any, list[tuple[int, int, str, Any]]] = {}
    for key, raw, department, start, end in zip(
        users, roster.users, roster.departments_of, roster.starts, roster.ends, strict=True
    ):
        if raw in repeated:
            tiles.setdefault(key, []).append((int(start), int(end), assignment[department], key))
            continue
        columns["__ruser"].append(key)
        columns["__group"].append(assignment[department])
        columns["__start"].append(int(start))
        columns["__end"].append(int(end))
        columns["__tiled"].append(False)
    for key in sorted(tiles, key=str):
        cursor = OPEN_START
        for start, end, group, _ in sorted(tiles[key]):
            pieces = [(cursor, start - 1, UNMATCHED)] if start > cursor else []
            pieces.append((start, end, group))
            for first, last, name in pieces:
                columns["__ruser"].append(key)
                columns["__group"].append(name)
                columns["__start"].append(first)
                columns["__end"].append(last)
                columns["__tiled"].append(True)
            cursor = end + 1
        if cursor <= OPEN_END:
            for name, value in (
                ("__ruser", key),
                ("__group", UNMATCHED),
                ("__start", cursor),
                ("__end", OPEN_END),
                ("__tiled", True),
            ):
                columns[name].append(value)
    return columns


def department_groups(
    roster: Any,
    *,
    period: str = "week",
    start: dt.date | None = None,
    end: dt.date | None = None,
    fiscal_year_start: int = 4,
    min_group_size: int = MIN_GROUP_SIZE,
    timezone: str = "Asia/Tokyo",
    columns: RosterColumns = DEFAULT_COLUMNS,
) -> RollUp:
    """Which departments are published as they are and which are merged, and why.

    The same roll-up as :func:`adoption_rates` uses for the same arguments.
    """
    spec = PeriodSpec(period, fiscal_year_start)
    parsed = read_roster(roster, columns=columns, timezone=check_timezone(timezone))
    keys = (
        spec.keys_between(day_number(start), day_number(end))
        if start is not None and end is not None
        else ()
    )
    return parsed.roll_up(spec, keys, min_group_size=min_group_size)


def _edge_day(events: Any, value: Any, timezone: str, time_column: str, source: str) -> int | None:
    """The day of the earliest or latest event; a ``LoadError`` when it leaves years 1 to 9999."""
    from backoffice_marketing.adoption.clock import python_day  # noqa: PLC0415

    try:
        return python_day(value, timezone, column=time_column)
    except (OverflowError, ValueError):
        raise _out_of_range(
            source,
            time_column,
            _row_of(events, time_column, value),
            f"the timestamp {value!s} falls outside the years 1 to 9999 on the {timezone} clock",
        ) from None


def _out_of_range(source: str, column: str, row: int | None, text: str) -> LoadError:
    """The error of an event whose day leaves the calendar, naming its row when it is found."""
    where = f"row {row}: " if row is not None else ""
    return LoadError([Problem(source, None, None, column, where + text)])


def _row_of(events: Any, time_column: str, value: Any) -> int | None:
    """The 1-based row holding ``value`` (polars frames; ``None`` where rows have no order)."""
    nw = narwhals()
    if events.implementation is not nw.Implementation.POLARS:
        return None
    native = events.to_native()
    import polars as pl  # noqa: PLC0415  (the frame is a polars one)

    found = (
        native.lazy()
        .with_row_index("__row", offset=1)
        .filter(pl.col(time_column) == value)
        .select("__row")
        .head(1)
        .collect()
    )
    return int(found.item()) if found.height else None


def _check_period_range(
    spec: PeriodSpec,
    span: tuple[int, int],
    events: Any,
    *,
    time_column: str,
    zone: str,
    source: str,
) -> None:
    """A ``LoadError`` naming file, row and column when a period at either end leaves years 1-9999.

    An event on 9999-12-31 is in a month (or fiscal year) that ends in year 10000.
    """
    for day in span:
        try:
            first, _ = spec.bounds(spec.key(day))
            from_day_number(first)
            spec.label(spec.key(day))
        except (OverflowError, ValueError):
            raise _out_of_range(
                source,
                time_column,
                _row_of_day(events, time_column, zone, day),
                f"the event on {from_day_number(day)} is in a {spec.period.value} "
                "that reaches beyond the years 1 to 9999",
            ) from None


def _row_of_day(events: Any, time_column: str, zone: str, day: int) -> int | None:
    """The 1-based row of the first event on organisation day ``day`` (polars frames only)."""
    from backoffice_marketing.adoption.clock import with_day  # noqa: PLC0415

    nw = narwhals()
    if events.implementation is not nw.Implementation.POLARS:
        return None
    indexed = nw.from_native(events.to_native().lazy().with_row_index("__row", offset=1))
    dtype = indexed.collect_schema()[time_column]
    values = indexed.filter(~nw.col(time_column).is_null())
    sample = collect(values.select(time_column).head(1))[time_column].to_list()
    staged = with_day(values, nw, time_column, dtype, zone, sample=sample[0] if sample else None)
    found = collect(staged.filter(nw.col("__day") == day).select("__row").head(1))
    return int(found["__row"].to_list()[0]) if len(found) else None


def _range(  # noqa: PLR0917  (private; one call site)
    events: Any,
    days: Any,
    time_column: str,
    timezone: str,
    start: dt.date | None,
    end: dt.date | None,
    source: str = "<events>",
) -> tuple[int, int] | None:
    """The first and last day of the report: ``start``/``end``, else the events' extremes.

    Text timestamps are compared by their days (``days``), since text order
    is not time order (``2024/4/9`` sorts after ``2024/10/1``; offsets differ).
    """
    nw = narwhals()
    first = day_number(start) if start is not None else None
    last = day_number(end) if end is not None else None
    if first is None or last is None:
        if isinstance(events.collect_schema()[time_column], nw.String):
            low_day, high_day = collect(
                days.select(nw.col("__day").min().alias("low"), nw.col("__day").max().alias("high"))
            ).row(0)
        else:
            column = nw.col(time_column)
            low, high = collect(
                events.select(column.min().alias("low"), column.max().alias("high"))
            ).row(0)
            low_day = _edge_day(events, low, timezone, time_column, source)
            high_day = _edge_day(events, high, timezone, time_column, source)
        if low_day is None or high_day is None:
            if first is None and last is None:
                return None
            first = last if first is None else first
            last = first if last is None else last
        first = low_day if first is None else first
        last = high_day if last is None else last
    assert first is not None  # noqa: S101  (set on every path above)
    assert last is not None  # noqa: S101
    return first, last


@backend_errors_as_load_errors
def adoption_rates(
    events: Any,
    roster: Any,
    *,
    period: str = "week",
    timezone: str = "Asia/Tokyo",
    window: int | None = None,
    habit_days: int | None = None,
    lifecycle: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    fiscal_year_start: int = 4,
    min_group_size: int = MIN_GROUP_SIZE,
    user_id: str = "user_id",
    timestamp: str = "timestamp",
    date: str = "date",
    roster_columns: RosterColumns = DEFAULT_COLUMNS,
) -> Any:
    """Adoption per department and period, as the same kind of frame as ``events``.

    ``events`` has ``user_id`` and ``timestamp`` (or ``date``) columns; any
    other columns (``kind``, ``count``) are ignored, and duplicate events
    count once since people, not events, are counted. ``roster`` is read by
    :func:`~backoffice_marketing.adoption.roster.read_roster`. Both may be
    any dataframe narwhals supports or a CSV/Parquet path; a lazy ``events``
    frame gives a lazy result (only the roster, and the date range when
    ``start`` or ``end`` is not given, are computed up front), a path a
    collected one.

    ``period`` is ``day``, ``week`` (ISO, ``%G-W%V``), ``month``,
    ``fiscal_quarter`` or ``fiscal_year`` (starting in ``fiscal_year_start``,
    April by default). Timestamps are placed on the calendar of ``timezone``
    (``Asia/Tokyo`` by default); timestamps without a zone are taken to be
    wall-clock times there. Departments under ``min_group_size`` people
    (never fewer than 5) are reported inside their parent or "other"; see
    :func:`department_groups`. A row where a merged group is still under the
    floor has ``suppressed`` true and zero figures.

    Options: ``window`` (7 or 28) adds ``window_active_users`` and
    ``window_rate``, people active in the ``window`` days ending on the
    period's last day; ``habit_days`` adds ``habit_users`` and
    ``habit_rate``, people active on at least that many distinct days in the
    window (or the period); ``lifecycle`` adds ``never_used`` (headcount
    minus people active at least once so far) and ``dormant`` (people active
    before but not this period).
    """
    nw = narwhals()
    spec = PeriodSpec(period, fiscal_year_start)
    zone = check_timezone(timezone)
    if window is not None and window not in _WINDOWS:
        raise ValueError(f"window must be one of {_WINDOWS} days or None; found {window!r}")
    if habit_days is not None and (
        isinstance(habit_days, bool) or not isinstance(habit_days, int) or habit_days < 1
    ):
        raise ValueError(f"habit_days must be a positive integer or None; found {habit_days!r}")
    frame = to_frame(events, what="events")
    # An eager polars frame runs as one lazy query (collected at the end), so the
    # staged columns are never materialised one by one.
    eager_polars = (
        isinstance(frame, nw.DataFrame) and frame.implementation is nw.Implementation.POLARS
    )
    if eager_polars:
        frame = frame.lazy()
    schema = frame.collect_schema()
    source = input_name(events, "events")
    if user_id not in schema:
        raise InputColumnsError(source, [user_id], list(schema.names()))
    time_column = event_time_column(schema, timestamp, date, source=source)
    parsed = read_roster(roster, columns=roster_columns, timezone=zone)
    days = local_days(frame, user_id=user_id, time_column=time_column, timezone=zone, source=source)
    if start is not None and end is not None and start > end:
        raise LoadError(
            [Problem("<options>", None, None, "start", f"start {start} is after end {end}")]
        )
    span = _range(frame, days, time_column, zone, start, end, source)
    if span is not None:
        _check_period_range(spec, span, frame, time_column=time_column, zone=zone, source=source)
    if span is not None and spec.key(span[1]) - spec.key(span[0]) + 1 > MAX_PERIODS:
        count = spec.key(span[1]) - spec.key(span[0]) + 1
        raise LoadError(
            [
                Problem(
                    source,
                    None,
                    None,
                    time_column,
                    f"the events span {count} periods ({period}) from "
                    f"{from_day_number(span[0])} to {from_day_number(span[1])}; "
                    f"at most {MAX_PERIODS} are accepted",
                )
            ]
        )
    keys = spec.keys_between(*span) if span is not None else ()
    rollup = parsed.roll_up(spec, keys, min_group_size=min_group_size)
    assignment = dict(rollup.assignment)
    for suppression in rollup.suppressed:
        if suppression.into is None:  # everyone is small: nothing can be published
            assignment[suppression.group] = WITHHELD
    for name in parsed.departments:
        # People of a withheld group are in the roster: counting them as unmatched
        # would publish the small group's activity under another name.
        assignment.setdefault(name, WITHHELD)
    counts = parsed.headcounts(spec, keys, assignment)
    published = sorted(group.id for group in rollup.published)
    spine = _spine(spec, keys, published, counts, rollup.min_group_size)
    user_dtype = schema[user_id]
    users, roster_dtype = _user_values(parsed, user_dtype)
    if roster_dtype != user_dtype or frame.implementation is nw.Implementation.PYARROW:
        days = days.with_columns(nw.col("__user").cast(roster_dtype))
    intervals = table_like(
        spell_rows(parsed, assignment, users),
        {
            "__ruser": roster_dtype,
            "__group": nw.String(),
            "__start": nw.Int64(),
            "__end": nw.Int64(),
            "__tiled": nw.Boolean(),
        },
        days,
    )
    result = _assemble(
        days,
        intervals,
        table_like(spine, _SPINE_SCHEMA(nw), days),
        spec=spec,
        span=span,
        window=window,
        habit_days=habit_days,
        lifecycle=lifecycle,
        open_ended=parsed.open_ended,
        floor=rollup.min_group_size,
    )
    # Read from a file, the result is collected: a table to look at, not a query plan.
    from_file = isinstance(events, str | os.PathLike) and isinstance(result, nw.LazyFrame)
    return (result.collect() if eager_polars or from_file else result).to_native()


def _SPINE_SCHEMA(nw: Any) -> dict[str, Any]:  # noqa: N802  (a constant that needs narwhals)
    return {
        "department": nw.String(),
        "__key": nw.Int64(),
        "period": nw.String(),
        "period_start": nw.Date(),
        "__last": nw.Int64(),
        "headcount": nw.Int64(),
        "suppressed": nw.Boolean(),
    }


def _spine(
    spec: PeriodSpec,
    keys: Sequence[int],
    groups: Sequence[str],
    counts: dict[tuple[str, int], int],
    floor: int,
) -> dict[str, list[Any]]:
    labels = [(spec.label(key), *spec.bounds(key)) for key in keys]
    starts = [from_day_number(first) for _, first, _ in labels]
    counts_rows = [[counts.get((group, key), 0) for key in keys] for group in groups]
    headcounts = [count for row in counts_rows for count in row]
    small = [0 < count < floor for count in headcounts]
    return {
        "department": [group for group in groups for _ in keys],
        "__key": list(keys) * len(groups),
        "period": [label for label, _, _ in labels] * len(groups),
        "period_start": starts * len(groups),
        "__last": [last for _, _, last in labels] * len(groups),
        "headcount": [
            0 if hidden else count for count, hidden in zip(headcounts, small, strict=True)
        ],
        "suppressed": small,
    }


def _assemble(
    days: Any,
    intervals: Any,
    spine: Any,
    *,
    spec: PeriodSpec,
    span: tuple[int, int] | None,
    window: int | None,
    habit_days: int | None,
    lifecycle: bool,
    open_ended: bool,
    floor: int,
) -> Any:
    nw = narwhals()
    low, high = span if span is not None else (0, -1)
    if window is not None:
        low_events = low - window + 1
    else:
        low_events = spec.bounds(spec.key(low))[0] if span is not None else 0
    joined = days.filter((nw.col("__day") >= low_events) & (nw.col("__day") <= high)).join(
        intervals, left_on="__user", right_on="__ruser", how="left"
    )
    if open_ended:  # no dates to check: in the roster means matched
        located = joined.select(
            nw.col("__user"), nw.col("__day"), nw.col("__group").fill_null(UNMATCHED).alias("__g")
        )
    else:
        covered = (nw.col("__start") <= nw.col("__day")) & (nw.col("__day") <= nw.col("__end"))
        # Cast after filling: a left join leaves pandas with object columns, on which
        # ``~`` is the integer complement (~True == -2, which is truthy).
        covered = covered.fill_null(value=False).cast(nw.Boolean())
        tiled = nw.col("__tiled").fill_null(value=False).cast(nw.Boolean())
        located = joined.filter(covered | ~tiled).select(
            nw.col("__user"),
            nw.col("__day"),
            nw.when(covered).then(nw.col("__group")).otherwise(nw.lit(UNMATCHED)).alias("__g"),
        )
    located = with_key(located, nw, spec).select("__user", "__day", "__g", "__key")
    in_range = (
        located.filter(nw.col("__day") >= spec.bounds(spec.key(low))[0])
        if (window is not None and span is not None)
        else located
    )
    active = _distinct_count(in_range, ["__g", "__key"], "__user", "active_users")
    matched = active.filter(nw.col("__g") != UNMATCHED).rename({"__g": "department"})
    unmatched = active.filter(nw.col("__g") == UNMATCHED).select(
        "__key", nw.col("active_users").alias("unmatched_users")
    )
    result = spine.join(matched, on=["department", "__key"], how="left").join(
        unmatched, on="__key", how="left"
    )
    extra: list[str] = []
    if window is not None or habit_days is not None:
        result, extra = _window_and_habit(
            result, located, spine, spec=spec, window=window, habit_days=habit_days
        )
    if lifecycle:
        result = _lifecycle(result, in_range)
        extra += ["never_used", "dormant"]
    result = result.with_columns(
        nw.col("active_users").fill_null(0).cast(nw.Int64),
        # Banded to the floor (0 means fewer than ``floor``): an exact count would give a
        # small department's activity as the difference between a run with it in the
        # roster and one without it.
        ((nw.col("unmatched_users").fill_null(0) // floor) * floor).cast(nw.Int64),
    )
    result = result.with_columns(
        nw.when(nw.col("suppressed"))
        .then(0)
        .otherwise(nw.col("active_users"))
        .alias("active_users")
    )
    result = result.with_columns(_ratio("active_users").alias("rate"))
    for name, rate in (("window_active_users", "window_rate"), ("habit_users", "habit_rate")):
        if name in extra:
            result = result.with_columns(
                nw.when(nw.col("suppressed"))
                .then(0)
                .otherwise(nw.col(name).fill_null(0))
                .cast(nw.Int64)
                .alias(name)
            )
            result = result.with_columns(_ratio(name).alias(rate))
    columns = [*RATE_COLUMNS]
    if "window_active_users" in extra:
        columns += ["window_active_users", "window_rate"]
    if "habit_users" in extra:
        columns += ["habit_users", "habit_rate"]
    if lifecycle:
        columns += ["never_used", "dormant"]
    return result.sort("department", "__key").select(columns)


def _distinct_count(frame: Any, by: list[str], column: str, alias: str) -> Any:
    """Distinct values of ``column`` per ``by`` group, as ``alias``.

    Written as ``unique`` then ``len`` rather than ``n_unique``: on Dask,
    narwhals' grouped ``n_unique`` adds up the distinct counts of each
    partition, counting a person active in two partitions twice.
    """
    nw = narwhals()
    return frame.select(*by, column).unique().group_by(*by).agg(nw.len().alias(alias))


def _ratio(name: str) -> Any:
    nw = narwhals()
    value = nw.col(name).cast(nw.Float64) / nw.col("headcount").cast(nw.Float64)
    safe = nw.when(nw.col("headcount") > 0).then(value).otherwise(nw.lit(0.0))
    return nw.when(safe > 1.0).then(nw.lit(1.0)).otherwise(safe).cast(nw.Float64)


def _window_and_habit(
    result: Any,
    located: Any,
    spine: Any,
    *,
    spec: PeriodSpec,
    window: int | None,
    habit_days: int | None,
) -> tuple[Any, list[str]]:
    nw = narwhals()
    user_days = located.filter(nw.col("__g") != UNMATCHED).select("__g", "__user", "__day").unique()
    extra: list[str] = []
    if window is not None:
        ends = spine.select(nw.col("__key").alias("__wkey"), nw.col("__last")).unique()
        offsets = table_like({"__off": list(range(window))}, {"__off": nw.Int64()}, user_days)
        spread = (
            user_days.join(offsets, how="cross")
            .with_columns((nw.col("__day") + nw.col("__off")).alias("__last"))
            .join(ends, on="__last", how="inner")
            .select("__g", "__user", "__day", nw.col("__wkey").alias("__key"))
        )
        window_active = _distinct_count(spread, ["__g", "__key"], "__user", "window_active_users")
        result = result.join(
            window_active.rename({"__g": "department"}), on=["department", "__key"], how="left"
        )
        extra.append("window_active_users")
        per_user = spread
    else:
        per_user = with_key(user_days, nw, spec).select("__g", "__user", "__day", "__key")
    if habit_days is not None:
        days = _distinct_count(per_user, ["__g", "__key", "__user"], "__day", "__days")
        habits = _distinct_count(
            days.filter(nw.col("__days") >= habit_days), ["__g", "__key"], "__user", "habit_users"
        )
        result = result.join(
            habits.rename({"__g": "department"}), on=["department", "__key"], how="left"
        )
        extra.append("habit_users")
    return result, extra


def _lifecycle(result: Any, located: Any) -> Any:
    nw = narwhals()
    firsts = (
        located.filter(nw.col("__g") != UNMATCHED)
        .group_by("__g", "__user")
        .agg(nw.col("__key").min().alias("__key"))
    )
    first = _distinct_count(firsts, ["__g", "__key"], "__user", "__new").rename(
        {"__g": "department"}
    )
    # People ever active up to each period: a join on the department and a
    # ``first <= period`` filter (window functions with an order are not on every backend).
    keys = result.select("department", "__key")
    ever = (
        keys.join(first.rename({"__key": "__first"}), on="department", how="inner")
        .filter(nw.col("__first") <= nw.col("__key"))
        .group_by("department", "__key")
        .agg(nw.col("__new").sum().alias("__ever"))
    )
    result = result.join(ever, on=["department", "__key"], how="left").with_columns(
        nw.col("__ever").fill_null(0)
    )
    active = nw.col("active_users").fill_null(0)
    never = nw.col("headcount") - nw.col("__ever")
    dormant = nw.col("__ever") - active
    return result.with_columns(
        nw.when(never > 0).then(never).otherwise(0).cast(nw.Int64).alias("never_used"),
        nw.when(dormant > 0).then(dormant).otherwise(0).cast(nw.Int64).alias("dormant"),
    )


@backend_errors_as_load_errors
def unmatched_users(
    events: Any,
    roster: Any,
    *,
    timezone: str = "Asia/Tokyo",
    user_id: str = "user_id",
    timestamp: str = "timestamp",
    date: str = "date",
    roster_columns: RosterColumns = DEFAULT_COLUMNS,
) -> tuple[str, ...]:
    """The people active in ``events`` on a day when the roster has no spell for them.

    Sorted ids (as text), for fixing the roster; computed eagerly.
    """
    nw = narwhals()
    zone = check_timezone(timezone)
    frame = to_frame(events, what="events")
    schema = frame.collect_schema()
    source = input_name(events, "events")
    if user_id not in schema:
        raise InputColumnsError(source, [user_id], list(schema.names()))
    time_column = event_time_column(schema, timestamp, date, source=source)
    parsed = read_roster(roster, columns=roster_columns, timezone=zone)
    days = collect(local_days(frame, user_id=user_id, time_column=time_column, timezone=zone))
    spells: dict[str, list[tuple[int, int]]] = {}
    for user, first, last in zip(parsed.users, parsed.starts, parsed.ends, strict=True):
        spells.setdefault(str(user), []).append((int(first), int(last)))
    pairs = days.select(nw.col("__user").cast(nw.String), "__day").unique().rows()
    missing = {
        user
        for user, day in pairs
        if user is not None
        and not any(first <= day <= last for first, last in spells.get(user, ()))
    }
    return tuple(sorted(missing))


_ = Period
