"""The generated sample company: roster, usage log and the Case A story they tell."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backoffice_marketing as bm
from backoffice_marketing import adoption, samples
from backoffice_marketing.adoption import cutover_advice, series_from_rates


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sample")
    return samples.write_roster(folder / "roster.csv"), samples.write_usage(folder / "usage.csv")


@pytest.fixture(scope="module")
def rates(files: tuple[Path, Path]) -> pl.DataFrame:
    roster, usage = files
    result = adoption.adoption_rates(usage, roster, period="week")
    assert isinstance(result, pl.DataFrame)  # read from files: a computed table
    return result


def test_roster_matches_the_department_table() -> None:
    """Every person of company.csv is on the roster once, plus a second spell per transfer."""
    rows = samples.roster_rows()
    people = {row.user_id for row in rows}
    assert len(people) == sum(d.headcount for d in samples.company_departments()) == 1400
    assert len(rows) == 1400 + 3
    moved = [row for row in rows if row.start == samples.TRANSFER_DAY]
    assert {row.department for row in moved} == {"東京営業部", "人事部", "大阪営業部"}
    assert all(row.end is None for row in moved)


def test_files_are_byte_identical_between_runs(files: tuple[Path, Path], tmp_path: Path) -> None:
    """The same code writes the same bytes."""
    again = samples.write_roster(tmp_path / "r.csv"), samples.write_usage(tmp_path / "u.csv")
    for first, second in zip(files, again, strict=True):
        digest = hashlib.sha256(first.read_bytes()).hexdigest()
        assert digest == hashlib.sha256(second.read_bytes()).hexdigest()


def test_usage_starts_at_launch_with_offsets() -> None:
    """Nobody uses chat before the launch; timestamps carry the Japan offset."""
    rows = list(samples.usage_rows(end=samples.LAUNCH + dt.timedelta(days=6)))
    assert rows
    assert min(row.timestamp.date() for row in rows) == samples.LAUNCH
    assert {row.timestamp.utcoffset() for row in rows} == {dt.timedelta(hours=9)}
    assert all(1 <= row.messages <= 12 for row in rows)
    with pytest.raises(ValueError, match="before start"):
        list(samples.usage_rows(start=samples.AS_OF, end=samples.LAUNCH))


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=0, max_value=44), st.integers(min_value=0, max_value=44))
def test_a_window_is_a_slice_of_the_whole_log(a: int, b: int) -> None:
    """Rows for any start..end are exactly the whole log's rows on those days."""
    start, end = sorted(
        (samples.LAUNCH + dt.timedelta(days=a), samples.LAUNCH + dt.timedelta(days=b))
    )
    part = list(samples.usage_rows(start=start, end=end))
    whole = [row for row in samples.usage_rows(end=end) if start <= row.timestamp.date() <= end]
    assert part == whole


def test_unknown_sample_file_names_the_close_one() -> None:
    """A mistyped name is a KeyError with a suggestion; known names resolve to files."""
    with pytest.raises(samples.UnknownSampleError, match=r"did you mean 'company\.csv'") as caught:
        samples.sample_file("company.cvs")
    assert isinstance(caught.value, KeyError)
    assert "company.csv" in caught.value.known
    assert all(samples.sample_file(name).is_file() for name in samples.sample_files())


def test_the_case_a_story(rates: pl.DataFrame) -> None:
    """Most departments move; the factory and the logistics centre lag; Nagoya is rolled up."""
    latest = rates.filter(pl.col("period") == rates["period"].max())
    by_name = dict(zip(latest["department"], latest["rate"], strict=True))
    assert "名古屋営業所" not in by_name  # 4 people: inside 営業本部, never shown alone
    assert by_name["製造部"] < 0.5
    assert by_name["物流センター"] < 0.7
    assert sum(rate >= 0.85 for rate in by_name.values()) >= 14
    assert set(latest["unmatched_users"]) == {5}  # the 6 contractors, banded to 5-9
    flagged = {lag.department for lag in adoption.laggards(rates)}
    assert {"製造部", "物流センター"} <= flagged


def test_series_from_rates_feeds_cutover_advice(rates: pl.DataFrame) -> None:
    """Each published department gets its series in time order; enforcing would strand laggards."""
    series = series_from_rates(rates)
    assert list(series) == sorted(series)
    periods, values = series["製造部"]
    assert list(periods) == sorted(periods)
    assert all(0 <= value <= 1 for value in values)
    advice = cutover_advice(series, target=0.9)
    assert not advice.ready
    assert "物流センター" in advice.stranded
    with pytest.raises(Exception, match="window_rate"):
        series_from_rates(rates, column="window_rate")


def test_series_skip_suppressed_rows() -> None:
    """A group under the privacy floor gives no series, and neither does 'other'."""
    frame = pl.DataFrame(
        {
            "department": ["営業部", "営業部", "other", "小部署"],
            "period_start": [dt.date(2027, 6, 7), dt.date(2027, 5, 31)] * 2,
            "rate": [0.5, 0.25, 0.1, 0.0],
            "suppressed": [False, False, False, True],
        }
    )
    assert series_from_rates(frame) == {
        "営業部": ((dt.date(2027, 5, 31), dt.date(2027, 6, 7)), (0.25, 0.5))
    }


def test_the_plan_launches_on_the_sample_launch_day() -> None:
    """The chat-migration plan from PLAN_START has its launch on LAUNCH (the usage log's day 0)."""
    plan = bm.Plan.from_playbook(
        bm.load_playbook("chat-migration"),
        start=samples.PLAN_START,
        departments=samples.company_departments(),
    )
    launch = plan.milestone("launch")
    assert launch is not None
    assert launch.date == samples.LAUNCH


def test_started_share_is_cumulative(files: tuple[Path, Path]) -> None:
    """'started' follows 1 - never_used/headcount: it never falls, and stays in [0, 1]."""
    roster, usage = files
    rates = adoption.adoption_rates(usage, roster, period="week", lifecycle=True)
    series = series_from_rates(rates, column="started")
    assert "製造部" in series
    for _periods, values in series.values():
        assert all(0 <= value <= 1 for value in values)
    values = series["製造部"][1]
    assert list(values) == sorted(values)
    assert cutover_advice(series, target=0.9).per_department
    empty = pl.DataFrame(
        {
            "department": ["営業部"],
            "period_start": [dt.date(2027, 6, 7)],
            "never_used": [0],
            "headcount": [0],
            "suppressed": [False],
        }
    )
    assert series_from_rates(empty, column="started") == {}


@pytest.mark.parametrize("backend", ["pyarrow", "pandas"])
def test_paths_read_without_polars(
    files: tuple[Path, Path], rates: pl.DataFrame, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without polars ([all] has none), CSV paths give the same results via pyarrow or pandas."""
    monkeypatch.setattr("backoffice_marketing.adoption.frames._PATH_BACKENDS", (backend,))
    roster, usage = files
    other = adoption.adoption_rates(usage, roster, period="week")
    assert adoption.AdoptionRates(other).to_csv() == adoption.AdoptionRates(rates).to_csv()
    assert (
        adoption.AdoptionRates(other).table_markdown()
        == adoption.AdoptionRates(rates).table_markdown()
    )
    assert series_from_rates(other) == series_from_rates(rates)
    assert adoption.laggards(other, target=0.8) == adoption.laggards(rates, target=0.8)


def test_pandas_frames_count_people_who_moved_once(
    files: tuple[Path, Path], rates: pl.DataFrame
) -> None:
    """Eager pandas frames (text timestamps with offsets, three transfers) match polars exactly."""
    roster, usage = files
    events = pd.read_csv(usage)
    people = pd.read_csv(roster, keep_default_na=False)
    other = adoption.adoption_rates(events, people, period="week")
    assert isinstance(other, pd.DataFrame)
    assert adoption.AdoptionRates(other).to_csv() == adoption.AdoptionRates(rates).to_csv()
