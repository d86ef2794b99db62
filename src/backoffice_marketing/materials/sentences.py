"""Splitting blocks of text into sentences, in Japanese and in English.

Japanese sentences end at 。, ！, ？ (and their ASCII forms) outside brackets
such as 「」 and （）; English sentences end at ``.``, ``!`` or ``?`` followed by
a space and not by a lower-case letter, except after common abbreviations. A
block without final punctuation (a heading, a list item) is one sentence.

Excerpts and quoted phrases are cut at word boundaries (:func:`word_starts`):
in Japanese at morpheme boundaries from fugashi with unidic-lite (the ``[ja]``
extra), a run of nouns kept whole as one compound (情報システム部); without
fugashi at changes of character class (kanji and katakana, hiragana, Latin
letters and digits, spaces, punctuation); in English at spaces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence

import attrs

from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.materials.model import Block, Location

__all__ = ["Sentence", "cut_at_word", "snap_to_word", "split_sentences", "word_starts", "words"]

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


#: Parts of speech that join into one compound word (情報 + システム + 部).
_COMPOUND = frozenset({"名詞", "接頭辞", "接尾辞"})
#: Characters that join ASCII letters or digits into one token (addresses, dates, versions).
_JOINERS = frozenset("@.:/")
_JAPANESE_CHAR = re.compile(r"[ぁ-ゖァ-ヺー一-鿿㐀-䶿々〆ヶ]")


def _ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in _JOINERS or char in "_-")


def _char_class(char: str) -> int:
    if char.isspace():
        return 0
    if "ぁ" <= char <= "ゖ":
        return 1
    if "ァ" <= char <= "ヺ" or char in "ー々〆ヶ" or "一" <= char <= "鿿" or "㐀" <= char <= "䶿":
        return 2
    if char.isalnum() or char in "'’-_":
        return 3
    return 4


def _class_starts(text: str) -> tuple[int, ...]:
    """Word starts at changes of character class (the fallback without fugashi)."""
    starts: list[int] = []
    previous = -1
    for position, char in enumerate(text):
        current = _char_class(char)
        if (
            char in _JOINERS
            and 0 < position < len(text) - 1
            and text[position - 1].isascii()
            and text[position - 1].isalnum()
            and text[position + 1].isascii()
            and text[position + 1].isalnum()
        ):
            current = 3  # inside an address or a number: helpdesk@example.co.jp, 2027-05-17
        if current != previous or current == 4:
            starts.append(position)
        previous = current
    return tuple(starts)


_Tag = Callable[[str], list[tuple[str, str, str]]]


@functools.cache
def _tagger() -> _Tag | None:
    """The fugashi tagger as ``text -> [(space before, surface, part of speech)]``, if installed."""
    try:
        from fugashi import Tagger  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the [ja] extra is installed in the test environment
        return None
    try:
        tagger = Tagger()
    except RuntimeError:  # pragma: no cover - fugashi without a dictionary
        return None

    def tag(text: str) -> list[tuple[str, str, str]]:
        return [(word.white_space, word.surface, word.feature.pos1) for word in tagger(text)]

    return tag


def _morpheme_starts(
    text: str, tag: Callable[[str], list[tuple[str, str, str]]]
) -> tuple[int, ...]:
    starts: list[int] = []
    position = 0
    previous = ""
    for space, surface, pos in tag(text):
        found = text.find(surface, position + len(space))
        if found < 0:  # pragma: no cover - the tagger normalised the text; give up on it
            return _class_starts(text)
        joined = found > 0 and _ascii_word(text[found - 1]) and _ascii_word(text[found])
        if not (pos in _COMPOUND and previous in _COMPOUND and not space) and not joined:
            starts.append(found)
        position = found + len(surface)
        previous = pos
    return tuple(starts)


def word_starts(text: str, *, morphemes: bool = True) -> tuple[int, ...]:
    """The offsets in ``text`` where a word (or a Japanese compound) starts, ascending.

    Japanese text goes through fugashi when it is installed and ``morphemes``
    is true; otherwise words start where the character class changes.
    """
    if not text:
        return ()
    tag = _tagger() if morphemes and _JAPANESE_CHAR.search(text) else None
    starts = _morpheme_starts(text, tag) if tag is not None else _class_starts(text)
    return tuple(sorted({0, *starts}))


def snap_to_word(text: str, offset: int, *, morphemes: bool = True) -> int:
    """``offset`` moved back to the start of the word it falls in."""
    starts = word_starts(text, morphemes=morphemes)
    return max((start for start in starts if start <= offset), default=0)


def cut_at_word(text: str, limit: int, *, morphemes: bool = True) -> str:
    """``text`` on one line; if longer than ``limit``, cut at a word start and ended with …."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    starts = word_starts(flat, morphemes=morphemes)
    end = max((start for start in starts if 0 < start <= limit - 1), default=limit - 1)
    return flat[:end].rstrip() + "…"
