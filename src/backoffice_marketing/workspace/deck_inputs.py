"""A workspace's decks: their inputs gathered from the store, the logs and ``costs.toml``.

The deck package (a producer) knows nothing of workspaces; this module (the
application layer) recomputes the workspace's state and hands the deck
builder the reports it needs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice_marketing import voice
from backoffice_marketing.adoption.diffusion import cutover_advice
from backoffice_marketing.decks.build import DeckInputs, build_deck, named_barriers
from backoffice_marketing.decks.costs import Costs, load_costs
from backoffice_marketing.decks.model import Deck, DeckKind
from backoffice_marketing.foundation.text import Lang, LocalizedText
from backoffice_marketing.workspace.run import load_state

if TYPE_CHECKING:
    from backoffice_marketing.workspace.model import Workspace
    from backoffice_marketing.workspace.run import WorkspaceState

__all__ = ["COSTS_FILE", "inputs_from_state", "inputs_from_workspace", "workspace_deck"]

#: The business case's assumptions, at the top of a workspace folder (or in ``inputs/``).
COSTS_FILE = "costs.toml"


def _costs_in(folder: Path) -> Costs | None:
    for candidate in (folder / COSTS_FILE, folder / "inputs" / COSTS_FILE):
        if candidate.is_file():
            return load_costs(candidate)
    return None


def _voice_report(state: WorkspaceState, inputs: Path) -> Any:
    """The voice report of the workspace's logs (``None`` without hearings or questions)."""

    def load(name: str, cls: Any) -> Any:
        for suffix in (".csv", ".yaml", ".toml", ".json"):
            path = inputs / f"{name}{suffix}"
            if path.is_file() and path.stat().st_size:
                return cls.from_file(path)
        return cls()

    hearings = load("hearings", voice.HearingLog)
    questions = load("questions", voice.QuestionLog)
    if not len(hearings.hearings) and not len(questions):
        return None
    initiative = state.initiative
    approval = state.plan.milestone("approval")
    flagged = sorted(state.flagged)
    return voice.VoiceReport.build(
        as_of=state.as_of,
        departments=dict(initiative.headcounts),
        hearings=hearings,
        decisions=load("decisions", voice.DecisionLog),
        questions=questions,
        answers=load("answers", voice.AnswerBook),
        changes=load("changes", voice.ChangeLog),
        proposal_on=approval.date if approval is not None else state.as_of,
        laggards=flagged,
        promised_days=initiative.reply_days,
        calendar=initiative.business_calendar,
        min_group_size=initiative.privacy.text,
    )


def _cutover(state: WorkspaceState) -> Any:
    """The cut-over advice of the workspace's stored rates (``None`` without rates)."""
    series: dict[str, tuple[list[dt.date], list[float]]] = {}
    for row in sorted(state.rates, key=lambda r: (r.department, r.period_start)):
        if row.suppressed or row.department == "other":
            continue
        days, values = series.setdefault(row.department, ([], []))
        days.append(row.period_start)
        values.append(row.rate)
    if not series:
        return None

    initiative = state.initiative
    return cutover_advice(
        {name: (tuple(days), tuple(values)) for name, (days, values) in series.items()},
        target=initiative.target,
        majority=initiative.majority_share,
        notice_days=initiative.notice_days,
        calendar=initiative.business_calendar,
        weights=initiative.headcounts,
        classification=state.classification,
        order=state.order,
    )


def inputs_from_state(
    state: WorkspaceState,
    folder: Path,
    *,
    costs: Costs | None = None,
    barriers: Mapping[str, LocalizedText] | None = None,
) -> DeckInputs:
    """A deck's inputs from a workspace's recomputed state and its input logs."""
    return DeckInputs(
        initiative=state.initiative,
        plan=state.plan,
        as_of=state.as_of,
        voice=_voice_report(state, folder / "inputs"),
        gaps=state.gap_report,
        cutover=_cutover(state),
        costs=costs if costs is not None else _costs_in(folder),
        barriers=named_barriers(state.barriers) if barriers is None else barriers,
        outcome=state.outcome,
    )


def inputs_from_workspace(
    workspace: Workspace,
    *,
    today: dt.date | None = None,
    costs: str | os.PathLike[str] | Costs | None = None,
    barriers: Mapping[str, LocalizedText] | None = None,
) -> DeckInputs:
    """A deck's inputs from a workspace (``costs.toml`` beside ``initiative.toml`` by default)."""
    state = load_state(workspace, today=today)
    chosen = load_costs(costs) if isinstance(costs, str | os.PathLike) else costs
    return inputs_from_state(state, workspace.path, costs=chosen, barriers=barriers)


def workspace_deck(
    workspace: Workspace,
    kind: DeckKind | str,
    *,
    today: dt.date | None = None,
    costs: str | os.PathLike[str] | Costs | None = None,
    lang: Lang | None = None,
) -> Deck:
    """The ``approval`` or ``cutover`` deck of a workspace."""
    inputs = inputs_from_workspace(workspace, today=today, costs=costs)
    return build_deck(inputs, kind, lang=lang)
