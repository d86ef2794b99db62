"""Grouping questions by meaning: lemmas, the synonym table, ties, suggestions and bad input."""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.app.samples import sample_file
from backoffice_marketing.exceptions import QuestionTooLongError
from backoffice_marketing.foundation.io.limits import MAX_QUESTION_CHARS
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.voice import (
    FAQ,
    AnswerBook,
    OfficialAnswer,
    Question,
    QuestionLog,
    meaning,
)
from backoffice_marketing.voice.faq import Grouping, group, group_questions
from backoffice_marketing.voice.meaning import MEANING_THRESHOLD, Analyser, default_analyser, stem
from backoffice_marketing.voice.synonyms import load_synonyms

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
DAY = dt.date(2026, 12, 7)
MEANING = Analyser()


@pytest.fixture(scope="module")
def benchmark() -> Iterator[object]:
    """The grouping benchmark script, imported as a module."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import faq_grouping  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

        yield faq_grouping
    finally:
        sys.path.remove(str(BENCHMARKS))


def _questions(*texts: str) -> list[Question]:
    return [Question(f"q{index:02d}", text, DAY) for index, text in enumerate(texts, start=1)]


def _themes(grouping: Grouping) -> dict[str, tuple[str, ...]]:
    return {theme.id: theme.questions for theme in grouping.themes}


def test_synonyms_make_paraphrases_share_a_concept() -> None:
    """自分のパソコン, 個人PC and "laptop" all read as the concept pc; の is skipped in a phrase."""
    for text in ("自分のパソコン", "個人PC", "個人のPC", "my own laptop", "ノートパソコン"):
        assert "c:pc" in MEANING.features(text), text
    for text in ("私物のスマホ", "個人のスマートフォン", "自分の携帯", "my cell phone"):
        assert "c:smartphone" in MEANING.features(text), text
    assert MEANING.features("チャンネルを作成したい") == MEANING.features("グループを作る")


def test_function_words_and_generic_verbs_carry_no_meaning() -> None:
    """Particles, する, いい and English stop words give no feature; a lone "them" is no theme."""
    assert not MEANING.features("してもいいですか")
    assert not MEANING.features("Can I do it?")
    assert "c:topic" not in MEANING.features("working hours or outside them")
    assert "c:topic" in MEANING.features("themes for a 1on1")


def test_english_words_are_stemmed_lightly() -> None:
    """Plurals, -ed, -ing, contractions and a few irregular verbs fold onto one stem."""
    assert stem("channels") == stem("channel") == "channel"
    assert stem("created") == stem("creating") == stem("create")
    assert stem("setting") == "set"
    assert stem("sent") == stem("send")
    assert stem("doesn't") == stem("does")
    assert stem("policies") == "policy"
    assert stem("classes") == "class"
    assert MEANING.features("Doesn't it?") == MEANING.features("it")


def test_methods_lemmas_and_readings_differ_from_meaning() -> None:
    """``lemmas`` keeps lemmas without the table; ``readings`` keys other words by reading."""
    assert Analyser("lemmas").features("個人PC") == {"w:個人": 1, "w:pc": 1}
    assert Analyser("readings").features("承認") == {"w:ショウニン": 1}
    assert Analyser.ngrams().features("時間外") == {"時間": 1, "間外": 1}


def test_without_fugashi_the_analyser_falls_back_to_ngrams(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the [ja] extra's analyser cannot be imported, grouping uses character n-grams."""
    monkeypatch.setattr(meaning, "fugashi_available", lambda: False)
    fallback = default_analyser()
    assert fallback.method == "ngrams"
    assert fallback.threshold == Analyser.ngrams().threshold


def test_fugashi_available_reports_an_import_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tagger that cannot be built makes fugashi_available() false, not an exception."""

    def broken() -> None:
        raise ImportError("no fugashi")

    monkeypatch.setattr(meaning, "_tagger", broken)
    assert not meaning.fugashi_available()


def test_default_analyser_uses_the_given_synonyms() -> None:
    """A user's table reaches the analyser: its words become its concepts."""
    table = load_synonyms(text='[concepts]\ntablet = ["タブレット", "iPad"]\n')
    analyser = default_analyser(table)
    assert analyser.features("iPad") == {"c:tablet": 1}
    assert MEANING.with_synonyms(table).features("タブレット") == {"c:tablet": 1}
    assert analyser.threshold == MEANING_THRESHOLD


def test_the_issue_paraphrases_land_in_one_theme() -> None:
    """The paraphrases from the issue's trial join: PCs, smartphones, two ways to make a channel."""
    questions = _questions(
        "自分のパソコンでもチャットは使えますか?",
        "個人PCでもチャットは使えますか",
        "私物のスマホでチャットを見てもいいですか",
        "個人のスマートフォンでチャットを見られますか",
        "自分の携帯でチャットを見てもよいですか",
        "チャンネルの作り方を教えてください",
        "新しいグループはどうやって作成しますか",
        "社内メールはいつまで使えますか?",
        "有給休暇の申請はどこからしますか",
    )
    theme_of = {q: theme.id for theme in group(questions).themes for q in theme.questions}
    for paraphrases in (("q01", "q02"), ("q03", "q04", "q05"), ("q06", "q07")):
        assert len({theme_of[q] for q in paraphrases}) == 1, paraphrases
    assert len({theme_of["q01"], theme_of["q06"], theme_of["q08"], theme_of["q09"]}) == 4


def test_a_keyword_tie_goes_to_the_answer_with_more_keywords_and_is_recorded() -> None:
    """お客様へのメール goes to the customers' answer, not internal mail's; the tie is listed."""
    internal = OfficialAnswer(
        "internal-mail",
        LocalizedText("社内メールはいつまで使えますか?", "Until when can we use internal mail?"),
        LocalizedText("6月末までです。", "Until the end of June."),
        DAY,
        keywords=("メール",),
    )
    customers = OfficialAnswer(
        "customer-mail",
        LocalizedText("お客様とのやりとりは変わりますか?", "Does mail with customers change?"),
        LocalizedText("変わりません。", "No."),
        DAY,
        keywords=("お客様", "顧客"),
    )
    grouping = group(
        _questions("お客様へのメールはこれまでどおりで良いですか"), [internal, customers]
    )
    assert _themes(grouping) == {"customer-mail": ("q01",)}
    (tie,) = grouping.ties
    assert tie.question == "q01"
    assert tie.candidates == ("customer-mail", "internal-mail")
    assert tie.decided_by == "keywords"


def test_a_tie_nothing_settles_goes_to_the_smaller_id_and_says_so() -> None:
    """Two answers with the same keyword and wording: the smaller id wins, marked ``id``."""
    answers = [
        OfficialAnswer(
            ident,
            LocalizedText("通知", "notification"),
            LocalizedText("a", "a"),
            keywords=("通知",),
        )
        for ident in ("b-answer", "a-answer")
    ]
    grouping = group(_questions("通知が多い"), answers)
    assert grouping.ties[0].chosen == "a-answer"
    assert grouping.ties[0].decided_by == "id"


def test_a_tie_settled_by_the_answers_own_question() -> None:
    """Equal keywords: the answer whose own question is closer to the question wins."""
    answers = [
        OfficialAnswer(
            "channels",
            LocalizedText("チャンネルの作り方", "How to create a channel"),
            LocalizedText("a", "a"),
            keywords=("通知",),
        ),
        OfficialAnswer(
            "notifications",
            LocalizedText("通知を止めたい", "Stop notifications"),
            LocalizedText("a", "a"),
            keywords=("通知",),
        ),
    ]
    grouping = group(_questions("通知を止める方法"), answers)
    assert grouping.ties[0].chosen == "notifications"
    assert grouping.ties[0].decided_by == "question"


def test_the_demo_questions_land_in_their_themes() -> None:
    """In the demo's sample log, every set of paraphrases lands in one theme."""
    questions = QuestionLog.from_file(sample_file("chat-migration/questions.csv"))
    answers = AnswerBook.from_file(sample_file("chat-migration/answers.yaml"))
    themes = _themes(group(questions, answers))
    assert themes["theme-q03"] == ("q03", "q08", "q13", "q19", "q24", "q29")
    assert themes["channels"] == ("q15", "q23", "q26", "q28")
    assert themes["notifications"] == ("q02", "q06", "q11", "q16", "q20", "q27")
    assert themes["old-mail"] == ("q07", "q12", "q18", "q25")
    assert themes["read-receipts"] == ("q04", "q10", "q17", "q21")


def test_without_answers_the_demo_paraphrases_are_one_theme_or_a_suggested_merge() -> None:
    """Without official answers, each paraphrase set is one theme or joined by suggestions."""
    questions = QuestionLog.from_file(sample_file("chat-migration/questions.csv"))
    grouping = group(questions)
    theme_of = {q: theme.id for theme in grouping.themes for q in theme.questions}
    linked: dict[str, str] = {theme.id: theme.id for theme in grouping.themes}

    def root(theme: str) -> str:
        while linked[theme] != theme:
            theme = linked[theme]
        return theme

    for suggestion in grouping.suggestions:
        first, second = (root(theme) for theme in suggestion.themes)
        linked[max(first, second)] = min(first, second)
    sets = [
        ("q03", "q08", "q13", "q19", "q24", "q29"),
        ("q01", "q05", "q09", "q14", "q30"),
        ("q02", "q06", "q11", "q20", "q27"),
        ("q15", "q23", "q26"),
    ]
    for paraphrases in sets:
        assert len({root(theme_of[q]) for q in paraphrases}) == 1, paraphrases


def test_suggestions_list_close_themes_with_their_similarity() -> None:
    """Themes close to each other but under the threshold are suggested, most alike first."""
    grouping = group(
        _questions("通知が多すぎる", "経費の締め切り", "通知 経費"),
        threshold=0.6,
    )
    assert len(grouping.suggestions) == 2
    scores = [suggestion.similarity for suggestion in grouping.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)


def test_faq_lists_suggestions_and_ties_in_both_languages() -> None:
    """The FAQ's Markdown and HTML show suggested merges and answer ties in both languages."""
    answers = [
        OfficialAnswer(
            ident,
            LocalizedText("通知", "notification"),
            LocalizedText("a", "a"),
            keywords=("通知",),
        )
        for ident in ("b-answer", "a-answer")
    ]
    faq = FAQ.build(
        _questions("通知が多い", "経費の締め切り", "締め切り 通知 経費"),
        answers,
        threshold=0.9,
    )
    assert faq.ties
    assert faq.suggestions
    assert faq.theme_label("nothing", "ja") == "nothing"
    languages: tuple[tuple[Lang, str], ...] = (
        ("ja", "同じ質問かもしれない"),
        ("en", "may be the same question"),
    )
    for lang, heading in languages:
        assert heading in faq.to_markdown(lang=lang)
        assert heading in faq.to_html(lang=lang)
        assert "faq merge" in faq.to_markdown(lang=lang)
    assert faq.to_dict()["ties"][0]["decided_by"] == "id"


def test_theme_label_prefers_the_official_question() -> None:
    """A theme is named by its answer's question, else a quotable example, else its id."""
    published = OfficialAnswer(
        "hours", LocalizedText("時間内?", "In hours?"), LocalizedText("a", "a"), DAY
    )
    drafted = OfficialAnswer("draft", LocalizedText("下書き", "Draft"), LocalizedText("a", "a"))
    questions = [
        Question("q1", "時間内?", DAY, theme="hours"),
        Question("q2", "下書き", DAY, theme="draft"),
        Question("q3", "経費の締め切り", DAY),
    ]
    faq = FAQ.build(questions, [published, drafted], departments={}, min_group_size=10)
    assert faq.theme_label("hours", "en") == "In hours?"
    assert faq.theme_label("draft", "ja") == "下書き"
    assert faq.theme_label("theme-q3", "ja") == "theme-q3"


@pytest.mark.parametrize(
    "text",
    [
        "😀😀😀",
        "ｽﾏﾎで見られる？",
        "PCパソコンpc🙂 mixed 日本語 English",
        "   ...   !",
        "１２３",
        "ｱ",
    ],
)
def test_odd_text_is_grouped_never_crashed_on(text: str) -> None:
    """Emoji, half-width katakana, mixed scripts and punctuation only are grouped."""
    themes = group_questions(_questions(text, "スマホで見られる?"))
    assert sorted(q for theme in themes for q in theme.questions) == ["q01", "q02"]


def test_half_width_katakana_reads_like_full_width() -> None:
    """NFKC makes half-width katakana the same words as full-width ones."""
    assert MEANING.features("ｽﾏﾎで見られる？") == MEANING.features("スマホで見られる?")


def test_a_question_past_the_limit_is_refused_clearly() -> None:
    """A question longer than MAX_QUESTION_CHARS raises an error naming it and the limit."""
    with pytest.raises(QuestionTooLongError, match="q01") as raised:
        group(_questions("あ" * (MAX_QUESTION_CHARS + 1)))
    assert raised.value.limit == MAX_QUESTION_CHARS
    assert raised.value.question_id == "q01"
    assert isinstance(raised.value, ValueError)
    assert group(_questions("あ" * MAX_QUESTION_CHARS)).themes


def test_a_bad_threshold_is_refused() -> None:
    """A threshold outside (0, 1] is a ValueError naming it."""
    with pytest.raises(ValueError, match="threshold"):
        group(_questions("a"), threshold=1.5)


_PHRASES = st.sampled_from(
    [
        "自分のパソコンでチャットは使えますか",
        "個人PCにアプリを入れてもいいですか",
        "私物のスマホで見られますか",
        "チャンネルの作り方",
        "How do I create a channel?",
        "Can I use my own laptop?",
        "経費の締め切りはいつ",
        "😀",
        "ｽﾏﾎ",
    ]
)


@given(st.lists(_PHRASES, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_grouping_by_meaning_does_not_depend_on_order(texts: list[str], rng: object) -> None:
    """Shuffling the questions gives the same themes, ties and suggestions."""
    questions = _questions(*texts)
    shuffled = list(questions)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert group(shuffled) == group(questions)


@given(st.lists(_PHRASES, min_size=1, max_size=12))
def test_grouping_is_deterministic_and_covers_every_question(texts: list[str]) -> None:
    """The same questions give the same grouping twice; each question is in exactly one theme."""
    questions = _questions(*texts)
    first, second = group(questions), group(questions)
    assert first == second
    members = [q for theme in first.themes for q in theme.questions]
    assert sorted(members) == sorted(q.id for q in questions)


@given(st.text(max_size=60))
def test_features_never_crash_and_ignore_width(text: str) -> None:
    """Any text has features (maybe none), and its NFKC form has the same ones."""
    import unicodedata  # noqa: PLC0415

    assert MEANING.features(text) == MEANING.features(unicodedata.normalize("NFKC", text))


def test_held_out_floor_in_each_language(benchmark: object) -> None:
    """The shipped default reaches pairwise F1 0.7 on the held-out part in each language."""
    for lang in ("ja", "en"):
        got = benchmark.measure(MEANING, lang, "held-out")  # type: ignore[attr-defined]
        assert got.f1 >= 0.7, (lang, got)
        tuning = benchmark.measure(MEANING, lang, "tuning")  # type: ignore[attr-defined]
        assert tuning.f1 >= 0.8, (lang, tuning)


def test_meaning_beats_ngrams_on_the_held_out_part(benchmark: object) -> None:
    """On held-out questions, lemmas with synonyms beat the old n-grams in both languages."""
    for lang in ("ja", "en"):
        new = benchmark.measure(MEANING, lang, "held-out")  # type: ignore[attr-defined]
        old = benchmark.measure(Analyser.ngrams(), lang, "held-out")  # type: ignore[attr-defined]
        assert new.f1 > old.f1 + 0.3


def test_the_labelled_set_is_large_enough() -> None:
    """At least 120 questions in at least 15 themes, in both languages, split in two parts."""
    data = tomllib.loads(
        (Path(__file__).parent / "data" / "voice" / "faq_paraphrases.toml").read_text("utf-8")
    )
    themes = data["themes"]
    assert len(themes) >= 15
    total = sum(len(texts[lang]) for texts in themes.values() for lang in ("ja", "en"))
    assert total >= 120
    assert all(len(texts["ja"]) == len(texts["en"]) == 6 for texts in themes.values())
    assert set(data["fresh"]) == set(themes)
    assert all(len(texts["ja"]) == len(texts["en"]) == 3 for texts in data["fresh"].values())
