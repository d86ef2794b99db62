"""Names checked at the door: departments in the logs that the initiative does not know.

A typo in a roster (物流課 for 物流部) would otherwise make a department of its
own, silently. :func:`unknown_departments` names each such department with
the nearest known name, so that ``update`` can say so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backoffice_marketing.core.departments import nearest_name, unknown_parents
from backoffice_marketing.foundation.text import LocalizedText

if TYPE_CHECKING:
    from backoffice_marketing.workspace.run import WorkspaceState

__all__ = ["unknown_departments", "unknown_roster_parents"]

#: The group the adoption figures put people without a department into.
_OTHER = "other"


def unknown_departments(state: WorkspaceState) -> tuple[LocalizedText, ...]:
    """A warning for each department in the usage figures that the initiative does not list."""
    known = list(state.order)
    seen = sorted({row.department for row in state.rates} - set(known) - {_OTHER})
    warnings = []
    for name in seen:
        close = nearest_name(name, known)
        hint_ja = f"「{close}」のことですか?" if close else "initiative.toml に加えてください。"
        hint_en = f"did you mean {close!r}?" if close else "add it to initiative.toml."
        warnings.append(
            LocalizedText(
                f"注意: 名簿の部署「{name}」は施策の部署にありません。{hint_ja}",
                f"Warning: the roster's department {name!r} is not one of the initiative's; "
                f"{hint_en}",
            )
        )
    return tuple(warnings)


def unknown_roster_parents(roster: Path, state: WorkspaceState) -> tuple[LocalizedText, ...]:
    """A warning for each roster parent that names no department of the roster or initiative.

    Each names the file, the line and the nearest known name.
    """
    if not roster.is_file():
        return ()
    return tuple(
        LocalizedText(f"注意: {problem.render('ja')}", f"Warning: {problem.render('en')}")
        for problem in unknown_parents(roster, state.order)
    )
