"""Voice of the field: hearings, traceability, questions, the FAQ and closing the loop.

Covers the failure modes ``research``, ``customer_voice`` and ``two_way``:
log what the field said (:class:`HearingLog`, :class:`QuestionLog`), prove
the plan answers it (:func:`trace`), group questions into themes and publish
the company's answers (:class:`FAQ`), measure the replies
(:func:`response_stats`), show what changed (:func:`you_said_we_did`), read
pulse surveys (:func:`pulse_summary`) and turn it all into checklist answers
(:meth:`VoiceReport.answers`).
"""

from __future__ import annotations

from backoffice_marketing.voice.attribution import TextFloor
from backoffice_marketing.voice.decisions import Decision, DecisionLog, Traceability, trace
from backoffice_marketing.voice.faq import (
    FAQ,
    PHRASE_THRESHOLD,
    AnswerBook,
    FAQEntry,
    OfficialAnswer,
    Theme,
    group_questions,
)
from backoffice_marketing.voice.hearings import (
    Coverage,
    Finding,
    Hearing,
    HearingLog,
    HearingPurpose,
    Revisit,
    Sentiment,
    coverage,
    revisits,
)
from backoffice_marketing.voice.loop import Change, ChangeLog, LoopRow, you_said_we_did
from backoffice_marketing.voice.ngrams import SIMILARITY_THRESHOLD, normalise, similarity
from backoffice_marketing.voice.pulse import PulseLog, PulseResponse, PulseSummary, pulse_summary
from backoffice_marketing.voice.questions import (
    FeedbackKind,
    Question,
    QuestionLog,
    QuestionStateError,
    QuestionStatus,
    UnknownQuestionError,
)
from backoffice_marketing.voice.report import VoiceReport
from backoffice_marketing.voice.stats import ResponseStats, percentile, response_stats

__all__ = [
    "FAQ",
    "PHRASE_THRESHOLD",
    "SIMILARITY_THRESHOLD",
    "AnswerBook",
    "Change",
    "ChangeLog",
    "Coverage",
    "Decision",
    "DecisionLog",
    "FAQEntry",
    "FeedbackKind",
    "Finding",
    "Hearing",
    "HearingLog",
    "HearingPurpose",
    "LoopRow",
    "OfficialAnswer",
    "PulseLog",
    "PulseResponse",
    "PulseSummary",
    "Question",
    "QuestionLog",
    "QuestionStateError",
    "QuestionStatus",
    "ResponseStats",
    "Revisit",
    "Sentiment",
    "TextFloor",
    "Theme",
    "Traceability",
    "UnknownQuestionError",
    "VoiceReport",
    "coverage",
    "group_questions",
    "normalise",
    "percentile",
    "pulse_summary",
    "response_stats",
    "revisits",
    "similarity",
    "trace",
    "you_said_we_did",
]
