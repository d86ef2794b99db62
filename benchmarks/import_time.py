"""Measure the import time of ``backoffice_marketing`` with ``python -X importtime``.

Prints the total (the cumulative time of the top-level import) as the median of
several fresh interpreter runs; ``--limit-ms`` turns it into a gate.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys

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
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--limit-ms", type=float, default=None)
    args = parser.parse_args()
    samples = [total_microseconds(args.module) for _ in range(args.runs)]
    median_ms = statistics.median(samples) / 1000
    print(
        f"import {args.module}: median {median_ms:.1f} ms over {args.runs} runs "
        f"(min {min(samples) / 1000:.1f} ms, max {max(samples) / 1000:.1f} ms)"
    )
    if args.limit_ms is not None and median_ms > args.limit_ms:
        print(f"over the limit of {args.limit_ms} ms")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
