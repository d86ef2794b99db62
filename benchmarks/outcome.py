"""Benchmark of ``outcome_metrics`` (issue 22) against a hand-written polars query.

10M chat events and 5M email events (one row per person and day), 1,000
departments, 100k people, one year. Both sides compute, per department and
ISO week, the new way's share (chat ÷ (chat + email)), the habit rate (people
active on >= 3 of the week's business days, Japanese holidays excluded, scaled
to short weeks) and the any-use rate; the script checks that the numbers are
equal, then runs each side ``--runs`` times (at least 5), every run in a fresh
subprocess reading the same Parquet files, the two sides alternating (the
machine is shared). Each run gives its wall time and its peak resident set
size (``ru_maxrss`` of that process, imports included); each side's median,
min, max and IQR are printed, and the ratios are between medians.

Goal: time ratio <= 1.5 and peak-memory ratio <= 1.0.

Run: ``PYTHONPATH=src python benchmarks/outcome.py [--runs 5]`` (``--scale 0.05``
for a smaller smoke run: 5 % of the rows, people and departments, never fewer runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import MIN_RUNS, Spread, print_environment, runs_option

START = dt.date(2026, 4, 6)  # a Monday: the year holds whole ISO weeks
DAYS = 364


def make_data(folder: Path, scale: float) -> None:
    """Write chat.parquet, mail.parquet and roster.parquet into ``folder``."""
    import numpy as np  # noqa: PLC0415
    import polars as pl  # noqa: PLC0415

    rng = np.random.default_rng(22)
    people = max(int(100_000 * scale), 50)
    departments = max(int(1_000 * scale), 5)
    names = np.array([f"u{index:06d}@corp.example" for index in range(people)])

    def log(rows: int, column: str) -> pl.DataFrame:
        user = rng.integers(0, people, rows)
        day = rng.integers(0, DAYS, rows)
        frame = pl.DataFrame(
            {
                "user_id": names[user],
                "date": (np.datetime64(START.isoformat()) + day.astype("timedelta64[D]")),
                column: rng.integers(1, 12, rows),
            }
        ).with_columns(pl.col("date").cast(pl.Date))
        return frame.sort("date")  # a person may have several rows a day: both sides sum them

    log(int(10_000_000 * scale), "count").write_parquet(folder / "chat.parquet")
    log(int(5_000_000 * scale), "sent").write_parquet(folder / "mail.parquet")
    pl.DataFrame(
        {
            "user_id": names,
            "department": [f"部署{index % departments:04d}" for index in range(people)],
        }
    ).write_parquet(folder / "roster.parquet")


def business_days() -> list[int]:
    """Day numbers (since 1970) of the year's Japanese business days."""
    from backoffice_marketing.core.calendars import BusinessCalendar  # noqa: PLC0415

    calendar = BusinessCalendar("JP")
    epoch = dt.date(1970, 1, 1)
    days = (START + dt.timedelta(days=offset) for offset in range(DAYS))
    return [(day - epoch).days for day in days if calendar.is_business_day(day)]


def hand_written(folder: Path) -> Any:
    """The same three figures as a hand-written polars lazy query."""
    import polars as pl  # noqa: PLC0415

    open_days = business_days()
    chat = pl.scan_parquet(folder / "chat.parquet")
    mail = pl.scan_parquet(folder / "mail.parquet")
    roster = pl.scan_parquet(folder / "roster.parquet")
    day = pl.col("date").cast(pl.Int64)
    days = (
        pl.concat(
            [
                chat.select(
                    "user_id",
                    day.alias("day"),
                    pl.col("count").alias("chat"),
                    pl.lit(0, pl.Int64).alias("mail"),
                ),
                mail.select(
                    "user_id",
                    day.alias("day"),
                    pl.lit(0, pl.Int64).alias("chat"),
                    pl.col("sent").alias("mail"),
                ),
            ]
        )
        .group_by("user_id", "day")
        .agg(pl.col("chat").sum(), pl.col("mail").sum())
        .with_columns(((pl.col("day") + 3) // 7).alias("week"))
    )
    weeks = sorted({(d + 3) // 7 for d in open_days})
    counts = dict.fromkeys(weeks, 0)
    for d in open_days:
        counts[(d + 3) // 7] += 1
    need = pl.LazyFrame(
        {"week": weeks, "need": [max(1, math.ceil(3 * counts[w] / 5 - 1e-9)) for w in weeks]}
    )
    per_person = (
        days.join(roster, on="user_id", how="inner")
        .with_columns(((pl.col("chat") > 0) & pl.col("day").is_in(open_days)).alias("bday"))
        .group_by("department", "week", "user_id")
        .agg(pl.col("chat").sum(), pl.col("mail").sum(), pl.col("bday").sum())
        .join(need, on="week", how="left")
    )
    active = pl.col("chat") > 0
    figures = per_person.group_by("department", "week").agg(
        active.sum().alias("active"),
        (active & (pl.col("bday") >= pl.col("need"))).sum().alias("habit"),
        pl.col("chat").sum(),
        pl.col("mail").sum(),
    )
    heads = roster.group_by("department").agg(pl.len().alias("headcount"))
    spine = heads.join(pl.LazyFrame({"week": weeks}), how="cross")
    return (
        spine.join(figures, on=["department", "week"], how="left")
        .with_columns(pl.col("active", "habit", "chat", "mail").fill_null(0))
        .select(
            "department",
            "week",
            (pl.col("active") / pl.col("headcount")).alias("any_use_rate"),
            (pl.col("habit") / pl.col("headcount")).alias("habit_rate"),
            pl.when(pl.col("chat") + pl.col("mail") > 0)
            .then(pl.col("chat") / (pl.col("chat") + pl.col("mail")))
            .otherwise(0.0)
            .alias("new_way_share"),
        )
        .sort("department", "week")
        .collect()
    )


def ours(folder: Path) -> Any:
    """The library's ``outcome_metrics`` on the same files."""
    from backoffice_marketing.adoption.outcome import outcome_metrics  # noqa: PLC0415

    frame = outcome_metrics(
        folder / "chat.parquet",
        folder / "mail.parquet",
        folder / "roster.parquet",
        start=START,
        end=START + dt.timedelta(days=DAYS - 1),
    )
    return frame.collect() if hasattr(frame, "collect") else frame


def run_one(kind: str, folder: Path, out: Path | None) -> None:
    """Time one side in this process; print a JSON line with seconds and peak RSS (MiB)."""
    import polars as pl  # noqa: PLC0415

    began = time.perf_counter()
    result = hand_written(folder) if kind == "hand" else ours(folder)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if out is not None:
        columns = ["department", "any_use_rate", "habit_rate", "new_way_share"]
        frame = result if kind == "hand" else result.rename({"period_start": "week"})
        if kind != "hand":
            epoch = dt.date(1970, 1, 1)
            frame = frame.with_columns(((pl.col("week") - pl.lit(epoch)).dt.total_days() + 3) // 7)
        frame.select(*columns[:1], pl.col("week").cast(pl.Int64), *columns[1:]).write_parquet(out)
    print(json.dumps({"kind": kind, "seconds": seconds, "peak_mib": peak, "rows": len(result)}))


def _child(kind: str, folder: Path, out: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--run", kind, "--data", str(folder)]
    if out is not None:
        command += ["--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def scale_option(text: str) -> float:
    """An argparse type: a share of the full size, above 0 and at most 1."""
    scale = float(text)
    if not 0 < scale <= 1:
        raise argparse.ArgumentTypeError(f"a scale above 0 and at most 1, not {text}")
    return scale


def ratio_verdict(ratio: float, paired: Spread, limit: float) -> str:
    """Whether a ratio of medians meets a goal of at most ``limit``.

    ``paired`` holds the ratio of each round's two runs: ``met`` when every round was
    within the goal, ``met on the median`` when only the ratio of medians was (a loaded
    machine), ``NOT met`` when the ratio of medians was over it.
    """
    if paired.high <= limit:
        return f"met (every paired run within {limit:g}x)"
    if ratio <= limit:
        return f"met on the median (paired runs up to {paired.high:.2f}x, over {limit:g}x)"
    return f"NOT met ({ratio:.2f}x, over {limit:g}x)"


def paired(runs: dict[str, list[dict[str, Any]]], field: str) -> Spread:
    """The ratio ours / hand-written of ``field`` in each round of the two sides' runs."""
    return Spread.from_samples(
        mine[field] / hand[field] for mine, hand in zip(runs["ours"], runs["hand"], strict=True)
    )


def check_equal(folder: Path) -> None:
    """Run each side once (not timed) and check that their numbers are the same."""
    import polars as pl  # noqa: PLC0415

    _child("hand", folder, folder / "hand.parquet")
    _child("ours", folder, folder / "ours.parquet")
    hand = pl.read_parquet(folder / "hand.parquet").sort("department", "week")
    mine = pl.read_parquet(folder / "ours.parquet").sort("department", "week")
    assert hand.shape == mine.shape, (hand.shape, mine.shape)
    for column in ("any_use_rate", "habit_rate", "new_way_share"):
        assert (hand[column] - mine[column]).abs().max() < 1e-12, column  # type: ignore[operator]


def main() -> None:
    """Make the data, check equal numbers, time both sides and print the two ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=scale_option, default=1.0, help="0.05: 5 %% of the rows")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    parser.add_argument("--run", choices=["hand", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_one(args.run, args.data, args.out)
        return
    import polars as pl  # noqa: PLC0415

    print_environment(
        ["backoffice-marketing", "polars", "narwhals", "pyarrow", "numpy", "holidays"]
    )
    runs: dict[str, list[dict[str, Any]]] = {"hand": [], "ours": []}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make_data(folder, args.scale)
        sizes = [
            pl.scan_parquet(folder / f"{log}.parquet").select(pl.len()).collect().item()
            for log in ("chat", "mail", "roster")
        ]
        departments = max(int(1_000 * args.scale), 5)
        print(
            f"scale {args.scale:g}: chat {sizes[0]:,} rows, mail {sizes[1]:,} rows, "
            f"{sizes[2]:,} people, {departments:,} departments, {DAYS} days"
        )
        check_equal(folder)
        print("numbers: equal (any-use, habit and share per department and week)")
        for index in range(args.runs):
            order = ("hand", "ours") if index % 2 == 0 else ("ours", "hand")
            for kind in order:
                runs[kind].append(_child(kind, folder))
    time_of = {kind: Spread.from_samples(r["seconds"] for r in done) for kind, done in runs.items()}
    peak_of = {
        kind: Spread.from_samples((r["peak_mib"] * 2**20 for r in done), "B")
        for kind, done in runs.items()
    }
    for kind, title in (("hand", "hand-written polars lazy"), ("ours", "outcome_metrics")):
        print(time_of[kind].line(f"{title}, time"))
        print(peak_of[kind].line("  peak resident set (own process)"))
    paired_time, paired_peak = paired(runs, "seconds"), paired(runs, "peak_mib")
    time_ratio = time_of["ours"].ratio(time_of["hand"])
    peak_ratio = peak_of["ours"].ratio(peak_of["hand"])
    highest = peak_of["ours"].high / peak_of["hand"].high
    print(
        f"time ratio (median ours / median hand-written): {time_ratio:.2f}x "
        f"(paired runs {paired_time.low:.2f}x..{paired_time.high:.2f}x)"
    )
    print(f"  goal <= 1.5x: {ratio_verdict(time_ratio, paired_time, 1.5)}")
    print(
        f"peak memory ratio (median peak ours / median peak hand-written): {peak_ratio:.2f}x "
        f"(paired runs {paired_peak.low:.2f}x..{paired_peak.high:.2f}x; "
        f"highest peaks {highest:.2f}x)"
    )
    print(f"  goal <= 1.0x: {ratio_verdict(peak_ratio, paired_peak, 1.0)}")


if __name__ == "__main__":
    main()
