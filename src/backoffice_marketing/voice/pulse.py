"""Pulse surveys: short, repeated check-ins on how the change is going.

Each response is one answer of one respondent to one item, on a 5-point scale
(1 = strongly disagree, 5 = strongly agree). Per department: participation is
the number of distinct respondents over the headcount (flagged under 60 %),
and the favourable rate is the share of answers that are 4 or 5. Departments
under the privacy floor (5 people) are rolled up into their parent or into
"other" before anything is computed (:func:`backoffice_marketing.core.privacy.roll_up`),
and a favourable rate based on fewer than 5 respondents is withheld.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import attrs

from backoffice_marketing.core.departments import Department, DepartmentsInput, coerce_departments
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE, Group, check_min_group_size, roll_up
from backoffice_marketing.foundation.validators import FieldValueError, at_least, non_blank
from backoffice_marketing.voice._fields import one_id
from backoffice_marketing.voice.display import ReportPart
from backoffice_marketing.voice.storage import load_log, save_log
from backoffice_marketing.voice.table_layout import TableLayout, column

__all__ = [
    "PARTICIPATION_FLAG",
    "PulseGroup",
    "PulseLog",
    "PulseResponse",
    "PulseSummary",
    "pulse_summary",
]

#: Participation below this share is flagged.
PARTICIPATION_FLAG = 0.6


def _score(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 1 <= value <= 5:
        raise FieldValueError((attribute.name,), f"expected a score from 1 to 5; found {value!r}")


@attrs.frozen
class PulseResponse:
    """One answer: survey, respondent (a pseudonym), department, item and score."""

    survey: str = attrs.field(validator=[non_blank, one_id])
    held_on: dt.date
    respondent: str = attrs.field(validator=non_blank)
    department: str = attrs.field(validator=non_blank)
    item: str = attrs.field(validator=non_blank)
    score: int = attrs.field(validator=[at_least(1), _score])


def _responses(values: Iterable[PulseResponse]) -> tuple[PulseResponse, ...]:
    return tuple(values)


def _no_duplicate_answers(
    _instance: object, attribute: attrs.Attribute[Any], value: tuple[PulseResponse, ...]
) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for index, response in enumerate(value):
        key = (response.survey, response.respondent, response.item)
        if key in seen:
            raise FieldValueError(
                (attribute.name, index),
                f"respondent {response.respondent!r} answered item {response.item!r} of "
                f"survey {response.survey!r} twice (first at {attribute.name}[{seen[key]}])",
            )
        seen[key] = index


@attrs.frozen
class PulseLog:
    """Every answer of every pulse survey."""

    TABLE_LAYOUT: ClassVar[TableLayout] = TableLayout(
        "responses",
        (
            column("survey", "id", required=True),
            column("held_on", "date", required=True),
            column("respondent", "id", required=True),
            column("department", "id", required=True),
            column("item", "id", required=True),
            column("score", "int", required=True),
        ),
    )

    responses: tuple[PulseResponse, ...] = attrs.field(
        default=(), converter=_responses, validator=_no_duplicate_answers
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> PulseLog:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        return load_log(PulseLog, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        save_log(self, path)

    def __iter__(self) -> Iterator[PulseResponse]:
        return iter(self.responses)

    def __len__(self) -> int:
        return len(self.responses)

    @property
    def surveys(self) -> tuple[tuple[str, dt.date], ...]:
        """Each survey id with its date, by date then id."""
        return tuple(
            sorted({(r.survey, r.held_on) for r in self.responses}, key=lambda s: (s[1], s[0]))
        )


@attrs.frozen
class PulseGroup:
    """The figures of one published group (a department, or departments rolled up)."""

    group: str
    members: tuple[str, ...]
    headcount: int
    respondents: int
    answers: int
    favourable: int
    min_group_size: int

    @property
    def participation(self) -> float | None:
        """Distinct respondents over headcount, at most 1."""
        return min(1.0, self.respondents / self.headcount) if self.headcount else None

    @property
    def low_participation(self) -> bool:
        """Whether participation is under :data:`PARTICIPATION_FLAG`."""
        rate = self.participation
        return rate is not None and rate < PARTICIPATION_FLAG

    @property
    def favourable_rate(self) -> float | None:
        """The share of answers that are 4 or 5; withheld under the privacy floor."""
        if self.respondents < self.min_group_size or not self.answers:
            return None
        return self.favourable / self.answers


@attrs.frozen
class PulseSummary(ReportPart):
    """One survey summarised per published group and for the whole company."""

    _part: ClassVar[str] = "pulse"
    report_kind: ClassVar[str] = "voice_pulse"

    survey: str
    held_on: dt.date
    groups: tuple[PulseGroup, ...]
    company: PulseGroup
    unknown_departments: tuple[str, ...]
    suppressed: tuple[str, ...]

    @property
    def flagged(self) -> tuple[str, ...]:
        """Groups whose participation is under 60 %."""
        return tuple(group.group for group in self.groups if group.low_participation)


def pulse_summary(
    log: PulseLog,
    departments: DepartmentsInput,
    *,
    survey: str | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> PulseSummary:
    """Summarise ``survey`` (default: the latest) per department, under the privacy floor.

    The company figures count the published groups only: answers from withheld
    groups and from departments not in ``departments`` (listed in
    ``unknown_departments``) are in no figure, so that no small group is the
    difference between the company and its published groups.
    """
    k = check_min_group_size(min_group_size)
    surveys = log.surveys
    if not surveys:
        raise ValueError("the pulse log holds no survey")
    wanted = survey if survey is not None else surveys[-1][0]
    dates = [held for ident, held in surveys if ident == wanted]
    if not dates:
        known = ", ".join(ident for ident, _ in surveys)
        raise KeyError(f"no survey {wanted!r}; the log holds {known}")
    units = (
        [Department(name, headcount=size) for name, size in departments.items()]
        if isinstance(departments, Mapping)
        else list(coerce_departments(departments, allow_empty=True))
    )
    rolled = roll_up((Group(u.id, u.headcount, u.parent) for u in units), min_group_size=k)
    assignment = rolled.assignment
    responses = [r for r in log.responses if r.survey == wanted]
    people: dict[str, set[str]] = {}
    answers: dict[str, int] = {}
    favourable: dict[str, int] = {}
    for response in responses:
        group = assignment.get(response.department)
        if group is None:
            continue
        for key in (group, None):
            name = key or ""
            people.setdefault(name, set()).add(response.respondent)
            answers[name] = answers.get(name, 0) + 1
            favourable[name] = favourable.get(name, 0) + (response.score >= 4)
    groups = tuple(
        PulseGroup(
            group.id,
            group.members,
            group.size,
            len(people.get(group.id, ())),
            answers.get(group.id, 0),
            favourable.get(group.id, 0),
            k,
        )
        for group in rolled.published
    )
    company = PulseGroup(
        "company",
        tuple(sorted(m for group in rolled.published for m in group.members)),
        sum(group.size for group in rolled.published),
        len(people.get("", ())),
        answers.get("", 0),
        favourable.get("", 0),
        k,
    )
    return PulseSummary(
        wanted,
        min(dates),
        groups,
        company,
        tuple(sorted({r.department for r in responses} - {u.id for u in units})),
        tuple(s.group for s in rolled.suppressed),
    )
