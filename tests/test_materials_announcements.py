"""Tests of announcement plans: coverage checks, reach logs, answers and outputs."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.core.calendars import BusinessCalendar, DateRange
from backoffice_marketing.core.checklist import AnswerLevel
from backoffice_marketing.core.departments import Department
from backoffice_marketing.core.privacy import PrivacyFloorError
from backoffice_marketing.exceptions import LoadError
from backoffice_marketing.foundation.validators import FieldValueError
from backoffice_marketing.materials import (
    AnnouncementPlan,
    Channel,
    MessageKind,
    PlannedMessage,
    ReachEvent,
    ReachLog,
    ReachRecord,
)
from tests.schemas import validate

LAUNCH = dt.date(2025, 6, 2)
CALENDAR = BusinessCalendar(country=None, year_end_closure=False)
DEPARTMENTS = (
    Department("sales", "営業部", 40),
    Department("hr", "人事部", 12),
    Department("it", "情報システム部", 8),
)


def _full_plan(**changes: object) -> AnnouncementPlan:
    messages = [
        PlannedMessage(dt.date(2025, 5, 1), Channel.EMAIL),
        PlannedMessage(dt.date(2025, 5, 15), Channel.BRIEFING),
        PlannedMessage(dt.date(2025, 5, 26), Channel.CHAT, kind=MessageKind.REMINDER),
        PlannedMessage(dt.date(2025, 7, 1), Channel.MANAGER_CASCADE, kind=MessageKind.SECOND_CALL),
    ]
    fields: dict[str, object] = {
        "launch": LAUNCH,
        "departments": DEPARTMENTS,
        "messages": messages,
        "name": "チャット移行",
    }
    fields.update(changes)
    return AnnouncementPlan(**fields)  # type: ignore[arg-type]


def test_complete_plan_has_no_findings_and_done_answers() -> None:
    """Every department reached twice, early, with a second call: no findings, every answer done."""
    review = _full_plan().review(calendar=CALENDAR)
    assert review.findings == ()
    answers = {a.item: a for a in review.answers(collected_on=LAUNCH)}
    assert set(answers) == {
        "announcement.two-channels",
        "announcement.lead-time",
        "announcement.second-call",
        "announcement.briefing-per-department",
    }
    assert all(a.level is AnswerLevel.DONE for a in answers.values())
    assert all(a.evidence.source == "materials" for a in answers.values())


def test_missing_department_yields_a_finding_and_partial_answers() -> None:
    """A department no message reaches is reported, and the answers turn partial."""
    messages = [
        PlannedMessage(dt.date(2025, 5, 1), Channel.EMAIL, ("sales", "hr")),
        PlannedMessage(dt.date(2025, 5, 15), Channel.BRIEFING, ("sales", "hr")),
        PlannedMessage(dt.date(2025, 7, 1), Channel.CHAT, ("sales", "hr"), MessageKind.SECOND_CALL),
    ]
    review = _full_plan(messages=messages).review(calendar=CALENDAR)
    missed = [f for f in review.findings if f.rule == "announcement.department-missed"]
    assert [f.department for f in missed] == ["it"]
    assert "情報システム部" in missed[0].message.ja
    assert not review.for_department("it").reached
    answers = {a.item: a for a in review.answers()}
    assert answers["announcement.two-channels"].level is AnswerLevel.PARTIAL
    assert answers["announcement.two-channels"].score == pytest.approx(2 / 3, abs=1e-3)
    assert answers["announcement.lead-time"].level is AnswerLevel.PARTIAL
    assert "announcement.second-call-missed" in {f.rule for f in review.findings}


def test_single_channel_department_is_reported() -> None:
    """A department told only by email on one day gets single-channel and no-repetition."""
    messages = [
        PlannedMessage(dt.date(2025, 5, 1), Channel.EMAIL),
        PlannedMessage(dt.date(2025, 5, 15), Channel.BRIEFING, ("sales", "hr")),
        PlannedMessage(dt.date(2025, 7, 1), Channel.CHAT, ("*",), MessageKind.SECOND_CALL),
    ]
    review = _full_plan(messages=messages).review(calendar=CALENDAR)
    rules = {(f.rule, f.department) for f in review.findings}
    assert ("announcement.single-channel", "it") in rules
    assert ("announcement.no-repetition", "it") in rules
    single = next(f for f in review.findings if f.rule == "announcement.single-channel")
    assert "email" in single.message.en
    assert "メール" in single.message.ja
    answers = {a.item: a for a in review.answers(lang="ja")}
    assert answers["announcement.two-channels"].level is AnswerLevel.PARTIAL
    assert "3部署中2部署" in (answers["announcement.two-channels"].evidence.note or "")


def test_short_lead_time_counts_business_days() -> None:
    """A first message five business days before launch is too late for a ten-day lead."""
    messages = [
        PlannedMessage(dt.date(2025, 5, 26), Channel.EMAIL),
        PlannedMessage(dt.date(2025, 5, 28), Channel.BRIEFING),
    ]
    review = _full_plan(messages=messages).review(calendar=CALENDAR)
    assert review.for_department("sales").lead_business_days == 5
    rules = {f.rule for f in review.findings}
    assert "announcement.short-lead" in rules
    assert "announcement.no-second-call" in rules
    answers = {a.item: a for a in review.answers()}
    assert answers["announcement.lead-time"].level is AnswerLevel.NOT_DONE
    assert answers["announcement.second-call"].level is AnswerLevel.NOT_DONE


def test_blackouts_and_closed_days() -> None:
    """Messages in a blackout or on a weekend are reported with their date."""
    plan = _full_plan(
        blackouts=[DateRange(dt.date(2025, 5, 14), dt.date(2025, 5, 16), "月次決算")],
        messages=[
            PlannedMessage(dt.date(2025, 5, 1), Channel.EMAIL),
            PlannedMessage(dt.date(2025, 5, 15), Channel.BRIEFING),
            PlannedMessage(dt.date(2025, 5, 17), Channel.CHAT),
            PlannedMessage(dt.date(2025, 7, 1), Channel.CHAT, kind=MessageKind.SECOND_CALL),
        ],
    )
    review = plan.review(calendar=CALENDAR)
    blackout = next(f for f in review.findings if f.rule == "announcement.blackout")
    assert blackout.on == dt.date(2025, 5, 15)
    assert "月次決算" in blackout.message.ja
    assert "説明会" in blackout.message.ja
    closed = next(f for f in review.findings if f.rule == "announcement.closed-day")
    assert closed.on == dt.date(2025, 5, 17)
    unnamed = _full_plan(blackouts=[DateRange(dt.date(2025, 5, 1), dt.date(2025, 5, 1))])
    finding = next(
        f for f in unnamed.review(calendar=CALENDAR).findings if f.rule == "announcement.blackout"
    )
    assert "2025-05-01" in finding.message.en


def test_default_calendar_uses_japanese_holidays() -> None:
    """Without a calendar, Japanese national holidays are closed days."""
    plan = _full_plan(
        messages=[
            PlannedMessage(dt.date(2025, 5, 5), Channel.EMAIL),
            PlannedMessage(dt.date(2025, 5, 15), Channel.BRIEFING),
        ]
    )
    closed = [f for f in plan.review().findings if f.rule == "announcement.closed-day"]
    assert closed
    assert closed[0].on == dt.date(2025, 5, 5)


def test_plan_validation_names_the_field() -> None:
    """Unknown departments, duplicates, empty lists and single strings are refused."""
    with pytest.raises(FieldValueError) as caught:
        _full_plan(messages=[PlannedMessage(dt.date(2025, 5, 1), Channel.EMAIL, ("legal",))])
    assert caught.value.path == ("messages", 0, "departments", 0)
    with pytest.raises(FieldValueError):
        _full_plan(departments=["sales", "sales"])
    with pytest.raises(FieldValueError):
        _full_plan(departments=[])
    with pytest.raises(TypeError):
        _full_plan(departments="sales")
    with pytest.raises(TypeError):
        PlannedMessage(dt.date(2025, 5, 1), Channel.EMAIL, "sales")
    with pytest.raises(ValueError, match="post"):
        PlannedMessage(dt.date(2025, 5, 1), "post")
    with pytest.raises(PrivacyFloorError):
        _full_plan().review(calendar=CALENDAR, min_group_size=2)


def test_plan_files_round_trip_and_report_problems(tmp_path: Path) -> None:
    """A plan saved as TOML loads back equal; a bad file lists every problem with its line."""
    plan = _full_plan(blackouts=[DateRange(dt.date(2025, 5, 14), dt.date(2025, 5, 16), "決算")])
    path = tmp_path / "plan.toml"
    plan.save(path)
    assert AnnouncementPlan.from_file(path) == plan
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema_version = 1\nlaunch = 2025-06-02\n[[departments]]\nid = "sales"\n'
        '[[messages]]\non = 2025-05-01\nchannel = "fax"\n',
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        AnnouncementPlan.from_file(bad)
    problem = caught.value.problems[0]
    assert problem.line == 7
    assert "channel" in problem.path
    assert repr(plan).startswith("<AnnouncementPlan")


def _log(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "reach.csv"
    path.write_text(
        "department,person,event,date,channel\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def test_reach_log_rates_with_privacy_roll_up(tmp_path: Path) -> None:
    """Reach and acknowledgement per department; a department under 5 people is withheld."""
    rows = [f"sales,s{i},reached,2025-05-02,email" for i in range(36)]
    rows += [f"sales,s{i},acknowledged,," for i in range(10)]
    rows += [f"hr,h{i},acknowledged,2025-05-02,chat" for i in range(12)]
    rows += ["tiny,t1,reached,,", "unknown-dept,x,reached,,"]
    departments = (*DEPARTMENTS, Department("tiny", "小部署", 3))
    plan = _full_plan(departments=departments)
    review = plan.review(log=_log(tmp_path, rows), calendar=CALENDAR)
    assert review.reach is not None
    groups = {g.group: g for g in review.reach}
    assert groups["sales"].reach_rate == pytest.approx(0.9)
    assert groups["sales"].acknowledgement_rate == pytest.approx(0.25)
    assert groups["hr"].acknowledgement_rate == 1.0
    assert all(g.headcount >= 5 for g in review.reach)
    assert "tiny" in {s.group for s in review.suppressed}
    rules = {(f.rule, f.department) for f in review.findings}
    assert ("announcement.low-acknowledgement", "sales") in rules
    assert ("announcement.low-reach", "sales") not in rules
    unknown = next(f for f in review.findings if f.rule == "announcement.log-unknown-department")
    assert unknown.line == 61
    answers = {a.item: a for a in review.answers()}
    assert answers["announcement.reach-measured"].level is AnswerLevel.PARTIAL
    data = validate(review.to_json(), "announcement_review.schema.json")
    assert "s1" not in review.to_json()
    assert data["reach"]
    markdown = review.to_markdown(lang="ja")
    assert "小部署" in markdown
    assert "どの数値にも含めず" in markdown  # never added to another group's figures


def test_log_exceeding_headcount_and_zero_headcount(tmp_path: Path) -> None:
    """More people in the log than the headcount is reported and rates stay within [0, 1]."""
    rows = [f"it,p{i},acknowledged,," for i in range(11)] + [
        f"hr,h{i},reached,," for i in range(12)
    ]
    departments = (
        Department("hr", "人事部", 12),
        Department("it", "情報システム部", 8),
        Department("new", None, 0),
    )
    review = _full_plan(departments=departments).review(log=_log(tmp_path, rows), calendar=CALENDAR)
    assert review.reach is not None
    assert all(0.0 <= g.reach_rate <= 1.0 for g in review.reach)
    rules = {(f.rule, f.department) for f in review.findings}
    assert ("announcement.log-exceeds-headcount", "it") in rules
    assert ("announcement.headcount-missing", "new") in rules
    answers = {a.item: a for a in review.answers(lang="ja")}
    assert answers["announcement.reach-measured"].level is AnswerLevel.DONE


@pytest.mark.usefixtures("in_english")
def test_reach_log_errors_name_line_and_column(tmp_path: Path) -> None:
    """Bad rows are all reported with their line and column; missing columns name the file."""
    path = _log(
        tmp_path, ["sales,,reached,,", "sales,p1,opened,2025-13-01,fax", "sales,p2,reached,,"]
    )
    with pytest.raises(LoadError) as caught:
        ReachLog.from_file(path)
    where = {(p.line, p.path) for p in caught.value.problems}
    assert where == {(2, "person"), (3, "event"), (3, "date"), (3, "channel")}
    missing = tmp_path / "missing.csv"
    missing.write_text("department,who\nsales,p1\n", encoding="utf-8")
    with pytest.raises(LoadError, match="missing column"):
        ReachLog.from_file(missing)
    with pytest.raises(LoadError, match="cannot read"):
        ReachLog.from_file(tmp_path / "nope.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"department,person,event\n\xff,p,reached\n")
    with pytest.raises(LoadError, match="UTF-8"):
        ReachLog.from_file(latin)


@pytest.mark.usefixtures("in_english")
def test_reach_log_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log over the size limit is refused before it is read."""
    from backoffice_marketing.materials.announcements import reach  # noqa: PLC0415

    monkeypatch.setattr(reach, "MAX_LOG_BYTES", 10)
    with pytest.raises(LoadError, match="at most"):
        ReachLog.from_file(_log(tmp_path, ["sales,p1,reached,,"]))


def test_review_outputs_are_escaped_and_valid() -> None:
    """Markdown and HTML escape department names; JSON validates; reprs are short."""
    departments = (Department("x", "<b>営業|部</b>", 10), Department("y", "総務部", 10))
    review = _full_plan(departments=departments, name=None).review(calendar=CALENDAR)
    html = review.to_html(lang="en")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    markdown = review.to_markdown(lang="en")
    assert "<b>" not in markdown
    row = next(line for line in markdown.splitlines() if "営業" in line)
    assert row.count(" | ") == 10
    validate(review.to_json(), "announcement_review.schema.json")
    assert review._repr_mimebundle_()["text/plain"].startswith("<AnnouncementReview")
    assert "No reach log was given." in markdown


def test_findings_render_their_location() -> None:
    """Each finding row says which department, date or log line it is about."""
    plan = _full_plan(messages=[PlannedMessage(dt.date(2025, 5, 31), Channel.EMAIL)])
    review = plan.review(calendar=CALENDAR)
    markdown = review.to_markdown(lang="ja")
    assert "計画全体" in markdown
    assert "2025-05-31" in markdown
    html = review.to_html(lang="ja")
    assert "営業部" in html


def test_reach_records_from_objects() -> None:
    """A log built in code is used as it is."""
    log = ReachLog([ReachRecord("sales", f"p{i}", ReachEvent.REACHED) for i in range(40)])
    review = _full_plan().review(log=log, calendar=CALENDAR)
    assert review.reach is not None
    assert repr(log) == "<ReachLog '<log>' records=40>"


@given(st.randoms(use_true_random=False), st.integers(min_value=0, max_value=6))
def test_review_does_not_depend_on_message_order(rng: random.Random, drop: int) -> None:
    """Shuffling the messages gives the same review and the same JSON."""
    base = [
        PlannedMessage(dt.date(2025, 5, 1) + dt.timedelta(days=3 * i), channel, (dep,))
        for i, (channel, dep) in enumerate(
            [
                (Channel.EMAIL, "sales"),
                (Channel.CHAT, "hr"),
                (Channel.INTRANET, "it"),
                (Channel.BRIEFING, "sales"),
                (Channel.NEWSLETTER, "hr"),
                (Channel.EMAIL, "it"),
                (Channel.MANAGER_CASCADE, "sales"),
            ]
        )
    ]
    del base[drop]
    shuffled = list(base)
    rng.shuffle(shuffled)
    first = _full_plan(messages=base).review(calendar=CALENDAR)
    second = _full_plan(messages=shuffled).review(calendar=CALENDAR)
    assert first.to_json() == second.to_json()
    for entry in first.coverage:
        assert entry.two_channels == (len(entry.channels) >= 2)


def test_unknown_department_in_the_log_is_reported_once() -> None:
    """Several rows of one unknown department give one finding, at its first line."""
    records = [ReachRecord("legal", f"p{i}", ReachEvent.REACHED, line=i + 2) for i in range(3)]
    review = _full_plan().review(log=ReachLog(records), calendar=CALENDAR)
    unknown = [f for f in review.findings if f.rule == "announcement.log-unknown-department"]
    assert [f.line for f in unknown] == [2]
    assert "legal" in unknown[0].message.en


def test_reach_log_from_csv_is_a_deprecated_alias(tmp_path: Path) -> None:
    """The old name still reads the log, with a warning naming from_file."""
    path = tmp_path / "reach.csv"
    path.write_text("department,person,event,on,channel\nsales,p1,reached,,\n", encoding="utf-8")
    with pytest.warns(DeprecationWarning, match=r"since version 0\.2\.0 .*from_file"):
        old = ReachLog.from_csv(path)
    assert old == ReachLog.from_file(path)


@given(order=st.permutations(["sales", "hr", "it"]))
def test_review_json_lists_the_plan_departments_in_the_given_order(order: list[str]) -> None:
    """The review's JSON repeats the plan's departments in review(order=), as its coverage."""
    plan = _full_plan()
    review = plan.review(calendar=CALENDAR, order=order)
    data = review.to_dict()
    assert [unit["id"] for unit in data["plan"]["departments"]] == order
    assert [entry["department"] for entry in data["coverage"]] == order
    assert [unit.id for unit in plan.departments] == ["hr", "it", "sales"]
    validate(review.to_json(), "announcement_review.schema.json")


def test_review_json_without_an_order_lists_departments_by_id() -> None:
    """Without an order, the plan's departments stay by id, as the plan holds them."""
    data = _full_plan().review(calendar=CALENDAR).to_dict()
    assert [unit["id"] for unit in data["plan"]["departments"]] == ["hr", "it", "sales"]
