"""Benchmark the gap report (issue: gap reports).

10,000 department assessments x 50 checklist items reported as JSON, against a
straightforward dict-based computation of the same per-failure-mode and
per-department scores (no roll-up, no rendering). Input objects are built
before timing. Each figure is the median (with min, max and IQR) of ``--runs``
runs, at least 5; the ratios are between medians.

Run: ``python benchmarks/gap_report.py`` (``--quick``: 1,000 assessments, same runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random

from harness import MIN_RUNS, print_environment, runs_option, time_runs

import backoffice_marketing as bm
from backoffice_marketing.diagnosis.gaps import GapReport

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


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 assessments, same runs")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    args = parser.parse_args()
    print_environment(["backoffice-marketing", "attrs", "cattrs"])
    count = 1000 if args.quick else 10_000
    assessments = make_assessments(count, 47)
    size = len(GapReport.from_assessment(assessments).to_json())
    print(f"{count:,} department assessments x 47 items (JSON {size / 1e6:.1f} MB)")
    ours = time_runs(lambda: GapReport.from_assessment(assessments).to_json(), args.runs)
    print(ours.line("GapReport + to_json"))
    build = time_runs(lambda: GapReport.from_assessment(assessments), args.runs)
    print(build.line("GapReport alone"))
    base = time_runs(lambda: dict_scores(assessments), args.runs)
    print(base.line("dict-based scores"))
    print(
        f"ratio of medians to the dict-based scores: {ours.ratio(base):.2f}x "
        f"(report alone {build.ratio(base):.2f}x)"
    )


if __name__ == "__main__":
    main()
