"""Pairwise precision, recall, F1 and the adjusted Rand index of a grouping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.voice.agreement import adjusted_rand_index, agreement


def test_a_worked_example() -> None:
    """Six items: the counts of pairs give precision 1/2, recall 1/2 and a known ARI."""
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"}
    predicted = {1: "x", 2: "x", 3: "y", 4: "y", 5: "z", 6: "z"}
    got = agreement(predicted, truth)
    assert got.precision == pytest.approx(2 / 3)
    assert got.recall == pytest.approx(2 / 6)
    assert got.f1 == pytest.approx(2 * (2 / 3) * (1 / 3) / (2 / 3 + 1 / 3))
    # Hubert and Arabie: index 2, expected 3 * 6 / 15, maximum 4.5.
    assert got.ari == pytest.approx((2 - 18 / 15) / (4.5 - 18 / 15))
    assert got.items == 6


def test_trivial_groupings() -> None:
    """Identical groupings score 1; all singletons claim no pair; two items alone score 1."""
    truth = {1: "a", 2: "a", 3: "b"}
    assert agreement(truth, truth).f1 == 1.0
    singletons = agreement({1: 1, 2: 2, 3: 3}, truth)
    assert singletons.precision == 1.0
    assert singletons.recall == 0.0
    assert singletons.f1 == 0.0
    assert adjusted_rand_index({1: "a"}, {1: "b"}) == 1.0
    assert adjusted_rand_index({1: "a", 2: "b"}, {1: "a", 2: "b"}) == 1.0
    assert agreement({1: 1, 2: 2}, {1: 1, 2: 2}).recall == 1.0


def test_groupings_of_different_items_are_refused() -> None:
    """Both groupings must cover the same items."""
    with pytest.raises(ValueError, match="same items"):
        agreement({1: "a"}, {2: "a"})


_LABELS = st.lists(st.integers(0, 4), min_size=1, max_size=30)


@given(_LABELS, _LABELS)
def test_scores_are_bounded_and_ari_is_symmetric(first: list[int], second: list[int]) -> None:
    """Precision, recall and F1 lie in [0, 1]; ARI is at most 1 and symmetric."""
    size = min(len(first), len(second))
    a = dict(enumerate(first[:size]))
    b = dict(enumerate(second[:size]))
    got = agreement(a, b)
    for value in (got.precision, got.recall, got.f1):
        assert 0.0 <= value <= 1.0
    assert got.ari <= 1.0 + 1e-9
    assert got.ari == pytest.approx(adjusted_rand_index(b, a))
    swapped = agreement(b, a)
    assert swapped.precision == pytest.approx(got.recall)


@given(_LABELS)
def test_renaming_groups_changes_nothing(labels: list[int]) -> None:
    """Renaming the groups of either side leaves every score unchanged."""
    truth = dict(enumerate(labels))
    renamed = {item: f"g{label * 7}" for item, label in truth.items()}
    assert agreement(renamed, truth).ari == pytest.approx(1.0)
    assert agreement(renamed, truth).f1 == pytest.approx(1.0)
