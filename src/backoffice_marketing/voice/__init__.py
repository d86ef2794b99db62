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

from backoffice_marketing.foundation.deprecation import deprecated_names
from backoffice_marketing.foundation.public_names import claim_all
from backoffice_marketing.voice.attribution import TextFloor
from backoffice_marketing.voice.decisions import Decision, DecisionLog, Traceability, trace
from backoffice_marketing.voice.faq import (
    FAQ,
    PHRASE_THRESHOLD,
    AnswerBook,
    FAQEntry,
    Grouping,
    MergeSuggestion,
    OfficialAnswer,
    Theme,
    Tie,
    WaitingTheme,
    group,
    group_questions,
)
from backoffice_marketing.voice.hearings import (
    Coverage,
    Hearing,
    HearingFinding,
    HearingLog,
    HearingPurpose,
    Revisit,
    Sentiment,
    coverage,
    revisits,
)
from backoffice_marketing.voice.loop import Change, ChangeLog, LoopRow, you_said_we_did
from backoffice_marketing.voice.meaning import MEANING_THRESHOLD, Analyser, default_analyser
from backoffice_marketing.voice.merges import ThemeDecisions, record_merge, record_split
from backoffice_marketing.voice.ngrams import SIMILARITY_THRESHOLD, normalise
from backoffice_marketing.voice.pulse import (
    PulseGroup,
    PulseLog,
    PulseResponse,
    PulseSummary,
    pulse_summary,
)
from backoffice_marketing.voice.questions import (
    FeedbackKind,
    Question,
    QuestionLog,
    QuestionStatus,
)
from backoffice_marketing.voice.report import FindingRow, QuestionRow, ThemeRow, VoiceReport
from backoffice_marketing.voice.stats import ResponseStats, response_stats
from backoffice_marketing.voice.synonyms import SynonymTable, load_synonyms

__all__ = [
    "FAQ",
    "MEANING_THRESHOLD",
    "PHRASE_THRESHOLD",
    "SIMILARITY_THRESHOLD",
    "Analyser",
    "AnswerBook",
    "Change",
    "ChangeLog",
    "Coverage",
    "Decision",
    "DecisionLog",
    "FAQEntry",
    "FeedbackKind",
    "FindingRow",
    "Grouping",
    "Hearing",
    "HearingFinding",
    "HearingLog",
    "HearingPurpose",
    "LoopRow",
    "MergeSuggestion",
    "OfficialAnswer",
    "PulseGroup",
    "PulseLog",
    "PulseResponse",
    "PulseSummary",
    "Question",
    "QuestionLog",
    "QuestionRow",
    "QuestionStatus",
    "ResponseStats",
    "Revisit",
    "Sentiment",
    "SynonymTable",
    "TextFloor",
    "Theme",
    "ThemeDecisions",
    "ThemeRow",
    "Tie",
    "Traceability",
    "VoiceReport",
    "WaitingTheme",
    "coverage",
    "default_analyser",
    "group",
    "group_questions",
    "load_synonyms",
    "normalise",
    "pulse_summary",
    "record_merge",
    "record_split",
    "response_stats",
    "revisits",
    "trace",
    "you_said_we_did",
]

__getattr__ = deprecated_names(
    __name__,
    {
        "Finding": ("backoffice_marketing.voice", "HearingFinding"),
        "percentile": ("backoffice_marketing.voice.stats", "percentile"),
        "similarity": ("backoffice_marketing.voice.ngrams", "similarity"),
        "QuestionStateError": (
            "backoffice_marketing.exceptions",
            "QuestionStateError",
            "backoffice_marketing.QuestionStateError",
        ),
        "UnknownQuestionError": (
            "backoffice_marketing.exceptions",
            "UnknownQuestionError",
            "backoffice_marketing.UnknownQuestionError",
        ),
    },
)
claim_all(globals(), __name__, __all__)
