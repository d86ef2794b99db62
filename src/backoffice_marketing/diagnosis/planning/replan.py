"""What :meth:`Plan.replan` reschedules from: progress, flagged departments and the release day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from backoffice_marketing.diagnosis.planning.schedule import business_day_index
from backoffice_marketing.exceptions import MissingExtraError, ReplanError

if TYPE_CHECKING:
    from backoffice_marketing.diagnosis.planning.plan import Plan

__all__ = ["Replanning", "latest_rates", "replanning"]


@attrs.frozen
class Replanning:
    """The inputs of a rescheduling: flagged departments per round, done tasks, release day."""

    flagged: dict[int, tuple[str, ...]]
    completed: dict[str, dt.date]
    release: int


def latest_rates(rates: object) -> dict[str, float]:
    """Each department's rate in the latest period: from a mapping or an adoption-rates frame."""
    if rates is None:
        return {}
    if isinstance(rates, Mapping):
        return {str(name): float(value) for name, value in rates.items()}
    try:
        import narwhals.stable.v2 as nw  # noqa: PLC0415  (optional extra)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("data", "narwhals") from error
    frame: Any = nw.from_native(rates)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    latest = frame.get_column("period_start").max()
    rows = frame.filter(nw.col("period_start") == latest)
    if "suppressed" in rows.columns:
        rows = rows.filter(~nw.col("suppressed"))
    return {
        str(row["department"]): float(row["rate"])
        for row in rows.select("department", "rate").iter_rows(named=True)
    }


def replanning(
    plan: Plan,
    *,
    progress: Mapping[str, dt.date],
    rates: object,
    flagged: Iterable[str],
    today: dt.date | None,
    target: float | None,
) -> Replanning:
    """What to reschedule ``plan`` from after ``progress`` and the latest ``rates``."""
    known = {task.id for task in plan.tasks}
    unknown = set(progress) - known
    if unknown:
        raise ReplanError("task ids in progress", unknown)
    names = {unit.id for unit in plan.departments}
    shares = latest_rates(rates)
    wanted = set(flagged)
    if set(shares) - names or wanted - names:
        raise ReplanError("departments", (set(shares) | wanted) - names)
    threshold = plan.playbook.exit.target if target is None else target
    wanted |= {name for name, share in shares.items() if share < threshold}
    rounds = dict(plan.flagged)
    done = {**dict(plan.completed), **progress}
    open_rounds = sorted(
        task.round or 1 for task in plan.tasks if task.placeholder and task.id not in done
    )
    if open_rounds and (wanted or rates is not None):
        rounds[open_rounds[0]] = tuple(sorted(wanted))
    day = today if today is not None else dt.date.today()
    return Replanning(rounds, done, business_day_index(plan.calendar, plan.start, day))
