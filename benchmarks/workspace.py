"""Benchmark of the workspace import (issue 17): 5,000 people, two years of daily usage.

The data are generated deterministically (seed 17): 5,000 people in 50
departments, 730 days from 2025-04-01; each person starts using chat on a
day of the first 200 and is then active on 90 % of the days, with one or two
events a day (about 3.6M events). They are written once as a CSV with text
timestamps (``2025-04-01T09:12:00+09:00``, as exports have them) and as
Parquet (with a zoned timestamp column).

Each measurement runs in a fresh process, so that its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) belongs to the import alone
(Linux keeps a parent's peak across fork and exec, so the data are generated
in a process of their own too):

* ``csv``: one ``Workspace.import_usage`` of the whole CSV (weekly rates);
* ``parquet``: the same from Parquet;
* ``again``: importing the same CSV a second time (hash only, a no-op);
* ``weekly``: the log split into ISO-week CSV files, imported one by one
  (the weekly ``update`` of a real team), total and per file;
* ``update``: on top of two years of history (all weeks but the last, 2,000
  questions, 24 monthly assessments), one ``update`` with the last week (import,
  recompute, ``reports/``), then the dashboard: its seconds and its size.

Each measurement runs ``--runs`` times (at least 5), each time in a fresh process
on a fresh workspace; times and peaks are given as median, min, max and IQR.

Run: ``.venv/bin/python benchmarks/workspace.py [--people 5000] [--days 730]``
(``--quick``: 1,000 people over the same 730 days, the same number of runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import MIN_RUNS, Spread, Unit, print_environment, runs_option

START = dt.date(2025, 4, 1)
#: The figures that vary from run to run, with their unit; the others are the same every run.
VARYING: dict[str, Unit] = {
    "seconds": "s",
    "slowest_file_s": "s",
    "update_seconds": "s",
    "dashboard_seconds": "s",
    "baseline_rss": "B",
    "peak_rss": "B",
}
MODES = ("csv", "parquet", "again", "weekly", "update")


def generate(folder: Path, people: int, days: int) -> int:
    """Write roster.csv, usage.csv, usage.parquet and weekly/*.csv; return the event count."""
    import numpy as np  # noqa: PLC0415
    import polars as pl  # noqa: PLC0415

    rng = np.random.default_rng(17)
    departments = 50
    roster = pl.DataFrame(
        {
            "user_id": [f"u{index:05d}@example.co.jp" for index in range(people)],
            "department": [f"部署{index % departments:02d}" for index in range(people)],
        }
    )
    roster.write_csv(folder / "roster.csv")
    starts = rng.integers(0, 200, people)
    person = np.repeat(np.arange(people), days)
    day = np.tile(np.arange(days), people)
    active = (day >= starts[person]) & (rng.random(people * days) < 0.9)
    person, day = person[active], day[active]
    twice = rng.random(len(person)) < 0.3
    person = np.concatenate([person, person[twice]])
    day = np.concatenate([day, day[twice]])
    seconds = rng.integers(8 * 3600, 19 * 3600, len(person))
    base = np.datetime64(START.isoformat(), "s")
    stamps = base + (day * 86_400 + seconds).astype("timedelta64[s]")
    order = np.lexsort((stamps, person))
    events = pl.DataFrame(
        {
            "user_id": roster["user_id"].to_numpy()[person[order]],
            "local": stamps[order].astype("datetime64[us]"),
        }
    ).with_columns(pl.col("local").dt.strftime("%Y-%m-%dT%H:%M:%S+09:00").alias("timestamp"))
    events = events.sort("local", "user_id")
    table = events.select("user_id", "timestamp")
    table.write_csv(folder / "usage.csv")
    zoned = pl.col("local").dt.replace_time_zone("Asia/Tokyo").alias("timestamp")
    events.select("user_id", zoned).write_parquet(folder / "usage.parquet")
    weekly = folder / "weekly"
    weekly.mkdir()
    keyed = events.with_columns(pl.col("local").dt.strftime("%G-W%V").alias("week"))
    for (week,), part in keyed.group_by("week", maintain_order=True):
        part.select("user_id", "timestamp").write_csv(weekly / f"usage-{week}.csv")
    return len(table)


def _prepare_history(workspace: object, folder: Path, files: list[Path]) -> None:
    """Everything but the last week: usage, 2,000 questions, 24 monthly assessments, settings."""
    import backoffice_marketing as bm  # noqa: PLC0415

    roster = folder / "roster.csv"
    departments = [bm.Department(f"部署{index:02d}", headcount=100) for index in range(50)]
    initiative = bm.Initiative(
        id="chat-migration",
        name=bm.LocalizedText("チャット移行", "Chat migration"),
        playbook="chat-migration",
        start=START,
        departments=departments,
    )
    root = workspace.path  # type: ignore[attr-defined]
    from backoffice_marketing.foundation.io.atomic import write_policy  # noqa: PLC0415

    with write_policy(workspace=root):  # the safe writer writes a workspace's own inputs only so
        initiative.save(root / "initiative.toml")
    (root / "inputs" / "roster.csv").write_bytes(roster.read_bytes())
    for path in files[:-1]:
        workspace.import_usage(path, roster)  # type: ignore[attr-defined]
    lines = ["id,text,received_on,channel,kind,anonymous,department"]
    for index in range(2000):
        day = START + dt.timedelta(days=index % 700)
        lines.append(
            f"q{index:04d},チャットの使い方について質問{index % 40},{day.isoformat()},"
            f"chat,question,false,部署{index % 50:02d}"
        )
    questions = root / "inputs" / "questions.csv"
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace.import_questions(questions)  # type: ignore[attr-defined]
    for month in range(24):
        on = dt.date(
            START.year + (START.month - 1 + month) // 12, (START.month - 1 + month) % 12 + 1, 1
        )
        level = "done" if month > 12 else "partial"
        assessment = bm.Assessment("chat-migration", on).answer("materials.why", level)
        workspace.record_assessment(assessment, on=on)  # type: ignore[attr-defined]


def measure_update(folder: Path, root: Path) -> dict[str, float | int]:
    """An update with the last week on top of two years of history, then the dashboard."""
    from backoffice_marketing.workspace import Workspace  # noqa: PLC0415
    from backoffice_marketing.workspace.dashboard import dashboard_html  # noqa: PLC0415
    from backoffice_marketing.workspace.reports import write_reports  # noqa: PLC0415
    from backoffice_marketing.workspace.run import load_state, update  # noqa: PLC0415

    files = sorted((folder / "weekly").glob("usage-*.csv"))
    with Workspace.create(root) as workspace:
        _prepare_history(workspace, folder, files)
        started = time.perf_counter()
        update(workspace, [files[-1]])
        state = load_state(workspace)
        write_reports(workspace, state)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        page = dashboard_html(state, lang="ja")
        dashboard_seconds = time.perf_counter() - started
    return {
        "update_seconds": seconds,
        "dashboard_seconds": dashboard_seconds,
        "dashboard_mib": round(len(page.encode("utf-8")) / 2**20, 3),
        "periods": len({row.period for row in state.rates}),
        "questions": len(state.questions),
    }


def measure(mode: str, folder: Path, root: Path) -> dict[str, float | int]:
    """Run one measurement in this process (a fresh one) and return its figures."""
    # The libraries are loaded before the baseline, as a long-running script has them.
    import numpy  # noqa: F401, PLC0415
    import polars  # noqa: F401, PLC0415
    import pyarrow  # type: ignore[import-untyped]  # noqa: F401, PLC0415

    import backoffice_marketing.adoption  # noqa: F401, PLC0415
    from backoffice_marketing.adoption.frames import narwhals  # noqa: PLC0415
    from backoffice_marketing.workspace import Workspace  # noqa: PLC0415

    narwhals()

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    roster = folder / "roster.csv"
    figures: dict[str, float | int] = {}
    with Workspace.create(root) as workspace:
        started = time.perf_counter()
        if mode == "weekly":
            files = sorted((folder / "weekly").glob("usage-*.csv"))
            slowest = 0.0
            for path in files:
                one = time.perf_counter()
                workspace.import_usage(path, roster)
                slowest = max(slowest, time.perf_counter() - one)
            figures["files"] = len(files)
            figures["slowest_file_s"] = slowest
        elif mode == "again":
            workspace.import_usage(folder / "usage.csv", roster)
            started = time.perf_counter()
            result = workspace.import_usage(folder / "usage.csv", roster)
            assert result.duplicate
        else:
            name = "usage.parquet" if mode == "parquet" else "usage.csv"
            workspace.import_usage(folder / name, roster)
        figures["seconds"] = time.perf_counter() - started
        figures["rate_rows"] = len(workspace.rates())
        figures["sources"] = len(workspace.history())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["baseline_rss"] = baseline * 1024
    figures["peak_rss"] = peak * 1024
    figures["store_mib"] = round((root / "history.sqlite").stat().st_size / 2**20, 2)
    return figures


def summary(runs: list[dict[str, float | int]]) -> list[str]:
    """One line per varying figure (median and spread), then the figures every run shares."""
    lines = [
        Spread.from_samples([run[key] for run in runs], VARYING[key]).line(f"  {key}")
        for key in VARYING
        if key in runs[0]
    ]
    fixed = {key: sorted({run[key] for run in runs}) for key in runs[0] if key not in VARYING}
    lines.append(
        "  "
        + ", ".join(
            f"{key} {values[0] if len(values) == 1 else values}" for key, values in fixed.items()
        )
    )
    return lines


def run_mode(mode: str, folder: Path, index: int) -> dict[str, float | int]:
    """One measurement of ``mode`` in a fresh process, on a fresh workspace (removed after)."""
    root = folder / f"ws-{mode}-{index}"
    done = subprocess.run(  # noqa: S603  (this script, this interpreter)
        [
            *(sys.executable, __file__, "--measure", mode),
            *("--folder", str(folder), "--root", str(root)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    shutil.rmtree(root, ignore_errors=True)
    figures: dict[str, float | int] = json.loads(done.stdout)
    return figures


def main() -> None:
    """Generate the data once, then run each measurement in fresh processes and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 people, same runs")
    parser.add_argument("--people", type=int, default=None, help="default 5,000 (quick 1,000)")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    parser.add_argument("--measure", choices=["generate", *MODES])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--root", type=Path, help="the workspace of one measurement")
    arguments = parser.parse_args()
    people = arguments.people or (1000 if arguments.quick else 5000)
    if arguments.measure == "generate":
        print(generate(arguments.folder, people, arguments.days))
        return
    if arguments.measure == "update":
        print(json.dumps(measure_update(arguments.folder, arguments.root)))
        return
    if arguments.measure:
        print(json.dumps(measure(arguments.measure, arguments.folder, arguments.root)))
        return
    print_environment(["backoffice-marketing", "polars", "narwhals", "pyarrow", "numpy", "jinja2"])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        made = subprocess.run(  # noqa: S603  (this script, this interpreter)
            [
                *(sys.executable, __file__, "--measure", "generate", "--folder", name),
                *("--people", str(people), "--days", str(arguments.days)),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        events = int(made.stdout)
        size = (folder / "usage.csv").stat().st_size / 2**20
        print(
            f"data: {people} people, {arguments.days} days, {events:,} events, "
            f"CSV {size:.0f} MiB (generated in {time.perf_counter() - started:.1f} s)"
        )
        for mode in MODES:
            runs = [run_mode(mode, folder, index) for index in range(arguments.runs)]
            print(f"{mode} ({arguments.runs} runs, each in a fresh process):")
            print("\n".join(summary(runs)))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
