"""Normalisation, n-gram similarity and the deterministic FAQ grouping."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.voice import (
    FAQ,
    PHRASE_THRESHOLD,
    AnswerBook,
    OfficialAnswer,
    Question,
    group_questions,
    normalise,
)
from backoffice_marketing.voice.meaning import Analyser
from backoffice_marketing.voice.ngrams import TextVector, Weights, features, similarity

#: The character n-gram analyser: these tests pin the grouping mechanics, not the analyser.
NGRAMS = Analyser.ngrams()

DAY = dt.date(2024, 6, 3)
_WORDS = st.sampled_from(
    [
        "1on1は業務時間内ですか",
        "部下の質問に答えられない",
        "時間がない",
        "What should I talk about?",
        "ｱﾝｹｰﾄ",
        "アンケート",
        "no time at all",
        "<script>",
        "=SUM(A1)",
    ]
)
texts = st.one_of(st.text(min_size=1, max_size=40), _WORDS).filter(lambda t: t.strip())


def test_normalise_unifies_width_case_kana_and_punctuation() -> None:
    """Full-width, half-width kana, case and punctuation do not change the normal form."""
    assert normalise("ＡＢＣ！") == normalise("abc") == "abc"
    assert normalise("ｱﾝｹｰﾄ") == normalise("アンケート") == normalise("あんけーと")
    assert normalise("  1on1、  いつ?  ") == "1on1 いつ"


def test_features_use_trigrams_for_english_and_bigrams_for_japanese() -> None:
    """English words give padded trigrams (stop words dropped); Japanese runs give bigrams."""
    assert set(features("the hours")) == {" ho", "hou", "our", "urs", "rs "}
    assert features("時間外") == {"時間": 1, "間外": 1}
    assert features("時") == {"時": 1}
    assert not features("!!!")


@given(texts, texts)
def test_similarity_is_symmetric_and_bounded(first: str, second: str) -> None:
    """Similarity is in [0, 1] and does not depend on the argument order."""
    value = similarity(first, second)
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(similarity(second, first))


@given(texts)
def test_a_text_is_fully_similar_to_itself(text: str) -> None:
    """A text with any feature has similarity 1 with itself (0 when it has none)."""
    expected = 1.0 if features(text) else 0.0
    assert similarity(text, text) == pytest.approx(expected)


def test_weighted_vectors_ignore_shared_words() -> None:
    """A feature in every text weighs less than a rare one."""
    weights = Weights.of(["1on1 x", "1on1 y", "1on1 z"])
    assert weights.idf[" 1o"] < weights.idf[" x "]
    vector = TextVector.of("1on1 zzz", weights)
    assert vector.counts[" zz"] == pytest.approx(weights.unseen)


def _question(ident: str, text: str) -> Question:
    return Question(ident, text, DAY)


_POOL = [
    "1on1は業務時間内に行うのですか",
    "1on1は業務時間内に行うのですか?",
    "1on1は勤務時間中ですか",
    "部下の質問に答えられないとき",
    "部下の質問に答えられない場合",
    "What should I talk about in a 1on1?",
    "What should we talk about in 1on1s?",
    "no time",
]


@given(st.permutations(list(enumerate(_POOL))), st.booleans())
def test_grouping_does_not_depend_on_input_order(
    order: list[tuple[int, str]], with_answers: bool
) -> None:
    """Shuffling the questions and answers gives the same themes."""
    answers = [
        OfficialAnswer(
            "hours",
            LocalizedText("1on1は業務時間内ですか", "In working hours?"),
            LocalizedText("はい", "Yes"),
        ),
        OfficialAnswer(
            "topics",
            LocalizedText("何を話すか", "What to talk about"),
            LocalizedText("例", "Examples"),
            keywords=("話す",),
        ),
    ]
    questions = [_question(f"q{index}", text) for index, text in order]
    baseline = group_questions(
        sorted(questions, key=lambda q: q.id), answers if with_answers else ()
    )
    shuffled = group_questions(questions, list(reversed(answers)) if with_answers else ())
    assert shuffled == baseline
    assert sorted(i for theme in baseline for i in theme.questions) == sorted(
        q.id for q in questions
    )


def test_grouping_merges_near_duplicates_and_pins() -> None:
    """Rewordings share a theme; a pinned question keeps its theme; a bad threshold fails."""
    questions = [_question(f"q{i}", text) for i, text in enumerate(_POOL)]
    themes = {theme.id: theme.questions for theme in group_questions(questions, analyser=NGRAMS)}
    assert themes["theme-q0"] == ("q0", "q1", "q2")
    assert themes["theme-q3"] == ("q3", "q4")
    assert themes["theme-q5"] == ("q5", "q6")
    pinned = [*questions[:-1], Question("q7", "no time", DAY, theme="theme-q0")]
    assert {t.id: t.questions for t in group_questions(pinned, analyser=NGRAMS)}["theme-q0"] == (
        "q0",
        "q1",
        "q2",
        "q7",
    )
    with pytest.raises(ValueError, match="threshold"):
        group_questions(questions, threshold=0)


def test_keywords_pull_questions_into_a_theme() -> None:
    """A question containing an answer's key phrase joins it even when worded differently."""
    answer = OfficialAnswer(
        "overtime",
        LocalizedText("残業代は出ますか", "Is it paid?"),
        LocalizedText("出ます", "Yes"),
        keywords=("残業",),
    )
    themes = group_questions([_question("q1", "夜にやったら残業?")], [answer])
    assert themes[0].id == "overtime"
    assert themes[0].official == answer


def test_faq_lists_unasked_and_unpublished_answers() -> None:
    """Published answers nobody asked appear with 0; drafts wait; an empty FAQ says so."""
    published = OfficialAnswer(
        "a", LocalizedText("質問A", "Question A"), LocalizedText("回答A", "Answer A"), DAY
    )
    draft = OfficialAnswer(
        "b", LocalizedText("部下の質問", "Reports"), LocalizedText("回答B", "Answer B")
    )
    faq = FAQ.build([_question("q1", "部下の質問")], AnswerBook([published, draft]))
    assert [(e.answer.id, e.asked, e.wordings) for e in faq.entries] == [("a", 0, ())]
    assert [t.id for t in faq.waiting] == ["b"]
    assert "entries=1" in repr(faq)
    assert "text/markdown" in faq._repr_mimebundle_()
    empty = FAQ.build([], [])
    assert "No answer has been published yet." in empty.to_markdown(lang="en")
    assert "まだ公開済みの回答はありません" in empty.to_html(lang="ja")


def test_markdown_escapes_employee_text() -> None:
    """Markdown link, table and HTML syntax in a question stays literal text."""
    answer = OfficialAnswer("a", LocalizedText("質問", "Q"), LocalizedText("回答", "A"), DAY)
    text = "[x](javascript:alert(1)) | <b>"
    question = Question("q1", text, DAY, anonymous=True, theme="a")
    markdown = FAQ.build([question], [answer], departments={"big": 20}).to_markdown(lang="en")
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\) \\| &lt;b&gt;" in markdown
    assert "<b>" not in markdown


def test_answer_book_edits() -> None:
    """with_answer adds or replaces by id; get returns None for a missing id."""
    first = OfficialAnswer("a", LocalizedText("質問", "Q"), LocalizedText("回答", "A"))
    book = AnswerBook().with_answer(first).with_answer(first)
    assert len(book) == 1
    assert list(book) == [first]
    assert book.get("a") == first
    assert book.get("zz") is None
    assert not first.published


def test_key_phrases_need_most_of_their_ngrams() -> None:
    """A key phrase matches a question containing it, not one that shares a common pair."""
    answer = OfficialAnswer(
        "cannot-answer",
        LocalizedText("回答に困った場合", "When stuck for an answer"),
        LocalizedText("持ち帰って確認します。", "Check and come back."),
        keywords=("答えられない", "業務時間"),
    )
    questions = [
        Question("q1", "部下の質問に答えられない場合", dt.date(2027, 6, 1)),
        Question("q2", "忙しくて時間が取れない", dt.date(2027, 6, 1)),
        Question("q3", "業務の都合で時間がないときは", dt.date(2027, 6, 1)),
        Question("q4", "業務時間内にやるのですか", dt.date(2027, 6, 1)),
    ]
    themes = {theme.id: theme.questions for theme in group_questions(questions, [answer])}
    assert themes["cannot-answer"] == ("q1", "q4")
    assert PHRASE_THRESHOLD == 0.75


def test_waiting_themes_most_urgent_first() -> None:
    """Waiting themes rank by laggard questions, then questions, then days; small ones unnamed."""
    departments = {"工場": 200, "営業部": 50, "小さな課": 3}
    questions = [
        Question("q1", "現場にPCがありません", DAY, department="工場", theme="pc"),
        Question(
            "q2",
            "現場にPCがありません2",
            DAY + dt.timedelta(days=3),
            department="小さな課",
            theme="pc",
        ),
        Question(
            "q3", "経費の締めはいつ", DAY - dt.timedelta(days=9), department="営業部", theme="close"
        ),
        Question("q4", "経費の締めは?", DAY, department="営業部", theme="close"),
        Question("q5", "ひとつだけ", DAY - dt.timedelta(days=20), department="営業部", theme="one"),
    ]
    faq = FAQ.build(
        questions, [], departments=departments, as_of=DAY + dt.timedelta(days=10), laggards=["工場"]
    )
    assert [theme.id for theme in faq.pending] == ["pc", "close", "one"]
    pc = faq.pending[0]
    assert (pc.questions, pc.from_laggards, pc.departments, pc.unnamed) == (2, 1, ("工場",), 1)
    assert pc.days_waiting == 10
    assert pc.example == "現場にPCがありません"
    assert faq.pending[2].days_waiting == 30
    assert faq.as_of == DAY + dt.timedelta(days=10)
    for text in (faq.to_markdown(lang="en"), faq.to_html(lang="ja")):
        assert "現場にPCがありません" in text
    assert "Themes still waiting for an official answer" in faq.to_markdown(lang="en")
    assert '"pending"' in faq.to_json()
    default_day = FAQ.build(questions, [], departments=departments)
    assert default_day.as_of == DAY + dt.timedelta(days=3)
    assert FAQ.build([], []).pending == ()
