"""A playbook's scheduling for one company: options, calendar, the scheduler's run and its results.

:func:`schedule_plan` expands the playbook, runs the scheduler (levelled when
a role has a capacity or work is already done) and derives the finish, the
milestones, the critical path and the champions; :class:`Plan` keeps the
result and builds its planned tasks from the run only when asked.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar, DateRange
from backoffice_marketing.core.departments import Department
from backoffice_marketing.diagnosis.planning.expansion import Expansion, expand
from backoffice_marketing.diagnosis.planning.records import PlannedMilestone, PlannedTask
from backoffice_marketing.diagnosis.planning.scheduler import kahn, passes, schedule_levelled
from backoffice_marketing.diagnosis.playbooks import Playbook
from backoffice_marketing.exceptions import PlanTooLongError
from backoffice_marketing.foundation.defaults import CENTRAL_TEAM_CAPACITY, MAX_PLAN_YEARS
from backoffice_marketing.foundation.text import LocalizedText

__all__ = [
    "PlanRun",
    "Scheduled",
    "SchedulingOptions",
    "business_day_index",
    "calendar_for",
    "capacities",
    "days_option",
    "planned_tasks",
    "row_order",
    "schedule_plan",
]


@attrs.frozen
class SchedulingOptions:
    """The scheduling options a plan keeps for :meth:`Plan.replan`."""

    lead_time: int
    notice: int
    capacity: tuple[tuple[str, int], ...]
    levelled: bool


def calendar_for(
    calendar: BusinessCalendar | str | None,
    company_holidays: Sequence[dt.date],
    blackouts: Sequence[DateRange],
) -> BusinessCalendar:
    """The business calendar of a plan: a calendar or country code, plus company days off."""
    if isinstance(calendar, BusinessCalendar):
        if company_holidays or blackouts:
            return attrs.evolve(
                calendar,
                company_holidays=calendar.company_holidays | frozenset(company_holidays),
                blackouts=(*calendar.blackouts, *blackouts),
            )
        return calendar
    return BusinessCalendar(
        country=calendar, company_holidays=frozenset(company_holidays), blackouts=tuple(blackouts)
    )


@attrs.frozen
class PlanRun:
    """The scheduler's arrays, kept so that planned tasks are built only when asked for."""

    expansion: Expansion
    early: list[int]
    late: list[int]
    rank: list[int]
    days: list[dt.date]
    lane_before: dict[int, int] = attrs.field(factory=dict)
    kahn: list[int] | None = None

    @functools.cached_property
    def order(self) -> list[int]:
        """Nodes in lexicographic topological order (task ids break ties)."""
        if self.kahn is not None:
            return self.kahn
        expansion = self.expansion
        return kahn(len(self.early), expansion.predecessors, expansion.lags, self.rank)

    def last_day(self, node: int) -> int:
        """Business-day index of a node's last day (its first day for a milestone)."""
        duration = self.expansion.durations[node]
        return self.early[node] + duration - 1 if duration else self.early[node]


def capacities(
    playbook: Playbook, capacity: int | Mapping[str, int] | None
) -> tuple[tuple[str, int], ...]:
    """Sessions per business day by role: the owner's default, the playbook's, the caller's."""
    table = {playbook.owner: CENTRAL_TEAM_CAPACITY, **dict(playbook.capacity)}
    if isinstance(capacity, Mapping):
        table.update(capacity)
    elif capacity is not None:
        table[playbook.owner] = capacity
    for role, amount in table.items():
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise ValueError(f"capacity of {role!r} must be a positive integer; found {amount!r}")
    return tuple(sorted(table.items()))


def days_option(name: str, value: int) -> int:
    """``value`` checked as a whole number of business days (``name`` is the option)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of business days >= 0; found {value!r}")
    return value


def _flagged_title(title: LocalizedText, round_: int) -> LocalizedText:
    """The title of a flagged-only placeholder: the task, for the departments flagged in a round."""
    return LocalizedText(
        ja=f"{title.ja}(第{round_}回の測定で遅れが見つかった部署が対象)",
        en=f"{title.en} (the departments flagged in round {round_})",
    )


def _pin(
    completed: Mapping[str, dt.date],
    keys: Sequence[str],
    durations: Sequence[int],
    calendar: BusinessCalendar,
    start: dt.date,
) -> dict[int, int]:
    """Business-day start indexes of finished tasks, from their actual finish dates."""
    if not completed:
        return {}
    index = {key: node for node, key in enumerate(keys)}
    days = _days_until(calendar, start, max(completed.values()))
    fixed = {}
    for key, finished in completed.items():
        node = index[key]
        last = bisect.bisect_left(days, finished)
        fixed[node] = max(0, last - max(0, durations[node] - 1))
    return fixed


def _days_until(calendar: BusinessCalendar, start: dt.date, day: dt.date) -> list[dt.date]:
    """The business days from ``start`` up to and including ``day`` (empty before ``start``)."""
    if day < start:
        return []
    days = []
    current = start
    one = dt.timedelta(days=1)
    while current <= day:
        if calendar.is_business_day(current):
            days.append(current)
        current += one
    return days


def business_day_index(calendar: BusinessCalendar, start: dt.date, day: dt.date) -> int:
    """How many business days lie from ``start`` up to (not including) ``day``.

    A business ``day`` on or after ``start`` has this index in
    ``calendar.business_days(start, ...)``; a closed day gets the index of the
    next business day; a day before ``start`` gets 0.
    """
    return bisect.bisect_left(_days_until(calendar, start, day), day)


def _critical_path(run: PlanRun, end: int) -> tuple[str, ...]:
    """One chain of zero-slack tasks from the start to the finish (smallest ids first)."""
    expansion = run.expansion
    early, late, durations = run.early, run.late, expansion.durations
    keys, template = expansion.keys, expansion.template
    sinks = [n for n in range(len(keys)) if early[n] + durations[n] == end and late[n] == early[n]]
    if not sinks:  # pragma: no cover - the latest finishing node always has zero slack
        return ()
    path: list[int] = []
    node: int | None = min(sinks, key=lambda n: (template[n] < 0, keys[n]))
    while node is not None:
        path.append(node)
        current = node
        tight = [
            other
            for other in expansion.predecessors[current]
            if late[other] == early[other] and early[other] + durations[other] == early[current]
        ]
        tight.extend(
            other
            for other, lag in expansion.lags.get(current, ())
            if late[other] == early[other] and early[other] + lag == early[current]
        )
        lane = run.lane_before.get(current)
        if (
            lane is not None
            and late[lane] == early[lane]
            and early[lane] + durations[lane] == early[current]
        ):
            tight.append(lane)
        node = min(tight, key=keys.__getitem__) if tight else None
    return tuple(keys[n] for n in reversed(path) if template[n] >= 0)


@attrs.frozen
class Scheduled:
    """What scheduling a playbook yields: the run and the results a plan shows."""

    run: PlanRun
    critical_path: tuple[str, ...]
    milestones: tuple[PlannedMilestone, ...]
    finish: dt.date
    champion_counts: tuple[tuple[str, int], ...]


def schedule_plan(  # noqa: PLR0917  (the plan's own fields, passed through)
    playbook: Playbook,
    start: dt.date,
    units: tuple[Department, ...],
    business: BusinessCalendar,
    champion_ratio: int,
    options: SchedulingOptions,
    *,
    flagged: Mapping[int, tuple[str, ...]] | None = None,
    completed: Mapping[str, dt.date] | None = None,
    release: int = 0,
) -> Scheduled:
    """Schedule ``playbook`` for ``units`` from ``start`` (see :meth:`Plan.from_playbook`).

    ``flagged`` names the departments per round of flagged-only follow-up,
    ``completed`` the actual finish dates of done tasks (they stay put) and
    ``release`` the first business-day index any other task may start on.
    """
    expansion = expand(
        playbook, units, lead_time=options.lead_time, notice=options.notice, flagged=flagged
    )
    keys = expansion.keys
    ranked = sorted(range(len(keys)), key=keys.__getitem__)
    rank = [0] * len(keys)
    for position, node in enumerate(ranked):
        rank[node] = position
    durations = expansion.durations
    tasks = playbook.tasks
    roles = dict(options.capacity) if options.levelled else {}
    resources = sorted(roles)
    index_of = {role: number for number, role in enumerate(resources)}
    template = expansion.template
    levelled = any(task.per_department and task.role in roles for task in tasks)
    demand = (
        [
            index_of.get(tasks[template[n]].role, -1)
            if template[n] >= 0 and expansion.department[n] is not None
            else -1
            for n in range(len(keys))
        ]
        if levelled
        else []
    )
    lane_before: dict[int, int] = {}
    order: list[int] | None = None
    if completed or release or any(d >= 0 for d in demand):
        demand = demand or [-1] * len(keys)
        fixed = _pin(completed or {}, keys, durations, business, start)
        early, late, order, lane_before = schedule_levelled(
            durations, expansion.predecessors, expansion.lags, rank, demand,
            [roles[role] for role in resources], fixed=fixed, release=release,
        )  # fmt: skip
    else:
        early, late = passes(durations, expansion.predecessors, expansion.lags)
    end = max((early[n] + durations[n] for n in range(len(durations))), default=0)
    latest = dt.date.max - dt.timedelta(days=366 * MAX_PLAN_YEARS)
    if start > latest:  # no room on the calendar for a plan of the longest length
        raise PlanTooLongError(dt.date.max, latest)
    limit = start + dt.timedelta(days=366 * MAX_PLAN_YEARS)
    days = business.business_days(start, end + 1)
    if days and days[-1] > limit:
        raise PlanTooLongError(days[-1], limit)
    run = PlanRun(expansion, early, late, rank, days, lane_before, order)
    marked = {index for index, task in enumerate(tasks) if task.milestone is not None}
    milestones = sorted(
        (
            PlannedMilestone(kind, keys[node], run.days[early[node]])
            for node in range(len(keys))
            if template[node] in marked
            and (kind := tasks[template[node]].milestone) is not None
            and expansion.department[node] is None
        ),
        key=lambda m: (m.date, m.kind.value),
    )
    critical = _critical_path(run, end)
    champions = tuple(
        (unit.id, max(1, math.ceil(unit.headcount / champion_ratio))) for unit in units
    )
    last = max(
        (
            early[n] + durations[n] - (durations[n] > 0)
            for n in range(len(keys))
            if template[n] >= 0
        ),
        default=0,
    )
    finish = run.days[last]
    return Scheduled(run, critical, tuple(milestones), finish, champions)


def row_order(run: PlanRun, departments: Sequence[str]) -> list[int]:
    """The nodes in the order a plan's rows show them: by date, department rank, task id.

    ``departments`` is the company's order (a department's rank is its
    position; a company-wide task ranks before every department). The order
    stays topological: a task never comes before one it waits for, even on
    the same day. Only rows move with the company's order; the dates come
    from the scheduler, whose ties break on task ids alone.
    """
    expansion = run.expansion
    keys, department, early = expansion.keys, expansion.department, run.early
    rank = {name: position for position, name in enumerate(departments)}
    last = len(rank)
    ranked = sorted(
        range(len(keys)),
        key=lambda n: (
            early[n],
            -1 if (unit := department[n]) is None else rank.get(unit, last),
            keys[n],
        ),
    )
    priority = [0] * len(keys)
    for position, node in enumerate(ranked):
        priority[node] = position
    return kahn(len(keys), expansion.predecessors, expansion.lags, priority)


def planned_tasks(
    run: PlanRun,
    playbook: Playbook,
    purposes: Mapping[str, LocalizedText],
    departments: Sequence[str] = (),
) -> tuple[PlannedTask, ...]:
    """The planned tasks of a run in row order (:func:`row_order`; barriers left out).

    ``departments`` gives the company's order of departments. A placeholder
    is titled for the departments flagged in its round; a flagged
    department's visit takes its purpose from ``purposes`` if given.
    """
    expansion = run.expansion
    keys, template, days = expansion.keys, expansion.template, run.days
    early, late = run.early, run.late
    templates = playbook.tasks
    placeholder = expansion.placeholder
    planned = []
    for node in row_order(run, departments):
        index = template[node]
        if index < 0:
            continue
        task = templates[index]
        title = task.title
        if node in placeholder:
            title = _flagged_title(title, expansion.round[node] or 1)
        elif task.flagged_only and (unit := expansion.department[node] or "") in purposes:
            title = purposes[unit]
        planned.append(
            PlannedTask(
                keys[node],
                task.id,
                task.stage,
                expansion.round[node],
                expansion.department[node],
                title,
                task.role,
                expansion.durations[node],
                days[early[node]],
                days[run.last_day(node)],
                max(0, late[node] - early[node]),
                tuple(sorted(keys[other] for other in expansion.explicit[node])),
                expansion.entries[node],
                late[node] <= early[node],
                task.milestone,
                task.deliverable,
                node in placeholder,
            )
        )
    return tuple(planned)
