"""Glossaries of back-office jargon, each term with a plain alternative.

The package ships a default glossary (accounting, HR, general-affairs and IT
terms in Japanese and English, ``data/materials/glossary.toml``); users bring
their own in the same form::

    schema_version = 1

    [[entries]]
    term = "稟議"
    plain = "社内の承認手続き"
    lang = "ja"

Japanese terms match anywhere in the text; English terms match whole words,
ignoring case. When terms overlap, the longest wins.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from typing import Self

import attrs

from backoffice_marketing.text import Lang, check_lang
from backoffice_marketing.validators import FieldValueError, non_blank, unique_ids

__all__ = ["Glossary", "GlossaryEntry", "default_glossary"]


def _lang(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("ja", "en"):
        raise FieldValueError((attribute.name,), f"expected 'ja' or 'en'; found {value!r}")


@attrs.frozen
class GlossaryEntry:
    """A term the field may not know, and the plain words to use instead."""

    term: str = attrs.field(validator=non_blank)
    plain: str = attrs.field(validator=non_blank)
    lang: str = attrs.field(default="ja", validator=_lang)

    @property
    def key(self) -> tuple[str, str]:
        """The identity of the entry: language and term (English ignoring case)."""
        return (self.lang, self.term if self.lang == "ja" else self.term.lower())


def _entries(values: Iterable[GlossaryEntry]) -> tuple[GlossaryEntry, ...]:
    return tuple(values)


@attrs.frozen
class Glossary:
    """An immutable set of glossary entries; a term appears at most once per language."""

    entries: tuple[GlossaryEntry, ...] = attrs.field(
        converter=_entries, validator=unique_ids("key", "glossary term")
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Load a glossary from a TOML, JSON or YAML file."""
        from backoffice_marketing.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.io.documents import read_document  # noqa: PLC0415

        return structure_document(read_document(path), cls)

    @classmethod
    def from_mapping(cls, terms: dict[str, str], *, lang: Lang = "ja") -> Self:
        """A glossary from ``{term: plain alternative}`` in one language."""
        checked = check_lang(lang)
        return cls(GlossaryEntry(term, plain, checked) for term, plain in sorted(terms.items()))

    def merge(self, other: Glossary) -> Glossary:
        """A copy with ``other``'s entries added; ``other`` wins on a shared term."""
        replaced = {entry.key for entry in other.entries}
        kept = [entry for entry in self.entries if entry.key not in replaced]
        return Glossary((*kept, *other.entries))

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"<Glossary entries={len(self.entries)}>"

    def for_lang(self, lang: Lang) -> tuple[GlossaryEntry, ...]:
        """The entries of one language, longest term first."""
        return tuple(
            sorted(
                (entry for entry in self.entries if entry.lang == lang),
                key=lambda entry: (-len(entry.term), entry.term),
            )
        )

    @functools.cached_property
    def _patterns(self) -> dict[str, tuple[re.Pattern[str] | None, dict[str, GlossaryEntry]]]:
        patterns: dict[str, tuple[re.Pattern[str] | None, dict[str, GlossaryEntry]]] = {}
        for lang in ("ja", "en"):
            entries = self.for_lang(check_lang(lang))
            lookup = {entry.key[1]: entry for entry in entries}
            if not entries:
                patterns[lang] = (None, lookup)
                continue
            body = "|".join(re.escape(entry.term) for entry in entries)
            if lang == "en":
                pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
            else:
                pattern = re.compile(body)
            patterns[lang] = (pattern, lookup)
        return patterns

    def find(self, text: str, lang: Lang) -> Iterator[tuple[int, str, GlossaryEntry]]:
        """Each match in ``text``: its offset, the text matched and the entry."""
        pattern, lookup = self._patterns[check_lang(lang)]
        if pattern is None:
            return
        for match in pattern.finditer(text):
            found = match.group()
            yield match.start(), found, lookup[found if lang == "ja" else found.lower()]


@functools.cache
def default_glossary() -> Glossary:
    """The shipped glossary of back-office jargon (ja and en)."""
    from backoffice_marketing.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.io.documents import load_package_document  # noqa: PLC0415

    return structure_document(load_package_document("materials/glossary.toml"), Glossary)
