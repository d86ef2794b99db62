"""The values a plan is made of: planned tasks, milestones and steps; and its JSON shape.

:class:`PlanRecord` is the shape of a plan's JSON (``schemas/plan.schema.json`` is
generated from it): the one converter turns a plan into it and then into plain data.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.checklist import STAGE_ID_PATTERN
from backoffice_marketing.core.departments import Department
from backoffice_marketing.diagnosis.playbooks import ExitCriterion, Milestone
from backoffice_marketing.foundation.io.shapes import (
    JSON_SCHEMA,
    record_of,
    shape_field,
    shape_record,
)
from backoffice_marketing.foundation.text import LocalizedText

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan

__all__ = ["PlanConstraints", "PlanRecord", "PlannedMilestone", "PlannedStep", "PlannedTask"]


@attrs.frozen
class PlannedTask:
    """One scheduled task: a playbook task for one round and, if per department, one department.

    ``start`` and ``finish`` are the first and last business day (equal for a
    milestone of zero days); ``slack`` is how many business days the task can
    slip without moving the plan's finish.
    """

    id: str
    task: str
    stage: str
    round: int | None = attrs.field(metadata={JSON_SCHEMA: {"minimum": 1}})
    department: str | None
    title: LocalizedText
    role: str
    duration: int = attrs.field(metadata={JSON_SCHEMA: {"minimum": 0}})
    start: dt.date
    finish: dt.date
    slack: int = attrs.field(metadata={JSON_SCHEMA: {"minimum": 0}})
    depends_on: tuple[str, ...]
    after_stages: tuple[str, ...]
    critical: bool
    milestone: Milestone | None = None
    deliverable: LocalizedText | None = None
    placeholder: bool = shape_field(default=False, added_later=True)


@attrs.frozen
class PlannedMilestone:
    """A milestone of the plan (approval, launch, cut-over) and its date."""

    kind: Milestone
    task: str
    date: dt.date


@attrs.frozen
class PlannedStep:
    """One step of a plan: a playbook task in one round, its per-department tasks collapsed."""

    id: str
    task: str
    stage: str
    round: int | None
    title: LocalizedText
    role: str
    start: dt.date
    finish: dt.date
    departments: tuple[str, ...]
    critical: bool
    milestone: Milestone | None
    placeholder: bool


@shape_record
@attrs.frozen(kw_only=True)
class PlanConstraints:
    """The scheduling constraints of a plan, as its JSON gives them.

    ``lead_time`` and ``notice`` are business days; ``capacity`` the sessions
    per business day, by role.
    """

    lead_time: int = shape_field(schema={"minimum": 0})
    notice: int = shape_field(schema={"minimum": 0})
    capacity: dict[str, int] = shape_field(
        schema={"additionalProperties": {"type": "integer", "minimum": 1}}
    )
    levelled: bool


@shape_record
@attrs.frozen(kw_only=True)
class PlanRecord:
    """The JSON shape of a plan: what ``Plan.to_dict()`` holds, key by key, every key present.

    ``champions`` are the champions to appoint by department id. ``constraints``
    and the tasks' ``placeholder`` are missing from plans written by 0.1.0.
    """

    playbook: str = shape_field(schema={"pattern": f"^{STAGE_ID_PATTERN}$"})
    start: dt.date
    finish: dt.date
    calendar: BusinessCalendar
    exit: ExitCriterion
    departments: tuple[Department, ...] = shape_field(schema={"minItems": 1})
    champion_ratio: int = shape_field(schema={"minimum": 1})
    constraints: PlanConstraints | None = shape_field(default=None, added_later=True)
    champions: dict[str, int] = shape_field(
        schema={"additionalProperties": {"type": "integer", "minimum": 1}}
    )
    milestones: tuple[PlannedMilestone, ...]
    critical_path: tuple[str, ...] = shape_field(schema={"uniqueItems": True})
    tasks: tuple[PlannedTask, ...]

    @classmethod
    def of(cls, plan: Plan) -> PlanRecord:
        """The record of ``plan``."""
        return record_of(
            cls,
            plan,
            playbook=plan.playbook.id,
            exit=plan.playbook.exit,
            constraints=record_of(PlanConstraints, plan, capacity=dict(plan.capacity)),
            champions=dict(plan.champion_counts),
        )
