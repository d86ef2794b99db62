"""Building the two decision decks from the reports of one run.

:func:`approval_deck` asks the management meeting to approve an initiative;
:func:`cutover_deck` asks it to declare the end of the old way. Both read the
reports' ``to_dict()`` (the data their JSON holds), so every figure on a
slide is a value of a report of the same run, named in the speaker notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from backoffice_marketing.core.departments import company_order
from backoffice_marketing.decks.baseline import Baseline
from backoffice_marketing.decks.costs import BaselineAssumptions, BusinessCase, Costs, business_case
from backoffice_marketing.decks.figures import Figure, FigureFormat
from backoffice_marketing.decks.layout import (
    BODY,
    month_starts,
    split_lines,
    split_table,
    table_widths,
)
from backoffice_marketing.decks.model import Deck, DeckKind, GanttRow, Marker, Slide
from backoffice_marketing.diagnosis.gap_adoption import outcome_marks, outcome_standing
from backoffice_marketing.foundation.text import Lang, LocalizedText, check_lang
from backoffice_marketing.render.labels import label

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.initiative import Initiative
    from backoffice_marketing.diagnosis.planning.plan import Plan

__all__ = [
    "DeckInputs",
    "approval_deck",
    "build_deck",
    "cutover_deck",
]

_MAX_THEMES = 6
_MAX_QUOTES = 3
_MAX_RISKS = 3
_MAX_TASKS = 2


def named_barriers(barriers: Iterable[Any]) -> dict[str, LocalizedText]:
    """Each department's barrier element by its short name, for the deck's department table.

    ``barriers`` are the readiness report's department barriers (anything with a
    ``department`` and an ``element`` that has a ``short`` name); a department
    whose barrier has no element yet is left out.
    """
    return {b.department: b.element.short for b in barriers if b.element is not None}


def _barriers(values: Mapping[str, LocalizedText] | None) -> Mapping[str, LocalizedText]:
    return dict(values or {})


@attrs.frozen
class DeckInputs:
    """What a deck is built from: the initiative, its plan and the run's reports.

    ``voice`` is a :class:`~backoffice_marketing.voice.VoiceReport`, ``gaps``
    a :class:`~backoffice_marketing.GapReport`, ``cutover`` a
    :class:`~backoffice_marketing.adoption.CutoverAdvice`, or the JSON of
    each read back as a mapping; each may be ``None``, and its slides then
    say what is missing. ``outcome`` is an
    :class:`~backoffice_marketing.adoption.OutcomeEvaluation` (or its JSON):
    with it, the cut-over deck's department table shows the exit rule's
    verdict first and the weekly activity beside it. ``baseline`` defaults
    to the stated assumptions of ``costs`` (or the public figures).
    ``barriers`` maps a department to its barrier (shown when present,
    otherwise "not assessed").
    """

    initiative: Initiative
    plan: Plan
    as_of: dt.date
    voice: Any = None
    gaps: Any = None
    cutover: Any = None
    costs: Costs | None = None
    baseline: Baseline | None = None
    barriers: Mapping[str, LocalizedText] = attrs.field(factory=dict, converter=_barriers)
    outcome: Any = None


Line = tuple[str, tuple[Figure, ...]]


def _plain(report: Any) -> Any:
    """A report's plain data: its ``to_dict()``, or the mapping given (its JSON, read back)."""
    if report is None or isinstance(report, Mapping):
        return report
    return report.to_dict()


class _Builder:
    """The slides of one deck in one language."""

    def __init__(self, inputs: DeckInputs, lang: Lang) -> None:
        self.inputs = inputs
        self.lang = lang
        self.plan = _plain(inputs.plan)
        self.voice = _plain(inputs.voice)
        self.gaps = _plain(inputs.gaps)
        self.cutover = _plain(inputs.cutover)
        self.outcome = _plain(inputs.outcome)
        costs = inputs.costs
        headcount = sum(unit.headcount for unit in inputs.initiative.departments)
        self.case: BusinessCase | None = (
            business_case(costs, headcount=headcount) if costs is not None and headcount else None
        )
        self.baseline = inputs.baseline or Baseline.from_assumptions(
            costs.baseline if costs is not None else BaselineAssumptions(),
            headcount=headcount,
            hourly_cost=costs.hourly_cost if costs is not None else None,
            old_way_share=self._old_way_share(),
            as_of=inputs.as_of,
        )
        from backoffice_marketing.foundation.io.converter import plain_data  # noqa: PLC0415

        self.own: dict[str, Any] = {
            "as_of": inputs.as_of,
            "baseline": plain_data(self.baseline),
        }
        if self.case is not None:
            self.own["business_case"] = plain_data(self.case)
        if costs is not None:
            self.own["costs"] = plain_data(costs)

    def _old_way_share(self) -> float:
        """The share still sent the old way: 1 less the latest company adoption (1 before)."""
        if self.cutover is None or not self.cutover["company"]:
            return 1.0
        return 1.0 - float(self.cutover["company"][-1][1])

    # -- figures ------------------------------------------------------------------------------
    def text(self, key: str, **values: object) -> str:
        return label(key, self.lang).format(**values)

    def fig(
        self, source: str, field: str, fmt: FigureFormat, *, origin: str | None = None
    ) -> Figure:
        data = {
            "voice_report": self.voice,
            "gap_report": self.gaps,
            "cutover_advice": self.cutover,
            "outcome_evaluation": self.outcome,
            "plan": self.plan,
            "deck": self.own,
        }[source]
        as_of = self._as_of(source)
        return Figure.read(data, source, field, fmt, as_of=as_of, origin=origin)

    def _as_of(self, source: str) -> dt.date | None:
        if source == "voice_report" and self.voice is not None:
            return _day(self.voice["as_of"])
        if source == "gap_report" and self.gaps is not None:
            return _day(self.gaps["date"])
        if source == "cutover_advice" and self.cutover and self.cutover["company"]:
            return _day(self.cutover["company"][-1][0])
        if source == "plan":
            return _day(self.plan["start"])
        return self.inputs.as_of

    def line(self, key: str, **values: object) -> Line:
        """A line from a label whose Figure values are shown by their text."""
        figures = tuple(v for v in values.values() if isinstance(v, Figure))
        shown = {k: v.text if isinstance(v, Figure) else v for k, v in values.items()}
        return self.text(key, **shown), figures

    # -- slides -------------------------------------------------------------------------------
    def slides(
        self,
        key: str,
        title: str,
        lines: Sequence[Line],
        *,
        warnings: Sequence[str] = (),
        missing: str | None = None,
        verbatim: Sequence[str] = (),
    ) -> list[Slide]:
        """Slides of lines that fit, split onto continuation slides when they do not."""
        texts = [*warnings, *(text for text, _ in lines)]
        if missing:
            texts.append(missing)
        size, chunks = split_lines(texts)
        figures_of = dict(lines)
        out: list[Slide] = []
        for number, chunk in enumerate(chunks):
            heading = title if number == 0 else title + label("deck_continued", self.lang)
            out.append(
                Slide(
                    key=key,
                    title=heading,
                    lines=tuple(t for t in chunk if t not in warnings and t != missing),
                    size=size,
                    warnings=tuple(t for t in chunk if t in warnings),
                    missing=missing if missing in chunk else None,
                    figures=tuple(f for t in chunk for f in figures_of.get(t, ())),
                    verbatim=tuple(v for v in verbatim if any(v in t for t in chunk)),
                )
            )
        return out

    def owner(self) -> str:
        proposal = self.inputs.costs.proposal if self.inputs.costs is not None else None
        return proposal.owner if proposal is not None else label("deck_owner_missing", self.lang)

    def milestone(self, kind: str) -> Figure | None:
        for index, milestone in enumerate(self.plan["milestones"]):
            if milestone["kind"] == kind:
                return self.fig("plan", f"milestones[{index}].date", "date")
        return None

    def milestone_lines(self) -> list[Line]:
        keys = {
            "approval": "deck_milestone_approval",
            "launch": "deck_milestone_launch",
            "cut-over": "deck_milestone_cutover",
        }
        out: list[Line] = []
        for kind, key in keys.items():
            figure = self.milestone(kind)
            if figure is not None:
                out.append(self.line(key, date=figure))
        return out

    def ask_approval(self) -> Line:
        date = self.milestone("approval")
        name = self.inputs.initiative.name.get(self.lang)
        if date is None:
            when = self.fig("deck", "as_of", "date")
            return self.line("deck_ask_approval", date=when, name=name, owner=self.owner())
        return self.line("deck_ask_approval", date=date, name=name, owner=self.owner())

    def scope(self) -> Line:
        departments = self.fig("plan", "departments", "length")
        if self.voice is not None:
            people = self.fig("voice_report", "coverage.headcount", "count")
            return self.line("deck_scope_people", departments=departments, people=people)
        return self.line("deck_scope", departments=departments)

    def decision(self) -> list[Slide]:
        name = self.inputs.initiative.name.get(self.lang)
        title = f"{label('deck_approval_name', self.lang)}: {name}"
        lines = [self.ask_approval(), self.scope(), *self.milestone_lines()]
        return self.slides("decision", title, lines, verbatim=[name, self.owner()])

    # -- voice --------------------------------------------------------------------------------
    def voice_themes(self) -> list[Slide]:
        title = label("deck_voice_themes_title", self.lang)
        if self.voice is None:
            return self.slides("voice", title, [], missing=label("deck_voice_missing", self.lang))
        themes = sorted(
            enumerate(self.voice["themes"]), key=lambda pair: (-pair[1]["asked"], pair[1]["id"])
        )[:_MAX_THEMES]
        lines: list[Line] = []
        verbatim: list[str] = []
        for index, theme in themes:
            said = theme.get("said")
            text = said[self.lang] if said else theme.get("wording") or theme["id"]
            verbatim.append(text)
            count = self.fig("voice_report", f"themes[{index}].asked", "count")
            lines.append(self.line("deck_voice_theme_line", theme=text, count=count))
        stats = self.voice["stats"]
        del stats
        lines.append(
            self.line(
                "deck_voice_questions",
                received=self.fig("voice_report", "stats.received", "count"),
                replied=self.fig("voice_report", "stats.replied", "count"),
            )
        )
        missing = None if themes else label("deck_voice_no_themes", self.lang)
        return self.slides("voice", title, lines, missing=missing, verbatim=verbatim)

    def voice_heard(self) -> list[Slide]:
        title = label("deck_voice_heard_title", self.lang)
        if self.voice is None:
            return self.slides(
                "hearings", title, [], missing=label("deck_voice_missing", self.lang)
            )
        floor = self.inputs.initiative.privacy.text
        heard = self.voice["coverage"]["heard"]
        sep = "、" if self.lang == "ja" else ", "
        names = sep.join(heard)
        lines: list[Line] = [
            self.line(
                "deck_voice_heard",
                heard=self.fig("voice_report", "coverage.heard", "length"),
                departments=self.fig("voice_report", "coverage.departments", "length"),
                people_heard=self.fig("voice_report", "coverage.headcount_heard", "count"),
                people=self.fig("voice_report", "coverage.headcount", "count"),
            ),
            (self.text("deck_voice_heard_list", names=names), ()),
        ]
        quotes = self._quotes(self.voice, floor)
        key = "deck_voice_quotes" if quotes else "deck_voice_no_quotes"
        lines.append((self.text(key, floor=floor), ()))
        lines += [(f"「{quote}」" if self.lang == "ja" else f"“{quote}”", ()) for quote in quotes]
        return self.slides(
            "hearings", title, lines, verbatim=[names, *quotes, self.text(key, floor=floor)]
        )

    def _quotes(self, voice: Mapping[str, Any], floor: int) -> list[str]:
        """Quotes the voice report publishes, from groups at or over the free-text floor."""
        sizes = self.inputs.initiative.headcounts
        chosen: list[str] = []
        seen: set[tuple[str, ...]] = set()
        for finding in voice["findings"]:
            if finding.get("quotes_withheld") or finding.get("text_withheld"):
                continue
            departments = tuple(finding.get("departments", ()))
            if not departments or sum(sizes.get(name, 0) for name in departments) < floor:
                continue
            if departments in seen or not finding.get("quotes"):
                continue
            seen.add(departments)
            chosen.append(finding["quotes"][0])
            if len(chosen) == _MAX_QUOTES:
                break
        return chosen

    # -- baseline and business case -----------------------------------------------------------
    def baseline_slide(self) -> list[Slide]:
        title = label("deck_baseline_title", self.lang)
        base = self.baseline
        lines: list[Line] = [
            self.line(
                "deck_baseline_hours",
                hours=self.fig("deck", "baseline.hours_per_person_per_day", "decimal"),
                days=self.fig("deck", "baseline.working_days_per_year", "count"),
            ),
            self.line(
                "deck_baseline_share", share=self.fig("deck", "baseline.old_way_share", "percent")
            ),
            self.line(
                "deck_baseline_total",
                hours=self.fig("deck", "baseline.hours_per_year", "count"),
                people=self.fig("deck", "baseline.headcount", "count"),
            ),
        ]
        if base.cost_per_year is not None and self.inputs.costs is not None:
            lines.append(
                self.line(
                    "deck_baseline_cost",
                    cost=self.fig("deck", "baseline.cost_per_year", "money"),
                    hourly=self.fig("deck", "costs.hourly_cost", "money"),
                )
            )
        else:
            lines.append((label("deck_baseline_no_cost", self.lang), ()))
        head = "deck_baseline_measured" if base.measured else "deck_baseline_assumed"
        origin = label(head, self.lang) + base.origin.get(self.lang)
        lines.append((origin, ()))
        verbatim = [origin]
        if not base.measured:
            manager = label("deck_baseline_manager", self.lang)
            lines.append((manager, ()))
            verbatim.append(manager)
        return self.slides("baseline", title, lines, verbatim=verbatim)

    def costs_slide(self) -> list[Slide]:
        title = label("deck_costs_title", self.lang)
        case, costs = self.case, self.inputs.costs
        if costs is None:
            return self.slides("costs", title, [], missing=label("deck_costs_missing", self.lang))
        if case is None:
            missing = label("deck_costs_no_headcount", self.lang)
            return self.slides("costs", title, [], missing=missing)
        lines: list[Line] = [
            self.line(
                "deck_costs_one_off",
                one_off=self.fig("deck", "business_case.one_off", "money"),
                hours=self.fig("deck", "costs.training.hours_per_person", "decimal"),
                hourly=self.fig("deck", "costs.hourly_cost", "money"),
                people=self.fig("deck", "business_case.headcount", "count"),
                training=self.fig("deck", "business_case.training", "money"),
            ),
            self.line(
                "deck_costs_licences",
                licences=self.fig("deck", "business_case.licences_per_year", "money"),
                per_month=self.fig("deck", "costs.licence.per_person_per_month", "money"),
            ),
            self.line(
                "deck_costs_benefit",
                benefit=self.fig("deck", "business_case.benefit_per_year", "money"),
                hours=self.fig("deck", "costs.benefit.hours_saved_per_person_per_week", "decimal"),
                weeks=self.fig("deck", "costs.benefit.weeks_per_year", "count"),
            ),
        ]
        if case.payback_months is None:
            lines.append((label("deck_costs_never", self.lang), ()))
        else:
            months = self.fig("deck", "business_case.payback_months", "decimal")
            lines.append(self.line("deck_costs_payback", months=months))
        if case.payback_months_halved is None:
            lines.append((label("deck_costs_halved_never", self.lang), ()))
        else:
            halved = self.fig("deck", "business_case.payback_months_halved", "decimal")
            lines.append(self.line("deck_costs_halved", months=halved))
        warnings = [warning.get(self.lang) for warning in case.warnings]
        return self.slides("costs", title, lines, warnings=warnings, verbatim=warnings)

    # -- risks, timeline, team ----------------------------------------------------------------
    def risks(self) -> list[Slide]:
        title = label("deck_risks_title", self.lang)
        if self.gaps is None:
            return self.slides("risks", title, [], missing=label("deck_risks_missing", self.lang))
        from backoffice_marketing.core.failure_modes import FailureMode  # noqa: PLC0415

        modes = [
            (index, mode)
            for index, mode in enumerate(self.gaps["failure_modes"])
            if mode.get("score") is not None
        ]
        weakest = sorted(modes, key=lambda pair: (pair[1]["score"], pair[1]["failure_mode"]))
        lines: list[Line] = []
        verbatim: list[str] = []
        for index, mode in weakest[:_MAX_RISKS]:
            name = FailureMode(mode["failure_mode"]).label(self.lang)
            status = label(f"status_{mode['status']}", self.lang)
            score = self.fig("gap_report", f"failure_modes[{index}].score", "percent")
            lines.append(self.line("deck_risk_line", mode=name, score=score, status=status))
            remedy = next(
                (r for r in self.gaps["remedies"] if r["failure_mode"] == mode["failure_mode"]),
                None,
            )
            if remedy is not None and remedy.get("actions"):
                action = remedy["actions"][0][self.lang]
                lines.append((self.text("deck_risk_remedy", action=action), ()))
                verbatim.append(action)
        return self.slides("risks", title, lines, verbatim=verbatim)

    def timeline(self) -> list[Slide]:
        title = label("deck_timeline_title", self.lang)
        plan = self.inputs.plan
        spans: dict[str, tuple[dt.date, dt.date]] = {}
        for task in plan.tasks:
            start, finish = spans.get(task.stage, (task.start, task.finish))
            spans[task.stage] = (min(start, task.start), max(finish, task.finish))
        rows = tuple(
            GanttRow(stage.name.get(self.lang), *spans[stage.id])
            for stage in plan.playbook.stage_graph
            if stage.id in spans
        )
        if not rows:  # pragma: no cover - a scheduled plan always has tasks
            return self.slides(
                "timeline", title, [], missing=label("deck_timeline_missing", self.lang)
            )
        lines = self.milestone_lines()
        markers = tuple(Marker(text, _day(figures[0].text)) for text, figures in lines)
        legend = "  ".join(f"◆ {text}" for text, _ in lines)
        figures = tuple(f for _, fs in lines for f in fs)
        months = _months(min(r.start for r in rows), max(r.finish for r in rows))
        per_slide = max(1, int((BODY.height - 3 * _gantt_row()) // _gantt_row()))
        out: list[Slide] = []
        for number, first in enumerate(range(0, len(rows), per_slide)):
            heading = title if number == 0 else title + label("deck_continued", self.lang)
            chunk = rows[first : first + per_slide]
            out.append(
                Slide(
                    key="timeline",
                    title=heading,
                    lines=(legend,),
                    size=14,
                    gantt=chunk,
                    markers=markers,
                    figures=figures,
                    verbatim=(*(r.label for r in chunk), *months),
                )
            )
        return out

    def team(self) -> list[Slide]:
        title = label("deck_team_title", self.lang)
        lines: list[Line] = [
            self.line(
                "deck_team_champions",
                champions=self.fig("plan", "champions", "sum"),
                departments=self.fig("plan", "champions", "length"),
            )
        ]
        roles = sorted({task.role for task in self.inputs.plan.tasks if task.role})
        sep = "、" if self.lang == "ja" else ", "
        role_names = sep.join(_role(role, self.lang) for role in roles)
        lines.append((role_names, ()))
        proposal = self.inputs.costs.proposal if self.inputs.costs is not None else None
        verbatim = [role_names]
        if proposal is not None and proposal.team:
            members = self.text("deck_team_members", names=sep.join(proposal.team))
            lines.append((members, ()))
            verbatim.append(members)
            missing = None
        else:
            missing = label("deck_team_missing", self.lang)
        return self.slides("team", title, lines, missing=missing, verbatim=verbatim)

    def next_steps(self) -> list[Slide]:
        title = label("deck_next_title", self.lang)
        lines = [self.ask_approval(), *self.milestone_lines()]
        if self.case is not None and self.case.payback_months is not None:
            months = self.fig("deck", "business_case.payback_months", "decimal")
            lines.append(self.line("deck_costs_payback", months=months))
        name = self.inputs.initiative.name.get(self.lang)
        return self.slides("next", title, lines, verbatim=[name, self.owner()])

    # -- cut-over -----------------------------------------------------------------------------
    def cutover_decision(self) -> list[Slide]:
        name = self.inputs.initiative.name.get(self.lang)
        title = f"{label('deck_cutover_name', self.lang)}: {name}"
        advice = self.cutover
        if advice is None or None in (advice.get("declaration"), advice.get("enforcement")):
            return self.slides(
                "decision",
                title,
                [self.scope()],
                missing=label("deck_dates_missing", self.lang),
                verbatim=[name],
            )
        lines = [
            self.line(
                "deck_ask_cutover",
                declaration=self.fig("cutover_advice", "declaration", "date"),
                enforcement=self.fig("cutover_advice", "enforcement", "date"),
                owner=self.owner(),
            ),
            self.scope(),
        ]
        return self.slides("decision", title, lines, verbatim=[name, self.owner()])

    def company(self) -> list[Slide]:
        title = label("deck_company_title", self.lang)
        advice = self.cutover
        if advice is None or not advice["company"]:
            missing = label("deck_company_missing", self.lang)
            return self.slides("company", title, [], missing=missing)
        last = len(advice["company"]) - 1
        share = self.fig("cutover_advice", f"company[{last}][1]", "percent")
        majority = self.fig("cutover_advice", "majority", "percent")
        lines = [
            self.line(
                "deck_company_share",
                share=share,
                period=self.fig("cutover_advice", f"company[{last}][0]", "date"),
            ),
            self.line(
                "deck_company_majority",
                majority=majority,
                target=self.fig("cutover_advice", "target", "percent"),
            ),
        ]
        reached = advice["company"][last][1] >= advice["majority"]
        verdict = label(
            "deck_company_reached" if reached else "deck_company_not_reached", self.lang
        )
        lines.append((verdict, ()))
        (slide,) = self.slides("company", title, lines)
        first = self.fig("cutover_advice", "company[0][0]", "date")
        return [
            attrs.evolve(
                slide,
                bars=tuple(point[1] for point in advice["company"]),
                reference=advice["majority"],
                reference_label=majority.text,
                axis=(first.text, lines[0][1][1].text),
                figures=(*slide.figures, first),
            )
        ]

    def _barrier_cell(self, barrier: LocalizedText | None, standing: str) -> str:
        """The barrier of a department, a dash when on track or done, else "not assessed"."""
        if barrier is not None:
            return barrier.get(self.lang)
        if standing in ("on_track", "done"):
            return "—"
        return label("deck_not_assessed", self.lang)

    def _company_order(self, entries: Sequence[Mapping[str, Any]]) -> list[tuple[int, Any]]:
        """``entries`` with their indexes, in the initiative's order of departments."""
        key = self._order_key()
        return sorted(enumerate(entries), key=lambda pair: key(pair[1]["department"]))

    def _order_key(self) -> Callable[[str], tuple[int, str]]:
        """The sort key of department names in the initiative's order."""
        return company_order(unit.id for unit in self.inputs.initiative.departments)

    def _header(self, *, measured: bool) -> tuple[str, ...]:
        """The department table's header (the exit rule's columns first when ``measured``)."""
        keys = (
            ("gap_outcome_standing", "gap_outcome_share", "gap_weekly_rate")
            if measured
            else ("deck_col_rate", "deck_col_standing")
        )
        return tuple(
            label(key, self.lang) for key in ("deck_col_department", *keys, "deck_col_barrier")
        )

    def departments(self) -> list[Slide]:
        """The department table: the exit rule's verdict when outcome data exists, else weekly.

        With an outcome evaluation, a department's standing is the gap
        report's (``outcome_standing``: done, not done, or no outcome data),
        its share is read from ``outcome_evaluation.json`` (named in the
        notes) and the weekly rate and standing come second.
        """
        title = label("deck_departments_title", self.lang)
        advice = self.cutover
        if advice is None or not advice["per_department"]:
            missing = label("deck_company_missing", self.lang)
            return self.slides("departments", title, [], missing=missing)
        marks = {mark.department: mark for mark in outcome_marks(self.outcome)}
        measured = bool(marks)
        if measured:
            title = label("deck_departments_exit_title", self.lang)
        share_at = (
            {e["department"]: i for i, e in enumerate(self.outcome["departments"])}
            if measured
            else {}
        )
        header = self._header(measured=measured)
        rows: list[tuple[str, ...]] = []
        row_figures: list[tuple[Figure, ...]] = []
        for index, entry in self._company_order(advice["per_department"]):
            department, weekly = entry["department"], entry["standing"]
            rate = self.fig("cutover_advice", f"per_department[{index}].rate", "percent")
            standing = outcome_standing(weekly, marks.get(department), measured=measured)
            shown = label(f"adoption_standing_{standing}", self.lang)
            barrier = self._barrier_cell(self.inputs.barriers.get(department), standing)
            if not measured:
                rows.append((department, rate.text, shown, barrier))
                row_figures.append((rate,))
                continue
            found = share_at.get(department)
            share = (
                None
                if found is None
                else self.fig("outcome_evaluation", f"departments[{found}].share", "percent")
            )
            gap = " " if self.lang == "en" else ""
            weekly_cell = f"{rate.text}{gap}({label(f'adoption_standing_{weekly}', self.lang)})"
            share_cell = "—" if share is None else share.text
            rows.append((department, shown, share_cell, weekly_cell, barrier))
            row_figures.append((rate,) if share is None else (share, rate))
        out: list[Slide] = []
        start = 0
        size, chunks = split_table(header, rows, table_widths(len(header)))
        for number, chunk in enumerate(chunks):
            heading = title if number == 0 else title + label("deck_continued", self.lang)
            out.append(
                Slide(
                    key="departments",
                    title=heading,
                    table=(header, *(tuple(row) for row in chunk)),
                    size=size,
                    figures=tuple(f for fs in row_figures[start : start + len(chunk)] for f in fs),
                    verbatim=tuple(t for row in chunk for t in (row[0], row[-1])),
                )
            )
            start += len(chunk)
        return out

    def stranded(self) -> list[Slide]:
        title = label("deck_stranded_title", self.lang)
        advice = self.cutover
        if advice is None:
            missing = label("deck_company_missing", self.lang)
            return self.slides("stranded", title, [], missing=missing)
        lines: list[Line] = []
        verbatim: list[str] = []
        index_of = {e["department"]: i for i, e in enumerate(advice["per_department"])}
        for department in sorted(advice.get("stranded", ()), key=self._order_key()):
            verbatim.append(department)
            index = index_of.get(department)
            entry = advice["per_department"][index] if index is not None else {}
            if entry.get("at_enforcement") is not None:
                rate = self.fig(
                    "cutover_advice", f"per_department[{index}].at_enforcement", "percent"
                )
                lines.append(self.line("deck_stranded_line", department=department, rate=rate))
            else:
                lines.append((department, ()))
            lines += self._planned_for(department, verbatim)
        none = None if lines else label("deck_stranded_none", self.lang)
        return self.slides("stranded", title, lines, missing=none, verbatim=verbatim)

    def _planned_for(self, department: str, verbatim: list[str]) -> list[Line]:
        ahead = [
            (index, task)
            for index, task in enumerate(self.plan["tasks"])
            if _day(task["finish"]) >= self.inputs.as_of
        ]
        # The department's own tasks, else the plan's tasks for lagging departments (their
        # placeholders, named once the department is measured).
        tasks = [pair for pair in ahead if pair[1].get("department") == department] or [
            pair for pair in ahead if pair[1].get("placeholder")
        ]
        tasks = tasks[:_MAX_TASKS]
        if not tasks:
            return [(label("deck_stranded_nothing", self.lang), ())]
        out: list[Line] = []
        for index, task in tasks:
            title = task["title"][self.lang]
            verbatim.append(title)
            start = self.fig("plan", f"tasks[{index}].start", "date")
            finish = self.fig("plan", f"tasks[{index}].finish", "date")
            if start.text == finish.text:
                out.append(self.line("deck_stranded_task_day", title=title, date=start))
            else:
                out.append(self.line("deck_stranded_task", title=title, start=start, finish=finish))
        return out

    def dates(self) -> list[Slide]:
        title = label("deck_dates_title", self.lang)
        advice = self.cutover
        if advice is None or advice.get("declaration") is None:
            return self.slides("dates", title, [], missing=label("deck_dates_missing", self.lang))
        lines = [
            self.line(
                "deck_dates_declaration", date=self.fig("cutover_advice", "declaration", "date")
            )
        ]
        if not advice["declaration_observed"] and advice.get("declaration_earliest"):
            lines.append(
                self.line(
                    "deck_dates_forecast",
                    earliest=self.fig("cutover_advice", "declaration_earliest", "date"),
                    latest=self.fig("cutover_advice", "declaration_latest", "date"),
                )
            )
        if advice.get("enforcement") is not None:
            lines.append(
                self.line("deck_dates_stop", date=self.fig("cutover_advice", "enforcement", "date"))
            )
        lines.append(
            self.line("deck_dates_notice", days=self.fig("cutover_advice", "notice_days", "count"))
        )
        return self.slides("dates", title, lines)

    def exceptions(self) -> list[Slide]:
        title = label("deck_exceptions_title", self.lang)
        listed = self.inputs.costs.exceptions if self.inputs.costs is not None else ()
        lines: list[Line] = [(text.get(self.lang), ()) for text in listed]
        missing = None if lines else label("deck_exceptions_missing", self.lang)
        return self.slides(
            "exceptions", title, lines, missing=missing, verbatim=[t for t, _ in lines]
        )


def _gantt_row() -> float:
    from backoffice_marketing.decks.layout import GANTT_ROW  # noqa: PLC0415

    return GANTT_ROW


def _day(value: dt.date | str) -> dt.date:
    """A date from plain data (a date, or its ISO text once through JSON)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _months(start: dt.date, finish: dt.date) -> tuple[str, ...]:
    return tuple(text for _, text in month_starts(start, finish))


def _role(role: str, lang: Lang) -> str:
    """A role's name (a role of a user's playbook without a label keeps its id)."""
    try:
        return label(f"plan_role_{role}", lang)
    except KeyError:
        return role


def build_deck(inputs: DeckInputs, kind: DeckKind | str, *, lang: Lang | None = None) -> Deck:
    """The deck of ``kind`` (``approval`` or ``cutover``) in ``lang`` (the initiative's)."""
    chosen = check_lang(lang if lang is not None else inputs.initiative.lang)
    deck_kind = DeckKind(kind)
    builder = _Builder(inputs, chosen)
    if deck_kind is DeckKind.APPROVAL:
        parts = [
            builder.decision,
            builder.voice_themes,
            builder.voice_heard,
            builder.baseline_slide,
            builder.costs_slide,
            builder.risks,
            builder.timeline,
            builder.team,
            builder.next_steps,
        ]
        name_key = "deck_approval_name"
    else:
        parts = [
            builder.cutover_decision,
            builder.company,
            builder.departments,
            builder.stranded,
            builder.dates,
            builder.exceptions,
        ]
        name_key = "deck_cutover_name"
    slides = tuple(slide for part in parts for slide in part())
    title = f"{label(name_key, chosen)}: {inputs.initiative.name.get(chosen)}"
    return Deck(
        kind=deck_kind,
        lang=chosen,
        initiative=inputs.initiative.id,
        title=title,
        as_of=inputs.as_of,
        slides=slides,
        business_case=builder.case,
        baseline=builder.baseline,
        costs=inputs.costs,
    )


def approval_deck(inputs: DeckInputs, *, lang: Lang | None = None) -> Deck:
    """The approval deck for the management meeting (8 to 10 slides)."""
    return build_deck(inputs, DeckKind.APPROVAL, lang=lang)


def cutover_deck(inputs: DeckInputs, *, lang: Lang | None = None) -> Deck:
    """The deck that asks to declare the end of the old way."""
    return build_deck(inputs, DeckKind.CUTOVER, lang=lang)
