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
from backoffice_marketing.core.checklist import Answer, Evidence
from backoffice_marketing.foundation.text import Lang, resolve_lang

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
    lang: Lang | None = None,
) -> Answer:
    """Answer ``two_way.adoption-measured``: is adoption measured per department over time."""
    ja = resolve_lang(lang) == "ja"
    nw = narwhals()
    frame = to_frame(rates, what="rates")
    require_columns(frame, ["department", "period"], what="<rates>")
    data = collect(frame.group_by("department").agg(nw.col("period").n_unique().alias("__n")))
    counts = [int(value) for value in data["__n"].to_list()]
    if not counts:
        note = "利用率の集計なし" if ja else "no adoption figures"
        return _answer("two_way.adoption-measured", 0.0, collected_on, reference, note)
    periods = min(counts)
    share = min(periods / max(min_periods, 1), 1.0)
    note = (
        f"{len(counts)}部署、各部署{periods}期間以上"
        if ja
        else f"{len(counts)} departments, at least {periods} period(s) each"
    )
    return _answer("two_way.adoption-measured", share, collected_on, reference, note)


def _share_of(
    laggards: Sequence[Laggard], done: Iterable[str], lang: Lang | None
) -> tuple[float, str]:
    ja = resolve_lang(lang) == "ja"
    names = {lag.department for lag in laggards}
    if not names:
        return 1.0, "遅れている部署なし" if ja else "no laggard departments"
    covered = names & set(done)
    missing = sorted(names - covered)
    if ja:
        note = f"遅れている{len(names)}部署中{len(covered)}部署"
        if missing:
            note += "。未対応: " + "、".join(missing)
    else:
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
    lang: Lang | None = None,
) -> Answer:
    """Answer ``research.revisit-laggards``: were the laggard departments visited."""
    share, note = _share_of(laggards, visited, lang)
    return _answer("research.revisit-laggards", share, collected_on, reference, note)


def laggard_follow_up(
    laggards: Sequence[Laggard],
    acted_on: Iterable[str],
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
    lang: Lang | None = None,
) -> Answer:
    """Answer ``two_way.laggard-follow-up``: was a cause acted on in each laggard department."""
    share, note = _share_of(laggards, acted_on, lang)
    return _answer("two_way.laggard-follow-up", share, collected_on, reference, note)


def champions_in_place(
    coverage: Sequence[ChampionCoverage],
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
    lang: Lang | None = None,
) -> Answer:
    """Answer ``two_way.champions``: does every department have the champions it needs."""
    ja = resolve_lang(lang) == "ja"
    if not coverage:
        note = "部署なし" if ja else "no departments"
        return _answer("two_way.champions", 0.0, collected_on, reference, note)
    met = [row for row in coverage if row.met]
    missing = sorted(row.department for row in coverage if not row.met)
    if ja:
        note = f"{len(coverage)}部署中{len(met)}部署で推進担当が足りている"
        if missing:
            note += "。不足: " + "、".join(missing)
    else:
        note = f"{len(met)} of {len(coverage)} departments covered"
        if missing:
            note += "; missing: " + ", ".join(missing)
    return _answer("two_way.champions", len(met) / len(coverage), collected_on, reference, note)


def cutover_readiness(
    advice: CutoverAdvice,
    *,
    collected_on: dt.date | None = None,
    reference: str | None = None,
    lang: Lang | None = None,
    declared_on: dt.date | None = None,
    outcome: Any = None,
) -> Answer:
    """Answer ``two_way.cutover-readiness`` from the cut-over advice (Case A's order).

    Not done while the company-wide share has not passed the majority share
    (no declaration date). A forecast or an advised date is never a
    declaration: without ``declared_on`` (a recorded decision) the answer is
    0, and the note shows the advised date as advice. Once declared, the
    share of departments whose outcome meets the exit rule (``outcome``, an
    :class:`~backoffice_marketing.adoption.exit_criteria.OutcomeEvaluation`),
    or else that enforcing would not strand.
    """
    item = "two_way.cutover-readiness"
    ja = resolve_lang(lang) == "ja"
    if advice.declaration is not None and declared_on is None:
        kind = (
            ("観測" if advice.declaration_observed else "予測")
            if ja
            else ("observed" if advice.declaration_observed else "forecast")
        )
        when = advice.declaration.isoformat()
        note = (
            f"終了の宣言は記録されていません(助言: {when} に宣言、{kind})"
            if ja
            else f"no declaration recorded (advice, {kind}: declare on {when})"
        )
        note += _outcome_note(outcome, ja)
        return _answer(item, 0.0, collected_on, reference, note)
    if advice.declaration is None or advice.enforcement is None:
        latest = advice.company[-1][1] if advice.company else 0.0
        note = (
            f"全社の利用率 {latest:.0%} は終了を宣言する利用率 {advice.majority:.0%} に届いていない"
            if ja
            else f"company-wide share {latest:.0%}, under the majority share {advice.majority:.0%}"
        )
        return _answer(item, 0.0, collected_on, reference, note)
    total = len(advice.per_department)
    stranded = advice.stranded
    declare, enforce = advice.declaration.isoformat(), advice.enforcement.isoformat()
    ready = total - len(stranded)
    if ja:
        note = (
            f"{declare} に宣言、{enforce} に停止。その時点で{total}部署中{ready}部署が"
            f"{advice.target:.0%}に届く見込み"
        )
        if stranded:
            note += "。先に訪問する部署: " + "、".join(stranded)
    else:
        note = (
            f"declare on {declare}, enforce on {enforce}; {ready} of {total} departments "
            f"forecast at {advice.target:.0%} by then"
        )
        if stranded:
            note += "; visit first: " + ", ".join(stranded)
    share = (total - len(stranded)) / total if total else 0.0
    if outcome is not None and outcome.departments:
        done = [entry for entry in outcome.departments if entry.done]
        share = len(done) / len(outcome.departments)
        note += _outcome_note(outcome, ja)
    return _answer(item, share, collected_on, reference, note)


def _outcome_note(outcome: Any, ja: bool) -> str:  # noqa: FBT001  (private)
    """The departments still relying on the old way, with their people (from the outcome)."""
    if outcome is None or not outcome.not_done:
        return ""
    parts = [
        (f"{e.department}(新方式{e.share:.0%}、メール中心{e.old_way_users}人)" if ja
         else f"{e.department} ({e.share:.0%} new way, {e.old_way_users} people on email)")
        for e in outcome.not_done
    ]  # fmt: skip
    return (
        ("。成果が未達: " + "、".join(parts)) if ja else ("; outcome not met: " + ", ".join(parts))
    )
