"""Readability scores with their bands, in Japanese and English.

Japanese
    **jReadability** (Lee and Hasebe), through the ``jreadability`` package of
    the ``[ja]`` extra (it tokenises with fugashi and unidic-lite, offline).
    Higher is easier; six bands from *upper advanced* (below 1.5) to *lower
    elementary* (5.5 and above). The score is::

        11.724 - 0.056 * words per sentence - 0.126 * % kango - 0.042 * % wago
               - 0.145 * % verbs - 0.044 * % particles

    When the extra is missing, a **Tateishi-style** score is computed in pure
    Python from runs of characters (Tateishi, Ono and Yamada 1988, the short
    form RS')::

        RS' = 115.79 - 0.12 * ls - 1.37 * la + 7.4 * lh - 23.18 * lc - 5.4 * lk - 4.67 * cp

    with ``ls`` the mean sentence length in characters, ``la``, ``lh``, ``lc``
    and ``lk`` the mean lengths of runs of roman letters, hiragana, kanji and
    katakana, and ``cp`` the commas (、) per sentence. It is scaled to a mean
    of 50 and a standard deviation of 10; higher is easier.

English
    **Flesch reading ease**: ``206.835 - 1.015 * words per sentence - 84.6 *
    syllables per word``, with syllables counted by a pure-Python rule of
    vowel groups (no dictionary, nothing downloaded). Higher is easier; 60 to
    70 is plain English.

Each result carries its band, explained in both languages, and a value
``normalised`` to [0, 1] (higher is easier) that feeds the review's score:
jReadability ``(value - 0.5) / 6``, Tateishi ``(value - 20) / 60``, Flesch
``value / 100``, each clipped to [0, 1].
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Literal

import attrs

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.materials.sentences import words

__all__ = [
    "Band",
    "Readability",
    "ReadabilityMethod",
    "count_syllables",
    "english_readability",
    "japanese_readability",
    "tateishi_score",
]

ReadabilityMethod = Literal["auto", "jreadability", "tateishi"]

_KANJI_RUN = re.compile(r"[一-鿿㐀-䶿々〆ヶ]+")
_HIRAGANA_RUN = re.compile(r"[ぁ-ゖゝゞ]+")
_KATAKANA_RUN = re.compile(r"[ァ-ヺー]+")
_ALPHA_RUN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]+")
_JA_TERMINAL = ("。", "？", "！", "．")


@attrs.frozen
class Band:
    """A range of a readability scale, with its name and what it means for the reader."""

    method: str
    id: str
    label: LocalizedText
    explanation: LocalizedText
    lower: float | None = None


@attrs.frozen
class _Bands:
    bands: tuple[Band, ...]


@functools.cache
def _bands() -> dict[str, tuple[Band, ...]]:
    from backoffice_marketing.foundation.io.converter import structure_document  # noqa: PLC0415
    from backoffice_marketing.foundation.io.documents import load_package_document  # noqa: PLC0415

    loaded = structure_document(load_package_document("materials/readability.toml"), _Bands)
    grouped: dict[str, list[Band]] = {}
    for band in loaded.bands:
        grouped.setdefault(band.method, []).append(band)
    return {method: tuple(bands) for method, bands in grouped.items()}


def band_of(method: str, value: float) -> Band:
    """The band of ``method`` that ``value`` falls in."""
    chosen = None
    for band in _bands()[method]:
        if band.lower is None or value >= band.lower:
            chosen = band
    assert chosen is not None  # noqa: S101  (the first band of each method has no lower bound)
    return chosen


@attrs.frozen
class Readability:
    """A readability score, its band and its value on a common 0-1 scale (1 is easiest)."""

    method: str
    value: float
    band: Band
    normalised: float
    sentences: int
    mean_sentence_length: float


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _mean_length(values: Sequence[str]) -> float:
    return sum(len(run) for run in values) / len(values) if values else 0.0


def tateishi_score(sentences: Sequence[str]) -> float:
    """The Tateishi-style score RS' of Japanese ``sentences`` (higher is easier)."""
    count = max(len(sentences), 1)
    text = "\n".join(sentences)
    letters = sum(len("".join(s.split())) for s in sentences)
    ls = letters / count
    la = _mean_length(_ALPHA_RUN.findall(text))
    lh = _mean_length(_HIRAGANA_RUN.findall(text))
    lc = _mean_length(_KANJI_RUN.findall(text))
    lk = _mean_length(_KATAKANA_RUN.findall(text))
    cp = (text.count("、") + text.count("，")) / count
    return 115.79 - 0.12 * ls - 1.37 * la + 7.4 * lh - 23.18 * lc - 5.4 * lk - 4.67 * cp


@functools.cache
def _jreadability() -> Callable[[str], float]:
    try:
        from fugashi import Tagger  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
        from jreadability import compute_readability  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError as error:
        raise MissingExtraError("ja", "jreadability") from error
    tagger = Tagger()

    def score(text: str) -> float:
        return float(compute_readability(text, tagger))

    return score


def jreadability_available() -> bool:
    """Whether the ``[ja]`` extra (jreadability with fugashi) can be used."""
    try:
        _jreadability()
    except MissingExtraError:
        return False
    return True


def japanese_readability(
    sentences: Sequence[str], *, method: ReadabilityMethod = "auto"
) -> Readability:
    """The readability of Japanese ``sentences``: jReadability, else the Tateishi-style score."""
    if method not in ("auto", "jreadability", "tateishi"):
        raise ValueError(
            f"unknown readability method {method!r}; use auto, jreadability or tateishi"
        )
    chosen = method
    if method == "auto":
        chosen = "jreadability" if jreadability_available() else "tateishi"
    mean = sum(len("".join(s.split())) for s in sentences) / len(sentences) if sentences else 0.0
    if chosen == "jreadability" and sentences:
        text = "".join(s if s.endswith(_JA_TERMINAL) else s + "。" for s in sentences)
        value = _jreadability()(text)
        normalised = _clip((value - 0.5) / 6.0)
    elif chosen == "jreadability":
        value, normalised = 0.5, 0.0
    else:
        value = tateishi_score(sentences) if sentences else 0.0
        normalised = _clip((value - 20.0) / 60.0)
    return Readability(chosen, value, band_of(chosen, value), normalised, len(sentences), mean)


_SILENT_ENDING = re.compile(r"(?:[^laeiouy]es|[^laeiouydt]ed|[^laeiouy]e)$")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """An estimate of the syllables of an English ``word`` (at least 1 for any word).

    Counts groups of vowels after dropping a silent final ``e``, ``es`` or
    ``ed``; a word of three letters or fewer, or a number, counts as one.
    """
    letters = re.sub(r"[^a-z]", "", word.lower())
    if len(letters) <= 3:
        return 1
    trimmed = _SILENT_ENDING.sub(lambda m: m.group()[0], letters)
    trimmed = trimmed.removeprefix("y")
    return max(1, len(_VOWEL_GROUP.findall(trimmed)))


def english_readability(sentences: Sequence[str]) -> Readability:
    """The Flesch reading ease of English ``sentences``."""
    tokens = [word for sentence in sentences for word in words(sentence)]
    if not sentences or not tokens:
        value = 0.0
        mean = 0.0
    else:
        mean = len(tokens) / len(sentences)
        syllables = sum(count_syllables(token) for token in tokens)
        value = 206.835 - 1.015 * mean - 84.6 * syllables / len(tokens)
    return Readability(
        "flesch", value, band_of("flesch", value), _clip(value / 100.0), len(sentences), mean
    )
