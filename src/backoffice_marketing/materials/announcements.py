"""Announcement plans: who hears about the change, through which channels, and when.

An :class:`AnnouncementPlan` lists dated messages (email, chat, intranet,
briefing session, newsletter, manager cascade), each addressed to some
departments or to all (``"*"``), around a launch date. Its review checks, for
every department:

* it is reached at all before the launch (``announcement.department-missed``);
* through at least ``min_channels`` channels (``announcement.single-channel``);
* on at least ``min_touches`` separate days (``announcement.no-repetition``);
* first with at least ``min_lead_business_days`` business days to spare,
  counted on a :class:`~backoffice_marketing.calendars.BusinessCalendar`
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

import datetime as dt
import enum
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Self

import attrs

from backoffice_marketing.calendars import BusinessCalendar, DateRange
from backoffice_marketing.departments import Department
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.io.csv_rows import csv_rows, read_text_file
from backoffice_marketing.io.limits import MAX_LOG_BYTES
from backoffice_marketing.materials.catalogue import fill, rule_catalogue
from backoffice_marketing.materials.model import Severity
from backoffice_marketing.privacy import (
    MIN_GROUP_SIZE,
    Group,
    Suppression,
    check_min_group_size,
    roll_up,
)
from backoffice_marketing.text import Lang, LocalizedText, display_language
from backoffice_marketing.validators import (
    FieldValueError,
    at_least,
    non_blank,
    non_empty,
    unique_ids,
    unit_interval,
)

if TYPE_CHECKING:
    from backoffice_marketing.checklist import Answer

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

#: Addresses a message to every department of the plan.
ALL_DEPARTMENTS = "*"
#: The largest reach log accepted (bytes).


class Channel(enum.StrEnum):
    """A way of telling people about a change."""

    EMAIL = "email"
    CHAT = "chat"
    INTRANET = "intranet"
    BRIEFING = "briefing"
    NEWSLETTER = "newsletter"
    MANAGER_CASCADE = "manager_cascade"

    @property
    def label(self) -> LocalizedText:
        """The channel's name in both languages."""
        return _CHANNEL_LABELS[self]


_CHANNEL_LABELS = {
    Channel.EMAIL: LocalizedText(ja="メール", en="email"),
    Channel.CHAT: LocalizedText(ja="チャット", en="chat"),
    Channel.INTRANET: LocalizedText(ja="イントラネット", en="intranet"),
    Channel.BRIEFING: LocalizedText(ja="説明会", en="briefing session"),
    Channel.NEWSLETTER: LocalizedText(ja="社内報", en="newsletter"),
    Channel.MANAGER_CASCADE: LocalizedText(ja="上司からの伝達", en="manager cascade"),
}
_CHANNEL_ORDER = {channel: index for index, channel in enumerate(Channel)}


class MessageKind(enum.StrEnum):
    """What a message is for: the first announcement, a reminder, or a call after launch."""

    ANNOUNCE = "announce"
    REMINDER = "reminder"
    SECOND_CALL = "second_call"


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
        sorted(values, key=lambda m: (m.on, _CHANNEL_ORDER[m.channel], m.departments, m.kind))
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
        from backoffice_marketing.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.io.documents import read_document  # noqa: PLC0415

        return structure_document(read_document(path), cls)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as TOML, JSON or YAML (chosen by the suffix of ``path``)."""
        from backoffice_marketing.io.converter import save_object  # noqa: PLC0415

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
    ) -> AnnouncementReview:
        """Check the plan (and, given a reach log, the reach) department by department."""
        return review_plan(self, log=log, calendar=calendar, min_group_size=min_group_size)


class ReachEvent(enum.StrEnum):
    """What a log row records: the person was reached, or also acknowledged the message."""

    REACHED = "reached"
    ACKNOWLEDGED = "acknowledged"


@attrs.frozen
class ReachRecord:
    """One row of a reach log: a person of a department was reached or acknowledged."""

    department: str = attrs.field(validator=non_blank)
    person: str = attrs.field(validator=non_blank, repr=False)
    event: ReachEvent = attrs.field(converter=ReachEvent)
    on: dt.date | None = None
    channel: Channel | None = None
    line: int | None = None


_LOG_COLUMNS = ("department", "person", "event")


def _records(values: Iterable[ReachRecord]) -> tuple[ReachRecord, ...]:
    return tuple(values)


@attrs.frozen
class ReachLog:
    """Who was reached by the announcements and who acknowledged them.

    Read it from a CSV file with the columns ``department``, ``person``,
    ``event`` (``reached`` or ``acknowledged``) and optionally ``date``
    (YYYY-MM-DD) and ``channel``. Person ids are only counted, never shown.
    """

    records: tuple[ReachRecord, ...] = attrs.field(converter=_records)
    source: str = "<log>"

    def __repr__(self) -> str:
        return f"<ReachLog {self.source!r} records={len(self.records)}>"

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str]) -> Self:
        """Read a log from a CSV file; every bad row is reported with its line and column."""
        file = str(path)
        return cls.from_text(
            read_text_file(path, limit=MAX_LOG_BYTES, what="reach log"), source=file
        )

    @classmethod
    def from_text(cls, text: str, *, source: str = "<log>") -> Self:
        """Read a log from CSV text."""
        columns, rows = csv_rows(text, file=source)
        missing = [name for name in _LOG_COLUMNS if name not in columns]
        if missing:
            found = ", ".join(columns) or "none"
            raise LoadError(
                [
                    Problem(
                        source,
                        1,
                        None,
                        "",
                        f"missing column(s) {', '.join(missing)}; found {found}",
                    )
                ]
            )
        records: list[ReachRecord] = []
        problems: list[Problem] = []
        for line, row in rows:
            record = _record(row, line, source, problems)
            if record is not None:
                records.append(record)
        if problems:
            raise LoadError(problems)
        return cls(tuple(records), source)


def _record(
    row: Mapping[str, str | None], line: int, source: str, problems: list[Problem]
) -> ReachRecord | None:
    values = {key: (value or "").strip() for key, value in row.items() if key is not None}
    before = len(problems)
    problems.extend(
        Problem(source, line, None, column, f"missing {column}")
        for column in _LOG_COLUMNS
        if not values.get(column)
    )
    event = values.get("event", "")
    if event and event not in tuple(ReachEvent):
        problems.append(
            Problem(
                source, line, None, "event", f"expected reached or acknowledged; found {event!r}"
            )
        )
    on: dt.date | None = None
    if values.get("date"):
        try:
            text = values["date"]
            if not text.isascii() or len(text) != 10 or text[4] != "-" or text[7] != "-":
                raise ValueError(text)  # noqa: TRY301  (one message for both failures)
            on = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(
                Problem(
                    source,
                    line,
                    None,
                    "date",
                    f"expected a date YYYY-MM-DD; found {values['date']!r}",
                )
            )
    channel: Channel | None = None
    if values.get("channel"):
        try:
            channel = Channel(values["channel"])
        except ValueError:
            choices = ", ".join(Channel)
            problems.append(
                Problem(
                    source,
                    line,
                    None,
                    "channel",
                    f"expected one of {choices}; found {values['channel']!r}",
                )
            )
    if len(problems) > before:
        return None
    return ReachRecord(values["department"], values["person"], ReachEvent(event), on, channel, line)


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

    def to_data(self) -> dict[str, object]:
        """The finding as plain data."""
        data: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": {"ja": self.message.ja, "en": self.message.en},
            "suggestion": {"ja": self.suggestion.ja, "en": self.suggestion.en},
        }
        if self.department is not None:
            data["department"] = self.department
        if self.on is not None:
            data["date"] = self.on.isoformat()
        if self.line is not None:
            data["line"] = self.line
        return data


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
class AnnouncementReview:
    """The review of an announcement plan: coverage per department, reach, findings."""

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

    def for_department(self, department: str) -> DepartmentCoverage:
        """The coverage of one department."""
        return next(entry for entry in self.coverage if entry.department == department)

    def answers(
        self, *, collected_on: dt.date | None = None, lang: Lang = "en"
    ) -> tuple[Answer, ...]:
        """Checklist answers for the announcement items this review can speak to."""
        from backoffice_marketing.materials.evidence import announcement_answers  # noqa: PLC0415

        return announcement_answers(self, collected_on=collected_on, lang=lang)

    def to_data(self) -> dict[str, object]:
        """The review as plain data (the body of :meth:`to_json`)."""
        from backoffice_marketing.materials.render import announcement_data  # noqa: PLC0415

        return announcement_data(self)

    def to_json(self) -> str:
        """The review as JSON, valid against ``schemas/materials_announcements.schema.json``."""
        from backoffice_marketing.materials.render import to_json  # noqa: PLC0415

        return to_json(self.to_data())

    def to_markdown(self, lang: Lang = "ja") -> str:
        """The review as Markdown: the department-by-channel grid, reach and findings."""
        from backoffice_marketing.materials.render import render_announcements  # noqa: PLC0415

        return render_announcements(self, lang, "md")

    def to_html(self, lang: Lang = "ja") -> str:
        """The review as a standalone, escaped HTML page."""
        from backoffice_marketing.materials.render import render_announcements  # noqa: PLC0415

        return render_announcements(self, lang, "html")

    def _repr_mimebundle_(self, **_: object) -> dict[str, str]:
        return {"text/markdown": self.to_markdown(display_language()), "text/plain": repr(self)}


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
    channels = tuple(sorted({m.channel for m in before}, key=_CHANNEL_ORDER.__getitem__))
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
    return log if isinstance(log, ReachLog) else ReachLog.from_csv(log)


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
) -> AnnouncementReview:
    """Review ``plan`` department by department (see the module documentation)."""
    k = check_min_group_size(min_group_size)
    base = calendar if calendar is not None else BusinessCalendar()
    business = attrs.evolve(base, blackouts=(*base.blackouts, *plan.blackouts))
    coverage = tuple(_coverage(plan, department, business) for department in plan.departments)
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
        findings.extend(extra)
    ordered = sorted(
        findings,
        key=lambda f: (f.department or "", f.on or dt.date.min, f.line or 0, f.rule),
    )
    return AnnouncementReview(plan, coverage, tuple(ordered), reach, suppressed, source, logged)
