"""Coverage, traceability, response times, loop closure, pulse surveys and evidence rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.checklist import AnswerLevel
from backoffice_marketing.core.departments import Department
from backoffice_marketing.core.privacy import PrivacyFloorError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.voice import (
    FAQ,
    Change,
    ChangeLog,
    Decision,
    DecisionLog,
    Hearing,
    HearingFinding,
    HearingLog,
    OfficialAnswer,
    PulseLog,
    PulseResponse,
    Question,
    QuestionLog,
    TextFloor,
    Theme,
    VoiceReport,
    coverage,
    group_questions,
    pulse_summary,
    response_stats,
    revisits,
    trace,
    you_said_we_did,
)
from backoffice_marketing.voice.stats import business_days_between, percentile

MON = dt.date(2024, 6, 3)
WEEKDAYS = BusinessCalendar(country=None)


@given(st.lists(st.integers(0, 50), min_size=1), st.floats(0, 1))
def test_percentile_lies_between_min_and_max(values: list[int], fraction: float) -> None:
    """Any quantile is within the data's range, and the ends are the min and the max."""
    value = percentile(values, fraction)
    assert value is not None
    assert min(values) <= value <= max(values)
    assert percentile(values, 0) == min(values)
    assert percentile(values, 1) == max(values)


def test_percentile_edges() -> None:
    """An empty list has no quantile; a fraction outside [0, 1] is refused."""
    assert percentile([], 0.5) is None
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    with pytest.raises(ValueError, match="fraction"):
        percentile([1], 1.5)


def test_business_days_skip_weekends_and_holidays() -> None:
    """Friday to Monday is one business day; a national holiday does not count."""
    assert business_days_between(dt.date(2024, 6, 7), dt.date(2024, 6, 10), WEEKDAYS) == 1
    assert business_days_between(MON, MON, WEEKDAYS) == 0
    # 2024-07-15 is Marine Day in Japan.
    assert (
        business_days_between(dt.date(2024, 7, 12), dt.date(2024, 7, 16), BusinessCalendar()) == 1
    )


@st.composite
def question_logs(draw: st.DrawFn) -> list[Question]:
    items = []
    for index in range(draw(st.integers(0, 8))):
        received = MON + dt.timedelta(days=draw(st.integers(0, 20)))
        replied = draw(st.booleans())
        items.append(
            Question(
                f"q{index}",
                "text",
                received,
                status="answered" if replied else "open",
                answer="a" if replied else None,
                answered_on=received + dt.timedelta(days=draw(st.integers(0, 10)))
                if replied
                else None,
            )
        )
    return items


@given(question_logs(), st.integers(0, 5), st.integers(0, 40))
def test_response_rates_stay_in_the_unit_interval(
    questions: list[Question], promise: int, days: int
) -> None:
    """Shares are in [0, 1], counts add up, and the order of questions does not matter."""
    as_of = MON + dt.timedelta(days=days)
    stats = response_stats(questions, promised_days=promise, as_of=as_of, calendar=WEEKDAYS)
    assert stats.replied + stats.open == stats.received
    assert stats.within_promise is None or 0.0 <= stats.within_promise <= 1.0
    assert set(stats.late) | set(stats.overdue) <= {q.id for q in questions}
    again = response_stats(
        list(reversed(questions)), promised_days=promise, as_of=as_of, calendar=WEEKDAYS
    )
    assert again == stats


def test_response_stats_ignore_the_future_and_check_the_promise() -> None:
    """Questions after as_of are ignored; a reply after as_of counts as open; bad promises fail."""
    late_reply = Question(
        "q1", "x", MON, status="answered", answer="a", answered_on=MON + dt.timedelta(days=9)
    )
    future = Question("q2", "x", MON + dt.timedelta(days=30))
    stats = response_stats(
        [late_reply, future], as_of=MON + dt.timedelta(days=1), calendar=WEEKDAYS
    )
    assert (stats.received, stats.replied, stats.median_days, stats.repeat_rate) == (
        1,
        0,
        None,
        None,
    )
    assert stats.within_promise is None
    with pytest.raises(ValueError, match="promised_days"):
        response_stats([], promised_days=-1, as_of=MON)
    assert response_stats([], as_of=MON).received == 0


def _hearings() -> HearingLog:
    return HearingLog(
        [
            Hearing(
                "h1", MON, ("sales",), "HR", 3, findings=(HearingFinding("f1", "短い会話しかない"),)
            ),
            Hearing("h2", MON + dt.timedelta(days=40), ("plant", "ghost"), "HR", 2, "revisit"),
            Hearing("h3", MON - dt.timedelta(days=400), ("office",), "HR"),
        ]
    )


def test_coverage_and_revisits() -> None:
    """Coverage counts departments and headcount in the window; unknown names are kept."""
    departments = [
        Department("sales", headcount=30),
        Department("plant", headcount=70),
        Department("office", headcount=0),
        Department("lab", headcount=0),
    ]
    result = coverage(_hearings(), departments, proposal_on=MON + dt.timedelta(days=45))
    assert result.heard == ("sales", "plant")  # Department objects: the company's order
    by_name = coverage(_hearings(), {"sales": 30, "plant": 70}, proposal_on=result.proposal_on)
    assert by_name.heard == ("plant", "sales")  # a mapping: by name
    assert result.never_visited == ("lab",)
    assert result.unknown == ("ghost",)
    assert result.department_share == 0.5
    assert result.headcount_share == 1.0
    empty = coverage(HearingLog(), {}, proposal_on=MON)
    assert (empty.department_share, empty.headcount_share) == (None, None)
    with pytest.raises(ValueError, match="window_days"):
        coverage(HearingLog(), {}, proposal_on=MON, window_days=-1)
    found = revisits(_hearings(), ["plant", "sales"], since=MON + dt.timedelta(days=1))
    assert [(r.department, r.done) for r in found] == [("plant", True), ("sales", False)]
    ordered = revisits(_hearings(), ["plant", "sales"], since=MON, order=["sales", "plant"])
    assert [r.department for r in ordered] == ["sales", "plant"]
    assert "findings=1" in repr(_hearings())
    assert len(_hearings()) == 3
    assert [h.id for h in _hearings()] == ["h1", "h2", "h3"]


def test_hearing_validation() -> None:
    """Duplicate hearing or finding ids, no department and multi-line quotes are refused."""
    finding = HearingFinding("f1", "x")
    with pytest.raises(FieldValueError, match="duplicate hearing id"):
        HearingLog([Hearing("h1", MON, ("a",), "HR"), Hearing("h1", MON, ("b",), "HR")])
    with pytest.raises(FieldValueError, match="duplicate finding id"):
        HearingLog(
            [
                Hearing("h1", MON, ("a",), "HR", findings=(finding,)),
                Hearing("h2", MON, ("a",), "HR", findings=(finding,)),
            ]
        )
    with pytest.raises(FieldValueError, match="at least one"):
        Hearing("h1", MON, (), "HR")
    with pytest.raises(FieldValueError, match="one line"):
        HearingFinding("f1", "x", quotes=("a\nb",))
    with pytest.raises(TypeError, match="single string"):
        HearingFinding("f1", "x", tags="abc")


def test_trace_lists_gaps_both_ways() -> None:
    """Untraced decisions, dangling references and unanswered findings are listed."""
    result = trace([Decision("d1", "x", ("f1",)), Decision("d2", "y", ("nope",))], _hearings())
    assert result.traced == ("d1",)
    assert result.untraced == ("d2",)
    assert result.unknown_references == (("d2", "nope"),)
    assert result.unanswered_findings == ()
    assert trace([], HearingLog()).traced_share is None
    assert len(DecisionLog([Decision("d1", "x")])) == 1


def test_loop_puts_unanswered_themes_first() -> None:
    """Themes without a change or a published answer come first; findings can be included."""
    answered = OfficialAnswer("a", LocalizedText("質問", "Q"), LocalizedText("回答", "A"), MON)
    themes = [Theme("a", ("q1",), answered), Theme("b", ("q2", "q3"))]
    changes = ChangeLog([Change("c1", ("a",), LocalizedText("変更", "Changed"), MON)])
    rows = you_said_we_did(themes, changes, hearings=_hearings())
    assert [(row.theme, row.responded) for row in rows] == [
        ("b", False),
        ("f1", False),
        ("a", True),
    ]
    assert [c.id for c in rows[-1].changes] == ["c1"]
    assert len(changes) == 1
    assert next(iter(changes)).id == "c1"


def _pulse() -> PulseLog:
    responses = [
        PulseResponse("s1", MON, f"r{i}", "sales", "i1", 5 if i < 4 else 2) for i in range(6)
    ] + [
        PulseResponse("s1", MON, "t1", "tiny", "i1", 5),
        PulseResponse("s0", MON - dt.timedelta(days=30), "r1", "sales", "i1", 3),
    ]
    return PulseLog(responses)


def test_pulse_participation_and_privacy() -> None:
    """Participation under 60 % is flagged; small groups withheld; few respondents hide rates."""
    summary = pulse_summary(_pulse(), {"sales": 20, "tiny": 2, "plant": 8})
    groups = {group.group: group for group in summary.groups}
    assert set(groups) == {"sales", "plant"}
    assert groups["sales"].participation == pytest.approx(6 / 20)
    assert groups["sales"].favourable_rate == pytest.approx(4 / 6)
    assert "sales" in summary.flagged
    assert "tiny" in summary.suppressed
    # tiny's one answer is in no figure: company less sales and plant gives nothing away.
    assert summary.company.respondents == 6
    assert summary.company.headcount == 28
    assert summary.survey == "s1"
    earlier = pulse_summary(_pulse(), [Department("sales", headcount=20)], survey="s0")
    assert earlier.groups[0].favourable_rate is None  # one respondent: withheld
    assert earlier.unknown_departments == ()
    with pytest.raises(KeyError, match="s9"):
        pulse_summary(_pulse(), {"sales": 20}, survey="s9")
    with pytest.raises(ValueError, match="no survey"):
        pulse_summary(PulseLog(), {"sales": 20})
    with pytest.raises(FieldValueError, match="twice"):
        PulseLog([PulseResponse("s", MON, "r", "d", "i", 3)] * 2)
    with pytest.raises(FieldValueError, match="1 to 5"):
        PulseResponse("s", MON, "r", "d", "i", 6)
    assert len(_pulse()) == 8
    assert next(iter(_pulse())).survey == "s1"


def test_text_floor_cannot_be_lowered() -> None:
    """The free-text floor is 10 at least; unknown and small departments are not attributed."""
    with pytest.raises(PrivacyFloorError):
        TextFloor({}, 9)
    floor = TextFloor.of([Department("big", headcount=12), Department("small", headcount=9)])
    assert floor.attribute("big") == "big"
    assert floor.attribute("small") is None
    assert floor.attribute("ghost") is None
    assert floor.quotable(None)
    assert not TextFloor.of(None).quotable(None)
    assert not floor.attributable(())


def test_report_parts_and_evidence_levels() -> None:
    """Each evidence rule maps a share to done, partial or not_done."""
    questions = QuestionLog(
        [
            Question(
                "q1",
                "いつ?",
                MON,
                anonymous=True,
                kind="concern",
                status="answered",
                answer="a",
                answered_on=MON,
            ),
            Question("q2", "どこ?", MON, department="small", kind="concern"),
        ]
    )
    changes = ChangeLog([Change("c1", ("theme-q1",), LocalizedText("変更", "Changed"), MON)])
    report = VoiceReport.build(
        as_of=MON,
        departments={"sales": 30, "small": 6},
        hearings=_hearings(),
        questions=questions,
        changes=changes,
        pulse=_pulse(),
        proposal_on=MON,
        laggards=["sales"],
        calendar=WEEKDAYS,
    )
    answers = {answer.item: answer for answer in report.answers()}
    assert answers["customer_voice.objections-logged"].score == 0.5
    assert answers["two_way.question-channel"].level is AnswerLevel.DONE
    assert answers["two_way.pulse-survey"].level is AnswerLevel.PARTIAL
    assert answers["two_way.faq-published"].level is AnswerLevel.NOT_DONE
    assert answers["research.revisit-laggards"].level is AnswerLevel.DONE
    assert [row.id for row in report.questions] == ["q1"]
    assert report.findings[0].departments == ("sales",)
    assert "themes=2" in repr(report)
    for lang in ("ja", "en"):
        assert report.to_markdown(lang=lang).count("\n") > 10
        assert report.to_html(lang=lang).startswith("<!DOCTYPE html>")
    assert "text/markdown" in report._repr_mimebundle_()
    bare = VoiceReport.build(as_of=MON, questions=QuestionLog())
    assert {a.item: a.level for a in bare.answers()} == {
        "two_way.question-channel": AnswerLevel.NOT_DONE
    }


def test_report_with_partial_inputs(tmp_path: Path) -> None:
    """Without departments, decisions or questions, only the parts that can be built are."""
    changes = ChangeLog([Change("c1", ("x",), LocalizedText("変更", "Changed"), MON)])
    report = VoiceReport.build(as_of=MON, hearings=_hearings(), changes=changes)
    assert report.coverage is None
    assert report.traceability is None
    assert report.loop == ()
    assert report.findings[0].departments is None
    units = [Department("sales", headcount=0)]
    with_pulse = VoiceReport.build(as_of=MON, departments=units, pulse=_pulse())
    assert with_pulse.pulse is not None
    assert with_pulse.answers() == ()
    questions = QuestionLog([Question("q1", "=cmd", MON, anonymous=True)])
    exported = VoiceReport.build(as_of=MON, departments={"big": 20}, questions=questions)
    exported.write(tmp_path / "q.xlsx", lang="en")
    assert (tmp_path / "q.xlsx").read_bytes() == exported.to_bytes("xlsx", lang="en")
    with pytest.warns(DeprecationWarning, match="write"):
        exported.write_questions_xlsx(tmp_path / "old.xlsx", lang="en")
    with pytest.warns(DeprecationWarning, match=r"version 0\.3\.0; use to_bytes"):
        assert exported.questions_xlsx("en") == (tmp_path / "old.xlsx").read_bytes()


def test_faq_edge_cases() -> None:
    """Unasked drafts are not listed, a repeated wording shows once, empty phrases match nothing."""
    draft = OfficialAnswer("d", LocalizedText("下書き", "Draft"), LocalizedText("回答", "A"))
    done = OfficialAnswer(
        "p", LocalizedText("質問", "Q"), LocalizedText("回答", "A"), MON, ("!!!",)
    )
    questions = [Question(f"q{i}", "同じ 質問", MON, anonymous=True, theme="p") for i in range(2)]
    faq = FAQ.build(questions, [draft, done], departments={"big": 20})
    assert faq.waiting == ()
    assert faq.entries[0].wordings == ("同じ 質問",)
    assert Theme("p", (), done).published
    assert not Theme("x", ()).published
    assert group_questions([Question("z", "別の話", MON)], [done])[0].id == "theme-z"


def test_report_is_what_was_known_on_as_of(tmp_path: Path) -> None:
    """Hearings held and questions received after as_of are left out; a CSV gives departments."""
    table = tmp_path / "departments.csv"
    table.write_text("department,headcount\nsales,30\nplant,70\n", encoding="utf-8")
    questions = QuestionLog(
        [
            Question("q1", "いつから?", MON, department="sales"),
            Question("q2", "後の質問", MON + dt.timedelta(days=50)),
        ]
    )
    early = VoiceReport.build(
        as_of=MON + dt.timedelta(days=10),
        departments=table,
        hearings=_hearings(),
        questions=questions,
        laggards=["plant"],
        revisit_since=MON,
    )
    assert [r.revisited_on for r in early.revisits] == [None]
    assert early.question_count == 1
    later = VoiceReport.build(
        as_of=MON + dt.timedelta(days=60), departments=table, hearings=_hearings(),
        questions=questions, laggards=["plant"], revisit_since=MON,
    )  # fmt: skip
    assert [r.revisited_on for r in later.revisits] == [MON + dt.timedelta(days=40)]
    assert later.question_count == 2
    assert revisits(_hearings(), ["plant"], since=MON, until=MON)[0].revisited_on is None
    result = coverage(_hearings(), table, proposal_on=MON + dt.timedelta(days=45))
    assert result.heard == ("plant", "sales")
    assert FAQ.build(questions, departments=table).entries == ()
