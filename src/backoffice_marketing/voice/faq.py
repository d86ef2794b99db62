"""The FAQ builder: group near-duplicate questions into themes and publish official answers.

Grouping (:func:`group_questions`) is deterministic and does not depend on
the order of the questions or answers given. Each question, taken in id order:

1. keeps the theme it is pinned to (``Question.theme``), if any;
2. else joins the official answer it is most like, when the similarity to the
   answer's question (in either language) is at least the threshold, or the
   containment of one of its key phrases is at least
   :data:`PHRASE_THRESHOLD` (ties go to the smaller answer id);
3. the questions still left are grouped by leaders, in id order: each joins
   the theme of the most similar question that leads one, when that
   similarity is at least the threshold (ties go to the smaller id), or else
   leads a new theme, named ``theme-<its id>`` until an official answer takes
   it over. Unlike single linkage, this does not chain loosely related
   questions into one giant theme.

The similarity is the cosine of character n-gram vectors weighted by inverse
document frequency over the questions and official questions being grouped,
and the threshold is :data:`~backoffice_marketing.voice.ngrams.SIMILARITY_THRESHOLD`
(see :mod:`backoffice_marketing.voice.ngrams`). A key phrase matches by
containment: the share of its n-grams found in the question, which must be
at least :data:`PHRASE_THRESHOLD` (three quarters): a key phrase says "this
is about X", so sharing a common pair of characters (「ない」 in 答えられない
and 取れない) is not enough.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import ClassVar

import attrs

from backoffice_marketing.departments import DepartmentsInput
from backoffice_marketing.privacy import MIN_TEXT_GROUP_SIZE
from backoffice_marketing.report import Report
from backoffice_marketing.text import Lang, LocalizedText
from backoffice_marketing.validators import non_blank, unique_ids
from backoffice_marketing.voice._fields import no_separator, one_id, tuple_of_str
from backoffice_marketing.voice.attribution import TextFloor
from backoffice_marketing.voice.ngrams import SIMILARITY_THRESHOLD, TextVector, Weights
from backoffice_marketing.voice.questions import Question, QuestionLog

__all__ = [
    "FAQ",
    "PHRASE_THRESHOLD",
    "AnswerBook",
    "FAQEntry",
    "OfficialAnswer",
    "Theme",
    "WaitingTheme",
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
    def from_file(cls, path: str | os.PathLike[str]) -> AnswerBook:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        from backoffice_marketing.voice.storage import load_log  # noqa: PLC0415

        return load_log(AnswerBook, path)

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


#: The share of a key phrase's n-grams a question must contain to match it.
PHRASE_THRESHOLD = 0.75


def _containment(phrase: TextVector, text: TextVector) -> float:
    """The share of the phrase's distinct features found in the text."""
    if not phrase.counts:
        return 0.0
    return sum(key in text.counts for key in phrase.counts) / len(phrase.counts)


def _phrase_score(phrase: TextVector, text: TextVector, threshold: float) -> float:
    """The containment when it reaches :data:`PHRASE_THRESHOLD`, else 0 (never a match)."""
    share = _containment(phrase, text)
    return share if share >= max(PHRASE_THRESHOLD, threshold) else 0.0


def _best(candidates: Iterable[tuple[float, str]], threshold: float) -> str | None:
    """The id with the highest score at or above ``threshold``; ties go to the smaller id."""
    best: tuple[float, str] | None = None
    for score, ident in candidates:
        if score >= threshold and (best is None or (-score, ident) < (-best[0], best[1])):
            best = (score, ident)
    return None if best is None else best[1]


class _Index:
    """An inverted index of text vectors, to find similar pairs without comparing all of them."""

    def __init__(self) -> None:
        self.vectors: dict[str, TextVector] = {}
        self.postings: dict[str, list[tuple[str, float]]] = defaultdict(list)

    def add(self, ident: str, vector: TextVector) -> None:
        """Index one more text."""
        self.vectors[ident] = vector
        for key, count in vector.counts.items():
            self.postings[key].append((ident, count))

    def scores(self, vector: TextVector) -> Iterator[tuple[float, str]]:
        """``(cosine, id)`` for every indexed text sharing a feature with ``vector``."""
        dots: dict[str, float] = defaultdict(float)
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
    ordered = sorted(official.values(), key=lambda a: a.id)
    weights = Weights.of(
        [
            *(by_id[ident].text for ident in sorted(by_id)),
            *(text for answer in ordered for text in (answer.question.ja, answer.question.en)),
        ]
    )
    vectors = {ident: TextVector.of(by_id[ident].text, weights) for ident in sorted(by_id)}
    theme_of: dict[str, str] = {}
    anchors: list[tuple[str, TextVector, bool]] = []
    for answer in ordered:
        anchors.extend(
            (answer.id, TextVector.of(text, weights), False)
            for text in (answer.question.ja, answer.question.en)
        )
        anchors.extend((answer.id, TextVector.of(phrase), True) for phrase in answer.keywords)
    for ident, vector in vectors.items():
        pinned = by_id[ident].theme
        if pinned is not None:
            theme_of[ident] = pinned
            continue
        scores = (
            (
                _phrase_score(anchor, vector, threshold) if phrase else vector.cosine(anchor),
                answer_id,
            )
            for answer_id, anchor, phrase in anchors
        )
        chosen = _best(scores, threshold)
        if chosen is not None:
            theme_of[ident] = chosen
    rest = [ident for ident in vectors if ident not in theme_of]
    theme_of.update(_leaders({ident: vectors[ident] for ident in rest}, threshold))
    members: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(theme_of):
        members[theme_of[ident]].append(ident)
    return tuple(
        Theme(theme, tuple(ids), official.get(theme)) for theme, ids in sorted(members.items())
    )


def _leaders(vectors: Mapping[str, TextVector], threshold: float) -> dict[str, str]:
    """Leader grouping in id order: join the most similar leader, or lead a new theme."""
    leaders = _Index()
    theme_of: dict[str, str] = {}
    for ident in sorted(vectors):
        vector = vectors[ident]
        leader = _best(leaders.scores(vector), threshold)
        if leader is None:
            leaders.add(ident, vector)
            theme_of[ident] = f"theme-{ident}"
        else:
            theme_of[ident] = theme_of[leader]
    return theme_of


@attrs.frozen
class FAQEntry:
    """One published entry: the official answer, how often it was asked, the field's wordings."""

    answer: OfficialAnswer
    asked: int
    wordings: tuple[str, ...]


@attrs.frozen
class WaitingTheme:
    """A theme still waiting for an official answer, with what makes it urgent.

    ``departments`` are the askers' departments at or above the text floor
    (smaller ones and anonymous askers are only counted, in ``unnamed``);
    ``from_laggards`` counts the questions from lagging departments;
    ``days_waiting`` runs from the first question to ``as_of``; ``example``
    is the first wording that may be quoted (``None`` when none may).
    """

    id: str
    questions: int
    departments: tuple[str, ...]
    unnamed: int
    from_laggards: int
    first_asked: dt.date
    days_waiting: int
    example: str | None


def _urgency(theme: WaitingTheme) -> tuple[int, int, int, str]:
    """Most urgent first: questions from laggards, then questions, then days waiting."""
    return (-theme.from_laggards, -theme.questions, -theme.days_waiting, theme.id)


def _waiting_themes(
    themes: Iterable[Theme],
    pool: Mapping[str, Question],
    floor: TextFloor,
    as_of: dt.date,
    laggards: frozenset[str],
) -> tuple[WaitingTheme, ...]:
    found = []
    for theme in themes:
        asked = [pool[ident] for ident in theme.questions]
        named = sorted(
            {q.department for q in asked if q.department and floor.quotable(q.department)}
        )
        unnamed = sum(1 for q in asked if not (q.department and floor.quotable(q.department)))
        first = min(q.received_on for q in asked)
        wordings = _wordings(theme, pool, floor)
        found.append(
            WaitingTheme(
                theme.id,
                len(asked),
                tuple(named),
                unnamed,
                sum(1 for q in asked if q.department in laggards),
                first,
                max((as_of - first).days, 0),
                wordings[0] if wordings else None,
            )
        )
    return tuple(sorted(found, key=_urgency))


@attrs.frozen
class FAQ(Report):
    """The published FAQ, plus the themes still waiting for an official answer.

    ``wordings`` under each entry are the field's own questions, shown only
    when they may be quoted (see :mod:`backoffice_marketing.voice.attribution`)
    and never with a department or a name.
    """

    report_kind: ClassVar[str] = "faq"

    entries: tuple[FAQEntry, ...]
    waiting: tuple[Theme, ...]
    updated_on: dt.date | None
    pending: tuple[WaitingTheme, ...] = ()
    as_of: dt.date | None = None

    @classmethod
    def build(
        cls,
        questions: QuestionLog | Iterable[Question],
        answers: AnswerBook | Iterable[OfficialAnswer] = (),
        *,
        departments: DepartmentsInput | None = None,
        min_group_size: int = MIN_TEXT_GROUP_SIZE,
        threshold: float = SIMILARITY_THRESHOLD,
        as_of: dt.date | None = None,
        laggards: Iterable[str] = (),
    ) -> FAQ:
        """Group ``questions``, match the official ``answers`` and keep the published ones.

        The themes still waiting for an official answer are listed in
        :attr:`pending`, most urgent first (questions from ``laggards``, then
        questions, then days waiting up to ``as_of``, by default the day of
        the latest question).
        """
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
        day = as_of
        if day is None:
            day = max((question.received_on for question in pool.values()), default=None)
        pending = (
            _waiting_themes(waiting, pool, floor, day, frozenset(laggards))
            if day is not None
            else ()
        )
        return cls(tuple(entries), tuple(waiting), max(dates, default=None), pending, day)

    def __repr__(self) -> str:
        return f"<FAQ entries={len(self.entries)} waiting={len(self.waiting)}>"

    def _markdown(self, lang: Lang) -> str:
        """The FAQ as Markdown; every text from the field is escaped."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_faq.md.j2", lang, faq=self)

    def _html(self, lang: Lang) -> str:
        """The FAQ as a standalone HTML page; every text is escaped."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_faq.html.j2", lang, faq=self)


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
