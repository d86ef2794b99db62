"""Benchmark of the decision decks (issue 25): both decks for a 5,000-person company.

The company has 50 departments of 100 people; 26 weeks of adoption rates
(a logistic rise, deterministic) give the cut-over advice; the sample
hearings, questions and answers give the voice report; the bundled
self-assessment gives the gap report; ``costs.toml`` is the sample's.

Three timings, each the median and spread of ``--runs`` runs (at least 5):

* ``inputs``: the cut-over advice and the voice report (what ``deck`` computes
  from a workspace besides its usual state);
* ``decks``: both decks built and drawn as pptx bytes;
* the two in a row, against the issue's budget: under 3 s for 5,000 people.

``--quick`` plans 1,000 people (the budget is then not judged), never fewer runs.

Run: ``.venv/bin/python benchmarks/decks.py [--quick] [--people 5000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from typing import Any

from harness import MIN_RUNS, print_environment, runs_option, time_runs, verdict

import backoffice_marketing as bm
from backoffice_marketing import decks, samples, voice
from backoffice_marketing.app.demo import example_assessment

START = dt.date(2027, 5, 17)


#: The distributions the decks exercise.
PACKAGES = ("backoffice-marketing", "python-pptx", "attrs", "networkx", "numpy", "scipy")
#: Both decks for this many people must take under BUDGET_SECONDS, inputs included.
TARGET_PEOPLE = 5000
BUDGET_SECONDS = 3.0


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 people, as many runs")
    parser.add_argument("--people", type=int, default=None, help=f"default {TARGET_PEOPLE:,}")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    options = parser.parse_args()
    people: int = options.people or (1000 if options.quick else TARGET_PEOPLE)
    runs: int = options.runs
    print_environment(PACKAGES)
    size = people // 50
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

    gaps = bm.GapReport.from_assessment(example_assessment(), playbook=plan.playbook, plan=plan)
    costs = decks.load_costs(samples.sample_file("chat-migration/costs.toml"))

    def deck_inputs(advice: Any, report: Any) -> decks.DeckInputs:
        return decks.DeckInputs(
            initiative=initiative,
            plan=plan,
            as_of=as_of,
            voice=report,
            gaps=gaps,
            cutover=advice,
            costs=costs,
        )

    prepared = deck_inputs(*inputs())

    def both(given: decks.DeckInputs = prepared) -> tuple[bytes, bytes]:
        approval = decks.approval_deck(given).to_bytes("pptx")
        cutover = decks.cutover_deck(given).to_bytes("pptx")
        return approval, cutover

    print(f"company: {people:,} people in 50 departments, 26 weeks of rates")
    print(time_runs(inputs, runs).line("inputs (advice + voice report)"))
    print(time_runs(both, runs).line("both decks as pptx"))
    total = time_runs(lambda: both(deck_inputs(*inputs())), runs)
    print(total.line("inputs + both decks"))
    files = both()
    print(
        f"bytes {tuple(len(data) for data in files)}; text boxes that overflow: "
        f"{sum(len(decks.overflows(data)) for data in files)}"
    )
    if people == TARGET_PEOPLE:
        print(f"  budget < {BUDGET_SECONDS:g} s: {verdict(total, BUDGET_SECONDS)}")
    else:
        print(f"  budget < {BUDGET_SECONDS:g} s is for {TARGET_PEOPLE:,} people: not judged")


def attrs_evolve(initiative: bm.Initiative, **changes: Any) -> bm.Initiative:
    """The initiative with ``changes``."""
    import attrs  # noqa: PLC0415

    return attrs.evolve(initiative, **changes)


if __name__ == "__main__":
    main()
