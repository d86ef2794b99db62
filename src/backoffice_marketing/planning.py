"""Plans: a playbook scheduled for a real company on a business-day calendar."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import heapq
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import attrs

from backoffice_marketing.calendars import BusinessCalendar, DateRange
from backoffice_marketing.departments import Department, DepartmentsInput, coerce_departments
from backoffice_marketing.exceptions import ScheduleError
from backoffice_marketing.playbooks import Milestone, Playbook
from backoffice_marketing.text import Lang, LocalizedText, current_language

__all__ = ["Plan", "PlannedMilestone", "PlannedTask", "ScheduleError", "schedule"]


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


@attrs.frozen
class PlannedMilestone:
    """A milestone of the plan (approval, launch, cut-over) and its date."""

    kind: Milestone
    task: str
    date: dt.date


def schedule(  # noqa: PLR0912  (flat hot loops, see the comments inside)
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
    by_rank = [0] * count
    for node in range(count):
        by_rank[rank[node]] = node
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [len(before) for before in predecessors]
    for node, before in enumerate(predecessors):
        for other in before:
            successors[other].append(node)
    for node, pairs in lag_map.items():
        for other, _ in pairs:
            successors[other].append(node)
        indegree[node] += len(pairs)
    # Kahn's algorithm, smallest priority first; a heap of ranks keeps it O(E + V log V).
    ready = [rank[node] for node in range(count) if indegree[node] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    push, pop = heapq.heappush, heapq.heappop
    while ready:
        node = by_rank[pop(ready)]
        order.append(node)
        for successor in successors[node]:
            indegree[successor] -= 1
            if not indegree[successor]:
                push(ready, rank[successor])
    if len(order) != count:
        raise ScheduleError("the task graph has a cycle")
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


@attrs.frozen
class _Expansion:
    """A playbook expanded into scheduler nodes: task instances and stage-round barriers.

    Parallel lists indexed by node; ``template`` is the index of the playbook
    task (-1 for a barrier), ``explicit`` the task instances a node depends on
    by ``depends_on``, ``entries`` the labels of the stage rounds it follows.
    """

    keys: list[str]
    template: list[int]
    department: list[str | None]
    round: list[int | None]
    durations: list[int]
    predecessors: list[list[int]]
    explicit: list[tuple[int, ...]]
    entries: list[tuple[str, ...]]
    lags: dict[int, list[tuple[int, int]]]


def _round_of(rounds: Mapping[str, int], stage_id: str, wanted: int, other_stage: str) -> int:
    """The round of ``stage_id`` that round ``wanted`` of ``other_stage`` waits for."""
    count = rounds[stage_id]
    if count == 1:
        return 1
    if stage_id == other_stage or count == rounds[other_stage]:
        return wanted
    return count


# One flat function on purpose: it runs once per node and edge of large plans.
def _expand(  # noqa: PLR0912, PLR0915
    playbook: Playbook, departments: Sequence[Department]
) -> _Expansion:
    graph = playbook.stage_graph
    stage_rounds = {stage.id: stage.rounds for stage in graph}
    tasks = playbook.tasks
    position = {task.id: index for index, task in enumerate(tasks)}
    names = [d.id for d in departments]
    keys: list[str] = []
    template: list[int] = []
    department: list[str | None] = []
    rounds_of: list[int | None] = []
    durations: list[int] = []
    barrier: dict[tuple[str, int], int] = {}
    # instances[t][r - 1] is the range of nodes of task t in round r (one per department).
    instances: list[list[range]] = [[] for _ in tasks]
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
            for round_ in range(1, rounds + 1):
                base = f"{task.id}#{round_}" if rounds > 1 else task.id
                first = len(keys)
                if task.per_department:
                    keys.extend([f"{base}@{name}" for name in names])
                    department.extend(names)
                else:
                    keys.append(base)
                    department.append(None)
                size = len(keys) - first
                if size == 1:
                    template.append(index)
                    rounds_of.append(round_ if rounds > 1 else None)
                    durations.append(task.duration)
                else:
                    template.extend([index] * size)
                    rounds_of.extend([round_ if rounds > 1 else None] * size)
                    durations.extend([task.duration] * size)
                instances[index].append(range(first, len(keys)))
    count = len(keys)
    predecessors: list[list[int]] = [[] for _ in range(count)]
    explicit: list[tuple[int, ...]] = [()] * count
    entries: list[tuple[str, ...]] = [()] * count
    lags: dict[int, list[tuple[int, int]]] = {}

    def label(stage_id: str, round_: int) -> str:
        return f"{stage_id}#{round_}" if stage_rounds[stage_id] > 1 else stage_id

    for stage in graph:
        loop = [
            other
            for other in (stage.id, *sorted(graph.descendants(stage.id)))
            if graph[other].repeat is not None and graph[other].rounds == stage.rounds
        ]
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
            for index in members[stage.id]:
                task = tasks[index]
                needs = [
                    (
                        instances[other][
                            _round_of(stage_rounds, tasks[other].stage, round_, stage.id) - 1
                        ],
                        tasks[other].per_department,
                    )
                    for other in (position[needed_id] for needed_id in task.depends_on)
                ]
                nodes = instances[index][round_ - 1]
                predecessors[own].extend(nodes)
                previous = instances[index][round_ - 2] if round_ > 1 else None
                cadence = stage.repeat.cadence if stage.repeat is not None else 0
                if not task.per_department:
                    wanted: list[int] = []
                    for span, per_department in needs:
                        if per_department:
                            wanted.extend(span)
                        else:
                            wanted.append(span[0])
                    node = nodes[0]
                    predecessors[node] = entry + wanted
                    explicit[node] = tuple(wanted)
                    entries[node] = labels
                    if previous is not None:
                        lags[node] = [(previous[0], cadence)]
                    continue
                for slot, node in enumerate(nodes):
                    wanted = [
                        span[slot] if per_department else span[0] for span, per_department in needs
                    ]
                    predecessors[node] = entry + wanted
                    explicit[node] = tuple(wanted)
                    entries[node] = labels
                    if previous is not None:
                        lags[node] = [(previous[slot], cadence)]
    return _Expansion(
        keys, template, department, rounds_of, durations, predecessors, explicit, entries, lags
    )


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
    order: list[int]
    days: list[dt.date]

    def last_day(self, node: int) -> int:
        """Business-day index of a node's last day (its first day for a milestone)."""
        duration = self.expansion.durations[node]
        return self.early[node] + duration - 1 if duration else self.early[node]


@attrs.frozen(repr=False)
class Plan:
    """A playbook scheduled for a company: dated tasks, critical path, milestones, champions."""

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
    ) -> Plan:
        """Schedule ``playbook`` from ``start`` for ``departments``.

        ``calendar`` is a :class:`BusinessCalendar`, a country code for its
        national holidays (``"JP"``), or ``None`` for weekends only. Tasks start
        on business days only; per-department tasks are expanded; repeated
        stages are unrolled into rounds so that the scheduled graph is acyclic.
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
        with _gc_paused():
            return cls._schedule(playbook, start, units, business, champion_ratio)

    @classmethod
    def _schedule(
        cls,
        playbook: Playbook,
        start: dt.date,
        units: tuple[Department, ...],
        business: BusinessCalendar,
        champion_ratio: int,
    ) -> Plan:
        expansion = _expand(playbook, units)
        keys = expansion.keys
        ranked = sorted(range(len(keys)), key=keys.__getitem__)
        rank = [0] * len(keys)
        for position, node in enumerate(ranked):
            rank[node] = position
        durations = expansion.durations
        early, late, order = schedule(durations, expansion.predecessors, expansion.lags, rank)
        end = max((early[n] + durations[n] for n in range(len(durations))), default=0)
        run = _Run(expansion, early, late, order, business.business_days(start, end + 1))
        tasks = playbook.tasks
        template = expansion.template
        real = [node for node in order if template[node] >= 0]
        milestones = sorted(
            (
                PlannedMilestone(kind, keys[node], run.days[early[node]])
                for node in real
                if (kind := tasks[template[node]].milestone) is not None
                and expansion.department[node] is None
            ),
            key=lambda m: (m.date, m.kind.value),
        )
        critical = _critical_path(run, end)
        champions = tuple(
            (unit.id, max(1, math.ceil(unit.headcount / champion_ratio))) for unit in units
        )
        finish = run.days[max((run.last_day(node) for node in real), default=0)]
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
        planned = []
        for node in run.order:
            index = template[node]
            if index < 0:
                continue
            task = templates[index]
            planned.append(
                PlannedTask(
                    keys[node],
                    task.id,
                    task.stage,
                    expansion.round[node],
                    expansion.department[node],
                    task.title,
                    task.role,
                    expansion.durations[node],
                    days[early[node]],
                    days[run.last_day(node)],
                    late[node] - early[node],
                    tuple(sorted(keys[other] for other in expansion.explicit[node])),
                    expansion.entries[node],
                    late[node] == early[node],
                    task.milestone,
                    task.deliverable,
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

    # Renderers live in backoffice_marketing.render.plan; these are the public entry points.
    def to_markdown(self, lang: Lang = "ja") -> str:
        """The plan as Markdown: milestones, champions, tasks by stage."""
        from backoffice_marketing.render.plan import plan_markdown  # noqa: PLC0415

        return plan_markdown(self, lang)

    def to_html(self, lang: Lang = "ja") -> str:
        """The plan as a standalone, escaped HTML page."""
        from backoffice_marketing.render.plan import plan_html  # noqa: PLC0415

        return plan_html(self, lang)

    def to_json(self) -> str:
        """The plan as JSON, valid against ``schemas/plan.schema.json``."""
        from backoffice_marketing.render.plan import plan_json  # noqa: PLC0415

        return plan_json(self)

    def to_mermaid(self, lang: Lang = "ja") -> str:
        """The plan as a Mermaid gantt chart."""
        from backoffice_marketing.render.plan import plan_mermaid  # noqa: PLC0415

        return plan_mermaid(self, lang)

    def to_xlsx(self, path: str | os.PathLike[str], *, lang: Lang = "ja") -> None:
        """Write the plan as an Excel workbook (``[excel]`` extra); cells are neutralised."""
        from backoffice_marketing.render.plan_xlsx import write_plan_xlsx  # noqa: PLC0415

        write_plan_xlsx(self, path, lang)

    def to_ics(self, path: str | os.PathLike[str], *, lang: Lang = "ja") -> None:
        """Write the plan as an iCalendar file (``[calendar]`` extra) with stable UIDs."""
        from backoffice_marketing.render.plan_ics import write_plan_ics  # noqa: PLC0415

        write_plan_ics(self, path, lang)

    def _repr_mimebundle_(self, **_: object) -> dict[str, str]:
        return {
            "text/markdown": self.to_markdown(lang=current_language()),
            "text/plain": repr(self),
        }


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
        node = min(tight, key=keys.__getitem__) if tight else None
    return tuple(keys[n] for n in reversed(path) if template[n] >= 0)
