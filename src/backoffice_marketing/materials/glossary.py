"""Glossaries of back-office jargon, each term with a plain alternative.

The package ships a default glossary (accounting, HR, general-affairs and IT
terms in Japanese and English, ``data/materials/glossary.toml``); users bring
their own in the same form::

    schema_version = 1

    allow = ["稟議"]          # terms this company's readers know: never flagged

    [[entries]]
    term = "証憑"
    plain = "領収書などの証拠書類"
    lang = "ja"
    level = "error"          # or "info"

Each entry has a level: ``error`` for real jargon the field does not know
(証憑, 按分, provisioning), ``info`` for everyday business words that are
fine for most readers but worth a second look in a notice to the field
(施策, 稟議, stakeholder). A jargon finding takes the entry's level as its
severity. ``allow`` lists terms never to flag, for a company whose readers
know them; :class:`~backoffice_marketing.materials.LintOptions` takes one
more allowlist per run (``allowed_terms``).

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

from backoffice_marketing.foundation.text import Lang, check_lang
from backoffice_marketing.foundation.validators import FieldValueError, non_blank, unique_ids

__all__ = ["LEVELS", "Glossary", "GlossaryEntry", "default_glossary"]

#: The levels of a glossary entry: real jargon, or an everyday business word.
LEVELS = ("error", "info")


def _lang(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("ja", "en"):
        raise FieldValueError((attribute.name,), f"expected 'ja' or 'en'; found {value!r}")


def _level(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in LEVELS:
        raise FieldValueError((attribute.name,), f"expected 'error' or 'info'; found {value!r}")


def _terms(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise FieldValueError(("allow",), f"expected a list of terms; found {values!r}")
    return frozenset(values)


@attrs.frozen
class GlossaryEntry:
    """A term the field may not know, and the plain words to use instead."""

    term: str = attrs.field(validator=non_blank)
    plain: str = attrs.field(validator=non_blank)
    lang: str = attrs.field(default="ja", validator=_lang)
    level: str = attrs.field(default="error", validator=_level)

    @property
    def key(self) -> tuple[str, str]:
        """The identity of the entry: language and term (English ignoring case)."""
        return (self.lang, self.term if self.lang == "ja" else self.term.lower())


def _entries(values: Iterable[GlossaryEntry]) -> tuple[GlossaryEntry, ...]:
    return tuple(values)


@attrs.frozen
class Glossary:
    """An immutable set of glossary entries (a term at most once per language) and an allowlist."""

    entries: tuple[GlossaryEntry, ...] = attrs.field(
        converter=_entries, validator=unique_ids("key", "glossary term")
    )
    allow: frozenset[str] = attrs.field(default=frozenset(), converter=_terms)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Load a glossary from a TOML, JSON or YAML file."""
        from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
        from backoffice_marketing.foundation.io.documents import read_document  # noqa: PLC0415

        return structure_document(read_document(path), cls)

    @classmethod
    def from_mapping(
        cls, terms: dict[str, str], *, lang: Lang = "ja", level: str = "error"
    ) -> Self:
        """A glossary from ``{term: plain alternative}`` in one language, all at ``level``."""
        checked = check_lang(lang)
        return cls(
            GlossaryEntry(term, plain, checked, level) for term, plain in sorted(terms.items())
        )

    def merge(self, other: Glossary) -> Glossary:
        """A copy with ``other``'s entries added (``other`` wins a tie), allowlists joined."""
        replaced = {entry.key for entry in other.entries}
        kept = [entry for entry in self.entries if entry.key not in replaced]
        return Glossary((*kept, *other.entries), self.allow | other.allow)

    def allowing(self, terms: Iterable[str]) -> Glossary:
        """A copy that never flags ``terms`` (English ones ignoring case)."""
        return Glossary(self.entries, self.allow | _terms(terms))

    def allows(self, term: str) -> bool:
        """Whether ``term`` is on the allowlist (English terms compared ignoring case)."""
        return term in self.allow or term.lower() in {word.lower() for word in self.allow}

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
            entries = tuple(e for e in self.for_lang(check_lang(lang)) if not self.allows(e.term))
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
    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    return structure_document(load_package_document("materials/glossary.toml"), Glossary)
