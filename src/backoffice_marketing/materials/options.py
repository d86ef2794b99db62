"""The settings of the materials linter, with defaults grounded in style guides.

The Japanese sentence-length threshold follows the 2022 government guide on
official writing (公用文作成の考え方, 文化審議会建議), which suggests keeping a
sentence to about 50 to 60 characters; the English one follows plain-language
guides that put the average sentence at 15 to 20 words and warn above 25.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from backoffice_marketing.foundation.validators import FieldValueError, at_least
from backoffice_marketing.materials.readability import ReadabilityMethod

__all__ = ["LintOptions"]


def _rule_ids(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise TypeError("disabled_rules takes a collection of rule ids, not a single string")
    return frozenset(values)


def _terms(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise TypeError("allowed_terms takes a collection of terms, not a single string")
    return frozenset(values)


def _method(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in ("auto", "jreadability", "tateishi"):
        raise FieldValueError(
            (attribute.name,), f"expected auto, jreadability or tateishi; found {value!r}"
        )


@attrs.frozen
class LintOptions:
    """Thresholds and switches of :func:`backoffice_marketing.materials.lint`.

    ``max_sentence_chars`` (Japanese) and ``max_sentence_words`` (English)
    give a warning above them, ``hard_sentence_chars`` and
    ``hard_sentence_words`` an error. ``max_commas`` is the most 、 in one
    sentence; ``max_kanji_run`` the longest run of kanji (numerals not
    counted); ``max_abstract_nouns`` the most abstract nouns (-tion, -ment ...)
    in one English sentence; ``action_within_sentences`` how early the reader's
    first action must appear. ``readability`` chooses the Japanese method.
    ``disabled_rules`` switches rules off by id. ``allowed_terms`` are
    glossary terms this company's readers know, never flagged as jargon
    (English ones ignoring case). ``document_date`` is the date of the
    document: only dates on or after it answer the reader's "when" (without
    it, the latest date in the document's header lines is used).
    """

    max_sentence_chars: int = attrs.field(default=60, validator=at_least(10))
    hard_sentence_chars: int = attrs.field(default=100, validator=at_least(10))
    max_commas: int = attrs.field(default=3, validator=at_least(1))
    max_kanji_run: int = attrs.field(default=6, validator=at_least(2))
    max_sentence_words: int = attrs.field(default=25, validator=at_least(5))
    hard_sentence_words: int = attrs.field(default=40, validator=at_least(5))
    max_abstract_nouns: int = attrs.field(default=3, validator=at_least(1))
    action_within_sentences: int = attrs.field(default=5, validator=at_least(1))
    readability: ReadabilityMethod = attrs.field(default="auto", validator=_method)
    disabled_rules: frozenset[str] = attrs.field(default=frozenset(), converter=_rule_ids)
    allowed_terms: frozenset[str] = attrs.field(default=frozenset(), converter=_terms)
    document_date: dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(dt.date))
    )

    def __attrs_post_init__(self) -> None:
        if self.hard_sentence_chars < self.max_sentence_chars:
            raise FieldValueError(
                ("hard_sentence_chars",),
                f"must be at least max_sentence_chars ({self.max_sentence_chars}); "
                f"found {self.hard_sentence_chars}",
            )
        if self.hard_sentence_words < self.max_sentence_words:
            raise FieldValueError(
                ("hard_sentence_words",),
                f"must be at least max_sentence_words ({self.max_sentence_words}); "
                f"found {self.hard_sentence_words}",
            )

    def allows(self, term: str) -> bool:
        """Whether ``term`` is on the allowlist (compared as written and ignoring case)."""
        return term in self.allowed_terms or term.lower() in {
            allowed.lower() for allowed in self.allowed_terms
        }

    def enabled(self, rule: str) -> bool:
        """Whether ``rule`` is switched on."""
        return rule not in self.disabled_rules
