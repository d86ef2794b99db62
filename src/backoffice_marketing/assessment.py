"""Assessments: the answers of one initiative, at one date, for one scope."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs

from backoffice_marketing.checklist import MANUAL, Answer, AnswerLevel, Checklist, Evidence
from backoffice_marketing.exceptions import UnknownItemError
from backoffice_marketing.report import Report
from backoffice_marketing.text import Lang
from backoffice_marketing.validators import (
    FieldCheck,
    FieldValueError,
    at_least,
    non_blank,
    run_field_checks,
    unique_ids,
)

if TYPE_CHECKING:
    from backoffice_marketing.scoring import AssessmentScore

__all__ = ["Assessment", "Scope", "combine_answers"]


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


def _precedence(answer: Answer) -> tuple[Any, ...]:
    """A total order: two answers with equal keys are equal answers."""
    evidence = answer.evidence
    return (
        evidence.is_manual,
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


def combine_answers(answers: Iterable[Answer]) -> tuple[Answer, ...]:
    """Keep one answer per item, by one rule, and return them sorted by item id.

    The precedence rule, applied in order until one answer wins:

    1. a manual answer (``evidence.source == "manual"``) beats an automatic one:
       a person's judgement overrides what a producer computed;
    2. the answer collected later (``evidence.collected_on``) wins; an answer
       without a date counts as the oldest;
    3. the more cautious answer wins (``not_done`` over ``partial`` over
       ``done`` over ``not_applicable``; then the lower score), so that a
       disagreement never makes an initiative look better than it is;
    4. finally the source name, reference and note, so the result never
       depends on the order in which answers are given.
    """
    best: dict[str, Answer] = {}
    for answer in answers:
        current = best.get(answer.item)
        if current is None or _precedence(answer) > _precedence(current):
            best[answer.item] = answer
    return tuple(best[item] for item in sorted(best))


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
        from backoffice_marketing.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.io.documents import read_document  # noqa: PLC0415

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
        from backoffice_marketing.io.converter import save_object  # noqa: PLC0415

        save_object(self, path)

    def _markdown(self, lang: Lang) -> str:
        """The answers, one row per item, with their evidence."""
        from backoffice_marketing.checklist import default_checklist  # noqa: PLC0415
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
        from backoffice_marketing.checklist import default_checklist  # noqa: PLC0415
        from backoffice_marketing.scoring import score_assessment  # noqa: PLC0415

        return score_assessment(self, checklist if checklist is not None else default_checklist())
