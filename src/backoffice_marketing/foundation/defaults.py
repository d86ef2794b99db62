"""The library's default figures, each written once.

Every producer, plan, report and CLI command takes these figures from
:class:`backoffice_marketing.Initiative` when one is given, and from here
otherwise. A figure that appears as a literal elsewhere in the code is a bug:
``tests/test_defaults.py`` looks for second copies.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADOPTION_TARGET",
    "CENTRAL_TEAM_CAPACITY",
    "LEAD_TIME_DAYS",
    "MAJORITY_SHARE",
    "MAX_PERIODS",
    "MAX_PLAN_YEARS",
    "MAX_REPEAT_ROUNDS",
    "MIN_COVERAGE_FOR_OK",
    "MIN_FIT_POINTS",
    "MIN_FIT_R2",
    "MIN_FORECAST_POINTS",
    "MIN_GROUP_SIZE",
    "MIN_TEXT_GROUP_SIZE",
    "NOTICE_DAYS",
    "REPLY_DAYS",
]

#: Share of a department's people active with the new way at which it counts as adopted.
ADOPTION_TARGET: Final = 0.9
#: Company-wide share at which the end of the old way may be declared (Company A declared
#: the end of internal email while a minority still used it; the declaration moved them).
MAJORITY_SHARE: Final = 0.7
#: Business days between the first announcement and the launch (``announcement.lead-time``).
LEAD_TIME_DAYS: Final = 10
#: Business days between declaring the end of the old way and enforcing it.
NOTICE_DAYS: Final = 20
#: Business days within which an official answer to a question is promised.
REPLY_DAYS: Final = 5
#: Sessions (interviews, briefings, visits) one team can run on one business day.
CENTRAL_TEAM_CAPACITY: Final = 3
#: Smallest group of people about whom a figure is published.
MIN_GROUP_SIZE: Final = 5
#: Smallest group of people whose free text (quotes, questions) is published.
MIN_TEXT_GROUP_SIZE: Final = 10
#: Fewest periods a diffusion curve is fitted to.
MIN_FIT_POINTS: Final = 3
#: Fewest periods a forecast date is drawn from (a curve through 3 points says little).
MIN_FORECAST_POINTS: Final = 4
#: Least share of the variance a fitted curve must explain (its r²) before its forecast
#: gives a date; below, the forecast says "not enough signal yet", with the figure.
MIN_FIT_R2: Final = 0.5
#: Most periods (days, weeks, months) one rate table may hold.
MAX_PERIODS: Final = 5_000
#: Most rounds a repeated stage may run.
MAX_REPEAT_ROUNDS: Final = 100
#: Longest plan, in years after its start.
MAX_PLAN_YEARS: Final = 10
#: Under this share of answered weight, a failure mode is shown as "too few answers", never
#: as OK (良好): a score on a tenth of the checklist says little.
MIN_COVERAGE_FOR_OK: Final = 0.5
