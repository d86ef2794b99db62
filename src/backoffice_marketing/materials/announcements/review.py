"""The review of an announcement plan, department by department, with its reach."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.departments import Department, company_order
from backoffice_marketing.core.privacy import (
    MIN_GROUP_SIZE,
    Group,
    Suppression,
    check_min_group_size,
    roll_up,
)
from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.text import Lang, LocalizedText, resolve_lang
from backoffice_marketing.materials.catalogue import fill, rule_catalogue
from backoffice_marketing.materials.model import Severity

if TYPE_CHECKING:
    from backoffice_marketing.core.checklist import Answer

from backoffice_marketing.materials.announcements.channels import (
    CHANNEL_ORDER,
    Channel,
    MessageKind,
)
from backoffice_marketing.materials.announcements.plan import AnnouncementPlan, register_reviewer
from backoffice_marketing.materials.announcements.reach import ReachEvent, ReachLog

__all__ = [
    "AnnouncementReview",
    "DepartmentCoverage",
    "GroupReach",
    "PlanFinding",
    "review_plan",
]


@attrs.frozen
class PlanFinding:
    """A gap of an announcement plan: for which department, on which date or log line."""

    rule: str
    severity: Severity = attrs.field(converter=Severity)
    message: LocalizedText
    suggestion: LocalizedText
    department: str | None = None
    on: dt.date | None = None
    line: int | None = None


def _finding(
    rule: str,
    *,
    department: str | None = None,
    department_name: str | None = None,
    on: dt.date | None = None,
    line: int | None = None,
    ja: Mapping[str, object] | None = None,
    **extra: object,
) -> PlanFinding:
    """A finding of ``rule``; ``ja`` overrides parameters for the Japanese text."""
    info = rule_catalogue()[rule]
    params: dict[str, object] = {
        "department": department_name or department or "",
        "line": line if line is not None else "?",
        **extra,
    }
    japanese = {**params, **(ja or {})}
    message = LocalizedText(ja=fill(info.message, japanese).ja, en=fill(info.message, params).en)
    suggestion = LocalizedText(
        ja=fill(info.suggestion, japanese).ja, en=fill(info.suggestion, params).en
    )
    return PlanFinding(rule, info.severity, message, suggestion, department, on, line)


@attrs.frozen
class DepartmentCoverage:
    """How one department hears about the change."""

    department: str
    label: str
    channels: tuple[Channel, ...]
    touches: int
    first_message: dt.date | None
    lead_business_days: int | None
    second_call: bool
    briefing: bool
    two_channels: bool
    repeated: bool
    enough_lead: bool

    @property
    def reached(self) -> bool:
        """Whether any message reaches the department before the launch."""
        return self.first_message is not None


@attrs.frozen
class GroupReach:
    """Reach and acknowledgement of one published group (a department, or departments rolled up)."""

    group: str
    members: tuple[str, ...]
    headcount: int
    reached: int
    acknowledged: int

    @property
    def reach_rate(self) -> float:
        """The share of the group that was reached, in [0, 1]."""
        return self.reached / self.headcount

    @property
    def acknowledgement_rate(self) -> float:
        """The share of the group that acknowledged the message, in [0, 1]."""
        return self.acknowledged / self.headcount


@attrs.frozen(repr=False)
class AnnouncementReview(Report):
    """The review of an announcement plan: coverage per department, reach, findings."""

    report_kind: ClassVar[str] = "announcement_review"

    plan: AnnouncementPlan
    coverage: tuple[DepartmentCoverage, ...]
    findings: tuple[PlanFinding, ...]
    reach: tuple[GroupReach, ...] | None = None
    suppressed: tuple[Suppression, ...] = ()
    log_source: str | None = None
    logged_departments: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return (
            f"<AnnouncementReview departments={len(self.coverage)} findings={len(self.findings)}>"
        )

    def _data(self) -> dict[str, Any]:
        """Its fields, with the plan's departments in the review's order (its coverage's).

        The plan itself keeps its departments by id (the same plan whatever
        order its file lists them in); the review's JSON repeats them in the
        order given to :meth:`AnnouncementPlan.review` (the company's).
        """
        data = super()._data()
        rank = {entry.department: index for index, entry in enumerate(self.coverage)}
        data["plan"]["departments"] = sorted(
            data["plan"]["departments"], key=lambda unit: rank.get(unit["id"], len(rank))
        )
        return data

    def for_department(self, department: str) -> DepartmentCoverage:
        """The coverage of one department."""
        return next(entry for entry in self.coverage if entry.department == department)

    def answers(
        self, *, collected_on: dt.date | None = None, lang: Lang | None = None
    ) -> tuple[Answer, ...]:
        """Checklist answers for the announcement items this review can speak to."""
        from backoffice_marketing.materials.evidence import announcement_answers  # noqa: PLC0415

        return announcement_answers(self, collected_on=collected_on, lang=resolve_lang(lang))

    def _markdown(self, lang: Lang) -> str:
        """The review as Markdown: the department-by-channel grid, reach and findings."""
        from backoffice_marketing.materials.render import render_announcements  # noqa: PLC0415

        return render_announcements(self, lang, "md")

    def _html(self, lang: Lang) -> str:
        """The review as a standalone, escaped HTML page."""
        from backoffice_marketing.materials.render import render_announcements  # noqa: PLC0415

        return render_announcements(self, lang, "html")


def _business_days(calendar: BusinessCalendar, start: dt.date, end: dt.date) -> int:
    """The business days from ``start`` up to the day before ``end``."""
    count = 0
    day = start
    one = dt.timedelta(days=1)
    while day < end:
        if calendar.is_business_day(day):
            count += 1
        day += one
    return count


def _coverage(
    plan: AnnouncementPlan, department: Department, calendar: BusinessCalendar
) -> DepartmentCoverage:
    mine = [m for m in plan.messages if m.reaches(department.id)]
    before = [m for m in mine if m.on < plan.launch]
    channels = tuple(sorted({m.channel for m in before}, key=CHANNEL_ORDER.__getitem__))
    days = sorted({m.on for m in before})
    first = days[0] if days else None
    lead = _business_days(calendar, first, plan.launch) if first is not None else None
    return DepartmentCoverage(
        department=department.id,
        label=department.label,
        channels=channels,
        touches=len(days),
        first_message=first,
        lead_business_days=lead,
        second_call=any(m.kind is MessageKind.SECOND_CALL and m.on >= plan.launch for m in mine),
        briefing=Channel.BRIEFING in channels,
        two_channels=len(channels) >= plan.min_channels,
        repeated=len(days) >= plan.min_touches,
        enough_lead=lead is not None and lead >= plan.min_lead_business_days,
    )


def _coverage_findings(plan: AnnouncementPlan, entry: DepartmentCoverage) -> list[PlanFinding]:
    name = entry.label
    if not entry.reached:
        return [
            _finding(
                "announcement.department-missed", department=entry.department, department_name=name
            )
        ]
    found: list[PlanFinding] = []
    if not entry.two_channels:
        found.append(
            _finding(
                "announcement.single-channel",
                department=entry.department,
                channels=", ".join(c.label.en for c in entry.channels),
                ja={"channels": "・".join(c.label.ja for c in entry.channels)},
                count=len(entry.channels),
                minimum=plan.min_channels,
                department_name=name,
            )
        )
    if not entry.repeated:
        found.append(
            _finding(
                "announcement.no-repetition",
                department=entry.department,
                count=entry.touches,
                minimum=plan.min_touches,
                department_name=name,
            )
        )
    if not entry.enough_lead:
        found.append(
            _finding(
                "announcement.short-lead",
                department=entry.department,
                on=entry.first_message,
                days=entry.lead_business_days,
                minimum=plan.min_lead_business_days,
                department_name=name,
            )
        )
    return found


def _message_findings(plan: AnnouncementPlan, calendar: BusinessCalendar) -> list[PlanFinding]:
    found: list[PlanFinding] = []
    for message in plan.messages:
        blackout = next((r for r in calendar.blackouts if message.on in r), None)
        channel = message.channel.label.en
        channel_ja = {"channel": message.channel.label.ja}
        if blackout is not None:
            period = blackout.name or f"{blackout.start}–{blackout.end}"
            found.append(
                _finding(
                    "announcement.blackout",
                    on=message.on,
                    date=message.on.isoformat(),
                    period=period,
                    ja=channel_ja,
                    channel=channel,
                )
            )
            continue
        reason = calendar.closed_reason(message.on)
        if reason is not None:
            found.append(
                _finding(
                    "announcement.closed-day",
                    on=message.on,
                    date=message.on.isoformat(),
                    reason=reason,
                    ja=channel_ja,
                    channel=channel,
                )
            )
    return found


def _read_log(log: ReachLog | str | os.PathLike[str]) -> ReachLog:
    return log if isinstance(log, ReachLog) else ReachLog.from_file(log)


def _reach(
    plan: AnnouncementPlan, log: ReachLog, min_group_size: int
) -> tuple[tuple[GroupReach, ...], tuple[Suppression, ...], list[PlanFinding], frozenset[str]]:
    known = {department.id: department for department in plan.departments}
    reached: dict[str, set[str]] = {}
    acknowledged: dict[str, set[str]] = {}
    findings: list[PlanFinding] = []
    unknown_reported: set[str] = set()
    for record in log.records:
        if record.department not in known:
            if record.department not in unknown_reported:
                unknown_reported.add(record.department)
                findings.append(
                    _finding(
                        "announcement.log-unknown-department",
                        line=record.line,
                        department_name=record.department,
                    )
                )
            continue
        reached.setdefault(record.department, set()).add(record.person)
        if record.event is ReachEvent.ACKNOWLEDGED:
            acknowledged.setdefault(record.department, set()).add(record.person)
    groups: list[Group] = []
    counts: dict[str, tuple[int, int]] = {}
    for department in plan.departments:
        if department.headcount == 0:
            findings.append(
                _finding(
                    "announcement.headcount-missing",
                    department=department.id,
                    department_name=department.label,
                )
            )
            continue
        people = len(reached.get(department.id, ()))
        if people > department.headcount:
            findings.append(
                _finding(
                    "announcement.log-exceeds-headcount",
                    department=department.id,
                    people=people,
                    headcount=department.headcount,
                    department_name=department.label,
                )
            )
        ack = len(acknowledged.get(department.id, ()))
        counts[department.id] = (min(people, department.headcount), min(ack, department.headcount))
        groups.append(Group(department.id, department.headcount, department.parent))
    rolled = roll_up(groups, min_group_size=min_group_size)
    result: list[GroupReach] = []
    for group in rolled.published:
        people = sum(counts[member][0] for member in group.members)
        ack = sum(counts[member][1] for member in group.members)
        entry = GroupReach(group.id, group.members, group.size, people, ack)
        result.append(entry)
        label = known[group.id].label if group.id in known else None
        group_name = label or "other"
        names_ja = {"group": label or "その他"}
        if entry.reach_rate < plan.reach_target:
            findings.append(
                _finding(
                    "announcement.low-reach",
                    department=group.id,
                    rate=f"{entry.reach_rate:.0%}",
                    target=f"{plan.reach_target:.0%}",
                    ja=names_ja,
                    group=group_name,
                )
            )
        if entry.acknowledgement_rate < plan.acknowledgement_target:
            findings.append(
                _finding(
                    "announcement.low-acknowledgement",
                    department=group.id,
                    rate=f"{entry.acknowledgement_rate:.0%}",
                    target=f"{plan.acknowledgement_target:.0%}",
                    ja=names_ja,
                    group=group_name,
                )
            )
    return tuple(result), rolled.suppressed, findings, frozenset(reached)


def review_plan(
    plan: AnnouncementPlan,
    *,
    log: ReachLog | str | os.PathLike[str] | None = None,
    calendar: BusinessCalendar | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    order: Sequence[str] = (),
) -> AnnouncementReview:
    """Review ``plan`` department by department (see the module documentation).

    Departments follow ``order`` (the company's), then the rest by id.
    """
    k = check_min_group_size(min_group_size)
    rank = company_order(order)
    units = sorted(plan.departments, key=lambda unit: rank(unit.id))
    base = calendar if calendar is not None else BusinessCalendar()
    business = attrs.evolve(base, blackouts=(*base.blackouts, *plan.blackouts))
    coverage = tuple(_coverage(plan, department, business) for department in units)
    findings: list[PlanFinding] = []
    for entry in coverage:
        findings.extend(_coverage_findings(plan, entry))
    if not any(entry.second_call for entry in coverage):
        findings.append(_finding("announcement.no-second-call"))
    else:
        findings.extend(
            _finding(
                "announcement.second-call-missed",
                department=entry.department,
                department_name=entry.label,
            )
            for entry in coverage
            if not entry.second_call
        )
    findings.extend(_message_findings(plan, business))
    reach: tuple[GroupReach, ...] | None = None
    suppressed: tuple[Suppression, ...] = ()
    source: str | None = None
    logged: frozenset[str] = frozenset()
    if log is not None:
        read = _read_log(log)
        source = read.source
        reach, suppressed, extra, logged = _reach(plan, read, k)
        reach = tuple(sorted(reach, key=lambda entry: rank(entry.group)))
        findings.extend(extra)
    ordered = sorted(
        findings,
        key=lambda f: (
            f.department is not None,
            rank(f.department or ""),
            f.on or dt.date.min,
            f.line or 0,
            f.rule,
        ),
    )
    return AnnouncementReview(plan, coverage, tuple(ordered), reach, suppressed, source, logged)


register_reviewer(review_plan)
