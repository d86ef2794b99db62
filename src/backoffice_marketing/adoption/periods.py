"""Reporting periods: day, ISO week, month, fiscal quarter and fiscal year.

Dates are handled as day numbers (days since 1970-01-01), so that a period
key is integer arithmetic that every dataframe backend evaluates the same
way (no ``dt.truncate``, no duration methods). Weeks are ISO weeks (Monday
to Sunday, labelled ``%G-W%V``); fiscal years start in April by default and
are labelled by the calendar year they start in (``FY2024`` runs from April
2024 to March 2025, the Japanese 2024年度).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

__all__ = [
    "EPOCH",
    "Period",
    "PeriodSpec",
    "day_number",
    "from_day_number",
    "month_index_expr",
    "with_key",
]

EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()


def day_number(value: dt.date) -> int:
    """Days since 1970-01-01."""
    return value.toordinal() - _EPOCH_ORDINAL


def from_day_number(day: int) -> dt.date:
    """The date ``day`` days after 1970-01-01."""
    return dt.date.fromordinal(day + _EPOCH_ORDINAL)


class Period(enum.StrEnum):
    """The length of a reporting period."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    FISCAL_QUARTER = "fiscal_quarter"
    FISCAL_YEAR = "fiscal_year"


def _month_index(day: int) -> int:
    date = from_day_number(day)
    return date.year * 12 + date.month - 1


@attrs.frozen
class PeriodSpec:
    """A period length with its fiscal-year start month (April by default)."""

    period: Period = attrs.field(converter=Period)
    fiscal_year_start: int = 4

    def __attrs_post_init__(self) -> None:
        if isinstance(self.fiscal_year_start, bool) or self.fiscal_year_start not in range(1, 13):
            raise ValueError(
                f"fiscal_year_start must be a month number 1-12; found {self.fiscal_year_start!r}"
            )

    # -- Python side -----------------------------------------------------------------
    def key(self, day: int) -> int:
        """The integer key of the period holding ``day``."""
        if self.period is Period.DAY:
            return day
        if self.period is Period.WEEK:
            return (day + 3) // 7
        month = _month_index(day)
        if self.period is Period.MONTH:
            return month
        fiscal_month = month - (self.fiscal_year_start - 1)
        return fiscal_month // (3 if self.period is Period.FISCAL_QUARTER else 12)

    def bounds(self, key: int) -> tuple[int, int]:
        """The first and last day numbers of the period ``key``."""
        if self.period is Period.DAY:
            return key, key
        if self.period is Period.WEEK:
            return key * 7 - 3, key * 7 + 3
        months = {Period.MONTH: 1, Period.FISCAL_QUARTER: 3, Period.FISCAL_YEAR: 12}[self.period]
        offset = 0 if self.period is Period.MONTH else self.fiscal_year_start - 1
        first = key * months + offset
        after = first + months
        start = dt.date(first // 12, first % 12 + 1, 1)
        end = dt.date(after // 12, after % 12 + 1, 1)
        return day_number(start), day_number(end) - 1

    def label(self, key: int) -> str:
        """The display label of the period ``key`` (``2024-W05``, ``2024-04``, ``FY2024-Q1``)."""
        start, _ = self.bounds(key)
        first = from_day_number(start)
        if self.period is Period.DAY:
            return first.isoformat()
        if self.period is Period.WEEK:
            return first.strftime("%G-W%V")
        if self.period is Period.MONTH:
            return f"{first.year:04d}-{first.month:02d}"
        fiscal_month = first.year * 12 + first.month - 1 - (self.fiscal_year_start - 1)
        year = fiscal_month // 12
        if self.period is Period.FISCAL_YEAR:
            return f"FY{year:04d}"
        return f"FY{year:04d}-Q{fiscal_month % 12 // 3 + 1}"

    def keys_between(self, first_day: int, last_day: int) -> tuple[int, ...]:
        """Every period key from the one holding ``first_day`` to the one holding ``last_day``."""
        if last_day < first_day:
            return ()
        return tuple(range(self.key(first_day), self.key(last_day) + 1))

    # -- dataframe side --------------------------------------------------------------
    def key_expr(self, day: Any) -> Any:
        """A narwhals expression of the period key of the day-number expression ``day``."""
        if self.period is Period.DAY:
            return day
        if self.period is Period.WEEK:
            return (day + 3) // 7
        month = month_index_expr(day)
        if self.period is Period.MONTH:
            return month
        fiscal_month = month - (self.fiscal_year_start - 1)
        return fiscal_month // (3 if self.period is Period.FISCAL_QUARTER else 12)


def with_key(frame: Any, nw: Any, spec: PeriodSpec, day: str = "__day") -> Any:
    """``frame`` with ``__key``, the period of the day-number column ``day``, built in stages."""
    if spec.period in {Period.DAY, Period.WEEK}:
        return frame.with_columns(spec.key_expr(nw.col(day)).alias("__key"))
    frame = frame.with_columns((nw.col(day) + 719_468).alias("__z"))
    frame = frame.with_columns((nw.col("__z") // 146_097).alias("__era"))
    frame = frame.with_columns((nw.col("__z") - nw.col("__era") * 146_097).alias("__doe"))
    doe = nw.col("__doe")
    frame = frame.with_columns(
        ((doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365).alias("__yoe")
    )
    yoe = nw.col("__yoe")
    frame = frame.with_columns((doe - (365 * yoe + yoe // 4 - yoe // 100)).alias("__doy"))
    frame = frame.with_columns(((5 * nw.col("__doy") + 2) // 153).alias("__mp"))
    month = (yoe + nw.col("__era") * 400) * 12 + nw.col("__mp") + 2
    frame = frame.with_columns(month.alias("__month"))
    if spec.period is Period.MONTH:
        return frame.with_columns(nw.col("__month").alias("__key"))
    fiscal = nw.col("__month") - (spec.fiscal_year_start - 1)
    size = 3 if spec.period is Period.FISCAL_QUARTER else 12
    return frame.with_columns((fiscal // size).alias("__key"))


def month_index_expr(day: Any) -> Any:
    """``year * 12 + month - 1`` of a day-number expression (civil-from-days, integers only)."""
    z = day + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    # months counted from March: mp 0..9 are March..December of year yoe, 10..11 are
    # January..February of the next year; (yoe + era*400)*12 + mp + 2 is the month index.
    return (yoe + era * 400) * 12 + mp + 2
