"""backoffice_marketing: run back-office initiatives the way marketing runs a launch.

間接部門の全社施策を、マーケティングの進め方(現場調査・顧客の声・告知・資料・
双方向の対話)で計画し、診断するためのライブラリです。

The public API is the names in ``__all__``; everything else is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backoffice_marketing import exceptions
from backoffice_marketing import messages as _messages  # noqa: F401  (installs the bilingual problem texts)
from backoffice_marketing.assessment import Assessment, AssessmentScore, Scope, combine_answers
from backoffice_marketing.calendars import BusinessCalendar, DateRange
from backoffice_marketing.checklist import (
    Answer,
    AnswerLevel,
    Checklist,
    ChecklistItem,
    Evidence,
    default_checklist,
)
from backoffice_marketing.departments import Department
from backoffice_marketing.exceptions import BackofficeMarketingError, LoadError
from backoffice_marketing.failure_modes import FailureMode, FailureModeProfile
from backoffice_marketing.privacy import MIN_GROUP_SIZE, PublishedGroup, RollUp, Suppression
from backoffice_marketing.report import Report
from backoffice_marketing.scoring import FailureModeScore
from backoffice_marketing.stages import Repetition, Stage, StageGraph
from backoffice_marketing.text import (
    LocalizedText,
    current_language,
    display_language,
    set_display_language,
)

if TYPE_CHECKING:
    from backoffice_marketing import adoption, decks, materials, voice
    from backoffice_marketing.gaps import (
        DepartmentCell,
        DepartmentRow,
        FailureModeResult,
        GapReport,
        GateBlock,
        ItemFinding,
        ReadinessIndex,
        Remedy,
        Status,
        Trend,
    )
    from backoffice_marketing.initiative import (
        Initiative,
        PrivacyFloors,
    )
    from backoffice_marketing.io.documents import (
        Document,
    )
    from backoffice_marketing.planning import (
        Plan,
        PlannedMilestone,
        PlannedStep,
        PlannedTask,
    )
    from backoffice_marketing.playbooks import (
        ExitCriterion,
        ExitScope,
        Milestone,
        Playbook,
        Recurrence,
        Task,
        list_playbooks,
        load_playbook,
    )
    from backoffice_marketing.workspace import (
        Workspace,
    )

#: Public names whose modules load on first use (``import backoffice_marketing`` stays light).
_LAZY_NAMES: dict[str, str] = {
    "DepartmentCell": "backoffice_marketing.gaps",
    "DepartmentRow": "backoffice_marketing.gaps",
    "FailureModeResult": "backoffice_marketing.gaps",
    "GapReport": "backoffice_marketing.gaps",
    "GateBlock": "backoffice_marketing.gaps",
    "ItemFinding": "backoffice_marketing.gaps",
    "ReadinessIndex": "backoffice_marketing.gaps",
    "Remedy": "backoffice_marketing.gaps",
    "Status": "backoffice_marketing.gaps",
    "Trend": "backoffice_marketing.gaps",
    "Initiative": "backoffice_marketing.initiative",
    "PrivacyFloors": "backoffice_marketing.initiative",
    "Document": "backoffice_marketing.io.documents",
    "Plan": "backoffice_marketing.planning",
    "PlannedMilestone": "backoffice_marketing.planning",
    "PlannedStep": "backoffice_marketing.planning",
    "PlannedTask": "backoffice_marketing.planning",
    "ExitCriterion": "backoffice_marketing.playbooks",
    "ExitScope": "backoffice_marketing.playbooks",
    "Milestone": "backoffice_marketing.playbooks",
    "Playbook": "backoffice_marketing.playbooks",
    "Recurrence": "backoffice_marketing.playbooks",
    "Task": "backoffice_marketing.playbooks",
    "list_playbooks": "backoffice_marketing.playbooks",
    "load_playbook": "backoffice_marketing.playbooks",
    "Workspace": "backoffice_marketing.workspace",
}

#: Subpackages with heavier dependencies, imported on first attribute access.
_LAZY_SUBPACKAGES = ("adoption", "decks", "materials", "voice")


#: Old names kept for one release (they warn): one verb per idea.
_DEPRECATED: dict[str, tuple[str, str, str]] = {
    "score_assessment": (
        "backoffice_marketing.assessment",
        "score_assessment",
        "assessment.score(checklist)",
    )
}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        from backoffice_marketing.deprecation import deprecated_names  # noqa: PLC0415

        return deprecated_names(__name__, _DEPRECATED)(name)
    if name in _LAZY_NAMES or name in _LAZY_SUBPACKAGES:
        import importlib  # noqa: PLC0415

        if name in _LAZY_NAMES:
            value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        else:
            value = importlib.import_module(f"backoffice_marketing.{name}")
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backoffice_marketing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0"

__all__ = [
    "MIN_GROUP_SIZE",
    "Answer",
    "AnswerLevel",
    "Assessment",
    "AssessmentScore",
    "BackofficeMarketingError",
    "BusinessCalendar",
    "Checklist",
    "ChecklistItem",
    "DateRange",
    "Department",
    "DepartmentCell",
    "DepartmentRow",
    "Document",
    "Evidence",
    "ExitCriterion",
    "ExitScope",
    "FailureMode",
    "FailureModeProfile",
    "FailureModeResult",
    "FailureModeScore",
    "GapReport",
    "GateBlock",
    "Initiative",
    "ItemFinding",
    "LoadError",
    "LocalizedText",
    "Milestone",
    "Plan",
    "PlannedMilestone",
    "PlannedStep",
    "PlannedTask",
    "Playbook",
    "PrivacyFloors",
    "PublishedGroup",
    "ReadinessIndex",
    "Recurrence",
    "Remedy",
    "Repetition",
    "Report",
    "RollUp",
    "Scope",
    "Stage",
    "StageGraph",
    "Status",
    "Suppression",
    "Task",
    "Trend",
    "Workspace",
    "__version__",
    "adoption",
    "combine_answers",
    "current_language",
    "decks",
    "default_checklist",
    "display_language",
    "exceptions",
    "list_playbooks",
    "load_playbook",
    "materials",
    "set_display_language",
    "voice",
]
