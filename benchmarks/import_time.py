"""Measure the import time of ``backoffice_marketing`` with ``python -X importtime``.

Prints the total (the cumulative time of the top-level import) as the median,
min, max and interquartile range of several fresh interpreter runs (at least 5);
``--limit-ms`` turns the median into a gate.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from harness import Spread, print_environment, runs_option

_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|\s*(\S.*)$")


def total_microseconds(module: str) -> int:
    """The cumulative import time of ``module`` in one fresh interpreter."""
    result = subprocess.run(  # noqa: S603  (fixed command, our own interpreter)
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stderr.splitlines():
        match = _LINE.match(line)
        if match and match.group(3).strip() == module:
            return int(match.group(2))
    raise RuntimeError(f"no import time line for {module}")


def main() -> int:
    """Run the measurement; return 1 when over the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--module", default="backoffice_marketing")
    parser.add_argument("--runs", type=runs_option, default=7, help="at least 5")
    parser.add_argument("--limit-ms", type=float, default=None)
    args = parser.parse_args()
    print_environment(["backoffice-marketing", "attrs"])
    timing = Spread.from_samples(total_microseconds(args.module) / 1e6 for _ in range(args.runs))
    print(timing.line(f"import {args.module}"))
    median_ms = timing.median * 1000
    if args.limit_ms is not None and median_ms > args.limit_ms:
        print(f"over the limit of {args.limit_ms} ms")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
