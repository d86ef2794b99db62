"""Announcement plans: dated messages, their channels and the departments they address."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, Self

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar, DateRange
from backoffice_marketing.core.departments import Department
from backoffice_marketing.core.privacy import (
    MIN_GROUP_SIZE,
)
from backoffice_marketing.foundation.validators import (
    FieldValueError,
    at_least,
    non_blank,
    non_empty,
    unique_ids,
    unit_interval,
)
from backoffice_marketing.materials.announcements.channels import (
    CHANNEL_ORDER,
    Channel,
    MessageKind,
)

if TYPE_CHECKING:
    from backoffice_marketing.materials.announcements.reach import ReachLog
    from backoffice_marketing.materials.announcements.review import AnnouncementReview

__all__ = [
    "ALL_DEPARTMENTS",
    "AnnouncementPlan",
    "Channel",
    "MessageKind",
    "PlannedMessage",
    "register_reviewer",
]


class PlanReviewer(Protocol):
    """The function that reviews a plan (``announcements.review.review_plan``)."""

    def __call__(
        self,
        plan: AnnouncementPlan,
        *,
        log: ReachLog | str | os.PathLike[str] | None,
        calendar: BusinessCalendar | None,
        min_group_size: int,
        order: Sequence[str],
    ) -> AnnouncementReview:
        """Review ``plan``."""
        ...  # pragma: no cover - a protocol


#: The reviewer :meth:`AnnouncementPlan.review` calls. The review module registers it when
#: the announcements package loads (``__init__`` imports it, so before any plan is
#: reviewed): it needs the plan's class at run time (its JSON schema reads the fields), so
#: the plan does not import the review back, and no import cycle runs between them.
_REVIEWER: list[PlanReviewer] = []


def register_reviewer(reviewer: PlanReviewer) -> None:
    """Set the function :meth:`AnnouncementPlan.review` calls (the review module does, once)."""
    _REVIEWER[:] = [reviewer]


#: Addresses a message to every department of the plan.
ALL_DEPARTMENTS = "*"
#: The largest reach log accepted (bytes).


def _tuple_of_str(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("expected a list of department ids, not a single string")
    return tuple(values)


@attrs.frozen
class PlannedMessage:
    """One dated message through one channel to some departments (``"*"`` for all)."""

    on: dt.date
    channel: Channel = attrs.field(converter=Channel)
    departments: tuple[str, ...] = attrs.field(
        default=(ALL_DEPARTMENTS,), converter=_tuple_of_str, validator=non_empty
    )
    kind: MessageKind = attrs.field(default=MessageKind.ANNOUNCE, converter=MessageKind)
    title: str | None = None

    def reaches(self, department: str) -> bool:
        """Whether this message is addressed to ``department``."""
        return ALL_DEPARTMENTS in self.departments or department in self.departments


def _departments(values: Iterable[Department | str]) -> tuple[Department, ...]:
    if isinstance(values, str):
        raise TypeError("expected a list of departments, not a single string")
    result = [Department(value) if isinstance(value, str) else value for value in values]
    return tuple(sorted(result, key=lambda department: department.id))


def _messages(values: Iterable[PlannedMessage]) -> tuple[PlannedMessage, ...]:
    return tuple(
        sorted(values, key=lambda m: (m.on, CHANNEL_ORDER[m.channel], m.departments, m.kind))
    )


def _blackouts(values: Iterable[DateRange]) -> tuple[DateRange, ...]:
    return tuple(values)


@attrs.frozen
class AnnouncementPlan:
    """Messages by channel, department and date around a launch, and the bar they must clear."""

    launch: dt.date
    departments: tuple[Department, ...] = attrs.field(
        converter=_departments, validator=[non_empty, unique_ids("id", "department id")]
    )
    messages: tuple[PlannedMessage, ...] = attrs.field(converter=_messages)
    name: str | None = attrs.field(default=None, validator=non_blank)
    min_channels: int = attrs.field(default=2, validator=at_least(1))
    min_touches: int = attrs.field(default=2, validator=at_least(1))
    min_lead_business_days: int = attrs.field(default=10, validator=at_least(0))
    blackouts: tuple[DateRange, ...] = attrs.field(default=(), converter=_blackouts)
    reach_target: float = attrs.field(default=0.8, validator=unit_interval)
    acknowledgement_target: float = attrs.field(default=0.6, validator=unit_interval)

    def __attrs_post_init__(self) -> None:
        known = {department.id for department in self.departments}
        for index, message in enumerate(self.messages):
            for position, department in enumerate(message.departments):
                if department != ALL_DEPARTMENTS and department not in known:
                    raise FieldValueError(
                        ("messages", index, "departments", position),
                        f"unknown department {department!r}; "
                        f"the plan has {', '.join(sorted(known))}",
                    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Load a plan from a TOML, JSON or YAML file (every problem reported at once)."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

        return structure_document(read_document(path), cls)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as TOML, JSON or YAML (chosen by the suffix of ``path``)."""
        from backoffice_marketing.foundation.io.converter import save_object  # noqa: PLC0415

        save_object(self, path)

    def __repr__(self) -> str:
        return (
            f"<AnnouncementPlan launch={self.launch} departments={len(self.departments)} "
            f"messages={len(self.messages)}>"
        )

    def review(
        self,
        *,
        log: ReachLog | str | os.PathLike[str] | None = None,
        calendar: BusinessCalendar | None = None,
        min_group_size: int = MIN_GROUP_SIZE,
        order: Sequence[str] = (),
    ) -> AnnouncementReview:
        """Check the plan (and, given a reach log, the reach) department by department.

        Departments follow ``order`` (the company's, an initiative's), then the
        rest by id.
        """
        review_plan = _REVIEWER[0]
        return review_plan(
            self, log=log, calendar=calendar, min_group_size=min_group_size, order=order
        )
