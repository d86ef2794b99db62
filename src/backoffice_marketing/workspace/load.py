"""Change load: how many initiatives ask something of one department in the same week.

A back office rarely runs one change at a time: a chat migration, monthly
1on1s and paperless expenses can all land on 製造部 in the same month. The
field then hears three requests at once and acts on none. The change load
counts, for every department and ISO week, the initiatives whose plans ask
that department for something that week: a task for the department itself
(a briefing, a visit, a champion), or a company-wide launch or cut-over.

A workspace holds its main ``initiative.toml`` and, in ``initiatives/``, the
other initiatives that land on the same departments. ``status`` warns when a
department carries more than :data:`MAX_CONCURRENT` initiatives in one week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

import attrs

from backoffice_marketing.core.report import Report
from backoffice_marketing.foundation.text import Lang

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan

__all__ = ["MAX_CONCURRENT", "ChangeLoad", "LoadCell", "change_load"]

#: More initiatives than this in one department in one week is a warning.
MAX_CONCURRENT = 2
#: Company-wide milestones that ask something of every department.
_EVERYONE = frozenset({"launch", "cut-over"})


@attrs.frozen
class LoadCell:
    """The initiatives asking something of one department in one ISO week."""

    department: str
    week: str
    initiatives: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many initiatives."""
        return len(self.initiatives)


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(start: dt.date, finish: dt.date) -> Iterable[str]:
    """The ISO weeks from ``start`` to ``finish``, both included."""
    day = start
    while day <= finish:
        yield _week(day)
        day += dt.timedelta(days=7 - day.weekday())  # the next Monday


@attrs.frozen
class ChangeLoad(Report):
    """The change load per department and week, and the cells over the limit."""

    report_kind: ClassVar[str] = "change_load"

    departments: tuple[str, ...]
    weeks: tuple[str, ...]
    cells: tuple[LoadCell, ...]
    limit: int = MAX_CONCURRENT

    @property
    def overloaded(self) -> tuple[LoadCell, ...]:
        """The department-weeks with more initiatives than the limit."""
        return tuple(cell for cell in self.cells if cell.count > self.limit)

    def count(self, department: str, week: str) -> int:
        """How many initiatives ask something of ``department`` in ``week``."""
        for cell in self.cells:
            if cell.department == department and cell.week == week:
                return cell.count
        return 0

    def _markdown(self, lang: Lang) -> str:
        from backoffice_marketing.render.environment import render  # noqa: PLC0415

        return render("workspace_load.md.j2", lang, load=self)


def change_load(
    plans: Iterable[tuple[str, Plan]],
    *,
    departments: Sequence[str] = (),
    limit: int = MAX_CONCURRENT,
) -> ChangeLoad:
    """The change load of ``plans`` (initiative id, plan), departments in the order given."""
    asked: dict[tuple[str, str], set[str]] = {}
    order: list[str] = list(departments)
    for initiative, plan in plans:
        everyone = [unit.id for unit in plan.departments]
        for unit in everyone:
            if unit not in order:
                order.append(unit)
        for task in plan.tasks:
            if task.placeholder:
                continue
            if task.department is not None:
                targets = [task.department]
            elif task.milestone is not None and task.milestone.value in _EVERYONE:
                targets = everyone
            else:
                continue
            for week in _weeks(task.start, task.finish):
                for department in targets:
                    asked.setdefault((department, week), set()).add(initiative)
    weeks = tuple(sorted({week for _, week in asked}))
    position = {name: index for index, name in enumerate(order)}
    cells = tuple(
        LoadCell(department, week, tuple(sorted(names)))
        for (department, week), names in sorted(
            asked.items(), key=lambda item: (position[item[0][0]], item[0][1])
        )
    )
    return ChangeLoad(tuple(order), weeks, cells, limit)
