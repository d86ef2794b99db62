"""Splitting blocks of text into sentences, in Japanese and in English.

Japanese sentences end at 。, ！, ？ (and their ASCII forms) outside brackets
such as 「」 and （）; English sentences end at ``.``, ``!`` or ``?`` followed by
a space and not by a lower-case letter, except after common abbreviations. A
block without final punctuation (a heading, a list item) is one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

from backoffice_marketing.materials.model import Block, Location
from backoffice_marketing.text import Lang

__all__ = ["Sentence", "split_sentences", "words"]

_JA_END = frozenset("。！？!?．")
_OPEN = frozenset("「『（(【〔［[〈《")
_CLOSE = frozenset("」』）)】〕］]〉》")
#: An opening bracket left unclosed this long is ignored (a typo, not a quotation).
_MAX_QUOTE = 200
_EN_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "vs", "fig", "approx", "dept", "st", "jr"}
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:/-]*")


@attrs.frozen
class Sentence:
    """One sentence: its text, the block it is in and where it starts in that block."""

    text: str
    block: int
    start: int
    index: int

    def locate(self, blocks: Sequence[Block], offset: int = 0) -> Location:
        """The location of character ``offset`` of this sentence."""
        return blocks[self.block].locate(self.start + offset)


def words(text: str) -> list[str]:
    """The words of an English text (numbers count as words)."""
    return _WORD.findall(text)


def _spans_ja(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    depth = 0
    opened = 0
    for position, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                opened = position
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif char in _JA_END:
            if depth and position - opened > _MAX_QUOTE:
                depth = 0
            if depth == 0:
                yield start, position + 1
                start = position + 1
    yield start, len(text)


def _spans_en(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _EN_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].lower() if before else ""
        following = text[match.end() :].lstrip()[:1]
        if match.group().startswith(".") and (
            last_word.rstrip(".") in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
        ):
            continue
        if following.islower():
            continue
        yield start, match.end()
        start = match.end()
    yield start, len(text)


def split_sentences(blocks: Sequence[Block], lang: Lang) -> tuple[Sentence, ...]:
    """Every sentence of ``blocks``, in document order, numbered from 0."""
    spans = _spans_ja if lang == "ja" else _spans_en
    result: list[Sentence] = []
    for block_index, block in enumerate(blocks):
        text = block.text
        for start, end in spans(text):
            piece = text[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            lead = len(piece) - len(piece.lstrip())
            result.append(Sentence(stripped, block_index, start + lead, len(result)))
    return tuple(result)
