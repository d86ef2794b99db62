"""Plans: a playbook scheduled for a real company on a business-day calendar."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import attrs

from backoffice_marketing.calendars import BusinessCalendar, DateRange
from backoffice_marketing.departments import Department, DepartmentsInput, coerce_departments
from backoffice_marketing.graphs import lexicographic_order
from backoffice_marketing.playbooks import Milestone, Playbook, Task
from backoffice_marketing.text import Lang, LocalizedText

__all__ = ["Plan", "PlannedMilestone", "PlannedTask", "ScheduleError", "schedule"]


class ScheduleError(ValueError):
    """The task graph handed to the scheduler has a cycle (a bug: playbooks are validated)."""


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


def schedule(
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> tuple[list[int], list[int], list[int]]:
    """Earliest starts, latest starts and the topological order of a task graph.

    Nodes are ``0..n-1``, numbered in the wanted tie-break order. A node starts
    no earlier than every predecessor's finish (``start + duration``) and, for
    each ``(other, lag)`` in ``lags[node]``, no earlier than ``other``'s start
    plus ``lag``. Raises :class:`ScheduleError` if the graph has a cycle.
    """
    count = len(durations)
    lag_map = lags or {}
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for node, before in enumerate(predecessors):
        for other in before:
            successors[other].append(node)
        indegree[node] += len(before)
    for node, pairs in lag_map.items():
        for other, _ in pairs:
            successors[other].append(node)
            indegree[node] += 1
    order = lexicographic_order(successors, indegree)
    if len(order) != count:
        raise ScheduleError("the task graph has a cycle")
    early = [0] * count
    for node in order:
        start = 0
        for other in predecessors[node]:
            start = max(start, early[other] + durations[other])
        for other, lag in lag_map.get(node, ()):
            start = max(start, early[other] + lag)
        early[node] = start
    end = max((early[n] + durations[n] for n in range(count)), default=0)
    late = [end - durations[n] for n in range(count)]
    for node in reversed(order):
        latest = late[node]
        for other in predecessors[node]:
            late[other] = min(late[other], latest - durations[other])
        for other, lag in lag_map.get(node, ()):
            late[other] = min(late[other], latest - lag)
    return early, late, order


@attrs.frozen
class _Node:
    key: str
    task: Task | None
    stage: str
    round: int | None
    department: str | None
    duration: int


class _Builder:
    """Expands a playbook into task instances and stage barriers for the scheduler."""

    def __init__(self, playbook: Playbook, departments: Sequence[Department]) -> None:
        self.playbook = playbook
        self.departments = departments
        self.graph = playbook.stage_graph
        self.nodes: list[_Node] = []
        self.index: dict[str, int] = {}
        self.preds: list[list[int]] = []
        self.lags: dict[int, list[tuple[int, int]]] = {}
        self.explicit: dict[int, list[int]] = {}
        self.entries: dict[int, list[str]] = {}

    def add(self, node: _Node) -> int:
        self.index[node.key] = len(self.nodes)
        self.nodes.append(node)
        self.preds.append([])
        return len(self.nodes) - 1

    @staticmethod
    def instance_key(task_id: str, rounds: int, round_: int, department: str | None) -> str:
        key = f"{task_id}#{round_}" if rounds > 1 else task_id
        return f"{key}@{department}" if department is not None else key

    def round_of(self, stage_id: str, wanted: int, other_stage: str) -> int:
        """The round of ``stage_id`` that round ``wanted`` of ``other_stage`` waits for."""
        rounds = self.graph[stage_id].rounds
        if rounds == 1:
            return 1
        if stage_id == other_stage or rounds == self.graph[other_stage].rounds:
            return wanted
        return rounds

    def build(self) -> None:
        graph = self.graph
        tasks_by_stage: dict[str, list[Task]] = {stage.id: [] for stage in graph}
        for task in self.playbook.tasks:
            tasks_by_stage[task.stage].append(task)
        department_ids = [d.id for d in self.departments]
        for stage in graph:
            for round_ in range(1, stage.rounds + 1):
                duration = 0 if tasks_by_stage[stage.id] else stage.duration
                self.add(_Node(f"~{stage.id}#{round_}", None, stage.id, round_, None, duration))
                for task in tasks_by_stage[stage.id]:
                    targets = department_ids if task.per_department else [None]
                    for department in targets:
                        key = self.instance_key(task.id, stage.rounds, round_, department)
                        self.add(
                            _Node(
                                key,
                                task,
                                stage.id,
                                round_ if stage.rounds > 1 else None,
                                department,
                                task.duration,
                            )
                        )
        barrier = self.index
        for stage in graph:
            loop = [
                other
                for other in (stage.id, *sorted(graph.descendants(stage.id)))
                if graph[other].repeat is not None and graph[other].rounds == stage.rounds
            ]
            for round_ in range(1, stage.rounds + 1):
                entry = [
                    barrier[f"~{before}#{self.round_of(before, round_, stage.id)}"]
                    for before in stage.after
                ]
                if round_ > 1:
                    entry.extend(barrier[f"~{other}#{round_ - 1}"] for other in loop)
                own = barrier[f"~{stage.id}#{round_}"]
                self.preds[own].extend(entry)
                for task in tasks_by_stage[stage.id]:
                    targets = department_ids if task.per_department else [None]
                    for department in targets:
                        node = barrier[self.instance_key(task.id, stage.rounds, round_, department)]
                        needed = [
                            other
                            for needed_id in task.depends_on
                            for other in self._needed(needed_id, stage.id, round_, department)
                        ]
                        self.preds[node].extend(entry)
                        self.preds[node].extend(needed)
                        self.preds[own].append(node)
                        self.explicit[node] = needed
                        self.entries[node] = [self._stage_label(e) for e in entry]
                        if round_ > 1 and stage.repeat is not None:
                            previous = barrier[
                                self.instance_key(task.id, stage.rounds, round_ - 1, department)
                            ]
                            self.lags.setdefault(node, []).append((previous, stage.repeat.cadence))

    def _stage_label(self, barrier: int) -> str:
        """``materials`` for a stage that runs once, ``measurement#2`` for a round."""
        node = self.nodes[barrier]
        return node.key[1:] if self.graph[node.stage].rounds > 1 else node.stage

    def _needed(
        self, task_id: str, stage_id: str, round_: int, department: str | None
    ) -> list[int]:
        needed = self.playbook.task(task_id)
        rounds = self.graph[needed.stage].rounds
        needed_round = self.round_of(needed.stage, round_, stage_id)
        if needed.per_department and department is None:
            return [
                self.index[self.instance_key(task_id, rounds, needed_round, d.id)]
                for d in self.departments
            ]
        target = department if needed.per_department else None
        return [self.index[self.instance_key(task_id, rounds, needed_round, target)]]


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


@attrs.frozen(repr=False)
class Plan:
    """A playbook scheduled for a company: dated tasks, critical path, milestones, champions."""

    playbook: Playbook
    start: dt.date
    calendar: BusinessCalendar
    departments: tuple[Department, ...]
    champion_ratio: int
    tasks: tuple[PlannedTask, ...]
    critical_path: tuple[str, ...]
    milestones: tuple[PlannedMilestone, ...]
    finish: dt.date
    champion_counts: tuple[tuple[str, int], ...]

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
        """
        if (
            isinstance(champion_ratio, bool)
            or not isinstance(champion_ratio, int)
            or champion_ratio < 1
        ):
            raise ValueError(f"champion_ratio must be a positive integer; found {champion_ratio!r}")
        units = coerce_departments(departments)
        business = _calendar(calendar, company_holidays, blackouts)
        builder = _Builder(playbook, units)
        builder.build()
        nodes = builder.nodes
        # Renumber in id order so that the scheduler's tie-break is lexicographic.
        ranked = sorted(range(len(nodes)), key=lambda n: nodes[n].key)
        rank = [0] * len(nodes)
        for position, node in enumerate(ranked):
            rank[node] = position
        durations = [nodes[n].duration for n in ranked]
        predecessors = [[rank[p] for p in builder.preds[n]] for n in ranked]
        lags = {rank[n]: [(rank[o], lag) for o, lag in pairs] for n, pairs in builder.lags.items()}
        early, late, order = schedule(durations, predecessors, lags)
        end = max((early[n] + durations[n] for n in range(len(durations))), default=0)
        days = business.business_days(start, end + 1)
        ordered_nodes = [nodes[n] for n in ranked]
        planned: list[PlannedTask] = []
        milestones: list[PlannedMilestone] = []
        for position in order:
            item = ordered_nodes[position]
            task = item.task
            if task is None:
                continue
            first = days[early[position]]
            last = days[early[position] + durations[position] - 1] if durations[position] else first
            original = ranked[position]
            explicit = tuple(sorted(nodes[o].key for o in builder.explicit.get(original, ())))
            after_stages = tuple(sorted(builder.entries.get(original, ())))
            planned.append(
                PlannedTask(
                    id=item.key,
                    task=task.id,
                    stage=item.stage,
                    round=item.round,
                    department=item.department,
                    title=task.title,
                    role=task.role,
                    duration=durations[position],
                    start=first,
                    finish=last,
                    slack=late[position] - early[position],
                    depends_on=explicit,
                    after_stages=after_stages,
                    critical=late[position] == early[position],
                    milestone=task.milestone,
                    deliverable=task.deliverable,
                )
            )
            if task.milestone is not None and item.department is None:
                milestones.append(PlannedMilestone(task.milestone, item.key, first))
        critical = _critical_path(
            early=early,
            late=late,
            durations=durations,
            predecessors=predecessors,
            lags=lags,
            nodes=ordered_nodes,
            end=end,
        )
        champions = tuple(
            (unit.id, max(1, math.ceil(unit.headcount / champion_ratio))) for unit in units
        )
        finish = max((t.finish for t in planned), default=days[0])
        return cls(
            playbook,
            start,
            business,
            units,
            champion_ratio,
            tuple(planned),
            critical,
            tuple(sorted(milestones, key=lambda m: (m.date, m.kind.value))),
            finish,
            champions,
        )

    @property
    def champions(self) -> dict[str, int]:
        """Champions to appoint per department: ``max(1, ceil(headcount / champion_ratio))``."""
        return dict(self.champion_counts)

    def task(self, task_id: str) -> PlannedTask:
        """The planned task with ``task_id``."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def __iter__(self) -> Iterator[PlannedTask]:
        return iter(self.tasks)

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

    def to_mermaid(self, lang: Lang = "en") -> str:
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
        return {"text/markdown": self.to_markdown("en"), "text/plain": repr(self)}


def _critical_path(
    *,
    early: Sequence[int],
    late: Sequence[int],
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]],
    nodes: Sequence[_Node],
    end: int,
) -> tuple[str, ...]:
    """One chain of zero-slack tasks from the start to the finish (smallest ids first)."""
    sinks = [n for n in range(len(nodes)) if early[n] + durations[n] == end and late[n] == early[n]]
    if not sinks:
        return ()
    path: list[int] = []
    node: int | None = min(sinks, key=lambda n: (nodes[n].task is None, n))
    while node is not None:
        path.append(node)
        current = node
        tight = [
            other
            for other in predecessors[current]
            if late[other] == early[other] and early[other] + durations[other] == early[current]
        ]
        tight.extend(
            other
            for other, lag in lags.get(current, ())
            if late[other] == early[other] and early[other] + lag == early[current]
        )
        node = min(tight) if tight else None
    return tuple(nodes[n].key for n in reversed(path) if nodes[n].task is not None)
