"""Progress on the plan: what the planner records with ``done``, and what the data proves.

:func:`resolve_tasks` turns what a planner types (a task id, a step id with
or without ``--department``, or a step's title) into the plan's task ids,
naming the nearest known step when nothing matches. :func:`proven_completions`
finds the tasks that the workspace's own data shows as done, with the
evidence: chat use started once the usage log shows use, and the
announcement went out once the reach log shows it reached its readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from backoffice_marketing.exceptions import UnknownTaskError
from backoffice_marketing.foundation.text import LocalizedText

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan
    from backoffice_marketing.workspace.ingest import RateRow

__all__ = ["ProvenCompletion", "proven_completions", "resolve_tasks"]

#: The steps that mean "the new way is in use": done once any use is measured.
USE_STARTED_STEPS = frozenset({"start-chat", "start-using", "launch"})
#: The steps that mean "the announcement went out": done once the reach log shows readers.
ANNOUNCED_STEPS = frozenset({"announce-rollout", "announce"})


@attrs.frozen
class ProvenCompletion:
    """A task the data shows as done: its id, the day, and the evidence in words."""

    task_id: str
    done_on: dt.date
    evidence: LocalizedText


def _step(task_id: str) -> str:
    return task_id.split("@", 1)[0].split("#", 1)[0]


def resolve_tasks(
    plan: Plan, task: str, *, department: str | None = None, on: dt.date | None = None
) -> tuple[str, ...]:
    """The ids of the plan's tasks that ``task`` (and ``department``) name.

    ``task`` may be a task id (``hold-briefings@製造部``), a step id
    (``hold-briefings``: every department's, or only ``department``'s) or a
    step's title in either language. Of a repeated step (``chart-usage#1``,
    ``#2``...) only the rounds that had started by ``on`` are meant.
    """
    tasks = [t for t in plan.tasks if not t.placeholder]
    wanted = task.strip()
    exact = [t.id for t in tasks if t.id == wanted]
    if exact:
        return tuple(exact)
    matches = [t for t in tasks if _step(t.id) == wanted or wanted in {t.title.ja, t.title.en}]
    if department is not None:
        matches = [t for t in matches if t.department in {department, None}]
    if on is not None and len(matches) > 1:
        started = [t for t in matches if "#" not in t.id or t.start <= on]
        matches = started or matches[:1]
    if matches:
        return tuple(t.id for t in matches)
    raise UnknownTaskError(wanted, known=sorted({_step(t.id) for t in tasks}))


def _first_use(rates: Iterable[RateRow]) -> tuple[dt.date, str] | None:
    used = [(row.period_start, row.period) for row in rates if row.active_users > 0]
    return min(used) if used else None


def proven_completions(
    plan: Plan,
    rates: Sequence[RateRow],
    reached: Sequence[tuple[str, dt.date]],
    *,
    recorded: Iterable[str] = (),
) -> tuple[ProvenCompletion, ...]:
    """The tasks not yet recorded that the usage and reach logs show as done.

    ``reached`` holds (person, day) of each announcement reaching someone.
    """
    skip = set(recorded)
    found: list[ProvenCompletion] = []
    first_use = _first_use(rates)
    first_reach = min((day for _, day in reached), default=None)
    readers = len({person for person, _ in reached})
    for task in plan.tasks:
        if task.id in skip or task.placeholder:
            continue
        step = _step(task.id)
        if step in USE_STARTED_STEPS and first_use is not None:
            day, period = first_use
            found.append(
                ProvenCompletion(
                    task.id,
                    day,
                    LocalizedText(
                        f"利用ログで {period} から利用を確認",
                        f"the usage log shows use from {period}",
                    ),
                )
            )
        elif step in ANNOUNCED_STEPS and first_reach is not None:
            found.append(
                ProvenCompletion(
                    task.id,
                    first_reach,
                    LocalizedText(
                        f"告知が {readers} 人に届いたことを到達ログで確認"
                        f"({first_reach.isoformat()} から)",
                        f"the reach log shows the notice reached {readers} people "
                        f"(from {first_reach.isoformat()})",
                    ),
                )
            )
    return tuple(found)
