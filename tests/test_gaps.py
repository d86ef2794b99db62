"""Gap reports: per failure mode and department, gates, remedies, trend, privacy, outputs."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing.core.privacy import PrivacyFloorError
from backoffice_marketing.diagnosis.gaps import GapReport, GapReportError, Status
from backoffice_marketing.diagnosis.planning.plan import Plan
from backoffice_marketing.diagnosis.playbooks import load_playbook
from backoffice_marketing.diagnosis.stages import UnknownStageError
from backoffice_marketing.foundation.text import Lang
from tests.schemas import validate
from tests.strategies import answers

DAY = dt.date(2027, 5, 10)
CHECKLIST = bm.default_checklist()
IDS = list(CHECKLIST.ids)


def all_done_but(mode: str, level: str = "not_done") -> bm.Assessment:
    assessment = bm.Assessment("chat-migration", DAY)
    for item in CHECKLIST:
        assessment = assessment.answer(item.id, level if item.failure_mode == mode else "done")
    return assessment


def department(name: str, people: int, level: str, parent: str | None = None) -> bm.Assessment:
    scope = bm.Scope(name, people, parent)
    assessment = bm.Assessment("chat-migration", DAY, scope)
    for item in CHECKLIST.for_failure_mode("materials"):
        assessment = assessment.answer(item.id, level)
    return assessment.answer("research.department-coverage", "done")


def test_materials_not_done_blocks_the_announcement() -> None:
    """Materials not done, with a playbook gating the announcement on them: it is the barrier."""
    report = GapReport.from_assessment(
        all_done_but("materials"), playbook=load_playbook("chat-migration")
    )
    assert report.first_blocked_stage == "announcement"
    assert report.gates[0].stage == "announcement"
    assert "materials.why" in report.gates[0].blocking
    first = report.remedies[0]
    assert first.failure_mode is bm.FailureMode.MATERIALS
    assert first.blocked_stage == "announcement"
    assert first.tasks
    assert report["materials"].status is Status.GAP
    assert report["research"].status is Status.OK
    assert report.readiness.value == pytest.approx(80.0)


def test_stage_limits_gates_to_later_stages() -> None:
    """With a current stage, only later stages are gated; an unknown stage is an error."""
    playbook = load_playbook("chat-migration")
    report = GapReport.from_assessment(all_done_but("research"), playbook=playbook, stage="launch")
    assert all(g.stage not in {"proposal", "design", "launch"} for g in report.gates)
    assert report.first_blocked_stage == "intervention"
    with pytest.raises(UnknownStageError, match="did you mean 'launch'"):
        GapReport.from_assessment(all_done_but("research"), playbook=playbook, stage="lunch")


def test_statuses_and_unanswered() -> None:
    """Statuses follow the thresholds; a mode without answers is unanswered, not zero."""
    assert Status.of(None) is Status.UNANSWERED
    assert Status.of(0.8) is Status.OK
    assert Status.of(0.79) is Status.AT_RISK
    assert Status.of(0.49) is Status.GAP
    report = GapReport.from_assessment(bm.Assessment("x", DAY).answer("materials.why", "partial"))
    assert report["research"].score is None
    assert report["research"].status is Status.UNANSWERED
    assert report["materials"].score == 0.5
    assert report.readiness.value == pytest.approx(50.0)
    assert 0 < report.readiness.coverage < 0.1
    assert report.first_blocked_stage is None
    unanswered = [r for r in report.remedies if r.unanswered]
    assert unanswered
    assert all(r.gap == 1.0 for r in unanswered)
    empty = GapReport.from_assessment(bm.Assessment("x", DAY))
    assert empty.readiness.value is None


def test_not_applicable_items_leave_the_score() -> None:
    """A not-applicable item has no gap and no remedy."""
    assessment = bm.Assessment("x", DAY).answer("materials.one-page", "not_applicable")
    report = GapReport.from_assessment(assessment.answer("materials.why", "done"))
    finding = next(f for f in report["materials"].items if f.item == "materials.one-page")
    assert finding.not_applicable
    assert finding.gap == 0.0
    assert all(r.item != "materials.one-page" for r in report.remedies)


def test_departments_matrix_and_rollup() -> None:
    """A 4-person department is withheld from every figure, saying why; small teams pool."""
    assessments = [
        department("営業部", 40, "done"),
        department("営業部東京3課", 4, "not_done", parent="営業部"),
        department("経理部", 12, "partial"),
    ]
    report = GapReport.from_assessment(assessments)
    published = {row.department: row for row in report.departments if not row.suppressed}
    assert set(published) == {"営業部", "経理部"}
    assert published["営業部"].headcount == 40
    assert published["営業部"].members == ("営業部",)
    materials = published["営業部"].cells[3]
    assert materials.score == pytest.approx(1.0)
    hidden = next(row for row in report.departments if row.suppressed)
    assert hidden.department == "営業部東京3課"
    assert hidden.merged_into is None
    assert hidden.reason is not None
    assert "5" in hidden.reason.en
    assert all(cell.status is Status.SUPPRESSED and cell.score is None for cell in hidden.cells)
    # The company figure leaves the withheld team out: the same as a report without it.
    assert report["materials"].items[0].value == pytest.approx((40 + 0.5 * 12) / 52)
    pooled = GapReport.from_assessment(
        [
            department("営業部", 40, "done"),
            department("営業部東京", 2, "not_done", parent="営業部"),
            department("営業部東京3課", 4, "not_done", parent="営業部東京"),
        ]
    )
    rows = {row.department: row for row in pooled.departments if not row.suppressed}
    assert rows["other"].members == ("営業部東京", "営業部東京3課")
    assert rows["other"].headcount == 6


def test_small_groups_without_parent_go_to_other() -> None:
    """Small departments without a parent are published together as 'other' when big enough."""
    report = GapReport.from_assessment(
        [department("a", 3, "done"), department("b", 3, "partial"), department("c", 30, "done")]
    )
    rows = {row.department: row for row in report.departments if not row.suppressed}
    assert rows["other"].headcount == 6
    assert rows["other"].cells[3].score == pytest.approx(0.75)


def test_min_group_size_floor() -> None:
    """The floor of 5 cannot be lowered; it can be raised."""
    with pytest.raises(PrivacyFloorError, match="at least 5"):
        GapReport.from_assessment(department("a", 40, "done"), min_group_size=4)
    report = GapReport.from_assessment(
        [department("a", 40, "done"), department("b", 8, "done")], min_group_size=10
    )
    rows = [row for row in report.departments if not row.suppressed]
    assert all(row.headcount is not None and row.headcount >= 10 for row in rows)


def test_bad_combinations_are_errors() -> None:
    """Different initiatives, two company assessments, duplicates and unknown items are refused."""
    one = bm.Assessment("a", DAY)
    with pytest.raises(GapReportError, match="different initiatives"):
        GapReport.from_assessment([one, bm.Assessment("b", DAY)])
    with pytest.raises(GapReportError, match="at most one company-wide"):
        GapReport.from_assessment([one, bm.Assessment("a", DAY)])
    with pytest.raises(GapReportError, match="two assessments for department"):
        GapReport.from_assessment(
            [bm.Assessment("a", DAY, bm.Scope("x", 9)), bm.Assessment("a", DAY, bm.Scope("x", 9))]
        )
    with pytest.raises(GapReportError, match="at least one"):
        GapReport.from_assessment([])
    with pytest.raises(TypeError, match="Assessment objects"):
        GapReport.from_assessment(["x"])  # type: ignore[list-item]
    with pytest.raises(bm.exceptions.UnknownItemError):
        GapReport.from_assessment(one.answer("materials.wy", "done"))


def test_trend_against_previous() -> None:
    """Items improved, worsened and still open are listed against a previous report."""
    before = bm.Assessment("x", dt.date(2027, 4, 1)).answer("materials.why", "not_done")
    before = before.answer("materials.when", "done")
    after = (
        bm.Assessment("x", DAY)
        .answer("materials.why", "partial")
        .answer("materials.when", "partial")
    )
    report = GapReport.from_assessment(after, previous=GapReport.from_assessment(before))
    assert report.trend is not None
    assert report.trend.previous_date == dt.date(2027, 4, 1)
    assert report.trend.improved == ("materials.why",)
    assert report.trend.worsened == ("materials.when",)
    assert "materials.why" in report.trend.still_open
    from_assessment = GapReport.from_assessment(after, previous=before)
    assert from_assessment.trend == report.trend
    fresh = GapReport.from_assessment(after.answer("research.key-persons", "done"), previous=before)
    assert fresh.trend is not None
    assert "research.key-persons" in fresh.trend.improved


def test_due_dates_from_a_plan() -> None:
    """With a plan, each blocked stage shows when it is due to start."""
    playbook = load_playbook("chat-migration")
    plan = Plan.from_playbook(playbook, start=dt.date(2027, 4, 1), departments={"a": 20, "b": 30})
    report = GapReport.from_assessment(all_done_but("materials"), playbook=playbook, plan=plan)
    announcement = report.gates[0]
    assert announcement.due == min(t.start for t in plan.tasks if t.stage == "announcement")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_outputs(lang: Lang) -> None:
    """Markdown, HTML and JSON render in both languages; JSON validates and is deterministic."""
    assessments = [
        department("a|b", 40, "done"),
        department("<script>alert(1)</script>", 4, "not_done", parent="a|b"),
        department("[x](javascript:alert(1))", 12, "partial"),
    ]
    report = GapReport.from_assessment(assessments, playbook=load_playbook("chat-migration"))
    markdown = report.to_markdown(lang=lang)
    assert "a\\|b" in markdown
    assert "<script>" not in markdown
    assert "](javascript" not in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| a\\|b")]
    assert rows
    assert rows[0].replace("\\|", "").count("|") == 8
    page = report.to_html(lang=lang)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    data = validate(report.to_json(), "gap_report.schema.json")
    assert data["first_blocked_stage"] == report.first_blocked_stage
    reordered = GapReport.from_assessment(
        list(reversed(assessments)), playbook=load_playbook("chat-migration")
    )
    assert reordered.to_json() == report.to_json()
    bundle = report._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    assert repr(report).startswith("<GapReport 'chat-migration'")
    assert [r.failure_mode for r in report] == list(bm.FailureMode)


@st.composite
def department_assessments(draw: st.DrawFn) -> list[bm.Assessment]:
    """Up to six department assessments with random answers and sizes."""
    count = draw(st.integers(1, 6))
    result = []
    for index in range(count):
        ids = draw(st.lists(st.sampled_from(IDS), max_size=12, unique=True))
        given = tuple(draw(answers(item_id)) for item_id in ids)
        parent = draw(st.sampled_from([None, "d0"])) if index else None
        scope = bm.Scope(f"d{index}", draw(st.integers(0, 60)), parent)
        result.append(bm.Assessment("x", DAY, scope, given))
    return result


@settings(max_examples=40, deadline=None)
@given(department_assessments(), st.randoms(use_true_random=False))
def test_report_properties(assessments: list[bm.Assessment], rnd: random.Random) -> None:
    """Scores stay in [0, 1]; order does not matter; every published group has >= 5 people."""
    report = GapReport.from_assessment(assessments)
    for result in report.failure_modes:
        assert result.score is None or 0.0 <= result.score <= 1.0
        assert 0.0 <= result.coverage <= 1.0
    for row in report.departments:
        if not row.suppressed:
            assert row.headcount is not None
            assert row.headcount >= 5
        for cell in row.cells:
            assert cell.score is None or 0.0 <= cell.score <= 1.0
    assert report.readiness.value is None or 0.0 <= report.readiness.value <= 100.0
    shuffled = [
        bm.Assessment(a.initiative, a.date, a.scope, tuple(rnd.sample(a.answers, len(a.answers))))
        for a in rnd.sample(assessments, len(assessments))
    ]
    assert GapReport.from_assessment(shuffled).to_json() == report.to_json()
    assert json.loads(report.to_json())["schema_version"] == 1
    assert all(r.priority >= 0 for r in report.remedies)
    priorities = [r.priority for r in report.remedies]
    assert priorities == sorted(priorities, reverse=True)


def test_conflicts_are_listed_with_both_answers_and_the_rule() -> None:
    """Computed evidence that disagrees with a manual answer is listed first; the rule decides."""
    base = (
        bm.Assessment("chat-migration", DAY)
        .answer("two_way.adoption-measured", "not_done")
        .answer(
            "research.department-coverage",
            "done",
            collected_on=dt.date(2027, 3, 15),
            note="all visited",
        )
        .answer(
            "two_way.champions",
            "done",
            collected_on=dt.date(2027, 7, 1),
            note="the log misses the night shift",
        )
    )
    on = dt.date(2027, 6, 30)
    computed = [
        bm.Answer(
            "two_way.adoption-measured", "done", evidence=bm.Evidence("adoption", collected_on=on)
        ),
        bm.Answer(
            "research.department-coverage",
            "partial",
            0.7,
            bm.Evidence("voice", "hearings", on, "14 of 20"),
        ),
        bm.Answer("two_way.champions", "not_done", evidence=bm.Evidence("adoption", None, on)),
        bm.Answer("materials.why", "done", evidence=bm.Evidence("materials", None, on)),
    ]
    report = GapReport.from_assessment(base, evidence=computed)
    kept = {c.item: c.kept for c in report.conflicts}
    assert kept == {
        "research.department-coverage": "computed",
        "two_way.adoption-measured": "computed",
        "two_way.champions": "manual",
    }
    by_item = {f.item: f for r in report.failure_modes for f in r.items}
    assert by_item["research.department-coverage"].value == 0.7
    assert by_item["two_way.champions"].value == 1.0
    assert by_item["materials.why"].value == 1.0
    manual_reason = next(c for c in report.conflicts if c.kept == "manual").reason
    assert "reason" in manual_reason.en
    assert "newer" in report.conflicts[0].reason.en
    data = validate(report.to_json(), "gap_report.schema.json")
    assert data["conflicts"][0]["manual"]["source"] == "manual"
    assert data["conflicts"][0]["computed"]["collected_on"] == "2027-06-30"
    markdown = report.to_markdown(lang="en")
    assert markdown.index("## Conflicting evidence") < markdown.index("| Failure mode |")
    assert "undated" in markdown
    assert "Conflicting evidence" in report.to_html(lang="en")
    assert GapReport.from_assessment(base).conflicts == ()


def test_evidence_needs_a_company_wide_assessment() -> None:
    """Computed evidence goes into the company-wide assessment; without one it is an error."""
    answer = bm.Answer("materials.why", "done", evidence=bm.Evidence("materials"))
    with pytest.raises(GapReportError, match="company-wide"):
        GapReport.from_assessment(
            [department("営業部", 40, "done"), department("経理部", 30, "done")], evidence=[answer]
        )
    mixed = [bm.Assessment("chat-migration", DAY), department("営業部", 40, "done")]
    report = GapReport.from_assessment(mixed, evidence=[answer])
    assert report.conflicts == ()


def test_gap_report_shows_the_adoption_classification() -> None:
    """The one classification of departments appears in the report, with its merges."""
    from backoffice_marketing.adoption import classify_rows  # noqa: PLC0415
    from backoffice_marketing.core.privacy import Suppression  # noqa: PLC0415

    merge = Suppression("名古屋営業所", "営業本部", bm.LocalizedText("小さいため。", "Too small."))
    adoption = classify_rows(
        [("営業本部", "W1", 0.2), ("経理部", "W1", 0.95), ("人事部", "W1", 0.9)],
        curve=False,
        merges=(merge,),
    )
    report = GapReport.from_assessment(all_done_but("materials"), adoption=adoption)
    data = validate(report.to_json(), "gap_report.schema.json")
    assert {row["department"]: row["standing"] for row in data["adoption"]["departments"]} == {
        "人事部": "on_track",
        "営業本部": "lagging",
        "経理部": "on_track",
    }
    assert "名古屋営業所 is counted within 営業本部" in report.to_markdown(lang="en")
    assert "名古屋営業所 is counted within 営業本部" in report.to_html(lang="en")
