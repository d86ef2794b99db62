"""The synonym table: words of workplace IT and HR that mean the same in a question.

The FAQ builder reads a question's words through this table, so that
パソコン, 個人PC and "laptop" count as one concept (``pc``), and スマホ,
携帯 and "cell phone" as another. The shipped table is
``data/synonyms.toml``; a workspace extends it with ``inputs/synonyms.toml``
in the same form::

    schema_version = 1

    [concepts]
    pc = ["PC", "パソコン", "端末", "laptop"]
    tablet = ["タブレット", "iPad"]

Each key is a concept and its list the words and phrases read as it. Words
are compared after NFKC and case folding (the analyser then lemmatises
them). A concept's own name is one of its words, so listing another
concept's name folds that concept in: ``pc = ["laptop"]`` with
``laptop = ["ノートPC"]`` reads ノートPC as ``pc``. A chain that comes back to
where it started (``a = ["b"]``, ``b = ["a"]``) and a word listed twice in one
file are errors naming the line. A user's table adds to the shipped one:
its concepts add words to shipped concepts of the same name, and a word it
lists leaves the shipped concept that had it, and so does the name of a
concept it defines (``tablet = [...]`` is its own concept even though the
shipped table lists "tablet" under ``smartphone``).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

import attrs

from backoffice_marketing.exceptions import LoadError, Problem
from backoffice_marketing.foundation.io.bounded import read_text_bounded
from backoffice_marketing.foundation.io.documents import parse_document
from backoffice_marketing.foundation.io.limits import MAX_DOCUMENT_BYTES

__all__ = ["SHIPPED_SYNONYMS", "SynonymTable", "default_synonyms", "load_synonyms"]

#: The shipped table, in the package's ``data`` folder.
SHIPPED_SYNONYMS = "synonyms.toml"
_SCHEMA_VERSION = 1


def normalise_word(word: str) -> str:
    """``word`` in NFKC, case-folded, with runs of spaces as one space."""
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split())


@attrs.frozen
class _Entry:
    """One word of one concept, with where it was written."""

    word: str
    concept: str
    file: str
    line: int | None


@attrs.frozen
class SynonymTable:
    """Every word (normalised) mapped to its concept, chains already followed.

    ``concepts`` maps each concept to its words as written (for documentation
    and for the analyser, which lemmatises them); ``word_concepts`` maps each
    normalised word to the concept it reads as.
    """

    concepts: Mapping[str, tuple[str, ...]] = attrs.field(eq=False)
    word_concepts: Mapping[str, str] = attrs.field(eq=False)
    sources: tuple[str, ...] = ()

    def concept_of(self, word: str) -> str | None:
        """The concept ``word`` reads as, or ``None``."""
        return self.word_concepts.get(normalise_word(word))

    def words(self) -> Iterator[tuple[str, str]]:
        """``(word as written, concept)`` for every word, concept names included, sorted."""
        for concept in sorted(self.concepts):
            for word in (concept, *self.concepts[concept]):
                found = self.word_concepts.get(normalise_word(word))
                if found is not None:
                    yield word, found

    def __len__(self) -> int:
        return len(self.word_concepts)

    def __repr__(self) -> str:
        return f"<SynonymTable concepts={len(self.concepts)} words={len(self.word_concepts)}>"


def _line_of(lines: list[str], start: int | None, word: str) -> int | None:
    """The first line at or after ``start`` that holds ``word`` in quotes (multi-line arrays)."""
    if start is None:
        return None
    for number in range(start, len(lines) + 1):
        if f'"{word}"' in lines[number - 1] or f"'{word}'" in lines[number - 1]:
            return number
    return start


def _entries(text: str, file: str) -> list[_Entry]:
    """The entries of one table's text; raise :class:`LoadError` naming every problem."""
    document = parse_document(text, format="toml", file=file)
    data: Any = document.data
    problems: list[Problem] = document.version_problems(_SCHEMA_VERSION)
    concepts = data.get("concepts", {})
    if not isinstance(concepts, dict):
        problems.append(document.problem(("concepts",), "expected a table of concepts"))
        concepts = {}
    problems.extend(
        document.problem((key,), f"unknown key {key!r}; expected concepts")
        for key in sorted(set(data) - {"schema_version", "concepts"})
    )
    lines = text.split("\n")
    entries: list[_Entry] = []
    seen: dict[str, _Entry] = {}
    for name, words in concepts.items():
        line = document.locate(("concepts", name))[0]
        concept = normalise_word(name)
        if not concept:
            problems.append(document.problem(("concepts", name), "a concept needs a name"))
            continue
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            problems.append(
                document.problem(("concepts", name), "expected a list of words (strings)")
            )
            continue
        for word in words:
            key = normalise_word(word)
            where = _line_of(lines, line, word)
            if not key:
                problems.append(
                    Problem(file, where, None, f"concepts.{name}", "an empty word matches nothing")
                )
                continue
            earlier = seen.get(key)
            if earlier is not None:
                problems.append(
                    Problem(
                        file,
                        where,
                        None,
                        f"concepts.{name}",
                        f"{word!r} is listed twice: already under {earlier.concept!r}"
                        f" on line {earlier.line}",
                    )
                )
                continue
            entry = _Entry(key, concept, file, where)
            seen[key] = entry
            entries.append(entry)
    if problems:
        raise LoadError(problems)
    return entries


def _concept_lines(text: str, file: str) -> dict[str, tuple[str, int | None]]:

    document = parse_document(text, format="toml", file=file)
    data: Any = document.data
    concepts = data.get("concepts", {}) if isinstance(data, dict) else {}
    return {
        normalise_word(name): (file, document.locate(("concepts", name))[0]) for name in concepts
    }


def _build(sources: list[tuple[str, str]]) -> SynonymTable:
    """The table from ``(text, file)`` sources, later ones overriding earlier ones."""
    written: dict[str, list[str]] = {}
    direct: dict[str, _Entry] = {}
    lines: dict[str, tuple[str, int | None]] = {}
    for text, file in sources:
        entries = _entries(text, file)
        named = _concept_lines(text, file)
        lines.update(named)
        for entry in entries:
            direct[entry.word] = entry  # a later table moves the word to its own concept
        listed = {entry.word for entry in entries}
        for name, (_file, line) in named.items():
            written.setdefault(name, [])
            if name not in listed and name in direct and direct[name].file != file:
                # A concept this table defines is its own, even if an earlier table lists its name.
                direct[name] = _Entry(name, name, file, line)
        for entry in entries:
            written.setdefault(entry.concept, []).append(entry.word)
    resolved: dict[str, str] = {}
    problems: list[Problem] = []
    for concept in sorted(written):
        target = _follow(concept, direct)
        if isinstance(target, list):
            file, line = lines.get(concept, ("", None))
            problems.append(
                Problem(
                    file,
                    line,
                    None,
                    f"concepts.{concept}",
                    "the concepts name each other in a cycle: " + " -> ".join(target),
                )
            )
            continue
        resolved[concept] = target
    if problems:
        raise LoadError(problems)
    word_concepts = {word: resolved[entry.concept] for word, entry in direct.items()}
    for concept, target in resolved.items():
        word_concepts.setdefault(concept, target)
    kept = {
        concept: tuple(w for w in words if direct[w].concept == concept)
        for concept, words in sorted(written.items())
    }
    return SynonymTable(kept, word_concepts, tuple(file for _text, file in sources))


def _follow(concept: str, direct: Mapping[str, _Entry]) -> str | list[str]:
    """Where a concept's chain ends, or the cycle (a list of names) it runs into."""
    path = [concept]
    current = concept
    while True:
        entry = direct.get(current)
        if entry is None or entry.concept == current:
            return current
        current = entry.concept
        if current in path:
            return [*path[path.index(current) :], current]
        path.append(current)


@functools.cache
def _shipped_text() -> str:

    raw = resources.files("backoffice_marketing.data").joinpath(SHIPPED_SYNONYMS).read_bytes()
    return raw.decode("utf-8")


@functools.cache
def default_synonyms() -> SynonymTable:
    """The shipped table (read once)."""
    return _build([(_shipped_text(), SHIPPED_SYNONYMS)])


def load_synonyms(
    path: str | os.PathLike[str] | None = None, *, text: str | None = None
) -> SynonymTable:
    """The shipped table extended by the user's table at ``path`` (or given as ``text``).

    Raise :class:`~backoffice_marketing.exceptions.LoadError` naming the
    file and line of every duplicate word, cycle or malformed entry.
    """
    sources = [(_shipped_text(), SHIPPED_SYNONYMS)]
    if path is not None:
        sources.append(
            (
                read_text_bounded(path, limit=MAX_DOCUMENT_BYTES, what="synonym table"),
                str(path),
            )
        )
    if text is not None:
        sources.append((text, "<synonyms>"))
    if len(sources) == 1:
        return default_synonyms()
    return _build(sources)
