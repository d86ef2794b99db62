"""A workspace, week after week: take in new files, recompute, and say what to do now.

:func:`update` imports new files into the history store (usage logs, the
question log, assessments; the other logs are copied to ``inputs/``), then
:func:`load_state` recomputes everything from the store and the inputs with
the workspace's :class:`~backoffice_marketing.diagnosis.initiative.Initiative`: the one
classification of departments, the plan replanned with the completed tasks,
the FAQ with its waiting themes, and the gap report of the latest assessment
with computed evidence. :func:`week_status` turns that state into this
week's actions; :func:`backoffice_marketing.workspace.dashboard.write_reports` writes
``reports/``.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from backoffice_marketing import voice
from backoffice_marketing.adoption.classification import classify_rows
from backoffice_marketing.core.assessment import Assessment
from backoffice_marketing.core.report import Report
from backoffice_marketing.diagnosis.gaps import GapReport
from backoffice_marketing.diagnosis.initiative import Initiative
from backoffice_marketing.foundation.io.atomic import write_bytes_atomic
from backoffice_marketing.foundation.io.converter import structure_document
from backoffice_marketing.foundation.io.documents import parse_document
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.materials.announcements.reach import ReachLog
from backoffice_marketing.readiness import readiness_from_inputs, visit_purposes
from backoffice_marketing.render.labels import label
from backoffice_marketing.voice.merges import workspace_reading
from backoffice_marketing.workspace.inputs import checked_bytes, remove_leftovers
from backoffice_marketing.workspace.load import change_load
from backoffice_marketing.workspace.outcome import workspace_outcome
from backoffice_marketing.workspace.progress import proven_completions
from backoffice_marketing.workspace.terminal import status_renderable

if TYPE_CHECKING:
    from backoffice_marketing.adoption.classification import Classification
    from backoffice_marketing.adoption.exit_criteria import OutcomeEvaluation
    from backoffice_marketing.diagnosis.gaps import GapReport
    from backoffice_marketing.diagnosis.initiative import Initiative
    from backoffice_marketing.diagnosis.planning.plan import Plan
    from backoffice_marketing.readiness import DepartmentBarrier
    from backoffice_marketing.voice.faq import FAQ
    from backoffice_marketing.workspace.ingest import RateRow
    from backoffice_marketing.workspace.load import ChangeLoad
    from backoffice_marketing.workspace.model import ImportResult, QuestionState, Workspace
    from backoffice_marketing.workspace.progress import ProvenCompletion

__all__ = [
    "INITIATIVE_FILE",
    "Action",
    "ActionKind",
    "WeekStatus",
    "WorkspaceState",
    "load_state",
    "update",
    "week_status",
]

#: The initiative's settings, at the top of the workspace folder.
INITIATIVE_FILE = "initiative.toml"
#: The other initiatives that land on the same departments (one TOML file each).
OTHERS_FOLDER = "initiatives"
#: The roster of people and departments that usage logs are matched against.
ROSTER_FILE = "roster.csv"
#: How far ahead "this week" looks for tasks that start.
_WEEK = dt.timedelta(days=7)
#: How many actions ``status`` lists before it only counts the rest.
STATUS_LIMIT = 10


class ActionKind(enum.StrEnum):
    """What an action is about."""

    TASK_OVERDUE = "task_overdue"
    TASK_DUE = "task_due"
    BARRIER = "barrier"
    OUTCOME = "outcome"
    VISIT = "visit"
    QUESTION_OVERDUE = "question_overdue"
    THEME_WAITING = "theme_waiting"
    CONFLICT = "conflict"
    CHANGE_LOAD = "change_load"


@attrs.frozen
class Action:
    """One thing to do this week, in both languages; ``overdue`` makes ``status`` exit 1."""

    kind: ActionKind
    text: LocalizedText
    overdue: bool = False
    #: What the planner types to ``done`` (a step id), or the ids of the questions: for the
    #: planner's own status only, never on a page for a department.
    ref: str | None = None


@attrs.frozen
class WorkspaceState:
    """Everything recomputed from the store and the inputs, as of one day."""

    initiative: Initiative
    as_of: dt.date
    rates: tuple[RateRow, ...]
    classification: Classification | None
    plan: Plan
    baseline: Plan
    completions: tuple[tuple[str, dt.date], ...]
    faq: FAQ | None
    questions: tuple[QuestionState, ...]
    gap_report: GapReport | None
    imports: tuple[tuple[str, str, int], ...]
    load: ChangeLoad | None = None
    reach: tuple[tuple[str, float], ...] = ()
    proven: tuple[ProvenCompletion, ...] = ()
    barriers: tuple[DepartmentBarrier, ...] = ()
    outcome: OutcomeEvaluation | None = None

    def series(self) -> dict[str, list[tuple[str, float]]]:
        """Each published department's rate per period, in period order."""
        series: dict[str, list[tuple[str, float]]] = {}
        for row in sorted(self.rates, key=lambda r: (r.department, r.period_start)):
            if not row.suppressed:
                series.setdefault(row.department, []).append((row.period, row.rate))
        return series

    @property
    def order(self) -> tuple[str, ...]:
        """The initiative's departments in their order."""
        return tuple(unit.id for unit in self.initiative.departments)

    @property
    def flagged(self) -> frozenset[str]:
        """The departments the classification flags (lagging or not started)."""
        if self.classification is None:
            return frozenset()
        return frozenset(e.department for e in self.classification.needing_visit)


@attrs.frozen
class WeekStatus(Report):
    """The week's actions for one initiative, most urgent first."""

    report_kind: ClassVar[str] = "week_status"

    initiative: str
    name: LocalizedText
    as_of: dt.date
    actions: tuple[Action, ...]
    changes: tuple[LocalizedText, ...] = ()

    @property
    def overdue(self) -> bool:
        """Whether anything is overdue (a task or a question past the promised reply time)."""
        return any(action.overdue for action in self.actions)

    def summary(self, lang: Lang) -> str:
        """One line: how many actions, how many overdue."""
        late = sum(action.overdue for action in self.actions)
        return label("ws_summary", lang) % (len(self.actions), late)

    def shown(self) -> tuple[tuple[ActionKind, tuple[Action, ...]], ...]:
        """The most urgent actions (at most :data:`STATUS_LIMIT`), grouped by kind in order."""
        top = self.actions[:STATUS_LIMIT]
        return tuple(
            (kind, rows)
            for kind in ActionKind
            if (rows := tuple(action for action in top if action.kind is kind))
        )

    def rest(self) -> tuple[tuple[ActionKind, int], ...]:
        """How many more actions of each kind there are beyond those :meth:`shown`."""
        counts: dict[ActionKind, int] = {}
        for action in self.actions[STATUS_LIMIT:]:
            counts[action.kind] = counts.get(action.kind, 0) + 1
        return tuple((kind, counts[kind]) for kind in ActionKind if kind in counts)

    def _markdown(self, lang: Lang) -> str:
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("workspace_status.md.j2", lang, status=self)

    def to_rich(self, lang: Lang | None = None) -> Any:
        """The status as a rich renderable for a terminal (no Markdown escapes)."""
        return status_renderable(self, lang)


def business_days(calendar: Any, start: dt.date, end: dt.date) -> int:
    """Business days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    count, day = 0, start + dt.timedelta(days=1)
    while day <= end:
        count += calendar.is_business_day(day)
        day += dt.timedelta(days=1)
    return count


def load_state(workspace: Workspace, *, today: dt.date | None = None) -> WorkspaceState:
    """Recompute the initiative's state from the workspace (nothing is written)."""
    initiative = Initiative.from_file(workspace.path / INITIATIVE_FILE)
    rates = workspace.rates()
    as_of = today or (max((r.period_end for r in rates), default=None)) or dt.date.today()
    classification = (
        classify_rows(
            ((r.department, r.period_start, r.rate) for r in rates if not r.suppressed),
            target=initiative.target,
            order=[unit.id for unit in initiative.departments],
        )
        if rates
        else None
    )
    completions = workspace.completions()
    baseline = initiative.plan()
    proven = _proven(workspace, baseline, rates, completions)
    completions = {**{p.task_id: p.done_on for p in proven}, **completions}
    plan = baseline
    flagged = sorted(e.department for e in classification.needing_visit) if classification else []
    known = {unit.id for unit in plan.departments}
    task_ids = {task.id for task in plan.tasks}
    barriers = _barriers(workspace, initiative, flagged, as_of)
    if completions or flagged:
        plan = plan.replan(
            progress={task: day for task, day in completions.items() if task in task_ids},
            flagged=[name for name in flagged if name in known],
            today=as_of,
            purposes=visit_purposes(barriers),
        )

    questions_file = workspace.inputs / "questions.csv"
    faq = None
    log = voice.QuestionLog.from_file(questions_file) if questions_file.is_file() else None
    if log is not None and len(log):
        answers = _answers(workspace.inputs)
        faq = voice.FAQ.build(
            log,
            answers,
            departments=initiative.departments,
            min_group_size=initiative.privacy.text,
            as_of=as_of,
            laggards=flagged,
            **workspace_reading(workspace.path),  # a person's merges, the user's synonyms
        )
    outcome = _outcome(workspace, initiative, as_of, rates)
    gap = _gap_report(workspace, initiative, plan, classification, barriers, outcome=outcome)
    imports = tuple((s.kind, s.name, s.rows) for s in workspace.history())
    load = _change_load(workspace.path, initiative, baseline)
    reach = _reach(workspace.inputs / "reach.csv", initiative)
    return WorkspaceState(
        initiative=initiative,
        as_of=as_of,
        rates=rates,
        classification=classification,
        plan=plan,
        baseline=baseline,
        completions=tuple(sorted(completions.items())),
        faq=faq,
        questions=workspace.questions(),
        gap_report=gap,
        imports=imports,
        load=load,
        reach=reach,
        proven=proven,
        barriers=barriers,
        outcome=outcome,
    )


def _outcome(
    workspace: Workspace, initiative: Initiative, as_of: dt.date, rates: Sequence[RateRow]
) -> OutcomeEvaluation | None:
    """The one exit rule on the email and Teams exports in inputs/ (``None`` without them)."""
    used = [row.period_start for row in rates if row.active_users > 0]
    first_use = min(used, default=None)
    return workspace_outcome(workspace.inputs, initiative, as_of, first_use=first_use)


def _barriers(
    workspace: Workspace, initiative: Initiative, flagged: Sequence[str], as_of: dt.date
) -> tuple[DepartmentBarrier, ...]:
    """Each flagged department's barrier, from the survey, hearings and questions in inputs/."""
    if not flagged:
        return ()

    report = readiness_from_inputs(
        workspace.inputs,
        flagged=flagged,
        departments=initiative.departments,
        as_of=as_of,
        min_group_size=initiative.privacy.figures,
        text_floor=initiative.privacy.text,
    )
    return report.barriers


def _proven(
    workspace: Workspace, plan: Plan, rates: Sequence[RateRow], recorded: Iterable[str]
) -> tuple[ProvenCompletion, ...]:
    """The plan's tasks that the usage and reach logs show as done (not yet recorded)."""
    path = workspace.inputs / "reach.csv"
    reached = (
        [
            (record.person, record.on)
            for record in ReachLog.from_file(path).records
            if record.on is not None
        ]
        if path.is_file()
        else []
    )
    return proven_completions(plan, rates, reached, recorded=recorded)


def _reach(path: Path, initiative: Initiative) -> tuple[tuple[str, float], ...]:
    """Each department's share of people the announcements reached (``inputs/reach.csv``).

    Departments under the privacy floor for figures are left out, never shown alone.
    """
    if not path.is_file():
        return ()
    people: dict[str, set[str]] = {}
    for record in ReachLog.from_file(path).records:
        people.setdefault(record.department, set()).add(record.person)
    sizes = initiative.headcounts
    floor = initiative.privacy.figures
    return tuple(
        (department, min(len(people.get(department, ())) / size, 1.0))
        for department, size in sizes.items()
        if size >= floor and department in people
    )


def _change_load(folder: Path, initiative: Initiative, plan: Plan) -> ChangeLoad | None:
    """The change load of this initiative and those in ``initiatives/`` (none: ``None``)."""
    others = folder / OTHERS_FOLDER
    files = sorted(others.glob("*.toml")) if others.is_dir() else []
    if not files:
        return None
    plans = [(initiative.id, plan)]
    for file in files:
        other = Initiative.from_file(file)
        plans.append((other.id, other.plan()))
    return change_load(plans, departments=[unit.id for unit in initiative.departments])


def _answers(inputs: Path) -> Any:
    for name in ("answers.yaml", "answers.toml", "answers.json", "answers.csv"):
        path = inputs / name
        if path.is_file() and path.stat().st_size:
            return voice.AnswerBook.from_file(path)
    return voice.AnswerBook()


def _gap_report(
    workspace: Workspace,
    initiative: Initiative,
    plan: Plan,
    classification: Classification | None,
    barriers: Sequence[DepartmentBarrier] = (),
    *,
    outcome: OutcomeEvaluation | None = None,
) -> GapReport | None:
    stored = workspace.stored_reports("assessment")
    if not stored:
        return None
    latest = stored[-1]
    document = parse_document(latest.body.encode("utf-8"), format="json", file="<store>")

    assessment = structure_document(document, Assessment)
    return GapReport.from_assessment(
        assessment,
        playbook=plan.playbook,
        plan=plan,
        adoption=classification,
        min_group_size=initiative.privacy.figures,
        barriers=barriers,
        outcome=outcome,
    )


def _outcome_actions(state: WorkspaceState) -> list[Action]:
    """Departments the exit rule calls not done, other than those already named as lagging."""
    if state.outcome is None:
        return []
    lagging = set(state.flagged)
    return [
        Action(
            ActionKind.OUTCOME,
            LocalizedText(
                f"{entry.department}: {entry.why.ja}", f"{entry.department}: {entry.why.en}"
            ),
        )
        for entry in state.outcome.not_done
        if entry.department not in lagging
    ]


def _lagging_action(
    department: str, explanation: LocalizedText, barriers: Sequence[DepartmentBarrier]
) -> Action:
    """A lagging department: its barrier and the remedy chosen for it, else a visit to learn why."""
    found = next((b for b in barriers if b.department == department), None)
    if found is None or found.element is None or found.next_action is None:
        return Action(
            ActionKind.VISIT,
            LocalizedText(
                f"{department}を訪問: {explanation.ja}",
                f"Visit {department}: {explanation.en}",
            ),
        )
    reason, action = found.reason, found.next_action
    return Action(
        ActionKind.BARRIER,
        LocalizedText(
            f"{department}: {reason.ja}次の一手: {action.ja}。{explanation.ja}",
            f"{department}: {reason.en} Next: {action.en}. {explanation.en}",
        ),
    )


def _steps(tasks: Iterable[Any], *, due: bool) -> dict[tuple[LocalizedText, dt.date], list[str]]:
    """Open tasks grouped by step (title) with their departments.

    The date is the step's first start (``due``) or its last finish (overdue).
    """
    grouped: dict[LocalizedText, tuple[dt.date, list[str]]] = {}
    for task in tasks:
        if task.placeholder:
            continue
        day = task.start if due else task.finish
        known, departments = grouped.get(task.title, (day, []))
        if task.department:
            departments.append(task.department)
        grouped[task.title] = (min(known, day) if due else max(known, day), departments)
    return {(title, day): names for title, (day, names) in grouped.items()}


def _in_order(state: WorkspaceState, names: Sequence[str]) -> list[str]:
    """``names`` in the company's order (the initiative's), unknown names last."""
    rank = {name: index for index, name in enumerate(state.order)}
    return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _where_ja(departments: Sequence[str]) -> str:
    if not departments:
        return ""
    if len(departments) <= 3:
        return "（" + "、".join(departments) + "）"
    return f"（{len(departments)}部署）"


def _where_en(departments: Sequence[str]) -> str:
    if not departments:
        return ""
    if len(departments) <= 3:
        return " (" + ", ".join(departments) + ")"
    return f" ({len(departments)} departments)"


def week_status(state: WorkspaceState) -> WeekStatus:
    """The week's actions: overdue and due tasks, visits, late questions, themes, conflicts."""
    actions: list[Action] = []
    done = dict(state.completions)
    horizon = state.as_of + _WEEK
    # Overdue against the plan as agreed (the baseline); due from the replanned one. Tasks of
    # one step (a briefing per department, say) are one action naming their departments.
    steps = {t.title: t.id.split("@", 1)[0].split("#", 1)[0] for t in state.baseline.tasks}
    overdue = _steps(
        (t for t in state.baseline.tasks if t.finish < state.as_of and t.id not in done), due=False
    )
    for (title, when), departments in overdue.items():
        actions.append(
            Action(
                ActionKind.TASK_OVERDUE,
                LocalizedText(
                    f"{title.ja}{_where_ja(_in_order(state, departments))}: {when.isoformat()} "
                    "予定から遅れています",
                    f"{title.en}{_where_en(_in_order(state, departments))}: "
                    f"due {when.isoformat()}, overdue",
                ),
                overdue=True,
                ref=steps.get(title),
            )
        )
    late = {title for title, _ in overdue}
    due = _steps(
        (
            t
            for t in state.plan.tasks
            if t.id not in done and state.as_of <= t.start <= horizon and t.title not in late
        ),
        due=True,
    )
    actions.extend(
        Action(
            ActionKind.TASK_DUE,
            LocalizedText(
                f"{title.ja}{_where_ja(_in_order(state, departments))}: {when.isoformat()} 開始",
                f"{title.en}{_where_en(_in_order(state, departments))}: starts {when.isoformat()}",
            ),
            ref=steps.get(title),
        )
        for (title, when), departments in due.items()
    )
    if state.classification is not None:
        actions.extend(
            _lagging_action(entry.department, entry.explanation, state.barriers)
            for entry in state.classification.needing_visit
        )
    actions.extend(_outcome_actions(state))
    calendar = state.initiative.business_calendar
    actions.extend(_late_questions(state))
    if state.faq is not None:
        actions.extend(
            Action(
                ActionKind.THEME_WAITING,
                LocalizedText(
                    f"「{theme.example}」など{theme.questions}件が{waited}営業日回答待ち"
                    if theme.example
                    else f"{theme.questions}件の質問が{waited}営業日回答待ち",
                    f"'{theme.example}' and similar: {theme.questions} question(s) waiting "
                    f"{waited} business day(s)"
                    if theme.example
                    else f"{theme.questions} question(s) waiting {waited} business day(s)",
                ),
                ref=theme.id,
            )
            for theme in state.faq.pending
            for waited in [
                business_days(
                    calendar, state.as_of - dt.timedelta(days=theme.days_waiting), state.as_of
                )
            ]
        )
    if state.gap_report is not None:
        actions.extend(
            Action(
                ActionKind.CONFLICT,
                LocalizedText(
                    f"根拠の食い違い {conflict.item}: 手動回答と集計が一致しません",
                    f"Conflicting evidence for {conflict.item}: the manual answer and the "
                    "computed one disagree",
                ),
            )
            for conflict in state.gap_report.conflicts
        )
    if state.load is not None:
        soon = {_iso_week(state.as_of + dt.timedelta(days=7 * n)) for n in range(5)}
        actions.extend(
            Action(
                ActionKind.CHANGE_LOAD,
                LocalizedText(
                    f"{cell.department}({cell.week}): 施策{cell.count}件が重なっています"
                    f"({'、'.join(cell.initiatives)})",
                    f"{cell.department} ({cell.week}): {cell.count} initiatives at once "
                    f"({', '.join(cell.initiatives)})",
                ),
            )
            for cell in state.load.overloaded
            if cell.week in soon
        )
    order = {kind: index for index, kind in enumerate(ActionKind)}
    actions.sort(key=lambda action: order[action.kind])  # stable: urgency within a kind
    return WeekStatus(
        initiative=state.initiative.id,
        name=state.initiative.name,
        as_of=state.as_of,
        actions=tuple(actions),
        changes=_changes(state),
    )


def _late_questions(state: WorkspaceState) -> list[Action]:
    """One action per department whose questions wait past the promised reply time (no ids)."""
    calendar = state.initiative.business_calendar
    promise = state.initiative.reply_days
    late: dict[str, list[tuple[int, str]]] = {}
    for question in state.questions:
        if question.answered_on is not None or question.status in {"answered", "published"}:
            continue
        waited = business_days(calendar, question.received_on, state.as_of)
        if waited > promise:
            late.setdefault(question.department or "", []).append((waited, question.id))
    rank = {name: index for index, name in enumerate(departments_of(state))}
    actions = []
    for department in sorted(late, key=lambda name: (rank.get(name, len(rank)), name)):
        rows = late[department]
        longest = max(waited for waited, _ in rows)
        where_ja = f"{department}の" if department else ""
        where_en = f" from {department}" if department else ""
        actions.append(
            Action(
                ActionKind.QUESTION_OVERDUE,
                LocalizedText(
                    f"{where_ja}質問{len(rows)}件が未回答(最長{longest}営業日、"
                    f"約束は{promise}営業日)",
                    f"{len(rows)} question(s){where_en} unanswered (longest {longest} business "
                    f"days; promise: {promise})",
                ),
                overdue=True,
                ref=", ".join(sorted(question for _, question in rows)),
            )
        )
    return actions


def _changes(state: WorkspaceState) -> tuple[LocalizedText, ...]:
    """What changed: tasks the data shows as done, the latest import, the rates that moved most."""
    notes = [
        LocalizedText(
            f"データで完了を確認: {_title(state, proof.task_id).ja}({proof.evidence.ja})",
            f"Done, as the data shows: {_title(state, proof.task_id).en} ({proof.evidence.en})",
        )
        for proof in state.proven
    ]
    if not state.imports:
        return tuple(notes)
    kind, name, rows = state.imports[-1]
    notes.append(
        LocalizedText(f"最新の取り込み: {name}({rows}行)", f"Latest import: {name} ({rows} rows)")
    )
    series = state.series()
    for department in departments_of(state):
        points = series.get(department, [])
        if len(points) >= 2:
            (before, old), (now, new) = points[-2], points[-1]
            if abs(new - old) >= 0.1:
                notes.append(
                    LocalizedText(
                        f"{department}: {old:.0%} → {new:.0%}({before} → {now})",
                        f"{department}: {old:.0%} → {new:.0%} ({before} → {now})",
                    )
                )
    del kind
    return tuple(notes)


def _title(state: WorkspaceState, task_id: str) -> LocalizedText:
    return next(
        (task.title for task in state.baseline.tasks if task.id == task_id),
        LocalizedText(task_id, task_id),
    )


def _kind_of(path: Path) -> str:
    name = path.name.lower()
    if name.startswith(("usage", "teams", "slack")) and path.suffix.lower() in {
        ".csv",
        ".parquet",
        ".pq",
    }:
        return "usage"
    if name.startswith("questions") and path.suffix.lower() == ".csv":
        return "questions"
    if name.startswith("assessment") and path.suffix.lower() in {".toml", ".json", ".yaml"}:
        return "assessment"
    return "input"


def _copy_in(source: Path, target: Path, data: bytes) -> None:
    """Write ``data`` (the checked bytes of ``source``) over ``target`` with the safe writer.

    A file already in place is left as it is.
    """
    if target.exists() and source.resolve() == target.resolve():
        return
    write_bytes_atomic(target, data)


def _header_only(path: Path) -> bool:
    """Whether a CSV log holds no more than its header (an untouched template)."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open("rb") as stream:
        head = stream.read(1 << 12)
    return len(head) < 1 << 12 and len([line for line in head.splitlines() if line.strip()]) <= 1


def update(
    workspace: Workspace, files: Iterable[str | os.PathLike[str]] = ()
) -> tuple[ImportResult | str, ...]:
    """Import ``files`` (or, when none are given, the usage and question logs in ``inputs/``).

    Usage logs (names starting ``usage``, ``teams`` or ``slack``) and the
    question log are imported into the store, once per content; assessments
    (``assessment*.toml|json|yaml``) are recorded by their date; any other file
    is copied into ``inputs/`` under its own name once it loads. Returns what
    each did.

    Every change to the store is one transaction: if any file fails to load,
    or the disk fills up, the store is left exactly as it was. What killed
    runs left behind (temporary files, staging folders) is removed first.
    """
    remove_leftovers(workspace.path)
    initiative = Initiative.from_file(workspace.path / INITIATIVE_FILE)
    chosen = [Path(file) for file in files] or sorted(
        path
        for path in workspace.inputs.iterdir()
        if _kind_of(path) in {"usage", "questions"} and not _header_only(path)
    )
    done: list[ImportResult | str] = []
    # Each input is read once and loaded by the loader the reports use, before anything is
    # written: an input that does not load never replaces a good one.
    copies: list[tuple[Path, Path, bytes]] = []
    for path in chosen:
        kind = _kind_of(path)
        if kind in {"questions", "input"}:
            target = workspace.inputs / ("questions.csv" if kind == "questions" else path.name)
            copies.append((path, target, checked_bytes(path, target.name)))
    # Usage logs are matched against the roster given with them, else the one in inputs/.
    roster = next(
        (source for source, target, _ in copies if target.name == ROSTER_FILE),
        workspace.inputs / ROSTER_FILE,
    )
    with workspace.store.transaction():
        for path in chosen:
            kind = _kind_of(path)
            if kind == "usage":
                done.append(
                    workspace.import_usage(path, roster, min_group_size=initiative.privacy.figures)
                )
            elif kind == "questions":
                done.append(workspace.import_questions(path))
            elif kind == "assessment":
                assessment = Assessment.from_file(path)
                workspace.record_assessment(assessment, on=assessment.date)
                done.append(f"{path.name}: {assessment.date.isoformat()}")
            else:
                done.append(f"{path.name} → inputs/")
        for source, target, data in copies:  # a full disk here rolls the imports back too
            _copy_in(source, target, data)
    return tuple(done)


def departments_of(state: WorkspaceState) -> Sequence[str]:
    """The departments a dashboard shows, in the initiative's order."""
    names = list(state.order)
    names.extend(sorted(set(state.series()) - set(names)))
    return names
