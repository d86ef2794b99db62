"""Time ``backoffice-marketing demo`` end to end, as a user runs it (a fresh interpreter).

Prints the median, min, max and IQR of the wall time of ``--runs`` runs (at
least 5) into a temporary folder, and the same for each step over as many
in-process runs; ``--limit-s`` turns the median into a gate (the issue asks
for under 30 s on a fresh machine).
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import MIN_RUNS, Spread, print_environment, runs_option

#: The distributions the demo exercises (inputs, reports, charts, workbooks, text checks, CLI).
PACKAGES = (
    "backoffice-marketing",
    "attrs",
    "cattrs",
    "jinja2",
    "polars",
    "narwhals",
    "pyarrow",
    "numpy",
    "pandas",
    "scipy",
    "openpyxl",
    "matplotlib",
    "vl-convert-python",
    "holidays",
    "fugashi",
    "jreadability",
    "click",
)


def one_run(folder: Path) -> float:
    """Seconds for one ``demo`` in a fresh interpreter (imports included)."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603  (fixed command, our own interpreter)
        [sys.executable, "-m", "backoffice_marketing.app.cli", "demo", "--out", str(folder)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def steps(folder: Path) -> list[tuple[str, float]]:
    """Seconds spent in each step of one in-process run (after imports)."""
    from backoffice_marketing.app.demo import write_demo  # noqa: PLC0415

    marks: list[tuple[str, float]] = []
    write_demo(
        folder, progress=lambda label, _done, _total: marks.append((label, time.perf_counter()))
    )
    return [(label, end - start) for (label, start), (_, end) in itertools.pairwise(marks)]


def main() -> int:
    """Run the measurement; return 1 when the median is over the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    parser.add_argument("--limit-s", type=float, default=None)
    args = parser.parse_args()
    print_environment(PACKAGES)
    with tempfile.TemporaryDirectory() as tmp:
        timing = Spread.from_samples(
            one_run(Path(tmp) / f"run{index}") for index in range(args.runs)
        )
        by_step: dict[str, list[float]] = {}
        for index in range(args.runs):
            for label, seconds in steps(Path(tmp) / f"steps{index}"):
                by_step.setdefault(label, []).append(seconds)
    print(timing.line("demo, fresh interpreter"))
    print(f"each step, in-process ({args.runs} runs; the first pays the imports):")
    for label, samples in by_step.items():
        print(Spread.from_samples(samples).line(f"  {label}"))
    median = timing.median
    if args.limit_s is not None and median > args.limit_s:
        print(f"over the limit of {args.limit_s} s")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
