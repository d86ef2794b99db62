"""Announcement plans: who hears about the change, through which channels, and when.

An :class:`AnnouncementPlan` lists dated messages (email, chat, intranet,
briefing session, newsletter, manager cascade), each addressed to some
departments or to all (``"*"``), around a launch date. Its review checks, for
every department:

* it is reached at all before the launch (``announcement.department-missed``);
* through at least ``min_channels`` channels (``announcement.single-channel``);
* on at least ``min_touches`` separate days (``announcement.no-repetition``);
* first with at least ``min_lead_business_days`` business days to spare,
  counted on a :class:`~backoffice_marketing.core.calendars.BusinessCalendar`
  (``announcement.short-lead``);
* by a second call after the launch (``announcement.no-second-call``,
  ``announcement.second-call-missed``);

and, for every message, that it does not land in a blackout period or on a
closed day. Given a :class:`ReachLog` (who was reached and who acknowledged,
one row per person and event), it adds reach and acknowledgement rates per
department, with departments under the privacy floor rolled up into their
parent (or "other") before any figure is shown.

A plan file (TOML, JSON or YAML)::

    schema_version = 1
    launch = 2025-04-01
    name = "Chat migration"

    [[departments]]
    id = "sales"
    headcount = 40

    [[messages]]
    on = 2025-03-03
    channel = "email"
    departments = ["*"]
"""

from __future__ import annotations

from backoffice_marketing.materials.announcements.plan import (
    ALL_DEPARTMENTS,
    AnnouncementPlan,
    Channel,
    MessageKind,
    PlannedMessage,
)
from backoffice_marketing.materials.announcements.reach import (
    ReachEvent,
    ReachLog,
    ReachRecord,
)
from backoffice_marketing.materials.announcements.review import (
    AnnouncementReview,
    DepartmentCoverage,
    GroupReach,
    PlanFinding,
)

__all__ = [
    "ALL_DEPARTMENTS",
    "AnnouncementPlan",
    "AnnouncementReview",
    "Channel",
    "DepartmentCoverage",
    "GroupReach",
    "MessageKind",
    "PlanFinding",
    "PlannedMessage",
    "ReachEvent",
    "ReachLog",
    "ReachRecord",
]
