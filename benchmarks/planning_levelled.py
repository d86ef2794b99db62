"""Benchmark levelled, notice-aware plans (issue 15).

Measures, in one run:

1. ``chat-migration`` with levelling (3 sessions a day for IT) for 1,000
   departments: ``Plan.from_playbook`` and ``plan.replan`` (target: under 1 s);
2. a synthetic 100k-task playbook without levelling (no per-department task,
   so nothing to level) against a plain Kahn sort plus forward pass over the
   same task graph (target: within 2x), in CPU time as well as wall time,
   because the machine this runs on is shared and wall times jump.

Run: ``python benchmarks/planning_levelled.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

from backoffice_marketing.planning import Plan
from backoffice_marketing.playbooks import load_playbook

sys.path.insert(0, str(Path(__file__).parent))
from planning import baseline_schedule, synthetic_playbook

START = dt.date(2027, 4, 1)


def best_of(runs: int, action: Callable[[], object]) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``runs`` calls, in seconds."""
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return min(wall), min(cpu)


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
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    args = parser.parse_args()
    runs = 1 if args.quick else 5
    count = 100 if args.quick else 1000
    size = 10_000 if args.quick else 100_000

    departments = {f"dept-{i:04d}": 20 + i % 300 for i in range(count)}
    chat = load_playbook("chat-migration")
    plan = Plan.from_playbook(chat, start=START, departments=departments)
    wall, cpu = best_of(
        runs, lambda: Plan.from_playbook(chat, start=START, departments=departments)
    )
    print(
        f"chat-migration, levelled, {count} departments: {len(plan.tasks)} tasks, "
        f"{plan.start}..{plan.finish}, in {wall * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU)"
        f" -> {'OK' if wall < 1 else 'OVER'} the 1 s target"
    )
    launch = plan.milestone("launch")
    assert launch is not None
    names = list(departments)
    rates = {name: (0.5 if index % 4 == 0 else 0.95) for index, name in enumerate(names)}
    done = {t.id: t.finish for t in plan.tasks if t.finish <= launch.date}
    wall, cpu = best_of(
        runs, lambda: plan.replan(progress=done, rates=rates, today=launch.date).tasks
    )
    print(
        f"replan after launch ({len(done)} tasks done, {count // 4} departments flagged): "
        f"{wall * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU), task objects included"
    )

    playbook = synthetic_playbook(size)
    ours = best_of(runs, lambda: Plan.from_playbook(playbook, start=START, departments={"all": 1}))
    base = best_of(runs, lambda: baseline_schedule(playbook))
    base_paused = best_of(runs, paused(lambda: baseline_schedule(playbook)))
    print(
        f"synthetic {size:,} tasks, no levelling: Plan.from_playbook {ours[0] * 1000:.0f} ms wall "
        f"/ {ours[1] * 1000:.0f} ms CPU; plain Kahn + forward pass {base[0] * 1000:.0f} ms wall "
        f"/ {base[1] * 1000:.0f} ms CPU ({base_paused[1] * 1000:.0f} ms CPU with the GC paused); "
        f"ratio {ours[0] / base[0]:.2f}x wall, {ours[1] / base[1]:.2f}x CPU, "
        f"{ours[1] / base_paused[1]:.2f}x CPU against the paused baseline"
    )


if __name__ == "__main__":
    main()
