"""Plans: a playbook scheduled for a real company on a business-day calendar."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import gc
import heapq
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from backoffice_marketing.calendars import BusinessCalendar, DateRange
from backoffice_marketing.defaults import (
    CENTRAL_TEAM_CAPACITY,
    LEAD_TIME_DAYS,
    MAX_PLAN_YEARS,
    NOTICE_DAYS,
)
from backoffice_marketing.departments import Department, DepartmentsInput, coerce_departments
from backoffice_marketing.exceptions import PlanTooLongError, ScheduleError
from backoffice_marketing.playbooks import Milestone, Playbook, Recurrence, Task
from backoffice_marketing.report import Report
from backoffice_marketing.text import Lang, LocalizedText, resolve_lang

if TYPE_CHECKING:
    from backoffice_marketing.checklist import Answer, Checklist

__all__ = [
    "Plan",
    "PlanTooLongError",
    "PlannedMilestone",
    "PlannedStep",
    "PlannedTask",
    "ScheduleError",
    "business_day_index",
    "schedule",
    "schedule_levelled",
]


@attrs.frozen
class PlannedTask:
    """One scheduled task: a playbook task for one round and, if per department, one department.

    ``start`` and ``finish`` are the first and last business day (equal for a
    milestone of zero days); ``slack`` is how many business days the task can
    slip without moving the plan's finish.
    """

    id: str
    task: str
    stage: str
    round: int | None
    department: str | None
    title: LocalizedText
    role: str
    duration: int
    start: dt.date
    finish: dt.date
    slack: int
    depends_on: tuple[str, ...]
    after_stages: tuple[str, ...]
    critical: bool
    milestone: Milestone | None = None
    deliverable: LocalizedText | None = None
    placeholder: bool = False


@attrs.frozen
class PlannedMilestone:
    """A milestone of the plan (approval, launch, cut-over) and its date."""

    kind: Milestone
    task: str
    date: dt.date


def schedule(
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    priority: Sequence[int] | None = None,
) -> tuple[list[int], list[int], list[int]]:
    """Earliest starts, latest starts and a topological order of a task graph.

    Nodes are ``0..n-1``. A node starts no earlier than every predecessor's
    finish (``start + duration``) and, for each ``(other, lag)`` in
    ``lags[node]``, no earlier than ``other``'s start plus ``lag``. Among ready
    nodes the one with the smallest ``priority`` (a permutation of ``0..n-1``;
    the node number by default) comes first, so the order is deterministic.
    Raises :class:`ScheduleError` if the graph has a cycle.
    """
    count = len(durations)
    lag_map = lags or {}
    rank = range(count) if priority is None else priority
    # Kahn's algorithm, smallest priority first; a heap of ranks keeps it O(E + V log V).
    order = _kahn(count, predecessors, lag_map, rank)
    # Plain comparisons instead of max()/min() calls: this loop visits every edge.
    early = [0] * count
    for node in order:
        start = 0
        for other in predecessors[node]:
            finish = early[other] + durations[other]
            if finish > start:  # noqa: PLR1730
                start = finish
        if lag_map and node in lag_map:
            for other, lag in lag_map[node]:
                if early[other] + lag > start:  # noqa: PLR1730
                    start = early[other] + lag
        early[node] = start
    end = max((early[n] + durations[n] for n in range(count)), default=0)
    late = [end - durations[n] for n in range(count)]
    for node in reversed(order):
        latest = late[node]
        for other in predecessors[node]:
            bound = latest - durations[other]
            if bound < late[other]:  # noqa: PLR1730
                late[other] = bound
        if lag_map and node in lag_map:
            for other, lag in lag_map[node]:
                if latest - lag < late[other]:  # noqa: PLR1730
                    late[other] = latest - lag
    return early, late, order


def _kahn(
    count: int,
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]],
    rank: Sequence[int],
) -> list[int]:
    """Kahn's algorithm over precedence and lag edges, smallest rank first."""
    by_rank = [0] * count
    for node in range(count):
        by_rank[rank[node]] = node
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [len(before) for before in predecessors]
    for node, before in enumerate(predecessors):
        for other in before:
            successors[other].append(node)
    for node, pairs in lags.items():
        for other, _ in pairs:
            successors[other].append(node)
        indegree[node] += len(pairs)
    ready = [rank[node] for node in range(count) if indegree[node] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        node = by_rank[heapq.heappop(ready)]
        order.append(node)
        for successor in successors[node]:
            indegree[successor] -= 1
            if not indegree[successor]:
                heapq.heappush(ready, rank[successor])
    if len(order) != count:
        raise ScheduleError("the task graph has a cycle")
    return order


def _passes(  # noqa: PLR0912  (flat hot loops, like schedule)
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]],
) -> tuple[list[int], list[int]]:
    """Earliest and latest starts through a plain Kahn order (no tie-break heap).

    The same numbers as :func:`schedule`, without its lexicographic tie-break:
    the plan builds that order only when its tasks are listed.
    """
    count = len(durations)
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [len(before) for before in predecessors]
    for node, before in enumerate(predecessors):
        for other in before:
            successors[other].append(node)
    for node, pairs in lags.items():
        for other, _ in pairs:
            successors[other].append(node)
        indegree[node] += len(pairs)
    order = [node for node in range(count) if not indegree[node]]
    append = order.append
    for node in order:  # the list grows while it is walked: a queue without popping
        for successor in successors[node]:
            indegree[successor] -= 1
            if not indegree[successor]:
                append(successor)
    if len(order) != count:
        raise ScheduleError("the task graph has a cycle")
    early = [0] * count
    for node in order:
        start = 0
        for other in predecessors[node]:
            finish = early[other] + durations[other]
            if finish > start:  # noqa: PLR1730
                start = finish
        if node in lags:
            for other, lag in lags[node]:
                if early[other] + lag > start:  # noqa: PLR1730
                    start = early[other] + lag
        early[node] = start
    end = max((early[n] + durations[n] for n in range(count)), default=0)
    late = [end - durations[n] for n in range(count)]
    for node in reversed(order):
        latest = late[node]
        for other in predecessors[node]:
            if latest - durations[other] < late[other]:  # noqa: PLR1730
                late[other] = latest - durations[other]
        if node in lags:
            for other, lag in lags[node]:
                if latest - lag < late[other]:  # noqa: PLR1730
                    late[other] = latest - lag
    return early, late


def _room_from(jump: list[int], day: int) -> int:
    """The first day on or after ``day`` that still has room (see ``schedule_levelled``)."""
    root = day
    while root < len(jump) and jump[root] != root:
        root = jump[root]
    while day < len(jump) and jump[day] != day:
        jump[day], day = root, jump[day]
    return root


def schedule_levelled(  # noqa: PLR0912, PLR0915, PLR0917  (one flat hot loop)
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]] | None,
    priority: Sequence[int],
    demand: Sequence[int],
    capacities: Sequence[int],
    *,
    fixed: Mapping[int, int] | None = None,
    release: int = 0,
) -> tuple[list[int], list[int], list[int], dict[int, int]]:
    """Earliest starts under precedence, lags and resource capacity (serial levelling).

    ``demand[node]`` is the resource a node uses (one unit on each of its days;
    ``-1`` for none) and ``capacities[resource]`` the units per day. Nodes are
    placed in Kahn order (smallest ``priority`` first) on the first days where
    their resource has room. Nodes in ``fixed`` keep the given start (work
    already done); every other node starts on day ``release`` or later. Each
    resource's nodes are then laid into ``capacity`` lanes; a node's lane
    predecessor (the fourth result) joins the backward pass, so that slack and
    the critical path reflect the levelling: shifting a task within its slack
    keeps every day within capacity.
    """
    count = len(durations)
    lag_map = lags or {}
    pinned = fixed or {}
    order = _kahn(count, predecessors, lag_map, priority)
    early = [0] * count
    usage: list[list[int]] = [[] for _ in capacities]
    # skip[r][d] leads from a full day d towards the next day with room (d itself when
    # it has room): a union-find with path compression, so that thousands of sessions
    # waiting behind a full stretch do not walk it day by day.
    skip: list[list[int]] = [[] for _ in capacities]
    for node in order:
        if node in pinned:
            start = pinned[node]
        else:
            start = release
            for other in predecessors[node]:
                finish = early[other] + durations[other]
                if finish > start:  # noqa: PLR1730
                    start = finish
            for other, lag in lag_map.get(node, ()):
                if early[other] + lag > start:  # noqa: PLR1730
                    start = early[other] + lag
        resource = demand[node]
        duration = durations[node]
        if resource >= 0 and duration:
            cap = capacities[resource]
            days = usage[resource]
            jump = skip[resource]
            if node not in pinned:
                while True:
                    start = _room_from(jump, start)
                    if len(days) < start + duration:
                        days.extend([0] * (start + duration - len(days)))
                    blocked = -1
                    for day in range(start + 1, start + duration):
                        if days[day] >= cap:
                            blocked = day
                            break
                    if blocked < 0:
                        break
                    start = blocked + 1
            if len(days) < start + duration:
                days.extend([0] * (start + duration - len(days)))
            for day in range(start, start + duration):
                days[day] += 1
                if days[day] >= cap:
                    if len(jump) < day + 2:
                        jump.extend(range(len(jump), day + 2))
                    jump[day] = day + 1
        early[node] = start
    # Lanes: interval partitioning by start day; each lane is one unit of capacity.
    lane_before: dict[int, int] = {}
    by_resource: list[list[int]] = [[] for _ in capacities]
    for node in range(count):
        if demand[node] >= 0 and durations[node] and node not in pinned:
            by_resource[demand[node]].append(node)
    for nodes in by_resource:
        nodes.sort(key=lambda n: (early[n], priority[n]))
        lanes: list[tuple[int, int, int]] = []  # (free from, lane number, last node)
        for node in nodes:
            if lanes and lanes[0][0] <= early[node]:
                _, lane, last = heapq.heappop(lanes)
                lane_before[node] = last
            else:
                lane = len(lanes)
            heapq.heappush(lanes, (early[node] + durations[node], lane, node))
    # Sorting by (start, Kahn position) orders precedence, lag and lane edges alike.
    seen = [0] * count
    for index, node in enumerate(order):
        seen[node] = index
    backwards = sorted(range(count), key=lambda n: (early[n], seen[n]), reverse=True)
    end = max((early[n] + durations[n] for n in range(count)), default=0)
    late = [end - durations[n] for n in range(count)]
    for node in backwards:
        if node in pinned:  # work already done constrains nothing before it
            late[node] = early[node]
            continue
        latest = late[node]
        for other in predecessors[node]:
            late[other] = min(late[other], latest - durations[other])
        for other, lag in lag_map.get(node, ()):
            late[other] = min(late[other], latest - lag)
        other = lane_before.get(node, -1)
        if other >= 0 and latest - durations[other] < late[other]:
            late[other] = latest - durations[other]
    return early, late, order, lane_before


@attrs.frozen
class _Expansion:
    """A playbook expanded into scheduler nodes: task instances and stage-round barriers.

    Parallel lists indexed by node; ``template`` is the index of the playbook
    task (-1 for a barrier), ``explicit`` the task instances a node depends on
    by ``depends_on``, ``entries`` the labels of the stage rounds it follows,
    ``placeholder`` whether the node stands for the departments still to be
    flagged in its round.
    """

    keys: list[str]
    template: list[int]
    department: list[str | None]
    round: list[int | None]
    durations: list[int]
    predecessors: list[list[int]]
    explicit: list[Sequence[int]]
    entries: list[tuple[str, ...]]
    lags: dict[int, list[tuple[int, int]]]
    placeholder: frozenset[int]


def _round_of(rounds: Mapping[str, int], stage_id: str, wanted: int, other_stage: str) -> int:
    """The round of ``stage_id`` that round ``wanted`` of ``other_stage`` waits for."""
    count = rounds[stage_id]
    if count == 1:
        return 1
    if stage_id == other_stage or count == rounds[other_stage]:
        return wanted
    return count


def _task_rounds(task: Task, rounds: int) -> range:
    """The rounds a task of a repeated stage runs in: one, or all from its first."""
    if task.repeat is Recurrence.EACH_ROUND:
        return range(task.round, rounds + 1)
    return range(task.round, task.round + 1)


#: The nodes of one task instance: ``(first, stop, slots)``, nodes ``first..stop-1``;
#: ``slots`` maps a department to its node, or is ``None`` for a single node.
_Span = tuple[int, int, Mapping[str, int] | None]


def _pick(spans: Mapping[int, _Span], wanted: int) -> _Span:
    """The instance for round ``wanted``, else the latest earlier one, else the first."""
    if wanted in spans:
        return spans[wanted]
    earlier = [r for r in spans if r <= wanted]
    return spans[max(earlier)] if earlier else spans[min(spans)]


# One flat function on purpose: it runs once per node and edge of large plans.
def _expand(  # noqa: PLR0912, PLR0915
    playbook: Playbook,
    departments: Sequence[Department],
    *,
    lead_time: int = LEAD_TIME_DAYS,
    notice: int = NOTICE_DAYS,
    flagged: Mapping[int, Sequence[str]] | None = None,
) -> _Expansion:
    graph = playbook.stage_graph
    stage_rounds = {stage.id: stage.rounds for stage in graph}
    tasks = playbook.tasks
    position = {task.id: index for index, task in enumerate(tasks)}
    names = [d.id for d in departments]
    every = {name: slot for slot, name in enumerate(names)}
    named = flagged or {}
    keys: list[str] = []
    template: list[int] = []
    department: list[str | None] = []
    rounds_of: list[int | None] = []
    durations: list[int] = []
    placeholder: set[int] = set()
    barrier: dict[tuple[str, int], int] = {}
    # instances[t][r] is the span of task t in round r.
    instances: list[dict[int, _Span]] = [{} for _ in tasks]
    members: dict[str, list[int]] = {stage.id: [] for stage in graph}
    for index, task in enumerate(tasks):
        members[task.stage].append(index)
    for stage in graph:
        rounds = stage.rounds
        for round_ in range(1, rounds + 1):
            barrier[stage.id, round_] = len(keys)
            keys.append(f"~{stage.id}#{round_}")
            template.append(-1)
            department.append(None)
            rounds_of.append(round_)
            durations.append(0 if members[stage.id] else stage.duration)
        for index in members[stage.id]:
            task = tasks[index]
            for round_ in (1,) if rounds == 1 else _task_rounds(task, rounds):
                each = rounds > 1 and task.repeat is Recurrence.EACH_ROUND
                base = f"{task.id}#{round_}" if each else task.id
                first = len(keys)
                if not task.per_department:  # the common case: one company-wide node
                    keys.append(base)
                    department.append(None)
                    template.append(index)
                    rounds_of.append(round_ if rounds > 1 else None)
                    durations.append(task.duration)
                    instances[index][round_] = (first, first + 1, None)
                    continue
                slots: Mapping[str, int] | None = None
                if task.flagged_only and round_ not in named:
                    keys.append(base)
                    department.append(None)
                    placeholder.add(first)
                else:
                    chosen = (
                        sorted(set(named[round_]) & every.keys(), key=every.__getitem__)
                        if task.flagged_only
                        else names
                    )
                    keys.extend([f"{base}@{name}" for name in chosen])
                    department.extend(chosen)
                    slots = {name: first + slot for slot, name in enumerate(chosen)}
                size = len(keys) - first
                template.extend([index] * size)
                rounds_of.extend([round_ if rounds > 1 else None] * size)
                durations.extend([task.duration] * size)
                instances[index][round_] = (first, len(keys), slots)
    count = len(keys)
    needed_by = [[position[needed_id] for needed_id in task.depends_on] for task in tasks]
    rounds_by_task = [stage_rounds[task.stage] for task in tasks]
    predecessors: list[list[int]] = [[] for _ in range(count)]
    explicit: list[Sequence[int]] = [()] * count
    entries: list[tuple[str, ...]] = [()] * count
    lags: dict[int, list[tuple[int, int]]] = {}

    def label(stage_id: str, round_: int) -> str:
        return f"{stage_id}#{round_}" if stage_rounds[stage_id] > 1 else stage_id

    # What a task of a stage that runs once waits for: the only (or the last) round.
    final: list[_Span] = [
        spans[1] if rounds_by_task[index] == 1 else _pick(spans, rounds_by_task[index])
        for index, spans in enumerate(instances)
    ]
    for stage in graph:
        if stage.repeat is None:  # fast path: no rounds, no lags from rounds
            entry = [barrier[before, stage_rounds[before]] for before in stage.after]
            labels = tuple(sorted({label(b, stage_rounds[b]) for b in stage.after}))
            own_predecessors = predecessors[barrier[stage.id, 1]]
            own_predecessors.extend(entry)
            for index in members[stage.id]:
                start_node, stop, slots = instances[index][1]
                own_predecessors.extend(range(start_node, stop))
                needs = [final[other] for other in needed_by[index]]
                if slots is None:
                    wanted: list[int] = []
                    for need_first, need_stop, _ in needs:
                        if need_stop - need_first == 1:
                            wanted.append(need_first)
                        else:
                            wanted.extend(range(need_first, need_stop))
                    predecessors[start_node] = entry + wanted
                    explicit[start_node] = wanted
                    entries[start_node] = labels
                    continue
                for node in range(start_node, stop):
                    name = department[node] or ""
                    wanted = []
                    for need_first, _, need_slots in needs:
                        if need_slots is None:
                            wanted.append(need_first)
                        elif (found := need_slots.get(name)) is not None:
                            wanted.append(found)
                    predecessors[node] = entry + wanted
                    explicit[node] = wanted
                    entries[node] = labels
            continue
        loop = [
            other
            for other in (stage.id, *sorted(graph.descendants(stage.id)))
            if graph[other].repeat is not None and graph[other].rounds == stage.rounds
        ]
        cadence = stage.repeat.cadence if stage.repeat is not None else 0
        # The head of a loop (a repeated stage after non-repeated ones) starts one
        # cadence after the stages it follows: the first measurement comes one
        # period after launch, not on launch day.
        head = stage.repeat is not None and not any(
            stage_rounds[before] == stage.rounds for before in stage.after
        )
        for round_ in range(1, stage.rounds + 1):
            sources = [
                (before, _round_of(stage_rounds, before, round_, stage.id))
                for before in stage.after
            ]
            if round_ > 1:
                sources.extend((other, round_ - 1) for other in loop)
            entry = [barrier[source] for source in sources]
            labels = tuple(sorted({label(*source) for source in sources}))
            own = barrier[stage.id, round_]
            predecessors[own].extend(entry)
            offset = [(node, cadence) for node in entry] if head and round_ == 1 else []
            for index in members[stage.id]:
                task = tasks[index]
                span = instances[index].get(round_)
                if span is None:
                    continue
                needs = []
                for other in needed_by[index]:
                    count = rounds_by_task[other]
                    wanted_round = 1 if count == 1 else round_ if count == stage.rounds else count
                    spans = instances[other]
                    need = spans.get(wanted_round)
                    needs.append(need if need is not None else _pick(spans, wanted_round))
                start_node, stop, slots = span
                predecessors[own].extend(range(start_node, stop))
                previous = instances[index].get(round_ - 1) if round_ > 1 else None
                if slots is None:  # one node: company-wide, or a placeholder
                    wanted = []
                    for need_first, need_stop, _ in needs:
                        if need_stop == need_first + 1:
                            wanted.append(need_first)
                        else:
                            wanted.extend(range(need_first, need_stop))
                    predecessors[start_node] = entry + wanted
                    explicit[start_node] = wanted
                    entries[start_node] = labels
                    if previous is not None and previous[1] > previous[0]:
                        lags[start_node] = [*offset, (previous[0], cadence)]
                    elif offset:
                        lags[start_node] = list(offset)
                    continue
                for node in range(start_node, stop):
                    name = department[node] or ""
                    wanted = []
                    for need_first, _, need_slots in needs:
                        if need_slots is None:
                            wanted.append(need_first)
                        elif (found := need_slots.get(name)) is not None:
                            wanted.append(found)
                    predecessors[node] = entry + wanted
                    explicit[node] = wanted
                    entries[node] = labels
                    bounds = list(offset)
                    if previous is not None:
                        if previous[2] is None:
                            bounds.append((previous[0], cadence))
                        elif (found := previous[2].get(name)) is not None:
                            bounds.append((found, cadence))
                    if bounds:
                        lags[node] = bounds
    # Announcements: the milestone comes min_days (or the lead time / notice) later.
    for index, task in enumerate(tasks):
        if task.announces is None:
            continue
        target = tasks[position[task.announces]]
        if task.min_days is not None:
            gap = task.min_days
        else:
            gap = notice if target.milestone is Milestone.CUT_OVER else lead_time
        source = instances[index][min(instances[index])]
        targets = instances[position[task.announces]]
        target_first, target_stop, _ = targets[min(targets)]
        for node in range(target_first, target_stop):
            lags.setdefault(node, []).extend((other, gap) for other in range(source[0], source[1]))
    return _Expansion(
        keys, template, department, rounds_of, durations, predecessors, explicit, entries, lags,
        frozenset(placeholder),
    )  # fmt: skip


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Scheduling allocates hundreds of thousands of small lists and no cycles;
    generational collections over them would take most of the run time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _calendar(
    calendar: BusinessCalendar | str | None,
    company_holidays: Sequence[dt.date],
    blackouts: Sequence[DateRange],
) -> BusinessCalendar:
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
class _Run:
    """The scheduler's arrays, kept so that planned tasks are built only when asked for."""

    expansion: _Expansion
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
        return _kahn(len(self.early), expansion.predecessors, expansion.lags, self.rank)

    def last_day(self, node: int) -> int:
        """Business-day index of a node's last day (its first day for a milestone)."""
        duration = self.expansion.durations[node]
        return self.early[node] + duration - 1 if duration else self.early[node]


def _capacities(
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


def _days_option(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of business days >= 0; found {value!r}")
    return value


@attrs.frozen(repr=False)
class Plan(Report):
    """A playbook scheduled for a company: dated tasks, critical path, milestones, champions.

    ``lead_time`` and ``notice`` are the business days an announcement keeps
    before a launch and a declared end of the old way before it is enforced;
    ``capacity`` the sessions per business day of each levelled role;
    ``flagged`` the departments named per round for flagged-only follow-up
    (set by :meth:`replan`); ``completed`` the actual finish dates of done tasks.
    """

    playbook: Playbook
    start: dt.date
    calendar: BusinessCalendar
    departments: tuple[Department, ...]
    champion_ratio: int
    critical_path: tuple[str, ...]
    milestones: tuple[PlannedMilestone, ...]
    finish: dt.date
    champion_counts: tuple[tuple[str, int], ...]
    _run: _Run = attrs.field(eq=False, repr=False, alias="_run")
    lead_time: int = LEAD_TIME_DAYS
    notice: int = NOTICE_DAYS
    capacity: tuple[tuple[str, int], ...] = ()
    levelled: bool = True
    flagged: tuple[tuple[int, tuple[str, ...]], ...] = ()
    completed: tuple[tuple[str, dt.date], ...] = ()
    #: The purpose of each flagged department's visit (its barrier's next action).
    purposes: tuple[tuple[str, LocalizedText], ...] = ()

    report_kind: ClassVar[str] = "plan"
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "mmd", "xlsx", "ics")

    @classmethod
    def from_playbook(
        cls,
        playbook: Playbook,
        *,
        start: dt.date,
        departments: DepartmentsInput,
        calendar: BusinessCalendar | Literal["JP"] | str | None = "JP",
        champion_ratio: int = 50,
        company_holidays: Sequence[dt.date] = (),
        blackouts: Sequence[DateRange] = (),
        lead_time: int = LEAD_TIME_DAYS,
        notice: int = NOTICE_DAYS,
        capacity: int | Mapping[str, int] | None = None,
        level: bool = True,
    ) -> Plan:
        """Schedule ``playbook`` from ``start`` for ``departments``.

        ``calendar`` is a :class:`BusinessCalendar`, a country code for its
        national holidays (``"JP"``), or ``None`` for weekends only; blackout
        periods and company holidays hold no work. Tasks start on business
        days only; per-department tasks are expanded; repeated stages are
        unrolled into rounds so that the scheduled graph is acyclic.

        ``lead_time`` (business days between an announcement and the launch it
        announces) and ``notice`` (between declaring the end of the old way
        and enforcing it) are constraints, as are the roles' capacities:
        ``capacity`` is the sessions per business day of the playbook's owner
        (an integer) or of named roles (a mapping), over the playbook's own
        ``capacity`` table and :data:`~backoffice_marketing.defaults.CENTRAL_TEAM_CAPACITY`
        for the owner. Per-department tasks of a role with a capacity are
        spread over the days in department order (the order of
        ``plan.departments``); ``level=False`` switches levelling off.
        Ties are broken by task id, so the plan never depends on input order.
        """
        if (
            isinstance(champion_ratio, bool)
            or not isinstance(champion_ratio, int)
            or champion_ratio < 1
        ):
            raise ValueError(f"champion_ratio must be a positive integer; found {champion_ratio!r}")
        units = coerce_departments(departments)
        business = _calendar(calendar, company_holidays, blackouts)
        options = _Options(
            _days_option("lead_time", lead_time),
            _days_option("notice", notice),
            _capacities(playbook, capacity),
            bool(level),
        )
        with _gc_paused():
            return cls._schedule(playbook, start, units, business, champion_ratio, options)

    @classmethod
    def _schedule(  # noqa: PLR0917  (internal; the public entry is from_playbook)
        cls,
        playbook: Playbook,
        start: dt.date,
        units: tuple[Department, ...],
        business: BusinessCalendar,
        champion_ratio: int,
        options: _Options,
        *,
        flagged: Mapping[int, tuple[str, ...]] | None = None,
        completed: Mapping[str, dt.date] | None = None,
        release: int = 0,
    ) -> Plan:
        expansion = _expand(
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
        kahn: list[int] | None = None
        if completed or release or any(d >= 0 for d in demand):
            demand = demand or [-1] * len(keys)
            fixed = _pin(completed or {}, keys, durations, business, start)
            early, late, kahn, lane_before = schedule_levelled(
                durations, expansion.predecessors, expansion.lags, rank, demand,
                [roles[role] for role in resources], fixed=fixed, release=release,
            )  # fmt: skip
        else:
            early, late = _passes(durations, expansion.predecessors, expansion.lags)
        end = max((early[n] + durations[n] for n in range(len(durations))), default=0)
        latest = dt.date.max - dt.timedelta(days=366 * MAX_PLAN_YEARS)
        if start > latest:  # no room on the calendar for a plan of the longest length
            raise PlanTooLongError(dt.date.max, latest)
        limit = start + dt.timedelta(days=366 * MAX_PLAN_YEARS)
        days = business.business_days(start, end + 1)
        if days and days[-1] > limit:
            raise PlanTooLongError(days[-1], limit)
        run = _Run(expansion, early, late, rank, days, lane_before, kahn)
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
        return cls(
            playbook,
            start,
            business,
            units,
            champion_ratio,
            critical,
            tuple(milestones),
            finish,
            champions,
            run,
            options.lead_time,
            options.notice,
            options.capacity,
            options.levelled,
            tuple(sorted((flagged or {}).items())),
            tuple(sorted((completed or {}).items())),
        )

    @functools.cached_property
    def tasks(self) -> tuple[PlannedTask, ...]:
        """The planned tasks in lexicographic topological order (built on first use)."""
        with _gc_paused():
            return self._build_tasks()

    def _build_tasks(self) -> tuple[PlannedTask, ...]:
        run = self._run
        expansion = run.expansion
        keys, template, days = expansion.keys, expansion.template, run.days
        early, late = run.early, run.late
        templates = self.playbook.tasks
        placeholder = expansion.placeholder
        purposes = dict(self.purposes)
        planned = []
        for node in run.order:
            index = template[node]
            if index < 0:
                continue
            task = templates[index]
            title = task.title
            if node in placeholder:
                title = _flagged_title(title, expansion.round[node] or 1)
            elif task.flagged_only and (unit := expansion.department[node]) in purposes:
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

    @functools.cached_property
    def _tasks_by_id(self) -> Mapping[str, PlannedTask]:
        return {task.id: task for task in self.tasks}

    @property
    def champions(self) -> dict[str, int]:
        """Champions to appoint per department: ``max(1, ceil(headcount / champion_ratio))``."""
        return dict(self.champion_counts)

    @property
    def days(self) -> tuple[dt.date, ...]:
        """The plan's business days from its start to its finish; a task's index is its offset."""
        return tuple(self._run.days)

    def task(self, task_id: str) -> PlannedTask:
        """The planned task with ``task_id``."""
        return self._tasks_by_id[task_id]

    def __iter__(self) -> Iterator[PlannedTask]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def __repr__(self) -> str:
        return (
            f"<Plan {self.playbook.id!r} stages={len(self.playbook.stage_graph)} "
            f"tasks={len(self.tasks)} {self.start.isoformat()}..{self.finish.isoformat()}>"
        )

    def milestone(self, kind: Milestone | str) -> PlannedMilestone | None:
        """The milestone of ``kind``, if the playbook has one."""
        wanted = Milestone(kind)
        return next((m for m in self.milestones if m.kind is wanted), None)

    def steps(self) -> tuple[PlannedStep, ...]:
        """The plan's steps: one per playbook task and round, per-department tasks collapsed.

        A step spans from its first task's start to its last task's finish and
        lists the departments it runs in, in plan order. Renderers show steps
        and keep per-department detail apart.
        """
        groups: dict[tuple[str, int | None], list[PlannedTask]] = {}
        for task in self.tasks:
            groups.setdefault((task.task, task.round), []).append(task)
        steps = [
            PlannedStep(
                id=members[0].id.split("@", 1)[0],
                task=key,
                stage=members[0].stage,
                round=rnd,
                title=members[0].title,
                role=members[0].role,
                start=min(t.start for t in members),
                finish=max(t.finish for t in members),
                departments=tuple(t.department for t in members if t.department is not None),
                critical=any(t.critical for t in members),
                milestone=members[0].milestone,
                placeholder=members[0].placeholder,
            )
            for (key, rnd), members in groups.items()
        ]
        stage_rank = {stage_id: n for n, stage_id in enumerate(self.playbook.stage_graph.order)}
        steps.sort(key=lambda s: (s.start, stage_rank[s.stage], s.finish, s.id))
        return tuple(steps)

    def check(self, checklist: Checklist | None = None, *, lang: Lang = "en") -> tuple[Answer, ...]:
        """Checklist answers that the plan itself proves, each with source ``"plan"``.

        Covered: the lead time before launch (``announcement.lead-time``), the
        notice before the old way is enforced (``announcement.key-dates``), a
        briefing per department before launch
        (``announcement.briefing-per-department``), two channels for each
        announcement that lists its channels (``announcement.two-channels``),
        champions in place before every stage their item gates
        (``two_way.champions``) and measurement on its cadence from one period
        after launch (``two_way.adoption-measured``). An item the playbook
        gives no basis for is left out. A failed answer's note names the
        playbook file and line to fix.
        """
        from backoffice_marketing.plan_check import check_plan  # noqa: PLC0415

        return check_plan(self, checklist, lang)

    def replan(
        self,
        *,
        progress: Mapping[str, dt.date] | None = None,
        rates: object = None,
        flagged: Iterable[str] = (),
        today: dt.date | None = None,
        target: float | None = None,
        purposes: Mapping[str, LocalizedText] | None = None,
    ) -> Plan:
        """The plan rescheduled from ``today`` after real progress and the latest rates.

        ``progress`` maps task ids to the day each was actually finished; those
        tasks stay where they happened. ``rates`` gives each department's
        adoption share in the latest period (a mapping, or the adoption-rates
        frame of :func:`backoffice_marketing.adoption.adoption_rates`); a
        department below ``target`` (the playbook's exit target by default) is
        flagged, as is every department in ``flagged``. The flagged departments
        replace the placeholder of the earliest round whose flagged-only
        follow-up is not done yet, as one visit each. Every other task starts
        on ``today`` (the current date by default) or later, under the same
        lead time, notice, capacity and calendar. ``purposes`` gives a flagged
        department's visit its purpose (its barrier's next action, from
        :func:`backoffice_marketing.readiness.visit_purposes`) as its title.
        """
        from backoffice_marketing.plan_check import replan  # noqa: PLC0415

        planned = replan(
            self, progress=progress or {}, rates=rates, flagged=flagged, today=today,
            target=target,
        )  # fmt: skip
        return attrs.evolve(planned, purposes=tuple(sorted((purposes or {}).items())))

    # Renderers live in backoffice_marketing.render.plan; the report protocol calls them.
    def _data(self) -> dict[str, Any]:
        from backoffice_marketing.render.plan import plan_to_data  # noqa: PLC0415

        data = plan_to_data(self)
        del data["schema_version"]
        return data

    def to_markdown(self, *, lang: Lang | None = None, detail: bool = False) -> str:
        """The plan as Markdown: milestones, champions, steps by stage.

        Per-department tasks are grouped under their step; ``detail=True``
        adds a table of every per-department task.
        """
        from backoffice_marketing.render.plan import plan_markdown  # noqa: PLC0415

        return plan_markdown(self, resolve_lang(lang), detail=detail)

    def _markdown(self, lang: Lang) -> str:
        return self.to_markdown(lang=lang)

    def _html(self, lang: Lang) -> str:
        """The plan as a standalone, escaped HTML page with an SVG Gantt chart."""
        from backoffice_marketing.render.plan import plan_html  # noqa: PLC0415

        return plan_html(self, lang)

    def to_mermaid(self, *, lang: Lang | None = None) -> str:
        """The plan as a Mermaid gantt chart (labels quoted and sanitised)."""
        from backoffice_marketing.render.plan import plan_mermaid  # noqa: PLC0415

        return plan_mermaid(self, resolve_lang(lang))

    def _export(self, fmt: str, lang: Lang) -> bytes:
        if fmt == "mmd":
            return self.to_mermaid(lang=lang).encode("utf-8")
        if fmt == "xlsx":
            from backoffice_marketing.render.plan_xlsx import plan_workbook_bytes  # noqa: PLC0415

            return plan_workbook_bytes(self, lang)
        from backoffice_marketing.render.plan_ics import plan_calendar_bytes  # noqa: PLC0415

        return plan_calendar_bytes(self, lang)

    def to_xlsx(self, path: str | os.PathLike[str], *, lang: Lang | None = None) -> None:
        """Deprecated: use ``plan.write("plan.xlsx")`` (the ``[excel]`` extra)."""
        from backoffice_marketing.deprecation import warn_deprecated  # noqa: PLC0415

        warn_deprecated("Plan.to_xlsx()", "Plan.write('plan.xlsx')")
        self.write(path, format="xlsx", lang=lang)

    def to_ics(
        self, path: str | os.PathLike[str], *, lang: Lang | None = None, detail: bool = False
    ) -> None:
        """Write the plan as an iCalendar file (``[calendar]`` extra) with stable UIDs.

        One event per step (as ``write("plan.ics")`` does); ``detail=True`` writes
        one event per task instead.
        """
        from backoffice_marketing.io.atomic import write_bytes_atomic  # noqa: PLC0415
        from backoffice_marketing.render.plan_ics import plan_calendar_bytes  # noqa: PLC0415

        write_bytes_atomic(path, plan_calendar_bytes(self, resolve_lang(lang), detail=detail))


@attrs.frozen
class _Options:
    """The scheduling options a plan keeps for :meth:`Plan.replan`."""

    lead_time: int
    notice: int
    capacity: tuple[tuple[str, int], ...]
    levelled: bool


@attrs.frozen
class PlannedStep:
    """One step of a plan: a playbook task in one round, its per-department tasks collapsed."""

    id: str
    task: str
    stage: str
    round: int | None
    title: LocalizedText
    role: str
    start: dt.date
    finish: dt.date
    departments: tuple[str, ...]
    critical: bool
    milestone: Milestone | None
    placeholder: bool


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


def _critical_path(run: _Run, end: int) -> tuple[str, ...]:
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
