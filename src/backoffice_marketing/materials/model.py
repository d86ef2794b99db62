"""The records of the materials linter: locations, blocks of text, findings.

A document (text, Markdown, Word or PowerPoint) is read into a
:class:`Material`: a sequence of :class:`Block` objects (headings, paragraphs,
list items, table cells), each able to say where any character of its text
came from in the original file. A rule that fires produces a :class:`Finding`
whose :class:`Location` is a line and column for text files, a paragraph for
Word and a slide and paragraph for PowerPoint.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from typing import Literal

import attrs

from backoffice_marketing.foundation.text import Lang, LocalizedText, resolve_lang

__all__ = [
    "Anchor",
    "Block",
    "BlockKind",
    "Finding",
    "Location",
    "Material",
    "MaterialFormat",
    "Severity",
]

MaterialFormat = Literal["text", "markdown", "docx", "pptx"]


class Severity(enum.StrEnum):
    """How much a finding matters to the reader."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def weight(self) -> float:
        """The weight of one finding of this severity in the style part of the score."""
        return _SEVERITY_WEIGHTS[self]


_SEVERITY_WEIGHTS = {Severity.INFO: 0.25, Severity.WARNING: 1.0, Severity.ERROR: 2.0}


class BlockKind(enum.StrEnum):
    """What a block of text is in its document."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"


@attrs.frozen
class Location:
    """Where a finding is: line and column, or slide and paragraph, or paragraph (1-based).

    Text and Markdown use ``line`` and ``column``; Word documents use
    ``paragraph`` (and ``column`` inside it); PowerPoint uses ``slide`` and
    ``paragraph`` (and ``column``).
    """

    line: int | None = None
    column: int | None = None
    slide: int | None = None
    paragraph: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """A key that orders locations as they appear in the document."""
        return (self.slide or 0, self.paragraph or 0, self.line or 0, self.column or 0)

    def shifted(self, characters: int) -> Location:
        """The location moved ``characters`` to the right (columns only)."""
        if self.column is None or characters == 0:
            return self
        return attrs.evolve(self, column=self.column + characters)

    def describe(self, *, lang: Lang | None = None) -> str:
        """The location in words, for example ``line 3, column 5`` or ``スライド2 段落1``."""
        parts: list[str] = []
        if resolve_lang(lang) == "ja":
            if self.slide is not None:
                parts.append(f"スライド{self.slide}")
            if self.paragraph is not None:
                parts.append(f"段落{self.paragraph}")
            if self.line is not None:
                parts.append(f"{self.line}行目")
            if self.column is not None:
                parts.append(f"{self.column}文字目")
            return " ".join(parts)
        if self.slide is not None:
            parts.append(f"slide {self.slide}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.describe()


@attrs.frozen
class Anchor:
    """The location of the character at ``offset`` of a block's text."""

    offset: int
    location: Location


def _anchors(values: Iterable[Anchor]) -> tuple[Anchor, ...]:
    result = tuple(sorted(values, key=lambda anchor: anchor.offset))
    if not result or result[0].offset != 0:
        raise ValueError("a block needs an anchor at offset 0")
    return result


@attrs.frozen
class Block:
    """A unit of text of a document: a heading, a paragraph, a list item or a table cell.

    ``anchors`` map offsets of ``text`` back to the original file: the location
    of character ``i`` is that of the last anchor at or before ``i``, moved
    right by the distance to it.
    """

    text: str
    kind: BlockKind = attrs.field(converter=BlockKind)
    anchors: tuple[Anchor, ...] = attrs.field(converter=_anchors)

    @classmethod
    def at(cls, text: str, kind: BlockKind | str, location: Location) -> Block:
        """A block whose text starts at ``location`` and runs on without breaks."""
        return cls(text, BlockKind(kind), (Anchor(0, location),))

    def locate(self, offset: int) -> Location:
        """The location of character ``offset`` of the text."""
        offsets = [anchor.offset for anchor in self.anchors]
        index = max(bisect.bisect_right(offsets, offset) - 1, 0)
        anchor = self.anchors[index]
        return anchor.location.shifted(offset - anchor.offset)


def _blocks(values: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(values)


@attrs.frozen
class Material:
    """A document read for review: its name, its format and its blocks of text."""

    name: str
    format: MaterialFormat
    blocks: tuple[Block, ...] = attrs.field(converter=_blocks)

    @property
    def text(self) -> str:
        """All the text, one block per line."""
        return "\n".join(block.text for block in self.blocks)

    @property
    def start(self) -> Location:
        """The location of the start of the document."""
        if self.blocks:
            return self.blocks[0].locate(0)
        if self.format == "docx":
            return Location(paragraph=1)
        if self.format == "pptx":
            return Location(slide=1, paragraph=1)
        return Location(line=1, column=1)

    def __repr__(self) -> str:
        return f"<Material {self.name!r} format={self.format} blocks={len(self.blocks)}>"


@attrs.frozen
class Finding:
    """One problem a reader would stumble on, where it is, and how to fix it."""

    rule: str
    severity: Severity = attrs.field(converter=Severity)
    location: Location
    message: LocalizedText
    suggestion: LocalizedText
    excerpt: str = ""
