"""Benchmark the voice module: FAQ grouping, statistics and table storage.

Measures, in one run, for synthetic question logs of 1,000 to 5,000 questions
(Japanese and English rewordings of a few dozen topics, plus one-off questions):

1. ``group_questions`` with official answers (questions join their answer);
2. ``group_questions`` without answers (average linkage among all questions);
3. ``FAQ.build`` and ``response_stats``;
4. saving and loading the log as CSV and xlsx;

and, first, grouping 10,000 questions with and without answers against the
target of issue 26 (under 5 s). Every figure is the median and spread of
``--runs`` runs (at least 5); ``--quick`` uses 500 questions for the target
(not judged) and one log of 200, never fewer runs.

Run: ``python benchmarks/voice.py [--quick] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from harness import MIN_RUNS, print_environment, runs_option, time_runs, verdict

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.voice import (
    FAQ,
    OfficialAnswer,
    Question,
    QuestionLog,
    group_questions,
    response_stats,
)

#: The distributions the benchmark exercises (the analyser, the xlsx tables).
PACKAGES = ("backoffice-marketing", "attrs", "fugashi", "unidic-lite", "openpyxl")

START = dt.date(2024, 4, 1)
#: Grouping this many questions must take under LIMIT_SECONDS (issue 26).
TARGET_QUESTIONS = 10_000
LIMIT_SECONDS = 5.0
SUBJECTS = ["1on1", "経費精算", "チャット", "勤怠", "研修", "評価面談", "在宅勤務", "出張申請"]
ASPECTS = [
    ("は業務時間内に行うのですか", "held within working hours"),
    ("の期限はいつですか", "what is the deadline for"),
    ("で困ったときの相談先はどこですか", "whom do I ask about"),
    ("は必ず参加しなければなりませんか", "must I take part in"),
    ("のやり方を教えてください", "how do I do"),
]
ENDINGS = ["", "?", "。", "か?", "教えてください。", "よろしくお願いします。"]


def answers() -> list[OfficialAnswer]:
    """One official answer per subject and aspect."""
    return [
        OfficialAnswer(
            f"a{s}-{a}",
            LocalizedText(f"{subject}{ja}?", f"{en} {subject}?"),
            LocalizedText("回答", "Answer"),
            START,
        )
        for s, subject in enumerate(SUBJECTS)
        for a, (ja, en) in enumerate(ASPECTS)
    ]


def questions(count: int, seed: int = 7) -> QuestionLog:
    """``count`` questions: rewordings of the topics (90 %) and one-off questions (10 %)."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    items = []
    for index in range(count):
        subject = rng.choice(SUBJECTS)
        ja, en = rng.choice(ASPECTS)
        if rng.random() < 0.1:
            text = f"その他の質問 {rng.randrange(10**6)} について"
        elif rng.random() < 0.3:
            text = f"Please tell me: {en} {subject}?"
        else:
            text = f"{subject}{ja}{rng.choice(ENDINGS)}"
        received = START + dt.timedelta(days=rng.randrange(60))
        replied = rng.random() < 0.8
        items.append(
            Question(
                f"q{index:05d}",
                text,
                received,
                department=f"dept-{rng.randrange(20)}",
                status="answered" if replied else "open",
                answer="回答" if replied else None,
                answered_on=received + dt.timedelta(days=rng.randrange(8)) if replied else None,
            )
        )
    return QuestionLog(items)


def main() -> None:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller logs, as many runs")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    args = parser.parse_args()
    runs: int = args.runs
    sizes = (200,) if args.quick else (1000, 2500, 5000)
    print_environment(PACKAGES)
    target = 500 if args.quick else TARGET_QUESTIONS
    large = questions(target)
    book = answers()
    for label, extra in (("without answers", ()), (f"with {len(book)} answers", (book,))):
        timing = time_runs(partial(group_questions, large, *extra), runs)
        print(timing.line(f"group {target:,} questions {label}"))
        if target == TARGET_QUESTIONS:
            print(f"  target < {LIMIT_SECONDS:g} s: {verdict(timing, LIMIT_SECONDS)}")
        else:
            print(f"  target < {LIMIT_SECONDS:g} s is for {TARGET_QUESTIONS:,}: not judged")
    calendar = BusinessCalendar()
    for size in sizes:
        log = questions(size)
        themes = group_questions(log, book)
        measured: dict[str, Callable[[], object]] = {
            f"group with {len(book)} answers ({len(themes)} themes)": partial(
                group_questions, log, book
            ),
            f"group without answers ({len(group_questions(log))} themes)": partial(
                group_questions, log
            ),
            "FAQ.build": partial(FAQ.build, log, book, departments={}),
            "response_stats": partial(
                response_stats,
                log,
                as_of=START + dt.timedelta(days=90),
                calendar=calendar,
                themes=themes,
            ),
        }
        for name, action in measured.items():
            print(time_runs(action, runs).line(f"{size:,} questions: {name}"))
        with tempfile.TemporaryDirectory() as folder:
            for suffix in (".csv", ".xlsx"):
                path = Path(folder) / f"log{suffix}"
                print(
                    time_runs(partial(log.save, path), runs).line(
                        f"{size:,} questions: {suffix} save"
                    )
                )
                load = time_runs(partial(QuestionLog.from_file, path), runs)
                assert QuestionLog.from_file(path) == log
                print(load.line(f"{size:,} questions: {suffix} load"))


if __name__ == "__main__":
    main()
