"""Benchmark of ``adoption_rates`` (issue 5): 10M events, 1,000 departments, 100k users, 365 days.

Side by side, in one run, on the same data: ``adoption_rates`` on polars
input; a hand-written polars lazy query of the same result; a naive pandas
groupby; a numpy lower bound (a bincount over distinct user-week pairs).
Each is timed best of ``--repeat`` runs; peak memory is the traced Python
allocations plus the growth of the process' resident set during the call.

Run: ``.venv/bin/python benchmarks/adoption.py [--events 10000000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

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


def measure(name: str, func: Callable[[], Any], repeat: int, input_bytes: int) -> float:
    import tracemalloc  # noqa: PLC0415

    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    gc.collect()
    tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_growth = max(after - before, 0) * 1024
    best = min(times)
    print(
        f"{name:<28} best {best:7.3f} s   python peak {peak / 2**20:8.1f} MiB   "
        f"max-RSS growth {rss_growth / 2**20:8.1f} MiB   (input {input_bytes / 2**20:.0f} MiB)"
    )
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--departments", type=int, default=1_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ev, roster = make_data(args.events, args.users, args.departments, args.days)
    input_bytes = int(ev.estimated_size() + roster.estimated_size())
    print(
        f"{args.events:,} events, {args.users:,} users, {args.departments:,} departments, "
        f"{args.days} days; polars {pl.__version__}, pandas {pd.__version__}, "
        f"numpy {np.__version__}"
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
    dept_of_user = (roster["user_id"].to_numpy() % args.departments).astype(np.int64)
    weeks = args.days // 7 + 2
    results = {
        "adoption_rates (polars)": measure(
            "adoption_rates (polars)", lambda: adoption_rates(ev, roster), args.repeat, input_bytes
        ),
        "hand-written polars lazy": measure(
            "hand-written polars lazy", lambda: hand_polars(ev, roster), args.repeat, input_bytes
        ),
        "naive pandas groupby": measure(
            "naive pandas groupby", lambda: naive_pandas(pd_ev, pd_roster), 1, input_bytes
        ),
        "numpy bitmap bound": measure(
            "numpy bitmap bound",
            lambda: numpy_bound(user, day, dept_of_user, weeks),
            args.repeat,
            input_bytes,
        ),
    }
    ours_t = results["adoption_rates (polars)"]
    print(
        f"ratio to hand-written polars: {ours_t / results['hand-written polars lazy']:.2f}x "
        f"(goal <= 1.3x); speed-up over naive pandas: "
        f"{results['naive pandas groupby'] / ours_t:.1f}x (goal >= 4x)"
    )


if __name__ == "__main__":
    main()
