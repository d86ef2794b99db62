"""The demo's two decks, built from the JSON reports the demo wrote in the same run."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice_marketing.decks.build import DeckInputs, build_deck
from backoffice_marketing.decks.costs import load_costs
from backoffice_marketing.decks.model import DeckKind
from backoffice_marketing.foundation.text import Lang

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.initiative import Initiative
    from backoffice_marketing.diagnosis.planning.plan import Plan
    from backoffice_marketing.foundation.text import LocalizedText

__all__ = ["DEMO_REPORTS", "write_demo_decks"]

#: The demo's report files each deck figure may come from, by source name.
DEMO_REPORTS = {
    "voice_report": "voice/voice-report.json",
    "gap_report": "report/gap-report.json",
    "cutover_advice": "adoption/cutover.json",
    "outcome_evaluation": "adoption/outcome.json",
    "plan": "plan/plan.json",
}


def _read(folder: Path, name: str) -> Any:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def write_demo_decks(
    folder: Path,
    *,
    initiative: Initiative,
    plan: Plan,
    as_of: dt.date,
    lang: Lang,
    barriers: Mapping[str, LocalizedText] | None = None,
) -> tuple[Path, ...]:
    """Write ``decks/approval.pptx`` and ``decks/cutover.pptx`` (with their JSON) into ``folder``.

    The figures come from the demo's JSON reports (:data:`DEMO_REPORTS`) and
    ``inputs/costs.toml``; ``barriers`` names each flagged department's barrier.
    """
    costs_file = folder / "inputs" / "costs.toml"
    inputs = DeckInputs(
        initiative=initiative,
        plan=plan,
        as_of=as_of,
        voice=_read(folder, DEMO_REPORTS["voice_report"]),
        gaps=_read(folder, DEMO_REPORTS["gap_report"]),
        cutover=_read(folder, DEMO_REPORTS["cutover_advice"]),
        outcome=_read(folder, DEMO_REPORTS["outcome_evaluation"]),
        costs=load_costs(costs_file) if costs_file.is_file() else None,
        barriers=barriers or {},
    )
    written: list[Path] = []
    (folder / "decks").mkdir(exist_ok=True)
    for kind in DeckKind:
        deck = build_deck(inputs, kind, lang=lang)
        written.append(deck.write(folder / "decks" / f"{kind.value}.pptx"))
        written.append(deck.write(folder / "decks" / f"{kind.value}.json"))
    return tuple(written)
