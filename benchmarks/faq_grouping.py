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

With the ``[vectors]`` extra installed (ginza, ja-ginza), one more method is
measured: ``meaning+vectors``, the default blended with the cosine of mean
word vectors (:mod:`backoffice_marketing.voice.vectors`, at its shipped
weight and threshold). ``--sweep-vectors`` prints F1 on the tuning part for a
grid of weights and thresholds (the shipped values were chosen on it), and
``--vectors-speed`` times grouping 10,000 questions (``benchmarks/voice.py``'s
log) with the default and with vectors.
Before the tables, the time to group each part and language with the shipped
default is the median and spread of ``--runs`` runs (at least 5); ``--quick``
measures the held-out part only (the smaller input), never fewer runs.

Run: ``python benchmarks/faq_grouping.py [--quick] [--runs 5] [--sweep] [--sweep-vectors]
[--vectors-speed]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tomllib
from functools import partial
from pathlib import Path

from backoffice_marketing.exceptions import MissingExtraError
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


#: The name of the method with word vectors (the ``[vectors]`` extra).
VECTORS = "meaning+vectors (ja-ginza)"
#: The grid of ``--sweep-vectors``: weights of the vectors, and thresholds.
VECTOR_WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
VECTOR_THRESHOLDS = tuple(step / 100 for step in range(15, 56, 5))


def vector_methods(
    weight: float | None = None, threshold: float | None = None
) -> dict[str, Analyser]:
    """The method with word vectors, when the ``[vectors]`` extra is installed (else none)."""
    from backoffice_marketing.voice import vectors  # noqa: PLC0415

    try:
        model = vectors.load_ginza()
    except MissingExtraError:
        return {}
    analyser = vectors.vectors_analyser(
        model,
        weight=vectors.VECTOR_WEIGHT if weight is None else weight,
        threshold=vectors.VECTOR_THRESHOLD if threshold is None else threshold,
    )
    return {VECTORS: analyser}


def methods() -> dict[str, Analyser]:
    """Every method measured, by name (with vectors only when the extra is installed)."""
    return {
        "ngrams (before)": Analyser.ngrams(),
        "lemmas": Analyser("lemmas"),
        "lemmas+synonyms (default)": Analyser("meaning"),
        "readings+synonyms": Analyser("readings"),
        **vector_methods(),
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


def sweep_vectors() -> str:
    """F1 (and ARI) on the tuning part for each weight of the vectors and threshold."""
    rows = [
        "| weight | threshold | F1 ja | ARI ja | F1 en | ARI en |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for weight in VECTOR_WEIGHTS:
        for limit in VECTOR_THRESHOLDS:
            found = vector_methods(weight, limit)
            if not found:
                return "the [vectors] extra is not installed"
            got = [measure(found[VECTORS], lang, "tuning") for lang in LANGS]
            rows.append(
                f"| {weight:.1f} | {limit:.2f} | {got[0].f1:.2f} | {got[0].ari:.2f}"
                f" | {got[1].f1:.2f} | {got[1].ari:.2f} |"
            )
    return "\n".join(rows)


def vectors_speed(runs: int) -> str:
    """The time to group 10,000 questions with the default and with vectors, and the ratio."""
    found = vector_methods()
    if not found:
        return "the [vectors] extra is not installed"
    from voice import TARGET_QUESTIONS  # noqa: PLC0415  (benchmarks/voice.py's log)
    from voice import questions as synthetic  # noqa: PLC0415

    log = list(synthetic(TARGET_QUESTIONS))
    lines = []
    medians = []
    for name, analyser in (("default", Analyser("meaning")), ("vectors", found[VECTORS])):
        timing = time_runs(partial(group_questions, log, analyser=analyser), runs)
        medians.append(timing.median)
        lines.append(timing.line(f"group {TARGET_QUESTIONS:,} questions ({name})"))
    lines.append(f"vectors / default: {medians[1] / medians[0]:.1f}x")
    return "\n".join(lines)


def main() -> None:
    """Print where it runs, the time to group each part, then the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="F1 per threshold (tuning part)")
    parser.add_argument("--quick", action="store_true", help="the held-out part only")
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    parser.add_argument("--sweep-vectors", action="store_true", help="vectors grid (tuning)")
    parser.add_argument("--vectors-speed", action="store_true", help="10,000 questions")
    arguments = parser.parse_args()
    print_environment((*PACKAGES, "ginza", "ja-ginza"))
    if arguments.sweep:
        print(sweep())
        return
    if arguments.sweep_vectors:
        print(sweep_vectors())
        return
    if arguments.vectors_speed:
        print(vectors_speed(arguments.runs))
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
