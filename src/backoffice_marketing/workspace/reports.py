"""The files of a workspace's ``reports/`` folder, rewritten by every ``update``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backoffice_marketing.foundation.io.atomic import write_text_atomic
from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.workspace.dashboard import dashboard_html
from backoffice_marketing.workspace.run import week_status

if TYPE_CHECKING:
    from backoffice_marketing.workspace.model import Workspace
    from backoffice_marketing.workspace.run import WorkspaceState

__all__ = ["write_reports"]


def write_reports(
    workspace: Workspace, state: WorkspaceState, *, lang: Lang | None = None
) -> tuple[Path, ...]:
    """Write the state's reports into ``reports/`` (status, rates, plan, FAQ, gap report)."""
    chosen: Lang = lang or ("en" if state.initiative.lang == "en" else "ja")
    folder = workspace.reports
    written = [
        week_status(state).write(folder / "status.md", lang=chosen),
        state.plan.write(folder / "plan.html", lang=chosen),
        state.plan.write(folder / "plan.md", lang=chosen),
    ]
    if state.classification is not None:
        written.append(state.classification.write(folder / "laggards.md", lang=chosen))
    if state.faq is not None:
        # The field's copy (the published answers) and the planner's (with the backlog).
        written.append(state.faq.field_copy().write(folder / "faq.html", lang=chosen))
        written.append(state.faq.write(folder / "faq-planner.html", lang=chosen))
    if state.gap_report is not None:
        written.append(state.gap_report.write(folder / "gap-report.html", lang=chosen))
    if state.load is not None:
        written.append(state.load.write(folder / "change-load.md", lang=chosen))
    written.append(write_text_atomic(folder / "dashboard.html", dashboard_html(state, lang=chosen)))
    return tuple(written)
