"""The benchmark harness: medians and spreads, the environment it prints, and its use."""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import importlib.metadata
import importlib.util
import platform
import random
import statistics
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
#: Scripts the harness checks below leave out (none: every script uses the harness).
CONVERTED_ELSEWHERE: frozenset[str] = frozenset()

samples_strategy = st.lists(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
)


def _harness() -> ModuleType:
    """benchmarks/harness.py, loaded by path (the scripts import it from their own folder)."""
    name = "benchmarks_harness"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / "harness.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_spread_of_known_samples() -> None:
    """Five known samples give their median, extremes, quartiles and the ratio of medians."""
    h = _harness()
    spread = h.Spread.from_samples([5, 1, 4, 2, 30])
    base = h.Spread.from_samples([2, 2, 2, 2, 2])
    assert (spread.median, spread.low, spread.high, spread.runs) == (4, 1, 30, 5)
    assert spread.quartiles == (2, 5)
    assert spread.ratio(base) == 2


def test_spread_of_one_sample() -> None:
    """A single sample is its own median and quartiles."""
    spread = _harness().Spread.from_samples([0.25])
    assert spread.quartiles == (0.25, 0.25)
    assert spread.median == 0.25


def test_spread_refuses_no_samples() -> None:
    """No samples, no median: a ValueError."""
    with pytest.raises(ValueError, match="at least one sample"):
        _harness().Spread.from_samples([])


@given(samples_strategy)
def test_spread_is_ordered(samples: list[float]) -> None:
    """Min <= first quartile <= median <= third quartile <= max, the median statistics'."""
    spread = _harness().Spread.from_samples(samples)
    first, third = spread.quartiles
    assert spread.low <= first <= spread.median <= third <= spread.high
    assert spread.median == statistics.median(samples)


@given(samples_strategy, st.randoms())
def test_spread_ignores_order(samples: list[float], rnd: random.Random) -> None:
    """Shuffling the samples changes neither the median nor the spread."""
    h = _harness()
    shuffled = list(samples)
    rnd.shuffle(shuffled)
    one, two = h.Spread.from_samples(samples), h.Spread.from_samples(shuffled)
    assert (one.median, one.low, one.high, one.quartiles) == (
        two.median,
        two.low,
        two.high,
        two.quartiles,
    )


def test_line_shows_median_spread_and_runs() -> None:
    """The line names the measurement, in ms below a second, s above, and MiB for bytes."""
    h = _harness()
    fast = h.Spread.from_samples([0.010, 0.012, 0.011, 0.013, 0.020])
    assert fast.line("parse") == (
        "parse: median 12.0 ms (min 10.0, IQR 11.0..13.0, max 20.0 ms; 5 runs)"
    )
    slow = h.Spread.from_samples([2, 3, 4, 5, 6])
    assert slow.line("load") == (
        "load: median 4.000 s (min 2.000, IQR 3.000..5.000, max 6.000 s; 5 runs)"
    )
    memory = h.Spread.from_samples([2**20] * 5, "B")
    assert (
        memory.line("peak") == "peak: median 1.0 MiB (min 1.0, IQR 1.0..1.0, max 1.0 MiB; 5 runs)"
    )


def test_verdict_is_judged_on_the_median() -> None:
    """Every run under the limit, only the median under it, and the median over it differ."""
    h = _harness()
    assert h.verdict(h.Spread.from_samples([1, 2, 3, 4, 4.5]), 5).startswith("met (every run")
    on_median = h.verdict(h.Spread.from_samples([1, 2, 3, 4, 9]), 5)
    assert on_median == "met on the median (max 9.000 s, over 5 s)"
    assert h.verdict(h.Spread.from_samples([1, 6, 7, 8, 9]), 5).startswith("NOT met (median 7")


def test_time_runs_calls_the_action_each_run() -> None:
    """time_runs calls the action once per run and keeps one wall time per call."""
    calls: list[int] = []
    timing = _harness().time_runs(lambda: calls.append(1), runs=7)
    assert len(calls) == 7
    assert timing.runs == 7
    assert timing.low >= 0


def test_time_runs_with_cpu_counts_work() -> None:
    """CPU time of a busy loop is positive, measured in the same runs as the wall time."""
    wall, cpu = _harness().time_runs_with_cpu(lambda: sum(range(200_000)))
    assert wall.runs == cpu.runs == 5
    assert cpu.median > 0


def test_fewer_than_five_runs_are_refused() -> None:
    """Best-of-1 is gone: time_runs, memory_runs and the --runs option refuse 4 runs."""
    h = _harness()
    with pytest.raises(ValueError, match="at least 5 runs"):
        h.time_runs(lambda: None, runs=4)
    with pytest.raises(ValueError, match="at least 5 runs"):
        h.memory_runs(lambda: None, runs=4)
    with pytest.raises(argparse.ArgumentTypeError):
        h.runs_option("4")
    assert h.runs_option("5") == 5


def test_memory_runs_sees_an_allocation() -> None:
    """A 4 MiB buffer shows in the Python peak of every run."""
    memory = _harness().memory_runs(lambda: bytearray(4 * 2**20))
    assert memory.python_peak.low >= 4 * 2**20
    assert memory.python_peak.unit == "B"


def test_memory_runs_reads_the_resident_peak(tmp_path: Path) -> None:
    """The resident growth is the peak (VmHWM) less the resident set (VmRSS) before."""
    (tmp_path / "status").write_text("Name:\tx\nVmHWM:\t   3072 kB\nVmRSS:\t   1024 kB\n")
    (tmp_path / "clear_refs").write_text("")
    memory = _harness().memory_runs(lambda: None, proc=tmp_path)
    assert memory.rss_growth is not None
    assert memory.rss_growth.samples == (2 * 2**20,) * 5
    assert (tmp_path / "clear_refs").read_text() == "5"


def test_memory_runs_without_a_resettable_peak(tmp_path: Path) -> None:
    """Where the peak cannot be reset (no /proc), only the Python peak is given."""
    memory = _harness().memory_runs(lambda: None, proc=tmp_path / "absent")
    assert memory.rss_growth is None
    assert memory.python_peak.runs == 5


def test_cpu_model_and_memory_from_files(tmp_path: Path) -> None:
    """The model name and total memory come from cpuinfo and meminfo, with fallbacks."""
    h = _harness()
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Test CPU 3000\n")
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       2048 kB\n")
    assert h.cpu_model(cpuinfo) == "Test CPU 3000"
    assert h.total_memory(meminfo) == 2048 * 1024
    fallback = platform.processor() or platform.machine() or "unknown CPU"
    assert h.cpu_model(tmp_path / "absent") == fallback
    assert h.total_memory(tmp_path / "absent") != 2048 * 1024


def test_package_version_of_a_missing_package() -> None:
    """A package that is not installed is said to be so, not an error."""
    assert _harness().package_version("no-such-package-here") == "not installed"


def test_commit_outside_a_repository(tmp_path: Path) -> None:
    """Outside a git worktree the commit is unknown."""
    assert _harness().commit(tmp_path) == "unknown"


def test_environment_names_python_packages_and_date() -> None:
    """The environment gives the date, the machine, Python's version and a package's."""
    text = _harness().environment(["attrs"], now=dt.datetime(2027, 1, 2, 3, 4, tzinfo=dt.UTC))
    assert "date:     2027-01-02 03:04 UTC" in text
    assert f"python:   {platform.python_implementation()} {platform.python_version()}" in text
    assert f"attrs {importlib.metadata.version('attrs')}" in text
    assert "cores" in text
    assert "memory" in text


def test_print_environment(capsys: pytest.CaptureFixture[str]) -> None:
    """print_environment prints the environment and a blank line."""
    _harness().print_environment(["attrs"])
    out = capsys.readouterr().out
    assert out.startswith("date:")
    assert out.endswith("\n\n")


def _imports_harness(path: Path) -> bool:
    """Whether a script imports the harness, at its top or inside a function."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "harness":
            return True
        if isinstance(node, ast.Import) and any(a.name == "harness" for a in node.names):
            return True
    return False


def test_every_script_uses_the_harness() -> None:
    """Every benchmark script imports the harness, so none forgets the environment or spread."""
    scripts = sorted(BENCHMARKS.glob("*.py"))
    assert len(scripts) > 3
    checked = [p for p in scripts if p.name != "harness.py" and p.name not in CONVERTED_ELSEWHERE]
    missing = [path.name for path in checked if not _imports_harness(path)]
    assert missing == []


def test_no_script_keeps_its_own_best_of() -> None:
    """No script defines its own best_of: one piece of code times every benchmark."""
    for path in sorted(BENCHMARKS.glob("*.py")):
        if path.name in CONVERTED_ELSEWHERE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert "best_of" not in names, path.name
