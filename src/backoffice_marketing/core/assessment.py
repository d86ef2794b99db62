"""Assessments: the answers of one initiative, at one date, for one scope."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Self

import attrs

from backoffice_marketing.core.checklist import MANUAL, Answer, AnswerLevel, Checklist, Evidence
from backoffice_marketing.core.failure_modes import FailureMode
from backoffice_marketing.core.report import Report
from backoffice_marketing.core.scoring import FailureModeScore, failure_mode_scores
from backoffice_marketing.exceptions import UnknownItemError
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.foundation.validators import (
    FieldCheck,
    FieldValueError,
    at_least,
    non_blank,
    run_field_checks,
    unique_ids,
)

__all__ = [
    "CONFLICT_TOLERANCE",
    "Assessment",
    "AssessmentScore",
    "Scope",
    "combine_answers",
    "disagree",
    "reconcile",
    "score_assessment",
]


def _check_headcount(*, department: str | None, headcount: int | None) -> None:
    if department is not None and headcount is None:
        raise FieldValueError(("headcount",), "a department scope needs the department's headcount")


def _check_parent(*, department: str | None, parent: str | None) -> None:
    if department is None and parent is not None:
        raise FieldValueError(("parent",), "only a department scope can have a parent")


@attrs.frozen
class Scope:
    """What an assessment covers: the whole company, or one department.

    A department scope names the department and its ``headcount`` (needed to
    keep small groups private); ``parent`` names the department it rolls up into.
    """

    department: str | None = attrs.field(default=None, validator=non_blank)
    headcount: int | None = attrs.field(default=None, validator=at_least(0))
    parent: str | None = None

    _field_checks: ClassVar[tuple[FieldCheck, ...]] = (
        (("department", "headcount"), _check_headcount),
        (("department", "parent"), _check_parent),
    )

    def __attrs_post_init__(self) -> None:
        run_field_checks(self, self._field_checks)

    @property
    def is_company(self) -> bool:
        """Whether this scope is the whole company."""
        return self.department is None


_CAUTION = {
    AnswerLevel.NOT_DONE: 0,
    AnswerLevel.PARTIAL: 1,
    AnswerLevel.DONE: 2,
    AnswerLevel.NOT_APPLICABLE: 3,
}

#: Two answers to one item conflict when their values differ by more than this
#: (a quarter of the scale: ``done`` against ``partial`` conflicts, 0.6 against 0.7 does not).
CONFLICT_TOLERANCE = 0.25


def _precedence(answer: Answer) -> tuple[Any, ...]:
    """A total order among answers of one kind: two answers with equal keys are equal."""
    evidence = answer.evidence
    return (
        evidence.collected_on or dt.date.min,
        -_CAUTION[answer.level],
        -(answer.value or 0.0),
        evidence.source,
        evidence.reference is None,
        evidence.reference or "",
        evidence.note is None,
        evidence.note or "",
        answer.score is None,
        evidence.collected_on is None,
    )


def _has_reason(answer: Answer) -> bool:
    note = answer.evidence.note
    return note is not None and bool(note.strip())


def _manual_key(answer: Answer) -> tuple[Any, ...]:
    """Among manual answers: the newer, then (on one day) the one with a reason."""
    return (answer.evidence.collected_on or dt.date.min, _has_reason(answer), *_precedence(answer))


def _newer(manual: Answer, computed: Answer) -> bool:
    manual_on = manual.evidence.collected_on
    computed_on = computed.evidence.collected_on or dt.date.min
    return manual_on is not None and manual_on > computed_on


def reconcile(candidates: Iterable[Answer]) -> tuple[Answer, Answer | None, Answer | None]:
    """The answer kept for one item, and the newest manual and computed answers to it.

    The rule (``docs/gap-reports.md``): among manual answers, and among
    computed ones, the newer wins (undated counts as oldest; on the same day
    a manual answer with a reason, then the more cautious one). Between the
    two, the newer evidence wins, and a manual answer overrides computed
    evidence only when it is strictly newer **and** gives a reason
    (``evidence.note``). So a stale hand-written answer never hides what the
    data show, and a person can still correct the data, on the record.
    """
    manual: Answer | None = None
    computed: Answer | None = None
    for answer in candidates:
        if answer.evidence.is_manual:
            if manual is None or _manual_key(answer) > _manual_key(manual):
                manual = answer
        elif computed is None or _precedence(answer) > _precedence(computed):
            computed = answer
    if computed is None:
        assert manual is not None  # noqa: S101  (at least one candidate)
        return manual, manual, None
    if manual is None:
        return computed, None, computed
    kept = manual if _newer(manual, computed) and _has_reason(manual) else computed
    return kept, manual, computed


def disagree(first: Answer, second: Answer, *, tolerance: float = CONFLICT_TOLERANCE) -> bool:
    """Whether two answers to one item differ by more than ``tolerance``.

    ``not_applicable`` against any other level is a disagreement.
    """
    a, b = first.value, second.value
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > tolerance + 1e-12


def combine_answers(answers: Iterable[Answer]) -> tuple[Answer, ...]:
    """Keep one answer per item, by one rule, and return them sorted by item id.

    The rule is :func:`reconcile`'s: the newer evidence wins; a manual
    answer overrides computed evidence only when it is newer and gives a
    reason. The result never depends on the order in which answers are given.
    """
    grouped: dict[str, list[Answer]] = {}
    for answer in answers:
        grouped.setdefault(answer.item, []).append(answer)
    return tuple(reconcile(grouped[item])[0] for item in sorted(grouped))


def _tuple_of_answers(values: Iterable[Answer]) -> tuple[Answer, ...]:
    return tuple(values)


@attrs.frozen
class Assessment(Report):
    """The answers to checklist items for one initiative, on one date, in one scope."""

    report_kind: ClassVar[str] = "assessment"

    initiative: str = attrs.field(validator=non_blank)
    date: dt.date
    scope: Scope = Scope()
    answers: tuple[Answer, ...] = attrs.field(
        default=(), converter=_tuple_of_answers, validator=unique_ids("item", "answer for item")
    )

    @functools.cached_property
    def _by_item(self) -> Mapping[str, Answer]:
        return {answer.item: answer for answer in self.answers}

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, checklist: Checklist | None = None) -> Self:
        """Load an assessment from a TOML, JSON or YAML file.

        With a ``checklist``, an answer to an item that is not in it is reported
        as a problem of the file too (with its line), instead of later when scoring.
        """
        from backoffice_marketing.exceptions import LoadError  # noqa: PLC0415
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

        document = read_document(path)
        assessment = structure_document(document, cls)
        if checklist is not None:
            unknown = [
                document.problem(
                    ("answers", index, "item"),
                    UnknownItemError(answer.item, known=checklist.ids).args[0],
                )
                for index, answer in enumerate(assessment.answers)
                if answer.item not in checklist
            ]
            if unknown:
                raise LoadError(unknown)
        return assessment

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as TOML, JSON or YAML (chosen by the suffix of ``path``)."""
        from backoffice_marketing.foundation.io.converter import save_object  # noqa: PLC0415

        save_object(self, path)

    def _markdown(self, lang: Lang) -> str:
        """The answers, one row per item, with their evidence."""
        from backoffice_marketing.core.checklist import default_checklist  # noqa: PLC0415
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("assessment.md.j2", lang, assessment=self, checklist=default_checklist())

    def __repr__(self) -> str:
        where = self.scope.department or "company"
        return (
            f"<Assessment {self.initiative!r} {self.date.isoformat()} {where} "
            f"answers={len(self.answers)}>"
        )

    def get(self, item_id: str) -> Answer | None:
        """The answer to ``item_id``, or ``None`` when unanswered."""
        return self._by_item.get(item_id)

    def answer(
        self,
        item_id: str,
        level: AnswerLevel | str,
        *,
        score: float | None = None,
        source: str = MANUAL,
        reference: str | None = None,
        collected_on: dt.date | None = None,
        note: str | None = None,
    ) -> Assessment:
        """A copy with ``item_id`` answered (replacing any earlier answer to it)."""
        evidence = Evidence(source, reference, collected_on, note)
        new = Answer(item_id, AnswerLevel(level), score, evidence)
        kept = tuple(answer for answer in self.answers if answer.item != item_id)
        return attrs.evolve(self, answers=(*kept, new))

    def with_answers(self, answers: Iterable[Answer]) -> Assessment:
        """A copy whose answers are combined with ``answers`` by :func:`combine_answers`."""
        return attrs.evolve(self, answers=combine_answers((*self.answers, *answers)))

    def combine(self, other: Assessment) -> Assessment:
        """Merge another assessment of the same initiative and scope into this one.

        Answers are combined by :func:`combine_answers`; the later date is kept.
        """
        if (other.initiative, other.scope) != (self.initiative, self.scope):
            raise ValueError(
                "only assessments of the same initiative and scope can be combined; "
                f"got {self!r} and {other!r}"
            )
        merged = combine_answers((*self.answers, *other.answers))
        return attrs.evolve(self, date=max(self.date, other.date), answers=merged)

    def score(self, checklist: Checklist | None = None) -> AssessmentScore:
        """Score every failure mode against ``checklist`` (the built-in one by default)."""
        from backoffice_marketing.core.checklist import default_checklist  # noqa: PLC0415

        return score_assessment(self, checklist if checklist is not None else default_checklist())


@attrs.frozen
class AssessmentScore(Report):
    """The scores of all five failure modes for one assessment."""

    report_kind: ClassVar[str] = "assessment_score"

    assessment: Assessment = attrs.field(repr=False)
    failure_modes: tuple[FailureModeScore, ...]

    def __getitem__(self, mode: FailureMode | str) -> FailureModeScore:
        wanted = FailureMode(mode)
        return next(entry for entry in self.failure_modes if entry.failure_mode is wanted)

    def __iter__(self) -> Iterator[FailureModeScore]:
        return iter(self.failure_modes)

    def _markdown(self, lang: Lang) -> str:
        """A short Markdown summary: one row per failure mode."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("score_summary.md.j2", lang, summary=self)


def score_assessment(assessment: Assessment, checklist: Checklist) -> AssessmentScore:
    """Score ``assessment`` against ``checklist`` (:meth:`Assessment.score`).

    Raises :class:`UnknownItemError` for the first answer whose item is not in
    the checklist (a typo would otherwise silently leave the item unanswered).
    """
    scores = failure_mode_scores(assessment.answers, assessment.get, checklist)
    return AssessmentScore(assessment, scores)
