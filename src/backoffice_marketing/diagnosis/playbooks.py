"""Playbooks: reusable initiative templates (a stage graph, tasks and an exit criterion)."""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Self

import attrs

from backoffice_marketing.core.checklist import STAGE_ID_PATTERN, Checklist, default_checklist
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.diagnosis.stages import Repetition, Stage, StageGraph, stage_catalogue
from backoffice_marketing.exceptions import (
    LoadError,
    Problem,
    UnknownPlaybookError,
    close_matches,
)
from backoffice_marketing.foundation.defaults import LEAD_TIME_DAYS, NOTICE_DAYS
from backoffice_marketing.foundation.graphs import find_cycle, lexicographic_order
from backoffice_marketing.foundation.io.documents import Document
from backoffice_marketing.foundation.io.limits import MAX_TASK_DAYS
from backoffice_marketing.foundation.io.paths import FieldPath, format_path
from backoffice_marketing.foundation.shipped_names import shipped_playbooks
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.foundation.validators import at_least, between, matches, non_blank

__all__ = [
    "ExitCriterion",
    "ExitScope",
    "Milestone",
    "Playbook",
    "Recurrence",
    "Task",
    "UnknownPlaybookError",
    "list_playbooks",
    "load_playbook",
]

TASK_ID_PATTERN = STAGE_ID_PATTERN


class Milestone(enum.StrEnum):
    """The milestones a plan reports."""

    APPROVAL = "approval"
    LAUNCH = "launch"
    CUT_OVER = "cut-over"


class Recurrence(enum.StrEnum):
    """How often a task of a repeated stage runs: in one round only, or in every round."""

    ONCE = "once"
    EACH_ROUND = "each_round"


class ExitScope(enum.StrEnum):
    """Where the exit criterion must hold: in every department, or company-wide."""

    EVERY_DEPARTMENT = "every_department"
    COMPANY = "company"


@attrs.frozen
class ExitCriterion:
    """When the initiative is over: the field has changed, not the announcement made.

    For example ``adoption_rate >= 0.9`` in every department.
    """

    metric: str = attrs.field(validator=matches(r"[a-z][a-z0-9_]*", "a metric name"))
    target: float = attrs.field(
        validator=attrs.validators.and_(attrs.validators.gt(0.0), attrs.validators.le(1.0))
    )
    scope: ExitScope
    description: LocalizedText


def _capacity_tuple(values: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(values))


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("expected a sequence of ids, not a single string")
    return tuple(values)


@attrs.frozen
class Task:
    """A task of a playbook, in one stage.

    ``per_department`` tasks are expanded into one task per department when a
    plan is made; ``addresses`` names the checklist items the task helps satisfy.

    In a repeated stage a task runs ``once`` (the default) in round ``round``,
    or ``each_round`` from round ``round`` on. A ``flagged_only`` task is a
    per-department follow-up for the departments flagged as lagging: a plan
    holds one placeholder per round until :meth:`Plan.replan` names them.
    ``announces`` names the launch or cut-over milestone task this task
    announces: the milestone comes at least ``min_days`` business days later
    (by default the plan's lead time for a launch and its notice period for a
    cut-over). ``channels`` lists the channels an announcement goes through.
    """

    id: str = attrs.field(validator=matches(TASK_ID_PATTERN, "a task id in kebab-case"))
    stage: str
    title: LocalizedText
    role: str = attrs.field(validator=non_blank)
    duration: int = attrs.field(validator=between(0, MAX_TASK_DAYS))
    depends_on: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    per_department: bool = False
    deliverable: LocalizedText | None = None
    addresses: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    milestone: Milestone | None = None
    step: int | None = attrs.field(default=None, validator=at_least(1))
    repeat: Recurrence = Recurrence.ONCE
    round: int = attrs.field(default=1, validator=at_least(1))
    flagged_only: bool = False
    announces: str | None = None
    min_days: int | None = attrs.field(default=None, validator=at_least(0))
    channels: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)


@attrs.frozen
class StageSpec:
    """A stage as a playbook file gives it: a catalogue id plus optional overrides."""

    id: str = attrs.field(validator=matches(STAGE_ID_PATTERN, "a stage id in kebab-case"))
    after: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    name: LocalizedText | None = None
    purpose: LocalizedText | None = None
    failure_modes: tuple[FailureMode, ...] | None = None
    duration: int | None = attrs.field(default=None, validator=between(0, MAX_TASK_DAYS))
    gate: tuple[str, ...] | None = None
    repeat: Repetition | None = None


@attrs.frozen
class PlaybookFile:
    """The content of a playbook file, before its cross references are checked."""

    id: str = attrs.field(validator=matches(STAGE_ID_PATTERN, "a playbook id in kebab-case"))
    name: LocalizedText
    summary: LocalizedText
    owner: str
    exit: ExitCriterion
    stages: tuple[StageSpec, ...]
    tasks: tuple[Task, ...]
    capacity: dict[str, int] = attrs.field(factory=dict)


@attrs.frozen
class Playbook:
    """A validated playbook: its stage graph, tasks and exit criterion."""

    id: str
    name: LocalizedText
    summary: LocalizedText
    owner: str
    exit: ExitCriterion
    stage_graph: StageGraph
    tasks: tuple[Task, ...]
    capacity: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_capacity_tuple)
    source: Document | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, checklist: Checklist | None = None) -> Self:
        """Load and validate a playbook file (TOML, JSON or YAML)."""
        from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

        return cls.from_document(read_document(path), checklist=checklist)

    @classmethod
    def from_document(cls, document: Document, *, checklist: Checklist | None = None) -> Self:
        """Build a playbook from a parsed document, reporting every problem at once."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415

        spec = structure_document(document, PlaybookFile)
        stages, problems = _resolve(spec, document, checklist or default_checklist())
        if problems:
            raise LoadError(problems)
        return cls(
            spec.id, spec.name, spec.summary, spec.owner, spec.exit, StageGraph(stages),
            spec.tasks, tuple(spec.capacity.items()), document,
        )  # fmt: skip

    def validate(
        self,
        *,
        lead_time: int = LEAD_TIME_DAYS,
        notice: int = NOTICE_DAYS,
        checklist: Checklist | None = None,
    ) -> tuple[Problem, ...]:
        """What this playbook gets wrong for an initiative, each problem with file and line.

        A problem is an announcement whose ``min_days`` is shorter than the lead
        time (before a launch) or the notice period (before a cut-over), or a
        stage gated by a checklist item that only tasks of that stage or of
        later stages address, so that the playbook's own schedule can never
        open the gate (a task of the gated stage itself counts: it is the
        stage's preparatory work). An empty tuple means the playbook is sound.
        """
        problems: list[Problem] = []
        for index, task in enumerate(self.tasks):
            if task.announces is None or task.min_days is None:
                continue
            kind = self.task(task.announces).milestone
            needed, what = (notice, "notice period") if kind is Milestone.CUT_OVER else (
                lead_time, "lead time")  # fmt: skip
            if task.min_days < needed:
                problems.append(
                    self._problem(
                        ("tasks", index, "min_days"),
                        f"task {task.id!r} announces {task.announces!r} only {task.min_days} "
                        f"business days ahead; the {what} is {needed} business days",
                    )
                )
        problems.extend(self._gate_problems(checklist or default_checklist()))
        return tuple(problems)

    def _gate_problems(self, checklist: Checklist) -> list[Problem]:
        """Stages gated by items that only tasks of the stage itself or of later stages address."""
        graph = self.stage_graph
        problems = []
        stage_index = {stage.id: index for index, stage in enumerate(graph.stages)}
        for stage in graph:
            before = {other.id for other in graph if stage.id in graph.descendants(other.id)}
            for item_id in stage.gate_items(checklist):
                addressing = self.tasks_addressing(item_id)
                if addressing and not any(
                    task.stage in before or task.stage == stage.id for task in addressing
                ):
                    names = ", ".join(repr(task.id) for task in addressing)
                    problems.append(
                        self._problem(
                            ("stages", stage_index[stage.id], "id"),
                            f"checklist item {item_id!r} gates stage {stage.id!r}, but only "
                            f"{names} address it, and all of them run after that stage starts",
                        )
                    )
        return problems

    def _problem(self, path: FieldPath, message: str) -> Problem:
        if self.source is None:
            return Problem("", None, None, format_path(path), message)
        return self.source.problem(path, message)

    @property
    def graph(self) -> object:
        """The stage graph as a read-only networkx ``DiGraph``."""
        return self.stage_graph.graph

    @functools.cached_property
    def _tasks_by_id(self) -> Mapping[str, Task]:
        return {task.id: task for task in self.tasks}

    def task(self, task_id: str) -> Task:
        """The task with ``task_id``."""
        return self._tasks_by_id[task_id]

    def tasks_addressing(self, item_id: str) -> tuple[Task, ...]:
        """The tasks that help satisfy checklist item ``item_id``."""
        return tuple(task for task in self.tasks if item_id in task.addresses)

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def __repr__(self) -> str:
        return f"<Playbook {self.id!r} stages={len(self.stage_graph)} tasks={len(self.tasks)}>"

    def _repr_html_(self) -> str:
        """The tasks as a table (stage, title, per department, days) in the display language."""
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415
        from backoffice_marketing.render.notebook import table_html  # noqa: PLC0415

        lang = resolve_lang(None)
        rows = (
            (task.stage, task.title.get(lang), "✓" if task.per_department else "", task.duration)
            for task in self.tasks
        )
        headers = (
            ("段階", "タスク", "部署ごと", "日数")
            if lang == "ja"
            else ("Stage", "Task", "Per department", "Days")
        )
        return table_html(headers, rows, numeric=(3,), caption=self.name.get(lang))


Report = Callable[[FieldPath, str], None]


def _resolve(
    spec: PlaybookFile, document: Document, checklist: Checklist
) -> tuple[list[Stage], list[Problem]]:
    """Check every cross reference of a playbook file; return its stages and the problems."""
    problems: list[Problem] = []

    def report(path: FieldPath, message: str) -> None:
        problems.append(document.problem(path, message))

    stages = _resolve_stages(spec, checklist, report)
    _check_tasks(spec, {entry.id for entry in spec.stages}, checklist, report)
    for role, amount in spec.capacity.items():
        if amount < 1:
            report(("capacity", role), f"expected a capacity >= 1 per day; found {amount!r}")
    if not problems:
        graph = StageGraph(stages)
        _check_stage_order(spec, graph, report)
        _check_rounds(spec, graph, report)
        _check_announcements(spec, graph, report)
    return stages, problems


def _check_rounds(spec: PlaybookFile, graph: StageGraph, report: Report) -> None:
    """Rounds exist in their stage; a task never waits for a later round of its own loop."""
    by_id = {task.id: task for task in spec.tasks}
    for index, task in enumerate(spec.tasks):
        rounds = graph[task.stage].rounds
        if task.round > rounds:
            report(
                ("tasks", index, "round"),
                f"stage {task.stage!r} runs {rounds} round(s); round {task.round} does not exist",
            )
        if task.flagged_only and not task.per_department:
            report(
                ("tasks", index, "flagged_only"),
                "a flagged_only task must also be per_department (it visits named departments)",
            )
        for position, needed in enumerate(task.depends_on):
            other = by_id[needed]
            same_loop = rounds > 1 and graph[other.stage].rounds == rounds
            if same_loop and other.round > task.round:
                report(
                    ("tasks", index, "depends_on", position),
                    f"task {needed!r} first runs in round {other.round}, after round "
                    f"{task.round} of {task.id!r}; start {task.id!r} in round {other.round} "
                    "or later",
                )


def _ancestors(spec: PlaybookFile, task_id: str) -> set[str]:
    by_id = {task.id: task for task in spec.tasks}
    seen: set[str] = set()
    stack = [task_id]
    while stack:
        for needed in by_id[stack.pop()].depends_on:
            if needed not in seen:
                seen.add(needed)
                stack.append(needed)
    return seen


def _check_announcements(spec: PlaybookFile, graph: StageGraph, report: Report) -> None:
    """An announcement names a launch or cut-over milestone that comes after it."""
    by_id = {task.id: task for task in spec.tasks}
    for index, task in enumerate(spec.tasks):
        if task.announces is None:
            if task.min_days is not None:
                report(("tasks", index, "min_days"), "min_days needs announces (the milestone)")
            continue
        target = by_id.get(task.announces)
        if target is None:
            report(
                ("tasks", index, "announces"),
                _unknown_task(task.announces, by_id),
            )
        elif target.milestone not in {Milestone.LAUNCH, Milestone.CUT_OVER}:
            report(
                ("tasks", index, "announces"),
                f"task {task.announces!r} is not a launch or cut-over milestone",
            )
        elif (
            target.id == task.id
            or (target.stage != task.stage and target.stage not in graph.descendants(task.stage))
            or target.id in _ancestors(spec, task.id)
        ):
            report(
                ("tasks", index, "announces"),
                f"task {task.id!r} comes after {target.id!r}, the milestone it announces",
            )


def _check_stage_order(spec: PlaybookFile, graph: StageGraph, report: Report) -> None:
    """A task may only wait for tasks of its own stage or of stages before it."""
    stage_of = {task.id: task.stage for task in spec.tasks}
    for index, task in enumerate(spec.tasks):
        for position, needed in enumerate(task.depends_on):
            other = stage_of[needed]
            if other != task.stage and task.stage not in graph.descendants(other):
                report(
                    ("tasks", index, "depends_on", position),
                    f"task {needed!r} is in stage {other!r}, which does not come before "
                    f"{task.stage!r}; a task can only wait for earlier stages",
                )


def _hint(word: str, known: Iterable[str]) -> str:
    close = close_matches(word, known)
    return f"; did you mean {close[0]!r}?" if close else ""


def _merge_stage(entry: StageSpec, base: Stage | None) -> Stage:
    """A playbook's stage: the catalogue stage with the file's overrides."""
    if base is None:  # a new stage: the caller checked that its texts are given
        assert entry.name is not None  # noqa: S101
        assert entry.purpose is not None  # noqa: S101
        assert entry.failure_modes is not None  # noqa: S101
        return Stage(
            entry.id, entry.name, entry.purpose, entry.failure_modes, entry.duration or 0,
            entry.after, entry.gate or (), entry.repeat,
        )  # fmt: skip
    return Stage(
        id=entry.id,
        name=entry.name or base.name,
        purpose=entry.purpose or base.purpose,
        failure_modes=entry.failure_modes
        if entry.failure_modes is not None
        else base.failure_modes,
        duration=entry.duration if entry.duration is not None else base.duration,
        after=entry.after,
        gate=entry.gate if entry.gate is not None else base.gate,
        repeat=entry.repeat if entry.repeat is not None else base.repeat,
    )


def _resolve_stages(spec: PlaybookFile, checklist: Checklist, report: Report) -> list[Stage]:
    catalogue = stage_catalogue()
    stages: list[Stage] = []
    first: dict[str, int] = {}
    for index, entry in enumerate(spec.stages):
        if entry.id in first:
            where = first[entry.id]
            report(
                ("stages", index, "id"),
                f"duplicate stage id {entry.id!r} (first at stages[{where}])",
            )
            continue
        first[entry.id] = index
        base = catalogue.get(entry.id)
        texts = (entry.name, entry.purpose, entry.failure_modes)
        if base is None and any(text is None for text in texts):
            report(
                ("stages", index, "id"),
                f"unknown stage id {entry.id!r}{_hint(entry.id, catalogue)} "
                "(a new stage needs name, purpose and failure_modes)",
            )
            continue
        stages.append(_merge_stage(entry, base))
    for index, entry in enumerate(spec.stages):
        for position, before in enumerate(entry.after):
            if before not in first:
                report(("stages", index, "after", position), f"unknown stage id {before!r}")
        for position, item_id in enumerate(entry.gate or ()):
            if item_id not in checklist:
                report(("stages", index, "gate", position), _unknown_item(item_id, checklist))
    _check_cycle([e.id for e in spec.stages], [e.after for e in spec.stages], "stages", report)
    return stages


def _check_tasks(
    spec: PlaybookFile, stage_ids: set[str], checklist: Checklist, report: Report
) -> None:
    first: dict[str, int] = {}
    milestones: dict[Milestone, int] = {}
    for index, task in enumerate(spec.tasks):
        if task.id in first:
            report(
                ("tasks", index, "id"),
                f"duplicate task id {task.id!r} (first at tasks[{first[task.id]}])",
            )
        else:
            first[task.id] = index
        if task.stage not in stage_ids:
            known = ", ".join(sorted(stage_ids))
            report(
                ("tasks", index, "stage"),
                f"unknown stage id {task.stage!r}; the playbook's stages are {known}",
            )
        for position, item_id in enumerate(task.addresses):
            if item_id not in checklist:
                report(("tasks", index, "addresses", position), _unknown_item(item_id, checklist))
        if task.milestone is not None and task.per_department:
            report(
                ("tasks", index, "milestone"),
                "a milestone must be on a company-wide task, not a per-department one",
            )
        elif task.milestone is not None and task.milestone in milestones:
            where = milestones[task.milestone]
            report(
                ("tasks", index, "milestone"),
                f"milestone {task.milestone.value!r} is already set on tasks[{where}]",
            )
        elif task.milestone is not None:
            milestones[task.milestone] = index
    for index, task in enumerate(spec.tasks):
        for position, needed in enumerate(task.depends_on):
            if needed not in first:
                report(
                    ("tasks", index, "depends_on", position),
                    _unknown_task(needed, first),
                )
    unique = {task.id: task for task in reversed(spec.tasks)}
    _check_cycle(
        list(unique), [unique[t].depends_on for t in unique], "tasks", report, positions=first
    )


def _unknown_item(item_id: str, checklist: Checklist) -> str:
    from backoffice_marketing.foundation.messages import message  # noqa: PLC0415

    close = close_matches(item_id, checklist.ids)
    if close:
        return message("item.unknown_close", item=repr(item_id), close=repr(close[0]))
    return message("item.unknown", item=repr(item_id))


def _unknown_task(task_id: str, known: Iterable[str]) -> str:
    from backoffice_marketing.foundation.messages import message  # noqa: PLC0415

    close = close_matches(task_id, known)
    if close:
        return message("task.unknown_close", task=repr(task_id), close=repr(close[0]))
    return message("task.unknown", task=repr(task_id))


def _check_cycle(
    ids: list[str],
    needs: list[tuple[str, ...]],
    kind: str,
    report: Report,
    *,
    positions: Mapping[str, int] | None = None,
) -> None:
    names = sorted(set(ids))
    index = {name: i for i, name in enumerate(names)}
    successors: list[list[int]] = [[] for _ in names]
    indegree = [0] * len(names)
    for name, before_ids in zip(ids, needs, strict=True):
        for before in before_ids:
            if before in index:
                successors[index[before]].append(index[name])
                indegree[index[name]] += 1
    order = lexicographic_order(successors, indegree)
    if len(order) == len(names):
        return
    cycle = [names[node] for node in find_cycle(successors, set(range(len(names))) - set(order))]
    # Reported at the first of the cycle's members in the file (a self-dependency at itself).
    where = (
        min(positions[name] for name in cycle if name in positions)
        if positions is not None
        else ids.index(cycle[0])
    )
    field = "after" if kind == "stages" else "depends_on"
    report((kind, where, field), f"cycle: {' -> '.join(cycle)}")


def list_playbooks() -> tuple[str, ...]:
    """The names of the built-in playbooks, sorted."""
    return shipped_playbooks()


@functools.cache
def _builtin(name: str) -> Playbook:
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    return Playbook.from_document(load_package_document(f"playbooks/{name}.toml"))


def load_playbook(
    name_or_path: str | os.PathLike[str], *, checklist: Checklist | None = None
) -> Playbook:
    """A built-in playbook by name (see :func:`list_playbooks`), or a playbook file by path."""
    name = os.fspath(name_or_path)
    if checklist is None and name in list_playbooks():
        return _builtin(name)
    if name in list_playbooks():
        from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

        return Playbook.from_document(
            load_package_document(f"playbooks/{name}.toml"), checklist=checklist
        )
    if not Path(name).exists():
        raise UnknownPlaybookError(name, list_playbooks())
    return Playbook.from_file(name, checklist=checklist)
