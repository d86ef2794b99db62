"""Questions and feedback from the field, and their lifecycle.

A question is ``open`` when it arrives, ``answered`` once the back office has
replied to the asker, ``published`` once its answer is part of the public FAQ,
or ``declined`` (a reply that explains why it will not be answered, for
example because it is out of scope). The only moves are::

    open -> answered -> published
    open -> declined, answered -> declined

An anonymous entry records nobody: no asker, no department, no role. That is
what keeps it anonymous in every output, storage included.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import attrs

from backoffice_marketing.exceptions import (
    QuestionStateError,
    UnknownQuestionError,
)
from backoffice_marketing.foundation.validators import FieldValueError, non_blank, unique_ids
from backoffice_marketing.voice._fields import optional_text
from backoffice_marketing.voice.storage import load_log, save_log
from backoffice_marketing.voice.table_layout import TableLayout, column

__all__ = [
    "FeedbackKind",
    "Question",
    "QuestionLog",
    "QuestionStateError",
    "QuestionStatus",
    "UnknownQuestionError",
]


class QuestionStatus(enum.StrEnum):
    """Where a question is in its lifecycle."""

    OPEN = "open"
    ANSWERED = "answered"
    PUBLISHED = "published"
    DECLINED = "declined"

    @property
    def replied(self) -> bool:
        """Whether the asker has had a reply (an answer or a reasoned refusal)."""
        return self is not QuestionStatus.OPEN


class FeedbackKind(enum.StrEnum):
    """What an entry of the log is: a question, a concern (objection) or a suggestion."""

    QUESTION = "question"
    CONCERN = "concern"
    SUGGESTION = "suggestion"


_MOVES: Mapping[QuestionStatus, frozenset[QuestionStatus]] = {
    QuestionStatus.OPEN: frozenset({QuestionStatus.ANSWERED, QuestionStatus.DECLINED}),
    QuestionStatus.ANSWERED: frozenset(
        {QuestionStatus.ANSWERED, QuestionStatus.PUBLISHED, QuestionStatus.DECLINED}
    ),
    QuestionStatus.PUBLISHED: frozenset(),
    QuestionStatus.DECLINED: frozenset(),
}


@attrs.frozen
class Question:
    """One question, concern or suggestion from the field, with its reply.

    ``received_on`` and ``answered_on`` are dates: response times are counted
    in business days (see :mod:`backoffice_marketing.voice.stats`).
    ``theme`` pins the question to a theme (an official answer's id), which
    overrides the automatic grouping of the FAQ builder.
    """

    id: str = attrs.field(validator=non_blank)
    text: str = attrs.field(validator=non_blank)
    received_on: dt.date
    channel: str = attrs.field(default="form", validator=non_blank)
    kind: FeedbackKind = attrs.field(default=FeedbackKind.QUESTION, converter=FeedbackKind)
    anonymous: bool = False
    asker: str | None = attrs.field(default=None, converter=optional_text)
    department: str | None = attrs.field(default=None, converter=optional_text)
    role: str | None = attrs.field(default=None, converter=optional_text)
    status: QuestionStatus = attrs.field(default=QuestionStatus.OPEN, converter=QuestionStatus)
    answer: str | None = attrs.field(default=None, converter=optional_text)
    answered_on: dt.date | None = None
    theme: str | None = attrs.field(default=None, converter=optional_text)

    def __attrs_post_init__(self) -> None:
        if self.anonymous:
            for name in ("asker", "department", "role"):
                if getattr(self, name) is not None:
                    raise FieldValueError(
                        (name,),
                        f"an anonymous entry records no {name}; found {getattr(self, name)!r}",
                    )
        replied = self.status.replied
        if replied and (self.answer is None or self.answered_on is None):
            missing = "answer" if self.answer is None else "answered_on"
            raise FieldValueError(
                (missing,), f"{self.status.value} questions need {missing}; found none"
            )
        if not replied and (self.answer is not None or self.answered_on is not None):
            field = "answer" if self.answer is not None else "answered_on"
            raise FieldValueError((field,), "an open question has no reply yet; leave it empty")
        if self.answered_on is not None and self.answered_on < self.received_on:
            raise FieldValueError(
                ("answered_on",),
                f"answered on {self.answered_on}, before it was received on {self.received_on}",
            )


def _questions(values: Iterable[Question]) -> tuple[Question, ...]:
    return tuple(values)


@attrs.frozen
class QuestionLog:
    """The log of questions, in the order they were recorded; ids are unique.

    Every lifecycle move returns a new log; none ever drops a question.
    """

    TABLE_LAYOUT: ClassVar[TableLayout] = TableLayout(
        "questions",
        (
            column("id", "id", required=True),
            column("text", required=True),
            column("received_on", "date", required=True),
            column("channel", "id"),
            column("kind", "id"),
            column("anonymous", "bool"),
            column("asker", "id"),
            column("department", "id"),
            column("role", "id"),
            column("status", "id"),
            column("answer"),
            column("answered_on", "date"),
            column("theme", "id"),
        ),
    )

    questions: tuple[Question, ...] = attrs.field(
        default=(), converter=_questions, validator=unique_ids("id", "question id")
    )

    @functools.cached_property
    def _by_id(self) -> Mapping[str, int]:
        return {question.id: index for index, question in enumerate(self.questions)}

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> QuestionLog:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        return load_log(QuestionLog, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        save_log(self, path)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def __getitem__(self, question_id: str) -> Question:
        try:
            return self.questions[self._by_id[question_id]]
        except KeyError:
            raise UnknownQuestionError(question_id) from None

    def __repr__(self) -> str:
        counts = dict.fromkeys(QuestionStatus, 0)
        for question in self.questions:
            counts[question.status] += 1
        detail = " ".join(f"{status.value}={count}" for status, count in counts.items())
        return f"<QuestionLog questions={len(self.questions)} {detail}>"

    def add(self, question: Question) -> QuestionLog:
        """A log with ``question`` appended (its id must be new)."""
        return QuestionLog((*self.questions, question))

    def _replace(self, question: Question) -> QuestionLog:
        index = self._by_id[question.id]
        return QuestionLog((*self.questions[:index], question, *self.questions[index + 1 :]))

    def _move(self, question_id: str, target: QuestionStatus, **changes: Any) -> QuestionLog:
        current = self[question_id]
        if target not in _MOVES[current.status]:
            raise QuestionStateError(question_id, current.status, target)
        return self._replace(attrs.evolve(current, status=target, **changes))

    def answer(self, question_id: str, answer: str, *, on: dt.date) -> QuestionLog:
        """Record the reply to an open (or re-answer an answered) question."""
        return self._move(question_id, QuestionStatus.ANSWERED, answer=answer, answered_on=on)

    def publish(self, question_id: str) -> QuestionLog:
        """Mark an answered question as covered by the published FAQ."""
        return self._move(question_id, QuestionStatus.PUBLISHED)

    def decline(self, question_id: str, reason: str, *, on: dt.date) -> QuestionLog:
        """Close a question with a reasoned refusal (it still counts as a reply)."""
        current = self[question_id]
        answered_on = current.answered_on or on
        return self._move(
            question_id, QuestionStatus.DECLINED, answer=reason, answered_on=answered_on
        )

    def with_theme(self, question_id: str, theme: str | None) -> QuestionLog:
        """Pin a question to a theme (``None`` lets the FAQ builder group it)."""
        return self._replace(attrs.evolve(self[question_id], theme=theme))

    def by_status(self, status: QuestionStatus | str) -> tuple[Question, ...]:
        """The questions with ``status``, in log order."""
        wanted = QuestionStatus(status)
        return tuple(question for question in self.questions if question.status is wanted)

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments questions came from (attributed entries only), sorted."""
        return tuple(sorted({q.department for q in self.questions if q.department is not None}))
