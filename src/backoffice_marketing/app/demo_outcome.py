"""The demo's outcome step: the sample exports in, the one evaluation of "done" out.

Kept apart from :mod:`backoffice_marketing.app.demo` so that the demo only calls
it: the email-activity and Teams exports of :mod:`backoffice_marketing.app.sample_exports`
are written into ``inputs/``, read with the Microsoft 365 readers, and judged
by the initiative's exit rule in the last complete week before ``AS_OF``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from backoffice_marketing.app.samples import AS_OF, LAUNCH

if TYPE_CHECKING:
    from backoffice_marketing.adoption.exit_criteria import OutcomeEvaluation
    from backoffice_marketing.diagnosis.initiative import Initiative

__all__ = ["OUTCOME_END", "demo_outcome"]

#: The last day of the last complete week before the demo's as-of date.
OUTCOME_END = AS_OF - dt.timedelta(days=AS_OF.weekday() + 1)


def demo_outcome(
    inputs: Path, roster: Path, initiative: Initiative
) -> tuple[tuple[Path, ...], OutcomeEvaluation]:
    """Write the two exports into ``inputs``; return them and the evaluation of the outcome."""
    from backoffice_marketing.adoption.exit_criteria import (  # noqa: PLC0415
        ExitRule,
        evaluate_outcome,
    )
    from backoffice_marketing.adoption.outcome import outcome_metrics  # noqa: PLC0415
    from backoffice_marketing.adoption.outcome_readers import (  # noqa: PLC0415
        read_email_activity,
        read_teams_activity_counts,
    )
    from backoffice_marketing.app import sample_exports  # noqa: PLC0415

    email = sample_exports.write_email_activity(inputs / "email-activity.csv", end=OUTCOME_END)
    teams = sample_exports.write_teams_activity(inputs / "teams-activity.csv", end=OUTCOME_END)
    metrics = outcome_metrics(
        read_teams_activity_counts(teams),
        read_email_activity(email),
        roster,
        start=LAUNCH,
        end=OUTCOME_END,
        baseline=(sample_exports.BASELINE_START, LAUNCH - dt.timedelta(days=1)),
        calendar=initiative.business_calendar,
        min_group_size=initiative.privacy.figures,
    )
    return (email, teams), evaluate_outcome(
        metrics,
        ExitRule.from_initiative(initiative),
        order=[unit.id for unit in initiative.departments],
    )
