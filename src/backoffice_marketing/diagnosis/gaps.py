"""Gap reports: where an initiative will fail, and what to do first.

How the figures are made (all documented in docs/gap-reports.md):

* **Item values** come from the answers (done 1, partial 0.5 or its score,
  not done 0); ``not_applicable`` items leave the computation; unanswered
  items are listed as unanswered, never counted as zero.
* **Several department assessments** are combined per item as the
  headcount-weighted mean of the departments that answered it; a company-wide
  assessment given with them is combined with the same weight as its headcount
  (or as the sum of the departments' headcounts when it has none).
* **Failure-mode scores** are the weighted mean of item values (weights from
  the checklist), and a status: ``ok`` from 0.8, ``at_risk`` from 0.5, ``gap``
  below, ``unanswered`` when nothing was answered (:data:`STATUS_THRESHOLDS`).
* **Gates**: a stage of the playbook is blocked when one of its gate items is
  not done (unanswered counts as not shown to be done). Only stages after
  ``stage`` (the current one) are considered; ``first_blocked_stage`` is the
  first blocked one in the stage graph's order.
* **Remedies** are ordered by ``weight x gap x urgency``, where ``gap`` is
  ``1 - value`` (1 when unanswered) and ``urgency`` is ``1 / (1 + r)`` with
  ``r`` the position of the earliest upcoming stage the item gates (0 for the
  next one); items that gate no upcoming stage get the lowest urgency.
* **Readiness index** (version :data:`READINESS_VERSION`): 0-100, the
  weighted mean of the scored failure modes with :data:`READINESS_WEIGHTS`,
  always shown beside the per-failure-mode view and with its coverage.
* **Conflicts** (listed first): a computed answer and a manual answer to one
  item whose values differ by more than
  :data:`~backoffice_marketing.core.assessment.CONFLICT_TOLERANCE` (0.25). One
  rule decides (:func:`~backoffice_marketing.core.assessment.reconcile`): the newer
  evidence wins, and a manual answer overrides computed evidence only when it
  is newer and gives a reason. Both answers, their sources and dates are kept.
* **Privacy**: department figures about fewer than ``min_group_size`` people
  (default and floor 5) are rolled up by :func:`backoffice_marketing.core.privacy.roll_up`.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from backoffice_marketing.core.assessment import CONFLICT_TOLERANCE, Assessment, disagree, reconcile
from backoffice_marketing.core.checklist import (
    LEVEL_VALUES,
    Answer,
    AnswerLevel,
    Checklist,
    default_checklist,
)
from backoffice_marketing.core.departments import company_order
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE, Group, Suppression, roll_up
from backoffice_marketing.core.report import Report
from backoffice_marketing.diagnosis.gap_adoption import (
    AdoptionRow,
    OutcomeMark,
    adoption_rows,
    outcome_marks,
)
from backoffice_marketing.diagnosis.gap_privacy import gap_privacy
from backoffice_marketing.exceptions import (
    GapReportError,
    UnknownItemError,
)
from backoffice_marketing.foundation.io.shapes import record_of, shape_field, shape_record
from backoffice_marketing.foundation.text import Lang, LocalizedText

if TYPE_CHECKING:
    from backoffice_marketing.adoption.classification import Classification, Reason, Standing
    from backoffice_marketing.diagnosis.planning.plan import Plan
    from backoffice_marketing.diagnosis.playbooks import Playbook
    from backoffice_marketing.readiness.departments import DepartmentBarrier

__all__ = [
    "CONFLICT_TOLERANCE",
    "READINESS_VERSION",
    "READINESS_WEIGHTS",
    "STATUS_THRESHOLDS",
    "Conflict",
    "DepartmentCell",
    "DepartmentRow",
    "FailureModeResult",
    "GapReport",
    "GapReportError",
    "GateBlock",
    "ItemFinding",
    "ReadinessIndex",
    "Remedy",
    "Status",
    "Trend",
]

MODES: tuple[FailureMode, ...] = tuple(FailureMode)

#: JSON Schema keywords of a share between 0 and 1.
_UNIT: dict[str, Any] = {"minimum": 0, "maximum": 1}

#: Lower bounds of the statuses ``ok`` and ``at_risk``; below is ``gap``.
STATUS_THRESHOLDS: Mapping[str, float] = {"ok": 0.8, "at_risk": 0.5}

#: Version of the readiness index formula and weights; bump on any change.
READINESS_VERSION = "1"

#: Weights of the failure modes in the readiness index (version 1: equal, since
#: each of the five failure modes can stall an initiative on its own).
READINESS_WEIGHTS: Mapping[FailureMode, float] = dict.fromkeys(MODES, 0.2)


class Status(enum.StrEnum):
    """How a failure mode (or a department's cell) stands."""

    OK = "ok"
    AT_RISK = "at_risk"
    GAP = "gap"
    UNANSWERED = "unanswered"
    SUPPRESSED = "suppressed"

    @classmethod
    def of(cls, score: float | None) -> Status:
        """The status of a score (``None``: unanswered)."""
        if score is None:
            return cls.UNANSWERED
        if score >= STATUS_THRESHOLDS["ok"]:
            return cls.OK
        if score >= STATUS_THRESHOLDS["at_risk"]:
            return cls.AT_RISK
        return cls.GAP


@attrs.frozen
class ItemFinding:
    """One checklist item in the report: its value and the evidence behind it.

    ``value`` is None when the item is unanswered or not applicable.
    ``evidence`` holds the answer of the company-wide assessment (or of the
    only assessment) with where it came from; ``sources`` counts the answers
    of every assessment by their source (``manual``, ``adoption``, ...), and
    ``answers`` is how many assessments answered the item.
    """

    item: str
    failure_mode: FailureMode
    weight: float
    value: float | None
    answered: bool
    not_applicable: bool
    evidence: tuple[Answer, ...] = ()
    sources: tuple[tuple[str, int], ...] = ()
    answers: int = 0

    @property
    def gap(self) -> float:
        """How far from done: ``1 - value``, 1 when unanswered, 0 when not applicable."""
        if self.not_applicable:
            return 0.0
        return 1.0 if self.value is None else 1.0 - self.value


@attrs.frozen
class FailureModeResult:
    """Score, status and items of one failure mode."""

    failure_mode: FailureMode
    score: float | None
    status: Status
    coverage: float
    items: tuple[ItemFinding, ...]

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Ids of the items without any answer."""
        return tuple(i.item for i in self.items if not i.answered and not i.not_applicable)


@attrs.frozen
class DepartmentCell:
    """One cell of the department x failure-mode matrix."""

    failure_mode: FailureMode
    score: float | None
    status: Status


@attrs.frozen
class DepartmentRow:
    """A published department (or roll-up group) and its cells.

    A suppressed row has no figures: ``reason`` says why and ``merged_into``
    where its people are counted.
    """

    department: str
    headcount: int | None
    cells: tuple[DepartmentCell, ...]
    members: tuple[str, ...] = ()
    merged_into: str | None = None
    reason: LocalizedText | None = None

    @property
    def suppressed(self) -> bool:
        """Whether this row's figures are withheld."""
        return self.reason is not None


@attrs.frozen
class Conflict:
    """A computed and a manual answer to one item that disagree, and which one was kept."""

    item: str
    manual: Answer
    computed: Answer
    kept: str

    @property
    def reason(self) -> LocalizedText:
        """Why the kept answer won, by the reconciliation rule."""
        if self.kept == "manual":
            return LocalizedText(
                ja="手入力の回答のほうが新しく、理由が書かれているため、こちらを採用しました。",
                en="The manual answer is newer and gives a reason, so it is kept.",
            )
        return LocalizedText(
            ja="集計で得た根拠のほうが新しい(または手入力の回答に理由がない)ため、"
            "集計の結果を採用しました。",
            en="The computed evidence is newer (or the manual answer gives no reason), "
            "so the computed answer is kept.",
        )


@attrs.frozen
class GateBlock:
    """An upcoming stage and the checklist items that block it."""

    stage: str
    name: LocalizedText
    blocking: tuple[str, ...]
    due: dt.date | None = None


@attrs.frozen
class Remedy:
    """A prioritised action for one checklist item."""

    item: str
    failure_mode: FailureMode
    actions: tuple[LocalizedText, ...]
    priority: float
    weight: float
    gap: float
    urgency: float
    unanswered: bool
    blocked_stage: str | None
    tasks: tuple[str, ...]


@attrs.frozen
class Trend:
    """Items compared with a previous report: improved, worsened, still open."""

    previous_date: dt.date
    improved: tuple[str, ...]
    worsened: tuple[str, ...]
    still_open: tuple[str, ...]


@attrs.frozen
class ReadinessIndex:
    """One 0-100 figure per initiative, always shown beside the per-mode view."""

    value: float | None
    coverage: float
    version: str = READINESS_VERSION


@attrs.frozen
class _Combined:
    findings: list[ItemFinding]
    departments: dict[str, list[tuple[float, float]]]


def _combine(
    assessments: Sequence[Assessment], checklist: Checklist, weights: Sequence[float]
) -> _Combined:
    """One pass over every answer: item values, sources, and per-department mode sums.

    Item values are headcount-weighted means over the assessments that answered
    the item; sums use ``math.fsum`` (exactly rounded), so the order of answers
    and assessments cannot change the last digit of a published figure.
    """
    index = {item.id: (MODES.index(item.failure_mode), item.weight) for item in checklist}
    products: dict[str, list[float]] = {}
    totals: dict[str, list[float]] = {}
    sources: dict[str, dict[str, int]] = {}
    company: dict[str, Answer] = {}
    departments: dict[str, list[tuple[float, float]]] = {}
    not_applicable = AnswerLevel.NOT_APPLICABLE
    single = len(assessments) == 1
    for assessment, people in zip(assessments, weights, strict=True):
        department = assessment.scope.department
        own_products: list[list[float]] = [[] for _ in MODES]
        own_weights: list[list[float]] = [[] for _ in MODES]
        for answer in assessment.answers:
            item = answer.item
            entry = index.get(item)
            if entry is None:
                raise UnknownItemError(item, known=checklist.ids)
            counts = sources.setdefault(item, {})
            source = answer.evidence.source
            counts[source] = counts.get(source, 0) + 1
            if department is None or single:
                company[item] = answer
            level = answer.level
            if level is not_applicable:
                continue
            value = answer.score if answer.score is not None else LEVEL_VALUES[level]
            products.setdefault(item, []).append(people * value)
            totals.setdefault(item, []).append(people)
            mode, weight = entry
            own_products[mode].append(weight * value)
            own_weights[mode].append(weight)
        if department is not None:
            departments[department] = [
                (math.fsum(p), math.fsum(w)) for p, w in zip(own_products, own_weights, strict=True)
            ]
    findings = []
    for spec in checklist:
        counts = sources.get(spec.id, {})
        answered = spec.id in totals
        mean: float | None = None
        if answered:
            mean = min(1.0, max(0.0, math.fsum(products[spec.id]) / math.fsum(totals[spec.id])))
        findings.append(
            ItemFinding(
                spec.id,
                spec.failure_mode,
                spec.weight,
                mean,
                answered,
                bool(counts) and not answered,
                (company[spec.id],) if spec.id in company else (),
                tuple(sorted(counts.items())),
                sum(counts.values()),
            )
        )
    return _Combined(findings, departments)


def _mode_results(findings: Sequence[ItemFinding]) -> tuple[FailureModeResult, ...]:
    results = []
    for mode in MODES:
        items = tuple(f for f in findings if f.failure_mode is mode)
        answered = [f for f in items if f.value is not None]
        applicable = [f for f in items if not f.not_applicable]
        weight = math.fsum(f.weight for f in answered)
        weighted = math.fsum(f.weight * (f.value or 0.0) for f in answered)
        score = min(1.0, max(0.0, weighted / weight)) if weight else None
        applicable_weight = math.fsum(f.weight for f in applicable)
        coverage = weight / applicable_weight if applicable_weight else 0.0
        results.append(FailureModeResult(mode, score, Status.of(score), coverage, items))
    return tuple(results)


def _matrix(
    departments: Sequence[Assessment],
    scores: Mapping[str, list[tuple[float, float]]],
    min_group_size: int,
) -> tuple[tuple[DepartmentRow, ...], tuple[Suppression, ...]]:
    by_name: dict[str, Assessment] = {}
    for assessment in departments:
        name = assessment.scope.department
        assert name is not None  # noqa: S101  (department scopes only)
        if name in by_name:
            raise GapReportError(f"two assessments for department {name!r}")
        by_name[name] = assessment
    groups = [Group(name, a.scope.headcount or 0, a.scope.parent) for name, a in by_name.items()]
    rolled = roll_up(groups, min_group_size=min_group_size)
    rows: list[DepartmentRow] = []
    for group in rolled.published:
        members = [m for m in group.members if m in scores]
        cells = []
        for position, mode in enumerate(MODES):
            # Members are weighted by headcount, each with its own per-mode score.
            parts = [
                (max(1, by_name[m].scope.headcount or 0), scores[m][position])
                for m in members
                if scores[m][position][1]
            ]
            weight = math.fsum(people for people, _ in parts)
            total = math.fsum(people * s / w for people, (s, w) in parts)
            score = min(1.0, max(0.0, total / weight)) if weight else None
            cells.append(DepartmentCell(mode, score, Status.of(score)))
        rows.append(DepartmentRow(group.id, group.size, tuple(cells), group.members))
    suppressed_cells = tuple(DepartmentCell(mode, None, Status.SUPPRESSED) for mode in MODES)
    rows.extend(
        DepartmentRow(
            suppression.group,
            None,
            suppressed_cells,
            merged_into=suppression.into,
            reason=suppression.reason,
        )
        for suppression in rolled.suppressed
        if suppression.group in by_name
    )
    rows.sort(key=lambda row: (row.suppressed, row.department == "other", row.department))
    return tuple(rows), rolled.suppressed


#: The group that people without a known department fall into.
_OTHER = "other"


@attrs.frozen(repr=False)
class GapReport(Report):
    """A diagnosis of one initiative against the checklist, gated by a playbook's stages."""

    report_kind: ClassVar[str] = "gap_report"
    #: The record of the report's JSON (set below): the converter unstructures a report as it.
    json_shape: ClassVar[type[GapReportRecord]]
    keeps_none: ClassVar[bool] = True

    initiative: str
    date: dt.date
    failure_modes: tuple[FailureModeResult, ...]
    departments: tuple[DepartmentRow, ...]
    gates: tuple[GateBlock, ...]
    first_blocked_stage: str | None
    remedies: tuple[Remedy, ...]
    readiness: ReadinessIndex
    min_group_size: int
    trend: Trend | None = None
    playbook: str | None = None
    stage: str | None = None
    assessments: int = 1
    conflicts: tuple[Conflict, ...] = ()
    adoption: Classification | None = None
    barriers: tuple[DepartmentBarrier, ...] = ()
    #: Each department's outcome by the exit rule, when outcome data exists (gap_adoption).
    outcome: tuple[OutcomeMark, ...] = ()
    #: The company's order of departments (the plan's), for every table of departments.
    order: tuple[str, ...] = ()

    @classmethod
    def from_assessment(
        cls,
        assessment_or_assessments: Assessment | Iterable[Assessment],
        *,
        playbook: Playbook | None = None,
        stage: str | None = None,
        previous: GapReport | Assessment | Iterable[Assessment] | None = None,
        min_group_size: int = MIN_GROUP_SIZE,
        checklist: Checklist | None = None,
        plan: Plan | None = None,
        evidence: Iterable[Answer] = (),
        adoption: Classification | None = None,
        barriers: Iterable[DepartmentBarrier] = (),
        outcome: Any = None,
    ) -> GapReport:
        """Diagnose one assessment, or several (one per department and/or the company).

        ``playbook`` adds gates, the first blocked stage and the tasks that
        address each remedy; ``stage`` is the current stage (only later stages
        are gated); ``plan`` adds due dates to the gates; ``previous`` adds the
        trend. ``evidence`` (answers computed by the producers) is reconciled
        with the company-wide assessment (or the only one): disagreements are
        listed in :attr:`conflicts`. ``adoption`` is the one classification
        of the departments (from
        :func:`~backoffice_marketing.adoption.classification.classify`), shown
        with its merges. ``barriers`` are the flagged departments' barriers and
        next actions (:func:`backoffice_marketing.readiness.department_barriers`).
        ``outcome`` (an :class:`~backoffice_marketing.adoption.OutcomeEvaluation`)
        makes the exit rule the adoption table's standing, with weekly activity
        beside it. Departments follow the plan's order (the company's).
        The result does not depend on the order of answers or assessments.
        """
        from backoffice_marketing.core.privacy import check_min_group_size  # noqa: PLC0415

        k = check_min_group_size(min_group_size)
        items = checklist if checklist is not None else default_checklist()
        assessments = _as_tuple(assessment_or_assessments)
        _check_together(assessments)
        departments = [a for a in assessments if a.scope.department is not None]
        # The floor before any figure: withheld departments and small companies (gap_privacy).
        shown = gap_privacy(assessments, k)
        kept, conflicts = (
            _reconcile(shown.assessments, tuple(evidence)) if shown.assessments else ((), ())
        )
        combined = _combine(kept, items, _weights(kept))
        findings = combined.findings
        modes = _mode_results(findings)
        rows, _ = _matrix(departments, combined.departments, k) if departments else ((), ())
        order = tuple(unit.id for unit in plan.departments) if plan is not None else ()
        company = company_order(order)
        rows = tuple(
            sorted(
                rows, key=lambda r: (r.suppressed, r.department == _OTHER, company(r.department))
            )
        )
        gates, first_gate, upcoming = _gates(findings, items, playbook, stage, plan)
        remedies = _remedies(findings, items, playbook, first_gate, upcoming)
        trend = None
        if previous is not None:
            trend = _trend(findings, previous, items, k)
        if shown.company_withheld:
            modes = tuple(
                FailureModeResult(m.failure_mode, None, Status.SUPPRESSED, 0.0, ()) for m in modes
            )
            gates, remedies, trend, conflicts = (), (), None, ()
        return cls(
            initiative=assessments[0].initiative,
            date=max(a.date for a in assessments),
            failure_modes=modes,
            departments=rows,
            gates=gates,
            first_blocked_stage=gates[0].stage if gates else None,
            remedies=remedies,
            readiness=_readiness(modes),
            min_group_size=k,
            trend=trend,
            playbook=playbook.id if playbook is not None else None,
            stage=stage,
            assessments=len(assessments),
            conflicts=conflicts,
            adoption=adoption,
            barriers=tuple(sorted(barriers, key=lambda b: company(b.department))),
            outcome=outcome_marks(outcome),
            order=order,
        )

    def __repr__(self) -> str:
        return (
            f"<GapReport {self.initiative!r} {self.date.isoformat()} "
            f"readiness={_fmt(self.readiness.value)} first_blocked={self.first_blocked_stage!r} "
            f"remedies={len(self.remedies)}>"
        )

    def __getitem__(self, mode: FailureMode | str) -> FailureModeResult:
        wanted = FailureMode(mode)
        return next(r for r in self.failure_modes if r.failure_mode is wanted)

    def __iter__(self) -> Iterator[FailureModeResult]:
        return iter(self.failure_modes)

    def _markdown(self, lang: Lang) -> str:
        """The report as Markdown (employee-supplied text escaped)."""
        return self._rendered("gap_report.md.j2", lang)

    def _html(self, lang: Lang) -> str:
        """The report as a standalone HTML page with a labelled heatmap table."""
        return self._rendered("gap_report.html.j2", lang)

    def _rendered(self, template: str, lang: Lang) -> str:
        """``template`` filled with the report, its adoption table and its barriers."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render(
            template,
            lang,
            playbook=self.playbook,
            report=self,
            context=_context(),
            **self._merges(),
            **_readiness_section(self.barriers, lang),
        )

    def _merges(self) -> dict[str, Any]:
        if self.adoption is None:
            return {"adoption_merges": (), "adoption_rows": ()}
        from backoffice_marketing.core.privacy import merge_notes  # noqa: PLC0415

        return {
            "adoption_merges": merge_notes(self.adoption.merges),
            "adoption_rows": self._adoption_table(),
        }

    def _adoption_table(self) -> tuple[AdoptionRow, ...]:
        """The adoption table: the exit rule's standing when outcome data exists, in order."""
        if self.adoption is None:
            return ()
        return adoption_rows(self.adoption.departments, self.outcome, self.order)


def _readiness_section(barriers: tuple[DepartmentBarrier, ...], lang: Lang) -> dict[str, str]:
    """The flagged departments' barriers as Markdown and HTML (empty without barriers)."""
    if not barriers:
        return {"readiness_markdown": "", "readiness_html": ""}
    from backoffice_marketing.core.report import markdown_to_html  # noqa: PLC0415
    from backoffice_marketing.render.barriers import barriers_markdown  # noqa: PLC0415

    text = barriers_markdown(barriers, lang=lang)
    return {"readiness_markdown": text, "readiness_html": markdown_to_html(text)}


def _fmt(value: float | None) -> str:
    return "None" if value is None else f"{value:.1f}"


def _as_tuple(given: Assessment | Iterable[Assessment]) -> tuple[Assessment, ...]:
    if isinstance(given, Assessment):
        return (given,)
    result = tuple(given)
    if not result:
        raise GapReportError("a gap report needs at least one assessment")
    for entry in result:
        if not isinstance(entry, Assessment):
            raise TypeError(f"expected Assessment objects; found {type(entry).__name__}")
    # A canonical order: the report must not depend on the order given.
    return tuple(sorted(result, key=lambda a: (a.scope.department or "", a.date)))


def _reconcile(
    assessments: tuple[Assessment, ...], evidence: tuple[Answer, ...]
) -> tuple[tuple[Assessment, ...], tuple[Conflict, ...]]:
    """Fold ``evidence`` into the company-wide (or only) assessment; list the conflicts."""
    if not evidence:
        return assessments, ()
    position = next(
        (i for i, a in enumerate(assessments) if a.scope.department is None),
        0 if len(assessments) == 1 else None,
    )
    if position is None:
        raise GapReportError("computed evidence needs a company-wide assessment to go into")
    target = assessments[position]
    grouped: dict[str, list[Answer]] = {}
    for answer in (*target.answers, *evidence):
        grouped.setdefault(answer.item, []).append(answer)
    conflicts = []
    for item in sorted(grouped):
        kept, manual, computed = reconcile(grouped[item])
        if manual is not None and computed is not None and disagree(manual, computed):
            conflicts.append(
                Conflict(item, manual, computed, "manual" if kept is manual else "computed")
            )
    updated = list(assessments)
    updated[position] = target.with_answers(evidence)
    return tuple(updated), tuple(conflicts)


def _check_together(assessments: Sequence[Assessment]) -> None:
    initiatives = {a.initiative for a in assessments}
    if len(initiatives) > 1:
        raise GapReportError(f"assessments of different initiatives: {sorted(initiatives)}")
    companies = [a for a in assessments if a.scope.department is None]
    if len(companies) > 1:
        raise GapReportError("at most one company-wide assessment can be combined")


def _weights(assessments: Sequence[Assessment]) -> list[float]:
    departments = sum(a.scope.headcount or 0 for a in assessments if a.scope.department)
    weights = []
    for assessment in assessments:
        if assessment.scope.department is None:
            people = assessment.scope.headcount or departments
        else:
            people = assessment.scope.headcount or 0
        weights.append(float(max(1, people)))
    return weights


def _gates(
    findings: Sequence[ItemFinding],
    checklist: Checklist,
    playbook: Playbook | None,
    stage: str | None,
    plan: Plan | None,
) -> tuple[tuple[GateBlock, ...], dict[str, tuple[int, str]], int]:
    """Blocked upcoming stages, each item's earliest upcoming gated stage, and the count."""
    if playbook is None:
        return (), {}, 0
    graph = playbook.stage_graph
    if stage is not None and stage not in graph:
        from backoffice_marketing.diagnosis.stages import UnknownStageError  # noqa: PLC0415

        raise UnknownStageError(stage, known=graph.order)
    later = graph.descendants(stage) if stage is not None else None
    upcoming = [s for s in graph.order if later is None or s in later]
    done = {
        f.item for f in findings if f.not_applicable or (f.value is not None and f.value >= 1.0)
    }
    due: dict[str, dt.date] = {}
    if plan is not None:
        for task in plan.tasks:
            if task.stage not in due or task.start < due[task.stage]:
                due[task.stage] = task.start
    blocks = []
    first_gate: dict[str, tuple[int, str]] = {}
    for rank, stage_id in enumerate(upcoming):
        current = graph[stage_id]
        gate = current.gate_items(checklist)
        for item in gate:
            first_gate.setdefault(item, (rank, stage_id))
        blocking = tuple(item for item in gate if item not in done)
        if blocking:
            blocks.append(GateBlock(stage_id, current.name, blocking, due.get(stage_id)))
    return tuple(blocks), first_gate, len(upcoming)


def _remedies(
    findings: Sequence[ItemFinding],
    checklist: Checklist,
    playbook: Playbook | None,
    first_gate: Mapping[str, tuple[int, str]],
    upcoming: int,
) -> tuple[Remedy, ...]:
    remedies = []
    for finding in findings:
        gap = finding.gap
        if gap <= 0:
            continue
        item = checklist[finding.item]
        rank, blocked = first_gate.get(item.id, (upcoming, None))
        urgency = 1.0 / (1 + rank)
        tasks = tuple(t.id for t in playbook.tasks_addressing(item.id)) if playbook else ()
        remedies.append(
            Remedy(
                item.id,
                item.failure_mode,
                item.remedies,
                round(item.weight * gap * urgency, 12),
                item.weight,
                gap,
                urgency,
                not finding.answered,
                blocked,
                tasks,
            )
        )
    remedies.sort(key=lambda r: (-r.priority, MODES.index(r.failure_mode), r.item))
    return tuple(remedies)


def _readiness(modes: Sequence[FailureModeResult]) -> ReadinessIndex:
    scored = [(READINESS_WEIGHTS[m.failure_mode], m.score) for m in modes if m.score is not None]
    weight = sum(w for w, _ in scored)
    value = 100.0 * sum(w * (s or 0.0) for w, s in scored) / weight if weight else None
    coverage_weight = sum(READINESS_WEIGHTS[m.failure_mode] * m.coverage for m in modes)
    total = sum(READINESS_WEIGHTS.values())
    return ReadinessIndex(
        None if value is None else round(value, 6), round(coverage_weight / total, 6)
    )


def _trend(
    findings: Sequence[ItemFinding],
    previous: GapReport | Assessment | Iterable[Assessment],
    checklist: Checklist,
    k: int,
) -> Trend:
    if isinstance(previous, GapReport):
        before = {f.item: f for r in previous.failure_modes for f in r.items}
        previous_date = previous.date
    else:
        earlier = GapReport.from_assessment(previous, checklist=checklist, min_group_size=k)
        before = {f.item: f for r in earlier.failure_modes for f in r.items}
        previous_date = earlier.date
    improved, worsened, still_open = [], [], []
    for finding in findings:
        old = before.get(finding.item)
        old_value = old.value if old is not None else None
        new_value = finding.value
        if old_value is not None and new_value is not None:
            if new_value > old_value:
                improved.append(finding.item)
            elif new_value < old_value:
                worsened.append(finding.item)
        elif old_value is None and new_value is not None and new_value > 0:
            improved.append(finding.item)
        if finding.gap > 0 and (old is None or old.gap > 0):
            still_open.append(finding.item)
    return Trend(previous_date, tuple(improved), tuple(worsened), tuple(still_open))


def _context() -> Mapping[str, Any]:
    return {"modes": MODES}


# --- The JSON shape (schemas/gap_report.schema.json is generated from these records) ---


@shape_record
@attrs.frozen(kw_only=True)
class AnswerRecord:
    """An answer and where it came from, as a gap report's JSON gives it."""

    level: AnswerLevel
    score: float | None = shape_field(schema=_UNIT)
    source: str
    reference: str | None
    collected_on: dt.date | None
    note: str | None

    @classmethod
    def of(cls, answer: Answer) -> AnswerRecord:
        """The record of ``answer``."""
        return record_of(cls, answer.evidence, level=answer.level, score=answer.score)


@shape_record
@attrs.frozen(kw_only=True)
class ConflictAnswerRecord:
    """One side of a conflict: the item and the answer with where it came from."""

    item: str
    level: AnswerLevel
    score: float | None = shape_field(schema=_UNIT)
    source: str
    reference: str | None
    collected_on: dt.date | None
    note: str | None

    @classmethod
    def of(cls, answer: Answer) -> ConflictAnswerRecord:
        """The record of ``answer``."""
        return record_of(
            cls, answer.evidence, item=answer.item, level=answer.level, score=answer.score
        )


@shape_record
@attrs.frozen(kw_only=True)
class ItemRecord:
    """One checklist item of a failure mode: value, evidence and answers by source."""

    item: str
    weight: float = shape_field(schema={"exclusiveMinimum": 0})
    value: float | None = shape_field(schema=_UNIT)
    answered: bool
    not_applicable: bool
    evidence: tuple[AnswerRecord, ...]
    answers: int = shape_field(schema={"minimum": 0})
    sources: dict[str, int]

    @classmethod
    def of(cls, finding: ItemFinding) -> ItemRecord:
        """The record of ``finding``."""
        evidence = tuple(AnswerRecord.of(answer) for answer in finding.evidence)
        return record_of(cls, finding, evidence=evidence, sources=dict(finding.sources))


@shape_record
@attrs.frozen(kw_only=True)
class FailureModeRecord:
    """Score, status, coverage and items of one failure mode."""

    failure_mode: FailureMode
    score: float | None = shape_field(schema=_UNIT)
    status: Status
    coverage: float = shape_field(schema=_UNIT)
    items: tuple[ItemRecord, ...]

    @classmethod
    def of(cls, result: FailureModeResult) -> FailureModeRecord:
        """The record of ``result``."""
        return record_of(cls, result, items=tuple(ItemRecord.of(f) for f in result.items))


@shape_record
@attrs.frozen(kw_only=True)
class DepartmentRecord:
    """A row of the department matrix; a suppressed row has ``reason`` and no figures."""

    department: str
    headcount: int | None = shape_field(schema={"minimum": MIN_GROUP_SIZE})
    members: tuple[str, ...]
    merged_into: str | None
    reason: LocalizedText | None
    cells: tuple[DepartmentCell, ...] = shape_field(schema={"minItems": 5, "maxItems": 5})

    @classmethod
    def of(cls, row: DepartmentRow) -> DepartmentRecord:
        """The record of ``row``."""
        return record_of(cls, row)


@shape_record
@attrs.frozen(kw_only=True)
class ConflictRecord:
    """A conflict between a manual and a computed answer, which one was kept and why."""

    item: str
    kept: Literal["manual", "computed"]
    manual: ConflictAnswerRecord
    computed: ConflictAnswerRecord
    reason: LocalizedText

    @classmethod
    def of(cls, conflict: Conflict) -> ConflictRecord:
        """The record of ``conflict``."""
        return cls(
            item=conflict.item,
            kept="manual" if conflict.kept == "manual" else "computed",
            manual=ConflictAnswerRecord.of(conflict.manual),
            computed=ConflictAnswerRecord.of(conflict.computed),
            reason=conflict.reason,
        )


@shape_record
@attrs.frozen(kw_only=True)
class OutcomeRecord:
    """A department's outcome by the exit rule: done, the new way's share, and why."""

    done: bool
    share: float = shape_field(schema=_UNIT)
    why: LocalizedText


@shape_record
@attrs.frozen(kw_only=True)
class StandingRecord:
    """One department of the adoption classification, as the gap report shows it.

    ``outcome`` is the exit rule's verdict when outcome data exists; it is left
    out otherwise (and gap reports written before it have none).
    """

    department: str
    rate: float = shape_field(schema=_UNIT)
    standing: Standing
    reasons: tuple[Reason, ...]
    explanation: LocalizedText
    outcome: OutcomeRecord | None = shape_field(default=None, added_later=True)


@shape_record
@attrs.frozen(kw_only=True)
class AdoptionRecord:
    """The adoption classification the gap report shows, with its privacy merges."""

    period: str | None
    target: float = shape_field(schema={"exclusiveMinimum": 0, "maximum": 1})
    median: float | None = shape_field(schema=_UNIT)
    margin: float = shape_field(schema={"exclusiveMinimum": 0})
    #: A department without outcome data leaves ``outcome`` out.
    departments: tuple[StandingRecord, ...] = shape_field(omit_none=True)
    merges: tuple[Suppression, ...]

    @classmethod
    def of(cls, report: GapReport, adoption: Classification) -> AdoptionRecord:
        """The record of ``report``'s ``adoption``: its table's rows, in the company's order."""
        marks = {mark.department: mark for mark in report.outcome}
        standings = []
        for row in report._adoption_table():
            mark = marks.get(row.department)
            outcome = None if mark is None else record_of(OutcomeRecord, mark)
            standings.append(record_of(StandingRecord, adoption[row.department], outcome=outcome))
        return record_of(cls, adoption, departments=tuple(standings))


@shape_record
@attrs.frozen(kw_only=True)
class ReadinessRecord:
    """The readiness index with the weights of its version."""

    value: float | None = shape_field(schema={"minimum": 0, "maximum": 100})
    coverage: float = shape_field(schema=_UNIT)
    version: str
    weights: dict[FailureMode, float]

    @classmethod
    def of(cls, readiness: ReadinessIndex) -> ReadinessRecord:
        """The record of ``readiness``."""
        return record_of(cls, readiness, weights={mode: READINESS_WEIGHTS[mode] for mode in MODES})


@shape_record
@attrs.frozen(kw_only=True)
class RemedyRecord:
    """A prioritised remedy, its factors, the stage it unblocks and the tasks that do it."""

    item: str
    failure_mode: FailureMode
    priority: float = shape_field(schema={"minimum": 0})
    weight: float
    gap: float = shape_field(schema=_UNIT)
    urgency: float = shape_field(schema=_UNIT)
    unanswered: bool
    blocked_stage: str | None
    tasks: tuple[str, ...]
    actions: tuple[LocalizedText, ...] = shape_field(schema={"minItems": 1})

    @classmethod
    def of(cls, remedy: Remedy) -> RemedyRecord:
        """The record of ``remedy``."""
        return record_of(cls, remedy)


@shape_record
@attrs.frozen(kw_only=True)
class GapReportRecord:
    """The JSON shape of a gap report: what ``GapReport.to_dict()`` holds, every key present.

    ``conflicts``, ``conflict_tolerance``, ``adoption`` and ``barriers`` are
    missing from gap reports written by 0.1.0; a barrier leaves out its empty
    (``None``) fields, as the readiness report does.
    """

    initiative: str
    date: dt.date
    playbook: str | None
    stage: str | None
    assessments: int = shape_field(schema={"minimum": 1})
    min_group_size: int = shape_field(schema={"minimum": MIN_GROUP_SIZE})
    readiness: ReadinessRecord
    failure_modes: tuple[FailureModeRecord, ...] = shape_field(
        schema={"minItems": len(MODES), "maxItems": len(MODES)}
    )
    departments: tuple[DepartmentRecord, ...]
    gates: tuple[GateBlock, ...]
    conflicts: tuple[ConflictRecord, ...] = shape_field(default=(), added_later=True)
    conflict_tolerance: float | None = shape_field(default=None, added_later=True, schema=_UNIT)
    adoption: AdoptionRecord | None = shape_field(default=None, added_later=True)
    barriers: tuple[DepartmentBarrier, ...] = shape_field(
        default=(), added_later=True, omit_none=True
    )
    first_blocked_stage: str | None
    remedies: tuple[RemedyRecord, ...]
    trend: Trend | None

    @classmethod
    def of(cls, report: GapReport) -> GapReportRecord:
        """The record of ``report``."""
        return record_of(
            cls,
            report,
            readiness=ReadinessRecord.of(report.readiness),
            failure_modes=tuple(FailureModeRecord.of(r) for r in report.failure_modes),
            departments=tuple(DepartmentRecord.of(row) for row in report.departments),
            conflicts=tuple(ConflictRecord.of(c) for c in report.conflicts),
            conflict_tolerance=CONFLICT_TOLERANCE,
            adoption=(
                None if report.adoption is None else AdoptionRecord.of(report, report.adoption)
            ),
            remedies=tuple(RemedyRecord.of(remedy) for remedy in report.remedies),
        )


GapReport.json_shape = GapReportRecord
