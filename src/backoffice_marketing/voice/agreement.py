"""How well a grouping agrees with a labelled one: pairwise precision, recall, F1 and ARI.

Both groupings map the same items to group labels. *Pairwise* scores count
pairs of items: a pair is predicted together when the grouping puts both
items in one group, and truly together when the labels do. Precision is the
share of predicted pairs that are true, recall the share of true pairs that
were predicted, F1 their harmonic mean (each is 1 when it divides by zero:
nothing claimed, nothing wrong). The adjusted Rand index (Hubert and Arabie,
1985) is the Rand index corrected for chance: 1 for identical groupings,
about 0 for random ones, and negative when worse than chance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

import attrs

__all__ = ["Agreement", "adjusted_rand_index", "agreement"]

Item = TypeVar("Item", bound=Hashable)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


@attrs.frozen
class Agreement:
    """Pairwise precision, recall and F1 and the adjusted Rand index of one grouping."""

    precision: float
    recall: float
    f1: float
    ari: float
    items: int


def _contingency(
    predicted: Mapping[Item, Hashable], truth: Mapping[Item, Hashable]
) -> tuple[Counter[tuple[Hashable, Hashable]], Counter[Hashable], Counter[Hashable]]:
    if set(predicted) != set(truth):
        raise ValueError("both groupings must cover the same items")
    cells = Counter((predicted[item], truth[item]) for item in truth)
    return cells, Counter(predicted.values()), Counter(truth.values())


def adjusted_rand_index(
    predicted: Mapping[Item, Hashable], truth: Mapping[Item, Hashable]
) -> float:
    """The adjusted Rand index of ``predicted`` against ``truth`` (1.0 when both are trivial)."""
    cells, rows, columns = _contingency(predicted, truth)
    index = sum(_pairs(n) for n in cells.values())
    row_sum = sum(_pairs(n) for n in rows.values())
    column_sum = sum(_pairs(n) for n in columns.values())
    total = _pairs(len(truth))
    if total == 0:
        return 1.0
    expected = row_sum * column_sum / total
    maximum = (row_sum + column_sum) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def agreement(predicted: Mapping[Item, Hashable], truth: Mapping[Item, Hashable]) -> Agreement:
    """Pairwise precision, recall, F1 and the adjusted Rand index of ``predicted``."""
    cells, rows, columns = _contingency(predicted, truth)
    both = sum(_pairs(n) for n in cells.values())
    claimed = sum(_pairs(n) for n in rows.values())
    true = sum(_pairs(n) for n in columns.values())
    precision = both / claimed if claimed else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Agreement(precision, recall, f1, adjusted_rand_index(predicted, truth), len(truth))
