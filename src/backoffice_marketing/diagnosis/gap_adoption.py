"""The gap report's adoption table: the outcome first, weekly activity beside it.

Weekly activity (the share of people who used the new way in the latest
week) can say "on track" for a department that still sends most of its
messages the old way. When an outcome evaluation exists (the playbook's exit
rule, e.g. the new way's share of messages), :func:`adoption_rows` makes it
the standing a reader sees and keeps the weekly standing as a secondary
column; without one, the weekly standing is the standing, as before. Rows
come in the company's order (an initiative's departments) when it is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from backoffice_marketing.core.departments import company_order
from backoffice_marketing.foundation.text import LocalizedText

__all__ = ["AdoptionRow", "OutcomeMark", "adoption_rows", "outcome_marks", "outcome_standing"]


@attrs.frozen
class OutcomeMark:
    """One department's outcome by the exit rule: ``done``, the new way's ``share``, ``why``."""

    department: str
    done: bool
    share: float
    why: LocalizedText


@attrs.frozen
class AdoptionRow:
    """One row of the adoption table.

    ``standing`` is what the reader sees first: ``done`` or ``not_done`` by
    the exit rule when outcome data exists (``no_outcome`` for a department
    it does not cover), else the weekly standing (``on_track``, ``lagging``,
    ``not_started``); ``weekly`` is always the weekly standing.
    """

    department: str
    rate: float
    weekly: str
    standing: str
    share: float | None
    explanation: LocalizedText

    @property
    def label_key(self) -> str:
        """The label of :attr:`standing`."""
        return f"adoption_standing_{self.standing}"


def _mark(entry: Any) -> OutcomeMark:
    """One department's mark from an ``OutcomeStatus`` or its plain data (the JSON read back)."""
    if isinstance(entry, Mapping):
        why = entry["why"]
        return OutcomeMark(
            str(entry["department"]),
            bool(entry["done"]),
            float(entry["share"]),
            why if isinstance(why, LocalizedText) else LocalizedText(why["ja"], why["en"]),
        )
    return OutcomeMark(entry.department, bool(entry.done), float(entry.share), entry.why)


def outcome_marks(outcome: Any) -> tuple[OutcomeMark, ...]:
    """The marks of an outcome evaluation (anything with ``departments`` of statuses).

    ``outcome`` may also be the evaluation's plain data (``to_dict()`` or its
    JSON read back), as the decks receive it.
    """
    if outcome is None:
        return ()
    entries = outcome["departments"] if isinstance(outcome, Mapping) else outcome.departments
    return tuple(sorted((_mark(entry) for entry in entries), key=lambda mark: mark.department))


def outcome_standing(weekly: str, mark: OutcomeMark | None, *, measured: bool) -> str:
    """The standing a reader sees first for one department.

    Without outcome data (``measured`` false) it is the ``weekly`` standing;
    with it, ``done`` or ``not_done`` by the exit rule, or ``no_outcome`` for
    a department the outcome does not cover (never "on track"). Its label is
    ``adoption_standing_<standing>``.
    """
    if not measured:
        return weekly
    if mark is None:
        return "no_outcome"
    return "done" if mark.done else "not_done"


def adoption_rows(
    standings: Iterable[Any], marks: Sequence[OutcomeMark], order: Sequence[str] = ()
) -> tuple[AdoptionRow, ...]:
    """The table's rows, in the company's ``order``, the outcome's standing first when known.

    ``standings`` are a classification's departments (``department``,
    ``rate``, ``standing``, ``explanation``). With ``marks`` (outcome data),
    a department's standing is ``done`` or ``not_done`` by the exit rule and
    its explanation the outcome's; a department the outcome does not cover is
    ``no_outcome``, never "on track" (:func:`outcome_standing`).
    """
    by_name = {mark.department: mark for mark in marks}
    rows = []
    for entry in standings:
        weekly = entry.standing.value
        mark = by_name.get(entry.department)
        standing = outcome_standing(weekly, mark, measured=bool(marks))
        if mark is None:
            share, explanation = None, entry.explanation
        else:
            share, explanation = mark.share, mark.why
        rows.append(AdoptionRow(entry.department, entry.rate, weekly, standing, share, explanation))
    key = company_order(order)
    return tuple(sorted(rows, key=lambda row: key(row.department)))
