"""The scheduler: earliest and latest starts of a task graph, plain or resource-levelled.

Nodes are ``0..n-1``; ``predecessors[node]`` must finish before ``node``
starts and ``lags[node]`` lists ``(other, lag)``: ``node`` starts no earlier
than ``other``'s start plus ``lag``. The topological order comes from the one
Kahn's algorithm of :mod:`backoffice_marketing.foundation.graphs`.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
from collections.abc import Iterator, Mapping, Sequence

from backoffice_marketing.exceptions import ScheduleError
from backoffice_marketing.foundation.deprecation import warn_deprecated
from backoffice_marketing.foundation.graphs import lexicographic_order

__all__ = ["gc_paused", "kahn", "passes", "schedule", "schedule_levelled", "starts"]

#: ``lags[node]`` lists ``(other, lag)``: ``node`` starts no earlier than ``other``'s start + lag.
Lags = Mapping[int, Sequence[tuple[int, int]]]


def kahn(
    count: int, predecessors: Sequence[Sequence[int]], lags: Lags, rank: Sequence[int] | None
) -> list[int]:
    """A topological order over precedence and lag edges, the smallest ``rank`` first.

    ``rank`` is a permutation of ``0..count-1`` (``None``: the node number).
    Raises :class:`ScheduleError` if the graph has a cycle.
    """
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [len(before) for before in predecessors]
    for node, before in enumerate(predecessors):
        for other in before:
            successors[other].append(node)
    for node, pairs in lags.items():
        for other, _ in pairs:
            successors[other].append(node)
        indegree[node] += len(pairs)
    order = lexicographic_order(successors, indegree, rank)
    if len(order) != count:
        raise ScheduleError("the task graph has a cycle")
    return order


def starts(
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Lags,
    order: Sequence[int],
) -> tuple[list[int], list[int]]:
    """Earliest and latest starts, walking a topological ``order`` forwards, then backwards."""
    count = len(durations)
    # Plain comparisons instead of max()/min() calls: these loops visit every edge.
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


def passes(
    durations: Sequence[int], predecessors: Sequence[Sequence[int]], lags: Lags
) -> tuple[list[int], list[int]]:
    """Earliest and latest starts (they do not depend on which topological order is walked)."""
    order = kahn(len(durations), predecessors, lags, None)
    return starts(durations, predecessors, lags, order)


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
    order = kahn(count, predecessors, lag_map, priority)
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
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


def schedule(
    durations: Sequence[int],
    predecessors: Sequence[Sequence[int]],
    lags: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    priority: Sequence[int] | None = None,
) -> tuple[list[int], list[int], list[int]]:
    """Deprecated: earliest starts, latest starts and a topological order of a task graph.

    Use :meth:`Plan.from_playbook`; the scheduler itself is internal
    (this module). Among ready nodes the one with
    the smallest ``priority`` (the node number by default) comes first.
    Raises :class:`ScheduleError` if the graph has a cycle.
    """
    warn_deprecated("backoffice_marketing.planning.schedule()", "Plan.from_playbook()")
    lag_map = lags or {}
    order = kahn(len(durations), predecessors, lag_map, priority)
    early, late = starts(durations, predecessors, lag_map, order)
    return early, late, order
