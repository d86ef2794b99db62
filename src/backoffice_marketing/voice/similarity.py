"""How alike two short texts are, in Japanese and English, without any language model.

The method, in full:

1. **Normalise** (:func:`normalise`): Unicode NFKC (full-width letters and
   digits become ASCII, half-width katakana become full-width), case folding,
   katakana to hiragana, and every punctuation mark, symbol, control character
   or space becomes one space.
2. **Features** (:func:`features`): the normalised text is cut into runs of
   Latin letters and digits and runs of other letters (kana, kanji). A Latin
   run that is an English function word (``the``, ``should``, ``my``...) is
   dropped; the others give their character trigrams with a space at each end
   (``" hours "`` gives ``" ho"``, ``"hou"``, ...), so that ``answer`` and
   ``answering`` share most features. A Japanese run gives its character
   bigrams (a run of one character gives itself), which is the usual way to
   compare Japanese without a word segmenter.
3. **Similarity** (:func:`similarity`): the cosine of the two feature count
   vectors, in [0, 1].

Two questions are near-duplicates when their similarity is at least
:data:`SIMILARITY_THRESHOLD` (0.35). The value was set on reworded questions
about 1on1 meetings in both languages: rewordings of one question scored 0.36
to 0.92, questions on different topics at most 0.34. Raise it for fewer,
tighter themes; lower it to merge more.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

import attrs

__all__ = ["SIMILARITY_THRESHOLD", "TextVector", "features", "normalise", "similarity"]

SIMILARITY_THRESHOLD = 0.35

_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "is",
        "are",
        "am",
        "be",
        "been",
        "do",
        "does",
        "did",
        "i",
        "my",
        "me",
        "we",
        "our",
        "us",
        "you",
        "your",
        "it",
        "its",
        "for",
        "in",
        "on",
        "at",
        "by",
        "what",
        "how",
        "should",
        "can",
        "could",
        "must",
        "will",
        "would",
        "if",
        "when",
        "with",
        "and",
        "or",
        "that",
        "this",
        "there",
        "as",
        "so",
        "any",
        "have",
        "has",
    ]
)
_LATIN = "0-9a-z\u00c0-\u024f"
_RUNS = re.compile(rf"[{_LATIN}]+|[^\s{_LATIN}]+")
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalise(text: str) -> str:
    """``text`` in NFKC, case-folded, katakana as hiragana, punctuation and symbols as spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_KATAKANA_TO_HIRAGANA)
    kept = "".join(" " if unicodedata.category(char)[0] in "PSZC" else char for char in folded)
    return " ".join(kept.split())


def features(text: str) -> Counter[str]:
    """The n-gram counts of ``text``: trigrams of English words, bigrams of Japanese runs."""
    counts: Counter[str] = Counter()
    for run in _RUNS.findall(normalise(text)):
        if re.fullmatch(rf"[{_LATIN}]+", run):
            if run in _STOP_WORDS:
                continue
            padded = f" {run} "
            counts.update(padded[i : i + 3] for i in range(len(padded) - 2))
        elif len(run) == 1:
            counts[run] += 1
        else:
            counts.update(run[i : i + 2] for i in range(len(run) - 1))
    return counts


@attrs.frozen
class TextVector:
    """The features of one text with their Euclidean norm, computed once."""

    counts: Mapping[str, int] = attrs.field(eq=False)
    norm: float

    @classmethod
    def of(cls, text: str) -> TextVector:
        """The vector of ``text``."""
        counts = features(text)
        return cls(counts, math.sqrt(sum(value * value for value in counts.values())))

    def cosine(self, other: TextVector) -> float:
        """The cosine similarity with ``other`` in [0, 1] (0 when either has no features)."""
        if not self.norm or not other.norm:
            return 0.0
        small, large = (
            (self.counts, other.counts)
            if len(self.counts) <= len(other.counts)
            else (other.counts, self.counts)
        )
        dot = sum(value * large.get(key, 0) for key, value in small.items())
        return min(1.0, dot / (self.norm * other.norm))


def similarity(first: str, second: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same features)."""
    return TextVector.of(first).cosine(TextVector.of(second))
