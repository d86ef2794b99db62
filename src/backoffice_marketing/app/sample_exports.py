"""The sample company's Microsoft 365 exports: email activity and Teams user activity.

Daily "Email activity user details" and "Microsoft Teams user activity user
details" exports (``Report Period`` 1), in the columns the admin center
writes, for the sample company of :mod:`backoffice_marketing.app.samples`. They
tell the outcome's story: every department's email falls once chat starts,
except in 経理部 and 購買部, which are active in chat but still mail each
other, so their new way's share stays near half although nearly everyone
uses chat every week. Two weeks before :data:`~backoffice_marketing.app.samples.LAUNCH`
give the baseline.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
from pathlib import Path

from backoffice_marketing.app.samples import AS_OF, LAUNCH, roster_rows, usage_rows
from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.foundation.io.atomic import write_text_atomic

__all__ = ["BASELINE_START", "STILL_MAILING", "write_email_activity", "write_teams_activity"]

#: The first day of the baseline (two weeks before launch).
BASELINE_START = LAUNCH - dt.timedelta(days=14)
#: The departments active in chat that still mail each other.
STILL_MAILING = ("経理部", "購買部")
_SEED = 20270601
_PRODUCTS = "MICROSOFT 365 E3"
_EMAIL_HEADER = (
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
    "Last Activity Date", "Send Count", "Receive Count", "Read Count", "Meeting Created Count",
    "Meeting Interacted Count", "Assigned Products", "Has Other Action", "Report Period",
)  # fmt: skip
_TEAMS_HEADER = (
    "Report Refresh Date", "User Id", "User Principal Name", "Last Activity Date", "Is Deleted",
    "Deleted Date", "Assigned Products", "Team Chat Message Count", "Private Chat Message Count",
    "Call Count", "Meeting Count", "Post Messages", "Reply Messages", "Urgent Messages",
    "Meetings Organized Count", "Meetings Attended Count", "Has Other Action", "Is Licensed",
    "Report Period",
)  # fmt: skip


def _csv_text(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _name(user: str) -> str:
    return user.split("@", 1)[0].replace("user", "User ")


def write_email_activity(path: str | os.PathLike[str], *, end: dt.date = AS_OF) -> Path:
    """Write daily Email activity user detail rows from the baseline to ``end``; return the path."""
    calendar = BusinessCalendar()
    rng = random.Random(_SEED)  # noqa: S311  (synthetic data, not security)
    people = sorted({(row.user_id, row.department) for row in roster_rows() if row.end is None})
    rows: list[tuple[str, ...]] = []
    day = BASELINE_START
    while day <= end:
        if calendar.is_business_day(day):
            after = day >= LAUNCH
            for user, department in people:
                usual = 9.0
                if after:
                    usual = 5.0 if department in STILL_MAILING else 0.5
                sent = max(0, round(rng.gauss(usual, usual / 3)))
                received = sent * 2 + rng.randrange(4)
                read = max(0, received - rng.randrange(2))
                rows.append((
                    day.isoformat(), user, _name(user), "False", "", day.isoformat(), str(sent),
                    str(received), str(read), "0", "0", _PRODUCTS, "No", "1",
                ))  # fmt: skip
        day += dt.timedelta(days=1)
    return write_text_atomic(path, _csv_text(_EMAIL_HEADER, rows))


def write_teams_activity(path: str | os.PathLike[str], *, end: dt.date = AS_OF) -> Path:
    """Write daily Teams user activity user detail rows from the chat usage log; return the path."""
    rng = random.Random(_SEED + 1)  # noqa: S311  (synthetic data, not security)
    rows: list[tuple[str, ...]] = []
    for usage in usage_rows(end=end):
        if "@partner." in usage.user_id:
            continue  # guests do not appear in the tenant's own report
        day = usage.timestamp.date().isoformat()
        private = usage.messages
        team = rng.randrange(4)
        meetings = int(rng.random() < 0.3)
        rows.append((
            day, f"id-{usage.user_id.split('@', 1)[0]}", usage.user_id, day, "False", "",
            _PRODUCTS, str(team), str(private), str(int(rng.random() < 0.1)), str(meetings),
            str(team // 2), str(team - team // 2), "0", "0", str(meetings), "No", "Yes", "1",
        ))  # fmt: skip
    return write_text_atomic(path, _csv_text(_TEAMS_HEADER, rows))
