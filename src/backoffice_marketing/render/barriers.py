"""The flagged departments' barriers as a Markdown section (gap reports, readiness reports).

The barriers come in as data (:class:`~backoffice_marketing.readiness.DepartmentBarrier`
or anything with the same fields); this render module imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from backoffice_marketing.foundation.text import Lang
from backoffice_marketing.render.labels import label
from backoffice_marketing.render.markdown import escape_markdown_cell

if TYPE_CHECKING:
    from backoffice_marketing.readiness.departments import DepartmentBarrier

__all__ = ["barriers_markdown"]


def barriers_markdown(barriers: Sequence[DepartmentBarrier], *, lang: Lang, level: int = 2) -> str:
    """The flagged departments' barriers, evidence and next actions as a Markdown section."""
    head = "#" * level
    lines = [f"{head} {label('readiness_barriers_title', lang)}", ""]
    if not barriers:
        return "\n".join([*lines, label("readiness_no_flagged", lang), ""])
    lines += [
        (
            f"| {label('readiness_department', lang)} | {label('readiness_barrier', lang)} | "
            f"{label('readiness_reason', lang)} | {label('readiness_next_action', lang)} |"
        ),
        "|---|---|---|---|",
    ]
    for barrier in barriers:
        element = barrier.element.label(lang) if barrier.element else "—"
        action = barrier.next_action.get(lang) if barrier.next_action else "—"
        lines.append(
            f"| {escape_markdown_cell(barrier.department)} | {escape_markdown_cell(element)} | "
            f"{escape_markdown_cell(barrier.reason.get(lang))} | {escape_markdown_cell(action)} |"
        )
    for barrier in barriers:
        if not barrier.evidence:
            continue
        lines += [
            "",
            f"**{escape_markdown_cell(barrier.department)}: {label('readiness_evidence', lang)}**",
            "",
        ]
        for item in barrier.evidence:
            refs = ", ".join(f"`{ref}`" for ref in item.references)
            element = item.element.label(lang) if item.element else "—"
            lines.append(
                f"- {item.on.isoformat()} {refs} ({escape_markdown_cell(element)}): "
                f"{escape_markdown_cell(item.summary.get(lang))}"
            )
    lines.append("")
    return "\n".join(lines)
