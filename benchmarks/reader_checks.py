"""Precision and recall of the materials reader checks on the labelled snippets (issue 16).

The snippets live in ``tests/data/materials/``: short back-office notices,
each labelled per reader check (answered or not). Two sets: ``reader_*``
(issue 16) and ``keigo_ja*`` (issue 26: 敬語-heavy notices, also labelled for
the tone check, whether a notice threatens or blames its readers). ``reader_{ja,en}.toml`` is
the set the patterns were tuned on; ``reader_{ja,en}_holdout.toml`` was
written afterwards and measured before any further change. The 敬語 set was
worked on in rounds: each round's held-out part joined the tuning data
(``keigo_ja_more.toml``) afterwards. In the ninth round, writers who never saw
the rules wrote 620 notices: 402 are tuning data (``keigo_ja_writers.toml``)
and 218 are the held-out part (``keigo_ja_holdout7.toml``), committed unread
before the round's rules were frozen and measured once. Each
snippet is linted (with its document date when it has one) and every check's
verdict is compared with its label. The table gives, per language and check,
true and false positives, false negatives, precision and recall; ``--misses``
lists the snippets a check gets wrong. The counts are the same on every run;
the time to lint each set is the median (with min, max and IQR) of ``--runs``
runs, at least 5.

Run: ``.venv/bin/python benchmarks/reader_checks.py [--misses] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
import tomllib
from pathlib import Path

import attrs

from backoffice_marketing.materials import LintOptions, lint
from backoffice_marketing.materials.reader import READER_CHECKS

# The tests load this file by path: its folder is then not on sys.path (last, to shadow nothing).
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))
from harness import MIN_RUNS, print_environment, runs_option, time_runs

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "materials"
CHECKS = tuple(key for key, _rule in READER_CHECKS)
#: The tone check (threats and blame), labelled in the 敬語 set: a ``tone.threat`` finding.
TONE = "tone"
LANGS = ("ja", "en")
#: The labelled sets and their languages: the reader snippets (issue 16) and the
#: 敬語-heavy notices (issue 26, with the tone label).
SETS = {"reader": LANGS, "keigo": ("ja",)}
#: The parts of the labelled set: the file suffix of each.
PARTS = {"tuning": "", "held-out": "_holdout"}
#: The held-out file of a set when it is not ``_holdout`` (the 敬語 set is in its ninth round).
HELD_OUT = {"keigo": "_holdout7"}
#: More tuning files of a set, after its base file: earlier held-out parts, the writers' part.
MORE_TUNING = ("_more", "_writers")


@attrs.frozen
class Snippet:
    """One labelled notice."""

    id: str
    lang: str
    text: str
    labels: dict[str, bool]
    date: dt.date | None = None


@attrs.frozen
class Counts:
    """The confusion counts of one check."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: tuple[str, ...] = ()
    #: Snippets the check was unsure of (weak evidence only): labelled yes, labelled no.
    unsure_yes: int = 0
    unsure_no: int = 0

    @property
    def precision(self) -> float:
        """Of the snippets the check passed, the share that answer the question (1 if none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Of the snippets that answer the question, the share the check passed (1 if none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, snippet: str, *, predicted: bool, actual: bool, unsure: bool = False) -> Counts:
        """The counts with one more verdict (``unsure``: not passed, weak evidence shown)."""
        misses = self.misses if predicted == actual else (*self.misses, snippet)
        return Counts(
            self.tp + (predicted and actual),
            self.fp + (predicted and not actual),
            self.fn + (actual and not predicted),
            self.tn + (not predicted and not actual),
            misses,
            self.unsure_yes + (unsure and actual),
            self.unsure_no + (unsure and not actual),
        )


def load_snippets(
    lang: str, part: str = "tuning", folder: Path = DATA, labelled_set: str = "reader"
) -> tuple[Snippet, ...]:
    """The labelled snippets of one set, language and part (``tuning`` or ``held-out``)."""
    suffix = HELD_OUT.get(labelled_set, PARTS[part]) if part == "held-out" else PARTS[part]
    paths = [folder / f"{labelled_set}_{lang}{suffix}.toml"]
    if part == "tuning":
        more = (folder / f"{labelled_set}_{lang}{extra}.toml" for extra in MORE_TUNING)
        paths.extend(path for path in more if path.is_file())
    entries = [
        entry
        for path in paths
        for entry in tomllib.loads(path.read_text(encoding="utf-8"))["snippets"]
    ]
    return tuple(
        Snippet(
            id=entry["id"],
            lang=lang,
            text=entry["text"],
            labels={check: bool(entry[check]) for check in (*CHECKS, TONE) if check in entry},
            date=entry.get("date"),
        )
        for entry in entries
    )


def measure(snippets: tuple[Snippet, ...]) -> dict[str, Counts]:
    """The confusion counts of every check labelled in ``snippets``."""
    labelled = [check for check in (*CHECKS, TONE) if any(check in s.labels for s in snippets)]
    counts = {check: Counts() for check in labelled}
    for snippet in snippets:
        review = lint(
            snippet.text,
            lang=snippet.lang,
            options=LintOptions(document_date=snippet.date),
            name=snippet.id,
        )
        for check in labelled:
            unsure = False
            if check == TONE:
                predicted = any(finding.rule == "tone.threat" for finding in review.findings)
            else:
                predicted = review.check(check).passed
                unsure = review.check(check).unsure
            counts[check] = counts[check].add(
                snippet.id, predicted=predicted, actual=snippet.labels[check], unsure=unsure
            )
    return counts


def table(*, misses: bool = False, sets: tuple[str, ...] = tuple(SETS)) -> str:
    """The Markdown table of precision and recall per set, part, language and check."""
    lines = [
        (
            "| set | part | lang | check | snippets | TP | FP | FN | precision | recall"
            " | unsure (yes/no) |"
        ),
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []
    for labelled_set in sets:
        for part in PARTS:
            for lang in SETS[labelled_set]:
                snippets = load_snippets(lang, part, labelled_set=labelled_set)
                for check, c in measure(snippets).items():
                    lines.append(
                        f"| {labelled_set} | {part} | {lang} | {check} | {len(snippets)} "
                        f"| {c.tp} | {c.fp} | {c.fn} | {c.precision:.2f} | {c.recall:.2f} "
                        f"| {c.unsure_yes}/{c.unsure_no} |"
                    )
                    if misses and c.misses:
                        notes.append(f"{labelled_set} {part} {lang} {check}: {', '.join(c.misses)}")
    return "\n".join([*lines, *(["", *notes] if notes else [])])


def main() -> None:
    """Print where it runs, the time to lint each set, and the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--misses", action="store_true", help="list the snippets each check gets wrong"
    )
    parser.add_argument("--runs", type=runs_option, default=MIN_RUNS, help="at least 5")
    parser.add_argument("--set", choices=sorted(SETS), help="only this labelled set")
    arguments = parser.parse_args()
    chosen = (arguments.set,) if arguments.set else tuple(SETS)
    print_environment(["backoffice-marketing", "fugashi", "unidic-lite", "jreadability"])
    for labelled_set in chosen:
        for part in PARTS:
            for lang in SETS[labelled_set]:
                snippets = load_snippets(lang, part, labelled_set=labelled_set)
                timing = time_runs(functools.partial(measure, snippets), arguments.runs)
                print(timing.line(f"lint {len(snippets)} {lang} {labelled_set} ({part})"))
    print()
    print(table(misses=arguments.misses, sets=chosen))


if __name__ == "__main__":
    main()
