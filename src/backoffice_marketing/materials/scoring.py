"""The score's parts and weights, and what a reader check answers on the checklist.

A leaf of the materials package: the review (:mod:`.review`) computes the score with
these shares and weights, and the checklist answers (:mod:`.evidence`) read them back;
neither imports the other for them, so no import cycle runs through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backoffice_marketing.materials.review import Review

__all__ = [
    "ONE_PAGE_CHARACTERS",
    "ONE_PAGE_WORDS",
    "READABILITY_SHARE",
    "READER_SHARE",
    "READER_WEIGHTS",
    "STYLE_SHARE",
    "UNSURE_SHARE",
    "is_one_page",
    "item_of_check",
]

STYLE_SHARE = 0.45
READER_SHARE = 0.35
READABILITY_SHARE = 0.20

#: The weight of each reader check in the reader part of the score.
READER_WEIGHTS: dict[str, int] = {
    "why": 3,
    "what_changes": 2,
    "when": 2,
    "reader_action": 3,
    "where_to_ask": 2,
    "conclusion_first": 1,
}

#: The share of its weight an unsure reader check (weak evidence only) earns: half.
UNSURE_SHARE = 0.5

#: A document at most this long can serve as a one-page summary.
ONE_PAGE_CHARACTERS = 1_200
ONE_PAGE_WORDS = 450

_ITEM_OF_CHECK = {
    "why": "materials.why",
    "what_changes": "materials.what-changes",
    "when": "materials.when",
    "where_to_ask": "materials.where-to-ask",
}


def is_one_page(review: Review) -> bool:
    """Whether the reviewed document is short enough to be a one-page summary."""
    if review.lang == "ja":
        return 0 < review.characters <= ONE_PAGE_CHARACTERS
    return 0 < review.words <= ONE_PAGE_WORDS


def item_of_check(key: str) -> str | None:
    """The checklist item a reader check answers directly, if any."""
    return _ITEM_OF_CHECK.get(key)
