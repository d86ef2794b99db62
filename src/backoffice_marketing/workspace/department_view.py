"""What one department's head sees first: the one place their page is filled from.

:class:`DepartmentView` holds, for one department, the outcome against the
target, its trend beside the company's, its barrier, the one next action
(with its owner and date), the cut-over date and its open questions. Today
the outcome is the adoption rate against the initiative's target, the
barrier is what the one classification of departments says about a flagged
department, and the next action is the plan's next open task for that
department. When the outcome evaluation and the barrier analysis arrive,
they fill the same fields here (:func:`department_view` is the one place),
and every page follows.

Privacy: a department under the floor for figures shows no figure at all
(its rates are suppressed in the store, its question count is left out);
the company line counts only published departments, so no small group can
be recovered by subtracting the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.render.labels import label
from backoffice_marketing.workspace.run import business_days, departments_of

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import PlannedTask
    from backoffice_marketing.readiness.departments import Evidence
    from backoffice_marketing.workspace.run import WorkspaceState

__all__ = [
    "DepartmentView",
    "NextAction",
    "Outcome",
    "company_trend",
    "company_views",
    "cutover_date",
    "department_view",
]

#: The stage whose milestone is the cut-over (the day the old way ends).
CUTOVER_STAGE = "cut-over"


@attrs.frozen
class Outcome:
    """The department's outcome: a measured value against the target, and whether it is met."""

    value: float
    target: float
    what: LocalizedText
    period: str | None = None
    #: The verdict of the initiative's exit rule, when the outcome is measured by it (the
    #: rule may ask for more than the value, such as a habit); else the value is compared.
    met: bool | None = None

    @property
    def done(self) -> bool:
        """Whether the exit rule holds (or, without one, the value meets the target)."""
        return self.value >= self.target if self.met is None else self.met

    @property
    def points_to_go(self) -> int:
        """Percentage points still missing (0 when met)."""
        return max(round((self.target - self.value) * 100), 0)


@attrs.frozen
class NextAction:
    """The one next thing to do, who does it (a role) and by when."""

    text: LocalizedText
    owner: LocalizedText | None = None
    due: dt.date | None = None


@attrs.frozen
class DepartmentView:
    """One department's page, filled in one place (:func:`department_view`).

    ``suppressed`` is true when the department is under the privacy floor for
    figures: the page then shows no figure about it. ``barrier`` is ``None``
    when nothing holds the department back that the data can see.
    """

    department: str
    outcome: Outcome | None
    trend: tuple[tuple[str, float], ...]
    change: float | None
    barrier: LocalizedText | None
    barrier_evidence: LocalizedText | None
    next_action: NextAction | None
    cutover_date: dt.date | None
    open_questions: int | None
    longest_wait: int | None
    question_themes: tuple[str, ...]
    champions_planned: int
    champions_appointed: bool
    reach: float | None
    tasks: tuple[NextAction, ...]
    suppressed: bool = False
    flagged: bool = False

    @property
    def worst_key(self) -> tuple[int, int, float, str]:
        """Sort key, worst first: flagged, then furthest below the target, then no figure."""
        gap = 0.0 if self.outcome is None else self.outcome.value - self.outcome.target
        return (0 if self.flagged else 1, 1 if self.outcome is None else 0, gap, self.department)

    @property
    def exit_rule_key(self) -> tuple[int, float, int, str]:
        """Sort key, worst first, once the exit rule is known (see :func:`company_views`).

        Not done first, then done, then no figure; within each, furthest below
        the target first; a flagged department first among equal gaps.
        """
        if self.outcome is None:
            return (2, 0.0, 0 if self.flagged else 1, self.department)
        gap = self.outcome.value - self.outcome.target
        return (1 if self.outcome.done else 0, gap, 0 if self.flagged else 1, self.department)


def _role(role: str) -> LocalizedText:
    key = f"plan_role_{role}"
    try:
        return LocalizedText(label(key, "ja"), label(key, "en"))
    except KeyError:
        return LocalizedText(role, role)


def cutover_date(state: WorkspaceState) -> dt.date | None:
    """The cut-over day: the plan's cut-over milestone, else the end of the cut-over stage."""
    tasks = [t for t in state.plan.tasks if t.stage == CUTOVER_STAGE and not t.placeholder]
    marked = [t.finish for t in tasks if t.milestone is not None]
    if marked:
        return min(marked)
    return max((t.finish for t in tasks), default=None)


def _open_tasks(state: WorkspaceState, department: str) -> list[PlannedTask]:
    done = {task for task, _ in state.completions}
    return sorted(
        (
            t
            for t in state.plan.tasks
            if t.department == department and t.id not in done and not t.placeholder
        ),
        key=lambda t: (t.start, t.finish, t.id),
    )


def _as_action(task: PlannedTask) -> NextAction:
    return NextAction(task.title, _role(task.role), task.finish)


def company_trend(state: WorkspaceState) -> tuple[tuple[str, float], ...]:
    """The company's rate per period, over the published departments only."""
    totals: dict[tuple[dt.date, str], list[int]] = {}
    for row in state.rates:
        if row.suppressed or row.headcount <= 0:
            continue
        total = totals.setdefault((row.period_start, row.period), [0, 0])
        total[0] += row.active_users
        total[1] += row.headcount
    return tuple(
        (period, min(active / heads, 1.0))
        for (_, period), (active, heads) in sorted(totals.items())
        if heads
    )


def _questions(state: WorkspaceState, department: str) -> tuple[int, int | None, tuple[str, ...]]:
    calendar = state.initiative.business_calendar
    waits: list[int] = []
    themes: set[str] = set()
    for question in state.questions:
        if question.department != department or question.answered_on is not None:
            continue
        if question.status in {"answered", "published"}:
            continue
        waits.append(business_days(calendar, question.received_on, state.as_of))
        if question.theme:
            themes.add(question.theme)
    quotes: list[str] = []
    if state.faq is not None:
        quotes = [
            theme.example
            for theme in state.faq.pending
            if theme.example and (theme.id in themes or department in theme.departments)
        ]
    return len(waits), max(waits, default=None), tuple(quotes[:3])


def _measured_outcome(state: WorkspaceState, department: str) -> Outcome | None:
    """The department's outcome by the initiative's exit rule, from the mail and chat exports."""
    if state.outcome is None:
        return None
    try:
        status = state.outcome[department]
    except KeyError:
        return None
    what = status.why if not status.done else state.outcome.definition
    return Outcome(status.share, status.share_target, what, status.period, met=status.done)


#: How many pieces of evidence the first screen cites (the rest are in the readiness report).
_EVIDENCE_SHOWN = 3


def _evidence_text(evidence: Sequence[Evidence]) -> LocalizedText:
    """The cited evidence as one line per language."""
    return LocalizedText(
        " / ".join(item.summary.ja for item in evidence),
        " / ".join(item.summary.en for item in evidence),
    )


def department_view(state: WorkspaceState, department: str) -> DepartmentView:
    """The page of ``department``: every field its head's first screen needs."""
    floor = state.initiative.privacy.figures
    small = state.initiative.headcounts.get(department, 0) < floor
    points = tuple(state.series().get(department, ()))
    if small:
        points = ()
    outcome = (
        Outcome(
            points[-1][1],
            state.initiative.target,
            LocalizedText("利用率(直近の週)", "Share using it (latest week)"),
            points[-1][0],
        )
        if points
        else None
    )
    measured = _measured_outcome(state, department)
    if measured is not None and not small:
        outcome = measured
    entry = None
    if state.classification is not None and department in state.classification:
        entry = state.classification[department]
    flagged = entry is not None and entry.needs_visit
    barrier = barrier_evidence = None
    if flagged and entry is not None:
        barrier = LocalizedText(
            "利用が全社の水準に追いついていません", "Use lags behind the rest of the company"
        )
        barrier_evidence = entry.explanation
    tasks = _open_tasks(state, department)
    upcoming = tuple(_as_action(task) for task in tasks)
    next_action = upcoming[0] if upcoming else None
    found = next((b for b in state.barriers if b.department == department), None)
    if found is not None and found.element is not None:
        # Why, not only who: the barrier the field's words and the survey name, and the
        # remedy chosen for it, done by whoever holds the department's next task.
        barrier = found.reason
        barrier_evidence = _evidence_text(found.evidence[:_EVIDENCE_SHOWN])
        if found.next_action is not None:
            owner = next_action.owner if next_action is not None else None
            due = next_action.due if next_action is not None else None
            next_action = NextAction(found.next_action, owner, due)
    count, longest, quotes = _questions(state, department)
    appointed = any(
        task_id.startswith("appoint-") and task_id.endswith(f"@{department}")
        for task_id, _ in state.completions
    )
    return DepartmentView(
        department=department,
        outcome=outcome,
        trend=points,
        change=points[-1][1] - points[-2][1] if len(points) >= 2 else None,
        barrier=barrier,
        barrier_evidence=barrier_evidence,
        next_action=next_action,
        cutover_date=cutover_date(state),
        open_questions=None if small else count,
        longest_wait=None if small else longest,
        question_themes=() if small else quotes,
        champions_planned=dict(state.plan.champion_counts).get(department, 0),
        champions_appointed=appointed,
        reach=None if small else dict(state.reach).get(department),
        tasks=upcoming,
        suppressed=small,
        flagged=flagged,
    )


def company_views(
    state: WorkspaceState, *, order: Sequence[str] | None = None
) -> tuple[DepartmentView, ...]:
    """Every department's view, worst first; ties in the company's order.

    Once the exit rule is known (the workspace has the outcome exports), worst
    means not done by the exit rule, furthest below the target first, a
    flagged department first among equal gaps; then the departments that are
    done, then those without a figure (:attr:`DepartmentView.exit_rule_key`).
    Without the exit rule: flagged first, then furthest below the target
    (:attr:`DepartmentView.worst_key`).
    """
    names = list(order) if order is not None else list(departments_of(state))
    views = [department_view(state, name) for name in names]
    rank = {name: index for index, name in enumerate(names)}
    if state.outcome is not None:
        return tuple(sorted(views, key=lambda v: (*v.exit_rule_key[:3], rank[v.department])))
    return tuple(sorted(views, key=lambda v: (*v.worst_key[:3], rank[v.department])))
