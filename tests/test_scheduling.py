"""The scheduler's one Kahn's algorithm and its forward and backward passes."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.diagnosis.planning.scheduler import kahn, passes, starts
from backoffice_marketing.exceptions import ScheduleError
from backoffice_marketing.foundation.graphs import lexicographic_order

Graph = tuple[list[int], list[list[int]], dict[int, list[tuple[int, int]]]]


@st.composite
def task_graphs(draw: st.DrawFn) -> Graph:
    """A random acyclic task graph: durations, predecessors (lower numbers) and lags."""
    count = draw(st.integers(1, 12))
    durations = draw(st.lists(st.integers(0, 5), min_size=count, max_size=count))
    predecessors = [
        sorted(draw(st.sets(st.integers(0, node - 1), max_size=3))) if node else []
        for node in range(count)
    ]
    lags: dict[int, list[tuple[int, int]]] = {}
    for node in range(1, count):
        if draw(st.booleans()):
            lags[node] = [(draw(st.integers(0, node - 1)), draw(st.integers(0, 4)))]
    return durations, predecessors, lags


def _reference_order(
    predecessors: list[list[int]], lags: dict[int, list[tuple[int, int]]], rank: list[int]
) -> list[int]:
    """The smallest-rank-first topological order, by repeated scans (slow and plain)."""
    before = [set(p) | {other for other, _ in lags.get(n, ())} for n, p in enumerate(predecessors)]
    done: list[int] = []
    while len(done) < len(before):
        ready = [n for n in range(len(before)) if n not in done and before[n] <= set(done)]
        done.append(min(ready, key=rank.__getitem__))
    return done


@given(task_graphs(), st.randoms(use_true_random=False))
def test_kahn_takes_the_smallest_rank_first(graph: Graph, random: Random) -> None:
    """The order is topological and, among ready nodes, always takes the smallest rank."""
    durations, predecessors, lags = graph
    rank = list(range(len(durations)))
    random.shuffle(rank)
    order = kahn(len(durations), predecessors, lags, rank)
    assert order == _reference_order(predecessors, lags, rank)
    identity = kahn(len(durations), predecessors, lags, None)
    assert identity == _reference_order(predecessors, lags, list(range(len(durations))))


@given(task_graphs(), st.randoms(use_true_random=False))
def test_starts_do_not_depend_on_the_order_walked(graph: Graph, random: Random) -> None:
    """Earliest and latest starts are the same over any topological order."""
    durations, predecessors, lags = graph
    rank = list(range(len(durations)))
    random.shuffle(rank)
    order = kahn(len(durations), predecessors, lags, rank)
    early, late = starts(durations, predecessors, lags, order)
    assert (early, late) == passes(durations, predecessors, lags)
    for node, before in enumerate(predecessors):
        assert all(early[other] + durations[other] <= early[node] for other in before)
        assert all(early[other] + lag <= early[node] for other, lag in lags.get(node, ()))
        assert early[node] <= late[node]


def test_a_cycle_is_refused_and_leaves_nodes_unordered() -> None:
    """A cycle stops Kahn short: the graph layer returns fewer nodes, the scheduler raises."""
    assert lexicographic_order([[1], [0], []], [1, 1, 0]) == [2]
    with pytest.raises(ScheduleError, match="cycle"):
        kahn(3, [[], [2], [1]], {}, None)
    with pytest.raises(ScheduleError, match="cycle"):
        kahn(2, [[], []], {0: [(1, 0)], 1: [(0, 0)]}, [1, 0])
