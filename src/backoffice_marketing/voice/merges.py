"""A person's decisions about FAQ themes: "these are one question", or "keep them apart".

The FAQ lists themes that may be the same question (merge suggestions). A
person decides: :meth:`ThemeDecisions.merge` joins two themes, and every
later grouping honours it; :meth:`ThemeDecisions.split` undoes a merge and
stops the pair from being suggested again. In a workspace the decisions live
in ``inputs/faq-decisions.toml``, written through the safe writer::

    schema_version = 1

    [[merge]]
    themes = ["theme-q003", "theme-q012"]

    [[apart]]
    themes = ["theme-q020", "theme-q031"]

A merged theme takes the id of its official answer when one of its parts has
one, else the smallest id of its parts.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from backoffice_marketing.exceptions import LoadError, Problem, WorkspaceNotFoundError
from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.foundation.io.bounded import read_text_bounded
from backoffice_marketing.foundation.io.documents import parse_document
from backoffice_marketing.foundation.io.limits import MAX_DOCUMENT_BYTES
from backoffice_marketing.voice.meaning import default_analyser
from backoffice_marketing.voice.synonyms import load_synonyms

__all__ = [
    "DECISIONS_FILE",
    "SYNONYMS_FILE",
    "ThemeDecisions",
    "record_merge",
    "record_split",
    "workspace_decisions",
    "workspace_reading",
]

#: Where a workspace keeps the decisions, under its ``inputs/`` folder.
DECISIONS_FILE = "faq-decisions.toml"
_SCHEMA_VERSION = 1

Pair = frozenset[str]


def _pair(first: str, second: str) -> Pair:
    if not first.strip() or not second.strip():
        raise ValueError("a theme id is not blank")
    if first == second:
        raise ValueError(f"a theme is merged with another theme; found {first!r} twice")
    return frozenset((first, second))


def _pairs(values: Iterable[Iterable[str]]) -> frozenset[Pair]:
    return frozenset(frozenset(value) for value in values)


@attrs.frozen
class ThemeDecisions:
    """The merges and the "keep apart" pairs a person decided, by theme id."""

    merges: frozenset[Pair] = attrs.field(default=frozenset(), converter=_pairs)
    apart: frozenset[Pair] = attrs.field(default=frozenset(), converter=_pairs)

    def merge(self, first: str, second: str) -> ThemeDecisions:
        """The decisions with ``first`` and ``second`` joined (no longer kept apart)."""
        pair = _pair(first, second)
        return ThemeDecisions(self.merges | {pair}, self.apart - {pair})

    def split(self, first: str, second: str) -> ThemeDecisions:
        """The decisions with ``first`` and ``second`` apart: unmerged and never suggested."""
        pair = _pair(first, second)
        themes = {first, second}
        kept = {merge for merge in self.merges if not (merge & themes and merge <= themes)}
        return ThemeDecisions(kept, self.apart | {pair})

    def apply(self, theme_of: Mapping[str, str], answered: frozenset[str]) -> dict[str, str]:
        """Each question's theme with the merges applied (a pair kept apart is never joined)."""
        parent: dict[str, str] = {}

        def root(theme: str) -> str:
            while parent.get(theme, theme) != theme:
                theme = parent[theme]
            return theme

        def rank(theme: str) -> tuple[bool, str]:
            return (theme not in answered, theme)

        for pair in sorted(self.merges - self.apart, key=sorted):
            first, second = sorted(pair)
            a, b = root(first), root(second)
            if a != b:
                keep, drop = sorted((a, b), key=rank)
                parent[drop] = keep
        return {question: root(theme) for question, theme in theme_of.items()}

    def to_toml(self) -> str:
        """The decisions as the TOML of ``faq-decisions.toml`` (sorted, deterministic)."""
        lines = [f"schema_version = {_SCHEMA_VERSION}"]
        for key, pairs in (("merge", self.merges), ("apart", self.apart)):
            for pair in sorted(pairs, key=sorted):
                themes = ", ".join(json.dumps(theme, ensure_ascii=False) for theme in sorted(pair))
                lines.extend(("", f"[[{key}]]", f"themes = [{themes}]"))
        return "\n".join(lines) + "\n"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the decisions atomically through the safe writer."""
        write_text_atomic(path, self.to_toml())

    @classmethod
    def from_toml(cls, text: str, *, file: str = "<decisions>") -> ThemeDecisions:
        """Parse the TOML of ``faq-decisions.toml``; raise :class:`LoadError` naming the line."""
        document = parse_document(text, format="toml", file=file)
        data: Any = document.data
        problems: list[Problem] = document.version_problems(_SCHEMA_VERSION)
        found: dict[str, list[Pair]] = {"merge": [], "apart": []}
        problems.extend(
            document.problem((key,), f"unknown key {key!r}; expected merge, apart")
            for key in sorted(set(data) - {"schema_version", *found})
        )
        for key, pairs in found.items():
            entries = data.get(key, [])
            if not isinstance(entries, list):
                problems.append(document.problem((key,), "expected a list of [[tables]]"))
                continue
            for index, entry in enumerate(entries):
                themes = entry.get("themes") if isinstance(entry, dict) else None
                if (
                    not isinstance(themes, list)
                    or len(themes) != 2
                    or not all(isinstance(t, str) and t.strip() for t in themes)
                    or themes[0] == themes[1]
                ):
                    problems.append(
                        document.problem((key, index, "themes"), "expected two different theme ids")
                    )
                    continue
                pairs.append(frozenset(themes))
        if problems:
            raise LoadError(problems)
        return cls(found["merge"], found["apart"])

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ThemeDecisions:
        """Read ``faq-decisions.toml``; a missing file means no decisions yet."""
        if not os.path.lexists(path):
            return cls()
        text = read_text_bounded(path, limit=MAX_DOCUMENT_BYTES, what="FAQ decisions")
        return cls.from_toml(text, file=os.fspath(path))


#: A workspace's own synonyms, under its ``inputs/`` folder (see :mod:`.synonyms`).
SYNONYMS_FILE = "synonyms.toml"


def _inputs(folder: str | os.PathLike[str]) -> Path:
    """The ``inputs/`` folder of the workspace at ``folder``; an error when there is none."""
    inputs = Path(folder) / "inputs"
    if not inputs.is_dir() or inputs.is_symlink():
        raise WorkspaceNotFoundError(os.fspath(folder), "inputs/")
    return inputs


def workspace_decisions(folder: str | os.PathLike[str]) -> ThemeDecisions:
    """The decisions recorded in the workspace at ``folder`` (none when the file is missing)."""
    return ThemeDecisions.from_file(_inputs(folder) / DECISIONS_FILE)


def record_merge(folder: str | os.PathLike[str], first: str, second: str) -> ThemeDecisions:
    """Record in the workspace that themes ``first`` and ``second`` are one question."""
    path = _inputs(folder) / DECISIONS_FILE
    decisions = ThemeDecisions.from_file(path).merge(first, second)
    decisions.save(path)
    return decisions


def record_split(folder: str | os.PathLike[str], first: str, second: str) -> ThemeDecisions:
    """Record in the workspace that themes ``first`` and ``second`` are separate questions."""
    path = _inputs(folder) / DECISIONS_FILE
    decisions = ThemeDecisions.from_file(path).split(first, second)
    decisions.save(path)
    return decisions


def workspace_reading(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``decisions`` and ``analyser`` arguments of ``FAQ.build`` for a workspace.

    The decisions come from ``inputs/faq-decisions.toml``; when
    ``inputs/synonyms.toml`` exists, the analyser reads through the shipped
    table extended by it.
    """
    inputs = _inputs(folder)
    found: dict[str, Any] = {"decisions": workspace_decisions(folder)}
    synonyms = inputs / SYNONYMS_FILE
    if synonyms.exists() or synonyms.is_symlink():
        found["analyser"] = default_analyser(load_synonyms(synonyms))
    return found
