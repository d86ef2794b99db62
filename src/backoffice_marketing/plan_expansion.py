"""A playbook expanded into scheduler nodes: task instances, stage-round barriers, edges.

Each stage round gets a barrier node (``~stage#round``) that waits for every
task of that round; a stage's tasks wait for the barriers of the stages it
follows. Per-department tasks become one node per department, repeated stages
one instance per round, tied to the previous round by the stage's cadence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from backoffice_marketing.defaults import LEAD_TIME_DAYS, NOTICE_DAYS
from backoffice_marketing.departments import Department
from backoffice_marketing.playbooks import Milestone, Playbook, Recurrence, Task

__all__ = ["Expansion", "expand"]


@attrs.frozen
class Expansion:
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
def expand(  # noqa: PLR0912, PLR0915
    playbook: Playbook,
    departments: Sequence[Department],
    *,
    lead_time: int = LEAD_TIME_DAYS,
    notice: int = NOTICE_DAYS,
    flagged: Mapping[int, Sequence[str]] | None = None,
) -> Expansion:
    """``playbook`` as scheduler nodes for ``departments``.

    ``lead_time`` and ``notice`` separate an announcement from what it
    announces; ``flagged`` names, per round, the departments of flagged-only
    follow-up (a round not named keeps one placeholder node).
    """
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
    return Expansion(
        keys, template, department, rounds_of, durations, predecessors, explicit, entries, lags,
        frozenset(placeholder),
    )  # fmt: skip
