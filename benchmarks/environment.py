"""What a benchmark ran on, and the median and spread of its runs (shared by the scripts)."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata

#: The packages whose versions a benchmark reports.
PACKAGES = ("backoffice-marketing", "fugashi", "unidic-lite", "jreadability", "attrs")


def describe() -> str:
    """The machine, Python and dependency versions, on one line each."""
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return "\n".join(
        [
            f"machine: {platform.machine()} {platform.processor() or ''}".rstrip()
            + f", {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
            f"python: {sys.version.split()[0]} ({platform.python_implementation()})",
            "packages: " + ", ".join(versions),
        ]
    )


def runs(count: int, action: Callable[[], object]) -> list[float]:
    """The wall times of ``count`` calls of ``action``, in seconds."""
    times = []
    for _ in range(count):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return times


def summary(times: list[float]) -> str:
    """``median (min-max, n runs)`` in seconds."""
    return (
        f"median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} runs)"
    )
