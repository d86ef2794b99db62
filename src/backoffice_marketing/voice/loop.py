"""Closing the loop: "you said, we did".

Each theme the field raised (a theme of questions, or a finding of a hearing)
is paired with what changed because of it, and when. A theme with neither a
change nor a published official answer has had no response: it stands out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from typing import ClassVar

import attrs

from backoffice_marketing.foundation.text import LocalizedText
from backoffice_marketing.foundation.validators import non_blank, non_empty, unique_ids
from backoffice_marketing.voice._fields import id_list, no_separator, one_id
from backoffice_marketing.voice.faq import Theme
from backoffice_marketing.voice.hearings import HearingLog
from backoffice_marketing.voice.storage import load_log, save_log
from backoffice_marketing.voice.table_layout import TableLayout, column

__all__ = ["Change", "ChangeLog", "LoopRow", "you_said_we_did"]


@attrs.frozen
class Change:
    """Something the back office changed because of what the field said."""

    id: str = attrs.field(validator=[non_blank, one_id])
    themes: tuple[str, ...] = attrs.field(converter=id_list, validator=[non_empty, no_separator])
    description: LocalizedText
    changed_on: dt.date


def _changes(values: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(values)


@attrs.frozen
class ChangeLog:
    """The changes made in response to the field; ids are unique."""

    TABLE_LAYOUT: ClassVar[TableLayout] = TableLayout(
        "changes",
        (
            column("id", "id", required=True),
            column("themes", "ids", required=True),
            column("description.ja", required=True),
            column("description.en", required=True),
            column("changed_on", "date", required=True),
        ),
    )

    changes: tuple[Change, ...] = attrs.field(
        default=(), converter=_changes, validator=unique_ids("id", "change id")
    )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ChangeLog:
        """Load from CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        return load_log(ChangeLog, path)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save atomically as CSV, xlsx, JSON, YAML or TOML (chosen by the suffix)."""
        save_log(self, path)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)


@attrs.frozen
class LoopRow:
    """One theme raised by the field, and the responses to it.

    ``said`` is the official wording of the theme when there is one, else
    ``None`` (the field's own words are shown only where they may be quoted).
    """

    theme: str
    said: LocalizedText | None
    raised: int
    answered_on: dt.date | None
    changes: tuple[Change, ...]

    @property
    def responded(self) -> bool:
        """Whether the theme has a change or a published official answer."""
        return bool(self.changes) or self.answered_on is not None


def you_said_we_did(
    themes: Iterable[Theme],
    changes: Iterable[Change],
    *,
    hearings: HearingLog | None = None,
) -> tuple[LoopRow, ...]:
    """One row per theme of questions (and per finding, if ``hearings`` is given).

    Rows without any response come first, then the rest, each by theme id.
    """
    by_theme: dict[str, list[Change]] = {}
    for change in sorted(changes, key=lambda c: (c.changed_on, c.id)):
        for theme in change.themes:
            by_theme.setdefault(theme, []).append(change)
    rows = [
        LoopRow(
            theme.id,
            theme.official.question if theme.official is not None else None,
            len(theme.questions),
            theme.official.published_on if theme.official is not None else None,
            tuple(by_theme.get(theme.id, ())),
        )
        for theme in themes
    ]
    if hearings is not None:
        rows.extend(
            LoopRow(finding_id, None, 1, None, tuple(by_theme.get(finding_id, ())))
            for finding_id in hearings.findings
        )
    return tuple(sorted(rows, key=lambda row: (row.responded, row.theme)))
