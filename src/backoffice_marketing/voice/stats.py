"""Response-time statistics of the question log, in business days.

Why business days: a back office promises "a reply within three business
days", not within 72 hours; questions arrive by form, chat and email without a
reliable clock time, and a weekend or a national holiday should not count
against the promise. The response time of a question is the number of
business days after the day it was received, up to and including the day of
the first reply: a same-day reply takes 0 days, a reply on the next business
day takes 1. The calendar is a :class:`~backoffice_marketing.core.calendars.BusinessCalendar`
(Japanese holidays by default).

- **median** and **90th percentile** are over the questions with a reply
  (answered, published or declined), by linear interpolation between the
  closest ranks (the usual "inclusive" method, as Excel's ``PERCENTILE.INC``);
- **share within the promise**: replied questions that took at most
  ``promised_days``, over those plus the open questions already older than
  the promise on ``as_of`` (open questions still inside the promise are not
  counted yet, since they may still be answered in time);
- **repeat-question rate after publication**: of the questions received
  after the first FAQ answer was published, the share whose theme already had
  a published answer when they arrived (the FAQ did not reach them).

Every figure is ``None`` when there is nothing to compute it from; rates are
always within [0, 1].
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.voice.display import ReportPart
from backoffice_marketing.voice.faq import Theme, themes_by_question
from backoffice_marketing.voice.questions import Question

__all__ = ["ResponseStats", "business_days_between", "percentile", "response_stats"]

_ONE_DAY = dt.timedelta(days=1)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` quantile of ``values`` by linear interpolation; ``None`` if empty."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be in [0, 1]; found {fraction!r}")
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    weight = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * weight


def business_days_between(start: dt.date, end: dt.date, calendar: BusinessCalendar) -> int:
    """How many business days fall after ``start`` up to and including ``end``."""
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        count += calendar.is_business_day(day)
        day += _ONE_DAY
    return count


@attrs.frozen
class ResponseStats(ReportPart):
    """Response-time figures of a question log (see the module docstring)."""

    _part: ClassVar[str] = "stats"
    report_kind: ClassVar[str] = "voice_response_stats"

    promised_days: int
    as_of: dt.date
    received: int
    replied: int
    open: int
    overdue: tuple[str, ...]
    median_days: float | None
    p90_days: float | None
    within_promise: float | None
    late: tuple[str, ...]
    repeats_after_publication: int
    received_after_publication: int

    @property
    def repeat_rate(self) -> float | None:
        """The share of questions after publication that the FAQ already answered."""
        if not self.received_after_publication:
            return None
        return self.repeats_after_publication / self.received_after_publication


def response_stats(
    questions: Iterable[Question],
    *,
    promised_days: int = 3,
    as_of: dt.date,
    calendar: BusinessCalendar | None = None,
    themes: Iterable[Theme] = (),
) -> ResponseStats:
    """Response-time statistics on ``as_of`` (questions received later are ignored)."""
    if isinstance(promised_days, bool) or not isinstance(promised_days, int) or promised_days < 0:
        raise ValueError(f"promised_days must be an integer >= 0; found {promised_days!r}")
    cal = calendar if calendar is not None else BusinessCalendar()
    pool = sorted(
        (q for q in questions if q.received_on <= as_of), key=lambda q: (q.received_on, q.id)
    )
    days: list[int] = []
    late: list[str] = []
    overdue: list[str] = []
    for question in pool:
        if question.status.replied and question.answered_on is not None:
            if question.answered_on > as_of:  # replied after the day looked at: still open then
                taken = None
            else:
                taken = business_days_between(question.received_on, question.answered_on, cal)
        else:
            taken = None
        if taken is not None:
            days.append(taken)
            if taken > promised_days:
                late.append(question.id)
        elif business_days_between(question.received_on, as_of, cal) > promised_days:
            overdue.append(question.id)
    judged = len(days) + len(overdue)
    within = len(days) - len(late)
    repeats, after = _repeats(pool, themes)
    return ResponseStats(
        promised_days=promised_days,
        as_of=as_of,
        received=len(pool),
        replied=len(days),
        open=len(pool) - len(days),
        overdue=tuple(sorted(overdue)),
        median_days=percentile(days, 0.5),
        p90_days=percentile(days, 0.9),
        within_promise=within / judged if judged else None,
        late=tuple(sorted(late)),
        repeats_after_publication=repeats,
        received_after_publication=after,
    )


def _repeats(pool: Sequence[Question], themes: Iterable[Theme]) -> tuple[int, int]:
    theme_list = tuple(themes)
    published = [
        theme.official.published_on
        for theme in theme_list
        if theme.official is not None and theme.official.published_on is not None
    ]
    if not published:
        return 0, 0
    first = min(published)
    of_question = themes_by_question(theme_list)
    after = [q for q in pool if q.received_on > first]
    repeats = 0
    for question in after:
        theme = of_question.get(question.id)
        official = theme.official if theme is not None else None
        if official is not None and official.published_on is not None:
            repeats += question.received_on > official.published_on
    return repeats, len(after)
