"""The question lifecycle: moves, validation, and a stateful test that nothing is ever lost."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from backoffice_marketing.exceptions import QuestionStateError, UnknownQuestionError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.voice import (
    FAQ,
    AnswerBook,
    OfficialAnswer,
    Question,
    QuestionLog,
    QuestionStatus,
    VoiceReport,
)

DAY = dt.date(2024, 6, 3)
SIZES = {"big": 40, "small": 6}


def test_lifecycle_moves() -> None:
    """A question goes open -> answered -> published; other moves are refused with the ids."""
    log = QuestionLog().add(Question("q1", "何時?", DAY))
    with pytest.raises(QuestionStateError) as caught:
        log.publish("q1")
    assert (caught.value.question_id, caught.value.status) == ("q1", QuestionStatus.OPEN)
    log = log.answer("q1", "9時", on=DAY).answer("q1", "10時", on=DAY).publish("q1")
    assert log["q1"].status is QuestionStatus.PUBLISHED
    assert log["q1"].answer == "10時"
    with pytest.raises(QuestionStateError):
        log.decline("q1", "no", on=DAY)
    assert "published=1" in repr(log)


def test_decline_keeps_the_first_reply_date() -> None:
    """Declining an answered question keeps the date of its first reply."""
    later = DAY + dt.timedelta(days=5)
    log = QuestionLog([Question("q1", "x", DAY)]).answer("q1", "a", on=DAY)
    assert log.decline("q1", "out of scope", on=later)["q1"].answered_on == DAY
    fresh = QuestionLog([Question("q2", "y", DAY)]).decline("q2", "dup", on=later)
    assert fresh["q2"].answered_on == later
    assert fresh.by_status("declined") == (fresh["q2"],)


def test_unknown_question_is_a_key_error() -> None:
    """Looking up a missing id raises UnknownQuestionError, also a KeyError."""
    with pytest.raises(KeyError, match="nope"):
        QuestionLog()["nope"]
    assert isinstance(UnknownQuestionError("x"), KeyError)
    assert "x" not in QuestionLog()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"anonymous": True, "department": "big"}, "department"),
        ({"anonymous": True, "asker": "u1"}, "asker"),
        ({"status": "answered"}, "answer"),
        ({"status": "answered", "answer": "a"}, "answered_on"),
        ({"answer": "a"}, "answer"),
        ({"answered_on": DAY}, "answered_on"),
        (
            {"status": "answered", "answer": "a", "answered_on": DAY - dt.timedelta(days=1)},
            "answered_on",
        ),
    ],
)
def test_invalid_questions_name_the_field(fields: dict[str, object], field: str) -> None:
    """An inconsistent question is refused with the field that is wrong."""
    with pytest.raises(FieldValueError) as caught:
        Question("q1", "text", DAY, **fields)  # type: ignore[arg-type]
    assert caught.value.path == (field,)


def test_duplicate_ids_are_refused() -> None:
    """Two questions with one id cannot share a log."""
    with pytest.raises(FieldValueError, match="duplicate question id"):
        QuestionLog([Question("q1", "a", DAY), Question("q1", "b", DAY)])


def test_with_theme_pins_a_question() -> None:
    """Pinning a theme changes only that question."""
    log = QuestionLog([Question("q1", "a", DAY)]).with_theme("q1", "hours")
    assert log["q1"].theme == "hours"
    assert list(log) == [log["q1"]]
    assert len(log) == 1


_ANSWER = OfficialAnswer(
    "topic", LocalizedText("質問", "Question"), LocalizedText("回答", "Answer"), DAY
)


class QuestionLifecycle(RuleBasedStateMachine):
    """Random sequences of asks, answers, publications and refusals against a simple model."""

    ids = Bundle("ids")

    def __init__(self) -> None:
        super().__init__()
        self.log = QuestionLog()
        self.model: dict[str, QuestionStatus] = {}
        self.origin: dict[str, str | None] = {}
        self.counter = 0

    @rule(target=ids, department=st.sampled_from(["big", "small", None]), anonymous=st.booleans())
    def ask(self, department: str | None, anonymous: bool) -> str:
        """Record a new question from a department, or anonymously."""
        self.counter += 1
        ident = f"q{self.counter}"
        token = f"zq{self.counter}token"
        dept = None if anonymous else department
        self.log = self.log.add(
            Question(
                ident, f"{token} 質問", DAY, department=dept, anonymous=anonymous, theme="topic"
            )
        )
        self.model[ident] = QuestionStatus.OPEN
        self.origin[ident] = "anon" if anonymous else dept
        return ident

    @rule(ident=ids)
    def answer(self, ident: str) -> None:
        """Answer a question; only open or answered ones may be answered."""
        try:
            self.log = self.log.answer(ident, "回答", on=DAY)
        except QuestionStateError:
            assert self.model[ident] in {QuestionStatus.PUBLISHED, QuestionStatus.DECLINED}
        else:
            self.model[ident] = QuestionStatus.ANSWERED

    @rule(ident=ids)
    def publish(self, ident: str) -> None:
        """Publish a question; only answered ones may be published."""
        try:
            self.log = self.log.publish(ident)
        except QuestionStateError:
            assert self.model[ident] is not QuestionStatus.ANSWERED
        else:
            self.model[ident] = QuestionStatus.PUBLISHED

    @rule(ident=ids)
    def decline(self, ident: str) -> None:
        """Decline a question; published and declined ones are final."""
        try:
            self.log = self.log.decline(ident, "対象外", on=DAY)
        except QuestionStateError:
            assert self.model[ident] in {QuestionStatus.PUBLISHED, QuestionStatus.DECLINED}
        else:
            self.model[ident] = QuestionStatus.DECLINED

    @rule()
    def save_and_reload(self) -> None:
        """Save the log as JSON and CSV and load it back unchanged."""
        with tempfile.TemporaryDirectory() as folder:
            for suffix in (".json", ".csv"):
                path = Path(folder) / f"log{suffix}"
                self.log.save(path)
                assert QuestionLog.from_file(path) == self.log

    @invariant()
    def no_question_is_lost(self) -> None:
        """Every question asked is in the log with the status the model expects."""
        assert {q.id: q.status for q in self.log} == self.model

    @invariant()
    def nothing_from_a_small_group_is_published(self) -> None:
        """No text from the small department appears; anonymous rows stay unattributed."""
        faq = FAQ.build(self.log, AnswerBook([_ANSWER]), departments=SIZES)
        report = VoiceReport.build(as_of=DAY, departments=SIZES, questions=self.log)
        outputs = [
            faq.to_markdown(lang="ja"),
            faq.to_html(lang="en"),
            report.to_markdown(lang="en"),
            report.to_html(lang="ja"),
        ]
        for ident, origin in self.origin.items():
            token = f"zq{ident[1:]}token"
            if origin == "small":
                assert all(token not in output for output in outputs)
        for row in report.questions:
            assert row.department in {"big", None}
            source = self.origin[row.id]
            if source == "anon":
                assert row.department is None
                assert row.role is None


TestQuestionLifecycle = QuestionLifecycle.TestCase
TestQuestionLifecycle.settings = settings(max_examples=30, stateful_step_count=15, deadline=None)
