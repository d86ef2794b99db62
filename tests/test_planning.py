"""Scheduling plans: business days, expansion per department, rounds, critical path."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice_marketing.core.calendars import BusinessCalendar, DateRange, national_holidays
from backoffice_marketing.core.departments import Department, DepartmentsError, coerce_departments
from backoffice_marketing.diagnosis.planning.plan import Plan, PlannedTask, schedule
from backoffice_marketing.diagnosis.planning.scheduler import kahn, starts
from backoffice_marketing.diagnosis.playbooks import Milestone, Playbook, Task, load_playbook
from backoffice_marketing.exceptions import LoadError, ScheduleError

START = dt.date(2027, 4, 1)
#: 20 departments, 1,400 people.
DEPARTMENTS = {f"dept-{i:02d}": 32 + 4 * i for i in range(20)}


def chat_plan(departments: object = None, **options: object) -> Plan:
    return Plan.from_playbook(
        load_playbook("chat-migration"),
        start=START,
        departments=DEPARTMENTS if departments is None else departments,
        **options,  # type: ignore[arg-type]
    )


def ends(task: PlannedTask) -> tuple[dt.date, dt.date]:
    return task.start, task.finish


def test_chat_migration_plan_on_business_days_only() -> None:
    """No task starts or finishes on a weekend or a Japanese holiday (Golden Week 2027 too)."""
    assert sum(DEPARTMENTS.values()) == 1400
    plan = chat_plan()
    holidays_2027 = set(national_holidays("JP", 2027))
    assert {dt.date(2027, 4, 29), dt.date(2027, 5, 3), dt.date(2027, 5, 5)} <= holidays_2027
    for task in plan.tasks:
        for day in ends(task):
            assert day.weekday() < 5, task.id
            assert day not in holidays_2027, task.id
    # The plan runs through Golden Week: no task has a day in it, and work goes on after it.
    assert any(t.finish <= dt.date(2027, 4, 30) for t in plan.tasks)
    assert any(t.start >= dt.date(2027, 5, 6) for t in plan.tasks)
    assert plan.finish == max(task.finish for task in plan.tasks)


def test_champions_follow_the_ratio() -> None:
    """Champions per department are max(1, ceil(headcount / 50))."""
    plan = chat_plan()
    expected = {d: max(1, math.ceil(h / 50)) for d, h in DEPARTMENTS.items()}
    assert plan.champions == expected
    assert sum(plan.champions.values()) == sum(expected.values())
    small = chat_plan({"tiny": 0, "big": 101}, champion_ratio=25)
    assert small.champions == {"big": 5, "tiny": 1}
    with pytest.raises(ValueError, match="champion_ratio"):
        chat_plan(champion_ratio=0)


def test_per_department_tasks_are_expanded() -> None:
    """A per-department task becomes one task per department."""
    plan = chat_plan()
    briefings = [t for t in plan.tasks if t.task == "hold-briefings"]
    assert sorted(str(t.department) for t in briefings) == sorted(DEPARTMENTS)
    assert all(t.id == f"hold-briefings@{t.department}" for t in briefings)


def test_rounds_are_unrolled_with_cadence() -> None:
    """A repeated stage runs its rounds in order, each at least the cadence apart."""
    plan = chat_plan()
    playbook = plan.playbook
    stage = playbook.stage_graph["measurement"]
    assert stage.repeat is not None
    rounds = sorted(
        (
            t
            for t in plan.tasks
            if t.stage == "measurement" and t.task == "chart-usage-by-department"
        ),
        key=lambda t: t.round or 0,
    )
    assert [t.round for t in rounds] == list(range(1, stage.rounds + 1))
    days = plan.calendar.business_days(START, 400)
    position = {day: index for index, day in enumerate(days)}
    for before, after in itertools.pairwise(rounds):
        assert position[after.start] - position[before.start] >= stage.repeat.cadence
        assert after.start > before.finish


def test_dependencies_are_respected() -> None:
    """Every task starts after its dependencies and the stages it follows have finished."""
    plan = chat_plan()
    by_id = {task.id: task for task in plan.tasks}
    stage_finish: dict[str, dt.date] = {}
    for task in plan.tasks:
        key = f"{task.stage}#{task.round}" if task.round is not None else task.stage
        stage_finish[key] = max(stage_finish.get(key, task.finish), task.finish)
    for task in plan.tasks:
        for needed in task.depends_on:
            other = by_id[needed]
            assert task.start > other.finish or (other.duration == 0 and task.start >= other.start)
        for stage_key in task.after_stages:
            assert task.start >= stage_finish[stage_key]


def test_critical_path_and_milestones() -> None:
    """The critical path runs start to finish through zero-slack tasks; milestones are dated."""
    plan = chat_plan()
    path = [plan.task(task_id) for task_id in plan.critical_path]
    assert len(path) >= 10
    assert all(task.slack == 0 and task.critical for task in path)
    assert path[0].start == START
    assert path[-1].finish == plan.finish
    assert [m.kind for m in plan.milestones] == [
        Milestone.APPROVAL, Milestone.LAUNCH, Milestone.CUT_OVER,
    ]  # fmt: skip
    launch = plan.milestone("launch")
    assert launch is not None
    assert plan.task(launch.task).milestone is Milestone.LAUNCH
    assert all(task.slack >= 0 for task in plan.tasks)
    with pytest.raises(KeyError):
        plan.task("nope")
    assert repr(plan).startswith("<Plan 'chat-migration' stages=13 tasks=")
    assert list(plan) == list(plan.tasks)


def test_department_order_does_not_change_the_plan() -> None:
    """Giving the departments in another order gives the same plan."""
    shuffled = dict(sorted(DEPARTMENTS.items(), key=lambda kv: kv[0][::-1]))
    assert chat_plan().tasks == chat_plan(shuffled).tasks


@settings(max_examples=15)
@given(st.randoms(use_true_random=False))
def test_shuffled_departments_give_identical_tasks(rnd: random.Random) -> None:
    """Any order of the same departments gives the same tasks, byte for byte in repr."""
    items = list(DEPARTMENTS.items())[:5]
    rnd.shuffle(items)
    plan = Plan.from_playbook(load_playbook("one-on-one"), start=START, departments=dict(items))
    reference = Plan.from_playbook(
        load_playbook("one-on-one"), start=START, departments=dict(sorted(items))
    )
    assert repr(plan.tasks) == repr(reference.tasks)


def test_start_on_a_holiday_moves_to_the_next_business_day() -> None:
    """A plan starting on a national holiday starts on the next business day."""
    plan = Plan.from_playbook(
        load_playbook("generic-rollout"), start=dt.date(2027, 5, 3), departments={"a": 10}
    )
    assert plan.tasks[0].start == dt.date(2027, 5, 6)


def test_company_holidays_and_blackouts_are_skipped() -> None:
    """Company holidays and blackout periods hold no task days."""
    blackout = DateRange(dt.date(2027, 5, 10), dt.date(2027, 5, 21), "busy season")
    plan = chat_plan(company_holidays=[dt.date(2027, 4, 5)], blackouts=[blackout])
    for task in plan.tasks:
        for day in ends(task):
            assert day != dt.date(2027, 4, 5)
            assert day not in blackout
    calendar = BusinessCalendar(blackouts=[blackout])
    custom = chat_plan(calendar=calendar, company_holidays=[dt.date(2027, 4, 6)])
    assert dt.date(2027, 4, 6) in custom.calendar.company_holidays
    assert custom.calendar.blackouts == (blackout,)
    assert chat_plan(calendar=calendar).calendar is calendar


def test_calendar_rules() -> None:
    """Weekends, holidays, the year-end closure and fiscal years follow the documented rules."""
    calendar = BusinessCalendar(company_holidays=[dt.date(2027, 8, 13)])
    assert calendar.closed_reason(dt.date(2027, 4, 3)) == "weekend"
    assert calendar.closed_reason(dt.date(2027, 4, 29)) == "昭和の日"
    assert calendar.closed_reason(dt.date(2027, 8, 13)) == "company holiday"
    assert calendar.closed_reason(dt.date(2027, 12, 29)) == "year-end closure"
    assert calendar.closed_reason(dt.date(2028, 1, 4)) is None
    assert not BusinessCalendar(year_end_closure=False).closed_reason(dt.date(2027, 12, 29))
    assert BusinessCalendar(country=None).is_business_day(dt.date(2027, 4, 29))
    assert calendar.fiscal_year(dt.date(2027, 3, 31)) == 2026
    assert calendar.fiscal_year(dt.date(2027, 4, 1)) == 2027
    assert calendar.fiscal_quarter(dt.date(2027, 4, 1)) == 1
    assert calendar.fiscal_quarter(dt.date(2028, 3, 31)) == 4
    assert BusinessCalendar(fiscal_year_start_month=1).fiscal_quarter(dt.date(2027, 5, 1)) == 2
    with pytest.raises(ValueError, match="month 1-12"):
        BusinessCalendar(fiscal_year_start_month=13)
    with pytest.raises(ValueError, match="before it starts"):
        DateRange(dt.date(2027, 2, 1), dt.date(2027, 1, 1))
    assert DateRange(dt.date(2027, 1, 1), dt.date(2027, 1, 2)).__contains__("x") is False
    everything = BusinessCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="fewer than 1 business days"):
        everything.business_days(START, 1)


def test_departments_from_every_form(tmp_path: Path) -> None:
    """Departments come from objects, a mapping, a roster CSV, a table CSV or a dataframe."""
    objects = [Department("b", "営業部", 12, "本社"), Department("a", headcount=3)]
    # Department objects are the company's order (an initiative's) and keep it.
    assert [d.id for d in coerce_departments(objects)] == ["b", "a"]
    assert coerce_departments(objects)[0].label == "営業部"
    assert coerce_departments(objects)[1].label == "a"
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "user_id,department,parent\nu1,営業部,本社\nu2,営業部,本社\nu2,営業部,本社\nu3,経理部,\n",
        encoding="utf-8",
    )
    from_roster = coerce_departments(roster)
    assert [(d.id, d.headcount, d.parent) for d in from_roster] == [
        ("営業部", 2, "本社"), ("経理部", 1, None),
    ]  # fmt: skip
    table = tmp_path / "table.csv"
    table.write_text("department,headcount\nsales,120\nhr,15\n", encoding="utf-8")
    assert [(d.id, d.headcount) for d in coerce_departments(str(table))] == [
        ("hr", 15), ("sales", 120),
    ]  # fmt: skip
    frame = pl.DataFrame({"user_id": ["u1", "u2", "u3"], "department": ["a", "a", "b"]})
    assert [(d.id, d.headcount) for d in coerce_departments(frame)] == [("a", 2), ("b", 1)]
    assert [(d.id, d.headcount) for d in coerce_departments(frame.lazy())] == [("a", 2), ("b", 1)]
    pandas_table = pd.DataFrame({"department": ["x"], "headcount": [7]})
    assert [(d.id, d.headcount) for d in coerce_departments(pandas_table)] == [("x", 7)]


@pytest.mark.usefixtures("in_english")
def test_department_errors(tmp_path: Path) -> None:
    """Bad department input gives clear errors with file and line."""
    with pytest.raises(DepartmentsError, match="duplicate department id 'a'"):
        coerce_departments([Department("a"), Department("a")])
    with pytest.raises(DepartmentsError, match="at least one department"):
        coerce_departments({})
    with pytest.raises(TypeError, match="Department objects"):
        coerce_departments(["a"])
    with pytest.raises(TypeError, match="must be strings"):
        coerce_departments({1: 2})
    with pytest.raises(TypeError, match="must be an integer"):
        coerce_departments({"a": "12"})
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "department,headcount,parent\nsales,12x,\n,3,\nsales,4,\nhr,2,a\nhr,3,b\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        coerce_departments(bad)
    found = [(p.line, p.path) for p in caught.value.problems]
    assert found == [(2, "headcount"), (3, "department"), (6, "department"), (6, "parent")]
    roster = tmp_path / "roster.csv"
    roster.write_text("user_id,department\n,sales\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"roster\.csv:2 user_id: missing user_id"):
        coerce_departments(roster)
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("team,size\n", encoding="utf-8")
    with pytest.raises(LoadError, match="expected a 'department' column; found team, size"):
        coerce_departments(nocol)
    neither = tmp_path / "neither.csv"
    neither.write_text("department,size\n", encoding="utf-8")
    with pytest.raises(LoadError, match="'headcount' or a 'user_id'"):
        coerce_departments(neither)
    with pytest.raises(LoadError, match="cannot read"):
        coerce_departments(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"department,headcount\n\xe9,1\n")
    with pytest.raises(LoadError, match="utf-8, cp932"):
        coerce_departments(latin)


def test_schedule_reports_cycles() -> None:
    """The scheduler refuses a cyclic graph, and orders an acyclic one by rank."""
    with pytest.raises(ScheduleError):
        kahn(2, [[1], [0]], {}, None)
    lags = {2: [(0, 5)]}
    order = kahn(3, [[], [0], [1]], lags, None)
    early, late = starts([2, 0, 3], [[], [0], [1]], lags, order)
    assert (early, late, order) == ([0, 2, 5], [0, 5, 5], [0, 1, 2])
    assert kahn(3, [[], [], []], {}, [2, 1, 0]) == [2, 1, 0]


def test_schedule_is_deprecated_with_versions() -> None:
    """The unused public ``schedule()`` still answers, warning with both versions."""
    with pytest.warns(DeprecationWarning, match=r"since version 0\.2\.0.*version 0\.3\.0"):
        early, late, order = schedule([2, 0, 3], [[], [0], [1]], {2: [(0, 5)]})
    assert (early, late, order) == ([0, 2, 5], [0, 5, 5], [0, 1, 2])


@st.composite
def random_playbooks(draw: st.DrawFn) -> Playbook:
    """A random but valid playbook over the canonical stages."""
    playbook = load_playbook("generic-rollout")
    count = draw(st.integers(1, 12))
    stages = list(playbook.stage_graph.order)
    tasks: list[Task] = []
    for index in range(count):
        stage = draw(st.sampled_from(stages))
        earlier = [t for t in tasks if stages.index(t.stage) <= stages.index(stage)]
        depends = (
            draw(st.lists(st.sampled_from([t.id for t in earlier]), unique=True)) if earlier else []
        )
        tasks.append(
            Task(
                id=f"t{index:02d}",
                stage=stage,
                title=playbook.tasks[0].title,
                role="it",
                duration=draw(st.integers(0, 5)),
                depends_on=depends,
                per_department=draw(st.booleans()),
            )
        )
    return Playbook(
        playbook.id, playbook.name, playbook.summary, playbook.owner, playbook.exit,
        playbook.stage_graph, tuple(tasks),
    )  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(
    random_playbooks(), st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 300), min_size=1)
)
def test_random_plans_respect_every_dependency(
    playbook: Playbook, departments: dict[str, int]
) -> None:
    """For any valid playbook every task starts after its dependencies finish, on a business day."""
    plan = Plan.from_playbook(playbook, start=START, departments=departments)
    by_id = {task.id: task for task in plan.tasks}
    for task in plan.tasks:
        assert plan.calendar.is_business_day(task.start)
        assert task.finish >= task.start
        assert task.slack >= 0
        for needed in task.depends_on:
            other = by_id[needed]
            assert task.start > other.finish or (other.duration == 0 and task.start >= other.start)
