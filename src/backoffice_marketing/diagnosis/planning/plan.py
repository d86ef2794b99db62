"""Plans: a playbook scheduled for a real company on a business-day calendar.

The Plan keeps what its scheduling yielded (its sibling modules ``schedule``, over
``expansion`` and ``scheduler``), answers questions about it, replans it and renders
it through the report protocol.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar, DateRange
from backoffice_marketing.core.departments import Department, DepartmentsInput, coerce_departments
from backoffice_marketing.core.report import Report
from backoffice_marketing.diagnosis.planning.records import (
    PlannedMilestone,
    PlannedStep,
    PlannedTask,
    PlanRecord,
)
from backoffice_marketing.diagnosis.planning.replan import replanning
from backoffice_marketing.diagnosis.planning.schedule import (
    PlanRun,
    SchedulingOptions,
    business_day_index,
    calendar_for,
    capacities,
    days_option,
    planned_tasks,
    schedule_plan,
)
from backoffice_marketing.diagnosis.planning.scheduler import (
    gc_paused,
    schedule,
    schedule_levelled,
)
from backoffice_marketing.diagnosis.playbooks import Milestone, Playbook
from backoffice_marketing.foundation.defaults import LEAD_TIME_DAYS, NOTICE_DAYS
from backoffice_marketing.foundation.deprecation import warn_deprecated
from backoffice_marketing.foundation.text import Lang, LocalizedText, resolve_lang

if TYPE_CHECKING:
    from backoffice_marketing.core.checklist import Answer, Checklist

__all__ = [
    "Plan",
    "PlannedMilestone",
    "PlannedStep",
    "PlannedTask",
    "business_day_index",
    "schedule",
    "schedule_levelled",
]


@attrs.frozen(repr=False)
class Plan(Report):
    """A playbook scheduled for a company: dated tasks, critical path, milestones, champions.

    ``lead_time`` and ``notice`` are the business days an announcement keeps
    before a launch and a declared end of the old way before it is enforced;
    ``capacity`` the sessions per business day of each levelled role;
    ``flagged`` the departments named per round for flagged-only follow-up
    (set by :meth:`replan`); ``completed`` the actual finish dates of done tasks.
    """

    playbook: Playbook
    start: dt.date
    calendar: BusinessCalendar
    departments: tuple[Department, ...]
    champion_ratio: int
    critical_path: tuple[str, ...]
    milestones: tuple[PlannedMilestone, ...]
    finish: dt.date
    champion_counts: tuple[tuple[str, int], ...]
    _run: PlanRun = attrs.field(eq=False, repr=False, alias="_run")
    lead_time: int = LEAD_TIME_DAYS
    notice: int = NOTICE_DAYS
    capacity: tuple[tuple[str, int], ...] = ()
    levelled: bool = True
    flagged: tuple[tuple[int, tuple[str, ...]], ...] = ()
    completed: tuple[tuple[str, dt.date], ...] = ()
    #: The purpose of each flagged department's visit (its barrier's next action).
    purposes: tuple[tuple[str, LocalizedText], ...] = ()

    report_kind: ClassVar[str] = "plan"
    #: The record of the plan's JSON: the converter unstructures a plan as this record.
    json_shape: ClassVar[type[PlanRecord]] = PlanRecord
    keeps_none: ClassVar[bool] = True
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "mmd", "xlsx", "ics")

    @classmethod
    def from_playbook(
        cls,
        playbook: Playbook,
        *,
        start: dt.date,
        departments: DepartmentsInput,
        calendar: BusinessCalendar | Literal["JP"] | str | None = "JP",
        champion_ratio: int = 50,
        company_holidays: Sequence[dt.date] = (),
        blackouts: Sequence[DateRange] = (),
        lead_time: int = LEAD_TIME_DAYS,
        notice: int = NOTICE_DAYS,
        capacity: int | Mapping[str, int] | None = None,
        level: bool = True,
    ) -> Plan:
        """Schedule ``playbook`` from ``start`` for ``departments``.

        ``calendar`` is a :class:`BusinessCalendar`, a country code for its
        national holidays (``"JP"``), or ``None`` for weekends only; blackout
        periods and company holidays hold no work. Tasks start on business
        days only; per-department tasks are expanded; repeated stages are
        unrolled into rounds so that the scheduled graph is acyclic.

        ``lead_time`` (business days between an announcement and the launch it
        announces) and ``notice`` (between declaring the end of the old way
        and enforcing it) are constraints, as are the roles' capacities:
        ``capacity`` is the sessions per business day of the playbook's owner
        (an integer) or of named roles (a mapping), over the playbook's own
        ``capacity`` table and ``defaults.CENTRAL_TEAM_CAPACITY``
        for the owner. Per-department tasks of a role with a capacity are
        spread over the days in task-id order; ``level=False`` switches
        levelling off. Ties are broken by task id, so the dates never depend
        on input order or on the company's order. ``departments`` given as
        :class:`Department` objects (an initiative's) are the company's order:
        it orders ``plan.departments`` and the rows of every output (by date,
        then department rank, then task id); a roster, mapping or frame is
        ordered by id.
        """
        if (
            isinstance(champion_ratio, bool)
            or not isinstance(champion_ratio, int)
            or champion_ratio < 1
        ):
            raise ValueError(f"champion_ratio must be a positive integer; found {champion_ratio!r}")
        units = coerce_departments(departments)
        business = calendar_for(calendar, company_holidays, blackouts)
        options = SchedulingOptions(
            days_option("lead_time", lead_time),
            days_option("notice", notice),
            capacities(playbook, capacity),
            bool(level),
        )
        return cls._scheduled(playbook, start, units, business, champion_ratio, options)

    @classmethod
    def _scheduled(  # noqa: PLR0917  (internal; the public entry is from_playbook)
        cls,
        playbook: Playbook,
        start: dt.date,
        units: tuple[Department, ...],
        business: BusinessCalendar,
        champion_ratio: int,
        options: SchedulingOptions,
        *,
        flagged: Mapping[int, tuple[str, ...]] | None = None,
        completed: Mapping[str, dt.date] | None = None,
        release: int = 0,
    ) -> Plan:
        with gc_paused():
            done = schedule_plan(
                playbook, start, units, business, champion_ratio, options,
                flagged=flagged, completed=completed, release=release,
            )  # fmt: skip
        return cls(
            playbook,
            start,
            business,
            units,
            champion_ratio,
            done.critical_path,
            done.milestones,
            done.finish,
            done.champion_counts,
            done.run,
            options.lead_time,
            options.notice,
            options.capacity,
            options.levelled,
            tuple(sorted((flagged or {}).items())),
            tuple(sorted((completed or {}).items())),
        )

    @functools.cached_property
    def tasks(self) -> tuple[PlannedTask, ...]:
        """The planned tasks by date, then the company's order of departments, then task id.

        The order is topological (a task never precedes one it waits for);
        built on first use.
        """
        with gc_paused():
            return planned_tasks(
                self._run,
                self.playbook,
                dict(self.purposes),
                [unit.id for unit in self.departments],
            )

    @functools.cached_property
    def _tasks_by_id(self) -> Mapping[str, PlannedTask]:
        return {task.id: task for task in self.tasks}

    @property
    def champions(self) -> dict[str, int]:
        """Champions to appoint per department: ``max(1, ceil(headcount / champion_ratio))``."""
        return dict(self.champion_counts)

    @property
    def days(self) -> tuple[dt.date, ...]:
        """The plan's business days from its start to its finish; a task's index is its offset."""
        return tuple(self._run.days)

    def task(self, task_id: str) -> PlannedTask:
        """The planned task with ``task_id``."""
        return self._tasks_by_id[task_id]

    def __iter__(self) -> Iterator[PlannedTask]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def __repr__(self) -> str:
        return (
            f"<Plan {self.playbook.id!r} stages={len(self.playbook.stage_graph)} "
            f"tasks={len(self.tasks)} {self.start.isoformat()}..{self.finish.isoformat()}>"
        )

    def milestone(self, kind: Milestone | str) -> PlannedMilestone | None:
        """The milestone of ``kind``, if the playbook has one."""
        wanted = Milestone(kind)
        return next((m for m in self.milestones if m.kind is wanted), None)

    def steps(self) -> tuple[PlannedStep, ...]:
        """The plan's steps: one per playbook task and round, per-department tasks collapsed.

        A step spans from its first task's start to its last task's finish and
        lists the departments it runs in, in plan order. Renderers show steps
        and keep per-department detail apart.
        """
        groups: dict[tuple[str, int | None], list[PlannedTask]] = {}
        for task in self.tasks:
            groups.setdefault((task.task, task.round), []).append(task)
        steps = [
            PlannedStep(
                id=members[0].id.split("@", 1)[0],
                task=key,
                stage=members[0].stage,
                round=rnd,
                title=members[0].title,
                role=members[0].role,
                start=min(t.start for t in members),
                finish=max(t.finish for t in members),
                departments=tuple(t.department for t in members if t.department is not None),
                critical=any(t.critical for t in members),
                milestone=members[0].milestone,
                placeholder=members[0].placeholder,
            )
            for (key, rnd), members in groups.items()
        ]
        stage_rank = {stage_id: n for n, stage_id in enumerate(self.playbook.stage_graph.order)}
        steps.sort(key=lambda s: (s.start, stage_rank[s.stage], s.finish, s.id))
        return tuple(steps)

    def check(self, checklist: Checklist | None = None, *, lang: Lang = "en") -> tuple[Answer, ...]:
        """Checklist answers that the plan itself proves, each with source ``"plan"``.

        Covered: the lead time before launch (``announcement.lead-time``), the
        notice before the old way is enforced (``announcement.key-dates``), a
        briefing per department before launch
        (``announcement.briefing-per-department``), two channels for each
        announcement that lists its channels (``announcement.two-channels``),
        champions in place before every stage their item gates
        (``two_way.champions``) and measurement on its cadence from one period
        after launch (``two_way.adoption-measured``). An item the playbook
        gives no basis for is left out. A failed answer's note names the
        playbook file and line to fix.
        """
        from backoffice_marketing.diagnosis.planning.check import check_plan  # noqa: PLC0415

        return check_plan(self, checklist, lang)

    def replan(
        self,
        *,
        progress: Mapping[str, dt.date] | None = None,
        rates: object = None,
        flagged: Iterable[str] = (),
        today: dt.date | None = None,
        target: float | None = None,
        purposes: Mapping[str, LocalizedText] | None = None,
    ) -> Plan:
        """The plan rescheduled from ``today`` after real progress and the latest rates.

        ``progress`` maps task ids to the day each was actually finished; those
        tasks stay where they happened. ``rates`` gives each department's
        adoption share in the latest period (a mapping, or the adoption-rates
        frame of :func:`backoffice_marketing.adoption.adoption_rates`); a
        department below ``target`` (the playbook's exit target by default) is
        flagged, as is every department in ``flagged``. The flagged departments
        replace the placeholder of the earliest round whose flagged-only
        follow-up is not done yet, as one visit each. Every other task starts
        on ``today`` (the current date by default) or later, under the same
        lead time, notice, capacity and calendar. ``purposes`` gives a flagged
        department's visit its purpose (its barrier's next action, from
        :func:`backoffice_marketing.readiness.visit_purposes`) as its title.
        """
        inputs = replanning(
            self, progress=progress or {}, rates=rates, flagged=flagged, today=today,
            target=target,
        )  # fmt: skip
        options = SchedulingOptions(self.lead_time, self.notice, self.capacity, self.levelled)
        planned = self._scheduled(
            self.playbook, self.start, self.departments, self.calendar, self.champion_ratio,
            options, flagged=inputs.flagged, completed=inputs.completed, release=inputs.release,
        )  # fmt: skip
        return attrs.evolve(planned, purposes=tuple(sorted((purposes or {}).items())))

    # Renderers live in backoffice_marketing.render.plan; the report protocol calls them.

    def to_markdown(self, *, lang: Lang | None = None, detail: bool = False) -> str:
        """The plan as Markdown: milestones, champions, steps by stage.

        Per-department tasks are grouped under their step; ``detail=True``
        adds a table of every per-department task.
        """
        from backoffice_marketing.render.plan import plan_markdown  # noqa: PLC0415

        return plan_markdown(self, resolve_lang(lang), detail=detail)

    def _markdown(self, lang: Lang) -> str:
        return self.to_markdown(lang=lang)

    def _html(self, lang: Lang) -> str:
        """The plan as a standalone, escaped HTML page with an SVG Gantt chart."""
        from backoffice_marketing.render.plan import plan_html  # noqa: PLC0415

        return plan_html(self, lang)

    def to_mermaid(self, *, lang: Lang | None = None) -> str:
        """The plan as a Mermaid gantt chart (labels quoted and sanitised)."""
        from backoffice_marketing.render.plan import plan_mermaid  # noqa: PLC0415

        return plan_mermaid(self, resolve_lang(lang))

    def _export(self, fmt: str, lang: Lang) -> bytes:
        if fmt == "mmd":
            return self.to_mermaid(lang=lang).encode("utf-8")
        if fmt == "xlsx":
            from backoffice_marketing.render.plan_xlsx import plan_workbook_bytes  # noqa: PLC0415

            return plan_workbook_bytes(self, lang)
        from backoffice_marketing.render.plan_ics import plan_calendar_bytes  # noqa: PLC0415

        return plan_calendar_bytes(self, lang)

    def to_xlsx(self, path: str | os.PathLike[str], *, lang: Lang | None = None) -> None:
        """Deprecated: use ``plan.write("plan.xlsx")`` (the ``[excel]`` extra)."""
        warn_deprecated("Plan.to_xlsx()", "Plan.write('plan.xlsx')")
        self.write(path, format="xlsx", lang=lang)

    def to_ics(
        self, path: str | os.PathLike[str], *, lang: Lang | None = None, detail: bool = False
    ) -> None:
        """Write the plan as an iCalendar file (``[calendar]`` extra) with stable UIDs.

        One event per step (as ``write("plan.ics")`` does); ``detail=True`` writes
        one event per task instead.
        """
        from backoffice_marketing.foundation.io.atomic import write_bytes_atomic  # noqa: PLC0415
        from backoffice_marketing.render.plan_ics import plan_calendar_bytes  # noqa: PLC0415

        write_bytes_atomic(path, plan_calendar_bytes(self, resolve_lang(lang), detail=detail))
