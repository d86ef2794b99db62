"""Benchmark of ``adoption_rates`` (issue 5): 10M events, 1,000 departments, 100k users, 365 days.

Side by side, in one run, on the same data: ``adoption_rates`` on polars
input; a hand-written polars lazy query of the same result; a naive pandas
groupby; a numpy lower bound (a bincount over distinct user-week pairs).
Each is timed over ``--runs`` runs (at least 5): median, min, max and IQR;
the ratios are between medians. Peak memory is measured over as many further
runs (tracing slows them): the traced Python allocations, and the growth of the
process' resident set during the call (its peak reset before each run).

Run: ``.venv/bin/python benchmarks/adoption.py [--events 10000000]`` (``--quick``:
500,000 events, 20,000 users and 200 departments, the same number of runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import polars as pl
from harness import MIN_RUNS, memory_runs, print_environment, runs_option, time_runs

from backoffice_marketing.adoption import adoption_rates

START = dt.date(2024, 4, 1)
EPOCH = dt.date(1970, 1, 1)


def make_data(
    events: int, users: int, departments: int, days: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(5)
    user = rng.integers(0, users, events, dtype=np.int64)
    day = rng.integers(0, days, events, dtype=np.int64)
    seconds = rng.integers(0, 86_400, events, dtype=np.int64)
    base = np.datetime64(START.isoformat(), "s")
    stamps = base + (day * 86_400 + seconds).astype("timedelta64[s]")
    ev = pl.DataFrame({"user_id": user, "timestamp": stamps.astype("datetime64[us]")})
    roster = pl.DataFrame(
        {
            "user_id": np.arange(users, dtype=np.int64),
            "department": [f"部署{index % departments:04d}" for index in range(users)],
        }
    )
    return ev, roster


def hand_polars(ev: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    weeks = (
        ev.lazy()
        .with_columns(pl.col("timestamp").dt.truncate("1w").alias("week"))
        .join(roster.lazy(), on="user_id", how="left")
        .group_by("department", "week")
        .agg(pl.col("user_id").n_unique().alias("active_users"))
    )
    heads = roster.lazy().group_by("department").agg(pl.len().alias("headcount"))
    all_weeks = ev.lazy().select(pl.col("timestamp").dt.truncate("1w").unique().alias("week"))
    spine = heads.join(all_weeks, how="cross")
    return (
        spine.join(weeks, on=["department", "week"], how="left")
        .with_columns(pl.col("active_users").fill_null(0))
        .with_columns(
            (pl.col("active_users") / pl.col("headcount")).alias("rate"),
            pl.col("week").dt.strftime("%G-W%V").alias("period"),
        )
        .sort("department", "week")
        .collect()
    )


def naive_pandas(ev: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    merged = ev.merge(roster, on="user_id", how="left")
    merged["period"] = merged["timestamp"].dt.strftime("%G-W%V")
    active = merged.groupby(["department", "period"])["user_id"].nunique()
    heads = roster.groupby("department").size()
    table = active.unstack(fill_value=0).stack().rename("active_users").reset_index()  # type: ignore[call-overload]
    table["headcount"] = table["department"].map(heads)
    table["rate"] = table["active_users"] / table["headcount"]
    return table


def numpy_bound(
    user: np.ndarray, day: np.ndarray, dept_of_user: np.ndarray, weeks: int
) -> np.ndarray:
    week = day // 7
    n_users = len(dept_of_user)
    seen = np.zeros(n_users * weeks, dtype=np.bool_)
    seen[user * weeks + week] = True
    pairs = np.flatnonzero(seen)
    cell = dept_of_user[pairs // weeks] * weeks + pairs % weeks
    return np.bincount(cell, minlength=int(dept_of_user.max() + 1) * weeks)


def measure(name: str, func: Callable[[], object], runs: int) -> float:
    """Print the time and peak memory of ``runs`` calls each; return the median time."""
    timing = time_runs(func, runs)
    memory = memory_runs(func, runs)
    print(timing.line(name))
    print(memory.python_peak.line("  python peak"))
    if memory.rss_growth is not None:
        print(memory.rss_growth.line("  resident set growth"))
    return timing.median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="500k events, same runs")
    parser.add_argument("--events", type=int, default=None, help="default 10M (quick: 500k)")
    parser.add_argument("--users", type=int, default=None, help="default 100k (quick: 20k)")
    parser.add_argument("--departments", type=int, default=None, help="default 1,000 (200)")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    args = parser.parse_args()
    events = args.events or (500_000 if args.quick else 10_000_000)
    users = args.users or (20_000 if args.quick else 100_000)
    departments = args.departments or (200 if args.quick else 1_000)
    print_environment(["backoffice-marketing", "polars", "narwhals", "pyarrow", "pandas", "numpy"])
    ev, roster = make_data(events, users, departments, args.days)
    input_bytes = int(ev.estimated_size() + roster.estimated_size())
    print(
        f"{events:,} events, {users:,} users, {departments:,} departments, "
        f"{args.days} days (input {input_bytes / 2**20:.0f} MiB)"
    )
    ours = adoption_rates(ev, roster, period="week", timezone="Asia/Tokyo")
    hand = hand_polars(ev, roster)
    assert ours.height == hand.height, (ours.height, hand.height)
    joined = ours.join(
        hand.select("department", "period", "active_users"), on=["department", "period"]
    )
    assert (joined["active_users"] == joined["active_users_right"]).all()
    pd_ev, pd_roster = ev.to_pandas(), roster.to_pandas()
    user = ev["user_id"].to_numpy()
    epoch_day = (START - EPOCH).days
    day = ev["timestamp"].cast(pl.Date).cast(pl.Int64).to_numpy() - epoch_day
    dept_of_user = (roster["user_id"].to_numpy() % departments).astype(np.int64)
    weeks = args.days // 7 + 2
    runs = args.runs
    ours_t = measure("adoption_rates (polars)", lambda: adoption_rates(ev, roster), runs)
    hand_t = measure("hand-written polars lazy", lambda: hand_polars(ev, roster), runs)
    pandas_t = measure("naive pandas groupby", lambda: naive_pandas(pd_ev, pd_roster), runs)
    measure("numpy bitmap bound", lambda: numpy_bound(user, day, dept_of_user, weeks), runs)
    print(
        f"ratios of medians: {ours_t / hand_t:.2f}x the hand-written polars query "
        f"(goal <= 1.3x); speed-up over naive pandas {pandas_t / ours_t:.1f}x (goal >= 4x)"
    )


if __name__ == "__main__":
    main()
