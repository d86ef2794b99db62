"""Benchmark the scheduler (issue: stage graph, playbooks and plans).

Measures, in one run:

1. ``chat-migration`` planned for 1,000 departments;
2. a synthetic 100k-task playbook scheduled by ``Plan.from_playbook``, against a
   plain-Python baseline: Kahn's topological sort (a deque) and a forward pass of
   earliest starts over the same task graph;
3. scaling from 10k to 100k tasks.

Each figure is the median (with min, max and IQR) of ``--runs`` runs, at least 5;
ratios are between medians.

Run: ``python benchmarks/planning.py`` (``--quick``: 100 departments, 1k and 10k tasks,
the same number of runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import random
from collections import deque
from collections.abc import Callable

import attrs
from harness import MIN_RUNS, print_environment, runs_option, time_runs

from backoffice_marketing.diagnosis.planning.plan import Plan
from backoffice_marketing.diagnosis.playbooks import Playbook, Task, load_playbook
from backoffice_marketing.diagnosis.stages import StageGraph

START = dt.date(2027, 4, 1)


def synthetic_playbook(count: int, seed: int = 7) -> Playbook:
    """A playbook of ``count`` tasks spread over the canonical stages of generic-rollout.

    Each task depends on up to three earlier tasks of its own or an earlier stage.
    """
    base = load_playbook("generic-rollout")
    rnd = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    # No repeated stages: the scheduled graph is then exactly the baseline's task graph
    # (plus one barrier per stage).
    graph = StageGraph(attrs.evolve(stage, repeat=None) for stage in base.stage_graph)
    stages = list(graph.order)
    per_stage = max(1, count // len(stages))
    tasks: list[Task] = []
    title = base.tasks[0].title
    for index in range(count):
        stage = stages[min(index // per_stage, len(stages) - 1)]
        window = tasks[max(0, index - 2000) : index]
        depends = (
            sorted({rnd.choice(window).id for _ in range(rnd.randint(0, 3))}) if window else []
        )
        tasks.append(Task(f"t{index:06d}", stage, title, "it", rnd.randint(0, 5), tuple(depends)))
    return Playbook(base.id, base.name, base.summary, base.owner, base.exit, graph, tuple(tasks))


def baseline_schedule(playbook: Playbook) -> list[int]:
    """Plain Kahn (deque) plus a forward pass of earliest starts, on the task graph alone."""
    ids = [task.id for task in playbook.tasks]
    index = {task_id: i for i, task_id in enumerate(ids)}
    durations = [task.duration for task in playbook.tasks]
    successors: list[list[int]] = [[] for _ in ids]
    indegree = [0] * len(ids)
    for i, task in enumerate(playbook.tasks):
        for needed in task.depends_on:
            successors[index[needed]].append(i)
            indegree[i] += 1
    queue = deque(i for i, degree in enumerate(indegree) if degree == 0)
    early = [0] * len(ids)
    while queue:
        node = queue.popleft()
        finish = early[node] + durations[node]
        for successor in successors[node]:
            early[successor] = max(early[successor], finish)
            indegree[successor] -= 1
            if indegree[successor] == 0:
                queue.append(successor)
    return early


def without_gc(action: Callable[[Playbook], object], playbook: Playbook) -> object:
    """Run ``action`` with the cyclic garbage collector paused, as the planner does."""
    gc.disable()
    try:
        return action(playbook)
    finally:
        gc.enable()


def _plan(playbook: Playbook) -> Plan:
    return Plan.from_playbook(playbook, start=START, departments={"all": 1})


def _plan_tasks(playbook: Playbook) -> object:
    return _plan(playbook).tasks


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, same runs")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    args = parser.parse_args()
    print_environment(["backoffice-marketing", "attrs", "networkx"])
    runs = args.runs
    big = 10_000 if args.quick else 100_000
    small = big // 10

    departments = {f"dept-{i:04d}": 20 + i % 300 for i in range(100 if args.quick else 1000)}
    chat = load_playbook("chat-migration")
    plan = Plan.from_playbook(chat, start=START, departments=departments)
    timing = time_runs(lambda: Plan.from_playbook(chat, start=START, departments=departments), runs)
    print(timing.line(f"chat-migration, {len(departments)} departments, {len(plan.tasks)} tasks"))

    timings = {}
    for count in (small, big):
        playbook = synthetic_playbook(count)
        ours = time_runs(functools.partial(_plan, playbook), runs)
        # The PlannedTask objects are built on first access: time a fresh plan and its tasks.
        with_tasks = time_runs(functools.partial(_plan_tasks, playbook), runs)
        base = time_runs(functools.partial(baseline_schedule, playbook), runs)
        paused = time_runs(functools.partial(without_gc, baseline_schedule, playbook), runs)
        timings[count] = ours
        print(ours.line(f"synthetic {count:,} tasks: Plan.from_playbook"))
        print(with_tasks.line(f"synthetic {count:,} tasks: Plan.from_playbook + task objects"))
        print(base.line(f"synthetic {count:,} tasks: plain Kahn + forward pass"))
        print(paused.line(f"synthetic {count:,} tasks: the same with the GC paused"))
        print(
            f"synthetic {count:,} tasks, ratios of medians: {ours.ratio(base):.2f}x the plain "
            f"baseline ({ours.ratio(paused):.2f}x against the paused baseline; "
            f"{with_tasks.ratio(base):.2f}x including the task objects, which add "
            f"{(with_tasks.median - ours.median) * 1000:.0f} ms)"
        )
    print(
        f"scaling {small:,} -> {big:,} tasks (10x): {timings[big].ratio(timings[small]):.1f}x "
        f"the median time ({runs} runs each)"
    )


if __name__ == "__main__":
    main()
