"""The barrier point: the first element of readiness a person does not reach.

Per respondent, each element's score is the mean of its statements; the
barrier point is the first element (awareness, desire, knowledge, ability,
reinforcement) whose score is at or below the threshold (3 by default: "neither
agree nor disagree" is not readiness). A respondent above it everywhere has
no barrier; one who left a whole element blank has none computed either
(``incomplete``).

Per group, the distribution of barrier points and each element's mean with
a 95 % interval (Student's t) are published only for groups of at least the
privacy floor of respondents: smaller departments are folded into their
parent, or into "other" (:func:`backoffice_marketing.core.privacy.roll_up`), and
never shown alone. Without a department column there is one group: the
company.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

import attrs

from backoffice_marketing.core.departments import company_order
from backoffice_marketing.core.privacy import Group, Suppression, check_min_group_size, roll_up
from backoffice_marketing.foundation.defaults import MIN_GROUP_SIZE, MIN_TEXT_GROUP_SIZE
from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.readiness.responses import SurveyResponse, SurveyRound

__all__ = [
    "COMPANY",
    "DEFAULT_THRESHOLD",
    "NO_BARRIER",
    "ElementMean",
    "GroupReadiness",
    "RespondentBarrier",
    "RoundSummary",
    "TrendPoint",
    "barrier_point",
    "readiness_trend",
    "respondent_barriers",
    "summarise_round",
]

#: An element scored at or below this mean is not reached.
DEFAULT_THRESHOLD = 3.0
#: The name of the group holding every respondent.
COMPANY = "company"
#: The key of the respondents without a barrier in a distribution.
NO_BARRIER = "none"
#: The key of the respondents with an element left blank.
INCOMPLETE = "incomplete"

# Two-sided 95 % quantiles of Student's t by degrees of freedom (1-30); 1.96 beyond.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def barrier_point(
    means: Mapping[Element, float], *, threshold: float = DEFAULT_THRESHOLD
) -> Element | None:
    """The first element at or below ``threshold``; ``None`` when every element is above."""
    for element in ELEMENTS:
        if means[element] <= threshold:
            return element
    return None


@attrs.frozen
class RespondentBarrier:
    """One respondent's element scores and barrier point (``complete`` false: not computed)."""

    respondent: str
    department: str | None
    means: tuple[tuple[Element, float], ...]
    barrier: Element | None
    complete: bool

    @property
    def key(self) -> str:
        """The barrier's key in a distribution: an element, ``none`` or ``incomplete``."""
        if not self.complete:
            return INCOMPLETE
        return self.barrier.value if self.barrier is not None else NO_BARRIER


def respondent_barriers(
    survey: SurveyRound, *, threshold: float = DEFAULT_THRESHOLD
) -> tuple[RespondentBarrier, ...]:
    """Every respondent's barrier point, in the order of the export."""
    return tuple(_respondent(r, survey, threshold) for r in survey.responses)


def _respondent(
    response: SurveyResponse, survey: SurveyRound, threshold: float
) -> RespondentBarrier:
    means = response.element_means(survey.instrument)
    complete = len(means) == len(ELEMENTS)
    barrier = barrier_point(means, threshold=threshold) if complete else None
    ordered = tuple((element, means[element]) for element in ELEMENTS if element in means)
    return RespondentBarrier(response.respondent, response.department, ordered, barrier, complete)


@attrs.frozen
class ElementMean:
    """An element's mean score in a group, with its 95 % interval and respondent count."""

    element: Element
    mean: float
    low: float
    high: float
    respondents: int


@attrs.frozen
class GroupReadiness:
    """The published figures of one group: respondents, barrier distribution, element means.

    ``members`` are the departments in the group (one, or several folded
    together); ``barrier`` is the most frequent barrier point (ties: the
    earlier element; ``None`` when most respondents have none); ``comments``
    are free-text answers, only when the group reaches the free-text floor.
    """

    group: str
    members: tuple[str, ...]
    respondents: int
    distribution: tuple[tuple[str, int], ...]
    means: tuple[ElementMean, ...]
    barrier: Element | None = None
    comments: tuple[str, ...] = ()

    def share(self, key: Element | str) -> float:
        """The share of the complete respondents whose barrier is ``key``."""
        counts = dict(self.distribution)
        complete = self.respondents - counts.get(INCOMPLETE, 0)
        value = key.value if isinstance(key, Element) else key
        return counts.get(value, 0) / complete if complete else 0.0


def _order(key: str) -> int:
    return len(ELEMENTS) if key == NO_BARRIER else Element(key).rank


@attrs.frozen(repr=False)
class RoundSummary:
    """One survey round summarised: the company and every publishable group."""

    round: str
    held_on: dt.date
    threshold: float
    min_group_size: int
    company: GroupReadiness
    groups: tuple[GroupReadiness, ...]
    suppressed: tuple[Suppression, ...]
    by_department: bool

    def __repr__(self) -> str:
        return (
            f"<RoundSummary {self.round!r} {self.held_on} respondents={self.company.respondents} "
            f"groups={len(self.groups)}>"
        )

    def group_of(self, department: str) -> GroupReadiness | None:
        """The published group holding ``department`` (``None``: not published)."""
        return next((g for g in self.groups if department in g.members), None)


def _interval(values: list[float]) -> tuple[float, float, float]:
    count = len(values)
    mean = sum(values) / count
    if count < 2:
        return mean, 1.0, 5.0
    variance = sum((v - mean) ** 2 for v in values) / (count - 1)
    quantile = _T95[count - 2] if count - 1 <= len(_T95) else 1.96
    half = quantile * math.sqrt(variance / count)
    return mean, max(1.0, mean - half), min(5.0, mean + half)


def _group(
    name: str,
    members: Iterable[str],
    people: list[RespondentBarrier],
    comments: list[str],
    floors: tuple[int, int],
) -> GroupReadiness:
    """A group's figures; an element mean needs ``floors[0]`` answers, comments ``floors[1]``."""
    floor, text_floor = floors
    counts = dict.fromkeys([e.value for e in ELEMENTS] + [NO_BARRIER, INCOMPLETE], 0)
    for person in people:
        counts[person.key] += 1
    means = []
    for element in ELEMENTS:
        values = [dict(p.means)[element] for p in people if element in dict(p.means)]
        if len(values) >= floor:
            mean, low, high = _interval(values)
            means.append(
                ElementMean(element, round(mean, 4), round(low, 4), round(high, 4), len(values))
            )
    quoted = tuple(sorted(comments)) if len(people) >= text_floor else ()
    keys = [element.value for element in ELEMENTS]
    best = max([*keys, NO_BARRIER], key=lambda key: (counts[key], -_order(key)))
    barrier = None if best == NO_BARRIER or counts[best] == 0 else Element(best)
    return GroupReadiness(
        name, tuple(sorted(members)), len(people), tuple(counts.items()), tuple(means),
        barrier, quoted,
    )  # fmt: skip


def summarise_round(
    survey: SurveyRound,
    *,
    parents: Mapping[str, str | None] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    min_group_size: int = MIN_GROUP_SIZE,
    text_floor: int = MIN_TEXT_GROUP_SIZE,
) -> RoundSummary:
    """The company's and each publishable group's figures for one round.

    ``parents`` maps departments to their parent department, in the company's
    order (an initiative's), which the groups follow (others after, by name). Groups follow the
    privacy roll-up (:func:`~backoffice_marketing.core.privacy.roll_up`): a group
    under the floor is pooled with the other small ones, or withheld, and the
    company's figures then count the published groups only. Respondents
    without a department count in the company figures only when the survey
    has no department column; otherwise they form the group "unknown".
    """
    k = check_min_group_size(min_group_size)
    text_k = check_min_group_size(text_floor, floor=MIN_TEXT_GROUP_SIZE)
    people = respondent_barriers(survey, threshold=threshold)
    comments = {r.respondent: r.comment for r in survey.responses if r.comment}
    by_department = survey.has_departments
    # With departments, comments are quoted per group only: the company's set less the
    # published groups' would give away the comments of the groups under the text floor.
    said = [] if by_department else list(comments.values())
    company = _group(COMPANY, (), list(people), said, (k, text_k))
    if len(people) < k:
        company = attrs.evolve(company, distribution=(), means=(), barrier=None, comments=())
    if not by_department:
        return RoundSummary(
            survey.id, survey.held_on, threshold, k, company, (), (), by_department=False
        )
    links = dict(parents or {})
    members: dict[str, list[RespondentBarrier]] = {}
    for person in people:
        members.setdefault(person.department or "unknown", []).append(person)
    groups = [
        Group(name, len(found), links.get(name) if links.get(name) in members else None)
        for name, found in sorted(members.items())
    ]
    for name, parent in sorted(links.items()):  # parents without respondents of their own
        if parent is None and name not in members and any(links.get(m) == name for m in members):
            groups.append(Group(name, 0, None))
    for index, group in enumerate(groups):
        parent = links.get(group.id)
        if group.parent is None and parent is not None and any(g.id == parent for g in groups):
            groups[index] = attrs.evolve(group, parent=parent)
    rolled = roll_up(groups, min_group_size=k)
    published = []
    counted: list[RespondentBarrier] = []
    for shown in rolled.published:
        found = [p for name in shown.members for p in members.get(name, [])]
        said = [comments[p.respondent] for p in found if p.respondent in comments]
        published.append(_group(shown.id, shown.members, found, said, (k, text_k)))
        counted += found
    # The company counts the published groups only: with a withheld group inside it, the
    # company less the published groups would give the withheld group's figures.
    company = _group(COMPANY, (), counted, [], (k, text_k))
    if len(counted) < k:
        company = attrs.evolve(company, distribution=(), means=(), barrier=None, comments=())
    rank = company_order(links)
    published.sort(key=lambda shown: rank(shown.group))
    return RoundSummary(
        survey.id, survey.held_on, threshold, k, company, tuple(published), rolled.suppressed,
        by_department=True,
    )  # fmt: skip


@attrs.frozen
class TrendPoint:
    """One group in one round: respondents and the share with each barrier point."""

    group: str
    round: str
    held_on: dt.date
    respondents: int
    shares: tuple[tuple[str, float], ...]


def readiness_trend(summaries: Iterable[RoundSummary]) -> tuple[TrendPoint, ...]:
    """Each group published in a round, across rounds (by group, then date).

    Only figures already published in each round are used, so the trend
    reveals no group the rounds themselves keep under the floor.
    """
    points: list[TrendPoint] = []
    first_seen: dict[str, int] = {}  # the groups' order: the company's, round after round
    for summary in summaries:
        for group in (summary.company, *summary.groups):
            first_seen.setdefault(group.group, len(first_seen))
            if not group.distribution:
                continue
            keys = [*(element.value for element in ELEMENTS), NO_BARRIER]
            shares = tuple((key, round(group.share(key), 4)) for key in keys)
            points.append(
                TrendPoint(group.group, summary.round, summary.held_on, group.respondents, shares)
            )
    return tuple(
        sorted(
            points,
            key=lambda p: (p.group != COMPANY, first_seen[p.group], p.held_on, p.round),
        )
    )
