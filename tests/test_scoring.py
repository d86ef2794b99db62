"""Scores per failure mode."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.exceptions import UnknownItemError
from tests.strategies import assessments

DAY = dt.date(2027, 5, 10)
TEXT = bm.LocalizedText(ja="テスト", en="test")


def item(item_id: str, weight: float) -> bm.ChecklistItem:
    mode = bm.FailureMode(item_id.split(".", maxsplit=1)[0])
    return bm.ChecklistItem(item_id, mode, TEXT, TEXT, TEXT, (TEXT,), weight)


CHECKLIST = bm.Checklist(
    [
        item("materials.why", 3),
        item("materials.when", 1),
        item("materials.reader-action", 2),
        item("materials.one-page", 1),
        item("research.site-tour", 1),
    ]
)


def test_weighted_score_excludes_not_applicable_and_unanswered() -> None:
    """The score is the weighted mean of answered, applicable items only."""
    assessment = (
        bm.Assessment("x", DAY)
        .answer("materials.why", "done")
        .answer("materials.when", "partial", score=0.2)
        .answer("materials.one-page", "not_applicable")
    )
    result = assessment.score(CHECKLIST)["materials"]
    assert result.score == pytest.approx((3 * 1 + 1 * 0.2) / 4)
    assert result.answered == ("materials.why", "materials.when")
    assert result.unanswered == ("materials.reader-action",)
    assert result.not_applicable == ("materials.one-page",)
    assert result.coverage == pytest.approx(4 / 6)


def test_unanswered_mode_has_no_score() -> None:
    """A failure mode without answers has no score, not a score of zero."""
    result = bm.Assessment("x", DAY).score(CHECKLIST)
    assert result["research"].score is None
    assert result["research"].coverage == 0.0
    assert result["two_way"].applicable_weight == 0
    assert [entry.failure_mode for entry in result] == list(bm.FailureMode)


def test_answer_to_unknown_item_is_an_error() -> None:
    """An answer whose item is not in the checklist is reported, not ignored."""
    assessment = bm.Assessment("x", DAY).answer("materials.wyh", "done")
    with pytest.raises(UnknownItemError, match=r"materials\.wyh"):
        assessment.score(CHECKLIST)


def test_default_checklist_is_used() -> None:
    """score() without a checklist scores against the built-in catalogue."""
    result = bm.Assessment("x", DAY).answer("materials.why", "not_done").score()
    assert result["materials"].score == 0.0
    assert (
        len(result["materials"].unanswered)
        == len(bm.default_checklist().for_failure_mode("materials")) - 1
    )


@given(assessments(item_ids=list(bm.default_checklist().ids)))
def test_scores_stay_in_unit_interval(assessment: bm.Assessment) -> None:
    """Every score is None or in [0, 1], and so is every coverage."""
    for entry in assessment.score():
        assert entry.score is None or 0.0 <= entry.score <= 1.0
        assert 0.0 <= entry.coverage <= 1.0
        assert (entry.score is None) == (not entry.answered)


@given(assessments(item_ids=list(bm.default_checklist().ids)), st.randoms())
def test_scores_ignore_answer_order(assessment: bm.Assessment, rnd: random.Random) -> None:
    """Reordering the answers does not change any score."""
    reordered = list(assessment.answers)
    rnd.shuffle(reordered)
    other = bm.Assessment(assessment.initiative, assessment.date, assessment.scope, reordered)
    assert [e.score for e in assessment.score()] == [e.score for e in other.score()]


def test_summary_markdown() -> None:
    """The summary lists every failure mode with its score or a 'no score' note."""
    assessment = bm.Assessment("a|b", DAY, bm.Scope("営業|部", 10)).answer("materials.why", "done")
    text = assessment.score().to_markdown(lang="en")
    assert "| Materials" in text
    assert "no score" in text
    assert "a\\|b" in text
    assert "営業\\|部" in text
    ja = assessment.score().to_markdown(lang="ja")
    assert "失敗パターン別スコア" in ja
