"""Trustworthy plans: capacity, lead time, notice, recurrence, gates, plan.check and replan."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice_marketing.app import samples
from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.checklist import AnswerLevel, default_checklist
from backoffice_marketing.diagnosis.planning.check import ReplanError
from backoffice_marketing.diagnosis.planning.plan import (
    Plan,
    PlannedTask,
    business_day_index,
    schedule_levelled,
)
from backoffice_marketing.diagnosis.planning.replan import latest_rates
from backoffice_marketing.diagnosis.playbooks import (
    Milestone,
    Playbook,
    Recurrence,
    list_playbooks,
    load_playbook,
)
from backoffice_marketing.exceptions import LoadError, PlanTooLongError
from backoffice_marketing.foundation.defaults import (
    CENTRAL_TEAM_CAPACITY,
    LEAD_TIME_DAYS,
    NOTICE_DAYS,
)
from backoffice_marketing.foundation.text import Lang


def demo_plan(**options: object) -> Plan:
    """The demo's plan: chat-migration for the sample company from samples.PLAN_START."""
    return Plan.from_playbook(
        load_playbook("chat-migration"),
        start=samples.PLAN_START,
        departments=samples.company_departments(),
        **options,  # type: ignore[arg-type]
    )


def day_of(plan: Plan, day: dt.date) -> int:
    return plan.days.index(day)


def usage(plan: Plan, tasks: tuple[PlannedTask, ...] | None = None) -> Counter[tuple[str, int]]:
    """Sessions per (levelled role, business day) of the per-department tasks."""
    capacity = dict(plan.capacity)
    counts: Counter[tuple[str, int]] = Counter()
    for task in plan.tasks if tasks is None else tasks:
        if task.department is None or task.role not in capacity or not task.duration:
            continue
        first = day_of(plan, task.start)
        for offset in range(task.duration):
            counts[task.role, first + offset] += 1
    return counts


def within_capacity(plan: Plan) -> bool:
    capacity = dict(plan.capacity)
    return all(count <= capacity[role] for (role, _), count in usage(plan).items())


def gap(plan: Plan, announcer: str, target: str) -> int:
    return day_of(plan, plan.task(target).start) - day_of(plan, plan.task(announcer).start)


# --- The "Done when" list of issue 15, on the demo's plan ---------------------------------------


def test_demo_plan_keeps_every_team_within_capacity() -> None:
    """No team runs more sessions on a day than its capacity (3 for the central IT team)."""
    plan = demo_plan()
    assert dict(plan.capacity) == {"it": CENTRAL_TEAM_CAPACITY}
    counts = usage(plan)
    assert counts
    assert max(counts.values()) == CENTRAL_TEAM_CAPACITY
    assert within_capacity(plan)
    interviews = [t for t in plan.tasks if t.task == "interview-departments"]
    assert len({t.start for t in interviews}) == 7  # 20 interviews, 3 a day
    ordered = sorted(interviews, key=lambda t: (t.start, t.id))
    assert [t.department for t in ordered] == [d.id for d in plan.departments]


def test_demo_plan_announces_at_least_the_lead_time_before_launch() -> None:
    """The announcement comes at least 10 business days before launch."""
    plan = demo_plan()
    assert gap(plan, "announce-rollout", "start-chat") >= LEAD_TIME_DAYS == 10


def test_demo_plan_declares_the_end_of_email_with_notice() -> None:
    """The end of email is declared at least 20 business days before email is blocked."""
    plan = demo_plan()
    assert gap(plan, "declare-email-end-date", "block-internal-email") >= NOTICE_DAYS == 20
    cut_over = plan.milestone("cut-over")
    assert cut_over is not None
    assert cut_over.task == "block-internal-email"


def test_demo_plan_runs_one_off_tasks_once_per_department() -> None:
    """No one-off task appears twice for one department (champions are appointed once)."""
    plan = demo_plan()
    once = {t.id for t in plan.playbook.tasks if t.repeat is Recurrence.ONCE}
    counts = Counter((t.task, t.department) for t in plan.tasks if t.task in once)
    assert counts
    assert max(counts.values()) == 1
    champions = [t for t in plan.tasks if t.task == "appoint-chat-champions"]
    assert len(champions) == len(plan.departments)


def test_demo_plan_visits_no_department_that_is_not_flagged() -> None:
    """Follow-up visits are one placeholder per round until departments are flagged."""
    plan = demo_plan()
    visits = [t for t in plan.tasks if t.task == "visit-lagging-departments"]
    assert [t.department for t in visits] == [None, None, None]
    assert all(t.placeholder for t in visits)
    assert [t.round for t in visits] == [1, 2, 3]
    assert "flagged in round 1" in visits[0].title.en
    assert "第1回" in visits[0].title.ja


def test_demo_plan_measures_one_period_after_launch() -> None:
    """The first measurement comes one cadence (10 business days) after launch, then every 10."""
    plan = demo_plan()
    launch = plan.milestone("launch")
    assert launch is not None
    cadence = plan.playbook.stage_graph["measurement"].repeat
    assert cadence is not None
    first = min(t.start for t in plan.tasks if t.stage == "measurement")
    assert day_of(plan, first) - day_of(plan, launch.date) == cadence.cadence
    charts = sorted(
        (t for t in plan.tasks if t.task == "chart-usage-by-department"), key=lambda t: t.start
    )
    assert len(charts) == 3
    for before, after in itertools.pairwise(charts):
        assert day_of(plan, after.start) - day_of(plan, before.start) >= cadence.cadence


@pytest.mark.parametrize("name", list_playbooks())
def test_check_passes_every_plan_checkable_item(name: str) -> None:
    """plan.check() answers every plan-checkable item 'done' for each built-in playbook."""
    plan = Plan.from_playbook(
        load_playbook(name), start=samples.PLAN_START, departments=samples.company_departments()
    )
    answers = plan.check()
    assert {a.item for a in answers} >= {
        "announcement.lead-time",
        "announcement.briefing-per-department",
        "announcement.two-channels",
        "two_way.adoption-measured",
    }
    for answer in answers:
        assert answer.level is AnswerLevel.DONE, (answer.item, answer.evidence.note)
        assert answer.evidence.source == "plan"
    assert [a.item for a in answers] == sorted(a.item for a in answers)
    japanese = plan.check(lang="ja")
    assert all(a.evidence.note and not a.evidence.note.isascii() for a in japanese)


def test_builtin_playbooks_gates_are_met_by_their_own_schedule() -> None:
    """validate() finds no problem in any built-in playbook; champions gate acceleration."""
    for name in list_playbooks():
        assert load_playbook(name).validate() == (), name
    assert default_checklist()["two_way.champions"].gates == ("acceleration",)


NOTICE_BREAKER = """
schema_version = 1
id = "short-notice"
name.ja = "短い予告"
name.en = "Short notice"
summary.ja = "予告期間が短すぎる例。"
summary.en = "An example whose notice is too short."
owner = "it"

[exit]
metric = "adoption_rate"
target = 0.9
scope = "company"
description.ja = "全社で9割。"
description.en = "Nine in ten, company-wide."

[[stages]]
id = "launch"

[[stages]]
id = "cut-over"
after = ["launch"]

[[tasks]]
id = "go-live"
stage = "launch"
title.ja = "開始"
title.en = "Go live"
role = "it"
duration = 0
milestone = "launch"

[[tasks]]
id = "declare-end"
stage = "cut-over"
title.ja = "終了日を宣言する"
title.en = "Declare the end date"
role = "management"
duration = 1
announces = "switch-off"
min_days = 3

[[tasks]]
id = "switch-off"
stage = "cut-over"
title.ja = "旧方式を止める"
title.en = "Switch the old way off"
role = "it"
duration = 0
depends_on = ["declare-end"]
milestone = "cut-over"
"""


def test_a_playbook_breaking_the_notice_period_gets_one_problem_with_its_line(
    tmp_path: Path,
) -> None:
    """A user playbook giving 3 days of notice gets exactly one problem at its min_days line."""
    path = tmp_path / "short.toml"
    path.write_text(NOTICE_BREAKER, encoding="utf-8")
    playbook = Playbook.from_file(path)
    problems = playbook.validate()
    assert len(problems) == 1
    problem = problems[0]
    line = NOTICE_BREAKER.splitlines().index("min_days = 3") + 1
    assert (problem.file, problem.line, problem.path) == (str(path), line, "tasks[1].min_days")
    assert "notice period is 20 business days" in problem.message
    assert str(problem).startswith(f"{path}:{line}")
    assert playbook.validate(notice=3) == ()
    plan = Plan.from_playbook(playbook, start=dt.date(2027, 4, 1), departments={"a": 10})
    assert gap(plan, "declare-end", "switch-off") == 3
    answers = {a.item: a for a in plan.check()}
    key_dates = answers["announcement.key-dates"]
    assert key_dates.level is AnswerLevel.NOT_DONE
    assert f"{path}:{line}" in (key_dates.evidence.note or "")


def test_replan_after_half_the_tasks_finished_late_keeps_every_constraint() -> None:
    """Half the tasks done 3 business days late: the rest shift and every constraint holds."""
    plan = demo_plan()
    ordered = sorted(plan.tasks, key=lambda t: (t.finish, t.id))
    done = ordered[: len(ordered) // 2]
    late = {t.id: plan.calendar.business_days(t.finish + dt.timedelta(days=1), 3)[-1] for t in done}
    today = max(late.values()) + dt.timedelta(days=1)
    after = plan.replan(progress=late, today=today)
    assert after.completed == tuple(sorted(late.items()))
    by_id = {t.id: t for t in after.tasks}
    for task_id, finished in late.items():
        assert by_id[task_id].finish == finished
    rest = [t for t in after.tasks if t.id not in late]
    assert rest
    assert all(t.start >= today for t in rest)
    assert after.finish > plan.finish
    for task in after.tasks:
        for needed in task.depends_on:
            other = by_id[needed]
            assert task.start > other.finish or (other.duration == 0 and task.start >= other.start)
    assert all(
        count <= CENTRAL_TEAM_CAPACITY
        for (_, day), count in usage(after, tuple(rest)).items()
        if day >= business_day_index(after.calendar, after.start, today)
    )
    assert gap(after, "declare-email-end-date", "block-internal-email") >= NOTICE_DAYS
    assert gap(after, "announce-rollout", "start-chat") >= LEAD_TIME_DAYS
    assert all(a.level is AnswerLevel.DONE for a in after.check())


def test_replan_turns_the_placeholder_into_visits_for_flagged_departments() -> None:
    """Rates below target (plus named departments) become visits; nobody else is visited."""
    plan = demo_plan()
    names = [d.id for d in plan.departments]
    rates = dict.fromkeys(names, 0.95)
    rates[names[3]] = 0.4
    rates[names[7]] = 0.89
    launch = plan.milestone("launch")
    assert launch is not None
    after = plan.replan(rates=rates, flagged=[names[0]], today=launch.date)
    visits = [t for t in after.tasks if t.task == "visit-lagging-departments"]
    assert {t.department for t in visits if t.round == 1} == {names[0], names[3], names[7]}
    assert [t.placeholder for t in visits if t.round != 1] == [True, True]
    assert dict(after.flagged) == {1: tuple(sorted({names[0], names[3], names[7]}))}
    for visit in (t for t in visits if t.round == 1):
        champion = after.task(f"appoint-chat-champions@{visit.department}")
        assert champion.start > visit.finish
    second = after.replan(
        progress={t.id: t.finish for t in visits if t.round == 1},
        rates={names[5]: 0.1, names[3]: 0.2},
        today=launch.date,
    )
    round_two = [t for t in second.tasks if t.task == "visit-lagging-departments" and t.round == 2]
    assert [t.department for t in round_two] == [names[3], names[5]]
    again = second.task(f"visit-lagging-departments#2@{names[3]}")
    assert again.start > second.task(f"visit-lagging-departments#1@{names[3]}").start
    skipped = plan.replan(
        progress={"visit-lagging-departments#1": launch.date}, flagged=[names[2]], today=launch.date
    )
    assert [t.id for t in skipped.tasks if t.task == "visit-lagging-departments"] == [
        "visit-lagging-departments#1",
        f"visit-lagging-departments#2@{names[2]}",
        "visit-lagging-departments#3",
    ]


def test_replan_reads_the_adoption_rates_frame_and_rejects_unknown_names() -> None:
    """The latest period of an adoption-rates frame flags departments; unknown names are errors."""
    plan = demo_plan()
    names = [d.id for d in plan.departments]
    frame = pl.DataFrame(
        {
            "department": [names[0], names[1], names[0], names[1], names[2]],
            "period_start": [dt.date(2027, 6, 7)] * 2 + [dt.date(2027, 6, 14)] * 3,
            "rate": [0.1, 0.1, 0.95, 0.5, 0.0],
            "suppressed": [False, False, False, False, True],
        }
    )
    assert latest_rates(frame) == {names[0]: 0.95, names[1]: 0.5}
    assert latest_rates(frame.lazy()) == latest_rates(frame)
    assert latest_rates(frame.drop("suppressed")) == {names[0]: 0.95, names[1]: 0.5, names[2]: 0.0}
    assert latest_rates(None) == {}
    after = plan.replan(rates=frame, today=plan.start)
    assert dict(after.flagged) == {1: (names[1],)}
    with pytest.raises(ReplanError, match="unknown task ids in progress: nope"):
        plan.replan(progress={"nope": plan.start})
    with pytest.raises(ReplanError, match="unknown departments: ghost") as caught:
        plan.replan(rates={"ghost": 0.1})
    assert caught.value.unknown == ("ghost",)
    assert isinstance(caught.value, ValueError)
    unchanged = plan.replan(today=plan.start - dt.timedelta(days=7))
    assert unchanged.flagged == ()
    assert [t.start for t in unchanged.tasks] == [t.start for t in plan.tasks]


# --- Options, formats and validation ------------------------------------------------------------


def test_capacity_options_and_levelling_switch() -> None:
    """capacity= overrides the owner's (int) or named roles' (mapping); level=False turns it off."""
    tight = demo_plan(capacity=1)
    assert dict(tight.capacity) == {"it": 1}
    assert within_capacity(tight)
    assert tight.finish > demo_plan().finish
    roomy = demo_plan(capacity={"it": 20, "department_head": 5})
    assert dict(roomy.capacity) == {"department_head": 5, "it": 20}
    assert within_capacity(roomy)
    flat = demo_plan(level=False)
    assert not flat.levelled
    assert len({t.start for t in flat.tasks if t.task == "hold-briefings"}) == 1
    for bad in (0, -1, True, "3", {"it": 0}):
        with pytest.raises(ValueError, match="capacity"):
            demo_plan(capacity=bad)
    for name in ("lead_time", "notice"):
        with pytest.raises(ValueError, match=name):
            demo_plan(**{name: -1})


def test_lead_time_and_notice_options_move_the_milestones() -> None:
    """Longer lead time and notice push the launch and the cut-over later."""
    base = demo_plan()
    longer = demo_plan(lead_time=30, notice=40)
    assert gap(longer, "announce-rollout", "start-chat") >= 30
    assert gap(longer, "declare-email-end-date", "block-internal-email") >= 40
    assert longer.finish > base.finish
    assert longer.lead_time == 30
    assert longer.notice == 40


def test_blackouts_hold_no_work_and_plans_can_be_too_long() -> None:
    """A blackout holds no task day; a plan past MAX_PLAN_YEARS is a clear error."""
    from backoffice_marketing.core.calendars import DateRange  # noqa: PLC0415

    blackout = DateRange(dt.date(2027, 5, 10), dt.date(2027, 5, 28), "busy season")
    plan = demo_plan(blackouts=[blackout])
    for task in plan.tasks:
        assert task.start not in blackout
        assert task.finish not in blackout
    many = {f"d{i:04d}": 10 for i in range(2700)}
    with pytest.raises(PlanTooLongError, match="raise the capacity") as caught:
        Plan.from_playbook(
            load_playbook("chat-migration"), start=dt.date(2027, 4, 1), departments=many,
            capacity=1,
        )  # fmt: skip
    assert caught.value.finish > caught.value.limit


def test_json_carries_the_constraints_and_placeholders() -> None:
    """The JSON names lead time, notice and capacity, and marks the placeholders."""
    import json  # noqa: PLC0415

    from tests.schemas import validate  # noqa: PLC0415

    plan = demo_plan(capacity={"it": 4})
    data = validate(plan.to_json(), "plan.schema.json")
    assert data["constraints"] == {
        "lead_time": 10, "notice": 20, "capacity": {"it": 4}, "levelled": True,
    }  # fmt: skip
    placeholders = [t["id"] for t in json.loads(plan.to_json())["tasks"] if t["placeholder"]]
    assert placeholders == [t.id for t in plan.tasks if t.placeholder]
    assert placeholders


def test_gantt_month_labels_do_not_overlap() -> None:
    """A month the plan only touches for a day loses its label; the others keep theirs."""
    plan = demo_plan()  # starts on 26 February: one business day of February
    page = plan.to_html(lang="en")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert ">2027-02<" not in svg
    assert ">2027-03<" in svg
    assert ">2027-08<" in svg


def test_steps_collapse_per_department_tasks() -> None:
    """One step per playbook task and round; per-department tasks list their departments."""
    plan = demo_plan()
    steps = plan.steps()
    assert len(steps) < len(plan.tasks) / 2
    briefings = next(s for s in steps if s.task == "hold-briefings")
    assert briefings.id == "hold-briefings"
    assert briefings.departments == tuple(d.id for d in plan.departments)
    members = [t for t in plan.tasks if t.task == "hold-briefings"]
    assert briefings.start == min(t.start for t in members)
    assert briefings.finish == max(t.finish for t in members)
    assert [s.id for s in steps if s.task == "chart-usage-by-department"] == [
        "chart-usage-by-department#1",
        "chart-usage-by-department#2",
        "chart-usage-by-department#3",
    ]
    assert [s.start for s in steps] == sorted(s.start for s in steps)


def test_html_gantt_has_one_escaped_bar_per_step() -> None:
    """The HTML plan's inline SVG has a bar per step, names not ids, no script, escaped text."""
    plan = Plan.from_playbook(
        load_playbook("chat-migration"),
        start=dt.date(2027, 4, 1),
        departments={"<script>x</script>": 10, "b&c": 12},
    )
    langs: tuple[Lang, ...] = ("ja", "en")
    for lang in langs:
        page = plan.to_html(lang=lang)
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert svg.count("<g>") == len(plan.steps())
        assert "<script" not in page.lower().split("<body>")[1]
        assert "&lt;script&gt;x&lt;/script&gt;" in page
        assert plan.steps()[0].title.get(lang)[:10] in svg
        assert "collect-chat-requests" not in svg


def test_case_b_starts_from_a_mandate_and_calls_again_once_after_two_months() -> None:
    """one-on-one: a mandate, no proposal; the field heard first; one second call ~2 months on."""
    plan = Plan.from_playbook(
        load_playbook("one-on-one"),
        start=samples.PLAN_START,
        departments=samples.company_departments(),
    )
    stages = plan.playbook.stage_graph
    assert "proposal" not in stages
    assert stages.order[0] == "mandate"
    approval = plan.milestone(Milestone.APPROVAL)
    assert approval is not None
    assert approval.task == "management-mandate"
    research = min(t.start for t in plan.tasks if t.stage == "research")
    design = min(t.start for t in plan.tasks if t.stage == "design")
    assert research < design
    calls = [t for t in plan.tasks if t.task == "second-call-to-action"]
    assert len(calls) == 1
    launch = plan.milestone(Milestone.LAUNCH)
    assert launch is not None
    months = (calls[0].start - launch.date).days / 30.4
    assert 1.7 <= months <= 2.6


# --- Playbook validation of the new fields ------------------------------------------------------


def broken(replace: str, by: str) -> str:
    text = NOTICE_BREAKER.replace("min_days = 3\n", "")
    assert replace in text
    return text.replace(replace, by, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('announces = "switch-off"', 'announces = "nothing"', "unknown task id 'nothing'"),
        ('announces = "switch-off"', 'announces = "switch-off"\nmin_days = 1', None),
        ('announces = "switch-off"', 'announces = "declare-end"', "is not a launch or cut-over"),
        ('announces = "switch-off"', "min_days = 2", "min_days needs announces"),
        ('milestone = "cut-over"', 'milestone = "cut-over"\nannounces = "switch-off"', "after"),
        ("duration = 1\n", "duration = 1\nround = 2\n", "round 2 does not exist"),
        ("duration = 1\n", "duration = 1\nflagged_only = true\n", "must also be per_department"),
        ('owner = "it"', 'owner = "it"\ncapacity = { it = 0 }', "capacity >= 1"),
        ('owner = "it"', 'owner = "it"\ncapacity = { it = true }', "expected an integer"),
    ],
)
def test_new_playbook_fields_are_validated_with_lines(
    tmp_path: Path, old: str, new: str, message: str | None
) -> None:
    """Bad announces, min_days, rounds, flagged_only or capacity are load errors with a line."""
    path = tmp_path / "bad.toml"
    path.write_text(broken(old, new), encoding="utf-8")
    if message is None:
        assert len(Playbook.from_file(path).validate()) == 1  # a short notice
        return
    with pytest.raises(LoadError) as caught:
        Playbook.from_file(path)
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.line is not None


def test_a_task_cannot_wait_for_a_later_round_and_gates_must_be_reachable(tmp_path: Path) -> None:
    """Waiting for a later round is a load error; a gate only later tasks address is a problem."""
    playbook = load_playbook("one-on-one")
    tasks = tuple(
        attrs.evolve(t, round=1) if t.id == "interview-non-starters" else t for t in playbook.tasks
    )
    assert tasks != playbook.tasks
    text = (
        Path(__file__).parents[1] / "src/backoffice_marketing/data/playbooks/one-on-one.toml"
    ).read_text(encoding="utf-8")
    path = tmp_path / "rounds.toml"
    path.write_text(
        text.replace('repeat = "each_round"\nround = 2\nflagged_only', 'repeat = "each_round"\n'
                     "flagged_only"),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(LoadError, match="first runs in round 2"):
        Playbook.from_file(path)
    gated = attrs.evolve(
        playbook,
        tasks=tuple(
            attrs.evolve(t, addresses=("two_way.faq-published",)) if t.id == "publish-faq" else t
            for t in playbook.tasks
        ),
        stage_graph=type(playbook.stage_graph)(
            attrs.evolve(s, gate=("two_way.faq-published",)) if s.id == "launch" else s
            for s in playbook.stage_graph
        ),
    )
    problems = gated.validate()
    assert len(problems) == 1
    assert "gates stage 'launch'" in problems[0].message
    assert problems[0].line is not None


def test_check_reports_what_the_plan_gets_wrong() -> None:
    """Short lead time, one channel, late champions and off-cadence measurement are not done."""
    playbook = load_playbook("chat-migration")
    changed: dict[str, dict[str, Any]] = {
        "announce-rollout": {"min_days": 2, "channels": ("portal",)},
        "declare-email-end-date": {"addresses": ("announcement.two-channels",)},
        "appoint-chat-champions": {"stage": "acceleration"},
        "sync-with-champions": {"depends_on": ("visit-lagging-departments",)},
        "chart-usage-by-department": {"repeat": Recurrence.ONCE},
        "hold-briefings": {"stage": "measurement", "depends_on": ("start-chat",)},
        "start-chat": {"depends_on": ("announce-rollout",)},
    }
    tasks = tuple(attrs.evolve(t, **changed.get(t.id, {})) for t in playbook.tasks)
    plan = Plan.from_playbook(
        attrs.evolve(playbook, tasks=tasks, source=None),
        start=dt.date(2027, 4, 1),
        departments={"a": 5},
    )
    answers = {a.item: a for a in plan.check(lang="en")}
    assert answers["announcement.lead-time"].level is AnswerLevel.NOT_DONE
    assert "tasks[" in (answers["announcement.lead-time"].evidence.note or "")
    assert answers["announcement.two-channels"].level is AnswerLevel.PARTIAL
    assert answers["announcement.two-channels"].score == 0.5
    assert answers["two_way.champions"].level is AnswerLevel.NOT_DONE
    assert answers["two_way.adoption-measured"].level is AnswerLevel.NOT_DONE
    assert answers["announcement.briefing-per-department"].level is AnswerLevel.NOT_DONE
    japanese = {a.item: a for a in plan.check(lang="ja")}
    assert "修正箇所" in (japanese["announcement.two-channels"].evidence.note or "")
    narrow = default_checklist().for_failure_mode("two_way")
    assert {a.item for a in plan.check(narrow)} <= set(narrow.ids)


# --- The levelling scheduler --------------------------------------------------------------------


@st.composite
def levelling_problems(
    draw: st.DrawFn,
) -> tuple[list[int], list[list[int]], list[int], list[int]]:
    count = draw(st.integers(1, 40))
    durations = draw(st.lists(st.integers(0, 4), min_size=count, max_size=count))
    predecessors = [
        sorted(set(draw(st.lists(st.integers(0, node - 1), max_size=3)))) if node else []
        for node in range(count)
    ]
    demand = draw(st.lists(st.integers(-1, 1), min_size=count, max_size=count))
    capacities = draw(st.lists(st.integers(1, 3), min_size=2, max_size=2))
    return durations, predecessors, demand, capacities


@settings(max_examples=60, deadline=None)
@given(levelling_problems())
def test_levelling_respects_precedence_capacity_and_slack(
    problem: tuple[list[int], list[list[int]], list[int], list[int]],
) -> None:
    """Levelled starts follow every edge and capacity; any task shifted by its slack still fits."""
    durations, predecessors, demand, capacities = problem
    count = len(durations)
    rank = list(range(count))
    early, late, order, lanes = schedule_levelled(
        durations, predecessors, {}, rank, demand, capacities
    )
    assert sorted(order) == list(range(count))
    for node in range(count):
        assert late[node] >= early[node]
        for other in predecessors[node]:
            assert early[node] >= early[other] + durations[other]
            assert late[node] >= late[other] + durations[other]
        if node in lanes:
            other = lanes[node]
            assert late[node] >= late[other] + durations[other]
    for starts in (early, late):
        used: Counter[tuple[int, int]] = Counter()
        for node in range(count):
            if demand[node] >= 0:
                for day in range(starts[node], starts[node] + durations[node]):
                    used[demand[node], day] += 1
        assert all(n <= capacities[resource] for (resource, _), n in used.items())
    end = max((early[n] + durations[n] for n in range(count)), default=0)
    assert all(late[n] + durations[n] <= end for n in range(count))


def test_levelling_keeps_fixed_work_and_releases_the_rest() -> None:
    """Pinned nodes keep their start; the others wait for the release day."""
    early, late, _, _ = schedule_levelled(
        [2, 1, 1], [[], [0], [1]], {2: [(0, 5)]}, [0, 1, 2], [0, 0, -1], [1],
        fixed={0: 4}, release=3,
    )  # fmt: skip
    assert early == [4, 6, 9]
    assert late[0] == 4


def test_cycles_are_refused_with_and_without_levelling() -> None:
    """A cyclic task graph (possible only when bypassing validation) is a ScheduleError."""
    from backoffice_marketing.exceptions import ScheduleError  # noqa: PLC0415

    with pytest.raises(ScheduleError):
        schedule_levelled([1, 1], [[1], [0]], {}, [0, 1], [-1, -1], [])
    playbook = load_playbook("generic-rollout")
    cyclic = attrs.evolve(
        playbook,
        tasks=tuple(
            attrs.evolve(t, depends_on=("close-initiative",)) if t.id == "close-initiative" else t
            for t in playbook.tasks
        ),
    )
    for level in (True, False):
        with pytest.raises(ScheduleError):
            Plan.from_playbook(cyclic, start=dt.date(2027, 4, 1), departments={"a": 1}, level=level)


def test_loops_of_different_lengths_wait_for_the_last_round() -> None:
    """A loop of two rounds after a loop of three waits for the third round."""
    playbook = load_playbook("chat-migration")
    graph = type(playbook.stage_graph)(
        attrs.evolve(s, repeat=attrs.evolve(s.repeat, rounds=2))
        if s.id in {"laggard-follow-up", "intervention"} and s.repeat is not None
        else s
        for s in playbook.stage_graph
    )
    plan = Plan.from_playbook(
        attrs.evolve(playbook, stage_graph=graph), start=dt.date(2027, 4, 1), departments={"a": 1}
    )
    last = max(t.finish for t in plan.tasks if t.task == "chart-usage-by-department")
    first_visit = min(t.start for t in plan.tasks if t.task == "visit-lagging-departments")
    assert first_visit >= last


def test_a_start_at_the_end_of_the_calendar_is_a_clear_error() -> None:
    """A start near 9999-12-31 is refused as a plan too long, never an OverflowError."""
    with pytest.raises(PlanTooLongError, match="latest allowed"):
        Plan.from_playbook(
            load_playbook("chat-migration"),
            start=dt.date(9999, 12, 1),
            departments={"営業部": 20},
            calendar=BusinessCalendar(country=None),
        )
