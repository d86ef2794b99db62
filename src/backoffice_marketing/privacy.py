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

from backoffice_marketing.defaults import MIN_GROUP_SIZE, MIN_TEXT_GROUP_SIZE
from backoffice_marketing.exceptions import PrivacyFloorError
from backoffice_marketing.io.limits import MAX_HEADCOUNT
from backoffice_marketing.text import LocalizedText
from backoffice_marketing.validators import between, non_blank

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
                cycle = " -> ".join([*chain[chain.index(node) :], node])
                raise ValueError(f"department parents form a cycle: {cycle}")
            chain.append(node)
            node = groups[node].parent
        base = depths.get(node, -1) if node is not None else -1
        for offset, name in enumerate(reversed(chain), start=1):
            depths[name] = base + offset
    return depths


def roll_up(
    groups: Iterable[Group],
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    parent_totals: bool = False,
) -> RollUp:
    """Fold every group under ``min_group_size`` into its parent or into "other".

    Deepest groups are folded first, so a small team goes into its department
    and, if the department with it is still small, further up. When "other"
    itself ends up non-empty but small, the smallest published groups join it
    until it reaches the floor. With ``parent_totals``, each parent's total
    over its subtree is published too, unless it differs from a published part
    of it by fewer than ``min_group_size`` people (the differencing guard).
    The result does not depend on the order of ``groups``.
    """
    k = check_min_group_size(min_group_size)
    by_id: dict[str, Group] = {}
    for group in groups:
        if group.id in by_id:
            raise ValueError(f"duplicate group id {group.id!r}")
        if group.id == OTHER_GROUP:
            raise ValueError(f"{OTHER_GROUP!r} is reserved for the roll-up group")
        by_id[group.id] = group
    depths = _depths(by_id)
    size = {name: group.size for name, group in by_id.items()}
    members: dict[str, list[str]] = {name: [name] for name in by_id}
    suppressed: list[Suppression] = []
    other_size = 0
    other_members: list[str] = []
    for name in sorted(by_id, key=lambda n: (-depths[n], n)):
        if size[name] >= k:
            continue
        parent = by_id[name].parent
        into = parent if parent is not None and parent in by_id else OTHER_GROUP
        if into == OTHER_GROUP:
            other_size += size[name]
            other_members.extend(members.pop(name))
        else:
            size[into] += size[name]
            members[into].extend(members.pop(name))
        suppressed.append(Suppression(name, into, _reason_small(k, into)))
        size[name] = 0
    published = {name: (size[name], tuple(sorted(members[name]))) for name in members}
    while other_members and other_size < k and published:
        smallest = min(published, key=lambda n: (published[n][0], n))
        count, names = published.pop(smallest)
        other_size += count
        other_members.extend(names)
        suppressed.append(Suppression(smallest, OTHER_GROUP, _reason_small(k, OTHER_GROUP)))
    result = [
        PublishedGroup(name, count, names) for name, (count, names) in sorted(published.items())
    ]
    if other_members:
        if other_size < k:  # everyone is small: nothing can be published
            suppressed.append(Suppression(OTHER_GROUP, None, _reason_small(k, OTHER_GROUP)))
        else:
            result.append(PublishedGroup(OTHER_GROUP, other_size, tuple(sorted(other_members))))
    totals: list[PublishedGroup] = []
    if parent_totals:
        totals, withheld = _parent_totals(by_id, result, k)
        suppressed.extend(withheld)
    return RollUp(
        k,
        tuple(result),
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
        total = sum(groups[name].size for name in subtree)
        parts = [g for g in published if set(g.members) <= inside]
        # Complementary suppression: the total less every published part inside it is
        # the people published nowhere else in this subtree; 1 to k-1 of them would be
        # revealed by subtraction, so the total is withheld then.
        rest = total - sum(part.size for part in parts)
        if (
            not parts
            or 0 < rest < k
            or any(total - part.size < k and total != part.size for part in parts)
        ):
            if parts:
                withheld.append(Suppression(f"{parent} (total)", None, _reason_difference(k)))
            continue
        totals.append(PublishedGroup(f"{parent} (total)", total, tuple(sorted(inside))))
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
