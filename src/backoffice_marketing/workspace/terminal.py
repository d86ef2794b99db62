"""The week's status for a terminal: rich text, no Markdown escapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backoffice_marketing.foundation.text import Lang, resolve_lang
from backoffice_marketing.render.labels import label

if TYPE_CHECKING:
    from backoffice_marketing.workspace.run import WeekStatus

__all__ = ["status_renderable"]


def status_renderable(status: WeekStatus, lang: Lang | None = None) -> Any:
    """A rich renderable of ``status``: its day, its grouped actions, the counts of the rest."""
    from rich.console import Group  # noqa: PLC0415  (the [cli] extra)
    from rich.text import Text  # noqa: PLC0415

    chosen = resolve_lang(lang)
    parts: list[Any] = [
        Text(f"{status.name.get(chosen)} — {label('ws_status_title', chosen)}", style="bold"),
        Text(f"{label('ws_as_of', chosen)}: {status.as_of.isoformat()} / {status.summary(chosen)}"),
    ]
    for kind, rows in status.shown():
        parts.append(Text(""))
        parts.append(Text(label(f"ws_kind_{kind.value}", chosen), style="bold underline"))
        for action in rows:
            line = Text("  • ")
            if action.overdue:
                line.append(label("ws_overdue", chosen), style="bold red")
                line.append(" ")
            line.append(action.text.get(chosen))
            if action.ref:
                line.append(f"  [{action.ref}]", style="dim")
            parts.append(line)
    rest = status.rest()
    if rest:
        parts.append(Text(""))
        parts.append(Text(label("ws_more", chosen), style="bold underline"))
        parts.extend(
            Text(f"  • {label(f'ws_kind_{kind.value}', chosen)}: {count}") for kind, count in rest
        )
    if status.changes:
        parts.append(Text(""))
        parts.append(Text(label("ws_changes", chosen), style="bold underline"))
        parts.extend(Text(f"  • {change.get(chosen)}") for change in status.changes)
    return Group(*parts)
