"""Measuring text without a font file: conservative widths, wrapping and fitting.

A full-width character (kana, kanji, full-width forms) counts as 1 em; a
half-width one as 0.5 to 0.7 em by its shape; a line is 1.5 em high, which
covers the tall line spacing of CJK fonts (Noto Sans CJK, 游ゴシック). The
estimate is deliberately wider and taller than any font the deck names, so a
text that fits by this measure fits in PowerPoint and LibreOffice too; a test
checks it against the real glyph widths of an installed CJK font.

Text is never set below :data:`MIN_POINTS`: what does not fit at that size
is split onto a further slide by the caller.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "EMU_PER_POINT",
    "LINE_HEIGHT",
    "MIN_POINTS",
    "Box",
    "fits",
    "text_height",
    "text_width",
    "wrap",
]

#: The smallest type size a deck uses (a slide is split rather than going below it).
MIN_POINTS = 14
#: A line's height in em (CJK fonts space their lines ~1.45 em apart).
LINE_HEIGHT = 1.5
#: English Metric Units per typographic point.
EMU_PER_POINT = 12700
#: Wrap at this share of the measured width: room for line-breaking rules (kinsoku).
_WRAP_SLACK = 0.94

_NARROW = frozenset(" .,:;!|'`ilIjt()[]{}/\\-")
_WIDE_ASCII = frozenset("MWmw@%&")


@functools.lru_cache(maxsize=4096)
def _char_em(char: str) -> float:
    if unicodedata.east_asian_width(char) in {"W", "F", "A"}:
        return 1.0
    if char in _NARROW:
        return 0.4
    if char in _WIDE_ASCII:
        return 0.95
    if char.isupper():
        return 0.75
    return 0.62


def text_width(text: str, points: float) -> float:
    """The width of ``text`` set at ``points``, in points (conservative)."""
    return sum(_char_em(char) for char in text) * points


def _tokens(text: str) -> list[str]:
    """Break opportunities: every wide character alone, runs of narrow ones (words) together."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if _char_em(char) == 1.0 or char == " ":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: float, points: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points at ``points`` (at least one)."""
    limit = width * _WRAP_SLACK
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if text_width(line + token, points) <= limit:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = token.lstrip()
            while text_width(line, points) > limit and len(line) > 1:  # a word too long
                cut = len(line) - 1
                while cut > 1 and text_width(line[:cut], points) > limit:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def text_height(
    paragraphs: Iterable[tuple[str, float]], width: float, spacing: float = 0.0
) -> float:
    """The height in points of ``(text, points)`` paragraphs wrapped to ``width`` points.

    ``spacing`` is the space after each paragraph but the last, in em of its size.
    """
    items = list(paragraphs)
    lines = sum(len(wrap(text, width, points)) * points * LINE_HEIGHT for text, points in items)
    return lines + sum(points * spacing for _, points in items[:-1])


@attrs.frozen
class Box:
    """A text box's size in points, less its insets (the room the text has)."""

    width: float
    height: float
    #: The space after each paragraph but the last, in em.
    spacing: float = 0.0

    def height_of(self, paragraphs: Sequence[tuple[str, float]]) -> float:
        """The height ``paragraphs`` take in this box."""
        return text_height(paragraphs, self.width, self.spacing)

    def holds(self, paragraphs: Sequence[tuple[str, float]]) -> bool:
        """Whether ``paragraphs`` fit in this box."""
        return self.height_of(paragraphs) <= self.height


def fits(texts: Sequence[str], box: Box, sizes: Sequence[int]) -> int | None:
    """The largest of ``sizes`` (never below :data:`MIN_POINTS`) at which ``texts`` fit, or None."""
    for size in sorted((s for s in sizes if s >= MIN_POINTS), reverse=True):
        if box.holds([(text, size) for text in texts]):
            return size
    return None
