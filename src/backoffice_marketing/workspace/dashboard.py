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

from backoffice_marketing.text import Lang, LocalizedText

if TYPE_CHECKING:
    from backoffice_marketing.workspace.run import WorkspaceState

__all__ = ["Scorecard", "dashboard_html", "scorecards"]


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


def _visit(why: LocalizedText) -> LocalizedText:
    return LocalizedText(f"訪問する: {why.ja}", f"Visit: {why.en}")


def scorecards(state: WorkspaceState) -> tuple[Scorecard, ...]:
    """A card per department, in the initiative's order."""
    from backoffice_marketing.workspace.run import departments_of  # noqa: PLC0415

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


def dashboard_html(
    state: WorkspaceState, *, lang: Lang = "ja", department: str | None = None
) -> str:
    """The dashboard as one self-contained HTML page (autoescaped; inline SVG only)."""
    from backoffice_marketing.render.environment import render  # noqa: PLC0415
    from backoffice_marketing.render.labels import label  # noqa: PLC0415
    from backoffice_marketing.render.plan import plan_gantt_svg  # noqa: PLC0415
    from backoffice_marketing.render.svg_charts import ChartTexts, trend_svg  # noqa: PLC0415
    from backoffice_marketing.report import markdown_to_html  # noqa: PLC0415
    from backoffice_marketing.text import check_lang  # noqa: PLC0415
    from backoffice_marketing.workspace.run import week_status  # noqa: PLC0415

    chosen = check_lang(lang)
    cards = scorecards(state)
    series = state.series()
    if department is not None:
        cards = tuple(card for card in cards if card.department == department)
        series = {name: points for name, points in series.items() if name == department}
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
            highlight=state.flagged if department is None else frozenset(series),
            target=state.initiative.target,
            texts=texts,
        )
        if series
        else None
    )
    status = week_status(state)
    gap = (
        markdown_to_html(state.gap_report.to_markdown(lang=chosen))
        if state.gap_report is not None and department is None
        else None
    )
    faq = markdown_to_html(state.faq.to_markdown(lang=chosen)) if state.faq is not None else None
    return render(
        "dashboard.html.j2",
        chosen,
        state=state,
        status=status,
        summary=status.summary(chosen),
        department=department,
        cards=cards,
        trend=trend,
        gantt=plan_gantt_svg(state.plan, chosen, today=state.as_of),
        gap=gap,
        faq=faq,
        load=(
            markdown_to_html(state.load.to_markdown(lang=chosen))
            if state.load is not None and department is None
            else None
        ),
    )
