"""Optional word vectors for grouping questions: the ``[vectors]`` extra (ginza, ja-ginza).

The default analyser (:mod:`backoffice_marketing.voice.meaning`) compares the
lemmas of two questions after the synonym table; words outside the table
meet only when they are written the same. Word vectors can see that two
different words are near in meaning. This module blends the two:

``similarity = clip((1 - weight) * sparse + weight * dense, 0, 1)``

where ``sparse`` is the default similarity (the IDF-weighted cosine of the
features) and ``dense`` is the cosine of the mean word vector of each
question's content words (their lemmas; words without a vector are left out).

The grouping stays the same average linkage: :meth:`VectorBlend.blend` joins
the sparse vector (scaled by ``sqrt(1 - weight)``) and the unit mean word
vector (scaled by ``sqrt(weight)``, as features ``d:0``, ``d:1``...) into one
unit vector, whose dot product with another is exactly the blend above. As
with every feature, a word-vector dimension proposes pairs only in a small
log (at most :data:`~backoffice_marketing.voice.faq.MIN_CANDIDATE_DF` texts,
where every pair is compared); in a larger one, vectors re-weigh the pairs
that share a feature.

The model is ja-ginza's word2vec table (spaCy vectors inside the wheel, read
offline once installed): :func:`load_ginza`. Any mapping of word to vector
serves as well (:class:`MappingModel`), which is how the tests run without the
extra. The extra is large (ja-ginza and its dependencies, about 490 MiB); it
is never the default. Measured (``docs/voice.md``), the blend scored the same
as the default on held-out Japanese questions and worse on English ones, and
grouped 10,000 questions about 21 times slower.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.voice.meaning import Analyser, words
from backoffice_marketing.voice.ngrams import TextVector

__all__ = [
    "VECTOR_THRESHOLD",
    "VECTOR_WEIGHT",
    "MappingModel",
    "VectorBlend",
    "VectorModel",
    "blended_similarity",
    "load_ginza",
    "vectors_analyser",
]

#: The share of the similarity that comes from word vectors (set on the tuning part).
VECTOR_WEIGHT = 0.3
#: The grouping threshold with vectors (set on the tuning part, docs/voice.md).
VECTOR_THRESHOLD = 0.35


class VectorModel(Protocol):
    """Anything that gives a word's vector, or ``None`` for a word it does not know."""

    def vector(self, word: str) -> Sequence[float] | None:
        """The vector of ``word``, or ``None``."""


@attrs.frozen(eq=False)
class MappingModel:
    """A word-vector model from a mapping of word to vector (tests, or a user's own table)."""

    table: Mapping[str, Sequence[float]] = attrs.field(eq=False)

    def vector(self, word: str) -> Sequence[float] | None:
        """The vector of ``word``, or ``None``."""
        return self.table.get(word)


@attrs.frozen(eq=False)
class _SpacyModel:
    """The static word vectors of a spaCy pipeline's vocabulary (no parsing at run time)."""

    vocab: Any = attrs.field(eq=False)

    def vector(self, word: str) -> Sequence[float] | None:
        """The vector of ``word``, or ``None`` when the table has none."""
        for spelling in (word, word.upper(), word.capitalize()):  # the table keeps "PC"
            if self.vocab.has_vector(spelling):
                return [float(value) for value in self.vocab.get_vector(spelling)]
        return None


#: ja-ginza's pipes that are not needed to read its word vectors (not loaded).
_UNUSED_PIPES = ("parser", "ner", "morphologizer", "compound_splitter")


@functools.cache
def load_ginza() -> VectorModel:
    """ja-ginza's word vectors, from the installed package (no download).

    Raises :class:`~backoffice_marketing.exceptions.MissingExtraError` naming
    the ``vectors`` extra when ginza or ja-ginza is not installed.
    """
    try:
        import spacy  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415

        nlp = spacy.load("ja_ginza", exclude=list(_UNUSED_PIPES))
    except (ImportError, OSError) as error:
        raise MissingExtraError("vectors", "ginza and ja-ginza") from error
    return _SpacyModel(nlp.vocab)


def _unit(values: Sequence[float]) -> tuple[float, ...]:
    norm = math.sqrt(sum(value * value for value in values))
    return tuple(value / norm for value in values) if norm else ()


def _weight(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"weight must be in [0, 1]; found {value!r}")
    return value


@attrs.frozen(eq=False)
class VectorBlend:
    """How much of the similarity comes from word vectors, and from which model.

    Two blends are equal only when they are the same object (models are not compared).
    """

    model: VectorModel = attrs.field(eq=False)
    weight: float = attrs.field(default=VECTOR_WEIGHT, converter=_weight)

    def mean(self, lemmas: Sequence[str]) -> tuple[float, ...]:
        """The unit mean vector of the words that have one (empty when none has)."""
        found = [vector for word in lemmas if (vector := self._vector(word))]
        if not found:
            return ()
        return _unit([math.fsum(column) for column in zip(*found, strict=True)])

    def _vector(self, word: str) -> tuple[float, ...]:
        return _cached_vector(self, word)

    def dense(self, text: str) -> tuple[float, ...]:
        """The unit mean vector of the lemmas of the content words of ``text``."""
        return _dense(self, text)

    def blend_text(self, sparse: TextVector, text: str) -> TextVector:
        """:meth:`blend` of ``sparse`` with the mean word vector of ``text``."""
        return self.blend(sparse, self.dense(text))

    def blend(self, sparse: TextVector, dense: Sequence[float]) -> TextVector:
        """One unit vector whose dot product with another is the blended similarity.

        A text without word vectors (``dense`` empty) keeps its sparse part
        alone, scaled like the others.
        """
        counts: dict[str, float] = {}
        if sparse.norm:
            scale = math.sqrt(1.0 - self.weight) / sparse.norm
            counts.update((key, value * scale) for key, value in sparse.counts.items())
        if self.weight:
            scale = math.sqrt(self.weight)
            counts.update((f"d:{index}", value * scale) for index, value in enumerate(dense))
        return TextVector.of_counts(counts)


@functools.lru_cache(maxsize=65_536)
def _cached_vector(blend: VectorBlend, word: str) -> tuple[float, ...]:
    return tuple(blend.model.vector(word) or ())


@functools.lru_cache(maxsize=65_536)
def _dense(blend: VectorBlend, text: str) -> tuple[float, ...]:
    return blend.mean([word.key for word in words(text) if word.content])


def blended_similarity(
    sparse: tuple[TextVector, TextVector],
    dense: tuple[Sequence[float], Sequence[float]],
    weight: float,
) -> float:
    """``clip((1 - weight) * cosine(sparse) + weight * cosine(dense), 0, 1)``.

    A side without words (no features, no vector) counts 0 for that part.
    """
    weight = _weight(weight)
    first, second = sparse
    dense_first, dense_second = (_unit(values) for values in dense)
    cosine = math.fsum(a * b for a, b in zip(dense_first, dense_second, strict=False))
    value = (1.0 - weight) * first.cosine(second) + weight * cosine
    return min(1.0, max(0.0, value))


def vectors_analyser(
    model: VectorModel | None = None,
    *,
    weight: float = VECTOR_WEIGHT,
    threshold: float = VECTOR_THRESHOLD,
) -> Analyser:
    """The default ``meaning`` analyser with word vectors blended in (ja-ginza by default)."""
    chosen = load_ginza() if model is None else model
    return Analyser(threshold=threshold, vectors=VectorBlend(chosen, weight))
