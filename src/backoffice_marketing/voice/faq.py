"""The FAQ builder: group near-duplicate questions into themes and publish official answers.

Grouping (:func:`group_questions`) is deterministic and does not depend on
the order of the questions or answers given. Each question, taken in id order:

1. keeps the theme it is pinned to (``Question.theme``), if any;
2. else joins the official answer it is most like, when the similarity to the
   answer's question (in either language) or the containment of one of its
   key phrases is at least the threshold (ties go to the smaller answer id);
3. else joins the theme of the most similar question placed by 1 or 2, when
   that similarity is at least the threshold (ties go to the smaller id);
4. the questions still left form themes among themselves by single linkage:
   two questions at or above the threshold share a theme, and so do questions
   linked through a chain of such pairs. Such a theme is named
   ``theme-<smallest question id>`` until an official answer takes it over.

The similarity is :func:`backoffice_marketing.voice.similarity.similarity`;
the threshold is :data:`~backoffice_marketing.voice.similarity.SIMILARITY_THRESHOLD`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Self

import attrs

from backoffice_marketing.departments import Department
from backoffice_marketing.privacy import MIN_TEXT_GROUP_SIZE
from backoffice_marketing.text import Lang, LocalizedText, check_lang
from backoffice_marketing.validators import non_blank, unique_ids
from backoffice_marketing.voice._fields import no_separator, one_id, tuple_of_str
from backoffice_marketing.voice.attribution import TextFloor
from backoffice_marketing.voice.questions import Question, QuestionLog
from backoffice_marketing.voice.similarity import SIMILARITY_THRESHOLD, TextVector

__all__ = [
    "FAQ",
    "AnswerBook",
    "FAQEntry",
    "OfficialAnswer",
    "Theme",
    "group_questions",
    "themes_by_question",
]

#: At most this many of the field's own wordings are shown under an FAQ entry.
MAX_WORDINGS = 5


@attrs.frozen
class OfficialAnswer:
    """The company's answer to one theme of questions, in Japanese and English.

    ``question`` is the theme's question as the back office words it;
    ``keywords`` are optional key phrases (either language) that pull a
    question into this theme; ``published_on`` is the day the answer went into
    the public FAQ (``None``: drafted, not published yet).
    """

    id: str = attrs.field(validator=[non_blank, one_id])
    question: LocalizedText
    answer: LocalizedText
    published_on: dt.date | None = None
    keywords: tuple[str, ...] = attrs.field(
        default=(), converter=tuple_of_str, validator=no_separator
    )

    @property
    def published(self) -> bool:
        """Whether the answer is in the public FAQ."""
        return self.published_on is not None


def _answers(values: Iterable[OfficialAnswer]) -> tuple[OfficialAnswer, ...]:
    return tuple(values)


@attrs.frozen
class AnswerBook:
    """The official answers, one per theme; ids are unique."""

    answers: tuple[OfficialAnswer, ...] = attrs.field(
        default=(), converter=_answers, validator=unique_ids("id", "official answer id")
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        from backoffice_marketing.voice.storage import load_log  # noqa: PLC0415

        return load_log(cls, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        from backoffice_marketing.voice.storage import save_log  # noqa: PLC0415

        save_log(self, path)

    def __iter__(self) -> Iterator[OfficialAnswer]:
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.answers)

    def get(self, answer_id: str) -> OfficialAnswer | None:
        """The answer with ``answer_id``, or ``None``."""
        return next((answer for answer in self.answers if answer.id == answer_id), None)

    def with_answer(self, answer: OfficialAnswer) -> AnswerBook:
        """A book with ``answer`` added, or replacing the one with its id."""
        kept = tuple(entry for entry in self.answers if entry.id != answer.id)
        return AnswerBook((*kept, answer))


@attrs.frozen
class Theme:
    """A group of near-duplicate questions, with the official answer that covers it."""

    id: str
    questions: tuple[str, ...]
    official: OfficialAnswer | None = None

    @property
    def published(self) -> bool:
        """Whether the theme's official answer is in the public FAQ."""
        return self.official is not None and self.official.published


def _containment(phrase: TextVector, text: TextVector) -> float:
    """The share of the phrase's features found in the text."""
    total = sum(phrase.counts.values())
    if not total:
        return 0.0
    return sum(min(count, text.counts.get(key, 0)) for key, count in phrase.counts.items()) / total


def _best(candidates: Iterable[tuple[float, str]], threshold: float) -> str | None:
    """The id with the highest score at or above ``threshold``; ties go to the smaller id."""
    best: tuple[float, str] | None = None
    for score, ident in candidates:
        if score >= threshold and (best is None or (-score, ident) < (-best[0], best[1])):
            best = (score, ident)
    return None if best is None else best[1]


class _Index:
    """An inverted index of text vectors, to find similar pairs without comparing all of them."""

    def __init__(self, vectors: Mapping[str, TextVector]) -> None:
        self.vectors = vectors
        self.postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for ident in sorted(vectors):
            for key, count in vectors[ident].counts.items():
                self.postings[key].append((ident, count))

    def scores(self, vector: TextVector) -> Iterator[tuple[float, str]]:
        """``(cosine, id)`` for every indexed text sharing a feature with ``vector``."""
        dots: dict[str, int] = defaultdict(int)
        for key, count in vector.counts.items():
            for ident, other in self.postings.get(key, ()):
                dots[ident] += count * other
        for ident, dot in dots.items():
            yield min(1.0, dot / (vector.norm * self.vectors[ident].norm)), ident


def group_questions(
    questions: Iterable[Question],
    answers: Iterable[OfficialAnswer] = (),
    *,
    threshold: float = SIMILARITY_THRESHOLD,
) -> tuple[Theme, ...]:
    """Group questions into themes (see the module docstring); themes sorted by id."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1]; found {threshold!r}")
    by_id = {question.id: question for question in questions}
    official = {answer.id: answer for answer in answers}
    vectors = {ident: TextVector.of(by_id[ident].text) for ident in sorted(by_id)}
    theme_of: dict[str, str] = {}
    anchors: list[tuple[str, TextVector, bool]] = []
    for answer in sorted(official.values(), key=lambda a: a.id):
        anchors.extend(
            (answer.id, TextVector.of(text), False)
            for text in (answer.question.ja, answer.question.en)
        )
        anchors.extend((answer.id, TextVector.of(phrase), True) for phrase in answer.keywords)
    for ident, vector in vectors.items():
        pinned = by_id[ident].theme
        if pinned is not None:
            theme_of[ident] = pinned
            continue
        scores = (
            (_containment(anchor, vector) if phrase else vector.cosine(anchor), answer_id)
            for answer_id, anchor, phrase in anchors
        )
        chosen = _best(scores, threshold)
        if chosen is not None:
            theme_of[ident] = chosen
    placed = _Index({ident: vectors[ident] for ident in theme_of})
    left = [ident for ident in vectors if ident not in theme_of]
    hops: dict[str, str] = {}
    for ident in left:
        neighbour = _best(placed.scores(vectors[ident]), threshold)
        if neighbour is not None:
            hops[ident] = theme_of[neighbour]
    theme_of.update(hops)
    rest = [ident for ident in left if ident not in hops]
    theme_of.update(_single_linkage({ident: vectors[ident] for ident in rest}, threshold))
    members: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(theme_of):
        members[theme_of[ident]].append(ident)
    return tuple(
        Theme(theme, tuple(ids), official.get(theme)) for theme, ids in sorted(members.items())
    )


def _single_linkage(vectors: Mapping[str, TextVector], threshold: float) -> dict[str, str]:
    """Connected components of the similarity graph, each named after its smallest id."""
    parent = {ident: ident for ident in vectors}

    def root(ident: str) -> str:
        while parent[ident] != ident:
            parent[ident] = parent[parent[ident]]
            ident = parent[ident]
        return ident

    index = _Index(vectors)
    for ident, vector in vectors.items():
        for score, other in index.scores(vector):
            if other != ident and score >= threshold:
                first, second = sorted((root(ident), root(other)))
                parent[second] = first
    return {ident: f"theme-{root(ident)}" for ident in vectors}


@attrs.frozen
class FAQEntry:
    """One published entry: the official answer, how often it was asked, the field's wordings."""

    answer: OfficialAnswer
    asked: int
    wordings: tuple[str, ...]


@attrs.frozen
class FAQ:
    """The published FAQ, plus the themes still waiting for an official answer.

    ``wordings`` under each entry are the field's own questions, shown only
    when they may be quoted (see :mod:`backoffice_marketing.voice.attribution`)
    and never with a department or a name.
    """

    entries: tuple[FAQEntry, ...]
    waiting: tuple[Theme, ...]
    updated_on: dt.date | None

    @classmethod
    def build(
        cls,
        questions: QuestionLog | Iterable[Question],
        answers: AnswerBook | Iterable[OfficialAnswer] = (),
        *,
        departments: Iterable[Department] | Mapping[str, int] | None = None,
        min_group_size: int = MIN_TEXT_GROUP_SIZE,
        threshold: float = SIMILARITY_THRESHOLD,
    ) -> FAQ:
        """Group ``questions``, match the official ``answers`` and keep the published ones."""
        floor = TextFloor.of(departments, min_group_size=min_group_size)
        pool = {question.id: question for question in questions}
        book = tuple(answers)
        themes = group_questions(pool.values(), book, threshold=threshold)
        covered = {theme.official.id for theme in themes if theme.official is not None}
        unasked = tuple(Theme(answer.id, (), answer) for answer in book if answer.id not in covered)
        entries: list[FAQEntry] = []
        waiting: list[Theme] = []
        for theme in sorted((*themes, *unasked), key=lambda t: t.id):
            if theme.official is None or not theme.official.published:
                if theme.questions:
                    waiting.append(theme)
                continue
            entries.append(
                FAQEntry(theme.official, len(theme.questions), _wordings(theme, pool, floor))
            )
        dates = [entry.answer.published_on for entry in entries if entry.answer.published_on]
        return cls(tuple(entries), tuple(waiting), max(dates, default=None))

    def __repr__(self) -> str:
        return f"<FAQ entries={len(self.entries)} waiting={len(self.waiting)}>"

    def to_markdown(self, lang: Lang = "ja") -> str:
        """The FAQ as Markdown; every text from the field is escaped."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_faq.md.j2", check_lang(lang), faq=self)

    def to_html(self, lang: Lang = "ja") -> str:
        """The FAQ as a standalone HTML page; every text is escaped."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_faq.html.j2", check_lang(lang), faq=self)

    def _repr_mimebundle_(self, **_: object) -> dict[str, str]:
        return {"text/markdown": self.to_markdown("en"), "text/plain": repr(self)}


def _wordings(theme: Theme, pool: Mapping[str, Question], floor: TextFloor) -> tuple[str, ...]:
    seen: set[str] = set()
    shown: list[str] = []
    for ident in theme.questions:
        question = pool.get(ident)
        if question is None or not floor.quotable(question.department):
            continue
        text = " ".join(question.text.split())
        if text not in seen:
            seen.add(text)
            shown.append(text)
    return tuple(shown[:MAX_WORDINGS])


def themes_by_question(themes: Sequence[Theme]) -> dict[str, Theme]:
    """Each question id mapped to its theme."""
    return {ident: theme for theme in themes for ident in theme.questions}
