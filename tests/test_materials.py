"""Tests of the materials linter: lint, reviews, outputs and evidence answers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.core.checklist import AnswerLevel, Evidence, default_checklist
from backoffice_marketing.exceptions import LoadError, UnsupportedLanguageError
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.materials import (
    Glossary,
    GlossaryEntry,
    LintOptions,
    Location,
    Review,
    Severity,
    default_glossary,
    detect_lang,
    lint,
    material_from_text,
)
from backoffice_marketing.materials.catalogue import excerpt, rule_catalogue
from backoffice_marketing.materials.evidence import fraction_answer
from tests.schemas import validate

FIXTURES = Path(__file__).parent / "fixtures" / "materials"
STEMS = ("bad_ja", "good_ja", "bad_en", "good_en")
SUFFIXES = (".txt", ".docx", ".pptx")


def _lang(stem: str) -> str:
    return stem.rsplit("_", 1)[1]


@pytest.fixture(scope="module")
def reviews() -> dict[tuple[str, str], Review]:
    return {
        (stem, suffix): lint(FIXTURES / f"{stem}{suffix}", lang=_lang(stem))
        for stem in STEMS
        for suffix in SUFFIXES
    }


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_bad_and_good_notices_score_clearly_apart(
    reviews: dict[tuple[str, str], Review], suffix: str, lang: str
) -> None:
    """The good version of a notice scores at least 50 points above the bad one, in every format."""
    bad, good = reviews[(f"bad_{lang}", suffix)], reviews[(f"good_{lang}", suffix)]
    assert good.score - bad.score >= 50
    assert good.score >= 85
    assert bad.score <= 35


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("stem", STEMS)
def test_every_finding_has_a_location_of_its_format(
    reviews: dict[tuple[str, str], Review], stem: str, suffix: str
) -> None:
    """Text findings carry line and column, Word a paragraph, PowerPoint a slide and paragraph."""
    for finding in reviews[(stem, suffix)].findings:
        where = finding.location
        if suffix == ".txt":
            assert where.line is not None
            assert where.column is not None
        elif suffix == ".docx":
            assert where.paragraph is not None
            assert where.slide is None
        else:
            assert where.slide is not None
            assert where.paragraph is not None
        assert finding.message.ja
        assert finding.message.en
        assert finding.suggestion.ja
        assert finding.suggestion.en


def test_bad_japanese_notice_triggers_the_japanese_rules(
    reviews: dict[tuple[str, str], Review],
) -> None:
    """The stiff Japanese notice trips each Japanese rule and the missing reader checks."""
    rules = set(reviews[("bad_ja", ".txt")].counts())
    assert {
        "ja.sentence-length",
        "ja.commas",
        "ja.double-negative",
        "ja.stiff-request",
        "ja.stiff-passive",
        "ja.stiff-ending",
        "ja.inline-list",
        "ja.prose-steps",
        "jargon",
        "reader.when",
        "reader.where-to-ask",
    } <= rules


def test_bad_english_notice_triggers_the_english_rules(
    reviews: dict[tuple[str, str], Review],
) -> None:
    """The stiff English notice trips each English rule and every reader check."""
    rules = set(reviews[("bad_en", ".txt")].counts())
    assert {
        "en.sentence-length",
        "en.passive",
        "en.nominalisation",
        "en.noun-heavy",
        "en.inline-list",
        "jargon",
        "reader.why",
        "reader.when",
        "reader.action",
        "reader.where-to-ask",
    } <= rules


def test_good_notices_have_no_findings_and_pass_every_reader_check(
    reviews: dict[tuple[str, str], Review],
) -> None:
    """The plain rewrites answer the five questions, conclusion first, with nothing to fix."""
    for stem in ("good_ja", "good_en"):
        review = reviews[(stem, ".txt")]
        assert review.findings == ()
        assert all(check.passed for check in review.reader_checks)


def test_locations_point_at_the_offending_words() -> None:
    """A jargon finding's line and column point at the term in the source text."""
    text = "# お知らせ\n\n本日より稟議の手順を変えます。\n"
    review = lint(text, lang="ja")
    finding = next(f for f in review.findings if f.rule == "jargon")
    line = text.splitlines()[finding.location.line - 1]  # type: ignore[operator]
    assert line[finding.location.column - 1 :].startswith("稟議")  # type: ignore[operator]


def test_markdown_inline_markup_keeps_columns() -> None:
    """Emphasis and links are removed from the text but columns still match the source."""
    text = "**重要**:[規程](https://example.invalid/faq)に従い、当該の書類を出してください。"
    review = lint(text, lang="ja")
    finding = next(f for f in review.findings if f.rule == "jargon")
    assert text[finding.location.column - 1 :].startswith("当該")  # type: ignore[operator]
    # A link to the rules is no place to ask: nothing in the sentence asks.
    assert not review.check("where_to_ask").passed


def test_sentence_length_threshold_is_configurable() -> None:
    """A 70-character sentence warns at 60 but not at 80; past the hard limit it is an error."""
    sentence = "あ" * 69 + "。"
    assert "ja.sentence-length" in lint(sentence).counts()
    assert (
        "ja.sentence-length"
        not in lint(sentence, options=LintOptions(max_sentence_chars=80)).counts()
    )
    long = lint("い" * 120 + "。")
    assert (
        next(f for f in long.findings if f.rule == "ja.sentence-length").severity is Severity.ERROR
    )


def test_kanji_numerals_do_not_count_as_a_kanji_run() -> None:
    """A date in kanji numerals is not a long kanji run, a compound noun is."""
    assert "ja.kanji-run" not in lint("令和七年四月一日に始めます。").counts()
    assert "ja.kanji-run" in lint("経費精算申請書提出期限を守ってください。").counts()


def test_disabled_rules_do_not_fire() -> None:
    """Rules listed in disabled_rules produce no findings."""
    text = (FIXTURES / "bad_ja.txt").read_text(encoding="utf-8")
    rules = frozenset(rule_catalogue())
    review = lint(text, options=LintOptions(disabled_rules=rules))
    assert review.findings == ()


def test_action_late_is_reported_where_the_action_is() -> None:
    """An action after the first sentences yields reader.action-late at that sentence."""
    text = "\n".join([*(f"背景の説明{i}です。" for i in range(6)), "申請書を提出してください。"])
    review = lint(text, options=LintOptions(action_within_sentences=3))
    late = next(f for f in review.findings if f.rule == "reader.action-late")
    assert late.location.line == 7
    assert not review.check("conclusion_first").passed


def test_english_action_late_and_abbreviations() -> None:
    """English sentences split after full stops but not after abbreviations such as e.g."""
    text = "We use tools, e.g. chat. It is new. It is good. It is fast. It is safe. Please log in."
    review = lint(text, lang="en", options=LintOptions(action_within_sentences=2))
    assert review.sentences == 6
    assert "reader.action-late" in review.counts()


def test_empty_document_scores_zero() -> None:
    """A document without text scores 0 and says so."""
    review = lint("   \n\n", lang="en")
    assert review.score == 0.0
    assert "document.empty" in review.counts()
    assert review.findings[0].location == Location(line=1, column=1)


def test_auto_language_detection() -> None:
    """lang='auto' picks Japanese for Japanese text and English otherwise."""
    assert detect_lang("これは日本語の文です。") == "ja"
    assert detect_lang("This is English.") == "en"
    assert detect_lang("") == "en"
    assert lint("This is English.", lang="auto").lang == "en"


def test_unknown_language_is_an_error() -> None:
    """A language other than ja, en or auto is refused."""
    with pytest.raises(UnsupportedLanguageError):
        lint("text", lang="fr")


def test_paths_and_missing_files(tmp_path: Path) -> None:
    """A one-line string with a document suffix is a path; a missing one is a clear error."""
    path = tmp_path / "notice.md"
    path.write_text("# Title\n\nPlease submit the form by April 1.\n", encoding="utf-8")
    assert lint(str(path), lang="en").source == str(path)
    with pytest.raises(LoadError, match="no such file"):
        lint(str(tmp_path / "missing.docx"))
    with pytest.raises(TypeError):
        lint(b"bytes")  # type: ignore[arg-type]


def test_material_objects_are_linted_directly() -> None:
    """A Material read beforehand can be passed to lint."""
    material = material_from_text("Please reply.", format="text", name="memo")
    assert lint(material, lang="en").source == "memo"


def test_user_glossary_adds_and_replaces_terms(tmp_path: Path) -> None:
    """A user glossary adds terms, wins over the default, and can stand alone."""
    review = lint("Our TPS report is due.", lang="en", glossary={"TPS report": "weekly status"})
    assert any("weekly status" in f.suggestion.en for f in review.findings)
    path = tmp_path / "terms.toml"
    path.write_text(
        'schema_version = 1\n[[entries]]\nterm = "稟議"\nplain = "承認のお願い"\nlang = "ja"\n',
        encoding="utf-8",
    )
    review = lint("稟議を出してください。", glossary=path)
    assert "承認のお願い" in review.findings[0].suggestion.ja
    alone = lint("稟議を出してください。", glossary=Glossary(()), use_default_glossary=False)
    assert "jargon" not in alone.counts()


def test_glossary_rejects_duplicates_and_bad_languages() -> None:
    """A glossary term appears once per language, and languages are ja or en."""
    with pytest.raises(FieldValueError):
        Glossary([GlossaryEntry("Foo", "bar", "en"), GlossaryEntry("foo", "baz", "en")])
    with pytest.raises(FieldValueError):
        GlossaryEntry("foo", "bar", "fr")
    assert len(default_glossary()) > 50
    assert repr(Glossary(())) == "<Glossary entries=0>"


def test_lint_options_validate_their_thresholds() -> None:
    """Hard limits below soft limits, unknown methods and a bare string of rules are refused."""
    with pytest.raises(FieldValueError):
        LintOptions(max_sentence_chars=80, hard_sentence_chars=70)
    with pytest.raises(FieldValueError):
        LintOptions(max_sentence_words=30, hard_sentence_words=20)
    with pytest.raises(FieldValueError):
        LintOptions(readability="magic")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        LintOptions(disabled_rules="jargon")


def test_json_output_is_valid_and_deterministic(reviews: dict[tuple[str, str], Review]) -> None:
    """Every review's JSON validates against the shipped schema and is byte-identical on re-run."""
    for (stem, suffix), review in reviews.items():
        data = validate(review.to_json(), "materials_review.schema.json")
        assert data["score"] == review.score
        again = lint(FIXTURES / f"{stem}{suffix}", lang=_lang(stem))
        assert again.to_json() == review.to_json()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_markdown_and_html_escape_the_readers_text(lang: Lang) -> None:
    """Quoted text from the document is escaped in Markdown and HTML."""
    text = "<script>alert(1)</script> | 当該の[リンク](javascript:alert(1))で届を提出されたい。"
    review = lint(text, lang="ja")
    html = review.to_html(lang=lang)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    markdown = review.to_markdown(lang=lang)
    assert "<script>" not in markdown
    assert "](javascript:" not in markdown
    for line in markdown.splitlines():
        if line.startswith("| ") and "jargon" in line:
            assert line.count(" | ") == 5
    bundle = review._repr_mimebundle_()
    assert bundle["text/plain"].startswith("<Review")


def test_clean_review_renders_no_findings() -> None:
    """A review without findings says so in both outputs."""
    review = lint((FIXTURES / "good_en.txt").read_text(encoding="utf-8"), lang="en")
    assert "No findings." in review.to_markdown(lang="en")
    assert "指摘はありません。" in review.to_html(lang="ja")


def test_answers_for_a_good_notice_are_done_with_evidence() -> None:
    """A complete, plain notice answers the materials items as done, from source 'materials'."""
    review = lint(FIXTURES / "good_ja.txt", lang="ja")
    answers = {a.item: a for a in review.answers(collected_on=dt.date(2025, 3, 1), lang="ja")}
    checklist = default_checklist()
    assert set(answers) <= set(checklist.ids)
    assert {
        "materials.why",
        "materials.what-changes",
        "materials.when",
        "materials.reader-action",
        "materials.where-to-ask",
        "materials.plain-language",
        "materials.one-page",
    } == set(answers)
    for answer in answers.values():
        assert answer.level is AnswerLevel.DONE
        assert answer.evidence.source == "materials"
        assert answer.evidence.collected_on == dt.date(2025, 3, 1)


def test_answers_for_a_bad_notice_show_the_gaps() -> None:
    """A stiff notice without contact or date answers those items as not done."""
    review = lint(FIXTURES / "bad_en.txt", lang="en")
    answers = {a.item: a for a in review.answers()}
    assert answers["materials.where-to-ask"].level is AnswerLevel.NOT_DONE
    assert answers["materials.reader-action"].level is AnswerLevel.NOT_DONE
    assert answers["materials.plain-language"].level in (AnswerLevel.PARTIAL, AnswerLevel.NOT_DONE)
    assert "materials.one-page" not in answers


def test_late_action_is_a_partial_answer() -> None:
    """An action that comes late answers materials.reader-action as partial."""
    text = "\n".join([*(f"背景の説明{i}です。" for i in range(6)), "申請書を提出してください。"])
    answers = {a.item: a for a in lint(text).answers(lang="ja")}
    assert answers["materials.reader-action"].level is AnswerLevel.PARTIAL


@given(st.floats(min_value=-1.0, max_value=2.0, allow_nan=False))
def test_fraction_answers_respect_the_answer_rules(fraction: float) -> None:
    """A fraction becomes done, not done or a partial answer with a score strictly inside (0, 1)."""
    answer = fraction_answer("materials.why", fraction, Evidence("materials"))
    if answer.level is AnswerLevel.PARTIAL:
        assert answer.score is not None
        assert 0 < answer.score < 1
    else:
        assert answer.score is None


@given(st.text(max_size=400))
def test_lint_never_fails_and_scores_stay_in_range(text: str) -> None:
    """Any text lints without error, with a score in [0, 100] and locations on real lines."""
    for lang in ("ja", "en"):
        review = lint(text, lang=lang, options=LintOptions(readability="tateishi"))
        assert 0.0 <= review.score <= 100.0
        lines = max(len(text.splitlines()), 1)
        for finding in review.findings:
            assert finding.location.line is not None
            assert 1 <= finding.location.line <= lines
        json.loads(review.to_json())


@given(st.text(max_size=80))
def test_excerpts_are_short_single_lines(text: str) -> None:
    """An excerpt never holds a line break and never exceeds 40 characters."""
    quoted = excerpt(text)
    assert "\n" not in quoted
    assert len(quoted) <= 40


def test_english_rules_can_be_disabled_and_deduplicate() -> None:
    """English rules switch off by id; a repeated term in one sentence is reported once."""
    text = (FIXTURES / "bad_en.txt").read_text(encoding="utf-8")
    assert (
        lint(text, lang="en", options=LintOptions(disabled_rules=rule_catalogue())).findings == ()
    )
    review = lint("We leverage tools and leverage people. They are interested.", lang="en")
    assert review.counts().get("jargon") == 1
    assert "en.passive" not in review.counts()
    repeated = lint("当該の書類と当該の申請を出してください。")
    assert repeated.counts().get("jargon") == 1
    nominal = lint("Make a decision on the decision of the board.", lang="en")
    assert nominal.counts().get("en.nominalisation") == 1


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("ja", "ご不明な点は情報システム部(内線1234)までお問い合わせください。", True),
        ("ja", "質問は人事部へ。", True),
        ("ja", "「チャット相談」チャンネルで受け付けます。", True),
        ("ja", "質問があれば言ってください。", False),
        ("ja", "部署のチャンネルに参加してください。", False),
        ("ja", "その場で答えられない質問は持ち帰ります。", False),
        ("en", "Send questions to the IT help desk.", True),
        ("en", "Questions? Ask in #chat-help.", True),
        ("en", "Ask your questions to HR.", True),
        ("en", "We ask you to update the app.", False),
        ("en", "Any questions are welcome.", False),
    ],
)
def test_where_to_ask_needs_a_place(lang: str, text: str, found: bool) -> None:
    """'Where to ask' passes on a contact point, not on the mere word 'question' or 'channel'."""
    review = lint(text, lang=lang)
    assert review.check("where_to_ask").passed is found
