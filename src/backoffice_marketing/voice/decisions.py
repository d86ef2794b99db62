"""Traceability: every design decision points at the voices behind it.

A decision (a plan task or a free-standing design choice) lists the ids of the
findings it answers. :func:`trace` lists the decisions with no voice behind
them, the references to findings that do not exist, and the findings that no
decision answers.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from typing import ClassVar

import attrs

from backoffice_marketing.foundation.validators import non_blank, unique_ids
from backoffice_marketing.voice._fields import id_list, no_separator, one_id, optional_text
from backoffice_marketing.voice.display import ReportPart
from backoffice_marketing.voice.hearings import HearingLog
from backoffice_marketing.voice.storage import load_log, save_log
from backoffice_marketing.voice.table_layout import TableLayout, column

__all__ = ["Decision", "DecisionLog", "Traceability", "trace"]


@attrs.frozen
class Decision:
    """A design decision, the findings it answers, and the plan task that carries it out."""

    id: str = attrs.field(validator=[non_blank, one_id])
    title: str = attrs.field(validator=non_blank)
    findings: tuple[str, ...] = attrs.field(default=(), converter=id_list, validator=no_separator)
    task: str | None = attrs.field(default=None, converter=optional_text)
    decided_on: dt.date | None = None


def _decisions(values: Iterable[Decision]) -> tuple[Decision, ...]:
    return tuple(values)


@attrs.frozen
class DecisionLog:
    """The design decisions of an initiative; ids are unique."""

    TABLE_LAYOUT: ClassVar[TableLayout] = TableLayout(
        "decisions",
        (
            column("id", "id", required=True),
            column("title", required=True),
            column("findings", "ids"),
            column("task", "id"),
            column("decided_on", "date"),
        ),
    )

    decisions: tuple[Decision, ...] = attrs.field(
        default=(), converter=_decisions, validator=unique_ids("id", "decision id")
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> DecisionLog:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        return load_log(DecisionLog, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        save_log(self, path)

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.decisions)

    def __len__(self) -> int:
        return len(self.decisions)


@attrs.frozen
class Traceability(ReportPart):
    """Which decisions have a voice behind them, and which voices have no answer."""

    _part: ClassVar[str] = "traceability"
    report_kind: ClassVar[str] = "voice_traceability"

    decisions: int
    traced: tuple[str, ...]
    untraced: tuple[str, ...]
    unknown_references: tuple[tuple[str, str], ...]
    unanswered_findings: tuple[str, ...]

    @property
    def traced_share(self) -> float | None:
        """Decisions backed by at least one known finding over all decisions."""
        return len(self.traced) / self.decisions if self.decisions else None


def trace(decisions: Iterable[Decision], hearings: HearingLog) -> Traceability:
    """Check ``decisions`` against the findings of ``hearings``."""
    known = hearings.findings
    pool = sorted(decisions, key=lambda d: d.id)
    traced: list[str] = []
    untraced: list[str] = []
    unknown: list[tuple[str, str]] = []
    answered: set[str] = set()
    for decision in pool:
        hits = [finding for finding in decision.findings if finding in known]
        unknown.extend((decision.id, f) for f in decision.findings if f not in known)
        answered.update(hits)
        (traced if hits else untraced).append(decision.id)
    return Traceability(
        decisions=len(pool),
        traced=tuple(traced),
        untraced=tuple(untraced),
        unknown_references=tuple(unknown),
        unanswered_findings=tuple(sorted(set(known) - answered)),
    )
