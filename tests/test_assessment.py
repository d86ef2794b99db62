"""Assessments, answers, evidence and the precedence rule for combining answers."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.core.assessment import CONFLICT_TOLERANCE, disagree, reconcile
from backoffice_marketing.foundation.validators import FieldValueError
from tests.schemas import validate
from tests.strategies import answers, assessments

DAY = dt.date(2027, 5, 10)


def test_answer_values() -> None:
    """Levels give 0, 0.5 and 1; a partial score refines; not_applicable gives None."""
    assert bm.Answer("materials.why", bm.AnswerLevel.DONE).value == 1.0
    assert bm.Answer("materials.why", bm.AnswerLevel.PARTIAL).value == 0.5
    assert bm.Answer("materials.why", bm.AnswerLevel.PARTIAL, 0.2).value == 0.2
    assert bm.Answer("materials.why", bm.AnswerLevel.NOT_DONE).value == 0.0
    assert bm.Answer("materials.why", bm.AnswerLevel.NOT_APPLICABLE).value is None


@pytest.mark.parametrize(
    ("level", "score", "message"),
    [
        (bm.AnswerLevel.DONE, 0.3, "takes 1 or no score"),
        (bm.AnswerLevel.NOT_DONE, 0.3, "takes 0 or no score"),
        (bm.AnswerLevel.PARTIAL, 1.0, "strictly between 0 and 1"),
        (bm.AnswerLevel.NOT_APPLICABLE, 0.5, "takes no score"),
        (bm.AnswerLevel.PARTIAL, 1.5, r"expected a number in \[0, 1\]"),
    ],
)
def test_answer_score_must_agree_with_level(
    level: bm.AnswerLevel, score: float, message: str
) -> None:
    """A score that contradicts its level is refused."""
    with pytest.raises(FieldValueError, match=message):
        bm.Answer("materials.why", level, score)


def test_scope_rules() -> None:
    """A department scope needs a headcount; only departments have parents."""
    assert bm.Scope().is_company
    assert not bm.Scope("営業部", 120).is_company
    with pytest.raises(FieldValueError, match="headcount"):
        bm.Scope("営業部")
    with pytest.raises(FieldValueError, match="parent"):
        bm.Scope(parent="本社")
    with pytest.raises(FieldValueError, match=">= 0"):
        bm.Scope("営業部", -1)


def test_answer_helper_replaces_earlier_answers() -> None:
    """answer() returns a new assessment in which the item has exactly one answer."""
    empty = bm.Assessment("chat-migration", DAY)
    first = empty.answer("materials.why", "not_done")
    second = first.answer(
        "materials.why", "partial", score=0.4, source="materials", collected_on=DAY
    )
    assert empty.answers == ()
    assert len(second.answers) == 1
    answer = second.get("materials.why")
    assert answer is not None
    assert answer.value == 0.4
    assert answer.evidence.source == "materials"
    assert not answer.evidence.is_manual
    assert second.get("materials.when") is None
    assert repr(second) == "<Assessment 'chat-migration' 2027-05-10 company answers=1>"


def test_duplicate_answers_are_refused() -> None:
    """An assessment cannot hold two answers to one item."""
    answer = bm.Answer("materials.why", bm.AnswerLevel.DONE)
    with pytest.raises(FieldValueError, match="duplicate answer"):
        bm.Assessment("x", DAY, answers=(answer, answer))


def _answer(
    level: str, source: str = "manual", on: dt.date | None = None, note: str | None = None
) -> bm.Answer:
    return bm.Answer(
        "two_way.champions",
        bm.AnswerLevel(level),
        evidence=bm.Evidence(source, collected_on=on, note=note),
    )


def test_newer_computed_evidence_beats_an_older_manual_answer() -> None:
    """Computed evidence newer than a manual answer wins, reason or not."""
    manual = _answer("done", on=dt.date(2027, 1, 1), note="all visited")
    automatic = _answer("not_done", "adoption", dt.date(2027, 6, 1))
    assert bm.combine_answers([automatic, manual]) == (automatic,)


def test_newer_manual_answer_needs_a_reason_to_override() -> None:
    """A newer manual answer overrides computed evidence only when it gives a reason."""
    automatic = _answer("not_done", "adoption", dt.date(2027, 6, 1))
    bare = _answer("done", on=dt.date(2027, 7, 1))
    reasoned = _answer("done", on=dt.date(2027, 7, 1), note="the log misses the night shift")
    same_day = _answer("done", on=dt.date(2027, 6, 1), note="same day")
    assert bm.combine_answers([automatic, bare]) == (automatic,)
    assert bm.combine_answers([bare, automatic, reasoned]) == (reasoned,)
    assert bm.combine_answers([automatic, same_day]) == (automatic,)
    assert bm.combine_answers([bare]) == (bare,)


def test_reconcile_and_disagree() -> None:
    """Reconcile names the kept, manual and computed answers; disagree uses the tolerance."""
    manual = _answer("done", on=dt.date(2027, 1, 1))
    automatic = _answer("partial", "adoption", dt.date(2027, 6, 1))
    assert reconcile([manual, automatic]) == (automatic, manual, automatic)
    assert disagree(manual, automatic)
    close = bm.Answer("two_way.champions", bm.AnswerLevel.PARTIAL, 0.5 + CONFLICT_TOLERANCE)
    assert not disagree(automatic, close)
    absent = _answer("not_applicable")
    assert disagree(absent, manual)
    assert not disagree(absent, absent)


def test_precedence_newer_then_more_cautious() -> None:
    """Among equals the newer answer wins; on the same day the more cautious one wins."""
    old = _answer("done", "adoption", dt.date(2027, 1, 1))
    new = _answer("partial", "adoption", dt.date(2027, 2, 1))
    undated = _answer("not_done", "adoption")
    assert bm.combine_answers([old, new, undated]) == (new,)
    done = _answer("done", "adoption", DAY)
    not_done = _answer("not_done", "voice", DAY)
    assert bm.combine_answers([done, not_done]) == (not_done,)


@given(st.lists(answers("two_way.champions"), min_size=1, max_size=6), st.randoms())
def test_combine_is_order_independent(given_answers: list[bm.Answer], rnd: random.Random) -> None:
    """combine_answers keeps one answer per item whatever the input order."""
    shuffled = list(given_answers)
    rnd.shuffle(shuffled)
    assert bm.combine_answers(given_answers) == bm.combine_answers(shuffled)
    assert len(bm.combine_answers(given_answers)) == 1


def test_with_answers_and_combine() -> None:
    """Automatic evidence merges into a manual assessment by the reconciliation rule."""
    manual = bm.Assessment("chat", DAY).answer("two_way.champions", "partial")
    automatic = _answer("done", "adoption", DAY)
    extra = bm.Answer("two_way.adoption-measured", bm.AnswerLevel.DONE)
    merged = manual.with_answers([automatic, extra])
    assert [a.item for a in merged.answers] == ["two_way.adoption-measured", "two_way.champions"]
    champions = merged.get("two_way.champions")
    assert champions is not None
    assert champions.level is bm.AnswerLevel.DONE  # the undated manual answer is older
    later = bm.Assessment("chat", DAY + dt.timedelta(days=7), answers=(automatic,))
    combined = manual.combine(later)
    assert combined.date == later.date
    other_scope = bm.Assessment("chat", DAY, bm.Scope("営業部", 30))
    with pytest.raises(ValueError, match="same initiative and scope"):
        manual.combine(other_scope)


@given(assessments())
def test_assessment_json_validates(assessment: bm.Assessment) -> None:
    """Every assessment's JSON validates against the shipped schema."""
    data = validate(assessment.to_json(), "assessment.schema.json")
    assert len(data["answers"]) == len(assessment.answers)
