"""The outcome of a workspace's initiative, from the Microsoft 365 exports in ``inputs/``.

A planner puts the admin center's "Email activity user details" and "Microsoft
Teams user activity user details" exports into ``inputs/`` as
``outcome-email-activity*.csv`` and ``outcome-teams-activity*.csv`` (``update
FOLDER FILE`` checks them with the same readers first). The names keep them apart
from the usage logs, which count people, not messages. The one exit rule of the
initiative's playbook (:class:`~backoffice_marketing.adoption.exit_criteria.ExitRule`)
then judges each department in the last complete week before the as-of day, and
every page and ``status`` read that one evaluation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice_marketing.adoption.exit_criteria import ExitRule, evaluate_outcome
from backoffice_marketing.adoption.outcome import outcome_metrics
from backoffice_marketing.adoption.outcome_readers import (
    read_email_activity,
    read_teams_activity_counts,
)

if TYPE_CHECKING:
    from backoffice_marketing.adoption.exit_criteria import OutcomeEvaluation
    from backoffice_marketing.diagnosis.initiative import Initiative

__all__ = ["EMAIL_PREFIX", "TEAMS_PREFIX", "load_email", "load_teams", "workspace_outcome"]

#: The file names (before any suffix) of the two exports in ``inputs/``.
EMAIL_PREFIX = "outcome-email-activity"
TEAMS_PREFIX = "outcome-teams-activity"
#: How many weeks before the last complete one the outcome looks back.
WEEKS_SHOWN = 8


def load_email(path: Path) -> object:
    """Check an email activity export (the loader ``update`` runs before copying it in)."""
    return read_email_activity(path)


def load_teams(path: Path) -> object:
    """Check a Teams user activity export (the loader ``update`` runs before copying it in)."""
    return read_teams_activity_counts(path)


def workspace_outcome(
    inputs: Path, initiative: Initiative, as_of: dt.date, *, first_use: dt.date | None
) -> OutcomeEvaluation | None:
    """The exit rule evaluated on the exports in ``inputs``.

    ``None`` when the exports are missing, or before a full week of the new way
    (``first_use``, the first day the usage logs show it) has passed: before
    the launch there is no outcome to judge.
    """
    email = sorted(inputs.glob(f"{EMAIL_PREFIX}*.csv"))
    teams = sorted(inputs.glob(f"{TEAMS_PREFIX}*.csv"))
    roster = inputs / "roster.csv"
    end = as_of - dt.timedelta(days=as_of.weekday() + 1)  # the last complete week's Sunday
    if not email or not teams or not roster.is_file() or first_use is None or end < first_use:
        return None

    metrics = outcome_metrics(
        read_teams_activity_counts(teams),
        read_email_activity(email),
        roster,
        start=max(end - dt.timedelta(weeks=WEEKS_SHOWN, days=-1), first_use),
        end=end,
        calendar=initiative.business_calendar,
        min_group_size=initiative.privacy.figures,
    )
    return evaluate_outcome(
        metrics,
        ExitRule.from_initiative(initiative),
        order=[unit.id for unit in initiative.departments],
    )
