"""The voice-of-the-field report: coverage, traceability, questions, loop closure, pulse.

Every part is optional: give the logs you have. Free text follows the
privacy rules of :mod:`backoffice_marketing.voice.attribution` (findings are
attributed to their departments only when each has 10 people or more; the
field's wordings are quoted only from such groups or anonymously), and
anonymous questions never carry a department or a name. Markdown escapes
every text, HTML is autoescaped, and the xlsx export neutralises formulas.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs

from backoffice_marketing.core.calendars import BusinessCalendar
from backoffice_marketing.core.checklist import Answer
from backoffice_marketing.core.departments import Department, DepartmentsInput, coerce_departments
from backoffice_marketing.core.privacy import MIN_TEXT_GROUP_SIZE
from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.deprecation import warn_deprecated
from backoffice_marketing.foundation.text import Lang, LocalizedText, resolve_lang
from backoffice_marketing.render.labels import label
from backoffice_marketing.voice.attribution import TextFloor
from backoffice_marketing.voice.decisions import DecisionLog, Traceability, trace
from backoffice_marketing.voice.evidence import report_answers
from backoffice_marketing.voice.faq import FAQ, AnswerBook, Theme, group_questions
from backoffice_marketing.voice.hearings import (
    Coverage,
    HearingLog,
    Revisit,
    Sentiment,
    coverage,
    revisits,
)
from backoffice_marketing.voice.loop import ChangeLog, LoopRow, you_said_we_did
from backoffice_marketing.voice.pulse import PulseLog, PulseSummary, pulse_summary
from backoffice_marketing.voice.questions import FeedbackKind, QuestionLog
from backoffice_marketing.voice.stats import ResponseStats, response_stats
from backoffice_marketing.voice.storage import xlsx_bytes

__all__ = ["FindingRow", "QuestionRow", "ThemeRow", "VoiceReport"]


@attrs.frozen
class FindingRow:
    """A finding as reported: its department only when it may be attributed.

    The interviewer's summary (``text``) and the field's own words
    (``quotes``) are shown only when every department of the hearing may be
    quoted (text from a group below the text floor is never quoted, not even
    without its department's name, since a lone small department is then
    still recognisable); else ``text`` is empty and ``text_withheld`` is true,
    and ``quotes_withheld`` is true when there were quotes.
    """

    id: str
    held_on: dt.date
    departments: tuple[str, ...] | None
    text: str
    tags: tuple[str, ...]
    sentiment: Sentiment | None
    quotes: tuple[str, ...]
    quotes_withheld: bool = False
    text_withheld: bool = False


@attrs.frozen
class ThemeRow:
    """A theme of questions as reported."""

    id: str
    said: LocalizedText | None
    wording: str | None
    asked: int
    published_on: dt.date | None


@attrs.frozen
class QuestionRow:
    """One question as exported: no name, and a department only when it may be attributed."""

    id: str
    theme: str
    text: str
    received_on: dt.date
    channel: str
    kind: str
    department: str | None
    role: str | None
    status: str
    answered_on: dt.date | None


@attrs.frozen
class VoiceReport(Report):
    """What was heard, what was done with it, and how the dialogue is going."""

    report_kind: ClassVar[str] = "voice_report"
    write_formats: ClassVar[tuple[str, ...]] = ("md", "html", "json", "xlsx")

    as_of: dt.date
    coverage: Coverage | None = None
    revisits: tuple[Revisit, ...] = ()
    traceability: Traceability | None = None
    findings: tuple[FindingRow, ...] = ()
    stats: ResponseStats | None = None
    themes: tuple[ThemeRow, ...] = ()
    questions: tuple[QuestionRow, ...] = ()
    faq: FAQ | None = None
    loop: tuple[LoopRow, ...] = ()
    pulse: PulseSummary | None = None
    concerns: int = 0
    concerns_replied: int = 0
    anonymous_questions: int = 0
    question_count: int | None = None

    @classmethod
    def build(
        cls,
        *,
        as_of: dt.date,
        departments: DepartmentsInput | None = None,
        hearings: HearingLog | None = None,
        decisions: DecisionLog | None = None,
        questions: QuestionLog | None = None,
        answers: AnswerBook | None = None,
        changes: ChangeLog | None = None,
        pulse: PulseLog | None = None,
        proposal_on: dt.date | None = None,
        window_days: int = 90,
        laggards: Iterable[str] = (),
        revisit_since: dt.date | None = None,
        promised_days: int = 3,
        calendar: BusinessCalendar | None = None,
        min_group_size: int = MIN_TEXT_GROUP_SIZE,
    ) -> VoiceReport:
        """Build the report from the logs given; parts without their inputs stay empty.

        The report is what was known on ``as_of``: hearings held and questions
        received after that day are left out. ``departments`` may also be a
        department CSV path (as for :meth:`Plan.from_playbook
        <backoffice_marketing.diagnosis.planning.plan.Plan.from_playbook>`).
        """
        units = _units(departments)
        if hearings is not None:
            hearings = HearingLog(tuple(h for h in hearings.hearings if h.held_on <= as_of))
        if questions is not None:
            questions = QuestionLog(tuple(q for q in questions if q.received_on <= as_of))
        floor = TextFloor.of(units, min_group_size=min_group_size)
        themes: tuple[Theme, ...] = ()
        book = answers if answers is not None else AnswerBook()
        parts: dict[str, Any] = {}
        if hearings is not None:
            if units and proposal_on is not None:
                parts["coverage"] = coverage(
                    hearings, units, proposal_on=proposal_on, window_days=window_days
                )
            lagging = tuple(laggards)
            if lagging:
                since = revisit_since if revisit_since is not None else proposal_on or as_of
                parts["revisits"] = revisits(
                    hearings, lagging, since=since, order=[unit.id for unit in units]
                )
            parts["findings"] = _finding_rows(hearings, floor)
            if decisions is not None:
                parts["traceability"] = trace(decisions, hearings)
        if questions is not None:
            themes = group_questions(questions, book)
            parts["stats"] = response_stats(
                questions,
                promised_days=promised_days,
                as_of=as_of,
                calendar=calendar,
                themes=themes,
            )
            parts["faq"] = FAQ.build(
                questions, book, departments=units, min_group_size=min_group_size
            )
            parts["themes"] = _theme_rows(themes, questions, floor)
            parts["questions"] = _question_rows(themes, questions, floor)
            concerns = [q for q in questions if q.kind is FeedbackKind.CONCERN]
            parts["concerns"] = len(concerns)
            parts["concerns_replied"] = sum(q.status.replied for q in concerns)
            parts["anonymous_questions"] = sum(q.anonymous for q in questions)
            parts["question_count"] = len(questions)
        if changes is not None or themes:
            parts["loop"] = you_said_we_did(themes, changes or ChangeLog(), hearings=None)
        if pulse is not None and units and len(pulse):
            parts["pulse"] = pulse_summary(pulse, units)
        return cls(as_of=as_of, **parts)

    def __repr__(self) -> str:
        return (
            f"<VoiceReport as_of={self.as_of} findings={len(self.findings)} "
            f"themes={len(self.themes)} questions={len(self.questions)}>"
        )

    def answers(self, *, lang: Lang | None = None) -> tuple[Answer, ...]:
        """Checklist answers for the research, customer_voice and two_way items."""
        return report_answers(self, lang=resolve_lang(lang))

    def _markdown(self, lang: Lang) -> str:
        """The report as Markdown; every text is escaped."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_report.md.j2", lang, report=self)

    def _html(self, lang: Lang) -> str:
        """The report as a standalone HTML page; every text is escaped."""
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("voice_report.html.j2", lang, report=self)

    def _export(self, fmt: str, lang: Lang) -> bytes:  # noqa: ARG002  (xlsx is the only extra)
        """The questions as an xlsx sheet (no names; formulas neutralised)."""
        checked = lang
        header = [
            label(f"voice_col_{name}", checked)
            for name in (
                "id", "theme", "text", "received_on", "channel", "kind",
                "department", "role", "status", "answered_on",
            )
        ]  # fmt: skip
        rows = [list(attrs.astuple(row)) for row in self.questions]
        return xlsx_bytes(label("voice_sheet_questions", checked), header, rows)

    def questions_xlsx(self, lang: Lang | None = None) -> bytes:
        """Deprecated: use ``to_bytes("xlsx")`` (the questions as an xlsx sheet)."""
        warn_deprecated("VoiceReport.questions_xlsx()", "to_bytes('xlsx')")
        return self.to_bytes("xlsx", lang=lang)

    def write_questions_xlsx(self, path: str | os.PathLike[str], lang: Lang | None = None) -> None:
        """Deprecated: use ``write(path)`` with an ``.xlsx`` path."""
        warn_deprecated("VoiceReport.write_questions_xlsx()", "write('questions.xlsx')")
        self.write(path, format="xlsx", lang=lang)


def _units(departments: DepartmentsInput | None) -> tuple[Department, ...]:
    if departments is None:
        return ()
    if isinstance(departments, Mapping):
        return tuple(Department(name, headcount=size) for name, size in sorted(departments.items()))
    return coerce_departments(departments, allow_empty=True)  # objects: the company's order


def _finding_rows(hearings: HearingLog, floor: TextFloor) -> tuple[FindingRow, ...]:
    rows: list[FindingRow] = []
    for hearing in hearings.hearings:
        quotable = (
            all(floor.quotable(name) for name in hearing.departments)
            if hearing.departments
            else floor.quotable(None)
        )
        rows.extend(
            FindingRow(
                finding.id,
                hearing.held_on,
                hearing.departments if floor.attributable(hearing.departments) else None,
                finding.text if quotable else "",
                finding.tags,
                finding.sentiment,
                finding.quotes if quotable else (),
                bool(finding.quotes) and not quotable,
                text_withheld=not quotable,
            )
            for finding in hearing.findings
        )
    return tuple(sorted(rows, key=lambda row: (row.held_on, row.id)))


def _theme_rows(
    themes: Iterable[Theme], questions: QuestionLog, floor: TextFloor
) -> tuple[ThemeRow, ...]:
    rows: list[ThemeRow] = []
    for theme in themes:
        wording = next(
            (
                questions[ident].text
                for ident in theme.questions
                if floor.quotable(questions[ident].department)
            ),
            None,
        )
        official = theme.official
        rows.append(
            ThemeRow(
                theme.id,
                None if official is None else official.question,
                wording,
                len(theme.questions),
                None if official is None else official.published_on,
            )
        )
    return tuple(rows)


def _question_rows(
    themes: Iterable[Theme], questions: QuestionLog, floor: TextFloor
) -> tuple[QuestionRow, ...]:
    theme_of = {ident: theme.id for theme in themes for ident in theme.questions}
    return tuple(
        QuestionRow(
            question.id,
            theme_of[question.id],
            question.text,
            question.received_on,
            question.channel,
            question.kind.value,
            floor.attribute(question.department),
            question.role if floor.attribute(question.department) is not None else None,
            question.status.value,
            question.answered_on,
        )
        for question in sorted(questions, key=lambda q: (q.received_on, q.id))
        if floor.quotable(question.department)
    )
