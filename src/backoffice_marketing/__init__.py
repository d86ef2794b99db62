"""backoffice_marketing: run back-office initiatives the way marketing runs a launch.

間接部門の全社施策を、マーケティングの進め方(現場調査・顧客の声・告知・資料・
双方向の対話)で計画し、診断するためのライブラリです。

The public API is the names in ``__all__``; everything else is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backoffice_marketing import exceptions
from backoffice_marketing.core.assessment import Assessment, AssessmentScore, Scope, combine_answers
from backoffice_marketing.core.calendars import BusinessCalendar, DateRange
from backoffice_marketing.core.checklist import (
    Answer,
    AnswerLevel,
    Checklist,
    ChecklistItem,
    Evidence,
    default_checklist,
)
from backoffice_marketing.core.departments import Department
from backoffice_marketing.core.failure_modes import FailureMode, FailureModeProfile
from backoffice_marketing.core.privacy import MIN_GROUP_SIZE, PublishedGroup, RollUp, Suppression
from backoffice_marketing.core.report import Report
from backoffice_marketing.core.scoring import FailureModeScore
from backoffice_marketing.diagnosis.stages import Repetition, Stage, StageGraph
from backoffice_marketing.exceptions import (
    AudienceError,
    BackofficeMarketingError,
    ConcealedNamesError,
    DepartmentCycleError,
    DepartmentsError,
    DiffusionFitError,
    DuplicateItemError,
    FieldValueError,
    GapReportError,
    InputColumnsError,
    LoadError,
    MissingExtraError,
    PlanTooLongError,
    PrivacyFloorError,
    QuestionStateError,
    QuestionTooLongError,
    ReplanError,
    ScheduleError,
    StoreCorruptError,
    StoreLockedError,
    StoreSchemaError,
    StoreWriteError,
    TimestampError,
    UnknownItemError,
    UnknownPlaybookError,
    UnknownQuestionError,
    UnknownSampleError,
    UnknownStageError,
    UnknownTaskError,
    UnknownTimeZoneError,
    UnsafeWriteError,
    UnsupportedFormatError,
    UnsupportedLanguageError,
    UserTemplateError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
)
from backoffice_marketing.foundation import messages as _messages  # noqa: F401  (installs the bilingual problem texts)
from backoffice_marketing.foundation.deprecation import (
    deprecated_names as _deprecated_names,
)
from backoffice_marketing.foundation.deprecation import (
    install_moved_modules as _install_moved_modules,
)
from backoffice_marketing.foundation.public_names import claim as _claim
from backoffice_marketing.foundation.public_names import claim_all as _claim_all
from backoffice_marketing.foundation.text import (
    LocalizedText,
    current_language,
    display_language,
    set_display_language,
)

if TYPE_CHECKING:
    from backoffice_marketing import adoption, decks, materials, voice
    from backoffice_marketing.app import samples
    from backoffice_marketing.diagnosis.gaps import (
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
    from backoffice_marketing.diagnosis.initiative import (
        Initiative,
        PrivacyFloors,
    )
    from backoffice_marketing.diagnosis.planning.plan import (
        Plan,
        PlannedMilestone,
        PlannedStep,
        PlannedTask,
    )
    from backoffice_marketing.diagnosis.playbooks import (
        ExitCriterion,
        ExitScope,
        Milestone,
        Playbook,
        Recurrence,
        Task,
        list_playbooks,
        load_playbook,
    )
    from backoffice_marketing.foundation.io.documents import (
        Document,
    )
    from backoffice_marketing.workspace import (
        Workspace,
    )

#: Public names whose modules load on first use (``import backoffice_marketing`` stays light).
_LAZY_NAMES: dict[str, str] = {
    "DepartmentCell": "backoffice_marketing.diagnosis.gaps",
    "DepartmentRow": "backoffice_marketing.diagnosis.gaps",
    "FailureModeResult": "backoffice_marketing.diagnosis.gaps",
    "GapReport": "backoffice_marketing.diagnosis.gaps",
    "GateBlock": "backoffice_marketing.diagnosis.gaps",
    "ItemFinding": "backoffice_marketing.diagnosis.gaps",
    "ReadinessIndex": "backoffice_marketing.diagnosis.gaps",
    "Remedy": "backoffice_marketing.diagnosis.gaps",
    "Status": "backoffice_marketing.diagnosis.gaps",
    "Trend": "backoffice_marketing.diagnosis.gaps",
    "Initiative": "backoffice_marketing.diagnosis.initiative",
    "PrivacyFloors": "backoffice_marketing.diagnosis.initiative",
    "Document": "backoffice_marketing.foundation.io.documents",
    "Plan": "backoffice_marketing.diagnosis.planning.plan",
    "PlannedMilestone": "backoffice_marketing.diagnosis.planning.plan",
    "PlannedStep": "backoffice_marketing.diagnosis.planning.plan",
    "PlannedTask": "backoffice_marketing.diagnosis.planning.plan",
    "ExitCriterion": "backoffice_marketing.diagnosis.playbooks",
    "ExitScope": "backoffice_marketing.diagnosis.playbooks",
    "Milestone": "backoffice_marketing.diagnosis.playbooks",
    "Playbook": "backoffice_marketing.diagnosis.playbooks",
    "Recurrence": "backoffice_marketing.diagnosis.playbooks",
    "Task": "backoffice_marketing.diagnosis.playbooks",
    "list_playbooks": "backoffice_marketing.diagnosis.playbooks",
    "load_playbook": "backoffice_marketing.diagnosis.playbooks",
    "Workspace": "backoffice_marketing.workspace",
}

#: Public modules with heavier dependencies, imported on first attribute access.
_LAZY_MODULES: dict[str, str] = {
    "adoption": "backoffice_marketing.adoption",
    "decks": "backoffice_marketing.decks",
    "materials": "backoffice_marketing.materials",
    "samples": "backoffice_marketing.app.samples",
    "voice": "backoffice_marketing.voice",
}


#: Old names kept for one release (they warn): one verb per idea.
_DEPRECATED: dict[str, tuple[str, str, str]] = {
    "score_assessment": (
        "backoffice_marketing.core.assessment",
        "score_assessment",
        "assessment.score(checklist)",
    )
}


def __getattr__(name: str) -> Any:
    if name in _DEPRECATED:
        return _deprecated_names(__name__, _DEPRECATED)(name)
    if name in _LAZY_NAMES or name in _LAZY_MODULES:
        import importlib  # noqa: PLC0415

        if name in _LAZY_NAMES:
            value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
            _claim(value, __name__)
        else:
            value = importlib.import_module(_LAZY_MODULES[name])
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
    "AudienceError",
    "BackofficeMarketingError",
    "BusinessCalendar",
    "Checklist",
    "ChecklistItem",
    "ConcealedNamesError",
    "DateRange",
    "Department",
    "DepartmentCell",
    "DepartmentCycleError",
    "DepartmentRow",
    "DepartmentsError",
    "DiffusionFitError",
    "Document",
    "DuplicateItemError",
    "Evidence",
    "ExitCriterion",
    "ExitScope",
    "FailureMode",
    "FailureModeProfile",
    "FailureModeResult",
    "FailureModeScore",
    "FieldValueError",
    "GapReport",
    "GapReportError",
    "GateBlock",
    "Initiative",
    "InputColumnsError",
    "ItemFinding",
    "LoadError",
    "LocalizedText",
    "Milestone",
    "MissingExtraError",
    "Plan",
    "PlanTooLongError",
    "PlannedMilestone",
    "PlannedStep",
    "PlannedTask",
    "Playbook",
    "PrivacyFloorError",
    "PrivacyFloors",
    "PublishedGroup",
    "QuestionStateError",
    "QuestionTooLongError",
    "ReadinessIndex",
    "Recurrence",
    "Remedy",
    "Repetition",
    "ReplanError",
    "Report",
    "RollUp",
    "ScheduleError",
    "Scope",
    "Stage",
    "StageGraph",
    "Status",
    "StoreCorruptError",
    "StoreLockedError",
    "StoreSchemaError",
    "StoreWriteError",
    "Suppression",
    "Task",
    "TimestampError",
    "Trend",
    "UnknownItemError",
    "UnknownPlaybookError",
    "UnknownQuestionError",
    "UnknownSampleError",
    "UnknownStageError",
    "UnknownTaskError",
    "UnknownTimeZoneError",
    "UnsafeWriteError",
    "UnsupportedFormatError",
    "UnsupportedLanguageError",
    "UserTemplateError",
    "Workspace",
    "WorkspaceExistsError",
    "WorkspaceNotFoundError",
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
    "samples",
    "set_display_language",
    "voice",
]

_install_moved_modules()
_claim_all(globals(), __name__, __all__)
