"""Business-day calendars: national holidays, company holidays, blackouts, fiscal years.

National holidays come from the ``holidays`` package (``[calendar]`` extra),
which follows each year's official announcements; nothing is hand-typed here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import attrs

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.foundation.validators import FieldValueError, at_least

__all__ = ["BusinessCalendar", "DateRange", "national_holidays"]


@attrs.frozen
class DateRange:
    """An inclusive range of dates, such as a blackout around the fiscal year end."""

    start: dt.date
    end: dt.date
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise FieldValueError(
                ("end",), f"the range ends ({self.end}) before it starts ({self.start})"
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


@functools.cache
def national_holidays(country: str, year: int) -> dict[dt.date, str]:
    """The national holidays of ``country`` (ISO code, e.g. ``"JP"``) in ``year``, with names."""
    try:
        import holidays  # noqa: PLC0415  (optional extra, imported on use)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("calendar", "holidays") from error
    language = "ja" if country == "JP" else None
    try:
        table = holidays.country_holidays(country, years=year, language=language)
    except NotImplementedError:
        raise FieldValueError(
            ("country",), f"no national holidays are known for the country code {country!r}"
        ) from None
    return dict(sorted(table.items()))


def _dates(values: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(values)


def _ranges(values: Iterable[DateRange]) -> tuple[DateRange, ...]:
    return tuple(sorted(values, key=lambda r: (r.start, r.end, r.name or "")))


@attrs.frozen
class BusinessCalendar:
    """Which days are working days for an initiative.

    A day is a business day unless it is a weekend day, a national holiday of
    ``country`` (``None`` for none), a company holiday, inside the year-end
    closure (29 December to 3 January, common in Japanese companies) or inside
    a blackout period (for example the busy fiscal year end, when no rollout
    work should land on the field). Fiscal years start in
    ``fiscal_year_start_month`` (April by default) and are named by the
    calendar year they start in.
    """

    country: str | None = "JP"
    company_holidays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_dates)
    blackouts: tuple[DateRange, ...] = attrs.field(default=(), converter=_ranges)
    year_end_closure: bool = True
    fiscal_year_start_month: int = attrs.field(default=4, validator=at_least(1))
    weekend: frozenset[int] = frozenset({5, 6})

    def __attrs_post_init__(self) -> None:
        if self.fiscal_year_start_month > 12:
            raise FieldValueError(
                ("fiscal_year_start_month",),
                f"expected a month 1-12; found {self.fiscal_year_start_month}",
            )

    def closed_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a business day, or ``None`` when it is one."""
        if day.weekday() in self.weekend:
            return "weekend"
        if self.country is not None:
            name = national_holidays(self.country, day.year).get(day)
            if name is not None:
                return name
        if day in self.company_holidays:
            return "company holiday"
        if self.year_end_closure and (
            (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
        ):
            return "year-end closure"
        for blackout in self.blackouts:
            if day in blackout:
                return blackout.name or "blackout"
        return None

    def is_business_day(self, day: dt.date) -> bool:
        """Whether work on the initiative can happen on ``day``."""
        return self.closed_reason(day) is None

    def business_days(self, start: dt.date, count: int) -> list[dt.date]:
        """The first ``count`` business days on or after ``start``."""
        days: list[dt.date] = []
        day = start
        one = dt.timedelta(days=1)
        limit = start + dt.timedelta(days=max(3660, count * 3))
        while len(days) < count:
            if day > limit:
                raise ValueError(f"the calendar has fewer than {count} business days after {start}")
            if self.is_business_day(day):
                days.append(day)
            day += one
        return days

    def fiscal_year(self, day: dt.date) -> int:
        """The fiscal year of ``day`` (FY2027 runs from April 2027 to March 2028)."""
        return day.year if day.month >= self.fiscal_year_start_month else day.year - 1

    def fiscal_quarter(self, day: dt.date) -> int:
        """The fiscal quarter (1-4) of ``day``."""
        return (day.month - self.fiscal_year_start_month) % 12 // 3 + 1
