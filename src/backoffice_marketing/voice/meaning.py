"""What a question is about: its words as lemmas, read through the synonym table.

The FAQ builder compares questions by the features this module gives them.
The default analyser, ``meaning``, works in four steps:

1. **Normalise**: Unicode NFKC (half-width katakana become full-width,
   full-width letters ASCII) and case folding.
2. **Words**: runs of Latin letters and digits are English words (``don't``
   loses its ``n't``; a light stemmer folds ``channels``, ``created`` and
   ``creating`` onto one stem; a few irregular verbs are mapped: ``sent`` is
   ``send``); the other runs go through the morphological analyser of the
   ``[ja]`` extra (fugashi with the unidic-lite dictionary), which gives each
   word its lemma (作っ → 作る, 出来 → 出来る).
3. **Concepts**: the longest run of words that is an entry of the synonym
   table (:mod:`backoffice_marketing.voice.synonyms`) becomes its concept
   (``c:pc`` for 個人PC, パソコン and "laptop" alike; the particle の is skipped
   inside a run, so 個人のPC matches 個人PC); a lone function word
   ("them", which stems like "theme") is never a concept.
4. **Content**: the remaining content words (nouns, verbs, adjectives,
   adverbs; not particles, auxiliaries, pronouns or generic words such as
   する, いい, "should") are kept as ``w:<lemma>``.

Without fugashi (the ``[ja]`` extra not installed) the analyser falls back to
the character n-grams of :mod:`backoffice_marketing.voice.ngrams` and its
threshold; grouping then sees spelling, not meaning, and paraphrases such as
自分のパソコン and 個人PC stay apart. :func:`default_analyser` says which one
is in use (``analyser.method``).

The other methods exist to be measured (``benchmarks/faq_grouping.py``):
``lemmas`` (step 4 without the table) and ``readings`` (like ``meaning``, but a
word outside the table is kept as the reading of its lemma, so that kana and
kanji spellings of one word meet).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from backoffice_marketing.voice.ngrams import SIMILARITY_THRESHOLD
from backoffice_marketing.voice.ngrams import features as ngram_features
from backoffice_marketing.voice.synonyms import SynonymTable, default_synonyms, normalise_word

if TYPE_CHECKING:
    from backoffice_marketing.voice.vectors import VectorBlend

__all__ = [
    "MEANING_THRESHOLD",
    "Analyser",
    "Method",
    "default_analyser",
    "fugashi_available",
]

Method = Literal["meaning", "lemmas", "readings", "ngrams"]

#: The similarity at which two questions are one theme, for the ``meaning`` analyser.
#: Set on the tuning part of ``tests/data/voice/faq_paraphrases.toml`` (docs/voice.md).
MEANING_THRESHOLD = 0.25
#: Phrases of the synonym table are at most this many words long.
_MAX_PHRASE = 6

_LATIN = re.compile(r"[0-9a-z\u00c0-\u024f]+(?:['’][a-z]+)?")
_RUNS = re.compile(r"[0-9a-z\u00c0-\u024f]+(?:['’][a-z]+)?|[^\s0-9a-z\u00c0-\u024f]+")
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})
_JA_STOP_TEXT = (
    "する 為る 出来る できる 有る ある 居る いる 成る なる 言う いう 思う 良い "
    "よい いい 無い ない 事 こと 物 もの 為 ため 様 よう 方 ほう 場合 時 とき "
    "何 なに 如何 どう 教える 下さる くださる 頂く いただく 貰う もらう 呉れる "
    "くれる 欲しい ほしい 大丈夫 問題 可能 必要 行く いく 来る くる 遣る やる "
    "いける 駄目 だめ 構う 宜しい よろしい 分かる わかる 知る 以外 後 中 用 ごと "
    "毎 的 済み 上 下 前 次 今 ok"
)
_JA_STOP = frozenset(_JA_STOP_TEXT.split())
_EN_STOP_TEXT = (
    "a an the to of for in on at by from with into about as and or but if so that this these "
    "those there what which who whom when where how why any some all just still too also ok "
    "okay allowed possible way fine enough best want like than then not no can could may "
    "might must should shall will would need have has had do does did get got is are was were "
    "be been being am i me my we our us you your it its they them their someone something "
    "anything anyone until till s t m re ll ve d let thing cannot through use using used"
)
_EN_STOP = frozenset(_EN_STOP_TEXT.split())
_IRREGULAR = {
    "sent": "send",
    "bought": "buy",
    "wrote": "write",
    "written": "write",
    "took": "take",
    "taken": "take",
    "made": "make",
    "ran": "run",
    "forgot": "forget",
    "forgotten": "forget",
    "paid": "pay",
    "held": "hold",
    "met": "meet",
    "kept": "keep",
    "left": "leave",
    "came": "come",
    "went": "go",
    "gone": "go",
    "said": "say",
    "told": "tell",
    "found": "find",
    "gave": "give",
    "given": "give",
    "done": "do",
    "can't": "can",
    "won't": "will",
}


def _strip_double(stem: str) -> str:
    """``sett`` -> ``set``: undo the doubled final consonant of ``setting``."""
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        return stem[:-1]
    return stem


def _base(word: str) -> str:
    """``word`` without its contraction (``doesn't`` -> ``does``) and irregular form."""
    word = _IRREGULAR.get(word, word)
    for suffix in ("n't", "'s", "'m", "'re", "'ll", "'ve", "'d", "’s", "’t"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return _IRREGULAR.get(word, word)


def stem(word: str) -> str:
    """A light English stem: plurals, -ed, -ing and a final e folded (not a full stemmer)."""
    word = _base(word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = _strip_double(word[:-3])
    elif len(word) > 4 and word.endswith("ed"):
        word = _strip_double(word[:-2])
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def fugashi_available() -> bool:
    """Whether the morphological analyser of the ``[ja]`` extra can be imported."""
    try:
        _tagger()
    except (ImportError, RuntimeError):
        return False
    return True


@functools.cache
def _tagger() -> Any:
    import fugashi  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415

    return fugashi.Tagger()


@attrs.frozen
class _Word:
    """One word of a text: its key (lemma or stem), its reading, and whether it carries content."""

    key: str
    reading: str
    content: bool
    concept: str | None = None


#: Runs of text analysed and kept for reuse (questions repeat words and phrases).
_RUN_CACHE = 65_536


@functools.lru_cache(maxsize=_RUN_CACHE)
def _japanese_words(run: str) -> tuple[_Word, ...]:
    words: list[_Word] = []
    for token in _tagger()(run):
        feature = token.feature
        pos = feature.pos1 or ""
        if pos in {"補助記号", "空白", "記号"}:
            continue
        lemma = feature.lemma or token.surface
        key = normalise_word(lemma.split("-", 1)[0]) or normalise_word(token.surface)
        if key == "の" and pos == "助詞":
            continue
        reading = feature.lForm or feature.kana or key
        content = pos in _CONTENT_POS and key not in _JA_STOP and feature.pos2 != "数詞"
        words.append(_Word(key, normalise_word(reading), content))
    return tuple(words)


@functools.lru_cache(maxsize=_RUN_CACHE)
def _english_words(run: str) -> tuple[_Word, ...]:
    key = stem(run)
    content = not {run, _base(run)} & _EN_STOP
    return (_Word(key, key, content),)


def _split_run(run: str, surface: re.Pattern[str] | None, concepts: dict[str, str]) -> list[_Word]:
    """A Japanese run's words: table entries found as written, the rest through the analyser."""
    if surface is None:
        return list(_japanese_words(run))
    found: list[_Word] = []
    start = 0
    for match in surface.finditer(run):
        if match.start() > start:
            found.extend(_japanese_words(run[start : match.start()]))
        entry = match.group()
        found.append(_Word(entry, entry, content=True, concept=concepts[entry]))
        start = match.end()
    if start < len(run):
        found.extend(_japanese_words(run[start:]))
    return found


def words(
    text: str, surface: re.Pattern[str] | None = None, concepts: dict[str, str] | None = None
) -> list[_Word]:
    """The words of ``text`` in order, Japanese runs through the analyser, English stemmed.

    With ``surface`` (a pattern of table entries) and their ``concepts``, an
    entry written as it stands in a Japanese run is taken whole before the
    analyser sees the rest: unidic-lite cuts 「スマホ」 at the end of a text
    into スマ and ホ, which no lemma would match.
    """
    found: list[_Word] = []
    normal = unicodedata.normalize("NFKC", text).casefold()
    for run in _RUNS.findall(normal):
        if _LATIN.fullmatch(run):
            found.extend(_english_words(run))
        elif any(unicodedata.category(char)[0] in "LN" for char in run):
            found.extend(_split_run(run, surface, concepts or {}))
    return found


#: Entries taken as written must be this long (one kanji such as 家 is part of too many words).
_SURFACE_CHARS = 2
_KANA_HIRAGANA = re.compile(r"[\u3041-\u309f]")


@attrs.frozen
class Analyser:
    """Turns a text into the features the FAQ builder compares, with its threshold.

    ``method`` is ``meaning`` (lemmas read through ``synonyms``), ``lemmas``,
    ``readings`` or ``ngrams`` (the character n-grams, no analyser needed).
    ``vectors`` (optional, the ``[vectors]`` extra) blends word vectors into
    the similarity (:mod:`backoffice_marketing.voice.vectors`); ``None``, the
    default, compares the features alone.
    """

    method: Method = "meaning"
    synonyms: SynonymTable = attrs.field(factory=default_synonyms)
    threshold: float = MEANING_THRESHOLD
    vectors: VectorBlend | None = None

    @classmethod
    def ngrams(cls) -> Analyser:
        """The character n-gram analyser (the fallback without the ``[ja]`` extra)."""
        return cls("ngrams", threshold=SIMILARITY_THRESHOLD)

    def with_synonyms(self, synonyms: SynonymTable) -> Analyser:
        """The same analyser reading through another synonym table."""
        return attrs.evolve(self, synonyms=synonyms)

    @functools.cached_property
    def _phrases(self) -> dict[tuple[str, ...], str]:
        """Each table entry as a run of word keys, mapped to its concept."""
        found: dict[tuple[str, ...], str] = {}
        for word, concept in self.synonyms.words():
            keys = tuple(w.key for w in words(word))
            if keys and len(keys) <= _MAX_PHRASE:
                found.setdefault(keys, concept)
        return found

    @functools.cached_property
    def _surface(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        """The table's Japanese entries without hiragana (nouns as written), longest first."""
        concepts: dict[str, str] = {}
        for word, concept in self.synonyms.words():
            entry = normalise_word(word)
            if (
                len(entry) >= _SURFACE_CHARS
                and not _LATIN.fullmatch(entry)
                and " " not in entry
                and not _KANA_HIRAGANA.search(entry)
            ):
                concepts.setdefault(entry, concept)
        if not concepts:
            return None, {}
        ordered = sorted(concepts, key=lambda entry: (-len(entry), entry))
        return re.compile("|".join(re.escape(entry) for entry in ordered)), concepts

    @functools.cached_property
    def _sizes(self) -> dict[str, tuple[int, ...]]:
        """For each first word of a phrase, the phrase lengths starting with it, longest first."""
        sizes: dict[str, set[int]] = {}
        for keys in self._phrases:
            sizes.setdefault(keys[0], set()).add(len(keys))
        return {key: tuple(sorted(found, reverse=True)) for key, found in sizes.items()}

    def features(self, text: str) -> Counter[str]:
        """The feature counts of ``text`` (see the module docstring)."""
        if self.method == "ngrams":
            return ngram_features(text)
        if self.method == "lemmas":
            return Counter(f"w:{word.key}" for word in words(text) if word.content)
        sequence = words(text, *self._surface)
        phrases, sizes = self._phrases, self._sizes
        counts: Counter[str] = Counter()
        position = 0
        while position < len(sequence):
            known = sequence[position].concept
            if known is not None:
                counts[f"c:{known}"] += 1
                position += 1
                continue
            for size in sizes.get(sequence[position].key, ()):
                if position + size > len(sequence):
                    continue
                keys = tuple(word.key for word in sequence[position : position + size])
                concept = phrases.get(keys)
                # A lone function word ("them", stemmed like "theme") is never a concept.
                if concept is not None and (size > 1 or sequence[position].content):
                    counts[f"c:{concept}"] += 1
                    position += size
                    break
            else:
                word = sequence[position]
                if word.content:
                    key = word.reading if self.method == "readings" else word.key
                    counts[f"w:{key}"] += 1
                position += 1
        return counts


def default_analyser(synonyms: SynonymTable | None = None) -> Analyser:
    """``meaning`` when fugashi is installed (the ``[ja]`` extra), else ``ngrams``."""
    if not fugashi_available():
        return Analyser.ngrams()
    return Analyser(synonyms=synonyms or default_synonyms())


FeatureFunction = Callable[[str], Counter[str]]


def analyse_all(analyser: Analyser, texts: Sequence[str]) -> list[Counter[str]]:
    """The features of each text, in order."""
    return [analyser.features(text) for text in texts]
