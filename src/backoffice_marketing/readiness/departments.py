"""Why a flagged department lags, and what to do next: its barrier with the evidence cited.

For each flagged department (the public result of the adoption
classification: the set of departments flagged), two sources say which
element of readiness fails:

- the survey: the most frequent barrier point among the department's
  respondents (:class:`~backoffice_marketing.readiness.barriers.GroupReadiness`),
  read from the published group that holds it (a small department is only
  seen inside its parent's figures);
- the field's words: hearing findings about the department and the
  questions it asked, each tagged with an element
  (:mod:`backoffice_marketing.readiness.tagging`); the element most of them
  speak to wins (ties: the earlier element).

When both agree, that is the barrier. When they disagree, both are shown,
the newer source first, and the newer one decides the next action. The next
action is the remedy of the barrier's element that best fits the evidence
(:func:`~backoffice_marketing.readiness.remedies.choose_remedy`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from backoffice_marketing.core.privacy import OTHER_GROUP
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.readiness.barriers import GroupReadiness, RoundSummary
from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.readiness.remedies import ReadinessRemedy, choose_remedy
from backoffice_marketing.readiness.tagging import manual_element, tag_text
from backoffice_marketing.voice import Question

if TYPE_CHECKING:
    from backoffice_marketing.voice import FAQ, HearingLog, QuestionLog

__all__ = [
    "DepartmentBarrier",
    "Evidence",
    "EvidenceKind",
    "EvidenceSource",
    "SourceBarrier",
    "department_barriers",
    "visit_purposes",
]


class EvidenceKind(enum.StrEnum):
    """Where a piece of evidence comes from."""

    SURVEY = "survey"
    HEARING = "hearing"
    QUESTION_THEME = "question_theme"
    QUESTIONS = "questions"


class EvidenceSource(enum.StrEnum):
    """Which source a barrier was read from."""

    SURVEY = "survey"
    FIELD = "field"


@attrs.frozen
class Evidence:
    """One piece of evidence: its kind, the ids it cites, its date, element and a summary."""

    kind: EvidenceKind
    references: tuple[str, ...]
    on: dt.date
    element: Element | None
    summary: LocalizedText
    count: int = 1


@attrs.frozen
class SourceBarrier:
    """The barrier one source points to, and the date of its latest evidence."""

    source: EvidenceSource
    element: Element | None
    on: dt.date


@attrs.frozen
class DepartmentBarrier:
    """A flagged department's barrier, the evidence cited and the next action, in both languages.

    ``sources`` lists what each source says, newest first; ``disagree`` is
    true when they point to different elements. ``element`` is ``None`` when
    no source says anything.
    """

    department: str
    element: Element | None
    sources: tuple[SourceBarrier, ...]
    evidence: tuple[Evidence, ...]
    next_action: LocalizedText | None
    remedy: str | None
    disagree: bool

    def headline(self, *, lang: Lang) -> str:
        """One line for a department head's screen: the barrier and the next action."""
        if self.element is None or self.next_action is None:
            return self.reason.get(lang)
        if lang == "ja":
            return f"障壁: {self.element.short.ja} / 次の一手: {self.next_action.ja}"
        return f"Barrier: {self.element.short.en} / Next: {self.next_action.en}"

    @property
    def reason(self) -> LocalizedText:
        """One sentence: the barrier and how sure the sources are."""
        if self.element is None:
            return LocalizedText(
                "障壁を示す根拠がまだありません。", "No evidence of a barrier yet."
            )
        label = self.element.text
        if not self.disagree:
            return LocalizedText(
                f"障壁は「{label.ja}」です。", f"The barrier is {label.en.lower()}."
            )
        parts_ja = "、".join(
            f"{_SOURCE_JA[s.source]}は「{s.element.text.ja if s.element else 'なし'}」"
            for s in self.sources
        )
        parts_en = "; ".join(
            f"the {s.source.value} says {s.element.value if s.element else 'none'} ({s.on})"
            for s in self.sources
        )
        return LocalizedText(
            f"根拠が分かれています({parts_ja}、新しい順)。新しい根拠に従い「{label.ja}」とします。",
            f"The evidence disagrees ({parts_en}; newest first). "
            f"Following the newer: {label.en.lower()}.",
        )


_SOURCE_JA = {EvidenceSource.SURVEY: "アンケート", EvidenceSource.FIELD: "現場の声"}


def _tag(
    tags: Iterable[str], text: str, manual: Mapping[str, Element], ident: str
) -> Element | None:
    if ident in manual:
        return manual[ident]
    found = manual_element(tags)
    return found if found is not None else tag_text(text)


def department_barriers(
    flagged: Iterable[str],
    *,
    survey: RoundSummary | None = None,
    hearings: HearingLog | None = None,
    questions: QuestionLog | None = None,
    faq: FAQ | None = None,
    manual: Mapping[str, Element | str] | None = None,
    remedies: Iterable[ReadinessRemedy] | None = None,
) -> tuple[DepartmentBarrier, ...]:
    """The barrier of each flagged department, sorted by department name.

    ``manual`` maps hearing finding ids, question ids or theme ids to an
    element and always wins over the rules (so do ``adkar:<element>`` tags on
    hearing findings). ``faq`` adds the waiting themes the department asked
    about, with their counts.
    """
    pinned = {key: Element(value) for key, value in (manual or {}).items()}
    catalogue = tuple(remedies) if remedies is not None else None
    return tuple(
        _one(
            name,
            survey=survey,
            hearings=hearings,
            questions=questions,
            faq=faq,
            manual=pinned,
            catalogue=catalogue,
        )
        for name in sorted(set(flagged))
    )


def _one(
    department: str,
    *,
    survey: RoundSummary | None,
    hearings: HearingLog | None,
    questions: QuestionLog | None,
    faq: FAQ | None,
    manual: Mapping[str, Element],
    catalogue: tuple[ReadinessRemedy, ...] | None,
) -> DepartmentBarrier:
    evidence: list[Evidence] = []
    votes: list[tuple[Element, dt.date, str]] = []
    for hearing in hearings or ():
        if department not in hearing.departments:
            continue
        for finding in hearing.findings:
            element = _tag(finding.tags, finding.text, manual, finding.id)
            if element is None:
                continue
            votes.append((element, hearing.held_on, finding.text))
            evidence.append(
                Evidence(
                    EvidenceKind.HEARING,
                    (hearing.id, finding.id),
                    hearing.held_on,
                    element,
                    LocalizedText(finding.text, finding.text),
                )
            )
    asked = [q for q in questions or () if q.department == department]
    tagged_questions: dict[str, Element] = {}
    for question in asked:
        element = _tag((), question.text, manual, question.id)
        if element is not None:
            tagged_questions[question.id] = element
            votes.append((element, question.received_on, question.text))
    evidence.extend(_themes(asked, tagged_questions, faq, manual))
    field = _field(votes)
    sources: list[SourceBarrier] = []
    if field is not None:
        sources.append(field)
    group = survey.group_of(department) if survey is not None else None
    if survey is not None and group is not None:
        day = survey.held_on
        # A group that folds the department into others is cited, but does not decide.
        if group.group == department:
            sources.append(SourceBarrier(EvidenceSource.SURVEY, group.barrier, day))
        evidence.insert(0, _survey_evidence(department, group, survey, day))
    sources.sort(key=lambda s: (s.on, s.source is EvidenceSource.FIELD), reverse=True)
    said = [s for s in sources if s.element is not None]
    element = said[0].element if said else None
    disagree = len({s.element for s in said}) > 1
    remedy = None
    if element is not None:
        texts = [text for e, _, text in votes if e is element]
        remedy = choose_remedy(element, texts, catalogue=catalogue)
    evidence.sort(key=lambda e: (-e.on.toordinal(), e.kind.value, e.references))
    return DepartmentBarrier(
        department,
        element,
        tuple(sources),
        tuple(evidence),
        remedy.action if remedy is not None else None,
        remedy.id if remedy is not None else None,
        disagree,
    )


def _field(votes: list[tuple[Element, dt.date, str]]) -> SourceBarrier | None:
    if not votes:
        return None
    counts = Counter(element for element, _, _ in votes)
    best = max(ELEMENTS, key=lambda e: (counts[e], -e.rank))
    latest = max(day for element, day, _ in votes if element is best)
    return SourceBarrier(EvidenceSource.FIELD, best, latest)


def _survey_evidence(
    department: str, group: object, survey: RoundSummary, day: dt.date
) -> Evidence:
    assert isinstance(group, GroupReadiness)  # noqa: S101  (narrowing for the type checker)

    def name(key: str, lang: str) -> str:
        if key in {element.value for element in ELEMENTS}:
            return Element(key).short.ja if lang == "ja" else key
        return {"none": ("障壁なし", "none"), "incomplete": ("未回答あり", "incomplete")}[key][
            lang == "en"
        ]

    parts_ja = "、".join(f"{name(k, 'ja')} {n}" for k, n in group.distribution if n)
    parts_en = ", ".join(f"{name(k, 'en')} {n}" for k, n in group.distribution if n)
    folded_ja = "その他" if group.group == OTHER_GROUP else group.group
    within = "" if group.group == department else f" (folded into {group.group})"
    ja_within = "" if group.group == department else f"({folded_ja}に合算)"
    return Evidence(
        EvidenceKind.SURVEY,
        (survey.round,),
        day,
        group.barrier,
        LocalizedText(
            f"アンケート{survey.round}{ja_within}: "
            f"回答{group.respondents}人、障壁の分布 {parts_ja}",
            f"Survey {survey.round}{within}: {group.respondents} respondents; "
            f"barrier points {parts_en}",
        ),
        group.respondents,
    )


def _themes(
    asked: Sequence[object],
    tagged: Mapping[str, Element],
    faq: FAQ | None,
    manual: Mapping[str, Element],
) -> list[Evidence]:
    mine = {q.id: q for q in asked if isinstance(q, Question)}
    found: list[Evidence] = []
    cited: set[str] = set()
    pending = {w.id: w for w in faq.pending} if faq is not None else {}
    for theme in faq.waiting if faq is not None else ():
        ours = [ident for ident in theme.questions if ident in mine]
        if not ours:
            continue
        cited.update(ours)
        votes = Counter(tagged[ident] for ident in ours if ident in tagged)
        element = manual.get(theme.id) or (
            max(ELEMENTS, key=lambda e: (votes[e], -e.rank)) if votes else None
        )
        waiting = pending.get(theme.id)
        total = waiting.questions if waiting is not None else len(theme.questions)
        example = waiting.example if waiting is not None and waiting.example else None
        days = waiting.days_waiting if waiting is not None else None
        last = max(mine[ident].received_on for ident in ours)
        wait_ja = f"、{days}日待ち" if days is not None else ""
        wait_en = f", waiting {days} days" if days is not None else ""
        quote_ja = f":「{example}」" if example else ""
        quote_en = f": \u201c{example}\u201d" if example else ""
        found.append(
            Evidence(
                EvidenceKind.QUESTION_THEME,
                (theme.id, *ours),
                last,
                element,
                LocalizedText(
                    f"回答待ちのFAQテーマ(全{total}件、うちこの部署{len(ours)}件"
                    f"{wait_ja}){quote_ja}",
                    f"Waiting FAQ theme ({total} questions, {len(ours)} from this "
                    f"department{wait_en}){quote_en}",
                ),
                len(ours),
            )
        )
    rest = sorted(ident for ident in tagged if ident not in cited)
    by_element: dict[Element, list[str]] = {}
    for ident in rest:
        by_element.setdefault(tagged[ident], []).append(ident)
    for element, ids in sorted(by_element.items(), key=lambda item: item[0].rank):
        found.append(
            Evidence(
                EvidenceKind.QUESTIONS,
                tuple(ids),
                max(mine[ident].received_on for ident in ids),
                element,
                LocalizedText(
                    f"この部署からの質問{len(ids)}件({element.text.ja})",
                    f"{len(ids)} questions from this department ({element.value})",
                ),
                len(ids),
            )
        )
    return found


def visit_purposes(barriers: Iterable[DepartmentBarrier]) -> dict[str, LocalizedText]:
    """The purpose of each flagged department's follow-up visit: settle its barrier's remedy.

    Pass the result to :meth:`backoffice_marketing.Plan.replan` (``purposes=``),
    so that a replanned visit says what it is for instead of "ask why again".
    Departments without a barrier keep the playbook's own visit.
    """
    found: dict[str, LocalizedText] = {}
    for barrier in barriers:
        if barrier.element is None or barrier.next_action is None:
            continue
        short = barrier.element.short
        found[barrier.department] = LocalizedText(
            f"障壁「{short.ja}」への対応を部署と決めて進める: {barrier.next_action.ja}",
            f"Agree and start the {short.en} remedy with the department: {barrier.next_action.en}",
        )
    return found
