"""The old way's volume and cost: an adapter between the outcome metrics and the deck.

Where mail logs exist, the outcome metrics measure the old way; until then
(and for companies without logs) the deck reads the same record filled from
stated, overridable assumptions (:class:`~.costs.BaselineAssumptions`) and the
latest company-wide adoption. Either way the slide says where the figures
came from.
"""

from __future__ import annotations

import datetime as dt

import attrs

from backoffice_marketing.decks.costs import BaselineAssumptions
from backoffice_marketing.foundation.text import LocalizedText

__all__ = ["Baseline"]


@attrs.frozen
class Baseline:
    """The old way's time per person and in all, and its cost (``None`` without an hourly cost).

    ``old_way_share`` is the share of internal messages still sent the old
    way (1 before the launch); ``measured`` says whether the figures come from
    logs (the outcome metrics) or from ``origin``'s assumptions.
    """

    headcount: int
    hours_per_person_per_day: float
    working_days_per_year: int
    old_way_share: float
    hours_per_year: int
    cost_per_year: int | None
    measured: bool
    origin: LocalizedText
    as_of: dt.date | None = None

    @classmethod
    def from_assumptions(
        cls,
        assumptions: BaselineAssumptions,
        *,
        headcount: int,
        hourly_cost: float | None = None,
        old_way_share: float = 1.0,
        as_of: dt.date | None = None,
    ) -> Baseline:
        """The baseline from stated assumptions: internal email hours × people × days."""
        hours = round(
            assumptions.internal_hours_per_day
            * old_way_share
            * assumptions.working_days_per_year
            * headcount
        )
        return cls(
            headcount=headcount,
            hours_per_person_per_day=assumptions.internal_hours_per_day,
            working_days_per_year=assumptions.working_days_per_year,
            old_way_share=round(old_way_share, 4),
            hours_per_year=hours,
            cost_per_year=None if hourly_cost is None else round(hours * hourly_cost),
            measured=False,
            origin=assumptions.source,
            as_of=as_of,
        )
