"""Tests of adoption_rates, periods, the clock and the roster."""

from __future__ import annotations

import datetime as dt
import warnings
import zoneinfo
from pathlib import Path
from typing import Any

import duckdb
import narwhals.stable.v2 as nw
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.adoption import (
    RosterColumns,
    adoption_rates,
    department_groups,
    read_roster,
    unmatched_users,
)
from backoffice_marketing.adoption.clock import offsets, with_day
from backoffice_marketing.adoption.periods import (
    Period,
    PeriodSpec,
    day_number,
    from_day_number,
    month_index_expr,
)
from backoffice_marketing.core.privacy import PrivacyFloorError
from backoffice_marketing.exceptions import (
    InputColumnsError,
    LoadError,
    TimestampError,
    UnknownTimeZoneError,
    UnsupportedFormatError,
)

FIXTURES = Path(__file__).parent / "fixtures" / "adoption"
DEPARTMENTS = ("営業部", "経理部", "人事部")


def make_roster(sizes: tuple[int, ...] = (8, 6, 6)) -> pl.DataFrame:
    users, departments = [], []
    for department, size in zip(DEPARTMENTS, sizes, strict=False):
        for index in range(size):
            users.append(f"{department}-{index}")
            departments.append(department)
    return pl.DataFrame({"user_id": users, "department": departments})


def rows(result: Any) -> list[tuple[Any, ...]]:
    frame = nw.from_native(result)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    data = frame.select("department", "period", "headcount", "active_users", "rate")
    return [(d, p, int(h), int(a), round(float(r), 9)) for d, p, h, a, r in data.rows()]


def events_frame(pairs: list[tuple[str, dt.datetime]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"user_id": [p[0] for p in pairs], "timestamp": [p[1] for p in pairs]},
        schema={"user_id": pl.String, "timestamp": pl.Datetime("us")},
    )


BASIC = [
    ("営業部-0", dt.datetime(2024, 4, 1, 9)),
    ("営業部-1", dt.datetime(2024, 4, 2, 10)),
    ("営業部-1", dt.datetime(2024, 4, 2, 10)),
    ("経理部-2", dt.datetime(2024, 4, 15, 8)),
    ("stranger", dt.datetime(2024, 4, 3, 8)),
]


def test_silent_department_appears_with_rate_zero() -> None:
    """Every department appears in every period, a silent one with rate 0."""
    result = adoption_rates(events_frame(BASIC), make_roster())
    table = rows(result)
    assert [r[:2] for r in table] == [
        (d, p) for d in sorted(DEPARTMENTS) for p in ("2024-W14", "2024-W15", "2024-W16")
    ]
    by_key = {(r[0], r[1]): r for r in table}
    assert by_key[("営業部", "2024-W14")][2:] == (8, 2, 0.25)
    assert by_key[("人事部", "2024-W14")][2:] == (6, 0, 0.0)
    assert by_key[("経理部", "2024-W16")][2:] == (6, 1, round(1 / 6, 9))


def test_unmatched_users_are_counted_not_dropped() -> None:
    """Activity by someone missing from the roster is counted per period (banded) and listed."""
    result = adoption_rates(events_frame(BASIC), make_roster())
    unmatched = dict(zip(result["period"], result["unmatched_users"], strict=True))
    # One stranger in W14: published as 0, "fewer than 5" (banded to the privacy floor).
    assert unmatched == {"2024-W14": 0, "2024-W15": 0, "2024-W16": 0}
    assert unmatched_users(events_frame(BASIC), make_roster()) == ("stranger",)


def test_columns_and_dtypes() -> None:
    """The result has the documented columns, integer counts and float rates."""
    result = adoption_rates(events_frame(BASIC), make_roster())
    assert tuple(result.columns) == (
        "department",
        "period",
        "period_start",
        "headcount",
        "active_users",
        "rate",
        "unmatched_users",
        "suppressed",
    )
    assert result.schema["rate"] == pl.Float64
    assert result.schema["period_start"] == pl.Date


def _as(kind: str, frame: pl.DataFrame) -> Any:
    if kind == "pandas":
        return frame.to_pandas()
    if kind == "pyarrow":
        return frame.to_arrow()
    if kind == "duckdb":
        return duckdb.from_arrow(frame.to_arrow())
    if kind == "lazy":
        return frame.lazy()
    return frame


@pytest.mark.parametrize("kind", ["polars", "pandas", "pyarrow", "duckdb", "lazy"])
def test_same_kind_of_frame_comes_back(kind: str) -> None:
    """The result is the same kind of frame as the events, and equal across backends."""
    events = _as(kind, events_frame(BASIC))
    result = adoption_rates(events, make_roster())
    assert type(nw.from_native(result).to_native()) is type(events)
    assert rows(result) == rows(adoption_rates(events_frame(BASIC), make_roster()))


def test_lazy_input_stays_lazy() -> None:
    """A polars LazyFrame gives a LazyFrame; nothing is computed until collect."""
    result = adoption_rates(
        events_frame(BASIC).lazy(),
        make_roster(),
        start=dt.date(2024, 4, 1),
        end=dt.date(2024, 4, 21),
    )
    assert isinstance(result, pl.LazyFrame)
    assert rows(result) == rows(adoption_rates(events_frame(BASIC), make_roster()))


def test_dask_backend_matches_polars() -> None:
    """The same function runs on Dask (a distributed engine) and matches polars."""
    dd = pytest.importorskip("dask.dataframe")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # narwhals: Dask moves to narwhals-dask
        events = dd.from_pandas(events_frame(BASIC).to_pandas(), npartitions=2)
        result = adoption_rates(events, make_roster(), window=7, habit_days=1, lifecycle=True)
        computed = result.compute()
    expected = adoption_rates(
        events_frame(BASIC), make_roster(), window=7, habit_days=1, lifecycle=True
    )
    assert sorted(
        map(tuple, computed[list(expected.columns[:7])].astype(object).values.tolist())
    ) == sorted(tuple(r) for r in expected.select(expected.columns[:7]).rows()) or rows(
        computed
    ) == rows(expected)


user_ids = st.sampled_from([f"{d}-{i}" for d in DEPARTMENTS for i in range(6)] + ["ghost"])
stamps = st.datetimes(min_value=dt.datetime(2024, 3, 25), max_value=dt.datetime(2024, 5, 5))
logs = st.lists(st.tuples(user_ids, stamps), max_size=40)


@given(logs, st.sampled_from(["day", "week", "month", "fiscal_quarter"]))
def test_backends_agree_and_rates_are_bounded(
    log: list[tuple[str, dt.datetime]], period: str
) -> None:
    """pandas, polars, pyarrow and duckdb inputs give identical rows, with 0 <= rate <= 1."""
    frame = events_frame(log)
    roster = make_roster((6, 6, 6))
    reference = rows(adoption_rates(frame, roster, period=period))
    for kind in ("pandas", "pyarrow", "duckdb"):
        assert rows(adoption_rates(_as(kind, frame), roster, period=period)) == reference
    for _, _, headcount, active, rate in reference:
        assert 0.0 <= rate <= 1.0
        assert active <= headcount


@given(logs)
def test_order_and_duplicates_do_not_matter(log: list[tuple[str, dt.datetime]]) -> None:
    """Shuffled and duplicated events give the same rates."""
    roster = make_roster((6, 6, 6))
    once = rows(adoption_rates(events_frame(log), roster))
    twice = rows(adoption_rates(events_frame(list(reversed(log)) + log), roster))
    assert once == twice


def test_empty_events_without_range() -> None:
    """Empty events and no range give an empty result with the documented columns."""
    result = adoption_rates(events_frame([]), make_roster())
    assert result.height == 0
    assert "rate" in result.columns


def test_empty_events_with_range_show_every_department() -> None:
    """With a range, empty events still give every department at rate 0."""
    result = adoption_rates(
        events_frame([]), make_roster(), start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 7)
    )
    assert rows(result) == [
        (d, "2024-W14", n, 0, 0.0) for d, n in (("人事部", 6), ("営業部", 8), ("経理部", 6))
    ]
    one_sided = adoption_rates(events_frame([]), make_roster(), start=dt.date(2024, 4, 1))
    assert one_sided.height == 3


def test_small_departments_roll_up() -> None:
    """Departments under 5 people are pooled in 'other' (each needed), never inside a parent."""
    roster = pl.DataFrame(
        {
            "user_id": [f"u{i}" for i in range(14)],
            "department": ["営業部"] * 8 + ["総務部"] * 3 + ["法務部"] * 3,
            "parent": [None] * 8 + ["管理本部"] * 6,
        }
    )
    result = adoption_rates(events_frame(BASIC), roster)
    assert sorted(set(result["department"])) == ["other", "営業部"]
    groups = department_groups(roster)
    assert {(s.group, s.into) for s in groups.suppressed} == {
        ("総務部", "other"),
        ("法務部", "other"),
        ("管理本部", "other"),  # a parent named in the roster, with no people of its own
    }
    with pytest.raises(PrivacyFloorError):
        adoption_rates(events_frame(BASIC), roster, min_group_size=3)


def test_everyone_small_publishes_nothing() -> None:
    """When every department is small even together, no department row is published."""
    roster = pl.DataFrame({"user_id": ["a", "b", "c"], "department": ["x", "x", "y"]})
    events = events_frame([("a", dt.datetime(2024, 4, 1))])
    result = adoption_rates(events, roster)
    assert result.height == 0


def test_growing_group_rows_are_suppressed() -> None:
    """A period where a group has 1-4 people has zero figures and suppressed set."""
    roster = pl.DataFrame(
        {
            "user_id": [f"u{i}" for i in range(6)],
            "department": ["営業部"] * 6,
            "start": [dt.date(2024, 1, 1)] * 2 + [dt.date(2024, 4, 8)] * 4,
        }
    )
    events = events_frame([("u0", dt.datetime(2024, 4, 1)), ("u1", dt.datetime(2024, 4, 9))])
    result = adoption_rates(events, roster)
    assert result.rows() == [
        ("営業部", "2024-W14", dt.date(2024, 4, 1), 0, 0, 0.0, 0, True),
        ("営業部", "2024-W15", dt.date(2024, 4, 8), 6, 1, 1 / 6, 0, False),
    ]


def test_headcount_follows_employment_dates() -> None:
    """Headcount counts people employed in the period; activity outside employment is unmatched."""
    roster = pl.DataFrame(
        {
            "user_id": [f"u{i}" for i in range(7)],
            "department": ["営業部"] * 7,
            "start": ["2024-01-01"] * 6 + ["2024-04-08"],
            "end": [None] * 5 + ["2024-04-05", None],
        }
    )
    events = events_frame(
        [
            ("u5", dt.datetime(2024, 4, 10)),
            ("u6", dt.datetime(2024, 4, 2)),
            ("u0", dt.datetime(2024, 4, 1)),
        ]
    )
    result = adoption_rates(events, roster)
    assert [
        (p, h, a, u)
        for p, h, a, u in result.select(
            "period", "headcount", "active_users", "unmatched_users"
        ).rows()
    ] == [
        ("2024-W14", 6, 1, 0),  # u6 before joining: unmatched, fewer than 5
        ("2024-W15", 6, 0, 0),  # u5 after leaving: unmatched, fewer than 5
    ]
    assert unmatched_users(events, roster) == ("u5", "u6")


def test_people_who_moved_count_where_they_were() -> None:
    """A person with two spells counts in the department of the day, never twice or unmatched."""
    roster = pl.DataFrame(
        {
            "user_id": ["m"] * 2 + [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(5)],
            "department": ["A", "B"] + ["A"] * 5 + ["B"] * 5,
            "start": [dt.date(2024, 1, 1), dt.date(2024, 4, 10)] + [None] * 10,
            "end": [dt.date(2024, 4, 7), None] + [None] * 10,
        }
    )
    events = events_frame(
        [
            ("m", dt.datetime(2024, 4, 1)),
            ("m", dt.datetime(2024, 4, 8)),
            ("m", dt.datetime(2024, 4, 12)),
        ]
    )
    result = adoption_rates(events, roster)
    assert result.select(
        "department", "period", "headcount", "active_users", "unmatched_users"
    ).rows() == [
        ("A", "2024-W14", 6, 1, 0),
        ("A", "2024-W15", 5, 0, 0),
        ("B", "2024-W14", 5, 0, 0),
        ("B", "2024-W15", 6, 1, 0),
    ]
    # The day between the spells (8 April) is unmatched; banded, it shows as 0.
    assert unmatched_users(events, roster) == ("m",)


def test_window_habit_and_lifecycle() -> None:
    """Rolling windows, habit counts, never-used and dormant counts are computed."""
    events = events_frame(
        [
            ("営業部-0", dt.datetime(2024, 4, 1)),
            ("営業部-0", dt.datetime(2024, 4, 2)),
            ("営業部-1", dt.datetime(2024, 4, 3)),
            ("営業部-1", dt.datetime(2024, 4, 9)),
        ]
    )
    result = adoption_rates(events, make_roster(), window=7, habit_days=2, lifecycle=True)
    sales = result.filter(pl.col("department") == "営業部")
    assert sales["window_active_users"].to_list() == [2, 1]
    assert sales["habit_users"].to_list() == [1, 0]
    assert sales["never_used"].to_list() == [6, 6]
    assert sales["dormant"].to_list() == [0, 1]
    habit_only = adoption_rates(events, make_roster(), habit_days=2)
    assert habit_only.filter(pl.col("department") == "営業部")["habit_rate"].to_list() == [
        0.125,
        0.0,
    ]
    lazy = adoption_rates(
        duckdb.from_arrow(events.to_arrow()), make_roster(), window=7, habit_days=2, lifecycle=True
    )
    assert rows(lazy) == rows(result)


def test_option_errors() -> None:
    """Bad options are clear errors."""
    with pytest.raises(ValueError, match="window"):
        adoption_rates(events_frame(BASIC), make_roster(), window=5)
    with pytest.raises(ValueError, match="habit_days"):
        adoption_rates(events_frame(BASIC), make_roster(), habit_days=0)
    with pytest.raises(UnknownTimeZoneError):
        adoption_rates(events_frame(BASIC), make_roster(), timezone="Mars/Olympus")
    with pytest.raises(UnknownTimeZoneError):
        adoption_rates(events_frame(BASIC), make_roster(), timezone=9)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fiscal_year_start"):
        adoption_rates(events_frame(BASIC), make_roster(), fiscal_year_start=13)
    with pytest.raises(InputColumnsError, match="user_id"):
        adoption_rates(pl.DataFrame({"who": ["a"]}), make_roster())
    with pytest.raises(InputColumnsError, match="timestamp or date"):
        adoption_rates(pl.DataFrame({"user_id": ["a"]}), make_roster())
    with pytest.raises(TypeError, match="events"):
        adoption_rates([1, 2], make_roster())
    with pytest.raises(TimestampError):
        adoption_rates(pl.DataFrame({"user_id": ["a"], "timestamp": [1]}), make_roster())
    with pytest.raises(TimestampError, match="text such as"):
        adoption_rates(pl.DataFrame({"user_id": ["a"], "timestamp": ["April"]}), make_roster())


def test_naive_and_aware_timestamps_use_the_organisation_zone() -> None:
    """A UTC evening event on 31 March is on 1 April in Tokyo; naive times are Tokyo times."""
    roster = make_roster((6,))
    aware = pl.DataFrame(
        {"user_id": ["営業部-0"], "timestamp": [dt.datetime(2024, 3, 31, 20, tzinfo=dt.UTC)]}
    )
    result = adoption_rates(aware, roster, period="fiscal_year")
    assert result["period"].to_list() == ["FY2024"]
    naive = pl.DataFrame({"user_id": ["営業部-0"], "timestamp": [dt.datetime(2024, 3, 31, 20)]})
    assert adoption_rates(naive, roster, period="fiscal_year")["period"].to_list() == ["FY2023"]
    in_utc = adoption_rates(naive, roster, period="fiscal_year", timezone="UTC")
    assert in_utc["period"].to_list() == ["FY2023"]
    duck = adoption_rates(duckdb.from_arrow(aware.to_arrow()), roster, period="fiscal_year")
    assert rows(duck) == rows(result)


@given(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)),
    st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin"]),
    st.sampled_from(["Asia/Tokyo", "America/New_York", "Australia/Sydney"]),
)
def test_day_of_an_aware_timestamp(moment: dt.datetime, data_zone: str, org_zone: str) -> None:
    """The day number matches zoneinfo's date of the instant in the organisation's zone."""
    instant = moment.replace(tzinfo=zoneinfo.ZoneInfo(data_zone))
    frame = nw.from_native(
        pl.DataFrame({"t": [instant]}, schema={"t": pl.Datetime("us", data_zone)})
    )
    day = with_day(frame, nw, "t", frame.schema["t"], org_zone)["__day"][0]
    expected = instant.astimezone(zoneinfo.ZoneInfo(org_zone)).date()
    # A wall-clock time skipped or repeated by a DST change may be a minute off the boundary.
    assert abs(from_day_number(day) - expected) <= dt.timedelta(days=1)
    if moment.hour not in {0, 1, 2, 3, 22, 23}:
        assert from_day_number(day) == expected


def test_text_and_date_columns() -> None:
    """Text timestamps in a known format and date columns are read."""
    roster = make_roster((6,))
    text = pl.DataFrame({"user_id": ["営業部-0"], "timestamp": ["2024-04-01 09:00:00"]})
    assert adoption_rates(text, roster)["active_users"].to_list() == [1]
    dates = pl.DataFrame({"user_id": ["営業部-0"], "date": [dt.date(2024, 4, 1)]})
    assert adoption_rates(dates, roster, period="day")["period"].to_list() == ["2024-04-01"]
    blank = pl.DataFrame(
        {"user_id": ["a"], "timestamp": [None]},
        schema={"user_id": pl.String, "timestamp": pl.String},
    )
    assert adoption_rates(blank, roster).height == 0


def test_integer_ids_on_both_sides() -> None:
    """Integer ids join with integer ids; mixed types are compared as text."""
    roster = pl.DataFrame({"user_id": list(range(6)), "department": ["営業部"] * 6})
    events = pl.DataFrame({"user_id": [1, 2], "date": [dt.date(2024, 4, 1)] * 2})
    assert adoption_rates(events, roster)["active_users"].to_list() == [2]
    text_events = pl.DataFrame({"user_id": ["1"], "date": [dt.date(2024, 4, 1)]})
    assert adoption_rates(text_events, roster)["active_users"].to_list() == [1]


@pytest.mark.usefixtures("in_english")
def test_paths_are_accepted(tmp_path: Path) -> None:
    """CSV and Parquet paths work for events and roster."""
    events = pl.DataFrame({"user_id": ["営業部-0"], "date": [dt.date(2024, 4, 1)]})
    events.write_parquet(tmp_path / "events.parquet")
    make_roster().write_csv(tmp_path / "roster.csv")
    result = adoption_rates(tmp_path / "events.parquet", tmp_path / "roster.csv")
    assert isinstance(result, pl.DataFrame)  # read from a file: collected, a table to look at
    assert rows(result)[0] == ("人事部", "2024-W14", 6, 0, 0.0)
    with pytest.raises(UnsupportedFormatError):
        adoption_rates(tmp_path / "events.txt", make_roster())
    with pytest.raises(LoadError, match="cannot read"):
        adoption_rates(tmp_path / "missing.csv", make_roster())


def test_roster_problems_are_reported_together(tmp_path: Path) -> None:
    """Every roster problem is reported at once with its line and field."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "user_id,department,parent,start,end\n"
        "a,営業部,本部,2024-01-01,\n"
        ",営業部,本部,,\n"
        "b,,,,\n"
        "c,営業部,別本部,,\n"
        "d,other,,,\n"
        "e,経理部,,2024-05-01,2024-04-01\n"
        "f,経理部,,2024-01-01,2024-06-01\n"
        "f,人事部,,2024-05-01,\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        read_roster(str(path))
    messages = [(p.line, p.path) for p in caught.value.problems]
    assert (3, "user_id") in messages
    assert (4, "department") in messages
    assert (5, "parent") in messages
    assert (6, "department") in messages
    assert (7, "end") in messages
    assert any("overlap" in p.message for p in caught.value.problems)
    frame = pl.DataFrame(
        {"user_id": ["a"], "department": [None]},
        schema={"user_id": pl.String, "department": pl.String},
    )
    with pytest.raises(LoadError, match=r"\[0\]\.department"):
        read_roster(frame)


def test_roster_with_other_column_names() -> None:
    """Column names are given by keyword."""
    roster = pl.DataFrame({"社員番号": [f"u{i}" for i in range(5)], "所属": ["営業部"] * 5})
    parsed = read_roster(roster, columns=RosterColumns(user_id="社員番号", department="所属"))
    assert parsed.departments == ("営業部",)
    assert len(parsed.spells) == 5
    pandas_roster = pd.DataFrame({"user_id": ["x"], "department": ["A"], "start": [pd.NaT]})
    assert read_roster(pandas_roster).spells[0].start < 0


def test_pyarrow_roster() -> None:
    """A pyarrow roster is read like any other."""
    table = pa.table({"user_id": ["a"], "department": ["A"]})
    assert read_roster(table).departments == ("A",)


@pytest.mark.parametrize("period", list(Period))
def test_period_bounds_and_keys(period: Period) -> None:
    """Each day lies inside its period, and neighbouring periods touch."""
    spec = PeriodSpec(period)
    for day in range(day_number(dt.date(2019, 12, 20)), day_number(dt.date(2021, 1, 10)), 3):
        key = spec.key(day)
        first, last = spec.bounds(key)
        assert first <= day <= last
        assert spec.key(first - 1) == key - 1
        assert spec.key(last + 1) == key + 1


def test_period_labels() -> None:
    """Labels follow ISO weeks and the April fiscal year."""

    def label(period: str, date: dt.date, start: int = 4) -> str:
        spec = PeriodSpec(period, start)
        return spec.label(spec.key(day_number(date)))

    assert label("week", dt.date(2021, 1, 3)) == "2020-W53"
    assert label("week", dt.date(2024, 12, 30)) == "2025-W01"
    assert label("day", dt.date(2024, 2, 29)) == "2024-02-29"
    assert label("month", dt.date(2024, 2, 29)) == "2024-02"
    assert label("fiscal_quarter", dt.date(2025, 3, 31)) == "FY2024-Q4"
    assert label("fiscal_quarter", dt.date(2024, 4, 1)) == "FY2024-Q1"
    assert label("fiscal_year", dt.date(2024, 3, 31)) == "FY2023"
    assert label("fiscal_year", dt.date(2024, 3, 31), 1) == "FY2024"
    assert PeriodSpec("week").keys_between(5, 4) == ()
    with pytest.raises(ValueError, match="fiscal_year_start"):
        PeriodSpec("week", True)


@given(st.integers(min_value=-1000, max_value=60000))
def test_month_index_expression(day: int) -> None:
    """The integer civil-from-days expression matches the calendar."""
    frame = nw.from_native(pl.DataFrame({"d": [day]}))
    value = frame.select(month_index_expr(nw.col("d")).alias("m"))["m"][0]
    date = from_day_number(day)
    assert value == date.year * 12 + date.month - 1


def test_offsets_of_fixed_and_dst_zones() -> None:
    """Tokyo has a fixed offset; New York changes twice a year."""
    assert offsets("Asia/Tokyo") == (540, ())
    first, changes = offsets("America/New_York")
    assert first == -300
    assert len(changes) > 100


def test_person_who_left_and_returned() -> None:
    """Activity between and after two closed spells is unmatched; inside them it counts."""
    roster = pl.DataFrame(
        {
            "user_id": ["r", "r"] + [f"a{i}" for i in range(5)],
            "department": ["A"] * 7,
            "start": [dt.date(2024, 4, 1), dt.date(2024, 4, 15)] + [None] * 5,
            "end": [dt.date(2024, 4, 3), dt.date(2024, 4, 17)] + [None] * 5,
        }
    )
    events = events_frame(
        [
            ("r", dt.datetime(2024, 4, 2)),
            ("r", dt.datetime(2024, 4, 9)),
            ("r", dt.datetime(2024, 4, 16)),
            ("r", dt.datetime(2024, 4, 23)),
        ]
    )
    result = adoption_rates(events, roster)
    assert result.select("period", "headcount", "active_users", "unmatched_users").rows() == [
        ("2024-W14", 6, 1, 0),
        ("2024-W15", 5, 0, 0),
        ("2024-W16", 6, 1, 0),
        ("2024-W17", 5, 0, 0),
    ]
    assert unmatched_users(events, roster) == ("r",)


def test_roster_dates_of_every_kind() -> None:
    """Roster dates may be text, dates or aware datetimes; other types are problems."""
    aware = dt.datetime(2024, 3, 31, 20, tzinfo=dt.UTC)
    roster = pd.DataFrame(
        {"user_id": ["a", "b", "c"], "department": ["A"] * 3, "start": ["2024-04-01", aware, ""]}
    )
    spells = read_roster(roster).spells
    assert [from_day_number(s.start) for s in spells[:2]] == [dt.date(2024, 4, 1)] * 2
    assert spells[2].start < 0
    bad = pd.DataFrame({"user_id": ["a", "b"], "department": ["A"] * 2, "start": ["soon", 5]})
    with pytest.raises(LoadError) as caught:
        read_roster(bad)
    assert [p.path for p in caught.value.problems] == ["[0].start", "[1].start"]


@given(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2090, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15),
    st.booleans(),
    st.sampled_from(["Asia/Tokyo", "UTC", "America/New_York"]),
)
def test_iso_text_with_an_offset(
    moment: dt.datetime, offset: int, fraction: bool, org_zone: str
) -> None:
    """ISO 8601 text with an offset (or Z) lands on the organisation's day, as zoneinfo says."""
    instant = moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
    text = instant.isoformat(timespec="microseconds" if fraction else "seconds")
    if offset == 0 and not fraction:
        text = text.replace("+00:00", "Z")
    frame = nw.from_native(pl.DataFrame({"t": [text]}))
    day = with_day(frame, nw, "t", frame.schema["t"], org_zone, sample=text)["__day"][0]
    expected = instant.astimezone(zoneinfo.ZoneInfo(org_zone)).date()
    assert abs(from_day_number(day) - expected) <= dt.timedelta(days=1)
    if moment.hour not in {0, 1, 2, 3, 22, 23} or org_zone != "America/New_York":
        assert from_day_number(day) == expected


@pytest.mark.parametrize("kind", ["polars", "pandas", "pyarrow", "duckdb"])
def test_offset_text_on_every_backend(kind: str) -> None:
    """A UTC evening written as text with Z is the next morning in Tokyo, on every backend."""
    text = pl.DataFrame(
        {
            "user_id": ["営業部-0", "営業部-1", "営業部-2"],
            "timestamp": [
                "2024-03-31T20:00:00Z",
                "2024-03-31T23:30:00.250+09:00",
                "2024-03-31 10:00:00-05:00",
            ],
        }
    )
    result = adoption_rates(_as(kind, text), make_roster((6,)), period="fiscal_year")
    assert sorted(rows(result)) == [
        ("営業部", "FY2023", 6, 1, round(1 / 6, 9)),
        ("営業部", "FY2024", 6, 2, round(2 / 6, 9)),
    ]


def test_text_dates_without_padding_span_the_right_range() -> None:
    """Text dates are ranged by their days, not their text order (2024/4/9 < 2024/10/1)."""
    roster = make_roster((6,))
    text = pl.DataFrame(
        {"user_id": ["営業部-0", "営業部-1"], "timestamp": ["2024/4/9", "2024/10/1"]}
    )
    result = adoption_rates(text, roster, period="month")
    assert result["period"].to_list() == [f"2024-{month:02d}" for month in range(4, 11)]
    assert sum(result["active_users"].to_list()) == 2
