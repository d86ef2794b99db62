"""Benchmark the gap report (issue: gap reports).

10,000 department assessments x 50 checklist items reported as JSON, against a
straightforward dict-based computation of the same per-failure-mode and
per-department scores (no roll-up, no rendering). Input objects are built
before timing.

Run: ``python benchmarks/gap_report.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

import backoffice_marketing as bm
from backoffice_marketing.gaps import GapReport

LEVELS = ("done", "partial", "not_done", "not_applicable")


def make_assessments(count: int, items: int, seed: int = 3) -> list[bm.Assessment]:
    """``count`` department assessments answering ``items`` checklist items each."""
    rnd = random.Random(seed)  # noqa: S311  (synthetic data)
    ids = list(bm.default_checklist().ids)[:items]
    result = []
    for index in range(count):
        answers = tuple(bm.Answer(item, bm.AnswerLevel(rnd.choice(LEVELS))) for item in ids)
        scope = bm.Scope(f"dept-{index:05d}", rnd.randint(2, 400), None)
        result.append(bm.Assessment("chat-migration", dt.date(2027, 5, 10), scope, answers))
    return result


def dict_scores(assessments: list[bm.Assessment]) -> dict[str, object]:
    """The same scores with plain dicts: per department and mode, and company-wide per item."""
    checklist = {item.id: (item.failure_mode.value, item.weight) for item in bm.default_checklist()}
    values = {"done": 1.0, "partial": 0.5, "not_done": 0.0}
    departments: dict[str, dict[str, float]] = {}
    item_sum: dict[str, float] = {}
    item_weight: dict[str, float] = {}
    for assessment in assessments:
        sums: dict[str, list[float]] = {}
        people = float(max(1, assessment.scope.headcount or 0))
        for answer in assessment.answers:
            if answer.level.value == "not_applicable":
                continue
            value = values[answer.level.value]
            mode, weight = checklist[answer.item]
            entry = sums.setdefault(mode, [0.0, 0.0])
            entry[0] += weight * value
            entry[1] += weight
            item_sum[answer.item] = item_sum.get(answer.item, 0.0) + people * value
            item_weight[answer.item] = item_weight.get(answer.item, 0.0) + people
        departments[str(assessment.scope.department)] = {m: s / w for m, (s, w) in sums.items()}
    modes: dict[str, list[float]] = {}
    for item, total in item_sum.items():
        mode, weight = checklist[item]
        entry = modes.setdefault(mode, [0.0, 0.0])
        entry[0] += weight * total / item_weight[item]
        entry[1] += weight
    return {"modes": {m: s / w for m, (s, w) in modes.items()}, "departments": departments}


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The best wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count = 1000 if args.quick else 10_000
    runs = 1 if args.quick else 3
    assessments = make_assessments(count, 47)
    ours = best_of(runs, lambda: GapReport.from_assessment(assessments).to_json())
    build = best_of(runs, lambda: GapReport.from_assessment(assessments))
    base = best_of(runs, lambda: dict_scores(assessments))
    size = len(GapReport.from_assessment(assessments).to_json())
    print(
        f"{count:,} department assessments x 47 items: GapReport + to_json {ours * 1000:.0f} ms "
        f"(report {build * 1000:.0f} ms, JSON {size / 1e6:.1f} MB); dict-based scores "
        f"{base * 1000:.0f} ms; ratio {ours / base:.2f}x (report alone {build / base:.2f}x)"
    )


if __name__ == "__main__":
    main()
