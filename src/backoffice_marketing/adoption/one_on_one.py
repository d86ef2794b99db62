"""Case B's outcome from a calendar export: who had a 1on1 with their manager lately.

The one-on-one playbook is done when managers actually meet each of their
people, not when they say they do. :func:`one_on_one_outcome` reads a
calendar export (one row per meeting: ``organizer``, ``attendees`` separated
by ``;`` or ``,``, ``start``; Outlook and Google exports map onto these with
``columns``) and a roster with a ``manager`` column, and gives per
department the share of members who had a 1on1 with their manager in the
``days`` (30) before ``as_of``. A 1on1 is a meeting whose people (organizer
and attendees) are exactly the member and their manager. Departments under
the privacy floor are not reported on their own (``suppressed``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path

import attrs

from backoffice_marketing.core.privacy import MIN_GROUP_SIZE
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.defaults import ADOPTION_TARGET
from backoffice_marketing.foundation.io.csv_rows import csv_rows, read_text_file

__all__ = ["CALENDAR_COLUMNS", "OneOnOneOutcome", "OneOnOneRate", "one_on_one_outcome"]

#: Our names of the calendar columns (map yours with ``columns``).
CALENDAR_COLUMNS = ("organizer", "attendees", "start")


@attrs.frozen
class OneOnOneRate:
    """One department: members with a manager, those who met them, the share, and ``done``."""

    department: str
    members: int
    met: int
    share: float
    done: bool
    suppressed: bool = False


@attrs.frozen
class OneOnOneOutcome:
    """The 1on1 outcome per department over ``since``..``as_of`` against ``target``."""

    as_of: dt.date
    since: dt.date
    target: float
    departments: tuple[OneOnOneRate, ...]

    @property
    def done(self) -> bool:
        """Whether every reported department meets the target."""
        shown = [entry for entry in self.departments if not entry.suppressed]
        return bool(shown) and all(entry.done for entry in shown)


def _people(text: str) -> list[str]:
    return [p.strip().lower() for p in re.split(r"[;,]", text) if p.strip()]


def _day(text: str) -> dt.date | None:
    value = text.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def one_on_one_outcome(
    calendar: str | os.PathLike[str],
    roster: str | os.PathLike[str],
    *,
    as_of: dt.date,
    days: int = 30,
    target: float = ADOPTION_TARGET,
    columns: Mapping[str, str] | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> OneOnOneOutcome:
    """The share of each department's members with a 1on1 with their manager lately.

    ``roster`` is a CSV with ``user_id``, ``department`` and ``manager``
    (the manager's ``user_id``; people without one are not members of the
    measure). Problems are reported together, with file, line and column.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1; found {days!r}")
    names = {name: (columns or {}).get(name, name) for name in CALENDAR_COLUMNS}
    problems: list[Problem] = []
    header, rows = csv_rows(read_text_file(Path(roster)), file=str(roster))
    problems.extend(
        Problem(str(roster), 1, None, name, f"missing column {name!r}")
        for name in ("user_id", "department", "manager")
        if name not in header
    )
    cal_header, meetings = csv_rows(read_text_file(Path(calendar)), file=str(calendar))
    problems.extend(
        Problem(str(calendar), 1, None, name, f"missing column {name!r}")
        for name in names.values()
        if name not in cal_header
    )
    if problems:
        raise LoadError(problems)
    since = as_of - dt.timedelta(days=days - 1)
    pairs: set[frozenset[str]] = set()
    for line, meeting in meetings:
        when = _day(meeting.get(names["start"]) or "")
        if when is None:
            problems.append(
                Problem(str(calendar), line, cal_header.index(names["start"]) + 1,
                        names["start"], "expected a date such as 2027-06-30")
            )  # fmt: skip
            continue
        if not since <= when <= as_of:
            continue
        people = {
            *_people(meeting.get(names["organizer"]) or ""),
            *_people(meeting.get(names["attendees"]) or ""),
        }
        if len(people) == 2:
            pairs.add(frozenset(people))
    if problems:
        raise LoadError(problems)
    members: dict[str, list[bool]] = {}
    for _, person in rows:
        user = (person.get("user_id") or "").strip().lower()
        manager = (person.get("manager") or "").strip().lower()
        department = (person.get("department") or "").strip()
        if not user or not manager or not department:
            continue
        members.setdefault(department, []).append(frozenset((user, manager)) in pairs)
    entries = []
    for department in sorted(members):
        flags = members[department]
        share = sum(flags) / len(flags)
        small = len(flags) < min_group_size
        entries.append(
            OneOnOneRate(
                department,
                len(flags),
                0 if small else sum(flags),
                0.0 if small else round(share, 6),
                done=not small and share >= target,
                suppressed=small,
            )
        )
    return OneOnOneOutcome(as_of, since, target, tuple(entries))
