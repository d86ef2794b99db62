"""A playbook expanded into scheduler nodes: task instances, stage-round barriers, edges.

Each stage round gets a barrier node (``~stage#round``) that waits for every
task of that round; a stage's tasks wait for the barriers of the stages it
follows. Per-department tasks become one node per department, repeated stages
one instance per round, tied to the previous round by the stage's cadence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import attrs

from backoffice_marketing.core.departments import Department
from backoffice_marketing.diagnosis.playbooks import Milestone, Playbook, Recurrence, Task
from backoffice_marketing.foundation.defaults import LEAD_TIME_DAYS, NOTICE_DAYS

__all__ = ["Expansion", "expand"]


@attrs.frozen
class Expansion:
    """A playbook expanded into scheduler nodes: task instances and stage-round barriers.

    The scheduler's arrays, one entry per node: ``keys`` the node ids
    (``task#round@department``, ``~stage#round`` for a barrier), ``template``
    the index of the playbook task (-1 for a barrier), ``explicit`` the task
    instances a node depends on by ``depends_on``, ``entries`` the labels of
    the stage rounds it follows, ``lags`` the ``(other, days)`` a node waits
    after another's start, ``placeholder`` the nodes standing for the
    departments still to be flagged in their round.
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


class Instance(NamedTuple):
    """One playbook task in one round: its nodes ``first..stop-1``.

    ``by_department`` maps each department to its node; it is ``None`` when
    the instance is one node (a company-wide task, or the placeholder of the
    departments still to be flagged). A named tuple: plans build one per task
    and round, hundreds of thousands for the largest.
    """

    first: int
    stop: int
    by_department: Mapping[str, int] | None

    @property
    def nodes(self) -> range:
        """The instance's nodes."""
        return range(self.first, self.stop)


def _pick(instances: Mapping[int, Instance], wanted: int) -> Instance:
    """The instance for round ``wanted``, else the latest earlier one, else the first."""
    if wanted in instances:
        return instances[wanted]
    earlier = [r for r in instances if r <= wanted]
    return instances[max(earlier)] if earlier else instances[min(instances)]


@attrs.define
class _Nodes:
    """Step 1 builds the nodes: one entry per node in each list, plus where each task went."""

    keys: list[str] = attrs.Factory(list)
    template: list[int] = attrs.Factory(list)
    department: list[str | None] = attrs.Factory(list)
    round: list[int | None] = attrs.Factory(list)
    durations: list[int] = attrs.Factory(list)
    placeholder: set[int] = attrs.Factory(set)
    #: ``barrier[stage, round]``: the node that waits for every task of that stage round.
    barrier: dict[tuple[str, int], int] = attrs.Factory(dict)
    #: ``instances[task][round]``: where each playbook task went, round by round.
    instances: list[dict[int, Instance]] = attrs.Factory(list)

    def add(self, key: str, template: int, round_: int | None, duration: int) -> int:
        """One node without a department; returns its number."""
        self.keys.append(key)
        self.template.append(template)
        self.department.append(None)
        self.round.append(round_)
        self.durations.append(duration)
        return len(self.keys) - 1

    def add_departments(
        self,
        base: str,
        names: Sequence[str],
        template: int,
        round_: int | None,
        duration: int,
    ) -> Instance:
        """One node per department (``base@department``), in the given order."""
        first = len(self.keys)
        self.keys.extend([f"{base}@{name}" for name in names])
        self.department.extend(names)
        self.template.extend([template] * len(names))
        self.round.extend([round_] * len(names))
        self.durations.extend([duration] * len(names))
        slots = {name: first + slot for slot, name in enumerate(names)}
        return Instance(first, len(self.keys), slots)


def _task_rounds(task: Task, rounds: int) -> range:
    """The rounds a task runs in: 1 in a stage that runs once; else one, or all from its first."""
    if rounds == 1:
        return range(1, 2)
    if task.repeat is Recurrence.EACH_ROUND:
        return range(task.round, rounds + 1)
    return range(task.round, task.round + 1)


def _add_nodes(
    playbook: Playbook, departments: Sequence[str], flagged: Mapping[int, Sequence[str]]
) -> _Nodes:
    """Step 1: a barrier per stage round, and the nodes of every task in every round it runs.

    A per-department task gets one node per department; a flagged-only one
    gets a node per department flagged in its round, or one placeholder node
    while the round's departments are not known yet.
    """
    tasks = playbook.tasks
    nodes = _Nodes(instances=[{} for _ in tasks])
    slot = {name: number for number, name in enumerate(departments)}
    members = _members(playbook)
    for stage in playbook.stage_graph:
        rounds = stage.rounds
        for round_ in range(1, rounds + 1):
            duration = 0 if members[stage.id] else stage.duration
            nodes.barrier[stage.id, round_] = nodes.add(
                f"~{stage.id}#{round_}", -1, round_, duration
            )
        for index in members[stage.id]:
            task = tasks[index]
            for round_ in _task_rounds(task, rounds):
                each = rounds > 1 and task.repeat is Recurrence.EACH_ROUND
                base = f"{task.id}#{round_}" if each else task.id
                shown_round = round_ if rounds > 1 else None
                if not task.per_department or (task.flagged_only and round_ not in flagged):
                    node = nodes.add(base, index, shown_round, task.duration)
                    if task.per_department:
                        nodes.placeholder.add(node)
                    instance = Instance(node, node + 1, None)
                else:
                    chosen = (
                        sorted(set(flagged[round_]) & slot.keys(), key=slot.__getitem__)
                        if task.flagged_only
                        else departments
                    )
                    instance = nodes.add_departments(
                        base, chosen, index, shown_round, task.duration
                    )
                nodes.instances[index][round_] = instance
    return nodes


def _members(playbook: Playbook) -> dict[str, list[int]]:
    """The indexes of each stage's tasks, in playbook order."""
    members: dict[str, list[int]] = {stage.id: [] for stage in playbook.stage_graph}
    for index, task in enumerate(playbook.tasks):
        members[task.stage].append(index)
    return members


@attrs.define
class _Edges:
    """Step 2 fills in the edges: what each node waits for, and why."""

    predecessors: list[list[int]]
    explicit: list[Sequence[int]]
    entries: list[tuple[str, ...]]
    lags: dict[int, list[tuple[int, int]]] = attrs.Factory(dict)

    @classmethod
    def empty(cls, count: int) -> _Edges:
        """No edges yet between ``count`` nodes."""
        return cls([[] for _ in range(count)], [()] * count, [()] * count)

    def wait(self, node: int, entry: list[int], needed: list[int], labels: tuple[str, ...]) -> None:
        """``node`` waits for the stage rounds in ``entry`` and the task nodes in ``needed``."""
        self.predecessors[node] = entry + needed
        self.explicit[node] = needed
        self.entries[node] = labels


def _needed_round(rounds: int, stage_rounds: int, round_: int) -> int:
    """The round of a needed task (its stage runs ``rounds`` times) for ``round_`` of a stage."""
    if rounds == 1:
        return 1
    return round_ if rounds == stage_rounds else rounds


def _needed_nodes(needs: Sequence[Instance], department: str | None) -> list[int]:
    """The nodes a node waits for among the instances it ``needs`` (by ``depends_on``).

    A node without a department waits for every node of each instance; a
    department's node for the same department's node, or a one-node instance.
    """
    wanted: list[int] = []
    for need in needs:
        if department is None:
            wanted.extend(need.nodes)
        elif need.by_department is None:
            wanted.append(need.first)
        elif (found := need.by_department.get(department)) is not None:
            wanted.append(found)
    return wanted


def _cadence_lags(
    department: str | None, offset: list[tuple[int, int]], previous: Instance | None, cadence: int
) -> list[tuple[int, int]]:
    """A repeated task's lags: ``offset``, then one cadence after its previous round starts."""
    bounds = list(offset)
    if previous is None or not previous.nodes:
        return bounds
    if department is None or previous.by_department is None:
        bounds.append((previous.first, cadence))
    elif (found := previous.by_department.get(department)) is not None:
        bounds.append((found, cadence))
    return bounds


def _wire_stages(playbook: Playbook, nodes: _Nodes, edges: _Edges) -> None:
    """Step 2: every stage round waits for the rounds it follows, its tasks for their needs.

    A repeated stage's round waits for the previous round of its loop (itself
    and the repeated stages after it), and each of its tasks starts one
    cadence after the same task's previous round. The head of a loop (a
    repeated stage after stages that run once) starts one cadence after the
    stages it follows: the first measurement comes one period after launch.
    """
    graph = playbook.stage_graph
    stage_rounds = {stage.id: stage.rounds for stage in graph}
    tasks = playbook.tasks
    position = {task.id: index for index, task in enumerate(tasks)}
    needed_by = [[position[needed] for needed in task.depends_on] for task in tasks]
    rounds_by_task = [stage_rounds[task.stage] for task in tasks]
    members = _members(playbook)

    def label(stage_id: str, round_: int) -> str:
        return f"{stage_id}#{round_}" if stage_rounds[stage_id] > 1 else stage_id

    for stage in graph:
        cadence = 0 if stage.repeat is None else stage.repeat.cadence
        loop = [] if stage.repeat is None else [
            other
            for other in (stage.id, *sorted(graph.descendants(stage.id)))
            if graph[other].repeat is not None and graph[other].rounds == stage.rounds
        ]  # fmt: skip
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
            entry = [nodes.barrier[source] for source in sources]
            labels = tuple(sorted({label(*source) for source in sources}))
            own = edges.predecessors[nodes.barrier[stage.id, round_]]
            own.extend(entry)
            offset = [(node, cadence) for node in entry] if head and round_ == 1 else []
            for index in members[stage.id]:
                instance = nodes.instances[index].get(round_)
                if instance is None:
                    continue
                own.extend(instance.nodes)
                needs = [
                    _pick(
                        nodes.instances[other],
                        _needed_round(rounds_by_task[other], stage.rounds, round_),
                    )
                    for other in needed_by[index]
                ]
                previous = nodes.instances[index].get(round_ - 1) if round_ > 1 else None
                repeats = previous is not None or bool(offset)
                for node in instance.nodes:
                    department = None if instance.by_department is None else nodes.department[node]
                    edges.wait(node, entry, _needed_nodes(needs, department), labels)
                    if repeats and (lags := _cadence_lags(department, offset, previous, cadence)):
                        edges.lags[node] = lags


def _round_of(rounds: Mapping[str, int], stage_id: str, wanted: int, other_stage: str) -> int:
    """The round of ``stage_id`` that round ``wanted`` of ``other_stage`` waits for."""
    count = rounds[stage_id]
    if count == 1:
        return 1
    if stage_id == other_stage or count == rounds[other_stage]:
        return wanted
    return count


def _wire_announcements(
    playbook: Playbook, nodes: _Nodes, edges: _Edges, *, lead_time: int, notice: int
) -> None:
    """Step 3: what an announcement announces comes ``min_days`` (or lead time, notice) later."""
    tasks = playbook.tasks
    position = {task.id: index for index, task in enumerate(tasks)}
    for index, task in enumerate(tasks):
        if task.announces is None:
            continue
        target = position[task.announces]
        if task.min_days is not None:
            gap = task.min_days
        else:
            gap = notice if tasks[target].milestone is Milestone.CUT_OVER else lead_time
        source = nodes.instances[index][min(nodes.instances[index])]
        targets = nodes.instances[target]
        for node in targets[min(targets)].nodes:
            edges.lags.setdefault(node, []).extend((other, gap) for other in source.nodes)


def expand(
    playbook: Playbook,
    departments: Sequence[Department],
    *,
    lead_time: int = LEAD_TIME_DAYS,
    notice: int = NOTICE_DAYS,
    flagged: Mapping[int, Sequence[str]] | None = None,
) -> Expansion:
    """``playbook`` as scheduler nodes for ``departments``, in three steps.

    1. nodes: a barrier per stage round, each task's nodes in each round;
    2. stage edges: rounds after the rounds they follow, tasks after their
       needs, repeated tasks one cadence after their previous round;
    3. announcement lags: ``lead_time`` and ``notice`` (or the task's
       ``min_days``) between an announcement and what it announces.

    ``flagged`` names, per round, the departments of flagged-only follow-up
    (a round not named keeps one placeholder node).
    """
    nodes = _add_nodes(playbook, [d.id for d in departments], flagged or {})
    edges = _Edges.empty(len(nodes.keys))
    _wire_stages(playbook, nodes, edges)
    _wire_announcements(playbook, nodes, edges, lead_time=lead_time, notice=notice)
    return Expansion(
        nodes.keys, nodes.template, nodes.department, nodes.round, nodes.durations,
        edges.predecessors, edges.explicit, edges.entries, edges.lags, frozenset(nodes.placeholder),
    )  # fmt: skip
