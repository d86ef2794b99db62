"""backoffice_marketing: run back-office initiatives the way marketing runs a launch.

間接部門の全社施策を、マーケティングの進め方(現場調査・顧客の声・告知・資料・
双方向の対話)で計画し、診断するためのライブラリです。

The public API is the names in ``__all__``; everything else is internal.
"""

from __future__ import annotations

from backoffice_marketing import exceptions
from backoffice_marketing.assessment import Assessment, Scope, combine_answers
from backoffice_marketing.checklist import (
    Answer,
    AnswerLevel,
    Checklist,
    ChecklistItem,
    Evidence,
    default_checklist,
)
from backoffice_marketing.exceptions import BackofficeMarketingError, LoadError
from backoffice_marketing.failure_modes import FailureMode, FailureModeProfile
from backoffice_marketing.scoring import AssessmentScore, FailureModeScore, score_assessment
from backoffice_marketing.text import LocalizedText

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "AnswerLevel",
    "Assessment",
    "AssessmentScore",
    "BackofficeMarketingError",
    "Checklist",
    "ChecklistItem",
    "Evidence",
    "FailureMode",
    "FailureModeProfile",
    "FailureModeScore",
    "LoadError",
    "LocalizedText",
    "Scope",
    "__version__",
    "combine_answers",
    "default_checklist",
    "exceptions",
    "score_assessment",
]
