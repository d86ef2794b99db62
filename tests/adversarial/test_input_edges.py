"""Families "cycles", "date range", "offsets" and "cli duplicates": library errors, right words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import backoffice_marketing as bm
from backoffice_marketing.adoption import adoption_rates
from backoffice_marketing.core.departments import Department, coerce_departments
from backoffice_marketing.core.privacy import Group, roll_up
from backoffice_marketing.exceptions import DepartmentCycleError, LoadError

from .helpers import invoke

pytestmark = pytest.mark.usefixtures("english_messages")

DAY = dt.date(2027, 6, 2)


def _roster(size: int = 6) -> pl.DataFrame:
    return pl.DataFrame({"user_id": [f"u{i}" for i in range(size)], "department": ["A"] * size})


# -- cycles ----------------------------------------------------------------------------


def test_roster_with_a_parent_cycle_names_the_cycle() -> None:
    """A roster where A's parent is B and B's parent is A names the cycle (no bare ValueError)."""
    roster = pl.DataFrame(
        {
            "user_id": [f"u{i}" for i in range(12)],
            "department": ["A"] * 6 + ["B"] * 6,
            "parent": ["B"] * 6 + ["A"] * 6,
        }
    )
    events = pl.DataFrame({"user_id": ["u1"], "date": [DAY]})
    with pytest.raises(DepartmentCycleError) as caught:
        adoption_rates(events, roster, period="week")
    assert caught.value.cycle == ("A", "B", "A")
    assert "A -> B -> A" in str(caught.value)


def test_assessments_with_a_parent_cycle_name_the_cycle() -> None:
    """Department assessments whose parents loop give a DepartmentCycleError with the path."""
    assessments = [
        bm.Assessment("chat-migration", DAY, bm.Scope("Sales", 6, "Ops")),
        bm.Assessment("chat-migration", DAY, bm.Scope("Ops", 6, "Legal")),
        bm.Assessment("chat-migration", DAY, bm.Scope("Legal", 6, "Sales")),
    ]
    with pytest.raises(DepartmentCycleError, match="Legal -> Sales -> Ops -> Legal"):
        bm.GapReport.from_assessment(assessments)


def test_department_list_with_a_self_parent_is_a_cycle() -> None:
    """A department that is its own parent is a one-step cycle."""
    with pytest.raises(DepartmentCycleError, match="A -> A"):
        coerce_departments([Department("A", headcount=6, parent="A")])


def test_roll_up_duplicates_are_library_errors() -> None:
    """A duplicate group or the reserved name "other" is a DepartmentsError (still a ValueError)."""
    with pytest.raises(bm.exceptions.DepartmentsError, match="duplicate"):
        roll_up([Group("a", 6), Group("a", 7)])
    with pytest.raises(bm.exceptions.DepartmentsError, match="reserved"):
        roll_up([Group("other", 6)])


# -- date range ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("9999-12-31T23:00:00-09:00", "Asia/Tokyo"),
        ("9999-12-31T23:00:00+00:00", "Asia/Tokyo"),
        ("0001-01-01T00:30:00+09:00", "UTC"),
        ("0001-01-01T00:30:00+0900", "UTC"),
    ],
)
def test_offset_crossing_the_calendar_ends_is_a_load_error(text: str, zone: str) -> None:
    """An offset carrying a timestamp past year 9999 or before year 1 names file, line, column."""
    events = pl.DataFrame(
        {"user_id": ["u1", "u2"], "timestamp": ["2027-06-02T08:00:00+09:00", text]}
    )
    with pytest.raises(LoadError) as caught:
        adoption_rates(events, _roster(), period="day", timezone=zone)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.path) == ("<events>", 3, "timestamp")
    assert "outside the years 1 to 9999" in problem.message


def test_parquet_timestamp_at_9999_is_a_load_error_naming_the_row(tmp_path: Path) -> None:
    """A zoned Parquet timestamp on 9999-12-31 that Tokyo puts in year 10000 names file and row."""
    stamps = [dt.datetime(2027, 6, 2, 9), dt.datetime(9999, 12, 31, 23)]
    path = tmp_path / "events.parquet"
    pl.DataFrame({"user_id": ["u1", "u2"], "timestamp": stamps}).with_columns(
        pl.col("timestamp").dt.replace_time_zone("UTC")
    ).write_parquet(path)
    with pytest.raises(LoadError) as caught:
        adoption_rates(path, _roster(), period="week")
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.path == "timestamp"
    assert "row 2" in problem.message


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (dt.date(9999, 12, 31), "month"),
        (dt.date(9999, 12, 31), "fiscal_quarter"),
        (dt.date(9999, 12, 31), "fiscal_year"),
        (dt.date(1, 1, 1), "fiscal_year"),
    ],
)
def test_date_whose_period_leaves_the_calendar_is_a_load_error(day: dt.date, period: str) -> None:
    """A date whose month or fiscal year ends past 9999 (or starts before 1) names its row."""
    events = pl.DataFrame({"user_id": ["u1", "u2"], "date": [DAY, day]})
    with pytest.raises(LoadError, match="row 2") as caught:
        adoption_rates(events, _roster(), period=period)
    assert caught.value.problems[0].path == "date"


def test_date_at_the_calendar_end_is_fine_by_the_day() -> None:
    """9999-12-31 by the day is a real period and is counted."""
    events = pl.DataFrame({"user_id": ["u1"], "date": [dt.date(9999, 12, 31)]})
    rates = adoption_rates(events, _roster(), period="day")
    assert rates["period"].to_list() == ["9999-12-31"]


# -- offsets and empty logs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-06-02T23:45:00+0900", "2027-06-02"),
        ("2027-06-01T20:00:00-0500", "2027-06-02"),
        ("2027-06-02T08:45:00.250+0930", "2027-06-02"),
    ],
)
def test_offset_without_colon_is_read_like_update_reads_it(text: str, expected: str) -> None:
    """``+0900`` (no colon) is accepted by the adoption analytics, as ``update`` accepts it."""
    events = pl.DataFrame({"user_id": ["u1", "u2"], "timestamp": [text, text]})
    rates = adoption_rates(events, _roster(), period="day")
    assert rates.select("period", "active_users").rows() == [(expected, 2)]


def test_offset_without_colon_on_the_command_line(tmp_path: Path) -> None:
    """The ``adoption`` command reads a CSV log whose offsets have no colon."""
    (tmp_path / "ev.csv").write_text(
        "user_id,timestamp\nu1,2027-06-02T08:45:00+0900\nu2,2027-06-02T08:45:00+0900\n",
        encoding="utf-8",
    )
    _roster().write_csv(tmp_path / "roster.csv")
    result = invoke(
        ["adoption", str(tmp_path / "ev.csv"), "-r", str(tmp_path / "roster.csv"), "--lang", "en"]
    )
    assert result.exit_code in {0, 1}, result.output
    assert "33%" in result.output


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_header_only_log_says_no_data(tmp_path: Path, lang: str) -> None:
    """A usage log with a header and no rows says "no data", never "no department is lagging"."""
    (tmp_path / "ev.csv").write_text("user_id,timestamp\n", encoding="utf-8")
    _roster().write_csv(tmp_path / "roster.csv")
    result = invoke(
        ["adoption", str(tmp_path / "ev.csv"), "-r", str(tmp_path / "roster.csv"), "--lang", lang]
    )
    assert result.exit_code == 0, result.output
    assert "No department is lagging" not in result.output
    assert "遅れている部署はありません" not in result.output
    assert ("No data" if lang == "en" else "データがありません") in result.output


# -- cli duplicates --------------------------------------------------------------------


@pytest.mark.parametrize("command", [["plan", "chat-migration", "--start", "2027-04-01"]])
def test_repeated_department_option_is_an_error(command: list[str]) -> None:
    """``-d A=10 -d A=20`` is an error naming A, as a duplicate in a CSV is."""
    result = invoke([*command, "-d", "A=10", "-d", "B=7", "-d", "A=20"])
    assert result.exit_code == 2
    assert "'A'" in result.output
    assert "twice" in result.output
