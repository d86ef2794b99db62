"""Materials and announcements: reader-first checks in Japanese and English.

"The document is impossible to follow" and "nobody explained it to us" are two
of the five complaints the field voices about the back office. This package
reads a notice, rule book or briefing deck the way the receiving department
would, and checks that an announcement plan reaches every department, through
more than one channel, in time.

Linting a document
------------------
>>> from backoffice_marketing import materials
>>> review = materials.lint("経費精算の締め切りは毎月5日です。", lang="ja")
>>> 0 <= review.score <= 100
True

:func:`lint` accepts the text itself, or a ``.txt``, ``.md``, ``.docx`` or
``.pptx`` path (Word and PowerPoint are read with the standard library: no
extra is needed). The :class:`Review` holds:

``findings``
    each with a ``rule``, a ``severity`` (info, warning, error), a
    ``location`` (line and column for text, paragraph for Word, slide and
    paragraph for PowerPoint), a bilingual ``message`` and ``suggestion``, and
    the ``excerpt`` it is about. Japanese rules: sentence length (from 60
    characters, after the 2022 guide 公用文作成の考え方), commas, long kanji
    runs, double negatives, stiff requests, passives and endings, items or
    steps written as prose, and jargon. English rules: sentence length (from
    25 words), passive voice, nominalisations, noun-heavy sentences, items
    written as prose, and jargon. Thresholds are set with :class:`LintOptions`.
``reader_checks``
    does the document say why, what changes, when (a date), what the reader
    must do, and where to ask; and does the reader's action come first?
``readability``
    jReadability (``[ja]`` extra) or a Tateishi-style score for Japanese,
    Flesch reading ease for English, each with its band explained.
``score``
    0 to 100, higher is easier for the reader::

        score = 100 * (0.45 * style + 0.35 * reader + 0.20 * readability)

    ``style = exp(-d)`` with ``d`` the weighted writing findings per sentence
    (info 0.25, warning 1, error 2); ``reader`` the weighted share of reader
    checks passed (why 3, what changes 2, when 2, action 3, where to ask 2,
    conclusion first 1); ``readability`` the readability normalised to [0, 1].

Reviews render with ``to_markdown(lang)``, ``to_html(lang)`` and ``to_json()``,
and give checklist answers with ``answers()`` (source ``"materials"``).

Reviewing an announcement plan
------------------------------
An :class:`AnnouncementPlan` holds dated :class:`PlannedMessage` objects by
:class:`Channel` and department around a launch date. ``plan.review(log=...)``
checks two channels per department before the launch, lead time in business
days, repetition, a second call after launch and blackout periods, and, given
a reach log (CSV: department, person, event), reach and acknowledgement per
department with small departments rolled up for privacy.
"""

from __future__ import annotations

from backoffice_marketing.foundation.deprecation import deprecated_names
from backoffice_marketing.foundation.public_names import claim_all
from backoffice_marketing.materials.announcements import (
    ALL_DEPARTMENTS,
    AnnouncementPlan,
    AnnouncementReview,
    Channel,
    DepartmentCoverage,
    GroupReach,
    MessageKind,
    PlanFinding,
    PlannedMessage,
    ReachEvent,
    ReachLog,
    ReachRecord,
)
from backoffice_marketing.materials.glossary import Glossary, GlossaryEntry, default_glossary
from backoffice_marketing.materials.model import (
    Anchor,
    Block,
    BlockKind,
    Finding,
    Location,
    Material,
    Severity,
)
from backoffice_marketing.materials.options import LintOptions
from backoffice_marketing.materials.readability import (
    Band,
    Readability,
    english_readability,
    japanese_readability,
)
from backoffice_marketing.materials.reader import ReaderCheck
from backoffice_marketing.materials.readers import material_from_text, read_material
from backoffice_marketing.materials.review import Review, ScoreParts, detect_lang, lint

__all__ = [
    "ALL_DEPARTMENTS",
    "Anchor",
    "AnnouncementPlan",
    "AnnouncementReview",
    "Band",
    "Block",
    "BlockKind",
    "Channel",
    "DepartmentCoverage",
    "Finding",
    "Glossary",
    "GlossaryEntry",
    "GroupReach",
    "LintOptions",
    "Location",
    "Material",
    "MessageKind",
    "PlanFinding",
    "PlannedMessage",
    "ReachEvent",
    "ReachLog",
    "ReachRecord",
    "Readability",
    "ReaderCheck",
    "Review",
    "ScoreParts",
    "Severity",
    "default_glossary",
    "detect_lang",
    "english_readability",
    "japanese_readability",
    "lint",
    "material_from_text",
    "read_material",
]

__getattr__ = deprecated_names(
    __name__,
    {"count_syllables": ("backoffice_marketing.materials.readability", "count_syllables")},
)

claim_all(globals(), __name__, __all__)
