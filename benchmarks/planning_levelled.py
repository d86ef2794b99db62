"""Benchmark levelled, notice-aware plans (issue 15).

Measures, in one run:

1. ``chat-migration`` with levelling (3 sessions a day for IT) for 1,000
   departments: ``Plan.from_playbook`` and ``plan.replan`` (target: under 1 s);
2. a synthetic 100k-task playbook without levelling (no per-department task,
   so nothing to level) against a plain Kahn sort plus forward pass over the
   same task graph (target: within 2x), in CPU time as well as wall time,
   because the machine this runs on is shared and wall times jump.

Each figure is the median (with min, max and IQR) of ``--runs`` runs, at least 5;
wall and CPU times come from the same runs, and ratios are between medians.

Run: ``python benchmarks/planning_levelled.py`` (``--quick``: 100 departments and
10k tasks, the same number of runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from collections.abc import Callable
from pathlib import Path

from harness import MIN_RUNS, print_environment, runs_option, time_runs_with_cpu

from backoffice_marketing.diagnosis.planning.plan import Plan
from backoffice_marketing.diagnosis.playbooks import load_playbook

sys.path.insert(0, str(Path(__file__).parent))
from planning import baseline_schedule, synthetic_playbook

START = dt.date(2027, 4, 1)


def paused(action: Callable[[], object]) -> Callable[[], object]:
    """``action`` with the cyclic garbage collector paused, as the planner runs."""

    def run() -> object:
        gc.disable()
        try:
            return action()
        finally:
            gc.enable()

    return run


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, same runs")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    args = parser.parse_args()
    print_environment(["backoffice-marketing", "attrs", "networkx", "holidays"])
    runs = args.runs
    count = 100 if args.quick else 1000
    size = 10_000 if args.quick else 100_000

    departments = {f"dept-{i:04d}": 20 + i % 300 for i in range(count)}
    chat = load_playbook("chat-migration")
    plan = Plan.from_playbook(chat, start=START, departments=departments)
    wall, cpu = time_runs_with_cpu(
        lambda: Plan.from_playbook(chat, start=START, departments=departments), runs
    )
    name = f"chat-migration, levelled, {count} departments ({len(plan.tasks)} tasks)"
    print(wall.line(f"{name}, wall"))
    print(cpu.line(f"{name}, CPU"))
    print(
        f"  {plan.start}..{plan.finish}; median "
        f"{'within' if wall.median < 1 else 'OVER'} the 1 s target"
    )
    launch = plan.milestone("launch")
    assert launch is not None
    names = list(departments)
    rates = {name: (0.5 if index % 4 == 0 else 0.95) for index, name in enumerate(names)}
    done = {t.id: t.finish for t in plan.tasks if t.finish <= launch.date}
    wall, cpu = time_runs_with_cpu(
        lambda: plan.replan(progress=done, rates=rates, today=launch.date).tasks, runs
    )
    name = (
        f"replan after launch ({len(done)} tasks done, {count // 4} departments flagged, "
        "task objects included)"
    )
    print(wall.line(f"{name}, wall"))
    print(cpu.line(f"{name}, CPU"))

    playbook = synthetic_playbook(size)
    ours = time_runs_with_cpu(
        lambda: Plan.from_playbook(playbook, start=START, departments={"all": 1}), runs
    )
    base = time_runs_with_cpu(lambda: baseline_schedule(playbook), runs)
    base_paused = time_runs_with_cpu(paused(lambda: baseline_schedule(playbook)), runs)
    prefix = f"synthetic {size:,} tasks, no levelling"
    print(ours[0].line(f"{prefix}: Plan.from_playbook, wall"))
    print(ours[1].line(f"{prefix}: Plan.from_playbook, CPU"))
    print(base[0].line(f"{prefix}: plain Kahn + forward pass, wall"))
    print(base[1].line(f"{prefix}: plain Kahn + forward pass, CPU"))
    print(base_paused[1].line(f"{prefix}: the same with the GC paused, CPU"))
    print(
        f"{prefix}, ratios of medians: {ours[0].ratio(base[0]):.2f}x wall, "
        f"{ours[1].ratio(base[1]):.2f}x CPU, {ours[1].ratio(base_paused[1]):.2f}x CPU against "
        "the paused baseline (target: within 2x)"
    )


if __name__ == "__main__":
    main()
