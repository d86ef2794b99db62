"""The adoption funnel and champion coverage per department.

Funnel stages: *enabled* (has access; everyone in the roster unless a list
is given) -> *active* (used it at least once in the window) -> *habitual*
(used it on at least ``habit_days`` distinct days in the window) ->
*champion* (named as a promoter). Champion coverage asks for at least one
champion per department and about one per ``per`` people (50 by default).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from backoffice_marketing.adoption.clock import check_timezone
from backoffice_marketing.adoption.frames import (
    InputColumnsError,
    backend_errors_as_load_errors,
    collect,
    input_name,
    narwhals,
    to_frame,
)
from backoffice_marketing.adoption.periods import day_number, from_day_number
from backoffice_marketing.adoption.rates import event_time_column, local_days
from backoffice_marketing.adoption.roster import (
    DEFAULT_COLUMNS,
    Roster,
    RosterColumns,
    read_roster,
)
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE, RollUp
from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.text import Lang

__all__ = ["ChampionCoverage", "Funnel", "FunnelRow", "champion_coverage", "funnel"]


@attrs.frozen
class FunnelRow:
    """One department's funnel between ``start`` and ``end`` (inclusive)."""

    department: str
    headcount: int
    enabled: int
    active: int
    habitual: int
    champions: int
    start: dt.date
    end: dt.date


@attrs.frozen
class ChampionCoverage:
    """Champions in one department against the need (at least 1, about 1 per ``per`` people)."""

    department: str
    headcount: int
    champions: int
    needed: int

    @property
    def met(self) -> bool:
        """Whether the department has the champions it needs."""
        return self.champions >= self.needed


def _members_on(roster: Roster, day: int, rollup: RollUp) -> dict[Any, str]:
    assignment = rollup.assignment
    people: dict[Any, str] = {}
    for user, department, first, last in zip(
        roster.users, roster.departments_of, roster.starts, roster.ends, strict=True
    ):
        if first <= day <= last and department in assignment:
            people[str(user)] = assignment[department]
    return people


def _rollup(roster: Roster, min_group_size: int, day: int) -> RollUp:
    """The roll-up by each department's size *on* ``day``, the day published.

    Sizes over all time would count people who left during the window and
    publish groups that are below the floor on the day itself.
    """
    from backoffice_marketing.adoption.periods import PeriodSpec  # noqa: PLC0415

    return roster.roll_up(PeriodSpec("day"), (day,), min_group_size=min_group_size)


def champion_coverage(
    roster: Any,
    champions: Iterable[Any],
    *,
    per: int = 50,
    on: dt.date | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    timezone: str = "Asia/Tokyo",
    columns: RosterColumns = DEFAULT_COLUMNS,
) -> tuple[ChampionCoverage, ...]:
    """Champion coverage per published department on ``on`` (today by default)."""
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        raise ValueError(f"per must be a positive integer; found {per!r}")
    parsed = read_roster(roster, columns=columns, timezone=check_timezone(timezone))
    day = day_number(on or dt.datetime.now(dt.UTC).date())
    rollup = _rollup(parsed, min_group_size, day)
    people = _members_on(parsed, day, rollup)
    wanted = {str(user) for user in champions}
    counts: dict[str, list[int]] = {}
    for user, group in people.items():
        cell = counts.setdefault(group, [0, 0])
        cell[0] += 1
        cell[1] += user in wanted
    return tuple(
        ChampionCoverage(group, size, champs, max(1, math.ceil(size / per)))
        for group, (size, champs) in sorted(counts.items())
        if size >= rollup.min_group_size  # the floor, checked again at publication
    )


@backend_errors_as_load_errors
def funnel(
    events: Any,
    roster: Any,
    *,
    enabled: Iterable[Any] | None = None,
    champions: Iterable[Any] = (),
    habit_days: int = 4,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    timezone: str = "Asia/Tokyo",
    user_id: str = "user_id",
    timestamp: str = "timestamp",
    date: str = "date",
    roster_columns: RosterColumns = DEFAULT_COLUMNS,
) -> tuple[FunnelRow, ...]:
    """The funnel per published department over ``start``..``end``.

    The window defaults to the 28 days ending on the last day with events;
    membership is the roster on ``end``.
    """
    nw = narwhals()
    if isinstance(habit_days, bool) or not isinstance(habit_days, int) or habit_days < 1:
        raise ValueError(f"habit_days must be a positive integer; found {habit_days!r}")
    zone = check_timezone(timezone)
    frame = to_frame(events, what="events")
    schema = frame.collect_schema()
    source = input_name(events, "events")
    if user_id not in schema:
        raise InputColumnsError(source, [user_id], list(schema.names()))
    time_column = event_time_column(schema, timestamp, date, source=source)
    parsed = read_roster(roster, columns=roster_columns, timezone=zone)
    days = local_days(frame, user_id=user_id, time_column=time_column, timezone=zone)
    days = days.with_columns(nw.col("__user").cast(nw.String))
    if end is None:
        high = collect(days.select(nw.col("__day").max()))["__day"].to_list()[0]
        last = int(high) if high is not None else day_number(dt.datetime.now(dt.UTC).date())
    else:
        last = day_number(end)
    first = day_number(start) if start is not None else last - 27
    per_user = collect(
        days.filter((nw.col("__day") >= first) & (nw.col("__day") <= last))
        .group_by("__user")
        .agg(nw.col("__day").n_unique().alias("__days"))
    )
    active_days = dict(zip(per_user["__user"].to_list(), per_user["__days"].to_list(), strict=True))
    rollup = _rollup(parsed, min_group_size, last)
    people = _members_on(parsed, last, rollup)
    allowed = None if enabled is None else {str(user) for user in enabled}
    stars = {str(user) for user in champions}
    table: dict[str, list[int]] = {}
    for user, group in people.items():
        row = table.setdefault(group, [0, 0, 0, 0, 0])
        count = int(active_days.get(user, 0))
        row[0] += 1
        row[1] += allowed is None or user in allowed
        row[2] += count >= 1
        row[3] += count >= habit_days
        row[4] += user in stars
    return tuple(
        FunnelRow(
            group,
            headcount=values[0],
            enabled=values[1],
            active=values[2],
            habitual=values[3],
            champions=values[4],
            start=from_day_number(first),
            end=from_day_number(last),
        )
        for group, values in sorted(table.items())
        if values[0] >= rollup.min_group_size  # the floor, checked again at publication
    )


def _rows(values: Iterable[FunnelRow]) -> tuple[FunnelRow, ...]:
    return tuple(values)


def _coverage(values: Iterable[ChampionCoverage]) -> tuple[ChampionCoverage, ...]:
    return tuple(values)


@attrs.frozen
class Funnel(Report):
    """The funnel of every department (enabled → active → habitual) and champion coverage.

    Build it from :func:`funnel` and :func:`champion_coverage`:
    ``Funnel(funnel(...), champion_coverage(...))``; groups under the privacy
    floor are already folded into their parents there.
    """

    report_kind: ClassVar[str] = "funnel"

    rows: tuple[FunnelRow, ...] = attrs.field(converter=_rows)
    coverage: tuple[ChampionCoverage, ...] = attrs.field(default=(), converter=_coverage)

    def _markdown(self, lang: Lang) -> str:
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("adoption_funnel.md.j2", lang, funnel=self)
