"""Parts of the voice report display on their own, the same as inside the report."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.voice import (
    FAQ,
    AnswerBook,
    DecisionLog,
    Hearing,
    HearingFinding,
    HearingLog,
    QuestionLog,
    VoiceReport,
    pulse_summary,
)
from tests.test_voice_case_b import AS_OF, CASE_B, DEPARTMENTS
from tests.test_voice_measures import _pulse


@pytest.fixture(scope="module")
def case_b() -> VoiceReport:
    return VoiceReport.build(
        as_of=AS_OF,
        departments=DEPARTMENTS,
        hearings=HearingLog.from_file(CASE_B / "hearings.csv"),
        decisions=DecisionLog.from_file(CASE_B / "decisions.json"),
        questions=QuestionLog.from_file(CASE_B / "questions.csv"),
        answers=AnswerBook.from_file(CASE_B / "answers.yaml"),
        proposal_on=dt.date(2024, 4, 15),
    )


@pytest.mark.parametrize("part", ["coverage", "traceability", "stats"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_part_is_the_report_section(case_b: VoiceReport, part: str, lang: Lang) -> None:
    """Each part renders the section of the report, heading first, and displays in Jupyter."""
    report = case_b
    value: Any = getattr(report, part)
    assert value is not None
    text = value.to_markdown(lang=lang)
    assert text.startswith("## ")
    assert text.strip() in report.to_markdown(lang=lang)
    assert value._repr_mimebundle_()["text/markdown"] == value.to_markdown(lang="ja")


def test_pulse_summary_displays() -> None:
    """A pulse summary renders its table, with the company row and 'other' translated."""
    summary = pulse_summary(_pulse(), {"sales": 20, "tiny": 2, "plant": 8})
    english = summary.to_markdown(lang="en")
    assert english.startswith("## ")
    assert "| sales |" in english
    assert english.strip() in VoiceReport(as_of=summary.held_on, pulse=summary).to_markdown(
        lang="en"
    )


def test_loop_tells_answered_from_ignored(case_b: VoiceReport) -> None:
    """A theme answered in the FAQ without a change is not shown as ignored; ids are labelled."""
    english = case_b.to_markdown(lang="en")
    assert "Theme without an official answer `theme-q11`" in english
    answered_only = [row for row in case_b.loop if row.answered_on and not row.changes]
    assert answered_only
    assert "Answered in the FAQ (no change)" in english
    html = case_b.to_html(lang="ja")
    assert "FAQで回答済み(変更はなし)" in html
    assert "公式回答のないテーマ <small><code>theme-q11</code></small>" in html


def test_quotes_from_small_departments_are_withheld() -> None:
    """Neither the words nor the summary of a hearing with a department under 10 people appear."""
    hearings = HearingLog(
        [
            Hearing(
                "h1",
                AS_OF,
                ("経理部",),
                "HR",
                findings=(HearingFinding("f1", "時間が取れない", quotes=("月末は無理です",)),),
            ),
            Hearing(
                "h2",
                AS_OF,
                ("営業部",),
                "HR",
                findings=(HearingFinding("f2", "話題がない", quotes=("何を話せば",)),),
            ),
            Hearing(
                "h3",
                AS_OF,
                ("営業部", "経理部"),
                "HR",
                findings=(HearingFinding("f3", "合同", quotes=("一緒に",)),),
            ),
        ]
    )
    report = VoiceReport.build(as_of=AS_OF, departments=DEPARTMENTS, hearings=hearings)
    rows = {row.id: row for row in report.findings}
    assert [rows[ident].quotes for ident in ("f1", "f2", "f3")] == [(), ("何を話せば",), ()]
    assert [rows[ident].quotes_withheld for ident in ("f1", "f2", "f3")] == [True, False, True]
    for text in (report.to_markdown(lang="ja"), report.to_html(lang="en")):
        assert "月末は無理です" not in text
        assert "一緒に" not in text
        assert "時間が取れない" not in text  # a small group's finding is never quoted
        assert "話題がない" in text
    assert [rows[ident].text_withheld for ident in ("f1", "f2", "f3")] == [True, False, True]
    unknown = VoiceReport.build(as_of=AS_OF, hearings=hearings)
    assert all(row.quotes == () for row in unknown.findings)


def test_report_and_faq_as_json(case_b: VoiceReport) -> None:
    """JSON carries what the report shows, never more; equal input gives equal bytes."""
    document = json.loads(case_b.to_json())
    assert document["schema_version"] == 1
    assert document["as_of"] == "2024-06-20"
    assert document["coverage"]["never_visited"] == ["品質保証部", "物流部", "経理部"]
    assert case_b.to_json() == case_b.to_json()
    questions = QuestionLog.from_file(CASE_B / "questions.csv")
    faq = FAQ.build(
        questions, AnswerBook.from_file(CASE_B / "answers.yaml"), departments=DEPARTMENTS
    )
    data = json.loads(faq.to_json())
    assert [entry["answer"]["id"] for entry in data["entries"]] == [
        "cannot-answer",
        "no-time",
        "working-hours",
    ]
    small = {q.text for q in questions if q.department == "経理部"}
    for text in small:
        assert text not in faq.to_json()
        assert text not in case_b.to_json()
