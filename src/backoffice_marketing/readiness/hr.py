"""Case B, person by person, for HR only: managers who held no 1on1 in the last 30 days.

The 1on1 rollout works on individual managers, so HR needs names: who has not
held a 1on1 in the window, and, where the manager answered the readiness
survey under their own address, where they get stuck (their barrier point).
This list names individuals: it is a separate output marked confidential
(機密), the API asks for ``audience="hr"`` explicitly and refuses any other
audience, and nothing here feeds a department head's view or the dashboard.

The input is a manager roster with, per manager, the date of the last 1on1
or the number held in the window (``manager``, ``department`` and
``last_one_on_one`` or ``one_on_ones`` columns), or the 1on1 meetings of a
calendar export given as ``(organiser, day)`` pairs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import ClassVar, Literal

import attrs

from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import AudienceError, LoadError, Problem
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.readiness.barriers import DEFAULT_THRESHOLD, respondent_barriers
from backoffice_marketing.readiness.elements import Element
from backoffice_marketing.readiness.responses import SurveyRound
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.markdown import escape_markdown_cell
from backoffice_marketing.voice.storage import table_rows

__all__ = [
    "HR_AUDIENCE",
    "ManagerFollowUp",
    "ManagerRecord",
    "ManagerRow",
    "managers_without_one_on_one",
    "read_manager_roster",
    "records_from_calendar",
]

#: The only audience the manager list is for.
HR_AUDIENCE = "hr"
#: The window, in days, within which a manager should have held a 1on1.
WINDOW_DAYS = 30


@attrs.frozen
class ManagerRecord:
    """One manager: department, the last 1on1 (if known) and the count in the window (if known)."""

    manager: str
    department: str | None = None
    last_one_on_one: dt.date | None = None
    one_on_ones: int | None = None


def read_manager_roster(path: str | os.PathLike[str]) -> tuple[ManagerRecord, ...]:
    """Read a manager roster (CSV or xlsx); problems name the line and the column."""
    file = os.fspath(path)
    header, rows = table_rows(path)
    names = [name.strip().lower() for name in header]
    problems: list[Problem] = []
    if "manager" not in names:
        raise LoadError([Problem(file, 1, None, "", "missing the required column 'manager'")])
    if "last_one_on_one" not in names and "one_on_ones" not in names:
        raise LoadError(
            [Problem(file, 1, None, "", "expected a 'last_one_on_one' or 'one_on_ones' column")]
        )
    records: list[ManagerRecord] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        value = dict(zip(names, cells, strict=False))
        manager = str(value.get("manager") or "").strip()
        if not manager:
            problems.append(Problem(file, line, None, "manager", "blank manager"))
            continue
        if manager in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    None,
                    "manager",
                    f"{manager!r} is listed twice (line {seen[manager]})",
                )
            )
            continue
        seen[manager] = line
        last = _date(value.get("last_one_on_one"), file, line, problems)
        count = _count(value.get("one_on_ones"), file, line, problems)
        department = str(value.get("department") or "").strip() or None
        records.append(ManagerRecord(manager, department, last, count))
    if problems:
        raise LoadError(problems)
    return tuple(records)


def _date(value: object, file: str, line: int, problems: list[Problem]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(
            Problem(
                file, line, None, "last_one_on_one", f"expected a date YYYY-MM-DD; found {value!r}"
            )
        )
        return None


def _count(value: object, file: str, line: int, problems: list[Problem]) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    problems.append(
        Problem(file, line, None, "one_on_ones", f"expected a count of 0 or more; found {value!r}")
    )
    return None


def records_from_calendar(
    meetings: Iterable[tuple[str, dt.date]], departments: Mapping[str, str] | None = None
) -> tuple[ManagerRecord, ...]:
    """One record per organiser of 1on1 meetings, with the day of their latest one."""
    latest: dict[str, dt.date] = {}
    for organiser, day in meetings:
        if organiser not in latest or day > latest[organiser]:
            latest[organiser] = day
    names = dict(departments or {})
    return tuple(
        ManagerRecord(name, names.get(name), latest.get(name))
        for name in sorted(set(latest) | set(names))
    )


@attrs.frozen
class ManagerRow:
    """One manager without a 1on1 in the window, with their survey barrier where one exists."""

    manager: str
    department: str | None
    last_one_on_one: dt.date | None
    barrier: Element | None
    surveyed: bool


@attrs.frozen
class ManagerFollowUp(Report):
    """CONFIDENTIAL (機密), for HR only: managers who held no 1on1 in the window."""

    report_kind: ClassVar[str] = "manager_followup"

    audience: Literal["hr"]
    confidential: bool
    as_of: dt.date
    window_days: int
    managers: tuple[ManagerRow, ...]

    def __repr__(self) -> str:
        return f"<ManagerFollowUp CONFIDENTIAL audience=hr managers={len(self.managers)}>"

    def _markdown(self, lang: Lang) -> str:
        start = self.as_of - dt.timedelta(days=self.window_days)
        lines = [
            f"# {label('readiness_hr_title', lang)}",
            "",
            f"**{label('readiness_hr_notice', lang)}**",
            "",
            (
                f"- {label('readiness_hr_window', lang)}: "
                f"{start.isoformat()} – {self.as_of.isoformat()}"
            ),
            "",
        ]
        if not self.managers:
            return "\n".join([*lines, label("readiness_hr_empty", lang), ""])
        lines += [
            (
                f"| {label('readiness_manager', lang)} | {label('readiness_department', lang)} | "
                f"{label('readiness_last_one_on_one', lang)} | {label('readiness_barrier', lang)} |"
            ),
            "|---|---|---|---|",
        ]
        for row in self.managers:
            last = (
                row.last_one_on_one.isoformat()
                if row.last_one_on_one
                else label("readiness_none", lang)
            )
            if not row.surveyed:
                barrier = "—"
            elif row.barrier is None:
                barrier = label("readiness_no_barrier", lang)
            else:
                barrier = row.barrier.label(lang)
            lines.append(
                f"| {escape_markdown_cell(row.manager)} | "
                f"{escape_markdown_cell(row.department or '—')} "
                f"| {last} | {escape_markdown_cell(barrier)} |"
            )
        lines.append("")
        return "\n".join(lines)


def managers_without_one_on_one(
    records: Iterable[ManagerRecord],
    *,
    audience: str,
    as_of: dt.date,
    survey: SurveyRound | None = None,
    window_days: int = WINDOW_DAYS,
    threshold: float = DEFAULT_THRESHOLD,
) -> ManagerFollowUp:
    """HR's confidential list: the managers with no 1on1 in the ``window_days`` up to ``as_of``.

    ``audience`` must be ``"hr"``: any other audience raises
    :class:`~backoffice_marketing.exceptions.AudienceError`. A manager counts
    as without a 1on1 when the count in the window is 0, or else when the
    last 1on1 is older than the window (or unknown). ``survey`` adds each
    manager's barrier point, matched by the respondent (their address).
    """
    if audience != HR_AUDIENCE:
        raise AudienceError(audience, HR_AUDIENCE)
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1; found {window_days!r}")
    start = as_of - dt.timedelta(days=window_days)
    people = (
        {p.respondent: p for p in respondent_barriers(survey, threshold=threshold)}
        if survey
        else {}
    )
    rows = []
    for record in records:
        if record.one_on_ones is not None:
            missing = record.one_on_ones == 0
        else:
            missing = record.last_one_on_one is None or record.last_one_on_one <= start
        if not missing:
            continue
        person = people.get(record.manager)
        rows.append(
            ManagerRow(
                record.manager,
                record.department,
                record.last_one_on_one,
                person.barrier if person is not None and person.complete else None,
                person is not None and person.complete,
            )
        )
    rows.sort(key=lambda r: (r.department or "", r.manager))
    return ManagerFollowUp(
        audience="hr", confidential=True, as_of=as_of, window_days=window_days, managers=tuple(rows)
    )
