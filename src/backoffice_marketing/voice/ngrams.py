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

The FAQ builder (:func:`backoffice_marketing.voice.faq.group_questions`)
weighs each feature by its inverse document frequency over the texts being
grouped, ``idf = ln((1 + N) / (1 + df)) + 1`` (:class:`Weights`), so that
words every question shares ("1on1", "ですか") count for little and the
words that tell topics apart count for much. Two questions are
near-duplicates when the weighted cosine is at least
:data:`SIMILARITY_THRESHOLD` (0.28). The value was set on reworded questions
about 1on1 meetings in both languages: rewordings of one question scored from
0.32 to 1.0 against their theme, questions on other topics at most 0.25.
Raise it for fewer, tighter themes; lower it to merge more.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

__all__ = [
    "SIMILARITY_THRESHOLD",
    "TextVector",
    "Weights",
    "features",
    "normalise",
    "similarity",
]

SIMILARITY_THRESHOLD = 0.28

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
class Weights:
    """Inverse document frequencies of the features of a set of texts."""

    idf: Mapping[str, float] = attrs.field(eq=False)
    unseen: float

    @classmethod
    def of(cls, texts: Iterable[str]) -> Weights:
        """The weights over ``texts`` (their order does not matter)."""
        return cls.of_counts(features(text) for text in texts)

    @classmethod
    def of_counts(cls, counts: Iterable[Mapping[str, float]]) -> Weights:
        """The weights over texts given by their feature counts (order does not matter)."""
        frequency: Counter[str] = Counter()
        count = 0
        for found in counts:
            count += 1
            frequency.update(found.keys())
        idf = {key: math.log((1 + count) / (1 + df)) + 1 for key, df in frequency.items()}
        return cls(idf, math.log(1 + count) + 1)


@attrs.frozen
class TextVector:
    """The (weighted) features of one text with their Euclidean norm, computed once."""

    counts: Mapping[str, float] = attrs.field(eq=False)
    norm: float

    @classmethod
    def of(cls, text: str, weights: Weights | None = None) -> TextVector:
        """The vector of ``text``, weighted by ``weights`` when given."""
        return cls.of_counts(features(text), weights)

    @classmethod
    def of_counts(cls, raw: Mapping[str, float], weights: Weights | None = None) -> TextVector:
        """The vector of a text given by its feature counts, weighted by ``weights`` when given."""
        counts: dict[str, float] = (
            dict(raw)
            if weights is None
            else {key: value * weights.idf.get(key, weights.unseen) for key, value in raw.items()}
        )
        return cls(counts, math.sqrt(sum(value * value for value in counts.values())))

    def cosine(self, other: TextVector) -> float:
        """The cosine similarity with ``other`` in [0, 1] (0 when either has no features)."""
        if not self.norm or not other.norm:
            return 0.0
        dot = sum(value * other.counts.get(key, 0.0) for key, value in sorted(self.counts.items()))
        return min(1.0, dot / (self.norm * other.norm))


def similarity(first: str, second: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same features), unweighted."""
    return TextVector.of(first).cosine(TextVector.of(second))
