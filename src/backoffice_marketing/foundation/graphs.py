"""Topological order and cycle paths for plain adjacency lists.

networkx's ``find_cycle`` takes seconds on a large acyclic graph; here a
cycle is looked for only after Kahn's algorithm could not order every node,
and only among the nodes it could not order.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

__all__ = ["find_cycle", "lexicographic_order"]


def lexicographic_order(
    successors: Sequence[Sequence[int]], indegree: list[int], rank: Sequence[int] | None = None
) -> list[int]:
    """Kahn's algorithm taking the ready node of smallest rank first: the package's one copy.

    ``rank`` is a permutation of the node numbers giving the wanted tie-break
    (``None``: the node's own number, so number nodes in sorted id order).
    ``indegree`` is consumed. The result is shorter than the node count
    exactly when the graph has a cycle.
    """
    count = len(indegree)
    by_rank: Sequence[int]
    if rank is None:
        rank = by_rank = range(count)
    else:
        by_rank = [0] * count
        for node in range(count):
            by_rank[rank[node]] = node
    ready = [rank[node] for node in range(count) if indegree[node] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    push, pop = heapq.heappush, heapq.heappop
    while ready:
        node = by_rank[pop(ready)]
        order.append(node)
        for successor in successors[node]:
            indegree[successor] -= 1
            if indegree[successor] == 0:
                push(ready, rank[successor])
    return order


def find_cycle(successors: Sequence[Sequence[int]], candidates: set[int]) -> list[int]:
    """One cycle among ``candidates`` (the nodes Kahn could not order), as a closed path.

    Every leftover node has a leftover predecessor (else its in-degree would
    have reached zero), so walking predecessors from any leftover node must
    revisit a node; the walk, reversed, is a cycle in edge direction.
    """
    predecessors: dict[int, list[int]] = {node: [] for node in candidates}
    for node in sorted(candidates):
        for successor in successors[node]:
            if successor in candidates:
                predecessors[successor].append(node)
    seen: dict[int, int] = {}
    path: list[int] = []
    node = min(candidates)
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = min(predecessors[node])
    cycle = [*path[seen[node] :], node]
    cycle.reverse()
    return cycle
