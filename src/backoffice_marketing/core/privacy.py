"""Privacy: no figure about a small group of employees is ever published.

The floor is 5 people for figures (``MIN_GROUP_SIZE``) and 10 for free text
(``MIN_TEXT_GROUP_SIZE``); a caller may raise it but never lower it. Groups
under the floor are rolled up into their parent department (or an "other"
group when they have none), and a parent's total is withheld when it would
differ from a published part of it by fewer people than the floor, since
subtracting the two would reveal the rest (the differencing guard).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from backoffice_marketing.exceptions import (
    DepartmentCycleError,
    DepartmentsError,
    PrivacyFloorError,
)
from backoffice_marketing.foundation.defaults import MIN_GROUP_SIZE, MIN_TEXT_GROUP_SIZE
from backoffice_marketing.foundation.io.limits import MAX_HEADCOUNT
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.foundation.validators import between, non_blank

__all__ = [
    "MIN_GROUP_SIZE",
    "MIN_TEXT_GROUP_SIZE",
    "OTHER_GROUP",
    "Group",
    "PrivacyFloorError",
    "PublishedGroup",
    "RollUp",
    "Suppression",
    "check_min_group_size",
    "merge_notes",
    "roll_up",
]

OTHER_GROUP = "other"


def check_min_group_size(value: object, *, floor: int = MIN_GROUP_SIZE) -> int:
    """Return ``value`` if it is an integer at or above ``floor``; else raise."""
    # Plain ints only: a subclass (or bool) could answer the comparison any way it likes.
    if type(value) is not int or int.__lt__(value, floor):
        raise PrivacyFloorError(value, floor)
    return value


@attrs.frozen
class Group:
    """A group of people (a department) with its size and optional parent."""

    id: str = attrs.field(validator=non_blank)
    size: int = attrs.field(validator=between(0, MAX_HEADCOUNT))
    parent: str | None = None


@attrs.frozen
class PublishedGroup:
    """A group whose figures may be published: ``members`` are the original groups in it."""

    id: str
    size: int
    members: tuple[str, ...]

    @property
    def is_other(self) -> bool:
        """Whether this is the catch-all group for small groups without a parent."""
        return self.id == OTHER_GROUP


@attrs.frozen
class Suppression:
    """A group (or a parent total) that is not published on its own, and why."""

    group: str
    into: str | None
    reason: LocalizedText


@attrs.frozen
class RollUp:
    """The result of :func:`roll_up`: what may be published and what was folded where."""

    min_group_size: int
    published: tuple[PublishedGroup, ...]
    suppressed: tuple[Suppression, ...]
    parent_totals: tuple[PublishedGroup, ...] = ()

    @property
    def assignment(self) -> Mapping[str, str]:
        """Each original group id mapped to the published group that holds it."""
        return {member: group.id for group in self.published for member in group.members}

    def published_group_of(self, group_id: str) -> PublishedGroup:
        """The published group that holds ``group_id``."""
        target = self.assignment[group_id]
        return next(group for group in self.published if group.id == target)


def _reason_small(k: int, into: str) -> LocalizedText:
    where_ja = "その他" if into == OTHER_GROUP else f"上位部署「{into}」"
    where_en = "'other'" if into == OTHER_GROUP else f"its parent {into!r}"
    return LocalizedText(
        ja=f"{k}人未満の集団は個別に公表しないため、{where_ja}に合算しました。",
        en=f"Groups of fewer than {k} people are not reported on their own; "
        f"merged into {where_en}.",
    )


def _reason_difference(k: int) -> LocalizedText:
    return LocalizedText(
        ja=f"公表済みの内訳との差が{k}人未満になり、差し引きで小集団が分かるため、合計を公表しません。",
        en=f"The total differs from a published part of it by fewer than {k} people, so "
        "subtracting the two would reveal a small group; the total is withheld.",
    )


def _depths(groups: Mapping[str, Group]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for start in groups:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in groups and node not in depths:
            if node in chain:
                raise DepartmentCycleError([*chain[chain.index(node) :], node])
            chain.append(node)
            node = groups[node].parent
        base = depths.get(node, -1) if node is not None else -1
        for offset, name in enumerate(reversed(chain), start=1):
            depths[name] = base + offset
    return depths


def _reason_withheld(k: int, *, pooled: bool) -> LocalizedText:
    if not pooled:
        return LocalizedText(
            ja=f"{k}人未満で、合算できる小さな集団もないため、どの数値にも含めず公表しません。",
            en=f"Fewer than {k} people, with no small group to pool with; left out of "
            "every figure.",
        )
    return LocalizedText(
        ja=f"{k}人未満の集団を含み、別の実行との差し引きでその集団が分かるおそれがあるため、"
        "どの数値にも含めず公表しません。",
        en=f"Part of a pool of small groups from which one group of fewer than {k} people "
        "could be recovered by comparing runs; left out of every figure.",
    )


def _is_safe_pool(total: int, units: Iterable[int], k: int) -> bool:
    """Whether a pool of units may be published: at the floor, and no unit's removal keeps it there.

    If the pool less one of its units still reached the floor, a run without
    that unit would publish the rest, and subtracting the two would give the
    unit: so every unit with people must be needed to reach the floor.
    """
    return total >= k and all(total - size < k for size in units if size > 0)


def _by_id(groups: Iterable[Group]) -> dict[str, Group]:
    by_id: dict[str, Group] = {}
    for group in groups:
        if group.id in by_id:
            raise DepartmentsError(f"duplicate group id {group.id!r}", group.id)
        if group.id == OTHER_GROUP:
            raise DepartmentsError(
                f"{OTHER_GROUP!r} is reserved for the roll-up group", OTHER_GROUP
            )
        by_id[group.id] = group
    return by_id


def roll_up(
    groups: Iterable[Group],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    parent_totals: bool = False,
) -> RollUp:
    """Publish groups at or over ``min_group_size``; pool or withhold the smaller ones.

    The rule (docs/privacy.md has a worked example) makes every published
    figure a union of *atoms* that are the same in any run on the same data,
    whichever other departments that run has:

    * a group with at least ``min_group_size`` people of its own is an atom,
      published with its own people only; a small group is never added to it
      (a run without the small group would publish the difference);
    * every smaller group goes into one pool, "other", whatever its parent
      (so that adding or removing a department never moves a group from one
      pool to another);
    * "other" is published only when it reaches the floor *and* every group
      in it is needed to reach it; otherwise all of its groups are withheld
      and counted in no figure.

    With ``parent_totals``, each parent's total over the published groups
    inside its subtree is published too, unless it differs from a published
    part of it by fewer than ``min_group_size`` people (the differencing guard).
    The result does not depend on the order of ``groups``.
    """
    k = check_min_group_size(min_group_size)
    by_id = _by_id(groups)
    _depths(by_id)  # parent cycles are errors even though the pool ignores parents
    published = [
        PublishedGroup(name, group.size, (name,))
        for name, group in sorted(by_id.items())
        if group.size >= k
    ]
    small = sorted(name for name, group in by_id.items() if group.size < k)
    other_size = sum(by_id[name].size for name in small)
    suppressed: list[Suppression] = []
    if small and _is_safe_pool(other_size, (by_id[name].size for name in small), k):
        published.append(PublishedGroup(OTHER_GROUP, other_size, tuple(small)))
        suppressed.extend(
            Suppression(name, OTHER_GROUP, _reason_small(k, OTHER_GROUP)) for name in small
        )
    else:
        pooled = other_size >= k
        suppressed.extend(
            Suppression(name, None, _reason_withheld(k, pooled=pooled)) for name in small
        )
        if small and not published:  # nothing at all can be published: say so once
            suppressed.append(Suppression(OTHER_GROUP, None, _reason_small(k, OTHER_GROUP)))
    if parent_totals:
        totals, withheld_totals = _parent_totals(by_id, published, k)
        suppressed.extend(withheld_totals)
    else:
        totals = []
    return RollUp(
        k,
        tuple(published),
        tuple(sorted(suppressed, key=lambda s: s.group)),
        tuple(totals),
    )


def _parent_totals(
    groups: Mapping[str, Group], published: list[PublishedGroup], k: int
) -> tuple[list[PublishedGroup], list[Suppression]]:
    children: dict[str, list[str]] = {}
    for group in groups.values():
        if group.parent is not None and group.parent in groups:
            children.setdefault(group.parent, []).append(group.id)
    totals: list[PublishedGroup] = []
    withheld: list[Suppression] = []
    for parent in sorted(children):
        subtree: list[str] = []
        stack = [parent]
        while stack:
            node = stack.pop()
            subtree.append(node)
            stack.extend(children.get(node, ()))
        inside = set(subtree)
        parts = [g for g in published if set(g.members) <= inside]
        # Only published groups count: a withheld group is in no figure, totals included.
        total = sum(part.size for part in parts)
        # Complementary suppression: the total less a published part of it must not be a
        # small group. Parts of k or more people each make this hold; kept as a backstop.
        if not parts or any(0 < total - part.size < k for part in parts):
            if parts:
                withheld.append(Suppression(f"{parent} (total)", None, _reason_difference(k)))
            continue
        members = tuple(sorted(m for part in parts for m in part.members))
        totals.append(PublishedGroup(f"{parent} (total)", total, members))
    return totals, withheld


def merge_notes(merges: Iterable[Suppression]) -> tuple[LocalizedText, ...]:
    """One sentence per merge: which group went into which, and why (ja and en)."""
    notes = []
    for merge in sorted(merges, key=lambda entry: entry.group):
        if merge.into is None:
            ja = f"「{merge.group}」は公表しません。{merge.reason.ja}"
            en = f"{merge.group} is not reported. {merge.reason.en}"
        else:
            ja = f"「{merge.group}」は「{merge.into}」に含めて集計しています。{merge.reason.ja}"
            en = f"{merge.group} is counted within {merge.into}. {merge.reason.en}"
        notes.append(LocalizedText(ja=ja, en=en))
    return tuple(notes)
