"""Hearings (field visits), what was heard, and how much of the company was heard.

A hearing is one visit or interview: when, which departments, who
interviewed, how many people took part, and the findings, each with the
field's own words as quotes. Coverage answers "did we hear the company before
we proposed?": the share of departments and of headcount heard within a
window before the proposal, and the departments never visited at all.
Revisits answer "did we go back to the lagging departments?".
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from backoffice_marketing.core.departments import (
    DepartmentsInput,
    coerce_departments,
    company_order,
)
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.foundation.validators import (
    FieldValueError,
    at_least,
    non_blank,
    non_empty,
)
from backoffice_marketing.voice._fields import id_list, no_separator, one_id, tuple_of_str
from backoffice_marketing.voice.display import ReportPart
from backoffice_marketing.voice.storage import load_log, save_log
from backoffice_marketing.voice.table_layout import TableLayout, child_column, column

__all__ = [
    "Coverage",
    "Hearing",
    "HearingFinding",
    "HearingLog",
    "HearingPurpose",
    "Revisit",
    "Sentiment",
    "coverage",
    "revisits",
]


class Sentiment(enum.StrEnum):
    """How the field felt about what it said."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class HearingPurpose(enum.StrEnum):
    """Why a hearing was held: to learn before planning, or to revisit a lagging department."""

    DISCOVERY = "discovery"
    REVISIT = "revisit"


def _modes(values: Iterable[FailureMode | str]) -> tuple[FailureMode, ...]:
    return tuple(sorted({FailureMode(value) for value in tuple_of_str(values)}))


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple_of_str(values)


def _quotes(_instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Require quotes that are non-blank and on one line each (a table cell holds one a line)."""
    for index, quote in enumerate(value):
        if not quote.strip() or "\n" in quote or "\r" in quote:
            raise FieldValueError(
                (attribute.name, index), f"expected a non-blank quote on one line; found {quote!r}"
            )


@attrs.frozen
class HearingFinding:
    """One thing heard: the interviewer's summary, tags, failure modes and quotes."""

    id: str = attrs.field(validator=[non_blank, one_id])
    text: str = attrs.field(validator=non_blank)
    tags: tuple[str, ...] = attrs.field(default=(), converter=id_list, validator=no_separator)
    failure_modes: tuple[FailureMode, ...] = attrs.field(default=(), converter=_modes)
    sentiment: Sentiment | None = None
    quotes: tuple[str, ...] = attrs.field(default=(), converter=_texts, validator=_quotes)


def _findings(values: Iterable[HearingFinding]) -> tuple[HearingFinding, ...]:
    return tuple(values)


@attrs.frozen
class Hearing:
    """One field visit or interview."""

    id: str = attrs.field(validator=[non_blank, one_id])
    held_on: dt.date
    departments: tuple[str, ...] = attrs.field(
        converter=id_list, validator=[non_empty, no_separator]
    )
    interviewer: str = attrs.field(validator=non_blank)
    participants: int = attrs.field(default=1, validator=at_least(1))
    purpose: HearingPurpose = attrs.field(
        default=HearingPurpose.DISCOVERY, converter=HearingPurpose
    )
    findings: tuple[HearingFinding, ...] = attrs.field(default=(), converter=_findings)


def _hearings(values: Iterable[Hearing]) -> tuple[Hearing, ...]:
    return tuple(values)


def _unique_findings(_instance: object, _attribute: object, value: tuple[Hearing, ...]) -> None:
    seen: dict[str, int] = {}
    for index, hearing in enumerate(value):
        if hearing.id in seen:
            raise FieldValueError(
                ("hearings", index, "id"),
                f"duplicate hearing id {hearing.id!r} (first at hearings[{seen[hearing.id]}])",
            )
        seen[hearing.id] = index
    found: dict[str, tuple[int, int]] = {}
    for index, hearing in enumerate(value):
        for position, finding in enumerate(hearing.findings):
            if finding.id in found:
                first = found[finding.id]
                raise FieldValueError(
                    ("hearings", index, "findings", position, "id"),
                    f"duplicate finding id {finding.id!r} "
                    f"(first at hearings[{first[0]}].findings[{first[1]}])",
                )
            found[finding.id] = (index, position)


@attrs.frozen
class HearingLog:
    """Every hearing held for an initiative; hearing ids and finding ids are unique."""

    TABLE_LAYOUT: ClassVar[TableLayout] = TableLayout(
        "hearings",
        (
            column("id", "id", required=True),
            column("held_on", "date", required=True),
            column("departments", "ids", required=True),
            column("interviewer", "id", required=True),
            column("participants", "int"),
            column("purpose", "id"),
            child_column("finding_id", "id", "id"),
            child_column("finding", "text", "text"),
            child_column("tags", "ids", "tags"),
            child_column("failure_modes", "ids", "failure_modes"),
            child_column("sentiment", "id", "sentiment"),
            child_column("quotes", "lines", "quotes"),
        ),
        child_field="findings",
    )

    hearings: tuple[Hearing, ...] = attrs.field(
        default=(), converter=_hearings, validator=_unique_findings
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> HearingLog:
        """Load from CSV, xlsx (one row per finding), JSON, YAML or TOML."""
        return load_log(HearingLog, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        save_log(self, path)

    def __iter__(self) -> Iterator[Hearing]:
        return iter(self.hearings)

    def __len__(self) -> int:
        return len(self.hearings)

    def __repr__(self) -> str:
        return f"<HearingLog hearings={len(self.hearings)} findings={len(self.findings)}>"

    @functools.cached_property
    def findings(self) -> Mapping[str, tuple[Hearing, HearingFinding]]:
        """Every finding by id, with the hearing it came from."""
        return {
            finding.id: (hearing, finding)
            for hearing in self.hearings
            for finding in hearing.findings
        }

    def visited(self, *, since: dt.date | None = None, until: dt.date | None = None) -> set[str]:
        """The departments heard in the period (inclusive; open ends when ``None``)."""
        return {
            department
            for hearing in self.hearings
            if (since is None or hearing.held_on >= since)
            and (until is None or hearing.held_on <= until)
            for department in hearing.departments
        }


@attrs.frozen
class Coverage(ReportPart):
    """How much of the company was heard before the proposal."""

    _part: ClassVar[str] = "coverage"
    report_kind: ClassVar[str] = "voice_coverage"

    window_start: dt.date
    proposal_on: dt.date
    departments: tuple[str, ...]
    heard: tuple[str, ...]
    not_heard: tuple[str, ...]
    never_visited: tuple[str, ...]
    unknown: tuple[str, ...]
    headcount: int
    headcount_heard: int

    @property
    def department_share(self) -> float | None:
        """Departments heard in the window over all departments."""
        return len(self.heard) / len(self.departments) if self.departments else None

    @property
    def headcount_share(self) -> float | None:
        """People in departments heard in the window over everyone (``None`` if headcount is 0)."""
        return self.headcount_heard / self.headcount if self.headcount else None


def coverage(
    log: HearingLog,
    departments: DepartmentsInput,
    *,
    proposal_on: dt.date,
    window_days: int = 90,
) -> Coverage:
    """Coverage of ``departments`` by hearings within ``window_days`` up to ``proposal_on``.

    Departments named in hearings but not among ``departments`` are listed in
    ``unknown`` (a typo, or a department missing from the roster), never dropped
    silently. Department objects (an initiative's) give the order of the lists;
    a mapping is listed by name.
    """
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise ValueError(f"window_days must be an integer >= 0; found {window_days!r}")
    sizes = (
        dict(departments)
        if isinstance(departments, Mapping)
        else {unit.id: unit.headcount for unit in coerce_departments(departments, allow_empty=True)}
    )
    start = proposal_on - dt.timedelta(days=window_days)
    in_window = log.visited(since=start, until=proposal_on)
    ever = log.visited()
    names = tuple(sorted(sizes)) if isinstance(departments, Mapping) else tuple(sizes)
    heard = tuple(name for name in names if name in in_window)
    return Coverage(
        window_start=start,
        proposal_on=proposal_on,
        departments=names,
        heard=heard,
        not_heard=tuple(name for name in names if name not in in_window),
        never_visited=tuple(name for name in names if name not in ever),
        unknown=tuple(sorted(ever - set(sizes))),
        headcount=sum(sizes.values()),
        headcount_heard=sum(sizes[name] for name in heard),
    )


@attrs.frozen
class Revisit:
    """Whether a lagging department was visited again, and when first."""

    department: str
    revisited_on: dt.date | None

    @property
    def done(self) -> bool:
        """Whether the department was revisited."""
        return self.revisited_on is not None


def revisits(
    log: HearingLog,
    laggards: Iterable[str],
    *,
    since: dt.date,
    until: dt.date | None = None,
    order: Sequence[str] = (),
) -> tuple[Revisit, ...]:
    """For each lagging department, the first hearing in ``since``..``until`` that covered it.

    Any hearing counts, whatever its purpose: what matters is that someone went back.
    ``until`` (inclusive; open when ``None``) keeps a report as of a day from
    counting visits that had not happened yet. Departments follow ``order``
    (the company's), then the rest by name.
    """
    result: list[Revisit] = []
    for department in sorted(set(laggards), key=company_order(order)):
        dates = [
            hearing.held_on
            for hearing in log.hearings
            if hearing.held_on >= since
            and (until is None or hearing.held_on <= until)
            and department in hearing.departments
        ]
        result.append(Revisit(department, min(dates, default=None)))
    return tuple(result)
