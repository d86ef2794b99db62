"""What the ``adoption`` command needs for the outcome: column mappings and the mail export.

Kept out of :mod:`backoffice_marketing.app.commands` so the command only calls it.
``--column ours=theirs`` renames a column in every input that has it (HR and
mail exports never use our names); ``--mail`` adds the outcome evaluation
of the initiative's exit rule to the adoption report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["apply_columns", "outcome_for"]


def apply_columns(
    paths: Sequence[Path], items: Sequence[str], *, encoding: str | None = None
) -> list[Any]:
    """Each path, renamed by the mapping where it has the columns (else the path itself).

    With ``encoding``, CSV files are decoded with it (an explicit ``--encoding``
    wins over detection) and given back as frames. Raises ``ValueError`` for a
    malformed item or a column found in no input.
    """
    from backoffice_marketing.adoption.frames import to_frame  # noqa: PLC0415
    from backoffice_marketing.adoption.outcome_readers import (  # noqa: PLC0415
        parse_column_mapping,
    )

    mapping = parse_column_mapping(items)
    if not mapping and encoding is None:
        return list(paths)
    used: set[str] = set()
    result: list[Any] = []
    for path in paths:
        chosen = encoding if Path(path).suffix.lower() == ".csv" else None
        frame = to_frame(path, what=str(path), encoding=chosen)
        names = set(frame.collect_schema().names())
        here = {theirs: ours for ours, theirs in mapping.items() if theirs in names}
        used |= set(here)
        result.append(frame.rename(here).to_native() if here or chosen else path)
    missing = sorted(set(mapping.values()) - used)
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise ValueError(f"--column: no input has the column(s) {listed}")
    return result


def _range(rates: Any, period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the periods of ``rates``."""
    from backoffice_marketing.adoption.frames import collect, narwhals, to_frame  # noqa: PLC0415
    from backoffice_marketing.adoption.periods import PeriodSpec, day_number, from_day_number  # noqa: PLC0415

    nw = narwhals()
    starts = collect(to_frame(rates, what="rates").select(nw.col("period_start")))
    days = sorted(day_number(value) for value in starts["period_start"].to_list())
    spec = PeriodSpec(period)
    return from_day_number(days[0]), from_day_number(spec.bounds(spec.key(days[-1]))[1])


def outcome_for(
    chat: Any,
    mail: Path,
    roster: Any,
    *,
    rates: Any,
    teams: bool,
    initiative: Any,
    target: float,
    period: str,
    timezone: str,
    start: dt.date | None,
    end: dt.date | None,
    min_group_size: int,
) -> Any:
    """The outcome evaluation of ``chat`` (a log or Teams exports) and ``mail``."""
    from backoffice_marketing.adoption.exit_criteria import (  # noqa: PLC0415
        ExitRule,
        evaluate_outcome,
    )
    from backoffice_marketing.adoption.outcome import outcome_metrics  # noqa: PLC0415
    from backoffice_marketing.adoption.outcome_readers import (  # noqa: PLC0415
        read_email_activity,
        read_teams_activity_counts,
    )

    chat_frame = read_teams_activity_counts(chat) if teams else chat
    mail_frame: Any = mail
    if mail.suffix.lower() == ".csv" and "Send Count" in mail.read_text("utf-8-sig")[:2000]:
        mail_frame = read_email_activity(mail)
    if start is None or end is None:
        first, last = _range(rates, period)
        start, end = start or first, end or last
    metrics = outcome_metrics(
        chat_frame,
        mail_frame,
        roster,
        start=start,
        end=end,
        period=period,
        timezone=timezone,
        min_group_size=min_group_size,
        known_departments=[unit.id for unit in initiative.departments] if initiative else None,
    )
    rule = ExitRule.from_initiative(initiative) if initiative is not None else ExitRule(target)
    order = [unit.id for unit in initiative.departments] if initiative is not None else ()
    return evaluate_outcome(metrics, rule, order=order)
