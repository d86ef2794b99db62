"""The shared part of the benchmark scripts: where they ran, and repeated measurements.

Every script in ``benchmarks/`` prints :func:`environment` first (machine, OS,
Python, the versions of the packages it exercises, the commit and the time of
the run), then one :meth:`Spread.line` per measurement: the median of at least
:data:`MIN_RUNS` runs with their minimum, maximum and interquartile range.
Comparisons (ratios against a baseline) are taken between medians
(:meth:`Spread.ratio`).

The scripts run as ``python benchmarks/x.py``, so this folder is first on
``sys.path`` and they import it as ``from harness import ...``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

import attrs

#: The fewest runs a measurement may have; ``--quick`` makes inputs smaller, never fewer runs.
MIN_RUNS = 5

Unit = Literal["s", "B"]


def _check_samples(_instance: object, _attribute: object, samples: tuple[float, ...]) -> None:
    """Refuse an empty set of samples (no median)."""
    if not samples:
        raise ValueError("a spread needs at least one sample")


def _as_floats(samples: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(sample) for sample in samples)


@attrs.frozen
class Spread:
    """The samples of one measurement repeated several times (seconds or bytes)."""

    samples: tuple[float, ...] = attrs.field(converter=_as_floats, validator=_check_samples)
    unit: Unit = "s"

    @classmethod
    def from_samples(cls, samples: Iterable[float], unit: Unit = "s") -> Spread:
        """The spread of samples measured elsewhere (in fresh processes, for example)."""
        return cls(tuple(float(sample) for sample in samples), unit)

    @property
    def runs(self) -> int:
        """The number of samples."""
        return len(self.samples)

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        """The smallest sample."""
        return min(self.samples)

    @property
    def high(self) -> float:
        """The largest sample."""
        return max(self.samples)

    @property
    def quartiles(self) -> tuple[float, float]:
        """The first and third quartiles (inclusive method; both the sample for one run)."""
        if len(self.samples) == 1:
            return self.samples[0], self.samples[0]
        first, _median, third = statistics.quantiles(self.samples, n=4, method="inclusive")
        return first, third

    def ratio(self, baseline: Spread) -> float:
        """The ratio of the medians: this one over the baseline's."""
        return self.median / baseline.median

    def scale(self) -> tuple[float, str]:
        """The divisor and unit to show this spread in: ms below a second, else s; MiB."""
        if self.unit == "B":
            return 2**20, "MiB"
        return (0.001, "ms") if abs(self.median) < 1 else (1.0, "s")

    def line(self, name: str) -> str:
        """``name``, the median, then min, interquartile range and max, and the run count."""
        divisor, unit = self.scale()
        first, third = self.quartiles
        low, q1, median, q3, high = (
            f"{value / divisor:.{3 if unit == 's' else 1}f}"
            for value in (self.low, first, self.median, third, self.high)
        )
        return (
            f"{name}: median {median} {unit} "
            f"(min {low}, IQR {q1}..{q3}, max {high} {unit}; {self.runs} runs)"
        )


def _check_runs(runs: int) -> None:
    """Refuse fewer than :data:`MIN_RUNS` runs."""
    if runs < MIN_RUNS:
        raise ValueError(f"at least {MIN_RUNS} runs are needed, not {runs}")


def time_runs_with_cpu(action: Callable[[], object], runs: int = MIN_RUNS) -> tuple[Spread, Spread]:
    """The wall times and the CPU times (this process) of ``runs`` calls of ``action``.

    The garbage of earlier calls is collected before each call, outside the timing.
    """
    _check_runs(runs)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        gc.collect()
        began, began_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return Spread.from_samples(wall), Spread.from_samples(cpu)


def time_runs(action: Callable[[], object], runs: int = MIN_RUNS) -> Spread:
    """The wall times of ``runs`` calls of ``action``."""
    return time_runs_with_cpu(action, runs)[0]


def verdict(spread: Spread, limit: float) -> str:
    """Whether a timing meets a target of ``limit`` seconds, judged on its median.

    ``met`` when every run was under the limit, ``met on the median`` when the median
    was but not every run (a loaded machine), ``NOT met`` when the median was over.
    """
    if spread.high < limit:
        return f"met (every run under {limit:g} s)"
    if spread.median < limit:
        return f"met on the median (max {spread.high:.3f} s, over {limit:g} s)"
    return f"NOT met (median {spread.median:.3f} s, over {limit:g} s)"


def _status_kib(field: str, status: Path) -> int | None:
    """A ``Vm...`` figure of ``/proc/self/status`` in KiB, or None where there is none."""
    try:
        lines = status.read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return None


def _reset_peak_rss(clear_refs: Path) -> bool:
    """Reset this process' peak resident set size (Linux); False where it cannot be."""
    try:
        clear_refs.write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


@attrs.frozen
class MemoryRuns:
    """Peak memory of repeated calls: Python allocations, and resident set growth (Linux)."""

    python_peak: Spread
    rss_growth: Spread | None


def memory_runs(
    action: Callable[[], object],
    runs: int = MIN_RUNS,
    *,
    proc: Path = Path("/proc/self"),
) -> MemoryRuns:
    """The peak memory of ``runs`` calls of ``action`` (timed apart: tracing slows them).

    ``python_peak`` is the peak of the allocations that ``tracemalloc`` sees (Python
    objects and numpy buffers, not the memory of polars or pyarrow); ``rss_growth``
    is the process' peak resident set during the call less its resident set before,
    which counts every allocator, or None where the peak cannot be reset (not Linux).
    """
    _check_runs(runs)
    python: list[float] = []
    growth: list[float] = []
    for _ in range(runs):
        gc.collect()
        resettable = _reset_peak_rss(proc / "clear_refs")
        before = _status_kib("VmRSS", proc / "status")
        tracemalloc.start()
        try:
            action()
            python.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        peak = _status_kib("VmHWM", proc / "status")
        if resettable and before is not None and peak is not None:
            growth.append(max(peak - before, 0) * 1024)
    return MemoryRuns(
        Spread.from_samples(python, "B"),
        Spread.from_samples(growth, "B") if len(growth) == runs else None,
    )


def runs_option(text: str) -> int:
    """An argparse type: a run count of at least :data:`MIN_RUNS`."""
    runs = int(text)
    if runs < MIN_RUNS:
        raise argparse.ArgumentTypeError(f"at least {MIN_RUNS} runs, not {runs}")
    return runs


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name from ``/proc/cpuinfo``, else ``platform.processor()``."""
    try:
        lines = cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return value.strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def total_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """The machine's total memory in bytes, or None where it cannot be read."""
    kib = _status_kib("MemTotal", meminfo)
    if kib is not None:
        return kib * 1024
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def package_version(name: str) -> str:
    """The installed version of a distribution, or ``not installed``."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


HERE = Path(__file__).resolve().parent


def commit(folder: Path = HERE) -> str:
    """The git commit of the code measured, marked when the worktree has changes."""
    try:
        head = subprocess.run(  # noqa: S603  (fixed command)
            ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603  (fixed command)
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def environment(packages: Iterable[str], *, now: dt.datetime | None = None) -> str:
    """Where and when the benchmark runs: date, machine, OS, Python, packages, commit."""
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    memory = total_memory()
    shown = f"{memory / 2**30:.1f} GiB memory" if memory is not None else "memory unknown"
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = (
        " ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    )
    versions = ", ".join(f"{name} {package_version(name)}" for name in packages)
    return "\n".join(
        (
            f"date:     {when:%Y-%m-%d %H:%M} UTC",
            f"machine:  {cpu_model()}, {cores} cores ({usable} usable), {shown}",
            f"os:       {platform.platform()}; load average {load}",
            f"python:   {platform.python_implementation()} {platform.python_version()}",
            f"packages: {versions or '-'}",
            f"commit:   {commit()}",
        )
    )


def print_environment(packages: Iterable[str]) -> None:
    """Print :func:`environment` and a blank line, before the measurements."""
    print(environment(packages))
    print()
    sys.stdout.flush()
