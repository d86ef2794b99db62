"""Benchmark the materials linter on a 20,000-character Japanese document.

The target: linted in under one second, tokenisation included. Measures:

1. the first lint in a fresh process (jReadability's tagger is loaded then);
2. the best of several further lints (the tagger is reused);
3. the same document with the pure-Python Tateishi-style score instead;
4. the plain-text reader alone.

Run: ``python benchmarks/materials.py`` (add ``--quick`` for fewer repeats).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from backoffice_marketing.materials import LintOptions, lint, material_from_text
from backoffice_marketing.materials.readability import jreadability_available

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "materials"
TARGET_CHARACTERS = 20_000
LIMIT_SECONDS = 1.0


def document() -> str:
    """A Japanese document of at least 20,000 characters, bad and good notices mixed."""
    parts = [
        (FIXTURES / "bad_ja.txt").read_text(encoding="utf-8"),
        (FIXTURES / "good_ja.txt").read_text(encoding="utf-8"),
    ]
    text = ""
    while len(text) < TARGET_CHARACTERS:
        text += "\n\n".join(parts) + "\n\n"
    return text


def timed(label: str, repeats: int, run: object) -> float:
    """Run ``run`` ``repeats`` times and print the best time."""
    assert callable(run)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} {best * 1000:8.1f} ms")
    return best


def main() -> None:
    """Run the benchmark and check the one-second target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    repeats = 2 if parser.parse_args().quick else 5
    text = document()
    print(f"document: {len(text):,} characters; jReadability available: {jreadability_available()}")
    first = timed("first lint (tagger loaded, auto readability)", 1, lambda: lint(text, lang="ja"))
    warm = timed("lint, tagger reused (auto readability)", repeats, lambda: lint(text, lang="ja"))
    tateishi = LintOptions(readability="tateishi")
    timed(
        "lint with the Tateishi-style score",
        repeats,
        lambda: lint(text, lang="ja", options=tateishi),
    )
    timed("reading the text only", repeats, lambda: material_from_text(text, format="text"))
    review = lint(text, lang="ja")
    print(
        f"findings: {len(review.findings):,}; sentences: {review.sentences:,}; "
        f"score: {review.score}"
    )
    worst = max(first, warm)
    status = "OK" if worst < LIMIT_SECONDS else "TOO SLOW"
    print(f"target < {LIMIT_SECONDS:.0f} s including tokenisation: {status} ({worst:.3f} s)")


if __name__ == "__main__":
    main()
