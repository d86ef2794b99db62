"""Case B of DOMAIN.md replayed: HR makes monthly 1on1s stick, and answers the field's questions."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.checklist import AnswerLevel
from backoffice_marketing.voice import (
    FAQ,
    AnswerBook,
    ChangeLog,
    DecisionLog,
    HearingLog,
    Question,
    QuestionLog,
    VoiceReport,
    group_questions,
)

CASE_B = Path(__file__).parent / "fixtures" / "voice" / "case_b"
DEPARTMENTS = {
    "営業部": 120,
    "製造部": 150,
    "開発部": 80,
    "人事部": 12,
    "総務部": 15,
    "経理部": 9,
    "品質保証部": 30,
    "物流部": 40,
}
AS_OF = dt.date(2024, 6, 20)


@pytest.fixture(scope="module")
def questions() -> QuestionLog:
    return QuestionLog.from_file(CASE_B / "questions.csv")


@pytest.fixture(scope="module")
def answers() -> AnswerBook:
    return AnswerBook.from_file(CASE_B / "answers.yaml")


@pytest.fixture(scope="module")
def report(questions: QuestionLog, answers: AnswerBook) -> VoiceReport:
    return VoiceReport.build(
        as_of=AS_OF,
        departments=DEPARTMENTS,
        hearings=HearingLog.from_file(CASE_B / "hearings.csv"),
        decisions=DecisionLog.from_file(CASE_B / "decisions.json"),
        questions=questions,
        answers=answers,
        changes=ChangeLog.from_file(CASE_B / "changes.toml"),
        proposal_on=dt.date(2024, 4, 15),
        laggards=["製造部", "経理部"],
        revisit_since=dt.date(2024, 6, 1),
        calendar=BusinessCalendar(),
    )


def test_three_departments_never_visited_are_reported(report: VoiceReport) -> None:
    """The three departments HR never visited are named, apart from those visited long ago."""
    assert report.coverage is not None
    assert report.coverage.never_visited == ("品質保証部", "物流部", "経理部")
    assert report.coverage.not_heard == ("品質保証部", "物流部", "経理部", "総務部")
    assert report.coverage.department_share == 0.5
    assert report.coverage.headcount_heard == 120 + 150 + 80 + 12
    for lang in ("ja", "en"):
        text = report.to_markdown(lang=lang)
        assert "品質保証部, 物流部, 経理部" in text


def test_twelve_questions_from_three_departments_group_into_themes(
    questions: QuestionLog, answers: AnswerBook
) -> None:
    """The three questions of DOMAIN.md, reworded in Japanese and English, land in their themes."""
    assert len(questions) == 12
    assert questions.departments == ("営業部", "経理部", "製造部")
    themes = {theme.id: theme.questions for theme in group_questions(questions, answers)}
    assert themes == {
        "working-hours": ("q01", "q02", "q03", "q04"),
        "cannot-answer": ("q05", "q06", "q07"),
        "no-time": ("q08", "q09", "q10"),
        "theme-q11": ("q11", "q12"),
    }


def test_faq_carries_the_official_answers(questions: QuestionLog, answers: AnswerBook) -> None:
    """The FAQ, in both languages and both formats, holds every official answer."""
    faq = FAQ.build(questions, answers, departments=DEPARTMENTS)
    assert [entry.answer.id for entry in faq.entries] == [
        "cannot-answer",
        "no-time",
        "working-hours",
    ]
    assert [theme.id for theme in faq.waiting] == ["theme-q11"]
    assert faq.updated_on == dt.date(2024, 6, 12)
    for lang in ("ja", "en"):
        markdown, html = faq.to_markdown(lang=lang), faq.to_html(lang=lang)
        for answer in answers:
            assert answer.answer.get(lang) in markdown
            assert answer.answer.get(lang) in html
            assert answer.question.get(lang) in html


def test_faq_never_quotes_the_small_department(questions: QuestionLog, answers: AnswerBook) -> None:
    """Questions from the 9-person accounting department are answered but never quoted."""
    faq = FAQ.build(questions, answers, departments=DEPARTMENTS)
    small = [q.text for q in questions if q.department == "経理部"]
    shown = [wording for entry in faq.entries for wording in entry.wordings]
    assert shown
    assert not set(small) & set(shown)
    for lang in ("ja", "en"):
        assert all(text not in faq.to_html(lang=lang) for text in small)


def test_response_time_figures(report: VoiceReport) -> None:
    """Median 1.5 and 90th percentile 4 business days; 8 of 12 within 3 days; 1 of 9 repeats."""
    stats = report.stats
    assert stats is not None
    assert (stats.received, stats.replied, stats.open) == (12, 10, 2)
    assert stats.median_days == 1.5
    assert stats.p90_days == 4.0
    assert stats.late == ("q06", "q09")
    assert stats.overdue == ("q11", "q12")
    assert stats.within_promise == pytest.approx(8 / 12)
    assert stats.repeat_rate == pytest.approx(1 / 9)


def test_traceability_and_loop(report: VoiceReport) -> None:
    """Untraced decisions, dangling references and unanswered themes stand out."""
    trace = report.traceability
    assert trace is not None
    assert trace.untraced == ("d3",)
    assert trace.unknown_references == (("d4", "f9"),)
    assert trace.unanswered_findings == ("f0", "f4", "f6")
    assert [row.theme for row in report.loop if not row.changes] == ["cannot-answer", "no-time"]
    assert [r.department for r in report.revisits if not r.done] == ["経理部"]


def test_evidence_answers(report: VoiceReport) -> None:
    """The report answers the research, customer_voice and two_way items with source 'voice'."""
    answers = {answer.item: answer for answer in report.answers(lang="ja")}
    assert answers["research.department-coverage"].score == 0.5
    assert answers["research.revisit-laggards"].score == 0.5
    assert answers["customer_voice.decisions-traced"].score == 0.75
    assert answers["two_way.faq-published"].level is AnswerLevel.PARTIAL
    assert answers["two_way.reply-time"].score == pytest.approx(8 / 12, abs=1e-4)  # rounded once
    assert answers["two_way.question-channel"].level is AnswerLevel.PARTIAL
    assert all(answer.evidence.source == "voice" for answer in answers.values())
    assert all(answer.evidence.collected_on == AS_OF for answer in answers.values())


def test_hyperlink_question_exports_to_xlsx_as_text() -> None:
    """A question beginning with =HYPERLINK( is a text cell in the xlsx export, never a formula."""
    text = '=HYPERLINK("http://example.com","click")'
    log = QuestionLog([Question("q1", text, AS_OF, anonymous=True)])
    report = VoiceReport.build(as_of=AS_OF, departments=DEPARTMENTS, questions=log)
    sheet = load_workbook(io.BytesIO(report.to_bytes("xlsx", lang="en"))).active
    cells = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value and "HYPERLINK" in str(cell.value)
    ]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].value == "'" + text


def test_script_in_a_question_stays_text_in_html(answers: AnswerBook) -> None:
    """A <script> tag in a question is escaped in the FAQ page and in the report page."""
    text = "1on1は業務時間内ですか?<script>alert(1)</script>"
    log = QuestionLog([Question("q1", text, AS_OF, department="営業部")])
    faq = FAQ.build(log, answers, departments=DEPARTMENTS)
    report = VoiceReport.build(as_of=AS_OF, departments=DEPARTMENTS, questions=log, answers=answers)
    for page in (faq.to_html(lang="ja"), report.to_html(lang="en")):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in faq.to_markdown(lang="ja")
