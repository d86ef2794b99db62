"""Checklist answers from adoption results (``source="adoption"``).

Which items these answer, and how:

* ``two_way.adoption-measured`` from a rates frame: done when every
  department is measured in at least ``min_periods`` periods (a trend, not a
  snapshot); partial with one period; not done when there is nothing.
* ``research.revisit-laggards`` from the laggards and the departments
  visited: the share of laggard departments visited.
* ``two_way.laggard-follow-up`` from the laggards and the departments where
  a cause was acted on: the share of laggard departments acted on.
* ``two_way.champions`` from champion coverage: the share of departments
  that have the champions they need.
* ``two_way.cutover-readiness`` from the cut-over advice: not done until the
  company-wide share passes the majority share (no declaration date yet);
  then the share of departments that enforcing on the advised date would not
  strand (done when none would), as in Case A.

No laggards means there is nothing to follow up: both laggard items are done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from backoffice_marketing.adoption.diffusion import CutoverAdvice
from backoffice_marketing.adoption.frames import collect, narwhals, require_columns, to_frame
from backoffice_marketing.adoption.funnel import ChampionCoverage
from backoffice_marketing.adoption.laggards import Laggard
from backoffice_marketing.checklist import Answer, Evidence

__all__ = [
    "SOURCE",
    "adoption_measured",
    "champions_in_place",
    "cutover_readiness",
    "laggard_follow_up",
    "laggards_revisited",
]

SOURCE = "adoption"


def _answer(
    item: str, share: float, on: dt.date | None, reference: str | None, note: str
) -> Answer:
    return Answer.from_share(item, share, Evidence(SOURCE, reference, on, note))


def adoption_measured(
    rates: Any,
    *,
    min_periods: int = 2,
    collected_on: dt.date | None = None,
    reference: str | None = None,
) -> Answer:
    """Answer ``two_way.adoption-measured``: is adoption measured per department over time."""
    nw = narwhals()
    frame = to_frame(rates, what="rates")
    require_columns(frame, ["department", "period"], what="<rates>")
    data = collect(frame.group_by("department").agg(nw.col("period").n_unique().alias("__n")))
    counts = [int(value) for value in data["__n"].to_list()]
    if not counts:
        return _answer(
            "two_way.adoption-measured", 0.0, collected_on, reference, "no adoption figures"
        )
    periods = min(counts)
    share = min(periods / max(min_periods, 1), 1.0)
    note = f"{len(counts)} departments, at least {periods} period(s) each"
    return _answer("two_way.adoption-measured", share, collected_on, reference, note)


def _share_of(laggards: Sequence[Laggard], done: Iterable[str]) -> tuple[float, str]:
    names = {lag.department for lag in laggards}
    if not names:
        return 1.0, "no laggard departments"
    covered = names & set(done)
    missing = sorted(names - covered)
    note = f"{len(covered)} of {len(names)} laggard departments"
    if missing:
        note += "; still to do: " + ", ".join(missing)
    return len(covered) / len(names), note


def laggards_revisited(
    laggards: Sequence[Laggard],
    visited: Iterable[str],
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
) -> Answer:
    """Answer ``research.revisit-laggards``: were the laggard departments visited."""
    share, note = _share_of(laggards, visited)
    return _answer("research.revisit-laggards", share, collected_on, reference, note)


def laggard_follow_up(
    laggards: Sequence[Laggard],
    acted_on: Iterable[str],
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
) -> Answer:
    """Answer ``two_way.laggard-follow-up``: was a cause acted on in each laggard department."""
    share, note = _share_of(laggards, acted_on)
    return _answer("two_way.laggard-follow-up", share, collected_on, reference, note)


def champions_in_place(
    coverage: Sequence[ChampionCoverage],
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
) -> Answer:
    """Answer ``two_way.champions``: does every department have the champions it needs."""
    if not coverage:
        return _answer("two_way.champions", 0.0, collected_on, reference, "no departments")
    met = [row for row in coverage if row.met]
    missing = sorted(row.department for row in coverage if not row.met)
    note = f"{len(met)} of {len(coverage)} departments covered"
    if missing:
        note += "; missing: " + ", ".join(missing)
    return _answer("two_way.champions", len(met) / len(coverage), collected_on, reference, note)


def cutover_readiness(
    advice: CutoverAdvice,
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
) -> Answer:
    """Answer ``two_way.cutover-readiness`` from the cut-over advice (Case A's order).

    Not done while the company-wide share has not passed the majority share
    (no declaration date); once it has, the share of departments that
    enforcing on the advised date would not strand (done when none would).
    """
    item = "two_way.cutover-readiness"
    if advice.declaration is None or advice.enforcement is None:
        latest = advice.company[-1][1] if advice.company else 0.0
        note = f"company-wide share {latest:.0%}, under the majority share {advice.majority:.0%}"
        return _answer(item, 0.0, collected_on, reference, note)
    total = len(advice.per_department)
    stranded = advice.stranded
    note = (
        f"declare on {advice.declaration.isoformat()}, enforce on "
        f"{advice.enforcement.isoformat()}; {total - len(stranded)} of {total} departments "
        f"forecast at {advice.target:.0%} by then"
    )
    if stranded:
        note += "; visit first: " + ", ".join(stranded)
    share = (total - len(stranded)) / total if total else 0.0
    return _answer(item, share, collected_on, reference, note)
