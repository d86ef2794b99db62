"""Privacy: the floor, roll-ups into parents and 'other', and the differencing guard."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.core.privacy import (
    MIN_TEXT_GROUP_SIZE,
    OTHER_GROUP,
    Group,
    PrivacyFloorError,
    check_min_group_size,
    roll_up,
)


def test_floor_cannot_be_lowered() -> None:
    """5 is the floor for figures, 10 for free text; lower, bool or non-int values are refused."""
    assert check_min_group_size(5) == 5
    assert check_min_group_size(12) == 12
    assert check_min_group_size(10, floor=MIN_TEXT_GROUP_SIZE) == 10
    for bad in (4, 0, -1, True, 5.0, "5"):
        with pytest.raises(PrivacyFloorError) as caught:
            check_min_group_size(bad)
        assert caught.value.requested == bad
        assert caught.value.floor == 5
    with pytest.raises(PrivacyFloorError, match="at least 10"):
        check_min_group_size(9, floor=MIN_TEXT_GROUP_SIZE)


def test_small_groups_pool_in_other_never_into_a_parent() -> None:
    """Small teams pool in "other" whatever their parent; a department never takes them in."""
    result = roll_up(
        [
            Group("division", 30),
            Group("dept", 2, "division"),
            Group("team", 4, "dept"),
            Group("big", 7, "division"),
        ]
    )
    # team (4) and dept (2) pool: 6 people, and both are needed to reach 5.
    assert {g.id: g.size for g in result.published} == {"big": 7, "division": 30, OTHER_GROUP: 6}
    assert result.published_group_of("team").id == OTHER_GROUP
    into = {s.group: s.into for s in result.suppressed}
    assert into == {"dept": OTHER_GROUP, "team": OTHER_GROUP}
    assert all(s.reason.ja and s.reason.en for s in result.suppressed)
    alone = roll_up([Group("division", 30), Group("dept", 2, "division")])
    # Added to the division, dept would be the difference between a run with and without it.
    assert {g.id: g.size for g in alone.published} == {"division": 30}
    assert {s.group: s.into for s in alone.suppressed} == {"dept": None}


def test_other_group_never_borrows_a_published_group() -> None:
    """Small groups without parent form 'other'; a small 'other' is withheld, never topped up."""
    result = roll_up([Group("a", 2), Group("b", 3), Group("c", 6), Group("d", 40)])
    sizes = {g.id: g.size for g in result.published}
    assert sizes == {"c": 6, "d": 40, OTHER_GROUP: 5}
    other = next(g for g in result.published if g.is_other)
    assert other.members == ("a", "b")
    everyone_small = roll_up([Group("a", 1), Group("b", 2), Group("c", 6)])
    assert [g.id for g in everyone_small.published] == ["c"]
    assert {s.group for s in everyone_small.suppressed} == {"a", "b"}
    nobody = roll_up([Group("a", 1), Group("b", 2)])
    assert nobody.published == ()
    assert {s.group for s in nobody.suppressed} == {"a", "b", OTHER_GROUP}


def test_pool_that_one_group_does_not_need_is_withheld() -> None:
    """A pool of 3 + 3 + 3 is withheld: without any one of them, 6 would still be published."""
    result = roll_up([Group("a", 3), Group("b", 3), Group("c", 3), Group("d", 40)])
    assert [g.id for g in result.published] == ["d"]
    assert {s.group: s.into for s in result.suppressed} == {"a": None, "b": None, "c": None}


def test_parent_totals_and_differencing_guard() -> None:
    """A parent's total counts its published groups only, so no hidden group is inside it."""
    groups = [Group("sales", 8), Group("tokyo", 40, "sales"), Group("osaka", 20, "sales")]
    result = roll_up(groups, parent_totals=True)
    assert {g.id for g in result.published} == {"sales", "tokyo", "osaka"}
    assert [t.id for t in result.parent_totals] == ["sales (total)"]
    assert result.parent_totals[0].size == 68
    # "y" (3) is withheld: p's total is x alone (40), never 43 beside x's 40.
    close = roll_up(
        [Group("q", 50), Group("p", 0, "q"), Group("x", 40, "p"), Group("y", 3, "p")],
        parent_totals=True,
    )
    totals = {t.id: t.size for t in close.parent_totals}
    assert totals == {"p (total)": 40, "q (total)": 90}
    assert {s.group: s.into for s in close.suppressed} == {"p": None, "y": None}


def test_bad_groups() -> None:
    """Duplicate ids, the reserved 'other' id and parent cycles are refused."""
    with pytest.raises(ValueError, match="duplicate group id"):
        roll_up([Group("a", 5), Group("a", 6)])
    with pytest.raises(ValueError, match="reserved"):
        roll_up([Group(OTHER_GROUP, 5)])
    with pytest.raises(ValueError, match="cycle: a -> b -> a"):
        roll_up([Group("a", 5, "b"), Group("b", 5, "a")])


@st.composite
def forests(draw: st.DrawFn) -> list[Group]:
    """Random department trees."""
    count = draw(st.integers(1, 12))
    groups = []
    for index in range(count):
        parent = (
            draw(st.none() | st.integers(0, index - 1).map(lambda p: f"g{p}")) if index else None
        )
        groups.append(Group(f"g{index}", draw(st.integers(0, 40)), parent))
    return groups


@given(forests(), st.integers(5, 12), st.randoms(use_true_random=False))
def test_roll_up_properties(groups: list[Group], k: int, rnd: random.Random) -> None:
    """Published groups have >= k people, keep everyone exactly once, ignore input order."""
    result = roll_up(groups, min_group_size=k)
    assert all(group.size >= k for group in result.published)
    members = [m for group in result.published for m in group.members]
    assert len(members) == len(set(members))
    total = sum(g.size for g in groups)
    published = sum(g.size for g in result.published)
    assert (
        published in {total, 0}
        or published + sum(g.size for g in groups if g.id not in members) == total
    )
    shuffled = list(groups)
    rnd.shuffle(shuffled)
    assert roll_up(shuffled, min_group_size=k) == result


def test_lazy_subpackages_and_unknown_attributes() -> None:
    """Heavy subpackages load on first access; unknown names raise AttributeError."""
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = bm.nope
    assert bm.MIN_GROUP_SIZE == 5
