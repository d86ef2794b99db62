"""The bundled sample data (data/examples) loads through the public loaders and tells its story."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sized
from importlib import resources
from pathlib import Path

import pytest

import backoffice_marketing as bm
from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.departments import coerce_departments
from backoffice_marketing.materials import AnnouncementPlan, ReachLog
from backoffice_marketing.voice import (
    FAQ,
    AnswerBook,
    ChangeLog,
    DecisionLog,
    HearingLog,
    QuestionLog,
    VoiceReport,
    group_questions,
)
from tests.test_voice_case_b import DEPARTMENTS as CASE_B_DEPARTMENTS

EXAMPLES = Path(bm.__file__).parent / "data" / "examples"
CHAT = EXAMPLES / "chat-migration"
ONE_ON_ONE = EXAMPLES / "one-on-one"
CASE_B_FIXTURES = Path(__file__).parent / "fixtures" / "voice" / "case_b"
AS_OF = dt.date(2027, 6, 30)
PROPOSAL_ON = dt.date(2027, 3, 25)
LAUNCH = dt.date(2027, 5, 17)
LAGGARDS = ("製造部", "物流センター", "名古屋営業所", "購買部")
SMALL = "名古屋営業所"

LOADERS: dict[str, Callable[[Path], Sized]] = {
    "hearings.csv": HearingLog.from_file,
    "questions.csv": QuestionLog.from_file,
    "answers.yaml": AnswerBook.from_file,
    "decisions.json": DecisionLog.from_file,
    "changes.toml": ChangeLog.from_file,
}


def _company() -> dict[str, int]:
    with (EXAMPLES / "company.csv").open(encoding="utf-8", newline="") as handle:
        return {row["department"]: int(row["headcount"]) for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def company() -> dict[str, int]:
    return _company()


@pytest.fixture(scope="module")
def questions() -> QuestionLog:
    return QuestionLog.from_file(CHAT / "questions.csv")


@pytest.fixture(scope="module")
def answers() -> AnswerBook:
    return AnswerBook.from_file(CHAT / "answers.yaml")


@pytest.fixture(scope="module")
def hearings() -> HearingLog:
    return HearingLog.from_file(CHAT / "hearings.csv")


@pytest.fixture(scope="module")
def report(
    company: dict[str, int], hearings: HearingLog, questions: QuestionLog, answers: AnswerBook
) -> VoiceReport:
    return VoiceReport.build(
        as_of=AS_OF,
        departments=company,
        hearings=hearings,
        decisions=DecisionLog.from_file(CHAT / "decisions.json"),
        questions=questions,
        answers=answers,
        changes=ChangeLog.from_file(CHAT / "changes.toml"),
        proposal_on=PROPOSAL_ON,
        laggards=LAGGARDS,
        revisit_since=LAUNCH,
        calendar=BusinessCalendar(),
    )


@pytest.mark.parametrize("folder", [CHAT, ONE_ON_ONE], ids=["chat-migration", "one-on-one"])
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_voice_logs_load(folder: Path, name: str) -> None:
    """Every voice log of both examples loads through its public loader and is not empty."""
    log = LOADERS[name](folder / name)
    assert len(log) > 0


def test_examples_are_package_resources() -> None:
    """The examples are reachable through importlib.resources, as an installed wheel ships them."""
    root = resources.files("backoffice_marketing.data").joinpath("examples")
    for name in (
        "chat-migration/hearings.csv",
        "chat-migration/announcement-draft.md",
        "chat-migration/announcement-plan.toml",
        "chat-migration/reach-log.csv",
        "one-on-one/departments.csv",
        "one-on-one/managers.csv",
    ):
        assert root.joinpath(name).is_file(), name


def test_company_has_twenty_departments_and_a_small_office(company: dict[str, int]) -> None:
    """The synthetic company has 20 departments, 1,400 people and a 4-person branch office."""
    assert len(company) == 20
    assert sum(company.values()) == 1400
    assert company[SMALL] == 4


def test_hearings_name_only_known_departments(
    hearings: HearingLog, company: dict[str, int]
) -> None:
    """14 departments heard before the proposal, three never visited, every laggard revisited."""
    coverage = bm.voice.coverage(hearings, company, proposal_on=PROPOSAL_ON)
    assert coverage.unknown == ()
    assert len(coverage.heard) == 14
    assert coverage.never_visited == ("広報部", "法務部", "研究所")
    revisits = bm.voice.revisits(hearings, LAGGARDS, since=LAUNCH)
    assert all(revisit.done for revisit in revisits)
    assert all(
        hearing.purpose is bm.voice.HearingPurpose.REVISIT
        for hearing in hearings
        if hearing.held_on >= LAUNCH
    )
    assert all(finding.failure_modes for _, finding in hearings.findings.values())


def test_questions_group_into_themes(questions: QuestionLog, answers: AnswerBook) -> None:
    """Thirty questions in both languages group into the five answered themes and one waiting."""
    assert len(questions) == 30
    assert {q.status.value for q in questions} == {"open", "answered", "published", "declined"}
    assert any(q.text.isascii() for q in questions)
    assert all(dt.date(2027, 4, 1) <= q.received_on <= AS_OF for q in questions)
    themes = group_questions(questions, answers)
    assert len([theme for theme in themes if len(theme.questions) >= 2]) >= 4
    answered = {theme.official.id for theme in themes if theme.official is not None}
    assert answered == {answer.id for answer in answers}
    unanswered = [theme for theme in themes if theme.official is None]
    assert len(unanswered) == 1
    assert len(unanswered[0].questions) >= 4


def test_faq_waits_for_one_theme_and_never_quotes_the_small_office(
    questions: QuestionLog, answers: AnswerBook, company: dict[str, int]
) -> None:
    """The FAQ publishes five answers, lists one waiting theme and never quotes 名古屋営業所."""
    faq = FAQ.build(questions, answers, departments=company)
    assert len(faq.entries) == 5
    assert len(faq.waiting) == 1
    assert faq.updated_on is not None
    assert dt.date(2027, 5, 1) <= faq.updated_on <= AS_OF
    small = [q.text for q in questions if q.department == SMALL]
    assert small
    shown = [wording for entry in faq.entries for wording in entry.wordings]
    assert shown
    assert not set(small) & set(shown)
    for lang in ("ja", "en"):
        pages = faq.to_markdown(lang=lang) + faq.to_html(lang=lang)
        assert all(text not in pages for text in small)


def test_voice_report_builds(report: VoiceReport, questions: QuestionLog) -> None:
    """The voice report covers the company, traces decisions and keeps the small office unquoted."""
    assert report.coverage is not None
    assert report.coverage.department_share == pytest.approx(14 / 20)
    assert report.traceability is not None
    assert report.traceability.unknown_references == ()
    assert report.traceability.untraced == ("d03",)
    assert report.stats is not None
    assert report.stats.received == 30
    assert report.stats.overdue
    assert any(row.changes for row in report.loop)
    assert {answer.evidence.source for answer in report.answers(lang="ja")} == {"voice"}
    small = [q.text for q in questions if q.department == SMALL]
    for lang in ("ja", "en"):
        pages = report.to_markdown(lang=lang) + report.to_html(lang=lang)
        assert all(text not in pages for text in small)


def test_announcement_draft_has_typical_flaws() -> None:
    """The draft says why, when and where to ask, but buries the action and reads stiffly."""
    review = bm.materials.lint(CHAT / "announcement-draft.md", lang="ja")
    rules = {finding.rule for finding in review.findings}
    assert len(review.findings) >= 5
    assert {"ja.sentence-length", "ja.stiff-request", "jargon", "reader.action-late"} <= rules
    assert 0 <= review.score <= 100
    assert 45 <= review.score <= 75
    checks = {check.key: check.passed for check in review.reader_checks}
    assert checks["why"]
    assert checks["when"]
    assert checks["where_to_ask"]
    assert not checks["conclusion_first"]
    text = (CHAT / "announcement-draft.md").read_text(encoding="utf-8")
    assert 1500 <= len(text) <= 2500


def test_announcement_plan_review_reports_its_gaps(company: dict[str, int]) -> None:
    """The plan misses a second channel, a second call and a blackout; the log shows low reach."""
    plan = AnnouncementPlan.from_file(CHAT / "announcement-plan.toml")
    assert plan.launch == LAUNCH
    assert {(d.id, d.headcount) for d in plan.departments} == set(company.items())
    review = plan.review(log=ReachLog.from_file(CHAT / "reach-log.csv"))
    found = {(finding.rule, finding.department) for finding in review.findings}
    assert ("announcement.single-channel", SMALL) in found
    assert ("announcement.second-call-missed", "物流センター") in found
    assert ("announcement.blackout", None) in found
    assert ("announcement.low-reach", "製造部") in found
    assert review.reach is not None
    assert all(group.group != SMALL for group in review.reach)
    for lang in ("ja", "en"):
        assert review.to_markdown(lang=lang)


def test_one_on_one_example_matches_case_b() -> None:
    """The packaged 1on1 example is the Case B fixture, with its eight departments."""
    for fixture in sorted(CASE_B_FIXTURES.iterdir()):
        assert (ONE_ON_ONE / fixture.name).read_bytes() == fixture.read_bytes(), fixture.name
    departments = coerce_departments(ONE_ON_ONE / "departments.csv")
    assert {d.id: d.headcount for d in departments} == CASE_B_DEPARTMENTS
