"""Readers for two real usage exports, giving usage events (``user_id``, ``date``, ``count``).

* **Microsoft 365 Teams user activity, user detail**: the CSV that Microsoft
  Graph's ``getTeamsUserActivityUserDetail`` returns (one file per day with
  ``date=YYYY-MM-DD``, or a ``D7``/``D30`` period). A row with a
  ``Last Activity Date`` becomes one event on that date; its count is the
  sum of the message, call and meeting counts present. Rows without a last
  activity date (people who never used Teams) give no event. The user id is
  the ``User Principal Name`` (usually the mail address); when the tenant
  conceals user names in reports, it is a hash that will not match the
  roster, so turn concealment off or map the ids first.
* **Slack member analytics** (the Members table of the analytics dashboard,
  exported as CSV): one row per member for the chosen date range. A row with
  a ``Last active`` date becomes one event on that date, counting
  ``Messages posted``. One export covers one range, so export one file per
  period (for example per week) to see activity in every period.

Both readers check the header and every row, and report all problems at
once with file, line and column.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from backoffice_marketing.adoption.frames import narwhals
from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.csv_rows import csv_rows, read_text_file

__all__ = [
    "SLACK_MEMBER_COLUMNS",
    "TEAMS_USER_DETAIL_COLUMNS",
    "read_slack_member_analytics",
    "read_teams_user_activity",
]

#: The header of getTeamsUserActivityUserDetail, as documented by Microsoft Graph (v1.0).
TEAMS_USER_DETAIL_COLUMNS = (
    "Report Refresh Date",
    "Tenant Display Name",
    "Shared Channel Tenant Display Names",
    "User Id",
    "User Principal Name",
    "Last Activity Date",
    "Is Deleted",
    "Deleted Date",
    "Assigned Products",
    "Team Chat Message Count",
    "Private Chat Message Count",
    "Call Count",
    "Meeting Count",
    "Post Messages",
    "Reply Messages",
    "Urgent Messages",
    "Meetings Organized Count",
    "Meetings Attended Count",
    "Ad Hoc Meetings Organized Count",
    "Ad Hoc Meetings Attended Count",
    "Scheduled One-time Meetings Organized Count",
    "Scheduled One-time Meetings Attended Count",
    "Scheduled Recurring Meetings Organized Count",
    "Scheduled Recurring Meetings Attended Count",
    "Audio Duration",
    "Video Duration",
    "Screen Share Duration",
    "Audio Duration In Seconds",
    "Video Duration In Seconds",
    "Screen Share Duration In Seconds",
    "Has Other Action",
    "Is Licensed",
    "Report Period",
)
_TEAMS_COUNTS = (
    "Team Chat Message Count",
    "Private Chat Message Count",
    "Call Count",
    "Meeting Count",
    "Post Messages",
    "Reply Messages",
)

#: The columns of Slack's member analytics CSV that the reader knows.
SLACK_MEMBER_COLUMNS = (
    "Name",
    "What I Do",
    "Account type",
    "Account created (UTC)",
    "Claimed Date (UTC)",
    "Deactivated date (UTC)",
    "Days active",
    "Days active (Desktop)",
    "Days active (Android)",
    "Days active (iOS)",
    "Messages posted",
    "Messages posted in channels",
    "Reactions added",
    "Last active (UTC)",
    "Last active (Desktop) (UTC)",
    "Last active (Android) (UTC)",
    "Last active (iOS) (UTC)",
    "Full name",
    "Display name",
    "User ID",
    "Email",
)
_SLACK_USER = ("Email", "User ID")
_SLACK_LAST_ACTIVE = ("Last active (UTC)", "Last active")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%b %d, %Y", "%B %d, %Y", "%m/%d/%Y")


def _read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    return csv_rows(read_text_file(path), file=str(path))


def _date(text: str) -> dt.date | None:
    value = text.strip()
    if " " in value and ":" in value:  # a timestamp: keep its date
        value = value.rsplit(" ", 1)[0] if value[:4].isdigit() else value
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _count(text: str | None) -> int | None:
    value = (text or "").strip()
    if not value:
        return 0
    return int(value) if value.isdigit() else None


def _frame(rows: Sequence[tuple[str, dt.date, int]], backend: str | None) -> Any:
    nw = narwhals()
    chosen = backend or _default_backend()
    data = {
        "user_id": [row[0] for row in rows],
        "date": [row[1] for row in rows],
        "count": [row[2] for row in rows],
    }
    schema = {"user_id": nw.String(), "date": nw.Date(), "count": nw.Int64()}
    return nw.from_dict(data, schema=schema, backend=chosen).to_native()


def _default_backend() -> str:
    import importlib.util  # noqa: PLC0415

    for name in ("polars", "pandas", "pyarrow"):
        if importlib.util.find_spec(name) is not None:
            return name
    return "pyarrow"  # pragma: no cover - pyarrow ships with the data extra's users


def _paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return sorted(Path(p) for p in paths)


_Columns = tuple[tuple[str, ...], str, str, tuple[str, ...]]


def read_teams_user_activity(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    user_column: str = "User Principal Name",
    backend: str | None = None,
) -> Any:
    """Usage events from one or more Teams user-activity user-detail CSV files.

    Returns a frame of ``backend`` (polars when installed, else pandas, else
    pyarrow) with ``user_id``, ``date`` and ``count``, one row per person and
    day (the largest count when files overlap), sorted.
    """

    def columns(_header: Sequence[str]) -> _Columns:
        return (user_column, "Last Activity Date"), user_column, "Last Activity Date", _TEAMS_COUNTS

    return _collect(paths, columns, backend)


def read_slack_member_analytics(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    user_column: str | None = None,
    backend: str | None = None,
) -> Any:
    """Usage events from one or more Slack member analytics CSV exports.

    The user id is the ``Email`` column when present, else ``User ID``
    (or ``user_column``); the date is ``Last active (UTC)``. Returns the
    same shape as :func:`read_teams_user_activity`.
    """

    def columns(header: Sequence[str]) -> _Columns:
        user = user_column or next((n for n in _SLACK_USER if n in header), _SLACK_USER[0])
        last = next((n for n in _SLACK_LAST_ACTIVE if n in header), _SLACK_LAST_ACTIVE[0])
        return (user, last), user, last, ("Messages posted",)

    return _collect(paths, columns, backend)


def _collect(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    columns: Callable[[Sequence[str]], _Columns],
    backend: str | None,
) -> Any:
    merged: dict[tuple[str, dt.date], int] = {}
    problems: list[Problem] = []
    for path in _paths(paths):
        header, records = _read(path)
        required, user, date, counts = columns(header)
        try:
            events = _events(
                path,
                header=header,
                records=records,
                required=required,
                user=user,
                date=date,
                counts=counts,
            )
        except LoadError as error:
            problems.extend(error.problems)
            continue
        for person, day, count in events:
            merged[(person, day)] = max(merged.get((person, day), 0), count)
    if problems:
        raise LoadError(problems)
    return _frame(sorted((p, d, c) for (p, d), c in merged.items()), backend)


def _events(
    path: Path,
    *,
    header: Sequence[str],
    records: Sequence[tuple[int, dict[str, str]]],
    required: Sequence[str],
    user: str,
    date: str,
    counts: Sequence[str],
) -> list[tuple[str, dt.date, int]]:
    missing = [name for name in required if name not in header]
    if missing:
        raise LoadError(
            [
                Problem(
                    str(path),
                    1,
                    None,
                    name,
                    f"missing column {name!r}; found {', '.join(header) or 'no header'}",
                )
                for name in missing
            ]
        )
    problems: list[Problem] = []
    events: list[tuple[str, dt.date, int]] = []
    column_of = {name: index + 1 for index, name in enumerate(header)}
    for line, record in records:
        person = (record.get(user) or "").strip()
        raw_date = (record.get(date) or "").strip()
        if not raw_date:
            continue  # never active: no event, the roster still counts the person
        if not person:
            problems.append(Problem(str(path), line, column_of[user], user, "missing user"))
            continue
        day = _date(raw_date)
        if day is None:
            problems.append(
                Problem(
                    str(path),
                    line,
                    column_of[date],
                    date,
                    f"expected a date such as 2024-04-01; found {raw_date!r}",
                )
            )
            continue
        total = 0
        for name in counts:
            if name not in header:
                continue
            value = _count(record.get(name))
            if value is None:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        column_of[name],
                        name,
                        f"expected a whole number; found {record.get(name)!r}",
                    )
                )
                continue
            total += value
        events.append((person, day, total))
    if problems:
        raise LoadError(problems)
    return events
