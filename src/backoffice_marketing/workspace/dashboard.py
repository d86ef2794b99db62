"""The workspace dashboard: one self-contained HTML file for 部門長 and the project team.

No server, no network, no scripts, no web fonts: inline SVG charts and the
house stylesheet, so the file works opened from a file share, attached to a
mail or embedded in an intranet page (SharePoint, a Teams tab, kintone).

It shows a one-line status, the adoption trend per department (flagged
departments in colour), a scorecard per department for its head (rate, change
since the previous period, open questions, champions, next action), the
plan's Gantt chart with a line for today, the gap report and the FAQ.
``department=`` makes the view of one department: its own card and trend
only, with the company-wide plan and FAQ; figures follow the privacy floors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from backoffice_marketing.core.report import markdown_to_html
from backoffice_marketing.foundation.text import Lang, LocalizedText, check_lang
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.svg_charts import ChartTexts, pair_trend_svg, trend_svg
from backoffice_marketing.workspace.department_view import (
    company_trend,
    company_views,
    cutover_date,
    department_view,
)
from backoffice_marketing.workspace.run import departments_of, week_status

if TYPE_CHECKING:
    from backoffice_marketing.workspace.run import WorkspaceState

__all__ = ["Scorecard", "dashboard_html", "department_html", "scorecards"]


@attrs.frozen
class Scorecard:
    """One department's card: where it stands and what to do next."""

    department: str
    rate: float | None
    change: float | None
    reach: float | None
    flagged: bool
    open_questions: int | None
    champions: int
    next_action: LocalizedText | None


def scorecards(state: WorkspaceState) -> tuple[Scorecard, ...]:
    """A card per department, in the initiative's order."""
    series = state.series()
    champions = dict(state.plan.champion_counts)
    sizes = state.initiative.headcounts
    reach = dict(state.reach)
    open_by: dict[str, int] = {}
    for question in state.questions:
        if question.answered_on is None and question.department:
            open_by[question.department] = open_by.get(question.department, 0) + 1
    visits = (
        {e.department: e for e in state.classification.needing_visit}
        if state.classification is not None
        else {}
    )
    cards = []
    for name in departments_of(state):
        points = series.get(name, [])
        rate = points[-1][1] if points else None
        change = points[-1][1] - points[-2][1] if len(points) >= 2 else None
        entry = visits.get(name)
        small = sizes.get(name, 0) < state.initiative.privacy.figures
        cards.append(
            Scorecard(
                department=name,
                rate=rate,
                change=change,
                reach=reach.get(name),
                flagged=entry is not None,
                open_questions=None if small else open_by.get(name, 0),
                champions=champions.get(name, 0),
                next_action=None
                if entry is None
                else LocalizedText(
                    f"訪問する: {entry.explanation.ja}", f"Visit: {entry.explanation.en}"
                ),
            )
        )
    return tuple(cards)


def _field_faq(state: WorkspaceState, lang: Lang) -> str | None:
    """The FAQ as the field sees it: the published answers, without the planner's backlog."""
    if state.faq is None:
        return None
    field = state.faq.field_copy()
    return markdown_to_html(field.to_markdown(lang=lang))


def department_html(state: WorkspaceState, department: str, *, lang: Lang = "ja") -> str:
    """One department's page: its first screen holds the outcome, barrier and next action."""
    from backoffice_marketing.render.environment import render  # noqa: PLC0415

    chosen = check_lang(lang)
    view = department_view(state, department)
    chart = (
        pair_trend_svg(
            view.trend,
            company_trend(state),
            names=(department, label("dv_company", chosen)),
            target=state.initiative.target,
            texts=ChartTexts(
                title=label("dv_trend", chosen),
                period=label("adoption_period", chosen),
                rate=label("adoption_rate", chosen),
                target=label("adoption_target", chosen),
            ),
        )
        if view.trend
        else None
    )
    return render(
        "department.html.j2",
        chosen,
        state=state,
        view=view,
        chart=chart,
        faq=_field_faq(state, chosen),
    )


def dashboard_html(
    state: WorkspaceState, *, lang: Lang = "ja", department: str | None = None
) -> str:
    """The dashboard as one self-contained HTML page (autoescaped; inline SVG only).

    With ``department``, the page of that department (:func:`department_html`);
    without, the company view: one card per department, furthest behind first,
    and everything else collapsed below it.
    """
    from backoffice_marketing.render.environment import render  # noqa: PLC0415
    from backoffice_marketing.render.plan import plan_gantt_svg  # noqa: PLC0415

    chosen = check_lang(lang)
    if department is not None:
        return department_html(state, department, lang=chosen)
    cards = scorecards(state)
    series = state.series()
    texts = ChartTexts(
        title=label("adoption_chart_title", chosen),
        period=label("adoption_period", chosen),
        rate=label("adoption_rate", chosen),
        target=label("adoption_target", chosen),
    )
    trend = (
        trend_svg(
            series,
            order=state.order,
            highlight=state.flagged,
            target=state.initiative.target,
            texts=texts,
        )
        if series
        else None
    )
    status = week_status(state)
    company = company_trend(state)
    return render(
        "dashboard.html.j2",
        chosen,
        state=state,
        status=status,
        summary=status.summary(chosen),
        views=company_views(state),
        company_rate=company[-1][1] if company else None,
        cutover=cutover_date(state),
        cards=cards,
        champions=dict(state.plan.champion_counts)
        | {
            card.department: dict(state.plan.champion_counts).get(card.department, 0)
            for card in cards
        },
        trend=trend,
        gantt=plan_gantt_svg(state.plan, chosen, today=state.as_of),
        gap=state.gap_report,
        faq=_field_faq(state, chosen),
        load=(
            markdown_to_html(state.load.to_markdown(lang=chosen))
            if state.load is not None
            else None
        ),
        pages=(),
    )
