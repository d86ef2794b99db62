"""Word vectors blended into question grouping: a tiny fake model, and ja-ginza when installed."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_marketing.exceptions import MissingExtraError
from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.voice import OfficialAnswer, Question
from backoffice_marketing.voice import vectors as vectors_module
from backoffice_marketing.voice.faq import group, group_questions
from backoffice_marketing.voice.meaning import Analyser, default_analyser
from backoffice_marketing.voice.ngrams import TextVector
from backoffice_marketing.voice.vectors import (
    VECTOR_THRESHOLD,
    VECTOR_WEIGHT,
    MappingModel,
    VectorBlend,
    blended_similarity,
    load_ginza,
    vectors_analyser,
)

DAY = dt.date(2026, 12, 7)
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
#: A tiny model: 金魚 and 鯉 are near (both fish), 税金 is elsewhere.
TABLE: dict[str, Sequence[float]] = {
    "金魚": (1.0, 0.1, 0.0),
    "鯉": (0.9, 0.2, 0.0),
    "税金": (0.0, 0.0, 1.0),
    "飼う": (0.2, 1.0, 0.0),
}
GINZA = importlib.util.find_spec("ja_ginza") is not None


def _model() -> MappingModel:
    return MappingModel(TABLE)


def _questions(*texts: str) -> list[Question]:
    return [Question(f"q{index:02d}", text, DAY) for index, text in enumerate(texts, start=1)]


def _themes(questions: list[Question], analyser: Analyser) -> list[tuple[str, ...]]:
    return sorted(theme.questions for theme in group_questions(questions, analyser=analyser))


@pytest.fixture
def no_spacy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make spaCy unimportable, as without the extra, and empty the model cache around."""
    monkeypatch.setitem(sys.modules, "spacy", None)
    load_ginza.cache_clear()
    yield
    load_ginza.cache_clear()


def test_the_default_analyser_has_no_vectors() -> None:
    """Vectors are never the default: the shipped analyser compares features alone."""
    assert Analyser().vectors is None
    assert default_analyser().vectors is None


def test_mean_vector_is_unit_and_skips_unknown_words() -> None:
    """The mean of the known words' vectors has length 1; unknown words are left out."""
    blend = VectorBlend(_model())
    mean = blend.mean(["金魚", "未知語", "鯉"])
    assert math.isclose(math.fsum(value * value for value in mean), 1.0)
    assert blend.mean(["未知語"]) == ()
    assert blend.mean([]) == ()


def test_dense_reads_the_lemmas_of_content_words() -> None:
    """飼え (a form of 飼う) finds the vector of its lemma; particles are ignored."""
    blend = VectorBlend(_model())
    assert blend.dense("金魚を飼えますか") == blend.mean(["金魚", "飼う"])
    assert blend.dense("です") == ()


def test_weight_outside_zero_to_one_is_refused() -> None:
    """A weight below 0 or above 1 raises ValueError naming the value."""
    for weight in (-0.1, 1.5):
        with pytest.raises(ValueError, match="weight must be in"):
            VectorBlend(_model(), weight)
        with pytest.raises(ValueError, match="weight must be in"):
            blended_similarity((TextVector.of("a"), TextVector.of("a")), ((), ()), weight)


def test_blended_dot_product_is_the_blended_similarity() -> None:
    """Two blended vectors' dot product equals blended_similarity of their parts."""
    blend = VectorBlend(_model(), 0.4)
    sparse = (TextVector.of_counts({"w:a": 2.0, "w:b": 1.0}), TextVector.of_counts({"w:a": 1.0}))
    dense = (blend.mean(["金魚"]), blend.mean(["鯉", "飼う"]))
    first, second = (blend.blend(s, d) for s, d in zip(sparse, dense, strict=True))
    dot = math.fsum(value * second.counts.get(key, 0.0) for key, value in first.counts.items())
    assert math.isclose(dot, blended_similarity(sparse, dense, 0.4))
    assert math.isclose(first.norm, 1.0)


def test_blend_without_dense_or_sparse_part() -> None:
    """A text with no vector keeps its sparse part; one with no features keeps its vector."""
    blend = VectorBlend(_model(), 0.5)
    only_sparse = blend.blend(TextVector.of_counts({"w:a": 3.0}), ())
    assert only_sparse.counts == {"w:a": pytest.approx(math.sqrt(0.5))}
    only_dense = blend.blend(TextVector.of_counts({}), (1.0, 0.0))
    assert set(only_dense.counts) == {"d:0", "d:1"}
    none = VectorBlend(_model(), 0.0).blend(TextVector.of_counts({"w:a": 1.0}), (1.0,))
    assert set(none.counts) == {"w:a"}


def test_vectors_join_questions_that_share_no_word() -> None:
    """金魚 and 鯉 share no feature: apart by default, one theme with vectors; 税金 stays apart."""
    questions = _questions("金魚", "鯉", "税金")
    assert _themes(questions, Analyser()) == [("q01",), ("q02",), ("q03",)]
    with_vectors = vectors_analyser(_model(), weight=0.5, threshold=0.3)
    assert _themes(questions, with_vectors) == [("q01", "q02"), ("q03",)]


def test_vectors_let_a_question_join_an_official_answer() -> None:
    """A question whose only word is near the answer's question joins that answer."""
    answer = OfficialAnswer(
        "fish",
        LocalizedText("金魚", "goldfish"),
        LocalizedText("はい", "Yes"),
        DAY,
    )
    questions = _questions("鯉")
    plain = group(questions, [answer], analyser=Analyser())
    assert [theme.id for theme in plain.themes] == ["theme-q01"]
    blended = group(questions, [answer], analyser=vectors_analyser(_model(), weight=0.5))
    assert [theme.id for theme in blended.themes] == ["fish"]


def test_shipped_weight_and_threshold_are_in_range() -> None:
    """The shipped blend weight and threshold are usable values."""
    analyser = vectors_analyser(_model())
    assert analyser.threshold == VECTOR_THRESHOLD
    assert analyser.vectors is not None
    assert analyser.vectors.weight == VECTOR_WEIGHT
    assert 0.0 < VECTOR_WEIGHT < 1.0


def test_blends_are_equal_only_to_themselves() -> None:
    """Two blends of equal weight are different objects (models are not compared)."""
    assert VectorBlend(_model()) != VectorBlend(_model())


@pytest.mark.usefixtures("no_spacy")
def test_missing_extra_names_it() -> None:
    """Without spaCy and ja-ginza, loading the model raises MissingExtraError naming [vectors]."""
    with pytest.raises(MissingExtraError) as caught:
        load_ginza()
    assert caught.value.extra == "vectors"
    assert "backoffice-marketing[vectors]" in str(caught.value)
    with pytest.raises(MissingExtraError):
        vectors_analyser()


class _FakeVocab:
    """A spaCy vocabulary stand-in that knows "PC" (upper case) and パソコン."""

    table: ClassVar[dict[str, tuple[float, ...]]] = {"PC": (1.0, 0.0), "パソコン": (0.9, 0.1)}

    def has_vector(self, word: str) -> bool:
        return word in self.table

    def get_vector(self, word: str) -> tuple[float, ...]:
        return self.table[word]


def test_spacy_model_reads_the_vocabulary_and_tries_upper_case() -> None:
    """The lemma ``pc`` (case folded) finds the vector kept as "PC"; unknown words give None."""
    model = vectors_module._SpacyModel(_FakeVocab())
    assert model.vector("pc") == [1.0, 0.0]
    assert model.vector("パソコン") == [0.9, 0.1]
    assert model.vector("未知語") is None


def test_load_ginza_reads_the_installed_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_ginza asks spaCy for ja_ginza without its parser and wraps its vocabulary."""
    calls: list[tuple[str, tuple[str, ...]]] = []

    class _Pipeline:
        vocab = _FakeVocab()

    class _Spacy:
        @staticmethod
        def load(name: str, exclude: tuple[str, ...]) -> _Pipeline:
            calls.append((name, exclude))
            return _Pipeline()

    monkeypatch.setitem(sys.modules, "spacy", _Spacy)
    load_ginza.cache_clear()
    try:
        model = load_ginza()
    finally:
        load_ginza.cache_clear()
    assert calls[0][0] == "ja_ginza"
    assert "parser" in calls[0][1]
    assert model.vector("pc") == [1.0, 0.0]


@pytest.mark.skipif(not GINZA, reason="the [vectors] extra (ginza, ja-ginza) is not installed")
def test_real_ginza_vectors_see_pc_and_pasokon_as_near() -> None:
    """With ja-ginza installed, パソコン and PC are near, パソコン and 休暇 are not."""
    blend = VectorBlend(load_ginza())
    near = blended_similarity(
        (TextVector.of_counts({}), TextVector.of_counts({})),
        (blend.mean(["パソコン"]), blend.mean(["pc"])),
        1.0,
    )
    far = blended_similarity(
        (TextVector.of_counts({}), TextVector.of_counts({})),
        (blend.mean(["パソコン"]), blend.mean(["休暇"])),
        1.0,
    )
    assert near > 0.7
    assert far < 0.3


@pytest.mark.usefixtures("no_spacy")
def test_benchmark_skips_vectors_without_the_extra() -> None:
    """Without the extra, the benchmark measures no vector method and says why."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import faq_grouping  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    finally:
        sys.path.remove(str(BENCHMARKS))
    assert faq_grouping.vector_methods() == {}
    assert faq_grouping.VECTORS not in faq_grouping.methods()
    assert "not installed" in faq_grouping.sweep_vectors()
    assert "not installed" in faq_grouping.vectors_speed(5)


_VECTOR = st.lists(
    st.floats(min_value=-1.0, max_value=1.0, allow_nan=False), min_size=3, max_size=3
)
_SPARSE = st.dictionaries(
    st.sampled_from(["w:a", "w:b", "c:pc", "w:c"]),
    st.floats(min_value=0.0, max_value=5.0, allow_nan=False),
    max_size=4,
)
_WEIGHT = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(_SPARSE, _SPARSE, _VECTOR, _VECTOR, _WEIGHT)
def test_blended_similarity_is_in_range_and_symmetric(
    first: dict[str, float],
    second: dict[str, float],
    one: list[float],
    other: list[float],
    weight: float,
) -> None:
    """The blended similarity lies in [0, 1] and does not depend on which text comes first."""
    sparse = (TextVector.of_counts(first), TextVector.of_counts(second))
    value = blended_similarity(sparse, (one, other), weight)
    assert 0.0 <= value <= 1.0
    swapped = blended_similarity((sparse[1], sparse[0]), (other, one), weight)
    assert math.isclose(value, swapped, abs_tol=1e-12)


@given(st.permutations(["金魚", "鯉", "飼う", "税金", "未知語"]), _WEIGHT)
def test_blended_similarity_ignores_word_order(words: list[str], weight: float) -> None:
    """The mean vector, and so the similarity, does not depend on the order of the words."""
    blend = VectorBlend(_model(), weight)
    sparse = (TextVector.of_counts({"w:a": 1.0}), TextVector.of_counts({"w:a": 1.0}))
    reference = blend.mean(sorted(words))
    shuffled = blend.mean(words)
    assert shuffled == pytest.approx(reference)
    value = blended_similarity(sparse, (reference, blend.mean(["鯉"])), weight)
    again = blended_similarity(sparse, (shuffled, blend.mean(["鯉"])), weight)
    assert math.isclose(value, again, abs_tol=1e-12)


@given(st.lists(st.sampled_from(["金魚", "鯉", "税金", "金魚を飼う", "鯉"]), max_size=6))
def test_grouping_with_vectors_ignores_question_order(texts: list[str]) -> None:
    """Grouping with vectors gives the same themes whatever order the questions come in."""
    questions = _questions(*texts)
    analyser = vectors_analyser(_model(), weight=0.5)
    forward = group_questions(questions, analyser=analyser)
    backward = group_questions(list(reversed(questions)), analyser=analyser)
    assert forward == backward


@given(st.lists(st.text(min_size=1, max_size=40).filter(str.strip), max_size=5))
def test_grouping_with_vectors_takes_any_text(texts: list[str]) -> None:
    """Emoji, mixed scripts, half-width kana, symbols only: every question lands in one theme."""
    questions = _questions(*texts)
    themes = group_questions(questions, analyser=vectors_analyser(_model()))
    members = sorted(ident for theme in themes for ident in theme.questions)
    assert members == sorted(question.id for question in questions)
