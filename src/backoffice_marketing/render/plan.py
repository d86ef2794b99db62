"""Plans as Markdown, HTML, JSON and Mermaid.

Markdown and HTML go through the shipped templates (``plan.md.j2`` and
``plan.html.j2``): HTML is autoescaped, Markdown escapes every text with the
``md`` and ``cell`` filters, so a department called ``<script>`` or ``a|b``
stays text. JSON follows ``schemas/plan.schema.json``. Every output depends on
the plan only, never on the clock or on the order departments were given in.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.render.environment import render
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.mermaid import mermaid_text
from backoffice_marketing.render.names import Names

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan, PlannedStep, PlannedTask
    from backoffice_marketing.diagnosis.playbooks import Milestone

__all__ = [
    "PlanTexts",
    "business_days",
    "mermaid_text",
    "plan_gantt_svg",
    "plan_html",
    "plan_markdown",
    "plan_mermaid",
    "step_departments",
    "step_title",
]

_ONE_DAY = dt.timedelta(days=1)


class PlanTexts:
    """The texts of a plan in one language: departments, roles, stages, milestones."""

    def __init__(self, plan: Plan, lang: Lang) -> None:
        self.plan = plan
        self.lang = check_lang(lang)
        self._departments = {unit.id: unit.label for unit in plan.departments}
        self._stages = {stage.id: stage.name.get(self.lang) for stage in plan.playbook.stage_graph}

    def t(self, key: str) -> str:
        """The label ``key`` in this language."""
        return label(key, self.lang)

    @property
    def title(self) -> str:
        """The playbook's name."""
        return self.plan.playbook.name.get(self.lang)

    def department(self, department_id: str | None) -> str:
        """The display name of a department (empty for a company-wide task)."""
        if department_id is None:
            return ""
        return self._departments.get(department_id, department_id)

    def role(self, role: str) -> str:
        """A role's label; roles the labels do not know are shown as they are."""
        try:
            return label(f"plan_role_{role}", self.lang)
        except KeyError:
            return role

    def stage(self, stage_id: str) -> str:
        """A stage's name."""
        return self._stages[stage_id]

    def milestone(self, kind: Milestone) -> str:
        """A milestone kind's label (approval, launch, cut-over)."""
        return label(f"plan_milestone_{kind.value.replace('-', '_')}", self.lang)

    def task_title(self, task: PlannedTask) -> str:
        """A task's title, with its round and its department when it has them."""
        title = task.title.get(self.lang)
        details = []
        if task.round is not None:
            details.append(self.t("plan_round_number") % task.round)
        if task.department is not None:
            details.append(self.department(task.department))
        if not details:
            return title
        return f"{title} ({(', ' if self.lang == 'en' else '、').join(details)})"

    def exit_scope(self) -> str:
        """Where the exit criterion must hold."""
        return label(f"plan_scope_{self.plan.playbook.exit.scope.value}", self.lang)

    def calendar(self) -> str:
        """The business calendar in one line: holidays and the fiscal year start."""
        calendar = self.plan.calendar
        if calendar.country is None:
            holidays = self.t("plan_calendar_weekends_only")
        else:
            holidays = self.t("plan_calendar_country") % Names(self.lang).country(calendar.country)
        fiscal = self.t("plan_fiscal_year_start") % calendar.fiscal_year_start_month
        return f"{holidays}, {fiscal}" if self.lang == "en" else f"{holidays}、{fiscal}"


def business_days(plan: Plan) -> int:
    """How many business days the plan spans, from its start to its finish inclusive."""
    day, count = plan.start, 0
    while day <= plan.finish:
        count += plan.calendar.is_business_day(day)
        day += _ONE_DAY
    return count


@attrs.frozen
class _DetailRow:
    id: str
    department: str
    start: dt.date
    finish: dt.date
    slack: int
    critical: bool


@attrs.frozen
class _StepRow:
    id: str
    title: str
    departments: str
    role: str
    start: dt.date
    finish: dt.date
    duration: int
    slack: int
    critical: bool
    milestone: bool
    details: tuple[_DetailRow, ...]


@attrs.frozen
class _Section:
    name: str
    rows: tuple[_StepRow, ...]


@attrs.frozen
class _MilestoneRow:
    label: str
    task: str
    title: str
    date: dt.date


@attrs.frozen
class _ChampionRow:
    department: str
    headcount: int
    champions: int


@attrs.frozen
class _Bar:
    """One bar of the SVG Gantt chart; coordinates in pixels."""

    label: str
    tooltip: str
    x: int
    y: int
    width: int
    text_y: int
    critical: bool
    milestone: bool
    points: str


@attrs.frozen
class _Tick:
    x: int
    label: str


@attrs.frozen
class _Gantt:
    width: int
    height: int
    left: int
    top: int
    bars: tuple[_Bar, ...]
    ticks: tuple[_Tick, ...]


_GANTT_LEFT = 380
_GANTT_DAY = 6
_GANTT_ROW = 20
_GANTT_TOP = 24
_GANTT_LABEL = {"ja": 26, "en": 52}
_GANTT_TICK_GAP = 50


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def step_title(texts: PlanTexts, step: PlannedStep) -> str:
    """A step's title with its round (departments are listed apart)."""
    title = step.title.get(texts.lang)
    if step.round is None:
        return title
    return f"{title} ({texts.t('plan_round_number') % step.round})"


def step_departments(texts: PlanTexts, step: PlannedStep) -> str:
    """Who a step is for: company-wide, lagging departments, one department or a count."""
    if step.placeholder:
        return texts.t("plan_flagged_placeholder")
    if not step.departments:
        return texts.t("plan_company_wide")
    if len(step.departments) == 1:
        return texts.department(step.departments[0])
    return texts.t("plan_departments_count") % len(step.departments)


def _gantt(plan: Plan, texts: PlanTexts, steps: tuple[PlannedStep, ...]) -> _Gantt:
    """Bars on a business-day axis: one per step, milestones as diamonds, month ticks."""
    index = {day: n for n, day in enumerate(plan.days)}
    total = max(1, len(plan.days))
    bars = []
    for row, step in enumerate(steps):
        first, last = index[step.start], index[step.finish]
        x = _GANTT_LEFT + first * _GANTT_DAY
        y = _GANTT_TOP + row * _GANTT_ROW
        title = step_title(texts, step)
        span = f"{step.start.isoformat()} – {step.finish.isoformat()}"
        who = step_departments(texts, step)
        mid = y + _GANTT_ROW // 2
        bars.append(
            _Bar(
                label=_short(title, _GANTT_LABEL[texts.lang]),
                tooltip=f"{title} / {who} / {span}",
                x=x,
                y=y + 4,
                width=max(_GANTT_DAY, (last - first + 1) * _GANTT_DAY),
                text_y=mid + 4,
                critical=step.critical,
                milestone=step.milestone is not None,
                points=f"{x},{mid - 6} {x + 6},{mid} {x},{mid + 6} {x - 6},{mid}",
            )
        )
    ticks = []
    previous = None
    for day, n in index.items():
        if (day.year, day.month) != previous:
            previous = (day.year, day.month)
            ticks.append(_Tick(_GANTT_LEFT + n * _GANTT_DAY, f"{day.year}-{day.month:02d}"))
    # A month that the plan only touches for a day or two would print its label over the
    # next month's: keep a tick only when the next one is far enough away.
    ticks = [
        tick
        for tick, after in zip(ticks, [*ticks[1:], None], strict=True)
        if after is None or after.x - tick.x >= _GANTT_TICK_GAP
    ]
    return _Gantt(
        width=_GANTT_LEFT + total * _GANTT_DAY + 20,
        height=_GANTT_TOP + len(steps) * _GANTT_ROW + 8,
        left=_GANTT_LEFT,
        top=_GANTT_TOP,
        bars=tuple(bars),
        ticks=tuple(ticks),
    )


def _context(plan: Plan, lang: Lang) -> dict[str, Any]:
    texts = PlanTexts(plan, lang)
    index = {day: n for n, day in enumerate(plan.days)}
    members: dict[tuple[str, int | None], list[PlannedTask]] = {}
    for task in plan.tasks:
        members.setdefault((task.task, task.round), []).append(task)
    steps = plan.steps()
    by_stage: dict[str, list[_StepRow]] = {stage.id: [] for stage in plan.playbook.stage_graph}
    for step in steps:
        tasks = members[step.task, step.round]
        details = tuple(
            _DetailRow(t.id, texts.department(t.department), t.start, t.finish, t.slack, t.critical)
            for t in tasks
            if t.department is not None
        )
        by_stage[step.stage].append(
            _StepRow(
                id=step.id,
                title=step_title(texts, step),
                departments=step_departments(texts, step),
                role=texts.role(step.role),
                start=step.start,
                finish=step.finish,
                duration=index[step.finish] - index[step.start] + (1 if tasks[0].duration else 0),
                slack=min(t.slack for t in tasks),
                critical=step.critical,
                milestone=step.milestone is not None,
                details=details,
            )
        )
    sections = tuple(
        _Section(texts.stage(stage_id), tuple(rows)) for stage_id, rows in by_stage.items()
    )
    milestones = tuple(
        _MilestoneRow(texts.milestone(m.kind), m.task, texts.task_title(plan.task(m.task)), m.date)
        for m in plan.milestones
    )
    champions = dict(plan.champion_counts)
    champion_rows = tuple(
        _ChampionRow(unit.label, unit.headcount, champions[unit.id]) for unit in plan.departments
    )
    exit_criterion = plan.playbook.exit
    return {
        "plan": plan,
        "title": texts.title,
        "summary": plan.playbook.summary.get(texts.lang),
        "business_days": business_days(plan),
        "calendar": texts.calendar(),
        "exit_description": exit_criterion.description.get(texts.lang),
        "exit_rule": f"{exit_criterion.metric} >= {exit_criterion.target:g}",
        "exit_scope": texts.exit_scope(),
        "milestones": milestones,
        "champions": champion_rows,
        "total_headcount": sum(row.headcount for row in champion_rows),
        "total_champions": sum(row.champions for row in champion_rows),
        "critical_path": tuple(
            (texts.task_title(plan.task(task_id)), task_id) for task_id in plan.critical_path
        ),
        "sections": sections,
        "gantt": _gantt(plan, texts, steps),
    }


def plan_markdown(plan: Plan, lang: Lang = "ja", *, detail: bool = False) -> str:
    """The plan as Markdown: period, exit criterion, milestones, champions, steps by stage.

    Per-department tasks are collapsed into their step; ``detail=True`` adds
    a table of every per-department task after the steps.
    """
    checked = check_lang(lang)
    return render("plan.md.j2", checked, detail=detail, **_context(plan, checked))


def plan_gantt_svg(plan: Plan, lang: Lang = "ja", *, today: dt.date | None = None) -> str:
    """The plan's Gantt chart alone, as inline SVG (for dashboards); ``today`` draws a line."""
    checked = check_lang(lang)
    context = _context(plan, checked)
    gantt = context["gantt"]
    today_x = None
    if today is not None and plan.days and plan.days[0] <= today <= plan.days[-1]:
        position = bisect.bisect_left(plan.days, today)
        today_x = _GANTT_LEFT + position * _GANTT_DAY
    return render("plan_gantt.html.j2", checked, gantt=gantt, today_x=today_x)


def plan_html(plan: Plan, lang: Lang = "ja") -> str:
    """The plan as a standalone HTML page; every text is escaped."""
    checked = check_lang(lang)
    return render("plan.html.j2", checked, **_context(plan, checked))


# --- Mermaid ------------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _excludes(plan: Plan) -> str:
    """The Mermaid ``excludes`` value: weekends, then every other closed day in the plan."""
    calendar = plan.calendar
    parts = (
        ["weekends"]
        if calendar.weekend == frozenset({5, 6})
        else [_WEEKDAYS[day] for day in sorted(calendar.weekend)]
    )
    day = plan.start
    while day <= plan.finish:
        if day.weekday() not in calendar.weekend and not calendar.is_business_day(day):
            parts.append(day.isoformat())
        day += _ONE_DAY
    return ", ".join(parts)


def plan_mermaid(plan: Plan, lang: Lang = "ja") -> str:
    """The plan as a Mermaid ``gantt`` chart: one section per stage, one line per task.

    Task ids are ``t1``, ``t2``, ... in plan order. A task's bar runs from its
    start to the day after its finish (Mermaid's end dates are exclusive), so the
    chart shows the plan's dates whatever Mermaid makes of business days;
    milestones (zero days) are diamonds on their date and critical tasks are
    marked ``crit``.
    """
    texts = PlanTexts(plan, lang)
    numbers = {task.id: index for index, task in enumerate(plan.tasks, start=1)}
    lines = [
        "gantt",
        f"    title {mermaid_text(texts.title)}",
        "    dateFormat YYYY-MM-DD",
        f"    excludes {_excludes(plan)}",
    ]
    for stage in plan.playbook.stage_graph:
        tasks = [task for task in plan.tasks if task.stage == stage.id]
        if not tasks:
            continue
        lines.append(f"    section {mermaid_text(texts.stage(stage.id))}")
        for task in tasks:
            tags = ("crit, " if task.critical else "") + (
                "milestone, " if task.duration == 0 else ""
            )
            start = task.start.isoformat()
            end = "0d" if task.duration == 0 else (task.finish + _ONE_DAY).isoformat()
            name = mermaid_text(texts.task_title(task), fallback=task.task)
            lines.append(f"    {name} :{tags}t{numbers[task.id]}, {start}, {end}")
    return "\n".join(lines) + "\n"
