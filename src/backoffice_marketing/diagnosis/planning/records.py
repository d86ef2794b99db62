"""The values a plan is made of: planned tasks, milestones and steps."""

from __future__ import annotations

import datetime as dt

import attrs

from backoffice_marketing.diagnosis.playbooks import Milestone
from backoffice_marketing.foundation.text import LocalizedText

__all__ = ["PlannedMilestone", "PlannedStep", "PlannedTask"]


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
    round: int | None
    department: str | None
    title: LocalizedText
    role: str
    duration: int
    start: dt.date
    finish: dt.date
    slack: int
    depends_on: tuple[str, ...]
    after_stages: tuple[str, ...]
    critical: bool
    milestone: Milestone | None = None
    deliverable: LocalizedText | None = None
    placeholder: bool = False


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
