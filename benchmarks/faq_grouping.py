"""How well the FAQ builder groups paraphrases: pairwise precision, recall, F1 and ARI.

The labelled set is ``tests/data/voice/faq_paraphrases.toml``: 18 themes of
workplace IT and HR questions in Japanese and English. The tuning part
(thresholds and the synonym table were set on it) is ``[themes]`` and
``[more]``; the held-out part is ``[fresh]``, three wordings per theme and
language written for the second round (the first held-out part, measured in
round one, is now tuning data; docs/voice.md keeps its figures). Each part and
language is grouped on its own (no official answers), and every method is
compared with the labels: the old character n-grams, lemmas, lemmas read
through the synonym table (the shipped default, ``meaning``) and readings
through the table.
``--sweep`` prints F1 on the tuning part for a range of thresholds instead.
Before the tables, the time to group each part and language with the shipped
default is the median and spread of ``--runs`` runs (at least 5); ``--quick``
measures the held-out part only (the smaller input), never fewer runs.

Run: ``python benchmarks/faq_grouping.py [--quick] [--runs 5] [--sweep]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tomllib
from functools import partial
from pathlib import Path

from backoffice_marketing.voice import Question
from backoffice_marketing.voice.agreement import Agreement, agreement
from backoffice_marketing.voice.faq import group_questions
from backoffice_marketing.voice.meaning import Analyser

# The tests import this file with its folder first on sys.path; if it is loaded some other
# way, add the folder last (to shadow nothing) so the harness is found.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))
from harness import MIN_RUNS, print_environment, runs_option, time_runs

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "voice" / "faq_paraphrases.toml"
PARTS = ("tuning", "held-out")
LANGS = ("ja", "en")
#: The distributions the grouping exercises (lemmas need the ``[ja]`` extra).
PACKAGES = ("backoffice-marketing", "fugashi", "unidic-lite", "numpy", "scipy")


def labelled(lang: str, part: str, path: Path = DATA) -> dict[str, tuple[str, str]]:
    """Question id -> (theme, text) for one language and part.

    The tuning part is every wording under ``[themes]`` (the first three, and
    the three that were the first held-out part) plus ``[more]``; the
    held-out part is ``[fresh]``, written for the second round.
    """
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str]] = {}
    for theme, texts in sorted(document["themes"].items()):
        if part == "tuning":
            chosen = [*texts[lang], *document["more"][theme][lang]]
        else:
            chosen = list(document["fresh"][theme][lang])
        for index, text in enumerate(chosen):
            found[f"{lang}-{theme}-{part}-{index}"] = (theme, text)
    return found


def methods() -> dict[str, Analyser]:
    """Every method measured, by name."""
    return {
        "ngrams (before)": Analyser.ngrams(),
        "lemmas": Analyser("lemmas"),
        "lemmas+synonyms (default)": Analyser("meaning"),
        "readings+synonyms": Analyser("readings"),
    }


def _questions(items: dict[str, tuple[str, str]]) -> list[Question]:
    """The labelled questions as a question log, all asked on one day."""
    day = dt.date(2026, 1, 5)
    return [Question(ident, text, day) for ident, (_theme, text) in items.items()]


def measure(analyser: Analyser, lang: str, part: str, threshold: float | None = None) -> Agreement:
    """The agreement of one method with the labels on one language and part."""
    items = labelled(lang, part)
    questions = _questions(items)
    themes = group_questions(questions, analyser=analyser, threshold=threshold)
    predicted = {ident: theme.id for theme in themes for ident in theme.questions}
    return agreement(predicted, {ident: theme for ident, (theme, _t) in items.items()})


def table(part: str) -> str:
    """The Markdown table of every method on one part."""
    rows = [
        f"| method | lang | precision | recall | F1 | ARI |  ({part})",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, analyser in methods().items():
        for lang in LANGS:
            got = measure(analyser, lang, part)
            rows.append(
                f"| {name} | {lang} | {got.precision:.2f} | {got.recall:.2f} | {got.f1:.2f}"
                f" | {got.ari:.2f} |"
            )
    return "\n".join(rows)


def sweep() -> str:
    """F1 on the tuning part for thresholds from 0.10 to 0.50."""
    rows = ["| method | threshold | F1 ja | F1 en |", "|---|---:|---:|---:|"]
    for name, analyser in methods().items():
        for step in range(10, 52, 4):
            limit = step / 100
            scores = [measure(analyser, lang, "tuning", limit).f1 for lang in LANGS]
            rows.append(f"| {name} | {limit:.2f} | {scores[0]:.2f} | {scores[1]:.2f} |")
    return "\n".join(rows)


def main() -> None:
    """Print where it runs, the time to group each part, then the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="F1 per threshold (tuning part)")
    parser.add_argument("--quick", action="store_true", help="the held-out part only")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    arguments = parser.parse_args()
    print_environment(PACKAGES)
    if arguments.sweep:
        print(sweep())
        return
    parts = ("held-out",) if arguments.quick else PARTS
    analyser = methods()["lemmas+synonyms (default)"]
    for part in parts:
        for lang in LANGS:
            questions = _questions(labelled(lang, part))
            timing = time_runs(
                partial(group_questions, questions, analyser=analyser), arguments.runs
            )
            print(timing.line(f"group {len(questions)} {lang} questions ({part}, default)"))
    print()
    for part in parts:
        print(table(part))
        print()


if __name__ == "__main__":
    main()
