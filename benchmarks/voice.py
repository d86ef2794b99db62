"""Benchmark the voice module: FAQ grouping, statistics and table storage.

Measures, in one run, for synthetic question logs of 1,000 to 10,000 questions
(Japanese and English rewordings of a few dozen topics, plus one-off questions):

1. ``group_questions`` with official answers (questions join their answer);
2. ``group_questions`` without answers (average linkage among all questions);
3. ``FAQ.build`` and ``response_stats``;
4. saving and loading the log as CSV and xlsx.

Run: ``python benchmarks/voice.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from environment import describe, summary
from environment import runs as timed_runs

from backoffice_marketing.calendars import BusinessCalendar
from backoffice_marketing.text import LocalizedText
from backoffice_marketing.voice import (
    FAQ,
    OfficialAnswer,
    Question,
    QuestionLog,
    group_questions,
    response_stats,
)

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


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The best wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    args = parser.parse_args()
    sizes = (200,) if args.quick else (1000, 2500, 5000)
    runs = 1 if args.quick else 3
    print(describe())
    target = 500 if args.quick else TARGET_QUESTIONS
    large = questions(target)
    book = answers()
    for label, extra in (("without answers", ()), (f"with {len(book)} answers", (book,))):
        times = timed_runs(2 if args.quick else 5, partial(group_questions, large, *extra))
        verdict = "OK" if max(times) < LIMIT_SECONDS else "TOO SLOW"
        print(f"group {target:,} questions {label}: {summary(times)}; target < 5 s: {verdict}")
    calendar = BusinessCalendar()
    for size in sizes:
        log = questions(size)
        with_answers = best_of(runs, partial(group_questions, log, book))
        without = best_of(runs, partial(group_questions, log))
        themes = group_questions(log, book)
        faq = best_of(runs, partial(FAQ.build, log, book, departments={}))
        stats = best_of(
            runs,
            partial(
                response_stats,
                log,
                as_of=START + dt.timedelta(days=90),
                calendar=calendar,
                themes=themes,
            ),
        )
        print(
            f"{size:>5} questions: group with {len(book)} answers {with_answers:6.3f} s "
            f"({len(themes)} themes), group without answers {without:6.3f} s "
            f"({len(group_questions(log))} themes), FAQ {faq:6.3f} s, stats {stats:6.3f} s"
        )
        with tempfile.TemporaryDirectory() as folder:
            for suffix in (".csv", ".xlsx"):
                path = Path(folder) / f"log{suffix}"
                save = best_of(runs, partial(log.save, path))
                load = best_of(runs, partial(QuestionLog.from_file, path))
                assert QuestionLog.from_file(path) == log
                print(f"{size:>5} questions: {suffix} save {save:6.3f} s, load {load:6.3f} s")


if __name__ == "__main__":
    main()
