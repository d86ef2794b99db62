"""Benchmark of the decision decks (issue 25): both decks for a 5,000-person company.

The company has 50 departments of 100 people; 26 weeks of adoption rates
(a logistic rise, deterministic) give the cut-over advice; the sample
hearings, questions and answers give the voice report; the bundled
self-assessment gives the gap report; ``costs.toml`` is the sample's.

Two timings, each the median and spread (min to max) of 5 runs:

* ``inputs``: the cut-over advice and the voice report (what ``deck`` computes
  from a workspace besides its usual state);
* ``decks``: both decks built and drawn as pptx bytes (the issue's budget: 3 s).

Run: ``.venv/bin/python benchmarks/decks.py [--people 5000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import backoffice_marketing as bm
from backoffice_marketing import decks, samples, voice
from backoffice_marketing.demo import example_assessment

START = dt.date(2027, 5, 17)


def _versions() -> str:
    from importlib.metadata import version  # noqa: PLC0415

    names = ("python-pptx", "attrs", "networkx", "numpy", "scipy")
    found = ", ".join(f"{name} {version(name)}" for name in names)
    return f"Python {sys.version.split()[0]}; {found}"


def _timed(work: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    seconds: list[float] = []
    result: Any = None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), min(seconds), max(seconds), result


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    size = options.people // 50
    units = tuple(bm.Department(f"部署{index:02d}", headcount=size) for index in range(50))
    initiative = attrs_evolve(bm.Initiative.example(), departments=units)
    plan = initiative.plan()
    series = {
        unit.id: (
            tuple(START + dt.timedelta(weeks=week) for week in range(26)),
            tuple(
                round(0.95 / (1 + math.exp(-(week - 6 - index % 10) / 2)), 4) for week in range(26)
            ),
        )
        for index, unit in enumerate(units)
    }
    as_of = START + dt.timedelta(weeks=26)
    headcounts = dict(initiative.headcounts)

    def inputs() -> tuple[Any, Any]:
        advice = bm.adoption.cutover_advice(
            series,
            target=initiative.target,
            majority=initiative.majority_share,
            notice_days=initiative.notice_days,
            calendar=initiative.business_calendar,
            weights=headcounts,
        )
        report = voice.VoiceReport.build(
            as_of=as_of,
            departments=headcounts,
            hearings=voice.HearingLog.from_file(samples.sample_file("chat-migration/hearings.csv")),
            decisions=voice.DecisionLog.from_file(
                samples.sample_file("chat-migration/decisions.json")
            ),
            questions=voice.QuestionLog.from_file(
                samples.sample_file("chat-migration/questions.csv")
            ),
            answers=voice.AnswerBook.from_file(samples.sample_file("chat-migration/answers.yaml")),
            changes=voice.ChangeLog.from_file(samples.sample_file("chat-migration/changes.toml")),
            proposal_on=as_of,
            min_group_size=initiative.privacy.text,
        )
        return advice, report

    median, low, high, (advice, report) = _timed(inputs, options.runs)
    gaps = bm.GapReport.from_assessment(example_assessment(), playbook=plan.playbook, plan=plan)
    deck_inputs = decks.DeckInputs(
        initiative=initiative,
        plan=plan,
        as_of=as_of,
        voice=report,
        gaps=gaps,
        cutover=advice,
        costs=decks.load_costs(samples.sample_file("chat-migration/costs.toml")),
    )

    def both() -> tuple[bytes, bytes]:
        approval = decks.approval_deck(deck_inputs).to_bytes("pptx")
        cutover = decks.cutover_deck(deck_inputs).to_bytes("pptx")
        return approval, cutover

    d_median, d_low, d_high, files = _timed(both, options.runs)
    sizes = tuple(len(data) for data in files)
    overflowing = sum(len(decks.overflows(data)) for data in files)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs; {_versions()}")
    print(f"company: {options.people:,} people in 50 departments, 26 weeks of rates")
    print(f"inputs (advice + voice report): median {median:.2f} s ({low:.2f}-{high:.2f})")
    print(f"both decks as pptx: median {d_median:.2f} s ({d_low:.2f}-{d_high:.2f}); bytes {sizes}")
    print(f"text boxes that overflow: {overflowing}")
    print(f"budget 3 s: {'met' if d_median + median < 3 else 'NOT met'} (inputs + decks)")


def attrs_evolve(initiative: bm.Initiative, **changes: Any) -> bm.Initiative:
    """The initiative with ``changes``."""
    import attrs  # noqa: PLC0415

    return attrs.evolve(initiative, **changes)


if __name__ == "__main__":
    main()
