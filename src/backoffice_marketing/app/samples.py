"""The bundled sample company: 20 departments, 1,400 people, two initiatives.

The files under ``data/examples`` are small and written by hand: the department
table (``company.csv``), the chat migration's self-assessment, hearings,
questions, official answers, draft announcement and announcement plan
(``chat-migration/``), and the one-on-one initiative of Case B
(``one-on-one/``). :func:`sample_file` gives their paths.

The roster (one row per person) and the chat usage log (one row per person and
day of use) are larger, so they are generated instead of shipped: the same
code and seed always give the same rows, byte for byte. The story they tell is
Case A of the domain guide: chat starts on :data:`LAUNCH`, most departments
move within a few weeks, three lag behind (the factory, the logistics centre
and the four-person Nagoya office), and a handful of contractors use chat
without being on the roster.

>>> from backoffice_marketing import samples
>>> len({row.user_id for row in samples.roster_rows()})
1400
>>> samples.sample_file("company.csv").name
'company.csv'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import random
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.departments import Department, coerce_departments
from backoffice_marketing.exceptions import (
    UnknownSampleError,
)
from backoffice_marketing.foundation.io.atomic import write_text_atomic

__all__ = [
    "AS_OF",
    "LAUNCH",
    "PLAN_START",
    "ROSTER_START",
    "RosterRow",
    "UnknownSampleError",
    "UsageRow",
    "company_departments",
    "roster_rows",
    "sample_file",
    "sample_files",
    "usage_rows",
    "write_readiness_survey",
    "write_roster",
    "write_usage",
    "write_weekly_usage",
]

#: The day the chat-migration plan starts: its launch milestone then falls on :data:`LAUNCH`.
PLAN_START = dt.date(2027, 2, 26)
#: The day chat starts in the sample company (the plan's launch milestone).
LAUNCH = dt.date(2027, 5, 17)
#: The last day of the sample usage log: six weeks and a half after the launch.
AS_OF = dt.date(2027, 6, 30)
#: The day every roster spell starts (the beginning of fiscal year 2027).
ROSTER_START = dt.date(2027, 4, 1)
#: The day the sample transfers take effect.
TRANSFER_DAY = dt.date(2027, 6, 1)

_SEED = 20270517
_DOMAIN = "sample.example"
_EXAMPLES = "examples"

#: How each department takes up chat: the business day (after the launch) by
#: which half of its eventual adopters have started, and the share that ever does.
_UPTAKE: dict[str, tuple[float, float]] = {
    "情報システム部": (1.0, 0.99),
    "経営企画部": (3.0, 0.99),
    "総務部": (6.0, 0.94),
    "人事部": (5.0, 0.95),
    "経理部": (8.0, 0.93),
    "営業本部": (5.0, 0.95),
    "東京営業部": (6.0, 0.94),
    "大阪営業部": (10.0, 0.92),
    "名古屋営業所": (18.0, 0.5),
    "マーケティング部": (3.0, 0.97),
    "商品開発部": (4.0, 0.96),
    "品質保証部": (9.0, 0.92),
    "製造部": (20.0, 0.5),
    "物流センター": (16.0, 0.6),
    "購買部": (8.0, 0.93),
    "カスタマーサポート部": (7.0, 0.94),
    "法務部": (11.0, 0.92),
    "広報部": (3.0, 0.97),
    "研究所": (5.0, 0.95),
    "海外事業部": (7.0, 0.93),
}
_DEFAULT_UPTAKE = (8.0, 0.9)
#: The chance that an adopter uses chat on a given business day, and on a day off.
_ACTIVE_ON_WORKDAY = 0.86
_ACTIVE_ON_DAY_OFF = 0.04
#: People who move on :data:`TRANSFER_DAY`: (person number, new department).
_TRANSFERS = ((17, "東京営業部"), (455, "人事部"), (980, "大阪営業部"))
#: Contractors who use chat but are not on the roster.
_CONTRACTORS = 6


@attrs.frozen
class RosterRow:
    """One person in one department from ``start`` to ``end`` (``None``: still there)."""

    user_id: str
    department: str
    parent: str | None
    start: dt.date
    end: dt.date | None


@attrs.frozen
class UsageRow:
    """One person's chat use on one day: when they were first active, and how many posts."""

    user_id: str
    timestamp: dt.datetime
    messages: int


def sample_file(name: str) -> Path:
    """The path of a bundled sample file, such as ``"chat-migration/questions.csv"``.

    Raises :class:`UnknownSampleError` (a ``KeyError``) with close names
    when ``name`` is not one of them; :func:`sample_files` lists them all.
    """
    root = resources.files("backoffice_marketing.data").joinpath(_EXAMPLES)
    known = sample_files()
    if name not in known:
        raise UnknownSampleError(name, known=known)
    return Path(str(root.joinpath(name)))


def sample_files() -> tuple[str, ...]:
    """The names of every bundled sample file, sorted."""
    root = Path(str(resources.files("backoffice_marketing.data").joinpath(_EXAMPLES)))
    return tuple(
        sorted(
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
        )
    )


def company_departments() -> tuple[Department, ...]:
    """The sample company's departments with their headcounts and parents."""
    return coerce_departments(sample_file("company.csv"))


def _user(number: int) -> str:
    return f"user{number:04d}@{_DOMAIN}"


def roster_rows() -> tuple[RosterRow, ...]:
    """The roster: every person of ``company.csv``, with three transfers on 1 June 2027."""
    departments = company_departments()
    parents = {department.id: department.parent for department in departments}
    moves = dict(_TRANSFERS)
    rows: list[RosterRow] = []
    number = 0
    for department in departments:
        for _ in range(department.headcount):
            number += 1
            user = _user(number)
            moved_to = moves.get(number)
            if moved_to is None:
                rows.append(RosterRow(user, department.id, department.parent, ROSTER_START, None))
                continue
            rows.append(
                RosterRow(
                    user,
                    department.id,
                    department.parent,
                    ROSTER_START,
                    TRANSFER_DAY - dt.timedelta(days=1),
                )
            )
            rows.append(RosterRow(user, moved_to, parents[moved_to], TRANSFER_DAY, None))
    return tuple(rows)


def _adoption_day(rng: random.Random, median: float, ceiling: float) -> float | None:
    """The business day (0 = launch) a person starts, or ``None`` if they never do."""
    if rng.random() >= ceiling:
        return None
    spread = median / 3.0 + 0.5
    uniform = min(max(rng.random(), 1e-9), 1 - 1e-9)
    return max(0.0, median + spread * math.log(uniform / (1.0 - uniform)))


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def usage_rows(
    *, start: dt.date = LAUNCH, end: dt.date = AS_OF, seed: int = _SEED
) -> Iterator[UsageRow]:
    """The chat usage log: a row per person and day of use, in time order per day.

    Timestamps carry the Japan time zone (UTC+09:00). Who starts when follows
    each department's uptake; a person who started uses chat on most business
    days and rarely on a day off. The same arguments give the same rows.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    calendar = BusinessCalendar()
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    people: list[tuple[str, float | None]] = []
    for row in roster_rows():
        if row.start != ROSTER_START:
            continue  # a transfer's second spell: the same person
        median, ceiling = _UPTAKE.get(row.department, _DEFAULT_UPTAKE)
        people.append((row.user_id, _adoption_day(rng, median, ceiling)))
    people.extend(
        (f"contractor{number:02d}@partner.example", _adoption_day(rng, 3.0, 1.0))
        for number in range(1, _CONTRACTORS + 1)
    )
    zone = dt.timezone(dt.timedelta(hours=9))
    business_day = -1
    for day in _days(LAUNCH, end):
        working = calendar.is_business_day(day)
        business_day += working
        if day < start:
            for _ in people:
                rng.random()
                rng.random()
            continue
        chance = _ACTIVE_ON_WORKDAY if working else _ACTIVE_ON_DAY_OFF
        rows: list[UsageRow] = []
        for user, adopted in people:
            draw, minute = rng.random(), rng.random()
            if adopted is None or adopted > business_day or draw >= chance:
                continue
            at = dt.datetime.combine(day, dt.time(8, 30), zone) + dt.timedelta(
                minutes=int(minute * 600)
            )
            rows.append(UsageRow(user, at, 1 + int(minute * 97) % 12))
        yield from sorted(rows, key=lambda row: (row.timestamp, row.user_id))


def _csv_text(header: tuple[str, ...], rows: Iterator[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_roster(path: str | os.PathLike[str]) -> Path:
    """Write the roster as CSV (``user_id,department,parent,start,end``); return the path."""
    rows = (
        (
            row.user_id,
            row.department,
            row.parent or "",
            row.start.isoformat(),
            row.end.isoformat() if row.end else "",
        )
        for row in roster_rows()
    )
    header = ("user_id", "department", "parent", "start", "end")
    return write_text_atomic(path, _csv_text(header, rows))


def write_usage(
    path: str | os.PathLike[str], *, start: dt.date = LAUNCH, end: dt.date = AS_OF
) -> Path:
    """Write the usage log as CSV (``user_id,timestamp,messages``); return the path."""
    rows = (
        (row.user_id, row.timestamp.isoformat(), str(row.messages))
        for row in usage_rows(start=start, end=end)
    )
    return write_text_atomic(path, _csv_text(("user_id", "timestamp", "messages"), rows))


def write_weekly_usage(inputs: Path) -> tuple[Path, ...]:
    """Write the sample usage log as one CSV per ISO week into ``inputs``; return the paths.

    ``init --example`` brings these (``usage-2027-W20.csv`` ...), the way a planner
    receives them, so that ``update`` and ``status`` tell the story at once.
    """
    weeks: dict[str, list[tuple[str, str, str]]] = {}
    for row in usage_rows():
        iso = row.timestamp.date().isocalendar()
        weeks.setdefault(f"{iso.year}-W{iso.week:02d}", []).append(
            (row.user_id, row.timestamp.isoformat(), str(row.messages))
        )
    written = []
    for week, rows in sorted(weeks.items()):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("user_id", "timestamp", "messages"))
        writer.writerows(rows)
        written.append(write_text_atomic(inputs / f"usage-{week}.csv", buffer.getvalue()))
    return tuple(written)


def write_readiness_survey(path: str | os.PathLike[str]) -> Path:
    """Write the sample readiness survey round as a Google Forms CSV export; return the path.

    It agrees with the hearings: the factory and the logistics centre lack
    devices (an ability barrier), see :mod:`backoffice_marketing.readiness.sample_survey`.
    """
    from backoffice_marketing.readiness.sample_survey import survey_csv  # noqa: PLC0415

    pairs = ((d.id, d.headcount) for d in company_departments())
    return write_text_atomic(path, survey_csv(pairs))
