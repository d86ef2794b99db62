"""One initiative, one truth: the settings every producer, plan and report reads.

An :class:`Initiative` is loaded from ``initiative.toml`` through the strict
loader (every problem with file, line and field). Its figures default to
:mod:`backoffice_marketing.foundation.defaults`, so a figure is written once: the
adoption target, the majority share at which the end of the old way is
declared, the lead time, the notice period, the promised reply time, the
central team's capacity and the privacy floors.

>>> import backoffice_marketing as bm
>>> initiative = bm.Initiative.example()
>>> initiative.target, initiative.majority_share, initiative.notice_days
(0.9, 0.7, 20)
>>> initiative.departments[0].id
'経営企画部'
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.departments import Department
from backoffice_marketing.foundation.defaults import (
    ADOPTION_TARGET,
    CENTRAL_TEAM_CAPACITY,
    LEAD_TIME_DAYS,
    MAJORITY_SHARE,
    MIN_GROUP_SIZE,
    MIN_TEXT_GROUP_SIZE,
    NOTICE_DAYS,
    REPLY_DAYS,
)
from backoffice_marketing.foundation.text import LANGUAGES, LocalizedText
from backoffice_marketing.foundation.validators import (
    FieldCheck,
    FieldValueError,
    at_least,
    matches,
    non_blank,
    run_field_checks,
    unique_ids,
)

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan
    from backoffice_marketing.diagnosis.playbooks import Playbook

__all__ = ["Initiative", "PrivacyFloors"]

#: The bundled initiative of the demo (Case A, the chat migration).
EXAMPLE = "examples/chat-migration/initiative.toml"


def _share(_instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not (isinstance(value, float) and 0.0 < value <= 1.0):
        from backoffice_marketing.foundation.messages import message  # noqa: PLC0415
        from backoffice_marketing.foundation.validators import as_written  # noqa: PLC0415

        raise FieldValueError((attribute.name,), message("expected.share", found=as_written(value)))


def _floor(minimum: int) -> Any:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise FieldValueError(
                (attribute.name,),
                f"expected an integer of at least {minimum} (the privacy floor cannot be "
                f"lowered); found {value!r}",
            )

    return check


def _lang(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in LANGUAGES:
        raise FieldValueError((attribute.name,), f"expected one of {LANGUAGES}; found {value!r}")


def _departments(values: Iterable[Department]) -> tuple[Department, ...]:
    return tuple(values)


def _dates(values: Iterable[dt.date]) -> tuple[dt.date, ...]:
    return tuple(sorted(values))


@attrs.frozen
class PrivacyFloors:
    """The smallest groups published: ``figures`` (people counted) and ``text`` (quoted).

    Free text needs the larger group because a sentence can reveal its
    writer by its wording, where a count cannot; neither floor can be set
    below the library's (5 and 10).
    """

    figures: int = attrs.field(default=MIN_GROUP_SIZE, validator=_floor(MIN_GROUP_SIZE))
    text: int = attrs.field(default=MIN_TEXT_GROUP_SIZE, validator=_floor(MIN_TEXT_GROUP_SIZE))


def _check_majority(*, target: float, majority_share: float) -> None:
    if majority_share > target:
        raise FieldValueError(
            ("majority_share",),
            f"the majority share ({majority_share:.0%}) cannot exceed the target ({target:.0%}): "
            "the end of the old way is declared before every department is there",
        )


def _check_parents(*, departments: tuple[Department, ...]) -> None:
    """Every parent names one of the departments (a typo names the nearest known name)."""
    from backoffice_marketing.core.departments import unknown_parent  # noqa: PLC0415

    known = [unit.id for unit in departments]
    for index, unit in enumerate(departments):
        if unit.parent is not None and unit.parent not in known:
            raise FieldValueError(
                ("departments", index, "parent"), unknown_parent(unit.parent, known)
            )


@attrs.frozen
class Initiative:
    """The settings of one initiative, read by every producer, plan, report and command.

    ``departments`` keep the order given; ``calendar`` is a country code for
    national holidays (``"JP"``) or ``"none"`` for weekends only.
    """

    id: str = attrs.field(validator=matches(r"[a-z0-9]+(?:-[a-z0-9]+)*", "a kebab-case id"))
    name: LocalizedText
    playbook: str = attrs.field(validator=non_blank)
    start: dt.date
    departments: tuple[Department, ...] = attrs.field(
        converter=_departments, validator=unique_ids("id", "department id")
    )
    calendar: str = "JP"
    company_holidays: tuple[dt.date, ...] = attrs.field(default=(), converter=_dates)
    target: float = attrs.field(default=ADOPTION_TARGET, validator=_share)
    majority_share: float = attrs.field(default=MAJORITY_SHARE, validator=_share)
    lead_time_days: int = attrs.field(default=LEAD_TIME_DAYS, validator=at_least(0))
    notice_days: int = attrs.field(default=NOTICE_DAYS, validator=at_least(0))
    reply_days: int = attrs.field(default=REPLY_DAYS, validator=at_least(1))
    capacity: int = attrs.field(default=CENTRAL_TEAM_CAPACITY, validator=at_least(1))
    privacy: PrivacyFloors = PrivacyFloors()
    lang: str = attrs.field(default="ja", validator=_lang)

    _field_checks: ClassVar[tuple[FieldCheck, ...]] = (
        (("target", "majority_share"), _check_majority),
        (("departments",), _check_parents),
    )

    def __attrs_post_init__(self) -> None:
        run_field_checks(self, self._field_checks)

    def __repr__(self) -> str:
        return (
            f"<Initiative {self.id!r} playbook={self.playbook!r} departments="
            f"{len(self.departments)} target={self.target:.0%}>"
        )

    def _repr_html_(self) -> str:
        """The departments in the company's order, under the initiative's name and target."""
        from backoffice_marketing.foundation.text import resolve_lang  # noqa: PLC0415
        from backoffice_marketing.render.notebook import table_html  # noqa: PLC0415

        lang = resolve_lang(None)
        headers = (
            ("部署", "人数", "上位部署") if lang == "ja" else ("Department", "Headcount", "Parent")
        )
        caption = f"{self.name.get(lang)} ({self.start.isoformat()}, {self.target:.0%})"
        rows = ((unit.id, unit.headcount, unit.parent) for unit in self.departments)
        return table_html(headers, rows, numeric=(1,), caption=caption)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Load ``initiative.toml`` (or JSON, YAML); every problem is reported with its line."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

        return structure_document(read_document(path), cls)

    @classmethod
    def example(cls) -> Self:
        """The bundled chat-migration initiative of the demo (Case A)."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

        return structure_document(load_package_document(EXAMPLE), cls)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as TOML, JSON or YAML (chosen by the suffix of ``path``)."""
        from backoffice_marketing.foundation.io.converter import save_object  # noqa: PLC0415

        save_object(self, path)

    @property
    def headcounts(self) -> Mapping[str, int]:
        """Each department's headcount, in the order given."""
        return {unit.id: unit.headcount for unit in self.departments}

    @property
    def business_calendar(self) -> BusinessCalendar:
        """The business calendar of the initiative."""
        country = None if self.calendar.lower() == "none" else self.calendar
        return BusinessCalendar(country, company_holidays=frozenset(self.company_holidays))

    @property
    def plan_options(self) -> Mapping[str, int]:
        """The scheduling figures a plan takes: ``lead_time``, ``notice`` and ``capacity``."""
        return {
            "lead_time": self.lead_time_days,
            "notice": self.notice_days,
            "capacity": self.capacity,
        }

    def load_playbook(self) -> Playbook:
        """The initiative's playbook, with its exit criterion set to the initiative's target."""
        from backoffice_marketing.diagnosis.playbooks import load_playbook  # noqa: PLC0415

        playbook = load_playbook(self.playbook)
        exit_criterion = attrs.evolve(playbook.exit, target=self.target)
        if playbook.exit.target != self.target:
            # The playbook's words name its own figure ("9割"): say the initiative's instead.
            shown = f"{self.target * 100:g}"
            every = playbook.exit.scope.value == "every_department"
            exit_criterion = attrs.evolve(
                exit_criterion,
                description=LocalizedText(
                    f"{'すべての部署で' if every else '全社で'}、新しいやり方を使う人の割合が"
                    f"{shown}%以上になっていること。",
                    f"{'In every department' if every else 'Company-wide'}, at least {shown}% "
                    "of people use the new way.",
                ),
            )
        return attrs.evolve(playbook, exit=exit_criterion)

    def plan(self) -> Plan:
        """Schedule the playbook from ``start`` for the departments, on the initiative's calendar.

        The lead time, notice period and capacity of :attr:`plan_options` constrain it.
        """
        from backoffice_marketing.diagnosis.planning.plan import Plan  # noqa: PLC0415

        options: dict[str, Any] = dict(self.plan_options)
        return Plan.from_playbook(
            self.load_playbook(),
            start=self.start,
            departments=self.departments,
            calendar=self.business_calendar,
            **options,
        )
