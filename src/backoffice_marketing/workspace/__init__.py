"""Workspaces: one initiative run week after week, with a history store.

A workspace is a folder with ``inputs/`` (the logs the team keeps),
``reports/`` (what the library writes) and ``history.sqlite`` (the history
store: imported sources, adoption rates per department and period,
assessments and gap reports by date, question states, plan versions and
actual completion dates). See docs/workspace.md for the store's schema.
"""

from __future__ import annotations

from backoffice_marketing.foundation.public_names import claim_all
from backoffice_marketing.workspace.ingest import USAGE_KINDS, RateRow, usage_rates
from backoffice_marketing.workspace.model import (
    INPUT_TEMPLATES,
    ImportResult,
    PlanVersion,
    QuestionState,
    Source,
    StoredReport,
    Workspace,
)
from backoffice_marketing.workspace.store import SCHEMA_VERSION, STORE_NAME, Store

__all__ = [
    "INPUT_TEMPLATES",
    "SCHEMA_VERSION",
    "STORE_NAME",
    "USAGE_KINDS",
    "ImportResult",
    "PlanVersion",
    "QuestionState",
    "RateRow",
    "Source",
    "Store",
    "StoredReport",
    "Workspace",
    "usage_rates",
]

claim_all(globals(), __name__, __all__)
