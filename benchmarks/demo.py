"""Time ``backoffice-marketing demo`` end to end, as a user runs it (a fresh interpreter).

Prints the median wall time of several runs into a temporary folder, and the
time of each step of one in-process run; ``--limit-s`` turns the median into
a gate (the issue asks for under 30 s on a fresh machine).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(folder: Path) -> float:
    """Seconds for one ``demo`` in a fresh interpreter (imports included)."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603  (fixed command, our own interpreter)
        [sys.executable, "-m", "backoffice_marketing.cli", "demo", "--out", str(folder)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def steps(folder: Path) -> list[tuple[str, float]]:
    """Seconds spent in each step of one in-process run (after imports)."""
    from backoffice_marketing.demo import write_demo  # noqa: PLC0415

    marks: list[tuple[str, float]] = []
    write_demo(
        folder, progress=lambda label, _done, _total: marks.append((label, time.perf_counter()))
    )
    return [(label, end - start) for (label, start), (_, end) in itertools.pairwise(marks)]


def main() -> int:
    """Run the measurement; return 1 when the median is over the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit-s", type=float, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = [one_run(Path(tmp) / f"run{index}") for index in range(args.runs)]
        for label, seconds in steps(Path(tmp) / "steps"):
            print(f"  {label:<12} {seconds * 1000:8.0f} ms")
    median = statistics.median(times)
    print(f"demo: median {median:.2f} s over {args.runs} runs (min {min(times):.2f} s)")
    if args.limit_s is not None and median > args.limit_s:
        print(f"over the limit of {args.limit_s} s")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
