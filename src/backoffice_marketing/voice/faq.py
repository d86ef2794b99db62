"""The FAQ builder: group near-duplicate questions into themes and publish official answers.

Grouping (:func:`group_questions`) is deterministic and does not depend on
the order of the questions or answers given. Each question, taken in id order:

1. keeps the theme it is pinned to (``Question.theme``), if any;
2. else joins the official answer it is most like, when the similarity to the
   answer's question (in either language) is at least the threshold, or the
   containment of one of its key phrases is at least
   :data:`PHRASE_THRESHOLD`. When answers tie, the one with more of its
   keywords in the question wins, then the one whose own question is closer,
   then the smaller id; every tie is recorded (:class:`Tie`, ``FAQ.ties``);
3. the questions still left are grouped by average linkage: questions with
   the same features start as one group, then the two most alike groups (the
   mean similarity over all pairs of their questions) are joined, again and
   again, while that mean is at least the threshold (ties go to the smaller
   ids). A theme is named ``theme-<its smallest question id>`` until an
   official answer takes it over. Unlike single linkage, this does not chain
   loosely related questions into one giant theme; unlike a single pass, it
   does not depend on which wording came first. (To stay fast on large
   logs, each question keeps its :data:`NEIGHBOURS` most alike others, and a
   feature found in more than :data:`CANDIDATE_DF` questions proposes no
   pairs by itself.)

Then the merges a person decided (:mod:`backoffice_marketing.voice.merges`)
join themes, and themes at least :data:`SUGGESTION_RATIO` of the threshold
alike (the cosine of their centroids) are listed as merge suggestions, unless
a person kept them apart.

The similarity is the cosine of feature vectors weighted by inverse document
frequency over the questions and official questions being grouped. The
features come from an analyser (:mod:`backoffice_marketing.voice.meaning`):
by default lemmas read through the synonym table, with
:data:`~backoffice_marketing.voice.meaning.MEANING_THRESHOLD`; without the
``[ja]`` extra, character n-grams with
:data:`~backoffice_marketing.voice.ngrams.SIMILARITY_THRESHOLD`. A key phrase
matches by containment: the share of its features found in the question,
which must be at least :data:`PHRASE_THRESHOLD` (three quarters): a key
phrase says "this is about X", so sharing one common part is not enough.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import ClassVar, Literal

import attrs

from backoffice_marketing.core.departments import (
    DepartmentsInput,
    coerce_departments,
    company_order,
)
from backoffice_marketing.core.privacy import MIN_TEXT_GROUP_SIZE
from backoffice_marketing.core.report import Report
from backoffice_marketing.exceptions import QuestionTooLongError
from backoffice_marketing.foundation.io.limits import MAX_QUESTION_CHARS
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.foundation.validators import non_blank, unique_ids
from backoffice_marketing.voice._fields import no_separator, one_id, tuple_of_str
from backoffice_marketing.voice.attribution import TextFloor
from backoffice_marketing.voice.meaning import Analyser, default_analyser
from backoffice_marketing.voice.merges import ThemeDecisions
from backoffice_marketing.voice.ngrams import TextVector, Weights
from backoffice_marketing.voice.questions import Question, QuestionLog
from backoffice_marketing.voice.storage import load_log, save_log
from backoffice_marketing.voice.table_layout import TableLayout, column

__all__ = [
    "FAQ",
    "MAX_SUGGESTIONS",
    "PHRASE_THRESHOLD",
    "SUGGESTION_RATIO",
    "AnswerBook",
    "FAQEntry",
    "Grouping",
    "MergeSuggestion",
    "OfficialAnswer",
    "Theme",
    "Tie",
    "WaitingTheme",
    "group",
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

    TABLE_LAYOUT: ClassVar[TableLayout] = TableLayout(
        "answers",
        (
            column("id", "id", required=True),
            column("question.ja", required=True),
            column("question.en", required=True),
            column("answer.ja", required=True),
            column("answer.en", required=True),
            column("published_on", "date"),
            column("keywords", "ids"),
        ),
    )

    answers: tuple[OfficialAnswer, ...] = attrs.field(
        default=(), converter=_answers, validator=unique_ids("id", "official answer id")
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> AnswerBook:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        return load_log(AnswerBook, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
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


@attrs.frozen
class Tie:
    """A question two or more official answers matched equally well, and how it was settled.

    ``candidates`` are the answers that tied (sorted); ``chosen`` the one the
    question went to; ``decided_by`` says what settled it: ``keywords`` (more
    of the chosen answer's keywords are in the question), ``question`` (the
    question is closer to the chosen answer's own wording) or ``id`` (nothing
    told them apart; the smaller answer id won: a person should look).
    """

    question: str
    candidates: tuple[str, ...]
    chosen: str
    decided_by: Literal["keywords", "question", "id"]


@attrs.frozen
class MergeSuggestion:
    """Two themes that may be the same question, with how alike they are (0 to 1)."""

    themes: tuple[str, str]
    similarity: float


@attrs.frozen
class Grouping:
    """The themes of a set of questions, the answer ties settled, and suggested merges."""

    themes: tuple[Theme, ...]
    ties: tuple[Tie, ...] = ()
    suggestions: tuple[MergeSuggestion, ...] = ()


#: Themes at least this share of the grouping threshold alike are suggested for merging.
SUGGESTION_RATIO = 0.5
#: At most this many merge suggestions are listed, the most alike first.
MAX_SUGGESTIONS = 20
_EPSILON = 1e-9


@attrs.frozen
class _Anchor:
    answer: str
    wordings: tuple[TextVector, ...]
    keywords: tuple[TextVector, ...]


def _answer_match(
    ident: str, vector: TextVector, anchors: Sequence[_Anchor], threshold: float
) -> tuple[str | None, Tie | None]:
    """The official answer a question joins (or None), and the tie settled on the way."""
    scored = []
    for anchor in anchors:
        wording = max((vector.cosine(text) for text in anchor.wordings), default=0.0)
        phrases = [_phrase_score(phrase, vector, threshold) for phrase in anchor.keywords]
        best = max([wording, *phrases])
        if best >= threshold:
            scored.append((best, sum(1 for score in phrases if score > 0), wording, anchor.answer))
    if not scored:
        return None, None
    top = max(score for score, *_ in scored)
    tied = sorted(entry for entry in scored if entry[0] >= top - _EPSILON)
    if len(tied) == 1:
        return tied[0][3], None
    tied.sort(key=lambda entry: (-entry[1], -entry[2], entry[3]))
    first, second = tied[0], tied[1]
    if first[1] > second[1]:
        decided: Literal["keywords", "question", "id"] = "keywords"
    elif first[2] > second[2] + _EPSILON:
        decided = "question"
    else:
        decided = "id"
    return first[3], Tie(ident, tuple(sorted(e[3] for e in tied)), first[3], decided)


def _vector(chosen: Analyser, found: Counter[str], text: str, weights: Weights) -> TextVector:
    """The weighted vector of a text, with word vectors blended in when the analyser has them."""
    vector = TextVector.of_counts(found, weights)
    return vector if chosen.vectors is None else chosen.vectors.blend_text(vector, text)


def group(
    questions: Iterable[Question],
    answers: Iterable[OfficialAnswer] = (),
    *,
    threshold: float | None = None,
    analyser: Analyser | None = None,
    decisions: ThemeDecisions | None = None,
) -> Grouping:
    """Group questions into themes (see the module docstring), with ties and suggested merges.

    A question longer than :data:`~backoffice_marketing.foundation.io.limits.MAX_QUESTION_CHARS`
    raises :class:`~backoffice_marketing.exceptions.QuestionTooLongError` naming it.
    ``analyser`` defaults to :func:`~backoffice_marketing.voice.meaning.default_analyser`;
    ``threshold`` to the analyser's. ``decisions`` are the merges and splits a
    person recorded (:mod:`backoffice_marketing.voice.merges`).
    """
    chosen = analyser if analyser is not None else default_analyser()
    limit = chosen.threshold if threshold is None else threshold
    if not 0.0 < limit <= 1.0:
        raise ValueError(f"threshold must be in (0, 1]; found {limit!r}")
    by_id = {question.id: question for question in questions}
    for question in by_id.values():
        if len(question.text) > MAX_QUESTION_CHARS:
            raise QuestionTooLongError(question.id, len(question.text), MAX_QUESTION_CHARS)
    official = {answer.id: answer for answer in answers}
    ordered = sorted(official.values(), key=lambda a: a.id)
    idents = sorted(by_id)
    seen: dict[str, Counter[str]] = {}
    raw: dict[str, Counter[str]] = {}
    for ident in idents:
        text = by_id[ident].text
        if text not in seen:
            seen[text] = chosen.features(text)
        raw[ident] = seen[text]
    wordings = {
        answer.id: [chosen.features(text) for text in (answer.question.ja, answer.question.en)]
        for answer in ordered
    }
    weights = Weights.of_counts(
        [*(raw[ident] for ident in idents), *(f for a in ordered for f in wordings[a.id])]
    )
    vectors = {ident: _vector(chosen, raw[ident], by_id[ident].text, weights) for ident in idents}
    anchors = [
        _Anchor(
            answer.id,
            tuple(
                _vector(chosen, found, text, weights)
                for found, text in zip(
                    wordings[answer.id], (answer.question.ja, answer.question.en), strict=True
                )
            ),
            tuple(TextVector.of_counts(chosen.features(phrase)) for phrase in answer.keywords),
        )
        for answer in ordered
    ]
    theme_of: dict[str, str] = {}
    ties: list[Tie] = []
    matches: dict[
        tuple[tuple[str, int], ...], tuple[str | None, Tie | None]
    ] = {}  # same features, same answer
    for ident, vector in vectors.items():
        pinned = by_id[ident].theme
        if pinned is not None:
            theme_of[ident] = pinned
            continue
        signature = tuple(sorted(raw[ident].items()))
        known = matches.get(signature)
        if known is None:
            known = matches[signature] = _answer_match(ident, vector, anchors, limit)
        matched, tie = known
        if matched is not None:
            theme_of[ident] = matched
        if tie is not None:
            ties.append(attrs.evolve(tie, question=ident))
    rest = [ident for ident in vectors if ident not in theme_of]
    theme_of.update(_cluster({ident: vectors[ident] for ident in rest}, limit))
    if decisions is not None:
        theme_of = decisions.apply(theme_of, frozenset(official))
    members: dict[str, list[str]] = defaultdict(list)
    for ident in sorted(theme_of):
        members[theme_of[ident]].append(ident)
    themes = tuple(
        Theme(theme, tuple(ids), official.get(theme)) for theme, ids in sorted(members.items())
    )
    apart = decisions.apart if decisions is not None else frozenset()
    suggestions = _suggestions(themes, vectors, limit * SUGGESTION_RATIO, apart)
    return Grouping(themes, tuple(ties), suggestions)


def group_questions(
    questions: Iterable[Question],
    answers: Iterable[OfficialAnswer] = (),
    *,
    threshold: float | None = None,
    analyser: Analyser | None = None,
) -> tuple[Theme, ...]:
    """Group questions into themes (see the module docstring); themes sorted by id."""
    return group(questions, answers, threshold=threshold, analyser=analyser).themes


def _centroid(theme: Theme, vectors: Mapping[str, TextVector]) -> TextVector:
    summed: dict[str, float] = defaultdict(float)
    for ident in theme.questions:
        vector = vectors.get(ident)
        if vector is None or not vector.norm:
            continue
        for key, value in vector.counts.items():
            summed[key] += value / vector.norm
    return TextVector.of_counts(summed)


def _suggestions(
    themes: Sequence[Theme],
    vectors: Mapping[str, TextVector],
    low: float,
    apart: frozenset[frozenset[str]],
) -> tuple[MergeSuggestion, ...]:
    """Pairs of themes alike enough to be one question, the most alike first."""
    answered = {theme.id for theme in themes if theme.official is not None}
    centroids = [(theme.id, _centroid(theme, vectors)) for theme in themes]
    centroids = [(ident, vector) for ident, vector in centroids if vector.norm]
    units = [
        {key: value / vector.norm for key, value in vector.counts.items()}
        for _ident, vector in centroids
    ]
    postings = _candidate_postings(units)
    found: list[tuple[float, str, str]] = []
    for index, unit in enumerate(units):
        candidates = {other for key in unit for other in postings.get(key, ()) if other > index}
        for other in candidates:
            score = min(1.0, _dot(unit, units[other]))
            if score < low:
                continue
            first, second = sorted((centroids[index][0], centroids[other][0]))
            if frozenset((first, second)) not in apart and not {first, second} <= answered:
                found.append((-round(score, 3), first, second))
    best = heapq.nsmallest(MAX_SUGGESTIONS, found)
    return tuple(MergeSuggestion((first, second), -score) for score, first, second in best)


#: A feature found in more than this share of the texts (and more than
#: :data:`MIN_CANDIDATE_DF` of them) proposes no pairs by itself; pairs it
#: does not propose still count it in their cosine.
CANDIDATE_SHARE = 0.05
#: Features found in at most this many texts always propose pairs.
MIN_CANDIDATE_DF = 200
#: Each text keeps at most this many most alike neighbours in the similarity graph.
NEIGHBOURS = 40


def _candidate_postings(
    units: Sequence[Mapping[str, float]],
) -> dict[str, list[int]]:
    """The indices of the units holding each feature, for the features that propose pairs."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        for key in unit:
            postings[key].append(index)
    cap = max(MIN_CANDIDATE_DF, int(CANDIDATE_SHARE * len(units)))
    return {key: listed for key, listed in postings.items() if len(listed) <= cap}


def _dot(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    if len(second) < len(first):
        first, second = second, first
    return sum(value * second.get(key, 0.0) for key, value in first.items())


def _neighbours(units: Sequence[dict[str, float]], floor: float) -> list[dict[int, float]]:
    """For each unit vector, its most alike others (cosine above ``floor``), by index."""
    postings = _candidate_postings(units)
    found: list[dict[int, float]] = []
    for index, unit in enumerate(units):
        candidates = {other for key in unit for other in postings.get(key, ()) if other != index}
        closest = sorted(
            ((other, dot) for other in candidates if (dot := _dot(unit, units[other])) > floor),
            key=lambda pair: (-pair[1], pair[0]),
        )[:NEIGHBOURS]
        found.append(dict(closest))
    for index, near in enumerate(found):  # keep the graph symmetric
        for other, dot in list(near.items()):
            found[other].setdefault(index, dot)
    return found


def _average_linkage(
    units: Sequence[dict[str, float]], sizes: list[float], names: Sequence[str], threshold: float
) -> list[int]:
    """The group (an index) of each unit after average-linkage joining down to ``threshold``.

    ``sizes`` counts the texts each unit stands for; ``names`` break ties.
    """
    links = [
        {other: dot * sizes[index] * sizes[other] for other, dot in near.items()}
        for index, near in enumerate(_neighbours(units, threshold / 4))
    ]
    parent = list(range(len(units)))
    version = [0] * len(units)
    heap: list[tuple[float, str, str, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        score = links[a][b] / (sizes[a] * sizes[b])
        if score >= threshold:
            first, second = sorted((a, b), key=lambda i: names[i])
            heapq.heappush(
                heap,
                (
                    -score,
                    names[first],
                    names[second],
                    first,
                    second,
                    version[first],
                    version[second],
                ),
            )

    for a, near in enumerate(links):
        for b in near:
            if a < b:
                push(a, b)
    while heap:
        _score, _n1, _n2, a, b, va, vb = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or version[a] != va or version[b] != vb:
            continue
        parent[b] = a
        version[a] += 1
        sizes[a] += sizes[b]
        for other, summed in links[b].items():
            if other == a:
                continue
            links[a][other] = links[a].get(other, 0.0) + summed
            del links[other][b]
            links[other][a] = links[a][other]
        links[a].pop(b, None)
        links[b] = {}
        for other in links[a]:
            push(a, other)

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    return [root(index) for index in range(len(units))]


def _cluster(vectors: Mapping[str, TextVector], threshold: float) -> dict[str, str]:
    """Average-linkage grouping: join the two most alike themes while they are alike enough.

    Texts with the same features are one unit from the start. Two themes are
    as alike as the mean cosine over all pairs of their questions (pairs
    outside the similarity graph count as 0); the most alike pair of themes
    is joined first (ties: the smaller ids) until no pair reaches
    ``threshold``. A theme is named after its smallest question id.
    """
    theme_of: dict[str, str] = {}
    groups: dict[tuple[tuple[str, float], ...], list[str]] = {}
    for ident in sorted(vectors):
        vector = vectors[ident]
        if not vector.norm:
            theme_of[ident] = f"theme-{ident}"
            continue
        key = tuple(sorted((k, v / vector.norm) for k, v in vector.counts.items()))
        groups.setdefault(key, []).append(ident)
    keys = list(groups)
    roots = _average_linkage(
        [dict(key) for key in keys],
        [float(len(groups[key])) for key in keys],
        [groups[key][0] for key in keys],
        threshold,
    )
    members: dict[int, list[str]] = defaultdict(list)
    for index, key in enumerate(keys):
        members[roots[index]].extend(groups[key])
    for idents in members.values():
        name = f"theme-{min(idents)}"
        for ident in idents:
            theme_of[ident] = name
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


def _order(departments: DepartmentsInput | None) -> tuple[str, ...]:
    """The company's order of departments given as objects (an initiative's), else none."""
    if departments is None or isinstance(departments, Mapping | str | os.PathLike):
        return ()
    return tuple(unit.id for unit in coerce_departments(departments, allow_empty=True))


def _waiting_themes(
    themes: Iterable[Theme],
    pool: Mapping[str, Question],
    floor: TextFloor,
    as_of: dt.date,
    laggards: frozenset[str],
    *,
    order: Sequence[str] = (),
) -> tuple[WaitingTheme, ...]:
    rank = company_order(order)
    found = []
    for theme in themes:
        asked = [pool[ident] for ident in theme.questions]
        named = sorted(
            {q.department for q in asked if q.department and floor.quotable(q.department)},
            key=rank,
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
    ties: tuple[Tie, ...] = ()
    suggestions: tuple[MergeSuggestion, ...] = ()

    @classmethod
    def build(
        cls,
        questions: QuestionLog | Iterable[Question],
        answers: AnswerBook | Iterable[OfficialAnswer] = (),
        *,
        departments: DepartmentsInput | None = None,
        min_group_size: int = MIN_TEXT_GROUP_SIZE,
        threshold: float | None = None,
        as_of: dt.date | None = None,
        laggards: Iterable[str] = (),
        analyser: Analyser | None = None,
        decisions: ThemeDecisions | None = None,
    ) -> FAQ:
        """Group ``questions``, match the official ``answers`` and keep the published ones.

        The themes still waiting for an official answer are listed in
        :attr:`pending`, most urgent first (questions from ``laggards``, then
        questions, then days waiting up to ``as_of``, by default the day of
        the latest question). ``ties`` lists the questions two official
        answers matched equally well and how each was settled;
        ``suggestions`` the themes that may be one question, for a person to
        merge (``decisions``, :class:`~backoffice_marketing.voice.merges.ThemeDecisions`).
        """
        floor = TextFloor.of(departments, min_group_size=min_group_size)
        pool = {question.id: question for question in questions}
        book = tuple(answers)
        grouping = group(
            pool.values(), book, threshold=threshold, analyser=analyser, decisions=decisions
        )
        themes = grouping.themes
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
            _waiting_themes(
                waiting, pool, floor, day, frozenset(laggards), order=_order(departments)
            )
            if day is not None
            else ()
        )
        return cls(
            tuple(entries),
            tuple(waiting),
            max(dates, default=None),
            pending,
            day,
            grouping.ties,
            grouping.suggestions,
        )

    def __repr__(self) -> str:
        return f"<FAQ entries={len(self.entries)} waiting={len(self.waiting)}>"

    def field_copy(self) -> FAQ:
        """The FAQ as the field sees it: the published answers only.

        The planner's copy (this object) also holds the backlog (waiting and pending
        themes, with days waited and who asked), the merge suggestions and the keyword
        ties, which name questions by id.
        """
        return attrs.evolve(self, waiting=(), pending=(), ties=(), suggestions=())

    def theme_label(self, theme_id: str, lang: Lang) -> str:
        """A readable name for a theme: its official question, or a quotable example, or its id."""
        for entry in self.entries:
            if entry.answer.id == theme_id:
                return entry.answer.question.get(lang)
        for waiting in self.waiting:
            if waiting.id == theme_id and waiting.official is not None:
                return waiting.official.question.get(lang)
        for theme in self.pending:
            if theme.id == theme_id and theme.example is not None:
                return theme.example
        return theme_id

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
