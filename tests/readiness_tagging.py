"""Precision and recall of the readiness tagging rules on the labelled set (issue 23).

The labelled set (``tests/data/readiness/tagging.csv``) holds Japanese and
English items, each labelled with an element or none. The rules were tuned on
the ``tune`` part; the ``heldout`` part was written after the rules were
frozen and is reported as it came out.

Run: ``.venv/bin/python tests/readiness_tagging.py`` (``tests/test_readiness.py``
asserts a floor on the held-out part).
"""

from __future__ import annotations

import csv
from pathlib import Path

from backoffice_marketing.readiness import Element
from backoffice_marketing.readiness.tagging import ElementScore, score_tagging, tag_text

LABELLED = Path(__file__).resolve().parent / "data" / "readiness" / "tagging.csv"


def load(part: str, path: Path = LABELLED) -> list[tuple[str, Element | None]]:
    """The ``(text, label)`` items of one part of the labelled set."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["text"], Element(row["element"]) if row["element"] else None)
            for row in csv.DictReader(handle)
            if row["part"] == part
        ]


def scores(part: str) -> tuple[ElementScore, ...]:
    """Per-element scores of the built-in rules on one part."""
    return score_tagging((label, tag_text(text)) for text, label in load(part))


def _fmt(value: float | None) -> str:
    return "  —  " if value is None else f"{value:5.2f}"


def table() -> str:
    """The Markdown table of precision and recall per element on both parts."""
    lines = [
        "| element | part | labelled | tagged | correct | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for part in ("tune", "heldout"):
        items = load(part)
        lines.extend(
            f"| {score.element.value} | {part} ({len(items)}) | {score.labelled} | "
            f"{score.tagged} | {score.correct} | {_fmt(score.precision)} | "
            f"{_fmt(score.recall)} |"
            for score in scores(part)
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
