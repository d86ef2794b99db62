"""Readiness: why a department lags, from a readiness survey and the field's own words.

The five elements (:class:`Element`: awareness, desire, knowledge, ability,
reinforcement) are passed through in order; the *barrier point* is the first
one not reached. This package ships the survey instrument
(:func:`default_instrument`, with exports for Microsoft Forms and Google
Forms), reads the tools' response exports (:func:`read_responses`),
computes barrier points per respondent and per department under the privacy
floors (:func:`summarise_round`), tags the field's words with an element
(:func:`tag_text`), gives each flagged department its barrier, the evidence
and the next action (:func:`department_barriers`), and the confidential HR
list of managers without a 1on1 (:func:`managers_without_one_on_one`).
"""

from __future__ import annotations

from backoffice_marketing.foundation.public_names import claim_all
from backoffice_marketing.readiness.barriers import (
    DEFAULT_THRESHOLD,
    ElementMean,
    GroupReadiness,
    RespondentBarrier,
    RoundSummary,
    TrendPoint,
    barrier_point,
    readiness_trend,
    respondent_barriers,
    summarise_round,
)
from backoffice_marketing.readiness.departments import (
    DepartmentBarrier,
    Evidence,
    EvidenceKind,
    EvidenceSource,
    SourceBarrier,
    department_barriers,
    visit_purposes,
)
from backoffice_marketing.readiness.elements import ELEMENTS, Element
from backoffice_marketing.readiness.hr import (
    HR_AUDIENCE,
    ManagerFollowUp,
    ManagerRecord,
    ManagerRow,
    managers_without_one_on_one,
    read_manager_roster,
    records_from_calendar,
)
from backoffice_marketing.readiness.inputs import readiness_from_inputs
from backoffice_marketing.readiness.instrument import (
    AGREEMENT_LABELS,
    FreeTextQuestion,
    Instrument,
    Statement,
    default_instrument,
)
from backoffice_marketing.readiness.remedies import ReadinessRemedy, choose_remedy, remedy_catalogue
from backoffice_marketing.readiness.report import ReadinessReport
from backoffice_marketing.readiness.responses import SurveyResponse, SurveyRound, read_responses
from backoffice_marketing.readiness.tagging import (
    RULES,
    TaggedItem,
    TaggingRule,
    manual_element,
    tag_items,
    tag_text,
)

__all__ = [
    "AGREEMENT_LABELS",
    "DEFAULT_THRESHOLD",
    "ELEMENTS",
    "HR_AUDIENCE",
    "RULES",
    "DepartmentBarrier",
    "Element",
    "ElementMean",
    "Evidence",
    "EvidenceKind",
    "EvidenceSource",
    "FreeTextQuestion",
    "GroupReadiness",
    "Instrument",
    "ManagerFollowUp",
    "ManagerRecord",
    "ManagerRow",
    "ReadinessRemedy",
    "ReadinessReport",
    "RespondentBarrier",
    "RoundSummary",
    "SourceBarrier",
    "Statement",
    "SurveyResponse",
    "SurveyRound",
    "TaggedItem",
    "TaggingRule",
    "TrendPoint",
    "barrier_point",
    "choose_remedy",
    "default_instrument",
    "department_barriers",
    "managers_without_one_on_one",
    "manual_element",
    "read_manager_roster",
    "read_responses",
    "readiness_from_inputs",
    "readiness_trend",
    "records_from_calendar",
    "remedy_catalogue",
    "respondent_barriers",
    "summarise_round",
    "tag_items",
    "tag_text",
    "visit_purposes",
]

claim_all(globals(), __name__, __all__)
